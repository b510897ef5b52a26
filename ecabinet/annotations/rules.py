"""Annotation rules: create, update (with the version it was made on), delete, share.

Only the owner changes an annotation. A private annotation is seen by its owner alone: its
events carry ``owner_id`` and ``shared`` so ``visible_to`` can decide per event, and every
other viewer gets the event redacted (its seq and hash only). The presenter's marks are
shared unless they say otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from ecabinet.annotations import shapes
from ecabinet.documents.rules import DocumentsState
from ecabinet.errors import Conflict, Invalid, NotAllowed, NotFound
from ecabinet.events import Event, NewEvent

EVENT_TYPES = frozenset(
    {"annotation.created", "annotation.updated", "annotation.deleted", "annotation.shared"}
)
ANNOTATIONS_PER_OWNER_MAX = 5000


@dataclass(frozen=True)
class Annotation:
    id: int
    owner_id: int
    document_id: int
    page: int
    kind: str
    shared: bool
    version: int
    body: Mapping[str, Any]  # the kind's drawing fields (points, rects, text, anchor, color, width)

    def to_wire(self) -> dict[str, Any]:
        return {
            "annotation_id": self.id,
            "owner_id": self.owner_id,
            "document_id": self.document_id,
            "page": self.page,
            "kind": self.kind,
            "shared": self.shared,
            "version": self.version,
            **self.body,
        }

    @cached_property
    def wire_json(self) -> str:
        """``to_wire()`` as JSON text, encoded once per version of the mark (a changed mark
        is a new ``Annotation``), not on every join."""
        return json.dumps(self.to_wire(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class AnnotationsState:
    items: Mapping[int, Annotation] = field(default_factory=dict)
    next_id: int = 1

    def to_wire(self, viewer_id: int | None) -> str:
        """The annotations ``viewer_id`` may see (shared ones and their own) as the JSON text
        of their list. A snapshot may hold thousands of marks with tens of thousands of ink
        points: as one string, Socket.IO's encoder (which walks every list and dict looking
        for binary data) and ``json.dumps`` see a single value, and each mark's text is made
        once (docs/performance.md, "Annotations: join with 5 000 marks").
        """
        visible = (
            a.wire_json
            for _, a in sorted(self.items.items())
            if a.shared or a.owner_id == viewer_id
        )
        return "[" + ",".join(visible) + "]"


def _whole(data: Mapping[str, Any], name: str) -> int:
    value = data.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise Invalid(f"{name} must be a positive whole number")
    return value


def _owned(state: AnnotationsState, data: Mapping[str, Any], actor_id: int) -> Annotation:
    annotation = state.items.get(_whole(data, "annotation_id"))
    if annotation is None or (annotation.owner_id != actor_id and not annotation.shared):
        raise NotFound("no such annotation")
    if annotation.owner_id != actor_id:
        raise NotAllowed("only its owner changes an annotation")
    return annotation


def _check_version(annotation: Annotation, data: Mapping[str, Any]) -> None:
    if _whole(data, "version") != annotation.version:
        raise Conflict(
            f"the annotation changed meanwhile (now version {annotation.version}); reload it"
        )


def decide_create(
    state: AnnotationsState,
    documents: DocumentsState,
    actor_id: int,
    presenting: bool,
    data: Mapping[str, Any],
) -> list[NewEvent]:
    kind = data.get("kind")
    if kind not in shapes.KINDS:
        raise Invalid(f"kind is one of: {', '.join(sorted(shapes.KINDS))}")
    document = documents.documents.get(_whole(data, "document_id"))
    if document is None:
        raise NotFound("no such document")
    page = _whole(data, "page")
    if page > document.pages:
        raise Invalid(f"page must be between 1 and {document.pages}")
    shared = data.get("shared", presenting)
    if not isinstance(shared, bool):
        raise Invalid("shared is true or false")
    if sum(a.owner_id == actor_id for a in state.items.values()) >= ANNOTATIONS_PER_OWNER_MAX:
        raise Conflict(f"at most {ANNOTATIONS_PER_OWNER_MAX} annotations per person in a meeting")
    body = shapes.shape(str(kind), _drawing(data), partial=False)
    return [
        NewEvent(
            "annotation.created",
            {
                "annotation_id": state.next_id,
                "owner_id": actor_id,
                "document_id": document.id,
                "page": page,
                "kind": kind,
                "shared": shared,
                "version": 1,
                **body,
            },
        )
    ]


def _drawing(data: Mapping[str, Any]) -> dict[str, Any]:
    control = {"annotation_id", "version", "document_id", "page", "kind", "shared"}
    return {k: v for k, v in data.items() if k not in control}


def decide_update(
    state: AnnotationsState, actor_id: int, data: Mapping[str, Any]
) -> list[NewEvent]:
    annotation = _owned(state, data, actor_id)
    _check_version(annotation, data)
    body = shapes.shape(annotation.kind, _drawing(data), partial=True)
    if not body:
        raise Invalid("nothing to change")
    return [
        NewEvent(
            "annotation.updated",
            {**_envelope(annotation), "version": annotation.version + 1, **body},
        )
    ]


def decide_delete(
    state: AnnotationsState, actor_id: int, data: Mapping[str, Any]
) -> list[NewEvent]:
    annotation = _owned(state, data, actor_id)
    _check_version(annotation, data)
    return [NewEvent("annotation.deleted", _envelope(annotation))]


def decide_share(state: AnnotationsState, actor_id: int, data: Mapping[str, Any]) -> list[NewEvent]:
    annotation = _owned(state, data, actor_id)
    shared = data.get("shared")
    if not isinstance(shared, bool):
        raise Invalid("shared is true or false")
    if shared == annotation.shared:
        return []
    # Sharing hands everyone the whole mark; unsharing only tells them to drop it.
    payload = (
        replace(annotation, shared=shared).to_wire()
        if shared
        else {**_envelope(annotation), "shared": False}
    )
    return [NewEvent("annotation.shared", payload)]


def _envelope(annotation: Annotation) -> dict[str, Any]:
    return {
        "annotation_id": annotation.id,
        "owner_id": annotation.owner_id,
        "shared": annotation.shared,
    }


def apply(state: AnnotationsState, event_type: str, data: Mapping[str, Any]) -> AnnotationsState:
    return apply_many(state, [(event_type, data)])


def apply_many(
    state: AnnotationsState, events: Iterable[tuple[str, Mapping[str, Any]]]
) -> AnnotationsState:
    """``apply`` of several events in a row, copying the marks once: a log folded from its
    start may hold thousands of annotation events in a row, and a copy per event made that
    quadratic (5 000 marks: ~0.2 s of a fresh server's first join)."""
    items = dict(state.items)
    next_id = state.next_id
    for event_type, data in events:
        next_id = _apply_in_place(items, next_id, event_type, data)
    return AnnotationsState(items, next_id)


def _apply_in_place(
    items: dict[int, Annotation], next_id: int, event_type: str, data: Mapping[str, Any]
) -> int:
    """Fold one event into ``items``; returns the next free id."""
    if event_type == "annotation.created":
        control = {"annotation_id", "owner_id", "document_id", "page", "kind", "shared", "version"}
        items[data["annotation_id"]] = Annotation(
            id=data["annotation_id"],
            owner_id=data["owner_id"],
            document_id=data["document_id"],
            page=data["page"],
            kind=data["kind"],
            shared=data["shared"],
            version=data["version"],
            body={k: v for k, v in data.items() if k not in control},
        )
        return max(next_id, int(data["annotation_id"]) + 1)
    before = items[data["annotation_id"]]
    if event_type == "annotation.updated":
        changes = {
            k: v
            for k, v in data.items()
            if k not in {"annotation_id", "owner_id", "shared", "version"}
        }
        items[before.id] = replace(before, version=data["version"], body={**before.body, **changes})
    elif event_type == "annotation.deleted":
        del items[before.id]
    elif event_type == "annotation.shared":
        items[before.id] = replace(before, shared=data["shared"])
    return next_id


def visible_to(event: Event, viewer_id: int | None) -> bool:
    """Whether ``viewer_id`` may receive ``event`` whole (every non-annotation event is)."""
    if event.type not in EVENT_TYPES or event.type == "annotation.shared":
        return True
    return bool(event.data.get("shared")) or event.data.get("owner_id") == viewer_id


def redacted(event: Event) -> dict[str, Any]:
    """What others receive in place of a private event: its place in the log, nothing else."""
    wire = event.to_wire()
    return {**wire, "type": "redacted", "actor_id": None, "data": {}}


def wire_for(event: Event, viewer_id: int | None) -> dict[str, Any]:
    return event.to_wire() if visible_to(event, viewer_id) else redacted(event)
