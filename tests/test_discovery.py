"""Shift 1 discovery logic: opportunity scores (Ulwick), pain-point synthesis, the top-three
comparison, problem statements, opportunity solution trees, ordering, and the Shift 1 data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pivot import data
from pivot.data import DataError
from pivot.frameworks import discovery as d


@pytest.fixture(scope="module")
def interviews():
    return data.load("interviews")


@pytest.fixture(scope="module")
def reference():
    return data.load("pain_point_reference")


@pytest.fixture(scope="module")
def survey():
    return data.load("opportunity_survey")


@pytest.fixture(scope="module")
def statements():
    return data.load("problem_or_solution")


@pytest.fixture(scope="module")
def customers():
    return data.load("customers")


def reference_coding(interviews):
    return {
        r.snippet_id: (r.pain_point, None if r.pain_point == "none" else r.severity)
        for r in interviews.itertuples(index=False)
    }


# --- opportunity scores -------------------------------------------------------------------
def test_published_example_ulwick_circular_saw():
    # Ulwick's worked example ("Outcome-Driven Innovation", Strategyn; text as published at
    # http://azkurs.org/anthony-w-ulwick.html?page=43): 200 of 270 circular-saw users rate
    # "minimize the likelihood that the cut goes off track" 4 or 5 for importance (74%, 7.4);
    # 75 of 270 rate satisfaction 4 or 5 (28%, 2.8); opportunity = 7.4 + (7.4 - 2.8) = 12.0,
    # and "an opportunity score of 10 or greater indicates that the outcome is underserved".
    importance = d.pct_to_scale(round(200 / 270 * 100))
    satisfaction = d.pct_to_scale(round(75 / 270 * 100))
    assert (importance, satisfaction) == (7.4, 2.8)
    assert d.opportunity_score(importance, satisfaction) == 12.0
    assert d.opportunity_category(importance, satisfaction) == "high"


def test_published_example_importance_9():
    # https://decikit.com/en/frameworks/opportunity-scoring: importance 9, satisfaction 3 gives
    # 9 + 6 = 15; importance 9, satisfaction 9 gives 9 + 0 = 9 ("already well served").
    assert d.opportunity_score(9, 3) == 15
    assert d.opportunity_score(9, 9) == 9


@pytest.mark.parametrize(
    ("importance", "satisfaction", "score", "category"),
    [
        (8.8, 2.2, 15.4, "extreme"),  # 8.8 + (8.8 - 2.2) = 8.8 + 6.6 = 15.4 > 15
        (9.0, 3.0, 15.0, "high"),  # exactly 15 is not "above 15"
        (8.0, 4.0, 12.0, "high"),  # 8 + 4 = 12, the lower edge of "high"
        (7.4, 3.3, 11.5, "solid"),  # 7.4 + 4.1 = 11.5
        (6.0, 2.0, 10.0, "solid"),  # 6 + 4 = 10, the lower edge of "solid"
        (6.8, 4.0, 9.6, "appropriately served"),  # 6.8 + 2.8 = 9.6, below 10
        (5.5, 6.3, 5.5, "overserved"),  # satisfaction > importance: 5.5 + 0
        (10, 0, 20.0, "extreme"),  # the maximum: 10 + 10
        (0, 0, 0.0, "appropriately served"),  # the minimum
        (0, 10, 0.0, "overserved"),
        (10, 10, 10.0, "solid"),  # equal is not overserved: 10 + 0
    ],
)
def test_opportunity_score_and_category_hand_computed(importance, satisfaction, score, category):
    assert d.opportunity_score(importance, satisfaction) == score
    assert d.opportunity_category(importance, satisfaction) == category


@pytest.mark.parametrize(
    ("importance", "satisfaction", "category"),
    [
        # Ulwick (What Customers Want, 2005): above 15 extreme; 12 to 15 "low-hanging fruit";
        # 10 to 12 worthy of consideration; below 10 unattractive; 10 or more is underserved.
        (5.0, 0.01, "appropriately served"),  # 9.99: just below 10 is not underserved
        (5.0, 0.0, "solid"),  # exactly 10: underserved ("10 or greater")
        (6.0, 0.01, "solid"),  # 11.99
        (6.0, 0.0, "high"),  # exactly 12
        (7.5, 0.01, "high"),  # 14.99
        (7.5, 0.0, "high"),  # exactly 15 is not "above 15"
        (7.6, 0.19, "extreme"),  # 15.01
        (5.0, 5.0, "appropriately served"),  # equal: 5 + 0, below 10, not overserved
        (5.0, 5.01, "overserved"),  # satisfaction just above importance
    ],
)
def test_ulwick_band_boundaries(importance, satisfaction, category):
    assert d.opportunity_category(importance, satisfaction) == category
    assert category in d.CATEGORIES and category in d.CATEGORY_MEANING


def test_below_ten_is_never_called_underserved():
    meaning = d.CATEGORY_MEANING["appropriately served"]
    assert "below 10" in meaning and "not underserved" in meaning
    for category in ("extreme", "high", "solid"):
        assert "underserved" in d.CATEGORY_MEANING[category]


def test_reference_rationales_use_ulwicks_bands(reference, survey):
    table = d.opportunity_table(survey)
    for row in reference.itertuples(index=False):
        outcomes = table[table["pain_point"] == row.pain_point]
        for o in outcomes.itertuples(index=False):
            assert o.category in row.rationale, (row.pain_point, o.outcome_id, o.category)
        # "underserved" only ever in "not underserved" when every outcome scores below 10
        if (outcomes["opportunity"] < 10).all():
            assert row.rationale.count("underserved") == row.rationale.count("not underserved")


def test_overserved_outcome_scores_its_importance_never_less():
    assert d.opportunity_score(4.0, 9.0) == 4.0
    assert d.opportunity_score(4.0, 4.0) == 4.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((12, 3), r"importance must be from 0 to 10 \(got 12\)"),
        ((-0.5, 3), r"importance must be from 0 to 10 \(got -0.5\)"),
        ((5, 10.1), r"satisfaction must be from 0 to 10 \(got 10.1\)"),
        ((math.nan, 3), r"importance must be from 0 to 10 \(got nan\)"),
        ((5, math.inf), r"satisfaction must be from 0 to 10 \(got inf\)"),
        (("7", 3), r"importance must be a number from 0 to 10 \(got '7'\)"),
        ((True, 3), r"importance must be a number from 0 to 10 \(got True\)"),
        ((5, None), r"satisfaction must be a number from 0 to 10 \(got None\)"),
    ],
)
def test_opportunity_score_refuses_values_off_the_scale(args, message):
    with pytest.raises(ValueError, match=message):
        d.opportunity_score(*args)


def test_pct_to_scale_bounds_and_errors():
    assert d.pct_to_scale(0) == 0
    assert d.pct_to_scale(100) == 10
    assert d.pct_to_scale(74) == 7.4
    assert d.pct_to_scale(np.float64(55.5)) == 5.55
    with pytest.raises(ValueError, match=r"percentage must be from 0 to 100 \(got 101\)"):
        d.pct_to_scale(101)
    with pytest.raises(ValueError, match=r"percentage must be a number from 0 to 100"):
        d.pct_to_scale("74%")


def survey_frame(rows):
    return pd.DataFrame(rows, columns=["outcome_id", "important_pct", "satisfied_pct"])


def test_opportunity_table_hand_computed_with_ties_broken_by_importance_then_id():
    table = d.opportunity_table(
        survey_frame(
            [
                ("O10", 60, 0),  # 6 + 6 = 12
                ("O5", 80, 40),  # 8 + 4 = 12, more important than O2 and O10 -> first
                ("O2", 60, 0),  # same as O10 -> O2 before O10 (natural order)
                ("O3", 50, 90),  # overserved: 5
            ]
        )
    )
    assert table["outcome_id"].tolist() == ["O5", "O2", "O10", "O3"]
    assert table["opportunity"].tolist() == [12.0, 12.0, 12.0, 5.0]
    assert table["rank"].tolist() == [1, 2, 3, 4]
    assert table["category"].tolist() == ["high", "high", "high", "overserved"]
    assert table.loc[0, ["importance", "satisfaction"]].tolist() == [8.0, 4.0]


def test_opportunity_table_does_not_change_its_input():
    frame = survey_frame([("O1", 80, 40)])
    d.opportunity_table(frame)
    assert list(frame.columns) == ["outcome_id", "important_pct", "satisfied_pct"]


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (survey_frame([]), "no outcomes"),
        (pd.DataFrame({"outcome_id": ["O1"], "important_pct": [50]}), "missing.*satisfied_pct"),
        (survey_frame([("O1", 50, 50), ("O1", 60, 60)]), r"unique \(repeated: O1\)"),
        (survey_frame([("O1", 50, 50), ("O2", 120, 60)]), r"outcome O2: percentage .*got 120"),
    ],
)
def test_opportunity_table_refuses_bad_surveys(frame, message):
    with pytest.raises(ValueError, match=message):
        d.opportunity_table(frame)


def test_course_survey_scores(survey):
    table = d.opportunity_table(survey).set_index("outcome_id")
    # O1: 8.8 + (8.8 - 2.2) = 15.4; O4: 7.9 + (7.9 - 3.5) = 12.3; O7: 5.5, satisfaction 6.3.
    assert table.loc["O1", "opportunity"] == 15.4 and table.loc["O1", "rank"] == 1
    assert table.loc["O4", "opportunity"] == 12.3
    assert table.loc["O7", "category"] == "overserved"
    assert 8 <= len(table) <= 10
    assert table["respondents"].between(180, 240).all()
    assert all(o.startswith("Minimize ") for o in table["outcome"])


# --- pain points --------------------------------------------------------------------------
TINY_INTERVIEWS = pd.DataFrame(
    {
        "snippet_id": [f"I{i:02d}" for i in range(1, 9)],
        "customer_id": ["C01", "C01", "C02", "C01", "C02", "C03", "C03", "C04"],
    }
)


def test_aggregate_hand_computed():
    codings = {
        "I01": ("alpha", 5),  # C01
        "I02": ("alpha", 3),  # C01
        "I03": ("alpha", 4),  # C02 -> alpha: 3 snippets, reach 2, mean 4, score 2 x 4 = 8
        "I04": ("beta", 2),  # C01
        "I05": ("beta", 2),  # C02
        "I06": ("beta", 2),  # C03 -> beta: 3 snippets, reach 3, mean 2, score 3 x 2 = 6
        "I07": ("none", None),  # left out
        "I08": ("gamma", 1),  # C04 -> gamma: score 1
    }
    table = d.aggregate_pain_points(codings, TINY_INTERVIEWS)
    assert table.to_dict("records") == [
        dict(pain_point="alpha", snippets=3, reach=2, mean_severity=4.0, max_severity=5,
             score=8.0, rank=1),
        dict(pain_point="beta", snippets=3, reach=3, mean_severity=2.0, max_severity=2,
             score=6.0, rank=2),
        dict(pain_point="gamma", snippets=1, reach=1, mean_severity=1.0, max_severity=1,
             score=1.0, rank=3),
    ]  # fmt: skip


def test_aggregate_ties_break_by_reach_then_snippets_then_name():
    codings = {
        "I01": ("zeta", 3),  # C01: reach 1 x 3 = 3, one snippet
        "I04": ("eta", 2),  # C01
        "I03": ("eta", 1),  # C02: reach 2 x mean 1.5 = 3
        "I06": ("beta", 3),  # C03: 1 x 3 = 3, one snippet
        "I07": ("beta", 3),  # C03: still reach 1, two snippets
        "I08": ("alpha", 3),  # C04: 1 x 3 = 3, one snippet
    }
    table = d.aggregate_pain_points(codings, TINY_INTERVIEWS)
    assert set(table["score"]) == {3.0}
    assert table["pain_point"].tolist() == ["eta", "beta", "alpha", "zeta"]


def test_aggregate_mean_is_rounded_but_score_uses_the_exact_mean():
    # severities 3, 3, 2 from C01, C02, C03: mean 8/3 = 2.67, score 3 x 8/3 = 8.0 exactly
    codings = {"I01": ("x", 3), "I03": ("x", 3), "I06": ("x", 2)}
    row = d.aggregate_pain_points(codings, TINY_INTERVIEWS).iloc[0]
    assert (row["mean_severity"], row["score"]) == (2.67, 8.0)


def test_aggregate_accepts_whole_floats_and_numpy_ints_and_all_none_gives_empty_table():
    table = d.aggregate_pain_points({"I01": ("x", 4.0), "I02": ["x", np.int64(2)]}, TINY_INTERVIEWS)
    assert table["mean_severity"].tolist() == [3.0]
    empty = d.aggregate_pain_points({"I01": ("none", 0)}, TINY_INTERVIEWS)
    assert empty.empty and "score" in empty.columns


@pytest.mark.parametrize(
    ("codings", "message"),
    [
        ({}, "no snippets coded yet"),
        ({"I01": ("x", 3), "I99": ("x", 3), "Q1": ("x", 1)}, r"unknown snippet id\(s\): I99, Q1"),
        ({"I02": ("x", 0)}, r"severity for I02 must be from 1 to 5 \(got 0\)"),
        ({"I02": ("x", 6)}, r"severity for I02 must be from 1 to 5 \(got 6\)"),
        ({"I03": ("x", 2.5)}, r"severity for I03 must be a whole number from 1 to 5 \(got 2.5\)"),
        ({"I03": ("x", "4")}, r"severity for I03 must be a whole number .*\(got '4'\)"),
        ({"I03": ("x", True)}, r"severity for I03 must be a whole number .*\(got True\)"),
        ({"I03": ("x", None)}, r"severity for I03 must be a whole number .*\(got None\)"),
        ({"I03": ("x", math.nan)}, r"severity for I03 must be a whole number .*\(got nan\)"),
        ({"I04": ("none", 3)}, r"severity for I04 must be empty or 0 .*'none' \(got 3\)"),
        ({"I05": ("", 3)}, r"pain point for I05 must be a non-empty key"),
        ({"I05": "x"}, r"coding for I05 must be \(pain_point, severity\)"),
        ({"I05": ("x", 3, 4)}, r"coding for I05 must be \(pain_point, severity\)"),
    ],
)
def test_aggregate_refuses_bad_codings_naming_snippet_and_value(codings, message):
    with pytest.raises(ValueError, match=message):
        d.aggregate_pain_points(codings, TINY_INTERVIEWS)


def test_aggregate_checks_keys_when_given_the_allowed_set():
    with pytest.raises(ValueError, match=r"unknown pain point for I01: 'map_view'"):
        d.aggregate_pain_points({"I01": ("map_view", 3)}, TINY_INTERVIEWS, pain_points={"x"})
    table = d.aggregate_pain_points({"I01": ("x", 3), "I02": ("none", None)}, TINY_INTERVIEWS,
                                    pain_points={"x"})  # fmt: skip
    assert table["pain_point"].tolist() == ["x"]


# --- top three ----------------------------------------------------------------------------
def test_compare_top_three_each_status_and_missed_items(reference):
    result = d.compare_top_three(
        ["schedule_changes_not_seen", "invoice_delay", "late_arrival_calls"], reference
    )
    assert [i.status for i in result.items] == ["matched", "in_top_three", "not_in_top_three"]
    assert [i.reference_rank for i in result.items] == [1, 3, 5]
    assert "#3 rather than #2" in result.items[1].message
    late = result.items[2]
    assert "outside the top three" in late.message and late.rationale in late.message
    assert [m.pain_point for m in result.missed] == ["offline_job_notes"]
    assert "reference #2" in result.missed[0].message
    assert (result.matched, result.in_reference_top_three) == (1, 2)


def test_compare_top_three_all_matched(reference):
    top = reference.sort_values("reference_rank")["pain_point"].tolist()[:3]
    result = d.compare_top_three(top, reference)
    assert result.matched == 3 and result.missed == []


@pytest.mark.parametrize(
    ("picks", "message"),
    [
        ([], r"pick one to three pain points \(got 0\)"),
        (["invoice_delay"] * 2, r"picked once \(repeated: invoice_delay\)"),
        (["invoice_delay", "map_view"], r"unknown pain point\(s\): map_view; known: "),
        (["invoice_delay", ""], r"pick 2 must be a pain-point key"),
        (["a", "b", "c", "d"], r"got 4"),
        ("invoice_delay", "not one string"),
    ],
)
def test_compare_top_three_refuses_bad_picks(reference, picks, message):
    with pytest.raises(ValueError, match=message):
        d.compare_top_three(picks, reference)


def test_reference_threshold_is_three_quarters_rounded_up():
    assert d.REFERENCE_SHARE == 0.75
    assert [d.snippets_for_reference(n) for n in (0, 1, 4, 39, 40)] == [0, 1, 3, 30, 30]
    for bad in (-1, 2.5, True, "39"):
        with pytest.raises(ValueError, match="total must be a whole number"):
            d.snippets_for_reference(bad)


def test_top_three_is_judged_against_the_learners_own_map_first():
    codings = {
        "I01": ("alpha", 5),  # C01
        "I03": ("alpha", 4),  # C02 -> alpha: reach 2 x 4.5 = 9, rank 1
        "I04": ("beta", 2),  # C01
        "I05": ("beta", 2),  # C02
        "I06": ("beta", 2),  # C03 -> beta: reach 3 x 2 = 6, rank 2
        "I08": ("gamma", 1),  # C04 -> gamma: 1, rank 3
    }
    own = d.aggregate_pain_points(codings, TINY_INTERVIEWS)
    items = d.compare_with_own_map(["beta", "alpha", "delta"], own, {"beta": "Beta pain"})
    assert [(i.own_rank, i.consistent) for i in items] == [(2, False), (1, False), (None, False)]
    assert items[0].message.startswith("Beta pain: your own map ranks it #2")
    assert "puts alpha at #1 (customer reach 2 × mean severity 4.50 = 9.00)" in items[0].message
    assert "not on your map yet" in items[2].message
    right = d.compare_with_own_map(["alpha", "", "gamma"], own)
    assert [(i.position, i.consistent) for i in right] == [(1, True), (3, True)]
    assert "your own map also ranks it #1" in right[0].message
    with pytest.raises(ValueError, match="not one string"):
        d.compare_with_own_map("alpha", own)
    with pytest.raises(ValueError, match="missing column"):
        d.compare_with_own_map(["alpha"], pd.DataFrame({"pain_point": ["alpha"]}))


# --- problem statements -------------------------------------------------------------------
KNOWN_IDS = [f"I{i:02d}" for i in range(1, 40)]
SEGMENTS = ["residential plumbing", "dispatcher", "field technician", "technician", "owner"]


def checks_by_name(checks):
    return {c.name: c for c in checks}


def good_statement(**changes):
    fields = dict(
        who="Field technicians at residential HVAC and plumbing firms",
        needs="to know that a job on their day has moved before they drive to it",
        because="a wasted drive costs them an hour and leaves the next customer waiting",
        evidence="I01, I22, I34",
    )
    fields.update(changes)
    return d.check_problem_statement(**fields, known_snippet_ids=KNOWN_IDS, segments=SEGMENTS)


def test_a_good_problem_statement_passes_every_check():
    checks = good_statement()
    assert [c.name for c in checks] == [
        "who", "complete", "no_solution_words", "not_a_request", "evidence", "length",
    ]  # fmt: skip
    assert all(c.passed for c in checks), [c.message for c in checks if not c.passed]
    assert "I01, I22, I34" in checks_by_name(checks)["evidence"].message


@pytest.mark.parametrize(
    "who",
    ["Dispatchers", "owners of residential plumbing firms", "a FIELD TECHNICIAN", "<b>owner</b>"],
)
def test_who_accepts_segments_roles_plurals_and_any_case(who):
    assert checks_by_name(good_statement(who=who))["who"].passed


@pytest.mark.parametrize(
    "who", ["", "   ", "users", "people who use the software daily", "ownership"]
)
def test_who_must_name_a_segment_or_role(who):
    check = checks_by_name(good_statement(who=who))["who"]
    assert not check.passed and ("segment" in check.message)


def test_solution_words_are_listed_by_field():
    check = checks_by_name(
        good_statement(needs="a map view in the App", because="the AI dashboard is missing")
    )["no_solution_words"]
    assert not check.passed
    assert "in needs: 'need a map view'" in check.message
    assert "in because: 'ai', 'dashboard'" in check.message
    assert "feature, technology or design" in check.message


def test_solution_words_match_whole_words_only():
    text = "address the happening building, adding appetite; a stool to rebuild the screening"
    assert d.find_solution_words(text) == []
    assert d.find_solution_words("Add an API, then build the app. ADD!") == [
        "add an api",
        "build the app",
    ]
    assert d.find_solution_words("a  map\nview") == ["map view"]


def test_brief_dispatchers_who_name_the_app_state_a_problem():
    checks = d.check_problem_statement(
        "Dispatchers at small firms",
        "to know which jobs changed since the morning without opening every job in the app",
        "each change they miss costs a wasted drive, and the report they send the owner is late",
        "I01, I38",
        KNOWN_IDS,
        SEGMENTS,
    )
    assert all(c.passed for c in checks), [c.message for c in checks if not c.passed]


def test_brief_we_need_a_live_map_fails_and_says_why():
    by_name = checks_by_name(good_statement(needs="a live map", because="we need a live map"))
    check = by_name["no_solution_words"]
    assert not check.passed
    assert "in because: 'need a live map'" in check.message
    assert "says how to solve the problem" in check.message  # the why
    assert "Naming the product people use is fine" in check.message
    assert not by_name["not_a_request"].passed


@pytest.mark.parametrize(
    "text",
    [
        "the app can't upload the photos in a basement",
        "the report they print is wrong by Monday",
        "they keep the tool open all day",
        "the screen freezes when the signal drops",
        "new hires close jobs in the app slowly",
        "they have to add notes twice",
        "the schedule in the software changes after they leave",
    ],
)
def test_nouns_that_name_the_product_are_not_solutions(text):
    assert d.find_solution_words(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("add a button to confirm each change", "add a button"),
        ("switch the board to WebSockets", "websockets"),
        ("integrate with QuickBooks", "integrate with"),
        ("send a push notification", "push notification"),
        ("a dashboard for owners", "dashboard"),
        ("use AI to plan the vans", "ai"),
        ("a map view of every truck", "map view"),
        ("build a new report for owners", "build a new report"),
        ("we need better reporting", "need better reporting"),
        ("just make the app work offline", "make the app"),
        ("give us an export to Excel", "give us an export"),
    ],
)
def test_prescribed_features_technologies_and_designs_are_flagged(text, found):
    assert found in d.find_solution_words(text)


@pytest.mark.parametrize(
    ("who", "verb"),
    [
        ("Dispatchers at small firms", "need"),
        ("Dispatchers and field technicians at residential HVAC firms", "need"),
        ("Owners of small residential plumbing firms", "need"),
        ("An owner of a small plumbing firm", "needs"),
        ("The office manager at Keystone", "needs"),
        ("a field technician", "needs"),
        ("", "needs"),
    ],
)
def test_the_verb_agrees_with_who(who, verb):
    assert d.needs_verb(who) == verb
    sentence = d.problem_sentence(who, "to know", "it costs")
    assert f" {verb} to know because it costs." in sentence


def test_problem_sentence_fills_gaps_and_ends_with_one_full_stop():
    assert d.problem_sentence("", "", "") == "… needs … because …."
    assert d.problem_sentence("Owners", "cash", "payroll is due.") == (
        "Owners need cash because payroll is due."
    )


@pytest.mark.parametrize(
    "needs",
    [
        "a map view",
        "the dashboard they were promised",
        "an integration with QuickBooks",
        "to have live tracking",
        "to get their invoices out faster",
        "better reporting",
        "more features",
        "Crewboard to send reminders",
    ],
)
def test_needs_that_restate_a_feature_request_are_flagged(needs):
    check = checks_by_name(good_statement(needs=needs))["not_a_request"]
    assert not check.passed and "feature request" in check.message


@pytest.mark.parametrize(
    "needs",
    [
        "to know which jobs changed before they drive",
        "a way to tell the customer when the technician will arrive",
        "the cash from a finished job within a day",
    ],
)
def test_needs_stated_as_outcomes_are_not_requests(needs):
    assert checks_by_name(good_statement(needs=needs))["not_a_request"].passed


def test_complete_needs_both_needs_and_because():
    check = checks_by_name(good_statement(needs=" ", because=""))["complete"]
    assert not check.passed and "needs and because" in check.message


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("I03, I07", ["I03", "I07"]),
        ("i3 and I 7; I003", ["I03", "I07"]),
        ("see I12?", ["I12"]),
        ("AI3 BI04 I1000 2026", []),
        ("I5,I6,I5", ["I05", "I06"]),
    ],
)
def test_snippet_ids_are_parsed_and_normalised(text, ids):
    assert d.parse_snippet_ids(text) == ids


def test_evidence_needs_two_known_ids_and_names_unknown_ones():
    one = checks_by_name(good_statement(evidence="I03"))["evidence"]
    assert not one.passed and "at least 2" in one.message and "found 1" in one.message
    unknown = checks_by_name(good_statement(evidence="I03, I77, I88"))["evidence"]
    assert not unknown.passed and "Not in the interviews: I77, I88" in unknown.message
    mixed = checks_by_name(good_statement(evidence="I03, I7, I77"))["evidence"]
    assert not mixed.passed and "I77" in mixed.message
    assert checks_by_name(good_statement(evidence="i3, i7"))["evidence"].passed


def test_length_limit_names_the_long_fields_and_huge_text_is_handled():
    huge = "dispatchers " * 50_000  # 600,000 characters
    checks = checks_by_name(good_statement(because=huge, evidence="I01 I02 " + "x" * 600))
    assert not checks["length"].passed
    assert (
        "because (600,000)" in checks["length"].message and "evidence" in checks["length"].message
    )
    assert checks["who"].passed  # the other checks still run


def test_html_in_a_statement_is_plain_text_and_never_echoed():
    checks = good_statement(
        who="<script>alert(1)</script> dispatchers",
        needs="<img src=x onerror=alert(1)> to know which job is next",
        evidence="<b>I01</b>, <i>I02</i>",
    )
    by_name = checks_by_name(checks)
    assert by_name["who"].passed and by_name["evidence"].passed
    assert all("<" not in c.message for c in checks)


def test_problem_statement_fields_must_be_text():
    with pytest.raises(ValueError, match="needs must be text"):
        d.check_problem_statement("owner", 3, "x", "I01 I02", KNOWN_IDS, SEGMENTS)


def test_audience_terms_from_the_customers_table(customers):
    terms = d.audience_terms(customers)
    assert {"residential HVAC", "dispatcher", "field technician", "technician", "owner"} <= set(
        terms
    )
    assert "Midwest" not in terms


# --- opportunity solution trees -----------------------------------------------------------
def good_tree():
    return {
        "outcome": "Reduce wasted trips to changed or cancelled jobs from 12 to 4 a month",
        "opportunities": [
            {
                "name": "Technicians learn about changes too late",
                "solutions": [
                    "Push each change to the technician's phone",
                    "Dispatcher confirms changes within the hour by call",
                    "Morning schedule lock after 7 am",
                ],
                "target": True,
            },
            {"name": "Office phones every change through", "solutions": [], "target": False},
        ],
    }


def test_a_good_tree_passes_every_check():
    checks = d.check_opportunity_tree(good_tree())
    assert all(c.passed for c in checks), [c.message for c in checks if not c.passed]
    assert {c.name for c in checks} == {
        "outcome_measurable", "outcome_not_output", "enough_opportunities",
        "solutions_under_opportunities", "one_target", "target_solutions",
        "opportunities_not_solutions", "no_empty_names", "no_duplicates",
    }  # fmt: skip


def failing(tree):
    return {c.name: c.message for c in d.check_opportunity_tree(tree) if not c.passed}


def test_outcome_must_be_measurable_and_not_an_output():
    tree = good_tree()
    tree["outcome"] = "Ship the live map"
    fails = failing(tree)
    assert set(fails) == {"outcome_measurable", "outcome_not_output"}
    assert "'ship the live map'" in fails["outcome_not_output"]
    tree["outcome"] = ""
    assert "outcome_measurable" in failing(tree)


def test_solutions_at_the_top_level_are_flagged():
    tree = good_tree() | {"solutions": ["Live map", "Route optimisation"]}
    fails = failing(tree)
    assert set(fails) == {"solutions_under_opportunities"}
    assert "'Live map', 'Route optimisation'" in fails["solutions_under_opportunities"]


def test_exactly_one_target_with_three_solutions():
    tree = good_tree()
    tree["opportunities"][1]["target"] = True
    assert set(failing(tree)) == {"one_target", "target_solutions"}
    assert "found 2" in failing(tree)["one_target"]
    tree = good_tree()
    tree["opportunities"][0]["target"] = "yes"  # only True counts
    assert "one_target" in failing(tree)
    tree = good_tree()
    tree["opportunities"][0]["solutions"] = tree["opportunities"][0]["solutions"][:2]
    assert set(failing(tree)) == {"target_solutions"}
    assert "found 2" in failing(tree)["target_solutions"]


def test_needs_two_opportunities_that_are_not_solutions():
    tree = good_tree()
    tree["opportunities"] = tree["opportunities"][:1]
    assert set(failing(tree)) == {"enough_opportunities"}
    tree = good_tree()
    tree["opportunities"][1]["name"] = "Add a map view"
    fails = failing(tree)
    assert set(fails) == {"opportunities_not_solutions"}
    assert "'Add a map view' (add a map view)" in fails["opportunities_not_solutions"]


def test_empty_names_and_duplicates_are_flagged():
    tree = good_tree()
    tree["opportunities"].append({"name": " ", "solutions": [""], "target": False})
    tree["opportunities"][1]["name"] = "technicians learn about  CHANGES too late"
    fails = failing(tree)
    assert set(fails) == {"no_empty_names", "no_duplicates"}
    assert "1 opportunity and 1 solution" in fails["no_empty_names"]
    assert "technicians learn about changes too late" in fails["no_duplicates"]


@pytest.mark.parametrize(
    ("tree", "message"),
    [
        (["outcome"], "tree must be a dict"),
        ({"outcome": "x", "opportunities": "y"}, "opportunities must be a list"),
        ({"outcome": "x", "opportunities": ["y"]}, "opportunity 1 must be a dict"),
        (
            {"outcome": "x", "opportunities": [{"name": "a", "solutions": "b"}]},
            "solutions of opportunity 1",
        ),
        ({"outcome": 3, "opportunities": []}, "outcome must be text"),
    ],
)
def test_tree_with_the_wrong_shape_raises(tree, message):
    with pytest.raises(ValueError, match=message):
        d.check_opportunity_tree(tree)


# --- ordering -----------------------------------------------------------------------------
def test_tree_levels_top_down():
    assert d.tree_levels() == ["outcome", "opportunity", "solution", "assumption test"]


def test_check_order_gives_feedback_per_position():
    feedback = d.check_order(
        ["outcome", "solution", "opportunity", "assumption test"], d.tree_levels()
    )
    assert [f.correct for f in feedback] == [True, False, False, True]
    assert feedback[1].message == "2. solution: belongs at position 3; 'opportunity' goes here."
    assert (feedback[2].given, feedback[2].expected) == ("opportunity", "solution")
    assert all(f.correct for f in d.check_order(d.tree_levels(), d.tree_levels()))


@pytest.mark.parametrize(
    ("order", "message"),
    [
        (["outcome", "outcome", "solution", "assumption test"], r"repeated: outcome"),
        (["outcome", "opportunity", "solution", "feature"], r"unknown item\(s\): feature"),
        (["outcome", "opportunity", "solution"], r"missing: assumption test"),
        ("outcome", "not one string"),
    ],
)
def test_check_order_refuses_incomplete_orders(order, message):
    with pytest.raises(ValueError, match=message):
        d.check_order(order, d.tree_levels())


# --- the Shift 1 data sets ----------------------------------------------------------------
def test_discovery_data_sets_agree_with_each_other():
    d.validate_discovery_data()  # raises DataError on any inconsistency


def tables():
    return {
        n: data.load(n).copy()
        for n in ["customers", "interviews", "opportunity_survey", "pain_point_reference"]
    }


def test_cross_file_problems_name_file_line_column_and_value():
    frames = tables()
    frames["interviews"].loc[2, "customer_id"] = "C13"  # line 4 of the file
    frames["interviews"].loc[3, "interview_date"] = "2026-02-30"
    frames["interviews"].loc[4, "severity"] = 0  # a pain point with severity 0
    frames["opportunity_survey"].loc[0, "pain_point"] = "map_view"
    with pytest.raises(DataError) as info:
        d.validate_discovery_data(frames)
    messages = [str(p) for p in info.value.problems]
    assert (
        "interviews.csv, line 4, column 'customer_id': got 'C13', expected a customer_id"
        in messages[0]
    )
    assert any("line 5, column 'interview_date': got '2026-02-30'" in m for m in messages)
    assert any("line 6, column 'severity': got '0'" in m for m in messages)
    assert any(
        m.startswith("opportunity_survey.csv, line 2, column 'pain_point': got 'map_view'")
        for m in messages
    )


def test_every_reference_pain_point_needs_evidence_and_ranks_without_gaps():
    frames = tables()
    interviews = frames["interviews"]
    frames["interviews"] = interviews[interviews["pain_point"] != "onboarding_new_techs"]
    frames["pain_point_reference"].loc[0, "reference_rank"] = 9
    with pytest.raises(DataError) as info:
        d.validate_discovery_data(frames)
    messages = [str(p) for p in info.value.problems]
    assert any(
        "got 'onboarding_new_techs', expected at least one interview snippet" in m for m in messages
    )
    assert any("column 'reference_rank'" in m and "without gaps" in m for m in messages)


def test_interviews_cover_enough_snippets_customers_and_pain_points(interviews, reference):
    assert len(interviews) >= 36
    assert interviews["customer_id"].nunique() >= 10
    keys = set(reference["pain_point"])
    assert 7 <= len(keys) <= 9
    assert set(interviews["pain_point"]) == keys | {"none"}
    none = interviews[interviews["pain_point"] == "none"]
    assert len(none) >= 1 and (none["severity"] == 0).all()
    assert interviews.loc[interviews["pain_point"] != "none", "severity"].between(1, 5).all()


def test_second_speakers_are_few_and_hold_case_roles(interviews, customers):
    contact_role = dict(zip(customers["customer_id"], customers["contact_role"], strict=True))
    others = interviews[interviews["speaker_role"] != interviews["customer_id"].map(contact_role)]
    assert 1 <= len(others) <= 6
    assert set(others["speaker_role"]) <= set(customers["contact_role"])


def test_tricky_snippets_survive_loading_intact(interviews):
    text = " ".join(interviews["snippet"])
    assert 'He said, "the app still showed it," and' in text  # comma and quotes in a cell
    assert "a technician's two o'clock" in text  # an apostrophe
    assert "café" in text and "Wi-Fi" in text  # non-ASCII and a hyphen


def test_the_loudest_pain_point_is_not_the_biggest(interviews, reference):
    counts = interviews[interviews["pain_point"] != "none"]["pain_point"].value_counts()
    loudest = counts.index[0]
    assert counts.iloc[0] > counts.iloc[1]  # one clear loudest
    assert loudest == "late_arrival_calls"
    rank = dict(zip(reference["pain_point"], reference["reference_rank"], strict=True))
    assert rank[loudest] > 3
    # The feature requests sales hears (a map, live tracking) hide this pain point.
    asks = interviews[interviews["snippet"].str.contains(r"\bmap\b|live tracking", regex=True)]
    assert len(asks) >= 3 and set(asks["pain_point"]) == {loudest}


def test_reference_ranking_follows_reach_times_severity_and_opportunity(
    interviews, reference, survey
):
    ranked = reference.sort_values("reference_rank")
    order = ranked["pain_point"].tolist()
    synthesis = d.aggregate_pain_points(reference_coding(interviews), interviews)
    assert synthesis["pain_point"].tolist() == order
    by_frequency = synthesis.sort_values(["snippets", "pain_point"], ascending=[False, True])
    assert by_frequency["pain_point"].tolist()[:3] != order[:3]
    best = d.opportunity_table(survey).groupby("pain_point")["opportunity"].max()
    assert best[order].is_monotonic_decreasing and best[order].is_unique
    # The rationale quotes the numbers the functions compute.
    scores = synthesis.set_index("pain_point")
    for row in ranked.itertuples(index=False):
        s = scores.loc[row.pain_point]
        assert f"= {s['score']:g}" in row.rationale, row.pain_point
        assert f"= {int(s['reach'])} × " in row.rationale, row.pain_point
        assert f"{best[row.pain_point]:.1f}" in row.rationale, row.pain_point


def test_problem_or_solution_statements_are_labelled_about_half_and_half(statements):
    assert len(statements) == 15
    counts = statements["label"].value_counts().to_dict()
    assert set(counts) == {"problem", "solution"}
    assert 6 <= counts["problem"] <= 9 and 6 <= counts["solution"] <= 9
    reporting = statements[statements["statement"] == "We need better reporting."]
    assert reporting["label"].tolist() == ["solution"]


def test_the_checker_agrees_with_the_problem_or_solution_page(statements):
    # The page teaches that naming the app can still state a problem (P06, P10) and that a
    # request phrased as a need is a solution (P03): the checker must read them the same way.
    flagged = statements["statement"].map(lambda s: bool(d.find_solution_words(s)))
    assert flagged[statements["label"] == "solution"].all()
    assert not flagged[statements["label"] == "problem"].any()
    tech = statements[statements["statement"].str.contains(r"\bapp\b", regex=True)]
    assert set(tech["label"]) == {"problem", "solution"}  # the app named on both sides
