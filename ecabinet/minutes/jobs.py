"""Generation jobs: ``POST …/minutes`` with ``Prefer: respond-async`` answers at once with a
job the tablet polls, so the clerk sees the minutes being drawn step by step.

``Jobs`` runs a process's jobs and keeps them in its memory; ``job_store.SharedJobs``
writes each one to the database as it moves (``on_change``), so that a poll through any
worker answers it and a job whose worker died is seen to fail.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from realtime.errors import HubError

# The steps of a generation, in order; the tablet shows "step n of STEPS".
STAGES = ("reading", "rendering", "recording")
JOB_KEEP_SECS = 10 * 60  # a finished job answers polls this long, in seconds
JOBS_MAX = 200  # finished jobs kept at most (oldest dropped first)

Progress = Callable[[str], None]


@dataclass
class Job:
    id: str
    meeting_id: int
    user_id: int
    began: float  # time.monotonic()
    stage: str = STAGES[0]
    attempt: int = 1
    stage_began: float = 0.0
    expected_render_secs: float | None = None
    state: str = "running"  # running | done | failed
    ended: float | None = None
    result: dict[str, Any] = field(default_factory=dict)
    error: dict[str, str] | None = None
    task: asyncio.Task[None] | None = None
    stage_secs: dict[str, float] = field(default_factory=dict)  # time spent in each step

    def _close_stage(self, now: float) -> None:
        spent = now - self.stage_began
        self.stage_secs[self.stage] = self.stage_secs.get(self.stage, 0.0) + spent

    def advance(self, stage: str) -> None:
        now = time.monotonic()
        self._close_stage(now)
        if stage == STAGES[0] and self.stage != STAGES[0]:
            self.attempt += 1  # the log moved while drawing: drawn again
        self.stage = stage
        self.stage_began = now

    def finish(self) -> None:
        self.ended = time.monotonic()
        self._close_stage(self.ended)

    def to_wire(self) -> dict[str, Any]:
        now = self.ended if self.ended is not None else time.monotonic()
        return {
            "id": self.id,
            "state": self.state,
            "stage": self.stage,
            "step": STAGES.index(self.stage) + 1,
            "steps": len(STAGES),
            "attempt": self.attempt,
            "elapsed_secs": round(now - self.began, 3),
            "stage_elapsed_secs": round(now - self.stage_began, 3),
            "expected_render_secs": (
                round(self.expected_render_secs, 3) if self.expected_render_secs else None
            ),
            "version": self.result.get("version"),
            "status": self.result.get("status"),
            "error": self.error,
            "stage_secs": {k: round(v, 3) for k, v in self.stage_secs.items()},
        }


def new_job_id() -> str:
    return secrets.token_hex(12)


class Jobs:
    """The generation jobs of this process; at most one running per meeting."""

    def __init__(self, on_change: Callable[[Job], None] = lambda _job: None) -> None:
        self._on_change = on_change  # told after each step and at the end
        self._jobs: dict[str, Job] = {}
        self._render_secs: float | None = None  # the last rendering's duration, seconds

    def get(self, meeting_id: int, job_id: str) -> Job | None:
        job = self._jobs.get(job_id)
        return job if job is not None and job.meeting_id == meeting_id else None

    def running(self, meeting_id: int) -> Job | None:
        return next(
            (j for j in self._jobs.values() if j.meeting_id == meeting_id and j.state == "running"),
            None,
        )

    def start(
        self,
        meeting_id: int,
        user_id: int,
        work: Callable[[Progress], Awaitable[dict[str, Any]]],
        job_id: str | None = None,
    ) -> Job:
        """Run ``work(progress)`` in the background; returns the job (or the one running).
        ``job_id``: the id to give it (a new random one by default)."""
        self._prune()
        current = self.running(meeting_id)
        if current is not None:
            return current
        now = time.monotonic()
        job = Job(job_id or new_job_id(), meeting_id, user_id, now, stage_began=now)
        job.expected_render_secs = self._render_secs

        def progress(stage: str) -> None:
            if job.stage == "rendering" and stage != "rendering":
                self._render_secs = time.monotonic() - job.stage_began
            job.advance(stage)
            self._on_change(job)

        async def run() -> None:
            try:
                job.result = await work(progress)
                job.state = "done"
            except HubError as exc:
                job.state, job.error = "failed", {"code": exc.code, "message": str(exc)}
            except Exception:  # reported to the tablet as the closed code; logged by asyncio
                job.state, job.error = "failed", {"code": "internal", "message": ""}
                raise
            finally:
                job.finish()
                self._on_change(job)

        self._jobs[job.id] = job
        job.task = asyncio.get_running_loop().create_task(run(), name=f"minutes-job-{job.id}")
        return job

    def _prune(self) -> None:
        now = time.monotonic()
        finished = sorted(
            (j for j in self._jobs.values() if j.ended is not None), key=lambda j: j.ended or 0
        )
        for job in finished:
            too_old = now - (job.ended or now) > JOB_KEEP_SECS
            if too_old or len(self._jobs) > JOBS_MAX:
                del self._jobs[job.id]
