"""The vendored browser files are exactly the pinned ones recorded in vendor/SHA256SUMS."""

import hashlib
import json

from support import ROOT

VENDOR = ROOT / "vendor"


def test_vendored_files_match_their_recorded_checksums():
    lines = (VENDOR / "SHA256SUMS").read_text().splitlines()
    assert len(lines) >= 12
    for line in lines:
        digest, name = line.split(maxsplit=1)
        path = VENDOR / name.strip()
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name


def test_versions_are_pinned_exactly():
    deps = json.loads((VENDOR / "package.json").read_text())["dependencies"]
    assert deps == {
        "@jupyter-widgets/html-manager": "1.0.15",
        "axe-core": "4.14.1",
        "requirejs": "2.3.8",
    }


def test_require_boot_contains_requirejs_then_our_configuration():
    text = (VENDOR / "web/pivot-widgets/require-boot.js").read_text(encoding="utf-8")
    boot = (VENDOR / "widgets-boot.js").read_text(encoding="utf-8")
    assert "@license RequireJS 2.3.8" in text
    assert text.endswith(boot)
