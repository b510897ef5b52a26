"""Migration 0007 (hash rule) on SQLite and PostgreSQL: a meeting whose chain was written
before keeps rule 1 — its stored hashes verify as they are and its next events are hashed
under rule 1 — a meeting created after gets rule 2; the downgrade removes the column."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import inspect, select, text

from ecabinet.events import NewEvent
from ecabinet.meetings import repo
from ecabinet.meetings.rules import Role
from ecabinet.store import eventlog, migrate
from ecabinet.store.database import Database
from ecabinet.store.schema import meeting_events

pytestmark = pytest.mark.asyncio

AT = "2026-12-01T01:00:00.000Z"
OLD = 100  # the old meeting's id, clear of the ids PostgreSQL's sequence hands out
# The floats a rule 1 chain holds as `120.0`: the case rule 2 changes.
OLD_DATA = [{}, {"points": [[120.0, 2.0, 0.5]], "text": "Ghi chú"}]


def _legacy_hash(prev: str, seq: int, data: object) -> str:
    """Rule 1 written out: sorted keys, no spaces, Python's float form."""
    body = json.dumps(
        [seq, "t", None, AT, data], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(prev.encode() + body.encode()).hexdigest()


async def _old_meeting(db: Database) -> list[str]:
    """Meeting ``OLD`` with a two-event chain written under rule 1, before 0007; its hashes."""
    prev, hashes = eventlog.GENESIS_HASH, []
    async with db.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO users (id, username, display_name, password_hash, is_admin,"
                " is_active, created_at) VALUES (1, 'chair', 'Chủ tọa', 'x', false, true, 0)"
            )
        )
        await conn.execute(
            text("INSERT INTO committees (id, name, created_at) VALUES (1, 'Ban', 0)")
        )
        await conn.execute(
            text(
                "INSERT INTO meetings (id, committee_id, title, location, scheduled_at, status,"
                " last_seq, head_hash, created_at) VALUES (:id, 1, 'Họp', '', :at, 'ended', 0,"
                " :genesis, 0)"
            ),
            {"id": OLD, "at": AT, "genesis": prev},
        )
        for seq, data in enumerate(OLD_DATA, start=1):
            digest = _legacy_hash(prev, seq, data)
            await conn.execute(
                text(
                    "INSERT INTO meeting_events (meeting_id, seq, type, actor_id, at, data,"
                    " prev_hash, hash) VALUES (:id, :seq, 't', NULL, :at, :data, :prev, :hash)"
                ),
                {
                    "id": OLD,
                    "seq": seq,
                    "at": AT,
                    "data": json.dumps(data),
                    "prev": prev,
                    "hash": digest,
                },
            )
            prev = digest
            hashes.append(digest)
        await conn.execute(
            text("UPDATE meetings SET last_seq = 2, head_hash = :head WHERE id = :id"),
            {"head": prev, "id": OLD},
        )
    return hashes


async def test_an_existing_chain_keeps_rule_1_and_a_new_meeting_gets_rule_2(
    empty_database_url: str,
) -> None:
    db = Database(empty_database_url)
    try:
        await migrate.to_revision(db, "0006")
        old_hashes = await _old_meeting(db)
        await migrate.to_revision(db, "0007")
        async with db.read() as conn:
            assert (await eventlog.verify(conn, OLD)).ok
            rule = text("SELECT hash_rule FROM meetings WHERE id = :id")
            assert (await conn.execute(rule, {"id": OLD})).scalar_one() == 1
        async with db.write() as conn:
            head = await eventlog.lock_head(conn, OLD)
            assert head is not None and head.rule == 1
            new_head, _ = await eventlog.append(conn, head, [NewEvent("t", OLD_DATA[1])], None, AT)
        assert new_head.hash == _legacy_hash(old_hashes[-1], 3, OLD_DATA[1])
        # A meeting is created by today's code, on today's schema.
        await migrate.to_revision(db, "head")
        async with db.write() as conn:
            fresh = await repo.create_meeting(conn, 1, "Mới", "", AT, {1: Role.CHAIR}, 0.0)
        async with db.read() as conn:
            assert (await repo.get_meeting(conn, fresh) or {})["hash_rule"] == 2
            assert (await eventlog.verify(conn, OLD)).ok
            stored = (
                await conn.execute(
                    select(meeting_events.c.hash)
                    .where(meeting_events.c.meeting_id == OLD)
                    .order_by(meeting_events.c.seq)
                )
            ).scalars()
            assert list(stored) == [*old_hashes, new_head.hash]  # none rewritten
        await migrate.to_revision(db, "0006", downgrade=True)
        async with db.engine.connect() as conn:
            names = await conn.run_sync(lambda c: inspect(c).get_columns("meetings"))
        assert "hash_rule" not in {column["name"] for column in names}
    finally:
        await db.dispose()
