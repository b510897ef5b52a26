"""The closed set of error codes, one class each.

    HubError (realtime)            code sent in acks and HTTP bodies
    └── ECabinetError
        ├── Invalid                invalid            malformed command or payload
        ├── TooLarge               too-large          payload over the size limit
        ├── QuotaExceeded          quota-exceeded     the meeting's document storage is full
        ├── Unauthenticated        unauthenticated    no valid session
        ├── InvalidCredentials     invalid-credentials  wrong user name or password
        ├── NotAllowed             not-allowed        role may not do this
        ├── NotFound               not-found          no such thing, or not visible to you
        ├── NotJoined              not-joined         command before joining a meeting
        ├── Conflict               conflict           not possible in the current state
        ├── IdempotencyKeyReused   idempotency-key-reused  the key was used for other content
        ├── RateLimited            rate-limited       too many attempts; try later
        ├── TooManyConnections     too-many-connections  one person's sockets at the limit
        ├── Timeout                timeout            the request took too long
        ├── Busy                   busy               at capacity (PDF inspections); retry later
        ├── ResyncRequired         resync-required    the client must load a fresh snapshot
        ├── DoubleVote             double-vote        this vote was cast already
        ├── PollClosed             poll-closed        closed, cancelled or past its deadline
        ├── NotEligible            not-eligible       not a voter in this poll
        ├── NoQuorum               no-quorum          too few voting members present
        ├── TooManyKept            too-many-kept      an election ballot keeps more names than seats
        ├── PaperBallot            paper-ballot       the member votes on paper in this poll
        └── PaperTallyMissing      paper-tally-missing  paper voters and no paper tally yet

``internal`` is sent when the server failed; no class raises it on purpose. The codes
are listed in docs/protocol.md; ``ERROR_CODES`` is the set a test compares with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from realtime.errors import HubError


class ECabinetError(HubError):
    code = "internal"
    http_status = 500


class Invalid(ECabinetError):
    code = "invalid"
    http_status = 400


class TooLarge(ECabinetError):
    code = "too-large"
    http_status = 413


class QuotaExceeded(ECabinetError):
    code = "quota-exceeded"
    http_status = 413


class Unauthenticated(ECabinetError):
    code = "unauthenticated"
    http_status = 401


class InvalidCredentials(ECabinetError):
    code = "invalid-credentials"
    http_status = 401


class NotAllowed(ECabinetError):
    code = "not-allowed"
    http_status = 403


class NotFound(ECabinetError):
    code = "not-found"
    http_status = 404


class NotJoined(ECabinetError):
    code = "not-joined"
    http_status = 409


class Conflict(ECabinetError):
    code = "conflict"
    http_status = 409


class IdempotencyKeyReused(ECabinetError):
    """A request repeated an ``Idempotency-Key`` with other content than the first time."""

    code = "idempotency-key-reused"
    http_status = 422


class RateLimited(ECabinetError):
    """``retry_after_secs``, when known, goes out over HTTP as the ``Retry-After`` header."""

    code = "rate-limited"
    http_status = 429

    def __init__(self, message: str, *, retry_after_secs: int | None = None) -> None:
        super().__init__(message)
        self.retry_after_secs = retry_after_secs


class TooManyConnections(ECabinetError):
    """Raised by the hub as a ``connect_error`` (it cannot import this tree); listed here
    so that the closed set of codes is in one place."""

    code = "too-many-connections"
    http_status = 429


class Timeout(ECabinetError):
    """A request's body stopped arriving (408) or no answer was ready in time (503)."""

    code = "timeout"
    http_status = 503


class Busy(ECabinetError):
    """The server does as much of this work at once as it may; ``retry_after_secs`` goes out
    over HTTP as the ``Retry-After`` header."""

    code = "busy"
    http_status = 503

    def __init__(self, message: str, *, retry_after_secs: int | None = None) -> None:
        super().__init__(message)
        self.retry_after_secs = retry_after_secs


class ResyncRequired(ECabinetError):
    code = "resync-required"
    http_status = 409


class DoubleVote(ECabinetError):
    code = "double-vote"
    http_status = 409


class PollClosed(ECabinetError):
    code = "poll-closed"
    http_status = 409


class NotEligible(ECabinetError):
    code = "not-eligible"
    http_status = 403


class NoQuorum(ECabinetError):
    code = "no-quorum"
    http_status = 409


class TooManyKept(ECabinetError):
    code = "too-many-kept"
    http_status = 422


class PaperBallot(ECabinetError):
    code = "paper-ballot"
    http_status = 409


class PaperTallyMissing(ECabinetError):
    code = "paper-tally-missing"
    http_status = 409


ERROR_CODES: frozenset[str] = frozenset(cls.code for cls in ECabinetError.__subclasses__()) | {
    "internal"
}
_BY_CODE: dict[str, type[ECabinetError]] = {cls.code: cls for cls in ECabinetError.__subclasses__()}


def error_for_code(code: str, message: str, data: Mapping[str, Any] | None = None) -> ECabinetError:
    """The error of our tree for a domain package's refusal code (unknown codes keep
    their code on the base class, so nothing is silently renamed); ``data`` are the
    refusal's structured fields (JSON), sent to the client beside the message."""
    cls = _BY_CODE.get(code)
    error = cls(message) if cls is not None else ECabinetError(message, code=code)
    error.data = None if data is None else dict(data)
    return error
