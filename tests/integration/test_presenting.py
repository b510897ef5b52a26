"""Follow-the-presenter and the agenda through the real command path."""

from __future__ import annotations

import pytest

from harness.client import connect, login, user_ids
from tests import pdfs
from tests.integration.conftest import Running
from tests.integration.test_documents import upload

pytestmark = pytest.mark.asyncio


async def test_the_presenters_view_reaches_every_tablet_and_is_in_the_snapshot(
    running: Running, meeting: int, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    document = (
        await upload(running.url, await login(running.url, "clerk"), meeting, pdfs.pages(5))
    ).json()
    doc_id = document["document"]["id"]
    chair, presenter, member = [
        await connect(running.url, n) for n in ("chair", "member1", "member2")
    ]
    try:
        for client in (chair, presenter, member):
            await client.join(meeting)
        assert (await chair.cmd("meeting.start"))["ok"]
        assert (await chair.cmd("presenter.set", {"user_id": ids["member1"]}))["ok"]
        refused = await member.cmd("presenter.view", {"document_id": doc_id, "page": 2})
        assert refused["error"]["code"] == "not-allowed"
        bad_views = [
            {"document_id": doc_id, "page": 6},
            {"document_id": doc_id, "page": 1, "zoom": 5},
            {"document_id": doc_id, "page": 1, "region": [0, 0, "x", 1]},
        ]
        for bad in bad_views:
            assert (await presenter.cmd("presenter.view", bad))["error"]["code"] == "invalid"
        assert (await presenter.cmd("presenter.view", {"document_id": 999, "page": 1}))["error"][
            "code"
        ] == "not-found"

        # While scrolling: ephemeral views reach the others, not the sender, and are not stored.
        seq_before = (await member.join(meeting, last_seq=None))["seq"]
        moving = {
            "kind": "view",
            "data": {"document_id": doc_id, "page": 3, "zoom": 150, "region": [0, 400, 595, 842]},
        }
        assert await presenter.raw("ephemeral", moving) == {"ok": True}
        member_seen: list[object] = []
        member.sio.on("ephemeral", member_seen.append)
        assert await presenter.raw("ephemeral", moving) == {"ok": True}
        await member.wait_for(lambda: bool(member_seen))
        assert member_seen[0] == {"meeting_id": meeting, "user_id": ids["member1"], **moving}
        assert (await member.raw("ephemeral", moving))["error"]["code"] == "not-allowed"
        assert (await member.join(meeting))["seq"] == seq_before

        settled = {"document_id": doc_id, "page": 3, "zoom": 150, "region": [0, 400.123, 595, 842]}
        assert (await presenter.cmd("presenter.view", settled))["ok"]
        await member.wait_for(
            lambda: any(e["type"] == "presenter.view_changed" for e in member.events)
        )
        snapshot = (await member.join(meeting))["snapshot"]["state"]["presenting"]
        assert snapshot == {
            "presenter_id": ids["member1"],
            "view": {
                "document_id": doc_id,
                "page": 3,
                "zoom": 150,
                "region": [0.0, 400.12, 595.0, 842.0],
            },
        }
    finally:
        for client in (chair, presenter, member):
            await client.close()


async def test_ephemeral_messages_are_rate_limited_per_connection(
    running: Running, meeting: int
) -> None:
    document = (
        await upload(running.url, await login(running.url, "clerk"), meeting, pdfs.pages(2))
    ).json()
    chair = await connect(running.url, "chair")
    try:
        await chair.join(meeting)
        view = {"kind": "view", "data": {"document_id": document["document"]["id"], "page": 1}}
        answers = [await chair.raw("ephemeral", view) for _ in range(45)]
        limited = [a for a in answers if not a["ok"]]
        assert limited and all(a["error"]["code"] == "rate-limited" for a in limited)
        assert chair.sio.connected
        assert (await chair.raw("ephemeral", {"kind": "laser"}))["error"]["code"] in {
            "invalid",
            "rate-limited",
        }
    finally:
        await chair.close()


async def test_the_chair_runs_the_agenda_and_every_tablet_follows(
    running: Running, meeting: int, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    chair, clerk, member = (
        await connect(running.url, "chair"),
        await connect(running.url, "clerk"),
        await connect(running.url, "member3"),
    )
    try:
        for client in (chair, clerk, member):
            await client.join(meeting)
        for title in ("Báo cáo kinh tế - xã hội", "Tờ trình dự toán ngân sách"):
            assert (
                await clerk.cmd(
                    "agenda.item.add", {"title": title, "kind": "decision", "planned_minutes": 20}
                )
            )["ok"]
        bad = await clerk.cmd(
            "agenda.item.add", {"title": "X", "kind": "decision", "presenter_id": 999_999}
        )
        assert bad["error"]["code"] == "not-found"
        assert (await chair.cmd("agenda.next"))["error"]["code"] == "conflict"  # not live yet
        assert (await chair.cmd("meeting.start"))["ok"]
        assert (await chair.cmd("agenda.next"))["ok"]
        assert (await member.cmd("speakers.request"))["ok"]
        assert (await chair.cmd("speakers.grant"))["ok"]
        assert (await chair.cmd("agenda.next"))["ok"]  # ends the speech, marks item 1 done
        assert (await member.cmd("agenda.next"))["error"]["code"] == "not-allowed"
        assert (await chair.cmd("meeting.end"))["ok"]  # leaves item 2 and closes the record
        await member.wait_for(lambda: any(e["type"] == "meeting.ended" for e in member.events))
        state = (await member.join(meeting))["snapshot"]["state"]
        items = state["agenda"]["items"]
        assert [i["number"] for i in items] == ["1", "2"]
        assert [i["status"] for i in items] == ["done", "pending"]
        assert items[0]["speeches"][0]["user_id"] == ids["member3"]
        assert (
            state["agenda"]["current_item_id"] is None
            and items[1]["last_left_at"] == state["ended_at"]
        )
        assert (await clerk.cmd("agenda.item.add", {"title": "Muộn", "kind": "information"}))[
            "error"
        ]["code"] == "conflict"
    finally:
        for client in (chair, clerk, member):
            await client.close()
