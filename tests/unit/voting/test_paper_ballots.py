"""Paper ballots in a secret poll: marking members for paper, the paper tally, the close."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from tests.unit.voting.app import NO_QUORUM, App, room
from voting import (
    Actor,
    Conflict,
    DoubleVote,
    Invalid,
    NotAllowed,
    NotEligible,
    PaperBallot,
    PaperTallyMissing,
    PollClosed,
)

MEMBERS = range(1, 10)  # a committee of 9; 1 is the chair
CLERK = Actor(20, "clerk")


def _opened(**overrides: Any) -> tuple[App, int]:
    app = App(room(MEMBERS, [*MEMBERS, 20]))
    poll_id = app.create(secret=True, **overrides)
    app.run("poll.open", {"poll_id": poll_id})
    return app, poll_id


def _mark(app: App, poll_id: int, *voters: int) -> None:
    for voter in voters:
        app.run("vote.mark_paper", {"poll_id": poll_id, "voter_id": voter}, CLERK)


def _tally(app: App, poll_id: int, **numbers: Any) -> list[Any]:
    return app.run("poll.paper_tally", {"poll_id": poll_id, **numbers}, CLERK)


def _refused(app: App, error: type[Exception], command: str, data: dict[str, Any]) -> None:
    before, log = app.state, list(app.log)
    with pytest.raises(error):
        app.run(command, data, CLERK)
    assert app.state == before and app.log == log


def test_absolute_majority_of_9_adopted_with_3_tablet_and_2_paper_yes_votes() -> None:
    app, poll_id = _opened(majority="absolute")
    for voter in (2, 3, 4):
        app.vote(poll_id, voter, "yes")
    app.vote(poll_id, 5, "no")
    _mark(app, poll_id, 6, 7, 8)
    [tallied] = _tally(
        app, poll_id, issued=3, returned=3, valid=2, invalid=1, counts=[2, 0], abstentions=0
    )
    assert tallied.type == "poll.paper_tallied"
    assert tallied.data == {
        "poll_id": poll_id,
        "issued": 3,
        "returned": 3,
        "valid": 2,
        "invalid": 1,
        "counts": [2, 0],
        "abstentions": 0,
    }
    [closed] = app.run("poll.close", {"poll_id": poll_id})
    result = closed.data["result"]
    assert result["counts"] == [5, 1]  # 3 + 2 yes, 1 no
    assert result["ballots"] == 6  # 4 on tablets, 2 valid on paper
    assert result["did_not_vote"] == 3  # members 1 and 9, and the invalid paper ballot
    assert result["needed"] == 5 and result["adopted"] is True
    assert result["paper"] == {k: v for k, v in tallied.data.items() if k != "poll_id"}
    assert len(closed.data["receipts"]) == 4  # receipts are for tablet ballots only


def test_absolute_majority_of_9_rejected_with_4_yes_when_a_paper_ballot_is_not_returned() -> None:
    app, poll_id = _opened(majority="absolute")
    for voter in (2, 3, 4):
        app.vote(poll_id, voter, "yes")
    _mark(app, poll_id, 6, 7)
    _tally(app, poll_id, issued=2, returned=1, valid=1, invalid=0, counts=[1, 0])
    [closed] = app.run("poll.close", {"poll_id": poll_id})
    assert closed.data["result"]["counts"] == [4, 0]
    assert closed.data["result"]["adopted"] is False


def test_the_paper_tally_never_names_a_member() -> None:
    app, poll_id = _opened()
    _mark(app, poll_id, 6)
    [tallied] = _tally(app, poll_id, issued=1, returned=1, valid=1, invalid=0, counts=[0, 1])
    assert "voter_id" not in json.dumps(tallied.data) and "6" not in json.dumps(tallied.data)
    assert "choice" not in json.dumps([e.data for e in app.log if e.type != "poll.created"])


def test_a_member_marked_for_paper_cannot_vote_on_the_tablet() -> None:
    app, poll_id = _opened()
    _mark(app, poll_id, 6)
    wire = app.state.to_wire(6)["polls"][0]
    assert wire["paper_voters"] == [6]
    assert wire["you"]["paper"] is True
    assert wire["you"]["votes_for"] == [] and wire["you"]["can_vote_for"] == []
    before = app.state
    with pytest.raises(PaperBallot):
        app.vote(poll_id, 6, "yes")
    assert app.state == before and (poll_id, 6) not in app.participation


def test_a_member_who_voted_on_the_tablet_cannot_be_marked_for_paper() -> None:
    app, poll_id = _opened()
    app.vote(poll_id, 6, "yes")
    _refused(app, DoubleVote, "vote.mark_paper", {"poll_id": poll_id, "voter_id": 6})


def test_marking_twice_or_after_the_tally_is_a_conflict() -> None:
    app, poll_id = _opened()
    _mark(app, poll_id, 6)
    _refused(app, Conflict, "vote.mark_paper", {"poll_id": poll_id, "voter_id": 6})
    _tally(app, poll_id, issued=1, returned=1, valid=1, invalid=0, counts=[1, 0])
    _refused(app, Conflict, "vote.mark_paper", {"poll_id": poll_id, "voter_id": 7})


def test_marking_an_absent_or_ineligible_member_is_not_eligible() -> None:
    app, poll_id = _opened()
    app.room = replace(app.room, present=app.room.present - {7})
    _refused(app, NotEligible, "vote.mark_paper", {"poll_id": poll_id, "voter_id": 7})
    _refused(app, NotEligible, "vote.mark_paper", {"poll_id": poll_id, "voter_id": 20})


def _election(app: App) -> int:
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    election = {"kind": "election", "options": names, "max_choices": 2}
    poll_id = app.create(secret=True, majority="absolute", **election)
    app.run("poll.open", {"poll_id": poll_id})
    return poll_id


def test_an_election_counts_the_names_kept_on_paper_with_the_tablet_ballots() -> None:
    """9 members, 2 seats, 5 needed. Tablets: 3 keep An and Bình. Paper: 5 issued and
    returned, 1 invalid, 1 blank; of the 3 other valid ones, An is kept on 2 and Cường on 3.
    An has 5 (elected), Bình 3, Cường 3."""
    app = App(room(MEMBERS, [*MEMBERS, 20]))
    poll_id = _election(app)
    for voter in (2, 3, 4):
        app.vote(poll_id, voter, [0, 1])
    _mark(app, poll_id, 5, 6, 7, 8, 9)
    numbers = {"issued": 5, "returned": 5, "valid": 4, "invalid": 1, "abstentions": 1}
    _tally(app, poll_id, counts=[2, 0, 3], **numbers)
    [closed] = app.run("poll.close", {"poll_id": poll_id})
    result = closed.data["result"]
    assert result["counts"] == [5, 3, 3]
    assert result["ballots"] == 7 and result["abstentions"] == 1
    assert result["needed"] == 5 and result["winners"] == [0]
    assert result["paper"]["counts"] == [2, 0, 3]


@pytest.mark.parametrize(
    ("counts", "abstentions", "why"),
    [
        ([4, 0, 0], 1, "a name kept on more ballots than the 3 marked ones"),
        ([1, 0, 1], 0, "3 marked ballots keep at least 3 names"),
        ([3, 3, 1], 0, "3 marked ballots keep at most 6 names for 2 seats"),
        ([0, 0, 0], 4, "more blank ballots than valid ones"),
        ([1, 1], 1, "one count per candidate"),
    ],
)
def test_an_election_paper_tally_that_no_ballots_could_give_is_invalid(
    counts: list[int], abstentions: int, why: str
) -> None:
    app = App(room(MEMBERS, [*MEMBERS, 20]))
    poll_id = _election(app)
    _mark(app, poll_id, 5, 6, 7)
    data = {"poll_id": poll_id, "issued": 3, "returned": 3, "valid": 3, "invalid": 0}
    _refused(
        app, Invalid, "poll.paper_tally", {**data, "counts": counts, "abstentions": abstentions}
    )


def _confidence(app: App) -> int:
    persons = ["Nguyễn Văn An", "Trần Thị Bình"]
    poll_id = app.create(secret=True, kind="confidence", options=persons, quorum=NO_QUORUM)
    app.run("poll.open", {"poll_id": poll_id})
    return poll_id


def test_a_confidence_vote_counts_paper_ratings_person_by_person_and_level_by_level() -> None:
    """9 members; tablets: 3 rate An low and Bình high. Paper: 4 valid ballots rating An
    (high 0, confidence 1, low 3) and Bình (4, 0, 0). An: 6 low of 7 ballots, flagged."""
    app = App(room(MEMBERS, [*MEMBERS, 20]))
    poll_id = _confidence(app)
    for voter in (2, 3, 4):
        app.vote(poll_id, voter, [2, 0])
    _mark(app, poll_id, 5, 6, 7, 8)
    numbers = {"issued": 4, "returned": 4, "valid": 4, "invalid": 0}
    _tally(app, poll_id, counts=[0, 1, 3, 4, 0, 0], **numbers)
    [closed] = app.run("poll.close", {"poll_id": poll_id})
    confidence = closed.data["result"]["confidence"]
    assert confidence["base"] == 7
    assert [p["counts"] for p in confidence["persons"]] == [[0, 1, 6], [7, 0, 0]]
    assert confidence["flagged"] == [0]


@pytest.mark.parametrize(
    ("counts", "abstentions"),
    [
        ([0, 1, 1, 3, 0, 0], 0),  # An is rated on 2 of the 3 valid ballots
        ([0, 1, 2, 3, 0, 0], 1),  # a valid confidence ballot is never blank
        ([0, 1, 2], 0),  # three numbers per person
    ],
)
def test_a_confidence_paper_tally_must_rate_everybody_on_every_valid_ballot(
    counts: list[int], abstentions: int
) -> None:
    app = App(room(MEMBERS, [*MEMBERS, 20]))
    poll_id = _confidence(app)
    _mark(app, poll_id, 5, 6, 7)
    data = {"poll_id": poll_id, "issued": 3, "returned": 3, "valid": 3, "invalid": 0}
    _refused(
        app, Invalid, "poll.paper_tally", {**data, "counts": counts, "abstentions": abstentions}
    )


def test_paper_ballots_are_refused_in_a_named_poll_and_in_multi_choice_polls() -> None:
    app = App(room(MEMBERS, [*MEMBERS, 20]))
    named = app.create()
    multi = app.create(secret=True, kind="options", options=["A", "B", "C"], max_choices=2)
    for poll_id in (named, multi):
        app.run("poll.open", {"poll_id": poll_id})
        _refused(app, Invalid, "vote.mark_paper", {"poll_id": poll_id, "voter_id": 6})


def test_a_draft_is_a_conflict_and_a_closed_poll_is_poll_closed() -> None:
    app, poll_id = _opened()
    draft = app.create(secret=True)
    _refused(app, Conflict, "vote.mark_paper", {"poll_id": draft, "voter_id": 6})
    app.run("poll.close", {"poll_id": poll_id})
    _refused(app, PollClosed, "vote.mark_paper", {"poll_id": poll_id, "voter_id": 6})
    numbers = {"issued": 0, "returned": 0, "valid": 0, "invalid": 0, "counts": [0, 0]}
    _refused(app, PollClosed, "poll.paper_tally", {"poll_id": poll_id, **numbers})


@pytest.mark.parametrize("role", ["chair", "member", "observer"])
def test_only_the_clerk_marks_and_tallies(role: str) -> None:
    app, poll_id = _opened()
    for command, data in (
        ("vote.mark_paper", {"poll_id": poll_id, "voter_id": 6}),
        ("poll.paper_tally", {"poll_id": poll_id, "issued": 0, "returned": 0, "valid": 0,
                              "invalid": 0, "counts": [0, 0]}),
    ):  # fmt: skip
        before = app.state
        with pytest.raises(NotAllowed):
            app.run(command, data, Actor(3, role))
        assert app.state == before


@pytest.mark.parametrize(
    ("numbers", "why"),
    [
        ({"issued": 3, "returned": 2, "valid": 2, "invalid": 0, "counts": [2, 0]}, "issued"),
        ({"issued": 2, "returned": 3, "valid": 3, "invalid": 0, "counts": [3, 0]}, "returned"),
        ({"issued": 2, "returned": 2, "valid": 1, "invalid": 0, "counts": [1, 0]}, "invalid"),
        ({"issued": 2, "returned": 2, "valid": 2, "invalid": 0, "counts": [1, 0]}, "counts"),
        (
            {"issued": 2, "returned": 2, "valid": 2, "invalid": 0, "counts": [1, 0],
             "abstentions": 2},
            "counts",
        ),
        ({"issued": 2, "returned": 2, "valid": 2, "invalid": 0, "counts": [2]}, "shape"),
        ({"issued": 2, "returned": -1, "valid": 0, "invalid": 0, "counts": [0, 0]}, "number"),
        ({"issued": 2, "returned": 2, "valid": 2, "invalid": 0, "counts": [2.0, 0]}, "number"),
    ],
)  # fmt: skip
def test_a_tally_that_does_not_add_up_is_invalid(numbers: dict[str, Any], why: str) -> None:
    app, poll_id = _opened()
    _mark(app, poll_id, 6, 7)
    _refused(app, Invalid, "poll.paper_tally", {"poll_id": poll_id, **numbers})


def test_issued_must_equal_the_members_marked_and_the_refusal_says_how_many() -> None:
    app, poll_id = _opened()
    _mark(app, poll_id, 6, 7)
    with pytest.raises(Invalid) as refused:
        _tally(app, poll_id, issued=3, returned=0, valid=0, invalid=0, counts=[0, 0])
    assert refused.value.details == {"issued": 2}


def test_a_tally_without_paper_voters_is_a_conflict() -> None:
    app, poll_id = _opened()
    numbers = {"issued": 0, "returned": 0, "valid": 0, "invalid": 0, "counts": [0, 0]}
    _refused(app, Conflict, "poll.paper_tally", {"poll_id": poll_id, **numbers})


def test_close_is_refused_until_the_paper_tally_is_entered() -> None:
    app, poll_id = _opened()
    app.vote(poll_id, 2, "yes")
    _mark(app, poll_id, 6)
    before = app.state
    with pytest.raises(PaperTallyMissing) as refused:
        app.run("poll.close", {"poll_id": poll_id})
    assert refused.value.code == "paper-tally-missing"
    assert refused.value.details == {"poll_id": poll_id, "paper_voters": 1}
    assert app.state == before
    _tally(app, poll_id, issued=1, returned=1, valid=1, invalid=0, counts=[0, 0], abstentions=1)
    [closed] = app.run("poll.close", {"poll_id": poll_id})
    assert closed.data["result"]["abstentions"] == 1


def test_a_second_tally_replaces_the_first() -> None:
    app, poll_id = _opened()
    _mark(app, poll_id, 6, 7)
    _tally(app, poll_id, issued=2, returned=2, valid=2, invalid=0, counts=[2, 0])
    _tally(app, poll_id, issued=2, returned=2, valid=2, invalid=0, counts=[1, 1])
    [closed] = app.run("poll.close", {"poll_id": poll_id})
    assert closed.data["result"]["counts"] == [1, 1]
    assert closed.data["result"]["paper"]["counts"] == [1, 1]


def test_a_single_choice_options_poll_merges_paper_counts_per_option() -> None:
    app, poll_id = _opened(kind="options", options=["A", "B", "C"], majority="simple")
    app.vote(poll_id, 2, [1])
    _mark(app, poll_id, 6, 7, 8)
    _tally(app, poll_id, issued=3, returned=3, valid=3, invalid=0, counts=[0, 2, 0], abstentions=1)
    [closed] = app.run("poll.close", {"poll_id": poll_id})
    result = closed.data["result"]
    assert result["counts"] == [0, 3, 0] and result["abstentions"] == 1
    assert result["winners"] == [1]


def test_the_snapshot_gives_the_paper_voters_and_the_tally() -> None:
    app, poll_id = _opened()
    _mark(app, poll_id, 6)
    _tally(app, poll_id, issued=1, returned=1, valid=1, invalid=0, counts=[1, 0])
    poll = app.state.to_wire(None)["polls"][0]
    assert poll["paper_voters"] == [6]
    assert poll["paper_tally"] == {
        "issued": 1, "returned": 1, "valid": 1, "invalid": 0, "counts": [1, 0], "abstentions": 0
    }  # fmt: skip
    member_view = app.state.to_wire(2)["polls"][0]["you"]
    assert member_view["paper"] is False and member_view["votes_for"] == [2]
    assert member_view["can_vote_for"] == []  # the tally is entered: tablet voting has ended


def test_once_the_paper_tally_is_entered_a_tablet_vote_is_poll_closed() -> None:
    app, poll_id = _opened()
    _mark(app, poll_id, 6)
    _tally(app, poll_id, issued=1, returned=1, valid=1, invalid=0, counts=[1, 0])
    assert app.state.to_wire(2)["polls"][0]["you"]["can_vote_for"] == []
    before = app.state
    with pytest.raises(PollClosed):
        app.vote(poll_id, 2, "yes")
    assert app.state == before and (poll_id, 2) not in app.participation
