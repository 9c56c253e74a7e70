"""pivot.frameworks.requirements: the what-not-how checks."""

from __future__ import annotations

import pytest

from pivot import data
from pivot.frameworks import requirements as rq

REQUESTS = data.load("stakeholder_requests")


def names(checks, passed):
    return [c.name for c in checks if c.passed is passed]


@pytest.mark.parametrize("row", list(REQUESTS.itertuples(index=False)), ids=lambda r: r.request_id)
def test_every_reference_rewrite_passes_and_every_request_prescribes_a_how(row):
    assert names(rq.check_rewrite(row.reference_story, row.reference_criteria), False) == []
    assert rq.find_implementation_words(row.request), row.request


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Use WebSockets instead of polling", ["polling", "websockets"]),
        ("Add a red banner and a button", ["button", "red banner"]),
        ("Expose an API endpoint run by a cron job", ["api endpoint", "cron job"]),
        ("Keep it in the database table", ["database", "table"]),
        ("The dispatcher knows which jobs changed", []),
        ("A tablet-friendly layout", []),  # 'table' only as a whole word
    ],
)
def test_implementation_words(text, words):
    assert rq.find_implementation_words(text) == words


def test_story_checks():
    good = "As a dispatcher, I want to know about unseen changes, so that I can call in time."
    assert names(rq.check_story(good), False) == []
    assert names(rq.check_story("I want a map"), False) == ["user", "outcome"]
    assert names(rq.check_story("As an owner, I want a report"), False) == ["outcome"]
    assert names(rq.check_story(""), False) == ["user", "outcome"]


@pytest.mark.parametrize(
    ("criteria", "passed", "why"),
    [
        ("", False, "at least one acceptance criterion"),
        (
            "It is fast and user-friendly",
            False,
            "'fast', 'user-friendly' without saying by how much",
        ),
        ("The page is intuitive", False, "'intuitive'"),
        ("The owner can see the money waiting", False, "criterion 1 has no measurable condition"),
        ("Loads in under 2 seconds, faster than today", True, "can be tested"),
        ("Given a moved job, when the technician opens the app, then it shows", True, "can be"),
        ("- 9 in 10 arrival windows are right\n- none is more than 1 hour off", True, "All 2"),
        ("1. Given X, when Y, then Z\n2. It is better", False, "criterion 2 uses 'better'"),
    ],
)
def test_criteria(criteria, passed, why):
    check = rq.check_criteria(criteria)
    assert check.passed is passed and why in check.message


def test_split_criteria_keeps_leading_numbers():
    assert rq.split_criteria("- one\n* two\n3) three\n90% of jobs") == [
        "one",
        "two",
        "three",
        "90% of jobs",
    ]


def test_check_rewrite_names_the_how():
    checks = rq.check_rewrite("As a dispatcher, I want a red banner, so that I see it.", "2 s")
    bad = [c for c in checks if not c.passed]
    assert [c.name for c in bad] == ["no_implementation"]
    assert "red banner" in bad[0].message and "engineers" in bad[0].message
