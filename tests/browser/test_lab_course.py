"""The course's JupyterLab, as `make lab` configures it: news prompt off, the course's own
notebooks hidden, the learner's working copy in their place."""

from __future__ import annotations

import pytest
from lab import assert_prose_shows_numbers_and_citations_not_keys, exercise_notebooks
from support import ROOT


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


# Exercise notebooks are checked as they open in test_lab.py (before Run All); the rest here.
PROSE_ONLY = [n for n in ALL_NOTEBOOKS if n not in exercise_notebooks()]


def test_every_notebook_is_checked_for_raw_keys():
    assert set(exercise_notebooks()) | set(PROSE_ONLY) == set(ALL_NOTEBOOKS)
    assert len(ALL_NOTEBOOKS) >= 11


if PROSE_ONLY:

    @pytest.mark.parametrize("notebook", PROSE_ONLY)
    def test_jupyterlab_shows_numbers_and_citations_not_keys(lab_page, lab, notebook):
        lab_page.goto(lab.notebook_url(notebook))
        assert_prose_shows_numbers_and_citations_not_keys(lab_page, notebook)
