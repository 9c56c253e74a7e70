"""Shared fixtures. Importing this sets PIVOT_WORKBOOK=:memory: before any kernel starts, so
neither nbval's kernels nor the widgets under test ever touch a learner's real workbook."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ["PIVOT_WORKBOOK"] = ":memory:"

from support import ARTIFACTS, ROOT


def _files_using(fixtures: str) -> set[str]:
    """Test files (relative to the repository) with a test that asks for one of ``fixtures``."""
    pattern = re.compile(rf"def test_\w+\([^)]*\b(?:{fixtures})\b", re.S)
    return {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "tests").rglob("test_*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    }


@pytest.hookimpl(optionalhook=True)  # without xdist (-p no:xdist) the hook is unknown
def pytest_xdist_make_scheduler(config, log):
    """``make test`` runs two pytest-xdist workers. Keep together on one worker what shares an
    expensive session fixture or a kernel: the files whose tests use the built book, the files
    whose tests use the JupyterLab server, the file whose tests use the class's JupyterHub
    (``hub_class``, ``class_run``: one hub, its tests in order), and the cells of each notebook
    under nbval (which run in order in one kernel); every other test is scheduled on its own.
    (xdist's own ``--dist loadgroup`` marks do not reach its scheduler under pytest 9, whose node
    ids are no longer the attribute xdist rewrites, so the groups are read from the node ids
    here.)"""
    from xdist.scheduler import LoadScopeScheduling

    book = _files_using(
        "built_book|built_instructor_book|book_server|instructor_server|offline_page|instructor_page"
    )
    lab = _files_using("lab|lab_page")
    hub = _files_using("hub_class|class_run")

    class CourseScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            if path.endswith(".ipynb") or "::ipynb::" in nodeid:  # nbval: "nb::ipynb::Cell 0"
                return path
            if path in book:
                return "the built book"
            if path in lab:
                return "JupyterLab"
            if path in hub:
                return "JupyterHub"
            return nodeid

    return CourseScheduling(config, log)


@pytest.fixture
def workbook_path(tmp_path):
    """A workbook file in a fresh folder (not created yet)."""
    return tmp_path / "learner" / "workbook.json"


@pytest.fixture
def workbook(workbook_path):
    from pivot.workbook import Workbook

    return Workbook(workbook_path)


def build_edition(edition: str, out: Path) -> tuple[Path, str]:
    """Build one edition as `make book` / `make instructor` do (pivot/editions.py) into ``out``;
    return (its HTML folder, the build log)."""
    proc = subprocess.run(
        [sys.executable, "-m", "pivot.editions", "build", edition, "--out", str(out)],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=900,
        cwd=ROOT,
    )
    log = proc.stdout + proc.stderr
    ARTIFACTS.mkdir(exist_ok=True)
    name = "book" if edition == "learner" else edition
    (ARTIFACTS / f"{name}-build.log").write_text(log, encoding="utf-8")
    if proc.returncode != 0:
        reports = out / "html" / "reports"
        if reports.exists():
            shutil.copytree(reports, ARTIFACTS / f"{name}-reports", dirs_exist_ok=True)
        pytest.fail(f"the {edition} edition did not build (exit {proc.returncode}):\n{log[-4000:]}")
    return out / "html", log


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The learner edition, built once per test session into a temporary folder:
    (html dir, log). Its execution cache is in the folder, for the instructor edition."""
    return build_edition("learner", tmp_path_factory.mktemp("book"))


@pytest.fixture(scope="session")
def built_instructor_book(built_book):
    """The instructor edition, built after the learner one beside it (sharing its execution
    cache, as `make instructor` does after `make book`): (html dir, log)."""
    html, _ = built_book
    return build_edition("instructor", html.parent / "instructor")
