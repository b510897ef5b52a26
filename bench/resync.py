"""Join and resync: a tablet joining a meeting that already has many events.

* snapshot join (``last_seq: null``) on a running server (state cached) and on a fresh
  server process (the state is folded from the whole log on the first join);
* replay join of ``REPLAY`` missed events (``last_seq = head - REPLAY``).

Baselines from the same run: the bare relay answering an ack of the very same payload
(socket transport and JSON of that size alone) and a bare SQL read of the same rows from
the same database (the storage alone).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from sqlalchemy import text

from bench import load
from bench.accounts import Accounts
from bench.load import Progress, Tablet
from bench.servers import Running, restart
from bench.stats import summary
from ecabinet.store.database import Database

REPLAY = 1000
ROSTER_MEMBERS = 100
DOCUMENT_PAGES = 20
PIPELINE = 4  # commands in flight while the log is being filled


async def _fill(
    chair: Tablet, head: int, document_id: int, members: list[int], events: int
) -> float:
    """Append commands until the log has ``events`` events; returns the seconds taken.
    The mix: every generated member checked in, an agenda item every tenth command, page
    turns for the rest."""
    commands: list[tuple[str, dict[str, Any]]] = [
        ("attendance.check_in", {"user_id": uid}) for uid in members
    ]
    number = 0
    while head + len(commands) < events:
        number += 1
        if number % 10 == 0:
            title = f"Nội dung số {number // 10}"
            commands.append(("agenda.item.add", {"title": title, "kind": "discussion"}))
        else:
            page = 1 + number % DOCUMENT_PAGES
            commands.append(("presenter.view", {"document_id": document_id, "page": page}))
    commands = commands[: max(0, events - head)]
    began = time.monotonic()
    # A few commands in flight at a time; the server serializes them per meeting anyway.
    for start in range(0, len(commands), PIPELINE):
        batch = commands[start : start + PIPELINE]
        for ack in await asyncio.gather(*(chair.cmd(t, d) for t, d in batch)):
            load.check(ack, "fill")
    return time.monotonic() - began


async def _joins(
    tablet: Tablet, meeting_id: int, last_seq: int | None, samples: int
) -> tuple[list[float], dict[str, Any]]:
    latencies, ack = [], {}
    for _ in range(samples):
        at = time.monotonic()
        ack = load.check(await tablet.join(meeting_id, last_seq), "join")
        latencies.append(time.monotonic() - at)
    return latencies, ack


async def _echo(relay: Running, payload: dict[str, Any], samples: int) -> list[float]:
    tablet = Tablet()
    await tablet.connect(relay.url, device="bench")
    try:
        await tablet.call("stash", payload)
        latencies = []
        for _ in range(samples):
            at = time.monotonic()
            await tablet.call("echo", {})
            latencies.append(time.monotonic() - at)
        return latencies
    finally:
        await tablet.close()


async def _sql_reads(database_url: str, meeting_id: int, after: int, samples: int) -> list[float]:
    """The same rows read straight from the database, as dicts with decoded data."""
    db = Database(database_url)
    query = text(
        "SELECT seq, type, actor_id, at, data, hash FROM meeting_events"
        " WHERE meeting_id = :m AND seq > :s ORDER BY seq"
    )
    latencies = []
    try:
        for _ in range(samples):
            at = time.monotonic()
            async with db.read() as conn:
                rows = (await conn.execute(query, {"m": meeting_id, "s": after})).all()
            [
                {
                    "seq": r.seq,
                    "type": r.type,
                    "actor_id": r.actor_id,
                    "at": r.at,
                    "data": json.loads(r.data),
                    "hash": r.hash,
                }
                for r in rows
            ]
            latencies.append(time.monotonic() - at)
    finally:
        await db.dispose()
    return latencies


def _size(ack: dict[str, Any]) -> int:
    return len(json.dumps(ack, ensure_ascii=False, separators=(",", ":")).encode())


async def run(
    running: Running,
    relay: Running,
    accounts: Accounts,
    *,
    events: int,
    samples: int,
    members: int = ROSTER_MEMBERS,
    progress: Progress,
) -> dict[str, Any]:
    members = min(members, len(accounts.members))
    meeting_id = await accounts.meeting("Phiên họp nhiều sự kiện", members)
    document, _ = await load.upload_pdf(
        running.url, accounts.clerk.token, meeting_id, load.small_pdf(DOCUMENT_PAGES)
    )
    chair = await load.open_driver(running.url, accounts.chair.token, meeting_id)
    reader = await load.open_driver(running.url, accounts.presenter.token, meeting_id)
    try:
        started = load.check(await chair.cmd("meeting.start"), "meeting.start")
        progress.update(f"filling the log to {events} events …", force=True)
        fill_secs = await _fill(
            chair,
            int(started["seq"]),
            int(document["id"]),
            [m.user_id for m in accounts.members[:members]],
            events,
        )
        await chair.close()
        progress.update("joins …", force=True)
        snapshot, snapshot_ack = await _joins(reader, meeting_id, None, samples)
        head = int(snapshot_ack["seq"])
        replay, replay_ack = await _joins(reader, meeting_id, head - REPLAY, samples)
        if replay_ack.get("mode") != "events" or len(replay_ack["events"]) != REPLAY:
            raise RuntimeError(
                f"expected a replay of {REPLAY} events, got {replay_ack.get('mode')}"
            )
        progress.update("a fresh server process: cold snapshot …", force=True)
        cold, warm_after_cold = await _cold_join(running, accounts, meeting_id)
        progress.update("baselines …", force=True)
        echo_snapshot = await _echo(relay, snapshot_ack, samples)
        echo_replay = await _echo(relay, replay_ack, samples)
        sql_all = await _sql_reads(running.database_url, meeting_id, 0, samples)
        sql_replay = await _sql_reads(running.database_url, meeting_id, head - REPLAY, samples)
    finally:
        await chair.close()
        await reader.close()
    progress.done()
    return {
        "server": running.backend,
        "events": head,
        "roster": members + 3,
        "fill_secs": fill_secs,
        "snapshot_bytes": _size(snapshot_ack),
        "replay_bytes": _size(replay_ack),
        "snapshot": summary(snapshot),
        "replay": summary(replay),
        "cold_snapshot": cold,
        "warm_after_cold": warm_after_cold,
        "relay_echo_snapshot": summary(echo_snapshot),
        "relay_echo_replay": summary(echo_replay),
        "sql_all_events": summary(sql_all),
        "sql_replay_events": summary(sql_replay),
    }


async def _cold_join(running: Running, accounts: Accounts, meeting_id: int) -> tuple[float, float]:
    """First and second snapshot join on a new server process over the same data."""
    server, fresh = restart(running)
    try:
        tablet = Tablet(accounts.presenter.token)
        await tablet.connect(fresh.url, device="bench")
        try:
            at = time.monotonic()
            load.check(await tablet.join(meeting_id, None), "cold join")
            cold = time.monotonic() - at
            at = time.monotonic()
            load.check(await tablet.join(meeting_id, None), "second join")
            return cold, time.monotonic() - at
        finally:
            await tablet.close()
    finally:
        server.stop()
