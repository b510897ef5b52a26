"""A third party recomputes a new meeting's hash chain from the events as the HTTP API gives
them, parsed as a browser parses them (whole-number floats become integers), with json,
hashlib and rfc8785 only — not the server's code — on SQLite and PostgreSQL. A private mark's
owner recomputes every link; anyone else every link but the redacted ones."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import rfc8785

from harness.client import api, connect, login
from tests import pdfs
from tests.integration.conftest import Running
from tests.integration.test_documents import upload

pytestmark = pytest.mark.asyncio

GENESIS = "0" * 64
NOTE = "Đề nghị bổ sung số liệu quý IV, tỉnh Hòa An"
INK = [[120.0, 2.0, 0.5], [130.5, 4.0, 0.75], [300.0, 400.0, 1.0]]


def js_parse(text: str) -> Any:
    """``JSON.parse``: a number is a double, so ``120.0`` comes back as ``120``."""
    return json.loads(
        text, parse_float=lambda t: int(float(t)) if float(t).is_integer() else float(t)
    )


def recompute(events: list[dict[str, Any]], prev: str = GENESIS) -> tuple[int, str]:
    """Rule 2 over parsed events: returns (links recomputed, last hash); a redacted event's
    hash is taken as given. Fails at the first link that differs."""
    checked = 0
    for event in events:
        if event["type"] != "redacted":
            body = [event["seq"], event["type"], event["actor_id"], event["at"], event["data"]]
            digest = hashlib.sha256(prev.encode("ascii") + rfc8785.dumps(body)).hexdigest()
            assert digest == event["hash"], f"seq {event['seq']}"
            checked += 1
        prev = event["hash"]
    return checked, prev


async def _play(running: Running, meeting: int) -> None:
    """Floats (ink), Vietnamese text (a private note, a poll title) and nested objects (a
    poll's quorum and requirement)."""
    clerk_token = await login(running.url, "clerk")
    document = (await upload(running.url, clerk_token, meeting, pdfs.pages(2))).json()
    doc_id = document["document"]["id"]
    chair, member = await connect(running.url, "chair"), await connect(running.url, "member1")
    try:
        for client in (chair, member):
            assert (await client.join(meeting))["ok"]
        assert (await chair.cmd("meeting.start"))["ok"]
        poll = {"kind": "yes_no_abstain", "allow_change": False, "majority": "simple"}
        created = await chair.cmd(
            "poll.create",
            {"title": "Thông qua Nghị quyết số 12", "secret": False, **poll,
             "quorum": {"kind": "fraction", "fraction": [1, 2], "strict": True}},
        )  # fmt: skip
        assert created["ok"], created
        ink = await member.cmd(
            "annotation.create",
            {"document_id": doc_id, "page": 1, "kind": "ink", "points": INK, "width": 2.0,
             "shared": True},
        )  # fmt: skip
        note = await member.cmd(
            "annotation.create",
            {"document_id": doc_id, "page": 2, "kind": "note", "text": NOTE,
             "anchor": [100.0, 700.0]},
        )  # fmt: skip
        assert ink["ok"] and note["ok"], (ink, note)
    finally:
        await chair.close()
        await member.close()


async def _history(running: Running, meeting: int, username: str) -> tuple[str, Any]:
    async with api(running.url, await login(running.url, username)) as http:
        response = await http.get(f"/api/meetings/{meeting}/events", params={"limit": 1000})
        response.raise_for_status()
        return response.text, response.json()


async def _head(running: Running, meeting: int, username: str) -> dict[str, Any]:
    client = await connect(running.url, username)
    try:
        ack = await client.join(meeting)
    finally:
        await client.close()
    snapshot: dict[str, Any] = ack["snapshot"]
    return {"seq": ack["seq"], **snapshot}


async def test_the_owner_recomputes_every_link_from_events_parsed_as_a_browser_does(
    running: Running, meeting: int
) -> None:
    await _play(running, meeting)
    text, _ = await _history(running, meeting, "member1")
    events = js_parse(text)["events"]
    # The server writes the floats as floats; the parse above turns them into integers.
    assert "120.0" in text and NOTE in text
    assert any(isinstance(e["data"].get("quorum"), dict) for e in events)
    assert not any(e["type"] == "redacted" for e in events)
    head = await _head(running, meeting, "member1")
    assert head["hash_rule"] == head["meeting"]["hash_rule"] == 2
    checked, last = recompute(events)
    assert checked == len(events) == head["seq"] >= 5
    assert last == head["head_hash"]


async def test_another_member_recomputes_all_but_the_redacted_links_up_to_the_head(
    running: Running, meeting: int
) -> None:
    await _play(running, meeting)
    _, events = await _history(running, meeting, "member2")
    events = events["events"]
    redacted = [e for e in events if e["type"] == "redacted"]
    assert len(redacted) == 1 and redacted[0]["hash"]
    head = await _head(running, meeting, "member2")
    checked, last = recompute(events)
    assert checked == len(events) - 1 and last == head["head_hash"]


async def test_a_snapshot_gives_the_head_the_next_events_link_to(
    running: Running, meeting: int
) -> None:
    chair = await connect(running.url, "chair")
    try:
        before = (await chair.join(meeting))["snapshot"]
        assert (before["hash_rule"], before["head_hash"]) == (2, GENESIS)
        assert (await chair.cmd("meeting.start"))["ok"]
        middle = await chair.join(meeting)
        assert (await chair.cmd("attendance.check_in"))["ok"]
    finally:
        await chair.close()
    _, after = await _history(running, meeting, "chair")
    later = [e for e in after["events"] if e["seq"] > middle["seq"]]
    assert later, "an event after the snapshot"
    recompute(later, middle["snapshot"]["head_hash"])
    assert middle["snapshot"]["head_hash"] == after["events"][middle["seq"] - 1]["hash"]
