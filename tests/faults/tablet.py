"""A tablet that heals itself, as the tablet app does (frontend/js/room-link.js).

Rules mirrored from the app and docs/protocol.md:

- events are applied strictly in ``seq`` order: ``seq <= last_seq`` is a duplicate and
  dropped; ``seq > last_seq + 1`` is held back, and if the gap is still there after
  ``GAP_GRACE_SECS`` the room is joined again with ``last_seq``;
- a ``head`` beyond ``last_seq`` is a gap at the tail, handled the same way;
- ``resync-required`` (and any lost connection) means: connect again, with a jittered,
  growing delay, and join with ``last_seq`` (the answer replays the missing events, or is a
  snapshot when the client is too far behind);
- a command keeps its id across attempts: one that got no ack (the connection dropped, the
  worker died) is sent again with the same id, and the server answers the original ack.

What the tablet holds is kept so that tests can compare it with the server: the snapshot
it last loaded (``base``) and every event it applied after it, in order. Nothing is ever
applied twice: ``applied`` would show it.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import socketio

from harness.client import COOKIE

GAP_GRACE_SECS = 1.5  # as the tablet app: out-of-order workers, held participation events
ACK_TIMEOUT_SECS = 10.0  # a command without an ack after this long is sent again
CONNECT_TIMEOUT_SECS = 5.0
BACKOFF_FIRST_SECS = 0.25  # first reconnection delay, doubling …
BACKOFF_MAX_SECS = 2.0  # … up to this; each delay is drawn from [½, 1½] × the nominal one


class TabletStopped(Exception):
    pass


@dataclass
class _Connection:
    sio: socketio.AsyncClient
    url: str
    gone: asyncio.Event = field(default_factory=asyncio.Event)


class Tablet:
    def __init__(
        self,
        urls: Sequence[str],
        token: str,
        meeting_id: int,
        *,
        name: str = "tablet",
        rng: random.Random | None = None,
        home: int | None = None,
    ) -> None:
        self.urls = list(urls)
        self.token = token
        self.meeting_id = meeting_id
        self.name = name
        self.rng = rng or random.Random()
        # the worker tried first (a load balancer's choice); the next one after a failure
        self._url_index = self.rng.randrange(len(self.urls)) if home is None else home
        # What the tablet holds: the last snapshot it loaded and the events after it.
        self.base: dict[str, Any] | None = None  # the snapshot's "state"
        self.base_seq = 0
        self.applied: list[dict[str, Any]] = []
        self.you: dict[str, Any] | None = None
        self._pending: dict[int, dict[str, Any]] = {}
        # Counters for the tests.
        self.connections = 0
        self.snapshots = 0
        self.rejoins = 0
        self.duplicates = 0
        self.resync_notices = 0
        self.urls_used: list[str] = []
        self.connected_at: list[float] = []  # time.monotonic() of each connection
        self.attempts = 0  # command sendings, retries included
        self.join_modes: list[tuple[int | None, str]] = []  # (last_seq sent, answer mode)
        self.failure: BaseException | None = None
        # Connection state.
        self._conn: _Connection | None = None
        self._joined = asyncio.Event()
        self._joining = False
        self._rejoin = asyncio.Event()
        self._progress = asyncio.Event()
        self._gap_timer: asyncio.TimerHandle | None = None
        self._stopped = False
        self._task: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None

    # --- what the tablet holds -----------------------------------------------------------

    @property
    def last_seq(self) -> int:
        return self.applied[-1]["seq"] if self.applied else self.base_seq

    @property
    def user_id(self) -> int:
        assert self.you is not None
        return int(self.you["user_id"])

    # --- life cycle ----------------------------------------------------------------------

    async def start(self, within: float = 30.0) -> Tablet:
        self._http = aiohttp.ClientSession()
        self._task = asyncio.create_task(self._run(), name=f"tablet {self.name}")
        await self.wait_joined(within)
        return self

    async def wait_joined(self, within: float = 30.0) -> None:
        async with asyncio.timeout(within):
            await self._joined.wait()
        self._check()

    def _check(self) -> None:
        if self.failure is not None:
            raise AssertionError(f"tablet {self.name} failed") from self.failure

    async def stop(self) -> None:
        self._stopped = True
        if self._gap_timer is not None:
            self._gap_timer.cancel()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._conn is not None:
            await self._close(self._conn)
        if self._http is not None:
            await self._http.close()

    async def go_offline(self) -> None:
        """Leave, keeping what the tablet holds (a tablet put to sleep)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        if self._conn is not None:
            await self._close(self._conn)
            self._conn = None
        self._joined.clear()

    async def go_online(self, within: float = 30.0) -> None:
        self._task = asyncio.create_task(self._run(), name=f"tablet {self.name}")
        await self.wait_joined(within)

    async def drop_connection(self) -> None:
        """Close the socket from this side (the tablet reconnects by itself)."""
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.sio.eio.disconnect(abort=True)
            self._conn.gone.set()

    async def _run(self) -> None:
        try:
            await self._connect_forever()
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            self.failure = exc
            self._stopped = True
            self._joined.set()  # wake those who wait: they find the failure
            self._progress.set()
            raise

    async def _connect_forever(self) -> None:
        attempt = 0
        while not self._stopped:
            conn = await self._connect()
            if conn is None:
                attempt += 1
                await asyncio.sleep(self._backoff(attempt))
                continue
            attempt = 0
            try:
                await self._serve(conn)
            finally:
                self._joined.clear()
                await self._close(conn)
            if not self._stopped:
                attempt += 1
                await asyncio.sleep(self._backoff(attempt))

    def _backoff(self, attempt: int) -> float:
        nominal = min(BACKOFF_MAX_SECS, BACKOFF_FIRST_SECS * 2 ** (attempt - 1))
        return nominal * self.rng.uniform(0.5, 1.5)

    async def _connect(self) -> _Connection | None:
        url = self.urls[self._url_index % len(self.urls)]
        sio = socketio.AsyncClient(reconnection=False, http_session=self._http)
        conn = _Connection(sio, url)
        sio.on("event", lambda data: self._on_event(conn, data))
        sio.on("events", lambda data: self._on_events(conn, data))
        sio.on("head", lambda data: self._on_head(conn, data))
        sio.on("resync-required", lambda data: self._on_resync(conn, data))
        sio.on("disconnect", lambda *_args: conn.gone.set())
        try:
            await sio.connect(
                url,
                headers={"Cookie": f"{COOKIE}={self.token}", "Origin": url},
                transports=["websocket"],
                auth={"device": self.name},
                wait_timeout=CONNECT_TIMEOUT_SECS,
            )
        except Exception:
            self._url_index += 1  # as a load balancer would: try the next worker
            await self._close(conn)
            return None
        self._conn = conn
        self.connections += 1
        self.urls_used.append(url)
        self.connected_at.append(time.monotonic())
        return conn

    async def _close(self, conn: _Connection) -> None:
        conn.gone.set()
        with contextlib.suppress(Exception):
            async with asyncio.timeout(2):
                await conn.sio.disconnect()
        with contextlib.suppress(Exception):
            await conn.sio.eio.disconnect(abort=True)

    async def _serve(self, conn: _Connection) -> None:
        """Join, then join again whenever a gap or a notice asks for it, until the
        connection is gone."""
        self._rejoin.set()
        while not conn.gone.is_set():
            if self._rejoin.is_set():
                self._rejoin.clear()
                if not await self._join(conn):
                    return
                continue
            gone = asyncio.ensure_future(conn.gone.wait())
            rejoin = asyncio.ensure_future(self._rejoin.wait())
            try:
                await asyncio.wait({gone, rejoin}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                gone.cancel()
                rejoin.cancel()

    async def _join(self, conn: _Connection) -> bool:
        last_seq = self.last_seq if self.base is not None else None
        self._joining = True
        try:
            ack = await self._call(
                conn, "join", {"meeting_id": self.meeting_id, "last_seq": last_seq}
            )
        finally:
            self._joining = False
        if ack is None:
            return False
        if not ack.get("ok"):
            raise AssertionError(f"{self.name}: join refused: {ack}")
        self.you = ack["you"]
        self.join_modes.append((last_seq, ack["mode"]))
        if ack["mode"] == "snapshot":
            self.snapshots += 1
            self.base = ack["snapshot"]["state"]
            self.base_seq = ack["seq"]
            self.applied = []
        else:
            for event in ack["events"]:
                self._accept(event)
        if self.base is not None and last_seq is not None:
            self.rejoins += 1
        self._joined.set()
        if self._drain():
            self._schedule_gap_fill()
        self._progress.set()
        return True

    # --- events --------------------------------------------------------------------------

    def _on_events(self, conn: _Connection, batch: dict[str, Any]) -> None:
        for event in batch.get("events", []):
            self._on_event(conn, event)

    def _on_event(self, conn: _Connection, event: dict[str, Any]) -> None:
        if conn is not self._conn or event.get("meeting_id") != self.meeting_id:
            return
        if self.base is None or self._joining:
            self._pending[event["seq"]] = event  # applied after the join's answer
            return
        self._accept(event)
        if self._drain():
            self._schedule_gap_fill()
        self._progress.set()

    def _on_head(self, conn: _Connection, data: dict[str, Any]) -> None:
        if conn is not self._conn or data.get("meeting_id") != self.meeting_id:
            return
        if self.base is not None and data["seq"] > self.last_seq:
            self._schedule_gap_fill()

    def _on_resync(self, conn: _Connection, _data: Any) -> None:
        if conn is self._conn:
            self.resync_notices += 1
            self._rejoin.set()

    def _accept(self, event: dict[str, Any]) -> None:
        seq = event["seq"]
        if seq <= self.last_seq:
            self.duplicates += 1
            return
        if seq > self.last_seq + 1:
            self._pending[seq] = event
            return
        self.applied.append(event)

    def _drain(self) -> bool:
        """Apply held-back events that now follow; True while a gap remains."""
        while (event := self._pending.pop(self.last_seq + 1, None)) is not None:
            self.applied.append(event)
        for seq in [s for s in self._pending if s <= self.last_seq]:
            del self._pending[seq]
            self.duplicates += 1
        if not self._pending and self._gap_timer is not None:
            self._gap_timer.cancel()
            self._gap_timer = None
        return bool(self._pending)

    def _schedule_gap_fill(self) -> None:
        if self._gap_timer is not None or self._stopped:
            return

        def fill() -> None:
            self._gap_timer = None
            self._rejoin.set()

        self._gap_timer = asyncio.get_running_loop().call_later(GAP_GRACE_SECS, fill)

    async def wait_for_seq(self, seq: int, within: float) -> None:
        async with asyncio.timeout(within):
            while self.last_seq < seq:
                self._check()
                self._progress.clear()
                if self.last_seq >= seq:
                    return
                await self._progress.wait()

    # --- commands ------------------------------------------------------------------------

    async def _call(self, conn: _Connection, event: str, data: Any) -> Any:
        """Emit with an ack; None when the connection went away or no ack came in time."""
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

        def on_ack(*args: Any) -> None:
            if not answer.done():
                answer.set_result(args[0] if args else None)

        try:
            await conn.sio.emit(event, data, callback=on_ack)
        except Exception:
            conn.gone.set()
            return None
        gone = asyncio.ensure_future(conn.gone.wait())
        try:
            await asyncio.wait(
                {answer, gone}, timeout=ACK_TIMEOUT_SECS, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            gone.cancel()
        if answer.done():
            return answer.result()
        if not conn.gone.is_set():  # no answer in time: treat the link as dead
            await self.drop_connection()
        return None

    async def command(
        self,
        type_: str,
        data: dict[str, Any] | None = None,
        *,
        command_id: str | None = None,
        within: float = 120.0,
    ) -> dict[str, Any]:
        """Send a command until it is answered, always with the same id."""
        envelope = {"id": command_id or uuid.uuid4().hex, "type": type_, "data": data or {}}
        async with asyncio.timeout(within):
            while True:
                if self._stopped:
                    raise TabletStopped(self.name)
                await self._joined.wait()
                self._check()
                conn = self._conn
                assert conn is not None
                self.attempts += 1
                ack = await self._call(conn, "cmd", envelope)
                if ack is None:
                    await asyncio.sleep(0.05)
                    continue
                if not ack.get("ok") and ack["error"]["code"] == "not-joined":
                    self._joined.clear()
                    self._rejoin.set()
                    continue
                return dict(ack)
