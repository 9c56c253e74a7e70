"""pivot.frameworks.review: Edmondson's spectrum, placements, and the light word checks."""

from __future__ import annotations

import pytest

from pivot.frameworks import review as rv

# Edmondson (2011), HBR 89(4), exhibit "A Spectrum of Reasons for Failure", typed here from two
# independent reproductions of the exhibit (drdavidmcnamee.com, hrdailyadvisor.blr.com), from
# the blameworthy end to the praiseworthy end.
EDMONDSON_ORDER = [
    "Deviance",
    "Inattention",
    "Lack of ability",
    "Process inadequacy",
    "Task challenge",
    "Process complexity",
    "Uncertainty",
    "Hypothesis testing",
    "Exploratory testing",
]
WORKED_ENTRY = {
    "what_we_expected": "We expected trips to moved jobs to fall by half within four weeks.",
    "what_happened": "Four weeks on, dispatchers still phoned about every moved job (calls log).",
    "why": "Dispatchers were never told: the announcement went only to the changelog (tickets).",
    "what_we_change_next": "Next release we will message dispatchers in the app and measure "
    "their calls before and after.",
}


def test_the_spectrum_is_edmondsons_in_her_order():
    assert [r.name for r in rv.SPECTRUM] == EDMONDSON_ORDER
    assert [rv.position(r.key) for r in rv.SPECTRUM] == list(range(1, 10))
    assert len({r.key for r in rv.SPECTRUM}) == 9
    assert all(r.definition.endswith(".") for r in rv.SPECTRUM)


@pytest.mark.parametrize("bad", [None, "", "Deviance", "sabotage", 3, ["deviance"], 1.5])
def test_position_of_anything_else_is_none(bad):
    assert rv.position(bad) is None


def test_reason_names_the_field_and_value_when_unknown():
    assert rv.reason("uncertainty").name == "Uncertainty"
    with pytest.raises(ValueError, match=r"cause must be one of deviance, .* \(got 'sabotage'\)"):
        rv.reason("sabotage")


def test_placement_by_hand():
    assert rv.placement("uncertainty", "uncertainty") == rv.Placement("match", 0)
    # task challenge (5) for process complexity (6): one step nearer blame
    p = rv.placement("task_challenge", "process_complexity")
    assert (p.status, p.steps, p.toward_blame) == ("near", -1, True)
    # deviance (1) for exploratory testing (9): eight steps nearer blame
    assert rv.placement("deviance", "exploratory_testing") == rv.Placement("far", -8)
    assert rv.placement("hypothesis_testing", "inattention") == rv.Placement("far", 6)
    assert rv.placement("", "deviance").status == "unset"
    assert rv.placement(None, "deviance").status == "unset"
    with pytest.raises(ValueError, match="reference cause"):
        rv.placement("deviance", "nonsense")


def test_sorting_summary_by_hand():
    reference = {"a": "deviance", "b": "uncertainty", "c": "hypothesis_testing", "d": "inattention"}
    chosen = {"a": "deviance", "b": "process_complexity", "c": "inattention", "x": "deviance"}
    counts = rv.sorting_summary(chosen, reference)
    # a match; b one step nearer blame (6 vs 7); c six steps nearer blame (2 vs 8); d unset
    assert counts == {
        "placed": 3,
        "match": 1,
        "near": 1,
        "far": 1,
        "toward_blame": 2,
        "toward_praise": 0,
        "blameworthy_mine": 2,  # a (1) and c (2)
        "blameworthy_reference": 2,  # a and d
    }
    assert rv.sorting_summary({}, {})["placed"] == 0


def _passed(checks):
    return {c.name: c.passed for c in checks}


def test_a_blaming_sentence_fails_and_a_system_finding_passes():
    blame = "Jonah broke the sync."
    assert _passed(rv.finding_checks(blame, rv.CAST_NAMES)) == {
        "person": False,
        "mechanism": False,
        "fix": False,
    }
    finding = (
        "The release checklist lets a step be ticked without a result, so the sync check never "
        "ran. Fix: make the pipeline run it and attach the result."
    )
    assert _passed(rv.finding_checks(finding, rv.CAST_NAMES, blame)) == dict.fromkeys(
        ("person", "mechanism", "fix"), True
    )


def test_the_person_check_names_who_and_which_words():
    checks = rv.finding_checks("It was Weiss's fault, he was careless.", rv.CAST_NAMES)
    person = checks[0]
    assert not person.passed
    assert "Jonah Weiss" in person.message and "'fault'" in person.message
    assert "'careless'" in person.message
    # whole words only: "Dana" is not in "Danaher", and a one-letter part is never a name
    assert rv.names_in("the Danaher account", rv.CAST_NAMES) == []
    assert rv.names_in("ask dana and PRIYA", rv.CAST_NAMES) == ["Dana Okafor", "Priya Natarajan"]
    # the original sentence, re-punctuated, is still the original
    same = rv.finding_checks("jonah broke the sync!!", rv.CAST_NAMES, "Jonah broke the sync.")
    assert not same[0].passed and "original sentence" in same[0].message


def test_be_more_careful_is_not_a_fix():
    text = "The checklist has no gate, so steps can be skipped. We will be more careful."
    fix = rv.finding_checks(text, rv.CAST_NAMES)[2]
    assert not fix.passed and "'be more careful'" in fix.message


@pytest.mark.parametrize("value", [None, 42, ["a"], {"x": 1}, "", "   "])
def test_finding_checks_of_anything_fail_without_raising(value):
    assert not any(c.passed for c in rv.finding_checks(value, rv.CAST_NAMES))


def test_blame_words_in_list_order():
    assert rv.blame_words("Human error: he forgot, and it is his fault") == [
        "'fault'",
        "'human error'",
        "'forgot'",
    ]
    assert rv.blame_words("The sync check never ran.") == []


def test_log_checks_pass_a_worked_entry():
    assert _passed(rv.log_checks(WORKED_ENTRY)) == dict.fromkeys(
        ("expected", "happened", "why", "change"), True
    )


@pytest.mark.parametrize("entry", [{}, None, 5, {"what_we_expected": 7, "why": ["x"]}])
def test_log_checks_of_an_empty_or_malformed_entry_fail_without_raising(entry):
    assert not any(c.passed for c in rv.log_checks(entry))


def test_log_checks_catch_a_person_in_the_why_and_a_person_fix():
    entry = dict(WORKED_ENTRY, why="Sofia's team forgot to tell dispatchers (tickets).")
    why = rv.log_checks(entry)[2]
    assert not why.passed and "Sofia Reyes" in why.message
    entry = dict(WORKED_ENTRY, what_we_change_next="Next release everyone will be more careful.")
    change = rv.log_checks(entry)[3]
    assert not change.passed and "more careful" in change.message
    vague = dict(WORKED_ENTRY, what_we_expected="It would be good.")
    assert not rv.log_checks(vague)[0].passed  # an expectation word but nothing to check
    assert [k for k, _ in rv.LOG_FIELDS] == [
        "what_we_expected",
        "what_happened",
        "why",
        "what_we_change_next",
    ]
