"""Each follow-up command on examples: what it emits, what it refuses (code and no events),
and what the fold and the dashboard make of it."""

from __future__ import annotations

from typing import Any

import pytest

from followups import (
    Actor,
    FollowUpError,
    FollowUpsState,
    Status,
    apply,
    counts,
    counts_by_unit,
    decide,
)

CLERK = Actor(1, reviewer=True)
ASSIGNEE = Actor(7, reviewer=False)
OTHER = Actor(8, reviewer=False)
TODAY = "2026-12-05"
NOW = "2026-12-05T03:00:00.000Z"


def run(
    state: FollowUpsState,
    command: str,
    data: dict[str, Any],
    actor: Actor = CLERK,
    today: str = TODAY,
) -> FollowUpsState:
    for event in decide(state, command, data, actor, NOW, today):
        state = apply(state, event.type, event.data, actor.user_id, NOW)
    return state


def refused(
    state: FollowUpsState,
    command: str,
    data: dict[str, Any],
    actor: Actor = CLERK,
    today: str = TODAY,
) -> str:
    with pytest.raises(FollowUpError) as caught:
        decide(state, command, data, actor, NOW, today)
    return caught.value.code


def assigned(due: str = "2026-12-20") -> FollowUpsState:
    state = run(
        FollowUpsState(),
        "followup.create",
        {"meeting_id": 3, "decision_id": 1, "text": "Hoàn thiện dự thảo Nghị quyết"},
    )
    return run(
        state,
        "followup.assign",
        {"follow_up_id": 1, "assignee_id": 7, "unit": "Sở Tài chính", "due_date": due},
    )


def test_a_decision_becomes_one_follow_up_assigned_reported_and_accepted() -> None:
    state = assigned()
    item = state.items[1]
    assert (item.assignee_id, item.unit, item.due_date) == (7, "Sở Tài chính", "2026-12-20")
    assert item.status_on(TODAY) is Status.NOT_STARTED
    state = run(
        state,
        "followup.report",
        {"follow_up_id": 1, "text": "Đã xong 60%", "document_ids": [4]},
        ASSIGNEE,
    )
    assert state.items[1].status_on(TODAY) is Status.IN_PROGRESS
    assert state.items[1].reports[0].document_ids == (4,)
    state = run(state, "followup.accept", {"follow_up_id": 1})
    assert state.items[1].status_on("2027-01-30") is Status.DONE  # done never turns overdue
    assert refused(state, "followup.report", {"follow_up_id": 1, "text": "x"}, ASSIGNEE) == (
        "conflict"
    )
    duplicate = {"meeting_id": 3, "decision_id": 1, "text": "Lần hai"}
    assert refused(state, "followup.create", duplicate) == "conflict"


def test_overdue_is_derived_from_the_day_and_an_extension_with_a_reason_lifts_it() -> None:
    state = assigned("2026-12-10")
    assert state.items[1].status_on("2026-12-10") is Status.NOT_STARTED
    assert state.items[1].status_on("2026-12-11") is Status.OVERDUE
    assert (
        refused(
            state,
            "followup.extend",
            {"follow_up_id": 1, "due_date": "2026-12-09", "reason": "Chờ ý kiến Bộ"},
        )
        == "invalid"
    )
    assert (
        refused(
            state, "followup.extend", {"follow_up_id": 1, "due_date": "2026-12-31", "reason": "  "}
        )
        == "invalid"
    )
    state = run(
        state,
        "followup.extend",
        {"follow_up_id": 1, "due_date": "2026-12-31", "reason": "Chờ ý kiến Bộ"},
    )
    item = state.items[1]
    assert item.status_on("2026-12-11") is Status.NOT_STARTED
    assert [(e.previous_due, e.due_date) for e in item.extensions] == [("2026-12-10", "2026-12-31")]
    # Re-assigning keeps the due date: only an extension, with its reason, moves it.
    for moved in ("2026-12-20", "2027-01-15"):
        other_due = {"follow_up_id": 1, "assignee_id": 8, "due_date": moved}
        assert refused(state, "followup.assign", other_due) == "conflict"
    state = run(
        state, "followup.assign", {"follow_up_id": 1, "assignee_id": 8, "due_date": "2026-12-31"}
    )
    assert (state.items[1].assignee_id, state.items[1].due_date) == (8, "2026-12-31")


def test_a_report_sent_back_waits_for_another_before_anything_is_accepted() -> None:
    state = run(assigned(), "followup.report", {"follow_up_id": 1, "text": "Báo cáo"}, ASSIGNEE)
    state = run(state, "followup.return", {"follow_up_id": 1, "reason": "Thiếu số liệu quý IV"})
    assert state.items[1].reports[-1].returned_reason == "Thiếu số liệu quý IV"
    assert refused(state, "followup.accept", {"follow_up_id": 1}) == "conflict"
    state = run(state, "followup.report", {"follow_up_id": 1, "text": "Bổ sung"}, ASSIGNEE)
    assert [r.report_id for r in state.items[1].reports] == [1, 2]
    state = run(state, "followup.accept", {"follow_up_id": 1})
    assert state.items[1].done_at == NOW


@pytest.mark.parametrize(
    ("command", "data", "actor", "code"),
    [
        ("followup.assign", {"follow_up_id": 1, "due_date": "2026-12-20"}, CLERK, "invalid"),
        (
            "followup.assign",
            {"follow_up_id": 1, "unit": "Sở", "due_date": "2026-12-04"},
            CLERK,
            "invalid",
        ),
        (
            "followup.assign",
            {"follow_up_id": 1, "unit": "Sở", "due_date": "20-12-2026"},
            CLERK,
            "invalid",
        ),
        (
            "followup.assign",
            {"follow_up_id": 2, "unit": "Sở", "due_date": "2026-12-20"},
            CLERK,
            "not-found",
        ),
        (
            "followup.assign",
            {"follow_up_id": 1, "unit": "Sở", "due_date": "2026-12-20"},
            ASSIGNEE,
            "not-allowed",
        ),
        ("followup.report", {"follow_up_id": 1, "text": "x"}, ASSIGNEE, "conflict"),
        ("followup.accept", {"follow_up_id": 1}, CLERK, "conflict"),
        (
            "followup.extend",
            {"follow_up_id": 1, "due_date": "2026-12-31", "reason": "x"},
            CLERK,
            "conflict",
        ),
        (
            "followup.create",
            {"meeting_id": 3, "decision_id": 2, "text": "x", "extra": 1},
            CLERK,
            "invalid",
        ),
        (
            "followup.create",
            {"meeting_id": 3, "decision_id": 2, "text": "x"},
            ASSIGNEE,
            "not-allowed",
        ),
        ("followup.cancel", {"follow_up_id": 1}, CLERK, "invalid"),
    ],
)
def test_refusals_before_assignment(
    command: str, data: dict[str, Any], actor: Actor, code: str
) -> None:
    state = run(
        FollowUpsState(), "followup.create", {"meeting_id": 3, "decision_id": 1, "text": "Kết luận"}
    )
    assert refused(state, command, data, actor) == code


def test_only_the_person_responsible_reports_and_reports_are_checked() -> None:
    state = assigned()
    assert refused(state, "followup.report", {"follow_up_id": 1, "text": "x"}, OTHER) == (
        "not-allowed"
    )
    assert refused(state, "followup.report", {"follow_up_id": 1, "text": ""}, ASSIGNEE) == (
        "invalid"
    )
    twice = {"follow_up_id": 1, "text": "x", "document_ids": [3, 3]}
    assert refused(state, "followup.report", twice, ASSIGNEE) == "invalid"
    too_many = {"follow_up_id": 1, "text": "x", "document_ids": list(range(1, 12))}
    assert refused(state, "followup.report", too_many, ASSIGNEE) == "invalid"
    long_text = {"follow_up_id": 1, "text": "x" * 4001}
    assert refused(state, "followup.report", long_text, ASSIGNEE) == "invalid"


def test_the_dashboard_counts_on_track_due_soon_overdue_and_done_per_unit() -> None:
    state = FollowUpsState()
    plan = [
        (1, "Sở Tài chính", "2026-12-31"),  # on track
        (2, "Sở Tài chính", "2026-12-12"),  # due within 7 days
        (3, "Sở Tư pháp", "2026-12-06"),  # overdue on the 10th
        (4, "Sở Tư pháp", "2026-12-20"),  # done
    ]
    for decision, unit, due in plan:
        state = run(
            state,
            "followup.create",
            {"meeting_id": 3, "decision_id": decision, "text": f"Kết luận {decision}"},
        )
        state = run(
            state,
            "followup.assign",
            {"follow_up_id": decision, "assignee_id": 7, "unit": unit, "due_date": due},
        )
    state = run(state, "followup.report", {"follow_up_id": 4, "text": "Xong"}, ASSIGNEE)
    state = run(state, "followup.accept", {"follow_up_id": 4})
    items = list(state.items.values())
    assert counts(items, "2026-12-10").to_wire() == {
        "on_track": 1,
        "due_soon": 1,
        "overdue": 1,
        "done": 1,
    }
    by_unit = {unit: c.to_wire() for unit, c in counts_by_unit(items, "2026-12-10").items()}
    assert by_unit == {
        "Sở Tài chính": {"on_track": 1, "due_soon": 1, "overdue": 0, "done": 0},
        "Sở Tư pháp": {"on_track": 0, "due_soon": 0, "overdue": 1, "done": 1},
    }
