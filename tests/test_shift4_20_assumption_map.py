"""notebooks/40-shift4/20-assumption-map.ipynb: the data, the map figure and the exercise,
driven headlessly as a learner would."""

from __future__ import annotations

import csv
import itertools
import json
import re
from pathlib import Path

import pytest

from pivot import data
from pivot.exercises.shift4 import assumption_map as am
from pivot.exercises.shift4.assumption_map import AssumptionMap, load_assumptions, saved_test_first
from pivot.kit import MAX_TEXT_CHARS
from pivot.plots import OKABE_ITO, assumption_map
from pivot.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
FRAME = load_assumptions()
#: The reference written out by hand from the data set (importance, evidence), so that a change
#: to the data or to the framework is caught here.
REFERENCE = {
    "A01": (5, 3),
    "A02": (5, 1),
    "A03": (4, 2),
    "A04": (4, 2),
    "A05": (5, 2),
    "A06": (2, 2),
    "A07": (3, 1),
    "A08": (3, 1),
    "A09": (4, 1),
    "A10": (4, 1),
    "A11": (3, 1),
    "A12": (4, 1),
    "A13": (2, 1),
    "A14": (4, 1),
}
#: The order to test them, worked by hand: exposure = importance × (6 − evidence), ties by
#: importance then file order. A02 5×5=25; A05 5×4=20 (importance 5 before the 4×5=20 of A09,
#: A10, A12 and A14, in file order); A03, A04 4×4=16; A01 5×3=15 (importance 5 before the three
#: 3×5=15, A07, A08, A11); A13 2×5=10; A06 2×4=8.
ORDER = [
    "A02", "A05", "A09", "A10", "A12", "A14", "A03", "A04",
    "A01", "A07", "A08", "A11", "A13", "A06",
]  # fmt: skip


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def ex(workbook_path):
    return AssumptionMap(Workbook(workbook_path))


def rate(ex, choices):
    for aid, (imp, ev) in choices.items():
        _r, i, e = ex.rows[aid]
        i.value, e.value = imp, ev


# --- the data ---------------------------------------------------------------------------------
def test_the_data_holds_the_reference_by_hand():
    got = {r.assumption_id: (r.importance, r.evidence) for r in FRAME.itertuples()}
    assert got == REFERENCE
    assert 10 <= len(FRAME) <= 14
    assert set(FRAME["kind"]) == set(am.KINDS)  # all four kinds are present


def test_the_reference_order_is_the_hand_worked_one():
    ranked = am.reference_order()
    assert [r.assumption.assumption_id for r in ranked] == ORDER
    assert ranked[0].exposure == 25 and ranked[0].quadrant == "test first"
    assert [r.quadrant for r in ranked].count("test first") == 8


def test_the_release_is_the_one_shift_3_chose():
    assert am.release_items() == ("B01", "B02", "B09", "B06", "B11", "B22", "B05")
    backlog = data.load("backlog").set_index("item_id")
    assert sum(backlog.loc[list(am.release_items()), "effort"]) == pytest.approx(12)
    for items in FRAME["items"]:
        assert set(items) <= set(am.release_items())


def test_the_numbers_in_the_evidence_agree_with_the_other_data_sets():
    by_id = FRAME.set_index("assumption_id")
    survey = data.load("opportunity_survey").set_index("outcome_id")
    a01 = by_id.loc["A01", "evidence_so_far"]
    o1, o2 = survey.loc["O1"], survey.loc["O2"]
    assert f"{o1['important_pct']:g} % of {o1['respondents']} respondents" in a01
    assert f"{o1['satisfied_pct']:g} % are satisfied" in a01
    assert f"{o2['important_pct']:g} % and {o2['satisfied_pct']:g} %" in a01
    interviews = data.load("interviews").set_index("snippet_id")
    cited = ["I01", "I17", "I22", "I25", "I34", "I38"]
    assert set(interviews.loc[cited, "pain_point"]) == {"schedule_changes_not_seen"}
    assert interviews.loc[cited, "customer_id"].nunique() == 6
    customers = data.load("customers").set_index("customer_id")
    churned = set(customers.index[customers["status"] == "churned"])
    assert churned <= set(interviews.loc[cited, "customer_id"])  # "both churned accounts"
    backlog = data.load("backlog").set_index("item_id")
    assert (
        f"confidence of {backlog.loc['B02', 'confidence']:g} %"
        in by_id.loc["A02", "evidence_so_far"]
    )
    assert (
        f"{backlog.loc['B05', 'effort']:g} of the release's 12"
        in by_id.loc["A10", "importance_reason"]
    )
    assert f"{backlog.loc['B11', 'effort']:g} of its 12" in by_id.loc["A06", "importance_reason"]
    offline = interviews[interviews["pain_point"] == "offline_job_notes"]
    assert offline["customer_id"].nunique() == 5  # "at five accounts"
    assert set(by_id.loc["A10", "evidence_refs"]) >= set(offline.index)
    # A05 reads the interviews as they are: some for (the schedule read in the app, training to
    # close jobs in it), as many against (records lost, on paper, typed in late), so anecdotes
    # pointing both ways (2); it cites the same five accounts without signal as A10
    a05 = by_id.loc["A05"]
    assert set(a05["evidence_refs"]) >= set(offline.index)
    assert "at five accounts technicians work without signal" in a05["evidence_so_far"]
    for ref, words in (
        ("I14", "none of them saved"),  # photos made in the app, lost
        ("I11", "forget half of it"),  # notes on a hand, half forgotten
        ("I23", "paper pad"),
        ("I35", "back of the work order"),
        ("I10", "paper sheets"),  # the owner invoices from paper
        ("I31", "whenever they remember"),
        ("I22", "pull down to refresh"),  # the schedule is read in the app
        ("I01", "the app still showed it"),
    ):
        assert ref in a05["evidence_refs"] and words in interviews.loc[ref, "snippet"], ref
    assert "For:" in a05["evidence_so_far"] and "Against:" in a05["evidence_so_far"]
    assert "every job closed in the app" not in a05["evidence_reason"]
    assert "rather than on paper" in a05["statement"]
    training = interviews.loc[["I04", "I27"], "pain_point"]
    assert set(training) == {"onboarding_new_techs"}  # trained to close jobs in the app
    cited = [r for r in a05["evidence_refs"] if r.startswith("I")]
    assert interviews.loc[cited, "customer_id"].nunique() == 7
    assert a05["evidence"] == 2 and a05["evidence_reason"].startswith(
        "Anecdotes, and they point both ways (2)"
    )
    # A14: the live-map risk of the pre-mortem (F11) has an assumption, with the call the page
    # on deciding recommends
    a14 = by_id.loc["A14"]
    assert a14["kind"] == "viability" and (a14["importance"], a14["evidence"]) == (4, 1)
    assert "Granite Peak" in a14["statement"] and "Rachel Dunn" in a14["cheap_test"]
    people = data.load("stakeholders").set_index("name")
    assert people.loc["Rachel Dunn", "role"] == "VP of operations"
    assert people.loc["Rachel Dunn", "organisation"] == "Granite Peak Facilities"
    assert "VP of operations at Granite Peak" in a14["cheap_test"]
    assert "about 310 technicians" in a14["importance_reason"]
    assert "about 310 technicians" in people.loc["Rachel Dunn", "power_evidence"]
    customers = data.load("customers")
    assert customers["technicians"].max() < 310  # "more than any account today"
    from pivot.exercises.shift4.pre_mortem import load_failures

    failures = load_failures().set_index("failure_id")
    loss = failures["probability"] * failures["cost"]
    assert loss.idxmax() == "F11" and "Granite Peak" in failures.loc["F11", "reason"]
    assert "F11, the largest expected loss" in a14["evidence_reason"]
    assert "A14" in by_id.loc["A13", "importance_reason"]
    # A02's cheap test is in the app, not by text: texts test another channel
    a02 = by_id.loc["A02", "cheap_test"]
    assert a02.startswith("A Wizard of Oz week in the app") and "through the technician app" in a02
    assert "texts" not in a02
    concerns = data.load("risk_concerns").set_index("concern_id")
    assert (
        "5,000 phones" in concerns.loc["RC05", "concern"]
        and "5,000 phones" in by_id.loc["A09", "statement"]
    )


def test_every_tester_is_the_owner_shift_3_gives_the_kind():
    owners = {"desirability": {"You"}, "viability": {"You"}, "usability": {"Lena Fischer"}}
    for r in FRAME.itertuples():
        if r.kind == "feasibility":
            assert r.tested_by in {"Aiko Tanaka", "Jonah Weiss", "Ravi Menon"}
        else:
            assert r.tested_by in owners[r.kind]
        assert r.cagan_risk == {"desirability": "value"}.get(r.kind, r.kind)


def test_a_cited_id_that_does_not_exist_is_refused_naming_line_column_and_value(
    tmp_path, monkeypatch
):
    src = rows(data.data_dir() / "assumptions.csv")
    src[1]["evidence_refs"] = src[1]["evidence_refs"] + ";I99"
    src[2]["items"] = "B03"  # the live map is not in the release
    src[3]["importance"] = "6"
    for name in ("backlog", "interviews", "opportunity_survey", "risk_concerns", "customers"):
        (tmp_path / f"{name}.csv").write_bytes((data.data_dir() / f"{name}.csv").read_bytes())
    with (tmp_path / "assumptions.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(src[0]))
        w.writeheader()
        w.writerows(src)
    monkeypatch.setattr(data, "data_dir", lambda: tmp_path)
    with pytest.raises(data.DataError) as caught:
        load_assumptions()
    assert "line 5, column 'importance'" in str(caught.value) and "6" in str(caught.value)
    src[3]["importance"] = "4"
    with (tmp_path / "assumptions.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(src[0]))
        w.writeheader()
        w.writerows(src)
    with pytest.raises(data.DataError) as caught:
        load_assumptions()
    text = str(caught.value)
    assert "line 3, column 'evidence_refs': got 'I99'" in text
    assert "line 4, column 'items': got 'B03'" in text


# --- the figure -------------------------------------------------------------------------------
def boxes_overlap(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def test_the_reference_map_places_every_assumption_in_its_region_without_overlap():
    fig = am.reference_map()
    pts = {p["label"]: p for p in fig.data["points"]}
    assert set(pts) == set(REFERENCE)
    for aid, p in pts.items():
        x0, y0, w, h = p["cell"]
        bx, by, bw, bh = p["box"]
        assert x0 <= bx and bx + bw <= x0 + w and y0 <= by and by + bh <= y0 + h, aid
        assert (p["importance"], p["evidence"]) == REFERENCE[aid]
    for a, b in itertools.combinations(pts.values(), 2):
        assert not boxes_overlap(a["box"], b["box"]), (a["label"], b["label"])
    # the four kinds differ in colour and in marker shape
    styles = {(p["kind"], p["colour"], p["marker"]) for p in pts.values()}
    assert len({s[1] for s in styles}) == len({s[2] for s in styles}) == 4
    assert {s[1] for s in styles} <= set(OKABE_ITO.values())
    # evidence runs left to right, importance bottom to top
    assert pts["A02"]["cell"][0] < pts["A04"]["cell"][0] < pts["A01"]["cell"][0]
    assert pts["A04"]["cell"][0] == pts["A05"]["cell"][0]  # both evidence 2
    assert pts["A02"]["cell"][1] < pts["A09"]["cell"][1] < pts["A07"]["cell"][1]


def test_the_map_alt_text_lists_the_regions_and_what_is_not_placed():
    fig = assumption_map(
        [
            {
                "label": "A1",
                "name": "first",
                "importance": 5,
                "evidence": 1,
                "kind": "desirability",
            },
            {
                "label": "A2",
                "name": "second",
                "importance": None,
                "evidence": 2,
                "kind": "viability",
            },
        ]
    )
    assert (
        "Test first (importance 4 or 5, evidence 1 or 2): A1 first (importance 5, evidence 1)"
        in fig.alt
    )
    assert "Not placed yet: A2 second." in fig.alt
    assert fig.data["not_placed"] == ["second"]
    html = fig.to_html()
    assert 'role="img"' in html and "<title>" in html


def test_sixteen_assumptions_in_one_cell_never_overlap_and_bad_points_are_refused():
    many = [
        {"label": f"X{i}", "name": f"n{i}", "importance": 4, "evidence": 1, "kind": "feasibility"}
        for i in range(16)
    ]
    fig = assumption_map(many)
    for a, b in itertools.combinations(fig.data["points"], 2):
        assert not boxes_overlap(a["box"], b["box"])
    with pytest.raises(ValueError, match="at most 16"):
        assumption_map([*many, {**many[0], "label": "Y"}])
    with pytest.raises(ValueError, match="repeated: X0"):
        assumption_map([many[0], many[0]])
    with pytest.raises(ValueError, match=r"point 1 \(n0\): a rating must be a whole number"):
        assumption_map([{**many[0], "importance": 6}])
    hostile = {**many[0], "name": "<script>alert(1)</script>"}
    assert "<script>" not in assumption_map([hostile]).to_html()


# --- the exercise -----------------------------------------------------------------------------
def test_feedback_compares_with_the_reference_and_cites_the_evidence(ex):
    rate(ex, {"A02": (5, 1), "A05": (5, 1)})
    text = ex.feedback.text
    assert (
        "A02: importance 5, evidence 1 (exposure 25, test first), as the reference rates it" in text
    )
    assert "Nobody has watched a technician receive a notification" in text
    assert "A05: you rated it importance 5, evidence 1" in text
    assert "the reference has importance 5, evidence 2 (exposure 20, test first)" in text
    assert "Anecdotes, and they point both ways (2)" in text
    rate(ex, {"A07": (3, 5)})
    assert "A07: you see more evidence than the case holds" in ex.feedback.text
    _r, imp, _ev = ex.rows["A08"]
    imp.value = 3
    assert "A08: rate its evidence too" in ex.feedback.text


def test_the_pick_is_judged_against_the_reference_order(ex):
    ex.pick.value = "A02"
    assert "Good: Test A02 first" in ex.feedback.text and "Wizard of Oz week" in ex.feedback.text
    ex.pick.value = "A09"
    text = ex.feedback.text
    assert "Not A09 first" in text and "A02 matters more and has no more evidence" in text
    assert "number 3" in text
    ex.pick.value = "A05"  # as important as A02, with a little evidence
    text = ex.feedback.text
    assert "A02 is as important and has less evidence" in text and "number 2" in text
    ex.pick.value = "A01"  # important but already evidenced
    assert "there is already evidence for it" in ex.feedback.text
    ex.pick.value = "A13"  # unimportant
    assert "not important enough to test first" in ex.feedback.text
    assert "test first: A13 (less important)" in ex.feedback.heading


def test_a_pick_that_contradicts_the_learners_own_map_is_named(ex):
    own = dict(REFERENCE)
    own["A09"] = (5, 1)  # the learner makes the push question the riskiest: a tie with A02 by hand
    own["A02"] = (4, 3)
    rate(ex, own)
    ex.pick.value = "A02"
    text = ex.feedback.text
    assert "By your own ratings, A09 is the riskiest, not A02" in text
    ex.pick.value = "A09"
    assert "By your own ratings" not in ex.feedback.text


def test_the_map_is_redrawn_as_the_learner_rates(ex):
    assert ex.figure.data["points"] == []
    rate(ex, {"A03": (4, 2)})
    (p,) = ex.figure.data["points"]
    assert p["label"] == "A03" and p["quadrant"] == "test first"
    assert "A03" in ex.map.value and "Not placed yet" in ex.figure.alt


def test_save_restore_and_the_experiment_page_reads_the_pick(workbook_path):
    first = AssumptionMap(Workbook(workbook_path))
    rate(first, {"A02": (5, 1), "A10": (4, 1)})
    first.pick.value = "A02"
    first.reflection.value = "Our launch assumed people read release notes."
    again = AssumptionMap(Workbook(workbook_path))
    assert again.answer() == first.answer()
    assert "Welcome back" in again.save_control.status.value
    picked = saved_test_first(Workbook(workbook_path))
    assert picked["assumption_id"] == "A02" and picked["importance"] == 5
    assert "Wizard of Oz" in picked["cheap_test"]
    md = json.dumps(Workbook(workbook_path).get(am.EXERCISE_ID))
    assert "A02" in md


@pytest.mark.parametrize(
    "saved, skipped",
    [
        ({"ratings": {"A02": {"importance": 9, "evidence": "x"}}}, "A02 importance, A02 evidence"),
        ({"ratings": {"A99": {"importance": 3}, "A01": [1]}}, "A99, A01"),
        ({"ratings": "lots", "test_first": "A77"}, "ratings, test first"),
        ({"ratings": {}, "test_first": 5, "reflection": 12}, "test first, reflection"),
        ({"ratings": {"A03": {"importance": True}}}, "A03 importance"),
    ],
)
def test_restore_tolerates_malformed_answers_and_says_what_it_skipped(
    workbook_path, saved, skipped
):
    book = Workbook(workbook_path)
    book.save(am.EXERCISE_ID, saved, title="t", markdown="m")
    ex = AssumptionMap(Workbook(workbook_path))
    assert f"Some saved answers could not be used: {skipped}." in ex.save_control.status.value
    assert saved_test_first(Workbook(workbook_path)) == {}


def test_a_saved_answer_that_is_not_a_mapping_starts_afresh(workbook_path):
    Workbook(workbook_path).save(am.EXERCISE_ID, ["nonsense"], title="t", markdown="m")
    ex = AssumptionMap(Workbook(workbook_path))
    assert "starting afresh" in ex.save_control.status.value
    assert ex.ratings() == {} and saved_test_first(Workbook(workbook_path)) == {}


def test_saved_test_first_never_raises(tmp_path):
    assert saved_test_first(Workbook(tmp_path / "none.json")) == {}
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert saved_test_first(Workbook(broken)) == {}
    assert saved_test_first(object()) == {}  # type: ignore[arg-type]


def test_an_over_long_reflection_is_refused_and_the_rest_saved(ex, workbook_path):
    rate(ex, {"A02": (5, 1)})
    ex.reflection.value = "x" * (MAX_TEXT_CHARS + 1)
    assert "Not saved" in ex.save_control.status.value
    saved = Workbook(workbook_path).get(am.EXERCISE_ID)
    assert saved["ratings"]["A02"] == {"importance": 5, "evidence": 1}
    assert saved["reflection"] == ""


def test_the_export_names_the_reference(ex, workbook_path):
    rate(ex, {"A09": (4, 1)})
    ex.pick.value = "A09"
    md = ex.to_markdown(ex.answer())
    assert "importance 4, evidence 1 (course's reference: importance 4, evidence 1)" in md
    assert "Test first: A09 (course's reference: A02)" in md


def test_every_control_is_labelled_and_feedback_is_fast(ex):
    from pivot.kit import walk

    for w in walk(ex.widget):
        if hasattr(w, "options"):
            assert w.description.strip(), w
    rate(ex, REFERENCE)
    ex.pick.value = "A02"


def test_the_static_path_has_every_assumption():
    key = am.answer_key_html()
    for aid in REFERENCE:
        assert re.search(rf">\s*{aid} ", key) or f">{aid} " in key
    table = am.reference_table()
    assert list(table["assumption"].str[:3]) == ORDER


def test_the_page_answer_key_is_the_data_in_the_reference_order():
    from pivot import prose

    page = json.loads((ROOT / "notebooks/40-shift4/20-assumption-map.ipynb").read_text("utf-8"))
    key = next(
        "".join(c["source"])
        for c in page["cells"]
        if c["cell_type"] == "markdown" and ":::{dropdown} Answer key" in "".join(c["source"])
    )
    as_roles = prose.GLUE_MARK.sub(lambda m: f"{{glue:text}}`{m.group(1)}`", key)
    assert am.answer_key_markdown() in as_roles  # regenerate the table if the data change
    table = am.answer_key_markdown().splitlines()[2:]
    assert [line.split(" | ")[1] for line in table] == ORDER
    assert "A Wizard of Oz week in the app" in table[0] and "(you)" in table[0]


def test_the_page_glues_the_numbers_its_prose_uses(monkeypatch):
    import myst_nb

    glued = {}
    monkeypatch.setattr(
        myst_nb, "glue", lambda key, value, display=True: glued.update({key: value})
    )
    am.glue_reference("am")
    assert glued["am_release"] == "B01, B02, B09, B06, B11, B22, B05"
    assert (glued["am_capacity"], glued["am_n"], glued["am_top"]) == ("12", 14, "A02")
    assert (glued["am_a01_accounts"], glued["am_accounts"], glued["am_survey_n"]) == (6, 12, 212)
    assert glued["am_min_test_first"] == 16 and glued["am_region_test_first"] == 8
    assert (glued["am_a05_importance"], glued["am_a05_evidence"], glued["am_a05_rank"]) == (
        5,
        2,
        2,
    )
    assert glued["am_a05_accounts"] == 7
    assert glued["am_b02_confidence"] == 80
    kinds = {k: glued[f"am_kind_{k}"] for k in am.KINDS}
    assert kinds == {"desirability": 6, "viability": 4, "feasibility": 2, "usability": 2}
    page = json.loads((ROOT / "notebooks/40-shift4/20-assumption-map.ipynb").read_text("utf-8"))
    prose = "\n".join("".join(c["source"]) for c in page["cells"] if c["cell_type"] == "markdown")
    used = set(re.findall(r"\{glue:text\}`([^`:]+)", prose)) | set(
        re.findall(r"<!--glue ([^ :>-]+)", prose)
    )
    assert used and used <= set(glued)
    # the self-check does not confuse A05's behaviour with A10's sync feasibility
    check = prose.split("## Self-check", 1)[1].split("## Answer key", 1)[0]
    assert "the part that is uncertain, notes kept without signal, is A10" not in check
    assert "What is open about A05 is behaviour, not technology" in check
    assert "A10, a feasibility question" in check
    assert "black or white" not in prose and "knows how each could be addressed" not in prose
