"""A generic ordering exercise: put steps in order, with feedback on the steps the learner placed.

Used by Shift 1 (the steps of a story-based interview) and Shift 3 (the steps of a
prioritisation meeting); checked with :func:`pivot.frameworks.discovery.check_order`.

Feedback on a misplaced step is about the step the learner put there: whether it comes too
early (a step it depends on is placed after it) or too late (a step that depends on it is
placed before it), naming those steps and their positions, and why the dependency holds. Only
then does it say which step belongs in that position, and why.
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
    :attr:`offered_order` (the order the drop-downs list them in), :attr:`too_early` and
    :attr:`too_late` (for a step, what goes wrong when it comes before the steps it depends on,
    or after the steps that depend on it), and the texts below.
    """

    steps: ClassVar[list[tuple[str, str]]] = []
    too_early: ClassVar[dict[str, str]] = {}
    too_late: ClassVar[dict[str, str]] = {}
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
                msgs.append(self.misplaced(order, r.position - 1))
        if right == len(self.correct):
            msgs.append(
                Message(
                    "good",
                    self.all_right,
                )
            )
        return f"Order: {right} of {len(self.correct)} in the right place", msgs

    def misplaced(self, order: list[str], at: int) -> Message:
        """Feedback on the step placed at 0-based position ``at`` of a complete ``order`` when
        it is not the right one: what is wrong with *that* step, then what belongs there."""
        placed = order[at]
        belongs = self.correct.index(placed)
        expected = self.correct[at]
        where = {step: i for i, step in enumerate(order)}
        if belongs > at:
            # too early: steps it depends on (earlier in the right order) are placed after it
            needs = [s for s in self.correct[:belongs] if where[s] > at]
            text = (
                f"{at + 1}. {placed}: too early. It has to wait for {_steps_at(needs, where)}, "
                f"which you placed after it."
            )
            reason = self.too_early.get(placed, self.why[placed])
        else:
            # too late: steps that depend on it (later in the right order) are placed before it
            waiting = [s for s in self.correct[belongs + 1 :] if where[s] < at]
            text = (
                f"{at + 1}. {placed}: too late. {_steps_at(waiting, where)} "
                f"{'has' if len(waiting) == 1 else 'have'} to wait for it, and you placed "
                f"{'it' if len(waiting) == 1 else 'them'} before it."
            )
            reason = self.too_late.get(placed, self.why[placed])
        detail = (
            f"{reason} Its place is step {belongs + 1}. "
            f"What belongs at step {at + 1}: {expected}. Why: {self.why[expected]}"
        )
        return Message("warn", text, detail)

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        order = answer.get("order", [])
        lines = [
            f"{i}. {s or '(not placed)'}" + (" ✔" if s == c else "")
            for i, (s, c) in enumerate(zip(order, self.correct, strict=False), 1)
        ]
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines)


def _steps_at(steps: list[str], where: dict[str, int], most: int = 2) -> str:
    """'‘A’ (step 3) and ‘B’ (step 5)': steps named with the positions the learner gave them,
    in the learner's order; beyond ``most`` of them, the rest are counted."""
    steps = sorted(steps, key=where.__getitem__)
    named = [f"‘{s}’ (step {where[s] + 1})" for s in steps[:most]]
    rest = len(steps) - len(named)
    if rest:
        named.append(f"{rest} other step{'s' if rest > 1 else ''}")
    if len(named) == 1:
        return named[0]
    return ", ".join(named[:-1]) + " and " + named[-1]
