"""Shift 4 risk logic: the probability × impact register, Cox's (2008) critique made
computable, and assumption mapping."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pivot.frameworks import risk as rk
from pivot.frameworks.risk import RiskError


def row(rid, lk, im, p=None, cost=None, **extra):
    base = {"risk_id": rid, "description": f"Risk {rid}", "likelihood": lk, "impact": im}
    if p is not None:
        base["probability"] = p
    if cost is not None:
        base["cost"] = cost
    base.update(extra)
    return base


# --- scales, score and bands ----------------------------------------------------------------
def test_scales_are_five_points_and_bands_cover_every_score_once():
    assert list(rk.LIKELIHOOD_SCALE) == list(rk.IMPACT_SCALE) == [1, 2, 3, 4, 5]
    covered = [s for _, lo, hi in rk.BANDS for s in range(lo, hi + 1)]
    assert covered == list(range(1, 26))


@pytest.mark.parametrize(
    ("lk", "im", "score", "band"),
    [
        (1, 1, 1, "low"),
        (2, 2, 4, "low"),
        (1, 5, 5, "medium"),
        (3, 3, 9, "medium"),
        (2, 5, 10, "high"),
        (5, 2, 10, "high"),
        (5, 5, 25, "high"),
        (4, 1, 4, "low"),
    ],
)
def test_score_and_band_hand_checked(lk, im, score, band):
    assert rk.score(lk, im) == score
    assert rk.band(score) == band


@pytest.mark.parametrize("bad", [0, 6, 2.5, True, "high", None])
def test_score_rejects_ratings_off_the_scale(bad):
    with pytest.raises(RiskError, match=r"likelihood: expected a whole number from 1 to 5"):
        rk.score(bad, 3)


@pytest.mark.parametrize("bad", [0, 26, 4.0, True])
def test_band_rejects_scores_off_the_scale(bad):
    with pytest.raises(RiskError, match=r"score: expected a whole number from 1 to 25"):
        rk.band(bad)


# --- the register ---------------------------------------------------------------------------
def test_make_register_reads_optional_columns_and_computes_expected_loss():
    (r,) = rk.make_register(
        [row("R1", "4", 3.0, p="0.25", cost=40, kind="feasibility", owner="Lena Fischer")]
    )
    assert (r.likelihood, r.impact, r.score, r.band, r.cell) == (4, 3, 12, "high", (4, 3))
    assert r.expected_loss == pytest.approx(10.0)
    assert r.kind == "feasibility" and r.owner == "Lena Fischer" and r.next_step is None
    (bare,) = rk.make_register([row("R2", 1, 1)])
    assert bare.expected_loss is None


def test_make_register_accepts_dataframe_records_with_blank_optionals():
    frame = pd.DataFrame(
        [row("R1", 2, 3, p=0.1, cost=50), row("R2", 4, 4)],
        columns=["risk_id", "description", "likelihood", "impact", "probability", "cost"],
    )
    risks = rk.make_register(frame.to_dict("records"))
    assert [r.expected_loss for r in risks] == [pytest.approx(5.0), None]


def test_make_register_lists_every_problem_with_row_field_and_value():
    with pytest.raises(RiskError) as caught:
        rk.make_register(
            [
                row("R1", 6, 3),
                row("R1", 2, 0),
                row("", 2, 2),
                row("R4", 2, 2, p=1.5, cost=10),
                row("R5", 2, 2, p=0.5),
                row("R6", 2, 2, p=0.5, cost=-1),
                row("R7", 2, 2, kind="money"),
                row("R8", 2, 2, p="lots", cost=3),
                "not a row",
            ]
        )
    problems = caught.value.problems
    assert "row 1 (R1), likelihood: expected a whole number from 1 to 5, got 6" in problems
    assert "row 2 (R1), risk_id: duplicates row 1" in problems
    assert "row 2 (R1), impact: expected a whole number from 1 to 5, got 0" in problems
    assert "row 3, risk_id: must not be empty" in problems
    assert "row 4 (R4), probability: expected 0 to 1, got 1.5" in problems
    assert any(
        p.startswith("row 5 (R5), cost: give probability and cost together") for p in problems
    )
    assert "row 6 (R6), cost: expected a number of at least 0, got -1.0" in problems
    assert any(p.startswith("row 7 (R7), kind: expected one of value, usability") for p in problems)
    assert "row 8 (R8), probability: expected a number, got 'lots'" in problems
    assert "row 9: expected a mapping of fields, got str" in problems
    assert str(caught.value).startswith(f"{len(problems)} problems found:")


def test_make_register_refuses_an_empty_register_and_long_text():
    with pytest.raises(RiskError, match="register: expected at least one risk, got none"):
        rk.make_register([])
    with pytest.raises(RiskError, match=r"description: at most 500 characters \(got 501\)"):
        rk.make_register([{**row("R1", 1, 1), "description": "x" * 501}])


def test_rank_register_breaks_ties_by_impact_then_register_order():
    risks = rk.make_register([row("A", 2, 3), row("B", 3, 2), row("C", 1, 6 - 1), row("D", 2, 3)])
    assert [r.risk_id for r in rk.rank_register(risks)] == ["A", "D", "B", "C"]


def test_cell_counts_has_all_25_cells():
    cells = rk.cell_counts(rk.make_register([row("A", 2, 3), row("B", 2, 3), row("C", 5, 5)]))
    assert len(cells) == 25
    assert cells[(2, 3)] == ["A", "B"] and cells[(5, 5)] == ["C"] and cells[(1, 1)] == []


# --- Cox (2008): range compression and reversed rankings ------------------------------------
def test_same_cell_with_very_different_expected_losses():
    # Both rated likelihood 3, impact 3 (score 9, medium). Expected losses 0.5 x 100 = 50 and
    # 0.4 x 20 = 8: 50 / 8 = 6.25 > 3.
    found = rk.hidden_differences(
        rk.make_register([row("A", 3, 3, 0.5, 100), row("B", 3, 3, 0.4, 20)])
    )
    (pair,) = found.compressed
    assert (pair.first, pair.second, pair.kind) == ("A", "B", "same_cell")
    assert pair.ratio == pytest.approx(6.25)
    assert "same cell (3, 3)" in pair.why and "6.2 times" in pair.why
    assert found.reversed == ()


def test_same_band_different_cells_and_the_factor_is_strict():
    # (5, 1): 0.9 x 10 = 9; (1, 5): 0.05 x 1000 = 50; both score 5, medium: 50/9 = 5.6 > 3
    risks = rk.make_register([row("F", 5, 1, 0.9, 10), row("S", 1, 5, 0.05, 1000)])
    (pair,) = rk.hidden_differences(risks).compressed
    assert pair.kind == "same_band" and "same medium band" in pair.why
    assert rk.hidden_differences(risks, factor=50 / 9).compressed == ()  # exactly the factor
    assert len(rk.hidden_differences(risks, factor=5.5).compressed) == 1


def test_reversed_ranking_hand_checked():
    # H: likelihood 4, impact 3 -> 12 (high), 0.6 x 10 = 6.
    # L: likelihood 1, impact 4 -> 4 (low), 0.1 x 200 = 20. The matrix puts H above L; the
    # expected loss says the opposite, and the bands are reversed too.
    found = rk.hidden_differences(
        rk.make_register([row("H", 4, 3, 0.6, 10), row("L", 1, 4, 0.1, 200)])
    )
    (pair,) = found.reversed
    assert (pair.first, pair.second, pair.kind) == ("H", "L", "reversed")
    assert pair.ratio == pytest.approx(20 / 6)
    assert "ranks H (score 12, a higher band) above L (score 4)" in pair.why
    assert found.compressed == ()  # different bands


def test_equal_expected_losses_or_equal_scores_are_not_reversed():
    risks = rk.make_register(
        [row("A", 3, 3, 0.5, 100), row("B", 1, 5, 0.05, 1000), row("C", 3, 3, 0.25, 200)]
    )
    found = rk.hidden_differences(risks)
    assert found.reversed == ()  # A vs B: scores differ, losses equal; A vs C: scores equal
    assert found.compressed == ()


def test_combined_register_in_register_order():
    risks = rk.make_register(
        [
            row("R1", 5, 1, 0.9, 10),  # 5 medium, 9
            row("R2", 1, 5, 0.05, 1000),  # 5 medium, 50
            row("R3", 2, 3, 0.3, 100),  # 6 medium, 30
            row("R4", 1, 1),  # no numbers
        ]
    )
    found = rk.hidden_differences(risks)
    # compressed: R1-R2 (50/9 = 5.6), R1-R3 (30/9 = 3.3); R2-R3 is 1.7
    assert [(p.first, p.second) for p in found.compressed] == [("R1", "R2"), ("R1", "R3")]
    # reversed: R2-R3 (R3 scores 6 > 5 but 30 < 50); R1-R3 agrees (6 > 5 and 30 > 9)
    assert [(p.first, p.second) for p in found.reversed] == [("R2", "R3")]
    assert ", both medium)" in found.reversed[0].why
    assert found.skipped == ("R4",)
    assert found.any


def test_zero_expected_loss():
    found = rk.hidden_differences(
        rk.make_register([row("A", 2, 2, 0, 100), row("B", 2, 2, 0.1, 10)])
    )
    assert found.compressed[0].ratio == math.inf and "infinitely" in found.compressed[0].why
    both_zero = rk.hidden_differences(
        rk.make_register([row("A", 2, 2, 0, 5), row("B", 2, 2, 0.5, 0)])
    )
    assert both_zero.compressed == () and both_zero.reversed == ()


def test_one_risk_and_no_numbers():
    assert not rk.hidden_differences(rk.make_register([row("A", 5, 5, 0.5, 1)])).any
    found = rk.hidden_differences(rk.make_register([row("A", 5, 5), row("B", 1, 1)]))
    assert not found.any and found.skipped == ("A", "B")


@pytest.mark.parametrize("bad", [0.5, -1, float("nan"), float("inf"), "3", True])
def test_factor_must_be_a_number_of_at_least_one(bad):
    with pytest.raises(RiskError, match=r"factor: expected a number of at least 1"):
        rk.hidden_differences(rk.make_register([row("A", 1, 1)]), factor=bad)


quantified = st.lists(
    st.tuples(st.integers(1, 5), st.integers(1, 5), st.floats(0, 1), st.floats(0, 1000)),
    min_size=1,
    max_size=8,
)


@settings(max_examples=80, deadline=None)
@given(quantified)
def test_every_flagged_pair_really_is_what_it_says(items):
    risks = rk.make_register([row(f"R{i}", *t) for i, t in enumerate(items, start=1)])
    by_id = {r.risk_id: r for r in risks}
    found = rk.hidden_differences(risks)
    for pair in found.compressed:
        a, b = by_id[pair.first], by_id[pair.second]
        assert a.band == b.band
        assert (pair.kind == "same_cell") == (a.cell == b.cell)
        lo, hi = sorted([a.expected_loss, b.expected_loss])
        assert hi > 3 * lo
    for pair in found.reversed:
        a, b = by_id[pair.first], by_id[pair.second]
        assert (a.score - b.score) * (a.expected_loss - b.expected_loss) < 0
    # and nothing is missed: count reversals independently
    ids = [r.risk_id for r in risks]
    expected = sum(
        1
        for i, x in enumerate(ids)
        for y in ids[i + 1 :]
        if (by_id[x].score - by_id[y].score) * (by_id[x].expected_loss - by_id[y].expected_loss) < 0
    )
    assert len(found.reversed) == expected
    assert rk.hidden_differences(risks) == found  # deterministic


# --- assumption mapping ---------------------------------------------------------------------
def assumption(aid, imp, ev, **extra):
    return {
        "assumption_id": aid,
        "statement": f"Assumption {aid}",
        "importance": imp,
        "evidence": ev,
        **extra,
    }


def test_exposure_and_quadrant_hand_checked():
    assert rk.exposure(5, 1) == 25 and rk.exposure(1, 5) == 1 and rk.exposure(4, 2) == 16
    assert rk.quadrant(5, 1) == rk.quadrant(4, 2) == "test first"
    assert rk.quadrant(4, 3) == "important, some evidence"
    assert rk.quadrant(3, 1) == "less important"


def test_order_puts_the_important_unevidenced_first_and_breaks_ties_deterministically():
    items = rk.make_assumptions(
        [
            assumption("A1", 5, 5),  # 5
            assumption("A2", 2, 1),  # 10
            assumption("A3", 5, 1, kind="desirability"),  # 25
            assumption("A4", 5, 4),  # 10, more important than A2
            assumption("A5", 4, 2),  # 16
            assumption("A6", 5, 1),  # 25, tie with A3 on everything: input order
        ]
    )
    ranked = rk.order_assumptions(items)
    assert [r.assumption.assumption_id for r in ranked] == ["A3", "A6", "A5", "A4", "A2", "A1"]
    assert [r.rank for r in ranked] == [1, 2, 3, 4, 5, 6]
    assert [r.exposure for r in ranked] == [25, 25, 16, 10, 10, 5]
    assert ranked[0].quadrant == "test first" and ranked[-1].quadrant == "important, some evidence"
    assert rk.order_assumptions(items) == ranked


def test_one_assumption():
    (only,) = rk.order_assumptions(rk.make_assumptions([assumption("A1", 3, 3)]))
    assert (only.rank, only.exposure, only.quadrant) == (1, 9, "less important")


def test_make_assumptions_bad_inputs():
    with pytest.raises(RiskError) as caught:
        rk.make_assumptions(
            [
                assumption("A1", 6, 1),
                assumption("A1", 3, "some"),
                assumption("A3", 3, 3, kind="price"),
                {"assumption_id": "A4"},
            ]
        )
    problems = caught.value.problems
    assert "row 1 (A1), importance: expected a whole number from 1 to 5, got 6" in problems
    assert "row 2 (A1), assumption_id: duplicates row 1" in problems
    assert "row 2 (A1), evidence: expected a whole number from 1 to 5, got 'some'" in problems
    assert any(
        p.startswith("row 3 (A3), kind: expected one of desirability, viability") for p in problems
    )
    assert "row 4 (A4), statement: must not be empty" in problems
    with pytest.raises(RiskError, match="assumptions: expected at least one assumption, got none"):
        rk.make_assumptions([])


ratings = st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=12)


@settings(max_examples=100, deadline=None)
@given(ratings)
def test_order_properties(pairs):
    items = rk.make_assumptions([assumption(f"A{i}", imp, ev) for i, (imp, ev) in enumerate(pairs)])
    ranked = rk.order_assumptions(items)
    assert sorted(r.assumption.assumption_id for r in ranked) == sorted(
        a.assumption_id for a in items
    )
    assert all(x.exposure >= y.exposure for x, y in itertools.pairwise(ranked))
    # every "test first" assumption comes before every other one (16 is the least test-first
    # exposure, 15 the most any other can have)
    quads = [r.quadrant for r in ranked]
    n_first = quads.count("test first")
    assert quads[:n_first] == ["test first"] * n_first
    # more evidence never moves an assumption up
    for x, y in itertools.pairwise(ranked):
        if x.assumption.importance == y.assumption.importance:
            assert x.assumption.evidence <= y.assumption.evidence


# --- what a pre-mortem register leaves out (kind_counts, missing_kinds, unaddressed) ---------
def _premortem_register():
    return rk.make_register(
        [
            {"risk_id": "R1", "description": "a", "likelihood": 3, "impact": 5, "kind": "value",
             "owner": "You", "next_step": "pilot"},
            {"risk_id": "R2", "description": "b", "likelihood": 2, "impact": 4,
             "kind": "feasibility", "owner": "Jonah Weiss"},
            {"risk_id": "R3", "description": "c", "likelihood": 1, "impact": 1, "kind": "value",
             "next_step": "ask"},
            {"risk_id": "R4", "description": "d", "likelihood": 4, "impact": 2},
        ]
    )  # fmt: skip


def test_kind_counts_and_missing_kinds_by_hand():
    register = _premortem_register()
    # two value (R1, R3), one feasibility (R2), R4 unclassified and not counted
    assert rk.kind_counts(register) == {
        "value": 2,
        "usability": 0,
        "feasibility": 1,
        "viability": 0,
    }
    assert list(rk.kind_counts(register)) == list(rk.KINDS)
    assert rk.missing_kinds(register) == ("usability", "viability")


def test_missing_kinds_of_an_empty_and_a_complete_register():
    assert rk.missing_kinds(()) == rk.KINDS
    full = rk.make_register(
        [{"risk_id": k, "description": k, "likelihood": 1, "impact": 1, "kind": k}
         for k in ("viability", "value", "usability", "feasibility")]
    )  # fmt: skip
    assert rk.missing_kinds(full) == ()


def test_unaddressed_names_the_missing_fields_in_register_order():
    assert rk.unaddressed(_premortem_register()) == [
        ("R2", ("next_step",)),
        ("R3", ("owner",)),
        ("R4", ("owner", "next_step")),
    ]
    # blank strings are not an owner: make_register keeps them as None
    blank = rk.make_register(
        [{"risk_id": "X", "description": "x", "likelihood": 1, "impact": 1, "owner": "  ",
          "next_step": ""}]
    )  # fmt: skip
    assert rk.unaddressed(blank) == [("X", ("owner", "next_step"))]


# --- judging the pick of what to test first (assumption-map page) ---------------------------
def _ranked(*triples):
    return rk.order_assumptions(
        rk.make_assumptions([assumption(aid, imp, ev) for aid, imp, ev in triples])
    )


PICK_MAP = _ranked(
    ("N1", 5, 1),  # 25: the riskiest
    ("N2", 4, 1),  # 20: test first, less important than N1, same evidence
    ("N3", 5, 2),  # 20: test first, as important as N1, more evidence
    ("N4", 5, 4),  # 10: important, some evidence
    ("N5", 3, 1),  # 15: less important, no evidence
)


def test_judge_pick_names_each_kind_hand_checked():
    assert [r.assumption.assumption_id for r in PICK_MAP] == ["N1", "N3", "N2", "N5", "N4"]
    kinds = {aid: rk.judge_pick(PICK_MAP, aid).kind for aid in ("N1", "N2", "N3", "N4", "N5")}
    assert kinds == {
        "N1": "riskiest",
        "N2": "test first",
        "N3": "test first",
        "N4": "important, some evidence",
        "N5": "less important",
    }
    assert rk.judge_pick(PICK_MAP, "N1").good and not rk.judge_pick(PICK_MAP, "N2").good
    assert set(kinds.values()) <= set(rk.PICK_KINDS)


def test_judge_pick_explains_with_the_numbers():
    n2 = rk.judge_pick(PICK_MAP, "N2").why
    assert "N1 matters more and has no more evidence" in n2
    assert "5 × (6 − 1) = 25" in n2 and "4 × (6 − 1) = 20" in n2 and "number 3" in n2
    n3 = rk.judge_pick(PICK_MAP, "N3").why
    assert "N1 is as important and has less evidence" in n3 and "number 2" in n3
    assert "already evidence" in rk.judge_pick(PICK_MAP, "N4").why
    assert "survives" in rk.judge_pick(PICK_MAP, "N5").why


def test_judge_pick_a_tie_with_the_riskiest_is_right():
    tied = _ranked(("T1", 4, 2), ("T2", 4, 2), ("T3", 2, 1))
    verdict = rk.judge_pick(tied, "T2")
    assert (
        verdict.kind == "tied"
        and verdict.good
        and verdict.riskiest.assumption.assumption_id == "T1"
    )
    # the same exposure with another importance is not a tie: 5 × (6 − 4) = 2 × (6 − 1) = 10
    near = _ranked(("U1", 5, 4), ("U2", 2, 1))
    assert rk.judge_pick(near, "U2").kind == "less important"


def test_judge_pick_when_the_riskiest_is_in_the_same_region():
    low = _ranked(("L1", 3, 1), ("L2", 2, 3))  # every assumption less important
    verdict = rk.judge_pick(low, "L2")
    assert verdict.kind == "less important" and "same quadrant" in verdict.why
    assert "test L1 first" in verdict.why


def test_judge_pick_refuses_what_it_cannot_judge():
    with pytest.raises(RiskError, match="pick: expected one of N1, N3, N2, N5, N4, got 'N9'"):
        rk.judge_pick(PICK_MAP, "N9")
    with pytest.raises(RiskError, match="pick: expected one of"):
        rk.judge_pick(PICK_MAP, None)  # type: ignore[arg-type]
    with pytest.raises(RiskError, match="expected at least one ranked assumption"):
        rk.judge_pick([], "N1")


@settings(max_examples=100, deadline=None)
@given(ratings, st.integers(0, 11))
def test_judge_pick_properties(pairs, k):
    ranked = rk.order_assumptions(
        rk.make_assumptions([assumption(f"A{i}", imp, ev) for i, (imp, ev) in enumerate(pairs)])
    )
    pick = ranked[k % len(ranked)]
    verdict = rk.judge_pick(ranked, pick.assumption.assumption_id)
    top = ranked[0]
    # good exactly when the pick is as exposed and as important as rank 1
    same = (pick.exposure, pick.assumption.importance) == (top.exposure, top.assumption.importance)
    assert verdict.good == same
    if not verdict.good:
        assert verdict.why and top.assumption.assumption_id in verdict.why
