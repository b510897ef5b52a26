"""Canonical JSON, the event hash and the chain check, without a database."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from ecabinet.canonical import canonical_json, nfc
from ecabinet.store.eventlog import GENESIS_HASH, Head, event_hash, verify_rows

AT = "2026-11-25T08:00:00.000Z"


def test_canonical_json_sorts_keys_drops_spaces_and_keeps_utf8() -> None:
    assert canonical_json({"b": 1, "a": [True, None, "Hội nghị"]}) == (
        '{"a":[true,null,"Hội nghị"],"b":1}'.encode()
    )


@pytest.mark.parametrize("value", [float("nan"), float("inf"), {1, 2}, b"bytes"])
def test_canonical_json_refuses_values_json_cannot_hold_exactly(value: Any) -> None:
    with pytest.raises(ValueError):
        canonical_json({"v": value})


def test_nfc_makes_decomposed_vietnamese_equal_to_composed() -> None:
    decomposed = "Nguye\u0302\u0303n"  # e + circumflex + tilde, as some keyboards send it
    assert decomposed != "Nguyễn"
    assert nfc({decomposed: [decomposed]}) == {"Nguyễn": ["Nguyễn"]}


def test_event_hash_is_sha256_of_prev_hash_and_canonical_body() -> None:
    body = json.dumps([1, "meeting.started", 7, AT, {}], separators=(",", ":")).encode()
    expected = hashlib.sha256(GENESIS_HASH.encode() + body).hexdigest()
    assert event_hash(GENESIS_HASH, 1, "meeting.started", 7, AT, {}) == expected


def _chain(n: int) -> list[SimpleNamespace]:
    rows, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        data = {"user_id": seq}
        digest = event_hash(prev, seq, "attendance.checked_in", seq, AT, data)
        rows.append(
            SimpleNamespace(
                seq=seq,
                type="attendance.checked_in",
                actor_id=seq,
                at=AT,
                data=json.dumps(data),
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    return rows


def test_an_intact_chain_verifies_against_its_head() -> None:
    rows = _chain(5)
    report = verify_rows(rows, Head(1, 5, rows[-1].hash))
    assert report.ok and report.events == 5 and report.first_bad_seq is None


def test_changed_data_is_found_at_its_seq() -> None:
    rows = _chain(5)
    rows[2] = replace_ns(rows[2], data='{"user_id":99}')
    report = verify_rows(rows)
    assert not report.ok and report.first_bad_seq == 3 and "content" in report.reason


def test_a_missing_event_is_found() -> None:
    rows = _chain(5)
    del rows[1]
    report = verify_rows(rows)
    assert not report.ok and report.first_bad_seq == 2 and "missing" in report.reason


def test_a_rewritten_suffix_breaks_the_link_to_the_previous_hash() -> None:
    rows = _chain(4)
    forged = event_hash("f" * 64, 3, rows[2].type, 3, AT, {"user_id": 3})
    rows[2] = replace_ns(rows[2], prev_hash="f" * 64, hash=forged)
    report = verify_rows(rows)
    assert not report.ok and report.first_bad_seq == 3 and "prev_hash" in report.reason


def test_a_truncated_log_does_not_match_the_meeting_head() -> None:
    rows = _chain(4)
    report = verify_rows(rows[:3], Head(1, 4, rows[3].hash))
    assert not report.ok and report.first_bad_seq == 4


def replace_ns(row: SimpleNamespace, **changes: Any) -> SimpleNamespace:
    return SimpleNamespace(**{**vars(row), **changes})


def test_head_is_a_value() -> None:
    head = Head(1, 2, "a" * 64)
    assert replace(head, seq=3) == Head(1, 3, "a" * 64)
