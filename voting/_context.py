"""What every rule needs: the command's context, the poll it names, the roll call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from voting._errors import NoQuorum, NotFound
from voting._model import Actor, Poll, PollSpec, Room, SealedBallot, VotingState
from voting._payload import get_int
from voting._rules import MAJORITY_RULES, Quorum, Requirement
from voting._statute import CommitteeRules


@dataclass(frozen=True)
class Context:
    data: Mapping[str, Any]
    actor: Actor
    now: datetime
    room: Room
    sealed: tuple[SealedBallot, ...]
    rules: CommitteeRules  # the committee's defaults for a definition that leaves them out


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


def quorum_check(
    rule: Quorum, members: frozenset[int], voters: frozenset[int], represented: int
) -> dict[str, Any]:
    """The quorum numbers for the event, ``{rule, members, present, needed}`` where
    ``present`` counts ``voters`` (in person or represented); or ``NoQuorum`` whose details
    tell the chair what is missing: ``{rule, members, present, represented, required}``,
    with ``present`` in person and ``represented`` by a proxy holder apart."""
    needed = rule.needed(len(members))
    if not rule.met(len(members), len(voters)):
        in_person = len(voters) - represented
        raise NoQuorum(
            f"no quorum: {in_person} voting members present and {represented} represented "
            f"of {len(members)}; {needed} required",
            rule=rule.to_wire(),
            members=len(members),
            present=in_person,
            represented=represented,
            required=needed,
        )
    numbers = {"rule": rule.to_wire(), "members": len(members), "present": len(voters)}
    return {**numbers, "needed": needed}


def requirement(
    spec: PollSpec, members: frozenset[int], present: frozenset[int] | None
) -> Requirement:
    """What a poll with ``spec`` needs, counted on ``members`` (the voting members, minus
    recusals) and ``present`` (the eligible voters minus recusals; ``None`` before open).
    Every event that can change it carries it, so that clients show the server's numbers."""
    rule = MAJORITY_RULES[spec.majority]
    return rule.requirement(len(members), None if present is None else len(present))
