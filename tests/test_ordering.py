"""pivot.exercises.ordering: feedback on the step the learner placed, for both ordering tasks.

The interview steps (Shift 1) and the prioritisation meeting (Shift 3) share the class; each
misplaced step is judged as too early or too late against the steps it waits for, and only then
is the step that belongs there named.
"""

from __future__ import annotations

import pytest

from pivot.exercises import InterviewOrder, MeetingOrder
from pivot.exercises import interview_steps as interview
from pivot.exercises import meeting_order as meeting
from pivot.workbook import Workbook

TASKS = [(InterviewOrder, interview), (MeetingOrder, meeting)]


def place(ex, order):
    for dd, step in zip(ex.positions, order, strict=True):
        dd.value = step


def messages_at(ex):
    """The message for each position, 1-based, from a complete order's feedback."""
    return {int(m.text.split(".", 1)[0]): m for m in ex.feedback.messages if m.text[0].isdigit()}


@pytest.mark.parametrize(("cls", "module"), TASKS, ids=["interview", "meeting"])
def test_every_step_has_its_too_early_and_too_late_reason(cls, module):
    steps = module.CORRECT
    # the first step can never be too early, the last never too late
    assert set(module.TOO_EARLY) == set(steps[1:])
    assert set(module.TOO_LATE) == set(steps[:-1])
    assert cls.too_early is module.TOO_EARLY and cls.too_late is module.TOO_LATE
    for text in [*module.TOO_EARLY.values(), *module.TOO_LATE.values()]:
        assert text.strip() and text not in dict(module.STEPS).values()


def test_meeting_scoring_first_is_too_early_because_it_waits_for_the_estimates(workbook_path):
    ex = MeetingOrder(Workbook(workbook_path))
    m = meeting.CORRECT
    place(ex, [m[2], m[1], m[0], *m[3:]])  # score, collect, restate, ...
    at = messages_at(ex)
    first = at[1]
    assert first.level == "warn"
    # about the step the learner placed: scoring, too early, waiting for two steps placed later
    assert first.text.startswith(f"1. {m[2]}: too early. It has to wait for ")
    assert f"‘{m[1]}’ (step 2)" in first.text and f"‘{m[0]}’ (step 3)" in first.text
    assert first.detail.startswith(meeting.TOO_EARLY[m[2]])
    assert "Its place is step 3." in first.detail
    # then what belongs at step 1, and why
    assert f"What belongs at step 1: {m[0]}. Why: {meeting.STEPS[0][1]}" in first.detail
    third = at[3]
    assert third.text.startswith(f"3. {m[0]}: too late. ")
    assert f"‘{m[2]}’ (step 1)" in third.text and "have to wait for it" in third.text
    assert third.detail.startswith(meeting.TOO_LATE[m[0]])
    assert f"What belongs at step 3: {m[2]}." in third.detail
    assert at[2].level == "good" and ex.feedback.heading == "Order: 4 of 6 in the right place"


def test_meeting_record_before_deciding_is_too_early_and_the_decision_too_late(workbook_path):
    ex = MeetingOrder(Workbook(workbook_path))
    m = meeting.CORRECT
    place(ex, [*m[:4], m[5], m[4]])  # ... record, then choose
    at = messages_at(ex)
    assert at[5].text == (
        f"5. {m[5]}: too early. It has to wait for ‘{m[4]}’ (step 6), which you placed after it."
    )
    assert meeting.TOO_EARLY[m[5]] in at[5].detail
    assert at[6].text == (
        f"6. {m[4]}: too late. ‘{m[5]}’ (step 5) has to wait for it, and you placed it before it."
    )
    assert meeting.TOO_LATE[m[4]] in at[6].detail
    # the reason for the step that belongs there is said too, but after the placed step's
    assert at[6].detail.index(meeting.TOO_LATE[m[4]]) < at[6].detail.index("What belongs")


def test_interview_cost_before_workaround(workbook_path):
    ex = InterviewOrder(Workbook(workbook_path))
    c = interview.CORRECT
    place(ex, [*c[:3], c[4], c[3], c[5]])
    at = messages_at(ex)
    assert at[4].text == (
        f"4. {c[4]}: too early. It has to wait for ‘{c[3]}’ (step 5), which you placed after it."
    )
    assert at[4].detail.startswith(interview.TOO_EARLY[c[4]])
    assert at[5].text.startswith(f"5. {c[3]}: too late.")
    assert at[5].detail.startswith(interview.TOO_LATE[c[3]])
    assert f"What belongs at step 5: {c[4]}." in at[5].detail


def test_interview_closing_first_names_what_it_waits_for_and_counts_the_rest(workbook_path):
    ex = InterviewOrder(Workbook(workbook_path))
    c = interview.CORRECT
    place(ex, [c[5], *c[:5]])  # close first, everything else one step late
    at = messages_at(ex)
    assert at[1].text == (
        f"1. {c[5]}: too early. It has to wait for ‘{c[0]}’ (step 2), ‘{c[1]}’ (step 3) "
        "and 3 other steps, which you placed after it."
    )
    # every other step is one place late, because 'close' (step 1) waits for it
    for pos in range(2, 7):
        assert at[pos].text.startswith(f"{pos}. {c[pos - 2]}: too late. ‘{c[5]}’ (step 1) ")
    assert ex.feedback.heading == "Order: 0 of 6 in the right place"


@pytest.mark.parametrize(("cls", "module"), TASKS, ids=["interview", "meeting"])
def test_every_wrong_position_of_every_step_gets_feedback_on_that_step(cls, module, workbook_path):
    """Swap each pair of steps: both swapped steps are judged, one early and one late."""
    ex = cls(Workbook(workbook_path))
    steps = module.CORRECT
    for i in range(len(steps)):
        for j in range(i + 1, len(steps)):
            order = list(steps)
            order[i], order[j] = order[j], order[i]
            place(ex, order)
            at = messages_at(ex)
            early, late = at[i + 1], at[j + 1]
            assert early.text.startswith(f"{i + 1}. {steps[j]}: too early"), (i, j)
            assert module.TOO_EARLY[steps[j]] in early.detail
            assert late.text.startswith(f"{j + 1}. {steps[i]}: too late"), (i, j)
            assert module.TOO_LATE[steps[i]] in late.detail
            assert sum(m.level == "warn" for m in ex.feedback.messages) == 2
