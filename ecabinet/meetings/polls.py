"""Voting in a meeting: the ``voting`` package's rules wired to the meeting's roster,
attendance and lifecycle, and the ballots stored beside the events.

Chair and members vote; the clerk and observers never do. Preparing polls and proxies is
possible before the meeting starts; opening, closing, recusing and casting need it live.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

import voting
from ecabinet.errors import Conflict, NotFound, error_for_code
from ecabinet.events import Event, NewEvent
from ecabinet.meetings import ballots
from ecabinet.meetings.decisions import Decide
from ecabinet.meetings.rules import Context, MeetingState, Role, Status
from ecabinet.store.database import Database

VOTERS = frozenset({Role.CHAIR, Role.MEMBER})
LIVE_ONLY = frozenset({"poll.open", "poll.close", "poll.recuse", "vote.cast"})


def room(state: MeetingState, ctx: Context) -> voting.Room:
    return voting.Room(
        voting_members=frozenset(uid for uid, role in ctx.roster.items() if role in VOTERS),
        present=frozenset(uid for uid, p in state.attendance.items() if p.status == "present"),
    )


def _actor(ctx: Context) -> voting.Actor:
    return voting.Actor(ctx.actor.user_id, ctx.actor.role.value)


def decision(command_type: str) -> Decide:
    def decide(state: MeetingState, ctx: Context) -> list[NewEvent]:
        if state.status is Status.ENDED:
            raise Conflict("the meeting has ended")
        if command_type in LIVE_ONLY and state.status is not Status.LIVE:
            raise Conflict("start the meeting first")
        item_id = ctx.data.get("item_id")
        if isinstance(item_id, int) and item_id not in state.agenda.items:
            raise NotFound("no such agenda item")
        sealed = ctx.extra if isinstance(ctx.extra, list) else ()
        try:
            decided = voting.decide(
                state.voting,
                command_type,
                ctx.data,
                _actor(ctx),
                ctx.now,
                room(state, ctx),
                sealed=sealed,
            )
        except voting.VotingError as exc:
            raise error_for_code(exc.code, exc.message) from exc
        return [NewEvent(d.type, d.data) for d in decided]

    return decide


def _poll(state: MeetingState, data: Mapping[str, Any]) -> voting.Poll | None:
    poll_id = data.get("poll_id")
    if not isinstance(poll_id, int) or isinstance(poll_id, bool):
        return None
    return state.voting.polls.get(poll_id)


async def prepare_close(
    conn: AsyncConnection, meeting_id: int, state: MeetingState, data: Mapping[str, Any]
) -> list[voting.SealedBallot]:
    """A secret poll's stored ballots, which its close needs (the log has no choices)."""
    poll = _poll(state, data)
    if poll is None or not poll.spec.secret or poll.status is not voting.PollStatus.OPEN:
        return []
    return await ballots.sealed_ballots(conn, meeting_id, poll.id)


async def record_open(
    conn: AsyncConnection, meeting_id: int, state: MeetingState, ctx: Context, stored: list[Event]
) -> dict[str, Any]:
    poll = _poll(state, ctx.data)
    if poll is not None and poll.spec.secret:
        await ballots.open_secret_poll(conn, meeting_id, poll.id)
    return {}


async def record_vote(
    conn: AsyncConnection, meeting_id: int, state: MeetingState, ctx: Context, stored: list[Event]
) -> dict[str, Any]:
    """Store the ballot; a secret one gets a receipt, returned in this ack only (never
    stored with the voter, so a retry's ack has none)."""
    ballot = voting.ballot_for(state.voting, ctx.data, _actor(ctx), ctx.now, room(state, ctx))
    receipt = ctx.new_token() if ballot.secret else None
    await ballots.record(conn, meeting_id, ballot, receipt)
    return {"receipt": receipt} if receipt is not None else {}


async def scrub_after_secret_close(db: Database, stored: list[Event]) -> None:
    """A secret poll's store row changed with every ballot; once it is closed, drop the
    old versions from the database files so its history cannot be read back."""
    if any(e.type == "poll.closed" and "receipts" in e.data for e in stored):
        await db.scrub("secret_polls")
