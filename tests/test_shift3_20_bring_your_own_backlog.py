"""notebooks/30-shift3/20-bring-your-own-backlog.ipynb, driven headlessly as a learner would."""

from __future__ import annotations

import datetime as dt
import json
import time

import ipywidgets as W
import pytest

from pivot import data
from pivot.exercises import BringYourOwnBacklog
from pivot.exercises import own_backlog as ob
from pivot.exercises.own_backlog import WorkedImport
from pivot.frameworks import prioritization as p
from pivot.frameworks import tracker_import as ti
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

SAMPLES = data.data_dir() / "samples"
SAMPLE_NAMES = sorted(p.name for p in (data.data_dir() / "samples").glob("*.csv"))
GOOD = (
    b"Key,Summary,Reach,Impact,Confidence,Effort\n"
    b"K1,Fix the <script>alert(1)</script> bug,500,3,100,1\n"
    b"K2,Small thing,100,1,,2\n"
    b"K3,Big thing,900,2,80%,10\n"
)


@pytest.fixture
def ex(workbook_path):
    return BringYourOwnBacklog(Workbook(workbook_path))


def upload(ex, content, name="backlog.csv"):
    ex.upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
        },
    )


def shown_text(widget) -> str:
    """Everything the learner reads: HTML, labels, chosen values (not closed menus' options)."""
    parts = []
    stack = [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, W.Box):
            if w.layout.display != "none":
                stack.extend(w.children)
            continue
        for attr in ("value", "description", "placeholder", "label"):
            v = getattr(w, attr, None)
            if isinstance(v, str):
                parts.append(v)
    return "\n".join(parts)


def test_a_good_file_is_mapped_loaded_and_ranked(ex):
    upload(ex, GOOD)
    assert ex.chosen_mapping() == {
        "item_id": "Key",
        "title": "Summary",
        "reach": "Reach",
        "impact": "Impact",
        "confidence": "Confidence",
        "effort": "Effort",
    }
    assert ex.load()
    text = ex.upload_feedback.text
    assert "3 items loaded from backlog.csv" in text
    assert "blank: used the default 50" in text and "read '80%' as 80" in text
    assert "Which unit is effort in?" in text  # 'Effort' names no unit
    table = ex.table.value
    assert "&lt;script&gt;" in table and "<script>" not in table
    ex.unit.value = "person-months"
    ex.capacity.value = "3"
    assert ex.capacity.description == "Capacity (person-months)"
    fb = ex.capacity_feedback.text
    assert "Capacity plan for 3 person-months by RICE" in fb
    greedy, best = ex.plans
    # the widget shows the framework's plans, not its own
    scored = p.score_backlog(ex.loaded.frame)
    assert greedy == p.fit_capacity_greedy(scored, 3)
    assert best.total_value >= greedy.total_value and best.total_cost <= 3


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_suggested_field_has_a_control_and_a_suggested_mapping_loads(ex, name):
    raw = (SAMPLES / name).read_bytes()
    upload(ex, raw, name)
    suggested = ti.suggest_mapping(ti.read_headers(raw))
    assert set(suggested) <= set(ex.mapping)
    assert ex.chosen_mapping() == suggested
    for field in suggested:
        assert field.replace("_", " ") in ex.upload_feedback.text
    ex.skip.value = True
    assert ex.load(), ex.upload_feedback.text
    assert "Not loaded" not in ex.upload_feedback.heading
    assert ex.table.value and len(ex.loaded.frame) > 0


def test_story_points_are_not_person_months(ex):
    upload(ex, (SAMPLES / "jira_export.csv").read_bytes(), "jira_export.csv")
    assert ex.unit.value == "story points"
    assert ex.capacity.description == "Capacity (story points)"
    ex.skip.value = True
    assert ex.load()
    assert "Story points are relative sizes, not a measure of time" in ex.upload_feedback.text
    for value in ("20", "", "abc", "nan", "-1"):
        ex.capacity.value = value
        assert "story points" in ex.capacity_feedback.text
    ex.capacity.value = "20"
    assert "Capacity plan for 20 story points by RICE" in ex.capacity_feedback.text
    assert "Effort (story points)" in ex.table.value
    ex.method.value = "wsjf" if "wsjf" in ex.scored else "rice"
    ex.method.value = "rice"
    text = shown_text(ex.widget) + ex.upload_feedback.text + ex.capacity_feedback.text
    assert "person-month" not in text and "pm)" not in text
    md = Workbook(ex.workbook.path).export_markdown()
    assert "effort is in story points" in md and "person-month" not in md


def test_an_unknown_unit_is_asked_for_and_the_learners_choice_labels_the_capacity(ex):
    upload(ex, (SAMPLES / "github_issues.csv").read_bytes(), "github_issues.csv")
    ex.defaults["effort"].value = 1
    assert ex.load()
    assert ex.unit.value == ""
    assert ex.capacity.description == "Capacity (choose the unit of effort first)"
    ex.capacity.value = "10"
    assert "Which unit is effort in?" in ex.capacity_feedback.text
    ex.unit.value = "person-days"
    assert ex.capacity.description == "Capacity (person-days)"
    assert "Capacity plan for 10 person-days by RICE" in ex.capacity_feedback.text
    assert "person-month" not in ex.capacity_feedback.text


def test_jira_repeated_labels_are_merged_and_tbd_refused_with_line_and_column(ex):
    upload(ex, (SAMPLES / "jira_export.csv").read_bytes(), "jira_export.csv")
    assert ex.chosen_mapping()["labels"] == "Labels"  # repeated in the file, suggested anyway
    assert "Repeated column names" in ex.upload_feedback.text
    assert not ex.load()
    text = ex.upload_feedback.text
    assert "line 6, column 'Custom field (Story Points)': got 'TBD'" in text
    assert "Leave out rows that cannot be used" in text
    ex.skip.value = True
    assert ex.load()
    text = ex.upload_feedback.text
    assert "14 items loaded" in text and "2 row(s) left out" in text
    assert "column 'Labels': the name appears in columns 12, 13" in text


def test_a_file_without_reach_gets_a_default_said_in_a_note(ex):
    upload(ex, (SAMPLES / "azure_devops_export.csv").read_bytes(), "azure_devops_export.csv")
    assert ex.defaults["reach"].value == 1 and ex.defaults["impact"].value == 1
    assert "The file has no column for reach: every item starts at 1" in ex.upload_feedback.text
    assert ex.defaults["risk_reduction"].value == 1  # WSJF: value and criticality are there
    ex.skip.value = True
    assert ex.load()
    assert "no 'reach:' labels: used the default 1 for every item" in ex.upload_feedback.text
    assert list(ex.scored) == ["rice", "wsjf"]
    ex.method.value = "wsjf"
    ex.capacity.value = "8"
    assert "Capacity plan for 8 story points by WSJF" in ex.capacity_feedback.text
    assert "cost of delay" in ex.capacity_feedback.text


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),
        lambda t: t.encode("cp1252"),
        lambda t: t.replace(",", ";").encode("utf-8"),
        lambda t: t.replace("\n", "\n\n;;\n").replace(",", ";").encode("utf-8"),
    ],
    ids=["utf8", "bom", "utf16", "cp1252", "semicolon", "blank-rows"],
)
def test_encodings_delimiters_and_blank_rows(ex, encode):
    text = (
        "Key,Summary,Story Points,Reach,Impact,Confidence\nK-1,Café,3,100,2,80\nK-2,Zoë,5,50,1,50\n"
    )
    upload(ex, encode(text), "export.csv")
    assert ex.load(), ex.upload_feedback.text
    assert ex.loaded.frame["title"].tolist() == ["Café", "Zoë"]
    assert ex.unit.value == "story points"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("nan", "got 'nan': not a number"),
        ("NaN", "got 'NaN': not a number"),
        ("inf", "finite number"),
        ("-Infinity", "finite number"),
        ("-3", "at least 0 story points (got '-3')"),
        ("lots", "such as 20 or 12.5 (got 'lots')"),
        ("1e400", "finite number"),
        ("9" * 50, "characters long"),
        ("", "Enter the team's capacity in story points"),
    ],
)
def test_bad_capacity_gets_a_clear_message_and_the_exercise_keeps_working(ex, value, expected):
    upload(ex, GOOD)
    ex.unit.value = "story points"
    assert ex.load()
    ex.capacity.value = "5"
    assert ex.plans is not None
    ex.capacity.value = value
    assert expected in ex.capacity_feedback.text
    assert ex.plans is None
    assert ex.save_control.last.ok  # the rest is still saved
    saved = Workbook(ex.workbook.path).get("shift3.own_backlog")
    assert saved["capacity"] == (value if len(value) <= ob.MAX_CAPACITY_CHARS else "5")
    ex.capacity.value = "11,5"
    assert "Capacity plan for 11.5 story points" in ex.capacity_feedback.text
    assert ex.save_control.last.ok


def test_settings_and_the_file_survive_a_restart_and_later_edits(ex, workbook_path):
    upload(ex, (SAMPLES / "linear_export.csv").read_bytes(), "linear_export.csv")
    ex.mapping["labels"].value = ""
    ex.defaults["confidence"].value = 80
    ex.skip.value = True
    assert ex.load()
    ex.unit.value = "person-days"
    ex.capacity.value = "12"
    ex.reflection.value = "Half our confidences are blank."
    before = ex.capacity_feedback.text
    again = BringYourOwnBacklog(Workbook(workbook_path))
    assert again.loaded is not None and len(again.loaded.frame) == len(ex.loaded.frame)
    assert again.chosen_mapping() == ex.chosen_mapping()
    assert "labels" not in again.chosen_mapping()
    assert again.defaults["confidence"].value == 80 and again.skip.value is True
    assert again.unit.value == "person-days" and again.capacity.value == "12"
    assert again.capacity_feedback.text == before
    assert again.reflection.value.startswith("Half")
    assert "Welcome back" in again.save_control.status.value
    # a later edit, then a bad upload, then another restart
    again.capacity.value = "6"
    upload(again, b"", "empty.csv")
    assert "your backlog from linear_export.csv is still loaded" in again.upload_feedback.heading
    third = BringYourOwnBacklog(Workbook(workbook_path))
    assert third.capacity.value == "6" and third.loaded.file == "linear_export.csv"
    md = Workbook(workbook_path).export_markdown()
    assert "Loaded: linear_export.csv" in md and "zlib" not in md


def test_a_file_over_the_size_limit_is_not_kept_and_says_so(ex, workbook_path, monkeypatch):
    monkeypatch.setattr(ob, "MAX_KEPT_BYTES", 50)
    upload(ex, GOOD)
    assert "too large to keep in your workbook" in ex.upload_feedback.text
    assert ex.load()
    again = BringYourOwnBacklog(Workbook(workbook_path))
    assert again.loaded is None
    assert "upload it again" in again.save_control.status.value
    assert again.defaults["confidence"].value == 50


def test_a_damaged_saved_file_is_reported_and_the_rest_restored(ex, workbook_path):
    upload(ex, GOOD)
    ex.defaults["confidence"].value = 80
    assert ex.load()
    doc = json.loads(workbook_path.read_text())
    doc["exercises"]["shift3.own_backlog"]["answer"]["upload"]["zlib_base64"] = "!!not base64"
    workbook_path.write_text(json.dumps(doc))
    again = BringYourOwnBacklog(Workbook(workbook_path))
    assert "the uploaded file" in again.save_control.status.value
    assert again.defaults["confidence"].value == 80 and again.loaded is None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02\xff" * 50, "looks like a binary file"),
        (b"just one column\nA\nB\n", "found 1 column"),
    ],
)
def test_unreadable_files_are_refused_and_nothing_is_lost(ex, content, expected):
    upload(ex, GOOD)
    ex.defaults["confidence"].value = 80
    assert ex.load()
    mapping = ex.chosen_mapping()
    upload(ex, content, "bad.csv")
    assert expected in ex.upload_feedback.text
    assert "your backlog from backlog.csv is still loaded" in ex.upload_feedback.heading
    assert ex.chosen_mapping() == mapping and ex.defaults["confidence"].value == 80
    assert ex.loaded.file == "backlog.csv" and ex.table.value


def test_tbd_names_the_column_and_line(ex):
    upload(ex, b"Key,Title,Reach,Impact,Confidence,Effort\nK1,x,TBD,1,50,2\n")
    assert not ex.load()
    assert "line 2, column 'Reach': got 'TBD'" in ex.upload_feedback.text
    assert ex.loaded is None


def test_load_before_upload(ex):
    assert not ex.load()
    assert "Upload a CSV first" in ex.upload_feedback.text


def test_huge_reflection_refused_and_kept(ex):
    ex.reflection.value = "w" * (MAX_TEXT_CHARS + 1)
    assert f"is {MAX_TEXT_CHARS + 1:,} characters long" in ex.save_control.text
    assert len(ex.reflection.value) == MAX_TEXT_CHARS + 1


def test_damaged_save(workbook_path):
    Workbook(workbook_path).save(
        "shift3.own_backlog",
        {"defaults": {"confidence": 55, "bogus": 1}, "mapping": [1], "reflection": 3, "unit": 4},
    )
    ex = BringYourOwnBacklog(Workbook(workbook_path))
    status = ex.save_control.status.value
    for part in ("default for confidence", "default for bogus", "column mapping", "reflection"):
        assert part in status
    assert "unit of effort" in status
    assert ex.defaults["confidence"].value == 50


def test_unreadable_save(workbook_path):
    Workbook(workbook_path).save("shift3.own_backlog", ["x"])
    ex = BringYourOwnBacklog(Workbook(workbook_path))
    assert "starting afresh" in ex.save_control.status.value


def test_ten_thousand_rows_load_and_the_capacity_feedback_is_fast(ex):
    lines = [
        "Issue key,Summary,Sprint,Sprint,Labels,Labels,Custom field (Story Points),Reach,"
        "Impact,Confidence"
    ]
    for i in range(10_000):
        points = "3 pts" if i % 50 == 0 else str(1 + i % 8)
        lines.append(f'CB-{i},"Item {i}, with a comma",S1,S2,a,b,{points},{i % 900},2,80%')
    raw = ("\n".join(lines) + "\n").encode()
    upload(ex, raw, "big.csv")
    assert ex.load(), ex.upload_feedback.text
    assert len(ex.loaded.frame) == 10_000
    assert "The best set (searched among the top" not in ex.capacity_feedback.text
    timings = []
    for value in ("40", "41.5", "nan", "60"):
        start = time.perf_counter()
        ex.capacity.value = value
        timings.append(time.perf_counter() - start)
    assert "searched among the top 200 items by rank" in ex.capacity_feedback.text
    assert ex.plans[0].items == p.fit_capacity_greedy(ex.scored["rice"], 60).items
    assert max(timings) < 0.5, timings  # measured about 0.03 s here
    assert Workbook(ex.workbook.path).get("shift3.own_backlog")["upload"]["bytes"] == len(raw)


def test_worked_import_matches_the_framework():
    w = WorkedImport()
    raw = (SAMPLES / "jira_export.csv").read_bytes()
    mapping = ti.suggest_mapping(ti.read_headers(raw))
    result = ti.import_backlog(raw, mapping, {"confidence": 50}, skip_invalid=True)
    assert len(w.result.frame) == len(result.frame) == 14 and w.result.skipped == 2
    assert len(w.problems) == 2 and w.unit == "story points"
    rice = p.score_backlog(result.frame)
    assert w.rice["item_id"].tolist() == rice["item_id"].tolist()
    assert w.greedy == p.fit_capacity_greedy(rice, w.CAPACITY)
    assert w.best.total_value >= w.greedy.total_value
    assert w.best.total_cost <= w.CAPACITY and w.greedy.total_cost <= w.CAPACITY


def test_a_kept_file_not_yet_loaded_says_so_after_a_restart(workbook_path):
    ex = BringYourOwnBacklog(Workbook(workbook_path))
    upload(ex, (SAMPLES / "jira_export.csv").read_bytes(), name="jira_export.csv")
    ex.save()
    again = BringYourOwnBacklog(Workbook(workbook_path))
    assert again.loaded is None
    assert again.upload_feedback.heading == "jira_export.csv is back, not loaded yet"
    assert "press Load my backlog" in again.upload_feedback.text
    assert "pivot-feedback" in again.upload_feedback.widget.value
