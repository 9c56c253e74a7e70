"""notebooks/20-shift2/10-stakeholder-map.ipynb: the data, the grid figure and the exercise,
driven headlessly as a learner would."""

from __future__ import annotations

import csv
import itertools
import json
import os
import re
from pathlib import Path

import pytest

from pivot import data
from pivot.exercises.shift2 import stakeholder_map as sm
from pivot.exercises.shift2.stakeholder_map import StakeholderMap, load_stakeholders, saved_map
from pivot.kit import MAX_TEXT_CHARS, escape
from pivot.plots import OKABE_ITO, stakeholder_grid
from pivot.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = load_stakeholders()
BY_NAME = PEOPLE.set_index("name")
#: The reference written out by hand from the data set (power, interest, strategy), so that a
#: change to the data or to the framework is caught here.
REFERENCE = {
    "S01": (5, 4, "manage closely"),
    "S02": (4, 4, "manage closely"),
    "S03": (2, 4, "keep informed"),
    "S04": (4, 5, "manage closely"),
    "S05": (2, 5, "keep informed"),
    "S06": (4, 2, "keep satisfied"),
    "S07": (2, 4, "keep informed"),
    "S08": (2, 4, "keep informed"),
    "S09": (2, 2, "monitor"),
    "S10": (4, 4, "manage closely"),
    "S11": (1, 5, "keep informed"),
    "S12": (1, 2, "monitor"),
    "S13": (1, 2, "monitor"),
    "S14": (3, 4, "manage closely"),
    "S15": (2, 1, "monitor"),
}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def ex(workbook_path):
    return StakeholderMap(Workbook(workbook_path))


def place(ex, choices):
    for sid, (power, interest, strategy) in choices.items():
        _r, p, i, s = ex.rows[sid]
        p.value, i.value, s.value = power, interest, strategy


# --- the data: the case's people, with the canon's roles ------------------------------------
def case_tables():
    text = (ROOT / "book" / "case-study.md").read_text(encoding="utf-8")
    cast_part = text.split("## The cast", 1)[1].split("\n## ", 1)[0]
    cast = dict(re.findall(r"^\| ([A-Z][a-z]+ [A-Z][a-z]+) \| ([^|]+) \|", cast_part, re.M))
    outside_part = text.split("## Beyond the customers", 1)[1].split("\n## ", 1)[0]
    outside = {
        m[2].strip(): (m[0].strip(), m[3].strip())
        for m in re.findall(r"^\| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|", outside_part, re.M)
        if m[0].strip() not in {"Organisation"} and not set(m[0]) <= {"-", " "}
    }
    return cast, outside


def test_every_person_of_the_cast_and_people_outside_with_their_canon_roles():
    cast, outside = case_tables()
    assert len(cast) == 9 and set(cast) <= set(PEOPLE["name"])
    assert 14 <= len(PEOPLE) <= 16
    customers = {r["contact_name"]: r for r in rows(ROOT / "data" / "customers.csv")}
    for r in PEOPLE.itertuples(index=False):
        if r.name in cast:
            assert r.role.lower() == cast[r.name].split(",")[0].strip().lower(), r.name
            assert r.organisation == "Kestrel Works" and r.customer_id == "none"
        elif r.name in customers:
            c = customers[r.name]
            assert (r.role, r.organisation, r.customer_id) == (
                c["contact_role"],
                c["company"],
                c["customer_id"],
            ), r.name
        else:
            assert r.name in outside, f"{r.name} is not a person of the case"
            assert (r.organisation, r.role) == outside[r.name]
    # a key account, a churned one, the prospect and the partner
    status = {customers[n]["status"] for n in PEOPLE["name"] if n in customers}
    assert {"active", "churned"} <= status
    assert {"Rachel Dunn", "Tom Becker", "Kevin O'Neill"} <= set(PEOPLE["name"])


def test_the_reference_is_the_hand_written_one():
    ref = sm.reference_placements().set_index("stakeholder_id")
    assert set(ref.index) == set(REFERENCE)
    for sid, (power, interest, strategy) in REFERENCE.items():
        assert (ref.loc[sid, "power"], ref.loc[sid, "interest"]) == (power, interest), sid
        assert ref.loc[sid, "strategy"] == strategy, sid


def test_some_placements_are_not_the_obvious_ones():
    ref = sm.reference_placements()
    # a powerful person with little interest in this decision, low-power people with high
    # interest, and exactly one rating on the threshold: the judgment call
    assert ((ref["power"] >= 4) & (ref["interest"] <= 2)).any()
    assert ((ref["power"] <= 2) & (ref["interest"] >= 4)).sum() >= 3
    on = ref[ref["on_boundary"]]
    assert list(on["name"]) == ["Rachel Dunn"] and on.iloc[0]["power"] == 3
    assert "judgment call" in on.iloc[0]["placement_reason"]
    # every strategy is used
    assert set(ref["strategy"]) == set(sm.STRATEGIES)


def test_the_evidence_cites_ids_that_exist_and_belong_to_the_person():
    backlog = {r["item_id"]: r for r in rows(ROOT / "data" / "backlog.csv")}
    interviews = {r["snippet_id"]: r for r in rows(ROOT / "data" / "interviews.csv")}
    requests = {r["request_id"]: r for r in rows(ROOT / "data" / "stakeholder_requests.csv")}
    concerns = {r["concern_id"]: r for r in rows(ROOT / "data" / "risk_concerns.csv")}
    cited = 0
    for r in PEOPLE.itertuples(index=False):
        text = f"{r.power_evidence} {r.interest_evidence}"
        for ident in re.findall(r"\b(RC\d\d|R\d\d|B\d\d|I\d\d)\b", text):
            cited += 1
            table = {"RC": concerns, "R": requests, "B": backlog, "I": interviews}[
                re.match(r"[A-Z]+", ident)[0]
            ]
            assert ident in table, f"{r.name} cites {ident}, which does not exist"
            if ident.startswith("I"):  # an interview snippet is from the person's own account
                assert interviews[ident]["customer_id"] == r.customer_id, (r.name, ident)
    assert cited >= 30
    assert set(PEOPLE["legitimacy"]) == set(PEOPLE["urgency"]) == {True, False}
    # "his request", "her requests": the backlog and the requests agree
    assert backlog["B03"]["requested_by"] == "Marcus Bell" == requests["R01"]["speaker"]
    assert backlog["B02"]["requested_by"] == "C01"  # Maria Gonzales's account
    assert {backlog[b]["requested_by"] for b in ("B01", "B23")} == {"Sofia Reyes"}
    assert backlog["B19"]["requested_by"] == "Jonah Weiss"
    assert concerns["RC08"]["speaker"] == "Dana Okafor"
    assert {concerns[c]["speaker"] for c in ("RC04", "RC10")} == {"Grace Liu"}


def test_the_numbers_in_the_evidence_agree_with_the_other_data_sets():
    backlog = {r["item_id"]: r for r in rows(ROOT / "data" / "backlog.csv")}
    # RICE by hand: reach × impact × confidence ÷ effort
    assert (90 * 1 * 0.50 / 6, 540 * 3 * 1.00 / 1) == (7.5, 1620)
    assert [backlog[b]["effort"] for b in ("B01", "B02", "B03")] == ["1", "1", "6"]
    marcus = BY_NAME.loc["Marcus Bell", "interest_evidence"]
    assert "7.5" in marcus and "1,620" in marcus
    customers = {r["contact_name"]: r for r in rows(ROOT / "data" / "customers.csv")}
    for name in ("Kevin O'Neill", "Maria Gonzales", "Priyanka Shah", "Omar Farouk"):
        assert (
            f"{customers[name]['technicians']}-technician" in BY_NAME.loc[name, "power_evidence"]
            or f"{customers[name]['technicians']} technicians"
            in BY_NAME.loc[name, "power_evidence"]
        )
    largest = max(customers.values(), key=lambda c: int(c["technicians"]))
    assert (
        f"{largest['company']}, has {largest['technicians']}"
        in BY_NAME.loc["Rachel Dunn", "power_evidence"]
    )
    schedule = {
        r["customer_id"]
        for r in rows(ROOT / "data" / "interviews.csv")
        if r["pain_point"] == "schedule_changes_not_seen"
    }
    assert len(schedule) == 6 and "6 of the 12" in BY_NAME.loc["Sofia Reyes", "interest_evidence"]


def test_interest_terms_and_salience_attributes():
    for r in PEOPLE.itertuples(index=False):
        terms = r.interest_terms.split(";")
        assert len(terms) >= 3 and all(t.strip() == t and t for t in terms), r.name
        assert {r.legitimacy, r.urgency} <= {True, False}
    # the prospect has power and urgency but no contract: "dangerous" in Mitchell et al.'s terms
    from pivot.frameworks.stakeholders import salience

    rachel = BY_NAME.loc["Rachel Dunn"]
    assert salience(
        True, bool(rachel["legitimacy"]), bool(rachel["urgency"])
    ).stakeholder_class == ("dangerous")


@pytest.mark.parametrize(
    ("old", "new", "column", "value"),
    [
        (",5,4,", ",high,4,", "power", "high"),
        (",5,4,", ",5,7,", "interest", "7"),
        ("S02,", "S01,", "stakeholder_id", "S01"),
        (",leadership,5,4,", ",board,5,4,", "group", "board"),
    ],
)
def test_bad_data_is_refused_naming_field_and_value(tmp_path, monkeypatch, old, new, column, value):
    text = (ROOT / "data" / "stakeholders.csv").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "stakeholders.csv").write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("PIVOT_DATA_DIR", str(tmp_path))
    with pytest.raises(data.DataError) as err:
        load_stakeholders()
    assert f"column '{column}'" in str(err.value) and repr(value) in str(err.value)


def test_two_people_with_the_same_initials_are_refused(tmp_path, monkeypatch):
    text = (ROOT / "data" / "stakeholders.csv").read_text(encoding="utf-8")
    (tmp_path / "stakeholders.csv").write_text(
        text.replace("Tom Becker", "Tara Brook", 1).replace("Ravi Menon", "Tariq Bose", 1),
        encoding="utf-8",
    )
    monkeypatch.setenv("PIVOT_DATA_DIR", str(tmp_path))
    with pytest.raises(data.DataError, match="'TB' is also Tariq Bose's"):
        load_stakeholders()


def test_initials():
    assert sm.initials("Kevin O'Neill") == "KO"
    assert sm.initials("Priya Natarajan") == "PN" and sm.initials("Priyanka Shah") == "PS"
    assert sm.initials("Cher") == "C"


# --- the grid ------------------------------------------------------------------------------------
def boxes_overlap(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def inside(box, cell):
    x, y, w, h = box
    cx, cy, cw, ch = cell
    return cx <= x and x + w <= cx + cw and cy <= y and y + h <= cy + ch


def test_reference_grid_places_everyone_in_their_cell_without_overlap():
    fig = sm.reference_grid()
    drawn = fig.data["points"]
    assert len(drawn) == len(PEOPLE)
    left, top, _pw, _ph = fig.data["plot_box"]
    for p in drawn:
        x0, y0, cw, ch = p["cell"]
        # interest across from the left, power up from the bottom, one cell per rating
        assert x0 == left + (p["interest"] - 1) * cw and y0 == top + (5 - p["power"]) * ch
        assert inside(p["box"], p["cell"]), p["label"]
    for a, b in itertools.combinations(drawn, 2):
        assert not boxes_overlap(a["box"], b["box"]), (a["label"], b["label"])
    # three people share interest 4, power 2: laid out side by side
    shared = [p["label"] for p in drawn if (p["power"], p["interest"]) == (2, 4)]
    assert sorted(shared) == ["AT", "JW", "LF"]


def test_sixteen_people_in_one_cell_still_do_not_overlap():
    pts = [
        {"label": f"A{k}", "name": f"A{k}", "power": 3, "interest": 3, "group": str(k % 4)}
        for k in range(16)
    ]
    drawn = stakeholder_grid(pts, alt="x").data["points"]
    assert all(inside(p["box"], p["cell"]) for p in drawn)
    assert not any(boxes_overlap(a["box"], b["box"]) for a, b in itertools.combinations(drawn, 2))


def test_the_threshold_line_sits_below_the_rating_three():
    fig = sm.reference_grid()
    left, top, pw, ph = fig.data["plot_box"]
    tx, ty = fig.data["threshold_lines"]
    assert tx == left + 2 * pw / 5 and ty == top + 3 * ph / 5
    html = fig.to_html()
    for name in ("Manage closely (key players)", "Keep satisfied", "Keep informed"):
        assert name in html
    assert "Monitor (minimal effort)" in html and "3 (threshold)" in html


def test_groups_differ_in_colour_and_shape_and_every_label_is_printed():
    fig = sm.reference_grid()
    drawn = fig.data["points"]
    styles = {p["group"]: (p["colour"], p["marker"]) for p in drawn}
    assert len(styles) == 4
    assert len({c for c, _m in styles.values()}) == 4 and len({m for _c, m in styles.values()}) == 4
    assert {c for c, _m in styles.values()} <= set(OKABE_ITO.values())
    html = fig.to_html()
    for p in drawn:
        assert f">{p['label']}</text>" in html and escape(p["name"]) in html


def test_alt_text_says_who_is_where():
    alt = sm.reference_grid().alt
    assert alt.startswith("Power and interest grid of 15 of 15 people")
    section = alt.split("Keep satisfied (high power, low interest):")[1].split(".")[0]
    assert section.strip() == "Grace Liu (GL, power 4, interest 2)"
    assert "Rachel Dunn (RD, power 3, interest 4)" in alt.split("Keep satisfied")[0]
    assert (
        "Tom Becker (TB, power 2, interest 1)" in alt.split("Monitor (low power, low interest)")[1]
    )


def test_people_not_placed_are_listed_not_drawn():
    fig = stakeholder_grid(
        [
            {"label": "A", "name": "Ann", "power": 5, "interest": None, "group": "g"},
            {"label": "B", "name": "Bo", "power": 1, "interest": 1, "group": "g"},
        ]
    )
    assert [p["label"] for p in fig.data["points"]] == ["B"]
    assert fig.data["not_placed"] == ["Ann"] and "Not placed yet: Ann." in fig.alt
    assert "Ann (not placed)" in fig.to_html()


@pytest.mark.parametrize(
    ("point", "message"),
    [
        ({"label": "ABCD", "power": 1, "interest": 1}, "label of 1 to 3 characters"),
        ({"label": "A", "power": 2.5, "interest": 1}, "whole number from 1 to 5"),
        ({"label": "A", "power": 6, "interest": 1}, "whole number from 1 to 5"),
        ({"label": "A", "power": True, "interest": 1}, "whole number from 1 to 5"),
        ({"label": "A", "power": "3", "interest": 1}, "whole number from 1 to 5"),
    ],
)
def test_bad_points_are_refused(point, message):
    with pytest.raises(ValueError, match=message):
        stakeholder_grid([point])


def test_too_many_people_groups_or_repeated_labels_are_refused():
    with pytest.raises(ValueError, match="at most 16"):
        stakeholder_grid([{"label": f"{k}", "power": 1, "interest": 1} for k in range(17)])
    with pytest.raises(ValueError, match="at most 4 groups"):
        stakeholder_grid([{"label": f"{k}", "group": f"g{k}"} for k in range(5)])
    with pytest.raises(ValueError, match="repeated: A"):
        stakeholder_grid([{"label": "A"}, {"label": "A"}])


def test_learner_text_in_the_grid_is_escaped():
    fig = stakeholder_grid([{"label": "<b>", "name": "<script>x</script>", "group": "<i>"}])
    assert "<script" not in fig.to_html() and "&lt;script&gt;" in fig.to_html()


# --- the widget ----------------------------------------------------------------------------------
def test_every_input_is_labelled_and_starts_empty(ex):
    assert len(ex.rows) == 15
    for _sid, (r, power, interest, strategy) in ex.rows.items():
        assert power.description == f"{r.label} power"
        assert interest.description == f"{r.label} interest"
        assert strategy.description == f"{r.label} strategy"
        assert [v for _l, v in strategy.options][1:] == [
            "manage closely",
            "keep satisfied",
            "keep informed",
            "monitor",
        ]
        assert "3: can change it indirectly (judgment call)" in [lab for lab, _v in power.options]
    assert ex.feedback.heading.startswith("Placed 0 of 15")
    assert "Not placed yet" in ex.figure.alt


def test_the_reference_map_gets_full_marks(ex):
    place(ex, REFERENCE)
    assert ex.feedback.heading == (
        "Placed 15 of 15 · same quadrant as the reference: 15 · reference strategy: 15 of 15"
    )
    assert "Every person in the reference quadrant" in ex.feedback.text
    assert not [m for m in ex.feedback.messages if m.level == "warn"]
    assert len(ex.figure.data["points"]) == 15


def test_a_placement_in_another_quadrant_cites_the_evidence(ex):
    place(ex, {"S05": (4, 5, "manage closely")})
    text = ex.feedback.text
    sofia = BY_NAME.loc["Sofia Reyes"]
    assert (
        "Sofia Reyes: you placed them at power 4, interest 5 (high power, high interest); the "
        "reference has power 2, interest 5: low power, high interest, so keep informed." in text
    )
    assert sofia["power_evidence"] in text and sofia["interest_evidence"] in text
    # the strategy follows from her own placement, but it is not the reference's: the cost
    assert "does not follow from your own placement" not in text
    assert "the reference strategy is 'keep informed', not 'manage closely'" in text
    assert "engage them more than the reference" in text
    assert sofia["cost_of_wrong_strategy"] in text
    assert ex.feedback.heading.startswith("Placed 1 of 15 · same quadrant as the reference: 0")


def test_the_judgment_call_on_the_threshold_is_named(ex):
    place(ex, {"S14": (3, 4, "manage closely")})
    text = ex.feedback.text
    assert "Rachel Dunn: power 3, interest 4 (high power, high interest), as the reference" in text
    assert "your power rating of 3 is exactly on the threshold, a judgment call" in text
    # a learner's own 3 elsewhere is a judgment call too, on their axis
    place(ex, {"S09": (2, 3, "keep informed")})
    assert "Priya Natarajan: your interest rating of 3 is exactly on the threshold" in (
        ex.feedback.text
    )


def test_a_strategy_that_does_not_follow_from_the_learners_own_placement(ex):
    place(ex, {"S06": (4, 2, "monitor")})
    text = ex.feedback.text
    assert (
        "Grace Liu: 'monitor' does not follow from your own placement (high power, low "
        "interest, so keep satisfied)." in text
    )
    assert "engage them less than the reference" in text
    assert BY_NAME.loc["Grace Liu", "cost_of_wrong_strategy"] in text


def test_informed_and_satisfied_differ_in_kind_not_amount(ex):
    place(ex, {"S06": (2, 4, "keep informed")})
    assert "keeping informed shares the detail" in ex.feedback.text


def test_a_half_placed_person_is_asked_for_the_other_rating(ex):
    ex.rows["S01"][1].value = 5
    assert "Dana Okafor: rate their interest too, to place them." in ex.feedback.text
    ex.rows["S01"][2].value = 4
    assert "Dana Okafor: now choose how to engage them." in ex.feedback.text


def test_feedback_is_fast(ex):
    for sid, choice in REFERENCE.items():
        ex.feedback_for({sid: dict(zip(("power", "interest", "strategy"), choice, strict=True))})
        ex.grid_figure({sid: {"power": choice[0], "interest": choice[1]}})


# --- saving, restoring, the saved map --------------------------------------------------------
def test_save_restore_and_saved_map(workbook_path):
    ex = StakeholderMap(Workbook(workbook_path))
    place(ex, {"S04": (4, 5, "manage closely"), "S06": (3, 2, "keep satisfied")})
    ex.rows["S10"][1].value = 2  # power only
    ex.reflection.value = "Rachel was hard."
    book = Workbook(workbook_path)
    assert saved_map(book) == {
        "S04": {"power": 4, "interest": 5, "strategy": "manage closely"},
        "S06": {"power": 3, "interest": 2, "strategy": "keep satisfied"},
        "S10": {"power": 2, "interest": None, "strategy": None},
    }
    again = StakeholderMap(book)
    assert again.placements() == saved_map(book)
    assert again.reflection.value == "Rachel was hard."
    assert "Welcome back" in again.save_control.status.value
    md = book.entries()[sm.EXERCISE_ID]["markdown"]
    assert "Marcus Bell (VP of sales, Kestrel Works): power 4, interest 5, manage closely" in md
    assert "> Rachel was hard." in md


def test_saved_map_is_empty_without_a_saved_answer(workbook_path):
    assert saved_map(Workbook(workbook_path)) == {}


@pytest.mark.parametrize(
    "answer",
    [
        None,
        "a string",
        [1, 2],
        {"placements": "S01"},
        {"placements": [["S01", 5]]},
        {"placements": {"S01": "5,4"}},
        {"placements": {"S99": {"power": 5}}},
        {"placements": {"S01": {"power": "5", "interest": 9, "strategy": "ignore"}}},
        {"placements": {"S01": {"power": True, "interest": float("nan")}}},
        {"placements": {5: {"power": 5}}},
    ],
)
def test_saved_map_never_raises_on_malformed_content(workbook_path, answer):
    book = Workbook(workbook_path)
    book._entries[sm.EXERCISE_ID] = {"answer": answer}  # as a damaged file would load
    assert saved_map(book) == {}
    ex = StakeholderMap(book)  # and the exercise opens anyway
    assert ex.placements() == {}


def test_saved_map_keeps_the_good_parts_of_an_entry(workbook_path):
    book = Workbook(workbook_path)
    book._entries[sm.EXERCISE_ID] = {
        "answer": {"placements": {"S01": {"power": 5, "interest": 9, "strategy": "monitor"}}}
    }
    assert saved_map(book) == {"S01": {"power": 5, "interest": None, "strategy": "monitor"}}


class Broken:
    def get(self, _key):
        raise RuntimeError("disk on fire")


def test_saved_map_survives_a_workbook_that_raises():
    assert saved_map(Broken()) == {}


def test_restore_says_what_it_skipped(workbook_path):
    Workbook(workbook_path).save(
        sm.EXERCISE_ID,
        {
            "placements": {
                "S01": {"power": 5, "interest": 4, "strategy": "manage closely"},
                "S02": {"power": 12, "interest": 4},
                "S03": "bad",
                "S77": {"power": 1},
            },
            "reflection": 42,
        },
    )
    ex = StakeholderMap(Workbook(workbook_path))
    status = ex.save_control.status.value
    for part in ("S02 power", "S03", "S77", "reflection"):
        assert part in status
    assert ex.placements() == {
        "S01": {"power": 5, "interest": 4, "strategy": "manage closely"},
        "S02": {"power": None, "interest": 4, "strategy": None},
    }


def test_an_over_long_reflection_is_refused_and_the_map_still_saved(workbook_path):
    ex = StakeholderMap(Workbook(workbook_path))
    ex.reflection.value = "short"
    ex.reflection.value = "x" * (MAX_TEXT_CHARS + 1)
    assert f"is {MAX_TEXT_CHARS + 1:,} characters long" in ex.save_control.text
    place(ex, {"S01": (5, 4, "manage closely")})
    book = Workbook(workbook_path)
    assert book.get(sm.EXERCISE_ID)["reflection"] == "short"
    assert saved_map(book) == {"S01": {"power": 5, "interest": 4, "strategy": "manage closely"}}


def test_hostile_values_in_every_input(tmp_path, monkeypatch):
    import test_hostile_inputs as hostile

    monkeypatch.setattr(os, "fsync", lambda _fd: None)
    hostile.test_hostile_values_in_every_input(StakeholderMap, tmp_path)
    text = (tmp_path / "workbook.json").read_text(encoding="utf-8")
    assert json.loads(text)  # a readable workbook afterwards


# --- the page's static path -------------------------------------------------------------------
def test_answer_key_lists_everyone_with_the_reason():
    html = sm.answer_key_html()
    for r in PEOPLE.itertuples(index=False):
        assert escape(r.name) in html and escape(r.placement_reason) in html
    assert html.count("<tr>") == 15 + 1
    assert "on the threshold: a judgment call" in html


def test_the_page_uses_the_exercise_and_glues_its_numbers():
    path = ROOT / "notebooks" / "20-shift2" / "10-stakeholder-map.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    prose = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "StakeholderMap()" in code and "glue_reference(" in code
    assert "johnson_scholes_ecs3" in prose and "mendelow1981environmental" in prose
    assert "mitchell1997toward" in prose and "rozenfeld2021pivot" in prose
    assert re.search(r"^\*\*Time:\*\* teaching \d+ min · exercise \d+ min$", prose, re.M)
    for c in nb["cells"]:
        assert c.get("outputs", []) == [] and c.get("execution_count") is None
    # every name in the answer key dropdown, with glued ratings
    key = prose.split(":::{dropdown} Answer key", 1)[1].split("\n:::", 1)[0]
    for r in PEOPLE.itertuples(index=False):
        sid = r.stakeholder_id.lower()
        assert r.name in key and f"sm_{sid}_power" in key and f"sm_{sid}_interest" in key
        assert r.placement_reason.replace("|", r"\|") in key
