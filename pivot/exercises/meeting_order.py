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
#: The order the drop-downs offer the steps in (not the answer).
OFFERED_ORDER = (2, 5, 0, 3, 1, 4)
OFFERED = [CORRECT[i] for i in OFFERED_ORDER]


class MeetingOrder(OrderingExercise):
    """Six positions, each a drop-down of the six steps; per-position feedback says why."""

    exercise_id = "shift3.meeting_order"
    title = "Shift 3: the steps of a prioritisation meeting"
    steps = STEPS
    offered_order = OFFERED_ORDER
    feedback_label = "Meeting steps feedback"
    reflection_prompt = "How are priorities set in your team today, and which step is missing?"
    first_hint = "Choose the first step of the meeting at Step 1, and so on."
    all_right = (
        "The whole meeting in order: outcome first, then estimates, scores, a debate on the "
        "surprises, a decision that fits, and a record of why."
    )
