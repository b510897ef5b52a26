"""The room display (projector): a chair-issued link joins read-only, follows the meeting,
never sees a private note or a secret choice, is refused every command, and stops at once
when revoked; an expired link and bad input are refused with documented codes."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import httpx
import pytest
import socketio
from sqlalchemy import update

from ecabinet.http.access import DISPLAY_ROUTES, ROUTES, Outcome
from ecabinet.meetings.commands import COMMANDS
from ecabinet.meetings.display_links import DISPLAY_COOKIE
from ecabinet.store.database import Database
from ecabinet.store.schema import display_links
from harness.client import WAIT_SECS, RoomClient, api, connect, login
from tests import pdfs
from tests.integration.conftest import Running
from tests.integration.test_documents import upload

pytestmark = pytest.mark.asyncio

SECRET_NOTE = "Ghi chú riêng của thành viên: phản đối mục 3"
SOCKET_COMMANDS = sorted(name for name, spec in COMMANDS.items() if not spec.internal)


async def _issue(url: str, token: str, meeting: int, **body: Any) -> httpx.Response:
    async with api(url, token) as http:
        return await http.post(
            f"/api/meetings/{meeting}/display-links", json=body, headers={"Origin": url}
        )


async def _display_token(url: str, meeting: int) -> str:
    answer = await _issue(url, await login(url, "chair"), meeting)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["path"] == f"/#/display/{meeting}?key={body['token']}"
    return str(body["token"])


async def _open_session(url: str, token: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=url) as http:
        return await http.post(
            "/api/display/session", json={"token": token}, headers={"Origin": url}
        )


async def _display(url: str, token: str) -> RoomClient:
    """A display's socket: its cookie is the link's token, as the session route sets it."""
    assert (await _open_session(url, token)).cookies[DISPLAY_COOKIE] == token
    return await _socket(url, token)


async def _socket(url: str, token: str) -> RoomClient:
    client = RoomClient()
    try:
        await client.sio.connect(
            url,
            headers={"Cookie": f"{DISPLAY_COOKIE}={token}", "Origin": url},
            transports=["websocket"],
            auth={"device": "display"},
            wait_timeout=WAIT_SECS,
        )
    except BaseException:
        await client.close()
        raise
    return client


async def test_a_display_joins_read_only_follows_and_every_command_is_not_allowed(
    running: Running, meeting: int
) -> None:
    token = await _display_token(running.url, meeting)
    chair, display = await connect(running.url, "chair"), await _display(running.url, token)
    try:
        assert (await chair.join(meeting))["ok"]
        joined = await display.join(meeting)
        assert joined["ok"] and joined["mode"] == "snapshot"
        assert joined["you"] == {"user_id": -meeting, "role": "display"}
        assert (await chair.cmd("meeting.start"))["ok"]
        await display.wait_for(lambda: any(e["type"] == "meeting.started" for e in display.events))
        for command in SOCKET_COMMANDS:
            ack = await display.cmd(command, {})
            assert ack["error"]["code"] == "not-allowed", (command, ack)
        ephemeral = await display.raw("ephemeral", {"kind": "view", "data": {}})
        assert ephemeral["error"]["code"] == "not-allowed"
        # A replay after reconnecting: the events since its seq, as a tablet gets them.
        again = await display.join(meeting, last_seq=0)
        assert again["ok"] and [e["type"] for e in again["events"]] == ["meeting.started"]
    finally:
        await chair.close()
        await display.close()


async def test_a_display_joins_only_its_own_meeting(
    running: Running, meeting: int, admin_token: str
) -> None:
    from harness.client import new_meeting

    other = await new_meeting(running.url, admin_token, "Phiên họp khác")
    display = await _display(running.url, await _display_token(running.url, meeting))
    try:
        refused = await display.join(other)
        assert refused["error"]["code"] == "not-found"
        assert not any(e.get("meeting_id") == other for e in display.events)
    finally:
        await display.close()


async def test_a_display_never_sees_a_private_note_or_a_secret_choice(
    running: Running, meeting: int
) -> None:
    clerk = await login(running.url, "clerk")
    doc_id = (await upload(running.url, clerk, meeting, pdfs.pages(2))).json()["document"]["id"]
    display = await _display(running.url, await _display_token(running.url, meeting))
    chair, member = await connect(running.url, "chair"), await connect(running.url, "member1")
    observer = await connect(running.url, "observer")
    heard: list[Any] = []
    display.sio.on("*", lambda event, data: heard.append([event, data]))
    try:
        for client in (chair, member, display):
            assert (await client.join(meeting))["ok"]
        assert (await chair.cmd("meeting.start"))["ok"]
        assert (await member.cmd("attendance.check_in"))["ok"]
        note = {
            "document_id": doc_id,
            "page": 1,
            "kind": "note",
            "text": SECRET_NOTE,
            "anchor": [100, 700],
        }
        assert (await member.cmd("annotation.create", note))["ok"]
        poll = {
            "title": "Bầu Trưởng ban",
            "kind": "yes_no_abstain",
            "secret": True,
            "allow_change": False,
            "majority": "simple",
            "quorum": {"kind": "none"},
        }
        assert (await chair.cmd("poll.create", poll))["ok"]
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        assert (await member.cmd("vote.cast", {"poll_id": 1, "choice": "no"}))["ok"]
        await display.wait_for(
            lambda: any(e["type"] == "vote.participated" for e in display.events)
        )
        # The private note arrives redacted (so the display's seq has no gap) …
        types = [e["type"] for e in display.events]
        assert "redacted" in types and "annotation.created" not in types
        seqs = [e["seq"] for e in display.events]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
        # … and it is nowhere, live or in a snapshot; the snapshot is an observer's.
        snapshot = await display.join(meeting)
        assert SECRET_NOTE not in json.dumps([heard, snapshot], ensure_ascii=False)
        observers = await observer.join(meeting)
        assert _without_you(snapshot["snapshot"]["state"]) == _without_you(
            observers["snapshot"]["state"]
        )
        for poll in snapshot["snapshot"]["state"]["voting"]["polls"]:
            assert poll["you"]["voted_for"] == [] and poll["you"].get("choice") is None
    finally:
        for client in (chair, member, display, observer):
            await client.close()


def _without_you(value: Any) -> Any:
    """The state without any poll's ``you`` block (the one part that is per viewer)."""
    if isinstance(value, dict):
        return {k: _without_you(v) for k, v in value.items() if k != "you"}
    if isinstance(value, list):
        return [_without_you(v) for v in value]
    return value


async def test_the_display_reads_the_presented_document_and_no_other(
    running: Running, meeting: int
) -> None:
    clerk = await login(running.url, "clerk")
    shown = (await upload(running.url, clerk, meeting, pdfs.pages(2))).json()["document"]["id"]
    hidden = (await upload(running.url, clerk, meeting, pdfs.pages(1))).json()["document"]["id"]
    token = await _display_token(running.url, meeting)
    chair = await connect(running.url, "chair")
    cookies = {DISPLAY_COOKIE: token}
    try:
        assert (await chair.join(meeting))["ok"]
        async with httpx.AsyncClient(base_url=running.url, cookies=cookies) as http:
            before = await http.get(f"/api/display/documents/{shown}/file")
            assert before.status_code == 404  # nothing presented yet
            assert (await chair.cmd("presenter.view", {"document_id": shown, "page": 2}))["ok"]
            file = await http.get(f"/api/display/documents/{shown}/file")
            assert file.status_code == 200 and file.content.startswith(b"%PDF")
            assert file.headers["x-content-type-options"] == "nosniff"
            other = await http.get(f"/api/display/documents/{hidden}/file")
            assert other.status_code == 404
            assert other.json()["error"]["code"] == "not-found"
    finally:
        await chair.close()


async def test_revoking_ends_the_display_at_once(running: Running, meeting: int) -> None:
    token = await _display_token(running.url, meeting)
    display = await _display(running.url, token)
    try:
        assert (await display.join(meeting))["ok"]
        chair = await login(running.url, "chair")
        async with api(running.url, chair) as http:
            assert len((await http.get(f"/api/meetings/{meeting}/display-links")).json()["links"])
            revoked = await http.delete(
                f"/api/meetings/{meeting}/display-links", headers={"Origin": running.url}
            )
            assert revoked.status_code == 200 and revoked.json()["revoked"] >= 1
            listed = await http.get(f"/api/meetings/{meeting}/display-links")
            assert listed.json()["links"] == []
        async with asyncio.timeout(WAIT_SECS):
            while display.sio.connected:  # noqa: ASYNC110 - the client has no such event
                await asyncio.sleep(0.05)
        answer = await _open_session(running.url, token)
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "unauthenticated"
        with pytest.raises(socketio.exceptions.ConnectionError):
            await _socket(running.url, token)
    finally:
        await display.close()


async def test_an_expired_link_is_refused(running: Running, meeting: int) -> None:
    token = await _display_token(running.url, meeting)
    db = Database(running.env["ECABINET_DATABASE_URL"])
    try:
        async with db.write() as conn:
            await conn.execute(
                update(display_links)
                .where(display_links.c.meeting_id == meeting)
                .values(expires_at=1.0)
            )
    finally:
        await db.dispose()
    answer = await _open_session(running.url, token)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthenticated"
    with pytest.raises(socketio.exceptions.ConnectionError):
        await _socket(running.url, token)


@pytest.mark.parametrize(
    "body",
    [
        {"hours": 0},
        {"hours": 25},
        {"hours": "3"},
        {"hours": True},
        {"hours": 2.5},
        {"hours": 2, "meeting_id": 1},
    ],
    ids=["zero", "too-many", "text", "bool", "fraction", "extra-field"],
)
async def test_a_bad_link_request_is_invalid_and_writes_nothing(
    running: Running, meeting: int, body: dict[str, Any]
) -> None:
    chair = await login(running.url, "chair")
    answer = await _issue(running.url, chair, meeting, **body)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid"
    async with api(running.url, chair) as http:
        assert (await http.get(f"/api/meetings/{meeting}/display-links")).json()["links"] == []


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "invalid"),
        ({"token": 5}, 400, "invalid"),
        ({"token": ""}, 400, "invalid"),
        ({"token": "x" * 201}, 400, "invalid"),
        ({"token": "a", "hours": 1}, 400, "invalid"),
        ({"token": "not-a-link"}, 401, "unauthenticated"),
    ],
    ids=["missing", "number", "empty", "too-long", "extra-field", "unknown"],
)
async def test_a_bad_display_session_request_is_refused(
    running: Running, body: dict[str, Any], status: int, code: str
) -> None:
    async with httpx.AsyncClient(base_url=running.url) as http:
        answer = await http.post("/api/display/session", json=body, headers={"Origin": running.url})
    assert answer.status_code == status and answer.json()["error"]["code"] == code
    assert DISPLAY_COOKIE not in answer.cookies


async def test_no_link_for_an_ended_meeting_and_its_links_end_with_it(
    running: Running, meeting: int
) -> None:
    token = await _display_token(running.url, meeting)
    chair = await connect(running.url, "chair")
    try:
        assert (await chair.join(meeting))["ok"]
        assert (await chair.cmd("meeting.start"))["ok"]
        assert (await chair.cmd("meeting.end"))["ok"]
    finally:
        await chair.close()
    answer = await _issue(running.url, await login(running.url, "chair"), meeting)
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "conflict"
    assert (await _open_session(running.url, token)).status_code == 401


@pytest.mark.parametrize(
    ("username", "status"),
    [("chair", 201), ("clerk", 201), ("member1", 403), ("observer", 403), ("admin", 404)],
)
async def test_who_may_issue_a_display_link(
    running: Running, meeting: int, username: str, status: int
) -> None:
    answer = await _issue(running.url, await login(running.url, username), meeting)
    assert answer.status_code == status, answer.text


def _path(template: str, document: int, meeting: int) -> str:
    values = {"meeting_id": meeting, "document_id": document}
    path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(values.get(m.group(1), 1)), template)
    return "/static/js/app.js" if path == "/static" else path


async def test_a_display_cookie_opens_no_route_but_its_own(running: Running, meeting: int) -> None:
    """Every route of the table, with a live display cookie of the meeting and no session:
    the public routes and the display's own answer, every other one is unauthenticated."""
    token = await _display_token(running.url, meeting)
    async with httpx.AsyncClient(
        base_url=running.url, cookies={DISPLAY_COOKIE: token}, timeout=15
    ) as http:
        for method, template in ROUTES:
            path = _path(template, 1, meeting)
            if method in ("GET", "DELETE"):
                answer = await http.request(method, path)
            else:
                answer = await http.request(method, path, json=[])
            cell = (method, template, answer.status_code, answer.text[:200])
            if answer.status_code == 404 and "json" not in answer.headers["content-type"]:
                continue  # a route another change under way has moved: not ours to judge
            assert answer.status_code < 500, cell
            if (method, template) in DISPLAY_ROUTES:
                assert answer.status_code in (200, 404), cell  # nothing presented: not-found
            elif all(o is Outcome.OK for o in ROUTES[method, template].values()):
                assert answer.status_code not in (401, 403), cell
            else:
                assert answer.status_code == 401, cell
                assert answer.json()["error"]["code"] == "unauthenticated", cell
