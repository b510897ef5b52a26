"""The command table: every command type, who may send it, and the rule that decides it.

One table drives the role check in the core, the authorization test that tries every
command with every role, and the list in docs/protocol.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ecabinet.events import NewEvent
from ecabinet.meetings import rules
from ecabinet.meetings.rules import ALL_ROLES, Context, MeetingState, Role

Decide = Callable[[MeetingState, Context], list[NewEvent]]


@dataclass(frozen=True)
class CommandSpec:
    type: str
    roles: frozenset[Role]
    decide: Decide
    emits: tuple[str, ...]


def _spec(type_: str, roles: frozenset[Role], decide: Decide, *emits: str) -> CommandSpec:
    return CommandSpec(type_, roles, decide, emits)


CHAIR = frozenset({Role.CHAIR})

COMMANDS: Mapping[str, CommandSpec] = MappingProxyType(
    {
        spec.type: spec
        for spec in (
            _spec("meeting.start", CHAIR, rules.decide_start, "meeting.started"),
            _spec("meeting.end", CHAIR, rules.decide_end, "meeting.ended"),
            _spec("attendance.check_in", ALL_ROLES, rules.decide_check_in, "attendance.checked_in"),
            _spec(
                "attendance.check_out", ALL_ROLES, rules.decide_check_out, "attendance.checked_out"
            ),
        )
    }
)
