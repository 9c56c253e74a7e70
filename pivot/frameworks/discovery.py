"""Shift 1, from the solution space to the problem space: discovery as pure functions.

The article's first shift asks an engineer turned product manager to start from the customer's
problem rather than from a solution (Rozenfeld, IEEE-USA InSight). This module holds the logic
behind the Shift 1 exercises, with no widgets and no printing:

- **Opportunity scoring** (Anthony W. Ulwick, "Turn Customer Input into Innovation", *Harvard
  Business Review*, January 2002; *What Customers Want*, McGraw-Hill, 2005): customers rate how
  important each desired outcome is and how satisfied they are with how it is met today;
  ``opportunity = importance + max(importance - satisfaction, 0)``, both on a 0-10 scale taken
  from the share of respondents who answer 4 or 5 on a 1-5 scale.
- **Pain-point synthesis** from coded interview snippets: how many snippets and distinct
  customers (reach) raise each pain point, and how severe it is. Combining breadth and severity,
  rather than counting mentions, is the point of the exercise: the request heard most often is
  not always the problem that costs customers most.
- **Problem statements** ("who needs what, because ...", with evidence), checked for the habits
  that slip back into the solution space.
- **Opportunity solution trees** (Teresa Torres, *Continuous Discovery Habits*, Product Talk,
  2021): a desired outcome at the top, the customer opportunities that could move it, solutions
  under one chosen target opportunity (several, to compare), then assumption tests.
- **Cross-file checks** of the Shift 1 data sets (:func:`validate_discovery_data`).

Every check returns results that say *why*, so the exercises can explain their feedback.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from pivot import data as _data
from pivot.data import DataError, Problem

__all__ = [
    "CATEGORY_MEANING",
    "MAX_FIELD_CHARS",
    "NO_PAIN_POINT",
    "PRODUCT_NOUNS",
    "REFERENCE_SHARE",
    "SOLUTION_WORDS",
    "Check",
    "OrderFeedback",
    "OwnMapItem",
    "TopThreeItem",
    "TopThreeResult",
    "aggregate_pain_points",
    "audience_terms",
    "check_opportunity_tree",
    "check_order",
    "check_problem_statement",
    "compare_top_three",
    "compare_with_own_map",
    "find_solution_words",
    "needs_verb",
    "opportunity_category",
    "opportunity_score",
    "opportunity_table",
    "parse_snippet_ids",
    "pct_to_scale",
    "problem_sentence",
    "snippets_for_reference",
    "tree_levels",
    "validate_discovery_data",
]

SCALE_MIN = 0
SCALE_MAX = 10
SEVERITY_MIN = 1
SEVERITY_MAX = 5
#: The pain-point key for a snippet that describes no pain point (praise, context, small talk).
NO_PAIN_POINT = "none"
#: Longest text accepted in one field of a problem statement.
MAX_FIELD_CHARS = 500
#: Fewest snippet ids a problem statement's evidence must cite.
MIN_EVIDENCE = 2
#: Fewest solutions under the target opportunity of an opportunity solution tree.
MIN_TARGET_SOLUTIONS = 3

# Ulwick's reading of opportunity scores (What Customers Want, McGraw-Hill, 2005; restated on
# Strategyn's pages): outcomes scoring above 15 are
# extreme opportunities that should not be ignored; 12 to 15, "low-hanging fruit" ripe for
# improvement; 10 to 12, worthy of consideration; below 10, unattractive in most markets, with
# diminishing returns. "An opportunity score of 10 or greater indicates that the outcome is
# underserved", so below 10 is *not* underserved: served well enough (appropriately served).
# Satisfaction above importance is overserved (the upper left of his opportunity landscape).
EXTREME_ABOVE = 15
HIGH_FROM = 12
SOLID_FROM = 10
CATEGORIES = ("extreme", "high", "solid", "appropriately served", "overserved")
#: What each category means, in the course's words after Ulwick (2005).
CATEGORY_MEANING = {
    "extreme": "above 15: an extreme opportunity, underserved",
    "high": "12 to 15: a high opportunity, underserved ('low-hanging fruit')",
    "solid": "10 to 12: underserved, worth considering",
    "appropriately served": "below 10: not underserved; served well enough for now",
    "overserved": "satisfaction above importance: served more than it matters",
}

#: Terms that always prescribe a solution: a feature, a technology or a design. Matched as
#: whole words, ignoring case. Curated for the course; nouns that merely name the product
#: ("the app", "the report", "the screen") are not here: naming the thing people use can still
#: describe their problem ("the app can't upload photos in a basement").
SOLUTION_WORDS: tuple[str, ...] = (
    "ai",
    "algorithm",
    "algorithms",
    "api",
    "apis",
    "artificial intelligence",
    "automate",
    "automation",
    "blockchain",
    "chatbot",
    "chatbots",
    "dashboard",
    "dashboards",
    "feature",
    "features",
    "geofence",
    "geofencing",
    "gps tracking",
    "integrate with",
    "integration",
    "integrations",
    "live map",
    "live maps",
    "live tracking",
    "machine learning",
    "map view",
    "map views",
    "offline mode",
    "plugin",
    "plugins",
    "portal",
    "push notification",
    "push notifications",
    "qr code",
    "qr codes",
    "real-time sync",
    "redesign",
    "route optimisation",
    "route optimization",
    "sms alert",
    "sms alerts",
    "websocket",
    "websockets",
    "widget",
    "widgets",
)
#: Nouns that name the product or a part of it. On their own they describe where a problem
#: happens; after a verb of building ("add a button", "build an app", "make the app …") or
#: asked for ("need a new report", "want better reporting") they prescribe a solution.
PRODUCT_NOUNS: tuple[str, ...] = (
    "alert",
    "alerts",
    "app",
    "apps",
    "banner",
    "button",
    "buttons",
    "export",
    "field",
    "form",
    "map",
    "menu",
    "module",
    "notification",
    "notifications",
    "page",
    "pop-up",
    "popup",
    "report",
    "reporting",
    "reports",
    "screen",
    "screens",
    "setting",
    "software",
    "system",
    "tab",
    "tool",
    "tools",
    "toggle",
    "view",
)
_BUILD_VERBS = (
    r"add|adding|build|building|create|develop|design|give\s+(?:us|them|me)|implement|launch"
    r"|make|offer|provide|put\s+in|rebuild|release|roll\s+out|ship"
)
_ASK_VERBS = r"need|needs|needed|want|wants|could\s+use|asks?\s+for|would\s+love"
_SMALL_WORDS = "in|on|at|of|for|to|with|from|by|about|when|while|because|and|or|but|is|are"


def _alternation(words: Sequence[str]) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+").replace(r"\-", "-")
        for w in sorted(words, key=len, reverse=True)
    )


_TERM = _alternation(SOLUTION_WORDS)
_THING = _alternation([*SOLUTION_WORDS, *PRODUCT_NOUNS])
# up to three words between the verb and the thing, none of them a preposition or conjunction
_FILLER = rf"(?:(?!(?:{_SMALL_WORDS})\b)[\w'-]+\s+){{0,3}}?"
_PRESCRIBE = (
    rf"(?:{_BUILD_VERBS})\s+{_FILLER}(?:{_THING})"
    rf"|(?:{_ASK_VERBS})\s+(?:a|an|some|better|more|new|improved|extra)\s+{_FILLER}(?:{_THING})"
)
_SOLUTION_RE = re.compile(
    rf"(?<![\w-])({_PRESCRIBE}|{_TERM})(?![\w-])",
    re.IGNORECASE,
)
_THING_RE = re.compile(rf"(?<![\w-])(?:{_THING})(?![\w-])", re.IGNORECASE)

# "needs" that restate a request for a thing rather than what the person is trying to get done.
_REQUEST_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^\s*to\s+(have|get|be\s+given)\b", re.IGNORECASE),
        "it asks to have something",
    ),
    (
        re.compile(r"^\s*(more|better|improved|new|extra)\s+\w+", re.IGNORECASE),
        "it asks for more, better or new of a thing",
    ),
    (
        re.compile(r"^\s*(us|you|kestrel(\s+works)?|crewboard)\s+to\b", re.IGNORECASE),
        "it asks the vendor to do something",
    ),
    (
        re.compile(rf"^\s*(?:a|an|the|some)\s+{_FILLER}(?:{_THING})(?![\w-])", re.IGNORECASE),
        "it names a thing to build",
    ),
)

_MEASURE_WORDS = (
    "reduce",
    "reduced",
    "increase",
    "increased",
    "decrease",
    "decreased",
    "raise",
    "lower",
    "cut",
    "grow",
    "improve",
    "halve",
    "double",
    "minimize",
    "minimise",
    "maximize",
    "maximise",
    "percent",
    "percentage",
    "rate",
    "ratio",
    "share",
    "minutes",
    "hours",
    "days",
    "weeks",
    "time",
    "number",
    "count",
    "churn",
    "retention",
    "revenue",
    "nps",
)
_MEASURE_RE = re.compile(r"\d|%|\b(" + "|".join(_MEASURE_WORDS) + r")\b", re.IGNORECASE)

_SNIPPET_ID_RE = re.compile(r"(?<![A-Za-z0-9])[Ii]\s?0*(\d{1,3})(?!\d)")


# --- opportunity scoring (Ulwick) -----------------------------------------------------------
def _number(name: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number from {low:g} to {high:g} (got {value!r})")
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{name} must be from {low:g} to {high:g} (got {value!r})")
    return float(value)


def opportunity_score(importance: float, satisfaction: float) -> float:
    """Ulwick's opportunity score: ``importance + max(importance - satisfaction, 0)``.

    Both inputs are on a 0-10 scale (see :func:`pct_to_scale`), so the score runs from 0 to 20.
    Satisfaction above importance adds nothing: an overserved outcome scores its importance.
    Rounded to 2 decimals. Source: A. W. Ulwick, "Turn Customer Input into Innovation", Harvard
    Business Review, January 2002, and *What Customers Want* (McGraw-Hill, 2005).
    """
    imp = _number("importance", importance, SCALE_MIN, SCALE_MAX)
    sat = _number("satisfaction", satisfaction, SCALE_MIN, SCALE_MAX)
    return round(imp + max(imp - sat, 0.0), 2)


def pct_to_scale(pct: float) -> float:
    """A top-two-box percentage (share of respondents answering 4 or 5 of 5) on Ulwick's 0-10
    scale: 74% becomes 7.4. Rounded to 2 decimals."""
    return round(_number("percentage", pct, 0, 100) / 10, 2)


def opportunity_category(importance: float, satisfaction: float) -> str:
    """Ulwick's common reading of an opportunity score, one of :data:`CATEGORIES`.

    ``overserved`` when satisfaction exceeds importance; otherwise by the score: above 15
    ``extreme``, 12 to 15 ``high``, 10 to 12 ``solid``, below 10 ``appropriately served``
    (Ulwick 2005: "above 15" extreme, "between 12 and 15" low-hanging fruit, "between 10 and 12"
    worthy of consideration, "below 10" unattractive in most markets; a score of 10 or more is
    underserved). A boundary value belongs to the higher band (10 is ``solid``, 12 is ``high``),
    except 15 itself, which is ``high``, since only scores *above* 15 are extreme.
    See :data:`CATEGORY_MEANING`.
    """
    score = opportunity_score(importance, satisfaction)
    if satisfaction > importance:
        return "overserved"
    if score > EXTREME_ABOVE:
        return "extreme"
    if score >= HIGH_FROM:
        return "high"
    if score >= SOLID_FROM:
        return "solid"
    return "appropriately served"


def _natural_key(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", str(text)))


def opportunity_table(survey_df: pd.DataFrame) -> pd.DataFrame:
    """Score every outcome of a survey in the shape of ``opportunity_survey.csv``.

    Adds ``importance`` and ``satisfaction`` (0-10, from ``important_pct`` and
    ``satisfied_pct``), ``opportunity``, ``category`` (:func:`opportunity_category`) and
    ``rank`` (1 = biggest opportunity). Ties are broken by higher importance, then by
    ``outcome_id`` in natural order (O2 before O10). Returns a new frame sorted by rank.
    """
    needed = ["outcome_id", "important_pct", "satisfied_pct"]
    missing = [c for c in needed if c not in survey_df.columns]
    if missing:
        raise ValueError(f"survey is missing column(s): {', '.join(missing)}")
    if survey_df.empty:
        raise ValueError("survey has no outcomes to score")
    ids = [str(i) for i in survey_df["outcome_id"]]
    dupes = sorted({i for i in ids if ids.count(i) > 1}, key=_natural_key)
    if dupes:
        raise ValueError(f"outcome_id must be unique (repeated: {', '.join(dupes)})")
    table = survey_df.copy().reset_index(drop=True)
    imp, sat = [], []
    for oid, ip, sp in zip(ids, table["important_pct"], table["satisfied_pct"], strict=True):
        try:
            imp.append(pct_to_scale(_plain(ip)))
            sat.append(pct_to_scale(_plain(sp)))
        except ValueError as exc:
            raise ValueError(f"outcome {oid}: {exc}") from None
    table["importance"] = imp
    table["satisfaction"] = sat
    table["opportunity"] = [opportunity_score(i, s) for i, s in zip(imp, sat, strict=True)]
    table["category"] = [opportunity_category(i, s) for i, s in zip(imp, sat, strict=True)]
    order = sorted(
        range(len(table)),
        key=lambda k: (-table["opportunity"][k], -table["importance"][k], _natural_key(ids[k])),
    )
    table = table.iloc[order].reset_index(drop=True)
    table["rank"] = range(1, len(table) + 1)
    return table


_plain = _data.plain_value


# --- pain points from coded interview snippets ----------------------------------------------
def _severity(snippet_id: str, value: object) -> int:
    value = _plain(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(
            f"severity for {snippet_id} must be a whole number from {SEVERITY_MIN} to "
            f"{SEVERITY_MAX} (got {value!r})"
        )
    if value != int(value):
        raise ValueError(
            f"severity for {snippet_id} must be a whole number from {SEVERITY_MIN} to "
            f"{SEVERITY_MAX} (got {value!r})"
        )
    if not SEVERITY_MIN <= value <= SEVERITY_MAX:
        raise ValueError(
            f"severity for {snippet_id} must be from {SEVERITY_MIN} to {SEVERITY_MAX} "
            f"(got {value!r})"
        )
    return int(value)


def aggregate_pain_points(
    codings: Mapping[str, Sequence[object]],
    interviews: pd.DataFrame,
    *,
    pain_points: Collection[str] | None = None,
) -> pd.DataFrame:
    """Sum up a learner's coding of interview snippets, one row per pain point.

    ``codings`` maps a snippet id to ``(pain_point, severity)``, severity a whole number from 1
    to 5. A snippet coded :data:`NO_PAIN_POINT` (``"none"``) is left out; its severity may be
    ``None`` or 0. ``interviews`` needs ``snippet_id`` and ``customer_id``. ``pain_points``, if
    given, is the set of keys the learner may use.

    Returns columns ``pain_point``, ``snippets`` (how many snippets), ``reach`` (distinct
    customers), ``mean_severity`` and ``max_severity``, ``score`` = reach × mean severity (both
    rounded to 2 decimals), and ``rank``; sorted by score, then reach, then snippets (all
    descending), then pain point A-Z. Breadth times severity follows the common practice of
    weighing a problem by how many customers it touches and how much it hurts, rather than by
    how often it is mentioned.
    """
    if not codings:
        raise ValueError("no snippets coded yet: code at least one snippet")
    customer_of = dict(
        zip(
            interviews["snippet_id"].astype(str), interviews["customer_id"].astype(str), strict=True
        )
    )
    unknown = sorted((str(s) for s in codings if str(s) not in customer_of), key=_natural_key)
    if unknown:
        raise ValueError(f"unknown snippet id(s): {', '.join(unknown)}")
    allowed = None if pain_points is None else set(pain_points) | {NO_PAIN_POINT}
    rows: dict[str, dict[str, object]] = {}
    for sid in sorted(codings, key=_natural_key):
        coding = codings[sid]
        if isinstance(coding, str) or not isinstance(coding, Sequence) or len(coding) != 2:
            raise ValueError(f"coding for {sid} must be (pain_point, severity) (got {coding!r})")
        key, severity = coding
        if not isinstance(key, str) or not key.strip():
            raise ValueError(f"pain point for {sid} must be a non-empty key (got {key!r})")
        key = key.strip()
        if allowed is not None and key not in allowed:
            raise ValueError(f"unknown pain point for {sid}: {key!r}")
        if key == NO_PAIN_POINT:
            if _plain(severity) not in (None, 0):
                raise ValueError(
                    f"severity for {sid} must be empty or 0 when the pain point is "
                    f"'{NO_PAIN_POINT}' (got {severity!r})"
                )
            continue
        level = _severity(sid, severity)
        row = rows.setdefault(key, {"severities": [], "customers": set()})
        row["severities"].append(level)
        row["customers"].add(customer_of[sid])
    records = []
    for key, row in rows.items():
        levels = row["severities"]
        reach = len(row["customers"])
        mean = sum(levels) / len(levels)
        records.append(
            {
                "pain_point": key,
                "snippets": len(levels),
                "reach": reach,
                "mean_severity": round(mean, 2),
                "max_severity": max(levels),
                "score": round(reach * mean, 2),
            }
        )
    records.sort(key=lambda r: (-r["score"], -r["reach"], -r["snippets"], r["pain_point"]))
    columns = ["pain_point", "snippets", "reach", "mean_severity", "max_severity", "score"]
    table = pd.DataFrame(records, columns=columns)
    table["rank"] = range(1, len(table) + 1)
    return table


@dataclass(frozen=True)
class TopThreeItem:
    """One of the learner's top three, compared with the reference ranking."""

    position: int
    pain_point: str
    label: str
    status: str  # "matched", "in_top_three" (ranked differently), "not_in_top_three"
    reference_rank: int
    rationale: str
    message: str


@dataclass(frozen=True)
class TopThreeResult:
    """The comparison of a learner's top three with the reference's."""

    items: list[TopThreeItem]
    missed: list[TopThreeItem] = field(default_factory=list)

    @property
    def in_reference_top_three(self) -> int:
        """How many of the learner's picks are in the reference top three, in any order."""
        return sum(i.status != "not_in_top_three" for i in self.items)

    @property
    def matched(self) -> int:
        """How many picks are at exactly the reference position."""
        return sum(i.status == "matched" for i in self.items)


def compare_top_three(learner_top: Sequence[str], reference_df: pd.DataFrame) -> TopThreeResult:
    """Compare a learner's top three pain points (biggest first) with the reference ranks.

    ``reference_df`` has the columns of ``pain_point_reference.csv``. Each pick is ``matched``
    (same position as the reference), ``in_top_three`` (a reference top-three item at another
    position) or ``not_in_top_three`` (the message then gives the reference rank and rationale).
    ``missed`` lists reference top-three items the learner did not pick, with their rationale.
    One to three picks are accepted; blanks, duplicates and unknown keys are refused.
    """
    if isinstance(learner_top, str):
        raise ValueError("learner_top must be a list of pain-point keys, not one string")
    picks = [p.strip() if isinstance(p, str) else p for p in learner_top]
    if not 1 <= len(picks) <= 3:
        raise ValueError(f"pick one to three pain points (got {len(picks)})")
    for i, p in enumerate(picks, 1):
        if not isinstance(p, str) or not p:
            raise ValueError(f"pick {i} must be a pain-point key (got {p!r})")
    dupes = sorted({p for p in picks if picks.count(p) > 1})
    if dupes:
        raise ValueError(f"each pain point may be picked once (repeated: {', '.join(dupes)})")
    ref = {
        str(r.pain_point): (int(r.reference_rank), str(r.label), str(r.rationale))
        for r in reference_df.itertuples(index=False)
    }
    unknown = [p for p in picks if p not in ref]
    if unknown:
        raise ValueError(
            f"unknown pain point(s): {', '.join(unknown)}; known: {', '.join(sorted(ref))}"
        )
    top = sorted(ref, key=lambda k: ref[k][0])[:3]
    items = []
    for position, key in enumerate(picks, 1):
        rank, label, rationale = ref[key]
        if rank == position:
            status, message = "matched", f"{label}: the reference also ranks it #{rank}."
        elif key in top:
            status = "in_top_three"
            message = (
                f"{label}: in the reference top three, but at #{rank} rather than #{position}."
            )
        else:
            status = "not_in_top_three"
            message = f"{label}: the reference ranks it #{rank}, outside the top three. {rationale}"
        items.append(TopThreeItem(position, key, label, status, rank, rationale, message))
    missed = []
    for key in top:
        if key not in picks:
            rank, label, rationale = ref[key]
            message = f"{label} (reference #{rank}) is missing from your top three. {rationale}"
            missed.append(TopThreeItem(rank, key, label, "missed", rank, rationale, message))
    return TopThreeResult(items, missed)


#: Share of the snippets a learner must have coded before their top three is compared with the
#: reference ranking. Below it, a top three is judged against the learner's own map only, so
#: the reference ranking is not given away after a handful of snippets.
REFERENCE_SHARE = 0.75


def snippets_for_reference(total: int) -> int:
    """How many of ``total`` snippets must be coded before the reference comparison opens:
    :data:`REFERENCE_SHARE` of them, rounded up (30 of the course's 39)."""
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise ValueError(f"total must be a whole number of snippets, 0 or more (got {total!r})")
    return math.ceil(REFERENCE_SHARE * total)


@dataclass(frozen=True)
class OwnMapItem:
    """One of the learner's top three, compared with the ranking of their *own* map."""

    position: int
    pain_point: str
    own_rank: int | None  # None: not on the learner's map (no snippet coded to it)
    consistent: bool
    message: str


def compare_with_own_map(
    learner_top: Sequence[str], own_table: pd.DataFrame, labels: Mapping[str, str] | None = None
) -> list[OwnMapItem]:
    """Judge a top three (biggest first) against the learner's own map, before any reference.

    ``own_table`` is the output of :func:`aggregate_pain_points` for the learner's coding. A pick
    is ``consistent`` when it sits at the same position in the learner's own ranking by reach ×
    mean severity; otherwise the message says where their map puts it and which pain point their
    map ranks there, so the learner either revisits the coding or states the reason (the survey,
    say) for ranking differently. A pick with no snippet coded to it is not on the map. Blank
    picks are skipped; ``labels`` maps keys to the names shown (default: the key).
    """
    if isinstance(learner_top, str):
        raise ValueError("learner_top must be a list of pain-point keys, not one string")
    missing = [c for c in ("pain_point", "reach", "mean_severity", "score") if c not in own_table]
    if missing:
        raise ValueError(f"own_table is missing column(s): {', '.join(missing)}")
    name = dict(labels or {})
    ranked = list(own_table["pain_point"])
    rows = {r.pain_point: r for r in own_table.itertuples(index=False)}

    def said(key: str) -> str:
        r = rows[key]
        return (
            f"customer reach {int(r.reach)} × mean severity {r.mean_severity:.2f} = {r.score:.2f}"
        )

    items = []
    for position, key in enumerate(learner_top, 1):
        if not isinstance(key, str) or not key:
            continue
        label = name.get(key, key)
        if key not in rows:
            items.append(
                OwnMapItem(
                    position,
                    key,
                    None,
                    False,
                    f"{label} is not on your map yet: you have coded no snippet to it. Code "
                    "the evidence first, or choose from what your map shows.",
                )
            )
            continue
        rank = ranked.index(key) + 1
        if rank == position:
            message = f"{label}: your own map also ranks it #{rank} ({said(key)})."
        else:
            there = ranked[position - 1] if position <= len(ranked) else None
            message = f"{label}: your own map ranks it #{rank} ({said(key)})"
            if there is not None:
                message += f", and puts {name.get(there, there)} at #{position} ({said(there)})"
            message += (
                ". Either your coding or your ranking needs another look; if you rank it "
                "higher for a reason your map does not show (the survey, say), write it down."
            )
        items.append(OwnMapItem(position, key, rank, rank == position, message))
    return items


# --- problem statements ---------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    """The result of one check: its name, whether it passed, and a message explaining why."""

    name: str
    passed: bool
    message: str


def find_solution_words(text: str) -> list[str]:
    """The prescribed solutions in ``text``, lower-cased, in order of first appearance, each once.

    Two kinds count (whole words, any case): a term of :data:`SOLUTION_WORDS`, which always names
    a feature, technology or design ("dashboard", "AI", "map view", "push notification"); and a
    phrase that asks for or builds one of :data:`PRODUCT_NOUNS` ("add a button", "build the
    app", "need better reporting"), returned as the whole phrase. A product noun on its own
    ("in the app", "the report is late") is not a solution: it names where the problem happens.
    """
    found: list[str] = []
    for match in _SOLUTION_RE.finditer(text or ""):
        word = re.sub(r"\s+", " ", match.group(1).lower())
        if word not in found:
            found.append(word)
    return found


def parse_snippet_ids(text: str) -> list[str]:
    """Snippet ids cited in free text, normalised to ``I03`` form, in order, each once.

    Accepts ``I03``, ``i3``, ``I 3``, lists such as ``"I03, I07; i12"``.
    """
    ids: list[str] = []
    for match in _SNIPPET_ID_RE.finditer(text or ""):
        sid = f"I{int(match.group(1)):02d}"
        if sid not in ids:
            ids.append(sid)
    return ids


def audience_terms(customers: pd.DataFrame) -> list[str]:
    """Words that name who a problem statement is about, from a customers table: each segment,
    each contact role, and the last word of a multi-word role ("field technician" also gives
    "technician"). Sorted; pass them as ``segments`` to :func:`check_problem_statement`."""
    terms: set[str] = set()
    for column in ("segment", "contact_role"):
        if column in customers.columns:
            terms.update(str(v).strip() for v in customers[column].dropna() if str(v).strip())
    for role in list(customers.get("contact_role", [])):
        words = str(role).split()
        if len(words) > 1:
            terms.add(words[-1])
    return sorted(terms, key=str.casefold)


def _mentions(text: str, term: str) -> bool:
    words = [re.escape(w) for w in term.split()]
    if not words:
        return False
    words[-1] = words[-1] + r"(?:s|es)?"
    pattern = r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])"
    return re.search(pattern, text, re.IGNORECASE) is not None


_PLURAL_HEAD_STOP = re.compile(
    r"\b(?:at|in|of|on|for|from|with|who|whose|that|which|working|running|across)\b", re.IGNORECASE
)


def needs_verb(who: str) -> str:
    """ "need" or "needs" for a problem statement's *who*: plural when the head of the noun phrase
    is plural or joined with "and" ("Dispatchers at small firms need", "An owner needs")."""
    head = _PLURAL_HEAD_STOP.split(who or "", maxsplit=1)[0]
    words = re.findall(r"[A-Za-z'-]+", head)
    if not words:
        return "needs"
    if any(w.casefold() == "and" for w in words):
        return "need"
    last = words[-1].casefold()
    plural = (last.endswith("s") and not last.endswith(("ss", "us", "is"))) or last in {
        "people",
        "staff",
        "crews",
        "teams",
        "men",
        "women",
    }
    return "need" if plural else "needs"


def problem_sentence(who: str, needs: str, because: str) -> str:
    """A problem statement as one plain-text sentence: "<who> need(s) <needs> because <because>."
    The verb agrees with *who* (:func:`needs_verb`); empty parts show as "…"."""
    who = (who or "").strip()
    parts = [
        who or "…",
        needs_verb(who) if who else "needs",
        (needs or "").strip() or "…",
        "because",
        (because or "").strip() or "…",
    ]
    return " ".join(parts).rstrip(".") + "."


def check_problem_statement(
    who: str,
    needs: str,
    because: str,
    evidence: str,
    known_snippet_ids: Collection[str],
    segments: Collection[str],
) -> list[Check]:
    """Check a problem statement "<who> needs <needs> because <because>", with evidence.

    A problem statement in the problem space names a specific customer, says what they are
    trying to get done, grounds it in what was heard, and leaves the solution open (Ulwick 2002:
    capture outcomes, not solutions; Torres 2021: opportunities are customer needs, pain points
    and desires, not features). Checks, in order:

    ``who``
        names a customer segment or role (``segments``, e.g. from :func:`audience_terms`;
        simple plurals such as "dispatchers" count).
    ``complete``
        ``needs`` and ``because`` are filled in.
    ``no_solution_words``
        no prescribed solution (:func:`find_solution_words`) in who, needs or because; the
        message lists them and says why. Naming the product ("in the app") is allowed.
    ``not_a_request``
        ``needs`` does not restate a request for a thing ("a map view", "to have ...",
        "better reporting", "Crewboard to ...").
    ``evidence``
        cites at least two snippet ids that exist (:func:`parse_snippet_ids`); unknown ids named.
    ``length``
        every field at most :data:`MAX_FIELD_CHARS` characters.

    Inputs are treated as plain text; nothing is interpreted as markup.
    """
    fields = {"who": who, "needs": needs, "because": because, "evidence": evidence}
    for name, value in fields.items():
        if value is None:
            fields[name] = ""
        elif not isinstance(value, str):
            raise ValueError(f"{name} must be text (got {type(value).__name__})")
    who, needs, because, evidence = (fields[k] for k in ("who", "needs", "because", "evidence"))
    checks: list[Check] = []

    named = sorted({t for t in segments if t and _mentions(who, t)}, key=str.casefold)
    if not who.strip():
        checks.append(Check("who", False, "Say who has the problem: a segment or a role."))
    elif named:
        checks.append(Check("who", True, f"Names who has the problem ({', '.join(named)})."))
    else:
        examples = ", ".join(sorted(segments, key=str.casefold)[:4])
        checks.append(
            Check(
                "who",
                False,
                "Name a customer segment or role from the case, so the team knows whose "
                f"problem this is (for example: {examples}).",
            )
        )

    blank = [k for k, v in (("needs", needs), ("because", because)) if not v.strip()]
    if blank:
        checks.append(
            Check(
                "complete",
                False,
                f"Fill in {' and '.join(blank)}: what they are trying to get done, and why "
                "it matters to them.",
            )
        )
    else:
        checks.append(Check("complete", True, "Says what they need and why."))

    # "needs" is read after its verb, as in the sentence: "… need better reporting" asks for a
    # thing even though the field itself starts with "better".
    found = {
        "who": find_solution_words(who),
        "needs": find_solution_words(f"need {needs}" if needs.strip() else ""),
        "because": find_solution_words(because),
    }
    listed = "; ".join(f"in {k}: {', '.join(repr(w) for w in ws)}" for k, ws in found.items() if ws)
    if listed:
        checks.append(
            Check(
                "no_solution_words",
                False,
                f"Prescribes a solution ({listed}): a feature, technology or design says how "
                "to solve the problem and shuts out other ideas before anyone compares them. "
                "Naming the product people use is fine ('... in the app'); saying what to "
                "build is not. Describe the customer's situation and leave how to solve it "
                "open.",
            )
        )
    else:
        checks.append(Check("no_solution_words", True, "Leaves the solution open."))

    reason = next((why for pattern, why in _REQUEST_PATTERNS if pattern.search(needs)), None)
    if reason:
        checks.append(
            Check(
                "not_a_request",
                False,
                f"The need reads like a feature request ({reason}). Say what they are trying "
                "to get done, e.g. 'to know which jobs changed before they drive'.",
            )
        )
    else:
        checks.append(Check("not_a_request", True, "States a need, not a request for a thing."))

    cited = parse_snippet_ids(evidence)
    known = set(parse_snippet_ids(" ".join(str(s) for s in known_snippet_ids)))
    valid = [s for s in cited if s in known]
    unknown = [s for s in cited if s not in known]
    if len(valid) >= MIN_EVIDENCE:
        message = f"Cites {len(valid)} snippets ({', '.join(valid)})."
        if unknown:
            message += f" Not in the interviews: {', '.join(unknown)}."
        checks.append(Check("evidence", not unknown, message))
    else:
        message = f"Cite at least {MIN_EVIDENCE} snippet ids that support it, such as I03, I07"
        message += f" (found {len(valid)})." if not unknown else "."
        if unknown:
            message += f" Not in the interviews: {', '.join(unknown)}."
        checks.append(Check("evidence", False, message))

    too_long = [f"{k} ({len(v):,})" for k, v in fields.items() if len(v) > MAX_FIELD_CHARS]
    if too_long:
        checks.append(
            Check(
                "length",
                False,
                f"Keep each field to {MAX_FIELD_CHARS} characters; too long: "
                f"{', '.join(too_long)}.",
            )
        )
    else:
        checks.append(Check("length", True, f"Every field is within {MAX_FIELD_CHARS} characters."))
    return checks


# --- opportunity solution trees (Torres) ----------------------------------------------------
def tree_levels() -> list[str]:
    """The levels of an opportunity solution tree, top down (Torres, *Continuous Discovery
    Habits*, 2021)."""
    return ["outcome", "opportunity", "solution", "assumption test"]


def _text(value: object, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{where} must be text (got {type(value).__name__})")
    return value.strip()


def check_opportunity_tree(tree: Mapping[str, object]) -> list[Check]:
    """Check an opportunity solution tree given as a dict::

        {"outcome": str,
         "opportunities": [{"name": str, "solutions": [str, ...], "target": bool}, ...]}

    Following Torres (*Continuous Discovery Habits*, 2021): the root is a measurable outcome,
    not an output; opportunities are customer needs, not solutions; solutions hang under an
    opportunity; the team targets one opportunity at a time and compares several solutions for
    it (at least :data:`MIN_TARGET_SOLUTIONS` here). Solutions placed at the top level (a
    ``"solutions"`` key beside ``"outcome"``) are flagged. ``target`` counts only when it is
    ``True``. The structure itself must be right (lists and dicts); wrong shapes raise
    ``ValueError``; everything a learner can get wrong comes back as a :class:`Check`.
    """
    if not isinstance(tree, Mapping):
        raise ValueError(
            f"tree must be a dict with 'outcome' and 'opportunities' (got {type(tree).__name__})"
        )
    outcome = _text(tree.get("outcome"), "outcome")
    raw_opps = tree.get("opportunities") or []
    if not isinstance(raw_opps, Sequence) or isinstance(raw_opps, str):
        raise ValueError("opportunities must be a list of dicts")
    opps = []
    for i, opp in enumerate(raw_opps, 1):
        if not isinstance(opp, Mapping):
            raise ValueError(f"opportunity {i} must be a dict (got {type(opp).__name__})")
        sols = opp.get("solutions") or []
        if not isinstance(sols, Sequence) or isinstance(sols, str):
            raise ValueError(f"solutions of opportunity {i} must be a list of text")
        opps.append(
            {
                "name": _text(opp.get("name"), f"name of opportunity {i}"),
                "solutions": [
                    _text(s, f"solution {j} of opportunity {i}") for j, s in enumerate(sols, 1)
                ],
                "target": opp.get("target") is True,
            }
        )
    loose = tree.get("solutions") or []
    if isinstance(loose, str):
        loose = [loose]
    if not isinstance(loose, Sequence):
        raise ValueError("solutions at the top level must be a list of text")
    loose = [_text(s, "top-level solution") for s in loose]
    checks: list[Check] = []

    if not outcome:
        checks.append(
            Check("outcome_measurable", False, "Start the tree with the outcome you want to move.")
        )
    elif _MEASURE_RE.search(outcome):
        checks.append(Check("outcome_measurable", True, "The outcome can be measured."))
    else:
        checks.append(
            Check(
                "outcome_measurable",
                False,
                "Make the outcome measurable: a metric and a direction or number, e.g. "
                "'reduce wasted trips to changed jobs from 12 to 4 a month'.",
            )
        )
    words = find_solution_words(outcome)
    if words:
        checks.append(
            Check(
                "outcome_not_output",
                False,
                f"The outcome names an output ({', '.join(repr(w) for w in words)}). An outcome "
                "is a change in what customers or the business achieve, not something shipped.",
            )
        )
    else:
        checks.append(Check("outcome_not_output", True, "The outcome is not a feature to ship."))

    named = [o for o in opps if o["name"]]
    if len(named) >= 2:
        checks.append(Check("enough_opportunities", True, f"Maps {len(named)} opportunities."))
    else:
        checks.append(
            Check(
                "enough_opportunities",
                False,
                f"Map at least 2 opportunities (found {len(named)}), so you choose between "
                "customer needs instead of taking the first one.",
            )
        )

    if loose:
        checks.append(
            Check(
                "solutions_under_opportunities",
                False,
                f"{len(loose)} solution(s) hang directly under the outcome: "
                f"{', '.join(repr(s) for s in loose[:5])}. Put each under the opportunity it "
                "addresses; a solution that addresses none is a guess.",
            )
        )
    else:
        checks.append(
            Check(
                "solutions_under_opportunities", True, "Every solution hangs under an opportunity."
            )
        )

    targets = [o for o in opps if o["target"]]
    if len(targets) == 1:
        checks.append(
            Check("one_target", True, f"Targets one opportunity: {targets[0]['name']!r}.")
        )
    else:
        checks.append(
            Check(
                "one_target",
                False,
                f"Choose exactly one target opportunity (found {len(targets)}); work on one "
                "at a time and compare solutions for it.",
            )
        )

    if len(targets) == 1:
        n = sum(1 for s in targets[0]["solutions"] if s)
        ok = n >= MIN_TARGET_SOLUTIONS
        checks.append(
            Check(
                "target_solutions",
                ok,
                f"The target has {n} solutions to compare."
                if ok
                else f"Give the target opportunity at least {MIN_TARGET_SOLUTIONS} solutions "
                f"(found {n}): comparing several avoids falling for the first idea.",
            )
        )
    else:
        checks.append(
            Check(
                "target_solutions",
                False,
                "Choose one target opportunity first, then give it at least 3 solutions.",
            )
        )

    solution_like = [(o["name"], find_solution_words(o["name"])) for o in named]
    solution_like = [(n, w) for n, w in solution_like if w]
    if solution_like:
        listed = "; ".join(f"{n!r} ({', '.join(w)})" for n, w in solution_like)
        checks.append(
            Check(
                "opportunities_not_solutions",
                False,
                f"These opportunities read like solutions: {listed}. Phrase an opportunity as "
                "the customer's need or pain, and put the idea under it as a solution.",
            )
        )
    else:
        checks.append(
            Check(
                "opportunities_not_solutions",
                True,
                "Opportunities are customer needs, not solutions.",
            )
        )

    empty_opps = sum(1 for o in opps if not o["name"])
    empty_sols = sum(1 for o in opps for s in o["solutions"] if not s) + sum(
        1 for s in loose if not s
    )
    if empty_opps or empty_sols:
        checks.append(
            Check(
                "no_empty_names",
                False,
                f"Name every box: {empty_opps} opportunity and {empty_sols} solution name(s) "
                "are empty.",
            )
        )
    else:
        checks.append(Check("no_empty_names", True, "Every opportunity and solution has a name."))

    seen: dict[str, int] = {}
    for name in (
        [o["name"] for o in named]
        + [s for o in opps for s in o["solutions"] if s]
        + [s for s in loose if s]
    ):
        key = " ".join(name.casefold().split())
        seen[key] = seen.get(key, 0) + 1
    dupes = sorted(k for k, n in seen.items() if n > 1)
    if dupes:
        checks.append(
            Check(
                "no_duplicates",
                False,
                f"Appears more than once: {', '.join(repr(d) for d in dupes)}. Each box "
                "should say something different; merge or reword.",
            )
        )
    else:
        checks.append(Check("no_duplicates", True, "No box is repeated."))
    return checks


@dataclass(frozen=True)
class OrderFeedback:
    """Feedback on one position of an ordering task."""

    position: int
    given: str
    expected: str
    correct: bool
    message: str


def check_order(learner_order: Sequence[str], correct_order: Sequence[str]) -> list[OrderFeedback]:
    """Compare a learner's ordering with the correct one, position by position (1-based).

    Generic: use it for the levels of an opportunity solution tree (:func:`tree_levels`), the
    steps of an interview, and so on. ``learner_order`` must contain exactly the items of
    ``correct_order`` (no unknown, missing or repeated items); otherwise ``ValueError``.
    """
    if isinstance(learner_order, str) or isinstance(correct_order, str):
        raise ValueError("orders must be lists of items, not one string")
    correct = list(correct_order)
    given = list(learner_order)
    if len(set(correct)) != len(correct):
        raise ValueError("correct_order must not repeat items")
    repeated = sorted({str(g) for g in given if given.count(g) > 1})
    if repeated:
        raise ValueError(f"each item may be placed once (repeated: {', '.join(repeated)})")
    unknown = [str(g) for g in given if g not in correct]
    if unknown:
        raise ValueError(f"unknown item(s): {', '.join(unknown)}")
    missing = [str(c) for c in correct if c not in given]
    if missing:
        raise ValueError(f"place every item (missing: {', '.join(missing)})")
    feedback = []
    for position, (g, c) in enumerate(zip(given, correct, strict=True), 1):
        if g == c:
            feedback.append(OrderFeedback(position, g, c, True, f"{position}. {g}: right."))
        else:
            belongs = correct.index(g) + 1
            feedback.append(
                OrderFeedback(
                    position,
                    g,
                    c,
                    False,
                    f"{position}. {g}: belongs at position {belongs}; {c!r} goes here.",
                )
            )
    return feedback


# --- cross-file checks of the Shift 1 data sets ---------------------------------------------
_DISCOVERY_TABLES = (
    "customers",
    "interviews",
    "opportunity_survey",
    "problem_or_solution",
    "pain_point_reference",
)


def validate_discovery_data(tables: Mapping[str, pd.DataFrame] | None = None) -> None:
    """Check that the Shift 1 data sets agree with each other; raise :class:`DataError` if not.

    ``tables`` maps data-set names to frames (the default loads them with
    :func:`pivot.data.load`, which checks each file on its own). Checks: every interview's
    customer exists in ``customers.csv``; interview dates are real dates; pain-point keys in
    the interviews and the survey are reference keys (or ``none`` in the interviews); severity
    is 0 exactly when the pain point is ``none``; every reference pain point has at least one
    snippet and one survey outcome; reference ranks run 1, 2, 3, ... without gaps. Line numbers
    assume one line per row (header = line 1), as in the course files.
    """
    frames = dict(tables) if tables is not None else {n: _data.load(n) for n in _DISCOVERY_TABLES}
    customers = frames["customers"]
    interviews = frames["interviews"]
    survey = frames["opportunity_survey"]
    reference = frames["pain_point_reference"]
    problems: list[Problem] = []
    known_customers = set(customers["customer_id"].astype(str))
    keys = [str(k) for k in reference["pain_point"]]
    known_keys = set(keys)
    key_list = ", ".join(sorted(known_keys))

    for i, row in enumerate(interviews.itertuples(index=False)):
        line = i + 2
        if str(row.customer_id) not in known_customers:
            problems.append(
                Problem(
                    "interviews.csv",
                    "a customer_id from customers.csv",
                    line,
                    "customer_id",
                    str(row.customer_id),
                )
            )
        try:
            date.fromisoformat(str(row.interview_date))
        except ValueError:
            problems.append(
                Problem(
                    "interviews.csv",
                    "a real date (YYYY-MM-DD)",
                    line,
                    "interview_date",
                    str(row.interview_date),
                )
            )
        key = str(row.pain_point)
        if key != NO_PAIN_POINT and key not in known_keys:
            problems.append(
                Problem(
                    "interviews.csv",
                    f"a pain point from pain_point_reference.csv or '{NO_PAIN_POINT}' ({key_list})",
                    line,
                    "pain_point",
                    key,
                )
            )
        severity = int(row.severity)
        if key == NO_PAIN_POINT and severity != 0:
            problems.append(
                Problem(
                    "interviews.csv",
                    f"0 when the pain point is '{NO_PAIN_POINT}'",
                    line,
                    "severity",
                    str(severity),
                )
            )
        elif key != NO_PAIN_POINT and severity == 0:
            problems.append(
                Problem(
                    "interviews.csv",
                    "a severity from 1 to 5 for a pain point",
                    line,
                    "severity",
                    "0",
                )
            )

    for i, row in enumerate(survey.itertuples(index=False)):
        if str(row.pain_point) not in known_keys:
            problems.append(
                Problem(
                    "opportunity_survey.csv",
                    f"a pain point from pain_point_reference.csv ({key_list})",
                    i + 2,
                    "pain_point",
                    str(row.pain_point),
                )
            )

    coded = set(interviews["pain_point"].astype(str))
    surveyed = set(survey["pain_point"].astype(str))
    for i, key in enumerate(keys):
        if key not in coded:
            problems.append(
                Problem(
                    "pain_point_reference.csv",
                    "at least one interview snippet with this pain point",
                    i + 2,
                    "pain_point",
                    key,
                )
            )
        if key not in surveyed:
            problems.append(
                Problem(
                    "pain_point_reference.csv",
                    "at least one survey outcome for this pain point",
                    i + 2,
                    "pain_point",
                    key,
                )
            )
    ranks = sorted(int(r) for r in reference["reference_rank"])
    if ranks != list(range(1, len(ranks) + 1)):
        problems.append(
            Problem(
                "pain_point_reference.csv",
                f"ranks 1 to {len(ranks)} without gaps",
                column="reference_rank",
                value=", ".join(str(r) for r in ranks),
            )
        )
    if problems:
        raise DataError(problems)
