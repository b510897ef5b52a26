"""The static tablet app, health and readiness."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ecabinet.http import openapi

FRONTEND_DIR = Path(__file__).resolve().parents[2] / "frontend"


async def index(_request: Request) -> Response:
    return FileResponse(FRONTEND_DIR / "index.html", headers={"Cache-Control": "no-cache"})


async def health(_request: Request) -> Response:
    """Liveness: the process answers."""
    return JSONResponse({"ok": True})


async def ready(request: Request) -> Response:
    """Readiness: the database (and Redis, when configured) answer."""
    checks: dict[str, bool] = {}
    try:
        async with request.app.state.db.read() as conn:
            await conn.execute(text("SELECT 1"))
        checks["database"] = True
    except Exception:
        checks["database"] = False
    redis = request.app.state.redis
    if redis is not None:
        try:
            checks["redis"] = bool(await redis.ping())
        except Exception:
            checks["redis"] = False
    ok = all(checks.values())
    return JSONResponse({"ok": ok, "checks": checks}, status_code=200 if ok else 503)


class RevalidatedStaticFiles(StaticFiles):
    """Static files that tablets revalidate on every load (ETag / Last-Modified make that
    cheap), so a deployment's new modules are never mixed with cached old ones."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


routes = [
    Route("/", index, methods=["GET"]),
    Route("/healthz", health, methods=["GET"]),
    Route("/readyz", ready, methods=["GET"]),
    *openapi.routes,
    Mount(
        "/static", RevalidatedStaticFiles(directory=FRONTEND_DIR, check_dir=False), name="static"
    ),
]
