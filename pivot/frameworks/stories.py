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

Every check here reads words, not meaning, and its message says what it looked for:

- ``parts``: each of the four parts has at least :data:`MIN_WORDS` words;
- ``length``: the story fits a two-minute answer at an *assumed* speaking rate of
  :data:`SPEAKING_RATE_WPM` words a minute (a rough figure for unhurried speech, not a
  measurement), each part within its share of :data:`WORD_BUDGET`, and the action at least as
  long as the situation;
- ``number``: the result has a figure, a percentage, a count or a time (:func:`numbers_in`);
- ``i_action``: the action says "I" (:func:`first_person`), and an action written all in "we"
  is flagged;
- ``task_owned``: the task says what *you* were responsible for ("my job", "I had to");
- ``shift``: the shift the learner chose has as many cue words in the story as any other shift
  (:data:`CUES`, from the course's own vocabulary). Cues are only cues: a disagreement is a
  prompt to check the story, not a verdict.

:func:`coverage` says whether a set of stories covers all four shifts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .discovery import Check

__all__ = [
    "ANSWER_MINUTES",
    "CHECK_NAMES",
    "CUES",
    "MIN_WORDS",
    "PARTS",
    "SHIFTS",
    "SPEAKING_RATE_WPM",
    "WORD_BUDGET",
    "Coverage",
    "coverage",
    "cue_words",
    "first_person",
    "likely_shifts",
    "numbers_in",
    "part_text",
    "shift_of",
    "speaking_seconds",
    "stories_by_shift",
    "story_checks",
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
    """The four parts of ``story`` as one text (for the shift cues)."""
    return "\n".join(part_text(story, key) for key, _ in PARTS)


# --- the result: a number --------------------------------------------------------------------
_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    "ninety|hundreds?|thousands?|millions?|billions?|dozens?|half|halved|third|a quarter|"
    "twice|double[ds]?|doubling|tripled?|threefold|tenfold"
)
_UNITS = r"seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|sprints?"
#: Month names; May is left out, since it is also a verb.
_MONTHS = "January|February|March|April|June|July|August|September|October|November|December"
_NUMBER = re.compile(
    rf"\d[\d,.]*\s*%?|\bper ?cent\b|%|\b(?:{_NUMBER_WORDS})\b|"
    rf"\b(?:a|an|one)\s+(?:{_UNITS})\b|\b(?:{_MONTHS})\b",
    re.I,
)


def numbers_in(text: object) -> list[str]:
    """The figures, percentages, counts and times in ``text``, each once, in order: digits
    ("12", "4.5", "40 %"), "per cent", number words from two upwards ("six", "half", "twice";
    "one" only in a time such as "one week", since "one" is often not a count), a time such as
    "a week", and the name of a month (but not "May", which is also a verb)."""
    if not isinstance(text, str):
        return []
    found: list[str] = []
    for m in _NUMBER.finditer(text):
        word = re.sub(r"\s+", " ", m.group(0)).strip().rstrip(".,")
        if word and word.lower() not in (f.lower() for f in found):
            found.append(word)
    return found


# --- the action and the task: who did it -------------------------------------------------------
_SINGULAR = re.compile(r"\bI\b|\b(?:me|my|mine|myself)\b", re.I)
_I_ALONE = re.compile(r"\bI\b")  # a lower-case "i" is not the pronoun
_PLURAL = re.compile(r"\b(?:we|us|our|ours|ourselves)\b", re.I)
_US_COUNTRY = re.compile(r"\bUS\b")


def first_person(text: object) -> tuple[int, int]:
    """How often ``text`` says "I" (I, me, my, mine, myself) and "we" (we, us, our, ours,
    ourselves), as ``(singular, plural)``. A capital "US" counts as the country, not "us"."""
    if not isinstance(text, str):
        return 0, 0
    singular = len(_I_ALONE.findall(text)) + sum(
        1 for m in _SINGULAR.finditer(text) if m.group(0).lower() != "i"
    )
    plural = len(_PLURAL.findall(text)) - len(_US_COUNTRY.findall(text))
    return singular, max(plural, 0)


# --- the shift: cue words from the course's vocabulary ----------------------------------------
#: Cue words and phrases for each shift, from the course's own chapters: ``(label, pattern)``,
#: the label as the learner reads it and a regular expression matched as whole words, in any
#: case (acronyms as written). They are cues, not a definition: a story can show a shift in
#: words that are not here, and use a shift's words without showing it.
CUES: dict[int, tuple[tuple[str, str], ...]] = {
    1: (
        ("customer", r"customers?"),
        ("user", r"users?"),
        ("interview", r"interview\w*"),
        ("problem", r"problems?"),
        ("pain point", r"pain points?"),
        ("research", r"research\w*"),
        ("evidence", r"evidence"),
        ("discovery", r"discovery"),
        ("opportunity", r"opportunit(?:y|ies)"),
        ("outcome", r"outcomes?"),
        ("survey", r"surveys?"),
        ("churn", r"churn\w*"),
        ("snippet", r"snippets?"),
        ("shadowed", r"shadow\w*"),
        ("observed", r"observ\w*"),
        ("jobs to be done", r"jobs? to be done"),
        ("what happened the last time", r"what happened the last time"),
    ),
    2: (
        ("stakeholder", r"stakeholders?"),
        ("align", r"align\w*"),
        ("agree", r"agree\w*"),
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
        ("proposed", r"propos\w*"),
    ),
    3: (
        ("prioritise", r"prioriti[sz]\w*|priorit(?:y|ies)"),
        ("backlog", r"backlogs?"),
        ("roadmap", r"roadmaps?"),
        ("RICE", r"RICE"),
        ("WSJF", r"WSJF"),
        ("MoSCoW", r"MoSCoW"),
        ("capacity", r"capacity"),
        ("person-months", r"person-months?"),
        ("scope", r"scop(?:e|ed|ing)"),
        ("user story", r"user stor(?:y|ies)"),
        ("acceptance criteria", r"acceptance criteria"),
        ("requirement", r"requirements?"),
        ("what, not how", r"what,? not how"),
        ("the how", r"the how"),
        ("handed over", r"handed (?:it )?over|hand(?:ed)? off"),
        ("delegated", r"delegat\w*"),
        ("ranked", r"rank\w*"),
        ("trade-off", r"trade-offs?"),
        ("feasibility, viability, usability", r"feasibility|viability|usability"),
        (
            "the engineers chose",
            r"the engineers (?:chose|decided|designed)|left (?:it )?to the (?:engineers|team)",
        ),
    ),
    4: (
        ("fail", r"fail\w*"),
        ("experiment", r"experiment\w*"),
        ("hypothesis", r"hypothes[ie]s"),
        ("A/B", r"A/B"),
        ("mistake", r"mistakes?"),
        ("learned", r"learn(?:ed|t|ing)"),
        ("lesson", r"lessons?"),
        ("pre-mortem", r"pre-?mortems?"),
        ("postmortem", r"post-?mortems?"),
        ("retrospective", r"retrospective\w*"),
        ("blameless", r"blameless"),
        ("assumption", r"assumptions?"),
        ("kill", r"kill\w*"),
        ("iterate", r"iterat\w*"),
        ("did not work", r"did(?: not|n't) work"),
        ("risk", r"risks?"),
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


def cue_words(text: object) -> dict[int, list[str]]:
    """For each shift, the cue words of :data:`CUES` found in ``text`` (as written, lower-cased,
    each cue once, in the order of :data:`CUES`)."""
    found: dict[int, list[str]] = {s: [] for s in SHIFTS}
    if not isinstance(text, str):
        return found
    words = list(dict.fromkeys(_CUE_TOKEN.findall(text)))  # each word once, in text order
    for shift, patterns in _CUE_RE.items():
        for one_word, pattern in patterns:
            if one_word:
                hit = next((w for w in words if pattern.fullmatch(w)), None)
            else:
                m = pattern.search(text)
                hit = m.group(0) if m else None
            if hit:
                found[shift].append(re.sub(r"\s+", " ", hit).lower())
    return found


def _likely(cues: Mapping[int, list[str]]) -> tuple[int, ...]:
    counts = {s: len(cues[s]) for s in SHIFTS}
    best = max(counts.values())
    return () if best == 0 else tuple(s for s in SHIFTS if counts[s] == best)


def likely_shifts(text: object) -> tuple[int, ...]:
    """The shift or shifts whose cues appear most often in ``text`` (distinct cues counted), in
    order; ``()`` when no cue appears at all."""
    return _likely(cue_words(text))


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
    result = part_text(story, "result")
    found = numbers_in(result)
    if found:
        return Check(
            "number",
            True,
            f"the result has a number: {_listed(found)}. We only looked for figures, counts, "
            "percentages and times: check that the number measures what changed.",
        )
    if not result.strip():
        return Check("number", False, "no result yet: say what changed, with a number.")
    return Check(
        "number",
        False,
        "no figure, percentage, count or time in the result. 'It went well' cannot be checked; "
        "'calls about moved jobs fell from 30 a day to 12 in four weeks' can. If you have no "
        "number, say how you would have measured it.",
    )


def _action_check(story: object) -> Check:
    action = part_text(story, "action")
    singular, plural = first_person(action)
    if not action.strip():
        return Check("i_action", False, "no action yet: say what you did, starting with 'I'.")
    if singular and plural > 2 * singular:
        return Check(
            "i_action",
            True,
            f"'I' {singular} time(s), 'we' {plural}: mostly 'we'. The interviewer is hiring you, "
            "not your team: where the action was yours, say 'I'.",
        )
    if singular:
        return Check(
            "i_action",
            True,
            f"you say what you did ('I' {singular} time(s), 'we' {plural}). We counted "
            "pronouns: check that each 'I' is something you did yourself.",
        )
    if plural:
        return Check(
            "i_action",
            False,
            f"written all in 'we' ({plural} time(s), no 'I'). An interviewer cannot tell what "
            "you did. Where it was your action, say 'I'; where the team did it, say what your "
            "part was.",
        )
    return Check(
        "i_action",
        False,
        "nobody acts in it: no 'I' and no 'we'. Say who did what: 'I …'.",
    )


def _task_check(story: object) -> Check:
    task = part_text(story, "task")
    singular, plural = first_person(task)
    if not task.strip():
        return Check(
            "task_owned", False, "no task yet: say what you were responsible for ('My job was …')."
        )
    if singular:
        return Check(
            "task_owned",
            True,
            "the task says what was yours ('I', 'my'). We looked for the words: check that it "
            "names what you were responsible for, not only what the team had to do.",
        )
    who = "'we'" if plural else "nobody"
    return Check(
        "task_owned",
        False,
        f"the task says what {who} had to do, not what you were responsible for. Start it with "
        "'My job was to …' or 'I had to …'.",
    )


def _shift_check(story: object, chosen: object) -> Check:
    shift = shift_of(chosen)
    cues = cue_words(story_text(story))
    likely = _likely(cues)
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
    return Check(
        "shift",
        False,
        f"you chose Shift {shift}, and its words point more to {other} ({theirs}; Shift "
        f"{shift}: {mine}). This is a prompt to check, not a verdict: either the story shows "
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
