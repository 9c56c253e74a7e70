"""notebooks/30-shift3/15-ranking-to-plan.ipynb, driven headlessly as a learner would."""

from __future__ import annotations

import math
import time

import pytest
from support import synthetic_backlog

from pivot import data
from pivot.exercises import CapacityPlanner, MeetingOrder, PrioritiseBacklog
from pivot.exercises.meeting_order import CORRECT as MEETING
from pivot.exercises.prioritise_backlog import WorkedCapacityPlan
from pivot.frameworks import prioritization as p
from pivot.workbook import Workbook

BACKLOG = data.load("backlog")
RICE = p.score_backlog(BACKLOG, "rice")
WSJF = p.score_backlog(BACKLOG, "wsjf")


def synthetic(n: int, seed: int = 0):
    return synthetic_backlog(n, seed, max_reach=900)


@pytest.fixture
def plan(workbook_path):
    return CapacityPlanner(Workbook(workbook_path))


@pytest.mark.parametrize("capacity", [0, 0.5, 1, 5.5, 12, 30, 112, 200])
def test_plans_are_the_frameworks_by_total_value(plan, capacity):
    plan.capacity.value = str(capacity)
    greedy, best = plan.plans
    framework = p.fit_capacity_best(RICE, capacity)
    assert greedy.items == p.fit_capacity_greedy(RICE, capacity).items
    assert best.total_value == pytest.approx(framework.total_value)
    assert set(best.items) == set(framework.items)
    assert best.total_value >= greedy.total_value


def test_feedback_compares_plans_by_value_and_shows_capacity_used(plan):
    text = plan.capacity_feedback.text
    assert "Capacity plan for 12 person-months by RICE" in text
    greedy = p.fit_capacity_greedy(RICE, 12)
    best = p.fit_capacity_best(RICE, 12)
    assert f"total value {greedy.total_value:g}, using 12 of 12 person-months" in text
    assert f"total value {best.total_value:g}" in text
    assert "B05 (value 912, 5 person-months) instead" in text and "(+98)" in text
    plan.capacity.value = "0"
    assert "Nothing fits in 0 person-months" in plan.capacity_feedback.text


def test_wsjf_plans_by_cost_of_delay_in_job_size_points(plan):
    plan.method.value = "wsjf"
    assert plan.capacity.value == "30"  # the default follows the method's unit
    assert plan.capacity.description == "Team capacity (job-size points)"
    _greedy, best = plan.plans
    framework = p.fit_capacity_best(WSJF, 30, cost_col="job_size")
    assert best.total_value == framework.total_value and best.value_name == "cost of delay"
    assert "total cost of delay" in plan.capacity_feedback.text
    plan.capacity.value = "7"
    plan.method.value = "rice"
    assert plan.capacity.value == "7"  # a typed capacity is the learner's: kept


def test_moscow_check_uses_the_capacity(plan):
    assert p.moscow_check(BACKLOG, 12).message in plan.moscow_feedback.text
    assert "above DSDM's guideline of at most 60%" in plan.moscow_feedback.text
    plan.capacity.value = "40"
    assert "within DSDM's guideline" in plan.moscow_feedback.text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("nan", "(got NaN)"),
        ("inf", "(got infinity)"),
        ("-inf", "(got -infinity)"),
        ("-3", "at least 0 person-months (got -3)"),
        ("twelve", "such as 12 or 7.5 (got &#x27;twelve&#x27;)"),
        ("", "Capacity is empty"),
        ("1e400", "(got infinity)"),
        ("1e9", "at most 100,000 person-months"),
        (math.nan, "(got NaN)"),
        ("<script>x</script>", "&lt;script&gt;"),
    ],
)
def test_bad_capacity_gets_a_message_at_the_control_and_nothing_breaks(
    plan, workbook_path, typed, message
):
    plan.reflection.value = "still here"
    plan.capacity.value = typed
    assert message in plan.capacity_message.value
    assert "<script>" not in plan.capacity_message.value
    assert plan.plans is None and "waiting for a valid capacity" in plan.capacity_feedback.text
    assert "Saved" in plan.save_control.text
    # the rest keeps working and saving
    plan.method.value = "wsjf"
    plan.reflection.value = "still here, and saved"
    again = CapacityPlanner(Workbook(workbook_path))
    assert again.reflection.value == "still here, and saved"
    assert again.method.value == "wsjf"
    assert again.capacity.value == str(typed)[:200]  # what was typed is kept, with its message
    # now planned by WSJF, so the same message speaks of job-size points
    assert message.replace("person-months", "job-size points") in again.capacity_message.value
    plan.capacity.value = "12"
    assert plan.capacity_message.value == "" and plan.plans is not None


def test_number_set_from_code_becomes_text(plan):
    plan.capacity.value = 7.5
    assert plan.capacity.value == "7.5" and plan.plans[0].capacity == 7.5


def test_gut_picks_come_from_the_ranking_page(workbook_path):
    ranking = PrioritiseBacklog(Workbook(workbook_path))
    for d, v in zip(ranking.picks, ["B03", "B01", "B05", "B07"], strict=False):
        d.value = v
    ranking.method.value = "wsjf"
    plan = CapacityPlanner(Workbook(workbook_path))
    assert plan.method.value == "wsjf" and plan.gut_picks == ["B03", "B01", "B05", "B07"]
    plan.method.value = "rice"
    text = plan.gut_feedback.text
    assert "2 of 4 in the best set" in text
    assert "B01 (value 1620, 1 person-month): in the best set" in text
    assert (
        "B07 (value 400, 3 person-months): taken going down the ranking, but not in the best set"
        in text
    )
    assert "B03 (value 45, 6 person-months): left out of both plans" in text


def test_without_a_ranking_the_planner_asks_for_one(plan):
    assert plan.gut_picks == [] and "none saved yet" in plan.gut_feedback.text


def test_damaged_ranking_save_is_ignored(workbook_path):
    Workbook(workbook_path).save(
        "shift3.prioritise_backlog", {"picks": ["B01", 7, "B01", "NOPE"], "method": ["x"]}
    )
    plan = CapacityPlanner(Workbook(workbook_path))
    assert plan.gut_picks == ["B01"] and plan.method.value == "rice"


def test_plan_survives_a_restart_and_exports(plan, workbook_path):
    plan.method.value = "wsjf"
    plan.capacity.value = "25"
    plan.reflection.value = "Greedy is fine when the tail is all small items."
    again = CapacityPlanner(Workbook(workbook_path))
    assert again.method.value == "wsjf" and again.capacity.value == "25"
    assert "Welcome back" in again.save_control.status.value
    md = Workbook(workbook_path).export_markdown()
    assert "Capacity: 25 job-size points" in md and "Best set (total cost of delay" in md


def test_damaged_plan_save_keeps_what_it_can(workbook_path):
    Workbook(workbook_path).save(
        "shift3.capacity_plan", {"method": 3, "capacity": "x" * 500, "reflection": None}
    )
    plan = CapacityPlanner(Workbook(workbook_path))
    status = plan.save_control.status.value
    assert "method" in status and "capacity" in status and "reflection" in status
    assert plan.capacity.value == "12"
    Workbook(workbook_path).save("shift3.capacity_plan", ["nope"])
    again = CapacityPlanner(Workbook(workbook_path))
    assert "starting afresh" in again.save_control.status.value


def test_old_numeric_capacity_is_read(workbook_path):
    Workbook(workbook_path).save("shift3.capacity_plan", {"method": "rice", "capacity": 7.5})
    assert CapacityPlanner(Workbook(workbook_path)).capacity.value == "7.5"


def test_ranking_with_plan_for_the_upload_exercise(workbook_path):
    class WithPlan(PrioritiseBacklog):
        with_plan = True

    ex = WithPlan(Workbook(workbook_path))
    ex.capacity.value = 3
    assert (
        "Going down the RICE ranking" in ex.capacity_feedback.text
        and ex.answer()["capacity"] == "3"
    )
    ex.capacity.value = "nan"
    assert "(got NaN)" in ex.capacity_message.value


def test_ten_thousand_rows_stay_fast(workbook_path):
    plan = CapacityPlanner(Workbook(None), backlog=synthetic(10_000, seed=1))
    times = []
    for capacity in ["12", "30", "7.5", "60", "12"] * 4:
        t0 = time.perf_counter()
        plan.capacity.value = capacity
        times.append(time.perf_counter() - t0)
        greedy, best = plan.plans
        assert best.total_value >= greedy.total_value
    assert sorted(times)[int(0.95 * len(times)) - 1] < 0.1
    big = p.score_backlog(synthetic(10_000, seed=1))
    assert best.total_value == pytest.approx(p.fit_capacity_best(big, 12).total_value)


def test_worked_example_numbers():
    w = WorkedCapacityPlan()
    assert w.best.total_value > w.greedy.total_value
    assert "B05" in w.best.items and "B05" not in w.greedy.items
    assert w.turn_best.total_value > w.turn_greedy.total_value
    assert not w.moscow.passed and w.moscow_fixed.passed and not w.moscow_b03.passed
    html = w.plan_table().to_html()
    assert "Down the ranking" in html and "item_id" not in html


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


def test_meeting_repeated_and_partial(meeting):
    meeting.positions[0].value = MEETING[0]
    assert "1 of 6 placed" in meeting.feedback.text
    meeting.positions[1].value = MEETING[0]
    assert "chosen more than once" in meeting.feedback.text


def test_meeting_survives_a_restart(meeting, workbook_path):
    meeting.positions[0].value = MEETING[0]
    again = MeetingOrder(Workbook(workbook_path))
    assert again.positions[0].value == MEETING[0]
