"""Minutes commands as pure rules: notes, absences, decisions, versions and signatures."""

from __future__ import annotations

from typing import Any

import pytest

from ecabinet.errors import Conflict, ECabinetError, Invalid, NotFound
from ecabinet.events import Event
from ecabinet.meetings import rules
from ecabinet.meetings.commands import COMMANDS
from ecabinet.meetings.rules import Actor, Context, MeetingState, Role
from ecabinet.minutes.state import VersionStatus

ROSTER = {1: Role.CHAIR, 2: Role.CLERK, 3: Role.MEMBER, 4: Role.MEMBER, 5: Role.OBSERVER}
SHA_A, SHA_B, SHA_C = "a" * 64, "b" * 64, "c" * 64


def at(seq: int) -> str:
    return f"2026-11-25T08:{seq // 60:02d}:{seq % 60:02d}.000Z"


def decide(
    state: MeetingState, type_: str, user_id: int, data: dict[str, Any], extra: Any = None
) -> list[Any]:
    ctx = Context(Actor(user_id, ROSTER[user_id]), data, ROSTER, at(state.seq + 1), extra)
    return COMMANDS[type_].decide(state, ctx)


def run(
    state: MeetingState, type_: str, user_id: int, data: dict[str, Any] | None = None, **kw: Any
) -> MeetingState:
    decided = decide(state, type_, user_id, data or {}, **kw)
    events = [
        Event(1, state.seq + i + 1, e.type, user_id, at(state.seq + i + 1), e.data, "")
        for i, e in enumerate(decided)
    ]
    return rules.fold(state, events)


def ended_meeting() -> MeetingState:
    state = run(MeetingState(), "meeting.start", 1)
    state = run(state, "agenda.item.add", 2, {"title": "Báo cáo kinh tế", "kind": "discussion"})
    return run(state, "meeting.end", 1)


def generate(state: MeetingState, sha: str = SHA_A) -> MeetingState:
    data = {
        "sha256": sha,
        "size": 1000,
        "pages": 3,
        "head_seq": state.seq,
        "head_hash": "f" * 64,
        "layout": "state",
        "number": "05",
    }
    return run(state, "minutes.generate", 2, data, extra="f" * 64)


def sign(state: MeetingState, user_id: int, version: int, before: str, after: str) -> MeetingState:
    data = {"version": version, "previous_sha256": before, "sha256": after, "size": 1200}
    return run(state, "minutes.sign", user_id, data)


def test_the_minutes_commands_belong_to_the_clerk_and_the_chair() -> None:
    for name in ("note.set", "absence.set", "decision.record", "decision.update"):
        assert COMMANDS[f"minutes.{name}"].roles == {Role.CLERK, Role.CHAIR}
    assert COMMANDS["minutes.generate"].roles == {Role.CLERK}
    assert COMMANDS["minutes.generate"].internal and COMMANDS["minutes.sign"].internal


def test_a_note_per_item_and_a_general_note_are_set_changed_and_cleared() -> None:
    state = ended_meeting()
    state = run(
        state, "minutes.note.set", 2, {"item_id": 1, "text": "  Đồng chí Hùng\r\nkết luận  "}
    )
    state = run(state, "minutes.note.set", 1, {"text": "Khai mạc lúc 8 giờ"})
    assert state.minutes.notes[1].text == "Đồng chí Hùng\nkết luận"
    assert state.minutes.notes[None].text == "Khai mạc lúc 8 giờ"
    assert (
        decide(state, "minutes.note.set", 2, {"item_id": 1, "text": "Đồng chí Hùng\nkết luận"})
        == []
    )
    state = run(state, "minutes.note.set", 2, {"item_id": 1, "text": ""})
    assert 1 not in state.minutes.notes


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"item_id": 9, "text": "x"}, NotFound),
        ({"text": "a\x00b"}, Invalid),
        ({"text": "x" * 10_001}, Invalid),
        ({"text": 5}, Invalid),
        ({"text": "x", "extra": 1}, Invalid),
        ({"item_id": True, "text": "x"}, Invalid),
    ],
)
def test_a_bad_note_is_refused(data: dict[str, Any], error: type[ECabinetError]) -> None:
    with pytest.raises(error):
        decide(ended_meeting(), "minutes.note.set", 2, data)


def test_decisions_get_ids_link_polls_and_can_be_changed_and_removed() -> None:
    state = ended_meeting()
    with pytest.raises(NotFound):
        decide(state, "minutes.decision.record", 2, {"text": "Thông qua", "poll_id": 1})
    state = run(state, "minutes.decision.record", 2, {"text": "Thông qua báo cáo", "item_id": 1})
    state = run(state, "minutes.decision.record", 1, {"text": "Giao Sở Tài chính"})
    assert [d.id for d in state.minutes.decisions.values()] == [1, 2]
    state = run(state, "minutes.decision.update", 2, {"decision_id": 2, "text": "Giao Sở Xây dựng"})
    assert state.minutes.decisions[2].text == "Giao Sở Xây dựng"
    assert state.minutes.decisions[2].updated_at is not None
    state = run(state, "minutes.decision.remove", 2, {"decision_id": 1})
    assert list(state.minutes.decisions) == [2]
    state = run(state, "minutes.decision.record", 2, {"text": "Mới"})
    assert list(state.minutes.decisions) == [2, 3]  # ids are never reused
    with pytest.raises(Invalid):
        decide(state, "minutes.decision.update", 2, {"decision_id": 2})
    with pytest.raises(NotFound):
        decide(state, "minutes.decision.remove", 2, {"decision_id": 1})


def test_an_absence_reason_is_kept_for_a_roster_member() -> None:
    state = run(ended_meeting(), "minutes.absence.set", 2, {"user_id": 4, "reason": "Đi công tác"})
    assert state.minutes.absences == {4: "Đi công tác"}
    with pytest.raises(NotFound):
        decide(state, "minutes.absence.set", 2, {"user_id": 99, "reason": "x"})
    state = run(state, "minutes.absence.set", 2, {"user_id": 4, "reason": None})
    assert state.minutes.absences == {}


def test_minutes_are_generated_only_after_the_meeting_and_from_the_current_head() -> None:
    live = run(MeetingState(), "meeting.start", 1)
    with pytest.raises(Conflict, match="ended"):
        generate(live)
    state = ended_meeting()
    stale = {
        "sha256": SHA_A,
        "size": 1,
        "pages": 1,
        "head_seq": state.seq - 1,
        "head_hash": "f" * 64,
        "layout": "state",
        "number": "",
    }
    with pytest.raises(Conflict, match="generate again"):
        decide(state, "minutes.generate", 2, stale, extra="f" * 64)
    with pytest.raises(Conflict):
        decide(state, "minutes.generate", 2, {**stale, "head_seq": state.seq}, extra="e" * 64)
    with pytest.raises(Invalid):
        bad_layout = {**stale, "head_seq": state.seq, "layout": "x"}
        decide(state, "minutes.generate", 2, bad_layout, extra="f" * 64)


def test_the_clerk_certifies_then_the_chair_approves_and_the_minutes_are_final() -> None:
    state = generate(ended_meeting())
    assert state.minutes.latest is not None and state.minutes.latest.status is VersionStatus.DRAFT
    with pytest.raises(Conflict, match="clerk"):
        sign(state, 1, 1, SHA_A, SHA_B)  # the chair cannot sign first
    with pytest.raises(Conflict, match="changed"):
        sign(state, 2, 1, SHA_C, SHA_B)  # signed from another file
    state = sign(state, 2, 1, SHA_A, SHA_B)
    with pytest.raises(Conflict, match="chair"):
        sign(state, 2, 1, SHA_B, SHA_C)
    state = sign(state, 1, 1, SHA_B, SHA_C)
    version = state.minutes.versions[1]
    assert version.status is VersionStatus.FINAL
    assert [(s.role, s.user_id) for s in version.signatures] == [("clerk", 2), ("chair", 1)]
    assert (version.sha256, version.draft_sha256) == (SHA_C, SHA_A)
    with pytest.raises(Conflict, match="final"):
        sign(state, 1, 1, SHA_C, SHA_A)


def test_a_correction_is_a_new_version_that_names_the_final_one() -> None:
    state = generate(ended_meeting())
    state = sign(sign(state, 2, 1, SHA_A, SHA_B), 1, 1, SHA_B, SHA_C)
    state = run(state, "minutes.note.set", 2, {"text": "Đính chính"})
    state = generate(state, sha="d" * 64)
    assert state.minutes.versions[2].replaces == 1
    assert state.minutes.latest_final is not None and state.minutes.latest_final.version == 1
    with pytest.raises(Conflict, match="newest"):
        sign(generate(state, sha="e" * 64), 2, 2, "d" * 64, SHA_B)


def test_snapshot_plus_later_events_equals_the_later_snapshot() -> None:
    state = generate(run(ended_meeting(), "minutes.note.set", 2, {"text": "Ghi chú"}))
    events: list[Event] = []
    later = state
    for type_, user, data in [
        ("minutes.decision.record", 2, {"text": "Quyết định"}),
        ("minutes.absence.set", 2, {"user_id": 3, "reason": "Ốm"}),
        ("minutes.sign", 2, {"version": 1, "previous_sha256": SHA_A, "sha256": SHA_B, "size": 9}),
    ]:
        decided = decide(later, type_, user, data)
        new = [
            Event(1, later.seq + i + 1, e.type, user, at(later.seq + i + 1), e.data, "")
            for i, e in enumerate(decided)
        ]
        events += new
        later = rules.fold(later, new)
    assert rules.fold(state, events).to_wire() == later.to_wire()
    assert later.to_wire()["minutes"]["versions"][0]["status"] == "clerk-signed"
