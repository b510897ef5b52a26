"""The snapshot's annotations: the JSON text of the marks a viewer may see, made from each
mark's cached text, and always the text of the mark's current version."""

from __future__ import annotations

import json
from typing import Any

from ecabinet.annotations.rules import AnnotationsState, apply

OWNER, OTHER = 7, 8


def _created(annotation_id: int, owner: int, shared: bool) -> dict[str, Any]:
    return {
        "annotation_id": annotation_id,
        "owner_id": owner,
        "document_id": 1,
        "page": 2,
        "kind": "note",
        "shared": shared,
        "version": 1,
        "text": f"Ghi chú số {annotation_id}",
        "anchor": [100.0, 700.5],
        "color": "#fbc02d",
    }


def _state() -> AnnotationsState:
    state = AnnotationsState()
    for data in (_created(1, OWNER, False), _created(2, OTHER, True), _created(3, OTHER, False)):
        state = apply(state, "annotation.created", data)
    return state


def test_the_text_lists_the_shared_marks_and_the_viewers_own_in_id_order() -> None:
    state = _state()
    assert [a["annotation_id"] for a in json.loads(state.to_wire(OWNER))] == [1, 2]
    assert [a["annotation_id"] for a in json.loads(state.to_wire(OTHER))] == [2, 3]
    assert json.loads(state.to_wire(None)) == [state.items[2].to_wire()]
    assert AnnotationsState().to_wire(OWNER) == "[]"


def test_the_text_keeps_vietnamese_as_written_and_parses_back_to_the_marks() -> None:
    state = _state()
    text = state.to_wire(OWNER)
    assert "Ghi chú số 1" in text
    assert json.loads(text) == [state.items[1].to_wire(), state.items[2].to_wire()]


def test_a_changed_mark_is_sent_at_its_new_version_not_from_a_stale_cache() -> None:
    state = _state()
    before = state.to_wire(OWNER)  # fills the cache of mark 1
    changed = apply(
        state,
        "annotation.updated",
        {"annotation_id": 1, "owner_id": OWNER, "shared": False, "version": 2, "text": "Đã sửa"},
    )
    after = json.loads(changed.to_wire(OWNER))
    assert after[0]["text"] == "Đã sửa" and after[0]["version"] == 2
    assert json.loads(before)[0]["text"] == "Ghi chú số 1"
    shared = apply(
        changed, "annotation.shared", {"annotation_id": 1, "owner_id": OWNER, "shared": True}
    )
    assert [a["annotation_id"] for a in json.loads(shared.to_wire(OTHER))] == [1, 2, 3]
