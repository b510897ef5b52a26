"""Administration: people (users), their sessions, committees and their minutes profiles."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ecabinet.auth import people, people_import, sessions, users
from ecabinet.auth.sessions import SessionUser
from ecabinet.canonical import nfc
from ecabinet.errors import Conflict, Invalid, NotAllowed, NotFound, TooLarge
from ecabinet.http.common import (
    ID_MAX,
    check_origin,
    current_user,
    field,
    has_nul,
    is_number,
    path_id,
    read_json,
    require_admin,
)
from ecabinet.meetings import committees, repo
from ecabinet.minutes import profile, render

# Answers that carry a generated password: no cache may keep a copy.
NO_STORE = {"Cache-Control": "no-store"}


async def list_users(request: Request) -> Response:
    await require_admin(request)
    async with request.app.state.db.read() as conn:
        return JSONResponse({"users": await users.list_all(conn)})


async def create_user(request: Request) -> Response:
    """``{username, display_name, password?, is_admin?, title?, unit?}``; without a
    password the server generates one and answers it once (``password``)."""
    await require_admin(request)
    body = await read_json(request)
    user, generated = await people.create(
        request.app.state.db,
        request.app.state.clock(),
        field(body, "username", str),
        field(body, "display_name", str),
        field(body, "password", str, required=False),
        field(body, "is_admin", bool, required=False, default=False),
        field(body, "title", str, required=False, default=""),
        field(body, "unit", str, required=False, default=""),
    )
    answer = {"user": user} if generated is None else {"user": user, "password": generated}
    return JSONResponse(answer, status_code=201, headers=NO_STORE)


async def edit_user(request: Request) -> Response:
    """``{display_name?, title?, unit?}``: the person's details (the user name stays)."""
    await require_admin(request)
    user_id = path_id(request, "user_id")
    body = await read_json(request)
    user = await people.edit(request.app.state.db, user_id, body)
    return JSONResponse({"user": user})


async def reset_password(request: Request) -> Response:
    """``{}``: a new generated password, answered once; every session of the user ends."""
    admin = await require_admin(request)
    user_id = path_id(request, "user_id")
    body = await read_json(request)
    if body:
        raise Invalid(f"unknown fields: {', '.join(sorted(body))}")
    password, ended = await people.reset_password(
        request.app.state.db, request.app.state.auth.on_sessions_ended, user_id, admin.user_id
    )
    return JSONResponse({"password": password, "ended": ended}, headers=NO_STORE)


async def _csv_body(request: Request) -> tuple[bytes, str]:
    """The CSV bytes (at most ``CSV_MAX_BYTES``) and the ``encoding`` query parameter."""
    check_origin(request)
    if request.headers.get("content-type", "").split(";")[0].strip() != "text/csv":
        raise Invalid("send the file with Content-Type: text/csv")
    declared = request.headers.get("content-length")
    limit = people_import.CSV_MAX_BYTES
    if declared is not None and is_number(declared) and int(declared) > limit:
        raise TooLarge(f"the file may have at most {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise TooLarge(f"the file may have at most {limit} bytes")
    return bytes(body), request.query_params.get("encoding", "auto")


async def preview_import(request: Request) -> Response:
    """The CSV checked row by row; nothing is saved."""
    await require_admin(request)
    data, encoding = await _csv_body(request)
    parsed = await people.preview(request.app.state.db, data, encoding)
    return JSONResponse(parsed.to_wire())


async def import_users(request: Request) -> Response:
    """Everyone on the CSV, in one transaction, with generated passwords (answered once)."""
    await require_admin(request)
    data, encoding = await _csv_body(request)
    parsed, created = await people.import_people(
        request.app.state.db, request.app.state.clock(), data, encoding
    )
    return JSONResponse(
        {"encoding": parsed.encoding, "users": created}, status_code=201, headers=NO_STORE
    )


async def set_active(request: Request) -> Response:
    """``{active}``. An administrator never deactivates their own account: the
    installation could be left with nobody to run it."""
    admin = await require_admin(request)
    body = await read_json(request)
    user_id, active = path_id(request, "user_id"), field(body, "active", bool)
    if user_id == admin.user_id and not active:
        raise Conflict("you cannot deactivate your own account")
    await request.app.state.auth.set_active(user_id, active)
    return Response(status_code=204)


async def list_sessions(request: Request) -> Response:
    await require_admin(request)
    user_id = path_id(request, "user_id")
    async with request.app.state.db.read() as conn:
        if await users.find_by_id(conn, user_id) is None:
            raise NotFound("no such user")
        return JSONResponse({"sessions": await sessions.list_for_user(conn, user_id)})


async def end_sessions(request: Request) -> Response:
    check_origin(request)
    await require_admin(request)
    ended = await request.app.state.auth.end_user_sessions(path_id(request, "user_id"))
    return JSONResponse({"ended": ended})


# --- committees (docs/protocol.md, "Committees in the back office") ----------------------

COMMITTEE_FIELDS = frozenset({"name", "kind", "quorum", "member_ids", "profile"})
# The query of the profile preview: the header's texts, and the committee's name and kind
# (a new committee has neither an id nor a row yet).
PREVIEW_PARAMS = frozenset({"name", "kind", *profile.HEADER_FIELDS})
# The preview is a page of its own, shown in a sandboxed frame of the back office: inline
# styles (the minutes' template), nothing else; framed by this site only.
PREVIEW_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-same-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Cache-Control": "private, no-store",
}


async def _clerk_or_admin(request: Request, committee_id: int | None = None) -> SessionUser:
    """An administrator, or a clerk of ``committee_id`` (of any committee when None):
    ``not-allowed`` for everyone else."""
    user = await current_user(request)
    if user.is_admin:
        return user
    async with request.app.state.db.read() as conn:
        clerk_of = await committees.clerk_of(conn, user.user_id)
    if committee_id in clerk_of or (committee_id is None and clerk_of):
        return user
    raise NotAllowed("administrators and the committee's clerks only")


def _check_fields(body: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(body) - allowed
    if unknown:
        raise Invalid(f"unknown fields: {', '.join(sorted(unknown))}")


def _member_ids(body: dict[str, Any]) -> list[int] | None:
    if body.get("member_ids") is None:
        return None
    member_ids = committees.check_member_ids(body["member_ids"])
    if not all(1 <= m <= ID_MAX for m in member_ids):
        raise NotFound("no such user")  # ids beyond the database's integers name nobody
    return member_ids


def _profile(body: dict[str, Any]) -> profile.MinutesProfile | None:
    raw = body.get("profile")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise Invalid("profile must be an object")
    return profile.parse_profile(raw)


async def _check_users(conn: AsyncConnection, member_ids: list[int] | None) -> None:
    missing = await repo.missing_users(conn, member_ids or [])
    if missing:
        raise NotFound(f"no such user: {', '.join(map(str, missing))}")


async def list_committees(request: Request) -> Response:
    """Administrators: every committee; anyone else: the committees they are a clerk of
    (often none). With ``kinds``, each kind's statutory defaults."""
    user = await current_user(request)
    async with request.app.state.db.read() as conn:
        visible = None if user.is_admin else await committees.clerk_of(conn, user.user_id)
        found = await committees.describe(conn, visible)
    return JSONResponse({"committees": found, "kinds": committees.statutes_wire()})


async def get_committee(request: Request) -> Response:
    committee_id = path_id(request, "committee_id")
    await _clerk_or_admin(request, committee_id)
    async with request.app.state.db.read() as conn:
        return JSONResponse({"committee": await committees.describe_one(conn, committee_id)})


async def create_committee(request: Request) -> Response:
    """``{name, member_ids?, kind?, quorum?, profile?}``: everything in one transaction,
    or nothing (an unknown user, a quorum below the statute, a text too long)."""
    await require_admin(request)
    body = await read_json(request)
    _check_fields(body, COMMITTEE_FIELDS)
    name = committees.check_name(body.get("name"))
    member_ids = _member_ids(body) or []
    raw_kind = body.get("kind")
    kind, quorum = committees.parse("other" if raw_kind is None else raw_kind, body.get("quorum"))
    minutes = _profile(body)
    async with request.app.state.db.write() as conn:
        await _check_users(conn, member_ids)
        committee_id = await repo.create_committee(
            conn, name, member_ids, request.app.state.clock(), kind, quorum
        )
        if minutes is not None:
            await profile.save(conn, committee_id, minutes)
        committee = await committees.describe_one(conn, committee_id)
    return JSONResponse({"committee": committee}, status_code=201)


async def edit_committee(request: Request) -> Response:
    """``{name?, kind?, quorum?, member_ids?, profile?}``: what is sent changes, in one
    transaction. ``kind`` and ``quorum`` go together as in ``PUT …/rules``: the one left
    out is the committee's kind, or the kind's default quorum. ``member_ids`` replaces
    the list."""
    await require_admin(request)
    committee_id = path_id(request, "committee_id")
    body = await read_json(request)
    _check_fields(body, COMMITTEE_FIELDS)
    name = committees.check_name(body["name"]) if "name" in body else None
    member_ids = _member_ids(body)
    minutes = _profile(body)
    async with request.app.state.db.write() as conn:
        row = await committees.row_for_update(conn, committee_id)
        if "kind" in body or "quorum" in body:
            kind, quorum = committees.parse(body.get("kind", row.kind), body.get("quorum"))
            await committees.save(conn, committee_id, kind, quorum)
        await _check_users(conn, member_ids)
        if name is not None:
            await committees.set_name(conn, committee_id, name)
        if member_ids is not None:
            await committees.replace_members(conn, committee_id, member_ids)
        if minutes is not None:
            await profile.save(conn, committee_id, minutes)
        committee = await committees.describe_one(conn, committee_id)
    return JSONResponse({"committee": committee})


async def set_committee_rules(request: Request) -> Response:
    """``{kind, quorum?}``: the committee's kind and its quorum setting (absent or null: the
    kind's default). Polls defined afterwards get these rules; existing ones keep theirs."""
    await require_admin(request)
    committee_id = path_id(request, "committee_id")
    body = await read_json(request)
    _check_fields(body, frozenset({"kind", "quorum"}))
    kind, quorum = committees.parse(field(body, "kind", str), body.get("quorum"))
    async with request.app.state.db.write() as conn:
        committee = await committees.save(conn, committee_id, kind, quorum)
    return JSONResponse({"committee": committee})


async def get_profile(request: Request) -> Response:
    """The committee's minutes profile as stored (defaults when none was set)."""
    committee_id = path_id(request, "committee_id")
    await _clerk_or_admin(request, committee_id)
    async with request.app.state.db.read() as conn:
        if not await committees.exists(conn, committee_id):
            raise NotFound("no such committee")
        found = await profile.load(conn, committee_id)
    return JSONResponse({"profile": found.to_wire()})


async def put_profile(request: Request) -> Response:
    """The whole profile (fields left out take their defaults); administrators and the
    committee's clerks."""
    committee_id = path_id(request, "committee_id")
    await _clerk_or_admin(request, committee_id)
    parsed = profile.parse_profile(await read_json(request))
    async with request.app.state.db.write() as conn:
        if not await committees.exists(conn, committee_id):
            raise NotFound("no such committee")
        await profile.save(conn, committee_id, parsed)
    return JSONResponse({"profile": parsed.to_wire()})


def _preview_query(request: Request) -> tuple[str, str, profile.MinutesProfile]:
    """The preview's name, kind and profile, checked as a saved profile is (NFC)."""
    params = request.query_params
    _check_fields(dict(params), PREVIEW_PARAMS)
    repeated = sorted(k for k in set(params.keys()) if len(params.getlist(k)) > 1)
    if repeated:
        raise Invalid(f"repeated parameters: {', '.join(repeated)}")
    texts: dict[str, str] = nfc(dict(params))
    if has_nul(texts):
        raise Invalid("texts may not contain the NUL character")
    name = texts.pop("name", "")
    if len(name.strip()) > committees.NAME_MAX_CHARS:
        raise Invalid(f"the name may have at most {committees.NAME_MAX_CHARS} characters")
    kind = texts.pop("kind", "other")
    committees.parse(kind, None)  # a known kind
    return " ".join(name.split()), kind, profile.parse_profile(texts)


async def preview_profile(request: Request) -> Response:
    """The top of page 1 as the profile in the query would print it (HTML for a frame):
    the back office's live preview, drawn by the minutes' own template; saves nothing."""
    await _clerk_or_admin(request)
    name, kind, draft = _preview_query(request)
    today = datetime.fromtimestamp(request.app.state.clock(), UTC).isoformat()
    record = profile.preview_record(draft, name, kind, today)
    page = await asyncio.to_thread(render.render_profile_preview, record)
    return HTMLResponse(page, headers=PREVIEW_HEADERS)


routes = [
    Route("/api/users", list_users, methods=["GET"]),
    Route("/api/users", create_user, methods=["POST"]),
    Route("/api/users/import/preview", preview_import, methods=["POST"]),
    Route("/api/users/import", import_users, methods=["POST"]),
    Route("/api/users/{user_id:int}", edit_user, methods=["PATCH"]),
    Route("/api/users/{user_id:int}/password-reset", reset_password, methods=["POST"]),
    Route("/api/users/{user_id:int}/active", set_active, methods=["PUT"]),
    Route("/api/users/{user_id:int}/sessions", list_sessions, methods=["GET"]),
    Route("/api/users/{user_id:int}/sessions", end_sessions, methods=["DELETE"]),
    Route("/api/committees", list_committees, methods=["GET"]),
    Route("/api/committees", create_committee, methods=["POST"]),
    Route("/api/committees/minutes-preview", preview_profile, methods=["GET"]),
    Route("/api/committees/{committee_id:int}", get_committee, methods=["GET"]),
    Route("/api/committees/{committee_id:int}", edit_committee, methods=["PATCH"]),
    Route("/api/committees/{committee_id:int}/rules", set_committee_rules, methods=["PUT"]),
    Route("/api/committees/{committee_id:int}/minutes-profile", get_profile, methods=["GET"]),
    Route("/api/committees/{committee_id:int}/minutes-profile", put_profile, methods=["PUT"]),
]
