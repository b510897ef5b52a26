"""Folding the agenda-editing events into the state. Stored events were decided against
the state they are folded into, so these trust their payloads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from agenda._lifecycle import Kind, Status
from agenda._model import AgendaState, Item
from agenda._tree import with_siblings


def with_item(state: AgendaState, item: Item) -> AgendaState:
    return replace(state, items={**state.items, item.id: item})


def _detached(state: AgendaState, item: Item) -> dict[int | None, tuple[int, ...]]:
    """The tree without ``item`` in its parent's list (its own sub-items stay with it)."""
    siblings = tuple(i for i in state.children.get(item.parent_id, ()) if i != item.id)
    return with_siblings(state.children, item.parent_id, siblings)


def fold_added(state: AgendaState, data: Mapping[str, Any], at: str) -> AgendaState:
    item_id = data["item_id"]
    if item_id != state.next_item_id:
        raise ValueError(f"agenda.item_added with id {item_id}, expected {state.next_item_id}")
    item = Item(
        id=item_id,
        title=data["title"],
        kind=Kind(data["kind"]),
        description=data["description"],
        planned_minutes=data["planned_minutes"],
        presenter_id=data["presenter_id"],
        document_ids=tuple(data["document_ids"]),
        parent_id=data["parent_id"],
    )
    siblings = list(state.children.get(item.parent_id, ()))
    siblings.insert(data["position"], item_id)
    return replace(
        with_item(state, item),
        children=with_siblings(state.children, item.parent_id, tuple(siblings)),
        next_item_id=item_id + 1,
    )


def fold_updated(state: AgendaState, data: Mapping[str, Any], at: str) -> AgendaState:
    changes = {name: value for name, value in data.items() if name != "item_id"}
    if "kind" in changes:
        changes["kind"] = Kind(changes["kind"])
    if "document_ids" in changes:
        changes["document_ids"] = tuple(changes["document_ids"])
    return with_item(state, replace(state.items[data["item_id"]], **changes))


def fold_moved(state: AgendaState, data: Mapping[str, Any], at: str) -> AgendaState:
    item = state.items[data["item_id"]]
    parent_id = data["parent_id"]
    children = _detached(state, item)
    siblings = list(children.get(parent_id, ()))
    siblings.insert(data["position"], item.id)
    return replace(
        with_item(state, replace(item, parent_id=parent_id)),
        children=with_siblings(children, parent_id, tuple(siblings)),
    )


def fold_removed(state: AgendaState, data: Mapping[str, Any], at: str) -> AgendaState:
    item = state.items[data["item_id"]]
    items = {i: it for i, it in state.items.items() if i != item.id}
    queues = {i: q for i, q in state.queues.items() if i != item.id}
    return replace(state, items=items, children=_detached(state, item), queues=queues)


def fold_status_changed(state: AgendaState, data: Mapping[str, Any], at: str) -> AgendaState:
    item = state.items[data["item_id"]]
    return with_item(state, replace(item, status=Status(data["status"])))


def fold_document_attached(state: AgendaState, data: Mapping[str, Any], at: str) -> AgendaState:
    item = state.items[data["item_id"]]
    return with_item(state, replace(item, document_ids=(*item.document_ids, data["document_id"])))


def fold_document_detached(state: AgendaState, data: Mapping[str, Any], at: str) -> AgendaState:
    item = state.items[data["item_id"]]
    kept = tuple(d for d in item.document_ids if d != data["document_id"])
    return with_item(state, replace(item, document_ids=kept))
