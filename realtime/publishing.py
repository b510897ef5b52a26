"""Committed events and log heads, sent to the sockets of a meeting.

Contract: ``publish`` and ``publish_to_user`` are called only after the events' commit,
in commit order per meeting; an empty list sends nothing. One event leaves as an ``event``
message, several as one ``events`` message ``{meeting_id, events}`` (encoded and queued
once per recipient instead of once per event). ``on_published(events, seconds)`` is told
of every publication (metrics). ``publish_checkpoint`` sends a signed head, after the
commit that reached it.

``send_heads`` (every ``HEAD_BEACON_SECS`` in ``beacon_forever``) tells this process's
sockets the log head ``{meeting_id, seq}`` of their meeting, read through ``heads``: a
publication lost between workers leaves no trace a client could notice until the next
event, and this is that trace.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import socketio

from realtime.contracts import Heads
from realtime.rooms import meeting_of_room, meeting_room, user_room

log = logging.getLogger(__name__)

HEAD_BEACON_SECS = 5.0  # how often each worker tells its clients the heads of their meetings


class Publisher:
    def __init__(
        self,
        sio: socketio.AsyncServer,
        on_published: Callable[[int, float], None],
        heads: Heads | None = None,
    ) -> None:
        self._sio = sio
        self._on_published = on_published
        self._heads = heads

    async def publish(self, meeting_id: int, events: list[dict[str, Any]]) -> None:
        """Send committed events to everyone in the meeting."""
        await self._emit(meeting_id, events, meeting_room(meeting_id))

    async def publish_to_user(
        self, meeting_id: int, user_id: int, events: list[dict[str, Any]]
    ) -> None:
        """Send committed events to one person's sockets in the meeting."""
        await self._emit(meeting_id, events, user_room(meeting_id, user_id))

    async def _emit(self, meeting_id: int, events: list[dict[str, Any]], room: str) -> None:
        if not events:
            return
        started = time.perf_counter()
        name, payload = _message(meeting_id, events)
        await self._sio.emit(name, payload, room=room)
        self._on_published(len(events), time.perf_counter() - started)

    async def publish_checkpoint(self, meeting_id: int, checkpoint: dict[str, Any]) -> None:
        """Send a signed log head ``{meeting_id, seq, hash, at, signature}`` to everyone in
        the meeting (a ``checkpoint`` message, not an event: the log does not hold it)."""
        await self._sio.emit("checkpoint", checkpoint, room=meeting_room(meeting_id))

    def _local_meetings(self) -> list[int]:
        """The meetings that sockets of this process have joined."""
        found = []
        for room in list(self._sio.manager.rooms.get("/", {})):
            meeting_id = meeting_of_room(str(room))
            if meeting_id is not None:
                found.append(meeting_id)
        return sorted(found)

    async def send_heads(self) -> int:
        """Tell this process's sockets the log head of their meeting (``head`` event);
        returns how many meetings were told (0 without ``heads``)."""
        if self._heads is None:
            return 0
        meeting_ids = self._local_meetings()
        if not meeting_ids:
            return 0
        heads = await self._heads(meeting_ids)
        for meeting_id, seq in heads.items():
            # ignore_queue: each worker tells its own sockets, Redis or not.
            await self._sio.emit(
                "head",
                {"meeting_id": meeting_id, "seq": seq},
                room=meeting_room(meeting_id),
                ignore_queue=True,
            )
        return len(heads)

    async def beacon_forever(self, interval: float = HEAD_BEACON_SECS) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.send_heads()
            except Exception as exc:  # the database may be down for a while: keep going
                log.warning("could not send the meetings' heads: %r", exc)


def _message(meeting_id: int, events: list[dict[str, Any]]) -> tuple[str, Any]:
    if len(events) == 1:
        return "event", events[0]
    return "events", {"meeting_id": meeting_id, "events": events}
