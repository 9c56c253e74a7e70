"""Write computed numbers and author–year citations into the course's prose (`make prose`).

Runs every notebook under notebooks/ (PIVOT_WORKBOOK=:memory:), collects what its code cells
glue, and rewrites the Markdown cells so that each ``<!--glue key-->…<!--/glue-->`` marker holds
the current value and each ``<!--cite:p key-->…<!--/cite-->`` the citation text from
book/references.bib (see pivot/prose.py). Any ``{glue:text}`` or ``{cite:…}`` role left in a
notebook or a book page becomes a marker. Outputs are never written back: notebooks stay clean.

    python tools/sync_prose.py            # everything
    python tools/sync_prose.py notebooks/30-shift3/10-prioritise-backlog.ipynb
    python tools/sync_prose.py --no-run   # citations only (no kernel)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402

from pivot import prose  # noqa: E402


def executed_values(path: Path) -> dict[str, str]:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    os.environ["PIVOT_WORKBOOK"] = ":memory:"
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    return prose.glued_values(nb)


def sync_notebook(path: Path, refs, run: bool) -> bool:
    nb = nbformat.read(path, as_version=4)
    values = executed_values(path) if run else None

    def glue(key: str, spec: str) -> str:
        if key not in values:
            raise SystemExit(f"{path.relative_to(ROOT)}: nothing glued as {key!r}")
        return prose.format_glue(values[key], spec)

    link = prose.references_link(path)
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        new = prose.sync_text(cell.source, glue=glue if run else None, refs=refs, link=link)
        for line in prose.markers_at_line_start(new):
            print(f"{path.relative_to(ROOT)}: starts with a marker, put a word first: {line[:70]}")
        if new != cell.source:
            cell.source = new
            changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


def sync_page(path: Path, refs) -> bool:
    text = path.read_text(encoding="utf-8")
    new = prose.sync_text(text, glue=None, refs=refs, link=prose.references_link(path))
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--no-run", action="store_true", help="citations only; do not run notebooks")
    args = ap.parse_args(argv)
    refs = prose.load_references()
    paths = [p.resolve() for p in args.paths] or (
        sorted(
            p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
        )
        + sorted((ROOT / "book").glob("*.md"))
    )
    for path in paths:
        if path.suffix == ".ipynb":
            changed = sync_notebook(path, refs, run=not args.no_run)
        else:
            changed = sync_page(path, refs)
        print(("updated  " if changed else "current  ") + str(path.relative_to(ROOT)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
