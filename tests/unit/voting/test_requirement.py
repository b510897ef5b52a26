"""What a poll needs to pass, decided by the server from the moment it is created and carried
by every event that can change it, so that tablets show the server's numbers and never
compute a threshold themselves."""

from __future__ import annotations

import itertools

import pytest

from tests.unit.voting.app import App, room
from voting import Base, CommitteeKind, Requirement, VotingState, apply, committee_rules


def _app(members: int, present: int) -> App:
    rules = committee_rules(CommitteeKind.PEOPLES_COMMITTEE)
    return App(room(range(1, members + 1), range(1, present + 1)), rules=rules)


def _wire(app: App, poll_id: int = 1) -> object:
    return app.state.to_wire(None)["polls"][poll_id - 1]["requirement"]


def test_absolute_majority_of_9_members_needs_5_from_the_moment_it_is_created() -> None:
    app = _app(members=9, present=6)
    [created] = app.run(
        "poll.create",
        {"title": "Nghị quyết", "kind": "yes_no_abstain", "secret": False, "allow_change": False},
    )
    assert created.data["requirement"] == {"base_kind": "members", "base": 9, "needed": 5}
    assert _wire(app) == created.data["requirement"]
    assert app.state.polls[1].requirement == Requirement(Base.MEMBERS, 9, 5)


def test_two_thirds_of_those_present_is_known_only_when_the_poll_opens_6_present_need_4() -> None:
    app = _app(members=9, present=6)
    app.create(majority="two_thirds_present")
    assert _wire(app) == {"base_kind": "present", "base": None, "needed": None}
    [opened] = app.run("poll.open", {"poll_id": 1})
    assert opened.data["requirement"] == {"base_kind": "present", "base": 6, "needed": 4}
    assert _wire(app) == opened.data["requirement"]


def test_simple_majority_is_known_only_at_close_1_yes_of_1_cast_needs_1() -> None:
    app = _app(members=9, present=6)
    app.create(majority="simple")
    app.run("poll.open", {"poll_id": 1})
    assert _wire(app) == {"base_kind": "cast", "base": None, "needed": None}
    app.vote(1, 2, "yes")
    app.vote(1, 1, "abstain")
    app.run("poll.close", {"poll_id": 1})
    assert _wire(app) == {"base_kind": "cast", "base": 1, "needed": 1}


def test_absolute_majority_of_9_with_1_recused_in_the_draft_needs_5_of_8() -> None:
    app = _app(members=9, present=9)
    app.create(majority="absolute")
    [recused] = app.run("poll.recuse", {"poll_id": 1, "user_id": 4})
    assert recused.data["requirement"] == {"base_kind": "members", "base": 8, "needed": 5}


def test_two_thirds_of_6_present_with_1_recused_while_open_needs_4_of_5() -> None:
    app = _app(members=9, present=6)
    app.create(majority="two_thirds_present")
    app.run("poll.open", {"poll_id": 1})
    [recused] = app.run("poll.recuse", {"poll_id": 1, "user_id": 3})
    assert recused.data["requirement"] == {"base_kind": "present", "base": 5, "needed": 4}


def test_changing_the_rule_of_a_draft_changes_what_it_needs_absolute_5_to_two_thirds_6() -> None:
    app = _app(members=9, present=9)
    app.create(majority="absolute")
    [updated] = app.run("poll.update", {"poll_id": 1, "majority": "two_thirds_members"})
    assert updated.data["requirement"] == {"base_kind": "members", "base": 9, "needed": 6}


@pytest.mark.parametrize(
    ("majority", "present", "recused_before", "recused_after"),
    list(
        itertools.product(
            ["absolute", "two_thirds_present", "two_thirds_members"], [6, 9], [(), (5,)], [(), (2,)]
        )
    ),
)
def test_what_the_poll_needed_before_its_close_is_what_the_count_used(
    majority: str, present: int, recused_before: tuple[int, ...], recused_after: tuple[int, ...]
) -> None:
    app = _app(members=9, present=present)
    app.create(majority=majority)
    for user in recused_before:
        app.run("poll.recuse", {"poll_id": 1, "user_id": user})
    app.run("poll.open", {"poll_id": 1})
    for user in recused_after:
        app.run("poll.recuse", {"poll_id": 1, "user_id": user})
    before = app.state.polls[1].requirement
    app.vote(1, 1, "yes")
    app.run("poll.close", {"poll_id": 1})
    result = app.state.polls[1].result
    assert before is not None and result is not None
    assert (before.base, before.needed) == (result.base, result.needed)
    assert app.state.polls[1].requirement == before


def test_a_log_written_before_requirements_folds_to_none_until_the_close() -> None:
    """Older logs have no ``requirement`` in their events: nothing is invented for them."""
    app = _app(members=9, present=6)
    app.create()
    app.run("poll.open", {"poll_id": 1})
    app.vote(1, 2, "yes")
    app.run("poll.close", {"poll_id": 1})
    state = VotingState()
    for event in app.log:
        data = {k: v for k, v in event.data.items() if k != "requirement"}
        state = apply(state, event.type, data, app.now)
        if event.type != "poll.closed":
            assert state.polls[1].requirement is None
    assert state.polls[1].requirement == Requirement(Base.CAST, 1, 1)
