"""What every rule needs: the command's context, the poll it names, the roll call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from voting._errors import NoQuorum, NotFound
from voting._model import Actor, Poll, Room, SealedBallot, VotingState
from voting._payload import get_int
from voting._rules import Quorum


@dataclass(frozen=True)
class Context:
    data: Mapping[str, Any]
    actor: Actor
    now: datetime
    room: Room
    sealed: tuple[SealedBallot, ...]


def find_poll(state: VotingState, data: Mapping[str, Any]) -> Poll:
    poll = state.polls.get(get_int(data, "poll_id"))
    if poll is None:
        raise NotFound("no such poll in this meeting")
    return poll


def roll_call(
    proxies: Mapping[int, int], room: Room
) -> tuple[frozenset[int], frozenset[int], dict[int, int]]:
    """``(members, voters, represented)`` now: every voting member; those present in
    person plus the absent ones whose vote a present voting member holds; and that
    grantor -> holder map. A vote held by an absent holder is not passed on again."""
    members = room.voting_members
    in_person = room.present & members
    represented = {
        grantor: holder
        for grantor, holder in proxies.items()
        if grantor in members and grantor not in room.present and holder in in_person
    }
    return members, in_person | represented.keys(), represented


def quorum_check(rule: Quorum, members: frozenset[int], present: frozenset[int]) -> dict[str, Any]:
    """The quorum numbers (for the event), or ``NoQuorum`` with the same numbers."""
    numbers = {
        "rule": rule.to_wire(),
        "members": len(members),
        "present": len(present),
        "needed": rule.needed(len(members)),
    }
    if not rule.met(len(members), len(present)):
        raise NoQuorum(
            f"no quorum: {numbers['present']} of {numbers['members']} voting members "
            f"present or represented, {numbers['needed']} needed",
            **numbers,
        )
    return numbers
