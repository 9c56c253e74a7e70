"""pivot.frameworks.scenario: validation of a branching scenario, path enumeration, replay.

Every scenario here is made by hand and its paths worked out by hand in the comments."""

from __future__ import annotations

import math

import pytest

from pivot.frameworks import scenario as sc


def C(cid, nxt, score=0, kind="evidence"):
    return sc.Choice(cid, f"say {cid}", kind, f"{cid} happens", f"because {cid}", nxt, score)


def N(nid, *choices, outcome=""):
    return sc.Node(nid, f"situation {nid}", tuple(choices), outcome, nid.title())


def end(nid):
    return N(nid, outcome=f"outcome of {nid}")


# S ─a(−1)→ A (end)
#   └b(+1)→ B ─c(+2)→ C (end)
#              └d(0)→ D (end)
# Paths, by hand: [a] → A, score −1; [b, c] → C, score 3; [b, d] → D, score 1.
SMALL = sc.Scenario(
    (N("S", C("a", "A", -1), C("b", "B", 1)), end("A"), N("B", C("c", "C", 2), C("d", "D")),
     end("C"), end("D"))
)  # fmt: skip


def problems(s):
    return [str(p) for p in sc.validate(s)]


def only(s):
    found = sc.validate(s)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


# --- a sound scenario -----------------------------------------------------------------------
def test_a_sound_scenario_has_no_problems():
    assert sc.validate(SMALL) == []
    assert sc.check(SMALL) is SMALL


def test_paths_of_the_small_tree_by_hand():
    assert [(p.choices, p.end, p.score) for p in sc.paths(SMALL)] == [
        (("a",), "A", -1),
        (("b", "c"), "C", 3),
        (("b", "d"), "D", 1),
    ]


def test_stronger_paths_are_the_best_scoring_and_those_above_a_given_path():
    assert [p.choices for p in sc.stronger_paths(SMALL)] == [("b", "c")]
    weak = sc.Path(("a",), "A", -1)
    assert [p.choices for p in sc.stronger_paths(SMALL, than=weak)] == [("b", "c"), ("b", "d")]
    best = sc.Path(("b", "c"), "C", 3)
    assert sc.stronger_paths(SMALL, than=best) == []


def test_ties_at_the_top_are_all_returned_in_data_order():
    s = sc.Scenario((N("S", C("a", "A", 2), C("b", "B", 2), C("c", "A", 1)), end("A"), end("B")))
    assert [p.choices for p in sc.stronger_paths(s)] == [("a",), ("b",)]


def test_two_choices_may_lead_to_the_same_node_and_each_path_is_counted():
    # S ─a→ M, S ─b→ M, M ─c→ E: two paths, [a, c] and [b, c]; no cycle.
    s = sc.Scenario((N("S", C("a", "M"), C("b", "M")), N("M", C("c", "E")), end("E")))
    assert sc.validate(s) == []
    assert [p.choices for p in sc.paths(s)] == [("a", "c"), ("b", "c")]


def test_a_start_that_is_an_ending_has_one_empty_path():
    s = sc.Scenario((end("S"),))
    assert [(p.choices, p.end, p.score) for p in sc.paths(s)] == [((), "S", 0)]


def test_path_score_sums_the_choice_scores():
    assert sc.path_score(SMALL, ["b", "c"]) == 3
    assert sc.path_score(SMALL, []) == 0


# --- broken scenarios: each problem names the node, the choice and the field ----------------
def test_empty_scenario():
    assert problems(sc.Scenario(())) == ["the scenario has no nodes"]
    with pytest.raises(sc.ScenarioError, match="no nodes"):
        sc.paths(sc.Scenario(()))
    with pytest.raises(sc.ScenarioError):
        sc.replay(sc.Scenario(()), [])


def test_cycle_is_found_and_named():
    # S ─a→ X ─b→ S: the path S, X, S, … never ends.
    s = sc.Scenario((N("S", C("a", "X")), N("X", C("b", "S"), C("e", "E")), end("E")))
    p = only(s)
    assert (p.node, p.choice, p.field) == ("X", "b", "next")
    assert "cycle" in p.message and "S → X → S" in p.message
    with pytest.raises(sc.ScenarioError, match="cycle"):
        sc.paths(s)


def test_a_choice_that_leads_back_to_its_own_node_is_a_cycle():
    s = sc.Scenario((N("S", C("a", "S"), C("b", "E")), end("E")))
    p = only(s)
    assert (p.node, p.choice, p.field) == ("S", "a", "next")


def test_a_longer_cycle_deep_in_the_tree():
    # S → A → B → C → A: the back edge is C's choice.
    s = sc.Scenario(
        (N("S", C("s", "A")), N("A", C("a", "B")), N("B", C("b", "C"), C("x", "E")),
         N("C", C("c", "A")), end("E"))
    )  # fmt: skip
    p = only(s)
    assert (p.node, p.choice) == ("C", "c") and "A → B → C → A" in p.message


def test_dead_end_a_node_with_no_choices_and_no_outcome():
    s = sc.Scenario((N("S", C("a", "A"), C("b", "B")), end("A"), N("B")))
    p = only(s)
    assert (p.node, p.choice, p.field) == ("B", None, "outcome")
    assert "dead end" in p.message
    assert str(p).startswith("node 'B', field 'outcome': a dead end")


def test_an_ending_with_choices_is_refused():
    s = sc.Scenario((N("S", C("a", "E"), outcome="done"), end("E")))
    p = only(s)
    assert (p.node, p.field) == ("S", "outcome")


def test_unreachable_node():
    s = sc.Scenario((N("S", C("a", "A")), end("A"), end("Z")))
    p = only(s)
    assert (p.node, p.field) == ("Z", "node_id") and "unreachable" in p.message


def test_unreachable_island_with_its_own_cycle_is_reported_as_unreachable():
    s = sc.Scenario((N("S", C("a", "A")), end("A"), N("X", C("x", "Y")), N("Y", C("y", "X"))))
    found = {(p.node, p.field) for p in sc.validate(s)}
    assert found == {("X", "node_id"), ("Y", "node_id")}


def test_missing_next():
    s = sc.Scenario((N("S", C("a", "A"), C("b", "NOPE")), end("A")))
    p = only(s)
    assert (p.node, p.choice, p.field) == ("S", "b", "next")
    assert "'NOPE' is not a node" in p.message


def test_duplicate_node_id():
    s = sc.Scenario((N("S", C("a", "A")), end("A"), end("A")))
    p = only(s)
    assert (p.node, p.field) == ("A", "node_id") and "another node" in p.message


def test_duplicate_choice_id_across_nodes():
    s = sc.Scenario((N("S", C("a", "B")), N("B", C("a", "E")), end("E")))
    p = only(s)
    assert (p.node, p.choice, p.field) == ("B", "a", "choice_id")
    assert "node 'S'" in p.message


def test_start_that_is_not_a_node():
    s = sc.Scenario((N("S", C("a", "A")), end("A")), start="X")
    assert any(p.field == "start" and "'X'" in p.message for p in sc.validate(s))


@pytest.mark.parametrize(
    ("choice", "field", "expected"),
    [
        (sc.Choice("a", "say", "shout", "c", "w", "A", 0), "kind", "got 'shout'"),
        (sc.Choice("a", "say", "attack", "c", "w", "A", 3), "score", "from -2 to 2"),
        (sc.Choice("a", "say", "attack", "c", "w", "A", True), "score", "whole number"),
        (sc.Choice("a", "say", "attack", "c", "w", "A", math.nan), "score", "whole number"),
        (sc.Choice("a", " ", "attack", "c", "w", "A", 0), "text", "blank"),
        (sc.Choice("a", "say", "attack", "", "w", "A", 0), "consequence", "blank"),
        (sc.Choice("a", "say", "attack", "c", None, "A", 0), "why", "blank"),
    ],
)
def test_field_problems_name_node_choice_and_field(choice, field, expected):
    s = sc.Scenario((N("S", choice), end("A")))
    p = only(s)
    assert (p.node, p.choice, p.field) == ("S", "a", field)
    assert expected in p.message


def test_every_problem_is_listed_at_once():
    s = sc.Scenario((N("S", C("a", "NOPE"), C("b", "B")), N("B"), end("Z")))
    with pytest.raises(sc.ScenarioError) as caught:
        sc.check(s)
    err = caught.value
    assert {(p.node, p.field) for p in err.problems} == {
        ("S", "next"),
        ("B", "outcome"),
        ("Z", "node_id"),
    }
    assert str(err).startswith("3 problems found:")


# --- from table rows ------------------------------------------------------------------------
def row(nid, cid="", **kw):
    return {"node_id": nid, "choice_id": cid, **kw}


GOOD_ROWS = [
    row("S", title="Start", text="the start"),
    row("S", "a", text="say a", kind="question", consequence="c", why="w", next="E", score=2.0),
    row("S", "b", text="say b", kind="retreat", consequence="c", why="w", next="E", score="-1"),
    row("E", title="End", text="the end", outcome="done", score=math.nan),
]


def test_from_rows_builds_nodes_in_order_with_their_choices():
    s = sc.from_rows(GOOD_ROWS)
    assert [n.node_id for n in s.nodes] == ["S", "E"]
    assert [(c.choice_id, c.score) for c in s.node("S").choices] == [("a", 2), ("b", -1)]
    assert s.node("E").outcome == "done" and s.node("S").title == "Start"


def test_from_rows_a_choice_of_a_node_without_its_own_row():
    rows = [*GOOD_ROWS, row("X", "x", text="t", kind="attack", consequence="c", why="w", next="E")]
    with pytest.raises(sc.ScenarioError) as caught:
        sc.from_rows(rows)
    err = caught.value
    assert any(p.node == "X" and p.field == "choice_id" for p in err.problems)


def test_from_rows_duplicate_node_rows():
    with pytest.raises(sc.ScenarioError) as caught:
        sc.from_rows([*GOOD_ROWS, row("E", text="again")])
    err = caught.value
    assert any(p.node == "E" and p.field == "node_id" for p in err.problems)


def test_from_rows_a_score_that_is_not_a_number():
    rows = [*GOOD_ROWS]
    rows[1] = {**rows[1], "score": "high"}
    with pytest.raises(sc.ScenarioError) as caught:
        sc.from_rows(rows)
    err = caught.value
    assert [(p.node, p.choice, p.field) for p in err.problems] == [("S", "a", "score")]


def test_from_rows_empty():
    with pytest.raises(sc.ScenarioError, match="no nodes"):
        sc.from_rows([])


# --- replaying a saved path ------------------------------------------------------------------
def test_replay_of_an_empty_path_is_the_start():
    r = sc.replay(SMALL, [])
    assert (r.choices, r.node, r.dropped, r.message) == ((), "S", (), "")


def test_replay_of_a_full_path_reaches_the_ending():
    r = sc.replay(SMALL, ["b", "d"])
    assert (r.choices, r.node, r.message) == (("b", "d"), "D", "")


@pytest.mark.parametrize(
    ("saved", "kept", "node", "dropped"),
    [
        (["b", "zz", "c"], ("b",), "B", ("zz", "c")),  # an unknown choice: trimmed there
        (["c"], (), "S", ("c",)),  # a real choice, but of another node
        (["a", "b"], ("a",), "A", ("b",)),  # steps beyond an ending
        (["b", 3, None], ("b",), "B", ("3", "None")),  # entries that are not text
        ("b", (), "S", ("b",)),  # not a list
        ({"b": 1}, (), "S", ("{'b': 1}",)),
        (None, (), "S", ()),
    ],
)
def test_replay_keeps_the_longest_valid_prefix(saved, kept, node, dropped):
    r = sc.replay(SMALL, saved)
    assert (r.choices, r.node, r.dropped) == (kept, node, dropped)
    if dropped:
        assert f"step {len(kept) + 1}" in r.message and "trimmed" in r.message


def test_replay_message_shortens_long_entries():
    r = sc.replay(SMALL, ["x" * 1000] * 50)
    assert len(r.message) < 400 and "45 more" in r.message
