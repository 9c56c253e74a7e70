"""The five Shift 1 pages as a reader sees them: honest minutes, a folded answer key right after
each self-check (equal to what the exercise itself checks against), readable worked examples,
and only the case's people."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pivot import data
from pivot.exercises import interview_steps, pain_point_map, problem_or_solution
from pivot.exercises.problem_statement import WorkedStatement

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "notebooks" / "10-shift1").glob("*.ipynb"))
TIME = re.compile(r"^\*\*Time:\*\* teaching (\d+) min · exercise (\d+) min$", re.MULTILINE)


def cells(page: Path) -> list[dict]:
    return json.loads(page.read_text(encoding="utf-8"))["cells"]


def text(cell: dict) -> str:
    return "".join(cell["source"])


def page(name: str) -> Path:
    (found,) = [p for p in PAGES if p.name.startswith(name)]
    return found


def answer_key(name: str) -> str:
    """The answer key's cell; it must sit right after the self-check."""
    cs = cells(page(name))
    keys = [i for i, c in enumerate(cs) if ":::{dropdown} Answer key" in text(c)]
    assert len(keys) == 1, f"{name}: one answer key expected"
    before = [i for i, c in enumerate(cs) if text(c).startswith("## Self-check")]
    assert (before and keys[0] == before[-1] + 1) or (
        # the opportunity tree's self-check runs over three cells (question, code, faded key)
        name == "50" and keys[0] > before[-1] and keys[0] - before[-1] <= 3
    ), f"{name}: the answer key must follow the self-check"
    return text(cs[keys[0]])


def test_there_are_five_pages():
    assert [p.name[:2] for p in PAGES] == ["10", "20", "30", "40", "50"]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_page_states_its_minutes_in_the_one_format(path):
    first = text(cells(path)[0])
    found = TIME.findall(first)
    assert len(found) == 1, first
    teaching, exercise = (int(n) for n in found[0])
    assert 5 <= teaching <= 20 and 5 <= exercise <= 40


def test_shift1_minutes_add_up_to_what_the_pages_say():
    total = sum(
        sum(int(n) for n in TIME.findall(text(cells(p)[0]))[0]) for p in PAGES
    )  # the instructor guide's Shift 1 figure must be this sum
    assert total == 145


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_answer_keys_are_folded_and_closed(path):
    key = answer_key(path.name[:2])
    assert key.startswith("## Answer key\n\n:::{dropdown} Answer key\n")
    assert key.rstrip().endswith(":::")


def test_problem_or_solution_key_is_the_exercise_key_with_every_reason():
    key = answer_key("20")
    assert problem_or_solution.answer_key_markdown() in key
    statements = data.load("problem_or_solution")
    for s in statements.itertuples(index=False):
        line = next(line for line in key.splitlines() if f"**{s.statement_id}**" in line)
        assert f"**{s.label.capitalize()}.** {s.reason}" in line


def test_pain_point_key_codes_every_snippet_as_the_reference_does():
    key = answer_key("30")
    assert pain_point_map.answer_key_markdown() in key
    rows = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(
            r"^\| (I\d\d) \| C\d\d \| [a-z ]+ \| ([^|]+) \| ([\d–]) \|$", key, re.M
        )
    }
    interviews = data.load("interviews")
    labels = dict(
        zip(
            data.load("pain_point_reference")["pain_point"],
            data.load("pain_point_reference")["label"],
            strict=True,
        )
    )
    assert len(rows) == len(interviews)
    for r in interviews.itertuples(index=False):
        label, severity = rows[r.snippet_id]
        if r.pain_point == "none":
            assert (label, severity) == ("none (no pain point)", "–")
        else:
            assert (label, severity) == (labels[r.pain_point], str(r.severity))


def test_interview_key_gives_the_exercise_order_with_why():
    key = answer_key("10")
    assert interview_steps.answer_key_markdown() in key
    listed = re.findall(r"^\d\. \*\*(.+?)\.\*\*", key, re.M)
    assert listed == interview_steps.CORRECT


def test_problem_statement_key_is_the_worked_model_and_passes_every_check():
    key = answer_key("40")
    code = next(text(c) for c in cells(page("40")) if "good = WorkedStatement(" in text(c))
    fields = dict(re.findall(r'^\s+(who|needs|because|evidence)="(.*)",$', code, re.M))
    model = WorkedStatement(**fields)
    assert model.passed == len(model.checks)
    assert f"> {model.sentence}\n> Evidence: {fields['evidence']}." in key
    assert "print(" not in code and "display(good.quote())" in code  # prose wraps


def test_opportunity_tree_key_gives_every_level():
    key = answer_key("50")
    for level in ("**Outcome**", "**Opportunities**", "**Target**", "**Solutions", "**Assumption"):
        assert level in key


def test_pain_point_page_and_widget_agree_on_how_it_starts_and_when_the_reference_opens():
    body = "\n".join(text(c) for c in cells(page("30")))
    assert "The widget starts empty" in body
    assert "starts with the same three customers" not in body
    assert "<!--glue all_reference_needed-->" in body
    assert re.search(r"<!--glue all_reference_share-->[^<]*<!--/glue--> %", body)


def test_pages_say_where_the_course_invented_something():
    assert "this course's own summary" in "\n".join(text(c) for c in cells(page("10")))
    assert "this course's own simple rule" in "\n".join(text(c) for c in cells(page("30")))


def test_ulwicks_bands_are_taught_right():
    body = "\n".join(text(c) for c in cells(page("30")))
    assert "A score of 10 or more means the outcome is underserved." in body
    assert "Below 10 it is served well enough" in body
    assert "above 10 an outcome is underserved" not in body


CAST_ROW = re.compile(r"^\| ([A-Z][\w']+ [A-Z][\w']+) \| ([^|]+) \|", re.M)
# Not people, or people outside the case whom the pages quote or cite (the article's sources and
# the authors of the methods).
NOT_CASE_PEOPLE = {
    "Evergreen Home Comfort",
    "Goldman Sachs",
    "Hasso Plattner Institute",
    "If Crewboard",
    "Kestrel Works",
    "Last Thursday",
    "Mom Test",
    "Most Starter",
    "On Fridays",
    "Summit Heating",
    "Kriti Yadav",
    "Teresa Torres's",
    "Vivek Bedi",
}


def test_every_person_on_the_pages_and_in_the_data_is_in_the_case_with_one_role():
    case = (ROOT / "book" / "case-study.md").read_text(encoding="utf-8")
    cast = dict(CAST_ROW.findall(case.split("## The cast")[1].split("## The customers")[0]))
    customers = data.load("customers")
    contacts = dict(zip(customers["contact_name"], customers["contact_role"], strict=True))
    assert not set(cast) & set(contacts), "someone is both staff and a customer contact"
    known = set(cast) | set(contacts)
    named = set()
    for path in PAGES:
        for cell in cells(path):
            named |= set(re.findall(r"\b([A-Z][a-z]+(?: [A-Z][a-zA-Z']+)+)\b", text(cell)))
    assert named - NOT_CASE_PEOPLE <= known, sorted(named - NOT_CASE_PEOPLE - known)
    assert set(data.load("problem_or_solution")["speaker"]) <= known
    # Snippets name nobody: a capitalised word inside a sentence is a place, a day or the product.
    inside = set()
    for snippet in data.load("interviews")["snippet"]:
        for m in re.finditer(r"\b([A-Z][a-z]+)\b", snippet):
            if m.start() >= 2 and snippet[m.start() - 2] not in '.!?"':
                inside.add(m.group(1))
    assert inside <= SNIPPET_WORDS, sorted(inside - SNIPPET_WORDS)


SNIPPET_WORDS = {"Crewboard", "Fi", "Friday", "Houston", "Is", "Seaview", "Sunday", "Thursday"}
SNIPPET_WORDS |= {"Tuesday", "Wi"}
