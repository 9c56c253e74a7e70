"""Shift 3, bring your own backlog: upload an issue-tracker export, rank it, plan a capacity.

The file is read by :func:`pivot.frameworks.tracker_import.import_backlog`; the column
drop-downs are pre-filled by :func:`~pivot.frameworks.tracker_import.suggest_mapping` (there is a
drop-down for every field it can suggest, and whatever it suggests is accepted), and every
estimate RICE or WSJF needs has a default: blank cells take the learner's choice, and a field
the file lacks altogether starts at a neutral value, said in a note. Effort keeps the unit of
the file (story points stay story points): the unit is detected from the column or chosen by
the learner, and the capacity is asked for in that same unit. Ranking and capacity plans come
from :mod:`pivot.frameworks.prioritization`; nothing is computed twice.

Everything the learner sets (the file itself, up to :data:`MAX_KEPT_BYTES` compressed, the
mapping, defaults, unit, capacity) is saved in the workbook as they go, and comes back after a
kernel restart. A failed upload changes nothing: the backlog loaded before, the mapping and the
defaults stay as they were.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import zlib
from collections.abc import Mapping
from typing import Any

import ipywidgets as W

from .. import data
from ..data import DataError, Problem
from ..frameworks import prioritization as p
from ..frameworks import tracker_import as ti
from ..kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message
from .common import html_table, quote, saved_text

#: Largest upload accepted (a 10,000-row export is about 2 MB).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Largest file kept in the workbook, compressed (a 10,000-row export takes about 150 KB).
MAX_KEPT_BYTES = 1024 * 1024
#: Longest capacity text accepted (a number needs a few characters).
MAX_CAPACITY_CHARS = 40
#: Rows of the ranking shown (every row is ranked).
TOP_SHOWN = 10
#: The exact plan is searched among this many items from the top of the ranking, so that the
#: feedback stays fast on a 10,000-item export; the page says so when a backlog is longer.
#: Going down the ranking starts with these items too, and goes on through the whole backlog
#: only when capacity is left that a later item could use (so its plan is always exact).
BEST_POOL = 200
#: The fields offered for mapping, with their labels: every field suggest_mapping can suggest.
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
    "type": "Type column",
    "labels": "Labels column",
}
NONE = ""
_SAME = "1: the same for every item"
#: Default choices for blank or missing estimates: (label, value); ``None`` = no default.
DEFAULTS: dict[str, list[tuple[str, float | None]]] = {
    "reach": [("no default", None), (_SAME, 1)],
    "impact": [("no default", None), *[(f"{v:g}", v) for v in p.IMPACT_SCALE]],
    "confidence": [("no default", None), ("50% low", 50), ("80% medium", 80), ("100% high", 100)],
    "effort": [("no default", None), (_SAME, 1)],
    **{
        f: [("no default", None), *[(str(v), v) for v in p.WSJF_SCALE]]
        for f in ("business_value", "time_criticality", "risk_reduction")
    },
    "job_size": [("no default", None), (_SAME, 1)],
}
#: The value a needed field starts at when the file has no column (and no labels) for it.
NEUTRAL = {f: 1 for f in ti.NUMERIC_FIELDS} | {"confidence": 50}
#: Units offered when the file does not say which one effort is in.
UNIT_CHOICES = [("— which unit? —", NONE), *[(u, u) for u in ti.EFFORT_UNITS]]
UNIT_CHOICES.append(("another unit of our own", "units of effort"))
METHOD_NAMES = {"rice": "RICE", "wsjf": "WSJF"}
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)(e[+-]?\d+)?$", re.IGNORECASE)


def _fmt(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 else f"{x:,.0f}"


def _content(entry: object) -> tuple[str, bytes]:
    """(file name, bytes) from one FileUpload entry (ipywidgets 8: a dict with a memoryview)."""
    if not isinstance(entry, Mapping) or "content" not in entry:
        raise DataError([Problem("uploaded file", "an uploaded file (nothing was received)")])
    name = str(entry.get("name") or "uploaded file")[:200]
    content = entry["content"]
    return name, content.tobytes() if isinstance(content, memoryview) else bytes(content)


def parse_capacity(text: object, unit: str) -> tuple[float | None, str | None]:
    """A capacity typed by the learner: ``(value, None)``, or ``(None, message)`` saying what
    is wrong with it (blank, too long, not a number, NaN, infinite, negative)."""
    raw = "" if text is None else str(text)
    shown = raw.strip()
    if len(raw) > MAX_CAPACITY_CHARS:
        return None, (
            f"Capacity is {len(raw):,} characters long; expected a number of at least 0 {unit} "
            f"(at most {MAX_CAPACITY_CHARS} characters). Your text is kept but not saved."
        )
    if not shown:
        return None, f"Enter the team's capacity in {unit} to see what fits."
    folded = shown.casefold().replace(" ", "")
    if folded in ("nan", "+nan", "-nan"):
        return (
            None,
            f"Capacity must be a number of at least 0 {unit} (got '{shown}': not a number).",
        )
    if folded.lstrip("+-") in ("inf", "infinity", "∞"):
        return None, (
            f"Capacity must be a finite number of at least 0 {unit} (got '{shown}'): no team "
            "has unlimited capacity."
        )
    if not _NUMBER.match(folded):
        return None, (
            f"Capacity must be a number of at least 0 {unit}, such as 20 or 12.5 (got '{shown}')."
        )
    value = float(folded.replace(",", "."))
    if not math.isfinite(value):
        return None, f"Capacity must be a finite number of at least 0 {unit} (got '{shown}')."
    if value < 0:
        return None, f"Capacity must be a number of at least 0 {unit} (got '{shown}')."
    return value, None


class BringYourOwnBacklog(Exercise):
    """Upload a CSV export, map its columns, choose defaults and the unit, load, rank, plan."""

    exercise_id = "shift3.own_backlog"
    title = "Shift 3: bring your own backlog"

    def build(self) -> W.Widget:
        style = {"description_width": "14em"}
        wide = W.Layout(width="34em", max_width="100%")
        self.upload = W.FileUpload(
            accept=".csv,.txt,.tsv,text/csv", multiple=False, description="Upload CSV"
        )
        self.upload.observe(self._uploaded, names="value")
        self.mapping = {
            field: W.Dropdown(
                options=[("— none —", NONE)],
                value=NONE,
                description=label,
                style=style,
                layout=wide,
            )
            for field, label in FIELD_LABELS.items()
        }
        self.defaults = {
            field: W.Dropdown(
                options=options,
                value=None,
                description=f"Blank {field.replace('_', ' ')} is",
                style=style,
                layout=wide,
            )
            for field, options in DEFAULTS.items()
        }
        self.defaults["confidence"].value = 50
        self.unit = W.Dropdown(
            options=UNIT_CHOICES, value=NONE, description="Effort is in", style=style, layout=wide
        )
        self.skip = W.Checkbox(
            value=False, description="Leave out rows that cannot be used", indent=False
        )
        self.load_button = W.Button(
            description="Load my backlog", tooltip="Read the file with this mapping", disabled=True
        )
        self.load_button.on_click(lambda _b: self.load())
        self.upload_feedback = FeedbackPanel("Upload feedback")
        self.method = W.ToggleButtons(
            options=[("RICE", "rice")],
            value="rice",
            description="Rank by",
            style=style,
        )
        self.table = W.HTML()
        self.capacity = W.Text(
            value="",
            placeholder="a number, in the unit of effort",
            description="Capacity (choose the unit of effort first)",
            style={"description_width": "22em"},
            layout=W.Layout(width="36em", max_width="100%"),
            continuous_update=False,
        )
        self.capacity_feedback = FeedbackPanel("Capacity plan")
        self.reflection = self.reflection_box(
            "What did the import tell you about how your team records estimates?"
        )
        for w in [
            *self.mapping.values(),
            *self.defaults.values(),
            self.skip,
            self.method,
            self.capacity,
        ]:
            w.observe(self.changed, names="value")
        self.unit.observe(self._unit_chosen, names="value")
        self._upload: tuple[str, bytes] | None = None
        self._kept: dict[str, Any] | None = None
        self._kept_note = ""
        self._capacity_saved = ""
        self.unit_reason = ""
        self.loaded: ti.ImportResult | None = None
        self.scored: dict[str, Any] = {}
        self.plans: tuple[p.CapacityPlan, p.CapacityPlan] | None = None
        self.ranking_box = W.VBox(
            [self.method, self.table, self.capacity, self.capacity_feedback.widget]
        )
        self.ranking_box.layout.display = "none"
        return W.VBox(
            [
                W.HTML("<p><strong>1. Upload an export from your issue tracker (CSV)</strong></p>"),
                self.upload,
                W.HTML("<p><strong>2. Which column is which?</strong></p>"),
                *self.mapping.values(),
                W.HTML(
                    "<p><strong>3. Defaults for blank or missing estimates, and the unit of "
                    "effort</strong></p>"
                ),
                *self.defaults.values(),
                self.unit,
                self.skip,
                self.load_button,
                self.upload_feedback.widget,
                W.HTML("<p><strong>4. Your backlog, ranked, and what fits</strong></p>"),
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

    def _read_header(self, name: str, content: bytes) -> list[str]:
        if len(content) > MAX_UPLOAD_BYTES:
            raise DataError([Problem(name, data.too_big_message(len(content)))])
        headers = [h for h in ti.read_headers(content, file=name) if h]
        if len(headers) < 2:
            raise DataError(
                [
                    Problem(
                        name,
                        "at least an item id and the estimates; found "
                        f"{len(headers)} column ({', '.join(headers)}). Is it separated by "
                        "commas, semicolons or tabs?",
                    )
                ]
            )
        return headers

    def _set_options(self, headers: list[str]) -> None:
        options = [("— none —", NONE)] + [(h, h) for h in dict.fromkeys(headers)]
        for dd in self.mapping.values():
            dd.options = options
            dd.value = NONE

    def receive_upload(self, entry: object) -> bool:
        """Read an uploaded file's header and pre-fill the mapping, defaults and unit."""
        try:
            name, content = _content(entry)
            headers = self._read_header(name, content)
        except DataError as exc:
            self.upload_feedback.show(
                f"Your file could not be used; {self._keep()}", [Message("error", str(exc))]
            )
            return False
        suggested = ti.suggest_mapping(headers)
        in_labels = (
            ti.label_fields(content, suggested["labels"], file=name)
            if "labels" in suggested
            else set()
        )
        self._restoring = True
        try:
            self._upload = (name, content)
            self._keep_file(name, content)
            self._set_options(headers)
            for field, dd in self.mapping.items():
                dd.value = suggested.get(field, NONE)
            neutral = self._neutral_defaults(suggested, in_labels)
            for field, dd in self.defaults.items():
                if field in neutral:
                    dd.value = neutral[field]
            if "effort" in suggested:
                unit, self.unit_reason = ti.detect_unit(suggested["effort"])
                self.unit.value = unit or NONE
        finally:
            self._restoring = False
        self.load_button.disabled = False
        found = ", ".join(f"{f.replace('_', ' ')} ← {h}" for f, h in suggested.items())
        msgs = [
            Message("info", f"Columns: {', '.join(dict.fromkeys(headers))}."),
            Message(
                "info",
                f"Suggested: {found or 'nothing'}. Check each, then choose 'Load my backlog'.",
            ),
        ]
        repeated = sorted({h for h in headers if headers.count(h) > 1})
        if repeated:
            msgs.append(
                Message(
                    "info",
                    "Repeated column names (trackers such as Jira repeat a column once per "
                    f"value): {', '.join(repeated)}. A mapped one is read as one column, its "
                    "labels joined; the others are left out.",
                )
            )
        for field, value in neutral.items():
            if field != "confidence" or "confidence" not in suggested:
                msgs.append(
                    Message(
                        "warn",
                        f"The file has no column for {field.replace('_', ' ')}: every item "
                        f"starts at {_fmt(value)}. Change the default below if you know better.",
                    )
                )
        if self._kept_note:
            msgs.append(Message("warn", self._kept_note))
        self.upload_feedback.show(f"Read the header of {name}", msgs)
        self.changed()
        return True

    def _neutral_defaults(self, suggested: Mapping[str, str], in_labels: set[str]) -> dict:
        """Defaults for needed fields the file has no column or labels for (RICE always; WSJF
        when the file has at least one column for its cost of delay)."""
        needed = list(p.FIELDS["rice"])
        if any(f in suggested or f in in_labels for f in p.FIELDS["wsjf"][:3]):
            needed += list(p.FIELDS["wsjf"])
        return {f: NEUTRAL[f] for f in needed if f not in suggested and f not in in_labels}

    def _keep_file(self, name: str, content: bytes) -> None:
        """Compress the file for the workbook, or say why it is not kept."""
        packed = zlib.compress(content, 6)
        if len(packed) > MAX_KEPT_BYTES:
            self._kept = None
            self._kept_note = (
                f"{name} is too large to keep in your workbook ({len(packed) / 2**20:.1f} MB "
                f"compressed; the limit is {MAX_KEPT_BYTES / 2**20:.0f} MB). Your settings are "
                "kept; after a restart, upload the file again."
            )
        else:
            self._kept = {
                "name": name,
                "bytes": len(content),
                "zlib_base64": base64.b64encode(packed).decode("ascii"),
            }
            self._kept_note = ""

    def chosen_mapping(self) -> dict[str, str]:
        return {f: dd.value for f, dd in self.mapping.items() if dd.value != NONE}

    def chosen_defaults(self) -> dict[str, float]:
        return {f: dd.value for f, dd in self.defaults.items() if dd.value is not None}

    @property
    def unit_name(self) -> str:
        """The unit of effort chosen or detected; a neutral phrase while it is unknown."""
        return self.unit.value or "units of effort"

    def cost_unit(self, method: str) -> str:
        """The unit of the cost that ``method`` divides by (and the capacity's)."""
        mapping = self.chosen_mapping()
        if method == "wsjf" and mapping.get("job_size") != mapping.get("effort"):
            return "job-size points"
        return self.unit_name

    def _unit_chosen(self, _change=None) -> None:
        if not self._restoring:
            self.unit_reason = "you chose it"
        self.changed()

    def load(self) -> bool:
        """Import the uploaded file with the chosen mapping and defaults, then rank it."""
        if self._upload is None:
            self.upload_feedback.show("Nothing to load", [Message("error", "Upload a CSV first.")])
            return False
        name, content = self._upload
        try:
            result = ti.import_backlog(
                content,
                self.chosen_mapping(),
                self.chosen_defaults(),
                file=name,
                skip_invalid=self.skip.value,
            )
            scored = {"rice": p.score_backlog(result.frame, "rice")}
            wsjf = [f for f in p.FIELDS["wsjf"] if f in result.frame]
            if len(wsjf) == 4 and not result.frame[wsjf].isna().any().any():
                scored["wsjf"] = p.score_backlog(result.frame, "wsjf")
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
        self.loaded, self.scored = result, scored
        detected = result.units.get("effort")
        if detected and not self._restoring and self.unit_reason != "you chose it":
            self._restoring = True
            try:
                self.unit.value = detected
            finally:
                self._restoring = False
            self.unit_reason = result.unit_reasons.get("effort", "")
        elif not detected and self.unit_reason != "you chose it":
            self.unit_reason = result.unit_reasons.get("effort", "")
        restoring, self._restoring = self._restoring, True
        try:
            self.method.options = [(METHOD_NAMES[m], m) for m in scored]
            self.method.value = "rice"
        finally:
            self._restoring = restoring
        self.ranking_box.layout.display = None
        msgs = [Message("good", f"{len(result.frame):,} items loaded from {name}.")]
        msgs.append(self.unit_message())
        if "wsjf" not in scored:
            msgs.append(
                Message("info", "WSJF is not offered: the file has no WSJF estimates to rank by.")
            )
        if result.skipped:
            msgs.append(Message("warn", f"{result.skipped} row(s) left out; see the notes."))
        msgs += [Message("warn", str(note)) for note in result.notes]
        if self._kept_note:
            msgs.append(Message("warn", self._kept_note))
        self.upload_feedback.show(
            f"Loaded {len(result.frame):,} items with {len(result.notes)} note(s)", msgs
        )
        self.changed()
        return True

    def unit_message(self) -> Message:
        """What the learner is told about the unit of effort."""
        if not self.unit.value:
            return Message(
                "warn",
                "Which unit is effort in? The file does not say "
                f"({self.unit_reason or 'no effort column'}). Choose it under 'Effort is in'; "
                "the capacity is then asked for in the same unit.",
            )
        unit = self.unit.value
        text = f"Effort is in {unit} ({self.unit_reason or 'you chose it'})."
        if unit == "story points":
            text += (
                " Story points are relative sizes, not a measure of time: give the capacity in "
                "story points too (what the team finishes per sprint, times the sprints you "
                "plan), never in months or days."
            )
        else:
            text += f" Give the capacity in {unit} too."
        return Message("info", text)

    # --- ranking and capacity ---------------------------------------------------------------
    def refresh(self) -> None:
        if self.loaded is None:
            if self._upload is None and not self.upload_feedback.heading:
                self.upload_feedback.show(
                    "No backlog loaded yet",
                    [
                        Message(
                            "info",
                            "Upload a CSV export from Jira, GitHub, Linear, Azure DevOps, Trello "
                            "or a spreadsheet, check which column is which, then press Load my "
                            "backlog.",
                        )
                    ],
                )
            elif self._upload is not None and not self.upload_feedback.heading:
                self.upload_feedback.show(
                    f"{self._upload[0]} is back, not loaded yet",
                    [
                        Message(
                            "info",
                            "Your file and your column choices were kept in your workbook. "
                            "Check which column is which, then press Load my backlog.",
                        )
                    ],
                )
            self._label_capacity()
            return
        self.rerank()

    def _label_capacity(self) -> None:
        method = self.method.value or "rice"
        unit = self.cost_unit(method)
        self.capacity.description = (
            f"Capacity ({unit})"
            if self.unit.value or (method == "wsjf" and unit != self.unit_name)
            else "Capacity (choose the unit of effort first)"
        )
        self.capacity.placeholder = f"a number of {unit}"

    def rerank(self) -> None:
        """Redraw the ranking and the capacity plan from the current inputs."""
        method = self.method.value if self.method.value in self.scored else "rice"
        scored = self.scored[method]
        self._label_capacity()
        self._draw_table(method, scored)
        self.capacity_feedback.show(*self.capacity_for(method, scored))

    def _draw_table(self, method: str, scored) -> None:
        unit = self.cost_unit(method)
        top = scored.head(TOP_SHOWN)
        if method == "rice":
            headers = [
                "Rank",
                "Item",
                "Title",
                "Reach",
                "Impact",
                "Confidence %",
                f"Effort ({unit})",
            ]
            cols = ["reach", "impact", "confidence", "effort"]
        else:
            headers = [
                "Rank",
                "Item",
                "Title",
                "Value",
                "Time crit.",
                "Risk red.",
                f"Job size ({unit})",
            ]
            cols = ["business_value", "time_criticality", "risk_reduction", "job_size"]
        rows = [
            [int(r["rank"]), r["item_id"], r["title"], *(_fmt(float(r[c])) for c in cols),
             _fmt(float(r["score"]))]
            for _, r in top.iterrows()
        ]  # fmt: skip
        self.table.value = html_table(
            [*headers, "Score"],
            rows,
            caption=f"The top {len(top)} of {len(scored):,} items by {METHOD_NAMES[method]}",
            wide=["Title"],
        )

    def capacity_for(self, method: str, scored) -> tuple[str, list[Message]]:
        """The capacity plans (greedy down the ranking, and the best set), in the cost's unit."""
        unit = self.cost_unit(method)
        cost = p.COST_FIELD[method]
        self.plans = None
        if method == "rice" and not self.unit.value:
            return "Capacity plan: which unit is effort in?", [self.unit_message()]
        capacity, problem = parse_capacity(self.capacity.value, unit)
        if problem:
            level = "info" if not str(self.capacity.value).strip() else "error"
            return f"Capacity plan in {unit}", [Message(level, problem)]
        pool = scored.head(BEST_POOL)
        try:
            greedy = p.fit_capacity_greedy(pool, capacity, cost_col=cost)
            rest = scored.iloc[BEST_POOL:]
            rest = rest[rest["value"] > 0] if "value" in rest else rest
            if len(rest) and greedy.unused >= float(rest[cost].min()) - 1e-9:
                # something further down could still fit: go down the whole ranking
                greedy = p.fit_capacity_greedy(scored, capacity, cost_col=cost)
            best = p.fit_capacity_best(pool, capacity, cost_col=cost)
        except (ValueError, p.BacklogError) as exc:
            return f"Capacity plan for {p.amount_text(capacity, unit)}", [
                Message("error", f"No plan for this capacity: {exc}")
            ]
        self.plans = (greedy, best)
        name = METHOD_NAMES[method]
        msgs = [Message("info", f"Capacity and effort are both in {unit}.")]
        for label, plan in (
            (f"Going down the {name} ranking, taking what fits", greedy),
            ("The best set" + (
                f" (searched among the top {BEST_POOL} items by rank)"
                if len(scored) > BEST_POOL else ""), best),
        ):  # fmt: skip
            value = getattr(plan, "total_value", None)
            worth = (
                f", total {getattr(plan, 'value_name', 'value')} {_fmt(value)}"
                if value is not None
                else ""
            )
            shown = ", ".join(plan.items[:20]) + (" …" if len(plan.items) > 20 else "")
            msgs.append(
                Message(
                    "info",
                    f"{label}: {len(plan.items)} items, {_fmt(plan.total_cost)} of "
                    f"{p.amount_text(capacity, unit)} used ({_fmt(plan.unused)} unused){worth}.",
                    shown or "Nothing fits.",
                )
            )
        if set(greedy.items) == set(best.items):
            msgs.append(Message("good", "Here going down the ranking already finds the best set."))
        else:
            out = [i for i in greedy.items if i not in best.items]
            extra = [i for i in best.items if i not in greedy.items]
            msgs.append(
                Message(
                    "warn",
                    "The best set differs from going down the ranking: it leaves out "
                    f"{', '.join(out[:10]) or 'nothing'} and takes "
                    f"{', '.join(extra[:10]) or 'nothing more'} instead. Taking what fits in "
                    "rank order can spend the capacity on one large item where several smaller "
                    "ones add up to more.",
                )
            )
        return f"Capacity plan for {p.amount_text(capacity, unit)} by {name}", msgs

    # --- state ----------------------------------------------------------------------------
    def answer(self) -> dict[str, Any]:
        capacity = self.capacity.value
        if len(capacity) <= MAX_CAPACITY_CHARS:
            self._capacity_saved = capacity
        return {
            "file": None if self.loaded is None else self.loaded.file,
            "items": None if self.loaded is None else len(self.loaded.frame),
            "loaded": self.loaded is not None,
            "upload": self._kept,
            "mapping": self.chosen_mapping(),
            "defaults": self.chosen_defaults(),
            "unit": self.unit.value,
            "unit_reason": self.unit_reason,
            "skip": self.skip.value,
            "method": self.method.value,
            "capacity": self._capacity_saved,
            "reflection": self.reflection.value,
        }

    def _restore_file(self, kept: object) -> tuple[str, bytes] | None:
        if not isinstance(kept, Mapping):
            return None
        try:
            packed = base64.b64decode(str(kept["zlib_base64"]), validate=True)
            content = zlib.decompress(packed)
            name = str(kept["name"])[:200]
        except (KeyError, TypeError, ValueError, binascii.Error, zlib.error):
            return None
        return name, content

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved import settings could not be read; starting afresh."
        skipped: list[str] = []
        upload = answer.get("upload")
        restored = self._restore_file(upload) if upload is not None else None
        if upload is not None and restored is None:
            skipped.append("the uploaded file")
        if restored is not None:
            try:
                self._set_options(self._read_header(*restored))
                self._upload = restored
                self._kept = dict(upload)
                self.load_button.disabled = False
            except DataError:
                skipped.append("the uploaded file")
        mapping = answer.get("mapping", {})
        if isinstance(mapping, Mapping):
            for field, column in mapping.items():
                dd = self.mapping.get(field)
                if dd is not None and column in [v for _, v in dd.options]:
                    dd.value = column
                elif self._upload is not None:
                    skipped.append(f"column for {field}")
        else:
            skipped.append("column mapping")
        defaults = answer.get("defaults", {})
        for field, value in (defaults if isinstance(defaults, Mapping) else {}).items():
            dd = self.defaults.get(field)
            if dd is not None and value is not None and value in [v for _, v in dd.options]:
                dd.value = value
            else:
                skipped.append(f"default for {field}")
        unit = answer.get("unit", NONE)
        if unit in [v for _, v in UNIT_CHOICES]:
            self.unit.value = unit
            reason = answer.get("unit_reason", "")
            self.unit_reason = reason[:300] if isinstance(reason, str) else ""
        else:
            skipped.append("unit of effort")
        if isinstance(answer.get("skip"), bool):
            self.skip.value = answer["skip"]
        capacity = answer.get("capacity", "")
        if isinstance(capacity, str) and len(capacity) <= MAX_CAPACITY_CHARS:
            self.capacity.value = self._capacity_saved = capacity
        else:
            skipped.append("capacity")
        if answer.get("loaded") is True and self._upload is not None:
            self.load()
            if answer.get("method") in self.scored:
                self.method.value = answer["method"]
        text = saved_text(answer.get("reflection", ""), MAX_TEXT_CHARS)
        if text is None:
            skipped.append("reflection")
        self.reflection.value = text or ""
        if skipped:
            return "Some saved answers could not be used: " + ", ".join(skipped) + "."
        if answer.get("file") and self.loaded is None:
            return (
                f"Welcome back: last time you loaded {answer['file']}; upload it again to see "
                "its ranking (it was not kept in the workbook)."
            )
        return None

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = [
            f"Loaded: {answer.get('file') or '(no file)'}"
            + (f", {answer['items']} items" if answer.get("items") else "")
        ]
        for field, column in answer.get("mapping", {}).items():
            lines.append(f"- {field} ← {column}")
        for field, value in answer.get("defaults", {}).items():
            lines.append(f"- blank {field} counts as {value}")
        if answer.get("unit"):
            lines.append(f"- effort is in {answer['unit']}")
        if answer.get("capacity"):
            lines.append(f"- capacity: {answer['capacity']}")
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines)


class _Plain(str):
    """Text glued into prose: shown without the quotes a ``str`` repr adds."""

    def __repr__(self) -> str:
        return str(self)


class WorkedImport:
    """Static path: a sample export imported with the suggested mapping, ranked and planned."""

    CAPACITY = 20.0

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
        self.unit = self.result.units.get("effort") or "units of effort"
        self.rice = p.score_backlog(self.result.frame, "rice")
        self.greedy = p.fit_capacity_greedy(self.rice, self.CAPACITY)
        self.best = p.fit_capacity_best(self.rice, self.CAPACITY)

    def glue(self, prefix: str) -> None:
        from myst_nb import glue

        repeated = sorted({h for h in self.headers if self.headers.count(h) > 1})
        glue(f"{prefix}_columns", len(self.headers), display=False)
        glue(f"{prefix}_repeated", _Plain(" and ".join(repeated)), display=False)
        glue(f"{prefix}_rows", len(self.result.frame), display=False)
        glue(f"{prefix}_warnings", len(self.result.notes), display=False)
        glue(f"{prefix}_problems", len(self.problems), display=False)
        glue(f"{prefix}_skipped", self.result.skipped, display=False)
        glue(f"{prefix}_unit", _Plain(self.unit), display=False)
        glue(f"{prefix}_effort_column", _Plain(self.mapping["effort"]), display=False)
        glue(f"{prefix}_top", _Plain(", ".join(self.rice["item_id"].head(3))), display=False)
        glue(f"{prefix}_capacity", _Plain(_fmt(self.CAPACITY)), display=False)
        for key, plan in (("greedy", self.greedy), ("best", self.best)):
            glue(f"{prefix}_{key}_items", _Plain(", ".join(plan.items)), display=False)
            glue(f"{prefix}_{key}_cost", _Plain(_fmt(plan.total_cost)), display=False)
            glue(f"{prefix}_{key}_count", len(plan.items), display=False)
            glue(f"{prefix}_{key}_value", _Plain(_fmt(plan.total_value)), display=False)
        dropped = [i for i in self.greedy.items if i not in self.best.items]
        added = [i for i in self.best.items if i not in self.greedy.items]
        glue(f"{prefix}_dropped", _Plain(", ".join(dropped)), display=False)
        glue(f"{prefix}_added", _Plain(", ".join(added)), display=False)

    def mapping_table(self):
        import pandas as pd

        frame = pd.DataFrame(
            {
                "Field": [f.replace("_", " ") for f in self.mapping],
                "Column in the export": list(self.mapping.values()),
            }
        )
        return frame.style.hide(axis="index").set_uuid("pivot-jira-mapping")

    def problems_table(self):
        import pandas as pd

        frame = pd.DataFrame({"Problem": self.problems})
        return frame.style.hide(axis="index").set_uuid("pivot-jira-problems")

    def notes_table(self):
        import pandas as pd

        frame = pd.DataFrame({"Note": [str(n) for n in self.result.notes]})
        return frame.style.hide(axis="index").set_uuid("pivot-jira-notes")

    def ranking_table(self, n: int = 5):
        frame = self.rice.head(n)[["rank", "item_id", "title", "reach", "impact", "confidence",
                                   "effort", "score"]]  # fmt: skip
        frame = frame.rename(
            columns={
                "rank": "Rank",
                "item_id": "Item",
                "title": "Title",
                "reach": "Reach",
                "impact": "Impact",
                "confidence": "Confidence %",
                "effort": f"Effort ({self.unit})",
                "score": "RICE score",
            }
        )
        fmt = {c: "{:g}" for c in frame.columns if c not in ("Item", "Title", "Rank")}
        return frame.style.hide(axis="index").format(fmt).set_uuid("pivot-jira-ranking")
