"""What several workers share through Redis: presence and session ends.

Events themselves travel through python-socketio's ``AsyncRedisManager``. Presence is kept
per worker in a Redis hash that expires unless its worker refreshes it, so a killed worker's
connections vanish within ``PRESENCE_TTL_SECS``. Session ends are published on a channel that
every worker listens to, so logout closes the user's sockets wherever they are connected.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

PRESENCE_TTL_SECS = 60
PRESENCE_REFRESH_SECS = 20
CONTROL_CHANNEL = "ecabinet:control"
RECONNECT_DELAY_SECS = 1.0


class RedisPresence:
    def __init__(self, redis: Redis, worker_id: str) -> None:
        self._redis = redis
        self._worker_id = worker_id
        self._meetings: set[int] = set()

    def _key(self, meeting_id: int, worker_id: str | None = None) -> str:
        return f"ecabinet:presence:{meeting_id}:{worker_id or self._worker_id}"

    @staticmethod
    def _workers_key(meeting_id: int) -> str:
        return f"ecabinet:presence-workers:{meeting_id}"

    async def enter(self, meeting_id: int, sid: str, entry: dict[str, Any]) -> None:
        self._meetings.add(meeting_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key(meeting_id), sid, json.dumps(entry))
            pipe.expire(self._key(meeting_id), PRESENCE_TTL_SECS)
            pipe.sadd(self._workers_key(meeting_id), self._worker_id)
            await pipe.execute()

    async def leave(self, meeting_id: int, sid: str) -> None:
        await self._redis.hdel(self._key(meeting_id), sid)

    async def entries(self, meeting_id: int) -> list[dict[str, Any]]:
        workers = await self._redis.smembers(self._workers_key(meeting_id))
        found: list[dict[str, Any]] = []
        for raw_worker in workers:
            worker = raw_worker.decode() if isinstance(raw_worker, bytes) else raw_worker
            values = await self._redis.hvals(self._key(meeting_id, worker))
            if not values and not await self._redis.exists(self._key(meeting_id, worker)):
                await self._redis.srem(self._workers_key(meeting_id), worker)
            found.extend(json.loads(v) for v in values)
        return found

    async def refresh_forever(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_REFRESH_SECS)
            try:
                for meeting_id in list(self._meetings):
                    await self._redis.expire(self._key(meeting_id), PRESENCE_TTL_SECS)
            except RedisError as exc:
                log.warning("presence refresh failed: %s", exc)


class RedisControl:
    """Tells every worker to close the sockets of ended sessions."""

    def __init__(self, redis: Redis, close_here: Callable[[list[str]], Awaitable[int]]) -> None:
        self._redis = redis
        self._close_here = close_here

    async def sessions_ended(self, keys: list[str]) -> None:
        if not keys:
            return
        await self._close_here(keys)
        try:
            await self._redis.publish(
                CONTROL_CHANNEL, json.dumps({"op": "close-sessions", "keys": keys})
            )
        except RedisError as exc:
            log.error("could not tell other workers to close ended sessions: %s", exc)

    async def listen_forever(self, ready: asyncio.Event | None = None) -> None:
        while True:
            try:
                pubsub = self._redis.pubsub()
                await pubsub.subscribe(CONTROL_CHANNEL)
                if ready is not None:
                    ready.set()
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    body = json.loads(message["data"])
                    if body.get("op") == "close-sessions":
                        await self._close_here([str(k) for k in body.get("keys", [])])
            except RedisError as exc:
                log.warning("control channel lost (%s); reconnecting", exc)
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                await asyncio.sleep(RECONNECT_DELAY_SECS)
