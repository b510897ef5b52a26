"""The agenda's refusals: one base class, one subclass per stable code.

    AgendaError            (base; ``code`` and ``message``)
    ├── Invalid            invalid       the payload is malformed or a value is out of range
    ├── NotFound           not-found     no such item, queue entry or attached document
    ├── Conflict           conflict      not possible in the agenda's current state
    └── NotAllowed         not-allowed   this actor may not do this

``decide`` raises one of these and changes nothing. The application maps ``code`` to its
own error classes; the codes are the same strings as in docs/protocol.md.
"""

from __future__ import annotations


class AgendaError(Exception):
    code: str = "invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Invalid(AgendaError):
    code = "invalid"


class NotFound(AgendaError):
    code = "not-found"


class Conflict(AgendaError):
    code = "conflict"


class NotAllowed(AgendaError):
    code = "not-allowed"


ERROR_CODES: frozenset[str] = frozenset(cls.code for cls in AgendaError.__subclasses__())
