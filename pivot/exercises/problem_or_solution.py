"""Shift 1, exercise 1: sort what you hear into the problem space and the solution space.

Fifteen statements heard at Kestrel Works (``data/problem_or_solution.csv``). The learner labels
each one a *problem* (a customer's situation, need or cost: an opportunity) or a *proposed
solution* (something to build or do). Feedback per statement gives the reason from the data,
and the summary names the misconception behind the mistakes made.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W

from .. import data
from ..kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape
from .common import quote, saved_text

LABELS = {"": "Not yet", "problem": "Problem", "solution": "Solution"}

MISCONCEPTION_REQUEST = (
    "Treating a feature request as the customer's need. A request such as 'we need better "
    "reporting' is phrased as a need, but it names a thing to build: it is a solution. Ask "
    "what the person would do with it and what it costs them today; the answer is the problem."
)
MISCONCEPTION_TECH_WORDS = (
    "Calling a statement a solution because it mentions technology. 'The app can't upload the "
    "photos in a basement' names the app, yet it proposes nothing: it describes what goes wrong "
    "and what it costs. A problem can be told in technical words."
)


class ProblemOrSolution(Exercise):
    """Label each statement problem or solution; per-item reasons, a score, the misconceptions."""

    exercise_id = "shift1.problem_or_solution"
    title = "Shift 1: problem or solution?"

    def __init__(self, workbook=None):
        self.statements = data.load("problem_or_solution")
        self.key = dict(zip(self.statements["statement_id"], self.statements["label"], strict=True))
        self.reason = dict(
            zip(self.statements["statement_id"], self.statements["reason"], strict=True)
        )
        super().__init__(workbook)

    def build(self) -> W.Widget:
        self.inputs: dict[str, W.ToggleButtons] = {}
        self.item_feedback: dict[str, W.HTML] = {}
        rows: list[W.Widget] = [
            W.HTML(
                "<p>For each statement, choose <strong>Problem</strong> if it describes a "
                "customer's situation, need or cost, or <strong>Solution</strong> if it proposes "
                "something to build or do. Every statement starts at <em>Not yet</em>.</p>"
            )
        ]
        for s in self.statements.itertuples(index=False):
            toggle = W.ToggleButtons(
                options=[(label, value) for value, label in LABELS.items()],
                value="",
                description=s.statement_id,
                tooltips=[
                    f"{s.statement_id}: not labelled yet",
                    f"{s.statement_id}: a problem",
                    f"{s.statement_id}: a proposed solution",
                ],
                style={"description_width": "3em", "button_width": "6.5em"},
            )
            toggle.observe(self.changed, names="value")
            self.inputs[s.statement_id] = toggle
            self.item_feedback[s.statement_id] = W.HTML()
            rows += [
                W.HTML(
                    f'<p style="margin:.8em 0 .2em"><strong>{escape(s.statement_id)}</strong> '
                    f"{escape(s.speaker)}: “{escape(s.statement)}”</p>"
                ),
                toggle,
                self.item_feedback[s.statement_id],
            ]
        self.feedback = FeedbackPanel("Problem or solution feedback")
        self.reflection = self.reflection_box(
            "A request you heard recently: what problem might sit underneath it?"
        )
        return W.VBox([*rows, self.feedback.widget, self.reflection, self.save_control.widget])

    # --- state ---------------------------------------------------------------------------
    def labels(self) -> dict[str, str]:
        return {sid: t.value for sid, t in self.inputs.items()}

    def answer(self) -> dict[str, Any]:
        return {"labels": self.labels(), "reflection": self.reflection.value}

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        skipped: list[str] = []
        labels = answer.get("labels") if isinstance(answer, Mapping) else None
        if not isinstance(labels, Mapping):
            labels = {}
            skipped.append("labels")
        for sid, value in labels.items():
            if sid in self.inputs and value in LABELS:
                self.inputs[sid].value = value
            else:
                skipped.append(str(sid))
        text = saved_text(
            answer.get("reflection", "") if isinstance(answer, Mapping) else "", MAX_TEXT_CHARS
        )
        if text is None:
            skipped.append("reflection")
        self.reflection.value = text or ""
        if skipped:
            return (
                "Some saved answers could not be used and were left out: "
                + ", ".join(skipped[:12])
                + "."
            )
        return None

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    # --- feedback ------------------------------------------------------------------------
    def item_message(self, sid: str, given: str) -> Message | None:
        """The feedback for one statement, or ``None`` while it is not yet labelled."""
        if not given:
            return None
        right = self.key[sid]
        if given == right:
            return Message("good", f"Right, a {right}.", self.reason[sid])
        return Message("error", f"Not quite: this is a {right}, not a {given}.", self.reason[sid])

    def refresh(self) -> None:
        for sid, toggle in self.inputs.items():
            m = self.item_message(sid, toggle.value)
            self.item_feedback[sid].value = m.to_html() if m else ""
        self.feedback.show(*self.feedback_for(self.labels()))

    def feedback_for(self, labels: Mapping[str, str]) -> tuple[str, list[Message]]:
        total = len(self.key)
        done = {s: v for s, v in labels.items() if v}
        right = [s for s, v in done.items() if v == self.key[s]]
        heading = f"Score: {len(right)} of {total} right ({len(done)} labelled)"
        if not done:
            return heading, [
                Message("info", "Label the statements above; feedback appears as you go.")
            ]
        msgs = []
        req = [s for s, v in done.items() if v == "problem" and self.key[s] == "solution"]
        tech = [s for s, v in done.items() if v == "solution" and self.key[s] == "problem"]
        if req:
            msgs.append(
                Message(
                    "warn",
                    f"Solutions you called problems: {', '.join(req)}.",
                    "Common misconception: " + MISCONCEPTION_REQUEST,
                )
            )
        if tech:
            msgs.append(
                Message(
                    "warn",
                    f"Problems you called solutions: {', '.join(tech)}.",
                    "Common misconception: " + MISCONCEPTION_TECH_WORDS,
                )
            )
        left = total - len(done)
        if left:
            msgs.append(Message("info", f"{left} statement(s) still at 'Not yet'."))
        elif len(right) == total:
            msgs.append(
                Message(
                    "good",
                    "All fifteen right. Listen for the same pattern in your next meeting: "
                    "when someone proposes a fix, ask what problem it would solve.",
                )
            )
        if self.reflection.value.strip():
            msgs.append(Message("info", f"Your reflection: {self.reflection.value.strip()[:300]}"))
        return heading, msgs

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        labels = answer.get("labels", {})
        lines = ["| Statement | Your label | Reference |", "| --- | --- | --- |"]
        right = 0
        for sid, ref in self.key.items():
            given = labels.get(sid, "")
            mark = "✔" if given == ref else ("✖" if given else "–")
            right += given == ref
            lines.append(f"| {sid} | {LABELS.get(given, '?')} {mark} | {ref} |")
        lines += ["", f"Score: {right} of {len(self.key)}."]
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines)


class WorkedSorting:
    """Static path: the reference labels, counted, with a few statements worked through."""

    def __init__(self, examples: tuple[str, ...] = ("P02", "P03", "P06")):
        self.statements = data.load("problem_or_solution")
        counts = self.statements["label"].value_counts()
        self.n_statements = len(self.statements)
        self.n_problems = int(counts.get("problem", 0))
        self.n_solutions = int(counts.get("solution", 0))
        self.examples = self.statements[self.statements["statement_id"].isin(examples)]

    def glue(self, prefix: str) -> None:
        from myst_nb import glue

        glue(f"{prefix}_n", self.n_statements, display=False)
        glue(f"{prefix}_problems", self.n_problems, display=False)
        glue(f"{prefix}_solutions", self.n_solutions, display=False)

    def table(self):
        frame = self.examples.rename(
            columns={
                "statement_id": "Id",
                "statement": "Statement",
                "label": "Label",
                "reason": "Why",
            }
        )[["Id", "Statement", "Label", "Why"]]
        return frame.style.hide(axis="index").set_uuid("pivot-worked-sorting")


def answer_key_markdown() -> str:
    """The folded answer key on the page: every statement with its reference label and why,
    written from ``data/problem_or_solution.csv`` (a test keeps the page equal to it)."""
    statements = data.load("problem_or_solution")
    lines = []
    for s in statements.itertuples(index=False):
        lines.append(
            f"{s.statement_id[1:].lstrip('0')}. **{s.statement_id}**, {s.speaker}: "
            f"“{s.statement}” **{LABELS[s.label]}.** {s.reason}"
        )
    return "\n".join(lines)
