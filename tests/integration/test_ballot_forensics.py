"""Forensics of secret ballots: a copy of the database taken after every vote.

A secret vote commits the participation (who voted) together with whatever the ballot store
writes. Were that write to carry the choice, a running count or the voter's receipt, a copy
of the database files (SQLite: ``ecabinet.db`` with its ``-wal``; PostgreSQL: ``pg_wal``, and
so every replica and backup) would pair each voter with a choice, commit by commit.

Three secret polls are open at once: an options poll with distinctive labels (closed at the
end), a yes/no/abstain poll (cancelled) and another (left open). After every vote the test
copies the database, takes what the vote's commit appended (SQLite: the new WAL frames;
PostgreSQL: the new WAL records of the test database) and the whole logical content (the
copy's dump; ``pg_dump``), and finds there

- no more occurrences of any choice (``"yes"``, ``\\"no\\"``, ``[10]``, an option's label)
  than the database held before the first vote (the poll's creation wrote the labels once);
- no count structure (a choice followed by ``:`` and a number);
- no receipt handed out so far;
- the participation itself (``"voter_id":N}``), so the scan is known to look at the commit.

After the close and the cancellation the sealed ballots and the poll keys are gone, and on
SQLite none of their bytes is left in the database files.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import asyncpg
import pytest

from harness.client import RoomClient, login, new_meeting, user_ids
from harness.server import Server, embedded_server, prepare_database, server_env
from harness.services import (
    POSTGRES_ADMIN_DSN,
    create_postgres_database,
    drop_postgres_database,
    unavailable,
)
from tests.integration.walscan import PostgresWal, SqliteWal, parse_lsn

pytestmark = pytest.mark.asyncio

VOTERS = ("chair", *(f"member{i}" for i in range(1, 9)))
BIRDS = ("KESTREL", "OSPREY", "PLOVER", "DUNLIN", "SHRIKE", "BITTERN", "MERLIN", "GANNET",
         "AVOCET", "LAPWING", "WHIMBREL", "GODWIT")  # fmt: skip
LABELS = [f"Phương án {bird}" for bird in BIRDS]
# One ballot per voter, in VOTERS order; ``[]`` abstains.
OPTION_CHOICES = [[10], [11], [10], [3], [], [11], [10], [7], [3]]
CANCELLED_CHOICES = ["yes", "no", "abstain", "yes", "no", "yes"]
OPEN_CHOICES = ["no", "no", "yes", "abstain", "no"]
POLL = {"allow_change": False, "majority": "simple", "quorum": {"kind": "none"}, "secret": True}

WORDS = rb"yes|no|abstain"
INDEXES = rb"\[(?:" + rb"|".join(str(i).encode() for i in range(len(BIRDS))) + rb")\]"
MARKERS: dict[str, re.Pattern[bytes]] = {
    "yes/no/abstain": re.compile(rb'\\*"(?:' + WORDS + rb')\\*"'),
    "option index": re.compile(INDEXES),
    **{bird: re.compile(bird.encode()) for bird in BIRDS},
}
# A choice (quoted, escaped, a list of indexes, a label) followed by ``:`` and a number.
COUNT = re.compile(
    rb'(?:\\*"(?:' + WORDS + rb')\\*"|\[[\d,]*\]|' + rb"|".join(b.encode() for b in BIRDS) + rb")"
    rb'\\*"?\s*:\s*\d'
)
YES_NO_COUNT = re.compile(rb'\\*"(?:' + WORDS + rb')\\*"\\*"?\s*:\s*\d')
PG_DUMP = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"


class Copies(Protocol):
    """A copy of the database files, taken by the test between commands."""

    async def mark(self) -> None:
        """Remember where the log is, before a command."""

    async def appended(self) -> bytes:
        """What the log got since ``mark``."""

    async def dump(self) -> bytes:
        """The whole logical content, as a backup holds it."""

    async def sealed(self, poll_id: int) -> list[str]:
        """The stored sealed ballots of one poll."""

    async def poll_keys(self, poll_id: int) -> list[str]:
        """The stored (wrapped) key of one poll."""

    async def raw(self) -> bytes:
        """The bytes of the database files (empty when they are not readable here)."""


def counts(data: bytes) -> Counter[str]:
    return Counter({name: len(pattern.findall(data)) for name, pattern in MARKERS.items()})


@dataclass
class Ballots:
    """What the tablets learned, each poll's receipts (from the acks), and the sealed
    ballots each poll had after the last vote."""

    receipts: dict[int, list[str]] = field(default_factory=dict)
    sealed: dict[int, set[str]] = field(default_factory=dict)

    def all(self) -> list[str]:
        return [r for rs in self.receipts.values() for r in rs]


async def _room(urls: list[str]) -> tuple[dict[str, int], dict[str, RoomClient]]:
    """The voters connected, in turn, to each of the servers (workers) in ``urls``."""
    admin = await login(urls[0], "admin")
    meeting = await new_meeting(urls[0], admin)
    ids = await user_ids(urls[0], admin)
    clients = {}
    for i, name in enumerate(VOTERS):
        url = urls[i % len(urls)]
        clients[name] = await RoomClient().connect(url, await login(url, name))
    for client in clients.values():
        assert (await client.join(meeting))["ok"]
    assert (await clients["chair"].cmd("meeting.start"))["ok"]
    for client in clients.values():
        assert (await client.cmd("attendance.check_in"))["ok"]
    return ids, clients


async def _vote(
    copies: Copies,
    client: RoomClient,
    voter_id: int,
    poll_id: int,
    choice: Any,
    baseline: Counter[str],
    ballots: Ballots,
) -> None:
    await copies.mark()
    ack = await client.cmd("vote.cast", {"poll_id": poll_id, "choice": choice})
    assert ack["ok"], ack
    ballots.receipts.setdefault(poll_id, []).append(ack["receipt"])
    appended, dump = await copies.appended(), await copies.dump()
    where = f"poll {poll_id}, vote {choice!r} by user {voter_id}"
    # The scan looks at the vote's commit: the participation is in it.
    assert b'"voter_id":%d}' % voter_id in appended, where
    for name, seen in counts(appended).items():
        assert seen <= baseline[name], f"{where}: the commit wrote {seen} × {name}"
    assert counts(dump) == baseline, where
    for data in (appended, dump):
        assert not COUNT.findall(data), f"{where}: a count {COUNT.findall(data)[:3]}"
        assert not [r for r in ballots.all() if r.encode() in data], f"{where}: a receipt"
    # What the vote did write: one sealed ballot, in the commit's bytes.
    sealed = set(await copies.sealed(poll_id))
    (new_ballot,) = sealed - ballots.sealed.get(poll_id, set())
    assert new_ballot.encode() in appended, where
    ballots.sealed[poll_id] = sealed


async def _play(copies: Copies, urls: list[str]) -> None:
    ids, clients = await _room(urls)
    chair = clients["chair"]
    ballots = Ballots()
    try:
        options = {"title": "Chọn phương án quy hoạch", "kind": "options", "options": LABELS}
        specs = [
            {**POLL, **options, "min_choices": 1, "max_choices": 1},
            {**POLL, "title": "Biểu quyết kín thứ hai", "kind": "yes_no_abstain"},
            {**POLL, "title": "Biểu quyết kín thứ ba", "kind": "yes_no_abstain"},
        ]
        for poll_id, spec in enumerate(specs, start=1):
            assert (await chair.cmd("poll.create", spec))["ok"]
            assert (await chair.cmd("poll.open", {"poll_id": poll_id}))["ok"]
        baseline = counts(await copies.dump())
        assert all(baseline[bird] == 1 for bird in BIRDS), baseline  # in poll.created
        for i, name in enumerate(VOTERS):
            votes = [(1, OPTION_CHOICES[i])]
            votes += [(2, CANCELLED_CHOICES[i])] if i < len(CANCELLED_CHOICES) else []
            votes += [(3, OPEN_CHOICES[i])] if i < len(OPEN_CHOICES) else []
            for poll_id, choice in votes:
                await _vote(copies, clients[name], ids[name], poll_id, choice, baseline, ballots)

        # Every sealed ballot has the same length, whatever its choice and poll.
        sealed = {poll_id: await copies.sealed(poll_id) for poll_id in (1, 2, 3)}
        assert [len(s) for s in sealed.values()] == [9, 6, 5]
        assert len({len(s) for ss in sealed.values() for s in ss}) == 1
        keys = {poll_id: await copies.poll_keys(poll_id) for poll_id in (1, 2, 3)}
        assert all(len(k) == 1 for k in keys.values()), keys

        closed_ack = await chair.cmd("poll.close", {"poll_id": 1})
        assert closed_ack["ok"], closed_ack
        assert (await chair.cmd("poll.cancel", {"poll_id": 2, "reason": "Làm lại"}))["ok"]
        await chair.wait_for(lambda: any(e["type"] == "poll.cancelled" for e in chair.events))
    finally:
        for client in clients.values():
            await client.close()

    closed = next(e["data"] for e in chair.events if e["type"] == "poll.closed")
    votes_for = [sum(k in c for c in OPTION_CHOICES) for k in range(len(BIRDS))]
    assert closed["result"]["counts"] == votes_for
    assert closed["result"]["abstentions"] == OPTION_CHOICES.count([])
    assert closed["receipts"] == sorted(ballots.receipts[1])

    # Closed and cancelled: their sealed ballots and keys are gone; the open poll keeps its.
    assert await copies.sealed(1) == [] and await copies.poll_keys(1) == []
    assert await copies.sealed(2) == [] and await copies.poll_keys(2) == []
    assert sorted(await copies.sealed(3)) == sorted(sealed[3])
    dump, raw = await copies.dump(), await copies.raw()
    for data in (dump, raw):
        if not data:
            continue
        gone = [*sealed[1], *sealed[2], *keys[1], *keys[2]]
        assert not [s for s in gone if s.encode() in data], "a sealed ballot or key was left"
        # The closed poll's receipts: in its event and its result row, nowhere else.
        assert all(data.count(r.encode()) == 2 for r in ballots.receipts[1])
        # The cancelled and the open poll: no receipt and no count at all.
        assert not [r for r in ballots.receipts[2] + ballots.receipts[3] if r.encode() in data]
        assert not YES_NO_COUNT.findall(data)


# --- SQLite --------------------------------------------------------------------------------


@dataclass
class SqliteCopies:
    data_dir: Path
    scratch: Path
    taken: int = 0
    wal: SqliteWal = field(default_factory=lambda: SqliteWal(b"", ()))

    def _copy(self) -> Path:
        """Copy ecabinet.db, -wal and -shm as they are now (between commands)."""
        self.taken += 1
        into = self.scratch / f"copy-{self.taken:03d}"
        into.mkdir()
        for suffix in ("", "-wal", "-shm"):
            source = self.data_dir / f"ecabinet.db{suffix}"
            if source.exists():
                shutil.copyfile(source, into / source.name)
        return into / "ecabinet.db"

    @staticmethod
    def _wal(copy: Path) -> SqliteWal:
        wal = copy.with_name("ecabinet.db-wal")
        return SqliteWal.parse(wal.read_bytes() if wal.exists() else b"")

    async def mark(self) -> None:
        self.wal = self._wal(self._copy())

    async def appended(self) -> bytes:
        after = self._wal(self._copy())
        pages = after.appended_since(self.wal)
        assert pages, "the vote appended nothing to the WAL"
        return b"".join(pages)

    def _query(self, sql: str, *args: Any) -> list[Any]:
        with sqlite3.connect(self._copy()) as db:
            return [row[0] for row in db.execute(sql, args)]

    async def dump(self) -> bytes:
        db = sqlite3.connect(self._copy())
        try:
            return "\n".join(db.iterdump()).encode()
        finally:
            db.close()

    async def sealed(self, poll_id: int) -> list[str]:
        # No rowid: nothing in the table keeps the order in which ballots came.
        with pytest.raises(sqlite3.OperationalError, match="rowid"):
            self._query("SELECT rowid FROM sealed_ballots")
        return self._query("SELECT sealed FROM sealed_ballots WHERE poll_id = ?", poll_id)

    async def poll_keys(self, poll_id: int) -> list[str]:
        return self._query("SELECT wrapped_key FROM ballot_keys WHERE poll_id = ?", poll_id)

    async def raw(self) -> bytes:
        copy = self._copy()
        wal = copy.with_name("ecabinet.db-wal")
        return copy.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def test_no_vote_commit_reveals_a_choice_count_or_receipt_on_sqlite(tmp_path: Path) -> None:
    scratch = tmp_path / "copies"
    scratch.mkdir()
    with embedded_server(tmp_path / "server") as server:
        copies = SqliteCopies(Path(server.env["ECABINET_DATA_DIR"]), scratch)
        await _play(copies, [server.url])


# --- PostgreSQL ----------------------------------------------------------------------------


@dataclass
class PostgresCopies:
    conn: asyncpg.Connection
    dsn: str
    database_oid: int
    wal: PostgresWal
    start: int = 0

    async def mark(self) -> None:
        self.start = parse_lsn(await self.conn.fetchval("SELECT pg_current_wal_insert_lsn()::text"))

    async def appended(self) -> bytes:
        end = parse_lsn(await self.conn.fetchval("SELECT pg_current_wal_flush_lsn()::text"))
        records = await asyncio.to_thread(self.wal.records, self.start, end, self.database_oid)
        assert records, "the vote appended nothing to the WAL"
        return b"".join(records)

    async def dump(self) -> bytes:
        result = await asyncio.to_thread(
            subprocess.run, [PG_DUMP, "--no-owner", self.dsn], capture_output=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    async def sealed(self, poll_id: int) -> list[str]:
        rows = await self.conn.fetch(
            "SELECT sealed FROM sealed_ballots WHERE poll_id = $1", poll_id
        )
        return [r["sealed"] for r in rows]

    async def poll_keys(self, poll_id: int) -> list[str]:
        rows = await self.conn.fetch(
            "SELECT wrapped_key FROM ballot_keys WHERE poll_id = $1", poll_id
        )
        return [r["wrapped_key"] for r in rows]

    async def raw(self) -> bytes:
        return b""  # the heap keeps dead tuples until vacuumed; the dump is what a backup holds


@pytest.fixture
def postgres_servers(tmp_path: Path) -> Iterator[tuple[list[Server], str]]:
    """Two workers on one database, sharing one secret key (not a data directory): a poll
    opened on one gets ballots sealed by both and is closed on the first."""
    database_url = create_postgres_database()
    servers: list[Server] = []
    try:
        secret = secrets.token_urlsafe(48)
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            env = server_env(tmp_path / name, database_url, ECABINET_SECRET_KEY=secret)
            if not servers:
                prepare_database(env)
            servers.append(Server(env).start())
        yield servers, database_url
    finally:
        for server in servers:
            server.stop()
        drop_postgres_database(database_url)


@pytest.mark.postgres
async def test_no_vote_commit_reveals_a_choice_count_or_receipt_on_postgresql(
    postgres_servers: tuple[list[Server], str],
) -> None:
    servers, database_url = postgres_servers
    name = database_url.rsplit("/", 1)[1]
    dsn = f"{POSTGRES_ADMIN_DSN.rsplit('/', 1)[0]}/{name}"
    conn = await asyncpg.connect(dsn, timeout=5)
    try:
        settings = {
            key: await conn.fetchval(f"SHOW {key}")
            for key in ("data_directory", "wal_compression", "wal_block_size")
        }
        segment = await conn.fetchval(
            "SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'"
        )
        wal_dir = Path(settings["data_directory"]) / "pg_wal"
        if not os.access(wal_dir, os.R_OK):
            unavailable("PostgreSQL's WAL files", f"{wal_dir} is not readable here")
        # Compressed page images would hide what they hold from the scan.
        assert settings["wal_compression"] == "off", settings
        timeline = await conn.fetchval("SELECT timeline_id FROM pg_control_checkpoint()")
        copies = PostgresCopies(
            conn,
            dsn,
            await conn.fetchval("SELECT oid FROM pg_database WHERE datname = $1", name),
            PostgresWal(wal_dir, timeline, int(segment), int(settings["wal_block_size"])),
        )
        await _play(copies, [server.url for server in servers])
    finally:
        await conn.close()
