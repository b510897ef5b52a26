"""Migration 0011 (minutes jobs) on SQLite and PostgreSQL: a new, empty table with one
running job per meeting at most; the downgrade removes it and leaves the meetings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import inspect

from ecabinet.store import migrate
from ecabinet.store.database import Database

pytestmark = pytest.mark.asyncio

VERSIONS = Path(migrate.__file__).parent / "migrations" / "versions"


async def _tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


def migrate_down_to() -> str:
    """The revision before 0011, as the migration file names it."""
    source = (VERSIONS / "0011_minutes_jobs.py").read_text()
    found = re.search(r'^down_revision = "(\d+)"', source, re.MULTILINE)
    assert found is not None
    return found.group(1)


async def test_minutes_jobs_come_and_go_with_0011(empty_database_url: str) -> None:
    db = Database(empty_database_url)
    try:
        await migrate.to_revision(db, "0011")
        assert "minutes_jobs" in await _tables(db)
        async with db.engine.connect() as conn:
            columns = await conn.run_sync(lambda c: inspect(c).get_columns("minutes_jobs"))
            indexes = await conn.run_sync(lambda c: inspect(c).get_indexes("minutes_jobs"))
        assert {c["name"] for c in columns} == {
            "id",
            "meeting_id",
            "user_id",
            "worker",
            "state",
            "heartbeat_at",
            "job",
        }
        [running] = [i for i in indexes if i["name"] == "ix_minutes_jobs_running"]
        assert running["column_names"] == ["meeting_id"] and running["unique"]
        await migrate.to_revision(db, migrate_down_to(), downgrade=True)
        assert "minutes_jobs" not in await _tables(db)
        assert "meetings" in await _tables(db)
    finally:
        await db.dispose()
