"""The Socket.IO hub: connect/auth, rooms, presence, join and command dispatch.

The hub knows nothing of the application. It is handed, at composition time, callables
that authenticate a handshake, decide access to a meeting and read a join, and handle a
command (``contracts``); any ``HubError`` they raise becomes an error ack with its code,
anything else an ``internal`` ack. The events it speaks are listed in the ``realtime``
package's docstring.

Every payload passes ``payload.refusal`` before anything reads it (nesting depth, whole
numbers in the database's range): ``invalid`` otherwise. A join decides access before the
socket enters any room (``joining``). A refused handshake's connection is closed once the
client has its ``connect_error``; connections that never sign in and frames that cannot be
read are closed too, each with one rate-limited log line (``intake``, ``gate``,
``notices``). Build the ``AsyncServer`` with ``json=realtime.codec`` and serve it through
``gate.GatedASGIApp``.

Its parts: flood limits (``limits.HubLimiter``), coalesced presence changes
(``presence_changes``), publishing and head beacons (``publishing``), closing the sockets
of ended sessions (``closing``). What a client may have queued is bounded
(``backpressure.SendGuard``); an optional ``HubObserver`` is told of every command, join,
publication and dropped client (metrics and the command log).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import socketio

from realtime import notices, payload
from realtime.backpressure import QueueStats, SendGuard, SendLimits
from realtime.closing import SocketCloser
from realtime.contracts import (
    Admit,
    Authenticate,
    HandleCommand,
    Heads,
    HubObserver,
    Identity,
    Join,
    NoObserver,
    Relay,
    SessionAlive,
    SharedSocketCounts,
)
from realtime.errors import HubError
from realtime.intake import Intake
from realtime.joining import Joining, parse_join
from realtime.limits import HubLimiter, HubLimits
from realtime.notices import Notices
from realtime.origin import OriginPolicy
from realtime.presence import LocalPresence, Presence
from realtime.presence_changes import PresenceChanges
from realtime.publishing import HEAD_BEACON_SECS, Publisher
from realtime.rooms import meeting_room, session_room, user_room

# Defined in their own modules since; still imported from here.
__all__ = ["HEAD_BEACON_SECS", "Hub", "HubObserver", "Identity", "meeting_room", "session_room"]

log = logging.getLogger(__name__)

DEVICE_LABEL_MAX_CHARS = 64


Answer = dict[str, Any]
Handler = Callable[["Hub", str, Any], Awaitable[Answer]]


def _error(code: str, message: str) -> Answer:
    return {"ok": False, "error": {"code": code, "message": message}}


def _checked(handler: Handler) -> Callable[..., Awaitable[Answer]]:
    """A client event's handler, called only with one payload within ``payload``'s bounds
    (``invalid`` otherwise: checked before anything else reads it)."""

    @functools.wraps(handler)
    async def checked(hub: Hub, sid: str, *args: Any) -> Answer:
        if len(args) > 1:
            return _error("invalid", "send one payload")
        data = args[0] if args else None
        problem = payload.refusal(data)
        if problem is not None:
            return _error("invalid", problem)
        return await handler(hub, sid, data)

    return checked


class Hub:
    def __init__(
        self,
        sio: socketio.AsyncServer,
        *,
        authenticate: Authenticate,
        admit: Admit,
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
        shared_sockets: SharedSocketCounts | None = None,
    ) -> None:
        """``clock`` (monotonic seconds) is the time the flood limits are counted in;
        ``shared_sockets`` counts each person's sockets over all workers (the same limit)."""
        self._shared_sockets = shared_sockets
        self.sio = sio
        self._authenticate = authenticate
        self._handle_command = handle_command
        self._origins = origin_policy
        presence = presence or LocalPresence()
        self._relay = relay
        self._session_alive = session_alive
        self._joining = Joining(
            sio, admit=admit, read=join, presence=presence, changes=PresenceChanges(sio, presence)
        )
        self.limiter = HubLimiter(limits, clock)
        self.observer: HubObserver = observer or NoObserver()
        # Publishing and closing sessions are their own objects'; the hub offers their
        # methods as its own.
        publisher = Publisher(sio, self._published, heads)
        self.publish = publisher.publish
        self.publish_to_user = publisher.publish_to_user
        self.publish_checkpoint = publisher.publish_checkpoint
        self.send_heads = publisher.send_heads
        self.beacon_forever = publisher.beacon_forever
        self._closer = SocketCloser(sio)
        self.close_sessions_here = self._closer.close_sessions_here
        # Lines about connections that sent garbage or never signed in; the libraries'
        # tracebacks about frames become such lines too.
        self.notices = Notices()
        for library_log in (sio.logger, sio.eio.logger):
            notices.quiet(library_log, self.notices)
        self._intake = Intake(sio, self._closer, self.notices)
        self.connected_clients = 0
        self.send_guard = SendGuard(sio, send_limits or SendLimits(), self._dropped)
        sio.on("connect", self._on_connect)
        sio.on("disconnect", self._on_disconnect)
        sio.on("join", self._on_join)
        sio.on("leave", self._on_leave)
        sio.on("cmd", self._on_cmd)
        sio.on("ephemeral", self._on_ephemeral)

    async def remove_here(self, meeting_id: int, user_ids: list[int]) -> int:
        """People taken off the meeting's roster: this process's sockets of theirs in the
        meeting get ``roster-removed`` and leave its rooms at once; returns how many."""
        removed = 0
        for user_id in user_ids:
            room = user_room(meeting_id, user_id)
            for sid, _eio in list(self.sio.manager.get_participants("/", room)):
                session = await self.sio.get_session(sid)
                await self.sio.emit(
                    "roster-removed", {"meeting_id": meeting_id}, to=sid, ignore_queue=True
                )
                await self._joining.leave(sid, session["identity"])
                removed += 1
        return removed

    async def _on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        try:
            await self._connect(sid, environ, auth)
        except Exception as exc:
            # The connection goes once the client has its connect_error (Engine.IO keeps
            # it open otherwise).
            eio_sid = self.sio.manager.eio_sid_from_sid(sid, "/")
            if eio_sid is not None:
                self._closer.close_connection(eio_sid)
            if self._shared_sockets is not None:  # a socket refused keeps no place
                await self._shared_sockets.release(sid)
            if isinstance(exc, socketio.exceptions.ConnectionRefusedError):
                raise
            log.exception("connecting a socket failed")
            raise _refusal("internal", "the server failed; try again") from exc

    async def _connect(self, sid: str, environ: dict[str, Any], auth: Any) -> None:
        if not self._origins.allows_environ(environ.get("HTTP_ORIGIN"), environ):
            raise _refusal("not-allowed", "this origin may not connect")
        identity = await self._authenticate(environ)
        if identity is None:
            raise _refusal("unauthenticated", "sign in first")
        device = auth.get("device") if isinstance(auth, dict) else None
        device_label = (
            device[:DEVICE_LABEL_MAX_CHARS] if isinstance(device, str) and device else "web"
        )
        if not self.limiter.admit(sid, identity.user_id) or not await self._admit_shared(
            sid, identity.user_id
        ):
            raise _refusal(
                "too-many-connections",
                f"at most {self.limiter.limits.connections_per_user} connections per person; "
                "close another tablet first",
            )
        await self.sio.save_session(sid, {"identity": identity, "device": device_label})
        await self.sio.enter_room(sid, session_room(identity.session_key))
        # The session may have ended between the check above and entering its room, when
        # the close-sessions signal found no socket to close: check once more.
        if await self._authenticate(environ) is None:
            self.limiter.release(sid, identity.user_id)
            if self._shared_sockets is not None:
                await self._shared_sockets.release(sid)
            raise _refusal("unauthenticated", "sign in first")
        self.connected_clients += 1

    async def _admit_shared(self, sid: str, user_id: int) -> bool:
        """Counted over all workers too; a refusal gives back this worker's place."""
        if self._shared_sockets is None or await self._shared_sockets.admit(sid, user_id):
            return True
        self.limiter.release(sid, user_id)
        return False

    async def _on_disconnect(self, sid: str, *_reason: Any) -> None:
        self.connected_clients -= 1
        session = await self.sio.get_session(sid)
        if "identity" not in session:
            return
        self.limiter.release(sid, session["identity"].user_id)
        if self._shared_sockets is not None:
            await self._shared_sockets.release(sid)
        try:
            await self._joining.gone(sid, session["identity"])
        except Exception:
            log.exception("leaving the meeting of a closed socket failed")

    @_checked
    async def _on_join(self, sid: str, data: Any) -> Answer:
        request = parse_join(data)
        if isinstance(request, str):
            return _error("invalid", request)
        session = await self.sio.get_session(sid)
        identity: Identity = session["identity"]
        # A join reads the log or builds a snapshot: it counts as a command.
        refused = self.limiter.take_command(sid, identity.user_id)
        if refused is not None:
            return _rate_limited("joins and commands", refused)
        answer = await self._joining.join(sid, identity, session["device"], *request)
        self.observer.joined(str(answer["mode"] if answer["ok"] else answer["error"]["code"]))
        return answer

    @_checked
    async def _on_leave(self, sid: str, _data: Any) -> Answer:
        session = await self.sio.get_session(sid)
        await self._joining.leave(sid, session["identity"])
        return {"ok": True}

    @_checked
    async def _on_cmd(self, sid: str, data: Any) -> Answer:
        started = time.perf_counter()
        meeting_id = self._joining.meeting_of(sid)
        if meeting_id is None:
            return _error("not-joined", "join a meeting before sending commands")
        identity: Identity = (await self.sio.get_session(sid))["identity"]
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

    @_checked
    async def _on_ephemeral(self, sid: str, data: Any) -> Answer:
        """Pass a throw-away signal (a view while scrolling, a stroke being drawn) to the
        others in the meeting; never stored. Rate-limited per connection."""
        meeting_id = self._joining.meeting_of(sid)
        if meeting_id is None:
            return _error("not-joined", "join a meeting first")
        if self._relay is None:
            return _error("invalid", "this server relays no ephemeral messages")
        identity: Identity = (await self.sio.get_session(sid))["identity"]
        refused = self.limiter.take_ephemeral(sid, identity.user_id)
        if refused is not None:
            return _rate_limited("ephemeral messages", refused)
        try:
            relayed = await self._relay(identity, meeting_id, data)
        except HubError as exc:
            return {"ok": False, "error": exc.to_wire()}
        await self.sio.emit("ephemeral", relayed, room=meeting_room(meeting_id), skip_sid=sid)
        return {"ok": True}

    def _published(self, events: int, seconds: float) -> None:
        self.observer.published(events, seconds)

    def _dropped(self) -> None:
        self.observer.dropped()

    def queue_stats(self) -> QueueStats:
        """What this process holds queued for its clients (for metrics)."""
        return self.send_guard.stats()


def _refusal(code: str, message: str) -> socketio.exceptions.ConnectionRefusedError:
    """A refused handshake: the client's ``connect_error`` gets ``{message, data: {code,
    message}}`` (socket.io puts the second argument in ``data``)."""
    return socketio.exceptions.ConnectionRefusedError(message, {"code": code, "message": message})


def _rate_limited(what: str, scope: str) -> dict[str, Any]:
    per = "this connection" if scope == "connection" else "this person"
    return _error("rate-limited", f"too many {what} from {per}; slow down and send it again")
