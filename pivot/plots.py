"""Every figure of the course: one colour-blind-safe palette, and alt text on each figure.

Figures are built on :class:`matplotlib.figure.Figure` directly (not ``pyplot``), so nothing is
displayed twice in a notebook and no global state leaks between exercises. A figure travels as
an :class:`AltFigure`, which shows as an ``<img>`` *with its alt text* in JupyterLab, in widgets
and in the built book, and as the alt text itself where only plain text is shown.

The palette is Okabe and Ito's, distinguishable with the common forms of colour blindness
(Okabe & Ito, *Color Universal Design*, 2008; Wong, *Nature Methods* 8, 441, 2011). Series
never rely on colour alone: they also differ in marker and line style.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Mapping, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

__all__ = [
    "OKABE_ITO",
    "SERIES",
    "AltFigure",
    "SvgFigure",
    "four_shifts_map",
    "radar_chart",
    "save_svg",
]

#: Okabe–Ito colours by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}

#: Order in which series take colours, markers and line styles.
SERIES = [
    (OKABE_ITO["blue"], "o", "-"),
    (OKABE_ITO["vermillion"], "s", "--"),
    (OKABE_ITO["bluish green"], "^", ":"),
    (OKABE_ITO["reddish purple"], "D", "-."),
]

_RC = {"font.size": 10, "axes.titlesize": 11, "svg.hashsalt": "pivot", "svg.fonttype": "none"}


class AltFigure:
    """A matplotlib figure together with its alt text (and the data it shows, for tests)."""

    def __init__(self, figure: Figure, alt: str, data: Mapping | None = None):
        if not alt or not alt.strip():
            raise ValueError("every figure needs alt text (got an empty alt)")
        self.figure = figure
        self.alt = alt.strip()
        self.data = dict(data or {})
        self._png: bytes | None = None

    def png(self) -> bytes:
        """PNG bytes, rendered once. No timestamps or software tags, so output is repeatable."""
        if self._png is None:
            buf = io.BytesIO()
            FigureCanvasAgg(self.figure)
            self.figure.savefig(buf, format="png", dpi=100, metadata={"Software": None})
            self._png = buf.getvalue()
        return self._png

    def to_html(self, *, max_width: str = "100%") -> str:
        b64 = base64.b64encode(self.png()).decode("ascii")
        w, h = (round(v * 100) for v in self.figure.get_size_inches())
        return (
            f'<img class="pivot-figure" src="data:image/png;base64,{b64}" '
            f'alt="{html.escape(self.alt, quote=True)}" width="{w}" height="{h}" '
            f'style="max-width:{max_width};height:auto">'
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.to_html(), "text/plain": self.alt}


def _new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


class SvgFigure:
    """A figure drawn directly as SVG text: fast enough to redraw on every slider move.

    The SVG carries ``role="img"``, an ``aria-label`` and a ``<title>`` with the alt text.
    """

    def __init__(self, svg_body: str, *, width: int, height: int, alt: str, data: Mapping):
        if not alt or not alt.strip():
            raise ValueError("every figure needs alt text (got an empty alt)")
        self.alt = alt.strip()
        self.data = dict(data)
        self.width, self.height = width, height
        self._body = svg_body

    def to_html(self, *, max_width: str = "100%") -> str:
        alt = html.escape(self.alt, quote=True)
        return (
            f'<svg class="pivot-figure" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'aria-label="{alt}" viewBox="0 0 {self.width} {self.height}" '
            f'width="{self.width}" height="{self.height}" '
            f'style="max-width:{max_width};height:auto;font-family:sans-serif">'
            f"<title>{alt}</title>{self._body}</svg>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.to_html(), "text/plain": self.alt}


_MARKERS = {
    "o": lambda x, y, c: f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{c}"/>',
    "s": lambda x, y, c: f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{c}"/>',
    "^": lambda x, y, c: (
        f'<polygon points="{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}" '
        f'fill="{c}"/>'
    ),
    "D": lambda x, y, c: (
        f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
        f'{x - 5:.1f},{y:.1f}" fill="{c}"/>'
    ),
}
_DASH = {
    "-": "",
    "--": ' stroke-dasharray="7 4"',
    ":": ' stroke-dasharray="2 3"',
    "-.": ' stroke-dasharray="7 3 2 3"',
}


def radar_chart(
    series: Mapping[str, Mapping[str, float]],
    *,
    alt: str,
    title: str = "",
    scale: tuple[float, float] = (1, 5),
) -> SvgFigure:
    """A radar (spider) chart: one closed polygon per series over the same axes, as SVG.

    ``series`` maps a series label (e.g. ``"You, today"``) to ``{axis label: value}``; every
    series must have the same axes, in the same order. Values outside ``scale`` are refused.
    The first axis points up and the others follow clockwise. ``data["points"]`` holds each
    series' vertices in SVG coordinates, so tests can check what is drawn.
    """
    if not series:
        raise ValueError("radar_chart needs at least one series")
    if len(series) > len(SERIES):
        raise ValueError(f"radar_chart shows at most {len(SERIES)} series (got {len(series)})")
    axes_labels = list(next(iter(series.values())))
    if len(axes_labels) < 3:
        raise ValueError(f"a radar chart needs at least 3 axes (got {len(axes_labels)})")
    lo, hi = scale
    for name, values in series.items():
        if list(values) != axes_labels:
            raise ValueError(f"series {name!r} has axes {list(values)}, expected {axes_labels}")
        for axis, v in values.items():
            if not (lo <= v <= hi):
                raise ValueError(f"{name!r} {axis!r} must be from {lo} to {hi} (got {v})")

    cx, cy, radius = 210, 190, 120
    width = 420
    height = int(cy + radius + 42 + (22 * len(series) + 8 if len(series) > 1 else 0))
    inner = radius * 0.12  # the lowest value sits just off the centre, so it stays visible
    n = len(axes_labels)
    angles = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]

    def point(angle: float, value: float) -> tuple[float, float]:
        r = inner + (radius - inner) * (value - lo) / (hi - lo)
        return cx + r * math.cos(angle), cy - r * math.sin(angle)

    esc = html.escape
    out = []
    if title:
        out.append(
            f'<text x="{cx:.0f}" y="20" text-anchor="middle" font-size="15" '
            f'font-weight="bold" fill="#111111">{esc(title)}</text>'
        )
    for ring in range(int(lo), int(hi) + 1):
        ring_pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(a, ring) for a in angles))
        out.append(f'<polygon points="{ring_pts}" fill="none" stroke="#BBBBBB"/>')
        x, y = point(math.pi / 2, ring)
        out.append(
            f'<text x="{x + 4:.1f}" y="{y - 2:.1f}" font-size="11" fill="#444444">{ring}</text>'
        )
    for angle, label in zip(angles, axes_labels, strict=True):
        x1, y1 = point(angle, hi)
        out.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="#BBBBBB"/>'
        )
        lx, ly = cx + (radius + 16) * math.cos(angle), cy - (radius + 16) * math.sin(angle)
        anchor = "middle" if abs(math.cos(angle)) < 0.3 else ("start" if lx > cx else "end")
        ly += 12 if ly > cy + 5 else (0 if ly < cy - 5 else 4)
        out.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="13" '
            f'fill="#111111">{esc(label)}</text>'
        )
    points: dict[str, list[tuple[float, float]]] = {}
    for (name, values), (colour, marker, style) in zip(series.items(), SERIES, strict=False):
        pts = [point(a, values[label]) for a, label in zip(angles, axes_labels, strict=True)]
        points[name] = pts
        poly = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        out.append(
            f'<polygon points="{poly}" fill="{colour}" fill-opacity="0.12" stroke="{colour}" '
            f'stroke-width="2.5"{_DASH[style]}/>'
        )
        out.extend(_MARKERS[marker](x, y, colour) for x, y in pts)
    if len(series) > 1:
        y = cy + radius + 52
        for name, (colour, marker, style) in zip(series, SERIES, strict=False):
            out.append(
                f'<line x1="20" y1="{y:.0f}" x2="50" y2="{y:.0f}" stroke="{colour}" '
                f'stroke-width="2.5"{_DASH[style]}/>' + _MARKERS[marker](35, y, colour)
            )
            out.append(
                f'<text x="58" y="{y + 4:.0f}" font-size="13" fill="#111111">{esc(name)}</text>'
            )
            y += 20
    data = {
        "axes": axes_labels,
        "series": {k: dict(v) for k, v in series.items()},
        "points": points,
        "centre": (cx, cy),
        "radius": (inner, radius),
    }
    return SvgFigure("".join(out), width=width, height=height, alt=alt, data=data)


def four_shifts_map() -> AltFigure:
    """The concept map of the course: four shifts in a cycle around "making the move"."""
    boxes = [
        ("1 Problem space\nwhy?", (0.5, 0.86)),
        ("2 Soft skills\nwho agrees?", (0.86, 0.5)),
        ("3 What, not how\nwho builds?", (0.5, 0.14)),
        ("4 Comfort with failure\nwhat did we learn?", (0.14, 0.5)),
    ]
    arrows = [
        (0, 1, "evidence to tell"),
        (1, 2, "shared why"),
        (2, 3, "bets to test"),
        (3, 0, "learning"),
    ]
    colours = [OKABE_ITO["sky blue"], OKABE_ITO["orange"], OKABE_ITO["bluish green"], "#E5C8DA"]
    fig = _new_figure(7.2, 5.6)
    ax = fig.add_subplot()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    w, h = 0.26, 0.13
    for (label, (x, y)), colour in zip(boxes, colours, strict=True):
        ax.add_patch(
            FancyBboxPatch(
                (x - w / 2, y - h / 2),
                w,
                h,
                boxstyle="round,pad=0.012",
                facecolor=colour,
                edgecolor="#000000",
                linewidth=1.2,
            )
        )
        ax.text(x, y, label, ha="center", va="center", fontsize=10.5, color="#000000")
    ax.add_patch(
        FancyBboxPatch(
            (0.38, 0.45),
            0.24,
            0.1,
            boxstyle="round,pad=0.01",
            facecolor="#FFFFFF",
            edgecolor="#555555",
            linestyle="--",
        )
    )
    ax.text(0.5, 0.5, "Making\nthe move", ha="center", va="center", fontsize=10, style="italic")
    for a, b, label in arrows:
        start = _edge(boxes[a][1], boxes[b][1], w, h)
        end = _edge(boxes[b][1], boxes[a][1], w, h)
        ax.add_patch(
            FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=16,
                connectionstyle="arc3,rad=-0.25",
                color="#000000",
                linewidth=1.3,
            )
        )
        mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        # push the label outwards, away from the centre of the cycle
        ox, oy = (mx - 0.5) * 0.45, (my - 0.5) * 0.45
        ax.text(mx + ox, my + oy, label, ha="center", va="center", fontsize=9.5, color="#222222")
    alt = (
        "Concept map of the course. Four boxes form a cycle: 1 Problem space, asking why; "
        "2 Soft skills, asking who agrees; 3 What, not how, asking who builds; "
        "4 Comfort with failure, asking what did we learn. Arrows run from 1 to 2 labelled "
        "evidence to tell, 2 to 3 labelled shared why, 3 to 4 labelled bets to test, and 4 back "
        "to 1 labelled learning. Making the move sits in the centre."
    )
    return AltFigure(fig, alt, {"boxes": [b[0] for b in boxes], "arrows": arrows})


def _edge(centre: Sequence[float], towards: Sequence[float], w: float, h: float):
    """The point where a line from ``centre`` to ``towards`` leaves a w×h box (plus a gap)."""
    (x, y), (tx, ty) = centre, towards
    dx, dy = tx - x, ty - y
    scale = min(
        (w / 2 + 0.02) / abs(dx) if dx else math.inf,
        (h / 2 + 0.025) / abs(dy) if dy else math.inf,
    )
    return (x + dx * scale, y + dy * scale)


def save_svg(figure: AltFigure, path) -> None:
    """Write a figure as SVG with text kept as text and no date or random ids (repeatable)."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        figure.figure.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
