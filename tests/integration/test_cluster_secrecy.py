"""The secret-poll participation hold on two workers (PostgreSQL and Redis): the test of
``test_voting.py`` for one worker, with the votes alternating between the workers and a
watching tablet on each."""

from __future__ import annotations

import asyncio
import itertools

from harness.client import RoomClient, connect
from tests.integration.conftest import Cluster

MEMBERS = [f"member{i}" for i in range(1, 9)]
VOTE_APART_SECS = 0.3
POLL = {
    "title": "Bầu Ủy viên (bỏ phiếu kín)",
    "secret": True,
    "kind": "yes_no_abstain",
    "allow_change": False,
    "majority": "simple",
    "quorum": {"kind": "none"},
}


async def test_secret_participation_reaches_every_tablet_at_most_once_a_second_on_two_workers(
    cluster: Cluster, cluster_meeting: int
) -> None:
    """Votes cast a third of a second apart, through A and B in turn: every participation
    event reaches the observer on each worker, in order, but messages that carry only
    participation are at least a second apart (the network may shrink the gap a little,
    never by 0.2 s here)."""
    meeting = cluster_meeting
    urls = cluster.urls
    chair = await connect(urls[0], "chair")
    voters = {name: await connect(urls[i % 2], name) for i, name in enumerate(MEMBERS)}
    watchers = [await connect(url, "observer") for url in urls]
    everyone: list[RoomClient] = [chair, *voters.values(), *watchers]
    try:
        for client in everyone:
            assert (await client.join(meeting))["ok"]
        assert (await chair.cmd("meeting.start"))["ok"]
        for client in (chair, *voters.values()):
            assert (await client.cmd("attendance.check_in"))["ok"]
        assert (await chair.cmd("poll.create", POLL))["ok"]
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        for name in MEMBERS:
            assert (await voters[name].cmd("vote.cast", {"poll_id": 1, "choice": "yes"}))["ok"]
            await asyncio.sleep(VOTE_APART_SECS)
        assert (await chair.cmd("poll.close", {"poll_id": 1}))["ok"]
        for watcher in watchers:
            await watcher.wait_for(
                lambda w=watcher: any(e["type"] == "poll.closed" for e in w.events)
            )
    finally:
        for client in everyone:
            await client.close()
    for watcher in watchers:
        counted = [e for e in watcher.events if e["type"] == "vote.participated"]
        assert len(counted) == len(MEMBERS)
        assert [e["seq"] for e in watcher.events] == list(range(1, len(watcher.events) + 1))
        only_counts = [
            at
            for at, events in watcher.messages
            if events and all(e["type"] == "vote.participated" for e in events)
        ]
        assert len(only_counts) < len(MEMBERS)  # some were held back and left together
        gaps = [later - earlier for earlier, later in itertools.pairwise(only_counts)]
        assert all(gap >= 0.8 for gap in gaps), gaps
