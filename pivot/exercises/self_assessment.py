"""Start here: rate yourself on the four shifts, see the radar chart, get a place to start."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import ipywidgets as W

from .. import data, plots
from ..frameworks import self_assessment as sa
from ..kit import Exercise, FeedbackPanel, Message, escape, rating, text_area

SHORT_NAMES = {1: "Problem space", 2: "Soft skills", 3: "What, not how", 4: "Failure"}
SCALE_HELP = "1 = not like me yet · 2 · 3 = sometimes · 4 · 5 = this is me, with examples"


@lru_cache(maxsize=512)
def _radar_html(scores: tuple[float, ...]) -> str:
    """The radar chart for one set of scores (cached: there are few distinct profiles)."""
    values = dict(zip(SHORT_NAMES.values(), scores, strict=True))
    return radar_figure({"You, today": values}).to_html(max_width="26em")


def rating_inputs(items, shifts, on_change) -> tuple[dict[str, W.RadioButtons], list[W.Widget]]:
    """The statements as labelled 1–5 radio buttons, grouped under their shift's title.

    ``items`` is ``data.load("self_assessment")``, ``shifts`` is ``data.load("shifts")``
    indexed by shift, and ``on_change`` is called when a rating changes. Returns the inputs by
    statement id (all starting at 3) and the rows to show, the scale first. Shared by the
    Start-here self-assessment and the retake in the last part, so both ask the same way.
    """
    inputs: dict[str, W.RadioButtons] = {}
    rows: list[W.Widget] = [
        W.HTML(
            "<p>Rate each statement for how you work <em>today</em>. "
            f"Scale: {escape(SCALE_HELP)}.</p>"
        )
    ]
    for shift, group in items.groupby("shift", sort=True):
        title = shifts.loc[shift, "title"]
        rows.append(
            W.HTML(
                f'<p style="margin:.8em 0 .2em"><strong>Shift {shift}: {escape(title)}</strong></p>'
            )
        )
        for item in group.itertuples(index=False):
            s = rating(
                item.short,
                value=3,
                low=sa.RATING_MIN,
                high=sa.RATING_MAX,
                tooltip=item.statement,
            )
            s.observe(on_change, names="value")
            inputs[item.item_id] = s
            rows.append(W.HTML(f'<p style="margin:.2em 0 0 0">{escape(item.statement)}</p>'))
            rows.append(s)
    return inputs, rows


def restore_ratings(inputs: Mapping[str, W.RadioButtons], ratings: object) -> list[str]:
    """Put saved ratings back in their radio buttons; return the ids that could not be used
    (unknown statements, values that are not whole numbers from 1 to 5)."""
    skipped = []
    for item, value in ratings.items() if isinstance(ratings, Mapping) else []:
        s = inputs.get(item)
        if (
            s is None
            or isinstance(value, bool)
            or not isinstance(value, int)
            or not sa.RATING_MIN <= value <= sa.RATING_MAX
        ):
            skipped.append(str(item))
            continue
        s.value = value
    return skipped


def radar_figure(series: Mapping[str, Mapping[str, float]]):
    """A radar chart of one or more profiles, with alt text that states every value."""
    parts = []
    for name, values in series.items():
        listed = ", ".join(f"{axis} {v:.2f}".rstrip("0").rstrip(".") for axis, v in values.items())
        parts.append(f"{name}: {listed}")
    alt = (
        "Radar chart of the self-assessment on a scale of 1 to 5 for the four shifts. "
        + "; ".join(parts)
        + "."
    )
    return plots.radar_chart(series, alt=alt, title="Self-assessment on the four shifts")


class SelfAssessment(Exercise):
    """Twelve statements, three per shift, each rated 1–5; feedback on where to start."""

    exercise_id = "start.self_assessment"
    title = "Self-assessment on the four shifts"

    def __init__(self, workbook=None):
        self.items = data.load("self_assessment")
        self.shifts = data.load("shifts").set_index("shift")
        self.item_shift = dict(zip(self.items["item_id"], self.items["shift"], strict=True))
        super().__init__(workbook)

    # --- widgets -------------------------------------------------------------------------
    def build(self) -> W.Widget:
        self.inputs, rows = rating_inputs(self.items, self.shifts, self.changed)
        self.chart = W.HTML()
        self.feedback = FeedbackPanel("Self-assessment feedback")
        self.note = text_area(
            "What I want",
            placeholder="What do you most want from this course? (saved with your ratings)",
        )
        self.note.observe(self.changed, names="value")
        return W.VBox(
            [
                *rows,
                W.HBox([self.chart, self.feedback.widget], layout=W.Layout(flex_flow="row wrap")),
                self.note,
                self.save_control.widget,
            ]
        )

    # --- state ---------------------------------------------------------------------------
    def ratings(self) -> dict[str, int]:
        return {item: s.value for item, s in self.inputs.items()}

    def answer(self) -> dict[str, Any]:
        scores = sa.shift_scores(self.ratings(), self.item_shift)
        return {
            "ratings": self.ratings(),
            "scores": {str(k): v for k, v in scores.items()},
            "note": self.note.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        ratings = answer.get("ratings", {}) if isinstance(answer, Mapping) else {}
        skipped = restore_ratings(self.inputs, ratings)
        note = answer.get("note", "") if isinstance(answer, Mapping) else ""
        self.note.value = note if isinstance(note, str) else ""
        if skipped:
            return (
                "Some saved ratings could not be used and were left at 3: "
                + ", ".join(sorted(skipped)[:12])
                + "."
            )
        return None

    def text_fields(self) -> dict[str, str]:
        return {"What I want": self.note.value}

    # --- feedback ------------------------------------------------------------------------
    def scores(self) -> dict[int, float]:
        return sa.shift_scores(self.ratings(), self.item_shift)

    def refresh(self) -> None:
        scores = self.scores()
        self.chart.value = _radar_html(tuple(scores.values()))
        self.feedback.show(*self.feedback_for(scores))

    def feedback_for(self, scores: Mapping[int, float]) -> tuple[str, list[Message]]:
        """The heading and messages for a set of shift scores (pure, for tests)."""
        p = sa.profile(scores)
        name = SHORT_NAMES
        listed = "; ".join(f"{name[s]} {v:.1f}" for s, v in p.scores.items())
        msgs = [Message("info", f"Your scores (1–5): {listed}.")]
        ratings = self.ratings()
        if all(v == 3 for v in ratings.values()):
            msgs.append(
                Message(
                    "info",
                    "Every statement is still at 3, where it starts. Set each rating to where "
                    "you honestly are; a concrete example from the last month is a good test.",
                )
            )
        if p.all_top:
            msgs.append(
                Message(
                    "warn",
                    "Fives everywhere. Check each rating against a recent, concrete example "
                    "from your own work: a five you cannot back with one is a guess. "
                    "Shift 1 is still a good start.",
                )
            )
            return "Where to start: Shift 1", msgs
        if p.balanced:
            msgs.append(
                Message(
                    "info",
                    f"Your profile is balanced: all four shifts are within "
                    f"{sa.LEVEL_WITHIN} of each other. Follow the course in order; "
                    f"Shift {p.start} is your lowest by a little.",
                )
            )
        else:
            strongest = self.shifts.loc[p.strongest, "title"]
            msgs.append(
                Message(
                    "good",
                    f"Build on your strongest shift: Shift {p.strongest}, {strongest} "
                    f"({p.scores[p.strongest]:.1f}).",
                )
            )
        advice = self.shifts.loc[p.start, "advice"]
        msgs.append(Message("warn" if not p.balanced else "info", advice))
        if p.level_with_start and not p.balanced:
            others = ", ".join(f"Shift {s}" for s in p.level_with_start)
            msgs.append(
                Message("info", f"{others} scored nearly as low; plan time for it after that.")
            )
        if self.note.value.strip():
            msgs.append(
                Message("info", f"What you want from the course: {self.note.value.strip()[:300]}")
            )
        msgs.append(
            Message(
                "info",
                "This is a reflection aid, not a test: there are no right answers, and the last "
                "part of the course asks you to rate yourself again and compare.",
            )
        )
        return f"Where to start: Shift {p.start}", msgs

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = ["| Shift | Score (1–5) |", "| --- | --- |"]
        for shift, score in answer["scores"].items():
            title = self.shifts.loc[int(shift), "title"]
            lines.append(f"| {shift}. {title} | {score:.2f} |")
        p = sa.profile({int(k): v for k, v in answer["scores"].items()})
        lines += ["", f"Where to start: Shift {p.start}."]
        if answer.get("note", "").strip():
            lines += [
                "",
                "What I want from the course:",
                "",
                "> " + answer["note"].strip().replace("\n", "\n> "),
            ]
        return "\n".join(lines)


def id_for(text: str) -> str:
    """A stable HTML id fragment from a name (no randomness, so pages build identically)."""
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-") or "x"


class WorkedProfile:
    """A fixed set of ratings worked through for readers without a kernel (static path).

    ``ratings`` maps statement ids to ratings, or lists each shift's ratings in statement
    order, e.g. ``[[2, 1, 2], [3, 2, 4], [2, 2, 2], [4, 3, 4]]``.
    """

    def __init__(self, name: str, ratings: Mapping[str, int] | list[list[int]]):
        items = data.load("self_assessment")
        item_shift = dict(zip(items["item_id"], items["shift"], strict=True))
        if not isinstance(ratings, Mapping):
            ratings = self._from_rows(ratings, items)
        self.name = name
        self.ratings = sa.check_ratings(ratings, list(item_shift))
        self.scores = sa.shift_scores(self.ratings, item_shift)
        self.profile = sa.profile(self.scores)
        self.start = self.profile.start
        self.strongest = self.profile.strongest

    @staticmethod
    def _from_rows(rows, items) -> dict[str, int]:
        groups = [list(g["item_id"]) for _, g in items.groupby("shift", sort=True)]
        if len(rows) != len(groups) or any(
            len(r) != len(g) for r, g in zip(rows, groups, strict=False)
        ):
            shape = " + ".join(str(len(g)) for g in groups)
            raise ValueError(f"ratings must list {shape} values, one list per shift (got {rows})")
        return {i: v for g, r in zip(groups, rows, strict=True) for i, v in zip(g, r, strict=True)}

    def glue(self, prefix: str) -> None:
        """Publish the numbers the page's prose uses (myst-nb glue): scores, start, strongest."""
        from myst_nb import glue

        for shift, score in self.scores.items():
            glue(f"{prefix}_score_{shift}", score, display=False)
        glue(f"{prefix}_start", self.start, display=False)
        glue(f"{prefix}_strongest", self.strongest, display=False)

    @property
    def figure(self):
        values = dict(zip(SHORT_NAMES.values(), self.scores.values(), strict=True))
        return radar_figure({self.name: values})

    def table(self):
        """The ratings and scores as a table, one row per shift (no index column, stable ids)."""
        import pandas as pd

        items = data.load("self_assessment")
        short = dict(zip(items["item_id"], items["short"], strict=True))
        rows = []
        for shift, score in self.scores.items():
            mine = [
                f"{short[k]}: {v}" for k, v in self.ratings.items() if k.startswith(f"S{shift}")
            ]
            rows.append(
                {
                    "Shift": f"{shift}. {SHORT_NAMES[shift]}",
                    "Ratings (1–5)": "; ".join(mine),
                    "Score (mean)": f"{score:.2f}",
                }
            )
        frame = pd.DataFrame(rows)
        return frame.style.hide(axis="index").set_uuid(f"pivot-{id_for(self.name)}")
