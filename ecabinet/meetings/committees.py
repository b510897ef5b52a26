"""Committees in the database: their rules (kind and quorum setting, ``committees.kind``,
``committees.quorum``, read as ``voting.CommitteeRules``), their members, their clerks and
the back office's view of them.

The voting package decides what each kind means (voting/_statute.py); this module only
stores the administrator's choice, validated there, and reads it back for the committee's
JSON, the meeting's JSON (what a tablet's poll form offers) and ``poll.create``.

A committee's **clerks** are the people who are the clerk of one of its meetings (draft,
published, ended or cancelled): the administrator made them so on a roster. They write the
committee's minutes, so they may keep its minutes profile (layout, header texts, place,
recipients; docs/protocol.md, "Committees in the back office"); its name, kind, quorum and
members, which decide who is summoned and what a vote needs, stay the administrator's.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

import voting
from ecabinet.errors import Invalid, NotFound
from ecabinet.minutes import profile as minutes_profile
from ecabinet.store.schema import (
    committee_members,
    committees,
    meeting_roles,
    meetings,
    minutes_profiles,
    users,
)

NAME_MAX_CHARS = 300  # the column's size
MEMBERS_MAX = 1000  # people on one committee's list
CLERK = "clerk"  # the meeting role that makes someone a clerk of the meeting's committee


def rules_of(kind: str, quorum: str | None) -> voting.CommitteeRules:
    """The rules of a stored row (trusted: written by ``save`` after validation)."""
    setting = None if quorum is None else voting.Quorum.from_wire(json.loads(quorum))
    return voting.committee_rules(voting.CommitteeKind(kind), setting)


def committee_wire(row: Any) -> dict[str, Any]:
    """The committee's JSON: ``quorum`` is its setting (null: its kind's default) and
    ``rules`` what its polls get when the chair names no majority or quorum."""
    rules = rules_of(row.kind, row.quorum)
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind,
        "quorum": None if row.quorum is None else json.loads(row.quorum),
        "rules": rules.to_wire(),
    }


def parse(kind: Any, quorum: Any) -> tuple[str, str | None]:
    """An administrator's ``kind`` and ``quorum`` (null: the kind's default) as the columns
    store them; raises ``invalid`` with voting's reason (an unknown kind, a malformed
    quorum, a quorum below what the law sets for the kind)."""
    try:
        rules = voting.parse_committee_rules(kind, quorum)
    except voting.VotingError as exc:
        raise Invalid(exc.message) from exc
    column = None if quorum is None else json.dumps(rules.quorum.to_wire(), sort_keys=True)
    return rules.kind.value, column


async def save(
    conn: AsyncConnection, committee_id: int, kind: str, quorum: str | None
) -> dict[str, Any]:
    """Store what ``parse`` returned; returns the committee's JSON or raises ``not-found``."""
    await conn.execute(
        update(committees).where(committees.c.id == committee_id).values(kind=kind, quorum=quorum)
    )
    return await get(conn, committee_id)


async def get(conn: AsyncConnection, committee_id: int) -> dict[str, Any]:
    """The committee's JSON, or ``not-found``."""
    row = (
        await conn.execute(select(committees).where(committees.c.id == committee_id))
    ).one_or_none()
    if row is None:
        raise NotFound("no such committee")
    return committee_wire(row)


async def rules_for_meeting(conn: AsyncConnection, meeting_id: int) -> voting.CommitteeRules:
    """The rules of the meeting's committee, read when a poll is defined."""
    row = (
        await conn.execute(
            select(committees.c.kind, committees.c.quorum)
            .join(meetings, meetings.c.committee_id == committees.c.id)
            .where(meetings.c.id == meeting_id)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("no such meeting")
    return rules_of(row.kind, row.quorum)


def statutes_wire() -> list[dict[str, Any]]:
    """What the law (or this product, where unconfirmed) gives each kind, for the back
    office: the default majority and quorum, and the quorum a setting may not go below."""
    out = []
    for kind, statute in voting.STATUTES.items():
        floor = statute.quorum_floor
        out.append(
            {
                "kind": kind.value,
                "majority": statute.majority,
                "quorum": statute.quorum.to_wire(),
                "quorum_floor": None if floor is None else floor.to_wire(),
            }
        )
    return out


def check_name(raw: Any) -> str:
    """A committee's name: runs of white space made one space, 1–300 characters (the text
    is NFC already: every JSON body is normalized when read)."""
    if not isinstance(raw, str):
        raise Invalid("name must be text")
    name = " ".join(raw.split())
    if not 1 <= len(name) <= NAME_MAX_CHARS:
        raise Invalid(f"the name must have 1–{NAME_MAX_CHARS} characters")
    return name


def check_member_ids(raw: Any) -> list[int]:
    """The list of members' user ids as sent: whole numbers, each once, at most
    ``MEMBERS_MAX``. Whether they name users is the database's to say."""
    if not isinstance(raw, list) or not all(type(m) is int for m in raw):
        raise Invalid("member_ids must be a list of whole numbers")
    if len(raw) > MEMBERS_MAX or len(set(raw)) != len(raw):
        raise Invalid(f"member_ids must name at most {MEMBERS_MAX} people, each once")
    return list(raw)


async def clerk_of(conn: AsyncConnection, user_id: int) -> set[int]:
    """The committees ``user_id`` is a clerk of (the clerk of one of their meetings)."""
    query = (
        select(meetings.c.committee_id)
        .join(meeting_roles, meeting_roles.c.meeting_id == meetings.c.id)
        .where(meeting_roles.c.user_id == user_id, meeting_roles.c.role == CLERK)
        .distinct()
    )
    return set((await conn.execute(query)).scalars())


async def describe(
    conn: AsyncConnection, committee_ids: Collection[int] | None = None
) -> list[dict[str, Any]]:
    """The back office's view of committees (all, or those of ``committee_ids``), by id:
    the committee's JSON with its ``members`` (each with title and unit), its ``clerks``
    and its minutes ``profile`` as stored. Four queries, whatever the number."""
    query = select(committees).order_by(committees.c.id)
    if committee_ids is not None:
        query = query.where(committees.c.id.in_(list(committee_ids)))
    rows = (await conn.execute(query)).all()
    ids = [row.id for row in rows]
    members: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    member_rows = await conn.execute(
        select(
            committee_members.c.committee_id,
            users.c.id,
            users.c.username,
            users.c.display_name,
            users.c.title,
            users.c.unit,
            users.c.is_active,
        )
        .join(users, users.c.id == committee_members.c.user_id)
        .where(committee_members.c.committee_id.in_(ids))
        .order_by(users.c.display_name, users.c.id)
    )
    for m in member_rows:
        members[m.committee_id].append(
            {
                "user_id": m.id,
                "username": m.username,
                "display_name": m.display_name,
                "title": m.title,
                "unit": m.unit,
                "is_active": m.is_active,
            }
        )
    clerks: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    clerk_rows = await conn.execute(
        select(meetings.c.committee_id, users.c.id, users.c.display_name)
        .join(meeting_roles, meeting_roles.c.meeting_id == meetings.c.id)
        .join(users, users.c.id == meeting_roles.c.user_id)
        .where(meetings.c.committee_id.in_(ids), meeting_roles.c.role == CLERK)
        .distinct()
        .order_by(users.c.display_name, users.c.id)
    )
    for c in clerk_rows:
        clerks[c.committee_id].append({"user_id": c.id, "display_name": c.display_name})
    profiles = {
        p.committee_id: minutes_profile.parse_profile(json.loads(p.profile))
        for p in await conn.execute(
            select(minutes_profiles).where(minutes_profiles.c.committee_id.in_(ids))
        )
    }
    default = minutes_profile.MinutesProfile()
    return [
        {
            **committee_wire(row),
            "members": members[row.id],
            "clerks": clerks[row.id],
            "profile": profiles.get(row.id, default).to_wire(),
        }
        for row in rows
    ]


async def describe_one(conn: AsyncConnection, committee_id: int) -> dict[str, Any]:
    """One committee as ``describe`` gives it, or ``not-found``."""
    found = await describe(conn, [committee_id])
    if not found:
        raise NotFound("no such committee")
    return found[0]


async def exists(conn: AsyncConnection, committee_id: int) -> bool:
    return (
        await conn.scalar(select(committees.c.id).where(committees.c.id == committee_id))
    ) is not None


async def row_for_update(conn: AsyncConnection, committee_id: int) -> Any:
    """The committee's row, locked for the rest of the transaction; ``not-found``."""
    row = (
        await conn.execute(
            select(committees).where(committees.c.id == committee_id).with_for_update()
        )
    ).one_or_none()
    if row is None:
        raise NotFound("no such committee")
    return row


async def set_name(conn: AsyncConnection, committee_id: int, name: str) -> None:
    await conn.execute(update(committees).where(committees.c.id == committee_id).values(name=name))


async def replace_members(conn: AsyncConnection, committee_id: int, member_ids: list[int]) -> None:
    """The committee's list becomes ``member_ids`` (checked to name users)."""
    await conn.execute(
        delete(committee_members).where(committee_members.c.committee_id == committee_id)
    )
    if member_ids:
        await conn.execute(
            committee_members.insert(),
            [{"committee_id": committee_id, "user_id": uid} for uid in member_ids],
        )
