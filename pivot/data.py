"""Loading and validating the course's tables (the case-study CSVs and a learner's own files).

Every table is read as text first, then each cell is checked against a :class:`Schema`.
Nothing is guessed silently: a problem names the file, the line, the column, the value and what
was expected, so a learner can open the file and fix it::

    customers.csv, line 7, column 'technicians': got 'twelve', expected a whole number

Line numbers count the header as line 1, the way a spreadsheet or text editor shows them.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = [
    "DATA_DIR",
    "SCHEMAS",
    "Column",
    "DataError",
    "Problem",
    "Schema",
    "data_dir",
    "load",
    "read_header",
    "read_table",
    "register",
]

#: The case-study data sets shipped with the course (``data/`` at the top of the repository).
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: Files larger than this are refused before parsing (a backlog export of 10,000 rows is ~2 MB).
MAX_BYTES = 25 * 1024 * 1024
#: How many problems a :class:`DataError` message lists before summarising the rest.
MAX_LISTED = 10
#: Longest text accepted in one cell, unless a column sets its own limit.
MAX_CELL_CHARS = 5_000

_DELIMITERS = [",", ";", "\t", "|"]
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def data_dir() -> Path:
    """The folder the course's data sets are read from (``PIVOT_DATA_DIR`` overrides it)."""
    override = os.environ.get("PIVOT_DATA_DIR")
    return Path(override) if override else DATA_DIR


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a table, located as precisely as the problem allows."""

    file: str
    expected: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        got = "" if self.value is None else f"got {_show(self.value)}, "
        return f"{', '.join(where)}: {got}expected {self.expected}"


class DataError(ValueError):
    """A table could not be used; :attr:`problems` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        return problems_message(self.problems)


def problems_message(problems: Sequence[object], total: int | None = None) -> str:
    """One problem as it is; several as "n problems found:" and a list of the first
    :data:`MAX_LISTED` (``total`` counts problems when one entry stands for several)."""
    n = len(problems) if total is None else total
    if n == 1:
        return str(problems[0])
    listed = "\n".join(f"- {p}" for p in problems[:MAX_LISTED])
    more = len(problems) - MAX_LISTED
    more_text = f"\n- … and {more} more" if more > 0 else ""
    return f"{n} problems found:\n{listed}{more_text}"


@dataclass(frozen=True)
class Column:
    """What one column must hold.

    ``kind`` is ``"text"``, ``"int"`` or ``"float"``. ``choices`` restricts a text column to a
    fixed set of values; ``minimum``/``maximum`` bound numbers (inclusive); ``pattern`` is a
    regular expression a text value must match in full; ``required`` forbids blank cells.
    """

    name: str
    kind: str = "text"
    required: bool = True
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    unique: bool = False
    max_chars: int = MAX_CELL_CHARS
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in {"text", "int", "float"}:
            raise ValueError(f"kind must be one of text, int, float (got {self.kind!r})")

    def expectation(self) -> str:
        """What a valid value looks like, in words, for error messages."""
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "text":
            return f"text matching {self.pattern}" if self.pattern else "some text"
        noun = "a whole number" if self.kind == "int" else "a number"
        if self.minimum is not None and self.maximum is not None:
            return f"{noun} from {_num(self.minimum)} to {_num(self.maximum)}"
        if self.minimum is not None:
            return f"{noun} of at least {_num(self.minimum)}"
        if self.maximum is not None:
            return f"{noun} of at most {_num(self.maximum)}"
        return noun

    def parse(self, raw: str) -> tuple[object, str | None]:
        """Convert one stripped, non-blank cell; return ``(value, None)`` or ``(None, reason)``."""
        if len(raw) > self.max_chars:
            return None, f"at most {self.max_chars:,} characters (this cell has {len(raw):,})"
        if self.kind == "text":
            if self.choices and raw not in self.choices:
                folded = {c.casefold(): c for c in self.choices}
                if raw.casefold() in folded:
                    return folded[raw.casefold()], None
                return None, self.expectation()
            if self.pattern and not re.fullmatch(self.pattern, raw):
                return None, self.expectation()
            return raw, None
        try:
            number = float(raw)
        except ValueError:
            return None, self.expectation()
        if not math.isfinite(number):
            return None, self.expectation()
        if self.kind == "int":
            if not number.is_integer():
                return None, self.expectation()
            number = int(number)
        if (self.minimum is not None and number < self.minimum) or (
            self.maximum is not None and number > self.maximum
        ):
            return None, self.expectation()
        return number, None


@dataclass(frozen=True)
class Schema:
    """The columns a table must have, in the order the course uses them."""

    name: str
    columns: tuple[Column, ...]
    description: str = ""
    min_rows: int = 1
    max_rows: int = 100_000

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass
class _Raw:
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def plain_value(value: object) -> object:
    """NumPy and pandas scalars as plain Python values (``pd.NA`` as ``None``), for validation
    and messages."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, int | float | str):
        return value.item()
    return value


def _show(value: str, limit: int = 60) -> str:
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(text)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def decode_text(data: bytes, file: str) -> str:
    """Bytes of a CSV file as text: UTF-8 (with or without BOM), UTF-16, else Windows-1252.
    Binary files (a spreadsheet saved as .xlsx, say) are refused with a :class:`DataError`."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(
            [
                Problem(
                    file,
                    "a CSV text file; this looks like a binary file "
                    "(a spreadsheet such as .xlsx?). Save it as CSV and load it again",
                )
            ]
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:  # an odd number of bytes, or a broken surrogate pair
            raise DataError(
                [
                    Problem(
                        file,
                        "a CSV text file; it starts like UTF-16 text but is cut short or "
                        "damaged. Save it again as CSV (UTF-8) and load it again",
                    )
                ]
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows often save CSV as Windows-1252; it decodes every byte that
        # such files contain, so fall back to it rather than refusing the file.
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: comma, semicolon, tab or pipe (comma if unsure)."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in _DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _read_raw(text: str, file: str, delimiter: str | None) -> _Raw:
    if not text.strip():
        raise DataError([Problem(file, "a header line and at least one row; the file is empty")])
    delim = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
        raw = _Raw(header)
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue  # blank lines are harmless
            raw.rows.append((reader.line_num, fields))
    except csv.Error as exc:
        raise DataError([Problem(file, f"well-formed CSV ({exc})", line=reader.line_num)]) from None
    return raw


def read_table(
    source: str | os.PathLike | bytes,
    schema: Schema,
    *,
    file: str | None = None,
    mapping: Mapping[str, str] | None = None,
    delimiter: str | None = None,
) -> pd.DataFrame:
    """Read a CSV and check it against ``schema``; return a DataFrame of the schema's columns.

    ``source`` is a path, or the file's bytes (e.g. from an upload widget). ``mapping`` maps a
    schema column to the header used in the file, for a learner's own file whose headers differ.
    Columns the schema does not name are ignored. Raises :class:`DataError` listing every problem.
    """
    if isinstance(source, bytes):
        name = file or "uploaded file"
        data = source
    else:
        path = Path(source)
        name = file or path.name
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise DataError([Problem(name, too_big_message(size))])
            data = path.read_bytes()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise DataError([Problem(name, f"a file that can be read ({reason})")]) from None
    if len(data) > MAX_BYTES:
        raise DataError([Problem(name, too_big_message(len(data)))])
    raw = _read_raw(decode_text(data, name), name, delimiter)
    return _validate(raw, schema, name, dict(mapping or {}))


def read_header(source: bytes, *, file: str = "uploaded file", max_bytes: int = MAX_BYTES):
    """The column names of a CSV given as bytes (e.g. from an upload), for a column-mapping
    step before :func:`read_table`. Raises :class:`DataError` for an empty, binary, oversized
    or malformed file, or one with no data rows."""
    if len(source) > max_bytes:
        raise DataError(
            [
                Problem(
                    file, f"a file of at most {_size(max_bytes)} (this one is {_size(len(source))})"
                )
            ]
        )
    raw = _read_raw(decode_text(source, file), file, None)
    if not raw.rows:
        raise DataError([Problem(file, "at least one row of data under the header; found none")])
    return [h for h in raw.header]


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 2**10:.0f} KB"


def too_big_message(size: int) -> str:
    """What a refusal of an oversized file says (limit :data:`MAX_BYTES`)."""
    return f"a file of at most {MAX_BYTES // 2**20} MB (this one is {size / 2**20:.1f} MB)"


def _validate(raw: _Raw, schema: Schema, file: str, mapping: dict[str, str]) -> pd.DataFrame:
    problems: list[Problem] = []
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(raw.header):
        positions.setdefault(h, []).append(i)
    for h, where in positions.items():
        if len(where) > 1 and h:
            cols = ", ".join(str(w + 1) for w in where)
            problems.append(
                Problem(file, f"each column name once; '{h}' appears in columns {cols}", line=1)
            )
    unknown_targets = set(mapping) - set(schema.names)
    for target in sorted(unknown_targets):
        problems.append(
            Problem(file, "a column of " + ", ".join(schema.names), column=target, value=target)
        )
    index: dict[str, int] = {}
    for col in schema.columns:
        header = mapping.get(col.name, col.name)
        where = positions.get(header)
        if where is None:
            folded = [h for h in positions if h.casefold() == header.casefold()]
            where = positions[folded[0]] if len(folded) == 1 else None
        if where is None and not col.required and col.name not in mapping:
            continue  # an optional column may be left out of the file altogether
        if where is None:
            found = ", ".join(repr(h) for h in raw.header if h) or "none"
            problems.append(
                Problem(file, f"a column named '{header}' (columns found: {found})", line=1)
            )
        elif len(where) == 1:
            index[col.name] = where[0]
    if problems:
        raise DataError(problems)

    n_rows = len(raw.rows)
    if n_rows < schema.min_rows:
        raise DataError([Problem(file, f"at least {schema.min_rows} row(s) of data; found none")])
    if n_rows > schema.max_rows:
        raise DataError(
            [Problem(file, f"at most {schema.max_rows:,} rows of data (found {n_rows:,})")]
        )

    values: dict[str, list[object]] = {c.name: [] for c in schema.columns}
    seen: dict[str, dict[object, int]] = {c.name: {} for c in schema.columns if c.unique}
    width = len(raw.header)
    for line, fields in raw.rows:
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            problems.append(
                Problem(
                    file,
                    f"{width} fields as in the header (found {len(fields)}; "
                    "is a value with a delimiter missing its quotes?)",
                    line=line,
                )
            )
        for col in schema.columns:
            i = index.get(col.name)
            cell = fields[i].strip() if i is not None and i < len(fields) else ""
            if not cell:
                if col.required:
                    problems.append(
                        Problem(file, col.expectation() + " (the cell is blank)", line, col.name)
                    )
                values[col.name].append(None)
                continue
            value, reason = col.parse(cell)
            if reason:
                problems.append(Problem(file, reason, line, col.name, cell))
            elif col.unique:
                first = seen[col.name].setdefault(value, line)
                if first != line:
                    problems.append(
                        Problem(
                            file,
                            f"a value not used before (it is already on line {first})",
                            line,
                            col.name,
                            cell,
                        )
                    )
            values[col.name].append(value)
    if problems:
        raise DataError(problems)
    return _frame(values, schema)


def _frame(values: dict[str, list[object]], schema: Schema) -> pd.DataFrame:
    data = {}
    for col in schema.columns:
        series = pd.Series(values[col.name], name=col.name, dtype=object)
        if col.kind == "int":
            series = series.astype("int64" if series.notna().all() else "Int64")
        elif col.kind == "float":
            series = series.astype("float64")
        else:
            series = series.astype("string")
        data[col.name] = series
    return pd.DataFrame(data)


# --- the course's data sets ---------------------------------------------------------------

_ID = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
#: The roles of the people Kestrel Works' customers put in front of the product manager.
CONTACT_ROLES = (
    "owner",
    "dispatcher",
    "operations manager",
    "service director",
    "field technician",
    "office manager",
)

#: MoSCoW priorities (DSDM): Must have, Should have, Could have, Won't have this time.
MOSCOW = ("Must", "Should", "Could", "Won't")
#: Kinds of backlog item in the Shift 3 backlog.
ITEM_TYPES = ("feature", "bug", "tech-debt", "experiment")
#: Marty Cagan's four big risks of a product idea (INSPIRED, 2nd ed., 2017; SVPG).
CAGAN_RISKS = ("value", "usability", "feasibility", "viability")
#: Who is responsible for each risk on an empowered product team (Cagan, SVPG).
RISK_OWNERS = {
    "value": "product manager",
    "usability": "product designer",
    "feasibility": "tech lead",
    "viability": "product manager",
}

SCHEMAS: dict[str, Schema] = {
    "customers": Schema(
        "customers",
        (
            Column("customer_id", pattern=r"C\d{2}", unique=True),
            Column("company", unique=True, max_chars=80),
            Column(
                "segment",
                choices=(
                    "residential HVAC",
                    "commercial HVAC",
                    "residential plumbing",
                    "commercial electrical",
                    "residential electrical",
                    "property maintenance",
                ),
            ),
            Column("technicians", "int", minimum=1, maximum=10_000),
            Column("region", choices=("Midwest", "Northeast", "South", "West")),
            Column("plan", choices=("Starter", "Team", "Business")),
            Column("customer_since", "int", minimum=2010, maximum=2026),
            Column("status", choices=("active", "churned", "trial")),
            Column("contact_name", max_chars=80),
            Column(
                "contact_role",
                choices=CONTACT_ROLES,
            ),
        ),
        "Crewboard's customer accounts whose people the learner interviews.",
    ),
    "shifts": Schema(
        "shifts",
        (
            Column("shift", "int", minimum=1, maximum=4, unique=True),
            Column("key", pattern=_ID, unique=True),
            Column("title", max_chars=80),
            Column("question", max_chars=200),
            Column("advice", max_chars=1_000),
        ),
        "The article's four shifts, with the advice the self-assessment gives.",
        min_rows=4,
        max_rows=4,
    ),
    "self_assessment": Schema(
        "self_assessment",
        (
            Column("item_id", pattern=r"S[1-4][a-z]", unique=True),
            Column("shift", "int", minimum=1, maximum=4),
            Column("short", max_chars=28),
            Column("statement", max_chars=300),
        ),
        "The statements a learner rates in the opening self-assessment.",
    ),
    "interviews": Schema(
        "interviews",
        (
            Column("snippet_id", pattern=r"I\d{2,3}", unique=True),
            Column("customer_id", pattern=r"C\d{2}"),
            Column("interview_date", pattern=r"2026-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"),
            Column(
                "speaker_role",
                choices=CONTACT_ROLES,
            ),
            Column("snippet", max_chars=600, unique=True),
            Column("pain_point", pattern=r"[a-z][a-z0-9_]*"),
            Column("severity", "int", minimum=0, maximum=5),
        ),
        "Shift 1: interview notes from the customer accounts, with a reference coding.",
    ),
    "opportunity_survey": Schema(
        "opportunity_survey",
        (
            Column("outcome_id", pattern=r"O\d{1,2}", unique=True),
            Column("pain_point", pattern=r"[a-z][a-z0-9_]*"),
            Column("outcome", max_chars=200, unique=True),
            Column("respondents", "int", minimum=1, maximum=100_000),
            Column("important_pct", "float", minimum=0, maximum=100),
            Column("satisfied_pct", "float", minimum=0, maximum=100),
        ),
        "Shift 1: importance and satisfaction of desired outcomes, for opportunity scoring.",
        min_rows=2,
    ),
    "problem_or_solution": Schema(
        "problem_or_solution",
        (
            Column("statement_id", pattern=r"P\d{2}", unique=True),
            Column("speaker", max_chars=80),
            Column("statement", max_chars=400, unique=True),
            Column("label", choices=("problem", "solution")),
            Column("reason", max_chars=600),
        ),
        "Shift 1: statements heard at Kestrel Works, each labelled problem or solution.",
    ),
    "pain_point_reference": Schema(
        "pain_point_reference",
        (
            Column("pain_point", pattern=r"[a-z][a-z0-9_]*", unique=True),
            Column("label", max_chars=80, unique=True),
            Column("description", max_chars=400),
            Column("reference_rank", "int", minimum=1, maximum=50, unique=True),
            Column("rationale", max_chars=1_000),
        ),
        "Shift 1: the reference analysis of the interview pain points, ranked.",
        min_rows=3,
    ),
    "backlog": Schema(
        "backlog",
        (
            Column("item_id", pattern=r"B\d{2,4}", unique=True),
            Column("title", max_chars=120, unique=True),
            Column("pain_point", pattern=r"[a-z][a-z0-9_]*"),
            Column("requested_by", max_chars=80),
            Column("reach", "int", minimum=0, maximum=100_000),
            Column("impact", "float", minimum=0.25, maximum=3),
            Column("confidence", "int", minimum=50, maximum=100),
            Column("effort", "float", minimum=0.5, maximum=100),
            Column("business_value", "int", minimum=1, maximum=20),
            Column("time_criticality", "int", minimum=1, maximum=20),
            Column("risk_reduction", "int", minimum=1, maximum=20),
            Column("job_size", "int", minimum=1, maximum=20),
            Column("moscow", choices=MOSCOW),
            Column("type", choices=ITEM_TYPES),
        ),
        "Shift 3: the Crewboard backlog the new product manager inherits, with RICE, WSJF and "
        "MoSCoW estimates.",
        min_rows=2,
    ),
    "stakeholder_requests": Schema(
        "stakeholder_requests",
        (
            Column("request_id", pattern=r"R\d{2}", unique=True),
            Column("speaker", max_chars=80),
            Column("request", max_chars=400, unique=True),
            Column("related_item", pattern=r"B\d{2,4}|none"),
            Column("implementation_detail", max_chars=600),
            Column("reference_story", max_chars=400),
            Column("reference_criteria", max_chars=800),
        ),
        "Shift 3: solution-prescriptive requests, with a reference rewrite as a user story.",
    ),
    "risk_concerns": Schema(
        "risk_concerns",
        (
            Column("concern_id", pattern=r"RC\d{2}", unique=True),
            Column("speaker", max_chars=80),
            Column("concern", max_chars=400, unique=True),
            Column("risk", choices=CAGAN_RISKS),
            Column("owner", choices=("product manager", "product designer", "tech lead")),
            Column("reason", max_chars=600),
        ),
        "Shift 3: concerns about the team's next bet, sorted into Cagan's four risks.",
        min_rows=4,
    ),
}


def register(schema: Schema) -> Schema:
    """Add a data set's schema to :data:`SCHEMAS`, from the module that owns the data set.

    The later parts declare their schemas next to the exercise that reads them and register
    them here on import, so that :data:`SCHEMAS` (and :func:`load`, and the test that holds
    ``data/README.md`` to every column) knows every data set once ``pivot.exercises`` is
    imported. Registering the same schema again is harmless; another schema under a name already
    taken is an error."""
    known = SCHEMAS.get(schema.name)
    if known is not None and known != schema:
        raise ValueError(f"a different schema is already registered as {schema.name!r}")
    SCHEMAS[schema.name] = schema
    return schema


def load(name: str) -> pd.DataFrame:
    """Load one of the course's data sets by name (see :data:`SCHEMAS`), validated."""
    if name not in SCHEMAS:
        known = ", ".join(sorted(SCHEMAS))
        raise KeyError(f"no data set named {name!r}; the course has: {known}")
    return read_table(data_dir() / f"{name}.csv", SCHEMAS[name])
