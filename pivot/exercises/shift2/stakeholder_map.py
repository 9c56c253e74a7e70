"""Shift 2, map the stakeholders: place each person on the power × interest grid, then choose
how to engage them.

The grid is Johnson and Scholes's adaptation of Mendelow (1981), in *Exploring Corporate
Strategy: Text and Cases* (3rd edition); the placement and the strategies are computed once, in
:mod:`pivot.frameworks.stakeholders`. Power and interest are rated *for this decision*: what
Crewboard builds first, the schedule-change fixes the rankings put on top (B01, B02) or the live
map sales wants for a prospect (B03).

``data/stakeholders.csv`` holds fifteen people, the cast and people outside Kestrel Works, each
with the evidence behind the reference ratings, the reference strategy and what the wrong
strategy would cost. The feedback compares the learner's placement with the reference and
cites the evidence, says when a rating sits on the threshold (a judgment call), and checks the
strategy twice: against the quadrant of the learner's *own* placement, and against the
reference.

The learner's map is saved and read by the later exercises of the part::

    from pivot.exercises.shift2.stakeholder_map import saved_map, load_stakeholders
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W
import pandas as pd

from ... import data
from ... import workbook as wb
from ...frameworks import stakeholders as sh
from ...kit import Exercise, FeedbackPanel, Message, escape
from ...plots import SvgFigure, stakeholder_grid
from ..common import html_table, quote, restore_reflection

EXERCISE_ID = "shift2.stakeholder_map"
THRESHOLD = int(sh.DEFAULT_THRESHOLD)
LOW, HIGH = (int(v) for v in sh.DEFAULT_SCALE)
RATINGS = tuple(range(LOW, HIGH + 1))
STRATEGIES = tuple(sh.STRATEGIES.values())
UNSET_RATING = 0
UNSET = ""
#: What each rating means, for this decision (shown in the drop-downs).
POWER_MEANINGS = {
    1: "no say in what is built first",
    2: "is heard, cannot change it",
    3: "can change it indirectly (judgment call)",
    4: "can change or block it",
    5: "decides it",
}
INTEREST_MEANINGS = {
    1: "unaffected by which comes first",
    2: "mildly affected",
    3: "affected either way (judgment call)",
    4: "clearly affected, will push for one side",
    5: "their own request, or hit every day",
}
#: Who the grid tells apart by colour and shape, in this order.
GROUPS = {
    "leadership": "Kestrel Works leadership",
    "team": "Crewboard team",
    "customer": "customer",
    "outside": "prospect or partner",
}

_BOOL = ("true", "false")
#: ``data/stakeholders.csv``, registered in :data:`pivot.data.SCHEMAS`.
SCHEMA = data.Schema(
    "stakeholders",
    (
        data.Column("stakeholder_id", pattern=r"S\d\d", unique=True),
        data.Column("name", unique=True, max_chars=60),
        data.Column("role", max_chars=60),
        data.Column("organisation", max_chars=80),
        data.Column("customer_id", pattern=r"C\d\d|none"),
        data.Column("group", choices=tuple(GROUPS)),
        data.Column("power", "int", minimum=LOW, maximum=HIGH),
        data.Column("interest", "int", minimum=LOW, maximum=HIGH),
        data.Column("power_evidence", max_chars=600),
        data.Column("interest_evidence", max_chars=600),
        data.Column("legitimacy", choices=_BOOL),
        data.Column("urgency", choices=_BOOL),
        data.Column("interest_in_decision", max_chars=300),
        data.Column("interest_terms", pattern=r"[^;]+(;[^;]+)*", max_chars=300),
        data.Column("placement_reason", max_chars=600),
        data.Column("cost_of_wrong_strategy", max_chars=600),
    ),
    "The case's stakeholders for the decision of Shift 2, with the reference power and interest "
    "ratings and the evidence behind them.",
    min_rows=2,
    max_rows=16,
)

data.register(SCHEMA)


def load_stakeholders() -> pd.DataFrame:
    """``data/stakeholders.csv``, validated (see :data:`SCHEMA`), with ``legitimacy`` and
    ``urgency`` as booleans and a ``label`` column (the person's initials, shown on the grid).

    Raises :class:`pivot.data.DataError` naming the line, the column and the value of every
    problem; initials that two people share are refused too.
    """
    path = data.data_dir() / "stakeholders.csv"
    frame = data.read_table(path, SCHEMA)
    for column in ("legitimacy", "urgency"):
        frame[column] = frame[column] == "true"
    frame["label"] = [initials(n) for n in frame["name"]]
    seen: dict[str, str] = {}
    problems = []
    for line, (label, name) in enumerate(zip(frame["label"], frame["name"], strict=True), 2):
        if label in seen:
            problems.append(
                data.Problem(
                    path.name,
                    f"a name whose initials differ from everyone else's ({label!r} is also "
                    f"{seen[label]}'s)",
                    line,
                    "name",
                    name,
                )
            )
        seen.setdefault(label, name)
    if problems:
        raise data.DataError(problems)
    return frame


def initials(name: str) -> str:
    """'Kevin O'Neill' -> 'KO': the first letters of the first and the last word."""
    words = str(name).replace("'", "").split() or ["?"]
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def reference_placements(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The reference placement of every stakeholder (:func:`pivot.frameworks.stakeholders.
    place_table` on the data's ratings), with name, role and the reasons."""
    frame = load_stakeholders() if frame is None else frame
    placed = sh.place_table(
        frame.rename(columns={"stakeholder_id": "id"})[["id", "power", "interest"]],
        threshold=THRESHOLD,
    )
    return pd.concat([frame.reset_index(drop=True), placed[["quadrant", "strategy",
                      "textbook_label", "on_boundary"]]], axis=1)  # fmt: skip


# --- the saved map -------------------------------------------------------------------------
def _rating(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if value in RATINGS else None


def _strategy(value: object) -> str | None:
    return value if isinstance(value, str) and value in STRATEGIES else None


def _clean_entry(value: object) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        return None
    entry = {
        "power": _rating(value.get("power")),
        "interest": _rating(value.get("interest")),
        "strategy": _strategy(value.get("strategy")),
    }
    return entry if any(v is not None for v in entry.values()) else None


def saved_map(workbook: wb.Workbook | None = None) -> dict[str, dict[str, Any]]:
    """The learner's saved map: ``{stakeholder_id: {"power": int | None, "interest": int |
    None, "strategy": str | None}}`` for every stakeholder they placed or gave a strategy.

    Reads ``workbook`` (default: the learner's current workbook). Never raises: anything that
    cannot be read (a malformed answer, an unknown id, a rating off the scale) is left out, and
    an empty dict means nothing usable was saved.
    """
    try:
        book = workbook if workbook is not None else wb.current()
        answer = book.get(EXERCISE_ID)
        placements = answer.get("placements") if isinstance(answer, Mapping) else None
        if not isinstance(placements, Mapping):
            return {}
        try:
            known = set(load_stakeholders()["stakeholder_id"])
        except Exception:  # the data cannot be read: keep every well-formed id
            known = None
        found = {}
        for sid, value in placements.items():
            if not isinstance(sid, str) or (known is not None and sid not in known):
                continue
            entry = _clean_entry(value)
            if entry is not None:
                found[sid] = entry
        return found
    except Exception:
        return {}


# --- feedback ------------------------------------------------------------------------------
def _quadrant_words(quadrant: str) -> str:
    return f"{quadrant}, so {sh.STRATEGIES[quadrant]}"


def judge(row, power: int | None, interest: int | None, strategy: str | None) -> list[Message]:
    """Feedback on one stakeholder: empty when nothing is chosen yet.

    ``row`` is a row of :func:`reference_placements`. The placement is compared with the
    reference (citing the evidence), a rating on the threshold is called a judgment call, and
    the strategy is checked against the quadrant of the learner's own placement and against the
    reference, with what the wrong strategy would cost.
    """
    if power is None and interest is None and strategy is None:
        return []
    name = row.name
    msgs: list[Message] = []
    ref = f"power {row.power}, interest {row.interest}: {_quadrant_words(row.quadrant)}"
    evidence = f"Power: {row.power_evidence} Interest: {row.interest_evidence}"
    own = None
    if power is not None and interest is not None:
        own = sh.place(power, interest, THRESHOLD)
        yours = f"power {power}, interest {interest} ({own.quadrant})"
        if (power, interest) == (row.power, row.interest):
            msgs.append(
                Message("good", f"{name}: {yours}, as the reference places them.", evidence)
            )
        elif own.quadrant == row.quadrant:
            msgs.append(
                Message(
                    "good",
                    f"{name}: you placed them at {yours}; the reference has {ref}. Same "
                    "quadrant, so the same strategy follows.",
                    evidence,
                )
            )
        else:
            msgs.append(
                Message(
                    "warn",
                    f"{name}: you placed them at {yours}; the reference has {ref}.",
                    evidence,
                )
            )
        if own.on_boundary:
            axes = " and ".join(own.boundary_axes)
            msgs.append(
                Message(
                    "info",
                    f"{name}: your {axes} rating of {THRESHOLD} is exactly on the threshold, a "
                    f"judgment call. The grid counts {THRESHOLD} as high; say in your reflection "
                    "why you chose it.",
                )
            )
    elif power is not None or interest is not None:
        missing = "interest" if interest is None else "power"
        msgs.append(Message("info", f"{name}: rate their {missing} too, to place them."))

    if strategy is not None:
        if own is not None and strategy != own.strategy:
            msgs.append(
                Message(
                    "warn",
                    f"{name}: '{strategy}' does not follow from your own placement "
                    f"({_quadrant_words(own.quadrant)}).",
                    "Either the strategy or the placement should change: the grid's point is "
                    "that the strategy follows from where the person stands.",
                )
            )
        if strategy == row.strategy:
            msgs.append(
                Message(
                    "good", f"{name}: {strategy}, the reference strategy.", row.placement_reason
                )
            )
        else:
            msgs.append(
                Message(
                    "warn",
                    f"{name}: the reference strategy is '{row.strategy}', not '{strategy}': "
                    f"{_direction(strategy, row.strategy)} What the wrong strategy costs: "
                    f"{row.cost_of_wrong_strategy}",
                    row.placement_reason,
                )
            )
    elif own is not None:
        msgs.append(Message("info", f"{name}: now choose how to engage them."))
    return msgs


#: How much of the person's time and attention each strategy takes, least first.
EFFORT = {"monitor": 0, "keep informed": 1, "keep satisfied": 1, "manage closely": 2}


def _direction(chosen: str, reference: str) -> str:
    """Whether ``chosen`` engages the person less than, more than or differently from the
    reference strategy, in one sentence."""
    if EFFORT[chosen] < EFFORT[reference]:
        return "you would engage them less than the reference does."
    if EFFORT[chosen] > EFFORT[reference]:
        return "you would engage them more than the reference does."
    return (
        "keeping informed shares the detail with someone who cares but cannot decide; keeping "
        "satisfied meets the needs of someone who can decide but does not want the detail."
    )


def _label(value: object, meanings: Mapping[int, str]) -> str:
    return f"{value}: {meanings[value]}"


class StakeholderMap(Exercise):
    """For each stakeholder: the evidence, power and interest drop-downs and a strategy
    drop-down; the grid drawn as the learner places people; feedback per person."""

    exercise_id = EXERCISE_ID
    title = "Shift 2: map the stakeholders"

    def build(self) -> W.Widget:
        self.reference = reference_placements()
        self.rows: dict[str, tuple[Any, W.Dropdown, W.Dropdown, W.Dropdown]] = {}
        boxes = []
        power_options = [("— power —", UNSET_RATING)]
        power_options += [(_label(v, POWER_MEANINGS), v) for v in RATINGS]
        interest_options = [("— interest —", UNSET_RATING)]
        interest_options += [(_label(v, INTEREST_MEANINGS), v) for v in RATINGS]
        strategy_options = [("— strategy —", UNSET), *[(s, s) for s in STRATEGIES]]
        for r in self.reference.itertuples(index=False):
            sid = r.stakeholder_id
            style = {"description_width": "11em"}
            width = W.Layout(width="34em", max_width="100%")
            power = W.Dropdown(
                options=power_options,
                value=UNSET_RATING,
                description=f"{r.label} power",
                style=style,
                layout=width,
            )
            interest = W.Dropdown(
                options=interest_options,
                value=UNSET_RATING,
                description=f"{r.label} interest",
                style=style,
                layout=width,
            )
            strategy = W.Dropdown(
                options=strategy_options,
                value=UNSET,
                description=f"{r.label} strategy",
                style=style,
                layout=W.Layout(width="24em", max_width="100%"),
            )
            for box in (power, interest, strategy):
                box.observe(self.changed, names="value")
            self.rows[sid] = (r, power, interest, strategy)
            evidence = W.HTML(
                f"<p style='margin:.8em 0 .2em'><strong>{escape(r.label)}: {escape(r.name)}"
                f"</strong>, {escape(r.role)}, {escape(r.organisation)}. "
                f"<em>Cares about:</em> {escape(r.interest_in_decision)}</p>"
                f"<ul style='margin:.1em 0'><li><em>Power evidence:</em> "
                f"{escape(r.power_evidence)}</li><li><em>Interest evidence:</em> "
                f"{escape(r.interest_evidence)}</li></ul>"
            )
            boxes += [evidence, W.HBox([power, interest, strategy],
                                       layout=W.Layout(flex_flow="row wrap"))]  # fmt: skip
        self.grid = W.HTML(layout=W.Layout(width="100%"))
        self.feedback = FeedbackPanel("Stakeholder map feedback")
        self.reflection = self.reflection_box(
            "Whose placement was a judgment call for you, and what would change your mind?"
        )
        intro = W.HTML(
            "<p>For each person, read the evidence, rate their power over this decision and "
            "their interest in it (what Crewboard builds first: the schedule-change fixes or the "
            f"live map), then choose how to engage them. A rating of {THRESHOLD} or more counts "
            "as high. The grid below is redrawn as you go.</p>"
        )
        return W.VBox(
            [
                intro,
                *boxes,
                self.grid,
                self.feedback.widget,
                self.reflection,
                self.save_control.widget,
            ]
        )

    # --- state ---------------------------------------------------------------------------
    def placements(self) -> dict[str, dict[str, Any]]:
        """What the learner chose, for everyone they touched."""
        found = {}
        for sid, (_r, power, interest, strategy) in self.rows.items():
            entry = {
                "power": power.value or None,
                "interest": interest.value or None,
                "strategy": strategy.value or None,
            }
            if any(v is not None for v in entry.values()):
                found[sid] = entry
        return found

    def answer(self) -> dict[str, Any]:
        return {"placements": self.placements(), "reflection": self.reflection.value}

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved map could not be read; starting afresh."
        skipped: list[str] = []
        placements = answer.get("placements", {})
        if not isinstance(placements, Mapping):
            skipped.append("placements")
            placements = {}
        for sid, value in placements.items():
            if sid not in self.rows or not isinstance(value, Mapping):
                skipped.append(str(sid)[:40])
                continue
            _r, power, interest, strategy = self.rows[sid]
            for field, box, clean, unset in (
                ("power", power, _rating, UNSET_RATING),
                ("interest", interest, _rating, UNSET_RATING),
                ("strategy", strategy, _strategy, UNSET),
            ):
                raw = value.get(field)
                ok = clean(raw)
                if ok is None and raw is not None:
                    skipped.append(f"{sid} {field}")
                box.value = unset if ok is None else ok
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    # --- feedback ------------------------------------------------------------------------
    def refresh(self) -> None:
        chosen = self.placements()
        self.figure = self.grid_figure(chosen)
        self.grid.value = self.figure.to_html()
        self.feedback.show(*self.feedback_for(chosen))

    def grid_figure(self, chosen: Mapping[str, Mapping[str, Any]]) -> SvgFigure:
        points = []
        for sid, (r, *_boxes) in self.rows.items():
            entry = chosen.get(sid, {})
            points.append(
                {
                    "label": r.label,
                    "name": r.name,
                    "power": entry.get("power"),
                    "interest": entry.get("interest"),
                    "group": GROUPS[r.group],
                }
            )
        return stakeholder_grid(points, title="Your stakeholder map", groups=list(GROUPS.values()))

    def feedback_for(self, chosen: Mapping[str, Mapping[str, Any]]):
        total = len(self.rows)
        msgs: list[Message] = []
        placed = quadrants = strategies = 0
        for sid, (r, *_boxes) in self.rows.items():
            entry = chosen.get(sid)
            if not entry:
                continue
            power, interest, strategy = entry["power"], entry["interest"], entry["strategy"]
            msgs += judge(r, power, interest, strategy)
            if power is not None and interest is not None:
                placed += 1
                quadrants += sh.place(power, interest, THRESHOLD).quadrant == r.quadrant
            strategies += strategy == r.strategy
        heading = (
            f"Placed {placed} of {total} · same quadrant as the reference: {quadrants} · "
            f"reference strategy: {strategies} of {total}"
        )
        if not msgs:
            msgs = [Message("info", "Rate each person's power and interest, then pick a strategy.")]
        elif quadrants == strategies == total:
            msgs.append(
                Message(
                    "good",
                    "Every person in the reference quadrant, with the reference strategy. "
                    "Next, the page's answer key says why for each.",
                )
            )
        return heading, msgs

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = []
        for sid, entry in answer.get("placements", {}).items():
            r = self.rows[sid][0] if sid in self.rows else None
            who = f"{r.name} ({r.role}, {r.organisation})" if r is not None else sid
            p, i = entry.get("power"), entry.get("interest")
            s = entry.get("strategy")
            verdict = ""
            if r is not None and (p, i, s) != (None, None, None):
                verdict = (
                    f" (course's reference: power {r.power}, interest {r.interest}, {r.strategy})"
                )
            lines.append(f"- {who}: power {p or '?'}, interest {i or '?'}, {s or '?'}{verdict}")
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines) or "(nothing placed yet)"


# --- the static path on the page -----------------------------------------------------------
def reference_grid() -> SvgFigure:
    """The reference map as a figure, for readers without a kernel."""
    ref = reference_placements()
    points = [
        {
            "label": r.label,
            "name": r.name,
            "power": r.power,
            "interest": r.interest,
            "group": GROUPS[r.group],
        }
        for r in ref.itertuples(index=False)
    ]
    return stakeholder_grid(
        points, title="The reference stakeholder map", groups=list(GROUPS.values())
    )


def answer_key_html() -> str:
    """Every stakeholder with the reference ratings, quadrant, strategy and why."""
    ref = reference_placements()
    rows = [
        (
            f"{r.label} {r.name}, {r.role}, {r.organisation}",
            r.power,
            r.interest,
            r.quadrant + (" (on the threshold: a judgment call)" if r.on_boundary else ""),
            r.strategy,
            r.placement_reason,
        )
        for r in ref.itertuples(index=False)
    ]
    return html_table(
        ["Stakeholder", "Power", "Interest", "Quadrant", "Strategy", "Why"],
        rows,
        caption="The reference map: every stakeholder, rated for this decision.",
        wide=("Why",),
    )


def glue_reference(prefix: str = "sm") -> None:
    """Glue the numbers the page's prose uses (``{prefix}_…``)."""
    from myst_nb import glue

    from ...frameworks.prioritization import rice_score

    ref = reference_placements()
    glue(f"{prefix}_people", len(ref), display=False)
    inside = int((ref["organisation"] == "Kestrel Works").sum())
    glue(f"{prefix}_kestrel", inside, display=False)
    glue(f"{prefix}_outside", len(ref) - inside, display=False)
    for quadrant, strategy in sh.STRATEGIES.items():
        key = strategy.replace(" ", "_")
        glue(f"{prefix}_{key}", int((ref["quadrant"] == quadrant).sum()), display=False)
    glue(f"{prefix}_threshold", THRESHOLD, display=False)
    glue(f"{prefix}_boundary", int(ref["on_boundary"].sum()), display=False)
    for r in ref.itertuples(index=False):
        glue(f"{prefix}_{r.stakeholder_id.lower()}_power", int(r.power), display=False)
        glue(f"{prefix}_{r.stakeholder_id.lower()}_interest", int(r.interest), display=False)
    backlog = data.load("backlog").set_index("item_id")
    for item in ("B01", "B02", "B03"):
        b = backlog.loc[item]
        score = rice_score(b["reach"], b["impact"], b["confidence"], b["effort"])
        glue(f"{prefix}_rice_{item.lower()}", f"{score:,.4g}", display=False)
        glue(f"{prefix}_effort_{item.lower()}", f"{b['effort']:g}", display=False)
