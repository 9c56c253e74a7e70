"""The published book in Chromium with the network cut: every page loads cleanly, widgets
render from their saved state, images have alt text, and axe-core finds nothing serious."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from a11y import run_axe
from support import ROOT, screenshot


def source_pages() -> list[str]:
    """Every page of the book, as built HTML paths (new chapters are picked up by themselves)."""
    pages = ["genindex.html", "search.html"]
    for folder in ("book", "notebooks"):
        for p in sorted((ROOT / folder).rglob("*")):
            rel = p.relative_to(ROOT)
            if p.suffix not in {".md", ".ipynb"} or ".ipynb_checkpoints" in p.parts:
                continue
            if any(part.startswith("_") for part in rel.parts):
                continue
            pages.append(str(rel.with_suffix(".html")))
    return pages


PAGES = source_pages()

WIDGET_STATE = "application/vnd.jupyter.widget-view+json"


def has_widgets(html_dir: Path, page: str) -> bool:
    return WIDGET_STATE in (html_dir / page).read_text(encoding="utf-8")


@pytest.mark.parametrize("page_path", PAGES)
def test_page_loads_offline_cleanly_and_accessibly(
    offline_page, book_server, built_book, page_path
):
    html_dir, _ = built_book
    if not (html_dir / page_path).exists():
        pytest.fail(f"{page_path} was not built (is it in _toc.yml?)")
    page = offline_page
    page.goto(f"{book_server}/{page_path}")
    page.wait_for_load_state("networkidle")
    if has_widgets(html_dir, page_path):
        page.wait_for_selector(".jupyter-widgets.widget-vbox, .jupyter-widgets", timeout=20_000)
        expected = (html_dir / page_path).read_text(encoding="utf-8").count(WIDGET_STATE)
        rendered = page.locator(".cell_output .jupyter-widgets").count()
        assert rendered >= expected, f"{expected} widget outputs, {rendered} rendered"
        assert page.locator(".pivot-feedback").count() >= 1
        screenshot(page, "book-" + page_path.replace("/", "_").removesuffix(".html"))
    no_alt = page.evaluate(
        "() => Array.from(document.images).filter(i => !(i.getAttribute('alt') || '').trim()"
        " && i.getAttribute('role') !== 'presentation').map(i => i.src.slice(0, 80))"
    )
    assert no_alt == []
    unnamed_svgs = page.evaluate(
        "() => Array.from(document.querySelectorAll('svg[role=img]:not([aria-hidden=true])'))"
        ".filter(s => !(s.getAttribute('aria-label') || s.querySelector('title'))).length"
    )
    assert unnamed_svgs == 0
    broken = page.evaluate(
        "() => Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0)"
        ".map(i => i.src.slice(0, 80))"
    )
    assert broken == []
    blocking = run_axe(page, f"book {page_path}")
    assert blocking == [], json.dumps(blocking, indent=1)
    assert page.console_errors == []
    assert page.failed == []
    assert page.blocked == []


def test_self_assessment_page_shows_the_starting_state(offline_page, book_server):
    page = offline_page
    page.goto(f"{book_server}/notebooks/00-start/10-self-assessment.html")
    page.wait_for_selector(".widget-radio-box", timeout=20_000)
    assert page.locator(".widget-radio-box").count() == 12
    assert page.get_by_role("radio").count() == 60
    assert page.get_by_text("Every statement is still at 3").count() == 1
    chart = page.locator("svg.pivot-figure").first
    assert "Radar chart of the self-assessment" in chart.get_attribute("aria-label")
    assert page.get_by_role("button", name="Save now").count() == 1


def test_widget_manager_and_its_fonts_come_from_the_site(offline_page, book_server):
    page = offline_page
    seen = []
    page.on("request", lambda r: seen.append(r.url))
    page.goto(f"{book_server}/notebooks/00-start/10-self-assessment.html")
    page.wait_for_selector(".widget-radio-box", timeout=20_000)
    page.wait_for_load_state("networkidle")
    assert any("pivot-widgets/embed-amd.js" in u for u in seen)
    assert all(u.startswith(book_server) or u.startswith("data:") for u in seen)
