"""The workbook: answers survive a restart, saves are atomic, damaged files are set aside."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from pivot import workbook as wbmod
from pivot.workbook import MEMORY, Workbook, default_path


def test_answers_survive_a_new_workbook_object_as_after_a_kernel_restart(workbook_path):
    first = Workbook(workbook_path)
    result = first.save("start.demo", {"ratings": {"a": 2}}, title="Demo", markdown="**2**")
    assert result.ok and result.message == "Saved to your workbook (workbook.json)."
    again = Workbook(workbook_path)
    assert again.get("start.demo") == {"ratings": {"a": 2}}
    assert again.notices == []


def test_saved_file_is_a_versioned_json_document(workbook_path):
    Workbook(workbook_path).save("x", {"v": 1}, title="X")
    doc = json.loads(workbook_path.read_text(encoding="utf-8"))
    assert doc["format"] == "pivot-workbook" and doc["version"] == 1
    assert doc["exercises"]["x"] == {"title": "X", "answer": {"v": 1}, "markdown": ""}


def test_get_unknown_exercise_is_none(workbook):
    assert workbook.get("never.saved") is None


def test_crash_mid_save_leaves_the_previous_workbook_intact(workbook_path, monkeypatch):
    wb = Workbook(workbook_path)
    wb.save("x", {"v": "old"})
    before = workbook_path.read_bytes()

    def crash(*_args, **_kwargs):
        raise OSError(errno.EIO, "simulated crash during rename")

    monkeypatch.setattr(wbmod.os, "replace", crash)
    result = wb.save("x", {"v": "new"})
    assert not result.ok
    assert "simulated crash during rename" in result.message
    assert "previous saved copy is unchanged" in result.message
    assert workbook_path.read_bytes() == before
    monkeypatch.undo()
    leftovers = [p.name for p in workbook_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert Workbook(workbook_path).get("x") == {"v": "old"}


def test_crash_while_writing_the_temporary_file_leaves_the_old_file(workbook_path, monkeypatch):
    wb = Workbook(workbook_path)
    wb.save("x", {"v": "old"})

    def no_space(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(wbmod.os, "fsync", no_space)
    result = wb.save("x", {"v": "new"})
    assert not result.ok and "No space left on device" in result.message
    monkeypatch.undo()
    assert Workbook(workbook_path).get("x") == {"v": "old"}
    assert sorted(p.name for p in workbook_path.parent.iterdir()) == [
        ".workbook.json.lock",
        "workbook.json",
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"format": "pivot-workbook", "version": 1, "exerc', "it is not valid JSON"),
        (b"\xff\xfe\x00garbage", "it is not UTF-8 text"),
        (b'["a list"]', "it is not a Pivot workbook"),
        (b'{"format": "pivot-workbook", "version": 99, "exercises": {}}', "workbook version 99"),
        (b'{"format": "pivot-workbook", "version": 1, "exercises": {"x": 3}}', "damaged"),
    ],
)
def test_corrupted_file_is_set_aside_reported_and_never_overwritten(workbook_path, content, reason):
    workbook_path.parent.mkdir(parents=True)
    workbook_path.write_bytes(content)
    wb = Workbook(workbook_path)
    aside = workbook_path.with_name("workbook.json.corrupt-1")
    assert aside.read_bytes() == content
    assert not workbook_path.exists()
    assert len(wb.notices) == 1
    assert reason in wb.notices[0] and str(aside) in wb.notices[0]
    assert "Nothing was deleted" in wb.notices[0]
    assert wb.save("x", {"v": 1}).ok
    assert aside.read_bytes() == content


def test_second_corruption_gets_the_next_free_name(workbook_path):
    workbook_path.parent.mkdir(parents=True)
    workbook_path.write_text("broken one")
    Workbook(workbook_path)
    workbook_path.write_text("broken two")
    wb = Workbook(workbook_path)
    assert workbook_path.with_name("workbook.json.corrupt-1").read_text() == "broken one"
    assert workbook_path.with_name("workbook.json.corrupt-2").read_text() == "broken two"
    assert "corrupt-2" in wb.notices[0]


def test_file_damaged_by_another_program_during_a_session_is_set_aside_on_save(workbook_path):
    wb = Workbook(workbook_path)
    wb.save("a", {"v": 1})
    workbook_path.write_text("{ not json")
    assert wb.save("b", {"v": 2}).ok
    assert workbook_path.with_name("workbook.json.corrupt-1").read_text() == "{ not json"
    assert Workbook(workbook_path).get("b") == {"v": 2}


def test_unreadable_path_is_reported_and_saves_are_refused_not_attempted(workbook_path):
    workbook_path.mkdir(parents=True)  # a folder where the file should be: cannot be read
    wb = Workbook(workbook_path)
    assert wb.notices and "could not be" in wb.notices[0]
    result = wb.save("x", {"v": 1})
    assert not result.ok and "Your answers are still here" in result.message
    assert workbook_path.is_dir()


def test_two_notebooks_open_at_once_do_not_erase_each_others_answers(workbook_path):
    one, two = Workbook(workbook_path), Workbook(workbook_path)
    assert one.save("shift1.pain_points", {"v": 1}).ok
    assert two.save("shift3.backlog", {"v": 2}).ok
    merged = Workbook(workbook_path)
    assert merged.get("shift1.pain_points") == {"v": 1}
    assert merged.get("shift3.backlog") == {"v": 2}


def test_answer_is_copied_so_later_mutation_does_not_change_the_saved_answer(workbook):
    answer = {"items": [1, 2]}
    workbook.save("x", answer)
    answer["items"].append(3)
    assert workbook.get("x") == {"items": [1, 2]}


def test_memory_workbook_never_touches_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    wb = Workbook(None)
    result = wb.save("x", {"v": 1})
    assert result.ok and "not saved to disk" in result.message
    assert wb.get("x") == {"v": 1}
    assert list(tmp_path.iterdir()) == []


def test_html_and_unicode_answers_round_trip_exactly(workbook_path):
    text = "<script>alert('x')</script> naïve — 数据 \u0000 end"
    Workbook(workbook_path).save("x", {"note": text})
    assert Workbook(workbook_path).get("x") == {"note": text}


def test_export_markdown_lists_every_exercise_in_order(workbook, tmp_path):
    workbook.save("b", {}, title="Second saved first", markdown="B body")
    workbook.save("a", {}, title="Then this", markdown="A body")
    out = tmp_path / "export.md"
    text = workbook.export_markdown(out)
    assert out.read_text(encoding="utf-8") == text
    assert text.index("## Second saved first") < text.index("## Then this")
    assert "B body" in text and "A body" in text


def test_export_of_empty_workbook_says_so():
    assert "_No answers saved yet._" in Workbook(None).export_markdown()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PIVOT_WORKBOOK": ":memory:"}, None),
        ({"PIVOT_WORKBOOK": "/data/me.json", "PIVOT_WORKBOOK_DIR": "/x"}, Path("/data/me.json")),
        ({"PIVOT_WORKBOOK_DIR": "/class", "PIVOT_LEARNER": "Ada L."}, Path("/class/Ada_L.json")),
        (
            {"PIVOT_WORKBOOK_DIR": "/class", "PIVOT_LEARNER": "../../etc/x"},
            Path("/class/etc_x.json"),
        ),
        ({"PIVOT_WORKBOOK_DIR": "/class", "PIVOT_LEARNER": "..."}, Path("/class/learner.json")),
    ],
)
def test_workbook_location_follows_the_environment(env, expected):
    assert default_path(env) == expected


def test_default_location_is_in_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_path({}) == tmp_path / ".pivot" / "workbook.json"


def test_use_switches_the_current_workbook(workbook_path):
    try:
        wb = wbmod.use(workbook_path)
        assert wbmod.current() is wb
        wb.save("x", {"v": 1})
        text = wbmod.export_markdown(None)
        assert "## x" in text
    finally:
        wbmod.use(None)


def test_memory_constant_matches_the_documented_value():
    assert MEMORY == ":memory:"
    assert os.environ["PIVOT_WORKBOOK"] == MEMORY  # set by conftest for every test and kernel
