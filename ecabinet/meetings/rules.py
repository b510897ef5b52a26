"""Meeting rules: the lifecycle and attendance, as pure functions over dataclasses.

``decide_*`` functions take the current state and a command and return the events to
append, or raise an error and change nothing. ``apply`` folds one stored event into the
state. Neither touches sockets, SQL, files or the clock: the time arrives in ``at``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from ecabinet.errors import Conflict, Invalid, NotAllowed, NotFound
from ecabinet.events import Event, NewEvent


class Status(StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"


class Role(StrEnum):
    CHAIR = "chair"
    CLERK = "clerk"
    MEMBER = "member"
    OBSERVER = "observer"


ALL_ROLES = frozenset(Role)
# Who may record attendance for someone else (a member checks in only themselves).
ATTENDANCE_KEEPERS = frozenset({Role.CHAIR, Role.CLERK})

# The lifecycle as data: (from status, event type) -> to status. Nothing else moves it.
LIFECYCLE: Mapping[tuple[Status, str], Status] = MappingProxyType(
    {
        (Status.SCHEDULED, "meeting.started"): Status.LIVE,
        (Status.LIVE, "meeting.ended"): Status.ENDED,
    }
)


def transition(status: Status, event_type: str) -> Status:
    """The status after ``event_type``; raises ``Conflict`` when the table has no such move."""
    try:
        return LIFECYCLE[(status, event_type)]
    except KeyError:
        raise Conflict(f"not possible while the meeting is {status.value}") from None


@dataclass(frozen=True)
class Presence:
    """A roster member's attendance record (not the same as being connected)."""

    status: str  # "present" | "left"
    checked_in_at: str
    left_at: str | None = None


@dataclass(frozen=True)
class MeetingState:
    seq: int = 0
    status: Status = Status.SCHEDULED
    started_at: str | None = None
    ended_at: str | None = None
    attendance: Mapping[int, Presence] = field(default_factory=dict)

    def to_wire(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "status": self.status.value,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "attendance": {
                str(uid): {
                    "status": p.status,
                    "checked_in_at": p.checked_in_at,
                    "left_at": p.left_at,
                }
                for uid, p in sorted(self.attendance.items())
            },
        }


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: Role


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the state: who asks, the payload, the roster."""

    actor: Actor
    data: Mapping[str, Any]
    roster: Mapping[int, Role]


def decide_start(state: MeetingState, ctx: Context) -> list[NewEvent]:
    transition(state.status, "meeting.started")
    return [NewEvent("meeting.started")]


def decide_end(state: MeetingState, ctx: Context) -> list[NewEvent]:
    transition(state.status, "meeting.ended")
    return [NewEvent("meeting.ended")]


def _attendance_target(ctx: Context) -> int:
    raw = ctx.data.get("user_id", ctx.actor.user_id)
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise Invalid("user_id must be a whole number")
    if raw != ctx.actor.user_id and ctx.actor.role not in ATTENDANCE_KEEPERS:
        raise NotAllowed("only the chair or the clerk records attendance for someone else")
    if raw not in ctx.roster:
        raise NotFound("that person is not on this meeting's roster")
    return raw


def decide_check_in(state: MeetingState, ctx: Context) -> list[NewEvent]:
    target = _attendance_target(ctx)
    if state.status is Status.ENDED:
        raise Conflict("the meeting has ended")
    current = state.attendance.get(target)
    if current is not None and current.status == "present":
        raise Conflict("already checked in")
    return [NewEvent("attendance.checked_in", {"user_id": target})]


def decide_check_out(state: MeetingState, ctx: Context) -> list[NewEvent]:
    target = _attendance_target(ctx)
    if state.status is Status.ENDED:
        raise Conflict("the meeting has ended")
    current = state.attendance.get(target)
    if current is None or current.status != "present":
        raise Conflict("not checked in")
    return [NewEvent("attendance.checked_out", {"user_id": target})]


def apply(state: MeetingState, event: Event) -> MeetingState:
    """Fold one stored event into the state. Unknown types only advance ``seq`` so that
    events of other domains pass through."""
    state = replace(state, seq=event.seq)
    if event.type == "meeting.started":
        return replace(state, status=transition(state.status, event.type), started_at=event.at)
    if event.type == "meeting.ended":
        return replace(state, status=transition(state.status, event.type), ended_at=event.at)
    if event.type == "attendance.checked_in":
        attendance = dict(state.attendance)
        attendance[event.data["user_id"]] = Presence("present", event.at)
        return replace(state, attendance=attendance)
    if event.type == "attendance.checked_out":
        attendance = dict(state.attendance)
        before = attendance[event.data["user_id"]]
        attendance[event.data["user_id"]] = replace(before, status="left", left_at=event.at)
        return replace(state, attendance=attendance)
    return state


def fold(state: MeetingState, events: list[Event]) -> MeetingState:
    for event in events:
        if event.seq != state.seq + 1:
            raise ValueError(f"event seq {event.seq} does not follow {state.seq}")
        state = apply(state, event)
    return state
