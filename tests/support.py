"""Helpers shared by the test folders (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

import os
from pathlib import Path

from pivot.handouts import chromium_path  # noqa: F401  (Debian's Chromium; re-exported)

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ARTIFACTS = ROOT / "test-artifacts"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def synthetic_backlog(n: int, seed: int = 0, max_reach: int = 900):
    """A seeded random backlog with every RICE, WSJF and MoSCoW field, ``n`` rows (a small
    ``max_reach`` makes many ties)."""
    import numpy as np
    import pandas as pd

    from pivot.frameworks import prioritization as p

    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "item_id": [f"X{i}" for i in range(n)],
            "title": [f"Item {i}" for i in range(n)],
            "reach": rng.integers(0, max_reach, n),
            "impact": rng.choice(p.IMPACT_SCALE, n),
            "confidence": rng.choice(p.CONFIDENCE_SCALE, n),
            "effort": rng.choice([0.5, 1, 2, 3, 5, 8], n),
            "business_value": rng.choice(p.WSJF_SCALE, n),
            "time_criticality": rng.choice(p.WSJF_SCALE, n),
            "risk_reduction": rng.choice(p.WSJF_SCALE, n),
            "job_size": rng.choice(p.WSJF_SCALE, n),
            "moscow": rng.choice(["Must", "Should", "Could", "Won't"], n),
        }
    )
