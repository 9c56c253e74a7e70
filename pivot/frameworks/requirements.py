"""Shift 3, what not how: check a rewrite of a stakeholder's request as a user story.

A request that arrives as a solution ("add a red banner", "use WebSockets") decides the design
and the engineering for the team. The product manager's part is the *what* and the *why*: who
needs something, what they need, what it is for, and how everyone will know it is done
(Cagan, *Inspired*, 2017, on empowered teams owning the solution). The user-story template
"As a …, I want …, so that …" is usually credited to a team at Connextra (2001) and was
popularised by Mike Cohn (*User Stories Applied*, 2004); the Given/When/Then form of acceptance
criteria comes from behaviour-driven development (Dan North, "Introducing BDD", 2006).

:func:`check_rewrite` returns one :class:`~pivot.frameworks.discovery.Check` per rule:

- ``user``: the story names a user ("As a dispatcher, …");
- ``outcome``: it says what the need is for ("… so that …");
- ``no_implementation``: neither story nor criteria prescribe technology or interface
  (:data:`IMPLEMENTATION_WORDS`: WebSocket, database, button, red banner, API endpoint, cron …);
- ``testable``: the criteria avoid vague words (:data:`VAGUE_WORDS`: fast, easy,
  user-friendly, intuitive, better …) and each has a measurable condition (a number) or the
  Given/When/Then form.
"""

from __future__ import annotations

import re

from .discovery import Check

__all__ = [
    "IMPLEMENTATION_WORDS",
    "VAGUE_WORDS",
    "check_criteria",
    "check_rewrite",
    "check_story",
    "find_implementation_words",
    "find_vague_words",
    "split_criteria",
]

#: Words and phrases that prescribe the technology or the interface (the team's *how*).
IMPLEMENTATION_WORDS: tuple[str, ...] = (
    "websocket",
    "websockets",
    "database",
    "sqlite",
    "realm",
    "sql",
    "table",
    "button",
    "banner",
    "red banner",
    "pop-up",
    "popup",
    "pops up",
    "drop-down",
    "dropdown",
    "modal",
    "checkbox",
    "api",
    "api endpoint",
    "endpoint",
    "cron",
    "cron job",
    "background job",
    "polling",
    "push notification",
    "server",
    "cache",
    "queue",
    "json",
    "dashboard",
    "chart",
    "charts",
    "google maps",
    "moving dot",
    "drag",
    "tutorial video",
    "react",
    "microservice",
    "kafka",
    "redis",
)
#: Words that make a criterion untestable unless it also says by how much.
VAGUE_WORDS: tuple[str, ...] = (
    "fast",
    "faster",
    "quick",
    "quickly",
    "easy",
    "easier",
    "easily",
    "simple",
    "user-friendly",
    "user friendly",
    "intuitive",
    "better",
    "improved",
    "seamless",
    "seamlessly",
    "nice",
    "modern",
    "efficient",
    "robust",
    "smooth",
)
_USER = re.compile(r"\bas (?:an?|the)\s+\w+", re.IGNORECASE)
_OUTCOME = re.compile(r"\bso that\s+\S+", re.IGNORECASE)
_GWT = re.compile(r"\bgiven\b.*\bwhen\b|\bwhen\b.*\bthen\b", re.IGNORECASE | re.DOTALL)
_NUMBER = re.compile(
    r"\d|\b(none|no|every|all|each|one|two|three|four|five|ten|twenty|fifty|hundred)\b",
    re.IGNORECASE,
)


def _find(text: str, words: tuple[str, ...]) -> list[str]:
    found = []
    folded = (text or "").casefold()
    for word in sorted(words, key=len, reverse=True):
        pattern = r"(?<![\w-])" + re.escape(word) + r"(?![\w-])"
        if re.search(pattern, folded) and not any(word in f for f in found):
            found.append(word)
    return sorted(found)


def find_implementation_words(text: str) -> list[str]:
    """The technology and interface words in ``text`` (longest match first, sorted)."""
    return _find(text, IMPLEMENTATION_WORDS)


def find_vague_words(text: str) -> list[str]:
    """The vague words in ``text`` that no test can check without a number."""
    return _find(text, VAGUE_WORDS)


def split_criteria(text: str) -> list[str]:
    """Acceptance criteria, one per line (bullets and numbering removed)."""
    parts = re.split(r"\n+", text or "")
    return [re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", p).strip() for p in parts if p.strip(" -*•\t")]


def check_story(story: str) -> list[Check]:
    """The user and outcome checks on a story."""
    story = story or ""
    checks = []
    if _USER.search(story):
        checks.append(Check("user", True, "The story names who needs it."))
    else:
        checks.append(
            Check("user", False, "Say who needs it: start with 'As a …' (a dispatcher, an owner).")
        )
    if _OUTCOME.search(story):
        checks.append(Check("outcome", True, "The story says what it is for."))
    else:
        checks.append(
            Check("outcome", False, "Say what it is for: end with 'so that …', the outcome.")
        )
    return checks


def check_criteria(criteria: str) -> Check:
    """One check: every criterion is testable (no vague words without a measurable condition)."""
    items = split_criteria(criteria)
    if not items:
        return Check("testable", False, "Write at least one acceptance criterion.")
    problems = []
    for n, item in enumerate(items, 1):
        vague = find_vague_words(item)
        measurable = bool(_NUMBER.search(item) or _GWT.search(item))
        if vague and not _NUMBER.search(item):
            problems.append(
                f"criterion {n} uses {', '.join(repr(v) for v in vague)} without saying by how much"
            )
        elif not measurable:
            problems.append(
                f"criterion {n} has no measurable condition: add a number or Given/When/Then"
            )
    if problems:
        return Check("testable", False, "Make it testable: " + "; ".join(problems) + ".")
    if len(items) == 1:
        return Check("testable", True, "The criterion can be tested.")
    return Check("testable", True, f"All {len(items)} criteria can be tested.")


def check_rewrite(story: str, criteria: str) -> list[Check]:
    """Every check on a rewrite: user, outcome, no implementation detail, testable criteria."""
    checks = check_story(story)
    words = find_implementation_words(f"{story}\n{criteria}")
    if words:
        checks.append(
            Check(
                "no_implementation",
                False,
                f"It still prescribes the how: {', '.join(words)}. Describe the need and leave "
                "the design and the technology to the designer and the engineers.",
            )
        )
    else:
        checks.append(Check("no_implementation", True, "No technology or interface is prescribed."))
    checks.append(check_criteria(criteria))
    return checks
