"""The class view (notebooks/instructor/class-view.ipynb): Kendall's W, reading a class folder
read-only, pseudonyms, the summaries of a synthetic class of 60, the widget driven headlessly."""

from __future__ import annotations

import asyncio
import json
import math
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from pivot import classview as cv
from pivot import workbook as wb
from pivot.frameworks import agreement as ag
from pivot.synthetic_class import (
    DAMAGED_FILES,
    add_damaged_files,
    entry_answers,
    learner_answers,
    write_class,
)

LEARNERS = 60


# --- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def synthetic_class(tmp_path_factory):
    """60 complete workbooks, seeded, written once per session (on tmpfs when there is one:
    every save is fsync'ed)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        base = Path(tempfile.mkdtemp(prefix="pivot-class-", dir=shm))
    else:
        base = tmp_path_factory.mktemp("class")
    folder = base / "class"
    write_class(folder, LEARNERS)
    yield folder
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def class_folder(synthetic_class, tmp_path):
    """A fresh copy of the synthetic class, with one damaged file of each kind added."""
    folder = tmp_path / "class"
    shutil.copytree(synthetic_class, folder)
    add_damaged_files(folder)
    return folder


@pytest.fixture(autouse=True)
def _no_class_env(monkeypatch):
    monkeypatch.delenv("PIVOT_WORKBOOK_DIR", raising=False)
    monkeypatch.delenv("PIVOT_CLASS_SALT", raising=False)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the folder, hidden ones too: its bytes and modification time (ns)."""
    return {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.is_file()  # a pipe would block the reader
    }


def workbook_bytes(answers: dict, version: int = wb.VERSION) -> bytes:
    doc = {
        "format": wb.FORMAT,
        "version": version,
        "exercises": {k: {"title": k, "answer": v, "markdown": ""} for k, v in answers.items()},
    }
    return json.dumps(doc).encode("utf-8")


# --- Kendall's W: published worked examples ------------------------------------------------------
# NAG Library g08daf, documented example (data from Siegel 1956): 3 comparisons of 10 objects,
# with ties; "Kendall's coefficient = 0.828".
NAG = [
    [1.0, 4.5, 2.0, 4.5, 3.0, 7.5, 6.0, 9.0, 7.5, 10.0],
    [2.5, 1.0, 2.5, 4.5, 4.5, 8.0, 9.0, 6.5, 10.0, 6.5],
    [2.0, 1.0, 4.5, 4.5, 4.5, 4.5, 8.0, 8.0, 8.0, 10.0],
]
# influentialpoints.com, "Kendall coefficient of concordance", worked example I: four raters rank
# the strawberries of eight farms; rank sums 31 12 12 15 22 5 22 25, SS = 500, W = 0.744.
STRAWBERRIES = [
    [8, 4, 2, 3, 5, 1, 6, 7],
    [7, 3, 1, 4, 5, 2, 6, 8],
    [8, 2, 5, 6, 7, 1, 4, 3],
    [8, 3, 4, 2, 5, 1, 6, 7],
]


def as_rankings(rows):
    items = [f"O{k + 1}" for k in range(len(rows[0]))]
    return [dict(zip(items, r, strict=True)) for r in rows], items


def test_w_matches_the_nag_siegel_example_with_ties():
    rankings, items = as_rankings(NAG)
    got = ag.kendalls_w(rankings, items)
    assert round(got.w, 3) == 0.828
    assert got.ties == 6 + 6 + 6 + 6 + 6 + 60 + 24  # Σ (t³ − t) over the three comparisons
    assert got.w_uncorrected < got.w  # ties lower the largest possible S
    assert (got.m, got.n) == (3, 10)


def test_w_matches_the_strawberry_example_without_ties():
    rankings, items = as_rankings(STRAWBERRIES)
    got = ag.kendalls_w(rankings, items)
    assert [got.rank_sums[i] for i in items] == [31, 12, 12, 15, 22, 5, 22, 25]
    assert got.s == 500
    assert round(got.w, 3) == 0.744
    assert got.w == got.w_uncorrected  # no ties, no correction
    assert got.ties == 0


def siegel_computational_w(rows):
    """Siegel's computational form, written out independently:
    W = (12 Σ Rⱼ² − 3 m² n (n + 1)²) / (m² n (n² − 1) − m Σ T)."""
    m, n = len(rows), len(rows[0])
    sums = [sum(r[j] for r in rows) for j in range(n)]
    ties = 0
    for r in rows:
        for v in set(r):
            t = r.count(v)
            ties += t**3 - t
    return (12 * sum(s * s for s in sums) - 3 * m * m * n * (n + 1) ** 2) / (
        m * m * n * (n * n - 1) - m * ties
    )


def test_w_agrees_with_the_computational_form_on_random_tied_rankings():
    rng = np.random.default_rng(7)
    for _ in range(50):
        m, n = int(rng.integers(2, 8)), int(rng.integers(3, 12))
        raw = [list(rng.integers(1, 4, size=n)) for _ in range(m)]
        items = [f"I{k}" for k in range(n)]
        mids = [ag.midranks(dict(zip(items, r, strict=True))) for r in raw]
        rows = [[mr[i] for i in items] for mr in mids]
        if all(len(set(r)) == 1 for r in rows):
            continue
        got = ag.kendalls_w(mids, items).w
        assert math.isclose(got, siegel_computational_w(rows), abs_tol=1e-12)


# --- Kendall's W: edge cases ---------------------------------------------------------------------
def test_one_ranking_is_refused_with_a_reason():
    with pytest.raises(ag.AgreementError, match="at least two rankings"):
        ag.kendalls_w([["a", "b", "c"]])


def test_identical_rankings_give_one_with_and_without_ties():
    assert ag.kendalls_w([["a", "b", "c"]] * 4).w == 1.0
    tied = {"a": 1, "b": 2, "c": 2, "d": 4}
    assert ag.kendalls_w([tied, tied, tied]).w == pytest.approx(1.0)
    five = ["B01", "B02", "B03", "B04", "B05"]
    items = [f"B{k:02d}" for k in range(1, 31)]
    assert ag.kendalls_w([five] * 10, items).w == pytest.approx(1.0)


def test_perfectly_balanced_rankings_give_zero():
    assert ag.kendalls_w([["a", "b", "c"], ["c", "b", "a"]]).w == 0.0
    latin = [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"]]
    got = ag.kendalls_w(latin)
    assert got.w == 0.0
    assert set(got.rank_sums.values()) == {6.0}


def test_ties_share_the_mean_of_their_places():
    assert ag.midranks({"a": 10, "b": 20, "c": 20, "d": 30}) == {
        "a": 1.0,
        "b": 2.5,
        "c": 2.5,
        "d": 4.0,
    }
    # by hand: rankings (1, 2.5, 2.5) and (1, 2, 3); rank sums 2, 4.5, 5.5 around a mean of 4,
    # S = 4 + 0.25 + 2.25 = 6.5; one pair tied, ΣT = 2³ − 2 = 6;
    # W = 12 × 6.5 / (2² × (3³ − 3) − 2 × 6) = 78 / 84, uncorrected 78 / 96
    got = ag.kendalls_w([{"a": 1, "b": 2, "c": 2}, {"a": 1, "b": 2, "c": 3}])
    assert got.s == 6.5 and got.ties == 6
    assert got.w == pytest.approx(78 / 84)
    assert got.w_uncorrected == pytest.approx(78 / 96)


def test_missing_items_share_the_bottom_places():
    items = ["a", "b", "c", "d", "e"]
    assert ag.complete_ranking(["c", "a"], items) == {"a": 2, "b": 4, "c": 1, "d": 4, "e": 4}
    assert ag.complete_ranking({"b": 7}, items)["b"] == 1
    # two learners agree on the first item and leave the others out: complete agreement
    assert ag.kendalls_w([["a"], ["a"]], items).w == pytest.approx(1.0)
    # the items default to every item any ranking names
    assert ag.kendalls_w([["a", "b"], ["c"]]).n == 3


@pytest.mark.parametrize(
    ("rankings", "items", "message"),
    [
        ([["a", "x"], ["a", "b"]], ["a", "b"], "'x' is not one of the items"),
        ([["a", "a"], ["a", "b"]], ["a", "b"], "a is listed twice"),
        ([{"a": "first"}, {"a": 1}], ["a", "b"], "must be a finite number"),
        ([{"a": math.nan}, {"a": 1}], ["a", "b"], "must be a finite number"),
        ([{"a": True}, {"a": 1}], ["a", "b"], "must be a finite number"),
        ([["a"], ["a"]], ["a"], "at least two items"),
        ([{"a": 1, "b": 1}, {"a": 2, "b": 2}], ["a", "b"], "not defined"),
        ([42, ["a"]], ["a", "b"], "a ranking must be"),
        ("ab", None, "a list of rankings"),
        ([["a"], ["b"]], ["a", "a", "b"], "only once"),
    ],
)
def test_bad_rankings_get_a_message_that_names_the_problem(rankings, items, message):
    with pytest.raises(ag.AgreementError, match=message):
        ag.kendalls_w(rankings, items)


def test_chance_agreement_is_one_over_m_by_simulation():
    rng = np.random.default_rng(2026)
    items = [f"I{k}" for k in range(30)]
    for m in (2, 5):
        ws = [
            ag.kendalls_w([list(rng.choice(items, 5, replace=False)) for _ in range(m)], items).w
            for _ in range(600)
        ]
        assert abs(float(np.mean(ws)) - ag.chance_w(m)) < 0.02
    with pytest.raises(ag.AgreementError):
        ag.chance_w(1)


def test_item_spread_puts_the_items_that_split_the_group_first():
    items = ["a", "b", "c", "d"]
    spread = ag.item_spread([["a", "b"], ["a", "c"], ["a", "b"], ["d", "a"]], items)
    assert spread[0].item in {"b", "d"}  # picked by some, left out by others
    by = {s.item: s for s in spread}
    assert by["a"].placed == 4 and by["a"].first == 3
    assert by["c"].placed == 1
    assert ag.item_spread([], items) == []


# --- reading files, read-only --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"format": "pivot-workbook", "version": 1, "exerc', "not valid JSON"),
        (json.dumps({"todo": []}).encode(), "not a Pivot workbook"),
        (json.dumps([1, 2]).encode(), "not a Pivot workbook"),
        (workbook_bytes({}, version=2), "newer than this course reads"),
        (workbook_bytes({}, version=0), "version 0, not 1"),
        (b"\xff\xfe\x00\x80", "not UTF-8"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"format": "pivot-workbook", "version": 1, "exercises": {"a": NaN}}', "NaN"),
        (b"[" * 100_000, "nested too deeply"),
        (b'{"format": "pivot-workbook", "version": 1, "exercises": []}', "damaged"),
        (b" " * (cv.MAX_FILE_BYTES + 1) + b"{}", "too large"),
    ],
)
def test_a_file_that_cannot_be_used_gets_a_reason_never_an_error(raw, reason):
    answers, why, notes = cv.read_workbook("f.json", raw)
    assert answers is None
    assert reason in why
    assert notes == []


def test_damaged_entries_are_left_out_and_named_the_rest_is_used():
    doc = {
        "format": wb.FORMAT,
        "version": wb.VERSION,
        "exercises": {
            "start.self_assessment": {"title": "t", "answer": {"ratings": {}}},
            "shift1.x": [1, 2],
            "shift1.y": {"title": "no answer"},
            "shift1.z": {"title": "t", "answer": None},
        },
    }
    answers, why, notes = cv.read_workbook("f.json", json.dumps(doc).encode())
    assert why == ""
    assert set(answers) == {"start.self_assessment"}  # z has no current attempt
    assert "shift1.x" in notes[0] and "shift1.y" in notes[0]


def test_the_class_view_never_writes_to_the_class_folder(class_folder):
    bad = {
        "format": wb.FORMAT,
        "version": wb.VERSION,
        "exercises": {"shift1.x": 5, "start.self_assessment": {"answer": {"ratings": {}}}},
    }
    (class_folder / "partly.json").write_text(json.dumps(bad), encoding="utf-8")
    os.mkfifo(class_folder / "pipe.json")  # would block a reader that opened it
    before = snapshot(class_folder)
    view = cv.ClassView(class_folder)
    view.refresh_button.click()
    view.reveal.value = True
    view.reveal.value = False
    view.add_upload("handed-in.json", (class_folder / "learner01.json").read_bytes())
    view.forget_uploads()
    view.open(class_folder)
    after = snapshot(class_folder)
    assert after == before  # the same files, bytes and modification times: nothing written
    names = {s.name for s in view.result.skipped}
    assert "pipe.json" in names
    assert not any(".corrupt" in n for n in after)  # a damaged workbook is not set aside


def test_damaged_foreign_and_newer_files_are_named_and_skipped(class_folder):
    view = cv.ClassView(class_folder)
    skipped = {s.name: s.reason for s in view.result.skipped}
    assert set(skipped) == set(DAMAGED_FILES)
    assert "newer" in skipped["future.json"]
    assert "foreign" in skipped["notes.json"]
    assert "not valid JSON" in skipped["truncated.json"]
    assert len(view.result.learners) == LEARNERS
    html = view.skipped.value
    for name in DAMAGED_FILES:
        assert name in html
    assert "<details" in html and "screen is shared" in html
    assert "6 files skipped" in view.status.value
    # hidden files (locks, an unfinished save's temporary file) are left alone, not reported
    assert ".learner01.json.lock" not in html and ".tmp" not in html


def test_a_missing_folder_or_a_file_is_a_message(tmp_path):
    view = cv.ClassView(tmp_path / "nowhere")
    assert "does not exist" in view.status.value
    file = tmp_path / "a.json"
    file.write_text("{}")
    view.open(file)
    assert "is a file, not a folder" in view.status.value
    assert cv.ClassView().result.folder_problem.startswith("No class folder yet")


def test_only_changed_files_are_read_again(class_folder):
    view = cv.ClassView(class_folder)
    assert view.result.changed == LEARNERS + len(DAMAGED_FILES)
    view.refresh()
    assert view.result.changed == 0
    book = wb.Workbook(class_folder / "learner07.json")
    picks = ["B03", "B04", "B01", "B02", "B11"]
    assert book.save("shift3.prioritise_backlog", {"picks": picks, "method": "rice"}).ok
    view.refresh()
    assert view.result.changed == 1
    (class_folder / "learner08.json").unlink()
    view.refresh()
    assert len(view.result.learners) == LEARNERS - 1


# --- pseudonyms ----------------------------------------------------------------------------------
def test_pseudonyms_are_stable_salted_and_never_the_name():
    keys = [f"learner{k:02d}.json" for k in range(1, 61)]
    a = cv.pseudonyms(keys, "salt-1")
    assert a == cv.pseudonyms(list(reversed(keys)), "salt-1")
    assert len(set(a.values())) == len(keys)
    b = cv.pseudonyms(keys, "salt-2")
    assert sum(a[k] == b[k] for k in keys) < 10
    assert not any("learner" in v.lower() for v in a.values())


def test_pseudonyms_that_collide_get_a_number(monkeypatch):
    monkeypatch.setattr(cv, "_ADJECTIVES", ("Teal",))
    monkeypatch.setattr(cv, "_ANIMALS", ("Heron",))
    got = cv.pseudonyms(["a", "b", "c"], "s")
    assert sorted(got.values()) == ["Teal Heron", "Teal Heron 2", "Teal Heron 3"]
    again = cv.pseudonyms(["a", "b", "c", "d"], "s")
    assert len(set(again.values())) == 4


def test_names_are_hidden_until_revealed(class_folder):
    view = cv.ClassView(class_folder, salt="workshop")

    def everything():
        return view.progress.value + "".join(w.value for w in view.section_widgets.values())

    assert "learner01" not in everything()
    assert "learner01" not in view.status.value
    pseudonym = next(lr.pseudonym for lr in view.learners if lr.name == "learner01.json")
    assert pseudonym in view.progress.value
    view.reveal.value = True
    assert "learner01.json" in view.progress.value and pseudonym not in view.progress.value
    assert "Names are shown" in view.status.value
    view.reveal.value = False
    assert "learner01" not in view.progress.value
    # the same folder and salt give the same pseudonyms in a new view
    again = cv.ClassView(class_folder, salt="workshop")
    assert {lr.name: lr.pseudonym for lr in again.learners} == {
        lr.name: lr.pseudonym for lr in view.learners
    }


def test_the_salt_comes_from_the_environment(class_folder, monkeypatch):
    plain = cv.ClassView(class_folder)
    monkeypatch.setenv("PIVOT_CLASS_SALT", "only the instructor knows")
    salted = cv.ClassView(class_folder)
    assert [lr.pseudonym for lr in plain.learners] != [lr.pseudonym for lr in salted.learners]


# --- the summaries of the synthetic class --------------------------------------------------------
@pytest.fixture(scope="session")
def class_view(synthetic_class):
    return cv.ClassView(synthetic_class)


def answers_of(folder: Path, exercise_id: str) -> list:
    return [entry_answers(p)[exercise_id] for p in sorted(folder.glob("learner*.json"))]


def test_every_exercise_has_a_section_with_all_60(class_view):
    assert [s.exercise_id for s in class_view.sections] == [i for i, _t in cv.EXERCISES]
    for sec in class_view.sections:
        assert sec.answered == LEARNERS, sec.exercise_id
        assert sec.unusable == 0
        assert sec.figures and sec.tables and len(sec.prompt) == 3
        for fig in sec.figures:
            assert len(fig.alt) > 100
            svg = fig.to_html()
            assert 'role="img"' in svg and "<title>" in svg


def test_problem_or_solution_counts_match_the_files_most_missed_first(class_view, synthetic_class):
    sec = class_view.sections[1]
    from pivot import data

    st = data.load("problem_or_solution")
    key = dict(zip(st["statement_id"], st["label"], strict=True))
    answers = answers_of(synthetic_class, "shift1.problem_or_solution")
    for sid, label in key.items():
        right = sum(a["labels"].get(sid) == label for a in answers)
        assert sec.data["counts"][sid]["right"] == right
    missed = [
        sec.data["counts"][s]["wrong"]
        / (sec.data["counts"][s]["wrong"] + sec.data["counts"][s]["right"])
        for s in sec.data["order"]
    ]
    assert missed == sorted(missed, reverse=True)
    rows = sec.figures[0].data["rows"]
    assert rows[0]["label"].startswith(sec.data["order"][0])
    assert all(sum(r["counts"].values()) == LEARNERS for r in rows)


def test_kendalls_w_of_the_class_is_the_frameworks(class_view, synthetic_class):
    sec = class_view.sections[4]
    from pivot import data

    ids = list(data.load("backlog")["item_id"])
    picks = [
        [p for p in a["picks"] if p]
        for a in answers_of(synthetic_class, "shift3.prioritise_backlog")
    ]
    assert sec.data["w"] == pytest.approx(ag.kendalls_w(picks, ids).w)
    assert 0 < sec.data["w"] < 1
    text = " ".join(sec.facts)
    assert "Kendall's W" in text and "By chance alone" in text and "Most disputed" in text
    first_votes = sum(a[0] == "B03" for a in picks)
    assert sec.data["positions"]["B03"].get("1", 0) == first_votes


def test_stakeholder_placements_use_the_framework_and_outline_the_reference(class_view):
    from pivot.frameworks import stakeholders as sh

    sec = class_view.sections[3]
    for counts in sec.data["placed"].values():
        assert sum(counts.values()) == LEARNERS
        assert set(counts) <= {*sh.QUADRANTS.values(), "none"}
    rows = sec.figures[0].data["rows"]
    assert all(r["mark"] in sh.QUADRANTS.values() for r in rows)
    assert "Black outline: the reference answer" in sec.figures[0].to_html()


def test_the_other_sections_count_what_was_saved(class_view, synthetic_class):
    by = {s.exercise_id: s for s in class_view.sections}
    sa = by["start.self_assessment"].data
    assert sum(sa["starts"].values()) == LEARNERS
    assert all(sum(c.values()) == 3 * LEARNERS for c in sa["pooled"].values())
    votes = by["shift1.pain_point_map"].data["votes"]
    tops = answers_of(synthetic_class, "shift1.pain_point_map")
    assert sum(sum(v.values()) for v in votes.values()) == sum(
        1 for a in tops for t in a["top_three"] if t
    )
    risks = by["shift3.whose_risk"].data["risks"]
    assert all(sum(c.values()) == LEARNERS for c in risks.values())
    pm = by["shift4.pre_mortem"].data["by_kind"]
    written = sum(
        1 for a in answers_of(synthetic_class, "shift4.pre_mortem") for r in a["rows"] if r["kind"]
    )
    assert sum(sum(c.values()) for c in pm.values()) == written
    sizes = by["shift4.experiment_design"].data["sizes"]
    saved = [a["n_per_group"] for a in answers_of(synthetic_class, "shift4.experiment_design")]
    assert sorted(sizes) == sorted(saved)  # recomputed by the exercise's reader, and equal
    decided = by["shift4.read_and_decide"].data["decided"]
    assert sum(sum(c.values()) for c in decided.values()) == sum(
        1 for a in answers_of(synthetic_class, "shift4.read_and_decide") if a["decision"]
    )


def test_sections_show_a_prompt_beside_the_chart_and_fold_the_tables(class_view):
    html = class_view.section_widgets["shift3.prioritise_backlog"].value
    assert 'role="note" aria-label="Discussion prompt"' in html
    assert "<details" in html and "Table: Gut top fives against RICE and WSJF" in html
    assert html.count("<svg") == 1
    assert "<table" in html


# --- hostile and odd answers ---------------------------------------------------------------------
HOSTILE = [
    None,
    0,
    "x",
    [],
    [1, 2],
    {"ratings": "x"},
    {"labels": [1]},
    {"picks": "B01"},
    {"choices": {"RC01": "value"}},
    {"rows": [None, 5, {"kind": "value", "likelihood": "9"}]},
    {"placements": {"S01": {"power": 1e400, "interest": "5"}}},
    {"decision": "ship", "locked": {"success": math.inf, "kill": 0}},
    {"top_three": [["a"], {"b": 1}, 7]},
    {"unit": "U9", "baseline": -1, "mde": 2},
]


def test_answers_of_the_wrong_shape_are_counted_never_an_error():
    learners = [
        cv.Learner(f"h{k}", f"h{k}.json", "folder", {i: a for i, _t in cv.EXERCISES})
        for k, a in enumerate(HOSTILE)
    ]
    sections = cv.summarise(learners)
    assert len(sections) == len(cv.EXERCISES)
    for sec in sections:
        assert not any("could not be made" in f for f in sec.facts), (sec.exercise_id, sec.facts)
        assert sec.answered + sec.unusable <= len(HOSTILE)
        cv.section_html(sec, "x")  # renders


def test_a_summary_that_fails_says_so_in_its_section(monkeypatch):
    def broken(answers, ident):
        raise RuntimeError("boom")

    monkeypatch.setitem(cv._SUMMARISERS, "shift1.pain_point_map", broken)
    lr = cv.Learner("a", "a.json", "folder", {"shift1.pain_point_map": {}})
    sec = {s.exercise_id: s for s in cv.summarise([lr])}["shift1.pain_point_map"]
    assert "could not be made (RuntimeError: boom)" in sec.facts[0]


def test_file_names_and_answers_are_escaped(class_folder):
    evil = "<img src=x onerror=alert(1)>.json"
    shutil.copy(class_folder / "learner01.json", class_folder / evil)
    (class_folder / "<i>bad.json").write_text("{", encoding="utf-8")
    book = wb.Workbook(class_folder / "learner02.json")
    book.save("shift3.prioritise_backlog", {"picks": ["<script>x</script>", "B01"]})
    view = cv.ClassView(class_folder, reveal=True)
    html = view.progress.value + view.skipped.value + view.status.value
    html += "".join(w.value for w in view.section_widgets.values())
    assert "<img src=x" not in html and "<i>bad" not in html and "<script>x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.json" in view.progress.value
    assert "&lt;i&gt;bad.json" in view.skipped.value


# --- uploads -------------------------------------------------------------------------------------
def test_an_uploaded_workbook_joins_the_class_and_a_bad_one_is_named(class_folder):
    view = cv.ClassView(class_folder)
    raw = workbook_bytes(learner_answers(np.random.default_rng(1), _ref()))
    message = view.add_upload("workbook.json", raw)
    view.refresh()
    assert message == "workbook.json: added."
    assert len(view.learners) == LEARNERS + 1
    assert view.sections[0].answered == LEARNERS + 1
    assert "1 uploaded" in view.status.value
    # the same file handed in twice counts once; another learner's file of the same name counts
    view.add_upload("workbook.json", raw)
    other = workbook_bytes({"start.self_assessment": {"ratings": {}}})
    view.add_upload("workbook.json", other)
    view.refresh()
    assert len(view.uploads) == 2
    bad = view.add_upload("notes.json", b"not json")
    view.refresh()
    assert bad.startswith("notes.json: skipped, it is not valid JSON")
    assert "notes.json" in view.skipped.value and "(uploaded)" in view.skipped.value
    view.forget_uploads()
    assert len(view.learners) == LEARNERS


def test_the_upload_widget_hands_files_to_the_view(tmp_path):
    view = cv.ClassView(tmp_path)
    raw = workbook_bytes({"start.self_assessment": {"ratings": {}}})
    entry = {"name": "w.json", "type": "application/json", "size": len(raw),
             "content": memoryview(raw), "last_modified": 0}  # fmt: skip
    view._uploaded({"new": (entry,)})
    assert len(view.uploads) == 1
    assert view.sections[0].unusable == 1  # an empty self-assessment is not a usable answer
    view._uploaded({"new": ({"name": "x"},)})  # no content: named, not an error
    assert "could not be received" in view.skipped.value


def _ref():
    from pivot.synthetic_class import _Reference

    return _Reference()


# --- the widget ----------------------------------------------------------------------------------
def test_the_buttons_work_headlessly(class_folder, tmp_path):
    view = cv.ClassView()
    assert "No class folder yet" in view.status.value
    view.folder_box.value = str(class_folder)
    view.open_button.click()
    assert len(view.learners) == LEARNERS
    before = view.refreshes
    view.refresh_button.click()
    assert view.refreshes == before + 1
    assert "Refresh" in view.status.value and "0 files read afresh" in view.status.value


def test_the_folder_comes_from_pivot_workbook_dir(class_folder, monkeypatch):
    monkeypatch.setenv("PIVOT_WORKBOOK_DIR", str(class_folder))
    assert len(cv.ClassView().learners) == LEARNERS


def test_auto_refresh_runs_on_the_kernels_loop_and_can_be_turned_off(class_folder):
    async def run():
        view = cv.ClassView(class_folder, every=0.05)
        assert view._timer is not None
        start = view.refreshes
        deadline = time.monotonic() + 20
        while view.refreshes < start + 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        assert view.refreshes >= start + 2
        view.every.value = 0
        assert view._timer is None
        stopped = view.refreshes
        await asyncio.sleep(0.2)
        assert view.refreshes == stopped
        # a second live view takes over the timer
        view.every.value = 0.05
        other = cv.ClassView(class_folder, every=0.05)
        assert view._timer is None and other._timer is not None
        other.stop()

    _in_a_fresh_thread(lambda: asyncio.run(run()))


def test_without_a_running_loop_auto_refresh_says_so(class_folder):
    def check():
        view = cv.ClassView(class_folder, every=30)
        assert view._timer is None
        assert "needs a running Jupyter kernel" in view.status.value
        assert cv.ClassView(class_folder)._timer is None  # off by default

    _in_a_fresh_thread(check)


def _in_a_fresh_thread(fn) -> None:
    """Run ``fn`` in a new thread: on a pytest-xdist worker that also ran Playwright's sync API,
    the main thread has an event loop running, which is neither a kernel's loop nor no loop."""
    import threading

    errors: list[BaseException] = []

    def target():
        try:
            fn()
        except BaseException as exc:  # re-raised in the test's own thread
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the check did not finish within 60 s"
    if errors:
        raise errors[0]


# --- the synthetic class is realistic ------------------------------------------------------------
@pytest.mark.parametrize("exercise_id", [i for i, _t in cv.EXERCISES])
def test_synthetic_answers_restore_in_the_real_exercises(synthetic_class, exercise_id):
    import pivot.exercises as ex

    cls = next(getattr(ex, n) for n in ex.__all__ if getattr(ex, n).exercise_id == exercise_id)
    for path in sorted(synthetic_class.glob("learner*.json"))[:3]:
        answer = entry_answers(path)[exercise_id]
        widget = cls(wb.Workbook(None))
        assert widget.restore(answer) is None, path.name


def test_the_synthetic_class_is_complete_and_seeded(synthetic_class, tmp_path):
    from pivot.export import course_order

    ids = {i for i, _t in course_order()}
    for path in sorted(synthetic_class.glob("learner*.json")):
        assert ids <= set(entry_answers(path))
    write_class(tmp_path / "again", 2)
    for name in ("learner01.json", "learner02.json"):
        assert entry_answers(tmp_path / "again" / name) == entry_answers(synthetic_class / name)


# --- the notebook's worked example ---------------------------------------------------------------
def test_the_worked_example_numbers():
    got = cv.worked_agreement()
    assert got["same"] == pytest.approx(1.0)
    assert got["opposite"] > 0.95 > got["apart"]
    assert got["in_all"] == ["B02", "B01"] or set(got["in_all"]) == {"B01", "B02"}
    assert got["w_uncorrected"] < got["w"]
    assert got["bottom"] == 18
    html = cv.worked_agreement_html()
    assert "Three gut top fives" in html and "Rank sums" in html
