"""Who may vote: frozen when the poll opens; proxies; recusal; never clerks or observers."""

from __future__ import annotations

import pytest

from tests.unit.voting.app import CHAIR, App, member, room
from voting import (
    Actor,
    Conflict,
    DoubleVote,
    Invalid,
    NotAllowed,
    NotEligible,
    NotFound,
    VotingState,
)

MEMBERS = range(1, 10)  # nine voting members; 50 is the clerk, 60 an observer
CLERK = Actor(50, "clerk")


def _opened(present: list[int], **overrides: object) -> tuple[App, int]:
    app = App(room(MEMBERS, [*present, 50, 60]))
    poll_id = app.create(**overrides)
    app.run("poll.open", {"poll_id": poll_id})
    return app, poll_id


def test_eligibility_at_open_is_the_present_voting_members() -> None:
    app, poll_id = _opened([1, 2, 3, 4])
    assert app.state.polls[poll_id].eligible == frozenset({1, 2, 3, 4})


def test_a_member_checking_in_after_open_cannot_vote() -> None:
    app, poll_id = _opened([1, 2, 3, 4])
    app.room = room(MEMBERS, [1, 2, 3, 4, 5])
    before = app.state
    with pytest.raises(NotEligible):
        app.vote(poll_id, 5, "yes")
    assert app.state == before


def test_a_member_leaving_after_open_can_still_vote() -> None:
    app, poll_id = _opened([1, 2, 3, 4])
    app.room = room(MEMBERS, [1, 2, 3])
    app.vote(poll_id, 4, "no")
    assert 4 in app.state.polls[poll_id].participants


def test_clerks_and_observers_never_vote() -> None:
    app, poll_id = _opened([1, 2, 3])
    for actor in (CLERK, Actor(60, "observer")):
        with pytest.raises(NotAllowed):
            app.run("vote.cast", {"poll_id": poll_id, "choice": "yes"}, actor)


def test_a_member_role_without_voting_rights_is_not_eligible() -> None:
    app, poll_id = _opened([1, 2, 3])
    with pytest.raises(NotEligible):
        app.vote(poll_id, 70, "yes")


def test_open_with_nobody_able_to_vote_is_refused() -> None:
    app = App(room(MEMBERS, [50, 60]))
    poll_id = app.create()
    with pytest.raises(Conflict):
        app.run("poll.open", {"poll_id": poll_id})


# Proxies


def _with_proxy(grantor: int = 9, holder: int = 2) -> tuple[App, int]:
    app = App(room(MEMBERS, [1, 2, 3, 4]))
    app.run("proxy.grant", {"grantor_id": grantor, "holder_id": holder})
    poll_id = app.create()
    app.run("poll.open", {"poll_id": poll_id})
    return app, poll_id


def test_a_proxy_holder_votes_for_themselves_and_for_the_absent_member() -> None:
    app, poll_id = _with_proxy()
    app.vote(poll_id, 2, "yes")
    [event] = app.vote(poll_id, 2, "no", on_behalf_of=9)
    assert event.data == {
        "poll_id": poll_id,
        "voter_id": 9,
        "cast_by": 2,
        "choice": "no",
        "recast": False,
    }
    assert app.state.polls[poll_id].votes == {2: "yes", 9: "no"}


def test_a_proxy_vote_is_counted_once() -> None:
    app, poll_id = _with_proxy()
    app.vote(poll_id, 2, "yes", on_behalf_of=9)
    with pytest.raises(DoubleVote):
        app.vote(poll_id, 2, "yes", on_behalf_of=9)
    app.run("poll.close", {"poll_id": poll_id})
    result = app.state.polls[poll_id].result
    assert result is not None and (result.ballots, result.present) == (1, 5)


def test_the_absent_member_checking_in_after_open_cannot_vote_in_person() -> None:
    app, poll_id = _with_proxy()
    app.room = room(MEMBERS, [1, 2, 3, 4, 9])
    with pytest.raises(NotEligible):
        app.vote(poll_id, 9, "yes")


def test_a_present_member_cannot_vote_for_someone_whose_vote_they_do_not_hold() -> None:
    app, poll_id = _with_proxy()
    with pytest.raises(NotAllowed):
        app.vote(poll_id, 3, "yes", on_behalf_of=9)
    with pytest.raises(NotAllowed):
        app.vote(poll_id, 2, "yes", on_behalf_of=8)


def test_a_proxy_revoked_after_open_still_holds_for_that_poll_only() -> None:
    app, poll_id = _with_proxy()
    app.run("proxy.revoke", {"grantor_id": 9})
    app.vote(poll_id, 2, "yes", on_behalf_of=9)
    later = app.create()
    app.run("poll.open", {"poll_id": later})
    with pytest.raises(NotAllowed):
        app.vote(later, 2, "yes", on_behalf_of=9)


def test_a_proxy_granted_after_open_does_not_change_that_poll() -> None:
    app, poll_id = _with_proxy()
    app.run("proxy.grant", {"grantor_id": 8, "holder_id": 3})
    assert 8 not in app.state.polls[poll_id].eligible
    with pytest.raises(NotAllowed):
        app.vote(poll_id, 3, "yes", on_behalf_of=8)


def test_a_vote_held_by_a_holder_who_left_before_open_is_lost() -> None:
    app = App(room(MEMBERS, [1, 2, 3, 4]))
    app.run("proxy.grant", {"grantor_id": 9, "holder_id": 2})
    app.room = room(MEMBERS, [1, 3, 4])
    poll_id = app.create()
    app.run("poll.open", {"poll_id": poll_id})
    assert app.state.polls[poll_id].eligible == frozenset({1, 3, 4})


def test_a_holder_holds_at_most_1_vote_by_default() -> None:
    app = App(room(MEMBERS, [1, 2, 3]))
    app.run("proxy.grant", {"grantor_id": 9, "holder_id": 2})
    with pytest.raises(Conflict) as refused:
        app.run("proxy.grant", {"grantor_id": 8, "holder_id": 2})
    assert refused.value.details == {"limit": 1}


def test_a_holder_holds_at_most_2_votes_when_the_meeting_allows_2() -> None:
    app = App(room(MEMBERS, [1, 2, 3]), state=VotingState(max_proxies_per_holder=2))
    app.run("proxy.grant", {"grantor_id": 9, "holder_id": 2})
    app.run("proxy.grant", {"grantor_id": 8, "holder_id": 2})
    with pytest.raises(Conflict):
        app.run("proxy.grant", {"grantor_id": 7, "holder_id": 2})
    poll_id = app.create()
    app.run("poll.open", {"poll_id": poll_id})
    assert app.state.polls[poll_id].eligible == frozenset({1, 2, 3, 8, 9})


@pytest.mark.parametrize(
    ("grantor", "holder", "error"),
    [
        (9, 9, Invalid),  # one's own vote
        (2, 3, Conflict),  # the grantor is present and votes in person
        (9, 8, Conflict),  # the holder is absent
        (9, 50, NotEligible),  # the clerk has no vote to hold
        (70, 2, NotEligible),  # not a voting member
    ],
)
def test_proxy_grant_refusals(grantor: int, holder: int, error: type[Exception]) -> None:
    app = App(room(MEMBERS, [1, 2, 3, 50]))
    with pytest.raises(error):
        app.run("proxy.grant", {"grantor_id": grantor, "holder_id": holder})
    assert app.state == VotingState()


def test_a_vote_is_held_by_one_holder_at_a_time() -> None:
    app = App(room(MEMBERS, [1, 2, 3]))
    app.run("proxy.grant", {"grantor_id": 9, "holder_id": 2})
    with pytest.raises(Conflict):
        app.run("proxy.grant", {"grantor_id": 9, "holder_id": 3})
    app.run("proxy.revoke", {"grantor_id": 9})
    app.run("proxy.grant", {"grantor_id": 9, "holder_id": 3})
    assert app.state.proxies == {9: 3}


def test_revoking_a_proxy_nobody_holds_is_not_found() -> None:
    with pytest.raises(NotFound):
        App(room(MEMBERS, [1])).run("proxy.revoke", {"grantor_id": 9})


# Recusal


def test_a_recused_member_cannot_vote() -> None:
    app, poll_id = _opened([1, 2, 3, 4])
    app.run("poll.recuse", {"poll_id": poll_id, "user_id": 3})
    with pytest.raises(NotEligible):
        app.vote(poll_id, 3, "yes")


def test_a_member_recuses_themselves_but_not_someone_else() -> None:
    app, poll_id = _opened([1, 2, 3, 4])
    app.run("poll.recuse", {"poll_id": poll_id}, member(4))
    assert app.state.polls[poll_id].recused == frozenset({4})
    with pytest.raises(NotAllowed):
        app.run("poll.recuse", {"poll_id": poll_id, "user_id": 3}, member(4))


def test_recusal_comes_before_the_vote() -> None:
    app, poll_id = _opened([1, 2, 3, 4])
    app.vote(poll_id, 3, "yes")
    with pytest.raises(Conflict):
        app.run("poll.recuse", {"poll_id": poll_id, "user_id": 3})


def test_recusing_twice_is_a_conflict() -> None:
    app, poll_id = _opened([1, 2, 3, 4])
    app.run("poll.recuse", {"poll_id": poll_id, "user_id": 3})
    with pytest.raises(Conflict):
        app.run("poll.recuse", {"poll_id": poll_id, "user_id": 3})


def test_only_an_eligible_voter_of_an_open_poll_can_be_recused() -> None:
    app, poll_id = _opened([1, 2, 3, 4])
    with pytest.raises(NotEligible):
        app.run("poll.recuse", {"poll_id": poll_id, "user_id": 8})


def test_recusal_of_the_absent_member_stops_the_proxy_vote() -> None:
    app, poll_id = _with_proxy()
    app.run("poll.recuse", {"poll_id": poll_id, "user_id": 9})
    with pytest.raises(NotEligible):
        app.vote(poll_id, 2, "yes", on_behalf_of=9)
    app.vote(poll_id, 2, "yes")  # the holder still votes for themselves


def test_recusal_takes_the_member_out_of_both_majority_bases() -> None:
    app, poll_id = _opened([1, 2, 3, 4, 5, 6], majority="absolute")
    app.run("poll.recuse", {"poll_id": poll_id, "user_id": 6})
    for voter in (1, 2, 3, 4):
        app.vote(poll_id, voter, "yes")
    app.run("poll.close", {"poll_id": poll_id}, CHAIR)
    result = app.state.polls[poll_id].result
    assert result is not None
    assert (result.members, result.present, result.needed) == (8, 5, 5)
    assert not result.adopted
