"""Making the move, the gaps that matter: a product-manager competency model, rated by the
learner, read against the four shifts. Pure functions, no widgets, no files.

Source of the model: the product leader R. Mehta's twelve product-manager competencies in four
areas, introduced in his article "How to Become a Peak Product Manager" (Agile Insider, on
Medium) and used to find a product manager's strengths and gaps in "What's Your Shape? A
Product Manager's Guide to Growing Yourself and Your Team" (ravi-mehta.com, 19 April 2020). The
four areas and the twelve names, and their order, are his: Product Execution (Feature
Specification, Product Delivery, Quality Assurance), Customer Insight (Fluency with Data, Voice
of the Customer, User Experience Design), Product Strategy (Business Outcome Ownership, Product
Vision & Roadmapping, Strategic Impact) and Influencing People (Stakeholder Management, Team
Leadership, Managing Up). He writes that most product managers excel at a handful of them, and
that execution matters most early in a product career while strategy and influencing people
matter more with seniority.

What the course adds, and is not Mehta's: the one-line descriptions and what "good" looks like
(in ``data/competencies.csv``, in the course's own words), the behavioural rating scale
(:data:`SCALE`), the mapping of each competency to one of the article's four shifts (Rozenfeld,
IEEE-USA InSight), which competencies a first product role leans on, the first steps and the
resources, and the rules below.

The rules (each finding says which one it is, in :attr:`Finding.kind`):

- **Profile.** A competency is rated 1 to 5 or not rated. An area's or a shift's score is the
  mean of its rated competencies, rounded to 2 decimals (``None`` when none is rated). Each
  competency counts once, for its primary shift.
- **Gap.** A competency rated :data:`GAP_AT_MOST` (2) or lower is a gap; rated
  :data:`STRENGTH_AT_LEAST` (4) or higher, a strength.
- **Gaps that matter** (:func:`gaps_that_matter`): the gaps in competencies a first product
  role leans on (``first_role == "core"``), lowest rating first, then in the model's order.
- **Two picks** (``count``): the learner picks exactly :data:`PICKS` competencies to grow;
  fewer or more is named, and nothing else is judged until there are two.
- **One verdict per pick**, in the model's order, the first that applies:

  - ``unrated``: the pick has no rating (the choice should rest on a rating);
  - ``later``: it matters more later in a product career (``first_role == "later"``), with
    the reason in its ``first_role_note``;
  - ``gap_that_matters``: it is one of the gaps that matter (the only ``good`` verdict);
  - ``strength_over_gap``: it is a strength while a gap that matters is left unpicked; flagged,
    not refused: building on a strength is a real choice, and the why should say what it gives
    that closing one of those gaps would not (the gaps named are gaps that matter, never
    competencies that matter later);
  - ``strength``: it is a strength, and no gap that matters is left unpicked;
  - ``not_a_gap``: a competency a first role leans on, rated between a gap and a strength.

- **Then notes on the pair:** ``same_area`` (both picks in one area, with the lowest other
  area); ``misses_gaps`` (neither pick is a gap that matters, while some exist: they are named)
  or ``no_gaps`` (there are none).
- **Last, the Start-here self-assessment:** its lowest shift
  (:func:`pivot.frameworks.self_assessment.profile`, ties to the earlier shift) against the
  picks' primary shifts. ``start_agrees`` (``good``) names only picks in that shift whose own
  verdict is ``gap_that_matters``; a pick in that shift with any other verdict gets
  ``start_shift_only`` (``info``: the shared shift does not make it the right pick, and the
  gaps that matter in that shift are named); ``start_differs`` when no pick is in it (again
  naming the gaps that matter there); ``no_start`` without a saved self-assessment.

So a pick never gets a ``good`` message from one rule and a warning from another, and every
competency the feedback suggests is a gap that matters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from . import self_assessment as sa
from .discovery import Check

__all__ = [
    "AREAS",
    "FIRST_ROLE",
    "GAP_AT_MOST",
    "PICKS",
    "RATING_MAX",
    "RATING_MIN",
    "SCALE",
    "SHIFTS",
    "STRENGTH_AT_LEAST",
    "Area",
    "Competency",
    "Finding",
    "area",
    "area_means",
    "check_ratings",
    "clean_ratings",
    "clean_start_scores",
    "gaps_that_matter",
    "profile_findings",
    "rating_value",
    "review_picks",
    "shift_means",
    "why_checks",
]

RATING_MIN = 1
RATING_MAX = 5
#: How many competencies the learner picks to grow (the feedback says "two").
PICKS = 2
#: A rating at or below this is a gap; at or above :data:`STRENGTH_AT_LEAST`, a strength.
GAP_AT_MOST = 2
STRENGTH_AT_LEAST = 4
#: Whether a first product role leans on a competency from the start, or later in a career.
FIRST_ROLE = ("core", "later")
SHIFTS = (1, 2, 3, 4)

#: The course's behavioural scale: what you have done, not what you believe you could do.
SCALE: dict[int, tuple[str, str]] = {
    1: ("Not yet", "I have not done this, at work or on a project of my own."),
    2: ("Seen it", "I have watched others do it, or helped with a part of it."),
    3: ("Done with help", "I have done it once or twice, with guidance or review."),
    4: ("Done on my own", "I do it without help and can show an example from the last year."),
    5: ("Others learn from me", "I do it routinely, and others come to me to learn how."),
}


@dataclass(frozen=True)
class Area:
    """One of Mehta's four areas: his name, and the course's one-line summary."""

    key: str
    name: str
    summary: str


#: Mehta's four areas, in his order; the summaries are the course's words.
AREAS: tuple[Area, ...] = (
    Area(
        "product_execution",
        "Product Execution",
        "turning a decision about what to build into a product that ships and works.",
    ),
    Area(
        "customer_insight",
        "Customer Insight",
        "knowing what users need from what they say, what they do and what the numbers show.",
    ),
    Area(
        "product_strategy",
        "Product Strategy",
        "tying what the team builds to what the business is trying to achieve.",
    ),
    Area(
        "influencing_people",
        "Influencing People",
        "bringing people with you when you cannot tell them what to do.",
    ),
)
_AREA = {a.key: a for a in AREAS}


def area(key: str) -> Area:
    """The :class:`Area` for ``key``; a clear error for an unknown key."""
    if key not in _AREA:
        raise ValueError(f"area must be one of {', '.join(_AREA)} (got {key!r})")
    return _AREA[key]


@dataclass(frozen=True)
class Competency:
    """One competency of the model, with the course's description, mapping and resources."""

    competency_id: str
    area: str
    name: str
    description: str
    shift: int
    also_shifts: tuple[int, ...]
    shift_reason: str
    good: str
    first_role: str
    first_role_note: str
    first_step: str
    chapters: tuple[str, ...]
    references: tuple[str, ...]

    @property
    def area_name(self) -> str:
        return area(self.area).name


@dataclass(frozen=True)
class Finding:
    """One piece of feedback: which rule (``kind``), how it reads (``level``: good, info or
    warn) and the sentence, plus the competencies it is about."""

    kind: str
    level: str
    text: str
    about: tuple[str, ...] = ()


# --- ratings -------------------------------------------------------------------------------------
def rating_value(value: object) -> int | None:
    """A rating as a whole number from 1 to 5, or ``None`` for anything else (0 means unset)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
        return None
    value = int(value)
    return value if RATING_MIN <= value <= RATING_MAX else None


def clean_ratings(ratings: object, ids: Iterable[str]) -> dict[str, int]:
    """The usable ratings in ``ratings`` (known ids, whole numbers 1–5), in the order of
    ``ids``; anything else is left out. Never raises."""
    if not isinstance(ratings, Mapping):
        return {}
    found = {}
    for cid in ids:
        value = rating_value(ratings.get(cid))
        if value is not None:
            found[cid] = value
    return found


def check_ratings(ratings: Mapping[str, object], ids: Sequence[str]) -> dict[str, int]:
    """Validate ratings strictly: known ids only, each a whole number from 1 to 5. Competencies
    may be left unrated. Raises ``ValueError`` naming the id and the value."""
    unknown = sorted(set(ratings) - set(ids))
    if unknown:
        raise ValueError(f"unknown competency id(s): {', '.join(map(str, unknown))}")
    for cid, value in ratings.items():
        if rating_value(value) is None:
            raise ValueError(
                f"rating for {cid} must be a whole number from {RATING_MIN} to {RATING_MAX} "
                f"(got {value!r})"
            )
    return clean_ratings(ratings, ids)


def _rated(
    clean: Mapping[str, int],
    competencies: Sequence[Competency],
    area: str | None = None,
    shift: int | None = None,
) -> list[int]:
    """The ratings of the rated competencies of one area or one (primary) shift."""
    return [
        clean[c.competency_id]
        for c in competencies
        if c.competency_id in clean
        and (area is None or c.area == area)
        and (shift is None or c.shift == shift)
    ]


def _mean(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def area_means(
    ratings: Mapping[str, int], competencies: Sequence[Competency]
) -> dict[str, float | None]:
    """Mean rating per area (Mehta's order), of the rated competencies; ``None`` if none."""
    clean = clean_ratings(ratings, [c.competency_id for c in competencies])
    return {a.key: _mean(_rated(clean, competencies, area=a.key)) for a in AREAS}


def shift_means(
    ratings: Mapping[str, int], competencies: Sequence[Competency]
) -> dict[int, float | None]:
    """Mean rating per shift (1–4), each competency counted for its primary shift only."""
    clean = clean_ratings(ratings, [c.competency_id for c in competencies])
    return {s: _mean(_rated(clean, competencies, shift=s)) for s in SHIFTS}


def gaps_that_matter(
    ratings: Mapping[str, int], competencies: Sequence[Competency]
) -> list[Competency]:
    """The gaps (rated :data:`GAP_AT_MOST` or lower) in competencies a first product role leans
    on, lowest rating first, then in the model's order."""
    clean = clean_ratings(ratings, [c.competency_id for c in competencies])
    order = {c.competency_id: i for i, c in enumerate(competencies)}
    found = [
        c
        for c in competencies
        if c.first_role == "core" and clean.get(c.competency_id, RATING_MAX + 1) <= GAP_AT_MOST
    ]
    return sorted(found, key=lambda c: (clean[c.competency_id], order[c.competency_id]))


def clean_start_scores(scores: object) -> dict[int, float] | None:
    """Start-here shift scores as ``{1: score, …, 4: score}`` (keys may be ``"1"`` or ``1``,
    scores finite numbers from 1 to 5), or ``None`` unless all four are usable. Never raises."""
    if not isinstance(scores, Mapping):
        return None
    found = {}
    for s in SHIFTS:
        value = scores.get(str(s), scores.get(s))
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if not math.isfinite(value) or not RATING_MIN <= value <= RATING_MAX:
            return None
        found[s] = round(float(value), 2)
    return found


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _names(items: Sequence[Competency], ratings: Mapping[str, int] | None = None) -> str:
    def one(c: Competency) -> str:
        if ratings is not None and c.competency_id in ratings:
            return f"{c.name} ({ratings[c.competency_id]})"
        return c.name

    parts = [one(c) for c in items]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# --- the profile ---------------------------------------------------------------------------------
def profile_findings(
    ratings: Mapping[str, int], competencies: Sequence[Competency]
) -> list[Finding]:
    """What the profile says: how much is rated, a flat or all-high profile, the highest and
    lowest areas, and how many gaps there are and how many of them matter for a first role."""
    ids = [c.competency_id for c in competencies]
    clean = clean_ratings(ratings, ids)
    total = len(competencies)
    if not clean:
        return [
            Finding(
                "unrated_profile",
                "info",
                f"Rate each of the {total} competencies on the scale above. Rate what you have "
                "done, not what you could do: the scale asks for examples.",
            )
        ]
    found: list[Finding] = []
    if len(clean) < total:
        found.append(
            Finding(
                "partial",
                "info",
                f"{len(clean)} of {total} rated. The profile below uses the rated ones; rate "
                "them all before you choose what to grow.",
            )
        )
        return found
    values = set(clean.values())
    if len(values) == 1:
        (v,) = values
        found.append(
            Finding(
                "flat",
                "warn",
                f"Every rating is {v}. A flat profile has no gap to choose from, and nobody is "
                "equally practised at all twelve. Check each rating against the scale: could "
                "you show the example a 4 asks for?",
            )
        )
    elif min(values) >= STRENGTH_AT_LEAST:
        found.append(
            Finding(
                "all_high",
                "warn",
                "Every rating is 4 or 5. A 4 means you have done it on your own, in a product "
                "role or your own project, with an example from the last year. Count what you "
                "did as the person deciding what to build, not as the person building it.",
            )
        )
    means = area_means(clean, competencies)
    high = max(AREAS, key=lambda a: (means[a.key], -AREAS.index(a)))
    low = min(AREAS, key=lambda a: (means[a.key], AREAS.index(a)))
    if means[high.key] != means[low.key]:
        found.append(
            Finding(
                "areas",
                "info",
                f"Highest area: {high.name} ({_fmt(means[high.key])}). Lowest area: "
                f"{low.name} ({_fmt(means[low.key])}).",
            )
        )
        if high.key == "product_execution" and means[high.key] - means[low.key] >= 1:
            found.append(
                Finding(
                    "execution_high",
                    "info",
                    "Product Execution is your highest area by a point or more. Product "
                    "execution sits closest to building, so check those three ratings against "
                    "the scale as a product manager's work: writing what to build and why, "
                    "shipping through others, and ranking quality problems by what they cost "
                    "users.",
                )
            )
    gaps = [c for c in competencies if clean[c.competency_id] <= GAP_AT_MOST]
    matter = gaps_that_matter(clean, competencies)
    if gaps:
        found.append(
            Finding(
                "gaps",
                "info",
                f"{len(gaps)} gap{'' if len(gaps) == 1 else 's'}, rated {GAP_AT_MOST} or lower; "
                f"{len(matter)} of them in competencies a first product role leans on"
                + (f": {_names(matter, clean)}." if matter else "."),
                tuple(c.competency_id for c in matter),
            )
        )
    else:
        found.append(
            Finding(
                "no_gaps",
                "info",
                f"No competency is rated {GAP_AT_MOST} or lower. Choose what to grow by what "
                "your route into product management needs most.",
            )
        )
    return found


# --- the two picks -------------------------------------------------------------------------------
def review_picks(
    picks: Iterable[str],
    ratings: Mapping[str, int],
    competencies: Sequence[Competency],
    start_scores: Mapping[int, float] | None = None,
) -> list[Finding]:
    """Feedback on the competencies picked to grow, by the rules in the module docstring: one
    verdict per pick (in the model's order), then notes on the pair, then the Start-here
    self-assessment.

    ``picks`` are competency ids (unknown ones and repeats are ignored); ``start_scores`` are the
    Start-here shift scores (see :func:`clean_start_scores`), or ``None`` when none is saved."""
    by_id = {c.competency_id: c for c in competencies}
    clean = clean_ratings(ratings, list(by_id))
    wanted = set(p for p in picks if p in by_id) if not isinstance(picks, str) else set()
    chosen = [c for c in competencies if c.competency_id in wanted]
    n = len(chosen)
    if n == 0:
        return [
            Finding(
                "count",
                "info",
                "Choose the two competencies you will grow first: tick Grow beside each.",
            )
        ]
    if n < PICKS:
        return [
            Finding(
                "count",
                "info",
                f"You chose one, {chosen[0].name}. Choose one more: two are few enough to work "
                "on both in the next three months, beside your job.",
                (chosen[0].competency_id,),
            )
        ]
    if n > PICKS:
        return [
            Finding(
                "count",
                "warn",
                f"You chose {n}: {_names(chosen)}. Keep two: which two would change your move "
                "the most? Untick the others; the rest can wait for the next round.",
                tuple(c.competency_id for c in chosen),
            )
        ]
    matter = gaps_that_matter(clean, competencies)
    left = [c for c in matter if c not in chosen]  # gaps that matter, not picked
    verdicts = [_verdict(c, clean, left) for c in chosen]
    found = list(verdicts)
    first, second = chosen
    if first.area == second.area:
        means = area_means(clean, competencies)
        rest = [a for a in AREAS if a.key != first.area and means[a.key] is not None]
        lowest = min(rest, key=lambda a: (means[a.key], AREAS.index(a))) if rest else None
        tail = (
            f" Your lowest other area is {lowest.name} ({_fmt(means[lowest.key])})."
            if lowest is not None
            else ""
        )
        found.append(
            Finding(
                "same_area",
                "info",
                f"Both picks are in {first.area_name}: depth in one area. That is fine if it is "
                f"deliberate; say so in your why.{tail}",
                (first.competency_id, second.competency_id),
            )
        )
    if not any(v.kind == "gap_that_matters" for v in verdicts):
        if matter:
            found.append(
                Finding(
                    "misses_gaps",
                    "warn",
                    "Neither pick is among the gaps that matter for a first product role: "
                    f"{_names(matter[:4], clean)}. Swap one in, unless your why says what your "
                    "route in needs instead.",
                    tuple(c.competency_id for c in matter[:4]),
                )
            )
        else:
            found.append(
                Finding(
                    "no_gaps",
                    "info",
                    "None of the competencies a first product role leans on is rated "
                    f"{GAP_AT_MOST} or lower, so choose by what your route in needs (the next "
                    "page).",
                )
            )
    found.append(_start_finding(chosen, verdicts, start_scores, left, clean))
    return found


#: Why a pick's shared shift with the Start-here self-assessment is not agreement, by verdict.
_NOT_AGREEMENT = {
    "unrated": "it is not rated yet",
    "later": "it matters later in a product career",
    "strength_over_gap": "it is already a strength",
    "strength": "it is already a strength",
    "not_a_gap": "it is not one of your gaps",
}


def _verdict(c: Competency, clean: Mapping[str, int], left: Sequence[Competency]) -> Finding:
    """The one verdict on one pick (the first rule of the module docstring that applies)."""
    mine = clean.get(c.competency_id)
    about = (c.competency_id,)
    if mine is None:
        return Finding(
            "unrated",
            "warn",
            f"Rate {c.name} before you choose it: the choice should rest on where you are.",
            about,
        )
    if c.first_role == "later":
        return Finding(
            "later",
            "warn",
            f"{c.name} ({mine}) matters more later in a product career than in a first product "
            f"role. {c.first_role_note}",
            about,
        )
    if mine <= GAP_AT_MOST:
        return Finding(
            "gap_that_matters",
            "good",
            f"{c.name} ({mine}) is a gap that matters for a first product role: closing it is "
            "progress on the move itself.",
            about,
        )
    if mine >= STRENGTH_AT_LEAST and left:
        named = left[:3]
        return Finding(
            "strength_over_gap",
            "warn",
            f"{c.name} is one of your strengths ({mine}), while {_names(named, clean)} "
            f"{'is a gap' if len(named) == 1 else 'are gaps'} that matter"
            f"{'s' if len(named) == 1 else ''} for a first product role. Building on a strength "
            "is a real choice (Mehta's advice is to know both your strengths and the gaps "
            "holding you back), so say in your why what growing it gives you that closing "
            f"{'that gap' if len(named) == 1 else 'one of those gaps'} would not.",
            (c.competency_id, *(o.competency_id for o in named)),
        )
    if mine >= STRENGTH_AT_LEAST:
        return Finding(
            "strength",
            "info",
            f"{c.name} is one of your strengths ({mine}), and no gap that matters is left "
            "unpicked: building on a strength is a real choice; say in your why what growing it "
            "gives you.",
            about,
        )
    return Finding(
        "not_a_gap",
        "info",
        f"{c.name} ({mine}) is neither a gap nor a strength: you have done it with help. Say in "
        "your why what growing it now gives you in the move.",
        about,
    )


def _start_finding(
    chosen: Sequence[Competency],
    verdicts: Sequence[Finding],
    start_scores: object,
    left: Sequence[Competency],
    clean: Mapping[str, int],
) -> Finding:
    scores = clean_start_scores(start_scores)
    if scores is None:
        return Finding(
            "no_start",
            "info",
            "No Start-here self-assessment is saved in your workbook, so your picks cannot be "
            "compared with it. The rest of the feedback stands without it.",
        )
    lowest = sa.profile(scores).start
    score = f"{scores[lowest]:.2f}"
    there = [c for c in left if c.shift == lowest]
    suggest = (
        f" Your gaps that matter in Shift {lowest}: {_names(there, clean)}."
        if there
        else f" None of your gaps that matter maps to Shift {lowest}."
    )
    kind_of = {c.competency_id: v.kind for c, v in zip(chosen, verdicts, strict=True)}
    matching = [c for c in chosen if c.shift == lowest]
    agree = [c for c in matching if kind_of[c.competency_id] == "gap_that_matters"]
    if agree:
        return Finding(
            "start_agrees",
            "good",
            f"{_names(agree)} {'maps' if len(agree) == 1 else 'both map'} to Shift {lowest}, "
            f"your lowest shift on the Start-here self-assessment ({score}), and "
            f"{'is a gap' if len(agree) == 1 else 'both are gaps'} that matter"
            f"{'s' if len(agree) == 1 else ''}: two different lists point the same way.",
            tuple(c.competency_id for c in agree),
        )
    if matching:
        if len(matching) == 1:
            c = matching[0]
            what = (
                f"{c.name} maps to Shift {lowest}, your lowest shift on the Start-here "
                f"self-assessment ({score}), but {_NOT_AGREEMENT[kind_of[c.competency_id]]}, so "
                "the shared shift does not make it the right pick on its own."
            )
        else:
            what = (
                f"{_names(matching)} both map to Shift {lowest}, your lowest shift on the "
                f"Start-here self-assessment ({score}), but neither is a gap that matters, so "
                "the shared shift does not make them the right picks on their own."
            )
        return Finding(
            "start_shift_only",
            "info",
            what + suggest,
            (*(c.competency_id for c in matching), *(o.competency_id for o in there)),
        )
    shifts = " and ".join(f"{c.name} to Shift {c.shift}" for c in chosen)
    return Finding(
        "start_differs",
        "info",
        f"Your Start-here self-assessment put Shift {lowest} lowest ({score}); your picks map "
        f"elsewhere ({shifts}). Two lists that ask different questions can disagree. If Shift "
        f"{lowest} has grown since, the retake on the previous page shows it; if not, say in "
        f"your why why these come first.{suggest if there else ''}",
        (*(c.competency_id for c in chosen), *(o.competency_id for o in there)),
    )


# --- the why ------------------------------------------------------------------------------------
_GENERIC = {"product", "with", "the", "of", "and", "up"}
_MIN_WHY_WORDS = 12


def _stems(name: str) -> list[str]:
    words = [w for w in re.findall(r"[a-z]+", name.lower()) if w not in _GENERIC and len(w) > 2]
    return [w[:5] for w in words]


def why_checks(text: object, picks: Sequence[Competency]) -> list[Check]:
    """Light checks of the learner's why for their two picks: ``names`` (each pick is named, by
    a word of its name: "customer" for Voice of the Customer) and ``reason`` (at least twelve
    words, so it can say what closing the gap would let them do). They look for words only."""
    text = text if isinstance(text, str) else ""
    lowered = text.lower()
    missing = [
        c.name for c in picks if not any(re.search(rf"\b{s}", lowered) for s in _stems(c.name))
    ]
    if not text.strip():
        names = Check("names", False, "write why you chose these two.")
    elif missing:
        names = Check(
            "names",
            False,
            f"say which pick each reason is for: we did not find {', '.join(missing)} named.",
        )
    else:
        names = Check("names", True, "each pick is named (we looked for a word of its name).")
    words = len(re.findall(r"\w+", text))
    reason = Check(
        "reason",
        words >= _MIN_WHY_WORDS,
        "long enough to give a reason; check that it says what closing each gap would let you "
        "do in the move, and how you will know."
        if words >= _MIN_WHY_WORDS
        else f"{words} word(s): say what growing each would let you do in the move, and how you "
        "will know it has grown.",
    )
    return [names, reason]
