"""How far a group agrees on a ranking: Kendall's coefficient of concordance W.

The class view puts every learner's gut top five from Shift 3 side by side and asks how much the
class agrees. Kendall's W answers that for m rankings of the same n items:

    W = 12 S / (m² (n³ − n))

where S = Σⱼ (Rⱼ − R̄)² is the sum of squared deviations of the items' rank sums Rⱼ (each item's
ranks added over the m rankings) from their mean R̄ = m (n + 1) / 2. W is 1 when every ranking
is the same and 0 when the rank sums are all equal (no agreement at all); it cannot be negative.
The coefficient is M. G. Kendall and B. Babington Smith's, "The problem of m rankings", *The
Annals of Mathematical Statistics* 10(3), 1939, 275–287 (doi:10.1214/aoms/1177732186).

**Ties.** Tied items share the mean of the places they cover (items tied for 2nd and 3rd both
get 2.5). Ties lower the largest possible S, so the denominator is corrected:

    W = 12 S / (m² (n³ − n) − m Σ T),  T = Σ (t³ − t) over each group of t tied items

with Σ T summed over every ranking's groups of ties. This is the correction given in Kendall's
*Rank Correlation Methods* (Griffin, 1948) and in the statistics libraries that follow it (the
NAG Library's ``g08daf``, whose documented example, ten objects in three comparisons from Siegel's
*Nonparametric Statistics for the Behavioral Sciences*, McGraw-Hill, 1956, gives W = 0.828; the
unit tests check that example). With the correction, m identical rankings give W = 1 even when
they contain ties.

**Missing items** (a top five out of thirty, or a ranking that leaves items out). An item a
ranking does not place is counted as tied with every other unplaced item, below all placed ones:
they share the mean of the remaining places (with five placed out of thirty, the other
twenty-five get (6 + 30) / 2 = 18 each), and the tie correction accounts for that block. This is
a convention, not part of Kendall and Babington Smith's paper, which assumes complete rankings;
it is the usual way to treat a top-k list as a ranking with one tied block at the bottom.

**Chance.** If every ranking were a random shuffle of the same set of ranks (the same ties),
each rank sum would have variance m σ², with σ² = ((n³ − n) − T) / (12 n) the variance of one
ranking's ranks (T its tie sum), so the expected S is m ((n³ − n) − T) / 12 and the expected
(tie-corrected) W is exactly 1 / m. :func:`chance_w` returns it: with 60 learners who all pick a
top five at random, W averages about 0.017; with two, 0.5. Compare a class's W with it, not
with 0: a few learners always look as if they agree. (The derivation is the course's; the unit
tests check it by simulation.)

**Disputed items.** :func:`item_spread` reports, per item, how many rankings placed it, its mean
rank and the standard deviation of its ranks across the rankings (population standard deviation,
ties and the unplaced block included). For top-k lists the widest spread belongs to items that
split the group: first for some, left out by others. That ordering is the course's reading of
"most disputed", not a statistic with a canonical source.

No widgets, no printing. Errors name the ranking, the item and the value, e.g.
``ranking 3: the rank of B07 must be a finite number (got 'first')``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "AgreementError",
    "Concordance",
    "ItemSpread",
    "chance_w",
    "complete_ranking",
    "item_spread",
    "kendalls_w",
    "midranks",
]


class AgreementError(ValueError):
    """The rankings cannot give a coefficient of concordance (the message says why)."""


@dataclass(frozen=True)
class Concordance:
    """Kendall's W for m rankings of n items, and the numbers it is made of."""

    w: float
    """The coefficient of concordance, from 0 (no agreement) to 1 (identical rankings)."""
    w_uncorrected: float
    """W without the correction for ties (12 S / (m² (n³ − n))); equal to ``w`` without ties."""
    m: int
    """How many rankings."""
    n: int
    """How many items are ranked."""
    s: float
    """Σ (Rⱼ − R̄)², the sum of squared deviations of the rank sums from their mean."""
    ties: float
    """Σ T = Σ (t³ − t) over every group of tied items in every ranking (0 without ties)."""
    rank_sums: dict[str, float]
    """Each item's ranks added over the m rankings."""

    @property
    def chi_square(self) -> float:
        """m (n − 1) W, approximately χ² with n − 1 degrees of freedom when n is large (Kendall
        and Babington Smith 1939); reported, not used for a test here."""
        return self.m * (self.n - 1) * self.w


@dataclass(frozen=True)
class ItemSpread:
    """How the rankings placed one item."""

    item: str
    placed: int
    """How many rankings placed it (did not leave it in the unplaced block)."""
    mean_rank: float
    sd_rank: float
    """Population standard deviation of its ranks across the rankings."""
    first: int
    """How many rankings put it first (alone or tied for first)."""


def _rank_value(value: object, where: str, item: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AgreementError(f"{where}: the rank of {item} must be a finite number (got {value!r})")
    x = float(value)
    if not math.isfinite(x):
        raise AgreementError(f"{where}: the rank of {item} must be a finite number (got {value!r})")
    return x


def midranks(values: Mapping[str, float]) -> dict[str, float]:
    """Ranks 1, 2, … by ascending value; tied values share the mean of their places.

    ``{"A": 10, "B": 20, "C": 20}`` gives ``{"A": 1.0, "B": 2.5, "C": 2.5}``. The values may be
    ranks (1 = first) or any scores where lower comes first.
    """
    order = sorted(values, key=lambda k: values[k])
    out: dict[str, float] = {}
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        shared = (i + 1 + j + 1) / 2
        for k in range(i, j + 1):
            out[order[k]] = shared
        i = j + 1
    return out


def complete_ranking(
    ranking: Mapping[str, object] | Sequence[str], items: Sequence[str], *, where: str = "ranking"
) -> dict[str, float]:
    """One ranking over every item of ``items``, as midranks.

    ``ranking`` is either ``{item: rank}`` (lower first; equal ranks are ties) or an ordered list
    of items, first first (a top five). Items of ``items`` it does not place share the mean of
    the places after the placed ones (see the module docstring). An item not in ``items``, a
    repeated item in a list, or a rank that is not a finite number raises
    :class:`AgreementError`.
    """
    known = set(items)
    if len(known) != len(items):
        raise AgreementError("each item may be listed only once in items")
    if isinstance(ranking, Mapping):
        given = {}
        for item, value in ranking.items():
            if item not in known:
                raise AgreementError(f"{where}: {item!r} is not one of the items ranked")
            given[item] = _rank_value(value, where, item)
    elif isinstance(ranking, Sequence) and not isinstance(ranking, str | bytes):
        given = {}
        for place, item in enumerate(ranking, 1):
            if item not in known:
                raise AgreementError(f"{where}: {item!r} is not one of the items ranked")
            if item in given:
                raise AgreementError(f"{where}: {item} is listed twice")
            given[item] = float(place)
    else:
        raise AgreementError(
            f"{where}: a ranking must be a mapping of item to rank or a list of items "
            f"(got {type(ranking).__name__})"
        )
    ranks = midranks(given)
    rest = [i for i in items if i not in ranks]
    if rest:
        shared = (len(ranks) + 1 + len(items)) / 2
        ranks.update(dict.fromkeys(rest, shared))
    return {i: ranks[i] for i in items}


def _tie_sum(ranks: Mapping[str, float]) -> float:
    counts: dict[float, int] = {}
    for r in ranks.values():
        counts[r] = counts.get(r, 0) + 1
    return float(sum(t**3 - t for t in counts.values() if t > 1))


def _completed(
    rankings: Sequence[Mapping[str, object] | Sequence[str]], items: Sequence[str] | None
) -> tuple[list[str], list[dict[str, float]]]:
    if isinstance(rankings, Mapping | str | bytes) or not isinstance(rankings, Sequence):
        raise AgreementError("rankings must be a list of rankings")
    if items is None:
        seen: dict[str, None] = {}
        for r in rankings:
            for item in r.keys() if isinstance(r, Mapping) else r:
                seen.setdefault(item, None)
        items = list(seen)
    items = list(items)
    done = [complete_ranking(r, items, where=f"ranking {k}") for k, r in enumerate(rankings, 1)]
    return items, done


def kendalls_w(
    rankings: Sequence[Mapping[str, object] | Sequence[str]],
    items: Sequence[str] | None = None,
    *,
    correct_ties: bool = True,
) -> Concordance:
    """Kendall's coefficient of concordance W of ``rankings`` (see the module docstring).

    Each ranking is ``{item: rank}`` or an ordered list of items (first first). ``items`` is the
    set ranked (default: every item any ranking names, in order of first appearance); items a
    ranking leaves out share the bottom places. ``correct_ties=False`` gives the uncorrected W.

    Raises :class:`AgreementError` with fewer than two rankings (one ranking always "agrees"
    with itself, which says nothing), fewer than two items, or when no ranking orders any item
    above another (every ranking one block of ties), where W is not defined.
    """
    items, done = _completed(rankings, items)
    m, n = len(done), len(items)
    if m < 2:
        raise AgreementError(
            f"agreement needs at least two rankings (got {m}): one ranking always agrees "
            "with itself"
        )
    if n < 2:
        raise AgreementError(f"agreement needs at least two items to rank (got {n})")
    sums = {i: math.fsum(r[i] for r in done) for i in items}
    mean = m * (n + 1) / 2
    s = math.fsum((v - mean) ** 2 for v in sums.values())
    ties = math.fsum(_tie_sum(r) for r in done)
    full = m * m * (n**3 - n)
    denominator = full - m * ties if correct_ties else full
    if denominator <= 0:
        raise AgreementError(
            "no ranking puts any item above another (every item tied), so W is not defined"
        )
    w_unc = 12 * s / full
    w = min(1.0, max(0.0, 12 * s / denominator))
    return Concordance(w, w_unc if correct_ties else w, m, n, s, ties, sums)


def chance_w(m: int) -> float:
    """The expected W when each of ``m`` rankings is a random shuffle of the same ranks: 1 / m
    (see the module docstring). Raises :class:`AgreementError` for fewer than two rankings."""
    if isinstance(m, bool) or not isinstance(m, int) or m < 2:
        raise AgreementError(f"chance agreement needs at least two rankings (got {m!r})")
    return 1 / m


def item_spread(
    rankings: Sequence[Mapping[str, object] | Sequence[str]], items: Sequence[str] | None = None
) -> list[ItemSpread]:
    """Per item: how many rankings placed it, its mean rank, the spread of its ranks and how
    many put it first; widest spread first (then most often placed, then the item's order).

    Uses the same completed rankings as :func:`kendalls_w`, so the two always agree. An empty
    list of rankings gives ``[]``.
    """
    if not rankings:
        return []
    items, done = _completed(rankings, items)
    named = [set(r.keys()) if isinstance(r, Mapping) else set(r) for r in rankings]
    spreads = []
    for position, item in enumerate(items):
        ranks = [r[item] for r in done]
        mean = math.fsum(ranks) / len(ranks)
        sd = math.sqrt(math.fsum((x - mean) ** 2 for x in ranks) / len(ranks))
        placed = sum(1 for names in named if item in names)
        first = sum(
            1
            for r, names in zip(done, named, strict=True)
            if item in names and r[item] == min(r.values())
        )
        spreads.append((ItemSpread(item, placed, mean, sd, first), position))
    spreads.sort(key=lambda t: (-round(t[0].sd_rank, 12), -t[0].placed, t[1]))
    return [s for s, _ in spreads]
