"""The learner's portfolio: their work across the course, assembled for a hiring manager.

In a notebook, the exercise on the page *Your portfolio* has the button; in a script::

    from pivot import portfolio
    doc = portfolio.build(workbook)          # what the portfolio holds (nothing written)
    result = portfolio.write()               # my-pivot-portfolio.md and .html, with figures

The portfolio opens with its answer in a few lines (:attr:`Portfolio.glance`: the problem, the
outcome targeted, the top of the ranking, the decision and what changes next, whatever of them
is done), then has two parts, in this order:

1. **A product brief for the case** (Crewboard at Kestrel Works): the problem statement, the
   opportunity solution tree, the ranked plan and what fits the team's capacity, the stakeholder
   map, the pitch, the experiment plan, the decision on its result, and the learning log.
2. **The learner's transition plan**: where they stand (both self-assessments on one radar), the
   gaps they will grow, their route in with its 30/60/90-day plan, and their interview stories.

The files hold the learner's work, not the course's guidance: what a hiring manager reads for in
each section (:data:`READS`) and the course's checks of the answers are shown on the page and in
the widget's feedback. Numbers carry their meaning (a RICE score is value per person-month; a
plan adds up RICE values) and one format; items carry their titles; the decision's bars are
named by what they mean (:data:`pivot.frameworks.decisions.WORTH_SHIPPING`, ``SIZED_FOR``), and
its result is labelled simulated. A copy to share can leave out the people of the learner's plan
and their self-ratings on each competency.

Everything here is assembly and rendering. Every number comes from the module that computed it on
its page (:mod:`pivot.frameworks` through the exercises' own readers); nothing is calculated
twice. Each part is read by the page's reader, which never raises; a part the learner has not done
yet is listed once, with the course page that makes it, in "Still to do" at the end (a section
with nothing in it yet is not shown), and a damaged answer is named and left out. Neither is ever
an error.

The files are written like the workbook export (:mod:`pivot.export`, whose pieces this module
shares): to the current folder or ``PIVOT_EXPORT_DIR``.

- ``my-pivot-portfolio.html``: one standalone page, CSS inline, figures as inline SVG (each with
  ``role="img"``, an ``aria-label`` and a ``<title>``), no script and no external resource, a
  table of contents, and print rules (each part on a new page and the sections flowing on; a
  figure, a quote, a short table and each table row kept whole, a long table continued with its
  header repeated; black text on white, so it reads in black and white too).
- ``my-pivot-portfolio.md`` with its figures as SVG files beside it in
  ``my-pivot-portfolio-figures/``, linked by relative paths. Files rather than ``data:`` URIs:
  the Markdown stays readable as text, and the common Markdown viewers (GitHub among them) show
  relative SVG images but refuse ``data:`` images.

Learner text is escaped in the HTML and neutralised in the Markdown (it reads exactly as typed:
no HTML, no links, images, headings or emphasis made from it), and it is kept whole. The
portfolio has no date unless the learner or the caller gives one, so the same workbook always
gives the same files.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
import json
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import export
from . import workbook as wb

__all__ = [
    "CHAPTERS",
    "FIGURES_FOLDER",
    "FILE_STEM",
    "Portfolio",
    "PortfolioResult",
    "build",
    "figure_files",
    "neutral_markdown",
    "render_html",
    "render_markdown",
    "render_preview",
    "with_cover",
    "write",
]

FILE_STEM = "my-pivot-portfolio"
FIGURES_FOLDER = f"{FILE_STEM}-figures"
TITLE = "Product management portfolio"
#: Rows of the ranked backlog shown in the brief (the ranking is computed on every item).
TOP_RANKED = 10
#: The longest name or date kept on the cover (a name, not a paragraph).
MAX_NAME_CHARS = 120


# --- the course pages that make each part ------------------------------------------------------
@dataclass(frozen=True)
class Chapter:
    """A page of the course: its notebook (relative to ``notebooks/``), title and part."""

    path: str
    fallback_title: str
    part: str

    @property
    def course_path(self) -> str:
        """Where the page is in the course repository, e.g. ``notebooks/40-shift4/…``."""
        return f"notebooks/{self.path}"

    @property
    def link(self) -> str:
        """A link to the page from the portfolio's page (``notebooks/50-move/``)."""
        folder, name = self.path.split("/", 1)
        return name if folder == "50-move" else f"../{self.path}"

    @property
    def title(self) -> str:
        return _notebook_title(self.path) or self.fallback_title


_START = "Start here"
_SHIFT1 = "Shift 1 — From the solution space to the problem space"
_SHIFT2 = "Shift 2 — Soft skills are king"
_SHIFT3 = "Shift 3 — You no longer build the technology"
_SHIFT4 = "Shift 4 — Get comfortable with failure"
_MOVE = "Making the move"

CHAPTERS: dict[str, Chapter] = {
    "self_assessment": Chapter(
        "00-start/10-self-assessment.ipynb", "Self-assessment: where do you start?", _START
    ),
    "problem": Chapter(
        "10-shift1/40-problem-statement.ipynb", "Writing a problem statement", _SHIFT1
    ),
    "tree": Chapter(
        "10-shift1/50-opportunity-tree.ipynb", "The opportunity solution tree", _SHIFT1
    ),
    "stakeholders": Chapter("20-shift2/10-stakeholder-map.ipynb", "Map the stakeholders", _SHIFT2),
    "pitch": Chapter("20-shift2/20-answer-first.ipynb", "Answer first", _SHIFT2),
    "ranking": Chapter("30-shift3/10-prioritise-backlog.ipynb", "Rank the backlog", _SHIFT3),
    "capacity": Chapter("30-shift3/15-ranking-to-plan.ipynb", "From ranking to plan", _SHIFT3),
    "experiment": Chapter("40-shift4/30-design-experiment.ipynb", "Design the experiment", _SHIFT4),
    "decision": Chapter("40-shift4/40-decide.ipynb", "Read the result and decide", _SHIFT4),
    "learning_log": Chapter("40-shift4/50-blameless-review.ipynb", "The blameless review", _SHIFT4),
    "where_you_stand": Chapter("50-move/10-where-you-stand.ipynb", "Where you stand now", _MOVE),
    "gaps": Chapter("50-move/20-gaps-that-matter.ipynb", "The gaps that matter", _MOVE),
    "route": Chapter("50-move/30-route-in.ipynb", "Your route in", _MOVE),
    "stories": Chapter("50-move/40-your-stories.ipynb", "Your stories", _MOVE),
}


@lru_cache(maxsize=32)
def _notebook_title(path: str) -> str:
    """The first heading of a course notebook, or ``""`` when it cannot be read."""
    try:
        notebook = export.ROOT / "notebooks" / path
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        first = "".join(cells[0]["source"]).lstrip()
    except Exception:  # an installed package without the notebooks, or a page not written yet
        return ""
    match = re.match(r"#\s+(.+)", first)
    return match.group(1).strip() if match else ""


# --- what a portfolio holds --------------------------------------------------------------------
@dataclass(frozen=True)
class Para:
    """A paragraph. ``label`` is the course's words; ``text`` may be the learner's."""

    text: str
    label: str = ""


@dataclass(frozen=True)
class Quote:
    """The learner's own words, kept whole with their line breaks."""

    text: str
    label: str = ""


@dataclass(frozen=True)
class Parts:
    """The learner's words in named parts, read as one piece (a story, a learning log):
    ``((label, text), ...)``, each text kept whole with its line breaks."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Bullets:
    """A list; each item is ``(text, sub-items)``."""

    items: tuple[tuple[str, tuple[str, ...]], ...]
    label: str = ""


#: A table with more rows or text than this may run over a page when printed: it is allowed to
#: continue on the next page (with its header repeated), where a shorter one is kept whole.
LONG_TABLE_ROWS = 8
LONG_TABLE_CHARS = 2400


@dataclass(frozen=True)
class Table:
    """A table. ``private_column`` is a column of people's names, left out of a copy to share;
    ``self_ratings`` marks the learner's self-ratings, which a copy to share can leave out."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str
    private_column: int | None = None
    self_ratings: bool = False

    @property
    def long(self) -> bool:
        """Too long to promise it is kept on one printed page."""
        chars = sum(len(c) for row in self.rows for c in row)
        return len(self.rows) > LONG_TABLE_ROWS or chars > LONG_TABLE_CHARS

    def shown(self, hide_people: bool) -> Table:
        """The table as a copy shows it (without the private column when people are hidden)."""
        k = self.private_column
        if not hide_people or k is None:
            return self
        drop = lambda cells: tuple(c for n, c in enumerate(cells) if n != k)  # noqa: E731
        note = " The people I will talk to are left out of this copy."
        return Table(drop(self.headers), tuple(drop(r) for r in self.rows), self.caption + note)


#: What a copy without the self-ratings says in their place.
RATINGS_LEFT_OUT = "My self-ratings on each competency are left out of this copy."


@dataclass(frozen=True)
class Figure:
    """A figure of the portfolio (a :class:`pivot.plots.SvgFigure`) and its file name."""

    name: str
    figure: Any
    caption: str

    @property
    def alt(self) -> str:
        return self.figure.alt

    def svg(self) -> str:
        return self.figure.to_html(max_width="100%")


@dataclass(frozen=True)
class Subhead:
    text: str


@dataclass(frozen=True)
class Summary:
    """An exercise's own saved summary (Markdown written by the exercise), shown as it is."""

    markdown: str


@dataclass(frozen=True)
class Missing:
    """A piece not in the portfolio yet, with the page of the course that makes it."""

    what: str
    chapter: Chapter
    damaged: bool = False

    def sentence(self) -> str:
        """One line of the list of what is still to do: the piece, and where it is made."""
        c = self.chapter
        where = f"{c.title}, {c.part.split(' — ')[0]}: {c.course_path}"
        if self.damaged:
            return (
                f"{self.what}: saved, but the answer could not be read (the workbook keeps it "
                f"as it is); check it and save it again ({where})."
            )
        return f"{self.what}: not done yet ({where})."

    def short(self) -> str:
        """One line where the piece would be, in a section that is otherwise there."""
        if self.damaged:
            return f"Left out: {self.what.lower()} (the saved answer could not be read)."
        return f"Not in the portfolio yet: {self.what.lower()} (see “{_TODO}”)."


Block = Para | Quote | Parts | Bullets | Table | Figure | Subhead | Summary | Missing


@dataclass
class Section:
    key: str
    number: int
    title: str
    reads: str
    blocks: list[Block] = field(default_factory=list)
    #: Hints for the learner (failed checks), shown on the page, not in the files.
    notes: list[str] = field(default_factory=list)
    #: How many people the section names from the learner's own work (the 30/60/90-day plan).
    people: int = 0
    #: ``(label, text)`` lines the section gives the summary at the top of the portfolio.
    glance: list[tuple[str, str]] = field(default_factory=list)

    @property
    def missing(self) -> list[Missing]:
        return [b for b in self.blocks if isinstance(b, Missing)]

    @property
    def status(self) -> str:
        """``complete``, ``partial`` (some of it missing) or ``missing``."""
        if not self.missing:
            return "complete"
        return "partial" if len(self.missing) < len(self.blocks) else "missing"

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"


@dataclass
class Part:
    key: str
    title: str
    intro: str
    sections: list[Section]


@dataclass
class Portfolio:
    name: str
    date: str
    note: str
    parts: list[Part]
    hide_people: bool = False
    hide_ratings: bool = False

    @property
    def sections(self) -> list[Section]:
        return [s for p in self.parts for s in p.sections]

    @property
    def figures(self) -> list[Figure]:
        return [b for s in self.shown_sections for b in s.blocks if isinstance(b, Figure)]

    @property
    def shown_sections(self) -> list[Section]:
        """The sections the files show (a section with nothing in it yet is only listed in
        "Still to do")."""
        return [s for s in self.sections if s.status != "missing"]

    @property
    def missing(self) -> list[tuple[Section, Missing]]:
        return [(s, m) for s in self.sections for m in s.missing]

    @property
    def complete(self) -> int:
        return sum(s.status == "complete" for s in self.sections)

    @property
    def glance(self) -> list[tuple[str, str]]:
        """The summary at the top: the problem, the outcome targeted, the top of the ranking,
        the decision and what changes next (whatever of them is there)."""
        return [line for s in self.sections for line in s.glance]

    @property
    def title(self) -> str:
        return f"{TITLE}: {self.name}" if self.name else TITLE


# --- reading the workbook ------------------------------------------------------------------------
class _Context:
    """The workbook being read, and how the portfolio is to show it."""

    def __init__(self, workbook: wb.Workbook):
        self.workbook = workbook
        try:
            self.entries = workbook.entries()
        except Exception:
            self.entries = {}

    def answer(self, exercise_id: str) -> tuple[Mapping[str, Any] | None, bool]:
        """(the saved answer, damaged): ``(None, False)`` when nothing is saved."""
        entry = self.entries.get(exercise_id)
        if not isinstance(entry, Mapping):
            return None, entry is not None
        value = entry.get("answer")
        if value is None:
            return None, False
        if not isinstance(value, Mapping):
            return None, True
        return value, False

    def saved_markdown(self, exercise_id: str) -> str:
        entry = self.entries.get(exercise_id)
        text = entry.get("markdown") if isinstance(entry, Mapping) else None
        ok = isinstance(text, str) and text.strip() and entry.get("answer") is not None
        return text if ok else ""


def _text(value: object) -> str:
    """A saved text, or ``""`` for anything that is not text (or is over the length limit)."""
    from .kit import MAX_TEXT_CHARS

    return value if isinstance(value, str) and len(value) <= MAX_TEXT_CHARS else ""


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _fmt(x: float, places: int = 2) -> str:
    """1620 → '1,620'; 12.5 → '12.5'; 0.333 → '0.33'."""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.{places}f}".rstrip("0").rstrip(".")


def _titles() -> dict[str, str]:
    from . import data

    frame = data.load("backlog")
    return {
        str(i): " ".join(str(t).split())
        for i, t in zip(frame["item_id"], frame["title"], strict=True)
    }


# --- the readers of the part's other pages (built at the same time as this one) -------------------
def _reader(module: str, name: str) -> Callable[..., Any] | None:
    """A reader of another page, imported when it is needed (``None`` if that page's module is
    not there: this page then reads the raw workbook entry instead)."""
    try:
        return getattr(importlib.import_module(module), name)
    except Exception:
        return None


def _call(reader: Callable[..., Any], workbook: wb.Workbook) -> Any:
    try:
        return reader(workbook)
    except Exception:  # the contract is "never raises"; guard it anyway
        return {}


def _scores(value: object) -> dict[str, float] | None:
    """``{"1".."4": score from 1 to 5}`` or ``None``."""
    if not isinstance(value, Mapping):
        return None
    out = {}
    for key in ("1", "2", "3", "4"):
        v = _number(value.get(key, value.get(int(key))))
        if v is None or not 1 <= v <= 5:
            return None
        out[key] = v
    return out


def _comparison_shape(found: object) -> dict[str, Any]:
    if not isinstance(found, Mapping):
        return {}
    first, now = _scores(found.get("first")), _scores(found.get("now"))
    if first is None and now is None:
        return {}
    return {"first": first, "now": now, "note": _text(found.get("note"))}


def saved_comparison(workbook: wb.Workbook) -> dict[str, Any]:
    """Page 10's ``saved_comparison`` (both self-assessments), or the same read from the raw
    workbook when that page's module is not there: the first is the oldest attempt of
    ``start.self_assessment`` (else its current answer), "now" the retake saved under
    ``move.where_you_stand``. ``{}`` when nothing usable; never raises."""
    reader = _reader("pivot.exercises.move.where_you_stand", "saved_comparison")
    if reader is not None:
        return _comparison_shape(_call(reader, workbook))
    try:
        attempts = workbook.attempts("start.self_assessment")
        oldest = (
            attempts[0].get("answer") if attempts and isinstance(attempts[0], Mapping) else None
        )
        current = workbook.get("start.self_assessment")
        source = oldest if isinstance(oldest, Mapping) else current
        first = _scores(source.get("scores")) if isinstance(source, Mapping) else None
        retake = workbook.get("move.where_you_stand")
        now, note = None, ""
        if isinstance(retake, Mapping):
            now = _scores(retake.get("now")) or _scores(retake.get("scores"))
            note = _text(retake.get("note"))
        return _comparison_shape({"first": first, "now": now, "note": note})
    except Exception:
        return {}


def _gaps_shape(found: object) -> dict[str, Any]:
    if not isinstance(found, Mapping):
        return {}
    ratings = found.get("ratings")
    ratings = {
        str(k): int(v)
        for k, v in (ratings.items() if isinstance(ratings, Mapping) else [])
        if isinstance(k, str) and _number(v) is not None and float(v).is_integer()
    }
    grow = found.get("grow")
    grow = [g for g in (grow if isinstance(grow, list) else []) if isinstance(g, str)][:2]
    why = _text(found.get("why"))
    if not (ratings or grow or why.strip()):
        return {}
    return {"ratings": ratings, "grow": grow, "why": why}


def saved_gaps(workbook: wb.Workbook) -> dict[str, Any]:
    """Page 20's ``saved_gaps``, or the raw ``move.gaps`` answer in the same shape."""
    reader = _reader("pivot.exercises.move.gaps", "saved_gaps")
    if reader is not None:
        return _gaps_shape(_call(reader, workbook))
    try:
        return _gaps_shape(workbook.get("move.gaps"))
    except Exception:
        return {}


def competency_titles() -> dict[str, str]:
    """Page 20's ``competency_titles`` (framework or exercise module), else ``{}``."""
    for module in ("pivot.frameworks.competencies", "pivot.exercises.move.gaps"):
        reader = _reader(module, "competency_titles")
        if reader is None:
            continue
        try:
            found = reader()
        except Exception:
            continue
        if isinstance(found, Mapping):
            return {str(k): str(v) for k, v in found.items()}
    return {}


def competency_areas() -> dict[str, str]:
    """``{competency id: the name of its area}`` from page 20's model, else ``{}``."""
    load = _reader("pivot.exercises.move.gaps", "load_competencies")
    area = _reader("pivot.frameworks.competencies", "area")
    if load is None or area is None:
        return {}
    try:
        return {c.competency_id: area(c.area).name for c in load()}
    except Exception:
        return {}


def _route_shape(found: object) -> dict[str, str]:
    if not isinstance(found, Mapping):
        return {}
    route, title, why = (_text(found.get(k)) for k in ("route", "route_title", "why"))
    if not (route or title.strip() or why.strip()):
        return {}
    return {"route": route, "route_title": title, "why": why}


_PHASES = (30, 60, 90)
_KINDS = {"learning": "Learning", "relationship": "Relationship", "early_win": "Early win"}


def _plan_shape(found: object) -> dict[str, Any]:
    if not isinstance(found, Mapping):
        return {}
    items = []
    for item in found.get("items") if isinstance(found.get("items"), list) else []:
        if not isinstance(item, Mapping):
            continue
        phase = item.get("phase")
        clean = {k: _text(item.get(k)) for k in ("action", "date", "measure", "person", "kind")}
        if phase not in _PHASES or isinstance(phase, bool) or not clean["action"].strip():
            continue
        items.append({"phase": int(phase), **clean})
    start = _text(found.get("start"))
    if not items:
        return {}
    return {"start": start, "items": items}


def saved_route(workbook: wb.Workbook) -> dict[str, str]:
    """Page 30's ``saved_route``, or the raw ``move.route_in`` answer in the same shape."""
    reader = _reader("pivot.exercises.move.route", "saved_route")
    if reader is not None:
        return _route_shape(_call(reader, workbook))
    try:
        return _route_shape(workbook.get("move.route_in"))
    except Exception:
        return {}


def saved_plan(workbook: wb.Workbook) -> dict[str, Any]:
    """Page 30's ``saved_plan``, or the raw ``move.plan`` (else ``move.route_in``) answer."""
    reader = _reader("pivot.exercises.move.route", "saved_plan")
    if reader is not None:
        return _plan_shape(_call(reader, workbook))
    try:
        return _plan_shape(workbook.get("move.plan")) or _plan_shape(workbook.get("move.route_in"))
    except Exception:
        return {}


STORY_PARTS = (
    ("situation", "Situation"),
    ("task", "Task"),
    ("action", "Action"),
    ("result", "Result"),
)


def _stories_shape(found: object) -> dict[str, dict[str, str]]:
    if not isinstance(found, Mapping):
        return {}
    out = {}
    for shift in ("1", "2", "3", "4"):
        story = found.get(shift)
        if not isinstance(story, Mapping):
            continue
        clean = {k: _text(story.get(k)) for k, _label in STORY_PARTS}
        if any(v.strip() for v in clean.values()):
            title = " ".join(_text(story.get("title")).split())[:MAX_NAME_CHARS]
            out[shift] = {**clean, "title": title} if title else clean
    return out


def saved_stories(workbook: wb.Workbook) -> dict[str, dict[str, str]]:
    """Page 40's ``saved_stories``, or the raw ``move.stories`` answer in the same shape."""
    reader = _reader("pivot.exercises.move.stories", "saved_stories")
    if reader is not None:
        return _stories_shape(_call(reader, workbook))
    try:
        raw = workbook.get("move.stories")
        found = _stories_shape(raw)
        if not found and isinstance(raw, Mapping):
            found = _stories_shape(raw.get("stories"))
        return found
    except Exception:
        return {}


# --- the sections -------------------------------------------------------------------------------
#: What a hiring manager reads in each section: shown on the course's page and in the widget's
#: feedback, not in the files (a portfolio shows the work, not the course's guidance).
READS = {
    "problem": "Whose problem it is, what it costs them, and the evidence it rests on, with "
    "the solution left open.",
    "tree": "A measurable outcome, the customer needs under it, and several solutions compared "
    "for the one opportunity targeted first.",
    "plan": "An explicit ranking, what fits the team's capacity, and what was left out to "
    "make room.",
    "stakeholders": "Who can change the decision, who is affected by it, and how each of "
    "them is engaged.",
    "pitch": "The answer first, one ask, a figure the reader can check, in the reader's terms.",
    "experiment": "A hypothesis with its metric, success and kill criteria set before the "
    "data, and whether the sample can be reached.",
    "decision": "A decision that follows the criteria written before the result was seen.",
    "learning_log": "What was expected, what happened, why (with evidence), and what changes "
    "in the next iteration.",
    "stand": "Where I rated myself on the four shifts when I started, and where I rate myself "
    "now: self-ratings, read as self-perception, not as a test score.",
    "gaps": "The competencies I will grow first, and why those.",
    "route": "How I will move into product management, and my first 90 days: concrete, dated "
    "items, each with a measure.",
    "stories": "Interview stories from my own work, one per shift: situation, task, action, "
    "result.",
}

#: The four shifts as the files name them: names that explain themselves to a reader who has
#: not taken the course (the Part 2 introduction defines the shifts and credits the article).
SHIFT_NAMES = {
    "1": "Problem before solution",
    "2": "Soft skills",
    "3": "Handing over the how",
    "4": "Comfort with failure",
}
#: A story's heading when the learner gave it no title: what the story shows, in plain words.
STORY_HEADINGS = {
    "1": "Starting from the problem",
    "2": "Bringing people along",
    "3": "Handing over the how",
    "4": "Learning from a failure",
}
#: The longest line of the summary at the top (a longer answer shows its first sentence).
GLANCE_CHARS = 280


def _missing(key: str, number: int, title: str, what: str, chapter: str, damaged=False):
    return Section(key, number, title, READS[key], [Missing(what, CHAPTERS[chapter], damaged)])


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _short(text: str, limit: int = GLANCE_CHARS) -> str:
    """A line of the summary: the whole text if short, else its first sentence if that is
    short, else its first words (the whole text is in its section)."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    first = re.match(r"(.+?[.!?])(\s|$)", text)
    if first and len(first.group(1)) <= limit:
        return first.group(1)
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:") + "…"


def _first_person(title: str) -> str:
    """A course label in the learner's voice: 'in your company' → 'in my company'."""
    title = re.sub(r"\byours\b", "mine", title)
    title = re.sub(r"\byour\b", "my", title)
    return re.sub(r"\bYour\b", "My", title)


def _problem(ctx: _Context, n: int) -> Section:
    from . import data
    from .exercises import problem_statement as ps
    from .frameworks import discovery as d

    title = "The problem"
    answer, damaged = ctx.answer("shift1.problem_statement")
    fields = {k: _text((answer or {}).get(k)) for k in ("who", "needs", "because", "evidence")}
    if answer is None or not any(v.strip() for k, v in fields.items() if k != "evidence"):
        return _missing("problem", n, title, "The problem statement", "problem", damaged)
    s = Section("problem", n, title, READS["problem"])
    sentence = ps.sentence(fields["who"], fields["needs"], fields["because"])
    s.blocks.append(Quote(sentence))
    s.glance.append(("The problem", _short(sentence, 2 * GLANCE_CHARS)))
    cited = d.parse_snippet_ids(fields["evidence"])
    interviews = data.load("interviews").set_index("snippet_id")
    companies = dict(
        zip(*(data.load("customers")[c] for c in ("customer_id", "company")), strict=True)
    )
    items = []
    for sid in cited:
        if sid in interviews.index:
            row = interviews.loc[sid]
            who = f"{companies.get(row['customer_id'], row['customer_id'])}, {row['speaker_role']}"
            items.append((f"{sid} ({who}): “{row['snippet']}”", ()))
        else:
            items.append((f"{sid} (not an interview snippet of the case)", ()))
    if items:
        s.blocks.append(Bullets(tuple(items), label="Evidence from the customer interviews"))
    else:
        s.blocks.append(Para("none cited yet.", label="Evidence"))
    checks = ps.check(*(fields[k] for k in ("who", "needs", "because", "evidence")))
    s.notes += [
        f"Problem statement, {ps.CHECK_TITLES[c.name].lower()}: {c.message}"
        for c in checks
        if not c.passed
    ]
    return s


def _tree_alt(outcome: str, opportunities: Sequence[Mapping[str, Any]]) -> str:
    """The tree in words, every box of it (the figure's text alternative)."""
    parts = [f"Opportunity solution tree. Outcome: {outcome.strip() or 'not set'}."]
    parts.append(f"{_plural(len(opportunities), 'opportunity', 'opportunities')} under it.")
    for i, o in enumerate(opportunities, 1):
        sols = [str(x) for x in o.get("solutions") or [] if str(x).strip()]
        name = str(o.get("name") or "").strip() or "unnamed"
        target = " (the target)" if o.get("target") is True else ""
        listed = "; ".join(sols) if sols else "none"
        parts.append(
            f"Opportunity {i}{target}: {name}; {_plural(len(sols), 'solution', 'solutions')}: "
            f"{listed}."
        )
    return " ".join(parts)


def _tree(ctx: _Context, n: int) -> Section:
    from . import plots
    from .exercises import opportunity_tree as ot
    from .frameworks import discovery as d

    title = "Opportunity solution tree"
    answer, damaged = ctx.answer("shift1.opportunity_tree")
    opps = (answer or {}).get("opportunities")
    opps = [o for o in (opps if isinstance(opps, list) else []) if isinstance(o, Mapping)]
    target = (answer or {}).get("target")
    target = target if isinstance(target, int) and not isinstance(target, bool) else 0
    tree = ot.tree_of(
        _text((answer or {}).get("outcome")),
        [_text(o.get("name")) for o in opps],
        [_text(o.get("solutions")) for o in opps],
        target,
    )
    if answer is None or not (tree["outcome"].strip() or tree["opportunities"]):
        return _missing("tree", n, title, "The opportunity solution tree", "tree", damaged)
    s = Section("tree", n, title, READS["tree"])
    figure = plots.tree_diagram(
        tree["outcome"],
        tree["opportunities"],
        alt=_tree_alt(tree["outcome"], tree["opportunities"]),
        wrap_lines=6,
    )
    count = _plural(len(tree["opportunities"]), "opportunity", "opportunities")
    s.blocks.append(
        Figure(
            "opportunity-tree",
            figure,
            f"The outcome at the top, the {count} under it, and the solutions I considered "
            "under each; the one I target first has a thick border and the word TARGET.",
        )
    )
    s.blocks.append(Para(tree["outcome"].strip() or "(not set)", label="Outcome"))
    items = tuple(
        (
            (o["name"].strip() or "(unnamed)")
            + (" (the target opportunity)" if o["target"] else ""),
            tuple(o["solutions"]),
        )
        for o in tree["opportunities"]
    )
    if items:
        s.blocks.append(Bullets(items, label="Opportunities, with the solutions under each"))
    if tree["outcome"].strip():
        s.glance.append(("The outcome I target", _short(tree["outcome"])))
    first = [o["name"].strip() for o in tree["opportunities"] if o["target"] and o["name"].strip()]
    if first:
        s.glance.append(("The opportunity I take first", _short(first[0])))
    try:
        checks = d.check_opportunity_tree(tree)
    except ValueError:
        checks = []
    s.notes += [
        f"Opportunity tree, {ot.CHECK_TITLES[c.name].lower()}: {c.message}"
        for c in checks
        if not c.passed
    ]
    return s


#: How each method's numbers read in the brief: the score that ranks, and the value that a
#: capacity plan adds up (see :data:`pivot.frameworks.prioritization.VALUE_NAMES`).
_SCORE_WORDS = {
    "rice": (
        "RICE score",
        "reach (accounts a quarter) × impact × confidence ÷ effort (person-months)",
        "RICE value",
        "An item's RICE value is its reach (accounts a quarter) × impact × confidence: its "
        "score before dividing by effort. A plan adds up values, since adding scores would "
        "count the effort twice.",
    ),
    "wsjf": (
        "WSJF score",
        "cost of delay ÷ job size",
        "Cost of delay",
        "An item's cost of delay is user-business value + time criticality + risk reduction "
        "and opportunity enablement: its WSJF score before dividing by job size. A plan adds "
        "up costs of delay, since adding scores would count the job size twice.",
    ),
}


def _listing(ids: Sequence[str], rank: Mapping[str, int], method: str) -> str:
    """'B23, B27 and B07 (RICE ranks 5, 9 and 10)'."""

    def joined(xs: Sequence[str]) -> str:
        return xs[0] if len(xs) == 1 else ", ".join(xs[:-1]) + " and " + xs[-1]

    ranks = [str(rank[i]) for i in ids if i in rank]
    word = "rank" if len(ids) == 1 else "ranks"
    return f"{joined(list(ids))} ({method} {word} {joined(ranks)})" if ranks else joined(ids)


def _plan(ctx: _Context, n: int) -> Section:
    from . import data
    from .exercises import prioritise_backlog as pb
    from .frameworks import prioritization as p

    title = "The ranked plan and what fits the capacity"
    ranking, ranking_damaged = ctx.answer("shift3.prioritise_backlog")
    plan, plan_damaged = ctx.answer("shift3.capacity_plan")
    s = Section("plan", n, title, READS["plan"])
    backlog = data.load("backlog")
    titles = _titles()
    ranks: dict[str, int] = {}
    if ranking is None:
        s.blocks.append(Missing("The ranked backlog", CHAPTERS["ranking"], ranking_damaged))
    else:
        method = ranking.get("method") if ranking.get("method") in pb.METHOD_NAMES else "rice"
        name = pb.METHOD_NAMES[method]
        score_name, how, _v, _d = _SCORE_WORDS.get(method, _SCORE_WORDS["rice"])
        ids = set(backlog["item_id"])
        frame = backlog.copy()
        changed = []
        overrides = ranking.get("overrides")
        for item, fields in overrides.items() if isinstance(overrides, Mapping) else []:
            if item not in ids or not isinstance(fields, Mapping):
                continue
            for key, value in fields.items():
                v = _number(value)
                ok = (key == "confidence" and v in p.CONFIDENCE_SCALE) or (
                    key == "effort" and v is not None and 0 < v < 1e6
                )
                if ok:
                    frame.loc[frame["item_id"] == item, key] = v
                    changed.append(f"{item} {pb.FACTOR_WORDS[key]} {_fmt(v)}")
        scored = p.score_backlog(frame, method)
        ranks = {str(i): int(r) for i, r in zip(scored["item_id"], scored["rank"], strict=True)}
        rows = tuple(
            (str(int(r.rank)), str(r.item_id), titles.get(str(r.item_id), ""), _fmt(r.score))
            for r in scored.head(TOP_RANKED).itertuples(index=False)
        )
        s.blocks.append(
            Table(
                ("Rank", "Item", "Title", score_name),
                rows,
                f"The top {len(rows)} of {len(scored)} backlog items, ranked by {score_name}: "
                f"{how}" + (", with my re-estimates" if changed else "") + ".",
            )
        )
        top3 = [f"{r[1]} {r[2]}".strip() for r in rows[:3]]
        if top3:
            s.glance.append((f"Top {len(top3)} by {score_name}", "; ".join(top3)))
        picks = ranking.get("picks")
        picks = [i for i in (picks if isinstance(picks, list) else []) if i in ids]
        picks = list(dict.fromkeys(picks))[: pb.PICKS]
        if picks:
            top = set(scored.head(len(picks))["item_id"])
            s.blocks.append(
                Bullets(
                    tuple(
                        (f"{i} {titles.get(i, '')}: {name} rank {ranks[i]} of {len(scored)}", ())
                        for i in picks
                    ),
                    label=f"My gut picks before scoring anything ({sum(i in top for i in picks)} "
                    f"of the {len(picks)} are in {name}'s top {len(picks)})",
                )
            )
        if changed:
            s.blocks.append(Para("; ".join(changed) + ".", label="My re-estimates"))
    if plan is None:
        s.blocks.append(Missing("The capacity plan", CHAPTERS["capacity"], plan_damaged))
        return s
    method = plan.get("method") if plan.get("method") in pb.METHOD_NAMES else "rice"
    unit, cost_col = pb.CAPACITY_UNITS[method], pb.COST_COLUMN[method]
    name = pb.METHOD_NAMES[method]
    _s, _h, value_name, value_means = _SCORE_WORDS.get(method, _SCORE_WORDS["rice"])
    value_word = value_name if value_name.startswith("RICE") else value_name.lower()
    try:
        capacity = p.parse_capacity(plan.get("capacity", pb.DEFAULT_CAPACITY[method]), unit)
    except ValueError as exc:
        s.blocks.append(Para(f"not usable yet: {exc}.", label="Capacity"))
        s.blocks.append(Missing("A valid team capacity", CHAPTERS["capacity"]))
        return s
    scored = p.score_backlog(backlog, method)
    plan_ranks = {str(i): int(r) for i, r in zip(scored["item_id"], scored["rank"], strict=True)}
    greedy = p.fit_capacity_greedy(scored, capacity, cost_col=cost_col)
    try:
        best = p.fit_capacity_best(scored, capacity, cost_col=cost_col)
    except ValueError:
        best = None
    chosen = best or greedy
    rows = tuple(
        (item, titles.get(item, ""), _fmt(chosen.values[item]), _fmt(chosen.costs[item]))
        for item in chosen.items
    )
    what = (
        f"The set with the most total {value_word} that fits"
        if best is not None
        else f"What fits, going down the {name} ranking,"
    )
    s.blocks.append(
        Table(
            ("Item", "Title", value_name, unit.capitalize()),
            rows,
            f"{what} in a capacity of {_fmt(capacity)} {unit}: {value_word} "
            f"{_fmt(chosen.total_value)} in all, for {_fmt(chosen.total_cost)} {unit}. "
            + value_means,
        )
    )
    if best is not None:
        dropped = [i for i in greedy.items if i not in best.items]
        added = [i for i in best.items if i not in greedy.items]
        if not dropped and not added:
            why = f"going down the {name} ranking gives this same set."
        else:
            why = (
                f"going down the {name} ranking would fill {_fmt(greedy.total_cost)} of the "
                f"{_fmt(capacity)} {unit} with {_plural(len(greedy.items), 'item', 'items')}, "
                f"{value_word} {_fmt(greedy.total_value)} in all; this set leaves out "
                f"{_listing(dropped, plan_ranks, name)}"
                + (f" and takes {_listing(added, plan_ranks, name)} instead" if added else "")
                + f", {value_word} {_fmt(best.total_value)} in all."
            )
        s.blocks.append(Para(why, label="Why this set and not the top of the ranking"))
    try:
        moscow = p.moscow_check(backlog, capacity or None, cost_col=cost_col)
    except (ValueError, p.BacklogError):
        moscow = None
    if moscow is not None and math.isfinite(moscow.must_share):
        share = f"{moscow.must_share:.0%}".replace("%", " %")
        limit = f"{p.MUST_SHARE_LIMIT:.0%}".replace("%", " %")
        base = "the capacity" if moscow.base == "capacity" else "the planned effort"
        said = (
            f"the items the backlog marks Must need {_fmt(moscow.must_effort)} {unit}, {share} "
            f"of {base} ({_fmt(moscow.base_effort)} {unit})"
        )
        if moscow.passed:
            s.blocks.append(
                Para(f"{said}, within DSDM's guideline of at most {limit}.", label="MoSCoW")
            )
        else:
            s.blocks.append(
                Para(
                    f"{said}; DSDM's guideline is at most {limit}, so not every Must can be "
                    "promised in this capacity.",
                    label="Risk to this plan",
                )
            )
    return s


def _stakeholders(ctx: _Context, n: int) -> Section:
    from .exercises.shift2 import stakeholder_map as sm
    from .frameworks import stakeholders as sh
    from .plots import stakeholder_grid

    title = "Stakeholder map"
    _answer, damaged = ctx.answer(sm.EXERCISE_ID)
    placed = sm.saved_map(ctx.workbook)
    if not placed:
        return _missing("stakeholders", n, title, "The stakeholder map", "stakeholders", damaged)
    s = Section("stakeholders", n, title, READS["stakeholders"])
    people = sm.load_stakeholders()
    points = []
    by_strategy: dict[str, list[str]] = {}
    home = "Kestrel Works"
    for r in people.itertuples(index=False):
        entry = placed.get(r.stakeholder_id, {})
        power, interest = entry.get("power"), entry.get("interest")
        points.append(
            {
                "label": r.label,
                "name": r.name,
                "power": power,
                "interest": interest,
                "group": sm.GROUPS[r.group],
            }
        )
        if not entry:
            continue
        role = r.role if r.organisation == home else f"{r.role}, {r.organisation}"
        who = f"{r.name} ({role})"
        strategy = str(entry.get("strategy") or "").strip()
        if power is not None and interest is not None:
            grid = sh.place(power, interest, sm.THRESHOLD).strategy
            if strategy and strategy != grid:
                who += f", though the grid says {grid}"
        else:
            who += ", not placed on the grid"
        by_strategy.setdefault(strategy or "not chosen yet", []).append(who)
    figure = stakeholder_grid(points, groups=list(sm.GROUPS.values()))
    s.blocks.append(
        Figure(
            "stakeholder-map",
            figure,
            "Power and interest in the decision of what Crewboard builds first, each rated 1 "
            "to 5 (the grid after Johnson and Scholes's adaptation of Mendelow).",
        )
    )
    order = [*sh.STRATEGIES.values()]
    keys = sorted(by_strategy, key=lambda k: (order.index(k) if k in order else len(order), k))
    placed_count = sum(len(v) for v in by_strategy.values())
    s.blocks.append(
        Table(
            ("How I engage them", "Who"),
            tuple((k[:1].upper() + k[1:], "; ".join(by_strategy[k])) for k in keys),
            f"How I engage the {placed_count} people I placed, for this decision (at "
            f"{home} unless another organisation is named).",
        )
    )
    return s


def _pitch(ctx: _Context, n: int) -> Section:
    from .exercises.shift2 import answer_first as af
    from .exercises.shift2.stakeholder_map import load_stakeholders
    from .frameworks import pyramid

    title = "The pitch"
    answer, damaged = ctx.answer("shift2.pitch")
    text = _text((answer or {}).get("pitch"))
    if answer is None or not text.strip():
        return _missing("pitch", n, title, "The pitch", "pitch", damaged)
    s = Section("pitch", n, title, READS["pitch"])
    people = load_stakeholders().set_index("stakeholder_id", drop=False)
    sid = answer.get("stakeholder")
    row = people.loc[sid] if isinstance(sid, str) and sid in people.index else None
    who = f"{row['name']}, {row['role']}, {row['organisation']}" if row is not None else ""
    s.blocks.append(Para(who or "(no stakeholder chosen)", label="To"))
    s.blocks.append(Quote(text))
    terms = pyramid.split_terms(row["interest_terms"]) if row is not None else []
    checks = pyramid.check_pitch(
        text, terms, pyramid.load_case_figures(), row["name"] if row is not None else "them"
    )
    s.notes += [f"Pitch, {af.TITLES[c.name].lower()}: {c.message}" for c in checks if not c.passed]
    return s


def _experiment(ctx: _Context, n: int) -> Section:
    from .exercises.shift4 import experiment as ex

    title = "The experiment plan"
    _answer, damaged = ctx.answer(ex.EXERCISE_ID)
    design = ex.saved_design(ctx.workbook)
    if not design:
        return _missing("experiment", n, title, "The experiment design", "experiment", damaged)
    s = Section("experiment", n, title, READS["experiment"])
    if design.get("hypothesis"):
        s.blocks.append(Quote(design["hypothesis"], label="Hypothesis"))
    rows = []
    for key, label in (
        ("metric", "Metric"),
        ("success", "Success criterion"),
        ("kill", "Kill criterion"),
    ):
        if design.get(key):
            rows.append((label, " ".join(design[key].split())))
    units = ex.traffic()
    if design.get("unit") in units:
        rows.append(("Unit randomised", units[design["unit"]]["label"]))
    if "baseline" in design:
        rows.append(("Baseline rate", f"{_fmt(100 * design['baseline'])} %"))
    if "mde" in design:
        way = "fall" if design["mde"] < 0 else "rise"
        rows.append(
            (
                "Sized to detect",
                f"a {way} of {_fmt(abs(100 * design['mde']))} percentage points "
                "(the minimum detectable effect)",
            )
        )
    for key, label in (("alpha", "Significance level (α)"), ("power", "Power")):
        if key in design:
            rows.append((label, f"{design[key]:g}"))
    if "n_per_group" in design:
        rows.append(
            (
                "Sample",
                f"{_fmt(design['n_per_group'])} per group, {_fmt(design['total'])} in all",
            )
        )
    if "days" in design or "feasible" in design:
        days = design.get("days")
        if design.get("feasible") is False:
            when = "cannot be reached with the traffic of the case: a smaller test is needed"
        else:
            when = f"about {_fmt(days)} days" if _number(days) is not None else "not known"
        rows.append(("Time to run", when))
    s.blocks.append(
        Table(("", "My design"), tuple(rows), "The experiment design, written before any data.")
    )
    return s


def _bar_names() -> tuple[str, str]:
    """The names of the decision rule's two bars, from :mod:`pivot.frameworks.decisions`."""
    from .frameworks import decisions as dc

    return (
        getattr(dc, "WORTH_SHIPPING", "smallest improvement worth shipping"),
        getattr(dc, "SIZED_FOR", "improvement the test was sized for"),
    )


def _decision(ctx: _Context, n: int) -> Section:
    from .exercises.shift4 import decide
    from .frameworks import decisions as dc

    title = "The decision"
    answer, damaged = ctx.answer(decide.ReadAndDecide.exercise_id)
    locked = (answer or {}).get("locked")
    choice = (answer or {}).get("decision")
    criteria = None
    if isinstance(locked, Mapping):
        try:  # saved keys: "success" holds the sized-for bar, "kill" the bar worth shipping
            criteria = dc.Criteria.make(
                _number(locked.get("success")) / 100,  # type: ignore[operator]
                _number(locked.get("kill")) / 100,  # type: ignore[operator]
            )
        except (dc.DecisionError, TypeError):
            criteria = None
    if criteria is None:
        damaged = damaged or locked is not None
        return _missing("decision", n, title, "The decision on the result", "decision", damaged)
    s = Section("decision", n, title, READS["decision"])
    design, _notes = decide.design_for(ctx.workbook)
    sim = dc.simulate_result(design["baseline"], design["mde"], design["n_per_group"])
    lower = design["mde"] < 0
    est, low, high = dc.improvement(sim.result, lower_is_better=lower)
    pts = decide._points
    worth, sized = _bar_names()
    s.blocks.append(
        Bullets(
            (
                (
                    "Ship (the success criterion) if the whole 95 % interval of the improvement "
                    f"is above zero and the improvement reaches {pts(criteria.worth_shipping)}, "
                    f"the {worth}.",
                    (),
                ),
                (
                    "Kill (the kill criterion) if even the top of the interval is below "
                    f"{pts(criteria.sized_for)}, the {sized}.",
                    (),
                ),
                ("Iterate otherwise: the data cannot tell yet.", ()),
            ),
            label="Criteria locked before the data",
        )
    )
    r = sim.result
    s.blocks.append(
        Para(
            f"control {_fmt(r.conversions_control)} of {_fmt(r.n_control)} "
            f"({100 * r.rate_control:.2f} %), treatment {_fmt(r.conversions_treatment)} of "
            f"{_fmt(r.n_treatment)} ({100 * r.rate_treatment:.2f} %): an improvement of "
            f"{pts(est)}, 95 % interval {pts(low)} to {pts(high)}"
            + (" (a fall in the rate is the improvement here)" if lower else "")
            + ". The case has no live product, so the course simulated this result from the "
            "design; the same design always gets the same result.",
            label="Result (simulated)",
        )
    )
    by_rule = dc.rule_decision(r, criteria, lower_is_better=lower)
    label = decide.DECISION_LABELS
    if choice in dc.DECISIONS:
        follows = (
            "it follows the criteria locked before the data."
            if choice == by_rule
            else f"the criteria locked before the data say {label[by_rule].lower()}."
        )
        s.blocks.append(Para(f"{label[choice]}; {follows}", label="My decision"))
        s.glance.append(
            (
                "Decision",
                f"{label[choice]}, on a simulated result of {pts(est)} (95 % interval "
                f"{pts(low)} to {pts(high)}); {follows}",
            )
        )
        if choice != by_rule:
            s.notes.append(
                f"Decision: your criteria say {label[by_rule].lower()}, and you chose "
                f"{label[choice].lower()}; say why in the portfolio or revisit it."
            )
    else:
        s.blocks.append(Missing("The decision itself", CHAPTERS["decision"]))
    return s


def _learning_log(ctx: _Context, n: int) -> Section:
    from .exercises.shift4.blameless_review import EXERCISE_ID, saved_learning_log
    from .frameworks import review as rv

    title = "The learning log"
    _answer, damaged = ctx.answer(EXERCISE_ID)
    log = saved_learning_log(ctx.workbook)
    if not log:
        return _missing("learning_log", n, title, "The learning log", "learning_log", damaged)
    s = Section("learning_log", n, title, READS["learning_log"])
    s.blocks.append(Parts(tuple((label, log[key]) for key, label in rv.LOG_FIELDS if log.get(key))))
    last_key, _last_label = rv.LOG_FIELDS[-1]
    if str(log.get(last_key) or "").strip():
        s.glance.append(("What changes next", _short(log[last_key])))
    return s


_PAGE_READERS = {
    "where_you_stand": ("pivot.exercises.move.where_you_stand", "saved_comparison"),
    "gaps": ("pivot.exercises.move.gaps", "saved_gaps"),
    "route": ("pivot.exercises.move.route", "saved_route"),
    "plan": ("pivot.exercises.move.route", "saved_plan"),
    "stories": ("pivot.exercises.move.stories", "saved_stories"),
}


def _summary_or_missing(ctx, s: Section, exercise_ids, what, chapter, reader) -> bool:
    """Nothing usable came from a page of this part. If that page's module is not there (so
    its entry could not be read in its own shape), show the summary the exercise saved with
    it; else, or without one, add a Missing. True if a summary was shown."""
    if _reader(*_PAGE_READERS[reader]) is None:
        for exercise_id in exercise_ids:
            text = ctx.saved_markdown(exercise_id)
            if text:
                s.blocks.append(Summary(text))
                return True
    damaged = any(ctx.answer(i)[1] for i in exercise_ids)
    s.blocks.append(Missing(what, CHAPTERS[chapter], damaged))
    return False


def _radar(series: Mapping[str, Mapping[str, float]]):
    """Both self-assessments on one radar, its axes named as the files name the shifts."""
    from . import plots

    listed = "; ".join(
        f"{name}: " + ", ".join(f"{axis} {v:.2f}" for axis, v in values.items())
        for name, values in series.items()
    )
    alt = (
        "Radar chart of my self-ratings on the four shifts, each from 1 to 5, one polygon per "
        f"self-assessment. {listed}."
    )
    return plots.radar_chart(series, alt=alt, ticks_between_axes=True)


def _stand(ctx: _Context, n: int) -> Section:
    from .frameworks import self_assessment as sa

    s = Section("stand", n, "Where I stand", READS["stand"])
    found = saved_comparison(ctx.workbook)
    first, now = found.get("first"), found.get("now")
    if first is None and now is None:
        if not _summary_or_missing(
            ctx,
            s,
            ["move.where_you_stand"],
            "The retaken self-assessment",
            "where_you_stand",
            "where_you_stand",
        ):
            s.blocks.insert(0, Missing("The first self-assessment", CHAPTERS["self_assessment"]))
        return s
    series = {}
    for label, scores in (("When I started", first), ("Now", now)):
        if scores:
            series[label] = {SHIFT_NAMES[k]: v for k, v in scores.items()}
    s.blocks.append(
        Figure(
            "self-assessment",
            _radar(series),
            "My mean self-rating on each shift, from 1 (not like me yet) to 5 (this is me, "
            "with examples)"
            + (": when I started the course, and now." if len(series) > 1 else "."),
        )
    )
    change: dict[str, float] = {}
    if first and now:
        try:
            cmp = sa.compare(
                {int(k): v for k, v in first.items()}, {int(k): v for k, v in now.items()}
            )
            change = {str(k): v for k, v in cmp.change.items()}
        except ValueError:
            change = {}
    rows = []
    for k in ("1", "2", "3", "4"):
        a = first.get(k) if first else None
        b = now.get(k) if now else None
        rows.append(
            (
                f"{k}. {SHIFT_NAMES[k]}",
                "" if a is None else f"{a:.2f}",
                "" if b is None else f"{b:.2f}",
                f"{change[k]:+.2f}" if k in change else "",
            )
        )
    s.blocks.append(
        Table(
            ("Shift", "When I started", "Now", "Change"),
            tuple(rows),
            "Mean self-rating per shift, from 1 to 5; a self-rating records how I see myself, "
            "not a test score.",
        )
    )
    if found.get("note", "").strip():
        s.blocks.append(Quote(found["note"], label="What the change means to me"))
    if first is None:
        s.blocks.insert(0, Missing("The first self-assessment", CHAPTERS["self_assessment"]))
    if now is None:
        s.blocks.append(Missing("The retaken self-assessment", CHAPTERS["where_you_stand"]))
    return s


def _competency_model() -> tuple[str, str]:
    """(how the model is credited, the rating scale in words) for the ratings' caption."""
    credit = (
        "the product-manager competencies of R. Mehta's model, introduced in his article "
        "“How to Become a Peak Product Manager” (Agile Insider, on Medium)"
    )
    try:
        from .frameworks import competencies as cm

        areas = ", ".join(a.name for a in cm.AREAS)
        scale = "; ".join(f"{k} {v[0].lower()}" for k, v in cm.SCALE.items())
    except Exception:  # that page's framework is not there: the model is still credited
        return credit + ".", ""
    return f"{credit}, in four areas ({areas}).", (
        f"The scale is the course's and asks what I have done: {scale}."
    )


def _gaps(ctx: _Context, n: int) -> Section:
    s = Section("gaps", n, "Gaps I will grow", READS["gaps"])
    found = saved_gaps(ctx.workbook)
    if not found:
        _summary_or_missing(ctx, s, ["move.gaps"], "The gaps to grow", "gaps", "gaps")
        return s
    titles = competency_titles()

    def name(cid: str) -> str:
        return titles.get(cid) or cid.replace("_", " ").capitalize()

    if found["grow"]:
        s.blocks.append(
            Bullets(tuple((name(c), ()) for c in found["grow"]), label="The two I will grow first")
        )
    if found["why"].strip():
        s.blocks.append(Quote(found["why"], label="Why these"))
    if found["ratings"]:
        order = [c for c in titles if c in found["ratings"]] + [
            c for c in found["ratings"] if c not in titles
        ]
        areas = competency_areas()
        by_area: dict[str, list[str]] = {}
        for c in order:
            by_area.setdefault(areas.get(c, "Other"), []).append(f"{name(c)} {found['ratings'][c]}")
        credit, scale = _competency_model()
        s.blocks.append(
            Table(
                ("Area", "My self-rating on each competency"),
                tuple((area, " · ".join(items)) for area, items in by_area.items()),
                " ".join(
                    x
                    for x in (
                        f"How I rate myself on {credit}",
                        scale,
                        "Self-ratings, not an assessment by anyone else.",
                    )
                    if x
                ),
                self_ratings=True,
            )
        )
    if not found["grow"]:
        s.blocks.append(Missing("The two competencies to grow", CHAPTERS["gaps"]))
    return s


def _route(ctx: _Context, n: int) -> Section:
    s = Section("route", n, "My route in and my first 90 days", READS["route"])
    route, plan = saved_route(ctx.workbook), saved_plan(ctx.workbook)
    if route:
        title = route["route_title"] or route["route"]
        s.blocks.append(Para(_first_person(title), label="My route"))
        if route["why"].strip():
            s.blocks.append(Quote(route["why"], label="Why this route"))
    else:
        _summary_or_missing(ctx, s, ["move.route_in"], "The route in", "route", "route")
    if not plan:
        _summary_or_missing(ctx, s, ["move.plan"], "The 30/60/90-day plan", "route", "plan")
        return s
    if plan["start"]:
        s.blocks.append(Para(plan["start"], label="Day 1"))
    items = sorted(plan["items"], key=lambda i: i["phase"])  # stable: the learner's order within
    s.people = sum(bool(i["person"].strip()) for i in items)
    rows = tuple(
        (
            str(i["phase"]),
            i["action"],
            i["date"],
            i["measure"],
            i["person"],
            _KINDS.get(i["kind"], i["kind"]),
        )
        for i in items
    )
    s.blocks.append(
        Table(
            ("By day", "Action", "Date", "Measure", "With", "Kind"),
            rows,
            "My 30/60/90-day plan: what I will have done by day 30, 60 and 90 of the new role, "
            "and how I will know.",
            private_column=4,
        )
    )
    return s


def _stories(ctx: _Context, n: int) -> Section:
    s = Section("stories", n, "Interview stories", READS["stories"])
    found = saved_stories(ctx.workbook)
    if not found:
        _summary_or_missing(ctx, s, ["move.stories"], "The interview stories", "stories", "stories")
        return s
    for shift, story in found.items():
        s.blocks.append(Subhead(story.get("title", "").strip() or STORY_HEADINGS[shift]))
        s.blocks.append(
            Parts(tuple((label, story[key]) for key, label in STORY_PARTS if story[key].strip()))
        )
    if len(found) < 4:
        left = [f"Shift {k}" for k in ("1", "2", "3", "4") if k not in found]
        s.notes.append(f"Stories still to write: {', '.join(left)}.")
    return s


BRIEF = (
    ("problem", "The problem", _problem, "problem"),
    ("tree", "Opportunity solution tree", _tree, "tree"),
    ("plan", "The ranked plan and what fits the capacity", _plan, "ranking"),
    ("stakeholders", "Stakeholder map", _stakeholders, "stakeholders"),
    ("pitch", "The pitch", _pitch, "pitch"),
    ("experiment", "The experiment plan", _experiment, "experiment"),
    ("decision", "The decision", _decision, "decision"),
    ("learning_log", "The learning log", _learning_log, "learning_log"),
)
TRANSITION = (
    ("stand", "Where I stand", _stand, "where_you_stand"),
    ("gaps", "Gaps I will grow", _gaps, "gaps"),
    ("route", "My route in and my first 90 days", _route, "route"),
    ("stories", "Interview stories", _stories, "stories"),
)
BRIEF_INTRO = (
    "A product brief for Crewboard, the scheduling app of Kestrel Works, built from my work on "
    "the course's case: which problem to solve first, for whom, how to test it and what was "
    "learned. Kestrel Works, its people, customers and data are fictional, written for the "
    "course The Pivot; the choices, ratings and words are mine."
)
TRANSITION_INTRO = (
    "My plan for moving into product management: where I stand, what I will grow, how I will "
    "get there, and stories from my own work. It is built on four shifts that M. Rozenfeld's "
    "article “Engineers: What to Know About Pivoting Into Product Management” (IEEE-USA "
    "InSight) describes for an engineer who moves into the role: from how to build something "
    f"to why it is needed ({SHIFT_NAMES['1'].lower()}); from heads-down work to communicating "
    f"and persuading ({SHIFT_NAMES['2'].lower()}); from building the technology to leaving how "
    f"it is built to the engineers ({SHIFT_NAMES['3'].lower()}); and from work that works or "
    f"does not to judging risk and learning from what fails "
    f"({SHIFT_NAMES['4'].lower()})."
)


def _section(ctx: _Context, n: int, spec) -> Section:
    key, title, builder, chapter = spec
    try:
        return builder(ctx, n)
    except Exception:  # a damaged answer the page's reader let through: named, never an error
        return _missing(key, n, title, title, chapter, damaged=True)


def _one_line_text(value: object, limit: int = MAX_NAME_CHARS) -> str:
    text = " ".join(str(value or "").split())
    return text[:limit]


def _date_text(date: dt.date | str | None) -> str:
    if isinstance(date, dt.date):
        return date.isoformat()
    text = str(date or "").strip()
    if not text:
        return ""
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(
            f"date must be a day written YYYY-MM-DD, such as 2027-03-04 (got {text[:40]!r})"
        ) from None


def build(
    workbook: wb.Workbook | None = None,
    *,
    name: str = "",
    date: dt.date | str | None = None,
    note: str = "",
    hide_people: bool = False,
    hide_ratings: bool = False,
) -> Portfolio:
    """Assemble the portfolio from ``workbook`` (default: the learner's current workbook).

    ``name`` and ``date`` go on the cover only when given (a date as ``YYYY-MM-DD``; anything
    else raises ``ValueError`` naming it); ``note`` is the learner's note to the reader. With
    ``hide_people`` the people named in the 30/60/90-day plan are left out, and with
    ``hide_ratings`` the learner's self-ratings on each competency (for a copy to share).
    Never raises for the workbook: a missing part is named with its page, a damaged one too.
    """
    book = wb.current() if workbook is None else workbook
    when = _date_text(date)
    ctx = _Context(book)
    brief = [_section(ctx, n, spec) for n, spec in enumerate(BRIEF, 1)]
    start = len(brief) + 1
    plan = [_section(ctx, n, spec) for n, spec in enumerate(TRANSITION, start)]
    parts = [
        Part("brief", "Part 1. Product brief: Crewboard at Kestrel Works", BRIEF_INTRO, brief),
        Part("transition", "Part 2. My transition plan", TRANSITION_INTRO, plan),
    ]
    doc = Portfolio("", "", "", parts)
    return with_cover(
        doc, name=name, date=when, note=note, hide_people=hide_people, hide_ratings=hide_ratings
    )


def with_cover(
    doc: Portfolio,
    *,
    name: str = "",
    date: dt.date | str | None = None,
    note: str = "",
    hide_people: bool | None = None,
    hide_ratings: bool | None = None,
) -> Portfolio:
    """The same portfolio with another cover: ``name`` on one line (at most
    :data:`MAX_NAME_CHARS` characters), ``date`` as ``YYYY-MM-DD`` (anything else raises
    ``ValueError``), ``note`` kept whole (a note over the course's text limit is left out), the
    people of the learner's own plan and their competency self-ratings shown or left out
    (``None``: as in ``doc``)."""
    from .kit import MAX_TEXT_CHARS

    note = note if isinstance(note, str) and len(note) <= MAX_TEXT_CHARS else ""
    people = doc.hide_people if hide_people is None else bool(hide_people)
    ratings = doc.hide_ratings if hide_ratings is None else bool(hide_ratings)
    return Portfolio(_one_line_text(name), _date_text(date), note, doc.parts, people, ratings)


# --- Markdown ------------------------------------------------------------------------------------
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(#|>|[-+=])")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def _neutral_lines(text: object) -> list[str]:
    lines = []
    for line in str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _MD_INLINE.sub(r"\\\1", line.strip())
        line = _MD_ORDERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\\\1", line))
        lines.append(export.safe_markdown(line))
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def neutral_markdown(text: object) -> str:
    """Learner text as Markdown that reads exactly as typed: no raw HTML, no ``javascript:``,
    and no link, image, emphasis, code, table, heading, quote or list made from its characters
    (each is escaped with a backslash). Line breaks are kept as hard breaks; leading spaces
    (which would make a code block) are dropped."""
    return "  \n".join(_neutral_lines(text))


def _md_cell(text: object) -> str:
    """Learner text on one line inside a table cell (where no block syntax applies)."""
    line = _MD_INLINE.sub(r"\\\1", " ".join(str(text or "").split()))
    return export.safe_markdown(line) or " "


def _md_item(text: object) -> str:
    """Learner text on one line at the start of a block (a list item, a caption)."""
    return neutral_markdown(" ".join(str(text or "").split())) or " "


def _slug(text: str) -> str:
    """The anchor GitHub and most Markdown viewers give a heading."""
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def _shown(block: Block, doc: Portfolio | None) -> Block:
    """The block as this copy shows it: people or self-ratings left out when asked."""
    if doc is None or not isinstance(block, Table):
        return block
    if block.self_ratings and doc.hide_ratings:
        return Para(RATINGS_LEFT_OUT)
    return block.shown(doc.hide_people)


def _md_block(block: Block, figures_folder: str | None, doc: Portfolio | None = None) -> list[str]:
    block = _shown(block, doc)
    if isinstance(block, Para):
        label = f"**{block.label}:** " if block.label else ""
        return [label + neutral_markdown(block.text), ""]
    if isinstance(block, Quote):
        lines = [f"**{block.label}:**", ""] if block.label else []
        body = _neutral_lines(block.text) or [""]
        quoted = [f"> {line}  " if line else ">" for line in body]
        quoted[-1] = quoted[-1].rstrip()
        return [*lines, *quoted, ""]
    if isinstance(block, Parts):
        lines = []
        for label, text in block.items:
            body = _neutral_lines(text) or [""]
            body[0] = f"**{label}:** {body[0]}"
            lines += [f"> {line}  " if line else ">" for line in body]
            lines[-1] = lines[-1].rstrip()
            lines.append(">")
        return [*lines[:-1], ""]
    if isinstance(block, Bullets):
        lines = [f"**{block.label}:**", ""] if block.label else []
        for text, subs in block.items:
            lines.append(f"- {_md_item(text)}")
            lines += [f"  - {_md_item(sub)}" for sub in subs]
        return [*lines, ""]
    if isinstance(block, Table):
        lines = [f"*{_md_item(block.caption)}*", ""]
        lines.append("| " + " | ".join(_md_cell(h) for h in block.headers) + " |")
        lines.append("|" + " --- |" * len(block.headers))
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
        return [*lines, ""]
    if isinstance(block, Figure):
        alt = _md_cell(block.alt)
        if figures_folder is None:
            return [f"*Figure: {_md_item(block.caption)}* {alt}", ""]
        return [
            f"![{alt}]({figures_folder}/{block.name}.svg)",
            "",
            f"*{_md_item(block.caption)}*",
            "",
        ]
    if isinstance(block, Subhead):
        return [f"### {_md_item(block.text)}", ""]
    if isinstance(block, Summary):
        return [export.safe_markdown(block.markdown).strip(), ""]
    if isinstance(block, Missing):
        return [f"*{_md_item(block.short())}*", ""]
    raise TypeError(f"unknown block {type(block).__name__}")  # pragma: no cover


def _cover_lines(doc: Portfolio) -> list[str]:
    lines = []
    if doc.date:
        lines.append(f"**Date:** {doc.date}")
    return ["  \n".join(lines), ""] if lines else []


_HOW_TO_READ = (
    "Part 1 is a product brief for a fictional company, worked through in the course The Pivot; "
    "Part 2 is my own plan for moving into product management."
)
_GLANCE = "At a glance"
_TODO = "Still to do before you share this"
_TODO_INTRO = (
    "These parts are not in the portfolio yet. Do them on the pages named, then build the "
    "portfolio again; this list disappears when nothing is missing."
)
_EMPTY_PART = f"Nothing in this part yet: its sections are listed in “{_TODO}”."


def _status_mark(s: Section) -> str:
    if s.status == "complete":
        return ""
    return f" ({'not done yet' if s.status == 'missing' else 'in part'})"


def render_markdown(doc: Portfolio, figures_folder: str | None = FIGURES_FOLDER) -> str:
    """The portfolio as Markdown; figures are linked from ``figures_folder`` (relative to the
    Markdown file), or described in words when it is ``None``. The headings are those of the
    HTML page: the title, then the summary, the contents and the parts (``#``), each section
    (``##``) and the stories (``###``)."""
    lines = [f"# {neutral_markdown(doc.title)}", "", *_cover_lines(doc)]
    if doc.note.strip():
        lines += _md_block(Quote(doc.note), None)
    lines += [_HOW_TO_READ, ""]
    if doc.glance:
        lines += [f"## {_GLANCE}", ""]
        lines += [f"- **{label}:** {_md_item(text)}" for label, text in doc.glance] + [""]
    lines += ["## Contents", ""]
    todo = f"#{_slug(_TODO)}"
    for part in doc.parts:
        lines.append(f"- [{part.title}](#{_slug(part.title)})")
        for s in part.sections:
            anchor = todo if s.status == "missing" else f"#{_slug(s.heading)}"
            lines.append(f"  - [{s.heading}]({anchor}){_status_mark(s)}")
    if doc.missing:
        lines.append(f"- [{_TODO}]({todo})")
    lines.append("")
    for part in doc.parts:
        lines += [f"# {part.title}", "", part.intro, ""]
        shown = [s for s in part.sections if s.status != "missing"]
        if not shown:
            lines += [f"*{_EMPTY_PART}*", ""]
        for s in shown:
            lines += [f"## {s.heading}", ""]
            for block in s.blocks:
                lines += _md_block(block, figures_folder, doc)
    if doc.missing:
        lines += [f"# {_TODO}", "", _TODO_INTRO, ""]
        lines += [f"- {s.number}. {_md_item(m.sentence())}" for s, m in doc.missing] + [""]
    return "\n".join(lines).rstrip() + "\n"


# --- HTML ----------------------------------------------------------------------------------------
_UNSAFE = re.compile(r"[\x00\ud800-\udfff]")


def _h(text: object) -> str:
    """Text (the learner's or the course's) escaped for HTML."""
    return html.escape(_UNSAFE.sub("\ufffd", str(text or "")), quote=True)


def _h_lines(text: object) -> str:
    return "<br>".join(_h(line) for line in str(text or "").replace("\r\n", "\n").split("\n"))


#: The portfolio's own rules, after :data:`pivot.export.BASE_CSS`. On paper each part starts a
#: page and the sections flow; a figure, a quote, a short table or a row is kept whole, and a
#: long table continues on the next page with its header repeated.
PORTFOLIO_CSS = """
nav.toc ul { padding-left: 1.4em; } nav.toc li { margin: .15em 0; }
.cover { border-bottom: 3px solid #111; padding-bottom: .6em; margin-bottom: 1em; }
.glance { border: 2px solid #111; padding: .1em 1em .5em; margin: 1em 0; }
.glance h2 { border-bottom: none; margin-top: .5em; }
.glance p { margin: .3em 0; }
.mine { white-space: pre-wrap; margin: .4em 0; padding: .3em .9em; border-left: 4px solid #555;
  background: #F7F7F7; overflow-wrap: anywhere; }
.label { font-weight: bold; margin: .6em 0 .1em; } .label + .mine { margin-top: .1em; }
.parts p { margin: .25em 0; white-space: normal; } .parts .said { white-space: pre-wrap; }
.missing { font-style: italic; color: #333; margin: .4em 0; }
section.todo li { margin: .2em 0; }
figure { margin: .8em 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .92em; color: #222; }
table caption { text-align: left; padding: .2em 0; caption-side: top; font-size: .92em; }
td, th { overflow-wrap: break-word; word-break: normal; hyphens: manual; }
section.part > h1, section.todo > h1 { font-size: 1.6em; border-bottom: 3px solid #111;
  margin-top: 1.2em; }
section.chapter > h2 { font-size: 1.3em; border-bottom: 1px solid #111; padding-bottom: .1em; }
section.chapter h3 { font-size: 1.08em; margin: .9em 0 .2em; }
@page { size: A4; margin: 16mm 15mm; }
@media print {
  body { font-size: 10.5pt; color: #000; background: #fff; }
  .mine, th { background: #fff; }
  section.part { break-before: page; page-break-before: always; }
  section.part.empty { break-before: auto; page-break-before: auto; }
  h1, h2, h3, h4, .label, caption { break-after: avoid; page-break-after: avoid; }
  figure, .mine, tr, .glance, li, p { break-inside: avoid; page-break-inside: avoid; }
  table.long { break-inside: auto; page-break-inside: auto; }
  thead { display: table-header-group; }
  nav.toc > ul { columns: 2; column-gap: 2em; } nav.toc > ul > li { break-inside: avoid; }
  nav.toc a::after { content: none; }
}
"""


def _html_block(block: Block, level: int, doc: Portfolio | None = None) -> str:
    block = _shown(block, doc)
    if isinstance(block, Para):
        label = f"<strong>{_h(block.label)}:</strong> " if block.label else ""
        return f"<p>{label}<bdi>{_h_lines(block.text)}</bdi></p>"
    if isinstance(block, Quote):
        label = f'<p class="label">{_h(block.label)}</p>' if block.label else ""
        return f'{label}<blockquote class="mine" dir="auto">{_h(block.text.strip())}</blockquote>'
    if isinstance(block, Parts):
        inner = "".join(
            f'<p><strong>{_h(label)}:</strong> <bdi class="said">{_h(text.strip())}</bdi></p>'
            for label, text in block.items
        )
        return f'<div class="mine parts">{inner}</div>'
    if isinstance(block, Bullets):
        label = f'<p class="label">{_h(block.label)}</p>' if block.label else ""
        items = "".join(
            f"<li><bdi>{_h(text)}</bdi>"
            + (
                "<ul>" + "".join(f"<li><bdi>{_h(x)}</bdi></li>" for x in subs) + "</ul>"
                if subs
                else ""
            )
            + "</li>"
            for text, subs in block.items
        )
        return f"{label}<ul>{items}</ul>"
    if isinstance(block, Table):
        head = "".join(f'<th scope="col">{_h(x)}</th>' for x in block.headers)
        body = "".join(
            "<tr>" + "".join(f"<td><bdi>{_h(c)}</bdi></td>" for c in row) + "</tr>"
            for row in block.rows
        )
        cls = ' class="long"' if block.long else ""
        return (
            f"<table{cls}><caption>{_h(block.caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
    if isinstance(block, Figure):
        return f"<figure>{block.svg()}<figcaption>{_h(block.caption)}</figcaption></figure>"
    if isinstance(block, Subhead):
        return f"<h{level + 1}>{_h(block.text)}</h{level + 1}>"
    if isinstance(block, Summary):
        return export._markdown_to_html(export.safe_markdown(block.markdown).strip())
    if isinstance(block, Missing):
        cls = "missing damaged" if block.damaged else "missing"
        return f'<p class="{cls}">{_h(block.short())}</p>'
    raise TypeError(f"unknown block {type(block).__name__}")  # pragma: no cover


def _html_section(s: Section, level: int = 2, prefix: str = "", doc=None) -> str:
    blocks = "".join(_html_block(b, level, doc) for b in s.blocks)
    key = prefix + s.key
    return (
        f'<section class="chapter" id="{key}" aria-labelledby="{key}-h">'
        f'<h{level} id="{key}-h">{_h(s.heading)}</h{level}>{blocks}</section>'
    )


def _html_toc(doc: Portfolio) -> str:
    parts = []
    for part in doc.parts:
        items = "".join(
            f'<li><a href="#{"todo" if s.status == "missing" else s.key}">{_h(s.heading)}</a>'
            f"{_status_mark(s)}</li>"
            for s in part.sections
        )
        parts.append(f'<li><a href="#{part.key}">{_h(part.title)}</a><ul>{items}</ul></li>')
    if doc.missing:
        parts.append(f'<li><a href="#todo">{_h(_TODO)}</a></li>')
    return (
        f'<nav class="toc" aria-label="Contents"><h2>Contents</h2><ul>{"".join(parts)}</ul></nav>'
    )


def _html_glance(doc: Portfolio) -> str:
    if not doc.glance:
        return ""
    items = "".join(
        f"<p><strong>{_h(label)}:</strong> <bdi>{_h(text)}</bdi></p>" for label, text in doc.glance
    )
    return (
        '<section class="glance" aria-labelledby="glance-h">'
        f'<h2 id="glance-h">{_h(_GLANCE)}</h2>{items}</section>'
    )


def render_html(doc: Portfolio) -> str:
    """The portfolio as one standalone HTML page that prints well (see the module docstring).
    Headings: the title (``h1``), the summary, contents and to-do list (``h2``), each part
    (``h1``), each section (``h2``) and the stories (``h3``)."""
    cover = [f"<h1>{_h(doc.title)}</h1>"]
    if doc.date:
        cover.append(f'<p class="meta"><strong>Date:</strong> {_h(doc.date)}</p>')
    if doc.note.strip():
        cover.append(f'<blockquote class="mine" dir="auto">{_h(doc.note.strip())}</blockquote>')
    cover.append(f"<p>{_h(_HOW_TO_READ)}</p>")
    body = [f'<header class="cover">{"".join(cover)}</header>', _html_glance(doc), _html_toc(doc)]
    for part in doc.parts:
        shown = [s for s in part.sections if s.status != "missing"]
        sections = "".join(_html_section(s, doc=doc) for s in shown) or (
            f'<p class="missing">{_h(_EMPTY_PART)}</p>'
        )
        cls = "part" if shown else "part empty"
        body.append(
            f'<section class="{cls}" id="{part.key}" aria-labelledby="{part.key}-h">'
            f'<h1 id="{part.key}-h">{_h(part.title)}</h1><p>{_h(part.intro)}</p>'
            f"{sections}</section>"
        )
    if doc.missing:
        items = "".join(
            ('<li class="missing damaged">' if m.damaged else "<li>") + f"{s.number}. "
            f"{_h(m.sentence())}</li>"
            for s, m in doc.missing
        )
        body.append(
            f'<section class="todo" id="todo" aria-labelledby="todo-h"><h1 id="todo-h">'
            f"{_h(_TODO)}</h1><p>{_h(_TODO_INTRO)}</p><ul>{items}</ul></section>"
        )
    return export.standalone_html(doc.title, "\n".join(body), css=export.BASE_CSS + PORTFOLIO_CSS)


def render_preview(doc: Portfolio, keys: Sequence[str] = ("problem", "tree")) -> str:
    """A few sections as an HTML fragment for a page of the course, as the HTML file shows
    them but with headings from ``<h3>`` and without the file's page styles, in a labelled
    region."""
    chosen = [s for s in doc.shown_sections if s.key in keys]
    inner = "".join(_html_section(s, level=3, prefix="portfolio-preview-", doc=doc) for s in chosen)
    return (
        '<div class="pivot-portfolio-preview" role="region" aria-label="Preview of the '
        'portfolio" style="border:1px solid #999999;padding:.4em 1em;margin:.5em 0;'
        f'max-width:52em;color:#111111;background:#FFFFFF">{inner}</div>'
    )


def figure_files(doc: Portfolio) -> dict[str, str]:
    """``{file name: SVG document}`` for the figures the Markdown links to."""
    return {
        f"{f.name}.svg": '<?xml version="1.0" encoding="UTF-8"?>\n' + f.svg() + "\n"
        for f in doc.figures
    }


# --- writing and saying where ---------------------------------------------------------------------
#: Every figure file a portfolio can write (older ones no longer built are removed).
FIGURE_NAMES = ("opportunity-tree.svg", "stakeholder-map.svg", "self-assessment.svg")


@dataclass(frozen=True)
class PortfolioResult:
    """Where the portfolio went. In a notebook it shows as a short message with two links;
    it has no date and no learner text, so the same workbook always shows the same message."""

    ok: bool
    message: str
    markdown_path: Path | None = None
    html_path: Path | None = None
    complete: int = 0
    sections: int = 0

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        e = html.escape
        if not self.ok or self.markdown_path is None or self.html_path is None:
            return f'<p role="status"><span aria-hidden="true">✖</span> {e(self.message)}</p>'
        links = " and ".join(export.link_html(p) for p in (self.html_path, self.markdown_path))
        return (
            f'<p role="status"><span aria-hidden="true">✔</span> Your portfolio '
            f"({self.complete} of {self.sections} sections complete) was written to {links}, "
            f"in <code>{e(str(self.html_path.parent))}</code>, with its figures in "
            f"<code>{FIGURES_FOLDER}/</code>. Open the HTML file in a browser to read or print "
            "it.</p>"
        )


def write(
    folder: str | os.PathLike | None = None,
    *,
    workbook: wb.Workbook | None = None,
    doc: Portfolio | None = None,
    **options: Any,
) -> PortfolioResult:
    """Write ``my-pivot-portfolio.md``, ``my-pivot-portfolio.html`` and the figures to
    ``folder`` (else ``PIVOT_EXPORT_DIR``, else the current folder). ``doc`` is a portfolio
    already built; otherwise it is built from ``workbook`` with ``options`` (see :func:`build`).
    Never raises for the disk: the message says what went wrong."""
    doc = build(workbook, **options) if doc is None else doc
    target = export.export_folder(folder)
    md_path, html_path = target / f"{FILE_STEM}.md", target / f"{FILE_STEM}.html"
    figures = target / FIGURES_FOLDER
    try:
        target.mkdir(parents=True, exist_ok=True)
        files = figure_files(doc)
        if files:
            figures.mkdir(exist_ok=True)
        for name in FIGURE_NAMES:
            if name not in files and (figures / name).is_file():
                (figures / name).unlink()
        for name, text in files.items():
            export.write_text(figures / name, text)
        export.write_text(md_path, render_markdown(doc))
        export.write_text(html_path, render_html(doc))
    except OSError as exc:
        return PortfolioResult(
            False,
            f"Not written: {exc.strerror or exc} ({target}). Your workbook is unchanged; pass "
            "another folder, e.g. portfolio.write('~/Desktop').",
        )
    total = len(doc.sections)
    return PortfolioResult(
        True,
        f"Your portfolio ({doc.complete} of {total} sections complete) was written to "
        f"{html_path} and {md_path}.",
        md_path,
        html_path,
        doc.complete,
        total,
    )
