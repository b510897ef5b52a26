"""Minutes jobs on two workers (PostgreSQL and Redis): a job started through one worker is
followed through the other to its version, two workers never run two jobs of one meeting,
and a job whose worker is killed fails visibly instead of hanging."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

import httpx
import pytest

from ecabinet.minutes.job_store import JOB_LOST_SECS
from harness.client import api, connect, login
from harness.server import Server
from tests.integration.conftest import Cluster

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

ASYNC = {"Prefer": "respond-async"}
POLL_SECS = 0.05
JOB_WAIT_SECS = 120  # the first generation on a worker starts its rendering process


async def _end_meeting(url: str, meeting: int) -> None:
    chair = await connect(url, "chair")
    try:
        assert (await chair.join(meeting))["ok"]
        for type_ in ("meeting.start", "attendance.check_in", "meeting.end"):
            ack = await chair.cmd(type_)
            assert ack["ok"], (type_, ack)
    finally:
        await chair.close()


async def _follow(http: httpx.AsyncClient, location: str, job: dict[str, Any]) -> list[str]:
    """Poll until the job ends; returns the stages seen, and leaves the last answer in
    ``job``."""
    stages = [job["stage"]]
    async with asyncio.timeout(JOB_WAIT_SECS):
        while job["state"] == "running":
            await asyncio.sleep(POLL_SECS)
            polled = await http.get(location)
            assert polled.status_code == 200, polled.text
            job.update(polled.json()["job"])
            if job["stage"] != stages[-1]:
                stages.append(job["stage"])
    return stages


async def test_a_job_started_on_one_worker_is_followed_through_the_other_to_its_version(
    cluster: Cluster, cluster_meeting: int
) -> None:
    base = f"/api/meetings/{cluster_meeting}/minutes"
    await _end_meeting(cluster.a.url, cluster_meeting)
    token = await login(cluster.a.url, "clerk")
    async with api(cluster.a.url, token) as on_a, api(cluster.b.url, token) as on_b:
        # Both workers asked at once: one job, whichever worker runs it.
        started = await asyncio.gather(
            on_a.post(base, json={}, headers=ASYNC), on_b.post(base, json={}, headers=ASYNC)
        )
        assert [r.status_code for r in started] == [202, 202], [r.text for r in started]
        ids = {r.json()["job"]["id"] for r in started}
        assert len(ids) == 1, ids
        location = started[0].headers["location"]
        assert (await on_b.get(base)).json()["job"]["id"] in ids
        job = started[0].json()["job"]
        stages = await _follow(on_b, location, job)
        assert job["state"] == "done", job
        assert (job["version"], job["status"], job["error"]) == (1, "draft", None)
        assert stages == sorted(stages, key=("reading", "rendering", "recording").index)
        for http in (on_a, on_b):
            listed = (await http.get(base)).json()
            assert [v["version"] for v in listed["versions"]] == [1]
            assert listed["job"] is None


async def test_a_job_whose_worker_is_killed_fails_visibly_and_may_start_again(
    cluster: Cluster, cluster_meeting: int
) -> None:
    base = f"/api/meetings/{cluster_meeting}/minutes"
    await _end_meeting(cluster.a.url, cluster_meeting)
    doomed = Server(cluster.env).start()
    try:
        token = await login(doomed.url, "clerk")
        async with api(doomed.url, token) as on_doomed:
            started = await on_doomed.post(base, json={}, headers=ASYNC)
        assert started.status_code == 202, started.text
        location = started.headers["location"]
        doomed.stop(signal.SIGKILL)  # mid-job: no shutdown code runs
    finally:
        doomed.stop()
    async with api(cluster.a.url, token) as on_a:
        job = (await on_a.get(location)).json()["job"]
        assert job["state"] == "running"  # not yet known to be lost
        # Given up within JOB_LOST_SECS of its last heartbeat, never left hanging.
        async with asyncio.timeout(JOB_LOST_SECS + 10):
            while job["state"] == "running":
                await asyncio.sleep(0.2)
                job = (await on_a.get(location)).json()["job"]
        assert job["state"] == "failed" and job["error"]["code"] == "internal", job
        assert (await on_a.get(base)).json()["job"] is None

        again = await on_a.post(base, json={}, headers=ASYNC)
        assert again.status_code == 202, again.text
        retried = again.json()["job"]
        assert retried["id"] != job["id"]
        await _follow(on_a, again.headers["location"], retried)
        assert retried["state"] == "done" and retried["error"] is None, retried
