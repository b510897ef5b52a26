"""Personnel elections: candidates, seats, "more than half of everyone summoned", ties."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.voting.app import App, member, room
from voting import Invalid, Kind, Poll, PollSpec, PollStatus, Quorum, QuorumKind, tally
from voting._errors import TooManyKept

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]


def election(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "title": "Bầu Ban Thường vụ",
        "kind": "election",
        "secret": True,
        "allow_change": False,
        "options": NAMES,
        "max_choices": 2,
    }
    payload.update(overrides)
    return payload


def opened(members: int = 9, present: int | None = None, **overrides: Any) -> tuple[App, int]:
    ids = range(1, members + 1)
    app = App(room(ids, range(1, (present or members) + 1)))
    poll_id = int(app.run("poll.create", election(**overrides))[0].data["poll_id"])
    app.run("poll.open", {"poll_id": poll_id})
    return app, poll_id


def close(app: App, poll_id: int) -> dict[str, Any]:
    result: dict[str, Any] = app.run("poll.close", {"poll_id": poll_id})[0].data["result"]
    return result


def test_an_election_takes_the_committees_absolute_majority_and_records_the_seats() -> None:
    app = App(room(range(1, 10), range(1, 10)))
    data = app.run("poll.create", election())[0].data
    assert data["kind"] == "election" and data["max_choices"] == 2 and data["min_choices"] == 1
    assert data["majority"] == "absolute"
    assert data["requirement"] == {"base_kind": "members", "base": 9, "needed": 5}


@pytest.mark.parametrize(
    "overrides",
    [
        {"secret": False},
        {"majority": "simple"},
        {"majority": "two_thirds_present"},
        {"max_choices": 5},
        {"max_choices": 0},
        {"min_choices": 2},
        {"options": []},
        {"options": ["A", "A"]},
        {"options": ["A", " "]},
        {"low_flag": "two_thirds"},
    ],
)
def test_an_election_definition_below_the_rules_is_invalid(overrides: dict[str, Any]) -> None:
    app = App(room(range(1, 10), range(1, 10)))
    with pytest.raises(Invalid):
        app.run("poll.create", election(**overrides))
    assert app.log == []


def test_candidate_names_are_stored_in_nfc() -> None:
    app = App(room(range(1, 10), range(1, 10)))
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn An")
    data = app.run("poll.create", election(options=[decomposed, "B"], max_choices=1))[0].data
    assert data["options"][0] == unicodedata.normalize("NFC", "Nguyễn Văn An")


def test_keeping_three_names_for_two_seats_is_too_many_kept_and_changes_nothing() -> None:
    app, poll_id = opened()
    before = app.state
    with pytest.raises(TooManyKept) as refused:
        app.vote(poll_id, 2, [0, 1, 2])
    assert refused.value.code == "too-many-kept"
    assert refused.value.details == {"kept": 3, "seats": 2}
    assert app.state is before and app.sealed == []


def test_keeping_nobody_is_accepted_and_helps_no_candidate() -> None:
    app, poll_id = opened()
    app.vote(poll_id, 2, [])
    result = close(app, poll_id)
    assert result["abstentions"] == 1 and result["ballots"] == 1
    assert result["counts"] == [0, 0, 0, 0]


def test_9_members_need_5_votes_4_is_not_elected_even_with_only_6_present() -> None:
    app, poll_id = opened(members=9, present=6, quorum={"kind": "none"})
    for voter in range(1, 5):
        app.vote(poll_id, voter, [0, 1])
    app.vote(poll_id, 5, [0])
    app.vote(poll_id, 6, [0])
    result = close(app, poll_id)
    assert result["base"] == 9 and result["needed"] == 5
    assert result["counts"] == [6, 4, 0, 0]
    assert result["winners"] == [0]
    candidates = result["election"]["candidates"]
    assert candidates[0] == {
        "index": 0,
        "votes": 6,
        "share": [6, 9],
        "elected": True,
        "tied": False,
    }
    assert candidates[1]["share"] == [4, 9] and not candidates[1]["elected"]
    assert result["election"]["tie_for_last_seat"] == []


def test_two_seats_7_5_5_of_9_elect_the_first_and_tie_the_two_with_5() -> None:
    app, poll_id = opened(members=9)
    ballots = [[0, 1]] * 3 + [[0, 2]] * 3 + [[0]] + [[1, 2]] * 2
    for voter, kept in enumerate(ballots, start=1):
        app.vote(poll_id, voter, kept)
    result = close(app, poll_id)
    assert result["counts"] == [7, 5, 5, 0]
    assert result["needed"] == 5
    assert result["winners"] == [0]
    assert result["election"]["tie_for_last_seat"] == [1, 2]
    assert [c["tied"] for c in result["election"]["candidates"]] == [False, True, True, False]
    assert [c["elected"] for c in result["election"]["candidates"]] == [True, False, False, False]


def test_three_passing_for_two_seats_elect_the_two_most_voted() -> None:
    app, poll_id = opened(members=9)
    ballots = [[0, 1]] * 4 + [[0, 2]] * 3 + [[1, 2]] * 2
    for voter, kept in enumerate(ballots, start=1):
        app.vote(poll_id, voter, kept)
    result = close(app, poll_id)
    assert result["counts"] == [7, 6, 5, 0]
    assert result["winners"] == [0, 1]
    assert result["election"]["tie_for_last_seat"] == []


def test_the_secret_election_events_carry_no_choice_and_receipts_are_published() -> None:
    app, poll_id = opened(members=3)
    app.vote(poll_id, 2, [0, 1])
    assert app.log[-1].data == {"poll_id": poll_id, "voter_id": 2}
    closed = app.run("poll.close", {"poll_id": poll_id})[0].data
    assert closed["receipts"] == [app.receipts[(poll_id, 2)]]


def test_an_election_result_folds_back_into_the_same_wire() -> None:
    app, poll_id = opened(members=3)
    app.vote(poll_id, 1, [0, 1])
    closed = app.run("poll.close", {"poll_id": poll_id})[0]
    poll = app.state.polls[poll_id]
    assert poll.result is not None and poll.result.to_wire() == closed.data["result"]


@st.composite
def elections(draw: st.DrawFn) -> tuple[Poll, list[tuple[int, ...]]]:
    members = draw(st.integers(1, 15))
    candidates = draw(st.integers(1, 6))
    seats = draw(st.integers(1, candidates))
    voters = draw(st.integers(0, members))
    ballots = [
        tuple(sorted(draw(st.sets(st.integers(0, candidates - 1), max_size=seats))))
        for _ in range(voters)
    ]
    majority = draw(st.sampled_from(["absolute", "two_thirds_members"]))
    spec = PollSpec(
        title="Bầu",
        kind=Kind.ELECTION,
        secret=True,
        allow_change=False,
        majority=majority,
        quorum=Quorum(QuorumKind.NONE),
        options=tuple(f"Ứng viên {i}" for i in range(candidates)),
        max_choices=seats,
    )
    ids = frozenset(range(1, members + 1))
    poll = Poll(1, spec, PollStatus.OPEN, members=ids, eligible=ids)
    return poll, ballots


@given(elections())
def test_never_more_elected_than_seats_nor_anyone_at_or_below_half_of_members(
    case: tuple[Poll, list[tuple[int, ...]]],
) -> None:
    poll, ballots = case
    result = tally(poll, ballots)
    members = len(poll.members)
    assert len(result.winners) <= poll.spec.max_choices
    for index in result.winners:
        assert result.counts[index] * 2 > members
    for index in result.ties:
        assert index not in result.winners and result.counts[index] >= result.needed
    assert len(result.winners) + (len(result.ties) > 0) <= poll.spec.max_choices


def test_a_member_votes_through_the_member_role() -> None:
    app, poll_id = opened(members=3)
    events = app.run("vote.cast", {"poll_id": poll_id, "choice": [3]}, member(3))
    assert events[0].type == "vote.participated"
