"""notebooks/30-shift3/40-whose-risk.ipynb, driven headlessly as a learner would."""

from __future__ import annotations

import pytest

from pivot import data
from pivot.exercises import WhoseRisk
from pivot.exercises.whose_risk import counts_table
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

CONCERNS = data.load("risk_concerns")
KEY = {r.concern_id: (r.risk, r.owner) for r in CONCERNS.itertuples(index=False)}


@pytest.fixture
def ex(workbook_path):
    return WhoseRisk(Workbook(workbook_path))


def sort(ex, choices):
    for cid, (risk, owner) in choices.items():
        ex.rows[cid][1].value = risk
        ex.rows[cid][2].value = owner


def test_every_input_is_labelled_and_starts_empty(ex):
    assert len(ex.rows) == len(CONCERNS) >= 12
    for cid, (_r, risk, owner) in ex.rows.items():
        assert risk.description == f"{cid} risk" and owner.description == f"{cid} owner"
    assert ex.feedback.heading == f"Sorted: 0 of {len(CONCERNS)}"


def test_all_right(ex):
    sort(ex, KEY)
    assert ex.feedback.heading == f"Right: {len(KEY)} of {len(KEY)}"
    assert "Every concern with its risk and owner" in ex.feedback.text
    assert "drift" not in ex.feedback.text


def test_feasibility_taken_by_the_pm_is_named_as_drift(ex):
    sort(ex, {"RC02": ("feasibility", "product manager")})
    text = ex.feedback.text
    assert "1 drift(s) into the engineers' territory" in text
    assert "RC02: drift into the engineers' territory" in text
    assert "belongs to the tech lead" in text


def test_calling_a_pm_risk_feasibility_and_owning_it_is_drift(ex):
    sort(ex, {"RC01": ("feasibility", "product manager")})
    assert "you call it feasibility and take it yourself" in ex.feedback.text
    assert "It is value risk, owned by the product manager" in ex.feedback.text


def test_partly_right_gives_the_reason(ex):
    sort(ex, {"RC03": ("value", "product designer"), "RC01": ("value", "")})
    text = ex.feedback.text
    assert "RC03: the risk is usability, not value" in text
    assert "prototype" in text  # the reason from the data
    assert "RC01: so far so good" in text
    assert ex.feedback.heading == f"Right: 0 of {len(KEY)}"


def test_wrong_owner(ex):
    sort(ex, {"RC03": ("usability", "tech lead")})
    assert "its owner is the product designer, not the tech lead" in ex.feedback.text


def test_reflection_escaped_and_huge_text_refused(ex):
    ex.reflection.value = "<script>x</script>"
    assert "<script>" not in ex.feedback.widget.value + ex.save_control.status.value
    ex.reflection.value = "w" * (MAX_TEXT_CHARS + 1)
    assert "'My reflection' is" in ex.save_control.text
    assert len(ex.reflection.value) == MAX_TEXT_CHARS + 1


def test_survives_a_restart(ex, workbook_path):
    sort(ex, {"RC02": ("feasibility", "tech lead"), "RC04": ("viability", "")})
    again = WhoseRisk(Workbook(workbook_path))
    assert again.choices()["RC02"] == ("feasibility", "tech lead")
    assert again.choices()["RC04"] == ("viability", "")
    md = Workbook(workbook_path).export_markdown()
    assert "- RC02: feasibility, tech lead" in md and "- RC04: viability, ?" in md


def test_damaged_save(workbook_path):
    Workbook(workbook_path).save(
        "shift3.whose_risk",
        {
            "choices": {"RC01": ["value", "product manager"], "RC02": ["money", "ceo"], "X": 1},
            "reflection": 7,
        },
    )
    ex = WhoseRisk(Workbook(workbook_path))
    assert ex.choices()["RC01"] == ("value", "product manager")
    status = ex.save_control.status.value
    assert "RC02" in status and "X" in status and "reflection" in status


def test_unreadable_save(workbook_path):
    Workbook(workbook_path).save("shift3.whose_risk", [1, 2])
    assert "starting afresh" in WhoseRisk(Workbook(workbook_path)).save_control.status.value


def test_counts_table():
    html = counts_table().to_html()
    assert "feasibility" in html and "tech lead" in html
