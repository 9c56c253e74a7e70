"""Your route in and your first 90 days: the routes ranked by the learner's situation, and light
checks of a 30/60/90-day plan. Pure functions, no widgets.

Sources:

- Rozenfeld, M., "Engineers: What to Know About Pivoting Into Product Management", IEEE-USA
  InSight (no date shown). Kriti Yadav, quoted there, names the routes: product work taken on
  next to your own job where you already work, or a project you care about outside it, run as a
  product manager would run it, alone or in an incubator or accelerator programme. The three
  routes below are hers; the rule that ranks them is this course's own.
- Watkins, M., *The First 90 Days: Critical Success Strategies for New Leaders at All Levels*
  (Harvard Business School Press, 2003), the first edition: a written 90-day plan, divided into
  three blocks of 30 days with a review meeting with your boss at the end of each; the first
  block for learning and building personal credibility; the plan agreed with the boss as a kind
  of contract on how your time will be spent (the checks ``plan_agreed`` and
  ``block_reviews``).
- Watkins, M. D., *The First 90 Days: Proven Strategies for Getting Up to Speed Faster and
  Smarter*, updated and expanded edition (Harvard Business Review Press, 2013): the break-even
  point (you have contributed as much value as you have consumed), the STARS situations
  (:data:`STARS`) and securing early wins, which build credibility and momentum.
- The item template (an action, a date, a measure, a person and a kind for each item), the
  counting of days (the start date is day 1; blocks of days 1–30, 31–60, 61–90) and every word
  check below are this course's conventions: such templates are common practice with no
  canonical source.

The route rule (:func:`rank_routes`)
------------------------------------
Every route starts at 0 points. Each answer adds the points below to a route, with the reason
shown to the learner; an unanswered question adds nothing. A route marked *closed* is ranked
last whatever its points, with the reason. Routes are sorted by points, highest first; a tie
keeps the article's order (in_company, own_project, incubator).

- pms=yes → in_company +2
- pms=no → in_company +1
- pms=none → in_company closed
- side_task=yes → in_company +5
- side_task=maybe → in_company +1
- side_task=no → in_company -2
- idea=yes → own_project +2
- idea=yes → incubator +2
- idea=no → own_project +0
- idea=no → incubator +0
- hours=under2 → in_company +1
- hours=under2 → own_project +0
- hours=under2 → incubator -2
- hours=2to5 → own_project +1
- hours=2to5 → incubator +0
- hours=over5 → own_project +2
- hours=over5 → incubator +2
- risk=low → in_company +1
- risk=low → incubator -1
- risk=some → own_project +1
- risk=some → incubator +0
- risk=high → own_project +1
- risk=high → incubator +2

The weight of side_task=yes is deliberate: product work you can do now, inside your own company,
is seen by the people who could hire you into product, so for someone who has it the rule ranks
the route at work first whatever the other answers. With product managers at the company it has
at least 7 points against at most 6 for either project; without them, at least 6, and a tie
keeps the article's order, which puts it first.

When pms=none, the side_task question does not apply (there is no job to take a task on beside)
and its answer is set aside (:func:`ignored_answers`), as if unanswered.

The rule's assumptions about programmes (a fixed schedule, more than two hours a week, a public
commitment) are the course's, not facts about any particular incubator or accelerator.

The plan checks (:func:`item_checks`, :func:`plan_checks`)
----------------------------------------------------------
They look for words, not meaning, and each message says what was looked for:

- ``concrete``: the action starts with an action verb of :data:`ACTION_VERBS` (within its first
  three words) followed by at least two more words (the object), and does not start with one of
  the vague phrases of :data:`VAGUE_ACTIONS` ("learn more", "get better at", "work on" …) unless
  it also names something specific (a number, or a capitalised name after the first word). A
  vague phrase later in the action ("Ship the fix the team is working on") is not its main verb
  and is not held against it;
- ``dated``: a valid YYYY-MM-DD date inside the item's phase window, counted from the start date;
- ``measure``: a word for a result another person can see (:data:`OBSERVABLE`); failing that, a
  word for a feeling or a judgement (:data:`FEELINGS`: "comfortable", "happy", "good" …) fails it,
  even with a number; failing both, a number counts, but not a date or a day number, which says
  when, not what ("by day 30");
- ``person``: one person: a name (capitalised or not) or a single role (:data:`ROLE_WORDS`, "the
  head of support"); a team, a department or a plural ("Engineering", "the sales team",
  "customers") fails;
- ``kind``: learning, relationship or early win.

An action, measure or person over :data:`ITEM_FIELD_MAX` characters fails its check unread.

Across the plan (:func:`plan_checks`): at least one learning item, one relationship item and one
early win; an early win within the first 60 days; an item in days 1–30 that agrees, shares or
reviews the plan itself (``plan_agreed``: "Agree this 90-day plan with my manager"); and a review
of the plan or the period in the last :data:`REVIEW_DAYS` days of each 30-day block
(``block_reviews``: "Review the first 30 days with my manager"). The last two follow Watkins's
advice (2003) that the plan be agreed with your boss and reviewed with them at the end of each
block; the word lists, the day ranges and the 60-day line for an early win are the course's
(Watkins argues that early wins build credibility and momentum and help a newcomer reach the
break-even point sooner; the course asks for one by day 60 so that it has time to be seen before
day 90).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .discovery import Check

__all__ = [
    "ACTION_VERBS",
    "FEELINGS",
    "ITEM_FIELD_MAX",
    "KINDS",
    "KIND_LABELS",
    "MAX_ITEMS",
    "OBSERVABLE",
    "PHASES",
    "QUESTIONS",
    "REVIEW_DAYS",
    "ROLE_WORDS",
    "ROUTES",
    "RULES",
    "STARS",
    "VAGUE_ACTIONS",
    "Question",
    "RouteScore",
    "Rule",
    "agrees_plan",
    "day_number",
    "early_win_in_first_60",
    "ignored_answers",
    "is_blank_item",
    "item_checks",
    "parse_date",
    "phase_for_day",
    "phase_window",
    "plan_checks",
    "rank_routes",
    "reviews_block",
    "route_title",
    "unanswered",
]

# --- the routes and the rule -------------------------------------------------------------------
#: The article's routes, in its order (route id, title).
ROUTES: tuple[tuple[str, str], ...] = (
    ("in_company", "A smaller product role in your company"),
    ("own_project", "A passion project on your own"),
    ("incubator", "A passion project through an incubator or accelerator"),
)
_ROUTE_ORDER = {rid: i for i, (rid, _t) in enumerate(ROUTES)}


def route_title(route_id: object) -> str | None:
    """The title of a route, or ``None`` for anything that is not a route's id."""
    if not isinstance(route_id, str):
        return None
    return dict(ROUTES).get(route_id)


@dataclass(frozen=True)
class Question:
    """One question about the learner's situation: its id, wording and answers (value, label)."""

    key: str
    text: str
    options: tuple[tuple[str, str], ...]


QUESTIONS: tuple[Question, ...] = (
    Question(
        "pms",
        "Does your company have product managers?",
        (("yes", "Yes"), ("no", "No"), ("none", "I do not work at a company now")),
    ),
    Question(
        "side_task",
        "Could you take on a small product task alongside your job?",
        (("yes", "Yes"), ("maybe", "Maybe, if my manager agrees"), ("no", "No, not now")),
    ),
    Question(
        "idea",
        "Do you have an idea, or a community you care about, with a problem worth solving?",
        (("yes", "Yes"), ("no", "Not yet")),
    ),
    Question(
        "hours",
        "How many hours a week could you give it outside work, for three months?",
        (("under2", "Under 2"), ("2to5", "2 to 5"), ("over5", "More than 5")),
    ),
    Question(
        "risk",
        "How much risk can you take on: money, evenings, failing in public?",
        (("low", "Little"), ("some", "Some"), ("high", "A lot")),
    ),
)
_QUESTION_BY_KEY = {q.key: q for q in QUESTIONS}


@dataclass(frozen=True)
class Rule:
    """``question=answer`` adds ``points`` to ``route`` (or closes it), for ``reason``."""

    question: str
    answer: str
    route: str
    points: int
    reason: str
    closes: bool = False

    @property
    def line(self) -> str:
        """The rule as the module docstring lists it (a test holds the two together)."""
        effect = "closed" if self.closes else f"{self.points:+d}"
        return f"{self.question}={self.answer} → {self.route} {effect}"


RULES: tuple[Rule, ...] = (
    Rule(
        "pms",
        "yes",
        "in_company",
        2,
        "Your company has product managers: there is product work to volunteer for, and people "
        "to learn it from.",
    ),
    Rule(
        "pms",
        "no",
        "in_company",
        1,
        "Your company has no product managers: product work still needs doing (talking to "
        "users, writing the problem down), but nobody at work can show you how.",
    ),
    Rule(
        "pms",
        "none",
        "in_company",
        0,
        "You do not work at a company now, so there is no role at work to volunteer for.",
        closes=True,
    ),
    Rule(
        "side_task",
        "yes",
        "in_company",
        5,
        "You can take on a product task alongside your job: product work inside your own "
        "company is seen by the people who could hire you into product, which makes it the "
        "strongest evidence you can build.",
    ),
    Rule(
        "side_task",
        "maybe",
        "in_company",
        1,
        "You might get a product task: agree it with your manager before you count on it.",
    ),
    Rule(
        "side_task",
        "no",
        "in_company",
        -2,
        "You cannot take on a product task at work now, so this route would have to wait.",
    ),
    Rule(
        "idea",
        "yes",
        "own_project",
        2,
        "You have an idea or a community: a project starts from one.",
    ),
    Rule("idea", "yes", "incubator", 2, "You have an idea or a community to bring to a programme."),
    Rule(
        "idea",
        "no",
        "own_project",
        0,
        "No idea or community yet: a project would start by finding a problem worth solving.",
    ),
    Rule(
        "idea",
        "no",
        "incubator",
        0,
        "No idea or community yet: find the problem before you apply to a programme.",
    ),
    Rule(
        "hours",
        "under2",
        "in_company",
        1,
        "Under 2 hours a week outside work: a route that uses your working time fits best.",
    ),
    Rule(
        "hours",
        "under2",
        "own_project",
        0,
        "Under 2 hours a week leaves a project outside work very little room.",
    ),
    Rule(
        "hours",
        "under2",
        "incubator",
        -2,
        "The rule assumes a programme runs to its own schedule and needs more than 2 hours a week.",
    ),
    Rule(
        "hours",
        "2to5",
        "own_project",
        1,
        "2 to 5 hours a week is enough for a small project of your own.",
    ),
    Rule(
        "hours",
        "2to5",
        "incubator",
        0,
        "2 to 5 hours a week may be tight for a programme's schedule.",
    ),
    Rule(
        "hours",
        "over5",
        "own_project",
        2,
        "More than 5 hours a week gives a project of your own room to grow.",
    ),
    Rule(
        "hours",
        "over5",
        "incubator",
        2,
        "More than 5 hours a week fits a programme's schedule.",
    ),
    Rule(
        "risk",
        "low",
        "in_company",
        1,
        "Little risk: you keep your job, and your manager knows what you are doing.",
    ),
    Rule(
        "risk",
        "low",
        "incubator",
        -1,
        "The rule treats a programme as the most public commitment: other people expect you to "
        "deliver.",
    ),
    Rule(
        "risk",
        "some",
        "own_project",
        1,
        "Some risk: a project of your own can fail quietly and cheaply.",
    ),
    Rule(
        "risk",
        "some",
        "incubator",
        0,
        "Some risk: a programme is possible if its schedule fits.",
    ),
    Rule(
        "risk",
        "high",
        "own_project",
        1,
        "You can take risk: a project of your own is yours to push as far as you like.",
    ),
    Rule(
        "risk",
        "high",
        "incubator",
        2,
        "You can take on a public commitment, with other people and a schedule.",
    ),
)


@dataclass(frozen=True)
class RouteScore:
    """One route's place under the rule: its points, whether it is open, and why."""

    route: str
    title: str
    points: int
    open: bool
    reasons: tuple[tuple[int | None, str], ...]  # (points, reason); None for a closing rule


def clean_answers(answers: object) -> dict[str, str]:
    """The valid answers of ``answers`` (question id → answer value); anything else is dropped."""
    if not isinstance(answers, Mapping):
        return {}
    found = {}
    for q in QUESTIONS:
        value = answers.get(q.key)
        if isinstance(value, str) and value in dict(q.options):
            found[q.key] = value
    return found


#: Answers that make another question not apply: (question, answer) → (question set aside, why).
NOT_APPLICABLE: dict[tuple[str, str], tuple[str, str]] = {
    ("pms", "none"): (
        "side_task",
        "You answered that you do not work at a company now, so a product task alongside your "
        "job does not apply: that answer is set aside.",
    ),
}


def ignored_answers(answers: object) -> dict[str, str]:
    """The questions that do not apply to a situation, each with the reason (question id →
    sentence): with pms=none, side_task is set aside whatever was answered."""
    given = clean_answers(answers)
    return {
        skipped: why
        for (key, value), (skipped, why) in NOT_APPLICABLE.items()
        if given.get(key) == value
    }


def _applicable(answers: object) -> dict[str, str]:
    given = clean_answers(answers)
    for key in ignored_answers(given):
        given.pop(key, None)
    return given


def rank_routes(answers: object) -> tuple[RouteScore, ...]:
    """The routes ranked for a situation (``{question id: answer value}``; see the module
    docstring for the rule). Unknown questions and answers are ignored, as if unanswered, and
    so are the answers to questions that do not apply (:func:`ignored_answers`)."""
    given = _applicable(answers)
    points = dict.fromkeys(_ROUTE_ORDER, 0)
    closed = dict.fromkeys(_ROUTE_ORDER, False)
    reasons: dict[str, list[tuple[int | None, str]]] = {r: [] for r in _ROUTE_ORDER}
    for rule in RULES:
        if given.get(rule.question) != rule.answer:
            continue
        if rule.closes:
            closed[rule.route] = True
            reasons[rule.route].append((None, rule.reason))
        else:
            points[rule.route] += rule.points
            reasons[rule.route].append((rule.points, rule.reason))
    scores = [
        RouteScore(rid, title, points[rid], not closed[rid], tuple(reasons[rid]))
        for rid, title in ROUTES
    ]
    return tuple(sorted(scores, key=lambda s: (not s.open, -s.points, _ROUTE_ORDER[s.route])))


def unanswered(answers: object) -> list[str]:
    """The questions (their text) not answered validly, in order; a question that does not apply
    (:func:`ignored_answers`) is not counted."""
    given = clean_answers(answers)
    skipped = ignored_answers(given)
    return [q.text for q in QUESTIONS if q.key not in given and q.key not in skipped]


# --- Watkins: the situations a new leader meets ------------------------------------------------
#: Watkins's (2013) STARS situations, in his order: (name, the course's one-line paraphrase).
STARS: tuple[tuple[str, str], ...] = (
    ("Start-up", "getting a new business, product, project or relationship off the ground"),
    ("Turnaround", "getting a unit that is recognised to be in deep trouble back on track"),
    ("Accelerated growth", "scaling up something that has begun to hit its stride"),
    ("Realignment", "revitalising something that is drifting into trouble"),
    ("Sustaining success", "keeping a successful organisation vital and taking it further"),
)

# --- the 30/60/90-day plan: dates -----------------------------------------------------------
#: The plan's phases, by their last day: days 1–30, 31–60 and 61–90 (the start date is day 1).
PHASES: tuple[int, ...] = (30, 60, 90)
PHASE_LABELS = {30: "days 1–30", 60: "days 31–60", 90: "days 61–90"}
KINDS: tuple[str, ...] = ("learning", "relationship", "early_win")
KIND_LABELS = {"learning": "learning", "relationship": "relationship", "early_win": "early win"}
#: The most items a plan holds: five a phase is already a full plan alongside a job.
MAX_ITEMS = 15
YEAR_MIN, YEAR_MAX = 2000, 2100


def _words(text: str) -> list[str]:
    return text.split()


_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_SLASHED = re.compile(r"[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{2,4}")
_MONTHS = tuple(calendar.month_name)[1:]


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_date(text: object) -> tuple[dt.date | None, str]:
    """A date typed as YYYY-MM-DD: ``(date, "")``, ``(None, "")`` for a blank, or ``(None,
    problem)`` with a sentence that names what was typed and what is expected."""
    if text is None:
        return None, ""
    if not isinstance(text, str):
        return None, "a date must be typed as text, YYYY-MM-DD"
    s = text.strip()
    if not s:
        return None, ""
    m = _ISO.fullmatch(s)
    if not m:
        hint = ""
        if _SLASHED.fullmatch(s):
            hint = (
                " Dates with slashes or dots are ambiguous: 02/03 is 2 March in some countries "
                "and 3 February in others."
            )
        return None, (
            f"write the date as YYYY-MM-DD, for example 2026-03-02 (got '{_short(s)}').{hint}"
        )
    year, month, day = (int(g) for g in m.groups())
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None, f"choose a year from {YEAR_MIN} to {YEAR_MAX} (got {year})."
    if not 1 <= month <= 12:
        return None, f"there is no month {month:02d}: months run from 01 to 12 (got '{s}')."
    try:
        return dt.date(year, month, day), ""
    except ValueError:
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        last = (nxt - dt.timedelta(days=1)).day
        return None, (
            f"{_MONTHS[month - 1]} {year} has {last} days, so there is no day {day:02d} "
            f"(got '{s}')."
        )


def day_number(start: dt.date, when: dt.date) -> int:
    """Which day of the plan ``when`` is: the start date is day 1 (before it: 0 or less)."""
    return (when - start).days + 1


def phase_for_day(day: int) -> int | None:
    """The phase (30, 60 or 90) a plan day falls in, or ``None`` outside days 1–90."""
    for last in PHASES:
        if last - 29 <= day <= last:
            return last
    return None


def phase_window(start: dt.date, phase: int) -> tuple[dt.date, dt.date]:
    """The first and last date of a phase (30: days 1–30, 60: 31–60, 90: 61–90)."""
    if phase not in PHASES:
        raise ValueError(f"phase must be one of 30, 60, 90 (got {phase!r})")
    first = start + dt.timedelta(days=phase - 30)
    return first, start + dt.timedelta(days=phase - 1)


# --- the plan: word checks ----------------------------------------------------------------------
#: Verbs that start a concrete action (an imperative: "Interview three dispatchers", "Talk to
#: three dispatchers", "Go on two ride-alongs", "Spend a day with the support team").
ACTION_VERBS = frozenset(
    _words("""
    accompany agree analyse analyze ask attend audit book build call chat check collect compare
    complete create define deliver demo demonstrate design discuss document draft email estimate
    facilitate finish fix go hold host interview introduce invite join launch lead list listen
    map measure meet mentor observe outline pair phone pitch plan post prepare present
    prioritise prioritize propose prototype publish rank read record release rewrite review
    ride run schedule score send set share shadow ship shortlist sit sketch speak spend
    summarise summarize survey take talk teach test tour track visit volunteer walk watch write
    """)
)
#: Phrases that name a wish rather than an action when they are the item's main verb phrase (at
#: its start), unless something specific comes with them.
VAGUE_ACTIONS: tuple[tuple[str, str], ...] = (
    (r"\blearn(ing)? (more|about)\b", "learn more"),
    (r"\bget(ting)? better at\b", "get better at"),
    (
        r"\bunderstand(ing)? (the|our|my) (business|product|customers?|market|company|domain)\b",
        "understand the business",
    ),
    (r"\bget(ting)? up to speed\b", "get up to speed"),
    (r"\b(get(ting)? )?familiar(ise|ize)?\b", "get familiar"),
    (r"\bthink(ing)? about\b", "think about"),
    (r"\blook(ing)? into\b", "look into"),
    (r"\bwork(ing)? on\b", "work on"),
    (r"\bimprove (my|our)\b", "improve my"),
    (r"\bbe (more|better)\b", "be more"),
    (r"\btry(ing)? to\b", "try to"),
    (r"\bnetwork(ing)?\b", "network"),
    (r"\bbuild(ing)? (relationships|rapport)\b", "build relationships"),
    (r"\bget(ting)? to know\b", "get to know"),
    (r"\b(keep|stay) (learning|on top)\b", "keep learning"),
    (r"\b(level up|upskill\w*)\b", "level up"),
    (r"\bexplore\b", "explore"),
)
_VAGUE = tuple((re.compile(p, re.I), label) for p, label in VAGUE_ACTIONS)
_LEAD_IN = re.compile(r"^\s*(?:(?:i|we)\s+(?:will|'ll|shall)\s+|i'll\s+|we'll\s+|to\s+)", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")
_NAME_STOP = frozenset(
    _words(
        "I A An The My Our We You Everyone Everybody People Team Stakeholders Someone Anyone "
        "Colleagues Folks Management Leadership Staff All Each Every Whoever"
    )
)
#: Words for a result that someone else can see.
OBSERVABLE = re.compile(
    r"\b(publish\w*|ship\w*|sent|signed( off)?|sign-off|agreed|approved|written|presented|"
    r"demo\w*|demonstrated|merged|live|released|launched|delivered|held|booked|scheduled|"
    r"completed|done|accepted|decided|decision\w*|document\w*|doc|notes?|summary|list|map|"
    r"report|page|deck|slides?|brief|prototype|recording|ticket\w*|pull request|survey|"
    r"dashboard|backlog|roadmap|spec|memo|email|post|minutes|interview\w*|calendar|"
    r"invite\w*|posted|filed|tagged|counted|recorded|marked|given|collected|reviewed)\b",
    re.I,
)
_NUMBER_WORD_LIST = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    "forty|fifty|sixty|ninety|dozen|half|hundred"
)
_NUMBER_WORDS = re.compile(rf"\b({_NUMBER_WORD_LIST})\b", re.I)
_MONTH_NAMES = "|".join(m for m in (*_MONTHS, *(m[:3] for m in _MONTHS)))
#: A date or a day number: it says when, not what, so it is not a measure on its own.
_TIME_REF = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b"
    r"|\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b"
    r"|\b(?:day|week|month|q)\s*\d+\b"
    rf"|\b(?:\d+|{_NUMBER_WORD_LIST})[\s-]+(?:days?|weeks?|months?)\b"
    rf"|\b(?:{_MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH_NAMES})\b"
    r"|\b(?:19|20)\d{2}\b",
    re.I,
)
#: Words for how someone feels or a judgement of quality: not something another person can see.
FEELINGS = re.compile(
    r"\b(feel\w*|felt|confident|confidence|comfortable|better|familiar|aware(ness)?|happy|"
    r"happier|glad|pleased|satisfied|good|great|nice|positive|excellent|well received|"
    r"understand\w*|know more|clearer|clarity|sense of)\b",
    re.I,
)
_ROLE_NOUNS = (
    "manager|lead|head|director|designer|engineer|pm|product manager|mentor|founder|"
    "co-founder|customer|user|dispatcher|technician|vp|ceo|cto|cfo|coo|owner|analyst|"
    "researcher|recruiter|coach|sponsor|organi[sz]er|chair|boss|architect|marketer|"
    "developer|tester|officer|partner|investor|advisor|adviser|president|supervisor|"
    "contact|representative|executive|specialist|consultant|buyer|operator"
)
#: Words that name a single role: "my manager", "the head of support", "a designer".
ROLE_WORDS = re.compile(rf"\b({_ROLE_NOUNS})\b", re.I)
_PLURAL_ROLES = re.compile(rf"\b(?:{_ROLE_NOUNS})(?:s|es)\b", re.I)
#: "the head of …": one person, whatever the group named after "of".
_ROLE_OF = re.compile(r"\b(head|lead|manager|director|vp|chief|president|owner)\s+of\b", re.I)
_GROUPS = re.compile(
    r"\b(everyone|everybody|people|teams?|stakeholders?|someone|anyone|colleagues|folks|"
    r"management|leadership|staff|the business|all of them|department|dept|group|squad|"
    r"division|committee|board|org|organi[sz]ation|company|crew|guys|"
    r"engineering|sales|marketing|support|product|design|finance|operations|ops|hr|legal|"
    r"customer success|qa|research)\b",
    re.I,
)
#: Words that are not a name, so a lower-case answer made only of other words reads as one.
_NOT_A_NAME = frozenset(
    _words("""
    the a an my our your their his her its this that these those some any all each every no
    none nobody noone somebody someone anybody anyone everybody everyone whoever who whom in
    on at of for to with from by and or but not particular random tbd tba tbc na unknown me
    myself i we us you they them he she it people person folks guy guys one ones other others
    etc is are be will new later soon maybe
    """)
)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _quote(text: str, limit: int = 80) -> str:
    return "“" + _short(text, limit) + "”"


def _specific(text: str) -> str | None:
    """Something specific in an action: a number, or a capitalised word after the first."""
    if m := re.search(r"\d+", text):
        return m.group(0)
    words = _WORD.findall(text)
    for w in words[1:]:
        if w[0].isupper() and w not in _NAME_STOP:
            return w
    return None


#: The longest action, measure or person a plan item holds: an item is a line, not a page.
ITEM_FIELD_MAX = 300


def _too_long(name: str, field: str, text: str) -> Check | None:
    """A failing check for a field over :data:`ITEM_FIELD_MAX` characters (else ``None``); the
    words of an over-long field are not read."""
    if len(text) <= ITEM_FIELD_MAX:
        return None
    return Check(
        name,
        False,
        f"the {field} is {len(text):,} characters long; a plan item holds at most "
        f"{ITEM_FIELD_MAX} in each field. Keep the item to a line and put the detail in your "
        "notes.",
    )


def concrete_check(action: object) -> Check:
    """``concrete``: an action verb and an object, and no vague phrase as the main verb phrase
    without a specific (a word check: see the module docstring)."""
    text = _text(action)
    if not text.strip():
        return Check(
            "concrete",
            False,
            "no action yet: write what you will do, starting with "
            "a verb (interview, shadow, talk to, write, ship …).",
        )
    if long := _too_long("concrete", "action", text):
        return long
    body = _LEAD_IN.sub("", text.strip()).strip()
    words = _WORD.findall(body)
    lowered = [w.lower().strip("'’") for w in words]
    verb_at = next((i for i, w in enumerate(lowered[:3]) if w in ACTION_VERBS), None)
    # Only the item's main verb phrase can make it vague: "Work on the roadmap" is a wish, "Ship
    # the fix the team is working on" is not.
    head = re.sub(r"^[\W\d_]+", "", body)  # "1. Learn more" and "- Learn more" start with it
    vague = next((label for pattern, label in _VAGUE if pattern.match(head)), None)
    specific = _specific(body)
    quoted = _quote(text)
    if vague and not specific:
        return Check(
            "concrete",
            False,
            f"{quoted} starts with '{vague}' and names nothing specific (a number, a name, a "
            "document): it reads as a wish. Say what you will do, and to what: 'Read the last "
            "20 support tickets about billing'.",
        )
    if verb_at is None and not vague:
        first = words[0] if words else text.strip()[:20]
        return Check(
            "concrete",
            False,
            f"{quoted} does not start with an action verb from our list (we read '{first}'). "
            "Start with what you will do: interview, talk to, shadow, write, ship, present …",
        )
    if verb_at is not None and len(words[verb_at + 1 :]) < 2:
        return Check(
            "concrete",
            False,
            f"{quoted} has a verb ('{words[verb_at]}') but hardly an object: say what, or whom, "
            "in at least two more words.",
        )
    if vague:
        return Check(
            "concrete",
            True,
            f"'{vague}' on its own would be a wish, but the action names something specific "
            f"('{specific}'). We only looked for words: check that someone else could tell when "
            "it is done.",
        )
    return Check(
        "concrete",
        True,
        f"an action verb ('{words[verb_at]}') and an object. We only looked for words: "  # type: ignore[index]
        "check that someone else could tell when it is done.",
    )


def dated_check(date_text: object, phase: object, start: dt.date | None) -> Check:
    """``dated``: a valid date inside the item's phase window, counted from ``start``."""
    if phase not in PHASES:
        return Check("dated", False, "choose the item's phase (days 1–30, 31–60 or 61–90).")
    label = PHASE_LABELS[phase]  # type: ignore[index]
    when, problem = parse_date(date_text)
    if problem:
        return Check("dated", False, problem[0].upper() + problem[1:])
    window = ""
    if start is not None:
        first, last = phase_window(start, phase)  # type: ignore[arg-type]
        window = f" ({first.isoformat()} to {last.isoformat()})"
    if when is None:
        return Check("dated", False, f"add a date in {label}{window}, as YYYY-MM-DD.")
    if start is None:
        return Check(
            "dated", False, "type your start date first: the phase windows are counted from it."
        )
    day = day_number(start, when)
    found = phase_for_day(day)
    if found == phase:
        return Check("dated", True, f"{when.isoformat()} is day {day}, inside {label}.")
    if day < 1:
        days = 1 - day
        where = f"{when.isoformat()} is {days} day{'s' if days != 1 else ''} before your start date"
    elif found is None:
        where = f"{when.isoformat()} is day {day}, after day 90"
    else:
        where = f"{when.isoformat()} is day {day}, in {PHASE_LABELS[found]}"
    return Check(
        "dated",
        False,
        f"{where}, but the item is in {label}{window}: change the date or the phase.",
    )


def measure_check(measure: object) -> Check:
    """``measure``: an observable result; else a feeling or judgement fails it; else a number
    that is not a date or a day number (a word check: see the module docstring)."""
    text = _text(measure)
    if not text.strip():
        return Check(
            "measure",
            False,
            "add a measure: a number, or a result someone else can "
            "see (notes filed, a decision agreed, a page published).",
        )
    if long := _too_long("measure", "measure", text):
        return long
    seen = OBSERVABLE.search(text)
    if seen:
        return Check(
            "measure",
            True,
            f"a visible result ('{seen.group(0)}'). We only looked for words: check that "
            "someone else could confirm it.",
        )
    feeling = FEELINGS.search(text)
    if feeling:
        return Check(
            "measure",
            False,
            f"{_quote(text)} measures with '{feeling.group(0)}', which is how someone feels or a "
            "judgement, not something another person can see, even with a number or a date "
            "beside it. Name a number or a result: 'notes from five interviews', 'the plan "
            "signed off'.",
        )
    when = _TIME_REF.search(text)
    rest = _TIME_REF.sub(" ", text)
    number = re.search(r"\d+", rest) or _NUMBER_WORDS.search(rest)
    if number:
        return Check(
            "measure",
            True,
            f"a number ('{number.group(0)}'). We only looked for words: check that someone else "
            "could count it.",
        )
    if when:
        return Check(
            "measure",
            False,
            f"{_quote(text)} has a date or a day number ('{when.group(0)}'), which says when, "
            "not what. Name a number or a result someone else can see: 'notes from five "
            "interviews', 'the fix released'.",
        )
    return Check(
        "measure",
        False,
        f"{_quote(text)} has no number and none of our words for a visible result (notes, "
        "list, published, agreed …). How will someone else know it happened?",
    )


def _single(words: list[str]) -> str | None:
    """A capitalised word that can be a name (not a role, a group, a department or a plural)."""
    for w in words:
        if (
            w[0].isupper()
            and len(w) > 1
            and w not in _NAME_STOP
            and not ROLE_WORDS.fullmatch(w)
            and not _PLURAL_ROLES.fullmatch(w)
            and not _GROUPS.fullmatch(w)
        ):
            return w
    return None


def person_check(person: object) -> Check:
    """``person``: one person, a name or a single role, not a team, a department or a plural
    (a word check: see the module docstring)."""
    text = _text(person)
    if not text.strip():
        return Check(
            "person",
            False,
            "name the person you will talk to: a name, or a role such as 'my manager'.",
        )
    if long := _too_long("person", "person", text):
        return long
    words = _WORD.findall(text)
    one = "We looked for a name or a single role: check it is one person you can book time with."
    name = _single(words)
    if name:
        return Check("person", True, f"someone to talk to ('{name}'). {one}")
    role_of = _ROLE_OF.search(text)
    if role_of:
        return Check("person", True, f"someone to talk to ('{role_of.group(0)} …'). {one}")
    ask = "Name one person, or a single role such as 'the head of support'."
    plural = _PLURAL_ROLES.search(text)
    if plural:
        return Check(
            "person",
            False,
            f"{_quote(text)} is a group ('{plural.group(0)}'), not one person you can book time "
            f"with. {ask}",
        )
    role = ROLE_WORDS.search(text)
    if role:
        return Check("person", True, f"someone to talk to ('{role.group(0)}'). {one}")
    group = _GROUPS.search(text)
    if group:
        return Check(
            "person",
            False,
            f"{_quote(text)} is a team or a group ('{group.group(0)}'), not one person you can "
            f"book time with. {ask}",
        )
    lowered = [w.lower() for w in words]
    looks_like_name = 1 <= len(words) <= 4 and all(w.isalpha() and len(w) > 1 for w in words)
    if looks_like_name and not any(w in _NOT_A_NAME for w in lowered):
        return Check(
            "person",
            True,
            f"someone to talk to ('{_short(text.strip())}', read as a name). {one}",
        )
    return Check(
        "person",
        False,
        f"{_quote(text)}: we found no name and no role (manager, designer, customer …). {ask}",
    )


def kind_check(kind: object) -> Check:
    if kind in KINDS:
        label = KIND_LABELS[str(kind)]
        article = "an" if label[0] in "aeiou" else "a"
        return Check("kind", True, f"{article} {label.replace(' ', '-')} item.")
    return Check("kind", False, "choose a kind: learning, relationship or early win.")


def is_blank_item(item: object) -> bool:
    """True if nothing was typed or chosen in an item except its phase."""
    if not isinstance(item, Mapping):
        return True
    texts = (item.get(k) for k in ("action", "date", "measure", "person"))
    return not any(_text(t).strip() for t in texts) and item.get("kind") not in KINDS


def item_checks(item: Mapping[str, object], start: dt.date | None) -> list[Check]:
    """The five checks of one item (``{"phase", "action", "date", "measure", "person",
    "kind"}``; missing or non-text values count as empty): concrete, dated, measure, person,
    kind. ``start`` is the plan's start date, or ``None`` if it has none yet."""
    get = item.get if isinstance(item, Mapping) else (lambda _k: None)
    return [
        concrete_check(get("action")),
        dated_check(get("date"), get("phase"), start),
        measure_check(get("measure")),
        person_check(get("person")),
        kind_check(get("kind")),
    ]


def _item_day(item: Mapping[str, object], start: dt.date | None) -> int | None:
    """The plan day an item is dated, or ``None`` without a start date or a valid date."""
    when, _ = parse_date(item.get("date"))
    if start is None or when is None:
        return None
    return day_number(start, when)


def early_win_in_first_60(item: Mapping[str, object], start: dt.date | None) -> bool:
    """An early-win item dated in days 1–60; without a usable date, one in phase 30 or 60."""
    if not isinstance(item, Mapping) or item.get("kind") != "early_win":
        return False
    day = _item_day(item, start)
    if day is not None:
        return 1 <= day <= 60
    return item.get("phase") in (30, 60)


#: A review counts for a block when it is dated in the block's last this-many days.
REVIEW_DAYS = 7
_PLAN_NOUN = re.compile(r"\b(?:the|my|this|our|your|a)\s+(?:[\w/–-]+\s+){0,2}plan\b", re.I)
_AGREE = re.compile(
    r"\b(agree\w*|share\w*|review\w*|discuss\w*|present\w*|confirm\w*|sign(?:s|ed)?\s+off|"
    r"walk\w*\s+(?:\w+\s+)?through|go(?:es)?\s+(?:\w+\s+)?through|align\w*)\b",
    re.I,
)
_REVIEW = re.compile(
    r"\b(review\w*|retrospective|retro|look(?:s|ing)?\s+back|take\s+stock|check-in)\b", re.I
)
_PERIOD = re.compile(
    r"\b(plan|block|progress|\d+\s+days|days\s+\d+|day\s+\d+|month|window|goals?)\b", re.I
)


def agrees_plan(item: Mapping[str, object], start: dt.date | None) -> bool:
    """An item in days 1–30 whose action agrees, shares or reviews the plan itself ("Agree this
    90-day plan with my manager"); without a usable date, one in phase 30 (a word check)."""
    if not isinstance(item, Mapping) or is_blank_item(item):
        return False
    action = _text(item.get("action"))[:ITEM_FIELD_MAX]
    if not (_PLAN_NOUN.search(action) and _AGREE.search(action)):
        return False
    day = _item_day(item, start)
    if day is not None:
        return 1 <= day <= 30
    return item.get("phase") == 30


def reviews_block(item: Mapping[str, object], start: dt.date | None) -> int | None:
    """The block (30, 60 or 90) an item reviews: its action reviews the plan or the period
    ("Review the first 30 days with my manager") and it is dated in the last
    :data:`REVIEW_DAYS` days of that block; without a usable date, its phase. ``None`` if it is
    not a review (a word check)."""
    if not isinstance(item, Mapping) or is_blank_item(item):
        return None
    action = _text(item.get("action"))[:ITEM_FIELD_MAX]
    if not (_REVIEW.search(action) and _PERIOD.search(action)):
        return None
    day = _item_day(item, start)
    if day is None:
        phase = item.get("phase")
        return phase if phase in PHASES and not isinstance(phase, bool) else None  # type: ignore[return-value]
    block = phase_for_day(day)
    if block is not None and day > block - REVIEW_DAYS:
        return block
    return None


def _review_window(start: dt.date | None, block: int) -> str:
    days = f"days {block - REVIEW_DAYS + 1}–{block}"
    if start is None:
        return days
    first = start + dt.timedelta(days=block - REVIEW_DAYS)
    last = start + dt.timedelta(days=block - 1)
    return f"{days}, {first.isoformat()} to {last.isoformat()}"


def plan_checks(items: Iterable[Mapping[str, object]], start: dt.date | None) -> list[Check]:
    """Balance across the plan's non-blank items: ``learning``, ``relationship``, ``early_win``
    (at least one of each), ``early_win_60`` (an early win in days 1–60), ``plan_agreed`` (the
    plan agreed in days 1–30) and ``block_reviews`` (a review at the end of each block)."""
    used = [i for i in items if isinstance(i, Mapping) and not is_blank_item(i)]
    counts = {k: sum(i.get("kind") == k for i in used) for k in KINDS}
    checks = []
    advice = {
        "learning": "what will you learn first, and from whom or what?",
        "relationship": "who do you need on your side, and when will you meet them?",
        "early_win": "what visible result can you deliver early, that the people you work for "
        "care about?",
    }
    for kind in KINDS:
        n = counts[kind]
        label = KIND_LABELS[kind]
        checks.append(
            Check(
                kind,
                n > 0,
                f"{n} {label} item{'s' if n != 1 else ''}."
                if n
                else f"no {label} item yet: {advice[kind]}",
            )
        )
    early = [i for i in used if early_win_in_first_60(i, start)]
    if early:
        msg = (
            f"an early win in the first 60 days ({_quote(_text(early[0].get('action')), 60)}). "
            "Watkins: early wins build your credibility and momentum."
        )
    elif counts["early_win"]:
        msg = (
            "your early wins all fall after day 60. Watkins argues that early wins build "
            "credibility and momentum; this course asks for one in the first 60 days, so it has "
            "time to be seen before day 90."
        )
    else:
        msg = "no early win in the first 60 days: plan one in days 1–60."
    checks.append(Check("early_win_60", bool(early), msg))

    looked = "We looked for the plan and a verb such as agree, share or review"
    agreed = [i for i in used if agrees_plan(i, start)]
    if agreed:
        msg = (
            f"the plan is agreed early ({_quote(_text(agreed[0].get('action')), 60)}). Watkins "
            "(2003) advises agreeing a written 90-day plan with your boss, as a kind of contract "
            f"on how your time will be spent. {looked}: check that the person is the one "
            "you report to."
        )
    else:
        window = ""
        if start is not None:
            first, last = phase_window(start, 30)
            window = f" ({first.isoformat()} to {last.isoformat()})"
        msg = (
            "no item in days 1–30 agrees the plan with the person you report to. Watkins (2003) "
            "advises sharing a written 90-day plan with your boss and getting their agreement; "
            f"add an item such as 'Agree this 90-day plan with my manager', dated in days "
            f"1–30{window}. {looked}, in the action."
        )
    checks.append(Check("plan_agreed", bool(agreed), msg))

    reviewed = {b for i in used if (b := reviews_block(i, start)) is not None}
    missing = [b for b in PHASES if b not in reviewed]
    looked = (
        "We looked for a verb such as review with the plan or the period ('the first 30 days', "
        "'progress')"
    )
    if not missing:
        msg = (
            "a review at the end of each 30-day block. Watkins (2003) suggests a review meeting "
            f"with your boss at the end of each block. {looked}: check each is with the person "
            "you report to."
        )
    else:
        where = "; ".join(f"{PHASE_LABELS[b]} ({_review_window(start, b)})" for b in missing)
        msg = (
            f"no review at the end of {where}. Watkins (2003) suggests a review meeting with "
            "your boss at the end of each 30-day block: add an item such as 'Review the first "
            f"{missing[0]} days against the plan with my manager', dated in those days. {looked}."
        )
    checks.append(Check("block_reviews", not missing, msg))
    return checks
