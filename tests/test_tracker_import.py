"""Bring your own backlog: tracker exports (Jira, GitHub issues, Linear) are mapped, read,
converted with notes, or refused with problems that name the line and the column."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pivot import data
from pivot.data import DataError
from pivot.frameworks import prioritization as p
from pivot.frameworks import tracker_import as t

SAMPLES = data.DATA_DIR / "samples"


def sample(name):
    return (SAMPLES / name).read_bytes()


def problems(exc):
    return [str(x) for x in exc.problems]


def notes(result):
    return [str(n) for n in result.notes]


JIRA_MAPPING = {
    "item_id": "Issue key",
    "title": "Summary",
    "reach": "Custom field (Reach)",
    "impact": "Custom field (Impact)",
    "confidence": "Custom field (Confidence)",
    "effort": "Custom field (Story Points)",
    "job_size": "Custom field (Story Points)",
    "type": "Issue Type",
    "labels": "Labels",
}


# --- suggesting a mapping -----------------------------------------------------------------
def test_suggest_mapping_for_the_three_sample_exports():
    jira = t.suggest_mapping(t.read_headers(sample("jira_export.csv")))
    assert jira == JIRA_MAPPING  # "Issue key" beats "Issue id"; the Sprint columns unused
    github = t.suggest_mapping(t.read_headers(sample("github_issues.csv")))
    assert github == {"item_id": "number", "title": "title", "labels": "labels"}
    linear = t.suggest_mapping(t.read_headers(sample("linear_export.csv")))
    assert linear == {
        "item_id": "ID",
        "title": "Title",
        "reach": "Reach",
        "impact": "Impact",
        "confidence": "Confidence",
        "effort": "Estimate",
        "job_size": "Estimate",
        "labels": "Labels",
    }


def test_suggest_mapping_ignores_case_punctuation_and_prefers_exact_names():
    headers = ["KEY", "issue summary", "RICE - Impact", "Business Value", "Job size", "Notes"]
    assert t.suggest_mapping(headers) == {
        "item_id": "KEY",
        "title": "issue summary",  # contains "summary"
        "impact": "RICE - Impact",
        "effort": "Job size",  # no effort column: the size is the best guess, to confirm
        "business_value": "Business Value",
        "job_size": "Job size",
    }
    assert t.suggest_mapping(["Item ID", "Title", "Effort", "Story Points"]) == {
        "item_id": "Item ID",
        "title": "Title",
        "effort": "Effort",
        "job_size": "Story Points",
    }
    assert t.suggest_mapping([]) == {}


# --- the sample exports -------------------------------------------------------------------
def test_jira_export_problems_name_line_and_column():
    with pytest.raises(DataError) as info:
        t.import_backlog(sample("jira_export.csv"), JIRA_MAPPING, file="jira_export.csv")
    # CB-101's description runs over lines 2-3, so CB-104 starts on line 6
    assert problems(info.value) == [
        "jira_export.csv, line 6, column 'Custom field (Confidence)': expected one of 100, 80, "
        "50 (percent, Intercom's confidence scale) or high, medium, low (the cell is blank; "
        "give a default for confidence to fill such cells)",
        "jira_export.csv, line 6, column 'Custom field (Story Points)': got 'TBD', expected a "
        "number greater than 0 (such as 2, 0.5 or '5 pts')",
        "jira_export.csv, line 10, column 'Custom field (Confidence)': expected one of 100, 80, "
        "50 (percent, Intercom's confidence scale) or high, medium, low (the cell is blank; "
        "give a default for confidence to fill such cells)",
        "jira_export.csv, line 22, column 'Custom field (Story Points)': expected a number "
        "greater than 0 (such as 2, 0.5 or '5 pts') (the cell is blank; give a default for "
        "effort to fill such cells)",
    ]


def test_jira_export_with_a_default_and_skipping_bad_rows_imports_with_notes():
    result = t.import_backlog(
        sample("jira_export.csv"),
        JIRA_MAPPING,
        {"confidence": 50},
        file="jira_export.csv",
        skip_invalid=True,
    )
    frame = result.frame
    assert len(frame) == 14 and result.skipped == 2
    assert "CB-104" not in frame["item_id"].tolist()  # TBD
    assert "CB-116" not in frame["item_id"].tolist()  # blank story points
    by_id = frame.set_index("item_id")
    assert by_id.loc["CB-102", "effort"] == 3  # '3 pts'
    assert by_id.loc["CB-103", "impact"] == 1  # 'Medium'
    assert by_id.loc["CB-114", "reach"] == 1200  # '1,200'
    assert by_id.loc["CB-112", "confidence"] == 80  # '0.8'
    assert by_id.loc["CB-107", "confidence"] == 50  # blank, the default
    assert by_id.loc["CB-111", "type"] == "bug" and by_id.loc["CB-108", "type"] == "feature"
    assert by_id.loc["CB-105", "line"] == 8
    listed = notes(result)
    for expected in [
        "jira_export.csv, column 'Sprint': ignored: the name appears in columns 10, 11 and is "
        "not mapped",
        "jira_export.csv, column 'Custom field (Story Points)', line 4: read '3 pts' as 3 "
        "story points",
        "jira_export.csv, column 'Labels': the name appears in columns 12, 13 (Jira repeats a "
        "column once per value): their values are joined",
        "jira_export.csv, column 'Custom field (Reach)', line 20: read '1,200' as 1200 (a "
        "thousands separator)",
        "jira_export.csv, column 'Custom field (Impact)', line 5: read 'Medium' as 1 "
        "(Intercom's impact scale)",
        "jira_export.csv, column 'Custom field (Confidence)', lines 6, 10: blank: used the "
        "default 50",
        "jira_export.csv, column 'Custom field (Story Points)', line 6: row left out: got "
        "'TBD', expected a number greater than 0 (such as 2, 0.5 or '5 pts')",
    ]:
        assert expected in listed
    assert result.units == {"effort": "story points", "job_size": "story points"}
    scored = p.score_backlog(frame).set_index("item_id")
    assert scored.loc["CB-101", "score"] == 810  # 540 x 3 x 1.0 / 2 story points


def test_a_repeated_header_is_merged_never_refused():
    # Jira repeats Labels, Sprint, Components and Fix versions once per value
    mapping = {**JIRA_MAPPING, "title": "Sprint"}
    result = t.import_backlog(
        sample("jira_export.csv"), mapping, {"confidence": 50}, file="j.csv", skip_invalid=True
    )
    by_id = result.frame.set_index("item_id")
    assert by_id.loc["CB-102", "title"] == "Crewboard Sprint 14"  # the first of two sprints
    assert by_id.loc["CB-103", "title"] == "CB-103"  # no sprint: the id
    assert (
        "j.csv, column 'Sprint', line 4: different values in the columns of that name: used the "
        "first for title" in notes(result)
    )
    raw = (
        b"Issue key,Summary,Labels,Labels,Labels,Effort,Effort\n"
        b"K-1,One,bug,impact:2,,3,\n"
        b"K-2,Two,,reach:50,impact:1,,2\n"
        b"K-3,Three,spike,,,5,8\n"
    )
    m = t.suggest_mapping(t.read_headers(raw))
    assert m["labels"] == "Labels" and m["effort"] == "Effort"
    result = t.import_backlog(raw, m, {"reach": 1, "confidence": 50, "impact": 1}, file="f")
    frame = result.frame.set_index("item_id")
    assert frame["effort"].tolist() == [3, 2, 5]
    assert frame.loc["K-1", ["impact", "type"]].tolist() == [2, "bug"]
    assert frame.loc["K-2", ["reach", "impact"]].tolist() == [50, 1]
    assert frame.loc["K-3", "type"] == "experiment"
    listed = notes(result)
    assert (
        "f, column 'Labels': the name appears in columns 3, 4, 5 (Jira repeats a column once "
        "per value): their values are joined" in listed
    )
    assert (
        "f, column 'Effort', line 4: different values in the columns of that name: used the "
        "first for effort" in listed
    )


SAMPLE_NAMES = sorted(p.name for p in (data.data_dir() / "samples").glob("*.csv"))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_suggested_mapping_is_never_refused(name):
    raw = sample(name)
    mapping = t.suggest_mapping(t.read_headers(raw))
    defaults = {f: 1 for f in p.FIELDS["rice"]} | {"confidence": 50}
    try:
        t.import_backlog(raw, mapping, defaults, file=name)
    except DataError as exc:  # only rows may be refused, never the mapping (line 1)
        assert all(x.line not in (None, 1) for x in exc.problems), problems(exc)


@pytest.mark.parametrize(
    ("header", "cells", "unit"),
    [
        ("Custom field (Story Points)", [], "story points"),
        ("Story point estimate", [], "story points"),
        ("Estimate", ["3"], "story points"),  # Linear's estimate is in points
        ("Effort (days)", ["3"], "person-days"),
        ("Estimate (h)", ["3"], "hours"),
        ("Effort (person-months)", [], "person-months"),
        ("Size", ["3 pts", "5"], "story points"),
        ("Effort", ["3d", "2d", "4h"], "person-days"),
        ("Effort", ["3", "5"], None),  # Azure DevOps' Effort: the learner must say
        ("Original Estimate", ["7200"], None),
    ],
)
def test_detect_unit(header, cells, unit):
    found, reason = t.detect_unit(header, cells)
    assert found == unit
    assert header in reason


def test_units_of_the_samples_and_mixed_units_in_a_column():
    units = {}
    for name in SAMPLE_NAMES:
        raw = sample(name)
        mapping = t.suggest_mapping(t.read_headers(raw))
        result = t.import_backlog(
            raw, mapping, {"confidence": 50, "reach": 1, "impact": 1}, skip_invalid=True
        )
        units[name] = result.units["effort"]
    assert units == {
        "jira_export.csv": "story points",
        "github_issues.csv": None,
        "linear_export.csv": "story points",
        "azure_devops_export.csv": "story points",
        "trello_export.csv": "person-days",
    }
    raw = sample("trello_export.csv")
    with pytest.raises(DataError) as info:
        t.import_backlog(raw, t.suggest_mapping(t.read_headers(raw)), {"confidence": 50})
    assert "line 8, column 'Effort (days)': got '16h', expected a number in person-days" in (
        " ".join(problems(info.value))
    )


def test_a_field_without_a_column_takes_its_default_for_every_item_in_one_note():
    raw = b"Key,Summary,Impact,Confidence,Effort\nK-1,One,2,80,1\nK-2,Two,1,50,2\n"
    mapping = {"item_id": "Key", "title": "Summary", "impact": "Impact",
               "confidence": "Confidence", "effort": "Effort"}  # fmt: skip
    with pytest.raises(DataError, match="column 'reach': expected a column mapped to reach"):
        t.import_backlog(raw, mapping, file="f")
    result = t.import_backlog(raw, mapping, {"reach": 1}, file="f")
    assert result.frame["reach"].tolist() == [1, 1]
    assert notes(result) == [
        "f, column 'reach': no column for reach: used the default 1 for every item (the same "
        "reach for all: RICE then ranks by impact × confidence ÷ effort)"
    ]


def test_without_an_item_id_column_items_are_named_after_their_line():
    raw = b"Summary,Reach,Impact,Confidence,Effort\nOne,10,2,80,1\n\nTwo,10,1,50,2\n"
    mapping = {"title": "Summary", "reach": "Reach", "impact": "Impact",
               "confidence": "Confidence", "effort": "Effort"}  # fmt: skip
    result = t.import_backlog(raw, mapping, file="f")
    assert result.frame["item_id"].tolist() == ["L2", "L4"]  # the blank line 3 is skipped
    assert any("named after the line it starts on" in n for n in notes(result))


def test_github_labels_carry_the_estimates_and_the_type():
    raw = sample("github_issues.csv")
    mapping = t.suggest_mapping(t.read_headers(raw))
    with pytest.raises(DataError) as info:
        t.import_backlog(raw, mapping, {"confidence": 50}, file="github_issues.csv")
    assert problems(info.value) == [
        "github_issues.csv, line 13, column 'labels': expected a number greater than 0 (such as "
        "2, 0.5 or '5 pts') (no 'effort:' label; give a default for effort to fill such cells)"
    ]
    result = t.import_backlog(
        raw, mapping, {"confidence": 50, "effort": 1}, file="github_issues.csv"
    )
    frame = result.frame.set_index("item_id")
    assert len(frame) == 14
    assert frame.loc["430", ["reach", "impact", "confidence", "effort"]].tolist() == [
        300,
        2,
        100,
        1.5,
    ]
    assert frame.loc["427", "confidence"] == 50 and frame.loc["438", "effort"] == 1
    assert frame.loc["412", "type"] == "bug" and frame.loc["436", "type"] == "tech-debt"
    assert frame.loc["440", "type"] == "experiment" and frame.loc["438", "type"] == "feature"
    assert "github_issues.csv, column 'labels': impact read from labels such as 'impact:…'" in (
        notes(result)
    )
    top = p.score_backlog(result.frame)["item_id"].head(2).tolist()
    assert top == ["412", "415"]  # 540 x 3 x 1.0 / 1 = 1620; 600 x 2 x 0.8 / 1 = 960


def test_github_wsjf_without_wsjf_labels_is_one_problem_per_field():
    raw = sample("github_issues.csv")
    with pytest.raises(DataError) as info:
        t.import_backlog(raw, t.suggest_mapping(t.read_headers(raw)), method="wsjf", file="g")
    assert len(info.value.problems) == 4
    assert problems(info.value)[0] == (
        "g, line 1, column 'business_value': expected a column mapped to business_value, "
        "'business_value:' labels, or a default value for it"
    )


def test_linear_export_windows_1252_semicolons_and_decimal_commas():
    raw = sample("linear_export.csv")
    assert b"\xe9" in raw  # é in Windows-1252
    mapping = t.suggest_mapping(t.read_headers(raw))
    result = t.import_backlog(raw, mapping, file="linear_export.csv")
    assert result.delimiter == ";"
    frame = result.frame.set_index("item_id")
    assert frame.loc["CRW-33", "title"] == "Accept accented names (José, Renée) in customer search"
    assert frame.loc["CRW-33", ["impact", "effort"]].tolist() == [0.5, 0.5]
    assert frame.loc["CRW-34", "effort"] == 1.5
    assert frame.loc["CRW-42", "type"] == "feature"  # the label Improvement
    assert (
        "linear_export.csv, column 'Estimate', line 5: read '1,5' as 1.5 (a decimal comma)"
        in notes(result)
    )
    assert p.score_backlog(result.frame).loc[0, "item_id"] == "CRW-34"  # 300 x 2 x 1 / 1.5


# --- encodings, delimiters, structure -----------------------------------------------------
MINIMAL = {"item_id": "Key", "title": "Summary", "reach": "Reach", "impact": "Impact",
           "confidence": "Confidence", "effort": "Effort"}  # fmt: skip
TEXT = "Key,Summary,Reach,Impact,Confidence,Effort\nK-1,Café sign-in,100,2,80,1\n"


@pytest.mark.parametrize(
    "raw",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),
        TEXT.encode("cp1252"),
        TEXT.replace(",", "\t").encode(),
        TEXT.replace(",", "|").encode(),
        TEXT.replace(",", ";").encode(),
        TEXT.replace("\n", "\r\n").encode(),
        TEXT.replace("\n", "\n\n,,,,,\n").encode(),
        ("\ufeff" + TEXT).encode("utf-16-le"),
    ],
    ids=[
        "utf8",
        "bom",
        "utf16",
        "cp1252",
        "tab",
        "pipe",
        "semicolon",
        "crlf",
        "blank-rows",
        "utf16le-bom",
    ],
)
def test_encodings_and_delimiters(raw):
    frame = t.import_backlog(raw, MINIMAL).frame
    assert frame.loc[0, "title"] == "Café sign-in"
    assert p.score_backlog(frame).loc[0, "score"] == 160  # 100 x 2 x 0.8 / 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the file is empty"),
        (b"\n \n", "the file is empty"),
        (b"Key,Summary,Reach,Impact,Confidence,Effort\n", "at least one row of data"),
        (b"PK\x03\x04\x00\x00binary", "looks like a binary file"),
    ],
)
def test_empty_header_only_and_binary_files(raw, message):
    with pytest.raises(DataError, match=message):
        t.import_backlog(raw, MINIMAL)


def test_structural_problems_name_the_header_line():
    with pytest.raises(DataError) as info:
        t.import_backlog(TEXT.encode(), {**MINIMAL, "title": "Name", "colour": "Key"}, file="f")
    assert problems(info.value) == [
        "f, line 1: expected a column named 'Name' for title (columns found: 'Key', 'Summary', "
        "'Reach', 'Impact', 'Confidence', 'Effort')",
        "f, column 'colour': got 'colour', expected a field of item_id, title, reach, impact, "
        "confidence, effort, business_value, time_criticality, risk_reduction, job_size, "
        "moscow, type, labels",
    ]
    without_effort = {k: v for k, v in MINIMAL.items() if k != "effort"}
    with pytest.raises(DataError, match="line 1, column 'effort': expected a column mapped to"):
        t.import_backlog(TEXT.encode(), without_effort, file="f")
    assert t.import_backlog(TEXT.encode(), without_effort, {"effort": 2}).frame.loc[
        0, "effort"
    ] == 2  # fmt: skip


def test_row_problems_duplicates_extra_fields_and_values_off_the_scale():
    raw = (
        b"Key,Summary,Reach,Impact,Confidence,Effort\n"
        b"K-1,One,100,2,80,1\n"
        b"K-1,Two,100,2,80,1\n"
        b"K-3,Three,100,5,80,1\n"
        b"K-4,Four,100,2,80,0\n"
        b"K-5,Five,100,2,80,1,oops\n"
        b"K-6,Six,2-3,2,80,1\n"
    )
    with pytest.raises(DataError) as info:
        t.import_backlog(raw, MINIMAL, file="f.csv")
    assert problems(info.value) == [
        "f.csv, line 3, column 'Key': got 'K-1', expected a value not used before (it is "
        "already on line 2)",
        "f.csv, line 4, column 'Impact': got '5', expected one of 3, 2, 1, 0.5, 0.25 "
        "(Intercom's impact scale) or massive, high, medium, low, minimal",
        "f.csv, line 5, column 'Effort': got '0', expected a number greater than 0 (such as 2, "
        "0.5 or '5 pts')",
        "f.csv, line 6: expected 6 fields as in the header (found 7; is a value with a "
        "delimiter missing its quotes?)",
        "f.csv, line 7, column 'Reach': got '2-3', expected a number of at least 0 (such as 120 "
        "or '1,200')",
    ]
    kept = t.import_backlog(raw, MINIMAL, file="f.csv", skip_invalid=True)
    assert kept.frame["item_id"].tolist() == ["K-1"] and kept.skipped == 5


def test_defaults_are_checked_and_method_none_reads_what_it_can():
    with pytest.raises(DataError, match=r"column 'default for confidence': got '75', expected"):
        t.import_backlog(TEXT.encode(), MINIMAL, {"confidence": 75})
    with pytest.raises(DataError, match="defaults only for"):
        t.import_backlog(TEXT.encode(), MINIMAL, {"colour": 1})
    raw = b"Key,Summary,Effort,MoSCoW\nK-1,One,TBD,must\nK-2,Two,,Won't have\n"
    result = t.import_backlog(
        raw, {"item_id": "Key", "title": "Summary", "effort": "Effort", "moscow": "MoSCoW"},
        method=None, file="f",
    )  # fmt: skip
    assert result.frame["moscow"].tolist() == ["Must", "Won't"]
    assert pd.isna(result.frame["effort"]).all()
    assert "f, column 'Effort', line 2: left effort empty: 'TBD' is not a number greater " in (
        " ".join(notes(result))
    )
    with pytest.raises(ValueError, match="method must be one of"):
        t.import_backlog(raw, {"item_id": "Key"}, method="ice")


def test_ten_thousand_rows_import_and_score():
    lines = ["Issue key,Summary,Sprint,Sprint,Custom field (Story Points),Reach,Impact,Confidence"]
    for i in range(10_000):
        points = "3 pts" if i % 50 == 0 else str(1 + i % 8)
        confidence = "" if i % 7 == 0 else "80%"
        lines.append(f'CB-{i},"Item {i}, with a comma",S1,S2,{points},{i % 900},2,{confidence}')
    raw = ("\n".join(lines) + "\n").encode()
    mapping = t.suggest_mapping(t.read_headers(raw))
    result = t.import_backlog(raw, mapping, {"confidence": 50})
    assert len(result.frame) == 10_000
    assert len(p.score_backlog(result.frame)) == 10_000
    blank_note = next(n for n in result.notes if "default 50" in n.note)
    assert len(blank_note.lines) == len(range(0, 10_000, 7))
    assert "and 1421 more" in str(blank_note)


# --- property tests -----------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_a_backlog_or_a_data_error(raw):
    try:
        result = t.import_backlog(raw, MINIMAL, file="fuzz.csv")
    except DataError as exc:
        assert exc.problems and all(x.file == "fuzz.csv" for x in exc.problems)
    else:
        assert {"item_id", "title", "reach", "impact", "confidence", "effort"} <= set(
            result.frame.columns
        )


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=6))
def test_arbitrary_cells_give_a_backlog_or_problems_naming_their_line(cells):
    row = ",".join('"' + c.replace('"', '""') + '"' for c in cells)
    raw = ("Key,Summary,Reach,Impact,Confidence,Effort\n" + row + "\n").encode(
        "utf-8", "surrogatepass"
    )
    try:
        result = t.import_backlog(raw, MINIMAL, {"confidence": 50}, file="fuzz.csv")
    except DataError as exc:
        assert all(x.file == "fuzz.csv" for x in exc.problems)
    else:
        assert len(result.frame) == 1
        p.score_backlog(result.frame)  # whatever imports, scores
