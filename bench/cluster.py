"""Two workers with Redis: the page-turn fan-out with the room spread over two processes.

One PostgreSQL database (demo data, the generated members) serves, one after the other:

1. E-cabinet as one uvicorn worker (no Redis);
2. E-cabinet as two uvicorn workers on distinct ports sharing that database and Redis
   (``ECABINET_REDIS_URL``: python-socketio's ``AsyncRedisManager``), one secret key, as
   two hosts behind a proxy would run. Tablets alternate between the two workers; the
   presenter is on the first.

For each room size: a new meeting (chair, clerk, presenter, N members), a 20-page PDF, the
meeting started and the presenter named; N tablets connect and join (timed until every
presence list is full), then ``bench.fanout``: page turns with ``presenter.view`` and with
ephemeral views. The bare relay (one process, no Redis) gets the same tablets and turns in
the same run. CPU is the sum over the server's processes, and also given per worker.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench import accounts, fanout, load, servers
from bench.accounts import Accounts
from bench.load import Progress, Workers
from bench.servers import Running, cpu_seconds
from bench.stats import ms, ratio, secs, table

SETTLE_SECS = 240
CHANNELS = ("cmd", "ephemeral")


@dataclass
class Pool(Running):
    """Several E-cabinet workers seen as one server: CPU is their sum."""

    pids: tuple[int, ...] = ()

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)


def pool(running: Sequence[Running]) -> Pool:
    first = running[0]
    return Pool(
        first.url,
        first.pid,
        first.backend,
        first.env,
        first.database_url,
        tuple(r.pid for r in running),
    )


async def ecabinet(
    env: dict[str, str],
    procs: int,
    redis_url: str | None,
    people: Accounts | None,
    workers: Workers,
    clients: Sequence[int],
    *,
    turns: int,
    interval: float,
    progress: Progress,
) -> tuple[list[dict[str, Any]], Accounts]:
    """Start ``procs`` workers on ``env``'s database and run every room size; the
    generated members are made on the first call and reused (sessions live in the
    database)."""
    rows = []
    progress.update(f"starting {procs} E-cabinet worker(s) …", force=True)
    with servers.workers(env, procs, redis_url) as running:
        if people is None:
            people = await accounts.prepare(running[0].url, max(clients), progress)
        else:  # the same people, on the new workers' port
            people = dataclasses.replace(people, url=running[0].url)
        for count in clients:
            rows.append(
                await _room(
                    running,
                    people,
                    workers,
                    count,
                    turns=turns,
                    interval=interval,
                    progress=progress,
                )
            )
    return rows, people


async def _room(
    running: Sequence[Running],
    people: Accounts,
    workers: Workers,
    count: int,
    *,
    turns: int,
    interval: float,
    progress: Progress,
) -> dict[str, Any]:
    server = pool(running)
    url = server.url
    meeting_id = await people.meeting(f"Phiên họp {count} đại biểu, {len(running)} máy", count)
    document, _ = await load.upload_pdf(
        url, people.clerk.token, meeting_id, load.small_pdf(fanout.DOCUMENT_PAGES)
    )
    chair = await load.open_driver(url, people.chair.token, meeting_id)
    try:
        await load.start_presenting(chair, people.presenter.user_id)
    finally:
        await chair.close()
    presenter = await load.open_driver(url, people.presenter.token, meeting_id)
    tokens = [m.token for m in people.members[:count]]
    try:
        return await _fill_and_turn(
            server,
            running,
            presenter,
            workers,
            meeting_id,
            int(document["id"]),
            tokens,
            count + 1,
            turns=turns,
            interval=interval,
            progress=progress,
        )
    finally:
        await presenter.close()
        await workers.disconnect()


async def relay(
    running: Running,
    workers: Workers,
    clients: Sequence[int],
    *,
    turns: int,
    interval: float,
    progress: Progress,
) -> list[dict[str, Any]]:
    rows = []
    for count in clients:
        driver = await load.open_driver(running.url, None, 1)
        try:
            rows.append(
                await _fill_and_turn(
                    pool([running]),
                    [running],
                    driver,
                    workers,
                    1,
                    1,
                    [None] * count,
                    0,
                    turns=turns,
                    interval=interval,
                    progress=progress,
                )
            )
        finally:
            await driver.close()
            await workers.disconnect()
    return rows


async def _fill_and_turn(
    server: Pool,
    running: Sequence[Running],
    presenter: load.Tablet,
    workers: Workers,
    meeting_id: int,
    document_id: int,
    tokens: Sequence[str | None],
    people: int,
    *,
    turns: int,
    interval: float,
    progress: Progress,
) -> dict[str, Any]:
    """Tablet i connects to worker i mod len(running), all join, then the page turns."""
    began = load.monotonic()
    for index, worker in enumerate(running):
        await workers.connect(worker.url, tokens[index :: len(running)], progress)
    connect_secs = load.monotonic() - began
    cpu0 = server.cpu()
    began = load.monotonic()
    joins, _ = await workers.join(meeting_id, None, progress)
    settled = workers.count
    if people:
        progress.update(f"{server.backend} {len(tokens)}: presence lists …", force=True)
        settled = await workers.settle(people, SETTLE_SECS)
    storm_secs = load.monotonic() - began
    join_cpu = server.cpu() - cpu0
    per_worker0 = [cpu_seconds(r.pid) for r in running]
    row: dict[str, Any] = {
        "server": server.backend,
        "workers": len(running),
        "clients": workers.count,
        "connect_secs": connect_secs,
        "storm_secs": storm_secs,
        "settled": settled,
        "join_ack_p50": sorted(joins)[len(joins) // 2],
        "join_server_cpu": join_cpu,
    }
    row |= await fanout.turns(
        server, presenter, workers, document_id, count=turns, interval=interval, progress=progress
    )
    row["worker_cpu"] = [cpu_seconds(r.pid) - c for r, c in zip(running, per_worker0, strict=True)]
    row["dropped"] = (await workers.usage())["dropped"]
    progress.done()
    return row


def print_rows(rows: list[dict[str, Any]]) -> None:
    relay = {(r["clients"], ch): r[ch] for r in rows if r["server"] == "relay" for ch in CHANNELS}
    out = []
    for r in rows:
        server = "bare relay" if r["server"] == "relay" else f"E-cabinet ({r['server']})"
        for channel in CHANNELS:
            t = r[channel]
            base = relay.get((r["clients"], channel))
            out.append(
                [
                    r["clients"],
                    "presenter.view" if channel == "cmd" else "ephemeral view",
                    server,
                    ms(t["p50"]),
                    ms(t["p90"]),
                    ms(t["p99"]),
                    ms(t["everyone_p50"]),
                    ratio(t["p50"], base["p50"]) if base and r["server"] != "relay" else "",
                    ms(t["server_cpu_per_turn"]),
                    ms(t["generator_cpu_per_turn"]),
                    t["missing"],
                ]
            )
    print(
        table(
            [
                "tablets",
                "path",
                "server",
                "p50",
                "p90",
                "p99",
                "last tablet p50",
                "p50 vs relay",
                "server CPU/turn (all workers)",
                "generator CPU/turn",
                "missed",
            ],
            out,
        )
    )
    print()
    for r in rows:
        server = "bare relay" if r["server"] == "relay" else f"E-cabinet ({r['server']})"
        split = " + ".join(secs(c) for c in r["worker_cpu"])
        print(
            f"- {server}, {r['clients']} tablets: join storm {secs(r['storm_secs'])} "
            f"(join ack p50 {ms(r['join_ack_p50'])}, server CPU {secs(r['join_server_cpu'])}); "
            f"CPU of the turns per worker {split}"
            + (f"; dropped {r['dropped']}" if r["dropped"] else "")
        )
