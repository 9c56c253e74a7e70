"""Shift 2, soft skills: who the stakeholders are and how to engage each of them.

Two lenses, both pure functions (no widgets, no printing):

- **The power × interest grid.** Each stakeholder is rated for their *power* over the decision
  and their *interest* in it; the two ratings place them in one of four quadrants, each with an
  engagement strategy: manage closely (high power, high interest), keep satisfied (high power,
  low interest), keep informed (low power, high interest), monitor (low power, low interest).

  This grid is a later textbook adaptation, not Mendelow's original. A. L. Mendelow,
  "Environmental scanning: the impact of the stakeholder concept", *ICIS 1981 Proceedings*,
  paper 20, placed stakeholders by their power and by the *dynamism* of the environment, not
  by their interest. The power/interest matrix is Gerry Johnson and Kevan Scholes's
  adaptation in *Exploring Corporate Strategy: Text and Cases* (3rd edition, Prentice Hall
  International), whose exhibit is captioned as adapted from Mendelow; later editions with
  Richard Whittington keep it. The textbook names the quadrants "key players", "keep
  satisfied", "keep informed" and "minimal effort"; this module uses the wording common in
  project management, "manage closely" for key players and "monitor" for minimal effort, and
  keeps the textbook's names in :data:`TEXTBOOK_LABELS`.

  Ratings are on a stated scale (default 1 to 5, :data:`DEFAULT_SCALE`); a rating is *high*
  when it is at or above the threshold (default 3, :data:`DEFAULT_THRESHOLD`). A rating exactly
  at the threshold is a judgment call: the placement flags it so feedback can say so.

- **Salience** (Ronald K. Mitchell, Bradley R. Agle and Donna J. Wood, "Toward a theory of
  stakeholder identification and salience: defining the principle of who and what really
  counts", *Academy of Management Review* 22(4), 1997, 853-886). Three attributes, each present
  or absent: power, legitimacy, urgency. Their combinations give seven classes: dormant (power
  only), discretionary (legitimacy only), demanding (urgency only), dominant (power and
  legitimacy), dangerous (power and urgency), dependent (legitimacy and urgency) and definitive
  (all three); with none, a non-stakeholder. The paper groups the classes by how many
  attributes they hold: latent stakeholders (one attribute, low salience), expectant
  stakeholders (two, moderate salience) and definitive stakeholders (three, high salience).

Validation messages name the stakeholder, the field, the value and what was expected, e.g.
``S03: power must be a number from 1 to 5 (got 'high')``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from pivot.data import plain_value, problems_message

__all__ = [
    "DEFAULT_SCALE",
    "DEFAULT_THRESHOLD",
    "GRID_COLUMNS",
    "PLACEMENT_COLUMNS",
    "QUADRANTS",
    "SALIENCE_CLASSES",
    "SALIENCE_GROUPS",
    "STRATEGIES",
    "TEXTBOOK_LABELS",
    "Placement",
    "Salience",
    "StakeholderError",
    "is_high",
    "place",
    "place_table",
    "salience",
]

#: The rating scale of the grid, lowest and highest rating allowed (inclusive).
DEFAULT_SCALE: tuple[float, float] = (1, 5)
#: A rating at or above this is "high" on the default 1-5 scale: the scale's midpoint, so that a
#: middling 3 counts as high and is flagged as a judgment call (see :attr:`Placement.on_boundary`).
DEFAULT_THRESHOLD: float = 3

#: (high power, high interest) -> quadrant name.
QUADRANTS: dict[tuple[bool, bool], str] = {
    (True, True): "high power, high interest",
    (True, False): "high power, low interest",
    (False, True): "low power, high interest",
    (False, False): "low power, low interest",
}
#: Quadrant name -> the engagement strategy this course teaches.
STRATEGIES: dict[str, str] = {
    "high power, high interest": "manage closely",
    "high power, low interest": "keep satisfied",
    "low power, high interest": "keep informed",
    "low power, low interest": "monitor",
}
#: Quadrant name -> Johnson and Scholes's own name for it in *Exploring Corporate Strategy*.
TEXTBOOK_LABELS: dict[str, str] = {
    "high power, high interest": "key players",
    "high power, low interest": "keep satisfied",
    "low power, high interest": "keep informed",
    "low power, low interest": "minimal effort",
}
#: Columns :func:`place_table` reads.
GRID_COLUMNS: tuple[str, ...] = ("id", "power", "interest")
#: The columns :func:`place_table` returns, in order.
PLACEMENT_COLUMNS: tuple[str, ...] = (
    *GRID_COLUMNS,
    "quadrant",
    "strategy",
    "textbook_label",
    "on_boundary",
)

#: (power, legitimacy, urgency) -> Mitchell, Agle and Wood's class (1997).
SALIENCE_CLASSES: dict[tuple[bool, bool, bool], str] = {
    (False, False, False): "non-stakeholder",
    (True, False, False): "dormant",
    (False, True, False): "discretionary",
    (False, False, True): "demanding",
    (True, True, False): "dominant",
    (True, False, True): "dangerous",
    (False, True, True): "dependent",
    (True, True, True): "definitive",
}
#: Number of attributes -> (group, salience) as the paper groups the classes.
SALIENCE_GROUPS: dict[int, tuple[str, str]] = {
    0: ("non-stakeholder", "none"),
    1: ("latent", "low"),
    2: ("expectant", "moderate"),
    3: ("definitive", "high"),
}


class StakeholderError(ValueError):
    """Stakeholders could not be placed; :attr:`issues` lists every reason found."""

    def __init__(self, issues: Sequence[str]):
        self.issues = list(issues)
        super().__init__(problems_message(self.issues))


@dataclass(frozen=True)
class Placement:
    """Where one stakeholder sits on the power × interest grid."""

    power: float
    interest: float
    high_power: bool
    high_interest: bool
    quadrant: str
    strategy: str
    #: The textbook's name for the quadrant (Johnson and Scholes): "key players" ...
    textbook_label: str
    #: Which ratings sit exactly on the threshold ("power", "interest"): a judgment call.
    boundary_axes: tuple[str, ...]

    @property
    def on_boundary(self) -> bool:
        """True when a rating is exactly at the threshold: the placement is a judgment call."""
        return bool(self.boundary_axes)


@dataclass(frozen=True)
class Salience:
    """A stakeholder's class and salience in Mitchell, Agle and Wood's typology (1997)."""

    power: bool
    legitimacy: bool
    urgency: bool
    stakeholder_class: str
    #: Number of attributes held, 0 to 3.
    attributes: int
    #: "latent" (1 attribute), "expectant" (2), "definitive" (3) or "non-stakeholder" (0).
    group: str
    #: "low", "moderate", "high" or "none".
    level: str


# --- validation -------------------------------------------------------------------------------
def _fmt(x: float) -> str:
    return f"{x:g}"


def _got(value: object) -> str:
    value = plain_value(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "nothing: the value is missing"
    if isinstance(value, float) and value.is_integer():
        return _fmt(value)
    return repr(value)


def _check_scale(scale: object) -> tuple[float, float]:
    try:
        low, high = scale  # type: ignore[misc]
    except (TypeError, ValueError):
        raise StakeholderError(
            [f"scale must be a pair (lowest, highest) of numbers (got {scale!r})"]
        ) from None
    for name, bound in (("lowest", low), ("highest", high)):
        bound = plain_value(bound)
        if (
            isinstance(bound, bool)
            or not isinstance(bound, int | float)
            or not math.isfinite(bound)
        ):
            raise StakeholderError(
                [f"scale: the {name} rating must be a finite number (got {_got(bound)})"]
            )
    if not low < high:
        raise StakeholderError(
            [f"scale must go from a lower to a higher rating (got {_fmt(low)} to {_fmt(high)})"]
        )
    return float(low), float(high)


def _check_threshold(threshold: object, scale: tuple[float, float]) -> float:
    low, high = scale
    value = plain_value(threshold)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise StakeholderError(
            [
                f"threshold must be a number above {_fmt(low)} and at most {_fmt(high)} "
                f"(got {_got(value)})"
            ]
        )
    if not low < value <= high:
        raise StakeholderError(
            [
                f"threshold must be above {_fmt(low)} and at most {_fmt(high)}, so that both "
                f"low and high ratings exist on the scale (got {_fmt(value)})"
            ]
        )
    return float(value)


def _rating_problem(field: str, value: object, scale: tuple[float, float]) -> str | None:
    low, high = scale
    value = plain_value(value)
    expected = f"{field} must be a number from {_fmt(low)} to {_fmt(high)}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{expected} (got {_got(value)})"
    if not math.isfinite(value):
        return f"{expected} (got {_got(value)})"
    if not low <= value <= high:
        return f"{expected} (got {_fmt(value)}, outside the scale)"
    return None


# --- the power × interest grid ----------------------------------------------------------------
def _rating_problems(power: object, interest: object, scale: tuple[float, float]) -> list[str]:
    """What is wrong with a power and an interest rating (empty when both are usable)."""
    found = (_rating_problem("power", power, scale), _rating_problem("interest", interest, scale))
    return [p for p in found if p]


def is_high(rating: float, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """A rating is high when it is at or above the threshold (a rating *at* it counts as high)."""
    return rating >= threshold


def place(
    power: float,
    interest: float,
    threshold: float = DEFAULT_THRESHOLD,
    scale: tuple[float, float] = DEFAULT_SCALE,
    who: str | None = None,
) -> Placement:
    """Place one stakeholder on the power × interest grid (Johnson and Scholes's adaptation of
    Mendelow, 1981; see the module docstring for why it is not Mendelow's own grid).

    ``power`` and ``interest`` are ratings on ``scale`` (default 1 to 5); each is *high* when it is
    at or above ``threshold`` (default 3). A rating exactly at the threshold is flagged in
    :attr:`Placement.boundary_axes`. ``who`` names the stakeholder in error messages.

    >>> place(5, 4).strategy
    'manage closely'
    >>> place(3, 1).boundary_axes
    ('power',)
    """
    scale = _check_scale(scale)
    threshold = _check_threshold(threshold, scale)
    prefix = f"{who}: " if who else ""
    problems = [f"{prefix}{p}" for p in _rating_problems(power, interest, scale)]
    if problems:
        raise StakeholderError(problems)
    power, interest = float(plain_value(power)), float(plain_value(interest))
    high_power, high_interest = is_high(power, threshold), is_high(interest, threshold)
    quadrant = QUADRANTS[(high_power, high_interest)]
    boundary = tuple(
        name for name, rating in (("power", power), ("interest", interest)) if rating == threshold
    )
    return Placement(
        power=power,
        interest=interest,
        high_power=high_power,
        high_interest=high_interest,
        quadrant=quadrant,
        strategy=STRATEGIES[quadrant],
        textbook_label=TEXTBOOK_LABELS[quadrant],
        boundary_axes=boundary,
    )


def _id_text(value: object) -> str | None:
    value = plain_value(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def place_table(
    stakeholders: pd.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    scale: tuple[float, float] = DEFAULT_SCALE,
) -> pd.DataFrame:
    """Place every stakeholder of a table on the power × interest grid.

    ``stakeholders`` needs the columns ``id`` (unique, non-empty text), ``power`` and
    ``interest`` (ratings on ``scale``); other columns are ignored. Returns one row per
    stakeholder, in the table's order, with ``id``, ``power``, ``interest``, ``quadrant``,
    ``strategy``, ``textbook_label`` and ``on_boundary`` (a rating exactly at ``threshold``: say
    that the placement is a judgment call). Every problem found is reported at once in a
    :class:`StakeholderError`, each naming the stakeholder, the field, the value and what was
    expected.
    """
    scale = _check_scale(scale)
    threshold = _check_threshold(threshold, scale)
    if not isinstance(stakeholders, pd.DataFrame):
        raise StakeholderError(
            [
                "stakeholders must be a table (pandas DataFrame) with columns "
                f"{', '.join(GRID_COLUMNS)} (got {type(stakeholders).__name__})"
            ]
        )
    missing = [c for c in GRID_COLUMNS if c not in stakeholders.columns]
    present = ", ".join(map(str, stakeholders.columns)) or "no columns"
    if missing:
        raise StakeholderError(
            [
                f"stakeholders is missing column(s) {', '.join(missing)}: expected "
                f"{', '.join(GRID_COLUMNS)} (got {present})"
            ]
        )
    if stakeholders.empty:
        raise StakeholderError(["stakeholders has no rows: add at least one stakeholder"])

    problems: list[str] = []
    seen: dict[str, int] = {}
    rows = []
    for n, (raw_id, power, interest) in enumerate(
        zip(stakeholders["id"], stakeholders["power"], stakeholders["interest"], strict=True),
        start=1,
    ):
        sid = _id_text(raw_id)
        if sid is None:
            problems.append(f"row {n}: id must be non-empty text (got {_got(raw_id)})")
            label = f"row {n}"
        else:
            label = sid
            if sid in seen:
                problems.append(f"{sid}: id must be unique (also in row {seen[sid]})")
            else:
                seen[sid] = n
        row_problems = [f"{label}: {p}" for p in _rating_problems(power, interest, scale)]
        problems += row_problems
        if not row_problems and sid is not None:
            p = place(power, interest, threshold, scale)
            rows.append(
                {
                    "id": sid,
                    "power": p.power,
                    "interest": p.interest,
                    "quadrant": p.quadrant,
                    "strategy": p.strategy,
                    "textbook_label": p.textbook_label,
                    "on_boundary": p.on_boundary,
                }
            )
    if problems:
        raise StakeholderError(problems)
    return pd.DataFrame(rows, columns=list(PLACEMENT_COLUMNS))


# --- salience ---------------------------------------------------------------------------------
def _attribute(name: str, value: object) -> bool:
    value = plain_value(value)
    if not isinstance(value, bool):
        raise StakeholderError([f"{name} must be True or False (got {_got(value)})"])
    return value


def salience(power: bool, legitimacy: bool, urgency: bool) -> Salience:
    """Mitchell, Agle and Wood's (1997) class and salience of a stakeholder.

    Each attribute is present (True) or absent (False): power, legitimacy, urgency. One attribute
    makes a *latent* stakeholder (dormant, discretionary or demanding; low salience), two an
    *expectant* one (dominant, dangerous or dependent; moderate salience), all three a
    *definitive* one (high salience); none, a non-stakeholder.

    >>> salience(True, True, False).stakeholder_class
    'dominant'
    """
    key = (
        _attribute("power", power),
        _attribute("legitimacy", legitimacy),
        _attribute("urgency", urgency),
    )
    count = sum(key)
    group, level = SALIENCE_GROUPS[count]
    return Salience(
        power=key[0],
        legitimacy=key[1],
        urgency=key[2],
        stakeholder_class=SALIENCE_CLASSES[key],
        attributes=count,
        group=group,
        level=level,
    )
