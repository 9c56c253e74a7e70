"""Bring your own backlog: read an export from an issue tracker, ready for prioritisation.

Exports from Jira, GitHub issues or Linear are messier than the course's own tables: custom-field
headers (``Custom field (Story Points)``), the same column name twice (Jira repeats ``Sprint``
for every sprint an issue was in), blank cells, text in number columns (``5 pts``, ``TBD``),
descriptions that run over several lines, other encodings (Windows-1252, UTF-16, a byte-order
mark) and other delimiters (``;`` from a spreadsheet in a European locale, tab, ``|``).

:func:`suggest_mapping` guesses which column holds which estimate; :func:`import_backlog` reads
the file with the decoding and delimiter detection of :mod:`pivot.data`, converts what it safely
can and says so (an :class:`ImportNote` for every kind of conversion, with the lines), and
refuses the rest with a :class:`pivot.data.DataError` whose problems name the file, the line,
the column, the value and what was expected. The result is ready for
:func:`pivot.frameworks.prioritization.score_backlog`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from pivot import data as _data
from pivot.data import DataError, Problem
from pivot.frameworks.prioritization import CONFIDENCE_SCALE, FIELDS, IMPACT_SCALE, METHODS

__all__ = [
    "EFFORT_UNITS",
    "IMPORT_FIELDS",
    "NUMERIC_FIELDS",
    "ImportNote",
    "ImportResult",
    "detect_unit",
    "import_backlog",
    "label_fields",
    "read_headers",
    "suggest_mapping",
]

#: The numeric estimates a backlog can carry (RICE and WSJF).
NUMERIC_FIELDS = FIELDS["rice"] + FIELDS["wsjf"]
#: Everything :func:`import_backlog` can read from a column (``labels`` is a source only).
IMPORT_FIELDS = ("item_id", "title", *NUMERIC_FIELDS, "moscow", "type", "labels")
#: Most rows an imported backlog may have.
MAX_ROWS = 100_000
#: How many line numbers an :class:`ImportNote` shows before summarising.
MAX_LINES_SHOWN = 8

#: The units an effort (or job size) can be in. Story points are relative sizes, not time:
#: a capacity must be given in the same unit as the efforts it is compared with.
EFFORT_UNITS = ("story points", "person-months", "person-weeks", "person-days", "hours")
#: Fields whose values are measured in an effort unit.
SIZED_FIELDS = ("effort", "job_size")
# Words in a header, or after a number in a cell, that name a unit (compared after _normalise).
_UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "story points": (
        "story points", "story point", "story point estimate", "points", "point", "pts", "pt",
        "sp", "estimate", "estimation",
    ),
    "person-months": ("person months", "person month", "man months", "pm", "months", "month"),
    "person-weeks": ("person weeks", "person week", "weeks", "week", "wk", "wks", "w"),
    "person-days": ("person days", "person day", "man days", "days", "day", "d"),
    "hours": ("hours", "hour", "hrs", "hr", "h"),
}  # fmt: skip

# Header words for each field, best first. Compared after normalising a header: lower case,
# a Jira "Custom field (...)" wrapper removed, anything but letters and digits made a space.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "item_id": (
        "item id",
        "issue key",
        "key",
        "id",
        "number",
        "issue number",
        "issue id",
        "card id",
        "work item id",
        "#",
    ),
    "title": ("title", "summary", "name", "issue title", "subject", "card name"),
    "reach": ("reach", "customers affected", "users affected", "accounts affected"),
    "impact": ("impact", "rice impact"),
    "confidence": ("confidence", "rice confidence"),
    "effort": (
        "effort",
        "person months",
        "story points",
        "story point estimate",
        "estimate",
        "points",
        "size",
    ),
    "business_value": ("business value", "user business value", "user value", "value"),
    "time_criticality": ("time criticality", "time critical", "urgency"),
    "risk_reduction": (
        "risk reduction",
        "risk reduction opportunity enablement",
        "rr oe",
        "opportunity enablement",
    ),
    "job_size": ("job size", "story points", "story point estimate", "estimate", "size"),
    "moscow": ("moscow", "moscow priority"),
    "type": ("type", "issue type", "work item type", "kind"),
    "labels": ("labels", "label", "tags"),
}

_CUSTOM = re.compile(r"^\s*custom\s*field\s*\((.*)\)\s*$", re.IGNORECASE)
_IMPACT_WORDS = {"massive": 3, "high": 2, "medium": 1, "low": 0.5, "minimal": 0.25}
_CONFIDENCE_WORDS = {"high": 100, "medium": 80, "low": 50}
_UNIT = re.compile(r"^~?\s*(\d+(?:[.,]\d+)?)\s*([a-z][a-z -]*?)\.?$", re.IGNORECASE)
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")
_PERCENT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*%$")
_LABEL_VALUE = re.compile(r"^\s*([A-Za-z][A-Za-z _-]*?)\s*[:=]\s*(\S.*?)\s*$")
_TYPES = {
    "bug": "bug",
    "defect": "bug",
    "incident": "bug",
    "feature": "feature",
    "story": "feature",
    "user story": "feature",
    "enhancement": "feature",
    "improvement": "feature",
    "new feature": "feature",
    "epic": "feature",
    "task": "feature",
    "tech-debt": "tech-debt",
    "tech debt": "tech-debt",
    "technical debt": "tech-debt",
    "chore": "tech-debt",
    "refactor": "tech-debt",
    "experiment": "experiment",
    "spike": "experiment",
}
_MOSCOW = {
    "must": "Must",
    "m": "Must",
    "should": "Should",
    "s": "Should",
    "could": "Could",
    "c": "Could",
    "won't": "Won't",
    "wont": "Won't",
    "w": "Won't",
}


@dataclass(frozen=True)
class ImportNote:
    """A conversion made while importing (not a refusal), with the lines it applied to."""

    file: str
    column: str
    note: str
    lines: tuple[int, ...] = ()

    def __str__(self) -> str:
        where = [self.file, f"column '{self.column}'"]
        if self.lines:
            shown = ", ".join(str(n) for n in self.lines[:MAX_LINES_SHOWN])
            more = len(self.lines) - MAX_LINES_SHOWN
            word = "line" if len(self.lines) == 1 else "lines"
            where.append(f"{word} {shown}" + (f" and {more} more" if more > 0 else ""))
        return f"{', '.join(where)}: {self.note}"


@dataclass(frozen=True)
class ImportResult:
    """An imported backlog (:attr:`frame`) and the conversions made (:attr:`notes`).

    :attr:`units` gives, for ``effort`` and ``job_size``, the unit detected from the column's
    header or its cells (one of :data:`EFFORT_UNITS`), or ``None`` when the file does not say;
    :attr:`unit_reasons` says how each was detected."""

    frame: pd.DataFrame
    notes: tuple[ImportNote, ...]
    file: str
    delimiter: str
    skipped: int = 0
    units: Mapping[str, str | None] = field(default_factory=dict)
    unit_reasons: Mapping[str, str] = field(default_factory=dict)


# --- headers --------------------------------------------------------------------------------
def _normalise(header: str) -> str:
    text = str(header).strip().lstrip("\ufeff")
    custom = _CUSTOM.match(text)
    if custom:
        text = custom.group(1)
    text = text.casefold().replace("’", "'")
    return " ".join(re.sub(r"[^0-9a-z#']+", " ", text).split())


def _unit_of_word(word: str) -> str | None:
    """The unit a word after a number names (``pts`` → story points, ``d`` → person-days)."""
    norm = _normalise(word)
    for unit, words in _UNIT_WORDS.items():
        if norm in words:
            return unit
    return None


def detect_unit(header: str, cells: Sequence[str] = ()) -> tuple[str | None, str]:
    """The unit of an effort column: ``(unit, reason)``, or ``(None, reason)`` if unknown.

    The header decides first (``Custom field (Story Points)``, ``Estimate`` as in Linear and
    Jira's "Story point estimate" → story points; ``Effort (days)`` → person-days; ``Hours`` →
    hours); time words beat the word *estimate*, so ``Estimate (h)`` is in hours. A header that
    names no unit (``Effort``, as in Azure DevOps, or Jira's ``Original Estimate``) leaves the
    cells: if they carry a unit (``5 pts``, ``3d``) the most common one is used. Otherwise the
    unit is unknown and the learner must say which it is: it is never assumed to be
    person-months.
    """
    norm = _normalise(header)
    words = f" {norm} "
    timed = ("hours", "person-days", "person-weeks", "person-months")
    if not any(w in words for w in (" original ", " remaining ", " time ")):
        order = (*timed, "story points")
    else:
        order = timed
    for unit in order:
        for word in _UNIT_WORDS[unit]:
            if len(word) > 1 and f" {word} " in words:
                return unit, f"the column's name '{header}' says {unit}"
            if len(word) == 1 and norm.endswith(f" {word}") and norm != word:
                return unit, f"the column's name '{header}' says {unit}"
    counts: dict[str, int] = {}
    for cell in cells:
        match = _UNIT.match(str(cell).strip())
        unit = _unit_of_word(match.group(2)) if match else None
        if unit:
            counts[unit] = counts.get(unit, 0) + 1
    if counts:
        unit = max(counts, key=lambda u: (counts[u], -EFFORT_UNITS.index(u)))
        example = next(c for c in cells if _UNIT.match(str(c).strip()))
        return unit, f"cells such as '{str(example).strip()}' in '{header}' say {unit}"
    return None, f"neither the column's name '{header}' nor its cells say which unit it is in"


def read_headers(raw: bytes, *, file: str = "uploaded file") -> list[str]:
    """The column names of an export, duplicates included, for :func:`suggest_mapping`."""
    return _data.read_header(raw, file=file)


def suggest_mapping(headers: Sequence[str]) -> dict[str, str]:
    """Guess which column holds which field: ``{field: header}`` for the fields found.

    Case and punctuation are ignored and Jira's ``Custom field (...)`` wrapper is looked
    through, so ``Custom field (Story Points)`` is found as story points. A header that names
    a field exactly beats one that only contains its words; earlier synonyms beat later ones
    (``Issue key`` beats ``Issue id`` for the item id). Each column is suggested for one field,
    except that story points or an estimate may serve as both ``effort`` (RICE) and ``job_size``
    (WSJF). A repeated header (Jira repeats ``Labels``, ``Sprint``, ``Components`` and ``Fix
    versions`` once per value) is suggested as it is: :func:`import_backlog` joins the labels of
    such columns, and takes the first non-blank value for any other field, with a note. This
    is a guess for the learner to confirm, never applied silently.
    """
    normalised = [(h, _normalise(h)) for h in headers if str(h).strip()]
    candidates: list[tuple[int, int, str, str]] = []
    for target, words in SYNONYMS.items():
        for rank, word in enumerate(words):
            for position, (header, norm) in enumerate(normalised):
                if norm == word:
                    quality = 2
                elif len(word) > 2 and re.search(rf"(^| ){re.escape(word)}( |$)", norm):
                    quality = 1
                else:
                    continue
                candidates.append((-quality, rank, f"{position:06d}{target}", header))
    candidates.sort()
    mapping: dict[str, str] = {}
    used: dict[str, str] = {}
    for _, _, key, header in candidates:
        target = key[6:]
        if target in mapping:
            continue
        owner = used.get(header)
        if owner is not None and {owner, target} != {"effort", "job_size"}:
            continue
        mapping[target] = header
        used.setdefault(header, target)
    return {t: mapping[t] for t in IMPORT_FIELDS if t in mapping}


# --- reading --------------------------------------------------------------------------------
def _records(text: str, file: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Every non-blank record with the line it starts on (header = line 1)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for fields in reader:
            start = end + 1
            end = reader.line_num
            if fields and any(f.strip() for f in fields):
                records.append((start, fields))
    except csv.Error as exc:
        raise DataError([Problem(file, f"well-formed CSV ({exc})", line=end + 1)]) from None
    return records


def _show_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _expected(field: str) -> str:
    if field == "impact":
        return (
            "one of 3, 2, 1, 0.5, 0.25 (Intercom's impact scale) or massive, high, medium, "
            "low, minimal"
        )
    if field == "confidence":
        return "one of 100, 80, 50 (percent, Intercom's confidence scale) or high, medium, low"
    if field in ("effort", "job_size"):
        return "a number greater than 0 (such as 2, 0.5 or '5 pts')"
    return "a number of at least 0 (such as 120 or '1,200')"


def _coerce(text: str, field: str) -> tuple[float | None, str | None]:
    """Read a number from a messy cell: ``(value, note)``, or ``(None, None)`` if impossible."""
    folded = text.casefold().strip()
    if field == "impact" and folded in _IMPACT_WORDS:
        value = _IMPACT_WORDS[folded]
        return value, f"read '{text}' as {_show_number(value)} (Intercom's impact scale)"
    if field == "confidence" and folded in _CONFIDENCE_WORDS:
        value = _CONFIDENCE_WORDS[folded]
        return value, f"read '{text}' as {value} (Intercom's confidence scale, percent)"
    percent = _PERCENT.match(folded)
    if percent and field == "confidence":
        value = float(percent.group(1).replace(",", "."))
        return value, f"read '{text}' as {_show_number(value)} (percent)"
    if _THOUSANDS.match(folded):
        value = float(folded.replace(",", ""))
        return value, f"read '{text}' as {_show_number(value)} (a thousands separator)"
    if _DECIMAL_COMMA.match(folded):
        value = float(folded.replace(",", "."))
        return value, f"read '{text}' as {_show_number(value)} (a decimal comma)"
    unit = _UNIT.match(folded)
    if unit and field not in ("impact", "confidence"):
        name = _unit_of_word(unit.group(2))
        if name is None:
            return None, None
        value = float(unit.group(1).replace(",", "."))
        return value, f"read '{text}' as {_show_number(value)} {name}"
    return None, None


def _valid(field: str, value: float) -> bool:
    if not math.isfinite(value):
        return False
    if field == "impact":
        return value in IMPACT_SCALE
    if field == "confidence":
        return value in CONFIDENCE_SCALE
    if field in ("effort", "job_size"):
        return value > 0
    return value >= 0


def _check_default(field: str, value: object, file: str) -> object:
    if field in ("moscow", "type", "title"):
        return str(value)
    if field not in NUMERIC_FIELDS:
        raise DataError(
            [
                Problem(
                    file,
                    "defaults only for " + ", ".join((*NUMERIC_FIELDS, "moscow", "type")),
                    column=str(field),
                    value=str(field),
                )
            ]
        )
    plain = value.item() if hasattr(value, "item") else value
    ok = (
        not isinstance(plain, bool)
        and isinstance(plain, int | float)
        and _valid(field, float(plain))
    )
    if not ok:
        raise DataError(
            [
                Problem(
                    file,
                    f"a default for {field} that is {_expected(field)}",
                    column=f"default for {field}",
                    value=str(value),
                )
            ]
        )
    return float(plain)


_SAME_FOR_ALL = {
    "reach": " (the same reach for all: RICE then ranks by impact × confidence ÷ effort)",
    "impact": " (the same impact for all: RICE then ranks without it)",
    "effort": (
        " (the same effort for all: the ranking ignores size until the engineers estimate it)"
    ),
    "job_size": " (the same job size for all: WSJF then ranks by cost of delay alone)",
}


class _Notes:
    """Conversions grouped by column and message, each with its lines."""

    def __init__(self, file: str):
        self.file = file
        self.groups: dict[tuple[str, str], list[int]] = {}

    def add(self, column: str, note: str, line: int | None = None) -> None:
        lines = self.groups.setdefault((column, note), [])
        if line is not None and line not in lines[-1:]:
            lines.append(line)

    def result(self) -> tuple[ImportNote, ...]:
        return tuple(
            ImportNote(self.file, column, note, tuple(lines))
            for (column, note), lines in self.groups.items()
        )


def _label_word(label: str) -> str:
    """A label as a word to look up: Trello's colour in brackets dropped (``Bug (red)``)."""
    return re.sub(r"\s*\([a-z ]+\)$", "", label.casefold()).strip()


def label_fields(raw: bytes, column: str, *, file: str = "uploaded file") -> set[str]:
    """The estimates that labels such as ``impact:2`` in ``column`` carry anywhere in the file
    (to know which fields need a default); empty if the file or the column cannot be read."""
    try:
        text = _data.decode_text(bytes(raw), file)
        records = _records(text, file, _data.sniff_delimiter(text))
    except DataError:
        return set()
    if not records:
        return set()
    header = [h.strip().lstrip("\ufeff") for h in records[0][1]]
    where = [i for i, h in enumerate(header) if h == column]
    cells = [", ".join(f[i] for i in where if i < len(f)) for _, f in records[1:]]
    valued, _ = _label_values(cells)
    return {f for v in valued for f in v}


def _label_values(cells: list[str]) -> tuple[list[dict[str, str]], list[list[str]]]:
    """Per row: ``{field: value}`` from labels such as ``impact:2``, and the plain labels."""
    lookups = {}
    for target in NUMERIC_FIELDS:
        for word in (target.replace("_", " "), *SYNONYMS[target][:2]):
            lookups[word] = target
    valued, plain = [], []
    for cell in cells:
        found: dict[str, str] = {}
        others: list[str] = []
        for label in re.split(r"[,;]", cell):
            label = label.strip()
            if not label:
                continue
            match = _LABEL_VALUE.match(label)
            target = lookups.get(_normalise(match.group(1))) if match else None
            if target:
                found.setdefault(target, match.group(2))
            else:
                others.append(label)
        valued.append(found)
        plain.append(others)
    return valued, plain


def import_backlog(
    raw: bytes,
    mapping: Mapping[str, str],
    defaults: Mapping[str, object] | None = None,
    *,
    method: str | None = "rice",
    file: str = "uploaded file",
    delimiter: str | None = None,
    skip_invalid: bool = False,
) -> ImportResult:
    """Read a tracker export (the file's bytes) into a backlog ready for scoring.

    ``mapping`` maps a field (``item_id``, ``title``, ``reach``, ``impact``, ``confidence``,
    ``effort``, ``business_value``, ``time_criticality``, ``risk_reduction``, ``job_size``,
    ``moscow``, ``type``, ``labels``) to a column header, as :func:`suggest_mapping` proposes;
    whatever it proposes is accepted. A header that appears more than once is read as one
    column (labels joined, otherwise the first non-blank value), with a note. Without an item
    id column, items are named after their line (``L2``, ``L3``, …); without a title, the id.
    ``defaults`` fills blank cells (or a field with no column) with a value the learner chose,
    e.g. ``{"confidence": 50}``; each use is noted, and a field with no column at all takes
    the default for every item, said in one note. ``method`` (``"rice"``, ``"wsjf"`` or
    ``None``) says which estimates are required. With a ``labels`` column, labels such as
    ``impact:2`` or ``effort=1.5`` fill fields that have no column, and labels such as ``bug``
    give the item's type.

    Conversions are made and noted: ``'5 pts'`` → 5, ``'80%'`` → 80, ``'1,200'`` → 1200,
    ``'0,5'`` → 0.5 (a decimal comma), ``High`` → Intercom's 2 for impact or 100 for confidence,
    a confidence of 0.8 → 80. Anything else (``TBD``, a blank cell without a default, a value off
    the method's scale, a repeated item id) is a problem naming its line and column; with
    ``skip_invalid=True`` those rows are left out and noted instead.

    Returns an :class:`ImportResult`: ``frame`` has ``item_id``, ``title``, the estimates,
    ``moscow`` and ``type`` when available, and ``line`` (where the row starts in the file).
    Raises :class:`pivot.data.DataError` for a file that cannot be used: empty, binary, too
    large, malformed, a mapped column missing, or rows with problems.

    ``effort`` and ``job_size`` keep the unit the file uses (story points stay story points;
    nothing is converted between units): :attr:`ImportResult.units` says which it is, from
    :func:`detect_unit`, and a cell in another unit than the rest of its column (``4h`` among
    story points) is a problem.
    """
    if method is not None and method not in METHODS:
        raise ValueError(f"method must be one of 'rice', 'wsjf' or None (got {method!r})")
    if not isinstance(raw, bytes | bytearray):
        raise TypeError(f"raw must be the file's bytes (got {type(raw).__name__})")
    raw = bytes(raw)
    if len(raw) > _data.MAX_BYTES:
        raise DataError([Problem(file, _data.too_big_message(len(raw)))])
    text = _data.decode_text(raw, file)
    if not text.strip():
        raise DataError([Problem(file, "a header line and at least one row; the file is empty")])
    delim = delimiter or _data.sniff_delimiter(text)
    records = _records(text, file, delim)
    if not records:
        raise DataError([Problem(file, "a header line and at least one row; the file is empty")])
    header_line, header = records[0]
    header = [h.strip().lstrip("\ufeff") for h in header]
    rows = records[1:]
    notes = _Notes(file)
    problems: list[Problem] = []

    # the mapping
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        positions.setdefault(h, []).append(i)
    index: dict[str, tuple[int, ...]] = {}
    for target, wanted in mapping.items():
        if target not in IMPORT_FIELDS:
            problems.append(
                Problem(file, "a field of " + ", ".join(IMPORT_FIELDS), column=target, value=target)
            )
            continue
        wanted = str(wanted).strip()
        where = positions.get(wanted)
        if where is None:
            folded = [h for h in positions if h.casefold() == wanted.casefold()]
            where = positions[folded[0]] if len(folded) == 1 else None
        if where is None:
            found = ", ".join(repr(h) for h in header if h) or "none"
            problems.append(
                Problem(
                    file,
                    f"a column named '{wanted}' for {target} (columns found: {found})",
                    line=header_line,
                )
            )
        else:
            index[target] = tuple(where)
    checked = {f: _check_default(f, v, file) for f, v in (defaults or {}).items()}
    has_labels = "labels" in index
    required = list(FIELDS[method]) if method else []
    for target in required:
        if target in mapping or target in checked:
            continue
        if has_labels and target in NUMERIC_FIELDS:
            continue
        problems.append(
            Problem(
                file,
                f"a column mapped to {target}, or a default value for it",
                line=header_line,
                column=target,
            )
        )
    if problems:
        raise DataError(problems)
    if not rows:
        raise DataError([Problem(file, "at least one row of data under the header; found none")])
    if len(rows) > MAX_ROWS:
        raise DataError([Problem(file, f"at most {MAX_ROWS:,} rows of data (found {len(rows):,})")])
    for name, where in positions.items():
        if len(where) > 1 and name:
            cols = ", ".join(str(w + 1) for w in where)
            users = [t for t, i in index.items() if header[i[0]] == name]
            if not users:
                notes.add(name, f"ignored: the name appears in columns {cols} and is not mapped")
            elif users == ["labels"]:
                notes.add(
                    name,
                    f"the name appears in columns {cols} (Jira repeats a column once per value): "
                    "their values are joined",
                )
            else:
                notes.add(
                    name,
                    f"the name appears in columns {cols} (Jira repeats a column once per value): "
                    "the first non-blank value of each row is used",
                )

    lines = [line for line, _ in rows]
    width = len(header)
    bad_rows: dict[int, list[Problem]] = {}

    def problem(k: int, p: Problem) -> None:
        found = bad_rows.setdefault(k, [])
        if p not in found:
            found.append(p)

    for k, (line, fields) in enumerate(rows):
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            problem(
                k,
                Problem(
                    file,
                    f"{width} fields as in the header (found {len(fields)}; "
                    "is a value with a delimiter missing its quotes?)",
                    line=line,
                ),
            )

    def cells(target: str) -> list[str]:
        where = index[target]
        if len(where) == 1:
            i = where[0]
            return [f[i].strip() if i < len(f) else "" for _, f in rows]
        joined = []
        for line, f in rows:
            values = [f[i].strip() for i in where if i < len(f) and f[i].strip()]
            if target == "labels":
                joined.append(", ".join(values))
                continue
            if len(set(values)) > 1:
                notes.add(
                    header[where[0]],
                    f"different values in the columns of that name: used the first for {target}",
                    line,
                )
            joined.append(values[0] if values else "")
        return joined

    def name_of(target: str) -> str:
        return header[index[target][0]]

    out: dict[str, list[object]] = {}

    # item ids and titles
    if "item_id" in index:
        ids = cells("item_id")
        id_column = name_of("item_id")
    else:
        ids = [f"L{line}" for line in lines]
        id_column = "item_id"
        notes.add(
            "item_id",
            "no column mapped to the item id: each item is named after the line it starts on "
            f"({ids[0]}{', …' if len(ids) > 1 else ''})",
        )
    first_seen: dict[str, int] = {}
    for k, value in enumerate(ids):
        if not value:
            problem(k, Problem(file, "an item id (the cell is blank)", lines[k], id_column))
        elif len(value) > 100:
            problem(k, Problem(file, "an item id of at most 100 characters", lines[k], id_column))
        elif value in first_seen:
            problem(
                k,
                Problem(
                    file,
                    f"a value not used before (it is already on line {first_seen[value]})",
                    lines[k],
                    id_column,
                    value,
                ),
            )
        else:
            first_seen[value] = lines[k]
    out["item_id"] = ids
    if "title" in index:
        titles = cells("title")
        title_column = name_of("title")
        for k, value in enumerate(titles):
            if not value:
                titles[k] = ids[k]
                notes.add(title_column, "blank title: used the item id", lines[k])
            elif len(value) > _data.MAX_CELL_CHARS:
                titles[k] = value[: _data.MAX_CELL_CHARS]
                notes.add(title_column, f"cut to {_data.MAX_CELL_CHARS:,} characters", lines[k])
    else:
        titles = [checked["title"]] * len(rows) if "title" in checked else list(ids)
    out["title"] = titles

    # labels: values such as impact:2, and plain labels such as bug
    label_values: list[dict[str, str]] = [{} for _ in rows]
    plain_labels: list[list[str]] = [[] for _ in rows]
    if has_labels:
        label_values, plain_labels = _label_values(cells("labels"))
    label_column = name_of("labels") if has_labels else ""

    # numeric estimates: those the method needs are checked; others are read where they can be
    needed = set(FIELDS[method]) if method else set()
    wanted_numeric = [
        f
        for f in NUMERIC_FIELDS
        if f in index or f in checked or f in needed or any(f in v for v in label_values)
    ]
    strict_columns = {index[f] for f in needed if f in index}
    units: dict[str, str | None] = {}
    unit_reasons: dict[str, str] = {}
    structural: list[Problem] = []
    for target in wanted_numeric:
        strict = target in needed
        quiet = not strict and target in index and index[target] in strict_columns
        if target in index:
            column = name_of(target)
            texts = cells(target)
            source = "the cell is blank"
        else:
            column = label_column or target
            texts = [v.get(target, "") for v in label_values]
            source = f"no '{target}:' label" if has_labels else "no column"
            if has_labels and any(texts):
                notes.add(column, f"{target} read from labels such as '{target}:…'")
        default = checked.get(target)
        unit = None
        if target in SIZED_FIELDS:
            unit, reason = detect_unit(column if target in index else target, texts)
            units[target], unit_reasons[target] = unit, reason
        if target not in index and default is not None and not any(texts):
            what = f"no column for {target}" if not has_labels else f"no '{target}:' labels"
            notes.add(
                column,
                f"{what}: used the default {_show_number(default)} for every item"
                + (_SAME_FOR_ALL.get(target, "")),
            )
            out[target] = [default] * len(texts)
            continue
        series = pd.Series(texts, dtype=object)
        numbers = pd.to_numeric(series.where(series != "", None), errors="coerce")
        numbers = numbers.astype("float64").to_numpy().copy()
        if strict and target not in index and default is None and not any(texts):
            structural.append(
                Problem(
                    file,
                    f"a column mapped to {target}, '{target}:' labels, or a default value for it",
                    line=header_line,
                    column=target,
                )
            )
            continue
        for k in range(len(texts)):
            text_k = texts[k]
            if not text_k:
                if default is not None:
                    numbers[k] = default
                    notes.add(column, f"blank: used the default {_show_number(default)}", lines[k])
                elif strict:
                    problem(
                        k,
                        Problem(
                            file,
                            f"{_expected(target)} ({source}; give a default for {target} to "
                            "fill such cells)",
                            lines[k],
                            column,
                        ),
                    )
                continue
            value = numbers[k]
            note = None
            if math.isnan(value):
                value, note = _coerce(text_k, target)
                suffix = _UNIT.match(text_k.casefold().strip()) if value is not None else None
                cell_unit = _unit_of_word(suffix.group(2)) if suffix else None
                if unit and cell_unit and cell_unit != unit:
                    value, note = None, None
                    expected = f"a number in {unit}, the unit of the rest of the column"
                    if strict:
                        problem(k, Problem(file, expected, lines[k], column, text_k))
                    else:
                        notes.add(column, f"left {target} empty: '{text_k}' is not {expected}")
                    numbers[k] = math.nan
                    continue
            if value is not None and target == "confidence" and value in (0.5, 0.8, 1.0):
                note = f"read '{text_k}' as {_show_number(value * 100)} (a fraction, as percent)"
                value = value * 100
            if value is None or not _valid(target, value):
                numbers[k] = math.nan
                if strict:
                    problem(k, Problem(file, _expected(target), lines[k], column, text_k))
                elif not quiet:
                    notes.add(
                        column,
                        f"left {target} empty: '{text_k}' is not {_expected(target)}",
                        lines[k],
                    )
                continue
            if note and not quiet:
                notes.add(column, note, lines[k])
            numbers[k] = value
        out[target] = list(numbers)

    # MoSCoW and type
    if "moscow" in index or "moscow" in checked:
        texts = cells("moscow") if "moscow" in index else [""] * len(rows)
        column = name_of("moscow") if "moscow" in index else "moscow"
        values = []
        for k, text_k in enumerate(texts):
            folded = text_k.casefold().replace("’", "'")
            word = folded.split()[0] if folded.split() else ""
            if not text_k:
                if "moscow" in checked:
                    values.append(checked["moscow"])
                    notes.add(column, f"blank: used the default {checked['moscow']}", lines[k])
                else:
                    values.append(None)
            elif word in _MOSCOW:
                values.append(_MOSCOW[word])
            else:
                problem(
                    k,
                    Problem(
                        file, "one of Must, Should, Could, Won't (MoSCoW)", lines[k], column, text_k
                    ),
                )
                values.append(None)
        out["moscow"] = values
    if "type" in index or has_labels or "type" in checked:
        texts = cells("type") if "type" in index else [""] * len(rows)
        column = name_of("type") if "type" in index else label_column or "type"
        values = []
        for k, text_k in enumerate(texts):
            kind = _TYPES.get(text_k.casefold()) if text_k else None
            if kind is None and not text_k:
                kind = next(
                    (_TYPES[x] for x in map(_label_word, plain_labels[k]) if x in _TYPES), None
                )
            if kind is None and text_k:
                kind = text_k.casefold()
                notes.add(
                    column,
                    f"kept type '{text_k}' as it is (not one of feature, bug, tech-debt, "
                    "experiment)",
                    lines[k],
                )
            if kind is None and "type" in checked:
                kind = checked["type"]
                notes.add(column, f"no type: used the default {kind}", lines[k])
            values.append(kind)
        if any(v is not None for v in values):
            out["type"] = values
    out["line"] = lines

    if structural:
        raise DataError(structural)
    skipped = 0
    if bad_rows:
        found = [p for k in sorted(bad_rows) for p in bad_rows[k]]
        if not skip_invalid or len(bad_rows) == len(rows):
            if skip_invalid:
                found.append(Problem(file, "at least one row without problems; found none"))
            raise DataError(found)
        keep = [k for k in range(len(rows)) if k not in bad_rows]
        for k in sorted(bad_rows):
            for p in bad_rows[k]:
                got = "" if p.value is None else f" got '{p.value}',"
                notes.add(p.column or "row", f"row left out:{got} expected {p.expected}", p.line)
        out = {name: [values[k] for k in keep] for name, values in out.items()}
        skipped = len(bad_rows)

    frame = pd.DataFrame(out)
    frame["item_id"] = frame["item_id"].astype("string")
    frame["title"] = frame["title"].astype("string")
    for target in NUMERIC_FIELDS:
        if target in frame:
            frame[target] = frame[target].astype("float64")
    for target in ("moscow", "type"):
        if target in frame:
            frame[target] = frame[target].astype("string")
    frame["line"] = frame["line"].astype("int64")
    return ImportResult(frame, notes.result(), file, delim, skipped, units, unit_reasons)
