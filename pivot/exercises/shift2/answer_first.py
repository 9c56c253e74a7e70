"""Shift 2, answer first: rebuild a rambling status update, then pitch the top priority.

Two exercises on Barbara Minto's *Pyramid Principle* (3rd ed., FT Prentice Hall): the main
point first, its support grouped and in order below it, and an introduction that tells a short
story of situation, complication and question (SCQA).

- :class:`RebuildUpdate` (``shift2.rebuild_update``), an ordering task: the seven pieces of a
  rambling status update about the schedule-change fix and the live-map request, to be put in
  the course's order for a status update: the answer (the recommendation and the ask) first,
  then the situation, the complication and the question they raise, then the support, grouped
  (the two reasons for the fix together) and in the order the answer names its claims.
  Minto describes both orders for an introduction: the standard one, situation, complication,
  question and then the answer, and a direct one that opens with the answer and follows it with
  the situation and complication. The course always uses the direct order for a short update or
  pitch, read on a phone between meetings.
- :class:`Pitch` (``shift2.pitch``): the learner picks one stakeholder (those placed on their
  stakeholder map first, with the strategy they chose) and writes a pitch of the schedule-change
  fix; :mod:`pivot.frameworks.pyramid` checks it: answer first, one ask, evidence from the case,
  at most :data:`~pivot.frameworks.pyramid.MAX_WORDS` words, the stakeholder's interest.

Every number in the update's pieces is computed from the data sets.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import ipywidgets as W
import pandas as pd

from ... import data
from ...frameworks import prioritization, pyramid
from ...kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape, text_area
from ..common import checks_feedback, html_table, quote, restore_reflection, saved_text
from ..ordering import OrderingExercise
from .stakeholder_map import load_stakeholders
from .stakeholder_map import saved_map as _saved_map

UNSET = ""
MAP_PAGE = "10-stakeholder-map.ipynb"
MAP_TITLE = "Map your stakeholders"


# --- the stakeholders and the learner's saved map (page 1 of the part) ------------------------
def saved_map(workbook) -> dict[str, dict]:
    """The learner's saved stakeholder map (``{stakeholder_id: {"power", "interest",
    "strategy"}}``), or ``{}`` when there is none or it cannot be read."""
    try:
        placed = _saved_map(workbook)
    except Exception:  # the contract is "never an exception"; guard it anyway
        return {}
    return placed if isinstance(placed, Mapping) else {}


def stakeholder_options(stakeholders: pd.DataFrame, placed: Mapping[str, Any]):
    """The drop-down's options: ``[(label, stakeholder_id), ...]``, the stakeholders the learner
    placed on their map first (in the data's order), labelled with the strategy they chose,
    then the others."""
    on_map, others = [], []
    for r in stakeholders.itertuples(index=False):
        who = f"{r.name} ({r.role}, {r.organisation})"
        entry = placed.get(r.stakeholder_id)
        if isinstance(entry, Mapping):
            strategy = entry.get("strategy")
            tag = f"on your map: {strategy}" if strategy else "on your map, no strategy yet"
            on_map.append((f"{who} — {tag}", r.stakeholder_id))
        else:
            others.append((who, r.stakeholder_id))
    return on_map + others


# --- the status update ---------------------------------------------------------------------------
def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x) == int(x) else f"{x:,.2f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=1)
def update_facts() -> dict[str, str]:
    """The figures the status update quotes, computed from the data sets, as text."""
    scored = prioritization.score_backlog(data.load("backlog"), "rice").set_index("item_id")
    interviews = data.load("interviews")
    customers = data.load("customers")
    status = dict(zip(customers["customer_id"], customers["status"], strict=True))
    raised = interviews.loc[
        interviews["pain_point"] == "schedule_changes_not_seen", "customer_id"
    ].unique()
    churned = [c for c in raised if status.get(c) == "churned"]
    all_churned = [c for c, s in status.items() if s == "churned"]
    facts = {
        "accounts": _fmt(len(raised)),
        "interviewed": _fmt(interviews["customer_id"].nunique()),
        "churned": "both churned accounts"
        if len(churned) == len(all_churned) == 2
        else f"{len(churned)} of the {len(all_churned)} churned accounts",
        "items": _fmt(len(scored)),
    }
    for item in ("B01", "B02", "B03"):
        row = scored.loc[item]
        for col in ("reach", "effort", "score", "rank"):
            facts[f"{item}_{col}"] = _fmt(float(row[col]))
        facts[f"{item}_confidence"] = _fmt(float(row["confidence"]))
    return facts


def update_steps() -> list[tuple[str, str]]:
    """The seven pieces of the status update in the course's order, each with why it sits
    there: the answer; situation, complication, question; the support, grouped."""
    f = update_facts()
    return [
        (
            "I recommend the team builds the schedule-change fix next, B01 then B02, and the live "
            "map (B03) after it: can you approve that order on Thursday?",
            "The answer: the recommendation and the one ask, the governing thought at the top of "
            "the pyramid. In a status update it comes first, so that a reader who reads one "
            "sentence has the point.",
        ),
        (
            "Every morning our customers' technicians start their day from the job list in the "
            "Crewboard app, and dispatchers move jobs as the day changes.",
            "The situation: what the reader already knows and agrees with. It opens the "
            "introduction that explains why a decision is needed.",
        ),
        (
            "But a job the dispatcher moves can stay on the technician's screen, and Marcus wants "
            "the live map now, to win Granite Peak Facilities.",
            "The complication: what went wrong in that situation (‘But …’), which makes a "
            "decision necessary.",
        ),
        (
            "So the question for this quarter is which to build first: the fix or the map.",
            "The question the complication raises, the one the answer at the top answers.",
        ),
        (
            f"Customers feel it most: {f['accounts']} of the {f['interviewed']} accounts we "
            f"interviewed raised missed schedule changes, {f['churned']} among them.",
            "The first support for the answer, and of the first kind: why the fix comes first, "
            "from the customers.",
        ),
        (
            f"The scores agree with them: by RICE, B01 scores {f['B01_score']} and B02 "
            f"{f['B02_score']}, the top two of {f['items']} items, for {f['B01_effort']} "
            "person-month each.",
            "The second reason for the fix, in the same group as the first: it points back to "
            "the customers (‘agree with them’).",
        ),
        (
            f"The map can follow those two fixes: it scores {f['B03_score']} (rank "
            f"{f['B03_rank']}), reaching {f['B03_reach']} accounts a quarter for "
            f"{f['B03_effort']} person-months.",
            "The last support: why the map can wait. The support follows the order in which the "
            "answer names the two items, the fix and then the map.",
        ),
    ]


#: Short names of the pieces' roles, in the course's order.
ROLES = (
    "the answer",
    "the situation",
    "the complication",
    "the question",
    "support: the customers",
    "support: the scores",
    "support: the map",
)


def _too_early(steps: list[tuple[str, str]]) -> dict[str, str]:
    s = [t for t, _ in steps]
    return {
        s[1]: "The situation is background. Before the answer it makes the reader wait for the "
        "point: in a status update, the recommendation leads and the story follows.",
        s[2]: "A complication is a change to a situation (‘But …’): before the situation is set, "
        "it has nothing to push against.",
        s[3]: "The question comes out of the complication: asked before it, it comes from nowhere.",
        s[4]: "Support answers the ‘why?’ that the answer raises: before the reader has the "
        "question, the numbers are facts without a point.",
        s[5]: "‘The scores agree with them’ points back to the customers' evidence: it belongs "
        "right after it, in the same group.",
        s[6]: "‘Those two fixes’ points back: the map's low score only explains the order once "
        "the case for the fix is made.",
    }


def _too_late(steps: list[tuple[str, str]]) -> dict[str, str]:
    s = [t for t, _ in steps]
    return {
        s[0]: "The answer is the top of the pyramid, and everything else supports it. Minto "
        "presents ideas top-down, the point before what supports it; a reader who stops after "
        "one sentence should already have it.",
        s[1]: "The situation opens the introduction: the complication, the question and the "
        "support all build on it.",
        s[2]: "The question and the support respond to the complication: after them, the reader "
        "meets reasons for a problem they have not been told about.",
        s[3]: "The support answers the question: ask it first, so the reasons read as an answer.",
        s[4]: "The customers' evidence is the first reason for the fix, and ‘the scores agree "
        "with them’ needs it before.",
        s[5]: "It belongs with the other reason for the fix: ideas of one kind stay together, "
        "before the map's.",
    }


#: The order the drop-downs offer the pieces in, which is also the rambling update's order:
#: background first, the answer last.
OFFERED_ORDER = (1, 4, 2, 6, 3, 5, 0)


class RebuildUpdate(OrderingExercise):
    """Seven positions, each a drop-down of the seven pieces; per-position feedback says why."""

    exercise_id = "shift2.rebuild_update"
    title = "Shift 2: rebuild a rambling status update"
    offered_order = OFFERED_ORDER
    feedback_label = "Status update order feedback"
    reflection_prompt = (
        "Think of the last update you sent: where was your answer, and what would you move?"
    )
    first_hint = "Choose the piece that should open the update at Step 1, and so on."
    all_right = (
        "The update in order: the answer first; then situation, complication and question, "
        "which tell why it was needed; then the support, the two reasons for the fix together "
        "and the map last, in the order the answer names them."
    )

    def __init__(self, workbook=None):
        self.steps = update_steps()
        self.too_early = _too_early(self.steps)
        self.too_late = _too_late(self.steps)
        super().__init__(workbook)

    def build(self) -> W.Widget:
        box = super().build()
        for dd in self.positions:
            dd.layout = W.Layout(width="100%", max_width="60em")
        rambling = " ".join(escape(s) for s in self.offered)
        intro = W.HTML(
            '<div class="pivot-rambling" style="border-left:4px solid #999999;padding:.3em '
            '.8em;margin:.3em 0;background:#F7F7F7;color:#111111"><p style="margin:.2em 0">'
            "<strong>The update as it was sent, to Dana Okafor:</strong></p>"
            f"<p style='margin:.2em 0'>{rambling}</p></div>"
            "<p>Rebuild it: the answer first, then situation, complication and question, "
            "then the support, grouped. Choose a piece for each step, first to last.</p>"
        )
        box.children = (intro, *box.children[1:])
        return box


def reference_update() -> str:
    """The rebuilt update, as one paragraph (for the answer key)."""
    return " ".join(t for t, _ in update_steps())


# --- the pitch -----------------------------------------------------------------------------------
class Pitch(Exercise):
    """Pick a stakeholder, write a pitch of the schedule-change fix, and get five checks."""

    exercise_id = "shift2.pitch"
    title = "Shift 2: pitch the top priority to one stakeholder"

    def build(self) -> W.Widget:
        self.stakeholders = load_stakeholders().set_index("stakeholder_id", drop=False)
        self.placed = saved_map(self.workbook)
        self.figures = _case_figures()
        self.who = W.Dropdown(
            options=[
                ("— choose a stakeholder —", UNSET),
                *stakeholder_options(self.stakeholders, self.placed),
            ],
            value=UNSET,
            description="Pitch to",
            style={"description_width": "11em"},
            layout=W.Layout(width="46em", max_width="100%"),
        )
        self.who.observe(self.changed, names="value")
        self.about = W.HTML()
        self.pitch = text_area("My pitch", placeholder="Your answer first, then why …", rows=7)
        self.pitch.observe(self.changed, names="value")
        self.check_button = W.Button(
            description="Check my pitch", tooltip="Run the five checks on the pitch as written"
        )
        self.check_button.on_click(lambda _b: self.refresh())
        self.feedback = FeedbackPanel("Pitch feedback")
        self.reflection = self.reflection_box(
            "Who in your own work needs a pitch from you this month, and what is their interest?"
        )
        if self.placed:
            notice = (
                f"<p>The {len(self.placed)} stakeholder(s) you placed on your map come first in "
                "the list, with the strategy you chose.</p>"
            )
        else:
            notice = (
                '<p class="pivot-no-map">You have not saved a stakeholder map yet, so the list '
                f'is in the data\'s order. Place them on <a href="{MAP_PAGE}">{MAP_TITLE}</a> '
                "(page 1 of this part) to see yours first; you can still pitch to anyone.</p>"
            )
        return W.VBox(
            [
                W.HTML(
                    "<p>Pitch the schedule-change fix (B01, then B02, before the live map B03) "
                    f"to one stakeholder, in at most {pyramid.MAX_WORDS} words.</p>" + notice
                ),
                self.who,
                self.about,
                self.pitch,
                self.check_button,
                self.feedback.widget,
                self.reflection,
                self.save_control.widget,
            ]
        )

    # --- state -----------------------------------------------------------------------------
    def chosen(self):
        sid = self.who.value
        return self.stakeholders.loc[sid] if sid in self.stakeholders.index else None

    def answer(self) -> dict[str, Any]:
        return {
            "stakeholder": self.who.value,
            "pitch": self.pitch.value,
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved pitch could not be read; starting afresh."
        skipped = []
        sid = answer.get("stakeholder", UNSET)
        valid = {v for _label, v in self.who.options}
        if isinstance(sid, str) and sid in valid:
            self.who.value = sid
        else:
            skipped.append("stakeholder")
        text = saved_text(answer.get("pitch", ""), MAX_TEXT_CHARS)
        if text is None:
            skipped.append("pitch")
        self.pitch.value = text or ""
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {"My pitch": self.pitch.value, "My reflection": self.reflection.value}

    # --- feedback --------------------------------------------------------------------------
    def refresh(self) -> None:
        row = self.chosen()
        self.about.value = _about_html(row, self.placed)
        self.feedback.show(*self.feedback_for(self.pitch.value, row))

    def feedback_for(self, text: str, row) -> tuple[str, list[Message]]:
        text = str(text or "")
        if len(text) > MAX_TEXT_CHARS:
            return "Checks: not run", [
                Message(
                    "error",
                    f"Your pitch is {len(text):,} characters long, over the limit of "
                    f"{MAX_TEXT_CHARS:,}; a pitch is a short paragraph. Shorten it to check it.",
                )
            ]
        if not text.strip():
            return "Checks: nothing written yet", [
                Message(
                    "info",
                    "Choose a stakeholder, then write your pitch in the box: the answer first.",
                )
            ]
        terms = pyramid.split_terms(row["interest_terms"]) if row is not None else []
        who = row["name"] if row is not None else "this stakeholder"
        checks = pyramid.check_pitch(text, terms, self.figures, who)
        _matched, unknown = pyramid.match_numbers(pyramid.numbers_in(text), self.figures)
        extra = []
        if unknown:
            extra.append(
                Message(
                    "warn",
                    "Not a case figure — check it: "
                    + ", ".join(f"‘{n.text}’" for n in unknown[:5])
                    + ".",
                    "Every number in a pitch should be one the reader can trace to the case "
                    "data; a wrong one costs you the others.",
                )
            )
        return checks_feedback(checks, TITLES, ALL_PASSED, extra)

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        sid = answer.get("stakeholder", UNSET)
        if isinstance(sid, str) and sid in self.stakeholders.index:
            r = self.stakeholders.loc[sid]
            who = f"{r['name']} ({r['role']}, {r['organisation']})"
        else:
            who = "(no stakeholder chosen)"
        pitch = str(answer.get("pitch", "") or "")
        lines = [f"Pitch to: {who}", ""]
        lines.append(quote(pitch) if pitch.strip() else "(no pitch written yet)")
        if pitch.strip():
            lines += ["", f"Words: {pyramid.word_count(pitch)} (limit {pyramid.MAX_WORDS})"]
        if str(answer.get("reflection", "") or "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines)


#: The checks' titles, as the feedback names them.
TITLES = {
    "answer_first": "Answer first",
    "one_ask": "One ask",
    "evidence": "Evidence from the case",
    "length": f"At most {pyramid.MAX_WORDS} words",
    "interest": "Their interest",
}
ALL_PASSED = (
    "All five checks pass: the answer first, one ask, a figure the reader can check, short "
    "enough to read, and in the reader's terms. Now read it aloud as they would."
)


@lru_cache(maxsize=1)
def _case_figures_cached() -> tuple[pyramid.CaseFigure, ...]:
    return tuple(pyramid.load_case_figures())


def _case_figures() -> list[pyramid.CaseFigure]:
    return list(_case_figures_cached())


def _about_html(row, placed: Mapping[str, Any]) -> str:
    if row is None:
        return ""
    entry = placed.get(row["stakeholder_id"])
    where = ""
    if isinstance(entry, Mapping) and entry.get("strategy"):
        where = f" On your map: <em>{escape(entry['strategy'])}</em>."
    terms = ", ".join(pyramid.split_terms(row["interest_terms"]))
    return (
        f'<p style="margin:.3em 0"><strong>{escape(row["name"])}</strong> cares about: '
        f"{escape(row['interest_in_decision'])}{where}</p>"
        f'<p style="margin:.3em 0;font-size:90%">Words that show you address it: '
        f"{escape(terms)}.</p>"
    )


# --- the static path -----------------------------------------------------------------------------
def stakeholder_row(name: str):
    """The stakeholder called ``name`` (for the worked examples)."""
    table = load_stakeholders()
    rows = table[table["name"] == name]
    if rows.empty:
        raise KeyError(f"no stakeholder named {name!r} in data/stakeholders.csv")
    return rows.iloc[0]


def checks_table(text: str, name: str) -> str:
    """The five checks on ``text`` pitched to ``name``, as an HTML table (static path)."""
    row = stakeholder_row(name)
    checks = pyramid.check_pitch(
        text, pyramid.split_terms(row["interest_terms"]), _case_figures(), row["name"]
    )
    return html_table(
        ["Check", "Result", "Why"],
        [(TITLES[c.name], "passes" if c.passed else "fails", c.message) for c in checks],
        caption=f"The five checks on the pitch to {name}",
        wide=("Why",),
    )


def glue_facts(prefix: str) -> None:
    """Glue the update's figures and the length limit for the page's prose."""
    from myst_nb import glue

    for key, value in update_facts().items():
        glue(f"{prefix}_{key}", value, display=False)
    glue(f"{prefix}_max_words", pyramid.MAX_WORDS, display=False)
