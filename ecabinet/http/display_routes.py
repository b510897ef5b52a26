"""The room display (projector): chair-issued links, the display's sign-in, and the
presented document.

``POST /api/meetings/{id}/display-links`` (chair or clerk) answers a new link's token once;
``GET`` lists the live links; ``DELETE`` revokes every link of the meeting and closes their
sockets at once. The display's page trades the token for an HttpOnly cookie
(``POST /api/display/session``) and removes it from its address; with that cookie its
socket joins the meeting read-only (``ecabinet.meetings.display_links``) and it may read the
document being presented, and nothing else over HTTP.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ecabinet.errors import Conflict, Invalid, NotAllowed, NotFound, Unauthenticated
from ecabinet.http.common import check_origin, current_user, path_id, read_json
from ecabinet.meetings import display_links
from ecabinet.meetings.display_links import DISPLAY_COOKIE, LINK_HOURS_DEFAULT, LINK_HOURS_MAX
from ecabinet.meetings.rules import Role
from ecabinet.store.schema import meetings

ISSUERS = frozenset({Role.CHAIR, Role.CLERK})
NOSNIFF = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}


async def _issuer(request: Request) -> tuple[int, int]:
    """(meeting id, user id) of a chair or clerk of the path's meeting."""
    user = await current_user(request)
    meeting_id = path_id(request, "meeting_id")
    role = await request.app.state.meetings.admit(user.user_id, meeting_id)
    if role not in ISSUERS:
        raise NotAllowed("only the chair or the clerk manages display links")
    return meeting_id, user.user_id


def _hours(body: dict[str, Any]) -> int:
    extra = set(body) - {"hours"}
    if extra:
        raise Invalid(f"unknown fields: {', '.join(sorted(extra))}")
    hours = body.get("hours", LINK_HOURS_DEFAULT)
    if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= LINK_HOURS_MAX:
        raise Invalid(f"hours must be a whole number from 1 to {LINK_HOURS_MAX}")
    return hours


async def issue(request: Request) -> Response:
    meeting_id, user_id = await _issuer(request)
    hours = _hours(await read_json(request))
    now = request.app.state.clock()
    settings = request.app.state.settings
    async with request.app.state.db.write() as conn:
        status = await conn.scalar(select(meetings.c.status).where(meetings.c.id == meeting_id))
        if status in display_links.CLOSED_STATUSES:
            raise Conflict(f"the meeting is {status}")
        token, link = await display_links.issue(
            conn, settings.secret_key, meeting_id, user_id, now, hours
        )
    path = f"/#/display/{meeting_id}?key={token}"
    return JSONResponse({"link": link, "token": token, "path": path}, status_code=201)


async def list_links(request: Request) -> Response:
    meeting_id, _user_id = await _issuer(request)
    async with request.app.state.db.read() as conn:
        links = await display_links.active(conn, meeting_id, request.app.state.clock())
    return JSONResponse({"links": links})


async def revoke(request: Request) -> Response:
    meeting_id, _user_id = await _issuer(request)
    check_origin(request)
    async with request.app.state.db.write() as conn:
        keys = await display_links.revoke_all(conn, meeting_id, request.app.state.clock())
    await request.app.state.auth.on_sessions_ended(keys)  # their sockets close now
    return JSONResponse({"revoked": len(keys)})


async def open_session(request: Request) -> Response:
    body = await read_json(request)
    token = body.get("token")
    if set(body) != {"token"} or not isinstance(token, str) or not 1 <= len(token) <= 200:
        raise Invalid("send {token}: the key of a display link")
    link = await request.app.state.displays.link(token)
    if link is None:
        raise Unauthenticated("this display link is revoked, expired or unknown")
    response = JSONResponse({"display": {"meeting_id": link.meeting_id}})
    response.set_cookie(
        DISPLAY_COOKIE,
        token,
        max_age=max(1, int(link.expires_at - request.app.state.clock())),
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
    )
    return response


async def presented_file(request: Request) -> Response:
    """The document being presented in the display's meeting (any other: ``not-found``)."""
    link = await request.app.state.displays.link(request.cookies.get(DISPLAY_COOKIE))
    if link is None:
        raise Unauthenticated("open a display link first")
    document_id = path_id(request, "document_id")
    state = await request.app.state.meetings.current_state(link.meeting_id)
    view = state.presenting.view
    document = state.documents.documents.get(document_id)
    if view is None or view.document_id != document_id or document is None:
        raise NotFound("no such document")
    disposition = f"inline; filename*=UTF-8''{quote(document.filename)}"
    return FileResponse(
        request.app.state.blobs.path(document.sha256),
        media_type="application/pdf",
        headers={**NOSNIFF, "Content-Disposition": disposition},
    )


M = "/api/meetings/{meeting_id:int}"
routes = [
    Route(M + "/display-links", issue, methods=["POST"]),
    Route(M + "/display-links", list_links, methods=["GET"]),
    Route(M + "/display-links", revoke, methods=["DELETE"]),
    Route("/api/display/session", open_session, methods=["POST"]),
    Route("/api/display/documents/{document_id:int}/file", presented_file, methods=["GET"]),
]
