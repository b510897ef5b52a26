"""Signed checkpoints of the log head, outside the database: written, sent, and checked.

A rewrite of the database with every hash recomputed passes the chain check; only the
checkpoints (signed with a key the database does not hold) contradict it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from ecabinet.canonical import canonical_json
from ecabinet.checkpoints import signing
from ecabinet.checkpoints.anchor import CHECKPOINT_EVERY_EVENTS
from ecabinet.store import eventlog
from ecabinet.store.database import Database
from harness.client import RoomClient, api, connect, login, user_ids
from harness.server import run_cli
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio


def _lines(running: Running, meeting: int) -> list[dict[str, Any]]:
    path = Path(running.env["ECABINET_DATA_DIR"]) / "checkpoints" / f"{meeting}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


async def _public_key(running: Running) -> str:
    async with api(running.url) as http:
        answer = await http.get("/api/checkpoints/key")
    assert answer.status_code == 200
    assert answer.json()["algorithm"] == "Ed25519"
    return str(answer.json()["public_key"])


async def _ok(client: RoomClient, type_: str, data: dict[str, Any] | None = None) -> int:
    ack = await client.cmd(type_, data)
    assert ack["ok"], ack
    return int(ack["seq"])


async def _toggle_until(clerk: RoomClient, user_id: int, seq: int, last: int) -> int:
    """Check a member in and out until the log reaches ``last`` (one event each)."""
    while seq < last:
        kind = "attendance.check_in" if seq % 2 == 1 else "attendance.check_out"
        seq = await _ok(clerk, kind, {"user_id": user_id})
    return seq


async def test_heads_are_signed_at_start_every_50_events_at_end_and_at_each_minutes_version(
    running: Running, meeting: int, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    chair, clerk = await connect(running.url, "chair"), await connect(running.url, "clerk")
    tablet = await connect(running.url, "member5")
    try:
        for client in (chair, clerk, tablet):
            assert (await client.join(meeting))["ok"]
        started = await _ok(chair, "meeting.start")
        seq = await _toggle_until(clerk, ids["member1"], started, CHECKPOINT_EVERY_EVENTS + 3)
        ended = await _ok(chair, "meeting.end")
        assert ended > seq
        async with api(running.url, await login(running.url, "clerk")) as http:
            generated = await http.post(f"/api/meetings/{meeting}/minutes", json={})
            assert generated.status_code == 201, generated.text
        await tablet.wait_for(lambda: len(tablet.checkpoints) == 4)
        minutes_seq = max(e["seq"] for e in tablet.events)
        assert tablet.events[-1]["type"] == "minutes.generated"

        lines = _lines(running, meeting)
        assert [c["seq"] for c in lines] == [1, CHECKPOINT_EVERY_EVENTS, ended, minutes_seq]
        assert tablet.checkpoints == lines  # every tablet holds the same signed heads
        key = signing.load_public_key(await _public_key(running))
        hashes = {e["seq"]: e["hash"] for e in tablet.events}
        for line in lines:
            checkpoint = signing.Checkpoint.from_wire(line)
            assert checkpoint.meeting_id == meeting
            assert signing.verify(key, checkpoint)
            assert checkpoint.hash == hashes[checkpoint.seq]
        # A (re)joining tablet gets the latest signed head in the answer.
        assert (await tablet.join(meeting))["checkpoint"] == lines[-1]
    finally:
        for client in (chair, clerk, tablet):
            await client.close()
    printed = run_cli(running.env, "audit", "key")
    assert printed.returncode == 0 and await _public_key(running) in printed.stdout
    result = run_cli(running.env, "audit", "verify", str(meeting))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"4 signed checkpoints match the log, the latest at seq {minutes_seq}" in result.stdout


async def _short_meeting(running: Running, meeting: int, admin_token: str) -> int:
    """Start, three check-ins, end: checkpoints at seq 1 and at the end; returns the end."""
    ids = await user_ids(running.url, admin_token)
    chair, clerk = await connect(running.url, "chair"), await connect(running.url, "clerk")
    try:
        await chair.join(meeting)
        await clerk.join(meeting)
        await _ok(chair, "meeting.start")
        for name in ("member1", "member2", "member3"):
            await _ok(clerk, "attendance.check_in", {"user_id": ids[name]})
        return await _ok(chair, "meeting.end")
    finally:
        await chair.close()
        await clerk.close()


async def _rewrite(database_url: str, meeting: int, seq: int, data: dict[str, Any]) -> None:
    """What someone with write access to the database can do: change one event, recompute
    every hash after it with the log's own hash function, and move the meeting's head."""
    db = Database(database_url)
    try:
        async with db.write() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT seq, type, actor_id, at, data FROM meeting_events"
                        " WHERE meeting_id = :m ORDER BY seq"
                    ),
                    {"m": meeting},
                )
            ).all()
            rule = await conn.scalar(
                text("SELECT hash_rule FROM meetings WHERE id = :m"), {"m": meeting}
            )
            prev = eventlog.GENESIS_HASH
            for row in rows:
                content = data if row.seq == seq else json.loads(row.data)
                digest = eventlog.event_hash(
                    prev, row.seq, row.type, row.actor_id, row.at, content, rule=rule
                )
                await conn.execute(
                    text(
                        "UPDATE meeting_events SET data = :data, prev_hash = :prev, hash = :hash"
                        " WHERE meeting_id = :m AND seq = :seq"
                    ),
                    {
                        "data": canonical_json(content).decode("utf-8"),
                        "prev": prev,
                        "hash": digest,
                        "m": meeting,
                        "seq": row.seq,
                    },
                )
                prev = digest
            await conn.execute(
                text("UPDATE meetings SET head_hash = :hash WHERE id = :m"),
                {"hash": prev, "m": meeting},
            )
    finally:
        await db.dispose()


async def test_a_rewrite_with_every_hash_recomputed_contradicts_the_first_later_checkpoint(
    running: Running, meeting: int, admin_token: str
) -> None:
    ended = await _short_meeting(running, meeting, admin_token)
    ids = await user_ids(running.url, admin_token)
    assert [c["seq"] for c in _lines(running, meeting)] == [1, ended]
    # seq 3 checked member2 in; the rewrite says member8 came instead.
    await _rewrite(running.env["ECABINET_DATABASE_URL"], meeting, 3, {"user_id": ids["member8"]})

    result = run_cli(running.env, "audit", "verify", str(meeting))
    assert result.returncode == 1, result.stdout
    assert "intact" not in result.stdout
    assert f"CONTRADICTS checkpoint at seq {ended} (line 2 of " in result.stdout
    assert f"the log's hash at seq {ended} is not the signed one" in result.stdout
    async with api(running.url, await login(running.url, "chair")) as http:
        report = (await http.get(f"/api/meetings/{meeting}/audit")).json()
    assert report["ok"] is False and report["first_bad_seq"] is None  # the chain recomputes
    assert report["checkpoints"]["first_bad"]["seq"] == ended
    assert report["checkpoints"]["verified"] == 1  # the head at seq 1 is untouched


async def test_a_forged_checkpoint_line_is_reported(
    running: Running, meeting: int, admin_token: str
) -> None:
    ended = await _short_meeting(running, meeting, admin_token)
    path = Path(running.env["ECABINET_DATA_DIR"]) / "checkpoints" / f"{meeting}.jsonl"
    forged = {**_lines(running, meeting)[-1], "at": "2030-01-01T00:00:00.000Z"}
    with path.open("a") as file:
        file.write(json.dumps(forged) + "\n")

    result = run_cli(running.env, "audit", "verify", str(meeting))
    assert result.returncode == 1, result.stdout
    assert f"CONTRADICTS checkpoint at seq {ended} (line 3 of " in result.stdout
    assert "the signature does not verify" in result.stdout


async def test_audit_verify_trusts_only_the_pinned_public_key(
    running: Running, meeting: int, admin_token: str
) -> None:
    await _short_meeting(running, meeting, admin_token)
    pinned = await _public_key(running)
    assert (
        run_cli(running.env, "audit", "verify", str(meeting), "--public-key", pinned).returncode
        == 0
    )
    other = signing.public_key_text(signing.CheckpointSigner("x" * 40).public_key)
    result = run_cli(running.env, "audit", "verify", str(meeting), "--public-key", other)
    assert result.returncode == 1, result.stdout
    assert "CONTRADICTS checkpoint at seq 1 (line 1 of " in result.stdout
    assert (
        run_cli(running.env, "audit", "verify", str(meeting), "--public-key", "abc").returncode == 2
    )
