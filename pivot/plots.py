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
        out.append(_svg_title(title, cx, y=20))
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
) -> SvgFigure:
    """An opportunity solution tree (Torres 2021) as SVG: the outcome at the top, one column
    per opportunity under it, each opportunity's solutions stacked beneath it.

    ``opportunities`` is a sequence of ``{"name": str, "solutions": [str, ...], "target": bool}``.
    The target opportunity has a thick border and the word TARGET (not colour alone). Empty
    names show as "(unnamed)". Without ``alt``, alt text describing the whole structure is
    written from the data. ``data`` holds the boxes drawn, by level.
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
    width = max(420, cols * col_w + 20)
    shown = [min(len(o["solutions"]), max_solutions) for o in opps] or [0]
    extra = [1 if len(o["solutions"]) > max_solutions else 0 for o in opps] or [0]
    y_outcome = 36 if title else 14
    y_opp = y_outcome + box_h + 46
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
    out.append(
        box(ox, y_outcome, 340, box_h, _wrap("Outcome: " + (outcome or "(not set)"), 50), "#D7ECF9")
    )
    boxes = {"outcome": outcome, "opportunities": [], "solutions": []}
    start = (width - cols * col_w) / 2
    for i, o in enumerate(opps):
        x = start + i * col_w + (col_w - box_w) / 2
        mid = x + box_w / 2
        out.append(
            f'<line x1="{width / 2:.1f}" y1="{y_outcome + box_h}" x2="{mid:.1f}" y2="{y_opp}" '
            f'stroke="#555555" stroke-width="1.5"/>'
        )
        name = o["name"] or "(unnamed)"
        label = ("★ TARGET: " if o["target"] else f"{i + 1}. ") + name
        out.append(
            box(
                x,
                y_opp,
                box_w,
                box_h,
                _wrap(label, 26),
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
                    _wrap(sol, 24),
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
