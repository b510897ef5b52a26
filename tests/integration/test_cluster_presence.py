"""Presence on two workers (PostgreSQL and Redis): every change carries a version, and
every tablet ends with the latest change of each person, whichever worker's message came
last."""

from __future__ import annotations

import asyncio

from harness.client import RoomClient, connect, login, user_ids
from tests.integration.conftest import Cluster

PEOPLE = [f"member{i}" for i in range(1, 7)]
ROUNDS = 3  # join, leave, join again: the last state is "present on both workers"


def devices_seen(client: RoomClient) -> dict[int, tuple[str, ...]]:
    return {uid: tuple(p["devices"]) for uid, p in client.people.items()}


async def test_presence_after_simultaneous_joins_on_two_workers_is_the_latest_everywhere(
    cluster: Cluster, cluster_admin: str, cluster_meeting: int
) -> None:
    meeting = cluster_meeting
    ids = await user_ids(cluster.a.url, cluster_admin)
    watchers = [
        await connect(url, "observer", device=f"watch-{i}") for i, url in enumerate(cluster.urls)
    ]
    # Each person has a tablet on each worker; all of them move at once.
    tablets: list[tuple[str, RoomClient]] = []
    try:
        for watcher in watchers:
            assert (await watcher.join(meeting))["ok"]
        for name in PEOPLE:
            token = await login(cluster.a.url, name)
            for i, url in enumerate(cluster.urls):
                tablets.append((name, await RoomClient().connect(url, token, device=f"tablet-{i}")))
        for round_ in range(ROUNDS):
            if round_ % 2 == 0:
                answers = await asyncio.gather(*(t.join(meeting) for _, t in tablets))
                assert all(a["ok"] for a in answers), answers
                versions = [p["version"] for a in answers for p in a["presence"]]
                assert all(isinstance(v, int) and v > 0 for v in versions)
            else:
                assert await asyncio.gather(*(t.raw("leave", {}) for _, t in tablets)) == [
                    {"ok": True}
                ] * len(tablets)

        expected = {ids[name]: ("tablet-0", "tablet-1") for name in PEOPLE}
        expected[ids["observer"]] = ("watch-0", "watch-1")
        everyone = [*watchers, *(t for _, t in tablets)]
        for client in everyone:
            await client.wait_for(lambda c=client: devices_seen(c) == expected)
        await asyncio.sleep(1.0)  # four coalescing periods: no older change overwrites it
        for client in everyone:
            assert devices_seen(client) == expected
    finally:
        for client in (*watchers, *(t for _, t in tablets)):
            await client.close()
