"""A real server per database backend, shared by the tests of a session, and one cluster of
two workers on PostgreSQL and Redis (``cluster``).

Every test that changes a meeting makes its own (``meeting`` fixture), so tests stay
independent while the server start-up is paid once per backend.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.client import login, new_meeting
from harness.server import Server, prepare_database, server_env
from harness.services import (
    create_postgres_database,
    delete_redis_keys,
    drop_postgres_database,
    require_redis,
    unique_redis_prefix,
)


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


@dataclass(frozen=True)
class Cluster:
    """Workers sharing one PostgreSQL database and a Redis prefix of their own."""

    servers: list[Server]
    env: dict[str, str]
    prefix: str
    redis_url: str

    @property
    def a(self) -> Server:
        return self.servers[0]

    @property
    def b(self) -> Server:
        return self.servers[1]

    @property
    def urls(self) -> list[str]:
        return [server.url for server in self.servers]


@contextmanager
def started_cluster(data_dir: Path, workers: int = 2, **settings: str) -> Iterator[Cluster]:
    """``workers`` servers on a fresh PostgreSQL database and a fresh Redis prefix (so that
    runs sharing one Redis never see each other's channels or keys), with extra
    ``ECABINET_*`` settings. Workers on several hosts share one secret key, not a data
    directory: the key is set explicitly."""
    redis_url = require_redis()
    database_url = create_postgres_database()
    prefix = unique_redis_prefix()
    env = server_env(
        data_dir,
        database_url,
        redis_url,
        ECABINET_REDIS_PREFIX=prefix,
        ECABINET_SECRET_KEY=secrets.token_urlsafe(48),
        **settings,
    )
    servers: list[Server] = []
    try:
        prepare_database(env)
        for _ in range(workers):
            servers.append(Server(env).start())
        yield Cluster(servers, env, prefix, redis_url)
    finally:
        for server in servers:
            server.stop()
        drop_postgres_database(database_url)
        delete_redis_keys(prefix)


@pytest.fixture(
    scope="session",
    params=[pytest.param(2, id="two-workers", marks=[pytest.mark.postgres, pytest.mark.redis])],
)
def cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    """The session's cluster, marked ``postgres`` and ``redis`` for the tests that use it;
    its parameter is the number of workers."""
    with started_cluster(tmp_path_factory.mktemp("cluster"), workers=request.param) as running:
        yield running


@pytest.fixture(scope="session")
def cluster_admin(cluster: Cluster) -> str:
    return asyncio.run(login(cluster.a.url, "admin"))


@pytest.fixture
async def cluster_meeting(cluster: Cluster, cluster_admin: str) -> int:
    """A fresh meeting with the demo roster, made through the first worker."""
    return await new_meeting(cluster.a.url, cluster_admin)
