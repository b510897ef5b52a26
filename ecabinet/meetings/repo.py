"""Committees, meetings and rosters in the database (rows that are not in the event log)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.meetings import committees as committee_rules
from ecabinet.meetings.rules import Role, Status
from ecabinet.store.database import inserted_id
from ecabinet.store.eventlog import GENESIS_HASH, HASH_RULE_NEW
from ecabinet.store.schema import committee_members, committees, meeting_roles, meetings, users


@dataclass(frozen=True)
class RosterEntry:
    user_id: int
    display_name: str
    role: Role

    def to_wire(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "display_name": self.display_name, "role": self.role.value}


async def missing_users(conn: AsyncConnection, user_ids: list[int]) -> list[int]:
    """The ids in ``user_ids`` that name no user."""
    found = set((await conn.execute(select(users.c.id).where(users.c.id.in_(user_ids)))).scalars())
    return sorted(set(user_ids) - found)


async def create_committee(
    conn: AsyncConnection,
    name: str,
    member_ids: list[int],
    now: float,
    kind: str = "other",
    quorum: str | None = None,
) -> int:
    """A new committee; ``kind`` and ``quorum`` as ``committees.parse`` returns them."""
    committee_id = inserted_id(
        await conn.execute(
            committees.insert().values(name=name, created_at=now, kind=kind, quorum=quorum)
        )
    )
    if member_ids:
        await conn.execute(
            committee_members.insert(),
            [{"committee_id": committee_id, "user_id": uid} for uid in member_ids],
        )
    return committee_id


async def list_committees(conn: AsyncConnection) -> list[dict[str, Any]]:
    rows = (await conn.execute(select(committees).order_by(committees.c.id))).all()
    return [committee_rules.committee_wire(r) for r in rows]


async def create_meeting(
    conn: AsyncConnection,
    committee_id: int,
    title: str,
    location: str,
    scheduled_at: str,
    roster: dict[int, Role],
    now: float,
) -> int:
    meeting_id = inserted_id(
        await conn.execute(
            meetings.insert().values(
                committee_id=committee_id,
                title=title,
                location=location,
                scheduled_at=scheduled_at,
                status=Status.SCHEDULED.value,
                last_seq=0,
                head_hash=GENESIS_HASH,
                hash_rule=HASH_RULE_NEW,
                created_at=now,
            )
        )
    )
    await conn.execute(
        meeting_roles.insert(),
        [
            {"meeting_id": meeting_id, "user_id": uid, "role": role.value}
            for uid, role in roster.items()
        ],
    )
    return meeting_id


def _meeting_wire(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "committee_id": row.committee_id,
        "committee_name": row.committee_name,
        "title": row.title,
        "location": row.location,
        "scheduled_at": row.scheduled_at,
        "status": row.status,
        "last_seq": row.last_seq,
        # The canonical form the meeting's event hashes are computed under (docs/protocol.md).
        "hash_rule": row.hash_rule,
        # What the committee's polls get when the chair names no majority or quorum; the
        # server fills it in and records it, the tablet only describes it.
        "committee_rules": committee_rules.rules_of(
            row.committee_kind, row.committee_quorum
        ).to_wire(),
    }


_MEETING_COLUMNS = (
    meetings.c.id,
    meetings.c.committee_id,
    committees.c.name.label("committee_name"),
    committees.c.kind.label("committee_kind"),
    committees.c.quorum.label("committee_quorum"),
    meetings.c.title,
    meetings.c.location,
    meetings.c.scheduled_at,
    meetings.c.status,
    meetings.c.last_seq,
    meetings.c.hash_rule,
)


async def list_visible(conn: AsyncConnection, user_id: int) -> list[dict[str, Any]]:
    """Meetings the user is on the roster of, with their role."""
    query = (
        select(*_MEETING_COLUMNS, meeting_roles.c.role)
        .join(committees, committees.c.id == meetings.c.committee_id)
        .join(meeting_roles, meeting_roles.c.meeting_id == meetings.c.id)
        .where(meeting_roles.c.user_id == user_id)
        .order_by(meetings.c.scheduled_at.desc(), meetings.c.id.desc())
    )
    rows = (await conn.execute(query)).all()
    return [{**_meeting_wire(r), "my_role": r.role} for r in rows]


async def get_meeting(conn: AsyncConnection, meeting_id: int) -> dict[str, Any] | None:
    row = (
        await conn.execute(
            select(*_MEETING_COLUMNS)
            .join(committees, committees.c.id == meetings.c.committee_id)
            .where(meetings.c.id == meeting_id)
        )
    ).one_or_none()
    return None if row is None else _meeting_wire(row)


async def roster(conn: AsyncConnection, meeting_id: int) -> list[RosterEntry]:
    rows = (
        await conn.execute(
            select(meeting_roles.c.user_id, meeting_roles.c.role, users.c.display_name)
            .join(users, users.c.id == meeting_roles.c.user_id)
            .where(meeting_roles.c.meeting_id == meeting_id)
            .order_by(meeting_roles.c.role, users.c.display_name)
        )
    ).all()
    return [RosterEntry(r.user_id, r.display_name, Role(r.role)) for r in rows]


async def role_of(conn: AsyncConnection, meeting_id: int, user_id: int) -> Role | None:
    role = await conn.scalar(
        select(meeting_roles.c.role).where(
            meeting_roles.c.meeting_id == meeting_id, meeting_roles.c.user_id == user_id
        )
    )
    return None if role is None else Role(role)
