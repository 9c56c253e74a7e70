"""Making the move, your portfolio: one click assembles the learner's work into a product brief
for the case and their transition plan, as Markdown and as a standalone HTML page.

The assembly and the rendering are :mod:`pivot.portfolio`'s (also usable from a script:
``portfolio.build(workbook)``, ``portfolio.write(folder)``); this module is the page's widget
and its static path:

- :class:`Portfolio` (``move.portfolio``): a name and a date for the cover (both optional: with
  neither, the files carry no name and no date), a note to the reader, whether the people named
  in the 30/60/90-day plan are shown (a copy for the learner) or left out (a copy to share),
  whether the learner's self-ratings on each competency are shown or left out (disclosing them
  is a choice), and the button that writes the files. The feedback lists each section with
  what it is for, names every missing piece with a link to the page that makes it, and says
  what to check before the portfolio leaves the learner's hands.
- :func:`example_workbook`: the workbook of a fictional learner who did every exercise, saved
  through the exercises' own classes, so its answers have exactly the shapes the pages save.
  The page shows the first sections of her portfolio as its worked example; the tests build
  the portfolio from it.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import ipywidgets as W

from ... import portfolio as pf
from ... import workbook as wb
from ...kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape, text_area
from ..common import quote, restore_reflection, saved_text

__all__ = [
    "EXERCISE_ID",
    "Portfolio",
    "example_portfolio",
    "example_preview",
    "example_workbook",
    "glue_numbers",
    "partial_workbook",
]

EXERCISE_ID = "move.portfolio"
PEOPLE = {"show": "shown (a copy for me)", "hide": "left out (a copy to share)"}
RATINGS = {"show": "shown", "hide": "left out"}
MAX_NAME = pf.MAX_NAME_CHARS


def _fresh(workbook: wb.Workbook) -> wb.Workbook:
    """The workbook as it is on disk now: other notebooks may have saved since this one
    opened it. An in-memory workbook is itself."""
    if workbook.path is None:
        return workbook
    try:
        return wb.Workbook(workbook.path)
    except Exception:
        return workbook


def date_problem(text: str) -> str:
    """``""`` for an empty or valid date (YYYY-MM-DD), else the message to show."""
    try:
        pf._date_text(text)
    except ValueError as exc:
        return f"{str(exc)[0].upper()}{str(exc)[1:]}; it is left off the cover until then."
    return ""


class Portfolio(Exercise):
    """Assemble the portfolio: cover, note to the reader, people shown or left out, one button."""

    exercise_id = EXERCISE_ID
    title = "Making the move: your portfolio"

    def __init__(self, workbook: wb.Workbook | None = None, folder=None):
        #: Where the files go (``None``: ``PIVOT_EXPORT_DIR``, else the current folder).
        self.folder = folder
        self.last_result: pf.PortfolioResult | None = None
        self._doc_key: str | None = None
        self._sections: pf.Portfolio | None = None
        super().__init__(workbook)

    def build(self) -> W.Widget:
        style = {"description_width": "11em"}
        layout = W.Layout(width="46em", max_width="100%")
        self.name_box = W.Text(
            description="Name on the cover",
            placeholder="optional: your name as a reader should see it",
            style=style,
            layout=layout,
            continuous_update=False,
        )
        self.date_box = W.Text(
            description="Date on the cover",
            placeholder="optional: YYYY-MM-DD (no date unless you give one)",
            style=style,
            layout=layout,
            continuous_update=False,
        )
        self.date_message = W.HTML()
        self.note = text_area(
            "Note to the reader",
            placeholder="Two or three sentences: who you are, the role you want, and what to "
            "read first.",
            rows=3,
        )
        self.people = W.RadioButtons(
            options=[(label, key) for key, label in PEOPLE.items()],
            value="show",
            description="People in my plan",
            style=style,
        )
        self.ratings = W.RadioButtons(
            options=[(label, key) for key, label in RATINGS.items()],
            value="show",
            description="My competency ratings",
            style=style,
        )
        for w in (self.name_box, self.date_box, self.note, self.people, self.ratings):
            w.observe(self.changed, names="value")
        self.button = W.Button(
            description="Build my portfolio",
            tooltip="Write the Markdown and HTML files of your portfolio, with its figures",
            layout=W.Layout(width="auto"),
        )
        self.button.on_click(lambda _b: self.write_files())
        self.result = W.HTML()
        self.contents = FeedbackPanel("Portfolio contents")
        self.links = W.HTML(layout=W.Layout(width="100%"))
        self.sharing = FeedbackPanel("Before you share it")
        self.reflection = self.reflection_box(
            "Who will you send your portfolio to first, and which section do you want them to "
            "read before any other?"
        )
        return W.VBox(
            [
                W.HTML(
                    "<p>Your portfolio is assembled from what you saved on the course's pages. "
                    "Fill in the cover if you like, choose whether the people in your plan are "
                    "shown, then build it. Build it again whenever you change an answer.</p>"
                ),
                self.name_box,
                self.date_box,
                self.date_message,
                self.note,
                self.people,
                self.ratings,
                self.button,
                self.result,
                self.contents.widget,
                self.links,
                self.sharing.widget,
                self.reflection,
                self.save_control.widget,
            ],
            layout=W.Layout(width="100%"),
        )

    # --- state ---------------------------------------------------------------------------------
    def answer(self) -> dict[str, Any]:
        return {
            "name": self.name_box.value,
            "date": self.date_box.value,
            "note": self.note.value,
            "people": self.people.value,
            "ratings": self.ratings.value,
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved portfolio settings could not be read; starting afresh."
        skipped: list[str] = []
        for key, box, label in (
            ("name", self.name_box, "name"),
            ("date", self.date_box, "date"),
            ("note", self.note, "note to the reader"),
        ):
            text = saved_text(answer.get(key, ""), MAX_TEXT_CHARS)
            if text is None:
                skipped.append(label)
            box.value = text or ""
        people = answer.get("people", "show")
        if people in PEOPLE:
            self.people.value = people
        else:
            skipped.append("people in my plan")
        ratings = answer.get("ratings", "show")  # older saves have no such setting: shown
        if ratings in RATINGS:
            self.ratings.value = ratings
        else:
            skipped.append("my competency ratings")
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {
            "Name on the cover": self.name_box.value,
            "Date on the cover": self.date_box.value,
            "Note to the reader": self.note.value,
            "My reflection": self.reflection.value,
        }

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = []
        for key, label in (("name", "Name on the cover"), ("date", "Date on the cover")):
            text = answer.get(key)
            if isinstance(text, str) and text.strip():
                lines.append(f"{label}: {' '.join(text.split())[:MAX_NAME]}")
        lines.append(f"People in my plan: {PEOPLE.get(answer.get('people'), PEOPLE['show'])}.")
        lines.append(
            f"My competency ratings: {RATINGS.get(answer.get('ratings'), RATINGS['show'])}."
        )
        if self.last_result is not None and self.last_result.ok:
            lines.append(
                f"Portfolio built: {self.last_result.complete} of "
                f"{self.last_result.sections} sections complete."
            )
        for key, label in (("note", "Note to the reader"), ("reflection", "Reflection")):
            text = answer.get(key)
            if isinstance(text, str) and text.strip():
                lines += ["", f"{label}:", "", quote(text)]
        return "\n".join(lines)

    # --- building -------------------------------------------------------------------------------
    def options(self) -> dict[str, Any]:
        """What :func:`pivot.portfolio.build` is given: the cover (an invalid date or an
        over-long note is left off, and the feedback says so) and the people option."""
        date = self.date_box.value if not date_problem(self.date_box.value) else ""
        note = self.note.value if len(self.note.value) <= MAX_TEXT_CHARS else ""
        return {
            "name": self.name_box.value,
            "date": date,
            "note": note,
            "hide_people": self.people.value == "hide",
            "hide_ratings": self.ratings.value == "hide",
        }

    def document(self, workbook: wb.Workbook | None = None) -> pf.Portfolio:
        """The portfolio for the inputs as they are, from ``workbook`` (default: this
        exercise's). The sections are reassembled only when the saved answers change."""
        book = self.workbook if workbook is None else workbook
        opts = self.options()
        try:
            entries = book.entries()
            entries.pop(EXERCISE_ID, None)
            key = json.dumps(entries, sort_keys=True, default=str)
        except Exception:
            key = None
        if key is None or key != self._doc_key or self._sections is None:
            self._sections = pf.build(book)
            self._doc_key = key
        return pf.with_cover(self._sections, **opts)

    def write_files(self) -> pf.PortfolioResult:
        """The button: re-read the workbook, build the portfolio, write the files, say where."""
        doc = self.document(_fresh(self.workbook))
        result = pf.write(self.folder, doc=doc)
        self.last_result = result
        self.result.value = result._repr_html_()
        self.show_feedback(doc, built=result.ok)
        self.save()
        return result

    def refresh(self) -> None:
        problem = date_problem(self.date_box.value)
        self.date_message.value = Message("error", problem).to_html() if problem else ""
        self.show_feedback(self.document())

    def show_feedback(self, doc: pf.Portfolio, built: bool = False) -> None:
        heading, msgs = self.contents_feedback(doc)
        if built:  # the files on disk are this document: say so where the learner looks
            heading = f"Portfolio built. {heading}"
        self.contents.show(heading, msgs)
        self.links.value = missing_html(doc)
        self.sharing.show(*self.sharing_feedback(doc))

    def contents_feedback(self, doc: pf.Portfolio) -> tuple[str, list[Message]]:
        total = len(doc.sections)
        msgs = []
        for s in doc.sections:
            if s.status == "complete":
                msgs.append(Message("good", f"{s.heading}: in the portfolio.", s.reads))
            elif s.status == "partial":
                left = "; ".join(m.what for m in s.missing)
                msgs.append(
                    Message("warn", f"{s.heading}: in part; still missing: {left}.", s.reads)
                )
            else:
                msgs.append(Message("info", f"{s.heading}: not done yet.", s.reads))
        if doc.complete == total:
            msgs.append(
                Message(
                    "good",
                    "Every section is there. Read the HTML file as a stranger would: the brief "
                    "should tell one story, from the problem to what you would change next.",
                )
            )
        else:
            msgs.append(
                Message(
                    "info",
                    "Missing pieces are named in the files, with the page that makes each one "
                    "(linked below). The portfolio builds without them; a reader will notice "
                    "the gaps, so fill them before you share it.",
                )
            )
        return f"Sections complete: {doc.complete} of {total}", msgs

    def sharing_feedback(self, doc: pf.Portfolio) -> tuple[str, list[Message]]:
        msgs = [Message("info", n) for s in doc.sections for n in s.notes]
        people = sum(s.people for s in doc.sections)
        rated = any(
            isinstance(b, pf.Table) and b.self_ratings for s in doc.sections for b in s.blocks
        )
        if rated and not doc.hide_ratings:
            msgs.append(
                Message(
                    "info",
                    "This copy shows your self-rating on each competency. Showing them is your "
                    "choice: they say how you see yourself, and a reader may take a 1 as a "
                    "verdict. Choose 'left out' to keep only the two you will grow and why.",
                )
            )
        if people and not doc.hide_people:
            msgs.append(
                Message(
                    "warn",
                    f"Your 30/60/90-day plan names {people} person(s) to talk to, and this "
                    "copy shows them. Before you share it outside your company, choose "
                    "'left out', or replace the names with roles.",
                )
            )
        if len(self.name_box.value.strip()) > MAX_NAME:
            msgs.append(
                Message(
                    "warn", f"The name is long: the cover shows its first {MAX_NAME} characters."
                )
            )
        if len(self.note.value) > MAX_TEXT_CHARS:
            msgs.append(
                Message(
                    "error",
                    f"The note to the reader is {len(self.note.value):,} characters long, over "
                    f"the limit of {MAX_TEXT_CHARS:,}; it is left out until it is shorter.",
                )
            )
        msgs.append(
            Message(
                "info",
                "Kestrel Works and everyone in it are fictional, so the brief can be shared as "
                "it is. Your own work is not: before the portfolio leaves your hands, replace "
                "the names of real colleagues and customers in your stories, your plan and your "
                "note with their roles, and leave out anything your employer has not made "
                "public.",
            )
        )
        return "Before you share it", msgs


def missing_html(doc: pf.Portfolio) -> str:
    """The missing pieces, each with a link to the page of the course that makes it (links
    relative to this page, ``notebooks/50-move/``)."""
    if not doc.missing:
        return ""
    items = "".join(
        f"<li>{escape(s.heading)}: {escape(m.what)}"
        f"{' (saved, but it could not be read)' if m.damaged else ''}: "
        f'<a href="{escape(m.chapter.link)}">{escape(m.chapter.title)}</a> '
        f"({escape(m.chapter.part)})</li>"
        for s, m in doc.missing
    )
    return (
        '<div class="pivot-portfolio-missing"><p style="margin:.4em 0 .1em">Still to do, on '
        f'these pages:</p><ul style="margin:.1em 0 .4em">{items}</ul></div>'
    )


# --- the fictional complete learner (static path and tests) ---------------------------------------
#: Noor, from the Start-here page's worked example: a firmware engineer offered a product role.
EXAMPLE_NAME = "Noor"
#: Her first self-assessment, as on the Start-here page (one list per shift).
NOOR_FIRST = [[2, 1, 2], [3, 2, 4], [2, 2, 2], [4, 3, 4]]
#: Her retake at the end of the course, as on the page *Where you stand now*.
NOOR_NOW = [[4, 3, 3], [3, 3, 4], [3, 2, 3], [4, 2, 3]]
EXAMPLE_NOTE = (
    "I have written firmware for industrial sensors for seven years and am moving into product "
    "management. Part 1 shows how I work a product problem from evidence to a decision; Part 2 "
    "is my plan for the move. Start with the problem statement and the decision."
)


def _drive(book: wb.Workbook, cls, answer: Mapping[str, Any]) -> str | None:
    """Save ``answer`` through the exercise's own class: restore it into the widget, then let
    the exercise save its answer, summary and feedback as a learner's click would."""
    ex = cls(book)
    ex._restoring = True
    try:
        problem = ex.restore(answer)
    finally:
        ex._restoring = False
    ex.refresh()
    ex.save()
    return problem


def _ratings(rows: list[list[int]]) -> dict[str, int]:
    from ... import data

    items = data.load("self_assessment")
    groups = [list(g["item_id"]) for _, g in items.groupby("shift", sort=True)]
    return {i: v for g, r in zip(groups, rows, strict=True) for i, v in zip(g, r, strict=True)}


def _brief_answers() -> list[tuple[str, str, dict[str, Any]]]:
    """(module, class, answer) for every exercise of the product brief, in course order."""
    from ..shift2.answer_first import update_facts
    from ..shift2.stakeholder_map import reference_placements

    f = update_facts()
    pitch = (
        "Dana, I recommend we build the schedule-change fix (B01, then B02) before the live "
        f"map, and I need your backing for that order at Thursday's planning meeting. In our "
        f"interviews, {f['accounts']} of the {f['interviewed']} accounts raised missed schedule "
        f"changes, both churned accounts among them, and B01 scores {f['B01_score']} by RICE "
        f"against {f['B03_score']} for the map. Keeping those accounts is our quickest growth "
        "this year."
    )
    placements = {
        r.stakeholder_id: {
            "power": int(r.power),
            "interest": int(r.interest),
            "strategy": r.strategy,
        }
        for r in reference_placements().itertuples(index=False)
    }
    placements["S04"] = {**placements["S04"], "power": 3}  # one judgment call of her own
    return [
        (
            "pivot.exercises.self_assessment",
            "SelfAssessment",
            {
                "ratings": _ratings(NOOR_FIRST),
                "note": "To stop jumping to designs before I know whose problem it is.",
            },
        ),
        (
            "pivot.exercises.problem_statement",
            "ProblemStatement",
            {
                "who": "Dispatchers and field technicians at residential HVAC firms",
                "needs": "to know about a change to the day's schedule before the technician "
                "drives to the job",
                "because": "a missed change costs a wasted drive of up to an hour while the next "
                "customer waits",
                "evidence": "I01, I22, I34",
                "reflection": "Operators at our sensor customers need to trust an alarm before "
                "they act on it, because a false one costs a shift a site visit.",
            },
        ),
        (
            "pivot.exercises.opportunity_tree",
            "OpportunityTree",
            {
                "outcome": "Reduce trips to moved or cancelled jobs from 12 to 4 a month per "
                "account",
                "opportunities": [
                    {
                        "name": "Technicians learn of schedule changes too late",
                        "solutions": "Fix the app still showing a moved job\nNotify the "
                        "technician of each change\nText message on every change",
                    },
                    {
                        "name": "Dispatchers cannot see who is already booked",
                        "solutions": "Warn before booking a technician twice",
                    },
                    {
                        "name": "Notes taken without signal are lost",
                        "solutions": "Keep notes and photos on the phone until signal returns",
                    },
                    {"name": "", "solutions": ""},
                ],
                "target": 1,
                "reflection": "",
            },
        ),
        (
            "pivot.exercises.shift2.stakeholder_map",
            "StakeholderMap",
            {"placements": placements, "reflection": ""},
        ),
        (
            "pivot.exercises.shift2.answer_first",
            "Pitch",
            {"stakeholder": "S01", "pitch": pitch, "reflection": ""},
        ),
        (
            "pivot.exercises.prioritise_backlog",
            "PrioritiseBacklog",
            {
                "picks": ["B01", "B03", "B02", "B09", "B05"],
                "method": "rice",
                "item": "",
                "overrides": {},
                "reflection": "I would defend B05 for the accounts without signal in their "
                "basements, with the support tickets as evidence.",
            },
        ),
        (
            "pivot.exercises.prioritise_backlog",
            "CapacityPlanner",
            {"method": "rice", "capacity": "12", "reflection": ""},
        ),
        (
            "pivot.exercises.shift4.experiment",
            "ExperimentDesign",
            {
                "hypothesis": "If technicians get a notification when a job on today's schedule "
                "changes, fewer of them will miss a moved job.",
                "metric": "share of technicians who miss at least one moved job in a week",
                "success": "Ship if the whole 95 % interval for the fall is above zero and the "
                "fall is at least 4 percentage points, the smallest improvement worth shipping.",
                "kill": "Stop if even the top of the 95 % interval for the fall is below 5 "
                "percentage points, the fall the test was sized for.",
                "unit": "U2",
                "baseline": 0.30,
                "mde": -0.05,
                "alpha": 0.05,
                "power": 0.8,
                "reflection": "",
            },
        ),
        (
            "pivot.exercises.shift4.decide",
            "ReadAndDecide",
            {"criteria": {"success": 5.0, "kill": 4.0}, "locked": {"success": 5.0, "kill": 4.0}},
        ),
        (
            "pivot.exercises.shift4.blameless_review",
            "BlamelessReview",
            {
                "log": {
                    "what_we_expected": "With B01 and B02 shipped, trips to moved jobs would "
                    "fall by at least half within four weeks, and dispatchers would stop phoning "
                    "technicians to confirm each move.",
                    "what_happened": "Four weeks on, the accounts customer success follows "
                    "still report trips to moved jobs, and dispatchers still phone about every "
                    "change (support tickets and two calls with dispatchers).",
                    "why": "Dispatchers were never told: the announcement went only to the "
                    "changelog. The notice arrived late on some older phones (delivery logs), "
                    "and we tracked sent but not opened, so we cannot tell who read it.",
                    "what_we_change_next": "Next iteration we tell dispatchers in the app on "
                    "release day, track opened as well as sent, and measure their calls about "
                    "moved jobs before and after, with success and kill criteria set first.",
                },
                "reflection": "",
            },
        ),
    ]


def _decision_for(book: wb.Workbook) -> str:
    """What the locked criteria say for the example's result (the learner follows them)."""
    from ...frameworks import decisions as dc
    from ..shift4.decide import design_for

    design, _notes = design_for(book)
    sim = dc.simulate_result(design["baseline"], design["mde"], design["n_per_group"])
    crit = dc.Criteria.make(0.05, 0.04)
    return dc.rule_decision(sim.result, crit, lower_is_better=design["mde"] < 0)


#: The transition plan (pages 10 to 40 of this part): answers in each page's own shape where
#: the page's module saves it, and the shape of its reader's contract otherwise.
STORIES = {
    "1": {
        "situation": "Our sensor customers kept asking for a faster sampling rate, and the "
        "roadmap had it as the next big feature.",
        "task": "I was asked to scope the firmware work, and I wanted to know why they needed it "
        "first.",
        "action": "I called five plant engineers and asked about the last time a reading let "
        "them down. Four described alarms that arrived too late, not readings that were too "
        "coarse.",
        "result": "We shipped earlier alarm delivery in six weeks instead of a twelve-week "
        "sampling rewrite, and late-alarm complaints fell from 9 to 2 a month.",
    },
    "2": {
        "situation": "Sales and support disagreed about the next release in every planning "
        "meeting.",
        "task": "I had to get one order both could live with before the quarter started.",
        "action": "I met each lead separately, wrote down what each needed and by when, and "
        "brought one page with the trade-off and a single ask to the planning meeting.",
        "result": "The order was agreed in one 30-minute meeting, and neither team reopened it "
        "during the quarter.",
    },
    "3": {
        "situation": "Our team estimated a diagnostics screen at three months; I knew a "
        "shortcut in the firmware.",
        "task": "As the new product owner, I had to decide what we needed, not how to build it.",
        "action": "I wrote the outcome and the acceptance criteria, left the design to the two "
        "engineers, and asked them for options with their costs.",
        "result": "They found a design that took five weeks, and it was better than my shortcut.",
    },
    "4": {
        "situation": "A pilot of remote recalibration failed at two of three customer sites.",
        "task": "I had to tell the customers and the team what we would do next.",
        "action": "I ran a blameless review: we found the sites' networks dropped long "
        "sessions, not that anyone had made a mistake.",
        "result": "We split the update into chunks; the second pilot worked at 11 of 12 sites, "
        "and the review format is now our team's default.",
    },
}
#: Her competency ratings and picks, as on the page *The gaps that matter*.
NOOR_COMPETENCIES = {
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
GAPS = {
    "ratings": NOOR_COMPETENCIES,
    "grow": ["voice_of_the_customer", "business_outcome_ownership"],
    "why": "Voice of the Customer, because I have never talked to the plant engineers who use "
    "our sensors, and my first roadmap will be built on guesses if I do not. Business Outcome "
    "Ownership, because I cannot yet say which number the sensors should move for the "
    "business. I will know both have grown when I can quote three customers and name that "
    "number.",
}
ROUTE = {
    "route": "in_company",
    "route_title": "A smaller product role in your company",
    "why": "My company has offered me the product owner role for the sensor platform, so I can "
    "practise with customers and a team I know before I apply elsewhere.",
}
PLAN = {
    "start": "2027-04-05",
    "items": [
        {
            "phase": 30,
            "action": "Interview eight plant engineers at four customer sites about the last "
            "time a sensor let their plant down",
            "date": "2027-04-30",
            "measure": "eight interview notes, one problem statement",
            "person": "the field service manager",
            "kind": "learning",
        },
        {
            "phase": 30,
            "action": "Meet each engineering and sales lead one to one and write down what each "
            "needs this year",
            "date": "2027-05-03",
            "measure": "a stakeholder map both leads have read",
            "person": "the head of engineering",
            "kind": "relationship",
        },
        {
            "phase": 60,
            "action": "Ship the alarm-delay fix the plant engineers asked for",
            "date": "2027-05-28",
            "measure": "late-alarm complaints down from 9 to 4 a month",
            "person": "the firmware team lead",
            "kind": "early_win",
        },
        {
            "phase": 90,
            "action": "Present a ranked roadmap for the next two quarters, with the outcome it "
            "should move for the business",
            "date": "2027-07-02",
            "measure": "roadmap agreed at the quarterly planning meeting",
            "person": "my manager",
            "kind": "relationship",
        },
    ],
}


def _move_answers() -> list[tuple[str, str, str, dict[str, Any], dict[str, Any]]]:
    """(module, class, exercise id, answer in the page's shape, answer in the shape of the
    page's reader) for the pages of this part, in course order."""
    first = {str(k + 1): round(sum(r) / len(r), 2) for k, r in enumerate(NOOR_FIRST)}
    now = {str(k + 1): round(sum(r) / len(r), 2) for k, r in enumerate(NOOR_NOW)}
    reflection = (
        "Shift 1 rose most: I now talk to people in the field every week and can name the last "
        "call. Shift 4 fell, and I think my standard rose rather than my habits fell: my past "
        "prototypes had no criterion that could have stopped a plan."
    )
    return [
        (
            "pivot.exercises.move.where_you_stand",
            "WhereYouStand",
            "move.where_you_stand",
            {"ratings": _ratings(NOOR_NOW), "reflection": reflection},
            {"first": first, "now": now, "note": reflection},
        ),
        (
            "pivot.exercises.move.gaps",
            "GapsThatMatter",
            "move.gaps",
            {**GAPS, "reflection": ""},
            dict(GAPS),
        ),
        (
            "pivot.exercises.move.route",
            "RouteIn",
            "move.route_in",
            {"route": ROUTE["route"], "why": ROUTE["why"]},
            dict(ROUTE),
        ),
        (
            "pivot.exercises.move.route",
            "TransitionPlan",
            "move.plan",
            {**PLAN, "reflection": ""},
            dict(PLAN),
        ),
        (
            "pivot.exercises.move.stories",
            "InterviewStories",
            "move.stories",
            {
                "stories": {k: {"shift": int(k), **v} for k, v in STORIES.items()},
                "reflection": "",
            },
            dict(STORIES),
        ),
    ]


def _class(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name)
    except Exception:
        return None


def example_workbook(*, transition: bool = True) -> wb.Workbook:
    """The in-memory workbook of Noor, a fictional learner who did every exercise.

    Each answer is saved through its exercise's class (restored into the widget and saved, as
    a click would), so it has exactly the shape the page saves; a page of this part whose
    module is not there yet gets an answer in the shape of its reader's contract. With
    ``transition=False`` only the product brief is done (the learner has not started the last
    part). Deterministic: the same workbook every time.
    """
    book = wb.Workbook(None)
    for module, name, answer in _brief_answers():
        cls = _class(module, name)
        if name == "ReadAndDecide":
            answer = {**answer, "decision": _decision_for(book)}
        if cls is not None:
            _drive(book, cls, answer)
    if transition:
        for module, name, exercise_id, page_shape, contract in _move_answers():
            cls = _class(module, name)
            if cls is not None:
                _drive(book, cls, page_shape)
            else:
                book.save(exercise_id, contract, title=exercise_id, markdown="")
    return book


#: Elif, from the Start-here page's self-check: ratings that give that page's scores for her
#: (3.00, 2.33, 2.33, 4.00).
ELIF_FIRST = [[3, 3, 3], [2, 2, 3], [3, 2, 2], [4, 4, 4]]


def partial_workbook() -> wb.Workbook:
    """Elif's workbook for the faded example: the Start-here self-assessment, Shift 1 and the
    ranking done, nothing else yet."""
    book = wb.Workbook(None)
    keep = {"ProblemStatement", "OpportunityTree", "PrioritiseBacklog"}
    for module, name, answer in _brief_answers():
        cls = _class(module, name)
        if name == "SelfAssessment" and cls is not None:
            _drive(book, cls, {"ratings": _ratings(ELIF_FIRST), "note": ""})
        elif name in keep and cls is not None:
            _drive(book, cls, answer)
    return book


@lru_cache(maxsize=1)
def example_portfolio() -> pf.Portfolio:
    """Noor's portfolio (her name on the cover, no date, people shown)."""
    return pf.build(example_workbook(), name=EXAMPLE_NAME, note=EXAMPLE_NOTE)


def example_preview():
    """The worked example on the page: the first sections of Noor's portfolio, as the HTML
    file shows them (without its page styles)."""
    from IPython.display import HTML

    return HTML(pf.render_preview(example_portfolio(), ("problem", "tree", "plan")))


def partial_preview():
    """The faded example: what Elif's portfolio says is missing, as its files list it."""
    from IPython.display import Markdown

    doc = pf.build(partial_workbook())
    lines = [f"- {s.number}. {m.sentence()}" for s, m in doc.missing]
    return Markdown("\n".join(lines))


def glue_numbers(prefix: str) -> None:
    """Glue the numbers the page's prose uses."""
    from myst_nb import glue

    doc = example_portfolio()
    partial = pf.build(partial_workbook())
    glue(f"{prefix}_sections", len(doc.sections), display=False)
    glue(f"{prefix}_brief", len(doc.parts[0].sections), display=False)
    glue(f"{prefix}_plan", len(doc.parts[1].sections), display=False)
    glue(f"{prefix}_complete", doc.complete, display=False)
    glue(f"{prefix}_figures", len(doc.figures), display=False)
    glue(f"{prefix}_partial_complete", partial.complete, display=False)
    glue(f"{prefix}_partial_missing", len(partial.missing), display=False)
    glue(f"{prefix}_top", pf.TOP_RANKED, display=False)
    from ... import data
    from ...frameworks import prioritization as p

    ranked = p.score_backlog(data.load("backlog"), "rice")
    ranks = dict(zip(ranked["item_id"], ranked["rank"], strict=True))
    glue(f"{prefix}_b03_rank", int(ranks["B03"]), display=False)
    glue(f"{prefix}_backlog", len(ranked), display=False)
    capacity = next(a for _m, n, a in _brief_answers() if n == "CapacityPlanner")["capacity"]
    glue(f"{prefix}_capacity", capacity, display=False)
