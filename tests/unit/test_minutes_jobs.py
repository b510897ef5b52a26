"""Generation jobs: one running per meeting, the steps and their times, a refusal's code."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from ecabinet.errors import Conflict
from ecabinet.minutes.jobs import Jobs

pytestmark = pytest.mark.asyncio


async def test_a_job_reports_each_step_and_its_version_when_done() -> None:
    jobs = Jobs()
    release = asyncio.Event()

    async def work(progress: Callable[[str], None]) -> dict[str, Any]:
        progress("reading")
        progress("rendering")
        await release.wait()
        progress("recording")
        return {"ok": True, "version": 3, "status": "draft"}

    job = jobs.start(7, 1, work)
    await asyncio.sleep(0)
    running = job.to_wire()
    assert (running["state"], running["stage"], running["step"], running["steps"]) == (
        "running",
        "rendering",
        2,
        3,
    )
    assert jobs.start(7, 1, work) is job  # one generation of a meeting at a time
    assert jobs.running(7) is job and jobs.get(8, job.id) is None
    release.set()
    assert job.task is not None
    await job.task
    done = job.to_wire()
    assert (done["state"], done["version"], done["status"], done["error"]) == (
        "done",
        3,
        "draft",
        None,
    )
    assert set(done["stage_secs"]) == {"reading", "rendering", "recording"}
    assert jobs.running(7) is None


async def test_a_refused_generation_fails_with_the_error_code_and_a_new_one_may_start() -> None:
    jobs = Jobs()

    async def refused(progress: Callable[[str], None]) -> dict[str, Any]:
        progress("reading")
        raise Conflict("the minutes are generated after the meeting has ended")

    job = jobs.start(7, 1, refused)
    assert job.task is not None
    await job.task
    assert job.to_wire()["state"] == "failed"
    assert job.to_wire()["error"]["code"] == "conflict"
    assert jobs.start(7, 1, refused) is not job


async def test_drawing_again_after_the_log_moved_counts_an_attempt() -> None:
    jobs = Jobs()

    async def twice(progress: Callable[[str], None]) -> dict[str, Any]:
        for _ in range(2):
            progress("reading")
            progress("rendering")
        progress("recording")
        return {"version": 1, "status": "draft"}

    job = jobs.start(1, 1, twice)
    assert job.task is not None
    await job.task
    assert job.to_wire()["attempt"] == 2
