"""Shift 4, design the experiment: the ordering task and the design widget, driven headlessly."""

from __future__ import annotations

import math
import time

import pytest

from pivot import data, kit
from pivot.exercises.shift4 import experiment as e
from pivot.frameworks import experiments as fx
from pivot.workbook import Workbook

HYPOTHESIS = e.DEFAULT["hypothesis"]
METRIC = e.DEFAULT["metric"]
SUCCESS = "Ship if the interval for the fall is above zero and the fall is at least 4 points."
KILL = "Stop if even the top of the interval is below a fall of 5 points."


def fill(ex):
    ex.hypothesis.value = HYPOTHESIS
    ex.metric.value = METRIC
    ex.success.value = SUCCESS
    ex.kill.value = KILL


# --- data ----------------------------------------------------------------------------------------
def test_traffic_data_is_valid_and_registered():
    frame = e.load_traffic()
    assert list(frame["unit"]) == ["account", "technician", "moved_job"]
    assert data.SCHEMAS["experiment_traffic"] is e.SCHEMA
    units = e.traffic()
    # the case: about 900 customer accounts (book/case-study.md)
    assert units["U1"]["population"] == 900
    assert units["U3"]["population"] is None
    # the follow-up each metric needs before it can be read: "within four weeks", "in a week"
    assert [units[u]["follow_up_days"] for u in ("U1", "U2", "U3")] == [28, 7, 1]
    assert "within four weeks" in units["U1"]["metric"] and "in a week" in units["U2"]["metric"]


def test_the_default_design_is_declared_once_and_agrees_with_the_data():
    from pivot.exercises.shift4 import blameless_review, decide

    units = e.traffic()
    unit = units[e.DEFAULT["unit"]]
    assert unit["unit"] == "technician"  # the unit page 30 arrives at
    assert e.DEFAULT["baseline"] == pytest.approx(100 * unit["baseline_rate"])
    assert e.DEFAULT["metric"] == unit["metric"]
    attempt = units[e.ACCOUNT_ATTEMPT["unit"]]
    assert attempt["unit"] == "account"
    assert e.ACCOUNT_ATTEMPT["baseline"] == pytest.approx(100 * attempt["baseline_rate"])
    assert e.ACCOUNT_ATTEMPT["mde"] == e.DEFAULT["mde"]
    # page 40's default and page 50's expectation are derived from it, not typed again
    assert e.default_design() == decide.DEFAULT_DESIGN
    assert decide.DEFAULT_DESIGN["n_per_group"] == e.worked_example()["size"].n_control
    assert decide.DEFAULT_DESIGN["success"] == pytest.approx(abs(e.DEFAULT["mde"]) / 100)
    # saved-answer keys: "success" holds the bar sized for, "kill" the bar worth shipping
    assert decide.DEFAULT_DESIGN["kill"] == pytest.approx(e.DEFAULT["worth_shipping"] / 100)
    assert e.DEFAULT["worth_shipping"] < abs(e.DEFAULT["mde"])
    assert decide.WORKED_RESULT["n"] == decide.DEFAULT_DESIGN["n_per_group"]
    expected = blameless_review.DEFAULT_EXPECTATION
    assert unit["metric"] in expected and "from 30 % to about 26.2 % by the fourth week" in expected
    # the widget starts from it
    ex = e.ExperimentDesign(Workbook(None))
    assert (ex.unit.value, ex.baseline.value, ex.mde.value) == ("U2", 30.0, -5.0)


def test_traffic_data_errors_name_the_field_and_value(tmp_path):
    bad = (data.data_dir() / "experiment_traffic.csv").read_text().replace(",45,", ",-3,")
    path = tmp_path / "experiment_traffic.csv"
    path.write_text(bad)
    with pytest.raises(data.DataError) as info:
        data.read_table(path, e.SCHEMA)
    assert "eligible_per_day" in str(info.value) and "-3" in str(info.value)


# --- the ordering task ---------------------------------------------------------------------------
def test_steps_offered_shuffled_and_right_order_all_right(workbook_path):
    ex = e.ExperimentSteps(Workbook(workbook_path))
    assert ex.offered != ex.correct and sorted(e.OFFERED_ORDER) == list(range(7))
    for dd, step in zip(ex.positions, ex.correct, strict=True):
        dd.value = step
    assert ex.feedback.heading == "Order: 7 of 7 in the right place"
    assert "criteria written before any data" in ex.feedback.text


def test_criteria_after_the_run_is_named_moving_the_goalposts():
    ex = e.ExperimentSteps(Workbook(None))
    c = ex.correct
    order = [c[0], c[1], c[3], c[4], c[2], c[5], c[6]]  # criteria after sizing and running
    for dd, step in zip(ex.positions, order, strict=True):
        dd.value = step
    text = ex.feedback.text
    assert "too late" in text and "moving the goalposts" in text
    assert "too early" in text


def test_every_step_but_the_first_has_a_too_early_reason_and_but_the_last_a_too_late():
    assert set(e.TOO_EARLY) == set(e._S[1:])
    assert set(e.TOO_LATE) == set(e._S[:-1])


def test_steps_save_restore_and_malformed(workbook_path):
    ex = e.ExperimentSteps(Workbook(workbook_path))
    ex.positions[0].value = ex.correct[0]
    ex.reflection.value = "We skipped the kill criterion."
    again = e.ExperimentSteps(Workbook(workbook_path))
    assert again.positions[0].value == ex.correct[0]
    assert again.reflection.value == "We skipped the kill criterion."
    Workbook(workbook_path).save(e.STEPS_ID, {"order": ["nonsense", 3], "reflection": 5})
    bad = e.ExperimentSteps(Workbook(workbook_path))
    assert (
        "step 1" in bad.save_control.status.value and "reflection" in bad.save_control.status.value
    )


# --- the design: numbers -------------------------------------------------------------------
def test_worked_example_numbers_from_the_framework():
    # first attempt, by account: 20 % -> 15 %, hand-checked with printed z values, p̄ = 0.175
    a = e.account_example()
    pbar = 0.175
    hand = (
        1.959964 * math.sqrt(2 * pbar * (1 - pbar)) + 0.841621 * math.sqrt(0.2 * 0.8 + 0.15 * 0.85)
    ) ** 2 / 0.05**2
    assert a["size"].n_control == math.ceil(hand) == 906
    assert a["size"].total == 2 * a["size"].n_control > 900
    assert not a["run"].feasible and a["run"].reason == "exceeds_population"
    assert a["relative"] == pytest.approx(-0.25)
    # had there been the accounts: 41 days to enrol at 45 a day, then four weeks of follow-up
    assert (a["run"].enrolment_days, a["run"].follow_up_days, a["run"].days) == (41, 28, 69)
    assert a["smallest"] == pytest.approx(6.93, abs=0.005)
    # the design the page arrives at, by technician: 30 % -> 25 %, p̄ = 0.275
    w = e.worked_example()
    hand = (
        1.959964 * math.sqrt(2 * 0.275 * 0.725) + 0.841621 * math.sqrt(0.3 * 0.7 + 0.25 * 0.75)
    ) ** 2 / 0.05**2
    assert w["size"].n_control == math.ceil(hand) == 1251
    assert w["run"].feasible and w["run"].units_needed == 2502
    # ceil(2,502 / 1,300) = 2 days to enrol, + 7 days of follow-up = 9 days to read
    assert (w["run"].enrolment_days, w["run"].follow_up_days, w["run"].days) == (2, 7, 9)
    assert "9 days until the result can be read" in w["run"].message


def test_the_page_glues_the_numbers_its_prose_uses(monkeypatch):
    import json
    import re
    from pathlib import Path

    import myst_nb

    glued = {}
    monkeypatch.setattr(
        myst_nb, "glue", lambda key, value, display=True: glued.update({key: value})
    )
    e.glue_facts("de")
    assert (glued["de_acct_n"], glued["de_accounts"], glued["de_acct_smallest"]) == (
        "906",
        "900",
        "6.9",
    )
    assert (glued["de_acct_enrol_days"], glued["de_acct_follow_up"]) == ("41", "28")
    assert (glued["de_baseline"], glued["de_target"], glued["de_mde"], glued["de_worth"]) == (
        "30",
        "25",
        "5",
        "4",
    )
    assert (glued["de_n"], glued["de_total"], glued["de_relative"]) == ("1,251", "2,502", "17")
    assert (glued["de_enrol_days"], glued["de_follow_up"], glued["de_days"]) == ("2", "7", "9")
    # sized with the pooled formula, read with the Wald interval: 1,251 against 1,248 unpooled,
    # and the Wald interval clears zero with probability 0.801 at a true 5-point fall
    assert (glued["de_n_unpooled"], glued["de_n_gap"], glued["de_wald_power"]) == (
        "1,248",
        "3",
        "80.1",
    )
    assert glued["de_power"] == "80"
    # the peeking numbers are the default design's: 30 %, 1,251 per group split over the looks
    assert (glued["de_peek_rate"], glued["de_peek10_per_look"]) == ("30", "126")
    assert glued["de_page_peek_runs"] == "20,000"
    for k in (5, 10, 20):
        r = e.peeking_default(k)
        assert glued[f"de_peek{k}"] == f"{r.false_positive_rate:.3f}"
        assert abs(r.false_positive_rate - fx.REPEATED_TEST_RATES[k]) < 3 * r.standard_error
    page = Path(__file__).resolve().parents[1] / "notebooks/40-shift4/30-design-experiment.ipynb"
    cells = json.loads(page.read_text("utf-8"))["cells"]
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    used = set(re.findall(r"<!--glue ([^ :>-]+)", prose))
    assert used and used <= set(glued)
    assert "906" not in re.sub(r"<!--glue [^>]*-->[^<]*<!--/glue-->", "", prose)
    # the criteria say what page 40's rule does with each bar
    assert (
        "**Success criterion:** ship if the 95 % interval for the fall lies wholly above zero"
        in prose
    )
    assert (
        "**Kill criterion:** stop and drop the idea if even the top of the interval is below"
        in prose
    )
    assert "25 % or lower" not in prose and "not worth keeping" not in prose
    # the sizing is justified by what is true: the textbook and R, read with the Wald interval
    assert "analyse the result" not in prose and "Wald interval" in prose
    # the leak's direction is not known
    assert (
        "likely to understate" not in prose
        and "Which way it pushes the result is not known" in prose
    )
    assert "either way" in prose
    # no second paraphrase of the article's "black or white ... grey"
    for stale in ("black-and-white", "black or white", "grey", "knows how to address them"):
        assert stale not in prose, stale


def test_default_widget_shows_the_design_that_fits_its_days_and_the_leak():
    ex = e.ExperimentDesign(Workbook(None))
    html = ex.numbers.value
    assert "1,251 per group" in html and "Concierge test" not in html
    assert "enrolment + follow-up" in html
    assert "2 days to enrol them at 1,300 a day, then 7 days of follow-up" in html
    assert "The sample fits" in ex.feedback.text and "9 days until the result" in ex.feedback.text
    assert "leak" in ex.feedback.text
    assert "7 days after a unit joins" in ex.unit_note.value


def test_by_account_the_widget_shows_the_pooled_n_formula_methods_and_alternatives():
    ex = e.ExperimentDesign(Workbook(None))
    ex.unit.value, ex.baseline.value = "U1", 20
    html = ex.numbers.value
    n = e.account_example()["size"].n_control
    assert f"{n:,} per group" in html
    assert "p̄ = (p1 + p2)/2" in html  # the pooled formula is shown
    for name in fx.METHOD_NAMES.values():
        assert kit.escape(name) in html
    for alt in ("Concierge test", "Wizard of Oz test", "Fake door test", "Qualitative test"):
        assert alt in html
    assert "can never reach its sample" in ex.feedback.text
    assert "smallest change" in ex.feedback.text


def test_a_large_effect_fits_the_accounts_and_gives_days():
    ex = e.ExperimentDesign(Workbook(None))
    ex.unit.value, ex.baseline.value = "U1", 20
    ex.mde.value = -10
    ex.horizon.value = 60
    result = ex.current()
    assert result["run"].feasible
    # 45 eligible accounts a day: days to read = ceil(total / 45) + 28 days of follow-up
    assert result["run"].enrolment_days == math.ceil(result["size"].total / 45)
    assert result["run"].days == math.ceil(result["size"].total / 45) + 28
    assert "The sample fits" in ex.feedback.text
    assert "Concierge test" not in ex.numbers.value


def test_beyond_the_horizon_is_said():
    ex = e.ExperimentDesign(Workbook(None))
    ex.unit.value = "U3"
    ex.baseline.value = 8
    ex.mde.value = -0.5
    ex.horizon.value = 5
    assert "more than the 5 days available" in ex.feedback.text
    assert "leak" in ex.feedback.text  # a unit other than the account warns about interference


def test_zero_effect_and_out_of_range_are_explained_not_raised():
    ex = e.ExperimentDesign(Workbook(None))
    ex.mde.value = 0
    assert "Cannot size this test" in ex.numbers.value
    assert "must not be zero" in ex.feedback.text
    ex.mde.value = -35  # 30 % - 35 points is below 0 %
    assert "outside the rates" in ex.feedback.text
    assert ex.chart.value == ""


def test_relative_effect_is_shown_beside_the_absolute():
    ex = e.ExperimentDesign(Workbook(None))
    ex.baseline.value = 40
    ex.mde.value = 4
    assert "4 points, 10 % relative" in ex.numbers.value


def test_chart_data_and_alt_text():
    ex = e.ExperimentDesign(Workbook(None))
    assert "most per group with 16,200 technicians: 8,100" in ex.chart.value
    ex.unit.value, ex.baseline.value = "U1", 20
    points = e.curve_points(ex.current())
    ns = [n for _x, n in points]
    assert ns == sorted(ns, reverse=True)  # smaller effect, larger n
    assert 'role="img"' in ex.chart.value and "How n grows" in ex.chart.value
    assert "most per group with 900 accounts: 450" in ex.chart.value


def test_chart_labels_do_not_overlap():
    from pivot.plots import _boxes_meet, sample_size_chart

    for current in ((5, 906), (7, 470), (1, 12000)):
        fig = sample_size_chart(
            [(1, 20000), (5, 906), (10, 230)], alt="x", current=current, reach=(450, "reach 450")
        )
        a, b = fig.data["label_boxes"]
        assert not _boxes_meet(a, b)
    with pytest.raises(ValueError):
        sample_size_chart([], alt="x")
    with pytest.raises(ValueError):
        sample_size_chart([(1, 10)], alt=" ")


def test_peeking_shows_simulation_with_se_next_to_published_rate():
    ex = e.ExperimentDesign(Workbook(None))
    ex.looks.value = 10
    html = ex.peek.value
    assert "0.193 (Armitage, McPherson &amp; Rowe, 1969)" in html
    assert "±" in html and "0.401" in html  # 1 − 0.95^10 shown, and it overstates


@pytest.mark.parametrize("looks", [2, 5, 10, 20])
def test_widget_simulation_agrees_with_published_rates(looks):
    r = e.peeking(looks, 110, 0.2)
    published = fx.REPEATED_TEST_RATES[looks]
    assert abs(r.false_positive_rate - published) < 3 * r.standard_error + 0.006
    assert r.independent_rate > r.false_positive_rate
    if looks >= 5:  # 1 − 0.95^k overstates it, by far more than the noise
        assert r.independent_rate - r.false_positive_rate > 5 * r.standard_error


def test_the_page_peeking_table_is_the_default_design():
    html = e.peeking_table()
    assert "1,251 technicians per group in all" in html and "30 % baseline" in html
    assert "accounts" not in html and "110" not in html
    for k in (1, 2, 3, 5, 10, 20):
        assert e.peeking_per_look(k) == math.ceil(1251 / k)
        assert "<td" in html and f">{math.ceil(1251 / k):,}<" in html
    r = e.peeking_default(10)
    assert (r.runs, r.n_per_look, r.rate) == (20_000, 126, 0.3)
    assert e.peeking_default(10) is r  # cached


def test_the_steps_size_the_test_for_what_the_criteria_name():
    sizing = dict(e.STEPS)["Compute the sample and the days to run"]
    assert "the one it is sized for" in sizing and "success criterion" not in sizing
    assert "success criterion" not in e.TOO_EARLY["Compute the sample and the days to run"]


def test_peeking_is_cached_and_deterministic():
    a = e.peeking(5, 100, 0.2)
    assert e.peeking(5, 100, 0.2) is a
    e.peeking.cache_clear()
    assert e.peeking(5, 100, 0.2) == a


def test_feedback_is_fast():
    ex = e.ExperimentDesign(Workbook(None))
    worst = 0.0
    for k, mde in zip((1, 2, 3, 4, 5, 10, 20), (-3, -4, -6, -7, -8, -9, -2), strict=True):
        t = time.perf_counter()
        ex.looks.value = k
        ex.mde.value = mde
        worst = max(worst, (time.perf_counter() - t) / 2)


# --- text checks, save and restore --------------------------------------------------------
def test_complete_design_passes_the_five_checks():
    ex = e.ExperimentDesign(Workbook(None))
    fill(ex)
    assert ex.feedback.heading == "Checks passed: 5 of 5"
    assert "saved with the design, before any data" in ex.feedback.text


def test_missing_kill_and_number_are_named():
    ex = e.ExperimentDesign(Workbook(None))
    fill(ex)
    ex.kill.value = ""
    ex.success.value = "Ship if it works."
    text = ex.feedback.text
    assert "Checks passed: 2 of 5" in text
    assert "no number" in text and "Write the kill criterion" in text


def test_saved_design_round_trip_for_the_decide_page(workbook_path):
    ex = e.ExperimentDesign(Workbook(workbook_path))
    fill(ex)
    ex.mde.value = -10
    got = e.saved_design(Workbook(workbook_path))
    assert got["hypothesis"] == HYPOTHESIS and got["kill"] == KILL and got["metric"] == METRIC
    assert got["baseline"] == pytest.approx(0.30) and got["mde"] == pytest.approx(-0.10)
    result = ex.current()
    assert got["n_per_group"] == result["size"].n_control
    assert got["days"] == result["run"].days and got["feasible"] is True
    assert got["days"] == got["enrolment_days"] + got["follow_up_days"]
    assert got["follow_up_days"] == 7 and got["unit"] == "U2"
    again = e.ExperimentDesign(Workbook(workbook_path))
    assert again.mde.value == -10 and again.success.value == SUCCESS
    assert "Welcome back" in again.save_control.status.value


def test_saved_design_empty_and_malformed_never_raise(workbook_path):
    assert e.saved_design(Workbook(workbook_path)) == {}
    book = Workbook(workbook_path)
    book.save(e.EXERCISE_ID, {"baseline": "lots", "mde": float("nan"), "kill": 7, "unit": []})
    assert e.saved_design(Workbook(workbook_path)) == {}
    book.save(e.EXERCISE_ID, ["not", "a", "dict"])
    assert e.saved_design(Workbook(workbook_path)) == {}
    # numbers are recomputed from the inputs, never trusted from the file
    book.save(e.EXERCISE_ID, {"baseline": 0.2, "mde": 0.05, "n_per_group": 3})
    assert e.saved_design(Workbook(workbook_path))["n_per_group"] == 1094


def test_restore_tolerates_malformed_values_and_says_what_it_skipped(workbook_path):
    Workbook(workbook_path).save(
        e.EXERCISE_ID,
        {
            "hypothesis": HYPOTHESIS,
            "metric": ["x"],
            "baseline": 250,
            "mde": True,
            "alpha": 0.5,
            "power": "high",
            "looks": 7,
            "horizon": 2.5,
            "unit": "U9",
            "reflection": None,
        },
    )
    ex = e.ExperimentDesign(Workbook(workbook_path))
    status = ex.save_control.status.value
    for field in ("metric", "baseline", "mde", "alpha", "power", "looks", "horizon", "unit"):
        assert field in status
    assert ex.hypothesis.value == HYPOTHESIS
    assert ex.baseline.value == e.DEFAULT["baseline"]
    Workbook(workbook_path).save(e.EXERCISE_ID, "garbage")
    assert (
        "could not be read" in e.ExperimentDesign(Workbook(workbook_path)).save_control.status.value
    )


def test_over_length_text_is_refused_and_the_rest_saved(workbook_path):
    ex = e.ExperimentDesign(Workbook(workbook_path))
    fill(ex)
    ex.kill.value = "x" * (kit.MAX_TEXT_CHARS + 1)
    assert "Not saved" in ex.save_control.text and "Kill criterion" in ex.save_control.text
    assert "not run" in ex.feedback.heading
    assert e.saved_design(Workbook(workbook_path))["hypothesis"] == HYPOTHESIS
    # the refused field keeps what was saved before it grew too long
    assert e.saved_design(Workbook(workbook_path))["kill"] == KILL


def test_learner_text_is_escaped():
    ex = e.ExperimentDesign(Workbook(None))
    ex.metric.value = "<script>alert(1)</script>"
    assert "<script>" not in ex.feedback.widget.value
    md = ex.to_markdown(ex.answer())
    assert "Metric" in md and "per group" in md
