"""Open the course in JupyterLab on the learner's own copy of the notebooks (``make lab``).

The course's notebooks in ``notebooks/`` belong to the course: running one writes its outputs
into the file, and the next ``git pull`` of the course would conflict. So JupyterLab opens a
working copy, ``my-notebooks/`` (git-ignored), made on first run. Later runs add the notebooks
the course has gained since and never touch a notebook the learner already has. The course's
own folder is hidden from JupyterLab's file browser, so it is not edited by mistake.

JupyterLab gets the course's settings from ``lab-settings/overrides.json`` (the "official
Jupyter news" prompt and update checks off).

    python -m pivot.lab                  # as `make lab` does
    python -m pivot.lab --port 8890 --no-browser
Anything after ``--`` is passed to ``jupyter lab`` as it is.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .editions import learner_notebook

ROOT = Path(__file__).resolve().parent.parent
COURSE_NOTEBOOKS = ROOT / "notebooks"
SETTINGS = ROOT / "lab-settings"
WORKING_COPY_ENV = "PIVOT_NOTEBOOKS_DIR"
FIRST_NOTEBOOK = Path("00-start") / "10-self-assessment.ipynb"

#: jupyter_server's default hidden names, plus the course's own notebook folder.
HIDE_GLOBS = ["__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*.so", "*.dylib", "*~", "notebooks"]


def default_working_copy(environ=os.environ) -> Path:
    """Where the learner's notebooks live: ``$PIVOT_NOTEBOOKS_DIR``, else ``my-notebooks/``
    beside the course's ``notebooks/`` (so the notebooks' relative links to ``book/`` work)."""
    configured = environ.get(WORKING_COPY_ENV, "").strip()
    return Path(configured).expanduser() if configured else ROOT / "my-notebooks"


@dataclass
class CopyReport:
    folder: Path
    added: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        if self.added and not self.kept:
            return f"Made your working copy of the course notebooks in {self.folder}."
        if self.added:
            names = ", ".join(p.as_posix() for p in self.added)
            return f"Added {len(self.added)} new course notebook(s) to {self.folder}: {names}."
        return f"Your notebooks are in {self.folder}; nothing new in the course."


def course_notebooks(source: Path = COURSE_NOTEBOOKS) -> list[Path]:
    return sorted(
        p.relative_to(source)
        for p in source.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )


def working_copy(
    dest: Path | None = None,
    source: Path = COURSE_NOTEBOOKS,
    include: Callable[[Path], bool] = lambda rel: True,
) -> CopyReport:
    """Copy every course notebook the learner does not have yet (of those ``include`` takes);
    never overwrite one. The copies are the learner's: without the instructor notes
    (:func:`pivot.editions.learner_notebook`), each written whole or not at all."""
    dest = default_working_copy() if dest is None else dest
    report = CopyReport(dest)
    for rel in course_notebooks(source):
        if not include(rel):
            continue
        target = dest / rel
        if target.exists():
            report.kept.append(rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.copying")
        text = learner_notebook((source / rel).read_text(encoding="utf-8"))
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        report.added.append(rel)
    return report


def lab_arguments(working: Path, root: Path = ROOT) -> list[str]:
    """The ``jupyter lab`` options that make it the course's JupyterLab: its settings, the
    course's folder hidden, and the first notebook of the working copy open. JupyterLab's root
    is the course folder (links from the notebooks to ``book/`` work), or the working copy
    itself when it lives elsewhere."""
    if not working.resolve().is_relative_to(root.resolve()):
        root = working
    args = [
        f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={SETTINGS}",
        "--ContentsManager.hide_globs=" + repr(HIDE_GLOBS).replace("'", '"'),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    first = working / FIRST_NOTEBOOK
    if first.exists():
        args.append(first.resolve().relative_to(root.resolve()).as_posix())
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    passthrough: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, passthrough = argv[:cut], argv[cut + 1 :]
    ap = argparse.ArgumentParser(prog="python -m pivot.lab", description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, help="port (default: JupyterLab's choice)")
    ap.add_argument("--no-browser", action="store_true", help="do not open a browser")
    ap.add_argument("--copy-only", action="store_true", help="update the working copy and stop")
    args = ap.parse_args(argv)
    report = working_copy()
    print(report.summary(), flush=True)
    if args.copy_only:
        return 0
    jupyter = Path(sys.executable).with_name("jupyter")
    cmd = [str(jupyter) if jupyter.exists() else "jupyter", "lab"]
    cmd += lab_arguments(report.folder)
    if args.port:
        cmd.append(f"--ServerApp.port={args.port}")
    if args.no_browser:
        cmd.append("--no-browser")
    cmd += passthrough
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    raise SystemExit(main())
