"""Migration 0006 (committee rules) on SQLite and PostgreSQL: committees that existed get the
kind ``other`` and no quorum setting (their kind's default); the downgrade removes both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from ecabinet.meetings import committees
from ecabinet.store import migrate
from ecabinet.store.database import Database
from harness.services import create_postgres_database, drop_postgres_database

pytestmark = pytest.mark.asyncio


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'ecabinet.db'}"
        return
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


async def _to(db: Database, revision: str, downgrade: bool = False) -> None:
    def run(connection: Connection) -> None:
        config = migrate._config()
        config.attributes["connection"] = connection
        (command.downgrade if downgrade else command.upgrade)(config, revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(run)


async def _columns(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        names = await conn.run_sync(lambda c: inspect(c).get_columns("committees"))
    return {column["name"] for column in names}


async def test_existing_committees_become_other_with_the_default_quorum_and_back(
    database_url: str,
) -> None:
    db = Database(database_url)
    try:
        await _to(db, "0005")
        async with db.engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO committees (id, name, created_at) VALUES (1, 'Ban', 0)")
            )
        await _to(db, "0006")
        async with db.read() as conn:
            committee = await committees.get(conn, 1)
        assert (committee["kind"], committee["quorum"]) == ("other", None)
        assert committee["rules"] == {
            "kind": "other",
            "majority": "absolute",
            "quorum": {"kind": "fraction", "fraction": [1, 2], "strict": True},
        }
        await _to(db, "0005", downgrade=True)
        assert {"kind", "quorum"} & await _columns(db) == set()
        async with db.read() as conn:
            assert (await conn.execute(text("SELECT name FROM committees"))).scalar() == "Ban"
    finally:
        await db.dispose()
