"""Voting domain: polls, eligibility, ballots, quorum, majority, tally.

Pure rules over frozen dataclasses; imports only the standard library and does no I/O.
The application reads attendance, the clock and randomness, and passes them in:

    events = decide(state, command_type, data, actor, now, room)   # or VotingError
    ballot = ballot_for(state, data, actor, now, room)              # vote.cast only
    ballot = clerk_ballot(state, data, actor, now, room)            # vote.record only
    state = apply(state, event_type, data, at)                      # for each appended event

A committee's kind gives its polls' default majority and quorum (``committee_rules``);
``decide(..., rules=...)`` applies them to a definition that leaves them out.

docs/voting.md describes every command, event, refusal and rule.
"""

from voting._choice import ABSTAIN, NO, YES, Choice
from voting._commands import COMMANDS, EVENT_TYPES, ROLES, VOTING_ROLES, CommandInfo
from voting._decide import ballot_for, clerk_ballot, decide
from voting._errors import (
    ERROR_CODES,
    Conflict,
    DoubleVote,
    Invalid,
    NoQuorum,
    NotAllowed,
    NotEligible,
    NotFound,
    PaperBallot,
    PaperTallyMissing,
    PollClosed,
    VotingError,
)
from voting._lifecycle import LIFECYCLE, apply, transition
from voting._model import (
    Actor,
    Ballot,
    Decided,
    Kind,
    Poll,
    PollSpec,
    PollStatus,
    Room,
    SealedBallot,
    Tally,
    VotingState,
)
from voting._paper import PaperTally
from voting._rules import (
    MAJORITY_RULES,
    Base,
    MajorityRule,
    Quorum,
    QuorumKind,
    Requirement,
    threshold,
)
from voting._statute import (
    DEFAULT_RULES,
    STATUTES,
    CommitteeKind,
    CommitteeRules,
    Statute,
    committee_rules,
    parse_committee_rules,
)
from voting._tally import tally

__all__ = [
    "ABSTAIN",
    "COMMANDS",
    "DEFAULT_RULES",
    "ERROR_CODES",
    "EVENT_TYPES",
    "LIFECYCLE",
    "MAJORITY_RULES",
    "NO",
    "ROLES",
    "STATUTES",
    "VOTING_ROLES",
    "YES",
    "Actor",
    "Ballot",
    "Base",
    "Choice",
    "CommandInfo",
    "CommitteeKind",
    "CommitteeRules",
    "Conflict",
    "Decided",
    "DoubleVote",
    "Invalid",
    "Kind",
    "MajorityRule",
    "NoQuorum",
    "NotAllowed",
    "NotEligible",
    "NotFound",
    "PaperBallot",
    "PaperTally",
    "PaperTallyMissing",
    "Poll",
    "PollClosed",
    "PollSpec",
    "PollStatus",
    "Quorum",
    "QuorumKind",
    "Requirement",
    "Room",
    "SealedBallot",
    "Statute",
    "Tally",
    "VotingError",
    "VotingState",
    "apply",
    "ballot_for",
    "clerk_ballot",
    "committee_rules",
    "decide",
    "parse_committee_rules",
    "tally",
    "threshold",
    "transition",
]
