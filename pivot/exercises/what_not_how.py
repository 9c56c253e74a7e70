"""Shift 3, what not how: rewrite solution-shaped requests as user stories with criteria.

Eight requests from ``data/stakeholder_requests.csv`` arrive as solutions (a red banner,
WebSockets, a dashboard). For each, the learner writes a user story ("As a …, I want …, so
that …", popularised by Cohn, *User Stories Applied*, 2004) and acceptance criteria (Given/When/
Then, after North, "Introducing BDD", 2006);
:func:`pivot.frameworks.requirements.check_rewrite` checks for a user, an outcome, no
implementation detail and testable criteria, and the feedback says why for each check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W

from .. import data
from ..frameworks import requirements as rq
from ..kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape, text_area
from .common import checks_feedback, quote, restore_reflection, saved_text
from .whose_risk import PEOPLE

TITLES = {
    "user": "Who",
    "outcome": "What for",
    "no_implementation": "What, not how",
    "testable": "Testable",
}


def speaker_label(speaker: str) -> str:
    """Who made a request, as a reader knows them: 'Marcus Bell (VP of sales)' for the cast,
    'Ben Adler (owner, ClearFlow Drains)' for a customer id such as ``C05``."""
    if speaker in PEOPLE:
        return f"{speaker} ({PEOPLE[speaker]})"
    customers = data.load("customers").set_index("customer_id")
    if speaker in customers.index:
        c = customers.loc[speaker]
        return f"{c['contact_name']} ({c['contact_role']}, {c['company']})"
    return speaker


class WhatNotHow(Exercise):
    """A request picker, the request as said, a story box and a criteria box, per-check feedback."""

    exercise_id = "shift3.what_not_how"
    title = "Shift 3: what, not how"

    def build(self) -> W.Widget:
        self.requests = data.load("stakeholder_requests")
        self.by_id = {r.request_id: r for r in self.requests.itertuples(index=False)}
        self.speakers = {rid: speaker_label(r.speaker) for rid, r in self.by_id.items()}
        self.stories: dict[str, str] = {}
        self.criteria_text: dict[str, str] = {}
        self.request = W.Dropdown(
            options=[(f"{rid}: {self.speakers[rid]}", rid) for rid in self.by_id],
            value=next(iter(self.by_id)),
            description="Request",
            style={"description_width": "11em"},
        )
        self.said = W.HTML()
        self.story = text_area("User story", placeholder="As a …, I want …, so that …", rows=3)
        self.criteria = text_area(
            "Acceptance criteria",
            placeholder="One per line: Given …, when …, then … (with a number where you can)",
            rows=5,
        )
        self.show_reference = W.Checkbox(
            value=False, description="Show the course's rewrite", indent=False
        )
        self.reference = W.HTML()
        self.feedback = FeedbackPanel("What not how feedback")
        self.reflection = self.reflection_box(
            "Which request in your own backlog prescribes the how? Rewrite its first line."
        )
        self._switching = False
        self.request.observe(self._switch, names="value")
        self.story.observe(self._typed, names="value")
        self.criteria.observe(self._typed, names="value")
        self.show_reference.observe(lambda _c: self.refresh(), names="value")
        self._show_request()
        return W.VBox(
            [
                W.HTML("<p>Choose a request, then rewrite it as what and why.</p>"),
                self.request,
                self.said,
                self.story,
                self.criteria,
                self.feedback.widget,
                self.show_reference,
                self.reference,
                self.reflection,
                self.save_control.widget,
            ]
        )

    def _show_request(self) -> None:
        r = self.by_id[self.request.value]
        self.said.value = (
            f"<p><strong>{escape(self.speakers[r.request_id])} asks:</strong> "
            f"<q>{escape(r.request)}</q></p>"
        )

    def _switch(self, _change=None) -> None:
        self._switching = True
        try:
            self._show_request()
            self.story.value = self.stories.get(self.request.value, "")
            self.criteria.value = self.criteria_text.get(self.request.value, "")
        finally:
            self._switching = False
        self.refresh()

    def _typed(self, _change=None) -> None:
        if self._switching:
            return
        rid = self.request.value
        self.stories[rid] = self.story.value
        self.criteria_text[rid] = self.criteria.value
        self.changed()

    # --- state ----------------------------------------------------------------------------
    def answer(self) -> dict[str, Any]:
        rewrites = {
            rid: {"story": self.stories.get(rid, ""), "criteria": self.criteria_text.get(rid, "")}
            for rid in self.by_id
            if self.stories.get(rid) or self.criteria_text.get(rid)
        }
        return {
            "current": self.request.value,
            "rewrites": rewrites,
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved rewrites could not be read; starting afresh."
        skipped = []
        rewrites = answer.get("rewrites", {})
        for rid, entry in (rewrites if isinstance(rewrites, Mapping) else {}).items():
            if rid not in self.by_id or not isinstance(entry, Mapping):
                skipped.append(f"rewrite of {rid}")
                continue
            story = saved_text(entry.get("story", ""), MAX_TEXT_CHARS)
            crit = saved_text(entry.get("criteria", ""), MAX_TEXT_CHARS)
            if story is None or crit is None:
                skipped.append(f"rewrite of {rid}")
                continue
            self.stories[rid], self.criteria_text[rid] = story, crit
        current = answer.get("current")
        if isinstance(current, str) and current in self.by_id:
            self.request.value = current
        self._switch()
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        fields = {"My reflection": self.reflection.value}
        for rid in self.by_id:
            fields[f"User story {rid}"] = self.stories.get(rid, "")
            fields[f"Acceptance criteria {rid}"] = self.criteria_text.get(rid, "")
        return fields

    def refresh(self) -> None:
        rid = self.request.value
        r = self.by_id[rid]
        self.reference.value = (
            (
                f"<p><strong>The course's rewrite:</strong> {escape(r.reference_story)}</p>"
                f"<p><strong>Criteria:</strong> {escape(r.reference_criteria)}</p>"
                f"<p><strong>The how in the request:</strong> {escape(r.implementation_detail)}</p>"
            )
            if self.show_reference.value
            else ""
        )
        self.feedback.show(*self.feedback_for(rid, self.story.value, self.criteria.value))

    def feedback_for(self, rid: str, story: str, criteria: str) -> tuple[str, list[Message]]:
        if not story.strip() and not criteria.strip():
            said = rq.find_implementation_words(self.by_id[rid].request)
            return f"{rid}: not rewritten yet", [
                Message(
                    "info",
                    "The request prescribes the how: "
                    + (", ".join(said) if said else "a particular solution")
                    + ". Write who needs what, and why.",
                )
            ]
        if len(story) + len(criteria) > MAX_TEXT_CHARS:
            return f"{rid}: too long to check", [
                Message(
                    "error", f"Keep the story and criteria under {MAX_TEXT_CHARS:,} characters."
                )
            ]
        checks = rq.check_rewrite(story, criteria)
        heading, msgs = checks_feedback(
            checks, TITLES, "A story about the need, with criteria anyone can test: well done."
        )
        return f"{rid}: {heading}", msgs

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = []
        for rid, entry in answer.get("rewrites", {}).items():
            r = self.by_id.get(rid)
            title = f"**{rid}**, {self.speakers[rid]}: “{r.request}”" if r else f"**{rid}**"
            lines += [title, "", quote(entry.get("story", "") or "(no story)"), ""]
            if entry.get("criteria", "").strip():
                lines += ["Acceptance criteria:", "", quote(entry["criteria"]), ""]
        if answer.get("reflection", "").strip():
            lines += ["Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines) or "(nothing written yet)"


class WorkedRequest:
    """Static path: one request, what is implementation in it, and the reference rewrite."""

    def __init__(self, request_id: str = "R02"):
        self.row = data.load("stakeholder_requests").set_index("request_id").loc[request_id]
        self.request_id = request_id

    def glue(self, prefix: str) -> None:
        from myst_nb import glue

        from .prioritise_backlog import _Plain

        words = rq.find_implementation_words(self.row["request"])
        glue(f"{prefix}_words", _Plain(", ".join(words)), display=False)
        glue(f"{prefix}_nwords", len(words), display=False)
        checks = rq.check_rewrite(self.row["reference_story"], self.row["reference_criteria"])
        glue(f"{prefix}_passed", sum(c.passed for c in checks), display=False)
        glue(f"{prefix}_checks", len(checks), display=False)

    def table(self):
        import pandas as pd

        frame = pd.DataFrame(
            {
                "Part": ["The request", "The how in it", "Rewritten story", "Acceptance criteria"],
                "Text": [
                    self.row["request"],
                    self.row["implementation_detail"],
                    self.row["reference_story"],
                    self.row["reference_criteria"],
                ],
            }
        )
        return frame.style.hide(axis="index").set_uuid(f"pivot-request-{self.request_id}")


def requests_table():
    """Static path: every request with the implementation words the checker finds in it."""
    import pandas as pd

    requests = data.load("stakeholder_requests")
    frame = pd.DataFrame(
        {
            "Request": requests["request_id"],
            "Asked by": [speaker_label(s) for s in requests["speaker"]],
            "The request as made": requests["request"],
            "The how the checker finds": [
                ", ".join(rq.find_implementation_words(t)) for t in requests["request"]
            ],
        }
    )
    return frame.style.hide(axis="index").set_uuid("pivot-requests")
