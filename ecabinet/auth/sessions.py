"""Server-side sessions.

The browser holds a random token in an HttpOnly cookie; the ``sessions`` table holds only
HMAC-SHA256(secret, token), which also serves as the session's key in the hub. A session
ends on logout, on deactivation or password change of its user, after ``idle`` seconds
without use, or ``max`` seconds after login, whichever comes first.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.store.schema import sessions, users

SESSION_COOKIE = "ecabinet_session"
TOKEN_BYTES = 32
TOUCH_INTERVAL_SECS = 60  # write last_seen_at at most once a minute per session


@dataclass(frozen=True)
class SessionUser:
    session_key: str
    user_id: int
    username: str
    display_name: str
    is_admin: bool


def session_key(secret: str, token: str) -> str:
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()


async def create(
    conn: AsyncConnection, secret: str, user_id: int, now: float, address: str, user_agent: str
) -> tuple[str, str]:
    """Insert a new session; returns (token for the cookie, session key)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    key = session_key(secret, token)
    await conn.execute(
        sessions.insert().values(
            token_hash=key,
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            address=address[:64],
            user_agent=user_agent[:300],
        )
    )
    return token, key


async def resolve(
    conn: AsyncConnection, key: str, now: float, idle_secs: int, max_secs: int
) -> SessionUser | None:
    """The active user of session ``key``, or None when missing, expired or deactivated.
    An expired session row is deleted."""
    row = (
        await conn.execute(
            select(
                sessions.c.created_at,
                sessions.c.last_seen_at,
                users.c.id,
                users.c.username,
                users.c.display_name,
                users.c.is_admin,
                users.c.is_active,
            )
            .join(users, users.c.id == sessions.c.user_id)
            .where(sessions.c.token_hash == key)
        )
    ).one_or_none()
    if row is None:
        return None
    expired = now - row.last_seen_at > idle_secs or now - row.created_at > max_secs
    if expired or not row.is_active:
        await conn.execute(delete(sessions).where(sessions.c.token_hash == key))
        return None
    if now - row.last_seen_at > TOUCH_INTERVAL_SECS:
        await conn.execute(
            update(sessions).where(sessions.c.token_hash == key).values(last_seen_at=now)
        )
    return SessionUser(key, row.id, row.username, row.display_name, bool(row.is_admin))


async def end(conn: AsyncConnection, key: str) -> None:
    await conn.execute(delete(sessions).where(sessions.c.token_hash == key))


async def end_all_for_user(conn: AsyncConnection, user_id: int) -> list[str]:
    """Delete every session of ``user_id``; returns their keys (to close their sockets)."""
    keys = list(
        (await conn.execute(select(sessions.c.token_hash).where(sessions.c.user_id == user_id)))
        .scalars()
        .all()
    )
    await conn.execute(delete(sessions).where(sessions.c.user_id == user_id))
    return keys


async def list_for_user(conn: AsyncConnection, user_id: int) -> list[dict[str, object]]:
    rows = (
        await conn.execute(
            select(sessions).where(sessions.c.user_id == user_id).order_by(sessions.c.created_at)
        )
    ).all()
    return [
        {
            "id": r.token_hash[:16],
            "created_at": r.created_at,
            "last_seen_at": r.last_seen_at,
            "address": r.address,
            "user_agent": r.user_agent,
        }
        for r in rows
    ]


async def is_alive(
    conn: AsyncConnection, key: str, now: float, idle_secs: int, max_secs: int
) -> bool:
    """Whether session ``key`` is still valid (read only: it does not touch the session)."""
    row = (
        await conn.execute(
            select(sessions.c.created_at, sessions.c.last_seen_at, users.c.is_active)
            .join(users, users.c.id == sessions.c.user_id)
            .where(sessions.c.token_hash == key)
        )
    ).one_or_none()
    if row is None or not row.is_active:
        return False
    return bool(now - row.last_seen_at <= idle_secs and now - row.created_at <= max_secs)
