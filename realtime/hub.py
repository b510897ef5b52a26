"""The Socket.IO hub: connect/auth, rooms, presence, join and command dispatch.

The hub knows nothing of the application. It is handed, at composition time, callables
that authenticate a handshake, answer a join, and handle a command (``contracts``); any
``HubError`` they raise becomes an error ack with its code, anything else an ``internal``
ack. The events it speaks are listed in the ``realtime`` package's docstring.

Its parts: flood limits (``limits.HubLimiter``), coalesced presence changes
(``presence_changes``), publishing and head beacons (``publishing``), closing the sockets
of ended sessions (``closing``). What a client may have queued is bounded
(``backpressure.SendGuard``); an optional ``HubObserver`` is told of every command, join,
publication and dropped client (metrics and the command log).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeGuard

import socketio

from realtime.backpressure import QueueStats, SendGuard, SendLimits
from realtime.closing import SocketCloser
from realtime.contracts import (
    Authenticate,
    HandleCommand,
    Heads,
    HubObserver,
    Identity,
    Join,
    NoObserver,
    Relay,
    SessionAlive,
)
from realtime.errors import HubError
from realtime.limits import HubLimiter, HubLimits
from realtime.origin import OriginPolicy
from realtime.presence import LocalPresence, Presence, summarize
from realtime.presence_changes import PresenceChanges
from realtime.publishing import HEAD_BEACON_SECS, Publisher
from realtime.rooms import meeting_room, session_room, user_room

# Defined in their own modules since; still imported from here.
__all__ = ["HEAD_BEACON_SECS", "Hub", "HubObserver", "Identity", "meeting_room", "session_room"]

log = logging.getLogger(__name__)

DEVICE_LABEL_MAX_CHARS = 64


def _error(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message}}


class Hub:
    def __init__(
        self,
        sio: socketio.AsyncServer,
        *,
        authenticate: Authenticate,
        join: Join,
        handle_command: HandleCommand,
        origin_policy: OriginPolicy,
        presence: Presence | None = None,
        relay: Relay | None = None,
        session_alive: SessionAlive | None = None,
        send_limits: SendLimits | None = None,
        observer: HubObserver | None = None,
        heads: Heads | None = None,
        limits: HubLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``clock`` (monotonic seconds) is the time the flood limits are counted in."""
        self.sio = sio
        self._authenticate = authenticate
        self._join = join
        self._handle_command = handle_command
        self._origins = origin_policy
        self._presence: Presence = presence or LocalPresence()
        self._relay = relay
        self._session_alive = session_alive
        self._presence_changes = PresenceChanges(sio, self._presence)
        self.limiter = HubLimiter(limits, clock)
        self.observer: HubObserver = observer or NoObserver()
        # Publishing and closing sessions are their own objects'; the hub offers their
        # methods as its own.
        publisher = Publisher(sio, self._published, heads)
        self.publish = publisher.publish
        self.publish_to_user = publisher.publish_to_user
        self.send_heads = publisher.send_heads
        self.beacon_forever = publisher.beacon_forever
        self._closer = SocketCloser(sio)
        self.close_sessions_here = self._closer.close_sessions_here
        self.connected_clients = 0
        self.send_guard = SendGuard(sio, send_limits or SendLimits(), self._dropped)
        sio.on("connect", self._on_connect)
        sio.on("disconnect", self._on_disconnect)
        sio.on("join", self._on_join)
        sio.on("leave", self._on_leave)
        sio.on("cmd", self._on_cmd)
        sio.on("ephemeral", self._on_ephemeral)

    async def _on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        if not self._origins.allows_environ(environ.get("HTTP_ORIGIN"), environ):
            raise _refusal("not-allowed", "this origin may not connect")
        identity = await self._authenticate(environ)
        if identity is None:
            raise _refusal("unauthenticated", "sign in first")
        device = auth.get("device") if isinstance(auth, dict) else None
        device_label = (
            device[:DEVICE_LABEL_MAX_CHARS] if isinstance(device, str) and device else "web"
        )
        if not self.limiter.admit(sid, identity.user_id):
            raise _refusal(
                "too-many-connections",
                f"at most {self.limiter.limits.connections_per_user} connections per person; "
                "close another tablet first",
            )
        await self.sio.save_session(
            sid, {"identity": identity, "device": device_label, "meeting_id": None}
        )
        await self.sio.enter_room(sid, session_room(identity.session_key))
        # The session may have ended between the check above and entering its room, when
        # the close-sessions signal found no socket to close: check once more.
        if await self._authenticate(environ) is None:
            self.limiter.release(sid, identity.user_id)
            raise _refusal("unauthenticated", "sign in first")
        self.connected_clients += 1

    async def _on_disconnect(self, sid: str, *_reason: Any) -> None:
        self.connected_clients -= 1
        session = await self.sio.get_session(sid)
        if "identity" in session:
            self.limiter.release(sid, session["identity"].user_id)
        if session.get("meeting_id") is not None:
            await self._leave_meeting(sid, session["meeting_id"])

    async def _on_join(self, sid: str, data: Any = None) -> dict[str, Any]:
        if not isinstance(data, dict):
            return _error("invalid", "join takes {meeting_id, last_seq}")
        meeting_id, last_seq = data.get("meeting_id"), data.get("last_seq")
        if not _is_count(meeting_id) or meeting_id < 1:
            return _error("invalid", "meeting_id must be a positive whole number")
        if last_seq is not None and not _is_count(last_seq):
            return _error("invalid", "last_seq must be a whole number ≥ 0 or null")
        session = await self.sio.get_session(sid)
        identity: Identity = session["identity"]
        # A join reads the log or builds a snapshot: it counts as a command.
        refused = self.limiter.take_command(sid, identity.user_id)
        if refused is not None:
            return _rate_limited("joins and commands", refused)
        previous = session.get("meeting_id")
        # Enter the room before reading the log, so that no event committed in between is
        # missed: the client drops what it already has by seq.
        rooms = (meeting_room(meeting_id), user_room(meeting_id, identity.user_id))
        for room in rooms:
            await self.sio.enter_room(sid, room)
        try:
            result = await self._join(identity, meeting_id, last_seq)
        except HubError as exc:
            if previous != meeting_id:
                for room in rooms:
                    await self.sio.leave_room(sid, room)
            self.observer.joined(exc.code)
            return {"ok": False, "error": exc.to_wire()}
        self.observer.joined(str(result.get("mode")))
        if previous is not None and previous != meeting_id:
            await self._leave_meeting(sid, previous)
        session["meeting_id"] = meeting_id
        await self.sio.save_session(sid, session)
        entry = {
            "user_id": identity.user_id,
            "display_name": identity.display_name,
            "device": session["device"],
        }
        await self._presence.enter(meeting_id, sid, entry)
        everyone = await self._announce(meeting_id, identity)
        return {"ok": True, **result, "presence": summarize(everyone)}

    async def _on_leave(self, sid: str, _data: Any = None) -> dict[str, Any]:
        session = await self.sio.get_session(sid)
        meeting_id = session.get("meeting_id")
        if meeting_id is not None:
            await self._leave_meeting(sid, meeting_id)
            session["meeting_id"] = None
            await self.sio.save_session(sid, session)
        return {"ok": True}

    async def _on_cmd(self, sid: str, data: Any = None) -> dict[str, Any]:
        started = time.perf_counter()
        session = await self.sio.get_session(sid)
        meeting_id = session.get("meeting_id")
        if meeting_id is None:
            return _error("not-joined", "join a meeting before sending commands")
        identity: Identity = session["identity"]
        refused = self.limiter.take_command(sid, identity.user_id)
        if refused is not None:
            ack = _rate_limited("commands", refused)
        else:
            ack = await self._command(sid, identity, meeting_id, data)
        self.observer.command(
            meeting_id=meeting_id,
            user_id=identity.user_id,
            raw=data,
            ack=ack,
            seconds=time.perf_counter() - started,
        )
        return ack

    async def _command(
        self, sid: str, identity: Identity, meeting_id: int, data: Any
    ) -> dict[str, Any]:
        # A command changes the meeting: the session must still be valid now, even if the
        # signal that should have closed this socket was lost (e.g. Redis was down).
        if self._session_alive is not None and not await self._session_alive(identity):
            self._closer.close_soon(sid)
            return _error("unauthenticated", "the session has ended; sign in again")
        try:
            return await self._handle_command(identity, meeting_id, data)
        except HubError as exc:
            return {"ok": False, "error": exc.to_wire()}
        except Exception:
            log.exception("command failed in meeting %s", meeting_id)
            return _error("internal", "the server failed; nothing was saved")

    async def _on_ephemeral(self, sid: str, data: Any = None) -> dict[str, Any]:
        """Pass a throw-away signal (a view while scrolling, a stroke being drawn) to the
        others in the meeting; never stored. Rate-limited per connection."""
        session = await self.sio.get_session(sid)
        meeting_id = session.get("meeting_id")
        if meeting_id is None:
            return _error("not-joined", "join a meeting first")
        if self._relay is None:
            return _error("invalid", "this server relays no ephemeral messages")
        identity: Identity = session["identity"]
        refused = self.limiter.take_ephemeral(sid, identity.user_id)
        if refused is not None:
            return _rate_limited("ephemeral messages", refused)
        try:
            payload = await self._relay(session["identity"], meeting_id, data)
        except HubError as exc:
            return {"ok": False, "error": exc.to_wire()}
        await self.sio.emit("ephemeral", payload, room=meeting_room(meeting_id), skip_sid=sid)
        return {"ok": True}

    def _published(self, events: int, seconds: float) -> None:
        self.observer.published(events, seconds)

    def _dropped(self) -> None:
        self.observer.dropped()

    def queue_stats(self) -> QueueStats:
        """What this process holds queued for its clients (for metrics)."""
        return self.send_guard.stats()

    async def _leave_meeting(self, sid: str, meeting_id: int) -> None:
        await self.sio.leave_room(sid, meeting_room(meeting_id))
        identity: Identity = (await self.sio.get_session(sid))["identity"]
        await self.sio.leave_room(sid, user_room(meeting_id, identity.user_id))
        await self._presence.leave(meeting_id, sid)
        await self._announce(meeting_id, identity)

    async def _announce(self, meeting_id: int, identity: Identity) -> list[dict[str, Any]]:
        """Note this person's devices now for the room (coalesced, see ``PresenceChanges``);
        returns every entry."""
        return await self._presence_changes.announce(meeting_id, identity)


def _refusal(code: str, message: str) -> socketio.exceptions.ConnectionRefusedError:
    """A refused handshake: the client's ``connect_error`` gets ``{message, data: {code,
    message}}`` (socket.io puts the second argument in ``data``)."""
    return socketio.exceptions.ConnectionRefusedError(message, {"code": code, "message": message})


def _rate_limited(what: str, scope: str) -> dict[str, Any]:
    per = "this connection" if scope == "connection" else "this person"
    return _error("rate-limited", f"too many {what} from {per}; slow down and send it again")


def _is_count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
