"""The script of docs/verify.md on records made here under each hash rule: valid as written,
INVALID for a changed, missing or reordered event or another head; a redacted event's hash is
taken as given but still binds the next link."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ecabinet.store.eventlog import GENESIS_HASH, HASH_RULE_JCS, HASH_RULE_LEGACY, event_hash

VERIFY_DOC = Path(__file__).resolve().parents[2] / "docs" / "verify.md"
AT = "2026-12-01T01:02:03.456Z"
DATA: list[dict[str, Any]] = [
    {},
    {"points": [[120.0, 2.0, 0.5]], "width": 2.0, "shared": True},
    {"item_id": 1, "text": "Đồng chí Đức phát biểu."},
    {"poll_id": 1, "result": {"counts": {"yes": 3, "no": 1}, "passed": True}},
]


def _record(rule: int) -> dict[str, Any]:
    events, prev = [], GENESIS_HASH
    for seq, data in enumerate(copy.deepcopy(DATA), start=1):
        digest = event_hash(prev, seq, f"t{seq}", 3, AT, data, rule=rule)
        events.append(
            {"meeting_id": 7, "seq": seq, "type": f"t{seq}", "actor_id": 3, "at": AT,
             "data": data, "hash": digest}
        )  # fmt: skip
        prev = digest
    return {"audit": {"seq": len(events), "hash": prev, "hash_rule": rule, "events": events}}


def _check(tmp_path: Path, record: dict[str, Any], seq: int, digest: str) -> tuple[int, str]:
    text = VERIFY_DOC.read_text(encoding="utf-8")
    script = re.search(r"<!-- verify-record-script -->\n```python\n(.*?)```", text, re.DOTALL)
    assert script
    (tmp_path / "verify_record.py").write_text(script.group(1), encoding="utf-8")
    (tmp_path / "record.json").write_text(json.dumps(record), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "verify_record.py", "record.json", str(seq), digest],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("rule", [HASH_RULE_LEGACY, HASH_RULE_JCS])
def test_a_record_as_written_is_valid_under_its_rule(tmp_path: Path, rule: int) -> None:
    record = _record(rule)
    head = record["audit"]
    code, out = _check(tmp_path, record, head["seq"], head["hash"])
    assert code == 0 and out.startswith(f"valid: 4 events up to {head['hash']} (0 private"), out


@pytest.mark.parametrize("rule", [HASH_RULE_LEGACY, HASH_RULE_JCS])
def test_a_changed_missing_or_reordered_event_is_invalid(tmp_path: Path, rule: int) -> None:
    head = _record(rule)["audit"]
    changed = _record(rule)
    changed["audit"]["events"][2]["data"]["text"] = "Đồng chí Đức vắng mặt."
    missing = _record(rule)
    del missing["audit"]["events"][1]
    swapped = _record(rule)
    events = swapped["audit"]["events"]
    events[1], events[2] = events[2], events[1]
    for record, why in (
        (changed, "event 3 does not match its hash"),
        (missing, "event 2 is missing"),
        (swapped, "event 2 is missing"),
    ):
        code, out = _check(tmp_path, record, head["seq"], head["hash"])
        assert code == 1 and f"INVALID: {why}" in out, out
    code, out = _check(tmp_path, _record(rule), head["seq"], "f" * 64)
    assert code == 1 and "do not end at the head" in out


def test_a_redacted_event_is_taken_as_given_but_its_hash_still_binds(tmp_path: Path) -> None:
    record = _record(HASH_RULE_JCS)
    head = record["audit"]
    private = record["audit"]["events"][1]
    private.update(type="redacted", actor_id=None, data={})
    code, out = _check(tmp_path, record, head["seq"], head["hash"])
    assert code == 0 and "(1 private" in out, out
    private["hash"] = "e" * 64
    code, out = _check(tmp_path, record, head["seq"], head["hash"])
    assert code == 1 and "INVALID: event 3 does not match its hash" in out, out


def test_rule_1_needs_the_numbers_as_written_and_rule_2_does_not(tmp_path: Path) -> None:
    """A record re-serialized by a parser that drops ``.0`` (JSON.parse, then stringify)."""
    for rule, expected in ((HASH_RULE_JCS, 0), (HASH_RULE_LEGACY, 1)):
        record = _record(rule)
        text = json.dumps(record).replace("120.0", "120").replace("2.0", "2")
        code, _ = _check(
            tmp_path, json.loads(text), record["audit"]["seq"], record["audit"]["hash"]
        )
        assert code == expected, rule
