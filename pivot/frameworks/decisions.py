"""Shift 4, read the result and decide: criteria set before the data, doors, and the value of
information.

Pure functions (no widgets, no printing), standard library and NumPy only.

- **Expected value of perfect information** (:func:`evpi`), after R. A. Howard, "Information
  value theory", *IEEE Transactions on Systems Science and Cybernetics* SSC-2(1), 1966: for a
  decision table of actions × states, with a probability for each state and a payoff for each
  action in each state,

      EVPI = E[max over actions of payoff given the state] − max over actions of E[payoff]

  that is, the expected payoff if you could learn the state before choosing, minus the
  expected payoff of the best action chosen now. It is never negative, and no research about
  the states is worth more than it. Everything is computed **exactly** with
  :class:`fractions.Fraction`: a number typed as ``0.4`` is taken as exactly 4/10 (its
  decimal text), so the expected values carry no floating-point error.

- **Reading an experiment's result against its criteria** (:func:`read_result`): the
  difference between two conversion rates with a two-sided confidence interval from the
  normal approximation with each group's own variance (the Wald interval,
  ``d ± z(1−α/2)·√(p1q1/n1 + p2q2/n2)``; :data:`CI_METHOD`), and the course's decision rule
  (:func:`rule_decision`), fixed *before* the data with two bars (:class:`Criteria`):

  - **ship** (the success criterion) when the whole interval lies above zero, so the
    improvement is real, *and* the observed improvement reaches the smallest improvement worth
    shipping (:attr:`Criteria.worth_shipping`, 4 points in the course's default design);
  - **kill** (the kill criterion) when even the top of the interval is below the improvement
    the test was sized for, its minimum detectable effect (:attr:`Criteria.sized_for`,
    5 points): that improvement is ruled out;
  - **iterate** otherwise (the data cannot tell yet).

  A test sized with power 1 − β gives an interval wholly above zero about 1 − β of the time
  when the true improvement is the one it was sized for, but the rule ships less often than
  that, because it also asks the *observed* improvement to reach the bar worth shipping. How
  often it ships, iterates or kills at a given true improvement is computed exactly by
  :func:`rule_probabilities` (for the default design: ship about 71 % of the time at a true
  5 points, about 49 % at 4 points; kill about 78 % of the time when there is no effect). The
  rule follows the idea of comparing the interval with a practical-significance boundary
  (Kohavi, Tang & Xu 2020) in the simplest form the course can teach; the two bars are the
  course's.

  The bars are *improvements*: when the good direction is a fall in the rate (a design whose
  minimum detectable effect is negative, such as fewer missed jobs), the difference and its
  interval are turned round first (:func:`improvement`).

  :func:`judge_decision` compares the learner's decision with that rule under the criteria
  they locked before seeing the data, and names *moving the goalposts*: criteria changed after
  the result was shown.

- **Seeded results** (:func:`simulate_result`): conversions per group drawn from binomial
  distributions with the design's sample size, and a true effect chosen by a seed derived from
  the design itself (:func:`design_seed`), so the same design always gives the same result.

Every function validates its inputs and raises :class:`DecisionError` with a message that
names the field and the value.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from statistics import NormalDist

import numpy as np

__all__ = [
    "CI_METHOD",
    "DECISIONS",
    "DOORS",
    "PROBABILITY_TOLERANCE",
    "SIZED_FOR",
    "TRUE_EFFECT_SHARES",
    "WORTH_SHIPPING",
    "Criteria",
    "DecisionError",
    "DecisionTable",
    "EVPIResult",
    "ExperimentResult",
    "Judgement",
    "RuleProbabilities",
    "SimulatedResult",
    "design_seed",
    "difference_ci",
    "evpi",
    "exact",
    "improvement",
    "judge_decision",
    "make_table",
    "read_result",
    "rule_decision",
    "rule_probabilities",
    "simulate_result",
]

DECISIONS: tuple[str, ...] = ("ship", "iterate", "kill")
"""The three decisions after an experiment."""

DOORS: tuple[str, ...] = ("one_way", "two_way")
"""Bezos's two kinds of decision: one-way doors (Type 1) and two-way doors (Type 2)."""

CI_METHOD = (
    "normal-approximation (Wald) interval for a difference of two proportions, each group "
    "with its own variance: d ± z(1−α/2)·√(p1(1−p1)/n1 + p2(1−p2)/n2)"
)
"""How :func:`difference_ci` computes its interval, as the page states it."""

SIZED_FOR = "improvement the test was sized for"
"""How errors name :attr:`Criteria.sized_for` (the bar of the kill criterion)."""

WORTH_SHIPPING = "smallest improvement worth shipping"
"""How errors name :attr:`Criteria.worth_shipping` (the bar of the success criterion)."""

PROBABILITY_TOLERANCE = Fraction(1, 10**9)
"""How far from 1 the probabilities may sum (to forgive numbers computed in floating point,
such as ``1/3`` three times); anything further is an error."""

TRUE_EFFECT_SHARES: tuple[float, ...] = (0.0, 0.5, 1.0, 1.5)
"""The true effects :func:`simulate_result` chooses among, as shares of the design's minimum
detectable effect: none, half of it, all of it, and half as much again."""

_NORMAL = NormalDist()


class DecisionError(ValueError):
    """An input cannot be used; the message names the field and the value."""


# --- exact numbers --------------------------------------------------------------------------
_PERCENT = re.compile(r"^\s*([+-]?[0-9.]+)\s*%\s*$")


def exact(field: str, value: object) -> Fraction:
    """``value`` as an exact :class:`~fractions.Fraction`.

    Accepts whole numbers, floats (taken at their shortest decimal text, so ``0.1`` is 1/10),
    :class:`~decimal.Decimal`, fractions, NumPy numbers and text such as ``"0.4"``, ``"1/3"``
    or ``"40%"``. Booleans, blanks, infinities and NaN are refused."""
    if isinstance(value, bool) or value is None:
        raise DecisionError(f"{field}: must be a number (got {value!r})")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | np.integer):
        return Fraction(int(value))
    if isinstance(value, float | np.floating):
        if not math.isfinite(float(value)):
            raise DecisionError(f"{field}: must be a finite number (got {value!r})")
        return Fraction(repr(float(value)))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise DecisionError(f"{field}: must be a finite number (got {value!r})")
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("−", "-")
        m = _PERCENT.match(text)
        try:
            if m:
                return Fraction(m.group(1)) / 100
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            pass
    raise DecisionError(f"{field}: must be a number such as 0.4, 1/3 or 40% (got {value!r})")


def _name(field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DecisionError(f"{field}: must be a non-empty name (got {value!r})")
    return value.strip()


# --- the decision table ---------------------------------------------------------------------
@dataclass(frozen=True)
class DecisionTable:
    """Actions × states, a probability per state and a payoff per action and state."""

    actions: tuple[str, ...]
    states: tuple[str, ...]
    probabilities: tuple[Fraction, ...]
    payoffs: tuple[tuple[Fraction, ...], ...]
    """``payoffs[i][j]``: the payoff of action ``i`` when the state is ``j``."""

    def payoff(self, action: str, state: str) -> Fraction:
        return self.payoffs[self.actions.index(action)][self.states.index(state)]


def make_table(
    actions: Sequence[str],
    states: Sequence[str],
    probabilities: Sequence[object],
    payoffs: Sequence[Sequence[object]],
) -> DecisionTable:
    """A validated :class:`DecisionTable`.

    At least one action and one state, names unique; one probability per state, each from 0 to
    1, summing to 1 (within :data:`PROBABILITY_TOLERANCE`); one row of payoffs per action with
    one payoff per state. Every problem is reported, each naming its field and value."""
    problems: list[str] = []
    acts = [a if isinstance(a, str) else "" for a in actions]
    sts = [s if isinstance(s, str) else "" for s in states]
    if not acts:
        problems.append("actions: at least one action is needed (got none)")
    if not sts:
        problems.append("states: at least one state is needed (got none)")
    for kind, names, given in (("action", acts, actions), ("state", sts, states)):
        seen: set[str] = set()
        for i, (name, raw) in enumerate(zip(names, given, strict=True), 1):
            if not name.strip():
                problems.append(f"{kind} {i}: must be a non-empty name (got {raw!r})")
            elif name.strip() in seen:
                problems.append(f"{kind} {i}: the name {name.strip()!r} is used twice")
            seen.add(name.strip())
    probs: list[Fraction] = []
    if len(probabilities) != len(sts):
        problems.append(
            f"probabilities: one per state is needed, {len(sts)} (got {len(probabilities)})"
        )
    for j, p in enumerate(probabilities):
        label = sts[j].strip() if j < len(sts) and sts[j].strip() else str(j + 1)
        try:
            x = exact(f"probability of {label!r}", p)
        except DecisionError as err:
            problems.append(str(err))
            continue
        if not 0 <= x <= 1:
            problems.append(f"probability of {label!r}: must be from 0 to 1 (got {p!r})")
        probs.append(x)
    if len(probs) == len(probabilities) == len(sts) and sts and not problems:
        total = sum(probs, Fraction(0))
        if abs(total - 1) > PROBABILITY_TOLERANCE:
            problems.append(
                "probabilities: must add up to 1, since exactly one of the states will happen "
                f"(they add up to {float(total):g})"
            )
    rows: list[tuple[Fraction, ...]] = []
    if len(payoffs) != len(acts):
        problems.append(f"payoffs: one row per action is needed, {len(acts)} (got {len(payoffs)})")
    for i, row in enumerate(payoffs):
        a = acts[i].strip() if i < len(acts) and acts[i].strip() else str(i + 1)
        if isinstance(row, str | bytes) or not isinstance(row, Sequence):
            problems.append(f"payoffs of {a!r}: must be a row of numbers (got {row!r})")
            continue
        if len(row) != len(sts):
            problems.append(
                f"payoffs of {a!r}: one per state is needed, {len(sts)} (got {len(row)})"
            )
            continue
        cells = []
        for j, v in enumerate(row):
            s = sts[j].strip() or str(j + 1)
            try:
                cells.append(exact(f"payoff of {a!r} if {s!r}", v))
            except DecisionError as err:
                problems.append(str(err))
        rows.append(tuple(cells))
    if problems:
        raise DecisionError("; ".join(problems))
    return DecisionTable(
        tuple(a.strip() for a in acts),
        tuple(s.strip() for s in sts),
        tuple(probs),
        tuple(rows),
    )


@dataclass(frozen=True)
class EVPIResult:
    """Everything the page needs to show how an EVPI was reached, exactly."""

    table: DecisionTable
    expected: Mapping[str, Fraction]
    """Each action's expected payoff, ``Σ_j p_j · payoff(i, j)``."""
    best_actions: tuple[str, ...]
    """The action(s) with the largest expected payoff (several when tied), table order."""
    best_expected: Fraction
    """``max_i E[payoff(i)]``: the value of deciding now."""
    best_by_state: Mapping[str, tuple[str, ...]]
    """For each state, the action(s) with the largest payoff in it (ties kept)."""
    with_perfect: Fraction
    """``Σ_j p_j · max_i payoff(i, j)``: the expected value with perfect information."""
    evpi: Fraction
    """``with_perfect − best_expected`` (never negative)."""

    @property
    def changes_decision(self) -> bool:
        """Whether knowing the state could change the action (EVPI > 0)."""
        return self.evpi > 0


def evpi(table: DecisionTable) -> EVPIResult:
    """The expected value of perfect information of ``table`` (Howard 1966), exactly."""
    p = table.probabilities
    expected = {
        a: sum((pj * x for pj, x in zip(p, row, strict=True)), Fraction(0))
        for a, row in zip(table.actions, table.payoffs, strict=True)
    }
    best = max(expected.values())
    best_actions = tuple(a for a in table.actions if expected[a] == best)
    best_by_state = {}
    top = []
    for j, s in enumerate(table.states):
        column = [row[j] for row in table.payoffs]
        m = max(column)
        top.append(m)
        best_by_state[s] = tuple(a for a, x in zip(table.actions, column, strict=True) if x == m)
    with_perfect = sum((pj * m for pj, m in zip(p, top, strict=True)), Fraction(0))
    return EVPIResult(
        table, expected, best_actions, best, best_by_state, with_perfect, with_perfect - best
    )


# --- an experiment's result -----------------------------------------------------------------
def _whole(field: str, value: object, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise DecisionError(f"{field}: must be a whole number (got {value!r})")
    if int(value) < minimum:
        raise DecisionError(f"{field}: must be at least {minimum} (got {value!r})")
    return int(value)


def _level(value: object) -> float:
    x = float(exact("level", value))
    if not 0 < x < 1:
        raise DecisionError(f"level: must be strictly between 0 and 1, e.g. 0.95 (got {value!r})")
    return x


@dataclass(frozen=True)
class ExperimentResult:
    """Two groups' conversions, their difference and its confidence interval."""

    n_control: int
    conversions_control: int
    n_treatment: int
    conversions_treatment: int
    level: float
    low: float
    high: float

    @property
    def rate_control(self) -> float:
        return self.conversions_control / self.n_control

    @property
    def rate_treatment(self) -> float:
        return self.conversions_treatment / self.n_treatment

    @property
    def difference(self) -> float:
        """Treatment rate minus control rate (0.03 is three percentage points)."""
        return self.rate_treatment - self.rate_control

    @property
    def method(self) -> str:
        return CI_METHOD


def difference_ci(
    conversions_control: int,
    n_control: int,
    conversions_treatment: int,
    n_treatment: int,
    *,
    level: float = 0.95,
) -> tuple[float, float]:
    """The two-sided ``level`` confidence interval for ``p_treatment − p_control`` by the
    normal approximation with each group's own variance (:data:`CI_METHOD`). When both rates
    are 0 or 1 the interval is the single point of the observed difference."""
    n1 = _whole("n_control", n_control, 1)
    n2 = _whole("n_treatment", n_treatment, 1)
    x1 = _whole("conversions_control", conversions_control)
    x2 = _whole("conversions_treatment", conversions_treatment)
    if x1 > n1:
        raise DecisionError(
            f"conversions_control: cannot exceed n_control = {n1} (got {conversions_control!r})"
        )
    if x2 > n2:
        raise DecisionError(
            f"conversions_treatment: cannot exceed n_treatment = {n2} "
            f"(got {conversions_treatment!r})"
        )
    lv = _level(level)
    p1, p2 = x1 / n1, x2 / n2
    z = _NORMAL.inv_cdf(1 - (1 - lv) / 2)
    half = z * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return p2 - p1 - half, p2 - p1 + half


def read_result(
    conversions_control: int,
    n_control: int,
    conversions_treatment: int,
    n_treatment: int,
    *,
    level: float = 0.95,
) -> ExperimentResult:
    """An :class:`ExperimentResult` with its interval from :func:`difference_ci`."""
    low, high = difference_ci(
        conversions_control, n_control, conversions_treatment, n_treatment, level=level
    )
    return ExperimentResult(
        int(n_control),
        int(conversions_control),
        int(n_treatment),
        int(conversions_treatment),
        float(level),
        low,
        high,
    )


@dataclass(frozen=True)
class Criteria:
    """The decision rule's two bars, as absolute improvements in the rate (0.05 = 5 points).

    The learner reads them as the two criteria written before the data: the **success
    criterion** ships a real improvement that reaches :attr:`worth_shipping`; the **kill
    criterion** kills when even the top of the interval is below :attr:`sized_for`. Saved
    answers (and :meth:`make`'s argument order) keep the older names: ``"success"`` holds
    :attr:`sized_for` and ``"kill"`` holds :attr:`worth_shipping` (:attr:`success` and
    :attr:`kill` are kept as read-only aliases)."""

    sized_for: float
    """The improvement the test was sized for (its minimum detectable effect): the kill
    criterion kills when even the top of the interval is below it."""
    worth_shipping: float
    """The smallest improvement worth shipping: the success criterion ships an improvement
    that is real (interval above zero) and at least this big."""

    @property
    def success(self) -> float:
        """Alias of :attr:`sized_for`, the name saved answers use (``"success"``)."""
        return self.sized_for

    @property
    def kill(self) -> float:
        """Alias of :attr:`worth_shipping`, the name saved answers use (``"kill"``)."""
        return self.worth_shipping

    @classmethod
    def make(cls, sized_for: object, worth_shipping: object) -> Criteria:
        """Validated criteria: ``sized_for`` above 0 and at most 1 (100 points);
        ``worth_shipping`` at least −1 and not above ``sized_for`` (a test should be sized for
        at least the smallest improvement worth shipping)."""
        s = float(exact(SIZED_FOR, sized_for))
        k = float(exact(WORTH_SHIPPING, worth_shipping))
        if s <= 0:
            raise DecisionError(
                f"{SIZED_FOR}: must be a positive improvement, the one the test was sized to "
                f"find (got {sized_for!r})"
            )
        if s > 1:
            raise DecisionError(
                f"{SIZED_FOR}: a difference between two rates is at most 1, i.e. 100 points "
                f"(got {sized_for!r})"
            )
        if k < -1:
            raise DecisionError(
                f"{WORTH_SHIPPING}: a difference between two rates is at least −1, i.e. "
                f"−100 points (got {worth_shipping!r})"
            )
        if k > s:
            raise DecisionError(
                f"{WORTH_SHIPPING}: must not be above the improvement the test was sized for, "
                f"{s:g}; size the test for at least the smallest improvement worth shipping "
                f"(got {worth_shipping!r})"
            )
        return cls(s, k)


def improvement(
    result: ExperimentResult, *, lower_is_better: bool = False
) -> tuple[float, float, float]:
    """``(estimate, low, high)`` of the improvement: the difference itself, or, when a fall in
    the rate is the good direction (``lower_is_better``), the difference with its sign turned
    (so the interval ``[low, high]`` becomes ``[−high, −low]``)."""
    if lower_is_better:
        return -result.difference, -result.high, -result.low
    return result.difference, result.low, result.high


def rule_decision(
    result: ExperimentResult, criteria: Criteria, *, lower_is_better: bool = False
) -> str:
    """The course's decision rule (see the module docstring): ``"ship"`` when the interval of
    the improvement lies wholly above zero and the improvement reaches
    ``criteria.worth_shipping``; ``"kill"`` when the top of the interval is below
    ``criteria.sized_for``; ``"iterate"`` otherwise. The bars are improvements; with
    ``lower_is_better`` a fall in the rate counts as the improvement (see
    :func:`improvement`)."""
    estimate, low, high = improvement(result, lower_is_better=lower_is_better)
    if low > 0 and estimate >= criteria.worth_shipping:
        return "ship"
    if high < criteria.sized_for:
        return "kill"
    return "iterate"


@dataclass(frozen=True)
class Judgement:
    """How a decision compares with the rule, before and after any change of criteria."""

    decision: str
    by_locked: str
    """What the rule says under the criteria locked before the data."""
    by_current: str
    """What the rule says under the criteria as they are now."""
    moved_goalposts: bool
    """The criteria were changed after the result was shown."""

    @property
    def follows_criteria(self) -> bool:
        return self.decision == self.by_locked

    @property
    def justified_only_by_moving(self) -> bool:
        """The decision fits the new criteria but not the ones set before the data."""
        return self.moved_goalposts and self.decision == self.by_current != self.by_locked


def judge_decision(
    decision: str,
    result: ExperimentResult,
    locked: Criteria,
    current: Criteria | None = None,
    *,
    lower_is_better: bool = False,
) -> Judgement:
    """Judge ``decision`` against the rule under the ``locked`` criteria; ``current`` are the
    criteria as they stand now (``None``: unchanged)."""
    if decision not in DECISIONS:
        raise DecisionError(f"decision: must be one of {', '.join(DECISIONS)} (got {decision!r})")
    now = locked if current is None else current
    moved = not (
        math.isclose(now.sized_for, locked.sized_for, abs_tol=1e-12)
        and math.isclose(now.worth_shipping, locked.worth_shipping, abs_tol=1e-12)
    )
    return Judgement(
        decision,
        rule_decision(result, locked, lower_is_better=lower_is_better),
        rule_decision(result, now, lower_is_better=lower_is_better),
        moved_goalposts=moved,
    )


# --- how often the rule says what -----------------------------------------------------------
MAX_RULE_GRID = 25_000_000
"""Upper bound on the pairs of group outcomes :func:`rule_probabilities` sums over, so a page
cannot ask for a computation that stalls it (a design of about 100,000 units per group)."""

_TAIL_SDS = 10.0
"""Outcomes further than this many standard deviations from a group's expected count are left
out of :func:`rule_probabilities`; their probability is below 10⁻²⁰."""


@dataclass(frozen=True)
class RuleProbabilities:
    """How often the decision rule says each thing, for one design and one true improvement."""

    baseline: float
    true_improvement: float
    n_per_group: int
    criteria: Criteria
    lower_is_better: bool
    ship: float
    iterate: float
    kill: float
    interval_above_zero: float
    """How often the interval of the improvement lies wholly above zero, whatever the
    estimate: the power of the interval read as a test."""

    def of(self, decision: str) -> float:
        """The probability of ``decision`` (``"ship"``, ``"iterate"`` or ``"kill"``)."""
        if decision not in DECISIONS:
            raise DecisionError(
                f"decision: must be one of {', '.join(DECISIONS)} (got {decision!r})"
            )
        return float(getattr(self, decision))


def _binomial_support(n: int, p: float) -> tuple[np.ndarray, np.ndarray]:
    """The counts ``k`` within :data:`_TAIL_SDS` standard deviations of ``n·p`` and their
    binomial probabilities, from log-gamma (exact up to floating point)."""
    sd = math.sqrt(n * p * (1 - p))
    lo = max(0, math.floor(n * p - _TAIL_SDS * sd - 1))
    hi = min(n, math.ceil(n * p + _TAIL_SDS * sd + 1))
    k = np.arange(lo, hi + 1)
    log_choose = math.lgamma(n + 1) - np.array(
        [math.lgamma(i + 1) + math.lgamma(n - i + 1) for i in range(lo, hi + 1)]
    )
    return k, np.exp(log_choose + k * math.log(p) + (n - k) * math.log1p(-p))


def rule_probabilities(
    baseline: object,
    true_improvement: object,
    n_per_group: object,
    criteria: Criteria,
    *,
    lower_is_better: bool = False,
    level: float = 0.95,
) -> RuleProbabilities:
    """The probabilities that the decision rule (:func:`rule_decision`) ships, iterates or
    kills, when two groups of ``n_per_group`` units each convert at the ``baseline`` rate
    (control) and at the rate that a true improvement of ``true_improvement`` gives
    (treatment: ``baseline − true_improvement`` when ``lower_is_better``, ``baseline +
    true_improvement`` otherwise).

    Computed **exactly** rather than simulated: the sum, over every pair of group counts
    ``(x_control, x_treatment)``, of the product of their binomial probabilities, each pair
    read with the same interval (:func:`difference_ci`) and the same rule; counts more than
    ten standard deviations from their expected value are left out (less than 10⁻²⁰ of the
    probability). The three probabilities add up to 1 within 10⁻⁹. Worked example (the
    course's default design: baseline 0.30, a fall is the improvement, 1,251 per group,
    sized for 5 points, worth shipping at 4): at a true improvement of 5 points the rule
    ships with probability 0.706, iterates 0.269 and kills 0.025; at 4 points 0.492, 0.428
    and 0.080; with no effect 0.014, 0.207 and 0.779. The interval lies above zero with
    probability 0.801 at 5 points, the power the sample was sized for; the rule ships less
    often because it also asks the observed improvement to reach 4 points."""
    b = float(exact("baseline", baseline))
    t = float(exact("true_improvement", true_improvement))
    n = _whole("n_per_group", n_per_group, 1)
    if not isinstance(criteria, Criteria):
        raise DecisionError(f"criteria: must be Criteria (got {criteria!r})")
    if not 0 < b < 1:
        raise DecisionError(f"baseline: must be a rate strictly between 0 and 1 (got {baseline!r})")
    treated = b - t if lower_is_better else b + t
    if not 0 < treated < 1:
        raise DecisionError(
            f"true_improvement: must keep the treatment rate strictly between 0 and 1 "
            f"(got {true_improvement!r}, which gives {treated:g})"
        )
    lv = _level(level)
    k1, w1 = _binomial_support(n, b)
    k2, w2 = _binomial_support(n, treated)
    if len(k1) * len(k2) > MAX_RULE_GRID:
        raise DecisionError(
            f"n_per_group: too large to sum exactly here, at most about 100,000 units per group "
            f"(got {n_per_group!r})"
        )
    # the same arithmetic as difference_ci, on every pair of counts at once
    p1 = (k1 / n)[:, None]
    p2 = (k2 / n)[None, :]
    z = _NORMAL.inv_cdf(1 - (1 - lv) / 2)
    half = z * np.sqrt(p1 * (1 - p1) / n + p2 * (1 - p2) / n)
    low, high = p2 - p1 - half, p2 - p1 + half
    if lower_is_better:
        estimate, low, high = -(p2 - p1), -high, -low
    else:
        estimate = p2 - p1
    weight = w1[:, None] * w2[None, :]
    above = low > 0
    ship = above & (estimate >= criteria.worth_shipping)
    kill = ~ship & (high < criteria.sized_for)
    total = float(weight.sum())
    p_ship = float(weight[ship].sum()) / total
    p_kill = float(weight[kill].sum()) / total
    return RuleProbabilities(
        b,
        t,
        n,
        criteria,
        bool(lower_is_better),
        p_ship,
        max(0.0, 1.0 - p_ship - p_kill),
        p_kill,
        float(weight[above].sum()) / total,
    )


# --- seeded results -------------------------------------------------------------------------
def design_seed(design: Mapping[str, object]) -> int:
    """A seed derived from the design's numbers (baseline, mde, n_per_group): the same design
    always gives the same seed, on every machine (SHA-256 of their canonical JSON)."""
    keys = ("baseline", "mde", "n_per_group")
    canon = json.dumps({k: design.get(k) for k in keys}, sort_keys=True, default=str)
    return int.from_bytes(hashlib.sha256(canon.encode("utf-8")).digest()[:8], "big")


@dataclass(frozen=True)
class SimulatedResult:
    """A seeded experiment: what was observed, and the true effect behind it."""

    result: ExperimentResult
    true_difference: float
    true_share: float
    """The true effect as a share of the design's mde (one of :data:`TRUE_EFFECT_SHARES`)."""
    seed: int


def simulate_result(
    baseline: float,
    mde: float,
    n_per_group: int,
    *,
    seed: int | None = None,
    level: float = 0.95,
) -> SimulatedResult:
    """Draw a result for a design: the true effect is ``share × mde`` (a negative ``mde`` is a
    fall) with ``share`` chosen
    from :data:`TRUE_EFFECT_SHARES` by the seed; conversions are binomial draws with
    ``n_per_group`` units per group at rates ``baseline`` and ``baseline + true effect``
    (NumPy ``default_rng(seed)``). With ``seed=None`` the seed is :func:`design_seed` of the
    three inputs."""
    b = float(exact("baseline", baseline))
    d = float(exact("mde", mde))
    n = _whole("n_per_group", n_per_group, 1)
    if not 0 < b < 1:
        raise DecisionError(f"baseline: must be a rate strictly between 0 and 1 (got {baseline!r})")
    far = b + d * max(TRUE_EFFECT_SHARES)
    if d == 0 or not 0 < far < 1:
        raise DecisionError(
            f"mde: must not be zero and must keep baseline + {max(TRUE_EFFECT_SHARES):g} × mde "
            f"strictly between 0 and 1 (got {mde!r})"
        )
    if seed is None:
        seed = design_seed({"baseline": b, "mde": d, "n_per_group": n})
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise DecisionError(f"seed: must be a whole number of at least 0 (got {seed!r})")
    rng = np.random.default_rng(int(seed))
    share = float(TRUE_EFFECT_SHARES[int(rng.integers(len(TRUE_EFFECT_SHARES)))])
    true = share * d
    x1 = int(rng.binomial(n, b))
    x2 = int(rng.binomial(n, b + true))
    return SimulatedResult(read_result(x1, n, x2, n, level=level), true, share, int(seed))
