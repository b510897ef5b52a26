"""Generation jobs that every worker can answer for: each job is a row of ``minutes_jobs``.

The worker that runs a job (``Jobs``, in its memory) rewrites the row at every step and
at least every ``JOB_HEARTBEAT_SECS``, so a poll through any other worker reads its stage
and progress from the database, at most that old. A row left ``running`` whose last write
is older than ``JOB_LOST_SECS`` belongs to a worker that died: whoever reads it next marks
it ``failed`` with the code ``internal``, so a job never hangs and the clerk may start the
generation again (the version, if the worker recorded it before dying, is in the log).

At most one job per meeting runs in the whole installation: a partial unique index refuses
a second ``running`` row, and the start that loses answers with the winner's job.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Row, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.minutes.jobs import JOB_KEEP_SECS, Job, Jobs, Progress, new_job_id
from ecabinet.store.database import Database
from ecabinet.store.schema import minutes_jobs

log = logging.getLogger(__name__)

JOB_HEARTBEAT_SECS = 1.0  # a running job's row is rewritten at least this often
JOB_LOST_SECS = 10.0  # a running row not rewritten for this long is failed: its worker died
LOST = {"code": "internal", "message": "the worker running this generation stopped"}

Wire = dict[str, Any]


class SharedJobs:
    def __init__(
        self,
        db: Database,
        *,
        worker: str | None = None,
        clock: Callable[[], float] = time.time,
        heartbeat_secs: float = JOB_HEARTBEAT_SECS,
        lost_secs: float = JOB_LOST_SECS,
    ) -> None:
        self._db = db
        self._worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        self._clock = clock
        self._heartbeat_secs = heartbeat_secs
        self._lost_secs = lost_secs
        self._changed: dict[str, asyncio.Event] = {}
        self._local = Jobs(on_change=self._note_change)
        self._mirrors: set[asyncio.Task[None]] = set()

    async def start(
        self,
        meeting_id: int,
        user_id: int,
        work: Callable[[Progress], Awaitable[dict[str, Any]]],
    ) -> Wire:
        """Run ``work`` as a job here; returns it, or the meeting's job already running."""
        current = await self.running(meeting_id)
        if current is not None:
            return current
        job_id, now = new_job_id(), self._clock()
        first = Job(job_id, meeting_id, user_id, time.monotonic()).to_wire()
        try:
            async with self._db.write() as conn:
                await conn.execute(
                    delete(minutes_jobs).where(
                        minutes_jobs.c.state != "running",
                        minutes_jobs.c.heartbeat_at < now - JOB_KEEP_SECS,
                    )
                )
                await conn.execute(
                    insert(minutes_jobs).values(
                        id=job_id,
                        meeting_id=meeting_id,
                        user_id=user_id,
                        worker=self._worker,
                        state="running",
                        heartbeat_at=now,
                        job=json.dumps(first),
                    )
                )
        except IntegrityError:  # another worker started one a moment ago
            return await self.running(meeting_id) or first
        self._changed[job_id] = asyncio.Event()
        job = self._local.start(meeting_id, user_id, work, job_id)
        mirror = asyncio.create_task(self._mirror(job), name=f"minutes-job-row-{job_id}")
        self._mirrors.add(mirror)
        mirror.add_done_callback(self._mirrors.discard)
        return job.to_wire()

    async def get(self, meeting_id: int, job_id: str) -> Wire | None:
        local = self._local.get(meeting_id, job_id)
        if local is not None:
            return local.to_wire()
        async with self._db.read() as conn:
            row = (
                await conn.execute(
                    select(minutes_jobs).where(
                        minutes_jobs.c.id == job_id, minutes_jobs.c.meeting_id == meeting_id
                    )
                )
            ).first()
        return None if row is None else await self._answer(row)

    async def running(self, meeting_id: int) -> Wire | None:
        local = self._local.running(meeting_id)
        if local is not None:
            return local.to_wire()
        async with self._db.read() as conn:
            row = (
                await conn.execute(
                    select(minutes_jobs).where(
                        minutes_jobs.c.meeting_id == meeting_id, minutes_jobs.c.state == "running"
                    )
                )
            ).first()
        if row is None:
            return None
        wire = await self._answer(row)
        return wire if wire["state"] == "running" else None

    async def _answer(self, row: Row[Any]) -> Wire:
        """The row's job; a running one whose worker stopped writing is failed now."""
        wire: Wire = json.loads(row.job)
        if row.state != "running" or row.heartbeat_at >= self._clock() - self._lost_secs:
            return wire
        wire.update(state="failed", error=LOST)
        async with self._db.write() as conn:
            await conn.execute(
                update(minutes_jobs)
                .where(
                    and_(
                        minutes_jobs.c.id == row.id,
                        minutes_jobs.c.state == "running",
                        minutes_jobs.c.heartbeat_at == row.heartbeat_at,
                    )
                )
                .values(state="failed", job=json.dumps(wire))
            )
        log.warning("minutes job %s of meeting %s: its worker stopped", row.id, row.meeting_id)
        return wire

    def _note_change(self, job: Job) -> None:
        changed = self._changed.get(job.id)
        if changed is not None:
            changed.set()

    async def _mirror(self, job: Job) -> None:
        """Write the job's row at each change and heartbeat, and once more at its end."""
        changed = self._changed[job.id]
        try:
            while job.state == "running":
                changed.clear()
                await self._write(job)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), timeout=self._heartbeat_secs)
            await self._write(job)
        finally:
            self._changed.pop(job.id, None)

    async def _write(self, job: Job) -> None:
        try:
            async with self._db.write() as conn:
                await _rewrite(conn, job, self._clock())
        except Exception as exc:  # the database is away: the next heartbeat writes again
            log.warning("minutes job %s: writing its progress failed: %r", job.id, exc)


async def _rewrite(conn: AsyncConnection, job: Job, now: float) -> None:
    await conn.execute(
        update(minutes_jobs)
        .where(minutes_jobs.c.id == job.id, minutes_jobs.c.state == "running")
        .values(state=job.state, heartbeat_at=now, job=json.dumps(job.to_wire()))
    )
