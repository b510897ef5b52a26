"""The names of the hub's Socket.IO rooms.

A socket that joined a meeting is in its meeting room and in its person's room of that
meeting; every socket is in the room of its login session (so that ending the session
closes its sockets). ``meeting_of_room`` is the inverse of ``meeting_room``.
"""

from __future__ import annotations

MEETING_ROOM_PREFIX = "meeting:"


def meeting_room(meeting_id: int) -> str:
    return f"{MEETING_ROOM_PREFIX}{meeting_id}"


def user_room(meeting_id: int, user_id: int) -> str:
    """Every socket of one person in one meeting (for what only they may receive)."""
    return f"meeting:{meeting_id}:user:{user_id}"


def session_room(session_key: str) -> str:
    return f"session:{session_key}"


def meeting_of_room(room: str) -> int | None:
    """The meeting whose ``meeting_room`` this is; None for any other room."""
    number = room.removeprefix(MEETING_ROOM_PREFIX)
    return int(number) if number != room and number.isdigit() else None
