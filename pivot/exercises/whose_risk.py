"""Shift 3, whose risk is it? Sort a team's concerns into Cagan's four risks and their owners.

Cagan (*Inspired*, 2017) names four risks: value and viability, owned by the product manager;
usability, owned by the product designer; feasibility, owned by the engineers (here the tech
lead). ``data/risk_concerns.csv`` holds concerns raised in a Crewboard planning meeting, each
with the reference risk, owner and reason. The feedback gives the reason for each concern and
names every drift into the engineers' territory: a feasibility question taken on by the product
manager, the *how* the article asks a former engineer to leave to the team.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W

from .. import data
from ..kit import Exercise, FeedbackPanel, Message, escape
from .common import quote, restore_reflection

RISKS = data.CAGAN_RISKS
OWNERS = ("product manager", "product designer", "tech lead")
UNSET = ""
PM = "product manager"


def judge(row, risk: str, owner: str) -> Message | None:
    """Feedback on one concern: ``None`` when nothing is chosen yet."""
    if risk == UNSET and owner == UNSET:
        return None
    cid = row.concern_id
    if risk == row.risk and owner == row.owner:
        return Message("good", f"{cid}: {row.risk}, {row.owner}. Right.", row.reason)
    drift = owner == PM and row.risk == "feasibility"
    if drift:
        return Message(
            "error",
            f"{cid}: drift into the engineers' territory. This is a feasibility question, how "
            f"to build it, and it belongs to the {row.owner}, not to you.",
            row.reason,
        )
    if owner == PM and risk == "feasibility":
        return Message(
            "error",
            f"{cid}: you call it feasibility and take it yourself: that is the drift into the "
            f"engineers' territory. It is {row.risk} risk, owned by the {row.owner}.",
            row.reason,
        )
    wrong = []
    if risk not in (UNSET, row.risk):
        wrong.append(f"the risk is {row.risk}, not {risk}")
    if owner not in (UNSET, row.owner):
        wrong.append(f"its owner is the {row.owner}, not the {owner}")
    if not wrong:
        return Message("info", f"{cid}: so far so good; choose the other drop-down too.")
    return Message("warn", f"{cid}: {'; '.join(wrong)}.", row.reason)


class WhoseRisk(Exercise):
    """One row per concern: a risk drop-down and an owner drop-down; per-item feedback."""

    exercise_id = "shift3.whose_risk"
    title = "Shift 3: whose risk is it?"

    def build(self) -> W.Widget:
        self.concerns = data.load("risk_concerns")
        self.rows = {}
        boxes = []
        for r in self.concerns.itertuples(index=False):
            risk = W.Dropdown(
                options=[("— risk —", UNSET), *[(k, k) for k in RISKS]],
                value=UNSET,
                description=f"{r.concern_id} risk",
                style={"description_width": "7em"},
            )
            owner = W.Dropdown(
                options=[("— owner —", UNSET), *[(o, o) for o in OWNERS]],
                value=UNSET,
                description=f"{r.concern_id} owner",
                style={"description_width": "7em"},
            )
            risk.observe(self.changed, names="value")
            owner.observe(self.changed, names="value")
            self.rows[r.concern_id] = (r, risk, owner)
            said = W.HTML(
                f"<p><strong>{escape(r.concern_id)}, {escape(r.speaker)}:</strong> "
                f"<q>{escape(r.concern)}</q></p>"
            )
            boxes += [said, W.HBox([risk, owner], layout=W.Layout(flex_flow="row wrap"))]
        self.feedback = FeedbackPanel("Whose risk feedback")
        self.reflection = self.reflection_box(
            "Which concern would you, as a former engineer, have been most tempted to answer?"
        )
        return W.VBox(
            [
                W.HTML("<p>For each concern choose the risk and who owns it.</p>"),
                *boxes,
                self.feedback.widget,
                self.reflection,
                self.save_control.widget,
            ]
        )

    def choices(self) -> dict[str, tuple[str, str]]:
        return {cid: (risk.value, owner.value) for cid, (_r, risk, owner) in self.rows.items()}

    def answer(self) -> dict[str, Any]:
        return {
            "choices": {cid: list(v) for cid, v in self.choices().items() if v != (UNSET, UNSET)},
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved sorting could not be read; starting afresh."
        skipped = []
        choices = answer.get("choices", {})
        for cid, value in (choices if isinstance(choices, Mapping) else {}).items():
            ok = cid in self.rows and isinstance(value, list) and len(value) == 2
            ok = ok and value[0] in (UNSET, *RISKS) and value[1] in (UNSET, *OWNERS)
            if ok:
                self.rows[cid][1].value, self.rows[cid][2].value = value
            else:
                skipped.append(str(cid))
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    def refresh(self) -> None:
        self.feedback.show(*self.feedback_for(self.choices()))

    def feedback_for(self, choices) -> tuple[str, list[Message]]:
        msgs = []
        right = drifts = 0
        for cid, (risk, owner) in choices.items():
            row = self.rows[cid][0]
            m = judge(row, risk, owner)
            if m is None:
                continue
            msgs.append(m)
            right += m.level == "good"
            drifts += m.level == "error"
        total = len(self.rows)
        if not msgs:
            return f"Sorted: 0 of {total}", [
                Message("info", "Choose a risk and an owner for each concern.")
            ]
        if drifts:
            msgs.insert(
                0,
                Message(
                    "error",
                    f"{drifts} drift(s) into the engineers' territory: how to build it is "
                    "theirs. Your part is to make the need and the constraint clear.",
                ),
            )
        if right == total:
            msgs.append(Message("good", "Every concern with its risk and owner."))
        return f"Right: {right} of {total}", msgs

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = [f"- {cid}: {v[0] or '?'}, {v[1] or '?'}" for cid, v in answer["choices"].items()]
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines) or "(nothing sorted yet)"


def counts_table():
    """Static path: how many concerns fall under each risk and owner."""
    frame = data.load("risk_concerns")
    table = frame.groupby(["risk", "owner"]).size().rename("concerns").reset_index()
    return table.style.hide(axis="index").set_uuid("pivot-risk-counts")


def glue_counts(prefix: str) -> None:
    from myst_nb import glue

    frame = data.load("risk_concerns")
    glue(f"{prefix}_concerns", len(frame), display=False)
    for risk in RISKS:
        glue(f"{prefix}_{risk}", int((frame["risk"] == risk).sum()), display=False)
