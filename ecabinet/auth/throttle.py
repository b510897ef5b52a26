"""Login throttling, per user name and per client address, kept in the database so that
every worker counts the same failures."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.store.schema import login_failures

WINDOW_SECS = 15 * 60  # failures older than 15 minutes no longer count
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 30  # a shared office NAT may hold many honest typists


async def is_throttled(conn: AsyncConnection, username: str, address: str, now: float) -> bool:
    since = now - WINDOW_SECS
    per_user = await conn.scalar(
        select(func.count()).where(
            login_failures.c.username == username, login_failures.c.at > since
        )
    )
    per_address = await conn.scalar(
        select(func.count()).where(login_failures.c.address == address, login_failures.c.at > since)
    )
    return (per_user or 0) >= MAX_FAILURES_PER_USER or (
        per_address or 0
    ) >= MAX_FAILURES_PER_ADDRESS


async def record_failure(conn: AsyncConnection, username: str, address: str, now: float) -> None:
    await conn.execute(
        login_failures.insert().values(username=username[:64], address=address[:64], at=now)
    )
    # Keep the table small: forget failures that no longer count.
    await conn.execute(delete(login_failures).where(login_failures.c.at < now - WINDOW_SECS))


async def clear_user(conn: AsyncConnection, username: str) -> None:
    await conn.execute(delete(login_failures).where(login_failures.c.username == username))
