"""Making the move, the gaps that matter: rate yourself on a product-manager competency model,
see the profile by area and by shift, pick two competencies to grow, and get a plan for each.

The model is R. Mehta's twelve product-manager competencies in four areas (the names and areas
are his; see :mod:`pivot.frameworks.competencies` for the sources and for what the course adds).
``data/competencies.csv`` holds the course's description of each competency, what good looks
like, the shift it maps to, whether a first product role leans on it, a first step, and the
resources: the course's own chapters and entries of its bibliography.

The learner rates each competency on the course's behavioural scale, reads the profile per area
(a table) and per shift (a radar chart, beside the Start-here self-assessment when one is
saved), ticks exactly two to grow and writes why. For each pick the exercise shows what good
looks like, a first step and the resources; the feedback explains the picks by the rules of
:func:`pivot.frameworks.competencies.review_picks`.

The Start-here self-assessment is read (``start.self_assessment``), never written, with
:func:`saved_start_scores`, which never raises; the capstone reads this page's answer with
:func:`saved_gaps` and the competencies' names with :func:`competency_titles`, which never raise
either.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import ipywidgets as W

from ... import data, plots, prose
from ... import workbook as wb
from ...frameworks import competencies as cm
from ...frameworks import self_assessment as sa
from ...kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape, text_area
from ..common import html_table, quote, restore_reflection, saved_text

__all__ = [
    "ELIF",
    "EXERCISE_ID",
    "NOOR",
    "SCHEMA",
    "GapsThatMatter",
    "WorkedLearner",
    "answer_key_markdown",
    "areas_markdown",
    "chapter_title",
    "competency_titles",
    "glue_numbers",
    "load_competencies",
    "mapping_markdown",
    "reference_text",
    "saved_gaps",
    "saved_start_scores",
    "scale_markdown",
]

EXERCISE_ID = "move.gaps"
START_ID = "start.self_assessment"
START_PAGE = "../00-start/10-self-assessment.ipynb"
START_TITLE = "Self-assessment: where do you start?"
PREVIOUS_PAGE = "10-where-you-stand.ipynb"
NEXT_PAGE = "30-route-in.ipynb"
#: The course's notebooks (chapters are named relative to this folder) and this page's folder.
NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"
REFERENCES_LINK = "../../book/references.md"
SHIFT_AXES = {1: "Problem space", 2: "Soft skills", 3: "What, not how", 4: "Failure"}
UNSET = 0
_CHAPTER = r"[0-9]{2}-[a-z0-9]+/[0-9]{2}-[a-z0-9-]+\.ipynb"
_KEY = r"[A-Za-z0-9_:-]+"

#: The worked example's learner (Noor, from the Start-here page's worked example): her ratings.
NOOR = {
    "feature_specification": 3,
    "product_delivery": 4,
    "quality_assurance": 4,
    "fluency_with_data": 3,
    "voice_of_the_customer": 1,
    "user_experience_design": 2,
    "business_outcome_ownership": 2,
    "product_vision_roadmapping": 2,
    "strategic_impact": 1,
    "stakeholder_management": 3,
    "team_leadership": 2,
    "managing_up": 3,
}
#: The self-check's learner (Elif, from the Start-here page's self-check): her ratings.
ELIF = {
    "feature_specification": 3,
    "product_delivery": 3,
    "quality_assurance": 5,
    "fluency_with_data": 4,
    "voice_of_the_customer": 3,
    "user_experience_design": 2,
    "business_outcome_ownership": 3,
    "product_vision_roadmapping": 2,
    "strategic_impact": 2,
    "stakeholder_management": 2,
    "team_leadership": 1,
    "managing_up": 2,
}
#: Elif's Start-here shift scores, as that page's self-check gives them.
ELIF_START = {1: 3.0, 2: 2.33, 3: 2.33, 4: 4.0}

SCHEMA = data.Schema(
    "competencies",
    (
        data.Column("competency_id", pattern=r"[a-z][a-z_]*", unique=True),
        data.Column("area", choices=tuple(a.key for a in cm.AREAS)),
        data.Column("name", max_chars=40, unique=True),
        data.Column("description", max_chars=300),
        data.Column("shift", "int", minimum=1, maximum=4),
        data.Column("also_shifts", required=False, pattern=r"[1-4](;[1-4])*"),
        data.Column("shift_reason", max_chars=400),
        data.Column("good", max_chars=400),
        data.Column("first_role", choices=cm.FIRST_ROLE),
        data.Column("first_role_note", max_chars=400),
        data.Column("first_step", max_chars=400),
        data.Column("chapters", pattern=rf"{_CHAPTER}(;{_CHAPTER}){{0,2}}"),
        data.Column("references", pattern=rf"{_KEY}(;{_KEY}){{0,2}}"),
    ),
    "Making the move: Mehta's twelve product-manager competencies in four areas, each with the "
    "course's description, what good looks like, the shift it maps to, whether a first product "
    "role leans on it, a first step, and the course's chapters and references for it.",
    min_rows=12,
    max_rows=12,
)
data.register(SCHEMA)


def load_competencies() -> tuple[cm.Competency, ...]:
    """``data/competencies.csv``, validated by :data:`SCHEMA`, in the model's order: three
    competencies per area, areas in Mehta's order, and no shift listed both as the primary and
    as another (a :class:`pivot.data.DataError` naming the line and the column otherwise)."""
    path = data.data_dir() / "competencies.csv"
    frame = data.read_table(path, SCHEMA)
    found, problems = [], []
    for line, row in enumerate(frame.astype(object).to_dict("records"), start=2):
        clean = {k: ("" if data.plain_value(v) is None else v) for k, v in row.items()}
        also = tuple(int(s) for s in str(clean["also_shifts"]).split(";") if s)
        if int(clean["shift"]) in also or len(set(also)) != len(also):
            problems.append(
                data.Problem(
                    path.name,
                    "other shifts than the primary one, each once",
                    line=line,
                    column="also_shifts",
                    value=str(clean["also_shifts"]),
                )
            )
        found.append(
            cm.Competency(
                competency_id=str(clean["competency_id"]),
                area=str(clean["area"]),
                name=str(clean["name"]),
                description=str(clean["description"]),
                shift=int(clean["shift"]),
                also_shifts=also,
                shift_reason=str(clean["shift_reason"]),
                good=str(clean["good"]),
                first_role=str(clean["first_role"]),
                first_role_note=str(clean["first_role_note"]),
                first_step=str(clean["first_step"]),
                chapters=tuple(str(clean["chapters"]).split(";")),
                references=tuple(str(clean["references"]).split(";")),
            )
        )
    areas = [c.area for c in found]
    expected = [a.key for a in cm.AREAS for _ in range(3)]
    if areas != expected:
        problems.append(
            data.Problem(
                path.name,
                "three competencies per area, in the order " + ", ".join(a.key for a in cm.AREAS),
                column="area",
                value=";".join(areas),
            )
        )
    if problems:
        raise data.DataError(problems)
    return tuple(found)


def competency_titles() -> dict[str, str]:
    """``{competency_id: name}`` for every competency, in the model's order (for the capstone);
    ``{}`` if the data cannot be read. Never raises."""
    try:
        return {c.competency_id: c.name for c in load_competencies()}
    except Exception:
        return {}


@lru_cache(maxsize=64)
def chapter_title(chapter: str) -> str:
    """The title of a course chapter (``"10-shift1/10-problem-space.ipynb"``): the first heading
    of its notebook; the path itself if the notebook cannot be read."""
    try:
        nb = json.loads((NOTEBOOKS / chapter).read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell.get("cell_type") == "markdown":
                first = "".join(cell.get("source", "")).lstrip().splitlines()[0]
                if first.startswith("# "):
                    return first[2:].strip()
                break
    except Exception:
        pass
    return chapter


def chapter_link(chapter: str) -> str:
    """The link from this page to a chapter (``../10-shift1/10-problem-space.ipynb``)."""
    return f"../{chapter}"


@lru_cache(maxsize=1)
def _bibliography() -> dict[str, tuple[str, str]]:
    """``{key: (author-year label, title)}`` from book/references.bib; ``{}`` if unreadable."""
    try:
        from pybtex.database import parse_file

        refs = prose.load_references()
        entries = parse_file(str(prose.BIB), bib_format="bibtex").entries
        found = {}
        for key, ref in refs.items():
            title = str(entries[key].fields.get("title", "")).replace("{", "").replace("}", "")
            found[key] = (f"{ref.authors} ({ref.year})", title)
        return found
    except Exception:
        return {}


def reference_text(key: str) -> str:
    """A reference as plain text, "Fitzpatrick (2013), The Mom Test: …" (the key if unknown)."""
    label, title = _bibliography().get(key, (key, ""))
    return f"{label}, {title}" if title else label


# --- readers (never raise) -------------------------------------------------------------------
def saved_start_scores(workbook: wb.Workbook | None = None) -> dict[int, float] | None:
    """The Start-here self-assessment's shift scores, ``{1: score, …, 4: score}``, or ``None``
    when none is saved or it cannot be read. Uses the current answer of
    ``start.self_assessment`` (its ``scores``, or its ``ratings`` scored again), else the latest
    earlier attempt that can be read. Never raises; never writes."""
    try:
        book = workbook if workbook is not None else wb.current()
        earlier = [a.get("answer") for a in book.attempts(START_ID) if isinstance(a, Mapping)]
        candidates = [book.get(START_ID), *reversed(earlier)]
        for answer in candidates:
            scores = _scores_of(answer)
            if scores is not None:
                return scores
        return None
    except Exception:
        return None


def _scores_of(answer: object) -> dict[int, float] | None:
    if not isinstance(answer, Mapping):
        return None
    scores = cm.clean_start_scores(answer.get("scores"))
    if scores is not None:
        return scores
    try:
        items = data.load("self_assessment")
        item_shift = dict(zip(items["item_id"], items["shift"], strict=True))
        ratings = answer.get("ratings")
        if not isinstance(ratings, Mapping):
            return None
        return cm.clean_start_scores(sa.shift_scores(dict(ratings), item_shift))
    except Exception:
        return None


def saved_gaps(workbook: wb.Workbook | None = None) -> dict[str, Any]:
    """The learner's saved answer on this page, for the capstone: ``{"ratings": {competency_id:
    rating}, "grow": [competency_id, …] (at most two, the model's order), "why": text}``, or
    ``{}`` when nothing usable is saved.

    Unknown ids and ratings that are not whole numbers from 1 to 5 are left out; more than two
    picks are not a choice yet, so ``grow`` is then empty. Never raises."""
    try:
        book = workbook if workbook is not None else wb.current()
        answer = book.get(EXERCISE_ID)
        if not isinstance(answer, Mapping):
            return {}
        ids = list(competency_titles())
        if not ids:
            return {}
        ratings = cm.clean_ratings(answer.get("ratings"), ids)
        raw = answer.get("grow")
        picks = [i for i in ids if isinstance(raw, list) and i in raw]
        grow = picks if len(picks) <= cm.PICKS else []
        why = saved_text(answer.get("why"), MAX_TEXT_CHARS) or ""
        if not ratings and not grow and not why.strip():
            return {}
        return {"ratings": ratings, "grow": grow, "why": why}
    except Exception:
        return {}


# --- figures and tables ------------------------------------------------------------------------
def _listed(values: Mapping[int, float]) -> str:
    return ", ".join(f"{SHIFT_AXES[s]} {v:.2f}" for s, v in values.items())


@lru_cache(maxsize=512)
def _radar(mine: tuple[float, ...], start: tuple[float, ...] | None, name: str) -> plots.SvgFigure:
    values = dict(zip(cm.SHIFTS, mine, strict=True))
    series = {name: {SHIFT_AXES[s]: v for s, v in values.items()}}
    alt = (
        "Radar chart of competency ratings by shift, on a scale of 1 to 5 (the mean of the "
        f"competencies mapped to each shift). {name}: {_listed(values)}"
    )
    if start is not None:
        theirs = dict(zip(cm.SHIFTS, start, strict=True))
        series["Start-here self-assessment"] = {SHIFT_AXES[s]: v for s, v in theirs.items()}
        alt += f"; Start-here self-assessment: {_listed(theirs)}"
    return plots.radar_chart(series, alt=alt + ".", title="Competencies by shift")


def shift_figure(
    means: Mapping[int, float | None], start: Mapping[int, float] | None, name: str
) -> plots.SvgFigure | None:
    """The radar chart of the shift profile (with the Start-here scores as a second series when
    given), or ``None`` until every shift has a rated competency."""
    if any(means.get(s) is None for s in cm.SHIFTS):
        return None
    mine = tuple(float(means[s]) for s in cm.SHIFTS)
    theirs = tuple(float(start[s]) for s in cm.SHIFTS) if start else None
    return _radar(mine, theirs, name)


def area_rows(ratings: Mapping[str, int], comps: Sequence[cm.Competency]) -> list[list[str]]:
    """One row per area: its name, each competency with its rating, and the mean."""
    means = cm.area_means(ratings, comps)
    rows = []
    for a in cm.AREAS:
        mine = [f"{c.name} {ratings.get(c.competency_id, '–')}" for c in comps if c.area == a.key]
        mean = means[a.key]
        rows.append([a.name, "; ".join(mine), "–" if mean is None else f"{mean:.2f}"])
    return rows


def plan_html(c: cm.Competency) -> str:
    """What to do about one pick: what good looks like, a first step, chapters and references
    (every part escaped; chapters as links relative to this page)."""
    chapters = ", ".join(
        f'<a href="{escape(chapter_link(ch))}">{escape(chapter_title(ch))}</a>' for ch in c.chapters
    )
    refs = "; ".join(escape(reference_text(k)) for k in c.references)
    return (
        f'<div class="pivot-plan" style="margin:.6em 0"><h4 style="margin:.3em 0">Grow: '
        f"{escape(c.name)}</h4><ul>"
        f"<li><strong>What good looks like:</strong> {escape(c.good)}</li>"
        f"<li><strong>A first step:</strong> {escape(c.first_step)}</li>"
        f"<li><strong>In this course:</strong> {chapters}</li>"
        f"<li><strong>To read:</strong> {refs} (in the course's references)</li></ul></div>"
    )


# --- the widget ------------------------------------------------------------------------------
class GapsThatMatter(Exercise):
    """Rate twelve competencies, read the profile, pick two to grow, get a plan for each."""

    exercise_id = EXERCISE_ID
    title = "Making the move: the gaps that matter"

    def build(self) -> W.Widget:
        self.comps = load_competencies()
        self.by_id = {c.competency_id: c for c in self.comps}
        # read once: the Start-here answer belongs to another page and does not change here
        self.start_scores = saved_start_scores(self.workbook)
        _bibliography()  # parsed now, so that the first pick's plan is quick
        options = [("— rate —", UNSET)] + [
            (f"{v}: {label}", v) for v, (label, _what) in cm.SCALE.items()
        ]
        self.ratings_in: dict[str, W.Dropdown] = {}
        self.grow_in: dict[str, W.Checkbox] = {}
        rows: list[W.Widget] = []
        for a in cm.AREAS:
            rows.append(
                W.HTML(
                    f'<h4 style="margin:1em 0 .1em">{escape(a.name)}</h4>'
                    f"<p style='margin:0 0 .3em'><em>{escape(a.summary.capitalize())}</em></p>"
                )
            )
            for c in (c for c in self.comps if c.area == a.key):
                rate = W.Dropdown(
                    options=options,
                    value=UNSET,
                    description=c.name,
                    style={"description_width": "15em"},
                    layout=W.Layout(width="32em", max_width="100%"),
                )
                grow = W.Checkbox(
                    value=False,
                    description=f"Grow {c.name}",
                    indent=False,
                    layout=W.Layout(width="auto", margin="0 0 0 1em"),
                )
                rate.observe(self.changed, names="value")
                grow.observe(self.changed, names="value")
                self.ratings_in[c.competency_id] = rate
                self.grow_in[c.competency_id] = grow
                rows += [
                    W.HTML(
                        f"<p style='margin:.6em 0 .1em'><strong>{escape(c.name)}</strong> "
                        f"(Shift {c.shift}): {escape(c.description)}</p><details><summary>"
                        f"What good looks like</summary><p>{escape(c.good)}</p></details>"
                    ),
                    W.HBox(
                        [rate, grow],
                        layout=W.Layout(flex_flow="row wrap", align_items="center"),
                    ),
                ]
        scale = "".join(
            f"<li><strong>{v}: {escape(label)}.</strong> {escape(what)}</li>"
            for v, (label, what) in cm.SCALE.items()
        )
        self.chart = W.HTML(layout=W.Layout(width="auto"))
        self.table = W.HTML(layout=W.Layout(width="auto"))
        self.profile_feedback = FeedbackPanel("Profile feedback")
        self.start_note = W.HTML(self.start_html(), layout=W.Layout(width="100%"))
        self.pick_feedback = FeedbackPanel("Feedback on your two picks")
        self.why = text_area(
            "Why these two",
            placeholder="For each pick: what growing it would let you do in the move, and how "
            "you will know it has grown.",
            rows=4,
        )
        self.why.observe(self.changed, names="value")
        self.why_feedback = FeedbackPanel("Checks of your why")
        self.plan = W.HTML(layout=W.Layout(width="100%"))
        self.reflection = self.reflection_box(
            "Which gap have you known about longest, and what has kept you from working on it? "
            "What will be different this time?"
        )
        return W.VBox(
            [
                W.HTML(
                    "<p>Rate yourself on each of the twelve competencies, then tick <em>Grow</em> "
                    "beside the two you will work on first and say why. Everything is saved to "
                    "your workbook as you go.</p><p><strong>The scale</strong> (rate what you "
                    f"have done):</p><ol style='list-style:none;padding-left:.5em'>{scale}</ol>"
                ),
                *rows,
                W.HTML("<h4>Your profile</h4>"),
                W.HBox(
                    [self.chart, self.table],
                    layout=W.Layout(flex_flow="row wrap", align_items="flex-start"),
                ),
                self.profile_feedback.widget,
                W.HTML("<h4>Your two picks</h4>"),
                self.start_note,
                self.pick_feedback.widget,
                self.why,
                self.why_feedback.widget,
                self.plan,
                self.reflection,
                self.save_control.widget,
            ],
            layout=W.Layout(width="100%"),
        )

    # --- state ------------------------------------------------------------------------------
    def ratings(self) -> dict[str, int]:
        """The ratings given so far (unrated competencies are left out)."""
        return {cid: box.value for cid, box in self.ratings_in.items() if box.value != UNSET}

    def picks(self) -> list[str]:
        """The competencies ticked to grow, in the model's order."""
        return [cid for cid, box in self.grow_in.items() if box.value]

    def answer(self) -> dict[str, Any]:
        return {
            "ratings": self.ratings(),
            "grow": self.picks(),
            "why": self.why.value,
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved ratings could not be read; starting afresh."
        skipped: list[str] = []
        ratings = answer.get("ratings", {})
        if not isinstance(ratings, Mapping):
            skipped.append("the ratings")
            ratings = {}
        for cid, value in ratings.items():
            box = self.ratings_in.get(cid) if isinstance(cid, str) else None
            rating = cm.rating_value(value)
            if box is None or rating is None:
                name = self.by_id[cid].name if box is not None else str(cid)[:40]
                skipped.append(f"the rating of {name}")
                continue
            box.value = rating
        grow = answer.get("grow", [])
        if not isinstance(grow, list):
            skipped.append("the picks")
            grow = []
        for cid in grow:
            if isinstance(cid, str) and cid in self.grow_in:
                self.grow_in[cid].value = True
            else:
                skipped.append(f"the pick {str(cid)[:40]}")
        why = saved_text(answer.get("why", ""), MAX_TEXT_CHARS)
        if why is None:
            skipped.append("why these two")
        self.why.value = why or ""
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {"Why these two": self.why.value, "My reflection": self.reflection.value}

    # --- feedback ---------------------------------------------------------------------------
    def refresh(self) -> None:
        ratings, picks = self.ratings(), self.picks()
        figure = shift_figure(cm.shift_means(ratings, self.comps), self.start_scores, "You, now")
        self.chart.value = (
            figure.to_html(max_width="26em")
            if figure is not None
            else "<p><em>The chart of your profile by shift appears once each shift has a rated "
            "competency.</em></p>"
        )
        self.table.value = html_table(
            ("Area", "Your ratings", "Mean (1–5)"),
            area_rows(ratings, self.comps),
            caption="Your profile by area",
            wide=("Your ratings",),
        )
        self.profile_feedback.show(
            "Your profile", [_message(f) for f in cm.profile_findings(ratings, self.comps)]
        )
        self.pick_feedback.show(*self.pick_feedback_for(ratings, picks))
        chosen = [self.by_id[p] for p in picks]
        if len(chosen) == cm.PICKS:
            self.why_feedback.show(*_why_feedback(self.why.value, chosen))
        else:
            self.why_feedback.show("Why these two", [])
        if 0 < len(chosen) <= cm.PICKS:
            self.plan.value = "".join(plan_html(c) for c in chosen)
        elif chosen:
            self.plan.value = "<p><em>Keep two picks to see a plan for each.</em></p>"
        else:
            self.plan.value = ""

    def pick_feedback_for(
        self, ratings: Mapping[str, int], picks: Sequence[str]
    ) -> tuple[str, list[Message]]:
        """The heading and messages for a set of picks (pure, for tests)."""
        findings = cm.review_picks(picks, ratings, self.comps, self.start_scores)
        n = len(picks)
        if n == cm.PICKS:
            heading = "Your picks: " + " and ".join(self.by_id[p].name for p in picks)
        else:
            heading = f"Picks: {n} of {cm.PICKS} chosen"
        return heading, [_message(f) for f in findings]

    def start_html(self) -> str:
        scores = self.start_scores
        if scores is None:
            return (
                "<p class='pivot-no-start'>No Start-here self-assessment is saved in your "
                "workbook, so the feedback cannot compare your picks with it. You can take it on "
                f'<a href="{START_PAGE}">{escape(START_TITLE)}</a> (about 20 minutes) and come '
                "back; everything else here works without it.</p>"
            )
        lowest = sa.profile(scores).start
        return (
            "<p>From your Start-here self-assessment (scores 1–5): "
            f"{escape(_listed(scores))}. Your lowest shift there: Shift {lowest}. The chart "
            "shows it as a second series.</p>"
        )

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        ratings = cm.clean_ratings(answer.get("ratings"), list(self.by_id))
        lines = ["| Area | Competency | Rating (1–5) |", "| --- | --- | --- |"]
        for c in self.comps:
            mine = ratings.get(c.competency_id)
            shown = f"{mine}: {cm.SCALE[mine][0]}" if mine else "not rated"
            lines.append(f"| {c.area_name} | {c.name} | {shown} |")
        raw = answer.get("grow")
        picks = [self.by_id[p] for p in self.by_id if isinstance(raw, list) and p in raw]
        lines += ["", "**Two to grow**", ""]
        if not picks:
            lines.append("(none chosen yet)")
        for c in picks:
            where = f"{c.area_name}, Shift {c.shift}"
            lines.append(f"- **{c.name}** ({where}). First step: {c.first_step}")
        why = answer.get("why", "")
        if isinstance(why, str) and why.strip():
            lines += ["", "Why these two:", "", quote(why)]
        text = answer.get("reflection", "")
        if isinstance(text, str) and text.strip():
            lines += ["", "Reflection:", "", quote(text)]
        return "\n".join(lines).rstrip()


def _message(f: cm.Finding) -> Message:
    return Message(f.level, f.text)


WHY_TITLES = {"names": "Each pick named", "reason": "A reason"}


def _why_feedback(text: str, chosen: Sequence[cm.Competency]) -> tuple[str, list[Message]]:
    checks = cm.why_checks(text, chosen)
    passed = sum(c.passed for c in checks)
    msgs = [
        Message("good" if c.passed else "info", f"{WHY_TITLES[c.name]}: {c.message}")
        for c in checks
    ]
    return f"Why these two: checks passed {passed} of {len(checks)}", msgs


# --- the page's static path --------------------------------------------------------------------
class WorkedLearner:
    """A fictional learner's ratings and picks, worked through for readers without a kernel.

    ``ratings`` maps competency ids to ratings 1–5; ``start`` is the learner's Start-here shift
    scores (``{1: …, 4: …}``) or ``None``."""

    def __init__(
        self,
        name: str,
        ratings: Mapping[str, int],
        start: Mapping[int, float] | None = None,
    ):
        self.name = name
        self.comps = load_competencies()
        self.by_id = {c.competency_id: c for c in self.comps}
        self.ratings = cm.check_ratings(ratings, list(self.by_id))
        self.start = cm.clean_start_scores(start) if start is not None else None
        self.areas = cm.area_means(self.ratings, self.comps)
        self.shifts = cm.shift_means(self.ratings, self.comps)
        self.gaps = cm.gaps_that_matter(self.ratings, self.comps)

    def findings(self, picks: Sequence[str]) -> list[cm.Finding]:
        return cm.review_picks(picks, self.ratings, self.comps, self.start)

    def glue(self, prefix: str) -> None:
        """Publish the numbers the page's prose uses: area and shift means, the gaps."""
        from myst_nb import glue

        for a in cm.AREAS:
            glue(f"{prefix}_area_{a.key}", self.areas[a.key], display=False)
        for s in cm.SHIFTS:
            glue(f"{prefix}_shift_{s}", self.shifts[s], display=False)
        glue(f"{prefix}_gaps", len(self.gaps), display=False)
        glue(f"{prefix}_gap_names", ", ".join(c.name for c in self.gaps), display=False)
        if self.start is not None:
            lowest = sa.profile(self.start).start
            glue(f"{prefix}_start_lowest", lowest, display=False)
            glue(f"{prefix}_start_score", self.start[lowest], display=False)

    def table(self):
        """The ratings by area as a table (no index column, stable ids)."""
        import pandas as pd

        frame = pd.DataFrame(
            area_rows(self.ratings, self.comps), columns=["Area", "Ratings", "Mean (1–5)"]
        )
        return frame.style.hide(axis="index").set_uuid(f"pivot-gaps-{self.name.lower()}")

    @property
    def figure(self) -> plots.SvgFigure:
        figure = shift_figure(self.shifts, self.start, self.name)
        if figure is None:
            raise ValueError(f"{self.name}: every shift needs a rated competency for the chart")
        return figure

    def feedback(self, picks: Sequence[str]):
        """The exercise's feedback on ``picks``, as Markdown (for the worked example)."""
        from IPython.display import Markdown

        words = {"good": "Good", "info": "Note", "warn": "Check"}
        lines = [
            f"- **{words[f.level]}:** {prose.markdown_escape(f.text)}" for f in self.findings(picks)
        ]
        return Markdown("\n".join(lines))


def glue_numbers(prefix: str) -> None:
    """Glue the numbers the page's prose uses (prefix them with ``prefix``)."""
    from myst_nb import glue

    comps = load_competencies()
    glue(f"{prefix}_competencies", len(comps), display=False)
    glue(f"{prefix}_areas", len(cm.AREAS), display=False)
    glue(f"{prefix}_picks", cm.PICKS, display=False)
    glue(f"{prefix}_gap_at_most", cm.GAP_AT_MOST, display=False)
    glue(f"{prefix}_strength_at_least", cm.STRENGTH_AT_LEAST, display=False)
    glue(f"{prefix}_later", sum(c.first_role == "later" for c in comps), display=False)


def _cited(text: str) -> str:
    """Text with ``{cite:t}``/``{cite:p}`` roles rendered as tools/sync_prose.py renders them on
    this page, so that generated Markdown equals the page's synced prose."""
    return prose.sync_text(text, glue=None, refs=prose.load_references(), link=REFERENCES_LINK)


def areas_markdown() -> str:
    """Mehta's four areas with their three competencies each, and the course's summaries."""
    comps = load_competencies()
    lines = ["| Area | Its competencies | In the course's words |", "| --- | --- | --- |"]
    for a in cm.AREAS:
        names = ", ".join(c.name for c in comps if c.area == a.key)
        lines.append(f"| {a.name} | {names} | {a.summary.capitalize()} |")
    return "\n".join(lines)


def scale_markdown() -> str:
    """The course's behavioural rating scale, as a Markdown table."""
    lines = ["| Rating | Label | What it takes |", "| ---: | --- | --- |"]
    lines += [f"| {v} | {label} | {what} |" for v, (label, what) in cm.SCALE.items()]
    return "\n".join(lines)


def mapping_markdown() -> str:
    """The course's mapping of each competency to a shift, as a Markdown table."""
    lines = [
        "| Area | Competency | Shift | Also | Why this shift |",
        "| --- | --- | ---: | --- | --- |",
    ]
    for c in load_competencies():
        also = ", ".join(str(s) for s in c.also_shifts) or "–"
        lines.append(f"| {c.area_name} | {c.name} | {c.shift} | {also} | {c.shift_reason} |")
    return "\n".join(lines)


FIRST_ROLE_WORDS = {"core": "a first product role leans on it", "later": "matters later"}


def answer_key_markdown() -> str:
    """Every competency with the course's description, what good looks like, whether a first
    role leans on it, a first step and its resources (links and citations): the page's folded
    answer key, as Markdown."""
    lines = []
    comps = load_competencies()
    for a in cm.AREAS:
        lines += [f"**{a.name}**: {a.summary}", ""]
        for c in (c for c in comps if c.area == a.key):
            chapters = ", ".join(f"[{chapter_title(ch)}]({chapter_link(ch)})" for ch in c.chapters)
            refs = "; ".join(f"{{cite:t}}`{k}`" for k in c.references)
            role = FIRST_ROLE_WORDS[c.first_role]
            lines += [
                f"- **{c.name}** (Shift {c.shift}; {role}). {c.description}",
                f"  - *What good looks like:* {c.good}",
                f"  - *A first step:* {c.first_step}",
                f"  - *In this course:* {chapters}.",
                f"  - *To read:* {refs}.",
            ]
        lines.append("")
    return _cited("\n".join(lines).rstrip())
