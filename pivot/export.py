"""The learner's keepsake: the whole workbook as Markdown and as a standalone HTML page.

In a notebook::

    from pivot import workbook
    workbook.export()

writes ``my-pivot-workbook.md`` and ``my-pivot-workbook.html`` to the current folder (or to
``PIVOT_EXPORT_DIR``) and shows a short message with links to both. The export has the course
title, the learner's name (``PIVOT_LEARNER`` or the login name), the date, and every exercise by
title in course order (read from ``_toc.yml`` and the notebooks; else the workbook's order),
with the learner's answers (item ids replaced by the items' titles from the course's data
sets), what the feedback said when the answer was saved, and every earlier attempt. A damaged
entry is named at the top of the export and the others are exported.

Learner text is escaped in the HTML and neutralised in the Markdown (no raw HTML, no
``javascript:`` links), so opening either file never runs anything. The HTML page has its CSS
inline, no script and no external resource, and prints one answer per block (``@media print``,
no page break inside an answer).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import workbook as wb

__all__ = [
    "BASE_CSS",
    "COURSE_TITLE",
    "ExportResult",
    "build",
    "course_order",
    "export",
    "export_folder",
    "item_titles",
    "link_html",
    "safe_markdown",
    "standalone_html",
    "write_text",
]

COURSE_TITLE = "The Pivot"
FILE_STEM = "my-pivot-workbook"
ROOT = Path(__file__).resolve().parent.parent
#: Longest item title written in place of an id (the statements are full sentences).
MAX_TITLE_CHARS = 120

_LEVEL_WORDS = {"good": "Good", "info": "Note", "warn": "Check", "error": "Problem"}

# data set: (id column, title column, keep the id in brackets after the title)
_TITLE_SOURCES = {
    "backlog": ("item_id", "title", True),
    "problem_or_solution": ("statement_id", "statement", True),
    "risk_concerns": ("concern_id", "concern", True),
    "stakeholder_requests": ("request_id", "request", True),
    "pain_point_reference": ("pain_point", "label", False),
    "customers": ("customer_id", "company", True),
    "self_assessment": ("item_id", "short", True),
}


# --- what goes into an export ------------------------------------------------------------------
@dataclass
class Attempt:
    label: str
    markdown: str
    feedback: list[dict[str, Any]]


@dataclass
class Section:
    exercise_id: str
    title: str
    attempts: list[Attempt] = field(default_factory=list)


@dataclass
class Document:
    learner: str
    date: str
    sections: list[Section]
    not_started: list[str]
    problems: list[str]


def item_titles() -> dict[str, str]:
    """``{id: how it reads in an export}`` for the items of the course's data sets.

    ``B03`` becomes ``Live map of every truck (B03)``; a pain-point key becomes its label.
    A data set that cannot be read is skipped (its ids stay as they are).
    """
    from . import data

    names: dict[str, str] = {}
    for dataset, (id_col, title_col, keep_id) in _TITLE_SOURCES.items():
        try:
            frame = data.load(dataset)
            pairs = zip(frame[id_col], frame[title_col], strict=True)
        except Exception:  # a damaged or missing data set must not stop the export
            continue
        for key, title in pairs:
            text = " ".join(str(title).split())
            if len(text) > MAX_TITLE_CHARS:
                text = text[: MAX_TITLE_CHARS - 1].rstrip() + "…"
            names[str(key)] = f"{text} ({key})" if keep_id else text
    return names


def course_order(root: Path | None = None) -> list[tuple[str, str]]:
    """``[(exercise id, title)]`` in the order of the book's table of contents.

    Reads ``_toc.yml`` and, in each notebook it lists, the exercise classes the code cells
    call. ``[]`` when the course files are not there (an installed package without the book).
    """
    root = ROOT if root is None else root
    try:
        toc = (root / "_toc.yml").read_text(encoding="utf-8")
        from . import exercises
    except Exception:
        return []
    classes = {name: getattr(exercises, name) for name in getattr(exercises, "__all__", [])}
    order: list[tuple[str, str]] = []
    seen: set[str] = set()
    for file in re.findall(r"^\s*-?\s*file:\s*(\S+)", toc, flags=re.MULTILINE):
        notebook = root / f"{file}.ipynb"
        try:
            cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        code = "\n".join(
            "".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code"
        )
        for name in re.findall(r"\b([A-Z][A-Za-z0-9_]*)\s*\(", code):
            cls = classes.get(name)
            exercise_id = getattr(cls, "exercise_id", None)
            if isinstance(exercise_id, str) and exercise_id not in seen:
                seen.add(exercise_id)
                order.append((exercise_id, str(getattr(cls, "title", exercise_id))))
    return order


def build(
    workbook: wb.Workbook,
    *,
    learner: str | None = None,
    today: dt.date | None = None,
    order: list[tuple[str, str]] | None = None,
    titles: Mapping[str, str] | None = None,
) -> Document:
    """Collect what an export shows; a damaged entry goes to ``problems``, not to an error."""
    entries = workbook.entries()
    order = course_order() if order is None else order
    titles = item_titles() if titles is None else titles
    course_titles = dict(order)
    ids = [i for i, _ in order if i in entries] + [i for i in entries if i not in course_titles]
    sections: list[Section] = []
    problems: list[str] = []
    for exercise_id in ids:
        entry = entries[exercise_id]
        try:
            section = _section(exercise_id, entry, course_titles, titles)
        except ValueError as exc:
            problems.append(f"'{exercise_id}' could not be exported: {exc}.")
            continue
        if section.attempts:
            sections.append(section)
    done = {s.exercise_id for s in sections}
    not_started = [title for i, title in order if i not in done]
    return Document(
        learner=_learner() if learner is None else learner,
        date=(today or dt.date.today()).isoformat(),
        sections=sections,
        not_started=not_started,
        problems=problems,
    )


def _section(
    exercise_id: str, entry: Any, course_titles: Mapping[str, str], titles: Mapping[str, str]
) -> Section:
    if not isinstance(entry, Mapping):
        raise ValueError(f"the entry is {type(entry).__name__}, not an object")
    title = course_titles.get(exercise_id) or _text(entry.get("title"), "title") or exercise_id
    section = Section(exercise_id, title)
    earlier = entry.get("attempts", [])
    if not isinstance(earlier, list):
        raise ValueError(f"its earlier attempts are {type(earlier).__name__}, not a list")
    records = list(earlier)
    current = entry if entry.get("answer") is not None else None
    if current is None and not records:
        return section
    if not records:
        if _is_empty(entry):
            return section
        section.attempts.append(_attempt("My answer", entry, titles))
        return section
    for n, record in enumerate(records, 1):
        if not isinstance(record, Mapping):
            raise ValueError(f"attempt {n} is {type(record).__name__}, not an object")
        when = record.get("archived")
        label = f"Attempt {n}" + (f" (until {when})" if isinstance(when, str) and when else "")
        section.attempts.append(_attempt(label, record, titles))
    if current is not None:
        label = f"Attempt {len(records) + 1} (latest)"
        section.attempts.append(_attempt(label, current, titles))
    return section


def _is_empty(entry: Mapping[str, Any]) -> bool:
    """An entry with nothing to show (e.g. a part saved inside another exercise)."""
    return not entry.get("answer") and not entry.get("markdown") and not entry.get("title")


def _text(value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"its {what} is {type(value).__name__}, not text")
    return value


def _attempt(label: str, record: Mapping[str, Any], titles: Mapping[str, str]) -> Attempt:
    markdown = _text(record.get("markdown"), "summary")
    feedback = []
    panels = record.get("feedback", [])
    if not isinstance(panels, list):
        raise ValueError(f"its saved feedback is {type(panels).__name__}, not a list")
    for panel in panels:
        if not isinstance(panel, Mapping) or not isinstance(panel.get("messages", []), list):
            raise ValueError("its saved feedback is damaged")
        messages = []
        for m in panel.get("messages", []):
            if not isinstance(m, Mapping):
                raise ValueError("a saved feedback message is damaged")
            level = m.get("level")
            messages.append(
                {
                    "level": level if level in _LEVEL_WORDS else "info",
                    "text": _with_titles(_text(m.get("text"), "feedback text"), titles),
                    "detail": _with_titles(_text(m.get("detail"), "feedback detail"), titles),
                }
            )
        feedback.append(
            {
                "heading": _with_titles(_text(panel.get("heading"), "feedback heading"), titles),
                "messages": messages,
            }
        )
    return Attempt(label, _with_titles(markdown, titles), feedback)


def _learner() -> str:
    return os.environ.get("PIVOT_LEARNER", "").strip() or wb._login()


# --- ids to titles; Markdown that cannot carry HTML ---------------------------------------------
_TOKEN = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_]*(?![A-Za-z0-9_])")


def _with_titles(text: str, titles: Mapping[str, str]) -> str:
    """Replace item ids by their titles, except on a line that already shows that title.

    Quoted lines (``> …``) are the learner's own words and are left exactly as written.
    """
    if not text or not titles:
        return text
    out = []
    for line in text.split("\n"):
        if line.lstrip().startswith(">"):
            out.append(line)
            continue

        def swap(m: re.Match[str], line: str = line) -> str:
            name = titles.get(m.group(0))
            if name is None:
                return m.group(0)
            bare = name.rsplit(" (", 1)[0].rstrip("…")
            return m.group(0) if bare and bare in line else name.replace("|", "\\|")

        out.append(_TOKEN.sub(swap, line))
    return "\n".join(out)


_QUOTE_PREFIX = re.compile(r"^(?:[ \t]*>)*[ \t]*")


def safe_markdown(text: str) -> str:
    """Markdown with no raw HTML and no script links (``<`` and entity-like ``&`` escaped).

    A ``>`` that opens a blockquote at the start of a line is kept.
    """
    lines = []
    for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        prefix = _QUOTE_PREFIX.match(line).group(0)  # type: ignore[union-attr]
        rest = re.sub(r"&(?=#?[A-Za-z0-9]+;)", "&amp;", line[len(prefix) :]).replace("<", "&lt;")
        rest = re.sub(r"(?i)(java|vb)script:", r"\1script&#58;", rest)
        lines.append(prefix + rest)
    return "\n".join(lines).replace("\x00", "\ufffd")


# --- rendering ----------------------------------------------------------------------------------
def _feedback_markdown(feedback: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    for panel in feedback:
        if panel["heading"]:
            lines += [f"**Feedback:** {safe_markdown(_one_line(panel['heading']))}", ""]
        for m in panel["messages"]:
            detail = f" {m['detail']}" if m["detail"] else ""
            text = safe_markdown(_one_line(f"{m['text']}{detail}"))
            lines.append(f"- {_LEVEL_WORDS[m['level']]}: {text}")
        if panel["messages"]:
            lines.append("")
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_markdown(doc: Document) -> str:
    """The export as Markdown."""
    lines = [
        f"# {COURSE_TITLE}: my workbook",
        "",
        f"Learner: {safe_markdown(_one_line(doc.learner))}  ",
        f"Exported: {doc.date}",
        "",
    ]
    if doc.problems:
        lines += ["**Could not be exported** (the rest of the workbook is below):", ""]
        lines += [f"- {safe_markdown(_one_line(p))}" for p in doc.problems] + [""]
    if not doc.sections:
        lines += ["_No answers saved yet._", ""]
    for section in doc.sections:
        lines += [f"## {safe_markdown(_one_line(section.title))}", ""]
        for attempt in section.attempts:
            if len(section.attempts) > 1:
                lines += [f"### {attempt.label}", ""]
            lines += [safe_markdown(attempt.markdown).strip() or "_(no summary)_", ""]
            lines += _feedback_markdown(attempt.feedback)
    if doc.not_started:
        lines += ["## Not started yet", ""]
        lines += [f"- {safe_markdown(_one_line(t))}" for t in doc.not_started] + [""]
    return "\n".join(lines).rstrip() + "\n"


#: The stylesheet of every standalone page the course writes (the workbook export, the
#: portfolio): readable on screen, one block per answer on paper, no colour needed to read it.
BASE_CSS = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
  background: #fff; margin: 0; }
main { max-width: 48em; margin: 0 auto; padding: 1.5em 1em 3em; }
h1 { font-size: 1.8em; margin: 0 0 .2em; }
h2 { font-size: 1.35em; margin: 1.6em 0 .4em; border-bottom: 2px solid #0072B2;
  padding-bottom: .15em; }
h3 { font-size: 1.1em; margin: 1em 0 .3em; }
.meta { color: #333; margin: 0 0 1em; }
.attempt { border: 1px solid #ccc; border-radius: 4px; padding: .2em 1em .6em; margin: .8em 0; }
.problems { border-left: 4px solid #D55E00; background: #F7F7F7; padding: .3em 1em; }
.feedback { border-left: 4px solid #0072B2; background: #F7F7F7; padding: .3em .8em;
  margin: .6em 0 0; }
.feedback ul { margin: .2em 0; padding-left: 1.2em; }
.good { border-left-color: #009E73; } .warn { border-left-color: #E69F00; }
.error { border-left-color: #D55E00; }
table { border-collapse: collapse; margin: .5em 0; max-width: 100%; display: block;
  overflow-x: auto; }
th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #EEE; }
blockquote { margin: .5em 0; padding: .2em 1em; border-left: 4px solid #999; color: #222; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; }
p, li, td { overflow-wrap: anywhere; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .attempt, .feedback, table, blockquote { break-inside: avoid; page-break-inside: avoid; }
  table { display: table; overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"""
_CSS = BASE_CSS  # the name used before the portfolio shared it


def _markdown_to_html(text: str) -> str:
    """Render a fragment of (already neutralised) Markdown; raw HTML is never passed through."""
    try:
        from markdown_it import MarkdownIt
    except ImportError:  # pragma: no cover - markdown-it-py comes with the book's tools
        return f"<pre>{html.escape(text)}</pre>"
    renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    return renderer.render(text)


def render_html(doc: Document) -> str:
    """The export as one standalone HTML page (inline CSS, no script, no external resource)."""
    e = html.escape
    title = f"{COURSE_TITLE}: my workbook"
    body = [
        f"<h1>{e(title)}</h1>",
        f'<p class="meta">Learner: {e(doc.learner)}<br>Exported: {e(doc.date)}</p>',
    ]
    if doc.problems:
        items = "".join(f"<li>{e(p)}</li>" for p in doc.problems)
        body.append(
            '<section class="problems" aria-label="Could not be exported"><p><strong>Could not '
            f"be exported</strong> (the rest of the workbook is below):</p><ul>{items}</ul>"
            "</section>"
        )
    if not doc.sections:
        body.append("<p><em>No answers saved yet.</em></p>")
    for section in doc.sections:
        body.append(f"<section><h2>{e(section.title)}</h2>")
        for attempt in section.attempts:
            parts = ['<div class="attempt">']
            if len(section.attempts) > 1:
                parts.append(f"<h3>{e(attempt.label)}</h3>")
            answer = safe_markdown(attempt.markdown).strip() or "_(no summary)_"
            parts.append(_markdown_to_html(answer))
            for panel in attempt.feedback:
                levels = [m["level"] for m in panel["messages"]]
                worst = next((lv for lv in ("error", "warn", "good") if lv in levels), "")
                lis = "".join(
                    f"<li><strong>{_LEVEL_WORDS[m['level']]}:</strong> {e(m['text'])}"
                    + (f" {e(m['detail'])}" if m["detail"] else "")
                    + "</li>"
                    for m in panel["messages"]
                )
                heading = f"<p><strong>Feedback:</strong> {e(panel['heading'])}</p>"
                parts.append(
                    f'<div class="feedback {worst}">'
                    f"{heading if panel['heading'] else ''}"
                    f"{f'<ul>{lis}</ul>' if lis else ''}</div>"
                )
            parts.append("</div>")
            body.append("".join(parts))
        body.append("</section>")
    if doc.not_started:
        items = "".join(f"<li>{e(t)}</li>" for t in doc.not_started)
        body.append(f"<section><h2>Not started yet</h2><ul>{items}</ul></section>")
    return standalone_html(title, "\n".join(body))


def standalone_html(title: str, body: str, *, css: str = BASE_CSS) -> str:
    """One standalone HTML page: ``body`` (HTML written by the course, learner text already
    escaped) in ``<main>``, the CSS inline, no script and no external resource. ``title`` is
    escaped here."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n<main>\n"
        + body
        + "\n</main>\n</body>\n</html>\n"
    )


# --- writing and saying where -------------------------------------------------------------------
@dataclass(frozen=True)
class ExportResult:
    """Where the export went. In a notebook it shows as a short message with two links."""

    ok: bool
    message: str
    markdown_path: Path | None = None
    html_path: Path | None = None
    exercises: int = 0
    problems: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        e = html.escape
        if not self.ok or self.markdown_path is None or self.html_path is None:
            return f'<p role="status"><span aria-hidden="true">✖</span> {e(self.message)}</p>'
        links = " and ".join(
            link_html(p) for p in (self.html_path, self.markdown_path) if p is not None
        )
        noun = "exercise" if self.exercises == 1 else "exercises"
        extra = ""
        if self.problems:
            extra = (
                f"<br><strong>Check:</strong> {len(self.problems)} damaged "
                f"{'entry was' if len(self.problems) == 1 else 'entries were'} left out and "
                "named at the top of the file."
            )
        return (
            '<p role="status"><span aria-hidden="true">✔</span> Your workbook '
            f"({self.exercises} {noun}) was exported to {links}, in "
            f"<code>{e(str(self.html_path.parent))}</code>. Open the HTML file in a browser "
            f"to read or print it.{extra}</p>"
        )


def link_html(path: Path) -> str:
    """A link a notebook can follow (relative to the current folder), else the path as text."""
    e = html.escape
    try:
        rel = os.path.relpath(path, Path.cwd())
    except ValueError:  # another drive on Windows
        rel = ""
    if rel and not rel.startswith(".."):
        href = "/".join(rel.split(os.sep))
        return f'<a href="{e(href)}" target="_blank" rel="noopener"><code>{e(path.name)}</code></a>'
    return f"<code>{e(str(path))}</code>"


_link = link_html


_UNWRITABLE = re.compile(r"[\x00\ud800-\udfff]")


def write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8. A NUL or a lone surrogate (a browser can send one; UTF-8 cannot
    hold it) becomes U+FFFD, so the rest of the text is written rather than nothing. Raises
    ``OSError`` for a disk problem."""
    path.write_text(_UNWRITABLE.sub("\ufffd", text), encoding="utf-8")


def export_folder(folder: str | os.PathLike | None = None) -> Path:
    """Where an export goes: ``folder``, else ``PIVOT_EXPORT_DIR``, else the current folder."""
    if folder is not None:
        return Path(folder).expanduser()
    env = os.environ.get("PIVOT_EXPORT_DIR", "").strip()
    return Path(env).expanduser() if env else Path.cwd()


def export(
    folder: str | os.PathLike | None = None,
    *,
    workbook: wb.Workbook | None = None,
    learner: str | None = None,
    today: dt.date | None = None,
) -> ExportResult:
    """Write ``my-pivot-workbook.md`` and ``my-pivot-workbook.html``; never raises for the disk."""
    book = wb.current() if workbook is None else workbook
    doc = build(book, learner=learner, today=today)
    target = export_folder(folder)
    md_path, html_path = target / f"{FILE_STEM}.md", target / f"{FILE_STEM}.html"
    try:
        target.mkdir(parents=True, exist_ok=True)
        write_text(md_path, render_markdown(doc))
        write_text(html_path, render_html(doc))
    except OSError as exc:
        return ExportResult(
            False,
            f"Not exported: {exc.strerror or exc} ({target}). Your workbook is unchanged; "
            "pass another folder, e.g. workbook.export('~/Desktop').",
        )
    noun = "exercise" if len(doc.sections) == 1 else "exercises"
    message = (
        f"Your workbook ({len(doc.sections)} {noun}) was exported to {html_path} and {md_path}."
    )
    if doc.problems:
        message += f" {len(doc.problems)} damaged entries were left out: " + " ".join(doc.problems)
    return ExportResult(True, message, md_path, html_path, len(doc.sections), tuple(doc.problems))
