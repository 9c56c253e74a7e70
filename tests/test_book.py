"""The book builds with zero warnings, serves everything itself, and links resolve."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from pivot import editions

pytestmark = pytest.mark.book
ROOT = Path(__file__).resolve().parent.parent


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.links: list[str] = []
        self.images: list[dict] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "link" and "stylesheet" in (a.get("rel") or "") and a.get("href"):
            self.styles.append(a["href"])
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "img":
            self.images.append(a)


@pytest.fixture(scope="session", params=["learner", "instructor"])
def edition_book(request):
    """Each edition in turn: (html dir, build log)."""
    name = "built_book" if request.param == "learner" else "built_instructor_book"
    return request.getfixturevalue(name)


def pages(html_dir: Path) -> list[Path]:
    return sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.parts)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_build_has_zero_warnings(edition_book):
    _, log = edition_book
    # Sphinx reports "path:line: WARNING: text" (or ERROR/CRITICAL). Kernel log lines such as
    # "[IPKernelApp] WARNING | ..." are the kernel's own stderr, not build warnings.
    warnings = [
        line for line in log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL): ", line)
    ]
    assert warnings == []
    assert "build succeeded" in log


def test_every_toc_page_was_built_and_instructor_pages_only_in_their_edition(
    built_book, built_instructor_book
):
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]] + [c["file"] for p in toc["parts"] for c in p["chapters"]]
    instructor = set(editions.instructor_docs())
    assert {"book/instructors", "book/schedules", "book/instructor-notes"} <= instructor
    for (html, _), only_learner in ((built_book, True), (built_instructor_book, False)):
        names = {str(p.relative_to(html)) for p in pages(html)}
        assert "index.html" in names
        for doc in docs:
            built = f"{doc}.html" in names
            assert built is not (only_learner and doc in instructor), (doc, only_learner)


def test_no_page_loads_a_script_or_stylesheet_from_outside_the_site(edition_book):
    html, _ = edition_book
    outside = []
    for path in pages(html):
        page = parse(path)
        for url in page.scripts + page.styles:
            if urlsplit(url).scheme or url.startswith("//"):
                outside.append(f"{path.relative_to(html)}: {url}")
    assert outside == []


def test_widget_pages_embed_their_state_and_the_local_widget_manager(edition_book):
    html, _ = edition_book
    path = html / "notebooks/00-start/10-self-assessment.html"
    text = path.read_text(encoding="utf-8")
    assert text.count("application/vnd.jupyter.widget-state+json") == 1
    assert text.count("application/vnd.jupyter.widget-view+json") >= 1
    scripts = parse(path).scripts
    assert any(
        s.endswith("pivot-widgets/require-boot.js") or "require-boot.js?" in s for s in scripts
    )
    assert any("pivot-widgets/embed-amd.js" in s for s in scripts)
    for name in ["require-boot.js", "embed-amd.js"]:
        assert (html / "pivot-widgets" / name).stat().st_size > 10_000


def test_published_widget_shows_a_new_learners_state_not_the_builders(edition_book):
    html, _ = edition_book
    text = (html / "notebooks/00-start/10-self-assessment.html").read_text(encoding="utf-8")
    assert "Every statement is still at 3" in text
    assert "Welcome back" not in text and "Saved to your workbook" not in text


def test_glued_numbers_appear_in_the_worked_example(edition_book):
    html, _ = edition_book
    text = (html / "notebooks/00-start/10-self-assessment.html").read_text(encoding="utf-8")
    for value in ["1.67", "3.00", "2.00", "3.67"]:
        assert value in text


def test_every_internal_link_and_image_resolves(edition_book):
    html, _ = edition_book
    broken = []
    for path in pages(html):
        page = parse(path)
        for url in page.links + [i.get("src", "") for i in page.images]:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("//", "mailto:")) or not url:
                continue
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if not target.exists():
                broken.append(f"{path.relative_to(html)} -> {url}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and parts.fragment not in parse(target).ids
            ):
                broken.append(f"{path.relative_to(html)} -> {url} (no such anchor)")
    assert broken == []


def test_every_image_has_alt_text(edition_book):
    html, _ = edition_book
    missing = []
    for path in pages(html):
        for img in parse(path).images:
            if not (img.get("alt") or "").strip():
                missing.append(f"{path.relative_to(html)}: {img.get('src', '')[:60]}")
    assert missing == []


def test_bibliography_lists_the_source_article(edition_book):
    html, _ = edition_book
    text = (html / "book/references.html").read_text(encoding="utf-8")
    assert "Engineers: what to know about pivoting into product management" in text


class _Text(HTMLParser):
    """The text a reader sees: everything outside script, style, pre and code."""

    SKIP = frozenset({"script", "style", "pre", "code", "textarea"})

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


RAW_MARKDOWN = re.compile(r"\]\((?:\.\./|\./|[\w-]+\.md|#)|<!--(?:glue|cite)|\{(?:glue|cite)")


def test_no_page_shows_raw_markdown_or_a_marker(edition_book):
    """Prose whose Markdown was not parsed (e.g. a line that starts with an HTML comment is an
    HTML block) would show links as ``[text](target)``: no page shows any."""
    html, _ = edition_book
    shown = {}
    for path in pages(html):
        text = _Text()
        text.feed(path.read_text(encoding="utf-8"))
        hits = RAW_MARKDOWN.findall(" ".join(text.parts))
        if hits:
            shown[str(path.relative_to(html))] = hits[:3]
    assert shown == {}
