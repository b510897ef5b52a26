"""Named and secret polls through the real server: results, races, double votes, secrecy."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

import pytest
from sqlalchemy import select

from ecabinet.store.database import Database
from ecabinet.store.schema import participations, secret_polls
from harness.client import RoomClient, connect, user_ids
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio

MEMBERS = [f"member{i}" for i in range(1, 9)]
POLL = {
    "kind": "yes_no_abstain",
    "allow_change": False,
    "majority": "simple",
    "quorum": {"kind": "none"},
}


async def _live_room(url: str, meeting: int, names: list[str]) -> dict[str, RoomClient]:
    """Chair and the named people connected, joined and checked in; the meeting live."""
    clients = {name: await connect(url, name) for name in ["chair", *names]}
    for client in clients.values():
        assert (await client.join(meeting))["ok"]
    assert (await clients["chair"].cmd("meeting.start"))["ok"]
    for client in clients.values():
        ack = await client.cmd("attendance.check_in")
        assert ack["ok"] or ack["error"]["code"] == "not-allowed", ack
    return clients


async def _close_all(clients: dict[str, RoomClient]) -> None:
    for client in clients.values():
        await client.close()


async def test_a_named_poll_from_open_to_result_is_the_same_on_every_tablet(
    running: Running, meeting: int
) -> None:
    clients = await _live_room(
        running.url, meeting, ["member1", "member2", "member3", "observer", "clerk"]
    )
    chair = clients["chair"]
    try:
        created = await chair.cmd(
            "poll.create", {"title": "Thông qua Nghị quyết số 12", "secret": False, **POLL}
        )
        assert created["ok"]
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]  # idempotent, appends nothing
        choices = {"member1": "yes", "member2": "yes", "member3": "no", "chair": "abstain"}
        for name, choice in choices.items():
            assert (await clients[name].cmd("vote.cast", {"poll_id": 1, "choice": choice}))["ok"]
        again = await clients["member1"].cmd("vote.cast", {"poll_id": 1, "choice": "no"})
        assert again["error"]["code"] == "double-vote"
        assert (await clients["observer"].cmd("vote.cast", {"poll_id": 1, "choice": "yes"}))[
            "error"
        ]["code"] == "not-allowed"
        assert (await clients["clerk"].cmd("vote.cast", {"poll_id": 1, "choice": "yes"}))["error"][
            "code"
        ] == "not-allowed"
        closed = await chair.cmd("poll.close", {"poll_id": 1})
        assert closed["ok"]
        late = await clients["member2"].cmd("vote.cast", {"poll_id": 1, "choice": "no"})
        assert late["error"]["code"] in {"poll-closed", "double-vote"}

        def result_of(client: RoomClient) -> Any:
            return next(
                (e["data"]["result"] for e in client.events if e["type"] == "poll.closed"), None
            )

        for client in clients.values():
            await client.wait_for(lambda c=client: result_of(c) is not None)  # type: ignore[misc]
        results = [result_of(c) for c in clients.values()]
        assert all(r == results[0] for r in results)
        assert (
            results[0]["counts"] == [2, 1]
            and results[0]["abstentions"] == 1
            and results[0]["adopted"]
        )
        named = [e["data"] for e in clients["observer"].events if e["type"] == "vote.cast"]
        ids = await user_ids(running.url, await _admin(running))
        assert {(v["voter_id"], v["choice"]) for v in named} == {
            (ids[n], c) for n, c in choices.items()
        }
    finally:
        await _close_all(clients)


async def _admin(running: Running) -> str:
    from harness.client import login

    return await login(running.url, "admin")


async def test_fifty_concurrent_casts_by_one_voter_store_one_ballot(
    running: Running, meeting: int
) -> None:
    clients = await _live_room(running.url, meeting, ["member1"])
    try:
        chair, voter = clients["chair"], clients["member1"]
        assert (await chair.cmd("poll.create", {"title": "Biểu quyết", "secret": False, **POLL}))[
            "ok"
        ]
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        acks = await asyncio.gather(
            *[voter.cmd("vote.cast", {"poll_id": 1, "choice": "yes"}) for _ in range(50)]
        )
        assert sum(a["ok"] for a in acks) == 1
        assert sorted(a["error"]["code"] for a in acks if not a["ok"]) == ["double-vote"] * 49
    finally:
        await _close_all(clients)
    rows = await _rows(running, participations, meeting)
    assert len(rows) == 1


async def _rows(running: Running, table: Any, meeting: int) -> list[Any]:
    db = Database(running.env["ECABINET_DATABASE_URL"])
    try:
        async with db.read() as conn:
            return list(
                (await conn.execute(select(table).where(table.c.meeting_id == meeting))).all()
            )
    finally:
        await db.dispose()


async def test_votes_racing_the_close_are_counted_or_refused_never_lost(
    running: Running, meeting: int
) -> None:
    clients = await _live_room(running.url, meeting, MEMBERS)
    chair = clients["chair"]
    try:
        assert (
            await chair.cmd("poll.create", {"title": "Biểu quyết nhanh", "secret": False, **POLL})
        )["ok"]
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        votes = [clients[n].cmd("vote.cast", {"poll_id": 1, "choice": "yes"}) for n in MEMBERS]
        closes = [chair.cmd("poll.close", {"poll_id": 1}) for _ in range(3)]
        answers = await asyncio.gather(*votes[:4], *closes, *votes[4:])
        vote_acks = answers[:4] + answers[7:]
        assert all(a["ok"] for a in answers[4:7])  # every close answer is a success
        accepted = sum(a["ok"] for a in vote_acks)
        assert {a["error"]["code"] for a in vote_acks if not a["ok"]} <= {"poll-closed"}
        await chair.wait_for(lambda: any(e["type"] == "poll.closed" for e in chair.events))
        result = next(e["data"]["result"] for e in chair.events if e["type"] == "poll.closed")
        assert result["counts"][0] == accepted == result["ballots"]
        assert len([e for e in chair.events if e["type"] == "poll.closed"]) == 1
    finally:
        await _close_all(clients)


async def test_a_secret_poll_keeps_no_link_between_voter_and_choice(
    running: Running, meeting: int
) -> None:
    clients = await _live_room(running.url, meeting, [*MEMBERS, "observer"])
    chair, observer = clients["chair"], clients["observer"]
    watched: list[Any] = []
    observer.sio.on("*", lambda event, data: watched.append((event, data)))
    try:
        spec = {"title": "Bầu Phó Chủ tịch (bỏ phiếu kín)", "secret": True, **POLL}
        assert (await chair.cmd("poll.create", spec))["ok"]
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        pattern = ["yes", "no", "yes", "abstain", "yes", "no", "yes", "yes"]
        receipts = []
        for name, choice in zip(MEMBERS, pattern, strict=True):
            ack = await clients[name].cmd(
                "vote.cast", {"poll_id": 1, "choice": choice}, id=f"v-{name}"
            )
            assert ack["ok"] and len(ack["receipt"]) == 16
            receipts.append(ack["receipt"])
        retried = await clients["member1"].cmd(
            "vote.cast", {"poll_id": 1, "choice": "yes"}, id="v-member1"
        )
        assert retried["ok"] and "receipt" not in retried  # the receipt is shown once
        assert (await chair.cmd("poll.close", {"poll_id": 1}))["ok"]
        await observer.wait_for(lambda: any(e["type"] == "poll.closed" for e in observer.events))
        closed = next(e["data"] for e in observer.events if e["type"] == "poll.closed")
        assert closed["result"]["counts"] == [5, 2] and closed["result"]["abstentions"] == 1
        assert closed["receipts"] == sorted(receipts)

        # Nothing a tablet received links a voter to a choice.
        secret_events = [e for e in observer.events if e["data"].get("poll_id") == 1]
        assert {e["type"] for e in secret_events} == {
            "poll.created",
            "poll.opened",
            "vote.participated",
            "poll.closed",
        }
        assert all(
            set(e["data"]) == {"poll_id", "voter_id"}
            for e in secret_events
            if e["type"] == "vote.participated"
        )
        assert '"choice"' not in json.dumps(
            [e for e in secret_events if e["type"] != "poll.closed"]
        )
        snapshot = (await observer.join(meeting))["snapshot"]["state"]["voting"]["polls"][0]
        assert snapshot["votes"] == []
    finally:
        await _close_all(clients)

    # Nothing in the database does either: participation rows carry no choice, and the
    # secret store is one row of counts and sorted receipts.
    rows = [r for r in await _rows(running, participations, meeting) if r.poll_id == 1]
    assert len(rows) == 8 and all(r.choice is None for r in rows)
    (secret,) = await _rows(running, secret_polls, meeting)
    assert json.loads(secret.counts) == {'"abstain"': 1, '"no"': 2, '"yes"': 5}
    assert json.loads(secret.receipts) == sorted(receipts)


async def test_secret_participation_reaches_the_room_at_most_once_a_second(
    running: Running, meeting: int
) -> None:
    """Votes cast a third of a second apart: every participation event arrives, in order,
    but messages that carry only participation are at least a second apart (their
    sending is; the network may shrink the gap a little, never by 0.2 s here)."""
    clients = await _live_room(running.url, meeting, [*MEMBERS, "observer"])
    chair, observer = clients["chair"], clients["observer"]
    try:
        spec = {"title": "Bầu Ủy viên (bỏ phiếu kín)", "secret": True, **POLL}
        assert (await chair.cmd("poll.create", spec))["ok"]
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        for name in MEMBERS:
            assert (await clients[name].cmd("vote.cast", {"poll_id": 1, "choice": "yes"}))["ok"]
            await asyncio.sleep(0.3)
        assert (await chair.cmd("poll.close", {"poll_id": 1}))["ok"]
        await observer.wait_for(lambda: any(e["type"] == "poll.closed" for e in observer.events))
    finally:
        await _close_all(clients)
    counted = [e for e in observer.events if e["type"] == "vote.participated"]
    assert len(counted) == len(MEMBERS)
    assert [e["seq"] for e in observer.events] == sorted({e["seq"] for e in observer.events})
    only_counts = [
        at
        for at, events in observer.messages
        if events and all(e["type"] == "vote.participated" for e in events)
    ]
    assert len(only_counts) < len(MEMBERS)  # some were held back and left together
    gaps = [later - earlier for earlier, later in itertools.pairwise(only_counts)]
    assert all(gap >= 0.8 for gap in gaps), gaps


async def test_the_snapshot_tells_each_member_what_they_may_vote(
    running: Running, meeting: int
) -> None:
    clients = await _live_room(running.url, meeting, ["member1", "observer"])
    try:
        chair = clients["chair"]
        assert (await chair.cmd("poll.create", {"title": "Biểu quyết", "secret": False, **POLL}))[
            "ok"
        ]
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        ids = await user_ids(running.url, await _admin(running))
        member_view = (await clients["member1"].join(meeting))["snapshot"]["state"]["voting"][
            "polls"
        ][0]
        observer_view = (await clients["observer"].join(meeting))["snapshot"]["state"]["voting"][
            "polls"
        ][0]
        assert member_view["you"]["can_vote_for"] == [ids["member1"]]
        assert observer_view["you"]["can_vote_for"] == []
    finally:
        await _close_all(clients)
