"""Regenerate the book's static figures (``make figures``); a test checks they are up to date."""

from pathlib import Path

from pivot import plots

FIGURES = Path(__file__).resolve().parent.parent / "book" / "figures"


def build(folder: Path = FIGURES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "four-shifts.svg"
    plots.save_svg(plots.four_shifts_map(), target)
    return [target]


if __name__ == "__main__":
    for path in build():
        print(f"wrote {path}")
