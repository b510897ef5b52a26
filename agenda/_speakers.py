"""The floor: a speakers' queue per item, one running speech (on the current item), and a
default speaking time.

Anyone who may speak asks for the floor for themselves; the chair and the clerk may also
put someone else on a queue or take them off. Only the chair grants the floor; the speech
ends when the speaker or the chair says so, when the chair grants the floor to someone
else, or when the current item changes. ``speakers.ended`` carries the duration computed
from the start stored in the state and the ``now`` of the command that ended it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from agenda import _payload as payload
from agenda._clock import secs_between
from agenda._errors import Conflict, NotAllowed, NotFound
from agenda._lifecycle import QUEUE_KEEPERS, REQUESTABLE_STATUSES, Role
from agenda._model import Actor, AgendaState, Decided, Item, Request, Speech

QUEUE_MAX = 200  # people waiting on one item; larger than any committee
QUEUE_KEYS = frozenset({"item_id", "user_id"})


def end_running_speech(state: AgendaState, now: str) -> list[Decided]:
    """The ``speakers.ended`` event for the running speech, if there is one."""
    if state.speech is None:
        return []
    data = {
        "item_id": state.current_id,
        "user_id": state.speech.user_id,
        "duration_secs": secs_between(state.speech.started_at, now),
    }
    return [Decided("speakers.ended", data)]


def _queue_target(state: AgendaState, data: Mapping[str, Any], actor: Actor) -> tuple[Item, int]:
    payload.check_keys(data, QUEUE_KEYS, frozenset())
    user_id = actor.user_id
    if data.get("user_id") is not None:
        user_id = payload.an_id(data["user_id"], "user_id")
    if user_id != actor.user_id and actor.role not in QUEUE_KEEPERS:
        raise NotAllowed("only the chair or the clerk may manage someone else's place on the list")
    if data.get("item_id") is not None:
        return payload.item(state, data["item_id"]), user_id
    if state.current_id is None:
        raise Conflict("there is no current item: give item_id")
    return state.items[state.current_id], user_id


def _queued(state: AgendaState, item_id: int, user_id: int) -> bool:
    return any(r.user_id == user_id for r in state.queues.get(item_id, ()))


def decide_request(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    item, user_id = _queue_target(state, data, actor)
    if item.id != state.current_id and item.status not in REQUESTABLE_STATUSES:
        raise Conflict(f"the floor cannot be requested on a {item.status} item")
    if _queued(state, item.id, user_id):
        raise Conflict("already on the speakers' list for this item")
    if len(state.queues.get(item.id, ())) >= QUEUE_MAX:
        raise Conflict(f"the speakers' list is full ({QUEUE_MAX})")
    return [Decided("speakers.requested", {"item_id": item.id, "user_id": user_id})]


def decide_withdraw(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    item, user_id = _queue_target(state, data, actor)
    if not _queued(state, item.id, user_id):
        raise NotFound("not on the speakers' list for this item")
    return [Decided("speakers.withdrawn", {"item_id": item.id, "user_id": user_id})]


def decide_grant(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    """To ``user_id``, or to the head of the current item's queue; ends a running speech."""
    payload.check_keys(data, frozenset({"user_id", "limit_secs"}), frozenset())
    named = None if data.get("user_id") is None else payload.an_id(data["user_id"], "user_id")
    limit = state.default_limit_secs
    if "limit_secs" in data:
        limit = payload.limit_secs(data["limit_secs"])
    if state.current_id is None:
        raise Conflict("there is no current item")
    queue = state.queues.get(state.current_id, ())
    if named is None and not queue:
        raise Conflict("nobody is waiting to speak")
    user_id = queue[0].user_id if named is None else named
    if state.speech is not None and state.speech.user_id == user_id:
        raise Conflict("that person already has the floor")
    granted = {"item_id": state.current_id, "user_id": user_id, "limit_secs": limit}
    return [*end_running_speech(state, now), Decided("speakers.granted", granted)]


def decide_end(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    payload.check_keys(data, frozenset(), frozenset())
    if state.speech is None:
        raise Conflict("nobody has the floor")
    if actor.user_id != state.speech.user_id and actor.role != Role.CHAIR:
        raise NotAllowed("only the speaker or the chair may end a speech")
    return end_running_speech(state, now)


def decide_set_default_limit(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    """``limit_secs`` null means no limit. Setting the value it already has emits nothing."""
    payload.check_keys(data, frozenset({"limit_secs"}), frozenset({"limit_secs"}))
    limit = payload.limit_secs(data["limit_secs"])
    if limit == state.default_limit_secs:
        return []
    return [Decided("speakers.default_limit_set", {"limit_secs": limit})]


def _without(state: AgendaState, item_id: int, user_id: int) -> dict[int, tuple[Request, ...]]:
    """The queues with ``user_id`` off ``item_id``'s queue (an emptied queue is dropped)."""
    queues = dict(state.queues)
    kept = tuple(r for r in queues.pop(item_id, ()) if r.user_id != user_id)
    if kept:
        queues[item_id] = kept
    return queues


def fold_requested(state: AgendaState, data: Mapping[str, Any], at: str) -> AgendaState:
    item_id = data["item_id"]
    queue = (*state.queues.get(item_id, ()), Request(data["user_id"], at))
    return replace(state, queues={**state.queues, item_id: queue})


def fold_withdrawn(state: AgendaState, data: Mapping[str, Any], at: str) -> AgendaState:
    return replace(state, queues=_without(state, data["item_id"], data["user_id"]))


def fold_granted(state: AgendaState, data: Mapping[str, Any], at: str) -> AgendaState:
    speech = Speech(data["user_id"], at, data["limit_secs"])
    return replace(state, queues=_without(state, data["item_id"], data["user_id"]), speech=speech)


def fold_ended(state: AgendaState, data: Mapping[str, Any], at: str) -> AgendaState:
    if state.speech is None:
        raise ValueError("speakers.ended while nobody has the floor")
    item = state.items[data["item_id"]]
    done = replace(state.speech, ended_at=at, duration_secs=data["duration_secs"])
    items = {**state.items, item.id: replace(item, speeches=(*item.speeches, done))}
    return replace(state, items=items, speech=None)


def fold_default_limit_set(state: AgendaState, data: Mapping[str, Any], at: str) -> AgendaState:
    return replace(state, default_limit_secs=data["limit_secs"])
