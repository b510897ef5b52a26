"""Each worker delivers a meeting's events to its sockets in seq order (two workers,
PostgreSQL and Redis): a tablet never sees a gap that the server could have closed."""

from __future__ import annotations

import asyncio

from harness.client import RoomClient, connect
from tests.integration.conftest import Cluster

COMMANDS = 100
TABLETS_PER_WORKER = 4


async def test_100_commands_through_alternating_workers_reach_every_tablet_as_seq_1_to_100(
    cluster: Cluster, cluster_admin: str, cluster_meeting: int
) -> None:
    meeting = cluster_meeting
    # The chair writes through worker A, the clerk through worker B, all at once.
    writers = [await connect(cluster.a.url, "chair"), await connect(cluster.b.url, "clerk")]
    tablets: list[RoomClient] = []
    try:
        for _ in range(TABLETS_PER_WORKER):
            for server in (cluster.a, cluster.b):
                tablets.append(await connect(server.url, f"member{len(tablets) + 1}"))
        for client in (*writers, *tablets):
            joined = await client.join(meeting)
            assert joined["ok"] and joined["seq"] == 0, joined

        acks = await asyncio.gather(
            *(
                writers[k % 2].cmd("minutes.note.set", {"text": f"Ghi chú số {k}"})
                for k in range(COMMANDS)
            )
        )
        assert sorted(ack["seq"] for ack in acks) == list(range(1, COMMANDS + 1)), acks

        for client in (*writers, *tablets):
            await client.wait_for(lambda c=client: len(c.events) >= COMMANDS)
        for client in (*writers, *tablets):
            # In arrival order: no gap, nothing twice, nothing out of place — so the tablet
            # had no reason to join again.
            assert [e["seq"] for e in client.events] == list(range(1, COMMANDS + 1))
            assert {e["meeting_id"] for e in client.events} == {meeting}
    finally:
        for client in (*writers, *tablets):
            await client.close()
