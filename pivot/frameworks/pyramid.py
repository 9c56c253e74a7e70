"""Shift 2, answer first: checks for a short written pitch, as pure functions.

The practice is Barbara Minto's, *The Pyramid Principle* (3rd ed., FT Prentice Hall): put the
main point, the answer to the reader's question, at the top and the ideas that support it below
it, grouped and in a logical order; introduce it with a short story of situation, complication
and the question they raise (SCQA). What this module checks is the course's adaptation of that
rule to a product manager's pitch of one decision to one stakeholder:

- **answer first** (:func:`check_answer_first`): the first sentence states the recommendation
  or the ask, not the background;
- **one ask** (:func:`check_one_ask`): exactly one request of the reader;
- **evidence** (:func:`check_evidence`): at least one number that is a figure of the case
  (:func:`case_figures`); a number that is not is flagged, so that the writer checks it;
- **length** (:func:`check_length`): at most :data:`MAX_WORDS` words;
- **the reader's interest** (:func:`check_interest`): the pitch names at least one of the
  stakeholder's interest terms (whole words, any case, simple plurals and endings).

Each returns a :class:`pivot.frameworks.discovery.Check` whose message says what was found and
why it matters. The detection is deliberately simple and explained (word lists and patterns);
it can be fooled, and the feedback says what it looked for so that a learner can judge.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from pivot.frameworks.discovery import Check

__all__ = [
    "ASK_PATTERNS",
    "CHECK_NAMES",
    "MAX_WORDS",
    "RECOMMEND_PATTERNS",
    "SMALL_COUNT_MAX",
    "CaseFigure",
    "FoundNumber",
    "asks_in",
    "case_figures",
    "check_answer_first",
    "check_evidence",
    "check_interest",
    "check_length",
    "check_one_ask",
    "check_pitch",
    "first_sentence",
    "interest_matches",
    "load_case_figures",
    "match_numbers",
    "numbers_in",
    "sentences",
    "split_terms",
    "word_count",
]

#: The longest pitch the course accepts, in words: about what a busy reader takes in at a glance
#: on a phone, a short paragraph. The course's limit, not Minto's.
MAX_WORDS = 120
#: Whole numbers up to this are counting words ("two fixes", "one ask", "3 reasons"): they are
#: neither evidence nor flagged.
SMALL_COUNT_MAX = 3
#: Numbers read from one pitch at most (a pitch quotes a handful; this bounds hostile input).
MAX_NUMBERS = 100
#: The names of the five checks, in the order :func:`check_pitch` returns them.
CHECK_NAMES = ("answer_first", "one_ask", "evidence", "length", "interest")

# --- sentences and words ------------------------------------------------------------------------

#: A greeting before the first sentence: "Hi Dana," / "Hello Marcus —" / "Dana," alone on its
#: line. It is not a sentence.
_SALUTATION = re.compile(
    r"^\s*(?:(?:hi|hello|hey|dear|good\s+(?:morning|afternoon))\b[^\S\n]*"
    r"(?:[A-Z][\w'’-]*(?:[^\S\n]+[A-Z][\w'’-]*)?)?[^\S\n]*(?:[,:!—–-]|(?=\n))"
    r"|[A-Z][\w'’-]*(?:[^\S\n]+[A-Z][\w'’-]*)?[^\S\n]*[,:—–-][^\S\n]*(?=\n))\s*",
    re.IGNORECASE,
)
# A full stop after these does not end a sentence.
_ABBREVIATIONS = ("e.g", "i.e", "etc", "vs", "approx", "no", "mr", "ms", "mrs", "dr", "cf")
_ABBREVIATION_RE = "|".join(re.escape(a) for a in _ABBREVIATIONS)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\n\s*\n|\n(?=\s*[-*•]\s)")


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped, empty ones left out.

    A sentence ends at ``.``, ``!`` or ``?`` followed by a space, or at a blank line or a list
    item. A full stop inside a number (``7.5``) or after a common abbreviation (``e.g.``) does
    not end one. A leading salutation ("Hi Dana," on its own) is not a sentence.
    """
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _SALUTATION.sub("", text, count=1)
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        chunk = text[start : match.start()]
        if re.search(r"(?<![^\W_])(?:" + _ABBREVIATION_RE + r")\.$", chunk.strip(), re.I):
            continue
        parts.append(chunk)
        start = match.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if re.search(r"\w", p)]


def first_sentence(text: str) -> str:
    """The first sentence after any salutation, or ``""``."""
    found = sentences(text)
    return found[0] if found else ""


_WORD = re.compile(r"[^\W_]+(?:[’'.,\-/][^\W_]+)*")


def word_count(text: str) -> int:
    """Words in ``text``: runs of letters or digits, with ``1,620``, ``7.5``, ``don't`` and
    ``B01/B02`` each counted once; punctuation, symbols and emoji alone are not words."""
    return len(_WORD.findall(str(text or "")))


# --- asks and recommendations -------------------------------------------------------------------

#: Phrases that request something of the reader. Each match is one ask.
ASK_PATTERNS: tuple[str, ...] = (
    r"\b(?:can|could|will|would)\s+you\b",
    r"\bplease\b",
    r"\b(?:i|we)\s*(?:need|want|would\s+like|['’]d\s+like|am\s+asking\s+for|['’]m\s+asking\s+for)"
    r"\s+(?:you|your)\b",
    r"\b(?:i\s+am|i['’]m|we\s+are|we['’]re)\s+asking\s+(?:you|for)\b",
    r"\b(?:my|our|the\s+one|one)\s+ask\b",
    r"(?:^|\n)\s*(?:ask|request|decision\s+needed)\s*:",
    r"\bi\s+ask\s+(?:you|that)\b",
    r"\b(?:i\s+need|we\s+need)\s+(?:a\s+|an\s+|the\s+)?(?:decision|go-ahead|approval|sign-off|"
    r"yes|ok|okay|budget|answer|agreement)\b",
)
#: Phrases that state a recommendation or a decision (what should happen).
RECOMMEND_PATTERNS: tuple[str, ...] = (
    r"\b(?:i|we)\s+(?:strongly\s+)?(?:recommend|propose|suggest|advise|plan\s+to)\b",
    r"\bmy\s+(?:recommendation|proposal|suggestion|advice)\b",
    r"\b(?:recommendation|proposal|decision|bottom\s+line)\s*:",
    r"\b(?:we|the\s+team|crewboard)\s+should\b",
    r"\blet['’]?s\b",
    r"\b(?:build|ship|fix|fund|prioriti[sz]e|put|schedule|start|do|finish)\b[^.?!]{0,60}"
    r"\b(?:first|next|before|now|this\s+(?:quarter|sprint|month))\b",
)
#: Verbs that, opening a sentence, make it an imperative request ("Approve the fix ...").
ASK_VERBS: tuple[str, ...] = (
    "approve",
    "back",
    "support",
    "fund",
    "give",
    "sign",
    "agree",
    "confirm",
    "help",
    "choose",
    "decide",
    "prioritise",
    "prioritize",
    "hold",
    "keep",
    "put",
    "greenlight",
    "green-light",
    "join",
    "let",
)
#: Openings that announce background rather than the answer.
BACKGROUND_OPENERS: tuple[str, ...] = (
    "as you know",
    "as you may know",
    "background",
    "context",
    "some context",
    "a bit of context",
    "first, some",
    "to give you",
    "last week",
    "last month",
    "last quarter",
    "over the last",
    "over the past",
    "for the past",
    "in the past",
    "since",
    "yesterday",
    "recently",
    "when we",
    "i wanted to give you an update",
    "quick update",
    "here is an update",
    "here's an update",
    "just an update",
    "update:",
    "fyi",
)
_ASK_RE = [re.compile(p, re.IGNORECASE) for p in ASK_PATTERNS]
_RECOMMEND_RE = [re.compile(p, re.IGNORECASE) for p in RECOMMEND_PATTERNS]
_ASK_VERB_RE = re.compile(
    r"^\W*(?:" + "|".join(re.escape(v) for v in ASK_VERBS) + r")\b(?!\s+me\s+know)", re.IGNORECASE
)
_SOFT_CLOSING = re.compile(
    r"\b(?:let\s+me\s+know|happy\s+to\s+(?:talk|chat|discuss|answer)|"
    r"(?:any|if\s+you\s+have)\s+questions)\b",
    re.IGNORECASE,
)
#: "also" with a request or a recommendation after it: one more ask.
_ALSO_ASK = re.compile(
    r"\b(?:also|additionally|as\s+well\s+as|on\s+top\s+of\s+that)\b[,\s]+(?:to\s+|we\s+|you\s+|"
    r"i\s+|should\s+|could\s+|can\s+|please\s+|need\s+|want\s+)*(?:approve|fund|give|add|hire|"
    r"sign|agree|back|support|build|ship|schedule|move|put|need|want|ask|start|delay|drop|"
    r"cut|hold|get|find|make|let)\b",
    re.IGNORECASE,
)
#: Request phrases closer than this (in characters) are one ask ("Could you please ...").
_SAME_ASK_CHARS = 15


def _requests(sentence: str) -> list[tuple[int, str]]:
    """The request phrases in one sentence, with where each starts; an imperative opening
    ("Approve the fix ...") counts as one. Closings ("let me know if ...") are not requests."""
    body = _SOFT_CLOSING.sub(lambda m: " " * len(m.group(0)), sentence)
    found = sorted((m.start(), m.group(0).strip()) for r in _ASK_RE for m in r.finditer(body))
    if (
        not found
        and _ASK_VERB_RE.match(body)
        and not re.match(r"^\W*let['’]?s\b", body, re.I)
        and body.split()
    ):
        found.append((0, body.split()[0].strip(",.;:!?")))
    merged: list[tuple[int, str]] = []
    for start, phrase in found:
        if merged and start - merged[-1][0] <= _SAME_ASK_CHARS:
            continue
        merged.append((start, phrase))
    return merged


def _recommends(sentence: str) -> bool:
    return any(r.search(sentence) for r in _RECOMMEND_RE) or bool(
        re.match(r"^\W*let['’]?s\b", sentence, re.I)
    )


def asks_in(text: str) -> list[str]:
    """The asks in ``text``, as the phrases that make them, in order.

    An ask is a request of the reader: a phrase of :data:`ASK_PATTERNS` ("can you", "please",
    "I need your", "my ask") or a sentence that opens with a request verb ("Approve the fix").
    Request phrases next to each other are one ask ("Could you please approve ...?"); "also"
    followed by a request or a recommendation ("and also fund", "we should also build the
    map") is one more. With no request at all, each sentence that states a recommendation
    ("I recommend ...", "we should ...") counts as one ask: the recommendation is then what the
    reader is asked to accept. Closings such as "let me know if you have questions" are not
    asks.
    """
    requested: list[str] = []
    recommendations: list[str] = []
    extras: list[str] = []
    for s in sentences(text):
        requests = _requests(s)
        requested += [phrase for _start, phrase in requests]
        more = _ALSO_ASK.search(s)
        if more and len(requests) <= 1 and (requests or requested or recommendations):
            extras.append(_short(more.group(0), 30))
        elif not requests and _recommends(s):
            recommendations.append(_short(s))
    # a recommendation beside a request is what the request asks for, not a second ask
    return (requested or recommendations) + extras


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- numbers --------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
}

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
#: Dates, times, ids and versions: numbers that are not evidence, removed before numbers are
#: read.
_NOT_EVIDENCE = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b"  # 2026-02-03
    r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"  # 03/02/2026, 3.2.26
    r"|\b\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?\b"  # 14:30, 9:30 am
    r"|\b\d{1,2}\s*[ap]\.?m\.?(?![a-z])"  # 9 am, 3pm
    r"|\b(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?"  # March 3, 2026
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + _MONTHS + r")\b(?:\s+\d{4})?"  # 3 March
    r"|\b\d+(?:st|nd|rd|th)\b"  # ordinals: 2nd, 26th
    r"|\b[qQhH][1-4]\b"  # Q3, H1
    r"|\b[A-Za-z]+[-_]?\d+[A-Za-z0-9]*\b"  # ids and versions: B01, S03, v2, COVID-19
    r"|\bv?\d+(?:\.\d+){2,}\b"  # 1.2.3
    r"|(?<![\d.,])(?:19|20)\d{2}(?!\s*%|[\d.,]\d)(?:s\b)?",  # years: 2026, 1990s
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:(?:,|\u202f|\u00a0|\u2009)\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    r"|\.\d+)(?![\w]|[.,]\d)(?P<pct>\s?(?:%|per\s?cent\b|percent\b))?",
    re.IGNORECASE,
)
_NUMBER_WORD = re.compile(
    r"\b(?P<word>" + "|".join(_NUMBER_WORDS) + r")\b(?P<pct>\s+per\s?cent\b|\s+percent\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundNumber:
    """A number written in a pitch: how it was written, its value, whether it was a percent,
    and the few words that follow it (to tell which figure it quotes)."""

    text: str
    value: float
    percent: bool = False
    after: str = ""


def numbers_in(text: str) -> list[FoundNumber]:
    """The numbers in ``text`` that could be evidence, in order.

    Reads ``1,620`` (and ``1 620`` with a thin or no-break space) as 1620, ``7.5`` as 7.5,
    ``75 %``, ``75%`` and ``75 percent`` as the percent 75, and the number words four to
    twenty, thirty and so on. Leaves out what is not evidence: years (2026), dates, times
    (9 am, 14:30), ordinals (26th), quarters (Q3), ids and versions (B01, v2), and small
    counts up to :data:`SMALL_COUNT_MAX` ("two fixes").
    """
    text = str(text or "")
    cleaned = _NOT_EVIDENCE.sub(lambda m: " " * len(m.group(0)), text)
    found: list[tuple[int, FoundNumber]] = []
    for m in _NUMBER.finditer(cleaned):
        raw = m.group("num")
        value = float(re.sub(r"[,\u202f\u00a0\u2009]", "", raw))
        percent = bool(m.group("pct"))
        if not math.isfinite(value):
            continue
        if not percent and value == int(value) and value <= SMALL_COUNT_MAX:
            continue
        found.append((m.start(), FoundNumber(m.group(0).strip(), value, percent, _after(text, m))))
    for m in _NUMBER_WORD.finditer(cleaned):
        value = float(_NUMBER_WORDS[m.group("word").lower()])
        found.append(
            (
                m.start(),
                FoundNumber(m.group(0).strip(), value, bool(m.group("pct")), _after(text, m)),
            )
        )
    return [n for _pos, n in sorted(found, key=lambda pair: pair[0])][:MAX_NUMBERS]


def _after(text: str, match: re.Match[str], words: int = 6) -> str:
    """The ``words`` words after a number, lower case (to tell which figure it quotes)."""
    window = text[match.end() : match.end() + 12 * words].lower()
    return " ".join(re.findall(r"[^\W_]+", window)[:words])


@dataclass(frozen=True)
class CaseFigure:
    """A figure of the case a pitch may quote: its value, what it is, and whether a percent."""

    value: float
    label: str
    percent: bool = False


def _num_text(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def case_figures(
    backlog: pd.DataFrame,
    interviews: pd.DataFrame,
    customers: pd.DataFrame,
    survey: pd.DataFrame | None = None,
    *,
    items: Sequence[str] = ("B01", "B02", "B03", "B11"),
    pain_points: Sequence[str] = ("schedule_changes_not_seen", "late_arrival_calls"),
    extra: Iterable[CaseFigure] = (),
    pain_labels: dict[str, str] | None = None,
) -> list[CaseFigure]:
    """The figures of the case that a pitch of the top priority may quote, from the data.

    From ``backlog`` (scored with RICE, :func:`pivot.frameworks.prioritization.score_backlog`):
    each of ``items``' reach, confidence (a percent), effort, RICE score and rank, and the
    number of items. From ``interviews``: for each of ``pain_points``, the snippets that raise
    it, the accounts (distinct customers) that do, the churned accounts among them (status from
    ``customers``), their share of the interviewed accounts (a percent) and the mean severity.
    From ``customers``: how many accounts were interviewed and how many churned. From
    ``survey``, if given: the respondents and, for the outcomes of ``pain_points``, the percent
    who rate them important and satisfied, and the opportunity score. ``extra`` adds figures
    the prose of the case gives (the course passes Crewboard's ~900 customers and Granite
    Peak's ~310 technicians). ``pain_labels`` names the pain points in the labels.
    """
    from pivot.frameworks import discovery, prioritization

    figures: list[CaseFigure] = []
    scored = prioritization.score_backlog(backlog, "rice").set_index("item_id")
    figures.append(CaseFigure(float(len(scored)), "items on the backlog"))
    for item in items:
        if item not in scored.index:
            continue
        row = scored.loc[item]
        figures += [
            CaseFigure(float(row["reach"]), f"{item}'s RICE reach (accounts a quarter)"),
            CaseFigure(float(row["confidence"]), f"{item}'s confidence", percent=True),
            CaseFigure(float(row["effort"]), f"{item}'s effort (person-months)"),
            CaseFigure(float(row["score"]), f"{item}'s RICE score"),
            CaseFigure(float(row["rank"]), f"{item}'s RICE rank"),
        ]
    status = dict(zip(customers["customer_id"], customers["status"], strict=True))
    interviewed = interviews["customer_id"].nunique()
    figures.append(CaseFigure(float(interviewed), "customer accounts interviewed"))
    figures.append(CaseFigure(float(len(customers)), "customer accounts in the case"))
    churned_all = sum(1 for s in status.values() if s == "churned")
    figures.append(CaseFigure(float(churned_all), "churned accounts among them"))
    for pain in pain_points:
        rows = interviews[interviews["pain_point"] == pain]
        if rows.empty:
            continue
        name = f"‘{(pain_labels or {}).get(pain, pain)}’"
        accounts = rows["customer_id"].unique()
        churned = sum(1 for c in accounts if status.get(c) == "churned")
        share = round(100 * len(accounts) / interviewed, 1)
        figures += [
            CaseFigure(float(len(rows)), f"interview snippets on {name}"),
            CaseFigure(float(len(accounts)), f"accounts that raised {name}"),
            CaseFigure(float(churned), f"churned accounts that raised {name}"),
            CaseFigure(share, f"share of interviewed accounts that raised {name}", percent=True),
            CaseFigure(
                round(float(rows["severity"].astype(float).mean()), 2),
                f"mean severity of {name}",
            ),
        ]
    if survey is not None and not survey.empty:
        table = discovery.opportunity_table(survey)
        for row in table.itertuples(index=False):
            if row.pain_point not in pain_points:
                continue
            oid = row.outcome_id
            figures += [
                CaseFigure(float(row.respondents), f"survey respondents on {oid}"),
                CaseFigure(float(row.important_pct), f"{oid}: rated important", percent=True),
                CaseFigure(float(row.satisfied_pct), f"{oid}: rated satisfied", percent=True),
                CaseFigure(float(row.opportunity), f"{oid}'s opportunity score"),
            ]
    figures += list(extra)
    return figures


def load_case_figures() -> list[CaseFigure]:
    """:func:`case_figures` from the course's data sets, with the two figures the case study's
    prose gives: Crewboard's about 900 customer accounts and Granite Peak's about 310
    technicians (book/case-study.md)."""
    from pivot import data

    reference = data.load("pain_point_reference")
    return case_figures(
        data.load("backlog"),
        data.load("interviews"),
        data.load("customers"),
        data.load("opportunity_survey"),
        extra=(
            CaseFigure(900.0, "Crewboard's customer accounts (about 900)"),
            CaseFigure(310.0, "Granite Peak's technicians (about 310)"),
        ),
        pain_labels=dict(zip(reference["pain_point"], reference["label"], strict=True)),
    )


def match_numbers(
    numbers: Sequence[FoundNumber], figures: Sequence[CaseFigure]
) -> tuple[list[tuple[FoundNumber, CaseFigure]], list[FoundNumber]]:
    """Split ``numbers`` into those that are case figures (with the figure each matches) and
    those that are not. Of several figures with the value, the one whose label shares most
    words with the words around the number ("6 accounts" → the accounts that raised it).
    Values match when equal to the figure's precision (7.5 is 7.5; 1,620
    is 1620); a number written as a percent matches only a percent figure, a plain number any
    figure (so "confidence 50" matches, "6 %" does not match 6 accounts)."""
    matched: list[tuple[FoundNumber, CaseFigure]] = []
    unknown: list[FoundNumber] = []
    by_value: dict[float, list[CaseFigure]] = {}
    for f in figures:
        by_value.setdefault(round(f.value, 9), []).append(f)
    for n in numbers:
        hits = [f for f in by_value.get(round(n.value, 9), []) if f.percent or not n.percent]
        if not hits:
            unknown.append(n)
            continue
        after = n.after.split()

        def closeness(fig: CaseFigure, after=after) -> float:
            # a label word right after the number counts most ("6 accounts" → accounts)
            label = _label_words(fig.label)
            return sum(1 / (i + 1) for i, w in enumerate(after) if w in label)

        best = max(hits, key=closeness)
        matched.append((n, best))
    return matched, unknown


@lru_cache(maxsize=512)
def _label_words(label: str) -> frozenset[str]:
    words = set(re.findall(r"[^\W_]+", label.lower().replace("_", " ")))
    return frozenset(words | {_stem(w) for w in words} | {_stem(w) + "s" for w in words})


# --- interest terms ------------------------------------------------------------------------------


def split_terms(terms: object) -> list[str]:
    """``"churn; small accounts;"`` → ``["churn", "small accounts"]`` (trimmed, lower case,
    empty parts and repeats left out)."""
    if terms is None or (isinstance(terms, float) and math.isnan(terms)):
        return []
    out: list[str] = []
    for part in str(terms).split(";"):
        term = " ".join(part.split()).lower()
        if term and term not in out:
            out.append(term)
    return out


def _stem(word: str) -> str:
    """A crude stem: 'accounts' → 'account', 'companies' → 'compan', 'churned' → 'churn'."""
    for suffix, keep in (("ies", ""), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                return word
            if suffix == "es" and not re.search(r"(?:s|x|z|ch|sh)es$", word):
                continue
            return word[: -len(suffix)] + keep
    if word.endswith("y") and len(word) > 3:
        return word[:-1]
    return word


_ENDINGS = r"(?:s|es|ed|d|ing|y|ies|e|er|ers)?(?:['’]s?)?"


def _term_pattern(term: str) -> re.Pattern[str]:
    parts = []
    for word in re.findall(r"[^\W_]+(?:['’][^\W_]+)*", term.lower()):
        word = re.sub(r"['’]s$", "", word)
        stem = _stem(word)
        if stem.endswith("e") and len(stem) > 3:
            stem = stem[:-1]  # 'close' → 'clos', to find 'closing' as well as 'closed'
        parts.append(re.escape(stem).replace("['’]", "['’]") + _ENDINGS)
    if not parts:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![^\W_])" + r"[\s\-]+".join(parts) + r"(?![^\W_])", re.IGNORECASE)


def interest_matches(text: str, terms: Iterable[str]) -> list[str]:
    """The ``terms`` that ``text`` mentions: whole words, any case, allowing a simple plural or
    ending on each word ('account' finds 'accounts', 'churn' finds 'churned'; 'map' does not
    find 'mapping's' neighbour 'roadmap')."""
    text = str(text or "")
    return [t for t in terms if t and _term_pattern(t).search(text)]


# --- the checks ---------------------------------------------------------------------------


def check_answer_first(text: str) -> Check:
    """Minto's rule, adapted to a pitch: the first sentence states the recommendation or the ask.

    Passes when the first sentence (after any salutation) holds a request (:func:`asks_in`) or a
    recommendation (:data:`RECOMMEND_PATTERNS`, or an opening request verb) and does not open
    with background ("As you know", "Last week", "Some context"; :data:`BACKGROUND_OPENERS`).
    """
    first = first_sentence(text)
    if not first:
        return Check("answer_first", False, "write your pitch first: there is no sentence yet.")
    opening = first.lower().lstrip(" \t\"'“‘(*-•")
    background = next((b for b in BACKGROUND_OPENERS if opening.startswith(b)), None)
    if background:
        return Check(
            "answer_first",
            False,
            f"your first sentence opens with background (‘{_short(first)}’). Put the "
            "recommendation first: a busy reader may read only one sentence, and the story of "
            "how you got there belongs after it.",
        )
    if _requests(first) or _recommends(first):
        return Check(
            "answer_first",
            True,
            f"your first sentence states what you recommend or ask (‘{_short(first)}’), so the "
            "reader knows the point before the reasons.",
        )
    return Check(
        "answer_first",
        False,
        f"your first sentence (‘{_short(first)}’) does not say what you recommend or ask. Open "
        "with the decision, e.g. ‘I recommend …’ or ‘Can you approve …?’: the rest of the "
        "pitch then reads as support for it.",
    )


def check_one_ask(text: str) -> Check:
    """Exactly one ask (:func:`asks_in`): two asks compete, and the reader may grant the easier."""
    asks = asks_in(text)
    if len(asks) == 1:
        return Check(
            "one_ask",
            True,
            f"one ask (‘{asks[0]}’): the reader knows exactly what you need from them.",
        )
    if not asks:
        return Check(
            "one_ask",
            False,
            "no ask found: say what you need from this reader (‘Can you approve …?’, ‘I need "
            "your go-ahead …’). A pitch without an ask is an update, and nothing happens.",
        )
    shown = "; ".join(f"‘{a}’" for a in asks[:4])
    return Check(
        "one_ask",
        False,
        f"{len(asks)} asks found ({shown}). Keep one: two asks dilute each other, and the reader "
        "may grant the easier one and feel the pitch is dealt with.",
    )


def check_evidence(text: str, figures: Sequence[CaseFigure]) -> Check:
    """At least one number in the pitch is a figure of the case (:func:`match_numbers`); any
    number that is not is named, to be checked."""
    matched, unknown = match_numbers(numbers_in(text), figures)
    flag = ""
    if unknown:
        names = ", ".join(f"‘{n.text}’" for n in unknown[:5])
        flag = (
            f" Not a case figure — check it: {names}. A number the reader cannot trace "
            "weakens the ones they can."
        )
    if matched:
        n, fig = matched[0]
        more = f" and {len(matched) - 1} more" if len(matched) > 1 else ""
        return Check(
            "evidence",
            True,
            f"‘{n.text}’ is {fig.label} ({_num_text(fig.value)}{' %' if fig.percent else ''})"
            f"{more}: a figure from the case lets the reader check your claim rather than take "
            f"your word for it.{flag}",
        )
    return Check(
        "evidence",
        False,
        "no figure from the case found. Quote one number the reader can check, such as a RICE "
        "score or how many accounts raised the problem: evidence moves a stakeholder where an "
        f"opinion does not.{flag}",
    )


def check_length(text: str, max_words: int = MAX_WORDS) -> Check:
    """At most ``max_words`` words (:func:`word_count`)."""
    words = word_count(text)
    if words == 0:
        return Check("length", False, "empty: write your pitch in the box.")
    if words <= max_words:
        return Check(
            "length",
            True,
            f"{words} words, within the limit of {max_words}: short enough to be read in full.",
        )
    return Check(
        "length",
        False,
        f"{words} words, over the limit of {max_words} by {words - max_words}. Cut the "
        "background first: a stakeholder who stops reading halfway misses the support.",
    )


def check_interest(text: str, terms: Sequence[str], who: str = "this stakeholder") -> Check:
    """The pitch mentions at least one of the stakeholder's interest terms
    (:func:`interest_matches`)."""
    terms = [t for t in terms if t]
    if not terms:
        return Check("interest", False, "choose a stakeholder to pitch to first.")
    found = interest_matches(text, terms)
    if found:
        return Check(
            "interest",
            True,
            f"you speak to what {who} cares about (‘{found[0]}’"
            f"{', …' if len(found) > 1 else ''}): people back a proposal that serves their "
            "own goals, not only yours.",
        )
    sample = ", ".join(f"‘{t}’" for t in terms[:4])
    return Check(
        "interest",
        False,
        f"nothing here speaks to what {who} cares about (for example {sample}). Say what the "
        "decision does for them: a reader asks ‘what is in it for me?’ before ‘is it right?’.",
    )


def check_pitch(
    text: str,
    terms: Sequence[str],
    figures: Sequence[CaseFigure],
    who: str = "this stakeholder",
    max_words: int = MAX_WORDS,
) -> list[Check]:
    """All five checks, in the order of :data:`CHECK_NAMES`."""
    return [
        check_answer_first(text),
        check_one_ask(text),
        check_evidence(text, figures),
        check_length(text, max_words),
        check_interest(text, terms, who),
    ]
