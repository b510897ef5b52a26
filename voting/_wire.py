"""The snapshot (JSON) of the voting state.

Everything in it is also in the events, so ``snapshot(n) + events == snapshot(m)`` holds
for the shared part; the ``you`` block is derived from the shared part for one viewer.
A secret poll's snapshot holds who took part and, once closed, the totals and the
receipt codes: no choice of anyone, because the state never has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from voting._choice import choice_to_wire

if TYPE_CHECKING:
    from voting._model import Poll, VotingState


def state_to_wire(state: VotingState, viewer: int | None) -> dict[str, Any]:
    return {
        "max_proxies_per_holder": state.max_proxies_per_holder,
        "proxies": _proxies(state.proxies),
        "polls": [poll_to_wire(state.polls[pid], viewer) for pid in sorted(state.polls)],
    }


def poll_to_wire(poll: Poll, viewer: int | None) -> dict[str, Any]:
    return {
        "id": poll.id,
        "status": poll.status.value,
        **poll.spec.to_wire(),
        "created_at": poll.created_at,
        "opened_at": poll.opened_at,
        "ended_at": poll.ended_at,
        "cancel_reason": poll.cancel_reason,
        "members": sorted(poll.members),
        "eligible": sorted(poll.eligible),
        "proxies": _proxies(poll.proxies),
        "recused": sorted(poll.recused),
        "voted": sorted(poll.participants),
        "votes": [_vote(poll, voter) for voter in sorted(poll.votes)],
        # Paper ballots (secret polls): who was given one, and the aggregate tally.
        "paper_voters": sorted(poll.paper),
        "paper_tally": None if poll.paper_tally is None else poll.paper_tally.to_wire(),
        "requirement": None if poll.requirement is None else poll.requirement.to_wire(),
        "result": None if poll.result is None else poll.result.to_wire(),
        "receipts": list(poll.receipts),
        "you": None if viewer is None else _you(poll, viewer),
    }


def _vote(poll: Poll, voter: int) -> dict[str, Any]:
    """A named vote; ``recorded_by`` (the clerk) only when the clerk recorded it."""
    vote: dict[str, Any] = {"voter_id": voter, "choice": choice_to_wire(poll.votes[voter])}
    if voter in poll.recorded:
        vote["recorded_by"] = poll.recorded[voter]
    return vote


def _proxies(proxies: Mapping[int, int]) -> list[dict[str, int]]:
    return [{"grantor_id": g, "holder_id": proxies[g]} for g in sorted(proxies)]


def _you(poll: Poll, viewer: int) -> dict[str, Any]:
    """Whose votes ``viewer`` casts in this poll, which are cast, which may be cast now
    (the deadline aside: the client compares it with its own clock)."""
    in_person = viewer in poll.eligible and viewer not in poll.proxies
    held = sorted(g for g, h in poll.proxies.items() if h == viewer)
    # A member given a paper ballot votes on paper, not through this block (``paper``).
    candidates = ([viewer] if in_person else []) + held
    votes_for = [v for v in candidates if v not in poll.recused and v not in poll.paper]
    # Once the paper tally is entered, tablet voting has ended (voting/_clerk.py).
    open_ = poll.status.value == "open" and poll.paper_tally is None
    return {
        "recused": viewer in poll.recused,
        "votes_for": votes_for,
        "voted_for": [v for v in votes_for if v in poll.participants],
        "can_vote_for": [
            v for v in votes_for if open_ and (v not in poll.participants or poll.spec.allow_change)
        ],
        "paper": viewer in poll.paper,  # the clerk gave the viewer a paper ballot
    }
