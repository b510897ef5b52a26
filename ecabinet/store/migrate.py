"""Bring a database to the newest schema with Alembic (idempotent)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from ecabinet.store.database import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _upgrade(connection: Connection, config: Config) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def upgrade(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.run_sync(_upgrade, _config())
    # A migration may delete rows that must not stay readable in the database files
    # (0005: a cancelled secret poll's running counts).
    await db.scrub("secret_polls")


async def to_revision(db: Database, revision: str, *, downgrade: bool = False) -> None:
    """Move the schema up (or down) to ``revision`` exactly: for tests of one migration."""

    def run(connection: Connection) -> None:
        config = _config()
        config.attributes["connection"] = connection
        (command.downgrade if downgrade else command.upgrade)(config, revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(run)


async def is_current(db: Database) -> bool:
    """True when the database is at the newest revision."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    async with db.engine.connect() as conn:
        return await conn.run_sync(_current) == head
