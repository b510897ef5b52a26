"""Access to the machine's PostgreSQL and Redis for tests.

In CI (``CI=true``) a missing service fails the test; elsewhere it skips with the reason.
"""

from __future__ import annotations

import asyncio
import os
import secrets

import pytest

POSTGRES_ADMIN_DSN = os.environ.get(
    "ECABINET_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("ECABINET_TEST_REDIS", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(service: str, reason: str) -> None:
    message = f"{service} is not reachable ({reason})"
    if IN_CI:
        pytest.fail(f"{message}; CI must provide it", pytrace=False)
    pytest.skip(message)


async def create_database(admin_dsn: str, prefix: str) -> str:
    """Create an empty database named ``prefix`` + a random suffix; returns the name."""
    import asyncpg

    name = f"{prefix}_{secrets.token_hex(4)}"
    conn = await asyncpg.connect(admin_dsn, timeout=5)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name


async def drop_database(admin_dsn: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_dsn, timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def database_url(admin_dsn: str, name: str) -> str:
    """The SQLAlchemy (asyncpg) URL of database ``name`` on the server of ``admin_dsn``."""
    base = admin_dsn.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


def create_postgres_database() -> str:
    """A fresh, empty database; returns its SQLAlchemy URL."""
    try:
        name = asyncio.run(create_database(POSTGRES_ADMIN_DSN, "ecabinet_test"))
    except Exception as exc:  # connection refused, auth, timeout
        unavailable("PostgreSQL", f"{type(exc).__name__}: {exc}")
    return database_url(POSTGRES_ADMIN_DSN, name)


def drop_postgres_database(url: str) -> None:
    asyncio.run(drop_database(POSTGRES_ADMIN_DSN, url.rsplit("/", 1)[1]))


def require_redis() -> str:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except Exception as exc:
        unavailable("Redis", f"{type(exc).__name__}: {exc}")
    finally:
        client.close()
    return REDIS_URL


def unique_redis_prefix() -> str:
    """A prefix of its own for one test session, so that runs sharing a Redis never meet."""
    return f"ecabinet-test-{secrets.token_hex(6)}"


def delete_redis_keys(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        for key in client.scan_iter(match=f"{prefix}:*", count=500):
            client.delete(key)
    finally:
        client.close()
