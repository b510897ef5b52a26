"""Migration 0008 (people) on SQLite and PostgreSQL: users that existed get an empty title
and unit, and keep everything else; the downgrade removes both columns."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from ecabinet.auth import users
from ecabinet.store import migrate
from ecabinet.store.database import Database

pytestmark = pytest.mark.asyncio


async def _columns(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        found = await conn.run_sync(lambda c: inspect(c).get_columns("users"))
    return {column["name"] for column in found}


async def test_existing_users_get_an_empty_title_and_unit_and_back(
    empty_database_url: str,
) -> None:
    db = Database(empty_database_url)
    try:
        await migrate.to_revision(db, "0007")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO users (id, username, display_name, password_hash, is_admin,"
                    " is_active, created_at) VALUES (1, 'hoa', 'Lê Thị Hoa', 'h', false, true, 0)"
                )
            )
        await migrate.to_revision(db, "0008")
        async with db.read() as conn:
            row = await users.find_by_id(conn, 1)
        assert users.public(row) == {
            "id": 1,
            "username": "hoa",
            "display_name": "Lê Thị Hoa",
            "is_admin": False,
            "is_active": True,
            "title": "",
            "unit": "",
        }
        async with db.write() as conn:
            await users.set_details(conn, 1, "Lê Thị Hoa", "Chủ tịch", "UBND xã")
        await migrate.to_revision(db, "0007", downgrade=True)
        assert {"title", "unit"} & await _columns(db) == set()
        async with db.read() as conn:
            name = (await conn.execute(text("SELECT display_name FROM users"))).scalar()
        assert name == "Lê Thị Hoa"
    finally:
        await db.dispose()
