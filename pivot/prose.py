"""Numbers and citations written into the course's prose, so that they read right everywhere.

The prose of a page shows numbers computed by its code cells (myst-nb ``glue``) and citations
from ``book/references.bib``. Roles such as ``{glue:text}`key``` and ``{cite:p}`key``` are only
understood by the Sphinx build: in JupyterLab (jupyterlab-myst) a reader saw the bare key.
So the prose carries the rendered text itself, between two HTML comments that name its source::

    reach <!--glue wk_B01_reach-->540<!--/glue--> jobs
    as <!--cite:t cagan2017inspired-->[Cagan (2017)](../../book/references.md#ref-…)<!--/cite-->

Both renderers drop the comments and show the text. ``tools/sync_prose.py`` (``make prose``)
runs the notebooks, writes the current values between the markers and turns any new role
into a marker; the tests fail when a marker no longer holds what its source computes.

Pure functions only; nothing here imports the notebooks' kernels.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CITE_MARK",
    "CITE_ROLE",
    "GLUE_MARK",
    "GLUE_ROLE",
    "Reference",
    "anchor",
    "format_glue",
    "load_references",
    "markdown_escape",
    "markers_at_line_start",
    "render_citation",
    "sync_text",
]

ROOT = Path(__file__).resolve().parent.parent
REFERENCES_PAGE = ROOT / "book" / "references.md"
BIB = ROOT / "book" / "references.bib"

GLUE_ROLE = re.compile(r"\{glue:text\}`([^`]+)`")
GLUE_MARK = re.compile(r"<!--glue ([^\s>]+)-->(.*?)<!--/glue-->", re.S)
CITE_ROLE = re.compile(r"\{cite:(p|t)\}`([^`]+)`")
CITE_MARK = re.compile(r"<!--cite:(p|t) ([^\s>]+)-->(.*?)<!--/cite-->", re.S)

#: The id sphinxcontrib-bibtex gives each entry of the references page (``bibtex_cite_id`` in
#: _config.yml), before docutils normalises it (:func:`anchor`).
ANCHOR = "ref-{key}"


def anchor(key: str) -> str:
    """The HTML id of a bibliography entry on the references page."""
    from docutils.nodes import make_id

    return make_id(ANCHOR.format(key=key))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def markdown_escape(text: str) -> str:
    """Text that MyST (Sphinx and JupyterLab) shows as it is: Markdown's specials escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("&", "&amp;").replace("\n", " ")


def format_glue(text_plain: str, spec: str) -> str:
    """The text ``{glue:text}`key:spec``` shows for a glued ``text/plain`` value (myst-nb's
    own rule: the value is read back with ``literal_eval`` and formatted with ``spec``)."""
    from myst_nb.core.variables import format_plain_text

    return format_plain_text(text_plain, spec)


def split_glue_key(token: str) -> tuple[str, str]:
    """``"wk_score:.2f"`` -> ``("wk_score", ".2f")``; no spec -> ``(key, "")``."""
    key, sep, spec = token.partition(":")
    return key, spec if sep else ""


@dataclass(frozen=True)
class Reference:
    key: str
    authors: str  # as cited: "Cagan", "Cagan and Jones", "Mitchell et al.", "Scaled Agile"
    year: str  # "2017", or "n.d." when the source gives none


def _surnames(persons) -> list[str]:
    names = []
    for person in persons:
        last = " ".join(person.last_names) or " ".join(person.first_names)
        names.append(last.replace("{", "").replace("}", ""))
    return names


def load_references(path: Path = BIB) -> dict[str, Reference]:
    """Every entry of the bibliography, with the author text and year used to cite it."""
    from pybtex.database import parse_file

    data = parse_file(str(path), bib_format="bibtex")
    refs = {}
    for key, entry in data.entries.items():
        persons = entry.persons.get("author") or entry.persons.get("editor") or []
        names = _surnames(persons)
        if not names:
            org = entry.fields.get("organization") or entry.fields.get("publisher") or key
            names = [str(org).replace("{", "").replace("}", "")]
        if len(names) == 1:
            authors = names[0]
        elif len(names) == 2:
            authors = f"{names[0]} and {names[1]}"
        else:
            authors = f"{names[0]} et al."
        refs[key] = Reference(key, authors, str(entry.fields.get("year", "")).strip() or "n.d.")
    return refs


def references_link(source: Path) -> str:
    """The relative link from a page at ``source`` to the references page."""
    return Path(os.path.relpath(REFERENCES_PAGE, source.parent)).as_posix()


def render_citation(mode: str, keys: list[str], refs: Mapping[str, Reference], link: str) -> str:
    """A citation as author–year text with a link to its entry.

    ``mode`` ``"p"`` (parenthetical): ``(Cagan, 2017; Reinertsen, 2009)``;
    ``"t"`` (textual): ``Cagan (2017)`` — each linked to the references page."""
    parts = []
    for key in keys:
        if key not in refs:
            raise KeyError(f"citation key {key!r} is not in book/references.bib")
        ref = refs[key]
        target = f"{link}#{anchor(key)}"
        label = f"{ref.authors}, {ref.year}" if mode == "p" else f"{ref.authors} ({ref.year})"
        parts.append(f"[{markdown_escape(label)}]({target})")
    return "(" + "; ".join(parts) + ")" if mode == "p" else "; ".join(parts)


def sync_text(
    text: str,
    *,
    glue: Callable[[str, str], str] | None,
    refs: Mapping[str, Reference],
    link: str,
) -> str:
    """Turn roles into markers and refresh every marker's text.

    ``glue(key, spec)`` returns the text for a glued number (``None``: leave glue markers as
    they are, e.g. when the notebook was not run)."""

    def glue_text(token: str, old: str | None) -> str:
        if glue is None:
            return old if old is not None else token
        key, spec = split_glue_key(token)
        return markdown_escape(glue(key, spec))

    text = GLUE_ROLE.sub(
        lambda m: f"<!--glue {m.group(1)}-->{glue_text(m.group(1), None)}<!--/glue-->", text
    )
    text = GLUE_MARK.sub(
        lambda m: f"<!--glue {m.group(1)}-->{glue_text(m.group(1), m.group(2))}<!--/glue-->",
        text,
    )

    def cite(m: re.Match) -> str:
        mode, keys = m.group(1), [k.strip() for k in m.group(2).split(",") if k.strip()]
        return (
            f"<!--cite:{mode} {','.join(keys)}-->"
            f"{render_citation(mode, keys, refs, link)}<!--/cite-->"
        )

    text = CITE_ROLE.sub(cite, text)
    return CITE_MARK.sub(cite, text)


#: A line whose text starts with an HTML comment is an HTML block in CommonMark (and in MyST,
#: in Sphinx and in JupyterLab alike): the Markdown on that line is shown raw, links and all.
_LINE_START_MARK = re.compile(
    r"^[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d+[.)])[ \t]+)?<!--(?:glue|cite)", re.M
)


def markers_at_line_start(text: str) -> list[str]:
    """Lines that begin (after any list or quote marker) with a glue or cite marker. Put a
    word first: "On RICE: <!--cite…-->", not "<!--cite…--> on RICE"."""
    return [text[m.start() :].split("\n", 1)[0] for m in _LINE_START_MARK.finditer(text)]


def glued_values(executed_notebook: Mapping) -> dict[str, str]:
    """The ``text/plain`` of every value glued in an executed notebook (nbformat dict)."""
    values = {}
    for cell in executed_notebook.get("cells", []):
        for output in cell.get("outputs", []) or []:
            meta = (output.get("metadata") or {}).get("scrapbook") or {}
            name = meta.get("name")
            data = output.get("data") or {}
            # glue(..., display=False) stores its value under a prefixed MIME type
            mime = (meta.get("mime_prefix") or "") + "text/plain"
            if name and mime in data:
                plain = data[mime]
                values[name] = "".join(plain) if isinstance(plain, list) else plain
    return values
