"""The self-assessment's scoring: means per shift, validation, where to start (ties, levels)."""

from __future__ import annotations

import pytest

from pivot.frameworks.self_assessment import check_ratings, profile, shift_scores

ITEM_SHIFT = {
    "S1a": 1,
    "S1b": 1,
    "S1c": 1,
    "S2a": 2,
    "S2b": 2,
    "S2c": 2,
    "S3a": 3,
    "S3b": 3,
    "S3c": 3,
    "S4a": 4,
    "S4b": 4,
    "S4c": 4,
}


def ratings(*values):
    return dict(zip(ITEM_SHIFT, values, strict=True))


def test_scores_are_the_mean_of_each_shifts_ratings_hand_computed():
    # Noor, the worked example in the notebook: (2+1+2)/3, (3+2+4)/3, (2+2+2)/3, (4+3+4)/3
    scores = shift_scores(ratings(2, 1, 2, 3, 2, 4, 2, 2, 2, 4, 3, 4), ITEM_SHIFT)
    assert scores == {1: 1.67, 2: 3.0, 3: 2.0, 4: 3.67}


def test_noor_starts_with_shift_1_with_shift_3_nearly_as_low_and_builds_on_shift_4():
    p = profile({1: 1.67, 2: 3.0, 3: 2.0, 4: 3.67})
    assert (p.start, p.strongest, p.level_with_start) == (1, 4, (3,))
    assert p.spread == 2.0 and not p.balanced


def test_self_check_in_the_notebook_tie_goes_to_the_earlier_shift():
    # Elif: 3.00, 2.33, 2.33, 4.00 -> start with Shift 2; Shift 3 nearly as low; strength 4.
    p = profile({1: 3.0, 2: 2.33, 3: 2.33, 4: 4.0})
    assert (p.start, p.strongest, p.level_with_start) == (2, 4, (3,))


def test_all_equal_is_balanced_and_starts_at_shift_1():
    p = profile({1: 3.0, 2: 3.0, 3: 3.0, 4: 3.0})
    assert p.balanced and p.start == 1 and p.strongest == 1 and p.spread == 0


def test_exactly_half_a_point_counts_as_level_and_just_over_does_not():
    assert profile({1: 2.0, 2: 2.5, 3: 4.0, 4: 4.0}).level_with_start == (2,)
    assert profile({1: 2.0, 2: 2.67, 3: 4.0, 4: 4.0}).level_with_start == ()


def test_all_fives_is_flagged():
    assert profile({1: 5, 2: 5, 3: 5, 4: 5}).all_top
    assert not profile({1: 5, 2: 5, 3: 5, 4: 4.67}).all_top


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"S1a": 0}, "rating for S1a must be from 1 to 5 .got 0."),
        ({"S1a": 6}, "rating for S1a must be from 1 to 5 .got 6."),
        ({"S1a": 2.5}, "whole number from 1 to 5 .got 2.5."),
        ({"S1a": "4"}, "whole number from 1 to 5 .got '4'."),
        ({"S1a": True}, "whole number from 1 to 5 .got True."),
        ({"S1a": None}, "whole number from 1 to 5 .got None."),
    ],
)
def test_invalid_ratings_are_refused_with_the_item_and_value(bad, message):
    values = dict.fromkeys(ITEM_SHIFT, 3) | bad
    with pytest.raises(ValueError, match=message):
        check_ratings(values, list(ITEM_SHIFT))


def test_missing_and_unknown_items_are_named():
    values = dict.fromkeys(ITEM_SHIFT, 3)
    del values["S2b"]
    with pytest.raises(ValueError, match="no rating for statement.s.: S2b"):
        check_ratings(values, list(ITEM_SHIFT))
    with pytest.raises(ValueError, match="unknown statement id.s.: S9z"):
        check_ratings(dict.fromkeys(ITEM_SHIFT, 3) | {"S9z": 3}, list(ITEM_SHIFT))


def test_float_ratings_with_whole_values_are_accepted_as_ints():
    clean = check_ratings(dict.fromkeys(ITEM_SHIFT, 4.0), list(ITEM_SHIFT))
    assert set(clean.values()) == {4} and all(isinstance(v, int) for v in clean.values())


def test_profile_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no shift scores"):
        profile({})
