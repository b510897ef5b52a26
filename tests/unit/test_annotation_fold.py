"""Folding a log: runs of annotation events are folded in one go, with the same result as
event by event, and a gap inside a run is refused like any other."""

from __future__ import annotations

from typing import Any

import pytest

from ecabinet.events import Event
from ecabinet.meetings import rules
from ecabinet.meetings.rules import MeetingState

AT = "2026-11-26T07:00:00.000Z"


def _mark(annotation_id: int, shared: bool) -> dict[str, Any]:
    return {
        "annotation_id": annotation_id,
        "owner_id": 4,
        "document_id": 1,
        "page": 1,
        "kind": "ink",
        "shared": shared,
        "version": 1,
        "points": [[1.0, 2.0], [3.0, 4.0]],
        "color": "#d32f2f",
        "width": 2.0,
    }


LOG: list[tuple[str, dict[str, Any]]] = [
    (
        "document.added",
        {
            "document_id": 1,
            "title": "Tờ trình",
            "filename": "to-trinh.pdf",
            "pages": 3,
            "sha256": "0" * 64,
            "size": 1000,
            "version": 1,
            "item_id": None,
            "replaces_id": None,
        },
    ),
    ("annotation.created", _mark(1, True)),
    ("annotation.created", _mark(2, False)),
    ("annotation.updated", {"annotation_id": 2, "owner_id": 4, "shared": False, "version": 2,
                            "width": 4.0}),
    ("meeting.started", {}),
    ("annotation.shared", {**_mark(2, True), "version": 2, "width": 4.0}),
    ("annotation.deleted", {"annotation_id": 1, "owner_id": 4, "shared": True}),
    ("annotation.created", _mark(3, False)),
]  # fmt: skip


def _events() -> list[Event]:
    return [Event(9, seq, t, 4, AT, d, "") for seq, (t, d) in enumerate(LOG, start=1)]


def test_a_fold_equals_applying_each_event_in_turn_from_any_point() -> None:
    events = _events()
    one_by_one = MeetingState()
    for event in events:
        one_by_one = rules.apply(one_by_one, event)
    for n in range(len(events) + 1):
        start = rules.fold(MeetingState(), events[:n])
        assert rules.fold(start, events[n:]) == one_by_one, n
    assert sorted(one_by_one.annotations.items) == [2, 3]
    assert one_by_one.annotations.next_id == 4 and one_by_one.seq == len(events)


def test_a_gap_inside_a_run_of_annotation_events_is_refused() -> None:
    events = _events()
    with pytest.raises(ValueError, match="event seq 4 does not follow 2"):
        rules.fold(MeetingState(), events[:2] + events[3:])
    with pytest.raises(ValueError, match="event seq 3 does not follow 1"):
        rules.fold(MeetingState(), events[:1] + events[2:])
