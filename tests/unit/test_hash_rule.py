"""The worked example of docs/protocol.md recomputes line by line, with json, hashlib and
rfc8785 alone and with the server's ``event_hash``; commands carry only numbers that hash
rule 2 can hold."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import rfc8785

from ecabinet.errors import Invalid
from ecabinet.meetings.service import parse_command
from ecabinet.store.eventlog import GENESIS_HASH, event_hash

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
MARKER = "<!-- hash-example:"


def _example() -> list[dict[str, str]]:
    """The example block's events, each a dict of its ``label: value`` lines."""
    text = PROTOCOL.read_text(encoding="utf-8")
    block = re.search(re.escape(MARKER) + r".*?-->\n```text\n(.*?)\n```", text, re.DOTALL)
    assert block, "docs/protocol.md lost its hash example"
    events = []
    for chunk in block.group(1).split("\n\n"):
        lines = [line.split(":", 1) for line in chunk.splitlines()]
        events.append({label.strip(): value.strip() for label, value in lines})
    return events


def _body(event: dict[str, Any]) -> list[Any]:
    return [event["seq"], event["type"], event["actor_id"], event["at"], event["data"]]


def test_the_example_shows_a_float_vietnamese_text_and_a_nested_object() -> None:
    first = json.loads(_example()[0]["event"])
    assert isinstance(first["data"]["zoom"], float) and first["data"]["zoom"].is_integer()
    assert "ả" in first["data"]["title"] and isinstance(first["data"]["view"], dict)


def test_every_line_of_the_example_recomputes_with_standard_tools() -> None:
    examples = _example()
    assert len(examples) == 2
    prev = {1: GENESIS_HASH, 2: GENESIS_HASH}
    for example in examples:
        event = json.loads(example["event"])
        assert rfc8785.dumps(_body(event)) == example["rule 2 body"].encode()
        assert (
            json.dumps(_body(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            == example["rule 1 body"]
        )
        for rule in (2, 1):
            body = example[f"rule {rule} body"].encode()
            digest = hashlib.sha256(prev[rule].encode("ascii") + body).hexdigest()
            assert digest == example[f"rule {rule} hash"]
            server = event_hash(prev[rule], *_body(event), rule=rule)
            assert server == digest
            prev[rule] = digest


def test_a_javascript_parse_of_the_example_hashes_the_same_under_rule_2() -> None:
    # JSON.parse gives 150 for 150.0; parse_float=int-when-whole imitates it.
    event = json.loads(
        _example()[0]["event"],
        parse_float=lambda text: int(float(text)) if float(text).is_integer() else float(text),
    )
    assert event["data"]["zoom"] == 150 and isinstance(event["data"]["zoom"], int)
    digest = hashlib.sha256(GENESIS_HASH.encode() + rfc8785.dumps(_body(event))).hexdigest()
    assert digest == _example()[0]["rule 2 hash"]


@pytest.mark.parametrize("number", [2**53, -(2**53), 10**30])
def test_a_command_with_an_integer_rule_2_cannot_hold_is_invalid(number: int) -> None:
    raw = {"id": "c1", "type": "agenda.next", "data": {"deep": [{"n": number}]}}
    with pytest.raises(Invalid, match="whole number"):
        parse_command(raw)


def test_a_command_with_the_largest_exact_integer_passes_the_envelope() -> None:
    raw = {"id": "c1", "type": "agenda.next", "data": {"n": 2**53 - 1, "flag": True}}
    assert parse_command(raw).data == {"n": 2**53 - 1, "flag": True}
