"""Shift 2, answer first: the status-update ordering task and the pitch, driven headlessly."""

from __future__ import annotations

import json

import pytest

from pivot import kit
from pivot.exercises.shift2 import answer_first as af
from pivot.exercises.shift2.stakeholder_map import StakeholderMap
from pivot.workbook import Workbook

DANA_PITCH = (
    "Dana, I recommend we build the schedule-change fix (B01, then B02) before the live map, "
    "and I need your backing for that order on Thursday. In our interviews, 6 of the 12 "
    "accounts raised missed schedule changes, both churned accounts among them, and B01 "
    "scores 1,620 by RICE against 7.5 for the map. Keeping those accounts is our quickest "
    "growth this year."
)


# --- the ordering task ---------------------------------------------------------------------
def test_update_pieces_quote_the_data():
    steps = af.update_steps()
    assert len(steps) == 7
    text = " ".join(t for t, _ in steps)
    # hand-checked from data/backlog.csv and data/interviews.csv
    for figure in ("1,620", "960", "7.5", "rank 26", "6 of the 12", "90 accounts", "both churned"):
        assert figure in text
    assert steps[0][0].startswith("I recommend")


def test_offered_order_is_the_rambling_one_and_not_the_answer():
    ex = af.RebuildUpdate(Workbook(None))
    assert ex.offered != ex.correct
    assert ex.offered[-1] == ex.correct[0]  # the answer buried at the end
    assert sorted(af.OFFERED_ORDER) == list(range(7))


def test_right_order_gets_all_right(workbook_path):
    ex = af.RebuildUpdate(Workbook(workbook_path))
    for dd, step in zip(ex.positions, ex.correct, strict=True):
        dd.value = step
    assert ex.feedback.heading == "Order: 7 of 7 in the right place"
    assert "The update in order" in ex.feedback.text


def test_minto_standard_order_is_explained_not_just_marked_wrong():
    ex = af.RebuildUpdate(Workbook(None))
    c = ex.correct
    order = [c[1], c[2], c[3], c[0], c[4], c[5], c[6]]  # S, C, Q, A, support
    for dd, step in zip(ex.positions, order, strict=True):
        dd.value = step
    text = ex.feedback.text
    assert "Order: 3 of 7" in text
    assert "too late" in text and "top of the pyramid" in text
    assert "too early" in text and "recommendation leads" in text


def test_support_out_of_its_group_is_explained():
    ex = af.RebuildUpdate(Workbook(None))
    c = ex.correct
    order = [c[0], c[1], c[2], c[3], c[4], c[6], c[5]]
    for dd, step in zip(ex.positions, order, strict=True):
        dd.value = step
    assert "ideas of one kind stay together" in ex.feedback.text


def test_ordering_save_restore_and_malformed(workbook_path):
    ex = af.RebuildUpdate(Workbook(workbook_path))
    ex.positions[0].value = ex.correct[0]
    ex.reflection.value = "Mine was buried."
    again = af.RebuildUpdate(Workbook(workbook_path))
    assert again.positions[0].value == ex.correct[0]
    assert again.reflection.value == "Mine was buried."
    book = Workbook(workbook_path)
    book.save(af.RebuildUpdate.exercise_id, {"order": ["nonsense", 3], "reflection": 5})
    bad = af.RebuildUpdate(Workbook(workbook_path))
    assert "could not be used" in bad.save_control.status.value
    assert bad.positions[0].value == ""


# --- the pitch -------------------------------------------------------------------------------
def test_dropdown_without_a_map_says_so_and_links_page_1():
    ex = af.Pitch(Workbook(None))
    labels = [label for label, _ in ex.who.options]
    assert labels[0].startswith("— choose")
    assert len(labels) == 1 + len(af.load_stakeholders())
    html = ex.widget.children[0].value
    assert "not saved a stakeholder map" in html and af.MAP_PAGE in html
    assert not any("on your map" in label for label in labels)


def test_dropdown_puts_the_saved_map_first_with_strategies(workbook_path):
    sm = StakeholderMap(Workbook(workbook_path))
    _r, power, interest, strategy = sm.rows["S04"]
    power.value, interest.value, strategy.value = 4, 5, "manage closely"
    _r, power, interest, strategy = sm.rows["S05"]
    power.value, interest.value, strategy.value = 2, 5, "keep informed"
    sm.save()
    ex = af.Pitch(Workbook(workbook_path))
    options = ex.who.options
    assert [v for _l, v in options[1:3]] == ["S04", "S05"]
    assert options[1][0].endswith("on your map: manage closely")
    assert options[2][0].endswith("on your map: keep informed")
    assert "placed on your map come first" in ex.widget.children[0].value
    ex.who.value = "S04"
    assert "manage closely" in ex.about.value and "live map" in ex.about.value


def test_options_with_a_saved_map_contract_directly():
    frame = af.load_stakeholders()
    options = af.stakeholder_options(frame, {"S09": {"strategy": None}, "S01": {"strategy": "x"}})
    assert [v for _l, v in options[:2]] == ["S01", "S09"]
    assert options[1][0].endswith("on your map, no strategy yet")


def test_dana_worked_pitch_passes_everything(workbook_path):
    ex = af.Pitch(Workbook(workbook_path))
    ex.who.value = "S01"
    ex.pitch.value = DANA_PITCH
    assert ex.feedback.heading == "Checks passed: 5 of 5", ex.feedback.text


def test_wrong_stakeholder_fails_only_interest(workbook_path):
    ex = af.Pitch(Workbook(workbook_path))
    ex.who.value = "S15"  # Tom Becker, Tallyline: invoices and payments
    ex.pitch.value = DANA_PITCH
    assert ex.feedback.heading == "Checks passed: 4 of 5"
    assert "Their interest" in ex.feedback.text and "Tom Becker" in ex.feedback.text


def test_made_up_number_is_flagged_in_the_feedback():
    ex = af.Pitch(Workbook(None))
    ex.who.value = "S01"
    ex.pitch.value = DANA_PITCH + " It would add 35 % revenue."
    assert "Not a case figure — check it: ‘35 %’" in ex.feedback.text


def test_empty_and_whitespace_pitch():
    ex = af.Pitch(Workbook(None))
    ex.pitch.value = "   \n "
    assert ex.feedback.heading == "Checks: nothing written yet"


def test_pitch_save_restore(workbook_path):
    ex = af.Pitch(Workbook(workbook_path))
    ex.who.value = "S04"
    ex.pitch.value = "Marcus, I recommend the fix first."
    ex.reflection.value = "Ravi next."
    again = af.Pitch(Workbook(workbook_path))
    assert (again.who.value, again.pitch.value, again.reflection.value) == (
        "S04",
        "Marcus, I recommend the fix first.",
        "Ravi next.",
    )
    saved = json.loads(workbook_path.read_text(encoding="utf-8"))
    assert "Pitch to: Marcus Bell" in json.dumps(saved, ensure_ascii=False)


@pytest.mark.parametrize(
    "answer",
    [
        "not a dict",
        {"stakeholder": "S99", "pitch": 42, "reflection": ["x"]},
        {"stakeholder": None},
    ],
)
def test_pitch_malformed_saved_answer(workbook_path, answer):
    Workbook(workbook_path).save(af.Pitch.exercise_id, answer)
    ex = af.Pitch(Workbook(workbook_path))
    assert ex.who.value == "" and ex.pitch.value == ""
    status = ex.save_control.status.value
    assert "could not" in status


def test_over_length_pitch_is_refused_and_kept_in_the_box(workbook_path):
    ex = af.Pitch(Workbook(workbook_path))
    ex.who.value = "S01"
    ex.pitch.value = DANA_PITCH
    long = "word " * (kit.MAX_TEXT_CHARS // 5 + 10)
    ex.pitch.value = long
    assert "Not saved" in ex.save_control.status.value and "My pitch" in ex.save_control.text
    assert ex.pitch.value == long
    assert "over the limit" in ex.feedback.text
    assert af.Pitch(Workbook(workbook_path)).pitch.value == DANA_PITCH


def test_hostile_pitch_is_escaped_and_fast():
    ex = af.Pitch(Workbook(None))
    ex.who.value = "S01"
    ex.pitch.value = "<img src=x onerror=alert(1)> I recommend " + "1,620 " * 500
    assert "<img" not in ex.feedback.widget.value


def test_static_checks_table_for_the_worked_example():
    html = af.checks_table(DANA_PITCH, "Dana Okafor")
    assert html.count("passes") == 5
    with pytest.raises(KeyError, match="no stakeholder named"):
        af.checks_table(DANA_PITCH, "Nobody")


MARCUS_KEY = (
    "Marcus, I recommend we ship the schedule-change fix first and give the live map a date "
    "after it; can you take that plan to Rachel Dunn at Granite Peak this week? The fix takes "
    "two person-months, so the live map can get a firm date for the demo. The map scores 7.5 by "
    "RICE against 1,620 for B01, so building it first would stall the work most customers need. "
    "A Crewboard that keeps 310 technicians on the right jobs helps close the deal, too."
)


def test_answer_key_pitch_to_marcus_passes_and_matches_the_page():
    import json as _json

    from support import ROOT

    assert af.checks_table(MARCUS_KEY, "Marcus Bell").count("passes") == 5
    nb = _json.loads((ROOT / "notebooks/20-shift2/20-answer-first.ipynb").read_text("utf-8"))
    page = " ".join(" ".join("".join(c["source"]).split()) for c in nb["cells"])
    page = page.replace("> ", "")
    assert MARCUS_KEY in page
