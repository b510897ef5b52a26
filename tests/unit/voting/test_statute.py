"""Each committee kind's statutory defaults, and every boundary of a poll defined without a
majority or a quorum, named after the kind and its numbers (docs/voting.md, "Committee
kinds"). The polls run through ``decide`` with the committee's rules, as the server does."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.voting.app import App, poll_payload, room
from voting import (
    STATUTES,
    CommitteeKind,
    Invalid,
    NoQuorum,
    Quorum,
    QuorumKind,
    Tally,
    committee_rules,
    parse_committee_rules,
)

TWO_THIRDS = Quorum(QuorumKind.FRACTION, fraction=(2, 3), strict=False)
MORE_THAN_HALF = Quorum(QuorumKind.FRACTION, fraction=(1, 2), strict=True)


def _committee(kind: CommitteeKind, members: int, present: int) -> App:
    """A meeting of a committee of ``kind`` with ``members`` voting members, ``present`` of
    them checked in (ids 1…present; the chair is 1)."""
    return App(room(range(1, members + 1), range(1, present + 1)), rules=committee_rules(kind))


def _by_default(app: App) -> int:
    """A poll defined as the dialog's default sends it: no majority, no quorum."""
    payload = poll_payload()
    del payload["majority"], payload["quorum"]
    return int(app.run("poll.create", payload)[0].data["poll_id"])


def _vote(app: App, yes: int = 0, no: int = 0, abstain: int = 0) -> Tally:
    """Open a default poll, let the first voters vote (the rest of those present do not),
    close it and return the result."""
    poll_id = _by_default(app)
    app.run("poll.open", {"poll_id": poll_id})
    choices = ["yes"] * yes + ["no"] * no + ["abstain"] * abstain
    for voter, choice in enumerate(choices, start=1):
        app.vote(poll_id, voter, choice)
    app.run("poll.close", {"poll_id": poll_id})
    result = app.state.polls[poll_id].result
    assert result is not None
    return result


# --- the defaults, as data -------------------------------------------------------------


def test_every_kind_defaults_to_more_than_half_of_all_members_never_to_votes_cast() -> None:
    assert {kind: statute.majority for kind, statute in STATUTES.items()} == {
        kind: "absolute" for kind in CommitteeKind
    }


def test_quorum_defaults_are_two_thirds_except_other_bodies_more_than_half() -> None:
    assert {kind: s.quorum for kind, s in STATUTES.items()} == {
        CommitteeKind.PARTY: TWO_THIRDS,
        CommitteeKind.PEOPLES_COMMITTEE: TWO_THIRDS,
        CommitteeKind.PEOPLES_COUNCIL: TWO_THIRDS,
        CommitteeKind.OTHER: MORE_THAN_HALF,
    }


def test_only_the_peoples_committee_quorum_is_set_by_law() -> None:
    floors = {kind: s.quorum_floor for kind, s in STATUTES.items()}
    assert floors == {
        CommitteeKind.PARTY: None,
        CommitteeKind.PEOPLES_COMMITTEE: TWO_THIRDS,
        CommitteeKind.PEOPLES_COUNCIL: None,
        CommitteeKind.OTHER: None,
    }


def test_a_committees_quorum_setting_replaces_its_kinds_default() -> None:
    three_quarters = Quorum(QuorumKind.FRACTION, fraction=(3, 4), strict=False)
    rules = committee_rules(CommitteeKind.PARTY, three_quarters)
    assert (rules.majority, rules.quorum) == ("absolute", three_quarters)
    assert committee_rules(CommitteeKind.PARTY, MORE_THAN_HALF).quorum == MORE_THAN_HALF


SETTINGS_BELOW_THE_LAW: dict[str, dict[str, Any]] = {
    "more than half": {"kind": "fraction", "fraction": [1, 2], "strict": True},
    "at least 3/5": {"kind": "fraction", "fraction": [3, 5], "strict": False},
    "a count of 6": {"kind": "count", "count": 6},
    "none": {"kind": "none"},
}


@pytest.mark.parametrize("quorum", SETTINGS_BELOW_THE_LAW.values(), ids=SETTINGS_BELOW_THE_LAW)
def test_a_peoples_committee_quorum_below_two_thirds_is_refused(quorum: dict[str, Any]) -> None:
    with pytest.raises(Invalid, match="at least 2/3"):
        parse_committee_rules("peoples_committee", quorum)


def test_a_peoples_committee_quorum_of_two_thirds_or_more_is_accepted() -> None:
    for quorum in (
        {"kind": "fraction", "fraction": [2, 3], "strict": False},
        {"kind": "fraction", "fraction": [2, 3], "strict": True},
        {"kind": "fraction", "fraction": [4, 5], "strict": False},
        {"kind": "fraction", "fraction": [6, 9], "strict": False},
    ):
        assert (
            parse_committee_rules("peoples_committee", quorum).kind
            is CommitteeKind.PEOPLES_COMMITTEE
        )


@pytest.mark.parametrize("kind", ["", "Party", "ubnd", None, ["party"], 3])
def test_an_unknown_committee_kind_is_invalid(kind: Any) -> None:
    with pytest.raises(Invalid):
        parse_committee_rules(kind, None)


# --- People's Committee (Law 77/2015 Art. 114(3); more than half of all members) ----------


def test_peoples_committee_of_9_needs_5_yes_even_when_only_6_present() -> None:
    """The reported case: 6 present, 1 yes, the chair abstains, 4 never vote."""
    app = _committee(CommitteeKind.PEOPLES_COMMITTEE, members=9, present=6)
    poll_id = _by_default(app)
    app.run("poll.open", {"poll_id": poll_id})
    app.vote(poll_id, 2, "yes")
    app.vote(poll_id, 1, "abstain")
    [closed] = app.run("poll.close", {"poll_id": poll_id})
    result = closed.data["result"]
    assert (result["base"], result["needed"], result["adopted"]) == (9, 5, False)
    assert (result["counts"], result["abstentions"], result["did_not_vote"]) == ([1, 0], 1, 4)
    assert result["absent"] == 3


def test_peoples_committee_of_9_adopts_with_5_yes_whatever_the_abstentions_and_absences() -> None:
    assert _vote(_committee(CommitteeKind.PEOPLES_COMMITTEE, 9, 6), yes=5, abstain=1).adopted
    assert _vote(_committee(CommitteeKind.PEOPLES_COMMITTEE, 9, 9), yes=5, no=4).adopted
    assert _vote(_committee(CommitteeKind.PEOPLES_COMMITTEE, 9, 7), yes=5).adopted


def test_peoples_committee_of_9_rejects_4_yes_whatever_the_abstentions_and_absences() -> None:
    assert not _vote(_committee(CommitteeKind.PEOPLES_COMMITTEE, 9, 6), yes=4).adopted
    assert not _vote(_committee(CommitteeKind.PEOPLES_COMMITTEE, 9, 9), yes=4, abstain=5).adopted
    assert not _vote(_committee(CommitteeKind.PEOPLES_COMMITTEE, 9, 6), yes=4, abstain=2).adopted


def test_peoples_committee_of_10_needs_6_yes() -> None:
    assert not _vote(_committee(CommitteeKind.PEOPLES_COMMITTEE, 10, 10), yes=5, no=5).adopted
    assert _vote(_committee(CommitteeKind.PEOPLES_COMMITTEE, 10, 7), yes=6).needed == 6
    assert _vote(_committee(CommitteeKind.PEOPLES_COMMITTEE, 10, 7), yes=6).adopted


def test_peoples_committee_of_9_opens_with_6_present_and_not_with_5() -> None:
    app = _committee(CommitteeKind.PEOPLES_COMMITTEE, members=9, present=5)
    poll_id = _by_default(app)
    with pytest.raises(NoQuorum) as refused:
        app.run("poll.open", {"poll_id": poll_id})
    assert (refused.value.details["present"], refused.value.details["required"]) == (5, 6)
    app.room = room(range(1, 10), range(1, 7))
    [opened] = app.run("poll.open", {"poll_id": poll_id})
    assert opened.data["quorum"]["needed"] == 6


def test_peoples_committee_of_10_opens_with_7_present_and_not_with_6() -> None:
    app = _committee(CommitteeKind.PEOPLES_COMMITTEE, members=10, present=6)
    poll_id = _by_default(app)
    with pytest.raises(NoQuorum):
        app.run("poll.open", {"poll_id": poll_id})
    app.room = room(range(1, 11), range(1, 8))
    app.run("poll.open", {"poll_id": poll_id})


# --- Party committee (Party Charter Art. 9 cl. 5; quorum 2/3 a setting) -------------------


def test_party_committee_of_9_needs_5_yes_out_of_all_9() -> None:
    assert not _vote(_committee(CommitteeKind.PARTY, 9, 8), yes=4, no=1, abstain=3).adopted
    assert _vote(_committee(CommitteeKind.PARTY, 9, 6), yes=5, abstain=1).adopted


def test_party_standing_committee_of_15_needs_8_yes_and_10_present() -> None:
    assert not _vote(_committee(CommitteeKind.PARTY, 15, 10), yes=7, abstain=3).adopted
    assert _vote(_committee(CommitteeKind.PARTY, 15, 10), yes=8, no=2).adopted
    app = _committee(CommitteeKind.PARTY, members=15, present=9)
    with pytest.raises(NoQuorum):
        app.run("poll.open", {"poll_id": _by_default(app)})


# --- People's Council (Law 77/2015 Art. 91(3); quorum 2/3 a setting) ----------------------


def test_peoples_council_of_50_delegates_needs_26_yes_and_34_present() -> None:
    assert not _vote(_committee(CommitteeKind.PEOPLES_COUNCIL, 50, 34), yes=25, no=9).adopted
    assert _vote(_committee(CommitteeKind.PEOPLES_COUNCIL, 50, 34), yes=26, no=8).adopted
    app = _committee(CommitteeKind.PEOPLES_COUNCIL, members=50, present=33)
    with pytest.raises(NoQuorum) as refused:
        app.run("poll.open", {"poll_id": _by_default(app)})
    assert refused.value.details["required"] == 34


# --- other bodies (more than half of all members; quorum more than half) ------------------


def test_other_body_of_9_needs_5_yes_and_opens_with_5_present_not_4() -> None:
    assert not _vote(_committee(CommitteeKind.OTHER, 9, 5), yes=4, no=0, abstain=1).adopted
    assert _vote(_committee(CommitteeKind.OTHER, 9, 5), yes=5).adopted
    app = _committee(CommitteeKind.OTHER, members=9, present=4)
    with pytest.raises(NoQuorum):
        app.run("poll.open", {"poll_id": _by_default(app)})
