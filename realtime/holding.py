"""The participation hold where the tablets are: at most one message a second per meeting
that carries only a secret poll's participation ("someone voted").

With one worker, the meeting's sender holds such batches (``realtime.outbox``). With
several, the same meeting's votes are committed and published through any of them, and a
tablet receives what each worker's sender lets go, interleaved; so each worker also holds
what it delivers to its own sockets, after putting it in seq order (``realtime.ordering``).
Every tablet is served by exactly one worker, so no tablet of the installation sees the
count of a meeting move more than once per ``interval``, whichever worker the votes went
through. The rule is the sender's: a delivery made only of ``throttled`` events waits until
``interval`` has passed since the last one that had any; anything else takes the held
events with it, in front, as one message when it goes to the same room.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from realtime.outbox import THROTTLE_SECS

REMEMBERED_MEETINGS = 1000  # past this, meetings with nothing to hold are forgotten

Events = list[dict[str, Any]]
Deliver = Callable[[str, Events], Awaitable[None]]


@dataclass
class _Meeting:
    last: float | None = None  # when the last delivery with throttled events left
    held: list[tuple[str, Events]] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    timer: asyncio.Task[None] | None = None


class ParticipationHold:
    def __init__(
        self,
        deliver: Deliver,
        throttled: Callable[[dict[str, Any]], bool],
        *,
        interval: float = THROTTLE_SECS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._deliver = deliver
        self._throttled = throttled
        self._interval = interval
        self._clock = clock
        self._meetings: dict[int, _Meeting] = {}

    async def deliver(self, room: str, events: Events) -> None:
        """Deliver ``events`` (non-empty, of one meeting, called in the meeting's order)."""
        meeting_id = int(events[0]["meeting_id"])
        if len(self._meetings) > REMEMBERED_MEETINGS:
            self._forget_idle()
        meeting = self._meetings.setdefault(meeting_id, _Meeting())
        async with meeting.lock:
            if all(self._throttled(e) for e in events) and self._wait(meeting) > 0:
                meeting.held.append((room, events))
                if meeting.timer is None or meeting.timer.done():
                    meeting.timer = asyncio.create_task(self._release(meeting))
                return
            await self._send(meeting, [*meeting.held, (room, events)])
            meeting.held = []
            if meeting.timer is not None:  # nothing left for it to release
                meeting.timer.cancel()
                meeting.timer = None

    def _forget_idle(self) -> None:
        """Meetings with nothing held and no hold running need no record."""
        for meeting_id, meeting in list(self._meetings.items()):
            if not meeting.held and self._wait(meeting) <= 0 and not meeting.lock.locked():
                del self._meetings[meeting_id]

    def _wait(self, meeting: _Meeting) -> float:
        return 0.0 if meeting.last is None else meeting.last + self._interval - self._clock()

    async def _release(self, meeting: _Meeting) -> None:
        while True:
            await asyncio.sleep(max(self._wait(meeting), 0.0))
            async with meeting.lock:
                if not meeting.held:
                    return
                if self._wait(meeting) <= 0:
                    await self._send(meeting, meeting.held)
                    meeting.held = []
                    return

    async def _send(self, meeting: _Meeting, emits: list[tuple[str, Events]]) -> None:
        """Consecutive emits to one room leave as one message."""
        merged: list[tuple[str, Events]] = []
        for room, events in emits:
            if merged and merged[-1][0] == room:
                merged[-1][1].extend(events)
            else:
                merged.append((room, list(events)))
        if any(self._throttled(e) for _, events in emits for e in events):
            meeting.last = self._clock()
        for room, events in merged:
            await self._deliver(room, events)
