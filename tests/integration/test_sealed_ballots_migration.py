"""Migration 0005 (sealed ballots) on a database that holds secret polls of the old store:
it refuses while one is open, keeps a closed poll's totals, deletes a cancelled poll's
running counts, and the downgrade refuses while a poll key is stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select, text

from ecabinet.store import migrate
from ecabinet.store.database import Database
from ecabinet.store.schema import ballot_keys, secret_polls

pytestmark = pytest.mark.asyncio


async def _revision(db: Database) -> str | None:
    async with db.engine.connect() as conn:
        return await conn.run_sync(migrate._current)


async def _insert(db: Database, sql: str, **values: Any) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text(sql), values)


async def _event(db: Database, seq: int, type_: str, poll_id: int) -> None:
    await _insert(
        db,
        "INSERT INTO meeting_events (meeting_id, seq, type, actor_id, at, data, prev_hash, hash) "
        "VALUES (1, :seq, :type, 1, '2026-12-01T01:00:00.000Z', :data, :h, :h)",
        seq=seq,
        type=type_,
        data=json.dumps({"poll_id": poll_id}),
        h="0" * 64,
    )


async def test_the_upgrade_refuses_an_open_secret_poll_then_keeps_only_closed_totals(
    empty_database_url: str,
) -> None:
    db = Database(empty_database_url)
    try:
        await migrate.to_revision(db, "0004")
        await _insert(db, "INSERT INTO committees (id, name, created_at) VALUES (1, 'Ban', 0)")
        await _insert(
            db,
            "INSERT INTO meetings (id, committee_id, title, location, scheduled_at, status, "
            "last_seq, head_hash, created_at) VALUES (1, 1, 'Họp', '', '2026-12-01', 'live', "
            "0, :h, 0)",
            h="0" * 64,
        )
        for poll_id in (1, 2, 3):  # running counts of the old store
            await _insert(
                db,
                "INSERT INTO secret_polls (meeting_id, poll_id, counts, receipts) "
                "VALUES (1, :p, :c, :r)",
                p=poll_id,
                c='{"\\"yes\\"":2}',
                r='["aa","bb"]',
            )
        await _event(db, 1, "poll.closed", 1)
        await _event(db, 2, "poll.cancelled", 2)

        with pytest.raises(RuntimeError, match="poll 3 of meeting 1"):
            await migrate.to_revision(db, "0005")
        assert await _revision(db) == "0004"  # nothing changed

        await _event(db, 3, "poll.cancelled", 3)
        await migrate.to_revision(db, "0005")
        assert await _revision(db) == "0005"
        async with db.read() as conn:
            rows = (await conn.execute(select(secret_polls))).all()
        assert [(r.poll_id, r.counts) for r in rows] == [(1, '{"\\"yes\\"":2}')]

        # The downgrade refuses while a poll key is stored, and goes back without one.
        async with db.write() as conn:
            await conn.execute(
                ballot_keys.insert().values(meeting_id=1, poll_id=4, wrapped_key="k")
            )
        with pytest.raises(RuntimeError, match="open"):
            await migrate.to_revision(db, "0004", downgrade=True)
        async with db.write() as conn:
            await conn.execute(ballot_keys.delete())
        await migrate.to_revision(db, "0004", downgrade=True)
        assert await _revision(db) == "0004"
    finally:
        await db.dispose()
