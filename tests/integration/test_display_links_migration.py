"""Migration 0010 (display links) on SQLite and PostgreSQL: a new, empty table whose token
hashes are unique; the downgrade removes it and leaves the meetings as they were."""

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


async def test_display_links_come_and_go_with_0010(empty_database_url: str) -> None:
    db = Database(empty_database_url)
    try:
        await migrate.to_revision(db, "0010")
        assert "display_links" in await _tables(db)
        async with db.engine.connect() as conn:
            found = await conn.run_sync(lambda c: inspect(c).get_columns("display_links"))
        assert {c["name"] for c in found} == {
            "id",
            "meeting_id",
            "token_hash",
            "created_by",
            "created_at",
            "expires_at",
            "revoked_at",
        }
        await migrate.to_revision(db, migrate_down_to(), downgrade=True)
        assert "display_links" not in await _tables(db)
        assert "meetings" in await _tables(db)
    finally:
        await db.dispose()


def migrate_down_to() -> str:
    """The revision before 0010, as the migration file names it."""
    source = (VERSIONS / "0010_display_links.py").read_text()
    found = re.search(r'^down_revision = "(\d+)"', source, re.MULTILINE)
    assert found is not None
    return found.group(1)


async def test_a_token_hash_is_unique_and_links_are_found_by_meeting(
    empty_database_url: str,
) -> None:
    db = Database(empty_database_url)
    try:
        await migrate.to_revision(db, "0010")
        async with db.engine.connect() as conn:
            unique = await conn.run_sync(
                lambda c: inspect(c).get_unique_constraints("display_links")
            )
            indexes = await conn.run_sync(lambda c: inspect(c).get_indexes("display_links"))
        assert [u["column_names"] for u in unique] == [["token_hash"]]
        assert ["meeting_id"] in [
            i["column_names"] for i in indexes
        ]  # PostgreSQL lists the unique one too
    finally:
        await db.dispose()
