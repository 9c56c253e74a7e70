"""notebooks/40-shift4/40-decide.ipynb: the ReadAndDecide exercise, its data, driven headlessly."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pivot import data, plots
from pivot.exercises.shift4 import decide as de
from pivot.exercises.shift4.decide import ReadAndDecide
from pivot.frameworks import decisions as dc
from pivot.frameworks import experiments
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def ex(workbook_path):
    return ReadAndDecide(Workbook(workbook_path))


# --- data -----------------------------------------------------------------------------------
def test_door_data_is_valid_and_balanced():
    doors = de.load_doors()
    # D01 is the design the experiment pages arrive at: technicians randomised, not accounts
    d01 = next(d for d in doors if d["decision_id"] == "D01")
    assert "half of each account's technicians" in d01["decision"]
    assert 6 <= len(doors) <= 8
    kinds = {d["door"] for d in doors}
    assert kinds == set(dc.DOORS)
    for d in doors:
        assert d["why"]
        assert bool(d["make_it_two_way"]) == (d["door"] == "one_way"), d["decision_id"]


def test_tables_agree_with_the_raw_csv():
    with open(ROOT / "data" / "decision_tables.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    t1 = [r for r in rows if r["table_id"] == "T1"]
    # by hand from the CSV: EV(map) = .4·120 + .6·(−60) = 12, EV(fix) = 40, EVPI = 72 − 40 = 32
    ev = {}
    for r in t1:
        ev[r["action"]] = ev.get(r["action"], 0) + float(r["probability"]) * float(r["payoff"])
    assert sorted(round(v, 9) for v in ev.values()) == [12, 40]
    r1 = dc.evpi(de.load_tables()["T1"]["table"])
    assert r1.evpi == 32
    r2 = dc.evpi(de.load_tables()["T2"]["table"])
    assert (r2.best_expected, r2.with_perfect, r2.evpi) == (30, 45, 15)


def test_bad_tables_csv_names_the_field(tmp_path, monkeypatch):
    text = (ROOT / "data" / "decision_tables.csv").read_text(encoding="utf-8")
    (tmp_path / "decision_tables.csv").write_text(text.replace(",0.6,-60", ",0.7,-60"), "utf-8")
    monkeypatch.setattr(data, "data_dir", lambda: tmp_path)
    de._tables.cache_clear()
    try:
        with pytest.raises(data.DataError, match="same probability for state"):
            de.load_tables()
        both = text.replace(",0.6,-60", ",0.7,-60").replace(",0.6,40", ",0.7,40")
        (tmp_path / "decision_tables.csv").write_text(both, "utf-8")
        de._tables.cache_clear()
        with pytest.raises(data.DataError, match="must add up to 1"):
            de.load_tables()
        (tmp_path / "decision_tables.csv").write_text(text.replace(",0.4,120", ",1.4,120"), "utf-8")
        de._tables.cache_clear()
        with pytest.raises(data.DataError, match="probability"):
            de.load_tables()
    finally:
        de._tables.cache_clear()


def test_default_design_uses_the_course_formula_and_the_traffic_data():
    # pooled formula by hand for 30 % → 25 %, 5 %/80 %: p̄ = .275,
    # n = (1.959964·√(2·.275·.725) + 0.841621·√(.3·.7 + .25·.75))² / .05² = 1,250.1 → 1,251
    by_hand = (
        1.959964 * (2 * 0.275 * 0.725) ** 0.5 + 0.841621 * (0.3 * 0.7 + 0.25 * 0.75) ** 0.5
    ) ** 2 / 0.05**2
    assert 1250 < by_hand < 1251
    assert de.DEFAULT_DESIGN["n_per_group"] == 1251
    assert (
        de.DEFAULT_DESIGN["n_per_group"] == experiments.sample_size_absolute(0.3, -0.05).n_control
    )
    with open(ROOT / "data" / "experiment_traffic.csv", encoding="utf-8") as f:
        u2 = next(r for r in csv.DictReader(f) if r["unit_id"] == "U2")
    assert u2["metric"] == de.DEFAULT_DESIGN["metric"]
    assert float(u2["baseline_rate"]) == de.DEFAULT_DESIGN["baseline"]
    assert int(u2["population"]) >= 2 * 1251  # the technician test can reach its sample


def test_the_page_worked_example_is_the_default_design_of_design_the_experiment(monkeypatch):
    import myst_nb

    from pivot.exercises.shift4 import experiment

    assert experiment.default_design() == de.DEFAULT_DESIGN  # declared once, on page 30
    assert de.WORKED_RESULT["n"] == de.DEFAULT_DESIGN["n_per_group"]
    crit = dc.Criteria.make(de.DEFAULT_DESIGN["success"], de.DEFAULT_DESIGN["kill"])
    w = de.WORKED_RESULT
    r = dc.read_result(w["control"], w["n"], w["treatment"], w["n"])
    assert dc.rule_decision(r, crit, lower_is_better=True) == "iterate"
    assert abs(r.rate_control - de.DEFAULT_DESIGN["baseline"]) < 0.005  # control at the baseline
    glued = {}
    monkeypatch.setattr(
        myst_nb, "glue", lambda key, value, display=True: glued.update({key: value})
    )
    de.glue_numbers("dd")
    assert (glued["dd_n"], glued["dd_w_n"], glued["dd_days"]) == ("1,251", "1,251", "9")
    assert (glued["dd_baseline"], glued["dd_mde"]) == ("30 %", "-5 points")
    nb = json.loads((ROOT / "notebooks" / "40-shift4" / "40-decide.ipynb").read_text("utf-8"))
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    import re

    used = set(re.findall(r"<!--glue ([^ :>-]+)", md))
    assert "dd_days" in used and used <= set(glued)


def test_worked_result_by_hand():
    w = de.WORKED_RESULT
    r = dc.read_result(w["control"], w["n"], w["treatment"], w["n"])
    p1, p2 = 375 / 1251, 328 / 1251
    se = (p1 * (1 - p1) / 1251 + p2 * (1 - p2) / 1251) ** 0.5
    est, low, _high = dc.improvement(r, lower_is_better=True)
    assert abs(est - (p1 - p2)) < 1e-12
    assert abs(low - (p1 - p2 - 1.959964 * se)) < 1e-6
    assert low > 0 and 0.01 <= est < 0.04  # real, below the 4 points worth shipping
    crit = dc.Criteria.make(0.05, 0.01)
    assert dc.rule_decision(r, crit, lower_is_better=True) == "ship"
    assert dc.rule_decision(r, dc.Criteria.make(0.05, 0.04), lower_is_better=True) == "iterate"
    assert dc.rule_decision(r, crit) == "kill"  # read the wrong way round, a fall looks bad


# --- part 1: the result ---------------------------------------------------------------------
def test_result_hidden_until_criteria_locked(ex):
    assert ex.result_html.value == "" and ex.decision.disabled
    assert "Lock them" in ex.result_feedback.text
    ex.lock_button.click()
    assert "confidence interval" in ex.result_html.value and "Wald" in ex.result_html.value
    assert not ex.decision.disabled and ex.lock_button.disabled


def test_same_design_same_result(workbook_path, tmp_path):
    a = ReadAndDecide(Workbook(workbook_path))
    b = ReadAndDecide(Workbook(tmp_path / "other.json"))
    assert a.sim == b.sim


def test_decision_following_the_criteria(ex):
    ex.lock_button.click()
    assert ex.lower_is_better  # the default design hopes for a fall
    rule = dc.rule_decision(ex.sim.result, ex.locked, lower_is_better=True)
    ex.decision.value = rule
    assert "follows the criteria you locked" in ex.result_feedback.text
    assert "true improvement" in ex.result_feedback.text
    other = next(d for d in dc.DECISIONS if d != rule)
    ex.decision.value = other
    assert f"say {rule}, not {other}" in ex.result_feedback.text


def test_moving_the_goalposts_is_named(workbook_path):
    ex = ReadAndDecide(Workbook(workbook_path))
    # force a result that is real but below a bar worth shipping of 4 points locked first
    w = de.WORKED_RESULT
    ex.sim = dc.SimulatedResult(
        dc.read_result(w["control"], w["n"], w["treatment"], w["n"]), 0.05, 1.0, 0
    )
    ex.worth_box.value = 4.0
    ex.lock_button.click()
    ex.worth_box.value = 3.0  # after the data
    ex.decision.value = "ship"
    text = ex.result_feedback.text
    assert "Moving the goalposts" in text and "fits only the new criteria" in text
    assert any(m.level == "error" for m in ex.result_feedback.messages)
    assert "say iterate, not ship" in text
    assert "worth shipping +4 points → +3 points" in text
    assert "a fall in the rate is good here" in ex.result_html.value


def test_bad_criteria_explained(ex):
    ex.worth_box.value = 9
    text = ex.result_feedback.text
    assert "must not be above it" in text
    assert "smallest improvement worth shipping: must not be above the improvement the test" in text
    ex.lock_button.click()
    assert ex.locked is None


def test_saved_design_is_used_when_there(workbook_path, monkeypatch):
    import sys
    import types

    fake = types.ModuleType("pivot.exercises.shift4.experiment")
    fake.saved_design = lambda wb: {
        "baseline": 30,
        "mde": 0.1,
        "n_per_group": 400,
        "success": "ship if +10 points",
        "hypothesis": "<b>x</b>",
    }
    monkeypatch.setitem(sys.modules, "pivot.exercises.shift4.experiment", fake)
    ex = ReadAndDecide(Workbook(workbook_path))
    assert ex.design["baseline"] == 0.3 and ex.design["n_per_group"] == 400
    assert ex.design["success"] == 0.1  # the kill criterion's bar is the mde, sized for
    assert ex.design["kill"] == 0.0  # a success criterion in words: nothing to read a bar from
    assert not ex.lower_is_better
    assert "&lt;b&gt;x&lt;/b&gt;" in ex.design_html.value
    assert ex.sim == dc.simulate_result(0.3, 0.1, 400)
    fake.saved_design = lambda wb: {
        "baseline": 0.2,
        "mde": -0.05,
        "n_per_group": 906,
        "feasible": False,
    }
    ex3 = ReadAndDecide(Workbook(workbook_path.with_name("c.json")))
    assert ex3.lower_is_better and ex3.design["success"] == 0.05
    fake.saved_design = lambda wb: {"baseline": 0.3, "mde": -0.05, "success": "4", "kill": "5"}
    ex4 = ReadAndDecide(Workbook(workbook_path.with_name("d.json")))
    # the success criterion written as a bare number is the bar worth shipping
    assert (ex4.design["success"], ex4.design["kill"]) == (0.05, 0.04)
    assert (ex4.sized_box.value, ex4.worth_box.value) == (5.0, 4.0)
    assert "cannot be reached" in ex3.design_html.value
    fake.saved_design = lambda wb: 1 / 0  # a broken page never breaks this one
    ex2 = ReadAndDecide(Workbook(workbook_path.with_name("b.json")))
    assert ex2.design["n_per_group"] == de.DEFAULT_DESIGN["n_per_group"]


def test_the_widget_labels_each_bar_by_what_the_rule_does_with_it(ex):
    assert ex.worth_box.description == "Success: smallest improvement worth shipping (points)"
    assert ex.sized_box.description == "Kill: improvement the test was sized for (points)"
    assert (ex.worth_box.value, ex.sized_box.value) == (4.0, 5.0)  # the default design
    before = ex.result_feedback.text
    assert "Success criterion: ship if the whole interval" in before
    assert "reaches +4 points, the smallest worth shipping" in before
    assert "Kill criterion: kill if even the top of the interval is below +5 points" in before
    # the worked result under the default criteria: the why names both criteria
    w = de.WORKED_RESULT
    ex.sim = dc.SimulatedResult(
        dc.read_result(w["control"], w["n"], w["treatment"], w["n"]), 0.04, 1.0, 0
    )
    ex.lock_button.click()
    ex.decision.value = "iterate"
    text = ex.result_feedback.text
    assert "follows the criteria you locked" in text
    assert (
        "below +4 points, the smallest worth shipping, so the success criterion is not met" in text
    )
    assert "+5 points, is not ruled out, so the kill criterion is not met either" in text
    md = ex.to_markdown(ex.answer())
    assert "improvement reaches 4.0 points (the smallest worth shipping)" in md
    assert "below 5.0 points (the improvement the test was sized for)" in md
    # saved under the older keys, which other pages read: success = sized for, kill = worth
    assert ex.answer()["locked"] == {"success": 5.0, "kill": 4.0}


def test_the_rule_probabilities_are_computed_and_glued(monkeypatch):
    import myst_nb

    glued = {}
    monkeypatch.setattr(
        myst_nb, "glue", lambda key, value, display=True: glued.update({key: value})
    )
    de.glue_numbers("dd")
    assert (glued["dd_worth"], glued["dd_sized"], glued["dd_moved_worth"]) == (
        "+4 points",
        "+5 points",
        "+3 points",
    )
    assert glued["dd_w_rule"] == "iterate" and glued["dd_w_rule_moved"] == "ship"
    assert [glued[f"dd_ps_sized_{d}"] for d in dc.DECISIONS] == ["70.6 %", "26.9 %", "2.5 %"]
    assert [glued[f"dd_ps_worth_{d}"] for d in dc.DECISIONS] == ["49.2 %", "42.8 %", "8.0 %"]
    assert [glued[f"dd_ps_none_{d}"] for d in dc.DECISIONS] == ["1.4 %", "20.7 %", "77.9 %"]
    assert glued["dd_ps_sized_above"] == "80.1 %"
    probs = de.rule_probabilities_default()
    assert (
        probs["sized"].ship
        == dc.rule_probabilities(
            0.3,
            0.05,
            1251,
            dc.Criteria.make(0.05, 0.04),
            lower_is_better=True,
        ).ship
    )
    nb = json.loads((ROOT / "notebooks" / "40-shift4" / "40-decide.ipynb").read_text("utf-8"))
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for key in ("dd_ps_sized_ship", "dd_ps_worth_ship", "dd_ps_none_kill", "dd_ps_sized_above"):
        assert f"<!--glue {key}-->" in md
    # the labels say what the rule does: no "kill below +4", no "success at +5"
    for stale in ("eight times in ten", "kill threshold", "success threshold", "Kill below",
                  "kill below", "worth keeping", "likely to understate",
                  "notification on for the pilot accounts", "one in ten accounts"):  # fmt: skip
        assert stale not in md, stale
    assert "half of each account's technicians, behind a flag, is a two-way door (D01)" in md
    assert "ship**, the success criterion" in md and "kill**, the kill criterion" in md


# --- part 2: doors --------------------------------------------------------------------------
def test_doors_feedback(ex):
    doors = de.load_doors()
    right, wrong = doors[0], doors[2]
    ex.door_boxes[right["decision_id"]].value = right["door"]
    flip = "two_way" if wrong["door"] == "one_way" else "one_way"
    ex.door_boxes[wrong["decision_id"]].value = flip
    text = ex.door_feedback.text
    assert "1 of 2 answered" in text
    assert wrong["why"] in text
    if wrong["make_it_two_way"]:
        assert "To make it two-way" in text


# --- part 3: EVPI ---------------------------------------------------------------------------
def test_evpi_calculator_and_faded_steps(ex):
    assert "<strong>32</strong>" in ex.evpi_html.value
    ex.my_with_perfect.value = "72"
    ex.my_evpi.value = "30"
    text = ex.evpi_feedback.text
    assert "expected value with perfect information is right" in text
    assert "Your EVPI, 30, is not it yet" in text
    ex.payoff_boxes[1][0].value = 130.0  # fixing first is best in both states now
    assert "EVPI is 0" in ex.evpi_feedback.text
    ex.prob_boxes[0].value = 0.5  # 0.5 + 0.6
    assert "must add up to 1" in ex.evpi_feedback.text
    ex.reset_button.click()
    assert "<strong>32</strong>" in ex.evpi_html.value
    ex.table_choice.value = "T2"
    assert len(ex.payoff_boxes) == 3 and "<strong>15</strong>" in ex.evpi_html.value


def test_feedback_is_fast(ex):
    ex.lock_button.click()
    for v in (100.0, 110.0, 120.0):
        ex.payoff_boxes[0][0].value = v
    ex.decision.value = "kill"


# --- save and restore -----------------------------------------------------------------------
def test_save_and_restore(workbook_path):
    ex = ReadAndDecide(Workbook(workbook_path))
    ex.lock_button.click()
    ex.decision.value = "iterate"
    ex.door_boxes["D01"].value = "two_way"
    ex.table_choice.value = "T2"
    ex.payoff_boxes[0][0].value = 100.0
    ex.my_evpi.value = "1/3"
    ex.reflection.value = "It was a two-way door."
    again = ReadAndDecide(Workbook(workbook_path))
    assert again.locked == ex.locked and again.decision.value == "iterate"
    assert again.door_boxes["D01"].value == "two_way"
    assert again.table_choice.value == "T2" and again.payoff_boxes[0][0].value == 100.0
    assert again.my_evpi.value == "1/3" and again.reflection.value == "It was a two-way door."
    md = again.to_markdown(again.answer())
    assert "Decision: iterate." in md and "two-way" in md


@pytest.mark.parametrize(
    "saved",
    [
        "nonsense",
        [1, 2],
        {"criteria": "x", "locked": [1], "decision": "launch", "doors": {"D99": "maybe"}},
        {"edits": {"T1": {"probabilities": [2, -1], "payoffs": "x"}, "T9": {}}, "table": "T9"},
        {"faded": {"evpi": 5}, "reflection": "x" * (MAX_TEXT_CHARS + 1)},
        {"locked": {"success": 1, "kill": 5}, "decision": "ship"},
        {"doors": "all", "edits": [], "faded": None, "criteria": {"success": True, "kill": 1}},
    ],
)
def test_restore_tolerates_malformed(workbook_path, saved):
    wb = Workbook(workbook_path)
    wb.save("shift4.read_and_decide", saved if isinstance(saved, dict) else {"x": saved})
    if not isinstance(saved, dict):
        raw = json.loads(workbook_path.read_text("utf-8"))
        raw["exercises"]["shift4.read_and_decide"]["answer"] = saved
        workbook_path.write_text(json.dumps(raw), "utf-8")
    ex = ReadAndDecide(Workbook(workbook_path))
    assert ex.save_control.status.value  # says something
    assert ex.locked is None or isinstance(ex.locked, dc.Criteria)
    ex.lock_button.click()
    assert ex.result_html.value


def test_over_long_reflection_is_refused(ex):
    ex.reflection.value = "x" * (MAX_TEXT_CHARS + 1)
    assert "Not saved" in ex.save_control.text and "My reflection" in ex.save_control.text


def test_learner_text_is_escaped(ex):
    ex.my_evpi.value = "<script>"
    assert "<script>" not in ex.evpi_feedback.widget.value


# --- the chart ------------------------------------------------------------------------------
def test_result_chart_shows_the_numbers():
    fig = plots.result_interval_chart(0.035, 0.004, 0.066, success=0.05, kill=0.01)
    d = fig.data
    assert d["points"]["difference"] == pytest.approx(3.5)
    xs = {k: v["x"] for k, v in d["refs"].items()}
    assert xs["zero"] < xs["kill"] < xs["success"]
    assert d["interval"]["x1"] < d["interval"]["x"] < d["interval"]["x2"]
    assert "3.5 percentage points" in fig.alt and 'role="img"' in fig.to_html()
    boxes = [v["box"] for v in d["refs"].values()] + [d["interval"]["box"]]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not plots._boxes_meet(a, b)
    with pytest.raises(ValueError, match="difference must lie within"):
        plots.result_interval_chart(0.2, 0.0, 0.1, success=0.05, kill=0.01)


def test_result_chart_labels_each_bar_by_what_the_rule_does_with_it():
    fig = plots.result_interval_chart(0.0376, 0.0024, 0.0728, success=0.05, kill=0.04)
    labels = {k: v["label"] for k, v in fig.data["refs"].items()}
    assert labels["kill"] == "worth shipping: 4 (success)"
    assert labels["success"] == "sized for: 5 (kill if the top is below)"
    assert "kill below" not in fig.alt and "success at" not in fig.alt
    assert "the smallest improvement worth shipping, 4" in fig.alt
    assert "the improvement the test was sized for, 5" in fig.alt


def test_page_answer_key_agrees_with_the_doors_data():
    import re

    nb = json.loads((ROOT / "notebooks" / "40-shift4" / "40-decide.ipynb").read_text("utf-8"))
    key = next(
        "".join(c["source"]) for c in nb["cells"] if "Answer key" in "".join(c["source"])[:40]
    )
    found = dict(re.findall(r"^\| (D\d{2}) \|[^|]+\| (one-way|two-way) \|", key, re.M))
    expected = {d["decision_id"]: d["door"].replace("_", "-") for d in de.load_doors()}
    assert found == expected


def test_unusable_payoff_is_explained(ex):
    ex.payoff_boxes[0][1].value = float("nan")
    assert "must be a finite number" in ex.evpi_feedback.text
    assert ex.evpi_html.value == ""
    ex.sized_box.value = 500.0
    assert "must be above zero" in ex.result_feedback.text
