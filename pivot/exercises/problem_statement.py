"""Shift 1, exercise 3: write a problem statement, "<who> needs <needs> because <because>",
with interview snippets as evidence, checked by
:func:`pivot.frameworks.discovery.check_problem_statement`."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import ipywidgets as W

from .. import data
from ..frameworks import discovery as d
from ..kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape
from .common import checks_feedback, quote, saved_text

FIELDS = {
    "who": "Who",
    "needs": "need(s)",
    "because": "because",
    "evidence": "Evidence (ids)",
}
CHECK_TITLES = {
    "who": "Who",
    "complete": "Complete",
    "no_solution_words": "Solution left open",
    "not_a_request": "A need, not a request",
    "evidence": "Evidence",
    "length": "Length",
}


@lru_cache(maxsize=1)
def _context() -> tuple[dict[str, str], list[str]]:
    interviews = data.load("interviews")
    snippets = dict(zip(interviews["snippet_id"], interviews["snippet"], strict=True))
    return snippets, d.audience_terms(data.load("customers"))


def check(who: str, needs: str, because: str, evidence: str) -> list[d.Check]:
    """Run the course's checks on one statement, against the Kestrel Works interviews."""
    snippets, terms = _context()
    return d.check_problem_statement(who, needs, because, evidence, list(snippets), terms)


def sentence(who: str, needs: str, because: str) -> str:
    """The statement as one sentence (plain text); "need" or "needs" agrees with *who*."""
    return d.problem_sentence(who, needs, because)


class ProblemStatement(Exercise):
    """Build a problem statement from four fields; one line of feedback per check."""

    exercise_id = "shift1.problem_statement"
    title = "Shift 1: problem statement"

    def build(self) -> W.Widget:
        style = {"description_width": "9em"}
        layout = W.Layout(width="46em", max_width="100%")
        self.inputs = {
            "who": W.Text(
                description=FIELDS["who"],
                placeholder="e.g. Dispatchers at …",
                style=style,
                layout=layout,
                continuous_update=False,
            ),
            "needs": W.Textarea(
                description=FIELDS["needs"],
                rows=2,
                style=style,
                layout=layout,
                continuous_update=False,
                placeholder="what they are trying to get done",
            ),
            "because": W.Textarea(
                description=FIELDS["because"],
                rows=2,
                style=style,
                layout=layout,
                continuous_update=False,
                placeholder="why it matters: what it costs them today",
            ),
            "evidence": W.Text(
                description=FIELDS["evidence"],
                style=style,
                layout=layout,
                continuous_update=False,
                placeholder="e.g. I01, I22, I34",
            ),
        }
        for w in self.inputs.values():
            w.observe(self.changed, names="value")
        self.preview = W.HTML()
        self.evidence_view = W.HTML()
        self.feedback = FeedbackPanel("Problem statement feedback")
        self.reflection = self.reflection_box(
            "A problem statement for your own product: who needs what, because?"
        )
        return W.VBox(
            [
                *self.inputs.values(),
                self.preview,
                self.feedback.widget,
                self.evidence_view,
                self.reflection,
                self.save_control.widget,
            ]
        )

    def values(self) -> dict[str, str]:
        return {k: w.value for k, w in self.inputs.items()}

    def answer(self) -> dict[str, Any]:
        return {**self.values(), "reflection": self.reflection.value}

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        skipped = []
        if not isinstance(answer, Mapping):
            return "Your saved problem statement could not be read; starting afresh."
        for key, widget in [*self.inputs.items(), ("reflection", self.reflection)]:
            text = saved_text(answer.get(key, ""), MAX_TEXT_CHARS)
            if text is None:
                skipped.append(FIELDS.get(key, key))
            widget.value = text or ""
        if skipped:
            return (
                "Some saved fields could not be used and were left empty: "
                + ", ".join(skipped)
                + "."
            )
        return None

    def text_fields(self) -> dict[str, str]:
        return {
            **{FIELDS[k]: v for k, v in self.values().items()},
            "My reflection": self.reflection.value,
        }

    def refresh(self) -> None:
        v = self.values()
        self.preview.value = (
            '<p style="margin:.6em 0"><strong>Your statement:</strong> '
            f"{escape(sentence(v['who'], v['needs'], v['because']))}</p>"
        )
        self.feedback.show(*self.feedback_for(v))
        snippets, _ = _context()
        cited = [s for s in d.parse_snippet_ids(v["evidence"]) if s in snippets][:6]
        self.evidence_view.value = "".join(
            f'<p style="margin:.2em 0"><strong>{escape(s)}</strong>: “{escape(snippets[s])}”</p>'
            for s in cited
        )

    def feedback_for(self, v: Mapping[str, str]) -> tuple[str, list[Message]]:
        if not any(x.strip() for x in v.values()):
            return "Checks: nothing written yet", [
                Message(
                    "info",
                    "Fill in who, needs, because and the evidence; each check "
                    "below explains itself as you write.",
                )
            ]
        return checks_feedback(
            check(v["who"], v["needs"], v["because"], v["evidence"]),
            CHECK_TITLES,
            "A problem statement the team can act on: it says whose "
            "problem it is, why it matters and where you heard it.",
        )

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = [
            quote(
                sentence(answer.get("who", ""), answer.get("needs", ""), answer.get("because", ""))
            ),
            "",
            f"Evidence: {answer.get('evidence', '').strip() or 'none cited'}.",
        ]
        checks = check(*(answer.get(k, "") for k in ("who", "needs", "because", "evidence")))
        lines.append(f"Checks passed: {sum(c.passed for c in checks)} of {len(checks)}.")
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines)


class WorkedStatement:
    """Static path: one problem statement run through the checks, for the page to show."""

    def __init__(self, who: str, needs: str, because: str, evidence: str):
        self.fields = {"who": who, "needs": needs, "because": because, "evidence": evidence}
        self.checks = check(who, needs, because, evidence)
        self.passed = sum(c.passed for c in self.checks)
        self.cited = d.parse_snippet_ids(evidence)

    @property
    def sentence(self) -> str:
        return sentence(self.fields["who"], self.fields["needs"], self.fields["because"])

    def quote(self):
        """The statement as a block quote that wraps like prose, with its evidence."""
        from IPython.display import HTML

        return HTML(
            '<blockquote class="pivot-statement" style="white-space:normal;margin:.6em 0">'
            f"<p>{escape(self.sentence)}</p>"
            f"<p>Evidence: {escape(', '.join(self.cited) or 'none cited')}.</p></blockquote>"
        )

    def glue(self, prefix: str) -> None:
        from myst_nb import glue

        glue(f"{prefix}_passed", self.passed, display=False)
        glue(f"{prefix}_checks", len(self.checks), display=False)
        glue(f"{prefix}_cited", len(self.cited), display=False)

    def table(self):
        import pandas as pd

        frame = pd.DataFrame(
            [
                {
                    "Check": CHECK_TITLES[c.name],
                    "Result": "✔ passes" if c.passed else "✖ fails",
                    "Why": c.message,
                }
                for c in self.checks
            ]
        )
        uid = f"pivot-statement-{zlib.crc32(self.sentence.encode()):08x}"
        return frame.style.hide(axis="index").set_uuid(uid)
