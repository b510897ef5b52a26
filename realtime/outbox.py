"""An ordered sender per meeting, apart from the command path.

A command commits, hands its events to ``MeetingOutbox.put`` (no waiting) and is acked;
one task per meeting sends what has accumulated, in the order it was put, through
``send(meeting_id, batch)``. So a burst of commands is not slowed by the fan-out of each
one's events (the lock that orders commits is held only for the commit), and events that
pile up during a send leave as one batch.

Throttled items (a secret poll's participation: "someone voted") are held so that a batch
made only of them leaves at most once per ``interval``; any other item flushes the held
ones with it at once, so the order never changes and nothing waits behind a count.

Contract: call ``put`` in commit order (under the lock that orders the commits); ``send``
must not raise for a client's sake (a failure is logged and the batch is not retried: the
clients heal by ``seq`` from the log).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

Item = TypeVar("Item")

THROTTLE_SECS = 1.0  # throttled-only batches leave at most this often per meeting


class MeetingOutbox(Generic[Item]):
    def __init__(
        self,
        send: Callable[[int, list[Item]], Awaitable[None]],
        *,
        throttled: Callable[[Item], bool] = lambda _item: False,
        interval: float = THROTTLE_SECS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._send = send
        self._throttled = throttled
        self._interval = interval
        self._clock = clock
        self._queues: dict[int, list[Item]] = {}
        self._wakeups: dict[int, asyncio.Event] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._last_throttled: dict[int, float] = {}
        self._closing = False

    def put(self, meeting_id: int, items: Iterable[Item]) -> None:
        """Queue committed items for sending (never blocks, never raises)."""
        queue = self._queues.setdefault(meeting_id, [])
        queue.extend(items)
        if not queue:
            return
        self._wakeups.setdefault(meeting_id, asyncio.Event()).set()
        task = self._tasks.get(meeting_id)
        if task is None or task.done():
            self._tasks[meeting_id] = asyncio.get_running_loop().create_task(
                self._run(meeting_id), name=f"outbox-{meeting_id}"
            )

    def pending(self) -> int:
        """Items queued and not yet handed to ``send`` (for metrics)."""
        return sum(len(queue) for queue in self._queues.values())

    async def _run(self, meeting_id: int) -> None:
        queue = self._queues[meeting_id]
        wakeup = self._wakeups[meeting_id]
        while queue:
            wakeup.clear()
            wait = self._hold_for(meeting_id, queue)
            if wait > 0:
                # Only counts are waiting: sleep out the interval unless something else
                # arrives (then everything leaves together, in order).
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wakeup.wait(), timeout=wait)
                continue
            batch = queue[:]
            queue.clear()
            if any(self._throttled(item) for item in batch):
                self._last_throttled[meeting_id] = self._clock()
            try:
                await self._send(meeting_id, batch)
            except Exception:
                log.exception("meeting %s: sending %d events failed", meeting_id, len(batch))
        # Nothing left: the task ends; the next ``put`` starts another.
        self._queues.pop(meeting_id, None)
        self._wakeups.pop(meeting_id, None)

    def _hold_for(self, meeting_id: int, queue: list[Item]) -> float:
        """Seconds to hold the queue back: > 0 only when it holds throttled items only and
        the last throttled batch left less than ``interval`` ago."""
        if self._closing or not all(self._throttled(item) for item in queue):
            return 0.0
        last = self._last_throttled.get(meeting_id)
        return 0.0 if last is None else last + self._interval - self._clock()

    async def close(self) -> None:
        """Send everything still queued (no more holding back) and wait for it."""
        self._closing = True
        for wakeup in list(self._wakeups.values()):
            wakeup.set()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
