"""The event envelope shared by every domain fold.

An event is what the log stores and what clients receive: ``seq`` orders it within its
meeting, ``at`` is the server time it was committed at (ISO 8601 UTC), ``data`` is JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class NewEvent:
    """An event decided by a rule, before the log gives it a seq and a hash."""

    type: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    meeting_id: int
    seq: int
    type: str
    actor_id: int | None
    at: str
    data: dict[str, Any]
    hash: str

    def to_wire(self) -> dict[str, Any]:
        return {
            "meeting_id": self.meeting_id,
            "seq": self.seq,
            "type": self.type,
            "actor_id": self.actor_id,
            "at": self.at,
            "data": self.data,
            "hash": self.hash,
        }


def iso_utc(moment: datetime) -> str:
    """Millisecond ISO 8601 in UTC with a ``Z``: the one time format on the wire and in hashes."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
