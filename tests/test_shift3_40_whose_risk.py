"""notebooks/30-shift3/40-whose-risk.ipynb, driven headlessly as a learner would."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pivot import data
from pivot.exercises import WhoseRisk
from pivot.exercises import whose_risk as wr
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
CONCERNS = wr.load_concerns()
KEY = {r.concern_id: (r.risk, r.answered_by) for r in CONCERNS.itertuples(index=False)}
ROW = CONCERNS.set_index("concern_id")


@pytest.fixture
def ex(workbook_path):
    return WhoseRisk(Workbook(workbook_path))


def sort(ex, choices):
    for cid, (risk, who) in choices.items():
        ex.rows[cid][1].value = risk
        ex.rows[cid][2].value = who


# --- the data: the second question is a decision, not the first one restated ---------------
def test_people_are_the_cast_with_the_cast_roles():
    """Every person the exercise names, with the role book/case-study.md gives them."""
    text = (ROOT / "book" / "case-study.md").read_text(encoding="utf-8")
    cast = dict(re.findall(r"^\| ([A-Z][a-z]+ [A-Z][a-z]+) \| ([^|]+) \|", text, re.M))
    assert len(cast) == 9
    for name, role in wr.PEOPLE.items():
        if name != wr.YOU:
            assert name in cast, name
            assert cast[name].split(",")[0].strip().lower() == role.lower(), name
    assert set(CONCERNS["speaker"]) <= set(cast)


def test_who_answers_agrees_with_cagans_owner_of_each_risk():
    for r in CONCERNS.itertuples(index=False):
        assert r.answered_by in wr.OWNERS_BY_RISK[r.risk], r.concern_id
        assert data.RISK_OWNERS[r.risk] == r.owner, r.concern_id


def test_the_person_to_answer_does_not_follow_from_the_risk_or_the_speaker():
    # the engineers' questions go to three different people
    feasibility = CONCERNS[CONCERNS["risk"] == "feasibility"]
    assert set(feasibility["answered_by"]) == set(wr.ENGINEERS)
    # most concerns are raised by someone who should not answer them, in every risk
    elsewhere = CONCERNS[CONCERNS["speaker"] != CONCERNS["answered_by"]]
    assert len(elsewhere) >= len(CONCERNS) * 2 // 3
    assert set(elsewhere["risk"]) == set(data.CAGAN_RISKS)
    # engineers raise feasibility questions that belong to another engineer: "the engineer who
    # asked" is a real trap
    handed_on = feasibility[feasibility["speaker"] != feasibility["answered_by"]]
    assert len(handed_on) >= 2 and set(handed_on["speaker"]) <= set(wr.ENGINEERS)


def test_a_bad_answerer_in_the_data_is_refused_with_field_and_value(tmp_path, monkeypatch):
    text = (ROOT / "data" / "risk_concerns.csv").read_text(encoding="utf-8")
    (tmp_path / "risk_concerns.csv").write_text(
        text.replace(",Aiko Tanaka,", ",the tech lead,", 1), encoding="utf-8"
    )
    monkeypatch.setenv("PIVOT_DATA_DIR", str(tmp_path))
    with pytest.raises(data.DataError) as err:
        wr.load_concerns()
    assert "answered_by" in str(err.value) and "the tech lead" in str(err.value)


# --- the widget ------------------------------------------------------------------------------
def test_every_input_is_labelled_and_starts_empty(ex):
    assert len(ex.rows) == len(CONCERNS) == 13
    for cid, (_r, risk, who) in ex.rows.items():
        assert risk.description == f"{cid} risk" and who.description == f"{cid} who answers"
        assert [v for _l, v in who.options][1:] == list(wr.PEOPLE)
    assert ex.feedback.heading == "Sorted: 0 of 13"


def test_all_right(ex):
    sort(ex, KEY)
    assert ex.feedback.heading == "Right: 13 of 13"
    assert "Every concern with its risk and the person to answer it" in ex.feedback.text
    assert "drift" not in ex.feedback.text


def test_giving_a_feasibility_question_back_to_the_engineer_who_asked_is_wrong(ex):
    row = ROW.loc["RC02"]
    assert row["speaker"] == "Jonah Weiss" and row["answered_by"] == "Aiko Tanaka"
    sort(ex, {"RC02": ("feasibility", "Jonah Weiss")})
    text = ex.feedback.text
    assert "RC02: Jonah raised it, but Aiko Tanaka (mobile engineer) should answer it." in text
    assert row["reason"] in text
    assert ex.feedback.heading == "Right: 0 of 13"


def test_a_rewrite_across_phone_and_server_is_for_the_head_of_engineering(ex):
    sort(ex, {"RC07": ("feasibility", "Jonah Weiss")})
    assert (
        "it is an engineering question, but for Ravi Menon (head of engineering), not "
        "Jonah Weiss (backend engineer)" in ex.feedback.text
    )


def test_a_stakeholder_who_raises_a_viability_risk_does_not_own_it(ex):
    sort(ex, {"RC04": ("viability", "Grace Liu"), "RC06": ("viability", "Sofia Reyes")})
    text = ex.feedback.text
    assert "RC04: Grace raised it, but you should answer it." in text
    assert (
        "RC06: Sofia Reyes (customer success lead) may bring what they know, but viability "
        "risk is yours as the product manager" in text
    )


def test_feasibility_answered_by_the_pm_is_named_as_drift(ex):
    sort(ex, {"RC11": ("feasibility", "You")})
    text = ex.feedback.text
    assert "1 drift(s) into the engineers' territory" in text
    assert "RC11: drift into the engineers' territory" in text
    assert "Jonah Weiss (backend engineer) should answer it, not you" in text


def test_calling_a_pm_risk_feasibility_and_answering_it_is_drift(ex):
    sort(ex, {"RC01": ("feasibility", "You")})
    text = ex.feedback.text
    assert "you call it feasibility and answer it yourself" in text
    assert "It is value risk, and you should answer it" in text


def test_partly_right_gives_the_reason(ex):
    sort(ex, {"RC03": ("value", "Lena Fischer"), "RC01": ("value", "")})
    text = ex.feedback.text
    assert "RC03: the risk is usability, not value." in text
    assert "prototype" in text  # the reason from the data
    assert "RC01: so far so good" in text
    assert ex.feedback.heading == "Right: 0 of 13"


def test_wrong_person_for_a_design_question(ex):
    sort(ex, {"RC09": ("usability", "Priya Natarajan"), "RC12": ("usability", "You")})
    text = ex.feedback.text
    assert "RC09: Priya raised it, but Lena Fischer (product designer) should answer it." in text
    assert "RC12: Lena Fischer (product designer) should answer it, not you." in text


def test_reflection_escaped_and_huge_text_refused(ex):
    ex.reflection.value = "<script>x</script>"
    assert "<script>" not in ex.feedback.widget.value + ex.save_control.status.value
    ex.reflection.value = "w" * (MAX_TEXT_CHARS + 1)
    assert "'My reflection' is" in ex.save_control.text
    assert len(ex.reflection.value) == MAX_TEXT_CHARS + 1


def test_survives_a_restart(ex, workbook_path):
    sort(ex, {"RC02": ("feasibility", "Aiko Tanaka"), "RC04": ("viability", "")})
    again = WhoseRisk(Workbook(workbook_path))
    assert again.choices()["RC02"] == ("feasibility", "Aiko Tanaka")
    assert again.choices()["RC04"] == ("viability", "")
    md = Workbook(workbook_path).export_markdown()
    assert "- RC02, Jonah Weiss: “Which database" in md
    assert "— feasibility, Aiko Tanaka (right)" in md and "— viability, ?" in md


def test_damaged_and_old_saves(workbook_path):
    Workbook(workbook_path).save(
        "shift3.whose_risk",
        {
            "choices": {
                "RC01": ["value", "You"],
                "RC02": ["money", "ceo"],
                "RC03": ["usability", "product designer"],  # a role, as older versions saved
                "X": 1,
            },
            "reflection": 7,
        },
    )
    ex = WhoseRisk(Workbook(workbook_path))
    assert ex.choices()["RC01"] == ("value", "You")
    assert ex.choices()["RC03"] == ("usability", "")  # the risk is kept
    status = ex.save_control.status.value
    for part in ("RC02 risk", "RC02 who answers", "RC03 who answers", "X", "reflection"):
        assert part in status


def test_unreadable_save(workbook_path):
    Workbook(workbook_path).save("shift3.whose_risk", [1, 2])
    assert "starting afresh" in WhoseRisk(Workbook(workbook_path)).save_control.status.value


def test_counts_table_has_human_headers_and_counts_from_the_data():
    html = wr.counts_table().to_html()
    assert "Risk" in html and "Concerns" in html and "risk_concerns" not in html
    for risk in data.CAGAN_RISKS:
        n = int((CONCERNS["risk"] == risk).sum())
        assert re.search(rf">{risk}</td>\s*<td[^>]*>{n}</td>", html), risk


# --- the page: a full answer key, checked against the data -----------------------------------
def page_markdown() -> str:
    nb = json.loads((ROOT / "notebooks/30-shift3/40-whose-risk.ipynb").read_text("utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def answer_key() -> str:
    text = page_markdown()
    start = text.index(":::{dropdown} Answer key")
    return text[start : text.index("\n:::", start)]


def test_page_has_an_answer_key_with_every_concern_its_risk_answerer_and_why():
    key = answer_key()
    for r in CONCERNS.itertuples(index=False):
        line = next(x for x in key.splitlines() if f"| {r.concern_id} |" in x)
        assert f"| {r.risk} |" in line, r.concern_id
        assert f"| {r.answered_by} |" in line, r.concern_id
        assert r.reason in line, r.concern_id


def test_page_names_people_only_with_their_cast_roles():
    text = page_markdown()
    for wrong in ("tech lead", "operations lead", "head of sales"):
        assert wrong not in text.lower(), wrong
    assert "**Time:** teaching " in text and re.search(
        r"\*\*Time:\*\* teaching \d+ min · exercise \d+ min", text
    )
