"""Coalesced ``presence`` messages: who changed in a meeting, a quarter-second at a time.

Contract: ``announce`` is called after a socket entered or left a meeting's ``Presence``;
it takes the change's version, notes that person's devices now (none: gone) with it, and
returns every entry of the meeting.
Only the people who changed are sent, never the whole list (which the joiner gets in its
join answer), and the changes of ``PRESENCE_COALESCE_SECS`` leave together as one
``presence`` message ``{meeting_id, changes: [...]}``, sorted by name, each person's entry
their latest state. So a room of N tablets that all join costs each tablet a few messages
a second, not N²/2 lists of growing size.
"""

from __future__ import annotations

import asyncio
from typing import Any

import socketio

from realtime.contracts import Identity
from realtime.presence import Presence, summarize
from realtime.rooms import meeting_room

PRESENCE_COALESCE_SECS = 0.25  # presence changes of this long leave as one message


class PresenceChanges:
    def __init__(self, sio: socketio.AsyncServer, presence: Presence) -> None:
        self._sio = sio
        self._presence = presence
        # Presence changes waiting to leave, per meeting: user_id -> their entry now.
        self._pending: dict[int, dict[int, dict[str, Any]]] = {}
        self._flushes: dict[int, asyncio.Task[None]] = {}

    async def announce(self, meeting_id: int, identity: Identity) -> list[dict[str, Any]]:
        """Note this person's devices now (none: gone) for the room, with the version of
        this change (taken before the entries are read); returns every entry."""
        version = await self._presence.next_version(meeting_id)
        everyone = await self._presence.entries(meeting_id)
        person = summarize([e for e in everyone if e["user_id"] == identity.user_id]) or [
            {"user_id": identity.user_id, "display_name": identity.display_name, "devices": []}
        ]
        pending = self._pending.setdefault(meeting_id, {})
        if version >= pending.get(identity.user_id, {}).get("version", 0):  # latest wins
            pending[identity.user_id] = {**person[0], "version": version}
        if meeting_id not in self._flushes:
            task = asyncio.create_task(self._send(meeting_id))
            self._flushes[meeting_id] = task
        return everyone

    async def _send(self, meeting_id: int) -> None:
        try:
            await asyncio.sleep(PRESENCE_COALESCE_SECS)
        finally:
            self._flushes.pop(meeting_id, None)
        changes = self._pending.pop(meeting_id, {})
        if changes:
            people = sorted(changes.values(), key=lambda p: (p["display_name"], p["user_id"]))
            await self._sio.emit(
                "presence",
                {"meeting_id": meeting_id, "changes": people},
                room=meeting_room(meeting_id),
            )
