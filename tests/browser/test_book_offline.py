"""The published book in Chromium with the network cut: every page loads cleanly, widgets
render from their saved state, images have alt text, and axe-core finds nothing serious."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from a11y import run_axe
from support import ROOT, screenshot

from pivot import editions


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
#: The instructor edition's own pages (the "For instructors" part), and a course page that
#: shows its instructor note there.
INSTRUCTOR_DOCS = editions.instructor_docs()
LEARNER_PAGES = [p for p in PAGES if p.removesuffix(".html") not in INSTRUCTOR_DOCS]
INSTRUCTOR_PAGES = [f"{d}.html" for d in INSTRUCTOR_DOCS] + [
    "notebooks/10-shift1/20-problem-or-solution.html"
]

WIDGET_STATE = "application/vnd.jupyter.widget-view+json"


def has_widgets(html_dir: Path, page: str) -> bool:
    return WIDGET_STATE in (html_dir / page).read_text(encoding="utf-8")


@pytest.mark.parametrize("page_path", LEARNER_PAGES)
def test_page_loads_offline_cleanly_and_accessibly(
    offline_page, book_server, built_book, page_path
):
    check_page(offline_page, book_server, built_book[0], page_path, "book")


@pytest.mark.parametrize("page_path", INSTRUCTOR_PAGES)
def test_instructor_edition_page_loads_offline_cleanly_and_accessibly(
    instructor_page, instructor_server, built_instructor_book, page_path
):
    html_dir = built_instructor_book[0]
    check_page(instructor_page, instructor_server, html_dir, page_path, "instructor")
    if page_path.removesuffix(".html") not in INSTRUCTOR_DOCS:  # a course page: its note
        notes = instructor_page.locator(".pivot-instructor-note")
        assert notes.count() == 1
        assert notes.first.locator(".admonition-title").inner_text() == "Instructor note"


def check_page(page, server, html_dir, page_path, edition) -> None:
    """The page loads with the network cut, widgets render from their saved state, images have
    alt text, axe-core finds nothing serious, it fits a phone, and no request fails."""
    if not (html_dir / page_path).exists():
        pytest.fail(f"{page_path} was not built (is it in _toc.yml?)")
    page.goto(f"{server}/{page_path}", timeout=180_000)
    try:  # a heuristic: on two busy cores the network may never be idle for 500 ms in time
        page.wait_for_load_state("networkidle", timeout=120_000)
    except Exception:  # the widget checks below wait for what they need
        page.wait_for_load_state("load")
    if has_widgets(html_dir, page_path):
        page.wait_for_selector(".jupyter-widgets.widget-vbox, .jupyter-widgets", timeout=60_000)
        expected = (html_dir / page_path).read_text(encoding="utf-8").count(WIDGET_STATE)
        rendered = page.locator(".cell_output .jupyter-widgets").count()
        assert rendered >= expected, f"{expected} widget outputs, {rendered} rendered"
        if not page_path.startswith("notebooks/instructor/"):  # exercises, not the class view
            assert page.locator(".pivot-feedback").count() >= 1
        assert_exercises_are_marked_as_previews(page)
        screenshot(page, f"{edition}-" + page_path.replace("/", "_").removesuffix(".html"))
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
    blocking = run_axe(page, f"{edition} {page_path}")
    assert blocking == [], json.dumps(blocking, indent=1)
    assert_fits_its_column_on_desktop_and_phone(page)
    if has_widgets(html_dir, page_path):
        screenshot(page, f"{edition}-phone-" + page_path.replace("/", "_").removesuffix(".html"))
    assert page.console_errors == []
    assert page.failed == []
    assert page.blocked == []


PREVIEW_CHECK = """() => {
  const controls = 'input, textarea, select, button';
  const outputs = Array.from(document.querySelectorAll('.cell_output'))
    .filter(o => Array.from(o.querySelectorAll(controls)).some(c => c.closest('.jupyter-widgets')));
  return outputs.map(o => ({
    notice: o.querySelectorAll('.pivot-preview').length,
    enabled: Array.from(o.querySelectorAll(controls))
      .filter(c => !c.disabled && c.closest('.jupyter-widgets')).map(c => c.outerHTML.slice(0, 90)),
  }));
}"""


def assert_exercises_are_marked_as_previews(page):
    """Every widget output with a control says at the widget that it is a preview, and no
    control in it takes input (so no frozen feedback can contradict a reader's input)."""
    outputs = page.evaluate(PREVIEW_CHECK)
    assert outputs, "an exercise page with widgets shows at least one exercise"
    for i, out in enumerate(outputs):
        assert out["notice"] == 1, f"exercise output {i} has {out['notice']} preview notices"
        assert out["enabled"] == [], f"exercise output {i} has live controls: {out['enabled']}"


OVERFLOW_CHECK = """() => {
  const col = document.querySelector('article.bd-article') || document.querySelector('main');
  const right = col.getBoundingClientRect().right + 1;
  const bad = [];
  for (const el of col.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= right) continue;
    let p = el.parentElement, inScroller = false;
    while (p && p !== col) {
      const ox = getComputedStyle(p).overflowX;
      if ((ox === 'auto' || ox === 'scroll' || ox === 'hidden')
          && p.getBoundingClientRect().right <= right) { inScroller = true; break; }
      p = p.parentElement;
    }
    if (!inScroller) {
      bad.push(`${el.tagName.toLowerCase()}.${String(el.className).slice(0, 40)} ` +
               `right=${Math.round(r.right)} > ${Math.round(right)}: ` +
               (el.textContent || '').trim().slice(0, 50));
    }
  }
  return bad.slice(0, 8);
}"""


def assert_fits_its_column_on_desktop_and_phone(page):
    """No element is wider than the text column at 1280 px or 390 px, except inside a box
    that scrolls on its own (wide tables). Leaves the page at 390 px."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(150)
        assert page.evaluate(OVERFLOW_CHECK) == [], f"at {width} px"


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
    # the widget manager's icon fonts have loaded (or failed) once document.fonts is ready;
    # "networkidle" can miss its moment on a loaded machine
    page.evaluate("() => document.fonts.ready.then(() => document.fonts.size)")
    page.wait_for_timeout(500)
    assert any("pivot-widgets/embed-amd.js" in u for u in seen)
    assert all(u.startswith(book_server) or u.startswith("data:") for u in seen)
