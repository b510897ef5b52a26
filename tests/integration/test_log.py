"""The event log through the real server: join and replay, concurrency, audit, durability."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest
from sqlalchemy import text

from ecabinet.events import Event
from ecabinet.meetings import rules
from ecabinet.meetings.commands import commands_for
from ecabinet.meetings.rules import MeetingState, Role
from ecabinet.store.database import Database
from harness.client import RoomClient, connect, login, new_meeting, user_ids
from harness.server import Server, prepare_database, run_cli, server_env
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio


def _fold(events: list[dict[str, object]], state: MeetingState | None = None) -> MeetingState:
    typed = [
        Event(
            int(e["meeting_id"]),
            int(e["seq"]),
            str(e["type"]),
            e["actor_id"],
            str(e["at"]),
            e["data"],
            "",
        )  # type: ignore[arg-type]
        for e in events
    ]
    return rules.fold(state or MeetingState(), typed)


async def _play(
    chair: RoomClient, clerk: RoomClient, ids: dict[str, int], members: list[str]
) -> None:
    assert (await chair.cmd("meeting.start"))["ok"]
    for name in members:
        assert (await clerk.cmd("attendance.check_in", {"user_id": ids[name]}))["ok"]


async def test_join_replays_only_the_missed_events_and_they_rebuild_the_snapshot(
    running: Running, meeting: int, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    chair, clerk = await connect(running.url, "chair"), await connect(running.url, "clerk")
    try:
        await chair.join(meeting)
        await clerk.join(meeting)
        await _play(chair, clerk, ids, ["member1", "member2"])
        early = await clerk.join(meeting)  # snapshot at n = 3
        assert early["mode"] == "snapshot" and early["seq"] == 3
        await _play_more(chair, clerk, ids)
        replay = await clerk.join(meeting, last_seq=3)
        assert replay["mode"] == "events" and [e["seq"] for e in replay["events"]] == [4, 5, 6]
        fresh = await clerk.join(meeting)
        assert fresh["mode"] == "snapshot" and fresh["seq"] == 6
        # snapshot(n) + events(n+1..m) == snapshot(m), with the server's own fold
        everything = (await clerk.join(meeting, last_seq=0))["events"]
        at_n = _fold(everything[:3])
        assert at_n.to_wire() == early["snapshot"]["state"]
        assert _fold(replay["events"], at_n).to_wire() == fresh["snapshot"]["state"]
        assert fresh["snapshot"]["state"]["attendance"][str(ids["member3"])]["status"] == "left"
        up_to_date = await clerk.join(meeting, last_seq=6)
        assert up_to_date["mode"] == "events" and up_to_date["events"] == []
        ahead = await clerk.join(meeting, last_seq=60)  # a client from another database
        assert ahead["mode"] == "snapshot" and ahead["seq"] == 6
        assert fresh["you"] == {
            "user_id": ids["clerk"],
            "role": "clerk",
            "commands": commands_for(Role.CLERK),  # the clerk keeps the minutes, never votes
        }
        assert "minutes.note.set" in fresh["you"]["commands"]
        assert "vote.cast" not in fresh["you"]["commands"]
        assert up_to_date["you"] == fresh["you"]
    finally:
        await chair.close()
        await clerk.close()


async def _play_more(chair: RoomClient, clerk: RoomClient, ids: dict[str, int]) -> None:
    assert (await clerk.cmd("attendance.check_in", {"user_id": ids["member3"]}))["ok"]
    assert (await clerk.cmd("attendance.check_out", {"user_id": ids["member3"]}))["ok"]
    assert (await chair.cmd("attendance.check_in"))["ok"]


async def test_fifty_concurrent_commands_give_a_linear_chain_without_gaps(
    running: Running, meeting: int
) -> None:
    names = ["chair", "clerk", *[f"member{i}" for i in range(1, 9)], "observer"]
    clients = [await connect(running.url, name) for name in names]
    try:
        for client in clients:
            assert (await client.join(meeting))["ok"]
        # 50 commands at once: check-in/out toggles by 11 people; some race into conflict.
        jobs = [
            clients[i % len(clients)].cmd(
                "attendance.check_in" if (i // len(clients)) % 2 == 0 else "attendance.check_out"
            )
            for i in range(50)
        ]
        acks = await asyncio.gather(*jobs)
        accepted = sorted(a["seq"] for a in acks if a["ok"])
        refused = {a["error"]["code"] for a in acks if not a["ok"]}
        assert refused <= {"conflict"}
        assert accepted == list(range(1, len(accepted) + 1))
        watcher = clients[-1]
        await watcher.wait_for(lambda: len(watcher.events) == len(accepted))
        assert sorted(e["seq"] for e in watcher.events) == accepted
        replay = await watcher.join(meeting, last_seq=0)
        assert [e["seq"] for e in replay["events"]] == accepted
    finally:
        for client in clients:
            await client.close()
    result = run_cli(running.env, "audit", "verify", str(meeting))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"chain intact, {len(accepted)} events" in result.stdout


async def test_fifty_concurrent_retries_of_one_command_append_once(
    running: Running, meeting: int
) -> None:
    chair = await connect(running.url, "chair")
    try:
        await chair.join(meeting)
        acks = await asyncio.gather(
            *[chair.cmd("meeting.start", id="one-start") for _ in range(50)]
        )
        assert acks == [{"ok": True, "seq": 1}] * 50
        assert (await chair.join(meeting))["seq"] == 1
    finally:
        await chair.close()


async def test_audit_verify_names_the_first_tampered_seq(
    running: Running, meeting: int, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    chair, clerk = await connect(running.url, "chair"), await connect(running.url, "clerk")
    try:
        await chair.join(meeting)
        await clerk.join(meeting)
        await _play(chair, clerk, ids, ["member1", "member2", "member3"])
    finally:
        await chair.close()
        await clerk.close()
    assert run_cli(running.env, "audit", "verify", str(meeting)).returncode == 0
    db = Database(running.env["ECABINET_DATABASE_URL"])
    try:
        async with db.write() as conn:
            await conn.execute(
                text("UPDATE meeting_events SET data = :data WHERE meeting_id = :m AND seq = 3"),
                {"data": f'{{"user_id":{ids["member8"]}}}', "m": meeting},
            )
    finally:
        await db.dispose()
    result = run_cli(running.env, "audit", "verify", str(meeting))
    assert result.returncode == 1
    assert "BROKEN at seq 3" in result.stdout


async def test_an_acknowledged_command_survives_a_killed_embedded_server(tmp_path: Path) -> None:
    """SIGKILL right after the ack: a new server on the same SQLite file has the event."""
    env = server_env(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'ecabinet.db'}")
    prepare_database(env)
    server = Server(env).start()
    try:
        meeting = await new_meeting(server.url, await login(server.url, "admin"))
        chair = await connect(server.url, "chair")
        await chair.join(meeting)
        assert await chair.cmd("meeting.start") == {"ok": True, "seq": 1}
        server.stop(signal.SIGKILL)
        await chair.close()
        restarted = Server(env).start()
        try:
            again = await connect(restarted.url, "chair")
            joined = await again.join(meeting)
            assert joined["snapshot"]["state"]["status"] == "live" and joined["seq"] == 1
            await again.close()
        finally:
            restarted.stop()
    finally:
        server.stop()


async def test_init_is_idempotent_on_an_existing_database(running: Running) -> None:
    first = run_cli(running.env, "init")
    second = run_cli(running.env, "init")
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
