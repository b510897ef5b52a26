"""Rules about who votes: casting, recusal and proxies."""

from __future__ import annotations

from voting._choice import choice_to_wire
from voting._commands import CHAIR
from voting._context import Context, find_poll, requirement
from voting._errors import (
    Conflict,
    DoubleVote,
    Invalid,
    NotAllowed,
    NotEligible,
    NotFound,
    PaperBallot,
    PollClosed,
)
from voting._lifecycle import transition
from voting._model import Ballot, Decided, PollStatus, VotingState
from voting._payload import expect_fields, get_int, parse_choice, parse_instant


def cast(state: VotingState, ctx: Context) -> tuple[list[Decided], Ballot]:
    """A vote by the actor, for themselves or (``on_behalf_of``) for an absent member
    whose vote they held when the poll opened. A named poll's event carries the choice;
    a secret poll's event says only that the voter took part: its choice leaves the
    domain in the returned ``Ballot`` alone."""
    expect_fields(ctx.data, {"poll_id", "choice"}, {"on_behalf_of"})
    actor = ctx.actor.user_id
    voter = actor
    if ctx.data.get("on_behalf_of") is not None:
        voter = get_int(ctx.data, "on_behalf_of")
    poll = find_poll(state, ctx.data)
    choice = parse_choice(poll.spec, ctx.data["choice"])
    event_type = "vote.participated" if poll.spec.secret else "vote.cast"
    transition(poll.status, event_type)
    deadline = poll.spec.deadline
    if deadline is not None and ctx.now >= parse_instant(deadline, "deadline"):
        raise PollClosed(f"the deadline {deadline} has passed")
    if poll.paper_tally is not None:  # its counts are public: nobody votes knowing them
        raise PollClosed("the paper ballots are counted: voting on tablets has ended")
    if voter != actor:
        if poll.proxies.get(voter) != actor:
            raise NotAllowed("you did not hold this member's vote when the poll opened")
    elif actor not in poll.eligible:
        raise NotEligible("only members present when the poll opened may vote in it")
    elif actor in poll.proxies:
        raise NotEligible("your vote in this poll is held by your proxy")
    if voter in poll.recused:
        raise NotEligible("recused from this poll")
    if voter in poll.paper:
        raise PaperBallot("this member votes on paper in this poll", poll_id=poll.id)
    recast = voter in poll.participants
    if recast and not poll.spec.allow_change:
        raise DoubleVote("this vote has already been cast", poll_id=poll.id, voter_id=voter)
    ballot = Ballot(poll.id, voter, actor, choice, poll.spec.secret, replaces=recast)
    if poll.spec.secret:
        return [Decided(event_type, {"poll_id": poll.id, "voter_id": voter})], ballot
    data = {
        "poll_id": poll.id,
        "voter_id": voter,
        "cast_by": actor,
        "choice": choice_to_wire(choice),
        "recast": recast,
    }
    return [Decided(event_type, data)], ballot


def recuse(state: VotingState, ctx: Context) -> list[Decided]:
    """Take a voting member out of one poll: no vote, and out of every majority base.
    The chair recuses anyone; a member recuses only themselves; always before voting."""
    expect_fields(ctx.data, {"poll_id"}, {"user_id"})
    poll = find_poll(state, ctx.data)
    target = ctx.actor.user_id
    if ctx.data.get("user_id") is not None:
        target = get_int(ctx.data, "user_id")
    if target != ctx.actor.user_id and ctx.actor.role != CHAIR:
        raise NotAllowed("only the chair recuses someone else")
    transition(poll.status, "poll.recused")
    if target in poll.recused:
        raise Conflict("already recused from this poll")
    voters = ctx.room.voting_members if poll.status is PollStatus.DRAFT else poll.eligible
    if target not in voters:
        raise NotEligible("not a voter in this poll")
    if target in poll.participants:
        raise Conflict("this vote has already been cast: recusal comes before voting")
    recused = poll.recused | {target}
    if poll.status is PollStatus.DRAFT:
        needs = requirement(poll.spec, ctx.room.voting_members - recused, None)
    else:
        needs = requirement(poll.spec, poll.members - recused, poll.eligible - recused)
    data = {"poll_id": poll.id, "user_id": target, "requirement": needs.to_wire()}
    return [Decided("poll.recused", data)]


def grant_proxy(state: VotingState, ctx: Context) -> list[Decided]:
    """Record that present voting member ``holder_id`` holds the vote of absent voting
    member ``grantor_id``, for polls opened from now on."""
    expect_fields(ctx.data, {"grantor_id", "holder_id"})
    grantor, holder = get_int(ctx.data, "grantor_id"), get_int(ctx.data, "holder_id")
    room = ctx.room
    if grantor == holder:
        raise Invalid("a member cannot hold their own vote")
    if grantor not in room.voting_members or holder not in room.voting_members:
        raise NotEligible("both must be voting members")
    if grantor in room.present:
        raise Conflict("the member is present and votes in person")
    if holder not in room.present:
        raise Conflict("the proxy holder must be present")
    if grantor in state.proxies:
        raise Conflict("this member's vote is already held: revoke that proxy first")
    held = sum(h == holder for h in state.proxies.values())
    if held >= state.max_proxies_per_holder:
        limit = state.max_proxies_per_holder
        raise Conflict(f"a member may hold at most {limit} other vote(s)", limit=limit)
    return [Decided("proxy.granted", {"grantor_id": grantor, "holder_id": holder})]


def revoke_proxy(state: VotingState, ctx: Context) -> list[Decided]:
    """End a proxy; polls already open keep the proxies they froze."""
    expect_fields(ctx.data, {"grantor_id"})
    grantor = get_int(ctx.data, "grantor_id")
    holder = state.proxies.get(grantor)
    if holder is None:
        raise NotFound("nobody holds this member's vote")
    return [Decided("proxy.revoked", {"grantor_id": grantor, "holder_id": holder})]
