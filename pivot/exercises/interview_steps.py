"""Shift 1, the opening exercise: put the steps of a story-based customer interview in order.

The steps follow the practice of asking about a specific past event rather than opinions or
hypotheticals (Fitzpatrick, *The Mom Test*, 2013; Torres, *Continuous Discovery Habits*, 2021,
on story-based interviewing). Checked with :func:`pivot.frameworks.discovery.check_order`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W

from .. import data
from ..frameworks import discovery as d
from ..kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message
from .common import quote, saved_text

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
WHY = dict(STEPS)
#: The order the drop-downs offer the steps in (not the answer).
OFFERED = [CORRECT[i] for i in (3, 0, 5, 2, 4, 1)]
UNSET = ""


class InterviewOrder(Exercise):
    """Six positions, each a drop-down of the six steps; per-position feedback says why."""

    exercise_id = "shift1.interview_order"
    title = "Shift 1: the steps of a story-based interview"

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
        self.feedback = FeedbackPanel("Interview steps feedback")
        self.reflection = self.reflection_box(
            "Rewrite a question you have asked a user as a question about a story."
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
                Message("info", "Choose the first step of the interview at Step 1, and so on.")
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
                    "The whole interview in order: story first, then where "
                    "it hurt, what they did and what it cost.",
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
        frame = self.snippets[["snippet_id", "speaker_role", "snippet"]]
        return frame.style.hide(axis="index").set_uuid(f"pivot-interview-{self.customer_id}")
