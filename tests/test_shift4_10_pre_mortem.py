"""notebooks/40-shift4/10-pre-mortem.ipynb: the reference failures, the heat map and the
pre-mortem exercise, driven headlessly as a learner would."""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest

from pivot import data
from pivot.exercises.shift4 import pre_mortem as pm
from pivot.exercises.shift4.pre_mortem import PreMortem, load_failures
from pivot.exercises.whose_risk import OWNERS_BY_RISK
from pivot.frameworks import risk
from pivot.kit import MAX_TEXT_CHARS
from pivot.plots import risk_heatmap
from pivot.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
FAILURES = load_failures()
RELEASE = ["B01", "B02", "B09", "B06", "B11", "B22", "B05"]


def ids_in(path: str, column: str) -> set[str]:
    with open(ROOT / "data" / path, encoding="utf-8") as f:
        return {r[column] for r in csv.DictReader(f)}


# --- the data ---------------------------------------------------------------------------------
def test_the_reference_covers_every_kind_and_follows_shift3_owners():
    assert len(FAILURES) == 12
    counts = FAILURES["kind"].value_counts().to_dict()
    assert counts == {"value": 4, "usability": 3, "viability": 3, "feasibility": 2}
    for r in FAILURES.itertuples(index=False):
        assert r.owner in OWNERS_BY_RISK[r.kind], r.failure_id


def test_the_evidence_cites_ids_that_exist():
    concerns = ids_in("risk_concerns.csv", "concern_id")
    snippets = ids_in("interviews.csv", "snippet_id")
    backlog = ids_in("backlog.csv", "item_id")
    for r in FAILURES.itertuples(index=False):
        cited = re.findall(r"\b(RC\d\d|I\d\d|B\d\d)\b", r.evidence)
        assert cited, f"{r.failure_id} cites no case evidence"
        for c in cited:
            known = concerns if c.startswith("RC") else snippets if c[0] == "I" else backlog
            assert c in known, f"{r.failure_id} cites {c}"
        assert set(r.items.split(";")) <= backlog


def test_the_concerns_cited_have_the_same_risk_in_shift3():
    with open(ROOT / "data" / "risk_concerns.csv", encoding="utf-8") as f:
        kind = {r["concern_id"]: r["risk"] for r in csv.DictReader(f)}
    for r in FAILURES.itertuples(index=False):
        for c in re.findall(r"\bRC\d\d\b", r.evidence):
            assert kind[c] == r.kind, f"{r.failure_id}: {c} is {kind[c]} in Shift 3"


def test_the_numbers_in_the_evidence_agree_with_the_backlog():
    backlog = data.load("backlog").set_index("item_id")
    f08 = FAILURES.set_index("failure_id").loc["F08", "evidence"]
    b05 = backlog.loc["B05"]
    assert f"B05 carries {b05['effort']:g} of the release's" in f08
    assert f"{backlog.loc[RELEASE, 'effort'].sum():g} person-months" in f08
    assert f"at {b05['confidence']:g} % confidence" in f08
    assert "5,000 phones" in FAILURES.set_index("failure_id").loc["F07", "reason"]


def test_expected_losses_by_hand():
    reg = {r.risk_id: r for r in pm.reference_register()}
    assert reg["F02"].expected_loss == pytest.approx(0.40 * 60)  # 24
    assert reg["F04"].expected_loss == pytest.approx(0.40 * 15)  # 6
    assert reg["F05"].expected_loss == pytest.approx(0.50 * 15)  # 7.5
    assert reg["F10"].expected_loss == pytest.approx(0.05 * 400)  # 20
    assert (reg["F05"].score, reg["F10"].score) == (12, 5)


def test_the_reference_shows_both_of_coxs_problems():
    found = risk.hidden_differences(pm.reference_register())
    # F02 and F04 share the cell (3, 3); 24 / 6 = 4 > 3
    same = [p for p in found.compressed if p.kind == "same_cell"]
    assert [(p.first, p.second) for p in same] == [("F02", "F04")]
    assert same[0].ratio == pytest.approx(4.0)
    # alert fatigue (F05, score 12, high) above the contracts risk (F10, score 5): 7.5 < 20
    assert ("F05", "F10") in [(p.first, p.second) for p in found.reversed]


@pytest.mark.parametrize(
    ("old", "new", "column", "value"),
    [
        (",value,B01;B02,", ",price,B01;B02,", "kind", "price"),
        (",3,5,You,", ",3,7,You,", "impact", "7"),
        (",3,5,You,", ",3,5,Marcus,", "owner", "Marcus"),
        (",0.30,120,", ",30,120,", "probability", "30"),
        ("F02,", "F01,", "failure_id", "F01"),
    ],
)
def test_bad_data_is_refused_naming_field_and_value(tmp_path, monkeypatch, old, new, column, value):
    text = (ROOT / "data" / "failure_reasons.csv").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "failure_reasons.csv").write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("PIVOT_DATA_DIR", str(tmp_path))
    with pytest.raises(data.DataError) as err:
        load_failures()
    assert f"column '{column}'" in str(err.value) and repr(value) in str(err.value)


def test_the_schema_is_registered():
    assert data.SCHEMAS["failure_reasons"] is pm.SCHEMA


# --- the heat map -----------------------------------------------------------------------------
def test_heatmap_places_every_risk_in_its_cell_with_count_and_band():
    fig = risk_heatmap(
        [
            {"label": "A", "likelihood": 3, "impact": 5},
            {"label": "B", "likelihood": 3, "impact": 5},
            {"label": "C", "likelihood": 1, "impact": 2},
            {"label": "D", "likelihood": None, "impact": 2},
        ]
    )
    assert fig.data["cells"][(3, 5)] == ["A", "B"]
    assert fig.data["cells"][(1, 2)] == ["C"]
    assert sum(len(v) for v in fig.data["cells"].values()) == 3
    assert len(fig.data["cells"]) == 25
    assert fig.data["not_placed"] == ["D"]
    html = fig.to_html()
    # every cell names its score and band in words (3 × 5 = 15 high; 1 × 2 = 2 low; 5 × 5 = 25)
    assert ">15 · high<" in html and ">2 · low<" in html and ">25 · high<" in html
    assert ">9 · medium<" in html
    assert html.count(" · ") == 25
    assert ">A B<" in html and ">2<" in html  # the labels and the count


def test_heatmap_alt_text_lists_the_cells_by_band():
    fig = risk_heatmap(
        [{"label": "A", "likelihood": 3, "impact": 5}, {"label": "C", "likelihood": 1,
          "impact": 2}, {"label": "D", "likelihood": 2, "impact": None}]
    )  # fmt: skip
    assert "Risk heat map of 2 risks" in fig.alt
    assert "High band: likelihood 3, impact 5 (score 15): A." in fig.alt
    assert "Medium band: none." in fig.alt
    assert "Low band: likelihood 1, impact 2 (score 2): C." in fig.alt
    assert "Not placed yet: D." in fig.alt
    assert 'role="img"' in fig.to_html() and "<title>" in fig.to_html()


def test_a_crowded_cell_shows_nine_places_and_says_how_many_more():
    fig = risk_heatmap([{"label": f"X{i}", "likelihood": 2, "impact": 2} for i in range(12)])
    html = fig.to_html()
    assert "+4 more" in html  # 8 shown + "+4 more" on the third line
    assert ">X6 X7 +4 more<" in html and ">12<" in html


@pytest.mark.parametrize(
    ("risks", "message"),
    [
        ([{"label": "", "likelihood": 1, "impact": 1}], "label of 1 to 4"),
        ([{"label": "TOOLONG", "likelihood": 1, "impact": 1}], "label of 1 to 4"),
        ([{"label": "A", "likelihood": 6, "impact": 1}], r"risk 1 \(A\): a rating"),
        ([{"label": "A", "likelihood": 2.5, "impact": 1}], "whole number"),
        ([{"label": "A", "likelihood": 1, "impact": 1}] * 2, "repeated: A"),
    ],
)
def test_bad_heatmap_input_is_refused(risks, message):
    with pytest.raises(ValueError, match=message):
        risk_heatmap(risks)


def test_heatmap_escapes_labels_and_title():
    html = risk_heatmap(
        [{"label": "<b>", "likelihood": 1, "impact": 1}], title="<i>x</i>"
    ).to_html()
    assert "<b>" not in html and "&lt;b&gt;" in html and "&lt;i&gt;" in html


# --- the exercise -----------------------------------------------------------------------------
@pytest.fixture
def ex(workbook_path):
    return PreMortem(Workbook(workbook_path))


def fill(ex, k, reason, kind="", lk=0, im=0, owner="", step="", p="", cost=""):
    row = ex.rows[k - 1]
    row["reason"].value = reason
    row["kind"].value = kind
    row["likelihood"].value = lk
    row["impact"].value = im
    row["owner"].value = owner
    row["next_step"].value = step
    row["probability"].value = p
    row["cost"].value = cost


def test_every_input_is_labelled_and_starts_empty(ex):
    assert len(ex.rows) == pm.N_ROWS == 8
    for k, row in enumerate(ex.rows, 1):
        for w in row.values():
            assert w.description.startswith(("Reason R", f"R{k} ")), w.description
            assert w.value in ("", 0)
    assert "Reasons written: 0" in ex.feedback.text
    assert ex.figure.data["not_placed"] == [] and not any(ex.figure.data["cells"].values())


def test_one_kind_only_names_the_three_missing_with_reference_examples(ex):
    fill(ex, 1, "Nobody builds it in time", "feasibility", 4, 4, "Ravi Menon", "Spike it")
    text = ex.feedback.text
    assert "kinds of risk covered: 1 of 4" in text
    for kind in ("value", "usability", "viability"):
        assert f"You did not consider {kind} risk" in text
    assert "You did not consider feasibility" not in text
    assert "F01: Technicians still miss moved jobs" in text and "RC01" in text
    assert "F04: Dispatchers do not notice" in text
    assert ex.figure.data["cells"][(4, 4)] == ["R1"]


def test_all_four_kinds_and_owners_and_steps(ex):
    fill(ex, 1, "Techs ignore it", "value", 3, 5, "You", "Hand-send notices")
    fill(ex, 2, "Alert fatigue", "usability", 4, 3, "Lena Fischer", "Replay a day")
    fill(ex, 3, "Push too slow", "feasibility", 2, 4, "Jonah Weiss", "Load spike")
    fill(ex, 4, "SMS bill", "viability", 3, 3, "You", "Ask Grace")
    text = ex.feedback.text
    assert "All four kinds of risk considered" in text
    assert "without an owner or a next step: 0" in text
    assert "has no owner" not in text and "no next step" not in text


def test_no_owner_no_next_step_and_an_unusual_owner(ex):
    fill(ex, 1, "Techs ignore it", "value", 3, 5)
    fill(ex, 2, "Push too slow", "feasibility", 2, 4, "You", "")
    fill(ex, 3, "SMS bill", "viability", 3, 3, "", "Ask Grace")
    text = ex.feedback.text
    assert "R1 has no owner and no next step." in text
    assert "R2 has no next step." in text and "R3 has no owner." in text
    assert "R2: a feasibility risk owned by you. Shift 3 gives feasibility risk to" in text
    assert "without an owner or a next step: 3" in text


def test_incomplete_rows_are_asked_for_what_is_missing(ex):
    fill(ex, 1, "Techs ignore it", "value", 3, 0)
    fill(ex, 2, "", "usability", 2, 2)
    fill(ex, 3, "Unclassified", "", 2, 2, "You", "x")
    text = ex.feedback.text
    assert "R1: rate its impact to put it on the map." in text
    assert "R2: write the reason first" in text
    assert "R3: which of the four risks is it?" in text
    assert "on the map: 1" in text  # only R3 has a reason and both ratings
    assert ex.figure.data["cells"][(2, 2)] == ["R3"]


def test_the_matrix_hiding_a_difference_in_the_learners_own_register(ex):
    # same cell (3, 3): 40 % × 100 = 40 against 40 % × 5 = 2, twenty times
    fill(ex, 1, "Churn", "value", 3, 3, "You", "a", "40", "100")
    fill(ex, 2, "Icon missed", "usability", 3, 3, "Lena Fischer", "b", "40 %", "5")
    text = ex.feedback.text
    assert "In your register the matrix hides a difference. R1 and R2 sit in the same cell" in text
    assert "20.0 times" in text
    assert "range compression" in text


def test_the_matrix_reversing_an_order_in_the_learners_own_register(ex):
    fill(ex, 1, "Alert fatigue", "usability", 4, 3, "Lena Fischer", "a", "50", "10")  # 12, EL 5
    fill(ex, 2, "Contracts", "viability", 1, 5, "You", "b", "5", "400")  # 5, EL 20
    text = ex.feedback.text
    assert "In your register the matrix reverses an order." in text
    assert "ranks R1 (score 12" in text and "R2's expected loss (20)" in text


def test_without_numbers_the_reference_shows_the_point(ex):
    fill(ex, 1, "Techs ignore it", "value", 3, 5, "You", "x", "30", "")
    text = ex.feedback.text
    assert "R1: give both a chance and a cost" in text
    assert "In the course's register: F02 and F04 sit in the same cell (3, 3)" in text


@pytest.mark.parametrize(
    ("p", "cost", "expected"),
    [("lots", "10", "must be numbers"), ("150", "10", "from 0 to 100 %"),
     ("20", "-5", "at least 0"), ("nan", "1", "must be numbers")],
)  # fmt: skip
def test_bad_numbers_are_named_and_left_out(ex, p, cost, expected):
    fill(ex, 1, "Techs ignore it", "value", 3, 5, "You", "x", p, cost)
    assert expected in ex.feedback.text
    assert ex.register[0].expected_loss is None


def test_no_harm_when_both_ratings_agree_with_expected_losses(ex):
    fill(ex, 1, "A", "value", 4, 4, "You", "a", "50", "100")  # 16, EL 50
    fill(ex, 2, "B", "usability", 1, 2, "Lena Fischer", "b", "5", "20")  # 2, EL 1
    assert "no two risks rated alike differ" in ex.feedback.text


def test_feedback_is_fast(ex):
    for k in range(1, 9):
        fill(ex, k, f"reason {k}", "value", 1 + k % 5, 1 + (k * 2) % 5, "You", "s", "30", str(k))
    for _ in range(20):
        ex.refresh()


def test_save_restore_and_markdown(workbook_path):
    ex = PreMortem(Workbook(workbook_path))
    fill(ex, 1, "Techs ignore it", "value", 3, 5, "You", "Hand-send notices", "30", "120")
    fill(ex, 3, "Push too slow", "feasibility", 2, 4, "Jonah Weiss", "")
    ex.reflection.value = "I would not have said F11."
    again = PreMortem(Workbook(workbook_path))
    assert again.values() == ex.values()
    assert again.reflection.value == "I would not have said F11."
    assert "Welcome back" in again.save_control.status.value
    md = Workbook(workbook_path).entries()[pm.EXERCISE_ID]["markdown"]
    assert "- R1: Techs ignore it | value risk | likelihood 3, impact 5, score 15 (high)" in md
    assert "owner: Jonah Weiss | next step: none" in md
    assert "> I would not have said F11." in md


def test_restore_says_what_it_skipped(workbook_path):
    Workbook(workbook_path).save(
        pm.EXERCISE_ID,
        {
            "rows": [
                {"reason": "ok", "kind": "value", "likelihood": 3, "impact": 9, "owner": "Bob"},
                "bad",
                {"reason": 42, "kind": "price", "likelihood": True, "next_step": "go"},
                *[{}] * 7,
            ],
            "reflection": ["x"],
        },
    )
    ex = PreMortem(Workbook(workbook_path))
    status = ex.save_control.status.value
    for part in ("R1 impact", "R1 owner", "R2", "R3 reason", "R3 kind", "R3 likelihood",
                 "rows after R8", "reflection"):  # fmt: skip
        assert part in status, part
    first = ex.values()[0]
    assert (first["reason"], first["kind"], first["likelihood"], first["impact"]) == (
        "ok", "value", 3, 0)  # fmt: skip
    assert ex.values()[2]["next_step"] == "go"


@pytest.mark.parametrize("answer", [None, "text", [1], {"rows": "R1"}, {"rows": [None] * 3}])
def test_malformed_saved_answers_open_anyway(workbook_path, answer):
    book = Workbook(workbook_path)
    book._entries[pm.EXERCISE_ID] = {"answer": answer}  # as a damaged file would load
    ex = PreMortem(book)
    assert all(v["reason"] == "" for v in ex.values())
    assert "Reasons written: 0" in ex.feedback.text


def test_an_over_long_reason_is_refused_and_the_rest_saved(workbook_path):
    ex = PreMortem(Workbook(workbook_path))
    fill(ex, 2, "short", "value", 2, 2, "You", "x")
    fill(ex, 1, "", "value", 4, 4)
    ex.rows[0]["reason"].value = "z" * (MAX_TEXT_CHARS + 1)
    assert f"'Reason R1' is {MAX_TEXT_CHARS + 1:,} characters long" in ex.save_control.text
    saved = Workbook(workbook_path).get(pm.EXERCISE_ID)
    assert saved["rows"][0]["reason"] == "" and saved["rows"][1]["reason"] == "short"
    # on the map all the same, the description cut to the register's limit
    assert ex.register[0].risk_id == "R1"
    assert ex.register[0].description == "z" * risk.MAX_TEXT


def test_learner_text_is_escaped(ex):
    fill(ex, 1, "<script>alert(1)</script>", "value", 3, 3, "", "<img src=x>")
    html = ex.feedback.widget.value + ex.heatmap.value
    assert "<script>" not in html and "<img src=x>" not in html


def test_hostile_values_in_every_input(tmp_path, monkeypatch):
    import test_hostile_inputs as hostile

    monkeypatch.setattr(os, "fsync", lambda _fd: None)
    hostile.test_hostile_values_in_every_input(PreMortem, tmp_path)
    assert json.loads((tmp_path / "workbook.json").read_text(encoding="utf-8"))


# --- the page's static path -------------------------------------------------------------------
def test_reference_table_and_heatmap():
    html = pm.reference_table_html()
    assert html.count("<tr>") == len(FAILURES) + 1
    ranked = re.findall(r"<tr><td[^>]*>(F\d\d)</td>", html)
    # score 15, then the 12s by impact (F08 and F11 at impact 4, then F05 at 3), then F03 (10)
    assert ranked[:5] == ["F01", "F08", "F11", "F05", "F03"]
    fig = pm.reference_heatmap()
    assert fig.data["cells"][(3, 3)] == ["F02", "F04", "F09"]
    assert "High band:" in fig.alt and "F10" in fig.alt


def test_the_page_uses_the_exercise_and_glues_its_numbers():
    path = ROOT / "notebooks" / "40-shift4" / "10-pre-mortem.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    prose = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "PreMortem()" in code and "glue_reference(" in code
    for key in ("rozenfeld2021pivot", "klein2007premortem", "mitchell1989back",
                "pmi2017pmbok", "cox2008whats", "cagan2017inspired"):  # fmt: skip
        assert key in prose, key
    assert re.search(r"^\*\*Time:\*\* teaching \d+ min · exercise \d+ min$", prose, re.M)
    for c in nb["cells"]:
        assert c.get("outputs", []) == [] and c.get("execution_count") is None
    key = prose.split(":::{dropdown} Answer key", 1)[1].split("\n:::", 1)[0]
    for r in FAILURES.itertuples(index=False):
        fid = r.failure_id.lower()
        assert r.failure_id in key and f"pm_{fid}_l" in key and f"pm_{fid}_score" in key
        assert r.why.replace("|", r"\|") in key
    # the 30 % is Klein's claim, said as his
    assert "30 %" in prose and "Klein" in prose


def test_kriti_yadav_is_quoted_once_on_this_page_and_paraphrased_nowhere_in_the_part():
    """The article's sentence is Kriti Yadav's: quoted once, marked and attributed, on this
    page; the other Shift 4 pages refer back in the course's own words."""
    seed = ROOT.parent / "shared" / "seed" / "engineers-pivoting-into-product-management.txt"
    quote = (
        "Product management is evaluating your risks, knowing how to address them, while also "
        "understanding there is no guarantee for success."
    )
    if seed.exists():
        assert quote in seed.read_text(encoding="utf-8")
    pages = sorted((ROOT / "notebooks" / "40-shift4").glob("*.ipynb"))
    assert len(pages) == 5
    for page in pages:
        nb = json.loads(page.read_text(encoding="utf-8"))
        prose = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        for stale in ("black or white", "black-and-white", "in the grey", "lives in the gr"):
            assert stale not in prose, (page.name, stale)
        marked = f"“{quote[:-1]}”"
        if page.name == "10-pre-mortem.ipynb":
            assert prose.count(marked) == 1 and prose.count("knowing how to address them") == 1
            line = next(x for x in prose.splitlines() if marked in x)
            assert (
                line.startswith("Kriti Yadav, a systems engineer") and "rozenfeld2021pivot" in line
            )
        else:
            assert "address them" not in prose and "Kriti" not in prose, page.name


def test_f02s_pilot_is_the_one_the_assumption_map_plans():
    f02 = FAILURES.set_index("failure_id").loc["F02"]
    for account in ("Keystone Facility Care", "Harbor Property Services"):
        assert account in f02["next_step"]
    assert "two pilot accounts" not in f02["next_step"]
    path = ROOT / "notebooks" / "40-shift4" / "10-pre-mortem.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    prose = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert f"| {f02['next_step']} |" in prose
