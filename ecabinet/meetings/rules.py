"""The meeting state and its fold: lifecycle, attendance, and the states of the domains
that live in a meeting (agenda, documents, presenting).

``apply`` folds one stored event into the state; it is pure and total over every event
type the log may hold. The decisions that produce events are in ``decisions.py``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import agenda
import voting
from ecabinet.annotations import rules as annotation_rules
from ecabinet.annotations.rules import AnnotationsState
from ecabinet.documents.rules import DocumentsState, apply_added
from ecabinet.errors import Conflict
from ecabinet.events import Event
from ecabinet.meetings import presenting
from ecabinet.meetings.presenting import PresentingState
from ecabinet.meetings.sealing import BallotKeys
from ecabinet.minutes import state as minutes_rules
from ecabinet.minutes.state import MinutesState


class Status(StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"
    CANCELLED = "cancelled"  # by an administrator before it started (never starts)


class Role(StrEnum):
    CHAIR = "chair"
    CLERK = "clerk"
    MEMBER = "member"
    OBSERVER = "observer"


ALL_ROLES = frozenset(Role)

# The lifecycle as data: (from status, event type) -> to status. Nothing else moves it.
LIFECYCLE: Mapping[tuple[Status, str], Status] = MappingProxyType(
    {
        (Status.SCHEDULED, "meeting.started"): Status.LIVE,
        (Status.LIVE, "meeting.ended"): Status.ENDED,
        (Status.SCHEDULED, "meeting.cancelled"): Status.CANCELLED,
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
    agenda: agenda.AgendaState = field(default_factory=agenda.AgendaState)
    documents: DocumentsState = field(default_factory=DocumentsState)
    presenting: PresentingState = field(default_factory=PresentingState)
    voting: voting.VotingState = field(default_factory=voting.VotingState)
    minutes: MinutesState = field(default_factory=MinutesState)  # notes, decisions, versions
    annotations: AnnotationsState = field(default_factory=AnnotationsState)
    # The seq of the last ``roster.changed`` (0: the roster written with the meeting). Not
    # on the wire: each process's roster cache is good while this has not moved.
    roster_version: int = 0

    def to_wire(self, viewer_id: int | None = None) -> dict[str, Any]:
        """The snapshot; the same for everyone but the ``you`` block of each poll."""
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
            "agenda": self.agenda.to_wire(),
            "documents": self.documents.to_wire(),
            "presenting": self.presenting.to_wire(),
            "voting": self.voting.to_wire(viewer_id),
            "minutes": self.minutes.to_wire(),
            "annotations": self.annotations.to_wire(viewer_id),
        }


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: Role


def _random_token() -> str:
    return secrets.token_hex(8)


@dataclass(frozen=True)
class Context:
    """What a decision may know besides the state: who asks, the payload, the roster, the
    time the events will carry (``now``, ISO 8601 UTC; the clock is read by the caller),
    what the command's ``prepare`` step loaded (``extra``), a source of random tokens, and
    the server's keys for secret ballots (``None`` where no ballot is sealed or opened)."""

    actor: Actor
    data: Mapping[str, Any]
    roster: Mapping[int, Role]
    now: str
    extra: Any = None
    new_token: Callable[[], str] = _random_token
    ballot_keys: BallotKeys | None = None


def _attendance(state: MeetingState, user_id: int, presence: Presence) -> MeetingState:
    attendance = dict(state.attendance)
    attendance[user_id] = presence
    return replace(state, attendance=attendance)


def apply(state: MeetingState, event: Event) -> MeetingState:
    """Fold one stored event. Unknown types only advance ``seq``."""
    state = replace(state, seq=event.seq)
    type_, data, at = event.type, event.data, event.at
    if type_ == "meeting.started":
        return replace(state, status=transition(state.status, type_), started_at=at)
    if type_ == "meeting.ended":
        return replace(state, status=transition(state.status, type_), ended_at=at)
    if type_ == "meeting.cancelled":
        return replace(state, status=transition(state.status, type_))
    if type_ == "roster.changed":
        return replace(state, roster_version=event.seq)
    if type_ == "attendance.checked_in":
        return _attendance(state, data["user_id"], Presence("present", at))
    if type_ == "attendance.checked_out":
        before = state.attendance[data["user_id"]]
        return _attendance(state, data["user_id"], replace(before, status="left", left_at=at))
    if type_ in agenda.EVENT_TYPES:
        return replace(state, agenda=agenda.apply(state.agenda, type_, data, at))
    if type_ in annotation_rules.EVENT_TYPES:
        return replace(state, annotations=annotation_rules.apply(state.annotations, type_, data))
    if type_ in voting.EVENT_TYPES:
        return replace(state, voting=voting.apply(state.voting, type_, data, at))
    if type_ in minutes_rules.EVENT_TYPES:
        return replace(
            state, minutes=minutes_rules.apply(state.minutes, type_, data, at, event.actor_id)
        )
    if type_ == "document.added":
        return replace(state, documents=apply_added(state.documents, data, at, event.actor_id))
    if type_ == "presenter.changed":
        return replace(state, presenting=presenting.apply_presenter_changed(state.presenting, data))
    if type_ == "presenter.view_changed":
        return replace(
            state, presenting=presenting.apply_view_changed(data, state.presenting.presenter_id)
        )
    return state


def fold(state: MeetingState, events: list[Event]) -> MeetingState:
    """``apply`` each event in turn. A run of annotation events (a log read from its start
    may hold thousands in a row) is folded into the marks in one go, which is the same as
    event by event but copies the marks once per run instead of once per event."""
    index = 0
    while index < len(events):
        event = events[index]
        if event.seq != state.seq + 1:
            raise ValueError(f"event seq {event.seq} does not follow {state.seq}")
        if event.type not in annotation_rules.EVENT_TYPES:
            state = apply(state, event)
            index += 1
            continue
        end = index + 1
        while (
            end < len(events)
            and events[end].type in annotation_rules.EVENT_TYPES
            and events[end].seq == events[end - 1].seq + 1
        ):
            end += 1
        run = events[index:end]
        annotations = annotation_rules.apply_many(
            state.annotations, [(e.type, e.data) for e in run]
        )
        state = replace(state, seq=run[-1].seq, annotations=annotations)
        index = end
    return state
