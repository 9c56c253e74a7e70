"""The portfolio as a learner meets it: built in JupyterLab with one click, then the exported
HTML file opened in Chromium — offline, no script, figures with their text alternatives,
accessible, and printable (Chromium's own print to PDF)."""

from __future__ import annotations

import re

from a11y import run_axe
from support import screenshot
from test_lab import open_and_run_all

from pivot.exercises.move.portfolio import example_workbook
from pivot.handouts import pdf_pages
from pivot.workbook import Workbook

NOTEBOOK = "notebooks/50-move/50-portfolio.ipynb"


def _complete_workbook_for(lab) -> None:
    """Give the lab's learner a complete course (Noor's worked example) before they build."""
    book = Workbook(lab.workbook)
    for exercise_id, entry in example_workbook().entries().items():
        book.save(exercise_id, entry["answer"], title=entry["title"], markdown=entry["markdown"])


def test_the_portfolio_is_built_in_jupyterlab_and_its_html_reads_and_prints(lab_page, lab):
    page = lab_page
    _complete_workbook_for(lab)
    open_and_run_all(page, lab, NOTEBOOK)
    area = page.locator(".jp-OutputArea-output").filter(
        has=page.get_by_role("button", name="Build my portfolio")
    )
    area.scroll_into_view_if_needed()
    area.get_by_role("button", name="Build my portfolio").click()
    area.get_by_text(re.compile(r"^Portfolio built\.")).first.wait_for(timeout=30_000)
    assert "12 of 12" in area.locator(".pivot-feedback").first.inner_text()

    html_file = lab.root / "my-notebooks" / "50-move" / "my-pivot-portfolio.html"
    assert html_file.exists(), "the button wrote no HTML file beside the notebook"
    url = f"{lab.url}/files/my-notebooks/50-move/my-pivot-portfolio.html?token={lab.token}"
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.blocked == [], f"the portfolio asked for something outside: {page.blocked}"
    assert page.console_errors == []
    assert page.locator("script").count() == 0
    headings = page.locator("h2, h3").all_inner_texts()
    assert len(headings) >= 2 + 12, headings  # the two parts and their twelve sections
    figures = page.locator("svg[role=img]")
    assert figures.count() >= 3
    for i in range(figures.count()):
        assert (figures.nth(i).get_attribute("aria-label") or "").strip()
    screenshot(page, "lab-portfolio-html")
    blocking = run_axe(page, "The exported portfolio (HTML)")
    assert blocking == [], blocking

    pdf = page.pdf(format="A4", print_background=True)
    pages = pdf_pages(pdf)
    assert pages >= 3, f"the printed portfolio has {pages} page(s)"
