"""The follow-ups' refusals: one base class, one subclass per stable code (the same strings
as the application's error codes in docs/protocol.md).

    FollowUpError          (base; ``code`` and ``message``)
    ├── Invalid            invalid       the payload is malformed or a value is out of range
    ├── NotFound           not-found     no such follow-up or report
    ├── Conflict           conflict      not possible in the follow-up's current state
    └── NotAllowed         not-allowed   this actor may not do this

``decide`` raises one of these and changes nothing.
"""

from __future__ import annotations


class FollowUpError(Exception):
    code: str = "invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Invalid(FollowUpError):
    code = "invalid"


class NotFound(FollowUpError):
    code = "not-found"


class Conflict(FollowUpError):
    code = "conflict"


class NotAllowed(FollowUpError):
    code = "not-allowed"


ERROR_CODES: frozenset[str] = frozenset(cls.code for cls in FollowUpError.__subclasses__())
