"""The meeting lifecycle and attendance rules (pure)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecabinet.errors import Conflict, ECabinetError, Invalid, NotAllowed, NotFound
from ecabinet.events import Event
from ecabinet.meetings import rules
from ecabinet.meetings.commands import COMMANDS
from ecabinet.meetings.rules import LIFECYCLE, Actor, Context, MeetingState, Role, Status

ROSTER = {1: Role.CHAIR, 2: Role.CLERK, 3: Role.MEMBER, 4: Role.MEMBER, 5: Role.OBSERVER}


def at(seq: int) -> str:
    return f"2026-11-25T08:{seq // 60:02d}:{seq % 60:02d}.000Z"


def run(
    state: MeetingState, type_: str, user_id: int, data: dict[str, Any] | None = None
) -> MeetingState:
    """Decide as ``user_id`` and fold the decided events, as the service does."""
    ctx = Context(Actor(user_id, ROSTER[user_id]), data or {}, ROSTER, at(state.seq + 1))
    decided = COMMANDS[type_].decide(state, ctx)
    events = [
        Event(1, state.seq + i + 1, e.type, user_id, at(state.seq + i + 1), e.data, "")
        for i, e in enumerate(decided)
    ]
    return rules.fold(state, events)


def test_lifecycle_table_is_scheduled_to_live_to_ended_or_cancelled_only() -> None:
    assert dict(LIFECYCLE) == {
        (Status.SCHEDULED, "meeting.started"): Status.LIVE,
        (Status.LIVE, "meeting.ended"): Status.ENDED,
        (Status.SCHEDULED, "meeting.cancelled"): Status.CANCELLED,  # the back office
    }


def test_a_cancelled_meeting_cannot_start_and_a_roster_change_moves_its_version() -> None:
    state = rules.fold(
        MeetingState(),
        [
            Event(1, 1, "roster.changed", 9, at(1), {"roster": [], "removed": []}, ""),
            Event(1, 2, "meeting.cancelled", 9, at(2), {"reason": "Hoãn"}, ""),
        ],
    )
    assert state.status is Status.CANCELLED and state.roster_version == 1
    with pytest.raises(Conflict):
        run(state, "meeting.start", 1)


def test_start_then_end_records_both_times() -> None:
    state = run(run(MeetingState(), "meeting.start", 1), "meeting.end", 1)
    assert (state.status, state.started_at, state.ended_at, state.seq) == (
        Status.ENDED,
        at(1),
        at(2),
        2,
    )


@pytest.mark.parametrize(
    ("setup", "command"),
    [
        ([], "meeting.end"),
        (["meeting.start"], "meeting.start"),
        (["meeting.start", "meeting.end"], "meeting.start"),
        (["meeting.start", "meeting.end"], "meeting.end"),
    ],
)
def test_illegal_transitions_raise_conflict_and_nothing_happens(
    setup: list[str], command: str
) -> None:
    state = MeetingState()
    for step in setup:
        state = run(state, step, 1)
    before = state
    with pytest.raises(Conflict):
        run(state, command, 1)
    assert state == before


def test_member_checks_in_and_out_and_the_times_are_kept() -> None:
    state = run(run(MeetingState(), "attendance.check_in", 3), "attendance.check_out", 3)
    presence = state.attendance[3]
    assert (presence.status, presence.checked_in_at, presence.left_at) == ("left", at(1), at(2))


def test_clerk_records_attendance_for_a_member() -> None:
    state = run(MeetingState(), "attendance.check_in", 2, {"user_id": 4})
    assert state.attendance[4].status == "present" and 2 not in state.attendance


@pytest.mark.parametrize(
    ("actor", "data", "error"),
    [
        (3, {"user_id": 4}, NotAllowed),  # a member records only themselves
        (5, {"user_id": 3}, NotAllowed),  # so does an observer
        (2, {"user_id": 99}, NotFound),  # not on the roster
        (2, {"user_id": "4"}, Invalid),
        (2, {"user_id": True}, Invalid),
    ],
)
def test_attendance_refusals_change_nothing(
    actor: int, data: dict[str, Any], error: type[ECabinetError]
) -> None:
    state = MeetingState()
    with pytest.raises(error):
        run(state, "attendance.check_in", actor, data)
    assert state == MeetingState()


def test_double_check_in_and_check_out_without_check_in_are_conflicts() -> None:
    state = run(MeetingState(), "attendance.check_in", 3)
    with pytest.raises(Conflict, match="already"):
        run(state, "attendance.check_in", 3)
    with pytest.raises(Conflict, match="not checked in"):
        run(state, "attendance.check_out", 4)


def test_nobody_checks_in_after_the_meeting_ended() -> None:
    state = run(run(MeetingState(), "meeting.start", 1), "meeting.end", 1)
    with pytest.raises(Conflict, match="ended"):
        run(state, "attendance.check_in", 3)


def test_fold_refuses_an_event_out_of_sequence() -> None:
    with pytest.raises(ValueError, match="does not follow"):
        rules.fold(MeetingState(), [Event(1, 2, "meeting.started", 1, at(2), {}, "")])


def test_unknown_event_types_only_advance_seq() -> None:
    state = rules.apply(MeetingState(), Event(1, 1, "poll.unheard_of", 1, at(1), {"x": 1}, ""))
    assert state == MeetingState(seq=1)


commands = st.lists(
    st.tuples(
        st.sampled_from(sorted(COMMANDS)),
        st.sampled_from(sorted(ROSTER)),
        st.one_of(st.none(), st.sampled_from(sorted(ROSTER))),
    ),
    max_size=40,
)


@given(commands, st.data())
def test_snapshot_at_n_plus_events_after_n_equals_snapshot_at_m(
    script: list[tuple[str, int, int | None]], data: st.DataObject
) -> None:
    """Fold every accepted command's events; a snapshot taken at any prefix, plus the
    remaining events, gives the same state as folding everything."""
    state, log = MeetingState(), []
    for type_, user_id, target in script:
        payload = {} if target is None else {"user_id": target}
        try:
            ctx = Context(Actor(user_id, ROSTER[user_id]), payload, ROSTER, at(state.seq + 1))
            if ROSTER[user_id] not in COMMANDS[type_].roles:
                continue
            decided = COMMANDS[type_].decide(state, ctx)
        except ECabinetError:
            continue
        for new in decided:
            event = Event(1, state.seq + 1, new.type, user_id, at(state.seq + 1), new.data, "")
            assert new.type in COMMANDS[type_].emits
            log.append(event)
            state = rules.apply(state, event)
    n = data.draw(st.integers(min_value=0, max_value=len(log)))
    snapshot_n = rules.fold(MeetingState(), log[:n])
    assert rules.fold(snapshot_n, log[n:]).to_wire() == state.to_wire()
    assert state.seq == len(log)
    present = {uid for uid, p in state.attendance.items() if p.status == "present"}
    assert present <= set(ROSTER)
