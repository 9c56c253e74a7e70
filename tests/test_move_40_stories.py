"""notebooks/50-move/40-your-stories.ipynb: the story checks (pivot/frameworks/stories.py), the
reference stories, the widget, the prompts read from earlier pages, the capstone's reader and
the page's static path."""

from __future__ import annotations

import csv
import json
import random
import re
import shutil
from pathlib import Path

import pytest
from test_hostile_inputs import _unescaped, hostile_pass

from pivot import data
from pivot.exercises.move import stories as ms
from pivot.exercises.move.stories import InterviewStories, saved_stories, work_prompts
from pivot.frameworks import stories as st
from pivot.frameworks.review import CAST_NAMES
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "data" / "interview_stories.csv"
NOTEBOOK = ROOT / "notebooks" / "50-move" / "40-your-stories.ipynb"
STORIES = ms.load_reference_stories()
STRONG = {s.shift: s for s in STORIES if s.kind == "strong"}
WEAK = next(s for s in STORIES if s.kind == "weak")
SELF_CHECK = next(s for s in STORIES if s.kind == "self_check")


def story(situation="", task="", action="", result=""):
    return {"situation": situation, "task": task, "action": action, "result": result}


GOOD = story(
    "Small accounts were leaving, and nobody knew why.",
    "My job was to find out which problem to solve first.",
    "I interviewed owners at 12 accounts and asked what happened the last time a day went "
    "wrong. I coded what they said into pain points and wrote a problem statement.",
    "Missed schedule changes came first, raised by 6 of the 12 accounts.",
)


def failed(checks):
    return [c.name for c in checks if not c.passed]


@pytest.fixture
def ex(workbook_path):
    return InterviewStories(Workbook(workbook_path))


def fill(ex, n, parts, shift=None):
    for key, text in parts.items():
        ex.parts[n][key].value = text
    if shift is not None:
        ex.shifts[n].value = shift


# --- the framework: counting -------------------------------------------------------------------
def test_words_and_speaking_time():
    assert st.word_count("I met Marcus on his own, twice.") == 7
    assert st.word_count("4.5 out of 5; 12,000 calls; person-months") == 7
    assert st.word_count("") == 0 and st.word_count(None) == 0 and st.word_count(42) == 0
    assert st.speaking_seconds(150) == 60 and st.speaking_seconds(300) == 120
    assert st.speaking_seconds(0) == 0 and st.speaking_seconds(-5) == 0
    assert st.speaking_seconds(100, rate=120) == 50
    with pytest.raises(ValueError, match="rate must be a positive number.*got 0"):
        st.speaking_seconds(10, rate=0)
    # the budget is the two minutes at the assumed rate, most of it for the action
    assert sum(st.WORD_BUDGET.values()) == st.ANSWER_MINUTES * st.SPEAKING_RATE_WPM
    assert max(st.WORD_BUDGET, key=st.WORD_BUDGET.get) == "action"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Calls fell from 30 a day to 12.", ["30", "a day", "12"]),
        ("Churn fell 40 % in a quarter.", ["40 %", "a quarter"]),
        ("Up by twelve per cent.", ["twelve", "per cent"]),
        ("We halved the wait, twice.", ["halved", "twice"]),
        ("It shipped within a week.", ["a week"]),
        ("Live by March.", ["March"]),
        ("Four weeks later it was live.", ["Four"]),
    ],
)
def test_numbers_in_finds_figures_counts_percentages_and_times(text, found):
    assert st.numbers_in(text) == found


@pytest.mark.parametrize(
    "text",
    ["It went well.", "Everyone was happy, no one complained.", "We may ship it.", "", None, 7],
)
def test_numbers_in_ignores_what_is_not_a_number(text):
    assert st.numbers_in(text) == []


def test_first_person_counts_i_and_we():
    assert st.first_person("I met him; my plan held, and he told me so.") == (3, 0)
    assert st.first_person("We met; our plan held; they told us.") == (0, 3)
    assert st.first_person("I and we") == (1, 1)
    # a lower-case "i" is not the pronoun, a capital "US" is the country
    assert st.first_person("the i-th item shipped to the US") == (0, 0)
    assert st.first_person(None) == (0, 0)


def test_cues_and_the_likely_shift():
    text = "I interviewed customers and wrote a problem statement from the evidence."
    assert st.cue_words(text)[1] == ["customers", "interviewed", "problem", "evidence"]
    assert st.likely_shifts(text) == (1,)
    assert st.likely_shifts("I negotiated a package with the stakeholders.") == (2,)
    assert st.likely_shifts("I ranked the backlog with RICE within the capacity.") == (3,)
    assert st.likely_shifts("The experiment failed; I kept the kill criterion.") == (4,)
    assert st.likely_shifts("I had lunch.") == () and st.likely_shifts(None) == ()
    # a tie gives both shifts; acronyms count only as written ("rice" is food)
    assert st.likely_shifts("The customer agreed.") == (1, 2)
    assert st.cue_words("we had rice")[3] == []
    # whole words only: "skill" is not "kill", "pre-interview" is not "interview"
    assert st.cue_words("a skill")[4] == [] and st.cue_words("a pre-interview")[1] == []


def test_shift_of_accepts_saved_and_chosen_values_only():
    assert [st.shift_of(v) for v in (1, "2", " 3 ", 4)] == [1, 2, 3, 4]
    assert [st.shift_of(v) for v in (0, 5, -1, True, "x", None, 2.0, [1])] == [None] * 8


# --- the framework: the checks of one story ------------------------------------------------------
def test_a_good_story_passes_every_check():
    checks = st.story_checks(GOOD, 1)
    assert [c.name for c in checks] == list(st.CHECK_NAMES)
    assert failed(checks) == [], [c.message for c in checks]
    by = {c.name: c.message for c in checks}
    assert "assumed 150 words a minute" in by["length"]
    assert "'6', '12'" in by["number"] and "only looked for" in by["number"]
    assert "Cues are only cues" in by["shift"]


def test_missing_parts_are_named():
    checks = st.story_checks(story(task="My job was it.", action="I did it."), 1)
    parts = next(c for c in checks if c.name == "parts")
    assert not parts.passed and "situation, result" in parts.message
    assert "still to write (at least 3 words each)" in parts.message


def test_too_long_and_an_action_shorter_than_the_situation_are_flagged():
    long = dict(GOOD, action="I " + "did things " * 80)  # 161 words > 140
    msg = next(c for c in st.story_checks(long, 1) if c.name == "length")
    assert not msg.passed and "action 161 of 140" in msg.message
    assert "longer than a 2-minute answer (300 words)" in msg.message
    lopsided = dict(GOOD, situation="It was " + "a busy time " * 10, action="I fixed it.")
    msg = next(c for c in st.story_checks(lopsided, 1) if c.name == "length")
    assert not msg.passed and "is longer than the action (3)" in msg.message


def test_a_result_without_a_number_fails_and_says_why():
    checks = st.story_checks(dict(GOOD, result="It went well and everyone was happy."), 1)
    number = next(c for c in checks if c.name == "number")
    assert not number.passed and "'It went well' cannot be checked" in number.message
    blank = next(c for c in st.story_checks(dict(GOOD, result=""), 1) if c.name == "number")
    assert not blank.passed and "no result yet" in blank.message


def test_an_action_all_in_we_is_flagged_and_mostly_we_is_noted():
    we = next(
        c
        for c in st.story_checks(dict(GOOD, action="We met and we agreed."), 1)
        if c.name == "i_action"
    )
    assert not we.passed and "written all in 'we' (2 time(s), no 'I')" in we.message
    nobody = next(
        c
        for c in st.story_checks(dict(GOOD, action="Meetings were held."), 1)
        if c.name == "i_action"
    )
    assert not nobody.passed and "nobody acts" in nobody.message
    mostly = dict(GOOD, action="We met, we talked, we agreed and I wrote it up.")
    check = next(c for c in st.story_checks(mostly, 1) if c.name == "i_action")
    assert check.passed and "mostly 'we'" in check.message


def test_the_task_must_be_the_learners_own():
    checks = st.story_checks(dict(GOOD, task="We needed to sort out the plan."), 1)
    task = next(c for c in checks if c.name == "task_owned")
    assert not task.passed and "what 'we' had to do" in task.message
    assert "My job was to" in task.message


def test_the_shift_check_prompts_and_never_rules():
    unset = next(c for c in st.story_checks(GOOD, None) if c.name == "shift")
    assert not unset.passed and "choose which shift" in unset.message
    assert "point to Shift 1" in unset.message
    other = next(c for c in st.story_checks(GOOD, 3) if c.name == "shift")
    assert not other.passed and "you chose Shift 3" in other.message
    assert "point more to Shift 1" in other.message and "not a verdict" in other.message
    bare = story("It was a day.", "I had a job.", "I did the job well.", "It took 2 days.")
    none = next(c for c in st.story_checks(bare, 2) if c.name == "shift")
    assert not none.passed and "none of the course's cue words" in none.message


@pytest.mark.parametrize("value", [None, "a story", 42, [], {"situation": 5, "task": None}])
def test_checks_never_raise_on_odd_values(value):
    checks = st.story_checks(value, "nonsense")
    assert failed(checks) == list(st.CHECK_NAMES)


# --- the framework: the set --------------------------------------------------------------------
def test_coverage_names_missing_repeated_and_unchosen():
    stories = {1: (GOOD, 1), 2: (GOOD, 1), 3: (GOOD, None), 4: (story(), 4)}
    cov = st.coverage(stories)
    assert cov.covered == (1,) and cov.missing == (2, 3, 4)
    assert cov.repeated == (1,) and cov.unchosen == (3,) and not cov.complete
    full = st.coverage({s: (s_.parts, s) for s, s_ in STRONG.items()})
    assert full.complete and full.covered == (1, 2, 3, 4) and full.repeated == ()


def test_stories_by_shift_keys_by_the_chosen_shift_and_keeps_the_first():
    stories = {1: (GOOD, 2), 2: (dict(GOOD, task="Mine."), 2), 3: (GOOD, None), 4: (story(), 4)}
    found = st.stories_by_shift(stories)
    assert list(found) == ["2", "3"]  # story 1 claims 2 first; story 3 falls back to its number
    assert found["2"] == GOOD and set(found["3"]) == {k for k, _ in st.PARTS}


# --- the reference stories -----------------------------------------------------------------------
def test_the_reference_stories_are_as_the_page_describes_them():
    assert sorted(STRONG) == [1, 2, 3, 4]
    for s in STRONG.values():
        checks = st.story_checks(s.parts, s.shift)
        assert failed(checks) == [], (s.story_id, [c.message for c in checks])
        assert st.likely_shifts(st.story_text(s.parts)) == (s.shift,), s.story_id
    assert failed(st.story_checks(WEAK.parts, WEAK.shift)) == ["number", "i_action", "task_owned"]
    assert WEAK.shift in STRONG  # the worked example tells the same event twice
    assert failed(st.story_checks(SELF_CHECK.parts, SELF_CHECK.shift)) == ["shift"]
    examples = ms.worked_examples()
    assert examples["strong"] is STRONG[WEAK.shift] or examples["strong"] == STRONG[WEAK.shift]


def test_only_people_from_the_cast_are_named_in_the_stories():
    case = (ROOT / "book" / "case-study.md").read_text(encoding="utf-8")
    text = " ".join(" ".join(s.parts.values()) + " " + s.nugget for s in STORIES)
    named = {p for p in CAST_NAMES if any(part in text for part in p.split())}
    assert named == {"Marcus Bell", "Dana Okafor"}
    for person in named:
        assert f"| {person} |" in case
    assert "Granite Peak Facilities" in case and "Granite Peak Facilities" in text


def _copy_data(tmp_path, monkeypatch, edit):
    with open(CSV, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    edit(rows)
    with open(tmp_path / "interview_stories.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    for other in ("shifts.csv",):
        shutil.copy(ROOT / "data" / other, tmp_path / other)
    monkeypatch.setenv("PIVOT_DATA_DIR", str(tmp_path))


def test_a_bad_row_is_named_with_its_line_column_and_value(tmp_path, monkeypatch):
    _copy_data(tmp_path, monkeypatch, lambda rows: rows[2].update(kind="excellent"))
    with pytest.raises(data.DataError, match=r"line 4.*kind.*excellent"):
        ms.load_reference_stories()
    _copy_data(tmp_path, monkeypatch, lambda rows: rows[0].update(shift="5"))
    with pytest.raises(data.DataError, match=r"line 2.*shift"):
        ms.load_reference_stories()


def test_the_schema_is_registered():
    assert data.SCHEMAS["interview_stories"] is ms.SCHEMA
    assert ms.SCHEMA.names == next(csv.reader(CSV.open(encoding="utf-8")))


# --- the widget ----------------------------------------------------------------------------------
def test_an_empty_exercise_says_where_to_start(ex):
    assert ex.story_feedback[1].heading == "Story 1: not started"
    assert ex.set_feedback.heading == "Your four stories: 0 of 4 shifts shown"
    assert "listens for each of the four shifts" in ex.set_feedback.text
    assert len(ex.text_fields()) == 4 * 4 + 1


def test_a_strong_story_passes_and_a_weak_one_is_told_why(ex):
    fill(ex, 2, STRONG[2].parts, 2)
    assert ex.story_feedback[2].heading == "Story 2: checks passed 6 of 6"
    assert "Every check passed" in ex.story_feedback[2].text
    fill(ex, 3, WEAK.parts, 2)
    text = ex.story_feedback[3].text
    assert ex.story_feedback[3].heading == "Story 3: checks passed 3 of 6"
    assert "Check: A number in the result: no figure" in text
    assert "Check: 'I' in the action: written all in 'we'" in text
    assert "Check: The task is yours:" in text


def test_a_shift_the_cues_disagree_with_is_a_note_not_a_problem(ex):
    fill(ex, 3, SELF_CHECK.parts, 3)
    msg = next(m for m in ex.story_feedback[3].messages if m.text.startswith("The shift"))
    assert msg.level == "info" and "not a verdict" in msg.text
    ex.shifts[3].value = ms.UNSET
    msg = next(m for m in ex.story_feedback[3].messages if m.text.startswith("The shift"))
    assert msg.level == "warn" and "choose which shift" in msg.text


def test_the_set_feedback_covers_repeats_gaps_and_the_full_set(ex):
    fill(ex, 1, STRONG[2].parts, 2)
    fill(ex, 2, STRONG[2].parts, 2)
    fill(ex, 3, STRONG[3].parts)
    text = ex.set_feedback.text
    assert "Stories 1 and 2 both show Shift 2" in text and "keeps story 1" in text
    assert "Choose which shift story 3 shows." in text
    assert "No story shows Shift 1, From the solution space to the problem space" in text
    for n, s in STRONG.items():
        fill(ex, n, s.parts, n)
    assert ex.set_feedback.heading == "Your four stories: 4 of 4 shifts shown"
    assert ex.set_feedback.messages[-1].level == "good"
    assert "covers all four shifts, about 5 minute(s)" in ex.set_feedback.text


def test_everything_round_trips_and_the_capstone_reads_it(ex, workbook_path):
    for n, s in STRONG.items():
        fill(ex, n, s.parts, n)
    ex.reflection.value = "Mine 🙂"
    again = InterviewStories(Workbook(workbook_path))
    assert again.answer() == ex.answer()
    assert "Welcome back" in again.save_control.status.value
    found = saved_stories(Workbook(workbook_path))
    assert found == {str(n): s.parts for n, s in STRONG.items()}
    md = again.to_markdown(again.answer())
    assert "**Story 3** (shows Shift 3, You no longer build the technology)" in md
    assert "> " + STRONG[4].result in md and "Reflection:" in md
    assert ex.to_markdown({}) == "No stories written yet."


def test_the_capstone_reader_follows_the_chosen_shift(ex, workbook_path):
    fill(ex, 1, STRONG[4].parts, 4)  # story 1 shows Shift 4
    fill(ex, 4, STRONG[1].parts)  # story 4, no shift chosen: its own number, taken
    fill(ex, 2, STRONG[2].parts)  # no shift chosen: its own number
    found = saved_stories(Workbook(workbook_path))
    assert list(found) == ["4", "2"] and found["4"] == STRONG[4].parts


@pytest.mark.parametrize(
    "answer",
    [
        "not a mapping",
        {"stories": ["a", "b"]},
        {"stories": {"1": "text", "2": None}},
        {"stories": {"1": {"situation": 5, "action": ["x"]}}},
        {"stories": {"1": {"situation": "x" * (MAX_TEXT_CHARS + 1)}}},
        {"stories": {"1": {"task": "   ", "shift": 2}}},
    ],
)
def test_saved_stories_never_raises_and_leaves_out_what_it_cannot_use(workbook, answer):
    workbook.save(ms.EXERCISE_ID, answer if isinstance(answer, dict) else {"stories": answer})
    assert saved_stories(workbook) == {}


def test_saved_stories_keeps_the_good_parts_and_survives_a_broken_workbook(workbook):
    workbook.save(
        ms.EXERCISE_ID,
        {"stories": {"2": {"shift": "9", "task": "My job.", "result": 3}, "7": {"task": "x"}}},
    )
    assert saved_stories(workbook) == {
        "2": {"situation": "", "task": "My job.", "action": "", "result": ""}
    }

    class Broken:
        def get(self, _key):
            raise OSError("disk gone")

    assert saved_stories(Broken()) == {}
    assert saved_stories(Workbook(Path("/nonexistent/dir/wb.json"))) == {}


def test_malformed_saved_answers_are_skipped_and_named(workbook):
    workbook.save(
        ms.EXERCISE_ID,
        {
            "stories": {
                "1": {"shift": 7, "situation": "kept", "task": 42},
                "2": "not a story",
                "3": {"action": "a" * (MAX_TEXT_CHARS + 1), "result": "fine", "shift": "3"},
            },
            "reflection": ["no"],
        },
    )
    ex = InterviewStories(workbook)
    status = ex.save_control.status.value
    for part in ("the shift of story 1", "story 1 task", "story 2", "story 3 action", "reflection"):
        assert part in status
    assert ex.parts[1]["situation"].value == "kept" and ex.shifts[1].value == ms.UNSET
    assert ex.parts[3]["result"].value == "fine" and ex.shifts[3].value == 3
    for bad in (["a list"], {"stories": "x"}, {"stories": {"1": {"shift": [1]}}}):
        workbook.save(ms.EXERCISE_ID, bad if isinstance(bad, dict) else {"stories": bad})
        InterviewStories(workbook)  # no exception


def test_an_over_long_part_is_refused_on_its_own(ex, workbook_path):
    ex.parts[1]["task"].value = "kept"
    ex.parts[2]["action"].value = "z" * (MAX_TEXT_CHARS + 1)
    assert f"'Story 2 action' is {MAX_TEXT_CHARS + 1:,} characters long" in ex.save_control.text
    saved = Workbook(workbook_path).get(ms.EXERCISE_ID)
    assert saved["stories"]["2"]["action"] == "" and saved["stories"]["1"]["task"] == "kept"


def test_hostile_values_in_every_input(ex, workbook_path, monkeypatch):
    monkeypatch.setattr("os.fsync", lambda _fd: None)
    log, done = [], set()
    assert hostile_pass(ex, random.Random(1), log, done) > 16
    assert not log, "\n".join(log)
    assert not _unescaped(ex)
    json.loads(workbook_path.read_text(encoding="utf-8"))


def test_feedback_on_long_text_runs(ex):
    # no timing assertion (the machine is shared); this only exercises the worst case
    for n in st.SHIFTS:
        fill(ex, n, story(*(["We met customers. " * 1_000] * 4)), n)
    assert ex.story_feedback[4].heading.startswith("Story 4: checks passed")


# --- prompts from earlier pages ------------------------------------------------------------------
COMPLETE = {
    "shift1.problem_statement": {
        "who": "Dispatchers at small firms <b>",
        "needs": "to know when a job moves",
        "because": "technicians drive to the wrong job",
        "evidence": "I01",
    },
    "shift1.pain_point_map": {"top_three": ["schedule_changes_not_seen", "invoice_delay", ""]},
    "shift2.stakeholder_map": {
        "placements": {
            "S01": {"power": 5, "interest": 4, "strategy": "manage closely"},
            "S02": {"power": 4, "interest": 4, "strategy": "keep informed"},
        }
    },
    "shift2.pitch": {"stakeholder": "S02", "pitch": "<script>alert(1)</script> Fix B01 first."},
    "shift2.negotiation": {
        "proposals": [{"scope": "texts", "date": "weeks6", "pilot": "both", "support": "week"}]
    },
    "shift3.capacity_plan": {"capacity": "12", "method": "rice"},
    "shift3.what_not_how": {"rewrites": {"R01": {"story": "As a dispatcher …", "criteria": ""}}},
    "shift4.read_and_decide": {"decision": "iterate", "locked": {"success": 5.0, "kill": 1.0}},
    "shift4.blameless_review": {"log": {"what_we_change_next": "Tell dispatchers in the app."}},
}


def test_a_complete_workbook_prompts_every_story_from_the_learners_work(workbook):
    for exercise_id, answer in COMPLETE.items():
        workbook.save(exercise_id, answer)
    prompts = work_prompts(workbook)
    assert all(not p.missing for p in prompts.values()), {s: p.missing for s, p in prompts.items()}
    lines = {s: " | ".join(p.lines) for s, p in prompts.items()}
    assert "Dispatchers at small firms <b> need to know when a job moves" in lines[1]
    assert "1. Technicians miss schedule changes; 2. Invoices go out late." in lines[1]
    assert "Your pitch to Ravi Menon" in lines[2] and "1 proposal(s) to Marcus Bell" in lines[2]
    assert "Arrival-window texts" in lines[2]
    assert "places 2 people; you chose to manage closely: Dana Okafor." in lines[2]
    assert "a quarter of 12 person-months, ranked by RICE" in lines[3]
    assert "rewrote 1 solution-shaped request(s)" in lines[3]
    assert "decided to iterate" in lines[4] and "success +5 points, kill +1 points" in lines[4]
    assert "“Tell dispatchers in the app.”" in lines[4]
    ex = InterviewStories(workbook)
    shown = " ".join(w.value for w in ex.widget.children if isinstance(getattr(w, "value", 0), str))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Fix B01 first." in shown
    assert "<script" not in shown and "small firms &lt;b&gt;" in shown
    assert not _unescaped(ex)


def test_an_empty_workbook_names_every_chapter_with_a_link(workbook):
    prompts = work_prompts(workbook)
    for shift, prompt in prompts.items():
        assert prompt.lines == () and prompt.question == ms.QUESTIONS[shift]
    links = [href for p in prompts.values() for _title, href in p.missing]
    assert sorted(links) == sorted(href for _t, href in ms.CHAPTERS.values())
    for href in links:
        assert (NOTEBOOK.parent / href).resolve().is_file(), href
    html = ms.prompt_html(prompts[4])
    assert '<a href="../40-shift4/40-decide.ipynb">Read the result and decide</a>' in html
    assert "Ask yourself:" in html


@pytest.mark.parametrize(
    "damage",
    [
        "not a dict",
        ["a", "list"],
        {"who": 5, "top_three": "x", "pitch": 3, "proposals": [1, {"scope": "moon"}]},
        {"capacity": "inf", "method": "magic", "rewrites": [1], "decision": "maybe"},
        {"capacity": 10**400, "locked": {"success": float("nan"), "kill": "x"}, "log": 7},
        {"placements": {"S99": {"power": 9}}, "stakeholder": ["S01"], "decision": "ship"},
    ],
)
def test_a_damaged_workbook_never_raises(workbook, damage):
    for exercise_id in COMPLETE:
        workbook.save(exercise_id, damage if isinstance(damage, dict) else {"x": damage})
    prompts = work_prompts(workbook)
    assert set(prompts) == {1, 2, 3, 4}
    InterviewStories(workbook)  # builds


def test_prompts_survive_a_broken_workbook_and_a_damaged_proposal(workbook):
    class Broken:
        def get(self, _key):
            raise OSError("disk gone")

    prompts = work_prompts(Broken())
    assert all(len(p.missing) == len(ms.READERS[s]) for s, p in prompts.items())
    workbook.save("shift2.negotiation", {"proposals": [{"scope": "texts"}]})
    line = work_prompts(workbook)[2].lines[0]
    assert line == "You made 1 proposal(s) to Marcus Bell in the negotiation."


# --- the page ------------------------------------------------------------------------------------
def _cells():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def test_the_page_has_its_parts_and_agrees_with_the_data():
    cells = _cells()
    assert 15 <= len(cells) <= 40
    md = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "**Time:** teaching 15 min · exercise 30 min" in md
    for part in (
        "Questions",
        "Objectives",
        "Key points",
        "## Worked example",
        "## Self-check",
        ":::{dropdown} Solution",
        ":::{dropdown} Answer key",
        "## Reflection",
        "### Where next",
    ):
        assert part in md, part
    assert ms.answer_key_markdown() in md  # regenerate the page if the data changes
    examples = ms.worked_examples()
    for s in examples.values():
        for key, label in st.PARTS:
            assert f"> *{label}.* {s.parts[key]}" in md, (s.story_id, key)
    assert f"> *Nugget.* {examples['weak'].nugget}" in md
    assert f"> *Nugget.* {examples['strong'].nugget}" not in md  # left to the learner
    for key in ("mcdowell2013cracking", "mcdowell2015cracking", "rozenfeld2021pivot"):
        assert key in md
    assert "no single canonical source" in md and "assumption" in md
    assert "50-portfolio.ipynb" in md
    code = [c for c in cells if c["cell_type"] == "code"]
    assert "".join(code[-1]["source"]).strip().splitlines()[-1] == "InterviewStories()"
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)


def test_the_page_states_the_budget_it_checks():
    md = "\n".join("".join(c["source"]) for c in _cells() if c["cell_type"] == "markdown")
    for key, _label in st.PARTS:
        assert f"<!--glue st_{key}_words-->{st.WORD_BUDGET[key]}<!--/glue-->" in md
    assert f"<!--glue st_rate-->{st.SPEAKING_RATE_WPM}<!--/glue-->" in md
    assert not re.search(r"^\s*<!--", md, re.M), "a Markdown line starts with a marker"


def test_the_cited_books_are_in_the_bibliography():
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    assert "@book{mcdowell2013cracking," in bib and "978-0-9847828-1-9" in bib
    assert "@book{mcdowell2015cracking," in bib and "978-0-9847828-5-7" in bib
