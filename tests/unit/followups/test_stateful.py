"""Random follow-up commands by random actors on random days; the follow-ups never reach an
impossible state.

After every step: a done follow-up took no event after its acceptance; a due date moved
only by extensions, always later, each starting where the previous one ended; every accepted
follow-up was accepted on a report nobody had sent back; report ids are unique and rise;
each decision has at most one follow-up; the status on any day is one of the four and is
done exactly when accepted; refusals changed nothing; folding the whole log gives the same
state.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from followups import (
    COMMANDS,
    ERROR_CODES,
    Actor,
    FollowUpError,
    FollowUpsState,
    Status,
    apply,
    decide,
)

START = date(2026, 12, 1)
# Reviewers and the usual assignee (7) often, another member now and then.
ACTORS = (Actor(1, True), Actor(2, True), Actor(7, False), Actor(7, False), Actor(8, False))
Log = list[tuple[str, dict[str, Any], int, str]]


def day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def payloads(command: str, state: FollowUpsState) -> st.SearchStrategy[dict[str, Any]]:
    ids = st.sampled_from([*sorted(state.items), len(state.items) + 1])
    days = st.integers(0, 60).map(day) | st.sampled_from(["2026-13-01", "x", day(-3)])
    texts = st.sampled_from(["Báo cáo tiến độ", "Đã hoàn thành", "Bổ sung số liệu", "", "x" * 4001])
    table: dict[str, st.SearchStrategy[dict[str, Any]]] = {
        "followup.create": st.fixed_dictionaries(
            {"meeting_id": st.integers(1, 2), "decision_id": st.integers(1, 3), "text": texts}
        ),
        "followup.assign": st.fixed_dictionaries(
            {"follow_up_id": ids, "due_date": days},
            optional={
                "assignee_id": st.sampled_from([7, 8]),
                "unit": st.sampled_from(["Sở A", ""]),
            },
        ),
        "followup.report": st.fixed_dictionaries(
            {"follow_up_id": ids, "text": texts},
            optional={"document_ids": st.lists(st.integers(1, 4), max_size=3)},
        ),
        "followup.accept": st.fixed_dictionaries({"follow_up_id": ids}),
        "followup.return": st.fixed_dictionaries(
            {"follow_up_id": ids, "reason": st.sampled_from(["Thiếu số liệu", ""])}
        ),
        "followup.extend": st.fixed_dictionaries(
            {"follow_up_id": ids, "due_date": days, "reason": st.sampled_from(["Chờ Bộ", ""])}
        ),
    }
    return table[command]


class FollowUpMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.state = FollowUpsState()
        self.log: Log = []
        self.today = 0
        self.done_at_log_length: dict[int, int] = {}

    @rule(days=st.integers(0, 10))
    def time_passes(self, days: int) -> None:
        self.today += days

    def _send(self, command: str, payload: dict[str, Any], actor: Actor) -> None:
        before = self.state
        now = f"{day(self.today)}T02:00:00.000Z"
        try:
            decided = decide(self.state, command, payload, actor, now, day(self.today))
        except FollowUpError as refusal:
            assert refusal.code in ERROR_CODES
            assert self.state is before
            return
        for one in decided:
            event(one.type)  # --hypothesis-show-statistics: how often each event happens
            if one.type == "followup.accepted":
                item = self.state.items[one.data["follow_up_id"]]
                assert item.reports and item.reports[-1].returned_reason is None
            self.state = apply(self.state, one.type, one.data, actor.user_id, now)
            self.log.append((one.type, one.data, actor.user_id, now))
            if one.type == "followup.accepted":
                self.done_at_log_length[one.data["follow_up_id"]] = len(self.log)

    def _open(self, data: st.DataObject, assigned: bool) -> int | None:
        open_ids = [
            i.id for i in self.state.items.values() if i.done_at is None and i.assigned >= assigned
        ]
        return data.draw(st.sampled_from(open_ids)) if open_ids else None

    @initialize(assignees=st.lists(st.sampled_from([7, 8]), min_size=1, max_size=3))
    def decisions_assigned(self, assignees: list[int]) -> None:
        """A signed meeting's decisions, already assigned: reports and reviews come soon."""
        for n, assignee in enumerate(assignees, start=1):
            self.create(n + 10, "Kết luận")
            payload = {"follow_up_id": n, "assignee_id": assignee, "due_date": day(7)}
            self._send("followup.assign", payload, ACTORS[1])

    @rule(decision=st.integers(1, 4), text=st.sampled_from(["Kết luận", "Giao Sở Tài chính"]))
    def create(self, decision: int, text: str) -> None:
        payload = {"meeting_id": 1, "decision_id": decision, "text": text}
        self._send("followup.create", payload, ACTORS[0])

    @rule(data=st.data(), ahead=st.integers(-1, 20), assignee=st.sampled_from([7, 8]))
    def assign(self, data: st.DataObject, ahead: int, assignee: int) -> None:
        target = self._open(data, assigned=False)
        if target is not None:
            payload = {
                "follow_up_id": target,
                "assignee_id": assignee,
                "unit": "Sở A",
                "due_date": day(self.today + ahead),
            }
            self._send("followup.assign", payload, ACTORS[1])

    @rule(data=st.data(), text=st.sampled_from(["Đã xong 50%", "Hoàn thành", ""]))
    def report(self, data: st.DataObject, text: str) -> None:
        target = self._open(data, assigned=True)
        if target is not None:
            assignee = self.state.items[target].assignee_id or 7
            payload = {"follow_up_id": target, "text": text, "document_ids": [1]}
            self._send("followup.report", payload, Actor(assignee, False))

    @rule(data=st.data(), accept=st.booleans())
    def review(self, data: st.DataObject, accept: bool) -> None:
        target = self._open(data, assigned=True)
        if target is not None:
            if accept:
                self._send("followup.accept", {"follow_up_id": target}, ACTORS[0])
            else:
                payload = {"follow_up_id": target, "reason": "Thiếu số liệu"}
                self._send("followup.return", payload, ACTORS[0])

    @rule(data=st.data(), more=st.integers(-2, 15))
    def extend(self, data: st.DataObject, more: int) -> None:
        target = self._open(data, assigned=True)
        if target is not None:
            due = self.state.items[target].due_date or day(self.today)
            later = (date.fromisoformat(due) + timedelta(days=more)).isoformat()
            payload = {"follow_up_id": target, "due_date": later, "reason": "Chờ ý kiến Bộ"}
            self._send("followup.extend", payload, ACTORS[1])

    @rule(data=st.data(), command=st.sampled_from(sorted(COMMANDS)), actor=st.sampled_from(ACTORS))
    def anything(self, data: st.DataObject, command: str, actor: Actor) -> None:
        """Any command by anyone with a drawn payload: mostly refusals."""
        self._send(command, data.draw(payloads(command, self.state)), actor)

    @invariant()
    def a_done_follow_up_takes_no_more_events(self) -> None:
        for follow_up_id, length in self.done_at_log_length.items():
            later = [e for e in self.log[length:] if e[1].get("follow_up_id") == follow_up_id]
            assert later == []

    @invariant()
    def due_dates_move_only_by_extensions_and_later(self) -> None:
        for item in self.state.items.values():
            if item.extensions:
                assert item.due_date == item.extensions[-1].due_date
            dues = [e.previous_due for e in item.extensions] + (
                [item.due_date] if item.extensions else []
            )
            assert dues == sorted(dues) and len(set(dues)) == len(dues)
            for first, second in zip(item.extensions, item.extensions[1:], strict=False):
                assert second.previous_due == first.due_date

    @invariant()
    def reports_decisions_and_statuses_are_consistent(self) -> None:
        report_ids = [r.report_id for i in self.state.items.values() for r in i.reports]
        assert len(set(report_ids)) == len(report_ids)
        for item in self.state.items.values():
            assert [r.report_id for r in item.reports] == sorted(r.report_id for r in item.reports)
            assert item.reports == () or item.assigned
        keys = [(i.meeting_id, i.decision_id) for i in self.state.items.values()]
        assert len(set(keys)) == len(keys)
        for offset in (self.today - 5, self.today, self.today + 30):
            for item in self.state.items.values():
                status = item.status_on(day(offset))
                assert isinstance(status, Status)
                assert (status is Status.DONE) == (item.done_at is not None)

    @invariant()
    def the_log_folds_to_the_same_state(self) -> None:
        state = FollowUpsState()
        for event_type, data, actor_id, at in self.log:
            state = apply(state, event_type, data, actor_id, at)
        assert state == self.state


FollowUpMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestFollowUps = FollowUpMachine.TestCase
