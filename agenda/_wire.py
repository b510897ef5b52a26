"""The snapshot form of the state, and back.

``state_to_wire`` adds derived fields a client needs to draw the agenda (number, depth,
position, is_current, time spent); ``state_from_wire`` reads only the stored ones, so
``state_from_wire(s.to_wire()) == s`` for every state ``s`` that ``apply`` can build.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agenda._lifecycle import Kind, Status
from agenda._model import AgendaState, Item, Request, Speech, Visit, spent_secs
from agenda._tree import depths, numbers, walk


def numbering(state: AgendaState) -> dict[int, str]:
    """``item id -> "1", "1.1", "1.2", "2" …``, derived from the order, never stored."""
    return numbers(state.children)


def _speech(speech: Speech) -> dict[str, Any]:
    return {
        "user_id": speech.user_id,
        "started_at": speech.started_at,
        "limit_secs": speech.limit_secs,
        "ended_at": speech.ended_at,
        "duration_secs": speech.duration_secs,
    }


def _item(state: AgendaState, item: Item, number: str, depth: int) -> dict[str, Any]:
    siblings = state.children.get(item.parent_id, ())
    return {
        "id": item.id,
        "number": number,
        "parent_id": item.parent_id,
        "position": siblings.index(item.id),
        "depth": depth,
        "title": item.title,
        "description": item.description,
        "kind": item.kind.value,
        "planned_minutes": item.planned_minutes,
        "presenter_id": item.presenter_id,
        "document_ids": list(item.document_ids),
        "status": item.status.value,
        "is_current": item.id == state.current_id,
        "visits": [{"started_at": v.started_at, "ended_at": v.ended_at} for v in item.visits],
        "first_current_at": item.visits[0].started_at if item.visits else None,
        "last_left_at": item.visits[-1].ended_at if item.visits else None,
        "spent_secs": spent_secs(item),
        "speeches": [_speech(s) for s in item.speeches],
    }


def state_to_wire(state: AgendaState) -> dict[str, Any]:
    labels, levels = numbers(state.children), depths(state.children)
    speech = None
    if state.speech is not None:
        speech = {"item_id": state.current_id, **_speech(state.speech)}
    return {
        "items": [_item(state, state.items[i], labels[i], levels[i]) for i in walk(state.children)],
        "next_item_id": state.next_item_id,
        "current_item_id": state.current_id,
        "current_since": state.current_since(),
        "speech": speech,
        "queues": {
            str(item_id): [{"user_id": r.user_id, "requested_at": r.requested_at} for r in queue]
            for item_id, queue in sorted(state.queues.items())
        },
        "default_limit_secs": state.default_limit_secs,
    }


def _speech_from(raw: Mapping[str, Any]) -> Speech:
    return Speech(
        raw["user_id"], raw["started_at"], raw["limit_secs"], raw["ended_at"], raw["duration_secs"]
    )


def state_from_wire(wire: Mapping[str, Any]) -> AgendaState:
    """Rebuild the state from ``to_wire()``'s output (items come in numbering order, so
    appending each to its parent's list restores the sibling order)."""
    items: dict[int, Item] = {}
    children: dict[int | None, tuple[int, ...]] = {}
    for raw in wire["items"]:
        item = Item(
            id=raw["id"],
            title=raw["title"],
            kind=Kind(raw["kind"]),
            description=raw["description"],
            planned_minutes=raw["planned_minutes"],
            presenter_id=raw["presenter_id"],
            document_ids=tuple(raw["document_ids"]),
            status=Status(raw["status"]),
            parent_id=raw["parent_id"],
            visits=tuple(Visit(v["started_at"], v["ended_at"]) for v in raw["visits"]),
            speeches=tuple(_speech_from(s) for s in raw["speeches"]),
        )
        items[item.id] = item
        children[item.parent_id] = (*children.get(item.parent_id, ()), item.id)
    speech = wire["speech"]
    return AgendaState(
        items=items,
        children=children,
        next_item_id=wire["next_item_id"],
        current_id=wire["current_item_id"],
        speech=None if speech is None else _speech_from(speech),
        queues={
            int(item_id): tuple(Request(r["user_id"], r["requested_at"]) for r in queue)
            for item_id, queue in wire["queues"].items()
        },
        default_limit_secs=wire["default_limit_secs"],
    )
