"""notebooks/10-shift1/10-problem-space.ipynb: the interview-steps ordering, driven headlessly."""

from __future__ import annotations

import pytest

from pivot.exercises import InterviewOrder
from pivot.exercises.interview_steps import CORRECT, OFFERED, WorkedInterview
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook


@pytest.fixture
def ex(workbook_path):
    return InterviewOrder(Workbook(workbook_path))


def place(ex, order):
    for dd, step in zip(ex.positions, order, strict=True):
        dd.value = step


def test_starts_empty_with_labelled_dropdowns_in_a_mixed_order(ex):
    assert [dd.description for dd in ex.positions] == [f"Step {i}" for i in range(1, 7)]
    assert all(dd.value == "" for dd in ex.positions)
    assert OFFERED != CORRECT and sorted(OFFERED) == sorted(CORRECT)
    assert ex.feedback.heading == "Order: nothing placed yet"


def test_correct_order_is_confirmed_position_by_position(ex):
    place(ex, CORRECT)
    assert ex.feedback.heading == "Order: 6 of 6 in the right place"
    assert "1. Set the scene and ask about a specific recent time: right." in ex.feedback.text
    assert "The whole interview in order" in ex.feedback.text


def test_partly_correct_order_explains_each_misplaced_step(ex):
    swapped = [*CORRECT[:3], CORRECT[4], CORRECT[3], CORRECT[5]]
    place(ex, swapped)
    text = ex.feedback.text
    assert ex.feedback.heading == "Order: 4 of 6 in the right place"
    assert "4. Ask what it cost them: too early. It has to wait for ‘Ask what they did" in text
    assert "5. Ask what they did about it (workarounds): too late." in text
    assert "Why: Workarounds show the problem is real" in text
    assert "Why: Cost comes after the workaround" in text


def test_reversed_order_is_all_wrong_with_reasons(ex):
    place(ex, CORRECT[::-1])
    assert ex.feedback.heading == "Order: 0 of 6 in the right place"
    assert ex.feedback.text.count("Why:") == 6


def test_incomplete_and_repeated_orders_get_a_message_not_an_error(ex):
    ex.positions[0].value = CORRECT[0]
    assert ex.feedback.heading == "Order: 1 of 6 placed"
    assert "Still to place: Let them tell the story in order" in ex.feedback.text
    ex.positions[1].value = CORRECT[0]
    assert ex.feedback.heading == "Order: a step is used twice"
    assert "chosen more than once" in ex.feedback.text


def test_order_and_reflection_survive_a_restart(ex, workbook_path):
    place(ex, CORRECT)
    ex.reflection.value = "Asked 'would you use X?'; now: 'tell me about the last time…'"
    again = InterviewOrder(Workbook(workbook_path))
    assert again.order() == CORRECT
    assert again.reflection.value.startswith("Asked")
    assert "Welcome back" in again.save_control.status.value


def test_reflection_html_is_escaped_and_huge_text_refused(ex):
    place(ex, CORRECT)
    ex.reflection.value = "<img src=x onerror=alert(1)>"
    assert "<img" not in ex.feedback.widget.value + ex.save_control.status.value
    ex.reflection.value = "w" * (MAX_TEXT_CHARS + 1)
    assert "'My reflection' is 20,001 characters long" in ex.save_control.text
    assert len(ex.reflection.value) == MAX_TEXT_CHARS + 1


def test_damaged_saved_answer(workbook_path):
    Workbook(workbook_path).save(
        "shift1.interview_order", {"order": [CORRECT[0], "Make a pitch", 7], "reflection": None}
    )
    ex = InterviewOrder(Workbook(workbook_path))
    assert ex.positions[0].value == CORRECT[0] and ex.positions[1].value == ""
    status = ex.save_control.status.value
    assert "step 2" in status and "step 3" in status and "reflection" in status


def test_markdown_export(ex, workbook_path):
    place(ex, CORRECT)
    md = Workbook(workbook_path).export_markdown()
    assert "1. Set the scene and ask about a specific recent time ✔" in md


def test_worked_interview_counts():
    w = WorkedInterview("C01")
    assert list(w.snippets["snippet_id"]) == ["I01", "I02", "I03", "I04"]
    assert len(w.all) == 39
    assert int((w.all["pain_point"] == "none").sum()) == 3
