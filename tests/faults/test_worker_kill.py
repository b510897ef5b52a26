"""A worker killed with SIGKILL in the middle of a vote burst, then restarted.

Two workers share PostgreSQL and Redis; the voters' tablets are spread over both. For each
seed, the chair opens four named polls and every voter votes in all of them at once (200
ballots in the CI variant); when a seeded number of ballots has been acknowledged, one worker is
killed. Its tablets lose their connection mid-command; they reconnect (to the other worker
while it is down) and send each unacknowledged ballot again with the same id. Then:

- every acknowledged ballot is in the log exactly once, with the choice its voter sent;
- no ballot appears that no voter sent, and the database's participations agree;
- the closed polls count exactly the acknowledged ballots;
- every tablet holds exactly the server's state.
"""

from __future__ import annotations

import asyncio
import random
import signal
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from ecabinet.store.database import Database
from ecabinet.store.schema import participations
from harness.client import login, new_meeting, user_ids
from harness.server import Server
from harness.services import delete_redis_keys, require_redis, unique_redis_prefix
from tests.faults.conftest import EnvFactory
from tests.faults.tablet import Tablet
from tests.faults.world import (
    check_tablet,
    create_users,
    login_all,
    read_truth,
    running,
    scale,
    stop_all,
    wait_until_current,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

# Signing in costs an argon2 hash each (~50 ms, far more on a busy machine), so the CI
# variant has fewer voters and more polls: 50 x 4 = 200 ballots in each burst.
VOTERS = scale(50, 250)
POLLS_PER_SEED = 4  # VOTERS x POLLS_PER_SEED ballots in each burst
SEEDS = scale(3, 8)
SPREAD_SECS = 1.0  # the ballots of a burst leave within this long
CURRENT_WITHIN_SECS = 90  # correctness deadlines on a busy machine
BURST_WITHIN_SECS = 180
CHOICES = ("yes", "no", "abstain")


@pytest.fixture
def cluster_env(postgres_env: EnvFactory) -> Iterator[dict[str, str]]:
    prefix = unique_redis_prefix()
    try:
        yield postgres_env(ECABINET_REDIS_URL=require_redis(), ECABINET_REDIS_PREFIX=prefix)
    finally:
        delete_redis_keys(prefix)


def named_poll(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "kind": "yes_no_abstain",
        "secret": False,
        "allow_change": False,
        "majority": "simple",
        "quorum": {"kind": "none"},
    }


async def vote(
    tablet: Tablet, poll_id: int, choice: str, delay: float, acked: list[int]
) -> dict[str, Any]:
    await asyncio.sleep(delay)
    ack = await tablet.command(
        "vote.cast", {"poll_id": poll_id, "choice": choice}, within=BURST_WITHIN_SECS
    )
    acked.append(1)
    return ack


async def test_a_worker_killed_during_a_vote_burst_loses_no_acknowledged_ballot(
    cluster_env: dict[str, str],
) -> None:
    workers = [Server(cluster_env), Server(cluster_env)]
    with running(*workers):
        urls = [w.url for w in workers]
        admin = await login(urls[0], "admin")
        voters = [f"cutri{i:03d}" for i in range(VOTERS)]
        await create_users(urls[0], admin, voters)
        ids = await user_ids(urls[0], admin)
        roster = {"chair": "chair", **{name: "member" for name in voters}}
        meeting = await new_meeting(urls[0], admin, "Kỳ họp bất thường", roster)
        tokens = await login_all(urls, list(roster))
        tablets = {
            name: Tablet(urls, tokens[name], meeting, name=name, rng=random.Random(i), home=i % 2)
            for i, name in enumerate(roster)
        }
        chair = tablets["chair"]
        try:
            await asyncio.gather(*(t.start(within=CURRENT_WITHIN_SECS) for t in tablets.values()))
            assert (await chair.command("meeting.start"))["ok"]
            checked_in = await asyncio.gather(
                *(tablets[v].command("attendance.check_in") for v in voters)
            )
            assert all(a["ok"] for a in checked_in)

            sent: dict[tuple[int, int], str] = {}  # (poll, voter id) -> choice
            poll_ids: list[int] = []
            for seed in range(SEEDS):
                rng = random.Random(seed)
                polls = []
                for p in range(POLLS_PER_SEED):
                    created = await chair.command(
                        "poll.create", named_poll(f"Nghị quyết {seed}.{p}")
                    )
                    assert created["ok"], created
                    poll_id = len(poll_ids) + 1
                    assert (await chair.command("poll.open", {"poll_id": poll_id}))["ok"]
                    poll_ids.append(poll_id)
                    polls.append(poll_id)
                victim = workers[rng.randrange(2)]
                kill_after = rng.randrange(
                    len(voters) * len(polls) // 10, len(voters) * len(polls) * 3 // 4
                )
                acked: list[int] = []
                ballots = []
                for poll_id in polls:
                    for voter in voters:
                        choice = rng.choice(CHOICES)
                        sent[(poll_id, ids[voter])] = choice
                        ballots.append(
                            vote(
                                tablets[voter], poll_id, choice, rng.uniform(0, SPREAD_SECS), acked
                            )
                        )
                burst = asyncio.gather(*ballots)

                async with asyncio.timeout(BURST_WITHIN_SECS):
                    while len(acked) < kill_after:  # noqa: ASYNC110 - counting acks as they come
                        await asyncio.sleep(0.005)
                victim.stop(signal.SIGKILL)  # no shutdown code runs
                await asyncio.sleep(rng.uniform(0.2, 1.0))
                await asyncio.to_thread(victim.start)

                acks = await burst
                assert all(a["ok"] for a in acks), [a for a in acks if not a["ok"]][:3]

            closing = [await chair.command("poll.close", {"poll_id": p}) for p in poll_ids]
            assert all(a["ok"] for a in closing)
            head = closing[-1]["seq"]
            await wait_until_current(list(tablets.values()), head, CURRENT_WITHIN_SECS)
            truth = await read_truth(cluster_env["ECABINET_DATABASE_URL"], meeting)
            for tablet in tablets.values():
                check_tablet(tablet, truth)

            # Every acknowledged ballot once, as sent; none that nobody sent.
            cast = [e for e in truth.events if e.type == "vote.cast"]
            assert Counter((e.data["poll_id"], e.data["voter_id"]) for e in cast) == Counter(
                sent.keys()
            )
            assert {(e.data["poll_id"], e.data["voter_id"]): e.data["choice"] for e in cast} == sent
            assert all(e.data["cast_by"] == e.data["voter_id"] == e.actor_id for e in cast)
            state = truth.state_at(truth.head).voting.to_wire(None)
            for poll in state["polls"]:
                counted = Counter(c for (p, _), c in sent.items() if p == poll["id"])
                assert poll["result"]["counts"] == [counted["yes"], counted["no"]]
                assert poll["result"]["abstentions"] == counted["abstain"]
            rows = await participation_rows(cluster_env["ECABINET_DATABASE_URL"], meeting)
            assert rows == {key: f'"{choice}"' for key, choice in sent.items()}
            # The kills did cut tablets off: they came back and resent their ballots.
            assert sum(t.connections > 1 for t in tablets.values()) >= len(voters) // 4
            commands_per_voter = 1 + SEEDS * POLLS_PER_SEED  # the check-in and the ballots
            resent = sum(tablets[v].attempts for v in voters) - commands_per_voter * len(voters)
            assert resent > 0, "no ballot was in flight when a worker was killed"
        finally:
            await stop_all(list(tablets.values()))


async def participation_rows(database_url: str, meeting: int) -> dict[tuple[int, int], str]:
    db = Database(database_url)
    try:
        async with db.read() as conn:
            rows = (
                await conn.execute(
                    select(participations).where(participations.c.meeting_id == meeting)
                )
            ).all()
    finally:
        await db.dispose()
    return {(r.poll_id, r.voter_id): r.choice for r in rows}
