"""notebooks/10-shift1/30-pain-point-map.ipynb, driven headlessly as a learner would."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from pivot import data
from pivot.exercises import PainPointMap
from pivot.exercises.pain_point_map import MAX_UPLOAD_BYTES, OWN, WorkedPainPointMap
from pivot.frameworks import discovery as d
from pivot.kit import MAX_TEXT_CHARS
from pivot.workbook import Workbook

INTERVIEWS = data.load("interviews")
REFERENCE = {
    r.snippet_id: (r.pain_point, None if r.pain_point == "none" else int(r.severity))
    for r in INTERVIEWS.itertuples(index=False)
}
NOTES = (
    b"id,who,what they said\n"
    b"N1,Acme,We lose an hour a day re-planning\n"
    b"N2,Acme,The app crashed twice\n"
    b"N3,Bolt,<b>bold</b> claims <script>x</script>\n"
)


@pytest.fixture
def ex(workbook_path):
    return PainPointMap(Workbook(workbook_path))


def code(ex, coding):
    """Code snippets the way a learner does: pick the customer, page through, set each row."""
    for cid, _label in [(v, k) for k, v in ex.customer.options]:
        ex.customer.value = cid
        while True:
            for row in ex.rows:
                if row["sid"] in coding:
                    key, sev = coding[row["sid"]]
                    row["key"].value = key
                    if sev is not None:
                        row["sev"].value = sev
            if ex.next.disabled:
                break
            ex.next.click()


def upload(ex, content, name="notes.csv"):
    ex.upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
        },
    )


def test_starts_empty_with_labelled_inputs_and_the_survey_table(ex):
    assert ex.customer.value == "C01" and ex.source.value == "course"
    shown = [r for r in ex.rows if r["sid"]]
    assert [r["sid"] for r in shown] == ["I01", "I02", "I03", "I04"]
    assert all(r["key"].description == f"{r['sid']} pain point" for r in shown)
    assert all(r["sev"].description == f"{r['sid']} severity" and r["sev"].disabled for r in shown)
    assert ex.feedback.heading == "Your pain-point map: nothing coded yet"
    assert ex.chart.value == ""
    assert "Opportunity scores from the customer survey" in ex.opportunities.value
    assert "15.4" in ex.opportunities.value
    assert ex.top_feedback.heading == "Your top three: not chosen yet"


def test_the_reference_coding_gives_the_reference_map(ex):
    code(ex, REFERENCE)
    text = ex.feedback.text
    assert "You have coded 39 of 39 snippets." in text
    assert (
        "Biggest so far: schedule changes not seen, customer reach 6 × mean severity 4.50 = 27.00"
        in text
    )
    assert "The most mentioned, late arrival calls (8 snippets), is not the biggest" in text
    assert "matches the reference on 39 of 39" in text
    svg = ET.fromstring(ex.chart.value)
    assert "schedule changes not seen: customer reach 6, mean severity 4.5, 6 snippets" in svg.get(
        "aria-label"
    )
    assert "late arrival calls: customer reach 4, mean severity 2.5, 8 snippets" in svg.get(
        "aria-label"
    )
    assert "Your pain points, ranked" in ex.table.value


def test_a_pain_point_without_a_severity_is_waiting_not_counted(ex):
    ex.rows[0]["key"].value = "schedule_changes_not_seen"
    assert not ex.rows[0]["sev"].disabled
    assert "now rate how much it hurts" in ex.rows[0]["note"].value
    assert "1 still need a severity" in ex.feedback.text
    ex.rows[0]["sev"].value = 5
    assert "matches the reference coding" in ex.rows[0]["note"].value
    assert "You have coded 1 of 39 snippets." in ex.feedback.text


def test_a_wrong_code_explains_the_reference(ex):
    ex.customer.value = "C02"
    row = ex.rows[0]  # I05, a map-view request; the problem underneath is late-arrival calls
    assert row["sid"] == "I05"
    row["key"].value = "customer_history_missing"
    row["sev"].value = 3
    assert "the reference codes this as late arrival calls" in row["note"].value
    assert "not the request itself" in row["note"].value
    assert "matches the reference on 0 of 1" in ex.feedback.text
    row["key"].value = "late_arrival_calls"
    row["sev"].value = 5
    assert "which rates it 3" in row["note"].value


def test_none_clears_and_disables_the_severity(ex):
    row = ex.rows[0]
    row["key"].value = "double_booking"
    row["sev"].value = 4
    row["key"].value = "none"
    assert row["sev"].value is None and row["sev"].disabled
    assert "Every snippet coded so far is 'none'" in ex.feedback.text


def test_paging_keeps_every_coding(ex):
    ex.customer.value = "C02"  # five snippets: one page
    assert ex.next.disabled and ex.prev.disabled
    ex.rows[0]["key"].value = "late_arrival_calls"
    ex.rows[0]["sev"].value = 3
    ex.customer.value = "C01"
    ex.customer.value = "C02"
    assert ex.rows[0]["key"].value == "late_arrival_calls" and ex.rows[0]["sev"].value == 3


def pick(ex, keys):
    for dd, key in zip(ex.top, keys, strict=True):
        dd.value = key


TOP = ["schedule_changes_not_seen", "offline_job_notes", "invoice_delay"]


def first_snippets(n):
    return dict(list(REFERENCE.items())[:n])


def test_widget_starts_empty_as_the_page_says(ex):
    assert ex.codings["course"] == {} and ex.complete_coding() == {}
    assert all(r["key"].value == "" for r in ex.rows)


def test_top_three_is_judged_against_the_learners_own_map_before_the_reference(ex):
    code(ex, first_snippets(11))  # C01 to C03, the worked example
    pick(ex, TOP)
    text = ex.top_feedback.text
    # the reference ranking is held back: 11 of 39 coded, 30 needed (75 %)
    assert "The reference ranking opens when you have coded 30 of the 39 snippets (75%)" in text
    assert "19 to go" in text
    assert "reference" not in ex.top_feedback.heading
    assert "Reference, #" not in text and "missing from your top three" not in text
    assert "The loudest pain point" not in text  # no reference rationale leaks
    # ... but each pick is judged against the learner's own map
    assert ex.top_feedback.heading.startswith("Your top three: ")
    assert "where your own map puts them" in ex.top_feedback.heading
    assert "your own map ranks it" in text


def test_own_map_feedback_names_what_the_learners_map_ranks_there(ex):
    code(ex, first_snippets(11))
    table = d.aggregate_pain_points(ex.complete_coding(), INTERVIEWS)
    ranked = list(table["pain_point"])
    pick(ex, ranked[:3])
    assert ex.top_feedback.heading.startswith("Your top three: 3 of 3 where your own map puts")
    pick(ex, [ranked[1], ranked[0], ranked[2]])
    text = ex.top_feedback.text
    assert ex.top_feedback.heading.startswith("Your top three: 1 of 3")
    assert "your own map ranks it #2" in text and "at #1" in text
    ex.top[2].value = "customer_history_missing"  # no snippet of C01-C03 is coded to it
    assert "not on your map yet" in ex.top_feedback.text


def test_reference_opens_at_three_quarters_of_the_snippets(ex):
    code(ex, first_snippets(29))
    pick(ex, TOP)
    assert "1 to go" in ex.top_feedback.text
    assert "Reference, #" not in ex.top_feedback.text
    code(ex, first_snippets(30))
    text = ex.top_feedback.text
    assert "You have coded 30 of 39 snippets, enough to compare" in text
    assert (
        "Reference, #1: Technicians miss schedule changes: the reference also ranks it #1" in text
    )
    assert "3 of 3 in the reference top three, 3 at the same position" in ex.top_feedback.heading


def test_top_three_right_partly_right_and_wrong_once_everything_is_coded(ex):
    code(ex, REFERENCE)
    pick(ex, TOP)
    assert ex.top_feedback.heading == (
        "Your top three: 3 of 3 where your own map puts them; 3 of 3 in the reference top "
        "three, 3 at the same position"
    )
    ex.top[0].value = "offline_job_notes"
    assert "same pain point twice" in ex.top_feedback.text
    ex.top[0].value = "late_arrival_calls"
    text = ex.top_feedback.text
    assert "outside the top three" in text and "The loudest pain point" in text
    assert "Technicians miss schedule changes (reference #1) is missing" in text
    assert "your own map ranks it #5" in text  # own map first, then the reference
    ex.top[1].value = "invoice_delay"
    ex.top[2].value = "offline_job_notes"
    assert "at #3 rather than #2" in ex.top_feedback.text


def test_own_notes_are_judged_against_their_own_map_only(ex):
    upload(ex, NOTES)
    ex.mapping["customer_id"].value = "who"
    ex.load_button.click()
    ex.rows[0]["key"].value = "double_booking"
    ex.rows[0]["sev"].value = 4
    ex.top[0].value = "double_booking"
    text = ex.top_feedback.text
    assert "your own map also ranks it #1" in text
    assert "Your own notes have no reference ranking" in text
    assert "Reference, #" not in text


def test_tables_in_the_widget_scroll_in_their_own_box(ex):
    code(ex, first_snippets(4))
    for html in (ex.opportunities.value, ex.table.value):
        assert html.startswith('<div class="pivot-scroll" style="overflow-x:auto')
    assert "appropriately served (below 10" in ex.opportunities.value
    o10 = ex.opportunities.value.split("O10")[1].split("</tr>")[0]  # scores 6.0
    assert o10.count("underserved") == o10.count("not underserved") == 1


def test_worked_tables_have_human_headers():
    worked = WorkedPainPointMap(["C01", "C02", "C03"])
    for frame in (
        worked.coding_table().data,
        worked.summary().data,
        worked.opportunity_summary().data,
    ):
        assert all("_" not in str(c) for c in frame.columns), list(frame.columns)
    assert "Customer reach × mean severity" in worked.summary().data.columns
    assert "Technicians miss schedule changes" in set(worked.summary().data["Pain point"])


def test_upload_of_own_notes_maps_columns_and_keeps_the_course_coding(ex, workbook_path):
    ex.rows[0]["key"].value = "schedule_changes_not_seen"
    ex.rows[0]["sev"].value = 5
    upload(ex, NOTES)
    assert "Columns: id, who, what they said" in ex.upload_feedback.text
    assert ex.mapping["snippet_id"].value == "id"
    assert ex.mapping["snippet"].value == "what they said"
    assert ex.mapping["customer_id"].value == ""  # "who" is not guessed
    assert ex.load_button.click() is None and "Choose a column for: Customer column" in (
        ex.upload_feedback.text
    )
    ex.mapping["customer_id"].value = "who"
    ex.load_button.click()
    assert "Loaded 3 snippets from notes.csv" in ex.upload_feedback.heading
    assert ex.source.value == OWN and ex.customer.value == "Acme"
    assert "<script>" not in ex.rows[0]["text"].value + ex.rows[1]["text"].value
    ex.customer.value = "Bolt"
    assert "&lt;script&gt;" in ex.rows[0]["text"].value
    ex.rows[0]["key"].value = "double_booking"
    ex.rows[0]["sev"].value = 2
    ex.source.value = "course"
    assert ex.rows[0]["key"].value == "schedule_changes_not_seen"
    again = PainPointMap(Workbook(workbook_path))
    assert again.codings[OWN] == {"N3": ("double_booking", 2)}
    assert again.codings["course"] == {"I01": ("schedule_changes_not_seen", 5)}
    assert "My notes (notes.csv)" in [k for k, _ in again.source.options]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", "looks like a binary file"),
        (b"id who text\nN1 Acme hello\n", "found 1 column(s)"),
        (b"id,who\nN1,Acme\n", "found 2 column(s)"),
        (b"id,who,text\n", "at least one row of data"),
        (b"id,who,text\n" + b"N1,A,x\n" * (MAX_UPLOAD_BYTES // 6), "a file of at most 1.0 MB"),
    ],
    ids=["empty", "binary", "wrong-delimiter", "missing-column", "header-only", "huge"],
)
def test_bad_uploads_get_a_clear_message_and_lose_nothing(ex, content, expected):
    ex.rows[0]["key"].value = "double_booking"
    ex.rows[0]["sev"].value = 4
    before = dict(ex.codings["course"])
    upload(ex, content)
    assert expected in ex.upload_feedback.text
    assert "your coding is unchanged" in ex.upload_feedback.heading
    assert "Traceback" not in ex.upload_feedback.text
    assert ex.load_button.disabled and ex.codings["course"] == before
    assert ex.source.value == "course"


def test_malformed_rows_are_reported_with_their_line(ex):
    upload(ex, b"id,customer,text\nN1,Acme,fine\nN1,Acme,dup id\nN3,,no customer\n")
    ex.load_button.click()
    text = ex.upload_feedback.text
    assert "Not loaded; your coding is unchanged" in ex.upload_feedback.heading
    assert "line 3" in text and "already on line 2" in text
    assert "line 4" in text and "blank" in text
    assert ex.source.value == "course"


def test_semicolon_files_are_read(ex):
    upload(ex, b"snippet_id;customer;text\nA1;X;hello\n")
    ex.load_button.click()
    assert "Loaded 1 snippets" in ex.upload_feedback.heading


def test_same_column_twice_is_refused(ex):
    upload(ex, NOTES)
    ex.mapping["customer_id"].value = "id"
    ex.load_button.click()
    assert "'id' is chosen twice" in ex.upload_feedback.text


def test_everything_survives_a_restart(ex, workbook_path):
    code(ex, {k: v for k, v in REFERENCE.items() if k <= "I10"})
    ex.top[0].value = "invoice_delay"
    ex.reflection.value = "Our loudest request is exports."
    again = PainPointMap(Workbook(workbook_path))
    assert again.codings["course"] == {k: v for k, v in REFERENCE.items() if k <= "I10"}
    assert again.top[0].value == "invoice_delay"
    assert again.reflection.value == "Our loudest request is exports."
    assert "Welcome back" in again.save_control.status.value
    assert again.feedback.text == ex.feedback.text


def test_damaged_saved_answer_restores_what_it_can(workbook_path):
    Workbook(workbook_path).save(
        "shift1.pain_point_map",
        {
            "codings": {
                "course": {
                    "I01": ["schedule_changes_not_seen", 5],
                    "I02": ["double_booking", 9],
                    "I77": ["double_booking", 3],
                    "I03": ["made_up", 3],
                    "I09": ["none", None],
                    "I04": "oops",
                }
            },
            "own_notes": {"rows": "not rows"},
            "top_three": ["nonsense"],
            "reflection": ["x"],
        },
    )
    ex = PainPointMap(Workbook(workbook_path))
    assert ex.codings["course"] == {"I01": ("schedule_changes_not_seen", 5), "I09": ("none", None)}
    status = ex.save_control.status.value
    for bad in ("I02", "I77", "I03", "I04", "your own notes", "nonsense", "reflection"):
        assert bad in status


def test_huge_reflection_is_refused_and_kept(ex):
    ex.reflection.value = "x" * (MAX_TEXT_CHARS + 1)
    assert "'My reflection' is 20,001 characters long" in ex.save_control.text
    assert len(ex.reflection.value) == MAX_TEXT_CHARS + 1


def test_markdown_export(ex, workbook_path):
    code(ex, REFERENCE)
    ex.top[0].value = "schedule_changes_not_seen"
    md = Workbook(workbook_path).export_markdown()
    assert "**Kestrel Works interviews**: 39 snippets coded." in md
    assert "| 1 | schedule changes not seen | 6 | 6 | 4.50 |" in md
    assert "My top three: 1. Technicians miss schedule changes." in md


def test_worked_example_numbers():
    first = WorkedPainPointMap(["C01", "C02", "C03"])
    assert len(first.interviews) == 11
    row = first.table.set_index("pain_point").loc["late_arrival_calls"]
    assert (row.snippets, row.reach) == (3, 1)
    everyone = WorkedPainPointMap()
    top = list(everyone.table["pain_point"][:3])
    assert top == ["schedule_changes_not_seen", "offline_job_notes", "invoice_delay"]
    assert everyone.figure.data["points"][0]["label"] == "schedule changes not seen"
    assert (
        first.coding_table().to_html()
        == WorkedPainPointMap(["C01", "C02", "C03"]).coding_table().to_html()
    )
