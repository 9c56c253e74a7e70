"""`make lab`: the learner's own working copy, the course's JupyterLab settings, and an
extension listing without incompatibilities."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support import ROOT

from pivot import lab


def _course(tmp_path: Path) -> Path:
    src = tmp_path / "course-notebooks"
    for rel in ("00-start/10-a.ipynb", "10-shift1/10-b.ipynb"):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(json.dumps({"course": rel}), encoding="utf-8")
    (src / "00-start" / ".ipynb_checkpoints").mkdir()
    (src / "00-start" / ".ipynb_checkpoints" / "10-a-checkpoint.ipynb").write_text("{}")
    return src


def test_first_run_copies_every_course_notebook(tmp_path):
    src, dest = _course(tmp_path), tmp_path / "mine"
    report = lab.working_copy(dest, source=src)
    assert sorted(p.as_posix() for p in report.added) == [
        "00-start/10-a.ipynb",
        "10-shift1/10-b.ipynb",
    ]
    assert (dest / "10-shift1" / "10-b.ipynb").read_text() == json.dumps(
        {"course": "10-shift1/10-b.ipynb"}
    )
    assert not list(dest.rglob("*checkpoint*")), "checkpoints are not course files"
    assert "Made your working copy" in report.summary()
    assert not list(dest.rglob(".*.copying")), "no temporary file is left behind"


def test_later_runs_never_touch_the_learners_notebooks_and_add_new_ones(tmp_path):
    src, dest = _course(tmp_path), tmp_path / "mine"
    lab.working_copy(dest, source=src)
    mine = dest / "00-start" / "10-a.ipynb"
    mine.write_text('{"learner": "my outputs and edits"}', encoding="utf-8")
    (src / "00-start" / "10-a.ipynb").write_text('{"course": "updated"}', encoding="utf-8")
    (src / "30-shift3").mkdir()
    (src / "30-shift3" / "10-c.ipynb").write_text('{"course": "new"}', encoding="utf-8")
    report = lab.working_copy(dest, source=src)
    assert mine.read_text() == '{"learner": "my outputs and edits"}'
    assert [p.as_posix() for p in report.added] == ["30-shift3/10-c.ipynb"]
    assert "30-shift3/10-c.ipynb" in report.summary()
    assert lab.working_copy(dest, source=src).summary().endswith("nothing new in the course.")


def test_working_copy_is_git_ignored_and_outside_the_book():
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "my-notebooks/" in ignored
    assert lab.default_working_copy({}) == ROOT / "my-notebooks"
    assert "my-notebooks" in (ROOT / "_config.yml").read_text()
    assert lab.default_working_copy({"PIVOT_NOTEBOOKS_DIR": "/srv/x"}) == Path("/srv/x")


def test_lab_arguments_use_the_course_settings_and_hide_the_course_folder(tmp_path):
    working = ROOT / "my-notebooks"
    args = lab.lab_arguments(working)
    assert f"--LabApp.app_settings_dir={ROOT / 'lab-settings'}" in args
    hide = next(a for a in args if a.startswith("--ContentsManager.hide_globs="))
    assert "notebooks" in json.loads(hide.split("=", 1)[1])
    assert f"--ServerApp.root_dir={ROOT}" in args
    # a working copy elsewhere becomes JupyterLab's root itself
    other = tmp_path / "elsewhere"
    (other / "00-start").mkdir(parents=True)
    (other / "00-start" / "10-self-assessment.ipynb").write_text("{}")
    args = lab.lab_arguments(other)
    assert f"--ServerApp.root_dir={other}" in args
    assert args[-1] == "00-start/10-self-assessment.ipynb"


def test_course_settings_switch_the_news_prompt_off():
    overrides = json.loads((ROOT / "lab-settings" / "overrides.json").read_text())
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false"
    assert notification["checkForUpdates"] is False
    # the keys are the ones JupyterLab's own schema defines
    schema_file = (
        Path(sys.prefix)
        / "share/jupyter/lab/schemas/@jupyterlab/apputils-extension/notification.json"
    )
    schema = json.loads(schema_file.read_text())
    assert set(notification) <= set(schema["properties"])
    assert "false" in [o["const"] for o in schema["properties"]["fetchNews"]["oneOf"]]


def test_labextension_listing_is_clean():
    jupyter = Path(sys.executable).with_name("jupyter")
    proc = subprocess.run(
        [str(jupyter), "labextension", "list"], capture_output=True, text=True, timeout=120
    )
    listing = proc.stdout + proc.stderr
    assert "jupyterlab-myst" in listing
    assert "@jupyter-widgets/jupyterlab-manager" in listing
    assert "not compatible" not in listing, listing
    assert " X" not in listing.replace("\x1b[31m", " ").replace("\x1b[0m", ""), listing
