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
  reduction/opportunity enablement) ÷ job size``, each estimated relatively on a modified
  Fibonacci scale 1, 2, 3, 5, 8, 13, 20.
- **Comparing rankings**: Kendall's rank correlation (tau-b, which handles ties; M. G. Kendall,
  "The treatment of ties in ranking problems", *Biometrika* 33, 1945; computed in O(n log n)
  after W. R. Knight, "A computer method for calculating Kendall's tau with ungrouped data",
  *JASA* 61, 1966) and the items that move most between two rankings.
- **Sensitivity** of an item's rank to one estimate (the sliders of the exercises).
- **Fitting a capacity**: taking items greedily in score order versus the best subset (the 0/1
  knapsack problem, solved exactly by dynamic programming), with an explanation of the gap.
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

__all__ = [
    "CONFIDENCE_SCALE",
    "COST_FIELD",
    "IMPACT_SCALE",
    "METHODS",
    "MUST_SHARE_LIMIT",
    "WSJF_SCALE",
    "BacklogError",
    "CapacityPlan",
    "MoscowCheck",
    "biggest_moves",
    "compare_plans",
    "fit_capacity_best",
    "fit_capacity_greedy",
    "kendall_tau",
    "moscow_check",
    "rice_score",
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
#: Finest cost granularities tried when costs are turned into whole steps for the exact plan.
_GRANULARITIES = (1, 2, 4, 10, 20, 100)
#: How many problems a :class:`BacklogError` message lists before summarising the rest.
MAX_LISTED = 10

_MOSCOW = {"must": "Must", "should": "Should", "could": "Could", "won't": "Won't", "wont": "Won't"}
_MOSCOW_LETTERS = {"m": "Must", "s": "Should", "c": "Could", "w": "Won't"}
_MORE = re.compile(r"^.*: … and (\d+) more items like these$")
_UNITS = {"effort": "person-months", "job_size": "job-size points"}
_SHORT_UNITS = {"person-months": "pm", "job-size points": "pts"}


class BacklogError(ValueError):
    """A backlog could not be scored; :attr:`issues` lists every reason found (item first)."""

    def __init__(self, issues: Sequence[str]):
        self.issues = list(issues)
        summaries = [_MORE.match(i) for i in self.issues]
        n = sum(int(m.group(1)) if m else 1 for m in summaries)
        if n == 1:
            message = self.issues[0]
        else:
            listed = "\n".join(f"- {i}" for i in self.issues[:MAX_LISTED])
            more = len(self.issues) - MAX_LISTED
            more = f"\n- … and {more} more" if more > 0 else ""
            message = f"{n} problems found:\n{listed}{more}"
        super().__init__(message)


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

    Cost of delay = user-business value + time criticality + risk reduction / opportunity
    enablement. SAFe estimates all four relatively on the modified Fibonacci scale
    (:data:`WSJF_SCALE`, 1 to 20); any number of at least 0 is accepted here (job size above
    0), since the formula does not depend on the scale.

    Sources: Scaled Agile Framework, "Weighted Shortest Job First",
    https://scaledagileframework.com/wsjf/ ; D. G. Reinertsen, *The Principles of Product
    Development Flow* (2009), where WSJF is cost of delay divided by duration ("CD3"). In the
    Scaled Agile WSJF template a feature with job size 5, value 8, time criticality 5 and risk
    reduction 13 has cost of delay 26 and WSJF 26 ÷ 5 = 5.2.
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


def score_backlog(df: pd.DataFrame, method: str = "rice") -> pd.DataFrame:
    """Score and rank every item of a backlog by ``method`` (``"rice"`` or ``"wsjf"``).

    ``df`` needs ``item_id`` (unique) and the method's estimates: ``reach``, ``impact``,
    ``confidence`` (percent) and ``effort`` for RICE (:func:`rice_score`);
    ``business_value``, ``time_criticality``, ``risk_reduction`` and ``job_size`` for WSJF
    (:func:`wsjf`). Numbers given as text (an imported file) are converted.

    Returns a new frame sorted by rank with the input's columns (estimates as numbers) plus
    ``score`` (rounded to 2 decimals; WSJF also adds ``cost_of_delay``) and ``rank`` (1 =
    do first). Ties are broken deterministically: higher score first, then lower cost
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
    if method == "rice":
        numerator = columns["reach"] * columns["impact"] * columns["confidence"]
        score = (numerator / (100 * columns["effort"])).round(2)
    else:
        cost_of_delay = (
            columns["business_value"] + columns["time_criticality"] + columns["risk_reduction"]
        )
        table["cost_of_delay"] = cost_of_delay
        score = (cost_of_delay / columns["job_size"]).round(2)
    table["score"] = score
    order = _ranked(score, columns[COST_FIELD[method]], ids)
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

    ``items`` are item ids in the order they were chosen (greedy) or in score order (best);
    ``skipped`` lists items that came up in greedy order but did not fit (greedy plans only).
    """

    method: str
    capacity: float
    items: tuple[str, ...]
    total_score: float
    total_cost: float
    unused: float
    unit: str = "person-months"
    skipped: tuple[str, ...] = ()
    explanation: str = ""
    scores: Mapping[str, float] = field(default_factory=dict, repr=False)
    costs: Mapping[str, float] = field(default_factory=dict, repr=False)


def _capacity(value: object, unit: str) -> float:
    c = _number("capacity", value, f"a number of at least 0 {unit}")
    if c < 0:
        raise ValueError(f"capacity must be a number of at least 0 {unit} (got {_got(value)})")
    return c


def _plan_inputs(
    df: pd.DataFrame, score_col: str, cost_col: str
) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    missing = [c for c in (score_col, cost_col) if c not in df.columns]
    if missing:
        raise BacklogError([f"the backlog is missing column(s): {', '.join(missing)}"])
    ids = _item_ids(df)
    issues: list[str] = []
    raw_scores = df[score_col].reset_index(drop=True)
    scores = pd.to_numeric(raw_scores, errors="coerce").astype("float64")
    bad = pd.Series(~np.isfinite(scores.to_numpy()))
    if bad.any():
        issues += _numeric_issues(ids, score_col, raw_scores, scores, bad, "a number")
    raw_costs = df[cost_col].reset_index(drop=True)
    costs = pd.to_numeric(raw_costs, errors="coerce").astype("float64")
    c = costs.to_numpy()
    bad = pd.Series(~(np.isfinite(c) & (c > 0)))
    if bad.any():
        issues += _numeric_issues(ids, cost_col, raw_costs, costs, bad, "a number greater than 0")
    if issues:
        raise BacklogError(issues)
    return ids, scores.to_numpy(), costs.to_numpy()


def _fmt(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 else f"{x:,.0f}"


def _describe(
    ids: Sequence[str], scores: Mapping[str, float], costs: Mapping[str, float], unit: str
) -> str:
    parts = [f"{i} (score {_fmt(scores[i])}, {_fmt(costs[i])} {unit})" for i in ids]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def fit_capacity_greedy(
    df: pd.DataFrame,
    capacity: float,
    score_col: str = "score",
    cost_col: str = "effort",
    *,
    by: str = "score",
) -> CapacityPlan:
    """Fill ``capacity`` greedily: go down the backlog and take every item that still fits.

    ``by="score"`` goes in order of ``score_col`` (the ranking, as most teams plan);
    ``by="ratio"`` in order of score per unit of cost (``score_col ÷ cost_col``), the classic
    greedy heuristic for the knapsack problem. Ties go to the cheaper item, then to the item id
    in natural order. Items with a score of 0 or less are never taken: they add nothing.
    Greedy is fast and easy to explain, but can leave capacity unused or spend it on one large
    item where several smaller ones would add up to more; compare :func:`fit_capacity_best`.
    """
    if by not in ("score", "ratio"):
        raise ValueError(f"by must be 'score' or 'ratio' (got {by!r})")
    unit = _UNITS.get(cost_col, "units")
    cap = _capacity(capacity, unit)
    ids, scores, costs = _plan_inputs(df, score_col, cost_col)
    key = scores if by == "score" else scores / costs
    order = _ranked(pd.Series(key), pd.Series(costs), pd.Series(ids))
    left = cap
    chosen: list[str] = []
    skipped: list[str] = []
    for k in order:
        if scores[k] <= 0:
            continue
        if costs[k] <= left + 1e-9:
            chosen.append(ids[k])
            left -= costs[k]
        elif left > 1e-9:
            skipped.append(ids[k])
    score_of = dict(zip(ids, scores, strict=True))
    cost_of = dict(zip(ids, costs, strict=True))
    total_score = round(sum(score_of[i] for i in chosen), 2)
    total_cost = round(sum(cost_of[i] for i in chosen), 6)
    name = "greedy by score" if by == "score" else "greedy by score per cost"
    if chosen:
        explanation = (
            f"{name.capitalize()} took "
            f"{_describe(chosen, score_of, cost_of, _SHORT_UNITS.get(unit, unit))}: "
            f"total score {_fmt(total_score)} for {_fmt(total_cost)} of {_fmt(cap)} {unit}, "
            f"{_fmt(round(cap - total_cost, 6))} {unit} unused."
        )
    else:
        explanation = f"Nothing fits in {_fmt(cap)} {unit}."
    return CapacityPlan(
        method=name,
        capacity=cap,
        items=tuple(chosen),
        total_score=total_score,
        total_cost=total_cost,
        unused=round(cap - total_cost, 6),
        unit=unit,
        skipped=tuple(skipped[:MAX_LISTED]),
        explanation=explanation,
        scores=score_of,
        costs=cost_of,
    )


def _granularity(ids: pd.Series, costs: np.ndarray, cost_col: str) -> int:
    for factor in _GRANULARITIES:
        scaled = costs * factor
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6):
            return factor
    scaled = costs * _GRANULARITIES[-1]
    k = int(np.flatnonzero(np.abs(scaled - np.round(scaled)) >= 1e-6)[0])
    raise BacklogError(
        [
            f"{ids[k]}: {cost_col} must be a multiple of 0.01 for the exact plan "
            f"(got {_fmt(costs[k])})"
        ]
    )


def fit_capacity_best(
    df: pd.DataFrame,
    capacity: float,
    score_col: str = "score",
    cost_col: str = "effort",
) -> CapacityPlan:
    """The subset of items with the highest total score whose total cost fits ``capacity``.

    This is the 0/1 knapsack problem (each item is taken whole or not at all), solved exactly
    by dynamic programming over the capacity (G. B. Dantzig, "Discrete-variable extremum
    problems", *Operations Research* 5, 1957; any algorithms text). Costs are turned into whole
    steps at the finest granularity they need (0.5 person-months → steps of 0.5; up to 0.01),
    the capacity is rounded down to a whole step, and scores are counted in hundredths, so the
    result is exact. Among equally good sets the cheapest is chosen, then the one that keeps
    higher-ranked items. Items with a score of 0 or less are never taken.

    The table has (items × capacity steps) cells; above :data:`MAX_DP_CELLS` the function
    refuses with a message rather than run for long (plan a shorter period, or pass the top of
    the backlog). The returned plan's ``explanation`` compares it with
    :func:`fit_capacity_greedy` by score (see :func:`compare_plans`).
    """
    unit = _UNITS.get(cost_col, "units")
    cap = _capacity(capacity, unit)
    ids, scores, costs = _plan_inputs(df, score_col, cost_col)
    greedy = fit_capacity_greedy(df, cap, score_col, cost_col)
    score_of = dict(zip(ids, scores, strict=True))
    cost_of = dict(zip(ids, costs, strict=True))
    factor = _granularity(ids, costs, cost_col)
    steps = math.floor(cap * factor + 1e-9)
    weights = np.round(costs * factor).astype(np.int64)
    values = np.round(scores * 100).astype(np.int64)
    # rank order, so that among equal sets the higher-ranked items are kept
    order = _ranked(pd.Series(scores), pd.Series(costs), pd.Series(ids))
    eligible = [k for k in order if values[k] > 0 and weights[k] <= steps]
    cells = len(eligible) * (steps + 1)
    if cells > MAX_DP_CELLS:
        raise ValueError(
            f"the exact plan needs {len(eligible):,} items × {steps + 1:,} capacity steps = "
            f"{cells:,} cells, more than the limit of {MAX_DP_CELLS:,}: plan for a smaller "
            "capacity, or pass only the top of the backlog (for example the first 1,000 "
            "items by rank)"
        )
    best = np.zeros(steps + 1, dtype=np.int64)
    taken = np.zeros((len(eligible), steps + 1), dtype=bool)
    for row, k in enumerate(eligible):
        w, v = int(weights[k]), int(values[k])
        candidate = best[: steps + 1 - w] + v
        better = candidate > best[w:]
        taken[row, w:] = better
        best[w:] = np.where(better, candidate, best[w:])
    top = best[steps]
    c = int(np.argmax(best == top))  # the cheapest capacity that reaches the best total
    chosen = []
    for row in range(len(eligible) - 1, -1, -1):
        if taken[row, c]:
            k = eligible[row]
            chosen.append(ids[k])
            c -= int(weights[k])
    chosen.reverse()  # rank order
    total_score = round(sum(score_of[i] for i in chosen), 2)
    total_cost = round(sum(cost_of[i] for i in chosen), 6)
    plan = CapacityPlan(
        method="best",
        capacity=cap,
        items=tuple(chosen),
        total_score=total_score,
        total_cost=total_cost,
        unused=round(cap - total_cost, 6),
        unit=unit,
        scores=score_of,
        costs=cost_of,
    )
    return CapacityPlan(**{**plan.__dict__, "explanation": compare_plans(greedy, plan)})


def compare_plans(greedy: CapacityPlan, best: CapacityPlan) -> str:
    """Explain, in words, why the best plan differs from a greedy one (or that it does not)."""
    unit = best.unit
    scores = {**greedy.scores, **best.scores}
    costs = {**greedy.costs, **best.costs}
    short = _SHORT_UNITS.get(unit, unit)
    if set(greedy.items) == set(best.items):
        if not best.items:
            return f"Nothing fits in {_fmt(best.capacity)} {unit}."
        return (
            f"Here {greedy.method} already finds the best plan: "
            f"{_describe(best.items, scores, costs, short)}, total score "
            f"{_fmt(best.total_score)} for {_fmt(best.total_cost)} of {_fmt(best.capacity)} {unit}."
        )
    dropped = [i for i in greedy.items if i not in best.items]
    added = [i for i in best.items if i not in greedy.items]
    gain = round(best.total_score - greedy.total_score, 2)
    n = len(greedy.items)
    text = (
        f"{greedy.method.capitalize()} took {n} item{'s' if n != 1 else ''} for a total score "
        f"of {_fmt(greedy.total_score)}, using {_fmt(greedy.total_cost)} of "
        f"{_fmt(greedy.capacity)} {unit} ({_fmt(greedy.unused)} unused). "
    )
    them = "it" if len(dropped) == 1 else "them"
    text += f"{'Among them is' if len(dropped) == 1 else 'Among them are'} "
    text += f"{_describe(dropped, scores, costs, short)}: the best plan leaves {them} out"
    if added:
        text += f" and spends the {unit} on {_describe(added, scores, costs, short)} instead"
    text += (
        f", for a total score of {_fmt(best.total_score)} (+{_fmt(gain)}) with "
        f"{_fmt(best.total_cost)} {unit}. Going down the ranking and taking what fits is not "
        "the same as choosing the best set: one large item can crowd out several smaller ones "
        "that add up to more."
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
