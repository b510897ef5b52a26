"""A tiny harness: run a command through decide → apply, or check that it is refused and
that nothing happened (the state object is equal to a deep copy taken before)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from agenda import Actor, AgendaError, AgendaState, Decided, apply, decide

CHAIR = Actor(1, "chair")
CLERK = Actor(2, "clerk")
MEMBER = Actor(3, "member")
OTHER_MEMBER = Actor(4, "member")
OBSERVER = Actor(5, "observer")
ACTORS = (CHAIR, CLERK, MEMBER, OTHER_MEMBER, OBSERVER)

PLAIN = (str, int, bool, type(None))
T0 = "2026-11-25T08:00:00.000Z"


def at(minutes: int = 0, secs: int = 0, millis: int = 0) -> str:
    """A time on the meeting day, ``minutes:secs.millis`` after 08:00 UTC."""
    total_ms = (minutes * 60 + secs) * 1000 + millis
    hours, rest = divmod(total_ms, 3_600_000)
    mins, rest = divmod(rest, 60_000)
    sec, ms = divmod(rest, 1000)
    return f"2026-11-25T{8 + hours:02}:{mins:02}:{sec:02}.{ms:03}Z"


def assert_json(events: list[Decided]) -> None:
    """Event data is plain JSON: it survives a round trip and holds no floats."""
    for event in events:
        text = json.dumps(event.data, allow_nan=False)
        assert json.loads(text) == event.data
        # Plain types only: no floats, no enums or tuples that merely look like JSON.
        assert all(type(v) in PLAIN for v in _values(event.data)), event


def _values(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _values(v)]
    if isinstance(value, list):
        return [x for v in value for x in _values(v)]
    return [value]


def step(
    state: AgendaState,
    command: str,
    data: dict[str, Any] | None = None,
    actor: Actor = CHAIR,
    now: str = T0,
) -> tuple[AgendaState, list[Decided]]:
    events = decide(state, command, data or {}, actor, now)
    assert_json(events)
    for event in events:
        state = apply(state, event.type, event.data, now)
    return state, events


def run(
    state: AgendaState,
    command: str,
    data: dict[str, Any] | None = None,
    actor: Actor = CHAIR,
    now: str = T0,
) -> AgendaState:
    return step(state, command, data, actor, now)[0]


def types(events: list[Decided]) -> list[str]:
    return [e.type for e in events]


def refused(
    state: AgendaState,
    command: str,
    data: dict[str, Any] | None,
    code: str,
    actor: Actor = CHAIR,
    now: str = T0,
) -> AgendaError:
    """Illegal commands raise an error and nothing happens."""
    before = copy.deepcopy(state)
    wire = state.to_wire()
    with pytest.raises(AgendaError) as caught:
        decide(state, command, data or {}, actor, now)
    assert caught.value.code == code, caught.value.message
    assert state == before
    assert state.to_wire() == wire
    return caught.value


def agenda(*titles: str) -> AgendaState:
    """Top-level discussion items with the given titles (ids 1, 2, …)."""
    state = AgendaState()
    for title in titles:
        state = run(state, "agenda.item.add", {"title": title, "kind": "discussion"})
    return state


def tree() -> AgendaState:
    """1 (id 1) · 1.1 (2) · 1.1.1 (3) · 1.2 (4) · 2 (5)."""
    state = agenda("Opening")
    for title, parent in (("Report", 1), ("Annex", 2), ("Budget", 1)):
        state = run(
            state, "agenda.item.add", {"title": title, "kind": "decision", "parent_id": parent}
        )
    return run(state, "agenda.item.add", {"title": "Closing", "kind": "information"})
