"""Migration 0009 (meetings) on SQLite and PostgreSQL: meetings that existed are
published (members keep seeing them, the demo too) and have no cancel reason; the
downgrade removes both columns and keeps the meetings."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from ecabinet.meetings import repo
from ecabinet.meetings.rules import Role
from ecabinet.store import migrate
from ecabinet.store.database import Database

pytestmark = pytest.mark.asyncio


async def _columns(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        found = await conn.run_sync(lambda c: inspect(c).get_columns("meetings"))
    return {column["name"] for column in found}


async def test_existing_meetings_are_published_and_back(empty_database_url: str) -> None:
    db = Database(empty_database_url)
    try:
        await migrate.to_revision(db, "0008")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO users (id, username, display_name, password_hash, is_admin,"
                    " is_active, created_at) VALUES (1, 'hoa', 'Lê Thị Hoa', 'h', false, true, 0),"
                    " (2, 'nam', 'Trần Văn Nam', 'h', false, true, 0)"
                )
            )
            await conn.execute(
                text("INSERT INTO committees (id, name, created_at) VALUES (1, 'UBND xã', 0)")
            )
            await conn.execute(
                text(
                    "INSERT INTO meetings (id, committee_id, title, location, scheduled_at,"
                    " status, last_seq, head_hash, created_at, hash_rule) VALUES (100, 1,"
                    " 'Họp thường kỳ', '', '2026-12-01T08:00:00+07:00', 'scheduled', 0,"
                    " :genesis, 1700000000, 2)"
                ),
                {"genesis": "0" * 64},
            )
            await conn.execute(
                text(
                    "INSERT INTO meeting_roles (meeting_id, user_id, role) VALUES"
                    " (100, 1, 'chair'), (100, 2, 'member')"
                )
            )
        await migrate.to_revision(db, "0009")
        async with db.read() as conn:
            meeting = await repo.get_meeting(conn, 100)
            assert meeting is not None
            assert meeting["published"] is True and meeting["cancel_reason"] is None
            assert await repo.role_of(conn, 100, 2) is Role.MEMBER  # the member still sees it
            assert [m["id"] for m in await repo.list_visible(conn, 2)] == [100]
        async with db.write() as conn:
            draft = await repo.create_meeting(
                conn, 1, "Nháp", "", "2026-12-02T08:00:00+07:00",
                {1: Role.CHAIR, 2: Role.MEMBER}, 0.0, published=False,
            )  # fmt: skip
        async with db.read() as conn:
            assert await repo.role_of(conn, draft, 2) is None  # a draft: not for members
            assert await repo.role_of(conn, draft, 1) is Role.CHAIR
        await migrate.to_revision(db, "0008", downgrade=True)
        assert {"published_at", "cancel_reason"} & await _columns(db) == set()
        async with db.read() as conn:
            count = (await conn.execute(text("SELECT count(*) FROM meetings"))).scalar()
        assert count == 2
    finally:
        await db.dispose()
