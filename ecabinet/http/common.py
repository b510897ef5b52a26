"""Helpers every endpoint uses: the current user, bounded JSON bodies, error responses."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ecabinet.auth.sessions import SESSION_COOKIE, SessionUser
from ecabinet.canonical import nfc
from ecabinet.errors import (
    Busy,
    ECabinetError,
    Invalid,
    NotAllowed,
    NotFound,
    RateLimited,
    TooLarge,
    Unauthenticated,
)
from realtime.forwarded import TrustedProxies
from realtime.payload import WHOLE_NUMBER_MAX

JSON_BODY_MAX_BYTES = 64 * 1024
ID_MAX = WHOLE_NUMBER_MAX  # ids are 32-bit in both databases: a larger one names nothing
JSON_INT_MAX = 2**53  # larger whole numbers in a body are refused (they overflow columns)


def error_response(exc: ECabinetError) -> JSONResponse:
    headers = None
    if isinstance(exc, RateLimited | Busy) and exc.retry_after_secs is not None:
        headers = {"Retry-After": str(exc.retry_after_secs)}
    return JSONResponse({"error": exc.to_wire()}, status_code=exc.http_status, headers=headers)


async def handle_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ECabinetError)
    return error_response(exc)


async def handle_failure(_request: Request, _exc: Exception) -> JSONResponse:
    """An unexpected exception: the documented ``internal`` error, and the connection closes.

    Starlette re-raises the exception after this answer and uvicorn then drops the
    connection; ``Connection: close`` tells the client so, instead of letting it reuse a
    connection that is about to vanish (its next request would fail with a read error).
    """
    return JSONResponse(
        {"error": ECabinetError("the server failed").to_wire()},
        status_code=500,
        headers={"Connection": "close"},
    )


async def current_user(request: Request) -> SessionUser:
    user = await request.app.state.auth.resolve(request.cookies.get(SESSION_COOKIE))
    if user is None:
        raise Unauthenticated("sign in first")
    return user  # type: ignore[no-any-return]


async def require_admin(request: Request) -> SessionUser:
    user = await current_user(request)
    if not user.is_admin:
        raise NotAllowed("administrators only")
    return user


def check_origin(request: Request) -> None:
    """Refuse a state-changing request that a foreign page sent with our cookie."""
    if not request.app.state.origin_policy.allows_scope(
        request.headers.get("origin"), request.scope
    ):
        raise NotAllowed("this origin may not call the API")


async def read_json(request: Request) -> dict[str, Any]:
    """The request body as a JSON object (NFC-normalized), at most JSON_BODY_MAX_BYTES."""
    check_origin(request)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise Invalid("send Content-Type: application/json")
    declared = request.headers.get("content-length")
    if declared is not None and is_number(declared) and int(declared) > JSON_BODY_MAX_BYTES:
        raise TooLarge(f"bodies may have at most {JSON_BODY_MAX_BYTES} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > JSON_BODY_MAX_BYTES:
            raise TooLarge(f"bodies may have at most {JSON_BODY_MAX_BYTES} bytes")
    try:
        value = json.loads(body, parse_int=_bounded_int)
    except ValueError as exc:
        raise Invalid("the body is not valid JSON") from exc
    if not isinstance(value, dict):
        raise Invalid("the body must be a JSON object")
    if has_nul(value):
        raise Invalid("texts may not contain the NUL character")
    return nfc(value)  # type: ignore[no-any-return]


def has_nul(value: Any) -> bool:
    """Whether a text anywhere in ``value`` holds U+0000, which PostgreSQL cannot store."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


def is_number(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also says yes to "²" and "٣", which ``int`` refuses
    or reads as another number."""
    return text.isascii() and text.isdigit()


def _bounded_int(text: str) -> int:
    value = int(text)
    if abs(value) > JSON_INT_MAX:
        raise Invalid(f"whole numbers in the body are at most {JSON_INT_MAX} in size")
    return value


def field(
    body: dict[str, Any], name: str, kind: type, *, required: bool = True, default: Any = None
) -> Any:
    value = body.get(name, default)
    if value is None and not required:
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Invalid(f"{name} must be a {kind.__name__}")
    return value


def path_id(request: Request, name: str) -> int:
    raw = request.path_params[name]
    if not isinstance(raw, int):
        raise Invalid(f"{name} must be a whole number")
    if raw > ID_MAX:
        raise NotFound(f"no such {name.removesuffix('_id')}")
    return raw


def client_address(request: Request) -> str:
    """The client's address: the connection's peer, or, when the peer is a proxy listed in
    ECABINET_TRUSTED_PROXIES, the address it forwarded (``realtime.forwarded``)."""
    proxies: TrustedProxies = request.app.state.trusted_proxies
    return proxies.client(request.scope).address
