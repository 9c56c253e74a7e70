"""Shift 3, the flagship exercise: rank the Crewboard backlog by gut, then by RICE and WSJF.

The learner picks a top five by gut, then sees the backlog ranked by RICE (McBride, Intercom,
2016) or WSJF (Reinertsen, 2009; Scaled Agile), how far their gut agrees (Kendall's tau and
the items that moved most, with the estimate that moved them), how sensitive one item's rank is
to its confidence and effort, what fits the team's capacity (greedy by score against the best
set) and whether the Must haves stay within DSDM's 60% guideline.

Speed: the backlog is validated once with :func:`~pivot.frameworks.prioritization.score_backlog`
when the exercise is built; :meth:`PrioritiseBacklog.rerank` then works on numpy arrays
(scores, the rank order, one item's rank at other estimates, the greedy and exact capacity
plans), so feedback stays well under 50 ms for 1,000 items and usable for 10,000. The tests
check that these fast paths agree with the framework functions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import ipywidgets as W
import numpy as np
import pandas as pd

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


def _natural_order(ids: np.ndarray) -> np.ndarray:
    """Each id's position in natural order (B2 before B10), for tie-breaking by integer."""
    order = sorted(range(len(ids)), key=lambda k: p._natural_key(ids[k]))
    position = np.empty(len(ids), dtype=np.int64)
    position[order] = np.arange(len(ids))
    return position


class PrioritiseBacklog(Exercise):
    """Gut top five, RICE/WSJF ranking, gut-vs-method comparison, estimate sensitivity,
    capacity fit and a MoSCoW check. ``backlog`` defaults to ``data/backlog.csv``."""

    exercise_id = "shift3.prioritise_backlog"
    title = "Shift 3: prioritise the backlog"

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
        """(score, cost) arrays, rounded as in
        :func:`~pivot.frameworks.prioritization.score_backlog`."""
        if method == "rice":
            num = est["reach"] * est["impact"] * est["confidence"]
            return np.round(num / (100 * est["effort"]), 2), est["effort"]
        cod = est["business_value"] + est["time_criticality"] + est["risk_reduction"]
        return np.round(cod / est["job_size"], 2), est["job_size"]

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
            description="Its confidence",
            style=style,
            disabled=True,
        )
        self.effort = W.Dropdown(
            options=[(_fmt(e), e) for e in EFFORT_CHOICES],
            value=None,
            description="Its effort (person-months)",
            style=style,
            disabled=True,
        )
        self.reset = W.Button(
            description="Reset my estimates",
            tooltip="Undo all re-estimates",
            layout=W.Layout(width="auto"),
        )
        self.capacity = W.BoundedFloatText(
            value=12.0,
            min=0.0,
            max=100_000.0,
            step=0.5,
            description="Team capacity (person-months)",
            style=style,
        )
        self.table = W.HTML()
        self.gut_feedback = FeedbackPanel("Gut against method")
        self.sensitivity_feedback = FeedbackPanel("Sensitivity")
        self.capacity_feedback = FeedbackPanel("Capacity plan")
        self.moscow_feedback = FeedbackPanel("MoSCoW check")
        self.reflection = self.reflection_box(
            "Which item would you defend against the ranking, and with what evidence?"
        )
        for w in [*self.picks, self.method, self.capacity]:
            w.observe(self.changed, names="value")
        self.item.observe(self._item_chosen, names="value")
        self.confidence.observe(self._estimate_changed, names="value")
        self.effort.observe(self._estimate_changed, names="value")
        self.reset.on_click(self._reset)
        self._syncing = False
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
                self.effort,
                self.reset,
                self.sensitivity_feedback.widget,
                W.HTML("<p><strong>4. What fits the team's capacity?</strong></p>"),
                self.capacity,
                self.capacity_feedback.widget,
                self.moscow_feedback.widget,
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
            "capacity": self.capacity.value,
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
        capacity = answer.get("capacity")
        if isinstance(capacity, int | float) and not isinstance(capacity, bool):
            if self.capacity.min <= capacity <= self.capacity.max:
                self.capacity.value = float(capacity)
            else:
                skipped.append("capacity")
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
        lines.append(f"Capacity: {_fmt(answer.get('capacity', 0))} person-months")
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
        self.capacity_feedback.show(*self.capacity_for(method, est, score, order))
        self.moscow_feedback.show(*self.moscow_for(est))

    def _draw_table(self, method, est, score, order) -> None:
        gut = {i: k for k, i in enumerate(self.gut(), 1)}
        top = order[:TOP_SHOWN]
        if method == "rice":
            headers = ["Rank", "Item", "Title", "Reach", "Impact", "Confidence %", "Effort (pm)"]
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
                Message("info", "Choose an item, then change its confidence or effort.")
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
                unit = "%" if field == "confidence" else " pm"
                parts.append(f"{_fmt(v)}{unit} → rank {self.rank_of(k, s, c)}")
            msgs.append(
                Message("info", f"RICE rank of {item} by {field}: " + "; ".join(parts) + ".")
            )
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
                        "are unsure of.",
                    )
                )
            else:
                msgs.append(
                    Message("good", f"Your re-estimates leave {name}'s top {PICKS} as it was.")
                )
        return f"Sensitivity of {item}: now {name} rank {int(self.ranking[1][k])}", msgs

    def _plans(
        self, score, cost_effort, order, capacity
    ) -> tuple[p.CapacityPlan, p.CapacityPlan, str]:
        # greedy: down the ranking, take what still fits
        left = capacity
        chosen = []
        min_rest = np.minimum.accumulate(cost_effort[order][::-1])[::-1]
        for pos, k in enumerate(order):
            if min_rest[pos] > left + 1e-9:
                break
            if cost_effort[k] <= left + 1e-9:
                chosen.append(k)
                left -= cost_effort[k]
        greedy = self._plan("greedy", chosen, score, cost_effort, capacity)
        # best: 0/1 knapsack by dynamic programming over whole capacity steps
        factor = next(
            (
                f
                for f in p._GRANULARITIES
                if np.all(np.abs(cost_effort * f - np.round(cost_effort * f)) < 1e-6)
            ),
            100,
        )
        steps = math.floor(capacity * factor + 1e-9)
        weights = np.round(cost_effort * factor).astype(np.int64)
        values = np.round(score * 100).astype(np.int64)
        eligible = self._candidates(order, weights, values, steps)
        note = ""
        limit = max(1, MAX_BEST_CELLS // (steps + 1))
        if len(eligible) > limit:
            eligible = eligible[:limit]
            note = f" (the best set is searched among the top {limit:,} items that fit)"
        best = np.zeros(steps + 1, dtype=np.int64)
        taken = np.zeros((len(eligible), steps + 1), dtype=bool)
        for row, k in enumerate(eligible):
            w, v = int(weights[k]), int(values[k])
            candidate = best[: steps + 1 - w] + v
            better = candidate > best[w:]
            taken[row, w:] = better
            best[w:] = np.where(better, candidate, best[w:])
        c = int(np.argmax(best == best[steps]))
        picked = []
        for row in range(len(eligible) - 1, -1, -1):
            if taken[row, c]:
                picked.append(eligible[row])
                c -= int(weights[eligible[row]])
        picked.reverse()
        return greedy, self._plan("best", picked, score, cost_effort, capacity), note

    @staticmethod
    def _candidates(order, weights, values, steps) -> list[int]:
        """Items, in rank order, that can be in a best set. Of the items of one weight ``w``
        (in capacity steps) at most ``steps // w`` fit, and a best set can always use the
        first of them in rank order (their values are not higher further down), so only those
        are kept: the exact plan then needs a few dozen items, not thousands."""
        w_o, v_o = weights[order], values[order]
        mask = (v_o > 0) & (w_o <= steps)
        idx, w_m = order[mask], w_o[mask]
        if len(idx) == 0:
            return []
        sort = np.argsort(w_m, kind="stable")
        ws = w_m[sort]
        starts = np.r_[0, np.flatnonzero(np.diff(ws)) + 1]
        sizes = np.diff(np.r_[starts, len(ws)])
        within = np.empty(len(ws), dtype=np.int64)
        within[sort] = np.arange(len(ws)) - np.repeat(starts, sizes)
        return [int(k) for k in idx[within < steps // w_m]]

    def _plan(self, method, chosen, score, cost, capacity) -> p.CapacityPlan:
        total = round(float(sum(cost[k] for k in chosen)), 6)
        return p.CapacityPlan(
            method=method,
            capacity=capacity,
            items=tuple(self.ids[k] for k in chosen),
            total_score=round(float(sum(score[k] for k in chosen)), 2),
            total_cost=total,
            unused=round(capacity - total, 6),
            scores={self.ids[k]: float(score[k]) for k in chosen},
            costs={self.ids[k]: float(cost[k]) for k in chosen},
        )

    def capacity_for(self, method, est, score, order) -> tuple[str, list[Message]]:
        capacity = float(self.capacity.value)
        greedy, best, note = self._plans(score, est["effort"], order, capacity)
        self.plans = (greedy, best)
        name = METHOD_NAMES[method]
        explanation = p.compare_plans(greedy, best)
        msgs = [
            Message(
                "info",
                f"Greedy by {name} score: {len(greedy.items)} items, total score "
                f"{_fmt(greedy.total_score)}, {_fmt(greedy.total_cost)} person-months.",
                ", ".join(greedy.items[:20]) + (" …" if len(greedy.items) > 20 else ""),
            ),
            Message(
                "info",
                f"Best set{note}: {len(best.items)} items, total score "
                f"{_fmt(best.total_score)}, {_fmt(best.total_cost)} person-months.",
                ", ".join(best.items[:20]) + (" …" if len(best.items) > 20 else ""),
            ),
            Message("good" if set(greedy.items) == set(best.items) else "warn", explanation),
        ]
        return f"Capacity plan for {_fmt(capacity)} person-months by {name}", msgs

    def moscow_for(self, est) -> tuple[str, list[Message]]:
        if self.moscow is None:
            return "MoSCoW check", [Message("info", "This backlog has no MoSCoW labels.")]
        rows = []
        for label in ("Must", "Should", "Could", "Won't"):
            total = float(est["effort"][self.moscow == label].sum())
            if total > 0:
                rows.append({"item_id": label, "moscow": label, "effort": total})
        if not rows:
            return "MoSCoW check", [Message("info", "No effort is planned.")]
        check = p.moscow_check(pd.DataFrame(rows), float(self.capacity.value) or None)
        level = "good" if check.passed else "warn"
        return "MoSCoW check: Must haves against the 60% guideline", [Message(level, check.message)]


class _Plain(str):
    """Text glued into prose: shown without the quotes a ``str`` repr adds."""

    def __repr__(self) -> str:
        return str(self)


class WorkedPrioritisation:
    """Static path: RICE step by step for three items, the rankings, and the capacity plans."""

    ITEMS = ("B01", "B03", "B18")
    CAPACITY = 12.0

    def __init__(self):
        self.backlog = data.load("backlog")
        self.rice = p.score_backlog(self.backlog, "rice")
        self.wsjf = p.score_backlog(self.backlog, "wsjf")
        self.greedy = p.fit_capacity_greedy(self.rice, self.CAPACITY)
        self.best = p.fit_capacity_best(self.rice, self.CAPACITY)
        self.moscow = p.moscow_check(self.backlog, self.CAPACITY)

    def glue(self, prefix: str) -> None:
        from myst_nb import glue

        rows = self.rice.set_index("item_id")
        for i in (*self.ITEMS, "B02"):
            r = rows.loc[i]
            for c in ("reach", "impact", "effort", "score", "rank"):
                v = float(r[c])
                glue(f"{prefix}_{i}_{c}", int(v) if v.is_integer() else v, display=False)
            glue(f"{prefix}_{i}_confidence", int(r["confidence"]), display=False)
            glue(f"{prefix}_{i}_title", _Plain(r["title"]), display=False)
            glue(
                f"{prefix}_{i}_wsjf_rank",
                int(self.wsjf.set_index("item_id").loc[i, "rank"]),
                display=False,
            )
        glue(f"{prefix}_items", len(self.backlog), display=False)
        glue(f"{prefix}_tau", round(p.kendall_tau(self.rice, self.wsjf), 2), display=False)
        glue(f"{prefix}_rice_top", _Plain(", ".join(self.rice["item_id"].head(5))), display=False)
        glue(f"{prefix}_wsjf_top", _Plain(", ".join(self.wsjf["item_id"].head(5))), display=False)
        glue(f"{prefix}_capacity", _Plain(_fmt(self.CAPACITY)), display=False)
        for key, plan in (("greedy", self.greedy), ("best", self.best)):
            glue(f"{prefix}_{key}_score", _Plain(_fmt(plan.total_score)), display=False)
            glue(f"{prefix}_{key}_items", _Plain(", ".join(plan.items)), display=False)
        glue(f"{prefix}_explanation", _Plain(self.best.explanation), display=False)
        glue(f"{prefix}_must_share", _Plain(f"{self.moscow.must_share:.0%}"), display=False)

    def explanation(self):
        """Why the best plan beats the greedy one, as a paragraph."""
        from IPython.display import Markdown

        return Markdown(self.best.explanation)

    def wsjf_table(self, n: int = 8):
        frame = self.wsjf[["item_id", "title", "cost_of_delay", "job_size", "score", "rank"]]
        fmt = {"cost_of_delay": "{:g}", "job_size": "{:g}", "score": "{:g}"}
        return frame.head(n).style.hide(axis="index").format(fmt).set_uuid("pivot-wsjf-top")

    def steps_table(self):
        frame = self.rice[self.rice["item_id"].isin(self.ITEMS)][
            ["item_id", "title", "reach", "impact", "confidence", "effort", "score", "rank"]
        ]
        fmt = {"reach": "{:.0f}", "impact": "{:g}", "confidence": "{:.0f}%", "effort": "{:g}"}
        return (
            frame.style.hide(axis="index").format({**fmt, "score": "{:g}"}).set_uuid("pivot-rice")
        )
