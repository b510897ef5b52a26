"""A graceful restart with many tablets connected: every tablet reconnects with a jittered
backoff and resumes from its last_seq (a replay, never a snapshot), with no event applied
twice or missed, while the chair goes on turning pages across the restart."""

from __future__ import annotations

import asyncio
import random
import signal
import time
from typing import Any

from harness.client import DEMO_ROSTER, login, new_meeting
from harness.server import Server
from tests import pdfs
from tests.faults.conftest import EnvFactory
from tests.faults.tablet import Tablet
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

TABLETS = scale(100, 200)  # the demo roster's twelve people, several tablets each
PAGES = 30
CURRENT_WITHIN_SECS = 90  # after the restart; a correctness deadline on a busy machine


async def turn_pages(
    chair: Tablet, document_id: int, stop: asyncio.Event, rng: random.Random
) -> list[dict[str, Any]]:
    acks = []
    while not stop.is_set():
        view = {"document_id": document_id, "page": rng.randint(1, PAGES)}
        acks.append(await chair.command("presenter.view", view))
        await asyncio.sleep(0.1)
    return acks


async def test_after_a_graceful_restart_every_tablet_resumes_from_its_last_seq(
    sqlite_env: EnvFactory,
) -> None:
    env = sqlite_env()
    with running(Server(env)) as (server,):
        url = server.url
        meeting = await new_meeting(url, await login(url, "admin"))
        people = list(DEMO_ROSTER)
        tokens = await login_all([url], people)
        document_id = await upload_pdf(url, tokens["clerk"], meeting, pdfs.pages(PAGES))
        tablets = [
            Tablet(
                [url],
                tokens[people[i % len(people)]],
                meeting,
                name=f"{people[i % len(people)]}-{i}",
                rng=random.Random(i),
            )
            for i in range(TABLETS)
        ]
        chair = tablets[0]
        stop = asyncio.Event()
        try:
            await asyncio.gather(*(t.start(within=60) for t in tablets))
            assert (await chair.command("meeting.start"))["ok"]
            pages = asyncio.create_task(turn_pages(chair, document_id, stop, random.Random(3)))
            await asyncio.sleep(1)

            # uvicorn closes the websockets and exits (in a thread: the tablets keep running)
            await asyncio.to_thread(server.stop, signal.SIGTERM)
            stopped_at = time.monotonic()
            await asyncio.sleep(1)  # tablets retry against a closed port meanwhile
            await asyncio.to_thread(server.start)

            await asyncio.sleep(2)
            stop.set()
            acks = await pages
            assert all(a.get("ok") for a in acks), [a for a in acks if not a.get("ok")][:3]
            head = max(a["seq"] for a in acks)
            await wait_until_current(tablets, head, CURRENT_WITHIN_SECS)
            truth = await read_truth(env["ECABINET_DATABASE_URL"], meeting)
            assert truth.head == head
            for tablet in tablets:
                check_tablet(tablet, truth)
                # back on a new connection, resumed by replay from where it was
                assert tablet.connections >= 2, tablet.name
                assert tablet.snapshots == 1, tablet.join_modes
                assert all(mode == "events" for _, mode in tablet.join_modes[1:])
            # one event per page turn, however often a turn was resent
            assert sum(e.type == "presenter.view_changed" for e in truth.events) == len(acks)
            # the reconnections were spread out by the jitter, not one burst
            back = sorted(t.connected_at[1] for t in tablets)
            assert back[0] > stopped_at
            assert back[-1] - back[0] > 0.2
        finally:
            stop.set()
            await stop_all(tablets)
