"""Timings and status text come from the pages: every page states its minutes, the instructor
guide's totals and agendas add them up, and the parts list follows _toc.yml (book/_ext)."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from pivot.handouts import load_pivot_book

ROOT = Path(__file__).resolve().parent.parent
pb = load_pivot_book(ROOT)

# The two accepted forms, written out here independently of the extension's parser.
WITH_EXERCISE = re.compile(r"^\*\*Time:\*\* teaching (\d+) min · exercise (\d+) min$", re.M)
NO_EXERCISE = re.compile(r"^\*\*Time:\*\* teaching (\d+) minutes; no exercise\.$", re.M)


def toc():
    data = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return data["root"], [(p["caption"], [c["file"] for c in p["chapters"]]) for p in data["parts"]]


def prose(docname: str) -> str:
    md = ROOT / f"{docname}.md"
    if md.exists():
        return md.read_text(encoding="utf-8")
    cells = json.loads((ROOT / f"{docname}.ipynb").read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def minutes_by_hand(docname: str) -> int:
    text = prose(docname)
    found = [int(a) + int(b) for a, b in WITH_EXERCISE.findall(text)]
    found += [int(a) for a in NO_EXERCISE.findall(text)]
    assert len(found) == 1, f"{docname}: expected one time line, found {len(found)}"
    return found[0]


def course_pages():
    """The root page and every page of a teaching part (not the instructor or reference pages)."""
    root, parts = toc()
    pages = [root]
    for caption, files in parts:
        if caption not in pb.SUPPORTING:
            pages += files
    return pages


@pytest.mark.parametrize("docname", course_pages())
def test_every_course_page_states_its_minutes_in_one_accepted_form(docname):
    assert minutes_by_hand(docname) > 0
    every_time_line = [ln for ln in prose(docname).splitlines() if ln.startswith("**Time:**")]
    assert len(every_time_line) == 1


def test_parts_add_up_to_the_sum_of_their_pages():
    parts = pb.course(ROOT)
    root, toc_parts = toc()
    built = pb.built_parts(parts)
    assert [p.caption for p in built] == [c for c, _ in toc_parts if c not in pb.SUPPORTING]
    for part, (_, files) in zip(
        built, [tp for tp in toc_parts if tp[0] not in pb.SUPPORTING], strict=True
    ):
        docs = ([root] if part is built[0] else []) + files
        assert [p.docname for p in part.pages] == docs
        assert part.minutes == sum(minutes_by_hand(d) for d in docs), part.name


@pytest.mark.parametrize(
    "line",
    [
        "**Time:** teaching 10 mins · exercise 5 min",
        "**Time:** teaching 10 minutes · exercise 5 minutes",
        "**Time:** 10 minutes",
        "**Time:** teaching 10 min; no exercise.",
        "**Time:** teaching ten minutes; no exercise.",
    ],
)
def test_a_time_line_in_another_form_is_refused_naming_the_page_and_the_forms(line):
    with pytest.raises(ValueError, match="x.md: time line .* is not in the form .*teaching N min"):
        pb.parse_time(f"# T\n\n{line}\n", "x.md")


def test_the_parser_accepts_exactly_the_two_forms_and_one_line_per_page():
    assert pb.parse_time("**Time:** teaching 15 min · exercise 35 min") == (15, 35)
    assert pb.parse_time("**Time:** teaching 10 minutes; no exercise.") == (10, 0)
    assert pb.parse_time("# No time line here") is None
    with pytest.raises(ValueError, match="2 time lines"):
        pb.parse_time(
            "**Time:** teaching 1 min · exercise 1 min\n**Time:** teaching 1 min · exercise 1 min"
        )


# --- the instructor guide -------------------------------------------------------------------

GUIDE = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")


def guide_timings() -> dict[str, dict[str, str]]:
    blocks = {}
    for name, body in re.findall(r"^:::\{pivot-timings\} ([^\n]+)\n(.*?)^:::$", GUIDE, re.M | re.S):
        notes = {}
        for line in body.strip().splitlines():
            key, _, note = line.partition(":")
            notes[key.strip()] = note.strip()
        blocks[name.strip()] = notes
    return blocks


def test_the_guide_has_a_timings_table_for_every_built_part_that_lists_exactly_its_pages():
    parts = pb.built_parts(pb.course(ROOT))
    blocks = guide_timings()
    assert set(blocks) == {p.name for p in parts}
    for part in parts:
        table = pb.timings_markdown(part, blocks[part.name])  # raises on a missing or extra page
        total = sum(minutes_by_hand(p.docname) for p in part.pages)
        assert f"**Total: {pb.duration(total)}**" in table


def test_the_guides_part_totals_are_computed_not_typed():
    for part in pb.built_parts(pb.course(ROOT)):
        if part.name.startswith("Shift"):
            assert f"{{pivot-minutes}}`{part.name}`" in GUIDE
    # no hand-typed totals or slots left over from an older plan
    assert not re.search(r"takes about \d+ minutes|\d+-minute slot|one-day agenda", GUIDE)
    schedules = (ROOT / "book" / "schedules.md").read_text(encoding="utf-8")
    for plan in pb.SCHEDULES:
        assert f":::{{pivot-agenda}} {plan.key}\n:::" in schedules
    assert not re.search(r"^\| \d\d:\d\d \|", schedules + GUIDE, re.M)  # no typed agenda row


def test_a_timings_block_that_misses_or_invents_a_page_is_an_error():
    part = pb.built_parts(pb.course(ROOT))[1]
    notes = {p.stem: "x" for p in part.pages}
    with pytest.raises(ValueError, match="say what learners do on"):
        pb.timings_markdown(part, dict(list(notes.items())[1:]))
    with pytest.raises(ValueError, match="has no page 99-nothing"):
        pb.timings_markdown(part, notes | {"99-nothing": "x"})


def test_minutes_text_names_the_part_or_refuses():
    parts = pb.course(ROOT)
    total = sum(p.minutes for p in pb.built_parts(parts))
    assert pb.minutes_text(parts, "all") == pb.duration(total)
    with pytest.raises(ValueError, match="'Shift 9' is not a built part"):
        pb.minutes_text(parts, "Shift 9")


@pytest.mark.parametrize(
    ("minutes", "text"), [(5, "5 min"), (60, "1 h"), (140, "2 h 20 min"), (325, "5 h 25 min")]
)
def test_durations_read_as_hours_and_minutes(minutes, text):
    assert pb.duration(minutes) == text


# --- agendas ----------------------------------------------------------------------------------


def check_agenda(parts, plan):
    slots, left = pb.agenda(parts, plan)
    assert slots[0].start == plan.start
    for before, after in itertools.pairwise(slots):
        assert after.start == before.end  # no gaps, no overlaps
    assert slots[-1].end <= plan.end_by
    for slot in slots:
        if slot.pages:
            assert slot.minutes == sum(p.minutes for p in slot.pages)
    scheduled = [p for s in slots for p in s.pages]
    every = [p for part in pb.built_parts(parts) for p in part.pages]
    assert scheduled + left == every  # every page once, in course order, none split
    return slots, left


@pytest.mark.parametrize("plan", [pb.HALF_DAY, pb.FULL_DAY], ids=lambda p: p.name)
def test_the_agendas_schedule_the_built_pages_in_order_and_close_on_time(plan):
    slots, left = check_agenda(pb.course(ROOT), plan)
    breaks = [s for s in slots if s.kind == "break"]
    assert len(breaks) >= 1
    # nothing left over would have fitted: the first page left out really overruns the day
    if left:
        assert slots[-2].end + left[0].minutes + plan.closing[1] > plan.end_by


def test_the_full_day_takes_breaks_near_their_planned_times():
    slots, _ = pb.agenda(pb.course(ROOT), pb.FULL_DAY)
    taken = [s for s in slots if s.kind == "break"]
    assert [s.session for s in taken] == [b[0] for b in pb.FULL_DAY.breaks]
    pages = [p.minutes for part in pb.built_parts(pb.course(ROOT)) for p in part.pages]
    for slot, (_, target, _) in zip(taken, pb.FULL_DAY.breaks, strict=True):
        assert abs(slot.start - target) <= max(pages)


def test_a_course_longer_than_the_day_leaves_the_rest_for_follow_up():
    page = pb.Page("notebooks/x/long", "Long", 30, 60)
    parts = [pb.Part("Shift 1", "Shift 1 — X", "?", tuple([page] * 8))]
    slots, left = check_agenda(parts, pb.FULL_DAY)
    assert left and slots[-1].session.startswith("Debrief")
    text = pb.agenda_markdown(parts, pb.FULL_DAY)
    assert "Follow-up work after the session" in text


@pytest.mark.parametrize("plan", pb.SCHEDULES, ids=lambda s: s.key)
def test_every_schedule_teaches_each_page_once_in_order_and_closes_each_day_on_time(plan):
    parts = pb.course(ROOT)
    days, left = pb.schedule(parts, plan)
    assert [d.name for d, _ in days] == [d.name for d in plan.days]
    taught = []
    for day, slots in days:
        assert slots[0].start == day.start and slots[-1].end <= day.end_by
        assert all(a.end == b.start for a, b in itertools.pairwise(slots))  # no gaps, no overlaps
        taught += [p for slot in slots for p in slot.pages]
    every = [p for part in pb.built_parts(parts) for p in part.pages]
    assert taught + left == every
    if left:  # the day (the last day) could not have fitted the first page left
        last_day, slots = days[-1]
        assert slots[-2].end + left[0].minutes + last_day.closing[1] > last_day.end_by


def test_the_taster_covers_the_opening_part_and_starts_the_first_shift_in_90_minutes():
    """As the schedules page says: the case, the self-assessment, and the first shift begun."""
    parts = pb.course(ROOT)
    ((_day, slots),) = pb.schedule(parts, pb.schedule_named("taster"))[0]
    assert slots[-1].end - slots[0].start <= 90
    covered = {p.docname for slot in slots for p in slot.pages}
    start_here = next(p for p in parts if p.name == "Start here")
    assert {p.docname for p in start_here.pages} <= covered
    assert any(d.startswith("notebooks/10-shift1/") for d in covered)


def test_the_second_day_goes_on_from_the_first_page_the_first_day_left():
    parts = pb.course(ROOT)
    (_, _day1), (_, day2) = pb.schedule(parts, pb.schedule_named("two-days"))[0]
    _, left_after_one_day = pb.agenda(parts, pb.FULL_DAY)
    first_of_day2 = next(p for slot in day2 for p in slot.pages)
    assert first_of_day2 == left_after_one_day[0]
    assert [s.session for s in day2 if s.kind == "break"] == ["Break", "Lunch", "Break"]
    text = pb.agenda_markdown(parts, pb.schedule_named("two-days"))
    assert "**Day 1**, 09:00" in text and "**Day 2**, 09:00" in text
    assert "Follow-up work after the workshop (" in text


def test_no_schedule_reaches_making_the_move_as_the_schedules_page_says():
    parts = pb.course(ROOT)
    text = (ROOT / "book" / "schedules.md").read_text(encoding="utf-8")
    assert "None of the four reaches *Making the move*" in text
    for plan in pb.SCHEDULES:
        days, _ = pb.schedule(parts, plan)
        taught = [p.docname for _, slots in days for s in slots for p in s.pages]
        assert not [d for d in taught if d.startswith("notebooks/50-move/")], (
            f"{plan.name} now reaches Making the move: say so in book/schedules.md"
        )


def test_an_unknown_schedule_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="taster, half-day, full-day, two-days"):
        pb.schedule_named("weekend")


def test_the_agenda_table_shows_start_times_breaks_and_pages():
    text = pb.agenda_markdown(pb.course(ROOT), pb.FULL_DAY)
    assert "| 09:00 | Welcome, introductions, set-up check |" in text
    assert "*Lunch*" in text and "{doc}`/notebooks/10-shift1/10-problem-space`" in text


# --- status text: parts and data sets ---------------------------------------------------------


def test_parts_not_in_the_toc_are_shown_as_coming_from_the_mission_list():
    parts = pb.course(ROOT)
    _, toc_parts = toc()
    in_toc = {c.split(" — ")[0] for c, _ in toc_parts}
    coming = [p.name for p in parts if not p.built]
    assert coming == [name for name, _ in pb.MISSION if name not in in_toc]
    table = pb.parts_markdown(parts)
    for part in parts:
        if not part.built:
            assert f"| {part.caption} | {part.question} | coming | coming |" in table
        for page in part.pages:
            assert f"{{doc}}`/{page.docname}`" in table


def test_shift_titles_come_from_the_shifts_data(tmp_path):
    with (ROOT / "data" / "shifts.csv").open(encoding="utf-8") as f:
        shifts = {f"Shift {r['shift']}": r["title"] for r in pb.csv.DictReader(f)}
    for part in pb.course(ROOT):
        if part.name in shifts:
            assert part.caption == f"{part.name} — {shifts[part.name]}"


def mini_book(tmp_path, captions):
    (tmp_path / "data").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "shifts.csv", tmp_path / "data" / "shifts.csv")
    (tmp_path / "home.md").write_text("# Home\n\n**Time:** teaching 5 minutes; no exercise.\n")
    parts = []
    for i, caption in enumerate(captions):
        (tmp_path / f"p{i}.md").write_text(
            f"# Page {i}\n\n**Time:** teaching 10 min · exercise 20 min\n"
        )
        parts.append({"caption": caption, "chapters": [{"file": f"p{i}"}]})
    (tmp_path / "_toc.yml").write_text(
        yaml.safe_dump({"format": "jb-book", "root": "home", "parts": parts})
    )
    return tmp_path


def test_a_newly_built_part_stops_being_coming(tmp_path):
    root = mini_book(tmp_path, ["Start here", "Shift 2 — Soft skills are king"])
    parts = pb.course(root)
    assert [p.name for p in parts if p.built] == ["Start here", "Shift 2"]
    assert pb.coming_text(parts) == (
        "Shift 1 — From the solution space to the problem space, Shift 3 — You no longer build "
        "the technology, Shift 4 — Get comfortable with failure and Making the move"
    )
    assert parts[0].minutes == 5 + 30


def test_an_unknown_part_or_a_page_without_minutes_is_an_error(tmp_path):
    root = mini_book(tmp_path, ["Start here", "Bonus material"])
    with pytest.raises(ValueError, match="caption 'Bonus material' names no part"):
        pb.course(root)
    root = mini_book(tmp_path / "b", ["Start here"])
    (root / "p0.md").write_text("# Page\n\nNo time here.\n")
    with pytest.raises(ValueError, match="p0.md: no time line"):
        pb.course(root)


def test_every_data_set_in_the_readme_is_listed():
    parts = pb.course(ROOT)
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    names = re.findall(r"^## `([^`]+)`", readme, re.M)
    table = pb.datasets_markdown(ROOT, parts)
    assert len(names) >= 10
    for name in names:
        assert f"| `{name}` |" in table
    assert table.count("\n") == len(names) + 1


def test_the_pages_that_carry_status_text_generate_it():
    welcome = (ROOT / "book" / "welcome.md").read_text(encoding="utf-8")
    case = (ROOT / "book" / "case-study.md").read_text(encoding="utf-8")
    assert ":::{pivot-parts}" in welcome and "in a later release" not in welcome
    assert ":::{pivot-datasets}" in case and "In this release, the folder holds" not in case
    assert "[workshop schedules](schedules.md)" in GUIDE


def test_page_counts_in_the_guide_come_from_the_toc():
    parts = pb.course(ROOT)
    shift3 = next(p for p in parts if p.name == "Shift 3")
    assert (
        pb.pages_text(parts, "Shift 3") == f"{pb.NUMBER_WORDS[len(shift3.pages)]} short notebooks"
    )
    assert "{pivot-pages}`Shift 3`" in GUIDE and "four short notebooks" not in GUIDE
    with pytest.raises(ValueError, match="not a built part"):
        pb.pages_text(parts, "Shift 9")
