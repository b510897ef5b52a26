"""The agenda state: frozen dataclasses holding only JSON-like values and ISO time strings.

``AgendaState.to_wire`` is the snapshot a client loads; ``from_wire`` (in ``_wire``)
rebuilds the same state from it, so a stored snapshot plus later events is as good as the
whole log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agenda._clock import MS_PER_SEC, millis_between
from agenda._lifecycle import Kind, Status
from agenda._tree import Children


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: str  # "chair" | "clerk" | "member" | "observer"


@dataclass(frozen=True)
class Decided:
    """One event to append: ``data`` is JSON-compatible (no floats, no tuples)."""

    type: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Visit:
    """One stretch of time an item was the current item; ``ended_at`` is None while it is."""

    started_at: str
    ended_at: str | None = None


@dataclass(frozen=True)
class Speech:
    """A speech on an item; the running one has no end yet and lives in ``state.speech``."""

    user_id: int
    started_at: str
    limit_secs: int | None
    ended_at: str | None = None
    duration_secs: int | None = None


@dataclass(frozen=True)
class Request:
    """A place on an item's speakers' queue."""

    user_id: int
    requested_at: str


@dataclass(frozen=True)
class Item:
    id: int
    title: str
    kind: Kind
    description: str = ""
    planned_minutes: int | None = None
    presenter_id: int | None = None
    document_ids: tuple[int, ...] = ()
    status: Status = Status.PENDING
    parent_id: int | None = None
    visits: tuple[Visit, ...] = ()  # the record for the minutes: when it was handled
    speeches: tuple[Speech, ...] = ()  # finished speeches, in the order they were given

    @property
    def spent_ms(self) -> int:
        """Time spent on the item in finished visits (the running visit is not counted)."""
        return sum(millis_between(v.started_at, v.ended_at) for v in self.visits if v.ended_at)


@dataclass(frozen=True)
class AgendaState:
    items: Mapping[int, Item] = field(default_factory=dict)
    children: Children = field(default_factory=dict)  # parent id (None: top) -> ordered ids
    next_item_id: int = 1  # the id the next added item gets, so a replay gives the same ids
    current_id: int | None = None
    speech: Speech | None = None  # the running speech, always on the current item
    queues: Mapping[int, tuple[Request, ...]] = field(default_factory=dict)  # item id -> queue
    default_limit_secs: int | None = None

    def current_since(self) -> str | None:
        if self.current_id is None:
            return None
        return self.items[self.current_id].visits[-1].started_at

    def to_wire(self) -> dict[str, Any]:
        from agenda._wire import state_to_wire

        return state_to_wire(self)


def spent_secs(item: Item) -> int:
    return item.spent_ms // MS_PER_SEC
