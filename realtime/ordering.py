"""Each worker delivers a meeting's events to its sockets in ``seq`` order.

With several workers, the events of one meeting are committed through any of them and
reach every worker through Redis, each publisher's in its own order but the publishers
interleaved: event 60, published by A, may arrive before event 59, published by B a moment
later. ``MeetingOrder`` sits between Redis and the sockets: an event that arrives ahead of
its predecessors is held for ``hold_secs`` (the missing publication is usually in flight);
the ones still missing then are read from the log (``fill``) and delivered first, and the
late publications, when they arrive, are dropped as already delivered. Clients keep their
gap healing for real losses: a failed read delivers what was held, gap and all.

The unit of delivery is an emit ``(room, events)``: the meeting room for public events,
one person's room for what differs per person (a private annotation goes whole to its owner
and redacted to everyone else, each copy carrying the same ``seq``). ``(seq, room)`` pairs
remember what was delivered, so a copy for a person's room that follows its meeting-room
sibling is still delivered once.

A meeting is followed from the moment a socket of this worker has read it (``joined``,
with the seq of that read) until the worker has no socket left in it (``present``). Until
then its emits pass straight through: nobody here holds a position in its log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

HOLD_SECS = 0.05  # how long an early event waits for its predecessors' own publication
REMEMBERED_SEQS = 1000  # delivered (seq, room) pairs kept behind the delivered head
FILL_MAX_EVENTS = 500  # a larger gap is left to the clients (they resync with a snapshot)

Events = list[dict[str, Any]]
Emit = tuple[str, Events]  # (room, events in seq order)
Deliver = Callable[[str, Events], Awaitable[None]]
# (meeting_id, after_seq, up_to_seq) -> the emits of those events, as their publisher
# made them, in seq order
Fill = Callable[[int, int, int], Awaitable[list[Emit]]]


@dataclass
class _Line:
    done: int  # every seq up to this one was delivered (or given up on)
    delivered: dict[int, set[str]] = field(default_factory=dict)
    held: list[Emit] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    healing: asyncio.Task[None] | None = None


class MeetingOrder:
    def __init__(
        self,
        deliver: Deliver,
        fill: Fill,
        present: Callable[[int], bool],
        *,
        hold_secs: float = HOLD_SECS,
    ) -> None:
        self._deliver = deliver
        self._fill = fill
        self._present = present
        self._hold_secs = hold_secs
        self._lines: dict[int, _Line] = {}

    def joined(self, meeting_id: int, seq: int) -> None:
        """A socket here read ``meeting_id`` up to ``seq``: follow it from there (a meeting
        already followed keeps its position)."""
        if meeting_id not in self._lines:
            self._lines[meeting_id] = _Line(done=seq)

    async def receive(self, meeting_id: int, room: str, events: Events) -> None:
        """Deliver ``events`` (non-empty, in seq order) to ``room`` in the meeting's order.
        One publisher's batch may skip the seqs committed through another worker: each run
        of consecutive seqs is placed on its own."""
        for run in _runs(events):
            await self._receive_run(meeting_id, room, run)

    async def _receive_run(self, meeting_id: int, room: str, events: Events) -> None:
        line = self._lines.get(meeting_id)
        if line is not None and not self._present(meeting_id):
            self._forget(meeting_id)
            line = None
        if line is None:
            await self._deliver(room, events)
            return
        async with line.lock:
            fresh = _undelivered(line, room, events)
            if not fresh:
                return
            if fresh[0]["seq"] > line.done + 1:
                line.held.append((room, fresh))
                if line.healing is None or line.healing.done():
                    line.healing = asyncio.create_task(self._heal(meeting_id, line))
                return
            await self._pass(line, room, fresh)
            await self._drain(line)

    def _forget(self, meeting_id: int) -> None:
        line = self._lines.pop(meeting_id)
        if line.healing is not None:
            line.healing.cancel()

    async def _pass(self, line: _Line, room: str, events: Events) -> None:
        await self._deliver(room, events)
        for event in events:
            line.delivered.setdefault(event["seq"], set()).add(room)
        line.done = max(line.done, events[-1]["seq"])
        if len(line.delivered) > 2 * REMEMBERED_SEQS:  # now and then, not per delivery
            for seq in [s for s in line.delivered if s < line.done - REMEMBERED_SEQS]:
                del line.delivered[seq]

    async def _drain(self, line: _Line) -> None:
        """Deliver the held emits that are next in line, lowest seq first."""
        line.held.sort(key=lambda emit: int(emit[1][0]["seq"]))
        while line.held and line.held[0][1][0]["seq"] <= line.done + 1:
            room, events = line.held.pop(0)
            fresh = _undelivered(line, room, events)
            if fresh:
                await self._pass(line, room, fresh)

    async def _heal(self, meeting_id: int, line: _Line) -> None:
        await asyncio.sleep(self._hold_secs)
        async with line.lock:
            if not line.held:
                return
            after = line.done
            up_to = min(int(events[0]["seq"]) for _, events in line.held) - 1
        if up_to <= after:
            async with line.lock:
                await self._drain(line)
            return
        emits: list[Emit] = []
        if up_to - after <= FILL_MAX_EVENTS:
            try:
                emits = await self._fill(meeting_id, after, up_to)
            except Exception as exc:  # the clients heal the gap themselves
                log.warning(
                    "meeting %s: reading events after %s failed: %r", meeting_id, after, exc
                )
        async with line.lock:
            for room, events in emits:
                for run in _runs(_undelivered(line, room, events)):
                    await self._pass(line, room, run)
            # Whatever the log could not give is lost here; the held emits leave anyway.
            line.done = max(line.done, up_to)
            await self._drain(line)


def _undelivered(line: _Line, room: str, events: Events) -> Events:
    return [e for e in events if room not in line.delivered.get(e["seq"], ())]


def _runs(events: Events) -> list[Events]:
    """``events`` cut where a seq does not follow the one before it."""
    runs: list[Events] = []
    for event in events:
        if runs and runs[-1][-1]["seq"] + 1 == event["seq"]:
            runs[-1].append(event)
        else:
            runs.append([event])
    return runs
