"""Shift 4 experiment logic: sample size for two proportions (pooled, unpooled, Cohen's h and
Evan Miller's variant), days to run, and the seeded peeking simulation."""

from __future__ import annotations

import itertools
import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pivot.frameworks import experiments as ex
from pivot.frameworks.experiments import ExperimentError

# Standard normal quantiles from printed tables, used for the hand checks below (independent of
# statistics.NormalDist): z(0.975) = 1.959964, z(0.90) = 1.281552, z(0.80) = 0.841621.
Z975, Z90, Z80 = 1.959964, 1.281552, 0.841621


# --- published worked examples ------------------------------------------------------------
def test_pooled_matches_r_power_prop_test_documented_example():
    # R, stats/man/power.prop.test.Rd, examples (as in the R sources):
    #   power.prop.test(p1 = .50, p2 = .75, power = .90)  ## =>  n = 76.7
    # power.prop.test (strict = FALSE) is the pooled formula: n per group, two-sided 5 %.
    exact = ex.n_per_group(0.50, 0.75, alpha=0.05, power=0.90, method="pooled")
    assert round(exact, 1) == 76.7
    result = ex.sample_size(0.50, 0.75, power=0.90)
    assert result.method == ex.COURSE_METHOD == "pooled"
    assert (result.n_control, result.n_treatment, result.total) == (77, 77, 154)


def test_pooled_power_matches_r_power_prop_test_documented_example():
    # Same page: power.prop.test(n = 50, p1 = .50, p2 = .75)  ## => power = 0.740
    assert round(ex.power_pooled(0.50, 0.75, 50), 3) == 0.740


def test_cohens_h_power_matches_statsmodels_and_r_pwr():
    # statsmodels, statsmodels/stats/tests/test_power.py, test_normal_power_explicit: for
    # effect size 0.3 and nobs1 = 80, NormalIndPower().power(0.3, 80, 0.05) equals
    # res_R = 0.475100870572638 (to 13 decimals), and for h = 0.01, n = 80, two-sided,
    # pwr.2p.test gives 0.05045832927039234.
    assert ex.power_cohens_h(0.3, 80, alpha=0.05) == pytest.approx(0.475100870572638, abs=1e-12)
    assert ex.power_cohens_h(0.01, 80, alpha=0.05) == pytest.approx(0.05045832927039234, abs=1e-11)


def test_cohens_h_effect_size_matches_r_es_h_example():
    # R pwr, ES.h documentation: "Exercise 6.5 p. 203 from Cohen", h <- ES.h(0.5, 0.4), with
    # ES.h(p1, p2) = 2*asin(sqrt(p1)) - 2*asin(sqrt(p2)). Hand check: asin(sqrt(.5)) = pi/4,
    # asin(sqrt(.4)) = 0.684719, so h = 2 * (0.785398 - 0.684719) = 0.201358.
    assert ex.cohens_h(0.4, 0.5) == pytest.approx(0.201358, abs=1e-6)
    assert ex.cohens_h(0.5, 0.4) == pytest.approx(-0.201358, abs=1e-6)


def test_cohens_h_sample_size_is_per_group_and_gives_the_power_asked_for():
    # n = 2*((z + z)/h)^2 per group; the power of that n (statsmodels' formula, checked above)
    # is the power asked for, up to the far tail the sample-size formula ignores.
    h = ex.cohens_h(0.20, 0.25)
    n = ex.n_per_group(0.20, 0.25, method="cohens_h")
    assert n == pytest.approx(2 * ((Z975 + Z80) / h) ** 2, rel=1e-5)
    assert ex.power_cohens_h(h, n) == pytest.approx(0.80, abs=1e-6)
    # without the factor 2 the power would be far short of 0.80
    assert ex.power_cohens_h(h, n / 2) < 0.55


def test_evan_miller_variant_matches_his_calculator_default():
    # Evan Miller's calculator (evanmiller.org/ab-testing/sample-size.html), default inputs:
    # baseline 20 %, minimum detectable effect 5 % absolute, power 80 %, significance 5 %,
    # shows 1,030 per variation (his num_subjects(), as reproduced in public ports, rounds to
    # the nearest). Hand check with table quantiles: sd1 = sqrt(2*.2*.8) = 0.565685,
    # sd2 = sqrt(.16 + .1875) = 0.589491, (1.959964*sd1 + 0.841621*sd2)^2 / .05^2 = 1030.2.
    exact = ex.n_per_group(0.20, 0.25, method="evan_miller")
    hand = (Z975 * math.sqrt(0.32) + Z80 * math.sqrt(0.3475)) ** 2 / 0.05**2
    assert exact == pytest.approx(hand, rel=1e-5)
    assert round(exact) == 1030
    assert ex.sample_size_absolute(0.20, 0.05, method="evan_miller").n_control == 1031


def test_unpooled_hand_checked():
    # (1.959964 + 1.281552)^2 * (.25 + .1875) / .25^2 = 73.552 -> 74 per group
    hand = (Z975 + Z90) ** 2 * (0.25 + 0.1875) / 0.25**2
    exact = ex.n_per_group(0.50, 0.75, power=0.90, method="unpooled")
    assert exact == pytest.approx(hand, rel=1e-5)
    assert ex.sample_size(0.50, 0.75, power=0.90, method="unpooled").n_control == 74


def test_pooled_hand_checked_for_the_case_sized_example():
    # 20 % -> 25 %: pbar = .225, sqrt(2*.225*.775) = 0.590551, sqrt(.16 + .1875) = 0.589491
    hand = (Z975 * math.sqrt(2 * 0.225 * 0.775) + Z80 * math.sqrt(0.3475)) ** 2 / 0.05**2
    assert ex.n_per_group(0.20, 0.25) == pytest.approx(hand, rel=1e-5)
    assert ex.sample_size_absolute(0.20, 0.05).n_control == math.ceil(hand) == 1094


def test_the_three_formulas_differ_for_the_same_inputs():
    sizes = {m: s.n_control for m, s in ex.compare_methods(0.20, 0.25).items()}
    assert sizes == {"pooled": 1094, "unpooled": 1091, "cohens_h": 1092, "evan_miller": 1031}
    assert set(ex.FORMULAS) == set(ex.METHOD_NAMES) == set(ex.METHODS)


# --- absolute and relative effects, ratio, rounding -----------------------------------------
def test_absolute_and_relative_are_separate_and_agree_when_they_mean_the_same():
    a = ex.sample_size_absolute(0.20, 0.05)
    r = ex.sample_size_relative(0.20, 0.25)
    assert (a.p1, a.p2) == (0.20, 0.25)
    assert r.p2 == pytest.approx(0.25)
    assert a.n_control == r.n_control
    assert a.absolute_effect == pytest.approx(0.05)
    assert r.relative_effect == pytest.approx(0.25)
    # the same number read the other way is a different experiment
    assert ex.sample_size_relative(0.20, 0.05).p2 == pytest.approx(0.21)
    assert ex.sample_size_relative(0.20, 0.05).n_control > 10 * a.n_control


def test_negative_effects_detect_a_fall():
    down = ex.sample_size_absolute(0.25, -0.05)
    assert (down.p1, down.p2) == (0.25, 0.20)
    assert down.n_control == ex.sample_size(0.20, 0.25).n_control  # pooled is symmetric


def test_ratio_one_is_equal_groups_and_ratio_two_has_a_bigger_treatment_group():
    even = ex.sample_size(0.2, 0.25, ratio=1)
    assert even.n_control == even.n_treatment
    for method in ex.METHODS:
        two = ex.sample_size(0.2, 0.25, ratio=2, method=method)
        assert two.n_treatment in (2 * two.n_control - 1, 2 * two.n_control, 2 * two.n_control + 1)
        assert two.n_control < ex.sample_size(0.2, 0.25, method=method).n_control
        assert two.total > ex.sample_size(0.2, 0.25, method=method).total  # unequal costs more


def test_ratio_cohens_h_matches_statsmodels_definition():
    # NormalIndPower uses nobs = 1/(1/nobs1 + 1/nobs2) with nobs2 = ratio * nobs1, so
    # nobs1 = ((z + z)/h)^2 * (1 + 1/ratio).
    h = ex.cohens_h(0.3, 0.4)
    n1 = ex.n_per_group(0.3, 0.4, method="cohens_h", ratio=3)
    assert n1 == pytest.approx(((Z975 + Z80) / h) ** 2 * (1 + 1 / 3), rel=1e-5)


def test_round_up():
    assert ex.round_up(76.0000000001) == 76
    assert ex.round_up(76.001) == 77
    assert ex.round_up(76.7) == 77
    assert ex.round_up(77) == 77


# --- edge cases -------------------------------------------------------------------------------
def test_zero_effect_is_refused_with_the_field_and_value():
    with pytest.raises(ExperimentError, match=r"effect: must not be zero.*got 0"):
        ex.sample_size_absolute(0.2, 0)
    with pytest.raises(ExperimentError, match=r"lift: must not be zero.*got 0\.0"):
        ex.sample_size_relative(0.2, 0.0)
    with pytest.raises(ExperimentError, match=r"p2: must differ from p1 = 0\.3"):
        ex.sample_size(0.3, 0.3)


@pytest.mark.parametrize("baseline", [0, 1, 0.0, 1.0, -0.1, 1.2])
def test_baseline_outside_open_interval(baseline):
    with pytest.raises(
        ExperimentError,
        match=rf"baseline: must be a rate strictly between 0 and 1 \(got {baseline!r}\)",
    ):
        ex.sample_size_absolute(baseline, 0.01)


def test_effect_pushing_the_rate_out_of_range():
    with pytest.raises(ExperimentError, match=r"effect: takes the baseline 0\.98 to 1\.03"):
        ex.sample_size_absolute(0.98, 0.05)
    with pytest.raises(ExperimentError, match=r"effect: takes the baseline 0\.02 to -0\.03"):
        ex.sample_size_absolute(0.02, -0.05)
    with pytest.raises(ExperimentError, match=r"lift: takes the baseline 0\.6 to 1\.2"):
        ex.sample_size_relative(0.6, 1.0)
    with pytest.raises(ExperimentError, match=r"lift: takes the baseline 0\.2 to 0, .*got -1\.0"):
        ex.sample_size_relative(0.2, -1.0)


def test_rates_near_zero_and_one_still_work_and_are_large():
    tiny = ex.sample_size_absolute(0.001, 0.001)
    assert tiny.n_control > 20_000
    high = ex.sample_size_absolute(0.998, -0.001)
    assert high.n_control > 20_000
    for method in ex.METHODS:
        assert ex.sample_size(0.0005, 0.9995, method=method).n_control >= 1


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"alpha": 0}, r"alpha: must be strictly between 0 and 1 \(got 0\)"),
        ({"alpha": 1}, r"alpha: must be strictly between 0 and 1 \(got 1\)"),
        ({"alpha": "0.05"}, r"alpha: must be a number \(got '0\.05'\)"),
        ({"power": 1}, r"power: must be strictly between 0 and 1 \(got 1\)"),
        ({"power": 0}, r"power: must be strictly between 0 and 1 \(got 0\)"),
        ({"power": 0.02}, r"power: must be greater than alpha/2 = 0\.025"),
        ({"power": float("nan")}, r"power: must be a finite number"),
        ({"power": True}, r"power: must be a number \(got True\)"),
        ({"ratio": 0}, r"ratio: must be a positive number"),
        ({"method": "fleiss"}, r"method: must be one of pooled, unpooled, cohens_h, evan_miller"),
    ],
)
def test_bad_settings(kwargs, pattern):
    with pytest.raises(ExperimentError, match=pattern):
        ex.sample_size_absolute(0.2, 0.05, **kwargs)


def test_power_at_the_limits():
    low = ex.sample_size_absolute(0.2, 0.05, power=0.03)  # just above alpha/2
    assert low.n_control >= 1
    assert ex.sample_size_absolute(0.2, 0.05, power=0.999).n_control > 3 * 1094
    assert ex.sample_size_absolute(0.2, 0.05, alpha=1e-6).n_control > 3 * 1094


# --- properties -------------------------------------------------------------------------------
rates = st.floats(min_value=0.01, max_value=0.6)
methods = st.sampled_from(ex.METHODS)


@settings(max_examples=80, deadline=None)
@given(baseline=rates, small=st.floats(0.005, 0.15), extra=st.floats(0.001, 0.2), method=methods)
def test_n_decreases_as_the_effect_grows(baseline, small, extra, method):
    big = small + extra
    if baseline + big >= 0.99:
        return
    n_small = ex.n_per_group(baseline, baseline + small, method=method)
    n_big = ex.n_per_group(baseline, baseline + big, method=method)
    assert n_big < n_small


@settings(max_examples=60, deadline=None)
@given(
    baseline=rates,
    effect=st.floats(0.01, 0.3),
    p_low=st.floats(0.5, 0.8),
    bump=st.floats(0.01, 0.19),
)
def test_n_grows_with_power_and_with_stricter_alpha(baseline, effect, p_low, bump):
    if baseline + effect >= 0.99:
        return
    p2 = baseline + effect
    assert ex.n_per_group(baseline, p2, power=p_low) < ex.n_per_group(
        baseline, p2, power=p_low + bump
    )
    assert ex.n_per_group(baseline, p2, alpha=0.05) < ex.n_per_group(baseline, p2, alpha=0.01)


@settings(max_examples=60, deadline=None)
@given(p1=rates, p2=rates)
def test_pooled_size_gives_the_power_asked_for(p1, p2):
    if abs(p1 - p2) < 0.005:
        return
    n = ex.n_per_group(p1, p2, power=0.8)
    assert ex.power_pooled(p1, p2, n) == pytest.approx(0.8, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(p1=rates, p2=rates, method=methods)
def test_rounded_sizes_are_whole_and_never_below_the_formula(p1, p2, method):
    if abs(p1 - p2) < 0.005:
        return
    s = ex.sample_size(p1, p2, method=method)
    assert isinstance(s.n_control, int)
    assert s.n_exact - 1e-9 <= s.n_control < s.n_exact + 1


# --- days to run ------------------------------------------------------------------------------
def test_days_to_run_rounds_up_to_whole_days():
    run = ex.days_to_run(1094, 2, 100)
    assert (run.units_needed, run.days, run.feasible, run.reason) == (2188, 22, True, "ok")
    assert "2,188 units: 22 days at 100 a day" in run.message
    assert ex.days_to_run(50, 2, 100).days == 1
    assert ex.days_to_run(100, 2, 100).days == 2


def test_days_beyond_the_horizon():
    run = ex.days_to_run(1094, 2, 40, horizon_days=30)
    assert run.days == 55 and not run.feasible and run.reason == "beyond_horizon"
    assert "more than the 30 days available" in run.message


def test_crewboard_accounts_can_never_reach_the_sample():
    # about 900 customer companies (book/case-study.md): a two-group test of accounts that needs
    # 1,094 per group can never finish, however many days it is given.
    run = ex.days_to_run(1094, 2, 5, population=900, horizon_days=10_000)
    assert not run.feasible and run.reason == "exceeds_population"
    assert "needs 2,188 units" in run.message and "only 900" in run.message
    assert ex.days_to_run(400, 2, 5, population=900).feasible


def test_days_to_read_add_the_follow_up_to_the_enrolment():
    # the course's default design: 1,251 technicians per group, 1,300 eligible a day, a metric
    # "in a week": ceil(2,502 / 1,300) = 2 days to enrol, + 7 days of follow-up = 9 days to read
    run = ex.days_to_run(1251, 2, 1300, follow_up_days=7, horizon_days=40)
    assert (run.units_needed, run.enrolment_days, run.follow_up_days, run.days) == (
        2502,
        2,
        7,
        9,
    )
    assert run.feasible and run.reason == "ok"
    assert run.message == (
        "The test needs 2,502 units: 2 days to enrol them at 1,300 a day, then 7 days of "
        "follow-up for the last of them: 9 days until the result can be read."
    )
    # without follow-up the days are the enrolment alone, as before
    plain = ex.days_to_run(1251, 2, 1300)
    assert (plain.enrolment_days, plain.follow_up_days, plain.days) == (2, 0, 2)
    assert plain.message == "The test needs 2,502 units: 2 days at 1,300 a day."


def test_follow_up_edge_cases():
    # one unit a day short of a whole day still takes the day; one day, singular
    one = ex.days_to_run(1, 2, 2, follow_up_days=1)
    assert (one.enrolment_days, one.days) == (1, 2)
    assert "1 day to enrol them at 2 a day, then 1 day of follow-up" in one.message
    # the follow-up alone can push the result past the horizon: 55 + 28 = 83 > 60
    run = ex.days_to_run(1094, 2, 40, follow_up_days=28, horizon_days=60)
    assert (run.enrolment_days, run.days) == (55, 83)
    assert not run.feasible and run.reason == "beyond_horizon"
    assert "83 days until the result can be read: more than the 60 days available" in run.message
    # exactly at the horizon is fine; the enrolment alone within it is not enough
    assert ex.days_to_run(1094, 2, 40, follow_up_days=5, horizon_days=60).feasible
    assert not ex.days_to_run(1094, 2, 40, follow_up_days=6, horizon_days=60).feasible
    # a population that is too small stays the reason, whatever the follow-up
    accounts = ex.days_to_run(906, 2, 45, follow_up_days=28, population=900)
    assert accounts.reason == "exceeds_population" and accounts.days == 41 + 28
    # fractional traffic: ceil(20 / 0.5) = 40 days
    assert ex.days_to_run(10, 2, 0.5, follow_up_days=3).days == 43
    assert (
        "40 days to enrol them at 0.5 a day" in ex.days_to_run(10, 2, 0.5, follow_up_days=3).message
    )


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"follow_up_days": -1}, r"follow_up_days: must be at least 0 \(got -1\)"),
        ({"follow_up_days": 2.5}, r"follow_up_days: must be a whole number \(got 2\.5\)"),
        ({"follow_up_days": "7"}, r"follow_up_days: must be a whole number \(got '7'\)"),
        ({"follow_up_days": True}, r"follow_up_days: must be a whole number \(got True\)"),
    ],
)
def test_bad_follow_up_is_named(kwargs, pattern):
    with pytest.raises(ExperimentError, match=pattern):
        ex.days_to_run(10, 2, 10, **kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs", "pattern"),
    [
        ((0, 2, 10), {}, r"n_per_group: must be at least 1 \(got 0\)"),
        ((10.5, 2, 10), {}, r"n_per_group: must be a whole number \(got 10\.5\)"),
        ((10, 1, 10), {}, r"groups: must be at least 2 \(got 1\)"),
        ((10, 2, 0), {}, r"eligible_per_day: must be a positive number"),
        ((10, 2, -3), {}, r"eligible_per_day: must be a positive number .*got -3"),
        ((10, 2, 10), {"horizon_days": 0}, r"horizon_days: must be at least 1"),
        ((10, 2, 10), {"population": "900"}, r"population: must be a whole number \(got '900'\)"),
    ],
)
def test_days_to_run_bad_inputs(args, kwargs, pattern):
    with pytest.raises(ExperimentError, match=pattern):
        ex.days_to_run(*args, **kwargs)


# --- peeking ----------------------------------------------------------------------------------
def test_independent_looks_formula():
    assert ex.independent_looks_rate(1) == pytest.approx(0.05)
    assert ex.independent_looks_rate(5) == pytest.approx(1 - 0.95**5)  # 0.226
    assert ex.independent_looks_rate(10) == pytest.approx(0.401, abs=5e-4)


def test_tabulated_rates_are_below_the_independent_formula():
    for k, rate in ex.REPEATED_TEST_RATES.items():
        if k > 1:
            assert rate < ex.independent_looks_rate(k)
    assert ex.REPEATED_TEST_RATES[5] == 0.142 and ex.REPEATED_TEST_RATES[10] == 0.193


@pytest.mark.parametrize("looks", [1, 2, 5, 10, 20])
def test_simulation_agrees_with_the_published_repeated_test_rates(looks):
    # Published: Armitage, McPherson & Rowe (1969) for equally spaced looks on normal data at
    # nominal 5 % (1: .050, 2: .083, 5: .142, 10: .193, 20: .248). The simulation uses binary
    # data (500 per group per look, rate 0.2), so a tolerance of 3 binomial standard errors plus
    # 0.004 for the discreteness of the binomial z-test.
    result = ex.simulate_peeking(looks)
    published = ex.REPEATED_TEST_RATES[looks]
    assert result.tabulated_rate == published
    assert abs(result.false_positive_rate - published) < 3 * result.standard_error + 0.004
    if looks > 1:
        # 1 - 0.95^k overstates it, far beyond the simulation's noise
        assert result.independent_rate - result.false_positive_rate > 5 * result.standard_error


def test_simulation_is_deterministic_for_a_seed_and_differs_across_seeds():
    a = ex.simulate_peeking(5, runs=4000, seed=7)
    b = ex.simulate_peeking(5, runs=4000, seed=7)
    c = ex.simulate_peeking(5, runs=4000, seed=8)
    assert a == b
    assert a.false_positives != c.false_positives or a.cumulative != c.cumulative


def test_cumulative_rate_never_falls_and_ends_at_the_overall_rate():
    r = ex.simulate_peeking(10, runs=5000, seed=3)
    assert len(r.cumulative) == 10
    assert all(x <= y for x, y in itertools.pairwise(r.cumulative))
    assert r.cumulative[-1] == pytest.approx(r.false_positive_rate)
    assert r.standard_error == pytest.approx(
        math.sqrt(r.false_positive_rate * (1 - r.false_positive_rate) / 5000)
    )


def test_simulation_other_alpha_has_no_tabulated_rate():
    r = ex.simulate_peeking(5, runs=2000, alpha=0.01)
    assert r.tabulated_rate is None
    assert r.false_positive_rate < 0.06


def test_simulation_is_fast():
    ex.simulate_peeking(10, runs=1000)  # warm up
    start = time.perf_counter()
    ex.simulate_peeking()
    assert time.perf_counter() - start < 1.0


def test_rare_rates_cannot_reject_when_nothing_converted():
    r = ex.simulate_peeking(3, n_per_look=1, rate=0.001, runs=2000)
    assert 0 <= r.false_positive_rate < 0.05


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"looks": 0}, r"looks: must be at least 1 \(got 0\)"),
        ({"n_per_look": 2.5}, r"n_per_look: must be a whole number"),
        ({"rate": 0}, r"rate: must be a rate strictly between 0 and 1 \(got 0\)"),
        ({"alpha": 1.5}, r"alpha: must be strictly between 0 and 1"),
        ({"seed": -1}, r"seed: must be a whole number of at least 0"),
        ({"seed": "x"}, r"seed: must be a whole number"),
        ({"runs": 10_000_000, "looks": 10}, r"runs: runs × looks must be at most 20,000,000"),
    ],
)
def test_simulation_bad_inputs(kwargs, pattern):
    with pytest.raises(ExperimentError, match=pattern):
        ex.simulate_peeking(**kwargs)


# --- additions for the design page: the curve, the smallest detectable effect, text checks ----
def test_sample_size_curve_matches_sample_size_and_skips_impossible_effects():
    pts = ex.sample_size_curve(0.20, [0.05, -0.05, 0.0, 0.9, -0.3])
    # 0 (nothing to detect), +0.9 (above 100 %) and -0.3 (below 0 %) are left out
    assert [p.effect for p in pts] == [0.05, -0.05]
    # hand check of the pooled formula for 20 % -> 25 % with printed z values: ≈ 1,093.7 -> 1,094
    pbar = 0.225
    hand = (
        Z975 * math.sqrt(2 * pbar * (1 - pbar)) + Z80 * math.sqrt(0.2 * 0.8 + 0.25 * 0.75)
    ) ** 2 / 0.05**2
    assert math.ceil(hand) == pts[0].n_per_group == 1094
    assert pts[0].total == 2 * 1094


def test_sample_size_curve_grows_about_four_times_for_half_the_effect():
    a, b = ex.sample_size_curve(0.20, [0.02, 0.04])
    assert 3.5 < a.n_per_group / b.n_per_group < 4.5


def test_smallest_detectable_effect_fits_and_a_smaller_one_does_not():
    d = ex.smallest_detectable_effect(0.20, 900)
    assert d is not None
    assert ex.sample_size_absolute(0.20, d).n_control <= 450
    assert ex.sample_size_absolute(0.20, d - 0.0002).n_control > 450
    # 900 accounts cannot detect five points from 20 %: that needs 1,094 per group
    assert d > 0.05


def test_smallest_detectable_effect_edges():
    assert ex.smallest_detectable_effect(0.20, 1) is None  # no unit per group
    assert ex.smallest_detectable_effect(0.20, 3) is None  # one per group detects nothing
    with pytest.raises(ExperimentError, match="units"):
        ex.smallest_detectable_effect(0.20, 0)
    with pytest.raises(ExperimentError, match="baseline"):
        ex.smallest_detectable_effect(1.2, 900)


def test_check_design_text_passes_a_complete_design():
    checks = ex.check_design_text(
        "If technicians are told when a job on today's schedule changes, fewer accounts report "
        "a missed schedule change.",
        "accounts reporting a missed schedule change",
        "Ship if the rate falls by 5 points or more.",
        "Stop if it falls by less than 1 point.",
    )
    assert [c.name for c in checks] == ["hypothesis", "metric", "success", "kill", "distinct"]
    assert all(c.passed for c in checks)


def test_check_design_text_names_what_is_missing():
    checks = {c.name: c for c in ex.check_design_text("", "", "It works.", "")}
    assert not checks["hypothesis"].passed
    assert not checks["metric"].passed and "Name the metric" in checks["metric"].message
    assert not checks["success"].passed and "no number" in checks["success"].message
    assert not checks["kill"].passed and "kill criterion" in checks["kill"].message
    assert not checks["distinct"].passed


def test_check_design_text_metric_must_appear_in_the_hypothesis_and_criteria_differ():
    checks = {
        c.name: c
        for c in ex.check_design_text(
            "Technicians will be happier.", "missed jobs", "Ship at 5 %.", "ship at 5 %"
        )
    }
    assert not checks["metric"].passed and "does not mention" in checks["metric"].message
    assert not checks["distinct"].passed
