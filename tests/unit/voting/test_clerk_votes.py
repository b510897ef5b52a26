"""The clerk records a present member's vote in a named poll (``vote.record``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.unit.voting.app import App, member, room
from voting import (
    Actor,
    Ballot,
    Conflict,
    DoubleVote,
    Invalid,
    NotAllowed,
    NotEligible,
    PollClosed,
    VotingError,
    apply,
    clerk_ballot,
    decide,
)

MEMBERS = range(1, 8)  # 1 is the chair; the clerk (20) is present but never votes
CLERK = Actor(20, "clerk")
PRESENT = [*MEMBERS, 20]


def _opened(present: Any = PRESENT, **overrides: Any) -> tuple[App, int]:
    app = App(room(MEMBERS, present))
    poll_id = app.create(**overrides)
    app.run("poll.open", {"poll_id": poll_id})
    return app, poll_id


def _record(app: App, poll_id: int, voter: int, choice: Any = "yes") -> list[Any]:
    return app.run("vote.record", {"poll_id": poll_id, "voter_id": voter, "choice": choice}, CLERK)


def test_a_recorded_vote_counts_like_the_members_own_and_is_marked() -> None:
    app, poll_id = _opened()
    [event] = _record(app, poll_id, 4, "no")
    assert event.type == "vote.cast"
    assert event.data == {
        "poll_id": poll_id,
        "voter_id": 4,
        "cast_by": 20,
        "choice": "no",
        "recast": False,
        "recorded_by": 20,
    }
    assert app.participation[(poll_id, 4)] == 20
    assert app.named[(poll_id, 4)] == "no"
    poll_wire = app.state.to_wire(4)["polls"][0]
    assert poll_wire["votes"] == [{"voter_id": 4, "choice": "no", "recorded_by": 20}]
    assert poll_wire["you"]["voted_for"] == [4]
    app.vote(poll_id, 2, "yes")
    [closed] = app.run("poll.close", {"poll_id": poll_id})
    result = closed.data["result"]
    assert result["counts"] == [1, 1]
    assert result["recorded"] == [4]
    assert "paper" not in result


def test_a_members_own_vote_is_not_marked_and_the_result_has_no_recorded_key() -> None:
    app, poll_id = _opened()
    app.vote(poll_id, 2, "yes")
    assert app.state.to_wire(None)["polls"][0]["votes"] == [{"voter_id": 2, "choice": "yes"}]
    [closed] = app.run("poll.close", {"poll_id": poll_id})
    assert "recorded" not in closed.data["result"]


@pytest.mark.parametrize("role", ["chair", "member", "observer"])
def test_only_the_clerk_records_a_vote(role: str) -> None:
    app, poll_id = _opened()
    before = app.state
    with pytest.raises(NotAllowed):
        app.run("vote.record", {"poll_id": poll_id, "voter_id": 4, "choice": "yes"}, Actor(3, role))
    assert app.state == before


def test_a_secret_poll_is_refused_as_invalid() -> None:
    app, poll_id = _opened(secret=True)
    before = app.state
    with pytest.raises(Invalid):
        _record(app, poll_id, 4)
    assert app.state == before


def test_a_member_who_is_not_checked_in_is_not_eligible() -> None:
    app, poll_id = _opened()
    # Member 4 was present at open and has left since.
    app.room = replace(app.room, present=app.room.present - {4})
    before = app.state
    with pytest.raises(NotEligible):
        _record(app, poll_id, 4)
    assert app.state == before


def test_a_member_who_arrived_after_the_poll_opened_is_not_eligible() -> None:
    app, poll_id = _opened(present=[1, 2, 3, 4, 20])
    app.room = replace(app.room, present=app.room.present | {5})
    with pytest.raises(NotEligible):
        _record(app, poll_id, 5)


@pytest.mark.parametrize("voter", [20, 99])
def test_the_clerk_or_a_stranger_is_not_eligible(voter: int) -> None:
    app, poll_id = _opened()
    with pytest.raises(NotEligible):
        _record(app, poll_id, voter)


def test_a_recused_member_is_not_eligible() -> None:
    app, poll_id = _opened()
    app.run("poll.recuse", {"poll_id": poll_id}, member(4))
    with pytest.raises(NotEligible):
        _record(app, poll_id, 4)


def test_a_member_who_voted_is_a_double_vote_either_way() -> None:
    app, poll_id = _opened()
    app.vote(poll_id, 2, "yes")
    _record(app, poll_id, 3, "no")
    before = app.state
    with pytest.raises(DoubleVote) as refused:
        _record(app, poll_id, 2, "no")
    assert refused.value.details == {"poll_id": poll_id, "voter_id": 2}
    with pytest.raises(DoubleVote):
        app.vote(poll_id, 3, "yes")
    assert app.state == before


def test_with_allow_change_the_members_own_recast_clears_the_mark() -> None:
    app, poll_id = _opened(allow_change=True)
    _record(app, poll_id, 3, "no")
    [recast] = app.vote(poll_id, 3, "yes")
    assert recast.data["recast"] is True and "recorded_by" not in recast.data
    poll = app.state.polls[poll_id]
    assert poll.votes[3] == "yes" and 3 not in poll.recorded
    [again] = _record(app, poll_id, 3, "abstain")
    assert again.data["recast"] is True and app.state.polls[poll_id].recorded == {3: 20}


def test_a_closed_poll_is_poll_closed_and_a_draft_a_conflict() -> None:
    app, poll_id = _opened()
    app.run("poll.close", {"poll_id": poll_id})
    with pytest.raises(PollClosed):
        _record(app, poll_id, 4)
    draft = app.create()
    with pytest.raises(Conflict):
        _record(app, draft, 4)


def test_an_invalid_choice_or_payload_is_invalid() -> None:
    app, poll_id = _opened()
    with pytest.raises(Invalid):
        _record(app, poll_id, 4, "maybe")
    with pytest.raises(Invalid):
        app.run("vote.record", {"poll_id": poll_id, "choice": "yes"}, CLERK)
    with pytest.raises(Invalid):
        app.run("vote.record", {"poll_id": poll_id, "voter_id": True, "choice": "yes"}, CLERK)


def test_clerk_ballot_describes_what_to_store_and_refuses_exactly_when_decide_does() -> None:
    app, poll_id = _opened()
    data = {"poll_id": poll_id, "voter_id": 4, "choice": "yes"}
    ballot = clerk_ballot(app.state, data, CLERK, app.now, app.room)
    assert ballot == Ballot(poll_id, 4, 20, "yes", secret=False, replaces=False)
    for event in decide(app.state, "vote.record", data, CLERK, app.now, app.room):
        app.state = apply(app.state, event.type, event.data, app.now)
    for call in (
        lambda: decide(app.state, "vote.record", data, CLERK, app.now, app.room),
        lambda: clerk_ballot(app.state, data, CLERK, app.now, app.room),
    ):
        with pytest.raises(VotingError) as refused:
            call()
        assert refused.value.code == "double-vote"
