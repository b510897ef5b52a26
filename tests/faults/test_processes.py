"""No process outlives ``ecabinet serve``, whether it is stopped or killed.

The server is started as an operator starts it (``ecabinet serve``), then made to start
every kind of child: the PDF inspector (an upload), the watermark worker (a stamped copy)
and the minutes worker (a verification), which bring multiprocessing's resource tracker
along. Then:

- stopped with SIGTERM, the server and every child have ended within 5 seconds;
- killed with SIGKILL (as the OOM killer does), every child has ended within 10 seconds;
- with ``--workers 2`` (PostgreSQL and Redis), the supervisor killed, the uvicorn workers
  and their children have ended within 10 seconds.

Children of a killed server are reparented to the test session (it is a subreaper, see
tests/conftest.py), which is how they are still found and reaped here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from harness import processes
from harness.client import api, login, new_meeting
from harness.server import free_port
from harness.services import delete_redis_keys, require_redis, unique_redis_prefix
from tests import pdfs
from tests.faults.conftest import EnvFactory

STOPPED_WITHIN_SECS = 5.0
KILLED_WITHIN_SECS = 10.0
STARTUP_WITHIN_SECS = 60.0
CHILD_START_WITHIN_SECS = 30.0


@contextmanager
def ecabinet_serve(
    env: dict[str, str], *extra: str
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    log = open(os.path.join(env["ECABINET_DATA_DIR"], f"serve-{port}.log"), "ab")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "ecabinet.cli", "serve", "--port", str(port), *extra],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_WITHIN_SECS
        while True:
            assert process.poll() is None, "ecabinet serve exited at start-up"
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "ecabinet serve did not start in time"
            time.sleep(0.2)
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        log.close()


async def start_every_child(url: str) -> None:
    """An upload (inspector), a stamped copy (watermark worker), a verification (minutes
    worker)."""
    admin = await login(url, "admin")
    meeting = await new_meeting(url, admin)
    clerk = await login(url, "clerk")
    async with api(url, clerk) as http:
        uploaded = await http.post(
            f"/api/meetings/{meeting}/documents",
            content=pdfs.pages(2),
            headers={"Content-Type": "application/pdf", "X-File-Name": "to-trinh.pdf"},
        )
        assert uploaded.status_code in (200, 201), uploaded.text
        document = uploaded.json()["document"]["id"]
        stamped = await http.get(
            f"/api/meetings/{meeting}/documents/{document}/file", params={"watermark": "1"}
        )
        assert stamped.status_code == 200
        verdict = await http.post(
            "/api/minutes/verify",
            content=pdfs.pages(1),
            headers={"Content-Type": "application/pdf"},
        )
        assert verdict.status_code == 200, verdict.text


def children_of(pid: int, at_least: int) -> set[int]:
    """The live descendants of ``pid``, once there are at least ``at_least`` of them."""
    deadline = time.monotonic() + CHILD_START_WITHIN_SECS
    while True:
        found = processes.descendants(pid)
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def describe(pids: set[int]) -> str:
    return "; ".join(f"{pid}: {processes.command_line(pid)}" for pid in sorted(pids))


# Two pool workers and the resource tracker; the inspector has ended with its upload.
POOL_CHILDREN = 3


async def test_a_stopped_server_leaves_no_process_within_5_s(sqlite_env: EnvFactory) -> None:
    with ecabinet_serve(sqlite_env()) as (server, url):
        await start_every_child(url)
        children = children_of(server.pid, POOL_CHILDREN)
        assert len(children) >= POOL_CHILDREN, f"expected the pools: {describe(children)}"
        stopped_at = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=STOPPED_WITHIN_SECS)
        left = processes.wait_until_gone(
            children, STOPPED_WITHIN_SECS - (time.monotonic() - stopped_at)
        )
        assert not left, f"alive {STOPPED_WITHIN_SECS} s after SIGTERM: {describe(left)}"


async def test_a_killed_server_leaves_no_process_within_10_s(sqlite_env: EnvFactory) -> None:
    with ecabinet_serve(sqlite_env()) as (server, url):
        await start_every_child(url)
        children = children_of(server.pid, POOL_CHILDREN)
        assert len(children) >= POOL_CHILDREN, f"expected the pools: {describe(children)}"
        server.kill()
        server.wait()
        left = processes.wait_until_gone(children, KILLED_WITHIN_SECS)
        processes.kill_all(left)
        assert not left, f"alive {KILLED_WITHIN_SECS} s after SIGKILL: {describe(left)}"


@pytest.mark.postgres
@pytest.mark.redis
async def test_killed_supervisor_workers_end_within_10_s(postgres_env: EnvFactory) -> None:
    prefix = unique_redis_prefix()
    env = postgres_env(ECABINET_REDIS_URL=require_redis(), ECABINET_REDIS_PREFIX=prefix)
    try:
        with ecabinet_serve(env, "--workers", "2") as (supervisor, url):
            for _ in range(4):  # requests land on either worker: pools start in both
                await start_every_child(url)
            # Two uvicorn workers and the pools of at least one of them.
            children = children_of(supervisor.pid, 2 + POOL_CHILDREN)
            assert len(children) >= 2 + POOL_CHILDREN, describe(children)
            supervisor.kill()
            supervisor.wait()
            left = processes.wait_until_gone(children, KILLED_WITHIN_SECS)
            processes.kill_all(left)
            assert not left, f"alive {KILLED_WITHIN_SECS} s after SIGKILL: {describe(left)}"
    finally:
        delete_redis_keys(prefix)


def test_the_inspector_dies_with_the_process_that_started_it() -> None:
    """``lifeline.die_with_parent`` as the inspector uses it, in a process that is then
    killed: the grandchild (here a long sleep) does not outlive it."""
    middle = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import functools, os, subprocess, sys, time\n"
            "from ecabinet import lifeline\n"
            "child = subprocess.Popen(['sleep', '60'],"
            " preexec_fn=functools.partial(lifeline.die_with_parent, os.getpid()))\n"
            "print(child.pid, flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
    )
    assert middle.stdout is not None
    with middle.stdout:
        grandchild = int(middle.stdout.readline())
    assert processes.alive(grandchild)
    middle.kill()
    middle.wait()
    left = processes.wait_until_gone({grandchild}, KILLED_WITHIN_SECS)
    processes.kill_all(left)
    assert not left, "the inspector outlived the server that started it"
