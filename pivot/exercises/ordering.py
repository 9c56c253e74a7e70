"""A generic ordering exercise: put steps in order, with feedback on why each belongs where.

Used by Shift 1 (the steps of a story-based interview) and Shift 3 (the steps of a
prioritisation meeting); checked with :func:`pivot.frameworks.discovery.check_order`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import ipywidgets as W

from ..frameworks import discovery as d
from ..kit import Exercise, FeedbackPanel, Message
from .common import quote, restore_reflection

UNSET = ""


class OrderingExercise(Exercise):
    """An ordering task: one drop-down per position, per-position feedback that says why.

    Subclasses set :attr:`steps` (each step with why it sits there, in the right order),
    :attr:`offered` (the order the drop-downs list them in), and the texts below.
    """

    steps: ClassVar[list[tuple[str, str]]] = []
    offered_order: tuple[int, ...] = ()
    feedback_label = "Order feedback"
    reflection_prompt = ""
    first_hint = "Choose the first step at Step 1, and so on."
    all_right = "All in the right order."

    @property
    def correct(self) -> list[str]:
        return [s for s, _ in self.steps]

    @property
    def why(self) -> dict[str, str]:
        return dict(self.steps)

    @property
    def offered(self) -> list[str]:
        return [self.correct[i] for i in self.offered_order]

    def build(self) -> W.Widget:
        options = [("— choose a step —", UNSET)] + [(s, s) for s in self.offered]
        self.positions = [
            W.Dropdown(
                options=options,
                value=UNSET,
                description=f"Step {i}",
                style={"description_width": "5em"},
                layout=W.Layout(width="40em", max_width="100%"),
            )
            for i in range(1, len(self.correct) + 1)
        ]
        for dd in self.positions:
            dd.observe(self.changed, names="value")
        self.feedback = FeedbackPanel(self.feedback_label)
        self.reflection = self.reflection_box(self.reflection_prompt)
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
            if step == UNSET or step in self.why:
                dd.value = step
            else:
                skipped.append(f"step {i}")
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    def refresh(self) -> None:
        self.feedback.show(*self.feedback_for(self.order()))

    def feedback_for(self, order: list[str]) -> tuple[str, list[Message]]:
        placed = [s for s in order if s]
        if not placed:
            return "Order: nothing placed yet", [Message("info", self.first_hint)]
        repeated = sorted({s for s in placed if placed.count(s) > 1})
        if repeated:
            return "Order: a step is used twice", [
                Message(
                    "error",
                    f"'{repeated[0]}' is chosen more than once; each step goes in one position.",
                )
            ]
        if len(placed) < len(self.correct):
            left = [s for s in self.correct if s not in placed]
            return f"Order: {len(placed)} of {len(self.correct)} placed", [
                Message("info", f"Still to place: {'; '.join(left)}.")
            ]
        results = d.check_order(order, self.correct)
        right = sum(r.correct for r in results)
        msgs = []
        for r in results:
            if r.correct:
                msgs.append(Message("good", r.message))
            else:
                msgs.append(Message("warn", r.message, f"Why: {self.why[r.expected]}"))
        if right == len(self.correct):
            msgs.append(
                Message(
                    "good",
                    self.all_right,
                )
            )
        return f"Order: {right} of {len(self.correct)} in the right place", msgs

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        order = answer.get("order", [])
        lines = [
            f"{i}. {s or '(not placed)'}" + (" ✔" if s == c else "")
            for i, (s, c) in enumerate(zip(order, self.correct, strict=False), 1)
        ]
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines)
