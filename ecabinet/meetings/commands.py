"""The command table: every command type, who may send it, and what decides it.

One table drives the role check in the core, the authorization test that tries every
command with every role, and the list in docs/protocol.md. ``internal`` commands are sent
by the server itself on behalf of an HTTP request (an upload), never over the socket.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy.ext.asyncio import AsyncConnection

import agenda
from ecabinet.events import Event
from ecabinet.meetings import decisions
from ecabinet.meetings.decisions import Decide
from ecabinet.meetings.rules import ALL_ROLES, Role

# Rows kept beside the log, written in the same transaction as the events.
Project = Callable[[AsyncConnection, list[Event]], Awaitable[None]]


@dataclass(frozen=True)
class CommandSpec:
    type: str
    roles: frozenset[Role]
    decide: Decide
    emits: tuple[str, ...]
    internal: bool = False
    project: Project | None = None


CHAIR = frozenset({Role.CHAIR})
EDITORS = frozenset({Role.CHAIR, Role.CLERK})
PRESENTERS = frozenset({Role.CHAIR, Role.CLERK, Role.MEMBER})

_SPECS = (
    CommandSpec("meeting.start", CHAIR, decisions.decide_start, ("meeting.started",)),
    CommandSpec(
        "meeting.end",
        CHAIR,
        decisions.decide_end,
        ("speakers.ended", "agenda.item_status_changed", "agenda.current_changed", "meeting.ended"),
    ),
    CommandSpec(
        "attendance.check_in", ALL_ROLES, decisions.decide_check_in, ("attendance.checked_in",)
    ),
    CommandSpec(
        "attendance.check_out", ALL_ROLES, decisions.decide_check_out, ("attendance.checked_out",)
    ),
    CommandSpec(
        "document.add",
        EDITORS,
        decisions.decide_add_document,
        ("document.added",),
        internal=True,
    ),
    CommandSpec("presenter.set", CHAIR, decisions.decide_set_presenter, ("presenter.changed",)),
    CommandSpec("presenter.view", PRESENTERS, decisions.decide_view, ("presenter.view_changed",)),
    *(
        CommandSpec(
            name,
            frozenset(Role(r) for r in info.roles),
            decisions.agenda_decision(name),
            info.emits,
        )
        for name, info in agenda.COMMANDS.items()
    ),
)

COMMANDS: Mapping[str, CommandSpec] = MappingProxyType({spec.type: spec for spec in _SPECS})
