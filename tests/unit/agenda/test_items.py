"""Editing the agenda: add, update, move, remove, status and documents, with each refusal."""

from __future__ import annotations

import pytest

from agenda import AgendaState, numbering

from .helpers import CHAIR, CLERK, MEMBER, agenda, refused, run, step, tree, types


def titles(state: AgendaState) -> dict[str, str]:
    return {label: state.items[i].title for i, label in numbering(state).items()}


# --- agenda.item.add -----------------------------------------------------------------


def test_add_gives_ids_from_the_state_counter_and_appends_at_the_end() -> None:
    state, events = step(
        AgendaState(), "agenda.item.add", {"title": "Khai mạc", "kind": "information"}
    )
    assert events[0].type == "agenda.item_added"
    assert events[0].data == {
        "item_id": 1,
        "parent_id": None,
        "position": 0,
        "title": "Khai mạc",
        "kind": "information",
        "description": "",
        "planned_minutes": None,
        "presenter_id": None,
        "document_ids": [],
    }
    state = run(state, "agenda.item.add", {"title": "Báo cáo", "kind": "decision"}, CLERK)
    assert numbering(state) == {1: "1", 2: "2"}
    assert state.next_item_id == 3


def test_add_with_every_field_at_a_position_under_a_parent() -> None:
    state = agenda("A", "B")
    data = {
        "title": "  Tờ trình  ",
        "kind": "decision",
        "description": "Dòng 1\nDòng 2",
        "planned_minutes": 600,
        "presenter_id": 7,
        "document_ids": [11, 12],
        "parent_id": 1,
    }
    state = run(state, "agenda.item.add", data)
    state = run(
        state,
        "agenda.item.add",
        {"title": "First", "kind": "information", "parent_id": 1, "position": 0},
    )
    item = state.items[3]
    assert (item.title, item.planned_minutes, item.presenter_id) == ("Tờ trình", 600, 7)
    assert item.document_ids == (11, 12)
    assert titles(state) == {"1": "A", "1.1": "First", "1.2": "Tờ trình", "2": "B"}


def test_add_ids_are_never_reused_after_a_removal() -> None:
    state = run(agenda("A", "B"), "agenda.item.remove", {"item_id": 2})
    state = run(state, "agenda.item.add", {"title": "C", "kind": "discussion"})
    assert sorted(state.items) == [1, 3]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "discussion"}, "missing fields: title"),
        ({"title": "A"}, "missing fields: kind"),
        ({"title": "", "kind": "discussion"}, "title must have 1 to 300"),
        ({"title": "   ", "kind": "discussion"}, "title must have 1 to 300"),
        ({"title": "x" * 301, "kind": "discussion"}, "title must have 1 to 300"),
        ({"title": 5, "kind": "discussion"}, "title must be text"),
        ({"title": "a\nb", "kind": "discussion"}, "one line"),
        ({"title": "A", "kind": "vote"}, "kind must be one of"),
        ({"title": "A", "kind": "discussion", "description": "x" * 5001}, "at most 5000"),
        ({"title": "A", "kind": "discussion", "description": "\x00"}, "control characters"),
        ({"title": "A", "kind": "discussion", "planned_minutes": 0}, "planned_minutes"),
        ({"title": "A", "kind": "discussion", "planned_minutes": 601}, "planned_minutes"),
        ({"title": "A", "kind": "discussion", "planned_minutes": 1.5}, "planned_minutes"),
        ({"title": "A", "kind": "discussion", "planned_minutes": True}, "planned_minutes"),
        ({"title": "A", "kind": "discussion", "presenter_id": "7"}, "presenter_id"),
        ({"title": "A", "kind": "discussion", "document_ids": [1, 1]}, "repeat"),
        ({"title": "A", "kind": "discussion", "document_ids": 1}, "list"),
        ({"title": "A", "kind": "discussion", "position": 3}, "position must be"),
        ({"title": "A", "kind": "discussion", "position": -1}, "position must be"),
        ({"title": "A", "kind": "discussion", "colour": "red"}, "unknown fields: colour"),
    ],
)
def test_add_refuses_a_malformed_payload_as_invalid(data: dict[str, object], message: str) -> None:
    error = refused(agenda("A", "B"), "agenda.item.add", data, "invalid")
    assert message in error.message


def test_add_accepts_a_title_of_exactly_300_characters_and_planned_minutes_1() -> None:
    data = {
        "title": "x" * 300,
        "kind": "discussion",
        "planned_minutes": 1,
        "description": "y" * 5000,
    }
    assert run(AgendaState(), "agenda.item.add", data).items[1].title == "x" * 300


def test_add_under_a_missing_parent_is_not_found() -> None:
    refused(
        agenda("A"),
        "agenda.item.add",
        {"title": "B", "kind": "decision", "parent_id": 9},
        "not-found",
    )


def test_add_under_a_third_level_item_is_refused_because_depth_is_at_most_3() -> None:
    error = refused(
        tree(), "agenda.item.add", {"title": "D", "kind": "decision", "parent_id": 3}, "conflict"
    )
    assert "3 levels" in error.message


def test_add_the_501st_item_is_refused() -> None:
    state = agenda(*(f"Item {n}" for n in range(500)))
    refused(state, "agenda.item.add", {"title": "One more", "kind": "discussion"}, "conflict")


def test_members_may_not_edit_the_agenda() -> None:
    refused(
        AgendaState(),
        "agenda.item.add",
        {"title": "A", "kind": "discussion"},
        "not-allowed",
        MEMBER,
    )


# --- agenda.item.update --------------------------------------------------------------


def test_update_emits_only_the_fields_that_change() -> None:
    state = agenda("A")
    data = {
        "item_id": 1,
        "title": "A",
        "kind": "decision",
        "planned_minutes": 15,
        "document_ids": [3],
    }
    state, events = step(state, "agenda.item.update", data, CLERK)
    assert events[0].data == {
        "item_id": 1,
        "kind": "decision",
        "planned_minutes": 15,
        "document_ids": [3],
    }
    assert state.items[1].planned_minutes == 15


def test_update_to_the_same_values_emits_nothing() -> None:
    state = agenda("A")
    assert step(state, "agenda.item.update", {"item_id": 1, "title": " A "})[1] == []


def test_update_clears_optional_fields_with_null() -> None:
    state = run(
        agenda("A"), "agenda.item.update", {"item_id": 1, "presenter_id": 4, "planned_minutes": 5}
    )
    state = run(
        state, "agenda.item.update", {"item_id": 1, "presenter_id": None, "planned_minutes": None}
    )
    assert (state.items[1].presenter_id, state.items[1].planned_minutes) == (None, None)


def test_update_refusals() -> None:
    state = agenda("A")
    refused(state, "agenda.item.update", {"item_id": 1}, "invalid")
    refused(state, "agenda.item.update", {"item_id": 1, "title": ""}, "invalid")
    refused(state, "agenda.item.update", {"item_id": 1, "parent_id": None}, "invalid")
    refused(state, "agenda.item.update", {"item_id": 2, "title": "B"}, "not-found")
    refused(state, "agenda.item.update", {"item_id": "1", "title": "B"}, "invalid")


# --- agenda.item.move ----------------------------------------------------------------


def test_move_reorders_siblings_and_renumbers() -> None:
    state = run(
        agenda("A", "B", "C"), "agenda.item.move", {"item_id": 3, "parent_id": None, "position": 0}
    )
    assert titles(state) == {"1": "C", "2": "A", "3": "B"}


def test_move_nests_an_item_with_its_sub_items_under_another() -> None:
    state = run(tree(), "agenda.item.move", {"item_id": 2, "parent_id": 5, "position": 0})
    assert titles(state) == {
        "1": "Opening",
        "1.1": "Budget",
        "2": "Closing",
        "2.1": "Report",
        "2.1.1": "Annex",
    }


def test_move_without_position_goes_to_the_end_and_to_the_same_place_emits_nothing() -> None:
    state = run(agenda("A", "B", "C"), "agenda.item.move", {"item_id": 1, "parent_id": None})
    assert titles(state) == {"1": "B", "2": "C", "3": "A"}
    assert (
        step(state, "agenda.item.move", {"item_id": 1, "parent_id": None, "position": 2})[1] == []
    )


def test_move_under_itself_or_a_descendant_is_refused() -> None:
    state = tree()
    refused(state, "agenda.item.move", {"item_id": 1, "parent_id": 1}, "conflict")
    refused(state, "agenda.item.move", {"item_id": 1, "parent_id": 3}, "conflict")


def test_move_that_would_make_a_fourth_level_is_refused() -> None:
    # Report (1.1) has a sub-item, so under Budget (1.2) its Annex would be at level 4.
    error = refused(tree(), "agenda.item.move", {"item_id": 2, "parent_id": 4}, "conflict")
    assert "3 levels" in error.message


def test_move_refusals_for_missing_items_and_bad_positions() -> None:
    state = tree()
    refused(state, "agenda.item.move", {"item_id": 9, "parent_id": None}, "not-found")
    refused(state, "agenda.item.move", {"item_id": 1, "parent_id": 9}, "not-found")
    refused(state, "agenda.item.move", {"item_id": 1}, "invalid")
    refused(state, "agenda.item.move", {"item_id": 5, "parent_id": None, "position": 2}, "invalid")


# --- agenda.item.remove --------------------------------------------------------------


def test_remove_deletes_the_item_and_its_queue_and_renumbers() -> None:
    state = run(agenda("A", "B", "C"), "speakers.request", {"item_id": 2}, MEMBER)
    state = run(state, "agenda.item.remove", {"item_id": 2})
    assert titles(state) == {"1": "A", "2": "C"}
    assert state.queues == {}


def test_remove_refuses_an_item_with_sub_items() -> None:
    refused(tree(), "agenda.item.remove", {"item_id": 2}, "conflict")


def test_remove_refuses_an_item_that_was_ever_current() -> None:
    state = run(run(agenda("A", "B"), "agenda.next"), "agenda.next")
    error = refused(state, "agenda.item.remove", {"item_id": 1}, "conflict")
    assert "withdraw it instead" in error.message
    refused(state, "agenda.item.remove", {"item_id": 9}, "not-found")


# --- agenda.item.set_status ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "last"),
    [
        (["done"], "done"),
        (["deferred", "pending"], "pending"),
        (["withdrawn", "pending"], "pending"),
        (["done", "pending"], "pending"),
        (["done", "deferred", "withdrawn"], "withdrawn"),
    ],
)
def test_set_status_follows_the_lifecycle_table(path: list[str], last: str) -> None:
    state = agenda("A")
    for status in path:
        state, events = step(
            state, "agenda.item.set_status", {"item_id": 1, "status": status}, CLERK
        )
        assert events[0].data == {"item_id": 1, "status": status}
    assert state.items[1].status == last


@pytest.mark.parametrize(
    ("path", "refused_status"),
    [
        ([], "pending"),
        (["done"], "withdrawn"),
        (["withdrawn"], "done"),
        (["withdrawn"], "deferred"),
    ],
)
def test_set_status_refuses_moves_missing_from_the_table(
    path: list[str], refused_status: str
) -> None:
    state = agenda("A")
    for status in path:
        state = run(state, "agenda.item.set_status", {"item_id": 1, "status": status})
    refused(state, "agenda.item.set_status", {"item_id": 1, "status": refused_status}, "conflict")


def test_the_current_item_may_be_marked_done_but_not_deferred_or_withdrawn() -> None:
    state = run(agenda("A"), "agenda.next")
    refused(state, "agenda.item.set_status", {"item_id": 1, "status": "deferred"}, "conflict")
    refused(state, "agenda.item.set_status", {"item_id": 1, "status": "withdrawn"}, "conflict")
    state = run(state, "agenda.item.set_status", {"item_id": 1, "status": "done"})
    assert state.current_id == 1


def test_set_status_rejects_current_as_a_stored_status() -> None:
    refused(agenda("A"), "agenda.item.set_status", {"item_id": 1, "status": "current"}, "invalid")


# --- documents -----------------------------------------------------------------------


def test_attach_and_detach_documents() -> None:
    state = run(agenda("A"), "agenda.item.attach_document", {"item_id": 1, "document_id": 40})
    state = run(state, "agenda.item.attach_document", {"item_id": 1, "document_id": 41}, CLERK)
    assert state.items[1].document_ids == (40, 41)
    state = run(state, "agenda.item.detach_document", {"item_id": 1, "document_id": 40})
    assert state.items[1].document_ids == (41,)


def test_document_refusals() -> None:
    state = run(agenda("A"), "agenda.item.attach_document", {"item_id": 1, "document_id": 40})
    refused(state, "agenda.item.attach_document", {"item_id": 1, "document_id": 40}, "conflict")
    refused(state, "agenda.item.detach_document", {"item_id": 1, "document_id": 41}, "not-found")
    refused(state, "agenda.item.attach_document", {"item_id": 2, "document_id": 41}, "not-found")
    refused(state, "agenda.item.attach_document", {"item_id": 1, "document_id": 0}, "invalid")
    refused(state, "agenda.item.attach_document", {"item_id": 1}, "invalid")


def test_the_51st_document_is_refused() -> None:
    state = run(
        agenda("A"), "agenda.item.update", {"item_id": 1, "document_ids": list(range(1, 51))}
    )
    refused(state, "agenda.item.attach_document", {"item_id": 1, "document_id": 51}, "conflict")
    refused(
        state, "agenda.item.update", {"item_id": 1, "document_ids": list(range(1, 52))}, "invalid"
    )


def test_chair_edits_too() -> None:
    assert types(step(agenda("A"), "agenda.item.remove", {"item_id": 1}, CHAIR)[1]) == [
        "agenda.item_removed"
    ]
