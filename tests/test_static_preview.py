"""The static book: every exercise says at the widget that it is a preview, and its inputs are
frozen, so the feedback frozen into the page never contradicts what a reader entered."""

from __future__ import annotations

import inspect

import pytest

import pivot.exercises as exercises
from pivot import kit
from pivot.workbook import Workbook

EXERCISES = sorted(
    (
        obj
        for obj in vars(exercises).values()
        if inspect.isclass(obj) and issubclass(obj, kit.Exercise) and obj is not kit.Exercise
    ),
    key=lambda c: c.__name__,
)


def test_every_exported_exercise_is_found():
    assert len(EXERCISES) >= 10


def test_static_book_is_off_unless_the_book_build_says_so(monkeypatch):
    monkeypatch.delenv(kit.STATIC_ENV, raising=False)
    assert kit.static_book() is False
    monkeypatch.setenv(kit.STATIC_ENV, "1")
    assert kit.static_book() is True
    monkeypatch.setenv(kit.STATIC_ENV, "0")
    assert kit.static_book() is False


def test_the_book_extension_turns_static_mode_on(monkeypatch):
    import importlib.util

    from support import ROOT

    # set through monkeypatch, so the "1" the extension writes is undone after the test and
    # does not freeze the exercises of a JupyterLab that a later test starts in this process
    monkeypatch.setenv(kit.STATIC_ENV, "0")
    spec = importlib.util.spec_from_file_location(
        "pivot_static", ROOT / "book/_ext/pivot_static.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.setup(type("App", (), {})())
    assert kit.static_book() is True
    assert "pivot_static" in (ROOT / "_config.yml").read_text()


@pytest.mark.parametrize("cls", EXERCISES, ids=lambda c: c.__name__)
def test_static_preview_shows_a_notice_and_freezes_every_input(cls):
    ex = cls(workbook=Workbook(":memory:"))
    preview = ex.static_preview()
    notice, body = preview.children
    assert body is ex.widget
    assert "Preview: this exercise needs a live Python kernel" in notice.value
    assert "make lab" in notice.value and "answer key" in notice.value
    controls = [w for w in kit.walk(ex.widget) if "disabled" in w.keys]
    assert controls, "an exercise has inputs"
    assert all(w.disabled for w in controls)


def test_live_display_shows_the_exercise_itself(monkeypatch):
    monkeypatch.delenv(kit.STATIC_ENV, raising=False)
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda w: shown.append(w))
    ex = EXERCISES[0](workbook=Workbook(":memory:"))
    ex._ipython_display_()
    assert shown == [ex.widget]
    monkeypatch.setenv(kit.STATIC_ENV, "1")
    ex._ipython_display_()
    assert shown[1].children[1] is ex.widget
