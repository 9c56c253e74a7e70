"""notebooks/50-move/20-gaps-that-matter.ipynb: the competency model and its data, the rules of
pivot.frameworks.competencies, the widget, the readers for the capstone, and the page."""

from __future__ import annotations

import csv
import json
import math
import random
import re
from pathlib import Path

import pytest
from pybtex.database import parse_file
from test_hostile_inputs import _unescaped, hostile_pass

from pivot import data
from pivot.exercises.move import gaps as gp
from pivot.exercises.move.gaps import GapsThatMatter, saved_gaps, saved_start_scores
from pivot.frameworks import competencies as cm
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "data" / "competencies.csv"
NOTEBOOK = ROOT / "notebooks" / "50-move" / "20-gaps-that-matter.ipynb"
COMPS = gp.load_competencies()
IDS = [c.competency_id for c in COMPS]
BY_ID = {c.competency_id: c for c in COMPS}
#: Mehta's model as published (areas and names, in his order), checked against the sources:
#: "How to Become a Peak Product Manager" and "What's Your Shape?" (ravi-mehta.com, 2020).
PUBLISHED = {
    "Product Execution": ["Feature Specification", "Product Delivery", "Quality Assurance"],
    "Customer Insight": ["Fluency with Data", "Voice of the Customer", "User Experience Design"],
    "Product Strategy": [
        "Business Outcome Ownership",
        "Product Vision & Roadmapping",
        "Strategic Impact",
    ],
    "Influencing People": ["Stakeholder Management", "Team Leadership", "Managing Up"],
}
#: The Start-here self-assessment as its page saves it (pivot.exercises.self_assessment).
START_ANSWER = {
    "ratings": {f"S{s}{x}": v for s, v in ((1, 2), (2, 3), (3, 3), (4, 4)) for x in "abc"},
    "scores": {"1": 2.0, "2": 3.0, "3": 3.0, "4": 4.0},
    "note": "",
}


@pytest.fixture
def ex(workbook_path):
    return GapsThatMatter(Workbook(workbook_path))


def rate(ex, ratings):
    for cid, value in ratings.items():
        ex.ratings_in[cid].value = value


def pick(ex, *ids):
    for cid, box in ex.grow_in.items():
        box.value = cid in ids


def raw_rows():
    with open(CSV, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def kinds(findings):
    return [f.kind for f in findings]


# --- the data ---------------------------------------------------------------------------------
def test_the_model_is_mehtas_four_areas_and_twelve_competencies_in_his_order():
    assert [(c.area_name, c.name) for c in COMPS] == [
        (area, name) for area, names in PUBLISHED.items() for name in names
    ]
    assert [a.name for a in cm.AREAS] == list(PUBLISHED)
    assert gp.competency_titles() == {c.competency_id: c.name for c in COMPS}


def test_the_course_maps_three_competencies_to_each_shift_and_says_why():
    assert {s: sum(c.shift == s for c in COMPS) for s in cm.SHIFTS} == {1: 3, 2: 3, 3: 3, 4: 3}
    for c in COMPS:
        assert c.shift not in c.also_shifts, c.competency_id
        assert f"Shift {c.shift}" in c.shift_reason, c.competency_id
    # Influencing People sits wholly in Shift 2, as the page says
    assert {c.shift for c in COMPS if c.area == "influencing_people"} == {2}
    assert [c.competency_id for c in COMPS if c.first_role == "later"] == [
        "strategic_impact",
        "team_leadership",
    ]


def test_every_resource_exists_chapters_and_references():
    keys = set(parse_file(str(ROOT / "book" / "references.bib")).entries)
    for c in COMPS:
        assert 1 <= len(c.chapters) <= 3 and 1 <= len(c.references) <= 3
        for chapter in c.chapters:
            assert (ROOT / "notebooks" / chapter).exists(), (c.competency_id, chapter)
            assert not chapter.startswith("50-move/")  # the course's earlier chapters
            assert gp.chapter_title(chapter) != chapter  # its title was read
        for key in c.references:
            assert key in keys, (c.competency_id, key)
    assert {"mehta_peakpm", "mehta2020shape"} <= keys


def test_the_schema_is_registered_and_describes_every_column():
    assert data.SCHEMAS["competencies"] is gp.SCHEMA
    assert list(raw_rows()[0]) == gp.SCHEMA.names
    frame = data.load("competencies")
    assert len(frame) == 12


def _copy_data(tmp_path, monkeypatch, edit):
    rows = raw_rows()
    edit(rows)
    with open(tmp_path / "competencies.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    monkeypatch.setenv("PIVOT_DATA_DIR", str(tmp_path))


def test_a_primary_shift_listed_again_is_refused_with_its_line(tmp_path, monkeypatch):
    _copy_data(tmp_path, monkeypatch, lambda rows: rows[3].update(also_shifts="4;1"))
    with pytest.raises(data.DataError, match=r"line 5.*also_shifts.*4;1"):
        gp.load_competencies()


def test_areas_out_of_order_and_bad_cells_are_refused(tmp_path, monkeypatch):
    def swap(rows):
        rows[0], rows[11] = rows[11], rows[0]

    _copy_data(tmp_path, monkeypatch, swap)
    with pytest.raises(data.DataError, match="three competencies per area"):
        gp.load_competencies()
    _copy_data(tmp_path, monkeypatch, lambda rows: rows[1].update(chapters="notes.txt"))
    with pytest.raises(data.DataError, match=r"line 3, column 'chapters'"):
        gp.load_competencies()
    assert gp.competency_titles() == {}  # never raises


# --- the framework: ratings and profiles -----------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, 3), (3.0, 3), (1, 1), (5, 5), (0, None), (6, None), (2.5, None), (True, None),
     (float("nan"), None), (float("inf"), None), ("3", None), (None, None), (10**30, None)],
)  # fmt: skip
def test_rating_value_takes_whole_numbers_from_one_to_five_only(value, expected):
    assert cm.rating_value(value) == expected


def test_check_ratings_names_the_id_and_the_value():
    with pytest.raises(ValueError, match=r"unknown competency id\(s\): juggling"):
        cm.check_ratings({"juggling": 3}, IDS)
    with pytest.raises(ValueError, match=r"rating for managing_up .* \(got 7\)"):
        cm.check_ratings({"managing_up": 7}, IDS)
    assert cm.check_ratings({"managing_up": 2.0}, IDS) == {"managing_up": 2}
    assert cm.clean_ratings({"managing_up": "2", "x": 3, "team_leadership": 4}, IDS) == {
        "team_leadership": 4
    }
    assert cm.clean_ratings(["not", "a", "mapping"], IDS) == {}


def test_noors_profile_by_area_and_by_shift():
    # areas: (3+4+4)/3, (3+1+2)/3, (2+2+1)/3, (3+2+3)/3; shifts 1: VoC 1, UX 2, BOO 2 ...
    assert cm.area_means(gp.NOOR, COMPS) == {
        "product_execution": 3.67,
        "customer_insight": 2.0,
        "product_strategy": 1.67,
        "influencing_people": 2.67,
    }
    assert cm.shift_means(gp.NOOR, COMPS) == {1: 1.67, 2: 2.67, 3: 3.0, 4: 2.67}
    assert [c.competency_id for c in cm.gaps_that_matter(gp.NOOR, COMPS)] == [
        "voice_of_the_customer",  # 1 first, then the 2s in the model's order
        "user_experience_design",
        "business_outcome_ownership",
        "product_vision_roadmapping",
    ]


def test_unrated_competencies_leave_their_area_and_shift_empty():
    ratings = {"voice_of_the_customer": 2}
    assert cm.area_means(ratings, COMPS)["customer_insight"] == 2.0
    assert cm.area_means(ratings, COMPS)["product_execution"] is None
    assert cm.shift_means(ratings, COMPS) == {1: 2.0, 2: None, 3: None, 4: None}
    assert gp.shift_figure(cm.shift_means(ratings, COMPS), None, "x") is None


def test_profile_findings_for_empty_partial_flat_high_and_engineer_profiles():
    assert kinds(cm.profile_findings({}, COMPS)) == ["unrated_profile"]
    assert kinds(cm.profile_findings({"managing_up": 3}, COMPS)) == ["partial"]
    flat = cm.profile_findings(dict.fromkeys(IDS, 3), COMPS)
    assert kinds(flat) == ["flat", "no_gaps"] and "Every rating is 3" in flat[0].text
    high = cm.profile_findings({**dict.fromkeys(IDS, 5), "managing_up": 4}, COMPS)
    assert kinds(high)[0] == "all_high"
    noor = cm.profile_findings(gp.NOOR, COMPS)
    assert kinds(noor) == ["areas", "execution_high", "gaps"]
    assert "Highest area: Product Execution (3.67). Lowest area: Product Strategy (1.67)." in (
        noor[0].text
    )
    assert noor[2].text.startswith("6 gaps, rated 2 or lower; 4 of them")


# --- the framework: the two picks ------------------------------------------------------------
def test_exactly_two_picks_and_nothing_else_is_judged_before():
    assert kinds(cm.review_picks([], gp.NOOR, COMPS)) == ["count"]
    one = cm.review_picks(["managing_up"], gp.NOOR, COMPS)
    assert kinds(one) == ["count"] and "Choose one more" in one[0].text
    three = cm.review_picks(["managing_up", "team_leadership", "product_delivery"], gp.NOOR, COMPS)
    assert three[0].level == "warn" and "You chose 3" in three[0].text
    # repeats and unknown ids do not count
    again = cm.review_picks(["managing_up", "managing_up", "juggling"], gp.NOOR, COMPS)
    assert kinds(again) == ["count"] and "You chose one" in again[0].text


def test_noors_first_try_is_flagged_on_four_counts():
    noor = gp.WorkedLearner("Noor", gp.NOOR, start={1: 1.67, 2: 3.0, 3: 2.0, 4: 3.67})
    found = noor.findings(["quality_assurance", "strategic_impact"])
    assert kinds(found) == ["strength_over_gap", "later", "misses_gaps", "start_differs"]
    assert "Quality Assurance is one of your strengths (4)" in found[0].text
    assert "Voice of the Customer (1)" in found[0].text
    assert "Shift 1 lowest (1.67)" in found[3].text
    # the suggestion is taken from her gaps that matter in Shift 1
    assert found[3].text.endswith(
        "Your gaps that matter in Shift 1: Voice of the Customer (1), User Experience Design (2) "
        "and Business Outcome Ownership (2)."
    )


def test_noors_second_try_and_her_turn():
    noor = gp.WorkedLearner("Noor", gp.NOOR, start={1: 1.67, 2: 3.0, 3: 2.0, 4: 3.67})
    second = noor.findings(["voice_of_the_customer", "business_outcome_ownership"])
    assert kinds(second) == ["gap_that_matters", "gap_that_matters", "start_agrees"]
    assert second[0].text == (
        "Voice of the Customer (1) is a gap that matters for a first product role: closing it "
        "is progress on the move itself."
    )
    assert "both map to Shift 1" in second[2].text and "both are gaps that matter" in second[2].text
    turn = noor.findings(["voice_of_the_customer", "user_experience_design"])
    assert kinds(turn) == ["gap_that_matters", "gap_that_matters", "same_area", "start_agrees"]
    assert "Customer Insight" in turn[2].text and "Product Strategy (1.67)" in turn[2].text


def test_an_unrated_pick_is_named_and_no_start_is_said():
    found = cm.review_picks(["managing_up", "team_leadership"], {"managing_up": 2}, COMPS)
    # one verdict per pick, in the model's order: unrated comes before "matters later"
    assert kinds(found) == ["unrated", "gap_that_matters", "same_area", "no_start"]
    assert "Rate Team Leadership before you choose it" in found[0].text


def test_each_pick_gets_one_verdict_in_the_models_order_whatever_the_click_order():
    one = cm.review_picks(["team_leadership", "quality_assurance"], gp.ELIF, COMPS, gp.ELIF_START)
    other = cm.review_picks(["quality_assurance", "team_leadership"], gp.ELIF, COMPS, gp.ELIF_START)
    assert one == other
    assert [f.about[0] for f in one[:2]] == ["quality_assurance", "team_leadership"]
    assert [f.kind for f in one[:2]] == ["strength_over_gap", "later"]


def test_elifs_team_leadership_pick_gets_no_good_message_and_suggestions_are_gaps_that_matter():
    found = cm.review_picks(["team_leadership", "quality_assurance"], gp.ELIF, COMPS, gp.ELIF_START)
    assert kinds(found) == ["strength_over_gap", "later", "misses_gaps", "start_shift_only"]
    assert not [f for f in found if f.level == "good"]
    about_tl = [f for f in found if "team_leadership" in f.about]
    assert [f.kind for f in about_tl] == ["later", "start_shift_only"]
    # the strength note names gaps that matter, never Strategic Impact (which matters later)
    assert "Strategic Impact" not in found[0].text
    assert "User Experience Design (2), Product Vision & Roadmapping (2) and Stakeholder " in (
        found[0].text
    )
    assert "are gaps that matter for a first product role" in found[0].text
    assert (
        "Team Leadership maps to Shift 2, your lowest shift on the Start-here self-assessment "
        "(2.33), but it matters later in a product career, so the shared shift does not make it"
    ) in found[3].text
    assert found[3].text.endswith(
        "Your gaps that matter in Shift 2: Stakeholder Management (2) and Managing Up (2)."
    )


def test_the_later_verdict_states_mehtas_reason_for_team_leadership():
    found = cm.review_picks(["team_leadership", "managing_up"], gp.NOOR, COMPS)
    assert found[0].kind == "later" and found[0].level == "warn"
    assert "comes into play only once product managers report to you" in found[0].text
    assert "Stakeholder Management in his model" in found[0].text


def test_no_message_says_a_gap_that_matter_and_singular_and_plural_agree():
    texts = []
    for a in IDS:
        for b in IDS:
            if a < b:
                for start in (None, gp.ELIF_START, {1: 1.0, 2: 3.0, 3: 3.0, 4: 3.0}):
                    texts += [f.text for f in cm.review_picks([a, b], gp.ELIF, COMPS, start)]
                    texts += [f.text for f in cm.review_picks([a, b], gp.NOOR, COMPS, start)]
    joined = "\n".join(texts)
    assert "a gap that matter " not in joined and "a gap that matter:" not in joined
    assert "gaps that matters" not in joined and "is gaps" not in joined


def test_a_strength_with_no_gap_that_matters_left_and_a_middle_rating():
    ratings = {**dict.fromkeys(IDS, 3), "quality_assurance": 5, "managing_up": 2}
    found = cm.review_picks(["quality_assurance", "managing_up"], ratings, COMPS)
    assert kinds(found) == ["strength", "gap_that_matters", "no_start"]
    middle = cm.review_picks(["feature_specification", "managing_up"], ratings, COMPS)
    assert middle[0].kind == "not_a_gap" and "(3) is neither a gap nor a strength" in (
        middle[0].text
    )


def test_two_picks_in_the_lowest_shift_that_are_not_gaps_that_matter():
    ratings = {**dict.fromkeys(IDS, 3), "stakeholder_management": 5, "team_leadership": 1}
    found = cm.review_picks(
        ["stakeholder_management", "team_leadership"], ratings, COMPS, gp.ELIF_START
    )
    assert found[-1].kind == "start_shift_only" and found[-1].level == "info"
    assert "Stakeholder Management and Team Leadership both map to Shift 2" in found[-1].text
    assert "neither is a gap that matters" in found[-1].text
    assert found[-1].text.endswith("None of your gaps that matter maps to Shift 2.")


@pytest.mark.parametrize("seed", range(40))
def test_random_profiles_keep_the_verdicts_consistent(seed):
    rng = random.Random(seed)
    ratings = {c: rng.choice([1, 2, 3, 4, 5, None]) for c in IDS}
    ratings = {c: v for c, v in ratings.items() if v is not None}
    picks = rng.sample(IDS, 2)
    start = rng.choice([None, {s: rng.choice([1.0, 2.33, 3.67, 5.0]) for s in cm.SHIFTS}])
    found = cm.review_picks(picks, ratings, COMPS, start)
    verdicts = {f.about[0]: f for f in found[:2]}
    assert sorted(verdicts) == sorted(picks)  # exactly one verdict per pick, first
    matter = {c.competency_id for c in cm.gaps_that_matter(ratings, COMPS)}
    for f in found:
        if f.level == "good":  # praise only for picks whose own verdict is good
            assert all(verdicts[c].kind == "gap_that_matters" for c in f.about if c in picks)
        suggested = [c for c in f.about if c not in picks]
        assert set(suggested) <= matter, (f.kind, suggested)


def test_no_gaps_that_matter_says_so():
    ratings = {**dict.fromkeys(IDS, 3), "team_leadership": 1}
    found = cm.review_picks(["managing_up", "product_delivery"], ratings, COMPS)
    assert "no_gaps" in kinds(found) and "misses_gaps" not in kinds(found)


def test_the_start_here_tie_goes_to_the_earlier_shift():
    start = {1: 3.0, 2: 2.33, 3: 2.33, 4: 4.0}  # Elif: Shifts 2 and 3 tie
    agrees = cm.review_picks(["managing_up", "product_delivery"], gp.ELIF, COMPS, start)
    assert agrees[-1].kind == "start_agrees" and "Managing Up maps to Shift 2" in agrees[-1].text
    differs = cm.review_picks(["product_delivery", "feature_specification"], gp.ELIF, COMPS, start)
    assert differs[-1].kind == "start_differs"


@pytest.mark.parametrize(
    "scores",
    [None, [], {"1": 2}, {"1": 2, "2": 2, "3": 2, "4": float("nan")}, {1: 2, 2: 2, 3: 2, 4: 9},
     {1: True, 2: 2, 3: 2, 4: 2}, {"1": "2", "2": 2, "3": 2, "4": 2}],
)  # fmt: skip
def test_unusable_start_scores_count_as_none(scores):
    assert cm.clean_start_scores(scores) is None
    assert cm.review_picks(["managing_up", "team_leadership"], gp.NOOR, COMPS, scores)[-1].kind == (
        "no_start"
    )


def test_start_scores_take_string_or_number_keys():
    assert cm.clean_start_scores({"1": 1.666, 2: 3, "3": 2, 4: 3.67}) == {
        1: 1.67,
        2: 3.0,
        3: 2.0,
        4: 3.67,
    }


def test_why_checks_look_for_the_names_and_a_reason():
    picks = [BY_ID["voice_of_the_customer"], BY_ID["managing_up"]]
    assert [c.passed for c in cm.why_checks("", picks)] == [False, False]
    half = cm.why_checks("Customers first.", picks)
    assert not half[0].passed and "Managing Up" in half[0].message
    good = cm.why_checks(
        "Customers: I have never interviewed one. Managing my manager: she hears bad news "
        "late, and my roadmap needs her backing.",
        picks,
    )
    assert all(c.passed for c in good)
    assert cm.why_checks(None, picks)[0].message == "write why you chose these two."


# --- the widget ---------------------------------------------------------------------------------
def test_a_fresh_exercise_asks_for_ratings_and_two_picks(ex):
    assert "Rate each of the 12 competencies" in ex.profile_feedback.text
    assert ex.pick_feedback.heading == "Picks: 0 of 2 chosen"
    assert "appears once each shift" in ex.chart.value
    assert "No Start-here self-assessment is saved" in ex.start_note.value
    assert 'href="../00-start/10-self-assessment.ipynb"' in ex.start_note.value
    assert ex.plan.value == ""
    # every input has a label: the drop-downs and checkboxes carry the competency's name
    for c in COMPS:
        assert ex.ratings_in[c.competency_id].description == c.name
        assert ex.grow_in[c.competency_id].description == f"Grow {c.name}"


def test_noors_ratings_draw_the_profile_and_her_picks_get_feedback_and_a_plan(ex):
    rate(ex, gp.NOOR)
    assert "Product Strategy" in ex.table.value and "1.67" in ex.table.value
    assert 'role="img"' in ex.chart.value and "Problem space 1.67" in ex.chart.value
    assert "execution sits closest to building" in ex.profile_feedback.text
    pick(ex, "quality_assurance", "strategic_impact")
    assert ex.pick_feedback.heading == "Your picks: Quality Assurance and Strategic Impact"
    text = ex.pick_feedback.text
    assert "Check: Quality Assurance is one of your strengths (4)" in text
    assert "Check: Strategic Impact (1) matters more later" in text
    assert "Neither pick is among the gaps that matter" in text
    assert "Grow: Quality Assurance" in ex.plan.value and "Grow: Strategic Impact" in ex.plan.value
    assert 'href="../40-shift4/10-pre-mortem.ipynb"' in ex.plan.value
    assert "Klein (2007), Performing a Project Premortem" in ex.plan.value
    assert ex.why_feedback.heading == "Why these two: checks passed 0 of 2"
    ex.why.value = (
        "Quality: I want to own how releases fail for users. Strategy: I want to see which "
        "bets the company makes, and how my work serves them."
    )
    assert ex.why_feedback.heading == "Why these two: checks passed 2 of 2"


def test_more_than_two_picks_keep_the_plan_back(ex):
    rate(ex, gp.NOOR)
    pick(ex, "managing_up", "team_leadership", "product_delivery")
    assert ex.pick_feedback.heading == "Picks: 3 of 2 chosen"
    assert "Keep two" in ex.pick_feedback.text and "Keep two picks" in ex.plan.value
    pick(ex, "managing_up")
    assert "Grow: Managing Up" in ex.plan.value and "Choose one more" in ex.pick_feedback.text


def test_a_saved_start_here_self_assessment_is_read_and_drawn(workbook_path):
    book = Workbook(workbook_path)
    book.save(gp.START_ID, START_ANSWER)
    ex = GapsThatMatter(book)
    assert "Your lowest shift there: Shift 1" in ex.start_note.value
    rate(ex, gp.NOOR)
    assert "Start-here self-assessment: Problem space 2.00" in ex.chart.value
    pick(ex, "voice_of_the_customer", "managing_up")
    assert "maps to Shift 1, your lowest shift on the Start-here" in ex.pick_feedback.text
    assert Workbook(workbook_path).get(gp.START_ID) == START_ANSWER  # read, never written


def test_everything_round_trips_and_exports(ex, workbook_path):
    rate(ex, {"managing_up": 2, "voice_of_the_customer": 1})
    pick(ex, "managing_up", "voice_of_the_customer")
    ex.why.value = "Customers and my manager 🙂"
    ex.reflection.value = "Known for years."
    again = GapsThatMatter(Workbook(workbook_path))
    assert again.answer() == ex.answer()
    assert "Welcome back" in again.save_control.status.value
    md = again.to_markdown(again.answer())
    assert "| Influencing People | Managing Up | 2: Seen it |" in md
    assert "| Product Execution | Feature Specification | not rated |" in md
    assert "- **Voice of the Customer** (Customer Insight, Shift 1). First step:" in md
    assert "> Customers and my manager 🙂" in md and "Reflection:" in md


def test_malformed_saved_answers_are_skipped_and_named(workbook):
    ratings = {"managing_up": 9, "team_leadership": 2, "juggling": 3, "strategic_impact": True}
    workbook.save(
        gp.EXERCISE_ID,
        {
            "ratings": ratings,
            "grow": ["team_leadership", "juggling", 7],
            "why": "w" * (MAX_TEXT_CHARS + 1),
            "reflection": ["no"],
        },
    )
    ex = GapsThatMatter(workbook)
    status = ex.save_control.status.value
    for part in ("the rating of Managing Up", "the rating of juggling", "the pick juggling",
                 "the pick 7", "why these two", "reflection", "Strategic Impact"):  # fmt: skip
        assert part in status, part
    assert ex.ratings() == {"team_leadership": 2} and ex.picks() == ["team_leadership"]
    assert ex.why.value == ""
    for bad in ("a string", {"ratings": [1], "grow": "team_leadership"}, {"grow": None}):
        workbook.save(gp.EXERCISE_ID, bad if isinstance(bad, dict) else {"ratings": bad})
        GapsThatMatter(workbook)  # no exception


def test_an_over_long_why_is_refused_on_its_own(ex, workbook_path):
    ex.reflection.value = "kept"
    ex.why.value = "z" * (MAX_TEXT_CHARS + 1)
    assert f"'Why these two' is {MAX_TEXT_CHARS + 1:,} characters long" in ex.save_control.text
    saved = Workbook(workbook_path).get(gp.EXERCISE_ID)
    assert saved["why"] == "" and saved["reflection"] == "kept"


def test_hostile_values_in_every_input(ex, workbook_path, monkeypatch):
    monkeypatch.setattr("os.fsync", lambda _fd: None)
    log, done = [], set()
    assert hostile_pass(ex, random.Random(1), log, done) > 20
    assert not log, "\n".join(log)
    assert not _unescaped(ex)
    json.loads(workbook_path.read_text(encoding="utf-8"))


def test_plan_html_escapes_what_it_shows(monkeypatch):
    c = BY_ID["managing_up"]
    evil = cm.Competency(**{**c.__dict__, "good": "<script>x</script>", "name": "<b>n</b>"})
    monkeypatch.setattr(gp, "reference_text", lambda key: "<img src=x onerror=alert(1)>")
    html = gp.plan_html(evil)
    assert "<script" not in html and "&lt;script&gt;" in html and "onerror=alert" in html
    assert "<img" not in html


# --- the readers for the capstone ------------------------------------------------------------
def test_saved_gaps_reads_a_complete_answer(ex, workbook_path):
    rate(ex, gp.NOOR)
    pick(ex, "voice_of_the_customer", "business_outcome_ownership")
    ex.why.value = "Because."
    found = saved_gaps(Workbook(workbook_path))
    assert found == {
        "ratings": gp.NOOR,
        "grow": ["voice_of_the_customer", "business_outcome_ownership"],
        "why": "Because.",
    }
    json.dumps(found)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("not a mapping", {}),
        ({}, {}),
        ({"ratings": {"x": 3}, "grow": "managing_up", "why": "   "}, {}),
        ({"ratings": {"managing_up": 2.0}}, {"ratings": {"managing_up": 2}, "grow": [], "why": ""}),
        ({"grow": ["managing_up", "team_leadership", "product_delivery"], "why": "w"},
         {"ratings": {}, "grow": [], "why": "w"}),
        ({"grow": ["team_leadership", "juggling", "managing_up"], "why": 5},
         {"ratings": {}, "grow": ["team_leadership", "managing_up"], "why": ""}),
        ({"why": "x" * (MAX_TEXT_CHARS + 1), "ratings": {"managing_up": float("nan")}}, {}),
    ],
)  # fmt: skip
def test_saved_gaps_never_raises_and_keeps_only_what_is_usable(workbook, answer, expected):
    workbook.save(gp.EXERCISE_ID, answer if isinstance(answer, dict) else {"x": answer})
    if not isinstance(answer, dict):
        workbook._entries[gp.EXERCISE_ID]["answer"] = answer  # a damaged entry
    assert saved_gaps(workbook) == expected


class Broken:
    def get(self, _key):
        raise OSError("disk gone")

    def attempts(self, _key):
        raise OSError("disk gone")


def test_the_readers_survive_an_empty_a_broken_and_a_missing_workbook(workbook):
    assert saved_gaps(workbook) == {} and saved_start_scores(workbook) is None
    assert saved_gaps(Broken()) == {} and saved_start_scores(Broken()) is None
    missing = Workbook(Path("/nonexistent/dir/wb.json"))
    assert saved_gaps(missing) == {} and saved_start_scores(missing) is None


def test_saved_start_scores_from_scores_from_ratings_or_an_earlier_attempt(workbook):
    workbook.save(gp.START_ID, START_ANSWER)
    assert saved_start_scores(workbook) == {1: 2.0, 2: 3.0, 3: 3.0, 4: 4.0}
    workbook.save(gp.START_ID, {"ratings": START_ANSWER["ratings"], "scores": "damaged"})
    assert saved_start_scores(workbook) == {1: 2.0, 2: 3.0, 3: 3.0, 4: 4.0}
    workbook.save(gp.START_ID, {"ratings": {"S1a": 9}, "scores": {"1": math.inf}})
    assert saved_start_scores(workbook) is None
    workbook.save(gp.START_ID, START_ANSWER)
    workbook.new_attempt(gp.START_ID)  # the current answer becomes an earlier attempt
    assert workbook.get(gp.START_ID) is None
    assert saved_start_scores(workbook) == {1: 2.0, 2: 3.0, 3: 3.0, 4: 4.0}


# --- the page -----------------------------------------------------------------------------------
def _cells():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def _markdown():
    return "\n".join("".join(c["source"]) for c in _cells() if c["cell_type"] == "markdown")


def test_the_page_has_its_parts_and_its_tables_and_key_agree_with_the_data():
    md = _markdown()
    assert "**Time:** teaching 15 min · exercise 20 min" in md
    for part in ("Questions", "Objectives", "## Overview", "Key points", "## Self-check",
                 ":::{dropdown} Solution", ":::{dropdown} Answer key", "## Reflection",
                 "## Resources", "### Where next"):  # fmt: skip
        assert part in md, part
    for generated in (gp.areas_markdown(), gp.mapping_markdown(), gp.scale_markdown()):
        assert generated in md  # regenerate the page if the data changes
    assert gp.answer_key_markdown() in md
    for key in ("mehta_peakpm", "mehta2020shape", "rozenfeld2021pivot", "rachitsky2023mehta"):
        assert f"<!--cite:p {key}-->" in md or f"<!--cite:t {key}-->" in md
    assert "{glue:text}" not in md and "{cite:" not in md  # synced (tools/sync_prose.py)
    assert "$" not in md
    code = [c for c in _cells() if c["cell_type"] == "code"]
    assert "".join(code[-1]["source"]).strip().splitlines() == [
        "from pivot.exercises import GapsThatMatter",
        "",
        "GapsThatMatter()",
    ]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert 15 <= len(_cells()) <= 40


def test_the_page_says_what_the_course_adds_and_names_mehta_only_by_surname():
    md = _markdown()
    assert "Everything else on this page is the course's, not Mehta's" in md
    assert "The mapping is the course's judgement" in md
    # Ravi is a first name of the case (Ravi Menon): the source is named by surname only
    assert "Ravi Mehta" not in md and "Ravi Mehta" not in CSV.read_text(encoding="utf-8")


def test_every_link_on_the_page_leads_to_a_notebook_or_a_planned_page_of_the_part():
    planned = {"10-where-you-stand.ipynb", "30-route-in.ipynb"}  # pages 10 and 30 of the part
    links = re.findall(r"\]\(([^)#]+\.ipynb)\)", _markdown())
    assert links
    for link in links:
        if link in planned:
            continue
        assert (NOTEBOOK.parent / link).resolve().exists(), link


def test_the_self_check_and_the_worked_example_agree_with_the_framework():
    md = _markdown()
    elif_ = gp.WorkedLearner("Elif", gp.ELIF, start=gp.ELIF_START)
    # the question states her ratings: QA 5, data 4, five 2s, team leadership 1, four 3s
    assert sorted(gp.ELIF.values()) == [1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 5]
    twos = [BY_ID[c].name for c, v in gp.ELIF.items() if v == 2]
    assert f"{', '.join(twos[:-1])} and {twos[-1]} 2" in md
    assert "3.00, 2.33, 2.33 and 4.00" in md
    found = elif_.findings(["team_leadership", "quality_assurance"])
    assert kinds(found) == ["strength_over_gap", "later", "misses_gaps", "start_shift_only"]
    assert "the feedback does not count that as agreement, because the pick matters later" in md
    matter = ", ".join(c.name for c in elif_.gaps[:-1]) + " and " + elif_.gaps[-1].name
    assert f"Neither pick is among her gaps that matter: {matter}" in md
    better = elif_.findings(["stakeholder_management", "managing_up"])
    assert kinds(better) == ["gap_that_matters", "gap_that_matters", "same_area", "start_agrees"]
    # the self-check's solution names the first three gaps the strength note names
    named = [BY_ID[c].name for c in found[0].about[1:]]
    assert f"{named[0]}, {named[1]} and {named[2]}), so her why" in md
    assert "Four notes push back" in md and "Four notes, one verdict for each pick first" in md
