"""Driving the agenda (the chair): which item is current, walking it in numbering order.

Leaving an item ends the speech running on it first (``speakers.ended``), then
``agenda.current_changed`` closes the item's visit and opens one on the next item. The
visits are the timer: time spent = the closed visits plus, for the current item, the time
since ``current_since``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from agenda import _payload as payload
from agenda._errors import Conflict
from agenda._lifecycle import CURRENT_STATUSES, ON_NEXT
from agenda._model import Actor, AgendaState, Decided, Visit
from agenda._speakers import end_running_speech
from agenda._tree import walk

NO_FIELDS: frozenset[str] = frozenset()


def _eligible(state: AgendaState) -> list[int]:
    """Items that may become current, in numbering order (withdrawn and deferred are not)."""
    return [i for i in walk(state.children) if state.items[i].status in CURRENT_STATUSES]


def _change(state: AgendaState, target: int | None, now: str, *, moving_on: bool) -> list[Decided]:
    events = end_running_speech(state, now)
    left = state.current_id
    if moving_on and left is not None:
        after = ON_NEXT.get(state.items[left].status)
        if after is not None:
            events.append(
                Decided("agenda.item_status_changed", {"item_id": left, "status": after.value})
            )
    events.append(Decided("agenda.current_changed", {"item_id": target, "previous_id": left}))
    return events


def decide_set_current(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    payload.check_keys(data, frozenset({"item_id"}), frozenset({"item_id"}))
    item = payload.item(state, data["item_id"])
    if item.id == state.current_id:
        raise Conflict("the item is already the current item")
    if item.status not in CURRENT_STATUSES:
        raise Conflict(f"a {item.status} item cannot become current: set it to pending first")
    return _change(state, item.id, now, moving_on=False)


def decide_next(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    """To the next eligible item; from no current item, to the first. The item left, if
    pending, becomes done (``ON_NEXT``)."""
    payload.check_keys(data, NO_FIELDS, NO_FIELDS)
    order = list(walk(state.children))
    start = 0 if state.current_id is None else order.index(state.current_id) + 1
    eligible = set(_eligible(state))
    ahead = [i for i in order[start:] if i in eligible]
    if not ahead:
        raise Conflict(
            "no item can be taken up" if state.current_id is None else "this is the last item"
        )
    return _change(state, ahead[0], now, moving_on=True)


def decide_previous(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    payload.check_keys(data, NO_FIELDS, NO_FIELDS)
    if state.current_id is None:
        raise Conflict("there is no current item")
    order = list(walk(state.children))
    eligible = set(_eligible(state))
    behind = [i for i in order[: order.index(state.current_id)] if i in eligible]
    if not behind:
        raise Conflict("this is the first item")
    return _change(state, behind[-1], now, moving_on=False)


def decide_clear(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    payload.check_keys(data, NO_FIELDS, NO_FIELDS)
    if state.current_id is None:
        raise Conflict("there is no current item")
    return leave(state, now)


def leave(state: AgendaState, now: str) -> list[Decided]:
    """Leave the current item for none (``agenda.current.clear`` and the meeting's end)."""
    return _change(state, None, now, moving_on=False)


def fold_current_changed(state: AgendaState, data: Mapping[str, Any], at: str) -> AgendaState:
    items = dict(state.items)
    if state.current_id is not None:
        left = items[state.current_id]
        closed = replace(left.visits[-1], ended_at=at)
        items[left.id] = replace(left, visits=(*left.visits[:-1], closed))
    target = data["item_id"]
    if target is not None:
        items[target] = replace(items[target], visits=(*items[target].visits, Visit(at)))
    return replace(state, items=items, current_id=target)
