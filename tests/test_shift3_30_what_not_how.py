"""notebooks/30-shift3/30-what-not-how.ipynb, driven headlessly as a learner would."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pivot import data
from pivot.exercises import WhatNotHow
from pivot.exercises.what_not_how import WorkedRequest, requests_table, speaker_label
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = data.load("stakeholder_requests").set_index("request_id")
STORY = "As a dispatcher, I want to know when a change went unseen, so that I can call in time."
CRITERIA = "Given I move a job, when it is unseen for 10 minutes, then I am told which technician."


@pytest.fixture
def ex(workbook_path):
    return WhatNotHow(Workbook(workbook_path))


def test_starts_by_naming_the_how_in_the_request(ex):
    assert ex.request.value == "R01"
    assert "not rewritten yet" in ex.feedback.heading
    assert "moving dot" in ex.feedback.text
    assert "Marcus Bell (VP of sales) asks" in ex.said.value


def test_a_good_rewrite_passes_every_check(ex):
    ex.request.value = "R02"
    ex.story.value = STORY
    ex.criteria.value = CRITERIA
    assert ex.feedback.heading == "R02: Checks passed: 4 of 4"
    assert "well done" in ex.feedback.text


def test_a_partly_right_rewrite_says_what_is_missing(ex):
    ex.story.value = "As a dispatcher, I want to answer arrival calls."
    ex.criteria.value = "Given a call, when I look, then I see an arrival window"
    text = ex.feedback.text
    assert "Checks passed: 3 of 4" in text
    assert "What for: Say what it is for: end with 'so that …'" in text


def test_the_request_copied_back_fails_with_reasons(ex):
    ex.story.value = REQUESTS.loc["R01", "request"]
    ex.criteria.value = "It should be fast and intuitive"
    text = ex.feedback.text
    assert "Checks passed: 0 of 4" in text
    assert "prescribes the how: moving dot" in text
    assert "'fast', 'intuitive' without saying by how much" in text
    assert "start with 'As a …'" in text


def test_rewrites_are_kept_per_request(ex):
    ex.story.value = "As a dispatcher, R01 story"
    ex.request.value = "R03"
    assert ex.story.value == "" and ex.criteria.value == ""
    ex.story.value = "As a technician, R03 story"
    ex.request.value = "R01"
    assert ex.story.value == "As a dispatcher, R01 story"


def test_reference_is_shown_on_request_and_escaped(ex):
    assert ex.reference.value == ""
    ex.show_reference.value = True
    assert "As a dispatcher" in ex.reference.value
    ex.story.value = "<script>alert(1)</script>"
    assert "<script>" not in ex.feedback.widget.value


def test_huge_text_refused_and_kept(ex):
    ex.story.value = "As a " + "w" * MAX_TEXT_CHARS
    assert "'User story R01' is" in ex.save_control.text
    assert "too long to check" in ex.feedback.heading
    assert len(ex.story.value) > MAX_TEXT_CHARS


def test_rewrites_survive_a_restart(ex, workbook_path):
    ex.request.value = "R02"
    ex.story.value = STORY
    ex.criteria.value = CRITERIA
    ex.reflection.value = "Our backlog says 'add a cron job'."
    again = WhatNotHow(Workbook(workbook_path))
    assert again.request.value == "R02" and again.story.value == STORY
    assert again.criteria.value == CRITERIA and "4 of 4" in again.feedback.heading
    assert again.reflection.value.startswith("Our backlog")
    md = Workbook(workbook_path).export_markdown()
    assert "so that I can call in time" in md
    # the export names the request, not only its id
    assert "**R02**, Sofia Reyes (customer success lead): “Add a red banner" in md


def test_damaged_save(workbook_path):
    Workbook(workbook_path).save(
        "shift3.what_not_how",
        {
            "current": "R99",
            "rewrites": {"R01": {"story": "As a x", "criteria": 5}, "R77": {}, "R03": "x"},
            "reflection": ["no"],
        },
    )
    ex = WhatNotHow(Workbook(workbook_path))
    status = ex.save_control.status.value
    for part in ("rewrite of R01", "rewrite of R77", "rewrite of R03", "reflection"):
        assert part in status
    assert ex.request.value == "R01"


def test_unreadable_save(workbook_path):
    Workbook(workbook_path).save("shift3.what_not_how", "nope")
    assert "starting afresh" in WhatNotHow(Workbook(workbook_path)).save_control.status.value


def test_worked_request_and_table():
    w = WorkedRequest("R02")
    assert w.row["speaker"] == "Sofia Reyes"
    html = w.table().to_html()
    assert ">Part</th>" in html and ">Text</th>" in html and "The how in it" in html
    html = requests_table().to_html()
    assert "websockets" in html and "R08" in html
    for header in ("Request", "Asked by", "The request as made", "The how the checker finds"):
        assert f">{header}</th>" in html
    assert "request_id" not in html and ">speaker<" not in html


def test_speakers_are_named_with_their_cast_role_or_their_company():
    assert speaker_label("Marcus Bell") == "Marcus Bell (VP of sales)"
    assert speaker_label("Aiko Tanaka") == "Aiko Tanaka (mobile engineer)"
    customers = data.load("customers").set_index("customer_id")
    c05 = customers.loc["C05"]
    assert speaker_label("C05") == f"{c05['contact_name']} (owner, {c05['company']})"
    for speaker in REQUESTS["speaker"]:
        assert speaker_label(speaker) != speaker  # every speaker is someone the case knows
    assert speaker_label("nobody") == "nobody"


def test_the_dropdown_names_who_asked(ex):
    labels = dict((v, lbl) for lbl, v in ex.request.options)
    assert labels["R04"].startswith("R04: Ben Adler (owner, ClearFlow Drains)")
    assert labels["R07"] == "R07: Aiko Tanaka (mobile engineer)"


# --- the page -------------------------------------------------------------------------------
def page_markdown() -> str:
    nb = json.loads((ROOT / "notebooks/30-shift3/30-what-not-how.ipynb").read_text("utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_page_has_an_answer_key_with_every_request_its_rewrite_and_why():
    text = page_markdown()
    start = text.index(":::{dropdown} Answer key")
    assert start > text.index("## Self-check")
    key = text[start : text.index("\n:::", start)]
    for rid, r in REQUESTS.iterrows():
        entry = key[key.index(f"**{rid}, ") :]
        assert entry.index(r["implementation_detail"]) < entry.index(r["reference_story"])
        assert r["reference_criteria"] in entry and r["request"] in entry, rid


def test_page_cites_the_story_and_criteria_templates_and_names_people_by_cast_role():
    text = page_markdown()
    assert "<!--cite:p cohn2004user-->" in text and "Connextra" in text
    assert "<!--cite:p north2006bdd-->" in text
    for wrong in ("tech lead", "operations lead", "head of sales", "Jonah, the"):
        assert wrong not in text, wrong
    # R07's proposer on the page is the one in the data
    assert f"{REQUESTS.loc['R07', 'speaker']}, the mobile engineer, proposes R07" in text
    assert re.search(r"\*\*Time:\*\* teaching \d+ min · exercise \d+ min", text)
