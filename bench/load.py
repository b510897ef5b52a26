"""The load generator: many real python-socketio tablets in one meeting.

Tablets are ``socketio.AsyncClient``s on the websocket transport with the session cookie
from ``/api/login``, run in one or more worker processes (``--procs``) so that the process
driving the meeting (the chair, the presenter) is never slowed by what the tablets receive.
Every time is ``time.monotonic()`` (CLOCK_MONOTONIC, one clock for every process on the
machine), so a send in the driver and a receive in a worker can be subtracted.

Use it against any E-cabinet (or the bare relay, ``--relay``)::

    python -m bench.load --url http://127.0.0.1:8000 --admin-password PW \\
        --clients 200 --scenario pageturn --turns 30

With an admin password it creates the users ``<prefix>-0001…`` (``--password``), a meeting
with them on the roster, uploads a small PDF and starts the meeting; with ``--meeting ID``
it uses a meeting whose roster already has those users and signs the chair in with
``--chair-password``. Scenarios: ``pageturn`` (``presenter.view`` commands), ``ephemeral``
(``ephemeral`` views), ``vote`` (a burst of ``vote.cast``), ``idle`` (stay connected).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import logging
import multiprocessing
import os
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import aiohttp
import httpx
import socketio

from bench import stats
from bench.stats import ms, secs, summary, table
from harness.client import create_meeting as create_meeting

COOKIE = "ecabinet_session"
CALL_TIMEOUT_SECS = 60
BURST_TIMEOUT_SECS = 240  # an ack in a burst of commands may wait this long
DEFAULT_USER_PREFIX = "load"
DISPLAY_NAME = "Đại biểu {:04d}"
SETUP_CONCURRENCY = 4  # argon2 hashes: more in flight only queues on 2 cores
CONNECT_BATCH = 50
JOIN_BATCH = 25
CHOICES = ("yes", "no", "abstain")


def monotonic() -> float:
    return time.monotonic()


# --------------------------------------------------------------------------- progress


class Progress:
    """One status line on stderr: redrawn in place on a terminal, every 2 s otherwise."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self._last = 0.0
        self._width = 0

    def update(self, text: str, force: bool = False) -> None:
        if not self.enabled:
            return
        now = monotonic()
        if self.tty:
            line = text[:150]
            sys.stderr.write("\r" + line.ljust(self._width))
            self._width = len(line)
            sys.stderr.flush()
        elif force or now - self._last >= 2:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()
            self._last = now

    def step(self, label: str, done: int, total: int) -> None:
        self.update(f"{label}: {done}/{total}", force=done == total)

    def done(self, text: str = "") -> None:
        if not self.enabled:
            return
        if self.tty:
            sys.stderr.write("\r" + " " * self._width + "\r")
            self._width = 0
        if text:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()


QUIET = Progress(enabled=False)


# --------------------------------------------------------------------------- HTTP set-up


def http_client(url: str, token: str | None = None) -> httpx.AsyncClient:
    cookies = {COOKIE: token} if token else None
    return httpx.AsyncClient(base_url=url, cookies=cookies, timeout=120)


async def login(url: str, username: str, password: str) -> str:
    """Sign in once; returns the session cookie's value (reuse it for many sockets)."""
    async with http_client(url) as http:
        response = await http.post("/api/login", json={"username": username, "password": password})
        if response.status_code != 200:
            raise RuntimeError(f"login {username}: {response.status_code} {response.text[:200]}")
        return response.cookies[COOKIE]


async def _bounded(
    items: Sequence[Any],
    work: Callable[[Any], Awaitable[Any]],
    concurrency: int,
    progress: Progress,
    label: str,
) -> list[Any]:
    """``work`` on every item, ``concurrency`` at a time, results in order."""
    semaphore = asyncio.Semaphore(concurrency)
    done = 0

    async def one(item: Any) -> Any:
        nonlocal done
        async with semaphore:
            result = await work(item)
        done += 1
        progress.step(label, done, len(items))
        return result

    return list(await asyncio.gather(*(one(i) for i in items)))


async def user_ids(url: str, admin_token: str) -> dict[str, int]:
    async with http_client(url, admin_token) as http:
        response = await http.get("/api/users")
        response.raise_for_status()
        return {u["username"]: int(u["id"]) for u in response.json()["users"]}


async def ensure_users(
    url: str,
    admin_token: str,
    prefix: str,
    count: int,
    password: str,
    progress: Progress = QUIET,
) -> list[tuple[str, int]]:
    """The users ``prefix-0001 … prefix-NNNN``, created through the admin API when missing."""
    known = await user_ids(url, admin_token)
    names = [f"{prefix}-{i:04d}" for i in range(1, count + 1)]
    missing = [n for n in names if n not in known]

    async with http_client(url, admin_token) as http:

        async def create(name: str) -> None:
            number = int(name.rsplit("-", 1)[1])
            response = await http.post(
                "/api/users",
                json={
                    "username": name,
                    "display_name": DISPLAY_NAME.format(number),
                    "password": password,
                },
            )
            if response.status_code != 201:
                raise RuntimeError(f"create {name}: {response.status_code} {response.text[:200]}")
            known[name] = int(response.json()["user"]["id"])

        await _bounded(missing, create, SETUP_CONCURRENCY, progress, "creating users")
    return [(n, known[n]) for n in names]


async def login_all(
    url: str, usernames: Sequence[str], password: str, progress: Progress = QUIET
) -> list[str]:
    """One session per user (an argon2 check each), in the order given."""

    async def one(name: str) -> str:
        return await login(url, name, password)

    return await _bounded(usernames, one, SETUP_CONCURRENCY, progress, "signing in")


async def upload_pdf(
    url: str, token: str, meeting_id: int, body: bytes, filename: str = "tai-lieu.pdf"
) -> tuple[dict[str, Any], float]:
    """``POST /api/meetings/{id}/documents``; returns the document and the seconds to 201."""
    async with http_client(url, token) as http:
        started = monotonic()
        response = await http.post(
            f"/api/meetings/{meeting_id}/documents",
            content=body,
            headers={"Content-Type": "application/pdf", "X-File-Name": filename},
        )
        elapsed = monotonic() - started
    if response.status_code != 201:
        raise RuntimeError(f"upload: {response.status_code} {response.text[:300]}")
    return response.json()["document"], elapsed


def small_pdf(pages: int = 20) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --------------------------------------------------------------------------- tablets


Note = Callable[[str, Any, float], None]


def _ignore(_kind: str, _key: Any, _at: float) -> None:
    pass


class Tablet:
    """One socket. It notes the receive time of the events the benchmarks wait for:
    ``view`` (``presenter.view_changed`` by (page, zoom)), ``ephemeral`` (by (page, zoom)),
    ``ink`` (an ephemeral ink message, by its stroke id), ``poll.closed`` (by poll id);
    other messages are only counted."""

    def __init__(self, token: str | None = None, note: Note = _ignore) -> None:
        self.token = token
        self._note = note
        # Our own HTTP session (made inside the running loop), closed in close().
        self._http = aiohttp.ClientSession()
        self.sio = socketio.AsyncClient(reconnection=False, http_session=self._http)
        self.meeting_id: int | None = None
        self.kept: dict[int, dict[str, Any]] = {}  # seq → event, for a driver (keep=True)
        self.keep = False
        self.messages = 0
        self.presence = 0  # presence messages received
        self.presence_chars = 0  # their size (characters of their JSON)
        self.present: set[int] = set()  # who is connected (the join answer, then changes)
        self._joining: list[dict[str, Any]] | None = None  # changes seen while joining
        self.dropped: str | None = None  # why the connection ended, when we did not end it
        self.closing = False
        self.last_result: dict[str, Any] | None = None
        self.sio.on("event", self._on_event)
        self.sio.on("events", self._on_events)
        self.sio.on("ephemeral", self._on_ephemeral)
        self.sio.on("presence", self._on_presence)
        self.sio.on("disconnect", self._on_disconnect)

    async def _on_events(self, data: dict[str, Any]) -> None:
        at = monotonic()
        self.messages += 1
        for event in data["events"]:
            self._take_event(event, at)

    async def _on_event(self, data: dict[str, Any]) -> None:
        at = monotonic()
        self.messages += 1
        self._take_event(data, at)

    def _take_event(self, data: dict[str, Any], at: float) -> None:
        if self.keep:
            self.kept[int(data["seq"])] = data
        kind = data.get("type")
        if kind == "presenter.view_changed":
            view = data["data"]
            self._note("view", (view["page"], view["zoom"]), at)
        elif kind == "poll.closed":
            closed = data["data"]
            self.last_result = closed.get("result")
            self._note("poll.closed", closed.get("poll_id"), at)

    async def _on_ephemeral(self, data: dict[str, Any]) -> None:
        at = monotonic()
        self.messages += 1
        view = data.get("data") or {}
        if data.get("kind") == "ink":
            self._note("ink", view.get("stroke"), at)
            return
        self._note("ephemeral", (view.get("page"), view.get("zoom")), at)

    @property
    def people(self) -> int:
        return len(self.present)

    async def _on_presence(self, change: dict[str, Any]) -> None:
        self.messages += 1
        self.presence += 1
        self.presence_chars += len(json.dumps(change, ensure_ascii=False))
        for person in change["changes"]:
            if self._joining is not None:
                self._joining.append(person)
            self._apply_presence(self.present, person)

    @staticmethod
    def _apply_presence(present: set[int], person: dict[str, Any]) -> None:
        if person["devices"]:
            present.add(person["user_id"])
        else:
            present.discard(person["user_id"])

    async def _on_disconnect(self, reason: Any = None) -> None:
        if not self.closing:
            self.dropped = str(reason)

    async def connect(self, url: str, device: str = "tablet") -> None:
        headers = {"Origin": url}
        if self.token:
            headers["Cookie"] = f"{COOKIE}={self.token}"
        await self.sio.connect(
            url,
            headers=headers,
            transports=["websocket"],
            auth={"device": device},
            wait_timeout=CALL_TIMEOUT_SECS,
        )
        # python-engineio's client gives up when it has had nothing to send for
        # max(pingInterval, pingTimeout) + 5 s (30 s with the server defaults): a tablet
        # whose reading lags 5 s behind a PING drops although the server would still wait.
        # Browsers give up after pingInterval + pingTimeout (45 s) of silence; do the same,
        # so that a busy load generator does not drop its own sockets. The server's own
        # timeout is unchanged.
        eio = self.sio.eio
        eio.ping_timeout = eio.ping_interval + eio.ping_timeout

    async def call(self, event: str, payload: Any, patience: float = CALL_TIMEOUT_SECS) -> Any:
        return await self.sio.call(event, payload, timeout=patience)

    async def join(self, meeting_id: int, last_seq: int | None = None) -> dict[str, Any]:
        # Changes can be handled before the answer (each message is handled in a task of
        # its own, and the room's changes may leave before the answer): the answer's list,
        # then every change seen meanwhile, in order (each carries the person's devices).
        self._joining = []
        try:
            ack: dict[str, Any] = await self.call(
                "join", {"meeting_id": meeting_id, "last_seq": last_seq}
            )
            if ack.get("ok"):
                self.meeting_id = meeting_id
                present = {p["user_id"] for p in ack.get("presence", [])}
                for person in self._joining:
                    self._apply_presence(present, person)
                self.present = present
        finally:
            self._joining = None
        return ack

    async def cmd(self, type_: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        ack: dict[str, Any] = await self.call(
            "cmd", {"id": uuid.uuid4().hex, "type": type_, "data": data or {}}
        )
        return ack

    async def close(self) -> None:
        self.closing = True
        with contextlib.suppress(Exception):
            if self.sio.connected:
                await self.sio.disconnect()
        await self._http.close()


def check(ack: dict[str, Any], what: str) -> dict[str, Any]:
    if not ack.get("ok"):
        raise RuntimeError(f"{what} refused: {ack.get('error')}")
    return ack


# --------------------------------------------------------------------------- a fleet (one process)


class Fleet:
    """The tablets of one worker process and what they received."""

    def __init__(self) -> None:
        self.tablets: list[Tablet] = []
        self.records: dict[tuple[str, Any], list[float]] = defaultdict(list)
        self._changed = asyncio.Event()

    def _note(self, kind: str, key: Any, at: float) -> None:
        self.records[(kind, key)].append(at)
        self._changed.set()

    async def connect(self, url: str, tokens: list[str | None], device: str) -> dict[str, Any]:
        """Open one socket per token (appended to this fleet); failures are counted."""
        new = [Tablet(token, self._note) for token in tokens]
        started = monotonic()
        results = await asyncio.gather(
            *(t.connect(url, device) for t in new), return_exceptions=True
        )
        errors = [repr(r) for r in results if isinstance(r, BaseException)]
        self.tablets.extend(t for t, r in zip(new, results, strict=True) if r is None)
        return {
            "connected": len(new) - len(errors),
            "errors": errors[:3],
            "secs": monotonic() - started,
        }

    async def join(
        self, meeting_id: int | list[int], last_seq: int | None, start: int, stop: int
    ) -> dict[str, Any]:
        """Join tablets ``start:stop`` (to one meeting, or tablet ``start + i`` to
        ``meeting_id[i]``); per-join latency and failures."""

        async def one(tablet: Tablet, meeting: int) -> tuple[float, str | None]:
            began = monotonic()
            try:
                ack = await tablet.join(meeting, last_seq)
            except Exception as exc:
                return monotonic() - began, repr(exc)
            error = None if ack.get("ok") else str(ack.get("error", {}).get("code"))
            return monotonic() - began, error

        tablets = self.tablets[start:stop]
        meetings = meeting_id if isinstance(meeting_id, list) else [meeting_id] * len(tablets)
        results = await asyncio.gather(*(one(t, m) for t, m in zip(tablets, meetings, strict=True)))
        return {
            "latencies": [r[0] for r in results],
            "errors": [r[1] for r in results if r[1]],
        }

    async def send(
        self, event: str, payloads: list[Any], starts: list[float], patience: float
    ) -> list[tuple[bool, str | None, float, float]]:
        """Tablet i sends ``payloads[i]`` on ``event`` at monotonic time ``starts[i]``;
        returns (ok, error code, sent at, ack at) per tablet."""

        async def one(
            tablet: Tablet, payload: Any, at: float
        ) -> tuple[bool, str | None, float, float]:
            await asyncio.sleep(max(0.0, at - monotonic()))
            sent = monotonic()
            try:
                ack = await tablet.call(event, payload, patience)
            except Exception as exc:
                return False, type(exc).__name__, sent, monotonic()
            done = monotonic()
            ok = bool(isinstance(ack, dict) and ack.get("ok"))
            code = None if ok else str((ack or {}).get("error", {}).get("code"))
            return ok, code, sent, done

        return list(
            await asyncio.gather(
                *(one(t, p, s) for t, p, s in zip(self.tablets, payloads, starts, strict=False))
            )
        )

    async def wait_for(self, kind: str, key: Any, count: int, within: float) -> int:
        """Wait until ``count`` receipts of (kind, key) or the timeout; returns how many."""
        deadline = monotonic() + within
        records = self.records[(kind, key)]
        count = min(count, sum(1 for t in self.tablets if t.sio.connected))
        while len(records) < count:
            remaining = deadline - monotonic()
            if remaining <= 0:
                break
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return len(records)

    async def take(self) -> dict[tuple[str, Any], list[float]]:
        """Everything noted so far (and forget it)."""
        records, self.records = dict(self.records), defaultdict(list)
        return records

    async def usage(self) -> dict[str, Any]:
        results = [t.last_result for t in self.tablets if t.last_result is not None]
        dropped: dict[str, int] = defaultdict(int)
        for tablet in self.tablets:
            if tablet.dropped is not None:
                dropped[tablet.dropped] += 1
        return {
            "cpu": time.process_time(),
            "messages": sum(t.messages for t in self.tablets),
            "presence": sum(t.presence for t in self.tablets),
            "presence_chars": sum(t.presence_chars for t in self.tablets),
            "tablets": len(self.tablets),
            "connected": sum(1 for t in self.tablets if t.sio.connected),
            "dropped": dict(dropped),
            "result": results[-1] if results else None,
        }

    async def settle(self, people: int, within: float) -> int:
        """Wait until every connected tablet's last presence list has ``people`` people
        (or ``within`` seconds); returns how many tablets got there."""
        deadline = monotonic() + within
        while True:
            settled = sum(1 for t in self.tablets if t.people >= people)
            live = sum(1 for t in self.tablets if t.sio.connected)
            if settled >= live or monotonic() > deadline:
                return settled
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        await asyncio.gather(*(t.close() for t in self.tablets))
        self.tablets = []


def new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def _worker_main(conn: Connection) -> None:
    """A worker process: run Fleet methods sent over ``conn`` until ``exit``."""
    with asyncio.Runner(loop_factory=new_loop) as runner:
        runner.run(_serve(conn))


async def _serve(conn: Connection) -> None:
    # A dropped connection is counted (Fleet.usage), not logged once per socket.
    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
    logging.getLogger("socketio.client").setLevel(logging.CRITICAL)
    fleet = Fleet()
    while True:
        method, args = await asyncio.to_thread(conn.recv)
        if method == "exit":
            await fleet.close()
            conn.send(("ok", None))
            return
        try:
            result = await getattr(fleet, method)(*args)
        except Exception as exc:  # reported to the driver, which raises it
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
        else:
            conn.send(("ok", result))


class Workers:
    """The tablets, split over ``procs`` worker processes in contiguous slices."""

    def __init__(self, procs: int = 1) -> None:
        self.procs = max(1, procs)
        self._conns: list[Connection] = []
        self._processes: list[Any] = []
        self.sizes: list[int] = [0] * self.procs
        # The tablets of each worker, as their indexes in the order they were connected.
        self.order: list[list[int]] = [[] for _ in range(self.procs)]
        self._locks: list[asyncio.Lock] = []

    async def __aenter__(self) -> Workers:
        context = multiprocessing.get_context("spawn")
        for _ in range(self.procs):
            parent, child = context.Pipe()
            process = context.Process(target=_worker_main, args=(child,), daemon=True)
            process.start()
            self._conns.append(parent)
            self._processes.append(process)
            self._locks.append(asyncio.Lock())
        return self

    async def __aexit__(self, *_exc: object) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.call_each("exit", [()] * self.procs), 60)
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()

    @property
    def count(self) -> int:
        return sum(self.sizes)

    async def _call(self, index: int, method: str, args: tuple[Any, ...]) -> Any:
        conn = self._conns[index]

        def roundtrip() -> Any:
            conn.send((method, args))
            return conn.recv()

        async with self._locks[index]:
            status, result = await asyncio.to_thread(roundtrip)
        if status != "ok":
            raise RuntimeError(f"worker {index}: {method}: {result}")
        return result

    async def call_each(self, method: str, args: list[tuple[Any, ...]]) -> list[Any]:
        return list(await asyncio.gather(*(self._call(i, method, a) for i, a in enumerate(args))))

    async def call_all(self, method: str, *args: Any) -> list[Any]:
        return await self.call_each(method, [args] * self.procs)

    async def connect(
        self,
        url: str,
        tokens: Sequence[str | None],
        progress: Progress = QUIET,
        device: str = "tablet",
    ) -> float:
        """Connect one socket per token (split over the workers); returns the seconds taken.
        A tablet's index is its place among all tablets connected so far (see ``join``)."""
        started = monotonic()
        share = [list(tokens[i :: self.procs]) for i in range(self.procs)]
        first = self.count
        for i in range(self.procs):
            self.order[i] += range(first + i, first + len(tokens), self.procs)
        done = 0
        for offset in range(0, max(len(s) for s in share), CONNECT_BATCH):
            batch = [s[offset : offset + CONNECT_BATCH] for s in share]
            results = await self.call_each("connect", [(url, b, device) for b in batch])
            for i, result in enumerate(results):
                self.sizes[i] += result["connected"]
                if result["errors"]:
                    raise RuntimeError(f"connect failed: {result['errors']}")
            done += sum(len(b) for b in batch)
            progress.step("connecting", done, len(tokens))
        return monotonic() - started

    async def join(
        self,
        meeting_id: int | Sequence[int],
        last_seq: int | None = None,
        progress: Progress = QUIET,
    ) -> tuple[list[float], float]:
        """Every tablet joins, ``JOIN_BATCH`` at a time per worker; (latencies, seconds).
        ``meeting_id`` is one meeting for all, or one per tablet in connection order."""
        started = monotonic()
        latencies: list[float] = []
        for offset in range(0, max(self.sizes), JOIN_BATCH):
            stop = offset + JOIN_BATCH
            results = await self.call_each(
                "join",
                [
                    (
                        meeting_id
                        if isinstance(meeting_id, int)
                        else [meeting_id[t] for t in self.order[i][offset:stop]],
                        last_seq,
                        offset,
                        stop,
                    )
                    for i in range(self.procs)
                ],
            )
            for result in results:
                if result["errors"]:
                    raise RuntimeError(f"join failed: {result['errors'][:3]}")
                latencies += result["latencies"]
            progress.step("joining", len(latencies), self.count)
        return latencies, monotonic() - started

    async def disconnect(self) -> None:
        """Close every tablet (the worker processes stay for the next phase)."""
        await self.call_all("close")
        self.sizes = [0] * self.procs
        self.order = [[] for _ in range(self.procs)]

    async def wait_for(self, kind: str, key: Any, within: float) -> int:
        counts = await self.call_each(
            "wait_for", [(kind, key, size, within) for size in self.sizes]
        )
        return int(sum(counts))

    async def take(self) -> dict[tuple[str, Any], list[float]]:
        merged: dict[tuple[str, Any], list[float]] = defaultdict(list)
        for records in await self.call_all("take"):
            for key, times in records.items():
                merged[key] += times
        return merged

    async def usage(self) -> dict[str, Any]:
        parts = await self.call_all("usage")
        results = [p["result"] for p in parts if p["result"] is not None]
        dropped: dict[str, int] = defaultdict(int)
        for part in parts:
            for reason, count in part["dropped"].items():
                dropped[reason] += count
        return {
            "cpu": sum(p["cpu"] for p in parts),
            "messages": sum(p["messages"] for p in parts),
            "presence": sum(p["presence"] for p in parts),
            "presence_chars": sum(p["presence_chars"] for p in parts),
            "connected": sum(p["connected"] for p in parts),
            "dropped": dict(dropped),
            "result": results[-1] if results else None,
        }

    async def settle(self, people: int, within: float) -> int:
        """Wait until every tablet has seen a presence list of ``people`` people."""
        return int(sum(await self.call_all("settle", people, within)))

    async def send(
        self,
        event: str,
        payloads: Sequence[Any],
        starts: Sequence[float],
        patience: float = BURST_TIMEOUT_SECS,
    ) -> list[tuple[bool, str | None, float, float]]:
        """Tablet i (in worker order) sends ``payloads[i]`` at ``starts[i]`` and waits at
        most ``patience`` seconds for its ack."""
        args, offset = [], 0
        for size in self.sizes:
            args.append(
                (
                    event,
                    list(payloads[offset : offset + size]),
                    list(starts[offset : offset + size]),
                    patience,
                )
            )
            offset += size
        results: list[tuple[bool, str | None, float, float]] = []
        for part in await self.call_each("send", args):
            results += [tuple(r) for r in part]
        return results


# --------------------------------------------------------------------------- scenarios


@dataclass
class Cpu:
    """CPU seconds spent by the server and by the load generator's workers over a phase."""

    server: float = 0.0
    generator: float = 0.0


@dataclass
class TurnResult:
    channel: str
    clients: int
    turns: int
    deliveries: list[float] = field(default_factory=list)  # send → receive, every tablet
    everyone: list[float] = field(default_factory=list)  # send → last tablet, per turn
    acks: list[float] = field(default_factory=list)  # send → ack at the presenter
    missing: int = 0
    cpu: Cpu = field(default_factory=Cpu)
    wall: float = 0.0

    def row(self) -> dict[str, Any]:
        deliveries, everyone, acks = (
            summary(self.deliveries),
            summary(self.everyone),
            summary(self.acks),
        )
        return {
            "channel": self.channel,
            "clients": self.clients,
            "turns": self.turns,
            "p50": deliveries["p50"],
            "p90": deliveries["p90"],
            "p99": deliveries["p99"],
            "max": deliveries["max"],
            "everyone_p50": everyone["p50"],
            "everyone_p99": everyone["p99"],
            "ack_p50": acks["p50"],
            "missing": self.missing,
            "server_cpu_per_turn": self.cpu.server / max(1, self.turns),
            "generator_cpu_per_turn": self.cpu.generator / max(1, self.turns),
        }


CpuReader = Callable[[], float]


def _no_cpu() -> float:
    return 0.0


async def page_turns(
    presenter: Tablet,
    workers: Workers,
    *,
    document_id: int,
    pages: int,
    turns: int,
    interval: float,
    channel: str = "cmd",
    server_cpu: CpuReader = _no_cpu,
    progress: Progress = QUIET,
    within: float = 30,
) -> TurnResult:
    """The presenter turns ``turns`` pages, one at a time: each turn is sent, then awaited on
    every tablet (or ``timeout``), then ``interval`` passes. ``channel`` is ``cmd``
    (``presenter.view``, stored) or ``ephemeral`` (relayed only)."""
    kind = "view" if channel == "cmd" else "ephemeral"
    result = TurnResult(channel, workers.count, turns)
    sent: dict[Any, float] = {}
    cpu0, gen0, began = server_cpu(), (await workers.usage())["cpu"], monotonic()
    for turn in range(turns):
        page, zoom = 1 + turn % pages, 100 + turn // pages
        view = {"document_id": document_id, "page": page, "zoom": zoom}
        sent[(page, zoom)] = at = monotonic()
        if channel == "cmd":
            ack = await presenter.cmd("presenter.view", view)
        else:
            ack = await presenter.call("ephemeral", {"kind": "view", "data": view})
        result.acks.append(monotonic() - at)
        check(ack, channel)
        got = await workers.wait_for(kind, (page, zoom), within)
        result.missing += workers.count - got
        progress.update(f"{channel} turn {turn + 1}/{turns}: {got}/{workers.count} received")
        if interval > 0:
            await asyncio.sleep(interval)
    result.wall = monotonic() - began
    result.cpu = Cpu(server_cpu() - cpu0, (await workers.usage())["cpu"] - gen0)
    for (got_kind, key), times in (await workers.take()).items():
        if got_kind != kind or key not in sent:
            continue
        latencies = [t - sent[key] for t in times]
        result.deliveries += latencies
        result.everyone.append(max(latencies))
    return result


@dataclass
class VoteResult:
    voters: int
    spread: float
    acks: list[float] = field(default_factory=list)
    ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    burst_wall: float = 0.0  # first send → last ack
    close_ack: float = 0.0  # poll.close sent → ack
    closed_everyone: float = 0.0  # poll.close ack → poll.closed on the last tablet
    closed_from_send: float = 0.0  # poll.close sent → poll.closed on the last tablet
    closed_p50: float = 0.0
    closed_received: int = 0
    ballots: int | None = None
    cpu: Cpu = field(default_factory=Cpu)

    def row(self) -> dict[str, Any]:
        acks = summary(self.acks)
        return {
            **{k: v for k, v in asdict(self).items() if k not in ("acks", "cpu")},
            "ack_p50": acks["p50"],
            "ack_p90": acks["p90"],
            "ack_p99": acks["p99"],
            "ack_max": acks["max"],
            "server_cpu": self.cpu.server,
            "generator_cpu": self.cpu.generator,
        }


async def vote_burst(
    chair: Tablet,
    workers: Workers,
    *,
    poll_id: int,
    spread: float,
    server_cpu: CpuReader = _no_cpu,
    progress: Progress = QUIET,
    within: float = 120,
) -> VoteResult:
    """Every tablet casts one ``vote.cast`` at an even pace over ``spread`` seconds; then
    the chair closes the poll and every tablet waits for ``poll.closed``."""
    count = workers.count
    result = VoteResult(count, spread)
    payloads = [
        {
            "id": uuid.uuid4().hex,
            "type": "vote.cast",
            "data": {"poll_id": poll_id, "choice": CHOICES[i % len(CHOICES)]},
        }
        for i in range(count)
    ]
    start = monotonic() + 0.5
    starts = [start + spread * i / count for i in range(count)]
    cpu0, gen0 = server_cpu(), (await workers.usage())["cpu"]
    progress.update(f"vote burst: {count} votes over {spread:g} s …", force=True)
    outcomes = await workers.send("cmd", payloads, starts, BURST_TIMEOUT_SECS)
    errors: dict[str, int] = defaultdict(int)
    for ok, code, sent, acked in outcomes:
        result.acks.append(acked - sent)
        if ok:
            result.ok += 1
        else:
            errors[str(code)] += 1
    result.errors = dict(errors)
    result.burst_wall = max(o[3] for o in outcomes) - min(o[2] for o in outcomes)
    progress.update("closing the poll …", force=True)
    close_sent = monotonic()
    check(await chair.cmd("poll.close", {"poll_id": poll_id}), "poll.close")
    close_acked = monotonic()
    result.close_ack = close_acked - close_sent
    result.closed_received = await workers.wait_for("poll.closed", poll_id, within)
    records = await workers.take()
    closed = [t - close_acked for t in records.get(("poll.closed", poll_id), [])]
    result.closed_everyone = max(closed) if closed else float("nan")
    result.closed_from_send = result.closed_everyone + result.close_ack
    result.closed_p50 = summary(closed)["p50"]
    usage = await workers.usage()
    result.cpu = Cpu(server_cpu() - cpu0, usage["cpu"] - gen0)
    if isinstance(usage["result"], dict):
        result.ballots = usage["result"].get("ballots")
    return result


# --------------------------------------------------------------------------- meeting set-up


@dataclass
class Stage:
    """A meeting ready for load: the chair (who also presents), the tablets' sessions and
    the document shown."""

    url: str
    meeting_id: int
    chair_token: str | None
    tablet_tokens: list[str | None]
    document_id: int = 1
    pages: int = 20


async def open_driver(url: str, token: str | None, meeting_id: int) -> Tablet:
    tablet = Tablet(token)
    tablet.keep = True
    await tablet.connect(url, device="driver")
    check(await tablet.join(meeting_id), "join")
    return tablet


async def start_presenting(chair: Tablet, presenter_id: int | None) -> None:
    """Start the meeting (if needed) and name the presenter."""
    ack = await chair.cmd("meeting.start")
    if not ack.get("ok") and ack.get("error", {}).get("code") != "conflict":
        check(ack, "meeting.start")
    check(await chair.cmd("presenter.set", {"user_id": presenter_id}), "presenter.set")


async def check_in_tablets(workers: Workers, progress: Progress = QUIET) -> float:
    """Every tablet checks itself in, all at once (each check-in is broadcast to the room);
    returns the seconds until the last ack."""
    count = workers.count
    payloads = [
        {"id": uuid.uuid4().hex, "type": "attendance.check_in", "data": {}} for _ in range(count)
    ]
    progress.update(f"{count} tablets check in …", force=True)
    began = monotonic()
    outcomes = await workers.send("cmd", payloads, [0.0] * count, BURST_TIMEOUT_SECS)
    refused = [o for o in outcomes if not o[0] and o[1] != "conflict"]
    if refused:
        raise RuntimeError(f"check-in refused: {refused[:3]}")
    return monotonic() - began


async def check_in_users(driver: Tablet, user_ids: Sequence[int]) -> list[float]:
    """The chair or the clerk records each person's attendance, one command at a time;
    returns the ack latencies."""
    latencies = []
    for user_id in user_ids:
        began = monotonic()
        ack = await driver.cmd("attendance.check_in", {"user_id": user_id})
        if not ack.get("ok") and ack.get("error", {}).get("code") != "conflict":
            check(ack, "attendance.check_in")
        latencies.append(monotonic() - began)
    return latencies


async def open_poll(chair: Tablet) -> int:
    """The chair creates and opens a named yes/no/abstain poll; returns its id."""
    ack = check(
        await chair.cmd(
            "poll.create",
            {
                "title": "Biểu quyết thông qua nghị quyết",
                "kind": "yes_no_abstain",
                "secret": False,
                "allow_change": False,
                "majority": "simple",
                "quorum": {"kind": "none"},
            },
        ),
        "poll.create",
    )
    poll_id = await _created_poll_id(chair, ack)
    check(await chair.cmd("poll.open", {"poll_id": poll_id}), "poll.open")
    return poll_id


async def _created_poll_id(chair: Tablet, ack: dict[str, Any]) -> int:
    """The poll id of the ``poll.created`` event the chair received at the ack's seq."""
    seq = int(ack["seq"])
    for _ in range(100):
        event = chair.kept.get(seq)
        if event is not None and event["type"] == "poll.created":
            return int(event["data"]["poll_id"])
        await asyncio.sleep(0.05)
    raise RuntimeError("poll.created was not received")


# --------------------------------------------------------------------------- command line


def _demo_password() -> str:
    env = os.environ.get("ECABINET_BENCH_PASSWORD")
    if env:
        return env
    try:
        from harness.server import DEMO_PASSWORD
    except ImportError:  # pragma: no cover - outside the repository
        return ""
    return DEMO_PASSWORD


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench.load",
        description="Many real Socket.IO tablets in one E-cabinet meeting (or the bare relay).",
    )
    p.add_argument("--url", default="http://127.0.0.1:8000", help="server base URL")
    p.add_argument("--relay", action="store_true", help="the target is bench.relay (no accounts)")
    p.add_argument("--clients", type=int, default=100, help="tablets (sockets) to connect")
    p.add_argument(
        "--users",
        type=int,
        default=0,
        help="distinct users (default: one per tablet; fewer share sessions)",
    )
    p.add_argument(
        "--scenario", choices=("pageturn", "ephemeral", "vote", "idle"), default="pageturn"
    )
    p.add_argument("--meeting", type=int, help="an existing meeting (its roster has the users)")
    p.add_argument("--turns", type=int, default=30, help="page turns (pageturn, ephemeral)")
    p.add_argument("--interval", type=float, default=0.1, help="pause between turns, seconds")
    p.add_argument(
        "--spread", type=float, default=1.0, help="seconds over which the votes are cast"
    )
    p.add_argument("--hold", type=float, default=30.0, help="seconds to stay connected (idle)")
    p.add_argument("--procs", type=int, default=1, help="worker processes holding the tablets")
    p.add_argument("--user-prefix", default=DEFAULT_USER_PREFIX)
    p.add_argument("--password", default=None, help="password of the generated users")
    p.add_argument("--admin", default="admin")
    p.add_argument("--admin-password", default=None, help="creates users and a meeting when given")
    p.add_argument("--chair", default="chair")
    p.add_argument("--chair-password", default=None)
    p.add_argument("--clerk", default="clerk")
    p.add_argument("--clerk-password", default=None)
    p.add_argument("--json", help="also write the result as JSON to this file")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    return p


async def _stage(args: argparse.Namespace, progress: Progress) -> tuple[Stage, int | None]:
    """Accounts, meeting, document; returns the stage and the presenter's user id."""
    if args.relay:
        tokens: list[str | None] = [None] * args.clients
        return Stage(args.url, args.meeting or 1, None, tokens, 1, 20), None
    demo = _demo_password()
    password = args.password or demo
    users = min(args.users or args.clients, args.clients)
    names = [f"{args.user_prefix}-{i:04d}" for i in range(1, users + 1)]
    chair_token = await login(args.url, args.chair, args.chair_password or demo)
    async with http_client(args.url, chair_token) as http:
        chair_id = int((await http.get("/api/me")).json()["user"]["id"])
    meeting_id = args.meeting
    if meeting_id is None:
        admin = await login(args.url, args.admin, args.admin_password or demo)
        made = await ensure_users(args.url, admin, args.user_prefix, users, password, progress)
        ids = await user_ids(args.url, admin)
        roster = [(chair_id, "chair"), (ids[args.clerk], "clerk")]
        roster += [(uid, "member") for _, uid in made]
        meeting_id = await create_meeting(args.url, admin, f"Phiên họp tải {args.clients}", roster)
    async with http_client(args.url, chair_token) as http:
        documents = (await http.get(f"/api/meetings/{meeting_id}/documents")).json()["documents"]
    if documents:
        document = documents[0]
    else:
        clerk = await login(args.url, args.clerk, args.clerk_password or demo)
        document, _ = await upload_pdf(args.url, clerk, meeting_id, small_pdf(20))
    user_tokens = await login_all(args.url, names, password, progress)
    tablet_tokens: list[str | None] = [user_tokens[i % users] for i in range(args.clients)]
    stage = Stage(
        args.url,
        meeting_id,
        chair_token,
        tablet_tokens,
        int(document["id"]),
        int(document["pages"]),
    )
    return stage, chair_id


async def run(args: argparse.Namespace) -> dict[str, Any]:
    progress = Progress(enabled=not args.quiet)
    stage, presenter_id = await _stage(args, progress)
    chair = await open_driver(stage.url, stage.chair_token, stage.meeting_id)
    try:
        if not args.relay:
            await start_presenting(chair, presenter_id)
        async with Workers(args.procs) as workers:
            connect_secs = await workers.connect(stage.url, stage.tablet_tokens, progress)
            began = monotonic()
            joins, join_secs = await workers.join(stage.meeting_id, None, progress)
            if not args.relay:
                # Wait for the join storm to end: every presence list has our users + chair.
                people = len(set(stage.tablet_tokens)) + 1
                progress.update("waiting for every tablet's presence list …", force=True)
                await workers.settle(people, 240)
            usage = await workers.usage()
            report: dict[str, Any] = {
                "url": stage.url,
                "meeting_id": stage.meeting_id,
                "clients": workers.count,
                "connect_secs": connect_secs,
                "join_secs": join_secs,
                "storm_secs": monotonic() - began,
                "presence_messages": usage["presence"],
                "presence_chars": usage["presence_chars"],
                "join": summary(joins),
            }
            if args.scenario in ("pageturn", "ephemeral"):
                channel = "cmd" if args.scenario == "pageturn" else "ephemeral"
                turns = await page_turns(
                    chair,
                    workers,
                    document_id=stage.document_id,
                    pages=stage.pages,
                    turns=args.turns,
                    interval=args.interval,
                    channel=channel,
                    progress=progress,
                )
                report["turns"] = turns.row()
            elif args.scenario == "vote":
                if args.relay:
                    poll_id = 1
                else:
                    report["checkin_secs"] = await check_in_tablets(workers, progress)
                    poll_id = await open_poll(chair)
                votes = await vote_burst(
                    chair, workers, poll_id=poll_id, spread=args.spread, progress=progress
                )
                report["votes"] = votes.row()
            else:
                ends = monotonic() + args.hold
                while (left := ends - monotonic()) > 0:
                    usage = await workers.usage()
                    progress.update(
                        f"idle: {usage['connected']}/{workers.count} connected, {left:.0f} s left"
                    )
                    await asyncio.sleep(min(1.0, left))
                report["usage"] = await workers.usage()
            report["dropped"] = (await workers.usage())["dropped"]
    finally:
        await chair.close()
    progress.done()
    return report


def print_report(report: dict[str, Any]) -> None:
    print(f"{report['clients']} tablets at {report['url']} (meeting {report['meeting_id']})")
    join = report["join"]
    print(
        f"connect {secs(report['connect_secs'])}, join {secs(report['join_secs'])} "
        f"(join ack p50 {ms(join['p50'])}, p99 {ms(join['p99'])}); every presence list "
        f"complete after {secs(report['storm_secs'])}: {report['presence_messages']:,} "
        f"presence messages, {stats.size(report['presence_chars'])}"
    )
    if report.get("dropped"):
        print(f"connections dropped: {report['dropped']}")
    if "turns" in report:
        t = report["turns"]
        print(
            table(
                ["channel", "turns", "p50", "p90", "p99", "max", "last tablet p50", "missing"],
                [
                    [
                        t["channel"],
                        t["turns"],
                        ms(t["p50"]),
                        ms(t["p90"]),
                        ms(t["p99"]),
                        ms(t["max"]),
                        ms(t["everyone_p50"]),
                        t["missing"],
                    ]
                ],
            )
        )
    if "votes" in report:
        v = report["votes"]
        print(
            table(
                [
                    "votes ok",
                    "ack p50",
                    "ack p99",
                    "burst",
                    "close sent → all closed",
                    "ballots",
                    "errors",
                ],
                [
                    [
                        v["ok"],
                        ms(v["ack_p50"]),
                        ms(v["ack_p99"]),
                        secs(v["burst_wall"]),
                        ms(v["closed_from_send"]),
                        "—" if v["ballots"] is None else v["ballots"],
                        v["errors"] or "-",
                    ]
                ],
            )
        )


def main(argv: list[str] | None = None) -> int:
    cli = parser()
    args = cli.parse_args(argv)
    if args.scenario == "vote" and 0 < args.users < args.clients and not args.relay:
        cli.error("--scenario vote needs one user per tablet (one ballot each): drop --users")
    with asyncio.Runner(loop_factory=new_loop) as runner:
        report = runner.run(run(args))
    print_report(report)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(report, out, indent=2, default=str)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
