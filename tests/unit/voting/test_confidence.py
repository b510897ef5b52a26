"""Confidence votes: every person rated at three levels; "low" over the poll's flag."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.voting.app import App, room
from voting import Invalid, Kind, Poll, PollSpec, PollStatus, Quorum, QuorumKind, tally

PERSONS = ["Nguyễn Văn An", "Trần Thị Bình"]
HIGH, CONF, LOW = 0, 1, 2


def confidence(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "title": "Lấy phiếu tín nhiệm",
        "kind": "confidence",
        "secret": True,
        "allow_change": False,
        "options": PERSONS,
    }
    payload.update(overrides)
    return payload


def opened(members: int = 9, **overrides: Any) -> tuple[App, int]:
    app = App(room(range(1, members + 1), range(1, members + 1)))
    poll_id = int(app.run("poll.create", confidence(**overrides))[0].data["poll_id"])
    app.run("poll.open", {"poll_id": poll_id})
    return app, poll_id


def close(app: App, poll_id: int) -> dict[str, Any]:
    result: dict[str, Any] = app.run("poll.close", {"poll_id": poll_id})[0].data["result"]
    return result


def test_a_confidence_vote_defaults_to_more_than_half_low_and_a_two_thirds_quorum() -> None:
    app = App(room(range(1, 10), range(1, 10)))
    data = app.run("poll.create", confidence())[0].data
    assert data["low_flag"] == "more_than_half"
    assert data["quorum"] == {"kind": "fraction", "fraction": [2, 3], "strict": False}


def test_a_single_person_may_be_rated() -> None:
    app = App(room(range(1, 4), range(1, 4)))
    assert app.run("poll.create", confidence(options=["A"]))[0].data["options"] == ["A"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"secret": False},
        {"low_flag": "most"},
        {"max_choices": 2},
        {"options": []},
        {"options": ["A", "A"]},
    ],
)
def test_a_confidence_definition_out_of_the_rules_is_invalid(overrides: dict[str, Any]) -> None:
    app = App(room(range(1, 10), range(1, 10)))
    with pytest.raises(Invalid):
        app.run("poll.create", confidence(**overrides))
    assert app.log == []


@pytest.mark.parametrize(
    "choice", [[HIGH], [HIGH, CONF, LOW], [HIGH, 3], [HIGH, -1], ["high", "low"], "yes", None]
)
def test_a_ballot_that_does_not_rate_each_person_once_is_invalid(choice: Any) -> None:
    app, poll_id = opened()
    before = app.state
    with pytest.raises(Invalid):
        app.vote(poll_id, 2, choice)
    assert app.state is before and app.sealed == []


def test_9_ballots_5_low_flags_more_than_half_and_4_low_does_not() -> None:
    app, poll_id = opened(members=9)
    ratings = [[LOW, LOW]] * 4 + [[LOW, HIGH]] + [[CONF, HIGH]] * 2 + [[HIGH, CONF]] * 2
    for voter, choice in enumerate(ratings, start=1):
        app.vote(poll_id, voter, choice)
    result = close(app, poll_id)
    conf = result["confidence"]
    assert conf["base"] == 9 and conf["needed"] == 5
    assert conf["persons"][0] == {
        "index": 0,
        "counts": [2, 2, 5],
        "shares": [[2, 9], [2, 9], [5, 9]],
        "flagged": True,
    }
    assert conf["persons"][1]["counts"] == [3, 2, 4] and not conf["persons"][1]["flagged"]
    assert conf["flagged"] == [0]
    assert result["adopted"] is False and result["winners"] == []


def test_with_the_two_thirds_flag_6_low_of_9_flags_and_5_does_not() -> None:
    app, poll_id = opened(members=9, low_flag="two_thirds")
    ratings = [[LOW, LOW]] * 5 + [[LOW, HIGH]] + [[CONF, HIGH]] * 3
    for voter, choice in enumerate(ratings, start=1):
        app.vote(poll_id, voter, choice)
    conf = close(app, poll_id)["confidence"]
    assert conf["needed"] == 6
    assert conf["flagged"] == [0]


def test_shares_are_of_the_ballots_returned_not_of_the_members() -> None:
    app, poll_id = opened(members=9)
    for voter in range(1, 7):  # 6 of 9 return a ballot
        app.vote(poll_id, voter, [LOW, HIGH] if voter <= 4 else [HIGH, HIGH])
    conf = close(app, poll_id)["confidence"]
    assert conf["base"] == 6 and conf["needed"] == 4
    assert conf["persons"][0]["shares"][LOW] == [4, 6] and conf["flagged"] == [0]


def test_a_confidence_vote_never_puts_a_choice_in_its_events_and_folds_back() -> None:
    app, poll_id = opened(members=3)
    app.vote(poll_id, 1, [LOW, HIGH])
    closed = app.run("poll.close", {"poll_id": poll_id})[0]
    assert app.log[-2].data == {"poll_id": poll_id, "voter_id": 1}
    assert "[2, 0]" not in str(closed.data) and "choice" not in closed.data
    poll = app.state.polls[poll_id]
    assert poll.result is not None and poll.result.to_wire() == closed.data["result"]


@given(
    st.integers(1, 5).flatmap(
        lambda persons: st.tuples(
            st.just(persons),
            st.lists(st.lists(st.integers(0, 2), min_size=persons, max_size=persons), max_size=12),
            st.sampled_from(["more_than_half", "two_thirds"]),
        )
    )
)
def test_a_person_is_flagged_exactly_when_low_ratings_pass_the_flag(
    case: tuple[int, list[list[int]], str],
) -> None:
    persons, ballots, flag = case
    ids = frozenset(range(1, 13))
    spec = PollSpec(
        title="T",
        kind=Kind.CONFIDENCE,
        secret=True,
        allow_change=False,
        majority="absolute",
        quorum=Quorum(QuorumKind.NONE),
        options=tuple(f"P{i}" for i in range(persons)),
        low_flag=flag,
    )
    poll = Poll(1, spec, PollStatus.OPEN, members=ids, eligible=ids)
    result = tally(poll, [tuple(b) for b in ballots]).confidence
    assert result is not None
    for index, counts in enumerate(result.levels):
        assert sum(counts) == len(ballots)
        low = counts[LOW]
        passes = low * 2 > len(ballots) if flag == "more_than_half" else low * 3 >= len(ballots) * 2
        assert (index in result.flagged) == (passes and low > 0)
