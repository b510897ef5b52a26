"""A bound on what the server may hold queued for one client.

Engine.IO gives every socket an unbounded send queue. A tablet that stops reading (a frozen
app, a Wi-Fi link that died without closing) makes its queue grow with every event of its
meeting, and its writer task blocks on a full TCP window forever. ``SendGuard`` replaces
those queues with ``SendQueue``, which refuses a message beyond ``max_messages`` or
``max_bytes``. On the first refusal the client is dropped:

1. everything still queued for it is discarded (the events stay in the meeting's log);
2. a ``resync-required`` event, a Socket.IO DISCONNECT and an Engine.IO CLOSE are queued,
   so that a client that was merely slow reads, after what it already had in flight, that
   it must re-join with its ``last_seq``;
3. the socket is closed at once for the server (its disconnect handlers run: it leaves its
   rooms and presence), and nothing more is queued for it;
4. if the connection is still open ``abort_after_secs`` later (the client never read its
   notice), the TCP connection is aborted, which frees the buffers the blocked writer held.

The other clients are never slowed: a room emit only puts a shared packet on each queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import engineio
import socketio

log = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGES = 1000  # queued messages per client; a healthy tablet holds a few
DEFAULT_MAX_BYTES = 8 * 1024 * 1024  # queued bytes per client
ABORT_AFTER_SECS = 5.0  # time a dropped client has to read its notice before the abort
RESYNC_EVENT = "resync-required"
SLOW_CONSUMER = "slow-consumer"


@dataclass(frozen=True)
class SendLimits:
    max_messages: int = DEFAULT_MAX_MESSAGES
    max_bytes: int = DEFAULT_MAX_BYTES
    abort_after_secs: float = ABORT_AFTER_SECS

    def __post_init__(self) -> None:
        if self.max_messages < 1 or self.max_bytes < 1 or self.abort_after_secs < 0:
            raise ValueError("send limits must be positive")


@dataclass(frozen=True)
class QueueStats:
    """What the sockets of this process have queued: totals and the largest queue."""

    sockets: int
    messages: int
    bytes: int
    max_messages: int


def _size(item: Any) -> int:
    data = getattr(item, "data", None)
    return len(data) if isinstance(data, str | bytes) else 0


class SendQueue(asyncio.Queue[Any]):
    """An Engine.IO socket's send queue that refuses messages beyond its limits.

    ``None`` (Engine.IO's "stop the writer" sentinel) is always accepted. After the first
    refusal every further message is refused too, and ``on_overflow`` is called once.
    """

    def __init__(self, limits: SendLimits, on_overflow: Callable[[SendQueue], None]) -> None:
        super().__init__()
        self.limits = limits
        self.bytes = 0
        self.overflowed = False
        self._on_overflow = on_overflow

    def _put(self, item: Any) -> None:
        super()._put(item)
        self.bytes += _size(item)

    def _get(self) -> Any:
        item = super()._get()
        self.bytes -= _size(item)
        return item

    def put_nowait(self, item: Any) -> None:
        if item is None:
            super().put_nowait(item)
            return
        if self.overflowed:
            return
        if (
            self.qsize() >= self.limits.max_messages
            or self.bytes + _size(item) > self.limits.max_bytes
        ):
            self.overflowed = True
            self._on_overflow(self)
            return
        super().put_nowait(item)

    async def put(self, item: Any) -> None:
        self.put_nowait(item)

    def discard_all(self) -> int:
        """Drop everything queued; returns how many messages were dropped."""
        dropped = 0
        while True:
            try:
                self.get_nowait()
            except asyncio.QueueEmpty:
                return dropped
            self.task_done()
            dropped += 1

    def force_put(self, item: Any) -> None:
        """Queue past the limits (the final notice of a dropped client)."""
        super().put_nowait(item)


class SendGuard:
    """Installs ``SendQueue`` on every Engine.IO socket of ``sio`` and drops the clients
    that overflow theirs. ``on_drop(sid)`` is told of each drop (after the socket closed)."""

    def __init__(
        self,
        sio: socketio.AsyncServer,
        limits: SendLimits,
        on_drop: Callable[[], None] | None = None,
    ) -> None:
        self._sio = sio
        self.limits = limits
        self._on_drop = on_drop
        self._tasks: set[asyncio.Task[None]] = set()
        sio.eio.create_queue = self._create_queue

    def _create_queue(self, *_args: Any, **_kwargs: Any) -> SendQueue:
        return SendQueue(self.limits, self._overflowed)

    def _overflowed(self, queue: SendQueue) -> None:
        task = asyncio.get_running_loop().create_task(self._drop(queue))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _socket_of(self, queue: SendQueue) -> tuple[str, Any] | None:
        for eio_sid, socket in list(self._sio.eio.sockets.items()):
            if socket.queue is queue:
                return eio_sid, socket
        return None

    async def _drop(self, queue: SendQueue) -> None:
        found = self._socket_of(queue)
        dropped = queue.discard_all()
        if found is None:
            return
        eio_sid, socket = found
        transport = _websocket_transport(self._sio.environ.get(eio_sid))
        log.warning(
            "client %s read too slowly (%d messages discarded): disconnected", eio_sid, dropped
        )
        notice = socketio.packet.Packet(
            socketio.packet.EVENT, data=[RESYNC_EVENT, {"reason": SLOW_CONSUMER}], namespace="/"
        )
        disconnect = socketio.packet.Packet(socketio.packet.DISCONNECT, namespace="/")
        for pkt in (notice, disconnect):
            queue.force_put(engineio.packet.Packet(engineio.packet.MESSAGE, data=pkt.encode()))
        queue.force_put(engineio.packet.Packet(engineio.packet.CLOSE))
        queue.force_put(None)  # the writer stops after the notice
        try:
            await socket.close(wait=False, abort=True)  # the disconnect handlers run now
        except Exception:
            log.exception("closing the slow client %s failed", eio_sid)
        if self._on_drop is not None:
            self._on_drop()
        if transport is not None:
            await asyncio.sleep(self.limits.abort_after_secs)
            with contextlib.suppress(Exception):
                transport.abort()

    def stats(self) -> QueueStats:
        messages = total_bytes = largest = sockets = 0
        for socket in list(self._sio.eio.sockets.values()):
            queue = socket.queue
            if socket.closed or not isinstance(queue, SendQueue):
                continue
            sockets += 1
            size = queue.qsize()
            messages += size
            total_bytes += queue.bytes
            largest = max(largest, size)
        return QueueStats(sockets, messages, total_bytes, largest)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def _websocket_transport(environ: dict[str, Any] | None) -> Any:
    """The asyncio transport under a websocket connection, when the ASGI server exposes it
    (uvicorn: the ``send`` callable is a method of the connection's protocol object).

    Only for a websocket scope: the transport of an HTTP request (long-polling) may serve
    other requests of the same keep-alive connection later."""
    if not environ or environ.get("asgi.scope", {}).get("type") != "websocket":
        return None
    protocol = getattr(environ.get("asgi.send"), "__self__", None)
    transport = getattr(protocol, "transport", None)
    return transport if callable(getattr(transport, "abort", None)) else None
