"""What the fault tests share: servers, people, meetings, and the server's truth.

The truth is read from the database itself (the meeting's log), never from a worker's
answers, and a tablet's state is compared with it: the snapshot it loaded must be the
server's state at that seq, every event it applied after it must be the stored one, in
order, once, up to the head, and folding the tablet's own events onto its snapshot must
give the server's state now (``state_hash``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from ecabinet.canonical import canonical_json
from ecabinet.events import Event
from ecabinet.meetings import rules
from ecabinet.meetings.rules import MeetingState
from ecabinet.store import eventlog
from ecabinet.store.database import Database
from harness.client import api, login
from harness.server import DEMO_PASSWORD, Server
from tests.faults.tablet import Tablet

# Larger variants (for `make bench` or a long CI job): ECABINET_FAULTS_SCALE=large.
LARGE = os.environ.get("ECABINET_FAULTS_SCALE", "").lower() == "large"


def scale(ci: int, large: int) -> int:
    return large if LARGE else ci


# --- servers --------------------------------------------------------------------------


@contextlib.contextmanager
def running(*servers: Server) -> Iterator[tuple[Server, ...]]:
    """Start the servers; stop them whatever happens."""
    started: list[Server] = []
    try:
        for server in servers:
            started.append(server.start())
        yield tuple(started)
    finally:
        for server in started:
            server.stop()


def server_log(server: Server) -> str:
    path = Path(server.env["ECABINET_DATA_DIR"]) / f"server-{server.port}.log"
    return path.read_text(errors="replace") if path.exists() else ""


# --- people and meetings ----------------------------------------------------------------


async def create_users(url: str, admin_token: str, names: Sequence[str], parallel: int = 4) -> None:
    """Users with the demo password, through the admin API (argon2: ~50 ms each)."""
    gate = asyncio.Semaphore(parallel)
    async with api(url, admin_token) as http:

        async def create(name: str) -> None:
            async with gate:
                response = await http.post(
                    "/api/users",
                    json={
                        "username": name,
                        "display_name": f"Đại biểu {name}",
                        "password": DEMO_PASSWORD,
                    },
                )
                assert response.status_code == 201, response.text

        await asyncio.gather(*(create(n) for n in names))


async def login_all(urls: Sequence[str], names: Sequence[str], parallel: int = 4) -> dict[str, str]:
    """A session per person, signed in through the workers in turn."""
    gate = asyncio.Semaphore(parallel)

    async def one(i: int, name: str) -> tuple[str, str]:
        async with gate:
            return name, await login(urls[i % len(urls)], name)

    return dict(await asyncio.gather(*(one(i, n) for i, n in enumerate(names))))


async def upload_pdf(url: str, token: str, meeting: int, body: bytes) -> int:
    async with api(url, token) as http:
        response = await http.post(
            f"/api/meetings/{meeting}/documents",
            content=body,
            headers={"Content-Type": "application/pdf", "X-File-Name": "Tai-lieu.pdf"},
        )
    assert response.status_code in (200, 201), response.text
    return int(response.json()["document"]["id"])


async def stop_all(tablets: Sequence[Tablet]) -> None:
    await asyncio.gather(*(t.stop() for t in tablets), return_exceptions=True)


def new_secret() -> str:
    return secrets.token_urlsafe(48)


# --- the truth ----------------------------------------------------------------------------


@dataclass
class Truth:
    """A meeting's log as stored, and the states it folds to."""

    meeting_id: int
    events: list[Event]

    @property
    def head(self) -> int:
        return len(self.events)

    def state_at(self, seq: int) -> MeetingState:
        return rules.fold(MeetingState(), self.events[:seq])

    def wire(self, state: MeetingState, viewer: int) -> dict[str, Any]:
        return state.to_wire(viewer_id=viewer)


async def read_truth(database_url: str, meeting_id: int) -> Truth:
    db = Database(database_url)
    try:
        async with db.read() as conn:
            events = await eventlog.read_after(conn, meeting_id, 0)
            report = await eventlog.verify(conn, meeting_id)
    finally:
        await db.dispose()
    assert report.ok, report
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    return Truth(meeting_id, events)


def state_hash(wire: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(wire)).hexdigest()


def _event(wire: dict[str, Any]) -> Event:
    return Event(
        wire["meeting_id"],
        wire["seq"],
        wire["type"],
        wire["actor_id"],
        wire["at"],
        wire["data"],
        wire["hash"],
    )


def tablet_state_hash(tablet: Tablet, truth: Truth) -> str:
    """The hash of the state the tablet holds: its snapshot (checked to be the server's
    state at its seq) with the tablet's own events folded on top."""
    assert tablet.base is not None, f"{tablet.name} never joined"
    base = truth.state_at(tablet.base_seq)
    assert tablet.base == truth.wire(base, tablet.user_id), (
        f"{tablet.name}: its snapshot differs from the server's state at seq {tablet.base_seq}"
    )
    state = rules.fold(base, [_event(e) for e in tablet.applied])
    return state_hash(truth.wire(state, tablet.user_id))


def check_tablet(tablet: Tablet, truth: Truth) -> None:
    """The tablet holds exactly the server's state: nothing missed, nothing twice."""
    assert tablet.failure is None, f"{tablet.name} failed: {tablet.failure!r}"
    seqs = [e["seq"] for e in tablet.applied]
    expected = list(range(tablet.base_seq + 1, truth.head + 1))
    assert seqs == expected, (
        f"{tablet.name}: applied {_ranges(seqs)} after snapshot {tablet.base_seq}, "
        f"head {truth.head}"
    )
    for event in tablet.applied:
        assert event == truth.events[event["seq"] - 1].to_wire(), (
            f"{tablet.name}: event {event['seq']} differs from the stored one"
        )
    server = state_hash(truth.wire(truth.state_at(truth.head), tablet.user_id))
    assert tablet_state_hash(tablet, truth) == server, f"{tablet.name}: state differs"


def _ranges(seqs: list[int]) -> str:
    if not seqs:
        return "nothing"
    parts, start, prev = [], seqs[0], seqs[0]
    for s in [*seqs[1:], None]:
        if s is not None and s == prev + 1:
            prev = s
            continue
        parts.append(f"{start}-{prev}" if start != prev else f"{start}")
        if s is not None:
            start = prev = s
    return ",".join(parts)


async def wait_until_current(tablets: Sequence[Tablet], head: int, within: float) -> None:
    """Every tablet reaches the head (a correctness deadline, not a speed claim)."""
    lagging = [t for t in tablets if t.last_seq < head]
    try:
        await asyncio.gather(*(t.wait_for_seq(head, within) for t in lagging))
    except TimeoutError:
        behind = {t.name: t.last_seq for t in tablets if t.last_seq < head}
        raise AssertionError(f"not at head {head} after {within} s: {behind}") from None


async def metrics_of(url: str) -> dict[str, float]:
    """The unlabelled and labelled samples of GET /metrics: {'name{labels}': value}."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        text = (await http.get("/metrics")).text
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples
