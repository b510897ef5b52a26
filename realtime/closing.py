"""Closing the sockets of ended sessions, each with a ``session-ended`` notice first, and
the connections that never got in.

Contract: a socket is closed only on this worker (``ignore_queue``: no detour through
Redis); ``close_sessions_here`` closes at once, ``close_soon`` after
``ACK_BEFORE_CLOSE_SECS`` so that the ack being answered reaches the client first.

``close_connection`` ends an Engine.IO connection that has no socket in the namespace (a
refused handshake, an unreadable frame, no sign-in in time) after what is queued for it: a
websocket through the gate (``gate.GatedReceive``) at once and in order; any other (long
polling, a websocket upgraded from it) after ``ACK_BEFORE_CLOSE_SECS``, waiting at most
``CLOSE_WAIT_SECS`` for the client to collect its last packets.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any

import socketio

from realtime.gate import GatedReceive
from realtime.rooms import session_room

ACK_BEFORE_CLOSE_SECS = 0.1  # lets a refusal's ack reach the client before its socket closes
CLOSE_WAIT_SECS = 5.0  # a long-polling client's time to collect its last packets


class SocketCloser:
    def __init__(self, sio: socketio.AsyncServer) -> None:
        self._sio = sio
        self._closing: set[asyncio.Task[None]] = set()

    def close_soon(self, sid: str) -> None:
        """Close the socket just after the current ack has gone out."""

        async def close() -> None:
            await asyncio.sleep(ACK_BEFORE_CLOSE_SECS)
            await self._end(sid)

        self._later(close())

    def close_connection(self, eio_sid: str) -> None:
        """End the Engine.IO connection ``eio_sid`` after what is queued for it."""
        receive = self._sio.environ.get(eio_sid, {}).get("asgi.receive")
        if isinstance(receive, GatedReceive):
            receive.hang_up()
            return

        async def close() -> None:
            await asyncio.sleep(ACK_BEFORE_CLOSE_SECS)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._sio.eio.disconnect(eio_sid), CLOSE_WAIT_SECS)

        self._later(close())

    def _later(self, closing: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(closing)
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def close_sessions_here(self, session_keys: list[str]) -> int:
        """Disconnect this process's sockets of the given sessions; returns how many."""
        closed = 0
        for key in session_keys:
            sids = [sid for sid, _eio in self._sio.manager.get_participants("/", session_room(key))]
            for sid in sids:
                await self._end(sid)
                closed += 1
        return closed

    async def _end(self, sid: str) -> None:
        # ignore_queue: the socket is on this worker; no need to go through Redis.
        await self._sio.emit("session-ended", {}, to=sid, ignore_queue=True)
        await self._sio.disconnect(sid, ignore_queue=True)
