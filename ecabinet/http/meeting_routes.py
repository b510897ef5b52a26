"""Meetings as the signed-in user sees them, and meeting creation by an administrator."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ecabinet.annotations import rules as annotation_rules
from ecabinet.checkpoints import audit
from ecabinet.checkpoints.anchor import Anchor
from ecabinet.errors import Invalid, NotFound
from ecabinet.http.common import (
    ID_MAX,
    current_user,
    field,
    is_number,
    path_id,
    read_json,
    require_admin,
)
from ecabinet.meetings import repo
from ecabinet.meetings.rules import Role
from ecabinet.store import eventlog

TITLE_MAX_CHARS = 300


async def list_meetings(request: Request) -> Response:
    user = await current_user(request)
    async with request.app.state.db.read() as conn:
        items = await repo.list_visible(conn, user.user_id)
    return JSONResponse({"meetings": items})


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
    await require_admin(request)
    body = await read_json(request)
    committee_id = field(body, "committee_id", int)
    title = field(body, "title", str).strip()
    if not 1 <= len(title) <= TITLE_MAX_CHARS:
        raise Invalid(f"the title must have 1–{TITLE_MAX_CHARS} characters")
    location = field(body, "location", str, required=False, default="").strip()[:TITLE_MAX_CHARS]
    scheduled_at = field(body, "scheduled_at", str)[:32]
    roster = _parse_roster(field(body, "roster", list))
    async with request.app.state.db.write() as conn:
        if not any(c["id"] == committee_id for c in await repo.list_committees(conn)):
            raise NotFound("no such committee")
        missing = await repo.missing_users(conn, list(roster))
        if missing:
            raise NotFound(f"no such user: {', '.join(map(str, missing))}")
        meeting_id = await repo.create_meeting(
            conn, committee_id, title, location, scheduled_at, roster, request.app.state.clock()
        )
        meeting = await repo.get_meeting(conn, meeting_id)
    return JSONResponse({"meeting": meeting}, status_code=201)


def _parse_roster(raw: list[object]) -> dict[int, Role]:
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
        roster[user_id] = Role(str(role))
    if list(roster.values()).count(Role.CHAIR) != 1:
        raise Invalid("a meeting has exactly one chair")
    return roster


routes = [
    Route("/api/meetings", list_meetings, methods=["GET"]),
    Route("/api/meetings", create_meeting, methods=["POST"]),
    Route("/api/meetings/{meeting_id:int}", get_meeting, methods=["GET"]),
    Route("/api/meetings/{meeting_id:int}/events", list_events, methods=["GET"]),
    Route("/api/meetings/{meeting_id:int}/audit", audit_meeting, methods=["GET"]),
]
