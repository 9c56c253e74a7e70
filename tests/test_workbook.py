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
        (b'{"format": "pivot-workbook", "version": 1, "exercises": []}', "damaged"),
        (b'{"format": "pivot-workbook", "version": "1", "exercises": {}}', "version '1'"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"format": "pivot-workbook", "version": 1, "exercises": {"x": {"answer": NaN}}}', "NaN"),
        (
            b'{"format": "pivot-workbook", "version": 1, "exercises": {"x": {"answer": 1e400}}}',
            "too large",
        ),
        (
            b'{"format": "pivot-workbook", "version": 1, "exercises": {"x": {"answer": '
            + b"9" * 5000
            + b"}}}",
            "number too long",
        ),
        (b"", "it is not valid JSON"),
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


# --- robustness (issue 9) ------------------------------------------------------------------------
def _doc(exercises):
    return {"format": "pivot-workbook", "version": 1, "exercises": exercises}


def test_a_damaged_entry_is_left_out_the_good_ones_kept_and_the_file_copied_aside(workbook_path):
    workbook_path.parent.mkdir(parents=True)
    original = json.dumps(
        _doc(
            {
                "good": {"title": "Good", "answer": {"v": 1}, "markdown": ""},
                "not_an_object": 3,
                "no_answer": {"title": "T"},
                "bad_title": {"title": ["x"], "answer": {}},
            }
        )
    ).encode()
    workbook_path.write_bytes(original)
    wb = Workbook(workbook_path)
    aside = workbook_path.with_name("workbook.json.corrupt-1")
    assert aside.read_bytes() == original
    assert wb.get("good") == {"v": 1}
    assert set(wb.entries()) == {"good"}
    assert len(wb.notices) == 1
    notice = wb.notices[0]
    assert "'not_an_object' (it is int, not an object)" in notice
    assert "'no_answer' (it has no answer)" in notice
    assert "'bad_title' (its title is list, not text)" in notice
    assert str(aside) in notice and "Nothing was deleted" in notice
    # the file on disk now holds only the good entry, so the next open is quiet
    again = Workbook(workbook_path)
    assert again.notices == [] and again.get("good") == {"v": 1}


def test_workbook_saved_with_a_byte_order_mark_is_read(workbook_path):
    workbook_path.parent.mkdir(parents=True)
    text = json.dumps(_doc({"x": {"title": "X", "answer": {"note": "naïve"}}}), ensure_ascii=False)
    workbook_path.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    wb = Workbook(workbook_path)
    assert wb.notices == [] and wb.get("x") == {"note": "naïve"}
    assert not workbook_path.with_name("workbook.json.corrupt-1").exists()


def test_nan_and_infinity_in_an_answer_are_saved_as_null_so_the_file_stays_valid_json(
    workbook_path,
):
    wb = Workbook(workbook_path)
    assert wb.save("x", {"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5]}).ok
    text = workbook_path.read_text(encoding="utf-8")
    json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} written to the workbook"))
    assert Workbook(workbook_path).get("x") == {"a": None, "b": [None, None, 1.5]}


def _temp_file(workbook_path, name=".workbook.json.abc123_x.tmp", age=0.0):
    p = workbook_path.with_name(name)
    p.write_text('{"half": ', encoding="utf-8")
    if age:
        t = p.stat().st_mtime - age
        os.utime(p, (t, t))
    return p


def test_temporary_files_left_by_a_killed_save_are_removed_on_open(workbook_path):
    wb = Workbook(workbook_path)
    wb.save("x", {"v": 1})
    leftover = _temp_file(workbook_path)
    other_workbook_temp = _temp_file(workbook_path, ".other.json.abc123.tmp")
    not_a_temp = _temp_file(workbook_path, "workbook.json.abc.tmp")  # no leading dot
    notes = _temp_file(workbook_path, ".workbook.json.my notes.tmp")  # not a mkstemp name
    again = Workbook(workbook_path)
    assert not leftover.exists()
    assert other_workbook_temp.exists() and not_a_temp.exists() and notes.exists()
    assert again.get("x") == {"v": 1} and again.notices == []


def test_a_temporary_file_of_a_save_in_progress_is_kept_unless_it_is_old(workbook_path):
    import fcntl

    Workbook(workbook_path).save("x", {"v": 1})
    fresh = _temp_file(workbook_path, ".workbook.json.fresh1.tmp")
    stale = _temp_file(workbook_path, ".workbook.json.stale1.tmp", age=wbmod.STALE_TEMP_SECONDS + 5)
    with open(workbook_path.with_name(".workbook.json.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another kernel is saving right now
        Workbook(workbook_path)
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert fresh.exists() and not stale.exists()
    Workbook(workbook_path)  # the save is over: now the fresh one is a leftover too
    assert not fresh.exists()


def test_a_symlink_named_like_a_temporary_file_is_not_followed(workbook_path, tmp_path):
    Workbook(workbook_path).save("x", {"v": 1})
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    link = workbook_path.with_name(".workbook.json.link12.tmp")
    link.symlink_to(precious)
    Workbook(workbook_path)
    assert precious.read_text() == "keep me" and link.is_symlink()


def _open_in_another_process(path, barrier, results):
    barrier.wait()
    try:
        wb = Workbook(path)
        results.put(("ok", wb.notices, wb.save(f"from-{os.getpid()}", {"pid": os.getpid()}).ok))
    except BaseException as exc:  # reported to the test, which fails on it
        results.put(("error", repr(exc), False))


def test_two_kernels_opening_the_same_damaged_file_at_once_both_recover(workbook_path):
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    workbook_path.parent.mkdir(parents=True)
    for _round in range(10):  # the old, unlocked open failed about one round in seven
        for p in workbook_path.parent.iterdir():
            p.unlink()
        workbook_path.write_text("{ damaged")
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [
            ctx.Process(target=_open_in_another_process, args=(workbook_path, barrier, results))
            for _ in range(2)
        ]
        for p in procs:
            p.start()
        outcomes = [results.get(timeout=30) for _ in procs]
        for p in procs:
            p.join(timeout=30)
        assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
        assert all(o[2] for o in outcomes), outcomes  # both could save afterwards
        asides = sorted(p.name for p in workbook_path.parent.glob("workbook.json.corrupt-*"))
        assert asides == ["workbook.json.corrupt-1"]
        assert workbook_path.with_name(asides[0]).read_text() == "{ damaged"
        # exactly one of them reports the set-aside; both answers are in the workbook
        assert sum(bool(o[1]) for o in outcomes) == 1
        assert len(Workbook(workbook_path).entries()) == 2


# --- attempts -------------------------------------------------------------------------------------
def test_new_attempt_archives_the_current_answer_and_autosaves_update_the_new_one(workbook_path):
    wb = Workbook(workbook_path)
    wb.save("start.self", {"score": 2}, title="Self", markdown="first", feedback=[{"heading": "h"}])
    assert wb.new_attempt("start.self").ok
    assert wb.get("start.self") is None  # the exercise starts afresh
    wb.save("start.self", {"score": 4}, title="Self", markdown="second")
    wb.save("start.self", {"score": 5}, title="Self", markdown="second, edited")
    again = Workbook(workbook_path)
    assert again.get("start.self") == {"score": 5}
    earlier = again.attempts("start.self")
    assert [a["answer"] for a in earlier] == [{"score": 2}]
    assert earlier[0]["markdown"] == "first" and earlier[0]["feedback"] == [{"heading": "h"}]
    assert earlier[0]["archived"]  # the date it was replaced


def test_save_with_attempt_new_archives_then_saves(workbook_path):
    wb = Workbook(workbook_path)
    wb.save("x", {"v": 1})
    wb.save("x", {"v": 2}, attempt="new")
    wb.save("x", {"v": 3}, attempt="new")
    assert [a["answer"] for a in Workbook(workbook_path).attempts("x")] == [{"v": 1}, {"v": 2}]
    assert Workbook(workbook_path).get("x") == {"v": 3}
    with pytest.raises(ValueError, match="attempt must be 'current' or 'new'"):
        wb.save("x", {}, attempt="old")


def test_new_attempt_of_an_unsaved_exercise_changes_nothing(workbook_path):
    wb = Workbook(workbook_path)
    assert wb.new_attempt("never").ok
    assert wb.get("never") is None and wb.attempts("never") == []
    assert "never" not in wb.entries()


def test_attempts_survive_a_second_notebook_saving_another_exercise(workbook_path):
    one, two = Workbook(workbook_path), Workbook(workbook_path)
    one.save("x", {"v": 1})
    one.save("x", {"v": 2}, attempt="new")
    two.save("y", {"w": 1})  # two never saw x's attempts: they must not be lost
    assert Workbook(workbook_path).attempts("x")[0]["answer"] == {"v": 1}


def test_an_old_workbook_without_attempts_or_feedback_still_loads(workbook_path):
    workbook_path.parent.mkdir(parents=True)
    workbook_path.write_text(
        json.dumps(_doc({"x": {"title": "X", "answer": {"v": 1}, "markdown": "m"}})),
        encoding="utf-8",
    )
    wb = Workbook(workbook_path)
    assert wb.notices == [] and wb.get("x") == {"v": 1} and wb.attempts("x") == []


def test_a_lone_surrogate_is_saved_as_valid_json_and_read_back_exactly(workbook_path):
    text = "half \ud800 pair, emoji 🙂, rtl \u202eטקסט"
    assert Workbook(workbook_path).save("x", {"note": text}).ok
    workbook_path.read_bytes().decode("utf-8")  # valid UTF-8
    assert Workbook(workbook_path).get("x") == {"note": text}


def test_one_field_over_the_limit_does_not_stop_the_others_being_saved(workbook_path):
    from pivot.exercises import ProblemStatement
    from pivot.kit import MAX_TEXT_CHARS

    ex = ProblemStatement(Workbook(workbook_path))
    ex.inputs["who"].value = "A dispatcher at a 20-technician HVAC firm"
    ex.inputs["needs"].value = "to know a change reached the technician"
    ex.inputs["needs"].value = "n" * (MAX_TEXT_CHARS + 7)
    ex.inputs["who"].value = "A dispatcher, edited after the long text"
    ex.reflection.value = "My reflection, saved"
    status = ex.save_control.text
    assert f"'need(s)' is {MAX_TEXT_CHARS + 7:,} characters long" in status
    assert "Your other answers were saved" in status
    assert len(ex.inputs["needs"].value) == MAX_TEXT_CHARS + 7  # still in the box
    saved = Workbook(workbook_path).get("shift1.problem_statement")
    assert saved["who"] == "A dispatcher, edited after the long text"
    assert saved["reflection"] == "My reflection, saved"
    assert saved["needs"] == "to know a change reached the technician"  # the last saved value
    again = ProblemStatement(Workbook(workbook_path))
    assert again.inputs["needs"].value == "to know a change reached the technician"
    ex.inputs["needs"].value = "shortened"
    assert "Not saved" not in ex.save_control.text
    assert Workbook(workbook_path).get("shift1.problem_statement")["needs"] == "shortened"


def test_an_over_limit_field_never_saved_before_is_left_empty(workbook_path):
    from pivot.exercises import OpportunityTree
    from pivot.kit import MAX_TEXT_CHARS

    ex = OpportunityTree(Workbook(workbook_path))
    ex.outcome.value = "o" * (MAX_TEXT_CHARS + 1)
    ex.names[0].value = "Missed schedule changes"
    saved = Workbook(workbook_path).get("shift1.opportunity_tree")
    assert saved["outcome"] == ""
    assert saved["opportunities"][0]["name"] == "Missed schedule changes"
    assert "'Outcome' is 20,001 characters long" in ex.save_control.text
