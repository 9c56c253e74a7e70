"""Shift 1, the opening exercise: put the steps of a story-based customer interview in order.

The steps follow the practice of asking about a specific past event rather than opinions or
hypotheticals (Fitzpatrick, *The Mom Test*, 2013; Torres, *Continuous Discovery Habits*, 2021,
on story-based interviewing). Checked with :func:`pivot.frameworks.discovery.check_order`.
"""

from __future__ import annotations

from .. import data
from ..frameworks import discovery as d
from .ordering import OrderingExercise

#: The steps in the right order, with why each sits where it does.
STEPS: list[tuple[str, str]] = [
    (
        "Set the scene and ask about a specific recent time",
        "Start from one real, recent event ('Tell me about the last time a job changed after "
        "the technician had left'); a specific story gives facts, a general question gives "
        "opinions.",
    ),
    (
        "Let them tell the story in order",
        "Once they are in the story, keep them there: 'what happened next?'. Interrupting to "
        "ask about features pulls them out of their memory and into guessing.",
    ),
    (
        "Dig into the hard moments",
        "You can only spot the hard moments after hearing the story; ask what made that part "
        "difficult.",
    ),
    (
        "Ask what they did about it (workarounds)",
        "Workarounds show the problem is real enough to act on: texting every change, a "
        "whiteboard, a second phone call. Ask about them once you know where it hurt.",
    ),
    (
        "Ask what it cost them",
        "Cost comes after the workaround, because the workaround is part of the cost: time, "
        "money, customers. It tells you how severe the pain point is.",
    ),
    (
        "Close and ask for permission to follow up",
        "End by thanking them and asking whether you may come back with questions or ideas; "
        "discovery is continuous, not a one-off.",
    ),
]
CORRECT = [s for s, _ in STEPS]
#: For a step placed too early: why it has to wait for the steps before it.
TOO_EARLY: dict[str, str] = {
    STEPS[1][0]: "There is no story to tell until it is anchored to one specific, recent time; "
    "without that anchor people describe what usually happens, which is opinion, not fact.",
    STEPS[2][0]: "You only know which moments were hard once you have heard the story; digging "
    "in first leads them to the pain you expect.",
    STEPS[3][0]: "A workaround answers a hard moment you have both found; asked earlier, 'what "
    "did you do about it?' has no 'it'.",
    STEPS[4][0]: "Cost is asked about a specific hard moment and its workaround, which is part "
    "of the cost; asked earlier, you get a vague figure for a vague problem.",
    STEPS[5][0]: "Closing before the story, its hard moments, workarounds and costs ends the "
    "interview before you have learned anything to follow up on.",
}
#: For a step placed too late: why the steps after it have to wait for it.
TOO_LATE: dict[str, str] = {
    STEPS[0][0]: "Every later question needs one specific, recent event to be about; questions "
    "asked before it get general answers and opinions.",
    STEPS[1][0]: "Asking about hard moments, workarounds or costs before they have told the "
    "story in order pulls them out of their memory and into guessing.",
    STEPS[2][0]: "The workaround and cost questions are about a hard moment: asked before you "
    "have found the hard moments, nobody knows what they refer to.",
    STEPS[3][0]: "The workaround is part of the cost (the extra calls, the whiteboard): ask "
    "about cost first and you miss that part of it.",
    STEPS[4][0]: "Closing before you ask what the pain cost them leaves you without the "
    "severity you need to compare pain points.",
}
#: The order the drop-downs offer the steps in (not the answer).
OFFERED_ORDER = (3, 0, 5, 2, 4, 1)
OFFERED = [CORRECT[i] for i in OFFERED_ORDER]


class InterviewOrder(OrderingExercise):
    """Six positions, each a drop-down of the six steps; per-position feedback says why."""

    exercise_id = "shift1.interview_order"
    title = "Shift 1: the steps of a story-based interview"
    steps = STEPS
    too_early = TOO_EARLY
    too_late = TOO_LATE
    offered_order = OFFERED_ORDER
    feedback_label = "Interview steps feedback"
    reflection_prompt = "Rewrite a question you have asked a user as a question about a story."
    first_hint = "Choose the first step of the interview at Step 1, and so on."
    all_right = (
        "The whole interview in order: story first, then where it hurt, what they did and what "
        "it cost."
    )


class WorkedInterview:
    """Static path: one account's interview snippets, counted, to read as stories."""

    def __init__(self, customer_id: str = "C01"):
        interviews = data.load("interviews")
        self.all = interviews
        self.snippets = interviews[interviews["customer_id"] == customer_id]
        self.customer_id = customer_id

    def glue(self, prefix: str) -> None:
        from myst_nb import glue

        glue(f"{prefix}_snippets", len(self.snippets), display=False)
        glue(f"{prefix}_all_snippets", len(self.all), display=False)
        glue(f"{prefix}_accounts", int(self.all["customer_id"].nunique()), display=False)
        glue(
            f"{prefix}_none", int((self.all["pain_point"] == d.NO_PAIN_POINT).sum()), display=False
        )

    def table(self):
        frame = self.snippets[["snippet_id", "speaker_role", "snippet"]].rename(
            columns={
                "snippet_id": "Snippet",
                "speaker_role": "Speaker",
                "snippet": "What they said",
            }
        )
        return frame.style.hide(axis="index").set_uuid(f"pivot-interview-{self.customer_id}")


def answer_key_markdown() -> str:
    """The folded answer key on the page: the six steps in order, each with why it sits there
    (from :data:`STEPS`; a test keeps the page equal to it)."""
    return "\n".join(f"{i}. **{step}.** {why}" for i, (step, why) in enumerate(STEPS, 1))
