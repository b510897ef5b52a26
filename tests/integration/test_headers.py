"""Security headers on every kind of response, and no session from a database copy."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from ecabinet.store.database import Database
from ecabinet.store.schema import sessions
from harness.client import COOKIE, api, login
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("path", ["/", "/static/js/app.js", "/api/me", "/healthz", "/api/nowhere"])
async def test_every_response_carries_the_security_headers(running: Running, path: str) -> None:
    async with httpx.AsyncClient(base_url=running.url) as http:
        response = await http.get(path)
    csp = response.headers["content-security-policy"]
    assert (
        "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp and "unsafe-inline" not in csp
    )
    assert "script-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"


async def test_a_copy_of_the_sessions_table_opens_no_session(running: Running) -> None:
    token = await login(running.url, "member1")
    db = Database(running.env["ECABINET_DATABASE_URL"])
    try:
        async with db.read() as conn:
            stored = list((await conn.execute(select(sessions.c.token_hash))).scalars())
    finally:
        await db.dispose()
    assert token not in stored
    for value in stored[-5:]:
        async with api(running.url, value) as http:
            assert (await http.get("/api/me")).status_code == 401
    async with httpx.AsyncClient(base_url=running.url, cookies={COOKIE: token}) as http:
        assert (await http.get("/api/me")).status_code == 200
