"""Snapshots: snapshot(n) + events(n+1..m) == snapshot(m), for every event type."""

from __future__ import annotations

import json
from typing import Any

from agenda import EVENT_TYPES, AgendaState, apply, decide, numbering, state_from_wire

from .helpers import CHAIR, CLERK, MEMBER, OTHER_MEMBER, at

Log = list[tuple[str, dict[str, Any], str]]

SCRIPT: list[tuple[str, dict[str, Any], Any]] = [
    ("agenda.item.add", {"title": "Khai mạc", "kind": "information", "planned_minutes": 5}, CLERK),
    ("agenda.item.add", {"title": "Báo cáo tình hình", "kind": "discussion"}, CLERK),
    ("agenda.item.add", {"title": "Tờ trình số 12", "kind": "decision", "parent_id": 2}, CLERK),
    ("agenda.item.add", {"title": "Phụ lục", "kind": "information", "parent_id": 3}, CLERK),
    ("agenda.item.add", {"title": "Bế mạc", "kind": "information"}, CLERK),
    ("agenda.item.add", {"title": "Draft", "kind": "information"}, CLERK),
    ("agenda.item.remove", {"item_id": 6}, CLERK),
    ("agenda.item.update", {"item_id": 2, "description": "Quý IV", "presenter_id": 4}, CLERK),
    ("agenda.item.move", {"item_id": 5, "parent_id": None, "position": 0}, CHAIR),
    ("agenda.item.move", {"item_id": 5, "parent_id": None, "position": 2}, CHAIR),
    ("agenda.item.attach_document", {"item_id": 3, "document_id": 21}, CLERK),
    ("agenda.item.attach_document", {"item_id": 3, "document_id": 22}, CLERK),
    ("agenda.item.detach_document", {"item_id": 3, "document_id": 21}, CLERK),
    ("speakers.set_default_limit", {"limit_secs": 300}, CHAIR),
    ("speakers.request", {"item_id": 2}, MEMBER),
    ("agenda.next", {}, CHAIR),
    ("speakers.request", {}, OTHER_MEMBER),
    ("speakers.withdraw", {}, OTHER_MEMBER),
    ("agenda.next", {}, CHAIR),
    ("speakers.grant", {}, CHAIR),
    ("speakers.request", {}, OTHER_MEMBER),
    ("speakers.grant", {}, CHAIR),
    ("speakers.end", {}, OTHER_MEMBER),
    ("agenda.item.set_status", {"item_id": 3, "status": "deferred"}, CLERK),
    ("agenda.next", {}, CHAIR),
    ("speakers.grant", {"user_id": 3, "limit_secs": None}, CHAIR),
    ("agenda.previous", {}, CHAIR),
    ("agenda.current.set", {"item_id": 5}, CHAIR),
    ("agenda.current.clear", {}, CHAIR),
]


def play() -> tuple[AgendaState, Log]:
    state, log = AgendaState(), []
    for minute, (command, data, actor) in enumerate(SCRIPT):
        now = at(minute, 7 * minute % 60)
        for event in decide(state, command, data, actor, now):
            log.append((event.type, event.data, now))
            state = apply(state, event.type, event.data, now)
    return state, log


def fold(state: AgendaState, log: Log) -> AgendaState:
    for event_type, data, at_ in log:
        state = apply(state, event_type, data, at_)
    return state


def test_the_script_exercises_every_event_type() -> None:
    _, log = play()
    assert {event_type for event_type, _, _ in log} == EVENT_TYPES


def test_snapshot_n_plus_the_later_events_equals_snapshot_m_for_every_cut() -> None:
    final, log = play()
    for n in range(len(log) + 1):
        snapshot = json.loads(json.dumps(fold(AgendaState(), log[:n]).to_wire()))
        resumed = fold(state_from_wire(snapshot), log[n:])
        assert resumed == final, f"cut after event {n}"
        assert resumed.to_wire() == final.to_wire()


def test_folding_the_log_twice_gives_the_same_ids_and_numbers() -> None:
    final, log = play()
    again = fold(AgendaState(), log)
    assert again == final
    assert numbering(again) == numbering(final) == {1: "1", 2: "2", 3: "2.1", 4: "2.1.1", 5: "3"}


def test_the_wire_snapshot_is_plain_json_with_numbers_and_timers() -> None:
    final, _ = play()
    wire = final.to_wire()
    assert json.loads(json.dumps(wire)) == wire
    assert [(i["number"], i["depth"], i["position"]) for i in wire["items"]] == [
        ("1", 1, 0),
        ("2", 1, 1),
        ("2.1", 2, 0),
        ("2.1.1", 3, 0),
        ("3", 1, 2),
    ]
    report = wire["items"][1]
    assert report["status"] == "done" and report["presenter_id"] == 4
    assert [s["user_id"] for s in report["speeches"]] == [3, 4]
    assert wire["current_item_id"] is None and wire["default_limit_secs"] == 300
