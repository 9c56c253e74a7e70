"""Shift 3, an ordering task: the steps of a prioritisation meeting the product manager runs.

The order follows the logic of RICE and WSJF scoring (McBride, Intercom, 2016; Reinertsen,
2009): agree what the scores serve, estimate with the people who own each estimate, score,
discuss where the scores and intuition disagree, fit the result to capacity, and record why.
Checked with :func:`pivot.frameworks.discovery.check_order`.
"""

from __future__ import annotations

from .ordering import OrderingExercise

#: The steps in the right order, with why each sits where it does.
STEPS: list[tuple[str, str]] = [
    (
        "Restate the outcome this quarter's work should move",
        "Scores only mean something against a goal: reach and impact are measured towards an "
        "outcome, so agree on it before anyone estimates.",
    ),
    (
        "Collect estimates from the people who own them",
        "Reach and impact come from product evidence; effort comes from the engineers and the "
        "designer. Ask them, do not estimate their work for them.",
    ),
    (
        "Score every item with the same method",
        "Only once every item has estimates can the same formula rank them fairly.",
    ),
    (
        "Discuss the items where the scores surprise the room",
        "The debate comes after scoring: a surprise shows an estimate to check or a factor "
        "the method misses, such as a deadline or a dependency.",
    ),
    (
        "Choose what fits the team's capacity",
        "Deciding comes after the debate, and a ranking is not a plan until it fits the "
        "person-months the team has.",
    ),
    (
        "Record the decision and why, and share it",
        "Last, write down what was chosen, what was not and the reasons, so stakeholders whose "
        "requests wait can see why.",
    ),
]
CORRECT = [s for s, _ in STEPS]
#: For a step placed too early: why it has to wait for the steps before it.
TOO_EARLY: dict[str, str] = {
    STEPS[1][0]: "Reach and impact are estimated towards an outcome: collected before the room "
    "agrees on it, each person estimates against a different goal.",
    STEPS[2][0]: "A score is only as good as the estimates in it: scored before the people who "
    "own them have given them, the formula runs on your guesses.",
    STEPS[3][0]: "A surprise is a score that disagrees with the room's intuition: before every "
    "item is scored there is nothing to be surprised by, only opinion against opinion.",
    STEPS[4][0]: "A choice made before the items are scored and their surprises checked rests "
    "on gut feeling or on an estimate nobody has questioned.",
    STEPS[5][0]: "There is nothing to record until the choice is made: a record written earlier "
    "describes a decision the meeting has not taken.",
}
#: For a step placed too late: why the steps after it have to wait for it.
TOO_LATE: dict[str, str] = {
    STEPS[0][0]: "Estimates, scores and choices made before the outcome is agreed are measured "
    "against whatever goal each person had in mind; restated afterwards, they must be redone.",
    STEPS[1][0]: "Scoring, debating or choosing before the owners' estimates are in means "
    "working from your own guesses of other people's work.",
    STEPS[2][0]: "A debate or a choice before every item is scored the same way has nothing "
    "fair to compare: the loudest request wins.",
    STEPS[3][0]: "Discussed after the choice, a surprise (an estimate to check, a deadline, a "
    "dependency) can only reopen a decision already taken.",
    STEPS[4][0]: "Recorded and shared before the choice, the plan announced may not fit the "
    "person-months the team has.",
}
#: The order the drop-downs offer the steps in (not the answer).
OFFERED_ORDER = (2, 5, 0, 3, 1, 4)
OFFERED = [CORRECT[i] for i in OFFERED_ORDER]


class MeetingOrder(OrderingExercise):
    """Six positions, each a drop-down of the six steps; per-position feedback says why."""

    exercise_id = "shift3.meeting_order"
    title = "Shift 3: the steps of a prioritisation meeting"
    steps = STEPS
    too_early = TOO_EARLY
    too_late = TOO_LATE
    offered_order = OFFERED_ORDER
    feedback_label = "Meeting steps feedback"
    reflection_prompt = "How are priorities set in your team today, and which step is missing?"
    first_hint = "Choose the first step of the meeting at Step 1, and so on."
    all_right = (
        "The whole meeting in order: outcome first, then estimates, scores, a debate on the "
        "surprises, a decision that fits, and a record of why."
    )
