"""Plots: what each figure shows (its data), its alt text, palette and repeatable output."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from pivot import plots

SCORES = {"Problem space": 1.0, "Soft skills": 5.0, "What, not how": 3.0, "Failure": 2.0}


def test_palette_is_okabe_ito():
    assert list(plots.OKABE_ITO.values()) == [
        "#000000",
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
    ]
    colours = [c for c, _, _ in plots.SERIES]
    assert set(colours) <= set(plots.OKABE_ITO.values())
    # series differ by marker and line style too, not only colour
    assert len({m for _, m, _ in plots.SERIES}) == len(plots.SERIES)
    assert len({s for _, _, s in plots.SERIES}) == len(plots.SERIES)


def test_radar_vertices_sit_at_the_plotted_values_clockwise_from_the_top():
    fig = plots.radar_chart({"You": SCORES}, alt="Radar of four scores")
    cx, cy = fig.data["centre"]
    inner, outer = fig.data["radius"]
    pts = fig.data["points"]["You"]
    for (x, y), value in zip(pts, SCORES.values(), strict=True):
        expected_r = inner + (outer - inner) * (value - 1) / 4
        assert math.hypot(x - cx, y - cy) == pytest.approx(expected_r, abs=0.01)
    # first axis straight up, second to the right (clockwise), third down, fourth left
    assert pts[0][0] == pytest.approx(cx) and pts[0][1] < cy
    assert pts[1][0] > cx and pts[1][1] == pytest.approx(cy)
    assert pts[2][1] > cy and pts[3][0] < cx


def test_radar_svg_is_well_formed_labelled_and_escapes_labels():
    fig = plots.radar_chart(
        {"<You>": {"a&b": 2, "c": 3, "d": 4}}, alt='Alt "quoted" <x>', title="T <t>"
    )
    svg = fig.to_html()
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == 'Alt "quoted" <x>'
    assert root.find("{http://www.w3.org/2000/svg}title").text == 'Alt "quoted" <x>'
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "a&b" in texts and "T <t>" in texts
    assert fig._repr_mimebundle_()["text/plain"] == 'Alt "quoted" <x>'


def test_radar_with_two_series_draws_a_legend_and_both_polygons():
    fig = plots.radar_chart({"Before": SCORES, "After": dict.fromkeys(SCORES, 4.0)}, alt="x")
    root = ET.fromstring(fig.to_html())
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Before" in texts and "After" in texts
    assert set(fig.data["points"]) == {"Before", "After"}


@pytest.mark.parametrize(
    ("series", "message"),
    [
        ({}, "at least one series"),
        ({"a": {"x": 1, "y": 2}}, "at least 3 axes"),
        ({"a": {"x": 1, "y": 2, "z": 6}}, "must be from 1 to 5 .got 6."),
        ({"a": {"x": 1, "y": 2, "z": 3}, "b": {"x": 1, "z": 2, "y": 3}}, "has axes"),
        ({str(i): {"x": 1, "y": 1, "z": 1} for i in range(5)}, "at most 4 series"),
    ],
)
def test_radar_refuses_bad_input(series, message):
    with pytest.raises(ValueError, match=message):
        plots.radar_chart(series, alt="x")


def test_every_figure_needs_alt_text():
    with pytest.raises(ValueError, match="alt text"):
        plots.radar_chart({"a": {"x": 1, "y": 2, "z": 3}}, alt="  ")
    fig = plots.four_shifts_map()
    with pytest.raises(ValueError, match="alt text"):
        plots.AltFigure(fig.figure, "")


def test_concept_map_shows_four_shifts_in_a_cycle():
    fig = plots.four_shifts_map()
    assert [b.split("\n")[0] for b in fig.data["boxes"]] == [
        "1 Problem space",
        "2 Soft skills",
        "3 What, not how",
        "4 Comfort with failure",
    ]
    assert [(a, b) for a, b, _ in fig.data["arrows"]] == [(0, 1), (1, 2), (2, 3), (3, 0)]
    for _, _, label in fig.data["arrows"]:
        assert label in fig.alt


def test_png_output_is_repeatable_and_shown_with_alt():
    a, b = plots.four_shifts_map(), plots.four_shifts_map()
    assert a.png() == b.png()
    assert a.to_html().count('alt="Concept map of the course.') == 1


def test_committed_concept_map_svg_is_up_to_date(tmp_path):
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "tools"))
    try:
        import make_figures
    finally:
        sys.path.remove(str(root / "tools"))
    (fresh,) = make_figures.build(tmp_path)
    committed = root / "book" / "figures" / "four-shifts.svg"
    assert fresh.read_bytes() == committed.read_bytes(), "run `make figures` and commit"
