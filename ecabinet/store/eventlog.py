"""The per-meeting event log: gap-free ``seq`` and a SHA-256 hash chain.

    hash = SHA-256( prev_hash_hex_ascii || C([seq, type, actor_id, at, data]) )

where C is the canonical form of the meeting's hash rule (``meetings.hash_rule``, fixed when
the meeting is created and never changed, so stored hashes are never rewritten):
rule 1 (``HASH_RULE_LEGACY``, meetings created before rule 2) is ``canonical_json``; rule 2
(``HASH_RULE_JCS``, every new meeting) is RFC 8785 ``jcs``, which a third party reproduces
from the parsed events with any JSON parser and JCS library. The first event's
``prev_hash`` is ``GENESIS_HASH``. ``append`` must run inside the write transaction that
locked the meeting row (``lock_head``), together with every other row the command touches,
so the change and its events are committed or lost together.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.canonical import canonical_json, jcs
from ecabinet.events import Event, NewEvent
from ecabinet.store.schema import meeting_events, meetings

GENESIS_HASH = "0" * 64
HASH_RULE_LEGACY = 1  # canonical_json: sorted keys, no spaces, Python's number forms
HASH_RULE_JCS = 2  # RFC 8785
HASH_RULE_NEW = HASH_RULE_JCS  # the rule a meeting created now gets
_CANONICAL = {HASH_RULE_LEGACY: canonical_json, HASH_RULE_JCS: jcs}


def event_hash(
    prev_hash: str, seq: int, type_: str, actor_id: int | None, at: str, data: Any, *, rule: int
) -> str:
    """The event's link under hash ``rule``; ``ValueError`` for an unknown rule or a value
    the rule's canonical form cannot hold."""
    canonical = _CANONICAL.get(rule)
    if canonical is None:
        raise ValueError(f"unknown hash rule {rule!r}")
    body = canonical([seq, type_, actor_id, at, data])
    return hashlib.sha256(prev_hash.encode("ascii") + body).hexdigest()


@dataclass(frozen=True)
class Head:
    """The log head of one meeting: the last seq and its hash (GENESIS_HASH when empty),
    and the meeting's hash rule, which ``append`` hashes new events under."""

    meeting_id: int
    seq: int
    hash: str
    rule: int


async def lock_head(conn: AsyncConnection, meeting_id: int) -> Head | None:
    """Lock the meeting row for the rest of the transaction and return its log head."""
    row = (
        await conn.execute(
            select(meetings.c.last_seq, meetings.c.head_hash, meetings.c.hash_rule)
            .where(meetings.c.id == meeting_id)
            .with_for_update()
        )
    ).one_or_none()
    return None if row is None else Head(meeting_id, row.last_seq, row.head_hash, row.hash_rule)


async def append(
    conn: AsyncConnection,
    head: Head,
    new_events: Sequence[NewEvent],
    actor_id: int | None,
    at: str,
) -> tuple[Head, list[Event]]:
    """Append ``new_events`` after ``head``; returns the new head and the stored events."""
    stored: list[Event] = []
    seq, prev = head.seq, head.hash
    for new in new_events:
        seq += 1
        digest = event_hash(prev, seq, new.type, actor_id, at, new.data, rule=head.rule)
        stored.append(Event(head.meeting_id, seq, new.type, actor_id, at, new.data, digest))
        prev = digest
    if not stored:
        return head, stored
    await conn.execute(
        meeting_events.insert(),
        [
            {
                "meeting_id": e.meeting_id,
                "seq": e.seq,
                "type": e.type,
                "actor_id": e.actor_id,
                "at": e.at,
                "data": canonical_json(e.data).decode("utf-8"),
                "prev_hash": (head.hash if i == 0 else stored[i - 1].hash),
                "hash": e.hash,
            }
            for i, e in enumerate(stored)
        ],
    )
    new_head = Head(head.meeting_id, seq, prev, head.rule)
    await conn.execute(
        update(meetings)
        .where(meetings.c.id == head.meeting_id)
        .values(last_seq=new_head.seq, head_hash=new_head.hash)
    )
    return new_head, stored


async def read_after(
    conn: AsyncConnection, meeting_id: int, after_seq: int, limit: int | None = None
) -> list[Event]:
    """Events with ``seq > after_seq`` in order (at most ``limit``)."""
    query = (
        select(meeting_events)
        .where(meeting_events.c.meeting_id == meeting_id, meeting_events.c.seq > after_seq)
        .order_by(meeting_events.c.seq)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = (await conn.execute(query)).all()
    return [
        Event(r.meeting_id, r.seq, r.type, r.actor_id, r.at, json.loads(r.data), r.hash)
        for r in rows
    ]


async def hash_at(conn: AsyncConnection, meeting_id: int, seq: int) -> str | None:
    """The hash of event ``seq`` (``GENESIS_HASH`` for 0): the head a snapshot at ``seq``
    is at, which a client chains the following events from. None when the transaction does
    not see event ``seq`` (committed after its snapshot was taken)."""
    if seq == 0:
        return GENESIS_HASH
    digest = await conn.scalar(
        select(meeting_events.c.hash).where(
            meeting_events.c.meeting_id == meeting_id, meeting_events.c.seq == seq
        )
    )
    return None if digest is None else str(digest)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    first_bad_seq: int | None = None
    reason: str = ""


def verify_rows(rows: Iterable[Any], head: Head | None = None, *, rule: int) -> ChainReport:
    """Recompute the chain over raw ``meeting_events`` rows ordered by seq under hash
    ``rule`` (the meeting's).

    Checks, per row: seq is the next integer, ``prev_hash`` is the previous row's hash,
    and ``hash`` is what the content hashes to. With ``head``, the meeting row's head
    must equal the last event.
    """
    expected_seq, prev, count = 1, GENESIS_HASH, 0
    for row in rows:
        count += 1
        if row.seq != expected_seq:
            return ChainReport(False, count, expected_seq, f"seq {expected_seq} is missing")
        if row.prev_hash != prev:
            return ChainReport(False, count, row.seq, "prev_hash does not match the previous event")
        try:
            data = json.loads(row.data)
            digest = event_hash(prev, row.seq, row.type, row.actor_id, row.at, data, rule=rule)
        except ValueError:
            reason = f"data is not JSON that hash rule {rule} can hold"
            return ChainReport(False, count, row.seq, reason)
        if digest != row.hash:
            return ChainReport(False, count, row.seq, "hash does not match the event's content")
        prev = row.hash
        expected_seq += 1
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        return ChainReport(
            False, count, expected_seq, "the meeting's head does not match its last event"
        )
    return ChainReport(True, count)


async def verify(conn: AsyncConnection, meeting_id: int) -> ChainReport:
    head_row = (
        await conn.execute(
            select(meetings.c.last_seq, meetings.c.head_hash, meetings.c.hash_rule).where(
                meetings.c.id == meeting_id
            )
        )
    ).one_or_none()
    if head_row is None:
        return ChainReport(False, 0, None, f"no meeting {meeting_id}")
    result = await conn.stream(
        select(meeting_events)
        .where(meeting_events.c.meeting_id == meeting_id)
        .order_by(meeting_events.c.seq)
    )
    rows = [row async for row in result]
    head = Head(meeting_id, head_row.last_seq, head_row.head_hash, head_row.hash_rule)
    return verify_rows(rows, head, rule=head.rule)
