"""The administrator's back office for meetings, against a real server: the list with its
filters, drafts and publishing, reschedule, cancel, the roster (exactly one chair) and its
``roster.changed`` event, and copying an earlier meeting. Every refusal is followed by a
look at what is stored: nothing of the refused request may be in it."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from harness.client import api, connect, login, new_meeting, user_ids
from tests import pdfs
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio


def _day() -> str:
    """A date no other test is likely to use (so that overlap and filters see only this
    test's): one of 7 300 days from 2031 on."""
    return (date(2031, 1, 1) + timedelta(days=secrets.randbelow(7300))).isoformat()


async def _committee(http: httpx.AsyncClient) -> int:
    return int((await http.get("/api/committees")).json()["committees"][0]["id"])


async def _create(
    http: httpx.AsyncClient, ids: dict[str, int], *, at: str, published: bool, **extra: Any
) -> dict[str, Any]:
    body = {
        "committee_id": await _committee(http),
        "title": f"Họp chuẩn bị {secrets.token_hex(3)}",
        "location": "Phòng họp tầng 3",
        "scheduled_at": at,
        "roster": [
            {"user_id": ids["chair"], "role": "chair"},
            {"user_id": ids["clerk"], "role": "clerk"},
            {"user_id": ids["member1"], "role": "member"},
            {"user_id": ids["observer"], "role": "observer"},
        ],
        "published": published,
        **extra,
    }
    answer = await http.post("/api/meetings", json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json()["meeting"])


async def _plan(http: httpx.AsyncClient, meeting_id: int) -> dict[str, Any]:
    answer = await http.get(f"/api/meetings/{meeting_id}/plan")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _error(answer: httpx.Response) -> str:
    return str(answer.json()["error"]["code"])


async def test_the_admin_lists_every_meeting_with_filters(
    running: Running, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    day = _day()
    async with api(running.url, admin_token) as http:
        made = await _create(http, ids, at=f"{day}T08:00:00+07:00", published=False)
        every = (await http.get("/api/meetings")).json()["meetings"]
        assert made["id"] in {m["id"] for m in every}  # not on its roster, still listed
        on_day = (await http.get("/api/meetings", params={"from": day, "to": day})).json()
        assert [m["id"] for m in on_day["meetings"]] == [made["id"]]
        ended = (await http.get("/api/meetings", params={"status": "ended", "from": day})).json()
        assert ended["meetings"] == []
        for bad in ({"status": "over"}, {"from": "4 Dec"}, {"committee_id": "x"}, {"q": "1"}):
            answer = await http.get("/api/meetings", params=bad)
            assert answer.status_code == 400 and _error(answer) == "invalid", bad


async def test_a_draft_is_hidden_from_members_until_published(
    running: Running, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    async with api(running.url, admin_token) as http:
        made = await _create(http, ids, at=f"{_day()}T09:00:00+07:00", published=False)
    assert made["published"] is False
    member = await login(running.url, "member1")
    clerk = await login(running.url, "clerk")
    async with api(running.url, member) as http:
        assert made["id"] not in {
            m["id"] for m in (await http.get("/api/meetings")).json()["meetings"]
        }
        for path in ("", "/documents", "/events"):
            answer = await http.get(f"/api/meetings/{made['id']}{path}")
            assert answer.status_code == 404 and _error(answer) == "not-found", path
    async with api(running.url, clerk) as http:  # the clerk prepares it
        assert (await http.get(f"/api/meetings/{made['id']}")).status_code == 200
    tablet = await connect(running.url, "member1")
    try:
        refused = await tablet.join(made["id"])
        assert refused["ok"] is False and refused["error"]["code"] == "not-found"
    finally:
        await tablet.close()
    async with api(running.url, admin_token) as http:
        published = await http.post(f"/api/meetings/{made['id']}/publish", json={})
        assert published.status_code == 200 and published.json()["meeting"]["published"] is True
    async with api(running.url, member) as http:
        assert made["id"] in {m["id"] for m in (await http.get("/api/meetings")).json()["meetings"]}
    tablet = await connect(running.url, "member1")
    try:
        assert (await tablet.join(made["id"]))["ok"] is True
    finally:
        await tablet.close()


@pytest.mark.parametrize(
    ("roster", "code"),
    [
        ([("member1", "member"), ("member2", "member")], "invalid"),  # no chair
        ([("chair", "chair"), ("member1", "chair")], "invalid"),  # two chairs
        ([("chair", "chair"), ("chair", "member")], "invalid"),  # a person twice
        ([("chair", "chair"), ("nobody", "member")], "not-found"),  # an unknown user
        ([("chair", "chair"), ("member1", "president")], "invalid"),  # an unknown role
    ],
)
async def test_a_bad_roster_is_refused_and_nothing_is_saved(
    running: Running, admin_token: str, roster: list[tuple[str, str]], code: str
) -> None:
    ids = {**await user_ids(running.url, admin_token), "nobody": 2_000_000}
    entries = [{"user_id": ids[name], "role": role} for name, role in roster]
    day = _day()
    async with api(running.url, admin_token) as http:
        before = (await http.get("/api/meetings")).json()["meetings"]
        answer = await http.post(
            "/api/meetings",
            json={
                "committee_id": await _committee(http),
                "title": "Không lưu",
                "scheduled_at": f"{day}T10:00:00+07:00",
                "roster": entries,
            },
        )
        assert answer.status_code in (400, 404) and _error(answer) == code, answer.text
        assert (await http.get("/api/meetings")).json()["meetings"] == before
        made = await _create(http, ids, at=f"{day}T11:00:00+07:00", published=True)
        roster_before = (await _plan(http, made["id"]))["roster"]
        answer = await http.put(f"/api/meetings/{made['id']}/roster", json={"roster": entries})
        assert _error(answer) == code, answer.text
        plan = await _plan(http, made["id"])
        assert plan["roster"] == roster_before and plan["meeting"]["last_seq"] == 0


async def test_overlapping_meetings_are_refused_unless_allowed(
    running: Running, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    at = f"{_day()}T14:00:00+07:00"
    async with api(running.url, admin_token) as http:
        first = await _create(http, ids, at=at, published=True)
        before = len((await http.get("/api/meetings")).json()["meetings"])
        answer = await http.post(
            "/api/meetings",
            json={
                "committee_id": first["committee_id"],
                "title": "Trùng giờ",
                "scheduled_at": at,
                "roster": [{"user_id": ids["chair"], "role": "chair"}],
                "published": False,  # a draft, as the back office makes: checked
            },
        )
        assert answer.status_code == 409 and _error(answer) == "conflict"
        assert str(first["id"]) in answer.json()["error"]["message"]
        asked = await http.post(
            "/api/meetings",
            json={
                "committee_id": first["committee_id"],
                "title": "Trùng giờ",
                "scheduled_at": at,
                "roster": [{"user_id": ids["chair"], "role": "chair"}],
                "allow_overlap": False,
            },
        )
        assert asked.status_code == 409 and _error(asked) == "conflict"
        assert len((await http.get("/api/meetings")).json()["meetings"]) == before
        second = await _create(http, ids, at=f"{at[:10]}T16:00:00+07:00", published=True)
        moved = await http.patch(f"/api/meetings/{second['id']}", json={"scheduled_at": at})
        assert moved.status_code == 409 and _error(moved) == "conflict"
        assert (await _plan(http, second["id"]))["meeting"]["scheduled_at"].endswith(
            "16:00:00+07:00"
        )
        allowed = await http.patch(
            f"/api/meetings/{second['id']}", json={"scheduled_at": at, "allow_overlap": True}
        )
        assert allowed.status_code == 200 and allowed.json()["meeting"]["scheduled_at"] == at


async def test_reschedule_and_cancel_reach_the_tablets(running: Running, admin_token: str) -> None:
    ids = await user_ids(running.url, admin_token)
    async with api(running.url, admin_token) as http:
        made = await _create(http, ids, at=f"{_day()}T08:30:00+07:00", published=True)
    tablet = await connect(running.url, "member1")
    chair = await connect(running.url, "chair")
    try:
        assert (await tablet.join(made["id"]))["ok"] and (await chair.join(made["id"]))["ok"]
        async with api(running.url, admin_token) as http:
            bad = await http.patch(f"/api/meetings/{made['id']}", json={"scheduled_at": "mai"})
            assert bad.status_code == 400 and _error(bad) == "invalid"
            later = made["scheduled_at"][:10] + "T15:00:00+07:00"
            moved = await http.patch(f"/api/meetings/{made['id']}", json={"scheduled_at": later})
            assert moved.status_code == 200, moved.text
            empty = await http.post(f"/api/meetings/{made['id']}/cancel", json={"reason": " "})
            assert empty.status_code == 400 and _error(empty) == "invalid"
            cancelled = await http.post(
                f"/api/meetings/{made['id']}/cancel", json={"reason": "Lãnh đạo đi công tác"}
            )
            assert cancelled.status_code == 200, cancelled.text
            meeting = cancelled.json()["meeting"]
            assert meeting["status"] == "cancelled"
            assert meeting["cancel_reason"] == "Lãnh đạo đi công tác"
        await tablet.wait_for(lambda: any(e["type"] == "meeting.cancelled" for e in tablet.events))
        types = [e["type"] for e in tablet.events]
        assert types == ["meeting.rescheduled", "meeting.cancelled"]
        assert tablet.events[0]["data"]["scheduled_at"] == later
        refused = await chair.cmd("meeting.start")
        assert refused["ok"] is False and refused["error"]["code"] == "conflict"
        async with api(running.url, admin_token) as http:
            again = await http.patch(f"/api/meetings/{made['id']}", json={"title": "Họp lại"})
            assert again.status_code == 409 and _error(again) == "conflict"
    finally:
        await tablet.close()
        await chair.close()


async def test_a_live_or_ended_meeting_cannot_be_cancelled_or_rescheduled(
    running: Running, admin_token: str, meeting: int
) -> None:
    chair = await connect(running.url, "chair")
    try:
        assert (await chair.join(meeting))["ok"]
        assert (await chair.cmd("meeting.start"))["ok"]
        async with api(running.url, admin_token) as http:
            cancel = await http.post(f"/api/meetings/{meeting}/cancel", json={"reason": "Muộn"})
            assert cancel.status_code == 409 and _error(cancel) == "conflict"
            assert (await _plan(http, meeting))["meeting"]["status"] == "live"
            assert (await chair.cmd("meeting.end"))["ok"]
            moved = await http.patch(
                f"/api/meetings/{meeting}", json={"scheduled_at": "2031-01-01T08:00:00+07:00"}
            )
            assert moved.status_code == 409 and _error(moved) == "conflict"
            assert (await _plan(http, meeting))["meeting"][
                "scheduled_at"
            ] != "2031-01-01T08:00:00+07:00"
    finally:
        await chair.close()


async def test_a_roster_change_is_an_event_and_a_removed_person_leaves_at_once(
    running: Running, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    async with api(running.url, admin_token) as http:
        made = await _create(http, ids, at=f"{_day()}T07:30:00+07:00", published=True)
    leaving = await connect(running.url, "member1")
    staying = await connect(running.url, "clerk")
    try:
        assert (await leaving.join(made["id"]))["ok"] and (await staying.join(made["id"]))["ok"]
        # The member's command runs first, so that this process caches the roster.
        assert (await leaving.cmd("attendance.check_in"))["ok"]
        roster = [
            {"user_id": ids["chair"], "role": "chair"},
            {"user_id": ids["clerk"], "role": "clerk"},
            {"user_id": ids["member2"], "role": "member"},
        ]
        async with api(running.url, admin_token) as http:
            answer = await http.put(f"/api/meetings/{made['id']}/roster", json={"roster": roster})
            assert answer.status_code == 200, answer.text
        await staying.wait_for(lambda: any(e["type"] == "roster.changed" for e in staying.events))
        event = next(e for e in staying.events if e["type"] == "roster.changed")
        assert {(r["user_id"], r["role"]) for r in event["data"]["roster"]} == {
            (r["user_id"], r["role"]) for r in roster
        }
        assert event["data"]["removed"] == sorted([ids["member1"], ids["observer"]])
        refused = await leaving.cmd("attendance.check_out")
        assert refused["ok"] is False and refused["error"]["code"] in ("not-found", "not-joined")
        again = await leaving.join(made["id"])
        assert again["ok"] is False and again["error"]["code"] == "not-found"
        newcomer = await connect(running.url, "member2")
        try:
            assert (await newcomer.join(made["id"]))["ok"]
            assert (await newcomer.cmd("attendance.check_in"))["ok"]
        finally:
            await newcomer.close()
    finally:
        await leaving.close()
        await staying.close()


async def test_copy_takes_the_agenda_and_roster_of_an_earlier_meeting(
    running: Running, admin_token: str, meeting: int
) -> None:
    clerk = await connect(running.url, "clerk")
    try:
        assert (await clerk.join(meeting))["ok"]
        first = await clerk.cmd(
            "agenda.item.add",
            {"title": "Báo cáo kinh tế - xã hội", "kind": "discussion", "planned_minutes": 30},
        )
        assert first["ok"], first
        sub = await clerk.cmd(
            "agenda.item.add",
            {"title": "Thu ngân sách", "kind": "information", "parent_id": 1},
        )
        assert sub["ok"], sub
    finally:
        await clerk.close()
    async with api(running.url, admin_token) as http:
        committee = await _committee(http)
        answer = await http.post(
            "/api/meetings",
            json={
                "committee_id": committee,
                "title": "Họp tháng sau",
                "scheduled_at": f"{_day()}T08:00:00+07:00",
                "copy_from": meeting,
                "published": False,
            },
        )
        assert answer.status_code == 201, answer.text
        copy = await _plan(http, answer.json()["meeting"]["id"])
        source = await _plan(http, meeting)
        assert sorted((r["user_id"], r["role"]) for r in copy["roster"]) == sorted(
            (r["user_id"], r["role"]) for r in source["roster"]
        )
        titles = [(i["number"], i["title"]) for i in copy["agenda"]["items"]]
        assert titles == [("1", "Báo cáo kinh tế - xã hội"), ("1.1", "Thu ngân sách")]
        before = len((await http.get("/api/meetings")).json()["meetings"])
        for unknown in (2_000_000, 2**40):
            refused = await http.post(
                "/api/meetings",
                json={
                    "committee_id": committee,
                    "title": "Không có nguồn",
                    "scheduled_at": f"{_day()}T08:00:00+07:00",
                    "copy_from": unknown,
                },
            )
            assert refused.status_code == 404 and _error(refused) == "not-found"
        assert len((await http.get("/api/meetings")).json()["meetings"]) == before


async def test_only_planners_plan(running: Running, admin_token: str, meeting: int) -> None:
    chair = await login(running.url, "chair")
    async with api(running.url, chair) as http:
        for method, path, body in (
            ("PATCH", f"/api/meetings/{meeting}", {"title": "x"}),
            ("POST", f"/api/meetings/{meeting}/cancel", {"reason": "x"}),
            ("POST", f"/api/meetings/{meeting}/publish", {}),
        ):
            answer = await http.request(method, path, json=body)
            assert answer.status_code == 403 and _error(answer) == "not-allowed"
    await new_meeting(running.url, admin_token)  # the server still works for the admin


async def test_the_admin_adds_agenda_items_before_the_meeting(
    running: Running, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    async with api(running.url, admin_token) as http:
        made = await _create(http, ids, at=f"{_day()}T13:00:00+07:00", published=False)
        items = f"/api/meetings/{made['id']}/agenda-items"
        first = await http.post(items, json={"title": "Tờ trình ngân sách", "kind": "decision"})
        assert first.status_code == 201, first.text
        sub = await http.post(
            items,
            json={"title": "Ý kiến thẩm tra", "kind": "discussion", "parent_id": 1,
                  "planned_minutes": 15},
        )  # fmt: skip
        assert sub.status_code == 201 and sub.json()["item_id"] == 2
        for bad in (
            {"title": "Sai loại", "kind": "vote"},
            {"title": "", "kind": "decision"},
            {"title": "Người trình bày", "kind": "decision", "presenter_id": ids["chair"]},
        ):
            refused = await http.post(items, json=bad)
            assert refused.status_code == 400 and _error(refused) == "invalid", bad
        unknown_parent = await http.post(
            items, json={"title": "Mồ côi", "kind": "decision", "parent_id": 99}
        )
        assert unknown_parent.status_code == 404 and _error(unknown_parent) == "not-found"
        plan = await _plan(http, made["id"])
        assert [(i["number"], i["title"]) for i in plan["agenda"]["items"]] == [
            ("1", "Tờ trình ngân sách"),
            ("1.1", "Ý kiến thẩm tra"),
        ]
        assert plan["meeting"]["last_seq"] == 2  # the refusals wrote nothing
        await http.post(f"/api/meetings/{made['id']}/cancel", json={"reason": "Hoãn"})
        late = await http.post(items, json={"title": "Muộn", "kind": "decision"})
        assert late.status_code == 409 and _error(late) == "conflict"


async def _upload(http: httpx.AsyncClient, meeting_id: int, item_id: int | None) -> httpx.Response:
    return await http.post(
        f"/api/meetings/{meeting_id}/documents",
        params={"title": "Tờ trình số 12", **({"item_id": item_id} if item_id else {})},
        content=pdfs.pages(2),
        headers={"Content-Type": "application/pdf", "X-File-Name": "to-trinh.pdf"},
    )


async def test_planners_upload_an_items_documents_before_the_meeting(
    running: Running, admin_token: str
) -> None:
    """The administrator (not on the roster) uploads to an agenda item of a draft, acting
    as its clerk: a ``document.added`` event naming the administrator. A member may not, and
    once the meeting has started only its chair and clerk upload."""
    ids = await user_ids(running.url, admin_token)
    async with api(running.url, admin_token) as http:
        made = await _create(http, ids, at=f"{_day()}T15:00:00+07:00", published=False)
        added = await http.post(
            f"/api/meetings/{made['id']}/agenda-items",
            json={"title": "Tờ trình kế hoạch đầu tư công", "kind": "decision"},
        )
        item = added.json()["item_id"]
        uploaded = await _upload(http, made["id"], item)
        assert uploaded.status_code == 201, uploaded.text
        document = uploaded.json()["document"]
        assert (document["title"], document["item_id"], document["pages"]) == (
            "Tờ trình số 12",
            item,
            2,
        )
        plan = await _plan(http, made["id"])
        assert [d["id"] for d in plan["documents"]] == [document["id"]]
        events = (await http.get(f"/api/meetings/{made['id']}/audit")).json()
        assert events["ok"] is True
        unknown_item = await _upload(http, made["id"], 99)
        assert unknown_item.status_code == 404 and _error(unknown_item) == "not-found"
        await http.post(f"/api/meetings/{made['id']}/publish", json={})
    member = await login(running.url, "member1")
    async with api(running.url, member) as http:
        refused = await _upload(http, made["id"], item)
        assert refused.status_code == 403 and _error(refused) == "not-allowed"
        seen = (await http.get(f"/api/meetings/{made['id']}/documents")).json()
        assert [d["id"] for d in seen["documents"]] == [document["id"]]  # the pre-read
    chair = await connect(running.url, "chair")
    try:
        assert (await chair.join(made["id"]))["ok"]
        assert (await chair.cmd("meeting.start"))["ok"]
    finally:
        await chair.close()
    async with api(running.url, admin_token) as http:
        late = await _upload(http, made["id"], item)
        assert late.status_code == 409 and _error(late) == "conflict"
        plan = await _plan(http, made["id"])
        assert len(plan["documents"]) == 1  # nothing of the refusals stored


async def test_a_committees_clerk_prepares_its_meetings_and_no_others(
    running: Running, admin_token: str
) -> None:
    """The demo clerk is a clerk of the demo committee: they prepare its meetings (also
    those they are not on), see whom to put on a roster, and nothing of another committee."""
    ids = await user_ids(running.url, admin_token)
    async with api(running.url, admin_token) as http:
        other = await http.post(
            "/api/committees",
            json={
                "name": f"Hội đồng nhân dân xã {secrets.token_hex(2)}",
                "kind": "peoples_council",
            },
        )
        assert other.status_code == 201, other.text
        other_id = other.json()["committee"]["id"]
        by_admin = await _create(
            http, ids, at=f"{_day()}T09:00:00+07:00", published=False, allow_overlap=True
        )
    clerk = await login(running.url, "clerk")
    async with api(running.url, clerk) as http:
        planned = (await http.get("/api/meetings", params={"scope": "planning"})).json()
        assert by_admin["id"] in {m["id"] for m in planned["meetings"]}
        people = (await http.get("/api/people")).json()["people"]
        chair = next(p for p in people if p["username"] == "chair")
        assert chair["title"] == "Chủ tịch UBND tỉnh" and set(chair) == {
            "id", "username", "display_name", "title", "unit", "is_active",
        }  # fmt: skip
        body = {
            "committee_id": by_admin["committee_id"],
            "title": "Họp giao ban do thư ký chuẩn bị",
            "scheduled_at": f"{_day()}T16:00:00+07:00",
            "roster": [
                {"user_id": ids["chair"], "role": "chair"},
                {"user_id": ids["member2"], "role": "member"},
            ],
            "published": False,
            "allow_overlap": True,  # other tests' meetings of the demo committee
        }
        made = await http.post("/api/meetings", json=body)
        assert made.status_code == 201, made.text
        meeting = made.json()["meeting"]["id"]
        item = await http.post(
            f"/api/meetings/{meeting}/agenda-items",
            json={"title": "Giao ban", "kind": "discussion"},
        )
        assert item.status_code == 201, item.text
        published = await http.post(f"/api/meetings/{meeting}/publish", json={})
        assert published.status_code == 200 and published.json()["meeting"]["published"] is True
        elsewhere = await http.post("/api/meetings", json={**body, "committee_id": other_id})
        assert elsewhere.status_code == 403 and _error(elsewhere) == "not-allowed"
        copied = await http.post(
            "/api/meetings",
            json={**body, "copy_from": 10**9, "scheduled_at": by_admin["scheduled_at"]},
        )
        assert copied.status_code == 404 and _error(copied) == "not-found"
    member = await login(running.url, "member1")
    async with api(running.url, member) as http:
        none = (await http.get("/api/meetings", params={"scope": "planning"})).json()
        assert none["meetings"] == []
        refused = await http.get("/api/people")
        assert refused.status_code == 403 and _error(refused) == "not-allowed"
        plan = await http.get(f"/api/meetings/{meeting}/plan")
        assert plan.status_code == 403 and _error(plan) == "not-allowed"
    async with api(running.url, admin_token) as http:
        every = (await http.get("/api/meetings", params={"committee_id": other_id})).json()
        assert every["meetings"] == []  # the refused meeting left nothing
