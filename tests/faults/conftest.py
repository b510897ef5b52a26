"""Fresh databases for the fault tests, copied from one prepared per test session.

``ecabinet init`` and ``ecabinet demo`` run once per backend; each test then gets its own
copy (a file copy for SQLite, ``CREATE DATABASE … TEMPLATE`` for PostgreSQL), so that tests
that kill workers or corrupt nothing still never share a meeting log.
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from harness.server import prepare_database, server_env
from harness.services import (
    POSTGRES_ADMIN_DSN,
    create_postgres_database,
    drop_postgres_database,
)

EnvFactory = Callable[..., dict[str, str]]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("faults-sqlite-template")
    prepare_database(server_env(data_dir, f"sqlite+aiosqlite:///{data_dir / 'ecabinet.db'}"))
    return data_dir


@pytest.fixture
def sqlite_env(sqlite_template: Path, tmp_path: Path) -> EnvFactory:
    """``make(**ECABINET_X)`` -> the environment of a server on a fresh copy of the data."""

    def make(**extra: str) -> dict[str, str]:
        data_dir = tmp_path / f"data-{secrets.token_hex(3)}"
        shutil.copytree(sqlite_template, data_dir)
        return server_env(data_dir, f"sqlite+aiosqlite:///{data_dir / 'ecabinet.db'}", **extra)

    return make


@pytest.fixture(scope="session")
def postgres_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = create_postgres_database()
    try:
        prepare_database(server_env(tmp_path_factory.mktemp("faults-pg-template"), url))
        yield url
    finally:
        drop_postgres_database(url)


async def _copy_database(template: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=5)
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await conn.close()


@pytest.fixture
def postgres_env(postgres_template: str, tmp_path: Path) -> Iterator[EnvFactory]:
    """Like ``sqlite_env`` on a fresh copy of the prepared PostgreSQL database. Workers
    made from one factory share one database (``make`` may be called for each worker)."""
    name = f"ecabinet_fault_{secrets.token_hex(4)}"
    asyncio.run(_copy_database(postgres_template.rsplit("/", 1)[1], name))
    url = f"{postgres_template.rsplit('/', 1)[0]}/{name}"
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    secret = secrets.token_urlsafe(48)

    def make(**extra: str) -> dict[str, str]:
        return server_env(data_dir, url, **{"ECABINET_SECRET_KEY": secret, **extra})

    try:
        yield make
    finally:
        drop_postgres_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend_env(request: pytest.FixtureRequest) -> EnvFactory:
    """``sqlite_env`` and ``postgres_env`` in turn."""
    factory: EnvFactory = request.getfixturevalue(f"{request.param}_env")
    return factory
