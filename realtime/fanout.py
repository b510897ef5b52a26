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
delivery of what it receives (and of ``ignore_queue`` emits) is ``DirectEmit``'s. With an
``order`` (``realtime.ordering``), the meeting events it publishes or receives (``event``
and ``events`` messages) reach the local sockets in ``seq`` order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import socketio
from engineio import packet as eio_packet
from socketio import packet

from realtime.backpressure import SendQueue
from realtime.holding import ParticipationHold
from realtime.ordering import Events, Fill, MeetingOrder
from realtime.rooms import meeting_room


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
    """``AsyncRedisManager`` whose local deliveries are ``DirectEmit``'s, meeting events in
    ``seq`` order once ``order`` is set (``follow_order``)."""

    order: MeetingOrder | None = None

    def follow_order(self, fill: Fill, throttled: Callable[[dict[str, Any]], bool]) -> MeetingOrder:
        """Deliver meeting events in order, reading missing ones through ``fill``, and hold
        deliveries made only of ``throttled`` events (``realtime.holding``)."""
        hold = ParticipationHold(self._deliver_events, throttled)
        self.order = MeetingOrder(hold.deliver, fill, self._has_sockets_in)
        return self.order

    async def _handle_emit(self, message: dict[str, Any]) -> None:
        found = _meeting_events(message) if self.order is not None else None
        if found is None or self.order is None:
            await super()._handle_emit(message)
            return
        meeting_id, events = found
        await self.order.receive(meeting_id, message["room"], events)

    async def _deliver_events(self, room: str, events: Events) -> None:
        if len(events) == 1:
            name, payload = "event", events[0]
        else:
            name, payload = "events", {"meeting_id": events[0]["meeting_id"], "events": events}
        await DirectEmit.emit(self, name, payload, "/", room=room)

    def _has_sockets_in(self, meeting_id: int) -> bool:
        return bool(self.rooms.get("/", {}).get(meeting_room(meeting_id)))


def _meeting_events(message: dict[str, Any]) -> tuple[int, Events] | None:
    """``(meeting_id, events)`` of a published ``event`` or ``events`` message to one room
    (as ``realtime.publishing`` makes them); None for any other message."""
    data = message.get("data")
    room = message.get("room")
    if (
        message.get("callback") is not None
        or message.get("skip_sid") is not None
        or message.get("binary")
        or message.get("namespace", "/") != "/"
        or not isinstance(room, str)
        or not isinstance(data, list)
        or len(data) != 1
        or not isinstance(data[0], dict)
    ):
        return None
    events: Any
    if message.get("event") == "event":
        events = [data[0]]
    elif message.get("event") == "events":
        events = data[0].get("events")
    else:
        return None
    if not isinstance(events, list) or not events:
        return None
    if not all(
        isinstance(e, dict) and type(e.get("seq")) is int and type(e.get("meeting_id")) is int
        for e in events
    ):
        return None
    meeting_id = events[0]["meeting_id"]
    if any(e["meeting_id"] != meeting_id for e in events):
        return None
    return meeting_id, events
