"""Shift 1, exercise 2: from interview notes to a pain-point map and a top three.

The learner codes each interview snippet to a pain point (or ``none``) and rates how much it
hurts (1–5). The widget sums the coding up with
:func:`pivot.frameworks.discovery.aggregate_pain_points` (customer reach = distinct customers,
mean severity), draws the pain-point map as an SVG bubble chart, shows the survey's opportunity
scores (Ulwick 2002), and compares the learner's top three with the reference analysis.

A learner may load their own interview notes (a CSV file with a snippet id, a customer and the
text) through an upload box; columns are mapped with drop-downs, and a file that cannot be used
gets a message, never a traceback, and never costs the coding already done.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import ipywidgets as W
import pandas as pd

from .. import data, plots
from ..data import Column, DataError, Schema
from ..frameworks import discovery as d
from ..kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape
from .common import html_table, quote, saved_text

#: Snippets shown at once; the learner pages through a customer's snippets with Prev / Next.
PAGE_SIZE = 5
#: Largest interview-notes file accepted from an upload (about 1,500 snippets of 600 characters).
MAX_UPLOAD_BYTES = 1024 * 1024
NOT_CODED = ""
COURSE = "course"
OWN = "own"

#: A learner's own interview notes: three columns, named in the file however they like.
NOTES_SCHEMA = Schema(
    "interview_notes",
    (
        Column("snippet_id", pattern=r"[A-Za-z0-9][A-Za-z0-9_.-]{0,19}", unique=True),
        Column("customer_id", max_chars=60),
        Column("snippet", max_chars=1_000),
    ),
    "A learner's own interview notes, one snippet per row.",
    max_rows=500,
)
FIELD_LABELS = {
    "snippet_id": "Id column",
    "customer_id": "Customer column",
    "snippet": "Text column",
}
_GUESSES = {
    "snippet_id": ("snippet_id", "id", "snippet", "note_id", "quote_id"),
    "customer_id": ("customer_id", "customer", "account", "company", "client", "interviewee"),
    "snippet": ("snippet", "text", "note", "notes", "quote", "what they said", "comment"),
}


def short_name(key: str) -> str:
    return key.replace("_", " ")


def reading(category: str) -> str:
    """An opportunity category with what it means (Ulwick 2005), e.g. "solid (10 to 12: …)"."""
    meaning = d.CATEGORY_MEANING.get(category)
    return f"{category} ({meaning})" if meaning else category


def _scroll(table_html: str) -> str:
    """A table in its own horizontally scrolling box, so it never widens the page (390 px)."""
    return (
        '<div class="pivot-scroll" style="overflow-x:auto;max-width:100%" tabindex="0" '
        'role="region" aria-label="Table, scrolls sideways">' + table_html + "</div>"
    )


@lru_cache(maxsize=1)
def _reference():
    return data.load("pain_point_reference")


@lru_cache(maxsize=1)
def _opportunities() -> pd.DataFrame:
    return d.opportunity_table(data.load("opportunity_survey"))


def pain_point_figure(table: pd.DataFrame, *, title: str = "Pain-point map") -> plots.SvgFigure:
    """The pain-point map of an aggregated coding: x = customer reach, y = mean severity,
    area = snippets.

    The alt text states every point, so a screen-reader user gets the whole chart."""
    points = [
        {"label": short_name(r.pain_point), "x": r.reach, "y": r.mean_severity, "size": r.snippets}
        for r in table.itertuples(index=False)
    ]
    listed = "; ".join(
        f"{p['label']}: customer reach {p['x']}, mean severity {plots._fmt(p['y'])}, "
        f"{p['size']} snippets"
        for p in points
    )
    alt = (
        "Pain-point map, a bubble chart. Horizontal axis: customer reach, the number of distinct "
        "customers; vertical axis: mean severity from 1 to 5; bubble area: number of snippets. "
        + listed
        + "."
    )
    x_max = max([6] + [int(p["x"]) + 1 for p in points])
    return plots.bubble_chart(
        points,
        alt=alt,
        title=title,
        x_label="Customer reach (distinct customers)",
        y_label="Mean severity (1–5)",
        size_label="snippets",
        x_range=(0, x_max),
    )


def opportunity_html() -> str:
    table = _opportunities()
    rows = [
        (
            r.rank,
            short_name(r.pain_point),
            f"{r.outcome_id}: {r.outcome}",
            f"{r.importance:.1f} / {r.satisfaction:.1f}",
            f"{r.opportunity:.1f}",
            reading(r.category),
        )
        for r in table.itertuples(index=False)
    ]
    return _scroll(
        html_table(
            [
                "Rank",
                "Pain point",
                "Desired outcome",
                "Importance / satisfaction",
                "Opportunity",
                "Reading (Ulwick)",
            ],
            rows,
            caption="Opportunity scores from the customer survey (importance + max(importance "
            "− satisfaction, 0), 0–20)",
            wide=("Desired outcome",),
        )
    )


def pain_point_html(table: pd.DataFrame) -> str:
    labels = dict(zip(_reference()["pain_point"], _reference()["label"], strict=True))
    rows = [
        (
            r.rank,
            labels.get(r.pain_point, r.pain_point),
            r.snippets,
            r.reach,
            f"{r.mean_severity:.2f}",
            f"{r.score:.2f}",
        )
        for r in table.itertuples(index=False)
    ]
    return _scroll(
        html_table(
            [
                "Rank",
                "Pain point",
                "Snippets",
                "Customer reach",
                "Mean severity",
                "Customer reach × severity",
            ],
            rows,
            caption="Your pain points, ranked by customer reach × mean severity",
        )
    )


def _content(entry: object) -> tuple[str, bytes]:
    """(file name, bytes) from one FileUpload entry (ipywidgets 8: a dict with a memoryview)."""
    if not isinstance(entry, Mapping) or "content" not in entry:
        raise DataError([data.Problem("uploaded file", "an uploaded file (nothing was received)")])
    name = str(entry.get("name") or "uploaded file")
    content = entry["content"]
    return name, content.tobytes() if isinstance(content, memoryview) else bytes(content)


class PainPointMap(Exercise):
    """Code snippets to pain points, see the map, compare a top three with the reference."""

    exercise_id = "shift1.pain_point_map"
    title = "Shift 1: pain-point map"

    def __init__(self, workbook=None):
        self.reference = _reference()
        self.keys = list(self.reference.sort_values("pain_point")["pain_point"])
        self.labels = dict(zip(self.reference["pain_point"], self.reference["label"], strict=True))
        interviews = data.load("interviews")
        customers = data.load("customers").set_index("customer_id")
        self.company = dict(customers["company"])
        self.sources: dict[str, pd.DataFrame] = {COURSE: interviews}
        self.own_file = ""
        self.codings: dict[str, dict[str, tuple[str, int | None]]] = {COURSE: {}, OWN: {}}
        self.ref_coding = {
            r.snippet_id: (r.pain_point, int(r.severity))
            for r in interviews.itertuples(index=False)
        }
        self._upload: tuple[str, bytes] | None = None
        self._paging = False
        super().__init__(workbook)

    # --- widgets -------------------------------------------------------------------------
    def build(self) -> W.Widget:
        wide = {"description_width": "9em"}
        self.source = W.Dropdown(
            options=[("Kestrel Works interviews", COURSE)],
            value=COURSE,
            description="Notes",
            style=wide,
            layout=W.Layout(width="32em", max_width="100%"),
        )
        self.customer = W.Dropdown(
            description="Customer", style=wide, layout=W.Layout(width="32em")
        )
        self.prev = W.Button(description="◀ Previous", tooltip="Previous snippets")
        self.next = W.Button(description="Next ▶", tooltip="Next snippets")
        self.page_label = W.HTML()
        self.page = 0
        self.prev.on_click(lambda _b: self.turn(-1))
        self.next.on_click(lambda _b: self.turn(1))
        self.source.observe(self._source_changed, names="value")
        self.customer.observe(self._customer_changed, names="value")
        key_options = [("— not coded —", NOT_CODED), ("none (no pain point)", d.NO_PAIN_POINT)]
        key_options += [(f"{short_name(k)}: {self.labels[k]}", k) for k in self.keys]
        self.rows = []
        for _ in range(PAGE_SIZE):
            text = W.HTML()
            key = W.Dropdown(
                options=key_options,
                value=NOT_CODED,
                description="Pain point",
                style=wide,
                layout=W.Layout(width="38em", max_width="100%"),
            )
            sev = W.RadioButtons(
                options=[(str(v), v) for v in range(1, 6)],
                value=None,
                description="Severity",
                orientation="horizontal",
                style=wide,
                layout=W.Layout(width="auto", max_width="100%"),
            )
            note = W.HTML()
            key.observe(self._coding_changed, names="value")
            sev.observe(self._coding_changed, names="value")
            box = W.VBox([text, key, sev, note], layout=W.Layout(margin="0 0 .6em 0"))
            self.rows.append(
                {"sid": None, "text": text, "key": key, "sev": sev, "note": note, "box": box}
            )
        self.chart = W.HTML()
        self.table = W.HTML()
        self.opportunities = W.HTML(opportunity_html())
        top_options = [("— choose —", NOT_CODED)] + [(self.labels[k], k) for k in self.keys]
        self.top = [
            W.Dropdown(
                options=top_options,
                value=NOT_CODED,
                description=f"My #{i}",
                style=wide,
                layout=W.Layout(width="38em", max_width="100%"),
            )
            for i in (1, 2, 3)
        ]
        for t in self.top:
            t.observe(self.changed, names="value")
        self.feedback = FeedbackPanel("Pain-point map feedback")
        self.top_feedback = FeedbackPanel("Top three feedback")
        self.upload_feedback = FeedbackPanel("Upload feedback")
        self.upload = W.FileUpload(
            accept=".csv,.txt,text/csv", multiple=False, description="Upload CSV"
        )
        self.upload.observe(self._uploaded, names="value")
        self.mapping = {
            field: W.Dropdown(options=[("—", "")], value="", description=label, style=wide)
            for field, label in FIELD_LABELS.items()
        }
        self.load_button = W.Button(
            description="Load my notes",
            disabled=True,
            tooltip="Read the uploaded file with these columns",
        )
        self.load_button.on_click(lambda _b: self.load_own())
        self.reflection = self.reflection_box(
            "Which request do you hear most at work, and how much does it hurt?"
        )
        self._fill_customers()
        self._show_page()
        section = '<h3 style="margin:1em 0 .3em;font-size:1.1em">{}</h3>'.format
        return W.VBox(
            [
                W.HTML(section("1. Code the snippets")),
                self.source,
                self.customer,
                W.HBox(
                    [self.prev, self.next, self.page_label], layout=W.Layout(align_items="center")
                ),
                *[r["box"] for r in self.rows],
                W.HTML(section("2. Your pain-point map")),
                self.feedback.widget,
                self.chart,
                self.table,
                W.HTML(section("3. What the survey says")),
                self.opportunities,
                W.HTML(section("4. Your top three")),
                *self.top,
                self.top_feedback.widget,
                W.HTML(section("Optional: code your own interview notes")),
                W.HTML(
                    "<p>A CSV file with one snippet per row: an id, the customer, the text. "
                    "Upload it, pick which column is which, then load it.</p>"
                ),
                self.upload,
                *self.mapping.values(),
                self.load_button,
                self.upload_feedback.widget,
                W.HTML(section("Reflection")),
                self.reflection,
                self.save_control.widget,
            ]
        )

    # --- paging --------------------------------------------------------------------------
    @property
    def snippets(self) -> pd.DataFrame:
        return self.sources[self.source.value]

    def _fill_customers(self) -> None:
        counts = self.snippets.groupby("customer_id", sort=False).size()
        options = []
        for cid, n in counts.items():
            name = self.company.get(cid, "") if self.source.value == COURSE else ""
            options.append((f"{cid} {name} ({n} snippets)".replace("  ", " "), str(cid)))
        self._paging = True
        try:
            self.customer.options = options
            self.customer.value = options[0][1] if options else None
        finally:
            self._paging = False
        self.page = 0

    def _page_snippets(self) -> pd.DataFrame:
        rows = self.snippets[self.snippets["customer_id"].astype(str) == str(self.customer.value)]
        return rows.iloc[self.page * PAGE_SIZE : (self.page + 1) * PAGE_SIZE]

    def _pages(self) -> int:
        n = int((self.snippets["customer_id"].astype(str) == str(self.customer.value)).sum())
        return max(1, -(-n // PAGE_SIZE))

    def _show_page(self) -> None:
        shown = self._page_snippets()
        coding = self.codings[self.source.value]
        self._paging = True
        try:
            for row, snip in zip(
                self.rows, [*shown.itertuples(index=False)] + [None] * PAGE_SIZE, strict=False
            ):
                if snip is None:
                    row["sid"] = None
                    row["box"].layout.display = "none"
                    continue
                sid = str(snip.snippet_id)
                row["sid"] = sid
                row["box"].layout.display = ""
                role = getattr(snip, "speaker_role", "")
                who = f" ({escape(role)})" if role else ""
                row["text"].value = (
                    f'<p style="margin:.3em 0"><strong>{escape(sid)}</strong>{who}: '
                    f"“{escape(snip.snippet)}”</p>"
                )
                key, sev = coding.get(sid, (NOT_CODED, None))
                row["key"].description = f"{sid} pain point"
                row["sev"].description = f"{sid} severity"
                row["key"].value = key
                row["sev"].value = sev
                row["sev"].disabled = key in (NOT_CODED, d.NO_PAIN_POINT)
                row["note"].value = self._row_note(sid, key, sev)
        finally:
            self._paging = False
        pages = self._pages()
        self.prev.disabled = self.page == 0
        self.next.disabled = self.page >= pages - 1
        self.page_label.value = f"<span>Page {self.page + 1} of {pages}</span>"

    def turn(self, step: int) -> None:
        self.page = min(max(self.page + step, 0), self._pages() - 1)
        self._show_page()

    def _source_changed(self, _change=None) -> None:
        if self._paging:
            return
        self._fill_customers()
        self._show_page()
        self.changed()

    def _customer_changed(self, _change=None) -> None:
        if self._paging:
            return
        self.page = 0
        self._show_page()

    def _coding_changed(self, _change=None) -> None:
        if self._paging or self._restoring:
            return
        coding = self.codings[self.source.value]
        for row in self.rows:
            sid = row["sid"]
            if sid is None:
                continue
            key, sev = row["key"].value, row["sev"].value
            if key in (NOT_CODED, d.NO_PAIN_POINT) and sev is not None:
                self._paging = True
                row["sev"].value = sev = None
                self._paging = False
            row["sev"].disabled = key in (NOT_CODED, d.NO_PAIN_POINT)
            if key == NOT_CODED:
                coding.pop(sid, None)
            else:
                coding[sid] = (key, sev)
            row["note"].value = self._row_note(sid, key, sev)
        self.changed()

    def _row_note(self, sid: str, key: str, sev: int | None) -> str:
        if key == NOT_CODED:
            return ""
        if key != d.NO_PAIN_POINT and sev is None:
            return Message("info", f"{sid}: now rate how much it hurts, 1 to 5.").to_html()
        if self.source.value != COURSE or sid not in self.ref_coding:
            return Message("info", f"{sid}: coded.").to_html()
        ref_key, ref_sev = self.ref_coding[sid]
        if key != ref_key:
            ref = "no pain point (none)" if ref_key == d.NO_PAIN_POINT else short_name(ref_key)
            return Message(
                "warn",
                f"{sid}: the reference codes this as {ref}.",
                "Code the problem underneath what they ask for, not the request itself."
                if ref_key == "late_arrival_calls"
                else "Reread what it cost the speaker.",
            ).to_html()
        if key != d.NO_PAIN_POINT and abs(sev - ref_sev) >= 2:
            return Message(
                "warn",
                f"{sid}: same pain point as the reference, which rates it {ref_sev}.",
                "Severity is what it costs them: 1 an annoyance, 3 a real but bounded cost, "
                "5 lost money, customers or the account.",
            ).to_html()
        return Message("good", f"{sid}: matches the reference coding.").to_html()

    # --- the map and the top three --------------------------------------------------------
    def complete_coding(self) -> dict[str, tuple[str, int | None]]:
        return {
            s: (k, v)
            for s, (k, v) in self.codings[self.source.value].items()
            if k == d.NO_PAIN_POINT or v is not None
        }

    def refresh(self) -> None:
        heading, msgs, table = self.map_feedback()
        self.feedback.show(heading, msgs)
        if table is None or table.empty:
            self.chart.value = ""
            self.table.value = ""
        else:
            self.chart.value = pain_point_figure(table).to_html(max_width="40em")
            self.table.value = pain_point_html(table)
        self.top_feedback.show(*self.top_three_feedback())

    def map_feedback(self) -> tuple[str, list[Message], pd.DataFrame | None]:
        all_ids = set(self.snippets["snippet_id"].astype(str))
        coding = self.complete_coding()
        pending = len(self.codings[self.source.value]) - len(coding)
        msgs = [
            Message(
                "info",
                f"You have coded {len(coding)} of {len(all_ids)} snippets"
                + (f"; {pending} still need a severity." if pending else "."),
            )
        ]
        if not coding:
            msgs.append(
                Message(
                    "info",
                    "Pick a pain point (or 'none') and a severity for a "
                    "snippet above; the map appears as soon as one is coded.",
                )
            )
            return "Your pain-point map: nothing coded yet", msgs, None
        try:
            table = d.aggregate_pain_points(coding, self.snippets, pain_points=self.keys)
        except ValueError as exc:
            return "Your pain-point map", [*msgs, Message("error", str(exc))], None
        if table.empty:
            msgs.append(
                Message("info", "Every snippet coded so far is 'none': no pain points to map yet.")
            )
            return "Your pain-point map", msgs, table
        top = table.iloc[0]
        loud = table.sort_values(["snippets", "reach"], ascending=False).iloc[0]
        msgs.append(
            Message(
                "good",
                f"Biggest so far: {short_name(top.pain_point)}, customer reach "
                f"{top.reach} × mean severity {top.mean_severity:.2f} = "
                f"{top.score:.2f}.",
            )
        )
        if loud.pain_point != top.pain_point and loud.snippets > top.snippets:
            msgs.append(
                Message(
                    "info",
                    f"The most mentioned, {short_name(loud.pain_point)} "
                    f"({loud.snippets} snippets), "
                    f"is not the biggest: it reaches {loud.reach} customers at a mean severity of "
                    f"{loud.mean_severity:.2f}.",
                    "Being heard most often is not the same as costing customers most.",
                )
            )
        if self.source.value == COURSE:
            agree = sum(self.ref_coding[s][0] == k for s, (k, _) in coding.items())
            msgs.append(
                Message(
                    "info",
                    f"Your pain point matches the reference on {agree} of "
                    f"{len(coding)} coded snippets.",
                )
            )
        return "Your pain-point map", msgs, table

    def picks(self) -> list[str]:
        return [t.value for t in self.top]

    def top_three_feedback(self) -> tuple[str, list[Message]]:
        """Judge the top three against the learner's own map first; compare it with the
        reference ranking only once enough snippets are coded (:func:`d.snippets_for_reference`),
        so the reference is not given away after a handful of snippets."""
        raw = self.picks()
        picks = [p for p in raw if p]
        coding = self.complete_coding()
        total = len(self.snippets)
        needed = d.snippets_for_reference(total)
        course = self.source.value == COURSE
        if not picks:
            return "Your top three: not chosen yet", [
                Message(
                    "info",
                    "Choose the three pain points you would work on first, biggest first, "
                    "from your own map and the survey's opportunity scores.",
                    f"Each pick is checked against your own map straight away; the comparison "
                    f"with the reference ranking opens once you have coded {needed} of the "
                    f"{total} snippets."
                    if course
                    else "Your own notes have no reference ranking: each pick is checked "
                    "against your own map.",
                )
            ]
        if len(set(picks)) < len(picks):
            return "Your top three", [
                Message(
                    "error", "You picked the same pain point twice; choose three different ones."
                )
            ]
        table = None
        if coding:
            try:
                table = d.aggregate_pain_points(coding, self.snippets, pain_points=self.keys)
            except ValueError:
                table = None
        if table is None:
            table = pd.DataFrame(columns=["pain_point", "reach", "mean_severity", "score"])
        own = d.compare_with_own_map(raw, table, self.labels)
        msgs = [
            Message("good" if item.consistent else "warn", f"#{item.position}: {item.message}")
            for item in own
        ]
        consistent = sum(item.consistent for item in own)
        heading = f"Your top three: {consistent} of {len(picks)} where your own map puts them"
        if len(picks) < 3:
            msgs.append(Message("info", f"Choose {3 - len(picks)} more."))
        if not course:
            msgs.append(
                Message(
                    "info",
                    "Your own notes have no reference ranking: your map is the evidence, so "
                    "make sure each pick follows from it or say why not.",
                )
            )
            return heading, msgs
        if len(coding) < needed:
            msgs.append(
                Message(
                    "info",
                    f"The reference ranking opens when you have coded {needed} of the {total} "
                    f"snippets ({d.REFERENCE_SHARE:.0%}): {needed - len(coding)} to go.",
                    "A top three from a few snippets rests on a few customers; code more before "
                    "you compare.",
                )
            )
            return heading, msgs
        result = d.compare_top_three(picks, self.reference)
        msgs.append(
            Message(
                "info",
                f"You have coded {len(coding)} of {total} snippets, enough to compare with the "
                "reference ranking:",
            )
        )
        for item in result.items:
            level = {"matched": "good", "in_top_three": "warn"}.get(item.status, "error")
            msgs.append(Message(level, f"Reference, #{item.position}: {item.message}"))
        if len(picks) == 3:
            msgs += [Message("info", m.message) for m in result.missed]
        heading += (
            f"; {result.in_reference_top_three} of {len(picks)} in the reference top three, "
            f"{result.matched} at the same position"
        )
        return heading, msgs

    # --- uploads -------------------------------------------------------------------------
    def _uploaded(self, change) -> None:
        value = change["new"] if isinstance(change, Mapping) else self.upload.value
        if not value:
            return
        entry = value[0] if isinstance(value, list | tuple) else next(iter(value.values()), None)
        self.receive_upload(entry)

    def receive_upload(self, entry: object) -> bool:
        """Read an uploaded file's header and offer its columns for mapping."""
        self.load_button.disabled = True
        try:
            name, content = _content(entry)
            headers = data.read_header(content, file=name, max_bytes=MAX_UPLOAD_BYTES)
        except DataError as exc:
            self._upload = None
            self.upload_feedback.show(
                "Your file could not be used; your coding is unchanged",
                [Message("error", str(exc))],
            )
            return False
        named = [h for h in headers if h]
        if len(named) < 3:
            self._upload = None
            self.upload_feedback.show(
                "Your file could not be used; your coding is unchanged",
                [
                    Message(
                        "error",
                        f"{name}: found {len(named)} column(s) ({', '.join(named)}); "
                        "expected at least 3 (id, customer, text). Is it separated by commas, "
                        "semicolons or tabs?",
                    )
                ],
            )
            return False
        self._upload = (name, content)
        options = [("—", "")] + [(h, h) for h in named]
        for field, dd in self.mapping.items():
            dd.options = options
            folded = {h.casefold().strip(): h for h in named}
            dd.value = next((folded[g] for g in _GUESSES[field] if g in folded), "")
        self.load_button.disabled = False
        self.upload_feedback.show(
            f"Read the header of {name}",
            [
                Message(
                    "info",
                    f"Columns: {', '.join(named)}. Check which column is which, then "
                    "choose 'Load my notes'.",
                )
            ],
        )
        return True

    def load_own(self) -> bool:
        """Read the uploaded notes with the chosen column mapping; switch to them if they work."""
        if self._upload is None:
            self.upload_feedback.show(
                "Nothing to load", [Message("error", "Upload a CSV file first.")]
            )
            return False
        name, content = self._upload
        chosen = {f: dd.value for f, dd in self.mapping.items()}
        blank = [FIELD_LABELS[f] for f, v in chosen.items() if not v]
        dupes = sorted({v for v in chosen.values() if v and list(chosen.values()).count(v) > 1})
        if blank or dupes:
            text = (
                f"Choose a column for: {', '.join(blank)}."
                if blank
                else f"Each column may be used once; '{dupes[0]}' is chosen twice."
            )
            self.upload_feedback.show(
                "Not loaded; your coding is unchanged", [Message("error", text)]
            )
            return False
        try:
            frame = data.read_table(content, NOTES_SCHEMA, file=name, mapping=chosen)
        except DataError as exc:
            self.upload_feedback.show(
                "Not loaded; your coding is unchanged", [Message("error", str(exc))]
            )
            return False
        self._set_own(frame, name)
        self.codings[OWN] = {}
        self.upload_feedback.show(
            f"Loaded {len(frame)} snippets from {name}",
            [
                Message(
                    "good",
                    "Your notes are in the 'Notes' list; code them as you did the "
                    "interviews. The course interviews and their coding are kept.",
                )
            ],
        )
        self._paging = True
        self.source.value = OWN
        self._paging = False
        self._fill_customers()
        self._show_page()
        self.changed()
        return True

    def _set_own(self, frame: pd.DataFrame, name: str) -> None:
        frame = frame.astype(str)
        self.sources[OWN] = frame
        self.own_file = name
        self._paging = True
        try:
            self.source.options = [
                ("Kestrel Works interviews", COURSE),
                (f"My notes ({name})", OWN),
            ]
        finally:
            self._paging = False

    # --- state ---------------------------------------------------------------------------
    def answer(self) -> dict[str, Any]:
        own = self.sources.get(OWN)
        return {
            "source": self.source.value,
            "codings": {
                src: {s: [k, v] for s, (k, v) in c.items()} for src, c in self.codings.items()
            },
            "own_notes": None
            if own is None
            else {
                "file": self.own_file,
                "rows": own[["snippet_id", "customer_id", "snippet"]].values.tolist(),
            },
            "top_three": self.picks(),
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        problems: list[str] = []
        if not isinstance(answer, Mapping):
            return "Your saved pain-point coding could not be read; starting afresh."
        own = answer.get("own_notes")
        if own is not None:
            try:
                rows = own["rows"]
                frame = pd.DataFrame(
                    [[str(x) for x in r] for r in rows],
                    columns=["snippet_id", "customer_id", "snippet"],
                )
                if frame.empty or frame["snippet_id"].duplicated().any():
                    raise ValueError
                self._set_own(frame, str(own.get("file") or "my notes"))
            except (KeyError, TypeError, ValueError):
                problems.append("your own notes")
        codings = answer.get("codings")
        for src in (COURSE, OWN):
            saved = codings.get(src, {}) if isinstance(codings, Mapping) else {}
            if src not in self.sources or not isinstance(saved, Mapping):
                continue
            known = set(self.sources[src]["snippet_id"].astype(str))
            for sid, pair in saved.items():
                ok = isinstance(pair, list | tuple) and len(pair) == 2 and sid in known
                if ok:
                    key, sev = pair
                    ok = (key == d.NO_PAIN_POINT and sev is None) or (
                        key in self.keys
                        and (
                            sev is None
                            or (
                                isinstance(sev, int) and not isinstance(sev, bool) and 1 <= sev <= 5
                            )
                        )
                    )
                if ok:
                    self.codings[src][sid] = (key, sev)
                else:
                    problems.append(str(sid))
        top = answer.get("top_three", [])
        for dd, pick in zip(self.top, top if isinstance(top, list) else [], strict=False):
            if pick in self.keys or pick == NOT_CODED:
                dd.value = pick
            else:
                problems.append(f"top-three pick {pick!r}")
        text = saved_text(answer.get("reflection", ""), MAX_TEXT_CHARS)
        if text is None:
            problems.append("reflection")
        self.reflection.value = text or ""
        source = answer.get("source")
        if source in self.sources:
            self._paging = True
            self.source.value = source
            self._paging = False
        self._fill_customers()
        self._show_page()
        if problems:
            return (
                "Some saved answers could not be used and were left out: "
                + ", ".join(problems[:12])
                + "."
            )
        return None

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = []
        for src, title in ((COURSE, "Kestrel Works interviews"), (OWN, "My own notes")):
            coding = {s: tuple(p) for s, p in answer.get("codings", {}).get(src, {}).items()}
            if not coding:
                continue
            lines += [f"**{title}**: {len(coding)} snippets coded.", ""]
            complete = {s: p for s, p in coding.items() if p[0] == "none" or p[1] is not None}
            frame = self.sources.get(src)
            if complete and frame is not None:
                try:
                    table = d.aggregate_pain_points(complete, frame)
                except ValueError:
                    continue
                lines += [
                    "| Rank | Pain point | Snippets | Customer reach | Mean severity |",
                    "| --- | --- | --- | --- | --- |",
                ]
                lines += [
                    f"| {r.rank} | {short_name(r.pain_point)} | {r.snippets} | {r.reach} "
                    f"| {r.mean_severity:.2f} |"
                    for r in table.itertuples(index=False)
                ]
                lines.append("")
        picks = [p for p in answer.get("top_three", []) if p]
        if picks:
            lines.append(
                "My top three: "
                + ", ".join(f"{i}. {self.labels.get(p, p)}" for i, p in enumerate(picks, 1))
                + "."
            )
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines) or "Nothing coded yet."


CODING_HEADERS = {
    "snippet_id": "Snippet",
    "customer_id": "Customer",
    "speaker_role": "Speaker",
    "snippet": "What they said",
    "pain_point": "Pain point (reference)",
    "severity": "Severity (1–5)",
}
SUMMARY_HEADERS = {
    "rank": "Rank",
    "pain_point": "Pain point",
    "snippets": "Snippets",
    "reach": "Customer reach",
    "mean_severity": "Mean severity",
    "max_severity": "Highest severity",
    "score": "Customer reach × mean severity",
}
OPPORTUNITY_HEADERS = {
    "rank": "Rank",
    "outcome_id": "Outcome",
    "outcome": "Desired outcome",
    "pain_point": "Pain point",
    "importance": "Importance (0–10)",
    "satisfaction": "Satisfaction (0–10)",
    "opportunity": "Opportunity (0–20)",
    "category": "Reading (Ulwick)",
}


class WorkedPainPointMap:
    """Static path: the reference coding of some customers' snippets, summed up and mapped.

    ``customers`` limits the coding to those accounts (the faded worked example); ``None`` uses
    every snippet (the solution)."""

    def __init__(self, customers: list[str] | None = None):
        interviews = data.load("interviews")
        if customers is not None:
            interviews = interviews[interviews["customer_id"].isin(customers)]
        self.interviews = interviews
        self.coding = {
            r.snippet_id: (r.pain_point, None if r.pain_point == d.NO_PAIN_POINT else r.severity)
            for r in interviews.itertuples(index=False)
        }
        self.table = d.aggregate_pain_points(self.coding, interviews)
        self.opportunities = _opportunities()
        self.reference = _reference()

    def glue(self, prefix: str) -> None:
        """Publish the numbers the page quotes: per pain point reach, mean severity, snippets,
        score; per outcome the opportunity score; and counts."""
        from myst_nb import glue

        glue(f"{prefix}_snippets", len(self.interviews), display=False)
        glue(f"{prefix}_customers", int(self.interviews["customer_id"].nunique()), display=False)
        glue(
            f"{prefix}_reference_needed",
            d.snippets_for_reference(len(self.interviews)),
            display=False,
        )
        glue(f"{prefix}_reference_share", round(d.REFERENCE_SHARE * 100), display=False)
        for r in self.table.itertuples(index=False):
            for col in ("reach", "mean_severity", "snippets", "score", "rank"):
                value = getattr(r, col)
                value = float(value) if col in ("mean_severity", "score") else int(value)
                glue(f"{prefix}_{r.pain_point}_{col}", value, display=False)
        for r in self.opportunities.itertuples(index=False):
            glue(f"{prefix}_{r.outcome_id}_opportunity", float(r.opportunity), display=False)

    def coding_table(self):
        """The reference coding, one row per snippet, with human column headers."""
        frame = self.interviews[
            ["snippet_id", "customer_id", "speaker_role", "snippet", "pain_point", "severity"]
        ].copy()
        frame["pain_point"] = frame["pain_point"].map(
            lambda k: "none (no pain point)" if k == d.NO_PAIN_POINT else self.label_of(k)
        )
        frame["severity"] = frame["severity"].map(lambda v: "–" if v == 0 else str(v))
        frame = frame.rename(columns=CODING_HEADERS)
        return frame.style.hide(axis="index").set_uuid("pivot-worked-coding")

    def label_of(self, key: str) -> str:
        labels = dict(zip(self.reference["pain_point"], self.reference["label"], strict=True))
        return labels.get(key, short_name(key))

    def summary(self):
        """The coding summed up per pain point, with human column headers."""
        frame = self.table.copy()
        frame["pain_point"] = frame["pain_point"].map(self.label_of)
        frame["mean_severity"] = frame["mean_severity"].map("{:.2f}".format)
        frame["score"] = frame["score"].map("{:.2f}".format)
        frame = frame[list(SUMMARY_HEADERS)].rename(columns=SUMMARY_HEADERS)
        return frame.style.hide(axis="index").set_uuid("pivot-worked-summary")

    def opportunity_summary(self):
        """The survey's opportunity scores, biggest first, with human column headers."""
        frame = self.opportunities[list(OPPORTUNITY_HEADERS)].copy()
        frame["pain_point"] = frame["pain_point"].map(self.label_of)
        for col in ("importance", "satisfaction", "opportunity"):
            frame[col] = frame[col].map("{:.1f}".format)
        frame["category"] = frame["category"].map(reading)
        frame = frame.rename(columns=OPPORTUNITY_HEADERS)
        return frame.style.hide(axis="index").set_uuid("pivot-opportunities")

    @property
    def figure(self) -> plots.SvgFigure:
        return pain_point_figure(self.table, title="Pain-point map (reference coding)")


def answer_key_markdown() -> str:
    """The folded answer key on the page: the reference coding of every snippet (pain point and
    severity), then what each pain point means. Written from ``data/interviews.csv`` and
    ``data/pain_point_reference.csv``; a test keeps the page equal to it."""
    interviews = data.load("interviews")
    reference = _reference().sort_values("reference_rank")
    labels = dict(zip(reference["pain_point"], reference["label"], strict=True))
    lines = [
        "| Snippet | Customer | Speaker | Pain point (reference) | Severity |",
        "| --- | --- | --- | --- | ---: |",
    ]
    for r in interviews.itertuples(index=False):
        none = r.pain_point == d.NO_PAIN_POINT
        lines.append(
            f"| {r.snippet_id} | {r.customer_id} | {r.speaker_role} | "
            f"{'none (no pain point)' if none else labels[r.pain_point]} | "
            f"{'–' if none else int(r.severity)} |"
        )
    lines += ["", "What each pain point covers, biggest first:", ""]
    for r in reference.itertuples(index=False):
        ids = interviews.loc[interviews["pain_point"] == r.pain_point, "snippet_id"]
        lines.append(f"{r.reference_rank}. **{r.label}** ({', '.join(ids)}): {r.description}")
    nones = interviews.loc[interviews["pain_point"] == d.NO_PAIN_POINT, "snippet_id"]
    lines += [
        "",
        f"**None** ({', '.join(nones)}): praise, context or how they found Crewboard; no cost "
        "to anyone.",
    ]
    return "\n".join(lines)
