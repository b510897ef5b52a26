"""Agenda domain: items, order, current item, speakers list, timers.

Pure rules over frozen dataclasses; imports nothing of ours and does no I/O. The
application calls ``decide(state, type, data, actor, now)`` for a command, appends the
returned events, and folds each stored event with ``apply(state, type, data, at)``.
"""

from agenda._commands import (
    COMMANDS,
    EVENT_TYPES,
    FOLDS,
    CommandInfo,
    apply,
    closing_events,
    decide,
    fold,
)
from agenda._errors import (
    ERROR_CODES,
    AgendaError,
    Conflict,
    Invalid,
    NotAllowed,
    NotFound,
)
from agenda._lifecycle import CURRENT_STATUSES, STATUS_MOVES, Kind, Role, Status
from agenda._model import Actor, AgendaState, Decided, Item, Request, Speech, Visit
from agenda._tree import DEPTH_MAX
from agenda._wire import numbering, state_from_wire

__all__ = [
    "COMMANDS",
    "CURRENT_STATUSES",
    "DEPTH_MAX",
    "ERROR_CODES",
    "EVENT_TYPES",
    "FOLDS",
    "STATUS_MOVES",
    "Actor",
    "AgendaError",
    "AgendaState",
    "CommandInfo",
    "Conflict",
    "Decided",
    "Invalid",
    "Item",
    "Kind",
    "NotAllowed",
    "NotFound",
    "Request",
    "Role",
    "Speech",
    "Status",
    "Visit",
    "apply",
    "closing_events",
    "decide",
    "fold",
    "numbering",
    "state_from_wire",
]
