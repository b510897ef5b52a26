from __future__ import annotations

from harness.client import connect
from tests.integration.conftest import Running


async def test_chair_starts_meeting_and_member_sees_it(running: Running, meeting: int) -> None:
    chair = await connect(running.url, "chair")
    member = await connect(running.url, "member1")
    try:
        joined = await member.join(meeting)
        assert joined["ok"] and joined["mode"] == "snapshot"
        assert joined["snapshot"]["state"]["status"] == "scheduled"
        assert (await chair.join(meeting))["ok"]
        ack = await chair.cmd("meeting.start")
        assert ack == {"ok": True, "seq": 1}
        await member.wait_for(lambda: any(e["type"] == "meeting.started" for e in member.events))
        assert member.events[-1]["seq"] == 1 and member.events[-1]["meeting_id"] == meeting
    finally:
        await chair.close()
        await member.close()
