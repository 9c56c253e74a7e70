"""Shift 3, you no longer build the technology: choosing what the team builds next.

The article's third shift asks an engineer turned product manager to decide *what* the team
builds and *why*, and to leave the *how* to the engineers (Rozenfeld, IEEE-USA InSight). A
backlog ordered by who shouts loudest is the usual starting point; this module holds the pure
functions behind the Shift 3 exercises that replace it with explicit, comparable estimates:

- **RICE** (Sean McBride, "RICE: Simple prioritization for product managers", Intercom blog,
  2016, https://www.intercom.com/blog/rice-simple-prioritization-for-product-managers/):
  ``reach × impact × confidence ÷ effort``, "total impact per time worked". Impact on the
  multiple-choice scale 3, 2, 1, 0.5, 0.25; confidence 100%, 80% or 50%; effort in
  person-months (whole numbers, or 0.5 for anything well under a month).
- **WSJF**, weighted shortest job first (Donald G. Reinertsen, *The Principles of Product
  Development Flow*, Celeritas, 2009: cost of delay ÷ duration; Scaled Agile Framework,
  https://scaledagileframework.com/wsjf/): ``(user-business value + time criticality + risk
  reduction and/or opportunity enablement) ÷ job size``, each estimated relatively on a
  modified Fibonacci scale 1, 2, 3, 5, 8, 13, 20. The column ``risk_reduction`` holds SAFe's
  whole third component, "RR|OE": risk reduction and/or opportunity enablement.
- **Comparing rankings**: Kendall's rank correlation (tau-b, which handles ties; M. G. Kendall,
  "The treatment of ties in ranking problems", *Biometrika* 33, 1945; computed in O(n log n)
  after W. R. Knight, "A computer method for calculating Kendall's tau with ungrouped data",
  *JASA* 61, 1966) and the items that move most between two rankings.
- **Sensitivity** of an item's rank to one estimate (the sliders of the exercises).
- **Fitting a capacity**: going down the ranking and taking what fits versus the set with the
  most total *value* (RICE: reach × impact × confidence; WSJF: cost of delay) within the
  capacity (the 0/1 knapsack problem, solved exactly by dynamic programming), with an
  explanation of the gap. A score is already value per effort: adding up scores would count
  the effort twice.
- **MoSCoW** (DSDM; Agile Business Consortium, *DSDM Agile Project Framework*, chapter 10,
  https://www.agilebusiness.org/dsdm-project-framework/moscow-prioririsation.html): Must haves
  should take no more than about 60% of the effort.

Validation messages name the item, the field, the value and what was expected, e.g.
``B07: impact must be one of 3, 2, 1, 0.5, 0.25 (got 5)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pivot.data import plain_value as _data_plain_value
from pivot.data import problems_message

__all__ = [
    "CONFIDENCE_SCALE",
    "COST_FIELD",
    "IMPACT_SCALE",
    "MAX_CAPACITY",
    "METHODS",
    "MUST_SHARE_LIMIT",
    "VALUE_NAMES",
    "WSJF_SCALE",
    "BacklogError",
    "CapacityPlan",
    "MoscowCheck",
    "amount_text",
    "best_positions",
    "biggest_moves",
    "compare_plans",
    "fit_capacity_best",
    "fit_capacity_greedy",
    "greedy_positions",
    "kendall_tau",
    "moscow_check",
    "parse_capacity",
    "plan_from_positions",
    "plan_order",
    "rice_score",
    "score_arrays",
    "score_backlog",
    "sensitivity",
    "wsjf",
]

#: Intercom's multiple-choice impact scale: massive 3, high 2, medium 1, low 0.5, minimal 0.25.
IMPACT_SCALE: tuple[float, ...] = (3, 2, 1, 0.5, 0.25)
#: Intercom's confidence scale, in percent: high 100, medium 80, low 50.
CONFIDENCE_SCALE: tuple[int, ...] = (100, 80, 50)
#: SAFe's modified Fibonacci scale for the relative estimates of WSJF.
WSJF_SCALE: tuple[int, ...] = (1, 2, 3, 5, 8, 13, 20)
#: The scoring methods :func:`score_backlog` knows.
METHODS = ("rice", "wsjf")
#: The estimates each method reads from a backlog.
FIELDS: dict[str, tuple[str, ...]] = {
    "rice": ("reach", "impact", "confidence", "effort"),
    "wsjf": ("business_value", "time_criticality", "risk_reduction", "job_size"),
}
#: The column each method divides by: the cost of an item, used to break ties.
COST_FIELD = {"rice": "effort", "wsjf": "job_size"}
#: DSDM: Must have effort above 60% of the total introduces a risk of failure.
MUST_SHARE_LIMIT = 0.60
#: DSDM recommends a pool of Could haves of typically around 20% of the total effort.
COULD_SHARE_GUIDE = 0.20
#: Largest dynamic-programming table (items × capacity steps) :func:`fit_capacity_best` builds.
MAX_DP_CELLS = 20_000_000
#: Largest capacity accepted, in person-months or job-size points: no team plans further at once.
MAX_CAPACITY = 100_000
#: What a capacity plan adds up, by cost column: RICE value (reach × impact × confidence, the
#: score before dividing by effort) and WSJF cost of delay (the score before dividing by job size).
VALUE_NAMES = {"effort": "value", "job_size": "cost of delay"}
#: Finest cost granularities tried when costs are turned into whole steps for the exact plan.
_GRANULARITIES = (1, 2, 4, 10, 20, 100)
#: How many problems a :class:`BacklogError` message lists before summarising the rest.
MAX_LISTED = 10

_MOSCOW = {"must": "Must", "should": "Should", "could": "Could", "won't": "Won't", "wont": "Won't"}
_MOSCOW_LETTERS = {"m": "Must", "s": "Should", "c": "Could", "w": "Won't"}
_MORE = re.compile(r"^.*: … and (\d+) more items like these$")
_UNITS = {"effort": "person-months", "job_size": "job-size points"}
#: How a plan's explanation names an item's cost: "pm" would read as "product manager" here.
_SHORT_UNITS = {"person-months": "person-months", "job-size points": "points"}


def amount_text(x: float, unit: str) -> str:
    """``1 person-month``, ``2.5 person-months``, ``1 point``."""
    return f"{_fmt(x)} {unit[:-1] if x == 1 and unit.endswith('s') else unit}"


class BacklogError(ValueError):
    """A backlog could not be scored; :attr:`issues` lists every reason found (item first)."""

    def __init__(self, issues: Sequence[str]):
        self.issues = list(issues)
        summaries = [_MORE.match(i) for i in self.issues]
        n = sum(int(m.group(1)) if m else 1 for m in summaries)
        super().__init__(problems_message(self.issues, total=n))


# --- single scores --------------------------------------------------------------------------
_plain = _data_plain_value


def _got(value: object) -> str:
    value = _plain(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "nothing: the value is missing"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def _number(name: str, value: object, expected: str) -> float:
    value = _plain(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be {expected} (got {_got(value)})")
    return float(value)


def _scale_text(scale: Iterable[float]) -> str:
    return ", ".join(_got(v) for v in scale)


def rice_score(reach: float, impact: float, confidence: float, effort: float) -> float:
    """Intercom's RICE score: ``reach × impact × confidence ÷ effort``, rounded to 2 decimals.

    ``reach`` is how many people or events the item affects in a period (e.g. accounts per
    quarter), at least 0; ``impact`` one of 3 (massive), 2 (high), 1 (medium), 0.5 (low), 0.25
    (minimal); ``confidence`` a percentage, one of 100 (high), 80 (medium), 50 (low);
    ``effort`` the person-months it takes from product, design and engineering, above 0.

    Source: Sean McBride, "RICE: Simple prioritization for product managers", Intercom, 2016,
    https://www.intercom.com/blog/rice-simple-prioritization-for-product-managers/ . Its first
    example project: reach 450 customers per quarter, impact 3, confidence 100%, effort 2
    person-months, so 450 × 3 × 1.0 ÷ 2 = 675.
    """
    r = _number("reach", reach, "a number of at least 0")
    if r < 0:
        raise ValueError(f"reach must be a number of at least 0 (got {_got(reach)})")
    i = _number("impact", impact, f"one of {_scale_text(IMPACT_SCALE)}")
    if i not in IMPACT_SCALE:
        raise ValueError(f"impact must be one of {_scale_text(IMPACT_SCALE)} (got {_got(impact)})")
    expected_c = f"one of {_scale_text(CONFIDENCE_SCALE)} (percent)"
    c = _number("confidence", confidence, expected_c)
    if c not in CONFIDENCE_SCALE:
        raise ValueError(f"confidence must be {expected_c} (got {_got(confidence)})")
    e = _number("effort", effort, "a number of person-months greater than 0")
    if e <= 0:
        raise ValueError(f"effort must be greater than 0 person-months (got {_got(effort)})")
    # numerator and denominator are exact, so equal scores compare equal after rounding
    return round(r * i * c / (100 * e), 2)


def wsjf(
    business_value: float, time_criticality: float, risk_reduction: float, job_size: float
) -> float:
    """Weighted shortest job first: cost of delay ÷ job size, rounded to 2 decimals.

    Cost of delay = user-business value + time criticality + risk reduction and/or opportunity
    enablement (SAFe's "RR|OE"; ``risk_reduction`` holds the whole of it). SAFe estimates all
    four relatively on the modified Fibonacci scale
    (:data:`WSJF_SCALE`, 1 to 20); any number of at least 0 is accepted here (job size above
    0), since the formula does not depend on the scale.

    Sources: Scaled Agile Framework, "Weighted Shortest Job First",
    https://scaledagileframework.com/wsjf/ ; D. G. Reinertsen, *The Principles of Product
    Development Flow* (2009), where WSJF is cost of delay divided by duration ("CD3"). In the
    Scaled Agile WSJF template a feature with job size 5, value 8, time criticality 5 and risk
    reduction/opportunity enablement 13 has cost of delay 26 and WSJF 26 ÷ 5 = 5.2.
    """
    parts = {
        "business_value": business_value,
        "time_criticality": time_criticality,
        "risk_reduction": risk_reduction,
    }
    cost_of_delay = 0.0
    for name, value in parts.items():
        v = _number(name, value, "a number of at least 0")
        if v < 0:
            raise ValueError(f"{name} must be a number of at least 0 (got {_got(value)})")
        cost_of_delay += v
    size = _number("job_size", job_size, "a number greater than 0")
    if size <= 0:
        raise ValueError(f"job_size must be greater than 0 (got {_got(job_size)})")
    return round(cost_of_delay / size, 2)


# --- whole backlogs -------------------------------------------------------------------------
_DIGITS = re.compile(r"(\d+)")


def _natural_key(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(str(text)))


def _item_ids(df: pd.DataFrame) -> pd.Series:
    if "item_id" not in df.columns:
        raise BacklogError(["the backlog is missing the column item_id"])
    raw = df["item_id"]
    blank = raw.isna() | raw.astype("string").str.strip().eq("")
    if blank.any():
        rows = ", ".join(str(i + 1) for i in np.flatnonzero(blank.to_numpy())[:MAX_LISTED])
        raise BacklogError([f"item_id must not be blank (rows {rows})"])
    ids = raw.astype("string").str.strip().astype(object).astype(str)
    dupes = ids[ids.duplicated()].unique().tolist()
    if dupes:
        repeated = ", ".join(sorted(dupes, key=_natural_key)[:MAX_LISTED])
        raise BacklogError([f"item_id must be unique (repeated: {repeated})"])
    return ids.reset_index(drop=True)


def _numeric_issues(
    ids: pd.Series, name: str, raw: pd.Series, values: pd.Series, bad: pd.Series, expected: str
) -> list[str]:
    issues = []
    for k in np.flatnonzero(bad.to_numpy())[:MAX_LISTED]:
        original = raw.iloc[k]
        shown = original if pd.isna(values.iloc[k]) else values.iloc[k]
        issues.append(f"{ids.iloc[k]}: {name} must be {expected} (got {_got(shown)})")
    extra = int(bad.sum()) - len(issues)
    if extra > 0:
        issues.append(f"{name}: … and {extra} more items like these")
    return issues


def _validated(df: pd.DataFrame, method: str) -> tuple[pd.Series, dict[str, pd.Series]]:
    if method not in METHODS:
        raise ValueError(f"method must be one of 'rice', 'wsjf' (got {method!r})")
    fields = FIELDS[method]
    missing = [c for c in fields if c not in df.columns]
    if missing:
        raise BacklogError([f"the backlog is missing column(s): {', '.join(missing)}"])
    ids = _item_ids(df)
    issues: list[str] = []
    columns: dict[str, pd.Series] = {}
    for name in fields:
        raw = df[name].reset_index(drop=True)
        if raw.dtype == bool:
            raw = raw.astype(object)
        values = pd.to_numeric(raw, errors="coerce").astype("float64")
        finite = np.isfinite(values.to_numpy())
        if name == "impact":
            ok = finite & values.isin(IMPACT_SCALE).to_numpy()
            expected = f"one of {_scale_text(IMPACT_SCALE)}"
        elif name == "confidence":
            ok = finite & values.isin(CONFIDENCE_SCALE).to_numpy()
            expected = f"one of {_scale_text(CONFIDENCE_SCALE)} (percent)"
        elif name in ("effort", "job_size"):
            ok = finite & (values.to_numpy() > 0)
            expected = "a number greater than 0"
        else:
            ok = finite & (values.to_numpy() >= 0)
            expected = "a number of at least 0"
        bad = pd.Series(~ok)
        if bad.any():
            issues += _numeric_issues(ids, name, raw, values, bad, expected)
        columns[name] = values
    if issues:
        raise BacklogError(issues)
    return ids, columns


def _natural_rank(ids: pd.Series) -> np.ndarray:
    """Each id's position in natural order (B2 before B10), for tie-breaking."""
    keys = [_natural_key(i) for i in ids]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys))
    return rank


def _ranked(score: pd.Series, cost: pd.Series, ids: pd.Series) -> pd.Index:
    """Order: higher score first, then lower cost, then item id in natural order."""
    order = np.lexsort((_natural_rank(ids), cost.to_numpy(), -score.to_numpy()))
    return pd.RangeIndex(len(ids))[order]


def score_arrays(
    estimates: Mapping[str, np.ndarray], method: str = "rice"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value, score, cost) arrays from validated estimate arrays, for widgets that re-score on
    every change; :func:`score_backlog` uses it too, so the two never disagree.

    RICE: value = reach × impact × confidence ÷ 100, cost = effort; WSJF: value = cost of
    delay = user-business value + time criticality + risk reduction and/or opportunity
    enablement, cost = job size. score = value ÷ cost, rounded to 2 decimals (as
    :func:`rice_score` and :func:`wsjf`)."""
    if method == "rice":
        numerator = estimates["reach"] * estimates["impact"] * estimates["confidence"]
        cost = estimates["effort"]
        return numerator / 100, np.round(numerator / (100 * cost), 2), cost
    if method == "wsjf":
        value = (
            estimates["business_value"]
            + estimates["time_criticality"]
            + estimates["risk_reduction"]
        )
        cost = estimates["job_size"]
        return value, np.round(value / cost, 2), cost
    raise ValueError(f"method must be one of 'rice', 'wsjf' (got {method!r})")


def score_backlog(df: pd.DataFrame, method: str = "rice") -> pd.DataFrame:
    """Score and rank every item of a backlog by ``method`` (``"rice"`` or ``"wsjf"``).

    ``df`` needs ``item_id`` (unique) and the method's estimates: ``reach``, ``impact``,
    ``confidence`` (percent) and ``effort`` for RICE (:func:`rice_score`);
    ``business_value``, ``time_criticality``, ``risk_reduction`` and ``job_size`` for WSJF
    (:func:`wsjf`). Numbers given as text (an imported file) are converted.

    Returns a new frame sorted by rank with the input's columns (estimates as numbers) plus
    ``value`` (what the item delivers before its cost is divided in: RICE reach × impact ×
    confidence, WSJF the cost of delay, which WSJF also adds as ``cost_of_delay``), ``score``
    (value ÷ cost, rounded to 2 decimals) and ``rank`` (1 = do first). A capacity plan adds up
    ``value``, never ``score`` (see :func:`fit_capacity_best`). Ties are broken
    deterministically: higher score first, then lower cost
    (``effort`` or ``job_size``: the cheaper of two equally valuable items first), then
    ``item_id`` in natural order (B2 before B10). Vectorised: 10,000 items score in
    milliseconds. Raises :class:`BacklogError` naming every item whose estimate is off the
    method's scale.
    """
    ids, columns = _validated(df, method)
    if len(ids) == 0:
        raise BacklogError(["the backlog has no items to score"])
    table = df.reset_index(drop=True).copy()
    table["item_id"] = ids
    for name, values in columns.items():
        table[name] = values
    arrays = {name: values.to_numpy() for name, values in columns.items()}
    value, score, cost = score_arrays(arrays, method)
    if method == "wsjf":
        table["cost_of_delay"] = value
    table["value"] = value
    table["score"] = score
    order = _ranked(pd.Series(score), pd.Series(cost), ids)
    table = table.loc[order].reset_index(drop=True)
    table["rank"] = np.arange(1, len(table) + 1)
    return table


# --- comparing rankings ---------------------------------------------------------------------
def _as_ranking(ranking: object, name: str) -> pd.Series:
    """A ranking as a float Series indexed by item id (str)."""
    if isinstance(ranking, pd.DataFrame):
        if not {"item_id", "rank"} <= set(ranking.columns):
            raise ValueError(f"{name} must have columns item_id and rank")
        series = pd.Series(ranking["rank"].to_numpy(), index=ranking["item_id"].astype(str))
    elif isinstance(ranking, pd.Series):
        series = pd.Series(ranking.to_numpy(), index=ranking.index.astype(str))
    elif isinstance(ranking, Mapping):
        series = pd.Series(list(ranking.values()), index=[str(k) for k in ranking], dtype=object)
    elif isinstance(ranking, Sequence) and not isinstance(ranking, str | bytes):
        ids = [str(i) for i in ranking]
        series = pd.Series(np.arange(1, len(ids) + 1, dtype=float), index=ids)
    else:
        raise ValueError(
            f"{name} must be a Series or mapping of item id to rank, a list of item ids in "
            f"rank order, or a frame with item_id and rank (got {type(ranking).__name__})"
        )
    dupes = series.index[series.index.duplicated()].unique().tolist()
    if dupes:
        repeated = ", ".join(sorted(dupes, key=_natural_key)[:MAX_LISTED])
        raise ValueError(f"{name} ranks an item more than once (repeated: {repeated})")
    values = pd.to_numeric(series, errors="coerce").astype("float64")
    bad = ~np.isfinite(values.to_numpy())
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name}: rank of {series.index[k]} must be a number (got {_got(series.iloc[k])})"
        )
    return values


def _same_items(a: pd.Series, b: pd.Series) -> None:
    only_a = sorted(set(a.index) - set(b.index), key=_natural_key)
    only_b = sorted(set(b.index) - set(a.index), key=_natural_key)
    if only_a or only_b:
        parts = []
        if only_a:
            parts.append("only in the first: " + ", ".join(only_a[:MAX_LISTED]))
        if only_b:
            parts.append("only in the second: " + ", ".join(only_b[:MAX_LISTED]))
        raise ValueError("the two rankings must rank the same items (" + "; ".join(parts) + ")")


def _tied_pairs(values: np.ndarray) -> int:
    _, counts = np.unique(values, return_counts=True)
    return int((counts * (counts - 1) // 2).sum())


def _strict_inversions(x: np.ndarray) -> int:
    """Pairs i < j with x[i] > x[j], by a bottom-up merge sort done with numpy, O(n log² n)."""
    n = len(x)
    if n < 2:
        return 0
    vals = np.unique(x, return_inverse=True)[1].astype(np.int64)  # dense 0..m-1
    big = np.int64(n + 1)
    positions = np.arange(n)
    total = 0
    size = 1
    while size < n:
        block = positions // size
        pair = block // 2
        right = (block % 2) == 1
        keys = pair * big + vals
        left_keys = keys[~right]  # sorted: pair ascending, values sorted within each block
        right_keys = keys[right]
        right_pair = pair[right]
        at_most = np.searchsorted(left_keys, right_keys, side="right")
        pair_end = np.searchsorted(left_keys, (right_pair + 1) * big, side="left")
        total += int((pair_end - at_most).sum())
        vals = np.sort(keys) - (positions // (2 * size)) * big
        size *= 2
    return total


def kendall_tau(rank_a: object, rank_b: object) -> float:
    """Kendall's rank correlation tau-b between two rankings of the same items, from -1 to 1.

    1 means the same order, -1 the reverse order, around 0 no relation. Each ranking is a
    Series or mapping of item id to rank (ties allowed: equal ranks), a list of item ids in
    rank order, or a frame with ``item_id`` and ``rank`` (such as :func:`score_backlog`'s).
    tau-b = (concordant - discordant) / sqrt((n0 - n1)(n0 - n2)), where n0 = n(n-1)/2 and n1,
    n2 count the pairs tied in each ranking (Kendall, *Biometrika* 33, 1945). Discordant pairs
    are counted by sorting (Knight, *JASA* 61, 1966), so 10,000 items take milliseconds.

    Raises ValueError when the rankings cover different items, an item is ranked twice, there
    are fewer than two items, or one ranking ties every item (tau is then undefined).
    """
    a = _as_ranking(rank_a, "the first ranking")
    b = _as_ranking(rank_b, "the second ranking")
    _same_items(a, b)
    n = len(a)
    if n < 2:
        raise ValueError(f"Kendall's tau needs at least two items (got {n})")
    x = a.to_numpy()
    y = b.reindex(a.index).to_numpy()
    order = np.lexsort((y, x))  # by x, then y
    x, y = x[order], y[order]
    n0 = n * (n - 1) // 2
    n1 = _tied_pairs(x)
    n2 = _tied_pairs(y)
    joint = pd.DataFrame({"x": x, "y": y}).value_counts().to_numpy()
    n3 = int((joint * (joint - 1) // 2).sum())
    if n1 == n0 or n2 == n0:
        which = "first" if n1 == n0 else "second"
        raise ValueError(f"Kendall's tau is undefined: the {which} ranking ties every item")
    discordant = _strict_inversions(y)
    concordant_minus_discordant = n0 - n1 - n2 + n3 - 2 * discordant
    tau = concordant_minus_discordant / math.sqrt((n0 - n1) * (n0 - n2))
    return max(-1.0, min(1.0, tau))


def biggest_moves(rank_a: object, rank_b: object, n: int = 5) -> pd.DataFrame:
    """The ``n`` items whose rank changed most from ranking ``rank_a`` to ``rank_b``.

    Rankings are given as for :func:`kendall_tau`. Returns ``item_id``, ``rank_a``,
    ``rank_b``, ``moved`` (places gained: positive when the item rose, i.e. its rank number
    fell) and ``direction`` (``"up"`` or ``"down"``), largest move first, then item id in
    natural order. Items that did not move are left out.
    """
    if isinstance(n, bool) or not isinstance(_plain(n), int) or _plain(n) < 0:
        raise ValueError(f"n must be a whole number of at least 0 (got {_got(n)})")
    a = _as_ranking(rank_a, "the first ranking")
    b = _as_ranking(rank_b, "the second ranking")
    _same_items(a, b)
    table = pd.DataFrame({"item_id": a.index, "rank_a": a.to_numpy()})
    table["rank_b"] = b.reindex(a.index).to_numpy()
    table["moved"] = table["rank_a"] - table["rank_b"]
    table = table[table["moved"] != 0].copy()
    table["direction"] = np.where(table["moved"] > 0, "up", "down")
    natural = _natural_rank(table["item_id"].astype(str))
    order = np.lexsort((natural, -table["moved"].abs().to_numpy()))
    table = table.iloc[order].head(int(n)).reset_index(drop=True)
    for col in ("rank_a", "rank_b", "moved"):
        if (table[col] == table[col].round()).all():
            table[col] = table[col].astype("int64")
    return table


def sensitivity(
    df: pd.DataFrame,
    item_id: str,
    field: str,
    values: Iterable[float],
    method: str = "rice",
    *,
    top_k: int = 5,
) -> pd.DataFrame:
    """How one item's rank, and the top ``top_k``, change as one of its estimates varies.

    For each value in ``values``, ``field`` of item ``item_id`` is set to it and the backlog
    is re-scored with :func:`score_backlog`. Returns one row per value: ``value``, the item's
    ``score`` and ``rank``, the ``top`` item ids (a tuple, in order), and which items
    ``entered`` or ``left`` the top ``top_k`` compared with the backlog as given. Used by the
    sliders that ask "what if confidence were 50%?" or "what if it took twice as long?".
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of 'rice', 'wsjf' (got {method!r})")
    if field not in FIELDS[method]:
        allowed = ", ".join(FIELDS[method])
        raise ValueError(
            f"field must be one of {allowed} for {method.upper()} (got {_got(str(field))})"
        )
    if isinstance(top_k, bool) or not isinstance(_plain(top_k), int) or _plain(top_k) < 1:
        raise ValueError(f"top_k must be a whole number of at least 1 (got {_got(top_k)})")
    values = list(values)
    if not values:
        raise ValueError("values must hold at least one value to try")
    base = score_backlog(df, method)
    key = str(item_id).strip()
    matches = np.flatnonzero((base["item_id"] == key).to_numpy())
    if len(matches) == 0:
        raise ValueError(f"no item {key!r} in the backlog")
    baseline_top = tuple(base["item_id"].head(top_k))
    work = base.drop(columns=["score", "rank", "cost_of_delay"], errors="ignore")
    work[field] = work[field].astype(object)
    row = int(matches[0])
    records = []
    for value in values:
        work.iloc[row, work.columns.get_loc(field)] = _plain(value)
        try:
            scored = score_backlog(work, method)
        except BacklogError as exc:
            raise BacklogError(exc.issues) from None
        mine = scored.loc[scored["item_id"] == key].iloc[0]
        top = tuple(scored["item_id"].head(top_k))
        records.append(
            {
                "value": _plain(value),
                "score": float(mine["score"]),
                "rank": int(mine["rank"]),
                "top": top,
                "entered": tuple(i for i in top if i not in baseline_top),
                "left": tuple(i for i in baseline_top if i not in top),
            }
        )
    return pd.DataFrame(records, columns=["value", "score", "rank", "top", "entered", "left"])


# --- fitting a capacity ---------------------------------------------------------------------
@dataclass(frozen=True)
class CapacityPlan:
    """A set of backlog items chosen to fit a capacity, with its totals.

    ``items`` are item ids in rank order. ``total_value`` is what the set delivers: for RICE
    the sum of reach × impact × confidence (the score before dividing by effort), for WSJF the
    sum of cost of delay; ``total_cost`` is the effort (or job size) it uses. ``skipped`` lists
    items that came up in rank order but no longer fitted (greedy plans only).
    """

    method: str
    capacity: float
    items: tuple[str, ...]
    total_value: float
    total_cost: float
    unused: float
    unit: str = "person-months"
    value_name: str = "value"
    skipped: tuple[str, ...] = ()
    explanation: str = ""
    values: Mapping[str, float] = field(default_factory=dict, repr=False)
    costs: Mapping[str, float] = field(default_factory=dict, repr=False)


def parse_capacity(value: object, unit: str = "person-months") -> float:
    """A capacity typed by a learner (text or a number) as a float, or a ValueError that says
    what was wrong: empty, not a number, not a number at all (NaN), infinite, negative, or
    more than :data:`MAX_CAPACITY` (no team plans that far ahead at once)."""
    value = _plain(value)
    example = "12 or 7.5"
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise ValueError(f"capacity is empty: enter a number of {unit}, such as {example}")
        try:
            number = float(text)
        except ValueError:
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise ValueError(
                f"capacity must be a number of {unit}, such as {example} (got {shown!r})"
            ) from None
        value = number
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(
            f"capacity must be a number of {unit}, such as {example} (got {_got(value)})"
        )
    if math.isnan(value):
        raise ValueError(f"capacity must be a number of {unit}, such as {example} (got NaN)")
    if math.isinf(value):
        raise ValueError(
            f"capacity must be a finite number of {unit}, at most {MAX_CAPACITY:,} (got "
            f"{'-' if value < 0 else ''}infinity)"
        )
    if value < 0:
        raise ValueError(f"capacity must be a number of at least 0 {unit} (got {_got(value)})")
    if value > MAX_CAPACITY:
        raise ValueError(
            f"capacity must be at most {MAX_CAPACITY:,} {unit}, more than any team plans at "
            f"once (got {_fmt(value)})"
        )
    return float(value)


def _capacity(value: object, unit: str) -> float:
    return parse_capacity(value, unit)


def _plan_inputs(
    df: pd.DataFrame, value_col: str, cost_col: str
) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    missing = [c for c in (value_col, cost_col) if c not in df.columns]
    if missing:
        raise BacklogError([f"the backlog is missing column(s): {', '.join(missing)}"])
    ids = _item_ids(df)
    issues: list[str] = []
    raw_values = df[value_col].reset_index(drop=True)
    values = pd.to_numeric(raw_values, errors="coerce").astype("float64")
    bad = pd.Series(~np.isfinite(values.to_numpy()))
    if bad.any():
        issues += _numeric_issues(ids, value_col, raw_values, values, bad, "a number")
    raw_costs = df[cost_col].reset_index(drop=True)
    costs = pd.to_numeric(raw_costs, errors="coerce").astype("float64")
    c = costs.to_numpy()
    bad = pd.Series(~(np.isfinite(c) & (c > 0)))
    if bad.any():
        issues += _numeric_issues(ids, cost_col, raw_costs, costs, bad, "a number greater than 0")
    if issues:
        raise BacklogError(issues)
    return ids, values.to_numpy(), costs.to_numpy()


def plan_order(
    values: np.ndarray, costs: np.ndarray, tiebreak: np.ndarray | None = None
) -> np.ndarray:
    """Positions in rank order for planning: value per cost down (the RICE or WSJF score),
    then the cheaper item, then ``tiebreak`` (e.g. the item id's natural position)."""
    tie = np.arange(len(values)) if tiebreak is None else tiebreak
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(costs > 0, values / costs, -np.inf)
    return np.lexsort((tie, costs, -ratio))


def greedy_positions(
    values: np.ndarray, costs: np.ndarray, capacity: float, order: np.ndarray
) -> tuple[list[int], list[int]]:
    """Go down ``order`` (the ranking) and take every item that still fits: the positions
    taken, and those that came up but no longer fitted. Items of value 0 or less add nothing
    and are never taken. Array-level, for widgets that re-plan on every change."""
    left = float(capacity)
    chosen: list[int] = []
    skipped: list[int] = []
    useful = order[values[order] > 0]
    if len(useful) == 0:
        return chosen, skipped
    c_use = costs[useful]
    cheapest_rest = np.minimum.accumulate(c_use[::-1])[::-1]
    for pos, k in enumerate(useful):
        if cheapest_rest[pos] > left + 1e-9:  # nothing further down fits
            skipped += [int(j) for j in useful[pos : pos + MAX_LISTED - len(skipped)]]
            break
        if c_use[pos] <= left + 1e-9:
            chosen.append(int(k))
            left -= c_use[pos]
        elif len(skipped) < MAX_LISTED:
            skipped.append(int(k))
    return chosen, skipped


def _steps_factor(costs: np.ndarray) -> int | None:
    for factor in _GRANULARITIES:
        scaled = costs * factor
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6):
            return factor
    return None


def best_positions(
    values: np.ndarray,
    costs: np.ndarray,
    capacity: float,
    order: np.ndarray,
    *,
    ids: Sequence[str] | None = None,
    cost_col: str = "effort",
    max_cells: int | None = None,
) -> list[int]:
    """The positions of the set with the highest total *value* whose total cost fits
    ``capacity``, in rank order (``order``). Array-level, for widgets.

    The 0/1 knapsack problem, solved exactly by dynamic programming over the capacity
    (Dantzig, *Operations Research* 5, 1957; Cormen et al., *Introduction to Algorithms*,
    the 0-1 knapsack problem). Costs become whole steps at the finest granularity they need
    (0.5 → halves, down to 0.01); values are counted in millionths, so ties are exact. Among
    equally valuable sets the cheapest is chosen, then the one that keeps higher-ranked items.
    Only items with a value above 0 that fit on their own are candidates; of the items of one
    cost at most ``capacity ÷ cost`` can be in any set, so only that many of the most valuable
    are kept, which makes 10,000 items as quick as a few dozen.
    """
    limit = MAX_DP_CELLS if max_cells is None else max_cells
    cap = float(capacity)
    cand = order[(values[order] > 0) & (costs[order] <= cap + 1e-9)]
    if len(cand) == 0:
        return []
    if costs[cand].sum() <= cap + 1e-9:
        return [int(k) for k in cand]  # everything worth taking fits
    factor = _steps_factor(costs[cand])
    if factor is None:
        scaled = costs[cand] * _GRANULARITIES[-1]
        k = int(cand[np.flatnonzero(np.abs(scaled - np.round(scaled)) >= 1e-6)[0]])
        name = ids[k] if ids is not None else f"item {k + 1}"
        problem = f"{name}: {cost_col} must be a multiple of 0.01 for the exact plan"
        raise BacklogError([f"{problem} (got {_fmt(costs[k])})"])
    steps = math.floor(cap * factor + 1e-9)
    weights = np.round(costs * factor).astype(np.int64)
    # of the candidates of one weight w at most steps // w fit: keep the most valuable ones
    w_c = weights[cand]
    by_weight = np.lexsort((np.arange(len(cand)), -values[cand], w_c))
    ws = w_c[by_weight]
    starts = np.r_[0, np.flatnonzero(np.diff(ws)) + 1]
    within = np.arange(len(ws)) - np.repeat(starts, np.diff(np.r_[starts, len(ws)]))
    keep = np.zeros(len(cand), dtype=bool)
    keep[by_weight[within < steps // ws]] = True
    eligible = cand[keep]  # still in rank order
    cells = len(eligible) * (steps + 1)
    if cells > limit:
        raise ValueError(
            f"the exact plan needs {len(eligible):,} items × {steps + 1:,} capacity steps = "
            f"{cells:,} cells, more than the limit of {limit:,}: plan for a smaller "
            "capacity, or pass only the top of the backlog (for example the first 1,000 "
            "items by rank)"
        )
    total = float(values[eligible].sum())
    if total * 1e6 < 2**62:
        gains = np.round(values * 1e6).astype(np.int64)
        best = np.zeros(steps + 1, dtype=np.int64)
        tol = 0
    else:  # values too large to count exactly: compare with a relative tolerance
        gains = values.astype(np.float64)
        best = np.zeros(steps + 1, dtype=np.float64)
        tol = total * 1e-12
    taken = np.zeros((len(eligible), steps + 1), dtype=bool)
    for row, k in enumerate(eligible):
        w, v = int(weights[k]), gains[k]
        candidate = best[: steps + 1 - w] + v
        better = candidate > best[w:] + tol
        taken[row, w:] = better
        best[w:] = np.where(better, candidate, best[w:])
    c = int(np.argmax(best >= best[steps] - tol))  # the cheapest budget with the best total
    chosen = []
    for row in range(len(eligible) - 1, -1, -1):
        if taken[row, c]:
            k = int(eligible[row])
            chosen.append(k)
            c -= int(weights[k])
    chosen.reverse()
    return chosen


def _fmt(x: float) -> str:
    x = round(float(x), 6)
    if abs(x) >= 1e12:
        return f"{x:.3g}"
    return f"{x:g}" if abs(x) < 1e6 else f"{x:,.0f}"


def _describe(
    ids: Sequence[str],
    values: Mapping[str, float],
    costs: Mapping[str, float],
    unit: str,
    value_name: str,
) -> str:
    parts = [f"{i} ({value_name} {_fmt(values[i])}, {amount_text(costs[i], unit)})" for i in ids]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _plan_order_of(df: pd.DataFrame, ids: pd.Series, values, costs) -> np.ndarray:
    """The ranking to go down: the frame's ``rank`` column when it has one (as
    :func:`score_backlog` returns), else value per cost with the usual tie-breaks."""
    if "rank" in df.columns:
        rank = pd.to_numeric(df["rank"].reset_index(drop=True), errors="coerce").to_numpy(float)
        if np.all(np.isfinite(rank)):
            return np.lexsort((_natural_rank(ids), rank))
    return plan_order(values, costs, _natural_rank(ids))


def _make_plan(method, cap, chosen, skipped, ids, values, costs, cost_col) -> CapacityPlan:
    unit = _UNITS.get(cost_col, "units")
    value_of = {ids[k]: float(values[k]) for k in chosen}
    cost_of = {ids[k]: float(costs[k]) for k in [*chosen, *skipped]}
    value_of.update({ids[k]: float(values[k]) for k in skipped})
    total_cost = round(float(sum(costs[k] for k in chosen)), 6)
    return CapacityPlan(
        method=method,
        capacity=cap,
        items=tuple(ids[k] for k in chosen),
        total_value=round(float(sum(values[k] for k in chosen)), 6),
        total_cost=total_cost,
        unused=round(cap - total_cost, 6),
        unit=unit,
        value_name=VALUE_NAMES.get(cost_col, "value"),
        skipped=tuple(ids[k] for k in skipped),
        values=value_of,
        costs=cost_of,
    )


def plan_from_positions(
    method: str,
    capacity: float,
    chosen: Sequence[int],
    ids: Sequence[str],
    values: np.ndarray,
    costs: np.ndarray,
    cost_col: str = "effort",
    skipped: Sequence[int] = (),
) -> CapacityPlan:
    """A :class:`CapacityPlan` from the positions :func:`greedy_positions` or
    :func:`best_positions` returned (for widgets working on arrays)."""
    return _make_plan(method, float(capacity), chosen, skipped, ids, values, costs, cost_col)


def fit_capacity_greedy(
    df: pd.DataFrame,
    capacity: float,
    value_col: str = "value",
    cost_col: str = "effort",
) -> CapacityPlan:
    """Fill ``capacity`` greedily: go down the ranking and take every item that still fits.

    The ranking is the frame's ``rank`` (as :func:`score_backlog` returns it), else value per
    cost (``value_col ÷ cost_col``: for RICE reach × impact × confidence ÷ effort, the RICE
    score; for WSJF cost of delay ÷ job size), ties to the cheaper item, then the item id in
    natural order. Items of value 0 or less are never taken. ``total_value`` adds up
    ``value_col``. Greedy by value per cost is how most teams plan, easy to explain and often
    close to the best, but near the end of the budget it can leave capacity unused or spend it
    on an item that crowds out a more valuable pair; compare :func:`fit_capacity_best`.
    """
    unit = _UNITS.get(cost_col, "units")
    cap = _capacity(capacity, unit)
    ids, values, costs = _plan_inputs(df, value_col, cost_col)
    order = _plan_order_of(df, ids, values, costs)
    chosen, skipped = greedy_positions(values, costs, cap, order)
    plan = _make_plan("greedy", cap, chosen, skipped, list(ids), values, costs, cost_col)
    short = _SHORT_UNITS.get(unit, unit)
    if chosen:
        explanation = (
            f"Going down the ranking took "
            f"{_describe(plan.items, plan.values, plan.costs, short, plan.value_name)}: "
            f"total {plan.value_name} {_fmt(plan.total_value)} for {_fmt(plan.total_cost)} of "
            f"{_fmt(cap)} {unit}, {_fmt(plan.unused)} {unit} unused."
        )
    else:
        explanation = f"Nothing fits in {_fmt(cap)} {unit}."
    return CapacityPlan(**{**plan.__dict__, "explanation": explanation})


def fit_capacity_best(
    df: pd.DataFrame,
    capacity: float,
    value_col: str = "value",
    cost_col: str = "effort",
) -> CapacityPlan:
    """The set of items with the highest total *value* whose total cost fits ``capacity``.

    Value is what an item delivers, before dividing by its cost: for RICE reach × impact ×
    confidence (``value`` in :func:`score_backlog`'s frame), for WSJF the cost of delay. The
    score (value per cost) orders the backlog; it must not be what a plan adds up, since that
    would count the cost twice. Solved exactly by :func:`best_positions` (the 0/1 knapsack
    problem); among equally valuable sets the cheapest, then the one keeping higher-ranked
    items. Above :data:`MAX_DP_CELLS` table cells it refuses with a message rather than run for
    long. The returned plan's ``explanation`` compares it with :func:`fit_capacity_greedy`.
    """
    unit = _UNITS.get(cost_col, "units")
    cap = _capacity(capacity, unit)
    ids, values, costs = _plan_inputs(df, value_col, cost_col)
    order = _plan_order_of(df, ids, values, costs)
    greedy = fit_capacity_greedy(df, cap, value_col, cost_col)
    chosen = best_positions(values, costs, cap, order, ids=list(ids), cost_col=cost_col)
    plan = _make_plan("best", cap, chosen, (), list(ids), values, costs, cost_col)
    return CapacityPlan(**{**plan.__dict__, "explanation": compare_plans(greedy, plan)})


def compare_plans(greedy: CapacityPlan, best: CapacityPlan) -> str:
    """Explain, in words, why the best set differs from going down the ranking (or that it
    does not), by total value and the capacity each uses."""
    unit, name = best.unit, best.value_name
    values = {**greedy.values, **best.values}
    costs = {**greedy.costs, **best.costs}
    short = _SHORT_UNITS.get(unit, unit)
    if set(greedy.items) == set(best.items):
        if not best.items:
            return f"Nothing fits in {_fmt(best.capacity)} {unit}."
        return (
            "Here going down the ranking already finds the best set: "
            f"{_describe(best.items, values, costs, short, name)}, total {name} "
            f"{_fmt(best.total_value)} for {_fmt(best.total_cost)} of {_fmt(best.capacity)} "
            f"{unit}."
        )
    dropped = [i for i in greedy.items if i not in best.items]
    added = [i for i in best.items if i not in greedy.items]
    gain = best.total_value - greedy.total_value
    n = len(greedy.items)
    text = (
        f"Going down the ranking took {n} item{'s' if n != 1 else ''} for a total {name} of "
        f"{_fmt(greedy.total_value)}, using {_fmt(greedy.total_cost)} of "
        f"{_fmt(greedy.capacity)} {unit} ({_fmt(greedy.unused)} unused). "
    )
    them = "it" if len(dropped) == 1 else "them"
    text += f"{'Among them is' if len(dropped) == 1 else 'Among them are'} "
    text += f"{_describe(dropped, values, costs, short, name)}: the best set leaves {them} out"
    if added:
        text += f" and spends the {unit} on {_describe(added, values, costs, short, name)} instead"
    text += (
        f", for a total {name} of {_fmt(best.total_value)} (+{_fmt(gain)}) with "
        f"{_fmt(best.total_cost)} {unit}. The ranking puts the most {name} per {short} first, "
        "but a plan is judged by the value of the whole set: near the end of the budget, the "
        "next item that fits can crowd out a pair that is worth more together."
    )
    return text


# --- MoSCoW ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class MoscowCheck:
    """The result of :func:`moscow_check`."""

    efforts: Mapping[str, float]
    must_effort: float
    base: str
    base_effort: float
    must_share: float
    passed: bool
    message: str


def _moscow_label(item: str, value: object) -> str:
    text = "" if _plain(value) is None else str(value).strip()
    folded = text.casefold().replace("’", "'")
    word = folded.split()[0] if folded.split() else ""
    if word in _MOSCOW:
        return _MOSCOW[word]
    if folded in _MOSCOW_LETTERS:
        return _MOSCOW_LETTERS[folded]
    raise BacklogError(
        [f"{item}: moscow must be one of 'Must', 'Should', 'Could', \"Won't\" (got {_got(value)})"]
    )


def moscow_check(
    df: pd.DataFrame, capacity: float | None = None, *, cost_col: str = "effort"
) -> MoscowCheck:
    """DSDM's MoSCoW rule of thumb: Must haves take no more than about 60% of the effort.

    With ``capacity`` (e.g. the person-months the team has this quarter) the Must haves'
    effort is compared with it; without, with the effort of everything planned (Must, Should
    and Could; Won't have this time is not planned). The pass mark is
    :data:`MUST_SHARE_LIMIT` (60%, inclusive). The message also notes when Could haves leave
    less than the recommended contingency of about 20%.

    Source: Agile Business Consortium, *The DSDM Agile Project Framework*, chapter 10 "MoSCoW
    Prioritisation", https://www.agilebusiness.org/dsdm-project-framework/moscow-prioririsation.html
    (section 10.4.1: "Levels of Must Have effort above 60% introduce a risk of failure", unless
    estimates are accurate, the approach well understood, the team performing and the
    environment low-risk; a pool of Could Haves of "typically around 20% of the total effort").
    """
    if "moscow" not in df.columns or cost_col not in df.columns:
        missing = [c for c in ("moscow", cost_col) if c not in df.columns]
        raise BacklogError([f"the backlog is missing column(s): {', '.join(missing)}"])
    unit = _UNITS.get(cost_col, "units")
    ids = _item_ids(df)
    labels = [_moscow_label(i, v) for i, v in zip(ids, df["moscow"], strict=True)]
    raw = df[cost_col].reset_index(drop=True)
    costs = pd.to_numeric(raw, errors="coerce").astype("float64")
    bad = pd.Series(~(np.isfinite(costs.to_numpy()) & (costs.to_numpy() > 0)))
    if bad.any():
        raise BacklogError(
            _numeric_issues(ids, cost_col, raw, costs, bad, "a number greater than 0")
        )
    efforts = {k: 0.0 for k in ("Must", "Should", "Could", "Won't")}
    for label, cost in zip(labels, costs, strict=True):
        efforts[label] += float(cost)
    efforts = {k: round(v, 6) for k, v in efforts.items()}
    must = efforts["Must"]
    planned = efforts["Must"] + efforts["Should"] + efforts["Could"]
    if capacity is None:
        base, base_effort = "planned effort", planned
    else:
        base, base_effort = "capacity", _capacity(capacity, unit)
    limit = MUST_SHARE_LIMIT * base_effort
    share = (math.inf if must > 0 else 0.0) if base_effort <= 0 else must / base_effort
    passed = must <= limit + 1e-9
    pct = "∞" if math.isinf(share) else f"{share:.0%}"
    of = f"{_fmt(must)} of {_fmt(base_effort)} {unit} of {base}"
    if passed:
        message = (
            f"Must haves take {of} ({pct}), within DSDM's guideline of at most 60%: the Should "
            "and Could haves leave room to absorb estimates that turn out too low."
        )
    else:
        message = (
            f"Must haves take {of} ({pct}), above DSDM's guideline of at most 60%: with so "
            "little contingency, any slip breaks the promise to deliver every Must. Move items "
            f"to Should or Could until the Musts need at most {_fmt(round(limit, 2))} {unit}."
        )
    if planned > 0 and efforts["Could"] / planned < COULD_SHARE_GUIDE - 1e-9:
        message += (
            f" Could haves are {efforts['Could'] / planned:.0%} of the planned effort; DSDM "
            "suggests a pool of about 20% as contingency."
        )
    return MoscowCheck(
        efforts=efforts,
        must_effort=must,
        base=base,
        base_effort=base_effort,
        must_share=share,
        passed=passed,
        message=message,
    )
