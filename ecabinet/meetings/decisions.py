"""Decisions: from the meeting state and one command, the events to append.

Each function takes ``(state, ctx)`` and returns new events or raises an error with a
stable code, changing nothing. Agenda commands are decided by the ``agenda`` package; its
refusals are mapped to our error classes by code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import agenda
from ecabinet.annotations import rules as annotation_rules
from ecabinet.documents import rules as documents
from ecabinet.errors import Conflict, Invalid, NotAllowed, NotFound, error_for_code
from ecabinet.events import NewEvent
from ecabinet.meetings import presenting
from ecabinet.meetings.rules import Context, MeetingState, Role, Status, transition

Decide = Callable[[MeetingState, Context], list[NewEvent]]

# Who may record attendance for someone else (a member checks in only themselves).
ATTENDANCE_KEEPERS = frozenset({Role.CHAIR, Role.CLERK})


def decide_start(state: MeetingState, ctx: Context) -> list[NewEvent]:
    transition(state.status, "meeting.started")
    return [NewEvent("meeting.started")]


def decide_end(state: MeetingState, ctx: Context) -> list[NewEvent]:
    """Ending also ends the running speech and leaves the current item, so the record of
    the meeting has every end time."""
    transition(state.status, "meeting.ended")
    closing = [NewEvent(d.type, d.data) for d in agenda.closing_events(state.agenda, ctx.now)]
    return [*closing, NewEvent("meeting.ended")]


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


def agenda_decision(command_type: str) -> Decide:
    """Adapt one agenda command: live-only commands need a live meeting; nothing changes
    the agenda of an ended meeting."""
    info = agenda.COMMANDS[command_type]

    def decide(state: MeetingState, ctx: Context) -> list[NewEvent]:
        if state.status is Status.ENDED:
            raise Conflict("the meeting has ended")
        if info.live_only and state.status is not Status.LIVE:
            raise Conflict("start the meeting first")
        actor = agenda.Actor(ctx.actor.user_id, ctx.actor.role.value)
        try:
            decided = agenda.decide(state.agenda, command_type, ctx.data, actor, ctx.now)
        except agenda.AgendaError as exc:
            raise error_for_code(exc.code, exc.message) from exc
        for event in decided:
            _check_references(state, ctx, event.data)
        return [NewEvent(d.type, d.data) for d in decided]

    return decide


def _check_references(state: MeetingState, ctx: Context, data: Mapping[str, Any]) -> None:
    """What the agenda cannot see: people must be on the roster, documents in the meeting."""
    for key in ("presenter_id", "user_id"):
        if data.get(key) is not None and data[key] not in ctx.roster:
            raise NotFound("that person is not on this meeting's roster")
    document_ids = list(data.get("document_ids") or []) + (
        [data["document_id"]] if data.get("document_id") is not None else []
    )
    if any(d not in state.documents.documents for d in document_ids):
        raise NotFound("no such document in this meeting")


def decide_add_document(state: MeetingState, ctx: Context) -> list[NewEvent]:
    if state.status is Status.ENDED:
        raise Conflict("the meeting has ended")
    item_id = ctx.data.get("item_id")
    item_exists = None if item_id is None else item_id in state.agenda.items
    return documents.decide_add(state.documents, ctx.data, item_exists)


def decide_set_presenter(state: MeetingState, ctx: Context) -> list[NewEvent]:
    if state.status is Status.ENDED:
        raise Conflict("the meeting has ended")
    return presenting.decide_set_presenter({k: v.value for k, v in ctx.roster.items()}, ctx.data)


def decide_view(state: MeetingState, ctx: Context) -> list[NewEvent]:
    if state.status is Status.ENDED:
        raise Conflict("the meeting has ended")
    return presenting.decide_view(
        state.presenting, state.documents, ctx.actor.user_id, ctx.actor.role.value, ctx.data
    )


def annotation_decision(command_type: str) -> Decide:
    """Annotations may be made, changed and shared at any time, also after the meeting."""

    def decide(state: MeetingState, ctx: Context) -> list[NewEvent]:
        actor = ctx.actor.user_id
        if command_type == "annotation.create":
            presenting_now = state.presenting.presenter_id == actor
            return annotation_rules.decide_create(
                state.annotations, state.documents, actor, presenting_now, ctx.data
            )
        if command_type == "annotation.update":
            return annotation_rules.decide_update(state.annotations, actor, ctx.data)
        if command_type == "annotation.delete":
            return annotation_rules.decide_delete(state.annotations, actor, ctx.data)
        return annotation_rules.decide_share(state.annotations, actor, ctx.data)

    return decide
