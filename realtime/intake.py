"""Connections that never get in, and frames python-socketio cannot decode: both are closed.

``Intake`` wraps the two Engine.IO handlers python-socketio installs (``connect`` and
``message``):

- an Engine.IO connection that has not connected to the namespace
  ``CONNECT_DEADLINE_SECS`` after it opened (it only answers pings, or its handshake was
  refused and it stayed) is closed;
- a message python-socketio fails to decode or dispatch (not JSON, a packet type or
  namespace it does not know, a frame too deep to decode that is not an event) closes its
  connection. python-socketio would log a traceback and keep the connection, ready for the
  next one. Exceptions of the hub's own connect and disconnect handlers never get here
  (they catch and log their own), so what does is the frame's fault.

Each closed connection costs one line of ``Notices``, once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import socketio

from realtime.closing import SocketCloser
from realtime.notices import Notices

CONNECT_DEADLINE_SECS = 10.0  # from opening the connection to connecting to the namespace

EngineHandler = Callable[[str, Any], Awaitable[Any]]


class Intake:
    def __init__(
        self,
        sio: socketio.AsyncServer,
        closer: SocketCloser,
        notices: Notices,
        deadline_secs: float = CONNECT_DEADLINE_SECS,
    ) -> None:
        self._sio = sio
        self._closer = closer
        self._notices = notices
        self._deadline_secs = deadline_secs
        self._deadlines: set[asyncio.Task[None]] = set()
        self._closed: set[str] = set()  # connections closed for a frame, until they are gone
        sio.eio.on("connect", self._opened(sio.eio.handlers["connect"]))
        sio.eio.on("message", self._guarded(sio.eio.handlers["message"]))
        sio.eio.on("disconnect", self._gone(sio.eio.handlers["disconnect"]))

    def _opened(self, handler: EngineHandler) -> EngineHandler:
        async def opened(eio_sid: str, environ: Any) -> Any:
            answer = await handler(eio_sid, environ)
            task = asyncio.create_task(self._deadline(eio_sid))
            self._deadlines.add(task)
            task.add_done_callback(self._deadlines.discard)
            return answer

        return opened

    def _guarded(self, handler: EngineHandler) -> EngineHandler:
        async def guarded(eio_sid: str, data: Any) -> Any:
            try:
                return await handler(eio_sid, data)
            except Exception as exc:
                if eio_sid not in self._closed:
                    self._closed.add(eio_sid)
                    self._notices.tell(
                        f"a connection sent a message that cannot be read "
                        f"({type(exc).__name__}); it was closed"
                    )
                    self._closer.close_connection(eio_sid)
                return None

        return guarded

    def _gone(self, handler: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def gone(eio_sid: str, *args: Any) -> Any:
            self._closed.discard(eio_sid)
            return await handler(eio_sid, *args)

        return gone

    async def _deadline(self, eio_sid: str) -> None:
        await asyncio.sleep(self._deadline_secs)
        socket = self._sio.eio.sockets.get(eio_sid)
        if socket is None or socket.closed or self._sio.manager.sid_from_eio_sid(eio_sid, "/"):
            return
        self._notices.tell(
            f"a connection did not sign in within {self._deadline_secs:g} s; it was closed"
        )
        self._closer.close_connection(eio_sid)
