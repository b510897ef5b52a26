"""The poll lifecycle as a table, and ``apply``: the fold of one event into the state.

    draft ──poll.opened──▶ open ──poll.closed──▶ closed
      │                     │
      └──poll.cancelled─────┴──poll.cancelled──▶ cancelled

Every poll event appears in ``LIFECYCLE`` with the statuses it may happen in, including
those that leave the status as it is (an update, a recusal, a vote). ``decide`` asks
``transition`` before anything else, and ``apply`` asks it again, so the table is the
single statement of what can happen when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from voting._choice import choice_from_wire
from voting._errors import Conflict, PollClosed
from voting._model import Poll, PollSpec, PollStatus, Tally, VotingState
from voting._paper import PaperTally
from voting._rules import MAJORITY_RULES, Requirement

DRAFT = PollStatus.DRAFT
OPEN = PollStatus.OPEN
CLOSED = PollStatus.CLOSED
CANCELLED = PollStatus.CANCELLED
VOTE_EVENTS = frozenset({"vote.cast", "vote.participated"})

LIFECYCLE: Mapping[tuple[PollStatus, str], PollStatus] = MappingProxyType(
    {
        (DRAFT, "poll.updated"): DRAFT,
        (DRAFT, "poll.recused"): DRAFT,
        (DRAFT, "poll.opened"): OPEN,
        (DRAFT, "poll.cancelled"): CANCELLED,
        (OPEN, "poll.recused"): OPEN,
        (OPEN, "vote.cast"): OPEN,
        (OPEN, "vote.participated"): OPEN,
        (OPEN, "vote.paper_marked"): OPEN,  # paper ballots: see _clerk.py
        (OPEN, "poll.paper_tallied"): OPEN,
        (OPEN, "poll.closed"): CLOSED,
        (OPEN, "poll.cancelled"): CANCELLED,
    }
)


def transition(status: PollStatus, event_type: str) -> PollStatus:
    """The status after ``event_type``; raises when the table has no such move: a vote
    in an ended poll is ``PollClosed``, anything else ``Conflict``."""
    try:
        return LIFECYCLE[(status, event_type)]
    except KeyError:
        if event_type in VOTE_EVENTS and status in (CLOSED, CANCELLED):
            raise PollClosed(f"the poll is {status.value}") from None
        raise Conflict(f"not possible while the poll is {status.value}") from None


def apply(state: VotingState, event_type: str, data: Mapping[str, Any], at: str) -> VotingState:
    """Fold one stored event. Events of other domains leave the state unchanged. The log
    is trusted: an event that the lifecycle table does not allow raises ``Conflict``."""
    if event_type == "proxy.granted":
        proxies = {**state.proxies, data["grantor_id"]: data["holder_id"]}
        return replace(state, proxies=proxies)
    if event_type == "proxy.revoked":
        proxies = {g: h for g, h in state.proxies.items() if g != data["grantor_id"]}
        return replace(state, proxies=proxies)
    if event_type == "poll.created":
        poll = Poll(
            id=data["poll_id"],
            spec=PollSpec.from_wire(data),
            created_at=at,
            requirement=_requirement(data, None),
        )
        return replace(state, polls={**state.polls, poll.id: poll})
    handler = _POLL_EVENTS.get(event_type)
    if handler is None:
        return state
    before = state.polls[data["poll_id"]]
    after = handler(before, data, at)
    after = replace(after, status=transition(before.status, event_type))
    return replace(state, polls={**state.polls, after.id: after})


def _requirement(data: Mapping[str, Any], before: Requirement | None) -> Requirement | None:
    """The requirement an event carries; an event logged before requirements were
    decided carries none and leaves the previous one."""
    raw = data.get("requirement")
    return before if raw is None else Requirement.from_wire(raw)


def _updated(poll: Poll, data: Mapping[str, Any], at: str) -> Poll:
    return replace(
        poll, spec=PollSpec.from_wire(data), requirement=_requirement(data, poll.requirement)
    )


def _opened(poll: Poll, data: Mapping[str, Any], at: str) -> Poll:
    return replace(
        poll,
        opened_at=at,
        members=frozenset(data["members"]),
        eligible=frozenset(data["eligible"]),
        proxies={p["grantor_id"]: p["holder_id"] for p in data["proxies"]},
        requirement=_requirement(data, poll.requirement),
    )


def _recused(poll: Poll, data: Mapping[str, Any], at: str) -> Poll:
    return replace(
        poll,
        recused=poll.recused | {data["user_id"]},
        requirement=_requirement(data, poll.requirement),
    )


def _cast(poll: Poll, data: Mapping[str, Any], at: str) -> Poll:
    voter = data["voter_id"]
    votes = {**poll.votes, voter: choice_from_wire(data["choice"])}
    # A vote the clerk recorded carries ``recorded_by``; the member's own recast clears it.
    recorded = {v: c for v, c in poll.recorded.items() if v != voter}
    if data.get("recorded_by") is not None:
        recorded[voter] = data["recorded_by"]
    return replace(poll, votes=votes, recorded=recorded, participants=poll.participants | {voter})


def _participated(poll: Poll, data: Mapping[str, Any], at: str) -> Poll:
    return replace(poll, participants=poll.participants | {data["voter_id"]})


def _paper_marked(poll: Poll, data: Mapping[str, Any], at: str) -> Poll:
    return replace(poll, paper=poll.paper | {data["voter_id"]})


def _paper_tallied(poll: Poll, data: Mapping[str, Any], at: str) -> Poll:
    return replace(poll, paper_tally=PaperTally.from_wire(data))


def _closed(poll: Poll, data: Mapping[str, Any], at: str) -> Poll:
    """The result also settles the requirement: the base the count used and what it needed
    (for a ``cast`` base, the first time they are known)."""
    result = Tally.from_wire(data["result"])
    base_kind = MAJORITY_RULES[result.majority].base
    return replace(
        poll,
        ended_at=at,
        result=result,
        receipts=tuple(data.get("receipts", ())),
        requirement=Requirement(base_kind, result.base, result.needed),
    )


def _cancelled(poll: Poll, data: Mapping[str, Any], at: str) -> Poll:
    return replace(poll, ended_at=at, cancel_reason=data.get("reason"))


_POLL_EVENTS = MappingProxyType(
    {
        "poll.updated": _updated,
        "poll.opened": _opened,
        "poll.recused": _recused,
        "vote.cast": _cast,
        "vote.participated": _participated,
        "vote.paper_marked": _paper_marked,
        "poll.paper_tallied": _paper_tallied,
        "poll.closed": _closed,
        "poll.cancelled": _cancelled,
    }
)
