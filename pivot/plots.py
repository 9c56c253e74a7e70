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
from typing import TYPE_CHECKING

# matplotlib is imported only where a figure is drawn: the live charts are SVG strings, and
# importing it would cost every kernel that imports the exercises about a second.
if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "CATEGORY_COLOURS",
    "OKABE_ITO",
    "SERIES",
    "AltFigure",
    "SvgFigure",
    "bubble_chart",
    "four_shifts_map",
    "radar_chart",
    "save_svg",
    "tree_alt",
    "tree_diagram",
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
            from matplotlib.backends.backend_agg import FigureCanvasAgg

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
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

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


def _svg_title(title: str, x: float, y: float = 22) -> str:
    """A figure title as SVG text, centred on ``x`` (escaped)."""
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="middle" font-size="15" '
        f'font-weight="bold" fill="#111111">{html.escape(title)}</text>'
    )


def radar_chart(
    series: Mapping[str, Mapping[str, float]],
    *,
    alt: str,
    title: str = "",
    scale: tuple[float, float] = (1, 5),
    ticks_between_axes: bool = False,
) -> SvgFigure:
    """A radar (spider) chart: one closed polygon per series over the same axes, as SVG.

    ``series`` maps a series label (e.g. ``"You, today"``) to ``{axis label: value}``; every
    series must have the same axes, in the same order. Values outside ``scale`` are refused.
    The first axis points up and the others follow clockwise. The scale's numbers sit beside
    the first axis, or with ``ticks_between_axes`` halfway between the last axis and the first,
    where no marker can cover them. An axis label too long for the side it is on widens the
    figure on that side (the chart is the same size). ``data["points"]`` holds each series'
    vertices in SVG coordinates, so tests can check what is drawn.
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
    # room for the labels of the axes that point sideways (13 px text, about 6.6 px a
    # character): a label that would run off the figure widens it, with 8 px to spare
    pad_left = pad_right = 0.0
    for angle, label in zip(angles, axes_labels, strict=True):
        x = cx + (radius + 16) * math.cos(angle)
        w = 6.6 * len(label)
        if math.cos(angle) >= 0.3 and x + w > width:
            pad_right = max(pad_right, x + w + 8 - width)
        elif math.cos(angle) <= -0.3 and w > x:
            pad_left = max(pad_left, w + 8 - x)
    cx += pad_left
    width = math.ceil(width + pad_left + pad_right)

    def point(angle: float, value: float) -> tuple[float, float]:
        r = inner + (radius - inner) * (value - lo) / (hi - lo)
        return cx + r * math.cos(angle), cy - r * math.sin(angle)

    esc = html.escape
    out = []
    if title:
        out.append(_svg_title(title, cx, y=20))
    late: list[str] = []
    for ring in range(int(lo), int(hi) + 1):
        ring_pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(a, ring) for a in angles))
        out.append(f'<polygon points="{ring_pts}" fill="none" stroke="#BBBBBB"/>')
        if ticks_between_axes:  # drawn over the series, with a white halo
            x, y = point(math.pi / 2 + math.pi / n, ring)
            late.append(
                f'<text x="{x:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="11" '
                f'fill="#444444" stroke="#FFFFFF" stroke-width="3" paint-order="stroke">'
                f"{ring}</text>"
            )
        else:
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
    out += late
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
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

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


#: Colours for categories (bubbles, tree levels), in order; black and yellow last, as they are
#: the hardest to read as fills. Every mark also carries a text label, so colour is never the
#: only cue.
CATEGORY_COLOURS = [
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish green"],
    OKABE_ITO["reddish purple"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
]


def negotiation_chart(
    points: Sequence[tuple[float, float]],
    *,
    frontier: Sequence[tuple[float, float]],
    reservations: tuple[float, float],
    proposals: Sequence[tuple[str, float, float]] = (),
    alt: str,
    title: str = "",
    x_label: str = "Your points",
    y_label: str = "Their points",
    scale: tuple[float, float] = (0, 100),
) -> SvgFigure:
    """Every package of a two-party negotiation as a point (one side's points across, the
    other's up), the efficient frontier, both reservation values and the proposals made, as SVG.

    ``points`` and ``frontier`` are ``(x, y)`` scores; ``reservations`` is ``(x, y)``;
    ``proposals`` are ``(label, x, y)``, labelled with their text (e.g. ``"1"``); proposals at
    the same point share one label (``"1, 3"``). Marks differ by shape as well as colour: grey
    circles for packages, blue diamonds joined by a dashed line for the frontier, black squares
    for proposals; the reservation lines are dashed (across) and dotted (up), and the zone of
    agreement is shaded. Labels are placed so that no two overlap (``data["proposals"]`` holds
    each label's box, for tests).
    """
    if not alt or not alt.strip():
        raise ValueError("every figure needs alt text (got an empty alt)")
    lo, hi = scale
    if not hi > lo:
        raise ValueError("scale must run from low to high")
    rx, ry = reservations
    checked = [("reservation", rx, ry)]
    checked += [("package", x, y) for x, y in points]
    checked += [("frontier point", x, y) for x, y in frontier]
    checked += [(f"proposal {label}", x, y) for label, x, y in proposals]
    for what, x, y in checked:
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in (x, y)):
            raise ValueError(f"{what} needs finite numbers (got {x!r}, {y!r})")
        if not (lo <= x <= hi and lo <= y <= hi):
            raise ValueError(f"{what} at ({_fmt(x)}, {_fmt(y)}) lies outside {lo} to {hi}")

    width, left, right = 560, 62, 24
    top = 40 if title else 16
    pw = ph = width - left - right
    legend_y = top + ph + 50
    height = legend_y + 3 * 22 + 8

    def sx(x: float) -> float:
        return left + pw * (x - lo) / (hi - lo)

    def sy(y: float) -> float:
        return top + ph * (1 - (y - lo) / (hi - lo))

    esc = html.escape
    blue, verm = OKABE_ITO["blue"], OKABE_ITO["vermillion"]
    out = []
    if title:
        out.append(_svg_title(title, width / 2))
    # the zone of agreement: both sides at or above their reservation value
    out.append(
        f'<rect x="{sx(rx):.1f}" y="{top}" width="{left + pw - sx(rx):.1f}" '
        f'height="{sy(ry) - top:.1f}" fill="{OKABE_ITO["sky blue"]}" fill-opacity="0.18"/>'
    )
    step = (hi - lo) / 10
    for k in range(11):
        v = lo + k * step
        x, y = sx(v), sy(v)
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="#E5E5E5"/>'
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#E5E5E5"/>'
            f'<text x="{x:.1f}" y="{top + ph + 16}" text-anchor="middle" font-size="12" '
            f'fill="#333333">{_fmt(v)}</text>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#333333">{_fmt(v)}</text>'
        )
    out.append(
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#555555"/>'
        f'<text x="{left + pw / 2:.0f}" y="{top + ph + 36}" text-anchor="middle" font-size="13" '
        f'fill="#111111">{esc(x_label)}</text>'
        f'<text x="16" y="{top + ph / 2:.0f}" text-anchor="middle" font-size="13" fill="#111111" '
        f'transform="rotate(-90 16 {top + ph / 2:.0f})">{esc(y_label)}</text>'
    )
    out.append(
        f'<line x1="{sx(rx):.1f}" y1="{top}" x2="{sx(rx):.1f}" y2="{top + ph}" stroke="{verm}" '
        f'stroke-width="2"{_DASH["--"]}/>'
        f'<line x1="{left}" y1="{sy(ry):.1f}" x2="{left + pw}" y2="{sy(ry):.1f}" stroke="{verm}" '
        f'stroke-width="2"{_DASH[":"]}/>'
    )
    for x, y in points:
        out.append(
            f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="#AAAAAA" stroke="#666666" '
            f'stroke-width="0.5"/>'
        )
    front = sorted(set(frontier), key=lambda p: (p[0], -p[1]))
    if len(front) > 1:
        line = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in front)
        out.append(
            f'<polyline points="{line}" fill="none" stroke="{blue}" stroke-width="1.5"'
            f"{_DASH['--']}/>"
        )
    out.extend(_MARKERS["D"](sx(x), sy(y), blue) for x, y in front)

    # proposals: one square per point, one label per point, placed clear of other labels
    grouped: dict[tuple[float, float], list[str]] = {}
    for label, x, y in proposals:
        grouped.setdefault((x, y), []).append(str(label))
    boxes: list[tuple[float, float, float, float]] = []
    drawn = []
    font = 12
    for (x, y), labels in grouped.items():
        cx, cy = sx(x), sy(y)
        text = ", ".join(labels)
        if len(text) > 24:
            text = text[:23] + "…"
        w, h = len(text) * 7.0 + 4, font + 4
        spots = [
            (cx + 7, cy - 7),
            (cx + 7, cy + 7 + h),
            (cx - 7 - w, cy - 7),
            (cx - 7 - w, cy + 7 + h),
        ]
        spots += [(cx + 7, cy - 7 - k * h) for k in range(1, 12)]
        spots += [(cx + 7, cy + 7 + h + k * h) for k in range(1, 12)]
        chosen = None
        for bx, by in spots:
            box = (bx, by - h, w, h)
            inside = left <= bx and bx + w <= left + pw and top <= by - h and by <= top + ph
            if inside and not any(_boxes_meet(box, b) for b in boxes):
                chosen = box
                break
        if chosen is None:  # crowded: take the first spot inside the plot
            bx, by = spots[0]
            chosen = (min(max(bx, left), left + pw - w), max(by - h, top), w, h)
        boxes.append(chosen)
        bx, by, w, h = chosen
        out.append(
            f'<rect x="{cx - 4.5:.1f}" y="{cy - 4.5:.1f}" width="9" height="9" fill="#111111" '
            f'stroke="#FFFFFF" stroke-width="1"/>'
            f'<rect x="{bx:.1f}" y="{by:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#FFFFFF" '
            f'fill-opacity="0.85"/>'
            f'<text x="{bx + 2:.1f}" y="{by + h - 4:.1f}" font-size="{font}" font-weight="bold" '
            f'fill="#111111">{esc(text)}</text>'
        )
        drawn.append({"labels": labels, "x": x, "y": y, "cx": cx, "cy": cy, "label_box": chosen})

    legend = [
        (_MARKERS["o"](left + 15, legend_y, "#AAAAAA"), "Every package"),
        (
            f'<line x1="{left}" y1="{legend_y + 22}" x2="{left + 30}" y2="{legend_y + 22}" '
            f'stroke="{blue}" stroke-width="1.5"{_DASH["--"]}/>'
            + _MARKERS["D"](left + 15, legend_y + 22, blue),
            "Efficient frontier",
        ),
        (
            f'<rect x="{left + 10.5:.1f}" y="{legend_y + 39.5:.1f}" width="9" height="9" '
            f'fill="#111111"/>',
            "Your proposals (numbered)",
        ),
    ]
    col2 = left + pw / 2
    legend += [
        (
            f'<line x1="{col2}" y1="{legend_y}" x2="{col2 + 30}" y2="{legend_y}" stroke="{verm}" '
            f'stroke-width="2"{_DASH["--"]}/>',
            f"{x_label.split(' (')[0]}: reservation {_fmt(rx)}",
        ),
        (
            f'<line x1="{col2}" y1="{legend_y + 22}" x2="{col2 + 30}" y2="{legend_y + 22}" '
            f'stroke="{verm}" stroke-width="2"{_DASH[":"]}/>',
            f"{y_label.split(' (')[0]}: reservation {_fmt(ry)}",
        ),
        (
            f'<rect x="{col2}" y="{legend_y + 37}" width="30" height="14" '
            f'fill="{OKABE_ITO["sky blue"]}" fill-opacity="0.35"/>',
            "Zone of agreement",
        ),
    ]
    for i, (mark, text) in enumerate(legend):
        x = (left if i < 3 else col2) + 38
        y = legend_y + 22 * (i % 3) + 4
        out.append(
            mark + f'<text x="{x:.0f}" y="{y:.0f}" font-size="12" fill="#111111">{esc(text)}</text>'
        )
    data = {
        "points": list(points),
        "frontier": front,
        "reservations": (rx, ry),
        "zone": (sx(rx), top, left + pw - sx(rx), sy(ry) - top),
        "proposals": drawn,
        "plot_box": (left, top, pw, ph),
        "scale": (lo, hi),
    }
    return SvgFigure("".join(out), width=width, height=height, alt=alt, data=data)


def _boxes_meet(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two (x, y, width, height) boxes overlap."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def bubble_chart(
    points: Sequence[Mapping[str, object]],
    *,
    alt: str,
    title: str = "",
    x_label: str = "x",
    y_label: str = "y",
    size_label: str = "size",
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] = (1, 5),
) -> SvgFigure:
    """A bubble chart as SVG: each point at (``x``, ``y``), its area proportional to ``size``.

    ``points`` is a sequence of ``{"label": str, "x": number, "y": number, "size": number}``.
    Each bubble takes a colour from :data:`CATEGORY_COLOURS` *and* a direct text label beside
    it, so colour is never the only cue. ``x_range`` defaults to 0 … the largest x (at least 1).
    ``data["points"]`` holds what is drawn (value, centre, radius, colour, label position), so
    tests can check the figure without looking at it.
    """
    if not alt or not alt.strip():
        raise ValueError("every figure needs alt text (got an empty alt)")
    cleaned = []
    for i, p in enumerate(points, 1):
        try:
            label = str(p["label"])
            x, y, size = (float(p[k]) for k in ("x", "y", "size"))
        except (KeyError, TypeError, ValueError):
            raise ValueError(
                f"point {i} must have label, x, y and size, all numbers but the label (got {p!r})"
            ) from None
        if not all(math.isfinite(v) for v in (x, y, size)) or size <= 0:
            raise ValueError(f"point {i} ({label}) needs finite x and y and a size above 0")
        cleaned.append((label, x, y, size))
    if len(cleaned) > len(CATEGORY_COLOURS):
        raise ValueError(f"bubble_chart shows at most {len(CATEGORY_COLOURS)} points")
    y_lo, y_hi = y_range
    if x_range is None:
        x_range = (0, max([1.0] + [x for _, x, _, _ in cleaned]))
    x_lo, x_hi = x_range
    if not (x_hi > x_lo and y_hi > y_lo):
        raise ValueError("ranges must run from low to high")
    for label, x, y, _ in cleaned:
        if not (x_lo <= x <= x_hi and y_lo <= y <= y_hi):
            raise ValueError(f"{label!r} at ({_fmt(x)}, {_fmt(y)}) lies outside the axes")

    labels = [label for label, *_ in cleaned]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise ValueError(f"each point needs its own label (repeated: {', '.join(repeated)})")

    width, height = 640, 420
    left, right, top, bottom = 64, 224, 40 if title else 18, 76
    pw, ph = width - left - right, height - top - bottom
    biggest = max([1.0] + [s for *_, s in cleaned])
    max_r = 26.0

    def sx(x: float) -> float:
        return left + pw * (x - x_lo) / (x_hi - x_lo)

    def sy(y: float) -> float:
        return top + ph * (1 - (y - y_lo) / (y_hi - y_lo))

    esc = html.escape
    out = []
    if title:
        out.append(_svg_title(title, width / 2))
    step = 1 if x_hi - x_lo <= 12 else math.ceil((x_hi - x_lo) / 10)
    tick = math.ceil(x_lo)
    while tick <= x_hi:
        x = sx(tick)
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="#E5E5E5"/>'
            f'<text x="{x:.1f}" y="{top + ph + 16}" text-anchor="middle" font-size="12" '
            f'fill="#333333">{tick}</text>'
        )
        tick += step
    for tick in range(math.ceil(y_lo), math.floor(y_hi) + 1):
        y = sy(tick)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#E5E5E5"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#333333">{tick}</text>'
        )
    out.append(
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#555555"/>'
        f'<text x="{left + pw / 2:.0f}" y="{top + ph + 40}" text-anchor="middle" font-size="13" '
        f'fill="#111111">{esc(x_label)}</text>'
        f'<text x="16" y="{top + ph / 2:.0f}" text-anchor="middle" font-size="13" fill="#111111" '
        f'transform="rotate(-90 16 {top + ph / 2:.0f})">{esc(y_label)}</text>'
    )
    drawn = []
    for i, (label, x, y, size) in enumerate(cleaned):
        drawn.append(
            {
                "label": label,
                "x": x,
                "y": y,
                "size": size,
                "cx": sx(x),
                "cy": sy(y),
                "r": max_r * math.sqrt(size / biggest),
                "colour": CATEGORY_COLOURS[i],
            }
        )
    # big bubbles first, so small ones stay visible on top of them
    for p in sorted(drawn, key=lambda p: -p["size"]):
        out.append(
            f'<circle cx="{p["cx"]:.1f}" cy="{p["cy"]:.1f}" r="{p["r"]:.1f}" fill="{p["colour"]}" '
            f'fill-opacity="0.55" stroke="#111111" stroke-width="1"/>'
        )
    # Direct labels in a column to the right of every bubble, each joined to its bubble by a
    # leader line: they never cover a bubble, and they are spread so no two boxes intersect.
    label_x = max([left + pw] + [p["cx"] + p["r"] for p in drawn]) + 12
    room = width - label_x - 4
    line_h = _LABEL_FONT + 4
    for p, (ly, text) in zip(drawn, _label_column(drawn, top, top + ph, line_h, room), strict=True):
        w = min(room, _text_width(text))
        p["label_text"] = text
        p["label_xy"] = (label_x, ly)
        p["label_box"] = (label_x, ly - _LABEL_FONT, w, line_h)
    for p in sorted(drawn, key=lambda p: p["label_xy"][1]):
        lx, ly = p["label_xy"]
        ex, ey = p["cx"] + p["r"], p["cy"]
        out.append(
            f'<polyline points="{ex:.1f},{ey:.1f} {lx - 10:.1f},{ly - 4:.1f} {lx - 2:.1f},'
            f'{ly - 4:.1f}" fill="none" stroke="{p["colour"]}" stroke-width="1.5"/>'
            f'<circle cx="{ex:.1f}" cy="{ey:.1f}" r="2" fill="#111111"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="{_LABEL_FONT}" fill="#111111">'
            f"{esc(p['label_text'])}</text>"
        )
    out.append(
        f'<text x="{left}" y="{height - 8}" font-size="11" fill="#444444">'
        f"Bubble area: {esc(size_label)} (number in brackets)</text>"
    )
    data = {
        "points": drawn,
        "x_range": (x_lo, x_hi),
        "y_range": (y_lo, y_hi),
        "plot_box": (left, top, pw, ph),
        "size": (width, height),
    }
    return SvgFigure("".join(out), width=width, height=height, alt=alt, data=data)


_LABEL_FONT = 12
#: Average advance of a sans-serif character at 12 px, generous, for laying out labels.
_CHAR_W = 6.8


def _text_width(text: str) -> float:
    return len(text) * _CHAR_W * _LABEL_FONT / 12


def _label_column(points, y_min: float, y_max: float, line_h: float, room: float):
    """Baselines for one column of labels, as close as possible to each bubble's height and at
    least ``line_h`` apart, kept between ``y_min`` and ``y_max``; each label shortened with …
    to fit ``room`` pixels. Returns ``(baseline, text)`` in the order of ``points``."""
    texts = []
    for p in points:
        text = f"{p['label']} ({_fmt(p['size'])})"
        if _text_width(text) > room:
            keep = max(1, int(room / _CHAR_W) - 1)
            text = text[:keep].rstrip() + "…"
        texts.append(text)
    order = sorted(range(len(points)), key=lambda i: (points[i]["cy"], -points[i]["cx"]))
    lo = y_min + _LABEL_FONT
    hi = max(lo + line_h * (len(points) - 1), y_max)
    ys = {}
    last = -math.inf
    for i in order:  # top down: no closer than line_h to the label above
        ys[i] = max(points[i]["cy"] + 4, lo, last + line_h)
        last = ys[i]
    nxt = math.inf
    for i in reversed(order):  # bottom up: keep inside the plot, still line_h apart
        ys[i] = min(ys[i], hi, nxt - line_h)
        nxt = ys[i]
    return [(ys[i], texts[i]) for i in range(len(points))]


def _wrap(text: str, width: int, lines: int = 2) -> list[str]:
    """Break ``text`` into at most ``lines`` lines of ``width`` characters (… when cut)."""
    words, out, line = text.split(), [], ""
    for word in words:
        if len(word) > width:
            word = word[: width - 1] + "…"
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = (out[-1][: width - 1] if len(out[-1]) >= width else out[-1]) + "…"
    return out or [""]


def tree_diagram(
    outcome: str,
    opportunities: Sequence[Mapping[str, object]],
    *,
    alt: str | None = None,
    title: str = "",
    max_solutions: int = 6,
    wrap_lines: int = 2,
) -> SvgFigure:
    """An opportunity solution tree (Torres 2021) as SVG: the outcome at the top, one column
    per opportunity under it, each opportunity's solutions stacked beneath it.

    ``opportunities`` is a sequence of ``{"name": str, "solutions": [str, ...], "target": bool}``.
    The target opportunity has a thick border and the word TARGET (not colour alone). Empty
    names show as "(unnamed)". Each box's text is wrapped onto at most ``wrap_lines`` lines
    (cut with … beyond them); the boxes of a level grow to fit its longest text. Without
    ``alt``, alt text describing the whole structure is written from the data. ``data`` holds
    the boxes drawn, by level.
    """
    opps = []
    for o in opportunities:
        sols = [str(s) for s in (o.get("solutions") or []) if str(s).strip()]
        opps.append(
            {
                "name": str(o.get("name") or "").strip(),
                "solutions": sols,
                "target": o.get("target") is True,
            }
        )
    outcome = (outcome or "").strip()
    cols = max(1, len(opps))
    col_w, box_w, box_h, sol_h, gap = 190, 172, 50, 38, 10
    outcome_lines = _wrap("Outcome: " + (outcome or "(not set)"), 50, wrap_lines)
    opp_lines = [
        _wrap(
            ("★ TARGET: " if o["target"] else f"{i + 1}. ") + (o["name"] or "(unnamed)"),
            26,
            wrap_lines,
        )
        for i, o in enumerate(opps)
    ]
    sol_lines = [[_wrap(s, 24, wrap_lines) for s in o["solutions"][:max_solutions]] for o in opps]
    out_h = max(box_h, 14 * len(outcome_lines) + 22)
    box_h = max([box_h] + [14 * len(x) + 22 for x in opp_lines])
    sol_h = max([sol_h] + [14 * len(x) + 10 for col in sol_lines for x in col])
    width = max(420, cols * col_w + 20)
    shown = [min(len(o["solutions"]), max_solutions) for o in opps] or [0]
    extra = [1 if len(o["solutions"]) > max_solutions else 0 for o in opps] or [0]
    y_outcome = 36 if title else 14
    y_opp = y_outcome + out_h + 46
    y_sol = y_opp + box_h + 34
    height = int(y_sol + max(s + e for s, e in zip(shown, extra, strict=True)) * (sol_h + gap) + 16)
    esc = html.escape
    out = []
    if title:
        out.append(_svg_title(title, width / 2))

    def box(x, y, w, h, lines, fill, stroke_w=1.0, dash=""):
        parts = [
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h}" rx="6" fill="{fill}" '
            f'stroke="#111111" stroke-width="{stroke_w}"{dash}/>'
        ]
        first = y + h / 2 - (len(lines) - 1) * 7 + 4
        for k, line in enumerate(lines):
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{first + 14 * k:.1f}" text-anchor="middle" '
                f'font-size="12" fill="#111111">{esc(line)}</text>'
            )
        return "".join(parts)

    ox = width / 2 - 170
    out.append(box(ox, y_outcome, 340, out_h, outcome_lines, "#D7ECF9"))
    boxes = {"outcome": outcome, "opportunities": [], "solutions": []}
    start = (width - cols * col_w) / 2
    for i, o in enumerate(opps):
        x = start + i * col_w + (col_w - box_w) / 2
        mid = x + box_w / 2
        out.append(
            f'<line x1="{width / 2:.1f}" y1="{y_outcome + out_h}" x2="{mid:.1f}" y2="{y_opp}" '
            f'stroke="#555555" stroke-width="1.5"/>'
        )
        out.append(
            box(
                x,
                y_opp,
                box_w,
                box_h,
                opp_lines[i],
                "#FBE3C6" if o["target"] else "#FFFFFF",
                3.0 if o["target"] else 1.0,
            )
        )
        boxes["opportunities"].append(
            {"name": o["name"], "target": o["target"], "x": mid, "n_solutions": len(o["solutions"])}
        )
        for j, sol in enumerate(o["solutions"][:max_solutions]):
            y = y_sol + j * (sol_h + gap)
            out.append(
                f'<line x1="{mid:.1f}" y1="{y_opp + box_h if j == 0 else y - gap}" '
                f'x2="{mid:.1f}" y2="{y}" stroke="#555555"/>'
            )
            out.append(
                box(
                    x + 8,
                    y,
                    box_w - 16,
                    sol_h,
                    sol_lines[i][j],
                    "#E3F2EC",
                    1.0,
                    ' stroke-dasharray="4 2"',
                )
            )
            boxes["solutions"].append({"opportunity": i, "name": sol})
        if extra[i]:
            y = y_sol + shown[i] * (sol_h + gap) + 14
            out.append(
                f'<text x="{mid:.1f}" y="{y:.1f}" text-anchor="middle" font-size="12" '
                f'fill="#333333">+ {len(o["solutions"]) - max_solutions} more</text>'
            )
    if alt is None:
        alt = tree_alt(outcome, opps)
    return SvgFigure("".join(out), width=int(width), height=height, alt=alt, data=boxes)


def tree_alt(outcome: str, opportunities: Sequence[Mapping[str, object]]) -> str:
    """Alt text that states an opportunity solution tree's whole structure in words."""
    parts = [f"Opportunity solution tree. Outcome: {outcome.strip() or 'not set'}."]
    if not opportunities:
        parts.append("No opportunities yet.")
    parts.append(f"{len(opportunities)} opportunities under it.")
    for i, o in enumerate(opportunities, 1):
        sols = [str(s) for s in (o.get("solutions") or []) if str(s).strip()]
        name = str(o.get("name") or "").strip() or "unnamed"
        target = " (the target)" if o.get("target") is True else ""
        listed = "; ".join(sols) if sols else "none"
        parts.append(f"Opportunity {i}{target}: {name}; {len(sols)} solutions: {listed}.")
    return " ".join(parts)


# --- the power × interest grid (Shift 2) --------------------------------------------------------
#: Light fills for the four quadrants of :func:`stakeholder_grid`; each quadrant is also named in
#: words, so the fill is never the only cue.
GRID_FILLS = {
    "high power, high interest": "#FBE3C6",
    "high power, low interest": "#D7ECF9",
    "low power, high interest": "#DDF0E8",
    "low power, low interest": "#F2F2F2",
}
#: At most this many people on one grid (every one of them fits in a single cell).
GRID_MAX_POINTS = 16
_GRID_CELL_W, _GRID_CELL_H, _GRID_STRIP = 136, 92, 18
_GRID_BOX_W, _GRID_BOX_H, _GRID_COLS = 33, 18, 4


def _grid_rating(value: object, lo: int, hi: int) -> int | None:
    """A rating the grid can place (a whole number on the scale), ``None`` for "not placed"."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"a rating must be a whole number from {lo} to {hi} (got {value!r})")
    if not float(value).is_integer() or not lo <= value <= hi:
        raise ValueError(f"a rating must be a whole number from {lo} to {hi} (got {value!r})")
    return int(value)


def _grid_points(
    points: Sequence[Mapping[str, object]],
    keys: tuple[str, str, str],
    scale: tuple[int, int],
    *,
    order: Sequence[str] | None,
    limits: tuple[str, int],
    repeated_message: str,
    apart_message: str,
):
    """Check and read the points of a grid chart (the stakeholder grid, the assumption map).

    ``keys`` names the vertical rating, the horizontal rating and the group of each point.
    Returns ``[(label, name, vertical, horizontal, group)]`` (a rating is ``None`` when not
    placed) and the marker style of each group, in the order of ``order`` or of first
    appearance. Raises ``ValueError`` with a message that names the point for a bad label, a
    bad rating, a repeated label, too many points or too many groups.
    """
    too_many, max_points = limits
    if len(points) > max_points:
        raise ValueError(too_many)
    lo, hi = scale
    up_key, across_key, group_key = keys
    items = []
    for i, p in enumerate(points, 1):
        label = str(p.get("label", "")).strip()
        name = str(p.get("name", "")).strip() or label
        if not 1 <= len(label) <= 3:
            raise ValueError(f"point {i} needs a label of 1 to 3 characters (got {label!r})")
        try:
            up = _grid_rating(p.get(up_key), lo, hi)
            across = _grid_rating(p.get(across_key), lo, hi)
        except ValueError as exc:
            raise ValueError(f"point {i} ({name}): {exc}") from None
        items.append((label, name, up, across, str(p.get(group_key, "") or "")))
    labels = [it[0] for it in items]
    repeated = sorted({x for x in labels if labels.count(x) > 1})
    if repeated:
        raise ValueError(f"{repeated_message} (repeated: {', '.join(repeated)})")
    groups = list(order or [])
    for *_, group in items:
        if group not in groups:
            groups.append(group)
    if len(groups) > len(SERIES):
        raise ValueError(apart_message.format(n=len(SERIES)))
    return items, {g: SERIES[k] for k, g in enumerate(groups)}


def stakeholder_grid(
    points: Sequence[Mapping[str, object]],
    *,
    alt: str | None = None,
    title: str = "",
    threshold: int = 3,
    scale: tuple[int, int] = (1, 5),
    groups: Sequence[str] | None = None,
) -> SvgFigure:
    """The power × interest grid (Johnson and Scholes's adaptation of Mendelow) as SVG.

    ``points`` is a sequence of ``{"label": str (1 to 3 characters), "name": str, "power": int
    or None, "interest": int or None, "group": str}``. Interest runs across (low on the left),
    power up (low at the bottom), one cell per whole rating on ``scale``. A rating at or above
    ``threshold`` is high (:func:`pivot.frameworks.stakeholders.place`): a thick dashed line
    marks the threshold, and each quadrant is named by its engagement strategy. People who share
    a cell are laid out side by side within it, so no two labels ever overlap. Each person is a
    marker whose colour *and* shape show their group (at most four groups, in the order of
    ``groups`` or of first appearance), with their label beside it. People without both ratings
    are not drawn and are listed as not placed in the alt text, which (unless ``alt`` is given)
    names who is in which quadrant. ``data["points"]`` holds each drawn person's cell, marker
    and label box, so tests can check the figure without looking at it.
    """
    from .frameworks.stakeholders import STRATEGIES, TEXTBOOK_LABELS, place

    lo, hi = (int(s) for s in scale)
    if not lo < threshold <= hi or not float(threshold).is_integer():
        raise ValueError(f"threshold must be a whole number above {lo}, at most {hi}")
    people, style = _grid_points(
        points,
        ("power", "interest", "group"),
        (lo, hi),
        order=groups,
        limits=(f"stakeholder_grid shows at most {GRID_MAX_POINTS} people", GRID_MAX_POINTS),
        repeated_message="each person needs their own label",
        apart_message="stakeholder_grid tells at most {n} groups apart",
    )
    order = list(style)

    n = hi - lo + 1
    left, top = 70, 40 if title else 14
    pw, ph = n * _GRID_CELL_W, n * _GRID_CELL_H
    width = left + pw + 16

    def cell_box(power: int, interest: int) -> tuple[float, float]:
        return left + (interest - lo) * _GRID_CELL_W, top + (hi - power) * _GRID_CELL_H

    esc = html.escape
    out = [_svg_title(title, width / 2)] if title else []
    t = threshold - lo  # cells below the threshold on each axis
    regions = {
        "high power, high interest": (t, 0, n - t, n - t),
        "high power, low interest": (0, 0, t, n - t),
        "low power, high interest": (t, n - t, n - t, t),
        "low power, low interest": (0, n - t, t, t),
    }
    names = []  # the quadrants' names, drawn over the cell lines
    for quadrant, (cx, cy, cw, ch) in regions.items():
        x, y = left + cx * _GRID_CELL_W, top + cy * _GRID_CELL_H
        out.append(
            f'<rect x="{x}" y="{y}" width="{cw * _GRID_CELL_W}" height="{ch * _GRID_CELL_H}" '
            f'fill="{GRID_FILLS[quadrant]}"/>'
        )
        strategy = STRATEGIES[quadrant]
        textbook = TEXTBOOK_LABELS[quadrant]
        name = strategy[0].upper() + strategy[1:]
        if textbook != strategy:
            name += f" ({textbook})"
        names.append(
            f'<text x="{x + 6}" y="{y + 13}" font-size="12" font-weight="bold" '
            f'fill="#111111">{esc(name)}</text>'
        )
    for k in range(n + 1):
        x, y = left + k * _GRID_CELL_W, top + k * _GRID_CELL_H
        out.append(
            f'<line x1="{x}" y1="{top}" x2="{x}" y2="{top + ph}" stroke="#FFFFFF" '
            f'stroke-width="2"/><line x1="{left}" y1="{y}" x2="{left + pw}" y2="{y}" '
            f'stroke="#FFFFFF" stroke-width="2"/>'
        )
    out += names
    for rating in range(lo, hi + 1):
        mark = " (threshold)" if rating == threshold else ""
        x = left + (rating - lo + 0.5) * _GRID_CELL_W
        y = top + (hi - rating + 0.5) * _GRID_CELL_H
        out.append(
            f'<text x="{x:.0f}" y="{top + ph + 16}" text-anchor="middle" font-size="12" '
            f'fill="#333333">{rating}{mark}</text>'
            f'<text x="{left - 6}" y="{y + 4:.0f}" text-anchor="end" font-size="12" '
            f'fill="#333333">{rating}</text>'
        )
    tx, ty = left + t * _GRID_CELL_W, top + (n - t) * _GRID_CELL_H
    out.append(
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#555555"/>'
        f'<line x1="{tx}" y1="{top}" x2="{tx}" y2="{top + ph}" stroke="#111111" '
        f'stroke-width="2.5" stroke-dasharray="8 4"/>'
        f'<line x1="{left}" y1="{ty}" x2="{left + pw}" y2="{ty}" stroke="#111111" '
        f'stroke-width="2.5" stroke-dasharray="8 4"/>'
        f'<text x="{left + pw / 2:.0f}" y="{top + ph + 34}" text-anchor="middle" font-size="13" '
        f'fill="#111111">Interest in this decision (1 low to {hi} high)</text>'
        f'<text x="18" y="{top + ph / 2:.0f}" text-anchor="middle" font-size="13" '
        f'fill="#111111" transform="rotate(-90 18 {top + ph / 2:.0f})">Power over this decision '
        f"(1 low to {hi} high)</text>"
        f'<text x="{left}" y="{top + ph + 52}" font-size="12" fill="#333333">Dashed lines: the '
        f"threshold. A rating of {threshold} or more counts as high; exactly {threshold} is a "
        f"judgment call.</text>"
    )

    drawn, by_cell = [], {}
    for label, name, power, interest, group in people:
        if power is None or interest is None:
            continue
        k = by_cell.get((power, interest), 0)
        by_cell[(power, interest)] = k + 1
        x0, y0 = cell_box(power, interest)
        bx = x0 + 2 + (k % _GRID_COLS) * _GRID_BOX_W
        by = y0 + _GRID_STRIP + (k // _GRID_COLS) * _GRID_BOX_H
        colour, marker, _line = style[group]
        mx, my = bx + 7, by + _GRID_BOX_H / 2
        out.append(
            _MARKERS[marker](mx, my, colour)
            + f'<text x="{bx + 14:.1f}" y="{my + 4:.1f}" font-size="11" font-weight="bold" '
            f'fill="#111111">{esc(label)}</text>'
        )
        p = place(power, interest, threshold, (lo, hi))
        drawn.append(
            {
                "label": label,
                "name": name,
                "power": power,
                "interest": interest,
                "group": group,
                "quadrant": p.quadrant,
                "strategy": p.strategy,
                "colour": colour,
                "marker": marker,
                "cell": (x0, y0, _GRID_CELL_W, _GRID_CELL_H),
                "box": (bx, by, _GRID_BOX_W, _GRID_BOX_H),
            }
        )

    # the key: each group's marker, then every label with the person's name
    y = top + ph + 76
    x = left
    for group in order:
        colour, marker, _line = style[group]
        text = group or "people"
        out.append(
            _MARKERS[marker](x + 6, y - 4, colour)
            + f'<text x="{x + 16}" y="{y}" font-size="12" fill="#111111">{esc(text)}</text>'
        )
        x += 28 + _text_width(text)
    y += 22
    col_w = pw // 3
    for k, (label, name, power, interest, _g) in enumerate(people):
        cx, cy = left + (k % 3) * col_w, y + (k // 3) * 16
        where = "" if power is not None and interest is not None else " (not placed)"
        out.append(
            f'<text x="{cx}" y="{cy}" font-size="12" fill="#111111"><tspan font-weight="bold">'
            f"{esc(label)}</tspan> {esc(name)}{where}</text>"
        )
    height = int(y + ((len(people) + 2) // 3) * 16 + 6)

    if alt is None:
        alt = grid_alt(people, threshold, (lo, hi))
    data = {
        "points": drawn,
        "not_placed": [name for _l, name, pw_, it, _g in people if pw_ is None or it is None],
        "plot_box": (left, top, pw, ph),
        "threshold_lines": (tx, ty),
        "groups": order,
        "size": (width, height),
    }
    return SvgFigure("".join(out), width=width, height=height, alt=alt, data=data)


def grid_alt(people, threshold: int, scale: tuple[int, int]) -> str:
    """Alt text for :func:`stakeholder_grid`: who is in which quadrant, with their ratings.
    ``people`` holds ``(label, name, power, interest, group)`` tuples."""
    from .frameworks.stakeholders import QUADRANTS, STRATEGIES, place

    lo, hi = scale
    placed = [p for p in people if p[2] is not None and p[3] is not None]
    parts = [
        f"Power and interest grid of {len(placed)} of {len(people)} people: interest from {lo} "
        f"(left) to {hi} (right), power from {lo} (bottom) to {hi} (top); a rating of "
        f"{threshold} or more counts as high."
    ]
    for quadrant in QUADRANTS.values():
        inside = [
            f"{name} ({label}, power {power}, interest {interest})"
            for label, name, power, interest, _g in placed
            if place(power, interest, threshold, scale).quadrant == quadrant
        ]
        listed = "; ".join(inside) if inside else "nobody"
        parts.append(f"{STRATEGIES[quadrant].capitalize()} ({quadrant}): {listed}.")
    missing = [
        name for _l, name, power, interest, _g in people if power is None or interest is None
    ]
    if missing:
        parts.append(f"Not placed yet: {'; '.join(missing)}.")
    return " ".join(parts)


def sample_size_chart(
    points: Sequence[tuple[float, int]],
    *,
    alt: str,
    current: tuple[float, int] | None = None,
    reach: tuple[int, str] | None = None,
    title: str = "",
) -> SvgFigure:
    """How the sample per group grows as the minimum detectable effect shrinks, as SVG.

    ``points`` are ``(effect in percentage points, n per group)`` pairs (effects above 0), drawn
    as a line with circle markers on a logarithmic n axis (n grows about as 1/effect²).
    ``current`` is the learner's design, drawn as a larger diamond with a direct label;
    ``reach`` is ``(most units per group the case can reach, label)``, drawn as a dashed line
    with its label. Marker shape and line style, not colour alone, tell them apart. ``data``
    holds what is drawn (points, label boxes), for tests.
    """
    if not alt or not alt.strip():
        raise ValueError("every figure needs alt text (got an empty alt)")
    cleaned = []
    for i, p in enumerate(points, 1):
        try:
            x, n = float(p[0]), float(p[1])
        except (TypeError, ValueError, IndexError):
            raise ValueError(f"point {i} must be (effect, n), two numbers (got {p!r})") from None
        if not (math.isfinite(x) and math.isfinite(n)) or x <= 0 or n < 1:
            raise ValueError(f"point {i} needs an effect above 0 and n of at least 1 (got {p!r})")
        cleaned.append((x, n))
    if not cleaned:
        raise ValueError("sample_size_chart needs at least one point")
    cleaned.sort()
    values = [n for _, n in cleaned]
    xs = [x for x, _ in cleaned]
    if current is not None:
        values.append(float(current[1]))
        xs.append(float(current[0]))
    if reach is not None:
        values.append(float(reach[0]))
    y_lo = 10 ** math.floor(math.log10(max(1.0, min(values))))
    y_hi = 10 ** math.ceil(math.log10(max(values) * 1.0001))
    if y_hi <= y_lo:
        y_hi = y_lo * 10
    x_lo, x_hi = 0.0, max(xs) * 1.05

    width, height = 640, 380
    left, right, top, bottom = 78, 24, 40 if title else 18, 58
    pw, ph = width - left - right, height - top - bottom

    def sx(x: float) -> float:
        return left + pw * (x - x_lo) / (x_hi - x_lo)

    def sy(n: float) -> float:
        frac = (math.log10(n) - math.log10(y_lo)) / (math.log10(y_hi) - math.log10(y_lo))
        return top + ph * (1 - frac)

    esc = html.escape
    blue, vermillion, black = OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["black"]
    out = []
    if title:
        out.append(_svg_title(title, width / 2))
    tick = y_lo
    while tick <= y_hi * 1.0001:
        y = sy(tick)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#E5E5E5"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#333333">{int(tick):,}</text>'
        )
        tick *= 10
    step = 1 if x_hi <= 12 else math.ceil(x_hi / 10)
    tick_x = step
    while tick_x <= x_hi:
        x = sx(tick_x)
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="#F0F0F0"/>'
            f'<text x="{x:.1f}" y="{top + ph + 16}" text-anchor="middle" font-size="12" '
            f'fill="#333333">{tick_x:g}</text>'
        )
        tick_x += step
    out.append(
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#555555"/>'
        f'<text x="{left + pw / 2:.0f}" y="{top + ph + 40}" text-anchor="middle" font-size="13" '
        f'fill="#111111">Minimum detectable effect (percentage points, either direction)</text>'
        f'<text x="18" y="{top + ph / 2:.0f}" text-anchor="middle" font-size="13" fill="#111111" '
        f'transform="rotate(-90 18 {top + ph / 2:.0f})">Units per group (log scale)</text>'
    )
    drawn = [{"effect": x, "n": n, "cx": sx(x), "cy": sy(n)} for x, n in cleaned]
    line = " ".join(f"{p['cx']:.1f},{p['cy']:.1f}" for p in drawn)
    out.append(f'<polyline points="{line}" fill="none" stroke="{blue}" stroke-width="2"/>')
    out.extend(_MARKERS["o"](p["cx"], p["cy"], blue) for p in drawn)
    labels = []
    data: dict = {"points": drawn, "y_range": (y_lo, y_hi), "x_range": (x_lo, x_hi)}
    if reach is not None:
        ry = sy(float(reach[0]))
        text = str(reach[1])
        box = (left + 6, ry - 6 - _LABEL_FONT, _text_width(text), _LABEL_FONT + 4)
        out.append(
            f'<line x1="{left}" y1="{ry:.1f}" x2="{left + pw}" y2="{ry:.1f}" stroke="{black}" '
            f'stroke-width="1.5"{_DASH["--"]}/>'
            f'<text x="{box[0]:.1f}" y="{ry - 6:.1f}" font-size="{_LABEL_FONT}" '
            f'fill="#111111">{esc(text)}</text>'
        )
        labels.append(box)
        data["reach"] = {"n": float(reach[0]), "y": ry, "label": text, "box": box}
    if current is not None:
        cx, cy = sx(float(current[0])), sy(float(current[1]))
        text = f"your design: {int(current[1]):,} per group"
        w = _text_width(text)
        lx = min(max(cx + 10, left + 4), left + pw - w - 4)
        box = (lx, cy - 12 - _LABEL_FONT, w, _LABEL_FONT + 4)
        if any(_boxes_meet(box, other) for other in labels) or box[1] < top:
            box = (lx, cy + 10, w, _LABEL_FONT + 4)
        out.append(
            f'<polygon points="{cx:.1f},{cy - 8:.1f} {cx + 8:.1f},{cy:.1f} {cx:.1f},'
            f'{cy + 8:.1f} {cx - 8:.1f},{cy:.1f}" fill="{vermillion}" stroke="#111111"/>'
            f'<text x="{box[0]:.1f}" y="{box[1] + _LABEL_FONT:.1f}" font-size="{_LABEL_FONT}" '
            f'font-weight="bold" fill="#111111">{esc(text)}</text>'
        )
        labels.append(box)
        data["current"] = {
            "effect": float(current[0]),
            "n": float(current[1]),
            "cx": cx,
            "cy": cy,
            "label": text,
            "box": box,
        }
    data["label_boxes"] = labels
    data["size"] = (width, height)
    return SvgFigure("".join(out), width=width, height=height, alt=alt, data=data)


def result_interval_chart(
    difference: float,
    low: float,
    high: float,
    *,
    success: float,
    kill: float,
    level: float = 0.95,
    alt: str | None = None,
    title: str = "The result against your criteria",
    axis_label: str = "difference, treatment minus control (percentage points)",
) -> SvgFigure:
    """An experiment's observed difference and its confidence interval, in percentage points,
    on one horizontal axis with three reference lines: zero (solid); ``kill``, the smallest
    improvement worth shipping, the success criterion's bar (dashed); and ``success``, the
    improvement the test was sized for, the kill criterion's bar (dotted). The parameter names
    are the keys saved answers use (see :class:`pivot.frameworks.decisions.Criteria`). All
    inputs are rate differences (0.05 = 5 points). Lines differ in dash pattern and label as
    well as colour; each label sits on its own row so none overlap. ``data`` holds what is
    drawn, in points and pixels."""
    values = {"difference": difference, "low": low, "high": high, "success": success, "kill": kill}
    for name, v in values.items():
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ValueError(f"{name} must be a finite number (got {v!r})")
    if not low <= difference <= high:
        raise ValueError(f"difference must lie within [low, high] (got {difference!r})")
    pts = {k: 100 * float(v) for k, v in values.items()}
    lo_x = min(pts.values())
    hi_x = max(pts.values())
    span = max(hi_x - lo_x, 1.0)
    x_lo = math.floor(min(lo_x - 0.1 * span, 0))
    x_hi = math.ceil(max(hi_x + 0.1 * span, 0))
    width, left, right = 640, 40, 30
    pw = width - left - right
    top, row_h = 40, 18
    rows_top = top + 4
    axis_y = rows_top + 4 * row_h + 44
    height = axis_y + 56

    def sx(v: float) -> float:
        return left + (v - x_lo) / (x_hi - x_lo) * pw

    esc = html.escape
    black, blue = OKABE_ITO["black"], OKABE_ITO["blue"]
    out = [_svg_title(title, width / 2)]
    refs = [
        ("zero", 0.0, black, "-", "no difference"),
        (
            "kill",
            pts["kill"],
            OKABE_ITO["bluish green"],
            "--",
            f"worth shipping: {_fmt(pts['kill'])} (success)",
        ),
        (
            "success",
            pts["success"],
            OKABE_ITO["vermillion"],
            ":",
            f"sized for: {_fmt(pts['success'])} (kill if the top is below)",
        ),
    ]
    drawn_refs = {}
    for row, (key, v, colour, dash, label) in enumerate(refs):
        x = sx(v)
        ty = rows_top + (row + 1) * row_h + _LABEL_FONT
        w = _text_width(label)
        lx = min(max(x - w / 2, 2), width - w - 2)
        out.append(
            f'<line x1="{x:.1f}" y1="{ty + 4:.1f}" x2="{x:.1f}" y2="{axis_y:.1f}" '
            f'stroke="{colour}" stroke-width="2"{_DASH[dash]}/>'
            f'<text x="{lx:.1f}" y="{ty:.1f}" font-size="{_LABEL_FONT}" fill="#111111">'
            f"{esc(label)}</text>"
        )
        drawn_refs[key] = {
            "points": v,
            "x": x,
            "label": label,
            "box": (lx, ty - _LABEL_FONT, w, 16),
        }
    bar_y = axis_y - 30
    x1, x2, xm = sx(pts["low"]), sx(pts["high"]), sx(pts["difference"])
    out.append(
        f'<line x1="{x1:.1f}" y1="{bar_y}" x2="{x2:.1f}" y2="{bar_y}" stroke="{blue}" '
        f'stroke-width="4"/>'
        f'<line x1="{x1:.1f}" y1="{bar_y - 8}" x2="{x1:.1f}" y2="{bar_y + 8}" stroke="{blue}" '
        f'stroke-width="2"/>'
        f'<line x1="{x2:.1f}" y1="{bar_y - 8}" x2="{x2:.1f}" y2="{bar_y + 8}" stroke="{blue}" '
        f'stroke-width="2"/>' + _MARKERS["o"](xm, bar_y, black)
    )
    est = (
        f"observed {_fmt(pts['difference'])} points; {round(level * 100)} % interval "
        f"{_fmt(pts['low'])} to {_fmt(pts['high'])}"
    )
    w = _text_width(est)
    ex = min(max(xm - w / 2, 2), width - w - 2)
    out.append(
        f'<text x="{ex:.1f}" y="{rows_top + _LABEL_FONT}" font-size="{_LABEL_FONT}" '
        f'font-weight="bold" '
        f'fill="#111111">{esc(est)}</text>'
    )
    out.append(f'<line x1="{left}" y1="{axis_y}" x2="{left + pw}" y2="{axis_y}" stroke="{black}"/>')
    step = max(1, math.ceil((x_hi - x_lo) / 8))
    tick = x_lo
    while tick <= x_hi:
        tx = sx(tick)
        out.append(
            f'<line x1="{tx:.1f}" y1="{axis_y}" x2="{tx:.1f}" y2="{axis_y + 5}" stroke="{black}"/>'
            f'<text x="{tx:.1f}" y="{axis_y + 18}" font-size="11" text-anchor="middle" '
            f'fill="#111111">{tick:+d}</text>'.replace(">+0<", ">0<")
        )
        tick += step
    out.append(
        f'<text x="{left + pw / 2:.0f}" y="{axis_y + 40}" font-size="12" text-anchor="middle" '
        f'fill="#111111">{esc(axis_label)}</text>'
    )
    if alt is None:
        alt = (
            f"The observed {axis_label.split(' (')[0]} is {_fmt(pts['difference'])} percentage "
            f"points, with a "
            f"{round(level * 100)} % confidence interval from {_fmt(pts['low'])} to "
            f"{_fmt(pts['high'])}. Reference lines: no difference at 0; the smallest "
            f"improvement worth shipping, {_fmt(pts['kill'])} (the success criterion ships a "
            f"real improvement that reaches it); the improvement the test was sized for, "
            f"{_fmt(pts['success'])} (the kill criterion kills when the top of the interval is "
            f"below it)."
        )
    data = {
        "points": pts,
        "x_range": (x_lo, x_hi),
        "refs": drawn_refs,
        "interval": {
            "x1": x1,
            "x2": x2,
            "x": xm,
            "y": bar_y,
            "label": est,
            "box": (ex, rows_top, w, 16),
        },
        "size": (width, height),
    }
    return SvgFigure("".join(out), width=width, height=height, alt=alt, data=data)


# --- the risk heat map (Shift 4, pre-mortem) ----------------------------------------------------
#: Light fills for the three bands of :data:`pivot.frameworks.risk.BANDS`; every cell also names
#: its band and score in words, so the fill is never the only cue.
HEATMAP_FILLS = {"low": "#E3F1EA", "medium": "#FBF0C9", "high": "#F8D8C8"}
_HM_CELL_W, _HM_CELL_H, _HM_PER_LINE, _HM_LINES = 124, 88, 3, 3


def risk_heatmap(
    risks: Sequence[Mapping[str, object]], *, title: str = "", alt: str | None = None
) -> SvgFigure:
    """A probability × impact matrix as an SVG heat map: 5 × 5 cells, likelihood up (1 at the
    bottom), impact across (1 on the left).

    ``risks`` is a sequence of ``{"label": str (1 to 4 characters), "likelihood": int or None,
    "impact": int or None}``. Each cell shows its score (likelihood × impact) and band in words,
    the number of risks in it and their labels (at most nine, then "+n more"), so nothing
    depends on colour alone; the score and the band come from :mod:`pivot.frameworks.risk`.
    Risks without both ratings are not drawn and are listed as not placed in the alt text,
    which (unless ``alt`` is given) names the risks in every occupied cell, high band first.
    ``data["cells"]`` maps each ``(likelihood, impact)`` to its labels, for tests.
    """
    from .frameworks.risk import BANDS, IMPACT_SCALE, LIKELIHOOD_SCALE, band, score

    placed: dict[tuple[int, int], list[str]] = {
        (lk, im): [] for lk in range(1, 6) for im in range(1, 6)
    }
    labels, not_placed = [], []
    for i, r in enumerate(risks, 1):
        label = str(r.get("label", "")).strip()
        if not 1 <= len(label) <= 4:
            raise ValueError(f"risk {i} needs a label of 1 to 4 characters (got {label!r})")
        if label in labels:
            raise ValueError(f"each risk needs its own label (repeated: {label})")
        labels.append(label)
        try:
            lk = _grid_rating(r.get("likelihood"), 1, 5)
            im = _grid_rating(r.get("impact"), 1, 5)
        except ValueError as exc:
            raise ValueError(f"risk {i} ({label}): {exc}") from None
        if lk is None or im is None:
            not_placed.append(label)
        else:
            placed[(lk, im)].append(label)

    esc = html.escape
    left, top = 128, 40 if title else 14
    pw, ph = 5 * _HM_CELL_W, 5 * _HM_CELL_H
    width = left + pw + 16
    out = [_svg_title(title, width / 2)] if title else []
    for (lk, im), inside in placed.items():
        x, y = left + (im - 1) * _HM_CELL_W, top + (5 - lk) * _HM_CELL_H
        s = score(lk, im)
        b = band(s)
        out.append(
            f'<rect x="{x}" y="{y}" width="{_HM_CELL_W}" height="{_HM_CELL_H}" '
            f'fill="{HEATMAP_FILLS[b]}" stroke="#FFFFFF" stroke-width="2"/>'
            f'<text x="{x + 6}" y="{y + 14}" font-size="11" fill="#333333">{s} · {b}</text>'
        )
        n = len(inside)
        out.append(
            f'<text x="{x + _HM_CELL_W - 8}" y="{y + 16}" text-anchor="end" font-size="14" '
            f'font-weight="bold" fill="#111111">{n if n else ""}</text>'
        )
        shown = inside[: _HM_PER_LINE * _HM_LINES]
        if n > len(shown):  # room for "+n more" on the last line
            shown = inside[: _HM_PER_LINE * _HM_LINES - 1]
        lines = [shown[k : k + _HM_PER_LINE] for k in range(0, len(shown), _HM_PER_LINE)]
        if n > len(shown):
            more = f"+{n - len(shown)} more"
            if lines and len(lines[-1]) < _HM_PER_LINE and len(lines) == _HM_LINES:
                lines[-1] = [*lines[-1], more]
            else:
                lines.append([more])
        for k, line in enumerate(lines):
            out.append(
                f'<text x="{x + 6}" y="{y + 36 + k * 16}" font-size="12" font-weight="bold" '
                f'fill="#111111">{esc(" ".join(line))}</text>'
            )
    for v in range(1, 6):
        cx = left + (v - 0.5) * _HM_CELL_W
        cy = top + (5 - v + 0.5) * _HM_CELL_H
        out.append(
            f'<text x="{cx:.0f}" y="{top + ph + 16}" text-anchor="middle" font-size="12" '
            f'fill="#333333">{v}</text>'
            f'<text x="{cx:.0f}" y="{top + ph + 30}" text-anchor="middle" font-size="11" '
            f'fill="#333333">{esc(IMPACT_SCALE[v])}</text>'
            f'<text x="{left - 8}" y="{cy - 2:.0f}" text-anchor="end" font-size="12" '
            f'fill="#333333">{v}</text>'
            f'<text x="{left - 8}" y="{cy + 12:.0f}" text-anchor="end" font-size="11" '
            f'fill="#333333">{esc(LIKELIHOOD_SCALE[v])}</text>'
        )
    bands = ", ".join(f"{name} {lo}–{hi}" for name, lo, hi in BANDS)
    out.append(
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#555555"/>'
        f'<text x="{left + pw / 2:.0f}" y="{top + ph + 50}" text-anchor="middle" font-size="13" '
        f'fill="#111111">Impact if it happens (1 to 5)</text>'
        f'<text x="18" y="{top + ph / 2:.0f}" text-anchor="middle" font-size="13" '
        f'fill="#111111" transform="rotate(-90 18 {top + ph / 2:.0f})">Likelihood (1 to 5)</text>'
        f'<text x="{left}" y="{top + ph + 70}" font-size="12" fill="#333333">Each cell: score = '
        f"likelihood × impact and its band ({esc(bands)});</text>"
        f'<text x="{left}" y="{top + ph + 86}" font-size="12" fill="#333333">the number of risks '
        "in it (right) and their labels.</text>"
    )
    height = top + ph + 96
    if alt is None:
        alt = heatmap_alt(placed, not_placed)
    data = {"cells": placed, "not_placed": not_placed, "size": (width, height)}
    return SvgFigure("".join(out), width=width, height=height, alt=alt, data=data)


def heatmap_alt(placed: Mapping[tuple[int, int], Sequence[str]], not_placed: Sequence[str]) -> str:
    """Alt text for :func:`risk_heatmap`: the risks in each occupied cell, by band (high first),
    cells in order of score, then impact."""
    from .frameworks.risk import BANDS, band, score

    total = sum(len(v) for v in placed.values())
    parts = [
        f"Risk heat map of {total} risks: likelihood from 1 (rare, bottom) to 5 (almost certain, "
        "top), impact from 1 (negligible, left) to 5 (severe, right); score = likelihood × "
        "impact, bands " + ", ".join(f"{n} {lo} to {hi}" for n, lo, hi in BANDS) + "."
    ]
    for name, _lo, _hi in reversed(BANDS):
        cells = sorted(
            ((lk, im) for (lk, im), v in placed.items() if v and band(score(lk, im)) == name),
            key=lambda c: (-score(*c), -c[1]),
        )
        listed = "; ".join(
            f"likelihood {lk}, impact {im} (score {score(lk, im)}): {', '.join(placed[(lk, im)])}"
            for lk, im in cells
        )
        parts.append(f"{name.capitalize()} band: {listed or 'none'}.")
    if not_placed:
        parts.append(f"Not placed yet: {', '.join(not_placed)}.")
    return " ".join(parts)


# --- the assumption map (Shift 4) ---------------------------------------------------------------
#: Light fills for the three regions of :func:`assumption_map`; each region is also named in
#: words, so the fill is never the only cue.
MAP_FILLS = {
    "test first": "#FBE3C6",
    "important, some evidence": "#D7ECF9",
    "less important": "#F2F2F2",
}
#: At most this many assumptions on one map (every one of them fits in a single cell).
MAP_MAX_POINTS = 16


def assumption_map(
    points: Sequence[Mapping[str, object]],
    *,
    alt: str | None = None,
    title: str = "",
    kinds: Sequence[str] | None = None,
) -> SvgFigure:
    """The assumption map (importance × evidence, after Bland & Osterwalder's assumptions
    mapping) as SVG.

    ``points`` is a sequence of ``{"label": str (1 to 3 characters), "name": str, "importance":
    int or None, "evidence": int or None, "kind": str}``. Evidence runs across (1, none, on the
    left; 5, strong, on the right), importance up (1 at the bottom, 5 at the top), one cell per
    whole rating. The regions are :func:`pivot.frameworks.risk.quadrant`'s: *test first*
    (importance 4–5, evidence 1–2, top left), *important, some evidence* (top right) and *less
    important* (importance 1–3, the bottom three rows), each named in words and bounded by thick
    dashed lines. Assumptions that share a cell are laid out side by side within it, so no two
    labels ever overlap. Each is a marker whose colour *and* shape show its kind (at most four,
    in the order of ``kinds`` or of first appearance), with its label beside it; the key lists
    every label with its name. Assumptions without both ratings are not drawn and are listed as
    not placed. ``data["points"]`` holds each drawn assumption's cell, marker and label box.
    """
    from .frameworks.risk import TEST_FIRST_EVIDENCE, TEST_FIRST_IMPORTANCE, exposure, quadrant

    lo, hi = 1, 5
    items, style = _grid_points(
        points,
        ("importance", "evidence", "kind"),
        (lo, hi),
        order=kinds,
        limits=(f"assumption_map shows at most {MAP_MAX_POINTS} assumptions", MAP_MAX_POINTS),
        repeated_message="each assumption needs its own label",
        apart_message="assumption_map tells at most {n} kinds apart",
    )
    order = list(style)

    n = hi - lo + 1
    cw, ch = _GRID_CELL_W, _GRID_CELL_H
    left, top = 70, 40 if title else 14
    pw, ph = n * cw, n * ch
    width = left + pw + 16
    ev_cut = TEST_FIRST_EVIDENCE - lo + 1  # columns in the test-first region
    im_rows = hi - TEST_FIRST_IMPORTANCE + 1  # rows of the important regions

    esc = html.escape
    out = [_svg_title(title, width / 2)] if title else []
    regions = {
        "test first": (0, 0, ev_cut, im_rows),
        "important, some evidence": (ev_cut, 0, n - ev_cut, im_rows),
        "less important": (0, im_rows, n, n - im_rows),
    }
    names = []
    for region, (cx, cy, rw, rh) in regions.items():
        x, y = left + cx * cw, top + cy * ch
        out.append(
            f'<rect x="{x}" y="{y}" width="{rw * cw}" height="{rh * ch}" '
            f'fill="{MAP_FILLS[region]}"/>'
        )
        names.append(
            f'<text x="{x + 6}" y="{y + 13}" font-size="12" font-weight="bold" '
            f'fill="#111111">{esc(region[0].upper() + region[1:])}</text>'
        )
    for k in range(n + 1):
        x, y = left + k * cw, top + k * ch
        out.append(
            f'<line x1="{x}" y1="{top}" x2="{x}" y2="{top + ph}" stroke="#FFFFFF" '
            f'stroke-width="2"/><line x1="{left}" y1="{y}" x2="{left + pw}" y2="{y}" '
            f'stroke="#FFFFFF" stroke-width="2"/>'
        )
    out += names
    for rating in range(lo, hi + 1):
        x = left + (rating - lo + 0.5) * cw
        y = top + (hi - rating + 0.5) * ch
        out.append(
            f'<text x="{x:.0f}" y="{top + ph + 16}" text-anchor="middle" font-size="12" '
            f'fill="#333333">{rating}</text>'
            f'<text x="{left - 6}" y="{y + 4:.0f}" text-anchor="end" font-size="12" '
            f'fill="#333333">{rating}</text>'
        )
    vx, hy = left + ev_cut * cw, top + im_rows * ch
    out.append(
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#555555"/>'
        f'<line x1="{vx}" y1="{top}" x2="{vx}" y2="{hy}" stroke="#111111" '
        f'stroke-width="2.5" stroke-dasharray="8 4"/>'
        f'<line x1="{left}" y1="{hy}" x2="{left + pw}" y2="{hy}" stroke="#111111" '
        f'stroke-width="2.5" stroke-dasharray="8 4"/>'
        f'<text x="{left + pw / 2:.0f}" y="{top + ph + 34}" text-anchor="middle" font-size="13" '
        f'fill="#111111">Evidence for it (1 none to {hi} strong)</text>'
        f'<text x="18" y="{top + ph / 2:.0f}" text-anchor="middle" font-size="13" '
        f'fill="#111111" transform="rotate(-90 18 {top + ph / 2:.0f})">Importance to the idea '
        f"(1 low to {hi} it fails)</text>"
        f'<text x="{left}" y="{top + ph + 52}" font-size="12" fill="#333333">Dashed lines: test '
        f"first means importance {TEST_FIRST_IMPORTANCE} or more with evidence "
        f"{TEST_FIRST_EVIDENCE} or less.</text>"
    )

    drawn, by_cell = [], {}
    for label, name, importance, evidence, kind in items:
        if importance is None or evidence is None:
            continue
        k = by_cell.get((importance, evidence), 0)
        by_cell[(importance, evidence)] = k + 1
        x0, y0 = left + (evidence - lo) * cw, top + (hi - importance) * ch
        bx = x0 + 2 + (k % _GRID_COLS) * _GRID_BOX_W
        by = y0 + _GRID_STRIP + (k // _GRID_COLS) * _GRID_BOX_H
        colour, marker, _line = style[kind]
        mx, my = bx + 7, by + _GRID_BOX_H / 2
        out.append(
            _MARKERS[marker](mx, my, colour)
            + f'<text x="{bx + 14:.1f}" y="{my + 4:.1f}" font-size="11" font-weight="bold" '
            f'fill="#111111">{esc(label)}</text>'
        )
        drawn.append(
            {
                "label": label,
                "name": name,
                "importance": importance,
                "evidence": evidence,
                "kind": kind,
                "quadrant": quadrant(importance, evidence),
                "exposure": exposure(importance, evidence),
                "colour": colour,
                "marker": marker,
                "cell": (x0, y0, cw, ch),
                "box": (bx, by, _GRID_BOX_W, _GRID_BOX_H),
            }
        )

    # the key: each kind's marker, then every label with its name, in two columns
    y = top + ph + 76
    x = left
    for kind in order:
        colour, marker, _line = style[kind]
        text = kind or "assumptions"
        out.append(
            _MARKERS[marker](x + 6, y - 4, colour)
            + f'<text x="{x + 16}" y="{y}" font-size="12" fill="#111111">{esc(text)}</text>'
        )
        x += 28 + _text_width(text)
    y += 22
    col_w = pw // 2
    room = int((col_w - 12) / _CHAR_W)
    for k, (label, name, importance, evidence, _kind) in enumerate(items):
        where = "" if importance is not None and evidence is not None else " (not placed)"
        text = f"{name}{where}"
        if len(label) + 1 + len(text) > room:
            text = text[: max(1, room - len(label) - 2)].rstrip() + "…"
        cx, cy = left + (k % 2) * col_w, y + (k // 2) * 16
        out.append(
            f'<text x="{cx}" y="{cy}" font-size="12" fill="#111111"><tspan font-weight="bold">'
            f"{esc(label)}</tspan> {esc(text)}</text>"
        )
    height = int(y + ((len(items) + 1) // 2) * 16 + 6)

    if alt is None:
        alt = map_alt(items)
    data = {
        "points": drawn,
        "not_placed": [name for _l, name, im, ev, _k in items if im is None or ev is None],
        "plot_box": (left, top, pw, ph),
        "threshold_lines": (vx, hy),
        "kinds": order,
        "size": (width, height),
    }
    return SvgFigure("".join(out), width=width, height=height, alt=alt, data=data)


def map_alt(items) -> str:
    """Alt text for :func:`assumption_map`: the assumptions in each region, riskiest region
    first. ``items`` holds ``(label, name, importance, evidence, kind)`` tuples."""
    from .frameworks.risk import quadrant

    placed = [it for it in items if it[2] is not None and it[3] is not None]
    parts = [
        f"Assumption map of {len(placed)} of {len(items)} assumptions: evidence from 1, none "
        "(left), to 5, strong (right); importance from 1 (bottom) to 5, the idea fails if it is "
        "wrong (top)."
    ]
    for region, rule in (
        ("test first", "importance 4 or 5, evidence 1 or 2"),
        ("important, some evidence", "importance 4 or 5, evidence 3 or more"),
        ("less important", "importance 1 to 3"),
    ):
        inside = [
            f"{label} {name} (importance {im}, evidence {ev})"
            for label, name, im, ev, _k in placed
            if quadrant(im, ev) == region
        ]
        listed = "; ".join(inside) if inside else "none"
        parts.append(f"{region.capitalize()} ({rule}): {listed}.")
    missing = [f"{label} {name}" for label, name, im, ev, _k in items if im is None or ev is None]
    if missing:
        parts.append(f"Not placed yet: {'; '.join(missing)}.")
    return " ".join(parts)
