"""The stakeholder frameworks: the power × interest grid and Mitchell, Agle and Wood's salience."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pivot.frameworks import stakeholders as sh
from pivot.frameworks.stakeholders import StakeholderError, place, place_table, salience


# --- the grid: every quadrant -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("power", "interest", "quadrant", "strategy", "label"),
    [
        (5, 5, "high power, high interest", "manage closely", "key players"),
        (5, 1, "high power, low interest", "keep satisfied", "keep satisfied"),
        (1, 5, "low power, high interest", "keep informed", "keep informed"),
        (1, 1, "low power, low interest", "monitor", "minimal effort"),
        (4, 2, "high power, low interest", "keep satisfied", "keep satisfied"),
        (2.5, 4.5, "low power, high interest", "keep informed", "keep informed"),
    ],
)
def test_every_quadrant_and_its_strategy(power, interest, quadrant, strategy, label):
    p = place(power, interest)
    assert (p.quadrant, p.strategy, p.textbook_label) == (quadrant, strategy, label)
    assert not p.on_boundary


def test_four_distinct_strategies():
    assert sorted(sh.STRATEGIES.values()) == [
        "keep informed",
        "keep satisfied",
        "manage closely",
        "monitor",
    ]
    assert set(sh.QUADRANTS.values()) == set(sh.STRATEGIES) == set(sh.TEXTBOOK_LABELS)


# --- boundaries -----------------------------------------------------------------------------------
def test_rating_exactly_at_threshold_counts_as_high_and_is_flagged():
    p = place(3, 1)
    assert p.high_power and not p.high_interest
    assert p.strategy == "keep satisfied"
    assert p.boundary_axes == ("power",)
    assert p.on_boundary


def test_both_ratings_on_the_threshold():
    p = place(3, 3)
    assert p.strategy == "manage closely"
    assert p.boundary_axes == ("power", "interest")


def test_just_below_threshold_is_low_and_not_flagged():
    p = place(2.99, 2.99)
    assert p.strategy == "monitor"
    assert not p.on_boundary


def test_scale_ends_are_valid_ratings():
    assert place(1, 5).strategy == "keep informed"
    assert place(5, 1).strategy == "keep satisfied"


# --- custom thresholds and scales -----------------------------------------------------------------
def test_custom_threshold_moves_the_boundary():
    assert place(3, 3, threshold=4).strategy == "monitor"
    assert place(4, 3, threshold=4).strategy == "keep satisfied"
    assert place(4, 3, threshold=4).boundary_axes == ("power",)
    assert place(2, 2, threshold=2).strategy == "manage closely"


def test_custom_scale():
    p = place(7, 2, threshold=6, scale=(0, 10))
    assert p.strategy == "keep satisfied"
    with pytest.raises(StakeholderError, match=r"power must be a number from 0 to 10 \(got 11"):
        place(11, 2, threshold=6, scale=(0, 10))


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (1, r"threshold must be above 1 and at most 5.*\(got 1\)"),
        (6, r"threshold must be above 1 and at most 5.*\(got 6\)"),
        (float("nan"), r"threshold must be a number .*got nothing: the value is missing"),
        ("3", r"threshold must be a number .*got '3'"),
        (True, r"threshold must be a number .*got True"),
    ],
)
def test_bad_threshold(threshold, expected):
    with pytest.raises(StakeholderError, match=expected):
        place(3, 3, threshold=threshold)


@pytest.mark.parametrize("scale", [(5, 1), (3, 3), (1,), "1-5", (1, float("inf"))])
def test_bad_scale(scale):
    with pytest.raises(StakeholderError, match="scale"):
        place(3, 3, scale=scale)


# --- bad ratings ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("power", "expected"),
    [
        (float("nan"), r"power must be a number from 1 to 5 \(got nothing: the value is missing\)"),
        (None, r"power must be a number from 1 to 5 \(got nothing: the value is missing\)"),
        (0, r"power must be a number from 1 to 5 \(got 0, outside the scale\)"),
        (6, r"power must be a number from 1 to 5 \(got 6, outside the scale\)"),
        (-1.5, r"got -1.5, outside the scale"),
        ("high", r"power must be a number from 1 to 5 \(got 'high'\)"),
        (True, r"power must be a number from 1 to 5 \(got True\)"),
        (float("inf"), r"power must be a number from 1 to 5 \(got inf\)"),
    ],
)
def test_bad_power_rating(power, expected):
    with pytest.raises(StakeholderError, match=expected):
        place(power, 3)


def test_both_bad_ratings_reported_with_who():
    with pytest.raises(StakeholderError) as err:
        place("x", 9, who="S01")
    assert err.value.issues == [
        "S01: power must be a number from 1 to 5 (got 'x')",
        "S01: interest must be a number from 1 to 5 (got 9, outside the scale)",
    ]
    assert str(err.value).startswith("2 problems found:")


def test_numpy_scalars_accepted():
    p = place(np.int64(4), np.float64(2.0))
    assert p.strategy == "keep satisfied"
    assert isinstance(p.power, float)


# --- the table ------------------------------------------------------------------------------------
def _table(rows):
    return pd.DataFrame(rows, columns=["id", "power", "interest"])


def test_place_table_in_order_with_boundary_flags():
    df = _table([("S1", 5, 4), ("S2", 3, 1), ("S3", 1, 5), ("S4", 2, 2), ("S5", 4, 3)])
    out = place_table(df)
    assert list(out["id"]) == ["S1", "S2", "S3", "S4", "S5"]
    assert list(out["strategy"]) == [
        "manage closely",
        "keep satisfied",
        "keep informed",
        "monitor",
        "manage closely",
    ]
    assert list(out["on_boundary"]) == [False, True, False, False, True]
    assert list(out.columns) == [
        "id",
        "power",
        "interest",
        "quadrant",
        "strategy",
        "textbook_label",
        "on_boundary",
    ]


def test_place_table_custom_threshold_and_extra_columns_ignored():
    df = _table([("A", 4, 4), ("B", 3, 5)])
    df["evidence"] = ["signs off budget", "asked twice"]
    out = place_table(df, threshold=4)
    assert list(out["strategy"]) == ["manage closely", "keep informed"]
    assert list(out["on_boundary"]) == [True, False]
    assert "evidence" not in out.columns


def test_place_table_does_not_change_its_input():
    df = _table([("A", 4, 4)])
    before = df.copy()
    place_table(df)
    pd.testing.assert_frame_equal(df, before)


def test_missing_columns():
    df = pd.DataFrame({"id": ["A"], "power": [3]})
    with pytest.raises(StakeholderError, match=r"missing column\(s\) interest: expected id, power"):
        place_table(df)


def test_not_a_table():
    with pytest.raises(StakeholderError, match=r"must be a table .*got list"):
        place_table([("A", 3, 3)])


def test_empty_table():
    with pytest.raises(StakeholderError, match="no rows"):
        place_table(_table([]))


def test_duplicate_ids():
    df = _table([("A", 3, 3), ("B", 2, 2), ("A", 4, 4)])
    with pytest.raises(StakeholderError, match=r"A: id must be unique \(also in row 1\)"):
        place_table(df)


@pytest.mark.parametrize("bad_id", ["", "   ", None, float("nan"), 7])
def test_bad_ids(bad_id):
    df = _table([(bad_id, 3, 3)])
    with pytest.raises(StakeholderError, match=r"row 1: id must be non-empty text"):
        place_table(df)


def test_every_problem_in_a_table_reported_at_once():
    df = _table([("A", float("nan"), 3), ("B", 3, "lots"), ("C", 6, 0), ("A", 2, 2)])
    with pytest.raises(StakeholderError) as err:
        place_table(df)
    assert err.value.issues == [
        "A: power must be a number from 1 to 5 (got nothing: the value is missing)",
        "B: interest must be a number from 1 to 5 (got 'lots')",
        "C: power must be a number from 1 to 5 (got 6, outside the scale)",
        "C: interest must be a number from 1 to 5 (got 0, outside the scale)",
        "A: id must be unique (also in row 1)",
    ]


def test_long_error_lists_are_summarised():
    df = _table([(f"S{i}", 9, 3) for i in range(15)])
    with pytest.raises(StakeholderError) as err:
        place_table(df)
    assert len(err.value.issues) == 15
    assert "… and 5 more" in str(err.value)


# --- properties -----------------------------------------------------------------------------------
ratings = st.floats(min_value=1, max_value=5, allow_nan=False)
thresholds = st.floats(min_value=1, max_value=5, allow_nan=False, exclude_min=True)


@settings(max_examples=300, deadline=None)
@given(power=ratings, interest=ratings, threshold=thresholds)
def test_every_valid_rating_lands_in_exactly_one_quadrant(power, interest, threshold):
    p = place(power, interest, threshold=threshold)
    matches = [
        q
        for (hp, hi), q in sh.QUADRANTS.items()
        if hp == (power >= threshold) and hi == (interest >= threshold)
    ]
    assert matches == [p.quadrant]
    assert p.strategy == sh.STRATEGIES[p.quadrant]
    assert p.on_boundary == (power == threshold or interest == threshold)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(ratings, ratings), min_size=1, max_size=20))
def test_table_agrees_with_single_placements(pairs):
    df = _table([(f"S{i}", p, q) for i, (p, q) in enumerate(pairs)])
    out = place_table(df)
    assert list(out["strategy"]) == [place(p, q).strategy for p, q in pairs]


@settings(max_examples=100, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not 1 <= x <= 5))
def test_every_rating_off_the_scale_is_refused(value):
    with pytest.raises(StakeholderError, match="interest must be a number from 1 to 5"):
        place(3, value)


# --- salience: Mitchell, Agle and Wood (1997) -------------------------------------------------
@pytest.mark.parametrize(
    ("attrs", "name", "count", "group", "level"),
    [
        ((False, False, False), "non-stakeholder", 0, "non-stakeholder", "none"),
        ((True, False, False), "dormant", 1, "latent", "low"),
        ((False, True, False), "discretionary", 1, "latent", "low"),
        ((False, False, True), "demanding", 1, "latent", "low"),
        ((True, True, False), "dominant", 2, "expectant", "moderate"),
        ((True, False, True), "dangerous", 2, "expectant", "moderate"),
        ((False, True, True), "dependent", 2, "expectant", "moderate"),
        ((True, True, True), "definitive", 3, "definitive", "high"),
    ],
)
def test_every_salience_class(attrs, name, count, group, level):
    s = salience(*attrs)
    assert (s.stakeholder_class, s.attributes, s.group, s.level) == (name, count, group, level)
    assert (s.power, s.legitimacy, s.urgency) == attrs


def test_seven_classes_plus_non_stakeholder():
    names = set(sh.SALIENCE_CLASSES.values())
    assert len(names) == 8
    assert len(names - {"non-stakeholder"}) == 7


def test_salience_keywords_and_numpy_bools():
    assert salience(power=np.bool_(True), legitimacy=False, urgency=True).stakeholder_class == (
        "dangerous"
    )


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"power": 1, "legitimacy": True, "urgency": True},
            r"power must be True or False \(got 1\)",
        ),
        (
            {"power": True, "legitimacy": "yes", "urgency": True},
            r"legitimacy must be True or False \(got 'yes'\)",
        ),
        (
            {"power": True, "legitimacy": True, "urgency": None},
            r"urgency must be True or False \(got nothing: the value is missing\)",
        ),
        (
            {"power": True, "legitimacy": True, "urgency": math.nan},
            r"urgency must be True or False \(got nothing: the value is missing\)",
        ),
    ],
)
def test_salience_bad_input(kwargs, expected):
    with pytest.raises(StakeholderError, match=expected):
        salience(**kwargs)


@given(st.booleans(), st.booleans(), st.booleans())
def test_salience_level_grows_with_attributes(p, lg, u):
    s = salience(p, lg, u)
    assert s.attributes == p + lg + u
    assert (s.group, s.level) == sh.SALIENCE_GROUPS[s.attributes]
