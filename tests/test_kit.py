"""The widget kit: escaping, feedback panel, save control, the Exercise base class."""

from __future__ import annotations

import ipywidgets as W
import pytest

from pivot import kit
from pivot.kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape
from pivot.workbook import Workbook

NASTY = "<img src=x onerror=\"alert(1)\"><script>alert(2)</script> & 'quoted'"


def test_escape_neutralises_html_and_quotes():
    assert escape(NASTY) == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt; "
        "&amp; &#x27;quoted&#x27;"
    )
    assert escape(None) == ""
    assert escape(42) == "42"


def test_feedback_panel_escapes_learner_text_and_keeps_a_plain_text_version():
    panel = FeedbackPanel("Demo feedback")
    panel.show("Heading <b>", [Message("good", NASTY, detail="<i>why</i>")])
    assert "<script>" not in panel.widget.value
    assert "<img src=x" not in panel.widget.value
    assert "&lt;script&gt;" in panel.widget.value
    assert 'role="status"' in panel.widget.value and 'aria-live="polite"' in panel.widget.value
    assert panel.text == f"Heading <b>\nGood: {NASTY} <i>why</i>"


@pytest.mark.parametrize(
    ("level", "word"), [("good", "Good"), ("info", "Note"), ("warn", "Check"), ("error", "Problem")]
)
def test_every_level_is_marked_by_a_word_not_only_a_colour(level, word):
    assert f"<strong>{word}:</strong>" in Message(level, "x").to_html()


def test_unknown_level_is_refused():
    with pytest.raises(ValueError, match="level must be one of"):
        Message("fatal", "x")


def test_inputs_are_labelled_and_report_on_release():
    r = kit.rating("Talk to users", value=3)
    t = kit.text_area("What I want")
    assert r.description == "Talk to users" and r.orientation == "horizontal"
    assert [label for label, _ in r.options] == ["1", "2", "3", "4", "5"] and r.value == 3
    assert t.description == "What I want" and not t.continuous_update


class Echo(Exercise):
    """A minimal exercise: one text box, echoed back in the feedback."""

    exercise_id = "test.echo"
    title = "Echo"

    def build(self):
        self.box = kit.text_area("Note")
        self.box.observe(self.changed, names="value")
        self.feedback = FeedbackPanel()
        return W.VBox([self.box, self.feedback.widget, self.save_control.widget])

    def answer(self):
        return {"note": self.box.value}

    def restore(self, answer):
        if not isinstance(answer.get("note"), str):
            return "The saved note could not be used."
        self.box.value = answer["note"]
        return None

    def to_markdown(self, answer):
        return answer["note"]

    def text_fields(self):
        return {"Note": self.box.value}

    def refresh(self):
        self.feedback.show("You wrote", [Message("info", self.box.value)])


def test_typing_autosaves_and_a_new_instance_restores_it(workbook_path):
    ex = Echo(Workbook(workbook_path))
    ex.box.value = "hello <b>"
    assert ex.save_control.text == "Saved to your workbook (workbook.json)."
    again = Echo(Workbook(workbook_path))
    assert again.box.value == "hello <b>"
    assert "Welcome back" in again.save_control.status.value
    assert "&lt;b&gt;" in again.feedback.widget.value


def test_save_now_button_saves(workbook_path):
    ex = Echo(Workbook(workbook_path))
    ex._restoring = True
    ex.box.value = "typed"
    ex._restoring = False
    ex.save_control.button.click()
    assert Workbook(workbook_path).get("test.echo") == {"note": "typed"}


def test_huge_text_is_not_saved_but_stays_in_the_box_with_a_clear_message(workbook_path):
    ex = Echo(Workbook(workbook_path))
    ex.box.value = "short"
    huge = "x" * (MAX_TEXT_CHARS + 1)
    ex.box.value = huge
    assert ex.box.value == huge
    assert not ex.save_control.last.ok
    assert "'Note' is 20,001 characters long; the limit is 20,000" in ex.save_control.text
    assert Workbook(workbook_path).get("test.echo") == {"note": "short"}


def test_unusable_saved_answer_is_reported_not_crashing(workbook_path):
    Workbook(workbook_path).save("test.echo", {"note": 12})
    ex = Echo(Workbook(workbook_path))
    assert "could not be used" in ex.save_control.status.value
    assert ex.box.value == ""


def test_corrupt_workbook_notice_reaches_the_learner(workbook_path):
    workbook_path.parent.mkdir(parents=True)
    workbook_path.write_text("{{{")
    ex = Echo(Workbook(workbook_path))
    assert "moved to" in ex.save_control.status.value
    assert "corrupt-1" in ex.save_control.status.value


def test_failed_save_tells_the_learner_and_keeps_the_input(workbook_path, monkeypatch):
    import errno

    from pivot import workbook as wbmod

    ex = Echo(Workbook(workbook_path))

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(wbmod.tempfile, "mkstemp", full)
    ex.box.value = "precious"
    assert ex.box.value == "precious"
    assert "Not saved: No space left on device" in ex.save_control.text
