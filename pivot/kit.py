"""The parts every exercise widget is built from.

- labelled inputs (:func:`rating`, :func:`text_area`): every input has a visible label that is
  also its accessible name;
- :class:`FeedbackPanel`: messages with a word and a symbol for their level (never colour
  alone), announced politely to screen readers; learner text in it is always escaped;
- :class:`SaveControl`: the "Save now" button and the save status line;
- :class:`Exercise`: the base class that restores a learner's saved answer, autosaves changes
  to the workbook, and checks free-text limits before saving.

Everything shown is set from the kernel (``HTML.value``), never printed inside
``with output:``, so the widgets behave the same in JupyterLab, under nbclient/nbval and in the
built book.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as W

from . import workbook as wb

__all__ = [
    "MAX_TEXT_CHARS",
    "Exercise",
    "FeedbackPanel",
    "Message",
    "SaveControl",
    "escape",
    "rating",
    "static_book",
    "text_area",
    "walk",
]

#: Set by the book's own Sphinx extension (book/_ext/pivot_static.py) while the book executes its
#: notebooks: the page will be a static snapshot, so exercises show a preview notice and their
#: inputs are disabled (a reader must never see feedback that contradicts what they entered).
STATIC_ENV = "PIVOT_STATIC_BOOK"


def static_book() -> bool:
    """True while the notebooks run to be frozen into the static book."""
    return os.environ.get(STATIC_ENV, "") == "1"


#: The longest free-text answer saved in one field (a page of notes is ~3,000 characters).
MAX_TEXT_CHARS = 20_000

LEVELS = {
    # level: (symbol, word, border colour from the Okabe–Ito palette)
    "good": ("✔", "Good", "#009E73"),
    "info": ("ℹ", "Note", "#0072B2"),
    "warn": ("⚠", "Check", "#E69F00"),
    "error": ("✖", "Problem", "#D55E00"),
}


def escape(text: object) -> str:
    """Escape learner text (or anything not written by the course) for use inside HTML."""
    return html.escape("" if text is None else str(text), quote=True)


@dataclass(frozen=True)
class Message:
    """One line of feedback. ``text`` is plain text and is escaped when shown."""

    level: str
    text: str
    detail: str = ""

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)} (got {self.level!r})")

    def to_html(self) -> str:
        symbol, word, colour = LEVELS[self.level]
        detail = f'<div style="margin-top:.2em">{escape(self.detail)}</div>' if self.detail else ""
        return (
            f'<div class="pivot-msg pivot-msg-{self.level}" style="border-left:4px solid '
            f'{colour};padding:.3em .6em;margin:.3em 0;background:#F7F7F7;color:#111111">'
            f'<span aria-hidden="true">{symbol}</span> <strong>{word}:</strong> '
            f"{escape(self.text)}{detail}</div>"
        )


def rating(
    description: str, *, value: int, low: int = 1, high: int = 5, tooltip: str = ""
) -> W.RadioButtons:
    """A row of radio buttons from ``low`` to ``high``, labelled by ``description``.

    Radio buttons rather than a slider: they are native form controls, so keyboards (Tab, then
    arrow keys) and screen readers use them as they are; ipywidgets' slider handle has no
    accessible name (axe-core: aria-input-field-name, serious).
    """
    return W.RadioButtons(
        options=[(str(v), v) for v in range(low, high + 1)],
        value=value,
        description=description,
        tooltip=tooltip or description,
        orientation="horizontal",
        style={"description_width": "11em"},
        layout=W.Layout(width="auto", max_width="100%"),
    )


def text_area(description: str, *, placeholder: str = "", rows: int = 3) -> W.Textarea:
    """A labelled multi-line text box."""
    return W.Textarea(
        description=description,
        placeholder=placeholder,
        rows=rows,
        continuous_update=False,
        style={"description_width": "11em"},
        layout=W.Layout(width="46em", max_width="100%"),
    )


class FeedbackPanel:
    """An area for feedback: a heading and a list of :class:`Message`."""

    def __init__(self, label: str = "Feedback"):
        self.label = label
        self.widget = W.HTML(layout=W.Layout(width="100%"))
        self.messages: list[Message] = []
        self.heading = ""

    def show(self, heading: str, messages: Iterable[Message] = ()) -> None:
        self.heading = heading
        self.messages = list(messages)
        body = "".join(m.to_html() for m in self.messages)
        self.widget.value = (
            f'<div class="pivot-feedback" role="status" aria-live="polite" '
            f'aria-label="{escape(self.label)}"><p style="margin:.4em 0">'
            f"<strong>{escape(heading)}</strong></p>{body}</div>"
        )

    @property
    def text(self) -> str:
        """What the panel says, as plain text (for tests and screen-reader checks)."""
        lines = [self.heading]
        for m in self.messages:
            _, word, _ = LEVELS[m.level]
            lines.append(f"{word}: {m.text}" + (f" {m.detail}" if m.detail else ""))
        return "\n".join(lines)


class SaveControl:
    """A "Save now" button and a status line saying whether the last save worked."""

    def __init__(self, on_save: Callable[[], wb.SaveResult]):
        self._on_save = on_save
        self.button = W.Button(
            description="Save now",
            tooltip="Save your answers to your workbook",
            icon="",
            button_style="",
        )
        self.status = W.HTML()
        self.button.on_click(lambda _b: self.save())
        self.widget = W.HBox([self.button, self.status], layout=W.Layout(align_items="center"))
        self.last: wb.SaveResult | None = None

    def save(self) -> wb.SaveResult:
        result = self._on_save()
        self.report(result)
        return result

    def report(self, result: wb.SaveResult) -> None:
        self.last = result
        self.set_status("good" if result.ok else "error", result.message)

    def set_status(self, level: str, text: str) -> None:
        symbol, _word, _ = LEVELS[level]
        self.status.value = (
            f'<span role="status" style="margin-left:.6em"><span aria-hidden="true">{symbol}'
            f"</span> {escape(text)}</span>"
        )

    @property
    def text(self) -> str:
        return "" if self.last is None else self.last.message


class Exercise:
    """Base class: one exercise, its widgets, and its answer in the learner's workbook.

    Subclasses set ``exercise_id`` and ``title`` and implement :meth:`build` (return the
    widget), :meth:`answer` (the JSON-able state to save), :meth:`restore` (put a saved answer
    back) and :meth:`to_markdown` (the answer as it reads in an export). Call
    :meth:`changed` whenever the learner changes something.
    """

    exercise_id = "exercise"
    title = "Exercise"

    def __init__(self, workbook: wb.Workbook | None = None):
        self.workbook = workbook if workbook is not None else wb.current()
        self.save_control = SaveControl(self.save)
        self._restoring = False
        self.widget = self.build()
        saved = self.workbook.get(self.exercise_id)
        notices = list(self.workbook.notices)
        if saved is not None:
            self._restoring = True
            try:
                problem = self.restore(saved)
            finally:
                self._restoring = False
            if problem:
                notices.append(problem)
            else:
                self.save_control.set_status("info", "Welcome back: your saved answers are here.")
        if notices:
            self.save_control.set_status("warn", " ".join(notices))
        self.refresh()

    # --- for subclasses ------------------------------------------------------------------
    def build(self) -> W.Widget:  # pragma: no cover - abstract
        raise NotImplementedError

    def answer(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def restore(self, answer: Mapping[str, Any]) -> str | None:  # pragma: no cover - abstract
        """Put a saved answer back; return a message if part of it could not be used."""
        raise NotImplementedError

    def to_markdown(self, answer: Mapping[str, Any]) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def refresh(self) -> None:
        """Recompute the feedback from the current inputs."""

    def text_fields(self) -> dict[str, str]:
        """Free-text answers by label, checked against :data:`MAX_TEXT_CHARS` before saving."""
        return {}

    # --- shared behaviour ----------------------------------------------------------------
    def reflection_box(self, placeholder: str, label: str = "My reflection") -> W.Textarea:
        """The exercise's reflection prompt: a labelled text box, saved as the learner types."""
        box = text_area(label, placeholder=placeholder)
        box.observe(self.changed, names="value")
        return box

    def changed(self, _change: object = None) -> None:
        """The learner changed an input: update the feedback and autosave."""
        if self._restoring:
            return
        self.refresh()
        self.save()

    def save(self) -> wb.SaveResult:
        """Save the answer; a text field over :data:`MAX_TEXT_CHARS` is refused on its own.

        The other fields are saved; the refused one keeps its previously saved text (see
        :meth:`answer_without`), its text stays in the box, and the status line names it and
        its length. The feedback panels' verdicts are saved with the answer for the export.
        """
        refused = {
            label: str(text)
            for label, text in self.text_fields().items()
            if len(str(text)) > MAX_TEXT_CHARS
        }
        answer = self.answer()
        if refused:
            answer = self.answer_without(answer, refused, self.workbook.get(self.exercise_id))
        result = self.workbook.save(
            self.exercise_id,
            answer,
            title=self.title,
            markdown=self.to_markdown(answer),
            feedback=self.feedback_record(),
        )
        if not refused:
            self.save_control.report(result)
            return result
        fields = "; ".join(
            f"'{label}' is {len(text):,} characters long" for label, text in refused.items()
        )
        rest = (
            "Your other answers were saved."
            if result.ok
            else f"Your other answers could not be saved either: {result.message}"
        )
        refusal = wb.SaveResult(
            False,
            f"Not saved: {fields}; the limit is {MAX_TEXT_CHARS:,}. Your text is still in the "
            f"box; shorten it to save it (the workbook keeps what you saved before). {rest}",
        )
        self.save_control.report(refusal)
        if result.ok:
            self.save_control.set_status("warn", refusal.message)
        return refusal

    def answer_without(
        self, answer: dict[str, Any], refused: Mapping[str, str], previous: object
    ) -> dict[str, Any]:
        """``answer`` without the refused texts (``{label: text}`` from :meth:`text_fields`).

        The default finds each refused text wherever it sits in the answer and puts back what
        the previous saved answer (``previous``) held at the same place, or ``""``. Override
        it if an exercise stores a text field in a form other than the text itself.
        """
        long_texts = set(refused.values())

        def walk(value: object, before: object) -> object:
            if isinstance(value, str) and value in long_texts:
                ok = isinstance(before, str) and len(before) <= MAX_TEXT_CHARS
                return before if ok else ""
            if isinstance(value, Mapping):
                old = before if isinstance(before, Mapping) else {}
                return {k: walk(v, old.get(k)) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                old = before if isinstance(before, list) else []
                return [walk(v, old[i] if i < len(old) else None) for i, v in enumerate(value)]
            return value

        return walk(answer, previous)  # type: ignore[return-value]

    def feedback_panels(self) -> list[FeedbackPanel]:
        """The exercise's feedback panels (attributes, and those of exercises it contains)."""
        found: list[FeedbackPanel] = []
        seen = {id(self)}
        todo: list[Exercise] = [self]
        while todo:
            for value in vars(todo.pop(0)).values():
                if isinstance(value, FeedbackPanel):
                    found.append(value)
                elif isinstance(value, Exercise) and id(value) not in seen:
                    seen.add(id(value))
                    todo.append(value)
        return found

    def feedback_record(self) -> list[dict[str, Any]]:
        """What the feedback panels say now, as saved with the answer (for the export)."""
        return [
            {
                "label": panel.label,
                "heading": panel.heading,
                "messages": [
                    {"level": m.level, "text": m.text, "detail": m.detail} for m in panel.messages
                ],
            }
            for panel in self.feedback_panels()
            if panel.heading or panel.messages
        ]

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.static_preview() if static_book() else self.widget)

    def static_preview(self) -> W.Widget:
        """The exercise as the static book shows it: a notice at the top, every input
        disabled, and the feedback for the inputs as they are shown."""
        return frozen_preview(
            self.widget,
            "<strong>Preview: this exercise needs a live Python kernel.</strong> On this page "
            "its inputs are frozen, and the feedback below is what the exercise says for the "
            "inputs as shown. To use it, open the course in JupyterLab (the course README: "
            "<code>make lab</code>). Without a kernel, work through this page's worked "
            "example, self-check and answer key, further down the page.",
        )


def frozen_preview(widget: W.Widget, notice_html: str) -> W.Widget:
    """A widget tree as a page without a kernel shows it: every input disabled, under a
    notice (``notice_html``, trusted course text) that says so."""
    for w in walk(widget):
        if "disabled" in w.keys:
            w.disabled = True
    notice = W.HTML(
        value=(
            '<div class="pivot-preview" role="note" aria-label="Preview" '
            'style="border:2px dashed #0072B2;padding:.5em .8em;margin:.3em 0 .6em;'
            f'background:#F0F6FB;color:#111111">{notice_html}</div>'
        ),
        layout=W.Layout(width="100%"),
    )
    return W.VBox([notice, widget], layout=W.Layout(width="100%"))


def walk(widget: W.Widget):
    """Every widget in a tree of boxes (Box, Accordion, Tab and their children)."""
    seen: set[int] = set()
    stack = [widget]
    while stack:
        w = stack.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        yield w
        children = getattr(w, "children", None)
        if children:
            stack.extend(reversed(list(children)))
