"""Shift 4, the blameless review: the release shipped on time, and behaviour did not change.

Three steps, one exercise:

1. sort eleven things that happened during the release (``data/release_review.csv``) by cause on
   Edmondson's (2011) spectrum of reasons for failure, from the blameworthy end (deviance) to
   the praiseworthy end (exploratory testing), with feedback that says how far and in which
   direction each choice is from the reference, and why;
2. rewrite blaming sentences ("Jonah broke the sync.") as system findings, read by the light
   checks of :func:`pivot.frameworks.review.finding_checks` (no person as the cause, a
   mechanism and a condition, a fix to the system; word checks, and they say so);
3. write the learning-log entry that feeds the next iteration: what we expected, what
   happened, why (with evidence), what we change next. The capstone reads it with
   :func:`saved_learning_log`, which never raises.

If the learner designed an experiment on the *Design the experiment* page, its hypothesis and
criteria are shown beside the learning log (``pivot.exercises.shift4.experiment.saved_design``);
without one, the page states the release's own expectation (:data:`DEFAULT_EXPECTATION`): the
estimate of the experiment read on *Read the result and decide* (its worked result,
``pivot.exercises.shift4.decide.WORKED_RESULT``, for the course's default design
``pivot.exercises.shift4.experiment.DEFAULT``), with a deadline, the fourth week.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as W

from ... import data
from ... import workbook as wb
from ...frameworks import decisions as dc
from ...frameworks import review as rv
from ...kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape, text_area
from ..common import checks_feedback, quote, restore_reflection, saved_text
from .decide import DEFAULT_DESIGN as DECIDE_DESIGN
from .decide import WORKED_RESULT
from .experiment import DEFAULT as DEFAULT_DESIGN

__all__ = [
    "EXERCISE_ID",
    "SCHEMA",
    "BlamelessReview",
    "Event",
    "answer_key_markdown",
    "glue_numbers",
    "load_events",
    "saved_learning_log",
]

EXERCISE_ID = "shift4.blameless_review"
UNSET = ""
SCHEMA = data.Schema(
    "release_review",
    (
        data.Column("event_id", pattern=r"RV\d{2}", unique=True),
        data.Column("event", max_chars=600, unique=True),
        data.Column("cause", choices=tuple(r.key for r in rv.SPECTRUM)),
        data.Column("why", max_chars=800),
        data.Column("blaming", required=False, max_chars=200),
        data.Column("finding", required=False, max_chars=600),
    ),
    "Shift 4: what happened during the release that shipped on time without changing "
    "behaviour, each with its reference cause on Edmondson's spectrum of reasons for failure "
    "and why; some with a blaming sentence and a reference system finding.",
    min_rows=4,
)
data.register(SCHEMA)


def _pct(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


#: When the release's effect is read: four weeks after it ships (the learning log's deadline).
REVIEW_WEEK = 4
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
#: What the review found in the fourth week (the case's figure, in per cent): the share of
#: technicians who miss at least one moved job in a week, across every account.
OBSERVED_AFTER = 29.0


def experiment_estimate() -> dict[str, float]:
    """The experiment's result as the review reads it: the worked result of *Read the result
    and decide* for the default design, ``{"estimate", "low", "high"}`` as improvements in
    points (a fall in the rate), ``"expected"`` (the baseline minus the estimate, in per cent)
    and ``"verdict"`` (the rule's, under the default design's criteria)."""
    w = WORKED_RESULT
    r = dc.read_result(w["control"], w["n"], w["treatment"], w["n"])
    lower = DECIDE_DESIGN["mde"] < 0
    est, low, high = dc.improvement(r, lower_is_better=lower)
    crit = dc.Criteria.make(DECIDE_DESIGN["success"], DECIDE_DESIGN["kill"])
    return {
        "estimate": 100 * est,
        "low": 100 * low,
        "high": 100 * high,
        "expected": DEFAULT_DESIGN["baseline"] - 100 * est,
        "verdict": dc.rule_decision(r, crit, lower_is_better=lower),
    }


def _points(x: float) -> str:
    return f"{x:.2f}"


_T = experiment_estimate()
#: Shown beside the learning log when no experiment design is saved: the release's expectation,
#: from the experiment's estimate, in the metric of the course's default design (declared once,
#: on the page *Design the experiment*), with a deadline.
DEFAULT_EXPECTATION = (
    f"The experiment on the notification estimated that it cuts the {DEFAULT_DESIGN['metric']} "
    f"by {_points(_T['estimate'])} points (95 % interval {_points(_T['low'])} to "
    f"{_points(_T['high'])} points; the rule set before the data said {_T['verdict']}). "
    "Shipped to every account, the share "
    f"would fall from {_pct(DEFAULT_DESIGN['baseline'])} % to about {_T['expected']:.1f} % by "
    f"the {ORDINALS[REVIEW_WEEK - 1]} week, and dispatchers would "
    "stop phoning technicians to confirm each change."
)
FINDING_TITLES = {
    "person": "No person as the cause",
    "mechanism": "A mechanism and a condition",
    "fix": "A fix to the system",
}
LOG_TITLES = {
    "expected": "What we expected",
    "happened": "What happened",
    "why": "Why, with evidence",
    "change": "What we change next",
}


@dataclass(frozen=True)
class Event:
    """One thing that happened during the release, with its reference cause."""

    event_id: str
    event: str
    cause: str
    why: str
    blaming: str = ""
    finding: str = ""


def load_events() -> list[Event]:
    """``data/release_review.csv``, validated by :data:`SCHEMA`; a row with a blaming sentence
    must have a reference finding and the other way round (a :class:`pivot.data.DataError`
    naming the line and the column otherwise)."""
    frame = data.read_table(data.data_dir() / "release_review.csv", SCHEMA)
    events, problems = [], []
    for line, row in enumerate(frame.astype(object).to_dict("records"), start=2):
        clean = {k: ("" if data.plain_value(v) is None else str(v)) for k, v in row.items()}
        if bool(clean["blaming"]) != bool(clean["finding"]):
            missing = "finding" if clean["blaming"] else "blaming"
            problems.append(
                data.Problem(
                    "release_review.csv",
                    "a blaming sentence and a reference finding together, or neither",
                    line=line,
                    column=missing,
                    value="",
                )
            )
        events.append(Event(**clean))
    if problems:
        raise data.DataError(problems)
    return events


def _cause_label(key: str) -> str:
    pos = rv.position(key)
    name = rv.reason(key).name
    end = (
        " (blameworthy end)"
        if pos == 1
        else " (praiseworthy end)"
        if pos == len(rv.SPECTRUM)
        else ""
    )
    return f"{pos} {name}{end}"


def _direction(steps: int) -> str:
    n = abs(steps)
    unit = "step" if n == 1 else "steps"
    end = "blameworthy" if steps < 0 else "praiseworthy"
    return f"{n} {unit} nearer the {end} end"


def placement_message(event: Event, chosen: object) -> Message | None:
    """Feedback on one event's cause (``None`` while nothing is chosen)."""
    p = rv.placement(chosen, event.cause)
    if p.status == "unset":
        return None
    ref = rv.reason(event.cause).name
    if p.status == "match":
        return Message("good", f"{event.event_id}: {ref}, as the reference has it.", event.why)
    mine = rv.reason(str(chosen)).name
    text = f"{event.event_id}: you chose {mine}; the reference has {ref}, {_direction(p.steps)}."
    if p.status == "near":
        text += " Neighbours on the spectrum are often arguable: weigh the reference's reason."
        return Message("info", text, event.why)
    if p.toward_blame:
        text += (
            " Placing it nearer blame than the facts support is the blame game the spectrum "
            "is meant to stop."
        )
    elif rv.position(chosen) >= rv.position("hypothesis_testing"):
        text += " The praiseworthy end is for experiments, and this was not run as one."
    return Message("warn", text, event.why)


def saved_learning_log(workbook: wb.Workbook | None = None) -> dict[str, str]:
    """The learner's saved learning-log entry: ``{"what_we_expected", "what_happened", "why",
    "what_we_change_next"}`` → text, for the parts written (for the capstone).

    Reads ``workbook`` (default: the learner's current workbook). Never raises: a missing,
    malformed or over-long part is left out, and an empty dict means nothing usable was saved.
    """
    try:
        book = workbook if workbook is not None else wb.current()
        answer = book.get(EXERCISE_ID)
        log = answer.get("log") if isinstance(answer, Mapping) else None
        if not isinstance(log, Mapping):
            return {}
        found = {}
        for key, _label in rv.LOG_FIELDS:
            text = saved_text(log.get(key), MAX_TEXT_CHARS)
            if text is not None and text.strip():
                found[key] = text
        return found
    except Exception:
        return {}


def saved_design_for(workbook: wb.Workbook) -> dict[str, Any]:
    """The experiment design saved on the *Design the experiment* page, or ``{}`` (never
    raises: the page may not exist yet, or its answer may be unreadable)."""
    try:
        from .experiment import saved_design

        found = saved_design(workbook)
        return dict(found) if isinstance(found, Mapping) else {}
    except Exception:
        return {}


# --- the widget ----------------------------------------------------------------------------------
class BlamelessReview(Exercise):
    """Sort what happened by cause, rewrite blame as findings, write the learning log."""

    exercise_id = EXERCISE_ID
    title = "Shift 4: the blameless review"

    def build(self) -> W.Widget:
        self.events = load_events()
        self.by_id = {e.event_id: e for e in self.events}
        self.blamed = [e for e in self.events if e.blaming]
        options = [("— cause —", UNSET), *[(_cause_label(r.key), r.key) for r in rv.SPECTRUM]]
        self.causes: dict[str, W.Dropdown] = {}
        rows: list[W.Widget] = []
        for e in self.events:
            box = W.Dropdown(
                options=options,
                value=UNSET,
                description=f"{e.event_id} cause",
                style={"description_width": "8em"},
                layout=W.Layout(width="30em", max_width="100%"),
            )
            box.observe(self.changed, names="value")
            self.causes[e.event_id] = box
            rows += [
                W.HTML(f"<p><strong>{escape(e.event_id)}.</strong> {escape(e.event)}</p>"),
                box,
            ]
        self.sort_feedback = FeedbackPanel("Sorting feedback")
        self.findings: dict[str, W.Textarea] = {}
        finding_rows: list[W.Widget] = []
        for e in self.blamed:
            box = text_area(
                f"Finding for {e.event_id}",
                placeholder="What in the system let it happen, and what you will change.",
                rows=3,
            )
            box.observe(self.changed, names="value")
            self.findings[e.event_id] = box
            finding_rows += [
                W.HTML(
                    f"<p><strong>{escape(e.event_id)}</strong>, heard in the corridor: "
                    f"<q>{escape(e.blaming)}</q></p>"
                ),
                box,
            ]
        self.findings_feedback = FeedbackPanel("Findings feedback")
        # read once: the design belongs to another page's exercise and does not change here
        self.design_note = W.HTML(self.design_html(), layout=W.Layout(width="100%"))
        self.log: dict[str, W.Textarea] = {}
        placeholders = {
            "what_we_expected": "What did we expect the release to change, and by how much?",
            "what_happened": "What did we observe? A number, or where we saw it.",
            "why": "Why, and what is the evidence (data, calls, interviews, tests)?",
            "what_we_change_next": (
                "What changes in the next iteration, and how will we know it worked?"
            ),
        }
        for key, label in rv.LOG_FIELDS:
            box = text_area(label, placeholder=placeholders[key], rows=3)
            box.observe(self.changed, names="value")
            self.log[key] = box
        self.log_feedback = FeedbackPanel("Learning log checks")
        self.reflection = self.reflection_box(
            "Think of a failure in your own work that was treated as someone's fault. Where "
            "on the spectrum was it really, and what would a blameless finding have said?"
        )
        legend = "".join(
            f"<li><strong>{i}. {escape(r.name)}</strong>: {escape(r.definition)}</li>"
            for i, r in enumerate(rv.SPECTRUM, 1)
        )
        return W.VBox(
            [
                W.HTML(
                    "<p>The release shipped to every account on the planned date, on an iterate "
                    "verdict, and dispatchers and technicians kept working much as before. Review "
                    "what happened, blamelessly. Everything is saved to your workbook as you "
                    "go.</p>"
                ),
                W.HTML("<h4>1. Sort what happened by cause</h4>"),
                W.HTML(
                    "<details><summary>Edmondson's spectrum of reasons for failure, from the "
                    f'blameworthy end to the praiseworthy end</summary><ol style="list-style:none;'
                    f'padding-left:.5em">{legend}</ol></details>'
                ),
                *rows,
                self.sort_feedback.widget,
                W.HTML("<h4>2. Rewrite blame as system findings</h4>"),
                *finding_rows,
                self.findings_feedback.widget,
                W.HTML("<h4>3. The learning-log entry</h4>"),
                self.design_note,
                *self.log.values(),
                self.log_feedback.widget,
                self.reflection,
                self.save_control.widget,
            ],
            layout=W.Layout(width="100%"),
        )

    # --- Exercise interface ---------------------------------------------------------------------
    def answer(self) -> dict[str, Any]:
        return {
            "causes": {eid: box.value for eid, box in self.causes.items()},
            "findings": {eid: box.value for eid, box in self.findings.items()},
            "log": {key: box.value for key, box in self.log.items()},
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved review could not be read; starting afresh."
        skipped: list[str] = []
        causes = answer.get("causes", {})
        causes = causes if isinstance(causes, Mapping) else {}
        if not isinstance(answer.get("causes", {}), Mapping):
            skipped.append("the causes")
        for eid, box in self.causes.items():
            value = causes.get(eid, UNSET)
            if value in (UNSET, None):
                continue
            if rv.position(value) is None:
                skipped.append(f"the cause of {eid}")
                continue
            box.value = value
        for group, boxes, label in (
            ("findings", self.findings, "the finding for {}"),
            ("log", self.log, "{}"),
        ):
            saved = answer.get(group, {})
            if not isinstance(saved, Mapping):
                skipped.append(f"the {group}")
                saved = {}
            for key, box in boxes.items():
                text = saved_text(saved.get(key, ""), MAX_TEXT_CHARS)
                if text is None:
                    name = key if group == "findings" else dict(rv.LOG_FIELDS)[key].lower()
                    skipped.append(label.format(name))
                box.value = text or ""
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        fields = {box.description: box.value for box in self.findings.values()}
        fields.update({box.description: box.value for box in self.log.values()})
        fields["My reflection"] = self.reflection.value
        return fields

    def refresh(self) -> None:
        self.sort_feedback.show(*self.sorting_feedback())
        self.findings_feedback.show(*self.findings_feedback_for())
        self.log_feedback.show(*self.log_feedback_for())

    # --- feedback ---------------------------------------------------------------------------------
    def chosen(self) -> dict[str, str]:
        return {eid: box.value for eid, box in self.causes.items()}

    def sorting_feedback(self) -> tuple[str, list[Message]]:
        chosen = self.chosen()
        msgs = [m for e in self.events if (m := placement_message(e, chosen[e.event_id]))]
        counts = rv.sorting_summary(chosen, {e.event_id: e.cause for e in self.events})
        total = len(self.events)
        if counts["placed"] == 0:
            return "Sorted: 0 of " + str(total), [
                Message(
                    "info",
                    "Choose a cause for each event. Feedback appears as you go: how far each "
                    "choice is from the reference, in which direction, and why.",
                )
            ]
        if counts["placed"] == total:
            blame = counts["blameworthy_mine"]
            ref = counts["blameworthy_reference"]
            level = "good" if blame <= ref else "warn"
            msgs.append(
                Message(
                    level,
                    f"You placed {blame} of {total} events in the three reasons nearest blame "
                    f"(deviance, inattention, lack of ability); the reference places {ref}. "
                    f"{counts['toward_blame']} of your choices sit nearer the blameworthy end "
                    f"than the reference, {counts['toward_praise']} nearer the praiseworthy end.",
                    "In Edmondson's article, executives estimate that only a few per cent of "
                    "their organisations' failures are truly blameworthy, yet say most are "
                    "treated as if they were.",
                )
            )
        heading = (
            f"Sorted: {counts['placed']} of {total}; as the reference: {counts['match']}; "
            f"one step away: {counts['near']}"
        )
        return heading, msgs

    def findings_feedback_for(self) -> tuple[str, list[Message]]:
        written = [e for e in self.blamed if self.findings[e.event_id].value.strip()]
        if not written:
            return "Findings", [
                Message(
                    "info",
                    "Rewrite each blaming sentence as a system finding: what in the system let "
                    "it happen, and what you will change. Three light checks read each one.",
                )
            ]
        msgs, passed, total = [], 0, 0
        for e in written:
            checks = rv.finding_checks(self.findings[e.event_id].value, rv.CAST_NAMES, e.blaming)
            passed += sum(c.passed for c in checks)
            total += len(checks)
            for c in checks:
                msgs.append(
                    Message(
                        "good" if c.passed else "warn",
                        f"{e.event_id}, {FINDING_TITLES[c.name].lower()}: {c.message}",
                    )
                )
            msgs.append(Message("info", f"{e.event_id}, one way to write it: {e.finding}"))
        left = len(self.blamed) - len(written)
        if left:
            msgs.append(Message("info", f"{left} blaming sentence(s) still to rewrite."))
        elif passed == total:
            msgs.append(
                Message(
                    "good",
                    "Every check passed. The checks look for words, not truth: read each finding "
                    "with every name replaced by a role, and check that it still explains what "
                    "happened.",
                )
            )
        return f"Findings: checks passed {passed} of {total}", msgs

    def design_html(self) -> str:
        design = saved_design_for(self.workbook)
        parts = []
        for key, label in (
            ("hypothesis", "Hypothesis"),
            ("metric", "Metric"),
            ("success", "Success criterion"),
            ("kill", "Kill criterion"),
        ):
            value = design.get(key)
            if isinstance(value, str) and value.strip():
                parts.append(f"<li><strong>{label}:</strong> {escape(value.strip()[:600])}</li>")
        if parts:
            return (
                "<p>From your saved design on the <em>Design the experiment</em> page, what you "
                f"expected:</p><ul>{''.join(parts)}</ul>"
            )
        return (
            "<p>No experiment design is saved from the <em>Design the experiment</em> page, so "
            f"start from the release's own expectation: {escape(DEFAULT_EXPECTATION)}</p>"
        )

    def log_entry(self) -> dict[str, str]:
        return {key: box.value for key, box in self.log.items()}

    def log_feedback_for(self) -> tuple[str, list[Message]]:
        entry = self.log_entry()
        if not any(v.strip() for v in entry.values()):
            return "Learning log", [
                Message(
                    "info",
                    "Write the four parts of the entry. It is saved for the next iteration, and "
                    "the capstone reads it.",
                )
            ]
        return checks_feedback(
            rv.log_checks(entry),
            LOG_TITLES,
            "Every check passed. The checks look for words: check that the change follows from "
            "the why, and that the next iteration can tell whether it worked.",
        )

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = ["**What happened, by cause**", ""]
        causes = answer.get("causes", {}) if isinstance(answer.get("causes"), Mapping) else {}
        for e in self.events:
            value = causes.get(e.event_id)
            mine = rv.reason(value).name if rv.position(value) else "(not sorted)"
            lines.append(f"- {e.event_id}: {mine} (reference: {rv.reason(e.cause).name})")
        findings = answer.get("findings", {})
        findings = findings if isinstance(findings, Mapping) else {}
        lines += ["", "**Findings**", ""]
        for e in self.blamed:
            text = findings.get(e.event_id, "")
            lines.append(f"- {e.event_id}, instead of “{e.blaming}”:")
            if isinstance(text, str) and text.strip():
                lines += ["", quote(text), ""]
            else:
                lines.append("  (not written yet)")
        log = answer.get("log", {})
        log = log if isinstance(log, Mapping) else {}
        lines += ["", "**Learning log**", ""]
        for key, label in rv.LOG_FIELDS:
            text = log.get(key, "")
            if isinstance(text, str) and text.strip():
                lines += [f"{label}:", "", quote(text), ""]
        text = answer.get("reflection", "")
        if isinstance(text, str) and text.strip():
            lines += ["Reflection:", "", quote(text)]
        return "\n".join(lines).rstrip()


# --- the page's static path --------------------------------------------------------------------
def glue_numbers(prefix: str) -> None:
    """Glue the numbers the page's prose uses (prefix them with ``prefix``)."""
    from myst_nb import glue

    events = load_events()
    glue(f"{prefix}_events", len(events), display=False)
    glue(f"{prefix}_blaming", sum(bool(e.blaming) for e in events), display=False)
    glue(f"{prefix}_reasons", len(rv.SPECTRUM), display=False)
    near_blame = sum(rv.position(e.cause) <= 3 for e in events)
    glue(f"{prefix}_blameworthy", near_blame, display=False)
    experiments = sum(rv.position(e.cause) >= 8 for e in events)
    glue(f"{prefix}_experiments", experiments, display=False)
    used = {e.cause for e in events}
    glue(f"{prefix}_reasons_used", sum(r.key in used for r in rv.SPECTRUM), display=False)
    glue(
        f"{prefix}_process_inadequacy",
        sum(e.cause == "process_inadequacy" for e in events),
        display=False,
    )
    # the release's expectation: the experiment's estimate, in the default design's metric
    d = DEFAULT_DESIGN
    t = experiment_estimate()
    glue(f"{prefix}_metric", d["metric"], display=False)
    glue(f"{prefix}_baseline", _pct(d["baseline"]), display=False)
    glue(f"{prefix}_target", _pct(d["baseline"] + d["mde"]), display=False)
    glue(f"{prefix}_mde", _pct(abs(d["mde"])), display=False)
    glue(f"{prefix}_worth", _pct(d["worth_shipping"]), display=False)
    glue(f"{prefix}_estimate", _points(t["estimate"]), display=False)
    glue(f"{prefix}_low", _points(t["low"]), display=False)
    glue(f"{prefix}_high", _points(t["high"]), display=False)
    glue(f"{prefix}_verdict", t["verdict"], display=False)
    glue(f"{prefix}_expected", f"{t['expected']:.1f}", display=False)
    glue(f"{prefix}_week", ORDINALS[REVIEW_WEEK - 1], display=False)
    glue(f"{prefix}_after", _pct(OBSERVED_AFTER), display=False)
    glue(f"{prefix}_after_fall", _pct(d["baseline"] - OBSERVED_AFTER), display=False)


def answer_key_markdown() -> str:
    """Every event with its reference cause and why, then every blaming sentence with a
    reference finding: the page's folded answer key, as Markdown."""
    events = load_events()
    lines = ["**What happened, by cause.**", ""]
    for e in events:
        r = rv.reason(e.cause)
        lines.append(
            f"- **{e.event_id}** ({rv.position(e.cause)}, {r.name}). {e.event} Why: {e.why}"
        )
    lines += ["", "**Blame rewritten as findings.**", ""]
    for e in events:
        if e.blaming:
            lines.append(f"- **{e.event_id}.** Instead of “{e.blaming}”: {e.finding}")
    return "\n".join(lines)
