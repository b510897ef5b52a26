"""Driving the agenda: the current item, walking in numbering order, and the item timer."""

from __future__ import annotations

from agenda import AgendaError, AgendaState, apply, closing_events

from .helpers import CLERK, MEMBER, agenda, at, refused, run, step, tree, types


def walk_with_next(state: AgendaState) -> list[int]:
    seen: list[int] = []
    while True:
        try:
            state = run(state, "agenda.next")
        except AgendaError:
            return seen
        assert state.current_id is not None
        seen.append(state.current_id)


def test_next_from_no_current_item_takes_up_the_first() -> None:
    state, events = step(agenda("A", "B"), "agenda.next", now=at(0))
    assert events[0].data == {"item_id": 1, "previous_id": None}
    assert state.current_id == 1
    assert state.current_since() == at(0)


def test_next_walks_depth_first_in_numbering_order() -> None:
    assert walk_with_next(tree()) == [1, 2, 3, 4, 5]


def test_next_and_previous_skip_withdrawn_and_deferred_items() -> None:
    state = run(tree(), "agenda.item.set_status", {"item_id": 2, "status": "withdrawn"})
    state = run(state, "agenda.item.set_status", {"item_id": 4, "status": "deferred"})
    assert walk_with_next(state) == [1, 3, 5]
    state = run(state, "agenda.current.set", {"item_id": 5})
    assert run(state, "agenda.previous").current_id == 3


def test_next_marks_a_pending_item_done_when_leaving_it() -> None:
    state = run(agenda("A", "B"), "agenda.next")
    state, events = step(state, "agenda.next")
    assert types(events) == ["agenda.item_status_changed", "agenda.current_changed"]
    assert state.items[1].status == "done"


def test_previous_and_current_set_leave_the_status_alone() -> None:
    state = run(run(agenda("A", "B", "C"), "agenda.next"), "agenda.current.set", {"item_id": 3})
    state, events = step(state, "agenda.previous")
    assert types(events) == ["agenda.current_changed"]
    assert events[0].data == {"item_id": 2, "previous_id": 3}
    assert [state.items[i].status for i in (1, 2, 3)] == ["pending", "pending", "pending"]


def test_next_from_the_last_item_is_a_conflict() -> None:
    state = run(agenda("A"), "agenda.next")
    error = refused(state, "agenda.next", {}, "conflict")
    assert "last item" in error.message


def test_next_with_no_eligible_item_is_a_conflict() -> None:
    refused(AgendaState(), "agenda.next", {}, "conflict")
    state = run(agenda("A"), "agenda.item.set_status", {"item_id": 1, "status": "withdrawn"})
    refused(state, "agenda.next", {}, "conflict")


def test_previous_refusals() -> None:
    refused(agenda("A"), "agenda.previous", {}, "conflict")
    refused(run(agenda("A", "B"), "agenda.next"), "agenda.previous", {}, "conflict")


def test_current_set_refusals() -> None:
    state = run(agenda("A", "B"), "agenda.next")
    refused(state, "agenda.current.set", {"item_id": 1}, "conflict")
    refused(state, "agenda.current.set", {"item_id": 9}, "not-found")
    refused(state, "agenda.current.set", {}, "invalid")
    state = run(state, "agenda.item.set_status", {"item_id": 2, "status": "deferred"})
    refused(state, "agenda.current.set", {"item_id": 2}, "conflict")


def test_only_the_chair_drives_the_agenda() -> None:
    state = agenda("A", "B")
    for actor in (CLERK, MEMBER):
        refused(state, "agenda.next", {}, "not-allowed", actor)
        refused(state, "agenda.current.set", {"item_id": 1}, "not-allowed", actor)


def test_the_commands_without_fields_refuse_unknown_fields() -> None:
    refused(agenda("A"), "agenda.next", {"item_id": 1}, "invalid")


def test_clear_leaves_the_current_item_and_closes_its_visit() -> None:
    state = run(agenda("A"), "agenda.next", now=at(0))
    state, events = step(state, "agenda.current.clear", now=at(12))
    assert events[0].data == {"item_id": None, "previous_id": 1}
    assert state.current_id is None
    assert state.items[1].status == "pending"
    wire = state.to_wire()["items"][0]
    assert (wire["first_current_at"], wire["last_left_at"], wire["spent_secs"]) == (
        at(0),
        at(12),
        720,
    )
    refused(state, "agenda.current.clear", {}, "conflict")


def test_timer_accumulates_the_visits_of_an_item_left_and_taken_up_again() -> None:
    state = run(agenda("A", "B"), "agenda.next", now=at(0))  # A from 08:00
    state = run(state, "agenda.next", now=at(10, 30))  # B from 08:10:30
    state = run(state, "agenda.previous", now=at(20))  # A again from 08:20
    wire = state.to_wire()
    a, b = wire["items"]
    assert wire["current_item_id"] == 1 and wire["current_since"] == at(20)
    assert a["spent_secs"] == 630 and a["first_current_at"] == at(0)
    assert a["visits"] == [
        {"started_at": at(0), "ended_at": at(10, 30)},
        {"started_at": at(20), "ended_at": None},
    ]
    assert b["spent_secs"] == 570 and b["last_left_at"] == at(20)
    state = run(state, "agenda.current.clear", now=at(25, 0, 999))
    assert state.to_wire()["items"][0]["spent_secs"] == 630 + 300  # 300.999 s rounds down


def test_a_skewed_clock_never_gives_a_negative_time() -> None:
    state = run(agenda("A"), "agenda.next", now=at(10))
    state = run(state, "agenda.current.clear", now=at(9))
    assert state.to_wire()["items"][0]["spent_secs"] == 0


def test_leaving_an_item_ends_the_running_speech_first() -> None:
    state = run(agenda("A", "B"), "agenda.next", now=at(0))
    state = run(state, "speakers.grant", {"user_id": 3}, now=at(1))
    state, events = step(state, "agenda.next", now=at(4))
    assert types(events) == [
        "speakers.ended",
        "agenda.item_status_changed",
        "agenda.current_changed",
    ]
    assert events[0].data == {"item_id": 1, "user_id": 3, "duration_secs": 180}
    assert state.speech is None
    assert state.items[1].speeches[0].duration_secs == 180


def test_closing_events_end_the_speech_and_leave_the_current_item_when_the_meeting_ends() -> None:
    state = run(agenda("A"), "agenda.next", now=at(0))
    state = run(state, "speakers.grant", {"user_id": 3}, now=at(1))
    events = closing_events(state, at(3))
    assert types(events) == ["speakers.ended", "agenda.current_changed"]
    for event in events:
        state = apply(state, event.type, event.data, at(3))
    wire = state.to_wire()
    assert wire["current_item_id"] is None and wire["speech"] is None
    assert wire["items"][0]["last_left_at"] == at(3)
    assert wire["items"][0]["speeches"][0]["duration_secs"] == 120
    assert closing_events(state, at(4)) == []
