"""Where ballots are stored, beside the events of the same command.

Named polls: the participation row carries the choice (it is public in the log anyway).
Secret polls: the participation row says only that the voter took part; the choice goes
into the poll's single ``secret_polls`` row as a count, and the receipt into its sorted set.
"""

from __future__ import annotations

import bisect
import json
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

import voting
from ecabinet.canonical import canonical_json
from ecabinet.errors import DoubleVote
from ecabinet.store.schema import participations, secret_polls


def choice_key(choice: voting.Choice) -> str:
    return canonical_json(list(choice) if isinstance(choice, tuple) else choice).decode()


def _choice_from_key(key: str) -> voting.Choice:
    value = json.loads(key)
    return tuple(value) if isinstance(value, list) else str(value)


async def open_secret_poll(conn: AsyncConnection, meeting_id: int, poll_id: int) -> None:
    await conn.execute(
        secret_polls.insert().values(
            meeting_id=meeting_id, poll_id=poll_id, counts="{}", receipts="[]"
        )
    )


async def record(
    conn: AsyncConnection, meeting_id: int, ballot: voting.Ballot, receipt: str | None
) -> None:
    """Store one accepted ballot. The UNIQUE participation key refuses a second ballot of
    the same voter even if the meeting lock were bypassed."""
    named_choice = None if ballot.secret else choice_key(ballot.choice)
    if ballot.replaces:
        await conn.execute(
            update(participations)
            .where(
                participations.c.meeting_id == meeting_id,
                participations.c.poll_id == ballot.poll_id,
                participations.c.voter_id == ballot.voter_id,
            )
            .values(choice=named_choice, cast_by=ballot.cast_by)
        )
        return
    try:
        async with conn.begin_nested():
            await conn.execute(
                participations.insert().values(
                    meeting_id=meeting_id,
                    poll_id=ballot.poll_id,
                    voter_id=ballot.voter_id,
                    cast_by=ballot.cast_by,
                    choice=named_choice,
                )
            )
    except IntegrityError:
        raise DoubleVote("this vote was cast already") from None
    if ballot.secret:
        assert receipt is not None
        await _add_secret(conn, meeting_id, ballot, receipt)


async def _add_secret(
    conn: AsyncConnection, meeting_id: int, ballot: voting.Ballot, receipt: str
) -> None:
    where = (secret_polls.c.meeting_id == meeting_id, secret_polls.c.poll_id == ballot.poll_id)
    row = (
        await conn.execute(select(secret_polls.c.counts, secret_polls.c.receipts).where(*where))
    ).one()
    counts: dict[str, int] = json.loads(row.counts)
    key = choice_key(ballot.choice)
    counts[key] = counts.get(key, 0) + 1
    receipts: list[str] = json.loads(row.receipts)
    bisect.insort(receipts, receipt)
    await conn.execute(
        update(secret_polls)
        .where(*where)
        .values(counts=canonical_json(counts).decode(), receipts=canonical_json(receipts).decode())
    )


async def sealed_ballots(
    conn: AsyncConnection, meeting_id: int, poll_id: int
) -> list[voting.SealedBallot]:
    """The poll's secret ballots for the tally. The store keeps no pairing of receipt and
    choice, so the pairing handed over here is arbitrary; only the counts and the set of
    receipts are real, and they are all the tally and the publication use."""
    row = (
        await conn.execute(
            select(secret_polls.c.counts, secret_polls.c.receipts).where(
                secret_polls.c.meeting_id == meeting_id, secret_polls.c.poll_id == poll_id
            )
        )
    ).one_or_none()
    if row is None:
        return []
    receipts = iter(json.loads(row.receipts))
    ballots: list[voting.SealedBallot] = []
    for key, count in sorted(json.loads(row.counts).items()):
        choice = _choice_from_key(key)
        ballots.extend(voting.SealedBallot(poll_id, choice, next(receipts)) for _ in range(count))
    return ballots


def wire_extra(ballot: voting.Ballot, receipt: str | None) -> dict[str, Any]:
    return {"receipt": receipt} if receipt is not None else {}
