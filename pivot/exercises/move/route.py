"""Making the move, page 30: your route in, and your first 90 days.

Two exercises:

1. :class:`RouteIn` (``move.route_in``): five questions about the learner's situation; the
   article's three routes into product management ranked by the course's transparent rule
   (:func:`pivot.frameworks.transition.rank_routes`, every point with its reason); the learner
   picks one and says why. Read back with :func:`saved_route`.
2. :class:`TransitionPlan` (``move.plan``): a 30/60/90-day plan from a start date the learner
   types (nothing is ever filled in from today's date). Each item has a phase, an action, a
   date, a measure, a person and a kind; the light word checks of
   :func:`pivot.frameworks.transition.item_checks` and the balance checks of
   :func:`~pivot.frameworks.transition.plan_checks` explain every verdict. Items are added and
   removed (an "Undo remove" puts the last removed item back), up to
   :data:`~pivot.frameworks.transition.MAX_ITEMS`. Read back with :func:`saved_plan`.

Data: ``data/routes.csv`` (:data:`ROUTES_SCHEMA`, what each route is and shows) and
``data/plan_example.csv`` (:data:`EXAMPLE_SCHEMA`, the page's worked example: the first 90 days
of the case's engineer, newly Crewboard's product manager, from :data:`EXAMPLE_START`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as W

from ... import data
from ... import workbook as wb
from ...frameworks import transition as tr
from ...kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape, text_area
from ..common import checks_feedback, quote, restore_reflection, saved_text

__all__ = [
    "EXAMPLE_SCHEMA",
    "EXAMPLE_START",
    "PLAN_ID",
    "ROUTES_SCHEMA",
    "ROUTE_ID",
    "ExampleItem",
    "RouteIn",
    "RouteInfo",
    "TransitionPlan",
    "answer_key_markdown",
    "early_win_backlog_item",
    "example_markdown",
    "glue_numbers",
    "load_example",
    "load_routes",
    "routes_markdown",
    "rules_markdown",
    "saved_plan",
    "saved_route",
]

ROUTE_ID = "move.route_in"
PLAN_ID = "move.plan"
#: Day 1 of the worked example's plan (fixed, so the page never depends on today's date).
EXAMPLE_START = dt.date(2026, 2, 2)
#: The self-check's situation for the route rule (an engineer outside the case).
SELF_CHECK_SITUATION = {
    "pms": "yes",
    "side_task": "no",
    "idea": "yes",
    "hours": "2to5",
    "risk": "some",
}
#: The best case for the route at work: product managers there, a product task possible now,
#: and every other answer as favourable to a project as it can be. The rule still ranks the
#: route at work first (the page says so; a test holds it).
BEST_CASE_IN_COMPANY = {
    "pms": "yes",
    "side_task": "yes",
    "idea": "yes",
    "hours": "over5",
    "risk": "high",
}
#: The worked example's early win: a backlog item of Shift 3 (data/backlog.csv).
EARLY_WIN_BACKLOG_ITEM = "B01"
WHY_MIN_WORDS = 8

ROUTES_SCHEMA = data.Schema(
    "routes",
    (
        data.Column("route_id", choices=tuple(r for r, _ in tr.ROUTES), unique=True),
        data.Column("title", max_chars=120, unique=True),
        data.Column("article", max_chars=400),
        data.Column("shows", max_chars=400),
        data.Column("first_step", max_chars=400),
        data.Column("watch_out", max_chars=400),
    ),
    "Making the move: the article's three routes into product management, with what each "
    "shows a hiring manager, a first step and what to watch out for.",
    min_rows=3,
    max_rows=3,
)
data.register(ROUTES_SCHEMA)

EXAMPLE_SCHEMA = data.Schema(
    "plan_example",
    (
        data.Column("item_id", pattern=r"E\d\d", unique=True),
        data.Column("phase", "int", minimum=30, maximum=90),
        data.Column("day", "int", minimum=1, maximum=90),
        data.Column("kind", choices=tr.KINDS),
        data.Column("action", max_chars=200),
        data.Column("measure", max_chars=200),
        data.Column("person", max_chars=80),
        data.Column("hidden", required=False, pattern=r"(measure|person)(;(measure|person))?"),
        data.Column("why", max_chars=400),
    ),
    "Making the move: the worked example's 30/60/90-day plan, the first 90 days of the case's "
    "engineer as Crewboard's product manager, with the fields the faded example leaves to the "
    "learner and why each item is there.",
    min_rows=6,
    max_rows=tr.MAX_ITEMS,
)
data.register(EXAMPLE_SCHEMA)


@dataclass(frozen=True)
class RouteInfo:
    """One route of ``data/routes.csv``."""

    route_id: str
    title: str
    article: str
    shows: str
    first_step: str
    watch_out: str


@dataclass(frozen=True)
class ExampleItem:
    """One item of the worked example's plan."""

    item_id: str
    phase: int
    day: int
    kind: str
    action: str
    measure: str
    person: str
    hidden: tuple[str, ...]
    why: str

    @property
    def date(self) -> dt.date:
        return EXAMPLE_START + dt.timedelta(days=self.day - 1)

    def as_item(self) -> dict[str, Any]:
        """The item as the plan's checks read it."""
        return {
            "phase": self.phase,
            "action": self.action,
            "date": self.date.isoformat(),
            "measure": self.measure,
            "person": self.person,
            "kind": self.kind,
        }


def _records(name: str, schema: data.Schema) -> list[dict[str, Any]]:
    frame = data.read_table(data.data_dir() / f"{name}.csv", schema)
    return [
        {k: data.plain_value(v) for k, v in row.items()}
        for row in frame.astype(object).to_dict("records")
    ]


def load_routes() -> list[RouteInfo]:
    """``data/routes.csv``, validated by :data:`ROUTES_SCHEMA`: one row per route of
    :data:`pivot.frameworks.transition.ROUTES`, in the article's order, with the same titles
    (a :class:`pivot.data.DataError` naming the line and the column otherwise)."""
    rows = _records("routes", ROUTES_SCHEMA)
    problems = []
    for line, (row, (rid, title)) in enumerate(zip(rows, tr.ROUTES, strict=False), start=2):
        if row["route_id"] != rid:
            problems.append(
                data.Problem(
                    "routes.csv",
                    f"{rid!r} (the article's order)",
                    line,
                    "route_id",
                    str(row["route_id"]),
                )
            )
        elif row["title"] != title:
            problems.append(
                data.Problem("routes.csv", repr(title), line, "title", str(row["title"]))
            )
    if problems:
        raise data.DataError(problems)
    return [RouteInfo(**{k: str(v) for k, v in row.items()}) for row in rows]


def load_example() -> list[ExampleItem]:
    """``data/plan_example.csv``, validated by :data:`EXAMPLE_SCHEMA`; each item's phase must
    be 30, 60 or 90 and its day inside that phase (a :class:`pivot.data.DataError` otherwise)."""
    rows = _records("plan_example", EXAMPLE_SCHEMA)
    items, problems = [], []
    for line, row in enumerate(rows, start=2):
        phase, day = int(row["phase"]), int(row["day"])
        if phase not in tr.PHASES:
            problems.append(
                data.Problem("plan_example.csv", "30, 60 or 90", line, "phase", str(phase))
            )
        elif tr.phase_for_day(day) != phase:
            problems.append(
                data.Problem(
                    "plan_example.csv",
                    f"a day in {tr.PHASE_LABELS[phase]}",
                    line,
                    "day",
                    str(day),
                )
            )
        hidden = row.get("hidden")
        items.append(
            ExampleItem(
                item_id=str(row["item_id"]),
                phase=phase,
                day=day,
                kind=str(row["kind"]),
                action=str(row["action"]),
                measure=str(row["measure"]),
                person=str(row["person"]),
                hidden=tuple(str(hidden).split(";")) if hidden else (),
                why=str(row["why"]),
            )
        )
    if problems:
        raise data.DataError(problems)
    return items


# --- readers for later pages (never raise) ------------------------------------------------------
def _book(workbook: wb.Workbook | None) -> wb.Workbook:
    return workbook if workbook is not None else wb.current()


def saved_route(workbook: wb.Workbook | None = None) -> dict[str, str]:
    """The learner's chosen route: ``{"route": route id, "route_title": str, "why": str}``, or
    ``{}`` when no valid route is saved. Never raises (a damaged entry counts as missing)."""
    try:
        answer = _book(workbook).get(ROUTE_ID)
        if not isinstance(answer, Mapping):
            return {}
        route = answer.get("route")
        title = tr.route_title(route)
        if title is None:
            return {}
        why = saved_text(answer.get("why"), MAX_TEXT_CHARS)
        return {"route": str(route), "route_title": title, "why": (why or "").strip()}
    except Exception:
        return {}


def _saved_item(raw: object) -> dict[str, Any] | None:
    if not isinstance(raw, Mapping):
        return None
    phase, kind = raw.get("phase"), raw.get("kind")
    if isinstance(phase, bool) or phase not in tr.PHASES or kind not in tr.KINDS:
        return None
    texts = {}
    for key in ("action", "measure", "person", "date"):
        value = saved_text(raw.get(key, ""), MAX_TEXT_CHARS)
        texts[key] = (value or "").strip()
    if not texts["action"]:
        return None
    when, _ = tr.parse_date(texts["date"])
    return {
        "phase": int(phase),
        "action": texts["action"],
        "date": when.isoformat() if when else "",
        "measure": texts["measure"],
        "person": texts["person"],
        "kind": str(kind),
    }


def saved_plan(workbook: wb.Workbook | None = None) -> dict[str, Any]:
    """The learner's 30/60/90-day plan: ``{"start": "YYYY-MM-DD" | "", "items": [{"phase":
    30 | 60 | 90, "action", "date": "YYYY-MM-DD" | "", "measure", "person", "kind":
    "learning" | "relationship" | "early_win"}]}``, or ``{}`` when nothing usable is saved.

    Only items with an action, a phase and a kind are returned; a date that is not a valid
    YYYY-MM-DD becomes ``""``. Never raises (a damaged entry or item counts as missing)."""
    try:
        answer = _book(workbook).get(PLAN_ID)
        if not isinstance(answer, Mapping):
            return {}
        start, _ = tr.parse_date(saved_text(answer.get("start"), 100))
        raw_items = answer.get("items")
        raw_items = raw_items if isinstance(raw_items, list) else []
        items = [i for raw in raw_items[: tr.MAX_ITEMS] if (i := _saved_item(raw)) is not None]
        if not items and start is None:
            return {}
        return {"start": start.isoformat() if start else "", "items": items}
    except Exception:
        return {}


def _saved_gaps(workbook: wb.Workbook) -> list[str]:
    """The titles of the competencies chosen on *The gaps that matter* page, or ``[]`` (never
    raises: that page may not exist yet, or its answer may be unreadable)."""
    try:
        from . import gaps

        found = gaps.saved_gaps(workbook)
        grow = found.get("grow", []) if isinstance(found, Mapping) else []
        grow = grow if isinstance(grow, list) else []
        titles = gaps.competency_titles() if hasattr(gaps, "competency_titles") else {}
        if not titles:
            from ...frameworks import competencies

            titles = competencies.competency_titles()
        return [str(titles.get(g, g))[:120] for g in grow if isinstance(g, str)][:2]
    except Exception:
        return []


# --- exercise 1: your route in ------------------------------------------------------------------
SHORT_LABELS = {
    "pms": "Product managers",
    "side_task": "Product task",
    "idea": "Idea or community",
    "hours": "Hours a week",
    "risk": "Risk",
}


def _points(n: int | None) -> str:
    if n is None:
        return "closed"
    return f"{n:+d}"


class RouteIn(Exercise):
    """Answer five questions, see the routes ranked by a transparent rule, pick one, say why."""

    exercise_id = ROUTE_ID
    title = "Making the move: your route in"

    def build(self) -> W.Widget:
        self.routes = {r.route_id: r for r in load_routes()}
        self.questions: dict[str, W.RadioButtons] = {}
        rows: list[W.Widget] = []
        for q in tr.QUESTIONS:
            box = W.RadioButtons(
                options=[(label, value) for value, label in q.options],
                value=None,
                description=SHORT_LABELS[q.key],
                tooltip=q.text,
                style={"description_width": "10em"},
                layout=W.Layout(width="auto", max_width="100%"),
            )
            box.observe(self.changed, names="value")
            self.questions[q.key] = box
            rows += [W.HTML(f'<p style="margin:.6em 0 .1em">{escape(q.text)}</p>'), box]
        self.ranking = FeedbackPanel("Routes ranked by the rule")
        self.route = W.Dropdown(
            options=[("— choose a route —", ""), *[(t, rid) for rid, t in tr.ROUTES]],
            value="",
            description="My route",
            style={"description_width": "10em"},
            layout=W.Layout(width="40em", max_width="100%"),
        )
        self.route.observe(self.changed, names="value")
        self.why = text_area(
            "Why this route",
            placeholder="What in your situation makes this route fit, and what is your first step?",
            rows=3,
        )
        self.why.observe(self.changed, names="value")
        self.choice = FeedbackPanel("Your choice")
        return W.VBox(
            [
                W.HTML(
                    "<p>Answer for your situation today. The routes are ranked by a rule whose "
                    "every point is shown with its reason; the choice is yours. Everything is "
                    "saved to your workbook as you go.</p>"
                ),
                *rows,
                self.ranking.widget,
                W.HTML("<h4>Your choice</h4>"),
                self.route,
                self.why,
                self.choice.widget,
                self.save_control.widget,
            ],
            layout=W.Layout(width="100%"),
        )

    # --- Exercise interface -----------------------------------------------------------------
    def situation(self) -> dict[str, str]:
        return tr.clean_answers({k: box.value for k, box in self.questions.items()})

    def answer(self) -> dict[str, Any]:
        return {
            "answers": {k: box.value for k, box in self.questions.items()},
            "route": self.route.value,
            "why": self.why.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved route could not be read; starting afresh."
        skipped = []
        saved = answer.get("answers", {})
        if not isinstance(saved, Mapping):
            skipped.append("your answers to the questions")
            saved = {}
        for q in tr.QUESTIONS:
            value = saved.get(q.key)
            if value is None:
                continue
            if value in dict(q.options):
                self.questions[q.key].value = value
            else:
                skipped.append(f"the answer to '{SHORT_LABELS[q.key]}'")
        route = answer.get("route", "")
        if route not in ("", None):
            if tr.route_title(route) is None:
                skipped.append("the route")
            else:
                self.route.value = route
        why = saved_text(answer.get("why", ""), MAX_TEXT_CHARS)
        if why is None:
            skipped.append("why")
        self.why.value = why or ""
        if skipped:
            return "Some saved answers could not be used: " + ", ".join(skipped) + "."
        return None

    def text_fields(self) -> dict[str, str]:
        return {"Why this route": self.why.value}

    def refresh(self) -> None:
        skipped = tr.ignored_answers(self.situation())
        for key, box in self.questions.items():
            box.disabled = key in skipped
        self.ranking.show(*self.ranking_feedback())
        self.choice.show(*self.choice_feedback())

    # --- feedback ---------------------------------------------------------------------------
    def ranking_feedback(self) -> tuple[str, list[Message]]:
        given = self.situation()
        if not given:
            return "Routes: answer the questions", [
                Message(
                    "info",
                    f"Answer the {len(tr.QUESTIONS)} questions above. The ranking appears as "
                    "you go, with every point and its reason.",
                )
            ]
        ranked = tr.rank_routes(given)
        msgs = [
            Message("info", f"{SHORT_LABELS[key]}: does not apply.", why)
            for key, why in tr.ignored_answers(given).items()
        ]
        for n, s in enumerate(ranked, 1):
            status = "" if s.open else ", closed"
            points = f"{s.points} point{'s' if abs(s.points) != 1 else ''}"
            reasons = " ".join(f"({_points(p)}) {r}" for p, r in s.reasons)
            msgs.append(
                Message(
                    "good" if n == 1 and s.open else "info",
                    f"{n}. {s.title}: {points}{status}.",
                    reasons or "None of your answers so far bears on this route.",
                )
            )
        first, second = ranked[0], ranked[1]
        if first.open and second.open and first.points - second.points <= 1:
            msgs.append(
                Message(
                    "info",
                    f"The first two are within one point: the rule cannot tell "
                    f"'{first.title}' and '{second.title}' apart, so let your why decide.",
                )
            )
        left = tr.unanswered(given)
        if left:
            msgs.append(Message("info", f"Not answered yet ({len(left)}): " + " ".join(left)))
        heading = "Ranked by the rule: " + " · ".join(
            f"{n}. {s.title} ({s.points if s.open else 'closed'})" for n, s in enumerate(ranked, 1)
        )
        return heading, msgs

    def choice_feedback(self) -> tuple[str, list[Message]]:
        route = self.route.value
        if not tr.route_title(route):
            return "Your choice", [
                Message("info", "Choose the route you will take, and say why in a few sentences.")
            ]
        msgs = []
        given = self.situation()
        if given:
            ranked = tr.rank_routes(given)
            place = next(i for i, s in enumerate(ranked, 1) if s.route == route)
            mine, first = ranked[place - 1], ranked[0]
            if not mine.open:
                why_closed = next(r for p, r in mine.reasons if p is None)
                msgs.append(
                    Message(
                        "warn",
                        f"The rule closes this route for your answers: {why_closed} If your "
                        "situation is different from that, say how in your why.",
                    )
                )
            elif place == 1:
                msgs.append(Message("good", "Your choice is the rule's first."))
            else:
                msgs.append(
                    Message(
                        "info",
                        f"You chose the rule's number {place} ({mine.points} points, against "
                        f"{first.points} for '{first.title}'). That is your call: the rule sees "
                        "five answers and you see the rest, so say in your why what tips it.",
                    )
                )
        else:
            msgs.append(
                Message(
                    "info",
                    "You have not answered the questions: the ranking above would show how "
                    "your situation bears on each route.",
                )
            )
        words = len(self.why.value.split())
        if words == 0:
            msgs.append(Message("warn", "Say why: what in your situation makes this route fit?"))
        elif words < WHY_MIN_WORDS:
            msgs.append(
                Message(
                    "info",
                    f"Your why has {words} word{'s' if words != 1 else ''}. Say what in your "
                    "situation makes this route fit, and what your first step is (this is a "
                    "length check only).",
                )
            )
        else:
            msgs.append(
                Message(
                    "good",
                    "Your reason is saved. Nothing here can judge it: read it again in a month, "
                    "when you know how the first step went.",
                )
            )
        step = self.routes.get(route)
        if step is not None:
            msgs.append(Message("info", f"A first step: {step.first_step}", step.watch_out))
        return f"Your choice: {tr.route_title(route)}", msgs

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        given = tr.clean_answers(answer.get("answers", {}))
        skipped = tr.ignored_answers(given)
        lines = ["**My situation**", ""]
        for q in tr.QUESTIONS:
            label = dict(q.options).get(given.get(q.key, ""), "(not answered)")
            if q.key in skipped:
                label = "(does not apply: I do not work at a company now)"
            lines.append(f"- {q.text} {label}")
        if given:
            lines += ["", "**Routes ranked by the rule**", ""]
            for n, s in enumerate(tr.rank_routes(given), 1):
                lines.append(f"{n}. {s.title}: {s.points if s.open else 'closed'}")
        title = tr.route_title(answer.get("route"))
        lines += ["", f"**My route:** {title or '(not chosen yet)'}"]
        why = answer.get("why", "")
        if isinstance(why, str) and why.strip():
            lines += ["", quote(why)]
        return "\n".join(lines)


# --- exercise 2: the 30/60/90-day plan ----------------------------------------------------------
PHASE_OPTIONS = [(f"{tr.PHASE_LABELS[p]}", p) for p in tr.PHASES]
KIND_OPTIONS = [("— kind —", ""), *[(tr.KIND_LABELS[k], k) for k in tr.KINDS]]
FIELDS = ("action", "date", "measure", "person")
FIELD_LABELS = {"action": "action", "date": "date", "measure": "measure", "person": "talk to"}
PLACEHOLDERS = {
    "action": "A verb and an object: 'Interview three dispatchers about moved jobs'",
    "date": "YYYY-MM-DD",
    "measure": "A number or a result someone can see: 'notes filed', 'plan signed off'",
    "person": "One person: a name, or a role such as 'my manager'",
}
CHECK_TITLES = {
    "concrete": "concrete",
    "dated": "dated",
    "measure": "measure",
    "person": "person",
    "kind": "kind",
}
BALANCE_TITLES = {
    "learning": "Learning",
    "relationship": "Relationships",
    "early_win": "An early win",
    "early_win_60": "An early win in the first 60 days",
    "plan_agreed": "The plan agreed with your manager",
    "block_reviews": "A review at the end of each 30-day block",
}


class _PlanRow:
    """The widgets of one plan item."""

    def __init__(self, on_change: Callable[..., None], on_remove: Callable[[_PlanRow], None]):
        wide = {"description_width": "9em"}
        self.heading = W.HTML()
        self.phase = W.Dropdown(
            options=PHASE_OPTIONS,
            value=30,
            style=wide,
            layout=W.Layout(width="22em", max_width="100%"),
        )
        self.kind = W.Dropdown(
            options=KIND_OPTIONS,
            value="",
            style=wide,
            layout=W.Layout(width="22em", max_width="100%"),
        )
        self.texts: dict[str, W.Text] = {}
        for key in FIELDS:
            self.texts[key] = W.Text(
                placeholder=PLACEHOLDERS[key],
                continuous_update=False,
                style=wide,
                layout=W.Layout(width="22em" if key == "date" else "46em", max_width="100%"),
            )
        self.remove = W.Button(description="Remove", icon="")
        self.remove.on_click(lambda _b: on_remove(self))
        self._on_change = on_change
        self.box = W.VBox(
            [
                self.heading,
                W.HBox([self.phase, self.kind], layout=W.Layout(flex_flow="row wrap")),
                self.texts["action"],
                self.texts["date"],
                self.texts["measure"],
                self.texts["person"],
                self.remove,
            ],
            layout=W.Layout(border_left="3px solid #DDDDDD", padding="0 0 0 .6em", margin=".4em 0"),
        )

    def connect(self) -> None:
        """Report the learner's changes from now on (not the values put back on creation)."""
        for w in (self.phase, self.kind, *self.texts.values()):
            w.observe(self._on_change, names="value")

    def number(self, n: int) -> None:
        self.n = n
        self.heading.value = f'<p style="margin:.4em 0 .1em"><strong>Item {n}</strong></p>'
        self.phase.description = f"Item {n} phase"
        self.kind.description = f"Item {n} kind"
        for key, box in self.texts.items():
            box.description = f"Item {n} {FIELD_LABELS[key]}"
        self.remove.description = f"Remove item {n}"
        self.remove.tooltip = f"Remove item {n} (Undo remove puts it back)"

    def values(self) -> dict[str, Any]:
        found: dict[str, Any] = {"phase": self.phase.value, "kind": self.kind.value}
        found.update({key: box.value for key, box in self.texts.items()})
        return found

    def set_values(self, item: Mapping[str, Any]) -> list[str]:
        """Put a saved item back; return the names of the parts that could not be used."""
        bad = []
        phase = item.get("phase", 30)
        if not isinstance(phase, bool) and phase in tr.PHASES:
            self.phase.value = int(phase)
        else:
            bad.append("phase")
        kind = item.get("kind", "")
        if kind in ("", None) or kind in tr.KINDS:
            self.kind.value = kind or ""
        else:
            bad.append("kind")
        for key, box in self.texts.items():
            text = saved_text(item.get(key, ""), MAX_TEXT_CHARS)
            if text is None:
                bad.append(FIELD_LABELS[key])
            box.value = text or ""
        return bad


class TransitionPlan(Exercise):
    """Build a 30/60/90-day plan from a start date you type, with checks on every item."""

    exercise_id = PLAN_ID
    title = "Making the move: your first 90 days"

    def build(self) -> W.Widget:
        self.rows: list[_PlanRow] = []
        self._removed: tuple[int, dict[str, Any]] | None = None
        self.context = W.HTML(self.context_html(), layout=W.Layout(width="100%"))
        self.start = W.Text(
            description="Start date",
            placeholder="YYYY-MM-DD",
            continuous_update=False,
            style={"description_width": "9em"},
            layout=W.Layout(width="22em", max_width="100%"),
        )
        self.start.observe(self.changed, names="value")
        self.start_feedback = FeedbackPanel("Start date")
        self.items_box = W.VBox(layout=W.Layout(width="100%"))
        self.add = W.Button(description="Add an item", tooltip="Add an empty item to the plan")
        self.add.on_click(lambda _b: self.add_item())
        self.undo = W.Button(
            description="Undo remove", disabled=True, tooltip="Put back the item you removed last"
        )
        self.undo.on_click(lambda _b: self.undo_remove())
        self.count = W.HTML()
        self.items_feedback = FeedbackPanel("Item checks")
        self.balance = FeedbackPanel("Plan balance")
        self.reflection = self.reflection_box(
            "Which item would you drop first if your first month went badly, and which would "
            "you keep whatever happens? Why?"
        )
        for phase in tr.PHASES:
            self._append_row({"phase": phase})
        self._lay_out()
        return W.VBox(
            [
                W.HTML(
                    "<p>Type the date your 90 days start, then build the plan item by item. "
                    "Each item is checked as you type; nothing you type is lost when you remove "
                    "an item or a check fails.</p>"
                ),
                self.context,
                self.start,
                self.start_feedback.widget,
                self.items_box,
                W.HBox([self.add, self.undo, self.count], layout=W.Layout(align_items="center")),
                self.items_feedback.widget,
                self.balance.widget,
                self.reflection,
                self.save_control.widget,
            ],
            layout=W.Layout(width="100%"),
        )

    # --- rows ---------------------------------------------------------------------------------
    def _append_row(self, item: Mapping[str, Any], at: int | None = None) -> list[str]:
        row = _PlanRow(self.changed, self.remove_item)
        bad = row.set_values(item) if item else []
        row.connect()
        self.rows.insert(len(self.rows) if at is None else at, row)
        return bad

    def _lay_out(self) -> None:
        for n, row in enumerate(self.rows, 1):
            row.number(n)
        self.items_box.children = tuple(row.box for row in self.rows)
        full = len(self.rows) >= tr.MAX_ITEMS
        self.add.disabled = full
        self.undo.disabled = self._removed is None or full
        n = len(self.rows)
        limit = " (the most a plan holds: remove one to add another)" if full else ""
        self.count.value = (
            f'<span style="margin-left:.6em">{n} item{"s" if n != 1 else ""} of at most '
            f"{tr.MAX_ITEMS}{escape(limit)}</span>"
        )

    def add_item(self) -> None:
        if len(self.rows) >= tr.MAX_ITEMS:
            self._lay_out()
            return
        phase = self.rows[-1].phase.value if self.rows else 30
        self._append_row({"phase": phase})
        self._lay_out()
        self.changed()

    def remove_item(self, row: _PlanRow) -> None:
        if row not in self.rows:
            return
        at = self.rows.index(row)
        self._removed = (at, row.values())
        self.rows.pop(at)
        self._lay_out()
        self.changed()

    def undo_remove(self) -> None:
        if self._removed is None or len(self.rows) >= tr.MAX_ITEMS:
            return
        at, values = self._removed
        self._removed = None
        self._append_row(values, at=min(at, len(self.rows)))
        self._lay_out()
        self.changed()

    # --- Exercise interface ---------------------------------------------------------------------
    def items(self) -> list[dict[str, Any]]:
        return [row.values() for row in self.rows]

    def start_date(self) -> dt.date | None:
        when, _ = tr.parse_date(self.start.value)
        return when

    def answer(self) -> dict[str, Any]:
        return {
            "start": self.start.value,
            "items": self.items(),
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved plan could not be read; starting afresh."
        skipped: list[str] = []
        start = saved_text(answer.get("start", ""), MAX_TEXT_CHARS)
        if start is None:
            skipped.append("the start date")
        self.start.value = start or ""
        items = answer.get("items", [])
        if not isinstance(items, list):
            skipped.append("the items")
            items = []
        self.rows = []
        self._removed = None
        for n, item in enumerate(items, 1):
            if len(self.rows) >= tr.MAX_ITEMS:
                skipped.append(
                    f"{len(items) - tr.MAX_ITEMS} item(s) over the limit of {tr.MAX_ITEMS}"
                )
                break
            if not isinstance(item, Mapping):
                skipped.append(f"item {n}")
                continue
            bad = self._append_row(item)
            if bad:
                skipped.append(f"the {', '.join(bad)} of item {len(self.rows)}")
        self._lay_out()
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        fields = {"Start date": self.start.value}
        for row in self.rows:
            fields.update({box.description: box.value for box in row.texts.values()})
        fields["My reflection"] = self.reflection.value
        return fields

    def refresh(self) -> None:
        self.start_feedback.show(*self.start_feedback_for())
        self.items_feedback.show(*self.items_feedback_for())
        self.balance.show(*self.balance_feedback_for())

    # --- feedback ---------------------------------------------------------------------------------
    def start_feedback_for(self) -> tuple[str, list[Message]]:
        when, problem = tr.parse_date(self.start.value)
        if problem:
            return "Start date: not read", [Message("warn", problem[0].upper() + problem[1:])]
        if when is None:
            return "Start date", [
                Message(
                    "info",
                    "Type the day your 90 days start, as YYYY-MM-DD. It is never filled in for "
                    "you: every window below is counted from the date you type.",
                )
            ]
        windows = "; ".join(
            f"{tr.PHASE_LABELS[p]}: {a.isoformat()} to {b.isoformat()}"
            for p in tr.PHASES
            for a, b in [tr.phase_window(when, p)]
        )
        return f"Day 1 is {when.isoformat()}", [Message("good", windows + ".")]

    def items_feedback_for(self) -> tuple[str, list[Message]]:
        start = self.start_date()
        msgs, used, passing = [], 0, 0
        for n, item in enumerate(self.items(), 1):
            if tr.is_blank_item(item):
                msgs.append(Message("info", f"Item {n} is empty: fill it in, or remove it."))
                continue
            used += 1
            failing = [c for c in tr.item_checks(item, start) if not c.passed]
            if not failing:
                passing += 1
                msgs.append(
                    Message(
                        "good",
                        f"Item {n}: all five checks pass (concrete, dated, measure, person, kind).",
                    )
                )
                continue
            for c in failing:
                msgs.append(Message("warn", f"Item {n}, {CHECK_TITLES[c.name]}: {c.message}"))
        if passing:
            msgs.append(
                Message(
                    "info",
                    "These are word checks: they find a verb, a date, a number, a name. Read "
                    "each item as the person you named would, and ask whether they could tell "
                    "on the date whether it was done.",
                )
            )
        if not self.rows:
            msgs.append(Message("info", "The plan has no items: add one with 'Add an item'."))
        heading = (
            f"Item checks: {passing} of {used} items pass every check" if used else "Item checks"
        )
        return heading, msgs

    def balance_feedback_for(self) -> tuple[str, list[Message]]:
        items = self.items()
        if all(tr.is_blank_item(i) for i in items):
            return "Plan balance", [
                Message(
                    "info",
                    "Once you have items, the plan is checked across its items: at least one "
                    "learning item, one relationship item and one early win, an early win in "
                    "the first 60 days, the plan agreed with your manager in days 1–30, and a "
                    "review at the end of each 30-day block.",
                )
            ]
        return checks_feedback(
            tr.plan_checks(items, self.start_date()),
            BALANCE_TITLES,
            "The plan is balanced, agreed and reviewed. These checks count kinds, dates and "
            "words: ask the person you report to whether your early win is one they care about.",
        )

    def context_html(self) -> str:
        parts = []
        route = saved_route(self.workbook)
        if route:
            parts.append(
                f"Your route, from the exercise above: <strong>{escape(route['route_title'])}"
                "</strong>. Plan the first 90 days of that route."
            )
        else:
            parts.append(
                "No route is chosen yet (the exercise above): the plan works for any route, and "
                "for the first 90 days of a product role."
            )
        grow = _saved_gaps(self.workbook)
        if grow:
            names = " and ".join(f"<strong>{escape(g)}</strong>" for g in grow)
            parts.append(
                f"On <em>The gaps that matter</em> you chose to grow {names}: give each a "
                "learning item."
            )
        else:
            parts.append(
                "No competencies to grow are saved from <em>The gaps that matter</em> "
                "(20-gaps-that-matter.ipynb, the previous page); if you choose them there, "
                "give each a learning item here."
            )
        return "".join(f'<p style="margin:.3em 0">{p}</p>' for p in parts)

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        start = answer.get("start", "")
        when, _ = tr.parse_date(start if isinstance(start, str) else "")
        lines = [f"**Start date:** {when.isoformat() if when else '(not set)'}", ""]
        items = answer.get("items", [])
        items = items if isinstance(items, list) else []
        for phase in tr.PHASES:
            mine = [i for i in items if isinstance(i, Mapping) and i.get("phase") == phase]
            mine = [i for i in mine if not tr.is_blank_item(i)]
            if not mine:
                continue
            lines += [f"**{tr.PHASE_LABELS[phase].capitalize()}**", ""]
            for i in mine:

                def field(key: str, item: Mapping[str, Any] = i) -> str:
                    value = item.get(key, "")
                    return " ".join(value.split()) if isinstance(value, str) else ""

                kind = tr.KIND_LABELS.get(str(i.get("kind")), "no kind")
                lines.append(
                    f"- {field('date') or 'no date'} · {kind}: {field('action') or '(no action)'}"
                    f" (measure: {field('measure') or '—'}; talk to: {field('person') or '—'})"
                )
            lines.append("")
        text = answer.get("reflection", "")
        if isinstance(text, str) and text.strip():
            lines += ["Reflection:", "", quote(text)]
        return "\n".join(lines).rstrip()


# --- the page's static path -------------------------------------------------------------------
def glue_numbers(prefix: str) -> None:
    """Glue the numbers and dates the page's prose uses (prefix them with ``prefix``)."""
    from myst_nb import glue

    glue(f"{prefix}_routes", len(tr.ROUTES), display=False)
    glue(f"{prefix}_questions", len(tr.QUESTIONS), display=False)
    glue(f"{prefix}_max_items", tr.MAX_ITEMS, display=False)
    glue(f"{prefix}_stars", len(tr.STARS), display=False)
    example = load_example()
    glue(f"{prefix}_example_items", len(example), display=False)
    glue(f"{prefix}_start", EXAMPLE_START.isoformat(), display=False)
    glue(f"{prefix}_e01_date", example[0].date.isoformat(), display=False)
    glue(f"{prefix}_e01_day", example[0].day, display=False)
    glue(f"{prefix}_max_per_phase", tr.MAX_ITEMS // len(tr.PHASES), display=False)
    glue(f"{prefix}_review_days", tr.REVIEW_DAYS, display=False)
    for phase in tr.PHASES:
        first, last = tr.phase_window(EXAMPLE_START, phase)
        glue(f"{prefix}_p{phase}_first", first.isoformat(), display=False)
        glue(f"{prefix}_p{phase}_last", last.isoformat(), display=False)
        glue(f"{prefix}_n{phase}", sum(e.phase == phase for e in example), display=False)
    win = next(e for e in example if e.kind == "early_win")
    glue(f"{prefix}_win_day", win.day, display=False)
    agreed = next(e for e in example if tr.agrees_plan(e.as_item(), EXAMPLE_START))
    glue(f"{prefix}_agree_day", agreed.day, display=False)
    reviews = {tr.reviews_block(e.as_item(), EXAMPLE_START): e.day for e in example}
    for block in tr.PHASES:
        glue(f"{prefix}_review{block}_day", reviews[block], display=False)
    b01 = early_win_backlog_item()
    glue(f"{prefix}_b01_effort", f"{b01['effort']:g}", display=False)
    glue(f"{prefix}_b01_confidence", f"{b01['confidence']:g}", display=False)
    best = tr.rank_routes(BEST_CASE_IN_COMPANY)
    glue(f"{prefix}_best_first", best[0].points, display=False)
    glue(f"{prefix}_best_second", best[1].points, display=False)
    ranked = tr.rank_routes(SELF_CHECK_SITUATION)
    glue(f"{prefix}_sc_first", ranked[0].title, display=False)
    for s in ranked:
        glue(f"{prefix}_sc_{s.route}", s.points, display=False)


def early_win_backlog_item() -> dict[str, Any]:
    """The worked example's early win as ``data/backlog.csv`` holds it (``item_id``, ``title``,
    ``pain_point``, ``effort``, ``confidence``, ``requested_by``)."""
    frame = data.load("backlog")
    row = frame[frame["item_id"] == EARLY_WIN_BACKLOG_ITEM].iloc[0]
    keys = ("item_id", "title", "pain_point", "effort", "confidence", "requested_by")
    found = {k: data.plain_value(row[k]) for k in keys}
    return {k: v.item() if hasattr(v, "item") else v for k, v in found.items()}


def routes_markdown() -> str:
    """The routes as a Markdown table (the page's reading; a test holds it to the data)."""
    lines = ["| Route | What it shows | A first step |", "| --- | --- | --- |"]
    for r in load_routes():
        lines.append(f"| {r.title} | {r.shows} | {r.first_step} |")
    return "\n".join(lines)


def rules_markdown() -> str:
    """The route rule as a Markdown table, one row per answer that moves a route."""
    question = {q.key: q for q in tr.QUESTIONS}
    titles = dict(tr.ROUTES)
    lines = ["| Question | Answer | Route | Points | Why |", "| --- | --- | --- | ---: | --- |"]
    for rule in tr.RULES:
        q = question[rule.question]
        answer = dict(q.options)[rule.answer]
        points = "closed" if rule.closes else f"{rule.points:+d}"
        lines.append(
            f"| {SHORT_LABELS[q.key]} | {answer} | {titles[rule.route]} | {points} | "
            f"{rule.reason} |"
        )
    return "\n".join(lines)


def _example_rows(items: list[ExampleItem], show_hidden: bool) -> list[str]:
    lines = [
        "| Date (day) | Kind | Action | Measure | Talk to |",
        "| --- | --- | --- | --- | --- |",
    ]
    for e in items:
        measure = e.measure if show_hidden or "measure" not in e.hidden else "*your turn*"
        person = e.person if show_hidden or "person" not in e.hidden else "*your turn*"
        lines.append(
            f"| {e.date.isoformat()} (day {e.day}) | {tr.KIND_LABELS[e.kind]} | {e.action} | "
            f"{measure} | {person} |"
        )
    return lines


def example_markdown(phase: int) -> str:
    """One phase of the worked example as the page shows it: hidden fields read *your turn*."""
    items = [e for e in load_example() if e.phase == phase]
    return "\n".join(_example_rows(items, show_hidden=False))


def answer_key_markdown() -> str:
    """The worked example in full, every item with why it is there, then the route rule worked
    for the self-check's situation: the page's folded answer key, as Markdown."""
    items = load_example()
    lines = [
        f"**The worked example in full** (day 1 is {EXAMPLE_START.isoformat()}).",
        "",
        *_example_rows(items, show_hidden=True),
        "",
        "Why each item is there:",
        "",
    ]
    for e in items:
        lines.append(f"- **{e.item_id}** ({tr.KIND_LABELS[e.kind]}, day {e.day}). {e.why}")
    ranked = tr.rank_routes(SELF_CHECK_SITUATION)
    lines += ["", "**The self-check's situation, by the rule.**", ""]
    for n, s in enumerate(ranked, 1):
        reasons = " ".join(f"({_points(p)}) {r}" for p, r in s.reasons)
        lines.append(f"{n}. {s.title}: {s.points} points. {reasons}")
    return "\n".join(lines)
