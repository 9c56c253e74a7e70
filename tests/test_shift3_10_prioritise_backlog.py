"""notebooks/30-shift3/10-prioritise-backlog.ipynb, driven headlessly as a learner would."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pivot import data
from pivot.exercises import MeetingOrder, PrioritiseBacklog
from pivot.exercises.meeting_order import CORRECT as MEETING
from pivot.exercises.prioritise_backlog import MAX_OPTIONS, TOP_SHOWN, WorkedPrioritisation
from pivot.frameworks import prioritization as p
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

BACKLOG = data.load("backlog")
RICE = p.score_backlog(BACKLOG, "rice")
WSJF = p.score_backlog(BACKLOG, "wsjf")


def synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "item_id": [f"X{i}" for i in range(n)],
            "title": [f"Item {i}" for i in range(n)],
            "reach": rng.integers(0, 50, n),  # small range: many ties
            "impact": rng.choice(p.IMPACT_SCALE, n),
            "confidence": rng.choice(p.CONFIDENCE_SCALE, n),
            "effort": rng.choice([0.5, 1, 2, 3, 5, 8], n),
            "business_value": rng.choice(p.WSJF_SCALE, n),
            "time_criticality": rng.choice(p.WSJF_SCALE, n),
            "risk_reduction": rng.choice(p.WSJF_SCALE, n),
            "job_size": rng.choice(p.WSJF_SCALE, n),
            "moscow": rng.choice(["Must", "Should", "Could", "Won't"], n),
        }
    )


@pytest.fixture
def ex(workbook_path):
    return PrioritiseBacklog(Workbook(workbook_path))


def pick(ex, ids):
    for d, v in zip(ex.picks, [*ids, *[""] * 5], strict=False):
        d.value = v


def ranked_ids(ex):
    order, _rank, _score = ex.ranking
    return [ex.ids[k] for k in order]


def test_starts_with_a_prompt_and_the_rice_table(ex):
    assert "nothing picked yet" in ex.gut_feedback.text
    assert f"The top {TOP_SHOWN} of 30 items by RICE" in ex.table.value
    assert ex.table.value.count("<tr>") == TOP_SHOWN + 1
    assert ranked_ids(ex) == list(RICE["item_id"])


def test_gut_that_matches_rice(ex):
    pick(ex, list(RICE["item_id"].head(5)))
    text = ex.gut_feedback.text
    assert "5 of your 5 picks are in RICE's top 5" in text
    assert "1.00 (the same order" in text
    assert "falls" not in text


def test_gut_partly_right_says_which_estimate_moved_an_item(ex):
    pick(ex, ["B03", "B01", "B04", "B02", "B18"])
    text = ex.gut_feedback.text
    assert "2 of your 5 picks are in RICE's top 5: B01, B02" in text
    assert "B04 is your pick 3 but falls to RICE rank 30" in text
    assert "mostly its effort, 20 person-months" in text
    assert "B18 is your pick 5 but falls to RICE rank 15" in text
    assert "mostly its impact, 0.25" in text


def test_gut_reversed_gives_a_negative_tau(ex):
    pick(ex, list(RICE["item_id"].head(5))[::-1])
    assert "-1.00 (mostly the reverse" in ex.gut_feedback.text


def test_wsjf_ranking_and_feedback(ex):
    pick(ex, ["B03"])
    ex.method.value = "wsjf"
    assert ranked_ids(ex) == list(WSJF["item_id"])
    assert "by WSJF" in ex.table.value
    assert "WSJF rank" in ex.gut_feedback.text
    assert "4 more pick(s) to make" in ex.gut_feedback.text


def test_the_same_item_twice_is_refused(ex):
    pick(ex, ["B01", "B01"])
    assert "B01 is picked more than once" in ex.gut_feedback.text


def test_sensitivity_agrees_with_the_framework(ex):
    ex.item.value = "B03"
    assert not ex.confidence.disabled and ex.confidence.value == 50 and ex.effort.value == 6
    expected = p.sensitivity(BACKLOG, "B03", "confidence", [100, 80, 50])
    ranks = "; ".join(
        f"{v}% → rank {r}" for v, r in zip(expected["value"], expected["rank"], strict=False)
    )
    assert ranks in ex.sensitivity_feedback.text
    expected = p.sensitivity(BACKLOG, "B03", "effort", [3, 6, 12])
    ranks = "; ".join(
        f"{v} pm → rank {r}" for v, r in zip(expected["value"], expected["rank"], strict=False)
    )
    assert ranks in ex.sensitivity_feedback.text


def test_re_estimating_changes_the_top_five(ex):
    ex.item.value = "B05"
    ex.effort.value = 1.0
    assert ex.overrides == {"B05": {"effort": 1.0}}
    changed = BACKLOG.copy()
    changed.loc[changed["item_id"] == "B05", "effort"] = 1.0
    assert ranked_ids(ex) == list(p.score_backlog(changed)["item_id"])
    assert "change RICE's top 5: B05 in, B23 out" in ex.sensitivity_feedback.text
    assert "B05 (re-estimated)" in ex.table.value
    ex.reset.click()
    assert ex.overrides == {} and ranked_ids(ex) == list(RICE["item_id"])
    assert ex.effort.value == 5.0


def test_re_estimate_back_to_the_original_is_no_override(ex):
    ex.item.value = "B03"
    ex.confidence.value = 100
    ex.confidence.value = 50
    assert ex.overrides == {}


@pytest.mark.parametrize("capacity", [0, 0.5, 1, 5.5, 12, 30, 200])
def test_capacity_plans_agree_with_the_framework(ex, capacity):
    ex.capacity.value = capacity
    greedy, best = ex.plans
    assert set(greedy.items) == set(p.fit_capacity_greedy(RICE, capacity).items)
    framework = p.fit_capacity_best(RICE, capacity)
    assert best.total_score == framework.total_score
    assert set(best.items) == set(framework.items)


def test_capacity_feedback_explains_the_difference(ex):
    ex.capacity.value = 12
    text = ex.capacity_feedback.text
    assert "Greedy took 9 items" in text and "B07 (score 133.33, 3 pm)" in text
    assert "one large item can crowd out several smaller ones" in text
    ex.capacity.value = 0
    assert "Nothing fits in 0 person-months" in ex.capacity_feedback.text


def test_moscow_check_uses_the_capacity(ex):
    ex.capacity.value = 12
    assert p.moscow_check(BACKLOG, 12).message in ex.moscow_feedback.text
    assert "above DSDM's guideline of at most 60%" in ex.moscow_feedback.text
    ex.capacity.value = 40
    assert "within DSDM's guideline" in ex.moscow_feedback.text


def test_rerank_agrees_with_score_backlog_on_a_large_backlog_with_ties(workbook_path):
    big = synthetic(1000)
    ex = PrioritiseBacklog(Workbook(workbook_path), backlog=big)
    assert ranked_ids(ex) == list(p.score_backlog(big)["item_id"])
    ex.method.value = "wsjf"
    assert ranked_ids(ex) == list(p.score_backlog(big, "wsjf")["item_id"])
    ex.method.value = "rice"
    ex.capacity.value = 7.5
    greedy, best = ex.plans
    assert best.total_score == p.fit_capacity_best(p.score_backlog(big), 7.5).total_score
    assert greedy.items == p.fit_capacity_greedy(p.score_backlog(big), 7.5).items


def test_ten_thousand_rows_stay_usable(workbook_path):
    ex = PrioritiseBacklog(Workbook(workbook_path), backlog=synthetic(10_000, seed=1))
    assert "The top 15 of 10,000 items by RICE" in ex.table.value
    assert len(ex.picks[0].options) == MAX_OPTIONS + 1
    pick(ex, ex.offered[:5])
    ex.rerank()
    assert "of your 5 picks" in ex.gut_feedback.text


def test_learner_backlog_text_is_escaped(workbook_path):
    hostile = BACKLOG.copy()
    hostile.loc[0, "title"] = "<script>alert(1)</script>"
    ex = PrioritiseBacklog(Workbook(workbook_path), backlog=hostile)
    assert "<script>" not in ex.table.value and "&lt;script&gt;" in ex.table.value


def test_a_bad_backlog_is_refused_with_the_item_named(workbook_path):
    bad = BACKLOG.copy()
    bad["impact"] = bad["impact"].astype(object)
    bad.loc[6, "impact"] = "TBD"
    with pytest.raises(p.BacklogError, match="B07: impact must be one of 3, 2, 1, 0.5, 0.25"):
        PrioritiseBacklog(Workbook(workbook_path), backlog=bad)


def test_huge_reflection_refused_and_kept(ex):
    ex.reflection.value = "<b>bold</b>"
    assert "<b>" not in ex.save_control.status.value
    ex.reflection.value = "w" * (MAX_TEXT_CHARS + 1)
    assert f"is {MAX_TEXT_CHARS + 1:,} characters long" in ex.save_control.text
    assert len(ex.reflection.value) == MAX_TEXT_CHARS + 1


def test_everything_survives_a_restart(ex, workbook_path):
    pick(ex, ["B03", "B01"])
    ex.method.value = "wsjf"
    ex.item.value = "B05"
    ex.effort.value = 1.0
    ex.capacity.value = 7.5
    ex.reflection.value = "I would defend B11 with the arrival-call counts."
    again = PrioritiseBacklog(Workbook(workbook_path))
    assert again.gut() == ["B03", "B01"] and again.method.value == "wsjf"
    assert again.overrides == {"B05": {"effort": 1.0}} and again.item.value == "B05"
    assert again.effort.value == 1.0 and again.capacity.value == 7.5
    assert again.reflection.value.startswith("I would defend")
    assert "Welcome back" in again.save_control.status.value
    assert ranked_ids(again) == ranked_ids(ex)


def test_damaged_save_keeps_what_it_can(workbook_path):
    Workbook(workbook_path).save(
        "shift3.prioritise_backlog",
        {
            "picks": ["B01", "NOPE", 7],
            "method": ["rice"],
            "item": {"x": 1},
            "overrides": {"B02": {"confidence": 55}, "B09": {"effort": 2}, "ZZ": {"effort": 1}},
            "capacity": -4,
            "reflection": None,
        },
    )
    ex = PrioritiseBacklog(Workbook(workbook_path))
    assert ex.gut() == ["B01"] and ex.overrides == {"B09": {"effort": 2.0}}
    status = ex.save_control.status.value
    for part in (
        "pick 2",
        "pick 3",
        "method",
        "re-estimate of B02",
        "ZZ",
        "capacity",
        "reflection",
    ):
        assert part in status


def test_unreadable_save_starts_afresh(workbook_path):
    Workbook(workbook_path).save("shift3.prioritise_backlog", ["not", "a", "mapping"])
    ex = PrioritiseBacklog(Workbook(workbook_path))
    assert "starting afresh" in ex.save_control.status.value
    assert ex.gut() == []


def test_markdown_export(ex, workbook_path):
    pick(ex, ["B01", "B02"])
    ex.item.value = "B05"
    ex.effort.value = 1.0
    md = Workbook(workbook_path).export_markdown()
    assert "1. B01" in md and "2. B02" in md and "Re-estimated B05: effort 1" in md


def test_worked_example_numbers():
    w = WorkedPrioritisation()
    rows = w.rice.set_index("item_id")
    assert rows.loc["B01", "score"] == 1620 and rows.loc["B03", "score"] == 7.5
    assert rows.loc["B18", "score"] == 60 and rows.loc["B02", "score"] == 960
    assert w.best.total_score > w.greedy.total_score


# --- the ordering task -----------------------------------------------------------------------
@pytest.fixture
def meeting(workbook_path):
    return MeetingOrder(Workbook(workbook_path))


def test_meeting_in_order(meeting):
    for d, step in zip(meeting.positions, MEETING, strict=True):
        d.value = step
    assert "6 of 6 in the right place" in meeting.feedback.text
    assert "The whole meeting in order" in meeting.feedback.text


def test_meeting_out_of_order_says_why(meeting):
    order = [MEETING[2], MEETING[1], MEETING[0], *MEETING[3:]]
    for d, step in zip(meeting.positions, order, strict=True):
        d.value = step
    text = meeting.feedback.text
    assert "4 of 6 in the right place" in text
    assert "Scores only mean something against a goal" in text


def test_meeting_repeated_and_partial(meeting):
    meeting.positions[0].value = MEETING[0]
    assert "1 of 6 placed" in meeting.feedback.text
    meeting.positions[1].value = MEETING[0]
    assert "chosen more than once" in meeting.feedback.text


def test_meeting_survives_a_restart(meeting, workbook_path):
    meeting.positions[0].value = MEETING[0]
    again = MeetingOrder(Workbook(workbook_path))
    assert again.positions[0].value == MEETING[0]
