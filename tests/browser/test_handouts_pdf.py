"""The workshop handouts printed by Chromium (pivot/handouts.py): every PDF has pages, none of
them empty, opens with its part's title (the key with "For instructors"), and on A4 in print
media no table, code block or form is wider than its container."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from pivot import handouts as ho

pytestmark = pytest.mark.browser

#: A4 (210 mm) less the handouts' side margins (2 x 14 mm), in CSS pixels.
A4_TEXT_WIDTH = round((210 - 28) / 25.4 * 96)

OVERFLOWS = """() => {
  const wide = [];
  for (const el of document.querySelectorAll(
      'table, pre, .form, .field, .item, .legend, .ruled, form, main')) {
    if (el.scrollWidth > el.clientWidth + 1) {
      wide.push(`${el.tagName}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}: `
        + el.innerText.slice(0, 60));
    }
  }
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) wide.push(`page: ${root.scrollWidth}`);
  return wide;
}"""


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def test_every_handout_prints_and_nothing_overflows_a4(browser, tmp_path):
    handouts = ho.build(tmp_path, browser=browser)
    assert len(handouts) == 2 * len(ho.course_parts()) >= 12
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for x in handouts:
        reader = PdfReader(x.pdf_path)
        pages = len(reader.pages)
        assert pages >= 1 and pages == x.pages, x.pdf_path.name
        assert f"{x.pdf_path.name}</a> ({pages} page" in index
        footer = len(squash(f"{ho.footer_text(x)} · page {pages} of {pages}"))
        texts = [squash(p.extract_text()) for p in reader.pages]
        for n, text in enumerate(texts, 1):
            assert len(text) - footer >= 40, f"{x.pdf_path.name}: page {n} is empty: {text!r}"
        assert squash(x.part) in texts[0], x.pdf_path.name
        if x.kind == "key":
            assert "For instructors" in texts[0]
        else:
            assert "For instructors" not in " ".join(texts)

    context = browser.new_context(viewport={"width": A4_TEXT_WIDTH, "height": 1000})
    try:
        page = context.new_page()
        page.emulate_media(media="print")
        for x in handouts:
            page.set_content(x.html_path.read_text(encoding="utf-8"), wait_until="load")
            assert page.evaluate(OVERFLOWS) == [], x.html_path.name
            assert page.locator("table").count() >= (1 if x.kind == "learner" else 0)
    finally:
        context.close()
