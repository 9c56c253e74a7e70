"""Every exercise, every input, hostile values: nothing escapes, nothing unescaped, nothing lost.

The exercises are discovered from ``pivot.exercises``, so an exercise added later is covered
without touching this file. For each one the test builds it on a temporary workbook, walks its
widget tree (boxes, tabs, accordions and widgets that appear after an interaction), sets every
input to hostile values, clicks every button, then checks that

- no exception escaped (button callbacks are called directly: ipywidgets would log and swallow);
- no HTML widget shows a raw ``<script`` or ``onerror=``;
- the workbook file is valid JSON (no NaN, valid UTF-8);
- a "reload" (the exercise built again from the same file) holds the same text in every text
  field under the length limit, and one over-limit field did not stop the others being saved.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import json
import os
import random
import traceback
from html.parser import HTMLParser

import ipywidgets as W
import pytest
import traitlets

import pivot.exercises as exercises
from pivot.kit import MAX_TEXT_CHARS, Exercise, walk
from pivot.workbook import Workbook

SEED = 20260309
MAX_OPTIONS = 6  # options tried per selection widget (sampled, seeded, first and last kept)

HOSTILE_TEXT = [
    "",
    "   \t\n  ",
    "a\x00b\x00",
    "NaN",
    "inf",
    "-inf",
    "1e308",
    str(10**30),
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "x" * 100_000,
    "\u202eמשתמש לא מרוצה\u202c عربى",
    "👩🏽‍🔧 🔧🚐💨 ✔✖",
    "half \ud800 surrogate \udfff",
]
HOSTILE_INT = [0, -1, 10**30, -(10**30), 2**63]
HOSTILE_FLOAT = [float("nan"), float("inf"), float("-inf"), 1e308, -1e308, 0.0, -0.0]


def _csv_files():
    rng = random.Random(SEED)
    wide = "item_id,title,reach,impact,confidence,effort\n" + "".join(
        f"X{i},{'t' * 40},{i},1,50,1\n" for i in range(5 * 1024 * 1024 // 60)
    )
    return {
        "binary.csv": bytes(rng.randrange(256) for _ in range(4096)),
        "empty.csv": b"",
        "five-megabytes.csv": wide.encode()[: 5 * 1024 * 1024],
        "wrong-columns.csv": b"colour;shape;\xe9t\xe9\nred;round;x\n<script>alert(1)</script>;;\n",
        "html-header.csv": b"<img src=x onerror=alert(1)>,title\n1,2\n",
    }


def exercise_classes():
    found = []
    for name in getattr(exercises, "__all__", dir(exercises)):
        obj = getattr(exercises, name)
        if inspect.isclass(obj) and issubclass(obj, Exercise) and obj is not Exercise:
            found.append(obj)
    return found


def _sample(options, rng):
    values = [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in options]
    if len(values) <= MAX_OPTIONS:
        return values
    middle = rng.sample(values[1:-1], MAX_OPTIONS - 2)
    return [values[0], *middle, values[-1]]


def _set(widget, value, log):
    """Set a value as a frontend would; the widget's own refusal (TraitError) is fine."""
    try:
        widget.value = value
    except traitlets.TraitError:
        return
    except Exception as exc:
        log.append(_failure(widget, value, exc))


def _failure(widget, value, exc):
    shown = repr(value)
    if len(shown) >= 80:
        size = f" ({len(value):,} chars)" if isinstance(value, str) else ""
        shown = shown[:60] + "…" + size
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return (
        f"{type(widget).__name__} {getattr(widget, 'description', '')!r} = {shown}: "
        f"{type(exc).__name__}: {exc} (at {os.path.basename(where.filename)}:{where.lineno} "
        f"{where.line})"
    )


def hostile_pass(ex, rng, log, done):
    """Set every input not handled yet; return how many widgets were new."""
    new = 0
    inputs = (W.FileUpload, W.Text, W.Textarea, W.widget_selection._Selection, W.FloatText)
    inputs += (W.IntText, W.BoundedFloatText, W.BoundedIntText, W.Checkbox, W.ToggleButton)
    for w in list(walk(ex.widget)):
        if id(w) in done or getattr(w, "disabled", False):
            continue
        done.add(id(w))
        new += isinstance(w, inputs)
        if isinstance(w, W.FileUpload):
            for name, content in _csv_files().items():
                upload = {
                    "name": name,
                    "type": "text/csv",
                    "size": len(content),
                    "content": memoryview(content),
                    "last_modified": dt.datetime(2026, 3, 9, tzinfo=dt.timezone.utc),
                }
                _set(w, (upload,), log)
                _check_escaped(ex, w, name, log)
        elif isinstance(w, W.Text | W.Textarea):  # Combobox and Password are Text too
            for text in HOSTILE_TEXT:
                _set(w, text, log)
                if "<" in text:
                    _check_escaped(ex, w, text, log)
        elif isinstance(w, W.SelectMultiple):
            values = _sample(w.options, rng)
            _set(w, tuple(values), log)
            _set(w, (), log)
        elif isinstance(w, W.widget_selection._Selection):
            for value in _sample(w.options, rng):
                _set(w, value, log)
        elif isinstance(w, W.FloatText | W.BoundedFloatText | W.FloatSlider):
            for value in HOSTILE_FLOAT:
                _set(w, value, log)
        elif isinstance(w, W.IntText | W.BoundedIntText | W.IntSlider):
            for value in HOSTILE_INT:
                _set(w, value, log)
        elif isinstance(w, W.Checkbox | W.ToggleButton):
            _set(w, not w.value, log)
            _set(w, not w.value, log)
    for w in list(walk(ex.widget)):
        if isinstance(w, W.Button) and not w.disabled:
            for callback in list(w._click_handlers.callbacks):
                try:
                    callback(w)
                except Exception as exc:
                    log.append(_failure(w, "click", exc))
            for problem in _unescaped(ex):
                log.append(f"after clicking {w.description!r}: {problem}")
    return new


class _Active(HTMLParser):
    """Collects what in an HTML string could run: script elements and on* attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        self.found += [f"<{tag} {k}=…>" for k, _v in attrs if k.lower().startswith("on")]
        self.found += [
            f"<{tag} {k}={v}>"
            for k, v in attrs
            if k in ("href", "src") and (v or "").strip().lower().startswith("javascript:")
        ]


def _check_escaped(ex, widget, value, log):
    """Right after a hostile value is set: does any HTML widget now show it unescaped?"""
    for problem in _unescaped(ex):
        log.append(f"after {type(widget).__name__} {widget.description!r} = {value!r}: {problem}")


def _unescaped(ex):
    """HTML widgets showing a raw ``<script`` or an ``onerror=`` attribute (parsed, not grepped:
    escaped learner text such as ``&lt;img onerror=…&gt;`` is harmless and allowed)."""
    bad = []
    for w in walk(ex.widget):
        values = []
        if isinstance(w, W.HTML | W.HTMLMath):
            values.append(w.value)
        if isinstance(w, W.Output):
            values += [str(o.get("data", {}).get("text/html", "")) for o in w.outputs]
        for v in values:
            parser = _Active()
            parser.feed(v)
            raw = "<script" in v.lower()
            if parser.found or raw:
                bad.append(f"{type(w).__name__}: {parser.found or '<script'} in {v[:200]!r}")
    return bad


@pytest.fixture(autouse=True)
def _fast_disk(monkeypatch, tmp_path):
    monkeypatch.setenv("PIVOT_EXPORT_DIR", str(tmp_path / "exports"))  # buttons that export
    monkeypatch.setattr(os, "fsync", lambda _fd: None)  # thousands of saves; atomicity is tested
    # elsewhere (test_workbook.py)


@pytest.mark.parametrize("cls", exercise_classes(), ids=lambda c: c.__name__)
def test_hostile_values_in_every_input(cls, tmp_path):
    path = tmp_path / "workbook.json"
    rng = random.Random(SEED)
    log: list[str] = []
    ex = cls(Workbook(path))
    done: set[int] = set()
    touched = 0
    for _round in range(3):  # widgets can appear after an upload or a choice
        new = hostile_pass(ex, rng, log, done)
        touched += new
        if not new:
            break
    assert touched, f"{cls.__name__}: no input widget found in its widget tree"
    assert not log, "exceptions escaped:\n" + "\n".join(log)
    assert not _unescaped(ex), "unescaped HTML:\n" + "\n".join(_unescaped(ex))

    # Leave ordinary (but awkward) text in every text field, then one field over the limit.
    fields = [w for w in walk(ex.widget) if isinstance(w, W.Text | W.Textarea) and not w.disabled]
    for i, w in enumerate(fields):
        _set(w, f"final {i}: <b>&amp;</b> \u202eעברית 🙂 \ud800 end", log)
    ex.save()
    before = dict(ex.text_fields())
    labels = [k for k, v in before.items() if v]
    over = next((w for w in fields if w.value == before.get(labels[0])), None) if labels else None
    if over is not None:
        _set(over, "y" * (MAX_TEXT_CHARS + 1), log)
        assert f"'{labels[0]}' is {MAX_TEXT_CHARS + 1:,} characters long" in ex.save_control.text
        assert len(over.value) == MAX_TEXT_CHARS + 1  # still in the box
        for other in [w for w in fields if w is not over][:1]:  # saved despite the long field
            _set(other, "typed after the long text ✔", log)
    assert not log, "exceptions escaped:\n" + "\n".join(log)
    expected = dict(ex.text_fields())
    if over is not None:
        expected[labels[0]] = before[labels[0]]  # the workbook keeps what was saved before

    text = path.read_bytes().decode("utf-8") if path.exists() else None
    if text is not None:
        json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} written to the workbook"))
    reopened = Workbook(path)
    assert reopened.notices == []
    again = cls(reopened)
    assert again.text_fields() == expected


def test_every_exercise_is_discovered():
    names = {c.__name__ for c in exercise_classes()}
    assert len(names) == len(exercises.__all__)
    assert {"SelfAssessment", "PrioritiseBacklog", "BringYourOwnBacklog"} <= names


def test_the_csv_files_are_what_they_claim():
    files = _csv_files()
    assert files["empty.csv"] == b""
    assert len(files["five-megabytes.csv"]) == 5 * 1024 * 1024
    with pytest.raises(UnicodeDecodeError):
        files["binary.csv"].decode("utf-8")
    assert io.BytesIO(files["wrong-columns.csv"]).readline().startswith(b"colour;")
