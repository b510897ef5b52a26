"""The database handle: engine set-up per backend and the two kinds of transaction.

SQLite runs in WAL mode with ``synchronous=FULL`` (an acknowledged commit survives power
loss) and takes its write lock at BEGIN (``BEGIN IMMEDIATE``): a deferred transaction that
reads and then writes would fail with SQLITE_BUSY when another writer got there first.
Writers in this process also queue on one asyncio lock, as SQLite has one writer anyway.
PostgreSQL serializes per meeting with ``SELECT … FOR UPDATE`` on the meeting row.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 30_000  # another process (the CLI) may hold the write lock briefly
POSTGRES_POOL_SIZE = 10


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine: AsyncEngine = _sqlite_engine(url) if self.is_sqlite else _postgres_engine(url)
        self._sqlite_write_lock: asyncio.Lock | None = None

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A read transaction (a consistent snapshot on both backends)."""
        async with self.engine.connect() as conn, conn.begin():
            yield conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction: commits when the block ends, rolls back on any exception."""
        if not self.is_sqlite:
            async with self.engine.begin() as conn:
                yield conn
            return
        if self._sqlite_write_lock is None:
            self._sqlite_write_lock = asyncio.Lock()
        async with self._sqlite_write_lock, self.engine.connect() as conn:
            conn = await conn.execution_options(ecabinet_write=True)
            async with conn.begin():
                yield conn

    async def scrub(self, *tables: str) -> None:
        """Drop old row versions of ``tables`` from the database files: on SQLite the WAL is
        checkpointed and truncated (freed pages are zeroed by ``secure_delete``); on
        PostgreSQL the tables are vacuumed (their WAL, replicas and backups keep what was
        written). Run after a commit, outside any transaction."""
        async with self.engine.connect() as conn:
            if self.is_sqlite:
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.exec_driver_sql("VACUUM " + ", ".join(f'"{t}"' for t in tables))

    async def dispose(self) -> None:
        await self.engine.dispose()


def inserted_id(result: CursorResult[Any]) -> int:
    """The integer primary key of the row an INSERT created."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the INSERT returned no primary key")
    return int(key[0])


def _sqlite_engine(url: str) -> AsyncEngine:
    engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (below) instead of the driver's implicit one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Freed space is overwritten with zeros, so an old version of a row (a secret poll's
        # earlier counts, say) cannot be read back from the file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("ecabinet_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _postgres_engine(url: str) -> AsyncEngine:
    return create_async_engine(
        url, pool_size=POSTGRES_POOL_SIZE, max_overflow=20, pool_pre_ping=True
    )
