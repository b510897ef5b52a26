"""Voting in a meeting: the ``voting`` package's rules wired to the meeting's roster,
attendance and lifecycle, and the ballots stored beside the events.

Chair and members vote; the clerk and observers never do. Preparing polls and proxies is
possible before the meeting starts; opening, closing, recusing and casting need it live.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

import voting
from ecabinet.errors import Conflict, NotFound, error_for_code
from ecabinet.events import Event, NewEvent
from ecabinet.meetings import ballots, committees
from ecabinet.meetings.decisions import Decide
from ecabinet.meetings.rules import Context, MeetingState, Role, Status
from ecabinet.meetings.sealing import BallotKeys
from ecabinet.store.database import Database

VOTERS = frozenset({Role.CHAIR, Role.MEMBER})
LIVE_ONLY = frozenset(
    {
        "poll.open",
        "poll.close",
        "poll.recuse",
        "vote.cast",
        "vote.record",
        "vote.mark_paper",
        "poll.paper_tally",
    }
)


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
        sealed = _ballots_to_count(ctx)
        try:
            decided = voting.decide(
                state.voting,
                command_type,
                ctx.data,
                _actor(ctx),
                ctx.now,
                room(state, ctx),
                sealed=sealed,
                rules=_committee_rules(ctx),
            )
        except voting.VotingError as exc:
            # The refusal's numbers (a missing quorum's) go to the client as ``data``.
            raise error_for_code(exc.code, exc.message, exc.details or None) from exc
        return [NewEvent(d.type, d.data) for d in decided]

    return decide


def _poll(state: MeetingState, data: Mapping[str, Any]) -> voting.Poll | None:
    poll_id = data.get("poll_id")
    if not isinstance(poll_id, int) or isinstance(poll_id, bool):
        return None
    return state.voting.polls.get(poll_id)


def _keys(ctx: Context) -> BallotKeys:
    if ctx.ballot_keys is None:
        raise RuntimeError("secret ballots need the server's ballot keys (ECABINET_SECRET_KEY)")
    return ctx.ballot_keys


def _committee_rules(ctx: Context) -> voting.CommitteeRules:
    """The committee's rules, which ``prepare_rules`` loaded for a poll's definition (a
    sample meeting played in memory has no committee: voting's default rules)."""
    if isinstance(ctx.extra, voting.CommitteeRules):
        return ctx.extra
    return voting.DEFAULT_RULES


async def prepare_rules(
    conn: AsyncConnection, meeting_id: int, state: MeetingState, data: Mapping[str, Any]
) -> voting.CommitteeRules:
    """The meeting's committee rules, which a definition without ``majority`` or ``quorum``
    takes (poll.create, poll.update); the event records the rule applied."""
    return await committees.rules_for_meeting(conn, meeting_id)


def _ballots_to_count(ctx: Context) -> Sequence[voting.SealedBallot]:
    """What a secret poll's close counts: its stored ballots, opened here (a sample meeting
    played in memory hands them over already open)."""
    if isinstance(ctx.extra, ballots.StoredBallots):
        return ctx.extra.open(_keys(ctx))
    return ctx.extra if isinstance(ctx.extra, list) else ()


async def prepare_close(
    conn: AsyncConnection, meeting_id: int, state: MeetingState, data: Mapping[str, Any]
) -> ballots.StoredBallots | None:
    """A secret poll's stored ballots, which its close needs (the log has no choices)."""
    poll = _poll(state, data)
    if poll is None or not poll.spec.secret or poll.status is not voting.PollStatus.OPEN:
        return None
    return await ballots.stored_ballots(conn, meeting_id, poll.id)


async def record_open(
    conn: AsyncConnection, meeting_id: int, state: MeetingState, ctx: Context, stored: list[Event]
) -> dict[str, Any]:
    poll = _poll(state, ctx.data)
    if poll is not None and poll.spec.secret:
        await ballots.open_secret_poll(conn, _keys(ctx), meeting_id, poll.id)
    return {}


async def record_vote(
    conn: AsyncConnection, meeting_id: int, state: MeetingState, ctx: Context, stored: list[Event]
) -> dict[str, Any]:
    """Store the ballot; a secret one gets a receipt, returned in this ack only (never
    stored with the voter, so a retry's ack has none)."""
    ballot = voting.ballot_for(state.voting, ctx.data, _actor(ctx), ctx.now, room(state, ctx))
    receipt = ctx.new_token() if ballot.secret else None
    await ballots.record(conn, _keys(ctx) if ballot.secret else None, meeting_id, ballot, receipt)
    return {"receipt": receipt} if receipt is not None else {}


async def record_clerk_vote(
    conn: AsyncConnection, meeting_id: int, state: MeetingState, ctx: Context, stored: list[Event]
) -> dict[str, Any]:
    """Store the named ballot the clerk recorded for a present member (``cast_by``: the
    clerk), under the same UNIQUE participation key as the member's own vote."""
    ballot = voting.clerk_ballot(state.voting, ctx.data, _actor(ctx), ctx.now, room(state, ctx))
    await ballots.record(conn, None, meeting_id, ballot, None)
    return {}


async def record_close(
    conn: AsyncConnection, meeting_id: int, state: MeetingState, ctx: Context, stored: list[Event]
) -> dict[str, Any]:
    """A secret poll's close keeps the totals and receipts and deletes what was sealed."""
    if isinstance(ctx.extra, ballots.StoredBallots) and _closes_secret(stored):
        opened = ctx.extra.open(_keys(ctx))
        await ballots.finish_secret_poll(conn, meeting_id, ctx.extra.poll_id, opened)
    return {}


async def record_cancel(
    conn: AsyncConnection, meeting_id: int, state: MeetingState, ctx: Context, stored: list[Event]
) -> dict[str, Any]:
    """A cancelled secret poll's sealed ballots and key are deleted unopened."""
    poll = _poll(state, ctx.data)
    if poll is not None and poll.spec.secret:
        await ballots.discard_secret_poll(conn, meeting_id, poll.id)
    return {}


def _closes_secret(stored: list[Event]) -> bool:
    return any(e.type == "poll.closed" and "receipts" in e.data for e in stored)


async def scrub_after_secret_end(db: Database, stored: list[Event]) -> None:
    """Once a secret poll is closed or cancelled, drop the old versions of its store's rows
    (the sealed ballots and the wrapped key) from the database files."""
    if _closes_secret(stored) or any(e.type == "poll.cancelled" for e in stored):
        await db.scrub(*ballots.SECRET_TABLES)
