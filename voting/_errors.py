"""Refusals of the voting domain: one class per stable code.

    VotingError                  code            raised when
    ├── Invalid                  invalid         malformed payload, unknown command or field
    ├── NotFound                 not-found       no such poll, or no such proxy
    ├── Conflict                 conflict        not possible in the poll's (or proxy's) state
    ├── NotAllowed               not-allowed     the actor's role or identity may not do this
    ├── DoubleVote               double-vote     already voted, and the poll forbids changing
    ├── PollClosed               poll-closed     closed or cancelled poll, or deadline passed
    ├── NotEligible              not-eligible    not eligible (frozen at open), or recused
    ├── NoQuorum                 no-quorum       too few voting members to open or close
    ├── PaperBallot              paper-ballot    the member votes on paper in this poll
    └── PaperTallyMissing        paper-tally-missing  members vote on paper, no tally entered

A refusal changes nothing: ``decide`` raises before it returns any event. A fault that
is not the user's doing (a ballot store that disagrees with the log, a malformed ``now``)
raises ``ValueError`` instead, which the application answers as ``internal``.
"""

from __future__ import annotations

from typing import Any, ClassVar


class VotingError(Exception):
    """A refusal a client may see: a stable ``code``, a human ``message`` and optional
    structured ``details`` (JSON-compatible, e.g. the numbers of a failed quorum)."""

    code: ClassVar[str] = "invalid"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            wire["details"] = dict(self.details)
        return wire


class Invalid(VotingError):
    code = "invalid"


class NotFound(VotingError):
    code = "not-found"


class Conflict(VotingError):
    code = "conflict"


class NotAllowed(VotingError):
    code = "not-allowed"


class DoubleVote(VotingError):
    code = "double-vote"


class PollClosed(VotingError):
    code = "poll-closed"


class NotEligible(VotingError):
    code = "not-eligible"


class NoQuorum(VotingError):
    code = "no-quorum"


class PaperBallot(VotingError):
    """A tablet vote from a member the clerk marked as voting on paper in this poll."""

    code = "paper-ballot"


class PaperTallyMissing(VotingError):
    """A close while members vote on paper and the paper tally is not entered."""

    code = "paper-tally-missing"


class TooManyKept(VotingError):
    """``details: {kept, seats}``."""

    code = "too-many-kept"


ERROR_CODES: frozenset[str] = frozenset(cls.code for cls in VotingError.__subclasses__())
"""The closed set of codes ``decide`` may raise; docs/voting.md lists the same set."""
