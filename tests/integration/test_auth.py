"""Sign-in, sessions and the socket handshake against a real server."""

from __future__ import annotations

import asyncio
import secrets
import time

import httpx
import pytest
import socketio

from harness.client import COOKIE, RoomClient, api, connect, login
from harness.server import DEMO_PASSWORD
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio


async def _new_user(running: Running, admin_token: str, password: str = "mật khẩu đủ dài") -> str:
    name = f"u{secrets.token_hex(4)}"
    async with api(running.url, admin_token) as http:
        created = await http.post(
            "/api/users",
            json={"username": name, "display_name": "Lý Thị Kiểm Thử", "password": password},
        )
        assert created.status_code == 201, created.text
    return name


async def test_login_sets_an_httponly_samesite_cookie_and_me_answers(running: Running) -> None:
    async with httpx.AsyncClient(base_url=running.url) as http:
        response = await http.post(
            "/api/login", json={"username": "Member1", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200
        assert response.json()["user"]["display_name"] == "Lê Quang Đức"
        cookie_header = response.headers["set-cookie"].lower()
        assert (
            "httponly" in cookie_header
            and "samesite=lax" in cookie_header
            and "path=/" in cookie_header
        )
        me = await http.get("/api/me")
        assert me.json()["user"]["username"] == "member1"


async def test_unknown_user_and_wrong_password_get_the_same_answer(running: Running) -> None:
    async with httpx.AsyncClient(base_url=running.url) as http:
        wrong = await http.post(
            "/api/login", json={"username": "member2", "password": "sai mật khẩu"}
        )
        unknown = await http.post(
            "/api/login", json={"username": "khongco", "password": "sai mật khẩu"}
        )
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {"error": {"code": "invalid-credentials", "message": "wrong user name or password"}}
    )
    assert COOKIE not in wrong.cookies and COOKIE not in unknown.cookies


async def test_sixth_failure_for_one_user_is_throttled_even_with_the_right_password(
    running: Running, admin_token: str
) -> None:
    name = await _new_user(running, admin_token)
    async with httpx.AsyncClient(base_url=running.url) as http:
        codes = [
            (
                await http.post("/api/login", json={"username": name, "password": "wrong-password"})
            ).status_code
            for _ in range(5)
        ]
        throttled = await http.post(
            "/api/login", json={"username": name, "password": "mật khẩu đủ dài"}
        )
    assert codes == [401] * 5
    assert throttled.status_code == 429 and throttled.json()["error"]["code"] == "rate-limited"


async def test_malformed_login_bodies_are_invalid(running: Running) -> None:
    async with httpx.AsyncClient(base_url=running.url) as http:
        not_json = await http.post(
            "/api/login", content=b"{", headers={"content-type": "application/json"}
        )
        form = await http.post("/api/login", data={"username": "a", "password": "b"})
        missing = await http.post("/api/login", json={"username": "member1"})
        huge = await http.post("/api/login", json={"username": "a", "password": "x" * 70_000})
    assert [r.status_code for r in (not_json, form, missing, huge)] == [400, 400, 400, 413]
    assert huge.json()["error"]["code"] == "too-large"


async def test_login_rotates_the_session_and_logout_ends_it(running: Running) -> None:
    first = await login(running.url, "member3")
    async with api(running.url, first) as http:
        relogin = await http.post(
            "/api/login", json={"username": "member3", "password": DEMO_PASSWORD}
        )
        second = relogin.cookies[COOKIE]
    assert second != first
    async with api(running.url, first) as http:
        assert (await http.get("/api/me")).status_code == 401
    async with api(running.url, second) as http:
        assert (await http.get("/api/me")).status_code == 200
        assert (await http.post("/api/logout")).status_code == 204
        assert (await http.get("/api/me")).status_code == 401
    async with api(running.url, second) as http:
        replayed = await http.get("/api/meetings")
    assert replayed.status_code == 401 and replayed.json()["error"]["code"] == "unauthenticated"


async def test_socket_without_session_is_refused(running: Running) -> None:
    client = RoomClient()
    try:
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(running.url, None)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(running.url, "forged-token")
    finally:
        await client.close()


async def test_foreign_origin_with_a_valid_cookie_is_refused_over_websocket(
    running: Running,
) -> None:
    token = await login(running.url, "member4")
    client = RoomClient()
    refusals: list[object] = []
    client.sio.on("connect_error", refusals.append)
    try:
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(running.url, token, origin="https://evil.example")
        # The client is told why (not a bare 403 it could take for a network failure).
        refusal = {"code": "not-allowed", "message": "this origin may not connect"}
        assert refusals == [{"message": refusal["message"], "data": refusal}]
        await client.connect(running.url, token)
        assert client.sio.connected
    finally:
        await client.close()


async def _polling_connect(url: str, token: str, origin: str) -> tuple[int, str]:
    """The Engine.IO polling handshake and the Socket.IO CONNECT, spoken over plain HTTP:
    returns (handshake status, the server's answer to CONNECT)."""
    headers = {"Origin": origin, "Cookie": f"{COOKIE}={token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10) as http:
        opened = await http.get("/socket.io/", params={"EIO": "4", "transport": "polling"})
        if opened.status_code != 200:
            return opened.status_code, ""
        sid = opened.text.split('"sid":"', 1)[1].split('"', 1)[0]
        params = {"EIO": "4", "transport": "polling", "sid": sid}
        await http.post("/socket.io/", params=params, content=b"40")
        answer = await http.get("/socket.io/", params=params)
        return opened.status_code, answer.text


async def test_foreign_origin_with_a_valid_cookie_is_refused_over_polling(running: Running) -> None:
    token = await login(running.url, "member4")
    status, _ = await _polling_connect(running.url, token, "https://evil.example")
    assert status == 400
    status, answer = await _polling_connect(running.url, token, running.url)
    assert status == 200 and answer.startswith("40{")


async def test_logout_closes_that_sessions_sockets_within_one_second(
    running: Running, meeting: int
) -> None:
    token = await login(running.url, "member5")
    tablet = await RoomClient().connect(running.url, token)
    laptop = await connect(running.url, "member5", device="laptop")  # another session stays
    closed = asyncio.Event()
    tablet.sio.on("disconnect", lambda *_: closed.set())
    assert (await tablet.join(meeting))["ok"]
    started = time.monotonic()
    async with api(running.url, token) as http:
        assert (await http.post("/api/logout")).status_code == 204
    await asyncio.wait_for(closed.wait(), timeout=1.0)
    assert time.monotonic() - started < 1.0
    assert laptop.sio.connected
    await laptop.close()
    await tablet.close()


async def test_deactivation_closes_sockets_and_refuses_the_old_cookie(
    running: Running, admin_token: str, meeting: int
) -> None:
    name = await _new_user(running, admin_token)
    token = await login(running.url, name, "mật khẩu đủ dài")
    client = await RoomClient().connect(running.url, token)
    closed = asyncio.Event()
    client.sio.on("disconnect", lambda *_: closed.set())
    async with api(running.url, admin_token) as http:
        users = (await http.get("/api/users")).json()["users"]
        user_id = next(u["id"] for u in users if u["username"] == name)
        assert (
            await http.put(f"/api/users/{user_id}/active", json={"active": False})
        ).status_code == 204
    await asyncio.wait_for(closed.wait(), timeout=1.0)
    await client.close()
    async with api(running.url, token) as http:
        assert (await http.get("/api/me")).status_code == 401
    async with httpx.AsyncClient(base_url=running.url) as http:
        again = await http.post(
            "/api/login", json={"username": name, "password": "mật khẩu đủ dài"}
        )
    assert again.status_code == 401


async def test_password_change_ends_every_session_of_the_user(
    running: Running, admin_token: str
) -> None:
    name = await _new_user(running, admin_token)
    one = await login(running.url, name, "mật khẩu đủ dài")
    two = await login(running.url, name, "mật khẩu đủ dài")
    async with api(running.url, one) as http:
        wrong = await http.post(
            "/api/me/password",
            json={"current_password": "không đúng", "new_password": "mật khẩu mới dài"},
        )
        assert wrong.status_code == 401
        changed = await http.post(
            "/api/me/password",
            json={"current_password": "mật khẩu đủ dài", "new_password": "mật khẩu mới dài"},
        )
        assert changed.status_code == 204
    for token in (one, two):
        async with api(running.url, token) as http:
            assert (await http.get("/api/me")).status_code == 401
    assert await login(running.url, name, "mật khẩu mới dài")


async def test_admin_lists_and_ends_a_users_sessions(running: Running, admin_token: str) -> None:
    name = await _new_user(running, admin_token)
    token = await login(running.url, name, "mật khẩu đủ dài")
    async with api(running.url, admin_token) as http:
        users = (await http.get("/api/users")).json()["users"]
        user_id = next(u["id"] for u in users if u["username"] == name)
        listed = (await http.get(f"/api/users/{user_id}/sessions")).json()["sessions"]
        assert len(listed) == 1
        assert (await http.delete(f"/api/users/{user_id}/sessions")).json() == {"ended": 1}
    async with api(running.url, token) as http:
        assert (await http.get("/api/me")).status_code == 401
        assert (await http.get("/api/users")).status_code == 401


async def test_admin_endpoints_refuse_members(running: Running) -> None:
    token = await login(running.url, "member6")
    async with api(running.url, token) as http:
        assert (await http.get("/api/users")).json()["error"]["code"] == "not-allowed"
        created = await http.post(
            "/api/users", json={"username": "x1", "display_name": "X", "password": "12345678"}
        )
        assert created.status_code == 403


async def test_cross_site_post_with_the_cookie_is_refused(running: Running) -> None:
    token = await login(running.url, "member7")
    async with api(running.url, token) as http:
        response = await http.post("/api/logout", headers={"Origin": "https://evil.example"})
        assert response.status_code == 403
        assert (await http.get("/api/me")).status_code == 200


async def test_a_command_on_a_socket_whose_session_ended_unseen_is_refused(
    running: Running, meeting: int
) -> None:
    """If the signal that closes a session's sockets is lost (Redis down), the next command
    still finds the session gone: refused, and the socket is closed."""
    from sqlalchemy import delete

    from ecabinet.auth.sessions import session_key
    from ecabinet.config import load_settings
    from ecabinet.store.database import Database
    from ecabinet.store.schema import sessions

    token = await login(running.url, "member8")
    client = await RoomClient().connect(running.url, token)
    closed = asyncio.Event()
    client.sio.on("disconnect", lambda *_: closed.set())
    try:
        assert (await client.join(meeting))["ok"]
        secret = load_settings(running.env).secret_key
        db = Database(running.env["ECABINET_DATABASE_URL"])
        try:
            async with db.write() as conn:
                await conn.execute(
                    delete(sessions).where(sessions.c.token_hash == session_key(secret, token))
                )
        finally:
            await db.dispose()
        ack = await client.cmd("attendance.check_in")
        assert ack["error"]["code"] == "unauthenticated"
        await asyncio.wait_for(closed.wait(), timeout=5)
    finally:
        await client.close()
