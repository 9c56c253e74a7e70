"""A JupyterLab server for browser tests, started as `make lab` starts it (pivot.lab): the
course's settings, the learner's working copy of the notebooks, the course's folder hidden;
loopback only, in a temporary folder."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from support import ARTIFACTS, ROOT, screenshot

from pivot import prose

TOKEN = "pivot-browser-tests"


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    workbook: Path
    process: subprocess.Popen

    def notebook_url(self, relative: str) -> str:
        """The URL of a course notebook (``notebooks/…``) in the learner's working copy."""
        return f"{self.url}/lab/tree/{working_path(relative)}?token={self.token}&reset"

    def api(self, path: str) -> dict:
        with urllib.request.urlopen(f"{self.url}{path}?token={self.token}", timeout=10) as r:
            return json.loads(r.read().decode("utf-8"))


def working_path(relative: str) -> str:
    """``notebooks/10-shift1/x.ipynb`` -> ``my-notebooks/10-shift1/x.ipynb``."""
    return "my-notebooks/" + relative.split("/", 1)[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def exercise_notebooks() -> list[str]:
    """Every notebook that shows an exercise widget, relative to the repository root: one whose
    code imports a class of ``pivot.exercises.__all__`` (from the package or any module in it)."""
    import json

    import pivot.exercises

    classes = set(pivot.exercises.__all__)
    found = []
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        imported = {
            name.strip()
            for names in re.findall(
                r"^from pivot\.exercises(?:\.\w+)* import ([\w, ]+)$", code, re.M
            )
            for name in names.split(",")
        }
        if imported & classes:
            found.append(str(path.relative_to(ROOT)))
    return found


def start_lab(base: Path) -> Lab:
    from pivot.lab import lab_arguments, working_copy

    root = base / "course"
    # The course's own folder is there (and must stay hidden); the learner works in a copy.
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    working = root / "my-notebooks"
    working_copy(working, source=ROOT / "notebooks")
    settings = base / "settings"
    # Render every cell (JupyterLab 4 otherwise detaches cells outside the viewport).
    tracker = settings / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    workbook = base / "workbook.json"
    env = dict(os.environ)
    env.update(
        PIVOT_WORKBOOK=str(workbook),
        JUPYTER_CONFIG_DIR=str(base / "config"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
    )
    port = free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "jupyterlab.log", "w")  # noqa: SIM115 - closed with the server
    process = subprocess.Popen(
        [
            str(jupyter),
            "lab",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            *[a for a in lab_arguments(working, root) if a.startswith("--")],
            f"--IdentityProvider.token={TOKEN}",
            f"--LabServerApp.user_settings_dir={settings}",
            f"--LabServerApp.workspaces_dir={base / 'workspaces'}",
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {process.returncode}; see jupyterlab.log")
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.terminate()
        raise RuntimeError("JupyterLab did not start within 90 s; see jupyterlab.log")
    return Lab(url, TOKEN, root, workbook, process)


def stop_lab(lab: Lab) -> None:
    lab.process.terminate()
    try:
        lab.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        lab.process.kill()


def _keys(notebook: str) -> set[str]:
    """The glue keys and citation keys this notebook's prose depends on."""
    text = (ROOT / notebook).read_text(encoding="utf-8")
    keys = {prose.split_glue_key(m.group(1))[0] for m in prose.GLUE_MARK.finditer(text)}
    keys |= {m.group(1) for m in prose.GLUE_ROLE.finditer(text)}
    for m in list(prose.CITE_MARK.finditer(text)) + list(prose.CITE_ROLE.finditer(text)):
        keys |= {k.strip() for k in m.group(2).split(",")}
    return keys


def assert_prose_shows_numbers_and_citations_not_keys(page, notebook: str) -> None:
    """Opened in JupyterLab (jupyterlab-myst), before any cell runs, the prose shows every
    number and every citation as text: no glue key, no citation key, no warning sign."""
    page.locator(".jp-MarkdownCell .myst").first.wait_for(timeout=90_000)
    page.wait_for_timeout(1500)
    text = page.evaluate(
        "() => { document.querySelectorAll('details').forEach(d => d.open = true);"
        " return Array.from(document.querySelectorAll('.jp-MarkdownCell .myst'))"
        ".map(e => e.textContent).join('\\n'); }"
    )
    assert len(text) > 500, "the notebook's prose rendered"
    for raw in ("{glue", "{cite", "⚠"):
        assert raw not in text, f"{notebook}: {raw!r} shows in JupyterLab"
    visible = sorted(k for k in _keys(notebook) if re.search(rf"(?<![\w-]){re.escape(k)}\b", text))
    assert visible == [], f"{notebook}: keys shown instead of their text: {visible}"
    screenshot(page, "lab-prose-" + notebook.replace("/", "_").removesuffix(".ipynb"))
