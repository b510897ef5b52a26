"""Who prepares meetings in the back office: administrators, and the clerks of a meeting's
committee (the clerk of one of the committee's meetings, ``committees.clerk_of``).

A planner need not be on a meeting's roster. Where a command of the meeting must run for
one (a document uploaded to an agenda item before the meeting), the planner acts as the
meeting's clerk (``MeetingService.execute``'s ``acting_role``), and the log names them as
the actor."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.auth.sessions import SessionUser
from ecabinet.meetings import committees, repo
from ecabinet.store.schema import users


async def planned_committees(conn: AsyncConnection, user: SessionUser) -> set[int] | None:
    """The committees ``user`` prepares meetings of: None means every one (an
    administrator); an empty set, none."""
    if user.is_admin:
        return None
    return await committees.clerk_of(conn, user.user_id)


async def is_planner(conn: AsyncConnection, user: SessionUser) -> bool:
    return user.is_admin or bool(await committees.clerk_of(conn, user.user_id))


async def plans_committee(conn: AsyncConnection, user: SessionUser, committee_id: int) -> bool:
    if user.is_admin:
        return True
    return committee_id in await committees.clerk_of(conn, user.user_id)


async def plans_meeting(conn: AsyncConnection, user: SessionUser, meeting_id: int) -> bool:
    """False also when there is no such meeting."""
    meeting = await repo.get_meeting(conn, meeting_id)
    if meeting is None:
        return False
    return await plans_committee(conn, user, int(meeting["committee_id"]))


async def directory(conn: AsyncConnection) -> list[dict[str, Any]]:
    """Everyone a roster may name, as a planner needs them (no account details): id, user
    name, full name, title, unit and whether the account is active; by full name."""
    query = select(
        users.c.id,
        users.c.username,
        users.c.display_name,
        users.c.title,
        users.c.unit,
        users.c.is_active,
    ).order_by(users.c.display_name, users.c.id)
    return [dict(row._mapping) for row in (await conn.execute(query)).all()]
