"""Where ballots are stored, beside the events of the same command.

Named polls: the participation row carries the choice (it is public in the log anyway).

Secret polls: the participation row says only that the voter took part. The contract is
that nothing a vote's commit writes reveals its choice, to a copy of the database, its WAL,
a replica or a backup: no plaintext choice, no running count, no receipt beside a choice.

- open: a fresh poll key, stored wrapped (``ballot_keys``; see ``sealing.py``);
- vote: one ``sealed_ballots`` row, the choice and the receipt sealed together under the
  poll key, padded to one length, under a random id (nothing else is written);
- close: the ballots are opened and counted; the totals and the sorted receipts go into
  ``secret_polls`` (as they go into the ``poll.closed`` event); the sealed ballots and the
  poll key are deleted, and after the commit the old row versions are scrubbed;
- cancel: the sealed ballots and the poll key are deleted unopened, then scrubbed.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

import voting
from ecabinet.canonical import canonical_json
from ecabinet.errors import DoubleVote
from ecabinet.meetings.sealing import BallotKeys, PollKey
from ecabinet.store.schema import ballot_keys, participations, sealed_ballots, secret_polls

BALLOT_ID_BYTES = 16  # random row id of a sealed ballot (128 bits, 32 hex characters)

# The tables the secret store writes, for scrubbing after a close or a cancellation.
SECRET_TABLES = ("sealed_ballots", "ballot_keys", "secret_polls")


def choice_key(choice: voting.Choice) -> str:
    return canonical_json(list(choice) if isinstance(choice, tuple) else choice).decode()


async def open_secret_poll(
    conn: AsyncConnection, keys: BallotKeys, meeting_id: int, poll_id: int
) -> None:
    _key, wrapped = keys.new_poll_key(meeting_id, poll_id)
    await conn.execute(
        ballot_keys.insert().values(meeting_id=meeting_id, poll_id=poll_id, wrapped_key=wrapped)
    )


async def _poll_key(
    conn: AsyncConnection, keys: BallotKeys, meeting_id: int, poll_id: int
) -> PollKey:
    wrapped = await conn.scalar(
        select(ballot_keys.c.wrapped_key).where(
            ballot_keys.c.meeting_id == meeting_id, ballot_keys.c.poll_id == poll_id
        )
    )
    if wrapped is None:
        raise RuntimeError(f"meeting {meeting_id}: secret poll {poll_id} has no key")
    return keys.unwrap(wrapped, meeting_id, poll_id)


async def record(
    conn: AsyncConnection,
    keys: BallotKeys | None,
    meeting_id: int,
    ballot: voting.Ballot,
    receipt: str | None,
) -> None:
    """Store one accepted ballot (``keys`` and ``receipt`` are for secret ballots). The
    UNIQUE participation key refuses a second ballot of the same voter even if the meeting
    lock were bypassed."""
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
        assert keys is not None and receipt is not None
        poll_key = await _poll_key(conn, keys, meeting_id, ballot.poll_id)
        await conn.execute(
            sealed_ballots.insert().values(
                meeting_id=meeting_id,
                poll_id=ballot.poll_id,
                id=secrets.token_hex(BALLOT_ID_BYTES),
                sealed=poll_key.seal(ballot.choice, receipt),
            )
        )


@dataclass(frozen=True)
class StoredBallots:
    """An open secret poll's store as read for its close: the wrapped key and the sealed
    ballots, in the table's order (by random id), not yet opened."""

    meeting_id: int
    poll_id: int
    wrapped_key: str | None
    sealed: tuple[str, ...]

    def open(self, keys: BallotKeys) -> list[voting.SealedBallot]:
        """The ballots with their choices and receipts, for the tally."""
        if self.wrapped_key is None:
            if self.sealed:
                raise RuntimeError(f"secret poll {self.poll_id} has ballots but no key")
            return []
        poll_key = keys.unwrap(self.wrapped_key, self.meeting_id, self.poll_id)
        return [poll_key.open(s) for s in self.sealed]


async def stored_ballots(conn: AsyncConnection, meeting_id: int, poll_id: int) -> StoredBallots:
    where_key = (ballot_keys.c.meeting_id == meeting_id, ballot_keys.c.poll_id == poll_id)
    wrapped = await conn.scalar(select(ballot_keys.c.wrapped_key).where(*where_key))
    rows = await conn.execute(
        select(sealed_ballots.c.sealed)
        .where(sealed_ballots.c.meeting_id == meeting_id, sealed_ballots.c.poll_id == poll_id)
        .order_by(sealed_ballots.c.id)
    )
    return StoredBallots(meeting_id, poll_id, wrapped, tuple(rows.scalars()))


async def finish_secret_poll(
    conn: AsyncConnection, meeting_id: int, poll_id: int, opened: list[voting.SealedBallot]
) -> None:
    """At the close, in its transaction: keep the totals and the sorted receipts only."""
    counts = Counter(choice_key(b.choice) for b in opened)
    await conn.execute(
        secret_polls.insert().values(
            meeting_id=meeting_id,
            poll_id=poll_id,
            counts=canonical_json(dict(counts)).decode(),
            receipts=canonical_json(sorted(b.receipt for b in opened)).decode(),
        )
    )
    await discard_secret_poll(conn, meeting_id, poll_id)


async def discard_secret_poll(conn: AsyncConnection, meeting_id: int, poll_id: int) -> None:
    """Delete the poll's sealed ballots and its key (at the close after counting; at a
    cancellation unopened)."""
    await conn.execute(
        delete(sealed_ballots).where(
            sealed_ballots.c.meeting_id == meeting_id, sealed_ballots.c.poll_id == poll_id
        )
    )
    await conn.execute(
        delete(ballot_keys).where(
            ballot_keys.c.meeting_id == meeting_id, ballot_keys.c.poll_id == poll_id
        )
    )


def wire_extra(ballot: voting.Ballot, receipt: str | None) -> dict[str, Any]:
    return {"receipt": receipt} if receipt is not None else {}
