"""Sphinx glue for The Pivot's book build.

1. The build executes the notebooks; their widgets would otherwise open the builder's own
   workbook and publish its answers. Every kernel the build starts gets an in-memory workbook,
   so the published pages always show the widgets as a new learner sees them.
2. Accessibility of the bibliography (axe-core aria-required-children, critical): docutils
   writes it as ``role="list"`` whose entries carry the deprecated ``role="doc-biblioentry"``;
   entries become list items. The "Show code cell source" toggles carry an aria-label that
   differs from their visible text (label-content-name-mismatch, serious); it is dropped.
3. Two console errors of the stock theme stack (sphinx-book-theme 1.3, measured on every page):
   sphinx-thebe's inline configuration script is registered twice ("Identifier 'THEBE_JS_URL'
   has already been declared"), and an empty ``default_mode`` makes pydata-sphinx-theme log
   "Got invalid theme mode". Drop the duplicate script and default the mode to "auto".
4. Text that must not go stale is generated: ``{pivot-parts}`` (the parts of the course from
   _toc.yml, built ones with their pages and minutes, the rest "coming"), ``{pivot-datasets}``
   (every data set in data/README.md with the pages that use it), ``{pivot-timings}`` and the
   ``{pivot-minutes}`` role (a part's minutes, summed from its pages' own time lines) and
   ``{pivot-agenda}`` (a 90-minute taster, a half day, a full day and two days laid out from
   those minutes).
5. The two editions (pivot/editions.py): the ``pivot_edition`` setting, ``learner`` or
   ``instructor``. ``{instructor-note}`` blocks are an "Instructor note" box in the instructor
   edition and nothing in the learner one; the instructor-notes page gathers every page's notes
   where it says ``<!-- pivot:instructor-notes -->``; a learner build that would contain a page
   of the ``For instructors`` part stops with an error.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path


def _fix_page_context(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body:
        body = body.replace('role="doc-biblioentry"', 'role="listitem"')
        # myst-nb's "Show code cell source" toggles: the aria-label hid the visible text
        body = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")
        context["body"] = body
    if not context.get("default_mode"):
        context["default_mode"] = "auto"
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for script in scripts:
        attributes = getattr(script, "attributes", None) or {}
        key = (getattr(script, "filename", script) or "", tuple(sorted(attributes.items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    scripts[:] = unique


# ---------------------------------------------------------------------------------------------
# 4. Text that must not go stale: the parts, the data sets, the timings and the workshop agenda
#    are computed from _toc.yml, data/README.md and each page's own "**Time:**" line.
#    The functions below are pure (no Sphinx), so tests/test_schedule.py can call them; the
#    directives at the end render their Markdown inside the page.
# ---------------------------------------------------------------------------------------------

#: The course's mission, in order: every part the course promises, built or not. The shifts'
#: titles and questions come from data/shifts.csv; a part is "built" once _toc.yml has it.
MISSION = (
    (
        "Start here",
        "What changes when an engineer becomes a product manager, and where do I stand today?",
    ),
    ("Shift 1", None),
    ("Shift 2", None),
    ("Shift 3", None),
    ("Shift 4", None),
    ("Making the move", "How far have I come, and what is my plan for the next months?"),
)
#: Parts of _toc.yml that support the course rather than teach it: listed, never timed.
SUPPORTING = {
    "For instructors": "The instructor guide, the schedules, every page's instructor notes and "
    "the class view.",
    "Reference": "The product terms used across the course, and every source it cites.",
}

#: The two forms of a page's time line, exactly (one per line, in the page's opening).
TIME_FORMS = (
    re.compile(r"^\*\*Time:\*\* teaching (?P<teaching>\d+) min · exercise (?P<exercise>\d+) min$"),
    re.compile(r"^\*\*Time:\*\* teaching (?P<teaching>\d+) minutes; no exercise\.$"),
)
TIME_HELP = (
    "'**Time:** teaching N min · exercise M min' or '**Time:** teaching N minutes; no exercise.'"
)


@dataclass(frozen=True)
class Page:
    """One page of the table of contents, with its own minutes."""

    docname: str  # as in _toc.yml, without extension: "notebooks/10-shift1/10-problem-space"
    title: str
    teaching: int
    exercise: int

    @property
    def minutes(self) -> int:
        return self.teaching + self.exercise

    @property
    def stem(self) -> str:
        return self.docname.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Part:
    """A part of the course: built (in _toc.yml, with pages) or coming (in the mission only)."""

    name: str  # "Shift 1", "Start here", "Reference"
    caption: str  # as shown: "Shift 1 — From the solution space to the problem space"
    question: str | None
    pages: tuple[Page, ...] = ()
    built: bool = True
    timed: bool = True

    @property
    def minutes(self) -> int:
        return sum(p.minutes for p in self.pages)


def page_file(root: Path, docname: str) -> Path:
    """The source file of a _toc.yml entry (``.md`` or ``.ipynb``)."""
    for ext in (".md", ".ipynb"):
        path = root / f"{docname}{ext}"
        if path.exists():
            return path
    raise ValueError(f"_toc.yml lists {docname!r}, but neither {docname}.md nor .ipynb exists")


def page_text(path: Path) -> str:
    """A page's prose: the Markdown file, or a notebook's Markdown cells joined."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return text
    cells = json.loads(text)["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c.get("cell_type") == "markdown")


def parse_time(text: str, where: str = "page") -> tuple[int, int] | None:
    """(teaching, exercise) minutes from a page's ``**Time:**`` line; None if it has none.

    A time line in any other form is an error that names the page and the expected forms.
    """
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("**Time:**"):
            continue
        match = next((m for form in TIME_FORMS if (m := form.match(line))), None)
        if match is None:
            raise ValueError(f"{where}: time line {line!r} is not in the form {TIME_HELP}")
        found.append((int(match["teaching"]), int(match.groupdict().get("exercise") or 0)))
    if len(found) > 1:
        raise ValueError(f"{where}: {len(found)} time lines; a page has exactly one")
    return found[0] if found else None


def page_title(text: str, where: str = "page") -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise ValueError(f"{where}: no '# ' title")


def read_toc(root: Path) -> tuple[str, list[tuple[str, list[str]]]]:
    """(root docname, [(caption, [docname, ...]), ...]) from _toc.yml."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    parts = []
    for part in toc.get("parts", []):
        files = [c["file"] for c in part.get("chapters", [])]
        parts.append((part["caption"], files))
    return toc["root"], parts


def shift_rows(root: Path) -> dict[str, dict[str, str]]:
    with (root / "data" / "shifts.csv").open(encoding="utf-8", newline="") as f:
        return {f"Shift {row['shift']}": row for row in csv.DictReader(f)}


def load_page(root: Path, docname: str, timed: bool) -> Page:
    path = page_file(root, docname)
    text = page_text(path)
    where = path.relative_to(root).as_posix()
    minutes = parse_time(text, where)
    if minutes is None:
        if timed:
            raise ValueError(f"{where}: no time line; every course page states {TIME_HELP}")
        minutes = (0, 0)
    return Page(docname, page_title(text, where), *minutes)


def course(root: Path) -> list[Part]:
    """Every part of the mission in order (built or coming), then the supporting parts.

    The root page (the welcome) counts as the first page of the first part.
    """
    root = Path(root)
    root_doc, toc_parts = read_toc(root)
    shifts = shift_rows(root)
    by_name: dict[str, tuple[str, list[str]]] = {}
    supporting = []
    for caption, files in toc_parts:
        name = caption.split(" — ", 1)[0].strip()
        if caption in SUPPORTING:
            supporting.append((caption, files))
        elif name in dict(MISSION):
            if name in by_name:
                raise ValueError(f"_toc.yml: part {name!r} appears twice")
            by_name[name] = (caption, files)
        else:
            known = ", ".join([n for n, _ in MISSION] + list(SUPPORTING))
            raise ValueError(
                f"_toc.yml: caption {caption!r} names no part of the course (expected one of "
                f"{known}, shifts as 'Shift N — Title'); add it to MISSION in "
                "book/_ext/pivot_book.py"
            )
    parts = []
    first = True
    for name, question in MISSION:
        shift = shifts.get(name)
        if shift is not None:
            question = shift["question"]
            default_caption = f"{name} — {shift['title']}"
        else:
            default_caption = name
        if name in by_name:
            caption, files = by_name[name]
            docs = ([root_doc] if first else []) + files
            first = False
            pages = tuple(load_page(root, d, timed=True) for d in docs)
            parts.append(Part(name, caption, question, pages))
        else:
            parts.append(Part(name, default_caption, question, built=False))
    for caption, files in supporting:
        pages = tuple(load_page(root, d, timed=False) for d in files)
        parts.append(Part(caption, caption, SUPPORTING[caption], pages, timed=False))
    return parts


def built_parts(parts: list[Part]) -> list[Part]:
    return [p for p in parts if p.built and p.timed]


def duration(minutes: int) -> str:
    """45 -> '45 min', 140 -> '2 h 20 min', 120 -> '2 h'."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def doc_link(page: Page) -> str:
    return f"{{doc}}`/{page.docname}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def parts_markdown(parts: list[Part]) -> str:
    """The table of parts for the welcome page: what each asks, its pages and minutes."""
    lines = ["| Part | What it asks | Pages | Time |", "| --- | --- | --- | ---: |"]
    for part in parts:
        question = _cell(part.question or "")
        if not part.built:
            lines.append(f"| {_cell(part.caption)} | {question} | coming | coming |")
        elif not part.timed:
            pages = "; ".join(doc_link(p) for p in part.pages)
            lines.append(f"| {_cell(part.caption)} | {question} | {pages} | |")
        else:
            pages = "; ".join(f"{doc_link(p)} ({p.minutes} min)" for p in part.pages)
            lines.append(
                f"| {_cell(part.caption)} | {question} | {pages} | {duration(part.minutes)} |"
            )
    total = sum(p.minutes for p in built_parts(parts))
    lines.append(f"| **All parts available now** | | | **{duration(total)}** |")
    return "\n".join(lines)


def coming_names(parts: list[Part]) -> list[str]:
    return [p.caption for p in parts if not p.built]


# --- data sets ---------------------------------------------------------------------------------

_LOAD = re.compile(r"""\bload\(\s*["']([a-z_]+)["']""")
_CSV = re.compile(r"""["']([a-z_]+\.csv)["']""")
_IMPORT = re.compile(r"^\s*from\s+(\S+)\s+import\s+\(?([^)\n]+)", re.M)


def datasets(root: Path) -> list[tuple[str, str]]:
    """[(file, first sentence of its description), ...] in data/README.md's order."""
    text = (Path(root) / "data" / "README.md").read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^## `([^`]+)`\s*\n+(.+)$", text, re.M):
        first = re.split(r"(?<=[.!?])\s", match[2].strip(), maxsplit=1)[0]
        found.append((match[1], first))
    return found


def datasets_markdown(root: Path, parts: list[Part]) -> str:
    """The table of data sets for the case-study page, from data/README.md.

    It names each data set and what it holds. It does not say which pages use which: read from
    the notebooks' imports, that over-reported (a module's imports are not what a page loads),
    and a table that is sometimes wrong is worse than none; data/README.md says it per set."""
    del parts
    lines = ["| Data set | What it holds |", "| --- | --- |"]
    for name, first in datasets(root):
        lines.append(f"| `{name}` | {_cell(first)} |")
    return "\n".join(lines)


# --- timings and the workshop agenda -------------------------------------------------------------


def timings_markdown(part: Part, notes: dict[str, str], where: str = "timings") -> str:
    """A part's timing table: each page's own teaching and exercise minutes, and the total.

    ``notes`` maps a page's file name (``10-problem-space``) to what learners do there; every
    page of the part needs one, and a note for a page the part does not have is an error.
    """
    stems = {p.stem for p in part.pages}
    unknown = sorted(set(notes) - stems)
    if unknown:
        raise ValueError(
            f"{where}: {part.name} has no page {', '.join(unknown)} (its pages: "
            f"{', '.join(sorted(stems))})"
        )
    missing = [p.stem for p in part.pages if p.stem not in notes]
    if missing:
        raise ValueError(f"{where}: say what learners do on {', '.join(missing)}")
    lines = ["| Page | Teach | Exercise | What learners do |", "| --- | ---: | ---: | --- |"]
    for p in part.pages:
        lines.append(f"| {doc_link(p)} | {p.teaching} | {p.exercise} | {_cell(notes[p.stem])} |")
    teach = sum(p.teaching for p in part.pages)
    exercise = sum(p.exercise for p in part.pages)
    lines.append(f"| **Total: {duration(part.minutes)}** | **{teach}** | **{exercise}** | |")
    return "\n".join(lines)


@dataclass(frozen=True)
class Slot:
    start: int  # minutes after midnight
    minutes: int
    session: str
    pages: tuple[Page, ...] = ()
    kind: str = "teach"  # teach, break, fixed

    @property
    def end(self) -> int:
        return self.start + self.minutes


@dataclass(frozen=True)
class Plan:
    name: str
    start: int
    end_by: int
    opening: tuple[str, int]
    closing: tuple[str, int]
    breaks: tuple[tuple[str, int, int], ...]  # (name, target start, minutes)


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _at(text: str) -> int:
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins)


HALF_DAY = Plan(
    "Half day",
    _at("09:00"),
    _at("12:30"),
    ("Welcome, introductions, set-up check", 15),
    ("Debrief, workbook export, what to do next", 15),
    (("Break", _at("10:30"), 15),),
)
FULL_DAY = Plan(
    "Full day",
    _at("09:00"),
    _at("16:30"),
    ("Welcome, introductions, set-up check", 15),
    ("Debrief, workbook export, feedback on the day", 30),
    (("Break", _at("10:30"), 15), ("Lunch", _at("12:15"), 45), ("Break", _at("14:45"), 15)),
)


TASTER = Plan(
    "90-minute taster",
    _at("14:00"),
    _at("15:30"),
    ("Welcome and set-up check", 5),
    ("What to do next: the rest of the course on your own", 10),
    (),
)
DAY_TWO = Plan(
    "Day 2",
    _at("09:00"),
    _at("16:30"),
    ("Recap of day 1, questions, set-up check", 15),
    ("Debrief, workbook export, feedback on the two days", 30),
    (("Break", _at("10:30"), 15), ("Lunch", _at("12:15"), 45), ("Break", _at("14:45"), 15)),
)


@dataclass(frozen=True)
class Schedule:
    """A workshop of one or more days, each laid out by :func:`agenda`; a later day goes on
    from the first page the day before could not fit."""

    key: str  # the {pivot-agenda} argument: taster, half-day, full-day, two-days
    name: str
    days: tuple[Plan, ...]


SCHEDULES = (
    Schedule("taster", "90-minute taster", (TASTER,)),
    Schedule("half-day", "Half day", (HALF_DAY,)),
    Schedule("full-day", "Full day", (FULL_DAY,)),
    Schedule("two-days", "Two days", (dataclasses.replace(FULL_DAY, name="Day 1"), DAY_TWO)),
)


def schedule_named(key: str) -> Schedule:
    found = next((s for s in SCHEDULES if s.key == key), None)
    if found is None:
        keys = ", ".join(s.key for s in SCHEDULES)
        raise ValueError(f"pivot-agenda: no schedule {key!r} (choose from {keys})")
    return found


def schedule(parts: list[Part], plan: Schedule) -> tuple[list[tuple[Plan, list[Slot]]], list[Page]]:
    """([(day, slots), ...], pages left for follow-up) for a workshop of one or more days."""
    days = []
    remaining: list[Page] | None = None
    for day in plan.days:
        slots, remaining = agenda(parts, day, remaining)
        days.append((day, slots))
    return days, remaining or []


def agenda(
    parts: list[Part], plan: Plan, pages_left: list[Page] | None = None
) -> tuple[list[Slot], list[Page]]:
    """Lay the built pages, in course order, into a day: (slots, pages left for follow-up).

    Pages are never split. A break is taken at the page boundary nearest its target time
    (before a page that would overrun the target by more than stopping now would fall short).
    Once a page would end after ``end_by`` less the closing session, it and every later page
    are left for follow-up work, so the day always closes on time.
    """
    slots: list[Slot] = [Slot(plan.start, plan.opening[1], plan.opening[0], kind="fixed")]
    now = slots[0].end
    pending = list(plan.breaks)
    last_stop = plan.end_by - plan.closing[1]
    pages = [(part, page) for part in built_parts(parts) for page in part.pages]
    if pages_left is not None:
        wanted = {p.docname for p in pages_left}
        pages = [(part, page) for part, page in pages if page.docname in wanted]
    left: list[Page] = []
    current: list[Page] = []
    current_part: Part | None = None

    def flush():
        nonlocal current
        if current:
            total = sum(p.minutes for p in current)
            slots.append(Slot(now - total, total, current_part.caption, tuple(current)))
            current = []

    for index, (part, page) in enumerate(pages):
        if now + page.minutes > last_stop:
            left = [p for _, p in pages[index:]]
            break
        while pending:
            name, target, length = pending[0]
            overshoot = now + page.minutes - target
            if now >= target or overshoot > target - now:
                flush()
                slots.append(Slot(now, length, name, kind="break"))
                now += length
                pending.pop(0)
                continue
            break
        if now + page.minutes > last_stop:
            left = [p for _, p in pages[index:]]
            break
        if part is not current_part:
            flush()
            current_part = part
        current.append(page)
        now += page.minutes
    flush()
    slots.append(Slot(now, plan.closing[1], plan.closing[0], kind="fixed"))
    return slots, left


def agenda_markdown(parts: list[Part], plan: Plan | Schedule) -> str:
    """A schedule as Markdown: per day, a table of start times, sessions, pages and minutes;
    then what is left for follow-up work."""
    if isinstance(plan, Plan):
        plan = Schedule(plan.name, plan.name, (plan,))
    days, left = schedule(parts, plan)
    lines: list[str] = []
    for day, slots in days:
        taught = sum(len(s.pages) for s in slots)
        label = day.name if len(days) > 1 else plan.name
        lines += [
            f"**{label}**, {clock(slots[0].start)} to {clock(slots[-1].end)}, "
            f"{taught} page{'s' if taught != 1 else ''}:",
            "",
            "| Time | Session | Pages | Minutes |",
            "| --- | --- | --- | ---: |",
        ]
        for slot in slots:
            pages = "; ".join(doc_link(p) for p in slot.pages)
            session = f"*{slot.session}*" if slot.kind == "break" else _cell(slot.session)
            lines.append(f"| {clock(slot.start)} | {session} | {pages} | {slot.minutes} |")
        lines.append(f"| {clock(slots[-1].end)} | Close | | |")
        lines.append("")
    if left:
        lines.append(
            f"Follow-up work after the {'workshop' if len(days) > 1 else 'session'} "
            f"({duration(sum(p.minutes for p in left))}): "
            + "; ".join(doc_link(p) for p in left)
            + "."
        )
    else:
        lines.append("Every page of the parts available now fits in this workshop.")
    return "\n".join(lines)


# --- Sphinx directives and role ----------------------------------------------------------------


def _root(env) -> Path:
    return Path(env.config.pivot_book_root or env.srcdir)


def _course_for(env) -> list[Part]:
    root = _root(env)
    env.note_dependency(str(root / "_toc.yml"))
    env.note_dependency(str(root / "data" / "shifts.csv"))
    env.note_dependency(str(root / "data" / "README.md"))
    parts = course(root)
    if env.config.pivot_edition == "learner":  # its toc has no instructor part
        from pivot.editions import INSTRUCTOR_PART

        parts = [p for p in parts if p.caption != INSTRUCTOR_PART]
    for part in parts:
        for page in part.pages:
            env.note_dependency(str(page_file(root, page.docname)))
    return parts


def _directives():
    from docutils import nodes
    from docutils.statemachine import StringList
    from sphinx.util.docutils import SphinxDirective

    class _Generated(SphinxDirective):
        has_content = False
        optional_arguments = 1
        final_argument_whitespace = True

        def markdown(self, parts: list[Part]) -> str:
            raise NotImplementedError

        def run(self):
            try:
                text = self.markdown(_course_for(self.env))
            except ValueError as error:
                raise self.error(str(error)) from None
            container = nodes.container(classes=["pivot-generated"])
            self.state.nested_parse(StringList(text.splitlines()), self.content_offset, container)
            return [container]

    class PartsDirective(_Generated):
        """``{pivot-parts}``: every part, built ones with pages and minutes, the rest "coming"."""

        def markdown(self, parts):
            return parts_markdown(parts)

    class DatasetsDirective(_Generated):
        """``{pivot-datasets}``: every data set in data/README.md and the pages that use it."""

        def markdown(self, parts):
            return datasets_markdown(_root(self.env), parts)

    class AgendaDirective(_Generated):
        """``{pivot-agenda} two-days``: a schedule laid out from the pages' own minutes
        (taster, half-day, full-day or two-days; with no argument, the half and the full day)."""

        def markdown(self, parts):
            if self.arguments:
                return agenda_markdown(parts, schedule_named(self.arguments[0].strip()))
            return "\n\n".join(agenda_markdown(parts, plan) for plan in (HALF_DAY, FULL_DAY))

    class InstructorNoteDirective(SphinxDirective):
        """``{instructor-note}``: in the instructor edition an "Instructor note" box; in the
        learner edition nothing at all (pivot/editions.py)."""

        has_content = True

        def run(self):
            if self.config.pivot_edition != "instructor":
                return []
            box = nodes.admonition(classes=["pivot-instructor-note"])
            box += nodes.title(text="Instructor note")
            self.state.nested_parse(self.content, self.content_offset, box)
            return [box]

    class TimingsDirective(_Generated):
        """``{pivot-timings} Shift 1`` with one ``page-file: what learners do`` line per page."""

        has_content = True
        required_arguments = 1
        optional_arguments = 0

        def markdown(self, parts):
            name = self.arguments[0].strip()
            part = next((p for p in parts if p.name == name and p.built), None)
            if part is None:
                raise ValueError(f"pivot-timings: no built part {name!r}")
            notes = {}
            for line in self.content:
                if line.strip():
                    key, _, note = line.partition(":")
                    notes[key.strip()] = note.strip()
            return timings_markdown(part, notes, f"pivot-timings {name}")

    return {
        "pivot-parts": PartsDirective,
        "pivot-datasets": DatasetsDirective,
        "pivot-agenda": AgendaDirective,
        "pivot-timings": TimingsDirective,
        "instructor-note": InstructorNoteDirective,
    }


def _generated_role(compute):
    """A role whose text is computed from the course (a bad argument is a build error)."""
    from docutils import nodes

    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        env = inliner.document.settings.env
        try:
            value = compute(_course_for(env), text.strip())
        except ValueError as error:
            msg = inliner.reporter.error(str(error), line=lineno)
            return [inliner.problematic(rawtext, rawtext, msg)], [msg]
        return [nodes.Text(value)], []

    return role


def minutes_text(parts: list[Part], key: str) -> str:
    """``{pivot-minutes}`Shift 1``` -> "2 h 20 min"; ``all``: every part available now."""
    if key == "all":
        return duration(sum(p.minutes for p in built_parts(parts)))
    part = next((p for p in built_parts(parts) if p.name == key), None)
    if part is None:
        names = ", ".join(p.name for p in built_parts(parts))
        raise ValueError(f"pivot-minutes: {key!r} is not a built part (built: {names}, or all)")
    return duration(part.minutes)


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def pages_text(parts: list[Part], key: str) -> str:
    """``{pivot-pages}`Shift 3``` -> "five short notebooks" (the part's pages in _toc.yml)."""
    part = next((p for p in built_parts(parts) if p.name == key), None)
    if part is None:
        names = ", ".join(p.name for p in built_parts(parts))
        raise ValueError(f"pivot-pages: {key!r} is not a built part (built: {names})")
    n = len(part.pages)
    word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return f"{word} short notebook{'s' if n != 1 else ''}"


def coming_text(parts: list[Part], key: str = "parts") -> str:
    """``{pivot-coming}`parts``` -> "Shift 2 — …, Shift 4 — … and Making the move"."""
    names = coming_names(parts)
    if not names:
        return "none"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- the two editions: instructor notes gathered on one page, and the learner edition's guard --

#: The line of book/instructor-notes.md that every page's instructor notes replace.
NOTES_MARKER = "<!-- pivot:instructor-notes -->"
_LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def relink(body: str, from_doc: str, to_doc: str) -> str:
    """Relative Markdown links of a note written on ``from_doc``, made to work on ``to_doc``."""
    src, dest = posixpath.dirname(from_doc), posixpath.dirname(to_doc)

    def fix(match: re.Match) -> str:
        target = match["target"]
        if re.match(r"^([a-z]+:|#|/)", target):
            return match[0]
        path, hash_, anchor = target.partition("#")
        moved = posixpath.relpath(posixpath.normpath(posixpath.join(src, path)), dest or ".")
        return f"]({moved}{hash_}{anchor})"

    return _LINK.sub(fix, body)


def instructor_notes_markdown(root: Path, parts: list[Part], to_doc: str) -> str:
    """Every page's instructor notes, part by part and page by page, in course order."""
    from pivot.editions import notes_in

    lines: list[str] = []
    count = 0
    for part in built_parts(parts):
        section: list[str] = []
        for page in part.pages:
            notes = notes_in(page_text(page_file(root, page.docname)))
            if not notes:
                continue
            section += [f"### {page.title}", "", f"On the page: {doc_link(page)}.", ""]
            for note in notes:
                section += [relink(note, page.docname, to_doc), ""]
                count += 1
        if section:
            lines += [f"## {part.caption}", "", *section]
    if not count:
        raise ValueError("instructor notes: no page has an {instructor-note} block")
    return "\n".join(lines)


def _gather_notes(app, docname, source):
    if NOTES_MARKER not in source[0]:
        return
    root = _root(app.env)
    try:
        text = instructor_notes_markdown(root, _course_for(app.env), docname)
    except ValueError as error:
        from sphinx.errors import ExtensionError

        raise ExtensionError(str(error)) from None
    source[0] = source[0].replace(NOTES_MARKER, text)


def _check_edition(app, env, docnames):
    """The learner edition never contains an instructor page (pivot/editions.py)."""
    from sphinx.errors import ConfigError

    from pivot import editions

    edition = app.config.pivot_edition
    if edition not in editions.EDITIONS:
        raise ConfigError(f"pivot_edition is {edition!r}: choose learner or instructor")
    if edition != "learner":
        return
    leaked = sorted(set(env.found_docs) & set(editions.instructor_docs(_root(env))))
    if leaked:
        raise ConfigError(
            f"the learner edition would contain the instructor pages {', '.join(leaked)} "
            f"(the '{editions.INSTRUCTOR_PART}' part of _toc.yml): build the learner edition "
            "with `make book` and the instructor edition with `make instructor`"
        )


def _refuse_math(app, doctree, docname):
    """Math would make Sphinx load MathJax from a CDN, and the book must render offline: warn
    (the build runs with warnings as errors) and ask for the formula as text."""
    from docutils import nodes
    from sphinx.util import logging

    for node in doctree.findall(lambda n: isinstance(n, nodes.math | nodes.math_block)):
        logging.getLogger(__name__).warning(
            "%s: math (%r) would load MathJax from a CDN; write the formula as text "
            "(Unicode: p̄, √, ², z₁₋β)",
            docname,
            node.astext()[:60],
            location=node,
        )


def setup(app):
    os.environ["PIVOT_WORKBOOK"] = ":memory:"
    app.connect("html-page-context", _fix_page_context, priority=900)
    app.connect("doctree-resolved", _refuse_math)
    app.add_config_value("pivot_book_root", "", "env")
    app.add_config_value("pivot_edition", "learner", "env")
    app.connect("env-before-read-docs", _check_edition)
    app.connect("source-read", _gather_notes)
    for name, directive in _directives().items():
        app.add_directive(name, directive)
    app.add_role("pivot-minutes", _generated_role(minutes_text))
    app.add_role("pivot-coming", _generated_role(coming_text))
    app.add_role("pivot-pages", _generated_role(pages_text))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
