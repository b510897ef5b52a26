"""Access to a meeting is decided before a socket enters any of its rooms.

Outsiders send ``join`` in a loop from many sockets while the chair writes minutes notes and
adds agenda items and a member comes and goes: a signed-in person on no roster, and one on
another meeting's roster who goes back and forth (``join`` there, ``leave``, ``join`` here).
They receive no event, no presence message and nothing else of the meeting, and its
presence never names them. On SQLite and PostgreSQL (``running``), and on two workers
sharing PostgreSQL and Redis, with the outsiders on both.

A refused join leaves the socket in the meeting it had joined before.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from typing import Any

import pytest

from harness.client import RoomClient, api, connect, login, new_meeting, user_ids
from harness.server import DEMO_PASSWORD
from tests.integration.conftest import Cluster, Running

pytestmark = pytest.mark.asyncio

OUTSIDER_SOCKETS = 10  # per kind of outsider
CHAIR_WRITES = 30  # notes and agenda items written while the outsiders race
COMING_AND_GOING_SECS = 0.05  # a member's join/leave cadence, for presence changes


async def new_user(url: str, admin_token: str, display_name: str) -> tuple[int, str]:
    """A new person on no roster yet: their id and a session token."""
    username = f"outsider-{secrets.token_hex(4)}"
    async with api(url, admin_token) as http:
        response = await http.post(
            "/api/users",
            json={"username": username, "display_name": display_name, "password": DEMO_PASSWORD},
        )
        assert response.status_code == 201, response.text
        user_id = int(response.json()["user"]["id"])
    return user_id, await login(url, username)


async def meeting_with(url: str, admin_token: str, roster: dict[int, str]) -> int:
    async with api(url, admin_token) as http:
        committee = (await http.get("/api/committees")).json()["committees"][0]["id"]
        response = await http.post(
            "/api/meetings",
            json={
                "committee_id": committee,
                "title": "Phiên họp khác",
                "scheduled_at": "2026-12-02T08:00:00+07:00",
                "roster": [{"user_id": uid, "role": role} for uid, role in roster.items()],
            },
        )
        assert response.status_code == 201, response.text
        return int(response.json()["meeting"]["id"])


class Outsider(RoomClient):
    """A tablet that records, besides events and presence, every other message it gets."""

    def __init__(self) -> None:
        super().__init__()
        self.anything: list[tuple[str, Any]] = []
        self.sio.on("*", self._on_anything)

    async def _on_anything(self, event: str, *data: Any) -> None:
        self.anything.append((event, data))

    def of(self, meeting: int) -> list[Any]:
        """Everything this tablet received that belongs to ``meeting``."""
        return (
            [e for e in self.events if e.get("meeting_id") == meeting]
            + [p for p in self.presence if p["meeting_id"] == meeting]
            + [m for m in self.anything if any(_names(d, meeting) for d in m[1])]
        )


def _names(data: Any, meeting: int) -> bool:
    return isinstance(data, dict) and data.get("meeting_id") == meeting


@dataclass
class Race:
    refusals: list[dict[str, Any]] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)


async def outsiders_race_the_chair(urls: list[str], admin_token: str) -> None:
    """Chair on the first server; outsiders and the room's members spread over all."""
    url = urls[0]
    ids = await user_ids(url, admin_token)
    stranger_id, stranger = await new_user(url, admin_token, "Người ngoài")
    neighbour_id, neighbour = await new_user(url, admin_token, "Người họp bên cạnh")
    meeting = await new_meeting(url, admin_token)
    other = await meeting_with(url, admin_token, {ids["chair"]: "chair", neighbour_id: "member"})

    chair = await connect(url, "chair")
    member = await connect(urls[-1], "member1")
    comer = await connect(urls[-1], "member2")
    outsiders: list[Outsider] = []
    for i in range(OUTSIDER_SOCKETS):
        for token in (stranger, neighbour):
            outsiders.append(await Outsider().connect(urls[i % len(urls)], token))
    race = Race()

    async def stranger_joins(client: Outsider) -> None:
        while not race.stop.is_set():
            for target in (meeting, other):
                race.refusals.append(await client.join(target))

    async def neighbour_goes_back_and_forth(client: Outsider) -> None:
        while not race.stop.is_set():
            assert (await client.join(other))["ok"]
            assert await client.raw("leave", {}) == {"ok": True}
            race.refusals.append(await client.join(meeting))

    async def comes_and_goes() -> None:
        while not race.stop.is_set():
            assert (await comer.join(meeting))["ok"]
            await asyncio.sleep(COMING_AND_GOING_SECS)
            assert await comer.raw("leave", {}) == {"ok": True}

    try:
        assert (await chair.join(meeting))["ok"]
        assert (await member.join(meeting))["ok"]
        loops = [
            asyncio.create_task(
                stranger_joins(client) if i % 2 == 0 else neighbour_goes_back_and_forth(client)
            )
            for i, client in enumerate(outsiders)
        ]
        loops.append(asyncio.create_task(comes_and_goes()))
        last = 0
        for i in range(CHAIR_WRITES):
            command = (
                ("minutes.note.set", {"text": f"Ghi chú số {i}"})
                if i % 2 == 0
                else ("agenda.item.add", {"title": f"Nội dung {i}", "kind": "discussion"})
            )
            ack = await chair.cmd(*command)
            assert ack["ok"], ack
            last = ack["seq"]
        # The race goes on until the member has the last write and has seen the comer in
        # the presence list: presence did change while the outsiders raced (across two
        # workers it travels through Redis, and may arrive after the writes are done).
        await member.wait_for(
            lambda: (
                any(e["seq"] == last for e in member.events)
                and ids["member2"] in {p["user_id"] for s in member.presence for p in s["people"]}
            )
        )
        race.stop.set()
        await asyncio.gather(*loops)
    finally:
        race.stop.set()
        for client in (chair, member, comer, *outsiders):
            await client.close()

    assert len(race.refusals) >= 2 * OUTSIDER_SOCKETS  # every loop went round
    assert {a["error"]["code"] for a in race.refusals} == {"not-found"}
    assert len([e for e in member.events if e["meeting_id"] == meeting]) == CHAIR_WRITES
    leaked = {i: client.of(meeting) for i, client in enumerate(outsiders)}
    assert {i: got for i, got in leaked.items() if got} == {}
    named = {p["user_id"] for seen in member.presence for p in seen["people"]}
    assert named & {stranger_id, neighbour_id} == set()


async def test_outsiders_racing_join_receive_nothing_of_the_meeting(
    running: Running, admin_token: str
) -> None:
    await outsiders_race_the_chair([running.url], admin_token)


async def test_a_refused_join_leaves_the_socket_in_its_previous_meeting(
    running: Running, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    neighbour_id, token = await new_user(running.url, admin_token, "Người họp bên cạnh")
    meeting = await new_meeting(running.url, admin_token)
    other = await meeting_with(
        running.url, admin_token, {ids["chair"]: "chair", neighbour_id: "member"}
    )
    chair = await connect(running.url, "chair")
    neighbour = await Outsider().connect(running.url, token)
    try:
        assert (await neighbour.join(other))["ok"]
        refused = await neighbour.join(meeting)
        assert refused["error"]["code"] == "not-found"
        # Still in `other`: its events arrive and its commands go there.
        assert (await chair.join(other))["ok"]
        started = await chair.cmd("meeting.start")
        checked_in = await neighbour.cmd("attendance.check_in")
        assert checked_in == {"ok": True, "seq": started["seq"] + 1}
        await neighbour.wait_for(lambda: len(neighbour.events) == 2)
        assert [(e["meeting_id"], e["type"]) for e in neighbour.events] == [
            (other, "meeting.started"),
            (other, "attendance.checked_in"),
        ]
        # And nothing of the meeting it was refused.
        assert (await chair.join(meeting))["ok"]
        note = await chair.cmd("minutes.note.set", {"text": "Chỉ người trong phiên họp thấy"})
        assert note["ok"]
        await chair.wait_for(lambda: any(e["meeting_id"] == meeting for e in chair.events))
        assert neighbour.of(meeting) == []
    finally:
        await chair.close()
        await neighbour.close()


# --- two workers, PostgreSQL and Redis ---------------------------------------------------


async def test_outsiders_racing_join_on_two_workers_receive_nothing_of_the_meeting(
    cluster: Cluster,
) -> None:
    await outsiders_race_the_chair(cluster.urls, await login(cluster.a.url, "admin"))
