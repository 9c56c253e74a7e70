"""Shared fixtures. Importing this sets PIVOT_WORKBOOK=:memory: before any kernel starts, so
neither nbval's kernels nor the widgets under test ever touch a learner's real workbook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ["PIVOT_WORKBOOK"] = ":memory:"

from support import ARTIFACTS, ROOT


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Keep together on one pytest-xdist worker (``make test`` runs two, ``--dist loadgroup``)
    what shares an expensive session fixture or a kernel: every test that uses the built book,
    every test that uses the JupyterLab server, and the cells of each notebook under nbval
    (which run in order in one kernel). Everything else is spread over the workers."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "built_book" in fixtures:
            group = "book"
        elif "lab" in fixtures:
            group = "jupyterlab"
        elif item.nodeid.split("::", 1)[0].endswith(".ipynb"):
            group = "nbval " + item.nodeid.split("::", 1)[0]
        else:
            continue
        item.add_marker(pytest.mark.xdist_group(name=group))


@pytest.fixture
def workbook_path(tmp_path):
    """A workbook file in a fresh folder (not created yet)."""
    return tmp_path / "learner" / "workbook.json"


@pytest.fixture
def workbook(workbook_path):
    from pivot.workbook import Workbook

    return Workbook(workbook_path)


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Build the book once per test session into a temporary folder; return (html dir, log)."""
    out = tmp_path_factory.mktemp("book")
    jb = Path(sys.executable).with_name("jupyter-book")
    env = dict(os.environ)
    proc = subprocess.run(
        [str(jb), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    log = proc.stdout + proc.stderr
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "book-build.log").write_text(log, encoding="utf-8")
    if proc.returncode != 0:
        reports = out / "_build" / "html" / "reports"
        if reports.exists():
            shutil.copytree(reports, ARTIFACTS / "book-reports", dirs_exist_ok=True)
        pytest.fail(f"jupyter-book build failed (exit {proc.returncode}):\n{log[-4000:]}")
    return out / "_build" / "html", log
