"""Administration: users, their sessions, committees."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ecabinet.auth import sessions, users
from ecabinet.errors import Invalid, NotFound
from ecabinet.http.common import (
    ID_MAX,
    check_origin,
    field,
    path_id,
    read_json,
    require_admin,
)
from ecabinet.meetings import committees, repo

COMMITTEE_MAX_MEMBERS = 1000  # people on one committee's list


async def list_users(request: Request) -> Response:
    await require_admin(request)
    async with request.app.state.db.read() as conn:
        return JSONResponse({"users": await users.list_all(conn)})


async def create_user(request: Request) -> Response:
    await require_admin(request)
    body = await read_json(request)
    user = await request.app.state.auth.create_user(
        field(body, "username", str),
        field(body, "display_name", str),
        field(body, "password", str),
        field(body, "is_admin", bool, required=False, default=False),
    )
    return JSONResponse({"user": user}, status_code=201)


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
    Route("/api/users/{user_id:int}/active", set_active, methods=["PUT"]),
    Route("/api/users/{user_id:int}/sessions", list_sessions, methods=["GET"]),
    Route("/api/users/{user_id:int}/sessions", end_sessions, methods=["DELETE"]),
    Route("/api/committees", list_committees, methods=["GET"]),
    Route("/api/committees", create_committee, methods=["POST"]),
    Route("/api/committees/{committee_id:int}/rules", set_committee_rules, methods=["PUT"]),
]
