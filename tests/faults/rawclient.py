"""A Socket.IO client spoken by hand over a websocket, that can stop reading.

The python-socketio client always reads; a frozen tablet does not. This one joins a
meeting and then leaves everything unread: its websocket library stops reading the socket
once one message is buffered, its small TCP receive window fills, and from then on the
server holds whatever it sends to it.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from harness.client import COOKIE

RECEIVE_BUFFER_BYTES = 4096  # the kernel doubles it; still a few KiB


class RawClient:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.received: list[str] = []
        self._ack_id = 0

    @classmethod
    async def connect(cls, base_url: str, token: str, device: str) -> RawClient:
        parts = urlsplit(base_url)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, (parts.hostname, parts.port))
        ws = await connect(
            f"ws://{parts.netloc}/socket.io/?EIO=4&transport=websocket",
            sock=sock,
            additional_headers={"Cookie": f"{COOKIE}={token}", "Origin": base_url},
            max_queue=1,  # stop reading the socket once one message waits
            max_size=None,
            ping_interval=None,
            compression=None,
        )
        client = cls(ws)
        opening = await client._next()
        assert opening.startswith("0{"), opening
        await ws.send("40" + json.dumps({"device": device}))
        connected = await client._next()
        assert connected.startswith("40{"), connected
        return client

    async def _next(self) -> str:
        message = await asyncio.wait_for(self.ws.recv(), timeout=10)
        assert isinstance(message, str)
        self.received.append(message)
        return message

    async def call(self, event: str, data: Any) -> Any:
        """Emit with an ack and read until the ack arrives (answering pings)."""
        ack_id = self._ack_id
        self._ack_id += 1
        await self.ws.send(f"42{ack_id}" + json.dumps([event, data]))
        prefix = f"43{ack_id}"
        while True:
            message = await self._next()
            if message == "2":
                await self.ws.send("3")
            elif message.startswith(prefix):
                return json.loads(message[len(prefix) :])[0]

    async def read_rest(self, within: float) -> tuple[list[str], int | None]:
        """Read until the connection ends; returns what came and the close code
        (1006 when the connection was cut without a closing handshake)."""
        messages: list[str] = []
        try:
            async with asyncio.timeout(within):
                async for message in self.ws:
                    assert isinstance(message, str)
                    messages.append(message)
        except ConnectionClosed:
            pass
        close = self.ws.protocol.close_rcvd
        code = close.code if close is not None else 1006
        return messages, code

    async def close(self) -> None:
        self.ws.transport.abort()
        await self.ws.wait_closed()
