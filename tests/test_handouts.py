"""Workshop handouts (pivot/handouts.py), without a browser: every page of a part is in its
learner handout with its exercise as a form, nothing folded away or meant for instructors leaks
into it, the answer key holds the answers, text is escaped, nothing is loaded from outside, and
the same course gives the same bytes."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import ipywidgets as W
import pytest

from pivot import handouts as ho
from pivot.kit import walk
from pivot.prose import CITE_MARK, GLUE_MARK

PARTS = ho.course_parts()
HIDDEN = re.compile(
    r"^(:{3,})\{(dropdown|instructor-note)\}[^\n]*\n(.*?)^\1[ \t]*$", re.M | re.S
)  # written here independently of the module's own parser


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def visible(markup: str) -> str:
    """The text a reader sees in an HTML file (tags dropped, entities resolved)."""
    markup = re.sub(r"<style>.*?</style>", " ", markup, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return re.sub(r"\s+", " ", text.replace("\u200b", ""))


def plain(markdown: str) -> str:
    """Markdown as its words read: markers resolved, link targets dropped."""
    text = CITE_MARK.sub(lambda m: m.group(3), markdown)
    text = GLUE_MARK.sub(lambda m: m.group(2), text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    return re.sub(r"\]\([^)]*\)", "]", text)


def sentences(markdown: str, min_words: int = 8) -> set[str]:
    pieces = re.split(r"(?<=[.!?:;])[”\"’)*_]*\s+|\n+|\|", plain(markdown))
    pieces = [re.sub(r"^\W*(?:[-*+]|\d+[.)])\s+", "", p) for p in pieces]  # list markers
    return {w for p in pieces if len((w := words(p)).split()) >= min_words}


def page_markdown(docname: str) -> str:
    path = ho.ROOT / f"{docname}.md"
    if path.exists():
        return path.read_text(encoding="utf-8")
    cells = json.loads((ho.ROOT / f"{docname}.ipynb").read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def exercise_cells(docname: str) -> list[str]:
    path = ho.ROOT / f"{docname}.ipynb"
    if not path.exists():
        return []
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found, section = [], ""
    for c in cells:
        source = "".join(c["source"])
        if c["cell_type"] == "markdown":
            headings = re.findall(r"^## (.+)$", source, re.M)
            section = headings[-1] if headings else section
        elif section.lower().startswith("exercise"):
            found.append(source)
            section = ""
    return found


def widget_text(source: str) -> str:
    """Everything the exercise's widgets show a learner in JupyterLab (its questions)."""
    exercise = ho.build_exercise(source)
    texts = []
    for w in walk(exercise.widget):
        if isinstance(w, (W.HTML, W.Label)):
            texts.append(visible(str(w.value)))
        texts.append(str(getattr(w, "description", "") or ""))
        texts.append(str(getattr(w, "placeholder", "") or ""))
        for option in getattr(w, "options", ()) or ():
            texts.append(str(option if isinstance(option, str) else option[0]))
    return words(" ".join(texts))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    handouts = ho.build(out, pdf=False)
    return out, handouts


def files(out: Path, part) -> tuple[str, str]:
    stem = ho.slug(part.name)
    return (
        (out / f"{stem}.html").read_text(encoding="utf-8"),
        (out / f"{stem}-answer-key.html").read_text(encoding="utf-8"),
    )


def test_one_handout_and_one_key_per_teaching_part(built):
    out, handouts = built
    captions = [p.caption for p in PARTS]
    assert captions[0] == "Start here" and captions[-1] == "Making the move"
    assert not {"For instructors", "Reference"} & set(captions)
    assert len(handouts) == 2 * len(PARTS) >= 12
    index = (out / "index.html").read_text(encoding="utf-8")
    for x in handouts:
        assert x.html_path.exists() and x.pdf_path is None
        assert x.html_path.name in index


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.name)
def test_the_learner_handout_has_every_page_and_every_exercise_as_a_form(built, part):
    out, _ = built
    learner, key = files(out, part)
    assert words(part.caption) in words(visible(learner))
    sections = learner.split('<section class="page')[1:]
    assert len(sections) == len(part.pages)
    exercise_pages = 0
    for page, section in zip(part.pages, sections, strict=True):
        assert words(page.title) in words(visible(section)), page.docname
        cells = exercise_cells(page.docname)
        forms = section.split('<div class="form"')[1:]
        assert len(forms) == len(cells), page.docname
        for form in forms:
            assert ho.form_inputs(form) >= 1, f"{page.docname}: a form with nothing to fill in"
        exercise_pages += bool(cells)
        assert words(page.title) in words(visible(key)), page.docname
    assert exercise_pages >= 1


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.name)
def test_no_answer_or_instructor_note_leaks_into_the_learner_handout(built, part):
    out, _ = built
    learner, key = files(out, part)
    learner_words, key_words = f" {words(visible(learner))} ", f" {words(visible(key))} "
    # What a learner sees anyway (the part's prose outside folded blocks, and its exercises'
    # widgets in JupyterLab) is not an answer, even where a key quotes it.
    texts = {page.docname: page_markdown(page.docname) for page in part.pages}
    allowed = set().union(*(sentences(HIDDEN.sub("", t)) for t in texts.values()))
    questions = " ".join(widget_text(c) for d in texts for c in exercise_cells(d))
    checked = 0
    for docname, text in texts.items():
        for block in (m.group(3) for m in HIDDEN.finditer(text)):
            for sentence in sentences(block) - allowed:
                if sentence in questions:
                    continue
                checked += 1
                assert f" {sentence} " not in learner_words, f"{docname} leaks: {sentence}"
                assert f" {sentence} " in key_words, f"{docname} key lacks: {sentence}"
    assert checked >= 10, "too few answer sentences to check: the test would prove nothing"


def test_instructor_notes_and_solutions_never_reach_a_learner(tmp_path):
    secret = "Ask the room which label they would defend against the loudest stakeholder today."
    solution = "The first statement proposes an export, so it names a thing the team would build."
    notebook = {
        "cells": [
            {
                "cell_type": "markdown",
                "source": "# A test page\n\n:::{admonition} Questions\n:class: tip\n- Why?\n"
                ":::\n\n**Time:** teaching 5 min · exercise 5 min",
            },
            {"cell_type": "markdown", "source": f":::{{instructor-note}}\n{secret}\n:::"},
            {"cell_type": "markdown", "source": "## Exercise: order it\n\nDo <kbd>Tab</kbd>."},
            {
                "cell_type": "code",
                "source": "from pivot.exercises import InterviewOrder\n\nInterviewOrder()",
            },
            {
                "cell_type": "markdown",
                "source": "## Self-check\n\nLabel it.\n\n:::{dropdown} Solution\n"
                f"{solution}\n:::\n\n## Reflection\n\nWrite <script>alert(1)</script> here.",
            },
        ]
    }
    path = tmp_path / "page.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    page = ho.read_page(path, "notebooks/test/page")
    learner = ho.learner_page_html(page)
    key = ho.key_page_html(page)
    assert words(secret) not in words(visible(learner))
    assert words(solution) not in words(visible(learner))
    assert words(secret) in words(visible(key)) and words(solution) in words(visible(key))
    assert "Label it." in learner and "Why?" in learner and "<code>Tab</code>" in learner
    assert "<script" not in learner and "&lt;script&gt;alert(1)&lt;/script&gt;" in learner
    assert learner.count('<div class="form"') == 1


def test_markdown_and_widget_html_are_escaped():
    hostile = "Hi <script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:x) & co"
    out = ho.render_markdown(hostile)
    assert "<script" not in out and "<img" not in out and "<a " not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "&amp; co" in out
    clean = ho.sanitise_html(
        '<p style="x" onclick="y">Pick <b>one</b><script>bad()</script>'
        '<img src="http://x/y.png" onerror="z"><svg><text>chart</text></svg> &lt;i&gt;</p>'
    )
    assert clean == "<p>Pick <b>one</b> &lt;i&gt;</p>"


def test_the_static_form_is_built_from_any_widget_tree():
    tree = W.VBox(
        [
            W.HTML("<p>Choose <strong>one</strong></p>"),
            W.RadioButtons(options=["Yes", "No"], description="Agree?"),
            W.Textarea(description="Notes", rows=4),
            W.Text(description="Name", placeholder="your name"),
            W.IntSlider(description="Score", min=1, max=7),
            W.Checkbox(description="Done"),
            W.HBox([W.Button(description="Save now"), W.HTML("")]),
            W.FileUpload(description="CSV"),
        ]
    )
    form = ho.static_form(tree)
    text = visible(form)
    assert "Choose one" in text and "Agree?" in text and "☐ Yes" in text and "☐ No" in text
    assert 'style="height:8em"' in form  # four rows of the text area
    assert "from 1 to 7" in text and "☐ Done" in text and "upload a file in JupyterLab" in text
    assert "Save now" not in text
    assert ho.form_inputs(form) == 2 + 1 + 1 + 1 + 1  # two options, box, line, slider, tick


def test_a_row_per_item_becomes_one_table_and_long_choices_a_legend():
    options = [("— choose —", "")] + [(f"B{n:02}: item {n}", f"B{n:02}") for n in range(1, 13)]
    rows = []
    for n in range(1, 5):
        rows += [
            W.HTML(f"<p>Statement {n}</p>"),
            W.HBox([W.Dropdown(options=options, description=f"S{n} item"), W.Text()]),
        ]
    form = ho.static_form(W.VBox(rows))
    assert form.count("<table") == 1 and form.count("<tr>") == 4 + 1  # a header row
    assert form.count("B07") == 1  # the twelve options, printed once as a legend
    assert "— choose —" not in form


def test_no_file_loads_anything_from_outside(built):
    out, _ = built
    resource = re.compile(
        r"""(?:\bsrc\s*=|<link\b[^>]*href\s*=|@import|url\()\s*["']?\s*(?:https?:)?//""", re.I
    )
    for path in sorted(out.glob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert not resource.search(text), path.name
        assert "<script" not in text and "<link" not in text and "<img" not in text, path.name
        assert re.search(r"\bhref\s*=\s*[\"']?https?:", text) is None, path.name


def test_the_same_course_gives_byte_identical_html(built, tmp_path):
    out, _ = built
    again = ho.build(tmp_path, pdf=False)
    names = sorted(p.name for p in out.glob("*.html"))
    assert names == sorted(p.name for p in tmp_path.glob("*.html"))
    assert len(again) + 1 == len(names)
    for name in names:
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name
