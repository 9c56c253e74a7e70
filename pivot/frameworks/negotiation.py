"""Shift 2, soft skills: a multi-issue negotiation, scored and analysed exactly.

Pure functions (no widgets, no printing). What comes from whom:

- **Getting to Yes** (Roger Fisher and William Ury, 1981; 3rd edition with Bruce Patton, Penguin,
  2011) gives the method the page teaches in words: separate the people from the problem; focus
  on interests, not positions; invent options for mutual gain; insist on objective criteria; and
  know your BATNA, the best alternative to a negotiated agreement, before you negotiate.
- **The Art and Science of Negotiation** (Howard Raiffa, Belknap Press of Harvard University
  Press, 1982) gives the analysis this module computes: each side's *reservation value* (the
  least it will accept, set by its alternative to agreement), the *zone of agreement* (the
  packages both sides prefer to walking away), additive scoring of packages across several
  issues, and the *efficient frontier*: the packages no other package improves for one side
  without making the other worse off. Trades across issues that each side values differently
  (often called log-rolling) move a package towards that frontier.
- **The course's own choices**, not the authors': a package scores the *sum* of its options'
  points for each side (no interaction between issues); a package that meets a side's
  reservation value exactly is acceptable to that side (``>=``, see :func:`feasible`); "joint
  value" is the sum of both sides' points, used only to say how much a package leaves on the
  table compared with the packages that are better for both; the points tables are the case's,
  written for the course.

A set of :class:`Tables` holds the issues, each issue's options, each side's points for every
option, and each side's reservation value. :func:`make_tables` validates them and says exactly
what is wrong (``marcus, scope, 'Live map': points must be a number of at least 0 (got 'lots')``).
Every analysis enumerates every package, so the answers are exact; :data:`MAX_PACKAGES` keeps
that fast.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from pivot.data import plain_value, problems_message

__all__ = [
    "EPSILON",
    "MAX_PACKAGES",
    "Change",
    "Evaluation",
    "NegotiationError",
    "Tables",
    "best_joint",
    "dominates",
    "dominating",
    "evaluate",
    "feasible",
    "feasible_packages",
    "make_tables",
    "packages",
    "pareto_frontier",
    "score",
    "trade",
    "zopa_exists",
]

#: The most packages (product of the issues' option counts) a set of tables may have.
MAX_PACKAGES = 100_000
#: Scores within this of a reservation value count as meeting it (sums of decimal points).
EPSILON = 1e-9

#: A package: one option name per issue, in the tables' issue order.
Package = tuple[str, ...]


class NegotiationError(ValueError):
    """The tables (or a package) cannot be used; :attr:`problems` lists every reason found."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__(problems_message(self.problems))


@dataclass(frozen=True)
class Tables:
    """Validated negotiation tables (build them with :func:`make_tables`).

    ``issues`` maps each issue to its options, in order; ``points[side][issue][option]`` is a
    side's points for an option; ``reservations[side]`` is the least total a side accepts.
    """

    sides: tuple[str, str]
    issues: Mapping[str, tuple[str, ...]]
    points: Mapping[str, Mapping[str, Mapping[str, float]]]
    reservations: Mapping[str, float]

    @property
    def issue_names(self) -> tuple[str, ...]:
        return tuple(self.issues)

    @cached_property
    def scored(self) -> tuple[tuple[Package, tuple[float, float]], ...]:
        """Every package with its scores (first side, second side), in enumeration order."""
        a, b = self.sides
        out = []
        for pkg in itertools.product(*self.issues.values()):
            out.append((pkg, (self._total(a, pkg), self._total(b, pkg))))
        return tuple(out)

    def _total(self, side: str, pkg: Package) -> float:
        return math.fsum(
            self.points[side][issue][option] for issue, option in zip(self.issues, pkg, strict=True)
        )

    def package(self, choice: Mapping[str, str] | Sequence[str]) -> Package:
        """A package from ``{issue: option}`` or a sequence in issue order, checked."""
        if isinstance(choice, Mapping):
            problems = [
                f"package: issue {i!r} is not in the tables" for i in choice if i not in self.issues
            ]
            missing = [i for i in self.issues if i not in choice]
            problems += [f"package: choose an option for issue {i!r}" for i in missing]
            if problems:
                raise NegotiationError(problems)
            pkg = tuple(choice[i] for i in self.issues)
        else:
            pkg = tuple(choice)
            if len(pkg) != len(self.issues):
                raise NegotiationError(
                    [
                        f"package: one option for each of the {len(self.issues)} issues "
                        f"(got {len(pkg)})"
                    ]
                )
        problems = [
            f"package: issue {issue!r} has no option {option!r} "
            f"(options: {', '.join(repr(o) for o in options)})"
            for (issue, options), option in zip(self.issues.items(), pkg, strict=True)
            if option not in options
        ]
        if problems:
            raise NegotiationError(problems)
        return pkg

    def as_dict(self, pkg: Package) -> dict[str, str]:
        return dict(zip(self.issues, pkg, strict=True))


def _number(value: object) -> float | None:
    """A finite real number (not a bool), or ``None``; numeric text such as ``'12'`` counts."""
    value = plain_value(value)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _show(value: object) -> str:
    text = repr(plain_value(value))
    return text if len(text) <= 60 else text[:59] + "…"


def make_tables(
    issues: Mapping[str, Sequence[str]],
    points: Mapping[str, Mapping[str, Mapping[str, object]]],
    reservations: Mapping[str, object],
) -> Tables:
    """Validate negotiation tables and return them as :class:`Tables`.

    ``issues``: ``{issue: [option, ...]}`` (at least one issue, at least two options each, no
    option named twice within an issue, ignoring case and surrounding spaces).
    ``points``: exactly two sides, ``{side: {issue: {option: points}}}``, a number of at least 0
    for every option of every issue and nothing else. ``reservations``: ``{side: points}`` for
    both sides, each a number of at least 0. Raises :class:`NegotiationError` listing every
    problem, each naming the side, the issue, the option, the value and what was expected.
    """
    problems: list[str] = []
    if not isinstance(issues, Mapping) or not issues:
        raise NegotiationError(["issues: at least one issue, each with its options"])
    clean_issues: dict[str, tuple[str, ...]] = {}
    for issue, options in issues.items():
        name = str(issue).strip()
        if not name:
            problems.append("issues: every issue needs a name (got a blank one)")
            continue
        if isinstance(options, str) or not isinstance(options, Sequence):
            problems.append(f"{name}: a list of options (got {_show(options)})")
            continue
        opts = [str(o).strip() for o in options]
        if any(not o for o in opts):
            problems.append(f"{name}: every option needs a name (got a blank one)")
        seen: dict[str, str] = {}
        for o in opts:
            key = o.casefold()
            if o and key in seen:
                problems.append(
                    f"{name}: each option named once (got {o!r} twice"
                    + (f", as {seen[key]!r} and {o!r})" if seen[key] != o else ")")
                )
            seen.setdefault(key, o)
        distinct = len({o.casefold() for o in opts if o})
        if distinct < 2:
            problems.append(f"{name}: at least 2 differently named options (got {distinct})")
        clean_issues[name] = tuple(opts)
    if problems:
        raise NegotiationError(problems)
    n_packages = math.prod(len(o) for o in clean_issues.values())
    if n_packages > MAX_PACKAGES:
        raise NegotiationError(
            [f"issues: at most {MAX_PACKAGES:,} packages in all (these issues make {n_packages:,})"]
        )

    if not isinstance(points, Mapping) or len(points) != 2:
        count = len(points) if isinstance(points, Mapping) else 0
        raise NegotiationError([f"points: a table for each of exactly 2 sides (got {count})"])
    sides = tuple(str(s) for s in points)
    clean_points: dict[str, dict[str, dict[str, float]]] = {}
    for side, table in points.items():
        side = str(side)
        clean_points[side] = {}
        if not isinstance(table, Mapping):
            problems.append(f"{side}: a points table by issue (got {_show(table)})")
            continue
        for issue in table:
            if str(issue).strip() not in clean_issues:
                problems.append(f"{side}: points for issue {str(issue)!r}, which is not an issue")
        for issue, options in clean_issues.items():
            row = table.get(issue)
            if not isinstance(row, Mapping):
                problems.append(f"{side}, {issue}: points for each option (missing)")
                continue
            for option in row:
                if str(option).strip() not in options:
                    problems.append(
                        f"{side}, {issue}: points for option {str(option)!r}, which is not an "
                        f"option of {issue!r}"
                    )
            clean_points[side][issue] = {}
            for option in options:
                if option not in row:
                    problems.append(f"{side}, {issue}, {option!r}: points (missing)")
                    continue
                number = _number(row[option])
                if number is None or number < 0:
                    problems.append(
                        f"{side}, {issue}, {option!r}: points must be a number of at least 0 "
                        f"(got {_show(row[option])})"
                    )
                    continue
                clean_points[side][issue][option] = number

    clean_res: dict[str, float] = {}
    if not isinstance(reservations, Mapping):
        problems.append(
            f"reservations: a reservation value for each side (got {_show(reservations)})"
        )
        reservations = {}
    for side in reservations:
        if str(side) not in sides:
            problems.append(f"reservations: {str(side)!r} is not a side ({', '.join(sides)})")
    for side in sides:
        if side not in reservations:
            problems.append(f"{side}: a reservation value (missing)")
            continue
        number = _number(reservations[side])
        if number is None or number < 0:
            problems.append(
                f"{side}: reservation value must be a number of at least 0 "
                f"(got {_show(reservations[side])})"
            )
            continue
        clean_res[side] = number
    if problems:
        raise NegotiationError(problems)
    return Tables(sides, clean_issues, clean_points, clean_res)  # type: ignore[arg-type]


def packages(t: Tables) -> list[Package]:
    """Every package: one option for each issue (the product of the issues' options)."""
    return [pkg for pkg, _ in t.scored]


def score(t: Tables, package: Mapping[str, str] | Sequence[str]) -> dict[str, float]:
    """Each side's points for a package: the sum of its options' points (additive scoring,
    Raiffa 1982). ``package`` is ``{issue: option}`` or a sequence in issue order."""
    pkg = t.package(package)
    return {side: t._total(side, pkg) for side in t.sides}


def _meets(total: float, reservation: float) -> bool:
    return total >= reservation - EPSILON


def feasible(t: Tables, package: Mapping[str, str] | Sequence[str]) -> bool:
    """True when the package gives *each* side at least its reservation value.

    The course's rule: meeting a reservation exactly is acceptable (``>=``). A side that gets
    exactly what it would get by walking away has no reason to refuse, and no reason to accept
    either; the course counts it as acceptable so that the edge case has one answer.
    """
    totals = score(t, package)
    return all(_meets(totals[s], t.reservations[s]) for s in t.sides)


def feasible_packages(t: Tables) -> list[Package]:
    """The zone of agreement: every package both sides prefer to (or value as) no agreement."""
    a, b = t.sides
    ra, rb = t.reservations[a], t.reservations[b]
    return [pkg for pkg, (x, y) in t.scored if _meets(x, ra) and _meets(y, rb)]


def zopa_exists(t: Tables) -> bool:
    """Whether a zone of possible agreement exists: at least one feasible package."""
    return bool(feasible_packages(t))


def dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    """Scores ``a`` Pareto-dominate ``b``: at least as good for both sides, better for one.
    Equal scores dominate neither way (a tie)."""
    return all(x >= y for x, y in zip(a, b, strict=True)) and any(
        x > y for x, y in zip(a, b, strict=True)
    )


def dominating(t: Tables, package: Mapping[str, str] | Sequence[str]) -> list[Package]:
    """Every package better for one side and no worse for the other than ``package``,
    the best joint value first (ties in enumeration order)."""
    pkg = t.package(package)
    mine = tuple(score(t, pkg)[s] for s in t.sides)
    found = [(p, s) for p, s in t.scored if dominates(s, mine)]
    found.sort(key=lambda ps: -math.fsum(ps[1]))
    return [p for p, _ in found]


def pareto_frontier(t: Tables) -> list[Package]:
    """The efficient (Pareto) frontier: the packages no other package dominates, ordered by
    the first side's points (then the second's, descending). Packages with identical scores
    are all kept: none of them dominates another."""
    scored = t.scored
    front = [(p, s) for p, s in scored if not any(dominates(o, s) for _, o in scored)]
    front.sort(key=lambda ps: (ps[1][0], -ps[1][1]))
    return [p for p, _ in front]


def best_joint(t: Tables) -> list[Package]:
    """The feasible packages with the highest joint value (sum of both sides' points); every
    one of them if several tie; an empty list when there is no zone of agreement."""
    scores = dict(t.scored)
    inside = feasible_packages(t)
    if not inside:
        return []
    top = max(math.fsum(scores[p]) for p in inside)
    return [p for p in inside if math.fsum(scores[p]) >= top - EPSILON]


@dataclass(frozen=True)
class Change:
    """One issue on which two packages differ, and what the move is worth to each side."""

    issue: str
    before: str
    after: str
    gains: dict[str, float]


def trade(
    t: Tables, before: Mapping[str, str] | Sequence[str], after: Mapping[str, str] | Sequence[str]
) -> list[Change]:
    """The issues on which ``after`` differs from ``before``, each with every side's gain
    (negative: a concession). A trade across issues gives ground on one issue to win on
    another, where the sides weigh the issues differently."""
    a, b = t.package(before), t.package(after)
    out = []
    for issue, x, y in zip(t.issues, a, b, strict=True):
        if x != y:
            gains = {s: t.points[s][issue][y] - t.points[s][issue][x] for s in t.sides}
            out.append(Change(issue, x, y, gains))
    return out


@dataclass(frozen=True)
class Evaluation:
    """Everything the feedback says about one package."""

    package: Package
    scores: dict[str, float]
    feasible: bool
    short_of: dict[str, float]
    on_frontier: bool
    dominated_by: int
    best_better: Package | None
    left_on_table: float

    @property
    def joint(self) -> float:
        return math.fsum(self.scores.values())


def evaluate(t: Tables, package: Mapping[str, str] | Sequence[str]) -> Evaluation:
    """Score a package for both sides and say whether it is feasible, how far each side falls
    short of its reservation (0 when it meets it), whether it is on the frontier, how many
    packages dominate it, the dominating package with the most joint value, and the joint value
    that package would add (what is "left on the table")."""
    pkg = t.package(package)
    scores = score(t, pkg)
    short = {s: max(0.0, t.reservations[s] - scores[s]) for s in t.sides}
    short = {s: (0.0 if v <= EPSILON else v) for s, v in short.items()}
    better = dominating(t, pkg)
    best = better[0] if better else None
    left = 0.0
    if best is not None:
        left = math.fsum(score(t, best).values()) - math.fsum(scores.values())
    return Evaluation(
        package=pkg,
        scores=scores,
        feasible=all(v == 0 for v in short.values()),
        short_of=short,
        on_frontier=not better,
        dominated_by=len(better),
        best_better=best,
        left_on_table=left,
    )
