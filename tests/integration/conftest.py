"""A real server per database backend, shared by the tests of a session.

Every test that changes a meeting makes its own (``meeting`` fixture), so tests stay
independent while the server start-up is paid once per backend.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.client import login, new_meeting
from harness.server import Server, prepare_database, server_env
from harness.services import create_postgres_database, drop_postgres_database


@dataclass(frozen=True)
class Running:
    backend: str
    url: str
    env: dict[str, str]
    server: Server


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def running(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Running]:
    data_dir: Path = tmp_path_factory.mktemp(f"server-{request.param}")
    if request.param == "postgres":
        database_url = create_postgres_database()
        request.addfinalizer(lambda: drop_postgres_database(database_url))
    else:
        database_url = f"sqlite+aiosqlite:///{data_dir / 'ecabinet.db'}"
    env = server_env(data_dir, database_url)
    prepare_database(env)
    server = Server(env).start()
    yield Running(request.param, server.url, env, server)
    server.stop()


@pytest.fixture(scope="session")
def admin_token(running: Running) -> str:
    return asyncio.run(login(running.url, "admin"))


@pytest.fixture
async def meeting(running: Running, admin_token: str) -> int:
    return await new_meeting(running.url, admin_token)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database on each backend, for tests of one migration."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'ecabinet.db'}"
        return
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)
