"""Two editions from one source (pivot/editions.py, book/_ext/pivot_book.py): instructor notes
are marked once, one cell each, on every course page; the learner edition and the learners'
notebook copies carry none of them and no instructor page; the instructor edition shows every
note inline, gathers them all on one page, and lays out the four schedules."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
import yaml

from pivot import editions, hub, lab

ROOT = Path(__file__).resolve().parent.parent


def toc_docs() -> tuple[str, list[tuple[str, str]]]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return toc["root"], [(p["caption"], c["file"]) for p in toc["parts"] for c in p["chapters"]]


def source(doc: str) -> Path:
    for ext in (".md", ".ipynb"):
        if (ROOT / f"{doc}{ext}").exists():
            return ROOT / f"{doc}{ext}"
    raise AssertionError(doc)


def prose(path: Path) -> str:
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


ROOT_DOC, DOCS = toc_docs()  # the root page, the welcome, introduces the course: no note
COURSE_PAGES = [
    doc for caption, doc in DOCS if caption not in (editions.INSTRUCTOR_PART, "Reference")
]
NOTES = {doc: editions.notes_in(prose(source(doc))) for doc in COURSE_PAGES}


def sentences(text: str) -> list[str]:
    """The note's sentences of eight words or more, as plain text (markup dropped)."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`]", "", text)
    found = []
    for s in re.split(r"(?<=[.?!])\s+", " ".join(text.split())):
        if len(s.split()) >= 8:
            found.append(s)
    return found


def plain_html(path: Path) -> str:
    text = re.sub(
        r"<script.*?</script>|<style.*?</style>", " ", path.read_text("utf-8"), flags=re.S
    )
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.replace("\u2019", "'").replace("\u201c", '"').split())


def norm(text: str) -> str:
    quotes = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}
    for a, b in quotes.items():
        text = text.replace(a, b)
    text = " ".join(text.split())
    return re.sub(r"\s+([,.;:!?)])", r"\1", text).replace("( ", "(")  # tags became spaces


# --- the source --------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", COURSE_PAGES)
def test_every_course_page_has_one_instructor_note_of_its_own(doc):
    notes = NOTES[doc]
    assert len(notes) == 1, f"{doc}: {len(notes)} instructor notes"
    words = len(notes[0].split())
    assert 60 <= words <= 250, f"{doc}: a note of {words} words"
    for label in ("**Running it.**", "**Watch for.**", "**Debrief.**"):
        assert label in notes[0], f"{doc}: no {label}"
    path = source(doc)
    if path.suffix == ".ipynb":
        assert editions.misplaced_notes(path) == []


def test_a_note_must_be_a_cell_of_its_own():
    note = {"cell_type": "markdown", "source": ":::{instructor-note}\nSay hello.\n:::"}
    mixed = {"cell_type": "markdown", "source": "## Exercise\n\n:::{instructor-note}\nHi.\n:::"}
    trailing = {"cell_type": "markdown", "source": ":::{instructor-note}\nHi.\n:::\n\nMore text."}
    code = {"cell_type": "code", "source": ":::{instructor-note}\nHi.\n:::"}
    assert editions.is_instructor_note(note)
    assert not editions.is_instructor_note(mixed)
    assert not editions.is_instructor_note(trailing)
    assert not editions.is_instructor_note(code)


def test_misplaced_notes_are_named_by_cell(tmp_path):
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Title"]},
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": ["Text\n", ":::{instructor-note}\n", "x\n", ":::"],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "page.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert editions.misplaced_notes(path) == ["cell 1"]


def test_the_learners_copy_of_a_notebook_has_every_cell_but_the_note():
    path = ROOT / "notebooks/10-shift1/20-problem-or-solution.ipynb"
    text = path.read_text(encoding="utf-8")
    before = json.loads(text)["cells"]
    after = json.loads(editions.learner_notebook(text))["cells"]
    assert len(after) == len(before) - 1
    assert [c for c in before if not editions.is_instructor_note(c)] == after
    assert "instructor-note" not in json.dumps(after)
    # a notebook without notes comes back unchanged, byte for byte
    plain = json.dumps({"cells": after, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    assert editions.learner_notebook(plain) == plain


def test_make_lab_and_the_hub_copy_the_notebooks_without_the_notes(tmp_path):
    report = lab.working_copy(tmp_path / "lab")
    assert report.added
    hub.copy_notebooks(tmp_path / "hub")
    for folder in ("lab", "hub"):
        copies = sorted((tmp_path / folder).rglob("*.ipynb"))
        assert copies
        for nb in copies:
            assert "instructor-note" not in nb.read_text(encoding="utf-8"), nb
    assert not (tmp_path / "hub" / "instructor").exists()
    # what the learner has is kept: a second run adds nothing and changes nothing
    mine = tmp_path / "lab" / "10-shift1" / "20-problem-or-solution.ipynb"
    mine.write_text(mine.read_text(encoding="utf-8").replace("Problem or solution", "Mine"))
    again = lab.working_copy(tmp_path / "lab")
    assert again.added == [] and "Mine" in mine.read_text(encoding="utf-8")


def test_the_learner_toc_is_the_toc_without_the_instructor_part(tmp_path):
    toc = editions.learner_toc()
    captions = [p["caption"] for p in toc["parts"]]
    assert editions.INSTRUCTOR_PART not in captions
    full = [p["caption"] for p in yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]]
    assert captions == [c for c in full if c != editions.INSTRUCTOR_PART]
    path = editions.write_toc("learner", tmp_path)
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == toc
    assert editions.write_toc("instructor", tmp_path) == ROOT / "_toc.yml"


def test_a_plain_jupyter_book_build_with_the_instructor_pages_is_refused(tmp_path):
    """`jupyter-book build .` builds the learner edition's settings with the whole _toc.yml:
    it must stop before it reads a page, naming the pages and the two make targets."""
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run(
        [str(jb), "build", str(ROOT), "--path-output", str(tmp_path), "-W", "-n"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "book/instructors" in out and "make instructor" in out
    assert not (tmp_path / "_build" / "html" / "book" / "instructors.html").exists()


def test_an_unknown_edition_is_refused_with_the_choices():
    with pytest.raises(SystemExit, match="learner or instructor"):
        editions.build("teacher")


# --- the built editions ------------------------------------------------------------------------


@pytest.mark.book
def test_nothing_for_instructors_reaches_the_learner_edition(built_book):
    html, _ = built_book
    files = sorted(html.rglob("*.html"))
    assert len(files) > 20
    for doc in editions.instructor_docs():
        assert not (html / f"{doc}.html").exists(), doc
    texts = {f: plain_html(f) for f in files}
    raw = {f: f.read_text(encoding="utf-8") for f in files}
    index = (html / "searchindex.js").read_text(encoding="utf-8")
    leaks = []
    for f, text in raw.items():
        if "pivot-instructor-note" in text or "Instructor note" in text:
            leaks.append(f"{f.relative_to(html)}: an instructor-note box")
        for doc in editions.instructor_docs():
            name = doc.rsplit("/", 1)[-1]
            if re.search(rf'href="[^"]*{re.escape(name)}\.html', text):
                leaks.append(f"{f.relative_to(html)}: a link to {name}.html")
    checked = 0
    for notes in NOTES.values():
        for note in notes:
            for s in sentences(note):
                checked += 1
                for f, text in texts.items():
                    if norm(s) in norm(text):
                        leaks.append(f"{f.relative_to(html)}: {s[:60]}")
                if norm(s)[:40] in norm(index):
                    leaks.append(f"searchindex.js: {s[:60]}")
    assert checked > 100
    assert leaks == []


@pytest.mark.book
def test_the_instructor_edition_shows_each_note_on_its_page_and_all_on_one(built_instructor_book):
    html, _ = built_instructor_book
    gathered = plain_html(html / "book" / "instructor-notes.html")
    for doc, notes in NOTES.items():
        page = (html / f"{doc}.html").read_text(encoding="utf-8")
        boxes = re.findall(r'<div class="[^"]*\bpivot-instructor-note\b[^"]*"', page)
        assert len(boxes) == len(notes), doc
        text = plain_html(html / f"{doc}.html")
        for note in notes:
            for s in sentences(note):
                assert norm(s) in norm(text), (doc, s)
                assert norm(s) in norm(gathered), (doc, s)
    # the gathered page follows the course: parts in order, each page's title before its note
    titles = [
        t for t in re.findall(r"<h3>(.*?)<a", (html / "book/instructor-notes.html").read_text())
    ]
    assert len(titles) == sum(1 for n in NOTES.values() if n)


@pytest.mark.book
def test_the_schedules_page_lays_out_four_workshops(built_instructor_book):
    html, _ = built_instructor_book
    text = norm(plain_html(html / "book" / "schedules.html"))
    for name in ("90-minute taster", "Half day", "Full day", "Day 1", "Day 2"):
        assert f"{name}," in text, name
    assert text.count("Follow-up work after the") == 4
    assert "14:00" in text and "09:00" in text and "Lunch" in text


def test_the_learner_tree_for_nbgitpuller_has_no_instructor_page_or_note(tmp_path):
    import shutil

    for name in ("book", "notebooks"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    changed = editions.make_learner_tree(tmp_path)
    assert any(c.startswith("deleted book/instructors.md") for c in changed)
    for doc in editions.instructor_docs(ROOT):
        assert not list(tmp_path.glob(f"{doc}.*")), doc
    assert editions.instructor_docs(tmp_path) == []
    pages = [p for p in tmp_path.rglob("*") if p.suffix in (".md", ".ipynb")]
    assert len(pages) >= 30
    left = [p for p in pages if "instructor-note" in p.read_text(encoding="utf-8")]
    assert left == []
    # the pages keep everything else: the four shifts' page only lost its note
    before = (ROOT / "book/four-shifts.md").read_text(encoding="utf-8")
    after = (tmp_path / "book/four-shifts.md").read_text(encoding="utf-8")
    assert editions.notes_in(after) == [] and len(after) < len(before)
    assert editions.learner_markdown(after) == after
    assert [line for line in before.splitlines() if "instructor-note" not in line][
        :5
    ] == after.splitlines()[:5]
    assert editions.main(["learner-tree"]) == 2  # refuses without --yes, changing nothing
