"""Shift 4, design the experiment: the steps in order, then a design with its sample and days.

Two exercises on Ries's build–measure–learn (*The Lean Startup*, 2011) and Kohavi, Tang & Xu's
controlled experiments (*Trustworthy Online Controlled Experiments*, 2020):

- :class:`ExperimentSteps` (``shift4.experiment_steps``), the part's ordering task: the seven
  steps of an experiment, with the success and kill criteria written before any data.
- :class:`ExperimentDesign` (``shift4.experiment_design``): the learner writes a hypothesis with
  its metric and the criteria, picks the baseline, the minimum detectable effect, α and power,
  and the unit to randomise; the widget computes the sample with the course's pooled formula
  (the others shown beside it), the days until the result can be read from the case's traffic
  and the unit's follow-up (``data/experiment_traffic.csv``), says when the sample cannot be
  reached and what to do instead, draws how n grows as the effect shrinks, and runs the seeded
  peeking simulation.

The course's default design (:data:`DEFAULT`) is declared here once: this page's worked example
and reference design, the widget's starting values, the default of *Read the result and decide*
(``decide.DEFAULT_DESIGN``) and the release's expectation on *The blameless review*
(``blameless_review.DEFAULT_EXPECTATION``) all derive from it.

Every calculation is in :mod:`pivot.frameworks.experiments`. The saved design is read by the
next page of the part with :func:`saved_design`, which never raises.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import ipywidgets as W
import pandas as pd

from ... import data
from ... import workbook as wb
from ...frameworks import decisions as dc
from ...frameworks import experiments as ex
from ...kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape, text_area
from ...plots import sample_size_chart
from ..common import checks_feedback, html_table, quote, restore_reflection, saved_text
from ..ordering import OrderingExercise

EXERCISE_ID = "shift4.experiment_design"
STEPS_ID = "shift4.experiment_steps"

# --- the case's traffic --------------------------------------------------------------------------
UNITS = ("account", "technician", "moved_job")
#: ``data/experiment_traffic.csv``: the units Crewboard could randomise, with their traffic.
SCHEMA = data.Schema(
    "experiment_traffic",
    (
        data.Column("unit_id", pattern=r"U\d", unique=True),
        data.Column("unit", choices=UNITS, unique=True),
        data.Column("label", max_chars=200),
        data.Column("population", "int", required=False, minimum=1),
        data.Column("eligible_per_day", "float", minimum=0.001),
        data.Column("metric", max_chars=200),
        data.Column("follow_up_days", "int", minimum=0, maximum=365),
        data.Column("baseline_rate", "float", minimum=0.001, maximum=0.999),
        data.Column("interference", max_chars=400),
    ),
    "The units Crewboard could randomise in an experiment on the schedule-change notification "
    "(B02), with how many there are, how many become eligible each day, a metric, the days "
    "each unit is followed before its metric can be read, the metric's baseline rate, and how "
    "the two versions could leak into each other.",
    min_rows=1,
    max_rows=10,
)

data.register(SCHEMA)


def load_traffic() -> pd.DataFrame:
    """``data/experiment_traffic.csv``, validated (see :data:`SCHEMA`); ``population`` is
    ``None`` where there is no fixed limit. Raises :class:`pivot.data.DataError` naming the
    line, the column and the value of every problem."""
    frame = data.read_table(data.data_dir() / "experiment_traffic.csv", SCHEMA)
    frame["population"] = [
        None if pd.isna(v) else int(v) for v in frame["population"].astype("object")
    ]
    return frame


@lru_cache(maxsize=1)
def _traffic_rows() -> tuple[dict, ...]:
    rows = []
    for row in load_traffic().to_dict("records"):
        pop = row.get("population")
        row["population"] = None if pop is None or pd.isna(pop) else int(pop)
        row["eligible_per_day"] = float(row["eligible_per_day"])
        row["follow_up_days"] = int(row["follow_up_days"])
        row["baseline_rate"] = float(row["baseline_rate"])
        rows.append(row)
    return tuple(rows)


def traffic() -> dict[str, dict]:
    """The units by ``unit_id``, as plain dicts (cached: the file is read once)."""
    return {r["unit_id"]: dict(r) for r in _traffic_rows()}


# --- the course's default design ----------------------------------------------------------------
#: The course's default design for the schedule-change notification (B02), declared once: the
#: worked example and reference design of this page, the widget's starting values, the default
#: design of *Read the result and decide* and the release's expectation on *The blameless
#: review*. Technicians are the unit (U2) because the ~900 accounts cannot reach an
#: account-level sample (:data:`ACCOUNT_ATTEMPT`); the leak between technicians of one company
#: is named wherever the design is used. Percent and percentage points; ``baseline`` and
#: ``metric`` are the unit's in ``data/experiment_traffic.csv`` (a test holds them to it).
#: ``mde`` is the fall the test is sized to find: the kill criterion's bar (kill when even the
#: top of the interval is below it). ``worth_shipping`` is the smallest fall worth shipping: the
#: success criterion's bar (ship when the interval is above zero and the fall reaches it).
DEFAULT = {
    "unit": "U2",
    "metric": "share of technicians who miss at least one moved job in a week",
    "hypothesis": (
        "If technicians get a notification when a job on today's schedule changes, fewer of them "
        "will miss a moved job."
    ),
    "baseline": 30.0,
    "mde": -5.0,
    "worth_shipping": 4.0,
    "alpha": 0.05,
    "power": 0.8,
    "horizon": 40,
    "looks": 10,
}
#: The worked example's first attempt: the same fall of five points by account (U1, baseline
#: 20 %), which about 900 accounts can never reach.
ACCOUNT_ATTEMPT = {"unit": "U1", "baseline": 20.0, "mde": DEFAULT["mde"]}
ALPHAS = (0.01, 0.05, 0.10)
POWERS = (0.8, 0.9, 0.95)
LOOKS = (1, 2, 3, 4, 5, 10, 20)
#: Simulated A/A tests per peeking run in the widget: fast (a few ms), SE about 0.006 at 0.19.
PEEK_RUNS = 4_000
PEEK_SEED = 20240601
#: Simulated A/A tests per row of the page's static peeking table: SE about 0.003 at 0.19.
PAGE_PEEK_RUNS = ex.DEFAULT_PEEKING_RUNS
PEEK_MAX_PER_LOOK = 50_000
#: Effects (percentage points) the chart draws.
CURVE_EFFECTS = (1, 1.5, 2, 3, 4, 5, 6, 7, 8, 10)


@lru_cache(maxsize=256)
def peeking(looks: int, n_per_look: int, rate: float) -> ex.PeekingResult:
    """The seeded peeking simulation at α = 5 %, cached per parameter set so that moving a
    control back and forth never reruns it."""
    return ex.simulate_peeking(
        looks, n_per_look=n_per_look, rate=rate, alpha=0.05, runs=PEEK_RUNS, seed=PEEK_SEED
    )


def evaluate(
    baseline_pct: float,
    mde_points: float,
    *,
    alpha: float,
    power: float,
    unit: Mapping[str, Any],
    horizon: int,
) -> dict[str, Any]:
    """Everything the widget shows about a design's numbers, or ``{"error": message}``.

    Keys: ``size`` (the course's pooled :class:`~pivot.frameworks.experiments.SampleSize`),
    ``methods`` (all four formulas), ``run`` (:class:`~pivot.frameworks.experiments.RunTime`),
    ``smallest`` (the smallest rise or fall in points the unit's population can detect, or
    ``None``), ``relative`` (the effect relative to the baseline)."""
    try:
        p1 = float(baseline_pct) / 100
        d = float(mde_points) / 100
        size = ex.sample_size_absolute(p1, d, alpha=alpha, power=power)
        methods = ex.compare_methods(size.p1, size.p2, alpha=alpha, power=power)
        run = ex.days_to_run(
            size.n_control,
            2,
            float(unit["eligible_per_day"]),
            follow_up_days=int(unit.get("follow_up_days") or 0),
            horizon_days=int(horizon),
            population=unit.get("population"),
        )
    except ex.ExperimentError as exc:
        return {"error": _friendly(str(exc))}
    smallest = None
    if unit.get("population"):
        flipped = 1 - p1 if d < 0 else p1
        found = ex.smallest_detectable_effect(
            flipped, int(unit["population"]), alpha=alpha, power=power
        )
        smallest = None if found is None else found * 100
    return {
        "size": size,
        "methods": methods,
        "run": run,
        "smallest": smallest,
        "relative": size.relative_effect,
    }


def _friendly(message: str) -> str:
    """The framework's message with the widget's units (percent, points) named."""
    field, _, rest = message.partition(": ")
    names = {
        "baseline": "Baseline rate (%)",
        "effect": "Minimum detectable effect (points)",
        "lift": "Minimum detectable effect",
        "p2": "Minimum detectable effect (points)",
    }
    return f"{names.get(field, field)}: {rest}" if rest else message


# --- alternatives when the A/B test cannot reach its sample ------------------------------------
#: (name, what it would be in the case, why it helps, source key or "" for the course's own)
ALTERNATIVES = (
    (
        "Concierge test",
        "For a handful of accounts, Sofia Reyes's team phones or texts each technician by hand "
        "whenever a dispatcher moves a job on today's schedule.",
        "It tests whether being told about a change is what prevents the missed job, with a "
        "few accounts and before anything is built; but a call or a text is a channel "
        "technicians already use, so it says little about a notice in the app.",
        "ries2011lean",
    ),
    (
        "Wizard of Oz test",
        "For a week, a person in Sofia Reyes's team watches the dispatch board and sends each "
        "schedule-change notice through the technician app by hand; to technicians it looks "
        "like the finished notification.",
        "Technicians meet the real experience, in the app, so you learn whether they notice and "
        "act on it; the backend is faked until the behaviour is known.",
        "bland2019testing",
    ),
    (
        "Fake door test",
        "A 'Tell me when today's jobs change' switch appears in the app before the feature "
        "exists; turning it on says it is coming soon and counts the technician's interest.",
        "It measures demand from real behaviour rather than opinions, at any number of "
        "accounts; say plainly that the feature is coming, so nobody feels tricked.",
        "ries2011lean",
    ),
    (
        "Qualitative test",
        "Lena Fischer runs usability sessions with five to eight technicians on a prototype of "
        "the notification, and the team reads what happened in interviews with dispatchers.",
        "It finds why a notification fails (missed, misread, ignored) with a few people; it "
        "cannot estimate a rate, which is why the criteria then describe what you expect to "
        "see, not a percentage.",
        "",
    ),
)


def alternatives_html() -> str:
    """The alternatives as an accessible table (for the widget and the page)."""
    return html_table(
        ["Alternative", "In the case", "Why it helps here"],
        [(name, what, why) for name, what, why, _src in ALTERNATIVES],
        caption="When an A/B test cannot reach its sample: four smaller tests",
        wide=("In the case", "Why it helps here"),
    )


# --- the steps of an experiment (the ordering task) ----------------------------------------------
STEPS: list[tuple[str, str]] = [
    (
        "State the assumption the test is for",
        "Ries plans the loop backwards: first what you need to learn, then what to measure, and "
        "only then what to build. The assumption comes from the assumption map: the important one "
        "with the least evidence.",
    ),
    (
        "Write the hypothesis with its metric",
        "The hypothesis turns the assumption into a prediction about one number, the "
        "experiment's overall evaluation criterion (Kohavi, Tang & Xu): what changes, for whom.",
    ),
    (
        "Set the success and kill criteria",
        "With the metric named, write the results at which you ship and at which you stop, "
        "before any data exist, so that the result cannot move the goalposts.",
    ),
    (
        "Compute the sample and the days to run",
        "The criteria name the improvement the test must be able to find, the one it is "
        "sized for; with the baseline, α and power it gives the sample, and the case's traffic "
        "gives the days (or shows the sample cannot be reached).",
    ),
    (
        "Run the test to its planned sample, without peeking",
        "Stopping at the first 'significant' look inflates false positives; the test runs until "
        "the sample it was sized for.",
    ),
    (
        "Read the result against the criteria",
        "The result is compared with the criteria written before it, not with what the team "
        "hoped for: it meets the success criterion, the kill criterion, or falls between.",
    ),
    (
        "Decide and record what you learned",
        "Ship, iterate or kill, and write down what was expected, what happened and why: the "
        "learn step that starts the next loop.",
    ),
]
_S = [s for s, _ in STEPS]
TOO_EARLY: dict[str, str] = {
    _S[1]: "A hypothesis written before the assumption is chosen tests whatever came to mind "
    "first, not the riskiest thing the release depends on.",
    _S[2]: "Criteria need a metric to be about: without the hypothesis and its metric, 'success' "
    "has no number to hold.",
    _S[3]: "The sample depends on the effect you need to detect, which the criteria name: "
    "sized before the criteria, the test answers a question nobody asked.",
    _S[4]: "A test started before it is sized has no planned end, so someone will stop it at a "
    "good-looking day: that is peeking.",
    _S[5]: "There is no result to read until the test has run to its sample.",
    _S[6]: "A decision before the result is read against the criteria is the decision the team "
    "wanted anyway.",
}
TOO_LATE: dict[str, str] = {
    _S[0]: "Every later step serves the assumption: chosen afterwards, the test may answer a "
    "question that does not decide anything.",
    _S[1]: "Criteria, sample and run all depend on the metric the hypothesis names.",
    _S[2]: "Criteria written after the data can be fitted to the data: that is moving the "
    "goalposts, and the test then proves nothing.",
    _S[3]: "Run before it is sized, the test has no planned end and no known power; with 900 "
    "accounts, you may learn too late that it can never finish.",
    _S[4]: "The reading and the decision need the whole planned sample.",
    _S[5]: "A decision taken before the result is read against the criteria is a guess.",
}
OFFERED_ORDER = (4, 2, 6, 0, 3, 5, 1)


class ExperimentSteps(OrderingExercise):
    """Seven positions, each a drop-down of the seven steps; per-position feedback says why."""

    exercise_id = STEPS_ID
    title = "Shift 4: the steps of an experiment"
    steps = STEPS
    too_early = TOO_EARLY
    too_late = TOO_LATE
    offered_order = OFFERED_ORDER
    feedback_label = "Experiment steps feedback"
    reflection_prompt = (
        "Think of the last feature your team shipped to 'see if it works': which of these steps "
        "were skipped?"
    )
    first_hint = "Choose the first step of the experiment at Step 1, and so on."
    all_right = (
        "The whole experiment in order: the assumption, a hypothesis with its metric, criteria "
        "written before any data, the sample and days, a run to the planned sample, a reading "
        "against the criteria, and a decision with what was learned."
    )


# --- the design exercise -------------------------------------------------------------------------
def _fmt_pct(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


#: A column of inputs that never becomes a scrollable region (axe: scrollable-region-focusable).
BOX = W.Layout(overflow="visible", max_width="100%")


class ExperimentDesign(Exercise):
    """Hypothesis, metric, criteria, sample size, days, alternatives, and the cost of peeking."""

    exercise_id = EXERCISE_ID
    title = "Shift 4: design the experiment"

    def build(self) -> W.Widget:
        self.units = traffic()
        style = {"description_width": "16em"}
        wide = W.Layout(width="46em", max_width="100%")
        self.unit = W.Dropdown(
            options=[(r["label"], uid) for uid, r in self.units.items()],
            value=DEFAULT["unit"] if DEFAULT["unit"] in self.units else next(iter(self.units)),
            description="Unit to randomise",
            style=style,
            layout=wide,
        )
        self.hypothesis = text_area(
            "Hypothesis",
            placeholder="If we tell technicians when a job on today's schedule changes, then …",
        )
        self.metric = W.Text(
            description="Metric",
            placeholder="the one number the test reads",
            continuous_update=False,
            style=style,
            layout=wide,
        )
        self.baseline = W.BoundedFloatText(
            value=DEFAULT["baseline"],
            min=0.1,
            max=99.9,
            step=0.5,
            description="Baseline rate (%)",
            style=style,
            layout=W.Layout(width="24em"),
        )
        self.mde = W.BoundedFloatText(
            value=DEFAULT["mde"],
            min=-99.0,
            max=99.0,
            step=0.5,
            description="Minimum detectable effect (points)",
            style=style,
            layout=W.Layout(width="24em"),
        )
        self.alpha = W.Dropdown(
            options=[(f"{a:g}", a) for a in ALPHAS],
            value=DEFAULT["alpha"],
            description="Significance level α",
            style=style,
            layout=W.Layout(width="24em"),
        )
        self.power = W.Dropdown(
            options=[(f"{p:g}", p) for p in POWERS],
            value=DEFAULT["power"],
            description="Power (1 − β)",
            style=style,
            layout=W.Layout(width="24em"),
        )
        self.horizon = W.BoundedIntText(
            value=DEFAULT["horizon"],
            min=1,
            max=365,
            description="Longest run (days)",
            style=style,
            layout=W.Layout(width="24em"),
        )
        self.success = text_area("Success criterion", placeholder="We ship if …")
        self.kill = text_area("Kill criterion", placeholder="We stop and drop it if …")
        self.looks = W.Dropdown(
            options=[(f"{k} look{'s' if k > 1 else ''}", k) for k in LOOKS],
            value=DEFAULT["looks"],
            description="Peeking: looks at the data",
            style=style,
            layout=W.Layout(width="24em"),
        )
        for control in (
            self.unit,
            self.hypothesis,
            self.metric,
            self.baseline,
            self.mde,
            self.alpha,
            self.power,
            self.horizon,
            self.success,
            self.kill,
            self.looks,
        ):
            control.observe(self.changed, names="value")
        self.unit_note = W.HTML()
        self.numbers = W.HTML(layout=W.Layout(width="100%"))
        self.chart = W.HTML(layout=W.Layout(width="100%"))
        self.peek = W.HTML(layout=W.Layout(width="100%"))
        self.feedback = FeedbackPanel("Design feedback")
        self.reflection = self.reflection_box(
            "Which decision in your own work could a small test settle, and what would its kill "
            "criterion be?"
        )
        return W.VBox(
            [
                W.HTML(
                    "<p>Write the design before any data: the hypothesis and its metric, then "
                    "the success and kill criteria. Then size the test. The effect is absolute, "
                    f"in percentage points ({_fmt_pct(DEFAULT['mde']).replace('-', '−')} takes "
                    f"{_fmt_pct(DEFAULT['baseline'])} % to "
                    f"{_fmt_pct(DEFAULT['baseline'] + DEFAULT['mde'])} %); negative is a fall. "
                    "The days count until the result can be read: enrolment, then the unit's "
                    "follow-up.</p>"
                ),
                self.hypothesis,
                self.metric,
                self.success,
                self.kill,
                self.unit,
                self.unit_note,
                W.HBox(
                    [
                        W.VBox([self.baseline, self.mde], layout=BOX),
                        W.VBox([self.alpha, self.power], layout=BOX),
                    ],
                    layout=W.Layout(flex_flow="row wrap", overflow="visible"),
                ),
                self.horizon,
                self.numbers,
                self.chart,
                self.looks,
                self.peek,
                self.feedback.widget,
                self.reflection,
                self.save_control.widget,
            ]
        )

    # --- state ---------------------------------------------------------------------------------
    def current(self) -> dict[str, Any]:
        unit = self.units.get(self.unit.value) or next(iter(self.units.values()))
        return evaluate(
            self.baseline.value,
            self.mde.value,
            alpha=self.alpha.value,
            power=self.power.value,
            unit=unit,
            horizon=self.horizon.value,
        )

    def answer(self) -> dict[str, Any]:
        result = self.current()
        out: dict[str, Any] = {
            "hypothesis": self.hypothesis.value,
            "metric": self.metric.value,
            "success": self.success.value,
            "kill": self.kill.value,
            "unit": self.unit.value,
            "baseline": self.baseline.value / 100,
            "mde": self.mde.value / 100,
            "alpha": self.alpha.value,
            "power": self.power.value,
            "horizon": self.horizon.value,
            "looks": self.looks.value,
            "method": ex.COURSE_METHOD,
            "reflection": self.reflection.value,
        }
        if "error" not in result:
            out["n_per_group"] = result["size"].n_control
            out["total"] = result["size"].total
            out["days"] = result["run"].days
            out["enrolment_days"] = result["run"].enrolment_days
            out["follow_up_days"] = result["run"].follow_up_days
            out["feasible"] = result["run"].feasible
            out["reason"] = result["run"].reason
        return out

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved design could not be read; starting afresh."
        skipped: list[str] = []
        for key, box in (
            ("hypothesis", self.hypothesis),
            ("metric", self.metric),
            ("success", self.success),
            ("kill", self.kill),
        ):
            if key not in answer:
                continue
            text = saved_text(answer.get(key), MAX_TEXT_CHARS)
            if text is None:
                skipped.append(key)
            else:
                box.value = text
        if "unit" in answer:
            if answer["unit"] in self.units:
                self.unit.value = answer["unit"]
            else:
                skipped.append("unit")
        for key, box, scale in (("baseline", self.baseline, 100), ("mde", self.mde, 100)):
            if key not in answer:
                continue
            x = _number(answer.get(key))
            if x is None or not box.min <= x * scale <= box.max:
                skipped.append(key)
            else:
                box.value = x * scale
        for key, box, allowed in (
            ("alpha", self.alpha, ALPHAS),
            ("power", self.power, POWERS),
            ("looks", self.looks, LOOKS),
        ):
            if key not in answer:
                continue
            x = _number(answer.get(key))
            match = [a for a in allowed if x is not None and math.isclose(a, x)]
            if match:
                box.value = match[0]
            else:
                skipped.append(key)
        if "horizon" in answer:
            x = _number(answer.get("horizon"))
            if x is not None and float(x).is_integer() and 1 <= x <= 365:
                self.horizon.value = int(x)
            else:
                skipped.append("horizon")
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {
            "Hypothesis": self.hypothesis.value,
            "Metric": self.metric.value,
            "Success criterion": self.success.value,
            "Kill criterion": self.kill.value,
            "My reflection": self.reflection.value,
        }

    # --- feedback ------------------------------------------------------------------------------
    def refresh(self) -> None:
        unit = self.units.get(self.unit.value) or next(iter(self.units.values()))
        self.unit_note.value = (
            f'<p style="margin:.2em 0 .5em"><strong>{escape(unit["unit"])}</strong>: '
            f"{_population_text(unit)}; the case's metric for it is the "
            f"{escape(unit['metric'])}, baseline {_fmt_pct(unit['baseline_rate'] * 100)} %, "
            f"read {_follow_up_text(unit)}. "
            f"<em>Leaks between versions:</em> {escape(unit['interference'])}</p>"
        )
        result = self.current()
        self.numbers.value = numbers_html(result, unit)
        self.chart.value = chart_html(result, unit)
        self.peek.value = peeking_html(self.looks.value, result, self.baseline.value / 100)
        self.feedback.show(*self.feedback_for(result, unit))

    def feedback_for(self, result: Mapping[str, Any], unit: Mapping[str, Any]):
        texts = self.text_fields()
        too_long = [k for k, v in texts.items() if len(str(v)) > MAX_TEXT_CHARS]
        if too_long:
            return "Checks: not run", [
                Message(
                    "error",
                    f"'{too_long[0]}' is over the limit of {MAX_TEXT_CHARS:,} characters; "
                    "a design is a few sentences. Shorten it to check it.",
                )
            ]
        checks = ex.check_design_text(
            self.hypothesis.value, self.metric.value, self.success.value, self.kill.value
        )
        extra = []
        if "error" in result:
            extra.append(Message("error", result["error"]))
        elif not result["run"].feasible:
            extra.append(_infeasible_message(result, unit))
        else:
            extra.append(
                Message(
                    "good",
                    f"The sample fits: {result['run'].message}",
                    "Run it to that sample and read it once, against the criteria you wrote.",
                )
            )
        if unit["unit"] != "account":
            extra.append(
                Message(
                    "warn",
                    f"Randomising by {unit['unit'].replace('_', ' ')} reaches more units, but the "
                    "two versions can leak into each other.",
                    str(unit["interference"]),
                )
            )
        return checks_feedback(
            checks,
            CHECK_TITLES,
            "All five checks pass, and the criteria are saved with the design, before any "
            "data: the next page reads them back.",
            extra,
        )

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = []
        for key, label in (
            ("hypothesis", "Hypothesis"),
            ("metric", "Metric"),
            ("success", "Success criterion"),
            ("kill", "Kill criterion"),
        ):
            text = str(answer.get(key, "") or "").strip()
            lines += [f"**{label}:**", "", quote(text) if text else "(not written)", ""]
        if "n_per_group" in answer:
            lines.append(
                f"Baseline {_fmt_pct(100 * answer['baseline'])} %, minimum detectable effect "
                f"{_fmt_pct(100 * answer['mde'])} points, α {answer['alpha']:g}, power "
                f"{answer['power']:g}: {answer['n_per_group']:,} per group ({answer['total']:,} "
                f"units, pooled formula), {answer['days']:,} days until the result can be read"
                + ("." if answer.get("feasible") else " — the sample cannot be reached.")
            )
        if str(answer.get("reflection", "") or "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines)


CHECK_TITLES = {
    "hypothesis": "Hypothesis",
    "metric": "Metric named",
    "success": "Success criterion",
    "kill": "Kill criterion",
    "distinct": "Two criteria",
}


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    x = float(value)
    return x if math.isfinite(x) else None


def _follow_up_text(unit: Mapping[str, Any]) -> str:
    days = int(unit.get("follow_up_days") or 0)
    if not days:
        return "as soon as a unit joins"
    return f"{days:,} day{'s' if days != 1 else ''} after a unit joins"


def _population_text(unit: Mapping[str, Any]) -> str:
    pop = unit.get("population")
    daily = f"about {unit['eligible_per_day']:,.0f} become eligible a day"
    return f"{pop:,} in all, {daily}" if pop else f"no fixed limit, {daily}"


def _infeasible_message(result: Mapping[str, Any], unit: Mapping[str, Any]) -> Message:
    run = result["run"]
    if run.reason == "exceeds_population":
        smallest = result.get("smallest")
        reach = (
            f" With {unit['population']:,} {unit['unit']}s, the smallest change this baseline "
            f"lets you detect is about {_fmt_pct(smallest)} points."
            if smallest is not None
            else ""
        )
        return Message(
            "warn",
            run.message + reach,
            "An A/B test that needs more units than exist cannot finish. Test the assumption "
            "another way (a concierge, Wizard of Oz, fake door or qualitative test, in the "
            "table above), or accept that only a larger effect can be detected.",
        )
    return Message(
        "warn",
        run.message,
        "Run it longer, accept a larger minimum detectable effect, or test the assumption "
        "another way (see the table above).",
    )


def numbers_html(result: Mapping[str, Any], unit: Mapping[str, Any]) -> str:
    """The sample size (pooled, with the formula), the other formulas, total and days."""
    if "error" in result:
        return (
            f'<p role="status"><strong>Cannot size this test:</strong> '
            f"{escape(result['error'])}</p>"
        )
    size, run = result["size"], result["run"]
    rows = [
        (
            ex.METHOD_NAMES[m] + (" — the course's" if m == ex.COURSE_METHOD else ""),
            f"{s.n_exact:,.1f}",
            f"{s.n_control:,}",
        )
        for m, s in result["methods"].items()
    ]
    table = html_table(
        ["Formula", "n per group (exact)", "n per group (rounded up)"],
        rows,
        caption="The same inputs through four formulas",
    )
    direction = "rise" if size.absolute_effect > 0 else "fall"
    parts = [
        f'<div class="pivot-design-numbers"><p style="margin:.3em 0">Detecting a {direction} '
        f"from {_fmt_pct(size.p1 * 100)} % to {_fmt_pct(size.p2 * 100)} % "
        f"({_fmt_pct(size.absolute_effect * 100)} points, "
        f"{_fmt_pct(result['relative'] * 100)} % relative) at α = {size.alpha:g} and power "
        f"{size.power:g} needs <strong>{size.n_control:,} per group</strong>, "
        f"{size.total:,} units in all, by the course's pooled formula:</p>",
        f'<p style="margin:.3em 0"><code>{escape(ex.FORMULAS["pooled"])}</code></p>',
        table,
        f'<p style="margin:.3em 0"><strong>Days until the result can be read</strong> '
        f"(enrolment + follow-up): {escape(run.message)}</p>",
    ]
    if not run.feasible:
        parts.append(alternatives_html())
    parts.append("</div>")
    return "".join(parts)


def curve_points(result: Mapping[str, Any]) -> list[tuple[float, int]]:
    """(effect in points, n per group) for the chart, in the design's direction."""
    if "error" in result:
        return []
    size = result["size"]
    sign = 1 if size.absolute_effect > 0 else -1
    pts = ex.sample_size_curve(
        size.p1, [sign * e / 100 for e in CURVE_EFFECTS], alpha=size.alpha, power=size.power
    )
    return [(abs(p.effect) * 100, p.n_per_group) for p in pts]


def chart_html(result: Mapping[str, Any], unit: Mapping[str, Any]) -> str:
    """The chart of n against the effect, with the design and the most the case can reach."""
    points = curve_points(result)
    if not points:
        return ""
    size = result["size"]
    current = (abs(size.absolute_effect) * 100, size.n_control)
    reach = None
    if unit.get("population"):
        per_group = unit["population"] // 2
        reach = (
            per_group,
            f"most per group with {unit['population']:,} {unit['unit']}s: {per_group:,}",
        )
    listed = "; ".join(f"{_fmt_pct(x)} points: {n:,}" for x, n in points)
    alt = (
        f"Line chart of the units needed per group against the minimum detectable effect, from "
        f"a baseline of {_fmt_pct(size.p1 * 100)} %, α {size.alpha:g}, power {size.power:g}: "
        f"{listed}. The smaller the effect, the larger the sample, about four times as large "
        f"for half the effect. Your design: {_fmt_pct(current[0])} points, {current[1]:,} per "
        "group." + (f" Dashed line: {reach[1]}." if reach else "")
    )
    figure = sample_size_chart(
        points, alt=alt, current=current, reach=reach, title="How n grows as the effect shrinks"
    )
    return figure.to_html()


def peeking_html(looks: int, result: Mapping[str, Any], baseline: float) -> str:
    """The seeded peeking simulation for ``looks`` looks, next to the published rate."""
    rate = baseline if 0 < baseline < 1 else DEFAULT["baseline"] / 100
    n = result["size"].n_control if "error" not in result else 1_000
    per_look = min(PEEK_MAX_PER_LOOK, max(1, math.ceil(n / looks)))
    r = peeking(int(looks), per_look, round(rate, 4))
    published = r.tabulated_rate
    pub = f"{published:.3f} (Armitage, McPherson & Rowe, 1969)" if published is not None else "—"
    return (
        '<div class="pivot-peeking"><p style="margin:.3em 0"><strong>Peeking, simulated:</strong> '
        f"{r.runs:,} A/A tests (no real difference) at {_fmt_pct(rate * 100)} %, "
        f"{per_look:,} more units per group at each of {looks} look{'s' if looks > 1 else ''}, "
        "stopping at the first p &lt; 0.05 (seed "
        f"{r.seed}).</p>"
        + html_table(
            ["", "False-positive rate"],
            [
                (
                    "Simulated (± standard error)",
                    f"{r.false_positive_rate:.3f} ± {r.standard_error:.3f}",
                ),
                ("Published for this many looks", pub),
                ("1 − 0.95^k, as if the looks were independent", f"{r.independent_rate:.3f}"),
                ("One look at the planned sample", "0.050"),
            ],
            caption=f"What {looks} look{'s' if looks > 1 else ''} at the data cost",
        )
        + "</div>"
    )


# --- reading the saved design (the next page) ----------------------------------------------------
def saved_design(workbook: wb.Workbook | None = None) -> dict[str, Any]:
    """The learner's saved design: keys among ``hypothesis``, ``metric``, ``success``, ``kill``
    (text), ``baseline``, ``mde`` (rates: 0.2, −0.05), ``alpha``, ``power``, ``n_per_group``,
    ``total``, ``days`` (until the result can be read), ``enrolment_days``, ``follow_up_days``,
    ``unit``, ``feasible``, ``method``. Only well-formed values are kept,
    and the numbers are recomputed from the saved inputs rather than trusted. Never raises: an
    empty dict means nothing usable was saved."""
    try:
        book = workbook if workbook is not None else wb.current()
        answer = book.get(EXERCISE_ID)
        if not isinstance(answer, Mapping):
            return {}
        found: dict[str, Any] = {}
        for key in ("hypothesis", "metric", "success", "kill"):
            text = saved_text(answer.get(key), MAX_TEXT_CHARS)
            if text is not None and text.strip():
                found[key] = text
        units = traffic()
        if answer.get("unit") in units:
            found["unit"] = answer["unit"]
        for key, lo, hi in (("baseline", 0.0, 1.0), ("mde", -1.0, 1.0)):
            x = _number(answer.get(key))
            if x is not None and lo < x < hi:
                found[key] = x
        for key, allowed in (("alpha", ALPHAS), ("power", POWERS)):
            x = _number(answer.get(key))
            if x is not None and any(math.isclose(x, a) for a in allowed):
                found[key] = x
        if "baseline" in found and "mde" in found:
            unit = units.get(found.get("unit", DEFAULT["unit"])) or next(iter(units.values()))
            horizon = _number(answer.get("horizon"))
            result = evaluate(
                found["baseline"] * 100,
                found["mde"] * 100,
                alpha=found.get("alpha", DEFAULT["alpha"]),
                power=found.get("power", DEFAULT["power"]),
                unit=unit,
                horizon=int(horizon)
                if horizon is not None and horizon.is_integer() and 1 <= horizon <= 365
                else DEFAULT["horizon"],
            )
            if "error" not in result:
                found["n_per_group"] = result["size"].n_control
                found["total"] = result["size"].total
                found["days"] = result["run"].days
                found["enrolment_days"] = result["run"].enrolment_days
                found["follow_up_days"] = result["run"].follow_up_days
                found["feasible"] = result["run"].feasible
                found["method"] = ex.COURSE_METHOD
        return found
    except Exception:
        return {}


# --- the static path ------------------------------------------------------------------------------
def _evaluate_design(design: Mapping[str, Any]) -> dict[str, Any]:
    return evaluate(
        design["baseline"],
        design["mde"],
        alpha=DEFAULT["alpha"],
        power=DEFAULT["power"],
        unit=traffic()[design["unit"]],
        horizon=DEFAULT["horizon"],
    )


def worked_example() -> dict[str, Any]:
    """The numbers of the course's default design (:data:`DEFAULT`): the page's worked example
    and reference design."""
    return _evaluate_design(DEFAULT)


def account_example() -> dict[str, Any]:
    """The worked example's first attempt (:data:`ACCOUNT_ATTEMPT`): the same fall by account,
    which the accounts cannot reach."""
    return _evaluate_design(ACCOUNT_ATTEMPT)


def default_design() -> dict[str, Any]:
    """The default design as *Read the result and decide* reads it: ``hypothesis``,
    ``metric``, ``unit``, ``baseline`` and ``mde`` as rates (0.3, −0.05), the two bars of the
    decision rule as rates under the keys saved answers use, ``success`` (the improvement the
    test was sized for, ``|mde|``: the kill criterion's bar) and ``kill`` (the smallest
    improvement worth shipping: the success criterion's bar), and ``n_per_group`` by the
    course's formula. Pure: it reads no file, so it can be computed when a module is
    imported."""
    size = ex.sample_size_absolute(
        DEFAULT["baseline"] / 100,
        DEFAULT["mde"] / 100,
        alpha=DEFAULT["alpha"],
        power=DEFAULT["power"],
    )
    return {
        "hypothesis": DEFAULT["hypothesis"],
        "metric": DEFAULT["metric"],
        "unit": DEFAULT["unit"],
        "baseline": DEFAULT["baseline"] / 100,
        "mde": DEFAULT["mde"] / 100,
        "success": abs(DEFAULT["mde"]) / 100,
        "kill": DEFAULT["worth_shipping"] / 100,
        "n_per_group": size.n_control,
    }


def methods_table(p1: float, p2: float, *, alpha: float = 0.05, power: float = 0.8) -> str:
    """The four formulas on the same inputs, as an HTML table (for the page)."""
    rows = [
        (
            ex.METHOD_NAMES[m],
            ex.FORMULAS[m],
            f"{s.n_exact:,.1f}",
            f"{s.n_control:,}",
        )
        for m, s in ex.compare_methods(p1, p2, alpha=alpha, power=power).items()
    ]
    return html_table(
        ["Formula", "n per group", "exact", "rounded up"],
        rows,
        caption=(
            f"{_fmt_pct(p1 * 100)} % → {_fmt_pct(p2 * 100)} %, α = {alpha:g}, power {power:g}: "
            "four formulas, four answers"
        ),
        wide=("n per group",),
    )


def peeking_per_look(looks: int) -> int:
    """Units per group added at each of ``looks`` equal looks when the default design's sample
    (:func:`worked_example`) is read ``looks`` times: ⌈n per group ÷ looks⌉, as the widget
    splits a design."""
    return max(1, math.ceil(worked_example()["size"].n_control / looks))


@lru_cache(maxsize=32)
def peeking_default(looks: int) -> ex.PeekingResult:
    """The peeking simulation for the default design, as the page prints it: its baseline and
    its sample split over ``looks`` looks, with :data:`PAGE_PEEK_RUNS` A/A tests (more than the
    widget runs, since the page is computed once)."""
    return ex.simulate_peeking(
        int(looks),
        n_per_look=peeking_per_look(looks),
        rate=round(DEFAULT["baseline"] / 100, 4),
        alpha=0.05,
        runs=PAGE_PEEK_RUNS,
        seed=PEEK_SEED,
    )


def peeking_table(looks=(1, 2, 3, 5, 10, 20)) -> str:
    """The peeking simulation for several numbers of looks (the page's static table), on the
    default design: its unit, baseline and sample."""
    rows = []
    for k in looks:
        r = peeking_default(k)
        rows.append(
            (
                str(k),
                f"{r.n_per_look:,}",
                f"{r.false_positive_rate:.3f} ± {r.standard_error:.3f}",
                f"{r.tabulated_rate:.3f}" if r.tabulated_rate is not None else "—",
                f"{r.independent_rate:.3f}",
            )
        )
    return html_table(
        ["Looks", "Units per group per look", "Simulated (± SE)", "Published", "1 − 0.95^k"],
        rows,
        caption=f"False-positive rate of stopping at the first p < 0.05 ({PAGE_PEEK_RUNS:,} A/A "
        "tests "
        f"per row on the default design: {worked_example()['size'].n_control:,} "
        f"{traffic()[DEFAULT['unit']]['unit']}s per group in all, split over the looks, "
        f"{_fmt_pct(DEFAULT['baseline'])} % baseline, seeded)",
    )


def glue_facts(prefix: str) -> None:
    """Glue every number the page's prose uses: the formulas' examples, the account attempt
    (``acct_…``), the default design, and the peeking rates."""
    from myst_nb import glue

    r_example = ex.n_per_group(0.50, 0.75, alpha=0.05, power=0.90)
    em = ex.sample_size(0.20, 0.25, method="evan_miller")
    cmp = ex.compare_methods(0.20, 0.25)
    w = worked_example()
    acct = account_example()
    unit = traffic()[DEFAULT["unit"]]
    accounts = traffic()[ACCOUNT_ATTEMPT["unit"]]
    facts = {
        "r_n": f"{r_example:.1f}",
        "r_n_up": f"{ex.round_up(r_example)}",
        "em_exact": f"{em.n_exact:,.1f}",
        "em_up": f"{em.n_control:,}",
        "cmp_pooled": f"{cmp['pooled'].n_control:,}",
        "cmp_unpooled": f"{cmp['unpooled'].n_control:,}",
        "cmp_h": f"{cmp['cohens_h'].n_control:,}",
        "cmp_em": f"{cmp['evan_miller'].n_control:,}",
        # the first attempt, by account
        "acct_metric": accounts["metric"],
        "acct_baseline": _fmt_pct(ACCOUNT_ATTEMPT["baseline"]),
        "acct_target": _fmt_pct(ACCOUNT_ATTEMPT["baseline"] + ACCOUNT_ATTEMPT["mde"]),
        "acct_relative": _fmt_pct(round(abs(acct["relative"]) * 100)),
        "acct_n": f"{acct['size'].n_control:,}",
        "acct_total": f"{acct['size'].total:,}",
        "accounts": f"{accounts['population']:,}",
        "per_group_max": f"{accounts['population'] // 2:,}",
        "acct_daily": f"{accounts['eligible_per_day']:,.0f}",
        "acct_enrol_days": f"{acct['run'].enrolment_days:,}",
        "acct_follow_up": f"{acct['run'].follow_up_days:,}",
        "acct_days": f"{acct['run'].days:,}",
        "acct_smallest": _fmt_pct(round(acct["smallest"], 1))
        if acct["smallest"] is not None
        else "—",
        # the default design, by technician
        "hypothesis": DEFAULT["hypothesis"],
        "metric": unit["metric"],
        "baseline": _fmt_pct(DEFAULT["baseline"]),
        "target": _fmt_pct(DEFAULT["baseline"] + DEFAULT["mde"]),
        "mde": _fmt_pct(abs(DEFAULT["mde"])),
        "worth": _fmt_pct(DEFAULT["worth_shipping"]),
        "relative": _fmt_pct(round(abs(w["relative"]) * 100)),
        "n": f"{w['size'].n_control:,}",
        "total": f"{w['size'].total:,}",
        "population": f"{unit['population']:,}",
        "daily": f"{unit['eligible_per_day']:,.0f}",
        "enrol_days": f"{w['run'].enrolment_days:,}",
        "follow_up": f"{w['run'].follow_up_days:,}",
        "days": f"{w['run'].days:,}",
        "horizon": f"{DEFAULT['horizon']:,}",
        "peek_runs": f"{PEEK_RUNS:,}",
        "page_peek_runs": f"{PAGE_PEEK_RUNS:,}",
    }
    # sized with the pooled formula, read with the Wald interval: how close the two are here
    facts["n_unpooled"] = f"{w['methods']['unpooled'].n_control:,}"
    facts["n_gap"] = f"{w['size'].n_control - w['methods']['unpooled'].n_control:,}"
    crit = dc.Criteria.make(abs(DEFAULT["mde"]) / 100, DEFAULT["worth_shipping"] / 100)
    wald = dc.rule_probabilities(
        DEFAULT["baseline"] / 100,
        abs(DEFAULT["mde"]) / 100,
        w["size"].n_control,
        crit,
        lower_is_better=DEFAULT["mde"] < 0,
    )
    facts["wald_power"] = f"{100 * wald.interval_above_zero:.1f}"
    facts["power"] = f"{100 * DEFAULT['power']:.0f}"
    facts["peek_rate"] = _fmt_pct(DEFAULT["baseline"])
    facts["peek10_per_look"] = f"{peeking_per_look(10):,}"
    for k in (5, 10, 20):
        r = peeking_default(k)
        facts[f"peek{k}"] = f"{r.false_positive_rate:.3f}"
        facts[f"peek{k}_se"] = f"{r.standard_error:.3f}"
        facts[f"pub{k}"] = f"{ex.REPEATED_TEST_RATES[k]:.3f}"
        facts[f"ind{k}"] = f"{ex.independent_looks_rate(k):.3f}"
    for key, value in facts.items():
        glue(f"{prefix}_{key}", value, display=False)
