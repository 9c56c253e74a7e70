"""Shift 1, exercise 4: an opportunity solution tree (Torres, *Continuous Discovery Habits*,
2021) for one outcome, drawn as SVG and checked with
:func:`pivot.frameworks.discovery.check_opportunity_tree`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W

from .. import plots
from ..frameworks import discovery as d
from ..kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message
from .common import checks_feedback, quote, saved_text

#: Opportunities the learner can map under the outcome.
SLOTS = 4
NO_TARGET = 0
CHECK_TITLES = {
    "outcome_measurable": "Measurable outcome",
    "outcome_not_output": "Outcome, not output",
    "enough_opportunities": "Several opportunities",
    "solutions_under_opportunities": "Solutions under opportunities",
    "one_target": "One target",
    "target_solutions": "Solutions to compare",
    "opportunities_not_solutions": "Opportunities are needs",
    "no_empty_names": "Every box named",
    "no_duplicates": "No repeats",
}


def solutions_of(text: str) -> list[str]:
    """The solutions typed in a box, one per line; blank lines ignored."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def tree_of(outcome: str, names: list[str], solutions: list[str], target: int) -> dict:
    """The tree as :func:`check_opportunity_tree` takes it; empty slots are left out."""
    opps = []
    for i, (name, sols) in enumerate(zip(names, solutions, strict=True), 1):
        if name.strip() or solutions_of(sols):
            opps.append({"name": name, "solutions": solutions_of(sols), "target": i == target})
    return {"outcome": outcome, "opportunities": opps}


class OpportunityTree(Exercise):
    """One outcome, up to four opportunities with solutions, one target; drawn and checked."""

    exercise_id = "shift1.opportunity_tree"
    title = "Shift 1: opportunity solution tree"

    def build(self) -> W.Widget:
        style = {"description_width": "11em"}
        layout = W.Layout(width="46em", max_width="100%")
        self.outcome = W.Text(
            description="Outcome",
            style=style,
            layout=layout,
            continuous_update=False,
            placeholder="a measurable change, e.g. cut wasted trips from 12 to 4",
        )
        self.names, self.solutions = [], []
        rows: list[W.Widget] = [self.outcome]
        for i in range(1, SLOTS + 1):
            name = W.Text(
                description=f"Opportunity {i}",
                style=style,
                layout=layout,
                continuous_update=False,
                placeholder="a customer need or pain",
            )
            sols = W.Textarea(
                description=f"Solutions for {i}",
                rows=3,
                style=style,
                layout=layout,
                continuous_update=False,
                placeholder="one solution per line",
            )
            self.names.append(name)
            self.solutions.append(sols)
            rows += [name, sols]
        self.target = W.RadioButtons(
            options=[("none yet", NO_TARGET)] + [(str(i), i) for i in range(1, SLOTS + 1)],
            value=NO_TARGET,
            description="Target opportunity",
            orientation="horizontal",
            style=style,
        )
        for w in [self.outcome, *self.names, *self.solutions, self.target]:
            w.observe(self.changed, names="value")
        self.chart = W.HTML()
        self.feedback = FeedbackPanel("Opportunity solution tree feedback")
        self.reflection = self.reflection_box(
            "An outcome your team owns: which opportunities sit under it?"
        )
        return W.VBox(
            [
                *rows,
                self.target,
                self.feedback.widget,
                self.chart,
                self.reflection,
                self.save_control.widget,
            ]
        )

    def tree(self) -> dict:
        return tree_of(
            self.outcome.value,
            [n.value for n in self.names],
            [s.value for s in self.solutions],
            self.target.value,
        )

    def answer(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "opportunities": [
                {"name": n.value, "solutions": s.value}
                for n, s in zip(self.names, self.solutions, strict=True)
            ],
            "target": self.target.value,
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved tree could not be read; starting afresh."
        skipped = []
        text = saved_text(answer.get("outcome", ""), MAX_TEXT_CHARS)
        self.outcome.value = text or ""
        if text is None:
            skipped.append("outcome")
        opps = answer.get("opportunities", [])
        opps = opps if isinstance(opps, list) else []
        for i, opp in enumerate(opps[:SLOTS]):
            opp = opp if isinstance(opp, Mapping) else {}
            for key, widget in (("name", self.names[i]), ("solutions", self.solutions[i])):
                value = saved_text(opp.get(key, ""), MAX_TEXT_CHARS)
                if value is None:
                    skipped.append(f"opportunity {i + 1} {key}")
                widget.value = value or ""
        if len(opps) > SLOTS:
            skipped.append(f"opportunities after the first {SLOTS}")
        target = answer.get("target", NO_TARGET)
        if isinstance(target, int) and not isinstance(target, bool) and 0 <= target <= SLOTS:
            self.target.value = target
        else:
            skipped.append("target")
        text = saved_text(answer.get("reflection", ""), MAX_TEXT_CHARS)
        if text is None:
            skipped.append("reflection")
        self.reflection.value = text or ""
        if skipped:
            return (
                "Some saved parts could not be used and were left empty: "
                + ", ".join(skipped)
                + "."
            )
        return None

    def text_fields(self) -> dict[str, str]:
        fields = {"Outcome": self.outcome.value, "My reflection": self.reflection.value}
        for i, (n, s) in enumerate(zip(self.names, self.solutions, strict=True), 1):
            fields[f"Opportunity {i}"] = n.value
            fields[f"Solutions for {i}"] = s.value
        return fields

    def refresh(self) -> None:
        tree = self.tree()
        self.chart.value = plots.tree_diagram(
            tree["outcome"], tree["opportunities"], title="Your opportunity solution tree"
        ).to_html(max_width="48em")
        self.feedback.show(*self.feedback_for(tree))

    def feedback_for(self, tree: Mapping[str, Any]) -> tuple[str, list[Message]]:
        if not tree["outcome"].strip() and not tree["opportunities"]:
            return "Checks: the tree is empty", [
                Message(
                    "info",
                    "Start at the top: the outcome you want to move. Then add the "
                    "customer opportunities under it, and solutions under each.",
                )
            ]
        if self.target.value and not any(o["target"] for o in tree["opportunities"]):
            extra = [
                Message(
                    "warn",
                    f"Opportunity {self.target.value} is the target but is "
                    "empty; name it or choose another.",
                )
            ]
        else:
            extra = []
        return checks_feedback(
            d.check_opportunity_tree(tree),
            CHECK_TITLES,
            "A tree you can work from: next, write the assumption "
            "tests for the solutions under your target.",
            extra,
        )

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = [f"Outcome: {answer.get('outcome', '').strip() or '(not set)'}", ""]
        for i, opp in enumerate(answer.get("opportunities", []), 1):
            if not (opp.get("name", "").strip() or solutions_of(opp.get("solutions", ""))):
                continue
            mark = " (target)" if answer.get("target") == i else ""
            lines.append(f"- {opp.get('name', '').strip() or '(unnamed)'}{mark}")
            lines += [f"  - {s}" for s in solutions_of(opp.get("solutions", ""))]
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines)


class WorkedTree:
    """Static path: a tree for Kestrel Works, checked and drawn."""

    def __init__(self, outcome: str, opportunities: list[dict]):
        self.tree = {"outcome": outcome, "opportunities": opportunities}
        self.checks = d.check_opportunity_tree(self.tree)
        self.passed = sum(c.passed for c in self.checks)
        target = [o for o in opportunities if o.get("target") is True]
        self.target_solutions = len(target[0]["solutions"]) if target else 0

    def glue(self, prefix: str) -> None:
        from myst_nb import glue

        glue(f"{prefix}_passed", self.passed, display=False)
        glue(f"{prefix}_checks", len(self.checks), display=False)
        glue(f"{prefix}_opportunities", len(self.tree["opportunities"]), display=False)
        glue(f"{prefix}_target_solutions", self.target_solutions, display=False)

    @property
    def figure(self) -> plots.SvgFigure:
        return plots.tree_diagram(self.tree["outcome"], self.tree["opportunities"])

    def failed(self) -> list[str]:
        return [f"{CHECK_TITLES[c.name]}: {c.message}" for c in self.checks if not c.passed]
