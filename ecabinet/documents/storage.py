"""Stored documents: nothing is kept unless its command is accepted, and what no document
refers to is collected.

An upload is received and inspected under ``tmp/``. Its ``document.add`` command then runs
under the meeting's lock; the rules check everything (agenda item, version to replace,
ended meeting, the meeting's quota), and only an accepted command reaches
``record_added``, which — in the command's transaction, after its event — writes the
``blobs`` row and places the file at its content address. A refused upload therefore
leaves nothing behind: its temporary file is removed by the upload's handler.

A transaction can still fail after ``record_added`` (the database, a fault): its file is
then at its address with no document referring to it. ``collect`` removes such blobs and
rows, and temporary files left by a stopped server; ``collect_forever`` runs it at start-up
and every hour. A blob is referenced when a ``document.added`` event in any meeting's log
names it; the log is the truth, the ``blobs`` table only caches what ingest found.

Why collection never takes a blob in flight: placing a file refreshes its modification
time and writing the row refreshes its ``created_at`` (an upsert), both a moment before the
commit that makes them referenced; ``collect`` takes only what is older than
``COLLECT_MIN_AGE_SECS`` and, for rows, says so in the ``DELETE`` itself, which waits for
(and then sees) a transaction that is writing the row.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.documents.blobstore import BlobStore
from ecabinet.documents.ingest import PdfInfo
from ecabinet.errors import IdempotencyKeyReused
from ecabinet.events import Event
from ecabinet.meetings.rules import Context, MeetingState
from ecabinet.store import eventlog
from ecabinet.store.database import Database
from ecabinet.store.schema import blobs, meeting_events

log = logging.getLogger(__name__)

# Longer than any upload's transaction and than a temporary file stays unwritten while in
# use (an inspection is bounded at 45 s, a copy is streamed from an open file).
COLLECT_MIN_AGE_SECS = 3600
COLLECT_EVERY_SECS = 3600
DELETE_CHUNK_ROWS = 500  # sha256 values per DELETE statement


@dataclass(frozen=True)
class StagedUpload:
    """An inspected upload waiting under ``tmp/`` for its command (server-side only: the
    ``document.add`` command is internal, so no client can name a file here)."""

    store: BlobStore
    temp: Path
    info: PdfInfo


async def record_added(
    conn: AsyncConnection, meeting_id: int, state: MeetingState, ctx: Context, stored: list[Event]
) -> dict[str, Any]:
    """``document.add``'s record step (accepted only): the ``blobs`` row and the file at its
    content address. The ack names the new document."""
    added = stored[-1].data
    staged = ctx.data.get("staged")
    if isinstance(staged, StagedUpload):
        info = staged.info
        values = {
            "sha256": info.sha256,
            "size": info.size,
            "pages": info.pages,
            "page_sizes": json.dumps(info.page_sizes),
            "title": (info.title or "")[:300] or None,
            "created_at": time.time(),
        }
        insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
        statement = insert(blobs).values(**values)
        await conn.execute(
            statement.on_conflict_do_update(
                index_elements=["sha256"], set_={"created_at": statement.excluded.created_at}
            )
        )
        await asyncio.to_thread(staged.store.place, staged.temp, info.sha256)
    return {"document_id": added["document_id"]}


async def replay_added(
    conn: AsyncConnection, meeting_id: int, data: Mapping[str, Any], ack: Mapping[str, Any]
) -> dict[str, Any]:
    """A ``document.add`` whose command id (the upload's ``Idempotency-Key``) was accepted
    before: the same file gets the document it added then; another file is refused."""
    found = await eventlog.read_after(conn, meeting_id, max(0, ack["seq"] - 1), limit=1)
    event = found[0] if found and found[0].seq == ack["seq"] else None
    if (
        event is None
        or event.type != "document.added"
        or event.data["sha256"] != data.get("sha256")
    ):
        raise IdempotencyKeyReused(
            "this Idempotency-Key was already used for another file in this meeting; "
            "send a new key with a new file"
        )
    return {"document_id": event.data["document_id"]}


@dataclass(frozen=True)
class Collected:
    blobs: int
    rows: int
    freed_bytes: int


async def collect(
    db: Database, store: BlobStore, now: float, min_age_secs: float = COLLECT_MIN_AGE_SECS
) -> Collected:
    """Remove the blobs (files and rows) that no document refers to, and stale temporary
    files, all older than ``min_age_secs`` at ``now`` (seconds since the epoch)."""
    cutoff = now - min_age_secs
    # What may go is read before what is referenced: anything committed in between is
    # younger than the cutoff, so never taken.
    files = dict(await asyncio.to_thread(lambda: list(store.stored())))
    async with db.read() as conn:
        old_rows = set(
            await conn.scalars(select(blobs.c.sha256).where(blobs.c.created_at < cutoff))
        )
        referenced = {
            json.loads(data)["sha256"]
            for data in await conn.scalars(
                select(meeting_events.c.data).where(meeting_events.c.type == "document.added")
            )
        }
    rows = 0
    unreferenced_rows = sorted(old_rows - referenced)
    if unreferenced_rows:
        async with db.write() as conn:
            for start in range(0, len(unreferenced_rows), DELETE_CHUNK_ROWS):
                chunk = unreferenced_rows[start : start + DELETE_CHUNK_ROWS]
                result = await conn.execute(
                    delete(blobs).where(blobs.c.sha256.in_(chunk), blobs.c.created_at < cutoff)
                )
                rows += result.rowcount

    def remove_files() -> tuple[int, int]:
        count, freed = 0, 0
        for sha256 in files.keys() - referenced:
            size = store.discard(files[sha256], cutoff)
            count, freed = count + (size > 0), freed + size
        return count, freed + store.discard_temporary(cutoff)

    count, freed = await asyncio.to_thread(remove_files)
    return Collected(count, rows, freed)


async def collect_forever(db: Database, store: BlobStore) -> None:
    """``collect`` now and every ``COLLECT_EVERY_SECS``; a failed run is logged and retried
    at the next one (several workers may run it at once: each removal is idempotent)."""
    while True:
        try:
            done = await collect(db, store, time.time())
        except Exception:
            log.exception("collecting unreferenced documents failed")
        else:
            if done.blobs or done.rows or done.freed_bytes:
                log.info(
                    "collected %s unreferenced documents (%s rows), %s bytes freed",
                    done.blobs,
                    done.rows,
                    done.freed_bytes,
                )
        await asyncio.sleep(COLLECT_EVERY_SECS)
