"""Shift 4, get comfortable with failure: sizing an experiment and the cost of peeking.

Pure functions (no widgets, no printing), standard library and NumPy only. What comes from whom:

- **Sample size for comparing two proportions** (a two-sided test at level ``alpha`` with power
  ``1 - beta``). Three textbook formulas give different answers for the same inputs, and public
  calculators use different ones, so every result here says which formula produced it:

  1. ``"pooled"``, the normal approximation with the pooled rate under the null hypothesis
     (Fleiss, *Statistical Methods for Rates and Proportions*, without continuity correction).
     It is the formula of R's ``power.prop.test`` (``strict = FALSE``), whose documented
     example the tests reproduce: ``p1 = .50, p2 = .75, power = .90`` gives ``n = 76.7``.
     **The course sizes with this one** (:data:`COURSE_METHOD`): it is the textbook formula
     and R's, so every number can be checked against a published function. Results are read
     with the Wald interval (``pivot.frameworks.decisions``), whose variance is the unpooled
     formula's; for the course's default design (30 % → 25 %, α 0.05, power 0.80) the two
     formulas ask for 1,251 and 1,248 per group, and with 1,251 the Wald interval clears zero
     with probability 0.801 at the true effect (``decisions.rule_probabilities``). The peeking
     simulation below analyses each look with the pooled two-proportion z-test.
  2. ``"unpooled"``, the normal approximation with each group's own variance under both
     hypotheses; it gives the smallest n of the three for the same inputs.
  3. ``"cohens_h"``, the arcsine transformation (J. Cohen, *Statistical Power Analysis for
     the Behavioral Sciences*, 2nd ed., 1988): ``h = 2·asin(√p2) − 2·asin(√p1)``. The
     transformed rate has variance ``1/n`` in each group, so the difference of two groups has
     variance ``2/n`` and the size **per group** is ``n = 2·((z_{1−α/2} + z_{1−β}) / h)²``.
     (Written without the factor 2, the formula gives half the per-group size.) This is what
     statsmodels' ``NormalIndPower().solve_power`` returns for ``effect_size =
     proportion_effectsize(p2, p1)``, and what R's ``pwr.2p.test`` solves; the tests reproduce
     the power values statsmodels checks against ``pwr.2p.test``.

  A fourth variant, ``"evan_miller"``, is here only so the page can explain why Evan Miller's
  widely used online calculator (https://www.evanmiller.org/ab-testing/sample-size.html) shows
  different numbers: it takes the null variance at the *baseline* rate in both groups,
  ``sqrt(2·p1(1−p1))``, instead of the pooled rate, and rounds to the nearest whole number.
  Its default example (baseline 20 %, absolute effect 5 points, α = 0.05, power 0.80) shows
  1,030 per variation; the formula gives 1,030.2, which this module rounds up to 1,031. (The
  calculator also mirrors baselines above 50 % to ``1 − p``; this module does not.)

  **Rounding:** every size is rounded *up* to a whole number of units per group
  (:func:`math.ceil`; a value within 1e-9 of a whole number counts as that number), because a
  fraction of a customer cannot be enrolled and rounding down would fall short of the power
  asked for. With an allocation ratio ``r = n_treatment / n_control`` each group is rounded up
  on its own.

- **Days until the result can be read** (:func:`days_to_run`): the days to enrol the whole
  sample (divided by the eligible units a day, rounded up to whole days) plus the follow-up
  each unit needs before its metric can be read (a metric "within four weeks" needs four
  weeks after the last unit joins), checked against a horizon and against a finite
  population. When the unit is the customer account, Crewboard has about 900 of them
  (book/case-study.md), and an A/B test that needs more accounts than exist can never finish,
  however long it runs. The test is not over when the last unit joins, but when the last
  unit's metric exists.

- **Peeking** (:func:`simulate_peeking`): A/A tests (no true difference) analysed with the
  pooled two-proportion z-test after each of ``looks`` equally spaced looks, stopping at the
  first ``p < alpha``. The observed false-positive rate is compared with the rates tabulated
  for repeated significance tests on accumulating *normal* data by Armitage, McPherson and
  Rowe (1969, *Journal of the Royal Statistical Society, Series A* 132(2)) and reproduced in
  later group-sequential tables (:data:`REPEATED_TEST_RATES`). ``1 − (1 − alpha)^k``
  (:func:`independent_looks_rate`) assumes the looks are independent; they share most of their
  data, so it overstates the inflation.

Every function validates its inputs and raises :class:`ExperimentError` with a message that
names the field and the value (``baseline: must be a rate strictly between 0 and 1 (got 1.2)``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

__all__ = [
    "COURSE_METHOD",
    "DEFAULT_PEEKING_RUNS",
    "FORMULAS",
    "METHODS",
    "METHOD_NAMES",
    "REPEATED_TEST_RATES",
    "CurvePoint",
    "DesignCheck",
    "ExperimentError",
    "PeekingResult",
    "RunTime",
    "SampleSize",
    "check_design_text",
    "cohens_h",
    "compare_methods",
    "days_to_run",
    "independent_looks_rate",
    "n_per_group",
    "power_cohens_h",
    "power_pooled",
    "round_up",
    "sample_size",
    "sample_size_absolute",
    "sample_size_curve",
    "sample_size_relative",
    "simulate_peeking",
    "smallest_detectable_effect",
]

_NORMAL = NormalDist()

METHODS: tuple[str, ...] = ("pooled", "unpooled", "cohens_h", "evan_miller")
"""The formulas :func:`n_per_group` knows, by key."""

COURSE_METHOD = "pooled"
"""The formula the course uses (it matches R's ``power.prop.test`` worked example exactly)."""

METHOD_NAMES: Mapping[str, str] = {
    "pooled": "pooled-variance normal approximation (Fleiss; R power.prop.test)",
    "unpooled": "unpooled normal approximation",
    "cohens_h": "Cohen's h, arcsine transformation (statsmodels NormalIndPower; R pwr.2p.test)",
    "evan_miller": "baseline-variance null (Evan Miller's online calculator)",
}

FORMULAS: Mapping[str, str] = {
    "pooled": (
        "n = [z(1−α/2)·√(2·p̄(1−p̄)) + z(1−β)·√(p1(1−p1) + p2(1−p2))]² / (p2 − p1)², p̄ = (p1 + p2)/2"
    ),
    "unpooled": "n = (z(1−α/2) + z(1−β))² · (p1(1−p1) + p2(1−p2)) / (p2 − p1)²",
    "cohens_h": "n = 2·((z(1−α/2) + z(1−β)) / h)², h = 2·asin(√p2) − 2·asin(√p1)",
    "evan_miller": ("n = [z(1−α/2)·√(2·p1(1−p1)) + z(1−β)·√(p1(1−p1) + p2(1−p2))]² / (p2 − p1)²"),
}
"""Each formula as the page shows it, for equal groups (``ratio = 1``); n is per group."""

REPEATED_TEST_RATES: Mapping[int, float] = {
    1: 0.050,
    2: 0.083,
    3: 0.107,
    4: 0.126,
    5: 0.142,
    10: 0.193,
    20: 0.248,
    50: 0.320,
}
"""Overall false-positive rate of a two-sided test at nominal 5 % repeated after each of k
equally spaced looks at accumulating normal data (Armitage, McPherson & Rowe, 1969, as
reproduced in later group-sequential tables; three decimals). See /tmp/shift4/notes.md for how
each value was checked."""

DEFAULT_PEEKING_RUNS = 20_000
"""Simulated A/A tests per call unless told otherwise: the standard error of a rate near 0.2
is then about 0.003, and the simulation takes a few milliseconds."""

MAX_PEEKING_DRAWS = 20_000_000
"""Upper bound on ``runs × looks`` so a page cannot ask for a simulation that stalls feedback."""

_EPS = 1e-9


class ExperimentError(ValueError):
    """An input cannot be used; the message names the field and the value."""


# --- validation -----------------------------------------------------------------------------
def _number(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ExperimentError(f"{field}: must be a number (got {value!r})")
    x = float(value)
    if not math.isfinite(x):
        raise ExperimentError(f"{field}: must be a finite number (got {value!r})")
    return x


def _rate(field: str, value: object) -> float:
    x = _number(field, value)
    if not 0.0 < x < 1.0:
        raise ExperimentError(f"{field}: must be a rate strictly between 0 and 1 (got {value!r})")
    return x


def _alpha(value: object) -> float:
    x = _number("alpha", value)
    if not 0.0 < x < 1.0:
        raise ExperimentError(f"alpha: must be strictly between 0 and 1 (got {value!r})")
    return x


def _power(value: object, alpha: float) -> float:
    x = _number("power", value)
    if not 0.0 < x < 1.0:
        raise ExperimentError(f"power: must be strictly between 0 and 1 (got {value!r})")
    if x <= alpha / 2:
        raise ExperimentError(
            f"power: must be greater than alpha/2 = {alpha / 2:g}, the chance of rejecting "
            f"when there is no effect (got {value!r})"
        )
    return x


def _ratio(value: object) -> float:
    x = _number("ratio", value)
    if x <= 0:
        raise ExperimentError(
            f"ratio: must be a positive number, treatment units per control unit (got {value!r})"
        )
    return x


def _method(value: object) -> str:
    if value not in METHODS:
        raise ExperimentError(f"method: must be one of {', '.join(METHODS)} (got {value!r})")
    return str(value)


def _whole(field: str, value: object, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ExperimentError(f"{field}: must be a whole number (got {value!r})")
    x = int(value)
    if x < minimum:
        raise ExperimentError(f"{field}: must be at least {minimum} (got {value!r})")
    return x


def round_up(n: float) -> int:
    """``n`` rounded up to a whole number of units; within 1e-9 of a whole number counts as it
    (so a formula that gives 77.0000000001 because of floating point asks for 77, not 78)."""
    nearest = round(n)
    if abs(n - nearest) < _EPS:
        return int(nearest)
    return math.ceil(n)


# --- the formulas ---------------------------------------------------------------------------
def cohens_h(p1: float, p2: float) -> float:
    """Cohen's effect size for two proportions, ``h = 2·asin(√p2) − 2·asin(√p1)`` (Cohen,
    1988; statsmodels' ``proportion_effectsize(p2, p1)``, R's ``ES.h(p2, p1)``)."""
    a = _number("p1", p1)
    b = _number("p2", p2)
    for field, x in (("p1", a), ("p2", b)):
        if not 0.0 <= x <= 1.0:
            raise ExperimentError(f"{field}: must be a rate between 0 and 1 (got {x!r})")
    return 2 * math.asin(math.sqrt(b)) - 2 * math.asin(math.sqrt(a))


def _z(alpha: float, power: float) -> tuple[float, float]:
    return _NORMAL.inv_cdf(1 - alpha / 2), _NORMAL.inv_cdf(power)


def n_per_group(
    p1: float,
    p2: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    method: str = COURSE_METHOD,
    ratio: float = 1.0,
) -> float:
    """The exact (unrounded) size of the **control** group for detecting ``p1 → p2``.

    ``ratio`` is ``n_treatment / n_control`` (1 for equal groups). With ``q = 1 − p``,
    ``d = p2 − p1`` and ``r = ratio``:

    - pooled: ``n1 = [z(1−α/2)·√(p̄q̄(1 + 1/r)) + z(1−β)·√(p1q1 + p2q2/r)]² / d²`` with
      ``p̄ = (p1 + r·p2)/(1 + r)`` (Fleiss; for r = 1 this is R's ``power.prop.test``);
    - unpooled: ``n1 = (z(1−α/2) + z(1−β))² · (p1q1 + p2q2/r) / d²``;
    - cohens_h: ``n1 = ((z(1−α/2) + z(1−β)) / h)² · (1 + 1/r)`` (statsmodels'
      ``NormalIndPower`` with ``ratio = r``); for r = 1, ``n = 2·((z + z)/h)²``;
    - evan_miller: ``n1 = [z(1−α/2)·√(p1q1(1 + 1/r)) + z(1−β)·√(p1q1 + p2q2/r)]² / d²``.

    All four use the normal approximation and ignore the far tail of the two-sided test (the
    probability of rejecting in the wrong direction), as the published formulas do.
    """
    a = _rate("p1", p1)
    b = _rate("p2", p2)
    al = _alpha(alpha)
    pw = _power(power, al)
    r = _ratio(ratio)
    m = _method(method)
    if a == b:
        raise ExperimentError(
            f"p2: must differ from p1 = {a:g}; with no difference there is nothing to detect "
            f"and no sample is large enough (got {b!r})"
        )
    za, zb = _z(al, pw)
    d = b - a
    alt = math.sqrt(a * (1 - a) + b * (1 - b) / r)
    if m == "pooled":
        pbar = (a + r * b) / (1 + r)
        null = math.sqrt(pbar * (1 - pbar) * (1 + 1 / r))
        return (za * null + zb * alt) ** 2 / d**2
    if m == "unpooled":
        return (za + zb) ** 2 * alt**2 / d**2
    if m == "cohens_h":
        h = cohens_h(a, b)
        return ((za + zb) / h) ** 2 * (1 + 1 / r)
    null = math.sqrt(a * (1 - a) * (1 + 1 / r))
    return (za * null + zb * alt) ** 2 / d**2


def power_pooled(p1: float, p2: float, n: float, *, alpha: float = 0.05) -> float:
    """Power of the pooled two-sided test with ``n`` per group, as R's ``power.prop.test``
    computes it (``strict = FALSE``, near tail only):
    ``Φ((√n·|p2 − p1| − z(1−α/2)·√(2p̄q̄)) / √(p1q1 + p2q2))``."""
    a = _rate("p1", p1)
    b = _rate("p2", p2)
    size = _number("n", n)
    if size <= 0:
        raise ExperimentError(f"n: must be a positive number of units per group (got {n!r})")
    za = _NORMAL.inv_cdf(1 - _alpha(alpha) / 2)
    pbar = (a + b) / 2
    top = math.sqrt(size) * abs(b - a) - za * math.sqrt(2 * pbar * (1 - pbar))
    return _NORMAL.cdf(top / math.sqrt(a * (1 - a) + b * (1 - b)))


def power_cohens_h(h: float, n: float, *, alpha: float = 0.05) -> float:
    """Power of the two-sided arcsine test with ``n`` per group, both tails, as statsmodels'
    ``NormalIndPower().power(h, n, alpha)`` and R's ``pwr.2p.test(h, n)`` compute it:
    ``Φ(h·√(n/2) − z(1−α/2)) + Φ(−h·√(n/2) − z(1−α/2))``."""
    effect = _number("h", h)
    size = _number("n", n)
    if size <= 0:
        raise ExperimentError(f"n: must be a positive number of units per group (got {n!r})")
    za = _NORMAL.inv_cdf(1 - _alpha(alpha) / 2)
    shift = effect * math.sqrt(size / 2)
    return _NORMAL.cdf(shift - za) + _NORMAL.cdf(-shift - za)


# --- the result the pages use ---------------------------------------------------------------
@dataclass(frozen=True)
class SampleSize:
    """A sample size with everything the page needs to show how it was reached."""

    method: str
    p1: float
    p2: float
    alpha: float
    power: float
    ratio: float
    n_exact: float
    """Unrounded control-group size from the formula."""
    n_control: int
    n_treatment: int

    @property
    def total(self) -> int:
        """Units in both groups together."""
        return self.n_control + self.n_treatment

    @property
    def absolute_effect(self) -> float:
        """``p2 − p1``, in rate units (0.05 is 5 percentage points)."""
        return self.p2 - self.p1

    @property
    def relative_effect(self) -> float:
        """``(p2 − p1) / p1``: 0.25 is a 25 % lift on the baseline."""
        return (self.p2 - self.p1) / self.p1

    @property
    def name(self) -> str:
        return METHOD_NAMES[self.method]

    @property
    def formula(self) -> str:
        return FORMULAS[self.method]


def sample_size(
    p1: float,
    p2: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    method: str = COURSE_METHOD,
    ratio: float = 1.0,
) -> SampleSize:
    """Sample size for detecting a change from rate ``p1`` (control) to ``p2`` (treatment),
    each group rounded up to whole units (see the module docstring)."""
    exact = n_per_group(p1, p2, alpha=alpha, power=power, method=method, ratio=ratio)
    n1 = round_up(exact)
    r = float(ratio)
    n2 = round_up(exact * r)
    return SampleSize(method, float(p1), float(p2), float(alpha), float(power), r, exact, n1, n2)


def _target(baseline: float, p2: float, field: str, effect: object) -> float:
    if p2 == baseline:
        raise ExperimentError(
            f"{field}: must not be zero; an effect of zero cannot be detected by any sample "
            f"(got {effect!r})"
        )
    if not 0.0 < p2 < 1.0:
        raise ExperimentError(
            f"{field}: takes the baseline {baseline:g} to {p2:g}, outside the rates strictly "
            f"between 0 and 1 (got {effect!r})"
        )
    return p2


def sample_size_absolute(
    baseline: float,
    effect: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    method: str = COURSE_METHOD,
    ratio: float = 1.0,
) -> SampleSize:
    """Sample size for an **absolute** minimum detectable effect: ``effect`` is added to the
    baseline rate (baseline 0.20 and effect 0.05 detect 20 % → 25 %, five percentage points).
    A negative effect detects a fall."""
    p1 = _rate("baseline", baseline)
    d = _number("effect", effect)
    p2 = _target(p1, p1 + d, "effect", effect)
    return sample_size(p1, p2, alpha=alpha, power=power, method=method, ratio=ratio)


def sample_size_relative(
    baseline: float,
    lift: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    method: str = COURSE_METHOD,
    ratio: float = 1.0,
) -> SampleSize:
    """Sample size for a **relative** minimum detectable effect: the treatment rate is
    ``baseline × (1 + lift)`` (baseline 0.20 and lift 0.25 detect 20 % → 25 %, a 25 % lift).
    A negative lift detects a fall."""
    p1 = _rate("baseline", baseline)
    rel = _number("lift", lift)
    p2 = _target(p1, p1 * (1 + rel), "lift", lift)
    return sample_size(p1, p2, alpha=alpha, power=power, method=method, ratio=ratio)


def compare_methods(
    p1: float, p2: float, *, alpha: float = 0.05, power: float = 0.8, ratio: float = 1.0
) -> dict[str, SampleSize]:
    """The same inputs through every formula, in :data:`METHODS` order."""
    return {
        m: sample_size(p1, p2, alpha=alpha, power=power, method=m, ratio=ratio) for m in METHODS
    }


# --- how long it takes ----------------------------------------------------------------------
@dataclass(frozen=True)
class RunTime:
    """How long an experiment takes until its result can be read, and whether it ever can."""

    units_needed: int
    eligible_per_day: float
    enrolment_days: int
    """Whole days to enrol ``units_needed`` at ``eligible_per_day``."""
    follow_up_days: int
    """Days each unit is followed after it joins before its metric can be read."""
    horizon_days: int | None
    population: int | None
    feasible: bool
    reason: str
    """``"ok"``, ``"beyond_horizon"`` or ``"exceeds_population"``."""
    message: str

    @property
    def days(self) -> int:
        """Days until the result can be read: ``enrolment_days + follow_up_days`` (whatever
        the horizon)."""
        return self.enrolment_days + self.follow_up_days


def _day_count(n: int) -> str:
    return f"{n:,} day" + ("" if n == 1 else "s")


def _per_day(rate: float) -> str:
    return f"{int(rate):,}" if float(rate).is_integer() else f"{rate:g}"


def days_to_run(
    n_per_group: int,
    groups: int,
    eligible_per_day: float,
    *,
    follow_up_days: int = 0,
    horizon_days: int | None = None,
    population: int | None = None,
) -> RunTime:
    """Days until an experiment's result can be read: the days to enrol ``n_per_group ×
    groups`` units when ``eligible_per_day`` new eligible units arrive each day, plus the
    follow-up each unit needs before its metric can be read::

        enrolment days = ceil(n_per_group × groups / eligible_per_day)
        days to read   = enrolment days + follow_up_days

    The last unit joins on the last day of enrolment and must then be followed for
    ``follow_up_days`` before its metric exists (a metric "within four weeks" needs 28 days
    after it joins; one "in a week", 7), so the result cannot be read before that, however
    early the others joined. Days are calendar days: ``eligible_per_day`` is an average over
    the whole week. Worked example: 1,251 technicians per group, 2 groups, 1,300 eligible a day
    and a week of follow-up: ceil(2,502 / 1,300) = 2 days to enrol, 2 + 7 = 9 days to read.

    ``population`` is the number of distinct units there are (each can be enrolled once): when
    the experiment needs more than that, it can never finish and ``reason`` is
    ``"exceeds_population"``. ``horizon_days`` is the longest the team will wait for the
    result: when the days to read are more, ``reason`` is ``"beyond_horizon"``. The message
    says which, with the numbers, so a page can print it as it is.
    """
    n = _whole("n_per_group", n_per_group)
    g = _whole("groups", groups, minimum=2)
    rate = _number("eligible_per_day", eligible_per_day)
    if rate <= 0:
        raise ExperimentError(
            f"eligible_per_day: must be a positive number of units a day (got {eligible_per_day!r})"
        )
    follow = _whole("follow_up_days", follow_up_days, minimum=0)
    horizon = None if horizon_days is None else _whole("horizon_days", horizon_days)
    pop = None if population is None else _whole("population", population)
    total = n * g
    enrol = round_up(total / rate)
    days = enrol + follow

    def result(feasible: bool, reason: str, message: str) -> RunTime:
        return RunTime(total, rate, enrol, follow, horizon, pop, feasible, reason, message)

    if follow:
        timing = (
            f"{_day_count(enrol)} to enrol them at {_per_day(rate)} a day, then "
            f"{_day_count(follow)} of follow-up for the last of them: "
            f"{_day_count(days)} until the result can be read"
        )
    else:
        timing = f"{_day_count(days)} at {_per_day(rate)} a day"
    if pop is not None and total > pop:
        return result(
            False,
            "exceeds_population",
            f"The test needs {total:,} units ({n:,} in each of {g} groups) but there are only "
            f"{pop:,}: it can never reach its sample, however long it runs.",
        )
    if horizon is not None and days > horizon:
        return result(
            False,
            "beyond_horizon",
            f"The test needs {total:,} units, {timing}: more than the "
            f"{_day_count(horizon)} available.",
        )
    return result(True, "ok", f"The test needs {total:,} units: {timing}.")


# --- peeking --------------------------------------------------------------------------------
def independent_looks_rate(looks: int, alpha: float = 0.05) -> float:
    """``1 − (1 − alpha)^looks``: the false-positive rate if the looks were independent tests.
    Repeated looks at accumulating data are positively correlated, so the real rate is lower
    (compare :data:`REPEATED_TEST_RATES`)."""
    k = _whole("looks", looks)
    return 1 - (1 - _alpha(alpha)) ** k


@dataclass(frozen=True)
class PeekingResult:
    """What a seeded peeking simulation observed."""

    looks: int
    n_per_look: int
    rate: float
    alpha: float
    runs: int
    seed: int
    false_positives: int
    cumulative: tuple[float, ...]
    """Share of runs stopped (falsely) at or before each look, look 1 first."""

    @property
    def false_positive_rate(self) -> float:
        return self.false_positives / self.runs

    @property
    def standard_error(self) -> float:
        """Binomial standard error of :attr:`false_positive_rate`, ``√(p(1 − p)/runs)``."""
        p = self.false_positive_rate
        return math.sqrt(p * (1 - p) / self.runs)

    @property
    def independent_rate(self) -> float:
        """``1 − (1 − alpha)^looks`` (overstates the inflation)."""
        return independent_looks_rate(self.looks, self.alpha)

    @property
    def tabulated_rate(self) -> float | None:
        """The published rate for this many looks at nominal 5 %, when there is one."""
        if not math.isclose(self.alpha, 0.05):
            return None
        return REPEATED_TEST_RATES.get(self.looks)


def simulate_peeking(
    looks: int = 10,
    *,
    n_per_look: int = 500,
    rate: float = 0.2,
    alpha: float = 0.05,
    runs: int = DEFAULT_PEEKING_RUNS,
    seed: int = 20240601,
) -> PeekingResult:
    """Simulate ``runs`` A/A tests in which both groups convert at ``rate``: after each look,
    ``n_per_look`` more units join *each* group, the pooled two-proportion z-test runs on all
    data so far, and the test stops at the first two-sided ``p < alpha`` (a false positive by
    construction). Deterministic for a ``seed`` (NumPy ``default_rng``) and vectorised: the
    default 20,000 runs × 10 looks take a few milliseconds.

    The z statistic is ``(x2/n − x1/n) / √(p̂(1 − p̂)·2/n)`` with ``p̂`` the pooled rate; when
    ``p̂`` is 0 or 1 the look cannot reject. ``p < alpha`` is decided as ``|z| > z(1−α/2)``.
    """
    k = _whole("looks", looks)
    m = _whole("n_per_look", n_per_look)
    p = _rate("rate", rate)
    al = _alpha(alpha)
    n_runs = _whole("runs", runs)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ExperimentError(f"seed: must be a whole number of at least 0 (got {seed!r})")
    if n_runs * k > MAX_PEEKING_DRAWS:
        raise ExperimentError(
            f"runs: runs × looks must be at most {MAX_PEEKING_DRAWS:,} to keep the simulation "
            f"fast (got {n_runs:,} × {k:,})"
        )
    rng = np.random.default_rng(int(seed))
    conversions = rng.binomial(m, p, size=(2, n_runs, k)).cumsum(axis=2)
    n = m * np.arange(1, k + 1)
    pooled = (conversions[0] + conversions[1]) / (2 * n)
    variance = pooled * (1 - pooled) * 2 / n
    diff = (conversions[1] - conversions[0]) / n
    crit = _NORMAL.inv_cdf(1 - al / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        reject = (variance > 0) & (np.abs(diff) > crit * np.sqrt(variance))
    stopped = np.logical_or.accumulate(reject, axis=1)
    cumulative = tuple(float(x) for x in stopped.mean(axis=0))
    return PeekingResult(k, m, p, al, n_runs, int(seed), int(stopped[:, -1].sum()), cumulative)


# --- the design page (added by the Shift 4 experiment page) ---------------------------------
@dataclass(frozen=True)
class CurvePoint:
    """One point of :func:`sample_size_curve`: an absolute effect and the size it needs."""

    effect: float
    """Absolute minimum detectable effect, ``p2 − p1`` (0.05 is five percentage points)."""
    n_per_group: int
    total: int


def sample_size_curve(
    baseline: float,
    effects,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    method: str = COURSE_METHOD,
) -> tuple[CurvePoint, ...]:
    """Sample size per group for each absolute effect in ``effects`` (two equal groups), to draw
    how fast n grows as the effect shrinks (about ``1/effect²``). Effects that take the baseline
    outside (0, 1), or are zero, are left out rather than raised, so a chart can ask for a fixed
    range whatever the baseline."""
    p1 = _rate("baseline", baseline)
    points = []
    for effect in effects:
        d = _number("effect", effect)
        p2 = p1 + d
        if d == 0 or not 0.0 < p2 < 1.0:
            continue
        size = sample_size(p1, p2, alpha=alpha, power=power, method=method)
        points.append(CurvePoint(d, size.n_control, size.total))
    return tuple(points)


def smallest_detectable_effect(
    baseline: float,
    units: int,
    *,
    groups: int = 2,
    alpha: float = 0.05,
    power: float = 0.8,
    method: str = COURSE_METHOD,
) -> float | None:
    """The smallest absolute rise ``d`` (to 1e-4) from ``baseline`` that ``units`` units split
    into ``groups`` equal groups can detect: the least ``d`` whose size per group fits in
    ``units // groups``. ``None`` when not even a rise to (almost) 100 % fits.

    Found by bisection on :func:`n_per_group` (which falls as the rise grows for the pooled,
    unpooled and arcsine formulas on the rates the course uses); the result is rounded *up* to
    the next 0.0001, so the size it needs always fits."""
    p1 = _rate("baseline", baseline)
    cap = _whole("units", units) // _whole("groups", groups, minimum=2)
    if cap < 1:
        return None

    def fits(d: float) -> bool:
        return round_up(n_per_group(p1, p1 + d, alpha=alpha, power=power, method=method)) <= cap

    hi = (1 - p1) * (1 - 1e-6)
    if not fits(hi):
        return None
    lo = 0.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if mid > 0 and fits(mid):
            hi = mid
        else:
            lo = mid
    d = math.ceil(hi * 10_000 - _EPS) / 10_000
    while not fits(min(d, (1 - p1) * (1 - 1e-6))):  # the rounding can land just short
        d += 0.0001
    return min(d, (1 - p1) * (1 - 1e-6))


@dataclass(frozen=True)
class DesignCheck:
    """One check on the text of an experiment design: its name, whether it passed, and why."""

    name: str
    passed: bool
    message: str


_NUMBER = r"\d+(?:[.,]\d+)?"


def _has_number(text: str) -> bool:
    import re

    return re.search(_NUMBER, text) is not None


def check_design_text(hypothesis: str, metric: str, success: str, kill: str) -> list[DesignCheck]:
    """The course's checks on an experiment written before its data: a hypothesis, a metric
    named (and used in the hypothesis), a success criterion and a kill criterion that each hold
    a number, and two criteria that differ. The checks read words and numbers, not meaning.

    Following Kohavi, Tang & Xu (2020), the metric is the experiment's overall evaluation
    criterion; following Ries (2011), the criteria are set before the test so that the result
    can say "persevere" or "pivot" without a debate about what counts."""
    texts = {
        "hypothesis": str(hypothesis or "").strip(),
        "metric": str(metric or "").strip(),
        "success": str(success or "").strip(),
        "kill": str(kill or "").strip(),
    }
    h, m, s, k = texts.values()
    checks = [
        DesignCheck(
            "hypothesis",
            bool(h),
            "A hypothesis is written: what you believe will happen, for whom."
            if h
            else "Write the hypothesis: if we do X for whom, then what changes?",
        )
    ]
    if not m:
        checks.append(
            DesignCheck(
                "metric",
                False,
                "Name the metric: one number the test will read, such as a rate of accounts.",
            )
        )
    else:
        words = [w for w in _words(m) if len(w) > 3]
        used = not words or any(w in _words(h) for w in words)
        checks.append(
            DesignCheck(
                "metric",
                used,
                f"The metric ('{m}') is named and the hypothesis uses it."
                if used
                else f"The metric ('{m}') is named, but the hypothesis does not mention it: say "
                "in the hypothesis which number you expect to move.",
            )
        )
    for name, text, what in (
        ("success", s, "success criterion"),
        ("kill", k, "kill criterion"),
    ):
        if not text:
            message = f"Write the {what}: the result, in numbers, at which you " + (
                "ship." if name == "success" else "stop and drop the idea."
            )
            checks.append(DesignCheck(name, False, message))
        elif not _has_number(text):
            checks.append(
                DesignCheck(
                    name,
                    False,
                    f"The {what} has no number: without one, any result can be read as a "
                    "success afterwards.",
                )
            )
        else:
            checks.append(DesignCheck(name, True, f"The {what} is written with a number."))
    distinct = bool(s and k) and " ".join(_words(s)) != " ".join(_words(k))
    checks.append(
        DesignCheck(
            "distinct",
            distinct,
            "The success and kill criteria differ, so the result can fall between them (iterate)."
            if distinct
            else "Write two different criteria: one to ship, one to stop.",
        )
    )
    return checks


def _words(text: str) -> list[str]:
    import re

    return re.findall(r"[a-z0-9]+", str(text).lower())
