"""Casting: validity, double votes, recasts, deadlines, and what secret polls record."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.unit.voting.app import CHAIR, NOW, App, member, room
from voting import (
    Ballot,
    Conflict,
    DoubleVote,
    Invalid,
    PollClosed,
    SealedBallot,
    VotingError,
    ballot_for,
    decide,
)

MEMBERS = range(1, 8)
DEADLINE = "2026-11-25T08:10:00.000Z"


def _opened(**overrides: Any) -> tuple[App, int]:
    app = App(room(MEMBERS, MEMBERS))
    poll_id = app.create(**overrides)
    app.run("poll.open", {"poll_id": poll_id})
    return app, poll_id


def test_voting_twice_is_a_double_vote_and_changes_nothing() -> None:
    app, poll_id = _opened()
    app.vote(poll_id, 2, "yes")
    before = app.state
    with pytest.raises(DoubleVote) as refused:
        app.vote(poll_id, 2, "no")
    assert app.state == before
    assert refused.value.details == {"poll_id": poll_id, "voter_id": 2}


def test_with_allow_change_a_recast_replaces_the_ballot() -> None:
    app, poll_id = _opened(allow_change=True)
    app.vote(poll_id, 2, "yes")
    [event] = app.vote(poll_id, 2, "no")
    assert event.data["recast"] is True
    assert app.state.polls[poll_id].votes == {2: "no"}
    assert app.named == {(poll_id, 2): "no"}  # exactly one current ballot
    app.run("poll.close", {"poll_id": poll_id})
    result = app.state.polls[poll_id].result
    assert result is not None
    assert (result.counts, result.ballots) == ((0, 1), 1)


def test_ballot_for_describes_what_to_store() -> None:
    app, poll_id = _opened(allow_change=True)
    data = {"poll_id": poll_id, "choice": "yes"}
    assert ballot_for(app.state, data, member(3), NOW, app.room) == Ballot(
        poll_id, voter_id=3, cast_by=3, choice="yes", secret=False, replaces=False
    )
    app.vote(poll_id, 3, "yes")
    assert ballot_for(app.state, data, member(3), NOW, app.room).replaces


def test_ballot_for_refuses_exactly_when_decide_does() -> None:
    app, poll_id = _opened()
    app.vote(poll_id, 2, "yes")
    data = {"poll_id": poll_id, "choice": "no"}
    for refusal in (decide, lambda s, t, d, a, n, r: ballot_for(s, d, a, n, r)):
        with pytest.raises(DoubleVote):
            refusal(app.state, "vote.cast", data, member(2), NOW, app.room)


# Deadline


def test_a_cast_1_ms_before_the_deadline_is_accepted() -> None:
    app, poll_id = _opened(deadline=DEADLINE)
    app.now = "2026-11-25T08:09:59.999Z"
    app.vote(poll_id, 2, "yes")


def test_a_cast_at_the_deadline_is_poll_closed() -> None:
    app, poll_id = _opened(deadline=DEADLINE)
    app.now = DEADLINE
    with pytest.raises(PollClosed):
        app.vote(poll_id, 2, "yes")


def test_a_deadline_in_another_time_zone_is_kept_in_utc() -> None:
    app, poll_id = _opened(deadline="2026-11-25T15:10:00+07:00")
    assert app.state.polls[poll_id].spec.deadline == DEADLINE
    app.now = "2026-11-25T08:10:00.000Z"
    with pytest.raises(PollClosed):
        app.vote(poll_id, 2, "yes")


def test_a_deadline_must_be_in_the_future_when_the_poll_is_defined() -> None:
    app = App(room(MEMBERS, MEMBERS))
    with pytest.raises(Invalid):
        app.create(deadline=NOW)


def test_a_poll_whose_deadline_passed_before_it_opened_cannot_open() -> None:
    app = App(room(MEMBERS, MEMBERS))
    poll_id = app.create(deadline=DEADLINE)
    app.now = DEADLINE
    with pytest.raises(Conflict):
        app.run("poll.open", {"poll_id": poll_id})


def test_the_chair_closes_a_poll_after_its_deadline() -> None:
    app, poll_id = _opened(deadline=DEADLINE)
    app.vote(poll_id, 2, "yes")
    app.now = "2026-11-25T09:00:00.000Z"
    [closed] = app.run("poll.close", {"poll_id": poll_id})
    assert closed.data["result"]["adopted"] is True


# Secret polls


def test_a_secret_vote_event_says_who_took_part_and_never_the_choice() -> None:
    app, poll_id = _opened(secret=True)
    [event] = app.vote(poll_id, 2, "no")
    assert (event.type, event.data) == ("vote.participated", {"poll_id": poll_id, "voter_id": 2})
    assert app.state.polls[poll_id].votes == {}
    assert app.state.polls[poll_id].participants == frozenset({2})


def test_a_secret_ballot_reaches_the_application_only_through_ballot_for() -> None:
    app, poll_id = _opened(secret=True)
    data = {"poll_id": poll_id, "choice": "no"}
    ballot = ballot_for(app.state, data, member(2), NOW, app.room)
    assert (ballot.secret, ballot.choice) == (True, "no")
    assert ballot.seal("r-1") == SealedBallot(poll_id, "no", "r-1")


def test_a_secret_poll_closes_with_totals_and_the_sorted_receipts() -> None:
    app, poll_id = _opened(secret=True)
    for voter, choice in ((2, "yes"), (3, "yes"), (4, "no"), (5, "abstain")):
        app.vote(poll_id, voter, choice)
    [closed] = app.run("poll.close", {"poll_id": poll_id})
    assert closed.data["result"]["counts"] == [2, 1]
    assert closed.data["result"]["abstentions"] == 1
    assert closed.data["receipts"] == sorted(app.receipts.values())
    assert app.state.polls[poll_id].receipts == tuple(sorted(app.receipts.values()))


def test_no_event_of_a_secret_poll_contains_a_choice() -> None:
    app, poll_id = _opened(secret=True, kind="options", options=["A", "B", "C"])
    app.vote(poll_id, 2, [1])
    app.vote(poll_id, 3, [])
    app.run("poll.close", {"poll_id": poll_id})
    text = json.dumps([e.data for e in app.log if e.type.startswith("vote.")])
    assert "choice" not in text
    assert "choice" not in json.dumps(app.state.to_wire(2)["polls"][0]["votes"])


def test_a_secret_poll_cannot_allow_changing_a_vote() -> None:
    with pytest.raises(Invalid):
        App(room(MEMBERS, MEMBERS)).create(secret=True, allow_change=True)


@pytest.mark.parametrize(
    "sealed",
    [
        [],  # a ballot missing
        [SealedBallot(1, "yes", "a"), SealedBallot(1, "no", "b")],  # one too many
        [SealedBallot(2, "yes", "a")],  # another poll's ballot
        [SealedBallot(1, "maybe", "a")],  # not a choice of this poll
    ],
)
def test_closing_with_ballots_that_disagree_with_the_log_is_an_internal_error(
    sealed: list[SealedBallot],
) -> None:
    app, poll_id = _opened(secret=True)
    app.vote(poll_id, 2, "yes")
    with pytest.raises(ValueError):
        decide(app.state, "poll.close", {"poll_id": poll_id}, CHAIR, NOW, app.room, sealed=sealed)


def test_duplicate_receipts_are_an_internal_error() -> None:
    app, poll_id = _opened(secret=True)
    app.vote(poll_id, 2, "yes")
    app.vote(poll_id, 3, "yes")
    sealed = [SealedBallot(poll_id, "yes", "same"), SealedBallot(poll_id, "yes", "same")]
    with pytest.raises(ValueError):
        decide(app.state, "poll.close", {"poll_id": poll_id}, CHAIR, NOW, app.room, sealed=sealed)


def test_sealed_ballots_are_refused_for_a_named_poll() -> None:
    app, poll_id = _opened()
    sealed = [SealedBallot(poll_id, "yes", "a")]
    with pytest.raises(ValueError):
        decide(app.state, "poll.close", {"poll_id": poll_id}, CHAIR, NOW, app.room, sealed=sealed)


# Choices


@pytest.mark.parametrize("choice", ["Yes", "", None, 1, ["yes"], True])
def test_a_yes_no_abstain_choice_is_one_of_three_words(choice: Any) -> None:
    app, poll_id = _opened()
    with pytest.raises(Invalid):
        app.vote(poll_id, 2, choice)


@pytest.mark.parametrize(
    "choice",
    [[3], [-1], [0, 0], [0, 1, 2], "yes", [True], [0.0], None],
)
def test_an_options_choice_is_1_to_max_distinct_indexes(choice: Any) -> None:
    app, poll_id = _opened(kind="options", options=["A", "B", "C"], max_choices=2)
    with pytest.raises(Invalid):
        app.vote(poll_id, 2, choice)


def test_an_options_choice_is_stored_ascending_and_an_empty_one_abstains() -> None:
    app, poll_id = _opened(kind="options", options=["A", "B", "C"], min_choices=2, max_choices=2)
    [event] = app.vote(poll_id, 2, [2, 0])
    assert event.data["choice"] == [0, 2]
    app.vote(poll_id, 3, [])
    with pytest.raises(Invalid):
        app.vote(poll_id, 4, [1])  # fewer than min_choices
    app.run("poll.close", {"poll_id": poll_id})
    result = app.state.polls[poll_id].result
    assert result is not None and (result.counts, result.abstentions) == ((1, 0, 1), 1)


@pytest.mark.parametrize(
    "extra",
    [
        {"on_behalf_of": "2"},
        {"on_behalf_of": True},
        {"proxy": 2},
    ],
)
def test_malformed_cast_payloads_are_invalid(extra: dict[str, Any]) -> None:
    app, poll_id = _opened()
    with pytest.raises(VotingError) as refused:
        app.vote(poll_id, 2, "yes", **extra)
    assert refused.value.code == "invalid"
