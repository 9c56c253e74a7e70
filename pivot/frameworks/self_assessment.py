"""Scoring the opening self-assessment on the article's four shifts.

A learner rates statements about their current habits from 1 ("not like me yet") to 5 ("this
is me"). Each shift's score is the mean of its statements' ratings. The course suggests starting
where the score is lowest, because the four shifts are the ways an engineer's habits change in
the move to product management (Rozenfeld, IEEE-USA InSight). It is a reflection aid, not a
validated psychometric instrument, and the feedback says so.

The last part of the course compares two self-assessments, the first one and a retake, with
:func:`compare` (the rules are in its docstring).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

RATING_MIN = 1
RATING_MAX = 5
#: Shifts whose scores differ by no more than this are treated as level with each other.
LEVEL_WITHIN = 0.5
#: A shift whose score moved by no more than this between two self-assessments is "about the
#: same". With three statements per shift, each step of net change (the sum of the moves, up
#: minus down) moves the shift's mean by a third of a point, so "about the same" means a net
#: change of at most one step; larger moves that cancel out count too ([2, 2, 2] → [4, 1, 2]).
STEADY_WITHIN = 0.5

__all__ = [
    "RATING_MAX",
    "RATING_MIN",
    "STEADY_WITHIN",
    "Comparison",
    "Profile",
    "check_ratings",
    "check_scores",
    "compare",
    "profile",
    "shift_scores",
]


def check_ratings(ratings: Mapping[str, object], item_ids: Sequence[str]) -> dict[str, int]:
    """Validate ratings for every item: whole numbers from 1 to 5, no unknown or missing items."""
    unknown = sorted(set(ratings) - set(item_ids))
    if unknown:
        raise ValueError(f"unknown statement id(s): {', '.join(unknown)}")
    missing = [i for i in item_ids if i not in ratings]
    if missing:
        raise ValueError(f"no rating for statement(s): {', '.join(missing)}")
    clean: dict[str, int] = {}
    for item in item_ids:
        value = ratings[item]
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise ValueError(
                f"rating for {item} must be a whole number from {RATING_MIN} to {RATING_MAX} "
                f"(got {value!r})"
            )
        if not RATING_MIN <= value <= RATING_MAX:
            raise ValueError(
                f"rating for {item} must be from {RATING_MIN} to {RATING_MAX} (got {value!r})"
            )
        clean[item] = int(value)
    return clean


def shift_scores(ratings: Mapping[str, object], item_shift: Mapping[str, int]) -> dict[int, float]:
    """Mean rating per shift, ``{shift: score}`` in shift order, rounded to 2 decimals."""
    clean = check_ratings(ratings, list(item_shift))
    by_shift: dict[int, list[int]] = {}
    for item, shift in item_shift.items():
        by_shift.setdefault(int(shift), []).append(clean[item])
    return {s: round(sum(v) / len(v), 2) for s, v in sorted(by_shift.items())}


@dataclass(frozen=True)
class Profile:
    """Where a learner stands: the shift to start with and the one to build on."""

    scores: dict[int, float]
    start: int
    strongest: int
    level_with_start: tuple[int, ...]
    spread: float

    @property
    def balanced(self) -> bool:
        """All four shifts within :data:`LEVEL_WITHIN` of each other."""
        return self.spread <= LEVEL_WITHIN

    @property
    def all_top(self) -> bool:
        return all(s == RATING_MAX for s in self.scores.values())


def profile(scores: Mapping[int, float]) -> Profile:
    """Pick the starting shift (lowest score; ties go to the earlier shift, the course order)."""
    if not scores:
        raise ValueError("no shift scores to compare")
    ordered = sorted(scores.items())
    low = min(v for _, v in ordered)
    high = max(v for _, v in ordered)
    start = next(s for s, v in ordered if v == low)
    strongest = next(s for s, v in ordered if v == high)
    level = tuple(s for s, v in ordered if s != start and v - low <= LEVEL_WITHIN)
    return Profile(dict(ordered), start, strongest, level, round(high - low, 2))


def check_scores(scores: Mapping[object, object]) -> dict[int, float]:
    """Validate shift scores ``{shift: score}``: whole-number shifts, scores from 1 to 5."""
    if not isinstance(scores, Mapping) or not scores:
        raise ValueError("no shift scores to compare")
    clean: dict[int, float] = {}
    for shift, value in scores.items():
        if isinstance(shift, bool) or not isinstance(shift, int):
            raise ValueError(f"shift must be a whole number (got {shift!r})")
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not RATING_MIN <= value <= RATING_MAX  # also refuses NaN
        ):
            raise ValueError(
                f"score for Shift {shift} must be a number from {RATING_MIN} to {RATING_MAX} "
                f"(got {value!r})"
            )
        clean[shift] = float(value)
    return dict(sorted(clean.items()))


@dataclass(frozen=True)
class Comparison:
    """Two self-assessments of the same learner side by side: see :func:`compare`."""

    first: dict[int, float]
    now: dict[int, float]
    change: dict[int, float]
    direction: dict[int, str]
    first_profile: Profile
    now_profile: Profile

    def shifts(self, direction: str) -> tuple[int, ...]:
        """The shifts that went ``"up"``, ``"down"`` or stayed ``"steady"``, in shift order."""
        return tuple(s for s, d in self.direction.items() if d == direction)

    @property
    def next_shift(self) -> int:
        """The shift to work on next: the lowest now (ties go to the earlier shift)."""
        return self.now_profile.start

    @property
    def level_with_next(self) -> tuple[int, ...]:
        """Other shifts within :data:`LEVEL_WITHIN` of the lowest now."""
        return self.now_profile.level_with_start

    @property
    def unchanged(self) -> bool:
        """Every shift has exactly the score it had the first time."""
        return all(v == 0 for v in self.change.values())


def compare(first: Mapping[int, float], now: Mapping[int, float]) -> Comparison:
    """Compare a first self-assessment with a retake, shift by shift.

    The rules, all stated to the learner on the page:

    1. **Change** per shift is ``now − first``, rounded to 2 decimals, computed from the
       two-decimal scores the learner sees (so the table adds up as printed: 2.33 − 1.67 is
       shown as 0.66, not as two thirds).
    2. **Direction**: ``"up"`` if the change is more than :data:`STEADY_WITHIN` (0.5),
       ``"down"`` if it is less than −0.5, otherwise ``"steady"``. With three statements per
       shift, the score is a mean, so what counts is the *net* change: the steps up minus the
       steps down, each worth a third of a point. A net change of one step is steady, whether
       one statement moved or several moved and cancelled out (``[2, 2, 2] → [4, 1, 2]`` is
       +0.33, steady); a net change of two steps in one direction (one statement by two, or
       two by one) counts as up or down.
    3. **What to work on next** is the lowest shift *now*, by :func:`profile`: ties go to the
       earlier shift, in the course's order, and shifts within :data:`LEVEL_WITHIN` of it are
       named as nearly as low. The first profile is kept for the record
       (``first_profile.start`` is where the learner was told to start).

    A self-rating records self-perception, so the comparison says what changed in how the
    learner rates themselves, not what they can do: a rise can be growth or a clearer picture
    of the shift, and a fall can follow from learning what the shift involves (what training
    evaluators call response-shift bias; Howard & Dailey, 1979, *Journal of Applied
    Psychology* 64(2)). The page's feedback says so; this function only computes.

    Both mappings must hold the same shifts with scores from 1 to 5 (``ValueError`` otherwise,
    naming the shift and the value).
    """
    a, b = check_scores(first), check_scores(now)
    if set(a) != set(b):
        raise ValueError(
            f"both self-assessments need the same shifts (first has {sorted(a)}, "
            f"now has {sorted(b)})"
        )
    change = {s: round(b[s] - a[s], 2) + 0.0 for s in a}  # + 0.0: no "-0.0"
    direction = {
        s: "up" if d > STEADY_WITHIN else "down" if d < -STEADY_WITHIN else "steady"
        for s, d in change.items()
    }
    return Comparison(a, b, change, direction, profile(a), profile(b))
