"""Benchmarks (``make bench``): how fast the course is for a learner and for its maintainers.

Sections (all by default; pick with ``--only kernel,lab,...``):

- ``kernel``: in-kernel feedback latency of every exercise in ``pivot.exercises``: a control's
  value is changed (seeded random choices, as a learner would), which recomputes the feedback,
  redraws the figure and saves the workbook atomically to a real file. Median and p95.
- ``prioritisation``: re-ranking a synthetic backlog of 10, 100, 1,000 and 10,000 rows (through
  the prioritisation exercise's ``rerank()`` once it exists, else the framework pipeline).
- ``lab``: in JupyterLab (Debian's Chromium): a rating clicked -> the feedback panel updated on
  screen, median over at least 20 clicks per exercise notebook.
- ``nbval``: ``pytest --nbval-lax notebooks/`` wall time.
- ``book``: book build time, clean (fresh output folder) and with nothing changed.
- ``pages``: weight of each built page (HTML) and of the assets it loads from the site.
- ``setup``: a fresh virtual environment from requirements.txt: time and size (slow; opt in
  with ``--only setup``).

Prints a table per section and writes ``bench/results.json``. No test asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results.json"
BIN = Path(sys.executable).parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "browser")]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values), 2),
        "p95_ms": round(percentile(values, 0.95), 2),
        "max_ms": round(max(values), 2),
    }


def table(title: str, header: list[str], rows: list[list]) -> None:
    print(f"\n## {title}")
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


# --- kernel --------------------------------------------------------------------------------
def _controls(widget):
    """Every choice and text control inside a widget tree, in display order."""
    import ipywidgets as W

    if isinstance(widget, W.Box):
        for child in widget.children:
            yield from _controls(child)
    elif isinstance(widget, W.RadioButtons | W.ToggleButtons | W.Dropdown):
        if len(widget.options) > 1:
            yield widget
    elif isinstance(widget, W.Textarea | W.Text):
        yield widget


def bench_kernel(moves: int = 200, seed: int = 7) -> list[dict]:
    import ipywidgets as W

    import pivot.exercises as exercises
    from pivot.workbook import Workbook

    rng = random.Random(seed)
    results = []
    for name in exercises.__all__:
        cls = getattr(exercises, name)
        folder = Path(tempfile.mkdtemp(prefix="pivot-bench-"))
        ex = cls(Workbook(folder / "workbook.json"))
        controls = [c for c in _controls(ex.widget) if not isinstance(c, W.Text | W.Textarea)]
        if not controls:
            continue
        times = []
        for _ in range(moves):
            control = rng.choice(controls)
            values = [v for _, v in _options(control) if v != control.value]
            if not values:
                continue
            value = rng.choice(values)
            t0 = time.perf_counter()
            control.value = value
            times.append((time.perf_counter() - t0) * 1000)
        shutil.rmtree(folder, ignore_errors=True)
        results.append({"exercise": name, "controls": len(controls), **summary(times)})
    table(
        "In-kernel feedback latency (control changed -> feedback, figure, atomic save)",
        ["exercise", "controls", "n", "median ms", "p95 ms", "max ms"],
        [
            [r["exercise"], r["controls"], r["n"], r["median_ms"], r["p95_ms"], r["max_ms"]]
            for r in results
        ],
    )
    return results


def _options(control):
    opts = control.options
    if isinstance(opts, dict):
        return list(opts.items())
    return [(o, o) if not isinstance(o, tuple) else o for o in opts]


# --- prioritisation at scale ------------------------------------------------------------------
ROW_COUNTS = (10, 100, 1_000, 10_000)


def synthetic_backlog(n: int, seed: int = 11):
    """A valid backlog of ``n`` items (seeded), with the columns of data/backlog.csv."""
    import pandas as pd

    rng = random.Random(seed)
    fib = [1, 2, 3, 5, 8, 13, 20]
    rows = [
        {
            "item_id": f"B{i:05d}",
            "title": f"Item {i}",
            "pain_point": "none",
            "requested_by": "C01",
            "reach": rng.randint(1, 900),
            "impact": rng.choice([3, 2, 1, 0.5, 0.25]),
            "confidence": rng.choice([100, 80, 50]),
            "effort": rng.choice([0.5, 1, 2, 3, 5, 8]),
            "business_value": rng.choice(fib),
            "time_criticality": rng.choice(fib),
            "risk_reduction": rng.choice(fib),
            "job_size": rng.choice(fib),
            "moscow": rng.choice(["Must", "Should", "Could", "Won't"]),
            "type": "feature",
        }
        for i in range(1, n + 1)
    ]
    return pd.DataFrame(rows)


def _rerank_function(backlog):
    """Re-rank as the prioritisation exercise does: through its widget when it exists
    (``rerank()``: scores, comparison and redraw), otherwise through the framework alone."""
    import pivot.exercises as exercises
    from pivot.frameworks import prioritization as pr

    widget_cls = getattr(exercises, "PrioritiseBacklog", None)
    if widget_cls is not None and hasattr(widget_cls, "rerank"):
        from pivot.workbook import Workbook

        ex = widget_cls(Workbook(None), backlog=backlog)
        # every part in use, as a learner leaves it: five gut picks, an item being re-estimated
        offered = [v for _, v in ex.picks[0].options][1:]
        for pick, item in zip(ex.picks, offered[-5:], strict=False):
            pick.value = item
        ex.item.value = offered[len(offered) // 2]
        return "widget rerank + redraw (all parts in use)", ex.rerank

    def pipeline():
        rice = pr.score_backlog(backlog, "rice")
        wsjf = pr.score_backlog(backlog, "wsjf")
        pr.kendall_tau(rice["rank"], wsjf["rank"])
        pr.biggest_moves(rice["rank"], wsjf["rank"], 5)

    return "RICE + WSJF + Kendall tau + biggest moves", pipeline


def bench_prioritisation() -> list[dict]:
    results = []
    for n in ROW_COUNTS:
        what, run = _rerank_function(synthetic_backlog(n))
        run()  # warm up
        repeats = 40 if n <= 1_000 else 10
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            run()
            times.append((time.perf_counter() - t0) * 1000)
        results.append({"rows": n, "what": what, **summary(times)})
    table(
        "Prioritisation: re-rank at scale",
        ["rows", "what", "n", "median ms", "p95 ms", "max ms"],
        [[r["rows"], r["what"], r["n"], r["median_ms"], r["p95_ms"], r["max_ms"]] for r in results],
    )
    return results


# --- lab -------------------------------------------------------------------------------------
MEASURE_JS = """async ([index]) => {
  const area = Array.from(document.querySelectorAll('.jp-OutputArea-output'))
      .filter(a => a.querySelector('.pivot-feedback'))[0];
  const feedback = area.querySelector('.pivot-feedback');
  const radios = Array.from(area.querySelectorAll('.widget-radio-box input[type=radio]'))
      .filter(r => !r.checked);
  const target = radios[index % radios.length];
  return await new Promise(resolve => {
    const t0 = performance.now();
    const obs = new MutationObserver(() => { obs.disconnect(); resolve(performance.now() - t0); });
    obs.observe(area, {subtree: true, childList: true, characterData: true, attributes: true,
                       attributeFilter: ['value']});
    obs.observe(feedback.parentNode, {subtree: true, childList: true, characterData: true});
    target.click();
    setTimeout(() => { obs.disconnect(); resolve(null); }, 2000);
  });
}"""


def bench_lab(clicks: int = 25) -> list[dict]:
    from lab import exercise_notebooks, start_lab, stop_lab
    from playwright.sync_api import sync_playwright

    base = Path(tempfile.mkdtemp(prefix="pivot-bench-lab-"))
    lab = start_lab(base)
    results = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for notebook in exercise_notebooks():
                page.goto(lab.notebook_url(notebook))
                page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
                page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
                page.get_by_text("Run All Cells", exact=True).click()
                page.locator(".pivot-feedback").first.wait_for(timeout=90_000)
                page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
                has_radio = page.evaluate(
                    "() => !!document.querySelector('.jp-OutputArea-output .widget-radio-box')"
                )
                if not has_radio:
                    continue
                times, misses = [], 0
                for i in range(clicks * 2):
                    ms = page.evaluate(MEASURE_JS, [i])
                    if ms is None:
                        misses += 1  # this click changed nothing on screen (e.g. a disabled row)
                        if misses >= 5 and not times:
                            break
                    else:
                        times.append(ms)
                    if len(times) >= clicks:
                        break
                    page.wait_for_timeout(100)
                if times:
                    results.append({"notebook": notebook, **summary(times)})
            browser.close()
    finally:
        stop_lab(lab)
        shutil.rmtree(base, ignore_errors=True)
    table(
        "JupyterLab: rating clicked -> feedback updated on screen",
        ["notebook", "n", "median ms", "p95 ms", "max ms"],
        [[r["notebook"], r["n"], r["median_ms"], r["p95_ms"], r["max_ms"]] for r in results],
    )
    return results


# --- nbval, book, pages, setup ---------------------------------------------------------------
def timed(cmd: list[str], **kwargs) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return round(time.perf_counter() - t0, 1)


def bench_nbval() -> dict:
    env = dict(os.environ, PIVOT_WORKBOOK=":memory:")
    seconds = timed(
        [
            str(BIN / "python"),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval-lax",
            "notebooks",
        ],
        cwd=ROOT,
        env=env,
    )
    n = len(list((ROOT / "notebooks").rglob("*.ipynb")))
    table("nbval", ["notebooks", "seconds"], [[n, seconds]])
    return {"notebooks": n, "seconds": seconds}


def bench_book() -> dict:
    out = Path(tempfile.mkdtemp(prefix="pivot-bench-book-"))
    cmd = [
        str(BIN / "jupyter-book"),
        "build",
        str(ROOT),
        "--path-output",
        str(out),
        "-W",
        "-n",
        "--keep-going",
    ]
    clean = timed(cmd, cwd=ROOT)
    unchanged = timed(cmd, cwd=ROOT)
    html = out / "_build" / "html"
    pages = bench_pages(html)
    shutil.rmtree(out, ignore_errors=True)
    table("Book build", ["clean s", "nothing changed s"], [[clean, unchanged]])
    return {"clean_seconds": clean, "unchanged_seconds": unchanged, "pages": pages}


def bench_pages(html: Path) -> list[dict]:
    rows = []
    for page in sorted(html.rglob("*.html")):
        if "_static" in page.parts or "pivot-widgets" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        assets = set(re.findall(r'(?:src|href)="([^"#?]+\.(?:js|css))', text))
        asset_bytes = 0
        for a in assets:
            path = (page.parent / a).resolve()
            if path.exists():
                asset_bytes += path.stat().st_size
        rows.append(
            {
                "page": str(page.relative_to(html)),
                "html_kb": round(len(text.encode()) / 1024, 1),
                "assets_kb": round(asset_bytes / 1024, 1),
            }
        )
    table(
        "Page weight",
        ["page", "HTML kB", "site JS+CSS kB"],
        [[r["page"], r["html_kb"], r["assets_kb"]] for r in rows],
    )
    return rows


def bench_setup() -> dict:
    base = Path(tempfile.mkdtemp(prefix="pivot-bench-venv-"))
    venv = base / "venv"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True, cwd=ROOT)
    subprocess.run(
        [*pip, "-r", "requirements.txt", "-c", "requirements-lock.txt"], check=True, cwd=ROOT
    )
    seconds = round(time.perf_counter() - t0, 1)
    size = sum(f.stat().st_size for f in venv.rglob("*") if f.is_file())
    shutil.rmtree(base, ignore_errors=True)
    result = {"seconds": seconds, "venv_mb": round(size / 2**20)}
    table("Fresh setup", ["seconds", "venv MB"], [[result["seconds"], result["venv_mb"]]])
    return result


SECTIONS = {
    "kernel": bench_kernel,
    "prioritisation": bench_prioritisation,
    "lab": bench_lab,
    "nbval": bench_nbval,
    "book": bench_book,
    "setup": bench_setup,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        default="kernel,lab,nbval,book",
        help="comma-separated sections: " + ", ".join(SECTIONS),
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("PIVOT_WORKBOOK", ":memory:")
    results = json.loads(OUT.read_text()) if OUT.exists() else {}
    results["meta"] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    for name in args.only.split(","):
        results[name] = SECTIONS[name.strip()]()
    OUT.write_text(json.dumps(results, indent=1) + "\n")
    print(f"\nwritten {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
