"""When the server signs a checkpoint, and what it does with it.

After the commit that reached a head, the head is signed when the committed events hold
a meeting start, a meeting end, a minutes version (``minutes.generated``) or a seq that is
a multiple of ``CHECKPOINT_EVERY_EVENTS``. The checkpoint is appended to the meeting's
file (``journal``) and then sent to the meeting's tablets (``send``), never before the
commit. A failure to write or send is logged and the command stands: the next checkpoint
covers the whole chain again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ecabinet.checkpoints import journal
from ecabinet.checkpoints.signing import Checkpoint, CheckpointSigner
from ecabinet.events import Event, iso_utc

log = logging.getLogger(__name__)

CHECKPOINT_EVERY_EVENTS = 50  # a head is signed at least every 50 events
CHECKPOINT_EVENT_TYPES = frozenset({"meeting.started", "meeting.ended", "minutes.generated"})

Send = Callable[[int, dict[str, Any]], Awaitable[None]]


def due(events: Sequence[Event], every: int = CHECKPOINT_EVERY_EVENTS) -> bool:
    """Whether the head after ``events`` (committed together) is to be signed."""
    return any(e.type in CHECKPOINT_EVENT_TYPES or e.seq % every == 0 for e in events)


class Anchor:
    def __init__(
        self,
        data_dir: Path,
        signer: CheckpointSigner,
        clock: Callable[[], datetime],
        send: Send | None = None,
        every: int = CHECKPOINT_EVERY_EVENTS,
    ) -> None:
        self.folder = journal.directory(data_dir)
        self.signer = signer
        self._clock = clock
        self.send = send  # set by the composition root once the hub exists
        self._every = every

    async def after_commit(self, meeting_id: int, events: Sequence[Event]) -> None:
        """Sign, store and send the head after ``events``, when it is due. Call after their
        commit, in commit order per meeting (the service holds the meeting's lock)."""
        if not events or not due(events, self._every):
            return
        head = events[-1]
        # The events are committed and their commands acknowledged: nothing here may raise.
        try:
            checkpoint = self.signer.sign(meeting_id, head.seq, head.hash, iso_utc(self._clock()))
            await asyncio.to_thread(journal.append, self.folder, checkpoint)
        except Exception as exc:  # a full disk, a read-only DATA_DIR, a stopping executor
            log.error("meeting %s: checkpoint at seq %s not written: %r", meeting_id, head.seq, exc)
            return
        if self.send is not None:
            try:
                await self.send(meeting_id, checkpoint.to_wire())
            except Exception as exc:  # a lost message: the join answer carries it again
                log.warning("meeting %s: checkpoint not sent: %r", meeting_id, exc)

    def latest(self, meeting_id: int) -> Checkpoint | None:
        """The meeting's latest checkpoint in its file (written by any worker); ``None``
        when there is none or the file cannot be read (a join must not fail over it)."""
        try:
            return journal.latest(self.folder, meeting_id)
        except OSError as exc:
            log.warning("meeting %s: checkpoints not readable: %r", meeting_id, exc)
            return None
