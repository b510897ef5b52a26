"""A TCP proxy for tests that breaks connections on demand.

Put it between the tablets and a server (``ChaosProxy(host, port).start()``, then use
``proxy.url``). ``reset(fraction)`` tears down that share of the live connections with a
TCP reset on both sides, as a Wi-Fi access point that drops its clients does; ``stall``
stops relaying a connection's bytes without closing anything (a link that died silently).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import socket
import struct
from dataclasses import dataclass, field


@dataclass(eq=False)
class _Link:
    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter
    stalled: bool = False
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def reset(self) -> None:
        for writer in (self.client, self.upstream):
            sock = writer.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    # linger on, timeout 0: close() sends RST instead of FIN
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()


class ChaosProxy:
    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._links: set[_Link] = set()
        self._server: asyncio.Server | None = None
        self.port = 0
        self.accepted = 0
        self.resets = 0

    async def start(self) -> ChaosProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def live(self) -> int:
        return len(self._links)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            return
        self.accepted += 1
        link = _Link(writer, up_writer)
        self._links.add(link)
        link.tasks = [
            asyncio.ensure_future(self._pump(link, reader, up_writer)),
            asyncio.ensure_future(self._pump(link, up_reader, writer)),
        ]
        try:
            await asyncio.gather(*link.tasks, return_exceptions=True)
        finally:
            self._links.discard(link)
            for w in (writer, up_writer):
                w.transport.abort()

    async def _pump(
        self, link: _Link, source: asyncio.StreamReader, sink: asyncio.StreamWriter
    ) -> None:
        with contextlib.suppress(ConnectionError, OSError, asyncio.CancelledError):
            while data := await source.read(65536):
                if link.stalled:
                    continue  # swallowed: nothing arrives, nothing is closed
                sink.write(data)
                await sink.drain()
        # one side ended: end the other one too
        with contextlib.suppress(ConnectionError, OSError):
            sink.write_eof()

    def reset(self, fraction: float, rng: random.Random) -> int:
        """Reset ``fraction`` of the live connections (at least one while any is live)."""
        links = sorted(self._links, key=id)
        count = min(len(links), max(1, math.ceil(fraction * len(links)))) if links else 0
        for link in rng.sample(links, count):
            link.reset()
        self.resets += count
        return count

    def stall(self, fraction: float, rng: random.Random) -> int:
        links = [link for link in sorted(self._links, key=id) if not link.stalled]
        count = min(len(links), max(1, math.ceil(fraction * len(links)))) if links else 0
        for link in rng.sample(links, count):
            link.stalled = True
        return count

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for link in list(self._links):
            link.reset()
        if self._server is not None:
            await self._server.wait_closed()
