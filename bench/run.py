"""Benchmarks of in-kernel feedback latency (``make bench``): prints a table, writes JSON.

No timing is asserted anywhere in the tests; this script is where speed is shown.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PIVOT_WORKBOOK", ":memory:")

from pivot.exercises import SelfAssessment
from pivot.exercises import self_assessment as sa_module
from pivot.workbook import Workbook

OUT = Path(__file__).resolve().parent / "results.json"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def bench_self_assessment(moves: int = 200, seed: int = 7) -> dict:
    """Slider moved -> ratings scored, chart redrawn, feedback rebuilt and answer saved."""
    rng = random.Random(seed)
    folder = tempfile.mkdtemp(prefix="pivot-bench-")
    ex = SelfAssessment(Workbook(Path(folder) / "workbook.json"))  # real atomic saves
    items = list(ex.inputs)
    cold, warm = [], []
    for _ in range(moves):
        item = rng.choice(items)
        value = rng.choice([v for v in range(1, 6) if v != ex.inputs[item].value])
        misses = sa_module._radar_html.cache_info().misses
        t0 = time.perf_counter()
        ex.inputs[item].value = value
        dt = (time.perf_counter() - t0) * 1000
        (cold if sa_module._radar_html.cache_info().misses > misses else warm).append(dt)
    every = cold + warm
    return {
        "exercise": "self-assessment (rating changed -> feedback)",
        "moves": moves,
        "median_ms": round(statistics.median(every), 3),
        "p95_ms": round(percentile(every, 0.95), 3),
        "max_ms": round(max(every), 3),
        "new_chart_moves": len(cold),
        "saved_to": "a workbook file (temp file, fsync, rename) on every move",
    }


def main() -> int:
    results = [bench_self_assessment()]
    print(f"{'exercise':45} {'moves':>6} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for r in results:
        print(
            f"{r['exercise']:45} {r['moves']:>6} {r['median_ms']:>10.2f} {r['p95_ms']:>8.2f} "
            f"{r['max_ms']:>8.2f}"
        )
    meta = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    OUT.write_text(json.dumps({"meta": meta, "results": results}, indent=1) + "\n")
    print(f"written {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
