"""Shift 3, whose risk is it? Sort a team's concerns into Cagan's four risks, then say who answers.

Cagan (*Inspired*, 2nd ed., 2017) names four risks: value and viability, which the product
manager owns; usability, which the product designer owns; feasibility, which the engineers own.
``data/risk_concerns.csv`` holds thirteen concerns raised about Crewboard's next bet, each with
the reference risk, the person in the case who should answer it, and why.

The second question is a decision of its own, not a restatement of the first: the learner picks
a *person* from the cast, and most concerns are raised by someone who should not answer them
(a viability worry from finance is still the product manager's; a question about the phone's
storage raised by the backend engineer is the mobile engineer's; a rewrite that spans the phone
and the server is for the head of engineering). The feedback says why for each concern, and
names every drift into the engineers' territory: a feasibility question the product manager
takes on, the *how* the article asks a former engineer to leave to the team.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W
import pandas as pd

from .. import data
from ..kit import Exercise, FeedbackPanel, Message, escape
from .common import quote, restore_reflection

RISKS = data.CAGAN_RISKS
UNSET = ""
YOU = "You"
#: Who can answer a concern: you and the people at Kestrel Works, with their roles as the cast
#: table in book/case-study.md gives them (the canon).
PEOPLE: dict[str, str] = {
    YOU: "product manager",
    "Lena Fischer": "product designer",
    "Aiko Tanaka": "mobile engineer",
    "Jonah Weiss": "backend engineer",
    "Ravi Menon": "head of engineering",
    "Priya Natarajan": "QA engineer",
    "Sofia Reyes": "customer success lead",
    "Marcus Bell": "VP of sales",
    "Grace Liu": "finance and operations",
    "Dana Okafor": "CEO and co-founder",
}
#: The engineers, who own feasibility on an empowered team (Cagan).
ENGINEERS = ("Aiko Tanaka", "Jonah Weiss", "Ravi Menon")
#: Who owns each risk, by name in the case: you for value and viability, Lena for usability,
#: one of the engineers for feasibility.
OWNERS_BY_RISK: dict[str, tuple[str, ...]] = {
    "value": (YOU,),
    "viability": (YOU,),
    "usability": ("Lena Fischer",),
    "feasibility": ENGINEERS,
}
#: ``data/risk_concerns.csv`` with the column this exercise adds: ``answered_by``, a person
#: from :data:`PEOPLE`; ``speaker`` must be someone from the cast.
_SPEAKER = data.Column("speaker", choices=tuple(p for p in PEOPLE if p != YOU))
SCHEMA = data.Schema(
    "risk_concerns",
    (
        *(_SPEAKER if c.name == "speaker" else c for c in data.SCHEMAS["risk_concerns"].columns),
        data.Column("answered_by", choices=tuple(PEOPLE)),
    ),
    data.SCHEMAS["risk_concerns"].description,
    min_rows=4,
)


def load_concerns() -> pd.DataFrame:
    """The concerns, validated, with who should answer each (see :data:`SCHEMA`)."""
    return data.read_table(data.data_dir() / "risk_concerns.csv", SCHEMA)


def person(name: str) -> str:
    """'Aiko Tanaka (mobile engineer)'; 'you' for the product manager."""
    return "you" if name == YOU else f"{name} ({PEOPLE[name]})"


def first_name(name: str) -> str:
    return name.split()[0]


def _who_is_wrong(row, who: str) -> str:
    """Why ``who`` is not the person to answer ``row``'s concern, in one clause."""
    right = person(row.answered_by)
    if who == row.speaker and who != row.answered_by:
        return f"{first_name(who)} raised it, but {right} should answer it"
    if row.answered_by == YOU:
        return (
            f"{person(who)} may bring what they know, but {row.risk} risk is yours as the "
            "product manager: you should answer it"
        )
    if who == YOU:
        return f"{right} should answer it, not you"
    if row.risk == "feasibility" and who in ENGINEERS:
        return f"it is an engineering question, but for {right}, not {person(who)}"
    return f"{right} should answer it, not {person(who)}"


def judge(row, risk: str, who: str) -> Message | None:
    """Feedback on one concern: ``None`` when nothing is chosen yet."""
    if risk == UNSET and who == UNSET:
        return None
    cid = row.concern_id
    if risk == row.risk and who == row.answered_by:
        return Message(
            "good", f"{cid}: {row.risk}, answered by {person(row.answered_by)}. Right.", row.reason
        )
    if who == YOU and row.risk == "feasibility":
        return Message(
            "error",
            f"{cid}: drift into the engineers' territory. This is a feasibility question, how "
            f"to build it, and {person(row.answered_by)} should answer it, not you.",
            row.reason,
        )
    if who == YOU and risk == "feasibility":
        return Message(
            "error",
            f"{cid}: you call it feasibility and answer it yourself: that is the drift into the "
            f"engineers' territory. It is {row.risk} risk, and {person(row.answered_by)} "
            "should answer it.",
            row.reason,
        )
    wrong = []
    if risk not in (UNSET, row.risk):
        wrong.append(f"the risk is {row.risk}, not {risk}")
    if who not in (UNSET, row.answered_by):
        wrong.append(_who_is_wrong(row, who))
    if not wrong:
        return Message("info", f"{cid}: so far so good; choose the other drop-down too.")
    return Message("warn", f"{cid}: {'; '.join(wrong)}.", row.reason)


class WhoseRisk(Exercise):
    """One row per concern: a risk drop-down and a who-answers drop-down; per-item feedback."""

    exercise_id = "shift3.whose_risk"
    title = "Shift 3: whose risk is it?"

    def build(self) -> W.Widget:
        self.concerns = load_concerns()
        self.rows = {}
        boxes = []
        people = [(f"{p} ({role})", p) for p, role in PEOPLE.items()]
        for r in self.concerns.itertuples(index=False):
            risk = W.Dropdown(
                options=[("— risk —", UNSET), *[(k, k) for k in RISKS]],
                value=UNSET,
                description=f"{r.concern_id} risk",
                style={"description_width": "9em"},
            )
            who = W.Dropdown(
                options=[("— who answers it —", UNSET), *people],
                value=UNSET,
                description=f"{r.concern_id} who answers",
                style={"description_width": "9em"},
                layout=W.Layout(width="30em", max_width="100%"),
            )
            risk.observe(self.changed, names="value")
            who.observe(self.changed, names="value")
            self.rows[r.concern_id] = (r, risk, who)
            said = W.HTML(
                f"<p><strong>{escape(r.concern_id)}, {escape(r.speaker)} "
                f"({escape(PEOPLE[r.speaker])}):</strong> <q>{escape(r.concern)}</q></p>"
            )
            boxes += [said, W.HBox([risk, who], layout=W.Layout(flex_flow="row wrap"))]
        self.feedback = FeedbackPanel("Whose risk feedback")
        self.reflection = self.reflection_box(
            "Which concern would you, as a former engineer, have been most tempted to answer?"
        )
        return W.VBox(
            [
                W.HTML(
                    "<p>For each concern choose the risk, then the person who should answer "
                    "it. That is often not the person who raised it.</p>"
                ),
                *boxes,
                self.feedback.widget,
                self.reflection,
                self.save_control.widget,
            ]
        )

    def choices(self) -> dict[str, tuple[str, str]]:
        return {cid: (risk.value, who.value) for cid, (_r, risk, who) in self.rows.items()}

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
            if cid not in self.rows or not isinstance(value, list) or len(value) != 2:
                skipped.append(str(cid))
                continue
            risk, who = value
            _r, risk_box, who_box = self.rows[cid]
            if risk in (UNSET, *RISKS):
                risk_box.value = risk
            else:
                skipped.append(f"{cid} risk")
            if who in (UNSET, *PEOPLE):
                who_box.value = who
            else:  # e.g. a role saved by an earlier version of this exercise
                skipped.append(f"{cid} who answers")
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    def refresh(self) -> None:
        self.feedback.show(*self.feedback_for(self.choices()))

    def feedback_for(self, choices) -> tuple[str, list[Message]]:
        msgs = []
        right = drifts = 0
        for cid, (risk, who) in choices.items():
            row = self.rows[cid][0]
            m = judge(row, risk, who)
            if m is None:
                continue
            msgs.append(m)
            right += m.level == "good"
            drifts += m.level == "error"
        total = len(self.rows)
        if not msgs:
            return f"Sorted: 0 of {total}", [
                Message("info", "Choose a risk and who should answer it, for each concern.")
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
            msgs.append(Message("good", "Every concern with its risk and the person to answer it."))
        return f"Right: {right} of {total}", msgs

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = []
        for cid, (risk, who) in answer["choices"].items():
            row = self.rows[cid][0] if cid in self.rows else None
            said = f", {row.speaker}: “{row.concern}”" if row is not None else ""
            verdict = ""
            if row is not None and (risk, who) == (row.risk, row.answered_by):
                verdict = " (right)"
            elif row is not None and UNSET not in (risk, who):
                verdict = f" (course's answer: {row.risk}, {row.answered_by})"
            lines.append(f"- {cid}{said} — {risk or '?'}, {who or '?'}{verdict}")
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines) or "(nothing sorted yet)"


def counts_table():
    """Static path: how many concerns fall under each risk, and how many of them should be
    answered by someone other than the person who raised them."""
    frame = load_concerns()
    frame["elsewhere"] = frame["speaker"] != frame["answered_by"]
    table = (
        frame.groupby("risk", sort=False)
        .agg(concerns=("concern_id", "size"), elsewhere=("elsewhere", "sum"))
        .reindex(RISKS)
        .reset_index()
    )
    table.columns = ["Risk", "Concerns", "To be answered by someone other than who raised it"]
    return table.style.hide(axis="index").set_uuid("pivot-risk-counts")


def glue_counts(prefix: str) -> None:
    from myst_nb import glue

    frame = load_concerns()
    glue(f"{prefix}_concerns", len(frame), display=False)
    for risk in RISKS:
        glue(f"{prefix}_{risk}", int((frame["risk"] == risk).sum()), display=False)
    elsewhere = int((frame["speaker"] != frame["answered_by"]).sum())
    glue(f"{prefix}_elsewhere", elsewhere, display=False)
