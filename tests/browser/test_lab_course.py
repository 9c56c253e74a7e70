"""The course's JupyterLab, as `make lab` configures it: news prompt off, the course's own
notebooks hidden, the learner's working copy in their place."""

from __future__ import annotations

import re

import pytest
from support import ROOT, screenshot

from pivot import prose


def test_news_prompt_is_off_by_the_course_settings(lab):
    settings = lab.api("/lab/api/settings/@jupyterlab/apputils-extension:notification")
    # JupyterLab merges the course's overrides.json into the schema's defaults
    defaults = settings["schema"]["properties"]
    assert defaults["fetchNews"]["default"] == "false"
    assert defaults["checkForUpdates"]["default"] is False


def test_the_learner_sees_their_working_copy_not_the_course_files(lab):
    names = {item["name"] for item in lab.api("/api/contents")["content"]}
    assert "my-notebooks" in names
    assert "notebooks" not in names
    start = lab.api("/api/contents/my-notebooks/00-start")
    assert any(i["name"] == "10-self-assessment.ipynb" for i in start["content"])


ALL_NOTEBOOKS = sorted(
    str(p.relative_to(ROOT))
    for p in (ROOT / "notebooks").rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)


def _keys(notebook: str) -> set[str]:
    """The glue keys and citation keys this notebook's prose depends on."""
    text = (ROOT / notebook).read_text(encoding="utf-8")
    keys = {prose.split_glue_key(m.group(1))[0] for m in prose.GLUE_MARK.finditer(text)}
    keys |= {m.group(1) for m in prose.GLUE_ROLE.finditer(text)}
    for m in list(prose.CITE_MARK.finditer(text)) + list(prose.CITE_ROLE.finditer(text)):
        keys |= {k.strip() for k in m.group(2).split(",")}
    return keys


@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS)
def test_jupyterlab_shows_numbers_and_citations_not_keys(lab_page, lab, notebook):
    """Opened in JupyterLab (jupyterlab-myst), before any cell runs, the prose shows every
    number and every citation as text: no glue key, no citation key, no warning sign."""
    page = lab_page
    page.goto(lab.notebook_url(notebook))
    page.locator(".jp-MarkdownCell .myst").first.wait_for(timeout=90_000)
    page.wait_for_timeout(1500)
    text = page.evaluate(
        "() => { document.querySelectorAll('details').forEach(d => d.open = true);"
        " return Array.from(document.querySelectorAll('.jp-MarkdownCell .myst'))"
        ".map(e => e.textContent).join('\\n'); }"
    )
    assert len(text) > 500, "the notebook's prose rendered"
    for raw in ("{glue", "{cite", "⚠"):
        assert raw not in text, f"{notebook}: {raw!r} shows in JupyterLab"
    visible = sorted(k for k in _keys(notebook) if re.search(rf"(?<![\w-]){re.escape(k)}\b", text))
    assert visible == [], f"{notebook}: keys shown instead of their text: {visible}"
    screenshot(page, "lab-prose-" + notebook.replace("/", "_").removesuffix(".ipynb"))
