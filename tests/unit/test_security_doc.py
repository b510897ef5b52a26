"""docs/security.md names only tests that exist: every ``file::test`` (``…::test`` for the
file named before it in the same cell) and every bare test file."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
CITATION = re.compile(r"`((?:…|[a-z0-9_/]+\.py))(?:::([a-z0-9_]+))?(?:\[[^\]]*\])?`")


def _cited() -> list[tuple[str, str | None]]:
    found = []
    for line in DOC.splitlines():
        current = None
        for path, test in CITATION.findall(line):
            if path == "…":
                assert current is not None, line
                path = current
            if not path.startswith(("unit/", "integration/", "e2e/", "faults/")):
                continue
            current = path
            found.append((path, test or None))
    return found


def test_every_cited_test_exists() -> None:
    cited = _cited()
    assert len(cited) > 40
    missing = []
    for path, test in cited:
        source = ROOT / "tests" / path
        if not source.exists():
            missing.append(path)
        elif test and not re.search(rf"^(async )?def {test}\(", source.read_text(), re.M):
            missing.append(f"{path}::{test}")
    assert missing == []


def test_every_threat_has_a_test() -> None:
    rows = [line for line in DOC.splitlines() if line.startswith("| ") and "---" not in line]
    threats = [row for row in rows if not row.startswith("| threat")]
    assert threats and all(CITATION.search(row.rsplit("|", 2)[-2]) for row in threats)
