"""JupyterHub for a class (``make bench-hub``): how long learners wait, how much memory they take.

One real hub and proxy (``pivot.hub``, as ``make hub`` runs them) on free loopback ports, then
three rounds of learners who all start at once: 1, 10 and 20. Each learner does what the test
``tests/test_hub.py`` makes them do, through the hub's REST API and the kernel's websocket:
start their server, wait until the hub says it is ready, start a kernel, do the self-assessment
and the problem statement (saved to their workbook). A round's servers are stopped before the
next round starts.

Measured (printed as tables and written to ``bench/results-hub.json``; nothing is asserted):

- server start to ready, per learner (median, max) and for the whole round (first request to
  last ready);
- memory per learner after the exercise: proportional set size (PSS) of the learner's server
  and of their kernel, so shared libraries are counted once across learners;
- the hub, the proxy and the idle culler (PSS);
- one kernel that has built every exercise of the course (``pivot.exercises.__all__``): the
  most one notebook kernel of this course holds;
- how many learners a node of 24 GiB holds, under the assumptions printed with it.

    .venv/bin/python bench/hub.py                  # rounds 1, 10, 20
    .venv/bin/python bench/hub.py --rounds 1,5     # quicker
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pivot import data, hub  # noqa: E402

OUT = ROOT / "bench" / "results-hub.json"
MIB = 1024 * 1024
NODE_GIB = 24
#: What the node keeps for the operating system, page cache and system services (assumed).
SYSTEM_RESERVE_GIB = 2.0
#: Headroom on the largest learner measured: The Littlest JupyterHub's guide suggests adding
#: 20-40 % to the most memory one user took; the middle of that range.
HEADROOM = 1.3

EVERY_EXERCISE = """
import json, os
import pivot.exercises as ex
built, failed = [], []
for name in ex.__all__:
    try:
        getattr(ex, name)()
        built.append(name)
    except Exception as e:
        failed.append(f"{name}: {type(e).__name__}")
print(json.dumps({"built": len(built), "failed": failed, "pid": os.getpid()}))
"""


def pss(pid: int) -> int:
    """Proportional set size in bytes (0 if the process is gone)."""
    try:
        return psutil.Process(pid).memory_full_info().pss
    except psutil.Error:
        return 0


def mib(n: float) -> float:
    return round(n / MIB, 1)


def table(title: str, header: list[str], rows: list[list]) -> None:
    print(f"\n## {title}")
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))


async def play_round(driver: hub.ClassDriver, n: int, items: list[str], first: bool) -> dict:
    names = [f"r{n:02d}-learner-{i:02d}" for i in range(n)]
    await driver.create_users(names)
    t0 = time.monotonic()
    results = await asyncio.gather(
        *(hub.learner_session(driver, name, i, items) for i, name in enumerate(names))
    )
    wall = time.monotonic() - t0
    saved = sum(r["saved"] == [f"Saved to your workbook ({r['name']}.json)."] * 2 for r in results)
    await asyncio.sleep(2)  # let the kernels settle after the exercise
    servers = [pss(r["ppid"]) for r in results]
    kernels = [pss(r["pid"]) for r in results]
    every = None
    if first:
        r = results[0]
        out = await driver.execute(r["name"], r["token"], r["kernel"], EVERY_EXERCISE)
        info = json.loads(out.strip().splitlines()[-1])
        every = {**info, "kernel_pss_mib": mib(pss(info["pid"]))}
    ready = [r["ready_s"] for r in results]
    exercise = [r["exercise_s"] for r in results]
    round_ = {
        "learners": n,
        "saved": saved,
        "ready_median_s": round(statistics.median(ready), 1),
        "ready_max_s": round(max(ready), 1),
        "all_ready_and_saved_s": round(wall, 1),
        "kernel_and_exercise_median_s": round(statistics.median(exercise), 1),
        "server_pss_mib": [mib(x) for x in servers],
        "kernel_pss_mib": [mib(x) for x in kernels],
        "learner_pss_mib": [mib(s + k) for s, k in zip(servers, kernels, strict=True)],
        "every_exercise_kernel": every,
    }
    await asyncio.gather(*(driver.stop_server(name) for name in names))
    return round_


def capacity(rounds: list[dict], overhead_mib: float, every_kernel_mib: float | None) -> dict:
    biggest = max(rounds, key=lambda r: r["learners"])
    server = max(biggest["server_pss_mib"])
    kernel = max(biggest["kernel_pss_mib"])
    usable = (NODE_GIB - SYSTEM_RESERVE_GIB) * 1024 - overhead_mib
    scenarios = {
        "one notebook open (server + 1 kernel)": server + kernel,
        "two notebooks open (server + 2 kernels)": server + 2 * kernel,
    }
    if every_kernel_mib:
        scenarios["one kernel with every exercise built (server + that kernel)"] = (
            server + every_kernel_mib
        )
    return {
        "node_gib": NODE_GIB,
        "system_reserve_gib": SYSTEM_RESERVE_GIB,
        "hub_proxy_culler_mib": round(overhead_mib, 1),
        "headroom": HEADROOM,
        "largest_server_mib": server,
        "largest_kernel_mib": kernel,
        "learners": {
            name: {
                "per_learner_mib": round(per * HEADROOM, 1),
                "learners": math.floor(usable / (per * HEADROOM)),
            }
            for name, per in scenarios.items()
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", default="1,10,20", help="learners starting at once, per round")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.rounds.split(",") if x.strip()]
    items = list(data.load("self_assessment")["item_id"])
    with tempfile.TemporaryDirectory(prefix="pivot-bench-hub-") as tmp:
        settings = hub.Settings(
            state=tmp,
            port=hub.free_port(),
            password="bench-" + secrets.token_hex(4),
            admin_password=secrets.token_urlsafe(33),
            driver_token=secrets.token_hex(32),
            start_timeout=600,
        )
        log_path = ROOT / "test-artifacts" / "bench-hub-jupyterhub.log"
        log_path.parent.mkdir(exist_ok=True)
        with open(log_path, "w") as log:
            the_hub = hub.Hub(settings, log=log)
            try:
                t0 = time.monotonic()
                the_hub.start(timeout=240)
                hub_start = time.monotonic() - t0
                procs = hub.hub_processes(tmp)
                proxy_pid = int(Path(tmp, "proxy.pid").read_text().strip())
                culler = [p.pid for p in procs if "jupyterhub_idle_culler" in p.cmdline()]

                driver_reconnects = []

                async def play() -> list[dict]:
                    driver = hub.ClassDriver(the_hub.url, settings.driver_token, timeout=900)
                    try:
                        return [
                            await play_round(driver, n, items, first=(k == 0))
                            for k, n in enumerate(sizes)
                        ]
                    finally:
                        driver_reconnects.append(driver.reconnects)

                rounds = asyncio.run(play())
                overhead = {
                    "hub": mib(pss(the_hub.process.pid)),
                    "proxy": mib(pss(proxy_pid)),
                    "idle culler": mib(sum(pss(p) for p in culler)),
                }
            finally:
                left = the_hub.stop()
    every = next((r["every_exercise_kernel"] for r in rounds if r["every_exercise_kernel"]), None)
    cap = capacity(rounds, sum(overhead.values()), every and every["kernel_pss_mib"])
    results = {
        "hub_start_s": round(hub_start, 1),
        "rounds": rounds,
        "overhead_pss_mib": overhead,
        "capacity": cap,
        "left_running": [p.pid for p in left],
        "websocket_reconnects": sum(driver_reconnects),
        "cpus": psutil.cpu_count(),
        "load_average_after": [round(x, 1) for x in psutil.getloadavg()],
    }
    table(
        "Learners starting at once: server start to ready",
        ["learners", "saved", "ready median s", "ready max s", "all ready+saved s", "kernel+ex s"],
        [
            [
                r["learners"],
                r["saved"],
                r["ready_median_s"],
                r["ready_max_s"],
                r["all_ready_and_saved_s"],
                r["kernel_and_exercise_median_s"],
            ]
            for r in rounds
        ],
    )
    table(
        "Memory per learner after the exercise (PSS, MiB)",
        ["learners", "server median", "kernel median", "learner median", "learner max"],
        [
            [
                r["learners"],
                round(statistics.median(r["server_pss_mib"]), 1),
                round(statistics.median(r["kernel_pss_mib"]), 1),
                round(statistics.median(r["learner_pss_mib"]), 1),
                max(r["learner_pss_mib"]),
            ]
            for r in rounds
        ],
    )
    table("Hub, proxy, culler (PSS, MiB)", list(overhead), [list(overhead.values())])
    if every:
        size = every["kernel_pss_mib"]
        print(f"\nA kernel that built all {every['built']} exercises: {size} MiB")
        if every["failed"]:
            print(f"  (could not build: {', '.join(every['failed'])})")
    print(
        f"\n## Learners a {NODE_GIB} GiB node holds\n"
        f"Assumptions: {SYSTEM_RESERVE_GIB} GiB kept for the system; the hub, proxy and culler as "
        f"measured ({cap['hub_proxy_culler_mib']} MiB); each learner budgeted at the largest "
        f"server ({cap['largest_server_mib']} MiB) and kernel ({cap['largest_kernel_mib']} MiB) "
        f"measured in the largest round, plus {round((HEADROOM - 1) * 100)} % headroom."
    )
    for name, v in cap["learners"].items():
        print(f"  {name}: {v['per_learner_mib']} MiB each -> {v['learners']} learners")
    print(
        f"\nHub start {results['hub_start_s']} s; processes left after stop: {len(left)}; "
        f"kernel websockets opened again: {results['websocket_reconnects']}"
    )
    OUT.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {OUT.relative_to(ROOT)}")
    return 0 if not left else 1


if __name__ == "__main__":
    raise SystemExit(main())
