"""Commands over the socket: acks, errors, idempotency, nothing written on refusal."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest

from harness.client import RoomClient, api, connect, login, new_meeting, user_ids
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio


async def _head(running: Running, meeting: int) -> int:
    token = await login(running.url, "chair")
    async with api(running.url, token) as http:
        body = (await http.get(f"/api/meetings/{meeting}")).json()
        audit = (await http.get(f"/api/meetings/{meeting}/audit")).json()
    assert audit["ok"], audit
    return int(body["meeting"]["last_seq"])


def _code(ack: dict[str, Any]) -> str:
    assert ack["ok"] is False, ack
    return str(ack["error"]["code"])


async def test_meeting_lifecycle_and_attendance_are_acked_with_their_seq(
    running: Running, meeting: int
) -> None:
    chair = await connect(running.url, "chair")
    clerk = await connect(running.url, "clerk")
    try:
        await chair.join(meeting)
        await clerk.join(meeting)
        ids = await user_ids(running.url, await login(running.url, "admin"))
        assert await chair.cmd("meeting.start") == {"ok": True, "seq": 1}
        assert await clerk.cmd("attendance.check_in", {"user_id": ids["member2"]}) == {
            "ok": True,
            "seq": 2,
        }
        assert await chair.cmd("attendance.check_in") == {"ok": True, "seq": 3}
        assert await chair.cmd("meeting.end") == {"ok": True, "seq": 4}
        await clerk.wait_for(lambda: len(clerk.events) == 4)
        assert [e["type"] for e in clerk.events] == [
            "meeting.started",
            "attendance.checked_in",
            "attendance.checked_in",
            "meeting.ended",
        ]
        assert clerk.events[1]["data"] == {"user_id": ids["member2"]}
        assert clerk.events[1]["actor_id"] == ids["clerk"]
        assert [e["seq"] for e in clerk.events] == [1, 2, 3, 4]
    finally:
        await chair.close()
        await clerk.close()
    assert await _head(running, meeting) == 4


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("not an object", "invalid"),
        (["meeting.start"], "invalid"),
        ({"type": "meeting.start", "data": {}}, "invalid"),
        ({"id": "", "type": "meeting.start"}, "invalid"),
        ({"id": "a b", "type": "meeting.start"}, "invalid"),
        ({"id": "x" * 65, "type": "meeting.start"}, "invalid"),
        ({"id": "c1", "type": "meeting.explode"}, "invalid"),
        ({"id": "c1", "type": 7}, "invalid"),
        ({"id": "c1", "type": "meeting.start", "data": []}, "invalid"),
        ({"id": "c1", "type": "meeting.start", "meeting_id": 1}, "invalid"),
        ({"id": "c1", "type": "attendance.check_in", "data": {"user_id": "one"}}, "invalid"),
        ({"id": "c1", "type": "meeting.start", "data": {"pad": "x" * 70_000}}, "too-large"),
    ],
)
async def test_malformed_commands_get_a_code_write_nothing_and_keep_the_connection(
    running: Running, meeting: int, payload: Any, code: str
) -> None:
    chair = await connect(running.url, "chair")
    try:
        await chair.join(meeting)
        assert _code(await chair.raw("cmd", payload)) == code
        assert chair.sio.connected
        assert await chair.cmd("meeting.start") == {"ok": True, "seq": 1}
    finally:
        await chair.close()


async def test_a_role_that_may_not_send_the_command_is_not_allowed(
    running: Running, meeting: int
) -> None:
    clients = {name: await connect(running.url, name) for name in ("member1", "clerk", "observer")}
    try:
        for client in clients.values():
            await client.join(meeting)
            ack = await client.cmd("meeting.start")
            assert _code(ack) == "not-allowed"
        assert (
            _code(await clients["member1"].cmd("attendance.check_in", {"user_id": 1}))
            == "not-allowed"
        )
    finally:
        for client in clients.values():
            await client.close()
    assert await _head(running, meeting) == 0


async def test_a_command_in_the_wrong_meeting_state_is_a_conflict(
    running: Running, meeting: int
) -> None:
    chair = await connect(running.url, "chair")
    try:
        await chair.join(meeting)
        assert _code(await chair.cmd("meeting.end")) == "conflict"
        assert (await chair.cmd("meeting.start"))["ok"]
        assert _code(await chair.cmd("meeting.start")) == "conflict"
    finally:
        await chair.close()
    assert await _head(running, meeting) == 1


async def test_a_meeting_the_user_is_not_in_is_not_found(
    running: Running, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    async with api(running.url, admin_token) as http:
        committee = (await http.get("/api/committees")).json()["committees"][0]["id"]
        created = await http.post(
            "/api/meetings",
            json={
                "committee_id": committee,
                "title": "Họp riêng của Thường trực",
                "scheduled_at": "2026-12-02T14:00:00+07:00",
                "roster": [{"user_id": ids["chair"], "role": "chair"}],
            },
        )
        private = created.json()["meeting"]["id"]
    member = await connect(running.url, "member1")
    chair = await connect(running.url, "chair")
    try:
        assert _code(await member.join(private)) == "not-found"
        assert _code(await member.join(999_999)) == "not-found"
        assert _code(await member.cmd("meeting.start")) == "not-joined"
        # A refused join leaves the socket outside the meeting's room.
        assert (await chair.join(private))["ok"] and (await chair.cmd("meeting.start"))["ok"]
        await chair.wait_for(lambda: len(chair.events) == 1)
        assert member.events == []
    finally:
        await member.close()
        await chair.close()
    token = await login(running.url, "member1")
    async with api(running.url, token) as http:
        assert (await http.get(f"/api/meetings/{private}")).status_code == 404
        assert private not in [
            m["id"] for m in (await http.get("/api/meetings")).json()["meetings"]
        ]


@pytest.mark.parametrize(
    "payload", [None, {}, {"meeting_id": "1"}, {"meeting_id": 0}, {"meeting_id": 1, "last_seq": -1}]
)
async def test_malformed_joins_are_invalid(running: Running, payload: Any) -> None:
    member = await connect(running.url, "member1")
    try:
        assert _code(await member.raw("join", payload)) == "invalid"
        assert member.sio.connected
    finally:
        await member.close()


async def test_a_repeated_command_id_returns_the_original_ack_and_appends_nothing(
    running: Running, meeting: int
) -> None:
    chair = await connect(running.url, "chair")
    member = await connect(running.url, "member2")
    try:
        await chair.join(meeting)
        await member.join(meeting)
        first = await chair.cmd("meeting.start", id="start-1")
        again = await chair.cmd("meeting.start", id="start-1")
        assert first == again == {"ok": True, "seq": 1}
        # The same id from another user is another command.
        assert (await member.cmd("attendance.check_in", id="start-1")) == {"ok": True, "seq": 2}
        await member.wait_for(lambda: len(member.events) == 2)
    finally:
        await chair.close()
        await member.close()
    assert await _head(running, meeting) == 2


async def test_members_receive_events_only_of_the_meeting_they_joined(
    running: Running, admin_token: str
) -> None:
    first, second = (
        await new_meeting(running.url, admin_token),
        await new_meeting(running.url, admin_token),
    )
    chair = await connect(running.url, "chair")
    watcher = await connect(running.url, "member3")
    try:
        await watcher.join(first)
        await chair.join(second)
        assert (await chair.cmd("meeting.start"))["ok"]
        await chair.join(first)
        assert (await chair.cmd("meeting.start"))["ok"]
        await watcher.wait_for(lambda: len(watcher.events) == 1)
        assert watcher.events[0]["meeting_id"] == first
    finally:
        await chair.close()
        await watcher.close()


async def test_presence_lists_who_is_connected_with_their_devices(
    running: Running, meeting: int
) -> None:
    chair = await connect(running.url, "chair", device="tablet")
    member = await RoomClient().connect(
        running.url, await login(running.url, "member4"), device="phone"
    )
    try:
        await chair.join(meeting)
        await member.join(meeting)

        def people() -> list[tuple[str, list[str]]]:
            last = chair.presence[-1]["people"] if chair.presence else []
            return [(p["display_name"], p["devices"]) for p in last]

        await chair.wait_for(lambda: len(people()) == 2)
        assert people() == [("Nguyễn Văn Hùng", ["tablet"]), ("Đặng Thị Hương Giang", ["phone"])]
        await member.close()
        await chair.wait_for(lambda: len(people()) == 1)
    finally:
        await chair.close()
        await member.close()


async def test_presence_changes_leave_together_a_quarter_of_a_second_at_a_time(
    running: Running, meeting: int
) -> None:
    """Six tablets join at once, then leave one by one: the watcher ends with the right
    list, and presence messages are at least a quarter of a second apart (their sending
    is; the network may shrink a gap a little, never by 0.1 s here)."""
    chair = await connect(running.url, "chair")
    names = ["member1", "member2", "member3", "member4", "clerk", "observer"]
    others = [await connect(running.url, name) for name in names]
    try:
        await chair.join(meeting)
        await asyncio.gather(*(client.join(meeting) for client in others))
        await chair.wait_for(lambda: len(chair.presence[-1]["people"]) == 1 + len(names))
        for client in others[:3]:
            await client.close()
            await asyncio.sleep(0.05)
        await chair.wait_for(lambda: len(chair.presence[-1]["people"]) == 1 + len(names) - 3)
    finally:
        await chair.close()
        for client in others:
            await client.close()
    times = [at for at, _changes in chair.presence_arrivals]
    assert sum(changes for _at, changes in chair.presence_arrivals) >= len(names) + 3
    assert len(times) < len(names) + 3  # some changes left together
    assert all(later - earlier >= 0.15 for earlier, later in itertools.pairwise(times)), times


async def test_event_history_pages_through_the_log(running: Running, meeting: int) -> None:
    chair = await connect(running.url, "chair")
    try:
        await chair.join(meeting)
        assert (await chair.cmd("meeting.start"))["ok"]
        assert (await chair.cmd("attendance.check_in"))["ok"]
        assert (await chair.cmd("attendance.check_out"))["ok"]
    finally:
        await chair.close()
    token = await login(running.url, "observer")
    async with api(running.url, token) as http:
        first = (await http.get(f"/api/meetings/{meeting}/events", params={"limit": 2})).json()[
            "events"
        ]
        rest = (await http.get(f"/api/meetings/{meeting}/events", params={"after": 2})).json()[
            "events"
        ]
        bad = await http.get(f"/api/meetings/{meeting}/events", params={"limit": 5000})
    assert [e["seq"] for e in first] == [1, 2] and [e["seq"] for e in rest] == [3]
    assert first[0]["type"] == "meeting.started"
    assert bad.status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"after": str(2**31)},  # past the 32-bit seq column of PostgreSQL
        {"after": "23348119780195"},
        {"after": "9" * 5000},  # more digits than int() converts
        {"limit": "9" * 5000},
    ],
)
async def test_event_history_refuses_numbers_out_of_range_with_400(
    running: Running, meeting: int, params: dict[str, str]
) -> None:
    token = await login(running.url, "observer")
    async with api(running.url, token) as http:
        answer = await http.get(f"/api/meetings/{meeting}/events", params=params)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["code"] == "invalid"
