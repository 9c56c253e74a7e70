"""A branching scenario kept as data: nodes, the choices at each, and where each choice leads.

Pure Python, no widgets. A scenario is a tree of decision points (or a directed graph without
cycles: two choices may lead to the same node). Each :class:`Node` holds the situation text and
either its :class:`Choice` list (a decision point) or an ``outcome`` (an ending). Each choice
says what the learner does, its ``kind`` (:data:`KINDS`), its ``consequence`` (what happens next)
and ``why`` (the reason it plays out that way), the node it leads to (``next``) and a ``score``
(−2 harmful … +2 strong) that ranks whole paths.

:func:`validate` lists every problem, each naming the node, the choice and the field:

- the scenario has at least one node; ids (of nodes, and of choices across the scenario) are
  unique; the start node exists;
- every choice's ``next`` is a node; every node is reachable from the start;
- every path ends: no cycles, and no dead ends (a node without choices must be an ending,
  with an ``outcome``; an ending has no choices);
- texts are not blank, kinds are known, scores are whole numbers.

:func:`paths` enumerates every path from the start to an ending, :func:`stronger_paths` the
best-scoring ones, and :func:`replay` plays a saved list of choice ids back, keeping the longest
valid prefix (an empty list is the start: the learner has not chosen yet).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "KINDS",
    "WEAK_KINDS",
    "Choice",
    "Node",
    "Path",
    "Replay",
    "Scenario",
    "ScenarioError",
    "ScenarioProblem",
    "check",
    "from_rows",
    "paths",
    "replay",
    "stronger_paths",
    "validate",
]

#: The kinds of response a choice can be, with how the course names them.
KINDS: dict[str, str] = {
    "retreat": "retreat",
    "attack": "attack",
    "evidence": "assert with evidence",
    "question": "ask a question",
    "writing": "follow up in writing",
    "commit": "disagree and commit",
    "relitigate": "reopen a decision already made",
    "undermine": "agree in the room, resist outside it",
}
#: The kinds that are weak moves in a meeting: every decision point offers one beside a stronger
#: move, and none lies on a strongest path.
WEAK_KINDS = ("retreat", "attack", "relitigate", "undermine")
#: Lowest and highest score a choice may carry.
SCORE_RANGE = (-2, 2)


@dataclass(frozen=True)
class Choice:
    """One response at a decision point."""

    choice_id: str
    text: str
    kind: str
    consequence: str
    why: str
    next: str
    score: int = 0


@dataclass(frozen=True)
class Node:
    """A decision point (with ``choices``) or an ending (with an ``outcome``)."""

    node_id: str
    text: str
    choices: tuple[Choice, ...] = ()
    outcome: str = ""
    title: str = ""

    @property
    def is_end(self) -> bool:
        return not self.choices


@dataclass(frozen=True)
class Scenario:
    """Nodes in reading order; the first is the start unless ``start`` names another."""

    nodes: tuple[Node, ...]
    start: str = ""

    @property
    def start_id(self) -> str:
        if self.start:
            return self.start
        return self.nodes[0].node_id if self.nodes else ""

    def node(self, node_id: str) -> Node:
        for n in self.nodes:
            if n.node_id == node_id:
                return n
        raise KeyError(node_id)

    def choice(self, choice_id: str) -> tuple[Node, Choice]:
        """The choice with this id and the node it belongs to."""
        for n in self.nodes:
            for c in n.choices:
                if c.choice_id == choice_id:
                    return n, c
        raise KeyError(choice_id)

    @property
    def endings(self) -> list[Node]:
        return [n for n in self.nodes if n.is_end]


@dataclass(frozen=True)
class ScenarioProblem:
    """One thing wrong with a scenario, located by node, choice and field."""

    message: str
    node: str | None = None
    choice: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = []
        if self.node is not None:
            where.append(f"node {self.node!r}")
        if self.choice is not None:
            where.append(f"choice {self.choice!r}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        return (", ".join(where) + ": " if where else "") + self.message


class ScenarioError(ValueError):
    """The scenario cannot be played; :attr:`problems` lists every reason found."""

    def __init__(self, problems: Sequence[ScenarioProblem]):
        self.problems = list(problems)
        if len(self.problems) == 1:
            text = str(self.problems[0])
        else:
            text = f"{len(self.problems)} problems found:\n" + "\n".join(
                f"- {p}" for p in self.problems
            )
        super().__init__(text)


# --- validation -------------------------------------------------------------------------------
def _blank(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


def _field_problems(scenario: Scenario) -> list[ScenarioProblem]:
    found: list[ScenarioProblem] = []
    seen_nodes: set[str] = set()
    seen_choices: dict[str, str] = {}
    for n in scenario.nodes:
        nid = n.node_id
        if _blank(nid):
            found.append(ScenarioProblem("a node id must not be blank", field="node_id"))
        elif nid in seen_nodes:
            found.append(ScenarioProblem("the id is used by another node", nid, field="node_id"))
        seen_nodes.add(nid)
        if _blank(n.text):
            found.append(ScenarioProblem("the situation text is blank", nid, field="text"))
        if n.is_end and _blank(n.outcome):
            found.append(
                ScenarioProblem(
                    "a dead end: the node has no choices and no outcome (give it choices, "
                    "or make it an ending with an outcome)",
                    nid,
                    field="outcome",
                )
            )
        if not n.is_end and not _blank(n.outcome):
            found.append(
                ScenarioProblem(
                    "a node with choices cannot also be an ending: remove the outcome or the "
                    "choices",
                    nid,
                    field="outcome",
                )
            )
        for c in n.choices:
            cid = c.choice_id
            if _blank(cid):
                found.append(
                    ScenarioProblem("a choice id must not be blank", nid, field="choice_id")
                )
            elif cid in seen_choices:
                found.append(
                    ScenarioProblem(
                        f"the id is already used by a choice of node {seen_choices[cid]!r}",
                        nid,
                        cid,
                        "choice_id",
                    )
                )
            else:
                seen_choices[cid] = nid
            for name in ("text", "consequence", "why"):
                if _blank(getattr(c, name)):
                    found.append(ScenarioProblem("must not be blank", nid, cid, name))
            if c.kind not in KINDS:
                found.append(
                    ScenarioProblem(
                        f"got {c.kind!r}, expected one of {', '.join(KINDS)}", nid, cid, "kind"
                    )
                )
            low, high = SCORE_RANGE
            if isinstance(c.score, bool) or not isinstance(c.score, int):
                found.append(
                    ScenarioProblem(f"got {c.score!r}, expected a whole number", nid, cid, "score")
                )
            elif not low <= c.score <= high:
                found.append(
                    ScenarioProblem(
                        f"got {c.score}, expected a whole number from {low} to {high}",
                        nid,
                        cid,
                        "score",
                    )
                )
    return found


def validate(scenario: Scenario) -> list[ScenarioProblem]:
    """Every problem that stops ``scenario`` being played; an empty list when it is sound."""
    if not scenario.nodes:
        return [ScenarioProblem("the scenario has no nodes")]
    found = _field_problems(scenario)
    ids: dict[str, Node] = {}
    for n in scenario.nodes:
        ids.setdefault(n.node_id, n)  # the first of duplicates wins from here on
    for n in scenario.nodes:
        for c in n.choices:
            if c.next not in ids:
                found.append(
                    ScenarioProblem(
                        f"{c.next!r} is not a node of the scenario", n.node_id, c.choice_id, "next"
                    )
                )
    start = scenario.start_id
    if start not in ids:
        found.append(ScenarioProblem(f"{start!r} is not a node of the scenario", field="start"))
        return found

    # Depth-first from the start: reachability and cycles (a "next" back onto the current path).
    reached: set[str] = set()
    done: set[str] = set()
    reported: set[tuple[str, str]] = set()

    def visit(node_id: str, trail: list[str]) -> None:
        reached.add(node_id)
        trail.append(node_id)
        for c in ids[node_id].choices:
            if c.next not in ids:
                continue
            if c.next in trail:
                key = (node_id, c.choice_id)
                if key not in reported:
                    reported.add(key)
                    loop = " → ".join([*trail[trail.index(c.next) :], c.next])
                    found.append(
                        ScenarioProblem(
                            f"leads back to {c.next!r}, a cycle ({loop}): this path never ends",
                            node_id,
                            c.choice_id,
                            "next",
                        )
                    )
            elif c.next not in done:
                visit(c.next, trail)
        trail.pop()
        done.add(node_id)

    visit(start, [])
    for n in scenario.nodes:
        if n.node_id in ids and n.node_id not in reached and ids[n.node_id] is n:
            found.append(
                ScenarioProblem(
                    f"unreachable: no path from the start ({start!r}) leads here",
                    n.node_id,
                    field="node_id",
                )
            )
    return found


def check(scenario: Scenario) -> Scenario:
    """``scenario`` if it is sound; else :class:`ScenarioError` listing every problem."""
    problems = validate(scenario)
    if problems:
        raise ScenarioError(problems)
    return scenario


# --- building from table rows -------------------------------------------------------------------
def from_rows(rows: Iterable[Mapping[str, object]]) -> Scenario:
    """A checked scenario from table rows (e.g. ``DataFrame.to_dict("records")``).

    A row with a blank ``choice_id`` is a node (``node_id``, ``title``, ``text``, ``outcome``);
    a row with a ``choice_id`` is a choice of the node ``node_id`` (``text``, ``kind``,
    ``consequence``, ``why``, ``next``, ``score``). Nodes keep the order of their first row, the
    first node is the start, and choices keep their row order.
    """

    def text(row: Mapping[str, object], name: str) -> str:
        value = row.get(name)
        return "" if value is None or value != value else str(value).strip()  # NaN → ""

    order: list[str] = []
    node_rows: dict[str, list[Mapping[str, object]]] = {}
    choice_rows: dict[str, list[Mapping[str, object]]] = {}
    problems: list[ScenarioProblem] = []
    for row in rows:
        nid = text(row, "node_id")
        if nid not in order:
            order.append(nid)
        if text(row, "choice_id"):
            choice_rows.setdefault(nid, []).append(row)
        else:
            node_rows.setdefault(nid, []).append(row)
    nodes = []
    for nid in order:
        heads = node_rows.get(nid, [])
        if not heads:
            problems.append(
                ScenarioProblem(
                    "has choices but no row of its own (a row without a choice_id)",
                    nid,
                    field="choice_id",
                )
            )
            continue
        for _extra in heads[1:]:
            problems.append(ScenarioProblem("the id is used by another node", nid, field="node_id"))
        head = heads[0]
        choices = []
        for r in choice_rows.get(nid, []):
            raw = r.get("score")
            score: object = raw
            if isinstance(raw, float) and raw.is_integer():
                score = int(raw)
            elif isinstance(raw, str):
                try:
                    score = int(raw.strip())
                except ValueError:
                    score = raw
            elif raw is None or raw != raw:
                score = 0
            choices.append(
                Choice(
                    text(r, "choice_id"),
                    text(r, "text"),
                    text(r, "kind"),
                    text(r, "consequence"),
                    text(r, "why"),
                    text(r, "next"),
                    score,  # type: ignore[arg-type]
                )
            )
        nodes.append(
            Node(
                nid, text(head, "text"), tuple(choices), text(head, "outcome"), text(head, "title")
            )
        )
    scenario = Scenario(tuple(nodes))
    problems += validate(scenario)
    if problems:
        raise ScenarioError(problems)
    return scenario


# --- paths -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Path:
    """A way through the scenario: the choice ids taken, in order, and the ending reached."""

    choices: tuple[str, ...]
    end: str
    score: int

    def __len__(self) -> int:
        return len(self.choices)


def paths(scenario: Scenario) -> list[Path]:
    """Every path from the start to an ending, in the data's order (depth first).

    The scenario is checked first (:func:`check`), so the enumeration always terminates.
    """
    check(scenario)
    found: list[Path] = []

    def walk(node: Node, taken: tuple[str, ...], score: int) -> None:
        if node.is_end:
            found.append(Path(taken, node.node_id, score))
            return
        for c in node.choices:
            walk(scenario.node(c.next), (*taken, c.choice_id), score + c.score)

    walk(scenario.node(scenario.start_id), (), 0)
    return found


def path_score(scenario: Scenario, choice_ids: Sequence[str]) -> int:
    """The sum of the scores of the choices taken."""
    return sum(scenario.choice(cid)[1].score for cid in choice_ids)


def stronger_paths(scenario: Scenario, than: Path | None = None) -> list[Path]:
    """The best-scoring paths (every path at the highest total score), in the data's order.

    With ``than``, the paths that score higher than that one instead, best first (empty when
    ``than`` is already among the best).
    """
    every = paths(scenario)
    if than is not None:
        better = [p for p in every if p.score > than.score]
        return sorted(better, key=lambda p: -p.score)
    top = max(p.score for p in every)
    return [p for p in every if p.score == top]


# --- replaying a saved path ----------------------------------------------------------------
@dataclass(frozen=True)
class Replay:
    """Where a list of choice ids leads: the valid prefix, the node reached, what was dropped."""

    choices: tuple[str, ...]
    node: str
    dropped: tuple[str, ...] = field(default=())

    @property
    def message(self) -> str:
        if not self.dropped:
            return ""
        shown = ", ".join(repr(d) for d in self.dropped[:5])
        more = f" and {len(self.dropped) - 5} more" if len(self.dropped) > 5 else ""
        kept = len(self.choices)
        return (
            f"Your saved path did not fit the scenario from step {kept + 1} on; it was trimmed "
            f"to its first {kept} step(s) (dropped: {shown}{more})."
        )


def replay(scenario: Scenario, saved: object) -> Replay:
    """Play ``saved`` (a list of choice ids) from the start and keep its longest valid prefix.

    Anything else (not a list, an entry that is not text, a choice that does not belong to the
    node reached, steps beyond an ending) is dropped from that point on. ``[]`` is the start.
    """
    check(scenario)
    node = scenario.node(scenario.start_id)
    if not isinstance(saved, (list, tuple)):
        dropped = () if saved is None else (_short(saved),)
        return Replay((), node.node_id, dropped)
    kept: list[str] = []
    for i, cid in enumerate(saved):
        match = next((c for c in node.choices if isinstance(cid, str) and c.choice_id == cid), None)
        if match is None:
            return Replay(tuple(kept), node.node_id, tuple(_short(x) for x in saved[i:]))
        kept.append(match.choice_id)
        node = scenario.node(match.next)
    return Replay(tuple(kept), node.node_id)


def _short(value: object, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
