"""Display links: how the room's big screen (the projector) joins a meeting.

The chair or the clerk issues a link (``issue``); its random token is shown once and the
table keeps only HMAC-SHA256(secret, token), as ``ecabinet.auth.sessions`` does. The
display's browser trades the token for an HttpOnly cookie (``DISPLAY_COOKIE``) and its
socket then has a display identity (``Displays.identity``):

- ``user_id`` is ``-meeting_id``: never a person, never on a roster, the same for every
  display of one meeting (so that the hub's per-person rooms and limits apply per meeting);
- ``session_key`` is ``"display:" + hash``, so that revoking a link closes its sockets the
  way ending a session does.

A display reads what an observer reads (private annotations redacted, no poll's ``you``
block) and may send no command and no ephemeral message (``not-allowed``). A link ends when
revoked, at ``expires_at`` (issue time + 1 to 24 hours), or when its meeting has ended.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.errors import NotAllowed, NotFound
from ecabinet.store.database import Database
from ecabinet.store.schema import display_links, meetings
from realtime.contracts import Identity

DISPLAY_COOKIE = "ecabinet_display"
DISPLAY_KEY_PREFIX = "display:"
DISPLAY_NAME = "display"
TOKEN_BYTES = 32
LINK_HOURS_DEFAULT = 12
LINK_HOURS_MAX = 24
HOUR_SECS = 3600
CLOSED_STATUSES = frozenset({"ended", "cancelled"})  # a link of such a meeting is dead


@dataclass(frozen=True)
class DisplayLink:
    id: int
    meeting_id: int
    key: str  # the hub's session key: DISPLAY_KEY_PREFIX + token hash
    expires_at: float


def token_hash(secret: str, token: str) -> str:
    return hmac.new(secret.encode(), b"display-link:" + token.encode(), hashlib.sha256).hexdigest()


def display_user_id(meeting_id: int) -> int:
    """The identity every display of ``meeting_id`` has in the hub (never a real user)."""
    return -meeting_id


def is_display(identity: Identity) -> bool:
    return identity.user_id < 0 and identity.session_key.startswith(DISPLAY_KEY_PREFIX)


async def issue(
    conn: AsyncConnection, secret: str, meeting_id: int, user_id: int, now: float, hours: int
) -> tuple[str, dict[str, Any]]:
    """A new link: (its token, shown once; the link as the API lists it)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires_at = now + hours * HOUR_SECS
    inserted = (
        await conn.execute(
            display_links.insert().values(
                meeting_id=meeting_id,
                token_hash=token_hash(secret, token),
                created_by=user_id,
                created_at=now,
                expires_at=expires_at,
            )
        )
    ).inserted_primary_key
    assert inserted is not None
    link_id = int(inserted[0])
    return token, {"id": link_id, "created_at": now, "expires_at": expires_at}


async def active(conn: AsyncConnection, meeting_id: int, now: float) -> list[dict[str, Any]]:
    rows = (
        await conn.execute(
            select(display_links.c.id, display_links.c.created_at, display_links.c.expires_at)
            .where(
                display_links.c.meeting_id == meeting_id,
                display_links.c.revoked_at.is_(None),
                display_links.c.expires_at > now,
            )
            .order_by(display_links.c.id)
        )
    ).all()
    return [{"id": r.id, "created_at": r.created_at, "expires_at": r.expires_at} for r in rows]


async def revoke_all(conn: AsyncConnection, meeting_id: int, now: float) -> list[str]:
    """Revoke every live link of the meeting; returns their hub keys (to close sockets)."""
    hashes = list(
        (
            await conn.execute(
                select(display_links.c.token_hash).where(
                    display_links.c.meeting_id == meeting_id,
                    display_links.c.revoked_at.is_(None),
                    display_links.c.expires_at > now,
                )
            )
        )
        .scalars()
        .all()
    )
    await conn.execute(
        update(display_links)
        .where(display_links.c.meeting_id == meeting_id, display_links.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return [DISPLAY_KEY_PREFIX + h for h in hashes]


async def resolve(conn: AsyncConnection, hashed: str, now: float) -> DisplayLink | None:
    """The live link with this token hash, or None (unknown, revoked, expired, or its
    meeting has ended)."""
    row = (
        await conn.execute(
            select(
                display_links.c.id,
                display_links.c.meeting_id,
                display_links.c.expires_at,
                display_links.c.revoked_at,
                meetings.c.status,
            )
            .join(meetings, meetings.c.id == display_links.c.meeting_id)
            .where(display_links.c.token_hash == hashed)
        )
    ).one_or_none()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if row.status in CLOSED_STATUSES:
        return None
    return DisplayLink(row.id, row.meeting_id, DISPLAY_KEY_PREFIX + hashed, row.expires_at)


class Displays:
    """The display's side of the hub's contracts: its identity, whether it is still alive,
    and which meeting it may join."""

    def __init__(self, db: Database, secret: str, clock: Callable[[], float]) -> None:
        self._db = db
        self._secret = secret
        self._clock = clock

    async def link(self, token: str | None) -> DisplayLink | None:
        if not token:
            return None
        async with self._db.read() as conn:
            return await resolve(conn, token_hash(self._secret, token), self._clock())

    async def identity(self, token: str | None) -> Identity | None:
        link = await self.link(token)
        if link is None:
            return None
        return Identity(display_user_id(link.meeting_id), DISPLAY_NAME, link.key)

    async def _by_key(self, identity: Identity) -> DisplayLink | None:
        async with self._db.read() as conn:
            hashed = identity.session_key.removeprefix(DISPLAY_KEY_PREFIX)
            return await resolve(conn, hashed, self._clock())

    async def alive(self, identity: Identity) -> bool:
        return await self._by_key(identity) is not None

    async def admit(self, identity: Identity, meeting_id: int) -> None:
        """``not-found`` unless the link is alive and is this meeting's."""
        link = await self._by_key(identity)
        if link is None or link.meeting_id != meeting_id:
            raise NotFound("no such meeting")

    @staticmethod
    def refuse(_identity: Identity) -> NotAllowed:
        return NotAllowed("a display may not send commands or messages")
