"""Reminding the voters of an open poll: an ephemeral ``remind`` from the chair or the clerk
reaches the other tablets and is not logged; anyone else, or a poll that is not open, is
refused."""

from __future__ import annotations

import pytest

from harness.client import connect, user_ids
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio

POLL = {
    "title": "Thông qua Đề án",
    "kind": "yes_no_abstain",
    "secret": False,
    "allow_change": False,
    "quorum": {"kind": "none"},
}


async def test_the_chair_or_the_clerk_reminds_the_voters_of_an_open_poll_only(
    running: Running, meeting: int, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    chair, clerk, member = [await connect(running.url, n) for n in ("chair", "clerk", "member1")]
    try:
        for client in (chair, clerk, member):
            assert (await client.join(meeting))["ok"]
        assert (await chair.cmd("meeting.start"))["ok"]
        for user in ("chair", "member1"):
            assert (await chair.cmd("attendance.check_in", {"user_id": ids[user]}))["ok"]
        assert (await chair.cmd("poll.create", POLL))["ok"]
        remind = {"kind": "remind", "data": {"poll_id": 1}}

        # A draft has nobody to remind; nor has a poll that does not exist.
        assert (await chair.raw("ephemeral", remind))["error"]["code"] == "conflict"
        missing = {"kind": "remind", "data": {"poll_id": 99}}
        assert (await chair.raw("ephemeral", missing))["error"]["code"] == "not-found"
        for bad in ({}, {"poll_id": "1"}, {"poll_id": 1, "extra": 2}, {"poll_id": True}):
            answer = await chair.raw("ephemeral", {"kind": "remind", "data": bad})
            assert answer["error"]["code"] == "invalid", bad

        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        seq = (await member.join(meeting))["seq"]
        seen: list[object] = []
        member.sio.on("ephemeral", seen.append)
        assert await clerk.raw("ephemeral", remind) == {"ok": True}
        await member.wait_for(lambda: bool(seen))
        assert seen == [{"meeting_id": meeting, "user_id": ids["clerk"], **remind}]
        assert await chair.raw("ephemeral", remind) == {"ok": True}
        # A member may not remind the others; nothing was logged.
        assert (await member.raw("ephemeral", remind))["error"]["code"] == "not-allowed"
        assert (await member.join(meeting))["seq"] == seq

        assert (await chair.cmd("poll.close", {"poll_id": 1}))["ok"]
        assert (await clerk.raw("ephemeral", remind))["error"]["code"] == "conflict"
    finally:
        for client in (chair, clerk, member):
            await client.close()
