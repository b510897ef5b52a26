"""Members without a device, through the real server: the clerk records a named vote for a
present member, and gives paper ballots in a secret poll and enters their tally. Every
refusal writes nothing and keeps the connection."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ecabinet.store.database import Database
from ecabinet.store.schema import meeting_events, participations
from harness.client import RoomClient, connect, login, user_ids
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio

POLL = {
    "kind": "yes_no_abstain",
    "allow_change": False,
    "majority": "simple",
    "quorum": {"kind": "none"},
}
PEOPLE = ["clerk", "member1", "member2", "member3", "observer"]  # member4… stay away


async def _live_room(url: str, meeting: int) -> dict[str, RoomClient]:
    clients = {name: await connect(url, name) for name in ["chair", *PEOPLE]}
    for client in clients.values():
        assert (await client.join(meeting))["ok"]
    assert (await clients["chair"].cmd("meeting.start"))["ok"]
    for client in clients.values():
        assert (await client.cmd("attendance.check_in"))["ok"]
    return clients


async def _counts(running: Running, meeting: int) -> tuple[int, int]:
    """(events in the log, participation rows) of the meeting."""
    db = Database(running.env["ECABINET_DATABASE_URL"])
    try:
        async with db.read() as conn:
            events = await conn.scalar(
                select(func.count())
                .select_from(meeting_events)
                .where(meeting_events.c.meeting_id == meeting)
            )
            rows = await conn.scalar(
                select(func.count())
                .select_from(participations)
                .where(participations.c.meeting_id == meeting)
            )
            return int(events or 0), int(rows or 0)
    finally:
        await db.dispose()


async def _refused(
    running: Running,
    meeting: int,
    client: RoomClient,
    type_: str,
    data: dict[str, Any],
    code: str,
) -> dict[str, Any]:
    before = await _counts(running, meeting)
    ack = await client.cmd(type_, data)
    assert not ack["ok"] and ack["error"]["code"] == code, (type_, data, ack)
    assert await _counts(running, meeting) == before  # nothing written
    assert client.sio.connected  # the connection is kept
    return ack


async def test_the_clerk_records_a_present_members_named_vote(
    running: Running, meeting: int
) -> None:
    ids = await user_ids(running.url, await login(running.url, "admin"))
    clients = await _live_room(running.url, meeting)
    chair, clerk = clients["chair"], clients["clerk"]
    try:
        for title, secret in (("Thông qua Nghị quyết số 12", False), ("Bỏ phiếu kín", True)):
            assert (await chair.cmd("poll.create", {"title": title, "secret": secret, **POLL}))[
                "ok"
            ]
            assert (await chair.cmd("poll.open", {"poll_id": 1 if not secret else 2}))["ok"]
        record = {"poll_id": 1, "voter_id": ids["member1"], "choice": "yes"}
        for sender in ("chair", "member2", "observer"):
            await _refused(running, meeting, clients[sender], "vote.record", record, "not-allowed")
        await _refused(running, meeting, clerk, "vote.record", {**record, "poll_id": 2}, "invalid")
        absent = {**record, "voter_id": ids["member4"]}
        await _refused(running, meeting, clerk, "vote.record", absent, "not-eligible")
        await _refused(
            running, meeting, clerk, "vote.record", {**record, "choice": "maybe"}, "invalid"
        )

        ack = await clerk.cmd("vote.record", record)
        assert ack["ok"], ack
        await _refused(running, meeting, clerk, "vote.record", record, "double-vote")
        own = {"poll_id": 1, "choice": "no"}
        await _refused(running, meeting, clients["member1"], "vote.cast", own, "double-vote")
        assert (await clients["member2"].cmd("vote.cast", {"poll_id": 1, "choice": "no"}))["ok"]

        # The member's own tablet sees the vote, marked as recorded by the clerk.
        member_view = (await clients["member1"].join(meeting))["snapshot"]["state"]["voting"][
            "polls"
        ][0]
        mine = next(v for v in member_view["votes"] if v["voter_id"] == ids["member1"])
        assert mine == {"voter_id": ids["member1"], "choice": "yes", "recorded_by": ids["clerk"]}
        assert member_view["you"]["voted_for"] == [ids["member1"]]

        assert (await chair.cmd("poll.close", {"poll_id": 1}))["ok"]
        closed_record = {**record, "voter_id": ids["member3"]}
        await _refused(running, meeting, clerk, "vote.record", closed_record, "poll-closed")

        observer = clients["observer"]
        await observer.wait_for(lambda: any(e["type"] == "poll.closed" for e in observer.events))
        cast = [e["data"] for e in observer.events if e["type"] == "vote.cast"]
        assert [c.get("recorded_by") for c in cast] == [ids["clerk"], None]
        assert cast[0]["cast_by"] == ids["clerk"]
        result = next(e["data"]["result"] for e in observer.events if e["type"] == "poll.closed")
        assert result["counts"] == [1, 1] and result["recorded"] == [ids["member1"]]
    finally:
        for client in clients.values():
            await client.close()


async def test_paper_ballots_are_tallied_before_the_close_and_merged_into_the_result(
    running: Running, meeting: int
) -> None:
    ids = await user_ids(running.url, await login(running.url, "admin"))
    clients = await _live_room(running.url, meeting)
    chair, clerk = clients["chair"], clients["clerk"]
    try:
        for secret in (True, False):
            assert (await chair.cmd("poll.create", {"title": "Kín", "secret": secret, **POLL}))[
                "ok"
            ]
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        assert (await chair.cmd("poll.open", {"poll_id": 2}))["ok"]
        assert (await clients["member3"].cmd("vote.cast", {"poll_id": 1, "choice": "yes"}))["ok"]

        def mark(name: str, poll_id: int = 1) -> dict[str, Any]:
            return {"poll_id": poll_id, "voter_id": ids[name]}

        await _refused(running, meeting, chair, "vote.mark_paper", mark("member1"), "not-allowed")
        await _refused(running, meeting, clerk, "vote.mark_paper", mark("member1", 2), "invalid")
        await _refused(running, meeting, clerk, "vote.mark_paper", mark("member4"), "not-eligible")
        await _refused(running, meeting, clerk, "vote.mark_paper", mark("member3"), "double-vote")
        for name in ("member1", "member2"):
            assert (await clerk.cmd("vote.mark_paper", mark(name)))["ok"]
        await _refused(running, meeting, clerk, "vote.mark_paper", mark("member1"), "conflict")
        tablet = {"poll_id": 1, "choice": "no"}
        await _refused(running, meeting, clients["member1"], "vote.cast", tablet, "paper-ballot")

        missing = await _refused(
            running, meeting, chair, "poll.close", {"poll_id": 1}, "paper-tally-missing"
        )
        assert missing["error"]["data"] == {"poll_id": 1, "paper_voters": 2}

        tally = {"poll_id": 1, "issued": 2, "returned": 2, "valid": 1, "invalid": 1}
        tally |= {"counts": [0, 1], "abstentions": 0}
        for wrong in (
            {"issued": 3, "returned": 3, "valid": 2},  # issued is not the members marked
            {"returned": 3, "valid": 2},  # more returned than issued
            {"invalid": 0},  # valid + invalid is not returned
            {"counts": [1, 1]},  # the counts are not the valid ballots
        ):
            await _refused(
                running, meeting, clerk, "poll.paper_tally", {**tally, **wrong}, "invalid"
            )
        await _refused(running, meeting, chair, "poll.paper_tally", tally, "not-allowed")
        assert (await clerk.cmd("poll.paper_tally", tally))["ok"]
        # The tally is public from now on: voting on tablets has ended.
        late = {"poll_id": 1, "choice": "yes"}
        await _refused(running, meeting, chair, "vote.cast", late, "poll-closed")
        assert (await chair.cmd("poll.close", {"poll_id": 1}))["ok"]
        await _refused(running, meeting, clerk, "poll.paper_tally", tally, "poll-closed")

        observer = clients["observer"]
        await observer.wait_for(lambda: any(e["type"] == "poll.closed" for e in observer.events))
        closed = next(e["data"] for e in observer.events if e["type"] == "poll.closed")
        result = closed["result"]
        assert result["counts"] == [1, 1] and result["ballots"] == 2
        assert result["paper"] == {
            "issued": 2,
            "returned": 2,
            "valid": 1,
            "invalid": 1,
            "counts": [0, 1],
            "abstentions": 0,
        }
        assert len(closed["receipts"]) == 1
        marked = [e["data"] for e in observer.events if e["type"] == "vote.paper_marked"]
        assert marked == [mark("member1"), mark("member2")]
        snapshot = (await observer.join(meeting))["snapshot"]["state"]["voting"]["polls"][0]
        assert snapshot["paper_voters"] == sorted([ids["member1"], ids["member2"]])
        assert snapshot["paper_tally"] == result["paper"]
    finally:
        for client in clients.values():
            await client.close()
