"""Scoring the opening self-assessment on the article's four shifts.

A learner rates statements about their current habits from 1 ("not like me yet") to 5 ("this
is me"). Each shift's score is the mean of its statements' ratings. The course suggests starting
where the score is lowest, because the four shifts are the ways an engineer's habits change in
the move to product management (Rozenfeld, IEEE-USA InSight). It is a reflection aid, not a
validated psychometric instrument, and the feedback says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

RATING_MIN = 1
RATING_MAX = 5
#: Shifts whose scores differ by no more than this are treated as level with each other.
LEVEL_WITHIN = 0.5

__all__ = [
    "RATING_MAX",
    "RATING_MIN",
    "Profile",
    "check_ratings",
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
