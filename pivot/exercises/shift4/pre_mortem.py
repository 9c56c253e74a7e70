"""Shift 4, the pre-mortem: "Six months on, the release the team chose in Shift 3 has failed.
Why?" The learner writes the reasons, classifies each into Cagan's four risks, rates its
likelihood and impact, names an owner and a next step, and sees the register as a heat map.

The method is Gary Klein's pre-mortem (*Harvard Business Review*, September 2007): imagine the
project has already failed, then explain why. The register, its scales, its score and its bands
are computed once, in :mod:`pivot.frameworks.risk` (the course's 1–5 scales, score likelihood ×
impact, bands low 1–4, medium 5–9, high 10–25); the heat map is
:func:`pivot.plots.risk_heatmap`.

``data/failure_reasons.csv`` is the course's own pre-mortem of the release: plausible failures
drawn from the case (the team's concerns in ``data/risk_concerns.csv``, the interviews, the
backlog), each with its kind, ratings, owner, next step, the case evidence, and, for the check
after Cox (2008), a probability and a cost (person-days) whose product is the expected loss.

The feedback says which kinds of risk the learner did not consider (with failures of that kind
from the reference), which of their risks has no owner or no next step (and when the owner is
not the one Shift 3 gives that kind of risk), and where the matrix's coarse cells hide a real
difference between two risks: on the learner's own risks when at least two carry a probability
and a cost, otherwise on the reference register (:func:`pivot.frameworks.risk.
hidden_differences`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import ipywidgets as W
import pandas as pd

from ... import data
from ...frameworks import risk
from ...kit import MAX_TEXT_CHARS, Exercise, FeedbackPanel, Message
from ...plots import SvgFigure, risk_heatmap
from ..common import html_table, quote, restore_reflection, saved_text
from ..whose_risk import OWNERS_BY_RISK, PEOPLE, YOU, person

EXERCISE_ID = "shift4.pre_mortem"
#: How many reasons the learner can write.
N_ROWS = 8
UNSET = ""
UNSET_RATING = 0
#: Shown most at a time in the feedback, for each kind of hidden difference.
MAX_PAIRS = 3
#: What each risk asks (Shift 3, after Cagan), for the "not considered" feedback.
QUESTIONS = {
    "value": "will customers choose to use it?",
    "usability": "can people work out how to use it?",
    "feasibility": "can the team build it with the time, skills and technology it has?",
    "viability": "does it still work for the business: costs, sales, contracts?",
}
COST_UNIT = "person-days"

#: ``data/failure_reasons.csv``: the course's reference pre-mortem of the Shift 3 release.
SCHEMA = data.Schema(
    "failure_reasons",
    (
        data.Column("failure_id", pattern=r"F\d\d", unique=True),
        data.Column("reason", max_chars=300),
        data.Column("kind", choices=risk.KINDS),
        data.Column("items", pattern=r"B\d\d(;B\d\d)*"),
        data.Column("evidence", max_chars=400),
        data.Column("likelihood", "int", minimum=1, maximum=5),
        data.Column("impact", "int", minimum=1, maximum=5),
        data.Column("owner", choices=tuple(PEOPLE)),
        data.Column("next_step", max_chars=300),
        data.Column("probability", "float", minimum=0, maximum=1),
        data.Column("cost", "float", minimum=0),
        data.Column("why", max_chars=600),
    ),
    "The course's reference pre-mortem of the release chosen in Shift 3: plausible failures "
    "drawn from the case, each with its risk, ratings, owner, next step and evidence, and a "
    "probability and cost for the check after Cox (2008).",
    min_rows=4,
    max_rows=30,
)

data.register(SCHEMA)


def load_failures() -> pd.DataFrame:
    """``data/failure_reasons.csv``, validated (see :data:`SCHEMA`). Raises
    :class:`pivot.data.DataError` naming the line, the column and the value of every problem."""
    return data.read_table(data.data_dir() / "failure_reasons.csv", SCHEMA)


def reference_register(frame: pd.DataFrame | None = None) -> tuple[risk.Risk, ...]:
    """The reference failures as a validated register (ids F01…)."""
    frame = load_failures() if frame is None else frame
    rows = [
        {
            "risk_id": r.failure_id,
            "description": r.reason,
            "likelihood": r.likelihood,
            "impact": r.impact,
            "kind": r.kind,
            "owner": r.owner,
            "next_step": r.next_step,
            "probability": r.probability,
            "cost": r.cost,
        }
        for r in frame.itertuples(index=False)
    ]
    return risk.make_register(rows)


# --- reading the learner's rows -----------------------------------------------------------
def _rating(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if value in range(1, 6) and float(value).is_integer() else None


def _choice(value: object, choices) -> str | None:
    return value if isinstance(value, str) and value in choices else None


def parse_number(text: object) -> float | None:
    """A number the learner typed ("35", "35 %", "1,200", "0.5"), or None when it is blank.
    Raises ValueError for anything else."""
    if text is None:
        return None
    s = str(text).strip().replace(",", "").rstrip("%").strip()
    if not s:
        return None
    value = float(s)  # ValueError for words
    if not math.isfinite(value):
        raise ValueError(s)
    return value


def read_rows(rows: list[Mapping[str, Any]]) -> tuple[tuple[risk.Risk, ...], list[Message]]:
    """The learner's rows as a register (ids R1…, only rows with a reason and both ratings)
    and the messages about rows that could not go on it, or only in part.

    Each row is ``{"reason", "kind", "likelihood", "impact", "owner", "next_step",
    "probability" (a percentage, as typed), "cost" (person-days, as typed)}``.
    """
    register: list[risk.Risk] = []
    msgs: list[Message] = []
    for k, row in enumerate(rows, 1):
        rid = f"R{k}"
        reason = str(row.get("reason") or "").strip()
        lk, im = _rating(row.get("likelihood")), _rating(row.get("impact"))
        others = [row.get(f) for f in ("kind", "owner", "next_step", "probability", "cost")]
        if not reason:
            if lk or im or any(str(v or "").strip() for v in others):
                msgs.append(Message("info", f"{rid}: write the reason first: why did it fail?"))
            continue
        if lk is None or im is None:
            missing = " and ".join(f for f, v in (("likelihood", lk), ("impact", im)) if v is None)
            msgs.append(Message("info", f"{rid}: rate its {missing} to put it on the map."))
            continue
        entry: dict[str, Any] = {
            "risk_id": rid,
            "description": reason[: risk.MAX_TEXT],
            "likelihood": lk,
            "impact": im,
            "kind": _choice(row.get("kind"), risk.KINDS),
            "owner": _choice(row.get("owner"), PEOPLE),
            "next_step": str(row.get("next_step") or "").strip()[: risk.MAX_TEXT] or None,
        }
        try:
            pct = parse_number(row.get("probability"))
            cost = parse_number(row.get("cost"))
        except ValueError:
            pct = cost = None
            msgs.append(
                Message(
                    "info",
                    f"{rid}: the chance and the cost must be numbers (a percentage and "
                    f"{COST_UNIT}); they are left out of the check below.",
                )
            )
        if pct is not None and cost is not None:
            if 0 <= pct <= 100 and cost >= 0:
                entry["probability"], entry["cost"] = pct / 100, cost
            else:
                msgs.append(
                    Message(
                        "info",
                        f"{rid}: the chance must be from 0 to 100 % and the cost at least 0; "
                        "they are left out of the check below.",
                    )
                )
        elif (pct is None) != (cost is None):
            msgs.append(
                Message(
                    "info",
                    f"{rid}: give both a chance and a cost (or neither) for the check below.",
                )
            )
        register.extend(risk.make_register([entry]))
        if entry["kind"] is None:
            msgs.append(Message("info", f"{rid}: which of the four risks is it?"))
    return tuple(register), msgs


# --- feedback ------------------------------------------------------------------------------
def _examples(kind: str, reference: pd.DataFrame, n: int = 2) -> str:
    rows = reference[reference["kind"] == kind].head(n)
    return " ".join(f"{r.failure_id}: {r.reason} ({r.evidence})" for r in rows.itertuples())


def _pairs(found: risk.HiddenDifferences, prefix: str) -> list[Message]:
    msgs = []
    for pair in found.compressed[:MAX_PAIRS]:
        msgs.append(
            Message(
                "warn",
                f"{prefix}the matrix hides a difference. {pair.why}",
                "Cox (2008) calls this range compression: coarse cells give identical ratings "
                "to quantitatively very different risks. Spend on the larger one first.",
            )
        )
    for pair in found.reversed[:MAX_PAIRS]:
        msgs.append(
            Message(
                "warn",
                f"{prefix}the matrix reverses an order. {pair.why}",
                "Cox (2008): a matrix can give a higher rating to a quantitatively smaller risk. "
                "The score multiplies two bin numbers, not a probability and a cost.",
            )
        )
    return msgs


def feedback(
    rows: list[Mapping[str, Any]],
    reference: pd.DataFrame,
    reference_hidden: risk.HiddenDifferences,
) -> tuple[str, list[Message], tuple[risk.Risk, ...]]:
    """The heading, the messages and the learner's register for the rows as they stand."""
    register, msgs = read_rows(rows)
    written = sum(bool(str(r.get("reason") or "").strip()) for r in rows)
    if not written:
        return (
            "Reasons written: 0",
            [
                Message(
                    "info",
                    "Imagine it is six months on and the release has failed. Write "
                    "the first reason why, then rate it.",
                )
            ],
            register,
        )
    counts = risk.kind_counts(register)
    covered = sum(1 for n in counts.values() if n)
    gaps = risk.unaddressed(register)
    heading = (
        f"Reasons written: {written} · on the map: {len(register)} · kinds of risk covered: "
        f"{covered} of {len(risk.KINDS)} · without an owner or a next step: {len(gaps)}"
    )
    # 1. kinds of risk not considered, against the reference pre-mortem
    missing = risk.missing_kinds(register)
    for kind in missing:
        n_ref = int((reference["kind"] == kind).sum())
        msgs.append(
            Message(
                "warn",
                f"You did not consider {kind} risk ({QUESTIONS[kind]}). The course's "
                f"pre-mortem has {n_ref} such failures, for example {_examples(kind, reference)}",
                "A pre-mortem written alone tends to find the failures of the writer's own "
                "trade; a former engineer finds feasibility first. Ask of each kind in turn: "
                "how could this have killed the release?",
            )
        )
    if not missing:
        msgs.append(
            Message(
                "good",
                "All four kinds of risk considered: value, usability, feasibility and viability.",
                "A release can fail because nobody wanted it, nobody could use it, it could "
                "not be built, or it did not work for the business; your register looks for "
                "all four.",
            )
        )
    # 2. no owner, no next step, or an owner the risk's kind does not suggest
    for rid, fields in gaps:
        what = " and ".join("no owner" if f == "owner" else "no next step" for f in fields)
        msgs.append(
            Message(
                "warn",
                f"{rid} has {what}.",
                "A risk nobody owns is a risk nobody tests, and a risk without a next step "
                "stays a worry: name the person, and the first thing they will do to find out.",
            )
        )
    for r in register:
        if r.kind and r.owner and r.owner not in OWNERS_BY_RISK[r.kind]:
            usual = " or ".join(person(p) for p in OWNERS_BY_RISK[r.kind])
            msgs.append(
                Message(
                    "info",
                    f"{r.risk_id}: a {r.kind} risk owned by {person(r.owner)}. Shift 3 gives "
                    f"{r.kind} risk to {usual}.",
                    "They may still do the work; the owner is the one who makes sure the risk "
                    "is tested and answered.",
                )
            )
    # 3. where the matrix hides a real difference
    quantified = [r for r in register if r.expected_loss is not None]
    if len(quantified) >= 2:
        own = risk.hidden_differences(register)
        if own.any:
            msgs += _pairs(own, "In your register ")
        else:
            msgs.append(
                Message(
                    "good",
                    f"In your register no two risks rated alike differ in expected loss by more "
                    f"than {own.factor:g} times, and the matrix's order agrees with the expected "
                    "losses.",
                    "With more risks, or wider ranges of cost, that rarely holds: check again "
                    "when you add some.",
                )
            )
    else:
        example = [*reference_hidden.compressed[:1], *reference_hidden.reversed[:1]]
        msgs.append(
            Message(
                "info",
                "Give two or more of your risks a chance (%) and a cost (" + COST_UNIT + ") to "
                "check where the matrix hides a difference between them. In the course's "
                "register: " + " ".join(p.why for p in example),
                "The matrix puts risks into 25 cells; two risks in one cell can differ many "
                "times over in what they would cost you (Cox 2008).",
            )
        )
    return heading, msgs, register


# --- the widget ----------------------------------------------------------------------------
def _rating_options(scale: Mapping[int, str], what: str):
    return [(f"— {what} —", UNSET_RATING), *[(f"{v}: {scale[v]}", v) for v in scale]]


class PreMortem(Exercise):
    """Up to eight reasons, each with its risk, likelihood, impact, owner, next step and an
    optional chance and cost; the register drawn as a heat map; feedback on the whole."""

    exercise_id = EXERCISE_ID
    title = "Shift 4: pre-mortem and risk register"

    def build(self) -> W.Widget:
        self.reference = load_failures()
        self.reference_hidden = risk.hidden_differences(reference_register(self.reference))
        style = {"description_width": "9em"}
        kinds = [("— risk —", UNSET), *[(k, k) for k in risk.KINDS]]
        owners = [("— owner —", UNSET), *[(f"{p} ({role})", p) for p, role in PEOPLE.items()]]
        self.rows: list[dict[str, W.Widget]] = []
        boxes: list[W.Widget] = []
        for k in range(1, N_ROWS + 1):
            wide = W.Layout(width="46em", max_width="100%")
            half = W.Layout(width="23em", max_width="100%")
            small = W.Layout(width="15em", max_width="100%")
            row = {
                "reason": W.Text(
                    description=f"Reason R{k}",
                    placeholder="It failed because …",
                    continuous_update=False,
                    style=style,
                    layout=wide,
                ),
                "kind": W.Dropdown(
                    options=kinds, value=UNSET, description=f"R{k} risk", style=style, layout=half
                ),
                "likelihood": W.Dropdown(
                    options=_rating_options(risk.LIKELIHOOD_SCALE, "likelihood"),
                    value=UNSET_RATING,
                    description=f"R{k} likelihood",
                    style=style,
                    layout=half,
                ),
                "impact": W.Dropdown(
                    options=_rating_options(risk.IMPACT_SCALE, "impact"),
                    value=UNSET_RATING,
                    description=f"R{k} impact",
                    style=style,
                    layout=half,
                ),
                "owner": W.Dropdown(
                    options=owners,
                    value=UNSET,
                    description=f"R{k} owner",
                    style=style,
                    layout=half,
                ),
                "next_step": W.Text(
                    description=f"R{k} next step",
                    placeholder="The first thing the owner will do to find out",
                    continuous_update=False,
                    style=style,
                    layout=wide,
                ),
                "probability": W.Text(
                    description=f"R{k} chance %",
                    placeholder="optional, 0–100",
                    continuous_update=False,
                    style=style,
                    layout=small,
                ),
                "cost": W.Text(
                    description=f"R{k} cost, days",
                    placeholder="optional",
                    continuous_update=False,
                    style=style,
                    layout=small,
                ),
            }
            for w in row.values():
                w.observe(self.changed, names="value")
            self.rows.append(row)
            flow = W.Layout(flex_flow="row wrap")
            boxes += [
                W.HTML(f"<p style='margin:.9em 0 .1em'><strong>Reason R{k}</strong></p>"),
                row["reason"],
                W.HBox([row["kind"], row["owner"]], layout=flow),
                W.HBox([row["likelihood"], row["impact"]], layout=flow),
                row["next_step"],
                W.HBox([row["probability"], row["cost"]], layout=flow),
            ]
        intro = W.HTML(
            "<p><strong>Six months on, the release the team chose in Shift 3 has failed. "
            "Why?</strong> Write each reason as if it had already happened, then classify it, "
            "rate how likely it is and how bad it would be (the scales are in the drop-downs), "
            "and name its owner and the next step. A chance and a cost are optional: give them "
            "to two or more risks to check where the matrix misleads. You need not fill all "
            f"{N_ROWS} rows.</p>"
        )
        self.heatmap = W.HTML(layout=W.Layout(width="100%"))
        self.feedback = FeedbackPanel("Pre-mortem feedback")
        self.reflection = self.reflection_box(
            "Which failure would you not have said out loud in a planning meeting, and why?"
        )
        return W.VBox(
            [
                intro,
                *boxes,
                self.heatmap,
                self.feedback.widget,
                self.reflection,
                self.save_control.widget,
            ]
        )

    # --- state ---------------------------------------------------------------------------
    def values(self) -> list[dict[str, Any]]:
        return [{name: w.value for name, w in row.items()} for row in self.rows]

    def answer(self) -> dict[str, Any]:
        rows = []
        for v in self.values():
            rows.append(
                {
                    **v,
                    "likelihood": v["likelihood"] or None,
                    "impact": v["impact"] or None,
                    "kind": v["kind"] or None,
                    "owner": v["owner"] or None,
                }
            )
        return {"rows": rows, "reflection": self.reflection.value}

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved pre-mortem could not be read; starting afresh."
        skipped: list[str] = []
        rows = answer.get("rows", [])
        if not isinstance(rows, list):
            skipped.append("rows")
            rows = []
        if len(rows) > N_ROWS:
            skipped.append(f"rows after R{N_ROWS}")
        for k, (saved, row) in enumerate(zip(rows, self.rows, strict=False), 1):
            if not isinstance(saved, Mapping):
                skipped.append(f"R{k}")
                continue
            for name, w in row.items():
                raw = saved.get(name)
                if name in ("likelihood", "impact"):
                    ok = _rating(raw)
                    unset = UNSET_RATING
                elif name == "kind":
                    ok, unset = _choice(raw, risk.KINDS), UNSET
                elif name == "owner":
                    ok, unset = _choice(raw, PEOPLE), UNSET
                else:
                    ok, unset = saved_text(raw, MAX_TEXT_CHARS), UNSET
                if ok is None and raw not in (None, ""):
                    skipped.append(f"R{k} {name}")
                w.value = unset if ok is None else ok
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        fields = {}
        for k, row in enumerate(self.rows, 1):
            fields[f"Reason R{k}"] = row["reason"].value
            fields[f"R{k} next step"] = row["next_step"].value
            fields[f"R{k} chance %"] = row["probability"].value
            fields[f"R{k} cost"] = row["cost"].value
        fields["My reflection"] = self.reflection.value
        return fields

    # --- feedback ------------------------------------------------------------------------
    def refresh(self) -> None:
        heading, msgs, register = feedback(self.values(), self.reference, self.reference_hidden)
        self.register = register
        points = [{"label": r.risk_id, "likelihood": r.likelihood, "impact": r.impact}
                  for r in register]  # fmt: skip
        self.figure = risk_heatmap(points, title="Your risk register")
        self.heatmap.value = self.figure.to_html()
        self.feedback.show(heading, msgs)

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = []
        rows = answer.get("rows", [])
        for k, row in enumerate(rows if isinstance(rows, list) else [], 1):
            if not isinstance(row, Mapping) or not str(row.get("reason") or "").strip():
                continue
            lk, im = _rating(row.get("likelihood")), _rating(row.get("impact"))
            scored = f"score {lk * im} ({risk.band(lk * im)})" if lk and im else "not rated"
            lines.append(
                f"- R{k}: {str(row['reason']).strip()} | {row.get('kind') or '?'} risk | "
                f"likelihood {lk or '?'}, impact {im or '?'}, {scored} | owner: "
                f"{row.get('owner') or 'none'} | next step: "
                f"{str(row.get('next_step') or '').strip() or 'none'}"
            )
        if str(answer.get("reflection", "")).strip():
            lines += ["", "Reflection:", "", quote(str(answer["reflection"]))]
        return "\n".join(lines) or "(no reasons written yet)"


# --- the static path on the page -----------------------------------------------------------
def reference_heatmap() -> SvgFigure:
    """The course's register as a heat map, for readers without a kernel."""
    points = [{"label": r.risk_id, "likelihood": r.likelihood, "impact": r.impact}
              for r in reference_register()]  # fmt: skip
    return risk_heatmap(points, title="The course's pre-mortem: the reference register")


def reference_table_html() -> str:
    """The reference register ranked as the matrix ranks it (score, then impact)."""
    frame = load_failures().set_index("failure_id")
    rows = [
        (r.risk_id, frame.loc[r.risk_id, "reason"], r.kind, r.likelihood, r.impact, r.score,
         r.band, YOU if r.owner == YOU else person(r.owner))
        for r in risk.rank_register(reference_register())
    ]  # fmt: skip
    return html_table(
        ["Id", "Reason it failed", "Risk", "Likelihood", "Impact", "Score", "Band", "Owner"],
        rows,
        caption="The course's pre-mortem of the release, ranked by the matrix.",
        wide=("Reason it failed",),
    )


def glue_reference(prefix: str = "pm") -> None:
    """Glue the numbers the page's prose uses (``{prefix}_…``)."""
    from myst_nb import glue

    frame = load_failures()
    register = reference_register(frame)
    hidden = risk.hidden_differences(register)
    glue(f"{prefix}_failures", len(register), display=False)
    for kind, n in risk.kind_counts(register).items():
        glue(f"{prefix}_{kind}", n, display=False)
    glue(f"{prefix}_rows", N_ROWS, display=False)
    for name, lo, hi in risk.BANDS:
        glue(f"{prefix}_{name}_lo", lo, display=False)
        glue(f"{prefix}_{name}_hi", hi, display=False)
        glue(f"{prefix}_n_{name}", sum(r.band == name for r in register), display=False)
    glue(f"{prefix}_factor", f"{hidden.factor:g}", display=False)
    glue(f"{prefix}_compressed", len(hidden.compressed), display=False)
    glue(f"{prefix}_reversed", len(hidden.reversed), display=False)
    for r in register:
        rid = r.risk_id.lower()
        glue(f"{prefix}_{rid}_l", r.likelihood, display=False)
        glue(f"{prefix}_{rid}_i", r.impact, display=False)
        glue(f"{prefix}_{rid}_score", r.score, display=False)
        glue(f"{prefix}_{rid}_p", f"{r.probability:.0%}".replace("%", " %"), display=False)
        glue(f"{prefix}_{rid}_cost", f"{r.cost:,.0f}", display=False)
        glue(f"{prefix}_{rid}_el", f"{r.expected_loss:,.1f}", display=False)
    backlog = data.load("backlog").set_index("item_id")
    glue(f"{prefix}_b05_effort", f"{backlog.loc['B05', 'effort']:g}", display=False)
    glue(f"{prefix}_b05_confidence", f"{backlog.loc['B05', 'confidence']:g}", display=False)
    release = ["B01", "B02", "B09", "B06", "B11", "B22", "B05"]
    glue(f"{prefix}_release_effort", f"{backlog.loc[release, 'effort'].sum():g}", display=False)
