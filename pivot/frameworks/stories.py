"""Interview stories: situation, task, action, result, and light checks of each part. Pure
functions, no widgets.

Sources:

- McDowell, G. L. & Bavaro, J. (2013), *Cracking the PM Interview*, CareerCup: the kinds of
  question a product manager is asked (behavioural, estimation, product, case and technical or
  coding questions), each with its own chapter.
- McDowell, G. L. (2015), *Cracking the Coding Interview*, 6th ed., CareerCup, the chapter on
  behavioural questions: answer with a structure, "nugget first" and S.A.R. (situation,
  action, result); keep the situation and the result short, because the action is usually the
  most important part; and talk about yourself, not your team (listen for how often you say
  "we" against "I").
- Situation–task–action–result (STAR) itself is common interview practice with no single
  canonical source; it is widely attributed to the behaviour-based interviewing of the
  consultancy Development Dimensions International (DDI).

Every check here reads words, not meaning, and its message says what it looked for. A check
passes or fails; a warning is always a failure, never a pass with a caveat:

- ``parts``: each of the four parts has at least :data:`MIN_WORDS` words;
- ``length``: the story fits a two-minute answer at an *assumed* speaking rate of
  :data:`SPEAKING_RATE_WPM` words a minute (a rough figure for unhurried speech, not a
  measurement), each part within its share of :data:`WORD_BUDGET`, the action at least as long
  as the situation, and the whole at least :data:`MIN_ANSWER_SECONDS` seconds long
  (:data:`MIN_STORY_WORDS` words at that rate): shorter, there is no room to show anything;
- ``number``: the result has a figure, a percentage, a count or a time (:func:`numbers_in`);
  a date (a month, a weekday, a year, a quarter such as Q3) is not a result;
- ``i_action``: "I" is the subject of the action (:func:`first_person`: "I", "I'd", "I've",
  "I'm", "I'll"; "my", "me" and "mine" say whose, not who acted, and "I think" is an opinion,
  not an action), and "we" does not outnumber it :data:`WE_RATIO` to one or more;
- ``task_owned``: the task says what *you* were responsible for ("my job", "I had to"); a task
  that belongs to "my team" or to someone else is not yet yours;
- ``shift``: the shift the learner chose scores at least as high as any other on the cue words
  of :data:`CUES` (from the course's own chapters), each cue counted once, at the weight
  (:data:`PART_WEIGHTS`) of the part it appears in: the action's words count most, the
  situation's least. Cues are only cues: a disagreement is a prompt to check the story, not a
  verdict.

The number and shift checks read the first :data:`READ_CHARS` characters of each part: a part
that long is far over its budget already, and the length check says so.

:func:`coverage` says whether a set of stories covers all four shifts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .discovery import Check

__all__ = [
    "ANSWER_MINUTES",
    "CHECK_NAMES",
    "CUES",
    "MIN_ANSWER_SECONDS",
    "MIN_STORY_WORDS",
    "MIN_WORDS",
    "PARTS",
    "PART_WEIGHTS",
    "READ_CHARS",
    "SHIFTS",
    "SPEAKING_RATE_WPM",
    "WE_RATIO",
    "WORD_BUDGET",
    "Coverage",
    "coverage",
    "cue_words",
    "dates_in",
    "first_person",
    "hedges_in",
    "likely_shifts",
    "numbers_in",
    "owned_in",
    "part_text",
    "shift_of",
    "speaking_seconds",
    "stories_by_shift",
    "story_checks",
    "story_cue_scores",
    "story_cue_words",
    "story_shifts",
    "story_text",
    "total_words",
    "word_count",
]

#: The four parts of a story, in the order they are told, with their labels.
PARTS: tuple[tuple[str, str], ...] = (
    ("situation", "Situation"),
    ("task", "Task"),
    ("action", "Action"),
    ("result", "Result"),
)
#: The article's four shifts, by number (their titles are in ``data/shifts.csv``).
SHIFTS: tuple[int, ...] = (1, 2, 3, 4)
#: The checks of :func:`story_checks`, in order.
CHECK_NAMES: tuple[str, ...] = ("parts", "length", "number", "i_action", "task_owned", "shift")

#: An assumed speaking rate for an unhurried answer, in words a minute. It is an assumption, not
#: a measurement: people speak slower or faster, so read the timings as rough.
SPEAKING_RATE_WPM = 150
#: How long one story should take to tell.
ANSWER_MINUTES = 2
#: Most words for each part: together the two minutes at :data:`SPEAKING_RATE_WPM`, with most
#: of them for the action (the part interviewers ask about most).
WORD_BUDGET: dict[str, int] = {"situation": 60, "task": 40, "action": 140, "result": 60}
#: Fewest words for a part to count as written.
MIN_WORDS = 3
#: The shortest story worth telling, in seconds at :data:`SPEAKING_RATE_WPM`: this course's
#: judgement, not a measured figure. In less, there is no room for a situation, a task of your
#: own, the steps of an action and a result.
MIN_ANSWER_SECONDS = 30
#: :data:`MIN_ANSWER_SECONDS` as words at the assumed rate (rounded up).
MIN_STORY_WORDS = math.ceil(MIN_ANSWER_SECONDS * SPEAKING_RATE_WPM / 60)
#: The action fails its check when "we" is the subject this many times as often as "I", or more.
WE_RATIO = 2
#: How much a cue word counts towards a shift, by the part it appears in: what you did counts
#: most, the background least.
PART_WEIGHTS: dict[str, int] = {"situation": 1, "task": 2, "action": 3, "result": 2}

#: How much of each part the number and shift checks read: a part this long is far over its
#: budget already (the length check says so), and reading further would only slow the feedback.
READ_CHARS = 2_000

_WORD = re.compile(r"[^\W_]+(?:['’.,-][^\W_]+)*")


def part_text(story: object, key: str) -> str:
    """One part of a story (a mapping); anything that is not text counts as empty."""
    value = story.get(key) if isinstance(story, Mapping) else None
    return value if isinstance(value, str) else ""


def word_count(text: object) -> int:
    """How many words ``text`` has (a number such as "12" or "4.5" is one word; not text: 0)."""
    return len(_WORD.findall(text)) if isinstance(text, str) else 0


def total_words(story: object) -> int:
    """Words in all four parts of ``story``."""
    return sum(word_count(part_text(story, key)) for key, _ in PARTS)


def speaking_seconds(words: int, rate: float = SPEAKING_RATE_WPM) -> int:
    """Seconds to say ``words`` words at ``rate`` words a minute, rounded to the nearest second."""
    if rate <= 0:
        raise ValueError(f"rate must be a positive number of words a minute (got {rate!r})")
    return round(max(words, 0) * 60 / rate)


def story_text(story: object) -> str:
    """The four parts of ``story`` as one text."""
    return "\n".join(part_text(story, key) for key, _ in PARTS)


# --- the result: a number, not a date --------------------------------------------------------
_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    "ninety|hundreds?|thousands?|millions?|billions?|dozens?|half|halved|third|a quarter|"
    "twice|double[ds]?|doubling|tripled?|threefold|tenfold"
)
_UNITS = r"seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|sprints?"
_NUMBER = re.compile(
    rf"\d[\d,.]*\s*%?|\bper ?cent\b|%|\b(?:{_NUMBER_WORDS})\b|\b(?:a|an|one)\s+(?:{_UNITS})\b",
    re.I,
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?"
_YEAR = r"(?:19|20)\d\d"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR_WORDS = (
    r"in|since|by|until|till|during|from|to|of|early|late|mid|mid-|spring|summer|autumn|fall|"
    r"winter|the|year|end of|start of"
)
#: A year follows one of these words (each a fixed-width look-behind, as ``re`` needs).
_AFTER_YEAR_WORD = "|".join(
    rf"(?<=\b{w})" if w.endswith("-") else rf"(?<=\b{w}\s)" for w in _YEAR_WORDS.split("|")
)
#: Dates, which say when and not how much: a day and month ("12 March", "March 12th", "May
#: 2024"), a weekday, a quarter ("Q3", "Q3 2024", "FY24"), and a year: 1900 to 2099 after a word
#: such as "in" or "since", after a month, or at the end of a clause ("from 2019 to 2021."). A
#: bare "2023 calls" is a count; the month "May" on its own is not a date (it is also a verb).
_DATE = re.compile(
    rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b"
    rf"|\b{_MONTH}\s+(?:{_DAY}(?:,?\s+{_YEAR})?|{_YEAR})\b"
    rf"|\b(?!May\b){_MONTH}(?![\w-])"
    rf"|\b{_WEEKDAY}\b"
    rf"|\b(?:Q[1-4]|H[12])(?:\s+{_YEAR}|\s*FY\d\d)?\b|\bFY\s?(?:\d\d){{1,2}}\b"
    rf"|(?:{_AFTER_YEAR_WORD})\s*{_YEAR}\b"
    rf"|\b{_YEAR}(?=\s*(?:[.,;:!?)]|$))",
    re.I | re.M,
)


def dates_in(text: object) -> list[str]:
    """The dates in ``text`` (see :data:`_DATE`), each once, in order: they are not numbers."""
    if not isinstance(text, str):
        return []
    found: list[str] = []
    for m in _DATE.finditer(text):
        word = re.sub(r"\s+", " ", m.group(0)).strip()
        if word and word.lower() not in (f.lower() for f in found):
            found.append(word)
    return found


def numbers_in(text: object) -> list[str]:
    """The figures, percentages, counts and times in ``text``, each once, in order: digits
    ("12", "4.5", "40 %"), "per cent", number words from two upwards ("six", "half", "twice";
    "one" only in a time such as "one week", since "one" is often not a count) and a time such
    as "a week". Dates are left out (:func:`dates_in`): a month, a weekday, a quarter or a year
    says when something happened, not how much changed."""
    if not isinstance(text, str):
        return []
    text = _DATE.sub(lambda m: " " * len(m.group(0)), text)
    found: list[str] = []
    for m in _NUMBER.finditer(text):
        word = re.sub(r"\s+", " ", m.group(0)).strip().rstrip(".,")
        if word and word.lower() not in (f.lower() for f in found):
            found.append(word)
    return found


# --- the action and the task: who did it -------------------------------------------------------
#: "I" as a subject: "I", "I'd", "I've", "I'm", "I'll" (capital only: a lower-case "i" is not
#: the pronoun; "I/O" is not it either).
_I_SUBJECT = re.compile(r"\bI(?:['’](?:d|ve|m|ll))?\b(?![/-])")
#: "we" as a subject: "we", "we'd", "we've", "we're", "we'll".
_WE_SUBJECT = re.compile(r"\bwe(?:['’](?:d|ve|re|ll))?\b(?![/-])", re.I)
#: "I" with a verb of opinion says what the speaker thinks, not what they did.
_HEDGE = re.compile(
    r"\bI\s+(?:(?:really|honestly|personally|just|also|still)\s+)?"
    r"(?:think|thought|believe|believed|guess|feel|felt|suppose|hope|hoped|mean|imagine|"
    r"reckon|expect)\b|\bI(?:['’]d|\s+would)\s+say\b|\bI(?:['’]m|\s+am)\s+sure\b"
)
#: A shared subject at the start of a sentence: "My team and I", "Sofia and I" (counted as "we").
_SHARED = re.compile(
    r"(?:^|(?<=[.!?;:]))\s*(?:(?i:my|our|the|a|an)\s+(?:[\w'’-]+\s+){0,2}?[\w'’-]+|[A-Z][\w'’-]*)"
    r"\s+and\s+I\b",
    re.M,
)
#: Whose: people and groups other than the learner ("my team" is not "my job").
_OTHERS = (
    r"team|teams|group|squad|company|department|dept|manager|managers|boss|lead|leads|"
    r"colleague|colleagues|engineers?|developers?|designers?|org|organi[sz]ation|ceo|cto|cpo|vp|"
    r"director|head|peers?|clients?|customers?|users?|partner|partners|reports?|staff|unit|"
    r"tribe|crew|crews|side"
)
_MINE = re.compile(
    rf"(?<!\bnot\s)(?<!n't\s)(?<!n’t\s)\bmy\s+(?!(?:{_OTHERS})\b)[\w'’-]+"
    r"|\b(?:was|were|is|are)\s+mine\b",
    re.I,
)
_GROUP = re.compile(
    rf"\b(?:my|our|the|his|her|their)\s+(?:[\w'’-]+\s+)?(?:{_OTHERS})\b(?!'s|’s)"
    r"|\b(?:my|our)\s+(?:[\w'’-]+\s+)?(?:team|manager|boss|lead|company)'s\b",
    re.I,
)


def hedges_in(text: object) -> list[str]:
    """The "I think", "I believe", "I guess" … in ``text``, as written, each once."""
    if not isinstance(text, str):
        return []
    return list(dict.fromkeys(re.sub(r"\s+", " ", m.group(0)) for m in _HEDGE.finditer(text)))


def first_person(text: object) -> tuple[int, int]:
    """Who acts in ``text``: how often "I" is the subject and how often "we" is, as ``(i, we)``.

    "I" counts as "I", "I'd", "I've", "I'm" and "I'll"; "my", "me", "mine" and "myself" do not
    count, because they say whose something was, not who acted. An "I" of opinion ("I think",
    "I believe", :func:`hedges_in`) does not count either. A shared subject at the start of a
    sentence ("My team and I met") counts as "we". "We" counts as "we", "we'd", "we've",
    "we're" and "we'll"; "us" and "our" do not."""
    if not isinstance(text, str):
        return 0, 0
    shared = len(_SHARED.findall(text))
    hedged = len(_HEDGE.findall(text))
    singular = len(_I_SUBJECT.findall(text)) - shared - hedged
    plural = len(_WE_SUBJECT.findall(text)) + shared
    return max(singular, 0), plural


def owned_in(text: object) -> list[str]:
    """What in ``text`` says the work was the speaker's own: "I" as a subject (an "I had to",
    "I owned"), a "my" that is not someone else ("my job", "my release"; not "my team", "my
    manager") and "was mine". Each as written, once, in order."""
    if not isinstance(text, str):
        return []
    found: list[tuple[int, str]] = [(m.start(), m.group(0)) for m in _MINE.finditer(text)]
    if first_person(text)[0]:
        blocked = {m.start() for m in _HEDGE.finditer(text)}
        blocked |= {m.end() - 1 for m in _SHARED.finditer(text)}
        for m in _I_SUBJECT.finditer(text):
            if m.start() in blocked:
                continue
            tail = re.match(
                r"\s*((?:(?:was|am|had|have|got)\s+)?[\w'’-]+(?:\s+to)?)", text[m.end() :]
            )
            found.append((m.start(), f"{m.group(0)} {tail.group(1)}" if tail else m.group(0)))
    return list(dict.fromkeys(word for _, word in sorted(found)))


# --- the shift: cue words from the course's vocabulary ----------------------------------------
#: Cue words and phrases for each shift, from the course's own chapters and from the plain words
#: people use for the same habits: ``(label, pattern)``, the label as the learner reads it and a
#: regular expression matched as whole words, in any case (acronyms as written). They are cues,
#: not a definition: a story can show a shift in words that are not here, and use a shift's
#: words without showing it. Words every story uses ("customer", "problem", "agreed",
#: "proposed") are left out on purpose: they do not tell one shift from another.
_CONTACT = (
    r"(?:talk(?:ed|ing)?|spoke|speak(?:ing)?) (?:to|with)|(?:sat|sit|sitting) (?:in )?with|"
    r"met with|visit(?:ed|ing)?|rang|phon(?:ed|ing)|call(?:ed|ing)|interview(?:ed|ing)?|"
    r"shadow(?:ed|ing)?|watch(?:ed|ing)|observ(?:ed|ing)|survey(?:ed|ing)?|listen(?:ed|ing)? to"
)
_FEW = (
    r"(?:(?:the|our|some|a|few|several|of|those|these|their|its|own|more|dozen|\d+|two|three|"
    r"four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|real|actual|paying)\s+){0,3}"
)
_PEOPLE = (
    r"customers?|users?|clients?|buyers?|dispatchers?|technicians?|owners?|patients?|"
    r"shoppers?|members?|people who (?:use|used|had)|accounts?"
)
CUES: dict[int, tuple[tuple[str, str], ...]] = {
    1: (
        ("talked to customers", rf"(?:{_CONTACT}) {_FEW}(?:{_PEOPLE})"),
        ("interview", r"interview\w*"),
        ("the last time", r"(?:what happened )?the last time"),
        ("walk me through", r"walk(?:ed|s)? (?:me|us) through"),
        ("find out why", r"(?:find|found|finding) out (?:why|what|who|how)|understand(?:ing)? why"),
        (
            "what it was for",
            r"what (?:it|they) (?:was|were|is|are) for|who (?:it|this) (?:was|is) for|for whom",
        ),
        ("the real problem", r"(?:real|underlying|actual|root) (?:problem|need|cause|reason)s?"),
        ("trying to do", r"trying to (?:do|get done|achieve|get)"),
        ("workaround", r"workarounds?"),
        (
            "before anyone built it",
            r"before (?:anyone|we|I|they|the team) (?:built|build|wrote|started)"
            r"|before (?:building|writing any code)",
        ),
        ("problem statement", r"problem statements?"),
        ("pain point", r"pain points?"),
        ("research", r"research\w*"),
        ("evidence", r"evidence"),
        ("discovery", r"discovery"),
        ("opportunity", r"opportunit(?:y|ies)"),
        ("survey", r"survey\w*"),
        ("churn", r"churn\w*"),
        ("snippet", r"snippets?"),
        ("shadowed", r"shadow\w*"),
        ("observed", r"observ\w*"),
        ("watched", r"watch(?:ed|ing)"),
        ("sat with", r"(?:sat|sit|sitting) (?:in )?with|sat in on"),
        ("jobs to be done", r"jobs? to be done"),
    ),
    2: (
        ("stakeholder", r"stakeholders?"),
        (
            "one-to-one",
            r"one-to-ones?|one on one|on (?:his|her|their) own|separately|in private|privately",
        ),
        ("what they cared about", r"cared about|cares about|care about|mattered (?:most )?to"),
        ("concerns", r"concerns?|objections?|worried|worries"),
        ("their support", r"(?:\w+'s|\w+’s|his|her|their) support|support (?:for|from)"),
        (
            "won them over",
            r"w[oi]n (?:him|her|them|everyone|people) (?:over|round)"
            r"|(?:brought|bring|got|get) (?:him|her|them|everyone) (?:round|around|on board)"
            r"|on board",
        ),
        ("on my side", r"on (?:my|our|the same|his|her|their) side"),
        (
            "common ground",
            r"common ground|middle ground|meet (?:in the )?(?:middle|halfway)|win-win",
        ),
        ("trade", r"trade[ds]?|trading|in return|in exchange"),
        ("offer", r"offer(?:ed|s)?|counter-offers?"),
        ("escalate", r"escalat\w*|over (?:his|her|their|my) head"),
        ("push back", r"push(?:ed|ing)? back|pushback"),
        ("authority", r"authority"),
        ("align", r"align\w*"),
        ("disagree", r"disagree\w*"),
        ("persuade", r"persua\w*"),
        ("convince", r"convinc\w*"),
        ("influence", r"influenc\w*"),
        ("negotiate", r"negotiat\w*"),
        ("pitch", r"pitch\w*"),
        ("compromise", r"compromise\w*"),
        ("conflict", r"conflicts?"),
        ("buy-in", r"buy-in"),
        ("speak up", r"spoke up|speak up|speaking up"),
        ("listen", r"listen\w*"),
        ("presented", r"present(?:ed|ation|ations)"),
        ("answer first", r"answer first"),
        ("interest", r"interests?"),
        ("position", r"positions?"),
        ("BATNA", r"BATNA"),
        ("package", r"packages?"),
    ),
    3: (
        (
            "let the team decide how",
            r"let (?:the|my|our) (?:team|engineers|developers|designers?) "
            r"(?:decide|choose|pick|design|work out|figure out)"
            r"|left (?:it |the how |the design )?to (?:the|my) (?:engineers|team|developers)"
            r"|(?:asked|trusted) (?:the )?(?:engineers|team|developers) (?:to )?"
            r"(?:choose|decide|pick|design|work out)"
            r"|(?:the )?engineers (?:chose|picked|decided|designed|worked out)",
        ),
        ("the how", r"the how|what,? not how"),
        ("handed over", r"hand(?:ed|ing)? (?:it |them |the \w+ )?over|hand(?:ed)? off|handover"),
        (
            "decided what to build",
            r"(?:decide|decided|deciding|chose|choose|choosing) what "
            r"(?:to build|we (?:would )?build|the team (?:would )?build|we built|the team built"
            r"|to ship)",
        ),
        ("outcome", r"outcomes?"),
        (
            "what done looks like",
            r"what (?:done|good|success) (?:would )?looks? like"
            r"|what (?:done|good|success) looked like|definition of done",
        ),
        ("acceptance criteria", r"acceptance criteria"),
        ("said no", r"said no|say no|saying no|turned (?:it |them |the \w+ )?down|declined"),
        ("prioritise", r"prioriti[sz]\w*|priorit(?:y|ies)"),
        ("trade-off", r"trade-offs?|tradeoffs?"),
        ("scope", r"scop(?:e|ed|ing)|descop\w*"),
        ("capacity", r"capacity"),
        ("backlog", r"backlogs?"),
        ("roadmap", r"roadmaps?"),
        ("RICE", r"RICE"),
        ("WSJF", r"WSJF"),
        ("MoSCoW", r"MoSCoW"),
        ("person-months", r"person-months?"),
        ("user story", r"user stor(?:y|ies)"),
        ("requirement", r"requirements?"),
        ("delegated", r"delegat\w*"),
        ("ranked", r"rank\w*"),
        ("feasibility, viability, usability", r"feasibility|viability|usability"),
    ),
    4: (
        ("got it wrong", r"(?:got|get|getting|had got|was|were|went|gone|going|go) wrong"),
        ("blame", r"blam\w*"),
        ("next version", r"next (?:version|iteration|release|attempt|round|time)"),
        ("mistake", r"mistakes?"),
        ("fail", r"fail\w*"),
        ("learned", r"learn(?:ed|t|ing)"),
        ("lesson", r"lessons?"),
        ("did not work", r"did(?: not|n't|n’t) (?:work|move|change|help)"),
        (
            "stopped it",
            r"stop (?:it |the \w+ )?if|stopped (?:it|the test|the experiment|the trial)|would stop",
        ),
        ("rolled back", r"roll(?:ed)? (?:it )?back|rollback|revert\w*"),
        ("owned up", r"owned up|admitted|took responsibility"),
        ("do differently", r"(?:do|did|done) (?:it |things )?differently"),
        ("experiment", r"experiment\w*"),
        ("test", r"test(?:s|ed|ing)?"),
        ("trial", r"trials?"),
        ("hypothesis", r"hypothes[ie]s"),
        ("A/B", r"A/B"),
        ("assumption", r"assum\w*"),
        ("kill", r"kill\w*"),
        ("iterate", r"iterat\w*"),
        ("risk", r"risk\w*"),
        ("pre-mortem", r"pre-?mortems?"),
        ("postmortem", r"post-?mortems?"),
        ("retrospective", r"retrospective\w*"),
        ("uncertainty", r"uncertain\w*"),
        ("bet", r"bets?"),
        ("learning log", r"learning log"),
    ),
}
#: Cues matched as written (acronyms and names), not in any case.
_CASE_SENSITIVE = frozenset({"RICE", "WSJF", "MoSCoW", "BATNA", "A/B"})


def _cue_pattern(label: str, pattern: str) -> tuple[bool, re.Pattern[str]]:
    """``(one word?, compiled)``: a cue without a space is matched against each word of the
    text (fast, and whole words by construction); a phrase is searched for in the text."""
    flags = 0 if label in _CASE_SENSITIVE else re.I
    if " " in pattern:
        return False, re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", flags)
    return True, re.compile(rf"(?:{pattern})", flags)


_CUE_RE: dict[int, tuple[tuple[bool, re.Pattern[str]], ...]] = {
    shift: tuple(_cue_pattern(label, pattern) for label, pattern in cues)
    for shift, cues in CUES.items()
}
#: A word as the cues see it: letters and digits, with hyphens, slashes and apostrophes inside
#: ("person-months", "A/B", "didn't").
_CUE_TOKEN = re.compile(r"[^\W_]+(?:[-/'’][^\W_]+)*")


def _cue_hits(text: object) -> dict[int, dict[int, str]]:
    """For each shift, ``{index of the cue in CUES: the words it matched}``."""
    found: dict[int, dict[int, str]] = {s: {} for s in SHIFTS}
    if not isinstance(text, str) or not text.strip():
        return found
    words = list(dict.fromkeys(_CUE_TOKEN.findall(text)))  # each word once, in text order
    for shift, patterns in _CUE_RE.items():
        for index, (one_word, pattern) in enumerate(patterns):
            if one_word:
                hit = next((w for w in words if pattern.fullmatch(w)), None)
            else:
                m = pattern.search(text)
                hit = m.group(0) if m else None
            if hit:
                found[shift][index] = re.sub(r"\s+", " ", hit).lower()
    return {s: _without_repeats(hits) for s, hits in found.items()}


def _without_repeats(hits: dict[int, str]) -> dict[int, str]:
    """Leave out a cue whose words lie inside another cue's ("sat with" inside "sat with two
    users", "learning" inside "learning log"): the same words count once."""
    return {
        i: w
        for i, w in hits.items()
        if not any(
            j != i and w != v and re.search(rf"\b{re.escape(w)}\b", v) for j, v in hits.items()
        )
    }


def cue_words(text: object) -> dict[int, list[str]]:
    """For each shift, the cue words of :data:`CUES` found in ``text`` (as written, lower-cased,
    each cue once, in the order of :data:`CUES`)."""
    return {s: [w for _, w in sorted(hits.items())] for s, hits in _cue_hits(text).items()}


def _likely(counts: Mapping[int, int]) -> tuple[int, ...]:
    best = max(counts.values())
    return () if best == 0 else tuple(s for s in SHIFTS if counts[s] == best)


def likely_shifts(text: object) -> tuple[int, ...]:
    """The shift or shifts with the most distinct cues in ``text``, in order; ``()`` when no cue
    appears at all. For a story, :func:`story_shifts` weighs the cues by part."""
    return _likely({s: len(words) for s, words in cue_words(text).items()})


def _story_hits(story: object) -> dict[int, dict[int, tuple[int, str]]]:
    """For each shift, ``{cue index: (weight, words)}``: each cue at the highest weight of the
    parts it appears in."""
    best: dict[int, dict[int, tuple[int, str]]] = {s: {} for s in SHIFTS}
    for key, _ in PARTS:
        weight = PART_WEIGHTS[key]
        for shift, hits in _cue_hits(part_text(story, key)[:READ_CHARS]).items():
            for index, words in hits.items():
                if index not in best[shift] or best[shift][index][0] < weight:
                    best[shift][index] = (weight, words)
    for shift, hits in best.items():
        kept = _without_repeats({i: w for i, (_, w) in hits.items()})
        best[shift] = {i: hits[i] for i in kept}
    return best


def _scores(hits: Mapping[int, Mapping[int, tuple[int, str]]]) -> dict[int, int]:
    return {s: sum(w for w, _ in found.values()) for s, found in hits.items()}


def _words(hits: Mapping[int, Mapping[int, tuple[int, str]]]) -> dict[int, list[str]]:
    return {
        s: [words for _, (w, words) in sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0]))]
        for s, found in hits.items()
    }


def story_cue_scores(story: object) -> dict[int, int]:
    """Each shift's score for ``story``: every cue of :data:`CUES` found, counted once, at the
    weight (:data:`PART_WEIGHTS`) of the most telling part it appears in (the action counts
    most, the situation least)."""
    return _scores(_story_hits(story))


def story_cue_words(story: object) -> dict[int, list[str]]:
    """For each shift, the cue words found in ``story``, the most telling first (by the weight
    of their part, then in the order of :data:`CUES`)."""
    return _words(_story_hits(story))


def story_shifts(story: object) -> tuple[int, ...]:
    """The shift or shifts with the highest :func:`story_cue_scores`, in order; ``()`` when no
    cue appears at all."""
    return _likely(story_cue_scores(story))


def shift_of(value: object) -> int | None:
    """A shift number (1 to 4) from a saved or chosen value (``2``, ``"2"``), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value in SHIFTS else None
    if isinstance(value, str) and value.strip().isdigit():
        return shift_of(int(value.strip()))
    return None


# --- the checks of one story -----------------------------------------------------------------
def _listed(words: Iterable[str]) -> str:
    shown = [f"'{w}'" for w in words]
    more = f" and {len(shown) - 5} more" if len(shown) > 5 else ""
    return ", ".join(shown[:5]) + more


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _parts_check(story: object) -> Check:
    thin = [label.lower() for key, label in PARTS if word_count(part_text(story, key)) < MIN_WORDS]
    if not thin:
        return Check(
            "parts",
            True,
            "all four parts are written: where you were, what was yours to do, what you did, "
            "and what came of it.",
        )
    return Check(
        "parts",
        False,
        f"still to write (at least {MIN_WORDS} words each): {', '.join(thin)}. An interviewer "
        "who hears no task cannot tell what was yours, and one who hears no result cannot tell "
        "whether it mattered.",
    )


def _length_check(story: object) -> Check:
    words = {key: word_count(part_text(story, key)) for key, _ in PARTS}
    total = sum(words.values())
    limit = sum(WORD_BUDGET.values())
    seconds = speaking_seconds(total)
    timing = (
        f"{total} words, about {seconds} seconds at an assumed {SPEAKING_RATE_WPM} words a minute"
    )
    if total == 0:
        return Check("length", False, "nothing to time yet: write the story first.")
    over = [
        f"{label.lower()} {words[key]} of {WORD_BUDGET[key]}"
        for key, label in PARTS
        if words[key] > WORD_BUDGET[key]
    ]
    if over or total > limit:
        return Check(
            "length",
            False,
            f"{timing}: longer than a {ANSWER_MINUTES}-minute answer ({limit} words). Over "
            f"its share: {', '.join(over) or 'none, but the total is'}. Cut the detail the "
            "interviewer does not need; they can ask for more.",
        )
    if total < MIN_STORY_WORDS:
        return Check(
            "length",
            False,
            f"{timing}: too short to show anything. Under about {MIN_ANSWER_SECONDS} seconds "
            f"({MIN_STORY_WORDS} words at that rate) there is no room for the situation, your "
            "task, the steps of your action and what changed. Add the steps: what you did "
            "first, what next, and why.",
        )
    if words["action"] < words["situation"]:
        return Check(
            "length",
            False,
            f"{timing}, within {ANSWER_MINUTES} minutes, but the situation "
            f"({words['situation']} words) is longer than the action ({words['action']}). The "
            "action is what the interviewer is listening for: shorten the set-up, break the "
            "action into steps.",
        )
    return Check(
        "length",
        True,
        f"{timing}, within a {ANSWER_MINUTES}-minute answer, with the action the longest part. "
        "The rate is an assumption: time yourself saying it aloud.",
    )


def _number_check(story: object) -> Check:
    result = part_text(story, "result")[:READ_CHARS]
    found = numbers_in(result)
    if found:
        return Check(
            "number",
            True,
            f"the result has a number: {_listed(found)}. We looked for figures, counts, "
            "percentages and times: check that the number measures what changed.",
        )
    if not result.strip():
        return Check("number", False, "no result yet: say what changed, with a number.")
    dates = dates_in(result)
    when = (
        f" {_listed(dates)} says when, not how much changed: a date is not a result."
        if dates
        else ""
    )
    return Check(
        "number",
        False,
        f"no figure, percentage, count or time in the result.{when} 'It went well' cannot be "
        "checked; 'calls about moved jobs fell from 30 a day to 12 in four weeks' can. If you "
        "have no number, say how you would have measured it.",
    )


def _hedge_note(text: str) -> str:
    hedges = hedges_in(text)
    if not hedges:
        return ""
    return f" {_listed(hedges)} says what you think, not what you did, so it does not count."


def _action_check(story: object) -> Check:
    action = part_text(story, "action")
    singular, plural = first_person(action)
    if not action.strip():
        return Check("i_action", False, "no action yet: say what you did, starting with 'I'.")
    note = _hedge_note(action)
    if singular and plural >= WE_RATIO * singular:
        return Check(
            "i_action",
            False,
            f"'we' acts {_times(plural)}, 'I' only {_times(singular)}.{note} The interviewer is "
            "hiring you, not your team: for each thing the team did, say what your own part "
            "was, with 'I'.",
        )
    if singular:
        return Check(
            "i_action",
            True,
            f"'I' acts {_times(singular)}, 'we' {_times(plural) if plural else 'never'}: you "
            "say what you did. We counted who is the subject: read each 'I' again and check it "
            "is something you did yourself.",
        )
    if plural:
        return Check(
            "i_action",
            False,
            f"written all in 'we' ('we' {_times(plural)}, no 'I').{note} An interviewer cannot "
            "tell what you did. Where it was your action, say 'I'; where the team did it, say "
            "what your part was.",
        )
    return Check(
        "i_action",
        False,
        f"nobody acts in it: no 'I' and no 'we' as the subject.{note} 'My' and 'me' say whose, "
        "not who did it. Say who did what: 'I …'.",
    )


def _task_check(story: object) -> Check:
    task = part_text(story, "task")
    if not task.strip():
        return Check(
            "task_owned", False, "no task yet: say what you were responsible for ('My job was …')."
        )
    owned = owned_in(task)
    if owned:
        return Check(
            "task_owned",
            True,
            f"the task says what was yours: {_listed(owned)}. We looked for the words: check "
            "that it names what you were responsible for.",
        )
    groups = list(dict.fromkeys(m.group(0) for m in _GROUP.finditer(task)))
    _, plural = first_person(task)
    if groups:
        said = f"the task names {_listed(groups)}, but not what you were responsible for"
    elif plural:
        said = "the task says what 'we' had to do, not what you were responsible for"
    else:
        said = "the task does not say who was responsible for it"
    return Check(
        "task_owned",
        False,
        f"{said}.{_hedge_note(task)} What was your own part in it? Say it: 'My job was to …', "
        "'My part was …' or 'I had to …'.",
    )


def _shift_check(story: object, chosen: object) -> Check:
    shift = shift_of(chosen)
    hits = _story_hits(story)
    cues = _words(hits)
    likely = _likely(_scores(hits))
    if shift is None:
        hint = f" Its words point to Shift {' or '.join(map(str, likely))}." if likely else ""
        return Check("shift", False, "choose which shift this story shows." + hint)
    if not likely:
        return Check(
            "shift",
            False,
            f"none of the course's cue words for any shift appear, so we cannot tell whether it "
            f"shows Shift {shift}. Cues are only cues: check that the story says what you did "
            "that the shift is about.",
        )
    if shift in likely:
        return Check(
            "shift",
            True,
            f"its words agree with Shift {shift}: {_listed(cues[shift])}. Cues are only cues: "
            "check that the action, not just the vocabulary, shows the shift.",
        )
    other = " or ".join(f"Shift {s}" for s in likely)
    mine = _listed(cues[shift]) if cues[shift] else "none"
    theirs = _listed(cues[likely[0]])
    weights = PART_WEIGHTS
    return Check(
        "shift",
        False,
        f"you chose Shift {shift}, and its words point more to {other} ({theirs}; Shift "
        f"{shift}: {mine}; a word in the action counts {weights['action']} times one in the "
        f"situation). This is a prompt to check, not a verdict: either the story shows "
        f"{other}, or it needs to say more clearly what you did that Shift {shift} is about.",
    )


def story_checks(story: object, chosen: object) -> list[Check]:
    """The checks of :data:`CHECK_NAMES` on one story (a mapping with the keys of
    :data:`PARTS`; missing or non-text parts count as empty) and the shift the learner says it
    shows (1 to 4; anything else is "not chosen")."""
    return [
        _parts_check(story),
        _length_check(story),
        _number_check(story),
        _action_check(story),
        _task_check(story),
        _shift_check(story, chosen),
    ]


# --- the set of stories ----------------------------------------------------------------------
@dataclass(frozen=True)
class Coverage:
    """Which shifts a set of stories shows: ``covered`` and ``missing`` (shift numbers),
    ``repeated`` (shifts that more than one story claims) and ``unchosen`` (stories, by number,
    that have text but no shift chosen)."""

    covered: tuple[int, ...]
    missing: tuple[int, ...]
    repeated: tuple[int, ...]
    unchosen: tuple[int, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


def _written(story: object) -> bool:
    return any(part_text(story, key).strip() for key, _ in PARTS)


def coverage(stories: Mapping[int, tuple[object, object]]) -> Coverage:
    """Which shifts the stories show. ``stories`` maps a story's number to ``(story, chosen
    shift)``; a story counts only once it has some text and a chosen shift."""
    claims: dict[int, int] = {}
    unchosen = []
    for number in sorted(stories):
        story, chosen = stories[number]
        if not _written(story):
            continue
        shift = shift_of(chosen)
        if shift is None:
            unchosen.append(number)
            continue
        claims[shift] = claims.get(shift, 0) + 1
    covered = tuple(s for s in SHIFTS if s in claims)
    return Coverage(
        covered=covered,
        missing=tuple(s for s in SHIFTS if s not in claims),
        repeated=tuple(s for s in SHIFTS if claims.get(s, 0) > 1),
        unchosen=tuple(unchosen),
    )


def stories_by_shift(stories: Mapping[int, tuple[object, object]]) -> dict[str, dict[str, str]]:
    """The stories keyed by the shift each shows, as text: ``{"1": {"situation", "task",
    "action", "result"}, ...}`` for the stories with some text. A story's shift is the one
    chosen for it, or its own number when none is chosen; when two stories claim one shift, the
    lower-numbered story keeps it (the exercise's feedback says so)."""
    found: dict[str, dict[str, str]] = {}
    for number in sorted(stories):
        story, chosen = stories[number]
        if not _written(story):
            continue
        shift = shift_of(chosen) or shift_of(number)
        if shift is None or str(shift) in found:
            continue
        found[str(shift)] = {key: part_text(story, key) for key, _ in PARTS}
    return found
