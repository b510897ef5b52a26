"""A meeting's log checked against its checkpoints: the anchor outside the database.

Someone who can write the database can change an event and recompute every hash after it
and the meeting's head; the chain then verifies. The checkpoints cannot be recomputed
without the signing key, so each one is checked: its line parses, it is of this meeting,
its signature verifies with the public key, the log reaches its seq, and the log's hash at
its seq is the signed one. The first failing checkpoint in seq order is named (a rewrite
from seq n contradicts the first checkpoint at or after n).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.checkpoints import journal, signing
from ecabinet.store import eventlog
from ecabinet.store.schema import meeting_events, meetings


@dataclass(frozen=True)
class Finding:
    """The first checkpoint that fails: its line in the file, its seq (when it parses)."""

    line: int
    seq: int | None
    reason: str

    def to_wire(self) -> dict[str, Any]:
        return {"line": self.line, "seq": self.seq, "reason": self.reason}


@dataclass(frozen=True)
class CheckpointReport:
    count: int  # lines in the meeting's checkpoint file
    verified: int  # of them: signed with the key and matching the log
    latest_seq: int | None  # the highest verified checkpoint's seq
    first_bad: Finding | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad is None

    def to_wire(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "count": self.count,
            "verified": self.verified,
            "latest_seq": self.latest_seq,
            "first_bad": self.first_bad.to_wire() if self.first_bad else None,
        }


def check(
    meeting_id: int,
    lines: Sequence[journal.Line],
    hashes: dict[int, str],
    head_seq: int,
    key: Ed25519PublicKey,
) -> CheckpointReport:
    """Pure: ``hashes`` maps a seq to the log's stored hash, ``head_seq`` is the log's end."""
    findings: list[tuple[int, Finding]] = []  # (seq for ordering, finding)
    verified: list[int] = []
    for line in lines:
        checkpoint = line.checkpoint
        if checkpoint is None:
            findings.append((-1, Finding(line.number, None, line.error)))
            continue
        reason = _contradiction(meeting_id, checkpoint, hashes, head_seq, key)
        if reason:
            findings.append((checkpoint.seq, Finding(line.number, checkpoint.seq, reason)))
        else:
            verified.append(checkpoint.seq)
    first_bad = min(findings, key=lambda f: (f[0], f[1].line))[1] if findings else None
    return CheckpointReport(len(lines), len(verified), max(verified, default=None), first_bad)


def _contradiction(
    meeting_id: int,
    checkpoint: signing.Checkpoint,
    hashes: dict[int, str],
    head_seq: int,
    key: Ed25519PublicKey,
) -> str:
    if checkpoint.meeting_id != meeting_id:
        return f"the checkpoint is of meeting {checkpoint.meeting_id}"
    if not signing.verify(key, checkpoint):
        return "the signature does not verify with the checkpoint key"
    if checkpoint.seq > head_seq:
        return f"the log ends at seq {head_seq}, before the signed head"
    if hashes.get(checkpoint.seq) != checkpoint.hash:
        return f"the log's hash at seq {checkpoint.seq} is not the signed one"
    return ""


async def check_meeting(
    conn: AsyncConnection, meeting_id: int, folder: Path, key: Ed25519PublicKey
) -> CheckpointReport:
    lines = journal.read(folder, meeting_id)
    seqs = {line.checkpoint.seq for line in lines if line.checkpoint is not None}
    head_seq = await conn.scalar(select(meetings.c.last_seq).where(meetings.c.id == meeting_id))
    hashes: dict[int, str] = {}
    if seqs:
        rows = await conn.execute(
            select(meeting_events.c.seq, meeting_events.c.hash).where(
                meeting_events.c.meeting_id == meeting_id, meeting_events.c.seq.in_(seqs)
            )
        )
        hashes = {row.seq: row.hash for row in rows}
    return check(meeting_id, lines, hashes, int(head_seq or 0), key)


@dataclass(frozen=True)
class AuditReport:
    chain: eventlog.ChainReport
    checkpoints: CheckpointReport

    @property
    def ok(self) -> bool:
        return self.chain.ok and self.checkpoints.ok

    def to_wire(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.chain.events,
            "first_bad_seq": self.chain.first_bad_seq,
            "reason": self.chain.reason,
            "checkpoints": self.checkpoints.to_wire(),
        }


async def audit(
    conn: AsyncConnection, meeting_id: int, folder: Path, key: Ed25519PublicKey
) -> AuditReport:
    """The chain recomputed (``eventlog.verify``) and checked against the checkpoints."""
    chain = await eventlog.verify(conn, meeting_id)
    return AuditReport(chain, await check_meeting(conn, meeting_id, folder, key))
