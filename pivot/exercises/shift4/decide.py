"""Shift 4, read the result and decide: ship, iterate or kill; one-way and two-way doors; what
more information is worth.

Three parts in one exercise (``shift4.read_and_decide``):

1. **Read the result.** The learner's experiment from the page *Design the experiment*
   (``pivot.exercises.shift4.experiment.saved_design``), or the stated default design for the
   schedule-change notification, gets a seeded result (:func:`pivot.frameworks.decisions.
   simulate_result`: the same design always gives the same result). The learner locks the
   success and kill criteria *before* the result is shown, then decides; the feedback says
   whether the decision follows the criteria and names moving the goalposts. The success
   criterion's bar is the smallest improvement worth shipping, the kill criterion's the
   improvement the test was sized for (:class:`pivot.frameworks.decisions.Criteria`); saved
   answers keep the older keys, ``"success"`` for the sized-for bar and ``"kill"`` for the
   bar worth shipping, which other pages read.
2. **Doors.** Eight decisions from the case (``data/door_decisions.csv``), each a one-way or a
   two-way door in the sense of Bezos's 2015 letter to shareholders.
3. **What more information is worth.** A decision table from the case
   (``data/decision_tables.csv``) whose probabilities and payoffs the learner edits; the
   expected value of perfect information is computed exactly by
   :func:`pivot.frameworks.decisions.evpi`, and the learner checks their own faded steps.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

import ipywidgets as W

from ... import data, plots
from ...frameworks import decisions as dc
from ...frameworks import experiments
from ...kit import Exercise, FeedbackPanel, Message, escape
from ..common import html_table, quote, restore_reflection
from .experiment import default_design, worked_example

__all__ = [
    "DEFAULT_DESIGN",
    "DOOR_SCHEMA",
    "TABLE_SCHEMA",
    "WORKED_RESULT",
    "ReadAndDecide",
    "design_for",
    "fmt",
    "glue_numbers",
    "load_doors",
    "load_tables",
    "table_markdown",
]

DOOR_SCHEMA = data.Schema(
    "door_decisions",
    (
        data.Column("decision_id", pattern=r"D\d{2}", unique=True),
        data.Column("decision", max_chars=200, unique=True),
        data.Column("door", choices=dc.DOORS),
        data.Column("why", max_chars=600),
        data.Column("make_it_two_way", required=False, max_chars=400),
    ),
    "Shift 4: decisions from the case, each a one-way or a two-way door, with why and, for a "
    "one-way door, how to make it two-way.",
    min_rows=2,
)
data.register(DOOR_SCHEMA)

TABLE_SCHEMA = data.Schema(
    "decision_tables",
    (
        data.Column("table_id", pattern=r"T\d{2}|T\d"),
        data.Column("title", max_chars=120),
        data.Column("unit", max_chars=120),
        data.Column("action", max_chars=120),
        data.Column("state", max_chars=120),
        data.Column("probability", kind="float", minimum=0, maximum=1),
        data.Column("payoff", kind="float"),
    ),
    "Shift 4: decision tables for the expected value of perfect information, one row per "
    "action and state, with the state's probability and the action's payoff in that state.",
    min_rows=1,
)
data.register(TABLE_SCHEMA)

DOOR_LABELS = {"one_way": "one-way door (Type 1)", "two_way": "two-way door (Type 2)"}
DECISION_LABELS = {"ship": "Ship", "iterate": "Iterate", "kill": "Kill"}

#: The design used when the learner has not saved one on *Design the experiment*: the course's
#: default design, declared once in :data:`pivot.exercises.shift4.experiment.DEFAULT`
#: (technicians as the unit, because the ~900 accounts are too few for an account-level test of
#: this size). A fall in the rate is the improvement.
DEFAULT_DESIGN: dict[str, Any] = default_design()

#: The worked example on the page: a fixed result for the default design, read in full. The
#: group size is the default design's; the counts are chosen so that the rule says *iterate*
#: (a real improvement below the bar worth shipping, the sized-for one not ruled out).
WORKED_RESULT = {"n": DEFAULT_DESIGN["n_per_group"], "control": 375, "treatment": 328}


def fmt(x: object, places: int = 2) -> str:
    """A number for people: 1620 → '1,620'; 12.5 → '12.5'; Fraction(1, 3) → '0.33'."""
    try:
        v = float(x)  # type: ignore[arg-type]
    except OverflowError:
        v = math.inf
    if not math.isfinite(v):
        if isinstance(x, Fraction):
            return f"{Decimal(x.numerator) / Decimal(x.denominator):.3E}"
        return str(v)
    if v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.{places}f}".rstrip("0").rstrip(".")


def _rate(value: object, *, signed: bool = False) -> float | None:
    """A saved rate: 0.2 or 20 (per cent) → 0.2 (with ``signed``, −0.05 or −5 → −0.05);
    anything unusable → None."""
    try:
        x = float(dc.exact("rate", value))
    except dc.DecisionError:
        return None
    if signed:
        if 1 <= abs(x) <= 100:
            x /= 100
        return x if 0 < abs(x) < 1 else None
    if 1 <= x <= 100:
        x /= 100
    return x if 0 < x < 1 else None


def design_for(workbook) -> tuple[dict[str, Any], list[str]]:
    """The learner's saved design with numbers the result needs, and notes on what was taken
    from the default. Never raises."""
    saved: Mapping[str, Any] = {}
    try:
        from .experiment import saved_design  # the page "Design the experiment"

        got = saved_design(workbook)
        saved = got if isinstance(got, Mapping) else {}
    except Exception:  # the design page may not exist yet, or its save be odd
        saved = {}
    if not saved:
        return dict(DEFAULT_DESIGN), ["No saved design found: using the course's default design."]
    design = dict(DEFAULT_DESIGN)
    notes = []
    for key in ("hypothesis", "metric"):
        if isinstance(saved.get(key), str) and saved[key].strip():
            design[key] = saved[key].strip()
    b, m = _rate(saved.get("baseline")), _rate(saved.get("mde"), signed=True)
    if b is not None and m is not None and 0 < b + 1.5 * m < 1:
        design["baseline"], design["mde"] = b, m
    else:
        notes.append("your saved baseline or minimum detectable effect could not be used")
    if saved.get("feasible") is False:
        notes.append(
            "Design the experiment found that this sample cannot be reached; the result below "
            "shows what it would look like if it could"
        )
    n = saved.get("n_per_group")
    if isinstance(n, int | float) and not isinstance(n, bool) and float(n).is_integer() and n > 0:
        design["n_per_group"] = int(min(n, 10_000_000))
    else:
        design["n_per_group"] = experiments.sample_size_absolute(
            design["baseline"], design["mde"]
        ).n_control
        notes.append("no usable sample size, so the course's formula gave it")
    # the kill criterion's bar is the improvement the test was sized for, the design's own
    # minimum detectable effect; the success criterion's bar (worth shipping) is read from the
    # success criterion when it is written as a bare number (4, 0.04, "4 %"), else 0: ship any
    # real improvement, until the learner sets it before locking
    design["success"] = abs(design["mde"])
    w = saved.get("success")
    w_rate = _rate(w) if not (isinstance(w, int | float) and 0 <= float(w) < 1) else float(w)
    design["kill"] = w_rate if w_rate is not None and w_rate <= design["success"] else 0.0
    for key in ("success", "kill"):
        if isinstance(saved.get(key), str):
            design[f"{key}_text"] = saved[key]
    head = ["Using your design from Design the experiment."]
    return design, head + ([f"Note: {'; '.join(notes)}."] if notes else [])


# --- data -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _doors() -> tuple[dict[str, Any], ...]:
    frame = data.read_table(data.data_dir() / "door_decisions.csv", DOOR_SCHEMA)
    return tuple(
        {k: ("" if data.plain_value(v) is None else data.plain_value(v)) for k, v in r.items()}
        for r in frame.astype(object).to_dict("records")
    )


def load_doors() -> list[dict[str, Any]]:
    """The door decisions, validated."""
    return [dict(r) for r in _doors()]


@lru_cache(maxsize=1)
def _tables() -> tuple[tuple[str, dict[str, Any]], ...]:
    frame = data.read_table(data.data_dir() / "decision_tables.csv", TABLE_SCHEMA)
    out: dict[str, dict[str, Any]] = {}
    for r in frame.astype(object).to_dict("records"):
        t = out.setdefault(
            r["table_id"],
            {"title": r["title"], "unit": r["unit"], "actions": [], "states": [], "cells": {}},
        )
        if r["action"] not in t["actions"]:
            t["actions"].append(r["action"])
        if r["state"] not in t["states"]:
            t["states"].append(r["state"])
        known = t.setdefault("p", {}).setdefault(r["state"], r["probability"])
        if known != r["probability"]:
            raise data.DataError(
                [
                    data.Problem(
                        "decision_tables.csv",
                        f"the same probability for state {r['state']!r} on every row of table "
                        f"{r['table_id']} ({known:g})",
                        None,
                        "probability",
                        str(r["probability"]),
                    )
                ]
            )
        t["cells"][(r["action"], r["state"])] = r["payoff"]
    return tuple(out.items())


def load_tables() -> dict[str, dict[str, Any]]:
    """The decision tables by id: ``{"title", "unit", "actions", "states", "probabilities",
    "payoffs", "table"}`` with ``table`` the validated :class:`~pivot.frameworks.decisions.
    DecisionTable` (so a CSV with probabilities that do not sum to 1 fails on load)."""
    out = {}
    for tid, t in _tables():
        probs = [t["p"][s] for s in t["states"]]
        payoffs = [[t["cells"].get((a, s)) for s in t["states"]] for a in t["actions"]]
        try:
            table = dc.make_table(t["actions"], t["states"], probs, payoffs)
        except dc.DecisionError as err:
            raise data.DataError(
                [data.Problem("decision_tables.csv", str(err), None, "table_id", tid)]
            ) from err
        out[tid] = {
            "title": t["title"],
            "unit": t["unit"],
            "actions": list(t["actions"]),
            "states": list(t["states"]),
            "probabilities": probs,
            "payoffs": payoffs,
            "table": table,
        }
    return out


def table_markdown(table: dc.DecisionTable, unit: str) -> str:
    """A decision table as Markdown, with each action's expected value (for the answer key)."""
    r = dc.evpi(table)
    head = "| Action | " + " | ".join(
        f"{s} (p = {fmt(p)})" for s, p in zip(table.states, table.probabilities, strict=True)
    )
    lines = [head + " | Expected value |", "|" + " --- |" * (len(table.states) + 2)]
    for a, row in zip(table.actions, table.payoffs, strict=True):
        lines.append(f"| {a} | " + " | ".join(fmt(x) for x in row) + f" | {fmt(r.expected[a])} |")
    return "\n".join(lines) + f"\n\nPayoffs in {unit}."


# --- the widget -----------------------------------------------------------------------------
def _points(x: float) -> str:
    """0.05 → '+5 points'; −0.0376 → '-3.76 points'; 0.01 → '+1 point'."""
    text = f"{100 * x:+.2f}".rstrip("0").rstrip(".")
    return text + (" point" if text in ("+1", "-1") else " points")


class ReadAndDecide(Exercise):
    """Read the seeded result of your experiment and decide; classify doors; price information."""

    exercise_id = "shift4.read_and_decide"
    title = "Shift 4: read the result and decide"

    def build(self) -> W.Widget:
        self.design, self.design_notes = design_for(self.workbook)
        self.sim = dc.simulate_result(
            self.design["baseline"], self.design["mde"], self.design["n_per_group"]
        )
        self.locked: dc.Criteria | None = None
        style = {"description_width": "16em"}
        lay = W.Layout(width="26em", max_width="100%")
        self.design_html = W.HTML(self._design_html())
        wide = {"description_width": "22em"}
        wide_lay = W.Layout(width="32em", max_width="100%")
        self.worth_box = W.FloatText(
            value=round(100 * self.design["kill"], 4),
            description="Success: smallest improvement worth shipping (points)",
            tooltip="Ship when the interval is above zero and the improvement reaches this",
            style=wide,
            layout=wide_lay,
        )
        self.sized_box = W.FloatText(
            value=round(100 * self.design["success"], 4),
            description="Kill: improvement the test was sized for (points)",
            tooltip="Kill when even the top of the interval is below this",
            style=wide,
            layout=wide_lay,
        )
        for box in (self.worth_box, self.sized_box):
            box.observe(self.changed, names="value")
        self.lock_button = W.Button(
            description="Lock criteria, show result",
            tooltip="Fix your criteria before you see the data, then see the result",
            button_style="primary",
            layout=W.Layout(width="auto"),
        )
        self.lock_button.on_click(lambda _b: self.lock())
        self.result_html = W.HTML(layout=W.Layout(width="100%"))
        self.decision = W.ToggleButtons(
            options=[(DECISION_LABELS[d], d) for d in dc.DECISIONS],
            value=None,
            description="Your decision",
            tooltips=["Ship it to everyone", "Change it and test again", "Stop work on it"],
            style={"description_width": "8em"},
        )
        self.decision.observe(self.changed, names="value")
        self.result_feedback = FeedbackPanel("Decision feedback")

        self.doors = load_doors()
        self.door_boxes = {}
        door_rows = []
        for d in self.doors:
            box = W.Dropdown(
                options=[("(choose)", None)] + [(DOOR_LABELS[k], k) for k in dc.DOORS],
                value=None,
                description=d["decision_id"],
                tooltip=d["decision"],
                style={"description_width": "3em"},
                layout=W.Layout(width="18em"),
            )
            box.observe(self.changed, names="value")
            self.door_boxes[d["decision_id"]] = box
            door_rows.append(
                W.HBox(
                    [box, W.HTML(f'<span style="margin-left:.6em">{escape(d["decision"])}</span>')]
                )
            )
        self.door_feedback = FeedbackPanel("Doors feedback")

        self.tables = load_tables()
        self.table_choice = W.Dropdown(
            options=[(f"{t['title']} ({tid})", tid) for tid, t in self.tables.items()],
            value=next(iter(self.tables)),
            description="Decision table",
            style={"description_width": "8em"},
            layout=W.Layout(width="38em", max_width="100%"),
        )
        self.table_choice.observe(self._table_changed, names="value")
        self.edits: dict[str, dict[str, list]] = {}
        self.grid = W.VBox()
        self.reset_button = W.Button(
            description="Reset this table", tooltip="Back to the case's probabilities and payoffs"
        )
        self.reset_button.on_click(lambda _b: self.reset_table())
        self.evpi_html = W.HTML(layout=W.Layout(width="100%"))
        self.my_with_perfect = W.Text(
            description="Your EV with perfect info",
            placeholder="e.g. 72",
            style=style,
            layout=lay,
            continuous_update=False,
        )
        self.my_evpi = W.Text(
            description="Your EVPI",
            placeholder="e.g. 32",
            style=style,
            layout=lay,
            continuous_update=False,
        )
        for box in (self.my_with_perfect, self.my_evpi):
            box.observe(self.changed, names="value")
        self.evpi_feedback = FeedbackPanel("Value of information feedback")
        self._build_grid()

        self.reflection = self.reflection_box(
            "Think of a decision at work that was judged by its outcome. Was it a good decision? "
            "Was it a one-way or a two-way door?"
        )
        return W.VBox(
            [
                W.HTML("<h4>1. Read the result and decide</h4>"),
                self.design_html,
                self.worth_box,
                self.sized_box,
                self.lock_button,
                self.result_html,
                self.decision,
                self.result_feedback.widget,
                W.HTML("<h4>2. One-way or two-way door?</h4>"),
                *door_rows,
                self.door_feedback.widget,
                W.HTML("<h4>3. What is more information worth?</h4>"),
                self.table_choice,
                self.grid,
                self.reset_button,
                self.evpi_html,
                W.HTML(
                    "<p>Faded step: work out the two numbers yourself first, then type them "
                    "(fractions such as 1/3 are fine).</p>"
                ),
                self.my_with_perfect,
                self.my_evpi,
                self.evpi_feedback.widget,
                self.reflection,
                self.save_control.widget,
            ]
        )

    # --- part 1 ---------------------------------------------------------------------------
    def _design_html(self) -> str:
        d = self.design
        rows = [
            ["Hypothesis", d["hypothesis"]],
            ["Metric", d["metric"]],
            ["Baseline", f"{fmt(100 * d['baseline'])} %"],
            ["Minimum detectable effect", _points(d["mde"])],
            ["Units per group", fmt(d["n_per_group"])],
        ]
        rows.append(["Improvement the test was sized for", _points(abs(d["mde"]))])
        for key in ("success_text", "kill_text"):
            if key in d:
                rows.append([f"Your {key[:-5]} criterion, as written", d[key]])
        notes = "".join(f"<p>{escape(n)}</p>" for n in self.design_notes)
        return notes + html_table(["", "Your experiment"], rows, caption="The design")

    def criteria_now(self) -> dc.Criteria | None:
        try:
            return dc.Criteria.make(self.sized_box.value / 100, self.worth_box.value / 100)
        except (dc.DecisionError, TypeError):
            return None

    def lock(self) -> None:
        """Lock the criteria as they are and show the result."""
        crit = self.criteria_now()
        if crit is None or self.locked is not None:
            self.refresh()
            return
        self.locked = crit
        self.changed()

    def result_view(self) -> str:
        r = self.sim.result
        rows = [
            [
                "Control",
                fmt(r.n_control),
                fmt(r.conversions_control),
                f"{100 * r.rate_control:.2f} %",
            ],
            [
                "Treatment",
                fmt(r.n_treatment),
                fmt(r.conversions_treatment),
                f"{100 * r.rate_treatment:.2f} %",
            ],
        ]
        crit = self.criteria_now() or self.locked
        assert crit is not None
        est, low, high = dc.improvement(r, lower_is_better=self.lower_is_better)
        what = (
            "improvement, control minus treatment (a fall in the rate is good here)"
            if self.lower_is_better
            else "improvement, treatment minus control"
        )
        chart = plots.result_interval_chart(
            est,
            low,
            high,
            success=crit.sized_for,
            kill=crit.worth_shipping,
            axis_label=f"{what.split(' (')[0]} (percentage points)",
        )
        return (
            html_table(["Group", "Units", "Converted", "Rate"], rows, caption="The result")
            + f"<p>Difference in the rate, treatment minus control: "
            f"{escape(_points(r.difference))}. The {escape(what)}: "
            f"<strong>{escape(_points(est))}</strong>, with a 95 % confidence interval from "
            f"{escape(_points(low))} to {escape(_points(high))} ({escape(dc.CI_METHOD)}).</p>"
            + chart.to_html()
        )

    @property
    def lower_is_better(self) -> bool:
        """A negative minimum detectable effect: the design hopes for a fall in the rate."""
        return self.design["mde"] < 0

    def decision_feedback(self) -> tuple[str, list[Message]]:
        crit = self.criteria_now()
        if crit is None:
            try:
                dc.Criteria.make(self.sized_box.value / 100, self.worth_box.value / 100)
                problem = ""
            except (dc.DecisionError, TypeError) as err:
                problem = str(err).replace("(got ", "(as a rate, got ")
            return "Your criteria", [
                Message(
                    "error",
                    "The improvement the test was sized for (the kill criterion's bar) must be "
                    "above zero and at most 100 points, and the smallest improvement worth "
                    "shipping (the success criterion's bar) must not be above it.",
                    f"{problem} A test should be sized for at least the improvement worth "
                    "shipping.".strip(),
                )
            ]
        if self.locked is None:
            return "Your criteria", [
                Message(
                    "info",
                    f"Success criterion: ship if the whole interval of the improvement is above "
                    f"zero and the improvement reaches {_points(crit.worth_shipping)}, the "
                    f"smallest worth shipping. Kill criterion: kill if even the top of the "
                    f"interval is below {_points(crit.sized_for)}, the improvement the test was "
                    "sized for. Otherwise iterate. Lock them to see the result.",
                    "Criteria written before the data cannot be bent to fit it.",
                )
            ]
        if self.decision.value is None:
            return "The result is in", [
                Message("info", "Read the interval against your criteria, then decide.")
            ]
        j = dc.judge_decision(
            self.decision.value,
            self.sim.result,
            self.locked,
            crit,
            lower_is_better=self.lower_is_better,
        )
        said = DECISION_LABELS[j.by_locked].lower()
        msgs = []
        if j.follows_criteria:
            msgs.append(
                Message(
                    "good",
                    f"{DECISION_LABELS[j.decision]} follows the criteria you locked: they say "
                    f"{said}.",
                    self._why(j.by_locked, self.locked),
                )
            )
        else:
            msgs.append(
                Message(
                    "warn",
                    f"Your criteria, locked before the data, say {said}, not {j.decision}.",
                    self._why(j.by_locked, self.locked),
                )
            )
        if j.moved_goalposts:
            level = "error" if j.justified_only_by_moving else "warn"
            msgs.append(
                Message(
                    level,
                    f"Moving the goalposts: you changed the criteria after seeing the result "
                    f"(worth shipping {_points(self.locked.worth_shipping)} → "
                    f"{_points(crit.worth_shipping)}, sized for {_points(self.locked.sized_for)} "
                    f"→ {_points(crit.sized_for)}).",
                    (
                        "Your decision fits only the new criteria. "
                        if j.justified_only_by_moving
                        else ""
                    )
                    + "Criteria changed to fit the data no longer test anything; if you have "
                    "learned a better threshold, write it down for the next experiment.",
                )
            )
        true = -self.sim.true_difference if self.lower_is_better else self.sim.true_difference
        msgs.append(
            Message(
                "info",
                f"Behind the scenes (only a simulation can tell you this): the true "
                f"improvement was {_points(true)}.",
                "A good decision is judged by what you knew and the rule you set, not by this "
                "number: with noise, a sound rule sometimes ships a dud or kills a winner, and "
                "a bad rule sometimes gets lucky.",
            )
        )
        return "Your decision", msgs

    @staticmethod
    def _why(rule: str, crit: dc.Criteria) -> str:
        if rule == "ship":
            return (
                "The whole interval of the improvement is above zero, so it is real, and the "
                f"improvement reaches {_points(crit.worth_shipping)}, the smallest worth "
                "shipping: the success criterion is met."
            )
        if rule == "kill":
            return (
                f"Even the top of the interval is below {_points(crit.sized_for)}: the "
                "improvement the test was sized for is ruled out, so the kill criterion is met."
            )
        return (
            "The interval includes zero, or the improvement is below "
            f"{_points(crit.worth_shipping)}, the smallest worth shipping, so the success "
            f"criterion is not met; yet the improvement the test was sized for, "
            f"{_points(crit.sized_for)}, is not ruled out, so the kill criterion is not met "
            "either: the data cannot tell yet. Change something and test again."
        )

    # --- part 2 ---------------------------------------------------------------------------
    def door_feedback_now(self) -> tuple[str, list[Message]]:
        msgs = []
        right = done = 0
        for d in self.doors:
            mine = self.door_boxes[d["decision_id"]].value
            if mine is None:
                continue
            done += 1
            ok = mine == d["door"]
            right += ok
            extra = f" To make it two-way: {d['make_it_two_way']}" if d["make_it_two_way"] else ""
            msgs.append(
                Message(
                    "good" if ok else "warn",
                    f"{d['decision_id']}: {DOOR_LABELS[d['door']]}"
                    + ("" if ok else f", not a {DOOR_LABELS[mine].split(' (')[0]}")
                    + ".",
                    d["why"] + extra,
                )
            )
        if not done:
            msgs.append(Message("info", "Choose a door for each decision to see why."))
        return (
            f"Doors: {right} of {done} answered match the course's ({len(self.doors)} in all)",
            msgs,
        )

    # --- part 3 ---------------------------------------------------------------------------
    def _current_edits(self, tid: str) -> dict[str, list]:
        t = self.tables[tid]
        return self.edits.setdefault(
            tid,
            {
                "probabilities": [float(p) for p in t["probabilities"]],
                "payoffs": [[float(x) for x in row] for row in t["payoffs"]],
            },
        )

    def _build_grid(self) -> None:
        tid = self.table_choice.value
        t = self.tables[tid]
        e = self._current_edits(tid)
        self.prob_boxes = []
        self.payoff_boxes = []
        rows = [W.HTML(f"<p>Payoffs in {escape(t['unit'])}.</p>")]
        for j, s in enumerate(t["states"]):
            box = W.BoundedFloatText(
                value=e["probabilities"][j],
                min=0,
                max=1,
                step=0.05,
                description=f"P({s})",
                tooltip=f"Probability that {s}",
                style={"description_width": "30em"},
                layout=W.Layout(width="40em", max_width="100%"),
            )
            box.observe(self._grid_changed, names="value")
            self.prob_boxes.append(box)
            rows.append(box)
        for i, a in enumerate(t["actions"]):
            line = []
            for j, s in enumerate(t["states"]):
                box = W.FloatText(
                    value=e["payoffs"][i][j],
                    description=f"{a}, if {s}",
                    tooltip=f"Payoff of '{a}' if {s}",
                    style={"description_width": "30em"},
                    layout=W.Layout(width="40em", max_width="100%"),
                )
                box.observe(self._grid_changed, names="value")
                line.append(box)
            self.payoff_boxes.append(line)
            rows.extend(line)
        self.grid.children = rows

    def _grid_changed(self, _change=None) -> None:
        e = self._current_edits(self.table_choice.value)
        e["probabilities"] = [b.value for b in self.prob_boxes]
        e["payoffs"] = [[b.value for b in line] for line in self.payoff_boxes]
        self.changed()

    def _table_changed(self, _change=None) -> None:
        self._build_grid()
        self.changed()

    def reset_table(self) -> None:
        self.edits.pop(self.table_choice.value, None)
        self._build_grid()
        self.changed()

    def current_table(self) -> dc.DecisionTable:
        t = self.tables[self.table_choice.value]
        e = self._current_edits(self.table_choice.value)
        return dc.make_table(t["actions"], t["states"], e["probabilities"], e["payoffs"])

    def evpi_view(self) -> tuple[str, tuple[str, list[Message]]]:
        unit = self.tables[self.table_choice.value]["unit"]
        try:
            table = self.current_table()
        except dc.DecisionError as err:
            return "", (
                "Value of information",
                [Message("error", str(err), "Fix the table, and the EVPI is computed again.")],
            )
        r = dc.evpi(table)
        rows = [
            [a, *[fmt(x) for x in row], fmt(r.expected[a])]
            for a, row in zip(table.actions, table.payoffs, strict=True)
        ]
        best_row = [
            "Best in this state",
            *[" / ".join(r.best_by_state[s]) for s in table.states],
            "",
        ]
        steps = (
            "<ol>"
            "<li>Expected value of each action now: "
            + "; ".join(f"{escape(a)} {fmt(r.expected[a])}" for a in table.actions)
            + f". Best now: {escape(' / '.join(r.best_actions))}, {fmt(r.best_expected)}.</li>"
            "<li>With perfect information you would pick the best action in each state: "
            + " + ".join(
                f"{fmt(p)} × {fmt(max(row[j] for row in table.payoffs))}"
                for j, p in enumerate(table.probabilities)
            )
            + f" = {fmt(r.with_perfect)}.</li>"
            f"<li>EVPI = {fmt(r.with_perfect)} − {fmt(r.best_expected)} = "
            f"<strong>{fmt(r.evpi)}</strong> ({escape(unit)}).</li></ol>"
        )
        html = (
            html_table(
                ["Action", *table.states, "Expected value"],
                [*rows, best_row],
                caption="Your decision table",
            )
            + steps
        )
        msgs = []
        if len(r.best_actions) > 1:
            msgs.append(
                Message(
                    "info",
                    "Tie: " + " and ".join(r.best_actions) + " have the same expected value.",
                    "Either is best without more information; the EVPI does not depend on which.",
                )
            )
        if r.evpi == 0:
            msgs.append(
                Message(
                    "info",
                    "EVPI is 0: the same action is best whatever the state, so no research "
                    "about the state can change your decision. Decide now.",
                )
            )
        else:
            msgs.append(
                Message(
                    "good",
                    f"Perfect information would be worth {fmt(r.evpi)} ({unit}): never pay more "
                    "than that for research about these states.",
                    "Real research is imperfect, so it is worth less than the EVPI; a cheap, "
                    "quick check (a call, a fake door, a pilot) can be worth it when the EVPI "
                    "is large against its cost.",
                )
            )
        msgs.extend(self._faded_messages(r))
        return html, ("Value of information", msgs)

    def _faded_messages(self, r: dc.EVPIResult) -> list[Message]:
        msgs = []
        for label, box, target in (
            ("expected value with perfect information", self.my_with_perfect, r.with_perfect),
            ("EVPI", self.my_evpi, r.evpi),
        ):
            text = box.value.strip()
            if not text:
                continue
            try:
                mine = dc.exact(label, text)
            except dc.DecisionError:
                msgs.append(Message("warn", f"Your {label}: type a number such as 72 or 1/3."))
                continue
            if abs(mine - target) <= Fraction(1, 200):
                msgs.append(Message("good", f"Your {label} is right: {fmt(target)}."))
            else:
                hint = (
                    "Take the best payoff in each state (each column), weight it by the "
                    "state's probability, and add."
                    if box is self.my_with_perfect
                    else "Subtract the best expected value now from the expected value with "
                    "perfect information."
                )
                msgs.append(Message("warn", f"Your {label}, {text}, is not it yet.", hint))
        return msgs

    # --- Exercise interface ---------------------------------------------------------------
    def refresh(self) -> None:
        locked = self.locked is not None
        self.lock_button.disabled = locked
        self.decision.disabled = not locked
        self.result_html.value = self.result_view() if locked else ""
        self.result_feedback.show(*self.decision_feedback())
        self.door_feedback.show(*self.door_feedback_now())
        html, fb = self.evpi_view()
        self.evpi_html.value = html
        self.evpi_feedback.show(*fb)

    def answer(self) -> dict[str, Any]:
        return {
            # the saved keys are the older names: "success" = sized for, "kill" = worth shipping
            "criteria": {"success": self.sized_box.value, "kill": self.worth_box.value},
            "locked": None
            if self.locked is None
            else {"success": 100 * self.locked.sized_for, "kill": 100 * self.locked.worth_shipping},
            "decision": self.decision.value,
            "doors": {k: b.value for k, b in self.door_boxes.items() if b.value is not None},
            "table": self.table_choice.value,
            "edits": self.edits,
            "faded": {"with_perfect": self.my_with_perfect.value, "evpi": self.my_evpi.value},
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved answers could not be read; starting afresh."
        skipped: list[str] = []

        def number(v: object) -> float | None:
            if isinstance(v, int | float) and not isinstance(v, bool) and abs(v) < 1e6:
                return float(v)
            return None

        crit = answer.get("criteria")
        if isinstance(crit, Mapping):
            s, k = number(crit.get("success")), number(crit.get("kill"))
            if s is not None and k is not None:
                self.sized_box.value, self.worth_box.value = s, k
            else:
                skipped.append("criteria")
        elif crit is not None:
            skipped.append("criteria")
        locked = answer.get("locked")
        if isinstance(locked, Mapping):
            try:
                self.locked = dc.Criteria.make(
                    number(locked.get("success")) / 100,  # type: ignore[operator]
                    number(locked.get("kill")) / 100,  # type: ignore[operator]
                )
            except (dc.DecisionError, TypeError):
                skipped.append("locked criteria")
        elif locked is not None:
            skipped.append("locked criteria")
        decision = answer.get("decision")
        if decision in dc.DECISIONS and self.locked is not None:
            self.decision.value = decision
        elif decision is not None:
            skipped.append("decision")
        doors = answer.get("doors", {})
        if isinstance(doors, Mapping):
            for k, v in doors.items():
                if k in self.door_boxes and v in dc.DOORS:
                    self.door_boxes[k].value = v
                else:
                    skipped.append(f"door {str(k)[:12]}")
        else:
            skipped.append("doors")
        edits = answer.get("edits", {})
        if isinstance(edits, Mapping):
            for tid, e in edits.items():
                if tid not in self.tables or not isinstance(e, Mapping):
                    skipped.append(f"table {str(tid)[:12]}")
                    continue
                t = self.tables[tid]
                probs, pays = e.get("probabilities"), e.get("payoffs")
                ok = (
                    isinstance(probs, list)
                    and len(probs) == len(t["states"])
                    and all(number(p) is not None and 0 <= p <= 1 for p in probs)
                    and isinstance(pays, list)
                    and len(pays) == len(t["actions"])
                    and all(
                        isinstance(row, list)
                        and len(row) == len(t["states"])
                        and all(number(x) is not None for x in row)
                        for row in pays
                    )
                )
                if ok:
                    self.edits[tid] = {
                        "probabilities": [float(p) for p in probs],
                        "payoffs": [[float(x) for x in row] for row in pays],
                    }
                else:
                    skipped.append(f"table {tid}")
        else:
            skipped.append("tables")
        tid = answer.get("table")
        if tid in self.tables:
            self.table_choice.value = tid
        elif tid is not None:
            skipped.append("table choice")
        self._build_grid()
        faded = answer.get("faded", {})
        if isinstance(faded, Mapping):
            for key, box in (("with_perfect", self.my_with_perfect), ("evpi", self.my_evpi)):
                v = faded.get(key, "")
                if isinstance(v, str) and len(v) <= 100:
                    box.value = v
                else:
                    skipped.append(f"your {key.replace('_', ' ')}")
        else:
            skipped.append("faded steps")
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = []
        locked = answer.get("locked")
        if isinstance(locked, Mapping):
            lines.append(
                "Criteria locked before the data: ship if the interval is above zero and the "
                f"improvement reaches {locked.get('kill')} points (the smallest worth "
                f"shipping); kill if even the top of the interval is below "
                f"{locked.get('success')} points (the improvement the test was sized for)."
            )
            est, low, high = dc.improvement(self.sim.result, lower_is_better=self.lower_is_better)
            lines.append(
                f"Result: an improvement of {_points(est)} (95 % interval {_points(low)} to "
                f"{_points(high)})."
            )
        if answer.get("decision") in dc.DECISIONS:
            lines.append(f"Decision: {answer['decision']}.")
        doors = answer.get("doors")
        if isinstance(doors, Mapping) and doors:
            lines.append(
                "Doors: "
                + "; ".join(f"{k} {DOOR_LABELS.get(v, v)}" for k, v in sorted(doors.items()))
                + "."
            )
        try:
            r2 = dc.evpi(self.current_table())
            lines.append(f"EVPI of table {self.table_choice.value}: {fmt(r2.evpi)}.")
        except dc.DecisionError:
            pass
        text = answer.get("reflection", "")
        if isinstance(text, str) and text.strip():
            lines += ["", "Reflection:", "", quote(text)]
        return "\n".join(lines) or "(nothing yet)"


# --- the page's static path ----------------------------------------------------------------
#: The bar worth shipping that the worked example's temptation lowers it to, after the data.
MOVED_WORTH = 0.03


def _percent(p: float) -> str:
    """0.7056 → '70.6 %' (one decimal, so that three shares that add up to 1 read as 100)."""
    return f"{100 * p:.1f} %"


@lru_cache(maxsize=1)
def rule_probabilities_default() -> dict[str, dc.RuleProbabilities]:
    """How often the course's decision rule ships, iterates and kills for the default design
    (:data:`DEFAULT_DESIGN`), at three true improvements: none (``"none"``), the smallest worth
    shipping (``"worth"``) and the one the test was sized for (``"sized"``); exact, from
    :func:`pivot.frameworks.decisions.rule_probabilities`."""
    d = DEFAULT_DESIGN
    crit = dc.Criteria.make(d["success"], d["kill"])
    lower = d["mde"] < 0
    return {
        name: dc.rule_probabilities(
            d["baseline"], true, d["n_per_group"], crit, lower_is_better=lower
        )
        for name, true in (("none", 0.0), ("worth", crit.worth_shipping), ("sized", crit.sized_for))
    }


def glue_numbers(prefix: str) -> None:
    """Glue every number the page's prose uses (worked result, default design, EVPI tables,
    doors)."""
    from myst_nb import glue

    def g(key: str, value: object) -> None:
        glue(f"{prefix}_{key}", value, display=False)

    w = WORKED_RESULT
    r = dc.read_result(w["control"], w["n"], w["treatment"], w["n"])
    crit = dc.Criteria.make(DEFAULT_DESIGN["success"], DEFAULT_DESIGN["kill"])
    g("w_n", fmt(w["n"]))
    g("w_control", fmt(w["control"]))
    g("w_treatment", fmt(w["treatment"]))
    g("w_rate_c", f"{100 * r.rate_control:.2f} %")
    g("w_rate_t", f"{100 * r.rate_treatment:.2f} %")
    est, low, high = dc.improvement(r, lower_is_better=True)
    g("w_diff", _points(r.difference))
    g("w_imp", _points(est))
    g("w_low", _points(low))
    g("w_high", _points(high))
    g("w_rule", dc.rule_decision(r, crit, lower_is_better=True))
    g("worth", _points(crit.worth_shipping))
    g("sized", _points(crit.sized_for))
    g("baseline", f"{fmt(100 * DEFAULT_DESIGN['baseline'])} %")
    g("mde", _points(DEFAULT_DESIGN["mde"]))
    g("n", fmt(DEFAULT_DESIGN["n_per_group"]))
    g("days", fmt(worked_example()["run"].days))  # the same design's days, from the traffic
    low3 = dc.Criteria.make(DEFAULT_DESIGN["success"], MOVED_WORTH)
    g("moved_worth", _points(MOVED_WORTH))
    g("w_rule_moved", dc.rule_decision(r, low3, lower_is_better=True))
    # how often the rule ships, iterates and kills for the default design, exactly
    for name, probs in rule_probabilities_default().items():
        g(f"ps_{name}_true", _points(probs.true_improvement))
        for decision in dc.DECISIONS:
            g(f"ps_{name}_{decision}", _percent(probs.of(decision)))
        g(f"ps_{name}_above", _percent(probs.interval_above_zero))
    for tid, t in load_tables().items():
        res = dc.evpi(t["table"])
        k = tid.lower()
        for i, a in enumerate(t["actions"], 1):
            g(f"{k}_ev{i}", fmt(res.expected[a]))
        for j, p in enumerate(t["probabilities"], 1):
            g(f"{k}_p{j}", fmt(p))
        for i, row in enumerate(t["payoffs"], 1):
            for j, x in enumerate(row, 1):
                g(f"{k}_a{i}s{j}", fmt(x))
        g(f"{k}_best", " / ".join(res.best_actions))
        g(f"{k}_best_ev", fmt(res.best_expected))
        g(f"{k}_evwpi", fmt(res.with_perfect))
        g(f"{k}_evpi", fmt(res.evpi))
    doors = load_doors()
    g("doors", len(doors))
    g("one_way", sum(d["door"] == "one_way" for d in doors))
    g("two_way", sum(d["door"] == "two_way" for d in doors))


def doors_answer_key() -> str:
    """The door decisions as a Markdown table (the page's answer key)."""
    lines = [
        "| Id | Decision | Door | Why | How to make it two-way |",
        "| --- | --- | --- | --- | --- |",
    ]
    for d in load_doors():
        lines.append(
            f"| {d['decision_id']} | {d['decision']} | {DOOR_LABELS[d['door']]} | {d['why']} | "
            f"{d['make_it_two_way'] or '—'} |"
        )
    return "\n".join(lines)
