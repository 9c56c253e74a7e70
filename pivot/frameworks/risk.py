"""Shift 4, get comfortable with failure: a risk register, where its matrix misleads, and which
assumption to test first.

Pure functions (no widgets, no printing). What comes from whom:

- **The probability × impact register.** The PMI's *PMBOK Guide* (6th ed., 2017, process 11.3
  "Perform Qualitative Risk Analysis") prioritises risks by assessing and combining their
  probability and impact, in a probability and impact matrix. The scales,
  the score and the bands below are **the course's own choice**, stated here so every page uses
  the same ones: likelihood 1–5 and impact 1–5 (:data:`LIKELIHOOD_SCALE`,
  :data:`IMPACT_SCALE`), ``score = likelihood × impact`` (1–25, a whole number, so no rounding),
  and bands ``low`` 1–4, ``medium`` 5–9, ``high`` 10–25 (:data:`BANDS`). Each risk may also
  carry the *quantitative* estimates the ratings stand for: a probability (0–1) and a cost if it
  happens (any one unit, the same for every risk, such as person-days), whose product is
  the **expected loss**.
- **What is wrong with risk matrices** (Louis Anthony (Tony) Cox, Jr., "What's wrong with risk
  matrices?", *Risk Analysis* 28(2), 2008, doi:10.1111/j.1539-6924.2008.01030.x). His abstract
  lists four limitations: *poor resolution* (a typical matrix can compare unambiguously only a
  small fraction of randomly chosen pairs of hazards, and gives identical ratings to
  quantitatively very different risks, which he calls "range compression"); *errors* (a matrix
  can give a higher qualitative rating to a quantitatively smaller risk, and for risks whose
  frequency and severity are negatively correlated it can be "worse than useless"); *suboptimal
  resource allocation*; and *ambiguous inputs and outputs*. :func:`hidden_differences` makes
  the first two computable on a register that has the quantitative columns: pairs in the same
  cell or band whose expected losses differ by more than a factor (:data:`DEFAULT_FACTOR`, 3),
  and pairs the matrix score ranks in the opposite order to their expected loss. The factor,
  the use of expected loss (probability × cost) as the quantitative risk and the pairwise
  checks are this module's way of showing his points on a small register, not a procedure
  from his paper.
- **Assumption mapping** (David J. Bland and Alexander Osterwalder, *Testing Business Ideas*,
  Wiley, 2019): place each assumption behind an idea by how important it is to the idea and
  how much evidence there is for it; test first the important ones with the least evidence.
  The scales (:data:`IMPORTANCE_SCALE`, :data:`EVIDENCE_SCALE`, both 1–5), the
  "exposure" ``importance × (6 − evidence)`` and the tie-breaking order in
  :func:`order_assumptions` are the course's.

Inputs are plain mappings (one per risk or assumption, as a page or a CSV row gives them);
:func:`make_register` and :func:`make_assumptions` validate them and raise :class:`RiskError`
listing every problem, each naming the row, the field and the value.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pivot.data import plain_value, problems_message

__all__ = [
    "ASSUMPTION_KINDS",
    "BANDS",
    "DEFAULT_FACTOR",
    "EVIDENCE_SCALE",
    "IMPACT_SCALE",
    "IMPORTANCE_SCALE",
    "KINDS",
    "LIKELIHOOD_SCALE",
    "PICK_KINDS",
    "Assumption",
    "HiddenDifferences",
    "Pair",
    "PickVerdict",
    "RankedAssumption",
    "Risk",
    "RiskError",
    "band",
    "cell_counts",
    "exposure",
    "hidden_differences",
    "judge_pick",
    "kind_counts",
    "make_assumptions",
    "make_register",
    "missing_kinds",
    "order_assumptions",
    "quadrant",
    "rank_register",
    "score",
    "unaddressed",
]

LIKELIHOOD_SCALE: Mapping[int, str] = {
    1: "rare",
    2: "unlikely",
    3: "possible",
    4: "likely",
    5: "almost certain",
}
"""Likelihood ratings, 1–5 (the course's wording)."""

IMPACT_SCALE: Mapping[int, str] = {
    1: "negligible",
    2: "minor",
    3: "moderate",
    4: "major",
    5: "severe",
}
"""Impact ratings, 1–5 (the course's wording)."""

BANDS: tuple[tuple[str, int, int], ...] = (("low", 1, 4), ("medium", 5, 9), ("high", 10, 25))
"""Bands of ``likelihood × impact``, inclusive bounds (the course's cut-offs)."""

KINDS: tuple[str, ...] = ("value", "usability", "feasibility", "viability")
"""Cagan's four big risks (*Inspired*, 2nd ed., 2017), taught in Shift 3."""

ASSUMPTION_KINDS: tuple[str, ...] = ("desirability", "viability", "feasibility", "usability")
"""The kinds of assumption the Shift 4 assumption map uses."""

DEFAULT_FACTOR = 3.0
"""Two risks rated alike whose expected losses differ by more than this factor are flagged."""

IMPORTANCE_SCALE: Mapping[int, str] = {
    1: "the idea survives easily if this is wrong",
    2: "minor setback if wrong",
    3: "the idea needs rework if wrong",
    4: "the idea is badly damaged if wrong",
    5: "the idea fails if wrong",
}
EVIDENCE_SCALE: Mapping[int, str] = {
    1: "none: opinion or a hunch",
    2: "anecdotes: a few conversations",
    3: "some data: what people say, systematically collected",
    4: "good data: what people do, in a test",
    5: "strong: repeated behaviour at scale",
}

TEST_FIRST_IMPORTANCE = 4
"""Importance at or above this, with evidence at or below :data:`TEST_FIRST_EVIDENCE`, is the
"test first" quadrant."""
TEST_FIRST_EVIDENCE = 2

MAX_TEXT = 500


class RiskError(ValueError):
    """A register or assumption list could not be used; :attr:`problems` lists every reason."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__(problems_message(self.problems))


# --- scoring --------------------------------------------------------------------------------
def _rating(value: object) -> int | None:
    value = plain_value(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= 5 else None
    if isinstance(value, float) and value.is_integer():
        return int(value) if 1 <= value <= 5 else None
    if isinstance(value, str) and value.strip().isdigit():
        return _rating(int(value.strip()))
    return None


def score(likelihood: int, impact: int) -> int:
    """``likelihood × impact`` on the 1–5 scales, a whole number from 1 to 25."""
    for field, value in (("likelihood", likelihood), ("impact", impact)):
        if _rating(value) is None:
            raise RiskError([f"{field}: expected a whole number from 1 to 5, got {value!r}"])
    return int(_rating(likelihood)) * int(_rating(impact))  # type: ignore[arg-type]


def band(value: int) -> str:
    """The band of a score (``low`` 1–4, ``medium`` 5–9, ``high`` 10–25)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RiskError([f"score: expected a whole number from 1 to 25, got {value!r}"])
    for name, low, high in BANDS:
        if low <= value <= high:
            return name
    raise RiskError([f"score: expected a whole number from 1 to 25, got {value!r}"])


# --- the register ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Risk:
    """One validated row of a risk register."""

    risk_id: str
    description: str
    likelihood: int
    impact: int
    kind: str | None = None
    owner: str | None = None
    next_step: str | None = None
    probability: float | None = None
    cost: float | None = None

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> str:
        return band(self.score)

    @property
    def cell(self) -> tuple[int, int]:
        return (self.likelihood, self.impact)

    @property
    def expected_loss(self) -> float | None:
        """``probability × cost``, or None without both estimates."""
        if self.probability is None or self.cost is None:
            return None
        return self.probability * self.cost


def _text(row: Mapping, field: str, where: str, problems: list[str], required: bool) -> str | None:
    value = plain_value(row.get(field))
    if value is None or (isinstance(value, float) and math.isnan(value)):
        value = ""
    if not isinstance(value, str):
        problems.append(f"{where}, {field}: expected text, got {value!r}")
        return None
    text = value.strip()
    if not text:
        if required:
            problems.append(f"{where}, {field}: must not be empty")
        return None
    if len(text) > MAX_TEXT:
        problems.append(f"{where}, {field}: at most {MAX_TEXT} characters (got {len(text)})")
        return None
    return text


def _optional_number(row: Mapping, field: str, where: str, problems: list[str]) -> float | None:
    value = plain_value(row.get(field))
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            problems.append(f"{where}, {field}: expected a number, got {value!r}")
            return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(f"{where}, {field}: expected a number, got {value!r}")
        return None
    return float(value)


def _rated_rows(
    rows: Iterable[Mapping[str, object]],
    *,
    empty: str,
    fields: tuple[str, str, tuple[str, str]],
    kinds: Sequence[str],
    more: Callable[[Mapping, str, list[str]], dict[str, object]] | None = None,
) -> list[dict[str, object]]:
    """Validate rows that each have an id, a text, two 1–5 ratings and an optional kind.

    ``empty`` is the message for no rows; ``fields`` is ``(id field, text field, (rating
    field, rating field))``; ``more(row, where,
    problems)`` reads a row's other fields. Returns one dict per row (every field read, ratings
    as ints); raises :class:`RiskError` naming every problem of every row, each prefixed with
    where it is (``row 2 (R02), likelihood: …``).
    """
    id_field, text_field, rating_fields = fields
    problems: list[str] = []
    out: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    rows = list(rows)
    if not rows:
        raise RiskError([empty])
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            problems.append(f"row {i}: expected a mapping of fields, got {type(row).__name__}")
            continue
        start = len(problems)
        rid = _text(row, id_field, f"row {i}", problems, required=True)
        where = f"row {i}" + (f" ({rid})" if rid else "")
        if rid is not None:
            if rid in seen:
                problems.append(f"{where}, {id_field}: duplicates row {seen[rid]}")
            else:
                seen[rid] = i
        parsed: dict[str, object] = {id_field: rid}
        parsed[text_field] = _text(row, text_field, where, problems, required=True)
        for field in rating_fields:
            r = _rating(row.get(field))
            if r is None:
                problems.append(
                    f"{where}, {field}: expected a whole number from 1 to 5, "
                    f"got {plain_value(row.get(field))!r}"
                )
            parsed[field] = r
        kind = _text(row, "kind", where, problems, required=False)
        if kind is not None and kind not in kinds:
            problems.append(f"{where}, kind: expected one of {', '.join(kinds)}, got {kind!r}")
        parsed["kind"] = kind
        if more is not None:
            parsed.update(more(row, where, problems))
        if len(problems) == start:
            out.append(parsed)
    if problems:
        raise RiskError(problems)
    return out


def _register_extras(row: Mapping, where: str, problems: list[str]) -> dict[str, object]:
    """A register row's owner, next step, and probability and cost (both or neither)."""
    owner = _text(row, "owner", where, problems, required=False)
    next_step = _text(row, "next_step", where, problems, required=False)
    probability = _optional_number(row, "probability", where, problems)
    if probability is not None and not 0.0 <= probability <= 1.0:
        problems.append(f"{where}, probability: expected 0 to 1, got {probability!r}")
    cost = _optional_number(row, "cost", where, problems)
    if cost is not None and cost < 0:
        problems.append(f"{where}, cost: expected a number of at least 0, got {cost!r}")
    if (probability is None) != (cost is None):
        missing = "cost" if cost is None else "probability"
        problems.append(
            f"{where}, {missing}: give probability and cost together (or neither), "
            f"got only {'probability' if cost is None else 'cost'}"
        )
    return {"owner": owner, "next_step": next_step, "probability": probability, "cost": cost}


def make_register(rows: Iterable[Mapping[str, object]]) -> tuple[Risk, ...]:
    """Validate register rows (mappings with ``risk_id``, ``description``, ``likelihood``,
    ``impact``, and optionally ``kind``, ``owner``, ``next_step``, ``probability``, ``cost``).

    ``probability`` must be from 0 to 1 and ``cost`` at least 0; give both or neither. Raises
    :class:`RiskError` naming every problem (``row 2 (R02), likelihood: expected a whole number
    from 1 to 5, got 6``).
    """
    parsed = _rated_rows(
        rows,
        empty="register: expected at least one risk, got none",
        fields=("risk_id", "description", ("likelihood", "impact")),
        kinds=KINDS,
        more=_register_extras,
    )
    return tuple(
        Risk(
            str(r["risk_id"]),
            str(r["description"]),
            int(r["likelihood"]),  # type: ignore[call-overload]
            int(r["impact"]),  # type: ignore[call-overload]
            r["kind"],  # type: ignore[arg-type]
            r["owner"],  # type: ignore[arg-type]
            r["next_step"],  # type: ignore[arg-type]
            r["probability"],  # type: ignore[arg-type]
            r["cost"],  # type: ignore[arg-type]
        )
        for r in parsed
    )


def rank_register(register: Sequence[Risk]) -> list[Risk]:
    """The register as the matrix orders it: score descending, then impact descending (a
    severe risk before a frequent one of the same score), then register order."""
    order = {r.risk_id: i for i, r in enumerate(register)}
    return sorted(register, key=lambda r: (-r.score, -r.impact, order[r.risk_id]))


def cell_counts(register: Sequence[Risk]) -> dict[tuple[int, int], list[str]]:
    """Risk ids in each (likelihood, impact) cell, every one of the 25 cells present."""
    cells: dict[tuple[int, int], list[str]] = {
        (lk, im): [] for lk in range(1, 6) for im in range(1, 6)
    }
    for r in register:
        cells[r.cell].append(r.risk_id)
    return cells


# --- Cox's critique, computed ---------------------------------------------------------------
@dataclass(frozen=True)
class Pair:
    """Two risks the matrix treats in a way their numbers do not support."""

    first: str
    second: str
    kind: str
    """``"same_cell"``, ``"same_band"`` or ``"reversed"``."""
    ratio: float
    """Larger expected loss over the smaller (``math.inf`` when the smaller is 0)."""
    why: str


@dataclass(frozen=True)
class HiddenDifferences:
    """What :func:`hidden_differences` found."""

    factor: float
    compressed: tuple[Pair, ...]
    """Pairs in the same cell or band whose expected losses differ by more than ``factor``."""
    reversed: tuple[Pair, ...]
    """Pairs the matrix score ranks in the opposite order to their expected loss."""
    skipped: tuple[str, ...]
    """Risks without probability and cost, left out of every comparison."""

    @property
    def any(self) -> bool:
        return bool(self.compressed or self.reversed)


def _ratio(a: float, b: float) -> float:
    hi, lo = max(a, b), min(a, b)
    if hi == 0:
        return 1.0
    return math.inf if lo == 0 else hi / lo


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:,.3g}"


def hidden_differences(
    register: Sequence[Risk], factor: float = DEFAULT_FACTOR
) -> HiddenDifferences:
    """Where the matrix hides or reverses a real difference, on the risks that have both a
    probability and a cost (Cox 2008's "range compression" and "errors", made computable).

    - **Compressed:** two risks in the same cell, or in different cells of the same band, whose
      expected losses differ by more than ``factor`` (strictly; a zero expected loss against a
      positive one always counts). Same-cell pairs are reported as ``same_cell`` and not again
      as ``same_band``.
    - **Reversed:** two risks where one has the strictly higher matrix score but the strictly
      smaller expected loss. The ``why`` says whether the bands are reversed too.

    Pairs come in register order (``first`` before ``second``), compressed same-cell pairs
    first, then same-band; deterministic for a given register.
    """
    f = float(factor) if not isinstance(factor, bool) and isinstance(factor, int | float) else None
    if f is None or not math.isfinite(f) or f < 1:
        raise RiskError([f"factor: expected a number of at least 1, got {factor!r}"])
    quantified = [r for r in register if r.expected_loss is not None]
    skipped = tuple(r.risk_id for r in register if r.expected_loss is None)
    same_cell: list[Pair] = []
    same_band: list[Pair] = []
    reversed_: list[Pair] = []
    for a, b in itertools.combinations(quantified, 2):
        ea, eb = float(a.expected_loss), float(b.expected_loss)  # type: ignore[arg-type]
        ratio = _ratio(ea, eb)
        if a.band == b.band and ratio > f:
            big, small = (a, b) if ea >= eb else (b, a)
            times = "infinitely" if math.isinf(ratio) else f"{ratio:.1f} times"
            where = f"the same cell {a.cell}" if a.cell == b.cell else f"the same {a.band} band"
            why = (
                f"{a.risk_id} and {b.risk_id} sit in {where}, but {big.risk_id}'s expected loss "
                f"({_fmt(big.expected_loss)}) is {times} {small.risk_id}'s "  # type: ignore[arg-type]
                f"({_fmt(small.expected_loss)})."  # type: ignore[arg-type]
            )
            pair = Pair(
                a.risk_id, b.risk_id, "same_cell" if a.cell == b.cell else "same_band", ratio, why
            )
            (same_cell if a.cell == b.cell else same_band).append(pair)
        if a.score != b.score and ea != eb and (a.score > b.score) != (ea > eb):
            hi, lo = (a, b) if a.score > b.score else (b, a)
            bands = ", a higher band" if hi.band != lo.band else f", both {hi.band}"
            why = (
                f"The matrix ranks {hi.risk_id} (score {hi.score}{bands}) above {lo.risk_id} "
                f"(score {lo.score}), but {lo.risk_id}'s expected loss "
                f"({_fmt(lo.expected_loss)}) is larger than {hi.risk_id}'s "  # type: ignore[arg-type]
                f"({_fmt(hi.expected_loss)})."  # type: ignore[arg-type]
            )
            reversed_.append(Pair(a.risk_id, b.risk_id, "reversed", ratio, why))
    return HiddenDifferences(f, tuple(same_cell + same_band), tuple(reversed_), skipped)


# --- assumption mapping ---------------------------------------------------------------------
@dataclass(frozen=True)
class Assumption:
    """One validated assumption: what must be true, rated for importance and evidence."""

    assumption_id: str
    statement: str
    importance: int
    evidence: int
    kind: str | None = None


@dataclass(frozen=True)
class RankedAssumption:
    rank: int
    assumption: Assumption
    exposure: int
    quadrant: str


def make_assumptions(rows: Iterable[Mapping[str, object]]) -> tuple[Assumption, ...]:
    """Validate assumption rows (``assumption_id``, ``statement``, ``importance`` 1–5,
    ``evidence`` 1–5, optional ``kind`` from :data:`ASSUMPTION_KINDS`); raises
    :class:`RiskError` naming every problem."""
    parsed = _rated_rows(
        rows,
        empty="assumptions: expected at least one assumption, got none",
        fields=("assumption_id", "statement", ("importance", "evidence")),
        kinds=ASSUMPTION_KINDS,
    )
    return tuple(
        Assumption(
            str(r["assumption_id"]),
            str(r["statement"]),
            int(r["importance"]),  # type: ignore[call-overload]
            int(r["evidence"]),  # type: ignore[call-overload]
            r["kind"],  # type: ignore[arg-type]
        )
        for r in parsed
    )


def exposure(importance: int, evidence: int) -> int:
    """``importance × (6 − evidence)``: 25 for a critical assumption with no evidence, 1 for
    an unimportant one with strong evidence."""
    for field, value in (("importance", importance), ("evidence", evidence)):
        if _rating(value) is None:
            raise RiskError([f"{field}: expected a whole number from 1 to 5, got {value!r}"])
    return int(_rating(importance)) * (6 - int(_rating(evidence)))  # type: ignore[arg-type]


def quadrant(importance: int, evidence: int) -> str:
    """``"test first"`` (importance 4–5 and evidence 1–2), ``"important, some evidence"``
    (importance 4–5, evidence 3–5), or ``"less important"`` (importance 1–3)."""
    exposure(importance, evidence)  # validates both
    if int(importance) >= TEST_FIRST_IMPORTANCE:
        if int(evidence) <= TEST_FIRST_EVIDENCE:
            return "test first"
        return "important, some evidence"
    return "less important"


def order_assumptions(assumptions: Sequence[Assumption]) -> list[RankedAssumption]:
    """The assumptions in the order to test them: exposure descending; ties broken by
    importance descending (a critical assumption with some evidence before a minor one with
    none: 5 × (6 − 4) = 2 × (6 − 1) = 10), then the order given (equal exposure and importance
    imply equal evidence). Ranks are 1, 2, 3, … with no shared ranks, so the order is the same
    on every run for the same input."""
    indexed = list(enumerate(assumptions))
    indexed.sort(
        key=lambda ia: (
            -exposure(ia[1].importance, ia[1].evidence),
            -ia[1].importance,
            ia[0],
        )
    )
    return [
        RankedAssumption(
            rank, a, exposure(a.importance, a.evidence), quadrant(a.importance, a.evidence)
        )
        for rank, (_, a) in enumerate(indexed, start=1)
    ]


# --- which assumption to test first (Shift 4, assumption-map page) --------------------------
PICK_KINDS: tuple[str, ...] = (
    "riskiest",
    "tied",
    "test first",
    "important, some evidence",
    "less important",
)
"""What :func:`judge_pick` can say about the assumption chosen to test first: the riskiest
(rank 1); tied with it (same exposure and importance, hence the same evidence); another in
the "test first" quadrant; important but already with some evidence; or less important."""


@dataclass(frozen=True)
class PickVerdict:
    """The verdict on one pick, against an ordering from :func:`order_assumptions`."""

    kind: str
    """One of :data:`PICK_KINDS`."""
    pick: RankedAssumption
    riskiest: RankedAssumption
    """Rank 1 of the ordering the pick was judged against."""
    why: str

    @property
    def good(self) -> bool:
        """True for the riskiest assumption or one tied with it."""
        return self.kind in ("riskiest", "tied")


def _rated(r: RankedAssumption) -> str:
    a = r.assumption
    return (
        f"{a.assumption_id} (importance {a.importance}, evidence {a.evidence}: "
        f"{a.importance} × (6 − {a.evidence}) = {r.exposure})"
    )


def judge_pick(ranked: Sequence[RankedAssumption], pick_id: str) -> PickVerdict:
    """Judge the assumption chosen to test first against ``ranked`` (the output of
    :func:`order_assumptions`): the riskiest is the important one with the least evidence, so
    the pick is compared with rank 1 by quadrant, importance, evidence and exposure.

    - ``riskiest``: the pick is rank 1;
    - ``tied``: same exposure and importance as rank 1 (so the same evidence): either is right;
    - ``test first``: in the "test first" quadrant, but rank 1 is more important or has less
      evidence, so it comes next, not first;
    - ``important, some evidence``: important, but its evidence already exceeds the "test
      first" limit: a test would mostly confirm what is known;
    - ``less important``: even if it is wrong, the idea survives with rework.

    Raises :class:`RiskError` for an empty ordering or an id it does not hold.
    """
    if not ranked:
        raise RiskError(["assumptions: expected at least one ranked assumption, got none"])
    by_id = {r.assumption.assumption_id: r for r in ranked}
    if not isinstance(pick_id, str) or pick_id not in by_id:
        raise RiskError([f"pick: expected one of {', '.join(by_id)}, got {pick_id!r}"])
    pick, top = by_id[pick_id], ranked[0]
    p, t = pick.assumption, top.assumption
    if pick is top:
        kind = "riskiest"
        why = (
            f"{_rated(pick)} has the highest exposure of all: it matters most to the idea with "
            "the least evidence for it, so a cheap test of it can change the most."
        )
    elif (pick.exposure, p.importance) == (top.exposure, t.importance):
        kind = "tied"
        why = (
            f"{_rated(pick)} ties with {_rated(top)} on importance and evidence: either is "
            "right to test first; test the cheaper one and the other straight after."
        )
    elif pick.quadrant == "test first":
        kind = "test first"
        if t.importance > p.importance and t.evidence <= p.evidence:
            reason = f"{t.assumption_id} matters more and has no more evidence"
        elif t.evidence < p.evidence and t.importance >= p.importance:
            reason = f"{t.assumption_id} is as important and has less evidence"
        else:
            reason = f"{t.assumption_id}'s importance and evidence give it the higher exposure"
        why = (
            f"{_rated(pick)} belongs in the test-first quadrant, but {reason}: "
            f"{_rated(top)}. Test {p.assumption_id} next (it is number {pick.rank}), not first."
        )
    elif pick.quadrant == top.quadrant:
        kind = pick.quadrant
        why = (
            f"{_rated(pick)} is in the same quadrant ({pick.quadrant}) as the riskiest, "
            f"{_rated(top)}, whose exposure is higher or whose importance breaks the tie: "
            f"test {t.assumption_id} first."
        )
    elif pick.quadrant == "important, some evidence":
        kind = "important, some evidence"
        why = (
            f"{_rated(pick)} matters, but there is already evidence for it: a test would mostly "
            f"confirm what you know. {_rated(top)} is as important or more, with less "
            "evidence, so testing it teaches more."
        )
    else:
        kind = "less important"
        why = (
            f"{_rated(pick)} is not important enough to test first: if it is wrong, the idea "
            f"survives with some rework. A quick check can wait; {_rated(top)} cannot."
        )
    return PickVerdict(kind, pick, top, why)


# --- what a pre-mortem register leaves out (Shift 4, pre-mortem page) -----------------------
def kind_counts(register: Sequence[Risk]) -> dict[str, int]:
    """How many risks of each of Cagan's four kinds the register holds, in :data:`KINDS` order
    (0 for a kind it lacks); risks without a kind are not counted."""
    counts = dict.fromkeys(KINDS, 0)
    for r in register:
        if r.kind in counts:
            counts[r.kind] += 1
    return counts


def missing_kinds(register: Sequence[Risk]) -> tuple[str, ...]:
    """The kinds of risk (:data:`KINDS`) no risk in the register is classified as, in
    :data:`KINDS` order: the kinds of failure the pre-mortem did not consider."""
    return tuple(k for k, n in kind_counts(register).items() if n == 0)


def unaddressed(register: Sequence[Risk]) -> list[tuple[str, tuple[str, ...]]]:
    """``(risk_id, missing)`` for every risk without an owner or without a next step, in
    register order; ``missing`` names the absent fields (``"owner"``, ``"next_step"``). A risk
    that nobody owns, or that has no next step, is one that nobody will test."""
    found = []
    for r in register:
        missing = tuple(f for f, v in (("owner", r.owner), ("next_step", r.next_step)) if not v)
        if missing:
            found.append((r.risk_id, missing))
    return found
