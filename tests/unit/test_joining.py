"""The order of a join, on a real python-socketio room manager: access, rooms, read, answer.

A socket enters no room of a meeting it may not join; it is in the rooms while the log is
read; a failed read takes it out again and leaves it in its previous meeting; the joins,
leaves and disconnect of one socket run one at a time.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import socketio

from realtime.contracts import Identity
from realtime.errors import HubError
from realtime.joining import Joining, parse_join
from realtime.presence import LocalPresence
from realtime.rooms import meeting_room, user_room

ALLOWED = {1, 2}  # the meetings this person is on the roster of
PERSON = Identity(user_id=7, display_name="Lê Quang Đức", session_key="k")


class Changes:
    """Presence changes, noted instead of sent."""

    def __init__(self, presence: LocalPresence) -> None:
        self.presence = presence
        self.announced: list[int] = []

    async def announce(self, meeting_id: int, identity: Identity) -> list[dict[str, Any]]:
        self.announced.append(meeting_id)
        return await self.presence.entries(meeting_id)


class Room:
    """A socket connected to a real manager, and a Joining whose access and read it watches."""

    def __init__(self, read_fails: BaseException | None = None) -> None:
        self.sio = socketio.AsyncServer(async_mode="asgi")
        self.sio.manager.initialize()
        self.presence = LocalPresence()
        self.changes = Changes(self.presence)
        self.steps: list[tuple[str, int, bool]] = []  # (step, meeting, in its room then)
        self.read_fails = read_fails
        self.read_started = asyncio.Event()
        self.read_may_end = asyncio.Event()
        self.read_may_end.set()
        self.joining = Joining(
            self.sio,
            admit=self._admit,
            read=self._read,
            presence=self.presence,
            changes=self.changes,  # type: ignore[arg-type]
        )

    async def connect(self) -> str:
        sid: str = await self.sio.manager.connect("eio-1", "/")
        self.sid = sid
        return sid

    def rooms(self) -> set[str]:
        return set(self.sio.manager.get_rooms(self.sid, "/")) - {self.sid}

    def in_meeting(self, meeting_id: int) -> bool:
        return meeting_room(meeting_id) in self.rooms()

    async def _admit(self, identity: Identity, meeting_id: int) -> None:
        self.steps.append(("admit", meeting_id, self.in_meeting(meeting_id)))
        if meeting_id not in ALLOWED:
            raise HubError("no such meeting", code="not-found")

    async def _read(self, identity: Identity, meeting_id: int, last_seq: int | None) -> Any:
        self.steps.append(("read", meeting_id, self.in_meeting(meeting_id)))
        self.read_started.set()
        await asyncio.sleep(0)  # a read takes its time: other events of the socket run
        await self.read_may_end.wait()
        if self.read_fails is not None:
            raise self.read_fails
        return {"mode": "snapshot", "seq": 0}

    async def join(self, meeting_id: int) -> dict[str, Any]:
        return await self.joining.join(self.sid, PERSON, "tablet", meeting_id, None)


async def test_access_is_decided_before_the_socket_enters_a_room_and_the_read_after() -> None:
    room = Room()
    await room.connect()
    answer = await room.join(1)
    assert answer["ok"] and answer["presence"][0]["devices"] == ["tablet"]
    assert room.steps == [("admit", 1, False), ("read", 1, True)]
    assert room.rooms() == {meeting_room(1), user_room(1, PERSON.user_id)}
    assert room.joining.meeting_of(room.sid) == 1


async def test_a_meeting_the_person_may_not_join_is_never_entered_nor_read() -> None:
    room = Room()
    await room.connect()
    assert (await room.join(1))["ok"]
    answer = await room.join(99)
    assert answer == {"ok": False, "error": {"code": "not-found", "message": "no such meeting"}}
    assert room.steps[-1] == ("admit", 99, False) and ("read", 99, True) not in room.steps
    # Still in its previous meeting, and nothing of the refused one; presence untouched.
    assert room.rooms() == {meeting_room(1), user_room(1, PERSON.user_id)}
    assert room.joining.meeting_of(room.sid) == 1
    assert room.changes.announced == [1] and await room.presence.entries(99) == []


@pytest.mark.parametrize(
    ("failure", "code"),
    [(HubError("no such meeting", code="not-found"), "not-found"), (OSError("db"), "internal")],
)
async def test_a_failed_read_leaves_the_rooms_it_entered_and_keeps_the_previous_meeting(
    failure: BaseException, code: str
) -> None:
    room = Room()
    await room.connect()
    assert (await room.join(1))["ok"]
    room.read_fails = failure
    answer = await room.join(2)
    assert answer["ok"] is False and answer["error"]["code"] == code
    assert room.steps[-1] == ("read", 2, True)
    assert room.rooms() == {meeting_room(1), user_room(1, PERSON.user_id)}
    assert room.joining.meeting_of(room.sid) == 1
    assert await room.presence.entries(2) == []


async def test_two_joins_of_one_socket_at_once_leave_it_in_one_meeting() -> None:
    room = Room()
    await room.connect()
    answers = await asyncio.gather(room.join(1), room.join(2))
    assert all(a["ok"] for a in answers)
    assert room.rooms() == {meeting_room(2), user_room(2, PERSON.user_id)}
    assert await room.presence.entries(1) == [] and len(await room.presence.entries(2)) == 1


async def test_a_disconnect_during_a_join_leaves_no_presence_behind() -> None:
    room = Room()
    await room.connect()
    room.read_may_end.clear()
    joining = asyncio.create_task(room.join(1))
    await room.read_started.wait()
    gone = asyncio.create_task(room.joining.gone(room.sid, PERSON))
    await asyncio.sleep(0)
    assert not gone.done()  # it waits for the join under way
    room.read_may_end.set()
    await asyncio.gather(joining, gone)
    assert await room.presence.entries(1) == [] and room.joining.meeting_of(room.sid) is None
    assert room.rooms() == set()


@pytest.mark.parametrize(
    ("data", "parsed"),
    [
        ({"meeting_id": 3, "last_seq": None}, (3, None)),
        ({"meeting_id": 3, "last_seq": 0}, (3, 0)),
        ({"meeting_id": 0}, "meeting_id must be a positive whole number"),
        ({"meeting_id": True}, "meeting_id must be a positive whole number"),
        ({"meeting_id": 3, "last_seq": -1}, "last_seq must be a whole number ≥ 0 or null"),
        ([3], "join takes {meeting_id, last_seq}"),
    ],
)
def test_a_join_payload_is_a_meeting_id_and_a_last_seq(data: Any, parsed: Any) -> None:
    assert parse_join(data) == parsed
