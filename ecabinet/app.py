"""The composition root: the only module that knows every package.

``create_app(settings)`` returns one ASGI application: Socket.IO at ``/socket.io`` and the
Starlette app (JSON API, static tablet app) for everything else.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import AsyncIterator
from http.cookies import SimpleCookie
from typing import Any

import socketio
from redis.asyncio import Redis
from starlette.applications import Starlette

from ecabinet import lifeline, recipients
from ecabinet.auth.service import AuthService
from ecabinet.auth.sessions import SESSION_COOKIE
from ecabinet.checkpoints.anchor import Anchor
from ecabinet.checkpoints.signing import CheckpointSigner
from ecabinet.cluster import RedisControl, RedisPresence, meeting_heads, socketio_channel
from ecabinet.config import Settings, load_settings
from ecabinet.connection_counts import RedisConnectionCounts
from ecabinet.documents import storage, watermark
from ecabinet.documents.blobstore import BlobStore
from ecabinet.documents.pool import InspectionPool
from ecabinet.errors import ECabinetError
from ecabinet.events import Event
from ecabinet.http import (
    admin_routes,
    auth_routes,
    checkpoint_routes,
    display_routes,
    document_routes,
    integrity_routes,
    meeting_routes,
    minutes_routes,
    ops_routes,
    site,
)
from ecabinet.http.common import handle_error, handle_failure
from ecabinet.http.headers import SecurityHeaders
from ecabinet.http.timeouts import RequestTimeouts
from ecabinet.meetings import display_links, ephemeral
from ecabinet.meetings import repo as meeting_repo
from ecabinet.meetings.rules import Role
from ecabinet.meetings.sealing import BallotKeys
from ecabinet.meetings.service import CommandEnvelope, MeetingService, parse_command, utc_now
from ecabinet.metrics import Metrics
from ecabinet.minutes import worker as minutes_worker
from ecabinet.store import eventlog, migrate
from ecabinet.store.database import Database
from realtime import Hub, Identity, LocalPresence, OriginPolicy, Presence, codec
from realtime.backpressure import SendLimits
from realtime.fanout import DirectEmit, DirectRedisManager
from realtime.forwarded import TrustedProxies
from realtime.gate import GatedASGIApp
from realtime.outbox import MeetingOutbox
from realtime.rooms import meeting_room, user_room

log = logging.getLogger(__name__)

# Events whose broadcast may wait (at most a second) to leave with others of their kind.
THROTTLED_EVENTS = frozenset({"vote.participated"})
# Engine.IO drops (and disconnects) any single message over this size; a command's own
# limit (64 KiB) is checked above it so that the connection survives a merely large one.
SOCKET_MAX_MESSAGE_BYTES = 1024 * 1024
# Connecting to Redis gives up after 5 s instead of hanging a request; idle connections are
# checked every 30 s. No read timeout: the pub/sub listeners wait on idle channels by design
# (presence calls bound their own waits).
REDIS_CONNECT_TIMEOUT_SECS = 5
REDIS_HEALTH_CHECK_SECS = 30
REDIS_TIMEOUTS: dict[str, Any] = {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_SECS,
    "health_check_interval": REDIS_HEALTH_CHECK_SECS,
}


def _session_token(environ: dict[str, Any], name: str = SESSION_COOKIE) -> str | None:
    cookie = SimpleCookie()
    try:
        cookie.load(environ.get("HTTP_COOKIE", ""))
    except Exception:
        return None
    morsel = cookie.get(name)
    return morsel.value if morsel else None


def create_app(settings: Settings | None = None) -> socketio.ASGIApp:
    settings = settings or load_settings()
    db = Database(settings.database_url)
    auth = AuthService(db, settings)
    # Signed heads outside the database (ecabinet/checkpoints): after each due commit.
    anchor = Anchor(settings.data_dir, CheckpointSigner(settings.secret_key), utc_now)
    meeting_service = MeetingService(
        db,
        ballot_keys=BallotKeys(settings.secret_key),
        replay_window=settings.replay_window_events,
        fault_rate=settings.fault_abort_before_commit,
        on_commit=anchor.after_commit,
    )
    trusted_proxies = TrustedProxies(settings.trusted_proxies)
    origin_policy = OriginPolicy(settings.allowed_origins, trusted_proxies)
    redis = (
        Redis.from_url(
            settings.redis_url,
            socket_connect_timeout=REDIS_CONNECT_TIMEOUT_SECS,
            health_check_interval=REDIS_HEALTH_CHECK_SECS,
        )
        if settings.redis_url
        else None
    )
    worker_id = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"

    manager = (
        DirectRedisManager(
            settings.redis_url,
            channel=socketio_channel(settings.redis_prefix),
            redis_options=REDIS_TIMEOUTS,
        )
        if settings.redis_url
        else DirectEmit()
    )
    sio = socketio.AsyncServer(
        async_mode="asgi",
        client_manager=manager,
        cors_allowed_origins=origin_policy.allows_transport,
        cors_credentials=True,
        max_http_buffer_size=SOCKET_MAX_MESSAGE_BYTES,
        # Frames nested too deeply to decode are answered, not left to a traceback.
        json=codec,
    )
    presence: Presence = (
        RedisPresence(redis, worker_id, prefix=settings.redis_prefix) if redis else LocalPresence()
    )

    # With Redis, each person's sockets are counted over all workers.
    shared_sockets = (
        RedisConnectionCounts(
            redis, worker_id, settings.connections_per_user, prefix=settings.redis_prefix
        )
        if redis
        else None
    )

    # The room display (projector) signs in with a chair-issued link, not a session.
    displays = display_links.Displays(db, settings.secret_key, time.time)

    async def authenticate(environ: dict[str, Any]) -> Identity | None:
        user = await auth.resolve(_session_token(environ))
        if user is None:
            return await displays.identity(_session_token(environ, display_links.DISPLAY_COOKIE))
        return Identity(user.user_id, user.display_name, user.session_key)

    async def admit(identity: Identity, meeting_id: int) -> None:
        if display_links.is_display(identity):
            return await displays.admit(identity, meeting_id)
        await meeting_service.admit(identity.user_id, meeting_id)

    async def join(identity: Identity, meeting_id: int, last_seq: int | None) -> dict[str, Any]:
        display = display_links.is_display(identity)
        answer = await meeting_service.join(identity.user_id, meeting_id, last_seq, display=display)
        latest = anchor.latest(meeting_id)  # the newest signed head the tablet may hold
        if order is not None:
            order.joined(meeting_id, answer["seq"])
        return {**answer, "checkpoint": latest.to_wire() if latest else None}

    async def handle_command(identity: Identity, meeting_id: int, raw: Any) -> dict[str, Any]:
        if display_links.is_display(identity):
            raise displays.refuse(identity)
        command = parse_command(raw)
        return await meeting_service.execute(identity.user_id, meeting_id, command, publish_events)

    async def relay(identity: Identity, meeting_id: int, raw: Any) -> dict[str, Any]:
        if display_links.is_display(identity):
            raise displays.refuse(identity)
        role, state = await meeting_service.cached_state_for(identity.user_id, meeting_id)
        payload = ephemeral.check(state, identity.user_id, role, raw)
        return {**payload, "meeting_id": meeting_id}

    async def send_events(meeting_id: int, events: list[Event]) -> None:
        """Each copy of the events to its people (``recipients``); the order is kept."""
        for user_id, wire in recipients.copies(
            meeting_id, events, meeting_service.roster_ids(meeting_id)
        ):
            if user_id is None:
                await hub.publish(meeting_id, wire)
            else:
                await hub.publish_to_user(meeting_id, user_id, wire)

    async def read_copies(meeting_id: int, after: int, up_to: int) -> list[tuple[str, Any]]:
        """Events ``after`` < seq <= ``up_to`` from the log, copied as ``send_events`` does,
        for the worker's sockets (``realtime.ordering``)."""
        async with db.read() as conn:
            events = await eventlog.read_after(conn, meeting_id, after, limit=up_to - after)
            # Read here: this worker may never have run a command of the meeting.
            roster = [r.user_id for r in await meeting_repo.roster(conn, meeting_id)]
        return [
            (meeting_room(meeting_id) if uid is None else user_room(meeting_id, uid), wire)
            for uid, wire in recipients.copies(meeting_id, events, roster)
        ]

    # Several workers: each delivers a meeting's events to its sockets in seq order.
    # A secret poll's participation reaches each tablet at most once a second per meeting.
    order = (
        manager.follow_order(read_copies, lambda wire: wire.get("type") in THROTTLED_EVENTS)
        if isinstance(manager, DirectRedisManager)
        else None
    )

    # Commands are acked after their commit; their events leave through this ordered
    # sender, so that a burst is not slowed by each command's fan-out. A secret poll's
    # participation ("someone voted") reaches the room at most once a second.
    outbox: MeetingOutbox[Event] = MeetingOutbox(
        send_events, throttled=lambda event: event.type in THROTTLED_EVENTS
    )

    async def publish_events(meeting_id: int, events: list[Event]) -> None:
        outbox.put(meeting_id, events)

    hub = Hub(
        sio,
        authenticate=authenticate,
        admit=admit,
        join=join,
        handle_command=handle_command,
        origin_policy=origin_policy,
        presence=presence,
        relay=relay,
        session_alive=lambda identity: (
            displays.alive(identity)
            if display_links.is_display(identity)
            else auth.is_alive(identity.session_key)
        ),
        send_limits=SendLimits(settings.send_queue_max_messages, settings.send_queue_max_bytes),
        # Several workers: publications between them can be lost; each tells its clients
        # their meeting's head every few seconds so that they notice.
        heads=(lambda ids: meeting_heads(db, ids)) if redis else None,
        limits=settings.hub_limits(),
        shared_sockets=shared_sockets,
    )
    metrics = Metrics(worker_id, connected=lambda: hub.connected_clients, queues=hub.queue_stats)
    hub.observer = metrics
    anchor.send = hub.publish_checkpoint

    async def execute_internal(
        user_id: int, meeting_id: int, command: CommandEnvelope, acting_role: Role | None = None
    ) -> tuple[dict[str, Any], list[Event]]:
        """Run a command on behalf of an HTTP request; returns the ack and the new events
        (``acting_role``: see ``MeetingService.execute``)."""
        published: list[Event] = []

        async def publish_and_keep(mid: int, events: list[Event]) -> None:
            published.extend(events)
            await publish_events(mid, events)

        ack = await meeting_service.execute(
            user_id, meeting_id, command, publish_and_keep, acting_role
        )
        return ack, published

    control = (
        RedisControl(
            redis,
            hub.close_sessions_here,
            prefix=settings.redis_prefix,
            remove_here=hub.remove_here,
        )
        if redis
        else None
    )

    async def sessions_ended(keys: list[str]) -> None:
        if control is not None:
            await control.sessions_ended(keys)
        else:
            await hub.close_sessions_here(keys)

    auth.on_sessions_ended = sessions_ended

    async def roster_removed(meeting_id: int, user_ids: list[int]) -> None:
        """People taken off a roster leave the meeting's rooms on every worker."""
        if control is not None:
            await control.roster_removed(meeting_id, user_ids)
        else:
            await hub.remove_here(meeting_id, user_ids)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if not await migrate.is_current(db):
            raise RuntimeError("the database schema is not current: run `ecabinet init` first")
        # Under `ecabinet serve --workers N`: stop when the supervisor is killed.
        lifeline.watch_parent(lifeline.stop_gracefully)
        # Unreferenced documents (a failed upload transaction's file) go now and hourly.
        tasks = [asyncio.create_task(storage.collect_forever(db, _app.state.blobs))]
        if control is not None and isinstance(presence, RedisPresence):
            ready = asyncio.Event()
            tasks.append(asyncio.create_task(control.listen_forever(ready)))
            tasks.append(asyncio.create_task(presence.refresh_forever()))
            if shared_sockets is not None:
                tasks.append(asyncio.create_task(shared_sockets.refresh_forever()))
            tasks.append(asyncio.create_task(hub.beacon_forever()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ready.wait(), timeout=5)
        log.info(
            "E-cabinet worker %s ready (%s)", worker_id, "redis" if redis else "single process"
        )
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await outbox.close()
            await hub.send_guard.close()
            if redis is not None:
                await redis.aclose()
            watermark.shutdown()
            minutes_worker.shutdown()
            await db.dispose()

    app = Starlette(
        routes=[
            *auth_routes.routes,
            *checkpoint_routes.routes,
            *meeting_routes.routes,
            *integrity_routes.routes,
            *document_routes.routes,
            *admin_routes.routes,
            *minutes_routes.routes,
            *display_routes.routes,
            *ops_routes.routes,
            *site.routes,
        ],
        lifespan=lifespan,
        exception_handlers={ECabinetError: handle_error, Exception: handle_failure},
    )
    app.state.settings = settings
    app.state.db = db
    app.state.auth = auth
    app.state.meetings = meeting_service
    app.state.checkpoints = anchor
    app.state.origin_policy = origin_policy
    app.state.trusted_proxies = trusted_proxies
    app.state.redis = redis
    app.state.hub = hub
    app.state.metrics = metrics
    app.state.integrity_reports = integrity_routes.ReportLimiter()
    app.state.clock = time.time
    app.state.blobs = BlobStore(settings.data_dir / "blobs")
    app.state.inspections = InspectionPool(settings.inspect_concurrency)
    app.state.execute_internal = execute_internal
    app.state.publish_events = publish_events  # the back office's events (planning.py)
    app.state.roster_removed = roster_removed
    app.state.displays = displays
    bounded = RequestTimeouts(
        app,
        answer_secs=settings.request_timeout_secs,
        body_idle_secs=settings.request_body_idle_secs,
    )
    # Every websocket frame is checked before Engine.IO reads it (realtime/gate.py).
    return GatedASGIApp(
        sio, hub.notices, other_asgi_app=SecurityHeaders(bounded), socketio_path="socket.io"
    )


# Libraries that log statement parameters or message frames at DEBUG. They would write
# ballots, receipts and passwords' hashes into the log, so they never go below INFO,
# whatever ECABINET_LOG_LEVEL says (which is for E-cabinet's own loggers).
DATA_LOGGING_LIBRARIES = (
    "aiosqlite",
    "sqlalchemy",
    "asyncpg",
    "websockets",
    "engineio",
    "socketio",
    "redis",
)


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for name in DATA_LOGGING_LIBRARIES:
        library = logging.getLogger(name)
        library.setLevel(max(library.getEffectiveLevel(), logging.INFO))


def app_from_env() -> socketio.ASGIApp:
    """Factory for ``uvicorn --factory ecabinet.app:app_from_env``."""
    settings = load_settings()
    configure_logging(settings.log_level)
    return create_app(settings)
