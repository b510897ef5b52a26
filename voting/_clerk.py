"""Members without a device: the clerk records a named vote on a present member's behalf,
and in a secret poll gives members paper ballots and enters the paper tally.

- ``vote.record`` (named polls): the same checks as the member's own ``vote.cast``, plus
  "present now"; the ``vote.cast`` event carries ``recorded_by`` (the clerk).
- ``vote.mark_paper`` (secret polls): the member votes on paper; from then on their tablet
  vote is refused (``paper-ballot``); a member who voted on a tablet cannot be marked.
- ``poll.paper_tally`` (secret polls): issued, returned, valid and invalid ballots and the
  count per choice, entered while the poll is open. Checks: issued = members marked,
  returned ≤ issued, valid + invalid = returned, counts + abstentions = valid. Entering it
  again replaces it (a correction); once it is entered nobody more can be marked, and tablet
  votes are refused (``poll-closed``): its counts are public, nobody may vote knowing them.
- ``poll.close`` of a poll with paper voters and no tally is refused (``paper-tally-missing``);
  the result then counts the paper ballots with the electronic ones and carries ``paper``.

A paper tally is aggregate numbers only: nothing links a paper ballot to a member.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from voting._choice import choice_to_wire
from voting._context import Context, find_poll
from voting._errors import (
    Conflict,
    DoubleVote,
    Invalid,
    NotEligible,
    PaperTallyMissing,
    PollClosed,
)
from voting._lifecycle import transition
from voting._model import Ballot, Decided, Kind, Poll, PollSpec, PollStatus, Tally, VotingState
from voting._paper import PAPER_COUNT_MAX, PaperTally
from voting._payload import expect_fields, get_int, parse_choice, parse_instant

ENDED = (PollStatus.CLOSED, PollStatus.CANCELLED)
TALLY_FIELDS = frozenset({"poll_id", "issued", "returned", "valid", "invalid", "counts"})


def _record(state: VotingState, ctx: Context) -> tuple[list[Decided], Ballot]:
    expect_fields(ctx.data, {"poll_id", "voter_id", "choice"})
    voter = get_int(ctx.data, "voter_id")
    poll = find_poll(state, ctx.data)
    if poll.spec.secret:
        raise Invalid("a secret ballot is the member's own: give them a paper ballot instead")
    choice = parse_choice(poll.spec, ctx.data["choice"])
    transition(poll.status, "vote.cast")
    deadline = poll.spec.deadline
    if deadline is not None and ctx.now >= parse_instant(deadline, "deadline"):
        raise PollClosed(f"the deadline {deadline} has passed")
    _check_present_voter(poll, voter, ctx)
    recast = voter in poll.participants
    if recast and not poll.spec.allow_change:
        raise DoubleVote("this vote has already been cast", poll_id=poll.id, voter_id=voter)
    clerk = ctx.actor.user_id
    ballot = Ballot(poll.id, voter, clerk, choice, secret=False, replaces=recast)
    data = {
        "poll_id": poll.id,
        "voter_id": voter,
        "cast_by": clerk,
        "choice": choice_to_wire(choice),
        "recast": recast,
        "recorded_by": clerk,
    }
    return [Decided("vote.cast", data)], ballot


def record_vote(state: VotingState, ctx: Context) -> list[Decided]:
    return _record(state, ctx)[0]


def recorded_ballot(state: VotingState, ctx: Context) -> Ballot:
    return _record(state, ctx)[1]


def _check_present_voter(poll: Poll, voter: int, ctx: Context) -> None:
    """The member votes in person in this poll (eligible at open, their vote not held by a
    proxy, not recused) and is checked in now."""
    if voter not in poll.eligible or voter in poll.proxies:
        raise NotEligible("not a member who votes in person in this poll")
    if voter not in ctx.room.present:
        raise NotEligible("the member is not checked in")
    if voter in poll.recused:
        raise NotEligible("recused from this poll")


def _secret_open_poll(state: VotingState, ctx: Context, event_type: str) -> Poll:
    poll = find_poll(state, ctx.data)
    if not poll.spec.secret:
        raise Invalid("paper ballots are for secret polls: in a named poll record the vote")
    if not supports_paper(poll.spec):
        raise Invalid("paper tallies need polls with one choice per ballot")
    if poll.status in ENDED:
        raise PollClosed(f"the poll is {poll.status.value}")
    transition(poll.status, event_type)
    return poll


def mark_paper(state: VotingState, ctx: Context) -> list[Decided]:
    expect_fields(ctx.data, {"poll_id", "voter_id"})
    voter = get_int(ctx.data, "voter_id")
    poll = _secret_open_poll(state, ctx, "vote.paper_marked")
    _check_present_voter(poll, voter, ctx)
    if voter in poll.participants:
        raise DoubleVote("voted on a tablet already", poll_id=poll.id, voter_id=voter)
    if voter in poll.paper:
        raise Conflict("this member has a paper ballot already")
    if poll.paper_tally is not None:
        raise Conflict("the paper tally is entered: no more paper ballots")
    return [Decided("vote.paper_marked", {"poll_id": poll.id, "voter_id": voter})]


def enter_tally(state: VotingState, ctx: Context) -> list[Decided]:
    expect_fields(ctx.data, TALLY_FIELDS, {"abstentions"})
    poll = _secret_open_poll(state, ctx, "poll.paper_tallied")
    paper = _parse_tally(poll.spec, ctx.data)
    if not poll.paper:
        raise Conflict("no member has a paper ballot in this poll")
    if paper.issued != len(poll.paper):
        raise Invalid(
            f"{paper.issued} ballots issued, but {len(poll.paper)} members vote on paper",
            issued=len(poll.paper),
        )
    if paper.returned > paper.issued:
        raise Invalid("more ballots returned than issued")
    if paper.valid + paper.invalid != paper.returned:
        raise Invalid("valid and invalid ballots must add up to those returned")
    _check_counts(poll.spec, paper)
    return [Decided("poll.paper_tallied", {"poll_id": poll.id, **paper.to_wire()})]


def _check_counts(spec: PollSpec, paper: PaperTally) -> None:
    """The counts fit the valid ballots, as a ballot of this kind can be filled in."""
    valid, counts, blank = paper.valid, paper.counts, paper.abstentions
    if spec.kind is Kind.CONFIDENCE:
        # Every valid ballot rates every person at exactly one level.
        if blank:
            raise Invalid("a valid confidence ballot rates everybody: abstentions must be 0")
        for person in range(len(spec.options)):
            if sum(counts[3 * person : 3 * person + 3]) != valid:
                raise Invalid(
                    f"the three levels of person {person + 1} must add up to the valid ballots"
                )
        return
    if spec.kind is Kind.ELECTION:
        # A valid ballot keeps 1 to ``seats`` names, or none (a blank ballot).
        seats, marked = spec.max_choices, valid - blank
        if blank > valid or any(c > marked for c in counts):
            raise Invalid("no candidate can be kept on more ballots than the valid, non-blank ones")
        if not marked <= sum(counts) <= seats * marked:
            raise Invalid(
                f"the names kept must add up to between 1 and {seats} per valid, non-blank ballot"
            )
        return
    if sum(counts) + blank != valid:
        raise Invalid("the counts per choice must add up to the valid ballots")


def _parse_tally(spec: PollSpec, data: Any) -> PaperTally:
    def number(key: str, raw: Any) -> int:
        if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw <= PAPER_COUNT_MAX:
            raise Invalid(f"{key} must be a whole number from 0 to {PAPER_COUNT_MAX}")
        return raw

    counts = data["counts"]
    width = {Kind.YES_NO_ABSTAIN: 2, Kind.CONFIDENCE: 3 * len(spec.options)}.get(
        spec.kind, len(spec.options)
    )
    if not isinstance(counts, list) or len(counts) != width:
        raise Invalid(f"counts must be a list of {width} numbers")
    return PaperTally(
        issued=number("issued", data["issued"]),
        returned=number("returned", data["returned"]),
        valid=number("valid", data["valid"]),
        invalid=number("invalid", data["invalid"]),
        counts=tuple(number("counts", c) for c in counts),
        abstentions=number("abstentions", data.get("abstentions", 0)),
    )


def supports_paper(spec: PollSpec) -> bool:
    """The counts of a paper tally say everything the result needs: a ballot marks one
    choice, or it is an election (names kept per candidate: the result counts names, not
    combinations) or a confidence vote (ratings per person and level)."""
    return (
        spec.kind in (Kind.YES_NO_ABSTAIN, Kind.ELECTION, Kind.CONFIDENCE) or spec.max_choices == 1
    )


def check_paper_tally(poll: Poll) -> None:
    """For ``poll.close``: paper voters need their tally first."""
    if poll.paper and poll.paper_tally is None:
        raise PaperTallyMissing(
            f"{len(poll.paper)} members vote on paper: enter the paper tally before closing",
            poll_id=poll.id,
            paper_voters=len(poll.paper),
        )


def marked_result(poll: Poll, result: Tally) -> Tally:
    """The result with what the clerk did: the paper numbers, the recorded votes."""
    recorded = tuple(sorted(poll.recorded))
    if poll.paper_tally is None and not recorded:
        return result
    return replace(result, paper=poll.paper_tally, recorded=recorded)
