"""Shift 4, map the assumptions: rate each assumption behind the release chosen in Shift 3 for
importance and evidence, see the map, and pick the one to test first.

Assumption mapping is David J. Bland's, in Bland & Osterwalder, *Testing Business Ideas* (Wiley,
2019): an idea rests on assumptions of desirability, viability and feasibility; place each by
how important it is to the idea and how much evidence there is for it, and test first the
important ones with the least evidence. The course adds usability as a fourth kind, so that the
kinds line up with Cagan's four risks of Shift 3 (:data:`CAGAN_RISK`). The scales, the
exposure ``importance × (6 − evidence)``, the regions and the ordering are computed once, in
:mod:`pivot.frameworks.risk` (:func:`~pivot.frameworks.risk.order_assumptions`,
:func:`~pivot.frameworks.risk.judge_pick`).

``data/assumptions.csv`` holds fourteen assumptions behind the release, each with its kind,
the release items that rest on it, who in the team tests it, the reference importance and
evidence with the reasons, the evidence the case holds (citing interviews ``I..``, survey
outcomes ``O..``, concerns ``RC..`` and backlog items ``B..``) and a cheap test that would raise
the evidence.

The learner's pick is saved; the experiment page can read it with
:func:`saved_test_first` (never raises; an empty dict when nothing usable is saved).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W
import pandas as pd

from ... import data
from ... import workbook as wb
from ...frameworks import prioritization as prio
from ...frameworks import risk as rk
from ...kit import Exercise, FeedbackPanel, Message, escape
from ...plots import MAP_MAX_POINTS, SvgFigure, assumption_map
from ..common import html_table, quote, restore_reflection

EXERCISE_ID = "shift4.assumption_map"
RATINGS = tuple(range(1, 6))
UNSET_RATING = 0
UNSET = ""
KINDS = rk.ASSUMPTION_KINDS
#: How the map's four kinds line up with Cagan's four big risks, taught in Shift 3: Bland's
#: desirability is Cagan's value risk; usability, not one of Bland's three kinds, is kept as a
#: kind of its own (as Torres, *Continuous Discovery Habits*, 2021, does) because it has its
#: own owner, the product designer.
CAGAN_RISK = {
    "desirability": "value",
    "viability": "viability",
    "feasibility": "feasibility",
    "usability": "usability",
}
#: Who in the team tests each kind (Shift 3, *Whose risk is it?*).
TESTERS = ("You", "Lena Fischer", "Aiko Tanaka", "Jonah Weiss", "Ravi Menon")
#: The release capacity of Shift 3, in person-months (the best set by total RICE value).
RELEASE_CAPACITY = 12.0
IMPORTANCE_MEANINGS = rk.IMPORTANCE_SCALE
EVIDENCE_MEANINGS = rk.EVIDENCE_SCALE

_ID_LIST = r"[^;]+(;[^;]+)*"
#: ``data/assumptions.csv``, registered in :data:`pivot.data.SCHEMAS`.
SCHEMA = data.Schema(
    "assumptions",
    (
        data.Column("assumption_id", pattern=r"A\d\d", unique=True),
        data.Column("short", unique=True, max_chars=40),
        data.Column("statement", unique=True, max_chars=200),
        data.Column("kind", choices=KINDS),
        data.Column("items", pattern=r"B\d\d(;B\d\d)*", max_chars=60),
        data.Column("tested_by", choices=TESTERS),
        data.Column("importance", "int", minimum=1, maximum=5),
        data.Column("evidence", "int", minimum=1, maximum=5),
        data.Column("evidence_so_far", max_chars=600),
        data.Column("evidence_refs", pattern=r"(I|O|RC|B)\d+(;(I|O|RC|B)\d+)*", max_chars=120),
        data.Column("importance_reason", max_chars=400),
        data.Column("evidence_reason", max_chars=400),
        data.Column("cheap_test", max_chars=400),
    ),
    "The assumptions behind the release chosen in Shift 3, with the reference importance and "
    "evidence, the evidence the case holds and a cheap test for each.",
    min_rows=2,
    max_rows=MAP_MAX_POINTS,
)

data.register(SCHEMA)


def release_items() -> tuple[str, ...]:
    """The release chosen in Shift 3: the set of backlog items with the most total RICE value
    that fits :data:`RELEASE_CAPACITY` person-months (computed, never typed), in ranking order."""
    rice = prio.score_backlog(data.load("backlog"), "rice")
    return tuple(prio.fit_capacity_best(rice, RELEASE_CAPACITY).items)


def _known_ids() -> dict[str, set[str]]:
    return {
        "I": set(data.load("interviews")["snippet_id"]),
        "O": set(data.load("opportunity_survey")["outcome_id"]),
        "RC": set(data.load("risk_concerns")["concern_id"]),
        "B": set(data.load("backlog")["item_id"]),
    }


def _prefix(ref: str) -> str:
    return "RC" if ref.startswith("RC") else ref[0]


def load_assumptions() -> pd.DataFrame:
    """``data/assumptions.csv``, validated (see :data:`SCHEMA`), with ``items`` and
    ``evidence_refs`` as tuples and the Cagan risk of each kind (``cagan_risk``).

    Beyond the schema, every cited id must exist in its data set (interviews, the outcome
    survey, the risk concerns, the backlog) and appear in ``evidence_so_far``, and every item
    must belong to the release of Shift 3 (:func:`release_items`). Raises
    :class:`pivot.data.DataError` naming the line, the column and the value of every problem.
    """
    path = data.data_dir() / "assumptions.csv"
    frame = data.read_table(path, SCHEMA)
    known = _known_ids()
    release = set(release_items())
    problems = []
    for line, row in enumerate(frame.itertuples(index=False), start=2):
        for ref in row.evidence_refs.split(";"):
            if ref not in known[_prefix(ref)]:
                problems.append(
                    data.Problem(
                        path.name, "an id that exists in the case data", line, "evidence_refs", ref
                    )
                )
            elif ref not in row.evidence_so_far:
                problems.append(
                    data.Problem(
                        path.name, "an id that evidence_so_far cites", line, "evidence_refs", ref
                    )
                )
        for item in row.items.split(";"):
            if item not in release:
                problems.append(
                    data.Problem(
                        path.name,
                        f"an item of the Shift 3 release ({', '.join(sorted(release))})",
                        line,
                        "items",
                        item,
                    )
                )
    if problems:
        raise data.DataError(problems)
    frame["items"] = [tuple(v.split(";")) for v in frame["items"]]
    frame["evidence_refs"] = [tuple(v.split(";")) for v in frame["evidence_refs"]]
    frame["cagan_risk"] = [CAGAN_RISK[k] for k in frame["kind"]]
    return frame


def as_assumptions(frame: pd.DataFrame, ratings: Mapping[str, Mapping[str, Any]] | None = None):
    """:class:`pivot.frameworks.risk.Assumption` objects for the rows of ``frame``: the
    reference ratings, or (with ``ratings``) the learner's, leaving out those not fully rated."""
    rows = []
    for r in frame.itertuples(index=False):
        if ratings is None:
            imp, ev = r.importance, r.evidence
        else:
            entry = ratings.get(r.assumption_id) or {}
            imp, ev = entry.get("importance"), entry.get("evidence")
            if imp is None or ev is None:
                continue
        rows.append(
            {
                "assumption_id": r.assumption_id,
                "statement": r.statement,
                "importance": int(imp),
                "evidence": int(ev),
                "kind": r.kind,
            }
        )
    return rk.make_assumptions(rows) if rows else ()


def reference_order(frame: pd.DataFrame | None = None) -> list[rk.RankedAssumption]:
    """The reference ordering (:func:`pivot.frameworks.risk.order_assumptions` on the data)."""
    frame = load_assumptions() if frame is None else frame
    return rk.order_assumptions(as_assumptions(frame))


# --- the saved answer ------------------------------------------------------------------------
def _rating(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if value in RATINGS else None


def _clean_ratings(value: object, known: set[str] | None) -> dict[str, dict[str, int | None]]:
    if not isinstance(value, Mapping):
        return {}
    found = {}
    for aid, entry in value.items():
        if not isinstance(aid, str) or (known is not None and aid not in known):
            continue
        if not isinstance(entry, Mapping):
            continue
        clean = {f: _rating(entry.get(f)) for f in ("importance", "evidence")}
        if any(v is not None for v in clean.values()):
            found[aid] = clean
    return found


def saved_test_first(workbook: wb.Workbook | None = None) -> dict[str, Any]:
    """What the learner chose to test first, for the experiment page: ``{"assumption_id",
    "statement", "kind", "cheap_test", "importance", "evidence"}`` (the learner's own ratings,
    ``None`` where they gave none), or an empty dict when nothing usable is saved.

    Reads ``workbook`` (default: the learner's current workbook). Never raises.
    """
    try:
        book = workbook if workbook is not None else wb.current()
        answer = book.get(EXERCISE_ID)
        if not isinstance(answer, Mapping):
            return {}
        pick = answer.get("test_first")
        frame = load_assumptions()
        rows = frame[frame["assumption_id"] == pick] if isinstance(pick, str) else frame.iloc[:0]
        if rows.empty:
            return {}
        r = rows.iloc[0]
        mine = _clean_ratings(answer.get("ratings"), {pick}).get(pick, {})
        return {
            "assumption_id": pick,
            "statement": str(r["statement"]),
            "kind": str(r["kind"]),
            "cheap_test": str(r["cheap_test"]),
            "importance": mine.get("importance"),
            "evidence": mine.get("evidence"),
        }
    except Exception:
        return {}


# --- feedback --------------------------------------------------------------------------------
def judge(row, importance: int | None, evidence: int | None) -> list[Message]:
    """Feedback on one assumption: empty when nothing is chosen yet.

    ``row`` is a row of :func:`load_assumptions`. The learner's ratings are compared with the
    reference, with the reference's reasons and the evidence the case holds."""
    if importance is None and evidence is None:
        return []
    aid = row.assumption_id
    if importance is None or evidence is None:
        missing = "evidence" if evidence is None else "importance"
        return [Message("info", f"{aid}: rate its {missing} too, to place it on the map.")]
    mine = rk.quadrant(importance, evidence)
    ref = rk.quadrant(row.importance, row.evidence)
    yours = (
        f"importance {importance}, evidence {evidence} "
        f"(exposure {rk.exposure(importance, evidence)}, {mine})"
    )
    refs = (
        f"importance {row.importance}, evidence {row.evidence} "
        f"(exposure {rk.exposure(row.importance, row.evidence)}, {ref})"
    )
    why = f"Importance: {row.importance_reason} Evidence: {row.evidence_reason}"
    if (importance, evidence) == (row.importance, row.evidence):
        return [Message("good", f"{aid}: {yours}, as the reference rates it.", why)]
    level = "good" if mine == ref else "warn"
    tail = " Same region, so the same decision follows." if mine == ref else ""
    msgs = [Message(level, f"{aid}: you rated it {yours}; the reference has {refs}.{tail}", why)]
    if evidence > row.evidence + 1:
        msgs.append(
            Message(
                "info",
                f"{aid}: you see more evidence than the case holds. What there is: "
                f"{row.evidence_so_far}",
                "Count what people did, or what was measured, above what they said, and an "
                "estimate (such as a RICE confidence) as no evidence at all.",
            )
        )
    return msgs


def judge_pick_messages(frame, ratings, pick: str | None) -> list[Message]:
    """Feedback on the pick: against the reference ordering, and against the learner's own
    map (is the pick the riskiest by their own ratings?)."""
    if not pick:
        return [Message("info", "Then choose the one assumption you would test first.")]
    ranked = reference_order(frame)
    verdict = rk.judge_pick(ranked, pick)
    row = frame.set_index("assumption_id").loc[pick]
    test = f"A cheap test ({row['tested_by']} runs it): {row['cheap_test']}"
    if verdict.good:
        msgs = [Message("good", f"Test {pick} first: {verdict.why}", test)]
    else:
        top = verdict.riskiest.assumption.assumption_id
        top_row = frame.set_index("assumption_id").loc[top]
        msgs = [
            Message(
                "warn",
                f"Not {pick} first: {verdict.why}",
                f"{top}: {top_row['statement']} Its cheap test: {top_row['cheap_test']}",
            )
        ]
    own = rk.order_assumptions(as_assumptions(frame, ratings)) if ratings else []
    if own and len(own) == len(frame):
        mine = rk.judge_pick(own, pick)
        if not mine.good:
            msgs.append(
                Message(
                    "info",
                    f"By your own ratings, {mine.riskiest.assumption.assumption_id} is the "
                    f"riskiest, not {pick}: either the pick or a rating should change.",
                    mine.why,
                )
            )
    return msgs


def _option(aid: str, short: str) -> str:
    return f"{aid}: {short}"


class AssumptionMap(Exercise):
    """For each assumption behind the release: the evidence so far, importance and evidence
    drop-downs; the map drawn as the learner rates; a pick of what to test first; feedback
    per assumption and on the pick."""

    exercise_id = EXERCISE_ID
    title = "Shift 4: map the assumptions"

    def build(self) -> W.Widget:
        self.frame = load_assumptions()
        self.reference = {r.assumption.assumption_id: r for r in reference_order(self.frame)}
        self.rows: dict[str, tuple[Any, W.Dropdown, W.Dropdown]] = {}
        boxes = []
        imp_options = [("— importance —", UNSET_RATING)]
        imp_options += [(f"{v}: {IMPORTANCE_MEANINGS[v]}", v) for v in RATINGS]
        ev_options = [("— evidence —", UNSET_RATING)]
        ev_options += [(f"{v}: {EVIDENCE_MEANINGS[v]}", v) for v in RATINGS]
        style = {"description_width": "11em"}
        for r in self.frame.itertuples(index=False):
            aid = r.assumption_id
            importance = W.Dropdown(
                options=imp_options,
                value=UNSET_RATING,
                description=f"{aid} importance",
                style=style,
                layout=W.Layout(width="36em", max_width="100%"),
            )
            evidence = W.Dropdown(
                options=ev_options,
                value=UNSET_RATING,
                description=f"{aid} evidence",
                style=style,
                layout=W.Layout(width="40em", max_width="100%"),
            )
            for box in (importance, evidence):
                box.observe(self.changed, names="value")
            self.rows[aid] = (r, importance, evidence)
            text = W.HTML(
                f"<p style='margin:.8em 0 .2em'><strong>{escape(aid)}: {escape(r.statement)}"
                f"</strong><br><em>{escape(r.kind)}</em> (Cagan's {escape(r.cagan_risk)} risk; "
                f"tested by {escape(r.tested_by)}) · release items "
                f"{escape(', '.join(r.items))}</p><p style='margin:.1em 0'><em>Evidence so "
                f"far:</em> {escape(r.evidence_so_far)}</p>"
            )
            boxes += [text, W.HBox([importance, evidence], layout=W.Layout(flex_flow="row wrap"))]
        self.pick = W.Dropdown(
            options=[("— choose —", UNSET)]
            + [
                (_option(r.assumption_id, r.short), r.assumption_id)
                for r in self.frame.itertuples(index=False)
            ],
            value=UNSET,
            description="Test first",
            style=style,
            layout=W.Layout(width="36em", max_width="100%"),
        )
        self.pick.observe(self.changed, names="value")
        self.map = W.HTML(layout=W.Layout(width="100%"))
        self.feedback = FeedbackPanel("Assumption map feedback")
        self.reflection = self.reflection_box(
            "Which assumption in your own work has the most riding on it and the least evidence?"
        )
        intro = W.HTML(
            "<p>For each assumption behind the release, read the evidence so far, then rate "
            "<strong>importance</strong> (how badly the release is damaged if the assumption "
            "is wrong) and <strong>evidence</strong> (how much the case already shows it is "
            "true). The map below is redrawn as you go. Then choose the one assumption you "
            "would test first.</p>"
        )
        return W.VBox(
            [
                intro,
                *boxes,
                self.map,
                self.pick,
                self.feedback.widget,
                self.reflection,
                self.save_control.widget,
            ]
        )

    # --- state -----------------------------------------------------------------------------
    def ratings(self) -> dict[str, dict[str, int | None]]:
        """The learner's ratings, for every assumption they touched."""
        found = {}
        for aid, (_r, importance, evidence) in self.rows.items():
            entry = {"importance": importance.value or None, "evidence": evidence.value or None}
            if any(v is not None for v in entry.values()):
                found[aid] = entry
        return found

    def answer(self) -> dict[str, Any]:
        return {
            "ratings": self.ratings(),
            "test_first": self.pick.value or None,
            "reflection": self.reflection.value,
        }

    def restore(self, answer: Mapping[str, Any]) -> str | None:
        if not isinstance(answer, Mapping):
            return "Your saved map could not be read; starting afresh."
        skipped: list[str] = []
        ratings = answer.get("ratings", {})
        if not isinstance(ratings, Mapping):
            skipped.append("ratings")
            ratings = {}
        for aid, value in ratings.items():
            if aid not in self.rows or not isinstance(value, Mapping):
                skipped.append(str(aid)[:40])
                continue
            _r, importance, evidence = self.rows[aid]
            for field, box in (("importance", importance), ("evidence", evidence)):
                raw = value.get(field)
                ok = _rating(raw)
                if ok is None and raw is not None:
                    skipped.append(f"{aid} {field}")
                box.value = UNSET_RATING if ok is None else ok
        pick = answer.get("test_first")
        if isinstance(pick, str) and pick in self.rows:
            self.pick.value = pick
        else:
            if pick is not None:
                skipped.append("test first")
            self.pick.value = UNSET
        return restore_reflection(self.reflection, answer, skipped)

    def text_fields(self) -> dict[str, str]:
        return {"My reflection": self.reflection.value}

    # --- feedback --------------------------------------------------------------------------
    def refresh(self) -> None:
        ratings = self.ratings()
        self.figure = self.map_figure(ratings)
        self.map.value = self.figure.to_html()
        self.feedback.show(*self.feedback_for(ratings, self.pick.value or None))

    def map_figure(self, ratings: Mapping[str, Mapping[str, Any]]) -> SvgFigure:
        points = [
            {
                "label": aid,
                "name": r.short,
                "importance": ratings.get(aid, {}).get("importance"),
                "evidence": ratings.get(aid, {}).get("evidence"),
                "kind": r.kind,
            }
            for aid, (r, *_boxes) in self.rows.items()
        ]
        return assumption_map(points, title="Your assumption map", kinds=list(KINDS))

    def feedback_for(self, ratings: Mapping[str, Mapping[str, Any]], pick: str | None):
        total = len(self.rows)
        msgs: list[Message] = []
        placed = same = 0
        for aid, (r, *_boxes) in self.rows.items():
            entry = ratings.get(aid)
            if not entry:
                continue
            imp, ev = entry.get("importance"), entry.get("evidence")
            msgs += judge(r, imp, ev)
            if imp is not None and ev is not None:
                placed += 1
                same += rk.quadrant(imp, ev) == rk.quadrant(r.importance, r.evidence)
        if pick or placed:
            msgs += judge_pick_messages(self.frame, ratings, pick)
        verdict = "not chosen yet"
        if pick:
            verdict = rk.judge_pick(list(self.reference.values()), pick).kind
        heading = (
            f"Placed {placed} of {total} · in the reference region: {same} · "
            f"test first: {pick or '—'} ({verdict})"
        )
        if not msgs:
            msgs = [Message("info", "Rate each assumption's importance and evidence.")]
        return heading, msgs

    def to_markdown(self, answer: Mapping[str, Any]) -> str:
        lines = []
        ratings = answer.get("ratings", {})
        for aid, entry in ratings.items():
            r = self.rows[aid][0] if aid in self.rows else None
            what = f"{aid} {r.statement}" if r is not None else aid
            imp, ev = entry.get("importance"), entry.get("evidence")
            ref = (
                f" (course's reference: importance {r.importance}, evidence {r.evidence})"
                if r is not None
                else ""
            )
            lines.append(f"- {what}: importance {imp or '?'}, evidence {ev or '?'}{ref}")
        pick = answer.get("test_first")
        if pick:
            top = next(iter(self.reference))
            lines += ["", f"Test first: {pick} (course's reference: {top})"]
        if answer.get("reflection", "").strip():
            lines += ["", "Reflection:", "", quote(answer["reflection"])]
        return "\n".join(lines) or "(nothing rated yet)"


# --- the static path on the page -------------------------------------------------------------
def reference_map() -> SvgFigure:
    """The reference map as a figure, for readers without a kernel."""
    frame = load_assumptions()
    points = [
        {
            "label": r.assumption_id,
            "name": r.short,
            "importance": r.importance,
            "evidence": r.evidence,
            "kind": r.kind,
        }
        for r in frame.itertuples(index=False)
    ]
    return assumption_map(points, title="The reference assumption map", kinds=list(KINDS))


def scales_html():
    """The course's two scales (:data:`pivot.frameworks.risk.IMPORTANCE_SCALE` and
    :data:`~pivot.frameworks.risk.EVIDENCE_SCALE`) as one accessible table, for the page."""
    from IPython.display import HTML

    rows = [(v, IMPORTANCE_MEANINGS[v], EVIDENCE_MEANINGS[v]) for v in RATINGS]
    return HTML(
        html_table(
            ["Rating", "Importance: if the assumption is wrong", "Evidence: what there is"],
            rows,
            caption="The course's scales for the assumption map.",
        )
    )


def reference_table() -> pd.DataFrame:
    """Every assumption in the reference order: rank, id, kind, importance, evidence, exposure,
    region, who tests it."""
    frame = load_assumptions().set_index("assumption_id")
    rows = []
    for r in reference_order():
        a = r.assumption
        rows.append(
            {
                "rank": r.rank,
                "assumption": f"{a.assumption_id} {frame.loc[a.assumption_id, 'short']}",
                "kind": a.kind,
                "importance": a.importance,
                "evidence": a.evidence,
                "exposure": r.exposure,
                "region": r.quadrant,
                "tested by": frame.loc[a.assumption_id, "tested_by"],
            }
        )
    return pd.DataFrame(rows).set_index("rank")


def answer_key_html() -> str:
    """Every assumption with the reference ratings, region, reasons and cheap test."""
    frame = load_assumptions().set_index("assumption_id")
    rows = []
    for r in reference_order():
        row = frame.loc[r.assumption.assumption_id]
        rows.append(
            (
                r.rank,
                f"{r.assumption.assumption_id} {row['statement']}",
                row["importance"],
                row["evidence"],
                f"{r.exposure}, {r.quadrant}",
                f"{row['importance_reason']} {row['evidence_reason']}",
                row["cheap_test"],
            )
        )
    return html_table(
        ["Rank", "Assumption", "Importance", "Evidence", "Exposure, region", "Why", "Cheap test"],
        rows,
        caption="The reference map: every assumption in the order to test it.",
        wide=("Why", "Cheap test"),
    )


def answer_key_markdown(prefix: str = "am") -> str:
    """The page's folded answer key as a Markdown table: every assumption in the reference
    order, with its statement, kind, reasons and cheap test from the data, and its rank,
    ratings and exposure as glue roles (``{glue:text}`am_a02_rank```) that
    ``tools/sync_prose.py`` turns into the numbers :func:`glue_reference` computes. The page
    holds this table (a test compares them), so a change to the data is a change to the page."""
    frame = load_assumptions().set_index("assumption_id")
    lines = [
        "| Rank | Id | Assumption | Kind | Importance | Evidence | Exposure | Why "
        "| Cheap test, and who runs it |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in reference_order():
        aid = r.assumption.assumption_id
        row = frame.loc[aid]

        def glued(field: str, aid: str = aid) -> str:
            return f"{{glue:text}}`{prefix}_{aid.lower()}_{field}`"

        who = "you" if row["tested_by"] == "You" else row["tested_by"]
        lines.append(
            f"| {glued('rank')} | {aid} | {row['statement']} | {row['kind']} "
            f"| {glued('importance')} | {glued('evidence')} | {glued('exposure')} "
            f"| {row['importance_reason']} {row['evidence_reason']} | {row['cheap_test']} ({who}) |"
        )
    return "\n".join(lines)


def glue_reference(prefix: str = "am") -> None:
    """Glue the numbers and ids the page's prose uses (``{prefix}_…``)."""
    from myst_nb import glue

    frame = load_assumptions()
    ranked = reference_order(frame)
    release = release_items()
    backlog = data.load("backlog").set_index("item_id")
    glue(f"{prefix}_n", len(frame), display=False)
    glue(f"{prefix}_release", ", ".join(release), display=False)
    glue(f"{prefix}_release_n", len(release), display=False)
    glue(f"{prefix}_capacity", f"{RELEASE_CAPACITY:g}", display=False)
    glue(f"{prefix}_b02_confidence", int(backlog.loc["B02", "confidence"]), display=False)
    interviews = data.load("interviews").set_index("snippet_id")
    a01 = frame.set_index("assumption_id").loc["A01", "evidence_refs"]
    cited = [ref for ref in a01 if ref in interviews.index]
    glue(f"{prefix}_a01_accounts", interviews.loc[cited, "customer_id"].nunique(), display=False)
    a05 = frame.set_index("assumption_id").loc["A05", "evidence_refs"]
    cited = [ref for ref in a05 if ref in interviews.index]
    glue(f"{prefix}_a05_accounts", interviews.loc[cited, "customer_id"].nunique(), display=False)
    glue(f"{prefix}_accounts", len(data.load("customers")), display=False)
    survey = data.load("opportunity_survey").set_index("outcome_id")
    glue(f"{prefix}_survey_n", int(survey.loc["O1", "respondents"]), display=False)
    for kind in KINDS:
        glue(f"{prefix}_kind_{kind}", int((frame["kind"] == kind).sum()), display=False)
    for region in ("test first", "important, some evidence", "less important"):
        key = region.split(",")[0].replace(" ", "_")
        glue(f"{prefix}_region_{key}", sum(r.quadrant == region for r in ranked), display=False)
    glue(f"{prefix}_top", ranked[0].assumption.assumption_id, display=False)
    glue(f"{prefix}_second", ranked[1].assumption.assumption_id, display=False)
    glue(f"{prefix}_top_exposure", ranked[0].exposure, display=False)
    glue(f"{prefix}_second_exposure", ranked[1].exposure, display=False)
    least = rk.exposure(rk.TEST_FIRST_IMPORTANCE, rk.TEST_FIRST_EVIDENCE)
    glue(f"{prefix}_min_test_first", least, display=False)
    for r in ranked:
        a = r.assumption
        low = a.assumption_id.lower()
        glue(f"{prefix}_{low}_importance", a.importance, display=False)
        glue(f"{prefix}_{low}_evidence", a.evidence, display=False)
        glue(f"{prefix}_{low}_exposure", r.exposure, display=False)
        glue(f"{prefix}_{low}_rank", r.rank, display=False)
