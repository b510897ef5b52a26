"""Vote burst: every member casts ``vote.cast`` within about a second, then the chair closes
the poll and every tablet waits for ``poll.closed``. The room is set up by ``bench.room``.

Baselines: the same burst on the bare relay (each vote broadcast to the room, no database),
and the same number of bare INSERTs through SQLAlchemy in one process with E-cabinet's own
connection settings (SQLite: WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE``), each in its
own transaction as every vote is.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table

from bench import load
from bench.load import Progress, Tablet, Workers
from bench.servers import Running, database
from bench.stats import summary
from ecabinet.store.database import Database


async def burst(
    running: Running, chair: Tablet, workers: Workers, *, spread: float, progress: Progress
) -> dict[str, Any]:
    """Open a poll (E-cabinet) and let every tablet vote; the tablets are checked in and
    joined already (``bench.room``)."""
    poll_id = 1 if running.backend == "relay" else await load.open_poll(chair)
    result = await load.vote_burst(
        chair,
        workers,
        poll_id=poll_id,
        spread=spread,
        server_cpu=running.cpu,
        progress=progress,
    )
    return result.row()


_metadata = MetaData()
_ballots = Table(
    "bench_ballots",
    _metadata,
    Column("poll_id", Integer, primary_key=True),
    Column("voter_id", Integer, primary_key=True),
    Column("choice", String(16), nullable=False),
    Column("at", Float, nullable=False),
)


async def bare_inserts(backend: str, count: int) -> dict[str, Any]:
    """``count`` INSERTs, one transaction each, then the same rows in one transaction."""
    with (
        tempfile.TemporaryDirectory(prefix="ecabinet-bench-") as tmp,
        database(backend, Path(tmp)) as url,
    ):
        db = Database(url)
        try:
            async with db.engine.begin() as conn:
                await conn.run_sync(_metadata.create_all)
            latencies = []
            began = time.monotonic()
            for voter in range(count):
                at = time.monotonic()
                async with db.write() as conn:
                    await conn.execute(
                        _ballots.insert().values(
                            poll_id=1, voter_id=voter, choice="yes", at=time.time()
                        )
                    )
                latencies.append(time.monotonic() - at)
            each_wall = time.monotonic() - began
            began = time.monotonic()
            async with db.write() as conn:
                await conn.execute(
                    _ballots.insert(),
                    [
                        {"poll_id": 2, "voter_id": v, "choice": "yes", "at": time.time()}
                        for v in range(count)
                    ],
                )
            batch_wall = time.monotonic() - began
        finally:
            await db.dispose()
    stats = summary(latencies)
    return {
        "server": f"bare INSERT ({backend})",
        "count": count,
        "each_wall": each_wall,
        "ack_p50": stats["p50"],
        "ack_p99": stats["p99"],
        "batch_wall": batch_wall,
    }
