"""Code style is part of the suite: ruff's lint rules and formatter (configured in pyproject)."""

import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

RUFF = Path(sys.executable).with_name("ruff")


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]], ids=" ".join)
def test_ruff(args):
    proc = subprocess.run([str(RUFF), *args], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
