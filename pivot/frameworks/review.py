"""Blameless review: Edmondson's spectrum of reasons for failure, and light checks of findings
and learning-log entries. Pure functions, no widgets.

Sources:

- Edmondson, A. C. (2011), "Strategies for learning from failure", *Harvard Business Review*
  89(4), the exhibit "A Spectrum of Reasons for Failure": nine reasons, listed from the
  blameworthy end (deviance) to the praiseworthy end (exploratory testing). The names and their
  order below are hers; the one-line definitions are the course's paraphrase of the exhibit.
- The Google SRE book, ch. 15 "Postmortem culture: learning from failure" (Lunney & Lueder, in
  Beyer, Jones, Petoff & Murphy, O'Reilly, 2016): a blameless postmortem identifies the
  contributing causes without indicting a person or team, because systems and processes can be
  fixed where people cannot.

The checks in :func:`finding_checks` and :func:`log_checks` look for words, not meaning: each
message says what was looked for, so the learner knows what a pass is worth.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .discovery import Check

__all__ = [
    "CAST_NAMES",
    "LOG_FIELDS",
    "SPECTRUM",
    "Placement",
    "Reason",
    "blame_words",
    "finding_checks",
    "log_checks",
    "names_in",
    "placement",
    "position",
    "reason",
    "sorting_summary",
]


@dataclass(frozen=True)
class Reason:
    """One reason for failure on Edmondson's spectrum."""

    key: str
    name: str
    definition: str


#: Edmondson's (2011) spectrum, in her order: from the blameworthy end to the praiseworthy end.
SPECTRUM: tuple[Reason, ...] = (
    Reason("deviance", "Deviance", "someone knowingly breaks a process or practice."),
    Reason("inattention", "Inattention", "someone slips from the specification by accident."),
    Reason(
        "lack_of_ability",
        "Lack of ability",
        "the person was not given the skills, conditions or training the work needs.",
    ),
    Reason(
        "process_inadequacy",
        "Process inadequacy",
        "a skilled person does the work the prescribed way, and that way is wrong or has gaps.",
    ),
    Reason(
        "task_challenge",
        "Task challenge",
        "the work is too difficult to get right every time.",
    ),
    Reason(
        "process_complexity",
        "Process complexity",
        "a process with many parts fails when they combine in a way nobody had seen.",
    ),
    Reason(
        "uncertainty",
        "Uncertainty",
        "a sensible step, taken when the future is unclear, turns out badly.",
    ),
    Reason(
        "hypothesis_testing",
        "Hypothesis testing",
        "an experiment meant to show that an idea works shows that it does not.",
    ),
    Reason(
        "exploratory_testing",
        "Exploratory testing",
        "an experiment run to find out what is possible ends in a result nobody wanted.",
    ),
)
_BY_KEY = {r.key: i for i, r in enumerate(SPECTRUM)}
#: The people at Kestrel Works (the cast in book/case-study.md): a finding or a why should not
#: need any of them.
CAST_NAMES = (
    "Dana Okafor",
    "Ravi Menon",
    "Lena Fischer",
    "Marcus Bell",
    "Sofia Reyes",
    "Grace Liu",
    "Aiko Tanaka",
    "Jonah Weiss",
    "Priya Natarajan",
)


def position(key: object) -> int | None:
    """Where a reason sits on the spectrum: 1 (deviance, most blameworthy) to 9 (exploratory
    testing, most praiseworthy); ``None`` for anything that is not a reason's key."""
    if not isinstance(key, str) or key not in _BY_KEY:
        return None
    return _BY_KEY[key] + 1


def reason(key: str) -> Reason:
    """The :class:`Reason` for ``key``; a clear error for an unknown key."""
    if position(key) is None:
        keys = ", ".join(r.key for r in SPECTRUM)
        raise ValueError(f"cause must be one of {keys} (got {key!r})")
    return SPECTRUM[_BY_KEY[key]]


@dataclass(frozen=True)
class Placement:
    """How a learner's cause compares with the reference cause for one event.

    ``status`` is ``"match"``, ``"near"`` (one step apart on the spectrum: neighbours are often
    arguable), ``"far"`` (two or more steps) or ``"unset"`` (no valid choice). ``steps`` is the
    learner's position minus the reference's: negative means the learner placed the event
    nearer the blameworthy end than the reference does."""

    status: str
    steps: int = 0

    @property
    def toward_blame(self) -> bool:
        return self.steps < 0


def placement(chosen: object, reference: str) -> Placement:
    """Compare a learner's cause (any value) with the reference cause (a key)."""
    ref = position(reference)
    if ref is None:
        raise ValueError(f"reference cause must be a reason's key (got {reference!r})")
    mine = position(chosen)
    if mine is None:
        return Placement("unset")
    steps = mine - ref
    status = "match" if steps == 0 else "near" if abs(steps) == 1 else "far"
    return Placement(status, steps)


def sorting_summary(chosen: Mapping[str, object], reference: Mapping[str, str]) -> dict[str, int]:
    """Counts over every event of ``reference`` (event id → key): ``placed``, ``match``,
    ``near``, ``far``, ``toward_blame`` (placed nearer the blameworthy end than the reference),
    ``toward_praise``, and ``blameworthy_mine`` / ``blameworthy_reference``: how many events sit
    in the first three reasons (deviance, inattention, lack of ability) in the learner's sort
    and in the reference."""
    counts = dict.fromkeys(
        (
            "placed",
            "match",
            "near",
            "far",
            "toward_blame",
            "toward_praise",
            "blameworthy_mine",
            "blameworthy_reference",
        ),
        0,
    )
    for event, ref in reference.items():
        p = placement(chosen.get(event), ref)
        counts["blameworthy_reference"] += position(ref) <= 3
        if p.status == "unset":
            continue
        counts["placed"] += 1
        counts[p.status] += 1
        counts["toward_blame"] += p.steps < 0
        counts["toward_praise"] += p.steps > 0
        counts["blameworthy_mine"] += position(chosen.get(event)) <= 3
    return counts


# --- findings: light checks of a rewritten sentence --------------------------------------------
_BLAME = (
    (r"\bfault\b", "'fault'"),
    (r"\bblame\w*\b", "'blame'"),
    (r"\bcareless\w*\b", "'careless'"),
    (r"\blazy\b|\blaziness\b", "'lazy'"),
    (r"\bsloppy\b", "'sloppy'"),
    (r"\bincompeten\w*\b", "'incompetent'"),
    (r"\bshould have\b|\bshould've\b", "'should have'"),
    (r"\bhuman error\b", "'human error'"),
    (r"\bforgot\b", "'forgot'"),
    (r"\bbroke\b", "'broke'"),
    (r"\bscrewed up\b|\bmessed up\b", "'messed up'"),
    (r"\bnegligen\w*\b", "'negligent'"),
)
_MECHANISM = re.compile(
    r"\b(process\w*|check\w*|checklist|step\w*|test\w*|review\w*|pipeline|dependenc\w*|alert\w*|"
    r"monitor\w*|tool\w*|template\w*|script\w*|config\w*|document\w*|runbook\w*|gate\w*|"
    r"handover\w*|hand-off|sync\w*|queue\w*|flag\w*|notification\w*|requirement\w*|criteri\w*|"
    r"plan\w*|definition of done|environment\w*|copy|interface\w*|api|build\w*|deploy\w*|"
    r"release\w*|launch\w*|system\w*|rule\w*|ticket\w*|data|field\w*|schema\w*|message\w*|"
    r"announcement\w*|changelog|workflow\w*|form\w*|design\w*|map)\b",
    re.I,
)
_CONDITION = re.compile(
    r"\b(because|when|whenever|since|so|without|no|not|never|nothing|nobody|no one|lets?|"
    r"allow\w*|lack\w*|missing|only|until|unless|meant|made it|could be|can be)\b|n't\b",
    re.I,
)
_FIX = re.compile(
    r"\b(add\w*|automat\w*|requir\w*|block\w*|introduc\w*|includ\w*|updat\w*|replac\w*|"
    r"split\w*|set up|creat\w*|schedul\w*|pair\w*|remov\w*|limit\w*|track\w*|measur\w*|"
    r"chang\w*|extend\w*|enforc\w*|run|rerun|make|will|from now on|so that|in future|"
    r"going forward)\b",
    re.I,
)


_PERSON_FIX = re.compile(
    r"\b(be )?more careful\b|\btry harder\b|\bpay (more )?attention\b|\bremind (people|everyone|"
    r"the team|him|her|them)\b",
    re.I,
)


def blame_words(text: str) -> list[str]:
    """The blaming words of the course's list found in ``text`` (in list order)."""
    return [label for pattern, label in _BLAME if re.search(pattern, text, re.I)]


def names_in(text: str, people: Iterable[str]) -> list[str]:
    """Which of ``people`` (full names such as "Jonah Weiss") ``text`` names, by first name or
    surname, whole words, case-insensitive; each person once, in the order given."""
    found = []
    for person in people:
        parts = [p for p in re.split(r"\s+", person.strip()) if len(p) > 1]
        if any(re.search(rf"\b{re.escape(p)}\b", text, re.I) for p in parts):
            found.append(person)
    return found


def finding_checks(text: object, people: Iterable[str], original: str = "") -> list[Check]:
    """Light checks of a blaming sentence rewritten as a system finding (after the SRE book's
    blameless postmortem): ``person`` (no one named, no blaming word, not the original
    sentence), ``mechanism`` (a part of the system or process and a condition, e.g. "the
    checklist lets a step be ticked without a result"), ``fix`` (a change to the system). They
    look for words; they cannot judge whether the finding is true."""
    text = text if isinstance(text, str) else ""
    named = names_in(text, people)
    blame = blame_words(text)
    same = bool(original) and _squash(text) == _squash(original)
    blank = not text.strip()
    if blank:
        msg = "nothing written yet: write what in the system let it happen."
    elif same:
        msg = "this is the original sentence: rewrite it as what in the system let it happen."
    elif named or blame:
        bits = []
        if named:
            bits.append("it names " + ", ".join(named))
        if blame:
            bits.append("it uses " + ", ".join(blame))
        msg = (
            "; ".join(bits) + ". A finding that points at a person invites the question 'who?' "
            "instead of 'what let it happen?'. Replace the person by the step, tool or rule."
        )
    else:
        msg = (
            "no one from the case is named and no word from our list of blaming words is used "
            "(a list of names and words: read it again for blame it cannot see)."
        )
    checks = [Check("person", not (blank or named or blame or same), msg)]
    mech, cond = _MECHANISM.search(text), _CONDITION.search(text)
    if mech and cond:
        msg = (
            f"you name a part of the system ('{mech.group(0)}') and a condition "
            f"('{cond.group(0).strip()}'). We only looked for those words: check that together "
            "they say how the system let it happen."
        )
    else:
        missing = [
            *(
                ["a part of the system or process (a step, check, test, tool, plan …)"]
                if not mech
                else []
            ),
            *(
                ["the condition that let it happen (because, without, no, allowed …)"]
                if not cond
                else []
            ),
        ]
        msg = "name the mechanism: we did not find " + " or ".join(missing) + "."
    checks.append(Check("mechanism", bool(mech and cond), msg))
    fix = _FIX.search(text)
    careful = _PERSON_FIX.search(text)
    if careful:
        msg = (
            f"'{careful.group(0)}' asks a person to try harder. You cannot fix people, but you "
            "can fix the system: add a check, a gate or a test instead."
        )
        fix = None
    elif fix:
        msg = (
            f"you propose a change ('{fix.group(0)}'). We only looked for a change word: check "
            "that it changes the system, not the person ('be more careful' is not a fix)."
        )
    else:
        msg = (
            "add a fix to the system: what will you add, automate, require or change so that it "
            "cannot happen the same way again?"
        )
    checks.append(Check("fix", bool(fix), msg))
    return checks


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().casefold()


# --- the learning log ----------------------------------------------------------------------------
#: The four parts of a learning-log entry, in order, with their labels.
LOG_FIELDS: tuple[tuple[str, str], ...] = (
    ("what_we_expected", "What we expected"),
    ("what_happened", "What happened"),
    ("why", "Why (with evidence)"),
    ("what_we_change_next", "What we change next"),
)
_EVIDENCE = re.compile(
    r"\d|\b(data|evidence|interview\w*|log\w*|ticket\w*|calls?|survey\w*|test\w*|observ\w*|"
    r"measur\w*|metric\w*|dashboard\w*|analytics|record\w*|shadow\w*|visit\w*)\b",
    re.I,
)
_EXPECT = re.compile(
    r"\b(expect\w*|predict\w*|thought|assum\w*|believ\w*|hypothes\w*|would|will)\b", re.I
)
_QUANTITY = re.compile(
    r"\d|%|\b(half|double\w*|twice|fewer|less|more|most|fall\w*|drop\w*|ris\w*|reduc\w*|"
    r"increas\w*|decreas\w*|stop\w*|per ?cent|rate|share|number|count\w*)\b",
    re.I,
)
_NEXT = re.compile(
    r"\b(next|iteration|release|version|sprint|quarter|from now on|we will|we'll|will)\b", re.I
)
_KNOW = re.compile(
    r"\b(measur\w*|metric\w*|track\w*|test\w*|check\w*|count\w*|success|kill|criteri\w*|"
    r"compare\w*|target\w*)\b|\d",
    re.I,
)


def log_checks(entry: Mapping[str, object]) -> list[Check]:
    """Light checks of a learning-log entry (keys of :data:`LOG_FIELDS`; missing or non-text
    values count as empty): ``expected`` (an expectation, with a number or a metric, so it can
    be checked), ``happened`` (an observation with a number or evidence), ``why`` (a cause with
    its evidence), ``change`` (a change for the next iteration and how you will know it worked).
    """

    def text(key: str) -> str:
        value = entry.get(key) if isinstance(entry, Mapping) else None
        return value if isinstance(value, str) else ""

    expected, happened, why, change = (text(k) for k, _ in LOG_FIELDS)
    checks = []
    ok = bool(_EXPECT.search(expected)) and bool(
        _QUANTITY.search(expected) or _KNOW.search(expected)
    )
    checks.append(
        Check(
            "expected",
            ok,
            "an expectation with a number, a direction or a metric, which the result can be "
            "held against."
            if ok
            else "say what you expected (expected, predicted, assumed …) with a number or a "
            "metric, so that what happened can be compared with it.",
        )
    )
    ok = bool(happened.strip()) and bool(_EVIDENCE.search(happened))
    checks.append(
        Check(
            "happened",
            ok,
            "an observation with a number or a source (data, calls, interviews …)."
            if ok
            else "say what happened as an observation: a number, or where you saw it (data, "
            "calls, tickets, interviews).",
        )
    )
    ok = bool(why.strip()) and bool(_EVIDENCE.search(why)) and not names_in(why, CAST_NAMES)
    if ok:
        msg = "a cause with its evidence, and no one named as the cause."
    elif names_in(why, CAST_NAMES):
        msg = (
            "the why names " + ", ".join(names_in(why, CAST_NAMES)) + ": say what in the "
            "system or the assumptions explains it, as in a blameless review."
        )
    else:
        msg = (
            "give the cause and the evidence for it (a number, interviews, logs, a test), so that "
            "the next iteration does not rest on a guess."
        )
    checks.append(Check("why", ok, msg))
    ok = (
        bool(_NEXT.search(change)) and bool(_KNOW.search(change)) and not _PERSON_FIX.search(change)
    )
    if _PERSON_FIX.search(change):
        msg = "'be more careful' is not a change to the system: change a step, a test or a plan."
    elif ok:
        msg = "a change for the next iteration, and a way to know whether it worked."
    else:
        msg = (
            "say what changes in the next iteration (next, release, iteration, will …) and how "
            "you will know it worked (a metric, a test, a number)."
        )
    checks.append(Check("change", ok, msg))
    return checks
