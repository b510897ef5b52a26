"""Sign-in, sign-out, the current user, password change."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ecabinet.auth.sessions import SESSION_COOKIE, SessionUser
from ecabinet.http.common import check_origin, client_address, current_user, field, read_json


async def login(request: Request) -> Response:
    body = await read_json(request)
    username = field(body, "username", str)
    password = field(body, "password", str)
    token, user = await request.app.state.auth.login(
        username,
        password,
        client_address(request),
        request.headers.get("user-agent", ""),
        old_token=request.cookies.get(SESSION_COOKIE),
    )
    response = JSONResponse({"user": _user_wire(user)})
    settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_max_secs,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    return response


async def logout(request: Request) -> Response:
    check_origin(request)
    user = await current_user(request)
    await request.app.state.auth.logout(user.session_key)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def me(request: Request) -> Response:
    user = await current_user(request)
    return JSONResponse({"user": _user_wire(user)})


async def change_password(request: Request) -> Response:
    user = await current_user(request)
    body = await read_json(request)
    await request.app.state.auth.change_password(
        user.user_id,
        field(body, "current_password", str),
        field(body, "new_password", str),
        client_address(request),
    )
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _user_wire(user: SessionUser) -> dict[str, object]:
    return {
        "id": user.user_id,
        "username": user.username,
        "display_name": user.display_name,
        "is_admin": user.is_admin,
    }


routes = [
    Route("/api/login", login, methods=["POST"]),
    Route("/api/logout", logout, methods=["POST"]),
    Route("/api/me", me, methods=["GET"]),
    Route("/api/me/password", change_password, methods=["POST"]),
]
