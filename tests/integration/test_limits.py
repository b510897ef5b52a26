"""Flood limits on a server of its own with small limits: commands and ephemeral messages
per connection and per user (``rate-limited``, the connection kept, others unaffected),
sockets per user (``too-many-connections``), the meeting's storage quota
(``quota-exceeded``, nothing written) and a stalled request body (``408 timeout``)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import socketio

from harness.client import RoomClient, api, connect, login, new_meeting
from harness.server import Server, embedded_server
from realtime.limits import CONNECTIONS_PER_USER as DEFAULT_CONNECTIONS_PER_USER
from tests import pdfs
from tests.integration.conftest import Cluster, started_cluster

DOCUMENT = pdfs.pages(1)
COMMANDS_PER_SEC = 2  # bursts of 6 per connection
USER_COMMANDS_PER_SEC = 3  # bursts of 9 per user
USER_EPHEMERAL_PER_SEC = 10  # bursts of 10 per user (30 per connection)
CONNECTIONS_PER_USER = 3
QUOTA_BYTES = 2 * len(DOCUMENT) + 100  # two documents fit, a third does not
BODY_IDLE_SECS = 1


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir: Path = tmp_path_factory.mktemp("limits")
    with embedded_server(
        data_dir,
        ECABINET_COMMANDS_PER_SEC=str(COMMANDS_PER_SEC),
        ECABINET_USER_COMMANDS_PER_SEC=str(USER_COMMANDS_PER_SEC),
        ECABINET_USER_EPHEMERAL_PER_SEC=str(USER_EPHEMERAL_PER_SEC),
        ECABINET_CONNECTIONS_PER_USER=str(CONNECTIONS_PER_USER),
        ECABINET_MEETING_QUOTA_BYTES=str(QUOTA_BYTES),
        ECABINET_REQUEST_BODY_IDLE_SECS=str(BODY_IDLE_SECS),
    ) as running:
        yield running


async def _meeting(url: str) -> int:
    return await new_meeting(url, await login(url, "admin"))


def _limited(acks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [a for a in acks if not a["ok"] and a["error"]["code"] == "rate-limited"]


async def _upload(url: str, token: str, meeting: int, body: Any, **headers: str) -> httpx.Response:
    async with api(url, token) as http:
        return await http.post(
            f"/api/meetings/{meeting}/documents",
            content=body,
            headers={"Content-Type": "application/pdf", "X-File-Name": "a.pdf", **headers},
        )


async def test_a_flooding_connection_is_rate_limited_kept_and_alone(server: Server) -> None:
    meeting = await _meeting(server.url)
    flooder = await connect(server.url, "member1")
    other = await connect(server.url, "member2")
    try:
        for client in (flooder, other):
            assert (await client.join(meeting))["ok"]
        burst = await asyncio.gather(*(flooder.cmd("attendance.check_in") for _ in range(20)))
        limited = _limited(list(burst))
        # The burst is 3 s worth; the join took one token (it counts as a command).
        assert 20 - 3 * COMMANDS_PER_SEC - 1 <= len(limited) <= 20 - 3 * COMMANDS_PER_SEC + 1
        assert "this connection" in limited[0]["error"]["message"]
        # Someone else is not affected, and the flooder's connection stays open.
        assert (await other.cmd("attendance.check_in"))["ok"]
        assert flooder.sio.connected
        await asyncio.sleep(1 / COMMANDS_PER_SEC + 0.1)
        assert (await flooder.cmd("attendance.check_out"))["ok"]
    finally:
        await flooder.close()
        await other.close()


async def test_one_person_on_several_tablets_is_limited_as_a_person(server: Server) -> None:
    meeting = await _meeting(server.url)
    token = await login(server.url, "member3")
    tablets = [await RoomClient().connect(server.url, token) for _ in range(2)]
    other = await connect(server.url, "member4")
    try:
        for client in (*tablets, other):
            assert (await client.join(meeting))["ok"]
        # Each tablet stays within its own burst (6, one spent on its join); together they
        # pass the person's (9, two spent on the joins).
        per_tablet = 3 * COMMANDS_PER_SEC - 1
        acks = await asyncio.gather(
            *(t.cmd("speakers.withdraw") for t in tablets for _ in range(per_tablet))
        )
        limited = _limited(list(acks))
        assert len(limited) >= 2 * per_tablet - (3 * USER_COMMANDS_PER_SEC - 2) - 1
        assert all("this person" in a["error"]["message"] for a in limited)
        assert not _limited([await other.cmd("speakers.withdraw")])
        assert all(t.sio.connected for t in tablets)
    finally:
        for client in (*tablets, other):
            await client.close()


async def test_ephemeral_messages_are_limited_per_person_too(server: Server) -> None:
    meeting = await _meeting(server.url)
    uploaded = await _upload(server.url, await login(server.url, "clerk"), meeting, DOCUMENT)
    view = {"kind": "view", "data": {"document_id": uploaded.json()["document"]["id"], "page": 1}}
    token = await login(server.url, "chair")
    tablets = [await RoomClient().connect(server.url, token) for _ in range(2)]
    try:
        for tablet in tablets:
            assert (await tablet.join(meeting))["ok"]
        answers = await asyncio.gather(
            *(t.raw("ephemeral", view) for t in tablets for _ in range(USER_EPHEMERAL_PER_SEC))
        )
        limited = _limited(list(answers))
        # 20 sent, each tablet within its 30; the person's 10 (+ refill) pass.
        assert 2 * USER_EPHEMERAL_PER_SEC - len(limited) <= USER_EPHEMERAL_PER_SEC + 2
        assert limited and all("this person" in a["error"]["message"] for a in limited)
        assert all(t.sio.connected for t in tablets)
    finally:
        for tablet in tablets:
            await tablet.close()


async def test_the_next_socket_past_the_limit_is_refused_with_a_clear_code(
    server: Server,
) -> None:
    token = await login(server.url, "member5")
    tablets = [await RoomClient().connect(server.url, token) for _ in range(CONNECTIONS_PER_USER)]
    refused = RoomClient()
    errors: list[Any] = []
    refused.sio.on("connect_error", errors.append)
    try:
        with pytest.raises(socketio.exceptions.ConnectionError):
            await refused.connect(server.url, token)
        assert errors, "no connect_error"
        assert errors[0]["data"]["code"] == "too-many-connections", errors
        # Someone else still connects; and after one tablet closes, so does the person.
        other = await connect(server.url, "member6")
        await other.close()
        await tablets.pop().close()
        await asyncio.sleep(0.2)
        tablets.append(await RoomClient().connect(server.url, token))
    finally:
        await refused.close()
        for tablet in tablets:
            await tablet.close()


def _stored_files(server: Server) -> set[Path]:
    root = Path(server.env["ECABINET_DATA_DIR"]) / "blobs"
    return {p for p in root.rglob("*") if p.is_file()}


async def test_the_meeting_quota_refuses_an_upload_and_writes_nothing(server: Server) -> None:
    meeting = await _meeting(server.url)
    clerk = await login(server.url, "clerk")
    for n in range(2):  # distinct bytes: a stored blob is not a quota loophole
        body = DOCUMENT + f"\n%{n}\n".encode()
        assert (await _upload(server.url, clerk, meeting, body)).status_code == 201
    before = _stored_files(server)

    async def streamed() -> Any:  # no Content-Length: refused while reading
        for _ in range(4):
            yield DOCUMENT[:200]

    for body in (DOCUMENT, streamed()):
        refused = await _upload(server.url, clerk, meeting, body)
        assert refused.status_code == 413, refused.text
        assert refused.json()["error"]["code"] == "quota-exceeded"
    assert _stored_files(server) == before
    async with api(server.url, clerk) as http:
        documents = (await http.get(f"/api/meetings/{meeting}/documents")).json()["documents"]
    assert len(documents) == 2
    # Another meeting has its own quota.
    other = await _meeting(server.url)
    assert (await _upload(server.url, clerk, other, DOCUMENT)).status_code == 201


def test_a_stalled_request_body_is_answered_408(server: Server) -> None:
    host, port = "127.0.0.1", int(server.url.rsplit(":", 1)[1])
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(
            b"POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert b'"code":"timeout"' in answer.replace(b" ", b"")


async def test_joins_count_as_commands(server: Server) -> None:
    """A join reads the log or builds a snapshot: a loop of joins is limited the same way."""
    meeting = await _meeting(server.url)
    client = await connect(server.url, "observer")
    try:
        answers = await asyncio.gather(*(client.join(meeting) for _ in range(12)))
        limited = _limited(list(answers))
        assert limited and len(limited) <= 12 - 3 * COMMANDS_PER_SEC
        assert client.sio.connected
    finally:
        await client.close()


# --- two workers, PostgreSQL and Redis: the limits hold for the installation -------------


@pytest.fixture(scope="module")
def limited_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Two workers with the default number of sockets per person."""
    with started_cluster(
        tmp_path_factory.mktemp("limits-cluster"),
        ECABINET_CONNECTIONS_PER_USER=str(DEFAULT_CONNECTIONS_PER_USER),
    ) as running:
        yield running


async def _refusal(url: str, token: str) -> Any:
    refused = RoomClient()
    errors: list[Any] = []
    refused.sio.on("connect_error", errors.append)
    try:
        with pytest.raises(socketio.exceptions.ConnectionError):
            await refused.connect(url, token)
    finally:
        await refused.close()
    assert errors, "no connect_error"
    return errors[0]["data"]


@pytest.mark.postgres
@pytest.mark.redis
async def test_the_11th_socket_of_one_person_spread_over_two_workers_is_refused(
    limited_cluster: Cluster,
) -> None:
    a, b = limited_cluster.urls
    token = await login(a, "member7")
    tablets = [
        await RoomClient().connect((a, b)[i % 2], token)
        for i in range(DEFAULT_CONNECTIONS_PER_USER)
    ]
    try:
        for url in (a, b):
            assert (await _refusal(url, token))["code"] == "too-many-connections"
        # Someone else still connects on both; after a tablet on A closes, the person
        # connects on B.
        for url in (a, b):
            await (await connect(url, "member8")).close()
        await tablets.pop(0).close()
        await asyncio.sleep(0.2)
        tablets.append(await RoomClient().connect(b, token))
        assert (await _refusal(a, token))["code"] == "too-many-connections"
    finally:
        for tablet in tablets:
            await tablet.close()
