"""The floor: queues per item, granting, ending, speaking time."""

from __future__ import annotations

from agenda import AgendaState

from .helpers import (
    CHAIR,
    CLERK,
    MEMBER,
    OBSERVER,
    OTHER_MEMBER,
    agenda,
    at,
    refused,
    run,
    step,
    types,
)


def live() -> AgendaState:
    """Items A (current since 08:00) and B."""
    return run(agenda("A", "B"), "agenda.next", now=at(0))


def queue(state: AgendaState, item_id: int = 1) -> list[int]:
    return [r.user_id for r in state.queues.get(item_id, ())]


def test_request_puts_the_actor_on_the_current_items_queue_in_order() -> None:
    state, events = step(live(), "speakers.request", {}, MEMBER, at(1))
    assert events[0].data == {"item_id": 1, "user_id": 3}
    state = run(state, "speakers.request", {}, OTHER_MEMBER, at(2))
    state = run(state, "speakers.request", {}, CHAIR, at(3))
    assert queue(state) == [3, 4, 1]
    assert state.to_wire()["queues"]["1"][0] == {"user_id": 3, "requested_at": at(1)}


def test_request_for_a_pending_item_ahead_of_time() -> None:
    state = run(agenda("A", "B"), "speakers.request", {"item_id": 2}, MEMBER)
    assert queue(state, 2) == [3]


def test_the_clerk_or_chair_may_queue_someone_else_but_a_member_may_not() -> None:
    state = run(live(), "speakers.request", {"user_id": 9}, CLERK)
    assert queue(state) == [9]
    refused(state, "speakers.request", {"user_id": 8}, "not-allowed", MEMBER)
    refused(state, "speakers.withdraw", {"user_id": 9}, "not-allowed", MEMBER)


def test_request_refusals() -> None:
    state = run(live(), "speakers.request", {}, MEMBER)
    refused(state, "speakers.request", {}, "conflict", MEMBER)  # not twice
    refused(state, "speakers.request", {}, "not-allowed", OBSERVER)
    refused(state, "speakers.request", {"item_id": 9}, "not-found", MEMBER)
    refused(state, "speakers.request", {"item_id": "1"}, "invalid", MEMBER)
    refused(agenda("A"), "speakers.request", {}, "conflict", MEMBER)  # no current item
    done = run(run(state, "agenda.next"), "speakers.request", {}, MEMBER)
    refused(done, "speakers.request", {"item_id": 1}, "conflict", OTHER_MEMBER)  # A is done


def test_withdraw_takes_the_actor_off_the_queue() -> None:
    state = run(run(live(), "speakers.request", {}, MEMBER), "speakers.request", {}, OTHER_MEMBER)
    state, events = step(state, "speakers.withdraw", {}, MEMBER)
    assert events[0].data == {"item_id": 1, "user_id": 3}
    assert queue(state) == [4]
    refused(state, "speakers.withdraw", {}, "not-found", MEMBER)
    state = run(state, "speakers.withdraw", {"user_id": 4}, CHAIR)
    assert state.queues == {}


def test_grant_defaults_to_the_head_of_the_queue_and_removes_them_from_it() -> None:
    state = run(run(live(), "speakers.request", {}, MEMBER), "speakers.request", {}, OTHER_MEMBER)
    state, events = step(state, "speakers.grant", {}, CHAIR, at(2))
    assert events[0].data == {"item_id": 1, "user_id": 3, "limit_secs": None}
    assert queue(state) == [4]
    assert state.to_wire()["speech"] == {
        "item_id": 1,
        "user_id": 3,
        "started_at": at(2),
        "limit_secs": None,
        "ended_at": None,
        "duration_secs": None,
    }


def test_grant_to_someone_else_ends_the_running_speech_first() -> None:
    state = run(live(), "speakers.grant", {"user_id": 3, "limit_secs": 120}, CHAIR, at(1))
    state, events = step(state, "speakers.grant", {"user_id": 4}, CHAIR, at(3, 15))
    assert types(events) == ["speakers.ended", "speakers.granted"]
    assert events[0].data == {"item_id": 1, "user_id": 3, "duration_secs": 135}
    speech = state.items[1].speeches[0]
    assert (speech.user_id, speech.started_at, speech.ended_at, speech.limit_secs) == (
        3,
        at(1),
        at(3, 15),
        120,
    )
    assert state.speech is not None and state.speech.user_id == 4


def test_grant_uses_the_default_limit_unless_given_and_null_means_no_limit() -> None:
    state, events = step(live(), "speakers.set_default_limit", {"limit_secs": 180})
    assert events[0].data == {"limit_secs": 180}
    assert step(state, "speakers.grant", {"user_id": 3})[1][0].data["limit_secs"] == 180
    assert (
        step(state, "speakers.grant", {"user_id": 3, "limit_secs": 60})[1][0].data["limit_secs"]
        == 60
    )
    assert (
        step(state, "speakers.grant", {"user_id": 3, "limit_secs": None})[1][0].data["limit_secs"]
        is None
    )


def test_grant_refusals() -> None:
    state = live()
    refused(state, "speakers.grant", {}, "conflict")  # nobody waiting
    refused(agenda("A"), "speakers.grant", {"user_id": 3}, "conflict")  # no current item
    refused(state, "speakers.grant", {"user_id": 3, "limit_secs": 0}, "invalid")
    refused(state, "speakers.grant", {"user_id": 3, "limit_secs": 3601}, "invalid")
    refused(state, "speakers.grant", {"user_id": 3}, "not-allowed", CLERK)
    speaking = run(state, "speakers.grant", {"user_id": 3})
    refused(speaking, "speakers.grant", {"user_id": 3}, "conflict")  # already speaking


def test_the_speaker_ends_their_own_speech() -> None:
    state = run(live(), "speakers.grant", {"user_id": 3}, CHAIR, at(1))
    state, events = step(state, "speakers.end", {}, MEMBER, at(2, 0, 999))
    assert events[0].data == {"item_id": 1, "user_id": 3, "duration_secs": 60}
    assert state.speech is None


def test_an_observer_given_the_floor_may_end_it() -> None:
    state = run(live(), "speakers.grant", {"user_id": 5})
    assert types(step(state, "speakers.end", {}, OBSERVER)[1]) == ["speakers.ended"]


def test_only_the_speaker_or_the_chair_ends_a_speech() -> None:
    state = run(live(), "speakers.grant", {"user_id": 3})
    refused(state, "speakers.end", {}, "not-allowed", OTHER_MEMBER)
    refused(state, "speakers.end", {}, "not-allowed", CLERK)
    assert types(step(state, "speakers.end", {}, CHAIR)[1]) == ["speakers.ended"]
    refused(live(), "speakers.end", {}, "conflict")  # nobody speaking


def test_speakers_are_recorded_in_order_for_the_minutes() -> None:
    state = live()
    for n, user in enumerate((3, 4, 3)):
        state = run(state, "speakers.grant", {"user_id": user}, CHAIR, at(n * 2))
    state = run(state, "speakers.end", {}, CHAIR, at(7))
    record = [(s["user_id"], s["duration_secs"]) for s in state.to_wire()["items"][0]["speeches"]]
    assert record == [(3, 120), (4, 120), (3, 180)]


def test_set_default_limit_refusals_and_no_change() -> None:
    state = run(live(), "speakers.set_default_limit", {"limit_secs": 120})
    assert step(state, "speakers.set_default_limit", {"limit_secs": 120})[1] == []
    assert run(state, "speakers.set_default_limit", {"limit_secs": None}).default_limit_secs is None
    refused(state, "speakers.set_default_limit", {}, "invalid")
    refused(state, "speakers.set_default_limit", {"limit_secs": "2m"}, "invalid")
    refused(state, "speakers.set_default_limit", {"limit_secs": 60}, "not-allowed", CLERK)
