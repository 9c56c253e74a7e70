"""Shift 2, negotiate the live map: positions and interests, then a multi-issue negotiation.

Marcus Bell, VP of sales, wants the live map (B03) now, for the prospect Granite Peak
Facilities; the ranking of Shift 3 puts the schedule-change fix (B01, B02) first.

- :class:`PositionsInterests`: ten things Marcus says (``data/marcus_statements.csv``), each to
  be labelled a *position* (what he demands) or an *interest* (why he wants it), after Fisher
  and Ury's *Getting to Yes* (1981; 3rd ed. with Patton, 2011). The feedback gives the reason
  and, for every position, the interest behind it.
- :class:`Negotiation`: four issues with three options each (``data/negotiation_issues.csv``),
  a points table for each side and each side's BATNA and reservation value
  (``data/negotiation_sides.csv``), in the additive form of Raiffa's *The Art and Science of
  Negotiation* (1982). The learner sees only their own table, proposes packages and hears
  Marcus's answer; after :data:`REVEAL_AFTER` proposals they may reveal his table, and then the
  feedback scores every proposal for both sides, says whether a zone of agreement exists and
  how much joint value each proposal leaves on the table, with the trade across issues that
  recovers it. Every number comes from :mod:`pivot.frameworks.negotiation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W
import pandas as pd

from ... import data
from ...frameworks import negotiation as neg
from ...frameworks.prioritization import rice_score
from ...kit import Exercise, FeedbackPanel, Message, escape
from ...plots import negotiation_chart
from ..common import html_table, quote, restore_reflection

UNSET = ""
LABELS = ("position", "interest")
YOU, MARCUS = "you", "marcus"
#: Proposals before Marcus's table can be revealed. In a real negotiation you never see the
#: other side's table: you learn what matters to them from how they answer your proposals.
#: Three proposals make the learner practise that before the analysis shows the answer.
REVEAL_AFTER = 3
#: The most proposals kept in the history (older ones are dropped, oldest first).
MAX_PROPOSALS = 40

STATEMENTS_SCHEMA = data.Schema(
    "marcus_statements",
    (
        data.Column("statement_id", pattern=r"M\d{2}", unique=True),
        data.Column("statement", max_chars=300, unique=True),
        data.Column("label", choices=LABELS),
        data.Column("interest_behind", required=False, max_chars=300),
        data.Column("reason", max_chars=600),
    ),
    "Shift 2: things Marcus Bell says about the live map, each a position or an interest.",
    min_rows=4,
)
ISSUES_SCHEMA = data.Schema(
    "negotiation_issues",
    (
        data.Column("issue_id", pattern=r"[a-z][a-z0-9_]*"),
        data.Column("issue", max_chars=80),
        data.Column("option_id", pattern=r"[a-z][a-z0-9_]*"),
        data.Column("option", max_chars=120),
        data.Column("your_points", "float", minimum=0, maximum=100),
        data.Column("marcus_points", "float", minimum=0, maximum=100),
        data.Column("marcus_says", required=False, max_chars=300),
    ),
    "Shift 2: the issues of the live-map negotiation, each option's points for each side.",
    min_rows=4,
)
SIDES_SCHEMA = data.Schema(
    "negotiation_sides",
    (
        data.Column("side", choices=(YOU, MARCUS), unique=True),
        data.Column("person", max_chars=80),
        data.Column("batna", max_chars=800),
        data.Column("reservation_points", "float", minimum=0, maximum=100),
    ),
    "Shift 2: each side's BATNA and reservation value in the live-map negotiation.",
    min_rows=2,
    max_rows=2,
)

for _schema in (STATEMENTS_SCHEMA, ISSUES_SCHEMA, SIDES_SCHEMA):
    data.register(_schema)


def load_statements() -> pd.DataFrame:
    """Marcus's statements, validated: a position names the interest behind it; an interest
    leaves ``interest_behind`` blank (it is the interest)."""
    name = "marcus_statements.csv"
    frame = data.read_table(data.data_dir() / name, STATEMENTS_SCHEMA)
    problems = []
    for line, r in enumerate(frame.itertuples(index=False), start=2):
        has = isinstance(r.interest_behind, str) and r.interest_behind.strip() != ""
        if r.label == "position" and not has:
            problems.append(
                data.Problem(
                    name,
                    "the interest behind this position (the cell is blank)",
                    line,
                    "interest_behind",
                )
            )
        if r.label == "interest" and has:
            problems.append(
                data.Problem(
                    name,
                    "a blank cell for an interest (only a position has an interest behind it)",
                    line,
                    "interest_behind",
                    r.interest_behind,
                )
            )
    if problems:
        raise data.DataError(problems)
    return frame


def load_issues() -> pd.DataFrame:
    """The negotiation's issues and options with both sides' points, validated."""
    return data.read_table(data.data_dir() / "negotiation_issues.csv", ISSUES_SCHEMA)


def load_sides() -> pd.DataFrame:
    """Each side's person, BATNA and reservation value, validated."""
    return data.read_table(data.data_dir() / "negotiation_sides.csv", SIDES_SCHEMA)


def build_tables(issues: pd.DataFrame, sides: pd.DataFrame) -> neg.Tables:
    """The data as :class:`~pivot.frameworks.negotiation.Tables` (by issue and option id).
    An issue whose rows disagree on its name, or an option id used twice in an issue, is an
    error naming both."""
    problems = []
    options: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    points: dict[str, dict[str, dict[str, float]]] = {YOU: {}, MARCUS: {}}
    for line, r in enumerate(issues.itertuples(index=False), start=2):
        if names.setdefault(r.issue_id, r.issue) != r.issue:
            problems.append(
                f"negotiation_issues.csv, line {line}, column 'issue': got {r.issue!r}, "
                f"expected {names[r.issue_id]!r} as on the issue's first row"
            )
        opts = options.setdefault(r.issue_id, [])
        if r.option_id in opts:
            problems.append(
                f"negotiation_issues.csv, line {line}, column 'option_id': got {r.option_id!r}, "
                f"expected an option id not used before in issue {r.issue_id!r}"
            )
            continue
        opts.append(r.option_id)
        points[YOU].setdefault(r.issue_id, {})[r.option_id] = float(r.your_points)
        points[MARCUS].setdefault(r.issue_id, {})[r.option_id] = float(r.marcus_points)
    if problems:
        raise neg.NegotiationError(problems)
    reservations = dict(zip(sides["side"], sides["reservation_points"], strict=True))
    return neg.make_tables(options, points, reservations)


class Case:
    """The negotiation as the exercise and the page use it: tables, labels, BATNAs."""

    def __init__(self) -> None:
        self.issues = load_issues()
        sides = load_sides()
        self.tables = build_tables(self.issues, sides)
        self.sides = sides.set_index("side")
        rows = self.issues.itertuples(index=False)
        self.row = {(r.issue_id, r.option_id): r for r in rows}
        self.issue_label = dict(zip(self.issues["issue_id"], self.issues["issue"], strict=True))

    def option_label(self, issue: str, option: str) -> str:
        return self.row[(issue, option)].option

    def reservation(self, side: str) -> float:
        return float(self.sides.loc[side, "reservation_points"])

    def batna(self, side: str) -> str:
        return str(self.sides.loc[side, "batna"])

    def describe(self, pkg) -> str:
        """A package in words: its options, one per issue, in issue order."""
        return "; ".join(
            self.option_label(i, o) for i, o in zip(self.tables.issues, pkg, strict=True)
        )

    def split_the_difference(self) -> tuple[str, ...]:
        """The middle option of every issue: the options are listed from Marcus's favourite to
        yours, so this is the 'meet in the middle on everything' package."""
        return tuple(opts[(len(opts) - 1) // 2] for opts in self.tables.issues.values())

    def nearest_better(self, pkg) -> tuple[str, ...] | None:
        """Of the packages that dominate ``pkg``, one that changes the fewest issues (the
        highest joint value among those); ``None`` when ``pkg`` is on the frontier."""
        better = neg.dominating(self.tables, pkg)
        if not better:
            return None
        return min(better, key=lambda p: sum(a != b for a, b in zip(p, pkg, strict=True)))

    def trade_text(self, before, after) -> str:
        """A trade as a sentence: 'What Granite Peak gets: A → B (you +25, Marcus −12); …'."""
        parts = []
        for c in neg.trade(self.tables, before, after):
            parts.append(
                f"{self.issue_label[c.issue]}: {self.option_label(c.issue, c.before)} → "
                f"{self.option_label(c.issue, c.after)} (you {signed(c.gains[YOU])}, "
                f"Marcus {signed(c.gains[MARCUS])})"
            )
        return "; ".join(parts)

    def marcus_objection(self, pkg) -> str:
        """What Marcus says about the option in ``pkg`` that costs him most against his best."""
        t = self.tables
        worst, gap = None, 0.0
        for issue, option in zip(t.issues, pkg, strict=True):
            best = max(t.points[MARCUS][issue].values())
            lost = best - t.points[MARCUS][issue][option]
            if lost > gap:
                worst, gap = (issue, option), lost
        if worst is None:
            return ""
        said = self.row[worst].marcus_says
        return said if isinstance(said, str) and said.strip() else ""


def pts(value: float) -> str:
    return f"{value:g}"


def signed(value: float) -> str:
    return f"+{value:g}" if value > 0 else ("−" + f"{-value:g}" if value < 0 else "±0")


# --- exercise 1: positions and interests ---------------------------------------------------


def judge_statement(row, label: str) -> Message | None:
    """Feedback on one labelled statement; ``None`` when it is not labelled yet."""
    if label == UNSET:
        return None
    behind = ""
    if row.label == "position":
        behind = f" The interest behind it: {row.interest_behind}"
    if label == row.label:
        return Message("good", f"{row.statement_id}: {row.label}. Right.", row.reason + behind)
    return Message(
        "warn",
        f"{row.statement_id} is an {row.label}, not a {label}."
        if row.label == "interest"
        else f"{row.statement_id} is a position, not an interest.",
        row.reason + behind,
    )


class PositionsInterests(Exercise):
    """One drop-down per statement (position or interest), feedback per statement."""

    exercise_id = "shift2.positions_interests"
    title = "Shift 2: Marcus's positions and interests"

    def build(self) -> W.Widget:
        self.statements = load_statements()
        self.rows: dict[str, tuple[Any, W.Dropdown]] = {}
        boxes = []
        for r in self.statements.itertuples(index=False):
            box = W.Dropdown(
                options=[("— choose —", UNSET), ("position", "position"), ("interest", "interest")],
                value=UNSET,
                description=f"{r.statement_id} is a",
                style={"description_width": "7em"},
            )
            box.observe(self.changed, names="value")
            self.rows[r.statement_id] = (r, box)
            boxes += [
                W.HTML(
                    f"<p><strong>{escape(r.statement_id)}, Marcus Bell:</strong> "
                    f"<q>{escape(r.statement)}</q></p>"
                ),
                box,
            ]
        self.feedback = FeedbackPanel("Positions and interests feedback")
        self.reflection = self.reflection_box(
            "Which statement was hardest to call? What question would you ask Marcus to hear the "
            "interest behind it?"
        )
        return W.VBox(
            [
                W.HTML(
                    "<p>For each thing Marcus says, choose <em>position</em> (what he demands: a "
                    "feature, a date, a specification) or <em>interest</em> (why he wants it: a "
                    "need, a worry, a goal).</p>"
                ),
                *boxes,
                self.feedback.widget,
                self.reflection,
                self.save_control.widget,
            ]
        )

    def labels(self) -> dict[str, str]:
        return {sid: box.value for sid, (_r, box) in self.rows.items()}

    def answer(self) -> dict[str, Any]:
        return {
            "labels": {sid: v for sid, v in self.labels().items() if v != UNSET},
            "reflection": self.reflection.value,
        }

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved labels could not be read; starting afresh."
        skipped = []
        labels = answer.get("labels", {})
        for sid, value in (labels if isinstance(labels, Mapping) else {}).items():
            if sid in self.rows and value in (UNSET, *LABELS):
                self.rows[sid][1].value = value
            else:
                skipped.append(str(sid)[:40])
        if not isinstance(labels, Mapping):
            skipped.append("labels")
        return restore_reflection(self.reflection, answer, skipped)

    def refresh(self) -> None:
        self.feedback.show(*self.feedback_for(self.labels()))

    def feedback_for(self, labels: Mapping[str, str]) -> tuple[str, list[Message]]:
        msgs = []
        for sid, label in labels.items():
            m = judge_statement(self.rows[sid][0], label)
            if m is not None:
                msgs.append(m)
        total = len(self.rows)
        right = sum(m.level == "good" for m in msgs)
        if not msgs:
            return f"Labelled: 0 of {total}", [
                Message("info", "Choose position or interest for each statement.")
            ]
        if right == total:
            msgs.append(
                Message(
                    "good",
                    "Every statement labelled right. Notice that every position has an interest "
                    "behind it that other options could serve: that is where the negotiation "
                    "below looks for room.",
                )
            )
        return f"Right: {right} of {total}", msgs

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = []
        for sid, label in answer.get("labels", {}).items():
            row = self.rows[sid][0] if sid in self.rows else None
            said = f": “{row.statement}”" if row is not None else ""
            verdict = ""
            if row is not None:
                verdict = " (right)" if label == row.label else f" (course's answer: {row.label})"
            lines.append(f"- {sid}{said} — {label}{verdict}")
        text = "\n".join(lines) or "(nothing labelled yet)"
        reflection = answer.get("reflection")
        if isinstance(reflection, str) and reflection.strip():
            text += "\n\n**My reflection**\n\n" + quote(reflection)
        return text


# --- exercise 2: the negotiation -----------------------------------------------------------


class Negotiation(Exercise):
    """Propose packages to Marcus; after :data:`REVEAL_AFTER` proposals reveal his table and
    see what each proposal left on the table."""

    exercise_id = "shift2.negotiation"
    title = "Shift 2: negotiate the live map"

    def build(self) -> W.Widget:
        self.case = Case()
        t = self.case.tables
        self.history: list[tuple[str, ...]] = []
        self.revealed = False
        self.pickers: dict[str, W.Dropdown] = {}
        for issue, options in t.issues.items():
            box = W.Dropdown(
                options=[
                    ("— choose —", UNSET),
                    *[
                        (
                            f"{self.case.option_label(issue, o)} "
                            f"({pts(t.points[YOU][issue][o])} for you)",
                            o,
                        )
                        for o in options
                    ],
                ],
                value=UNSET,
                description=self.case.issue_label[issue],
                style={"description_width": "16em"},
                layout=W.Layout(width="48em", max_width="100%"),
            )
            box.observe(self.changed, names="value")
            self.pickers[issue] = box
        self.propose_button = W.Button(
            description="Propose this package",
            tooltip="Propose the package chosen above to Marcus",
        )
        self.propose_button.on_click(lambda _b: self.propose())
        self.reveal_button = W.Button(
            description="Reveal Marcus's table",
            tooltip=f"Available after {REVEAL_AFTER} proposals",
            disabled=True,
        )
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.history_html = W.HTML()
        self.feedback = FeedbackPanel("Marcus's answer")
        self.analysis = FeedbackPanel("Analysis after the reveal")
        self.marcus_table = W.HTML()
        self.chart = W.HTML()
        self.map_note = W.HTML(self._map_note())
        self.reflection = self.reflection_box(
            "Which issue mattered more to Marcus than you expected? What did you trade for it?"
        )
        you_rows = [
            (self.case.issue_label[i], self.case.option_label(i, o), pts(t.points[YOU][i][o]))
            for i, opts in t.issues.items()
            for o in opts
        ]
        intro = (
            "<p>Marcus Bell wants the live map for Granite Peak Facilities, now. Build a "
            "package: one option for each issue. Your points say what each option is worth to "
            "you; Marcus has a table of his own that you cannot see yet.</p>"
            f"<p><strong>Your BATNA:</strong> {escape(self.case.batna(YOU))} "
            f"<strong>Your reservation value:</strong> {pts(self.case.reservation(YOU))} points: "
            "accept no package worth less to you.</p>"
        )
        return W.VBox(
            [
                W.HTML(intro),
                self.map_note,
                W.HTML(
                    html_table(
                        ["Issue", "Option", "Your points"],
                        you_rows,
                        caption="Your points table",
                        wide=["Option"],
                    )
                ),
                *self.pickers.values(),
                W.HBox(
                    [self.propose_button, self.reveal_button],
                    layout=W.Layout(flex_flow="row wrap"),
                ),
                self.feedback.widget,
                self.history_html,
                self.analysis.widget,
                self.marcus_table,
                self.chart,
                self.reflection,
                self.save_control.widget,
            ]
        )

    def _map_note(self) -> str:
        """A line about Marcus from the learner's stakeholder map, when they placed him."""
        try:
            from .stakeholder_map import load_stakeholders, saved_map
        except ImportError:
            return ""
        try:
            people = load_stakeholders()
            ids = people.loc[people["name"] == "Marcus Bell", "stakeholder_id"].tolist()
            placed = saved_map(self.workbook)
        except Exception:  # the map is a bonus here: never let it break the negotiation
            return ""
        entry = placed.get(ids[0]) if ids else None
        if not isinstance(entry, Mapping):
            return ""
        power, interest, strategy = (entry.get(k) for k in ("power", "interest", "strategy"))
        bits = []
        if isinstance(power, int) and isinstance(interest, int):
            bits.append(f"power {power}, interest {interest}")
        if isinstance(strategy, str) and strategy:
            bits.append(f"strategy: {strategy}")
        if not bits:
            return ""
        return (
            "<p>On your stakeholder map you placed Marcus at "
            f"{escape('; '.join(bits))}. Keep that in mind: whatever you agree, you will work "
            "with him again.</p>"
        )

    # --- the learner's actions -----------------------------------------------------------
    def chosen(self) -> dict[str, str]:
        return {issue: box.value for issue, box in self.pickers.items()}

    def propose(self) -> None:
        choice = self.chosen()
        missing = [self.case.issue_label[i] for i, v in choice.items() if v == UNSET]
        if missing:
            self.feedback.show(
                "Not proposed yet",
                [Message("info", "Choose an option for: " + ", ".join(missing) + ".")],
            )
            return
        self.history.append(self.case.tables.package(choice))
        del self.history[:-MAX_PROPOSALS]
        self.changed()

    def reveal(self) -> None:
        if len(self.history) < REVEAL_AFTER:
            self.feedback.show(
                "Not yet",
                [
                    Message(
                        "info",
                        f"Make {REVEAL_AFTER - len(self.history)} more proposal(s) first: learn "
                        "what Marcus cares about from his answers, as you would at the table.",
                    )
                ],
            )
            return
        self.revealed = True
        self.changed()

    # --- saving ----------------------------------------------------------------------------
    def answer(self) -> dict[str, Any]:
        t = self.case.tables
        return {
            "proposals": [t.as_dict(p) for p in self.history],
            "revealed": self.revealed,
            "current": {i: v for i, v in self.chosen().items() if v != UNSET},
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved negotiation could not be read; starting afresh."
        skipped: list[str] = []
        proposals = answer.get("proposals", [])
        if not isinstance(proposals, list):
            skipped.append("proposals")
            proposals = []
        self.history = []
        for n, p in enumerate(proposals, 1):
            try:
                if not isinstance(p, Mapping):
                    raise neg.NegotiationError(["not a package"])
                self.history.append(self.case.tables.package(p))
            except (neg.NegotiationError, TypeError):
                skipped.append(f"proposal {n}")
        del self.history[:-MAX_PROPOSALS]
        revealed = answer.get("revealed", False)
        if not isinstance(revealed, bool):
            skipped.append("revealed")
            revealed = False
        self.revealed = revealed and len(self.history) >= REVEAL_AFTER
        current = answer.get("current", {})
        for issue, value in (current if isinstance(current, Mapping) else {}).items():
            box = self.pickers.get(issue)
            if box is not None and value in self.case.tables.issues[issue]:
                box.value = value
            else:
                skipped.append(f"choice for {str(issue)[:40]}")
        if not isinstance(current, Mapping):
            skipped.append("current choices")
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    # --- feedback --------------------------------------------------------------------------
    def refresh(self) -> None:
        n = len(self.history)
        self.reveal_button.disabled = self.revealed or n < REVEAL_AFTER
        self.reveal_button.tooltip = (
            "Marcus's table is shown below"
            if self.revealed
            else f"Available after {REVEAL_AFTER} proposals ({n} so far)"
        )
        if self.history:
            self.feedback.show(*self.proposal_feedback(n, self.history[-1]))
        else:
            self.feedback.show(
                "No proposal yet",
                [Message("info", "Choose one option for each issue, then propose the package.")],
            )
        self.history_html.value = self.history_table()
        if self.revealed:
            self.analysis.show(*self.analysis_feedback())
            self.marcus_table.value = self.marcus_table_html()
            self.chart.value = self.figure().to_html()
        else:
            self.analysis.show("", [])
            self.marcus_table.value = ""
            self.chart.value = ""

    def proposal_feedback(self, n: int, pkg) -> tuple[str, list[Message]]:
        """Marcus's answer to proposal ``n``; after the reveal, the analysis of it too."""
        case, t = self.case, self.case.tables
        ev = neg.evaluate(t, pkg)
        you, marcus = ev.scores[YOU], ev.scores[MARCUS]
        r_you, r_marcus = t.reservations[YOU], t.reservations[MARCUS]
        msgs = []
        if ev.short_of[YOU] == 0:
            msgs.append(
                Message(
                    "good",
                    f"For you: {pts(you)} points, at least your reservation value of {pts(r_you)}.",
                    "This package is at least as good for you as your BATNA.",
                )
            )
        else:
            msgs.append(
                Message(
                    "warn",
                    f"For you: {pts(you)} points, {pts(ev.short_of[YOU])} below your reservation "
                    f"value of {pts(r_you)}.",
                    "Your BATNA, keeping the ranked plan and taking the disagreement to Dana, "
                    "is better for you than this package: do not agree to it.",
                )
            )
        if ev.short_of[MARCUS] == 0:
            msgs.append(
                Message(
                    "good",
                    "Marcus would accept: it gives him at least what he can get without you.",
                )
            )
        else:
            said = case.marcus_objection(pkg)
            msgs.append(
                Message(
                    "warn",
                    "Marcus says no." + (f" “{said}”" if said else ""),
                    "Ask him why, and listen for the interest behind the answer: it tells you "
                    "which issue matters most to him.",
                )
            )
        heading = f"Proposal {n}: " + (
            "both of you would accept"
            if ev.feasible
            else ("Marcus says no" if ev.short_of[MARCUS] else "Marcus would accept")
        )
        if not self.revealed:
            left = REVEAL_AFTER - len(self.history)
            msgs.append(
                Message(
                    "info",
                    f"Marcus's table can be revealed after {left} more proposal(s)."
                    if left > 0
                    else "You can now reveal Marcus's table, or keep negotiating first.",
                )
            )
            return heading, msgs
        msgs.append(
            Message(
                "info",
                f"For Marcus: {pts(marcus)} points (his reservation value: {pts(r_marcus)}); "
                f"joint value {pts(ev.joint)}.",
            )
        )
        msgs.append(self.frontier_message(pkg, ev))
        return heading, msgs

    def frontier_message(self, pkg, ev: neg.Evaluation) -> Message:
        case, t = self.case, self.case.tables
        if ev.on_frontier:
            return Message(
                "good",
                "On the efficient frontier: no other package is better for one of you without "
                "being worse for the other.",
                "No joint value is left on the table. What is left is how to divide it, and "
                "objective criteria (the RICE ranking, the interview evidence) are the fair way "
                "to argue that.",
            )
        near = case.nearest_better(pkg)
        best = ev.best_better
        ns, bs = neg.score(t, near), neg.score(t, best)
        detail = (
            f"The smallest trade that gets there: {case.trade_text(pkg, near)}, which gives you "
            f"{pts(ns[YOU])} and Marcus {pts(ns[MARCUS])}."
        )
        if near != best:
            detail += (
                f" The best of them for both together gives you {pts(bs[YOU])} and Marcus "
                f"{pts(bs[MARCUS])}: {case.trade_text(pkg, best)}."
            )
        return Message(
            "warn",
            f"{ev.dominated_by} package(s) are better for one of you and no worse for the other; "
            f"this one leaves {pts(ev.left_on_table)} points of joint value on the table.",
            detail,
        )

    def analysis_feedback(self) -> tuple[str, list[Message]]:
        case, t = self.case, self.case.tables
        inside = neg.feasible_packages(t)
        total = len(neg.packages(t))
        msgs = []
        if inside:
            msgs.append(
                Message(
                    "good",
                    f"A zone of agreement exists: {len(inside)} of the {total} packages give both "
                    "of you at least your reservation values.",
                )
            )
        else:
            msgs.append(
                Message(
                    "warn",
                    f"No zone of agreement: none of the {total} packages gives both of you your "
                    "reservation values. Walking away to your BATNA is the better outcome.",
                )
            )
        split = case.split_the_difference()
        ev = neg.evaluate(t, split)
        if not ev.on_frontier:
            near = case.nearest_better(split)
            gain = neg.score(t, near)
            both = gain[YOU] > ev.scores[YOU] and gain[MARCUS] > ev.scores[MARCUS]
            better = (
                "better for both of you"
                if both
                else "better for one of you, no worse for the other"
            )
            msgs.append(
                Message(
                    "info",
                    f"Splitting the difference on every issue ({case.describe(split)}) gives "
                    f"you {pts(ev.scores[YOU])} and Marcus {pts(ev.scores[MARCUS])}, and "
                    f"{ev.dominated_by} package(s) are better for one of you and no worse for "
                    "the other.",
                    "Meeting in the middle on every issue feels fair but ignores that the two "
                    f"of you weigh the issues differently. This trade is {better}: "
                    + case.trade_text(split, near)
                    + ".",
                )
            )
        best = neg.best_joint(t)
        if best:
            listed = " or ".join(
                f"{case.describe(p)} (you {pts(neg.score(t, p)[YOU])}, "
                f"Marcus {pts(neg.score(t, p)[MARCUS])})"
                for p in best
            )
            msgs.append(
                Message(
                    "info",
                    f"The most joint value inside the zone: {listed}.",
                    "Against splitting the difference, it is a trade across issues: "
                    + case.trade_text(split, best[0])
                    + ".",
                )
            )
        on_front = sum(neg.evaluate(t, p).on_frontier for p in self.history)
        msgs.append(
            Message(
                "good" if on_front else "info",
                f"{on_front} of your {len(self.history)} proposals lie on the efficient frontier.",
            )
        )
        return "Marcus's table, revealed", msgs

    def history_table(self) -> str:
        if not self.history:
            return ""
        t = self.case.tables
        headers = ["#", *[self.case.issue_label[i] for i in t.issues], "You", "Marcus"]
        rows = []
        for n, p in enumerate(self.history, 1):
            ev = neg.evaluate(t, p)
            if self.revealed:
                marcus = f"{pts(ev.scores[MARCUS])} ({'yes' if not ev.short_of[MARCUS] else 'no'})"
            else:
                marcus = "yes" if not ev.short_of[MARCUS] else "no"
            opts = [self.case.option_label(i, o) for i, o in zip(t.issues, p, strict=True)]
            rows.append([n, *opts, pts(ev.scores[YOU]), marcus])
        return html_table(headers, rows, caption="Your proposals (Marcus's answer: yes or no)")

    def marcus_table_html(self) -> str:
        t = self.case.tables
        rows = [
            (
                self.case.issue_label[i],
                self.case.option_label(i, o),
                pts(t.points[YOU][i][o]),
                pts(t.points[MARCUS][i][o]),
            )
            for i, opts in t.issues.items()
            for o in opts
        ]
        return (
            html_table(
                ["Issue", "Option", "Your points", "Marcus's points"],
                rows,
                caption="Both points tables",
                wide=["Option"],
            )
            + f"<p><strong>Marcus's BATNA:</strong> {escape(self.case.batna(MARCUS))} "
            f"<strong>His reservation value:</strong> {pts(self.case.reservation(MARCUS))} "
            "points.</p>"
        )

    def figure(self):
        return package_chart(self.case, self.history)

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        t = self.case.tables
        lines = []
        for n, p in enumerate(answer.get("proposals", []), 1):
            try:
                pkg = t.package(p)
            except (neg.NegotiationError, TypeError):
                continue
            s = neg.score(t, pkg)
            lines.append(
                f"{n}. {self.case.describe(pkg)} — you {pts(s[YOU])}, Marcus {pts(s[MARCUS])}"
            )
        if not lines:
            lines.append("(no proposals yet)")
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines)


def package_chart(case: Case | None = None, proposals=()):
    """Every package (your points across, Marcus's up), the frontier, both reservations and
    the numbered proposals, as an accessible SVG figure."""
    case = case or Case()
    t = case.tables
    scores = dict(t.scored)
    front = [scores[p] for p in neg.pareto_frontier(t)]
    props = [(str(n), *scores[p]) for n, p in enumerate(proposals, 1)]
    r_you, r_marcus = t.reservations[YOU], t.reservations[MARCUS]
    inside = len(neg.feasible_packages(t))
    alt = (
        f"Scatter chart of all {len(scores)} packages, your points across from 0 to 100 and "
        f"Marcus's points up from 0 to 100. Your reservation value, {pts(r_you)}, is a dashed "
        f"vertical line; Marcus's, {pts(r_marcus)}, a dotted horizontal line; the {inside} "
        "packages above and to the right of both form the zone of agreement. The efficient "
        f"frontier joins {len(set(front))} points running from (0, 100) to (100, 0): "
        + "; ".join(f"({pts(x)}, {pts(y)})" for x, y in sorted(set(front)))
        + "."
    )
    if props:
        at: dict[tuple[float, float], list[str]] = {}
        for label, x, y in props:
            at.setdefault((x, y), []).append(label)
        alt += " Your proposals: " + "; ".join(
            f"{', '.join(labels)} at ({pts(x)}, {pts(y)})" for (x, y), labels in at.items()
        )
        alt += "."
    return negotiation_chart(
        list(scores.values()),
        frontier=front,
        reservations=(r_you, r_marcus),
        proposals=props,
        alt=alt,
        x_label="Your points",
        y_label="Marcus's points",
    )


def glue_numbers(prefix: str) -> None:
    """Glue the numbers the page's prose uses (``{prefix}_…``)."""
    from myst_nb import glue

    for key, value in page_numbers().items():
        glue(f"{prefix}_{key}", value, display=False)


def page_numbers() -> dict[str, object]:
    """The numbers the page quotes, computed from the data."""
    case = Case()
    t = case.tables
    backlog = data.load("backlog").set_index("item_id")

    def rice(item: str) -> float:
        r = backlog.loc[item]
        return rice_score(r.reach, r.impact, r.confidence, r.effort)

    statements = load_statements()
    split = case.split_the_difference()
    ev = neg.evaluate(t, split)
    near = case.nearest_better(split)
    near_s = neg.score(t, near)
    best = neg.best_joint(t)
    best_s = neg.score(t, best[0])
    marcus_pos = tuple(max(o, key=lambda x: t.points[MARCUS][i][x]) for i, o in t.issues.items())
    you_pos = tuple(max(o, key=lambda x: t.points[YOU][i][x]) for i, o in t.issues.items())
    weights = {
        side: {i: max(t.points[side][i].values()) for i in t.issues} for side in (YOU, MARCUS)
    }

    def parts(pkg, side: str) -> str:
        return " + ".join(pts(t.points[side][i][o]) for i, o in zip(t.issues, pkg, strict=True))

    return {
        "split_sum_you": parts(split, YOU),
        "split_sum_marcus": parts(split, MARCUS),
        "near_sum_you": parts(near, YOU),
        "near_sum_marcus": parts(near, MARCUS),
        "statements": len(statements),
        "positions": int((statements["label"] == "position").sum()),
        "interests": int((statements["label"] == "interest").sum()),
        "issues": len(t.issues),
        "packages": len(neg.packages(t)),
        "feasible": len(neg.feasible_packages(t)),
        "frontier": len(neg.pareto_frontier(t)),
        "res_you": pts(t.reservations[YOU]),
        "res_marcus": pts(t.reservations[MARCUS]),
        "split_you": pts(ev.scores[YOU]),
        "split_marcus": pts(ev.scores[MARCUS]),
        "split_dominated_by": ev.dominated_by,
        "split_left": pts(ev.left_on_table),
        "near_you": pts(near_s[YOU]),
        "near_marcus": pts(near_s[MARCUS]),
        "best_count": len(best),
        **{
            f"best_{k}_{side}": pts(neg.score(t, p)[side])
            for k, p in enumerate(sorted(best, key=lambda p: neg.score(t, p)[YOU]), 1)
            for side in (YOU, MARCUS)
        },
        "best_joint": pts(best_s[YOU] + best_s[MARCUS]),
        "marcus_pos_you": pts(neg.score(t, marcus_pos)[YOU]),
        "you_pos_marcus": pts(neg.score(t, you_pos)[MARCUS]),
        "w_you_scope": pts(weights[YOU]["scope"]),
        "w_you_date": pts(weights[YOU]["date"]),
        "w_marcus_scope": pts(weights[MARCUS]["scope"]),
        "w_marcus_date": pts(weights[MARCUS]["date"]),
        "w_you_support": pts(weights[YOU]["support"]),
        "w_marcus_support": pts(weights[MARCUS]["support"]),
        "rice_b01": f"{rice('B01'):,.0f}",
        "rice_b02": f"{rice('B02'):,.0f}",
        "rice_b03": f"{rice('B03'):g}",
        "rice_b11": f"{rice('B11'):,.0f}",
    }


def statements_table():
    """Static path: Marcus's statements (without the answers)."""
    frame = load_statements()[["statement_id", "statement"]]
    frame.columns = ["Id", "What Marcus says"]
    return frame.style.hide(axis="index").set_uuid("pivot-marcus-statements")


def your_table():
    """Static path: your points table, as the learner sees it before the reveal."""
    case = Case()
    t = case.tables
    rows = [
        (case.issue_label[i], case.option_label(i, o), pts(t.points[YOU][i][o]))
        for i, opts in t.issues.items()
        for o in opts
    ]
    frame = pd.DataFrame(rows, columns=["Issue", "Option", "Your points"])
    return frame.style.hide(axis="index").set_uuid("pivot-your-points")
