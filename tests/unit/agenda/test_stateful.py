"""Random command sequences by random actors; the agenda's invariants hold after each step.

The machine keeps the state built by decide → apply and the log of events it appended.
After every step: sibling numbers run 1..n at every level, every item is reachable from the
top exactly once (no cycles), depth ≤ 3, at most one item is current (one open visit),
nobody waits twice on a queue, a speech runs only on the current item, folding the whole
log gives the same state, and the wire snapshot rebuilds it. At the end, a snapshot taken
after any prefix of the log plus the rest of the log equals the final snapshot.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from agenda import (
    COMMANDS,
    CURRENT_STATUSES,
    DEPTH_MAX,
    ERROR_CODES,
    Actor,
    AgendaError,
    AgendaState,
    apply,
    decide,
    numbering,
    state_from_wire,
)

from .helpers import CHAIR, CLERK, MEMBER, OBSERVER, OTHER_MEMBER, assert_json

Log = list[tuple[str, dict[str, Any], str]]
MS_PER_DAY = 86_400_000
# The chair and the clerk twice, so that editing and driving commands are often allowed.
ACTOR_POOL = (CHAIR, CHAIR, CLERK, CLERK, MEMBER, OTHER_MEMBER, OBSERVER)
USER_IDS = st.sampled_from([1, 2, 3, 4, 5, 6])


def iso(ms: int) -> str:
    day, rest = divmod(ms, MS_PER_DAY)
    hours, rest = divmod(rest, 3_600_000)
    mins, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"2026-11-{25 + day:02}T{hours:02}:{mins:02}:{secs:02}.{millis:03}Z"


def fold(state: AgendaState, log: Log) -> AgendaState:
    for event_type, data, at in log:
        state = apply(state, event_type, data, at)
    return state


def payloads(command: str, state: AgendaState) -> st.SearchStrategy[dict[str, Any]]:
    """Payloads that mostly name existing items, sometimes a missing one or a bad value."""
    existing = sorted(state.items)
    ids = st.sampled_from([*existing, max(existing, default=0) + 1, 0])
    parent = st.none() | ids
    # Mostly valid values, with a bad one now and then.
    titles = st.sampled_from(
        ["Khai mạc", "Báo cáo", "Tờ trình", "x" * 300, "Bế mạc", "", "x" * 301]
    )
    kinds = st.sampled_from(["information", "discussion", "decision"] * 2 + ["vote"])
    fields: dict[str, st.SearchStrategy[Any]] = {
        "title": titles,
        "kind": kinds,
        "planned_minutes": st.none() | st.integers(0, 601),
        "presenter_id": st.none() | USER_IDS,
        "document_ids": st.lists(st.integers(1, 4), max_size=3),
        "description": st.sampled_from(["", "Ghi chú\nhai dòng"]),
    }
    item_only = {"item_id": ids}
    limits = st.none() | st.integers(0, 3700)
    table: dict[str, st.SearchStrategy[dict[str, Any]]] = {
        "agenda.item.add": st.fixed_dictionaries(
            {"title": titles, "kind": kinds},
            optional={
                "parent_id": parent,
                "position": st.integers(-1, 6),
                **{k: v for k, v in fields.items() if k not in {"title", "kind"}},
            },
        ),
        "agenda.item.update": st.fixed_dictionaries(item_only, optional=fields),
        "agenda.item.move": st.fixed_dictionaries(
            {"item_id": ids, "parent_id": parent}, optional={"position": st.integers(0, 6)}
        ),
        "agenda.item.remove": st.fixed_dictionaries(item_only),
        "agenda.item.set_status": st.fixed_dictionaries(
            {
                "item_id": ids,
                "status": st.sampled_from(["pending", "done", "deferred", "withdrawn", "current"]),
            }
        ),
        "agenda.item.attach_document": st.fixed_dictionaries(
            {"item_id": ids, "document_id": st.integers(1, 4)}
        ),
        "agenda.item.detach_document": st.fixed_dictionaries(
            {"item_id": ids, "document_id": st.integers(1, 4)}
        ),
        "agenda.current.set": st.fixed_dictionaries(item_only),
        "speakers.request": st.fixed_dictionaries(
            {}, optional={"item_id": ids, "user_id": USER_IDS}
        ),
        "speakers.withdraw": st.fixed_dictionaries(
            {}, optional={"item_id": ids, "user_id": USER_IDS}
        ),
        "speakers.grant": st.fixed_dictionaries(
            {}, optional={"user_id": USER_IDS, "limit_secs": limits}
        ),
        "speakers.set_default_limit": st.fixed_dictionaries({"limit_secs": limits}),
    }
    return table.get(command, st.just({}))


class AgendaMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.state = AgendaState()
        self.log: Log = []
        self.clock_ms = 8 * 3_600_000

    @rule(
        data=st.data(),
        command=st.sampled_from(sorted(COMMANDS)),
        actor=st.sampled_from(ACTOR_POOL),
        advance_ms=st.integers(0, 900_000),
    )
    def command(self, data: st.DataObject, command: str, actor: Actor, advance_ms: int) -> None:
        self.clock_ms += advance_ms
        now = iso(self.clock_ms)
        payload = data.draw(payloads(command, self.state), label="payload")
        before = copy.deepcopy(self.state)
        try:
            events = decide(self.state, command, payload, actor, now)
        except AgendaError as error:
            assert error.code in ERROR_CODES
            assert self.state == before  # illegal commands raise and nothing happens
            return
        assert self.state == before
        assert_json(events)
        for event in events:
            assert event.type in COMMANDS[command].emits
            self.state = apply(self.state, event.type, event.data, now)
            self.log.append((event.type, event.data, now))

    def _run(self, command: str, payload: dict[str, Any], actor: Actor) -> None:
        self.clock_ms += 45_000
        now = iso(self.clock_ms)
        try:
            events = decide(self.state, command, payload, actor, now)
        except AgendaError:
            return
        for event in events:
            self.state = apply(self.state, event.type, event.data, now)
            self.log.append((event.type, event.data, now))

    # The rules below send well-formed commands by the right role, so that random runs
    # build deep agendas, move them around and walk them with speeches going on.

    @rule(data=st.data(), kind=st.sampled_from(["information", "discussion", "decision"]))
    def add_item(self, data: st.DataObject, kind: str) -> None:
        parent = data.draw(st.none() | st.sampled_from([None, *self.state.items]), label="parent")
        count = len(self.state.children.get(parent, ()))
        position = data.draw(st.none() | st.integers(0, count), label="position")
        payload = {"title": "Mục", "kind": kind, "parent_id": parent, "position": position}
        self._run("agenda.item.add", payload, CLERK)

    @rule(data=st.data())
    def move_item(self, data: st.DataObject) -> None:
        if not self.state.items:
            return
        item_id = data.draw(st.sampled_from(sorted(self.state.items)), label="item")
        parent = data.draw(st.sampled_from([None, *self.state.items]), label="parent")
        position = data.draw(st.integers(0, len(self.state.children.get(parent, ()))))
        self._run(
            "agenda.item.move",
            {"item_id": item_id, "parent_id": parent, "position": position},
            CHAIR,
        )

    @rule(
        data=st.data(),
        doc=st.integers(1, 3),
        status=st.sampled_from(["done", "pending", "deferred", "withdrawn"]),
    )
    def edit_item(self, data: st.DataObject, doc: int, status: str) -> None:
        if not self.state.items:
            return
        item_id = data.draw(st.sampled_from(sorted(self.state.items)), label="item")
        changes = data.draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "title": st.sampled_from(["Báo cáo quý", "Tờ trình"]),
                    "planned_minutes": st.none() | st.integers(1, 600),
                    "document_ids": st.lists(st.integers(1, 3), unique=True, max_size=2),
                },
            ),
            label="changes",
        )
        self._run("agenda.item.update", {"item_id": item_id, **changes}, CLERK)
        self._run("agenda.item.attach_document", {"item_id": item_id, "document_id": doc}, CLERK)
        self._run(
            "agenda.item.detach_document", {"item_id": item_id, "document_id": 4 - doc}, CLERK
        )
        self._run("agenda.item.set_status", {"item_id": item_id, "status": status}, CHAIR)

    @rule(data=st.data())
    def remove_item(self, data: st.DataObject) -> None:
        if self.state.items:
            item_id = data.draw(st.sampled_from(sorted(self.state.items)), label="item")
            self._run("agenda.item.remove", {"item_id": item_id}, CLERK)

    @rule(actor=st.sampled_from([MEMBER, OTHER_MEMBER]))
    def ask_and_give_up(self, actor: Actor) -> None:
        self._run("speakers.request", {}, actor)
        self._run("speakers.withdraw", {}, actor)

    @rule(command=st.sampled_from(["agenda.next", "agenda.next", "agenda.previous"]))
    def walk(self, command: str) -> None:
        self._run(command, {}, CHAIR)

    @rule(actor=st.sampled_from([CHAIR, MEMBER, OTHER_MEMBER, CLERK]))
    def ask_and_grant(self, actor: Actor) -> None:
        self._run("speakers.request", {}, actor)
        self._run("speakers.grant", {}, CHAIR)

    @invariant()
    def tree_is_whole_and_numbered_without_gaps(self) -> None:
        state = self.state
        seen: list[int] = []
        stack: list[int | None] = [None]
        while stack:
            parent = stack.pop()
            for kid in state.children.get(parent, ()):
                assert kid not in seen, "an item reachable twice means a cycle"
                assert state.items[kid].parent_id == parent
                seen.append(kid)
                stack.append(kid)
        assert sorted(seen) == sorted(state.items), "every item is reachable from the top"
        assert set(state.children) <= {None, *state.items}
        assert all(state.children.values()), "empty sibling lists are not kept"
        labels = numbering(state)
        for parent in state.children:
            prefix = "" if parent is None else labels[parent] + "."
            got = [labels[kid] for kid in state.children[parent]]
            assert got == [f"{prefix}{n}" for n in range(1, len(got) + 1)]
        assert all(label.count(".") < DEPTH_MAX for label in labels.values())
        assert all(i < state.next_item_id for i in state.items)

    @invariant()
    def at_most_one_item_is_current(self) -> None:
        state = self.state
        open_visits = [
            i.id for i in state.items.values() if i.visits and i.visits[-1].ended_at is None
        ]
        assert open_visits == ([] if state.current_id is None else [state.current_id])
        if state.current_id is not None:
            assert state.items[state.current_id].status in CURRENT_STATUSES
        if state.speech is not None:
            assert state.current_id is not None

    @invariant()
    def nobody_waits_twice(self) -> None:
        for item_id, queue in self.state.queues.items():
            assert item_id in self.state.items and queue
            counts = Counter(r.user_id for r in queue)
            assert max(counts.values()) == 1

    @invariant()
    def the_log_folds_to_the_state_and_the_snapshot_rebuilds_it(self) -> None:
        assert fold(AgendaState(), self.log) == self.state
        wire = self.state.to_wire()
        assert json.loads(json.dumps(wire)) == wire
        assert state_from_wire(wire) == self.state

    def teardown(self) -> None:
        final = self.state.to_wire()
        step = max(1, len(self.log) // 8)
        for n in range(0, len(self.log) + 1, step):
            snapshot = json.loads(json.dumps(fold(AgendaState(), self.log[:n]).to_wire()))
            assert fold(state_from_wire(snapshot), self.log[n:]).to_wire() == final


AgendaMachine.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestAgendaMachine = AgendaMachine.TestCase
