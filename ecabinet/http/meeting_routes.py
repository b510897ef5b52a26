"""Meetings as the signed-in user sees them, and their preparation in the back office by
its planners: administrators, and a committee's clerks for its meetings (``planners``)."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ecabinet.annotations import rules as annotation_rules
from ecabinet.auth.sessions import SessionUser
from ecabinet.checkpoints import audit
from ecabinet.checkpoints.anchor import Anchor
from ecabinet.errors import Invalid, NotAllowed, NotFound
from ecabinet.events import NewEvent, iso_utc
from ecabinet.http.common import (
    ID_MAX,
    current_user,
    field,
    is_number,
    path_id,
    read_json,
)
from ecabinet.meetings import planners, planning, repo, rules
from ecabinet.meetings.rules import MeetingState, Role, Status
from ecabinet.meetings.service import utc_now
from ecabinet.store import eventlog

TITLE_MAX_CHARS = planning.TITLE_MAX_CHARS
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


async def list_meetings(request: Request) -> Response:
    """The meetings the user is on (a draft only for its chair and clerk); an
    administrator gets every meeting. ``scope=planning``: the meetings the user prepares
    (every one for an administrator, its committees' for a clerk, none for others).
    Filters: ``committee_id``, ``status``, ``from`` and ``to`` (YYYY-MM-DD, on the scheduled
    date, both included)."""
    user = await current_user(request)
    filters = _list_filters(request)
    planning_scope = filters.pop("scope", None) == "planning"
    async with request.app.state.db.read() as conn:
        if user.is_admin or planning_scope:
            planned = await planners.planned_committees(conn, user)
            items = await repo.list_all(conn, user.user_id, **filters, committee_ids=planned)
        else:
            items = [m for m in await repo.list_visible(conn, user.user_id) if _keeps(m, filters)]
    return JSONResponse({"meetings": items})


def _list_filters(request: Request) -> dict[str, Any]:
    query = request.query_params
    extra = set(query) - {"committee_id", "status", "from", "to", "scope"}
    if extra:
        raise Invalid(f"unknown filters: {', '.join(sorted(extra))[:200]}")
    filters: dict[str, Any] = {}
    scope = query.get("scope")
    if scope is not None:
        if scope != "planning":
            raise Invalid("scope is planning")
        filters["scope"] = scope
    committee = query.get("committee_id")
    if committee is not None:
        if not is_number(committee) or len(committee) > len(str(ID_MAX)):
            raise Invalid("committee_id is a whole number")
        filters["committee_id"] = int(committee)
    status = query.get("status")
    if status is not None:
        if status not in {s.value for s in Status}:
            raise Invalid("status is scheduled, live, ended or cancelled")
        filters["status"] = status
    for name, key in (("from", "date_from"), ("to", "date_to")):
        day = query.get(name)
        if day is not None:
            if not DAY.fullmatch(day):
                raise Invalid(f"{name} is a date YYYY-MM-DD")
            filters[key] = day
    return filters


def _keeps(meeting: dict[str, Any], filters: dict[str, Any]) -> bool:
    day = str(meeting["scheduled_at"])[:10]
    return bool(
        filters.get("committee_id", meeting["committee_id"]) == meeting["committee_id"]
        and filters.get("status", meeting["status"]) == meeting["status"]
        and day >= filters.get("date_from", day)
        and day <= filters.get("date_to", day)
    )


async def get_meeting(request: Request) -> Response:
    user = await current_user(request)
    meeting_id = path_id(request, "meeting_id")
    async with request.app.state.db.read() as conn:
        meeting = await repo.get_meeting(conn, meeting_id)
        role = await repo.role_of(conn, meeting_id, user.user_id) if meeting else None
        if meeting is None or role is None:
            raise NotFound("no such meeting")
        roster = await repo.roster(conn, meeting_id)
    return JSONResponse(
        {"meeting": meeting, "my_role": role.value, "roster": [r.to_wire() for r in roster]}
    )


EVENTS_PAGE_MAX = 1000
SEQ_MAX = ID_MAX  # seq is an integer column: 32 bits on PostgreSQL


async def list_events(request: Request) -> Response:
    """The meeting's events after ``after`` (default 0), at most ``limit`` (≤ 1000): the
    history a tablet shows in its activity feed after a reload."""
    user = await current_user(request)
    meeting_id = path_id(request, "meeting_id")
    after, limit = request.query_params.get("after", "0"), request.query_params.get("limit", "200")
    if (
        not (is_number(after) and is_number(limit))
        # Lengths before int(): a 10⁶-digit number would cost time and then raise.
        or len(after) > len(str(SEQ_MAX))
        or len(limit) > len(str(EVENTS_PAGE_MAX))
        or not 0 <= int(after) <= SEQ_MAX
        or not 1 <= int(limit) <= EVENTS_PAGE_MAX
    ):
        raise Invalid(
            f"after is a whole number from 0 to {SEQ_MAX} and limit one from 1 to {EVENTS_PAGE_MAX}"
        )
    async with request.app.state.db.read() as conn:
        if await repo.role_of(conn, meeting_id, user.user_id) is None:
            raise NotFound("no such meeting")
        events = await eventlog.read_after(conn, meeting_id, int(after), limit=int(limit))
    return JSONResponse({"events": [annotation_rules.wire_for(e, user.user_id) for e in events]})


async def audit_meeting(request: Request) -> Response:
    """The hash-chain check of a meeting's log and of its signed checkpoints (chair, clerk
    and administrators)."""
    user = await current_user(request)
    meeting_id = path_id(request, "meeting_id")
    async with request.app.state.db.read() as conn:
        role = await repo.role_of(conn, meeting_id, user.user_id)
        if role not in (Role.CHAIR, Role.CLERK) and not user.is_admin:
            raise NotFound("no such meeting")
        anchor: Anchor = request.app.state.checkpoints
        report = await audit.audit(conn, meeting_id, anchor.folder, anchor.signer.public_key)
    return JSONResponse(report.to_wire())


async def create_meeting(request: Request) -> Response:
    """``{committee_id, title, location?, scheduled_at, roster, published?, allow_overlap?,
    copy_from?}``. ``published`` (default true) false makes a draft; ``copy_from`` copies
    an earlier meeting's agenda, and its roster when ``roster`` is not given. Planners only,
    for their committees."""
    user = await current_user(request)
    async with request.app.state.db.read() as conn:
        if not await planners.is_planner(conn, user):
            raise NotAllowed(NOT_A_PLANNER)
    body = await read_json(request)
    extra = set(body) - CREATE_FIELDS
    if extra:
        raise Invalid(f"unknown fields: {', '.join(sorted(extra))[:200]}")
    committee_id = field(body, "committee_id", int)
    title = planning.parse_text(body.get("title"), "title", TITLE_MAX_CHARS, required=True)
    location = planning.parse_text(
        body.get("location", ""), "location", TITLE_MAX_CHARS, required=False
    )
    scheduled_at = planning.parse_scheduled_at(body.get("scheduled_at"))
    published = field(body, "published", bool, required=False, default=True)
    # A draft (the back office) is checked for an overlap unless told otherwise; a meeting
    # created published (scripts, tests, the demo) only when asked (docs/protocol.md).
    allow_overlap = field(body, "allow_overlap", bool, required=False, default=published)
    copy_from = field(body, "copy_from", int, required=False)
    roster = planning.parse_roster(body["roster"]) if "roster" in body else None
    if roster is None and copy_from is None:
        raise Invalid("roster is required (or copy_from an earlier meeting)")
    async with request.app.state.db.read() as conn:
        if not await planners.plans_committee(conn, user, committee_id):
            raise NotAllowed("you prepare the meetings of the committees you are a clerk of")
        if copy_from is not None and not (
            copy_from <= ID_MAX and await planners.plans_meeting(conn, user, copy_from)
        ):
            raise NotFound("no such meeting to copy from")
    copied: list[NewEvent] = []
    if copy_from is not None:
        source = await _source_state(request, copy_from)
        copied = planning.copied_agenda(source, iso_utc(utc_now()))
    async with request.app.state.db.write() as conn:
        if copy_from is not None and roster is None:
            roster = {e.user_id: e.role for e in await repo.roster(conn, copy_from)}
        assert roster is not None
        if not any(c["id"] == committee_id for c in await repo.list_committees(conn)):
            raise NotFound("no such committee")
        await planning.check_people(conn, roster)
        await planning.check_overlap(conn, committee_id, scheduled_at, allow_overlap)
        meeting_id = await repo.create_meeting(
            conn,
            committee_id,
            title,
            location,
            scheduled_at,
            roster,
            request.app.state.clock(),
            published=published,
        )
        if copied:
            head = await eventlog.lock_head(conn, meeting_id)
            assert head is not None
            await eventlog.append(conn, head, copied, None, iso_utc(utc_now()))
        meeting = await repo.get_meeting(conn, meeting_id)
    return JSONResponse({"meeting": meeting}, status_code=201)


CREATE_FIELDS = {
    "committee_id",
    "title",
    "location",
    "scheduled_at",
    "roster",
    "published",
    "allow_overlap",
    "copy_from",
}


async def _source_state(request: Request, meeting_id: int) -> MeetingState:
    async with request.app.state.db.read() as conn:
        if await repo.get_meeting(conn, meeting_id) is None:
            raise NotFound("no such meeting to copy from")
        state: MeetingState = rules.fold(
            MeetingState(), await eventlog.read_after(conn, meeting_id, 0)
        )
    return state


async def admin_meeting(request: Request) -> Response:
    """The back office's view of one meeting: details, roster and the folded state's
    agenda and documents (its planners, who need not be on the roster)."""
    meeting_id = path_id(request, "meeting_id")
    await require_planner(request, meeting_id)
    async with request.app.state.db.read() as conn:
        meeting = await repo.get_meeting(conn, meeting_id)
        if meeting is None:
            raise NotFound("no such meeting")
        roster = await repo.roster(conn, meeting_id)
        state = rules.fold(MeetingState(), await eventlog.read_after(conn, meeting_id, 0))
    return JSONResponse(
        {
            "meeting": meeting,
            "roster": [r.to_wire() for r in roster],
            "agenda": state.agenda.to_wire(),
            "documents": state.documents.to_wire(),
        }
    )


async def edit_meeting(request: Request) -> Response:
    """``{title?, location?, scheduled_at?, allow_overlap?}`` of a scheduled meeting."""
    meeting_id = path_id(request, "meeting_id")
    planner = await require_planner(request, meeting_id)
    body = await read_json(request)
    extra = set(body) - {"title", "location", "scheduled_at", "allow_overlap"}
    if extra:
        raise Invalid(f"unknown fields: {', '.join(sorted(extra))[:200]}")
    changes: dict[str, str] = {}
    if "title" in body:
        changes["title"] = planning.parse_text(body["title"], "title", TITLE_MAX_CHARS, True)
    if "location" in body:
        changes["location"] = planning.parse_text(
            body["location"], "location", TITLE_MAX_CHARS, False
        )
    if "scheduled_at" in body:
        changes["scheduled_at"] = planning.parse_scheduled_at(body["scheduled_at"])
    if not changes:
        raise Invalid("nothing to change")
    allow = field(body, "allow_overlap", bool, required=False, default=False)
    await planning.update_details(
        request.app.state.meetings,
        request.app.state.publish_events,
        planner.user_id,
        meeting_id,
        changes,
        allow,
    )
    return await _answer(request, meeting_id)


async def cancel_meeting(request: Request) -> Response:
    """``{reason}``: a scheduled meeting is cancelled; it can never start."""
    meeting_id = path_id(request, "meeting_id")
    planner = await require_planner(request, meeting_id)
    body = await read_json(request)
    reason = planning.parse_text(
        body.get("reason"), "reason", planning.REASON_MAX_CHARS, required=True
    )
    await planning.cancel(
        request.app.state.meetings, request.app.state.publish_events, planner.user_id,
        meeting_id, reason,
    )  # fmt: skip
    return await _answer(request, meeting_id)


async def put_roster(request: Request) -> Response:
    """``{roster: [{user_id, role}]}``: the whole new roster, exactly one chair."""
    meeting_id = path_id(request, "meeting_id")
    planner = await require_planner(request, meeting_id)
    body = await read_json(request)
    if set(body) != {"roster"}:
        raise Invalid("send {roster: [{user_id, role}]}")
    roster = planning.parse_roster(body["roster"])
    _events, removed = await planning.set_roster(
        request.app.state.meetings, request.app.state.publish_events, planner.user_id,
        meeting_id, roster,
    )  # fmt: skip
    if removed:
        await request.app.state.roster_removed(meeting_id, removed)
    return await _answer(request, meeting_id)


async def publish_meeting(request: Request) -> Response:
    """``{}``: the members see the meeting and its documents from now on."""
    meeting_id = path_id(request, "meeting_id")
    planner = await require_planner(request, meeting_id)
    body = await read_json(request)
    if body:
        raise Invalid(f"unknown fields: {', '.join(sorted(body))[:200]}")
    await planning.publish_meeting(
        request.app.state.meetings, request.app.state.publish_events, planner.user_id,
        meeting_id, request.app.state.clock(),
    )  # fmt: skip
    return await _answer(request, meeting_id)


async def add_agenda_item(request: Request) -> Response:
    """``{title, kind, description?, planned_minutes?, parent_id?}``: an agenda item of a
    scheduled meeting, prepared in the back office (``agenda.item_added``)."""
    meeting_id = path_id(request, "meeting_id")
    planner = await require_planner(request, meeting_id)
    body = await read_json(request)
    events = await planning.add_agenda_item(
        request.app.state.meetings, request.app.state.publish_events, planner.user_id,
        meeting_id, body,
    )  # fmt: skip
    return JSONResponse({"item_id": events[0].data["item_id"], "seq": events[-1].seq}, 201)


NOT_A_PLANNER = "administrators and the clerks of the meeting's committee prepare meetings"


async def require_planner(request: Request, meeting_id: int) -> SessionUser:
    """The caller, when they prepare this meeting (``planners``); ``not-allowed`` for anyone
    else signed in, as for a meeting that does not exist (administrators then learn
    ``not-found`` from the route itself)."""
    user = await current_user(request)
    async with request.app.state.db.read() as conn:
        if user.is_admin or await planners.plans_meeting(conn, user, meeting_id):
            return user
    raise NotAllowed(NOT_A_PLANNER)


async def people_directory(request: Request) -> Response:
    """``{people}``: whom a planner may put on a roster (``planners.directory``)."""
    user = await current_user(request)
    async with request.app.state.db.read() as conn:
        if not await planners.is_planner(conn, user):
            raise NotAllowed(NOT_A_PLANNER)
        return JSONResponse({"people": await planners.directory(conn)})


async def _answer(request: Request, meeting_id: int) -> Response:
    async with request.app.state.db.read() as conn:
        meeting = await repo.get_meeting(conn, meeting_id)
        roster = await repo.roster(conn, meeting_id)
    return JSONResponse({"meeting": meeting, "roster": [r.to_wire() for r in roster]})


routes = [
    Route("/api/meetings", list_meetings, methods=["GET"]),
    Route("/api/meetings", create_meeting, methods=["POST"]),
    Route("/api/meetings/{meeting_id:int}", get_meeting, methods=["GET"]),
    Route("/api/meetings/{meeting_id:int}/events", list_events, methods=["GET"]),
    Route("/api/meetings/{meeting_id:int}/audit", audit_meeting, methods=["GET"]),
    Route("/api/meetings/{meeting_id:int}/plan", admin_meeting, methods=["GET"]),
    Route("/api/meetings/{meeting_id:int}", edit_meeting, methods=["PATCH"]),
    Route("/api/meetings/{meeting_id:int}/cancel", cancel_meeting, methods=["POST"]),
    Route("/api/meetings/{meeting_id:int}/roster", put_roster, methods=["PUT"]),
    Route("/api/meetings/{meeting_id:int}/publish", publish_meeting, methods=["POST"]),
    Route("/api/meetings/{meeting_id:int}/agenda-items", add_agenda_item, methods=["POST"]),
    Route("/api/people", people_directory, methods=["GET"]),
]
