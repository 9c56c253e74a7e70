"""Shift 3, an ordering task: the steps of a prioritisation meeting the product manager runs.

The order follows the logic of RICE and WSJF scoring (McBride, Intercom, 2016; Reinertsen,
2009): agree what the scores serve, estimate with the people who own each estimate, score,
discuss where the scores and intuition disagree, fit the result to capacity, and record why.
Checked with :func:`pivot.frameworks.discovery.check_order`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W

from ..frameworks import discovery as d
from ..kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message
from .common import quote, saved_text

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
WHY = dict(STEPS)
#: The order the drop-downs offer the steps in (not the answer).
OFFERED = [CORRECT[i] for i in (2, 5, 0, 3, 1, 4)]
UNSET = ""


class MeetingOrder(Exercise):
    """Six positions, each a drop-down of the six steps; per-position feedback says why."""

    exercise_id = "shift3.meeting_order"
    title = "Shift 3: the steps of a prioritisation meeting"

    def build(self) -> W.Widget:
        options = [("— choose a step —", UNSET)] + [(s, s) for s in OFFERED]
        self.positions = [
            W.Dropdown(
                options=options,
                value=UNSET,
                description=f"Step {i}",
                style={"description_width": "5em"},
                layout=W.Layout(width="40em", max_width="100%"),
            )
            for i in range(1, len(CORRECT) + 1)
        ]
        for dd in self.positions:
            dd.observe(self.changed, names="value")
        self.feedback = FeedbackPanel("Meeting steps feedback")
        self.reflection = self.reflection_box(
            "How are priorities set in your team today, and which step is missing?"
        )
        return W.VBox(
            [
                W.HTML("<p>Choose a step for each position, first to last.</p>"),
                *self.positions,
                self.feedback.widget,
                self.reflection,
                self.save_control.widget,
            ]
        )

    def order(self) -> list[str]:
        return [dd.value for dd in self.positions]

    def answer(self) -> dict[str, Any]:
        return {"order": self.order(), "reflection": self.reflection.value}

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved order could not be read; starting afresh."
        skipped = []
        order = answer.get("order", [])
        for i, (dd, step) in enumerate(
            zip(self.positions, order if isinstance(order, list) else [], strict=False), 1
        ):
            if step == UNSET or step in WHY:
                dd.value = step
            else:
                skipped.append(f"step {i}")
        text = saved_text(answer.get("reflection", ""), MAX_TEXT_CHARS)
        if text is None:
            skipped.append("reflection")
        self.reflection.value = text or ""
        if skipped:
            return "Some saved answers could not be used: " + ", ".join(skipped) + "."
        return None

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    def refresh(self) -> None:
        self.feedback.show(*self.feedback_for(self.order()))

    def feedback_for(self, order: list[str]) -> tuple[str, list[Message]]:
        placed = [s for s in order if s]
        if not placed:
            return "Order: nothing placed yet", [
                Message("info", "Choose the first step of the meeting at Step 1, and so on.")
            ]
        repeated = sorted({s for s in placed if placed.count(s) > 1})
        if repeated:
            return "Order: a step is used twice", [
                Message(
                    "error",
                    f"'{repeated[0]}' is chosen more than once; each step goes in one position.",
                )
            ]
        if len(placed) < len(CORRECT):
            left = [s for s in CORRECT if s not in placed]
            return f"Order: {len(placed)} of {len(CORRECT)} placed", [
                Message("info", f"Still to place: {'; '.join(left)}.")
            ]
        results = d.check_order(order, CORRECT)
        right = sum(r.correct for r in results)
        msgs = []
        for r in results:
            if r.correct:
                msgs.append(Message("good", r.message))
            else:
                msgs.append(Message("warn", r.message, f"Why: {WHY[r.expected]}"))
        if right == len(CORRECT):
            msgs.append(
                Message(
                    "good",
                    "The whole meeting in order: outcome first, then estimates, scores, "
                    "a debate on the surprises, a decision that fits, and a record of why.",
                )
            )
        return f"Order: {right} of {len(CORRECT)} in the right place", msgs

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        order = answer.get("order", [])
        lines = [
            f"{i}. {s or '(not placed)'}" + (" ✔" if s == c else "")
            for i, (s, c) in enumerate(zip(order, CORRECT, strict=False), 1)
        ]
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines)
