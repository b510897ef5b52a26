"""Every majority boundary, named after the rule and its numbers.

Each test builds an open poll with ``members`` voting members of whom ``present`` were
eligible at open, counts a list of choices with ``tally`` and checks both sides of the
boundary: one vote short fails, the threshold passes.
"""

from __future__ import annotations

from typing import Any

from voting import (
    MAJORITY_RULES,
    Kind,
    Poll,
    PollSpec,
    PollStatus,
    Quorum,
    QuorumKind,
    Tally,
    tally,
)


def _poll(
    majority: str,
    members: int,
    present: int | None = None,
    recused: int = 0,
    options: int = 0,
    max_choices: int = 1,
) -> Poll:
    spec = PollSpec(
        title="Biểu quyết",
        kind=Kind.OPTIONS if options else Kind.YES_NO_ABSTAIN,
        secret=False,
        allow_change=False,
        majority=majority,
        quorum=Quorum(QuorumKind.NONE),
        options=tuple(f"Phương án {i + 1}" for i in range(options)),
        max_choices=max_choices,
    )
    everyone = frozenset(range(1, members + 1))
    return Poll(
        id=1,
        spec=spec,
        status=PollStatus.OPEN,
        members=everyone,
        eligible=frozenset(range(1, (members if present is None else present) + 1)),
        recused=frozenset(range(1, recused + 1)),
    )


def _count(poll: Poll, yes: int = 0, no: int = 0, abstain: int = 0) -> Tally:
    return tally(poll, ["yes"] * yes + ["no"] * no + ["abstain"] * abstain)


def _adopted(poll: Poll, **votes: int) -> bool:
    return _count(poll, **votes).adopted


# simple: yes > no among the votes cast; abstentions do not count at all.


def test_simple_majority_with_5_votes_cast_needs_3_yes() -> None:
    poll = _poll("simple", members=9)
    assert not _adopted(poll, yes=2, no=3)
    assert _adopted(poll, yes=3, no=2)
    assert _count(poll, yes=3, no=2).needed == 3


def test_simple_majority_with_6_votes_cast_needs_4_yes() -> None:
    poll = _poll("simple", members=9)
    assert not _adopted(poll, yes=3, no=3)
    assert _adopted(poll, yes=4, no=2)
    assert _count(poll, yes=4, no=2).needed == 4


def test_simple_majority_tie_fails() -> None:
    assert not _adopted(_poll("simple", members=15), yes=7, no=7, abstain=1)


def test_simple_majority_ignores_abstentions_so_3_yes_2_no_10_abstain_passes() -> None:
    result = _count(_poll("simple", members=15), yes=3, no=2, abstain=10)
    assert result.adopted
    assert (result.base, result.needed, result.abstentions) == (5, 3, 10)


def test_simple_majority_with_only_abstentions_fails() -> None:
    result = _count(_poll("simple", members=5), abstain=5)
    assert not result.adopted
    assert (result.base, result.needed) == (0, 1)


def test_simple_majority_with_1_yes_and_nothing_else_passes() -> None:
    assert _adopted(_poll("simple", members=5), yes=1, abstain=4)


# absolute: yes > half of all voting members; abstaining or not voting counts as "no".


def test_absolute_majority_of_15_members_needs_8_yes() -> None:
    poll = _poll("absolute", members=15)
    assert not _adopted(poll, yes=7, no=0, abstain=8)
    assert _adopted(poll, yes=8, no=7)
    assert _count(poll, yes=8).needed == 8


def test_absolute_majority_of_16_members_needs_9_yes() -> None:
    poll = _poll("absolute", members=16)
    assert not _adopted(poll, yes=8, no=0)
    assert _adopted(poll, yes=9, no=7)


def test_absolute_majority_of_15_members_with_10_present_still_needs_8_yes() -> None:
    poll = _poll("absolute", members=15, present=10)
    assert not _adopted(poll, yes=7, no=1, abstain=2)
    assert _adopted(poll, yes=8, no=2)


def test_absolute_majority_of_15_members_with_2_recused_needs_7_yes() -> None:
    poll = _poll("absolute", members=15, recused=2)
    assert _count(poll).members == 13
    assert not _adopted(poll, yes=6, no=0)
    assert _adopted(poll, yes=7, no=6)


# two_thirds_present: yes >= 2/3 of those eligible at open; abstentions count against.


def test_two_thirds_of_9_present_needs_6() -> None:
    poll = _poll("two_thirds_present", members=15, present=9)
    assert not _adopted(poll, yes=5, no=0, abstain=4)
    assert _adopted(poll, yes=6, no=3)


def test_two_thirds_of_10_present_needs_7() -> None:
    poll = _poll("two_thirds_present", members=15, present=10)
    assert not _adopted(poll, yes=6, no=0)
    assert _adopted(poll, yes=7, no=3)


def test_two_thirds_of_12_present_needs_8() -> None:
    poll = _poll("two_thirds_present", members=15, present=12)
    assert not _adopted(poll, yes=7)
    assert _adopted(poll, yes=8, no=4)


def test_two_thirds_of_9_present_counts_members_who_did_not_vote_against() -> None:
    poll = _poll("two_thirds_present", members=9, present=9)
    result = _count(poll, yes=5, no=0)  # four present members did not vote
    assert not result.adopted
    assert result.to_wire()["did_not_vote"] == 4


def test_two_thirds_of_10_present_with_1_recused_needs_6() -> None:
    poll = _poll("two_thirds_present", members=15, present=10, recused=1)
    assert not _adopted(poll, yes=5, no=4)
    assert _adopted(poll, yes=6, no=3)


# two_thirds_members: yes >= 2/3 of all voting members.


def test_two_thirds_of_15_members_needs_10() -> None:
    poll = _poll("two_thirds_members", members=15, present=12)
    assert not _adopted(poll, yes=9, no=0, abstain=3)
    assert _adopted(poll, yes=10, no=2)


def test_two_thirds_of_9_members_needs_6() -> None:
    poll = _poll("two_thirds_members", members=9)
    assert not _adopted(poll, yes=5, no=0)
    assert _adopted(poll, yes=6, no=3)


def test_two_thirds_of_16_members_needs_11() -> None:
    poll = _poll("two_thirds_members", members=16)
    assert not _adopted(poll, yes=10)
    assert _adopted(poll, yes=11)


# Options polls: each option against the rule's threshold; ties never pick a winner.


def _options(poll: Poll, *ballots: Any) -> Tally:
    return tally(poll, [tuple(b) for b in ballots])


def test_options_simple_majority_with_7_ballots_needs_4_for_an_option() -> None:
    poll = _poll("simple", members=9, options=3)
    assert _options(poll, *[[0]] * 3, *[[1]] * 2, *[[2]] * 2).winners == ()
    assert _options(poll, *[[0]] * 4, *[[1]] * 2, [2]).winners == (0,)


def test_options_simple_majority_ignores_blank_ballots() -> None:
    poll = _poll("simple", members=9, options=2)
    result = _options(poll, [0], [0], [1], [], [], [])
    assert (result.base, result.needed, result.winners) == (3, 2, (0,))


def test_options_one_seat_4_to_4_tie_fails() -> None:
    poll = _poll("simple", members=8, options=2)
    assert _options(poll, *[[0]] * 4, *[[1]] * 4).winners == ()


def test_options_three_tied_above_threshold_for_two_seats_elect_nobody() -> None:
    poll = _poll("two_thirds_present", members=6, options=3, max_choices=2)
    result = _options(poll, [0, 1], [0, 1], [0, 2], [0, 2], [1, 2], [1, 2])
    assert (result.counts, result.needed) == ((4, 4, 4), 4)
    assert result.winners == ()


def test_options_two_tied_above_threshold_for_two_seats_both_win() -> None:
    poll = _poll("two_thirds_present", members=6, options=3, max_choices=2)
    result = _options(poll, *[[0, 1]] * 5, [2])
    assert result.winners == (0, 1)


def test_options_two_seats_with_a_tie_for_the_second_elects_only_the_first() -> None:
    poll = _poll("simple", members=9, options=4, max_choices=2)
    ballots = [[0, 1]] * 3 + [[0, 2]] * 3 + [[1, 2]] * 2 + [[0, 3]]
    result = _options(poll, *ballots)
    assert result.counts == (7, 5, 5, 1)
    assert result.needed == 5
    assert result.winners == (0,)


def test_options_absolute_majority_of_15_members_needs_8_for_an_option() -> None:
    poll = _poll("absolute", members=15, options=2)
    assert _options(poll, *[[0]] * 7, *[[1]] * 3).winners == ()
    assert _options(poll, *[[0]] * 8, *[[1]] * 3).winners == (0,)


def test_every_majority_rule_is_named_in_this_file() -> None:
    assert set(MAJORITY_RULES) == {
        "simple",
        "absolute",
        "two_thirds_present",
        "two_thirds_members",
    }
