"""Generating minutes as a job (``Prefer: respond-async``): 202 at once, then the steps the
tablet shows while it polls, and the version when it is done."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from harness.client import api, connect, login
from tests.integration.conftest import Running

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

ASYNC = {"Prefer": "respond-async"}
POLL_SECS = 0.05
JOB_WAIT_SECS = 120  # the first generation starts the worker process


async def _end_meeting(url: str, meeting: int) -> None:
    chair = await connect(url, "chair")
    try:
        assert (await chair.join(meeting))["ok"]
        for type_, data in (
            ("agenda.item.add", {"title": "Báo cáo công tác tháng", "kind": "information"}),
            ("meeting.start", {}),
            ("attendance.check_in", {}),
            ("minutes.note.set", {"item_id": 1, "text": "Đồng chí Hùng chủ trì."}),
            ("meeting.end", {}),
        ):
            ack = await chair.cmd(type_, data)
            assert ack["ok"], (type_, ack)
    finally:
        await chair.close()


async def test_a_generation_job_answers_at_once_and_reports_each_step_until_the_version(
    running: Running, meeting: int
) -> None:
    base = f"/api/meetings/{meeting}/minutes"
    clerk_token = await login(running.url, "clerk")
    async with api(running.url, clerk_token) as http:
        early = await http.post(base, json={}, headers=ASYNC)
        assert early.status_code == 409  # refused before any job while the meeting runs
    await _end_meeting(running.url, meeting)
    async with api(running.url, clerk_token) as http:
        started = await http.post(base, json={"layout": "en"}, headers=ASYNC)
        assert started.status_code == 202, started.text
        assert started.headers["preference-applied"] == "respond-async"
        job: dict[str, Any] = started.json()["job"]
        assert started.headers["location"] == f"{base}/jobs/{job['id']}"
        assert job["state"] == "running" and job["steps"] == 3
        again = await http.post(base, json={}, headers=ASYNC)
        assert again.json()["job"]["id"] == job["id"]  # one generation at a time
        assert (await http.get(base)).json()["job"]["id"] == job["id"]
        stages = [job["stage"]]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + JOB_WAIT_SECS
        while job["state"] == "running" and loop.time() < deadline:
            await asyncio.sleep(POLL_SECS)
            polled = await http.get(started.headers["location"])
            assert polled.status_code == 200
            job = polled.json()["job"]
            if job["stage"] != stages[-1]:
                stages.append(job["stage"])
        assert job["state"] == "done", job
        assert job["version"] == 1 and job["status"] == "draft" and job["error"] is None
        # Polling may miss a short stage; the job's own account names every stage it went
        # through, and what polling saw came in that order.
        assert set(job["stage_secs"]) == {"reading", "rendering", "recording"}, job
        assert stages == sorted(stages, key=("reading", "rendering", "recording").index)
        listed = (await http.get(base)).json()
        assert [v["version"] for v in listed["versions"]] == [1]
        assert listed["layout"] == "state" and listed["job"] is None
    member_token = await login(running.url, "member1")
    async with api(running.url, member_token) as http:
        hidden = await http.get(f"{base}/jobs/{job['id']}")
        assert hidden.status_code == 404
        assert "layout" not in (await http.get(base)).json()
