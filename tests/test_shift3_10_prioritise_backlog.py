"""notebooks/30-shift3/10-prioritise-backlog.ipynb, driven headlessly as a learner would."""

from __future__ import annotations

import pytest
from support import synthetic_backlog

from pivot import data
from pivot.exercises import PrioritiseBacklog
from pivot.exercises.prioritise_backlog import MAX_OPTIONS, TOP_SHOWN, WorkedPrioritisation
from pivot.frameworks import prioritization as p
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

BACKLOG = data.load("backlog")
RICE = p.score_backlog(BACKLOG, "rice")
WSJF = p.score_backlog(BACKLOG, "wsjf")


def synthetic(n: int, seed: int = 0):
    return synthetic_backlog(n, seed, max_reach=50)


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
        f"{v} person-months → rank {r}"
        for v, r in zip(expected["value"], expected["rank"], strict=False)
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


def test_rerank_agrees_with_score_backlog_on_a_large_backlog_with_ties(workbook_path):
    big = synthetic(1000)
    ex = PrioritiseBacklog(Workbook(workbook_path), backlog=big)
    assert ranked_ids(ex) == list(p.score_backlog(big)["item_id"])
    ex.method.value = "wsjf"
    assert ranked_ids(ex) == list(p.score_backlog(big, "wsjf")["item_id"])


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
    ex.reflection.value = "I would defend B11 with the arrival-call counts."
    again = PrioritiseBacklog(Workbook(workbook_path))
    assert again.gut() == ["B03", "B01"] and again.method.value == "wsjf"
    assert again.overrides == {"B05": {"effort": 1.0}} and again.item.value == "B05"
    assert again.effort.value == 1.0
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
    # B03 stays near the bottom even at full confidence; B05 enters the top five if the
    # engineers halved its effort
    assert w.b03_confidence.set_index("value").loc[100, "rank"] > 20
    assert w.b05_effort.iloc[0]["entered"] == ("B05",)


def test_ranking_page_has_no_plan_and_the_effort_control_says_whose_estimate_it_is(ex):
    assert not hasattr(ex, "capacity") and "capacity" not in ex.answer()
    assert "engineers' estimate" in ex.effort_note.value
    assert "re-estimate by them" in ex.effort_note.value
    assert ex.effort.description.startswith("Engineers' re-estimate")
    ex.item.value = "B03"
    text = ex.sensitivity_feedback.text
    assert "by your confidence" in text and "if the engineers re-estimated its effort" in text
    # the PM's own estimate comes first
    assert text.index("by your confidence") < text.index("engineers re-estimated")


def test_worked_tables_use_human_headers():
    w = WorkedPrioritisation()
    html = w.steps_table().to_html() + w.wsjf_table().to_html()
    assert "RICE reach (accounts per quarter)" in html and "Cost of delay" in html
    for raw in ("item_id", "cost_of_delay", "job_size", ">reach<", ">effort<"):
        assert raw not in html
