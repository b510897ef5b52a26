"""What the socket does with input it cannot use: answer ``invalid``, or close the connection.

- Whole numbers out of the database's range (ids, seqs) and payloads nested too deeply (as
  deep as 5 000 levels, past what Python's JSON decoder can read) in ``join``, ``cmd`` and
  ``ephemeral`` are answered ``invalid``; nothing is written and the connection goes on.
  On SQLite and PostgreSQL.
- Connections without a session are closed by the server: at once after their
  ``connect_error``, or when they never connect to the namespace.
- Garbage frames from connections without a session close them, each with one log line and
  no traceback, and the lines are rate-limited.

The frames are written by hand over a websocket (``Raw``): a Socket.IO client cannot send
most of them.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from harness.client import COOKIE, api, login
from harness.server import Server, embedded_server
from realtime.intake import CONNECT_DEADLINE_SECS
from realtime.notices import NOTICE_WINDOW_SECS, NOTICES_PER_MINUTE
from realtime.payload import PAYLOAD_MAX_DEPTH, WHOLE_NUMBER_MAX
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio

DEEP = 5_000  # levels: past Python's recursion limit, so the JSON decoder itself fails
CLOSE_WITHIN_SECS = 10.0  # a bound for "closed", not a timing claim
ANSWER_WITHIN_SECS = 10.0
HUGE = 10**30


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


class Raw:
    """A Socket.IO client written by hand: frames go out as given."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self._ack = 0

    @classmethod
    async def open(cls, base_url: str, token: str | None = None) -> Raw:
        headers = {"Origin": base_url}
        if token is not None:
            headers["Cookie"] = f"{COOKIE}={token}"
        ws = await connect(
            base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
            additional_headers=headers,
            max_size=None,
            ping_interval=None,
        )
        raw = cls(ws)
        assert (await raw.next()).startswith("0{")  # Engine.IO open
        return raw

    async def next(self) -> str:
        while True:
            message = await asyncio.wait_for(self.ws.recv(), ANSWER_WITHIN_SECS)
            assert isinstance(message, str)
            if message == "2":  # ping
                await self.ws.send("3")
            else:
                return message

    async def sign_in(self) -> str:
        """Connect to the namespace; returns the server's answer (``40…`` or ``44…``)."""
        await self.ws.send('40{"device":"raw"}')
        return await self.next()

    async def call(self, event: str, payload_text: str) -> Any:
        """Send ``event`` with its payload as JSON text; returns the ack's payload."""
        ack = self._ack
        self._ack += 1
        await self.ws.send(f'42{ack}["{event}",{payload_text}]')
        prefix = f"43{ack}"
        while not (message := await self.next()).startswith(prefix):
            pass
        return json.loads(message[len(prefix) :])[0]

    async def closed_within(self, secs: float) -> bool:
        """Answer pings and read until the server closes; False if still open after ``secs``."""
        try:
            async with asyncio.timeout(secs):
                async for message in self.ws:
                    if message == "2":
                        await self.ws.send("3")
        except TimeoutError:
            return False
        except ConnectionClosed:
            pass
        return True

    async def close(self) -> None:
        await self.ws.close()


async def head(base_url: str, token: str, meeting: int) -> int:
    async with api(base_url, token) as http:
        response = await http.get(f"/api/meetings/{meeting}")
        response.raise_for_status()
        return int(response.json()["meeting"]["last_seq"])


def command(type_: str, data_text: str) -> str:
    return f'{{"id":"bad-{type_}","type":"{type_}","data":{data_text}}}'


# (event, payload as JSON text); the socket has joined the meeting (``{meeting}``) first.
REFUSED = {
    "join: meeting_id past the integer range": ("join", f'{{"meeting_id":{HUGE}}}'),
    "join: meeting_id one past the integer range": (
        "join",
        f'{{"meeting_id":{WHOLE_NUMBER_MAX + 1},"last_seq":null}}',
    ),
    "join: last_seq past the integer range": (
        "join",
        f'{{"meeting_id":{{meeting}},"last_seq":{HUGE}}}',
    ),
    "cmd: a poll id past the integer range": (
        "cmd",
        command("poll.open", f'{{"poll_id":{HUGE}}}'),
    ),
    "cmd: a user id one past the integer range": (
        "cmd",
        command("presenter.set", f'{{"user_id":{WHOLE_NUMBER_MAX + 1}}}'),
    ),
    "cmd: a poll id far below the integer range": (
        "cmd",
        command("vote.cast", f'{{"poll_id":{-HUGE},"choice":"yes"}}'),
    ),
    "ephemeral: a document id past the integer range": (
        "ephemeral",
        f'{{"kind":"ink","data":{{"document_id":{HUGE},"page":1,"stroke":"s","points":[]}}}}',
    ),
    "join: 5000 levels deep": ("join", f'{{"meeting_id":{nested(DEEP)}}}'),
    "cmd: 5000 levels deep": ("cmd", command("minutes.note.set", nested(DEEP))),
    "ephemeral: 5000 levels deep": ("ephemeral", f'{{"kind":"ink","data":{nested(DEEP)}}}'),
    "join: one level past the limit": (
        "join",
        f'{{"meeting_id":{{meeting}},"x":{nested(PAYLOAD_MAX_DEPTH)}}}',
    ),
    "cmd: one level past the limit": (
        "cmd",
        command("attendance.check_in", f'{{"x":{nested(PAYLOAD_MAX_DEPTH - 1)}}}'),
    ),
    "ephemeral: one level past the limit": (
        "ephemeral",
        f'{{"kind":"ink","data":{{"points":{nested(PAYLOAD_MAX_DEPTH - 1)}}}}}',
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
async def test_numbers_out_of_range_and_deep_payloads_are_invalid_and_change_nothing(
    running: Running, meeting: int, case: str
) -> None:
    event, payload_text = REFUSED[case]
    payload_text = payload_text.replace("{meeting}", str(meeting))
    token = await login(running.url, "chair")
    chair = await Raw.open(running.url, token)
    try:
        assert (await chair.sign_in()).startswith("40{")
        joined = await chair.call("join", f'{{"meeting_id":{meeting},"last_seq":null}}')
        assert joined["ok"], joined
        before = await head(running.url, token, meeting)

        answer = await chair.call(event, payload_text)

        assert answer["ok"] is False and answer["error"]["code"] == "invalid", answer
        assert await head(running.url, token, meeting) == before
        # The connection goes on, still in the meeting.
        note = await chair.call("cmd", command("minutes.note.set", '{"text":"Vẫn họp tiếp"}'))
        assert note == {"ok": True, "seq": before + 1}
    finally:
        await chair.close()


# --- connections without a session, and garbage: a server of their own (its log) --------


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with embedded_server(tmp_path_factory.mktemp("socket-input")) as server:
        yield server


def server_log(server: Server) -> str:
    path = Path(server.env["ECABINET_DATA_DIR"]) / f"server-{server.port}.log"
    return path.read_text(errors="replace")


CLOSED_LINE = re.compile(r"realtime\.notices .*(it was closed|held back)")
# Text frames: not Engine.IO; Engine.IO but not Socket.IO; Socket.IO python-socketio cannot
# decode or dispatch. Binary: not a Socket.IO attachment.
GARBAGE: list[str | bytes] = [
    "x",
    "",
    "7",
    "b!!",
    "4x",
    "42garbage",
    "40{",
    "44{}",
    "42{}",
    "40" + nested(DEEP),
    b"\xff\x00\x01",
]


async def send_garbage(base_url: str, frames: list[str | bytes]) -> Raw:
    raw = await Raw.open(base_url)
    for frame in frames:
        try:
            await raw.ws.send(frame)
        except ConnectionClosed:
            break  # closed after the first: the rest never arrive
    return raw


async def test_garbage_frames_close_the_connection_with_one_log_line_each(
    own_server: Server,
) -> None:
    started = time.monotonic()
    before = server_log(own_server)
    # Each kind of garbage first, on a connection of its own, followed by the others.
    clients = [
        await send_garbage(own_server.url, GARBAGE[i:] + GARBAGE[:i]) for i in range(len(GARBAGE))
    ]
    try:
        closed = await asyncio.gather(*(c.closed_within(CLOSE_WITHIN_SECS) for c in clients))
        assert all(closed)
        # A minute's lines are far from used up: exactly one line per connection.
        await asyncio.sleep(0.5)
        lines = CLOSED_LINE.findall(server_log(own_server)[len(before) :])
        assert len(lines) == len(GARBAGE)

        # A flood: every connection is closed, and the lines stay within their rate.
        flood = [await send_garbage(own_server.url, GARBAGE) for _ in range(3 * NOTICES_PER_MINUTE)]
        clients += flood
        assert all(await asyncio.gather(*(c.closed_within(CLOSE_WITHIN_SECS) for c in flood)))
        await asyncio.sleep(0.5)
    finally:
        for client in clients:
            await client.close()
    log = server_log(own_server)[len(before) :]
    windows = int((time.monotonic() - started) // NOTICE_WINDOW_SECS) + 1
    assert len(CLOSED_LINE.findall(log)) <= windows * NOTICES_PER_MINUTE
    assert "Traceback" not in log and " ERROR " not in log, log[-2000:]


async def test_cookieless_sockets_are_closed_by_the_server(own_server: Server) -> None:
    signing_in = [await Raw.open(own_server.url) for _ in range(20)]
    silent = [await Raw.open(own_server.url) for _ in range(10)]
    try:
        answers = [await raw.sign_in() for raw in signing_in]
        for answer in answers:
            assert answer.startswith("44")
            assert json.loads(answer[2:])["data"]["code"] == "unauthenticated"
        refused_closed, silent_closed = await asyncio.gather(
            asyncio.gather(*(raw.closed_within(CLOSE_WITHIN_SECS) for raw in signing_in)),
            asyncio.gather(
                *(raw.closed_within(CONNECT_DEADLINE_SECS + CLOSE_WITHIN_SECS) for raw in silent)
            ),
        )
        assert all(refused_closed) and all(silent_closed)
    finally:
        for raw in signing_in + silent:
            await raw.close()
