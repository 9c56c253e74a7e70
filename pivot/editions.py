"""Two editions of the book from one source: the learner edition and the instructor edition.

What is for instructors only is marked once in the source, in one of two ways:

- **a page**: every page of the ``For instructors`` part of ``_toc.yml`` (the instructor guide,
  the schedules, the gathered instructor notes, the class view);
- **a note on a page**: a block ``:::{instructor-note}`` … ``:::`` that is the whole of its own
  Markdown cell (or, on a Markdown page, a block of its own).

``make book`` builds the learner edition into ``_build/html``: the ``For instructors`` part is
left out of its table of contents and every instructor note renders as nothing
(``book/_ext/pivot_book.py``; a learner build that is handed an instructor page stops with an
error). ``make instructor`` builds the instructor edition into ``_build/instructor/html``: every
page with its notes inline as an "Instructor note" box, and the instructor pages. Both editions
share one execution cache, so the second build renders without running the notebooks again.

The learners' copies of the notebooks (``make lab``, ``make hub``) are written without the
instructor notes: :func:`learner_notebook`.

    python -m pivot.editions build learner        # as `make book` does
    python -m pivot.editions build instructor     # as `make instructor` does
    python -m pivot.editions learner-tree --yes   # on a branch: the learners' copy, for nbgitpuller
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = ("learner", "instructor")
#: The caption of the _toc.yml part whose pages only the instructor edition has.
INSTRUCTOR_PART = "For instructors"
NOTE_OPEN = ":::{instructor-note}"
#: A whole instructor-note block: its opening line, its body, its closing fence.
NOTE_BLOCK = re.compile(r"^:::\{instructor-note\}[ \t]*\n(?P<body>.*?)^:::[ \t]*$", re.M | re.S)


def default_out(edition: str, root: Path = ROOT) -> Path:
    """Where an edition is built: ``_build`` (its HTML in ``_build/html``), or
    ``_build/instructor`` (``_build/instructor/html``)."""
    return root / "_build" if edition == "learner" else root / "_build" / "instructor"


# --- the table of contents ---------------------------------------------------------------------


def _toc(root: Path) -> dict:
    import yaml

    return yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))


def instructor_docs(root: Path = ROOT) -> list[str]:
    """The docnames of the ``For instructors`` part, as _toc.yml lists them."""
    for part in _toc(root).get("parts", []):
        if part.get("caption") == INSTRUCTOR_PART:
            return [c["file"] for c in part.get("chapters", [])]
    return []


def learner_toc(root: Path = ROOT) -> dict:
    """_toc.yml without the ``For instructors`` part."""
    toc = _toc(root)
    toc["parts"] = [p for p in toc.get("parts", []) if p.get("caption") != INSTRUCTOR_PART]
    return toc


def write_toc(edition: str, out: Path, root: Path = ROOT) -> Path:
    """The table of contents an edition is built from: _toc.yml itself for the instructor
    edition; for the learner edition, a copy without the instructor part in ``out``."""
    if edition == "instructor":
        return root / "_toc.yml"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "learner-toc.yml"
    text = yaml_text(learner_toc(root), "the learner edition's pages")
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


# --- instructor notes --------------------------------------------------------------------------


def is_instructor_note(cell: dict) -> bool:
    """A Markdown cell that holds one instructor note and nothing else."""
    source = "".join(cell.get("source", ""))
    if cell.get("cell_type") != "markdown":
        return False
    match = NOTE_BLOCK.match(source.strip() + "\n")
    return match is not None and match.end() >= len(source.strip())


def notes_in(text: str) -> list[str]:
    """The bodies of the instructor notes in a page's Markdown (or a notebook's Markdown cells
    joined), in order."""
    return [m["body"].strip() for m in NOTE_BLOCK.finditer(text)]


def misplaced_notes(path: Path) -> list[str]:
    """Where a notebook's instructor-note opening is not a cell of its own (it could not be
    left out of the learners' copies): ``["cell 7", ...]``."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        f"cell {i}"
        for i, cell in enumerate(cells)
        if NOTE_OPEN in "".join(cell.get("source", "")) and not is_instructor_note(cell)
    ]


def learner_notebook(text: str) -> str:
    """A notebook's JSON text without its instructor-note cells (the rest as it was)."""
    nb = json.loads(text)
    cells = nb.get("cells", [])
    kept = [c for c in cells if not is_instructor_note(c)]
    if len(kept) == len(cells):
        return text
    nb["cells"] = kept
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def learner_markdown(text: str) -> str:
    """A Markdown page without its instructor-note blocks."""
    return re.sub(r"\n*" + NOTE_BLOCK.pattern + r"\n?", "\n\n", text, flags=re.M | re.S)


def make_learner_tree(root: Path = ROOT) -> list[str]:
    """Turn a checkout into the learners' copy, in place, for a branch to hand out with
    nbgitpuller: the instructor pages deleted, the instructor notes taken out of every notebook
    and Markdown page. Returns what it changed. Run it on a branch of its own, never on main."""
    root = Path(root)
    changed = []
    for doc in instructor_docs(root):
        for ext in (".md", ".ipynb"):
            path = root / f"{doc}{ext}"
            if path.exists():
                path.unlink()
                changed.append(f"deleted {path.relative_to(root)}")
    (root / "_toc.yml").write_text(
        yaml_text(learner_toc(root), "the learners' copy: no instructor part"), encoding="utf-8"
    )
    for folder in ("notebooks", "book"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in (".ipynb", ".md") or ".ipynb_checkpoints" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            new = learner_notebook(text) if path.suffix == ".ipynb" else learner_markdown(text)
            if new != text:
                path.write_text(new, encoding="utf-8")
                changed.append(f"notes taken out of {path.relative_to(root)}")
    return changed


def yaml_text(data: dict, why: str) -> str:
    import yaml

    header = f"# Generated by pivot/editions.py from _toc.yml: {why}.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


# --- building ----------------------------------------------------------------------------------


def build(edition: str, out: Path | None = None, root: Path = ROOT) -> int:
    """Build one edition with warnings as errors and nitpicky references (as
    ``jupyter-book build -W -n --keep-going`` does); its HTML goes to ``out/html``.

    Both editions use the learner build's execution cache (``_build/.jupyter_cache``)."""
    from jupyter_book.sphinx import build_sphinx

    if edition not in EDITIONS:
        raise SystemExit(f"unknown edition {edition!r}: choose {' or '.join(EDITIONS)}")
    root = Path(root).resolve()
    out = Path(out).resolve() if out is not None else default_out(edition, root)
    cache_dir = out if edition == "learner" else out.parent
    toc = write_toc(edition, out, root)
    overrides = {
        "external_toc_path": toc.as_posix(),
        "nitpicky": True,
        "pivot_edition": edition,
        "nb_execution_cache_path": str(cache_dir / ".jupyter_cache"),
        "latex_individualpages": False,  # read by jupyter-book's configuration, as its CLI sets it
    }
    print(f"Building the {edition} edition into {out / 'html'}", flush=True)
    result = build_sphinx(
        root,
        out / "html",
        use_external_toc=True,
        noconfig=True,
        path_config=str(root / "_config.yml"),
        confoverrides=overrides,
        doctreedir=out / ".doctrees",
        warningiserror=True,
        keep_going=True,
    )
    if isinstance(result, Exception) or result:
        print(f"The {edition} edition did not build: {result!r}", file=sys.stderr)
        return 1
    print(f"The {edition} edition is built: open {out / 'html' / 'index.html'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m pivot.editions", description=__doc__.split("\n")[0]
    )
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build one edition of the book")
    b.add_argument("edition", choices=EDITIONS)
    b.add_argument("--out", type=Path, help="build folder (its HTML goes to OUT/html)")
    t = sub.add_parser(
        "learner-tree",
        help="turn this checkout into the learners' copy, in place (for a branch to hand out)",
    )
    t.add_argument("--yes", action="store_true", help="really change the files in place")
    args = ap.parse_args(argv)
    if args.command == "learner-tree":
        if not args.yes:
            print(
                "This deletes the instructor pages and notes from this checkout: run it on a "
                "branch of its own, with --yes.",
                file=sys.stderr,
            )
            return 2
        for line in make_learner_tree():
            print(line)
        return 0
    return build(args.edition, args.out)


if __name__ == "__main__":
    sys.exit(main())
