"""The class view as an instructor meets it in JupyterLab: the instructor notebook run on a
synthetic class with damaged files; charts and tables shown, the damaged files named and
skipped, the reveal switch working, axe-core clean, and not one learner file changed."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from a11y import run_axe
from support import screenshot
from test_lab import error_outputs, open_and_run_all

from pivot.synthetic_class import DAMAGED_FILES, add_damaged_files, write_class

NOTEBOOK = "notebooks/instructor/class-view.ipynb"
LEARNERS = 60


def snapshot(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_the_class_view_shows_a_synthetic_class_in_jupyterlab(lab_page, lab, tmp_path):
    page = lab_page
    shm = Path("/dev/shm")  # every save is fsync'ed: tmpfs makes writing 60 workbooks quick
    base = Path(tempfile.mkdtemp(dir=shm)) if os.access(shm, os.W_OK) else tmp_path
    try:
        check_the_class_view(page, lab, base / "class")
    finally:
        if base != tmp_path:
            shutil.rmtree(base, ignore_errors=True)


def check_the_class_view(page, lab, folder):
    write_class(folder, LEARNERS)
    add_damaged_files(folder)
    before = snapshot(folder)

    open_and_run_all(page, lab, NOTEBOOK)
    assert error_outputs(page) == []
    view = page.locator(".pivot-classview")
    view.wait_for(timeout=30_000)
    status = view.locator("[role=status]").first
    assert "No class folder yet" in status.inner_text()  # PIVOT_WORKBOOK_DIR is not set here

    # open the class folder as an instructor would: type it, press Open folder
    box = view.get_by_role("textbox", name="Class folder")
    box.fill(str(folder))
    view.get_by_role("button", name="Open folder").click()
    page.wait_for_function(
        "() => /60 workbooks read/.test(document.querySelector('.pivot-classview "
        "[role=status]').textContent)",
        timeout=30_000,
    )
    assert "6 files skipped" in status.inner_text()
    assert "pseudonym" in status.inner_text()

    # the charts and tables: one section per summarised exercise, each chart with alt text
    sections = view.locator("section.pivot-classview-section")
    assert sections.count() == 9
    charts = view.locator("svg.pivot-figure[role=img]")
    # the sections' charts arrive as widget updates after the status: on a busy machine later
    page.wait_for_function(
        "() => document.querySelectorAll('.pivot-classview svg.pivot-figure[role=img]')"
        ".length >= 10",
        timeout=30_000,
    )
    assert charts.count() >= 10
    for i in range(charts.count()):
        assert len(charts.nth(i).get_attribute("aria-label") or "") > 100
        box_ = charts.nth(i).bounding_box()
        assert box_ and box_["width"] > 200 and box_["height"] > 80, "a chart did not render"
    prompts = view.get_by_role("note", name="Discussion prompt")
    assert prompts.count() == 9
    backlog = sections.filter(has_text="gut top five against the methods")
    assert re.search(r"Kendall's W = 0\.\d\d", backlog.inner_text())
    backlog.locator("summary", has_text="Table:").first.click()
    rows = backlog.locator("table.pivot-table tbody tr")
    assert rows.count() >= 5 and rows.first.is_visible()
    progress = view.locator("table.pivot-progress tbody tr")
    assert progress.count() == LEARNERS

    # the damaged files: named (in the folded list) and skipped
    skipped = view.locator("details.pivot-classview-skipped")
    assert "6 files skipped" in skipped.locator("summary").inner_text()
    skipped.locator("summary").click()
    listed = skipped.inner_text()
    for name in DAMAGED_FILES:
        assert f"{name}: skipped" in listed, name
    assert "newer than this course reads" in listed

    # anonymous by default; the reveal switch shows the file names, and hides them again
    table = view.locator("table.pivot-progress")
    assert "learner01" not in table.inner_text()
    reveal = view.get_by_role("checkbox", name="Reveal names")
    reveal.check()
    page.wait_for_function(
        "() => document.querySelector('table.pivot-progress').textContent.includes("
        "'learner01.json')",
        timeout=15_000,
    )
    assert "Names are shown" in status.inner_text()
    reveal.uncheck()
    page.wait_for_function(
        "() => !document.querySelector('table.pivot-progress').textContent.includes('learner01')",
        timeout=15_000,
    )

    # refresh in place: a learner saves, Refresh reads one file afresh
    from pivot.workbook import Workbook

    Workbook(folder / "learner05.json").save(
        "shift3.prioritise_backlog", {"picks": ["B03", "B01", "B02", "B04", "B11"]}
    )
    before["learner05.json"] = None  # this one the learner changed, not the view
    view.get_by_role("button", name="Refresh").click()
    page.wait_for_function(
        "() => /1 file read afresh/.test(document.querySelector('.pivot-classview "
        "[role=status]').textContent)",
        timeout=15_000,
    )

    blocking = run_axe(page, "JupyterLab class view", include=".pivot-classview")
    assert blocking == [], json.dumps(blocking, indent=1)
    screenshot(page, "lab-class-view")
    assert error_outputs(page) == []
    assert page.console_errors == []
    assert page.blocked == []

    after = snapshot(folder)
    changed = {k for k in after if before.get(k, "new") != after[k] and before.get(k) is not None}
    assert changed == set(), f"the class view changed {changed}"
    assert set(after) == set(before), "the class view created or removed a file"
