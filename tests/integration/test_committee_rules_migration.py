"""Migration 0006 (committee rules) on SQLite and PostgreSQL: committees that existed get the
kind ``other`` and no quorum setting (their kind's default); the downgrade removes both."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from ecabinet.meetings import committees
from ecabinet.store import migrate
from ecabinet.store.database import Database

pytestmark = pytest.mark.asyncio


async def _columns(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        names = await conn.run_sync(lambda c: inspect(c).get_columns("committees"))
    return {column["name"] for column in names}


async def test_existing_committees_become_other_with_the_default_quorum_and_back(
    empty_database_url: str,
) -> None:
    db = Database(empty_database_url)
    try:
        await migrate.to_revision(db, "0005")
        async with db.engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO committees (id, name, created_at) VALUES (1, 'Ban', 0)")
            )
        await migrate.to_revision(db, "0006")
        async with db.read() as conn:
            committee = await committees.get(conn, 1)
        assert (committee["kind"], committee["quorum"]) == ("other", None)
        assert committee["rules"] == {
            "kind": "other",
            "majority": "absolute",
            "quorum": {"kind": "fraction", "fraction": [1, 2], "strict": True},
        }
        await migrate.to_revision(db, "0005", downgrade=True)
        assert {"kind", "quorum"} & await _columns(db) == set()
        async with db.read() as conn:
            assert (await conn.execute(text("SELECT name FROM committees"))).scalar() == "Ban"
    finally:
        await db.dispose()
