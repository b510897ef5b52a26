"""The Socket.IO hub: connect/auth, rooms, presence, join and command dispatch.

The hub knows nothing of the application. It is handed, at composition time, callables
that authenticate a handshake, answer a join, and handle a command; any ``HubError``
they raise becomes an error ack with its code, anything else an ``internal`` ack.

Client → server events (each with an ack):
    join  {meeting_id, last_seq|null}  → {"ok": true, "mode": "snapshot"|"events", ...}
    leave {}                           → {"ok": true}
    cmd   {id, type, data}             → {"ok": true, "seq": n} | {"ok": false, "error": {...}}
    ephemeral {kind, data}             → {"ok": true}; relayed to the others, never stored
Server → client events:
    event     one committed event of the joined meeting, in commit order per worker
    events    {meeting_id, events: [...]}: several committed events in one message, in order
    presence  {meeting_id, changes: [{user_id, display_name, devices}, ...]}: the people
              whose devices in the meeting changed (devices [] = gone), a quarter of a
              second's worth at a time; the join answer holds everyone's (``presence``)
    ephemeral a relayed throw-away signal {meeting_id, user_id, kind, data}
    head      {meeting_id, seq}: the log head, every few seconds (``beacon_forever``), so
              that a client that missed the last events (a publication lost between
              workers) notices the gap
    resync-required {reason}: this socket's messages were dropped (it read too slowly,
              see ``backpressure``); it is disconnected next and joins again with last_seq

What a client may have queued is bounded (``backpressure.SendGuard``); an optional
``HubObserver`` is told of every command, join, publication and dropped client (metrics
and the command log).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeGuard

import socketio

from realtime.backpressure import QueueStats, SendGuard, SendLimits
from realtime.errors import HubError
from realtime.limits import HubLimiter, HubLimits
from realtime.origin import OriginPolicy
from realtime.presence import LocalPresence, Presence, summarize

log = logging.getLogger(__name__)

DEVICE_LABEL_MAX_CHARS = 64
PRESENCE_COALESCE_SECS = 0.25  # presence changes of this long leave as one message
HEAD_BEACON_SECS = 5.0  # how often each worker tells its clients the heads of their meetings
ACK_BEFORE_CLOSE_SECS = 0.1  # lets a refusal's ack reach the client before its socket closes


@dataclass(frozen=True)
class Identity:
    user_id: int
    display_name: str
    session_key: str


Publish = Callable[[int, list[dict[str, Any]]], Awaitable[None]]


class Authenticate(Protocol):
    async def __call__(self, environ: dict[str, Any]) -> Identity | None: ...


class Join(Protocol):
    async def __call__(
        self, identity: Identity, meeting_id: int, last_seq: int | None
    ) -> dict[str, Any]: ...


class SessionAlive(Protocol):
    """Whether the session behind an open socket is still valid."""

    async def __call__(self, identity: Identity) -> bool: ...


class Relay(Protocol):
    """Check an ephemeral message and return the payload to pass on (or raise HubError)."""

    async def __call__(self, identity: Identity, meeting_id: int, raw: Any) -> dict[str, Any]: ...


class Heads(Protocol):
    """The log head (last seq) of each of these meetings, read from the database."""

    async def __call__(self, meeting_ids: list[int]) -> dict[int, int]: ...


class HandleCommand(Protocol):
    """Run one command; its committed events are published by the application (through
    ``publish`` and ``publish_to_user``, after the commit, usually after the ack)."""

    async def __call__(self, identity: Identity, meeting_id: int, raw: Any) -> dict[str, Any]: ...


class HubObserver(Protocol):
    """Told what the hub did, for metrics and logs. Must not block or raise."""

    def command(
        self,
        *,
        meeting_id: int,
        user_id: int,
        raw: Any,
        ack: dict[str, Any],
        seconds: float,
    ) -> None:
        """A command was answered with ``ack`` after ``seconds`` (``raw`` as received)."""

    def joined(self, mode: str) -> None:
        """A join was answered: ``events``, ``snapshot`` or an error code."""

    def published(self, events: int, seconds: float) -> None:
        """``events`` committed events were handed to the room emit in ``seconds``."""

    def dropped(self) -> None:
        """A client that read too slowly was disconnected."""


class NoObserver:
    def command(
        self, *, meeting_id: int, user_id: int, raw: Any, ack: dict[str, Any], seconds: float
    ) -> None:
        pass

    def joined(self, mode: str) -> None:
        pass

    def published(self, events: int, seconds: float) -> None:
        pass

    def dropped(self) -> None:
        pass


MEETING_ROOM_PREFIX = "meeting:"


def meeting_room(meeting_id: int) -> str:
    return f"{MEETING_ROOM_PREFIX}{meeting_id}"


def user_room(meeting_id: int, user_id: int) -> str:
    """Every socket of one person in one meeting (for what only they may receive)."""
    return f"meeting:{meeting_id}:user:{user_id}"


def session_room(session_key: str) -> str:
    return f"session:{session_key}"


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
    ) -> None:
        self.sio = sio
        self._authenticate = authenticate
        self._join = join
        self._handle_command = handle_command
        self._origins = origin_policy
        self._presence: Presence = presence or LocalPresence()
        self._relay = relay
        self._session_alive = session_alive
        self._closing: set[asyncio.Task[None]] = set()
        # Presence changes waiting to leave, per meeting: user_id -> their entry now.
        self._presence_changes: dict[int, dict[int, dict[str, Any]]] = {}
        self._presence_flushes: dict[int, asyncio.Task[None]] = {}
        self.limiter = HubLimiter(limits)
        self.observer: HubObserver = observer or NoObserver()
        self._heads = heads
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
        refused = self.limiter.commands.take(sid, identity.user_id, time.monotonic())
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
        refused = self.limiter.commands.take(sid, identity.user_id, time.monotonic())
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
            self._close_soon(sid)
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
        refused = self.limiter.ephemeral.take(sid, identity.user_id, time.monotonic())
        if refused is not None:
            return _rate_limited("ephemeral messages", refused)
        try:
            payload = await self._relay(session["identity"], meeting_id, data)
        except HubError as exc:
            return {"ok": False, "error": exc.to_wire()}
        await self.sio.emit("ephemeral", payload, room=meeting_room(meeting_id), skip_sid=sid)
        return {"ok": True}

    def _close_soon(self, sid: str) -> None:
        """Close the socket just after the current ack has gone out."""

        async def close() -> None:
            await asyncio.sleep(ACK_BEFORE_CLOSE_SECS)
            await self.sio.emit("session-ended", {}, to=sid, ignore_queue=True)
            await self.sio.disconnect(sid, ignore_queue=True)

        task = asyncio.create_task(close())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def publish(self, meeting_id: int, events: list[dict[str, Any]]) -> None:
        """Send committed events to everyone in the meeting (call only after commit): one
        ``event`` message, or one ``events`` message for several (encoded and queued once
        per recipient instead of once per event)."""
        if not events:
            return
        started = time.perf_counter()
        name, payload = _message(meeting_id, events)
        await self.sio.emit(name, payload, room=meeting_room(meeting_id))
        self.observer.published(len(events), time.perf_counter() - started)

    def _dropped(self) -> None:
        self.observer.dropped()

    def queue_stats(self) -> QueueStats:
        """What this process holds queued for its clients (for metrics)."""
        return self.send_guard.stats()

    def _local_meetings(self) -> list[int]:
        """The meetings that sockets of this process have joined."""
        found = []
        for room in list(self.sio.manager.rooms.get("/", {})):
            number = str(room).removeprefix(MEETING_ROOM_PREFIX)
            if number != room and number.isdigit():
                found.append(int(number))
        return sorted(found)

    async def send_heads(self) -> int:
        """Tell this process's sockets the log head of their meeting (``head`` event);
        returns how many meetings were told. A publication lost between workers (Redis was
        down, the publishing worker died) leaves no trace a client could notice until the
        next event: this is that trace, read from the database."""
        if self._heads is None:
            return 0
        meeting_ids = self._local_meetings()
        if not meeting_ids:
            return 0
        heads = await self._heads(meeting_ids)
        for meeting_id, seq in heads.items():
            # ignore_queue: each worker tells its own sockets, Redis or not.
            await self.sio.emit(
                "head",
                {"meeting_id": meeting_id, "seq": seq},
                room=meeting_room(meeting_id),
                ignore_queue=True,
            )
        return len(heads)

    async def beacon_forever(self, interval: float = HEAD_BEACON_SECS) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.send_heads()
            except Exception as exc:  # the database may be down for a while: keep going
                log.warning("could not send the meetings' heads: %r", exc)

    async def publish_to_user(
        self, meeting_id: int, user_id: int, events: list[dict[str, Any]]
    ) -> None:
        """Send committed events to one person's sockets in the meeting (after commit)."""
        if not events:
            return
        started = time.perf_counter()
        name, payload = _message(meeting_id, events)
        await self.sio.emit(name, payload, room=user_room(meeting_id, user_id))
        self.observer.published(len(events), time.perf_counter() - started)

    async def _leave_meeting(self, sid: str, meeting_id: int) -> None:
        await self.sio.leave_room(sid, meeting_room(meeting_id))
        identity: Identity = (await self.sio.get_session(sid))["identity"]
        await self.sio.leave_room(sid, user_room(meeting_id, identity.user_id))
        await self._presence.leave(meeting_id, sid)
        await self._announce(meeting_id, identity)

    async def _announce(self, meeting_id: int, identity: Identity) -> list[dict[str, Any]]:
        """Note this person's devices now (none: gone) for the room; returns every entry.

        Only the people who changed are sent, never the whole list (which the joiner gets
        in its join answer), and the changes of ``PRESENCE_COALESCE_SECS`` leave together:
        a room of N tablets that all join costs each tablet a few messages a second, not
        N²/2 lists of growing size. Each person's entry is their latest state."""
        everyone = await self._presence.entries(meeting_id)
        person = summarize([e for e in everyone if e["user_id"] == identity.user_id]) or [
            {"user_id": identity.user_id, "display_name": identity.display_name, "devices": []}
        ]
        self._presence_changes.setdefault(meeting_id, {})[identity.user_id] = person[0]
        if meeting_id not in self._presence_flushes:
            task = asyncio.create_task(self._send_presence_changes(meeting_id))
            self._presence_flushes[meeting_id] = task
        return everyone

    async def _send_presence_changes(self, meeting_id: int) -> None:
        try:
            await asyncio.sleep(PRESENCE_COALESCE_SECS)
        finally:
            self._presence_flushes.pop(meeting_id, None)
        changes = self._presence_changes.pop(meeting_id, {})
        if changes:
            people = sorted(changes.values(), key=lambda p: (p["display_name"], p["user_id"]))
            await self.sio.emit(
                "presence",
                {"meeting_id": meeting_id, "changes": people},
                room=meeting_room(meeting_id),
            )

    async def close_sessions_here(self, session_keys: list[str]) -> int:
        """Disconnect this process's sockets of the given sessions; returns how many."""
        closed = 0
        for key in session_keys:
            sids = [sid for sid, _eio in self.sio.manager.get_participants("/", session_room(key))]
            for sid in sids:
                # ignore_queue: the socket is on this worker; no need to go through Redis.
                await self.sio.emit("session-ended", {}, to=sid, ignore_queue=True)
                await self.sio.disconnect(sid, ignore_queue=True)
                closed += 1
        return closed


def _message(meeting_id: int, events: list[dict[str, Any]]) -> tuple[str, Any]:
    if len(events) == 1:
        return "event", events[0]
    return "events", {"meeting_id": meeting_id, "events": events}


def _refusal(code: str, message: str) -> socketio.exceptions.ConnectionRefusedError:
    """A refused handshake: the client's ``connect_error`` gets ``{message, data: {code,
    message}}`` (socket.io puts the second argument in ``data``)."""
    return socketio.exceptions.ConnectionRefusedError(message, {"code": code, "message": message})


def _rate_limited(what: str, scope: str) -> dict[str, Any]:
    per = "this connection" if scope == "connection" else "this person"
    return _error("rate-limited", f"too many {what} from {per}; slow down and send it again")


def _is_count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
