"""notebooks/10-shift1/40-problem-statement.ipynb, driven headlessly as a learner would."""

from __future__ import annotations

import pytest

from pivot import data
from pivot.exercises import ProblemStatement
from pivot.exercises.problem_statement import WorkedStatement
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

GOOD = {
    "who": "Dispatchers at residential HVAC firms",
    "needs": "to know about a change to the day's schedule before technicians drive to the job",
    "because": "a missed change costs a wasted trip and an angry customer",
    "evidence": "I01, I22, I34",
}


@pytest.fixture
def ex(workbook_path):
    return ProblemStatement(Workbook(workbook_path))


def write(ex, fields):
    for key, value in fields.items():
        ex.inputs[key].value = value


def test_starts_empty_with_labelled_inputs(ex):
    assert [w.description for w in ex.inputs.values()] == [
        "Who",
        "need(s)",
        "because",
        "Evidence (ids)",
    ]
    assert ex.feedback.heading == "Checks: nothing written yet"


def test_a_good_statement_passes_every_check(ex):
    write(ex, GOOD)
    assert ex.feedback.heading == "Checks passed: 6 of 6"
    assert "Cites 3 snippets (I01, I22, I34)" in ex.feedback.text
    assert "A problem statement the team can act on" in ex.feedback.text
    assert "Dispatchers at residential HVAC firms need to know" in ex.preview.value  # agrees
    assert "I22" in ex.evidence_view.value and "pull down to refresh" in ex.evidence_view.value


def test_a_solution_in_disguise_is_explained(ex):
    write(ex, GOOD | {"needs": "a live map view of every truck"})
    text = ex.feedback.text
    assert ex.feedback.heading == "Checks passed: 4 of 6"
    assert "Solution left open: Prescribes a solution (in needs: 'need a live map')" in text
    assert "Naming the product people use is fine" in text
    assert "A need, not a request: The need reads like a feature request" in text


def test_partly_done_statement_says_what_is_missing(ex):
    write(ex, {"who": "people", "evidence": "I01"})
    text = ex.feedback.text
    assert "Who: Name a customer segment or role" in text
    assert "Complete: Fill in needs and because" in text
    assert "Cite at least 2 snippet ids" in text


def test_unknown_snippet_ids_are_named(ex):
    write(ex, GOOD | {"evidence": "I01, I22, I99, I500"})
    assert "Not in the interviews: I99, I500" in ex.feedback.text
    assert "I99" not in ex.evidence_view.value


def test_over_long_field_fails_the_length_check_and_huge_text_is_not_saved(ex, workbook_path):
    write(ex, GOOD)
    ex.inputs["because"].value = "b" * 600
    assert "Length: Keep each field to 500 characters; too long: because (600)" in ex.feedback.text
    ex.inputs["because"].value = "b" * (MAX_TEXT_CHARS + 1)
    assert "'because' is 20,001 characters long" in ex.save_control.text
    assert len(ex.inputs["because"].value) == MAX_TEXT_CHARS + 1
    assert Workbook(workbook_path).get("shift1.problem_statement")["because"] == "b" * 600


def test_html_is_escaped_in_preview_feedback_and_evidence(ex):
    write(ex, GOOD | {"who": "<script>alert(1)</script> dispatchers"})
    shown = ex.preview.value + ex.feedback.widget.value + ex.evidence_view.value
    assert "<script>" not in shown and "&lt;script&gt;" in ex.preview.value


def test_statement_survives_a_restart(ex, workbook_path):
    write(ex, GOOD)
    ex.reflection.value = "Owners need to get paid faster"
    again = ProblemStatement(Workbook(workbook_path))
    assert again.values() == GOOD and again.reflection.value == "Owners need to get paid faster"
    assert again.feedback.heading == "Checks passed: 6 of 6"


def test_damaged_saved_answer(workbook_path):
    Workbook(workbook_path).save("shift1.problem_statement", {"who": 5, "needs": "to be paid"})
    ex = ProblemStatement(Workbook(workbook_path))
    assert ex.inputs["needs"].value == "to be paid" and ex.inputs["who"].value == ""
    assert "could not be used" in ex.save_control.status.value


def test_markdown_export(ex, workbook_path):
    write(ex, GOOD)
    md = Workbook(workbook_path).export_markdown()
    assert "> Dispatchers at residential HVAC firms need to know" in md
    assert "Checks passed: 6 of 6." in md


MODEL = dict(
    who="Dispatchers and field technicians at residential HVAC firms",
    needs="to know about a change to the day's schedule before the technician drives to the job",
    because="a missed change costs a wasted drive of up to an hour while the next customer waits",
    evidence="I01, I22",
)


def test_worked_examples_match_the_page():
    good = WorkedStatement(**MODEL)
    assert (good.passed, len(good.checks), len(good.cited)) == (6, 6, 2)
    assert good.sentence.startswith(
        "Dispatchers and field technicians at residential HVAC firms need to know"
    )
    faded = WorkedStatement(
        "Technicians", "a push notification when the schedule changes", "they miss changes", "I22"
    )
    assert faded.passed == 3
    assert (
        faded.table().to_html()
        == WorkedStatement(
            "Technicians",
            "a push notification when the schedule changes",
            "they miss changes",
            "I22",
        )
        .table()
        .to_html()
    )


def test_model_statement_who_and_evidence_are_the_same_segment_and_roles():
    customers = data.load("customers").set_index("customer_id")
    interviews = data.load("interviews").set_index("snippet_id")
    cited = WorkedStatement(**MODEL).cited
    segments = {customers.loc[interviews.loc[s, "customer_id"], "segment"] for s in cited}
    roles = {interviews.loc[s, "speaker_role"] for s in cited}
    assert segments == {"residential HVAC"} and "residential HVAC" in MODEL["who"]
    assert roles == {"dispatcher", "field technician"}
    assert all(interviews.loc[s, "pain_point"] == "schedule_changes_not_seen" for s in cited)


def test_model_statement_wraps_as_prose():
    html = WorkedStatement(**MODEL).quote().data
    assert html.startswith("<blockquote") and "white-space:normal" in html
    assert "<pre" not in html and "Evidence: I01, I22." in html


def test_self_check_answer_holds():
    s = WorkedStatement(
        "Small plumbing firm owners",
        "better reporting on unpaid jobs",
        "cash is late",
        "I10, I16, I99",
    )
    failed = {c.name for c in s.checks if not c.passed}
    assert failed == {"no_solution_words", "not_a_request", "evidence"}
