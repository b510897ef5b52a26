"""Meetings prepared in the back office: details, reschedule, cancel, roster, publish, copy.

Each change runs in one transaction under the meeting's lock (``MeetingService.
append_planned``): a refusal leaves nothing written. What the tablets must follow is an
event in the meeting's log:

- ``meeting.cancelled`` ``{reason}``: the status becomes ``cancelled`` (only a scheduled
  meeting; it can never start).
- ``roster.changed`` ``{roster: [{user_id, display_name, role}], removed: [user_id]}``: the
  whole new roster. Every process reads the roster again when the folded state's
  ``roster_version`` moves (service.py), so a removed person's next command is refused
  on every worker, and their sockets in the meeting are closed.
- ``meeting.rescheduled`` ``{title, location, scheduled_at}``: the new details.

Rules: exactly one chair; every user exists and is active; a meeting that started, ended
or was cancelled keeps its details and roster; two meetings of one committee at the same
``scheduled_at`` are an overlap, refused unless the caller says ``allow_overlap`` (by
default for a draft and a reschedule; meeting_routes.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

import agenda
from ecabinet.canonical import nfc
from ecabinet.errors import Conflict, Invalid, NotFound, error_for_code
from ecabinet.events import Event, NewEvent, iso_utc
from ecabinet.meetings import repo
from ecabinet.meetings.rules import MeetingState, Role, Status
from ecabinet.meetings.service import MeetingService, Publish
from ecabinet.store.schema import users

# The events the back office writes (no socket command emits them; docs/protocol.md).
EVENT_TYPES = frozenset(
    {"meeting.rescheduled", "meeting.cancelled", "meeting.published", "roster.changed"}
)
TITLE_MAX_CHARS = 300
REASON_MAX_CHARS = 500
ROSTER_MAX = 500  # people on one meeting's roster


def parse_roster(raw: object) -> dict[int, Role]:
    """``[{user_id, role}]`` → user id → role; exactly one chair (``invalid`` otherwise)."""
    if not isinstance(raw, list) or len(raw) > ROSTER_MAX:
        raise Invalid(f"the roster is a list of at most {ROSTER_MAX} entries")
    roster: dict[int, Role] = {}
    for item in raw:
        if not isinstance(item, dict):
            raise Invalid("roster entries are {user_id, role}")
        user_id, role = item.get("user_id"), item.get("role")
        if (
            not isinstance(user_id, int)
            or isinstance(user_id, bool)
            or role not in {r.value for r in Role}
        ):
            raise Invalid(
                "roster entries are {user_id, role} with role chair, clerk, member or observer"
            )
        if user_id in roster:
            raise Invalid(f"user {user_id} is on the roster twice")
        roster[user_id] = Role(str(role))
    chairs = list(roster.values()).count(Role.CHAIR)
    if chairs != 1:
        raise Invalid(f"a meeting has exactly one chair (this roster has {chairs})")
    return roster


def parse_scheduled_at(raw: object) -> str:
    """An ISO 8601 date and time with its offset, e.g. 2026-12-10T08:00:00+07:00."""
    if not isinstance(raw, str) or len(raw) > 32:
        raise Invalid("scheduled_at is a date and time such as 2026-12-10T08:00:00+07:00")
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise Invalid("scheduled_at is a date and time such as 2026-12-10T08:00:00+07:00") from None
    if moment.tzinfo is None:
        raise Invalid("scheduled_at needs its UTC offset, e.g. +07:00")
    return raw


def parse_text(raw: object, name: str, limit: int, required: bool) -> str:
    if not isinstance(raw, str):
        raise Invalid(f"{name} is a text")
    text = str(nfc(raw.strip()))
    if len(text) > limit or (required and not text):
        raise Invalid(f"{name} must have {'1' if required else '0'}–{limit} characters")
    return text


async def check_people(conn: AsyncConnection, roster: dict[int, Role]) -> None:
    """Every person exists and is active (``not-found`` names the others)."""
    rows = (
        await conn.execute(
            select(users.c.id).where(users.c.id.in_(list(roster)), users.c.is_active.is_(True))
        )
    ).scalars()
    missing = sorted(set(roster) - set(rows))
    if missing:
        raise NotFound(f"no such user: {', '.join(map(str, missing))}")


async def check_overlap(
    conn: AsyncConnection,
    committee_id: int,
    scheduled_at: str,
    allow: bool,
    except_id: int | None = None,
) -> None:
    if allow:
        return
    others = await repo.same_time(conn, committee_id, scheduled_at, except_id)
    if others:
        raise Conflict(
            f"the committee already meets at {scheduled_at} (meeting {others[0]});"
            " choose another time or send allow_overlap"
        )


def _editable(row: Any, state: MeetingState) -> None:
    if row is None:
        raise NotFound("no such meeting")
    if state.status is not Status.SCHEDULED:
        raise Conflict(f"the meeting is {state.status.value}: it can no longer be changed")


def _roster_event(entries: list[repo.RosterEntry], removed: list[int]) -> NewEvent:
    return NewEvent(
        "roster.changed", {"roster": [e.to_wire() for e in entries], "removed": sorted(removed)}
    )


async def update_details(
    service: MeetingService,
    publish: Publish,
    admin_id: int,
    meeting_id: int,
    changes: dict[str, str],
    allow_overlap: bool,
) -> list[Event]:
    """Title, place or time of a scheduled meeting (a reschedule when the time moves)."""

    async def plan(conn: AsyncConnection, state: MeetingState) -> list[NewEvent]:
        row = await repo.lock_meeting(conn, meeting_id)
        _editable(row, state)
        if "scheduled_at" in changes:
            await check_overlap(
                conn, row.committee_id, changes["scheduled_at"], allow_overlap, meeting_id
            )
        await repo.set_details(conn, meeting_id, changes)
        after = {
            "title": changes.get("title", row.title),
            "location": changes.get("location", row.location),
            "scheduled_at": changes.get("scheduled_at", row.scheduled_at),
        }
        return [NewEvent("meeting.rescheduled", after)]

    return await service.append_planned(meeting_id, admin_id, plan, publish)


async def cancel(
    service: MeetingService, publish: Publish, admin_id: int, meeting_id: int, reason: str
) -> list[Event]:
    async def plan(conn: AsyncConnection, state: MeetingState) -> list[NewEvent]:
        row = await repo.lock_meeting(conn, meeting_id)
        _editable(row, state)
        await repo.set_details(conn, meeting_id, {"cancel_reason": reason})
        return [NewEvent("meeting.cancelled", {"reason": reason})]

    return await service.append_planned(meeting_id, admin_id, plan, publish)


async def set_roster(
    service: MeetingService,
    publish: Publish,
    admin_id: int,
    meeting_id: int,
    roster: dict[int, Role],
) -> tuple[list[Event], list[int]]:
    """Replace the roster; answers the events and the ids of the people removed."""
    removed: list[int] = []

    async def plan(conn: AsyncConnection, state: MeetingState) -> list[NewEvent]:
        row = await repo.lock_meeting(conn, meeting_id)
        _editable(row, state)
        await check_people(conn, roster)
        before = {e.user_id for e in await repo.roster(conn, meeting_id)}
        removed.extend(sorted(before - set(roster)))
        await repo.replace_roster(conn, meeting_id, roster)
        return [_roster_event(await repo.roster(conn, meeting_id), removed)]

    events = await service.append_planned(meeting_id, admin_id, plan, publish)
    return events, removed


async def publish_meeting(
    service: MeetingService, publish: Publish, admin_id: int, meeting_id: int, now: float
) -> list[Event]:
    """Members see the meeting and its documents from now on (the pre-read)."""

    async def plan(conn: AsyncConnection, state: MeetingState) -> list[NewEvent]:
        row = await repo.lock_meeting(conn, meeting_id)
        if row is None:
            raise NotFound("no such meeting")
        if state.status is Status.CANCELLED:
            raise Conflict("the meeting is cancelled")
        if row.published_at is not None:
            return []  # published already: nothing to do
        await repo.set_details(conn, meeting_id, {"published_at": now})
        return [NewEvent("meeting.published", {})]

    return await service.append_planned(meeting_id, admin_id, plan, publish)


AGENDA_FIELDS = frozenset({"title", "kind", "description", "planned_minutes", "parent_id"})


async def add_agenda_item(
    service: MeetingService,
    publish: Publish,
    admin_id: int,
    meeting_id: int,
    data: dict[str, Any],
) -> list[Event]:
    """An agenda item added from the back office before the meeting: the same decision as
    ``agenda.item.add`` by a clerk (docs/agenda.md), logged with the administrator as actor.
    Presenters and documents are the clerk's, in the room."""
    extra = set(data) - AGENDA_FIELDS
    if extra:
        raise Invalid(f"unknown fields: {', '.join(sorted(extra))[:200]}")

    async def plan(conn: AsyncConnection, state: MeetingState) -> list[NewEvent]:
        row = await repo.lock_meeting(conn, meeting_id)
        _editable(row, state)
        actor = agenda.Actor(admin_id, Role.CLERK.value)
        try:
            decided = agenda.decide(
                state.agenda, "agenda.item.add", data, actor, iso_utc(datetime.now(UTC))
            )
        except agenda.AgendaError as exc:
            raise error_for_code(exc.code, exc.message) from exc
        return [NewEvent(d.type, d.data) for d in decided]

    return await service.append_planned(meeting_id, admin_id, plan, publish)


def copied_agenda(source: MeetingState, now: str) -> list[NewEvent]:
    """The ``agenda.item_added`` events that rebuild ``source``'s agenda in a new meeting:
    titles, kinds, descriptions, planned minutes and nesting, in order. Presenters and
    documents stay behind (they belong to the earlier meeting and its roster)."""
    target = agenda.AgendaState()
    events: list[NewEvent] = []
    new_ids: dict[int, int] = {}
    actor = agenda.Actor(0, Role.CLERK.value)

    def walk(parent: int | None) -> None:
        nonlocal target
        for old_id in source.agenda.children.get(parent, ()):
            item = source.agenda.items[old_id]
            data = {
                "title": item.title,
                "kind": item.kind.value,
                "description": item.description,
                "planned_minutes": item.planned_minutes,
                "parent_id": None if parent is None else new_ids[parent],
            }
            for decided in agenda.decide(target, "agenda.item.add", data, actor, now):
                target = agenda.apply(target, decided.type, decided.data, now)
                events.append(NewEvent(decided.type, decided.data))
                new_ids[old_id] = decided.data["item_id"]
            walk(old_id)

    walk(None)
    return events
