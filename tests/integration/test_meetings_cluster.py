"""A roster changed in the back office on one worker holds on the other (PostgreSQL and
Redis): the ``roster.changed`` event reaches the tablets of both, the other worker's
roster cache follows it (a person added there can act at once, a person removed cannot),
and the removed person's socket on the other worker leaves the meeting at once."""

from __future__ import annotations

import pytest

from harness.client import api, connect, login, user_ids
from tests.integration.conftest import Cluster

pytestmark = pytest.mark.asyncio


async def test_a_roster_change_on_one_worker_holds_on_the_other(cluster: Cluster) -> None:
    a, b = cluster.urls
    admin = await login(a, "admin")
    ids = await user_ids(a, admin)
    async with api(a, admin) as http:
        committee = (await http.get("/api/committees")).json()["committees"][0]["id"]
        created = await http.post(
            "/api/meetings",
            json={
                "committee_id": committee,
                "title": "Họp hai máy chủ",
                "scheduled_at": "2031-05-05T08:00:00+07:00",
                "roster": [
                    {"user_id": ids["chair"], "role": "chair"},
                    {"user_id": ids["member1"], "role": "member"},
                    {"user_id": ids["member2"], "role": "member"},
                ],
            },
        )
        assert created.status_code == 201, created.text
        meeting = created.json()["meeting"]["id"]
    leaving = await connect(b, "member1")
    staying = await connect(b, "member2")
    try:
        assert (await leaving.join(meeting))["ok"] and (await staying.join(meeting))["ok"]
        # Worker B runs a command of the meeting: it now holds the roster in its cache.
        assert (await leaving.cmd("attendance.check_in"))["ok"]
        async with api(a, admin) as http:
            changed = await http.put(
                f"/api/meetings/{meeting}/roster",
                json={
                    "roster": [
                        {"user_id": ids["chair"], "role": "chair"},
                        {"user_id": ids["member2"], "role": "member"},
                        {"user_id": ids["member3"], "role": "member"},
                    ]
                },
            )
            assert changed.status_code == 200, changed.text
        await staying.wait_for(lambda: any(e["type"] == "roster.changed" for e in staying.events))
        event = next(e for e in staying.events if e["type"] == "roster.changed")
        assert event["data"]["removed"] == [ids["member1"]]
        # The removed person's socket on B left the meeting (the control channel told B).
        await leaving.wait_for(lambda: bool(leaving.other) or not leaving.sio.connected)
        assert ("roster-removed", {"meeting_id": meeting}) in leaving.other
        refused = await leaving.cmd("attendance.check_out")
        assert refused["ok"] is False and refused["error"]["code"] == "not-joined"
        assert (await leaving.join(meeting))["error"]["code"] == "not-found"
        # The person added on A acts on B at once: B read the roster again.
        newcomer = await connect(b, "member3")
        try:
            assert (await newcomer.join(meeting))["ok"]
            ack = await newcomer.cmd("attendance.check_in")
            assert ack["ok"], ack
        finally:
            await newcomer.close()
    finally:
        await leaving.close()
        await staying.close()
