"""The export a learner keeps: both files written, titles not ids, verdicts, attempts, escaped."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser

import pytest

from pivot import data, export
from pivot import workbook as wbmod
from pivot.exercises import ProblemOrSolution, SelfAssessment, WhoseRisk
from pivot.workbook import Workbook

DAY = dt.date(2027, 3, 4)
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"


@pytest.fixture
def out(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    monkeypatch.setenv("PIVOT_EXPORT_DIR", str(folder))
    monkeypatch.setenv("PIVOT_LEARNER", "Ada Lovelace")
    return folder


def _files(result):
    return (
        result.markdown_path.read_text(encoding="utf-8"),
        result.html_path.read_text(encoding="utf-8"),
    )


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]


def _parsed(page):
    p = _Tags()
    p.feed(page)
    return p


def test_export_writes_markdown_and_html_to_the_export_folder_and_says_where(workbook, out):
    workbook.save("start.self_assessment", {"v": 1}, title="Self", markdown="done")
    result = export.export(workbook=workbook, today=DAY)
    assert result.ok
    assert result.markdown_path == out / "my-pivot-workbook.md"
    assert result.html_path == out / "my-pivot-workbook.html"
    md, page = _files(result)
    assert md.startswith("# The Pivot: my workbook\n")
    assert "Learner: Ada Lovelace" in md and "Exported: 2027-03-04" in md
    assert "<title>The Pivot: my workbook</title>" in page and "2027-03-04" in page
    shown = result._repr_html_()
    assert "my-pivot-workbook.md" in shown and "my-pivot-workbook.html" in shown
    assert "# The Pivot" not in shown and "done" not in shown  # a message, not the Markdown
    assert str(out) in repr(result) and "\\n" not in repr(result)


def test_the_message_in_the_notebook_is_deterministic(workbook, out):
    workbook.save("x", {"v": 1}, title="X", markdown="m")
    first = export.export(workbook=workbook, today=dt.date(2027, 1, 1))
    second = export.export(workbook=workbook, today=dt.date(2028, 12, 31))
    assert first._repr_html_() == second._repr_html_() and repr(first) == repr(second)
    assert "2027" not in first._repr_html_() and "2028" not in second._repr_html_()


def test_links_are_relative_when_the_export_is_under_the_current_folder(
    workbook, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    result = export.export(tmp_path / "sub", workbook=workbook, today=DAY)
    hrefs = [v for _t, k, v in _parsed(result._repr_html_()).attrs if k == "href"]
    assert hrefs == ["sub/my-pivot-workbook.html", "sub/my-pivot-workbook.md"]


def test_one_friendly_step_from_the_workbook_module(out, workbook_path):
    try:
        wbmod.use(workbook_path).save("x", {"v": 1}, title="X", markdown="hello")
        result = wbmod.export()
        assert result.ok and "hello" in result.markdown_path.read_text(encoding="utf-8")
        assert wbmod.export_markdown(None).startswith("# My Pivot workbook")  # still works
    finally:
        wbmod.use(None)


def test_exercises_are_in_course_order_whatever_order_they_were_saved_in(workbook, out):
    order = export.course_order()
    ids = [i for i, _ in order]
    # read from _toc.yml: the self-assessment opens the course, whose-risk ends Shift 3 so far
    assert ids[0] == SelfAssessment.exercise_id
    assert ids.index(ProblemOrSolution.exercise_id) < ids.index(WhoseRisk.exercise_id)
    WhoseRisk(workbook).reflection.value = "risk note"
    ProblemOrSolution(workbook).reflection.value = "statement note"
    SelfAssessment(workbook).note.value = "self note"
    md, page = _files(export.export(workbook=workbook, today=DAY))
    heads = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert heads[:3] == [SelfAssessment.title, ProblemOrSolution.title, WhoseRisk.title]
    assert heads[3] == "Not started yet"
    not_started = md.split("## Not started yet", 1)[1]
    for exercise_id, title in order:
        if exercise_id not in workbook.entries():
            assert f"- {title}" in not_started
    assert page.index(SelfAssessment.title) < page.index(WhoseRisk.title)


def test_without_a_table_of_contents_the_workbook_order_is_used(workbook, tmp_path):
    assert export.course_order(tmp_path) == []
    workbook.save("b", {"v": 1}, title="Second", markdown="b")
    workbook.save("a", {"v": 1}, title="First saved later", markdown="a")
    doc = export.build(workbook, order=[], titles={}, today=DAY, learner="L")
    assert [s.title for s in doc.sections] == ["Second", "First saved later"]


def test_item_ids_are_replaced_by_the_titles_of_the_data_sets(workbook, out):
    backlog = data.load("backlog").set_index("item_id")["title"]
    concerns = data.load("risk_concerns").set_index("concern_id")["concern"]
    pain = data.load("pain_point_reference").set_index("pain_point")["label"]
    key = next(iter(pain.index))
    workbook.save(
        "shift3.x",
        {},
        title="Ids",
        markdown=(
            f"1. B03\n2. B01: {backlog['B01']}\n- RC02: feasibility\n- {key}\n> B03 in my words"
        ),
    )
    md, page = _files(export.export(workbook=workbook, today=DAY))
    assert f"1. {backlog['B03']} (B03)" in md
    assert f"2. B01: {backlog['B01']}\n" in md  # already titled: not repeated
    assert f"- {concerns['RC02'][:60]}" in md and "(RC02): feasibility" in md
    assert f"- {pain[key]}\n" in md and key not in md.replace("> B03", "")
    assert "> B03 in my words" in md  # the learner's quoted words are left as written
    assert backlog["B03"] in page


def test_verdicts_and_their_reasons_are_exported_from_what_the_panel_said(workbook, out):
    ex = ProblemOrSolution(workbook)
    wrong = "problem" if ex.key["P01"] == "solution" else "solution"
    ex.inputs["P01"].value = wrong
    saved = workbook.entries()[ProblemOrSolution.exercise_id]["feedback"]
    assert saved and saved[0]["heading"] == ex.feedback.heading
    assert [m["text"] for m in saved[0]["messages"]] == [m.text for m in ex.feedback.messages]
    md, page = _files(export.export(workbook=workbook, today=DAY))
    assert f"**Feedback:** {ex.feedback.heading}" in md
    titles = export.item_titles()
    checks = [m for m in ex.feedback.messages if m.level == "warn"]
    assert checks, "a wrong label should give a Check with its reason"
    for m in ex.feedback.messages:
        said = " ".join(export._with_titles(f"{m.text} {m.detail}".strip(), titles).split())
        assert f"- {m.level and export._LEVEL_WORDS[m.level]}: {said}" in md
    statement = data.load("problem_or_solution").set_index("statement_id")["statement"]["P01"]
    assert statement[:60] in checks[0].text or statement[:60] in md.split("**Feedback:**")[1]
    assert "Check:" in page and checks[0].text.split(":")[0] in page


def test_every_attempt_is_exported_oldest_first(workbook, out):
    workbook.save("start.self_assessment", {"v": 1}, title="Self", markdown="first try")
    workbook.new_attempt("start.self_assessment")
    workbook.save("start.self_assessment", {"v": 2}, title="Self", markdown="second try")
    md, page = _files(export.export(workbook=workbook, today=DAY))
    assert md.index("### Attempt 1") < md.index("first try") < md.index("### Attempt 2 (latest)")
    assert md.index("### Attempt 2 (latest)") < md.index("second try")
    assert page.count('class="attempt"') == 2


def test_a_retaken_exercise_not_yet_answered_again_still_shows_the_earlier_attempt(workbook, out):
    workbook.save("start.self_assessment", {"v": 1}, title="Self", markdown="first try")
    workbook.new_attempt("start.self_assessment")
    md, _ = _files(export.export(workbook=workbook, today=DAY))
    assert "first try" in md and "(latest)" not in md


def test_a_malformed_entry_is_reported_and_the_rest_exported(workbook_path, out):
    workbook_path.parent.mkdir(parents=True)
    doc = {
        "format": "pivot-workbook",
        "version": 1,
        "exercises": {
            "start.self_assessment": {
                "title": "S",
                "answer": {},
                "markdown": "kept",
                "feedback": 7,
            },
            "shift1.problem_or_solution": {"title": "P", "answer": {}, "attempts": [3]},
            "shift3.whose_risk": {"title": "W", "answer": {"v": 1}, "markdown": "also kept"},
            "shift3.what_not_how": {"title": "N", "answer": {"v": 1}, "markdown": "fine"},
        },
    }
    workbook_path.write_text(json.dumps(doc), encoding="utf-8")
    wb = Workbook(workbook_path)
    result = export.export(workbook=wb, today=DAY)
    md, page = _files(result)
    assert result.ok and len(result.problems) == 2
    assert "'start.self_assessment' could not be exported: its saved feedback is int" in md
    assert "'shift1.problem_or_solution' could not be exported: attempt 1 is int" in md
    assert "also kept" in md and "fine" in md and "kept" in page
    assert "2 damaged entries were left out" in repr(result)
    assert "2 damaged entries were left out" in result._repr_html_()


def test_old_entries_without_feedback_or_attempts_export(workbook_path, out):
    workbook_path.parent.mkdir(parents=True)
    entry = {"title": "Old", "answer": {"v": 1}, "markdown": "from last year"}
    doc = {"format": "pivot-workbook", "version": 1, "exercises": {"old.one": entry}}
    workbook_path.write_text(json.dumps(doc), encoding="utf-8")
    md, _ = _files(export.export(workbook=Workbook(workbook_path), today=DAY))
    assert "## Old\n\nfrom last year" in md


def test_learner_text_is_escaped_in_html_and_inert_in_markdown(workbook, out, monkeypatch):
    monkeypatch.setenv("PIVOT_LEARNER", HOSTILE)
    feedback = [{"label": "F", "heading": HOSTILE, "messages": [{"level": "x", "text": HOSTILE}]}]
    workbook.save("x", {}, title=HOSTILE, markdown=f"{HOSTILE}\n> {HOSTILE}", feedback=feedback)
    md, page = _files(export.export(workbook=workbook, today=DAY))
    tags = _parsed(page)
    assert "script" not in tags.tags and "img" not in tags.tags and "a" not in tags.tags
    assert not [a for a in tags.attrs if a[1].startswith("on")]
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in md and "<img" not in md and "javascript:" not in md
    assert "&lt;script>alert(1)&lt;/script>" in md


def test_html_is_standalone_and_prints_well(workbook, out):
    workbook.save("x", {}, title="X", markdown="| a | b |\n| --- | --- |\n| 1 | 2 |")
    _, page = _files(export.export(workbook=workbook, today=DAY))
    tags = _parsed(page)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert {"script", "link", "img", "iframe", "object"}.isdisjoint(tags.tags)
    assert not [a for a in tags.attrs if a[1] in ("src", "href")]
    assert "@media print" in page and "break-inside: avoid" in page
    assert "<table>" in page and "<td>2</td>" in page  # Markdown rendered, not shown raw


def test_an_unwritable_folder_gives_a_message_not_an_error(workbook, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = export.export(blocker / "sub", workbook=workbook, today=DAY)
    assert not result.ok and "Not exported" in result.message and str(blocker) in result.message
    assert "Not exported" in result._repr_html_()


def test_an_empty_workbook_exports_and_says_so(out):
    md, _ = _files(export.export(workbook=Workbook(None), today=DAY))
    assert "_No answers saved yet._" in md and "## Not started yet" in md
