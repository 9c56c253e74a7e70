"""The class view: a workshop's answers side by side, live, for the instructor's debrief.

In the instructor's notebook::

    from pivot.classview import ClassView
    ClassView()            # the class folder in PIVOT_WORKBOOK_DIR, or ClassView("path/to/folder")

It reads every learner's workbook in the class folder (the ``<name>.json`` files that
``PIVOT_WORKBOOK_DIR`` gives each learner, see :mod:`pivot.workbook`) and any workbook file a
learner hands in through the upload box, and shows, refreshed in place (a Refresh button, and
an optional auto-refresh every N seconds):

- who has saved which exercise (a table, learners × exercises);
- for each exercise the class's answers side by side, each as a small chart with alt text, a
  table and a discussion prompt beside it: the self-assessment per shift; the statements of
  *problem or solution?*, the most missed first; the pain-point votes; the stakeholder
  placements against the reference; the gut top fives against RICE and WSJF, with the class's
  agreement (Kendall's W, :mod:`pivot.frameworks.agreement`) and the most disputed items; the
  risk classifications of *whose risk is it?* and of the pre-mortem; the experiment sizes; the
  decisions and the doors.

**Privacy.** Learners are anonymous by default: each gets a stable pseudonym (an adjective and
an animal) from a salted SHA-256 hash of their file name, the same every time for the same class
folder. The salt is ``PIVOT_CLASS_SALT`` if set, else the folder's path; set it to a private
phrase so that nobody who knows the file names can work the pseudonyms out. The "Reveal names"
switch shows the file names instead, for classes that agree to it. Only counts are shown per
exercise; nobody's free text (reflections, hypotheses) is ever shown. Uploaded files stay in the
kernel's memory and are never written anywhere.

**Never writes.** The class view opens learners' files read-only (``open(path, "rb")``) and
never uses :class:`pivot.workbook.Workbook` on them (opening a damaged workbook would set it
aside). A file that is damaged, cut off, foreign (JSON that is not a Pivot workbook), of a newer
format version, too large, empty or unreadable is reported by name and skipped; a file with a
few damaged entries is used without them, and they are named. Hidden files (a learner's lock
file, an unfinished save's temporary file) are ignored. Nothing raises into the notebook.

**Fast.** A file is parsed again only when its size or modification time changes, so a refresh
re-reads only what learners saved since the last one (``bench/classview.py`` measures it).
Every calculation is the frameworks': placements, scores, bands, sample sizes and the decision
rule come from the exercises' own readers and :mod:`pivot.frameworks`; this module counts.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import json
import math
import os
import stat
import statistics
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import workbook as wb
from .frameworks import agreement
from .kit import escape
from .plots import OKABE_ITO, SvgFigure

__all__ = [
    "EXERCISES",
    "MAX_FILE_BYTES",
    "ClassView",
    "Learner",
    "ReadResult",
    "Section",
    "Skipped",
    "pseudonyms",
    "read_folder",
    "read_workbook",
    "stacked_bars",
    "summarise",
]

#: The largest file read as a workbook (a full workbook is about 30 KB).
MAX_FILE_BYTES = 5 * 1024 * 1024
#: The largest number of files read from one folder (a workshop is 20 to 60 people).
MAX_FILES = 500
#: Auto-refresh choices, in seconds (0: off).
REFRESH_CHOICES = (0, 15, 30, 60, 120)
SALT_ENV = "PIVOT_CLASS_SALT"
FOLDER_ENV = "PIVOT_WORKBOOK_DIR"

#: The exercises the class view summarises, in course order: (id, short title).
EXERCISES: tuple[tuple[str, str], ...] = (
    ("start.self_assessment", "Self-assessment on the four shifts"),
    ("shift1.problem_or_solution", "Shift 1: problem or solution?"),
    ("shift1.pain_point_map", "Shift 1: pain-point votes"),
    ("shift2.stakeholder_map", "Shift 2: stakeholder placements"),
    ("shift3.prioritise_backlog", "Shift 3: gut top five against the methods"),
    ("shift3.whose_risk", "Shift 3: whose risk is it?"),
    ("shift4.pre_mortem", "Shift 4: pre-mortem risk classifications"),
    ("shift4.experiment_design", "Shift 4: experiment sizes"),
    ("shift4.read_and_decide", "Shift 4: decisions and doors"),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_ADJECTIVES = _words(
    "Amber Azure Bold Brisk Calm Clever Coral Crimson Dapper Eager Fern Gentle Golden Hazel "
    "Ivory Jade Keen Lively Lunar Maple Mellow Misty Nimble Olive Plucky Quiet Rapid Russet "
    "Sage Silver Steady Sunny Swift Tawny Teal Umber Velvet Vivid Witty Zesty"
)
_ANIMALS = _words(
    "Albatross Badger Beaver Bison Crane Dolphin Egret Falcon Ferret Gecko Gazelle Heron Ibis "
    "Jackal Hare Koala Lemur Lynx Marten Meerkat Newt Ocelot Osprey Otter Owl Panda "
    "Pelican Puffin Quail Raven Robin Salmon Seal Stoat Tapir Toucan Turtle Walrus Wren Yak"
)

GREY = "#DDDDDD"


# --- reading the class's files (read-only) -----------------------------------------------------
@dataclass
class Learner:
    """One learner's workbook as the class view read it."""

    key: str
    """What the pseudonym is made from: the file name, or ``upload:<hash>`` for an upload."""
    name: str
    """The file name (shown only when names are revealed)."""
    source: str
    """``"folder"`` or ``"upload"``."""
    answers: dict[str, Any]
    """``{exercise id: saved answer}`` of every readable entry with an answer."""
    notes: list[str] = field(default_factory=list)
    """What was left out of this file (damaged entries)."""
    pseudonym: str = ""


@dataclass(frozen=True)
class Skipped:
    """A file that could not be used, and why (one sentence)."""

    name: str
    reason: str
    source: str = "folder"


@dataclass
class ReadResult:
    """Everything one read of the class folder (and the uploads) found."""

    learners: list[Learner]
    skipped: list[Skipped]
    ignored: int = 0
    """Files that are not workbooks by their name (not ``.json``, or hidden) and were left alone."""
    changed: int = 0
    """Files parsed afresh in this read (the others came from the cache)."""
    folder_problem: str = ""


def read_workbook(name: str, raw: bytes) -> tuple[dict[str, Any] | None, str, list[str]]:
    """Read one workbook file's bytes; never raises.

    Returns ``(answers, reason, notes)``: ``answers`` is ``{exercise id: answer}`` (``None``
    when the file cannot be used, with ``reason`` saying why in words), and ``notes`` names
    entries that were left out. The checks are the workbook's own (:mod:`pivot.workbook`), but
    nothing is set aside or rewritten.
    """
    if len(raw) > MAX_FILE_BYTES:
        return (
            None,
            f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, too large to be a workbook",
            [],
        )
    if not raw.strip():
        return None, "it is empty", []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"it is not UTF-8 text ({exc.reason})", []
    try:
        doc = wb._parse(text)
    except wb.WorkbookError as exc:
        return None, str(exc), []
    except Exception:  # anything else a hostile file can provoke in the parser
        return None, "it could not be read as JSON", []
    if not isinstance(doc, dict) or doc.get("format") != wb.FORMAT:
        return None, "it is not a Pivot workbook (a foreign file)", []
    version = doc.get("version")
    if type(version) is int and version > wb.VERSION:
        return (
            None,
            f"it is workbook version {version}, newer than this course reads ({wb.VERSION}): "
            "update the course to read it",
            [],
        )
    if type(version) is not int or version != wb.VERSION:
        return None, f"it is workbook version {wb._short(version)}, not {wb.VERSION}", []
    entries = doc.get("exercises")
    if not isinstance(entries, dict):
        return None, "its list of exercises is damaged", []
    answers: dict[str, Any] = {}
    bad: list[str] = []
    for exercise_id, entry in entries.items():
        problem = wb._entry_problem(entry)
        if problem:
            bad.append(f"'{wb._short(exercise_id, 60)[1:-1]}' ({problem})")
        elif entry.get("answer") is not None:
            answers[exercise_id] = entry["answer"]
    notes = []
    if bad:
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        notes.append(
            f"left out the damaged {'entry' if len(bad) == 1 else 'entries'} "
            f"{', '.join(bad[:5])}{more}"
        )
    return answers, "", notes


class _FileCache:
    """Parsed files by path, reused while a file's size and modification time stay the same."""

    def __init__(self) -> None:
        self._by_path: dict[str, tuple[tuple[int, int, int], tuple]] = {}

    def get(self, path: Path, st: os.stat_result):
        key = (st.st_size, st.st_mtime_ns, st.st_ino)
        hit = self._by_path.get(str(path))
        return hit[1] if hit and hit[0] == key else None

    def put(self, path: Path, st: os.stat_result, value: tuple) -> None:
        self._by_path[str(path)] = ((st.st_size, st.st_mtime_ns, st.st_ino), value)

    def keep_only(self, paths: Iterable[Path]) -> None:
        keep = {str(p) for p in paths}
        for k in list(self._by_path):
            if k not in keep:
                del self._by_path[k]


def read_folder(folder: str | os.PathLike, cache: _FileCache | None = None) -> ReadResult:
    """Read every ``*.json`` file of ``folder`` (not hidden ones) read-only; never raises.

    Only regular files are opened (a pipe or a device named ``x.json`` is skipped, never
    waited on), each with ``open(path, "rb")``; nothing in the folder is created, changed,
    renamed or removed.
    """
    cache = cache if cache is not None else _FileCache()
    path = Path(folder).expanduser()
    try:
        names = sorted(os.listdir(path))
    except FileNotFoundError:
        return ReadResult([], [], folder_problem=f"The class folder {path} does not exist.")
    except NotADirectoryError:
        return ReadResult([], [], folder_problem=f"{path} is a file, not a folder.")
    except OSError as exc:
        return ReadResult(
            [],
            [],
            folder_problem=f"The class folder {path} cannot be read ({exc.strerror or exc}).",
        )
    learners: list[Learner] = []
    skipped: list[Skipped] = []
    ignored = changed = 0
    seen: list[Path] = []
    visible = [n for n in names if not n.startswith(".")]  # lock and temporary files are hidden
    candidates = [n for n in visible if n.lower().endswith(".json")]
    ignored = len(visible) - len(candidates)
    if len(candidates) > MAX_FILES:
        skipped.append(
            Skipped(f"{len(candidates) - MAX_FILES} files", f"only the first {MAX_FILES} are read")
        )
        candidates = candidates[:MAX_FILES]
    for name in candidates:
        file = path / name
        try:
            st = os.stat(file)
        except OSError as exc:
            skipped.append(Skipped(name, f"it cannot be opened ({exc.strerror or exc})"))
            continue
        if not stat.S_ISREG(st.st_mode):
            skipped.append(Skipped(name, "it is not a regular file"))
            continue
        seen.append(file)
        parsed = cache.get(file, st)
        if parsed is None:
            changed += 1
            try:
                with open(file, "rb") as fh:
                    raw = fh.read(MAX_FILE_BYTES + 1)
                parsed = read_workbook(name, raw)
            except OSError as exc:
                parsed = (None, f"it cannot be opened ({exc.strerror or exc})", [])
            cache.put(file, st, parsed)
        answers, reason, notes = parsed
        if answers is None:
            skipped.append(Skipped(name, reason))
        else:
            learners.append(Learner(name, name, "folder", answers, list(notes)))
    cache.keep_only(seen)
    return ReadResult(learners, skipped, ignored, changed)


def pseudonyms(keys: Iterable[str], salt: str) -> dict[str, str]:
    """A stable pseudonym per key (an adjective and an animal), from SHA-256 of salt and key.

    The same salt and key always give the same pseudonym. Two keys that draw the same one are
    told apart by a number (" 2", " 3"), given in the order of their hashes, so adding a learner
    renames nobody unless they draw the same words.
    """
    drawn: dict[str, tuple[str, str]] = {}
    for key in keys:
        digest = hashlib.sha256(f"{salt}\x00{key}".encode("utf-8", "surrogatepass")).digest()
        words = (
            f"{_ADJECTIVES[int.from_bytes(digest[:4], 'big') % len(_ADJECTIVES)]} "
            f"{_ANIMALS[int.from_bytes(digest[4:8], 'big') % len(_ANIMALS)]}"
        )
        drawn[key] = (words, digest.hex())
    by_words: dict[str, list[str]] = {}
    for key, (words, _h) in drawn.items():
        by_words.setdefault(words, []).append(key)
    out: dict[str, str] = {}
    for words, same in by_words.items():
        same.sort(key=lambda k: drawn[k][1])
        for n, key in enumerate(same, 1):
            out[key] = words if n == 1 else f"{words} {n}"
    return out


# --- charts ------------------------------------------------------------------------------------
#: Fill patterns, so that a segment's category never depends on colour alone.
_PATTERNS = (
    "",
    '<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" stroke="{ink}" stroke-width="1.6"/>',
    '<circle cx="4" cy="4" r="1.6" fill="{ink}"/>',
    '<path d="M0,8 L8,0 M0,0 L8,8" stroke="{ink}" stroke-width="1.2"/>',
    '<path d="M0,4 L8,4" stroke="{ink}" stroke-width="1.6"/>',
    '<path d="M4,0 L4,8" stroke="{ink}" stroke-width="1.6"/>',
)


def _dark(colour: str) -> bool:
    r, g, b = (int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def stacked_bars(
    rows: Sequence[tuple[str, Mapping[str, int]]],
    categories: Sequence[tuple[str, str, str]],
    *,
    title: str,
    alt_intro: str,
    ident: str,
    marks: Mapping[str, str] | None = None,
    note: str = "",
    label_chars: int = 38,
) -> SvgFigure:
    """Horizontal stacked bars, one per row, as SVG (Okabe–Ito colours, each category also a
    fill pattern and named in the key; counts printed in the segments that have room).

    ``rows`` is ``[(label, {category key: count})]``; ``categories`` is ``[(key, label,
    colour)]`` in stacking order; ``marks`` maps a row label to the category that is the
    reference answer, outlined in black and named after the row. ``ident`` makes the pattern
    ids unique on a page. The alt text (``alt_intro`` then every row's counts) states all the
    numbers. ``data["rows"]`` holds each row's counts and segments, for tests.
    """
    marks = dict(marks or {})
    left, bar_w, row_h, bar_h = max(262, int(10 + 6.4 * label_chars)), 330, 28, 18
    width = left + bar_w + 56
    top = 34
    total_max = max([sum(c.values()) for _l, c in rows] + [1])
    esc = html.escape
    defs = []
    for k, (_key, _label, colour) in enumerate(categories):
        pattern = _PATTERNS[k % len(_PATTERNS)]
        if pattern:
            ink = "#FFFFFF" if _dark(colour) else "#111111"
            defs.append(
                f'<pattern id="{ident}-p{k}" width="8" height="8" patternUnits="userSpaceOnUse">'
                f"{pattern.format(ink=ink)}</pattern>"
            )
    out = [f"<defs>{''.join(defs)}</defs>"] if defs else []
    out.append(
        f'<text x="{width / 2:.0f}" y="20" text-anchor="middle" font-size="14" '
        f'font-weight="bold" fill="#111111">{esc(title)}</text>'
    )
    drawn = []
    for r, (label, counts) in enumerate(rows):
        y = top + r * row_h
        mark = marks.get(label)
        shown = _clip(label, label_chars)
        out.append(
            f'<text x="{left - 8}" y="{y + bar_h - 4}" text-anchor="end" font-size="12" '
            f'fill="#111111">{esc(shown)}</text>'
        )
        x = float(left)
        segments = []
        for k, (key, _clabel, colour) in enumerate(categories):
            n = int(counts.get(key, 0))
            if n <= 0:
                continue
            w = bar_w * n / total_max
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}" '
                f'stroke="#FFFFFF" stroke-width="1"/>'
            )
            if _PATTERNS[k % len(_PATTERNS)]:
                out.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                    f'fill="url(#{ident}-p{k})"/>'
                )
            if key == mark:
                out.append(
                    f'<rect x="{x + 1:.1f}" y="{y + 1}" width="{max(w - 2, 1):.1f}" '
                    f'height="{bar_h - 2}" fill="none" stroke="#000000" stroke-width="2.5"/>'
                )
            if w >= 22:
                out.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + bar_h - 5}" text-anchor="middle" '
                    'font-size="11" font-weight="bold" fill="#111111" stroke="#FFFFFF" '
                    f'stroke-width="3" paint-order="stroke">{n}</text>'
                )
            segments.append((key, round(x, 1), round(w, 1), n))
            x += w
        total = sum(int(v) for v in counts.values() if v > 0)
        out.append(
            f'<text x="{x + 6:.1f}" y="{y + bar_h - 4}" font-size="11" fill="#333333">{total}'
            "</text>"
        )
        drawn.append({"label": label, "counts": dict(counts), "segments": segments, "mark": mark})
    y = top + len(rows) * row_h + 10
    out.append(f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{y - 8}" stroke="#555555"/>')
    x = 10
    for k, (_key, label, colour) in enumerate(categories):
        text_w = 7 * len(label) + 34
        if x + text_w > width:
            x, y = 10, y + 20
        out.append(
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour}" stroke="#555555"/>'
        )
        if _PATTERNS[k % len(_PATTERNS)]:
            out.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="url(#{ident}-p{k})"/>')
        out.append(
            f'<text x="{x + 19}" y="{y + 12}" font-size="12" fill="#111111">{esc(label)}</text>'
        )
        x += text_w
    if marks:
        y += 20
        out.append(
            f'<rect x="10" y="{y}" width="14" height="14" fill="none" stroke="#000000" '
            'stroke-width="2.5"/><text x="29" y="{0}" font-size="12" fill="#111111">'
            "Black outline: the reference answer</text>".format(y + 12)
        )
    if note:
        y += 20
        out.append(f'<text x="10" y="{y + 12}" font-size="12" fill="#333333">{esc(note)}</text>')
    height = int(y + 24)
    cat_labels = {key: label for key, label, _c in categories}
    parts = []
    for row in drawn:
        listed = ", ".join(
            f"{cat_labels[k]} {row['counts'].get(k, 0)}"
            for k, *_ in categories
            if row["counts"].get(k, 0)
        )
        ref = f" (reference: {cat_labels[row['mark']]})" if row["mark"] in cat_labels else ""
        parts.append(f"{row['label']}{ref}: {listed or 'none'}")
    alt = f"{alt_intro} " + "; ".join(parts) + "."
    data = {"rows": drawn, "categories": [k for k, *_ in categories], "size": (width, height)}
    return SvgFigure("".join(out), width=width, height=height, alt=alt, data=data)


# --- sections ----------------------------------------------------------------------------------
@dataclass
class Section:
    """What the class view shows for one exercise."""

    exercise_id: str
    title: str
    answered: int
    """Learners with a usable saved answer."""
    unusable: int = 0
    """Learners whose saved answer has a shape this view cannot read."""
    facts: list[str] = field(default_factory=list)
    figures: list[SvgFigure] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    """Tables as HTML (every cell escaped)."""
    prompt: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], caption: str) -> str:
    from .exercises.common import html_table

    return (
        '<details class="pivot-classview-table" style="margin:.4em 0">'
        f'<summary style="cursor:pointer">Table: {escape(caption)}</summary>'
        '<div class="pivot-scroll" role="region" tabindex="0" aria-label="'
        f'{escape(caption)}" style="overflow-x:auto;max-width:100%">'
        + html_table(headers, rows, caption=caption)
        + "</div></details>"
    )


def _pct(n: int, of: int) -> str:
    return f"{round(100 * n / of)}%" if of else "–"


def _num(v: object) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    x = float(v)
    return x if math.isfinite(x) else None


def _whole(v: object, lo: int, hi: int) -> int | None:
    x = _num(v)
    return int(x) if x is not None and x.is_integer() and lo <= x <= hi else None


@lru_cache(maxsize=1)
def _reference() -> dict[str, Any]:
    """The course data the summaries compare with (loaded once per kernel)."""
    from . import data
    from .exercises.shift2.stakeholder_map import reference_placements
    from .exercises.shift4.decide import load_doors
    from .exercises.shift4.experiment import traffic
    from .exercises.whose_risk import load_concerns
    from .frameworks import prioritization as p

    backlog = data.load("backlog")
    return {
        "items": data.load("self_assessment"),
        "shifts": data.load("shifts").set_index("shift"),
        "statements": data.load("problem_or_solution"),
        "pains": data.load("pain_point_reference").sort_values("reference_rank"),
        "stakeholders": reference_placements(),
        "backlog": backlog,
        "rice": p.score_backlog(backlog, "rice"),
        "wsjf": p.score_backlog(backlog, "wsjf"),
        "concerns": load_concerns(),
        "units": traffic(),
        "doors": load_doors(),
    }


ORDINAL = (
    OKABE_ITO["vermillion"],
    OKABE_ITO["orange"],
    OKABE_ITO["yellow"],
    OKABE_ITO["sky blue"],
    OKABE_ITO["blue"],
)


def _self_assessment(answers: list[Any], ident: str) -> Section:
    from .frameworks import self_assessment as sa

    ref = _reference()
    items = ref["items"]
    item_ids = list(items["item_id"])
    item_shift = dict(zip(items["item_id"], items["shift"], strict=True))
    shifts = sorted(set(item_shift.values()))
    pooled = {s: Counter() for s in shifts}
    scores: dict[int, list[float]] = {s: [] for s in shifts}
    starts: Counter = Counter()
    unusable = 0
    for a in answers:
        try:
            ratings = sa.check_ratings(a.get("ratings") if isinstance(a, Mapping) else {}, item_ids)
        except (ValueError, TypeError, AttributeError):
            unusable += 1
            continue
        for item, v in ratings.items():
            pooled[item_shift[item]][v] += 1
        s = sa.shift_scores(ratings, item_shift)
        for shift, v in s.items():
            scores[shift].append(v)
        starts[sa.profile(s).start] += 1
    n = sum(starts.values())
    title = {s: f"Shift {s}: {ref['shifts'].loc[s, 'title']}" for s in shifts}
    sec = Section("start.self_assessment", "Self-assessment on the four shifts", n, unusable)
    if n:
        cats = [(str(v), f"rated {v}", ORDINAL[v - 1]) for v in range(1, 6)]
        sec.figures.append(
            stacked_bars(
                [(title[s], {str(k): c for k, c in pooled[s].items()}) for s in shifts],
                cats,
                title="Ratings given, per shift (3 statements each)",
                alt_intro=f"Stacked bars of the self-assessment ratings of {n} learners, pooled "
                "over each shift's three statements, 1 (not like me yet) to 5 (this is me).",
                ident=f"{ident}-sa",
            )
        )
        means = {s: statistics.fmean(scores[s]) for s in shifts}
        spread = {s: statistics.pstdev(scores[s]) for s in shifts}
        low = min(shifts, key=lambda s: (means[s], s))
        wide = max(shifts, key=lambda s: (spread[s], -s))
        sec.facts += [
            f"{n} learners. Lowest class mean: Shift {low} ({means[low]:.1f} of 5).",
            f"Widest spread: Shift {wide} (standard deviation {spread[wide]:.2f}).",
        ]
        sec.tables.append(
            _table(
                [
                    "Shift",
                    "Class mean (1–5)",
                    "Lowest",
                    "Highest",
                    "Ratings of 1 or 2",
                    "Learners who start here",
                ],
                [
                    (
                        title[s],
                        f"{means[s]:.2f}",
                        f"{min(scores[s]):.2f}",
                        f"{max(scores[s]):.2f}",
                        _pct(pooled[s][1] + pooled[s][2], sum(pooled[s].values())),
                        f"{starts[s]} of {n}",
                    )
                    for s in shifts
                ],
                "The self-assessment, per shift (a learner starts at their lowest shift)",
            )
        )
        sec.data = {
            "pooled": {s: dict(pooled[s]) for s in shifts},
            "starts": dict(starts),
            "means": means,
        }
    sec.prompt = [
        "Start with the shift the class rated lowest, then the one with the widest spread.",
        "Ask for evidence, not scores: “Who gave themselves a 4 or 5 on this one? What did you "
        "do last month that earns it?” A rating nobody can back with an example is a guess.",
        "Then: which shift will your own team notice first when you change? Where would they "
        "rate you? The gap between the two is worth more than the number.",
    ]
    return sec


def _problem_or_solution(answers: list[Any], ident: str) -> Section:
    ref = _reference()
    st = ref["statements"]
    key = dict(zip(st["statement_id"], st["label"], strict=True))
    counts = {sid: Counter() for sid in key}
    n = unusable = 0
    for a in answers:
        labels = a.get("labels") if isinstance(a, Mapping) else None
        if not isinstance(labels, Mapping):
            unusable += 1
            continue
        n += 1
        for sid in key:
            v = labels.get(sid, "")
            counts[sid][
                "right" if v == key[sid] else "wrong" if v in ("problem", "solution") else "blank"
            ] += 1
    sec = Section("shift1.problem_or_solution", "Shift 1: problem or solution?", n, unusable)
    if n:

        def missed(sid: str) -> float:
            done = counts[sid]["right"] + counts[sid]["wrong"]
            return counts[sid]["wrong"] / done if done else 0.0

        order = sorted(key, key=lambda s: (-missed(s), s))
        text = dict(zip(st["statement_id"], st["statement"], strict=True))
        speaker = dict(zip(st["statement_id"], st["speaker"], strict=True))
        rows = [(f"{s} {text[s]}", dict(counts[s])) for s in order]
        sec.figures.append(
            stacked_bars(
                rows,
                [
                    ("right", "right", OKABE_ITO["bluish green"]),
                    ("wrong", "missed", OKABE_ITO["vermillion"]),
                    ("blank", "not labelled", GREY),
                ],
                title="Each statement, the most missed first",
                alt_intro=f"Stacked bars of {n} learners' labels for each statement, right, "
                "missed or not labelled, the most missed first.",
                ident=f"{ident}-ps",
            )
        )
        worst = order[0]
        sec.facts.append(
            f"{n} learners. Most missed: {worst} ({_pct(counts[worst]['wrong'], n)} called it a "
            f"{'problem' if key[worst] == 'solution' else 'solution'}; it is a {key[worst]})."
        )
        sec.tables.append(
            _table(
                ["Statement", "Said by", "Reference", "Right", "Missed", "Not labelled"],
                [
                    (
                        f"{s}: {_clip(text[s], 90)}",
                        speaker[s],
                        key[s],
                        counts[s]["right"],
                        counts[s]["wrong"],
                        counts[s]["blank"],
                    )
                    for s in order
                ],
                "Problem or solution, per statement (most missed first)",
            )
        )
        sec.data = {"order": order, "counts": {s: dict(c) for s, c in counts.items()}}
    sec.prompt = [
        "Read the most missed statement aloud. Ask one person who called it a problem and one "
        "who called it a solution to make their case in a sentence each.",
        "Then the test that settles it: does it describe what happens to someone and what it "
        "costs them, or does it name something to build? “We need better reporting” sounds like "
        "a need and names a thing.",
        "Close with: what would you ask the person who said it, to find the problem underneath?",
    ]
    return sec


def _pain_points(answers: list[Any], ident: str) -> Section:
    ref = _reference()
    pains = ref["pains"]
    keys = list(pains["pain_point"])
    label = dict(zip(pains["pain_point"], pains["label"], strict=True))
    rank = dict(zip(pains["pain_point"], pains["reference_rank"], strict=True))
    votes = {k: Counter() for k in keys}
    n = unusable = 0
    for a in answers:
        top = a.get("top_three") if isinstance(a, Mapping) else None
        if not isinstance(top, list):
            unusable += 1
            continue
        picks = [t for t in top[:3] if isinstance(t, str) and t in votes]
        if not picks:
            continue
        n += 1
        for pos, k in enumerate(top[:3], 1):
            if isinstance(k, str) and k in votes:
                votes[k][str(pos)] += 1
    sec = Section("shift1.pain_point_map", "Shift 1: pain-point votes", n, unusable)
    if n:
        order = sorted(keys, key=lambda k: (-sum(votes[k].values()), rank[k]))
        sec.figures.append(
            stacked_bars(
                [(f"{label[k]} (ref. #{rank[k]})", dict(votes[k])) for k in order],
                [
                    ("1", "first choice", OKABE_ITO["blue"]),
                    ("2", "second", OKABE_ITO["sky blue"]),
                    ("3", "third", OKABE_ITO["orange"]),
                ],
                title="Votes in the class's top threes",
                alt_intro=f"Stacked bars of the pain points {n} learners put in their top three, "
                "by position, the most voted first; the reference rank is in brackets.",
                ident=f"{ident}-pp",
            )
        )
        first = keys[0]
        sec.facts.append(
            f"{n} learners voted. {votes[first]['1']} of {n} put the reference's first pain point "
            f"({label[first]}) first; {sum(votes[first].values())} have it in their top three."
        )
        sec.tables.append(
            _table(
                ["Pain point", "Reference rank", "Votes (top three)", "First choice"],
                [(label[k], rank[k], sum(votes[k].values()), votes[k]["1"]) for k in order],
                "Pain-point votes against the reference ranking",
            )
        )
        sec.data = {"votes": {k: dict(v) for k, v in votes.items()}, "order": order}
    sec.prompt = [
        "Where the class's top three differs from the reference, ask those who voted for the "
        "item: how many customers raised it, not how many times was it said?",
        "Separate volume from reach: one account that calls every day is loud; six accounts that "
        "each lose a morning are a pattern.",
        "Then: which pain point would you spend your next interview on, and what answer would "
        "change your mind about the order?",
    ]
    return sec


QUADRANT_COLOURS = {
    "high power, high interest": OKABE_ITO["vermillion"],
    "high power, low interest": OKABE_ITO["blue"],
    "low power, high interest": OKABE_ITO["bluish green"],
    "low power, low interest": OKABE_ITO["reddish purple"],
}


def _stakeholders(answers: list[Any], ident: str) -> Section:
    from .frameworks import stakeholders as sh

    ref = _reference()["stakeholders"]
    rows = {r.stakeholder_id: r for r in ref.itertuples(index=False)}
    placed = {sid: Counter() for sid in rows}
    strategy_right = Counter()
    n = unusable = 0
    for a in answers:
        placements = a.get("placements") if isinstance(a, Mapping) else None
        if not isinstance(placements, Mapping):
            unusable += 1
            continue
        n += 1
        for sid, r in rows.items():
            p = placements.get(sid)
            power = _whole(p.get("power"), 1, 5) if isinstance(p, Mapping) else None
            interest = _whole(p.get("interest"), 1, 5) if isinstance(p, Mapping) else None
            if power is None or interest is None:
                placed[sid]["none"] += 1
            else:
                placed[sid][sh.place(power, interest, 3).quadrant] += 1
            if isinstance(p, Mapping) and p.get("strategy") == r.strategy:
                strategy_right[sid] += 1
    sec = Section("shift2.stakeholder_map", "Shift 2: stakeholder placements", n, unusable)
    if n:

        def off(sid: str) -> int:
            return n - placed[sid]["none"] - placed[sid][rows[sid].quadrant]

        order = sorted(rows, key=lambda s: (-off(s), s))
        labels = {s: f"{rows[s].name}, {rows[s].role}" for s in rows}
        cats = [(q, sh.STRATEGIES[q], QUADRANT_COLOURS[q]) for q in sh.QUADRANTS.values()]
        cats.append(("none", "not placed", GREY))
        sec.figures.append(
            stacked_bars(
                [(labels[s], dict(placed[s])) for s in order],
                cats,
                title="Where the class placed each person",
                alt_intro=f"Stacked bars of the quadrant {n} learners placed each stakeholder "
                "in, named by its strategy, the person placed most differently from the "
                "reference first.",
                ident=f"{ident}-sh",
                marks={labels[s]: rows[s].quadrant for s in rows},
            )
        )
        worst = order[0]
        sec.facts.append(
            f"{n} learners. Placed most differently from the reference: {rows[worst].name} "
            f"({off(worst)} of {n} outside '{rows[worst].strategy}')."
        )
        sec.tables.append(
            _table(
                [
                    "Person",
                    "Reference (power, interest)",
                    "Reference strategy",
                    "Same quadrant",
                    "Other quadrant",
                    "Not placed",
                    "Chose the reference strategy",
                ],
                [
                    (
                        labels[s],
                        f"{rows[s].power}, {rows[s].interest}",
                        rows[s].strategy,
                        placed[s][rows[s].quadrant],
                        off(s),
                        placed[s]["none"],
                        strategy_right[s],
                    )
                    for s in order
                ],
                "Stakeholder placements against the reference",
            )
        )
        sec.data = {"placed": {s: dict(c) for s, c in placed.items()}, "order": order}
    sec.prompt = [
        "Take the person the class placed most differently. Ask someone from each quadrant for "
        "their evidence, for this decision only: power over what is built first, interest in "
        "which comes first.",
        "A rating of 3 sits on the threshold: a judgment call. Ask how they would find out "
        "rather than argue it.",
        "Then the cost: what goes wrong with this person if you pick the wrong strategy? Who is "
        "on your own map that you have been “keeping informed” when you should manage closely?",
    ]
    return sec


def _backlog(answers: list[Any], ident: str) -> Section:
    ref = _reference()
    ids = [str(i) for i in ref["backlog"]["item_id"]]
    titles = dict(zip(ref["backlog"]["item_id"], ref["backlog"]["title"], strict=True))
    rice = dict(zip(ref["rice"]["item_id"], ref["rice"]["rank"], strict=True))
    wsjf = dict(zip(ref["wsjf"]["item_id"], ref["wsjf"]["rank"], strict=True))
    rankings: list[list[str]] = []
    unusable = 0
    for a in answers:
        picks = a.get("picks") if isinstance(a, Mapping) else None
        if not isinstance(picks, list):
            unusable += 1
            continue
        clean: list[str] = []
        for v in picks[:5]:
            if isinstance(v, str) and v in titles and v not in clean:
                clean.append(v)
        if clean:
            rankings.append(clean)
    n = len(rankings)
    sec = Section(
        "shift3.prioritise_backlog", "Shift 3: gut top five against the methods", n, unusable
    )
    if n:
        positions = {i: Counter() for i in ids}
        for r in rankings:
            for pos, item in enumerate(r, 1):
                positions[item][str(pos)] += 1
        rice5 = {i for i in ids if rice[i] <= 5}
        wsjf5 = {i for i in ids if wsjf[i] <= 5}
        shown = sorted(
            [i for i in ids if positions[i] or i in rice5 or i in wsjf5],
            key=lambda i: (-sum(positions[i].values()), rice[i]),
        )[:12]
        sec.figures.append(
            stacked_bars(
                [
                    (
                        f"{i} {_clip(titles[i], 20)} (RICE {rice[i]}, WSJF {wsjf[i]})",
                        dict(positions[i]),
                    )
                    for i in shown
                ],
                [
                    (str(k), f"{k}{('st', 'nd', 'rd', 'th', 'th')[k - 1]} pick", c)
                    for k, c in zip(range(1, 6), reversed(ORDINAL), strict=True)
                ],
                title="The class's gut top fives (most picked first)",
                alt_intro=f"Stacked bars of how often {n} learners put each backlog item in their "
                "gut top five, by position; the most picked first, with the items RICE or WSJF "
                "rank in their top five.",
                ident=f"{ident}-bl",
                label_chars=48,
            )
        )
        lines = []
        try:
            conc = agreement.kendalls_w(rankings, ids)
            lines.append(
                f"Agreement across the class: Kendall's W = {conc.w:.2f} ({n} learners, "
                f"{len(ids)} items; the items a learner left out share the bottom places). W "
                "runs from 0, no agreement, to 1, identical rankings; on top fives it mostly "
                "measures agreement on which items make the five, less on their order."
            )
            lines.append(
                f"By chance alone (every learner picking at random) W would average "
                f"{agreement.chance_w(n):.2f}."
            )
            sec.data["w"] = conc.w
        except agreement.AgreementError as exc:
            lines.append(f"Agreement: not computed ({exc}).")
        spread = agreement.item_spread(rankings, ids)
        disputed = [s for s in spread if 0 < s.placed < n][:3]
        if disputed:
            lines.append(
                "Most disputed: "
                + "; ".join(
                    f"{s.item} {_clip(titles[s.item], 48)} (in {s.placed} of {n} top fives)"
                    for s in disputed
                )
                + "."
            )
        overlap_rice = [len(set(r) & rice5) for r in rankings]
        overlap_wsjf = [len(set(r) & wsjf5) for r in rankings]
        lines.append(
            f"Overlap with the methods' top fives, median per learner: RICE "
            f"{statistics.median(overlap_rice):g} of 5, WSJF {statistics.median(overlap_wsjf):g} "
            "of 5."
        )
        sec.facts += lines
        by_item = {s.item: s for s in spread}
        sec.tables.append(
            _table(
                [
                    "Item",
                    "In gut top fives",
                    "First pick",
                    "Rank spread (SD)",
                    "RICE rank",
                    "WSJF rank",
                ],
                [
                    (
                        f"{i} {_clip(titles[i], 70)}",
                        sum(positions[i].values()),
                        positions[i]["1"],
                        f"{by_item[i].sd_rank:.1f}",
                        rice[i],
                        wsjf[i],
                    )
                    for i in shown
                ],
                "Gut top fives against RICE and WSJF",
            )
        )
        sec.data.update(
            positions={i: dict(c) for i, c in positions.items() if c},
            disputed=[s.item for s in disputed],
            overlap_rice=overlap_rice,
        )
    sec.prompt = [
        "Say what the agreement means before the ranking: a low W is the room disagreeing, and "
        "that is why teams argue about priorities when nobody writes the estimates down.",
        "Take the most disputed item. Ask one person who put it first and one who left it out: "
        "which estimate would you change, reach, impact, confidence or effort, and on what "
        "evidence?",
        "Then compare with where RICE and WSJF put it: which part of your gut was information "
        "the method does not have, and which part was the loudest voice in the room?",
    ]
    return sec


RISK_COLOURS = {
    "value": OKABE_ITO["blue"],
    "usability": OKABE_ITO["orange"],
    "feasibility": OKABE_ITO["bluish green"],
    "viability": OKABE_ITO["reddish purple"],
}


def _whose_risk(answers: list[Any], ident: str) -> Section:
    from .exercises.whose_risk import YOU

    ref = _reference()["concerns"]
    rows = {r.concern_id: r for r in ref.itertuples(index=False)}
    risk_counts = {c: Counter() for c in rows}
    person_right = Counter()
    drift = 0
    n = unusable = 0
    for a in answers:
        choices = a.get("choices") if isinstance(a, Mapping) else None
        if not isinstance(choices, Mapping):
            unusable += 1
            continue
        n += 1
        drifted = False
        for cid, r in rows.items():
            v = choices.get(cid)
            risk, who = (v[0], v[1]) if isinstance(v, list) and len(v) == 2 else ("", "")
            risk_counts[cid][risk if risk in RISK_COLOURS else "none"] += 1
            if who == r.answered_by:
                person_right[cid] += 1
            if who == YOU and r.risk == "feasibility":
                drifted = True
        drift += drifted
    sec = Section("shift3.whose_risk", "Shift 3: whose risk is it?", n, unusable)
    if n:

        def missed(cid: str) -> int:
            c = risk_counts[cid]
            return n - c[rows[cid].risk] - c["none"]

        order = sorted(rows, key=lambda c: (-missed(c), c))
        labels = {c: f"{c} {rows[c].concern}" for c in rows}
        cats = [(k, k, col) for k, col in RISK_COLOURS.items()] + [("none", "not classified", GREY)]
        sec.figures.append(
            stacked_bars(
                [(labels[c], dict(risk_counts[c])) for c in order],
                cats,
                title="The risk the class saw in each concern",
                alt_intro=f"Stacked bars of the risk {n} learners gave each concern (Cagan's "
                "four risks), the most misclassified first.",
                ident=f"{ident}-wr",
                marks={labels[c]: rows[c].risk for c in rows},
            )
        )
        worst = order[0]
        sec.facts += [
            f"{n} learners. Most misclassified: {worst} ({missed(worst)} of {n} did not call it "
            f"{rows[worst].risk}).",
            f"{drift} of {n} answered at least one feasibility question themselves: the drift "
            "into the engineers' territory.",
        ]
        sec.tables.append(
            _table(
                [
                    "Concern",
                    "Raised by",
                    "Reference risk",
                    "Right risk",
                    "Right person",
                    "Should answer",
                ],
                [
                    (
                        labels[c][:100],
                        rows[c].speaker,
                        rows[c].risk,
                        risk_counts[c][rows[c].risk],
                        person_right[c],
                        "you" if rows[c].answered_by == YOU else rows[c].answered_by,
                    )
                    for c in order
                ],
                "Whose risk is it? Per concern",
            )
        )
        sec.data = {
            "risks": {c: dict(v) for c, v in risk_counts.items()},
            "drift": drift,
            "order": order,
        }
    sec.prompt = [
        "Take the concern the class misclassified most. Ask: who in this room would answer it, "
        "and who should? The person who raised a concern is often not the one to answer it.",
        "Name the drift without naming anyone: a feasibility question answered by the product "
        "manager is the “how” the move asks a former engineer to leave to the team.",
        "Ask the former engineers: which of these would you have most wanted to answer "
        "yourself, and what is your part instead (the constraint, not the design)?",
    ]
    return sec


BAND_COLOURS = (
    ("high", "high (10–25)", OKABE_ITO["vermillion"]),
    ("medium", "medium (5–9)", OKABE_ITO["orange"]),
    ("low", "low (1–4)", OKABE_ITO["bluish green"]),
    ("none", "not rated", GREY),
)


def _pre_mortem(answers: list[Any], ident: str) -> Section:
    from .frameworks import risk

    by_kind = {k: Counter() for k in risk.KINDS}
    learners_with = Counter()
    no_owner = Counter()
    no_step = Counter()
    n = unusable = 0
    for a in answers:
        rows = a.get("rows") if isinstance(a, Mapping) else None
        if not isinstance(rows, list):
            unusable += 1
            continue
        kinds_here = set()
        wrote = False
        for row in rows[:20]:
            if not isinstance(row, Mapping):
                continue
            kind = row.get("kind")
            if kind not in by_kind:
                continue
            wrote = True
            kinds_here.add(kind)
            lk, im = _whole(row.get("likelihood"), 1, 5), _whole(row.get("impact"), 1, 5)
            by_kind[kind][risk.band(risk.score(lk, im)) if lk and im else "none"] += 1
            if not row.get("owner"):
                no_owner[kind] += 1
            if not (isinstance(row.get("next_step"), str) and row["next_step"].strip()):
                no_step[kind] += 1
        if wrote:
            n += 1
            for k in kinds_here:
                learners_with[k] += 1
    sec = Section("shift4.pre_mortem", "Shift 4: pre-mortem risk classifications", n, unusable)
    if n:
        sec.figures.append(
            stacked_bars(
                [(f"{k} risks", dict(by_kind[k])) for k in risk.KINDS],
                list(BAND_COLOURS),
                title="The class's pre-mortem risks, by kind and band",
                alt_intro=f"Stacked bars of the risks {n} learners wrote in their pre-mortem, by "
                "Cagan's four kinds, split by band (likelihood × impact).",
                ident=f"{ident}-pm",
            )
        )
        left_out = min(risk.KINDS, key=lambda k: (learners_with[k], k))
        total = sum(sum(c.values()) for c in by_kind.values())
        sec.facts += [
            f"{n} learners wrote {total} risks.",
            f"Kind most often left out: {left_out} ({n - learners_with[left_out]} of {n} wrote "
            "none).",
        ]
        sec.tables.append(
            _table(
                [
                    "Kind",
                    "Learners who wrote one",
                    "Risks",
                    "High band",
                    "No owner",
                    "No next step",
                ],
                [
                    (
                        k,
                        f"{learners_with[k]} of {n}",
                        sum(by_kind[k].values()),
                        by_kind[k]["high"],
                        no_owner[k],
                        no_step[k],
                    )
                    for k in risk.KINDS
                ],
                "Pre-mortem risks by kind",
            )
        )
        sec.data = {
            "by_kind": {k: dict(c) for k, c in by_kind.items()},
            "learners_with": dict(learners_with),
        }
    sec.prompt = [
        "Start with the kind of risk the class left out most. Ask why: is it invisible from "
        "where we sit, or does it belong to someone else?",
        "Ask for a show of hands: whose register has a risk with no owner or no next step? A "
        "risk nobody owns is a worry, not a plan.",
        "Then the question the exercise ends on: which failure would you not have said out loud "
        "in a planning meeting, and what would make it safe to say?",
    ]
    return sec


SIZE_BINS = (
    (0, 1_000, "under 1,000"),
    (1_000, 3_000, "1,000–2,999"),
    (3_000, 10_000, "3,000–9,999"),
    (10_000, 30_000, "10,000–29,999"),
    (30_000, math.inf, "30,000 or more"),
)


@lru_cache(maxsize=1024)
def _design(answer_json: str) -> tuple[int, int | None, bool | None, str] | None:
    """(n per group, days, can be reached, unit) recomputed from a saved design, or None."""
    from .exercises.shift4.experiment import saved_design

    design = saved_design(_Answers({"shift4.experiment_design": json.loads(answer_json)}))
    n = design.get("n_per_group")
    if not isinstance(n, int) or n <= 0:
        return None
    return n, design.get("days"), design.get("feasible"), str(design.get("unit", ""))


def _experiments(answers: list[Any], ident: str) -> Section:
    units = _reference()["units"]
    bins = {label: Counter() for _lo, _hi, label in SIZE_BINS}
    sizes: list[int] = []
    per_unit: dict[str, list[tuple[int, int | None, bool | None]]] = {}
    n = unusable = 0
    for a in answers:
        got = _design(json.dumps(a, sort_keys=True)) if isinstance(a, Mapping) else None
        if got is None:
            unusable += 1
            continue
        size, days, feasible, unit = got
        n += 1
        sizes.append(size)
        label = next(lb for lo, hi, lb in SIZE_BINS if lo <= size < hi)
        bins[label]["yes" if feasible else "no" if feasible is False else "unknown"] += 1
        per_unit.setdefault(unit, []).append((size, days, feasible))
    sec = Section("shift4.experiment_design", "Shift 4: experiment sizes", n, unusable)
    if n:
        sec.figures.append(
            stacked_bars(
                [(f"{label} per group", dict(bins[label])) for _lo, _hi, label in SIZE_BINS],
                [
                    ("yes", "can be reached", OKABE_ITO["blue"]),
                    ("no", "cannot be reached in time", OKABE_ITO["vermillion"]),
                    ("unknown", "not worked out", GREY),
                ],
                title="Sample size per group in the class's designs",
                alt_intro=f"Stacked bars of the sample size per group of {n} learners' experiment "
                "designs (the course's pooled formula), in bands, split by whether the case's "
                "traffic reaches it within the longest run.",
                ident=f"{ident}-ex",
            )
        )
        cannot = sum(1 for u in per_unit.values() for s in u if s[2] is False)
        sec.facts += [
            f"{n} designs. Sample per group from {min(sizes):,} to {max(sizes):,} (median "
            f"{statistics.median(sizes):,.0f}), from the same case.",
            f"{cannot} of {n} cannot reach their sample within the longest run they set.",
        ]
        rows = []
        for uid in sorted(per_unit):
            got = per_unit[uid]
            days = [d for _s, d, _f in got if isinstance(d, int | float)]
            rows.append(
                (
                    units[uid]["label"].split(":")[0] if uid in units else uid or "not set",
                    len(got),
                    f"{statistics.median([s for s, _d, _f in got]):,.0f}",
                    f"{statistics.median(days):g}" if days else "–",
                    sum(1 for _s, _d, f in got if f is False),
                )
            )
        sec.tables.append(
            _table(
                [
                    "Unit randomised",
                    "Designs",
                    "Median sample per group",
                    "Median days",
                    "Cannot be reached",
                ],
                rows,
                "Experiment designs by the unit they randomise",
            )
        )
        sec.data = {"sizes": sizes, "bins": {k: dict(v) for k, v in bins.items()}}
    sec.prompt = [
        "Put the smallest and the largest sample side by side; both came from the same case. Ask "
        "the two designers what they chose for the minimum detectable effect and the unit.",
        "The point to land: halve the effect you want to detect and the sample grows about four "
        "times; the unit decides how fast you get there.",
        "For the designs that cannot be reached: what would you run instead, a concierge test, "
        "a Wizard of Oz, a fake door or a few sessions with technicians?",
    ]
    return sec


class _Answers:
    """A learner's answers with a workbook's ``get`` (for the exercises' own readers)."""

    def __init__(self, answers: Mapping[str, Any]):
        self._answers = answers
        self.notices: list[str] = []

    def get(self, exercise_id: str) -> Any:
        return self._answers.get(exercise_id)


@lru_cache(maxsize=1024)
def _rule(design_json: str, locked: tuple[float, float], current: tuple[float, float] | None):
    """(what the rule says under the locked criteria, goalposts moved) for one learner."""
    from .exercises.shift4.decide import design_for
    from .frameworks import decisions as dc

    design_answer = json.loads(design_json)
    answers = {} if design_answer is None else {"shift4.experiment_design": design_answer}
    design, _notes = design_for(_Answers(answers))
    sim = dc.simulate_result(design["baseline"], design["mde"], design["n_per_group"])
    crit = dc.Criteria.make(locked[0] / 100, locked[1] / 100)
    now = None if current is None else dc.Criteria.make(current[0] / 100, current[1] / 100)
    j = dc.judge_decision("ship", sim.result, crit, now, lower_is_better=design["mde"] < 0)
    return j.by_locked, j.moved_goalposts


def _criteria(v: object) -> tuple[float, float] | None:
    if not isinstance(v, Mapping):
        return None
    s, k = _num(v.get("success")), _num(v.get("kill"))
    if s is None or k is None or not 0 < s <= 100 or not -100 <= k <= s:
        return None
    return s, k


def _decisions(answers: list[tuple[Any, Any]], ident: str) -> Section:
    from .frameworks import decisions as dc

    doors = _reference()["doors"]
    decided = {d: Counter() for d in dc.DECISIONS}
    door_counts = {d["decision_id"]: Counter() for d in doors}
    moved = 0
    n = unusable = 0
    for a, design in answers:
        if not isinstance(a, Mapping):
            unusable += 1
            continue
        n += 1
        decision = a.get("decision")
        locked = _criteria(a.get("locked"))
        if decision in decided:
            verdict = "unlocked"
            if locked is not None:
                try:
                    by_locked, was_moved = _rule(
                        json.dumps(design if isinstance(design, Mapping) else None, sort_keys=True),
                        locked,
                        _criteria(a.get("criteria")),
                    )
                    verdict = "follows" if decision == by_locked else "departs"
                    moved += was_moved
                except Exception:  # a design the rule cannot read: counted, not judged
                    verdict = "unlocked"
            decided[decision][verdict] += 1
        chosen = a.get("doors")
        for did, c in door_counts.items():
            v = chosen.get(did) if isinstance(chosen, Mapping) else None
            c[v if v in dc.DOORS else "none"] += 1
    sec = Section("shift4.read_and_decide", "Shift 4: decisions and doors", n, unusable)
    if n:
        words = {"ship": "Ship", "iterate": "Iterate", "kill": "Kill"}
        sec.figures.append(
            stacked_bars(
                [(words[d], dict(decided[d])) for d in dc.DECISIONS],
                [
                    ("follows", "follows their locked criteria", OKABE_ITO["bluish green"]),
                    ("departs", "departs from them", OKABE_ITO["vermillion"]),
                    ("unlocked", "not judged (no criteria locked)", GREY),
                ],
                title="Decisions, and whether they follow the criteria set before the data",
                alt_intro=f"Stacked bars of the decisions of {n} learners on their experiment's "
                "result, split by whether each follows the course's decision rule under the "
                "criteria the learner locked before seeing the result.",
                ident=f"{ident}-dd",
            )
        )
        labels = {d["decision_id"]: f"{d['decision_id']} {d['decision']}" for d in doors}
        ref_door = {d["decision_id"]: d["door"] for d in doors}
        sec.figures.append(
            stacked_bars(
                [(labels[d], dict(door_counts[d])) for d in door_counts],
                [
                    ("one_way", "one-way door", OKABE_ITO["vermillion"]),
                    ("two_way", "two-way door", OKABE_ITO["blue"]),
                    ("none", "not chosen", GREY),
                ],
                title="One-way or two-way door?",
                alt_intro=f"Stacked bars of how {n} learners classified each decision, one-way "
                "(hard to reverse) or two-way (easy to reverse) door.",
                ident=f"{ident}-do",
                marks={labels[d]: ref_door[d] for d in door_counts},
            )
        )
        departs = sum(c["departs"] for c in decided.values())
        split = max(
            door_counts, key=lambda d: (n - door_counts[d][ref_door[d]] - door_counts[d]["none"], d)
        )
        sec.facts += [
            f"{n} learners. {departs} decisions depart from the learner's own locked criteria; "
            f"{moved} changed their criteria after seeing the result.",
            f"Door the class split on most: {_clip(labels[split], 90)}",
        ]
        sec.tables.append(
            _table(
                ["Decision", "Follows the locked criteria", "Departs", "Not judged"],
                [
                    (words[d], decided[d]["follows"], decided[d]["departs"], decided[d]["unlocked"])
                    for d in dc.DECISIONS
                ],
                "Decisions against the learners' own criteria",
            )
        )
        sec.tables.append(
            _table(
                ["Decision", "Reference", "One-way", "Two-way", "Not chosen"],
                [
                    (
                        labels[d][:100],
                        ref_door[d].replace("_", "-"),
                        c["one_way"],
                        c["two_way"],
                        c["none"],
                    )
                    for d, c in door_counts.items()
                ],
                "Doors: the class against the reference",
            )
        )
        sec.data = {
            "decided": {d: dict(c) for d, c in decided.items()},
            "doors": {d: dict(c) for d, c in door_counts.items()},
            "moved": moved,
        }
    sec.prompt = [
        "Without naming anyone: some decisions depart from criteria their authors locked before "
        "the data. Ask the room what makes shipping tempting when the interval says iterate.",
        "Name moving the goalposts: criteria changed after the result can be fitted to any "
        "result, and then the test proves nothing.",
        "For the door the class split on, ask: what would make this door two-way? A pilot, a "
        "flag, a clause in the contract? Then decide it at the speed its door allows.",
    ]
    return sec


_SUMMARISERS: dict[str, Callable[[list[Any], str], Section]] = {
    "start.self_assessment": _self_assessment,
    "shift1.problem_or_solution": _problem_or_solution,
    "shift1.pain_point_map": _pain_points,
    "shift2.stakeholder_map": _stakeholders,
    "shift3.prioritise_backlog": _backlog,
    "shift3.whose_risk": _whose_risk,
    "shift4.pre_mortem": _pre_mortem,
    "shift4.experiment_design": _experiments,
}


def summarise(learners: Sequence[Learner], ident: str = "cv") -> list[Section]:
    """One :class:`Section` per exercise of :data:`EXERCISES`, from the learners' answers.

    A summary that fails on answers it did not expect says so in its section (never raises).
    """
    sections = []
    for exercise_id, title in EXERCISES:
        try:
            if exercise_id == "shift4.read_and_decide":
                pairs = [
                    (lr.answers[exercise_id], lr.answers.get("shift4.experiment_design"))
                    for lr in learners
                    if exercise_id in lr.answers
                ]
                sec = _decisions(pairs, ident)
            else:
                got = [lr.answers[exercise_id] for lr in learners if exercise_id in lr.answers]
                sec = _SUMMARISERS[exercise_id](got, ident)
        except Exception as exc:  # never a traceback in the instructor's notebook
            sec = Section(exercise_id, title, 0)
            sec.facts.append(f"This summary could not be made ({type(exc).__name__}: {exc}).")
        sections.append(sec)
    return sections


# --- rendering ---------------------------------------------------------------------------------
_SR_ONLY = (
    "position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
    "clip:rect(0,0,0,0);white-space:nowrap;border:0"
)


def section_html(sec: Section, anchor: str) -> str:
    """One exercise's part of the class view: heading, numbers, charts, prompt, tables."""
    head = f'<h3 id="{anchor}" style="margin:1.2em 0 .3em">{escape(sec.title)}</h3>'
    if not sec.answered:
        nobody = "Nobody has saved this exercise yet."
        if sec.unusable:
            nobody = f"No usable answers yet ({sec.unusable} could not be read)."
        body = f"<p>{escape(nobody)}</p>" + "".join(f"<p>{escape(f)}</p>" for f in sec.facts)
        figures = ""
        tables = ""
    else:
        extra = (
            [f"{sec.unusable} saved answers could not be read and are left out."]
            if sec.unusable
            else []
        )
        body = (
            '<ul style="margin:.2em 0 .6em 1.2em;padding:0">'
            + "".join(f"<li>{escape(f)}</li>" for f in [*sec.facts, *extra])
            + "</ul>"
        )
        figures = "".join(
            f'<div class="pivot-classview-figure" style="max-width:100%">'
            f"{fig.to_html(max_width='100%')}</div>"
            for fig in sec.figures
        )
        tables = "".join(sec.tables)
    prompt = (
        '<div class="pivot-prompt" role="note" aria-label="Discussion prompt" '
        'style="flex:1 1 18em;max-width:30em;border-left:4px solid #CC79A7;background:#F7F7F7;'
        'color:#111111;padding:.4em .9em;margin:.3em 0">'
        '<p style="margin:.3em 0"><strong>Discussion prompt</strong></p>'
        + "".join(f'<p style="margin:.3em 0">{escape(p)}</p>' for p in sec.prompt)
        + "</div>"
    )
    return (
        f'<section class="pivot-classview-section" aria-labelledby="{anchor}">{head}{body}'
        '<div style="display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start">'
        f'<div style="flex:2 1 30em;max-width:100%">{figures}</div>{prompt}</div>{tables}'
        "</section>"
    )


def progress_html(
    learners: Sequence[Learner], order: Sequence[tuple[str, str]], reveal: bool
) -> str:
    """The table of who has saved which exercise (learners × exercises), with a key."""
    if not learners:
        return "<p>No workbooks to show yet.</p>"
    short = []
    part_counts: Counter = Counter()
    for exercise_id, _title in order:
        part = exercise_id.split(".", 1)[0]
        part_counts[part] += 1
        tag = (
            "S"
            if part == "start"
            else part.replace("shift", "")
            if part.startswith("shift")
            else part[:1].upper()
        )
        short.append(f"{tag}.{part_counts[part]}" if part != "start" else "S")
    head = "".join(
        f'<th scope="col" style="padding:.2em .4em;text-align:center">'
        f'<span aria-hidden="true">{escape(s)}</span><span style="{_SR_ONLY}">'
        f"{escape(t)}</span></th>"
        for s, (_i, t) in zip(short, order, strict=True)
    )
    ordered = sorted(learners, key=lambda lr: (lr.name if reveal else lr.pseudonym).lower())
    body = []
    for lr in ordered:
        who = lr.name + (" (uploaded)" if lr.source == "upload" else "") if reveal else lr.pseudonym
        cells = []
        for exercise_id, _t in order:
            done = exercise_id in lr.answers
            cells.append(
                '<td style="text-align:center;border-top:1px solid #DDDDDD">'
                + ('<span aria-hidden="true">✓</span>' if done else "")
                + f'<span style="{_SR_ONLY}">{"saved" if done else "not yet"}</span></td>'
            )
        saved = sum(1 for i, _t in order if i in lr.answers)
        body.append(
            f'<tr><th scope="row" style="text-align:left;padding:.2em .6em;font-weight:normal;'
            f'white-space:nowrap;border-top:1px solid #DDDDDD">{escape(who)}</th>'
            + "".join(cells)
            + f'<td style="text-align:right;padding:0 .6em;border-top:1px solid #DDDDDD">{saved}'
            "</td></tr>"
        )
    totals = "".join(
        f'<td style="text-align:center;font-weight:bold">'
        f"{sum(1 for lr in learners if i in lr.answers)}</td>"
        for i, _t in order
    )
    key = "; ".join(f"{s} = {t}" for s, (_i, t) in zip(short, order, strict=True))
    caption = (
        f"Who has saved which exercise ({len(learners)} learners"
        + (", names shown" if reveal else ", pseudonyms")
        + ")"
    )
    return (
        '<div class="pivot-scroll" role="region" tabindex="0" aria-label="Who has saved which '
        'exercise" style="overflow:auto;max-width:100%;max-height:26em">'
        '<table class="pivot-table pivot-progress" style="border-collapse:collapse;'
        'margin:.4em 0;font-size:90%">'
        f'<caption style="text-align:left;font-weight:bold;padding:.2em 0">{escape(caption)}'
        '</caption><thead><tr><th scope="col" style="text-align:left;padding:.2em .6em">'
        f'Learner</th>{head}<th scope="col" style="padding:.2em .4em">Saved</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody>"
        f'<tfoot><tr><th scope="row" style="text-align:left;padding:.2em .6em">Learners who '
        f"saved it</th>{totals}<td></td></tr></tfoot></table></div>"
        f'<p style="font-size:90%;color:#333333;margin:.2em 0 .8em">Key: {escape(key)}.</p>'
    )


def skipped_html(skipped: Sequence[Skipped], learners: Sequence[Learner], ignored: int) -> str:
    """The files skipped and the entries left out, by file name, folded away from the screen."""
    notes = [(lr.name, n) for lr in learners for n in lr.notes]
    if not skipped and not notes:
        extra = f" ({ignored} other files in the folder are not workbooks and were left alone)"
        return f"<p>Every workbook file could be read{extra if ignored else ''}.</p>"
    items = [
        f"<li><strong>{escape(s.name)}</strong>"
        f"{' (uploaded)' if s.source == 'upload' else ''}: skipped, {escape(s.reason)}.</li>"
        for s in skipped
    ] + [f"<li><strong>{escape(name)}</strong>: used, but {escape(n)}.</li>" for name, n in notes]
    parts = []
    if skipped:
        parts.append(f"{len(skipped)} file{'s' if len(skipped) != 1 else ''} skipped")
    if notes:
        parts.append(f"{len(notes)} with damaged entries")
    summary = (
        f"{', '.join(parts)}. Open to see which (this shows file names, so not while the "
        "screen is shared)."
    )
    tail = (
        f"<p>{ignored} other files in the folder are not workbooks and were left alone.</p>"
        if ignored
        else ""
    )
    return (
        '<details class="pivot-classview-skipped" style="margin:.4em 0;border-left:4px solid '
        '#E69F00;background:#F7F7F7;color:#111111;padding:.3em .8em">'
        f'<summary style="cursor:pointer">{escape(summary)}</summary>'
        f'<ul style="margin:.3em 0 .3em 1.2em;padding:0">{"".join(items)}</ul>'
        "<p>Nothing was changed: the class view never writes to a learner's file. A learner "
        "whose workbook is damaged can open any exercise notebook: the course sets the damaged "
        f"file aside, keeps a copy, and starts a new one.</p>{tail}</details>"
    )


# --- the worked example of the instructor's notebook ----------------------------------------
#: Three learners' gut top fives from the Crewboard backlog (invented for the worked example).
WORKED_TOP_FIVES: dict[str, list[str]] = {
    "Learner A": ["B01", "B02", "B09", "B06", "B23"],
    "Learner B": ["B03", "B01", "B02", "B11", "B04"],
    "Learner C": ["B02", "B01", "B03", "B09", "B05"],
}


def _backlog_ids() -> list[str]:
    from . import data

    return [str(i) for i in data.load("backlog")["item_id"]]


def worked_agreement() -> dict[str, Any]:
    """The numbers of the notebook's worked example (:data:`WORKED_TOP_FIVES`) and of its
    faded step: the same five in the same order, and the same five in opposite orders."""
    ids = _backlog_ids()
    rankings = list(WORKED_TOP_FIVES.values())
    conc = agreement.kendalls_w(rankings, ids)
    spread = agreement.item_spread(rankings, ids)
    five = WORKED_TOP_FIVES["Learner A"]
    same = agreement.kendalls_w([five, five, five], ids)
    opposite = agreement.kendalls_w([five, list(reversed(five))], ids)
    apart = agreement.kendalls_w([five, [i for i in ids if i not in five][:5]], ids)
    return {
        "w": conc.w,
        "w_uncorrected": conc.w_uncorrected,
        "m": conc.m,
        "n": conc.n,
        "bottom": (5 + 1 + len(ids)) / 2,
        "in_all": [s.item for s in spread if s.placed == conc.m],
        "disputed": [s.item for s in spread if 0 < s.placed < conc.m],
        "rank_sums": conc.rank_sums,
        "same": same.w,
        "opposite": opposite.w,
        "apart": apart.w,
    }


def worked_agreement_html() -> str:
    """The worked example as a table: each learner's top five, then the rank sums."""
    from .exercises.common import html_table

    got = worked_agreement()
    people = list(WORKED_TOP_FIVES)
    rows = [(f"{k}.", *(WORKED_TOP_FIVES[p][k - 1] for p in people)) for k in range(1, 6)]
    items = sorted(
        {i for r in WORKED_TOP_FIVES.values() for i in r},
        key=lambda i: (got["rank_sums"][i], i),
    )
    sums = [(i, f"{got['rank_sums'][i]:g}") for i in items]
    return html_table(["Place", *people], rows, caption="Three gut top fives") + html_table(
        ["Item", "Rank sum (3 learners)"],
        sums,
        caption=f"Rank sums of the items anyone picked (each of the other "
        f"{got['n'] - len(items)} items: {3 * got['bottom']:g})",
    )


def glue_examples(prefix: str = "cv") -> None:
    """Glue the numbers the instructor notebook's prose uses (``{prefix}_…``)."""
    from myst_nb import glue

    got = worked_agreement()
    glue(f"{prefix}_w", f"{got['w']:.2f}", display=False)
    glue(f"{prefix}_w_uncorrected", f"{got['w_uncorrected']:.2f}", display=False)
    glue(f"{prefix}_n", got["n"], display=False)
    glue(f"{prefix}_bottom", f"{got['bottom']:g}", display=False)
    glue(f"{prefix}_in_all", " and ".join(got["in_all"]), display=False)
    glue(f"{prefix}_disputed", ", ".join(got["disputed"]), display=False)
    glue(f"{prefix}_same", f"{got['same']:.2f}", display=False)
    glue(f"{prefix}_opposite", f"{got['opposite']:.2f}", display=False)
    glue(f"{prefix}_apart", f"{got['apart']:.2f}", display=False)
    glue(f"{prefix}_chance2", f"{agreement.chance_w(2):.2f}", display=False)
    glue(f"{prefix}_chance3", f"{agreement.chance_w(3):.2f}", display=False)
    glue(f"{prefix}_chance60", f"{agreement.chance_w(60):.3f}", display=False)


# --- the widget --------------------------------------------------------------------------------
_ACTIVE: weakref.WeakSet = weakref.WeakSet()
_COUNTER = [0]


class ClassView:
    """The instructor's live view of a class folder (see the module docstring).

    ``folder`` defaults to ``PIVOT_WORKBOOK_DIR``; without either, the view asks for a folder.
    ``every`` starts auto-refresh every that many seconds (0, the default, is off; the drop-down
    changes it). ``reveal`` starts with names shown. ``salt`` overrides ``PIVOT_CLASS_SALT``.
    """

    def __init__(
        self,
        folder: str | os.PathLike | None = None,
        *,
        every: float = 0,
        reveal: bool = False,
        salt: str | None = None,
    ):
        import ipywidgets as W

        _COUNTER[0] += 1
        self.ident = f"cv{_COUNTER[0]}"
        env_folder = os.environ.get(FOLDER_ENV, "").strip()
        self.folder: Path | None = (
            Path(folder).expanduser()
            if folder is not None
            else Path(env_folder).expanduser()
            if env_folder
            else None
        )
        self._salt = salt
        self._cache = _FileCache()
        self.uploads: dict[str, Learner] = {}
        self.upload_skipped: list[Skipped] = []
        self.result = ReadResult([], [])
        self.sections: list[Section] = []
        self.refreshes = 0
        self._timer: asyncio.TimerHandle | None = None
        self._order: list[tuple[str, str]] | None = None

        wide = W.Layout(width="36em", max_width="100%")
        self.folder_box = W.Text(
            value="" if self.folder is None else str(self.folder),
            description="Class folder",
            placeholder="the folder learners save into (PIVOT_WORKBOOK_DIR)",
            style={"description_width": "8em"},
            layout=wide,
        )
        self.open_button = W.Button(description="Open folder", tooltip="Read this class folder")
        self.refresh_button = W.Button(
            description="Refresh",
            tooltip="Read the class's workbooks again",
            button_style="primary",
        )
        choices = sorted({*REFRESH_CHOICES, every} if every and every > 0 else REFRESH_CHOICES)
        self.every = W.Dropdown(
            options=[("off", 0) if c == 0 else (f"every {c:g} s", c) for c in choices],
            value=every if every and every > 0 else 0,
            description="Auto-refresh",
            style={"description_width": "8em"},
            layout=W.Layout(width="18em"),
        )
        self.reveal = W.Checkbox(value=bool(reveal), description="Reveal names", indent=False)
        self.upload = W.FileUpload(
            accept=".json,application/json",
            multiple=True,
            description="Add workbook files",
            tooltip="A learner's workbook.json, handed in (kept in memory only)",
            layout=W.Layout(width="auto"),
        )
        self.clear_uploads = W.Button(
            description="Forget uploads", tooltip="Drop every uploaded workbook from the view"
        )
        self.status = W.HTML()
        self.skipped = W.HTML()
        self.progress = W.HTML(layout=W.Layout(width="100%"))
        self.section_widgets = {i: W.HTML(layout=W.Layout(width="100%")) for i, _t in EXERCISES}
        self.open_button.on_click(lambda _b: self.open(self.folder_box.value))
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.clear_uploads.on_click(lambda _b: self.forget_uploads())
        self.reveal.observe(lambda _c: self._render(), names="value")
        self.every.observe(lambda _c: self._schedule(), names="value")
        self.upload.observe(self._uploaded, names="value")
        row = W.Layout(flex_flow="row wrap", align_items="center")
        self.widget = W.VBox(
            [
                W.HBox([self.folder_box, self.open_button], layout=row),
                W.HBox([self.refresh_button, self.every, self.reveal], layout=row),
                W.HBox([self.upload, self.clear_uploads], layout=row),
                self.status,
                self.skipped,
                W.HTML("<h3 style='margin:1em 0 .3em'>Who has saved which exercise</h3>"),
                self.progress,
                *self.section_widgets.values(),
            ],
            layout=W.Layout(width="100%"),
        )
        self.widget.add_class("pivot-classview")
        _ACTIVE.add(self)
        self.refresh()
        self._schedule()

    # --- what the view reads -------------------------------------------------------------------
    def open(self, folder: str | os.PathLike) -> None:
        """Read another class folder (the Open folder button)."""
        text = str(folder).strip()
        self.folder = Path(text).expanduser() if text else None
        self._cache = _FileCache()
        self.refresh()

    def _salt_for(self) -> str:
        if self._salt is not None:
            return self._salt
        env = os.environ.get(SALT_ENV, "")
        if env:
            return env
        if self.folder is None:
            return "pivot-uploads"
        try:
            return str(self.folder.resolve())
        except OSError:
            return str(self.folder)

    @property
    def learners(self) -> list[Learner]:
        return [*self.result.learners, *self.uploads.values()]

    def refresh(self) -> ReadResult:
        """Read the folder again (only changed files are parsed) and redraw; never raises."""
        try:
            if self.folder is None:
                result = ReadResult(
                    [],
                    [],
                    folder_problem="No class folder yet: type the folder learners save "
                    "into (their PIVOT_WORKBOOK_DIR) and press Open folder, or add files below.",
                )
            else:
                result = read_folder(self.folder, self._cache)
            self.result = result
            self.refreshes += 1
            learners = self.learners
            names = pseudonyms([lr.key for lr in learners], self._salt_for())
            for lr in learners:
                lr.pseudonym = names[lr.key]
            self.sections = summarise(learners, self.ident)
            self._render()
        except Exception as exc:  # never a traceback in the instructor's notebook
            self.status.value = (
                f'<p role="status">The class view could not refresh ({escape(type(exc).__name__)}'
                f": {escape(exc)}). Press Refresh to try again.</p>"
            )
        return self.result

    def _course_order(self) -> list[tuple[str, str]]:
        if self._order is None:
            try:
                from .export import course_order

                self._order = course_order() or list(EXERCISES)
            except Exception:
                self._order = list(EXERCISES)
        return self._order

    def _render(self) -> None:
        learners = self.learners
        reveal = bool(self.reveal.value)
        r = self.result
        where = "" if self.folder is None else f" from {self.folder}"
        parts = [f"{len(r.learners)} workbook{'s' if len(r.learners) != 1 else ''} read{where}"]
        if self.uploads:
            parts.append(f"{len(self.uploads)} uploaded")
        skipped = [*r.skipped, *self.upload_skipped]
        if skipped:
            parts.append(f"{len(skipped)} file{'s' if len(skipped) != 1 else ''} skipped")
        timer = ""
        if self.every.value:
            timer = (
                f" Auto-refresh every {self.every.value:g} s."
                if self._timer is not None
                else " Auto-refresh needs a running Jupyter kernel; use Refresh."
            )
        problem = f"<strong>{escape(r.folder_problem)}</strong> " if r.folder_problem else ""
        self.status.value = (
            f'<p role="status" aria-live="polite" style="margin:.4em 0">{problem}'
            f"{escape('; '.join(parts))}. Refresh {self.refreshes}: {r.changed} file"
            f"{'s' if r.changed != 1 else ''} read afresh. "
            f"{'Names are shown.' if reveal else 'Learners are shown by pseudonym.'}"
            f"{escape(timer)}</p>"
        )
        self.skipped.value = skipped_html(skipped, learners, r.ignored)
        self.progress.value = progress_html(learners, self._course_order(), reveal)
        for k, sec in enumerate(self.sections):
            self.section_widgets[sec.exercise_id].value = section_html(
                sec, f"{self.ident}-s{k + 1}"
            )

    # --- uploads ---------------------------------------------------------------------------------
    def add_upload(self, name: str, content: bytes) -> str:
        """Add one handed-in workbook file (kept in memory); returns what happened, in words."""
        name = str(name or "uploaded file")[:120]
        answers, reason, notes = read_workbook(name, bytes(content))
        self.upload_skipped = [s for s in self.upload_skipped if s.name != name]
        if answers is None:
            self.upload_skipped.append(Skipped(name, reason, "upload"))
            return f"{name}: skipped, {reason}."
        key = "upload:" + hashlib.sha256(bytes(content)).hexdigest()[:16]
        self.uploads[key] = Learner(key, name, "upload", answers, list(notes))
        return f"{name}: added."

    def forget_uploads(self) -> None:
        self.uploads.clear()
        self.upload_skipped.clear()
        self.refresh()

    def _uploaded(self, change: Mapping[str, Any]) -> None:
        files = change.get("new") or ()
        if not files:
            return
        for entry in files:
            try:
                name = str(entry.get("name") or "uploaded file")
                content = entry.get("content")
                raw = content.tobytes() if isinstance(content, memoryview) else bytes(content)
            except Exception:
                self.upload_skipped.append(
                    Skipped("uploaded file", "it could not be received", "upload")
                )
                continue
            self.add_upload(name, raw)
        with contextlib.suppress(Exception):
            self.upload.value = ()
        self.refresh()

    # --- auto-refresh ----------------------------------------------------------------------------
    def _schedule(self) -> None:
        self.stop()
        seconds = float(self.every.value or 0)
        if seconds > 0:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = None
            if loop is not None:
                for other in list(_ACTIVE):  # one live view per kernel refreshes on a timer
                    if other is not self:
                        other.stop()
                self._timer = loop.call_later(seconds, self._tick)
        self._render()

    def _tick(self) -> None:
        self._timer = None
        with contextlib.suppress(Exception):
            self.refresh()
        if self.every.value:
            with contextlib.suppress(RuntimeError):
                self._timer = asyncio.get_running_loop().call_later(
                    float(self.every.value), self._tick
                )

    def stop(self) -> None:
        """Stop auto-refresh (the drop-down shows "off" only if you set it)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # --- display ---------------------------------------------------------------------------------
    def _ipython_display_(self) -> None:
        from IPython.display import display

        from .kit import frozen_preview, static_book

        if static_book():  # the instructor edition's page: no kernel, no class folder
            display(
                frozen_preview(
                    self.widget,
                    "<strong>Preview: the class view needs a live Python kernel.</strong> "
                    "On this page its controls are frozen. Run this notebook in JupyterLab "
                    "on the class folder, as the instructor guide's section on the class "
                    "view explains.",
                )
            )
            return
        display(self.widget)

    def __repr__(self) -> str:
        return (
            f"ClassView: {len(self.learners)} learners, "
            f"{len(self.result.skipped) + len(self.upload_skipped)} files skipped"
        )
