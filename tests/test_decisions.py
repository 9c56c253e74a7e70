"""pivot/frameworks/decisions.py: EVPI (Howard 1966), the result's interval, the decision rule,
moving the goalposts and seeded results."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from pivot.frameworks import decisions as dc


def table(actions, states, probs, payoffs):
    return dc.make_table(actions, states, probs, payoffs)


# --- EVPI: hand-computed and published examples ---------------------------------------------
def test_evpi_hand_computed_live_map_table():
    # By hand: EV(map) = .4·120 + .6·(−60) = 12; EV(fix) = 40 → decide now: 40.
    # With perfect information: .4·max(120, 40) + .6·max(−60, 40) = 48 + 24 = 72; EVPI = 32.
    r = dc.evpi(table(["map", "fix"], ["signs", "not"], [0.4, 0.6], [[120, -60], [40, 40]]))
    assert r.expected == {"map": 12, "fix": 40}
    assert r.best_actions == ("fix",) and r.best_expected == 40
    assert r.best_by_state == {"signs": ("map",), "not": ("fix",)}
    assert r.with_perfect == 72 and r.evpi == 32
    assert isinstance(r.evpi, Fraction)


def test_evpi_published_textbook_example_pdc():
    # Anderson, Sweeney, Williams et al., *An Introduction to Management Science*
    # (Cengage), chapter "Decision Analysis": Pittsburgh Development Corporation's condominium
    # complex (small/medium/large; strong demand p = 0.8, weak 0.2; payoffs in $ millions
    # 8/7, 14/5, 20/−9), as reproduced in public copies of the problem. The book's expected
    # values are 7.8, 12.2 and 14.2; EVwPI = 0.8·20 + 0.2·7 = 17.4; EVPI = 3.2.
    r = dc.evpi(
        table(
            ["small", "medium", "large"],
            ["strong", "weak"],
            [0.8, 0.2],
            [[8, 7], [14, 5], [20, -9]],
        )
    )
    assert [r.expected[a] for a in ("small", "medium", "large")] == [
        Fraction("7.8"),
        Fraction("12.2"),
        Fraction("14.2"),
    ]
    assert r.best_actions == ("large",)
    assert r.with_perfect == Fraction("17.4") and r.evpi == Fraction("3.2")


def test_evpi_published_three_state_example():
    # A three-state payoff table worked on public lecture slides (options 1,500/300/−800,
    # 900/600/−200, 500/500/500; p = .5/.3/.2): EMV 680, EVwPI 1,030, EVPI 350.
    r = dc.evpi(
        table(
            ["o1", "o2", "o3"],
            ["up", "same", "down"],
            [0.5, 0.3, 0.2],
            [[1500, 300, -800], [900, 600, -200], [500, 500, 500]],
        )
    )
    assert r.best_expected == 680 and r.with_perfect == 1030 and r.evpi == 350


def test_evpi_is_exact_where_floats_are_not():
    # 0.1 + 0.2 + 0.7 is not 1.0 in floating point, but is exactly 1 here.
    r = dc.evpi(table(["a", "b"], ["x", "y", "z"], [0.1, 0.2, 0.7], [[10, 0, 0], [0, 0, 1]]))
    assert r.expected == {"a": 1, "b": Fraction(7, 10)}
    assert r.with_perfect == Fraction(17, 10) and r.evpi == Fraction(7, 10)
    thirds = dc.evpi(
        table(["a", "b"], ["x", "y", "z"], ["1/3", "1/3", "1/3"], [[3, 0, 0], [0, 3, 3]])
    )
    assert thirds.expected == {"a": 1, "b": 2} and thirds.evpi == 1


# --- edge cases -----------------------------------------------------------------------------
def test_one_action_has_no_information_value():
    r = dc.evpi(table(["only"], ["x", "y"], [0.5, 0.5], [[10, -4]]))
    assert r.evpi == 0 and not r.changes_decision and r.best_actions == ("only",)


def test_one_state_is_certainty():
    r = dc.evpi(table(["a", "b"], ["sure"], [1], [[3], [5]]))
    assert r.evpi == 0 and r.best_actions == ("b",) and r.with_perfect == 5


def test_ties_are_all_reported():
    r = dc.evpi(table(["a", "b"], ["x", "y"], [0.5, 0.5], [[10, 0], [0, 10]]))
    assert r.best_actions == ("a", "b") and r.best_expected == 5
    assert r.with_perfect == 10 and r.evpi == 5
    same = dc.evpi(table(["a", "b"], ["x"], [1], [[2], [2]]))
    assert same.best_by_state == {"x": ("a", "b")}


def test_dominant_action_gives_zero():
    r = dc.evpi(table(["a", "b"], ["x", "y"], [0.3, 0.7], [[5, 5], [4, 1]]))
    assert r.evpi == 0


@pytest.mark.parametrize("probs", [[0.5, 0.4], [0.6, 0.6], ["1/3", "1/3"]])
def test_probabilities_not_summing_to_one_is_a_clear_error(probs):
    with pytest.raises(dc.DecisionError, match=r"probabilities: must add up to 1.*add up to"):
        table(["a"], ["x", "y"], probs, [[1, 2]])


def test_tolerance_for_floating_point_thirds():
    r = dc.evpi(table(["a"], ["x", "y", "z"], [1 / 3, 1 / 3, 1 / 3], [[3, 3, 3]]))
    assert math.isclose(float(r.best_expected), 3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"actions": []}, "actions: at least one action"),
        ({"states": [], "probabilities": [], "payoffs": [[]]}, "states: at least one state"),
        ({"actions": ["a", "a"], "payoffs": [[1, 2], [1, 2]]}, "the name 'a' is used twice"),
        ({"probabilities": [1.2, -0.2]}, r"probability of 'x': must be from 0 to 1 \(got 1.2\)"),
        ({"probabilities": [0.5]}, "one per state is needed, 2"),
        ({"payoffs": [[1]]}, "payoffs of 'a': one per state is needed"),
        ({"payoffs": [[1, "lots"]]}, r"payoff of 'a' if 'y': must be a number .*'lots'"),
        ({"payoffs": [[1, float("nan")]]}, "must be a finite number"),
        ({"probabilities": [True, 0]}, "must be a number"),
        ({"actions": [""]}, "action 1: must be a non-empty name"),
    ],
)
def test_table_validation_names_field_and_value(kwargs, match):
    args = {
        "actions": ["a"],
        "states": ["x", "y"],
        "probabilities": [0.5, 0.5],
        "payoffs": [[1, 2]],
    }
    args.update(kwargs)
    with pytest.raises(dc.DecisionError, match=match):
        dc.make_table(**args)


def test_exact_reads_what_people_type():
    assert dc.exact("p", "40%") == Fraction(2, 5)
    assert dc.exact("p", "1/3") == Fraction(1, 3)
    assert dc.exact("p", 0.1) == Fraction(1, 10)
    assert dc.exact("p", "−2") == -2
    with pytest.raises(dc.DecisionError, match="p: must be a number"):
        dc.exact("p", "1/0")


# --- the interval and the rule --------------------------------------------------------------
def test_difference_ci_by_hand():
    # 200/1000 vs 250/1000: d = .05; se = √(.2·.8/1000 + .25·.75/1000) = √.0003475 = .018641;
    # z = 1.959964 → ±.036536.
    low, high = dc.difference_ci(200, 1000, 250, 1000)
    se = math.sqrt(0.2 * 0.8 / 1000 + 0.25 * 0.75 / 1000)
    assert math.isclose(se, 0.0186413, rel_tol=1e-5)
    assert math.isclose(low, 0.05 - 1.959964 * se, abs_tol=1e-6)
    assert math.isclose(high, 0.05 + 1.959964 * se, abs_tol=1e-6)
    lo90, hi90 = dc.difference_ci(200, 1000, 250, 1000, level=0.90)
    assert low < lo90 < hi90 < high


def test_difference_ci_validation_and_degenerate():
    assert dc.difference_ci(0, 10, 0, 10) == (0.0, 0.0)
    with pytest.raises(dc.DecisionError, match="conversions_control: cannot exceed"):
        dc.difference_ci(11, 10, 0, 10)
    with pytest.raises(dc.DecisionError, match="n_treatment: must be at least 1"):
        dc.difference_ci(1, 10, 0, 0)
    with pytest.raises(dc.DecisionError, match="level: must be strictly between"):
        dc.difference_ci(1, 10, 1, 10, level=1)


class _fake:
    def __init__(self, low, diff, high):
        self.low, self.difference, self.high = low, diff, high


@pytest.mark.parametrize(
    ("low", "diff", "high", "expected"),
    [
        (0.01, 0.06, 0.11, "ship"),  # interval above 0, lift at least the 1 point worth shipping
        (0.004, 0.03, 0.056, "ship"),  # real, below the 5 points sized for, but worth shipping
        (0.002, 0.01, 0.018, "ship"),  # exactly the bar worth shipping: the success criterion
        (0.001, 0.008, 0.015, "kill"),  # real but below 1 point, and 5 points ruled out
        (-0.01, 0.05, 0.11, "iterate"),  # big lift, interval includes zero
        (-0.03, -0.01, 0.009, "kill"),  # top below the 5 points sized for: the kill criterion
        (-0.02, 0.02, 0.05, "iterate"),  # top exactly at the 5 points sized for: not ruled out
        (-0.02, 0.0, 0.049, "kill"),  # top just below it
    ],
)
def test_rule_decision(low, diff, high, expected):
    crit = dc.Criteria.make(0.05, 0.01)  # sized for 5 points, worth shipping from 1
    assert (crit.sized_for, crit.worth_shipping) == (0.05, 0.01)
    assert dc.rule_decision(_fake(low, diff, high), crit) == expected


def test_rule_when_a_fall_is_the_improvement():
    crit = dc.Criteria.make(0.05, 0.01)
    # the rate fell by 6 points, interval of the difference −11 … −1: an improvement of 1 … 11
    fell = _fake(-0.11, -0.06, -0.01)
    assert dc.rule_decision(fell, crit, lower_is_better=True) == "ship"
    assert dc.rule_decision(fell, crit) == "kill"
    r = dc.read_result(30, 100, 20, 100)
    assert dc.improvement(r, lower_is_better=True) == (-r.difference, -r.high, -r.low)
    j = dc.judge_decision("ship", fell, crit, lower_is_better=True)
    assert j.follows_criteria


def test_criteria_validation():
    with pytest.raises(
        dc.DecisionError, match=r"improvement the test was sized for: must be a positive.*got 0"
    ):
        dc.Criteria.make(0, 0)
    with pytest.raises(
        dc.DecisionError,
        match=r"smallest improvement worth shipping: must not be above the improvement the test "
        r"was sized for, 0\.02.*got 0\.03",
    ):
        dc.Criteria.make(0.02, 0.03)
    with pytest.raises(dc.DecisionError, match="sized for: a difference between two rates"):
        dc.Criteria.make(5, 0)
    with pytest.raises(dc.DecisionError, match="worth shipping: a difference between two rates"):
        dc.Criteria.make(0.05, -3)


def test_criteria_name_what_the_rule_does_with_each_bar():
    crit = dc.Criteria.make(0.05, 0.04)
    assert (crit.sized_for, crit.worth_shipping) == (0.05, 0.04)
    # the older names, which saved answers and other pages use, still read the same bars
    assert (crit.success, crit.kill) == (crit.sized_for, crit.worth_shipping)
    with pytest.raises(AttributeError):
        crit.sized_for = 0.1  # frozen
    # real and at least the bar worth shipping: ship, although below the 5 points sized for
    assert dc.rule_decision(_fake(0.001, 0.041, 0.081), crit) == "ship"
    # the top of the interval under the 5 points sized for: kill, although real and above 4
    assert dc.rule_decision(_fake(0.001, 0.025, 0.049), crit) == "kill"


def test_moving_the_goalposts():
    r = _fake(0.004, 0.03, 0.056)
    locked = dc.Criteria.make(0.05, 0.04)
    moved = dc.Criteria.make(0.05, 0.02)
    j = dc.judge_decision("ship", r, locked, moved)
    assert j.by_locked == "iterate" and j.by_current == "ship"
    assert j.moved_goalposts and j.justified_only_by_moving and not j.follows_criteria
    honest = dc.judge_decision("iterate", r, locked)
    assert honest.follows_criteria and not honest.moved_goalposts
    with pytest.raises(dc.DecisionError, match="decision: must be one of ship, iterate, kill"):
        dc.judge_decision("launch", r, locked)


# --- how often the rule says what -----------------------------------------------------------
DEFAULT_CRIT = dc.Criteria.make(0.05, 0.04)


def test_rule_probabilities_of_the_default_design():
    # The course's default design: 30 % baseline, a fall is the improvement, 1,251 per group,
    # sized for 5 points, worth shipping from 4. These values were also found by an
    # independent script summing the full 1,252 × 1,252 grid of binomial outcomes.
    at = {
        t: dc.rule_probabilities(0.30, t, 1251, DEFAULT_CRIT, lower_is_better=True)
        for t in (0.0, 0.04, 0.05)
    }
    assert at[0.05].ship == pytest.approx(0.70558, abs=1e-4)
    assert at[0.05].kill == pytest.approx(0.02503, abs=1e-4)
    assert at[0.05].interval_above_zero == pytest.approx(0.80091, abs=1e-4)
    assert at[0.04].ship == pytest.approx(0.49188, abs=1e-4)
    assert at[0.04].kill == pytest.approx(0.08048, abs=1e-4)
    assert at[0.0].kill == pytest.approx(0.77908, abs=1e-4)
    assert at[0.0].ship == pytest.approx(0.01378, abs=1e-4)
    for r in at.values():
        assert r.ship + r.iterate + r.kill == pytest.approx(1, abs=1e-9)
        assert r.ship <= r.interval_above_zero  # shipping needs the interval above zero
        assert r.of("iterate") == r.iterate
    # the rule ships less often than the power the sample was sized for (about 0.80)
    assert at[0.05].ship < 0.75 < at[0.05].interval_above_zero
    # a larger true effect ships more and kills less
    assert at[0.0].ship < at[0.04].ship < at[0.05].ship
    assert at[0.0].kill > at[0.04].kill > at[0.05].kill


def test_rule_probabilities_equal_the_rule_on_every_outcome_of_a_small_test():
    # n = 30 per group: sum the binomial probabilities of every pair of counts, each pair read
    # with read_result and rule_decision themselves; the framework must give the same numbers.
    n, base, true = 30, 0.4, 0.15
    crit = dc.Criteria.make(0.15, 0.05)

    def pmf(k, p):
        return math.comb(n, k) * p**k * (1 - p) ** (n - k)

    for lower in (False, True):
        treated = base - true if lower else base + true
        totals = {d: 0.0 for d in dc.DECISIONS}
        for x1 in range(n + 1):
            for x2 in range(n + 1):
                r = dc.read_result(x1, n, x2, n)
                decision = dc.rule_decision(r, crit, lower_is_better=lower)
                totals[decision] += pmf(x1, base) * pmf(x2, treated)
        got = dc.rule_probabilities(base, true, n, crit, lower_is_better=lower)
        for d in dc.DECISIONS:
            assert got.of(d) == pytest.approx(totals[d], abs=1e-12), (lower, d)


def test_rule_probabilities_agree_with_a_seeded_simulation_of_the_rule():
    import numpy as np

    rng = np.random.default_rng(11)
    runs, n = 4000, 1251
    x1 = rng.binomial(n, 0.30, runs)
    x2 = rng.binomial(n, 0.26, runs)
    shipped = sum(
        dc.rule_decision(dc.read_result(int(a), n, int(b), n), DEFAULT_CRIT, lower_is_better=True)
        == "ship"
        for a, b in zip(x1, x2, strict=True)
    )
    exact = dc.rule_probabilities(0.30, 0.04, n, DEFAULT_CRIT, lower_is_better=True).ship
    se = math.sqrt(exact * (1 - exact) / runs)
    assert abs(shipped / runs - exact) < 4 * se


def test_rule_probabilities_validation():
    with pytest.raises(dc.DecisionError, match="baseline: must be a rate"):
        dc.rule_probabilities(1.2, 0.05, 100, DEFAULT_CRIT)
    with pytest.raises(dc.DecisionError, match="true_improvement: must keep the treatment rate"):
        dc.rule_probabilities(0.3, 0.4, 100, DEFAULT_CRIT, lower_is_better=True)
    with pytest.raises(dc.DecisionError, match="n_per_group: must be at least 1"):
        dc.rule_probabilities(0.3, 0.05, 0, DEFAULT_CRIT)
    with pytest.raises(dc.DecisionError, match="n_per_group: too large"):
        dc.rule_probabilities(0.3, 0.05, 10_000_000, DEFAULT_CRIT)
    with pytest.raises(dc.DecisionError, match="criteria: must be Criteria"):
        dc.rule_probabilities(0.3, 0.05, 100, (0.05, 0.04))
    with pytest.raises(dc.DecisionError, match="decision: must be one of"):
        dc.rule_probabilities(0.3, 0.05, 100, DEFAULT_CRIT).of("launch")


# --- seeded results -------------------------------------------------------------------------
def test_seeded_results_are_deterministic_and_depend_on_the_design():
    a = dc.simulate_result(0.2, 0.05, 1094)
    b = dc.simulate_result(0.2, 0.05, 1094)
    assert a == b
    assert a.seed == dc.design_seed({"baseline": 0.2, "mde": 0.05, "n_per_group": 1094})
    assert a.true_share in dc.TRUE_EFFECT_SHARES
    assert math.isclose(a.true_difference, a.true_share * 0.05)
    others = {dc.simulate_result(0.2, 0.05, n).result for n in range(1000, 1010)}
    assert len(others) > 1
    assert dc.simulate_result(0.2, 0.05, 1094, seed=7) == dc.simulate_result(
        0.2, 0.05, 1094, seed=7
    )


def test_seeded_results_have_real_noise():
    # Over many seeds, the observed difference scatters around the true one with about the
    # binomial standard error (independent check: √(2·.2·.8/1094) ≈ .0171 for a null effect).
    diffs = []
    for seed in range(400):
        s = dc.simulate_result(0.2, 0.05, 1094, seed=seed)
        diffs.append(s.result.difference - s.true_difference)
    mean = sum(diffs) / len(diffs)
    sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1))
    assert abs(mean) < 0.004
    assert 0.014 < sd < 0.021
    shares = {dc.simulate_result(0.2, 0.05, 1094, seed=s).true_share for s in range(40)}
    assert shares == set(dc.TRUE_EFFECT_SHARES)


def test_simulate_validation():
    with pytest.raises(dc.DecisionError, match="baseline: must be a rate"):
        dc.simulate_result(1.2, 0.05, 100)
    with pytest.raises(dc.DecisionError, match="mde: must not be zero"):
        dc.simulate_result(0.2, 0.6, 100)
    with pytest.raises(dc.DecisionError, match="mde: must not be zero"):
        dc.simulate_result(0.2, -0.2, 100)
    with pytest.raises(dc.DecisionError, match="mde: must not be zero"):
        dc.simulate_result(0.2, 0, 100)
    fall = dc.simulate_result(0.3, -0.05, 1251)
    assert fall.true_difference <= 0 and fall == dc.simulate_result(0.3, -0.05, 1251)
    with pytest.raises(dc.DecisionError, match="n_per_group: must be at least 1"):
        dc.simulate_result(0.2, 0.05, 0)
    with pytest.raises(dc.DecisionError, match="seed: must be a whole number"):
        dc.simulate_result(0.2, 0.05, 10, seed=-1)
