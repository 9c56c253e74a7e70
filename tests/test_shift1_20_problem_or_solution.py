"""notebooks/10-shift1/20-problem-or-solution.ipynb, driven headlessly as a learner would."""

from __future__ import annotations

import pytest

from pivot import data
from pivot.exercises import ProblemOrSolution
from pivot.exercises.problem_or_solution import WorkedSorting
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

KEY = dict(
    zip(
        data.load("problem_or_solution")["statement_id"],
        data.load("problem_or_solution")["label"],
        strict=True,
    )
)
FLIP = {"problem": "solution", "solution": "problem"}


@pytest.fixture
def ex(workbook_path):
    return ProblemOrSolution(Workbook(workbook_path))


def label(ex, labels):
    for sid, value in labels.items():
        ex.inputs[sid].value = value


def test_starts_unanswered_with_labelled_inputs(ex):
    assert len(ex.inputs) == 15
    assert all(t.value == "" and t.description == sid for sid, t in ex.inputs.items())
    assert ex.feedback.heading == "Score: 0 of 15 right (0 labelled)"
    assert "feedback appears as you go" in ex.feedback.text
    assert all(h.value == "" for h in ex.item_feedback.values())
    assert ex.save_control.text == ""


def test_all_correct_scores_15_and_says_so(ex):
    label(ex, KEY)
    assert ex.feedback.heading == "Score: 15 of 15 right (15 labelled)"
    assert "All fifteen right" in ex.feedback.text
    assert "Right, a problem." in ex.item_feedback["P02"].value


def test_a_solution_called_a_problem_names_the_feature_request_misconception(ex):
    label(ex, {"P03": "problem", "P02": "problem"})
    text = ex.feedback.text
    assert ex.feedback.heading == "Score: 1 of 15 right (2 labelled)"
    assert "Solutions you called problems: P03." in text
    assert "Treating a feature request as the customer's need" in text
    assert "13 statement(s) still at 'Not yet'" in text
    item = ex.item_feedback["P03"].value
    assert "Not quite: this is a solution, not a problem." in item
    assert "reporting is a thing to build" in item  # the reason from the data


def test_a_problem_called_a_solution_names_the_tech_words_misconception(ex):
    label(ex, {"P06": "solution"})
    assert "Problems you called solutions: P06." in ex.feedback.text
    assert "mentions technology" in ex.feedback.text


def test_all_wrong_scores_zero_and_explains_both_mistakes(ex):
    label(ex, {s: FLIP[v] for s, v in KEY.items()})
    assert ex.feedback.heading == "Score: 0 of 15 right (15 labelled)"
    assert "feature request" in ex.feedback.text and "mentions technology" in ex.feedback.text


def test_answers_survive_a_restart(ex, workbook_path):
    label(ex, {"P01": "solution", "P02": "problem"})
    ex.reflection.value = "Sales asks for a map; the problem is arrival times."
    again = ProblemOrSolution(Workbook(workbook_path))
    assert again.labels()["P01"] == "solution" and again.labels()["P02"] == "problem"
    assert again.labels()["P03"] == ""
    assert again.reflection.value.startswith("Sales asks")
    assert "Welcome back" in again.save_control.status.value
    assert again.feedback.heading == "Score: 2 of 15 right (2 labelled)"


def test_html_in_the_reflection_is_escaped(ex):
    label(ex, {"P01": "solution"})
    ex.reflection.value = "<script>alert(1)</script>"
    assert "<script>" not in ex.feedback.widget.value
    assert "&lt;script&gt;" in ex.feedback.widget.value


def test_huge_reflection_is_refused_and_kept(ex, workbook_path):
    label(ex, {"P01": "solution"})
    ex.reflection.value = "z" * (MAX_TEXT_CHARS + 1)
    assert len(ex.reflection.value) == MAX_TEXT_CHARS + 1
    assert "'My reflection' is 20,001 characters long" in ex.save_control.text
    assert Workbook(workbook_path).get("shift1.problem_or_solution")["labels"]["P01"] == "solution"


def test_damaged_saved_answer_restores_what_it_can(workbook_path):
    Workbook(workbook_path).save(
        "shift1.problem_or_solution",
        {"labels": {"P01": "solution", "P02": "maybe", "P99": "problem"}, "reflection": 3},
    )
    ex = ProblemOrSolution(Workbook(workbook_path))
    assert ex.inputs["P01"].value == "solution" and ex.inputs["P02"].value == ""
    status = ex.save_control.status.value
    assert "could not be used" in status and "P02" in status and "P99" in status
    assert "reflection" in status


def test_not_a_mapping_at_all_is_survived(workbook_path):
    Workbook(workbook_path).save("shift1.problem_or_solution", {"labels": [1, 2]})
    ex = ProblemOrSolution(Workbook(workbook_path))
    assert "could not be used" in ex.save_control.status.value


def test_markdown_export(ex, workbook_path):
    label(ex, {"P01": "solution", "P02": "solution"})
    ex.reflection.value = "line one\nline two"
    md = Workbook(workbook_path).export_markdown()
    assert "| P01 | Solution ✔ | solution |" in md
    assert "| P02 | Solution ✖ | problem |" in md
    assert "Score: 1 of 15." in md and "> line one\n> line two" in md


def test_worked_example_counts_match_the_data():
    w = WorkedSorting()
    assert (w.n_statements, w.n_problems, w.n_solutions) == (15, 7, 8)
    assert list(w.examples["statement_id"]) == ["P02", "P03", "P06"]
    assert w.table().to_html() == WorkedSorting().table().to_html()
