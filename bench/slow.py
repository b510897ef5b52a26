"""A slow consumer: does one tablet that reads slowly change what the others see?

One meeting: the presenter (in the driving process) and N member tablets (the load
generator's workers). The presenter turns pages with ``presenter.view``, one turn at a time
(sent, awaited on every tablet, then ``interval``), as ``bench.fanout`` does. Phases, in
this order, each with its own turns:

1. ``normal`` — the N tablets only;
2. ``slow`` — plus one more participant on a raw websocket that reads one message a
   second (``SLOW_READ_EVERY_SECS``) and answers Engine.IO pings only when it reads them;
3. ``stalled`` — plus one that reads nothing at all after its join, for enough turns that
   a queue bounded at ``ecabinet.config.SEND_QUEUE_MAX_MESSAGES_DEFAULT`` must overflow;
4. ``normal`` again, 5. ``slow`` again — the spread between the two phases of each kind
   is the noise of the run.

The slow participant's socket has a small receive buffer (``RCVBUF_BYTES``), as a tablet
on a poor link whose app froze: the kernel cannot absorb much on its side, so what it does
not read piles up in the server's TCP send buffer and then in the server's queue for it.
Reported: p50/p95/p99 of the N tablets' delivery latency per phase, and p95 against the
first normal phase (the issue's goal: ≤ 10 % change); what the slow participant read; on
E-cabinet, its send-queue metrics (largest queue, clients dropped); the server's resident
memory before and after each phase.

Baseline: the bare relay with the same phases (python-socketio's unbounded queues).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench import fanout, load
from bench.accounts import Accounts
from bench.load import Progress, Tablet, Workers
from bench.servers import Running, rss_bytes
from bench.stats import ms, percentile, secs, size, summary, table

SLOW_READ_EVERY_SECS = 1.0
RCVBUF_BYTES = 4096  # the slow participant's socket receive buffer (the kernel doubles it)
SETTLE_SECS = 120
PAUSE_SECS = 1.0  # after the slow participant joined, before the turns
DROPPED = "ecabinet_slow_clients_dropped_total"


@dataclass
class SlowReader:
    """A participant on a bare websocket (Engine.IO v4 / Socket.IO v5 by hand) that reads
    one message every ``read_every`` seconds, or never (``None``) once it has joined."""

    url: str
    token: str | None
    meeting_id: int
    read_every: float | None
    read: int = 0
    notice: bool = False  # it read the server's resync-required (slow-consumer) notice
    closed_after: float | None = None  # seconds from the join until it read the close
    close_reason: str = ""
    server_closed_after: float | None = None  # seconds from the join until the server closed
    _ws: ClientConnection | None = None
    _task: asyncio.Task[None] | None = None
    _watch: asyncio.Task[None] | None = None
    _port: int = 0
    _joined: float = 0.0
    _pending: list[str] = field(default_factory=list)

    async def open(self) -> None:
        parts = urlsplit(self.url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF_BYTES)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, (host, port))
        self._port = sock.getsockname()[1]
        headers = {"Cookie": f"{load.COOKIE}={self.token}"} if self.token else None
        self._ws = ws = await connect(
            f"ws://{host}:{port}/socket.io/?EIO=4&transport=websocket",
            sock=sock,
            origin=self.url,  # type: ignore[arg-type]
            additional_headers=headers,
            compression=None,
            max_queue=1,  # websockets stops reading the socket when one message waits
            max_size=None,
            ping_interval=None,
            proxy=None,
            open_timeout=load.CALL_TIMEOUT_SECS,
        )
        opened = await ws.recv()
        if not str(opened).startswith("0"):
            raise RuntimeError(f"Engine.IO open expected, got {str(opened)[:100]}")
        await ws.send("40" + json.dumps({"device": "slow"}))
        await self._until("40")
        await ws.send(
            "421" + json.dumps(["join", {"meeting_id": self.meeting_id, "last_seq": None}])
        )
        ack = json.loads((await self._until("431"))[3:])[0]
        if not ack.get("ok"):
            raise RuntimeError(f"the slow participant's join was refused: {ack.get('error')}")
        self._joined = load.monotonic()
        self._task = asyncio.get_running_loop().create_task(self._read_slowly())
        self._watch = asyncio.get_running_loop().create_task(self._watch_server())

    async def _until(self, prefix: str) -> str:
        assert self._ws is not None
        async with asyncio.timeout(load.CALL_TIMEOUT_SECS):
            while True:
                message = str(await self._ws.recv())
                if message == "2":
                    await self._ws.send("3")
                elif message.startswith(prefix):
                    return message
                elif message.startswith("44"):
                    raise RuntimeError(f"connection refused: {message[:200]}")

    async def _read_slowly(self) -> None:
        assert self._ws is not None
        try:
            while True:
                if self.read_every is None:
                    await asyncio.sleep(3600)
                    continue
                await asyncio.sleep(self.read_every)
                message = str(await self._ws.recv())
                self.read += 1
                if message == "2":
                    await self._ws.send("3")
                elif load_resync(message):
                    self.notice = True
        except ConnectionClosed as exc:
            self.closed_after = load.monotonic() - self._joined
            self.close_reason = str(exc)[:120]

    async def _watch_server(self) -> None:
        """Notice when the server ends the connection, which a reader that does not read
        cannot see (the server's FIN waits behind the data we have not read): the server's
        end of the connection leaves ESTABLISHED (FIN-WAIT-1 with unsent data, or gone)."""
        while _established(self._port):  # noqa: ASYNC110 - the kernel sends no event
            await asyncio.sleep(0.25)
        self.server_closed_after = load.monotonic() - self._joined

    def state(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "notice": self.notice,
            "closed_after": self.closed_after,
            "close_reason": self.close_reason,
            "server_closed_after": self.server_closed_after,
        }

    async def close(self) -> None:
        for task in (self._task, self._watch):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._ws is not None:
            self._ws.transport.abort()  # a clean close would wait behind the unread data


TCP_ESTABLISHED = "01"


def _established(port: int) -> bool:
    """Whether the server's end of the loopback connection to our ``port`` is still
    ESTABLISHED (``/proc/net/tcp``: local address, remote address, state)."""
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if int(fields[2].rsplit(":", 1)[1], 16) == port:
                return fields[3] == TCP_ESTABLISHED
    return False


def load_resync(message: str) -> bool:
    return message.startswith("42") and '"resync-required"' in message[:40]


async def queue_metrics(running: Running) -> dict[str, float]:
    """E-cabinet's send-queue figures from ``/metrics`` (empty for the relay)."""
    if running.backend == "relay":
        return {}
    wanted = (
        "ecabinet_send_queue_max_messages",
        "ecabinet_send_queue_messages",
        DROPPED,
    )
    async with httpx.AsyncClient(base_url=running.url, timeout=30) as http:
        text = (await http.get("/metrics")).text
    found: dict[str, float] = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in wanted:
            found[name] = float(value)
    return found


def needed_members(tablets: int) -> int:
    """The room's tablets and one more person for each phase with a slow participant."""
    return tablets + sum(1 for _, every, stalled in PHASES if every is not None or stalled)


@dataclass
class Room:
    meeting_id: int
    document_id: int
    presenter: Tablet
    tablet_tokens: list[str | None]
    slow_tokens: list[str | None]  # one per phase with a slow participant
    people: int  # presence list size once the tablets are in (0: no presence)


async def ecabinet(
    running: Running,
    people: Accounts,
    workers: Workers,
    *,
    tablets: int,
    turns: int,
    stalled_turns: int,
    interval: float,
    progress: Progress,
) -> dict[str, Any]:
    extra = needed_members(tablets) - tablets
    if tablets + extra > len(people.members):
        raise ValueError(f"the slow-consumer run needs {tablets + extra} generated members")
    meeting_id = await people.meeting(
        f"Phiên họp {tablets} đại biểu, một máy chậm", tablets + extra
    )
    document, _ = await load.upload_pdf(
        running.url, people.clerk.token, meeting_id, load.small_pdf(fanout.DOCUMENT_PAGES)
    )
    chair = await load.open_driver(running.url, people.chair.token, meeting_id)
    try:
        await load.start_presenting(chair, people.presenter.user_id)
    finally:
        await chair.close()
    presenter = await load.open_driver(running.url, people.presenter.token, meeting_id)
    members = people.members[: tablets + extra]
    room = Room(
        meeting_id,
        int(document["id"]),
        presenter,
        [m.token for m in members[:tablets]],
        [m.token for m in members[tablets:]],
        tablets + 1,
    )
    return await run(
        running,
        workers,
        room,
        turns=turns,
        stalled_turns=stalled_turns,
        interval=interval,
        progress=progress,
    )


async def relay(
    running: Running,
    workers: Workers,
    *,
    tablets: int,
    turns: int,
    stalled_turns: int,
    interval: float,
    progress: Progress,
) -> dict[str, Any]:
    presenter = await load.open_driver(running.url, None, 1)
    room = Room(1, 1, presenter, [None] * tablets, [None] * len(PHASES), 0)
    return await run(
        running,
        workers,
        room,
        turns=turns,
        stalled_turns=stalled_turns,
        interval=interval,
        progress=progress,
    )


PHASES = (
    ("normal", None, False),
    ("slow", SLOW_READ_EVERY_SECS, False),
    ("stalled", None, True),
    ("normal again", None, False),
    ("slow again", SLOW_READ_EVERY_SECS, False),
)


async def run(
    running: Running,
    workers: Workers,
    room: Room,
    *,
    turns: int,
    stalled_turns: int,
    interval: float,
    progress: Progress,
) -> dict[str, Any]:
    try:
        await workers.connect(running.url, room.tablet_tokens, progress)
        await workers.join(room.meeting_id, None, progress)
        if room.people:
            await workers.settle(room.people, SETTLE_SECS)
        phases: list[dict[str, Any]] = []
        slow_index = 0
        for name, read_every, stalled in PHASES:
            reader: SlowReader | None = None
            if read_every is not None or stalled:
                reader = SlowReader(
                    running.url,
                    room.slow_tokens[slow_index],
                    room.meeting_id,
                    None if stalled else read_every,
                )
                slow_index += 1
                await reader.open()
                await asyncio.sleep(PAUSE_SECS)
            count = stalled_turns if stalled else turns
            rss0, metrics0 = rss_bytes(running.pid), await queue_metrics(running)
            progress.update(f"{running.backend}: {name}, {count} turns …", force=True)
            outcome = await load.page_turns(
                room.presenter,
                workers,
                document_id=room.document_id,
                pages=fanout.DOCUMENT_PAGES,
                turns=count,
                interval=interval,
                channel="cmd",
                server_cpu=running.cpu,
                progress=progress,
            )
            metrics = await queue_metrics(running)
            phase = {
                "phase": name,
                "turns": count,
                "latency": summary(outcome.deliveries),
                "p95": percentile(outcome.deliveries, 95),
                "missing": outcome.missing,
                "server_cpu_per_turn": outcome.cpu.server / max(1, count),
                "wall": outcome.wall,
                "rss_before": rss0,
                "rss_after": rss_bytes(running.pid),
                "largest_queue": metrics.get("ecabinet_send_queue_max_messages"),
                "slow_dropped": metrics.get(DROPPED, 0.0) - metrics0.get(DROPPED, 0.0)
                if metrics
                else None,
                "slow": reader.state() if reader else None,
            }
            if reader is not None:
                await reader.close()
            phases.append(phase)
        base = phases[0]["p95"]
        for phase in phases:
            phase["p95_change"] = phase["p95"] / base - 1 if base > 0 else float("nan")
        progress.done()
        return {
            "server": running.backend,
            "tablets": workers.count,
            "interval": interval,
            "phases": phases,
            "dropped": (await workers.usage())["dropped"],
        }
    finally:
        await room.presenter.close()
        await workers.disconnect()


def print_rows(rows: list[dict[str, Any]]) -> None:
    out = []
    for r in rows:
        server = "bare relay" if r["server"] == "relay" else f"E-cabinet ({r['server']})"
        for p in r["phases"]:
            reader = p["slow"]
            if reader is None:
                what = "—"
            else:
                closed = reader["server_closed_after"]
                what = f"read {reader['read']}" + (
                    f", closed by the server after {secs(closed)}" if closed is not None else ""
                )
                if reader["notice"]:
                    what += ", read the resync notice"
            out.append(
                [
                    server,
                    p["phase"],
                    p["turns"],
                    ms(p["latency"]["p50"]),
                    ms(p["p95"]),
                    ms(p["latency"]["p99"]),
                    f"{p['p95_change']:+.0%}",
                    p["missing"],
                    ms(p["server_cpu_per_turn"]),
                    what,
                    "—" if p["largest_queue"] is None else f"{p['largest_queue']:.0f}",
                    "—" if p["slow_dropped"] is None else f"{p['slow_dropped']:.0f}",
                    size(p["rss_after"] - p["rss_before"]),
                ]
            )
    print(
        table(
            [
                "server",
                "phase",
                "turns",
                "p50",
                "p95",
                "p99",
                "p95 vs first normal",
                "missed",
                "server CPU/turn",
                "the extra participant",
                "largest send queue at the end",
                "dropped as slow",
                "server RSS change",
            ],
            out,
        )
    )
