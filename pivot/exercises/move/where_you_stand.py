"""Making the move, where you stand now: retake the self-assessment and compare it with the first.

The learner rates the twelve statements of the Start-here self-assessment again, with the same
scale and the same widgets (:func:`pivot.exercises.self_assessment.rating_inputs`), but every
statement starts unrated and the first attempt stays out of sight: rate first, then compare.
Once all twelve are rated, a "Compare with my first attempt" button shows both attempts on one
radar chart, the change per shift as a table, and feedback on what the change can and cannot
mean and which shift to work on next, with the course's chapters for it and the Start-here
advice from ``data/shifts.csv``. The comparison itself is
:func:`pivot.frameworks.self_assessment.compare`. In the static book, where nobody can rate,
the exercise shows the worked example's retake (Noor's) compared with her first attempt.

The first attempt is read, never written: this page saves the retake under its own id,
``move.where_you_stand``, and never saves ``start.self_assessment``. Without a first attempt
the page says so, links to the Start-here page, and still lets the learner rate and save; the
comparison appears once a first exists. The capstone reads both with
:func:`saved_comparison`, which never raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import ipywidgets as W

from ... import data
from ... import workbook as wb
from ...frameworks import self_assessment as sa
from ...kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape
from ..common import html_table, quote, restore_reflection, saved_text
from ..self_assessment import (
    SHORT_NAMES,
    WorkedProfile,
    id_for,
    radar_figure,
    rating_inputs,
    restore_ratings,
)

__all__ = [
    "CHAPTERS",
    "EXERCISE_ID",
    "FIRST_ID",
    "NOOR_FIRST_ROWS",
    "NOOR_NOW_ROWS",
    "WhereYouStand",
    "WorkedComparison",
    "answer_key_markdown",
    "first_assessment",
    "glue_comparison",
    "glue_rules",
    "glue_self_check",
    "saved_comparison",
    "scores_from_answer",
]

EXERCISE_ID = "move.where_you_stand"
#: The Start-here self-assessment: read here, never written.
FIRST_ID = "start.self_assessment"
FIRST_PAGE = "../00-start/10-self-assessment.ipynb"
FIRST_TITLE = "Self-assessment: where do you start?"
FIRST_SERIES = "First self-assessment"
NOW_SERIES = "Now"
COMPARE_LABEL = "Compare with my first attempt"
NO_FIRST_LABEL = "Show where I stand now"
#: The worked example's learner (Noor, from the Start-here page's worked example): her ratings at
#: the start and at the end of the course, one list per shift in statement order. The page's
#: worked example uses them, and so does the static book's preview of the exercise.
NOOR_FIRST_ROWS = ((2, 1, 2), (3, 2, 4), (2, 2, 2), (4, 3, 4))
NOOR_NOW_ROWS = ((4, 3, 3), (3, 3, 4), (3, 2, 3), (4, 2, 3))

#: The course's chapters for each shift (title, link relative to this page), in course order.
CHAPTERS: dict[int, tuple[tuple[str, str], ...]] = {
    1: (
        ("Into the problem space", "../10-shift1/10-problem-space.ipynb"),
        ("Problem or solution?", "../10-shift1/20-problem-or-solution.ipynb"),
        ("The pain-point map", "../10-shift1/30-pain-point-map.ipynb"),
        ("Writing a problem statement", "../10-shift1/40-problem-statement.ipynb"),
        ("The opportunity solution tree", "../10-shift1/50-opportunity-tree.ipynb"),
    ),
    2: (
        ("Map the stakeholders", "../20-shift2/10-stakeholder-map.ipynb"),
        ("Answer first", "../20-shift2/20-answer-first.ipynb"),
        ("Negotiate the live map", "../20-shift2/30-negotiate.ipynb"),
        ("Speak up", "../20-shift2/40-speak-up.ipynb"),
    ),
    3: (
        ("Rank the backlog", "../30-shift3/10-prioritise-backlog.ipynb"),
        ("From ranking to plan", "../30-shift3/15-ranking-to-plan.ipynb"),
        ("Bring your own backlog", "../30-shift3/20-bring-your-own-backlog.ipynb"),
        ("What, not how", "../30-shift3/30-what-not-how.ipynb"),
        ("Whose risk is it?", "../30-shift3/40-whose-risk.ipynb"),
    ),
    4: (
        ("Pre-mortem: the release has failed", "../40-shift4/10-pre-mortem.ipynb"),
        ("Map the assumptions", "../40-shift4/20-assumption-map.ipynb"),
        ("Design the experiment", "../40-shift4/30-design-experiment.ipynb"),
        ("Read the result and decide", "../40-shift4/40-decide.ipynb"),
        ("The blameless review", "../40-shift4/50-blameless-review.ipynb"),
    ),
}
DIRECTION_WORDS = {"up": "up", "down": "down", "steady": "about the same"}


# --- reading the workbook ------------------------------------------------------------------
def _items():
    return data.load("self_assessment")


def _item_shift() -> dict[str, int]:
    items = _items()
    return {str(i): int(s) for i, s in zip(items["item_id"], items["shift"], strict=True)}


def scores_from_answer(answer: object, item_shift: Mapping[str, int]) -> dict[int, float] | None:
    """The shift scores of a saved self-assessment answer, or ``None`` if it is not usable.

    The scores are recomputed from the saved ratings with
    :func:`pivot.frameworks.self_assessment.shift_scores`; saved scores are not trusted. An
    answer whose ratings are missing, incomplete or out of range is not usable. Never raises.
    """
    try:
        ratings = answer.get("ratings") if isinstance(answer, Mapping) else None
        if not isinstance(ratings, Mapping):
            return None
        return sa.shift_scores(ratings, item_shift)
    except Exception:
        return None


def first_record(
    workbook: wb.Workbook, item_shift: Mapping[str, int] | None = None
) -> tuple[dict[str, int] | None, dict[int, float] | None, str]:
    """The learner's first self-assessment: ``(ratings, scores, status)``.

    "First" is the earliest usable Start-here self-assessment: the oldest of its earlier
    attempts (``workbook.attempts("start.self_assessment")``, oldest first), else its current
    answer. ``status`` is ``"found"``, ``"none"`` (nothing saved) or ``"unusable"`` (saved,
    but no attempt has readable ratings). Reads only; never raises.
    """
    try:
        shifts = dict(item_shift) if item_shift is not None else _item_shift()
        answers = [a.get("answer") for a in workbook.attempts(FIRST_ID) if isinstance(a, Mapping)]
        answers.append(workbook.get(FIRST_ID))
        seen = False
        for answer in answers:
            if answer is None:
                continue
            seen = True
            scores = scores_from_answer(answer, shifts)
            if scores is not None:
                return sa.check_ratings(answer["ratings"], list(shifts)), scores, "found"
        return None, None, "unusable" if seen else "none"
    except Exception:
        return None, None, "unusable"


def first_assessment(
    workbook: wb.Workbook, item_shift: Mapping[str, int] | None = None
) -> tuple[dict[int, float] | None, str]:
    """The learner's first self-assessment's shift scores: ``(scores, status)``, as
    :func:`first_record` finds it. Reads only; never raises."""
    _ratings, scores, status = first_record(workbook, item_shift)
    return scores, status


def _keyed(scores: Mapping[int, float] | None) -> dict[str, float] | None:
    return None if scores is None else {str(k): float(v) for k, v in scores.items()}


def saved_comparison(workbook: wb.Workbook | None = None) -> dict[str, Any]:
    """Both self-assessments, for the capstone: ``{"first": {"1": score, …, "4": score} | None,
    "now": {…} | None, "note": str}``, scores from 1 to 5 and shift keys as strings.

    ``first`` is the earliest usable Start-here self-assessment (see
    :func:`first_assessment`); ``now`` is the retake saved on this page; ``note`` is the
    learner's reflection saved with the retake ("" if none). Reads ``workbook`` (default: the
    learner's current workbook). Never raises: damaged, foreign or partial entries count as
    missing, and ``{}`` means neither self-assessment is usable.
    """
    try:
        book = workbook if workbook is not None else wb.current()
        item_shift = _item_shift()
        first, _status = first_assessment(book, item_shift)
        answer = book.get(EXERCISE_ID)
        now = scores_from_answer(answer, item_shift)
        if first is None and now is None:
            return {}
        note = saved_text(answer.get("reflection"), MAX_TEXT_CHARS) if now is not None else None
        return {"first": _keyed(first), "now": _keyed(now), "note": note or ""}
    except Exception:
        return {}


# --- wording shared by the widget, the export and the page ---------------------------------
def signed(change: float) -> str:
    """``+1.67``, ``−0.67`` (a true minus sign), ``0.00``."""
    if change > 0:
        return f"+{change:.2f}"
    if change < 0:
        return f"−{-change:.2f}"
    return "0.00"


def shift_list(shifts: tuple[int, ...] | list[int]) -> str:
    """``Shift 1``, ``Shifts 1 and 3``, ``Shifts 1, 2 and 4``."""
    shifts = list(shifts)
    if len(shifts) == 1:
        return f"Shift {shifts[0]}"
    return "Shifts " + ", ".join(str(s) for s in shifts[:-1]) + f" and {shifts[-1]}"


def advice_for(shifts, shift: int) -> str:
    """The Start-here advice for a shift (``data/shifts.csv``) without its opening "Start with
    Shift N." (on this page the shift has already been named)."""
    text = str(shifts.loc[shift, "advice"]).strip()
    opening = f"Start with Shift {shift}."
    return text[len(opening) :].strip() if text.startswith(opening) else text


def chapters_html(shift: int) -> str:
    """Links to the course's chapters for one shift (course-written, escaped anyway)."""
    links = "".join(
        f'<li><a href="{escape(href)}">{escape(title)}</a></li>' for title, href in CHAPTERS[shift]
    )
    return (
        f'<div class="pivot-chapters"><p style="margin:.4em 0 .1em">The course\'s chapters '
        f'for Shift {shift}:</p><ul style="margin:.1em 0 .4em">{links}</ul></div>'
    )


def comparison_rows(first: Mapping[int, float] | None, now: Mapping[int, float]):
    """Table rows: shift, first, now, change, reading (first columns blank without a first)."""
    cmp = sa.compare(first, now) if first is not None else None
    rows = []
    for shift, score in now.items():
        name = f"{shift}. {SHORT_NAMES[shift]}"
        if cmp is None:
            rows.append((name, "—", f"{score:.2f}", "—", "no first to compare with"))
        else:
            rows.append(
                (
                    name,
                    f"{cmp.first[shift]:.2f}",
                    f"{score:.2f}",
                    signed(cmp.change[shift]),
                    DIRECTION_WORDS[cmp.direction[shift]],
                )
            )
    return rows


TABLE_HEADERS = ("Shift", "First (1–5)", "Now (1–5)", "Change", "Reading")


@lru_cache(maxsize=512)
def _chart_html(first: tuple[float, ...] | None, now: tuple[float, ...]) -> str:
    """The radar chart of both attempts, or of the retake alone (cached: few distinct ones)."""
    series = {}
    if first is not None:
        series[FIRST_SERIES] = dict(zip(SHORT_NAMES.values(), first, strict=True))
    series[NOW_SERIES] = dict(zip(SHORT_NAMES.values(), now, strict=True))
    return radar_figure(series).to_html(max_width="26em")


def moved_statements(
    first: Mapping[str, int] | None, now: Mapping[str, int], items
) -> dict[int, list[str]]:
    """The statements whose rating changed, per shift: ``{2: ["Speak up 2 → 3"], …}`` (empty
    without the first ratings). A steady shift can hide moves that cancel out."""
    if not first:
        return {}
    moved: dict[int, list[str]] = {}
    for row in items.itertuples(index=False):
        before, after = first.get(row.item_id), now.get(row.item_id)
        if before is not None and after is not None and before != after:
            moved.setdefault(int(row.shift), []).append(f"{row.short} {before} → {after}")
    return moved


def change_feedback(cmp: sa.Comparison, shifts, moved: Mapping[int, list[str]] | None = None):
    """The heading and messages on what the change means (pure, for tests). ``moved`` is
    :func:`moved_statements`, named for the shifts that stayed about the same."""
    up, down, steady = cmp.shifts("up"), cmp.shifts("down"), cmp.shifts("steady")
    heading = (
        f"Since your first self-assessment: {len(up)} up, {len(down)} down, "
        f"{len(steady)} about the same"
    )
    listed = "; ".join(
        f"{SHORT_NAMES[s]} {cmp.first[s]:.2f} → {cmp.now[s]:.2f} ({signed(c)})"
        for s, c in cmp.change.items()
    )
    msgs = [Message("info", f"First → now, per shift: {listed}.")]
    if cmp.unchanged:
        msgs.append(
            Message(
                "info",
                "Every shift has the score it had the first time. Either little changed, or "
                "your picture of each shift grew as much as your habits did; your reflection "
                "is the place to say which.",
            )
        )
    if up:
        msgs.append(
            Message(
                "info",
                f"Up by more than {sa.STEADY_WITHIN}: {shift_list(up)}. A rise says you see "
                "yourself differently now. It can mean your habits grew, or that you now rate "
                "against a clearer picture of the shift, or both.",
                "Test each rise the way the first self-assessment asked: can you name a time "
                "in the last month when you did it?",
            )
        )
    if down:
        msgs.append(
            Message(
                "info",
                f"Down by more than {sa.STEADY_WITHIN}: {shift_list(down)}. A fall is not bad "
                "news in itself. Once you know what a shift involves, you rate yourself against "
                "a higher standard, and a lower rating can come with a real gain in skill; "
                "people who evaluate training call this a response shift.",
                "Look at which statement fell, and ask whether you do it less than before, or "
                "now know what doing it well looks like.",
            )
        )
    if steady and not cmp.unchanged:
        hidden = "; ".join(
            f"Shift {s}: {', '.join(moved[s])}" for s in steady if moved and moved.get(s)
        )
        msgs.append(
            Message(
                "info",
                f"About the same (within {sa.STEADY_WITHIN}): {shift_list(steady)}. A shift's "
                "score is the mean of its statements, so a change this small is a net move of "
                "at most one step: one statement moved by one, or bigger moves that cancel out "
                "(one statement up by two and another down by one).",
                (f"Statements that moved: {hidden}. " if hidden else "")
                + "If you practised this shift in the course, ask whether your standard rose "
                "along with your habits.",
            )
        )
    start = cmp.first_profile.start
    msgs.append(
        Message(
            "info",
            f"Your first self-assessment suggested starting with Shift {start}, "
            f"{shifts.loc[start, 'title']} ({cmp.first[start]:.2f}); it is "
            f"{cmp.now[start]:.2f} now, {DIRECTION_WORDS[cmp.direction[start]]}.",
        )
    )
    if cmp.now_profile.all_top:
        msgs.append(
            Message(
                "warn",
                "Fives everywhere. Check each rating against a recent, concrete example from "
                "your own work: a five you cannot back with one is a guess.",
            )
        )
    msgs.append(
        Message(
            "info",
            "A self-rating records how you see yourself, not what you can do, and the change "
            "between two is worth most as a question: what happened that explains it?",
        )
    )
    return heading, msgs


def next_feedback(
    now: Mapping[int, float],
    ratings: Mapping[str, int],
    items,
    shifts,
    cmp: sa.Comparison | None = None,
):
    """The heading and messages on what to work on next: the lowest shift now (pure)."""
    p = sa.profile(now)
    shift = p.start
    title = shifts.loc[shift, "title"]
    mine = [
        (row.short, ratings[row.item_id])
        for row in items.itertuples(index=False)
        if int(row.shift) == shift and row.item_id in ratings
    ]
    low = min((v for _, v in mine), default=None)
    lowest = ", ".join(name for name, v in mine if v == low)
    text = f"Shift {shift} is your lowest now ({p.scores[shift]:.2f})"
    if cmp is not None:
        text += f"; it was {cmp.first[shift]:.2f} the first time"
    text += "."
    if low is not None:
        text += f" Its lowest statement now: {lowest} ({low})."
    msgs = [Message("warn" if not p.balanced else "info", text)]
    if p.balanced:
        msgs.append(
            Message(
                "info",
                f"All four shifts are within {sa.LEVEL_WITHIN} of each other now; Shift "
                f"{shift} is the lowest by a little, and ties go to the earlier shift.",
            )
        )
    elif p.level_with_start:
        msgs.append(
            Message(
                "info",
                f"{shift_list(p.level_with_start)} scored nearly as low (within "
                f"{sa.LEVEL_WITHIN}); plan time for it after that.",
            )
        )
    msgs.append(
        Message("info", f"The Start-here advice for Shift {shift}: {advice_for(shifts, shift)}")
    )
    msgs.append(
        Message(
            "info",
            f"The course has {len(CHAPTERS[shift])} chapters for Shift {shift}, linked below. "
            "Pick the one that practises your lowest statement, and redo its exercise with a "
            "case from your own work.",
        )
    )
    return f"Work on next: Shift {shift}, {title}", msgs


# --- the widget ----------------------------------------------------------------------------
class WhereYouStand(Exercise):
    """Retake the twelve statements; compare with the first self-assessment; what next.

    Every statement starts unrated, and nothing of the first attempt is shown while the learner
    rates: the comparison (chart, table, feedback, what next) appears only when all twelve are
    rated and the learner presses the compare button. Once shown, it follows later changes,
    and a rebuild restores it as it was (``"compared"`` in the saved answer).
    """

    exercise_id = EXERCISE_ID
    title = "Making the move: where you stand now"

    def build(self) -> W.Widget:
        self._ready = False
        self.revealed = False
        self.items = _items()
        self.shifts = data.load("shifts").set_index("shift")
        self.item_shift = {
            str(i): int(s) for i, s in zip(self.items["item_id"], self.items["shift"], strict=True)
        }
        # read once: this page never changes the first self-assessment
        self.first_ratings, self.first, self.first_status = first_record(
            self.workbook, self.item_shift
        )
        self.first_note = W.HTML(self.first_html(), layout=W.Layout(width="100%"))
        self.inputs, rows = rating_inputs(self.items, self.shifts, self._rated)
        for radio in self.inputs.values():  # no default rating: the learner sets every one
            radio.value = None
        self.progress = FeedbackPanel("Your retake")
        label = COMPARE_LABEL if self.first is not None else NO_FIRST_LABEL
        self.compare_button = W.Button(
            description=label,
            tooltip=f"{label}: available once all {len(self.inputs)} statements are rated",
            disabled=True,
            layout=W.Layout(width="auto"),
        )
        self.compare_button.on_click(self._compare)
        self.chart = W.HTML()
        self.table = W.HTML(layout=W.Layout(width="100%"))
        self.feedback = FeedbackPanel("What the change means")
        self.next_panel = FeedbackPanel("What to work on next")
        self.chapters = W.HTML(layout=W.Layout(width="100%"))
        self.results = W.VBox(
            [
                W.HBox([self.chart, self.table], layout=W.Layout(flex_flow="row wrap")),
                self.feedback.widget,
                self.next_panel.widget,
                self.chapters,
            ],
            layout=W.Layout(width="100%", display="none"),
        )
        self.reflection = self.reflection_box(
            "Pick the shift that moved most. What happened, in the course or at work, that "
            "explains it: did your habits grow, did your picture of the shift change, or both? "
            "And what will you do in the next month for the shift you work on next?"
        )
        self._ready = True
        return W.VBox(
            [
                self.first_note,
                *rows,
                self.progress.widget,
                self.compare_button,
                self.results,
                self.reflection,
                self.save_control.widget,
            ],
            layout=W.Layout(width="100%"),
        )

    def first_html(self) -> str:
        link = f'<a href="{FIRST_PAGE}">{escape(FIRST_TITLE)}</a>'
        if self.first is not None:
            return (
                f"<p>Your first self-assessment, from {link}, is in your workbook. It stays as "
                "it is: this page saves your new ratings separately. Its scores stay out of "
                f"sight while you rate: rate all {len(self.item_shift)} statements first, then "
                f"press <em>{escape(COMPARE_LABEL)}</em>.</p>"
            )
        if self.first_status == "unusable":
            why = (
                "A first self-assessment is in your workbook, but its ratings could not be "
                "read, so there is nothing to compare with yet."
            )
        else:
            why = "There is no first self-assessment in your workbook yet."
        return (
            f'<div role="note" style="border-left:4px solid #0072B2;padding:.3em .6em;'
            f'background:#F7F7F7;color:#111111"><p>{why} Take it on {link}, then run this cell '
            "again to see both side by side. You can still rate yourself here and save: the "
            "comparison appears once a first self-assessment exists.</p></div>"
        )

    # --- Exercise interface --------------------------------------------------------------
    def ratings(self) -> dict[str, int]:
        """The statements rated so far (an unrated statement is left out)."""
        return {item: s.value for item, s in self.inputs.items() if s.value is not None}

    def complete(self) -> bool:
        return len(self.ratings()) == len(self.inputs)

    def scores(self) -> dict[int, float] | None:
        """The shift scores of the retake, or ``None`` until every statement is rated."""
        return sa.shift_scores(self.ratings(), self.item_shift) if self.complete() else None

    def answer(self) -> dict[str, Any]:
        scores = self.scores()
        return {
            "ratings": self.ratings(),
            "scores": {str(k): v for k, v in scores.items()} if scores else {},
            "compared": self.revealed,
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved ratings could not be read; starting afresh."
        skipped = restore_ratings(self.inputs, answer.get("ratings", {}))
        skipped = sorted(skipped)[:12]
        self.revealed = answer.get("compared") is True and self.complete()
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    def comparison(self) -> sa.Comparison | None:
        now = self.scores()
        return sa.compare(self.first, now) if self.first is not None and now else None

    def _rated(self, change: object = None) -> None:
        if self._ready:  # not while build() clears the default ratings
            self.changed(change)

    def _compare(self, _button: object = None) -> None:
        if self.complete():
            self.revealed = True
            self.changed()

    def refresh(self) -> None:
        ratings = self.ratings()
        total = len(self.inputs)
        self.compare_button.disabled = self.revealed or len(ratings) < total
        self.progress.show(*self.progress_feedback(ratings))
        shown = self.revealed and len(ratings) == total
        self.results.layout.display = None if shown else "none"
        if not shown:
            for panel in (self.feedback, self.next_panel):
                panel.show("", [])
            self.chart.value = self.table.value = self.chapters.value = ""
            return
        now = sa.shift_scores(ratings, self.item_shift)
        first = tuple(self.first.values()) if self.first is not None else None
        self.chart.value = _chart_html(first, tuple(now.values()))
        caption = "Change per shift" if first is not None else "Your ratings now"
        self.table.value = html_table(
            TABLE_HEADERS, comparison_rows(self.first, now), caption=caption
        )
        cmp = self.comparison()
        if cmp is None:
            listed = "; ".join(f"{SHORT_NAMES[s]} {v:.2f}" for s, v in now.items())
            self.feedback.show(
                "No first self-assessment to compare with",
                [
                    Message("info", f"Your scores now (1–5): {listed}."),
                    Message(
                        "info",
                        f"Take the first self-assessment on the page {FIRST_TITLE} (the link is "
                        "above), then run this cell again: the comparison appears here.",
                    ),
                ],
            )
        else:
            moved = moved_statements(self.first_ratings, ratings, self.items)
            self.feedback.show(*change_feedback(cmp, self.shifts, moved))
        self.next_panel.show(*next_feedback(now, ratings, self.items, self.shifts, cmp))
        self.chapters.value = chapters_html(sa.profile(now).start)

    def progress_feedback(self, ratings: Mapping[str, int]) -> tuple[str, list[Message]]:
        """The heading and messages on how far the retake has got (pure, for tests)."""
        total = len(self.inputs)
        label = self.compare_button.description
        heading = f"Rated {len(ratings)} of {total}"
        if len(ratings) < total:
            todo = [
                row.short
                for row in self.items.itertuples(index=False)
                if row.item_id not in ratings
            ]
            return heading, [
                Message(
                    "info",
                    f"Rate every statement for how you work today. The comparison stays hidden "
                    f"until all {total} are rated and you press {label}: it is easier to rate "
                    "honestly before you see your first scores.",
                    f"Still to rate: {', '.join(todo)}.",
                )
            ]
        if not self.revealed:
            return heading, [
                Message("info", f"All {total} rated. Press {label} to see where you stand.")
            ]
        return heading, [
            Message(
                "info",
                "The comparison is below. It follows your ratings if you change one; your first "
                "self-assessment stays as it is.",
            )
        ]

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        now = scores_from_answer(answer, self.item_shift)
        if now is None:
            ratings = answer.get("ratings") if isinstance(answer, Mapping) else None
            usable = [
                k
                for k, v in (ratings.items() if isinstance(ratings, Mapping) else ())
                if k in self.item_shift
                and isinstance(v, int)
                and not isinstance(v, bool)
                and sa.RATING_MIN <= v <= sa.RATING_MAX
            ]
            if usable:
                return (
                    f"_({len(usable)} of {len(self.item_shift)} statements rated so far; the "
                    "comparison needs all of them)_"
                )
            return "_(the ratings could not be read)_"
        lines = ["| " + " | ".join(TABLE_HEADERS) + " |", "| --- | --- | --- | --- | --- |"]
        lines += ["| " + " | ".join(row) + " |" for row in comparison_rows(self.first, now)]
        p = sa.profile(now)
        lines += ["", f"Work on next: Shift {p.start}, {self.shifts.loc[p.start, 'title']}."]
        if self.first is None:
            lines += ["", "No first self-assessment was found to compare with."]
        text = answer.get("reflection", "")
        if isinstance(text, str) and text.strip():
            lines += ["", "Reflection:", "", quote(text)]
        return "\n".join(lines)

    # --- the static book -----------------------------------------------------------------
    def static_preview(self) -> W.Widget:
        """The static book's preview: nobody can rate there, so unless a complete retake is
        saved, the frozen inputs show the worked example's retake (Noor's) compared with her
        first attempt, and a note above them says so; a complete retake is shown with its
        comparison. Nothing is saved."""
        if not self.complete():
            self.show_example()
        elif not self.revealed:
            self.revealed = True
            self.refresh()
        return super().static_preview()

    def show_example(self) -> None:
        """Show Noor's retake and her first attempt (the page's worked example), unsaved."""
        first = WorkedProfile("Noor", [list(r) for r in NOOR_FIRST_ROWS])
        now = WorkedProfile("Noor", [list(r) for r in NOOR_NOW_ROWS])
        self.first_ratings, self.first, self.first_status = first.ratings, first.scores, "found"
        self._restoring = True  # fill the inputs without saving anything
        try:
            for item, value in now.ratings.items():
                self.inputs[item].value = value
        finally:
            self._restoring = False
        self.revealed = True
        self.compare_button.description = COMPARE_LABEL
        self.first_note.value = (
            '<div role="note" style="border-left:4px solid #0072B2;padding:.3em .6em;'
            'background:#F7F7F7;color:#111111"><p><strong>An example:</strong> the ratings '
            "below are Noor's retake from this page's worked example, and the comparison is "
            "with her first self-assessment. With a kernel, every statement starts unrated and "
            "the comparison is with your own first attempt.</p></div>"
        )
        self.refresh()


# --- the page's static path ----------------------------------------------------------------
class WorkedComparison:
    """Two fixed self-assessments of one fictional learner, compared (the static path).

    ``first`` and ``now`` are ratings as :class:`pivot.exercises.self_assessment.WorkedProfile`
    takes them (one list per shift, in statement order).
    """

    def __init__(self, name: str, first, now):
        self.name = name
        self.first = WorkedProfile(name, first)
        self.now = WorkedProfile(name, now)
        self.comparison = sa.compare(self.first.scores, self.now.scores)

    def glue(self, prefix: str) -> None:
        """Publish the numbers the page's prose uses (myst-nb glue): see :func:`glue_comparison`."""
        glue_comparison(prefix, self.comparison)

    @property
    def figure(self):
        return radar_figure(
            {
                f"{self.name}, first": dict(
                    zip(SHORT_NAMES.values(), self.comparison.first.values(), strict=True)
                ),
                f"{self.name}, now": dict(
                    zip(SHORT_NAMES.values(), self.comparison.now.values(), strict=True)
                ),
            }
        )

    def table(self):
        """Ratings and scores of both attempts, one row per shift (stable ids, no index)."""
        import pandas as pd

        items = _items()
        short = dict(zip(items["item_id"], items["short"], strict=True))
        c = self.comparison
        rows = []
        for shift in c.first:
            moved = [
                f"{short[k]}: {v} → {self.now.ratings[k]}"
                for k, v in self.first.ratings.items()
                if k.startswith(f"S{shift}")
            ]
            rows.append(
                {
                    "Shift": f"{shift}. {SHORT_NAMES[shift]}",
                    "Ratings, first → now": "; ".join(moved),
                    "First": f"{c.first[shift]:.2f}",
                    "Now": f"{c.now[shift]:.2f}",
                    "Change": signed(c.change[shift]),
                    "Reading": DIRECTION_WORDS[c.direction[shift]],
                }
            )
        frame = pd.DataFrame(rows)
        return frame.style.hide(axis="index").set_uuid(f"pivot-{id_for(self.name)}-compare")


def glue_comparison(prefix: str, cmp: sa.Comparison) -> None:
    """Glue a comparison's numbers for the page's prose: ``{prefix}_first_1`` …,
    ``_now_1`` …, ``_change_1`` … (signed text), ``_reading_1`` … (up, down, about the same),
    ``_n_up`` / ``_n_down`` / ``_n_steady``, ``_first_start``, ``_next`` and ``_next_level``."""
    from myst_nb import glue

    for shift in cmp.first:
        glue(f"{prefix}_first_{shift}", cmp.first[shift], display=False)
        glue(f"{prefix}_now_{shift}", cmp.now[shift], display=False)
        glue(f"{prefix}_change_{shift}", signed(cmp.change[shift]), display=False)
        glue(f"{prefix}_reading_{shift}", DIRECTION_WORDS[cmp.direction[shift]], display=False)
    for direction in DIRECTION_WORDS:
        glue(f"{prefix}_n_{direction}", len(cmp.shifts(direction)), display=False)
    glue(f"{prefix}_first_start", cmp.first_profile.start, display=False)
    glue(f"{prefix}_next", cmp.next_shift, display=False)
    level = shift_list(cmp.level_with_next) if cmp.level_with_next else "none"
    glue(f"{prefix}_next_level", level, display=False)


def glue_rules(prefix: str) -> None:
    """Glue the comparison's rule numbers: ``{prefix}_steady`` (the change that counts as about
    the same), ``_level`` (nearly as low), ``_statements`` and ``_per_shift``."""
    from myst_nb import glue

    items = _items()
    glue(f"{prefix}_steady", sa.STEADY_WITHIN, display=False)
    glue(f"{prefix}_level", sa.LEVEL_WITHIN, display=False)
    glue(f"{prefix}_statements", len(items), display=False)
    glue(f"{prefix}_per_shift", int(items.groupby("shift").size().max()), display=False)


def glue_self_check(prefix: str, first: Mapping[int, float], now: Mapping[int, float]) -> None:
    """Glue the numbers of the page's self-check (two sets of shift scores)."""
    glue_comparison(prefix, sa.compare(first, now))


def answer_key_markdown(worked: WorkedComparison) -> str:
    """The page's folded answer key, as Markdown: the rules, the worked learner's next step,
    and where the course practises each shift."""
    c = worked.comparison
    lines = [
        "**The rules the exercise applies.**",
        "",
        "1. Change per shift = now − first, from the two-decimal scores shown.",
        f"2. More than +{sa.STEADY_WITHIN} is *up*, less than −{sa.STEADY_WITHIN} is *down*, "
        "anything in between is *about the same*: a net change of at most one step across the "
        "shift's statements (moves in opposite directions cancel out).",
        "3. Work on next: the lowest shift now; a tie goes to the earlier shift, and shifts "
        f"within {sa.LEVEL_WITHIN} of it are nearly as low.",
        "",
        f"**{worked.name}'s next step.** Her lowest shift now is Shift {c.next_shift} "
        f"({c.now[c.next_shift]:.2f}), so that is where she works next",
    ]
    if c.level_with_next:
        lines[-1] += (
            f"; {shift_list(c.level_with_next)} "
            f"({', '.join(f'{c.now[s]:.2f}' for s in c.level_with_next)}) is within "
            f"{sa.LEVEL_WITHIN} and nearly as low"
        )
    lines[-1] += "."
    lines += ["", "**Where the course practises each shift.**", ""]
    shifts = data.load("shifts").set_index("shift")
    for shift, chapters in CHAPTERS.items():
        links = ", ".join(f"[{t}]({h})" for t, h in chapters)
        lines.append(f"- Shift {shift}, {shifts.loc[shift, 'title']}: {links}.")
    return "\n".join(lines)
