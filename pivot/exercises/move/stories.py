"""Making the move, your interview stories: four stories, one per shift, each told as situation,
task, action and result, with the shift the learner says it shows.

Each story is read by the checks of :func:`pivot.frameworks.stories.story_checks` (all parts
there, between half a minute and two minutes at an assumed speaking rate with the action the
longest part, a number in the result that is not a date, "I" as the subject of the action and
not outnumbered by "we", a task that is the learner's own and not "my team's", and the shift's
cue words weighted by part), and the set by
:func:`pivot.frameworks.stories.coverage` (all four shifts shown). Above each story, prompts
drawn from the learner's own work earlier in the course (never text put in the boxes): the
problem statement and pain points for Shift 1, the pitch, the negotiation and the stakeholder
map for Shift 2, the capacity plan and the rewritten requests for Shift 3, the decision and the
learning log for Shift 4. Where a chapter has not been done, the prompt names it with a link
and gives a general question. Reading another page's answer never raises.

The capstone reads the stories with :func:`saved_stories`, which never raises. The page's
worked example, self-check, model story from an engineer's seat and answer key use the
reference stories of ``data/interview_stories.csv``. A check that passes is shown as good and
one that fails as a warning (or, for a shift the cues disagree with, a note): a warning is
never shown at the good level.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ipywidgets as W

from ... import data
from ... import workbook as wb
from ...frameworks import stories as st
from ...kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape, text_area
from ..common import quote, restore_reflection, saved_text

__all__ = [
    "CHAPTERS",
    "EXERCISE_ID",
    "SCHEMA",
    "InterviewStories",
    "ReferenceStory",
    "WorkPrompt",
    "answer_key_markdown",
    "glue_numbers",
    "load_reference_stories",
    "saved_stories",
    "work_prompts",
    "worked_examples",
]

EXERCISE_ID = "move.stories"
KINDS = ("strong", "weak", "self_check", "engineer")
SCHEMA = data.Schema(
    "interview_stories",
    (
        data.Column("story_id", pattern=r"IS\d{2}", unique=True),
        data.Column("kind", choices=KINDS),
        data.Column("shift", "int", minimum=1, maximum=4),
        data.Column("nugget", max_chars=300),
        data.Column("situation", max_chars=600),
        data.Column("task", max_chars=400),
        data.Column("action", max_chars=1200),
        data.Column("result", max_chars=600),
        data.Column("why", max_chars=1200),
    ),
    "Making the move: reference interview stories on the Kestrel Works case, told as "
    "situation, task, action and result: a strong story for each shift, a weak one for the "
    "worked example, one for the self-check and one told from an engineer's seat before any "
    "product title, each with why.",
    min_rows=7,
)
data.register(SCHEMA)

#: The earlier chapters whose answers prompt the stories: exercise id → (page title, link from
#: this page's folder, notebooks/50-move/).
CHAPTERS: dict[str, tuple[str, str]] = {
    "shift1.problem_statement": (
        "Writing a problem statement",
        "../10-shift1/40-problem-statement.ipynb",
    ),
    "shift1.pain_point_map": ("The pain-point map", "../10-shift1/30-pain-point-map.ipynb"),
    "shift2.stakeholder_map": ("Map the stakeholders", "../20-shift2/10-stakeholder-map.ipynb"),
    "shift2.pitch": ("Answer first", "../20-shift2/20-answer-first.ipynb"),
    "shift2.negotiation": ("Negotiate the live map", "../20-shift2/30-negotiate.ipynb"),
    "shift3.capacity_plan": ("From ranking to plan", "../30-shift3/15-ranking-to-plan.ipynb"),
    "shift3.what_not_how": ("What, not how", "../30-shift3/30-what-not-how.ipynb"),
    "shift4.read_and_decide": ("Read the result and decide", "../40-shift4/40-decide.ipynb"),
    "shift4.blameless_review": (
        "The blameless review",
        "../40-shift4/50-blameless-review.ipynb",
    ),
}
#: The question each story starts from, whatever the learner's workbook holds.
QUESTIONS: dict[int, str] = {
    1: "When did you find out what the people you built for really needed, before you built "
    "it? What did you hear, from whom, and what changed because of it?",
    2: "When did you bring people who wanted different things to one decision? Whom did you "
    "talk to first, what did each of them care about, and what did they agree to?",
    3: "When did you decide what to build and why, and leave the how to others? What did you "
    "hand over, how, and what did the team choose?",
    4: "When did something you were responsible for not work? What did you do next, what did "
    "you learn, and what did you change because of it?",
}
PLACEHOLDERS = {
    "situation": "Where and when, in a sentence or two: just enough for the rest to make sense.",
    "task": "What was yours to do: 'My job was to …' or 'I had to …'.",
    "action": "What you did, step by step: 'I …'. The longest part.",
    "result": "What changed, with a number: a figure, a percentage, a count or a time.",
}
CHECK_TITLES = {
    "parts": "All four parts",
    "length": "Two minutes, action first",
    "number": "A number in the result",
    "i_action": "'I' in the action",
    "task_owned": "The task is yours",
    "shift": "The shift it shows",
}
UNSET = 0
#: The longest excerpt of earlier work shown in a prompt.
EXCERPT_CHARS = 240


# --- the reference stories ---------------------------------------------------------------------
@dataclass(frozen=True)
class ReferenceStory:
    """A story from ``data/interview_stories.csv``: its kind, the shift it is told for, the
    one-sentence "nugget" it opens with, its four parts and why it is strong or weak."""

    story_id: str
    kind: str
    shift: int
    nugget: str
    situation: str
    task: str
    action: str
    result: str
    why: str

    @property
    def parts(self) -> dict[str, str]:
        return {key: getattr(self, key) for key, _ in st.PARTS}


def load_reference_stories() -> list[ReferenceStory]:
    """``data/interview_stories.csv``, validated by :data:`SCHEMA` (a
    :class:`pivot.data.DataError` naming the line, column and value otherwise)."""
    frame = data.read_table(data.data_dir() / "interview_stories.csv", SCHEMA)
    return [
        ReferenceStory(**{k: (int(v) if k == "shift" else str(v)) for k, v in row.items()})
        for row in frame.astype(object).to_dict("records")
    ]


@lru_cache(maxsize=1)
def shift_titles() -> dict[int, str]:
    """The four shifts' titles from ``data/shifts.csv``."""
    frame = data.load("shifts")
    return {int(s): str(t) for s, t in zip(frame["shift"], frame["title"], strict=True)}


# --- prompts from the learner's own work -------------------------------------------------------
@dataclass(frozen=True)
class WorkPrompt:
    """What a story can start from: ``lines`` of the learner's own earlier work (plain text),
    the chapters not done yet (``missing``: ``(title, link)``), and a ``question``."""

    shift: int
    lines: tuple[str, ...]
    missing: tuple[tuple[str, str], ...]
    question: str


def _excerpt(value: object, limit: int = EXCERPT_CHARS) -> str | None:
    """Saved text, stripped, cut to ``limit`` characters; ``None`` when blank or not text."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _answer(book: wb.Workbook, exercise_id: str) -> Mapping[str, Any]:
    answer = book.get(exercise_id)
    return answer if isinstance(answer, Mapping) else {}


def _problem_statement(book: wb.Workbook) -> str | None:
    from ...frameworks.discovery import problem_sentence

    a = _answer(book, "shift1.problem_statement")
    who, needs, because = (a.get(k) for k in ("who", "needs", "because"))
    if not all(isinstance(v, str) for v in (who, needs, because)) or not (
        who.strip() and needs.strip()
    ):
        return None
    text = _excerpt(problem_sentence(who, needs, because))
    return f"Your problem statement: “{text}”" if text else None


def _pain_points(book: wb.Workbook) -> str | None:
    picks = _answer(book, "shift1.pain_point_map").get("top_three")
    if not isinstance(picks, list):
        return None
    labels = dict(
        zip(*(data.load("pain_point_reference")[c] for c in ("pain_point", "label")), strict=True)
    )
    named = [labels.get(p, p.replace("_", " ")) for p in picks if isinstance(p, str) and p][:3]
    named = [n for n in (_excerpt(n, 80) for n in named) if n]
    if not named:
        return None
    listed = "; ".join(f"{i}. {n}" for i, n in enumerate(named, 1))
    return f"Your top pain points: {listed}."


def _pitch(book: wb.Workbook) -> str | None:
    a = _answer(book, "shift2.pitch")
    text = _excerpt(a.get("pitch"))
    if text is None:
        return None
    from ..shift2.stakeholder_map import load_stakeholders

    names = dict(zip(*(load_stakeholders()[c] for c in ("stakeholder_id", "name")), strict=True))
    who = names.get(a.get("stakeholder")) if isinstance(a.get("stakeholder"), str) else None
    return f"Your pitch{f' to {who}' if who else ''}: “{text}”"


def _negotiation(book: wb.Workbook) -> str | None:
    a = _answer(book, "shift2.negotiation")
    proposals = a.get("proposals")
    proposals = (
        [p for p in proposals if isinstance(p, Mapping)] if isinstance(proposals, list) else []
    )
    if not proposals:
        return None
    line = f"You made {len(proposals)} proposal(s) to Marcus Bell in the negotiation"
    try:
        from ..shift2.negotiation import Case

        case = Case()
        line += f"; the last: {case.describe(case.tables.package(proposals[-1]))}"
    except Exception:  # an old or damaged proposal: the count is still true
        pass
    return line + "."


def _stakeholder_map(book: wb.Workbook) -> str | None:
    from ..shift2.stakeholder_map import load_stakeholders, saved_map

    placed = saved_map(book)
    if not isinstance(placed, Mapping) or not placed:
        return None
    names = dict(zip(*(load_stakeholders()[c] for c in ("stakeholder_id", "name")), strict=True))
    closely = [
        names[sid]
        for sid, e in placed.items()
        if sid in names and isinstance(e, Mapping) and e.get("strategy") == "manage closely"
    ]
    line = f"Your stakeholder map places {len(placed)} people"
    if closely:
        line += f"; you chose to manage closely: {', '.join(closely)}"
    return line + "."


def _capacity_plan(book: wb.Workbook) -> str | None:
    a = _answer(book, "shift3.capacity_plan")
    raw = a.get("capacity")
    try:
        capacity = float(raw) if isinstance(raw, int | float | str) else math.nan
    except (ValueError, OverflowError):
        return None
    if isinstance(raw, bool) or not math.isfinite(capacity) or capacity <= 0:
        return None
    method = a.get("method") if a.get("method") in ("rice", "wsjf") else "rice"
    unit = "person-months" if method == "rice" else "job-size points"
    return f"You planned a quarter of {capacity:g} {unit}, ranked by {method.upper()}."


def _what_not_how(book: wb.Workbook) -> str | None:
    rewrites = _answer(book, "shift3.what_not_how").get("rewrites")
    if not isinstance(rewrites, Mapping):
        return None
    done = sum(1 for r in rewrites.values() if isinstance(r, Mapping) and _excerpt(r.get("story")))
    if not done:
        return None
    return f"You rewrote {done} solution-shaped request(s) as user stories with criteria."


def _decision(book: wb.Workbook) -> str | None:
    a = _answer(book, "shift4.read_and_decide")
    decision = a.get("decision")
    if decision not in ("ship", "iterate", "kill"):
        return None
    line = f"You decided to {decision} on your experiment's result"
    locked = a.get("locked")
    if isinstance(locked, Mapping):
        values = [locked.get("success"), locked.get("kill")]
        if all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in values
        ):
            line += (
                f", by criteria you locked before the data (success {values[0]:+.3g} points, "
                f"kill {values[1]:+.3g} points)"
            )
    return line + "."


def _learning_log(book: wb.Workbook) -> str | None:
    from ..shift4.blameless_review import saved_learning_log

    log = saved_learning_log(book)
    text = _excerpt(log.get("what_we_change_next")) if isinstance(log, Mapping) else None
    return f"Your learning log, what we change next: “{text}”" if text else None


#: For each shift, the chapters that prompt its story, each with the reader of its answer.
READERS: dict[int, tuple[tuple[str, Callable[[wb.Workbook], str | None]], ...]] = {
    1: (("shift1.problem_statement", _problem_statement), ("shift1.pain_point_map", _pain_points)),
    2: (
        ("shift2.pitch", _pitch),
        ("shift2.negotiation", _negotiation),
        ("shift2.stakeholder_map", _stakeholder_map),
    ),
    3: (("shift3.capacity_plan", _capacity_plan), ("shift3.what_not_how", _what_not_how)),
    4: (("shift4.read_and_decide", _decision), ("shift4.blameless_review", _learning_log)),
}


def work_prompts(workbook: wb.Workbook | None = None) -> dict[int, WorkPrompt]:
    """For each shift, what the learner's saved work offers a story (see :class:`WorkPrompt`).

    Never raises: an answer that is missing, damaged or from an older version of a page counts
    as not done, and its chapter is named with a link."""
    try:
        book = workbook if workbook is not None else wb.current()
    except Exception:
        book = None
    prompts = {}
    for shift, readers in READERS.items():
        lines, missing = [], []
        for exercise_id, read in readers:
            try:
                line = read(book) if book is not None else None
            except Exception:
                line = None
            if line:
                lines.append(line)
            else:
                missing.append(CHAPTERS[exercise_id])
        prompts[shift] = WorkPrompt(shift, tuple(lines), tuple(missing), QUESTIONS[shift])
    return prompts


def prompt_html(prompt: WorkPrompt) -> str:
    """A prompt as HTML: the learner's own work (escaped), the chapters still to do (linked),
    and the question."""
    parts = []
    if prompt.lines:
        items = "".join(f"<li>{escape(line)}</li>" for line in prompt.lines)
        parts.append(f"<p>From your workbook:</p><ul>{items}</ul>")
    if prompt.missing:
        links = ", ".join(f'<a href="{escape(href)}">{escape(t)}</a>' for t, href in prompt.missing)
        lead = "Not in your workbook yet" if prompt.lines else "Nothing saved yet from"
        parts.append(
            f"<p>{lead}: {links}. Do {'it' if len(prompt.missing) == 1 else 'them'} to see your "
            "own work here, or start from a story of your own.</p>"
        )
    parts.append(f"<p><strong>Ask yourself:</strong> {escape(prompt.question)}</p>")
    return f'<div class="pivot-story-prompt">{"".join(parts)}</div>'


# --- what the capstone reads ---------------------------------------------------------------------
def _saved_story(value: object) -> tuple[dict[str, str], object] | None:
    if not isinstance(value, Mapping):
        return None
    story = {}
    for key, _ in st.PARTS:
        text = saved_text(value.get(key, ""), MAX_TEXT_CHARS)
        story[key] = text or ""
    return story, value.get("shift")


def saved_stories(workbook: wb.Workbook | None = None) -> dict[str, dict[str, str]]:
    """The learner's saved stories, keyed by the shift each shows: ``{"1": {"situation",
    "task", "action", "result"}, ...}`` for the shifts with a story (for the capstone).

    A story's shift is the one the learner chose for it, or its own number when none is chosen;
    when two stories claim one shift, the lower-numbered keeps it
    (:func:`pivot.frameworks.stories.stories_by_shift`). Never raises: a malformed or over-long
    part is read as empty, and an empty dict means nothing usable was saved."""
    try:
        book = workbook if workbook is not None else wb.current()
        answer = book.get(EXERCISE_ID)
        saved = answer.get("stories") if isinstance(answer, Mapping) else None
        if not isinstance(saved, Mapping):
            return {}
        found = {}
        for number in st.SHIFTS:
            story = _saved_story(saved.get(str(number)))
            if story is not None:
                found[number] = story
        return st.stories_by_shift(found)
    except Exception:
        return {}


# --- the widget ----------------------------------------------------------------------------------
def _cues_html() -> str:
    titles = shift_titles()
    rows = "".join(
        f"<li><strong>Shift {s}, {escape(titles[s])}:</strong> "
        f"{escape('; '.join(label for label, _ in st.CUES[s]))}</li>"
        for s in st.SHIFTS
    )
    budget = ", ".join(f"{label.lower()} {st.WORD_BUDGET[k]}" for k, label in st.PARTS)
    return (
        "<details><summary>What the checks look for</summary>"
        f"<p>Each check reads words, not meaning. A story should fit a {st.ANSWER_MINUTES}-minute "
        f"answer: at an assumed {st.SPEAKING_RATE_WPM} words a minute (an assumption, not a "
        f"measurement: time yourself), that is about {sum(st.WORD_BUDGET.values())} words, at "
        f"most {budget}, and at least {st.MIN_STORY_WORDS} words (about "
        f"{st.MIN_ANSWER_SECONDS} seconds), or it is too short to show anything. The result "
        "needs a figure, a percentage, a count or a time; a month, a weekday or a year says "
        "when, not how much. In the action, 'I' must be the one who acts ('my' and 'me' do not "
        "count, nor does 'I think'), and 'we' must not outnumber it "
        f"{st.WE_RATIO} to 1. The task must say what was yours: 'my team had to' is not yet "
        "your part. For the shift, the check scores the cue words below, each once, a word in "
        f"the action counting {st.PART_WEIGHTS['action']} times one in the situation: when "
        "they point to another shift, that is a prompt to look again, not a verdict.</p>"
        f"<ul>{rows}</ul></details>"
    )


class InterviewStories(Exercise):
    """Four interview stories, one per shift, each as situation, task, action and result, with
    the shift the learner says it shows; checks per story and for the set."""

    exercise_id = EXERCISE_ID
    title = "Making the move: your interview stories"

    def build(self) -> W.Widget:
        titles = shift_titles()
        self.prompts = work_prompts(self.workbook)
        options = [("— choose —", UNSET), *[(f"Shift {s}: {titles[s]}", s) for s in st.SHIFTS]]
        self.shifts: dict[int, W.Dropdown] = {}
        self.parts: dict[int, dict[str, W.Textarea]] = {}
        self.story_feedback: dict[int, FeedbackPanel] = {}
        rows: list[W.Widget] = []
        for n in st.SHIFTS:
            choice = W.Dropdown(
                options=options,
                value=UNSET,
                description=f"Story {n} shows",
                style={"description_width": "11em"},
                layout=W.Layout(width="46em", max_width="100%"),
            )
            choice.observe(self.changed, names="value")
            self.shifts[n] = choice
            boxes = {}
            for key, label in st.PARTS:
                box = text_area(
                    f"Story {n} {label.lower()}",
                    placeholder=PLACEHOLDERS[key],
                    rows=4 if key == "action" else 2,
                )
                box.observe(self.changed, names="value")
                boxes[key] = box
            self.parts[n] = boxes
            self.story_feedback[n] = FeedbackPanel(f"Story {n} checks")
            rows += [
                W.HTML(f"<h4>Story {n}: the one for Shift {n}, {escape(titles[n])}</h4>"),
                W.HTML(prompt_html(self.prompts[n]), layout=W.Layout(width="100%")),
                choice,
                *boxes.values(),
                self.story_feedback[n].widget,
            ]
        self.set_feedback = FeedbackPanel("Your four stories")
        self.reflection = self.reflection_box(
            "Which of your four stories would you tell first in an interview for a product role, "
            "and which one still needs a better example from your own work?"
        )
        return W.VBox(
            [
                W.HTML(
                    "<p>Write four stories from your own work, one for each shift, as an "
                    "interviewer would want to hear them: the situation, your task, what you did "
                    "and the result. Each story says which shift it shows. The prompts above "
                    "each story come from your own work in this course; the boxes are yours. "
                    "Everything is saved to your workbook as you go.</p>"
                ),
                W.HTML(_cues_html(), layout=W.Layout(width="100%")),
                *rows,
                self.set_feedback.widget,
                self.reflection,
                self.save_control.widget,
            ],
            layout=W.Layout(width="100%"),
        )

    # --- Exercise interface ---------------------------------------------------------------------
    def story(self, n: int) -> dict[str, str]:
        return {key: box.value for key, box in self.parts[n].items()}

    def chosen(self, n: int) -> int | None:
        return st.shift_of(self.shifts[n].value)

    def answer(self) -> dict[str, Any]:
        return {
            "stories": {str(n): {"shift": self.chosen(n), **self.story(n)} for n in st.SHIFTS},
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved stories could not be read; starting afresh."
        skipped: list[str] = []
        saved = answer.get("stories", {})
        if not isinstance(saved, Mapping):
            skipped.append("the stories")
            saved = {}
        for n in st.SHIFTS:
            entry = saved.get(str(n))
            if entry is None:
                continue
            if not isinstance(entry, Mapping):
                skipped.append(f"story {n}")
                continue
            shift = entry.get("shift")
            if shift not in (None, UNSET, ""):
                if st.shift_of(shift) is None:
                    skipped.append(f"the shift of story {n}")
                else:
                    self.shifts[n].value = st.shift_of(shift)
            for key, label in st.PARTS:
                text = saved_text(entry.get(key, ""), MAX_TEXT_CHARS)
                if text is None:
                    skipped.append(f"story {n} {label.lower()}")
                self.parts[n][key].value = text or ""
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        fields = {
            box.description: box.value for boxes in self.parts.values() for box in boxes.values()
        }
        fields["My reflection"] = self.reflection.value
        return fields

    def refresh(self) -> None:
        # only a story whose text or shift changed is checked again (a keystroke is one story)
        shown = getattr(self, "_shown", {})
        for n in st.SHIFTS:
            state = (tuple(self.story(n).values()), self.chosen(n))
            if shown.get(n) != state:
                self.story_feedback[n].show(*self.story_feedback_for(n))
                shown[n] = state
        self._shown = shown
        self.set_feedback.show(*self.set_feedback_for())

    # --- feedback ---------------------------------------------------------------------------------
    def story_feedback_for(self, n: int) -> tuple[str, list[Message]]:
        story, chosen = self.story(n), self.chosen(n)
        if not any(v.strip() for v in story.values()):
            return f"Story {n}: not started", [
                Message(
                    "info",
                    "Start from the prompt above: pick one real moment, then write the four "
                    "parts. The checks appear as you write.",
                )
            ]
        checks = st.story_checks(story, chosen)
        msgs = []
        for c in checks:
            if c.passed:
                level = "good"
            elif c.name == "shift" and chosen is not None:
                level = "info"  # the cues disagree: a prompt to check, not a verdict
            else:
                level = "warn"
            msgs.append(Message(level, f"{CHECK_TITLES[c.name]}: {c.message}"))
        passed = sum(c.passed for c in checks)
        if passed == len(checks):
            msgs.append(
                Message(
                    "good",
                    "Every check passed. They read words, not meaning: tell the story aloud to "
                    "someone and ask what they think you did, and which shift it shows.",
                )
            )
        return f"Story {n}: checks passed {passed} of {len(checks)}", msgs

    def set_feedback_for(self) -> tuple[str, list[Message]]:
        titles = shift_titles()
        stories = {n: (self.story(n), self.chosen(n)) for n in st.SHIFTS}
        cov = st.coverage(stories)
        heading = f"Your four stories: {len(cov.covered)} of {len(st.SHIFTS)} shifts shown"
        written = [n for n in st.SHIFTS if any(v.strip() for v in self.story(n).values())]
        if not written:
            return heading, [
                Message(
                    "info",
                    "An interviewer of a former engineer listens for each of the four shifts: "
                    "write one story for each, and choose which shift each shows.",
                )
            ]
        msgs = []
        if cov.unchosen:
            listed = ", ".join(str(n) for n in cov.unchosen)
            msgs.append(Message("warn", f"Choose which shift story {listed} shows."))
        for shift in cov.repeated:
            claims = [n for n in written if self.chosen(n) == shift]
            msgs.append(
                Message(
                    "warn",
                    f"Stories {' and '.join(map(str, claims))} both show Shift {shift}. An "
                    f"interviewer hears the same strength twice; your portfolio keeps story "
                    f"{claims[0]} for Shift {shift}.",
                )
            )
        for shift in cov.missing:
            msgs.append(
                Message(
                    "warn", f"No story shows Shift {shift}, {titles[shift]}, yet.", QUESTIONS[shift]
                )
            )
        if cov.complete and not cov.repeated:
            seconds = sum(st.speaking_seconds(st.total_words(self.story(n))) for n in written)
            msgs.append(
                Message(
                    "good",
                    f"The set covers all four shifts, about {round(seconds / 60)} minute(s) of "
                    f"stories at an assumed {st.SPEAKING_RATE_WPM} words a minute. Rehearse them "
                    "aloud until you can tell each without notes.",
                )
            )
        return heading, msgs

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        titles = shift_titles()
        saved = answer.get("stories", {}) if isinstance(answer.get("stories"), Mapping) else {}
        lines = []
        for n in st.SHIFTS:
            entry = saved.get(str(n))
            entry = entry if isinstance(entry, Mapping) else {}
            texts = [
                (label, entry.get(key))
                for key, label in st.PARTS
                if isinstance(entry.get(key), str) and entry.get(key).strip()
            ]
            if not texts:
                continue
            shift = st.shift_of(entry.get("shift"))
            shows = f"shows Shift {shift}, {titles[shift]}" if shift else "shift not chosen"
            lines += [f"**Story {n}** ({shows})", ""]
            for label, text in texts:
                lines += [f"{label}:", "", quote(text), ""]
        text = answer.get("reflection", "")
        if isinstance(text, str) and text.strip():
            lines += ["Reflection:", "", quote(text)]
        return "\n".join(lines).rstrip() or "No stories written yet."


# --- the page's static path --------------------------------------------------------------------
def _by_kind(kind: str) -> list[ReferenceStory]:
    return [s for s in load_reference_stories() if s.kind == kind]


def worked_examples() -> dict[str, ReferenceStory]:
    """The page's worked example, self-check and model story: ``weak`` (the weak story),
    ``strong`` (the strong story told for the same shift), ``self_check`` and ``engineer`` (a
    story told from an engineer's seat, before any product title)."""
    weak = _by_kind("weak")[0]
    strong = next(s for s in _by_kind("strong") if s.shift == weak.shift)
    return {
        "weak": weak,
        "strong": strong,
        "self_check": _by_kind("self_check")[0],
        "engineer": _by_kind("engineer")[0],
    }


def glue_numbers(prefix: str) -> None:
    """Glue the numbers the page's prose uses (prefix them with ``prefix``)."""
    from myst_nb import glue

    glue(f"{prefix}_rate", st.SPEAKING_RATE_WPM, display=False)
    glue(f"{prefix}_minutes", st.ANSWER_MINUTES, display=False)
    glue(f"{prefix}_words", sum(st.WORD_BUDGET.values()), display=False)
    for key, _ in st.PARTS:
        glue(f"{prefix}_{key}_words", st.WORD_BUDGET[key], display=False)
    glue(f"{prefix}_checks", len(st.CHECK_NAMES), display=False)
    glue(f"{prefix}_min_seconds", st.MIN_ANSWER_SECONDS, display=False)
    glue(f"{prefix}_min_words", st.MIN_STORY_WORDS, display=False)
    glue(f"{prefix}_we_ratio", st.WE_RATIO, display=False)
    for key, _ in st.PARTS:
        glue(f"{prefix}_{key}_weight", st.PART_WEIGHTS[key], display=False)
    for kind, story in worked_examples().items():
        checks = st.story_checks(story.parts, story.shift)
        words = st.total_words(story.parts)
        glue(f"{prefix}_{kind}_words", words, display=False)
        glue(f"{prefix}_{kind}_seconds", st.speaking_seconds(words), display=False)
        glue(f"{prefix}_{kind}_passed", sum(c.passed for c in checks), display=False)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _story_markdown(story: ReferenceStory) -> list[str]:
    titles = shift_titles()
    checks = st.story_checks(story.parts, story.shift)
    lines = [f"- **Nugget** (the opening sentence). {story.nugget}"]
    lines += [f"- **{label}.** {story.parts[key]}" for key, label in st.PARTS]
    words = st.total_words(story.parts)
    lines += [
        "",
        f"Told for Shift {story.shift}, {titles[story.shift]}: {words} words, about "
        f"{st.speaking_seconds(words)} seconds at an assumed {st.SPEAKING_RATE_WPM} words a "
        f"minute; checks passed {sum(c.passed for c in checks)} of {len(checks)}"
        + (
            " (not passed: "
            + ", ".join(_lower_first(CHECK_TITLES[c.name]) for c in checks if not c.passed)
            + ")."
            if not all(c.passed for c in checks)
            else "."
        ),
        f"Why: {story.why}",
    ]
    return lines


def answer_key_markdown() -> str:
    """The worked example's weak story with its checks, a strong story for each shift with its
    checks and why, the self-check story and the story from an engineer's seat: the page's
    folded answer key, as Markdown."""
    lines = ["**The weak story of the worked example.**", ""]
    for story in _by_kind("weak"):
        lines += [*_story_markdown(story), ""]
    lines += ["**A strong story for each shift.**", ""]
    for story in _by_kind("strong"):
        lines += [f"*Shift {story.shift}.*", "", *_story_markdown(story), ""]
    lines += ["**The self-check story.**", ""]
    for story in _by_kind("self_check"):
        lines += [*_story_markdown(story), ""]
    lines += ["**A story from an engineer's seat, before any product title.**", ""]
    for story in _by_kind("engineer"):
        lines += [*_story_markdown(story), ""]
    return "\n".join(lines).rstrip()
