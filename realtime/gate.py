"""A gate on every websocket of the Socket.IO app: frames checked before Engine.IO reads them.

python-engineio reads each websocket frame as an Engine.IO packet. A text frame that is
not one (empty, an unknown packet type) fails there with a traceback in the log, and for
some types the connection even stays open. ``GatedASGIApp`` is python-socketio's ASGI app
with each websocket's ``receive`` wrapped in a ``GatedReceive``, which lets through only

- Engine.IO packets a client may send: close ``1``, ping ``2`` and pong ``3`` (with their
  ``probe`` text during an upgrade), upgrade ``5``, noop ``6``, and message ``4``, whose
  text must start with a Socket.IO packet type (``0``–``6``);
- binary frames (Socket.IO attachments; python-socketio checks those).

At the first other frame the connection ends: Engine.IO is handed a disconnect (so it
closes its socket in order: the hub's disconnect handler runs, and the websocket gets a
closing handshake), and one line goes to the log through ``Notices``.

``hang_up`` ends a connection from the server's side the same way: Engine.IO sends what it
has queued for the client (a refused handshake's ``connect_error``) and then closes.
"""

from __future__ import annotations

import asyncio
from typing import Any

import socketio

from realtime.notices import Notices

SOCKETIO_PACKET_TYPES = frozenset("0123456")
# Engine.IO packet types a client sends, with the texts each may carry.
ENGINEIO_FRAMES = {"1": {""}, "2": {"", "probe"}, "3": {"", "probe"}, "5": {""}, "6": {""}}
ENDED: dict[str, Any] = {"type": "websocket.disconnect", "code": 1000}


def frame_problem(text: str) -> str | None:
    """What is wrong with a websocket text frame from a client; None when it may pass."""
    kind, rest = text[:1], text[1:]
    if kind == "4":
        return None if rest[:1] in SOCKETIO_PACKET_TYPES else "not a Socket.IO packet"
    if rest in ENGINEIO_FRAMES.get(kind, ()):
        return None
    return "not an Engine.IO packet"


class GatedReceive:
    """A websocket's ``receive`` that checks each frame and can end the connection."""

    def __init__(self, receive: Any, notices: Notices) -> None:
        self._receive = receive
        self._notices = notices
        self._ended: asyncio.Future[None] | None = None

    def hang_up(self) -> None:
        """End the connection: Engine.IO reads a disconnect next."""
        ended = self._ending()
        if not ended.done():
            ended.set_result(None)

    async def __call__(self) -> dict[str, Any]:
        ended = self._ending()
        if ended.done():
            return ENDED
        receiving = asyncio.ensure_future(self._receive())
        try:
            await asyncio.wait({receiving, ended}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            receiving.cancel()
            raise
        if not receiving.done():
            receiving.cancel()
            return ENDED
        message: dict[str, Any] = receiving.result()
        text = message.get("text") if message["type"] == "websocket.receive" else None
        problem = frame_problem(text) if isinstance(text, str) else None
        if problem is not None:
            self._notices.tell(f"a websocket sent a frame that is {problem}; it was closed")
            self.hang_up()
            return ENDED
        return message

    def _ending(self) -> asyncio.Future[None]:
        # A plain future (not a task): one left pending when the connection ends otherwise
        # is simply dropped.
        if self._ended is None:
            self._ended = asyncio.get_running_loop().create_future()
        return self._ended


class GatedASGIApp(socketio.ASGIApp):  # type: ignore[misc]
    """python-socketio's ASGI app whose websockets pass through ``GatedReceive``.

    A long-polling request that python-engineio fails on before answering (a POST to a
    session the server has just closed raises there) is answered 400 with one line of
    ``Notices``, instead of a traceback."""

    def __init__(
        self, sio: socketio.AsyncServer, notices: Notices, *, socketio_path: str, **kwargs: Any
    ) -> None:
        super().__init__(sio, socketio_path=socketio_path, **kwargs)
        self._notices = notices
        self._polling_path = f"/{socketio_path.strip('/')}/"

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":
            await super().__call__(scope, GatedReceive(receive, self._notices), send)
        elif scope["type"] == "http" and scope["path"].startswith(self._polling_path):
            await self._polling(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)

    async def _polling(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        answered = False

        async def sending(message: dict[str, Any]) -> None:
            nonlocal answered
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        try:
            await super().__call__(scope, receive, sending)
        except Exception as exc:
            if answered:
                raise
            self._notices.tell(
                f"a long-polling request failed ({type(exc).__name__}); it was refused"
            )
            headers = [(b"content-type", b"text/plain; charset=utf-8")]
            await send({"type": "http.response.start", "status": 400, "headers": headers})
            await send({"type": "http.response.body", "body": b"the session is closed"})
