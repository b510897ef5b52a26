"""A committee's rules in the database: its kind and its quorum setting (``committees.kind``,
``committees.quorum``), read as ``voting.CommitteeRules``.

The voting package decides what each kind means (voting/_statute.py); this module only
stores the administrator's choice, validated there, and reads it back for the committee's
JSON, the meeting's JSON (what a tablet's poll form offers) and ``poll.create``.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

import voting
from ecabinet.errors import Invalid, NotFound
from ecabinet.store.schema import committees, meetings


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
