"""A committee's follow-ups of its decisions: frozen dataclasses of JSON-like values.

Dates are local calendar dates as ``YYYY-MM-DD`` strings (they compare as text); instants
are ISO 8601 strings. A follow-up's ``status`` is not stored: it is derived from the record
and the day it is asked on (``status_on``), so "overdue" needs no event to become true.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Actor:
    """Who sends a command. ``reviewer``: the committee's chair or clerk, or an
    administrator (the application decides it); the assignee is recognised by ``user_id``."""

    user_id: int
    reviewer: bool


@dataclass(frozen=True)
class Decided:
    """One event to append: ``data`` is JSON-compatible."""

    type: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Report:
    report_id: int
    by: int
    at: str
    text: str
    document_ids: tuple[int, ...] = ()
    returned_reason: str | None = None  # set when a reviewer sent it back


@dataclass(frozen=True)
class Extension:
    previous_due: str
    due_date: str
    reason: str
    by: int
    at: str


@dataclass(frozen=True)
class FollowUp:
    id: int
    meeting_id: int
    decision_id: int
    text: str
    created_at: str
    assignee_id: int | None = None
    unit: str = ""
    due_date: str | None = None
    reports: tuple[Report, ...] = ()
    extensions: tuple[Extension, ...] = ()
    done_at: str | None = None

    @property
    def assigned(self) -> bool:
        return self.due_date is not None

    def status_on(self, today: str) -> Status:
        """The status on local day ``today``: done once accepted; otherwise overdue after
        its due date; otherwise in progress once reported on; otherwise not started."""
        if self.done_at is not None:
            return Status.DONE
        if self.due_date is not None and today > self.due_date:
            return Status.OVERDUE
        if self.reports:
            return Status.IN_PROGRESS
        return Status.NOT_STARTED

    def awaiting_review(self) -> bool:
        """A report came in and no reviewer has answered it yet."""
        return bool(self.reports) and self.reports[-1].returned_reason is None


def _no_items() -> Mapping[int, FollowUp]:
    return MappingProxyType({})


@dataclass(frozen=True)
class FollowUpsState:
    items: Mapping[int, FollowUp] = field(default_factory=_no_items)
    next_id: int = 1
    next_report_id: int = 1
