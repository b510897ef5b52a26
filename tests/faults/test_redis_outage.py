"""Redis unavailable for about ten seconds under two workers: no silent loss.

The workers use a Redis server of this test's own (another port, no persistence), so that
stopping it disturbs nobody else. While it is down, commands still commit (PostgreSQL is
the truth) but their events reach only the tablets of the worker that committed them:
python-socketio publishes fire-and-forget. The tablets of the other worker learn the log
head from their own worker (the ``head`` event, every 5 s, read from the database), fetch
what they missed by re-joining with their last_seq, and so are current again while Redis
is still down. After Redis returns, the meeting goes on and every tablet ends with exactly
the server's state.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from harness.client import DEMO_ROSTER, login, new_meeting
from harness.server import Server, free_port
from realtime.hub import HEAD_BEACON_SECS
from tests import pdfs
from tests.faults.conftest import EnvFactory
from tests.faults.tablet import GAP_GRACE_SECS, Tablet
from tests.faults.world import (
    check_tablet,
    login_all,
    read_truth,
    running,
    scale,
    stop_all,
    upload_pdf,
    wait_until_current,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

OUTAGE_SECS = scale(10, 30)
PAGES = 20
# While Redis is down, a tablet of the other worker is current again within one beacon
# interval and a gap grace period; doubled, plus slack, for a busy machine.
HEAL_WITHIN_SECS = 2 * (HEAD_BEACON_SECS + GAP_GRACE_SECS) + 5
CURRENT_WITHIN_SECS = 60


class RedisServer:
    """A redis-server of our own on a free port, without persistence."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.skip("redis-server is not installed")
        self.process = subprocess.Popen(
            [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        try:
            while True:
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
        finally:
            client.close()

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


async def ready(url: str) -> dict[str, bool]:
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        checks: dict[str, bool] = (await http.get("/readyz")).json()["checks"]
        return checks


async def turn_pages(chair: Tablet, document_id: int, secs: float, rng: random.Random) -> int:
    """Turn pages for ``secs``; returns the seq of the last one (all must be accepted)."""
    seq = 0
    until = time.monotonic() + secs
    while time.monotonic() < until:
        view = {"document_id": document_id, "page": rng.randint(1, PAGES)}
        ack = await chair.command("presenter.view", view)
        assert ack["ok"], ack
        seq = ack["seq"]
        await asyncio.sleep(0.1)
    return seq


async def test_while_redis_is_down_tablets_of_the_other_worker_heal_and_nothing_is_lost(
    postgres_env: EnvFactory, own_redis: RedisServer
) -> None:
    env = postgres_env(ECABINET_REDIS_URL=own_redis.url, ECABINET_REDIS_PREFIX="outage")
    workers = [Server(env), Server(env)]
    rng = random.Random(11)
    with running(*workers):
        a, b = (w.url for w in workers)
        meeting = await new_meeting(a, await login(a, "admin"))
        people = list(DEMO_ROSTER)
        tokens = await login_all([a, b], people)
        document_id = await upload_pdf(a, tokens["clerk"], meeting, pdfs.pages(PAGES))
        # the chair on A; everybody else on B, and a second tablet of each on A
        tablets = [Tablet([a], tokens["chair"], meeting, name="chair")]
        tablets += [Tablet([b], tokens[p], meeting, name=f"{p}@b") for p in people[1:]]
        tablets += [Tablet([a], tokens[p], meeting, name=f"{p}@a") for p in people[1:]]
        chair = tablets[0]
        on_b = [t for t in tablets if t.name.endswith("@b")]
        try:
            await asyncio.gather(*(t.start() for t in tablets))
            assert (await chair.command("meeting.start"))["ok"]
            seq = await turn_pages(chair, document_id, 1.0, rng)
            await wait_until_current(tablets, seq, CURRENT_WITHIN_SECS)

            own_redis.kill()
            down_at = time.monotonic()
            assert await ready(a) == {"database": True, "redis": False}
            seq = await turn_pages(chair, document_id, OUTAGE_SECS / 2, rng)
            rejoins_before = sum(t.rejoins for t in on_b)
            # Redis still down: B's tablets missed these events and heal from the database.
            await wait_until_current(tablets, seq, HEAL_WITHIN_SECS)
            assert sum(t.rejoins for t in on_b) > rejoins_before
            await asyncio.sleep(max(0.0, down_at + OUTAGE_SECS - time.monotonic()))

            await asyncio.to_thread(own_redis.start)
            async with asyncio.timeout(CURRENT_WITHIN_SECS):
                while await ready(b) != {"database": True, "redis": True}:  # noqa: ASYNC110
                    await asyncio.sleep(0.2)
            seq = await turn_pages(chair, document_id, 3.0, rng)
            await wait_until_current(tablets, seq, CURRENT_WITHIN_SECS)
            truth = await read_truth(env["ECABINET_DATABASE_URL"], meeting)
            assert truth.head == seq
            for tablet in tablets:
                check_tablet(tablet, truth)
        finally:
            await stop_all(tablets)
