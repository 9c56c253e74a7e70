"""Notebooks are committed clean and thin, and every notebook is in the table of contents."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))
NOTEBOOKS = [p for p in NOTEBOOKS if ".ipynb_checkpoints" not in p.parts]


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
            files.extend(s["file"] for s in chapter.get("sections", []))
    return files


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found under notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.outputs or c.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them before committing"
    assert "widgets" not in nb.metadata, f"{path.name}: saved widget state in metadata"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_short_and_thin(path):
    nb = nbformat.read(path, as_version=4)
    assert 5 <= len(nb.cells) <= 40, f"{path.name}: {len(nb.cells)} cells (keep 5–40)"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 20, f"{path.name}: a long code cell"
            assert "pip install" not in cell.source
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_follows_the_chapter_skeleton(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in [
        ":::{admonition} Questions",
        ":::{admonition} Objectives",
        "**Time:**",
        "## Overview",
        "## Summary",
        ":::{admonition} Key points",
        "## Resources",
    ]:
        assert heading in text, f"{path.name}: missing {heading!r}"


def test_every_notebook_and_page_is_in_the_toc_and_every_toc_entry_exists():
    listed = toc_files()
    for entry in listed:
        matches = [ROOT / f"{entry}{ext}" for ext in (".md", ".ipynb")]
        assert any(m.exists() for m in matches), f"_toc.yml lists {entry}, which does not exist"
    for nb in NOTEBOOKS:
        assert str(nb.relative_to(ROOT).with_suffix("")) in listed, f"{nb} is not in _toc.yml"
    for page in (ROOT / "book").glob("*.md"):
        assert str(page.relative_to(ROOT).with_suffix("")) in listed, f"{page} not in _toc.yml"
