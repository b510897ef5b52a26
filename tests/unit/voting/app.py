"""A stand-in for the application around the voting domain, as the tests need it.

It does what docs/voting.md asks of the real one: decide, append the events and fold
them, store each ballot (one participation row per voter and poll; a secret ballot apart
from its voter, with a receipt from an injected random source), and hand the sealed
ballots back when a secret poll closes.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from voting import (
    DEFAULT_RULES,
    Actor,
    Ballot,
    Choice,
    CommitteeRules,
    Decided,
    Room,
    SealedBallot,
    VotingState,
    apply,
    ballot_for,
    clerk_ballot,
    decide,
)

NOW = "2026-11-25T08:00:00.000Z"
LATER = "2026-11-25T09:00:00.000Z"
CHAIR_ID = 1
CHAIR = Actor(CHAIR_ID, "chair")
MAJORITY_QUORUM = {"kind": "fraction", "fraction": [1, 2], "strict": True}
NO_QUORUM = {"kind": "none"}


def member(user_id: int) -> Actor:
    return Actor(user_id, "member")


def room(members: Iterable[int], present: Iterable[int]) -> Room:
    return Room(frozenset(members), frozenset(present))


def poll_payload(**overrides: Any) -> dict[str, Any]:
    """A ``poll.create`` payload: a named yes/no/abstain poll, simple majority, no quorum."""
    payload: dict[str, Any] = {
        "title": "Thông qua Nghị quyết số 12",
        "kind": "yes_no_abstain",
        "secret": False,
        "allow_change": False,
        "majority": "simple",
        "quorum": NO_QUORUM,
    }
    payload.update(overrides)
    return payload


@dataclass
class App:
    room: Room
    rules: CommitteeRules = DEFAULT_RULES  # the committee's, for definitions without them
    state: VotingState = field(default_factory=VotingState)
    now: str = NOW
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    log: list[Decided] = field(default_factory=list)
    # The database: UNIQUE(poll_id, voter_id) participation rows, and named choices.
    participation: dict[tuple[int, int], int] = field(default_factory=dict)
    named: dict[tuple[int, int], Choice] = field(default_factory=dict)
    sealed: list[SealedBallot] = field(default_factory=list)  # no voter, no order kept
    receipts: dict[tuple[int, int], str] = field(default_factory=dict)  # what voters keep

    def run(
        self, command_type: str, data: Mapping[str, Any], actor: Actor = CHAIR
    ) -> list[Decided]:
        sealed: list[SealedBallot] = []
        if command_type == "poll.close":
            sealed = [b for b in self.sealed if b.poll_id == data.get("poll_id")]
            poll = self.state.polls.get(data.get("poll_id", 0))
            if poll is None or not poll.spec.secret:
                sealed = []
        events = decide(
            self.state,
            command_type,
            data,
            actor,
            self.now,
            self.room,
            sealed=sealed,
            rules=self.rules,
        )
        if command_type == "vote.cast":
            self._store(ballot_for(self.state, data, actor, self.now, self.room))
        if command_type == "vote.record":
            self._store(clerk_ballot(self.state, data, actor, self.now, self.room))
        for event in events:
            self.log.append(event)
            self.state = apply(self.state, event.type, event.data, self.now)
        return events

    def create(self, **overrides: Any) -> int:
        return int(self.run("poll.create", poll_payload(**overrides))[0].data["poll_id"])

    def vote(self, poll_id: int, voter: int, choice: Any, **extra: Any) -> list[Decided]:
        return self.run("vote.cast", {"poll_id": poll_id, "choice": choice, **extra}, member(voter))

    def _store(self, ballot: Ballot) -> None:
        key = (ballot.poll_id, ballot.voter_id)
        if key in self.participation and not ballot.replaces:
            raise AssertionError("UNIQUE(poll_id, voter_id) violated")
        self.participation[key] = ballot.cast_by
        if not ballot.secret:
            self.named[key] = ballot.choice
            return
        receipt = f"{self.rng.getrandbits(64):016x}"
        self.receipts[key] = receipt
        self.sealed.append(ballot.seal(receipt))
        self.rng.shuffle(self.sealed)  # storage order must not link a ballot to its voter
