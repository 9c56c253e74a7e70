"""pivot.frameworks.negotiation: scoring, the zone of agreement and the efficient frontier,
checked on tables small enough to work out by hand, edge cases and bad tables."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pivot.frameworks import negotiation as neg

# Two issues with two options each. By hand:
#   package      you           marcus        joint
#   (a1, b1)     10 + 0 = 10    0 + 8 = 8     18
#   (a1, b2)     10 + 4 = 14    0 + 0 = 0     14
#   (a2, b1)      0 + 0 = 0     3 + 8 = 11    11
#   (a2, b2)      0 + 4 = 4     3 + 0 = 3      7
# You care most about issue A, Marcus about issue B: (a2, b2), each side's second choice on
# each issue, is dominated by (a1, b1), where each side takes the issue it cares about most.
ISSUES = {"A": ["a1", "a2"], "B": ["b1", "b2"]}
POINTS = {
    "you": {"A": {"a1": 10, "a2": 0}, "B": {"b1": 0, "b2": 4}},
    "marcus": {"A": {"a1": 0, "a2": 3}, "B": {"b1": 8, "b2": 0}},
}


def small(you=5, marcus=5, points=POINTS, issues=ISSUES):
    return neg.make_tables(issues, points, {"you": you, "marcus": marcus})


def test_scores_are_the_sums_worked_out_by_hand():
    t = small()
    assert neg.score(t, {"A": "a1", "B": "b1"}) == {"you": 10, "marcus": 8}
    assert neg.score(t, ("a1", "b2")) == {"you": 14, "marcus": 0}
    assert neg.score(t, ("a2", "b1")) == {"you": 0, "marcus": 11}
    assert neg.score(t, ("a2", "b2")) == {"you": 4, "marcus": 3}
    assert neg.packages(t) == [("a1", "b1"), ("a1", "b2"), ("a2", "b1"), ("a2", "b2")]


def test_feasible_zone_frontier_and_best_joint_by_hand():
    t = small()
    assert neg.feasible_packages(t) == [("a1", "b1")]
    assert neg.zopa_exists(t)
    # ordered by your points: 0, 10, 14
    assert neg.pareto_frontier(t) == [("a2", "b1"), ("a1", "b1"), ("a1", "b2")]
    assert neg.best_joint(t) == [("a1", "b1")]
    assert neg.dominating(t, ("a2", "b2")) == [("a1", "b1")]
    assert neg.dominating(t, ("a1", "b1")) == []


def test_the_trade_across_issues_that_reaches_the_frontier():
    t = small()
    changes = neg.trade(t, ("a2", "b2"), ("a1", "b1"))
    assert [(c.issue, c.before, c.after) for c in changes] == [("A", "a2", "a1"), ("B", "b2", "b1")]
    assert changes[0].gains == {"you": 10, "marcus": -3}
    assert changes[1].gains == {"you": -4, "marcus": 8}
    assert neg.trade(t, ("a1", "b1"), ("a1", "b1")) == []
    ev = neg.evaluate(t, ("a2", "b2"))
    assert (ev.on_frontier, ev.dominated_by, ev.best_better) == (False, 1, ("a1", "b1"))
    assert ev.left_on_table == 18 - 7
    assert ev.short_of == {"you": 1, "marcus": 2}
    assert not ev.feasible


def test_a_package_exactly_at_a_reservation_is_acceptable():
    t = small(you=10, marcus=8)  # (a1, b1) gives exactly 10 and 8
    assert neg.feasible(t, ("a1", "b1"))
    assert neg.evaluate(t, ("a1", "b1")).short_of == {"you": 0, "marcus": 0}
    assert not neg.feasible(small(you=10.001, marcus=8), ("a1", "b1"))
    assert not neg.feasible(small(you=10, marcus=8.001), ("a1", "b1"))


def test_meeting_a_reservation_exactly_survives_decimal_sums():
    # 0.1 + 0.2 is 0.30000000000000004 in floating point; written as 0.3 it must still count
    pts = {
        "you": {"A": {"x": 0.1, "y": 0}, "B": {"x": 0.2, "y": 0}},
        "marcus": {"A": {"x": 0, "y": 1}, "B": {"x": 0, "y": 1}},
    }
    t = neg.make_tables({"A": ["x", "y"], "B": ["x", "y"]}, pts, {"you": 0.3, "marcus": 0})
    assert neg.feasible(t, ("x", "x"))


def test_no_zone_of_agreement():
    t = small(you=12, marcus=9)  # (a1, b1) gives you only 10; nothing gives both enough
    assert not neg.zopa_exists(t)
    assert neg.feasible_packages(t) == []
    assert neg.best_joint(t) == []
    # the frontier does not depend on the reservations
    assert neg.pareto_frontier(t) == neg.pareto_frontier(small())


def test_ties_on_the_frontier_are_all_kept():
    pts = {
        "you": {"A": {"p": 5, "q": 5, "r": 0}, "B": {"s": 0, "t": 1}},
        "marcus": {"A": {"p": 5, "q": 5, "r": 9}, "B": {"s": 1, "t": 0}},
    }
    t = neg.make_tables({"A": ["p", "q", "r"], "B": ["s", "t"]}, pts, {"you": 0, "marcus": 0})
    # By hand: (p, s) = (q, s) = (5, 6); (p, t) = (q, t) = (6, 5); (r, s) = (0, 10);
    # (r, t) = (1, 9). Equal scores dominate neither way, and no package is at least as good
    # as another on both sides and better on one: all six are on the frontier.
    assert not neg.dominates((5, 6), (5, 6))
    front = neg.pareto_frontier(t)
    assert front == [("r", "s"), ("r", "t"), ("p", "s"), ("q", "s"), ("p", "t"), ("q", "t")]
    # best joint: the four packages totalling 11 all tie (the other two total 10)
    assert set(neg.best_joint(t)) == {("p", "s"), ("q", "s"), ("p", "t"), ("q", "t")}


def test_dominates_needs_strictly_better_on_one_side():
    assert neg.dominates((2, 3), (2, 2))
    assert neg.dominates((3, 3), (2, 2))
    assert not neg.dominates((3, 1), (2, 2))
    assert not neg.dominates((2, 2), (2, 2))


# --- bad tables ---------------------------------------------------------------------------
def bad(issues=ISSUES, points=POINTS, reservations=None):
    with pytest.raises(neg.NegotiationError) as info:
        neg.make_tables(issues, points, reservations or {"you": 5, "marcus": 5})
    return str(info.value)


def with_point(side, issue, option, value):
    pts = {s: {i: dict(o) for i, o in t.items()} for s, t in POINTS.items()}
    if value is KeyError:
        del pts[side][issue][option]
    else:
        pts[side][issue][option] = value
    return pts


def test_missing_option_points_are_named():
    msg = bad(points=with_point("marcus", "B", "b2", KeyError))
    assert msg == "marcus, B, 'b2': points (missing)"


def test_non_numbers_and_negatives_are_named_with_the_value():
    assert bad(points=with_point("you", "A", "a1", "lots")) == (
        "you, A, 'a1': points must be a number of at least 0 (got 'lots')"
    )
    assert "(got -1)" in bad(points=with_point("you", "A", "a2", -1))
    assert "(got True)" in bad(points=with_point("you", "A", "a2", True))
    assert "(got nan)" in bad(points=with_point("marcus", "B", "b1", float("nan")))
    assert "(got None)" in bad(points=with_point("marcus", "B", "b1", None))
    # numeric text is a number (a CSV cell), as in data files
    assert neg.make_tables(ISSUES, with_point("you", "A", "a1", " 7 "), {"you": 1, "marcus": 1})


def test_duplicate_option_names_are_refused_ignoring_case_and_spaces():
    msg = bad(issues={"A": ["Map", " map "], "B": ["b1", "b2"]})
    assert "A: each option named once (got 'map' twice, as 'Map' and 'map')" in msg
    assert "A: at least 2 differently named options (got 1)" in msg


def test_structure_problems_are_all_listed():
    assert bad(issues={}) == "issues: at least one issue, each with its options"
    assert "B: a list of options (got 'b1')" in bad(issues={"A": ["a1", "a2"], "B": "b1"})
    assert "every option needs a name" in bad(issues={"A": ["a1", ""], "B": ["b1", "b2"]})
    three = dict(POINTS, finance=POINTS["you"])
    assert bad(points=three) == "points: a table for each of exactly 2 sides (got 3)"
    extra = with_point("you", "A", "a3", 1)
    assert "points for option 'a3', which is not an option of 'A'" in bad(points=extra)
    pts = {s: dict(t, C={"c": 1}) for s, t in POINTS.items()}
    assert "you: points for issue 'C', which is not an issue" in bad(points=pts)
    pts = {"you": {"A": POINTS["you"]["A"]}, "marcus": POINTS["marcus"]}
    assert "you, B: points for each option (missing)" in bad(points=pts)


def test_reservation_problems_are_named():
    assert bad(reservations={"you": 5}) == "marcus: a reservation value (missing)"
    assert "you: reservation value must be a number of at least 0 (got -2)" in bad(
        reservations={"you": -2, "marcus": 5}
    )
    assert "(got 'high')" in bad(reservations={"you": "high", "marcus": 5})
    msg = bad(reservations={"you": 1, "marcus": 1, "sales": 3})
    assert "reservations: 'sales' is not a side (you, marcus)" in msg


def test_several_problems_come_in_one_message():
    pts = with_point("you", "A", "a1", "x")
    pts["marcus"]["B"]["b1"] = -5
    msg = bad(points=pts)
    assert msg.startswith("2 problems found:")
    assert "you, A, 'a1'" in msg and "marcus, B, 'b1'" in msg


def test_too_many_packages_are_refused():
    issues = {f"I{k}": [f"o{j}" for j in range(10)] for k in range(6)}  # 10**6 packages
    assert "at most 100,000 packages in all (these issues make 1,000,000)" in bad(issues=issues)


def test_a_bad_package_is_named():
    t = small()
    with pytest.raises(neg.NegotiationError, match="issue 'A' has no option 'a9'"):
        neg.score(t, ("a9", "b1"))
    with pytest.raises(neg.NegotiationError, match="choose an option for issue 'B'"):
        neg.score(t, {"A": "a1"})
    with pytest.raises(neg.NegotiationError, match="issue 'Z' is not in the tables"):
        neg.score(t, {"A": "a1", "B": "b1", "Z": "z"})
    with pytest.raises(neg.NegotiationError, match="one option for each of the 2 issues"):
        neg.feasible(t, ("a1",))


# --- against a brute force written differently ----------------------------------------------
points_strategy = st.integers(min_value=0, max_value=6)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=2, max_value=3), min_size=1, max_size=3),
    st.data(),
)
def test_frontier_and_zone_match_a_naive_enumeration(sizes, draw):
    issues = {f"I{k}": [f"o{j}" for j in range(n)] for k, n in enumerate(sizes)}
    pts = {
        side: {i: {o: draw.draw(points_strategy) for o in opts} for i, opts in issues.items()}
        for side in ("you", "marcus")
    }
    res = {"you": draw.draw(points_strategy), "marcus": draw.draw(points_strategy)}
    t = neg.make_tables(issues, pts, res)
    every = list(itertools.product(*issues.values()))

    def total(side, pkg):
        return sum(pts[side][i][o] for i, o in zip(issues, pkg, strict=True))

    naive_front = {
        p
        for p in every
        if not any(
            total("you", q) >= total("you", p)
            and total("marcus", q) >= total("marcus", p)
            and (total("you", q), total("marcus", q)) != (total("you", p), total("marcus", p))
            for q in every
        )
    }
    assert set(neg.pareto_frontier(t)) == naive_front
    zone = [
        p for p in every if total("you", p) >= res["you"] and total("marcus", p) >= res["marcus"]
    ]
    assert neg.feasible_packages(t) == zone
    assert neg.zopa_exists(t) == bool(zone)
    if zone:
        top = max(total("you", p) + total("marcus", p) for p in zone)
        assert set(neg.best_joint(t)) == {
            p for p in zone if total("you", p) + total("marcus", p) == top
        }
    for p in every[:4]:
        ev = neg.evaluate(t, p)
        assert ev.on_frontier == (p in naive_front)
