"""The command table, the public surface, and what ``decide`` and ``apply`` promise."""

from __future__ import annotations

from typing import Any

import pytest

import agenda
from agenda import COMMANDS, ERROR_CODES, EVENT_TYPES, Actor, AgendaState, apply, decide

from .helpers import ACTORS, CHAIR, CLERK, refused, run, step
from .helpers import agenda as make_agenda

# One payload per command, and an actor for whom it succeeds from `busy()`.
SAMPLES: dict[str, tuple[dict[str, Any], Actor]] = {
    "agenda.item.add": ({"title": "New", "kind": "decision"}, CLERK),
    "agenda.item.update": ({"item_id": 2, "title": "Renamed"}, CLERK),
    "agenda.item.move": ({"item_id": 3, "parent_id": None, "position": 0}, CLERK),
    "agenda.item.remove": ({"item_id": 3}, CLERK),
    "agenda.item.set_status": ({"item_id": 3, "status": "deferred"}, CLERK),
    "agenda.item.attach_document": ({"item_id": 2, "document_id": 5}, CLERK),
    "agenda.item.detach_document": ({"item_id": 1, "document_id": 4}, CLERK),
    "agenda.current.set": ({"item_id": 3}, CHAIR),
    "agenda.next": ({}, CHAIR),
    "agenda.previous": ({}, CHAIR),
    "agenda.current.clear": ({}, CHAIR),
    "speakers.request": ({}, Actor(3, "member")),
    "speakers.withdraw": ({}, Actor(4, "member")),
    "speakers.grant": ({}, CHAIR),
    "speakers.end": ({}, Actor(6, "member")),
    "speakers.set_default_limit": ({"limit_secs": 90}, CHAIR),
}


def busy() -> AgendaState:
    """Three items; the second is current, user 6 is speaking, user 4 is waiting."""
    state = make_agenda("A", "B", "C")
    state = run(state, "agenda.item.attach_document", {"item_id": 1, "document_id": 4})
    state = run(state, "agenda.current.set", {"item_id": 1})
    state = run(state, "agenda.next")
    state = run(state, "speakers.grant", {"user_id": 6})
    return run(state, "speakers.request", {"user_id": 4})


def test_every_command_has_a_sample() -> None:
    assert set(SAMPLES) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_emits_only_the_events_it_declares(command: str) -> None:
    data, actor = SAMPLES[command]
    _, events = step(busy(), command, data, actor)
    assert events
    assert {e.type for e in events} <= set(COMMANDS[command].emits)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_role_outside_the_table_is_not_allowed(command: str) -> None:
    data, _ = SAMPLES[command]
    for actor in ACTORS:
        if actor.role not in COMMANDS[command].roles:
            refused(busy(), command, data, "not-allowed", actor)


def test_every_declared_event_has_a_fold_and_every_fold_is_declared() -> None:
    emitted = {event for info in COMMANDS.values() for event in info.emits}
    assert emitted == EVENT_TYPES


def test_driving_commands_are_marked_live_only() -> None:
    live = {name for name, info in COMMANDS.items() if info.live_only}
    assert live == {
        "agenda.current.set",
        "agenda.next",
        "agenda.previous",
        "agenda.current.clear",
        "speakers.grant",
        "speakers.end",
    }


def test_the_table_names_only_known_roles() -> None:
    for info in COMMANDS.values():
        assert info.roles <= {"chair", "clerk", "member", "observer"}
        assert info.summary


def test_unknown_command_is_invalid() -> None:
    refused(AgendaState(), "agenda.explode", {}, "invalid")


def test_data_that_is_not_an_object_is_invalid() -> None:
    with pytest.raises(agenda.AgendaError) as caught:
        decide(AgendaState(), "agenda.next", [], CHAIR, "2026-11-25T08:00:00.000Z")  # type: ignore[arg-type]
    assert caught.value.code == "invalid"


def test_a_malformed_clock_is_a_programming_error_not_a_refusal() -> None:
    with pytest.raises(ValueError):
        decide(AgendaState(), "agenda.next", {}, CHAIR, "yesterday")
    with pytest.raises(ValueError):
        decide(AgendaState(), "agenda.next", {}, CHAIR, "2026-11-25T08:00:00")


def test_events_of_other_domains_pass_through_apply_unchanged() -> None:
    state = busy()
    assert apply(state, "vote.cast", {"poll_id": 1}, "2026-11-25T09:00:00.000Z") is state
    assert apply(state, "meeting.started", {}, "2026-11-25T09:00:00.000Z") is state


def test_error_codes_are_the_four_documented_ones() -> None:
    assert {"invalid", "not-found", "conflict", "not-allowed"} == ERROR_CODES
    for cls in (agenda.Invalid, agenda.NotFound, agenda.Conflict, agenda.NotAllowed):
        error = cls("why")
        assert isinstance(error, agenda.AgendaError)
        assert (error.code in ERROR_CODES, error.message) == (True, "why")


def test_the_exported_members_are_exactly_the_public_api() -> None:
    assert set(agenda.__all__) == {
        "COMMANDS",
        "CURRENT_STATUSES",
        "DEPTH_MAX",
        "ERROR_CODES",
        "EVENT_TYPES",
        "FOLDS",
        "STATUS_MOVES",
        "Actor",
        "AgendaError",
        "AgendaState",
        "CommandInfo",
        "Conflict",
        "Decided",
        "Invalid",
        "Item",
        "Kind",
        "NotAllowed",
        "NotFound",
        "Request",
        "Role",
        "Speech",
        "Status",
        "Visit",
        "apply",
        "closing_events",
        "decide",
        "fold",
        "numbering",
        "state_from_wire",
    }
    # Nothing public is left out of __all__ (implementation modules are all private).
    assert {name for name in dir(agenda) if not name.startswith("_")} == set(agenda.__all__)


def test_the_package_imports_only_the_standard_library() -> None:
    import ast
    import pathlib
    import sys

    root = pathlib.Path(agenda.__file__).parent
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top == "agenda" or top in sys.stdlib_module_names, (path.name, name)


def test_docs_describe_every_command_and_event() -> None:
    import pathlib

    text = (pathlib.Path(__file__).parents[3] / "docs" / "agenda.md").read_text(encoding="utf-8")
    for name in (*COMMANDS, *EVENT_TYPES):
        assert f"`{name}`" in text, name
