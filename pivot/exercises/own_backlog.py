"""Shift 3, bring your own backlog: upload an issue-tracker export and rank it.

The file is read by :func:`pivot.frameworks.tracker_import.import_backlog`; the column
drop-downs are pre-filled by :func:`~pivot.frameworks.tracker_import.suggest_mapping`, and the
learner chooses defaults for blank estimates (for example confidence 50%: low, because nobody
estimated it). Every refusal is a :class:`pivot.data.DataError` naming the line and column;
every conversion is listed. A failed upload changes nothing: the backlog loaded before, the
mapping and the defaults stay as they were. A loaded backlog is ranked by the same engine as
:class:`~pivot.exercises.PrioritiseBacklog` (RICE, WSJF when its columns are there, capacity).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W

from .. import data
from ..data import DataError, Problem
from ..frameworks import prioritization as p
from ..frameworks import tracker_import as ti
from ..kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message
from ..workbook import Workbook
from .common import quote, saved_text
from .prioritise_backlog import PrioritiseBacklog

#: Largest upload accepted (a 10,000-row export is about 2 MB).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: The fields offered for mapping, with their labels.
FIELD_LABELS = {
    "item_id": "Item id column",
    "title": "Title column",
    "reach": "Reach column",
    "impact": "Impact column",
    "confidence": "Confidence column",
    "effort": "Effort column",
    "business_value": "Business value column",
    "time_criticality": "Time criticality column",
    "risk_reduction": "Risk reduction column",
    "job_size": "Job size column",
    "moscow": "MoSCoW column",
    "labels": "Labels column",
}
NONE = ""
#: Default choices for blank estimates: (label, value); ``None`` = no default, refuse blanks.
DEFAULTS = {
    "confidence": [("no default", None), ("50% low", 50), ("80% medium", 80), ("100% high", 100)],
    "impact": [("no default", None), *[(f"{v:g}", v) for v in p.IMPACT_SCALE]],
}


def _content(entry: object) -> tuple[str, bytes]:
    """(file name, bytes) from one FileUpload entry (ipywidgets 8: a dict with a memoryview)."""
    if not isinstance(entry, Mapping) or "content" not in entry:
        raise DataError([Problem("uploaded file", "an uploaded file (nothing was received)")])
    name = str(entry.get("name") or "uploaded file")
    content = entry["content"]
    return name, content.tobytes() if isinstance(content, memoryview) else bytes(content)


class _Ranking(PrioritiseBacklog):
    """The ranking part of :class:`PrioritiseBacklog`, shown inside the upload exercise and
    saved with it (not on its own)."""

    exercise_id = "shift3.own_backlog_ranking"

    def save(self):
        return self.workbook.save(self.exercise_id, {}, title="", markdown="")

    def build(self) -> W.Widget:
        box = super().build()
        self.reflection.layout.display = "none"
        self.save_control.widget.layout.display = "none"
        return box


class BringYourOwnBacklog(Exercise):
    """Upload a CSV export, map its columns, choose defaults, load, then rank it."""

    exercise_id = "shift3.own_backlog"
    title = "Shift 3: bring your own backlog"

    def build(self) -> W.Widget:
        style = {"description_width": "14em"}
        self.upload = W.FileUpload(
            accept=".csv,.txt,.tsv,text/csv", multiple=False, description="Upload CSV"
        )
        self.upload.observe(self._uploaded, names="value")
        self.mapping = {
            field: W.Dropdown(
                options=[("— none —", NONE)], value=NONE, description=label, style=style
            )
            for field, label in FIELD_LABELS.items()
        }
        self.defaults = {
            field: W.Dropdown(
                options=options, value=None, description=f"Blank {field} is", style=style
            )
            for field, options in DEFAULTS.items()
        }
        self.defaults["confidence"].value = 50
        self.skip = W.Checkbox(
            value=False, description="Leave out rows that cannot be used", indent=False
        )
        self.load_button = W.Button(
            description="Load my backlog", tooltip="Read the file with this mapping", disabled=True
        )
        self.load_button.on_click(lambda _b: self.load())
        self.upload_feedback = FeedbackPanel("Upload feedback")
        self.ranking_box = W.VBox()
        self.reflection = self.reflection_box(
            "What did the import tell you about how your team records estimates?"
        )
        for dd in [*self.mapping.values(), *self.defaults.values(), self.skip]:
            dd.observe(self.changed, names="value")
        self._upload: tuple[str, bytes] | None = None
        self.loaded: ti.ImportResult | None = None
        self.ranking: _Ranking | None = None
        return W.VBox(
            [
                W.HTML("<p><strong>1. Upload an export from your issue tracker (CSV)</strong></p>"),
                self.upload,
                W.HTML(
                    "<p><strong>2. Which column is which? Defaults for blank estimates</strong></p>"
                ),
                *self.mapping.values(),
                *self.defaults.values(),
                self.skip,
                self.load_button,
                self.upload_feedback.widget,
                W.HTML("<p><strong>3. Your backlog, ranked</strong></p>"),
                self.ranking_box,
                self.reflection,
                self.save_control.widget,
            ]
        )

    # --- uploads --------------------------------------------------------------------------
    def _uploaded(self, change) -> None:
        value = change["new"] if isinstance(change, Mapping) else self.upload.value
        if not value:
            return
        entry = value[0] if isinstance(value, list | tuple) else next(iter(value.values()), None)
        self.receive_upload(entry)

    def _keep(self) -> str:
        return (
            f"your backlog from {self.loaded.file} is still loaded"
            if self.loaded is not None
            else "nothing you chose is changed"
        )

    def receive_upload(self, entry: object) -> bool:
        """Read an uploaded file's header and pre-fill the mapping from its column names."""
        try:
            name, content = _content(entry)
            if len(content) > MAX_UPLOAD_BYTES:
                raise DataError([Problem(name, data.too_big_message(len(content)))])
            headers = [h for h in ti.read_headers(content, file=name) if h]
        except DataError as exc:
            self.upload_feedback.show(
                f"Your file could not be used; {self._keep()}", [Message("error", str(exc))]
            )
            return False
        if len(headers) < 2:
            self.upload_feedback.show(
                f"Your file could not be used; {self._keep()}",
                [
                    Message(
                        "error",
                        f"{name}: found {len(headers)} column ({', '.join(headers)}); expected "
                        "at least an item id and the estimates. Is it separated by commas, "
                        "semicolons or tabs?",
                    )
                ],
            )
            return False
        self._upload = (name, content)
        suggested = ti.suggest_mapping(headers)
        options = [("— none —", NONE)] + [(h, h) for h in dict.fromkeys(headers)]
        self._restoring = True
        try:
            for field, dd in self.mapping.items():
                dd.options = options
                dd.value = suggested.get(field, NONE)
        finally:
            self._restoring = False
        self.load_button.disabled = False
        found = ", ".join(f"{f} ← {h}" for f, h in suggested.items()) or "nothing"
        self.upload_feedback.show(
            f"Read the header of {name}",
            [
                Message("info", f"Columns: {', '.join(headers)}."),
                Message("info", f"Suggested: {found}. Check each, then choose 'Load my backlog'."),
            ],
        )
        self.changed()
        return True

    def chosen_mapping(self) -> dict[str, str]:
        return {f: dd.value for f, dd in self.mapping.items() if dd.value != NONE}

    def chosen_defaults(self) -> dict[str, float]:
        return {f: dd.value for f, dd in self.defaults.items() if dd.value is not None}

    def load(self) -> bool:
        """Import the uploaded file with the chosen mapping and defaults, then rank it."""
        if self._upload is None:
            self.upload_feedback.show("Nothing to load", [Message("error", "Upload a CSV first.")])
            return False
        name, content = self._upload
        mapping = self.chosen_mapping()
        try:
            result = ti.import_backlog(
                content, mapping, self.chosen_defaults(), file=name, skip_invalid=self.skip.value
            )
            ranking = _Ranking(Workbook(None), backlog=result.frame)
        except (DataError, p.BacklogError) as exc:
            hint = Message(
                "info",
                "Fix the file, choose a default for blank estimates, or tick 'Leave out rows "
                "that cannot be used'.",
            )
            self.upload_feedback.show(
                f"Not loaded; {self._keep()}", [Message("error", str(exc)), hint]
            )
            return False
        self.loaded, self.ranking = result, ranking
        self.ranking_box.children = (ranking.widget,)
        msgs = [Message("good", f"{len(result.frame):,} items loaded from {name}.")]
        if result.skipped:
            msgs.append(Message("warn", f"{result.skipped} row(s) left out; see the notes."))
        msgs += [Message("warn", str(note)) for note in result.notes]
        self.upload_feedback.show(
            f"Loaded {len(result.frame):,} items with {len(result.notes)} warning(s)", msgs
        )
        self.changed()
        return True

    # --- state ----------------------------------------------------------------------------
    def answer(self) -> dict[str, Any]:
        return {
            "file": None if self.loaded is None else self.loaded.file,
            "items": None if self.loaded is None else len(self.loaded.frame),
            "mapping": self.chosen_mapping(),
            "defaults": self.chosen_defaults(),
            "skip": self.skip.value,
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved import settings could not be read; starting afresh."
        skipped = []
        defaults = answer.get("defaults", {})
        for field, value in (defaults if isinstance(defaults, Mapping) else {}).items():
            dd = self.defaults.get(field)
            if dd is not None and value in [v for _, v in dd.options] and value is not None:
                dd.value = value
            else:
                skipped.append(f"default for {field}")
        if isinstance(answer.get("skip"), bool):
            self.skip.value = answer["skip"]
        mapping = answer.get("mapping", {})
        if isinstance(mapping, Mapping) and all(isinstance(v, str) for v in mapping.values()):
            self.saved_mapping = {f: v for f, v in mapping.items() if f in FIELD_LABELS}
        else:
            skipped.append("column mapping")
        text = saved_text(answer.get("reflection", ""), MAX_TEXT_CHARS)
        if text is None:
            skipped.append("reflection")
        self.reflection.value = text or ""
        if skipped:
            return "Some saved answers could not be used: " + ", ".join(skipped) + "."
        if answer.get("file"):
            return (
                f"Welcome back: last time you loaded {answer['file']}; upload it again to see "
                "its ranking (files are not kept in the workbook)."
            )
        return None

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    def refresh(self) -> None:
        if self.ranking is not None:
            self.ranking.rerank()
        elif self._upload is None and not self.upload_feedback.heading:
            self.upload_feedback.show(
                "No backlog loaded yet",
                [
                    Message(
                        "info",
                        "Upload a CSV export from Jira, GitHub, Linear or a spreadsheet, check "
                        "which column is which, then press Load my backlog.",
                    )
                ],
            )

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = [
            f"Loaded: {answer.get('file') or '(no file)'}"
            + (f", {answer['items']} items" if answer.get("items") else "")
        ]
        for field, column in answer.get("mapping", {}).items():
            lines.append(f"- {field} ← {column}")
        for field, value in answer.get("defaults", {}).items():
            lines.append(f"- blank {field} counts as {value}")
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines)


class WorkedImport:
    """Static path: the sample Jira export imported with the suggested mapping."""

    def __init__(self, name: str = "jira_export.csv", confidence: float = 50):
        self.path = data.data_dir() / "samples" / name
        raw = self.path.read_bytes()
        headers = ti.read_headers(raw, file=name)
        self.headers = headers
        self.mapping = ti.suggest_mapping(headers)
        try:
            ti.import_backlog(raw, self.mapping, {"confidence": confidence}, file=name)
            self.problems = []
        except DataError as exc:
            self.problems = [str(pr) for pr in exc.problems]
        self.result = ti.import_backlog(
            raw, self.mapping, {"confidence": confidence}, file=name, skip_invalid=True
        )
        self.rice = p.score_backlog(self.result.frame, "rice")

    def glue(self, prefix: str) -> None:
        from myst_nb import glue

        from .prioritise_backlog import _Plain

        glue(f"{prefix}_columns", len(self.headers), display=False)
        glue(f"{prefix}_rows", len(self.result.frame), display=False)
        glue(f"{prefix}_warnings", len(self.result.notes), display=False)
        glue(f"{prefix}_problems", len(self.problems), display=False)
        glue(f"{prefix}_skipped", self.result.skipped, display=False)
        glue(f"{prefix}_top", _Plain(", ".join(self.rice["item_id"].head(3))), display=False)

    def mapping_table(self):
        import pandas as pd

        frame = pd.DataFrame(
            {"field": list(self.mapping), "column in the export": list(self.mapping.values())}
        )
        return frame.style.hide(axis="index").set_uuid("pivot-jira-mapping")

    def problems_table(self):
        import pandas as pd

        frame = pd.DataFrame({"problem": self.problems})
        return frame.style.hide(axis="index").set_uuid("pivot-jira-problems")

    def notes_table(self):
        import pandas as pd

        frame = pd.DataFrame({"warning": [str(n) for n in self.result.notes]})
        return frame.style.hide(axis="index").set_uuid("pivot-jira-notes")
