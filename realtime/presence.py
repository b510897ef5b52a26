"""Presence: who is connected to a meeting right now, on which device.

Presence is ephemeral (never in the event log). ``LocalPresence`` serves one process;
a multi-worker deployment hands the hub a shared implementation of the same protocol.

``next_version`` orders a meeting's presence changes for the whole installation: a change
takes a version, then reads the entries, so the change with the highest version was read
after every change before it. Tablets keep, per person, the change with the highest version
(docs/protocol.md, ``presence``): two workers' messages may arrive in any order.
"""

from __future__ import annotations

from typing import Any, Protocol


class Presence(Protocol):
    async def enter(self, meeting_id: int, sid: str, entry: dict[str, Any]) -> None: ...
    async def leave(self, meeting_id: int, sid: str) -> None: ...
    async def entries(self, meeting_id: int) -> list[dict[str, Any]]: ...
    async def next_version(self, meeting_id: int) -> int:
        """A version greater than every one this meeting's presence gave before."""
        ...


class LocalPresence:
    def __init__(self) -> None:
        self._by_meeting: dict[int, dict[str, dict[str, Any]]] = {}
        self._versions: dict[int, int] = {}

    async def next_version(self, meeting_id: int) -> int:
        version = self._versions.get(meeting_id, 0) + 1
        self._versions[meeting_id] = version
        return version

    async def enter(self, meeting_id: int, sid: str, entry: dict[str, Any]) -> None:
        self._by_meeting.setdefault(meeting_id, {})[sid] = entry

    async def leave(self, meeting_id: int, sid: str) -> None:
        connections = self._by_meeting.get(meeting_id)
        if connections is not None:
            connections.pop(sid, None)
            if not connections:
                del self._by_meeting[meeting_id]

    async def entries(self, meeting_id: int) -> list[dict[str, Any]]:
        return list(self._by_meeting.get(meeting_id, {}).values())


def summarize(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per person with their devices, sorted by name: the ``presence`` payload."""
    people: dict[int, dict[str, Any]] = {}
    for entry in entries:
        person = people.setdefault(
            entry["user_id"],
            {"user_id": entry["user_id"], "display_name": entry["display_name"], "devices": []},
        )
        person["devices"].append(entry["device"])
    for person in people.values():
        person["devices"].sort()
    return sorted(people.values(), key=lambda p: (p["display_name"], p["user_id"]))
