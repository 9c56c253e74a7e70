"""Workshop handouts: per part of the course, a learner handout and the instructor's answer key.

``make handouts`` (or ``python -m pivot.handouts [--out DIR] [--no-pdf]``) writes, for every
part of ``_toc.yml`` that teaches (not "For instructors" or "Reference"), into
``_build/handouts/``:

- ``<part>.html`` and ``<part>.pdf``: the **learner handout**. For each page: its title, time,
  Questions and Objectives, each exercise's instructions and **the exercise as a static form**,
  the self-check questions, the reflection prompt and the key points. Never a folded solution
  (``{dropdown}``), an answer key or an instructor note (``{instructor-note}``).
- ``<part>-answer-key.html`` and ``.pdf``: the **answer key**, marked "For instructors": the
  part's *Answer keys* section of ``book/instructors.md``, then for each page its self-check
  questions with their solutions, its answer key and every other folded solution and
  instructor note on the page.
- ``index.html``: the files, with the number of printed pages of each PDF.

The parts, their pages and the pages' time lines come from the book's own parser
(``book/_ext/pivot_book.py``: :func:`course`, :func:`page_file`, :func:`parse_time`). A page
is read by its ``## `` sections (the structure every course notebook has). The static form is
built generically: the exercise's code cell is run headlessly (imports from ``pivot`` and one
call, nothing else, on an in-memory workbook) and its ipywidgets tree is walked: text widgets
give their (sanitised) text, choices an empty box per option, text boxes a ruled box sized by
their rows, buttons and feedback panels nothing (feedback is named once), file uploads a
sentence. A run of "label, then the same inputs" (a row per statement, person or backlog item)
becomes one table, and a long list of options used many times is printed once, as a legend.

The files are standalone: CSS inline (A4 print rules after :data:`pivot.export.BASE_CSS`), no
script, no font, image or any other external resource, links shown as their text; every text
is escaped, the Markdown rendered with raw HTML off. The same course gives byte-identical HTML
(no dates). PDFs are printed by Debian's Chromium through Playwright (never a downloaded
browser), one browser for all files.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import html
import importlib.util
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from . import export
from .portfolio import _h as h
from .prose import CITE_MARK, GLUE_MARK

__all__ = [
    "CHROMIUM",
    "DEFAULT_OUT",
    "Handout",
    "PageDoc",
    "answer_key_html",
    "build",
    "course_parts",
    "learner_html",
    "main",
    "read_page",
    "render_markdown",
    "sanitise_html",
    "static_form",
]

ROOT = export.ROOT
DEFAULT_OUT = Path("_build") / "handouts"
CHROMIUM = "/usr/bin/chromium"
COURSE = export.COURSE_TITLE
FOR_INSTRUCTORS = "For instructors"
#: Printed in the answer key's banner and footer on every page.
KEY_WARNING = "For instructors — answer key: do not hand out to learners"
FEEDBACK_NOTE = "Feedback on your answers appears here in JupyterLab."
UPLOAD_NOTE = "(upload a file in JupyterLab)"


# --- the book's own parser -------------------------------------------------------------------
def load_pivot_book(root: Path = ROOT):
    """book/_ext/pivot_book.py as a module (once per process), for code outside the build."""
    module = sys.modules.get("pivot_book")
    if module is not None and hasattr(module, "course"):
        return module
    spec = importlib.util.spec_from_file_location(
        "pivot_book", Path(root) / "book" / "_ext" / "pivot_book.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["pivot_book"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def course_parts(root: Path = ROOT) -> list[Any]:
    """The parts that teach, in the course's order (``pivot_book.Part``), with their pages."""
    pb = load_pivot_book(root)
    return pb.built_parts(pb.course(Path(root)))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "part"


# --- MyST blocks -----------------------------------------------------------------------------
_OPEN = re.compile(r"^(:{3,})\{([\w:.-]+)\}[ \t]*(.*)$")
_CLOSE = re.compile(r"^(:{3,})[ \t]*$")
_OPTION = re.compile(r"^:([\w-]+):[ \t]*(.*)$")
_FENCE = re.compile(r"^(`{3,}|~{3,})")


@dataclass(frozen=True)
class Directive:
    name: str
    argument: str
    options: tuple[tuple[str, str], ...]
    body: str


Block = str | Directive


def myst_blocks(text: str) -> list[Block]:
    """Markdown text split into plain Markdown and colon-fence directives (``:::{name}``)."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[Block] = []
    plain: list[str] = []
    i = 0
    fence = ""
    while i < len(lines):
        line = lines[i]
        if fence:  # inside a code fence: nothing is a directive
            plain.append(line)
            if line.startswith(fence):
                fence = ""
            i += 1
            continue
        code = _FENCE.match(line)
        if code:
            fence = code.group(1)
            plain.append(line)
            i += 1
            continue
        opened = _OPEN.match(line)
        if not opened:
            plain.append(line)
            i += 1
            continue
        colons = len(opened.group(1))
        nested: list[int] = []
        j = i + 1
        while j < len(lines):
            inner = _OPEN.match(lines[j])
            closed = _CLOSE.match(lines[j])
            if inner and len(inner.group(1)) < colons:
                nested.append(len(inner.group(1)))
            elif closed:
                count = len(closed.group(1))
                if nested and count >= nested[-1] and count < colons:
                    nested.pop()
                elif count >= colons:
                    break
            j += 1
        body = lines[i + 1 : j]
        options = []
        while body and (opt := _OPTION.match(body[0])):
            options.append((opt.group(1), opt.group(2).strip()))
            body = body[1:]
        if plain:
            out.append("\n".join(plain))
            plain = []
        out.append(
            Directive(opened.group(2), opened.group(3).strip(), tuple(options), "\n".join(body))
        )
        i = j + 1
    if plain:
        out.append("\n".join(plain))
    return out


def hidden_blocks(text: str, names: Iterable[str] = ("dropdown", "instructor-note")) -> list[str]:
    """The bodies of the given directives anywhere in ``text`` (nested ones included)."""
    wanted = set(names)
    found: list[str] = []
    for block in myst_blocks(text):
        if isinstance(block, Directive):
            if block.name in wanted:
                found.append(block.body)
            else:
                found.extend(hidden_blocks(block.body, wanted))
    return found


# --- Markdown -> HTML ------------------------------------------------------------------------
_ROLE = re.compile(r"\{([\w:.-]+)\}`([^`]*)`")
_LABEL_LINE = re.compile(r"^\([\w:.-]+\)=[ \t]*$", re.M)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_KBD = re.compile(r"<kbd>([^<`]{1,40})</kbd>")
_ADMONITIONS = {"note", "tip", "important", "warning", "caution", "attention", "hint", "seealso"}


def _role_text(name: str, content: str, root: Path) -> str:
    if name.startswith("pivot-"):
        pb = load_pivot_book(root)
        compute = {
            "pivot-minutes": pb.minutes_text,
            "pivot-pages": pb.pages_text,
            "pivot-coming": pb.coming_text,
        }.get(name)
        if compute is not None:
            try:
                return compute(pb.course(Path(root)), content.strip())
            except Exception:
                return content
    target = re.match(r"^(.*?)\s*<[^<>]*>$", content, re.S)  # {term}`text <target>`
    return target.group(1) if target and target.group(1) else content


def prose_text(text: str, root: Path = ROOT) -> str:
    """Markdown with the course's markers resolved to their visible text: glued numbers and
    citations (:mod:`pivot.prose`) as they read, roles as their text, comments dropped."""
    text = CITE_MARK.sub(lambda m: m.group(3), str(text))
    text = GLUE_MARK.sub(lambda m: m.group(2), text)
    text = _COMMENT.sub("", text)
    text = _LABEL_LINE.sub("", text)
    text = _ROLE.sub(lambda m: _role_text(m.group(1), m.group(2), root), text)
    return _KBD.sub(lambda m: f"`{m.group(1)}`", text)


def _renderer():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

    def nothing(self, tokens, idx, options, env):
        return ""

    def image(self, tokens, idx, options, env):
        return h(tokens[idx].content)

    def heading_open(self, tokens, idx, options, env):
        level = min(6, int(tokens[idx].tag[1]) + env.get("shift", 0))
        return f"<h{level}>"

    def heading_close(self, tokens, idx, options, env):
        level = min(6, int(tokens[idx].tag[1]) + env.get("shift", 0))
        return f"</h{level}>\n"

    for rule in ("link_open", "link_close"):  # links read as their text on paper
        md.add_render_rule(rule, nothing)
    md.add_render_rule("image", image)
    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("heading_close", heading_close)
    return md


_MD = None


def _markdown(text: str, shift: int) -> str:
    global _MD
    if _MD is None:
        _MD = _renderer()
    return _MD.render(text, {"shift": shift})


@dataclass
class Collected:
    """What a render left out of the learner's copy (for the answer key)."""

    dropdowns: list[tuple[str, str]] = field(default_factory=list)  # (title, body)
    notes: list[str] = field(default_factory=list)


def render_markdown(text: str, *, learner: bool = True, shift: int = 1, root: Path = ROOT) -> str:
    """MyST Markdown as safe HTML. For a learner, ``{dropdown}`` and ``{instructor-note}``
    blocks are left out entirely; otherwise they are shown as labelled boxes."""
    parts: list[str] = []
    for block in myst_blocks(text):
        if isinstance(block, str):
            if block.strip():
                parts.append(_markdown(prose_text(block, root), shift))
            continue
        name, body = block.name, block.body
        inner = "" if name.startswith("pivot-") else body
        if name in ("dropdown", "instructor-note"):
            if learner:
                continue
            label = block.argument or ("Instructor note" if name == "instructor-note" else "")
            cls = "note" if name == "instructor-note" else "solution"
            parts.append(
                f'<div class="{cls}">'
                + (f'<p class="box-title">{h(prose_text(label, root))}</p>' if label else "")
                + render_markdown(inner, learner=learner, shift=shift, root=root)
                + "</div>"
            )
            continue
        if name in ("admonition", *_ADMONITIONS):
            label = block.argument or (name.capitalize() if name != "admonition" else "")
            parts.append(
                '<div class="admonition">'
                + (f'<p class="box-title">{h(prose_text(label, root))}</p>' if label else "")
                + render_markdown(inner, learner=learner, shift=shift, root=root)
                + "</div>"
            )
            continue
        if name in ("table", "figure"):
            caption = prose_text(block.argument if name == "table" else body, root)
            if name == "figure":
                parts.append(f'<p class="figure-note">Figure: {h(caption.strip())}</p>')
                continue
            parts.append(
                f'<p class="caption">{h(caption)}</p>'
                + render_markdown(inner, learner=learner, shift=shift, root=root)
            )
            continue
        if inner.strip():  # any other directive: its content, if it has one
            parts.append(render_markdown(inner, learner=learner, shift=shift, root=root))
    return "".join(parts)


# --- pages -----------------------------------------------------------------------------------
@dataclass
class Section:
    """A ``## `` section of a page (the opening has the title ``""``): its items in order,
    ``("md", text)`` or ``("code", source)``."""

    title: str
    items: list[tuple[str, str]] = field(default_factory=list)

    @property
    def markdown(self) -> str:
        return "\n\n".join(text for kind, text in self.items if kind == "md")

    @property
    def kind(self) -> str:
        t = self.title.lower()
        for prefix, kind in (
            ("exercise", "exercise"),
            ("self-check", "self-check"),
            ("answer key", "answer-key"),
            ("reflection", "reflection"),
            ("key points", "key-points"),
            ("summary", "summary"),
        ):
            if t.startswith(prefix):
                return kind
        return "other"


def _split_h2(text: str) -> Iterator[tuple[str | None, str]]:
    """``(heading or None, text)`` pieces of Markdown, split at ``## `` outside fences."""
    current: list[str] = []
    heading: str | None = None
    depth = 0
    fence = ""
    for line in text.split("\n"):
        if fence:
            fence = "" if line.startswith(fence) else fence
        elif _FENCE.match(line):
            fence = _FENCE.match(line).group(1)  # type: ignore[union-attr]
        elif _OPEN.match(line):
            depth += 1
        elif _CLOSE.match(line) and depth:
            depth -= 1
        elif not depth and line.startswith("## "):
            yield heading, "\n".join(current)
            heading, current = line[3:].strip(), []
            continue
        current.append(line)
    yield heading, "\n".join(current)


@dataclass
class PageDoc:
    """One course page, read by its sections."""

    docname: str
    title: str
    time_line: str
    sections: list[Section]

    def of_kind(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]

    @property
    def opening(self) -> Section:
        return self.sections[0]

    def admonition(self, title: str) -> str:
        """The body of the opening's ``{admonition} <title>`` (Questions, Objectives)."""
        for s in self.sections:
            for block in myst_blocks(s.markdown):
                if (
                    isinstance(block, Directive)
                    and block.name == "admonition"
                    and block.argument.lower() == title.lower()
                ):
                    return block.body
        return ""

    @property
    def key_points(self) -> str:
        found = self.admonition("Key points")
        if found:
            return found
        return "\n\n".join(s.markdown for s in self.of_kind("key-points"))

    @property
    def exercises(self) -> list[tuple[Section, str | None]]:
        """Each exercise section with its widget cell (the first code cell after the text)."""
        out = []
        for s in self.of_kind("exercise"):
            code = next((src for kind, src in s.items if kind == "code"), None)
            out.append((s, code))
        return out


def read_page(path: Path, docname: str) -> PageDoc:
    """A course page (a notebook or a Markdown file) as its ``## `` sections."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        cells = [
            (c.get("cell_type"), "".join(c.get("source", "")))
            for c in json.loads(text).get("cells", [])
        ]
    else:
        cells = [("markdown", text)]
    sections = [Section("")]
    for kind, source in cells:
        if kind == "code":
            sections[-1].items.append(("code", source))
            continue
        if kind != "markdown":
            continue
        for heading, chunk in _split_h2(source.replace("\r\n", "\n")):
            if heading is not None:
                sections.append(Section(heading))
            if chunk.strip():
                sections[-1].items.append(("md", chunk))
    opening = sections[0].markdown
    title = next(
        (line[2:].strip() for line in opening.split("\n") if line.startswith("# ")),
        path.stem,
    )
    time_line = next(
        (line.strip() for line in opening.split("\n") if line.strip().startswith("**Time:**")),
        "",
    )
    return PageDoc(docname, title, time_line, sections)


def _all_markdown(page: PageDoc) -> str:
    return "\n\n".join(s.markdown for s in page.sections)


def answer_blocks(page: PageDoc) -> list[tuple[str, str]]:
    """``(label, Markdown)`` of everything on the page that is for instructors or folded away:
    every ``{dropdown}`` (labelled by its section and title) and every instructor note."""
    found: list[tuple[str, str]] = []
    for s in page.sections:
        for block in myst_blocks(s.markdown):
            if not isinstance(block, Directive):
                continue
            if block.name == "dropdown":
                where = s.title or "Opening"
                found.append((f"{where}: {block.argument or 'Solution'}", block.body))
            elif block.name == "instructor-note":
                found.append((f"Instructor note ({s.title or 'opening'})", block.body))
            else:
                for body in hidden_blocks(block.body, ("instructor-note",)):
                    found.append((f"Instructor note ({s.title or 'opening'})", body))
    return found


# --- the exercise, headless ------------------------------------------------------------------
def _safe_call(source: str):
    """The exercise a widget cell makes: ``from pivot… import X`` lines and one call whose
    arguments are literals. Anything else is not run (``None``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    if not tree.body:
        return None
    *body, last = tree.body
    for node in body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "pivot":
            continue
        return None
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
        return None
    call = last.value
    if not isinstance(call.func, ast.Name):
        return None
    try:
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            ast.literal_eval(arg)
    except ValueError:
        return None
    return ast.Module(body=body, type_ignores=[]), ast.Expression(call)


@contextlib.contextmanager
def _in_memory_workbook():
    """Exercises built here read and write an empty in-memory workbook, as in the book build."""
    from . import workbook as wb

    saved_env = os.environ.get("PIVOT_WORKBOOK")
    saved = wb._current
    os.environ["PIVOT_WORKBOOK"] = wb.MEMORY
    wb._current = wb.Workbook(None)
    try:
        yield
    finally:
        wb._current = saved
        if saved_env is None:
            os.environ.pop("PIVOT_WORKBOOK", None)
        else:
            os.environ["PIVOT_WORKBOOK"] = saved_env


def build_exercise(source: str):
    """The exercise object of a widget cell, or ``None`` when the cell is not one."""
    parsed = _safe_call(source)
    if parsed is None:
        return None
    body, call = parsed
    namespace: dict[str, Any] = {}
    with _in_memory_workbook():
        exec(compile(body, "<exercise cell>", "exec"), namespace)
        return eval(compile(call, "<exercise cell>", "eval"), namespace)


# --- sanitising widget HTML ------------------------------------------------------------------
_KEEP = {
    "p", "br", "strong", "b", "em", "i", "q", "ul", "ol", "li", "code", "kbd", "blockquote",
    "table", "caption", "thead", "tbody", "tr", "th", "td", "sub", "sup", "small",
}  # fmt: skip
_AS_P = {"h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "header", "figcaption"}
_DROP = {"script", "style", "svg", "math", "template", "iframe", "object", "noscript", "button"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source"}


class _Sanitiser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []
        self.dropping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.dropping:
            if tag not in _VOID:
                self.dropping.append(tag)
            return
        if tag in _DROP:
            self.dropping.append(tag)
        elif tag in _KEEP:
            if tag == "br":
                self.out.append("<br>")
            else:
                self.out.append(f"<{tag}>")
                self.stack.append(tag)
        elif tag in _AS_P and "p" not in self.stack:
            self.out.append("<p>")
            self.stack.append("p")
            self.stack.append(f"/{tag}")  # closes the <p> it opened

    def handle_startendtag(self, tag, attrs):
        if not self.dropping and tag == "br":
            self.out.append("<br>")

    def handle_endtag(self, tag):
        if self.dropping:
            self.dropping.pop()
            return
        marker = f"/{tag}" if tag in _AS_P else tag
        if marker not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            if top == marker:
                if marker.startswith("/"):
                    self.stack.pop()
                    self.out.append("</p>")
                else:
                    self.out.append(f"</{top}>")
                break
            if not top.startswith("/"):
                self.out.append(f"</{top}>")

    def handle_data(self, data):
        if not self.dropping:
            self.out.append(h(data))

    def result(self) -> str:
        self.close()
        while self.stack:
            top = self.stack.pop()
            if top.startswith("/"):
                continue
            self.out.append(f"</{top}>")
        return "".join(self.out)


def sanitise_html(markup: str) -> str:
    """HTML reduced to a few simple tags without attributes; scripts, styles and SVG dropped;
    all text escaped."""
    parser = _Sanitiser()
    parser.feed(str(markup or ""))
    return parser.result()


def _visible_text(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", sanitise_html(markup))))


# --- the static form -------------------------------------------------------------------------
@dataclass
class Text:
    html: str


@dataclass
class Choice:
    description: str
    labels: tuple[str, ...]
    multiple: bool = False


@dataclass
class Line:
    description: str
    hint: str = ""
    short: bool = False


@dataclass
class Box:
    description: str
    rows: int
    hint: str = ""


@dataclass
class Check:
    description: str


@dataclass
class Note:
    text: str


@dataclass
class Row:
    items: list[Any]


@dataclass
class Group:
    title: str
    items: list[Any]


_PLACEHOLDER_OPTION = re.compile(r"^\s*—.*—\s*$")


def _options(widget) -> tuple[str, ...]:
    labels = getattr(widget, "_options_labels", None)
    values = getattr(widget, "_options_values", None)
    if labels is None:
        labels = tuple(str(o if isinstance(o, str) else o[0]) for o in widget.options)
        values = tuple(o if isinstance(o, str) else o[1] for o in widget.options)
    kept = []
    for label, value in zip(labels, values or labels, strict=False):
        label = str(label)
        if _PLACEHOLDER_OPTION.match(label) or (isinstance(value, str) and value == ""):
            continue  # "— choose a step —", "Not yet": the state before an answer
        kept.append(label)
    return tuple(kept)


def _hidden(widget) -> bool:
    layout = getattr(widget, "layout", None)
    return bool(
        layout is not None
        and (getattr(layout, "display", None) == "none" or layout.visibility == "hidden")
    )


def _describe(widget) -> str:
    return str(getattr(widget, "description", "") or "").strip()


def _placeholder(widget) -> str:
    """A text box's hint (ipywidgets' default placeholder is a zero-width space)."""
    return str(getattr(widget, "placeholder", "") or "").replace("\u200b", "").strip()


def _form_items(widget, panels: set[int], state: dict[str, bool]) -> list[Any]:
    """The printable items of a widget tree, in order (see the module docstring)."""
    import ipywidgets as W
    from ipywidgets.widgets.widget_selection import _MultipleSelection, _Selection

    if _hidden(widget):
        return []
    if id(widget) in panels or (
        isinstance(widget, W.HTML) and 'class="pivot-feedback"' in str(widget.value)
    ):
        if state.get("feedback"):
            return []
        state["feedback"] = True
        return [Note(FEEDBACK_NOTE)]
    if isinstance(widget, (W.Tab, W.Accordion)):
        titles = list(getattr(widget, "titles", ()) or ())
        out = []
        for n, child in enumerate(widget.children):
            title = titles[n] if n < len(titles) and titles[n] else ""
            inner = _form_items(child, panels, state)
            if inner:
                out.append(Group(str(title), inner))
        return out
    if isinstance(widget, W.Box):
        items = [i for c in widget.children for i in _form_items(c, panels, state)]
        inputs = [i for i in items if not isinstance(i, (Text, Note))]
        if isinstance(widget, W.HBox) and len(inputs) >= 2 and len(inputs) == len(items):
            return [Row(items)]
        return items
    if isinstance(widget, (W.Button, W.Output, W.Valid)):
        return []
    if isinstance(widget, W.FileUpload):
        return [Note(f"{_describe(widget) or 'Upload'}: {UPLOAD_NOTE}")]
    if isinstance(widget, (W.HTML, W.HTMLMath, W.Label)):
        value = str(widget.value or "")
        if isinstance(widget, W.Label):
            return [Text(f"<p>{h(value)}</p>")] if value.strip() else []
        if (
            "<svg" in value
            and not _visible_text(re.sub(r"<svg.*?</svg>", "", value, flags=re.S)).strip()
        ):
            return []  # a chart of the answers: drawn in JupyterLab
        clean = sanitise_html(value)
        return [Text(clean)] if _visible_text(value).strip() else []
    if isinstance(widget, (_Selection, _MultipleSelection)):
        labels = _options(widget)
        if isinstance(widget, (W.SelectionSlider, W.SelectionRangeSlider)) and labels:
            return [Choice(_describe(widget), labels)]
        return [Choice(_describe(widget), labels, multiple=isinstance(widget, _MultipleSelection))]
    if isinstance(widget, (W.Checkbox, W.ToggleButton)):
        return [Check(_describe(widget))]
    if isinstance(widget, W.Textarea):
        rows = int(getattr(widget, "rows", None) or 3)
        return [Box(_describe(widget), max(2, min(rows, 12)), _placeholder(widget))]
    if hasattr(widget, "min") and hasattr(widget, "max") and hasattr(widget, "value"):
        rng = f"from {_number(widget.min)} to {_number(widget.max)}"
        return [Line(_describe(widget), rng, short=True)]
    if isinstance(widget, (W.Text, W.Password, W.Combobox)):
        return [Line(_describe(widget), _placeholder(widget))]
    if hasattr(widget, "value") and (isinstance(widget, W.DOMWidget)):
        return [Line(_describe(widget), short=True)]
    return []


def _number(x: object) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


# Legends: a long option list used several times is printed once.
_CODE = re.compile(r"^([A-Za-z]{0,3}\d{1,3}[a-z]?)(?::|\.|,|\s[—–-])\s+(\S.*)$")
LEGEND_MIN_USES = 3
INLINE_CHARS = 48


@dataclass
class Legend:
    key: int
    name: str
    codes: tuple[str, ...]
    texts: tuple[str, ...]
    shown: bool = False


def _walk_items(items: list[Any]) -> Iterator[Any]:
    for item in items:
        if isinstance(item, (Row, Group)):
            yield from _walk_items(item.items)
        else:
            yield item


def _affix_name(descriptions: list[str]) -> str:
    """What a set of descriptions shares: 'DO power', 'RM power' -> 'power'; 'Step 1',
    'Step 2' -> 'Step'."""
    words = [d.split() for d in descriptions if d]
    if not words:
        return ""
    prefix = []
    for column in zip(*words, strict=False):
        if len(set(column)) != 1:
            break
        prefix.append(column[0])
    suffix = []
    for column in zip(*(list(reversed(w)) for w in words), strict=False):
        if len(set(column)) != 1:
            break
        suffix.insert(0, column[0])
    if len(words) == 1:
        return descriptions[0]
    best = " ".join(suffix) if len(" ".join(suffix)) >= len(" ".join(prefix)) else " ".join(prefix)
    return best.strip(" :,-")


def _legends(items: list[Any]) -> dict[tuple[str, ...], Legend]:
    uses: dict[tuple[str, ...], list[str]] = {}
    for item in _walk_items(items):
        if isinstance(item, Choice) and item.labels:
            uses.setdefault(item.labels, []).append(item.description)
    legends = {}
    for labels, descriptions in uses.items():
        long = sum(len(x) for x in labels) > INLINE_CHARS or len(labels) > 6
        if len(descriptions) < LEGEND_MIN_USES or not long:
            continue
        coded = [_CODE.match(x) for x in labels]
        if all(coded) and len({m.group(1) for m in coded}) == len(labels):  # type: ignore[union-attr]
            codes = tuple(m.group(1) for m in coded)  # type: ignore[union-attr]
            texts = tuple(m.group(2) for m in coded)  # type: ignore[union-attr]
        else:
            codes = tuple(str(n) for n in range(1, len(labels) + 1))
            texts = labels
        name = _affix_name(descriptions)
        if not name:  # 'My pick 1' … and 'Item to re-estimate': name it by its first users
            first = descriptions[0].split()[0]
            name = _affix_name([d for d in descriptions if d.split()[:1] == [first]])
        legends[labels] = Legend(len(legends) + 1, name or descriptions[0], codes, texts)
    return legends


BOX = '<span class="tick" aria-hidden="true">☐</span>'


def _legend_html(legend: Legend) -> str:
    rows = "".join(
        f'<li><span class="code">{h(c)}</span> {h(t)}</li>'
        for c, t in zip(legend.codes, legend.texts, strict=True)
    )
    short = " short" if sum(len(t) for t in legend.texts) <= 90 else ""
    how = "tick" if len(legend.codes) <= 8 else "write"
    return (
        f'<div class="legend{short}"><p class="legend-title">List {legend.key}: {h(legend.name)} '
        f"({how} the code)</p><ul>{rows}</ul></div>"
    )


def _choice_html(item: Choice, legends: dict, in_table: bool, show_description: bool) -> str:
    desc = (
        f'<span class="desc">{h(item.description)}</span> '
        if item.description and show_description
        else ""
    )
    extra = ' <span class="hint">(tick all that apply)</span>' if item.multiple else ""
    legend = legends.get(item.labels)
    if legend is not None:
        if len(legend.codes) <= 8:
            opts = "".join(f'<span class="opt">{BOX} {h(c)}</span>' for c in legend.codes)
            return f'<div class="field choice">{desc}{extra}<span class="opts">{opts}</span></div>'
        return (
            f'<div class="field choice">{desc}<span class="line inline"></span>'
            f' <span class="hint">(a code from list {legend.key})</span></div>'
        )
    if not item.labels:
        return f'<div class="field">{desc}<div class="line"></div></div>'
    compact = sum(len(x) for x in item.labels) <= INLINE_CHARS and len(item.labels) <= 6
    cls = "opts" if compact or in_table else "opts stack"
    opts = "".join(f'<span class="opt">{BOX} {h(x)}</span>' for x in item.labels)
    return f'<div class="field choice">{desc}{extra}<span class="{cls}">{opts}</span></div>'


def _item_html(item: Any, legends: dict, in_table: bool = False, show_description=True) -> str:
    if isinstance(item, Text):
        return f'<div class="form-text">{item.html}</div>'
    if isinstance(item, Note):
        return f'<p class="jl-note">{h(item.text)}</p>'
    if isinstance(item, Choice):
        return _choice_html(item, legends, in_table, show_description)
    desc = (
        f'<span class="desc">{h(item.description)}</span>'
        if getattr(item, "description", "") and show_description
        else ""
    )
    if isinstance(item, Check):
        return f'<div class="field">{BOX} {desc}</div>'
    if isinstance(item, Line):
        hint = f' <span class="hint">{h(item.hint)}</span>' if item.hint else ""
        cls = "line short" if item.short else "line"
        return f'<div class="field">{desc}{hint}<div class="{cls}"></div></div>'
    if isinstance(item, Box):
        hint = f' <span class="hint">{h(item.hint)}</span>' if item.hint else ""
        return (
            f'<div class="field">{desc}{hint}<div class="ruled" '
            f'style="height:{item.rows * 2}em"></div></div>'
        )
    if isinstance(item, Row):
        cells = "".join(f"<td>{_item_html(i, legends, True)}</td>" for i in item.items)
        return f'<table class="form-table"><tbody><tr>{cells}</tr></tbody></table>'
    if isinstance(item, Group):
        title = f'<p class="group-title">{h(item.title)}</p>' if item.title else ""
        return f'<div class="group">{title}{_items_html(item.items, legends)}</div>'
    raise TypeError(type(item).__name__)  # pragma: no cover


def _signature(item: Any) -> tuple:
    inputs = item.items if isinstance(item, Row) else [item]
    return tuple((type(i).__name__, getattr(i, "labels", None)) for i in inputs)


def _is_input(item: Any) -> bool:
    return isinstance(item, (Row, Choice, Line, Box, Check))


def _runs(items: list[Any]) -> Iterator[tuple[str, list[Any]]]:
    """Items with runs of ``label, inputs`` (the same inputs each time) grouped as tables."""
    i = 0
    while i < len(items):
        pairs = []
        j = i
        while (
            j + 1 < len(items)
            and isinstance(items[j], Text)
            and _is_input(items[j + 1])
            and not isinstance(items[j + 1], Box)
            and (not pairs or _signature(items[j + 1]) == _signature(pairs[0][1]))
        ):
            pairs.append((items[j], items[j + 1]))
            j += 2
        if len(pairs) >= 2:
            yield "table", pairs
            i = j
            continue
        rows = []
        j = i
        while (
            j < len(items)
            and isinstance(items[j], Row)
            and (not rows or _signature(items[j]) == _signature(rows[0]))
        ):
            rows.append(items[j])
            j += 1
        if len(rows) >= 2:
            yield "rows", rows
            i = j
            continue
        yield "item", [items[i]]
        i += 1


def _inputs(item: Any) -> list[Any]:
    return item.items if isinstance(item, Row) else [item]


#: Row labels longer than this on average (a person with their evidence) are printed above
#: their inputs rather than in a narrow first column.
STACK_LABEL_CHARS = 160


def _table_html(labels: list[Text] | None, rows: list[Any], legends: dict) -> str:
    columns = len(_inputs(rows[0]))
    names = [_affix_name([_describe_item(_inputs(r)[c]) for r in rows]) for c in range(columns)]
    before = []
    for row in rows:
        for item in _inputs(row):
            legend = legends.get(getattr(item, "labels", None))
            if legend is not None and not legend.shown:
                legend.shown = True
                before.append(_legend_html(legend))
    texts = [_visible_text(t.html) for t in labels] if labels is not None else []
    stacked = bool(texts) and sum(map(len, texts)) / len(texts) > STACK_LABEL_CHARS
    with_label = labels is not None and not stacked
    head = ""
    if any(names):
        first = '<th scope="col"></th>' if with_label else ""
        head = (
            "<thead><tr>"
            + first
            + "".join(f'<th scope="col">{h(n)}</th>' for n in names)
            + "</tr></thead>"
        )
    if with_label:
        first_width = 64 if columns == 1 else 42
        rest = (100 - first_width) / max(columns, 1)
        cols = f'<col style="width:{first_width}%">' + "".join(
            f'<col style="width:{rest:.1f}%">' for _ in range(columns)
        )
    else:
        cols = "".join(f'<col style="width:{100 / columns:.1f}%">' for _ in range(columns))
    body = []
    for n, row in enumerate(rows):
        cells = []
        if with_label:
            cells.append(f'<th scope="row" class="row-label">{labels[n].html}</th>')
        for c, item in enumerate(_inputs(row)):
            desc = _describe_item(item)
            show = (
                bool(desc)
                and not (names[c] and desc.endswith(names[c]) and len(desc) - len(names[c]) <= 6)
                and not (texts and desc in texts[n])
            )
            cells.append(f"<td>{_item_html(item, legends, True, show_description=show)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if stacked:
        return "".join(before) + "".join(
            f'<div class="item">{labels[n].html}<table class="form-table grid">'
            f"<colgroup>{cols}</colgroup>{head}<tbody>{tr}</tbody></table></div>"
            for n, tr in enumerate(body)
        )
    return (
        "".join(before)
        + f'<table class="form-table grid"><colgroup>{cols}</colgroup>{head}<tbody>'
        + "".join(body)
        + "</tbody></table>"
    )


def _describe_item(item: Any) -> str:
    return str(getattr(item, "description", "") or "")


def _items_html(items: list[Any], legends: dict) -> str:
    items = [
        item
        for n, item in enumerate(items)
        if not (
            isinstance(item, Text)
            and n + 1 < len(items)
            and _visible_text(item.html).strip() == _describe_item(items[n + 1]).strip() != ""
        )
    ]  # "Reason R1" printed above the box already labelled "Reason R1"
    out = []
    for kind, run in _runs(items):
        if kind == "table":
            out.append(_table_html([t for t, _ in run], [r for _, r in run], legends))
        elif kind == "rows":
            out.append(_table_html(None, run, legends))
        else:
            item = run[0]
            for inner in _walk_items([item]):
                legend = legends.get(getattr(inner, "labels", None))
                if legend is not None and not legend.shown:
                    legend.shown = True
                    out.append(_legend_html(legend))
            out.append(_item_html(item, legends))
    return "".join(out)


def static_form(exercise: Any) -> str:
    """The exercise's widgets as a printable form (HTML): see the module docstring."""
    widget = getattr(exercise, "widget", exercise)
    panels: set[int] = set()
    with contextlib.suppress(Exception):
        panels = {id(p.widget) for p in exercise.feedback_panels()}
    items = _form_items(widget, panels, {})
    legends = _legends(items)
    title = getattr(exercise, "title", "") or ""
    head = f'<p class="form-title">{h(title)}</p>' if title else ""
    return f'<div class="form" role="group">{head}{_items_html(items, legends)}</div>'


def form_inputs(form_html: str) -> int:
    """How many input boxes a static form has (ticks, lines and ruled boxes)."""
    return form_html.count("☐") + len(re.findall(r'class="(?:line|ruled)[ "]', form_html))


# --- the handouts ----------------------------------------------------------------------------
HANDOUT_CSS = """
main { max-width: 46em; }
table { display: table; width: 100%; table-layout: auto; overflow: visible; }
table.form-table { table-layout: fixed; }
th, td { overflow-wrap: anywhere; word-break: normal; }
pre, code { white-space: pre-wrap; overflow-wrap: anywhere; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .92em; }
header.cover { border-bottom: 3px solid #111; padding-bottom: .4em; margin-bottom: .8em; }
header.cover .kind { font-size: 1em; font-weight: bold; margin: 0 0 .2em; letter-spacing: .02em; }
header.cover h1 { margin: .1em 0 .2em; }
.banner { border: 3px solid #D55E00; padding: .3em .8em; font-weight: bold; margin: .5em 0 1em; }
nav.contents ol { margin: .2em 0; padding-left: 1.4em; } nav.contents li { margin: .1em 0; }
section.page > h2 { font-size: 1.35em; border-bottom: 2px solid #0072B2; margin-top: 1.4em; }
section.page h3 { font-size: 1.1em; margin: 1em 0 .3em; }
section.page h4, section.page h5 { font-size: 1em; margin: .8em 0 .2em; }
.time { color: #333; margin: .2em 0 .6em; }
.admonition, .solution, .note { border: 1px solid #888; border-left: 4px solid #0072B2;
  padding: .1em .8em .3em; margin: .5em 0; }
.solution { border-left-color: #009E73; } .note { border-left-color: #E69F00; }
.box-title { font-weight: bold; margin: .3em 0 .1em; }
.admonition ul, .solution ul, .note ul { margin: .2em 0; padding-left: 1.3em; }
.form { border: 1.5px solid #333; border-radius: 4px; padding: .3em .8em .6em; margin: .6em 0; }
.form-title { font-weight: bold; margin: .3em 0 .4em; font-size: 1.05em; }
.form-text p { margin: .4em 0 .2em; }
.field { margin: .35em 0; }
.desc { font-weight: bold; margin-right: .4em; }
.opts { display: inline; } .opt { display: inline-block; margin: .1em 1em .1em 0; }
.opts.stack { display: block; } .opts.stack .opt { display: block; margin: .15em 0 .15em 1em; }
.tick { font-family: "DejaVu Sans", sans-serif; font-size: 1.15em; }
.line { border-bottom: 1px solid #444; height: 1.7em; }
.line.short { width: 12em; max-width: 100%; }
.line.inline { display: inline-block; width: 7em; height: 1.2em; vertical-align: bottom; }
.ruled { border: 1px solid #444; box-sizing: border-box; width: 100%;
  background: repeating-linear-gradient(to bottom, #fff 0, #fff calc(2em - 1px),
    #bbb calc(2em - 1px), #bbb 2em); }
.hint { color: #444; font-style: italic; font-size: .9em; }
.jl-note { color: #333; font-style: italic; margin: .4em 0; }
.legend { border: 1px dashed #666; padding: .1em .7em .3em; margin: .5em 0; font-size: .95em; }
.legend-title { font-weight: bold; margin: .3em 0 .1em; }
.legend ul { list-style: none; padding-left: .2em; margin: .1em 0; }
.legend.short li { display: inline-block; margin-right: 1.4em; }
.legend.short .code { min-width: 0; margin-right: .2em; }
.code { display: inline-block; min-width: 2.4em; font-weight: bold; }
table.form-table { border-collapse: collapse; margin: .4em 0; }
table.form-table td, table.form-table th { border: 1px solid #bbb; padding: .2em .4em;
  vertical-align: top; font-weight: normal; text-align: left; background: #fff; }
table.form-table thead th { font-weight: bold; background: #EEE; }
table.form-table .row-label p { margin: .1em 0; }
table.form-table .opt { margin-right: .6em; }
table.form-table .desc { display: block; }
.item { margin: .6em 0 .9em; } .item p { margin: .3em 0 .2em; }
.group-title { font-weight: bold; margin: .6em 0 .2em; }
.figure-note, .caption { font-style: italic; color: #333; }
.answer-block { margin: .5em 0; } .answer-label { font-weight: bold; margin: .6em 0 .1em; }
ul.files li { margin: .3em 0; }
@page { size: A4; margin: 15mm 14mm 17mm; }
@media print {
  body { font-size: 10.5pt; color: #000; background: #fff; }
  main { max-width: none; padding: 0; }
  section.page.exercise-page { break-before: page; page-break-before: always; }
  section.page:first-of-type { break-before: auto; page-break-before: auto; }
  h1, h2, h3, h4, .box-title, .form-title, .legend-title, .answer-label, .desc {
    break-after: avoid; page-break-after: avoid; }
  tr, .field, .legend, .admonition, li, p, .ruled, .item { break-inside: avoid;
    page-break-inside: avoid; }
  .form, .solution, .note, table { break-inside: auto; page-break-inside: auto; }
  thead { display: table-header-group; }
  table.form-table thead th { background: #fff; }
}
"""


@dataclass
class Handout:
    """One file of the build."""

    part: str  # the part's caption
    kind: str  # "learner" or "key"
    html_path: Path
    pdf_path: Path | None = None
    pages: int | None = None

    @property
    def label(self) -> str:
        return "Learner handout" if self.kind == "learner" else "Answer key (for instructors)"


def _md(text: str, root: Path, *, learner: bool, shift: int = 2) -> str:
    return render_markdown(text, learner=learner, shift=shift, root=root)


def learner_page_html(page: PageDoc, root: Path = ROOT, forms: dict | None = None) -> str:
    """One page of a learner handout (no answers, no instructor notes)."""
    out = [f"<h2>{h(page.title)}</h2>"]
    if page.time_line:
        out.append(f'<div class="time">{_md(page.time_line, root, learner=True)}</div>')
    for name in ("Questions", "Objectives"):
        body = page.admonition(name)
        if body.strip():
            out.append(
                f'<div class="admonition"><p class="box-title">{h(name)}</p>'
                f"{_md(body, root, learner=True)}</div>"
            )
    for section, code in page.exercises:
        out.append(f"<h3>{h(prose_text(section.title, root))}</h3>")
        out.append(_md(section.markdown, root, learner=True, shift=2))
        form = (forms or {}).get(code) if code else None
        if form is None and code:
            form = _form_for(code)
        if form:
            out.append(form)
    for section in page.of_kind("self-check"):
        text = _md(section.markdown, root, learner=True, shift=2)
        if text.strip():
            out.append(f"<h3>{h(prose_text(section.title, root))}</h3>{text}")
    for section in page.of_kind("reflection"):
        out.append(f"<h3>{h(section.title)}</h3>{_md(section.markdown, root, learner=True)}")
    if page.key_points.strip():
        out.append(
            '<div class="admonition key-points"><p class="box-title">Key points</p>'
            f"{_md(page.key_points, root, learner=True)}</div>"
        )
    cls = "page exercise-page" if page.exercises else "page"
    return f'<section class="{cls}">{"".join(out)}</section>'


_FORMS: dict[str, str] = {}


def _form_for(code: str) -> str:
    """The static form of a widget cell (cached: the same cell gives the same form)."""
    if code not in _FORMS:
        try:
            exercise = build_exercise(code)
        except Exception as error:  # a broken exercise must not stop the other handouts
            exercise = None
            print(f"handouts: the exercise cell could not be built ({error!r})", file=sys.stderr)
        _FORMS[code] = (
            static_form(exercise)
            if exercise is not None
            else '<div class="form"><p class="jl-note">This exercise runs in JupyterLab.</p></div>'
        )
    return _FORMS[code]


def key_page_html(page: PageDoc, root: Path = ROOT) -> str:
    """One page of an answer key: self-check questions and solutions, the answer key, every
    other folded solution and every instructor note of the page."""
    out = [f"<h2>{h(page.title)}</h2>"]
    for section in page.of_kind("self-check"):
        questions = _md(section.markdown, root, learner=True)
        if questions.strip():
            out.append(f"<h3>{h(prose_text(section.title, root))}: the questions</h3>{questions}")
    blocks = answer_blocks(page)
    for label, body in blocks:
        cls = "note" if label.startswith("Instructor note") else "solution"
        out.append(
            f'<div class="{cls} answer-block"><p class="answer-label">{h(prose_text(label, root))}'
            f"</p>{_md(body, root, learner=False, shift=3)}</div>"
        )
    for section in page.of_kind("answer-key"):  # prose of the section outside its dropdowns
        rest = _md(section.markdown, root, learner=True, shift=3)
        if rest.strip():
            out.append(f'<div class="answer-block">{rest}</div>')
    if not blocks:
        out.append('<p class="jl-note">This page has no answer key: it has no exercise.</p>')
    return f'<section class="page">{"".join(out)}</section>'


def instructor_answer_keys(part_name: str, root: Path = ROOT) -> str:
    """The "### Answer keys" section of the part's "## Teaching …" section in the guide."""
    path = Path(root) / "book" / "instructors.md"
    if not path.exists():
        return ""
    wanted = re.compile(rf"(?<![\w-]){re.escape(part_name)}(?![\w-])", re.I)
    section: str | None = None
    for heading, chunk in _split_h2(path.read_text(encoding="utf-8")):
        if heading and heading.lower().startswith("teaching") and wanted.search(heading):
            section = chunk
            break
    if section is None:
        return ""
    match = re.search(r"^### Answer keys[ \t]*\n(.*?)(?=^### |\Z)", section, re.M | re.S)
    return match.group(1).strip() if match else ""


def _cover(kind: str, part: Any) -> str:
    question = getattr(part, "question", None)
    q = f"<p>{h(question)}</p>" if question else ""
    return (
        f'<header class="cover"><p class="kind">{h(COURSE)} · {h(kind)}</p>'
        f"<h1>{h(part.caption)}</h1>{q}</header>"
    )


def _contents(pages: list[PageDoc]) -> str:
    items = "".join(f"<li>{h(p.title)}</li>" for p in pages)
    return (
        f'<nav class="contents" aria-label="Pages"><p><strong>Pages</strong></p>'
        f"<ol>{items}</ol></nav>"
    )


def part_pages(part: Any, root: Path = ROOT) -> list[PageDoc]:
    pb = load_pivot_book(root)
    return [read_page(pb.page_file(Path(root), p.docname), p.docname) for p in part.pages]


def learner_html(part: Any, root: Path = ROOT, pages: list[PageDoc] | None = None) -> str:
    """The learner handout of a part, as one standalone HTML page."""
    pages = part_pages(part, root) if pages is None else pages
    body = [
        _cover("Learner handout", part),
        "<p>Work through each page's exercise on paper; in JupyterLab the same exercise gives "
        "feedback and saves your answers.</p>",
        _contents(pages),
        *(learner_page_html(p, root) for p in pages),
    ]
    title = f"{COURSE}: {part.caption} — learner handout"
    return export.standalone_html(title, "\n".join(body), css=export.BASE_CSS + HANDOUT_CSS)


def answer_key_html(part: Any, root: Path = ROOT, pages: list[PageDoc] | None = None) -> str:
    """The instructor's answer key of a part, as one standalone HTML page."""
    pages = part_pages(part, root) if pages is None else pages
    guide = instructor_answer_keys(part.name, root)
    guide_html = (
        _md(guide, root, learner=False, shift=1)
        if guide
        else "<p>The instructor guide has no separate answer keys for this part; each page's "
        "key is below.</p>"
    )
    body = [
        _cover(f"{FOR_INSTRUCTORS}: answer key", part),
        f'<p class="banner">{h(KEY_WARNING)}.</p>',
        '<section class="guide"><h2>From the instructor guide: answer keys</h2>'
        f"{guide_html}</section>",
        *(key_page_html(p, root) for p in pages),
    ]
    title = f"{COURSE}: {part.caption} — answer key ({FOR_INSTRUCTORS.lower()})"
    return export.standalone_html(title, "\n".join(body), css=export.BASE_CSS + HANDOUT_CSS)


def index_html(handouts: list[Handout]) -> str:
    rows = []
    for part in dict.fromkeys(x.part for x in handouts):
        files = []
        for x in (x for x in handouts if x.part == part):
            pdf = ""
            if x.pdf_path is not None:
                count = "" if x.pages is None else f" ({x.pages} page{'s' if x.pages != 1 else ''})"
                pdf = f', <a href="{h(x.pdf_path.name)}">{h(x.pdf_path.name)}</a>{count}'
            files.append(
                f'<li>{h(x.label)}: <a href="{h(x.html_path.name)}">{h(x.html_path.name)}</a>'
                f"{pdf}</li>"
            )
        rows.append(f"<li><strong>{h(part)}</strong><ul>{''.join(files)}</ul></li>")
    body = (
        f"<h1>{h(COURSE)}: workshop handouts</h1>"
        "<p>Per part, a learner handout (the exercises as forms to fill in on paper) and the "
        "instructor's answer key. Print the PDFs on A4, or print the HTML from a browser.</p>"
        f'<ul class="files">{"".join(rows)}</ul>'
    )
    return export.standalone_html(
        f"{COURSE}: workshop handouts", body, css=export.BASE_CSS + HANDOUT_CSS
    )


# --- PDF -------------------------------------------------------------------------------------
_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


def pdf_pages(data: bytes) -> int:
    """The number of pages of a PDF printed by Chromium (its page objects)."""
    return len(_PAGE.findall(data))


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return CHROMIUM if Path(CHROMIUM).exists() else None


def footer_template(text: str) -> str:
    return (
        '<div style="font-size:8pt;width:100%;text-align:center;color:#333;'
        f'font-family:DejaVu Sans,sans-serif;margin:0 14mm">{h(text)} · page '
        '<span class="pageNumber"></span> of <span class="totalPages"></span></div>'
    )


def footer_text(handout: Handout) -> str:
    if handout.kind == "key":
        return f"{COURSE} · {handout.part} · {KEY_WARNING}"
    return f"{COURSE} · {handout.part} · Learner handout"


def print_pdfs(handouts: list[Handout], browser: Any = None) -> None:
    """Print each handout's HTML to its PDF with Chromium (one browser for all of them; pass
    an open Playwright ``browser`` to reuse it). Requests outside the page are refused."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        exe = chromium_path()
        if exe is None:
            raise RuntimeError("Chromium is missing: apt-get install chromium (or use --no-pdf)")
        with sync_playwright() as p:
            launched = p.chromium.launch(
                executable_path=exe, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
            )
            try:
                print_pdfs(handouts, launched)
            finally:
                launched.close()
        return
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("data:", "about:")) else r.abort(),
        )
        for x in handouts:
            if x.pdf_path is None:
                continue
            page.set_content(x.html_path.read_text(encoding="utf-8"), wait_until="load")
            page.emulate_media(media="print")
            data = page.pdf(
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=footer_template(footer_text(x)),
                margin={"top": "15mm", "bottom": "17mm", "left": "14mm", "right": "14mm"},
            )
            x.pdf_path.write_bytes(data)
            x.pages = pdf_pages(data)
    finally:
        context.close()


# --- the build -------------------------------------------------------------------------------
def build(
    out: Path | str = DEFAULT_OUT,
    *,
    pdf: bool = True,
    root: Path | str = ROOT,
    browser: Any = None,
) -> list[Handout]:
    """Write every handout (and ``index.html``) into ``out``; see the module docstring."""
    root = Path(root)
    out = Path(out)
    if not out.is_absolute():
        out = Path.cwd() / out
    out.mkdir(parents=True, exist_ok=True)
    handouts: list[Handout] = []
    for part in course_parts(root):
        pages = part_pages(part, root)
        stem = slug(part.name)
        for kind, render, name in (
            ("learner", learner_html, f"{stem}.html"),
            ("key", answer_key_html, f"{stem}-answer-key.html"),
        ):
            path = out / name
            export.write_text(path, render(part, root, pages))
            handouts.append(
                Handout(part.caption, kind, path, path.with_suffix(".pdf") if pdf else None)
            )
    if pdf:
        print_pdfs(handouts, browser)
    export.write_text(out / "index.html", index_html(handouts))
    return handouts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pivot.handouts",
        description="Write the workshop handouts: per part, a learner handout and an answer key "
        "(standalone HTML and PDF, A4).",
    )
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder (default: %(default)s)")
    parser.add_argument("--no-pdf", action="store_true", help="write the HTML files only")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    handouts = build(args.out, pdf=not args.no_pdf)
    for x in handouts:
        pages = f" ({x.pages} pages)" if x.pages is not None else ""
        shown = x.pdf_path if x.pdf_path is not None else x.html_path
        print(f"{x.label:<30} {shown}{pages}")
    seconds = time.perf_counter() - started
    print(f"{len(handouts)} handouts and index.html in {Path(args.out)} ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
