"""notebooks/40-shift4/50-blameless-review.ipynb: the release review data, the widget and the
page's static path."""

from __future__ import annotations

import csv
import json
import random
import re
import shutil
from pathlib import Path

import pytest
from test_hostile_inputs import _unescaped, hostile_pass

from pivot import data
from pivot.exercises.shift4 import blameless_review as br
from pivot.exercises.shift4.blameless_review import BlamelessReview, saved_learning_log
from pivot.frameworks import decisions as dc
from pivot.frameworks import review as rv
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "data" / "release_review.csv"
NOTEBOOK = ROOT / "notebooks" / "40-shift4" / "50-blameless-review.ipynb"
EVENTS = br.load_events()
WORKED_LOG = {
    "what_we_expected": "From the test's estimate, we expected the share of technicians who "
    "miss a moved job in a week to fall from 30 % to about 26 % within four weeks.",
    "what_happened": "Four weeks on, dispatchers still phoned about every moved job (calls).",
    "why": "Dispatchers were never told: the announcement went only to the changelog (tickets).",
    "what_we_change_next": "Next release we will message dispatchers in the app and measure "
    "their calls before and after.",
}


@pytest.fixture
def ex(workbook_path):
    return BlamelessReview(Workbook(workbook_path))


def raw_rows():
    with open(CSV, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- the data ---------------------------------------------------------------------------------
def test_the_review_is_as_the_brief_and_page_describe_it():
    rows = raw_rows()
    assert 8 <= len(rows) <= 12
    assert [r["event_id"] for r in rows] == [f"RV{i:02d}" for i in range(1, len(rows) + 1)]
    causes = [r["cause"] for r in rows]
    # both ends of the spectrum are used, and most of the middle
    assert "deviance" in causes and "exploratory_testing" in causes
    assert len(set(causes)) >= 8
    blaming = [r for r in rows if r["blaming"]]
    assert 3 <= len(blaming) <= 4
    assert any(r["blaming"] == "Jonah broke the sync." for r in blaming)
    # the brief's events are there: untested copy, a failed SMS experiment, a slip, a skipped step
    text = " ".join(r["event"] for r in rows)
    for phrase in ("never tested with technicians", "text message", "slipped a week", "Step 14"):
        assert phrase in text
    assert [e.event_id for e in EVENTS] == [r["event_id"] for r in rows]


def test_the_slipped_week_came_out_of_a_named_item_because_the_plan_had_no_buffer():
    """RV06: the seven items fill all 12 person-months, so there is no buffer to use; the week
    came out of another item of the release, named."""
    from pivot.exercises.shift4.assumption_map import RELEASE_CAPACITY, release_items

    rv06 = next(e for e in EVENTS if e.event_id == "RV06")
    backlog = data.load("backlog").set_index("item_id")
    release = release_items()
    assert sum(backlog.loc[list(release), "effort"]) == pytest.approx(RELEASE_CAPACITY)
    assert "buffer" not in (rv06.event + rv06.why).lower()
    assert "came out of the arrival-window texts (B11)" in rv06.event and "B11" in release
    assert "12 person-months" in rv06.why and "seven items" in rv06.why
    assert len(release) == 7 and RELEASE_CAPACITY == 12


def test_the_review_agrees_with_the_test_plan_of_the_earlier_pages():
    """RV07 is the pilot that Map the assumptions plans for A03 and the pre-mortem's F02 (calls
    counted at Keystone and at a larger account, Harbor); the larger account's pilot was cut
    and the team generalised from Keystone. The doubt was on record (RC13, F02), so the cause is
    not uncertainty but process inadequacy: nothing reopened the decision when a test was cut."""
    from pivot.exercises.shift4.assumption_map import load_assumptions
    from pivot.exercises.shift4.pre_mortem import load_failures

    rv07 = next(e for e in EVENTS if e.event_id == "RV07")
    a03 = load_assumptions().set_index("assumption_id").loc["A03"]
    f02 = load_failures().set_index("failure_id").loc["F02"]
    customers = data.load("customers").set_index("customer_id")
    keystone, harbor = customers.loc["C08"], customers.loc["C04"]
    assert keystone["company"] == "Keystone Facility Care" and keystone["technicians"] == 48
    assert harbor["company"] == "Harbor Property Services" and harbor["technicians"] == 140
    for text in (a03["cheap_test"], f02["next_step"], rv07.event):
        assert "Keystone Facility Care" in text and "Harbor Property Services" in text
    assert "two accounts" in a03["cheap_test"] and "two accounts" in f02["next_step"]
    assert "(C08, 48 technicians)" in a03["cheap_test"]
    assert "(C04, 140 technicians)" in a03["cheap_test"]
    # "nearly three times its size"; the larger accounts "three or four times its size"
    assert 2.5 < harbor["technicians"] / keystone["technicians"] < 3
    larger = customers[customers["technicians"] >= 2.5 * keystone["technicians"]]
    assert set(larger.index) == {"C04", "C11"}
    assert (larger["technicians"] <= 4 * keystone["technicians"]).all()
    assert "nearly three times its size" in rv07.event and "three or four times" in rv07.why
    assert "Harbor pilot was dropped" in rv07.event
    # the doubt was on record, in the concerns and the pre-mortem
    concerns = data.load("risk_concerns").set_index("concern_id")
    assert "larger accounts" in concerns.loc["RC13", "concern"]
    assert concerns.loc["RC13", "speaker"] == "Ravi Menon"
    assert "RC13" in a03["evidence_refs"] and "RC13" in f02["evidence"]
    assert "larger accounts" in f02["reason"]
    assert "larger accounts, where Ravi Menon had doubted" in rv07.event
    assert rv07.cause == "process_inadequacy" and rv.position(rv07.cause) == 4
    assert "It is not uncertainty" in rv07.why and "on record" in rv07.why
    assert not rv.names_in(rv07.why, rv.CAST_NAMES)


def test_the_review_includes_the_experiment_of_the_two_pages_before():
    """RV11: the release shipped to every account on the verdict of the experiment read on
    Read the result and decide (the worked result: iterate), without the change iterate called
    for. Its numbers are the worked result's, computed, not typed again in the test."""
    from pivot.exercises.shift4 import decide

    rv11 = next(e for e in EVENTS if e.event_id == "RV11")
    t = br.experiment_estimate()
    w = decide.WORKED_RESULT
    r = dc.read_result(w["control"], w["n"], w["treatment"], w["n"])
    crit = dc.Criteria.make(decide.DEFAULT_DESIGN["success"], decide.DEFAULT_DESIGN["kill"])
    assert t["verdict"] == dc.rule_decision(r, crit, lower_is_better=True) == "iterate"
    for key in ("estimate", "low", "high"):
        assert f"{t[key]:.2f}" in rv11.event
    assert f"below the {decide.DEFAULT_DESIGN['kill'] * 100:g} points worth shipping" in rv11.event
    assert "said iterate" in rv11.event and "to every account" in rv11.event
    assert "unchanged" in rv11.event and "the change iterate called for" in rv11.event
    assert rv11.cause == "process_inadequacy"
    assert "not deviance" in rv11.why and "not uncertainty" in rv11.why and "gate" in rv11.why
    assert not rv.names_in(rv11.why, rv.CAST_NAMES)
    # what happened after the release is inside the test's interval, far below its estimate
    fall = experiment_default_baseline() - br.OBSERVED_AFTER
    assert t["low"] < fall < t["estimate"]


def experiment_default_baseline() -> float:
    from pivot.exercises.shift4 import experiment

    return experiment.DEFAULT["baseline"]


def test_the_release_expectation_is_the_experiments_estimate_with_a_deadline(monkeypatch):
    import myst_nb

    from pivot.exercises.shift4 import experiment

    d = experiment.DEFAULT
    t = br.experiment_estimate()
    # 375 and 328 of 1,251: 29.98 % and 26.22 %, a fall of 3.76 points; 30 − 3.76 = 26.24
    assert round(t["estimate"], 2) == 3.76 and round(t["expected"], 1) == 26.2
    assert d["metric"] in br.DEFAULT_EXPECTATION
    assert "by 3.76 points (95 % interval 0.24 to 7.28 points" in br.DEFAULT_EXPECTATION
    assert "said iterate" in br.DEFAULT_EXPECTATION
    assert "from 30 % to about 26.2 % by the fourth week" in br.DEFAULT_EXPECTATION
    glued = {}
    monkeypatch.setattr(
        myst_nb, "glue", lambda key, value, display=True: glued.update({key: value})
    )
    br.glue_numbers("br")
    assert (glued["br_metric"], glued["br_baseline"], glued["br_expected"], glued["br_week"]) == (
        d["metric"],
        "30",
        "26.2",
        "fourth",
    )
    assert (glued["br_estimate"], glued["br_low"], glued["br_high"]) == ("3.76", "0.24", "7.28")
    assert (glued["br_verdict"], glued["br_after"], glued["br_after_fall"]) == (
        "iterate",
        "29",
        "1",
    )
    assert glued["br_events"] == len(EVENTS) == 11
    md = "\n".join("".join(c["source"]) for c in _cells() if c["cell_type"] == "markdown")
    expected = next(line for line in md.splitlines() if "*What we expected.*" in line)
    for key in ("br_metric", "br_estimate", "br_baseline", "br_expected", "br_week"):
        assert f"<!--glue {key}-->" in expected
    # the answer key praises the deadline the entry gives
    assert "by the <!--glue br_week-->fourth<!--/glue--> week" in expected
    assert "by the <!--glue br_week-->fourth<!--/glue--> week), in the metric" in md
    assert "at least half" not in md and "25 % or lower" not in md
    used = set(re.findall(r"<!--glue ([^ :>-]+)", md))
    assert used <= set(glued)


def test_only_people_from_the_cast_are_named():
    names = {p.split()[0] for p in rv.CAST_NAMES}
    capitalised = set()
    for r in raw_rows():
        for field in ("event", "why", "blaming", "finding"):
            capitalised |= set(re.findall(r"(?<![.!?:] )(?<!^)\b([A-Z][a-z]+)'s\b", r[field]))
    assert capitalised <= names | {"Ravi", "Edmondson"}, capitalised - names
    case = (ROOT / "book" / "case-study.md").read_text(encoding="utf-8")
    for person in rv.CAST_NAMES:
        assert f"| {person} |" in case  # the cast table is the canon


def test_every_blaming_sentence_fails_and_every_reference_finding_passes():
    for e in EVENTS:
        if not e.blaming:
            continue
        assert not rv.finding_checks(e.blaming, rv.CAST_NAMES)[0].passed, e.event_id
        checks = rv.finding_checks(e.finding, rv.CAST_NAMES, e.blaming)
        assert all(c.passed for c in checks), (e.event_id, [c.message for c in checks])


def _copy_data(tmp_path, monkeypatch, edit):
    shutil.copy(CSV, tmp_path / "release_review.csv")
    rows = raw_rows()
    edit(rows)
    with open(tmp_path / "release_review.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    monkeypatch.setenv("PIVOT_DATA_DIR", str(tmp_path))


def test_a_bad_cause_is_named_with_its_value(tmp_path, monkeypatch):
    _copy_data(tmp_path, monkeypatch, lambda rows: rows[2].update(cause="sabotage"))
    with pytest.raises(data.DataError, match=r"line 4.*cause.*sabotage"):
        br.load_events()


def test_a_blaming_sentence_without_a_finding_is_refused(tmp_path, monkeypatch):
    def edit(rows):
        rows[1]["finding"] = ""

    _copy_data(tmp_path, monkeypatch, edit)
    with pytest.raises(data.DataError) as err:
        br.load_events()
    assert "line 3" in str(err.value) and "finding" in str(err.value)


# --- sorting ----------------------------------------------------------------------------------
def test_the_reference_sort_matches_everything(ex):
    for e in EVENTS:
        ex.causes[e.event_id].value = e.cause
    n = len(EVENTS)
    assert (
        ex.sort_feedback.heading == f"Sorted: {n} of {n}; as the reference: {n}; one step away: 0"
    )
    assert "the reference places 3" in ex.sort_feedback.text  # RV01, RV02, RV03 by hand
    assert all(m.level == "good" for m in ex.sort_feedback.messages)


def test_feedback_says_how_far_which_way_and_why(ex):
    ex.causes["RV10"].value = "deviance"  # 1 for 9
    text = ex.sort_feedback.text
    assert "RV10: you chose Deviance; the reference has Exploratory testing" in text
    assert "8 steps nearer the blameworthy end" in text and "blame game" in text
    assert "prototype" not in text  # the why is shown, not the event again
    assert "exploratory testing, the praiseworthy end" in text  # the reference's why
    ex.causes["RV06"].value = "task_challenge"  # 5 for 6
    near = [m for m in ex.sort_feedback.messages if m.text.startswith("RV06")]
    assert near[0].level == "info" and "1 step nearer the blameworthy end" in near[0].text
    ex.causes["RV02"].value = "hypothesis_testing"  # 8 for 2
    far = next(m for m in ex.sort_feedback.messages if m.text.startswith("RV02"))
    assert far.level == "warn" and "6 steps nearer the praiseworthy end" in far.text
    assert "not run as one" in far.text


def test_everything_blamed_is_counted_against_the_reference(ex):
    for box in ex.causes.values():
        box.value = "deviance"
    last = ex.sort_feedback.messages[-1]
    assert last.level == "warn"
    assert f"You placed {len(EVENTS)} of {len(EVENTS)} events" in last.text
    assert "the reference places 3" in last.text


# --- findings ---------------------------------------------------------------------------------
def test_findings_are_checked_and_a_reference_shown(ex):
    ex.findings["RV02"].value = "Jonah broke the sync."
    text = ex.findings_feedback.text
    assert "original sentence" in text and "one way to write it" in text
    for e in ex.blamed:
        ex.findings[e.event_id].value = e.finding
    assert (
        ex.findings_feedback.heading
        == f"Findings: checks passed {3 * len(ex.blamed)} of " + str(3 * len(ex.blamed))
    )
    assert "Every check passed" in ex.findings_feedback.text


# --- the learning log -------------------------------------------------------------------------
def test_the_learning_log_is_saved_and_read_back(ex, workbook_path):
    for key, text in WORKED_LOG.items():
        ex.log[key].value = text
    assert ex.log_feedback.heading == "Checks passed: 4 of 4"
    assert saved_learning_log(Workbook(workbook_path)) == WORKED_LOG
    again = BlamelessReview(Workbook(workbook_path))
    assert again.log_entry() == WORKED_LOG
    assert "Welcome back" in again.save_control.text or again.save_control.last is None


@pytest.mark.parametrize(
    "answer",
    [
        "not a mapping",
        {"log": ["a", "b"]},
        {"log": {"what_we_expected": 5, "why": None}},
        {"log": {"what_happened": "x" * (MAX_TEXT_CHARS + 1)}},
        {"log": {"what_we_change_next": "   "}},
    ],
)
def test_saved_learning_log_never_raises(workbook, answer):
    workbook.save(br.EXERCISE_ID, answer if isinstance(answer, dict) else {"log": answer})
    assert saved_learning_log(workbook) == {}


def test_saved_learning_log_keeps_the_good_parts_and_survives_a_broken_workbook(workbook):
    workbook.save(br.EXERCISE_ID, {"log": {"why": "Because (tickets).", "what_happened": 3}})
    assert saved_learning_log(workbook) == {"why": "Because (tickets)."}

    class Broken:
        def get(self, _key):
            raise OSError("disk gone")

    assert saved_learning_log(Broken()) == {}
    assert saved_learning_log(Workbook(Path("/nonexistent/dir/wb.json"))) == {}


def test_the_saved_design_is_shown_escaped_or_the_default_stated(workbook_path, monkeypatch):
    ex = BlamelessReview(Workbook(workbook_path))
    assert "No experiment design is saved" in ex.design_note.value
    assert br.DEFAULT_EXPECTATION.split(",")[0] in ex.design_note.value
    design = {"hypothesis": "<script>x</script> fewer trips", "kill": "no change", "mde": 0.05}
    monkeypatch.setattr(br, "saved_design_for", lambda _wb: design)
    ex = BlamelessReview(Workbook(workbook_path))
    assert "&lt;script&gt;x&lt;/script&gt; fewer trips" in ex.design_note.value
    assert "Kill criterion" in ex.design_note.value and "<script" not in ex.design_note.value


# --- save, restore, hostile input ------------------------------------------------------------
def test_everything_round_trips(ex, workbook_path):
    ex.causes["RV01"].value = "inattention"
    ex.findings["RV04"].value = "The definition of done skips notification text. Fix: add it."
    ex.log["why"].value = "Because (tickets)."
    ex.reflection.value = "Mine 🙂"
    again = BlamelessReview(Workbook(workbook_path))
    assert again.answer() == ex.answer()
    md = again.to_markdown(again.answer())
    assert "- RV01: Inattention (reference: Deviance)" in md
    assert "> The definition of done" in md and "Reflection:" in md


def test_malformed_saved_answers_are_skipped_and_named(workbook):
    workbook.save(
        br.EXERCISE_ID,
        {
            "causes": {"RV01": "sabotage", "RV02": "inattention", "RV99": "deviance"},
            "findings": {"RV02": 42, "RV04": "ok"},
            "log": {"why": "y" * (MAX_TEXT_CHARS + 1), "what_happened": "fine"},
            "reflection": ["no"],
        },
    )
    ex = BlamelessReview(workbook)
    status = ex.save_control.text + " " + ex.save_control.status.value
    for part in ("the cause of RV01", "the finding for RV02", "why (with evidence)", "reflection"):
        assert part in status
    assert ex.causes["RV02"].value == "inattention" and ex.causes["RV01"].value == ""
    assert ex.findings["RV04"].value == "ok" and ex.log["what_happened"].value == "fine"
    for bad in (["a list"], {"causes": "x", "findings": [1], "log": 3}):
        workbook.save(br.EXERCISE_ID, bad if isinstance(bad, dict) else {"causes": bad})
        BlamelessReview(workbook)  # no exception


def test_an_over_long_finding_is_refused_on_its_own(ex, workbook_path):
    ex.log["why"].value = "kept"
    ex.findings["RV02"].value = "z" * (MAX_TEXT_CHARS + 1)
    assert f"'Finding for RV02' is {MAX_TEXT_CHARS + 1:,} characters long" in ex.save_control.text
    saved = Workbook(workbook_path).get(br.EXERCISE_ID)
    assert saved["findings"]["RV02"] == "" and saved["log"]["why"] == "kept"


def test_hostile_values_in_every_input(ex, workbook_path, monkeypatch):
    monkeypatch.setattr("os.fsync", lambda _fd: None)
    log, done = [], set()
    assert hostile_pass(ex, random.Random(1), log, done) > 10
    assert not log, "\n".join(log)
    assert not _unescaped(ex)
    json.loads(workbook_path.read_text(encoding="utf-8"))


def test_feedback_is_fast(ex):
    ex.log["why"].value = "x " * 5_000
    for key in ("RV01", "RV05", "RV09"):
        ex.causes[key].value = "uncertainty"
    ex.findings["RV02"].value = "The checklist has no gate. " * 200


# --- the page ---------------------------------------------------------------------------------
def _cells():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def test_the_page_has_its_parts_and_its_key_agrees_with_the_data():
    md = "\n".join("".join(c["source"]) for c in _cells() if c["cell_type"] == "markdown")
    assert "**Time:** teaching 15 min · exercise 25 min" in md
    for part in (
        "Questions",
        "Objectives",
        "Key points",
        "## Self-check",
        ":::{dropdown} Solution",
    ):
        assert part in md
    assert br.answer_key_markdown() in md  # regenerate the page if the data changes
    table = re.findall(r"^\| (\d) \| ([A-Za-z ]+) \| (.+) \|$", md, re.M)
    assert [(int(n), name) for n, name, _ in table] == [
        (i, r.name) for i, r in enumerate(rv.SPECTRUM, 1)
    ]
    assert [d for _, _, d in table] == [r.definition.capitalize() for r in rv.SPECTRUM]
    assert "../20-shift2/40-speak-up.ipynb" in md  # psychological safety: linked, not re-taught
    for key in (
        "kerth2001project",
        "beyer2016sre",
        "edmondson2011strategies",
        "rozenfeld2021pivot",
    ):
        assert key in md
    code = [c for c in _cells() if c["cell_type"] == "code"]
    assert "".join(code[-1]["source"]).strip().splitlines()[-1] == "BlamelessReview()"
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
