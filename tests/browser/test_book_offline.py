"""The published book, opened in Chromium with the network cut: the widgets still render."""

from __future__ import annotations

from support import screenshot

PAGE = "notebooks/00-start/10-self-assessment.html"


def test_self_assessment_widget_renders_with_no_network(offline_page, book_server):
    page = offline_page
    page.goto(f"{book_server}/{PAGE}")
    page.wait_for_selector(".widget-radio-box", timeout=20_000)
    assert page.locator(".widget-radio-box").count() == 12
    assert page.get_by_role("radio").count() == 60
    assert page.get_by_text("Every statement is still at 3").count() == 1
    chart = page.locator("svg.pivot-figure").first
    assert "Radar chart of the self-assessment" in chart.get_attribute("aria-label")
    assert page.get_by_role("button", name="Save now").count() == 1
    screenshot(page, "book-self-assessment")
    assert page.blocked == []
    assert page.failed == []


def test_widget_manager_fonts_and_scripts_come_from_the_site(offline_page, book_server):
    page = offline_page
    seen = []
    page.on("request", lambda r: seen.append(r.url))
    page.goto(f"{book_server}/{PAGE}")
    page.wait_for_selector(".widget-radio-box", timeout=20_000)
    page.wait_for_load_state("networkidle")
    assert any(u.endswith("embed-amd.js") or "embed-amd.js?" in u for u in seen)
    assert all(u.startswith(book_server) or u.startswith("data:") for u in seen)
