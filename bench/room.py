"""One meeting room of N tablets, used for the page-turn fan-out and then the vote burst.

E-cabinet: a new meeting (chair, clerk, a presenting member and N generated members), a
20-page PDF uploaded by the clerk, the meeting started, the presenter named; the chair
records every member's attendance at the door (before the tablets are in the room, so no
one else receives those events); then the N tablets connect and join (the "join storm",
timed until every tablet's presence list shows the whole room); then the page turns
(``bench.fanout``), then the vote burst (``bench.votes``).

Bare relay: the same N tablets, the same page turns and the same burst.
"""

from __future__ import annotations

from typing import Any

from bench import fanout, load, votes
from bench.accounts import Accounts
from bench.load import Progress, Workers
from bench.servers import Running

SETTLE_SECS = 240  # at most this long for the join storm's presence lists to arrive


async def ecabinet(
    running: Running,
    accounts: Accounts,
    workers: Workers,
    clients: int,
    *,
    turns: int,
    interval: float,
    spread: float,
    progress: Progress,
) -> dict[str, Any]:
    meeting_id = await accounts.meeting(f"Phiên họp {clients} đại biểu", clients)
    document, _ = await load.upload_pdf(
        running.url, accounts.clerk.token, meeting_id, load.small_pdf(fanout.DOCUMENT_PAGES)
    )
    chair = await load.open_driver(running.url, accounts.chair.token, meeting_id)
    presenter = await load.open_driver(running.url, accounts.presenter.token, meeting_id)
    members = accounts.members[:clients]
    try:
        await load.start_presenting(chair, accounts.presenter.user_id)
        progress.update(f"the chair checks in {clients} members …", force=True)
        began = load.monotonic()
        checkins = await load.check_in_users(chair, [m.user_id for m in members])
        checkin_secs = load.monotonic() - began
        # Everyone in the room: the members, the chair and the presenter.
        room = await _fill(
            running, workers, meeting_id, [m.token for m in members], clients + 2, progress
        )
        room["checkin_secs"] = checkin_secs
        room["checkin_p50"] = sorted(checkins)[len(checkins) // 2]
        room |= await fanout.turns(
            running,
            presenter,
            workers,
            int(document["id"]),
            count=turns,
            interval=interval,
            progress=progress,
        )
        room["votes"] = await votes.burst(running, chair, workers, spread=spread, progress=progress)
        room["dropped"] = (await workers.usage())["dropped"]
        progress.done()
        return room
    finally:
        await chair.close()
        await presenter.close()
        await workers.disconnect()


async def relay(
    running: Running,
    workers: Workers,
    clients: int,
    *,
    turns: int,
    interval: float,
    spread: float,
    progress: Progress,
) -> dict[str, Any]:
    driver = await load.open_driver(running.url, None, 1)
    try:
        room = await _fill(running, workers, 1, [None] * clients, 0, progress)
        room |= await fanout.turns(
            running, driver, workers, 1, count=turns, interval=interval, progress=progress
        )
        room["votes"] = await votes.burst(
            running, driver, workers, spread=spread, progress=progress
        )
        room["dropped"] = (await workers.usage())["dropped"]
        progress.done()
        return room
    finally:
        await driver.close()
        await workers.disconnect()


async def _fill(
    running: Running,
    workers: Workers,
    meeting_id: int,
    tokens: list[str | None],
    people: int,
    progress: Progress,
) -> dict[str, Any]:
    """Connect and join every tablet; with ``people``, wait until every tablet's presence
    list has that many people (the end of the join storm)."""
    connect_secs = await workers.connect(running.url, tokens, progress)
    before, cpu0 = await workers.usage(), running.cpu()
    began = load.monotonic()
    joins, join_secs = await workers.join(meeting_id, None, progress)
    settled = workers.count
    if people:
        progress.update(f"{running.backend} {len(tokens)}: presence lists …", force=True)
        settled = await workers.settle(people, SETTLE_SECS)
    storm_secs = load.monotonic() - began
    after = await workers.usage()
    return {
        "server": running.backend,
        "clients": workers.count,
        "connect_secs": connect_secs,
        "join_secs": join_secs,
        "storm_secs": storm_secs,
        "settled": settled,
        "join_ack_p50": sorted(joins)[len(joins) // 2],
        "join_ack_p99": sorted(joins)[int(len(joins) * 0.99)],
        "join_server_cpu": running.cpu() - cpu0,
        "join_generator_cpu": after["cpu"] - before["cpu"],
        "presence_messages": after["presence"] - before["presence"],
        "presence_chars": after["presence_chars"] - before["presence_chars"],
    }
