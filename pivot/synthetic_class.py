"""A synthetic class for the class view's tests, its benchmark and an instructor's rehearsal.

    from pivot.synthetic_class import write_class, add_damaged_files
    write_class("/tmp/demo-class", learners=60)   # 60 complete workbooks, seeded
    add_damaged_files("/tmp/demo-class")          # plus one file of each kind the view skips

Every workbook is written through the real :class:`pivot.workbook.Workbook` API (atomic saves,
one entry per exercise), as a learner's kernel would write it into ``PIVOT_WORKBOOK_DIR``. The
answers have the shapes the exercises save: each exercise of ``pivot.exercises`` is built once
with an in-memory workbook, its own ``answer()`` gives the shape and its ``to_markdown()`` the
summary, and the nine exercises the class view summarises get answers that vary from learner
to learner the way a real class's do (a seeded NumPy generator; the same seed always writes the
same files). The learners are called ``learner01`` … ``learner60``: no names.

The variation is invented for testing, not data about real learners: gut rankings lean towards
the loudest requests, the known traps of *problem or solution?* are missed more often, and
most experiment designs randomise technicians.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from . import workbook as wb

__all__ = ["DAMAGED_FILES", "SEED", "add_damaged_files", "learner_answers", "write_class"]

SEED = 20260613

#: The files :func:`add_damaged_files` writes, and why the class view must skip each.
DAMAGED_FILES: dict[str, str] = {
    "truncated.json": "cut off mid-write (not valid JSON)",
    "notes.json": "valid JSON, but not a Pivot workbook (a foreign file)",
    "future.json": "a Pivot workbook of a newer format version",
    "binary.json": "not UTF-8 text",
    "empty.json": "an empty file",
    "listtop.json": "JSON whose top level is a list",
}

_REFLECTIONS = (
    "The loudest request is not always the biggest problem.",
    "I would have answered the database question myself.",
    "I will ask what the customer does today before I propose anything.",
    "Writing the kill criterion first was harder than I expected.",
    "Our team argues about priorities because we never wrote down the estimates.",
)


def _exercises() -> dict[str, Any]:
    """One instance of every exercise, built on an in-memory workbook (for shapes, markdown)."""
    import pivot.exercises as ex

    out = {}
    for name in ex.__all__:
        cls = getattr(ex, name)
        out[cls.exercise_id] = cls(wb.Workbook(None))
    return out


def _plackett_luce(rng: np.random.Generator, items: list[str], weights: np.ndarray, k: int):
    """k items without replacement, each draw in proportion to the remaining weights."""
    w = np.asarray(weights, dtype=float).copy()
    picked = []
    for _ in range(min(k, len(items))):
        p = w / w.sum()
        i = int(rng.choice(len(items), p=p))
        picked.append(items[i])
        w[i] = 0.0
    return picked


class _Reference:
    """The course data the answers are drawn around (loaded once)."""

    def __init__(self) -> None:
        from . import data
        from .exercises.shift2.stakeholder_map import reference_placements
        from .exercises.shift4.decide import load_doors
        from .exercises.shift4.experiment import traffic
        from .exercises.shift4.pre_mortem import load_failures
        from .exercises.whose_risk import load_concerns
        from .frameworks import prioritization as p

        self.items = data.load("self_assessment")
        self.statements = data.load("problem_or_solution")
        self.snippets = data.load("interviews")
        self.pains = data.load("pain_point_reference").sort_values("reference_rank")
        self.stakeholders = reference_placements()
        backlog = data.load("backlog")
        self.backlog = backlog
        self.rice = p.score_backlog(backlog, "rice")
        self.concerns = load_concerns()
        self.failures = load_failures()
        self.units = traffic()
        self.doors = load_doors()


def learner_answers(rng: np.random.Generator, ref: _Reference) -> dict[str, dict[str, Any]]:
    """The answers of one learner to the nine exercises the class view summarises."""
    from .exercises.shift4.experiment import evaluate
    from .exercises.whose_risk import OWNERS_BY_RISK, PEOPLE, YOU
    from .frameworks import decisions as dc
    from .frameworks import stakeholders as sh

    out: dict[str, dict[str, Any]] = {}
    reflection = str(rng.choice(_REFLECTIONS))

    # start.self_assessment: engineers tend to rate soft skills lowest, "what, not how" highest
    level = {1: 2.9, 2: 2.4, 3: 3.4, 4: 2.8}
    offset = rng.normal(0, 0.5)
    ratings = {
        r.item_id: int(np.clip(round(rng.normal(level[r.shift] + offset, 0.8)), 1, 5))
        for r in ref.items.itertuples(index=False)
    }
    means = {s: float(np.mean([v for k, v in ratings.items() if k[1] == str(s)])) for s in level}
    out["start.self_assessment"] = {
        "ratings": ratings,
        "scores": {str(s): v for s, v in means.items()},
        "note": "",
    }

    # shift1.problem_or_solution: the requests phrased as needs and the technical problems trap
    traps = {"P03": 0.45, "P06": 0.55, "P14": 0.6, "P11": 0.7}
    labels = {}
    for s in ref.statements.itertuples(index=False):
        if rng.random() < 0.04:
            labels[s.statement_id] = ""
            continue
        right = rng.random() < traps.get(s.statement_id, 0.9)
        other = "problem" if s.label == "solution" else "solution"
        labels[s.statement_id] = s.label if right else other
    out["shift1.problem_or_solution"] = {"labels": labels, "reflection": reflection}

    # shift1.pain_point_map: codings near the reference, a top three with a loud distractor
    keys = list(ref.pains["pain_point"])
    coding = {}
    for s in ref.snippets.itertuples(index=False):
        if rng.random() < 0.15:
            continue
        key = s.pain_point if rng.random() < 0.8 else str(rng.choice(keys))
        if key == "none":  # coded as no pain point: no severity
            coding[s.snippet_id] = [key, None]
            continue
        base = int(s.severity) if str(s.severity).isdigit() else 3
        sev = int(np.clip(base + rng.integers(-1, 2), 1, 5))
        coding[s.snippet_id] = [key, sev]
    weights = np.array([8, 5, 3.5, 2, 4.5, 1, 0.8, 0.5])[: len(keys)]
    top = _plackett_luce(rng, keys, weights, 3)
    if rng.random() < 0.05:
        top[2] = ""
    out["shift1.pain_point_map"] = {
        "source": "course",
        "codings": {"course": coding, "own": {}},
        "own_notes": None,
        "top_three": top,
        "reflection": reflection,
    }

    # shift2.stakeholder_map: ratings near the reference, the strategy mostly following them
    placements = {}
    for r in ref.stakeholders.itertuples(index=False):
        if rng.random() < 0.08:
            continue
        power = int(np.clip(r.power + rng.integers(-1, 2) * (rng.random() < 0.45), 1, 5))
        interest = int(np.clip(r.interest + rng.integers(-1, 2) * (rng.random() < 0.45), 1, 5))
        own = sh.place(power, interest, 3).strategy
        strategy = own if rng.random() < 0.85 else str(rng.choice(list(sh.STRATEGIES.values())))
        placements[r.stakeholder_id] = {"power": power, "interest": interest, "strategy": strategy}
    out["shift2.stakeholder_map"] = {"placements": placements, "reflection": reflection}

    # shift3.prioritise_backlog: a gut top five leaning on RICE, with a pull towards the loud
    ids = list(ref.backlog["item_id"])
    rank = dict(zip(ref.rice["item_id"], ref.rice["rank"], strict=True))
    loud = {"B03": 9.0, "B04": 3.0, "B11": 2.5}
    w = np.array([math.exp(-rank[i] / 5) * 10 + loud.get(i, 0) + 0.15 for i in ids])
    picks = _plackett_luce(rng, ids, w, 5)
    if rng.random() < 0.05:
        picks[4] = ""
    out["shift3.prioritise_backlog"] = {
        "picks": picks,
        "method": "wsjf" if rng.random() < 0.3 else "rice",
        "item": "",
        "overrides": {},
        "reflection": reflection,
    }

    # shift3.whose_risk: risks mostly right; the person is often the one who raised it
    choices = {}
    for r in ref.concerns.itertuples(index=False):
        risk = r.risk if rng.random() < 0.72 else str(rng.choice(list(OWNERS_BY_RISK)))
        roll = rng.random()
        who = r.answered_by if roll < 0.6 else (r.speaker if roll < 0.85 else YOU)
        if rng.random() < 0.05:
            risk = ""
        choices[r.concern_id] = [risk, who]
    out["shift3.whose_risk"] = {"choices": choices, "reflection": reflection}

    # shift4.pre_mortem: three to six reasons; usability and viability are often left out
    kinds = ["value", "usability", "feasibility", "viability"]
    kind_p = np.array([0.36, 0.14, 0.36, 0.14])
    reasons = list(ref.failures.itertuples(index=False))
    rows = []
    for k in range(8):
        if k >= int(rng.integers(3, 7)):
            rows.append(
                {
                    "reason": "",
                    "kind": None,
                    "likelihood": None,
                    "impact": None,
                    "owner": None,
                    "next_step": "",
                    "probability": "",
                    "cost": "",
                }
            )
            continue
        kind = str(rng.choice(kinds, p=kind_p))
        same = [f for f in reasons if f.kind == kind] or reasons
        f = same[int(rng.integers(len(same)))]
        owner = str(rng.choice(OWNERS_BY_RISK[kind])) if rng.random() < 0.8 else None
        if owner is not None and rng.random() < 0.15:
            owner = str(rng.choice(list(PEOPLE)))
        rows.append(
            {
                "reason": f.reason,
                "kind": kind,
                "likelihood": int(np.clip(f.likelihood + rng.integers(-1, 2), 1, 5)),
                "impact": int(np.clip(f.impact + rng.integers(-1, 2), 1, 5)),
                "owner": owner,
                "next_step": f.next_step if rng.random() < 0.8 else "",
                "probability": "",
                "cost": "",
            }
        )
    out["shift4.pre_mortem"] = {"rows": rows, "reflection": reflection}

    # shift4.experiment_design: mostly technicians; effects from 2 to 8 points
    unit = str(rng.choice(["U2", "U1", "U3"], p=[0.7, 0.2, 0.1]))
    base = ref.units[unit]["baseline_rate"] * 100
    mde = float(rng.choice([m for m in (-2.0, -3.0, -5.0, -5.0, -8.0) if base + 1.5 * m > 0]))
    alpha = 0.05 if rng.random() < 0.85 else 0.01
    power = 0.8 if rng.random() < 0.7 else 0.9
    design: dict[str, Any] = {
        "hypothesis": "If technicians are told when a job moves, fewer will miss a moved job.",
        "metric": ref.units[unit]["metric"],
        "success": f"the share falls by at least {abs(mde):g} points",
        "kill": "the share falls by less than 1 point",
        "unit": unit,
        "baseline": base / 100,
        "mde": mde / 100,
        "alpha": alpha,
        "power": power,
        "horizon": 40,
        "looks": 10,
        "method": "pooled",
        "reflection": reflection,
    }
    result = evaluate(base, mde, alpha=alpha, power=power, unit=ref.units[unit], horizon=40)
    if "error" not in result:
        design.update(
            n_per_group=result["size"].n_control,
            total=result["size"].total,
            days=result["run"].days,
            enrolment_days=result["run"].enrolment_days,
            follow_up_days=result["run"].follow_up_days,
            feasible=result["run"].feasible,
            reason=result["run"].reason,
        )
    out["shift4.experiment_design"] = design

    # shift4.read_and_decide: criteria locked, a decision (mostly the rule's), the doors
    success, kill = abs(mde), 1.0
    decision = str(rng.choice(dc.DECISIONS))
    try:  # most learners follow the rule under their own criteria; some ship anyway
        from .exercises.shift4.decide import design_for

        class _Book:
            notices: tuple = ()

            def get(self, exercise_id):
                return design if exercise_id == "shift4.experiment_design" else None

        d, _notes = design_for(_Book())
        sim = dc.simulate_result(d["baseline"], d["mde"], d["n_per_group"])
        rule = dc.rule_decision(
            sim.result, dc.Criteria.make(success / 100, kill / 100), lower_is_better=d["mde"] < 0
        )
        if rng.random() < 0.7:
            decision = rule
        elif rule != "ship" and rng.random() < 0.6:
            decision = "ship"
    except Exception:  # a design the rule cannot read keeps its random decision
        pass
    doors = {}
    for d in ref.doors:
        if rng.random() < 0.06:
            continue
        right = rng.random() < (0.6 if d["decision_id"] in ("D05", "D06") else 0.85)
        other = "two_way" if d["door"] == "one_way" else "one_way"
        doors[d["decision_id"]] = d["door"] if right else other
    locked = None if rng.random() < 0.05 else {"success": success, "kill": kill}
    moved = locked is not None and rng.random() < 0.1  # criteria changed after the result
    out["shift4.read_and_decide"] = {
        "criteria": {"success": success, "kill": 0.0 if moved else kill},
        "locked": locked,
        "decision": decision if locked is not None else None,
        "doors": doors,
        "reflection": reflection,
    }
    return out


def write_class(
    folder: str | Path, learners: int = 60, *, seed: int = SEED, complete: bool = True
) -> list[Path]:
    """Write ``learners`` workbooks (``learner01.json`` …) into ``folder``; returns their paths.

    With ``complete`` every exercise of ``pivot.exercises`` is saved (those the class view does
    not summarise with the exercise's own starting answer and a reflection); otherwise only the
    nine it summarises. Seeded: the same arguments always give the same answers.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    ref = _Reference()
    instances = _exercises()
    paths = []
    width = max(2, len(str(learners)))
    for k in range(1, learners + 1):
        path = folder / f"learner{k:0{width}d}.json"
        book = wb.Workbook(path)
        answers = learner_answers(rng, ref)
        for exercise_id, instance in instances.items():
            answer = answers.get(exercise_id)
            if answer is not None:  # every field the exercise saves, the varied ones drawn
                answer = {**instance.answer(), **answer}
            else:
                if not complete:
                    continue
                answer = dict(instance.answer())
                if "reflection" in answer:
                    answer["reflection"] = str(rng.choice(_REFLECTIONS))
            try:
                markdown = instance.to_markdown(answer)
            except Exception:  # a summary the exercise cannot write is not the point here
                markdown = ""
            result = book.save(exercise_id, answer, title=instance.title, markdown=markdown)
            if not result.ok:
                raise OSError(result.message)
        paths.append(path)
    return paths


def add_damaged_files(folder: str | Path) -> dict[str, str]:
    """Write one file of each kind the class view must report and skip (see
    :data:`DAMAGED_FILES`), plus a leftover temporary file and a lock file it must ignore."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    good = {"format": wb.FORMAT, "version": wb.VERSION, "exercises": {}}
    text = json.dumps(good)
    (folder / "truncated.json").write_text(text[: len(text) // 2], encoding="utf-8")
    (folder / "notes.json").write_text(json.dumps({"todo": ["bring snacks"]}), encoding="utf-8")
    newer = dict(good, version=wb.VERSION + 1)
    (folder / "future.json").write_text(json.dumps(newer), encoding="utf-8")
    (folder / "binary.json").write_bytes(b"\xff\xfe\x00garbage\x80")
    (folder / "empty.json").write_bytes(b"")
    (folder / "listtop.json").write_text("[1, 2, 3]", encoding="utf-8")
    (folder / ".learner01.json.abc123.tmp").write_text("{", encoding="utf-8")
    (folder / ".learner01.json.lock").write_text("", encoding="utf-8")
    return dict(DAMAGED_FILES)


def entry_answers(path: str | Path) -> Mapping[str, Any]:
    """The answers in one written workbook, read without the Workbook class (for tests)."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return {k: v.get("answer") for k, v in doc["exercises"].items()}
