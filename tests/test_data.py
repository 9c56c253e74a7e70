"""Loading and validation: the course's data sets load; bad files get messages that locate the
problem (file, line, column, value, expectation) and never a traceback from deeper down."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pivot.exercises  # noqa: F401  (registers the schemas the parts declare)
from pivot import data
from pivot.data import Column, DataError, Schema, read_table

TINY = Schema(
    "tiny",
    (
        Column("id", pattern=r"T\d+", unique=True),
        Column("size", "int", minimum=1, maximum=100),
        Column("score", "float", minimum=0, maximum=1, required=False),
        Column("kind", choices=("alpha", "beta")),
    ),
)


def problems(exc: DataError) -> list[str]:
    return [str(p) for p in exc.problems]


# --- the course's own data ----------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(data.SCHEMAS))
def test_every_course_data_set_loads_and_matches_its_schema(name):
    frame = data.load(name)
    assert list(frame.columns) == data.SCHEMAS[name].names
    assert len(frame) >= data.SCHEMAS[name].min_rows


def test_customers_case_study_has_twelve_accounts_with_unique_ids():
    customers = data.load("customers")
    assert len(customers) == 12
    assert customers["customer_id"].tolist() == [f"C{i:02d}" for i in range(1, 13)]
    assert set(customers["status"]) == {"active", "churned", "trial"}


def test_self_assessment_has_three_statements_per_shift_and_every_shift_known():
    items = data.load("self_assessment")
    shifts = data.load("shifts")
    assert items.groupby("shift").size().to_dict() == {1: 3, 2: 3, 3: 3, 4: 3}
    assert set(items["shift"]) == set(shifts["shift"])


def test_every_data_file_is_described_column_by_column_in_the_data_readme():
    readme = (data.DATA_DIR / "README.md").read_text(encoding="utf-8")
    for name, schema in data.SCHEMAS.items():
        assert f"{name}.csv" in readme, name
        for column in schema.names:
            assert f"`{column}`" in readme, f"{name}.{column} is not described"


def test_every_csv_in_the_data_folder_has_a_schema():
    """A data set added with a part must be declared (in pivot.data or registered by the module
    that reads it), so that it is validated on load and described in data/README.md."""

    files = {p.stem for p in data.DATA_DIR.glob("*.csv")}
    assert files == set(data.SCHEMAS), files ^ set(data.SCHEMAS)


def test_registering_a_different_schema_under_a_known_name_is_refused():
    with pytest.raises(ValueError, match="customers"):
        data.register(Schema("customers", (Column("x"),)))
    assert data.register(data.SCHEMAS["customers"]) is data.SCHEMAS["customers"]


def test_unknown_data_set_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="customers"):
        data.load("backlog_that_does_not_exist")


# --- reading ------------------------------------------------------------------------------
def test_valid_table_converts_types_and_keeps_schema_order():
    raw = b"kind,size,id,score,notes\nalpha,3,T1,0.5,x\nBeta,10,T2,,y\n"
    frame = read_table(raw, TINY, file="tiny.csv")
    assert list(frame.columns) == ["id", "size", "score", "kind"]
    assert frame["size"].tolist() == [3, 10]
    assert frame["size"].dtype == "int64"
    assert frame["score"].iloc[0] == 0.5 and pd.isna(frame["score"].iloc[1])
    assert frame["kind"].tolist() == ["alpha", "beta"]  # case folded to the canonical choice


def test_wrong_value_names_file_line_column_value_and_expectation():
    raw = b"id,size,score,kind\nT1,3,0.5,alpha\nT2,twelve,0.5,alpha\n"
    with pytest.raises(DataError) as info:
        read_table(raw, TINY, file="tiny.csv")
    assert problems(info.value) == [
        "tiny.csv, line 3, column 'size': got 'twelve', expected a whole number from 1 to 100"
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("0", "a whole number from 1 to 100"),
        ("101", "a whole number from 1 to 100"),
        ("2.5", "a whole number from 1 to 100"),
        ("nan", "a whole number from 1 to 100"),
        ("inf", "a whole number from 1 to 100"),
    ],
)
def test_out_of_range_and_non_integer_numbers_are_refused(cell, expected):
    raw = f"id,size,kind\nT1,{cell},alpha\n".encode()
    with pytest.raises(DataError, match=expected):
        read_table(raw, TINY, file="t.csv")


def test_choice_and_pattern_violations_say_what_is_allowed():
    raw = b"id,size,kind\nX1,3,gamma\n"
    with pytest.raises(DataError) as info:
        read_table(raw, TINY, file="t.csv")
    assert problems(info.value) == [
        "t.csv, line 2, column 'id': got 'X1', expected text matching T\\d+",
        "t.csv, line 2, column 'kind': got 'gamma', expected one of 'alpha', 'beta'",
    ]


def test_blank_required_cell_is_reported_and_blank_optional_cell_is_allowed():
    raw = b"id,size,score,kind\nT1,,,alpha\n"
    with pytest.raises(DataError) as info:
        read_table(raw, TINY, file="t.csv")
    assert problems(info.value) == [
        "t.csv, line 2, column 'size': expected a whole number from 1 to 100 (the cell is blank)"
    ]


def test_missing_column_lists_the_columns_that_were_found():
    raw = b"id,kind\nT1,alpha\n"
    with pytest.raises(DataError, match=r"a column named 'size' \(columns found: 'id', 'kind'\)"):
        read_table(raw, TINY, file="t.csv")


def test_duplicate_column_names_are_refused_with_their_positions():
    raw = b"id,size,kind,size\nT1,3,alpha,4\n"
    with pytest.raises(DataError, match="'size' appears in columns 2, 4"):
        read_table(raw, TINY, file="t.csv")


def test_duplicate_ids_point_to_the_first_use():
    raw = b"id,size,kind\nT1,3,alpha\nT1,4,beta\n"
    with pytest.raises(DataError, match="line 3, column 'id': got 'T1', .*already on line 2"):
        read_table(raw, TINY, file="t.csv")


def test_row_with_extra_fields_suggests_missing_quotes():
    raw = b"id,size,kind\nT1,3,alpha,extra\n"
    with pytest.raises(DataError, match="line 2: expected 3 fields .*missing its quotes"):
        read_table(raw, TINY, file="t.csv")


def test_short_rows_are_blank_cells_not_crashes():
    raw = b"id,size,kind\nT1,3\n"
    with pytest.raises(DataError, match="column 'kind'.*the cell is blank"):
        read_table(raw, TINY, file="t.csv")


def test_many_problems_are_summarised_after_ten():
    rows = "\n".join(f"T{i},0,alpha" for i in range(15))
    with pytest.raises(DataError) as info:
        read_table(f"id,size,kind\n{rows}\n".encode(), TINY, file="t.csv")
    assert len(info.value.problems) == 15
    assert str(info.value).startswith("15 problems found:")
    assert "… and 5 more" in str(info.value)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the file is empty"),
        (b"   \n\n", "the file is empty"),
        (b"id,size,kind\n", "at least 1 row"),
        (b"PK\x03\x04\x00\x00binary", "looks like a binary file"),
    ],
)
def test_empty_header_only_and_binary_files_get_clear_messages(raw, message):
    with pytest.raises(DataError, match=message):
        read_table(raw, TINY, file="t.csv")


def test_semicolon_tab_and_pipe_delimiters_are_detected():
    for delim in [";", "\t", "|"]:
        raw = delim.join(["id", "size", "kind"]) + "\n" + delim.join(["T1", "3", "beta"]) + "\n"
        frame = read_table(raw.encode(), TINY, file="t.csv")
        assert frame["kind"].tolist() == ["beta"], delim


def test_utf8_bom_utf16_and_windows_1252_files_are_read():
    text = "id,size,kind\nT1,3,alpha\n"
    for raw in [
        b"\xef\xbb\xbf" + text.encode(),
        text.encode("utf-16"),
        "id,size,kind,note\nT1,3,alpha,café\n".encode("cp1252"),
    ]:
        frame = read_table(raw, TINY, file="t.csv")
        assert frame["id"].tolist() == ["T1"]


def test_mapping_reads_a_learners_own_headers():
    raw = b"Key,Team size,Type\nT7,8,alpha\n"
    frame = read_table(
        raw, TINY, file="mine.csv", mapping={"id": "Key", "size": "Team size", "kind": "Type"}
    )
    record = frame.to_dict("records")[0]
    assert pd.isna(record.pop("score"))
    assert record == {"id": "T7", "size": 8, "kind": "alpha"}


def test_mapping_to_a_column_that_does_not_exist_is_reported():
    raw = b"Key,size,kind\nT7,8,alpha\n"
    with pytest.raises(DataError, match="a column named 'Identifier'"):
        read_table(raw, TINY, file="mine.csv", mapping={"id": "Identifier"})


def test_huge_cell_is_refused_with_its_length():
    big = "x" * 6000
    schema = Schema("s", (Column("id"), Column("note")))
    with pytest.raises(DataError, match="at most 5,000 characters .this cell has 6,000"):
        read_table(f"id,note\n1,{big}\n".encode(), schema, file="t.csv")


def test_too_large_file_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(data, "MAX_BYTES", 10)
    with pytest.raises(DataError, match="a file of at most"):
        read_table(b"id,size,kind\nT1,3,alpha\n", TINY, file="t.csv")


def test_missing_file_is_a_data_error_not_an_oserror(tmp_path):
    with pytest.raises(DataError, match="nope.csv: expected a file that can be read"):
        read_table(tmp_path / "nope.csv", TINY)


def test_too_many_rows_is_refused():
    schema = Schema("s", (Column("id"),), max_rows=2)
    with pytest.raises(DataError, match="at most 2 rows"):
        read_table(b"id\n1\n2\n3\n", schema, file="t.csv")


def test_column_rejects_unknown_kind():
    with pytest.raises(ValueError, match="kind must be one of"):
        Column("x", "date")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_a_table_or_a_data_error_never_anything_else(raw):
    try:
        frame = read_table(raw, TINY, file="fuzz.csv")
    except DataError as exc:
        assert exc.problems and all(p.file == "fuzz.csv" for p in exc.problems)
    else:
        assert list(frame.columns) == TINY.names


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=6))
def test_arbitrary_text_rows_give_a_table_or_a_data_error(cells):
    raw = ("id,size,kind\n" + ",".join(cells) + "\n").encode("utf-8", "surrogatepass")
    try:
        frame = read_table(raw, TINY, file="fuzz.csv")
    except DataError as exc:
        assert all(p.file == "fuzz.csv" for p in exc.problems)
    else:
        assert len(frame) == 1 and frame["id"].iloc[0].startswith("T")
