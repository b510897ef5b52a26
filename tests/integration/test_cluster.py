"""Several workers sharing PostgreSQL and Redis.

The cluster tests run on the session's two workers (``cluster`` in conftest.py; once, a
third worker that is killed joins them). The tests at the end drive ``ecabinet.cluster`` directly
against the real Redis to check what cannot wait for production timings: presence expiry,
repair after data loss, and the control listener's reconnection.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import socketio
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from ecabinet.cluster import (
    PRESENCE_TTL_SECS,
    REDIS_OP_TIMEOUT_SECS,
    RedisControl,
    RedisPresence,
    control_channel,
    socketio_channel,
)
from ecabinet.config import SettingsError, load_settings
from harness.client import DEMO_ROSTER, RoomClient, api, connect, login, user_ids
from harness.server import DEMO_PASSWORD, Server
from harness.services import require_redis, unique_redis_prefix
from tests.integration.conftest import Cluster

needs_redis = pytest.mark.redis


SESSION_END_DEADLINE_SECS = 1.0  # a correctness deadline for closing ended sessions' sockets
CONCURRENT_COMMANDS = 50
WAIT_SECS = 10


def on_disconnect(client: RoomClient) -> asyncio.Event:
    """An event that the socket's disconnect handler sets."""
    gone = asyncio.Event()

    async def handler(*_reason: Any) -> None:
        gone.set()

    client.sio.on("disconnect", handler)
    return gone


async def assert_signed_out(base_url: str, token: str) -> None:
    async with api(base_url, token) as http:
        assert (await http.get("/api/me")).status_code == 401
    refused = RoomClient()
    try:
        with pytest.raises(socketio.exceptions.ConnectionError):
            await refused.connect(base_url, token)
    finally:
        await refused.close()


def people(payload: dict[str, Any]) -> set[tuple[int, tuple[str, ...]]]:
    return {(p["user_id"], tuple(p["devices"])) for p in payload["people"]}


async def eventually(check: Callable[[], Awaitable[bool]], within: float = WAIT_SECS) -> None:
    """Poll a condition that only Redis can answer (no notification exists for it)."""
    async with asyncio.timeout(within):
        while not await check():  # noqa: ASYNC110 - Redis state has no event to await
            await asyncio.sleep(0.05)


async def test_event_committed_on_a_reaches_member_on_b(
    cluster: Cluster, cluster_meeting: int
) -> None:
    chair = await connect(cluster.a.url, "chair")
    member = await connect(cluster.b.url, "member1")
    try:
        assert (await member.join(cluster_meeting))["ok"]
        assert (await chair.join(cluster_meeting))["ok"]
        assert await chair.cmd("meeting.start") == {"ok": True, "seq": 1}
        await member.wait_for(lambda: bool(member.events))
        [event] = member.events
        assert (event["meeting_id"], event["seq"], event["type"]) == (
            cluster_meeting,
            1,
            "meeting.started",
        )
        await chair.wait_for(lambda: bool(chair.events))
        assert chair.events == [event]
    finally:
        await chair.close()
        await member.close()


async def test_presence_spans_workers(
    cluster: Cluster, cluster_admin: str, cluster_meeting: int
) -> None:
    ids = await user_ids(cluster.a.url, cluster_admin)
    on_a = await connect(cluster.a.url, "member2", device="tablet-a")
    on_b = await connect(cluster.b.url, "member3", device="tablet-b")
    alone = {(ids["member2"], ("tablet-a",))}
    both = alone | {(ids["member3"], ("tablet-b",))}
    try:
        assert (await on_a.join(cluster_meeting))["ok"]
        assert (await on_b.join(cluster_meeting))["ok"]
        for client in (on_a, on_b):
            await client.wait_for(
                lambda c=client: any(
                    p["meeting_id"] == cluster_meeting and people(p) == both for p in c.presence
                )
            )
        seen = len(on_a.presence)
        await on_b.close()  # its worker removes it; the other worker's client is told
        await on_a.wait_for(lambda: any(people(p) == alone for p in on_a.presence[seen:]))
    finally:
        await on_a.close()
        await on_b.close()


async def test_logout_on_a_closes_the_socket_on_b_within_a_second(
    cluster: Cluster, cluster_meeting: int
) -> None:
    token = await login(cluster.a.url, "member4")
    client = await RoomClient().connect(cluster.b.url, token)
    gone = on_disconnect(client)
    try:
        assert (await client.join(cluster_meeting))["ok"]
        async with api(cluster.a.url, token) as http:
            started = time.monotonic()
            assert (await http.post("/api/logout")).status_code == 204
            async with asyncio.timeout(WAIT_SECS):
                await gone.wait()
            elapsed = time.monotonic() - started
        assert elapsed <= SESSION_END_DEADLINE_SECS, f"socket closed after {elapsed:.3f} s"
        assert ("session-ended", {}) in client.other
        for url in (cluster.a.url, cluster.b.url):
            await assert_signed_out(url, token)
    finally:
        await client.close()


async def test_deactivation_on_b_closes_the_socket_on_a_and_refuses_the_cookie(
    cluster: Cluster, cluster_admin: str
) -> None:
    username = f"cluster-{secrets.token_hex(4)}"
    async with api(cluster.b.url, cluster_admin) as admin:
        created = await admin.post(
            "/api/users",
            json={
                "username": username,
                "display_name": "Người dùng tạm",
                "password": DEMO_PASSWORD,
            },
        )
        assert created.status_code == 201, created.text
        user_id = created.json()["user"]["id"]
        token = await login(cluster.a.url, username)
        client = await RoomClient().connect(cluster.a.url, token)
        gone = on_disconnect(client)
        try:
            started = time.monotonic()
            response = await admin.put(f"/api/users/{user_id}/active", json={"active": False})
            assert response.status_code == 204, response.text
            async with asyncio.timeout(WAIT_SECS):
                await gone.wait()
            elapsed = time.monotonic() - started
            assert elapsed <= SESSION_END_DEADLINE_SECS, f"socket closed after {elapsed:.3f} s"
            for url in (cluster.a.url, cluster.b.url):
                await assert_signed_out(url, token)
            with pytest.raises(httpx.HTTPStatusError):
                await login(cluster.a.url, username)
        finally:
            await client.close()


async def test_both_workers_are_ready(cluster: Cluster) -> None:
    for server in (cluster.a, cluster.b):
        async with api(server.url) as http:
            response = await http.get("/readyz")
        assert response.status_code == 200
        assert response.json() == {"ok": True, "checks": {"database": True, "redis": True}}


async def test_concurrent_commands_through_both_workers_form_one_gap_free_chain(
    cluster: Cluster, cluster_admin: str, cluster_meeting: int
) -> None:
    meeting = cluster_meeting
    ids = await user_ids(cluster.a.url, cluster_admin)
    names = list(DEMO_ROSTER)
    # Every person has a tablet on each worker, so one person's commands race across workers.
    tablets: dict[str, tuple[RoomClient, RoomClient]] = {}
    try:
        for name in names:
            token = await login(cluster.a.url, name)
            pair = (RoomClient(), RoomClient())
            tablets[name] = pair
            for client, server in zip(pair, (cluster.a, cluster.b), strict=True):
                await client.connect(server.url, token)
                assert (await client.join(meeting))["ok"]
        everyone = [client for pair in tablets.values() for client in pair]

        # Each person checks in, out, in … alternately through A and B, all commands in
        # flight at once: those that the rules refuse in the order decided are conflicts.
        plan = []
        for k in range(CONCURRENT_COMMANDS):
            name, nth = names[k % len(names)], k // len(names)
            plan.append((name, ("in", "out")[nth % 2], tablets[name][nth % 2]))
        acks = await asyncio.gather(
            *(client.cmd(f"attendance.check_{kind}") for _, kind, client in plan)
        )
        accepted: dict[int, tuple[str, str]] = {}
        for (name, kind, _), ack in zip(plan, acks, strict=True):
            if ack.get("ok"):
                assert set(ack) == {"ok", "seq"} and ack["seq"] not in accepted, ack
                accepted[ack["seq"]] = (name, kind)
            else:
                assert ack["error"]["code"] == "conflict", ack
        n = len(accepted)
        assert sorted(accepted) == list(range(1, n + 1))
        # Whatever the order, each person's first check-in to be decided is accepted.
        assert n >= len(names)

        # One more command through each worker: a client that has seen both has seen every
        # event published before them (Redis keeps each publisher's order).
        chair_on_a, chair_on_b = tablets["chair"]
        assert await chair_on_a.cmd("meeting.start") == {"ok": True, "seq": n + 1}
        assert await chair_on_b.cmd("meeting.end") == {"ok": True, "seq": n + 2}
        for client in everyone:
            await client.wait_for(
                lambda c=client: (
                    {"meeting.started", "meeting.ended"} <= {e["type"] for e in c.events}
                )
            )
        for client in everyone:
            assert sorted(e["seq"] for e in client.events) == list(range(1, n + 3))

        by_seq = {e["seq"]: e for e in chair_on_b.events}
        last_kind: dict[int, str] = {}
        for seq, (name, kind) in sorted(accepted.items()):
            event = by_seq[seq]
            expected_type = "attendance.checked_in" if kind == "in" else "attendance.checked_out"
            assert event["type"] == expected_type
            assert event["actor_id"] == event["data"]["user_id"] == ids[name]
            # Serialized across workers: each person alternates in, out, in … from "in".
            assert last_kind.get(ids[name], "out") != kind
            last_kind[ids[name]] = kind

        chair_token = await login(cluster.b.url, "chair")
        async with api(cluster.b.url, chair_token) as http:
            audit = (await http.get(f"/api/meetings/{meeting}/audit")).json()
        assert audit["ok"] is True and audit["events"] == n + 2, audit
    finally:
        for pair in tablets.values():
            for client in pair:
                await client.close()


async def test_a_killed_workers_presence_expires(
    cluster: Cluster, cluster_admin: str, cluster_meeting: int
) -> None:
    ids = await user_ids(cluster.a.url, cluster_admin)
    third = Server(cluster.env).start()
    watcher = await connect(cluster.a.url, "member5")
    victim: RoomClient | None = None
    redis = Redis.from_url(cluster.redis_url)
    try:
        victim = await connect(third.url, "member6", device="tablet-c")
        assert (await watcher.join(cluster_meeting))["ok"]
        assert (await victim.join(cluster_meeting))["ok"]
        await watcher.wait_for(
            lambda: any((ids["member6"], ("tablet-c",)) in people(p) for p in watcher.presence)
        )
        third_keys = [
            key
            async for key in redis.scan_iter(match=f"{cluster.prefix}:presence:{cluster_meeting}:*")
            if any(json.loads(v)["device"] == "tablet-c" for v in await redis.hvals(key))
        ]
        assert len(third_keys) == 1

        third.stop(signal.SIGKILL)  # no shutdown code runs: only the TTL can clean up

        ttl_ms = await redis.pttl(third_keys[0])
        assert 0 < ttl_ms <= PRESENCE_TTL_SECS * 1000
        workers_key = f"{cluster.prefix}:presence-workers:{cluster_meeting}"
        assert 0 < await redis.pttl(workers_key) <= PRESENCE_TTL_SECS * 1000
    finally:
        third.stop()
        await watcher.close()
        if victim is not None:
            await victim.close()
        await redis.aclose()


async def test_workers_subscribe_to_their_prefixed_channels_only(cluster: Cluster) -> None:
    clients = [await connect(s.url, "observer") for s in (cluster.a, cluster.b)]
    redis = Redis.from_url(cluster.redis_url, decode_responses=True)
    expected = {socketio_channel(cluster.prefix): 2, control_channel(cluster.prefix): 2}

    async def subscribed() -> bool:
        return dict(await redis.pubsub_numsub(*expected)) == expected

    try:
        await eventually(subscribed)
        assert not {
            c for c in await redis.pubsub_channels() if c.startswith(f"{cluster.prefix}:")
        } - set(expected)
    finally:
        for client in clients:
            await client.close()
        await redis.aclose()


# --- ecabinet.cluster against the real Redis, with short timings -------------------------


@pytest.mark.parametrize("prefix", ["", "Ecabinet", "a:b", "a b", "x" * 41, "phòng-họp"])
def test_a_redis_prefix_outside_the_safe_alphabet_is_refused(prefix: str) -> None:
    environ = {"ECABINET_REDIS_PREFIX": prefix, "ECABINET_SECRET_KEY": "k" * 40}
    if prefix.strip():
        with pytest.raises(SettingsError, match="ECABINET_REDIS_PREFIX"):
            load_settings(environ)
    else:  # unset: the default
        assert load_settings(environ).redis_prefix == "ecabinet"


def test_a_redis_prefix_in_the_safe_alphabet_is_kept() -> None:
    environ = {"ECABINET_REDIS_PREFIX": "hdnd-tinh_2", "ECABINET_SECRET_KEY": "k" * 40}
    assert load_settings(environ).redis_prefix == "hdnd-tinh_2"


@pytest.fixture
async def unit_redis() -> AsyncIterator[tuple[Redis, str]]:
    redis = Redis.from_url(require_redis())
    prefix = unique_redis_prefix()
    try:
        yield redis, prefix
    finally:
        for pattern in (f"{prefix}:*", f"{prefix}-other:*"):
            async for key in redis.scan_iter(match=pattern):
                await redis.delete(key)
        await redis.aclose()


def entry(name: str) -> dict[str, Any]:
    return {"user_id": len(name), "display_name": name, "device": "tablet"}


@needs_redis
async def test_presence_of_a_worker_that_stops_refreshing_expires(
    unit_redis: tuple[Redis, str],
) -> None:
    redis, prefix = unit_redis
    killed = RedisPresence(redis, "worker-killed", prefix=prefix, ttl_secs=1)
    other = RedisPresence(redis, "worker-other", prefix=prefix)
    await killed.enter(7, "sid-1", entry("Killed"))
    await other.enter(7, "sid-2", entry("Other"))
    assert sorted(e["display_name"] for e in await other.entries(7)) == ["Killed", "Other"]

    # "killed" never refreshes again: after its TTL only "other" is left, and the shared
    # list of the meeting's workers forgets "killed"
    async def only_other() -> bool:
        return [e["display_name"] for e in await other.entries(7)] == ["Other"]

    await eventually(only_other, within=3)
    assert await redis.smembers(f"{prefix}:presence-workers:7") == {b"worker-other"}


@needs_redis
async def test_refreshed_presence_outlives_its_ttl_heals_and_is_withdrawn_on_stop(
    unit_redis: tuple[Redis, str],
) -> None:
    redis, prefix = unit_redis
    worker = RedisPresence(redis, "worker-1", prefix=prefix, ttl_secs=1, refresh_secs=0.2)
    reader = RedisPresence(redis, "worker-2", prefix=prefix, ttl_secs=1)
    await worker.enter(7, "sid-1", entry("Present"))
    await worker.enter(7, "sid-2", entry("Left"))
    await worker.leave(7, "sid-2")
    refreshing = asyncio.create_task(worker.refresh_forever())
    try:
        await asyncio.sleep(1.5)  # longer than the TTL: only the refreshes keep it
        assert await reader.entries(7) == [entry("Present")]

        # Redis lost everything (a restart without persistence): the next refresh restores it
        async for key in redis.scan_iter(match=f"{prefix}:*"):
            await redis.delete(key)
        assert await reader.entries(7) == []

        async def restored() -> bool:
            return await reader.entries(7) == [entry("Present")]

        await eventually(restored, within=2)
    finally:
        refreshing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await refreshing
    # an orderly stop withdraws at once, without waiting for the TTL
    assert await reader.entries(7) == []
    assert [key async for key in redis.scan_iter(match=f"{prefix}:*")] == []


@needs_redis
async def test_presence_and_control_of_other_prefixes_stay_apart(
    unit_redis: tuple[Redis, str],
) -> None:
    redis, prefix = unit_redis
    ours = RedisPresence(redis, "worker-1", prefix=prefix)
    theirs = RedisPresence(redis, "worker-2", prefix=f"{prefix}-other")
    await theirs.enter(7, "sid-1", entry("Theirs"))
    await ours.enter(7, "sid-2", entry("Ours"))
    assert await ours.entries(7) == [entry("Ours")]
    assert await theirs.entries(7) == [entry("Theirs")]

    closed_ours, closed_theirs = Closed(), Closed()
    listener = RedisControl(redis, closed_ours, prefix=prefix)
    ready = asyncio.Event()
    listening = asyncio.create_task(listener.listen_forever(ready))
    try:
        await asyncio.wait_for(ready.wait(), WAIT_SECS)
        await RedisControl(redis, closed_theirs, prefix=f"{prefix}-other").sessions_ended(["x"])
        await RedisControl(redis, Closed(), prefix=prefix).sessions_ended(["ours"])
        await closed_ours.wait_for("ours")
        # had the channels been shared, "x" would have arrived first on the same connection
        assert closed_ours.keys == ["ours"]
    finally:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening


class Closed:
    """Records the session keys a worker was told to close; "boom" makes it fail once."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self._changed = asyncio.Event()

    async def __call__(self, keys: list[str]) -> int:
        self.keys.extend(keys)
        self._changed.set()
        if "boom" in keys:
            raise RuntimeError("closing failed")
        return len(keys)

    async def wait_for(self, key: str) -> None:
        async with asyncio.timeout(WAIT_SECS):
            while key not in self.keys:
                self._changed.clear()
                await self._changed.wait()


@needs_redis
async def test_control_listener_reconnects_and_survives_bad_messages(
    unit_redis: tuple[Redis, str],
) -> None:
    redis, prefix = unit_redis
    name = f"{prefix}-listener"
    # No retries inside redis-py: a lost connection reaches the listener's own loop.
    listener_redis = Redis.from_url(require_redis(), client_name=name, retry=Retry(NoBackoff(), 0))
    closed = Closed()
    ready = asyncio.Event()
    listening = asyncio.create_task(
        RedisControl(listener_redis, closed, prefix=prefix).listen_forever(ready)
    )
    try:
        await asyncio.wait_for(ready.wait(), WAIT_SECS)
        ready.clear()
        [subscriber] = [
            c for c in await redis.client_list() if c["name"] == name and int(c["sub"]) > 0
        ]
        await redis.client_kill_filter(_id=subscriber["id"])
        await asyncio.wait_for(ready.wait(), WAIT_SECS)  # subscribed again

        channel = control_channel(prefix)
        for bad in (
            "not json",
            json.dumps([1]),
            json.dumps({"op": "close-sessions", "keys": "abc"}),
            json.dumps({"op": "something-else", "keys": ["x"]}),
            json.dumps({"op": "close-sessions", "keys": ["boom"]}),  # the handler fails
        ):
            assert await redis.publish(channel, bad) == 1
        await RedisControl(redis, Closed(), prefix=prefix).sessions_ended(["k1", "k2"])
        await closed.wait_for("k2")
        assert closed.keys == ["boom", "k1", "k2"]
    finally:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening
        await listener_redis.aclose()


class Relay:
    """A TCP relay to Redis that can silently stop relaying the connections it already has:
    a network path that died without closing anything."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._cut: list[list[bool]] = []
        self._writers: list[asyncio.StreamWriter] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        up_reader, up_writer = await asyncio.open_connection(*self._target)
        self._writers += [writer, up_writer]
        cut = [False]
        self._cut.append(cut)

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await src.read(65536):
                    if not cut[0]:
                        dst.write(data)
                        await dst.drain()
            dst.close()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))

    def cut_existing(self) -> None:
        for cut in self._cut:
            cut[0] = True

    async def close(self) -> None:
        self._server.close()
        for writer in self._writers:
            writer.close()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()


@needs_redis
async def test_control_listener_notices_a_silent_connection(
    unit_redis: tuple[Redis, str],
) -> None:
    redis, prefix = unit_redis
    target = urlsplit(require_redis())
    relay = Relay(target.hostname or "127.0.0.1", target.port or 6379)
    port = await relay.start()
    listener_redis = Redis(host="127.0.0.1", port=port, retry=Retry(NoBackoff(), 0))
    closed = Closed()
    ready = asyncio.Event()
    control = RedisControl(listener_redis, closed, prefix=prefix, ping_secs=0.3)
    listening = asyncio.create_task(control.listen_forever(ready))
    try:
        await asyncio.wait_for(ready.wait(), WAIT_SECS)
        ready.clear()
        await asyncio.sleep(1.2)  # quiet for four ping intervals: answered pings keep it
        assert not ready.is_set()

        relay.cut_existing()  # nothing arrives any more, and nothing is closed
        await asyncio.wait_for(ready.wait(), WAIT_SECS)  # noticed, and subscribed anew
        await RedisControl(redis, Closed(), prefix=prefix).sessions_ended(["after-cut"])
        await closed.wait_for("after-cut")
    finally:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening
        await listener_redis.aclose()
        await relay.close()


@needs_redis
async def test_presence_degrades_instead_of_hanging_on_a_silent_redis(
    unit_redis: tuple[Redis, str],
) -> None:
    redis, prefix = unit_redis
    target = urlsplit(require_redis())
    relay = Relay(target.hostname or "127.0.0.1", target.port or 6379)
    through_relay = Redis(host="127.0.0.1", port=await relay.start())
    worker = RedisPresence(through_relay, "worker-1", prefix=prefix)
    reader = RedisPresence(redis, "worker-2", prefix=prefix)
    try:
        await worker.enter(7, "sid-1", entry("Before"))
        relay.cut_existing()
        started = time.monotonic()
        async with asyncio.timeout(WAIT_SECS):  # fail rather than hang
            await worker.enter(7, "sid-2", entry("During"))  # not written, and no error
            assert await worker.entries(7) == [entry("Before"), entry("During")]  # its own
        assert time.monotonic() - started < 2 * REDIS_OP_TIMEOUT_SECS + 1
        assert await reader.entries(7) == [entry("Before")]

        await worker.refresh()  # on a new connection: Redis catches up
        assert await reader.entries(7) == [entry("Before"), entry("During")]
    finally:
        await through_relay.aclose()
        await relay.close()
