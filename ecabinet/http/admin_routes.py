"""Administration: people (users), their sessions, committees."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ecabinet.auth import people, people_import, sessions, users
from ecabinet.errors import Invalid, NotFound, TooLarge
from ecabinet.http.common import (
    ID_MAX,
    check_origin,
    field,
    is_number,
    path_id,
    read_json,
    require_admin,
)
from ecabinet.meetings import committees, repo

COMMITTEE_MAX_MEMBERS = 1000  # people on one committee's list
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
    await require_admin(request)
    body = await read_json(request)
    await request.app.state.auth.set_active(
        path_id(request, "user_id"), field(body, "active", bool)
    )
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


async def list_committees(request: Request) -> Response:
    await require_admin(request)
    async with request.app.state.db.read() as conn:
        return JSONResponse({"committees": await repo.list_committees(conn)})


async def create_committee(request: Request) -> Response:
    await require_admin(request)
    body = await read_json(request)
    name = field(body, "name", str).strip()
    if not 1 <= len(name) <= 300:
        raise Invalid("the name must have 1–300 characters")
    member_ids = field(body, "member_ids", list, required=False, default=[])
    if not all(isinstance(m, int) and not isinstance(m, bool) for m in member_ids):
        raise Invalid("member_ids must be whole numbers")
    if len(member_ids) > COMMITTEE_MAX_MEMBERS or len(set(member_ids)) != len(member_ids):
        raise Invalid(f"member_ids must name at most {COMMITTEE_MAX_MEMBERS} people, each once")
    if not all(1 <= m <= ID_MAX for m in member_ids):
        raise NotFound("no such user")  # ids beyond the database's integers name nobody
    raw_kind = body.get("kind")
    kind, quorum = committees.parse("other" if raw_kind is None else raw_kind, body.get("quorum"))
    async with request.app.state.db.write() as conn:
        missing = await repo.missing_users(conn, member_ids)
        if missing:
            raise NotFound(f"no such user: {', '.join(map(str, missing))}")
        committee_id = await repo.create_committee(
            conn, name, member_ids, request.app.state.clock(), kind, quorum
        )
        committee = await committees.get(conn, committee_id)
    return JSONResponse({"committee": committee}, status_code=201)


async def set_committee_rules(request: Request) -> Response:
    """``{kind, quorum?}``: the committee's kind and its quorum setting (absent or null: the
    kind's default). Polls defined afterwards get these rules; existing ones keep theirs."""
    await require_admin(request)
    committee_id = path_id(request, "committee_id")
    body = await read_json(request)
    unknown = set(body) - {"kind", "quorum"}
    if unknown:
        raise Invalid(f"unknown fields: {', '.join(sorted(unknown))}")
    kind, quorum = committees.parse(field(body, "kind", str), body.get("quorum"))
    async with request.app.state.db.write() as conn:
        committee = await committees.save(conn, committee_id, kind, quorum)
    return JSONResponse({"committee": committee})


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
    Route("/api/committees/{committee_id:int}/rules", set_committee_rules, methods=["PUT"]),
]
