"""notebooks/20-shift2/40-speak-up.ipynb: the speak-up scenario, its data and its widget."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import ipywidgets as W
import pytest

from pivot import data
from pivot.exercises.shift2 import speak_up as su
from pivot.exercises.shift2.speak_up import SpeakUp
from pivot.frameworks import scenario as sc
from pivot.kit import MAX_TEXT_CHARS, walk
from pivot.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "data" / "speak_up_scenario.csv"
SCENARIO = su.load_scenario()
PATHS = sc.paths(SCENARIO)


@pytest.fixture
def ex(workbook_path):
    return SpeakUp(Workbook(workbook_path))


def play(ex, choices):
    for cid in choices:
        ex.response.value = cid
        ex.choose_button.click()


def backlog_row(item):
    with open(ROOT / "data" / "backlog.csv", encoding="utf-8") as f:
        return next(r for r in csv.DictReader(f) if r["item_id"] == item)


# --- the data -------------------------------------------------------------------------------
def test_numbers_in_the_story_agree_with_the_backlog():
    # RICE by hand from the raw CSV: reach × impact × confidence ÷ effort.
    b01, b03 = backlog_row("B01"), backlog_row("B03")
    rice01 = int(b01["reach"]) * float(b01["impact"]) * int(b01["confidence"]) / 100
    rice01 /= float(b01["effort"])
    rice03 = int(b03["reach"]) * float(b03["impact"]) * int(b03["confidence"]) / 100
    rice03 /= float(b03["effort"])
    assert (rice01, rice03) == (1620, 7.5)
    said = SCENARIO.choice("N01c")[1].text
    assert f"reaches {b01['reach']} accounts" in said and "scores 1,620" in said
    assert f"reaches {b03['reach']} and scores 7.5, for {b03['effort']} person-months" in said
    assert f"{b03['effort']} person-months" in SCENARIO.node("N04").text
    # nothing left unfilled
    for n in SCENARIO.nodes:
        assert "{" not in n.text and all("{" not in c.text for c in n.choices)


def test_the_scenario_is_as_the_page_describes_it():
    depths = {len(p) for p in PATHS}
    assert max(depths) == 4 and min(depths) >= 2  # three to four decision points deep
    assert len(SCENARIO.endings) >= 6
    kinds = {c.kind for n in SCENARIO.nodes for c in n.choices}
    assert kinds == set(sc.KINDS)
    # every decision point offers a weak move (retreat, attack, relitigate, undermine) beside a
    # stronger one
    for n in SCENARIO.nodes:
        if not n.is_end:
            assert {c.kind for c in n.choices} & set(sc.WEAK_KINDS), n.node_id
            assert max(c.score for c in n.choices) >= 1, n.node_id
    # one ending where the decision goes against the learner and disagree and commit is right
    best = sc.stronger_paths(SCENARIO)
    assert any(SCENARIO.choice(c)[1].kind == "commit" for p in best for c in p.choices)
    assert {p.end for p in best} == {"E05", "E08", "E09"}
    # no weak move lies on a strongest path
    for p in best:
        assert not {SCENARIO.choice(c)[1].kind for c in p.choices} & set(sc.WEAK_KINDS)


def test_people_in_the_scenario_are_the_cast():
    text = (ROOT / "book" / "case-study.md").read_text(encoding="utf-8")
    cast = set(re.findall(r"^\| ([A-Z][a-z]+ [A-Z][a-z]+) \|", text, re.M))
    allowed = cast | {"Kriti Yadav", "Granite Peak"}
    raw = CSV.read_text(encoding="utf-8")
    names = set(re.findall(r"\b([A-Z][a-z]+ (?:[A-Z][a-z]+))\b", raw))
    people = {n for n in names if n.split()[0] in {x.split()[0] for x in cast} | {"Kriti"}}
    assert people <= allowed
    assert {"Marcus Bell", "Dana Okafor", "Ravi Menon", "Sofia Reyes"} <= people


def _broken(tmp_path, monkeypatch, old, new):
    text = CSV.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "speak_up_scenario.csv").write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("PIVOT_DATA_DIR", str(tmp_path))
    (tmp_path / "backlog.csv").write_text(
        (ROOT / "data" / "backlog.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )


def test_a_bad_kind_in_the_data_names_the_column_and_value(tmp_path, monkeypatch):
    _broken(tmp_path, monkeypatch, ",retreat,", ",sulk,")
    with pytest.raises(data.DataError) as err:
        su.load_scenario()
    assert "kind" in str(err.value) and "sulk" in str(err.value)


def test_a_cycle_in_the_data_is_refused_naming_the_choice(tmp_path, monkeypatch):
    # N06c (say nothing) would lead back to the meeting's start: a path that never ends
    _broken(tmp_path, monkeypatch, ",E07,0,", ",N01,0,")
    with pytest.raises(sc.ScenarioError) as err:
        su.load_scenario()
    assert "N06c" in str(err.value) and "cycle" in str(err.value) and "'next'" in str(err.value)


def test_an_unknown_placeholder_names_node_choice_and_field():
    rows = [{"node_id": "N01", "choice_id": "N01a", "why": "reach {B99_reach}"}]
    with pytest.raises(sc.ScenarioError) as err:
        su.fill(rows, su.case_numbers())
    assert str(err.value).startswith("node 'N01', choice 'N01a', field 'why': unknown placeholder")
    with pytest.raises(sc.ScenarioError, match="stray brace"):
        su.fill([{"node_id": "N01", "text": "a { b"}], su.case_numbers())


# --- the widget -------------------------------------------------------------------------------
def test_every_control_is_labelled(ex):
    for w in walk(ex.widget):
        if isinstance(w, (W.Button, W.RadioButtons, W.Textarea)):
            assert w.description.strip(), w


def test_starts_at_the_meeting_with_nothing_chosen(ex):
    assert ex.path == [] and ex.response.value is None
    assert ex.feedback.heading == "Decision point 1: The prioritisation meeting"
    assert len(ex.response.options) == 4
    assert ex.back_button.disabled and ex.restart_button.disabled
    assert "Marcus cuts in" in ex.situation.value


def test_choose_with_nothing_selected_says_so_and_changes_nothing(ex):
    ex.choose_button.click()
    assert ex.path == [] and "Select one of the responses" in ex.feedback.text


@pytest.mark.parametrize("path", PATHS, ids=lambda p: "-".join(p.choices))
def test_every_path_of_the_real_scenario_can_be_played(workbook_path, path):
    ex = SpeakUp(Workbook(workbook_path))
    for cid in path.choices:
        node, choice = SCENARIO.choice(cid)
        assert ex.current().node_id == node.node_id
        assert cid in dict((v, k) for k, v in ex.response.options)
        ex.response.value = cid
        ex.choose_button.click()
        # the consequence and the why of that choice, at once
        assert choice.consequence in ex.feedback.text and choice.why in ex.feedback.text
    end = SCENARIO.node(path.end)
    assert ex.current().is_end and ex.feedback.heading == f"Ending: {end.title}"
    assert end.outcome in ex.feedback.text
    assert ex.choose_button.disabled and ex.response.disabled
    table = ex.comparison.value
    assert "Your path" in table and f">{path.score}</td>" in table
    for best in su.strongest_by_ending(SCENARIO):
        assert SCENARIO.node(best.end).title in table
    top = sc.stronger_paths(SCENARIO)[0].score
    if path.score == top:
        assert "among the strongest" in ex.feedback.text
    else:
        assert f"Your path scores {path.score}" in ex.feedback.text
    saved = Workbook(workbook_path).get(su.SpeakUp.exercise_id)
    assert saved["path"] == list(path.choices)


def test_levels_follow_the_score(ex):
    play(ex, ["N01b"])  # an attack, score −2
    assert ex.feedback.messages[0].level == "error"
    ex.step_back()
    play(ex, ["N01a"])  # a retreat, −1
    assert ex.feedback.messages[0].level == "warn"
    ex.start_again()
    play(ex, ["N01c"])  # evidence, +2
    assert ex.feedback.messages[0].level == "good"


def test_step_back_and_start_again(ex, workbook_path):
    play(ex, ["N01c", "N04b"])
    assert ex.current().node_id == "N07"
    ex.back_button.click()
    assert ex.path == ["N01c"] and ex.current().node_id == "N04"
    assert ex.response.value is None and len(ex.response.options) == 4
    assert Workbook(workbook_path).get(ex.exercise_id)["path"] == ["N01c"]
    play(ex, ["N04a", "N06a"])
    assert ex.current().is_end
    ex.restart_button.click()
    assert ex.path == [] and ex.current().node_id == "N01" and ex.comparison.value == ""
    assert Workbook(workbook_path).get(ex.exercise_id)["path"] == []
    ex.step_back()  # nothing to undo: nothing happens
    assert ex.path == []


def test_the_path_so_far_is_shown(ex):
    play(ex, ["N01d", "N05b"])
    assert "The path so far (2 step(s))" in ex.history.value
    assert "ask a question" in ex.history.value


def test_save_and_restore(ex, workbook_path):
    play(ex, ["N01a", "N02a"])
    ex.own_words.value = (
        "B01 should come first: it reaches 540 accounts. What does Granite Peak need?"
    )
    ex.reflection.value = "I stay quiet too often."
    again = SpeakUp(Workbook(workbook_path))
    assert again.path == ["N01a", "N02a"] and again.current().node_id == "N04"
    assert again.own_words.value.startswith("B01 should come first")
    assert again.reflection.value == "I stay quiet too often."
    assert "Welcome back" in again.save_control.status.value
    md = again.to_markdown(again.answer())
    assert "After the meeting: follow up in writing" in md and "> B01 should come first" in md


def _saved(workbook_path, answer):
    Workbook(workbook_path).save(su.SpeakUp.exercise_id, answer, title="t", markdown="m")
    return SpeakUp(Workbook(workbook_path))


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        (["N01c", "N99z", "N06a"], ["N01c"]),  # a choice that no longer exists
        (["N01c", "N06a"], ["N01c"]),  # a real choice, but not at that node
        (["N01c", "N04a", "N06a", "N06a"], ["N01c", "N04a", "N06a"]),  # beyond the ending
        (["<script>alert(1)</script>"], []),
        ("N01c", []),
        ({"N01c": 1}, []),
        ([None, 3.5, ["N01c"]], []),
    ],
)
def test_a_saved_path_that_no_longer_fits_is_trimmed_with_a_message(workbook_path, path, kept):
    ex = _saved(workbook_path, {"path": path, "own_words": "kept", "reflection": "r"})
    assert ex.path == kept
    status = ex.save_control.status.value
    assert "trimmed" in status and "<script" not in status
    assert ex.own_words.value == "kept" and ex.reflection.value == "r"


@pytest.mark.parametrize("answer", [[], "text", 42, None])
def test_a_saved_answer_that_is_not_a_mapping(workbook_path, answer):
    ex = _saved(workbook_path, answer)
    assert ex.path == []
    if answer is not None:
        assert "could not be read" in ex.save_control.status.value


def test_malformed_saved_texts_are_skipped_and_named(workbook_path):
    ex = _saved(workbook_path, {"path": ["N01c"], "own_words": 5, "reflection": ["x"]})
    assert ex.path == ["N01c"] and ex.own_words.value == "" and ex.reflection.value == ""
    status = ex.save_control.status.value
    assert "what you would say" in status and "reflection" in status


def test_a_saved_path_with_no_path_key_starts_afresh_without_complaint(workbook_path):
    ex = _saved(workbook_path, {"own_words": "x"})
    assert ex.path == [] and "trimmed" not in ex.save_control.status.value


# --- the learner's own words --------------------------------------------------------------------
def verdicts(text):
    return {c.name: c.passed for c in su.own_words_checks(text)}


def test_a_good_answer_passes_every_check():
    text = (
        "Before we move on: B01 reaches 540 accounts a quarter and the map 90. "
        "I'd put the schedule fix first. What does Granite Peak need the map for?"
    )
    assert verdicts(text) == {"point": True, "evidence": True, "tone": True, "length": True}


@pytest.mark.parametrize(
    ("text", "failed"),
    [
        ("The schedule fix should come first.", {"evidence"}),
        ("What does Granite Peak need the map for?", {"point"}),
        ("You're wrong, Marcus: B01 first, it has a RICE of 1,620.", {"tone"}),
        ("Fix B01 first; the map is a sales wish list (RICE 7.5).", {"tone"}),
        ("Sales always gets its way. B01 first: 540 accounts.", {"tone"}),
        ("B01 FIRST. It reaches 540 accounts.", {"tone"}),
        ("B01 first, 540 accounts!!", {"tone"}),
        ("B01 first: 540 accounts. " + "More detail here. " * 40, {"length"}),
    ],
)
def test_each_check_fails_for_its_own_reason(text, failed):
    assert {k for k, ok in verdicts(text).items() if not ok} == failed


def test_checks_are_honest_about_what_they_look_for():
    msgs = " ".join(c.message for c in su.own_words_checks("B01 first, 540 accounts."))
    assert "only looked for those words" in msgs and "cannot hear tone" in msgs


def test_the_own_words_box_with_hostile_text(ex, workbook_path):
    for text in ["<script>alert(1)</script> B01 first?", "<img src=x onerror=alert(1)>", "\x00"]:
        ex.own_words.value = text
        assert "<script" not in ex.words_feedback.widget.value
        assert "onerror=alert" not in ex.words_feedback.widget.value.replace(
            "onerror=alert(1)&gt;", ""
        )
    ex.own_words.value = "   "
    assert "Write what you would say" in ex.words_feedback.text
    assert su.own_words_checks(None)[0].passed is False


def test_over_long_own_words_are_refused_and_the_rest_saved(ex, workbook_path):
    ex.own_words.value = "short and saved"
    play(ex, ["N01c"])
    ex.own_words.value = "x" * (MAX_TEXT_CHARS + 1)
    status = ex.save_control.status.value
    assert "Not saved" in status and "What I would say" in status
    saved = Workbook(workbook_path).get(ex.exercise_id)
    assert saved["own_words"] == "short and saved" and saved["path"] == ["N01c"]
    json.dumps(saved)


def test_feedback_is_fast(ex):
    play(ex, ["N01c", "N04b", "N07b"])
    ex.own_words.value = "B01 first? " * 2000


# --- the page's static path ---------------------------------------------------------------------
def test_the_answer_key_lists_every_node_choice_consequence_and_why():
    key = su.answer_key_markdown("su")
    raw = su.load_rows({k: "" for k in su.case_numbers()})
    for r in raw:
        if r.get("choice_id"):
            assert f"**{r['choice_id']}** ({su.kind_label(r['kind'])}" in key
            assert r["consequence"] in key and r["why"] in key
        else:
            assert r["node_id"] in key and r["title"] in key
    assert "{glue:text}`su_B01_score`" in key
    for line in key.splitlines():
        assert not line.lstrip("- ").startswith("{"), line


def test_the_page_holds_the_current_answer_key():
    nb = json.loads((ROOT / "notebooks" / "20-shift2" / "40-speak-up.ipynb").read_text())
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    text = re.sub(r"<!--glue (\w+)-->.*?<!--/glue-->", r"{glue:text}`\1`", text)
    for line in su.answer_key_markdown("su").splitlines():
        assert line in text, line
