"""The poll lifecycle: draft → open → closed, or cancelled. Illegal transitions raise an
error and nothing happens; opening an open poll and closing a closed one are no-ops."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.unit.voting.app import LATER, App, member, poll_payload, room
from voting import (
    LIFECYCLE,
    Conflict,
    Invalid,
    NotFound,
    PollClosed,
    PollStatus,
    VotingError,
    VotingState,
    apply,
    transition,
)

MEMBERS = range(1, 8)


def _app() -> App:
    return App(room(MEMBERS, MEMBERS))


def _in_status(status: PollStatus) -> tuple[App, int]:
    app = _app()
    poll_id = app.create()
    if status is not PollStatus.DRAFT:
        app.run("poll.open", {"poll_id": poll_id})
        app.vote(poll_id, 2, "yes")
    if status is PollStatus.CLOSED:
        app.run("poll.close", {"poll_id": poll_id})
    if status is PollStatus.CANCELLED:
        app.run("poll.cancel", {"poll_id": poll_id})
    assert app.state.polls[poll_id].status is status
    return app, poll_id


Step = Callable[[App, int], Any]

ILLEGAL: list[tuple[PollStatus, str, Step, type[VotingError]]] = [
    (PollStatus.DRAFT, "close", lambda a, p: a.run("poll.close", {"poll_id": p}), Conflict),
    (PollStatus.DRAFT, "vote", lambda a, p: a.vote(p, 3, "yes"), Conflict),
    (PollStatus.OPEN, "update", lambda a, p: a.run("poll.update", {"poll_id": p}), Conflict),
    (PollStatus.CLOSED, "open", lambda a, p: a.run("poll.open", {"poll_id": p}), Conflict),
    (PollStatus.CLOSED, "cancel", lambda a, p: a.run("poll.cancel", {"poll_id": p}), Conflict),
    (PollStatus.CLOSED, "vote", lambda a, p: a.vote(p, 3, "yes"), PollClosed),
    (
        PollStatus.CLOSED,
        "recuse",
        lambda a, p: a.run("poll.recuse", {"poll_id": p, "user_id": 3}),
        Conflict,
    ),
    (PollStatus.CLOSED, "update", lambda a, p: a.run("poll.update", {"poll_id": p}), Conflict),
    (PollStatus.CANCELLED, "open", lambda a, p: a.run("poll.open", {"poll_id": p}), Conflict),
    (PollStatus.CANCELLED, "close", lambda a, p: a.run("poll.close", {"poll_id": p}), Conflict),
    (
        PollStatus.CANCELLED,
        "cancel",
        lambda a, p: a.run("poll.cancel", {"poll_id": p}),
        Conflict,
    ),
    (PollStatus.CANCELLED, "vote", lambda a, p: a.vote(p, 3, "yes"), PollClosed),
]


@pytest.mark.parametrize(
    ("status", "step", "error"),
    [(s, f, e) for s, _, f, e in ILLEGAL],
    ids=[f"{name}-when-{s.value}" for s, name, _, _ in ILLEGAL],
)
def test_illegal_transitions_raise_an_error_and_nothing_happens(
    status: PollStatus, step: Step, error: type[VotingError]
) -> None:
    app, poll_id = _in_status(status)
    before, log_length = app.state, len(app.log)
    with pytest.raises(error):
        step(app, poll_id)
    assert app.state == before
    assert len(app.log) == log_length


def test_every_move_missing_from_the_table_is_refused() -> None:
    event_types = {event for _, event in LIFECYCLE}
    for status in PollStatus:
        for event in event_types:
            if (status, event) in LIFECYCLE:
                assert transition(status, event) is LIFECYCLE[(status, event)]
            else:
                with pytest.raises((Conflict, PollClosed)):
                    transition(status, event)


def test_opening_an_open_poll_returns_no_events() -> None:
    app, poll_id = _in_status(PollStatus.OPEN)
    before = app.state
    assert app.run("poll.open", {"poll_id": poll_id}) == []
    assert app.state == before


def test_closing_a_closed_poll_returns_no_events() -> None:
    app, poll_id = _in_status(PollStatus.CLOSED)
    before = app.state
    assert app.run("poll.close", {"poll_id": poll_id}) == []
    assert app.state == before


def test_a_poll_goes_draft_open_closed_with_the_times_of_each_step() -> None:
    app = _app()
    poll_id = app.create()
    assert app.state.polls[poll_id].created_at == app.now
    app.run("poll.open", {"poll_id": poll_id})
    app.vote(poll_id, 2, "yes")
    app.now = LATER
    app.run("poll.close", {"poll_id": poll_id})
    poll = app.state.polls[poll_id]
    assert (poll.status, poll.ended_at) == (PollStatus.CLOSED, LATER)
    assert poll.result is not None and poll.result.adopted


def test_cancel_records_the_reason_and_an_open_poll_publishes_no_result() -> None:
    app, poll_id = _in_status(PollStatus.OPEN)
    [event] = app.run("poll.cancel", {"poll_id": poll_id, "reason": "Sai nội dung tờ trình"})
    assert event.data == {"poll_id": poll_id, "reason": "Sai nội dung tờ trình"}
    poll = app.state.polls[poll_id]
    assert (poll.status, poll.result, poll.cancel_reason) == (
        PollStatus.CANCELLED,
        None,
        "Sai nội dung tờ trình",
    )


def test_poll_ids_count_up_from_1() -> None:
    app = _app()
    assert [app.create(), app.create(), app.create()] == [1, 2, 3]


def test_update_of_a_draft_replaces_its_definition() -> None:
    app = _app()
    poll_id = app.create()
    [event] = app.run("poll.update", {"poll_id": poll_id, "majority": "absolute"})
    assert event.type == "poll.updated"
    assert app.state.polls[poll_id].spec.majority == "absolute"
    assert app.state.polls[poll_id].spec.title == poll_payload()["title"]


def test_update_that_changes_nothing_returns_no_events() -> None:
    app = _app()
    poll_id = app.create()
    assert app.run("poll.update", {"poll_id": poll_id, "secret": False}) == []


def test_update_to_an_options_poll_needs_options_and_back_needs_them_removed() -> None:
    app = _app()
    poll_id = app.create()
    with pytest.raises(Invalid):
        app.run("poll.update", {"poll_id": poll_id, "kind": "options"})
    app.run("poll.update", {"poll_id": poll_id, "kind": "options", "options": ["A", "B"]})
    with pytest.raises(Invalid):
        app.run("poll.update", {"poll_id": poll_id, "kind": "yes_no_abstain"})
    app.run("poll.update", {"poll_id": poll_id, "kind": "yes_no_abstain", "options": None})
    assert app.state.polls[poll_id].spec.options == ()


@pytest.mark.parametrize("command", ["poll.open", "poll.close", "poll.cancel", "poll.update"])
def test_a_poll_that_does_not_exist_is_not_found(command: str) -> None:
    with pytest.raises(NotFound):
        _app().run(command, {"poll_id": 99})


def test_an_unknown_command_is_invalid() -> None:
    with pytest.raises(Invalid):
        _app().run("poll.delete", {"poll_id": 1})


def test_apply_leaves_the_state_alone_for_events_of_other_domains() -> None:
    state = VotingState()
    assert apply(state, "agenda.item_started", {"item_id": 1}, LATER) is state


def test_folding_the_stored_json_log_from_any_snapshot_gives_the_same_state() -> None:
    app, _ = _in_status(PollStatus.CLOSED)
    options = app.create(kind="options", options=["A", "B", "C"], max_choices=2)
    app.run("poll.open", {"poll_id": options})
    app.vote(options, 4, [2, 0])
    stored = [(e.type, json.loads(json.dumps(e.data))) for e in app.log]
    for split in range(len(stored) + 1):
        state = VotingState()
        for event_type, data in stored[:split]:
            state = apply(state, event_type, data, app.now)
        snapshot = state.to_wire(2)
        assert json.loads(json.dumps(snapshot)) == snapshot  # plain JSON: no tuples, no sets
        for event_type, data in stored[split:]:
            state = apply(state, event_type, data, app.now)
        assert state == app.state
        assert state.to_wire(2) == app.state.to_wire(2)


def test_a_member_refused_a_command_sees_the_same_snapshot() -> None:
    app, poll_id = _in_status(PollStatus.OPEN)
    before = app.state.to_wire(3)
    with pytest.raises(VotingError):
        app.run("poll.close", {"poll_id": poll_id}, member(3))
    assert app.state.to_wire(3) == before
