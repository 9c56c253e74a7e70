"""The bibliography: every cited key exists, every entry is clean enough to show a reader.

Readers see book/references.bib through sphinxcontrib-bibtex. An entry that carries a note about
what could not be checked, or LaTeX markup that pybtex prints literally, reaches the page as it
is; a citation whose key is missing breaks the build or shows as a bare key. These tests read the
source files only (fast); the last one also reads the built page when a build exists.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pybtex.database import parse_string
from support import ROOT

BIB = ROOT / "book" / "references.bib"
REFERENCES_PAGE = ROOT / "book" / "references.md"

#: Entries allowed to have no year, each with the reason. sphinxcontrib-bibtex's author-year style
#: renders a missing year as "n.d." ("Rozenfeld, n.d."), which is what a reader should see when no
#: date could be confirmed.
NO_YEAR = {
    "rozenfeld2021pivot": "the IEEE-USA InSight page shows no date; the key keeps its old name "
    "because the notebooks cite it",
    "bedi_youproduct": "publisher and year of the book not confirmed",
    "cagan_assessing": "SVPG article without a confirmed date",
    "cagan_dualtrack": "SVPG article without a confirmed date",
    "scaledagile_wsjf": "SAFe web article, revised continuously, no fixed date",
    "johnson_scholes_ecs3": "the 3rd edition's exhibit 'adapted from Mendelow' is confirmed, its "
    "year is not",
    "bland_sprintkit": "Design Sprint Kit web page, no date shown",
    "mehta_peakpm": "Medium article; publication date not shown in any copy found",
    "champely_pwr": "R package documentation, revised with each release",
    "miller_samplesize": "web calculator, no date shown",
    "r_power_prop_test": "R documentation, revised with each release",
    "statsmodels_normalindpower": "statsmodels documentation, revised with each release",
}

#: Keys whose year names the thing, not its publication: the entry's year rightly differs.
KEY_YEAR_IS_NAME = {
    "bezos2016letter": "Amazon's 2016 letter to shareholders, published April 2017",
    "bezos2015letter": "Amazon's 2015 letter to shareholders, published April 2016",
}

#: Text that must never reach a reader: notes about checking, and LaTeX that renders literally.
FORBIDDEN = ("not confirmed", "unconfirmed", "todo", "\\emph", "\\textit", "``", "''")
LATEX_COMMAND = re.compile(r"\\[A-Za-z]+|\\[ ,;!]")

#: Citation roles as MyST writes them: {cite:p}`a,b`, {cite:t}`a`, {cite}`a`, {cite:ps}`a` ...
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
KEY_IN_NAME = re.compile(r"^[a-z]+(\d{4})[a-z]")


def cited_keys(text: str) -> set[str]:
    """Every bibliography key cited in a piece of MyST text."""
    keys = set()
    for group in CITE_ROLE.findall(text):
        keys.update(k.strip() for k in group.split(",") if k.strip())
    return keys


def raw_entries(bib_text: str) -> dict[str, str]:
    """Key -> the raw text of its entry, in file order; duplicate keys raise ValueError."""
    entries: dict[str, str] = {}
    starts = [m for m in re.finditer(r"^@(\w+)\s*\{\s*([^,\s]+)\s*,", bib_text, re.M)]
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(bib_text)
        key = m.group(2)
        if key in entries:
            raise ValueError(f"duplicate bibliography key {key!r}")
        entries[key] = bib_text[m.start() : end]
    return entries


def entry_problems(key: str, raw: str) -> list[str]:
    """What a reader would see wrongly in one entry (empty list when it is clean)."""
    body = "\n".join(line for line in raw.splitlines() if not line.lstrip().startswith("%"))
    problems = [f"{key}: contains {bad!r}" for bad in FORBIDDEN if bad in body.lower()]
    problems += [f"{key}: LaTeX command {cmd!r}" for cmd in LATEX_COMMAND.findall(body)]
    return sorted(set(problems))


def _sources() -> dict[Path, str]:
    """Text of every page and notebook cell that can cite: book/*.md and notebooks/**.ipynb."""
    texts = {p: p.read_text(encoding="utf-8") for p in sorted((ROOT / "book").glob("**/*.md"))}
    for nb_path in sorted((ROOT / "notebooks").glob("**/*.ipynb")):
        if ".ipynb_checkpoints" in nb_path.parts:
            continue
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        texts[nb_path] = "\n".join("".join(cell.get("source", "")) for cell in nb["cells"])
    return texts


@pytest.fixture(scope="module")
def bib_text() -> str:
    return BIB.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bib(bib_text):
    return parse_string(bib_text, "bibtex")


# --- the checks work (each must be able to fail) -------------------------------------------


def test_cited_keys_reads_every_citation_form():
    text = "A {cite:p}`a2001x, b2002y` and {cite:t}`c` and {cite}`d` but not `e` nor {term}`f`."
    assert cited_keys(text) == {"a2001x", "b2002y", "c", "d"}


def test_entry_problems_catch_latex_and_checking_notes():
    raw = "@misc{k,\n  note = {Chapter of \\emph{X}; year not confirmed, c.\\ 2016; ``q''}\n}\n"
    found = " ".join(entry_problems("k", raw))
    for expected in ("\\emph", "not confirmed", "``", "LaTeX command '\\\\ '"):
        assert expected in found, (expected, found)
    assert entry_problems("k", "@book{k,\n  title = {Plain “quoted” – dashed}\n}\n") == []


def test_raw_entries_refuse_duplicate_keys():
    with pytest.raises(ValueError, match="duplicate bibliography key 'k'"):
        raw_entries("@misc{k,\n title={a}\n}\n@book{k,\n title={b}\n}\n")


# --- the bibliography itself -----------------------------------------------------------------


def test_no_duplicate_keys(bib_text, bib):
    entries = raw_entries(bib_text)  # raises on a duplicate
    assert sorted(entries) == sorted(bib.entries.keys())


def test_every_cited_key_exists(bib):
    missing = {
        f"{path.relative_to(ROOT)}: {key}"
        for path, text in _sources().items()
        for key in cited_keys(text)
        if key not in bib.entries
    }
    assert not missing, "cited but not in book/references.bib: " + ", ".join(sorted(missing))


def test_no_entry_shows_latex_or_checking_notes(bib_text):
    problems = [p for key, raw in raw_entries(bib_text).items() for p in entry_problems(key, raw)]
    assert not problems, "\n".join(problems)


def test_every_entry_has_author_title_and_year_unless_allowed(bib):
    problems = []
    for key, entry in bib.entries.items():
        if not entry.persons.get("author"):
            problems.append(f"{key}: no author")
        if not entry.fields.get("title"):
            problems.append(f"{key}: no title")
        has_year = bool(entry.fields.get("year"))
        if not has_year and key not in NO_YEAR:
            problems.append(f"{key}: no year (add it, or list the key in NO_YEAR with a reason)")
        if has_year and key in NO_YEAR:
            problems.append(f"{key}: has a year now; remove it from NO_YEAR")
    assert not problems, "\n".join(problems)
    assert set(NO_YEAR) <= set(bib.entries), "NO_YEAR lists keys that are not in the file"


def test_a_year_in_a_key_is_the_entrys_year(bib):
    """A key such as kano1984attractive promises 1984; a reader's citation must say the same."""
    wrong = []
    for key, entry in bib.entries.items():
        m = KEY_IN_NAME.match(key)
        if key in NO_YEAR or key in KEY_YEAR_IS_NAME:
            continue
        if m and entry.fields.get("year") != m.group(1):
            wrong.append(f"{key}: year field {entry.fields.get('year')!r}")
    assert not wrong, "\n".join(wrong)


def test_references_page_lists_every_entry():
    """Citations elsewhere link to this page as plain text, so it must list all entries."""
    text = REFERENCES_PAGE.read_text(encoding="utf-8")
    directive = re.search(r":::\{bibliography\}(.*?):::", text, re.S)
    assert directive, "book/references.md has no bibliography directive"
    assert ":all:" in directive.group(1)


def test_glossary_terms_are_unique_and_reach_is_named_apart():
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    block = text[text.index(":::{glossary}") : text.rindex(":::")]
    terms = [line for line in block.splitlines()[1:] if line and not line.startswith(" ")]
    assert len(terms) == len(set(t.lower() for t in terms)), terms
    assert "Reach" not in terms, "one word, two meanings: use Customer reach / RICE reach"
    assert {"Customer reach", "RICE reach"} <= set(terms)


@pytest.mark.book
def test_built_references_page_shows_no_latex(built_book):
    html_dir, _ = built_book
    html = (html_dir / "book" / "references.html").read_text(encoding="utf-8")
    start = html.find('id="references"')
    text = re.sub(r"<[^>]+>", " ", html[start if start >= 0 else 0 :])
    commands = [c for c in LATEX_COMMAND.findall(text) if c not in ("\\n", "\\t")]
    assert not commands, f"LaTeX commands on the built references page: {commands}"
    for bad in ("not confirmed", "unconfirmed", "``"):
        assert bad not in text.lower(), bad
