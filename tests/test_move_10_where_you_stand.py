"""notebooks/50-move/10-where-you-stand.ipynb: the comparison of two self-assessments, the
retake widget, the capstone's reader and the page's static path."""

from __future__ import annotations

import json
import math
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_hostile_inputs import _unescaped, hostile_pass

from pivot import data
from pivot.exercises.move import where_you_stand as wys
from pivot.exercises.move.where_you_stand import (
    WhereYouStand,
    WorkedComparison,
    first_assessment,
    saved_comparison,
)
from pivot.exercises.self_assessment import SelfAssessment
from pivot.frameworks import self_assessment as sa
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "50-move" / "10-where-you-stand.ipynb"
START_NOTEBOOK = ROOT / "notebooks" / "00-start" / "10-self-assessment.ipynb"
IDS = [f"S{s}{c}" for s in range(1, 5) for c in "abc"]
NOOR_FIRST_ROWS = [[2, 1, 2], [3, 2, 4], [2, 2, 2], [4, 3, 4]]
NOOR_NOW_ROWS = [[4, 3, 3], [3, 3, 4], [3, 2, 3], [4, 2, 3]]
NOOR_FIRST = dict(zip(IDS, [v for row in NOOR_FIRST_ROWS for v in row], strict=True))
NOOR_NOW = dict(zip(IDS, [v for row in NOOR_NOW_ROWS for v in row], strict=True))
FIRST_SCORES = {1: 1.67, 2: 3.0, 3: 2.0, 4: 3.67}
NOW_SCORES = {1: 3.33, 2: 3.33, 3: 2.67, 4: 3.0}
ELIF_FIRST = {1: 3.0, 2: 2.33, 3: 2.33, 4: 4.0}
ELIF_NOW = {1: 3.33, 2: 3.33, 3: 2.67, 4: 3.33}


def first_answer(ratings=NOOR_FIRST, note="Learn to interview users"):
    return {"ratings": dict(ratings), "scores": {}, "note": note}


def rate(ex, ratings):
    for item, value in ratings.items():
        ex.inputs[item].value = value


def rate_and_compare(ex, ratings):
    rate(ex, ratings)
    assert not ex.compare_button.disabled
    ex.compare_button.click()
    assert ex.revealed


def shown_html(ex):
    """Everything the widget shows as HTML right now (hidden boxes included)."""
    from pivot.kit import walk

    return "".join(
        w.value for w in walk(ex.widget) if hasattr(w, "value") and isinstance(w.value, str)
    )


@pytest.fixture
def with_first(workbook_path):
    Workbook(workbook_path).save(FIRST := wys.FIRST_ID, first_answer(), title="Self-assessment")
    assert FIRST == "start.self_assessment"
    return workbook_path


# --- the comparison (pivot.frameworks.self_assessment.compare) -----------------------------------
def test_noors_comparison_hand_computed():
    c = sa.compare(FIRST_SCORES, NOW_SCORES)
    # 3.33 - 1.67, 3.33 - 3.00, 2.67 - 2.00, 3.00 - 3.67, from the two-decimal scores shown
    assert c.change == {1: 1.66, 2: 0.33, 3: 0.67, 4: -0.67}
    assert c.direction == {1: "up", 2: "steady", 3: "up", 4: "down"}
    assert (c.shifts("up"), c.shifts("down"), c.shifts("steady")) == ((1, 3), (4,), (2,))
    assert (c.next_shift, c.level_with_next, c.first_profile.start) == (3, (4,), 1)
    assert not c.unchanged


def test_a_net_change_of_one_step_is_steady_even_when_statements_cancel_out():
    # the reviewer's case: [2, 2, 2] -> [4, 1, 2] moves two statements, net one step, +0.33
    item_shift = {i: int(i[1]) for i in IDS}
    first = sa.shift_scores(dict.fromkeys(IDS, 2), item_shift)
    now = sa.shift_scores(dict.fromkeys(IDS, 2) | {"S1a": 4, "S1b": 1}, item_shift)
    c = sa.compare(first, now)
    assert c.change[1] == 0.33 and c.direction[1] == "steady"
    # net two steps in one direction is a change, however they are spread
    two = sa.shift_scores(dict.fromkeys(IDS, 2) | {"S1a": 5, "S1b": 1}, item_shift)
    assert sa.compare(first, two).direction[1] == "up"


def test_no_rule_or_docstring_says_one_step_on_one_statement():
    for path in (
        ROOT / "pivot" / "frameworks" / "self_assessment.py",
        ROOT / "pivot" / "exercises" / "move" / "where_you_stand.py",
        NOTEBOOK,
    ):
        text = path.read_text(encoding="utf-8")
        assert "one step on one statement" not in text, path
        assert "at most one step" not in text or "net" in text, path


def test_half_a_point_is_steady_and_two_steps_are_a_change():
    c = sa.compare({1: 2.0, 2: 3.0, 3: 2.33, 4: 4.0}, {1: 2.5, 2: 2.5, 3: 2.99, 4: 3.34})
    assert c.change == {1: 0.5, 2: -0.5, 3: 0.66, 4: -0.66}
    assert c.direction == {1: "steady", 2: "steady", 3: "up", 4: "down"}
    one_step = sa.compare({1: 2.0, 2: 2.0, 3: 2.0, 4: 2.0}, {1: 2.33, 2: 1.67, 3: 2.0, 4: 2.0})
    assert set(one_step.direction.values()) == {"steady"}


def test_next_shift_is_the_lowest_now_with_ties_to_the_earlier_shift():
    c = sa.compare({1: 1.0, 2: 5.0, 3: 5.0, 4: 5.0}, {1: 4.0, 2: 2.0, 3: 4.0, 4: 2.0})
    assert c.next_shift == 2 and c.level_with_next == (4,)
    assert c.first_profile.start == 1  # the first profile does not decide


def test_no_change_is_flagged_and_never_negative_zero():
    c = sa.compare(FIRST_SCORES, dict(FIRST_SCORES))
    assert c.unchanged and all(math.copysign(1, v) == 1 for v in c.change.values())
    assert c.shifts("steady") == (1, 2, 3, 4)


@pytest.mark.parametrize(
    ("first", "now", "message"),
    [
        ({}, NOW_SCORES, "no shift scores"),
        (FIRST_SCORES, {1: 3.0, 2: 3.0, 3: 3.0}, r"same shifts .first has \[1, 2, 3, 4\]"),
        (FIRST_SCORES, NOW_SCORES | {4: 0}, r"Shift 4 must be a number from 1 to 5 .got 0."),
        (FIRST_SCORES, NOW_SCORES | {4: 5.5}, "got 5.5"),
        (FIRST_SCORES, NOW_SCORES | {2: float("nan")}, "got nan"),
        (FIRST_SCORES, NOW_SCORES | {2: True}, "got True"),
        (FIRST_SCORES | {1: "3"}, NOW_SCORES, "got '3'"),
        (FIRST_SCORES | {1: None}, NOW_SCORES, "got None"),
        ({"1": 3.0}, {"1": 3.0}, "shift must be a whole number .got '1'."),
    ],
)
def test_compare_refuses_bad_scores_naming_them(first, now, message):
    with pytest.raises(ValueError, match=message):
        sa.compare(first, now)


def test_compare_accepts_whole_number_scores_and_leaves_its_inputs_alone():
    first, now = {1: 1, 2: 2, 3: 3, 4: 4}, {4: 5, 3: 3, 2: 2, 1: 1}
    c = sa.compare(first, now)
    assert list(c.now) == [1, 2, 3, 4] and c.change[4] == 1.0
    assert first == {1: 1, 2: 2, 3: 3, 4: 4} and list(now) == [4, 3, 2, 1]


# --- the reader the capstone uses ---------------------------------------------------------------
def test_nothing_saved_reads_as_empty(workbook):
    assert saved_comparison(workbook) == {}
    assert first_assessment(workbook) == (None, "none")


def test_a_complete_workbook_reads_both_attempts_and_the_note(with_first):
    ex = WhereYouStand(Workbook(with_first))
    rate(ex, NOOR_NOW)
    ex.reflection.value = "Shift 4 fell: I now know what a kill criterion is."
    found = saved_comparison(Workbook(with_first))
    assert found == {
        "first": {"1": 1.67, "2": 3.0, "3": 2.0, "4": 3.67},
        "now": {"1": 3.33, "2": 3.33, "3": 2.67, "4": 3.0},
        "note": "Shift 4 fell: I now know what a kill criterion is.",
    }
    assert json.loads(json.dumps(found)) == found
    assert all(isinstance(v, float) for v in found["first"].values())


def test_first_is_the_oldest_attempt_not_the_current_one(workbook):
    workbook.save(wys.FIRST_ID, first_answer(dict.fromkeys(IDS, 1)))
    workbook.new_attempt(wys.FIRST_ID)
    workbook.save(wys.FIRST_ID, first_answer(dict.fromkeys(IDS, 2)))
    workbook.new_attempt(wys.FIRST_ID)
    workbook.save(wys.FIRST_ID, first_answer(dict.fromkeys(IDS, 4)))
    assert saved_comparison(workbook)["first"] == dict.fromkeys("1234", 1.0)
    assert saved_comparison(workbook)["now"] is None


def test_a_damaged_oldest_attempt_is_skipped_for_the_next_usable_one(workbook):
    workbook.save(wys.FIRST_ID, {"ratings": {"S1a": 9}})
    workbook.new_attempt(wys.FIRST_ID)
    workbook.save(wys.FIRST_ID, first_answer())
    assert first_assessment(workbook) == (FIRST_SCORES, "found")


def test_the_retake_alone_reads_with_no_first(workbook):
    workbook.save(wys.EXERCISE_ID, {"ratings": NOOR_NOW, "reflection": 42})
    assert saved_comparison(workbook) == {
        "first": None,
        "now": {"1": 3.33, "2": 3.33, "3": 2.67, "4": 3.0},
        "note": "",
    }


@pytest.mark.parametrize(
    "answer",
    [
        "not a mapping",
        ["S1a", 3],
        {"ratings": "all fives"},
        {"ratings": dict(NOOR_FIRST) | {"S1a": 0}},
        {"ratings": dict(NOOR_FIRST) | {"S2b": "4"}},
        {"ratings": dict(NOOR_FIRST) | {"S3c": True}},
        {"ratings": dict(NOOR_FIRST) | {"S4a": None}},
        {"ratings": dict(NOOR_FIRST) | {"S9z": 3}},
        {"ratings": {k: v for k, v in NOOR_FIRST.items() if k != "S2a"}},
        {"scores": {"1": 5, "2": 5, "3": 5, "4": 5}},  # saved scores alone are not trusted
        {"ratings": {"<script>alert(1)</script>": 3}},
    ],
)
def test_damaged_or_partial_entries_count_as_missing(workbook, answer):
    workbook.save(wys.FIRST_ID, answer)
    workbook.save(wys.EXERCISE_ID, answer)
    assert saved_comparison(workbook) == {}
    assert first_assessment(workbook) == (None, "unusable")


def test_the_reader_survives_a_broken_workbook_and_a_foreign_file(tmp_path):
    class Broken:
        def get(self, _key):
            raise OSError("disk gone")

        def attempts(self, _key):
            raise OSError("disk gone")

    assert saved_comparison(Broken()) == {}
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"format": "something else", "exercises": {}}', encoding="utf-8")
    assert saved_comparison(Workbook(foreign)) == {}
    damaged = tmp_path / "damaged.json"
    damaged.write_text('{"format": "pivot-workbook", "version": 1, "exercises": {', "utf-8")
    assert saved_comparison(Workbook(damaged)) == {}


def test_an_over_long_note_is_left_out(workbook):
    workbook.save(wys.EXERCISE_ID, {"ratings": NOOR_NOW, "reflection": "x" * (MAX_TEXT_CHARS + 1)})
    assert saved_comparison(workbook)["note"] == ""


def test_the_reader_uses_the_current_workbook_by_default(monkeypatch, workbook):
    from pivot import workbook as wb

    workbook.save(wys.FIRST_ID, first_answer())
    monkeypatch.setattr(wb, "_current", workbook)
    assert saved_comparison()["first"]["1"] == 1.67


# --- the widget ---------------------------------------------------------------------------------
def test_without_a_first_it_says_so_links_to_it_and_still_saves(workbook_path):
    ex = WhereYouStand(Workbook(workbook_path))
    assert "There is no first self-assessment in your workbook yet" in ex.first_note.value
    assert 'href="../00-start/10-self-assessment.ipynb"' in ex.first_note.value
    assert ex.compare_button.description == "Show where I stand now"
    rate(ex, NOOR_NOW)
    assert ex.save_control.text == "Saved to your workbook (workbook.json)."
    assert ex.results.layout.display == "none" and ex.feedback.heading == ""
    ex.compare_button.click()
    assert ex.feedback.heading == "No first self-assessment to compare with"
    label = ET.fromstring(ex.chart.value).get("aria-label")
    assert "Now: Problem space 3.33" in label and "First self-assessment" not in label
    reopened = Workbook(workbook_path)
    assert reopened.get(wys.FIRST_ID) is None  # never created by this page
    assert reopened.get(wys.EXERCISE_ID)["ratings"] == NOOR_NOW
    assert ex.next_panel.heading == "Work on next: Shift 3, You no longer build the technology"


def test_an_unreadable_first_is_named_as_such(workbook_path):
    Workbook(workbook_path).save(wys.FIRST_ID, {"ratings": {"S1a": 99}})
    ex = WhereYouStand(Workbook(workbook_path))
    assert "its ratings could not be read" in ex.first_note.value
    assert ex.comparison() is None


def test_the_comparison_appears_once_a_first_exists(workbook_path):
    book = Workbook(workbook_path)
    WhereYouStand(book)
    first = SelfAssessment(book)
    rate(first, NOOR_FIRST)
    ex = WhereYouStand(book)  # "run this cell again"
    assert ex.first == FIRST_SCORES
    assert "stays as it is" in ex.first_note.value and "1.67" not in ex.first_note.value
    assert ex.compare_button.description == "Compare with my first attempt"


def test_every_statement_starts_unrated_and_the_first_stays_out_of_sight(with_first):
    ex = WhereYouStand(Workbook(with_first))
    assert all(radio.value is None for radio in ex.inputs.values())  # no default 3
    assert ex.ratings() == {} and ex.scores() is None and ex.comparison() is None
    assert ex.progress.heading == "Rated 0 of 12" and "Still to rate: Talk to users" in (
        ex.progress.text
    )
    items = list(NOOR_NOW.items())
    for n, (item, value) in enumerate(items[:-1], start=1):
        ex.inputs[item].value = value
        assert ex.progress.heading == f"Rated {n} of 12"
        assert ex.compare_button.disabled and ex.results.layout.display == "none"
        html = shown_html(ex)
        assert "1.67" not in html and "3.67" not in html  # no first score anywhere
        assert ex.feedback.heading == "" and ex.chart.value == "" and ex.table.value == ""
    ex.compare_button.click()  # a click before all twelve are rated changes nothing
    assert not ex.revealed
    ex.inputs[items[-1][0]].value = items[-1][1]
    assert not ex.compare_button.disabled and "1.67" not in shown_html(ex)
    assert "Press Compare with my first attempt" in ex.progress.text
    ex.compare_button.click()
    assert ex.revealed and ex.results.layout.display is None and ex.compare_button.disabled
    assert "1.67" in ex.chart.value and ex.feedback.heading.startswith("Since your first")
    assert Workbook(with_first).get(wys.EXERCISE_ID)["compared"] is True


def test_a_partial_retake_is_saved_and_restored_without_the_comparison(with_first):
    ex = WhereYouStand(Workbook(with_first))
    rate(ex, {"S1a": 4, "S2b": 1})
    saved = Workbook(with_first).get(wys.EXERCISE_ID)
    assert saved["ratings"] == {"S1a": 4, "S2b": 1} and saved["scores"] == {}
    assert saved_comparison(Workbook(with_first))["now"] is None  # a partial retake is not "now"
    again = WhereYouStand(Workbook(with_first))
    assert again.ratings() == {"S1a": 4, "S2b": 1} and again.inputs["S1b"].value is None
    assert not again.revealed and again.progress.heading == "Rated 2 of 12"
    # "compared" saved without all twelve ratings does not open the comparison
    Workbook(with_first).save(wys.EXERCISE_ID, {"ratings": {"S1a": 4}, "compared": True})
    assert not WhereYouStand(Workbook(with_first)).revealed
    md = again.to_markdown({"ratings": {"S1a": 4, "S2b": 1}})
    assert md == "_(2 of 12 statements rated so far; the comparison needs all of them)_"


def test_noors_retake_gives_noors_feedback(with_first):
    ex = WhereYouStand(Workbook(with_first))
    rate_and_compare(ex, NOOR_NOW)
    text = ex.feedback.text
    assert ex.feedback.heading == "Since your first self-assessment: 2 up, 1 down, 1 about the same"
    assert "Problem space 1.67 → 3.33 (+1.66)" in text and "Failure 3.67 → 3.00 (−0.67)" in text
    assert "Up by more than 0.5: Shifts 1 and 3." in text
    assert "Down by more than 0.5: Shift 4. A fall is not bad news in itself." in text
    assert "response shift" in text and "Dunning" not in text
    assert "About the same (within 0.5): Shift 2." in text
    assert "a net move of at most one step" in text
    assert "Statements that moved: Shift 2: Speak up 2 → 3." in text
    assert "suggested starting with Shift 1" in text and "3.33 now, up" in text
    nxt = ex.next_panel.text
    assert ex.next_panel.heading == "Work on next: Shift 3, You no longer build the technology"
    assert "Shift 3 is your lowest now (2.67); it was 2.00 the first time." in nxt
    assert "Its lowest statement now: Prioritise openly (2)." in nxt
    assert "Shift 4 scored nearly as low" in nxt
    assert "Take the next request you would normally design yourself" in nxt
    assert "Start with Shift 3." not in nxt  # the advice's opening is dropped here
    assert 'href="../30-shift3/10-prioritise-backlog.ipynb"' in ex.chapters.value


def test_both_attempts_share_one_radar_told_apart_by_more_than_colour(with_first):
    ex = WhereYouStand(Workbook(with_first))
    rate_and_compare(ex, NOOR_NOW)
    svg = ET.fromstring(ex.chart.value)
    label = svg.get("aria-label")
    assert "First self-assessment: Problem space 1.67" in label
    assert "Now: Problem space 3.33" in label
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in svg.iter(f"{ns}text")]
    assert "First self-assessment" in texts and "Now" in texts  # the legend names both
    filled = [p for p in svg.iter(f"{ns}polygon") if p.get("fill-opacity") == "0.12"]
    assert len(filled) == 2
    assert filled[0].get("stroke-dasharray") is None and filled[1].get("stroke-dasharray")
    assert filled[0].get("stroke") != filled[1].get("stroke")
    assert len(list(svg.iter(f"{ns}circle"))) >= 4 and len(list(svg.iter(f"{ns}rect"))) >= 4


def test_the_table_shows_the_change_per_shift(with_first):
    ex = WhereYouStand(Workbook(with_first))
    rate_and_compare(ex, NOOR_NOW)
    rows = re.findall(r"<tr>(.*?)</tr>", ex.table.value)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in rows]
    assert ["4. Failure", "3.67", "3.00", "−0.67", "down"] in cells
    assert ["2. Soft skills", "3.00", "3.33", "+0.33", "about the same"] in cells
    assert "Change per shift" in ex.table.value and "<th" in ex.table.value


def test_all_fives_get_their_note(with_first):
    ex = WhereYouStand(Workbook(with_first))
    rate_and_compare(ex, dict.fromkeys(IDS, 5))
    assert "Fives everywhere" in ex.feedback.text and "still at 3" not in ex.feedback.text
    assert ex.next_panel.heading.startswith("Work on next: Shift 1,")
    assert "All four shifts are within 0.5" in ex.next_panel.text


def test_the_same_ratings_as_the_first_time_are_named(with_first):
    ex = WhereYouStand(Workbook(with_first))
    rate_and_compare(ex, NOOR_FIRST)
    assert "Every shift has the score it had the first time" in ex.feedback.text
    assert "About the same (within" not in ex.feedback.text


def test_this_page_never_writes_the_first_self_assessment(workbook_path, monkeypatch):
    monkeypatch.setattr("os.fsync", lambda _fd: None)
    book = Workbook(workbook_path)
    book.save(wys.FIRST_ID, first_answer(dict.fromkeys(IDS, 1)), title="Self-assessment")
    book.new_attempt(wys.FIRST_ID)
    book.save(wys.FIRST_ID, first_answer(), title="Self-assessment")
    before_file = json.loads(workbook_path.read_text(encoding="utf-8"))["exercises"][wys.FIRST_ID]
    saves = []
    real_save = Workbook.save

    def spy(self, exercise_id, *args, **kwargs):
        saves.append(exercise_id)
        return real_save(self, exercise_id, *args, **kwargs)

    monkeypatch.setattr(Workbook, "save", spy)
    monkeypatch.setattr(Workbook, "new_attempt", lambda *_a: pytest.fail("new_attempt called"))
    ex = WhereYouStand(Workbook(workbook_path))
    rate(ex, NOOR_NOW)
    ex.reflection.value = "Done"
    ex.save_control.button.click()
    hostile_pass(ex, random.Random(3), [], set())
    WhereYouStand(Workbook(workbook_path))  # a rebuild reads, never writes
    assert saves and set(saves) == {wys.EXERCISE_ID}
    after_file = json.loads(workbook_path.read_text(encoding="utf-8"))["exercises"][wys.FIRST_ID]
    assert after_file == before_file
    assert len(after_file["attempts"]) == 1


def test_everything_is_restored_after_a_rebuild(with_first):
    ex = WhereYouStand(Workbook(with_first))
    rate_and_compare(ex, NOOR_NOW)
    ex.reflection.value = "Mine 🙂 <b>bold</b>"
    again = WhereYouStand(Workbook(with_first))
    assert again.ratings() == NOOR_NOW
    assert again.reflection.value == "Mine 🙂 <b>bold</b>"
    assert again.answer() == ex.answer()
    assert again.revealed and again.feedback.heading == ex.feedback.heading
    assert again.feedback.heading.startswith("Since your first self-assessment")
    assert "Welcome back" in again.save_control.status.value


def test_damaged_saved_retake_restores_what_it_can_and_names_the_rest(workbook_path):
    Workbook(workbook_path).save(
        wys.EXERCISE_ID,
        {
            "ratings": {"S1a": 5, "S1b": 9, "S2a": "high", "<script>x</script>": 2},
            "reflection": ["no"],
        },
    )
    ex = WhereYouStand(Workbook(workbook_path))
    assert ex.inputs["S1a"].value == 5 and ex.inputs["S1b"].value is None
    status = ex.save_control.status.value
    assert "could not be used" in status and "S1b" in status and "reflection" in status
    assert "&lt;script&gt;" in status and "<script" not in status
    for bad in ("a string", ["a", "list"], {"ratings": [1, 2]}, {"ratings": None}):
        Workbook(workbook_path).save(wys.EXERCISE_ID, bad if isinstance(bad, dict) else {"x": bad})
        WhereYouStand(Workbook(workbook_path))  # no exception


def test_a_saved_answer_that_is_not_a_mapping_starts_afresh(workbook_path):
    ex = WhereYouStand(Workbook(workbook_path))
    assert ex.restore("junk") == "Your saved ratings could not be read; starting afresh."


def test_an_over_long_reflection_is_refused_on_its_own(with_first):
    ex = WhereYouStand(Workbook(with_first))
    ex.inputs["S1a"].value = 5
    ex.reflection.value = "y" * (MAX_TEXT_CHARS + 1)
    assert f"'My reflection' is {MAX_TEXT_CHARS + 1:,} characters long" in ex.save_control.text
    saved = Workbook(with_first).get(wys.EXERCISE_ID)
    assert saved["ratings"]["S1a"] == 5 and saved["reflection"] == ""
    assert len(ex.reflection.value) == MAX_TEXT_CHARS + 1


def test_hostile_values_in_every_input(with_first, monkeypatch):
    monkeypatch.setattr("os.fsync", lambda _fd: None)
    ex = WhereYouStand(Workbook(with_first))
    log, done = [], set()
    assert hostile_pass(ex, random.Random(1), log, done) >= 13
    assert not log, "\n".join(log)
    assert not _unescaped(ex)
    json.loads(with_first.read_text(encoding="utf-8"))


def test_the_export_has_the_comparison_table_and_the_reflection(with_first):
    ex = WhereYouStand(Workbook(with_first))
    rate(ex, NOOR_NOW)
    ex.reflection.value = "Line one\nline two"
    md = Workbook(with_first).export_markdown()
    assert "## Making the move: where you stand now" in md
    assert "| 1. Problem space | 1.67 | 3.33 | +1.66 | up |" in md
    assert "Work on next: Shift 3, You no longer build the technology." in md
    assert "> Line one\n> line two" in md
    assert ex.to_markdown({"ratings": "bad"}) == "_(the ratings could not be read)_"


def test_the_export_without_a_first_says_so(workbook_path):
    ex = WhereYouStand(Workbook(workbook_path))
    md = ex.to_markdown({"ratings": NOOR_NOW, "reflection": ""})
    assert "| 4. Failure | — | 3.00 | — | no first to compare with |" in md
    assert "No first self-assessment was found" in md


def test_feedback_is_computed_for_every_change(with_first):
    ex = WhereYouStand(Workbook(with_first))
    for item in IDS:
        before = ex.progress.widget.value
        ex.inputs[item].value = 1
        assert ex.progress.widget.value != before  # every rating redraws the progress
    ex.compare_button.click()
    for item in IDS:
        before = ex.feedback.widget.value
        ex.inputs[item].value = 5
        assert ex.feedback.widget.value != before  # once shown, the comparison follows


def test_the_static_preview_shows_noors_example_and_saves_nothing(workbook_path):
    ex = WhereYouStand(Workbook(workbook_path))
    preview = ex.static_preview()
    assert preview.children[1] is ex.widget
    assert ex.ratings() == NOOR_NOW and ex.first == FIRST_SCORES and ex.revealed
    assert "An example:" in ex.first_note.value and "Noor's retake" in ex.first_note.value
    assert ex.feedback.heading == "Since your first self-assessment: 2 up, 1 down, 1 about the same"
    assert ex.next_panel.heading.startswith("Work on next: Shift 3")
    assert all(w.disabled for w in ex.inputs.values()) and ex.compare_button.disabled
    assert Workbook(workbook_path).get(wys.EXERCISE_ID) is None  # nothing written
    assert not workbook_path.exists() or wys.EXERCISE_ID not in workbook_path.read_text("utf-8")


def test_the_static_preview_keeps_a_learners_complete_retake(with_first):
    ex = WhereYouStand(Workbook(with_first))
    rate(ex, NOOR_FIRST)
    again = WhereYouStand(Workbook(with_first))
    again.static_preview()
    assert again.ratings() == NOOR_FIRST and "An example" not in again.first_note.value
    assert again.revealed and "Every shift has the score it had the first time" in (
        again.feedback.text
    )


def test_the_examples_rows_are_the_pages_worked_example():
    assert [list(r) for r in wys.NOOR_FIRST_ROWS] == NOOR_FIRST_ROWS
    assert [list(r) for r in wys.NOOR_NOW_ROWS] == NOOR_NOW_ROWS


# --- helpers of the page ------------------------------------------------------------------------
def test_signed_changes_and_shift_lists():
    assert [wys.signed(x) for x in (1.66, -0.67, 0.0)] == ["+1.66", "−0.67", "0.00"]
    assert wys.shift_list([2]) == "Shift 2"
    assert wys.shift_list([1, 3]) == "Shifts 1 and 3"
    assert wys.shift_list((1, 2, 4)) == "Shifts 1, 2 and 4"


def test_every_shifts_advice_opens_with_its_name_and_loses_it_here():
    shifts = data.load("shifts").set_index("shift")
    for shift in range(1, 5):
        assert str(shifts.loc[shift, "advice"]).startswith(f"Start with Shift {shift}.")
        advice = wys.advice_for(shifts, shift)
        assert advice and not advice.startswith("Start with")


def test_the_chapter_links_are_every_shift_chapter_with_its_own_title():
    for shift, chapters in wys.CHAPTERS.items():
        folder = next((ROOT / "notebooks").glob(f"{shift}0-shift{shift}"))
        on_disk = sorted(p.name for p in folder.glob("*.ipynb"))
        assert [href.rsplit("/", 1)[1] for _, href in chapters] == on_disk
        for title, href in chapters:
            target = (NOTEBOOK.parent / href).resolve()
            first_line = json.loads(target.read_text(encoding="utf-8"))["cells"][0]["source"]
            assert "".join(first_line).splitlines()[0] == f"# {title}", href


# --- the page -----------------------------------------------------------------------------------
def _cells():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def _markdown():
    return "\n".join("".join(c["source"]) for c in _cells() if c["cell_type"] == "markdown")


def test_the_worked_example_continues_the_start_here_one():
    start = START_NOTEBOOK.read_text(encoding="utf-8")
    assert "[[2, 1, 2], [3, 2, 4], [2, 2, 2], [4, 3, 4]]" in start  # Noor's first ratings
    assert "3.00, Shift 2 = 2.33, Shift 3 = 2.33, Shift 4 = 4.00" in start  # Elif's first scores
    noor = WorkedComparison("Noor", NOOR_FIRST_ROWS, NOOR_NOW_ROWS)
    assert noor.comparison == sa.compare(FIRST_SCORES, NOW_SCORES)
    code = "".join("".join(c["source"]) for c in _cells() if c["cell_type"] == "code")
    assert "[[4, 3, 3], [3, 3, 4], [3, 2, 3], [4, 2, 3]]" in code
    assert "{1: 3.0, 2: 2.33, 3: 2.33, 4: 4.0}, {1: 3.33, 2: 3.33, 3: 2.67, 4: 3.33}" in code
    table = noor.table()
    assert list(table.data["Change"]) == ["+1.66", "+0.33", "+0.67", "−0.67"]
    assert table.data["Ratings, first → now"][3] == (
        "Name the risks: 4 → 4; Test cheaply: 3 → 2; Learn in the open: 4 → 3"
    )
    assert table.to_html() == noor.table().to_html()  # stable ids: the page builds the same
    assert "Noor, first: Problem space 1.67" in noor.figure.alt
    assert "Noor, now: Problem space 3.33" in noor.figure.alt


def test_the_prose_agrees_with_the_computed_examples():
    md = _markdown()
    noor = sa.compare(FIRST_SCORES, NOW_SCORES)
    assert noor.direction[1] == noor.direction[3] == "up" and noor.direction[4] == "down"
    assert "**Shift 1 went up**" in md and "**Shift 3 went up**" in md
    assert "**Shift 2 is about the same**" in md and "**Shift 4 went down**" in md
    assert "*Test cheaply* fell from 3 to 2 and *Learn in the open* from 4 to 3" in md
    elif_ = sa.compare(ELIF_FIRST, ELIF_NOW)
    assert elif_.direction == {1: "steady", 2: "up", 3: "steady", 4: "down"}
    assert (elif_.next_shift, elif_.level_with_next, elif_.first_profile.start) == (3, (), 2)
    assert "Her first shift scores were 3.00, 2.33, 2.33 and 4.00" in md
    assert "she rates herself 3.33, 3.33, 2.67 and 3.33" in md
    assert "Shift 2 went *up*" in md and "Shift 4 went *down*" in md
    assert "Shift 1 changed by" in md and "both are *about the same*" in md


def test_the_page_has_its_parts_and_its_key_agrees_with_the_data():
    md = _markdown()
    assert "**Time:** teaching 10 min · exercise 15 min" in md
    for part in (
        ":::{admonition} Questions",
        ":::{admonition} Objectives",
        "## Overview",
        "## Worked example",
        "**Your turn.**",
        "## Self-check",
        ":::{dropdown} Solution",
        ":::{dropdown} Answer key",
        "## Reflection",
        ":::{admonition} Key points",
        "## Resources",
        "### Where next",
    ):
        assert part in md, part
    noor = WorkedComparison("Noor", NOOR_FIRST_ROWS, NOOR_NOW_ROWS)
    assert wys.answer_key_markdown(noor) in md  # regenerate the page if the rules change
    assert "*Making the move* is the course's last part" in md  # the part's opening
    assert "../00-start/10-self-assessment.ipynb" in md
    for key in ("rozenfeld2021pivot", "howard1979response"):
        assert key in md
    assert "Dunning" not in md and "Kruger" not in md
    code = [c for c in _cells() if c["cell_type"] == "code"]
    exercise = [c for c in code if "WhereYouStand()" in "".join(c["source"])]
    assert len(exercise) == 1
    assert "".join(exercise[0]["source"]).strip().splitlines() == [
        "from pivot.exercises import WhereYouStand",
        "",
        "WhereYouStand()",
    ]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert 15 <= len(_cells()) <= 40


def test_every_glued_key_in_the_prose_is_glued_by_the_page():
    md = _markdown()
    used = set(re.findall(r"<!--glue ([a-z0-9_]+)", md))
    assert {"noor_change_1", "noor_first_start", "elif_next", "wys_steady"} <= used
    glued: dict[str, object] = {}

    def fake_glue(name, value, display=True):
        glued[name] = value

    import myst_nb

    real = myst_nb.glue
    myst_nb.glue = fake_glue
    try:
        wys.glue_rules("wys")
        WorkedComparison("Noor", NOOR_FIRST_ROWS, NOOR_NOW_ROWS).glue("noor")
        wys.glue_self_check("elif", ELIF_FIRST, ELIF_NOW)
    finally:
        myst_nb.glue = real
    assert used <= set(glued), used - set(glued)
    assert glued["noor_change_4"] == "−0.67" and glued["noor_next"] == 3
    assert glued["noor_next_level"] == "Shift 4" and glued["wys_statements"] == 12
    assert re.search(r"<!--glue noor_change_1-->\+1\.66<!--/glue-->", md)


SEED = Path("/work/shared/seed/engineers-pivoting-into-product-management.txt")


def test_the_background_section_quotes_exactly_and_otherwise_uses_the_courses_words():
    section = "".join(_cells()[3]["source"])
    # the reviewer's two close paraphrases are gone
    assert "saving time and money" not in section
    assert "let the engineers do their job" not in section
    assert "to stay out of the weeds and" not in section.lower()  # the statement name stays
    quotes = re.findall(r'"([^"]{20,})"', section)
    assert len(quotes) == 3 and "In Yadav's words, as the article quotes her" in section
    assert "Bedi, quoted in the same article" in section
    if SEED.exists():  # every quotation is the speaker's words as the article prints them
        article = SEED.read_text(encoding="utf-8").replace("’", "'").replace("“", '"')
        for q in quotes:
            assert q.rstrip(",") in article, q
