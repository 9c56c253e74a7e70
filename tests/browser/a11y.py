"""axe-core in the browser (vendored, pinned), and the accessibility report of a test run."""

from __future__ import annotations

import json
import os

from support import ARTIFACTS, ROOT

AXE = ROOT / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}

_results: list[dict] = []


def run_axe(page, where: str, include: str | None = None) -> list[dict]:
    """Run axe-core on the page (or on the elements matching ``include``); record the result.

    Returns the serious and critical violations, each with the first few offending nodes.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async (include) => {
            const context = include ? {include: [[include]]} : document;
            const r = await axe.run(context, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }""",
        include,
    )
    _results.append({"where": where, "violations": violations})
    return [v for v in violations if v["impact"] in BLOCKING]


def write_report() -> None:
    if not _results:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    # one report per pytest-xdist worker (make test runs two): a11y-report-gw0.json, ...
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = f"a11y-report-{worker}" if worker else "a11y-report"
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(_results, indent=1) + "\n")
    lines = [
        "# Accessibility report (axe-core 4.14.1)",
        "",
        f"{len(_results)} pages or widget areas checked.",
        "",
        "| where | serious/critical | moderate/minor |",
        "| --- | --- | --- |",
    ]
    for r in _results:
        blocking = [v for v in r["violations"] if v["impact"] in BLOCKING]
        other = [v for v in r["violations"] if v["impact"] not in BLOCKING]
        fmt = lambda vs: ", ".join(f"{v['id']} ({v['nodes']})" for v in vs) or "none"  # noqa: E731
        lines.append(f"| {r['where']} | {fmt(blocking)} | {fmt(other)} |")
    (ARTIFACTS / f"{name}.md").write_text("\n".join(lines) + "\n")
