"""Every event type of docs/protocol.md is folded by the fold parity test
(tests/e2e/test_fold_parity.py): the streams of tests/fold_streams.py hold each one at
least once, as a tablet receives it. A new event type fails here until a state machine
makes it (and the parity test then checks the tablet's fold of it)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.fold_streams import received_types

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def documented_event_types() -> set[str]:
    """The types in the table of "Server → client events" (rows "| `type` | data | …")."""
    text = PROTOCOL.read_text(encoding="utf-8")
    section = text[text.index("## Server → client events") :]
    section = section[: section.index("\n## ", 1)]
    return set(re.findall(r"^\| `([a-z_.]+)` \|", section, re.MULTILINE))


def test_the_event_table_is_read() -> None:
    types = documented_event_types()
    assert {"meeting.started", "vote.cast", "annotation.shared", "redacted"} <= types
    assert len(types) >= 40


def test_every_documented_event_type_is_in_the_parity_streams() -> None:
    missing = documented_event_types() - received_types()
    assert not missing, (
        f"no parity stream holds {sorted(missing)}: add them to tests/fold_streams.py"
    )
