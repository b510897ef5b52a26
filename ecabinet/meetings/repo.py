"""Committees, meetings and rosters in the database (rows that are not in the event log)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select, update
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
    published: bool = True,
) -> int:
    """A scheduled meeting; ``published=False`` makes a draft (only its chair and clerk and
    administrators see it until ``publish``)."""
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
                published_at=now if published else None,
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
        "published": row.published_at is not None,
        "cancel_reason": row.cancel_reason,
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
    meetings.c.published_at,
    meetings.c.cancel_reason,
)

# Who sees a draft (a meeting not yet published): its chair and clerk (and administrators,
# through the back office). Everyone else on the roster: not-found, as if it did not exist.
DRAFT_ROLES = (Role.CHAIR.value, Role.CLERK.value)


def _visible_to_role() -> Any:
    return or_(meetings.c.published_at.is_not(None), meeting_roles.c.role.in_(DRAFT_ROLES))


async def list_visible(conn: AsyncConnection, user_id: int) -> list[dict[str, Any]]:
    """Meetings the user is on the roster of, with their role."""
    query = (
        select(*_MEETING_COLUMNS, meeting_roles.c.role)
        .join(committees, committees.c.id == meetings.c.committee_id)
        .join(meeting_roles, meeting_roles.c.meeting_id == meetings.c.id)
        .where(meeting_roles.c.user_id == user_id, _visible_to_role())
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
    """The user's role, or None when not on the roster or the meeting is a draft that
    role may not see yet (``DRAFT_ROLES``)."""
    role = await conn.scalar(
        select(meeting_roles.c.role)
        .join(meetings, meetings.c.id == meeting_roles.c.meeting_id)
        .where(
            meeting_roles.c.meeting_id == meeting_id,
            meeting_roles.c.user_id == user_id,
            _visible_to_role(),
        )
    )
    return None if role is None else Role(role)


async def list_all(
    conn: AsyncConnection,
    viewer_id: int,
    committee_id: int | None = None,
    status: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    committee_ids: Collection[int] | None = None,
) -> list[dict[str, Any]]:
    """Every meeting (the administrator's list; a planner's: of ``committee_ids``), newest
    first, with the filters given:
    ``date_from``/``date_to`` compare with the first 10 characters of ``scheduled_at``
    (YYYY-MM-DD, both ends included). ``my_role``: the viewer's role, or None when the
    viewer is not on the roster."""
    mine = meeting_roles.alias("mine")
    query = (
        select(*_MEETING_COLUMNS, mine.c.role)
        .join(committees, committees.c.id == meetings.c.committee_id)
        .outerjoin(mine, (mine.c.meeting_id == meetings.c.id) & (mine.c.user_id == viewer_id))
    )
    if committee_id is not None:
        query = query.where(meetings.c.committee_id == committee_id)
    if committee_ids is not None:
        query = query.where(meetings.c.committee_id.in_(list(committee_ids)))
    if status is not None:
        query = query.where(meetings.c.status == status)
    day = func.substr(meetings.c.scheduled_at, 1, 10)
    if date_from is not None:
        query = query.where(day >= date_from)
    if date_to is not None:
        query = query.where(day <= date_to)
    query = query.order_by(meetings.c.scheduled_at.desc(), meetings.c.id.desc())
    return [{**_meeting_wire(r), "my_role": r.role} for r in (await conn.execute(query)).all()]


async def lock_meeting(conn: AsyncConnection, meeting_id: int) -> Any:
    """The meeting's row, locked for the rest of the transaction (None: no such meeting)."""
    return (
        await conn.execute(select(meetings).where(meetings.c.id == meeting_id).with_for_update())
    ).one_or_none()


async def set_details(conn: AsyncConnection, meeting_id: int, values: dict[str, Any]) -> None:
    await conn.execute(update(meetings).where(meetings.c.id == meeting_id).values(**values))


async def replace_roster(conn: AsyncConnection, meeting_id: int, roster: dict[int, Role]) -> None:
    await conn.execute(delete(meeting_roles).where(meeting_roles.c.meeting_id == meeting_id))
    await conn.execute(
        meeting_roles.insert(),
        [
            {"meeting_id": meeting_id, "user_id": uid, "role": role.value}
            for uid, role in roster.items()
        ],
    )


async def same_time(
    conn: AsyncConnection, committee_id: int, scheduled_at: str, except_id: int | None = None
) -> list[int]:
    """Scheduled or live meetings of the committee at exactly ``scheduled_at`` (an overlap)."""
    query = select(meetings.c.id).where(
        meetings.c.committee_id == committee_id,
        meetings.c.scheduled_at == scheduled_at,
        meetings.c.status.in_((Status.SCHEDULED.value, Status.LIVE.value)),
    )
    if except_id is not None:
        query = query.where(meetings.c.id != except_id)
    return list((await conn.execute(query)).scalars())
