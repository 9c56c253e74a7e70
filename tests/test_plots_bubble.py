"""The bubble chart and the opportunity solution tree: what they plot, alt text, escaping."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET

import pytest

from pivot import plots

SVG = "{http://www.w3.org/2000/svg}"
POINTS = [
    {"label": "big & loud", "x": 4, "y": 2.5, "size": 8},
    {"label": "costly", "x": 6, "y": 4.5, "size": 6},
    {"label": "rare", "x": 1, "y": 5, "size": 1},
]


def test_bubbles_sit_at_their_values_with_area_proportional_to_size():
    fig = plots.bubble_chart(POINTS, alt="A bubble chart", x_range=(0, 7), y_range=(1, 5))
    left, top, pw, ph = fig.data["plot_box"]
    drawn = fig.data["points"]
    assert [p["label"] for p in drawn] == ["big & loud", "costly", "rare"]
    for p in drawn:
        assert p["cx"] == pytest.approx(left + pw * p["x"] / 7)
        assert p["cy"] == pytest.approx(top + ph * (1 - (p["y"] - 1) / 4))
    # area ∝ size: r² ratios equal size ratios
    assert drawn[1]["r"] ** 2 / drawn[0]["r"] ** 2 == pytest.approx(6 / 8)
    assert drawn[2]["r"] ** 2 / drawn[0]["r"] ** 2 == pytest.approx(1 / 8)
    # higher severity is drawn higher up
    assert drawn[2]["cy"] < drawn[1]["cy"] < drawn[0]["cy"]


def test_each_bubble_has_its_own_okabe_ito_colour_and_a_direct_label():
    fig = plots.bubble_chart(POINTS, alt="A bubble chart")
    colours = [p["colour"] for p in fig.data["points"]]
    assert len(set(colours)) == 3 and set(colours) <= set(plots.OKABE_ITO.values())
    root = ET.fromstring(fig.to_html())
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "big & loud (8)" in texts and "rare (1)" in texts
    assert root.get("aria-label") == "A bubble chart" and root.get("role") == "img"


def test_labels_that_would_overlap_are_pushed_apart():
    close = [{"label": f"p{i}", "x": 3, "y": 3 + i * 0.05, "size": 1} for i in range(4)]
    fig = plots.bubble_chart(close, alt="Close points")
    ys = sorted(p["label_xy"][1] for p in fig.data["points"])
    assert all(b - a >= 14 - 1e-9 for a, b in itertools.pairwise(ys))


def test_default_x_range_starts_at_zero_and_reaches_the_largest_x():
    fig = plots.bubble_chart(POINTS, alt="x")
    assert fig.data["x_range"] == (0, 6)


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([{"label": "a", "x": 1, "y": 9, "size": 1}], "outside the axes"),
        ([{"label": "a", "x": 1, "y": 2, "size": 0}], "size above 0"),
        ([{"label": "a", "x": "one", "y": 2, "size": 1}], "must have label, x, y and size"),
        ([{"label": "a", "x": math.nan, "y": 2, "size": 1}], "finite"),
        ([{"label": str(i), "x": 1, "y": 2, "size": 1} for i in range(9)], "at most 8"),
    ],
)
def test_bad_points_are_refused_with_a_reason(points, message):
    with pytest.raises(ValueError, match=message):
        plots.bubble_chart(points, alt="x")


def test_bubble_chart_needs_alt_text():
    with pytest.raises(ValueError, match="alt text"):
        plots.bubble_chart(POINTS, alt=" ")


TREE = [
    {"name": "Technicians miss changes", "solutions": ["SMS", "Call", "Banner"], "target": True},
    {"name": "<b>Lost notes</b>", "solutions": ["Offline drafts"], "target": False},
]


def test_tree_draws_every_box_and_marks_the_target_in_words():
    fig = plots.tree_diagram("Cut wasted trips from 12 to 4 a month", TREE)
    assert fig.data["outcome"] == "Cut wasted trips from 12 to 4 a month"
    assert [o["name"] for o in fig.data["opportunities"]] == [t["name"] for t in TREE]
    assert [o["n_solutions"] for o in fig.data["opportunities"]] == [3, 1]
    assert [(s["opportunity"], s["name"]) for s in fig.data["solutions"]] == [
        (0, "SMS"),
        (0, "Call"),
        (0, "Banner"),
        (1, "Offline drafts"),
    ]
    root = ET.fromstring(fig.to_html())
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "★ TARGET: Technicians miss" in texts
    assert "<b>Lost notes</b>" in texts  # shown as text, escaped in the markup
    assert "<b>" not in fig.to_html().replace("&lt;b&gt;", "")


def test_tree_alt_text_states_the_whole_structure():
    alt = plots.tree_diagram("Cut wasted trips", TREE).alt
    assert alt.startswith("Opportunity solution tree. Outcome: Cut wasted trips.")
    assert "2 opportunities under it." in alt
    assert (
        "Opportunity 1 (the target): Technicians miss changes; 3 solutions: SMS; Call; Banner."
        in alt
    )
    assert "Opportunity 2: <b>Lost notes</b>; 1 solutions: Offline drafts." in alt


def test_tree_columns_are_ordered_left_to_right_and_long_lists_are_cut():
    many = [
        {"name": "A", "solutions": [f"s{i}" for i in range(9)], "target": True},
        {"name": "", "solutions": [], "target": False},
    ]
    fig = plots.tree_diagram("", many, max_solutions=6)
    xs = [o["x"] for o in fig.data["opportunities"]]
    assert xs[0] < xs[1]
    assert len(fig.data["solutions"]) == 6
    svg = fig.to_html()
    assert "+ 3 more" in svg and "(unnamed)" in svg and "Outcome: (not set)" in svg


def test_wrap_cuts_long_text_with_an_ellipsis():
    assert plots._wrap("one two three four five six", 9, lines=2) == ["one two", "three…"]
    assert plots._wrap("", 10) == [""]


def _intersect(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def _box_hits_circle(box, cx, cy, r):
    x, y, w, h = box
    nx, ny = min(max(cx, x), x + w), min(max(cy, y), y + h)
    return (nx - cx) ** 2 + (ny - cy) ** 2 < r**2


def _course_map(customers=None):
    from pivot.exercises.pain_point_map import WorkedPainPointMap

    return WorkedPainPointMap(customers).figure


@pytest.mark.parametrize(
    "figure",
    [
        pytest.param(lambda: _course_map(), id="all-customers"),
        pytest.param(lambda: _course_map(["C01", "C02", "C03"]), id="worked-three"),
        pytest.param(
            lambda: plots.bubble_chart(
                [
                    {"label": f"pain point number {i}", "x": 2, "y": 3, "size": 1 + i}
                    for i in range(8)
                ],
                alt="Eight bubbles on one spot",
            ),
            id="eight-on-one-spot",
        ),
    ],
)
def test_label_boxes_never_intersect_each_other_a_bubble_or_the_edge(figure):
    fig = figure()
    points = fig.data["points"]
    width, height = fig.data["size"]
    boxes = [p["label_box"] for p in points]
    for a, b in itertools.combinations(boxes, 2):
        assert not _intersect(a, b), (a, b)
    for box in boxes:
        x, y, w, h = box
        assert x >= 0 and x + w <= width and y >= 0 and y + h <= height
        for p in points:
            assert not _box_hits_circle(box, p["cx"], p["cy"], p["r"]), (box, p["label"])


def test_every_label_is_printed_exactly_once():
    fig = _course_map()
    root = ET.fromstring(fig.to_html())
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for p in fig.data["points"]:
        assert texts.count(p["label_text"]) == 1
        assert sum(p["label"] in (t or "") for t in texts) == 1
    assert "schedule changes not seen (6)" in texts  # not shortened at the course's lengths


def test_repeated_labels_are_refused():
    with pytest.raises(ValueError, match=r"its own label \(repeated: a\)"):
        plots.bubble_chart(
            [{"label": "a", "x": 1, "y": 2, "size": 1}, {"label": "a", "x": 2, "y": 3, "size": 1}],
            alt="x",
        )


def test_a_label_too_long_for_the_column_is_shortened_not_clipped():
    fig = plots.bubble_chart([{"label": "x" * 80, "x": 1, "y": 2, "size": 1}], alt="long")
    (p,) = fig.data["points"]
    assert p["label_text"].endswith("…") and len(p["label_text"]) < 40
    assert p["label_box"][0] + p["label_box"][2] <= fig.data["size"][0]
