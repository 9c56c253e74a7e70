"""Numbers and citations in the prose read right in JupyterLab and in the book (pivot.prose):
the rendered text sits in the Markdown between markers, and stays equal to its source."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from support import ROOT

from pivot import prose

REFS = {
    "cagan2017inspired": prose.Reference("cagan2017inspired", "Cagan", "2017"),
    "rozenfeld": prose.Reference("rozenfeld", "Rozenfeld", "n.d."),
    "cj": prose.Reference("cj", "Cagan and Jones", "2020"),
}


def notebooks() -> list[Path]:
    return sorted(
        p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )


def prose_sources() -> list[tuple[Path, str]]:
    """(path, Markdown text) for every notebook's Markdown cells and every book page."""
    out = []
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        out.append((path, "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")))
    for path in sorted((ROOT / "book").glob("*.md")):
        out.append((path, path.read_text(encoding="utf-8")))
    return out


# --- the functions ---------------------------------------------------------------------------
def test_citations_render_author_year_with_a_link_to_the_entry():
    link = "../../book/references.md"
    assert prose.render_citation("t", ["cagan2017inspired"], REFS, link) == (
        "[Cagan (2017)](../../book/references.md#ref-cagan2017inspired)"
    )
    assert prose.render_citation("p", ["cagan2017inspired", "rozenfeld"], REFS, link) == (
        "([Cagan, 2017](../../book/references.md#ref-cagan2017inspired); "
        "[Rozenfeld, n.d.](../../book/references.md#ref-rozenfeld))"
    )
    with pytest.raises(KeyError, match="nosuch"):
        prose.render_citation("p", ["nosuch"], REFS, link)


def test_roles_become_markers_and_markers_are_refreshed():
    values = {"n": "42", "score": "3.14159", "title": "'Fix *this* | now'"}

    def glue(key, spec):
        return prose.format_glue(values[key], spec)

    text = "We have {glue:text}`n` items; {glue:text}`score:.2f` and {cite:t}`cagan2017inspired`."
    once = prose.sync_text(text, glue=glue, refs=REFS, link="r.md")
    assert once == (
        "We have <!--glue n-->42<!--/glue--> items; <!--glue score:.2f-->3.14<!--/glue--> and "
        "<!--cite:t cagan2017inspired-->[Cagan (2017)](r.md#ref-cagan2017inspired)<!--/cite-->."
    )
    assert prose.sync_text(once, glue=glue, refs=REFS, link="r.md") == once  # idempotent
    values["n"] = "43"
    assert "<!--glue n-->43<!--/glue-->" in prose.sync_text(once, glue=glue, refs=REFS, link="r.md")
    # learner-facing text from the data is escaped for Markdown (no emphasis, no table cell)
    titled = prose.sync_text("{glue:text}`title`", glue=glue, refs=REFS, link="r.md")
    assert titled == r"<!--glue title-->Fix \*this\* \| now<!--/glue-->"
    # without a run, glue markers keep their text; citations are still refreshed
    stale = "<!--glue n-->7<!--/glue--> <!--cite:p cj-->(old)<!--/cite-->"
    assert prose.sync_text(stale, glue=None, refs=REFS, link="r.md") == (
        "<!--glue n-->7<!--/glue--> "
        "<!--cite:p cj-->([Cagan and Jones, 2020](r.md#ref-cj))<!--/cite-->"
    )


def test_a_marker_never_starts_a_line():
    """CommonMark reads a line that starts with a comment as raw HTML: its link would show."""
    bad = "- <!--cite:t k-->[K (1)](r.md#ref-k)<!--/cite--> on RICE\n1. <!--glue a-->1<!--/glue-->"
    assert len(prose.markers_at_line_start(bad)) == 2
    assert len(prose.markers_at_line_start("> <!--glue a-->1<!--/glue--> quoted")) == 1
    good = "- On RICE: <!--cite:t k-->[K](r.md#ref-k)<!--/cite-->\nScore <!--glue a-->1<!--/glue-->"
    assert prose.markers_at_line_start(good) == []


def test_glued_values_are_read_from_an_executed_notebook():
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "metadata": {"scrapbook": {"name": "wk_n", "mime_prefix": ""}},
                        "data": {"text/plain": ["12"]},
                    },
                    {
                        "output_type": "display_data",
                        "metadata": {
                            "scrapbook": {
                                "name": "wk_hidden",
                                "mime_prefix": "application/papermill.record/",
                            }
                        },
                        "data": {"application/papermill.record/text/plain": "'B01'"},
                    },
                    {"output_type": "stream", "text": "ignored"},
                ],
            }
        ]
    }
    assert prose.glued_values(nb) == {"wk_n": "12", "wk_hidden": "'B01'"}


def test_bibliography_names_and_years():
    refs = prose.load_references()
    assert refs["cagan2017inspired"].authors == "Cagan" and refs["cagan2017inspired"].year == "2017"
    assert refs["cagan2020empowered"].authors == "Cagan and Jones"
    assert all(r.year for r in refs.values())


# --- the course's pages ----------------------------------------------------------------------
@pytest.mark.parametrize("path,text", prose_sources(), ids=lambda v: getattr(v, "name", ""))
def test_no_role_that_jupyterlab_would_show_as_a_key(path, text):
    assert not prose.GLUE_ROLE.search(text), f"{path.name}: run `make prose`"
    assert not prose.CITE_ROLE.search(text), f"{path.name}: run `make prose`"
    assert "<!--glue" not in prose.GLUE_MARK.sub("", text), f"{path.name}: unclosed glue marker"
    assert prose.markers_at_line_start(text) == [], f"{path.name}: put a word before the marker"
    assert "<!--cite" not in prose.CITE_MARK.sub("", text), f"{path.name}: unclosed cite marker"


@pytest.mark.parametrize("path,text", prose_sources(), ids=lambda v: getattr(v, "name", ""))
def test_citations_match_the_bibliography(path, text):
    refs = prose.load_references()
    link = prose.references_link(path)
    for m in prose.CITE_MARK.finditer(text):
        keys = m.group(2).split(",")
        expected = prose.render_citation(m.group(1), keys, refs, link)
        assert m.group(3) == expected, f"{path.name}: {m.group(0)[:80]} (run `make prose`)"


@pytest.mark.book
def test_numbers_in_the_prose_equal_what_the_notebooks_compute(built_book, built_instructor_book):
    from pivot.editions import instructor_docs

    instructor = {f"{d}.ipynb" for d in instructor_docs()}
    checked = 0
    for path in notebooks():
        # the instructor's notebooks are built in the instructor edition only
        rel = path.relative_to(ROOT).as_posix()
        html, _ = built_instructor_book if rel in instructor else built_book
        executed_root = html.parent / "jupyter_execute"
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        marks = list(prose.GLUE_MARK.finditer(text))
        if not marks:
            continue
        # myst-nb moves what a notebook glued out of the executed copy into <name>.glue.json
        glued = (executed_root / path.relative_to(ROOT)).with_suffix(".glue.json")
        assert glued.exists(), f"the build did not keep {glued}"
        values = {
            k: "".join(v["data"]["text/plain"])
            for k, v in json.loads(glued.read_text(encoding="utf-8")).items()
        }
        for m in marks:
            key, spec = prose.split_glue_key(m.group(1))
            assert key in values, f"{path.name}: nothing is glued as {key!r}"
            want = prose.markdown_escape(prose.format_glue(values[key], spec))
            assert m.group(2) == want, f"{path.name}: {key} shows {m.group(2)!r}, computes {want!r}"
            checked += 1
    assert checked >= 50
