"""notebooks/20-shift2/30-negotiate.ipynb: the data, and both exercises driven headlessly."""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

from pivot import data
from pivot.exercises.shift2 import negotiation as ng
from pivot.exercises.shift2.negotiation import Negotiation, PositionsInterests
from pivot.frameworks import negotiation as neg
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
STATEMENTS = ng.load_statements()
SPLIT = ("readonly", "quarter", "both", "contact")
MARCUS_POSITION = ("map", "weeks6", "granite", "week")
YOUR_POSITION = ("texts", "twoquarters", "current", "standard")


def raw_rows(name):
    with open(ROOT / "data" / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def hand_score(pkg):
    """Both sides' points for a package, summed straight from the CSV (not the framework)."""
    rows = {(r["issue_id"], r["option_id"]): r for r in raw_rows("negotiation_issues.csv")}
    issues = list(dict.fromkeys(r["issue_id"] for r in raw_rows("negotiation_issues.csv")))
    you = sum(float(rows[(i, o)]["your_points"]) for i, o in zip(issues, pkg, strict=True))
    marcus = sum(float(rows[(i, o)]["marcus_points"]) for i, o in zip(issues, pkg, strict=True))
    return you, marcus


# --- the data -----------------------------------------------------------------------------
def test_statements_are_marcus_positions_and_interests_with_the_interest_behind_each_position():
    assert 8 <= len(STATEMENTS) <= 10
    counts = STATEMENTS["label"].value_counts()
    assert counts["position"] >= 3 and counts["interest"] >= 3
    for r in STATEMENTS.itertuples(index=False):
        assert (r.label == "position") == isinstance(r.interest_behind, str), r.statement_id


def test_the_case_agrees_with_the_other_data_sets():
    backlog = data.load("backlog").set_index("item_id")
    b03 = backlog.loc["B03"]
    assert (b03.reach, b03.impact, b03.confidence, b03.effort) == (90, 1, 50, 6)
    assert ng.page_numbers()["rice_b03"] == "7.5"  # 90 × 1 × 0.5 ÷ 6
    assert ng.page_numbers()["rice_b11"] == "256"  # 320 × 2 × 0.8 ÷ 2
    assert backlog.loc["B11", "title"].startswith("Text the customer an arrival window")
    # the three current accounts in the pilot are the ones whose interviews raised late arrivals
    interviews = data.load("interviews")
    late = set(interviews.loc[interviews["pain_point"] == "late_arrival_calls", "customer_id"])
    options = " ".join(r["option"] for r in raw_rows("negotiation_issues.csv"))
    for cid in re.findall(r"C\d{2}", options):
        assert cid in late, cid
    # people: Marcus Bell and Rachel Dunn, Granite Peak's 310 technicians, as in the case study
    case = (ROOT / "book" / "case-study.md").read_text(encoding="utf-8")
    assert "| Marcus Bell | VP of sales |" in case
    assert "Rachel Dunn | VP of operations" in case
    text = " ".join(STATEMENTS["statement"]) + " ".join(STATEMENTS["interest_behind"].dropna())
    assert "Rachel Dunn" in text and "310 technicians" in text
    assert "Dana Okafor" in ng.load_sides().set_index("side").loc["you", "batna"]


def test_the_tables_make_a_trade_across_issues_matter():
    t = ng.Case().tables
    assert 3 <= len(t.issues) <= 4
    assert all(2 <= len(o) <= 4 for o in t.issues.values())
    weight = {s: {i: max(t.points[s][i].values()) for i in t.issues} for s in t.sides}
    # each side's most important issue is a different one
    assert max(weight["you"], key=weight["you"].get) == "scope"
    assert max(weight["marcus"], key=weight["marcus"].get) == "date"
    assert sum(weight["you"].values()) == sum(weight["marcus"].values()) == 100
    assert neg.zopa_exists(t)
    # splitting the difference is dominated; by hand from the CSV: 20+12+18+6, 12+30+7+15
    assert ng.Case().split_the_difference() == SPLIT
    assert hand_score(SPLIT) == (56, 64)
    assert not neg.evaluate(t, SPLIT).on_frontier
    # each side's opening position gives the other side nothing and lies outside the zone
    assert hand_score(MARCUS_POSITION) == (0, 100) and hand_score(YOUR_POSITION) == (100, 0)
    assert not neg.feasible(t, MARCUS_POSITION) and not neg.feasible(t, YOUR_POSITION)


def test_the_trade_that_beats_splitting_the_difference():
    case = ng.Case()
    near = case.nearest_better(SPLIT)
    # take the scope you weigh most (texts), give Marcus the date he weighs most (six weeks)
    assert near == ("texts", "weeks6", "both", "contact")
    assert hand_score(near) == (69, 67)  # 45+0+18+6, 0+45+7+15
    best = neg.best_joint(case.tables)
    assert {hand_score(p) for p in best} == {(63, 77), (70, 70)}


# --- data validation ----------------------------------------------------------------------
@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    for f in ("marcus_statements.csv", "negotiation_issues.csv", "negotiation_sides.csv"):
        shutil.copy(ROOT / "data" / f, tmp_path / f)
    monkeypatch.setenv("PIVOT_DATA_DIR", str(tmp_path))
    return tmp_path


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_position_without_its_interest_is_refused_naming_line_and_column(data_copy):
    rows = raw_rows("marcus_statements.csv")
    edit(data_copy / "marcus_statements.csv", rows[0]["interest_behind"], "")
    with pytest.raises(data.DataError) as info:
        ng.load_statements()
    assert str(info.value).startswith("marcus_statements.csv, line 2, column 'interest_behind'")


def test_bad_points_in_the_issues_file_are_named(data_copy):
    edit(data_copy / "negotiation_issues.csv", ",0,20,", ",lots,20,")
    with pytest.raises(data.DataError) as info:
        ng.load_issues()
    assert "column 'your_points': got 'lots', expected a number from 0 to 100" in str(info.value)


def test_an_option_id_used_twice_in_an_issue_is_named(data_copy):
    edit(
        data_copy / "negotiation_issues.csv",
        "scope,What Granite Peak gets,readonly,",
        "scope,What Granite Peak gets,map,",
    )
    with pytest.raises(neg.NegotiationError, match="line 3, column 'option_id': got 'map'"):
        ng.Case()


def test_a_missing_side_is_refused(data_copy):
    path = data_copy / "negotiation_sides.csv"
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:2]) + "\n")
    with pytest.raises(data.DataError, match="at least 2 row"):
        ng.load_sides()


# --- exercise 1: positions and interests --------------------------------------------------
@pytest.fixture
def pi(workbook_path):
    return PositionsInterests(Workbook(workbook_path))


def test_labelling_every_statement_right(pi):
    for r in STATEMENTS.itertuples(index=False):
        pi.rows[r.statement_id][1].value = r.label
    assert pi.feedback.heading == f"Right: {len(STATEMENTS)} of {len(STATEMENTS)}"
    assert "Every statement labelled right" in pi.feedback.text


def test_a_wrong_label_says_why_and_names_the_interest_behind_the_position(pi):
    pi.rows["M01"][1].value = "interest"
    pi.rows["M04"][1].value = "position"
    text = pi.feedback.text
    assert "M01 is a position, not an interest." in text
    assert "The interest behind it: Winning the Granite Peak deal" in text
    assert "M04 is an interest, not a position." in text
    assert pi.feedback.heading == "Right: 0 of 10"


def test_positions_and_interests_save_and_restore(workbook_path):
    first = PositionsInterests(Workbook(workbook_path))
    first.rows["M02"][1].value = "interest"
    again = PositionsInterests(Workbook(workbook_path))
    assert again.rows["M02"][1].value == "interest"
    assert "Welcome back" in again.save_control.status.value


def test_malformed_saved_labels_are_skipped_and_named(workbook_path):
    Workbook(workbook_path).save(
        "shift2.positions_interests",
        {"labels": {"M01": "demand", "M99": "position", "M03": "interest"}},
    )
    ex = PositionsInterests(Workbook(workbook_path))
    assert ex.rows["M03"][1].value == "interest"
    assert ex.rows["M01"][1].value == ng.UNSET
    assert "could not be used: M01, M99" in ex.save_control.status.value
    Workbook(workbook_path).save("shift2.positions_interests", {"labels": ["M01"]})
    assert "labels" in PositionsInterests(Workbook(workbook_path)).save_control.status.value


# --- exercise 2: the negotiation ----------------------------------------------------------
@pytest.fixture
def ex(workbook_path):
    return Negotiation(Workbook(workbook_path))


def choose(ex, pkg):
    for box, option in zip(ex.pickers.values(), pkg, strict=True):
        box.value = option


def propose(ex, pkg):
    choose(ex, pkg)
    ex.propose_button.click()


def test_only_your_table_before_the_reveal(ex):
    html = ex.widget.children[2].value
    assert "Your points" in html and "Marcus&#x27;s points" not in html
    propose(ex, SPLIT)
    assert "For you: 56 points" in ex.feedback.text
    assert "Marcus would accept" in ex.feedback.text
    assert "For Marcus" not in ex.feedback.text and "64" not in ex.feedback.text
    assert ex.marcus_table.value == "" and ex.chart.value == ""
    assert "64" not in ex.history_html.value


def test_an_incomplete_package_is_not_proposed(ex):
    ex.pickers["scope"].value = "texts"
    ex.propose_button.click()
    assert ex.history == []
    assert "Choose an option for: When Granite Peak sees it working" in ex.feedback.text


def test_marcus_says_no_with_what_he_cares_about(ex):
    propose(ex, YOUR_POSITION)
    text = ex.feedback.text
    assert "Marcus says no." in text
    # the date costs him most (45 points), so that is what he talks about
    assert "Two quarters is too late" in text


def test_a_package_at_your_reservation_exactly_is_acceptable_to_you(ex):
    pkg = ("readonly", "weeks6", "current", "week")
    assert hand_score(pkg) == (45, 82)  # 20 + 0 + 25 + 0 = 45, your reservation value
    propose(ex, pkg)
    assert "For you: 45 points, at least your reservation value of 45." in ex.feedback.text
    assert ex.feedback.heading == "Proposal 1: both of you would accept"
    below = ("readonly", "weeks6", "both", "week")  # 38
    propose(ex, below)
    assert "For you: 38 points, 7 below your reservation value of 45." in ex.feedback.text


def test_reveal_only_after_three_proposals(ex):
    assert ex.reveal_button.disabled
    propose(ex, SPLIT)
    ex.reveal()  # a click on a disabled button can still reach the handler
    assert not ex.revealed and "2 more proposal(s)" in ex.feedback.text
    propose(ex, MARCUS_POSITION)
    assert ex.reveal_button.disabled
    propose(ex, YOUR_POSITION)
    assert not ex.reveal_button.disabled
    ex.reveal_button.click()
    assert ex.revealed and ex.reveal_button.disabled
    assert "Marcus&#x27;s points" in ex.marcus_table.value
    assert "zone of agreement exists: 29 of the 81 packages" in ex.analysis.text
    assert "Splitting the difference on every issue" in ex.analysis.text
    assert "2 of your 3 proposals lie on the efficient frontier" in ex.analysis.text
    assert "<svg" in ex.chart.value and 'role="img"' in ex.chart.value


def test_after_the_reveal_a_dominated_proposal_shows_what_is_left_on_the_table(ex):
    for pkg in (MARCUS_POSITION, YOUR_POSITION, ("map", "quarter", "both", "standard")):
        propose(ex, pkg)
    ex.reveal_button.click()
    propose(ex, SPLIT)
    text = ex.feedback.text
    assert "For Marcus: 64 points (his reservation value: 40); joint value 120." in text
    # best dominating package by hand: 63 + 77 = 140, so 140 − 120 = 20 left on the table
    assert "leaves 20 points of joint value on the table" in text
    assert "The smallest trade that gets there: What Granite Peak gets:" in text
    assert "(you +25, Marcus −12)" in text and "(you −12, Marcus +15)" in text
    propose(ex, ("texts", "weeks6", "current", "week"))
    assert "On the efficient frontier" in ex.feedback.text


def test_feedback_is_fast(ex):
    for pkg in (MARCUS_POSITION, YOUR_POSITION, SPLIT):
        propose(ex, pkg)
    ex.reveal_button.click()
    choose(ex, ("texts", "quarter", "both", "week"))
    ex.propose_button.click()


def test_the_chart_shows_every_package_the_frontier_and_the_proposals(ex):
    for pkg in (SPLIT, SPLIT, MARCUS_POSITION, ("texts", "weeks6", "both", "contact")):
        propose(ex, pkg)
    ex.reveal_button.click()
    fig = ex.figure()
    assert len(fig.data["points"]) == 81
    assert (56, 64) in fig.data["points"]
    assert fig.data["reservations"] == (45, 40)
    # the frontier runs from Marcus's opening position to yours
    assert fig.data["frontier"][0] == (0, 100) and fig.data["frontier"][-1] == (100, 0)
    labels = [p["labels"] for p in fig.data["proposals"]]
    assert ["1", "2"] in labels and ["3"] in labels and ["4"] in labels
    boxes = [p["label_box"] for p in fig.data["proposals"]]
    left, top, w, h = fig.data["plot_box"]
    for i, (x, y, bw, bh) in enumerate(boxes):
        assert left <= x and x + bw <= left + w and top <= y and y + bh <= top + h
        for x2, y2, bw2, bh2 in boxes[i + 1 :]:
            assert not (x < x2 + bw2 and x2 < x + bw and y < y2 + bh2 and y2 < y + bh)
    assert "1, 2 at (56, 64)" in fig.alt and "zone of agreement" in fig.alt


def test_the_negotiation_saves_and_restores(workbook_path):
    first = Negotiation(Workbook(workbook_path))
    for pkg in (SPLIT, MARCUS_POSITION, YOUR_POSITION):
        propose(first, pkg)
    first.reveal_button.click()
    choose(first, ("texts", "weeks6", "both", "week"))
    first.reflection.value = "He cared about the date far more than the map."
    again = Negotiation(Workbook(workbook_path))
    assert again.history == [SPLIT, MARCUS_POSITION, YOUR_POSITION]
    assert again.revealed and again.marcus_table.value
    assert again.chosen() == dict(
        zip(again.case.tables.issues, ("texts", "weeks6", "both", "week"), strict=True)
    )
    assert again.reflection.value.startswith("He cared")
    saved = json.loads(workbook_path.read_text(encoding="utf-8"))
    assert "shift2.negotiation" in json.dumps(saved)
    md = again.to_markdown(again.answer())
    assert "1. A read-only map" in md and "you 56, Marcus 64" in md


def test_malformed_saved_history_is_skipped_and_named(workbook_path):
    Workbook(workbook_path).save(
        "shift2.negotiation",
        {
            "proposals": [
                dict(zip(("scope", "date", "pilot", "support"), SPLIT, strict=True)),
                {"scope": "teleport", "date": "quarter", "pilot": "both", "support": "week"},
                "texts",
                {"scope": "map"},
            ],
            "revealed": True,  # with one usable proposal: not enough to reveal
            "current": {"scope": "map", "date": "yesterday", "colour": "red"},
            "reflection": 42,
        },
    )
    ex = Negotiation(Workbook(workbook_path))
    assert ex.history == [SPLIT]
    assert not ex.revealed
    assert ex.pickers["scope"].value == "map" and ex.pickers["date"].value == ng.UNSET
    status = ex.save_control.status.value
    for part in ("proposal 2", "proposal 3", "proposal 4", "choice for date", "choice for colour"):
        assert part in status
    assert "reflection" in status
    for bad in ("nonsense", {"proposals": "many", "revealed": "yes", "current": []}):
        Workbook(workbook_path).save("shift2.negotiation", bad)
        again = Negotiation(Workbook(workbook_path))
        assert again.history == [] and not again.revealed


def test_an_over_long_reflection_is_refused_but_the_proposals_are_saved(workbook_path):
    ex = Negotiation(Workbook(workbook_path))
    propose(ex, SPLIT)
    ex.reflection.value = "x" * (MAX_TEXT_CHARS + 1)
    assert "Not saved" in ex.save_control.status.value
    again = Negotiation(Workbook(workbook_path))
    assert again.history == [SPLIT] and again.reflection.value == ""


def test_the_history_is_capped(ex):
    choose(ex, SPLIT)
    for _ in range(ng.MAX_PROPOSALS + 5):
        ex.propose_button.click()
    assert len(ex.history) == ng.MAX_PROPOSALS


def test_marcus_on_the_learners_stakeholder_map(workbook_path, monkeypatch):
    fake = types.ModuleType("pivot.exercises.shift2.stakeholder_map")
    fake.load_stakeholders = lambda: pd.DataFrame(
        {"stakeholder_id": ["S01", "S02"], "name": ["Dana Okafor", "Marcus Bell"]}
    )
    fake.saved_map = lambda wb: {"S02": {"power": 4, "interest": 5, "strategy": "manage closely"}}
    monkeypatch.setitem(sys.modules, "pivot.exercises.shift2.stakeholder_map", fake)
    ex = Negotiation(Workbook(workbook_path))
    assert "power 4, interest 5; strategy: manage closely" in ex.map_note.value
    fake.saved_map = lambda wb: {}
    assert Negotiation(Workbook(workbook_path)).map_note.value == ""
