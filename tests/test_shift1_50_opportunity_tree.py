"""notebooks/10-shift1/50-opportunity-tree.ipynb, driven headlessly as a learner would."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from pivot.exercises import OpportunityTree
from pivot.exercises.opportunity_tree import WorkedTree
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook


@pytest.fixture
def ex(workbook_path):
    return OpportunityTree(Workbook(workbook_path))


def build_good(ex):
    ex.outcome.value = "Reduce wasted trips from 12 to 4 a month"
    ex.names[0].value = "Technicians learn of changes too late"
    ex.solutions[0].value = "Text on every change\nBanner in the app\n\nVoice confirmation"
    ex.names[1].value = "Notes without signal are lost"
    ex.solutions[1].value = "Drafts on the phone"
    ex.target.value = 1


def test_starts_empty_with_labelled_inputs(ex):
    assert ex.outcome.description == "Outcome"
    assert [n.description for n in ex.names] == [f"Opportunity {i}" for i in range(1, 5)]
    assert ex.target.description == "Target opportunity" and ex.target.value == 0
    assert ex.feedback.heading == "Checks: the tree is empty"


def test_a_good_tree_passes_and_is_drawn(ex):
    build_good(ex)
    assert ex.feedback.heading == "Checks passed: 9 of 9"
    assert "The target has 3 solutions to compare." in ex.feedback.text
    label = ET.fromstring(ex.chart.value).get("aria-label")
    assert "Opportunity 1 (the target): Technicians learn of changes too late; 3 solutions" in label
    assert "★ TARGET" in ex.chart.value


def test_a_tree_of_outputs_and_solutions_is_explained(ex):
    ex.outcome.value = "Launch the mobile app redesign"
    ex.names[0].value = "Live map view"
    ex.solutions[0].value = "GPS tracking"
    ex.target.value = 1
    text = ex.feedback.text
    assert "Measurable outcome: Make the outcome measurable" in text
    assert (
        "Outcome, not output: The outcome names an output ('launch the mobile app', 'redesign')"
        in text
    )
    assert "Several opportunities: Map at least 2 opportunities (found 1)" in text
    assert "These opportunities read like solutions: 'Live map view'" in text
    assert "Give the target opportunity at least 3 solutions (found 1)" in text


def test_no_target_or_an_empty_target_is_pointed_out(ex):
    build_good(ex)
    ex.target.value = 0
    assert "Choose exactly one target opportunity (found 0)" in ex.feedback.text
    ex.target.value = 4
    assert "Opportunity 4 is the target but is empty" in ex.feedback.text


def test_duplicates_and_unnamed_opportunities(ex):
    build_good(ex)
    ex.names[2].value = ""
    ex.solutions[2].value = "Orphan idea"
    ex.names[3].value = "Notes without signal are lost"
    text = ex.feedback.text
    assert "Name every box: 1 opportunity" in text
    assert "Appears more than once: 'notes without signal are lost'" in text


def test_tree_survives_a_restart(ex, workbook_path):
    build_good(ex)
    ex.reflection.value = "Our outcome: activation"
    again = OpportunityTree(Workbook(workbook_path))
    assert again.tree() == ex.tree()
    assert again.target.value == 1 and again.reflection.value == "Our outcome: activation"
    assert again.feedback.heading == "Checks passed: 9 of 9"


def test_html_is_escaped_in_the_drawing_and_feedback(ex):
    build_good(ex)
    ex.names[1].value = "<script>alert(1)</script>"
    assert "<script>" not in ex.chart.value and "<script>" not in ex.feedback.widget.value
    assert "&lt;script&gt;" in ex.chart.value


def test_huge_text_is_refused_and_kept(ex):
    build_good(ex)
    ex.solutions[1].value = "s" * (MAX_TEXT_CHARS + 1)
    assert "'Solutions for 2' is 20,001 characters long" in ex.save_control.text
    assert len(ex.solutions[1].value) == MAX_TEXT_CHARS + 1


def test_damaged_saved_answer(workbook_path):
    Workbook(workbook_path).save(
        "shift1.opportunity_tree",
        {"outcome": "Cut trips by 50%", "opportunities": [{"name": 3}, "x"], "target": "one"},
    )
    ex = OpportunityTree(Workbook(workbook_path))
    assert ex.outcome.value == "Cut trips by 50%" and ex.target.value == 0
    status = ex.save_control.status.value
    assert "opportunity 1 name" in status and "target" in status


def test_markdown_export(ex, workbook_path):
    build_good(ex)
    md = Workbook(workbook_path).export_markdown()
    assert "Outcome: Reduce wasted trips from 12 to 4 a month" in md
    assert "- Technicians learn of changes too late (target)\n  - Text on every change" in md


def test_worked_trees_match_the_page():
    good = WorkedTree(
        "Reduce trips to moved or cancelled jobs from 12 to 4 a month per account",
        [
            {
                "name": "Technicians learn of changes too late",
                "target": True,
                "solutions": [
                    "Text message on every change",
                    "Change banner when the app opens",
                    "Dispatcher confirms each change by voice",
                ],
            },
            {
                "name": "Notes taken without signal are lost",
                "solutions": ["Save drafts on the phone"],
            },
            {"name": "Owners wait days to invoice", "solutions": []},
        ],
    )
    assert (good.passed, len(good.checks), good.target_solutions) == (9, 9, 3)
    faded = WorkedTree(
        "Launch the mobile app redesign",
        [
            {"name": "Live map view", "target": True, "solutions": ["GPS tracking"]},
            {"name": "Technicians miss schedule changes", "solutions": []},
        ],
    )
    assert faded.passed < 9 and faded.failed()
