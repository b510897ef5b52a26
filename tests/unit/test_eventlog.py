"""Canonical JSON, the event hash under both hash rules and the chain check, without a
database."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from ecabinet.canonical import canonical_json, jcs, nfc
from ecabinet.store.eventlog import (
    GENESIS_HASH,
    HASH_RULE_JCS,
    HASH_RULE_LEGACY,
    HASH_RULE_NEW,
    Head,
    event_hash,
    verify_rows,
)

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


def test_rule_1_hashes_prev_hash_and_the_sorted_keys_body() -> None:
    body = json.dumps([1, "meeting.started", 7, AT, {"zoom": 2.0}], separators=(",", ":"))
    assert body.endswith('{"zoom":2.0}]')  # rule 1 keeps Python's float form
    expected = hashlib.sha256(GENESIS_HASH.encode() + body.encode()).hexdigest()
    digest = event_hash(GENESIS_HASH, 1, "meeting.started", 7, AT, {"zoom": 2.0}, rule=1)
    assert digest == expected


def test_rule_2_hashes_prev_hash_and_the_rfc8785_body() -> None:
    data = {"zoom": 2.0, "b": {"y": 0.5, "x": 1e21}, "title": "Hội nghị"}
    # Written out by hand from RFC 8785: keys sorted, 2.0 as 2, 1e21 as 1e+21, UTF-8 as is.
    body = (
        '[1,"meeting.started",7,"' + AT + '",{"b":{"x":1e+21,"y":0.5},"title":"Hội nghị","zoom":2}]'
    )
    assert jcs([1, "meeting.started", 7, AT, data]) == body.encode()
    expected = hashlib.sha256(GENESIS_HASH.encode() + body.encode()).hexdigest()
    assert event_hash(GENESIS_HASH, 1, "meeting.started", 7, AT, data, rule=2) == expected


def test_new_meetings_get_rule_2_and_an_unknown_rule_is_refused() -> None:
    assert (HASH_RULE_LEGACY, HASH_RULE_JCS, HASH_RULE_NEW) == (1, 2, 2)
    with pytest.raises(ValueError, match="unknown hash rule"):
        event_hash(GENESIS_HASH, 1, "meeting.started", 7, AT, {}, rule=3)


def test_under_rule_2_a_whole_float_hashes_as_the_integer_a_parser_gives_back() -> None:
    # The server holds 120.0; JSON.parse in a browser (or any parser) gives back 120.
    server = {"rect": [120.0, 2.0, 300.5, 400.0]}
    parsed = {"rect": [120, 2, 300.5, 400]}
    assert event_hash(GENESIS_HASH, 1, "t", 1, AT, server, rule=2) == event_hash(
        GENESIS_HASH, 1, "t", 1, AT, parsed, rule=2
    )
    # Rule 1 cannot promise that (why rule 2 exists): the two differ there.
    assert event_hash(GENESIS_HASH, 1, "t", 1, AT, server, rule=1) != event_hash(
        GENESIS_HASH, 1, "t", 1, AT, parsed, rule=1
    )


@pytest.mark.parametrize(
    "data",
    [
        {"points": [[120.0, 2.0, 0.5], [1e-7, 1e21, -0.0]], "text": "Biên bản họp"},
        {"a": {"b": {"c": [True, None, 1.5e300, 9007199254740991]}}},
    ],
)
def test_the_stored_data_once_parsed_hashes_as_the_server_hashed_it(data: Any) -> None:
    stored = canonical_json(data).decode()  # the form eventlog.append writes in meeting_events
    assert event_hash(GENESIS_HASH, 4, "t", 1, AT, json.loads(stored), rule=2) == event_hash(
        GENESIS_HASH, 4, "t", 1, AT, data, rule=2
    )


@pytest.mark.parametrize("value", [2**53, -(2**53), float("nan")])
def test_rule_2_refuses_numbers_i_json_cannot_hold_exactly(value: Any) -> None:
    with pytest.raises(ValueError):
        event_hash(GENESIS_HASH, 1, "t", 1, AT, {"v": value}, rule=2)


def _chain(n: int, rule: int = HASH_RULE_NEW) -> list[SimpleNamespace]:
    rows, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        data = {"user_id": seq, "zoom": 1.0}
        digest = event_hash(prev, seq, "attendance.checked_in", seq, AT, data, rule=rule)
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


RULES = [HASH_RULE_LEGACY, HASH_RULE_JCS]


@pytest.mark.parametrize("rule", RULES)
def test_an_intact_chain_verifies_against_its_head(rule: int) -> None:
    rows = _chain(5, rule)
    report = verify_rows(rows, Head(1, 5, rows[-1].hash, rule), rule=rule)
    assert report.ok and report.events == 5 and report.first_bad_seq is None


def test_a_chain_checked_under_the_other_rule_fails_at_its_first_float() -> None:
    # Each meeting's chain verifies under its own rule only: the rule is part of the chain.
    rows = _chain(3, HASH_RULE_LEGACY)
    report = verify_rows(rows, rule=HASH_RULE_JCS)
    assert not report.ok and report.first_bad_seq == 1 and "content" in report.reason


@pytest.mark.parametrize("rule", RULES)
def test_changed_data_is_found_at_its_seq(rule: int) -> None:
    rows = _chain(5, rule)
    rows[2] = replace_ns(rows[2], data='{"user_id":99,"zoom":1.0}')
    report = verify_rows(rows, rule=rule)
    assert not report.ok and report.first_bad_seq == 3 and "content" in report.reason


def test_data_rule_2_cannot_hold_is_reported_not_raised() -> None:
    rows = _chain(3, HASH_RULE_JCS)
    rows[1] = replace_ns(rows[1], data='{"user_id":9007199254740993}')
    report = verify_rows(rows, rule=HASH_RULE_JCS)
    assert not report.ok and report.first_bad_seq == 2 and "rule 2" in report.reason


@pytest.mark.parametrize("rule", RULES)
def test_a_missing_event_is_found(rule: int) -> None:
    rows = _chain(5, rule)
    del rows[1]
    report = verify_rows(rows, rule=rule)
    assert not report.ok and report.first_bad_seq == 2 and "missing" in report.reason


@pytest.mark.parametrize("rule", RULES)
def test_a_rewritten_suffix_breaks_the_link_to_the_previous_hash(rule: int) -> None:
    rows = _chain(4, rule)
    forged = event_hash("f" * 64, 3, rows[2].type, 3, AT, {"user_id": 3, "zoom": 1.0}, rule=rule)
    rows[2] = replace_ns(rows[2], prev_hash="f" * 64, hash=forged)
    report = verify_rows(rows, rule=rule)
    assert not report.ok and report.first_bad_seq == 3 and "prev_hash" in report.reason


@pytest.mark.parametrize("rule", RULES)
def test_a_truncated_log_does_not_match_the_meeting_head(rule: int) -> None:
    rows = _chain(4, rule)
    report = verify_rows(rows[:3], Head(1, 4, rows[3].hash, rule), rule=rule)
    assert not report.ok and report.first_bad_seq == 4


def replace_ns(row: SimpleNamespace, **changes: Any) -> SimpleNamespace:
    return SimpleNamespace(**{**vars(row), **changes})


def test_head_is_a_value() -> None:
    head = Head(1, 2, "a" * 64, HASH_RULE_JCS)
    assert replace(head, seq=3) == Head(1, 3, "a" * 64, HASH_RULE_JCS)
