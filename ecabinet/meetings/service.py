"""The meeting core: join (snapshot or replay) and command execution.

A command runs access → check → do → commit → publish:
the meeting row is locked, the actor's role is read from the roster, a repeated command
id returns its stored ack, the rule decides from the state folded up to the log head, the
events and the ack are written in one transaction, and only after the commit are the
events handed to ``publish``. Commands that queue for the same meeting share one
transaction (and one durable commit), each in a savepoint of its own (``execute``).
A per-meeting lock in this process keeps publications in ``seq`` order; other
processes are serialized by the database (row lock or SQLite's write lock) and their
clients reorder by ``seq``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.annotations import rules as annotation_rules
from ecabinet.canonical import I_JSON_INT_MAX, canonical_json, fits_i_json, nfc
from ecabinet.config import REPLAY_WINDOW_EVENTS_DEFAULT
from ecabinet.errors import ECabinetError, Invalid, NotAllowed, NotFound, TooLarge
from ecabinet.events import Event, NewEvent, iso_utc
from ecabinet.meetings import repo, rules
from ecabinet.meetings.commands import COMMANDS, commands_for
from ecabinet.meetings.rules import Actor, Context, MeetingState, Role
from ecabinet.meetings.sealing import BallotKeys
from ecabinet.store import eventlog
from ecabinet.store.database import Database
from ecabinet.store.schema import command_results, meetings

log = logging.getLogger(__name__)

COMMAND_MAX_BYTES = 64 * 1024  # one command's JSON, in bytes
COMMAND_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
# At most this many waiting commands of one meeting share a transaction (a vote burst).
BATCH_MAX_COMMANDS = 64

Publish = Callable[[int, list[Event]], Awaitable[None]]
Clock = Callable[[], datetime]


class InjectedFault(RuntimeError):
    """The test-only fault hook failed a command after its writes, before the commit."""


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CommandEnvelope:
    id: str
    type: str
    data: dict[str, Any]


def parse_command(raw: Any) -> CommandEnvelope:
    """Validate the wire form ``{"id", "type", "data"}``; raises Invalid or TooLarge."""
    if not isinstance(raw, dict):
        raise Invalid("a command is an object {id, type, data}")
    try:
        size = len(canonical_json(raw))
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
        raise Invalid("the command is not valid JSON") from exc
    if not fits_i_json(raw):  # refused here, not by hash rule 2 in the append
        raise Invalid(f"a whole number may be at most {I_JSON_INT_MAX} in size")
    if size > COMMAND_MAX_BYTES:
        raise TooLarge(f"a command may have at most {COMMAND_MAX_BYTES} bytes")
    extra = set(raw) - {"id", "type", "data"}
    if extra:
        raise Invalid(f"unknown fields: {', '.join(sorted(map(str, extra)))}")
    command_id, type_, data = raw.get("id"), raw.get("type"), raw.get("data", {})
    if not isinstance(command_id, str) or not COMMAND_ID_PATTERN.match(command_id):
        raise Invalid("id must be 1–64 characters of A–Z, a–z, 0–9, _ . : -")
    if not isinstance(type_, str) or type_ not in COMMANDS or COMMANDS[type_].internal:
        raise Invalid(f"unknown command type: {str(type_)[:64]!r}")
    if not isinstance(data, dict):
        raise Invalid("data must be an object")
    return CommandEnvelope(command_id, type_, nfc(data))


class MeetingService:
    def __init__(
        self,
        db: Database,
        clock: Clock = utc_now,
        new_token: Callable[[], str] | None = None,
        *,
        ballot_keys: BallotKeys,
        replay_window: int = REPLAY_WINDOW_EVENTS_DEFAULT,
        fault_rate: float = 0.0,
        on_commit: Publish | None = None,
    ) -> None:
        self._db = db
        # Told every batch's committed events after they are published, still under the
        # meeting's lock (so in commit order): signs checkpoints of the head (checkpoints/).
        self._on_commit = on_commit
        self._ballot_keys = ballot_keys  # seals and opens secret ballots (sealing.py)
        self._replay_window = replay_window
        # Test only (settings refuse it outside ECABINET_ENV=test): fail this share of
        # commands after every write and before the commit.
        self._fault_rate = fault_rate
        self._fault_random = random.Random()
        self._clock = clock
        self._new_token = new_token or (lambda: secrets.token_hex(8))
        self._states: dict[int, MeetingState] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, list[_Pending]] = {}  # commands queued for the lock
        # A meeting's roster changes only with a ``roster.changed`` event (planning.py):
        # each process keeps the roster with the version (the seq of that event) it read it
        # at, and reads it again when the folded state's ``roster_version`` has moved (the
        # command path catches up from the log first, so every worker follows).
        self._roles: dict[tuple[int, int], tuple[Role, int]] = {}
        self._rosters: dict[int, tuple[int, dict[int, Role]]] = {}

    def roster_ids(self, meeting_id: int) -> frozenset[int]:
        """The roster's user ids, once this process ran a command in the meeting."""
        return frozenset(self._rosters.get(meeting_id, (0, {}))[1])

    async def _roster(
        self, conn: AsyncConnection, meeting_id: int, version: int
    ) -> dict[int, Role]:
        cached = self._rosters.get(meeting_id)
        if cached is not None and cached[0] == version:
            return cached[1]
        roster = {r.user_id: r.role for r in await repo.roster(conn, meeting_id)}
        self._rosters[meeting_id] = (version, roster)
        return roster

    def _roster_moved(self, meeting_id: int, version: int) -> None:
        """Drop what this process knows of the meeting's roster older than ``version``."""
        cached = self._rosters.get(meeting_id)
        if cached is not None and cached[0] != version:
            del self._rosters[meeting_id]
        for key in [k for k, v in self._roles.items() if k[0] == meeting_id and v[1] != version]:
            del self._roles[key]

    async def append_planned(
        self,
        meeting_id: int,
        actor_id: int,
        plan: Callable[[AsyncConnection, MeetingState], Awaitable[list[NewEvent]]],
        publish: Publish,
    ) -> list[Event]:
        """The back office's change of a meeting (planning.py), under the meeting's lock:
        ``plan`` writes its rows and answers the events to log, in one transaction with
        them; the events are then published like a command's. Raises what ``plan`` raises
        (nothing saved)."""
        lock = self._locks.setdefault(meeting_id, asyncio.Lock())
        async with lock:
            async with self._db.write() as conn:
                head = await eventlog.lock_head(conn, meeting_id)
                if head is None:
                    raise NotFound("no such meeting")
                state = await self._catch_up(conn, meeting_id)
                new_events = await plan(conn, state)
                stored: list[Event] = []
                if new_events:
                    at = iso_utc(self._clock())
                    head, stored = await eventlog.append(conn, head, new_events, actor_id, at)
                new_state = rules.fold(state, stored)
                if new_state.status is not state.status:
                    await conn.execute(
                        update(meetings)
                        .where(meetings.c.id == meeting_id)
                        .values(status=new_state.status.value)
                    )
            self._remember(meeting_id, new_state)
            self._roster_moved(meeting_id, new_state.roster_version)
            if stored:
                await publish(meeting_id, stored)
                if self._on_commit is not None:
                    await self._on_commit(meeting_id, stored)
        return stored

    async def _catch_up(self, conn: AsyncConnection, meeting_id: int) -> MeetingState:
        state = self._states.get(meeting_id, MeetingState())
        events = await eventlog.read_after(conn, meeting_id, state.seq)
        return rules.fold(state, events)

    def _remember(self, meeting_id: int, state: MeetingState) -> None:
        cached = self._states.get(meeting_id)
        if cached is None or cached.seq < state.seq:
            self._states[meeting_id] = state
            self._roster_moved(meeting_id, state.roster_version)

    def forget(self, meeting_id: int) -> None:
        """Drop the cached state (the next use folds from the log)."""
        self._states.pop(meeting_id, None)

    async def admit(self, user_id: int, meeting_id: int) -> Role:
        """The user's role in the meeting, or ``not-found`` when there is no such meeting or
        the user is not on its roster (the two are indistinguishable). Decides a join's
        access before the socket enters the meeting's rooms: one indexed row, and none
        once this process knows the role (a roster never changes)."""
        cached = self._roles.get((meeting_id, user_id))
        if cached is not None:
            return cached[0]
        async with self._db.read() as conn:
            role = await repo.role_of(conn, meeting_id, user_id)
        if role is None:
            raise NotFound("no such meeting")
        state = self._states.get(meeting_id)
        if state is not None:
            self._roles[(meeting_id, user_id)] = (role, state.roster_version)
        return role

    async def join(
        self, user_id: int, meeting_id: int, last_seq: int | None, *, display: bool = False
    ) -> dict[str, Any]:
        """Events since ``last_seq`` when the client is close enough, else a snapshot.
        Access is checked again here, in the transaction that reads (``admit`` first).
        ``display``: a room display, admitted by its link (``display_links``); it reads as
        a ``user_id`` that owns nothing (private annotations redacted, no poll ``you``)."""
        async with self._db.read() as conn:
            meeting = await repo.get_meeting(conn, meeting_id)
            role = await repo.role_of(conn, meeting_id, user_id) if meeting else None
            if meeting is None or (role is None and not display):
                raise NotFound("no such meeting")
            head = meeting["last_seq"]
            you: dict[str, Any] = {"user_id": user_id, "role": role.value if role else "display"}
            if role is not None:  # what this role may send (commands.py); a display sends none
                you["commands"] = commands_for(role)
            if (
                last_seq is not None
                and 0 <= last_seq <= head
                and head - last_seq <= self._replay_window
            ):
                events = await eventlog.read_after(conn, meeting_id, last_seq)
                seq = events[-1].seq if events else last_seq
                return {
                    "mode": "events",
                    "seq": seq,
                    "events": [annotation_rules.wire_for(e, user_id) for e in events],
                    "you": you,
                }
            state = await self._catch_up(conn, meeting_id)
            roster = await repo.roster(conn, meeting_id)
            head_hash = await eventlog.hash_at(conn, meeting_id, state.seq)
        if head_hash is None:
            # The cached state is ahead of this read's snapshot; the cache holds only
            # committed events, so a new read sees the event.
            async with self._db.read() as conn:
                head_hash = await eventlog.hash_at(conn, meeting_id, state.seq)
            if head_hash is None:
                raise RuntimeError(f"meeting {meeting_id}: no event {state.seq} in the log")
        self._remember(meeting_id, state)
        meeting["status"], meeting["last_seq"] = state.status.value, state.seq
        snapshot = {
            # A client chains the events after the snapshot from ``head_hash`` (the hash of
            # event ``seq``) under ``hash_rule`` (docs/protocol.md).
            "hash_rule": meeting["hash_rule"],
            "head_hash": head_hash,
            "meeting": meeting,
            "roster": [r.to_wire() for r in roster],
            "state": state.to_wire(viewer_id=user_id),
        }
        return {"mode": "snapshot", "seq": state.seq, "snapshot": snapshot, "you": you}

    async def state_for(self, user_id: int, meeting_id: int) -> tuple[Role, MeetingState]:
        """The user's role and the current state; ``not-found`` when not on the roster."""
        async with self._db.read() as conn:
            role = await repo.role_of(conn, meeting_id, user_id)
            if role is None:
                raise NotFound("no such meeting")
            state = await self._catch_up(conn, meeting_id)
        self._remember(meeting_id, state)
        return role, state

    async def current_state(self, meeting_id: int) -> MeetingState:
        """The state at the log head, with no access check (the caller has decided it:
        the room display's document route)."""
        async with self._db.read() as conn:
            state = await self._catch_up(conn, meeting_id)
        self._remember(meeting_id, state)
        return state

    async def cached_state_for(self, user_id: int, meeting_id: int) -> tuple[Role, MeetingState]:
        """Like ``state_for`` but served from this process's cache when it has the meeting
        (for high-frequency checks such as ephemeral messages; at most a command behind)."""
        cached = self._roles.get((meeting_id, user_id))
        state = self._states.get(meeting_id)
        if cached is None or state is None or cached[1] != state.roster_version:
            role, state = await self.state_for(user_id, meeting_id)
            self._roles[(meeting_id, user_id)] = (role, state.roster_version)
            return role, state
        return cached[0], state

    async def execute(
        self,
        user_id: int,
        meeting_id: int,
        command: CommandEnvelope,
        publish: Publish,
        acting_role: Role | None = None,
    ) -> dict[str, Any]:
        """Run one command; returns its ack (committed) or raises its error (nothing saved).

        ``acting_role`` stands for the roster's role of someone who is not on it: a
        planner (``planners.py``) preparing the meeting from the back office acts as its
        clerk. Callers decide it; the socket never passes one.

        Commands of one meeting queue for its lock. Whoever holds the lock runs every
        command waiting at that moment (up to ``BATCH_MAX_COMMANDS``) in one transaction,
        each in a savepoint of its own: a refused command leaves no trace and the others
        go on, and the batch costs one durable commit instead of one each. Each command's
        ack and events are exactly what it would have had alone."""
        pending = _Pending(
            user_id, command, publish, asyncio.get_running_loop().create_future(), acting_role
        )
        self._waiting.setdefault(meeting_id, []).append(pending)
        lock = self._locks.setdefault(meeting_id, asyncio.Lock())
        async with lock:
            if not pending.result.done():
                waiting = self._waiting.pop(meeting_id, [])
                batch, rest = waiting[:BATCH_MAX_COMMANDS], waiting[BATCH_MAX_COMMANDS:]
                if rest:
                    self._waiting[meeting_id] = rest
                await self._run_batch(meeting_id, batch)
        ack, stored = pending.result.result()
        # Never the payload: it may hold a secret ballot.
        log.debug(
            "meeting %s: %s by user %s committed at seq %s",
            meeting_id,
            command.type,
            user_id,
            ack["seq"],
        )
        after_commit = COMMANDS[command.type].after_commit
        if after_commit is not None and stored:
            await after_commit(self._db, stored)
        return ack

    async def _run_batch(self, meeting_id: int, batch: list[_Pending]) -> None:
        """Run ``batch`` in one transaction and settle every command's result; publish the
        committed events in order. Call with the meeting's lock held."""
        done: list[tuple[_Pending, dict[str, Any], list[Event]]] = []
        try:
            async with self._db.write() as conn:
                head = await eventlog.lock_head(conn, meeting_id)
                if head is None:
                    raise NotFound("no such meeting")
                state = await self._catch_up(conn, meeting_id)
                if state.seq != head.seq:
                    raise RuntimeError(
                        f"meeting {meeting_id}: state at {state.seq}, log at {head.seq}"
                    )
                roster = await self._roster(conn, meeting_id, state.roster_version)
                for item in batch:
                    if len(batch) == 1:  # alone: its error rolls back the transaction
                        head, state, ack, stored = await self._one(
                            conn, meeting_id, head, state, roster, item
                        )
                    else:
                        try:
                            async with conn.begin_nested():
                                head, state, ack, stored = await self._one(
                                    conn, meeting_id, head, state, roster, item
                                )
                        except ECabinetError as exc:
                            item.result.set_exception(exc)
                            continue
                    done.append((item, ack, stored))
                    if self._fault_rate and self._fault_random.random() < self._fault_rate:
                        raise InjectedFault(f"meeting {meeting_id}: injected failure before commit")
        except BaseException as exc:
            # Nothing of the batch was saved: every command not refused on its own fails.
            for item in batch:
                if not item.result.done():
                    item.result.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        self._remember(meeting_id, state)
        for item, ack, stored in done:
            await item.publish(meeting_id, stored)
            item.result.set_result((ack, stored))
        if self._on_commit is not None:
            await self._on_commit(meeting_id, [e for _item, _ack, stored in done for e in stored])

    async def _one(
        self,
        conn: AsyncConnection,
        meeting_id: int,
        head: eventlog.Head,
        state: MeetingState,
        roster: dict[int, Role],
        item: _Pending,
    ) -> tuple[eventlog.Head, MeetingState, dict[str, Any], list[Event]]:
        """access → check → do for one command inside the batch's transaction; returns the
        new head and state, the ack (with the command's reply) and the stored events."""
        command, user_id = item.command, item.user_id
        spec = COMMANDS[command.type]
        role = roster.get(user_id) if item.acting_role is None else item.acting_role
        if role is None:
            raise NotFound("no such meeting")
        previous = await conn.scalar(
            select(command_results.c.ack).where(
                command_results.c.meeting_id == meeting_id,
                command_results.c.user_id == user_id,
                command_results.c.command_id == command.id,
            )
        )
        if previous is not None:
            ack = json.loads(previous)
            if spec.replay is not None:
                ack = {**ack, **await spec.replay(conn, meeting_id, command.data, ack)}
            return head, state, ack, []
        if role not in spec.roles:
            raise NotAllowed(refusal_message(role.value, command.type))
        at = iso_utc(self._clock())
        extra = await spec.prepare(conn, meeting_id, state, command.data) if spec.prepare else None
        ctx = Context(
            Actor(user_id, role), command.data, roster, at, extra, self._new_token,
            self._ballot_keys,
        )  # fmt: skip
        new_events = spec.decide(state, ctx)
        head, stored = await eventlog.append(conn, head, new_events, user_id, at)
        reply = (
            await spec.record(conn, meeting_id, state, ctx, stored)
            if spec.record and stored
            else {}
        )
        new_state = rules.fold(state, stored)
        if new_state.status is not state.status:
            await conn.execute(
                update(meetings)
                .where(meetings.c.id == meeting_id)
                .values(status=new_state.status.value)
            )
        ack = {"ok": True, "seq": head.seq}
        await conn.execute(
            command_results.insert().values(
                meeting_id=meeting_id,
                user_id=user_id,
                command_id=command.id,
                ack=json.dumps(ack),
                at=self._clock().timestamp(),
            )
        )
        return head, new_state, {**ack, **reply}, stored


@dataclass
class _Pending:
    """A command waiting for its meeting's lock; ``result`` is settled by whoever runs it."""

    user_id: int
    command: CommandEnvelope
    publish: Publish
    result: asyncio.Future[tuple[dict[str, Any], list[Event]]]
    acting_role: Role | None = None


def refusal_message(role: str, command_type: str) -> str:
    """``not-allowed`` in words: "an observer may not send vote.cast"."""
    article = "an" if role[:1] in "aeiou" else "a"
    return f"{article} {role} may not send {command_type}"
