"""A flaky network: every few seconds a tenth of the connections is reset, while the chair
turns pages and the clerk edits the agenda. Every command is applied exactly once, and at
the end every tablet holds exactly the server's state."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter
from typing import Any

from harness.client import DEMO_ROSTER, login, new_meeting
from harness.server import Server
from tests import pdfs
from tests.faults.conftest import EnvFactory
from tests.faults.proxy import ChaosProxy
from tests.faults.tablet import Tablet
from tests.faults.world import (
    check_tablet,
    create_users,
    login_all,
    read_truth,
    running,
    scale,
    stop_all,
    upload_pdf,
    wait_until_current,
)

EXTRA_MEMBERS = scale(12, 100)  # on top of the demo roster's eight members
CHAOS_SECS = scale(15, 90)
RESET_FRACTION = 0.1
RESET_EVERY_SECS = (1.0, 3.0)
CURRENT_WITHIN_SECS = 60  # after the chaos stops; a correctness deadline
PAGES = 20


async def chaos(proxy: ChaosProxy, rng: random.Random, stop: asyncio.Event) -> None:
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), rng.uniform(*RESET_EVERY_SECS))
        if not stop.is_set():
            proxy.reset(RESET_FRACTION, rng)


async def chair_turns_pages(
    chair: Tablet, document_id: int, rng: random.Random, stop: asyncio.Event
) -> list[dict[str, Any]]:
    sent = []
    while not stop.is_set():
        view = {
            "document_id": document_id,
            "page": rng.randint(1, PAGES),
            "zoom": rng.choice((100, 125, 150)),
        }
        sent.append({"type": "presenter.view", "ack": await chair.command("presenter.view", view)})
        await asyncio.sleep(rng.uniform(0.02, 0.2))
    return sent


async def clerk_edits_agenda(
    clerk: Tablet, rng: random.Random, stop: asyncio.Event
) -> list[dict[str, Any]]:
    sent = []
    items: list[int] = []
    while not stop.is_set():
        if len(items) < 3 or rng.random() < 0.4:
            type_, data = (
                "agenda.item.add",
                {"title": f"Mục {rng.randrange(10**6)}", "kind": "discussion"},
            )
        elif rng.random() < 0.5:
            type_, data = (
                "agenda.item.update",
                {"item_id": rng.choice(items), "title": f"Sửa {rng.randrange(10**6)}"},
            )
        else:
            position = rng.randrange(len(items))
            type_, data = (
                "agenda.item.move",
                {"item_id": rng.choice(items), "parent_id": None, "position": position},
            )
        ack = await clerk.command(type_, data)
        sent.append({"type": type_, "ack": ack})
        if type_ == "agenda.item.add" and ack.get("ok"):
            items = [
                e["data"]["item_id"] for e in clerk.applied if e["type"] == "agenda.item_added"
            ]
            if not items:  # the clerk's tablet may not have applied it yet
                await clerk.wait_for_seq(ack["seq"], CURRENT_WITHIN_SECS)
                items = [
                    e["data"]["item_id"] for e in clerk.applied if e["type"] == "agenda.item_added"
                ]
        await asyncio.sleep(rng.uniform(0.05, 0.3))
    return sent


async def test_tablets_behind_a_flaky_network_end_with_the_servers_state(
    sqlite_env: EnvFactory,
) -> None:
    rng = random.Random(7)
    env = sqlite_env()
    with running(Server(env)) as (server,):
        admin = await login(server.url, "admin")
        extra = [f"flaky{i:03d}" for i in range(EXTRA_MEMBERS)]
        await create_users(server.url, admin, extra)
        roster = {**DEMO_ROSTER, **{name: "member" for name in extra}}
        meeting = await new_meeting(server.url, admin, "Phiên họp chịu lỗi", roster)
        tokens = await login_all([server.url], list(roster))
        document_id = await upload_pdf(server.url, tokens["clerk"], meeting, pdfs.pages(PAGES))
        proxy = await ChaosProxy("127.0.0.1", server.port).start()
        tablets = [
            Tablet([proxy.url], tokens[name], meeting, name=name, rng=random.Random(i))
            for i, name in enumerate(roster)
        ]
        stop = asyncio.Event()
        try:
            await asyncio.gather(*(t.start() for t in tablets))
            by_name = {t.name: t for t in tablets}
            assert (await by_name["chair"].command("meeting.start"))["ok"]
            chaos_task = asyncio.create_task(chaos(proxy, rng, stop))
            work = asyncio.gather(
                chair_turns_pages(by_name["chair"], document_id, random.Random(1), stop),
                clerk_edits_agenda(by_name["clerk"], random.Random(2), stop),
            )
            await asyncio.sleep(CHAOS_SECS)
            stop.set()
            pages, edits = await work
            await chaos_task

            commands = pages + edits
            assert all(c["ack"].get("ok") for c in commands), [
                c for c in commands if not c["ack"].get("ok")
            ][:3]
            head = max(c["ack"]["seq"] for c in commands)
            await wait_until_current(tablets, head, CURRENT_WITHIN_SECS)
            truth = await read_truth(env["ECABINET_DATABASE_URL"], meeting)
            assert truth.head == head
            for tablet in tablets:
                check_tablet(tablet, truth)

            # Exactly once: one event per acknowledged command, whatever was resent.
            kinds = Counter(e.type for e in truth.events)
            assert kinds["presenter.view_changed"] == len(pages)
            added = sum(c["type"] == "agenda.item.add" for c in edits)
            assert kinds["agenda.item_added"] == added
            # The network did break: connections were reset and tablets came back.
            assert proxy.resets >= CHAOS_SECS // RESET_EVERY_SECS[1]
            reconnected = sum(t.connections - 1 for t in tablets)
            assert reconnected >= proxy.resets // 2
            assert sum(t.attempts for t in tablets[:2]) >= len(commands)
        finally:
            stop.set()
            await stop_all(tablets)
            await proxy.close()
