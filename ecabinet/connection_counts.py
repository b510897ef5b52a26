"""Sockets per person for the whole installation, counted in Redis.

Each worker counts its own sockets (``realtime.limits``); with several workers a person
could otherwise open the limit on every one of them. ``RedisConnectionCounts`` keeps one
sorted set per person, ``P:sockets:USER``, of ``worker/sid`` members scored by when they
expire (Redis's own clock, so workers' clocks need not agree). A new socket is admitted by a
script that drops expired members, counts the rest and adds the socket only under the
limit: two workers admitting at once cannot both take the last place. Each worker renews
its live sockets every ``refresh_secs``; a killed worker's sockets expire within ``ttl_secs``
and give their places back.

Redis unreachable: the socket is admitted (the worker's own count still holds), and the next
refresh writes it.
"""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ecabinet.cluster import PRESENCE_REFRESH_SECS, PRESENCE_TTL_SECS, REDIS_OP_TIMEOUT_SECS

log = logging.getLogger(__name__)

NO_LIMIT = 2**31  # the limit a renewal passes: the socket was admitted already

# KEYS[1] the person's set; ARGV: member, limit, ttl in ms. 1 when admitted, else 0.
_ADMIT = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false
   and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now_ms + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
"""


class RedisConnectionCounts:
    def __init__(
        self,
        redis: Redis,
        worker_id: str,
        limit: int,
        *,
        prefix: str,
        ttl_secs: float = PRESENCE_TTL_SECS,
        refresh_secs: float = PRESENCE_REFRESH_SECS,
    ) -> None:
        self._redis = redis
        self._worker_id = worker_id
        self._limit = limit
        self._prefix = prefix
        self._ttl_ms = int(ttl_secs * 1000)
        self._refresh_secs = refresh_secs
        self._mine: dict[str, int] = {}  # sid -> user id, this worker's admitted sockets
        self._admit = redis.register_script(_ADMIT)

    def _key(self, user_id: int) -> str:
        return f"{self._prefix}:sockets:{user_id}"

    def _member(self, sid: str) -> str:
        return f"{self._worker_id}/{sid}"

    async def admit(self, sid: str, user_id: int) -> bool:
        """Count a new socket of ``user_id``; False (and not counted) past the limit."""
        try:
            async with asyncio.timeout(REDIS_OP_TIMEOUT_SECS):
                admitted = await self._admit(
                    keys=[self._key(user_id)], args=[self._member(sid), self._limit, self._ttl_ms]
                )
        except (RedisError, TimeoutError) as exc:
            log.warning("connection count unavailable (%r): admitted on this worker's", exc)
            admitted = 1
        if admitted:
            self._mine[sid] = user_id
        return bool(admitted)

    async def release(self, sid: str) -> None:
        user_id = self._mine.pop(sid, None)
        if user_id is None:
            return
        try:
            async with asyncio.timeout(REDIS_OP_TIMEOUT_SECS):
                await self._redis.zrem(self._key(user_id), self._member(sid))
        except (RedisError, TimeoutError) as exc:
            log.warning("connection count not released (%r); it expires", exc)

    async def refresh(self) -> None:
        """Renew this worker's sockets (and write those a failed admit did not)."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for sid, user_id in self._mine.items():
                # Already counted, so no limit applies: the script only renews the expiry.
                member = self._member(sid)
                await self._admit(
                    keys=[self._key(user_id)], args=[member, NO_LIMIT, self._ttl_ms], client=pipe
                )
            await pipe.execute()

    async def refresh_forever(self) -> None:
        while True:
            await asyncio.sleep(self._refresh_secs)
            try:
                async with asyncio.timeout(self._refresh_secs):
                    await self.refresh()
            except Exception as exc:  # keep refreshing whatever happened
                log.warning("connection counts not renewed: %r", exc)
