"""The case is canon: one name, one role per person, on every page, in every data set and in the
exercises' feedback. The canon is the cast table of book/case-study.md, the customer contacts
of data/customers.csv and the contacts outside Kestrel Works on the case-study page; people
outside the case (the sources the course cites, and the self-assessment's worked-example
learners, who do not work at Kestrel Works) are listed below."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Real people the course names (its sources and the people quoted in the article).
REAL_PEOPLE = {
    "Monica Rozenfeld",
    "Vivek Bedi",
    "Kriti Yadav",
    "Marty Cagan",
    "Teresa Torres",
    "Rob Fitzpatrick",
    "Tony Ulwick",
    "Noriaki Kano",
    "Jeff Bezos",
    "Greg Wilson",
    "Amy Edmondson",
    "Mike Cohn",
    "Dan North",
    "Don Reinertsen",
    "Dean Leffingwell",
    "Maurice Kendall",
}
#: Learners of the self-assessment's worked example and self-check: not part of the case.
EXAMPLE_LEARNERS = {"Noor", "Elif"}
#: Pages and modules about the learner, not the case: no person of the case belongs there.
OUTSIDE_THE_CASE = (
    "notebooks/00-start/10-self-assessment.ipynb",
    "pivot/exercises/self_assessment.py",
    "pivot/frameworks/self_assessment.py",
)
#: Words that can precede ", the <role>" without being a name.
NOT_NAMES = {
    "Then", "Here", "There", "Today", "Yesterday", "Now", "Later", "Instead", "Also", "Again",
    "First", "Second", "Third", "Next", "Finally", "Often", "Sometimes", "Yes", "No", "So",
    "Otherwise", "However", "Meanwhile", "Together", "Example", "Note", "Sales", "Support",
    "Engineering", "Design", "Finance", "Product", "Owner", "Outcome", "Who", "You", "Reach",
}  # fmt: skip
ROLE_NOUNS = (
    r"lead|engineer|designer|manager|director|head of \w+|vp of \w+|ceo|co-founder|founder|"
    r"owner|dispatcher|technician|officer|analyst|developer|architect|tester|cto|cfo|coo"
)
VERBS = r"(?:who|at|on|in|of|and|from|asks|asked|says|said|forwards|wants|writes|raises|has)"
ARTICLE = r"(?:the |a |an |our |Kestrel Works' |Crewboard's )?"
ROLE = rf"((?:[A-Za-z&-]+ ){{0,5}}?(?:{ROLE_NOUNS}))"


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    role: str
    where: str  # "cast" or the customer id

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def read_cast() -> list[Person]:
    text = (ROOT / "book" / "case-study.md").read_text(encoding="utf-8")
    section = text.split("## The cast", 1)[1].split("\n## ", 1)[0]
    people = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in {"Person", "You"} or set(cells[0]) <= {"-", " "}:
            continue
        first, last = cells[0].split(" ", 1)
        people.append(Person(first, last, cells[1], "cast"))
    return people


def read_customers() -> list[Person]:
    with (ROOT / "data" / "customers.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        Person(*r["contact_name"].split(" ", 1), r["contact_role"], r["customer_id"]) for r in rows
    ]


def read_outside() -> list[Person]:
    """The contacts of the prospect and the partner (book/case-study.md, "Beyond the customers")."""
    text = (ROOT / "book" / "case-study.md").read_text(encoding="utf-8")
    section = text.split("## Beyond the customers", 1)[1].split("\n## ", 1)[0]
    people = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or cells[0] == "Organisation" or set(cells[0]) <= {"-", " "}:
            continue
        first, last = cells[2].split(" ", 1)
        people.append(Person(first, last, cells[3], cells[0]))
    return people


CAST = read_cast()
CUSTOMERS = read_customers()
OUTSIDE = read_outside()
CANON = CAST + CUSTOMERS + OUTSIDE
BY_FIRST = {p.first: p for p in CANON}
BY_NAME = {p.name: p for p in CANON}
KNOWN_FIRST = set(BY_FIRST) | {n.split()[0] for n in REAL_PEOPLE} | EXAMPLE_LEARNERS
KNOWN_LAST = {p.last for p in CANON} | {n.split(" ", 1)[1] for n in REAL_PEOPLE}


# --- the texts to read ------------------------------------------------------------------------


def texts() -> list[tuple[str, str]]:
    """(where, text) for every page, notebook Markdown cell, package module and data cell."""
    found = []
    for path in sorted((ROOT / "book").glob("*.md")):
        found.append((path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")))
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        rel = path.relative_to(ROOT).as_posix()
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            found.append((f"{rel} cell {cell.get('id')}", "".join(cell["source"])))
    for path in sorted((ROOT / "pivot").rglob("*.py")):
        found.append((path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")))
    for where, row in data_rows():
        for column, value in row.items():
            found.append((f"{where} {column}", value or ""))
    return found


def data_rows() -> list[tuple[str, dict[str, str]]]:
    rows = []
    for path in sorted((ROOT / "data").rglob("*.csv")):
        data = path.read_bytes()
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError:  # a deliberately messy tracker export in samples/
            raw = data.decode("cp1252")
        delimiter = ";" if raw.splitlines()[0].count(";") > raw.splitlines()[0].count(",") else ","
        reader = csv.DictReader(raw.splitlines(), delimiter=delimiter)
        rel = path.relative_to(ROOT).as_posix()
        for n, row in enumerate(reader, start=2):
            rows.append((f"{rel} line {n}", {k or "": v or "" for k, v in row.items()}))
    return rows


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n\s*\n|\n[-*|] ", text) if s.strip()]


def role_matches(phrase: str, canon_role: str) -> bool:
    """'the customer success lead' fits 'Customer success lead'; 'head of sales' fits no 'VP'."""
    phrase = re.sub(r"^(the|a|an|our)\s+", "", phrase.strip().lower())
    role = canon_role.lower()
    core = role.split(",")[0].strip()
    return phrase in role or core in phrase


# --- the checks -------------------------------------------------------------------------------


def name_problems(where: str, text: str) -> list[str]:
    """A "First Last" pair that uses a first or last name of the case must be a canon name."""
    case_last = {p.last for p in CANON}
    problems = []
    for m in re.finditer(r"\b([A-Z][a-z]+) ((?:O')?[A-Z][a-z]+)\b", text):
        full = f"{m[1]} {m[2]}"
        if full in BY_NAME or full in REAL_PEOPLE or m[2] in NOT_NAMES:
            continue
        if m[1] in BY_FIRST or m[2] in case_last:
            problems.append(f"{where}: {full!r} is not a person of the canon")
    return problems


def role_problems(where: str, text: str) -> list[str]:
    problems = []
    patterns = [
        rf"\b([A-Z][a-z]+)(?: ((?:O')?[A-Z][a-z]+))?, {ARTICLE}{ROLE}(?=[,.;:)]|\s+{VERBS}\b)",
        rf"\b([A-Z][a-z]+)(?: ((?:O')?[A-Z][a-z]+))? \({ARTICLE}{ROLE}\)",
        rf"\"([A-Z][a-z]+) ((?:O')?[A-Z][a-z]+)\": \"{ROLE}\"",
    ]
    for pattern in patterns:
        for m in re.finditer(pattern, text):
            first, last, phrase = m[1], m[2], m[3]
            if first in NOT_NAMES:
                continue
            person = BY_NAME.get(f"{first} {last}") if last else BY_FIRST.get(first)
            if person is None:
                if last and f"{first} {last}" in REAL_PEOPLE:
                    continue
                if first in EXAMPLE_LEARNERS and where.startswith(OUTSIDE_THE_CASE):
                    continue
                who = f"{first} {last}" if last else first
                problems.append(f"{where}: {who!r} ({phrase}) is not a person of the canon")
            elif not role_matches(phrase, person.role):
                problems.append(
                    f"{where}: {m[0]!r} gives {person.name} the role {phrase!r}; "
                    f"the canon says {person.role!r}"
                )
    return problems


def outside_problems(where: str, text: str) -> list[str]:
    if not where.startswith(OUTSIDE_THE_CASE):
        return []
    problems = []
    for person in CANON:
        if re.search(rf"\b{person.first}\b", text):
            problems.append(
                f"{where}: names {person.first!r}, who is {person.name} ({person.role}) in the "
                f"case; people on this page are not part of the case "
                f"(use {sorted(EXAMPLE_LEARNERS)})"
            )
    for name in re.findall(r"WorkedProfile\(\s*\"([^\"]+)\"", text):
        if name not in EXAMPLE_LEARNERS:
            problems.append(f"{where}: worked-example learner {name!r} is not in EXAMPLE_LEARNERS")
    return problems


def speakers() -> dict[str, str]:
    """Id -> the person who said it, from every data set with an id and a speaker."""
    found = {}
    for where, row in data_rows():
        ident = next((v for k, v in row.items() if k.endswith("_id")), None)
        who = row.get("speaker") or row.get("requested_by")
        if (
            ident
            and who
            and not re.fullmatch(r"C\d\d", who)
            and not where.startswith("data/customers")
        ):
            found[ident] = who
    return found


SPEAKERS = speakers()


def speaker_problems(where: str, text: str) -> list[str]:
    problems = []
    for sentence in sentences(text):
        ids = [i for i in re.findall(r"\b(R\d\d|RC\d\d|P\d\d)\b", sentence) if i in SPEAKERS]
        if len(ids) != 1:
            continue
        named = {p.first for p in CANON if re.search(rf"\b{p.first}\b", sentence)}
        speaker = SPEAKERS[ids[0]]
        if named and speaker.split()[0] not in named:
            problems.append(
                f"{where}: {sentence.strip()[:90]!r} puts {', '.join(sorted(named))} with "
                f"{ids[0]}, which the data gives to {speaker}"
            )
    return problems


def all_problems() -> list[str]:
    problems = []
    for where, text in texts():
        problems += name_problems(where, text)
        problems += role_problems(where, text)
        problems += outside_problems(where, text)
        if not where.startswith("pivot/"):
            problems += speaker_problems(where, text)
    return problems


# --- tests ------------------------------------------------------------------------------------


def test_the_canon_is_one_name_one_role_per_person():
    assert len(CAST) >= 9 and len(CUSTOMERS) == 12 and len(OUTSIDE) == 2
    firsts = [p.first for p in CANON]
    assert len(firsts) == len(set(firsts)), "two people of the case share a first name"
    clash = (EXAMPLE_LEARNERS | {n.split()[0] for n in REAL_PEOPLE}) & set(firsts)
    assert not clash, f"people outside the case share a first name with the case: {clash}"


def test_the_case_study_customer_table_agrees_with_the_data():
    text = (ROOT / "book" / "case-study.md").read_text(encoding="utf-8")
    for person in CUSTOMERS:
        row = next(ln for ln in text.splitlines() if ln.startswith(f"| {person.where} |"))
        assert person.name in row and person.role in row, row


def test_every_speaker_in_the_data_is_a_person_of_the_canon_or_a_customer():
    ids = {p.where for p in CUSTOMERS}
    for where, row in data_rows():
        for column in ("speaker", "requested_by", "answered_by", "contact_name"):
            who = row.get(column)
            if who and who not in ids and who != "You":
                assert who in BY_NAME, f"{where} {column}: {who!r} is not in the canon"


def test_every_page_data_set_and_feedback_string_keeps_to_the_canon():
    problems = all_problems()
    assert not problems, "\n".join(problems)


# --- the checks themselves can fail -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Sofia, the operations lead, asked for a red banner.", "the role 'operations lead'"),
        ("Marcus, head of sales, says: we need a map.", "the role 'head of sales'"),
        ("Jonah, the tech lead, forwards the request.", "the role 'tech lead'"),
        ("Priya Shah runs the tests.", "'Priya Shah' is not a person"),
        ("Carla, the support engineer, phoned.", "'Carla' (support engineer) is not a person"),
        ('PEOPLE = {"Jonah Weiss": "tech lead"}', "the role 'tech lead'"),
        ("Jonah, the tech lead, forwards R07: store the photos.", "which the data gives to"),
    ],
)
def test_the_checks_catch_a_wrong_name_or_role(text, found):
    problems = name_problems("x", text) + role_problems("x", text) + speaker_problems("x", text)
    assert any(found in p for p in problems), problems


@pytest.mark.parametrize(
    "text",
    [
        "Sofia, the customer success lead, asked for a red banner.",
        "Marcus Bell, the VP of sales, says so.",
        "Aiko Tanaka (mobile engineer) answers it.",
        "RC02, Jonah: which database should we use?",
        "Kriti Yadav, a product manager, is quoted in the article.",
        "Then, the product manager decides.",
    ],
)
def test_the_checks_accept_the_canon(text):
    problems = name_problems("x", text) + role_problems("x", text) + speaker_problems("x", text)
    assert not problems, problems


def test_a_case_person_on_the_self_assessment_page_is_caught():
    where = "notebooks/00-start/10-self-assessment.ipynb cell x"
    assert outside_problems(where, "Priya, a QA engineer, has these shift scores")
    assert outside_problems(where, 'sam = WorkedProfile("Sam", rows)')
    assert not outside_problems(where, 'noor = WorkedProfile("Noor", rows)')
