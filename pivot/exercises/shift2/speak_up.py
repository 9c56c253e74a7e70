"""Shift 2, speak up: the prioritisation meeting as a branching scenario.

The learner, Crewboard's new product manager, says the schedule-change fix should come before the
live map; Marcus Bell, VP of sales, brushes it aside in front of the room. At each decision point
the learner picks a response (retreat, attack, assert with evidence, ask a question, follow up in
writing, disagree and commit) and sees its consequence and why. The scenario is data
(``data/speak_up_scenario.csv``, checked by :mod:`pivot.frameworks.scenario`); its numbers are
placeholders such as ``{B01_score}``, filled from the backlog's RICE scores, so the story always
agrees with ``data/backlog.csv``. At an ending the learner's path is set against the strongest
paths, and the learner writes what they would say in their own words, with light checks.

Sources: Rozenfeld's article (Kriti Yadav's story), Edmondson (1999) on psychological safety,
Bezos's 2016 letter to shareholders on disagree and commit.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import ipywidgets as W
import pandas as pd

from ... import data
from ...frameworks import prioritization
from ...frameworks import scenario as sc
from ...frameworks.discovery import Check
from ...kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message, escape, text_area
from ..common import checks_feedback, html_table, quote, restore_reflection, saved_text

__all__ = [
    "SCHEMA",
    "SpeakUp",
    "answer_key_markdown",
    "case_numbers",
    "glue_numbers",
    "load_scenario",
    "own_words_checks",
]

_NODE = r"[NE]\d{2}"
SCHEMA = data.Schema(
    "speak_up_scenario",
    (
        data.Column("node_id", pattern=_NODE, description="The node the row belongs to."),
        data.Column("choice_id", required=False, pattern=r"N\d{2}[a-z]", unique=True),
        data.Column("title", required=False, max_chars=80),
        data.Column("text", max_chars=1_000),
        data.Column("kind", required=False, choices=tuple(sc.KINDS)),
        data.Column("consequence", required=False, max_chars=600),
        data.Column("why", required=False, max_chars=800),
        data.Column("next", required=False, pattern=_NODE),
        data.Column("score", kind="int", required=False, minimum=-2, maximum=2),
        data.Column("outcome", required=False, max_chars=600),
    ),
    "Shift 2: the speak-up scenario, one row per node (a decision point or an ending) and one "
    "row per choice, with each choice's kind, consequence, why, next node and score.",
    min_rows=2,
)
data.register(SCHEMA)
#: The columns whose text may hold ``{placeholders}`` filled from the backlog.
TEXT_FIELDS = ("title", "text", "consequence", "why", "outcome")
#: Backlog items whose numbers the scenario quotes.
QUOTED_ITEMS = ("B01", "B02", "B03", "B11")


def _number_text(x: float) -> str:
    """1620 → '1,620'; 7.5 → '7.5'."""
    x = float(x)
    return f"{int(x):,}" if x.is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=1)
def _case_numbers_cached() -> tuple[tuple[str, str], ...]:
    ranked = prioritization.score_backlog(data.load("backlog"), "rice").set_index("item_id")
    values = {}
    for item in QUOTED_ITEMS:
        row = ranked.loc[item]
        for name in ("reach", "effort", "score", "rank"):
            values[f"{item}_{name}"] = _number_text(row[name])
    values["items"] = str(len(ranked))
    return tuple(values.items())


def case_numbers() -> dict[str, str]:
    """The numbers the scenario quotes, by placeholder (``B01_score`` → ``'1,620'``), computed
    from ``data/backlog.csv`` with :func:`pivot.frameworks.prioritization.score_backlog`."""
    return dict(_case_numbers_cached())


def fill(rows: list[dict[str, Any]], values: Mapping[str, str]) -> list[dict[str, Any]]:
    """``rows`` with every ``{placeholder}`` in their text replaced from ``values``.

    An unknown placeholder or a stray brace raises :class:`~pivot.frameworks.scenario.ScenarioError`
    naming the node, the choice and the field."""
    problems = []
    out = []
    for row in rows:
        new = dict(row)
        for name in TEXT_FIELDS:
            text = row.get(name)
            if not isinstance(text, str) or ("{" not in text and "}" not in text):
                continue
            where = (row.get("node_id") or None, row.get("choice_id") or None, name)
            try:
                names = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
            except ValueError as err:
                problems.append(sc.ScenarioProblem(f"a stray brace ({err})", *where))
                continue
            unknown = [f for f in names if f not in values]
            if unknown:
                problems.append(
                    sc.ScenarioProblem(
                        f"unknown placeholder {{{unknown[0]}}}; known: "
                        + ", ".join(sorted(values)),
                        *where,
                    )
                )
                continue
            new[name] = text.format_map(dict(values))
        out.append(new)
    if problems:
        raise sc.ScenarioError(problems)
    return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: data.plain_value(v) for k, v in row.items()}
        for row in frame.astype(object).to_dict("records")
    ]


def load_rows(values: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The scenario's rows, validated by :data:`SCHEMA`, placeholders filled."""
    frame = data.read_table(data.data_dir() / "speak_up_scenario.csv", SCHEMA)
    return fill(_records(frame), case_numbers() if values is None else values)


def load_scenario() -> sc.Scenario:
    """The speak-up scenario, checked (every node reachable, every path ends)."""
    return sc.from_rows(load_rows())


def kind_label(kind: str) -> str:
    return sc.KINDS.get(kind, kind)


def path_label(scenario: sc.Scenario, choices) -> str:
    """'N01c (assert with evidence) → N04a (assert with evidence) → …'."""
    return " → ".join(f"{cid} ({kind_label(scenario.choice(cid)[1].kind)})" for cid in choices)


# --- the learner's own words: light checks ----------------------------------------------------
MAX_SPOKEN_WORDS = 80
_POINT = re.compile(r"\b(schedul\w*|B0?1|B0?2|moved|fix\w*|missed|missing)\b", re.I)
_ORDER = re.compile(
    r"\b(first|before|ahead|priorit\w*|next|order|instead|rather than|comes? ahead)\b", re.I
)
_EVIDENCE = re.compile(r"\d|\b(RICE|reach|tickets?|complaints?|data|evidence)\b", re.I)
#: Phrases that make it about the person, with why each reads as an attack.
_ATTACKS = (
    (
        r"\byou(?:'re| are) (?:wrong|mistaken|not listening)\b",
        "tells the other person they are wrong",
    ),
    (
        r"\b(?:you|sales|marcus)\b[^.?!]{0,30}\b(?:always|never)\b",
        "an 'always' or 'never' about a person",
    ),
    (
        r"\b(?:stupid|ridiculous|nonsense|absurd|idiotic|clueless|pointless|silly)\b",
        "an insult to the idea or the person",
    ),
    (r"\bwish ?list\b|\bshiny\b", "belittles the request"),
    (r"\bobviously\b|\bas I (?:already )?said\b", "talks down to the room"),
    (r"\byour fault\b|\bblame\b|\bon sales\b", "assigns blame"),
    (r"!{2,}", "shouting punctuation"),
)
_ACRONYMS = {"RICE", "WSJF", "CEO", "VP", "PM", "API", "SMS", "OK", "B01", "B02", "B03", "B11"}


def _shouting(text: str) -> list[str]:
    return [w for w in re.findall(r"\b[A-Z]{4,}\b", text) if w not in _ACRONYMS]


def own_words_checks(text: object) -> list[Check]:
    """Light, honest checks of what the learner would say in the meeting.

    A word list cannot judge tone or truth: each message says what was looked for. ``text`` of
    any type is accepted (anything but a string counts as empty)."""
    text = text if isinstance(text, str) else ""
    sample = text[:MAX_TEXT_CHARS]
    words = len(sample.split())
    checks = []
    point, order = _POINT.search(sample), _ORDER.search(sample)
    if point and order:
        msg = (
            f"you name the fix ('{point.group(0)}') and where it goes ('{order.group(0)}'). "
            "We only looked for those words; read it back to check that the point is clear."
        )
    else:
        missing = [
            *(
                ["the schedule-change fix (schedule, B01, B02, moved jobs, fix)"]
                if not point
                else []
            ),
            *(["where it should go (first, before, ahead, priority, next)"] if not order else []),
        ]
        msg = (
            "say what you are asking for: we did not find "
            + " or ".join(missing)
            + ". A listener who cannot repeat your point cannot weigh it."
        )
    checks.append(Check("point", bool(point and order), msg))
    evidence = _EVIDENCE.search(sample)
    asks = "?" in sample
    if evidence or asks:
        found = ("a number or an evidence word" if evidence else "") + (
            (" and " if evidence else "") + "a question" if asks else ""
        )
        msg = f"you give {found}, so the room can discuss the problem, not the person."
    else:
        msg = (
            "add one piece of evidence (a number from the case, such as RICE reach) or a "
            "question (a '?'), so that your view can be checked and discussed."
        )
    checks.append(Check("evidence", bool(evidence or asks), msg))
    hits = [why for pattern, why in _ATTACKS if re.search(pattern, sample, re.I)]
    hits += ["capitals read as shouting"] if _shouting(sample) else []
    if hits:
        msg = (
            "this may land as an attack (" + "; ".join(hits) + "). Keep it about the customers "
            "and the numbers, so Marcus can weigh the point without defending himself."
        )
    else:
        msg = (
            "no phrase from our list of attacks (blame, insults, 'always'/'never' about a "
            "person, shouting). A list cannot hear tone: read it aloud as Marcus would hear it."
        )
    checks.append(Check("tone", not hits, msg))
    if words <= MAX_SPOKEN_WORDS:
        msg = f"{words} words: short enough to say in the meeting, in about half a minute."
    else:
        msg = (
            f"{words:,} words; in a meeting, aim for at most {MAX_SPOKEN_WORDS} (about half a "
            "minute): say the point and one reason, and offer the rest in writing."
        )
    checks.append(Check("length", words <= MAX_SPOKEN_WORDS, msg))
    return checks


CHECK_TITLES = {
    "point": "States the point",
    "evidence": "Evidence or a question",
    "tone": "Not an attack",
    "length": "Short enough",
}


def _level(score: int) -> str:
    return "good" if score >= 1 else "info" if score == 0 else "warn" if score == -1 else "error"


# --- the widget ---------------------------------------------------------------------------------
class SpeakUp(Exercise):
    """Play the prioritisation meeting: choose, see what happens and why, compare your path."""

    exercise_id = "shift2.speak_up"
    title = "Shift 2: speak up"

    def build(self) -> W.Widget:
        self.scenario = load_scenario()
        self.best = sc.stronger_paths(self.scenario)
        self.path: list[str] = []
        self._shown_node: str | None = None
        self.progress = W.HTML()
        self.history = W.HTML()
        self.situation = W.HTML(layout=W.Layout(width="100%"))
        self.response = W.RadioButtons(
            options=[],
            value=None,
            description="Your response",
            style={"description_width": "9em"},
            layout=W.Layout(width="100%", max_width="100%"),
        )
        self.choose_button = W.Button(
            description="Choose", tooltip="Take the selected response", button_style="primary"
        )
        self.back_button = W.Button(description="Step back", tooltip="Undo your last choice")
        self.restart_button = W.Button(
            description="Start again", tooltip="Go back to the start of the meeting"
        )
        self.choose_button.on_click(lambda _b: self.choose())
        self.back_button.on_click(lambda _b: self.step_back())
        self.restart_button.on_click(lambda _b: self.start_again())
        self.feedback = FeedbackPanel("Speak up feedback")
        self.comparison = W.HTML(layout=W.Layout(width="100%"))
        self.own_words = text_area(
            "What I would say",
            placeholder="In your own words: what would you say when Marcus brushes your point "
            "aside? (State the point, give evidence or ask a question.)",
            rows=4,
        )
        self.own_words.observe(self.changed, names="value")
        self.words_feedback = FeedbackPanel("Own words checks")
        self.reflection = self.reflection_box(
            "When did you last back down from a point you believed in? What would you do now?"
        )
        return W.VBox(
            [
                W.HTML(
                    "<p>You are Crewboard's product manager, in the meeting that sets next "
                    "quarter's priorities. At each step, read the situation, select a response "
                    "and press <em>Choose</em>. You can step back or start again at any time; "
                    "your path is saved.</p>"
                ),
                self.progress,
                self.history,
                self.situation,
                self.response,
                W.HBox(
                    [self.choose_button, self.back_button, self.restart_button],
                    layout=W.Layout(flex_flow="row wrap"),
                ),
                self.feedback.widget,
                self.comparison,
                self.own_words,
                self.words_feedback.widget,
                self.reflection,
                self.save_control.widget,
            ]
        )

    # --- the learner's actions --------------------------------------------------------------
    def current(self) -> sc.Node:
        return self.scenario.node(sc.replay(self.scenario, self.path).node)

    def choose(self, choice_id: str | None = None) -> None:
        """Take the selected response (or ``choice_id``) at the current node."""
        cid = self.response.value if choice_id is None else choice_id
        node = self.current()
        if cid not in {c.choice_id for c in node.choices}:
            self.feedback.show(
                f"Decision point {len(self.path) + 1}: {node.title}",
                [Message("info", "Select one of the responses first, then press Choose.")],
            )
            return
        self.path.append(cid)
        self.changed()

    def step_back(self) -> None:
        if self.path:
            self.path.pop()
            self.changed()

    def start_again(self) -> None:
        if self.path:
            self.path.clear()
            self.changed()

    # --- Exercise interface ------------------------------------------------------------------
    def answer(self) -> dict[str, Any]:
        return {
            "path": list(self.path),
            "own_words": self.own_words.value,
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved path could not be read; starting afresh."
        played = sc.replay(self.scenario, answer.get("path", []))
        self.path = list(played.choices)
        skipped: list[str] = []
        words = saved_text(answer.get("own_words", ""), MAX_TEXT_CHARS)
        if words is None:
            skipped.append("what you would say")
        self.own_words.value = words or ""
        problem = restore_reflection(self.reflection, answer, skipped)
        notes = [m for m in (played.message, problem) if m]
        return " ".join(notes) or None

    def text_fields(self) -> dict[str, str]:
        return {"What I would say": self.own_words.value, "My reflection": self.reflection.value}

    def refresh(self) -> None:
        played = sc.replay(self.scenario, self.path)
        self.path = list(played.choices)
        node = self.scenario.node(played.node)
        self._show_history()
        self._show_node(node)
        self.feedback.show(*self.feedback_for(node))
        self.comparison.value = self.comparison_html() if node.is_end else ""
        self.back_button.disabled = not self.path
        self.restart_button.disabled = not self.path
        self.choose_button.disabled = node.is_end
        self.words_feedback.show(*self.words_feedback_for(self.own_words.value))

    def _show_node(self, node: sc.Node) -> None:
        step = len(self.path) + 1
        if node.is_end:
            self.progress.value = (
                f"<p><strong>The end, after {len(self.path)} decision(s).</strong></p>"
            )
            self.situation.value = (
                f'<div role="region" aria-label="Ending"><h4 style="margin:.3em 0">Ending: '
                f"{escape(node.title)}</h4><p>{escape(node.text)}</p></div>"
            )
        else:
            self.progress.value = f"<p><strong>Decision point {step}</strong></p>"
            items = "".join(
                f"<li><strong>{escape(c.choice_id[-1])})</strong> {escape(c.text)}</li>"
                for c in node.choices
            )
            self.situation.value = (
                f'<div role="region" aria-label="Situation"><h4 style="margin:.3em 0">'
                f"{escape(node.title)}</h4><p>{escape(node.text)}</p>"
                f'<p>Your possible responses:</p><ul style="list-style:none;padding-left:.5em">'
                f"{items}</ul></div>"
            )
        if node.node_id != self._shown_node:
            self._shown_node = node.node_id
            self.response.options = [
                (f"{c.choice_id[-1]}) {_first_words(c.text)}", c.choice_id) for c in node.choices
            ]
            self.response.value = None
        self.response.disabled = node.is_end

    def _show_history(self) -> None:
        if not self.path:
            self.history.value = ""
            return
        items = []
        for cid in self.path:
            node, c = self.scenario.choice(cid)
            items.append(
                f"<li><strong>{escape(node.title)}:</strong> you chose to "
                f"{escape(kind_label(c.kind))}: <q>{escape(c.text)}</q> {escape(c.consequence)}"
                f'<br><span style="font-size:90%">Why: {escape(c.why)}</span></li>'
            )
        self.history.value = (
            "<details><summary>The path so far (" + str(len(self.path)) + " step(s))</summary>"
            f"<ol>{''.join(items)}</ol></details>"
        )

    def feedback_for(self, node: sc.Node) -> tuple[str, list[Message]]:
        msgs = []
        if self.path:
            _n, c = self.scenario.choice(self.path[-1])
            msgs.append(
                Message(
                    _level(c.score),
                    f"You chose to {kind_label(c.kind)}. What happens: {c.consequence}",
                    f"Why: {c.why}",
                )
            )
        if node.is_end:
            top = self.best[0].score
            mine = sc.path_score(self.scenario, self.path)
            msgs.append(Message("good" if mine == top else "info", f"Outcome: {node.outcome}"))
            if mine == top:
                msgs.append(
                    Message("good", "Your path is among the strongest paths through the meeting.")
                )
            else:
                better = len(
                    sc.stronger_paths(self.scenario, sc.Path(tuple(self.path), node.node_id, mine))
                )
                msgs.append(
                    Message(
                        "info",
                        f"Your path scores {mine}; {better} path(s) score higher, the strongest "
                        f"{top}. Step back to try another response, or start again.",
                    )
                )
            return f"Ending: {node.title}", msgs
        if not self.path:
            msgs.append(Message("info", "Select a response and press Choose."))
        return f"Decision point {len(self.path) + 1}: {node.title}", msgs

    def comparison_html(self) -> str:
        mine = sc.path_score(self.scenario, self.path)
        end = sc.replay(self.scenario, self.path).node
        rows = [["Your path", path_label(self.scenario, self.path), self._ending(end), mine]]
        for p in strongest_by_ending(self.scenario):
            rows.append(
                ["Strongest", path_label(self.scenario, p.choices), self._ending(p.end), p.score]
            )
        ties = len(self.best)
        note = (
            f"<p>{ties} paths share the top score of {self.best[0].score}; the table shows the "
            "shortest one to each of their endings. Each choice scores from −2 (harmful) to +2 "
            "(strong); a path's score is the sum.</p>"
        )
        return (
            html_table(
                ["", "Path (choice and kind)", "Ending", "Score"],
                rows,
                caption="Your path against the strongest paths",
                wide=("Path (choice and kind)",),
            )
            + note
        )

    def _ending(self, node_id: str) -> str:
        return self.scenario.node(node_id).title

    def words_feedback_for(self, text: str) -> tuple[str, list[Message]]:
        if not text.strip():
            return "What you would say", [
                Message(
                    "info",
                    "Write what you would say when your point is brushed aside; four light "
                    "checks will read it.",
                )
            ]
        return checks_feedback(
            own_words_checks(text),
            CHECK_TITLES,
            "Every check passed. The checks look for words, not meaning: say it aloud once.",
        )

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        played = sc.replay(self.scenario, answer.get("path", []))
        lines = []
        for i, cid in enumerate(played.choices, 1):
            node, c = self.scenario.choice(cid)
            lines.append(f"{i}. {node.title}: {kind_label(c.kind)}: “{c.text}” — {c.consequence}")
        end = self.scenario.node(played.node)
        if end.is_end:
            score = sc.path_score(self.scenario, played.choices)
            lines += ["", f"Ending: {end.title} (score {score}). {end.outcome}"]
        elif not lines:
            lines.append("(no choice made yet)")
        for label, key in (("What I would say", "own_words"), ("Reflection", "reflection")):
            text = answer.get(key, "")
            if isinstance(text, str) and text.strip():
                lines += ["", f"{label}:", "", quote(text)]
        return "\n".join(lines)


def _first_words(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + " …"


def strongest_by_ending(scenario: sc.Scenario) -> list[sc.Path]:
    """The shortest of the best-scoring paths to each of their endings, in the data's order."""
    chosen: dict[str, sc.Path] = {}
    for p in sc.stronger_paths(scenario):
        if p.end not in chosen or len(p) < len(chosen[p.end]):
            chosen[p.end] = p
    return list(chosen.values())


# --- the page's static path ----------------------------------------------------------------------
def glue_numbers(prefix: str) -> None:
    """Glue the numbers the page's prose uses: the backlog numbers and the scenario's size."""
    from myst_nb import glue

    for key, value in case_numbers().items():
        glue(f"{prefix}_{key}", value, display=False)
    s = load_scenario()
    every = sc.paths(s)
    best = sc.stronger_paths(s)
    glue(f"{prefix}_decisions", sum(not n.is_end for n in s.nodes), display=False)
    glue(f"{prefix}_endings", len(s.endings), display=False)
    glue(f"{prefix}_paths", len(every), display=False)
    glue(f"{prefix}_depth", max(len(p) for p in every), display=False)
    glue(f"{prefix}_best_score", best[0].score, display=False)
    glue(f"{prefix}_best_count", len(best), display=False)


def answer_key_markdown(prefix: str) -> str:
    """The whole scenario as a Markdown list (every node, choice, consequence and why), with
    each quoted number as a ``{glue:text}`` role of ``prefix`` (the page's answer key)."""
    rows = load_rows({k: f"{{glue:text}}`{prefix}_{k}`" for k in case_numbers()})
    s = sc.from_rows(rows)
    lines = []
    for n in s.nodes:
        if n.is_end:
            continue
        lines += [f"**{n.node_id}, {n.title}.** {n.text}", ""]
        for c in n.choices:
            nxt = s.node(c.next)
            lines.append(
                f"- **{c.choice_id}** ({kind_label(c.kind)}, score {c.score:+d}): {c.text} "
                f"What happens: {c.consequence} Why: {c.why} Leads to {nxt.node_id}, {nxt.title}."
            )
        lines.append("")
    lines += ["**The endings.**", ""]
    for n in s.endings:
        lines.append(f"- **{n.node_id}, {n.title}:** {n.text} Outcome: {n.outcome}")
    return "\n".join(lines)
