"""The voting state and the values that cross the domain boundary.

Everything here is a frozen dataclass; ``apply`` builds new values and never mutates.
People are the application's user ids (ints); times are ISO 8601 UTC strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from voting._choice import Choice
from voting._confidence import ConfidenceResult
from voting._election import election_to_wire
from voting._paper import PaperTally
from voting._rules import MAJORITY_RULES, Quorum, Requirement
from voting._wire import state_to_wire


class Kind(StrEnum):
    YES_NO_ABSTAIN = "yes_no_abstain"
    OPTIONS = "options"
    ELECTION = "election"  # options are candidates, max_choices the seats (_election.py)
    CONFIDENCE = "confidence"  # options are the persons rated (_confidence.py)


class PollStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: str  # "chair" | "clerk" | "member" | "observer"


@dataclass(frozen=True)
class Room:
    """What the application knows about the room when it asks ``decide``; the domain
    never reads attendance itself."""

    voting_members: frozenset[int]  # roster members with voting rights (chair, members)
    present: frozenset[int]  # checked in now (any role)


@dataclass(frozen=True)
class Decided:
    """One event to append: JSON-compatible ``data``, no floats (fractions are lists)."""

    type: str
    data: dict[str, Any]


@dataclass(frozen=True)
class PollSpec:
    """What the chair defines while the poll is a draft."""

    title: str
    kind: Kind
    secret: bool
    allow_change: bool  # a named poll may let voters change their vote until it closes
    majority: str  # a key of MAJORITY_RULES
    quorum: Quorum
    options: tuple[str, ...] = ()  # options polls only
    min_choices: int = 1  # options polls: choices per ballot, unless abstaining
    max_choices: int = 1  # options polls: also the number of options that can win
    deadline: str | None = None  # a cast at or after this instant is refused
    item_id: int | None = None  # the agenda item the poll belongs to, if any
    low_flag: str | None = None  # confidence votes only: see _confidence.LOW_FLAGS

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "title": self.title,
            "kind": self.kind.value,
            "options": list(self.options),
            "min_choices": self.min_choices,
            "max_choices": self.max_choices,
            "secret": self.secret,
            "allow_change": self.allow_change,
            "majority": self.majority,
            "quorum": self.quorum.to_wire(),
            "deadline": self.deadline,
            "item_id": self.item_id,
        }
        if self.kind is Kind.CONFIDENCE:
            wire["low_flag"] = self.low_flag
        return wire

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> PollSpec:
        """Trusting conversion of a stored event; ``_payload.parse_spec`` validates."""
        return cls(
            title=raw["title"],
            kind=Kind(raw["kind"]),
            secret=raw["secret"],
            allow_change=raw["allow_change"],
            majority=raw["majority"],
            quorum=Quorum.from_wire(raw["quorum"]),
            options=tuple(raw["options"]),
            min_choices=raw["min_choices"],
            max_choices=raw["max_choices"],
            deadline=raw["deadline"],
            item_id=raw["item_id"],
            low_flag=raw.get("low_flag"),
        )


@dataclass(frozen=True)
class Tally:
    """The counted result of a poll; see ``tally``. ``counts`` follows the option order
    (``(yes, no)`` in a yes/no/abstain poll); abstentions are counted apart."""

    majority: str
    counts: tuple[int, ...]
    abstentions: int
    ballots: int  # ballots counted, abstentions included
    members: int  # voting members at open, minus recusals
    present: int  # eligible at open (present or represented), minus recusals
    base: int  # what the majority rule counts against (see MAJORITY_RULES)
    needed: int  # the smallest number of votes that passes
    winners: tuple[int, ...]  # indexes that pass; (0,) when a yes/no proposal is adopted
    seats: int | None = None  # elections: the seats; with ``ties``, wire key ``election``
    ties: tuple[int, ...] = ()  # elections: passed, but tied for the last seat
    confidence: ConfidenceResult | None = None  # confidence votes: per person and level
    paper: PaperTally | None = None  # secret polls: the paper ballots merged into the count
    recorded: tuple[int, ...] = ()  # named polls: voters whose vote the clerk recorded

    @property
    def adopted(self) -> bool:
        return bool(self.winners)

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "majority": MAJORITY_RULES[self.majority].to_wire(),
            "counts": list(self.counts),
            "abstentions": self.abstentions,
            "ballots": self.ballots,
            "did_not_vote": self.present - self.ballots,
            "absent": self.members - self.present,  # not present or represented at open
            "members": self.members,
            "present": self.present,
            "base": self.base,
            "needed": self.needed,
            "winners": list(self.winners),
            "adopted": self.adopted,
        }
        if self.seats is not None:
            wire["election"] = election_to_wire(
                self.counts, self.base, self.winners, self.ties, self.seats
            )
        if self.confidence is not None:
            wire["confidence"] = self.confidence.to_wire()
        if self.paper is not None:  # keys only when there is something to say (_paper.py)
            wire["paper"] = self.paper.to_wire()
        if self.recorded:
            wire["recorded"] = list(self.recorded)
        return wire

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> Tally:
        return cls(
            majority=raw["majority"]["name"],
            counts=tuple(raw["counts"]),
            abstentions=raw["abstentions"],
            ballots=raw["ballots"],
            members=raw["members"],
            present=raw["present"],
            base=raw["base"],
            needed=raw["needed"],
            winners=tuple(raw["winners"]),
            seats=raw["election"]["seats"] if "election" in raw else None,
            ties=tuple(raw["election"]["tie_for_last_seat"]) if "election" in raw else (),
            confidence=(
                ConfidenceResult.from_wire(raw["confidence"]) if "confidence" in raw else None
            ),
            paper=PaperTally.from_wire(raw["paper"]) if "paper" in raw else None,
            recorded=tuple(raw.get("recorded", ())),
        )


@dataclass(frozen=True)
class Poll:
    id: int
    spec: PollSpec
    status: PollStatus = PollStatus.DRAFT
    created_at: str = ""
    opened_at: str | None = None
    ended_at: str | None = None  # when it was closed or cancelled
    cancel_reason: str | None = None
    # Frozen when the poll opens:
    members: frozenset[int] = frozenset()  # all voting members
    eligible: frozenset[int] = frozenset()  # present voting members + represented absentees
    proxies: Mapping[int, int] = field(default_factory=dict)  # absent grantor -> holder
    # Moving while it is open:
    recused: frozenset[int] = frozenset()
    participants: frozenset[int] = frozenset()  # voters with a current ballot
    votes: Mapping[int, Choice] = field(default_factory=dict)  # named polls only
    recorded: Mapping[int, int] = field(default_factory=dict)  # voter -> clerk who recorded it
    paper: frozenset[int] = frozenset()  # secret polls: members given a paper ballot
    paper_tally: PaperTally | None = None  # secret polls: the paper count, once entered
    # What it needs to pass, as decided with each event that can change it (None in a
    # log written before the server decided it):
    requirement: Requirement | None = None
    # Set when it closes:
    result: Tally | None = None
    receipts: tuple[str, ...] = ()  # secret polls: receipt codes of counted ballots, sorted

    @property
    def counting(self) -> frozenset[int]:
        """The voters whose ballots count: eligible at open and not recused."""
        return self.eligible - self.recused


@dataclass(frozen=True)
class Ballot:
    """One accepted vote, as ``ballot_for`` hands it to the application to store."""

    poll_id: int
    voter_id: int  # whose vote it is (the absent member, for a vote by proxy)
    cast_by: int  # who cast it (the proxy holder, or the voter)
    choice: Choice
    secret: bool  # store ``seal(receipt)`` apart from the participation row
    replaces: bool  # a recast: overwrite the voter's current ballot (named polls only)

    def seal(self, receipt: str) -> SealedBallot:
        return SealedBallot(self.poll_id, self.choice, receipt)


@dataclass(frozen=True)
class SealedBallot:
    """A secret ballot as the application stores it: no voter, an opaque receipt code."""

    poll_id: int
    choice: Choice
    receipt: str


@dataclass(frozen=True)
class VotingState:
    """The fold of a meeting's voting events. ``max_proxies_per_holder`` is a meeting
    setting the application puts into the initial state; no event changes it."""

    polls: Mapping[int, Poll] = field(default_factory=dict)
    proxies: Mapping[int, int] = field(default_factory=dict)  # absent grantor -> holder
    max_proxies_per_holder: int = 1

    @property
    def next_poll_id(self) -> int:
        return max(self.polls, default=0) + 1

    def to_wire(self, viewer_user_id: int | None) -> dict[str, Any]:
        """The snapshot: JSON, the same for every viewer except the ``you`` block of each
        poll, which ``viewer_user_id`` (None for nobody in particular) selects."""
        return state_to_wire(self, viewer_user_id)
