"""notebooks/30-shift3/20-bring-your-own-backlog.ipynb, driven headlessly as a learner would."""

from __future__ import annotations

import datetime as dt

import pytest

from pivot import data
from pivot.exercises import BringYourOwnBacklog
from pivot.exercises.own_backlog import WorkedImport
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

SAMPLES = data.data_dir() / "samples"
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
    table = ex.ranking.table.value
    assert "&lt;script&gt;" in table and "<script>" not in table
    assert ex.ranking.ranking is not None
    assert [ex.ranking.ids[k] for k in ex.ranking.ranking[0]] == ["K1", "K3", "K2"]
    ex.ranking.capacity.value = 3
    assert "Greedy" in ex.ranking.capacity_feedback.text


def test_jira_sample_refuses_tbd_with_line_and_column_then_skips(ex):
    upload(ex, (SAMPLES / "jira_export.csv").read_bytes(), "jira_export.csv")
    assert not ex.load()
    text = ex.upload_feedback.text
    assert "line 6, column 'Custom field (Story Points)': got 'TBD'" in text
    assert "Leave out rows that cannot be used" in text
    ex.skip.value = True
    assert ex.load()
    assert "14 items loaded" in ex.upload_feedback.text
    assert "2 row(s) left out" in ex.upload_feedback.text


def test_github_sample_needs_a_default_effort_and_says_so(ex):
    upload(ex, (SAMPLES / "github_issues.csv").read_bytes(), "github_issues.csv")
    assert not ex.load()
    assert "line 13, column 'labels'" in ex.upload_feedback.text
    assert "no 'effort:' label" in ex.upload_feedback.text


def test_linear_sample_with_semicolons_and_decimal_commas(ex):
    upload(ex, (SAMPLES / "linear_export.csv").read_bytes(), "linear_export.csv")
    assert ex.load()
    assert "read '0,5' as 0.5 (a decimal comma)" in ex.upload_feedback.text


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
    assert ex.loaded.file == "backlog.csv" and ex.ranking_box.children


def test_missing_column_and_tbd_name_the_column_and_line(ex):
    upload(ex, b"Key,Summary,Reach\nK1,x,5\n")
    assert not ex.load()
    text = ex.upload_feedback.text
    assert "column 'impact': expected a column mapped to impact" in text
    assert "column 'effort'" in text
    upload(ex, b"Key,Title,Reach,Impact,Confidence,Effort\nK1,x,TBD,1,50,2\n")
    assert not ex.load()
    assert "line 2, column 'Reach': got 'TBD'" in ex.upload_feedback.text
    assert ex.loaded is None


def test_wrong_delimiter_is_read_or_explained(ex):
    upload(ex, b"Key|Title|Reach|Impact|Confidence|Effort\nK1|x|5|1|50|2\n")
    assert ex.load()
    upload(ex, b"Key Reach Impact\nK1 5 1\n")
    assert "found 1 column" in ex.upload_feedback.text


def test_load_before_upload(ex):
    assert not ex.load()
    assert "Upload a CSV first" in ex.upload_feedback.text


def test_huge_reflection_refused_and_kept(ex):
    ex.reflection.value = "w" * (MAX_TEXT_CHARS + 1)
    assert f"is {MAX_TEXT_CHARS + 1:,} characters long" in ex.save_control.text
    assert len(ex.reflection.value) == MAX_TEXT_CHARS + 1


def test_settings_survive_a_restart(ex, workbook_path):
    upload(ex, GOOD)
    ex.defaults["confidence"].value = 80
    ex.skip.value = True
    assert ex.load()
    ex.reflection.value = "Half our confidences are blank."
    again = BringYourOwnBacklog(Workbook(workbook_path))
    assert again.defaults["confidence"].value == 80 and again.skip.value is True
    assert again.reflection.value.startswith("Half")
    assert "last time you loaded backlog.csv; upload it again" in again.save_control.status.value
    md = Workbook(workbook_path).export_markdown()
    assert "Loaded: backlog.csv, 3 items" in md and "item_id ← Key" in md


def test_damaged_save(workbook_path):
    Workbook(workbook_path).save(
        "shift3.own_backlog",
        {"defaults": {"confidence": 55, "bogus": 1}, "mapping": [1], "reflection": 3},
    )
    ex = BringYourOwnBacklog(Workbook(workbook_path))
    status = ex.save_control.status.value
    for part in ("default for confidence", "default for bogus", "column mapping", "reflection"):
        assert part in status
    assert ex.defaults["confidence"].value == 50


def test_unreadable_save(workbook_path):
    Workbook(workbook_path).save("shift3.own_backlog", ["x"])
    ex = BringYourOwnBacklog(Workbook(workbook_path))
    assert "starting afresh" in ex.save_control.status.value


def test_worked_import_counts():
    w = WorkedImport()
    assert len(w.problems) == 2 and w.result.skipped == 2
    assert len(w.result.frame) == 14 and len(w.result.notes) == 12
