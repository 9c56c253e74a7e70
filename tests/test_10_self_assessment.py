"""notebooks/00-start/10-self-assessment.ipynb, driven headlessly as a learner would."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from pivot.exercises import SelfAssessment
from pivot.exercises.self_assessment import WorkedProfile
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

NOOR = {
    "S1a": 2,
    "S1b": 1,
    "S1c": 2,
    "S2a": 3,
    "S2b": 2,
    "S2c": 4,
    "S3a": 2,
    "S3b": 2,
    "S3c": 2,
    "S4a": 4,
    "S4b": 3,
    "S4c": 4,
}


def rate(ex: SelfAssessment, ratings: dict[str, int]) -> None:
    for item, value in ratings.items():
        ex.inputs[item].value = value


@pytest.fixture
def ex(workbook_path):
    return SelfAssessment(Workbook(workbook_path))


def test_starts_with_twelve_labelled_ratings_at_3_and_an_invitation_to_change_them(ex):
    assert len(ex.inputs) == 12
    assert all(s.value == 3 and s.description for s in ex.inputs.values())
    assert ex.feedback.heading == "Where to start: Shift 1"
    assert "Every statement is still at 3" in ex.feedback.text
    assert "balanced" in ex.feedback.text
    assert ex.save_control.text == ""  # nothing saved until the learner acts


def test_rating_like_noor_gives_noors_feedback(ex):
    rate(ex, NOOR)
    text = ex.feedback.text
    assert ex.feedback.heading == "Where to start: Shift 1"
    assert "Problem space 1.7; Soft skills 3.0; What, not how 2.0; Failure 3.7" in text
    assert "Build on your strongest shift: Shift 4, Get comfortable with failure (3.7)" in text
    assert "Check: Start with Shift 1." in text
    assert "Shift 3 scored nearly as low" in text
    assert "still at 3" not in text


def test_the_chart_redraws_with_the_new_scores(ex):
    before = ex.chart.value
    ex.inputs["S2a"].value = 5
    assert ex.chart.value != before
    label = ET.fromstring(ex.chart.value).get("aria-label")
    assert "Soft skills 3.67" in label and "Problem space 3" in label


def test_lowest_shift_decides_where_to_start(ex):
    rate(ex, dict.fromkeys(NOOR, 4) | {"S3a": 1, "S3b": 2, "S3c": 1})
    assert ex.feedback.heading == "Where to start: Shift 3"
    assert "Start with Shift 3." in ex.feedback.text


def test_all_fives_get_a_gentle_challenge_without_an_uncited_claim(ex):
    rate(ex, dict.fromkeys(NOOR, 5))
    assert "Fives everywhere" in ex.feedback.text
    assert "concrete example" in ex.feedback.text
    assert "new to a field" not in ex.feedback.text  # dropped: no source states it as written
    assert ex.feedback.heading == "Where to start: Shift 1"


def test_every_change_is_saved_and_restored_after_a_restart(ex, workbook_path):
    rate(ex, NOOR)
    ex.note.value = "Learn to run interviews"
    assert ex.save_control.text == "Saved to your workbook (workbook.json)."
    restarted = SelfAssessment(Workbook(workbook_path))
    assert restarted.ratings() == NOOR
    assert restarted.note.value == "Learn to run interviews"
    assert restarted.feedback.heading == "Where to start: Shift 1"
    assert "Welcome back" in restarted.save_control.status.value
    saved = Workbook(workbook_path).get("start.self_assessment")
    assert saved["scores"] == {"1": 1.67, "2": 3.0, "3": 2.0, "4": 3.67}


def test_html_in_the_note_is_escaped_everywhere_it_is_shown(ex, workbook_path):
    ex.note.value = "<script>alert('x')</script>"
    assert "<script>" not in ex.feedback.widget.value
    assert "&lt;script&gt;" in ex.feedback.widget.value
    assert Workbook(workbook_path).get("start.self_assessment")["note"] == (
        "<script>alert('x')</script>"
    )


def test_huge_note_is_kept_in_the_box_and_refused_with_a_message(ex, workbook_path):
    rate(ex, {"S1a": 5})
    ex.note.value = "y" * (MAX_TEXT_CHARS + 5)
    assert len(ex.note.value) == MAX_TEXT_CHARS + 5
    assert "'What I want' is 20,005 characters long" in ex.save_control.text
    assert Workbook(workbook_path).get("start.self_assessment")["ratings"]["S1a"] == 5


def test_damaged_saved_answer_restores_what_it_can(workbook_path):
    Workbook(workbook_path).save(
        "start.self_assessment",
        {"ratings": {"S1a": 5, "S1b": 9, "S2a": "high", "S9z": 2, "S3a": True}, "note": 7},
    )
    ex = SelfAssessment(Workbook(workbook_path))
    assert ex.inputs["S1a"].value == 5
    assert ex.inputs["S1b"].value == 3 and ex.inputs["S2a"].value == 3
    assert ex.note.value == ""
    status = ex.save_control.status.value
    assert "could not be used" in status and "S1b" in status and "S9z" in status


def test_markdown_export_has_the_scores_table_and_the_note(ex, workbook_path):
    rate(ex, NOOR)
    ex.note.value = "Talk to users\nweekly"
    md = Workbook(workbook_path).export_markdown()
    assert "## Self-assessment on the four shifts" in md
    assert "| 1. From the solution space to the problem space | 1.67 |" in md
    assert "Where to start: Shift 1." in md
    assert "> Talk to users\n> weekly" in md


def test_worked_example_matches_the_prose_of_the_notebook():
    noor = WorkedProfile("Noor", NOOR)
    assert noor.scores == {1: 1.67, 2: 3.0, 3: 2.0, 4: 3.67}
    assert (noor.start, noor.strongest) == (1, 4)
    assert noor.profile.level_with_start == (3,)
    assert "Noor: Problem space 1.67" in noor.figure.alt
    table = noor.table()
    assert list(table.data["Score (mean)"]) == ["1.67", "3.00", "2.00", "3.67"]
    html = table.to_html()
    assert html == noor.table().to_html()  # no random ids: the page builds the same every time
    assert "T_pivot-noor" in html


def test_worked_example_table_has_human_headers_and_statement_names_not_ids():
    table = WorkedProfile("Noor", NOOR).table()
    assert list(table.data.columns) == ["Shift", "Ratings (1–5)", "Score (mean)"]
    first = table.data["Ratings (1–5)"][0]
    assert first == "Talk to users: 2; Ask why first: 1; Know the customer: 2"
    assert not any("S1a" in cell for cell in table.data["Ratings (1–5)"])


def test_worked_example_refuses_invalid_ratings():
    with pytest.raises(ValueError, match="rating for S1a must be from 1 to 5"):
        WorkedProfile("X", NOOR | {"S1a": 7})


def test_worked_example_accepts_one_list_per_shift_and_checks_its_shape():
    rows = [[2, 1, 2], [3, 2, 4], [2, 2, 2], [4, 3, 4]]
    assert WorkedProfile("Noor", rows).ratings == NOOR
    with pytest.raises(ValueError, match=r"ratings must list 3 \+ 3 \+ 3 \+ 3 values"):
        WorkedProfile("X", [[1, 2, 3]])
