"""Every quorum boundary, named after the rule and its numbers; quorum at open and close.

Quorum counts voting members present in person or represented by a present proxy
holder, against all voting members; recusal does not change it.
"""

from __future__ import annotations

import pytest

from tests.unit.voting.app import CHAIR_ID, App, room
from voting import NoQuorum, PollStatus, Quorum, QuorumKind, threshold

MORE_THAN_HALF = Quorum(QuorumKind.FRACTION, fraction=(1, 2), strict=True)
AT_LEAST_HALF = Quorum(QuorumKind.FRACTION, fraction=(1, 2), strict=False)
TWO_THIRDS = Quorum(QuorumKind.FRACTION, fraction=(2, 3), strict=False)


def test_quorum_more_than_half_with_11_members_needs_6_present() -> None:
    assert MORE_THAN_HALF.needed(11) == 6
    assert not MORE_THAN_HALF.met(11, 5)
    assert MORE_THAN_HALF.met(11, 6)


def test_quorum_more_than_half_with_10_members_needs_6_present() -> None:
    assert MORE_THAN_HALF.needed(10) == 6
    assert not MORE_THAN_HALF.met(10, 5)
    assert MORE_THAN_HALF.met(10, 6)


def test_quorum_at_least_half_with_10_members_needs_5_present() -> None:
    assert AT_LEAST_HALF.needed(10) == 5
    assert not AT_LEAST_HALF.met(10, 4)
    assert AT_LEAST_HALF.met(10, 5)


def test_quorum_at_least_half_with_11_members_needs_6_present() -> None:
    assert AT_LEAST_HALF.needed(11) == 6


def test_quorum_two_thirds_with_9_members_needs_6_present() -> None:
    assert TWO_THIRDS.needed(9) == 6
    assert not TWO_THIRDS.met(9, 5)
    assert TWO_THIRDS.met(9, 6)


def test_quorum_two_thirds_with_10_members_needs_7_present() -> None:
    assert TWO_THIRDS.needed(10) == 7


def test_quorum_fixed_count_of_7_needs_7_present_whatever_the_membership() -> None:
    seven = Quorum(QuorumKind.COUNT, count=7)
    assert [seven.needed(m) for m in (7, 15, 40)] == [7, 7, 7]
    assert not seven.met(15, 6)
    assert seven.met(15, 7)


def test_no_quorum_rule_needs_nobody() -> None:
    assert Quorum(QuorumKind.NONE).needed(15) == 0


def test_threshold_is_never_below_1_vote() -> None:
    assert threshold(0, (2, 3), strict=False) == 1
    assert threshold(0, (1, 2), strict=True) == 1


def _app(present: range, members: range = range(1, 12)) -> App:
    return App(room(members, present))


QUORUM_MORE_THAN_HALF = {"kind": "fraction", "fraction": [1, 2], "strict": True}


def test_open_with_5_of_11_members_present_is_refused_and_nothing_happens() -> None:
    app = _app(present=range(1, 6))
    poll_id = app.create(quorum=QUORUM_MORE_THAN_HALF)
    before = app.state
    with pytest.raises(NoQuorum) as refused:
        app.run("poll.open", {"poll_id": poll_id})
    assert app.state == before
    assert refused.value.details == {
        "rule": QUORUM_MORE_THAN_HALF,
        "members": 11,
        "present": 5,
        "represented": 0,
        "required": 6,
    }


def test_no_quorum_with_4_present_and_1_represented_of_11_tells_both_and_the_6_required() -> None:
    app = _app(present=range(1, 5))
    app.run("proxy.grant", {"grantor_id": 11, "holder_id": 2})
    poll_id = app.create(quorum=QUORUM_MORE_THAN_HALF)
    with pytest.raises(NoQuorum) as refused:
        app.run("poll.open", {"poll_id": poll_id})
    details = refused.value.details
    assert (details["present"], details["represented"], details["required"]) == (4, 1, 6)
    assert "4 voting members present and 1 represented of 11; 6 required" in str(refused.value)


def test_no_quorum_at_close_with_3_present_and_1_represented_tells_the_numbers() -> None:
    app = _app(present=range(1, 7))
    poll_id = app.create(quorum=QUORUM_MORE_THAN_HALF)
    app.run("poll.open", {"poll_id": poll_id})
    app.run("proxy.grant", {"grantor_id": 11, "holder_id": 1})
    app.room = room(range(1, 12), range(1, 4))  # three members left the room
    with pytest.raises(NoQuorum) as refused:
        app.run("poll.close", {"poll_id": poll_id})
    details = refused.value.details
    assert (details["present"], details["represented"], details["required"]) == (3, 1, 6)


def test_open_with_6_of_11_members_present_opens() -> None:
    app = _app(present=range(1, 7))
    poll_id = app.create(quorum=QUORUM_MORE_THAN_HALF)
    [opened] = app.run("poll.open", {"poll_id": poll_id})
    assert opened.data["quorum"]["present"] == 6


def test_quorum_with_11_members_counts_5_present_and_1_represented_as_6() -> None:
    app = _app(present=range(1, 6))
    app.run("proxy.grant", {"grantor_id": 11, "holder_id": 2})
    poll_id = app.create(quorum=QUORUM_MORE_THAN_HALF)
    app.run("poll.open", {"poll_id": poll_id})
    assert app.state.polls[poll_id].status is PollStatus.OPEN


def test_quorum_ignores_observers_and_clerks_in_the_room() -> None:
    app = App(room(members=range(1, 12), present=[1, 2, 3, 4, 5, 50, 51]))
    poll_id = app.create(quorum=QUORUM_MORE_THAN_HALF)
    with pytest.raises(NoQuorum):
        app.run("poll.open", {"poll_id": poll_id})


def test_quorum_lost_before_close_refuses_close_and_the_poll_stays_open() -> None:
    app = _app(present=range(1, 8))
    poll_id = app.create(quorum=QUORUM_MORE_THAN_HALF)
    app.run("poll.open", {"poll_id": poll_id})
    app.vote(poll_id, 2, "yes")
    app.room = room(range(1, 12), range(1, 6))  # two members left the room
    before = app.state
    with pytest.raises(NoQuorum):
        app.run("poll.close", {"poll_id": poll_id})
    assert app.state == before
    app.room = room(range(1, 12), range(1, 7))  # one came back
    [closed] = app.run("poll.close", {"poll_id": poll_id})
    assert closed.data["quorum"] == {
        "rule": QUORUM_MORE_THAN_HALF,
        "members": 11,
        "present": 6,
        "needed": 6,
    }


def test_recusal_does_not_change_the_quorum() -> None:
    app = _app(present=range(1, 7))
    poll_id = app.create(quorum=QUORUM_MORE_THAN_HALF)
    app.run("poll.recuse", {"poll_id": poll_id, "user_id": 3})
    [opened] = app.run("poll.open", {"poll_id": poll_id})
    assert opened.data["quorum"]["present"] == 6
    assert 3 in opened.data["eligible"]
    assert app.state.polls[poll_id].counting == frozenset({1, 2, 4, 5, 6})
    assert CHAIR_ID in app.state.polls[poll_id].counting
