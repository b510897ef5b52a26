"""What several workers share through Redis: presence and session ends.

Every key and channel starts with the installation's prefix (``ECABINET_REDIS_PREFIX``):
pub/sub channels are global to a Redis server whatever the DB number, so installations
sharing one Redis must differ in prefix. Events travel through python-socketio's
``AsyncRedisManager`` on ``socketio_channel(prefix)``.

Presence: each worker keeps its own connections in memory (the truth for that worker) and
mirrors them into one Redis hash per meeting with a TTL. The mirror is rewritten on every
refresh, so it heals after a failed write or a Redis restart, and it expires when its
worker stops refreshing: a killed worker's connections vanish within the TTL.

Session ends are published on ``control_channel(prefix)``; every worker listens and closes
the sockets of those sessions that it holds. The listener reconnects after any error and
pings Redis when the channel is quiet, so a silently dead connection is noticed too.

Events published while Redis is unreachable, or by a worker that dies between its commit
and its publication, never reach the other workers' clients. Each worker therefore tells
its own clients the log head of their meetings every few seconds (``meeting_heads``, read
from the database; the hub's ``head`` event), and a client behind it fetches the gap.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline, PubSub
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.typing import EncodableT, FieldT
from sqlalchemy import select

from ecabinet.store.database import Database
from ecabinet.store.schema import meetings

log = logging.getLogger(__name__)

PRESENCE_TTL_SECS = 30
PRESENCE_REFRESH_SECS = 10
RECONNECT_DELAY_SECS = 1.0
CONTROL_PING_SECS = 15.0  # a quiet control channel is pinged after this long
# Presence and publications give up after this long, so that a join or a logout never
# hangs on an unreachable Redis (they degrade and are repaired later instead).
REDIS_OP_TIMEOUT_SECS = 2.0

# Drop a worker from a meeting's worker set only if its hash is gone (atomic in Redis, so a
# worker that re-enters at the same moment is never dropped).
_PRUNE_WORKER = """
if redis.call('EXISTS', KEYS[2]) == 0 then return redis.call('SREM', KEYS[1], ARGV[1]) end
return 0
"""


# A meeting's next presence version: Redis's clock in microseconds, and always above the
# last one given (so a clock stepping back, or a restart that lost the key, never repeats
# or lowers a version). Below 2**53 until the year 2255, so exact in Lua and JavaScript.
_NEXT_VERSION = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local version = math.max(now, last + 1)
redis.call('SET', KEYS[1], string.format('%d', version), 'PX', ARGV[1])
return string.format('%d', version)
"""


def socketio_channel(prefix: str) -> str:
    return f"{prefix}:socketio"


def control_channel(prefix: str) -> str:
    return f"{prefix}:control"


async def meeting_heads(db: Database, meeting_ids: list[int]) -> dict[int, int]:
    """The last seq of each of these meetings (those that exist)."""
    async with db.read() as conn:
        rows = (
            await conn.execute(
                select(meetings.c.id, meetings.c.last_seq).where(meetings.c.id.in_(meeting_ids))
            )
        ).all()
    return {int(row.id): int(row.last_seq) for row in rows}


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisPresence:
    def __init__(
        self,
        redis: Redis,
        worker_id: str,
        *,
        prefix: str,
        ttl_secs: float = PRESENCE_TTL_SECS,
        refresh_secs: float = PRESENCE_REFRESH_SECS,
    ) -> None:
        self._redis = redis
        self._worker_id = worker_id
        self._prefix = prefix
        self._ttl_ms = int(ttl_secs * 1000)
        self._refresh_secs = refresh_secs
        # meeting -> sid -> entry; an emptied meeting stays until the next refresh deletes
        # its hash, in case the last removal did not reach Redis.
        self._local: dict[int, dict[str, dict[str, Any]]] = {}
        self._write_lock = asyncio.Lock()  # keeps this worker's writes in order
        self._prune = redis.register_script(_PRUNE_WORKER)
        self._next_version = redis.register_script(_NEXT_VERSION)
        self._last_version: dict[int, int] = {}

    def _key(self, meeting_id: int, worker_id: str | None = None) -> str:
        return f"{self._prefix}:presence:{meeting_id}:{worker_id or self._worker_id}"

    def _workers_key(self, meeting_id: int) -> str:
        return f"{self._prefix}:presence-workers:{meeting_id}"

    async def enter(self, meeting_id: int, sid: str, entry: dict[str, Any]) -> None:
        self._local.setdefault(meeting_id, {})[sid] = entry
        await self._write(meeting_id, sid)

    async def leave(self, meeting_id: int, sid: str) -> None:
        here = self._local.get(meeting_id)
        if here is not None and here.pop(sid, None) is not None:
            await self._write(meeting_id, sid)

    async def next_version(self, meeting_id: int) -> int:
        """The meeting's next presence version, for every worker (Redis unreachable: this
        worker's clock, above its own last version)."""
        try:
            async with asyncio.timeout(REDIS_OP_TIMEOUT_SECS):
                raw = await self._next_version(
                    keys=[f"{self._prefix}:presence-version:{meeting_id}"], args=[self._ttl_ms]
                )
            version = int(raw)
        except (RedisError, TimeoutError) as exc:
            log.warning("presence version from this worker's clock: %r", exc)
            version = time.time_ns() // 1000
        version = max(version, self._last_version.get(meeting_id, 0) + 1)
        self._last_version[meeting_id] = version
        return version

    async def entries(self, meeting_id: int) -> list[dict[str, Any]]:
        """This worker's entries from memory, the other workers' from Redis."""
        found = list(self._local.get(meeting_id, {}).values())
        try:
            async with asyncio.timeout(REDIS_OP_TIMEOUT_SECS):
                found.extend(await self._others(meeting_id))
        except (RedisError, TimeoutError) as exc:
            log.warning("presence of other workers unavailable: %r", exc)
        return found

    async def _others(self, meeting_id: int) -> list[dict[str, Any]]:
        """The entries of the other workers, forgetting workers whose hash expired."""
        found: list[dict[str, Any]] = []
        raw_workers = await self._redis.smembers(self._workers_key(meeting_id))
        others = sorted(w for w in map(_text, raw_workers) if w != self._worker_id)
        async with self._redis.pipeline(transaction=False) as pipe:
            for worker in others:
                pipe.hvals(self._key(meeting_id, worker))
            values: list[list[bytes]] = await pipe.execute()
        for worker, worker_values in zip(others, values, strict=True):
            if not worker_values:
                keys = [self._workers_key(meeting_id), self._key(meeting_id, worker)]
                await self._prune(keys=keys, args=[worker])
            found.extend(json.loads(v) for v in worker_values)
        return found

    async def _write(self, meeting_id: int, sid: str) -> None:
        try:
            async with (
                asyncio.timeout(REDIS_OP_TIMEOUT_SECS),
                self._write_lock,
                self._redis.pipeline(transaction=True) as pipe,
            ):
                entry = self._local.get(meeting_id, {}).get(sid)
                if entry is None:
                    pipe.hdel(self._key(meeting_id), sid)
                else:
                    pipe.hset(self._key(meeting_id), sid, json.dumps(entry))
                    self._queue_expiry(pipe, meeting_id)
                await pipe.execute()
        except (RedisError, TimeoutError) as exc:
            log.warning("presence not written to Redis (%r); the next refresh repairs it", exc)

    def _queue_expiry(self, pipe: Pipeline, meeting_id: int) -> None:
        pipe.pexpire(self._key(meeting_id), self._ttl_ms)
        pipe.sadd(self._workers_key(meeting_id), self._worker_id)
        pipe.pexpire(self._workers_key(meeting_id), self._ttl_ms)

    async def refresh(self) -> None:
        """Rewrite this worker's whole mirror and renew its TTL."""
        async with self._write_lock, self._redis.pipeline(transaction=True) as pipe:
            for meeting_id, here in self._local.items():
                pipe.delete(self._key(meeting_id))
                if here:
                    mapping: dict[FieldT, EncodableT] = {
                        sid: json.dumps(entry) for sid, entry in here.items()
                    }
                    pipe.hset(self._key(meeting_id), mapping=mapping)
                    self._queue_expiry(pipe, meeting_id)
                else:
                    pipe.srem(self._workers_key(meeting_id), self._worker_id)
            await pipe.execute()
            for meeting_id in [m for m, here in self._local.items() if not here]:
                del self._local[meeting_id]

    async def withdraw(self) -> None:
        """Remove this worker's mirror (on an orderly stop)."""
        async with self._write_lock, self._redis.pipeline(transaction=True) as pipe:
            for meeting_id in self._local:
                pipe.delete(self._key(meeting_id))
                pipe.srem(self._workers_key(meeting_id), self._worker_id)
            await pipe.execute()

    async def refresh_forever(self) -> None:
        try:
            while True:
                await asyncio.sleep(self._refresh_secs)
                try:
                    async with asyncio.timeout(self._refresh_secs):
                        await self.refresh()
                except Exception as exc:  # keep refreshing whatever happened
                    log.warning("presence refresh failed: %s", exc)
        finally:
            try:
                async with asyncio.timeout(REDIS_OP_TIMEOUT_SECS):
                    await self.withdraw()
            except (RedisError, TimeoutError) as exc:
                log.warning("presence left in Redis until it expires: %s", exc)


class RedisControl:
    """Tells every worker to close the sockets of ended sessions."""

    def __init__(
        self,
        redis: Redis,
        close_here: Callable[[list[str]], Awaitable[int]],
        *,
        prefix: str,
        ping_secs: float = CONTROL_PING_SECS,
        remove_here: Callable[[int, list[int]], Awaitable[int]] | None = None,
    ) -> None:
        self._redis = redis
        self._close_here = close_here
        self._remove_here = remove_here  # people taken off a roster (meetings/planning.py)
        self._channel = control_channel(prefix)
        self._ping_secs = ping_secs

    async def sessions_ended(self, keys: list[str]) -> None:
        if not keys:
            return
        await self._close_here(keys)
        try:
            async with asyncio.timeout(REDIS_OP_TIMEOUT_SECS):
                await self._redis.publish(
                    self._channel, json.dumps({"op": "close-sessions", "keys": keys})
                )
        except (RedisError, TimeoutError) as exc:
            log.error("could not tell other workers to close ended sessions: %s", exc)

    async def roster_removed(self, meeting_id: int, user_ids: list[int]) -> None:
        """Every worker's sockets of these people leave the meeting."""
        if self._remove_here is not None:
            await self._remove_here(meeting_id, user_ids)
        message = {"op": "roster-removed", "meeting_id": meeting_id, "user_ids": user_ids}
        try:
            async with asyncio.timeout(REDIS_OP_TIMEOUT_SECS):
                await self._redis.publish(self._channel, json.dumps(message))
        except (RedisError, TimeoutError) as exc:
            log.error("could not tell other workers of a roster change: %s", exc)

    async def listen_forever(self, ready: asyncio.Event | None = None) -> None:
        """Subscribe and handle messages until cancelled; ``ready`` is set on every
        (re)subscription."""
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.subscribe(self._channel)
                if ready is not None:
                    ready.set()
                await self._listen(pubsub)
            except Exception as exc:
                log.warning(
                    "control channel lost (%s); reconnecting in %s s", exc, RECONNECT_DELAY_SECS
                )
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(RECONNECT_DELAY_SECS)

    async def _listen(self, pubsub: PubSub) -> None:
        pinged = False
        while True:
            message = await pubsub.get_message(timeout=self._ping_secs)
            if message is None:  # quiet: ping, and give up on a second silence
                if pinged:
                    raise RedisConnectionError("Redis did not answer a ping")
                await pubsub.ping()
                pinged = True
                continue
            pinged = False
            if message.get("type") == "message":
                await self._handle(message["data"])

    async def _handle(self, data: bytes | str) -> None:
        try:
            body = json.loads(data)
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("op") == "roster-removed":
            await self._roster_removed(body)
            return
        is_close = isinstance(body, dict) and body.get("op") == "close-sessions"
        keys = body.get("keys") if is_close else None
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            log.warning("ignored a malformed control message")
            return
        try:
            await self._close_here(keys)
        except Exception:
            log.exception("closing ended sessions failed")

    async def _roster_removed(self, body: dict[str, Any]) -> None:
        meeting_id, user_ids = body.get("meeting_id"), body.get("user_ids")
        if (
            self._remove_here is None
            or not isinstance(meeting_id, int)
            or not isinstance(user_ids, list)
            or not all(isinstance(u, int) for u in user_ids)
        ):
            return
        try:
            await self._remove_here(meeting_id, user_ids)
        except Exception:
            log.exception("leaving a meeting after a roster change failed")
