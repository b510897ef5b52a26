"""Minutes rows and files: the ``minutes`` projection, written in the command's transaction,
and the files under DATA_DIR/minutes/<meeting_id>/<sha256>.pdf (written before the command,
never changed: a signature makes a new file)."""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.events import Event
from ecabinet.meetings.rules import Context, MeetingState
from ecabinet.store.schema import meetings, minutes


async def prepare_head(
    conn: AsyncConnection, meeting_id: int, state: MeetingState, data: Mapping[str, Any]
) -> str:
    """The log head hash (the state knows only its seq)."""
    head_hash = await conn.scalar(select(meetings.c.head_hash).where(meetings.c.id == meeting_id))
    return str(head_hash)


async def record_version(
    conn: AsyncConnection, meeting_id: int, state: MeetingState, ctx: Context, stored: list[Event]
) -> dict[str, Any]:
    """Keep the ``minutes`` rows in step with the events; the ack names the version."""
    now = time.time()
    reply: dict[str, Any] = {}
    for event in stored:
        data = event.data
        if event.type == "minutes.generated":
            await conn.execute(
                minutes.insert().values(
                    meeting_id=meeting_id,
                    version=data["version"],
                    status="draft",
                    sha256=data["sha256"],
                    draft_sha256=data["sha256"],
                    head_seq=data["head_seq"],
                    head_hash=data["head_hash"],
                    layout=data["layout"],
                    replaces=data["replaces"],
                    created_at=now,
                    updated_at=now,
                )
            )
        elif event.type == "minutes.signed":
            await conn.execute(
                update(minutes)
                .where(minutes.c.meeting_id == meeting_id, minutes.c.version == data["version"])
                .values(status=data["status"], sha256=data["sha256"], updated_at=now)
            )
        reply = {"version": data["version"], "status": data.get("status", "draft")}
    return reply


async def versions(conn: AsyncConnection, meeting_id: int) -> list[dict[str, Any]]:
    rows = (
        await conn.execute(
            select(minutes).where(minutes.c.meeting_id == meeting_id).order_by(minutes.c.version)
        )
    ).all()
    return [dict(r._mapping) for r in rows]


class MinutesFiles:
    """The files of every version, named by their SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, meeting_id: int, sha256: str) -> Path:
        return self.root / str(meeting_id) / f"{sha256}.pdf"

    def write(self, meeting_id: int, data: bytes) -> str:
        """Store ``data`` (atomically, durably); returns its SHA-256."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(meeting_id, sha256)
        if target.exists():
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{secrets.token_hex(8)}.tmp")
        with temp.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
        return sha256

    def read(self, meeting_id: int, sha256: str) -> bytes:
        """The file's bytes, checked against its name (a changed file is refused)."""
        data = self.path(meeting_id, sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise RuntimeError(f"minutes file {sha256[:12]}… of meeting {meeting_id} was altered")
        return data
