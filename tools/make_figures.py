"""Regenerate the book's static figures (``make figures``); a test checks they are up to date."""

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg

from pivot import plots

FIGURES = Path(__file__).resolve().parent.parent / "book" / "figures"


def unclipped(fig: plots.AltFigure) -> plots.AltFigure:
    """Draw every box and label whole: a diagram's axes have no frame, so nothing may be cut at
    their edge (the concept map's side boxes overhang it by their rounded padding). Raises
    ValueError naming the artist when something would still fall outside the figure itself."""
    figure = fig.figure
    for ax in figure.axes:
        for artist in [*ax.patches, *ax.texts]:
            artist.set_clip_on(False)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    page = figure.bbox
    for ax in figure.axes:
        for artist in [*ax.patches, *ax.texts]:
            box = artist.get_window_extent(renderer)
            if box.x0 < page.x0 or box.y0 < page.y0 or box.x1 > page.x1 or box.y1 > page.y1:
                raise ValueError(f"{artist!r} falls outside the figure ({box} not within {page})")
    return fig


def build(folder: Path = FIGURES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "four-shifts.svg"
    plots.save_svg(unclipped(plots.four_shifts_map()), target)
    return [target]


if __name__ == "__main__":
    for path in build():
        print(f"wrote {path}")
