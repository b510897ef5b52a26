"""What a committee's dashboard counts, on a given local day: on track, due within
``SOON_DAYS``, overdue and done — in all and per unit. Pure: the caller gives the day."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from followups._model import FollowUp, Status

SOON_DAYS = 7


@dataclass(frozen=True)
class Counts:
    on_track: int = 0
    due_soon: int = 0
    overdue: int = 0
    done: int = 0

    def to_wire(self) -> dict[str, int]:
        return {
            "on_track": self.on_track,
            "due_soon": self.due_soon,
            "overdue": self.overdue,
            "done": self.done,
        }


def bucket(item: FollowUp, today: str) -> str:
    """One of ``on_track``, ``due_soon``, ``overdue``, ``done`` (an unassigned follow-up
    is on track: it has no due date to miss yet)."""
    status = item.status_on(today)
    if status is Status.DONE:
        return "done"
    if status is Status.OVERDUE:
        return "overdue"
    soon = (date.fromisoformat(today) + timedelta(days=SOON_DAYS)).isoformat()
    if item.due_date is not None and item.due_date <= soon:
        return "due_soon"
    return "on_track"


def counts(items: Iterable[FollowUp], today: str) -> Counts:
    tally = Counter(bucket(item, today) for item in items)
    return Counts(tally["on_track"], tally["due_soon"], tally["overdue"], tally["done"])


def counts_by_unit(items: Iterable[FollowUp], today: str) -> dict[str, Counts]:
    """Counts per responsible unit; follow-ups without a unit under ``""``."""
    groups: dict[str, list[FollowUp]] = {}
    for item in items:
        groups.setdefault(item.unit, []).append(item)
    return {unit: counts(group, today) for unit, group in sorted(groups.items())}
