"""Joining and leaving a meeting: access first, then the rooms, then the read.

A join runs in this order (docs/protocol.md, ``join``):

1. access — ``admit``: may this person join (are they on the roster)? A refusal is answered
   at once: the socket has entered no room of that meeting, and it stays where it was (in
   its previous meeting, if it had one: those events keep coming, its commands go there).
2. rooms — the socket enters the meeting's room and its person's room of the meeting,
   before the read, so that no event committed in between is missed (the client drops
   what it already has by seq).
3. read — ``read``: the events since ``last_seq``, or a snapshot. If it fails, the socket
   leaves the rooms it entered in step 2 (unless they are its current meeting's) and stays
   where it was.
4. answer — the previous meeting is left (its room is told this person's devices changed),
   the socket enters the meeting's presence, its room is told, and the answer lists
   everyone present.

So no event and no presence message of a meeting reaches a socket whose person may not
join it, and presence never names them there.

The joins, leaves and disconnect of one socket run one at a time (a lock per socket):
Socket.IO runs a client's events concurrently, and two joins racing would leave the socket
in the rooms of both meetings; a disconnect during a join would leave its presence behind.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, TypeGuard

import socketio

from realtime.contracts import Admit, Identity, Join
from realtime.errors import HubError
from realtime.presence import Presence, summarize
from realtime.presence_changes import PresenceChanges
from realtime.rooms import meeting_room, user_room

log = logging.getLogger(__name__)


def parse_join(data: Any) -> tuple[int, int | None] | str:
    """``(meeting_id, last_seq)`` from a join's payload, or what is wrong with it."""
    if not isinstance(data, dict):
        return "join takes {meeting_id, last_seq}"
    meeting_id, last_seq = data.get("meeting_id"), data.get("last_seq")
    if not _is_count(meeting_id) or meeting_id < 1:
        return "meeting_id must be a positive whole number"
    if last_seq is not None and not _is_count(last_seq):
        return "last_seq must be a whole number ≥ 0 or null"
    return meeting_id, last_seq


class Joining:
    """Which meeting each socket of this process has joined, and the way in and out."""

    def __init__(
        self,
        sio: socketio.AsyncServer,
        *,
        admit: Admit,
        read: Join,
        presence: Presence,
        changes: PresenceChanges,
    ) -> None:
        self._sio = sio
        self._admit = admit
        self._read = read
        self._presence = presence
        self._changes = changes
        self._meeting_of: dict[str, int] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def meeting_of(self, sid: str) -> int | None:
        return self._meeting_of.get(sid)

    async def join(
        self, sid: str, identity: Identity, device: str, meeting_id: int, last_seq: int | None
    ) -> dict[str, Any]:
        """The answer to a join: ``{"ok": true, mode, …, presence}`` or an error."""
        if not self._sio.manager.is_connected(sid, "/"):
            return _error("not-joined", "the connection is closing")
        async with self._locks.setdefault(sid, asyncio.Lock()):
            try:
                await self._admit(identity, meeting_id)
            except Exception as exc:
                return _failure(exc, "deciding access to meeting", meeting_id)
            previous = self._meeting_of.get(sid)
            rooms = (meeting_room(meeting_id), user_room(meeting_id, identity.user_id))
            for room in rooms:
                await self._sio.enter_room(sid, room)
            try:
                result = await self._read(identity, meeting_id, last_seq)
            except BaseException as exc:
                if previous != meeting_id:
                    for room in rooms:
                        await self._sio.leave_room(sid, room)
                if not isinstance(exc, Exception):
                    raise
                return _failure(exc, "reading meeting", meeting_id)
            if previous is not None and previous != meeting_id:
                await self._leave(sid, identity, previous)
            self._meeting_of[sid] = meeting_id
            entry = {"user_id": identity.user_id, "display_name": identity.display_name}
            await self._presence.enter(meeting_id, sid, {**entry, "device": device})
            # The list is everyone as of this version (read after it was taken): older
            # changes still on their way are ignored by the tablet.
            version = await self._presence.next_version(meeting_id)
            everyone = await self._changes.announce(meeting_id, identity)
            present = [{**person, "version": version} for person in summarize(everyone)]
            return {"ok": True, **result, "presence": present, "presence_version": version}

    async def leave(self, sid: str, identity: Identity) -> None:
        """Leave the socket's meeting, if any."""
        async with self._locks.setdefault(sid, asyncio.Lock()):
            meeting_id = self._meeting_of.pop(sid, None)
            if meeting_id is not None:
                await self._leave(sid, identity, meeting_id)

    async def gone(self, sid: str, identity: Identity) -> None:
        """The socket disconnected: after any join under way, leave its meeting."""
        try:
            await self.leave(sid, identity)
        finally:
            self._locks.pop(sid, None)

    async def _leave(self, sid: str, identity: Identity, meeting_id: int) -> None:
        await self._sio.leave_room(sid, meeting_room(meeting_id))
        await self._sio.leave_room(sid, user_room(meeting_id, identity.user_id))
        await self._presence.leave(meeting_id, sid)
        await self._changes.announce(meeting_id, identity)


def _failure(exc: Exception, doing: str, meeting_id: int) -> dict[str, Any]:
    if isinstance(exc, HubError):
        return {"ok": False, "error": exc.to_wire()}
    log.exception("%s %s failed", doing, meeting_id)
    return _error("internal", "the server failed; try again")


def _error(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message}}


def _is_count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
