"""Room emits that put the encoded packet straight on each recipient's send queue.

python-socketio's ``AsyncManager.emit`` encodes a room message once, then creates one
asyncio task per recipient, each of which checks the socket's ping timeout and awaits
``queue.put``; the emit returns when all those tasks finished. For a 500-tablet room that is
500 tasks per event. Our send queues (``backpressure.SendQueue``) never block, so the same
delivery needs no task at all: ``DirectEmit`` puts the shared Engine.IO packets on each
queue in one loop. Everything else — emits with a callback, queues of another kind — goes
the library's way.

What is skipped per recipient is the ping-timeout check, which the socket's own ping loop
makes anyway (a client that stopped answering is closed by it).

``DirectRedisManager`` keeps ``AsyncRedisManager``'s publishing between workers; the local
delivery of what it receives (and of ``ignore_queue`` emits) is ``DirectEmit``'s.
"""

from __future__ import annotations

from typing import Any

import socketio
from engineio import packet as eio_packet
from socketio import packet

from realtime.backpressure import SendQueue


class DirectEmit(socketio.AsyncManager):  # type: ignore[misc]
    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str,
        room: Any = None,
        skip_sid: Any = None,
        callback: Any = None,
        to: Any = None,
        **kwargs: Any,
    ) -> None:
        if callback is not None:
            await super().emit(
                event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, to=to
            )
            return
        room = to or room
        if namespace not in self.rooms:
            return
        # As the library: a tuple is several arguments, None none, anything else one.
        args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        skipped = set(skip_sid) if isinstance(skip_sid, list) else {skip_sid}
        encoded = self.server.packet_class(
            packet.EVENT, namespace=namespace, data=[event, *args]
        ).encode()
        packets = [
            eio_packet.Packet(eio_packet.MESSAGE, part)
            for part in (encoded if isinstance(encoded, list) else [encoded])
        ]
        sockets = self.server.eio.sockets
        slow: list[str] = []
        for sid, eio_sid in list(self.get_participants(namespace, room)):
            if sid in skipped:
                continue
            socket = sockets.get(eio_sid)
            if socket is None or socket.closed:
                continue
            if not isinstance(socket.queue, SendQueue):
                slow.append(eio_sid)
                continue
            for pkt in packets:
                socket.queue.put_nowait(pkt)
        for eio_sid in slow:  # not ours (not expected): the library's path, one at a time
            for pkt in packets:
                await self.server._send_eio_packet(eio_sid, pkt)


class DirectRedisManager(socketio.AsyncRedisManager, DirectEmit):  # type: ignore[misc]
    """``AsyncRedisManager`` whose local deliveries are ``DirectEmit``'s."""
