"""Shift 3, two exercises on the Crewboard backlog: rank it, then turn the ranking into a plan.

- :class:`PrioritiseBacklog` (the ranking page): the learner picks a top five by gut, then
  sees the backlog ranked by RICE (McBride, Intercom, 2016) or WSJF (Reinertsen, 2009; Scaled
  Agile), how far their gut agrees (Kendall's tau and the items that moved most, with the
  estimate that moved them) and how sensitive one item's rank is to its confidence (the
  product manager's own estimate) or to a re-estimate of effort by the engineers.
- :class:`CapacityPlanner` (the plan page): what fits the team's capacity, going down the
  ranking against the set with the most total value (RICE: reach × impact × confidence; WSJF:
  cost of delay), where the learner's gut picks from the ranking page land, and whether the
  Must haves stay within DSDM's 60% guideline.

Every calculation is the framework's (:mod:`pivot.frameworks.prioritization`): the backlog is
validated once with ``score_backlog``; re-ranking uses its array-level ``score_arrays``, and
the plans its ``greedy_positions`` and ``best_positions``, so feedback stays well under 100 ms
at 10,000 items and can never disagree with the framework.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

import ipywidgets as W
import numpy as np
import pandas as pd
import traitlets as T

from .. import data
from ..frameworks import prioritization as p
from ..kit import Exercise, FeedbackPanel, Message
from .common import html_table, quote, restore_reflection

#: How many items the ranking table shows (everything is computed on all of them).
TOP_SHOWN = 15
#: How many picks the gut ranking asks for.
PICKS = 5
#: Most items offered in the drop-downs (a backlog of 10,000 would make a useless menu).
MAX_OPTIONS = 300
#: Effort choices (person-months) for the estimate control.
EFFORT_CHOICES = (0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 20.0)
#: Largest exact capacity plan (items × capacity steps) computed on each change.
MAX_BEST_CELLS = 2_000_000
#: The capacity a plan starts with, by method: person-months (RICE), job-size points (WSJF).
DEFAULT_CAPACITY = {"rice": "12", "wsjf": "30"}
#: Longest capacity text kept in a saved answer (anything longer is not a capacity).
MAX_CAPACITY_TEXT = 200
CAPACITY_UNITS = {"rice": "person-months", "wsjf": "job-size points"}
COST_COLUMN = {"rice": "effort", "wsjf": "job_size"}
UNSET = ""
METHOD_NAMES = {"rice": "RICE", "wsjf": "WSJF"}
CONFIDENCE_WORDS = {100: "high", 80: "medium", 50: "low"}
FACTOR_WORDS = {
    "reach": "reach",
    "impact": "impact",
    "confidence": "confidence",
    "effort": "effort",
    "cost_of_delay": "cost of delay",
    "job_size": "job size",
}


def _fmt(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 else f"{x:,.0f}"


def _listed(ids, n: int = 20) -> str:
    return ", ".join(ids[:n]) + (" …" if len(ids) > n else "")


_SHORT = {"person-months": "person-months", "job-size points": "points"}


def _natural_order(ids: np.ndarray) -> np.ndarray:
    """Each id's position in natural order (B2 before B10), for tie-breaking by integer."""
    order = sorted(range(len(ids)), key=lambda k: p._natural_key(ids[k]))
    position = np.empty(len(ids), dtype=np.int64)
    position[order] = np.arange(len(ids))
    return position


class CapacityText(W.Text):
    """A text box for a capacity: what the learner types is kept as text (numbers set from
    code become text too), and :func:`~pivot.frameworks.prioritization.parse_capacity` says
    what is wrong with it, so NaN, infinity, a negative or a word get a message, never a
    traceback or a silently clamped value."""

    value = T.CUnicode("", help="The capacity as typed").tag(sync=True)


class _BacklogExercise(Exercise):
    """What both backlog exercises share: the validated backlog as arrays, re-scoring and
    re-ranking through the framework, and the capacity plan section."""

    def __init__(self, workbook=None, backlog: pd.DataFrame | None = None):
        frame = data.load("backlog") if backlog is None else backlog
        self._prepare(frame)
        super().__init__(workbook)

    # --- data -----------------------------------------------------------------------------
    def _prepare(self, frame: pd.DataFrame) -> None:
        rice = p.score_backlog(frame, "rice")  # validates; raises BacklogError with reasons
        self.has_wsjf = all(c in frame.columns for c in p.FIELDS["wsjf"])
        if self.has_wsjf:
            p.score_backlog(frame, "wsjf")
        table = frame.reset_index(drop=True)
        self.ids = np.asarray(table["item_id"].astype(str).str.strip(), dtype=object)
        self.index = {i: k for k, i in enumerate(self.ids)}
        fields = p.FIELDS["rice"] + (p.FIELDS["wsjf"] if self.has_wsjf else ())
        num = {c: pd.to_numeric(table[c], errors="coerce").to_numpy(float) for c in fields}
        self.base = num
        self.titles = (
            table["title"].astype(str).to_numpy(object) if "title" in table else self.ids.copy()
        )
        self.natural = _natural_order(self.ids)
        self.moscow = None
        if "moscow" in table.columns:
            try:
                p.moscow_check(table)
                self.moscow = np.asarray(
                    [p._moscow_label(i, v) for i, v in zip(self.ids, table["moscow"], strict=True)]
                )
            except p.BacklogError as exc:
                self.moscow_problem = str(exc)
        offered = list(rice["item_id"].head(MAX_OPTIONS)) if len(rice) > MAX_OPTIONS else None
        keys = sorted(offered or list(self.ids), key=p._natural_key)
        self.offered = keys
        self.medians = {c: float(np.median(num[c])) for c in num}
        if self.has_wsjf:
            cod = num["business_value"] + num["time_criticality"] + num["risk_reduction"]
            self.medians["cost_of_delay"] = float(np.median(cod))
        self.overrides: dict[str, dict[str, float]] = {}

    def estimates(self) -> dict[str, np.ndarray]:
        """The backlog's estimates with the learner's re-estimates applied."""
        if not self.overrides:
            return self.base
        est = {c: v.copy() for c, v in self.base.items()}
        for item, fields in self.overrides.items():
            for name, value in fields.items():
                est[name][self.index[item]] = value
        return est

    @staticmethod
    def scores(est: Mapping[str, np.ndarray], method: str) -> tuple[np.ndarray, np.ndarray]:
        """(score, cost) arrays, as :func:`~pivot.frameworks.prioritization.score_backlog`
        computes them (:func:`~pivot.frameworks.prioritization.score_arrays`)."""
        _value, score, cost = p.score_arrays(est, method)
        return score, cost

    @staticmethod
    def values(est: Mapping[str, np.ndarray], method: str) -> np.ndarray:
        """What each item delivers (RICE value or WSJF cost of delay), from the framework."""
        return p.score_arrays(est, method)[0]

    def order(self, score: np.ndarray, cost: np.ndarray) -> np.ndarray:
        """Item positions in rank order: score down, then cost up, then id in natural order."""
        return np.lexsort((self.natural, cost, -score))

    def rank_of(self, k: int, score: np.ndarray, cost: np.ndarray) -> int:
        """The rank of item ``k`` (1 = first) without sorting: count the items ahead of it."""
        s, c, n = score[k], cost[k], self.natural[k]
        ahead = (score > s) | ((score == s) & ((cost < c) | ((cost == c) & (self.natural < n))))
        return int(ahead.sum()) + 1

    # --- widgets --------------------------------------------------------------------------
    def _item_options(self) -> list[tuple[str, str]]:
        title = {i: t for i, t in zip(self.ids, self.titles, strict=True)}
        return [(f"{i}: {title[i][:70]}", i) for i in self.offered]

    # --- the capacity plan (CapacityPlanner; PrioritiseBacklog.with_plan) ------------------
    def build_plan_section(self, style: Mapping[str, str]) -> list[W.Widget]:
        """The capacity box (with its message right below it), the plan and the MoSCoW check."""
        self.capacity = CapacityText(
            value=DEFAULT_CAPACITY["rice"],
            description="Team capacity (person-months)",
            placeholder="for example 12",
            style=style,
        )
        self.capacity_message = W.HTML()
        self.capacity_feedback = FeedbackPanel("Capacity plan")
        self.moscow_feedback = FeedbackPanel("MoSCoW check")
        self.plans: tuple[p.CapacityPlan, p.CapacityPlan | None] | None = None
        self._plan_method = "rice"
        self._quiet = False
        self.capacity.observe(self._capacity_typed, names="value")
        return [
            self.capacity,
            self.capacity_message,
            self.capacity_feedback.widget,
            self.moscow_feedback.widget,
        ]

    def _capacity_typed(self, _change=None) -> None:
        if not self._quiet:
            self.changed()

    def capacity_problem(self, method: str) -> tuple[float | None, str]:
        """(capacity, "") when the box holds a valid capacity, else (None, the message)."""
        try:
            return p.parse_capacity(self.capacity.value, CAPACITY_UNITS[method]), ""
        except ValueError as exc:
            return None, str(exc)

    def plan_refresh(self, method: str, est: Mapping[str, np.ndarray], order: np.ndarray):
        """Re-plan for the current capacity, or say at the box what is wrong with it."""
        unit = CAPACITY_UNITS[method]
        if method != self._plan_method:
            # a default capacity follows the method's unit; a typed one is the learner's
            if self.capacity.value.strip() == DEFAULT_CAPACITY[self._plan_method]:
                self._quiet = True
                try:
                    self.capacity.value = DEFAULT_CAPACITY[method]
                finally:
                    self._quiet = False
            self._plan_method = method
        self.capacity.description = f"Team capacity ({unit})"
        capacity, problem = self.capacity_problem(method)
        if problem:
            self.plans = None
            text = f"{problem[0].upper()}{problem[1:]}."
            self.capacity_message.value = Message("error", text).to_html()
            wait = "Enter a capacity above to see the plan; your other answers are still saved."
            self.capacity_feedback.show(
                "Capacity plan: waiting for a valid capacity", [Message("info", wait)]
            )
            self.moscow_feedback.show(
                "MoSCoW check: waiting for a valid capacity", [Message("info", wait)]
            )
            return
        self.capacity_message.value = ""
        self.capacity_feedback.show(*self.capacity_for(method, est, order, capacity))
        self.moscow_feedback.show(*self.moscow_for(method, est, capacity))

    def capacity_for(self, method, est, order, capacity) -> tuple[str, list[Message]]:
        """Going down the ranking against the most valuable set that fits, by total value."""
        cost_col = COST_COLUMN[method]
        value, cost = self.values(est, method), est[cost_col]
        taken, passed = p.greedy_positions(value, cost, capacity, order)
        greedy = p.plan_from_positions(
            "greedy", capacity, taken, self.ids, value, cost, cost_col, passed
        )
        name, unit, what = METHOD_NAMES[method], CAPACITY_UNITS[method], greedy.value_name
        msgs = [
            Message(
                "info",
                f"Going down the {name} ranking: {len(greedy.items)} items, total {what} "
                f"{_fmt(greedy.total_value)}, using {_fmt(greedy.total_cost)} of "
                f"{_fmt(capacity)} {unit}.",
                _listed(greedy.items),
            )
        ]
        try:
            chosen = p.best_positions(
                value, cost, capacity, order, ids=self.ids, cost_col=cost_col,
                max_cells=MAX_BEST_CELLS,
            )  # fmt: skip
        except ValueError as exc:
            self.plans = (greedy, None)
            msgs.append(Message("warn", f"The best set is not computed here: {exc}."))
            return f"Capacity plan for {_fmt(capacity)} {unit} by {name}", msgs
        best = p.plan_from_positions("best", capacity, chosen, self.ids, value, cost, cost_col)
        self.plans = (greedy, best)
        msgs.append(
            Message(
                "info",
                f"Best set, the most total {what} that fits: {len(best.items)} items, total "
                f"{what} {_fmt(best.total_value)}, using {_fmt(best.total_cost)} of "
                f"{_fmt(capacity)} {unit}.",
                _listed(best.items),
            )
        )
        same = set(greedy.items) == set(best.items)
        msgs.append(Message("good" if same else "warn", p.compare_plans(greedy, best)))
        return f"Capacity plan for {_fmt(capacity)} {unit} by {name}", msgs

    def moscow_for(self, method, est, capacity) -> tuple[str, list[Message]]:
        if self.moscow is None:
            return "MoSCoW check", [Message("info", "This backlog has no MoSCoW labels.")]
        cost_col = COST_COLUMN[method]
        rows = []
        for label in ("Must", "Should", "Could", "Won't"):
            total = float(est[cost_col][self.moscow == label].sum())
            if total > 0:
                rows.append({"item_id": label, "moscow": label, cost_col: total})
        if not rows:
            return "MoSCoW check", [Message("info", "No effort is planned.")]
        frame = pd.DataFrame(rows)
        check = p.moscow_check(frame, capacity or None, cost_col=cost_col)
        level = "good" if check.passed else "warn"
        return "MoSCoW check: Must haves against the 60% guideline", [Message(level, check.message)]

    def plan_answer(self) -> dict[str, Any]:
        text = self.capacity.value
        return {"capacity": text if len(text) <= MAX_CAPACITY_TEXT else text[:MAX_CAPACITY_TEXT]}

    def restore_plan(self, answer: Mapping[str, Any]) -> list[str]:
        """Put a saved capacity back in its box, even an invalid one (it gets its message)."""
        capacity = answer.get("capacity")
        if capacity is None:
            return []
        number = isinstance(capacity, int | float) and not isinstance(capacity, bool)
        if number or (isinstance(capacity, str) and len(capacity) <= MAX_CAPACITY_TEXT):
            self.capacity.value = _fmt(capacity) if number and math.isfinite(capacity) else capacity
            return []
        return ["capacity"]

    def plan_markdown(self, answer: Mapping[str, Any]) -> str:
        unit = CAPACITY_UNITS.get(answer.get("method"), "person-months")
        lines = [f"Capacity: {answer.get('capacity', '')} {unit}"]
        if self.plans is not None:
            greedy, best = self.plans
            lines.append(f"- Down the ranking: {_listed(greedy.items) or 'nothing fits'}")
            if best is not None:
                lines.append(
                    f"- Best set (total {best.value_name} {_fmt(best.total_value)}): "
                    f"{_listed(best.items) or 'nothing fits'}"
                )
        return "\n".join(lines)


class PrioritiseBacklog(_BacklogExercise):
    """Gut top five, RICE/WSJF ranking, gut-vs-method comparison and estimate sensitivity.
    ``backlog`` defaults to ``data/backlog.csv``. A subclass that sets :attr:`with_plan`
    (one page that ranks and plans, e.g. for a learner's own backlog) shows the capacity plan
    and the MoSCoW check below the ranking, as :class:`CapacityPlanner` does."""

    exercise_id = "shift3.prioritise_backlog"
    title = "Shift 3: rank the backlog"
    #: Show the capacity plan and MoSCoW check below the ranking.
    with_plan = False

    def build(self) -> W.Widget:
        wide = W.Layout(width="40em", max_width="100%")
        style = {"description_width": "16em"}
        items = self._item_options()
        self.picks = [
            W.Dropdown(
                options=[("— choose an item —", UNSET), *items],
                value=UNSET,
                description=f"My pick {i}",
                style=style,
                layout=wide,
            )
            for i in range(1, PICKS + 1)
        ]
        self.method = W.ToggleButtons(
            options=[("RICE", "rice"), ("WSJF", "wsjf")][: 2 if self.has_wsjf else 1],
            value="rice",
            description="Rank by",
            tooltips=["reach × impact × confidence ÷ effort", "cost of delay ÷ job size"][
                : 2 if self.has_wsjf else 1
            ],
            style=style,
        )
        self.item = W.Dropdown(
            options=[("— choose an item —", UNSET), *items],
            value=UNSET,
            description="Item to re-estimate",
            style=style,
            layout=wide,
        )
        self.confidence = W.ToggleButtons(
            options=[(f"{c}% {w}", c) for c, w in CONFIDENCE_WORDS.items()],
            value=None,
            description="Your confidence in it",
            tooltips=["high: evidence for reach and impact", "medium", "low: a guess"],
            style=style,
            disabled=True,
        )
        self.effort_note = W.HTML(
            '<p class="pivot-note" style="margin:.2em 0 .2em 1em;max-width:40em">Effort is the '
            "engineers' estimate, not yours to bargain down. Change it only to see what a "
            "<em>re-estimate by them</em> would do, say after they have looked into the "
            "work.</p>"
        )
        self.effort = W.Dropdown(
            options=[(_fmt(e), e) for e in EFFORT_CHOICES],
            value=None,
            description="Engineers' re-estimate of effort (person-months)",
            style=style,
            disabled=True,
        )
        self.reset = W.Button(
            description="Reset my estimates",
            tooltip="Undo all re-estimates",
            layout=W.Layout(width="auto"),
        )
        self.table = W.HTML()
        self.gut_feedback = FeedbackPanel("Gut against method")
        self.sensitivity_feedback = FeedbackPanel("Sensitivity")
        self.reflection = self.reflection_box(
            "Which item would you defend against the ranking, and with what evidence?"
        )
        for w in [*self.picks, self.method]:
            w.observe(self.changed, names="value")
        self.item.observe(self._item_chosen, names="value")
        self.confidence.observe(self._estimate_changed, names="value")
        self.effort.observe(self._estimate_changed, names="value")
        self.reset.on_click(self._reset)
        self._syncing = False
        plan = []
        if self.with_plan:
            plan = [
                W.HTML("<p><strong>4. What fits the team's capacity?</strong></p>"),
                *self.build_plan_section(style),
            ]
        return W.VBox(
            [
                W.HTML(
                    "<p><strong>1. Your gut: pick a top five, most important first</strong></p>"
                ),
                *self.picks,
                W.HTML("<p><strong>2. The backlog ranked by a method</strong></p>"),
                self.method,
                self.table,
                self.gut_feedback.widget,
                W.HTML("<p><strong>3. How sensitive is the ranking to one estimate?</strong></p>"),
                self.item,
                self.confidence,
                self.effort_note,
                self.effort,
                self.reset,
                self.sensitivity_feedback.widget,
                *plan,
                self.reflection,
                self.save_control.widget,
            ]
        )

    def _current(self, item: str, name: str) -> float:
        return self.overrides.get(item, {}).get(name, float(self.base[name][self.index[item]]))

    def _item_chosen(self, _change=None) -> None:
        item = self.item.value
        self._syncing = True
        try:
            if item == UNSET:
                self.confidence.value = None
                self.effort.value = None
            else:
                effort = self._current(item, "effort")
                if effort not in EFFORT_CHOICES:
                    choices = sorted({*EFFORT_CHOICES, effort})
                    self.effort.options = [(_fmt(e), e) for e in choices]
                self.confidence.value = int(self._current(item, "confidence"))
                self.effort.value = effort
        finally:
            self._syncing = False
        self.confidence.disabled = self.effort.disabled = item == UNSET
        self.changed()

    def _estimate_changed(self, _change=None) -> None:
        item = self.item.value
        if self._syncing or item == UNSET or None in (self.confidence.value, self.effort.value):
            return
        new = {"confidence": float(self.confidence.value), "effort": float(self.effort.value)}
        base = {n: float(self.base[n][self.index[item]]) for n in new}
        changed = {n: v for n, v in new.items() if v != base[n]}
        if changed:
            self.overrides[item] = changed
        else:
            self.overrides.pop(item, None)
        self.changed()

    def _reset(self, _b=None) -> None:
        self.overrides.clear()
        self._item_chosen()

    # --- state ----------------------------------------------------------------------------
    def gut(self) -> list[str]:
        return [d.value for d in self.picks if d.value != UNSET]

    def answer(self) -> dict[str, Any]:
        return {
            "picks": [d.value for d in self.picks],
            "method": self.method.value,
            "item": self.item.value,
            "overrides": {k: dict(v) for k, v in self.overrides.items()},
            **(self.plan_answer() if self.with_plan else {}),
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved prioritisation could not be read; starting afresh."
        skipped = []
        picks = answer.get("picks", [])
        for i, (d, v) in enumerate(
            zip(self.picks, picks if isinstance(picks, list) else [], strict=False), 1
        ):
            if v == UNSET or v in self.offered:
                d.value = v
            else:
                skipped.append(f"pick {i}")
        method = answer.get("method")
        if isinstance(method, str) and method in dict(self.method.options).values():
            self.method.value = method
        elif method is not None:
            skipped.append("method")
        overrides = answer.get("overrides", {})
        for item, fields in (overrides if isinstance(overrides, Mapping) else {}).items():
            ok = item in self.index and isinstance(fields, Mapping)
            clean = {}
            for name, value in (fields if ok else {}).items():
                number = isinstance(value, int | float) and not isinstance(value, bool)
                if number and (
                    (name == "confidence" and value in p.CONFIDENCE_SCALE)
                    or (name == "effort" and 0 < value < 1e6)
                ):
                    clean[name] = float(value)
                else:
                    ok = False
            if ok and clean:
                self.overrides[item] = clean
            else:
                skipped.append(f"re-estimate of {item}")
        if self.with_plan:
            skipped += self.restore_plan(answer)
        item = answer.get("item", UNSET)
        if isinstance(item, str) and (item in self.offered or item == UNSET):
            self.item.value = item
            self._item_chosen()
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        picks = [v for v in answer.get("picks", []) if v]
        lines = ["My gut top five:", ""]
        lines += [f"{i}. {v}" for i, v in enumerate(picks, 1)] or ["(none picked)"]
        lines += ["", f"Ranked by: {METHOD_NAMES.get(answer.get('method'), 'RICE')}"]
        for item, fields in answer.get("overrides", {}).items():
            shown = ", ".join(f"{k} {_fmt(v)}" for k, v in fields.items())
            lines.append(f"- Re-estimated {item}: {shown}")
        if self.with_plan:
            lines.append(self.plan_markdown(answer))
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines)

    # --- feedback -------------------------------------------------------------------------
    def refresh(self) -> None:
        self.rerank()

    def rerank(self) -> None:
        """Re-score, re-rank and redraw everything from the current inputs (all rows)."""
        method = self.method.value
        est = self.estimates()
        score, cost = self.scores(est, method)
        order = self.order(score, cost)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(1, len(order) + 1)
        self.ranking = (order, rank, score)
        self._draw_table(method, est, score, order)
        self.gut_feedback.show(*self.gut_feedback_for(method, est, score, rank))
        self.sensitivity_feedback.show(*self.sensitivity_for(method, est, order))
        if self.with_plan:
            self.plan_refresh(method, est, order)

    def _draw_table(self, method, est, score, order) -> None:
        gut = {i: k for k, i in enumerate(self.gut(), 1)}
        top = order[:TOP_SHOWN]
        if method == "rice":
            headers = ["Rank", "Item", "Title", "Reach", "Impact", "Confidence %"]
            headers.append("Effort (person-months)")
            cols = ["reach", "impact", "confidence", "effort"]
        else:
            headers = ["Rank", "Item", "Title", "Value", "Time crit.", "Risk red.", "Job size"]
            cols = ["business_value", "time_criticality", "risk_reduction", "job_size"]
        rows = []
        for r, k in enumerate(top, 1):
            i = self.ids[k]
            mark = " (re-estimated)" if i in self.overrides else ""
            row = [r, i + mark, self.titles[k], *(_fmt(est[c][k]) for c in cols), _fmt(score[k])]
            rows.append([*row, gut.get(i, "")] if gut else row)
        caption = (
            f"The top {len(top)} of {len(order):,} items by {METHOD_NAMES[method]} "
            "(computed on every item)"
        )
        self.table.value = html_table(
            [*headers, "Score", *(["My pick"] if gut else [])],
            rows,
            caption=caption,
            wide=["Title"],
        )

    def _driver(self, method: str, est, k: int, direction: str) -> str:
        """Which estimate moved item ``k``: the factor furthest from the backlog's median in
        the direction of the move (effort and job size count against)."""
        if method == "rice":
            factors = {c: est[c][k] for c in ("reach", "impact", "confidence", "effort")}
        else:
            cod = est["business_value"][k] + est["time_criticality"][k] + est["risk_reduction"][k]
            factors = {"cost_of_delay": cod, "job_size": est["job_size"][k]}
        pull = {}
        for name, value in factors.items():
            median = max(self.medians[name], 1e-9)
            ratio = math.log(max(value, 1e-9) / median)
            pull[name] = -ratio if name in ("effort", "job_size") else ratio
        name = (min if direction == "down" else max)(pull, key=pull.get)
        value = factors[name]
        unit = {"effort": " person-months", "confidence": "%"}.get(name, "")
        median = self.medians[name]
        side = "against" if direction == "down" else "for"
        return (
            f"mostly its {FACTOR_WORDS[name]}, {_fmt(round(value, 2))}{unit}, {side} a backlog "
            f"median of {_fmt(round(median, 2))}{unit}"
        )

    def gut_feedback_for(self, method, est, score, rank) -> tuple[str, list[Message]]:
        name = METHOD_NAMES[method]
        picks = self.gut()
        if not picks:
            return f"Your gut against {name}: nothing picked yet", [
                Message("info", "Pick your top five at the top, most important first.")
            ]
        repeated = sorted({i for i in picks if picks.count(i) > 1})
        if repeated:
            return f"Your gut against {name}: an item is picked twice", [
                Message("error", f"{repeated[0]} is picked more than once; pick five items.")
            ]
        top = {self.ids[k] for k in np.flatnonzero(rank <= len(picks))}
        both = [i for i in picks if i in top]
        msgs = [
            Message(
                "good" if len(both) == len(picks) else "info",
                f"{len(both)} of your {len(picks)} picks are in {name}'s top {len(picks)}"
                + (f": {', '.join(both)}." if both else "."),
            )
        ]
        gut_rank = {i: pos for pos, i in enumerate(picks, 1)}
        method_rank = {i: int(rank[self.index[i]]) for i in picks}
        if len(picks) >= 2:
            among = {i: sorted(method_rank.values()).index(r) + 1 for i, r in method_rank.items()}
            tau = p.kendall_tau(gut_rank, among)
            word = (
                "the same order"
                if tau > 0.999
                else "mostly agree"
                if tau >= 0.4
                else "barely related"
                if tau > -0.4
                else "mostly the reverse"
            )
            msgs.append(
                Message(
                    "info",
                    f"Kendall's tau between your order and {name}'s order of your picks: "
                    f"{tau:.2f} ({word}; 1 = same order, -1 = reverse).",
                )
            )
        for r in p.biggest_moves(gut_rank, method_rank, n=3).itertuples(index=False):
            k = self.index[r.item_id]
            moved = abs(int(r.moved))
            why = self._driver(method, est, k, r.direction)
            verb = "falls" if r.direction == "down" else "rises"
            msgs.append(
                Message(
                    "warn" if moved >= 5 else "info",
                    f"{r.item_id} is your pick {int(r.rank_a)} but {verb} to {name} rank "
                    f"{int(r.rank_b)} (score {_fmt(score[k])}): {why}.",
                )
            )
        if len(picks) < PICKS:
            msgs.append(Message("info", f"{PICKS - len(picks)} more pick(s) to make."))
        return f"Your gut against {name}: {len(both)} of {len(picks)} agree", msgs

    def sensitivity_for(self, method, est, order) -> tuple[str, list[Message]]:
        item = self.item.value
        if item == UNSET:
            return "Sensitivity: choose an item", [
                Message(
                    "info",
                    "Choose an item, then change your confidence in it: confidence is your own "
                    "estimate of how much evidence backs its reach and impact.",
                )
            ]
        k = self.index[item]
        top_now = [self.ids[j] for j in order[:PICKS]]
        msgs = []
        name = METHOD_NAMES[method]
        if method == "wsjf":
            msgs.append(
                Message(
                    "info",
                    "Confidence and effort are RICE estimates; switch to RICE to see "
                    "them move the ranking.",
                )
            )
        for field, values in (
            ("confidence", p.CONFIDENCE_SCALE),
            (
                "effort",
                sorted(
                    {
                        self._current(item, "effort") / 2,
                        self._current(item, "effort"),
                        self._current(item, "effort") * 2,
                    }
                ),
            ),
        ):
            parts = []
            for v in values:
                trial = dict(est)
                trial[field] = est[field].copy()
                trial[field][k] = v
                s, c = self.scores(trial, "rice")
                unit = "%" if field == "confidence" else " person-months"
                parts.append(f"{_fmt(v)}{unit} → rank {self.rank_of(k, s, c)}")
            lead = (
                f"RICE rank of {item} by your confidence: "
                if field == "confidence"
                else f"RICE rank of {item} if the engineers re-estimated its effort: "
            )
            msgs.append(Message("info", lead + "; ".join(parts) + "."))
        if self.overrides:
            s0, c0 = self.scores(self.base, method)
            before = [self.ids[j] for j in self.order(s0, c0)[:PICKS]]
            entered = [i for i in top_now if i not in before]
            left = [i for i in before if i not in top_now]
            if entered or left:
                msgs.append(
                    Message(
                        "warn",
                        f"Your re-estimates change {name}'s top {PICKS}: "
                        f"{', '.join(entered) or 'nothing'} in, {', '.join(left) or 'nothing'} "
                        "out. A ranking is only as good as its estimates: say which ones you "
                        "are unsure of, and find the evidence that would firm them up.",
                    )
                )
            else:
                msgs.append(
                    Message("good", f"Your re-estimates leave {name}'s top {PICKS} as it was.")
                )
        return f"Sensitivity of {item}: now {name} rank {int(self.ranking[1][k])}", msgs


class CapacityPlanner(_BacklogExercise):
    """From ranking to plan: the team's capacity, going down the ranking against the set with
    the most total value, where the learner's gut picks land, and the MoSCoW 60% check.

    The method and the gut picks come from the learner's saved ranking
    (:class:`PrioritiseBacklog`, ``shift3.prioritise_backlog``) when there is one; the plan
    itself is saved under its own id, ``shift3.capacity_plan``."""

    exercise_id = "shift3.capacity_plan"
    title = "Shift 3: from ranking to plan"
    ranking_id = PrioritiseBacklog.exercise_id

    def build(self) -> W.Widget:
        style = {"description_width": "16em"}
        ranking = self.workbook.get(self.ranking_id)
        ranking = ranking if isinstance(ranking, Mapping) else {}
        picks = ranking.get("picks")
        picks = picks if isinstance(picks, list) else []
        seen: list[str] = []
        for v in picks[:PICKS]:
            if isinstance(v, str) and v in self.index and v not in seen:
                seen.append(v)
        self.gut_picks = seen
        options = [("RICE", "rice"), ("WSJF", "wsjf")][: 2 if self.has_wsjf else 1]
        method = ranking.get("method")
        start = method if method in dict(options).values() else "rice"
        self.method = W.ToggleButtons(
            options=options,
            value=start,
            description="Plan by",
            tooltips=[
                "value = reach × impact × confidence; cost = effort (person-months)",
                "value = cost of delay; cost = job size (points)",
            ][: len(options)],
            style=style,
        )
        self.method.observe(self.changed, names="value")
        plan = self.build_plan_section(style)
        if start != "rice":
            self._quiet = True
            self.capacity.value = DEFAULT_CAPACITY[start]
            self._quiet = False
            self._plan_method = start
        self.gut_feedback = FeedbackPanel("Your gut picks in the plan")
        self.reflection = self.reflection_box(
            "When would you plan by going down the ranking anyway, and when is the best set "
            "worth arguing for?"
        )
        return W.VBox(
            [
                W.HTML("<p><strong>1. Which ranking do you plan from?</strong></p>"),
                self.method,
                W.HTML("<p><strong>2. How much can the team do this quarter?</strong></p>"),
                *plan,
                self.gut_feedback.widget,
                self.reflection,
                self.save_control.widget,
            ]
        )

    def answer(self) -> dict[str, Any]:
        return {
            "method": self.method.value,
            **self.plan_answer(),
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved plan could not be read; starting afresh."
        skipped = []
        method = answer.get("method")
        if isinstance(method, str) and method in dict(self.method.options).values():
            self.method.value = method
            self._plan_method = method
        elif method is not None:
            skipped.append("method")
        skipped += self.restore_plan(answer)
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = [f"Planned by: {METHOD_NAMES.get(answer.get('method'), 'RICE')}"]
        lines.append(self.plan_markdown(answer))
        if str(answer.get("reflection", "")).strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines)

    def refresh(self) -> None:
        method = self.method.value
        est = self.estimates()
        score, cost = self.scores(est, method)
        order = self.order(score, cost)
        self.ranking = (order, score)
        self.plan_refresh(method, est, order)
        self.gut_feedback.show(*self.gut_in_plan(method, est))

    def gut_in_plan(self, method, est) -> tuple[str, list[Message]]:
        if not self.gut_picks:
            return "Your gut picks: none saved yet", [
                Message(
                    "info",
                    "Pick your gut top five on the ranking page first; this plan then shows "
                    "where each of them lands.",
                )
            ]
        if self.plans is None or self.plans[1] is None:
            return "Your gut picks: waiting for a plan", [
                Message("info", "Your gut picks are placed once there is a best set to compare.")
            ]
        greedy, best = self.plans
        unit = _SHORT.get(CAPACITY_UNITS[method], "")
        value = self.values(est, method)
        cost = est[COST_COLUMN[method]]
        inside = [i for i in self.gut_picks if i in best.items]
        msgs = []
        for i in self.gut_picks:
            k = self.index[i]
            where = (
                "in the best set"
                if i in best.items
                else "taken going down the ranking, but not in the best set"
                if i in greedy.items
                else "left out of both plans"
            )
            level = "good" if i in best.items else "warn"
            msgs.append(
                Message(
                    level,
                    f"{i} ({best.value_name} {_fmt(round(float(value[k]), 2))}, "
                    f"{p.amount_text(float(cost[k]), unit)}): {where}.",
                )
            )
        return (
            f"Your gut picks: {len(inside)} of {len(self.gut_picks)} in the best set",
            msgs,
        )


class _Plain(str):
    """Text glued into prose: shown without the quotes a ``str`` repr adds."""

    def __repr__(self) -> str:
        return str(self)


class WorkedPrioritisation:
    """Static path of the ranking page: RICE step by step for three items, both rankings,
    Kendall's tau between them, and how far confidence (and an engineers' re-estimate of
    effort) moves an item. Every number comes from the framework."""

    ITEMS = ("B01", "B03", "B18")
    HEADERS: ClassVar[dict[str, str]] = {
        "item_id": "Item",
        "title": "Title",
        "reach": "RICE reach (accounts per quarter)",
        "impact": "Impact",
        "confidence": "Confidence",
        "effort": "Effort (person-months)",
        "cost_of_delay": "Cost of delay",
        "job_size": "Job size",
        "score": "Score",
        "rank": "Rank",
    }

    def __init__(self):
        self.backlog = data.load("backlog")
        self.rice = p.score_backlog(self.backlog, "rice")
        self.wsjf = p.score_backlog(self.backlog, "wsjf")
        self.b03_confidence = p.sensitivity(self.backlog, "B03", "confidence", [100, 80, 50])
        b05 = float(self.rice.set_index("item_id").loc["B05", "effort"])
        self.b05_effort = p.sensitivity(self.backlog, "B05", "effort", [b05 / 2, b05])

    def glue(self, prefix: str) -> None:
        from myst_nb import glue

        rows = self.rice.set_index("item_id")
        wsjf = self.wsjf.set_index("item_id")
        for i in (*self.ITEMS, "B02", "B05", "B11"):
            r = rows.loc[i]
            for c in ("reach", "impact", "effort", "score", "rank", "value"):
                v = float(r[c])
                glue(f"{prefix}_{i}_{c}", int(v) if v.is_integer() else v, display=False)
            glue(f"{prefix}_{i}_confidence", int(r["confidence"]), display=False)
            glue(f"{prefix}_{i}_title", _Plain(r["title"]), display=False)
            glue(f"{prefix}_{i}_wsjf_rank", int(wsjf.loc[i, "rank"]), display=False)
        glue(f"{prefix}_items", len(self.backlog), display=False)
        glue(f"{prefix}_tau", round(p.kendall_tau(self.rice, self.wsjf), 2), display=False)
        for name, table in (("rice", self.rice), ("wsjf", self.wsjf)):
            top = table.head(5)
            glue(f"{prefix}_{name}_top", _Plain(", ".join(top["item_id"])), display=False)
            scored = ", ".join(
                f"{i} ({_fmt(s)})" for i, s in zip(top["item_id"], top["score"], strict=True)
            )
            glue(f"{prefix}_{name}_top_scored", _Plain(scored), display=False)
        moves = p.biggest_moves(self.rice, self.wsjf, 3)
        moved = ", ".join(
            f"{m.item_id} ({int(m.rank_a)} → {int(m.rank_b)})" for m in moves.itertuples()
        )
        glue(f"{prefix}_moves", _Plain(moved), display=False)
        conf = self.b03_confidence.set_index("value")
        glue(f"{prefix}_B03_rank_at_100", int(conf.loc[100, "rank"]), display=False)
        half = self.b05_effort.iloc[0]
        glue(f"{prefix}_B05_half_effort", _Plain(_fmt(half["value"])), display=False)
        glue(f"{prefix}_B05_rank_at_half", int(half["rank"]), display=False)
        glue(f"{prefix}_B05_entered", _Plain(", ".join(half["entered"]) or "nothing"), False)
        glue(f"{prefix}_B05_left", _Plain(", ".join(half["left"]) or "nothing"), False)

    def _styled(self, frame, fmt, uuid):
        shown = frame.rename(columns=self.HEADERS)
        fmt = {self.HEADERS[k]: v for k, v in fmt.items()}
        return shown.style.hide(axis="index").format(fmt).set_uuid(uuid)

    def wsjf_table(self, n: int = 8):
        frame = self.wsjf[["item_id", "title", "cost_of_delay", "job_size", "score", "rank"]]
        fmt = {"cost_of_delay": "{:g}", "job_size": "{:g}", "score": "{:g}"}
        return self._styled(frame.head(n), fmt, "pivot-wsjf-top")

    def steps_table(self):
        frame = self.rice[self.rice["item_id"].isin(self.ITEMS)][
            ["item_id", "title", "reach", "impact", "confidence", "effort", "score", "rank"]
        ]
        fmt = {
            "reach": "{:.0f}",
            "impact": "{:g}",
            "confidence": "{:.0f}%",
            "effort": "{:g}",
            "score": "{:g}",
        }
        return self._styled(frame, fmt, "pivot-rice")


class WorkedCapacityPlan:
    """Static path of the plan page: at 12 person-months, going down the RICE ranking against
    the set with the most total value; a faded second case at 20 person-months; the MoSCoW
    check and a way to pass it; the meeting order with its reasons."""

    CAPACITY = 12.0
    YOUR_TURN = 20.0

    def __init__(self):
        from .meeting_order import STEPS

        self.steps = STEPS
        self.backlog = data.load("backlog")
        self.rice = p.score_backlog(self.backlog, "rice")
        self.greedy = p.fit_capacity_greedy(self.rice, self.CAPACITY)
        self.best = p.fit_capacity_best(self.rice, self.CAPACITY)
        self.turn_greedy = p.fit_capacity_greedy(self.rice, self.YOUR_TURN)
        self.turn_best = p.fit_capacity_best(self.rice, self.YOUR_TURN)
        self.moscow = p.moscow_check(self.backlog, self.CAPACITY)
        # the reference fix: demote the live map (B03), then the next-cheapest Must that passes
        self.demoted = ("B03", "B09")
        fixed = self.backlog.copy()
        fixed.loc[fixed["item_id"].isin(self.demoted), "moscow"] = "Should"
        self.moscow_fixed = p.moscow_check(fixed, self.CAPACITY)
        only_b03 = self.backlog.copy()
        only_b03.loc[only_b03["item_id"] == "B03", "moscow"] = "Should"
        self.moscow_b03 = p.moscow_check(only_b03, self.CAPACITY)

    def glue(self, prefix: str) -> None:
        from myst_nb import glue

        def text(key, value):
            glue(f"{prefix}_{key}", _Plain(value), display=False)

        rows = self.rice.set_index("item_id")
        text("capacity", _fmt(self.CAPACITY))
        text("turn_capacity", _fmt(self.YOUR_TURN))
        for key, plan in (
            ("greedy", self.greedy),
            ("best", self.best),
            ("turn_greedy", self.turn_greedy),
            ("turn_best", self.turn_best),
        ):
            text(f"{key}_value", _fmt(plan.total_value))
            text(f"{key}_cost", _fmt(plan.total_cost))
            text(f"{key}_items", ", ".join(plan.items))
            text(f"{key}_n", str(len(plan.items)))
        for key, (g, b) in (
            ("", (self.greedy, self.best)),
            ("turn_", (self.turn_greedy, self.turn_best)),
        ):
            dropped = [i for i in g.items if i not in b.items]
            added = [i for i in b.items if i not in g.items]
            text(f"{key}dropped", ", ".join(dropped))
            text(f"{key}added", ", ".join(added))
            text(f"{key}gain", _fmt(b.total_value - g.total_value))
            text(f"{key}dropped_value", _fmt(sum(rows.loc[i, "value"] for i in dropped)))
            text(f"{key}dropped_cost", _fmt(sum(rows.loc[i, "effort"] for i in dropped)))
            for i in (*dropped, *added):
                text(f"{i}_value", _fmt(rows.loc[i, "value"]))
                text(f"{i}_effort", _fmt(rows.loc[i, "effort"]))
                text(f"{i}_score", _fmt(rows.loc[i, "score"]))
                text(f"{i}_rank", str(int(rows.loc[i, "rank"])))
                text(f"{i}_title", str(rows.loc[i, "title"]))
        # the self-check: B03 forced into the plan, the best of the rest in what is left
        b03 = rows.loc["B03"]
        rest = self.rice[self.rice["item_id"] != "B03"]
        forced = p.fit_capacity_best(rest, self.CAPACITY - float(b03["effort"]))
        text("B03_value", _fmt(b03["value"]))
        text("B03_effort", _fmt(b03["effort"]))
        text("with_b03_value", _fmt(forced.total_value + float(b03["value"])))
        text("without_b03_loss", _fmt(self.best.total_value - forced.total_value - b03["value"]))
        # where B05 came up while going down the ranking
        before = rows.index[rows["rank"] < rows.loc["B05", "rank"]]
        used = sum(rows.loc[i, "effort"] for i in self.greedy.items if i in before)
        text("B05_left_when_reached", _fmt(self.CAPACITY - used))
        text("explanation", self.best.explanation)
        m = self.moscow
        text("must_effort", _fmt(m.must_effort))
        text("must_share", f"{m.must_share:.0%}")
        text("must_limit", _fmt(round(p.MUST_SHARE_LIMIT * self.CAPACITY, 2)))
        text("must_after_b03", _fmt(self.moscow_b03.must_effort))
        text("must_fixed", _fmt(self.moscow_fixed.must_effort))
        text("must_fixed_share", f"{self.moscow_fixed.must_share:.0%}")
        text("demoted", " and ".join(self.demoted))
        for n, (step, why) in enumerate(self.steps, 1):
            text(f"step{n}", step)
            text(f"why{n}", why)

    def plan_table(self):
        """The items in either plan at 12 person-months, with what each delivers."""
        either = [i for i in self.rice["item_id"] if i in self.greedy.items or i in self.best.items]
        frame = self.rice.set_index("item_id").loc[either, ["title", "value", "effort", "score"]]
        frame = frame.reset_index()
        frame["greedy"] = ["yes" if i in self.greedy.items else "" for i in frame["item_id"]]
        frame["best"] = ["yes" if i in self.best.items else "" for i in frame["item_id"]]
        headers = {
            "item_id": "Item",
            "title": "Title",
            "value": "Value (reach × impact × confidence)",
            "effort": "Effort (person-months)",
            "score": "RICE score (value ÷ effort)",
            "greedy": "Down the ranking",
            "best": "Best set",
        }
        fmt = {"Value (reach × impact × confidence)": "{:g}", "Effort (person-months)": "{:g}"}
        fmt["RICE score (value ÷ effort)"] = "{:g}"
        styled = frame.rename(columns=headers).style.hide(axis="index").format(fmt)
        return styled.set_uuid("pivot-plans")

    def explanation(self):
        """Why the best set beats going down the ranking, as a paragraph."""
        from IPython.display import Markdown

        return Markdown(self.best.explanation)
