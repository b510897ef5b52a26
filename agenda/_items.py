"""Editing the agenda (chair and clerk, before and during the meeting): add, update, move,
remove, status, attached documents. Each ``decide_*`` returns the events or raises; each
``fold_*`` applies one stored event of that kind."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from agenda import _payload as payload
from agenda._errors import Conflict, Invalid, NotFound
from agenda._lifecycle import CURRENT_STATUSES, STATUS_MOVES, Kind, Status
from agenda._model import Actor, AgendaState, Decided, Item
from agenda._tree import DEPTH_MAX, depths, descendants, height

ITEMS_MAX = 500  # per meeting; a committee agenda rarely passes a few dozen

# Fields `agenda.item.update` may change, with the check for each.
UPDATABLE: Mapping[str, Callable[[Any], Any]] = {
    "title": payload.title,
    "description": payload.description,
    "kind": payload.kind,
    "planned_minutes": payload.planned_minutes,
    "presenter_id": payload.presenter_id,
    "document_ids": payload.document_ids,
}
ADD_KEYS = frozenset({*UPDATABLE, "parent_id", "position"})


def _wire_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value.value if isinstance(value, Kind | Status) else value


def _position(data: Mapping[str, Any], count: int) -> int:
    """A 0-based index among the new siblings; the end when not given."""
    if data.get("position") is None:
        return count
    return payload.whole(data["position"], "position", 0, count)


def decide_add(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    payload.check_keys(data, ADD_KEYS, frozenset({"title", "kind"}))
    fields = {name: check(data[name]) for name, check in UPDATABLE.items() if name in data}
    parent_id = payload.optional_parent(state, data.get("parent_id"))
    if len(state.items) >= ITEMS_MAX:
        raise Conflict(f"an agenda may have at most {ITEMS_MAX} items")
    if parent_id is not None and depths(state.children)[parent_id] >= DEPTH_MAX:
        raise Conflict(f"the agenda has at most {DEPTH_MAX} levels")
    position = _position(data, len(state.children.get(parent_id, ())))
    event = {
        "item_id": state.next_item_id,
        "parent_id": parent_id,
        "position": position,
        "title": fields["title"],
        "kind": fields["kind"].value,
        "description": fields.get("description", ""),
        "planned_minutes": fields.get("planned_minutes"),
        "presenter_id": fields.get("presenter_id"),
        "document_ids": list(fields.get("document_ids", ())),
    }
    return [Decided("agenda.item_added", event)]


def decide_update(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    """Only the fields that differ go into the event; when none does, nothing is emitted."""
    payload.check_keys(data, frozenset({*UPDATABLE, "item_id"}), frozenset({"item_id"}))
    item = payload.item(state, data["item_id"])
    if len(data) == 1:
        raise Invalid(f"nothing to update: give at least one of {', '.join(UPDATABLE)}")
    changes: dict[str, Any] = {}
    for name, check in UPDATABLE.items():
        if name in data and (value := check(data[name])) != getattr(item, name):
            changes[name] = _wire_value(value)
    return [Decided("agenda.item_updated", {"item_id": item.id, **changes})] if changes else []


def decide_move(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    payload.check_keys(
        data, frozenset({"item_id", "parent_id", "position"}), frozenset({"item_id", "parent_id"})
    )
    item = payload.item(state, data["item_id"])
    parent_id = payload.optional_parent(state, data["parent_id"])
    if parent_id is not None:
        if parent_id == item.id or parent_id in descendants(state.children, item.id):
            raise Conflict("an item cannot be moved under itself or one of its sub-items")
        if depths(state.children)[parent_id] + height(state.children, item.id) > DEPTH_MAX:
            raise Conflict(f"the agenda has at most {DEPTH_MAX} levels")
    siblings = [i for i in state.children.get(parent_id, ()) if i != item.id]
    position = _position(data, len(siblings))
    if parent_id == item.parent_id and state.children[parent_id].index(item.id) == position:
        return []
    return [
        Decided(
            "agenda.item_moved", {"item_id": item.id, "parent_id": parent_id, "position": position}
        )
    ]


def decide_remove(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    payload.check_keys(data, frozenset({"item_id"}), frozenset({"item_id"}))
    item = payload.item(state, data["item_id"])
    if state.children.get(item.id):
        raise Conflict("the item has sub-items: move or remove them first")
    if item.visits:
        raise Conflict("the item has been taken up in the meeting: withdraw it instead")
    return [Decided("agenda.item_removed", {"item_id": item.id})]


def decide_set_status(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    payload.check_keys(data, frozenset({"item_id", "status"}), frozenset({"item_id", "status"}))
    item = payload.item(state, data["item_id"])
    target = payload.status(data["status"])
    if target == item.status:
        raise Conflict(f"the item is already {target}")
    if (item.status, target) not in STATUS_MOVES:
        raise Conflict(f"an item that is {item.status} cannot become {target}")
    if item.id == state.current_id and target not in CURRENT_STATUSES:
        raise Conflict(f"the current item cannot be {target}: move to another item first")
    return [Decided("agenda.item_status_changed", {"item_id": item.id, "status": target.value})]


def _document(state: AgendaState, data: Mapping[str, Any]) -> tuple[Item, int]:
    keys = frozenset({"item_id", "document_id"})
    payload.check_keys(data, keys, keys)
    return payload.item(state, data["item_id"]), payload.an_id(data["document_id"], "document_id")


def decide_attach(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    item, document_id = _document(state, data)
    if document_id in item.document_ids:
        raise Conflict("the document is already attached to this item")
    if len(item.document_ids) >= payload.DOCUMENTS_PER_ITEM_MAX:
        raise Conflict(f"an item may have at most {payload.DOCUMENTS_PER_ITEM_MAX} documents")
    return [Decided("agenda.document_attached", {"item_id": item.id, "document_id": document_id})]


def decide_detach(
    state: AgendaState, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    item, document_id = _document(state, data)
    if document_id not in item.document_ids:
        raise NotFound("the document is not attached to this item")
    return [Decided("agenda.document_detached", {"item_id": item.id, "document_id": document_id})]
