"""The secrecy scan: 100 secret votes cast in a known order, then the database (logical
dump and the raw file), the event log, the server's DEBUG log and every socket payload are
searched for anything that links a voter to a choice."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.client import RoomClient, api, login, new_meeting
from harness.server import Server, embedded_server

pytestmark = pytest.mark.asyncio

VOTERS = 100
PASSWORD = "phiếu kín 2026"


@pytest.fixture(scope="module")
def debug_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with embedded_server(tmp_path_factory.mktemp("secrecy"), ECABINET_LOG_LEVEL="DEBUG") as server:
        yield server


async def _meeting_with_voters(url: str) -> tuple[int, list[str]]:
    admin = await login(url, "admin")
    names = [f"uyvien{i:03d}" for i in range(VOTERS)]
    async with api(url, admin) as http:
        for i, name in enumerate(names):
            created = await http.post(
                "/api/users",
                json={"username": name, "display_name": f"Ủy viên số {i}", "password": PASSWORD},
            )
            assert created.status_code == 201
        ids = {u["username"]: u["id"] for u in (await http.get("/api/users")).json()["users"]}
        committee = (await http.get("/api/committees")).json()["committees"][0]["id"]
        roster = [
            {"user_id": ids["chair"], "role": "chair"},
            {"user_id": ids["observer"], "role": "observer"},
        ]
        roster += [{"user_id": ids[n], "role": "member"} for n in names]
        response = await http.post(
            "/api/meetings",
            json={
                "committee_id": committee,
                "title": "Bầu cử kín",
                "scheduled_at": "2026-12-01T08:00:00+07:00",
                "roster": roster,
            },
        )
        assert response.status_code == 201
    return int(response.json()["meeting"]["id"]), names


def _contains_choice(payload: Any) -> bool:
    if isinstance(payload, dict):
        return "choice" in payload or any(_contains_choice(v) for v in payload.values())
    if isinstance(payload, list):
        return any(_contains_choice(v) for v in payload)
    return False


async def test_one_hundred_secret_votes_leave_no_link_between_voter_and_choice(
    debug_server: Server,
) -> None:
    url = debug_server.url
    assert await new_meeting(url, await login(url, "admin"))  # another meeting exists too
    meeting, names = await _meeting_with_voters(url)
    chair = await RoomClient().connect(url, await login(url, "chair"))
    observer = await RoomClient().connect(url, await login(url, "observer"))
    voters = [await RoomClient().connect(url, await login(url, n, PASSWORD)) for n in names]
    received: list[Any] = []
    for client in [observer, *voters]:
        client.sio.on("*", lambda event, data: received.append({"event": event, "data": data}))
    rng = random.Random(20261125)
    choices = [rng.choice(["yes", "no", "abstain"]) for _ in names]
    acks: list[dict[str, Any]] = []
    try:
        for client in [chair, observer, *voters]:
            assert (await client.join(meeting))["ok"]
        assert (await chair.cmd("meeting.start"))["ok"]
        for client in voters:
            assert (await client.cmd("attendance.check_in"))["ok"]
        poll = {
            "title": "Bầu Trưởng ban",
            "kind": "yes_no_abstain",
            "secret": True,
            "allow_change": False,
            "majority": "simple",
            "quorum": {"kind": "none"},
        }
        assert (await chair.cmd("poll.create", poll))["ok"]
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        for client, choice in zip(voters, choices, strict=True):
            acks.append(await client.cmd("vote.cast", {"poll_id": 1, "choice": choice}))
        assert all(a["ok"] for a in acks)
        assert (await chair.cmd("poll.close", {"poll_id": 1}))["ok"]
        await observer.wait_for(lambda: any(e["type"] == "poll.closed" for e in observer.events))
    finally:
        for client in [chair, observer, *voters]:
            await client.close()
    # The clients keep events (one by one, also when they came batched) and presence
    # through their own handlers; the catch-all above saw every other message.
    for client in [observer, *voters]:
        received.extend({"event": "event", "data": event} for event in client.events)
        received.extend({"event": "presence", "data": people} for people in client.presence)
    receipts = [a["receipt"] for a in acks]
    closed = next(e["data"] for e in observer.events if e["type"] == "poll.closed")
    expected = [choices.count("yes"), choices.count("no")]
    assert closed["result"]["counts"] == expected and closed["result"][
        "abstentions"
    ] == choices.count("abstain")
    assert closed["receipts"] == sorted(receipts)

    # Every socket payload any tablet received: no choice, and receipts only in the sorted list.
    for message in received:
        if message["event"] == "event" and message["data"]["type"] == "poll.closed":
            continue
        assert not _contains_choice(message["data"]), message
        assert not any(r in json.dumps(message["data"]) for r in receipts)

    files = _read_files(Path(debug_server.env["ECABINET_DATA_DIR"]), meeting)
    assert len(files.participation) == VOTERS and all(
        choice is None for _, choice in files.participation
    )
    assert (
        all(set(d) == {"poll_id", "voter_id"} for d in files.logged) and len(files.logged) == VOTERS
    )
    assert not any("receipt" in a for a in files.acks)
    for receipt in receipts:  # once in the published event, once in the secret store row
        assert files.dump.count(receipt) == 2, receipt
    # The raw files keep no earlier version of the secret store row (which would give the
    # order of the ballots): every receipt is in them exactly as often as in the dump.
    assert all(files.raw.count(r.encode()) == 2 for r in receipts)
    assert "DEBUG ecabinet.meetings.service meeting" in files.log  # the server did log at DEBUG
    assert not any(r in files.log for r in receipts)
    assert '"choice"' not in files.log and "'choice'" not in files.log


@dataclass
class Files:
    dump: str
    raw: bytes
    log: str
    participation: list[tuple[int, str | None]]
    logged: list[dict[str, Any]]
    acks: list[str]


def _read_files(data_dir: Path, meeting: int) -> Files:
    database = data_dir / "ecabinet.db"
    with sqlite3.connect(database) as db:
        dump = "\n".join(db.iterdump())
        participation = db.execute(
            "SELECT voter_id, choice FROM participations WHERE meeting_id = ?", (meeting,)
        ).fetchall()
        events = db.execute(
            "SELECT data FROM meeting_events WHERE meeting_id = ? AND type LIKE 'vote.%'",
            (meeting,),
        )
        logged = [json.loads(d) for (d,) in events]
        acks = [
            a
            for (a,) in db.execute(
                "SELECT ack FROM command_results WHERE meeting_id = ?", (meeting,)
            )
        ]
    wal = data_dir / "ecabinet.db-wal"
    raw = database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    log = "\n".join(p.read_text(errors="replace") for p in data_dir.glob("server-*.log"))
    return Files(dump, raw, log, participation, logged, acks)
