"""Counting: ``tally(poll, choices)`` is a pure function of the multiset of choices, so
the order ballots come back from storage cannot change a result."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from voting._choice import ABSTAIN, NO, YES, Choice
from voting._confidence import count_ratings, valid_ratings
from voting._election import ties_for_last_seat
from voting._model import Kind, Poll, PollSpec, Tally
from voting._paper import PaperTally
from voting._rules import MAJORITY_RULES, Base


def tally(poll: Poll, choices: Iterable[Choice], paper: PaperTally | None = None) -> Tally:
    """Count the current ballots of ``poll`` (one choice per voter who took part), and the
    valid ``paper`` ballots the ballot-counting board counted, as its aggregate numbers
    (``poll.paper_tally``: ``_clerk.check_tally`` checked them against the poll).

    A yes/no/abstain proposal is adopted when the "yes" votes reach the majority rule's
    threshold. In an options poll each option is held against the same threshold and at
    most ``max_choices`` options win; options tied for the last winning place all fail
    (a tie never picks a winner). Raises ``ValueError`` when a choice is not valid for the
    poll or when there are more ballots than voters: the ballots did not come from
    ``decide``, and nothing should be published.
    """
    spec = poll.spec
    if spec.kind is Kind.CONFIDENCE:
        return _confidence(poll, choices, paper)
    rule = MAJORITY_RULES[spec.majority]
    counts = [0] * (2 if spec.kind is Kind.YES_NO_ABSTAIN else len(spec.options))
    ballots = abstentions = 0
    for choice in choices:
        picked = _indexes(spec, choice)
        ballots += 1
        abstentions += not picked
        for index in picked:
            counts[index] += 1
    if paper is not None:
        ballots += paper.valid
        abstentions += paper.abstentions
        counts = [mine + theirs for mine, theirs in zip(counts, paper.counts, strict=True)]
    members = len(poll.members - poll.recused)
    present = len(poll.counting)
    if ballots > present:
        raise ValueError(f"{ballots} ballots for {present} voters in poll {poll.id}")
    base = {
        Base.CAST: ballots - abstentions,
        Base.PRESENT: present,
        Base.MEMBERS: members,
    }[rule.base]
    needed = rule.needed(base)
    seats: int | None = None
    ties: tuple[int, ...] = ()
    if spec.kind is Kind.YES_NO_ABSTAIN:
        winners: tuple[int, ...] = (0,) if counts[0] >= needed else ()
    else:
        winners = _winners(counts, needed, seats=spec.max_choices)
    if spec.kind is Kind.ELECTION:
        seats = spec.max_choices
        ties = ties_for_last_seat(counts, needed, seats, winners)
    return Tally(
        majority=rule.name,
        counts=tuple(counts),
        abstentions=abstentions,
        ballots=ballots,
        members=members,
        present=present,
        base=base,
        needed=needed,
        winners=winners,
        seats=seats,
        ties=ties,
    )


def _confidence(poll: Poll, choices: Iterable[Choice], paper: PaperTally | None) -> Tally:
    """Ratings per person and level; ``counts`` are the "low" ratings, ``base`` the
    ballots returned and ``needed`` the "low" ratings that flag a person. Nothing is
    adopted: ``winners`` is empty and the flags are in ``confidence``. A paper tally's
    counts are per person, level by level (``3 × persons`` numbers)."""
    persons = len(poll.spec.options)
    ratings = []
    for choice in choices:
        if not valid_ratings(choice, persons):
            raise ValueError(f"not a valid confidence ballot: {choice!r}")
        assert isinstance(choice, tuple)
        ratings.append(choice)
    on_paper = None if paper is None else (paper.valid, paper.counts)
    result = count_ratings(ratings, persons, poll.spec.low_flag or "more_than_half", on_paper)
    present = len(poll.counting)
    if result.ballots > present:
        raise ValueError(f"{result.ballots} ballots for {present} voters in poll {poll.id}")
    return Tally(
        majority=poll.spec.majority,
        counts=tuple(levels[2] for levels in result.levels),
        abstentions=0,
        ballots=result.ballots,
        members=len(poll.members - poll.recused),
        present=present,
        base=result.ballots,
        needed=result.needed,
        winners=(),
        confidence=result,
    )


def _indexes(spec: PollSpec, choice: Choice) -> tuple[int, ...]:
    if spec.kind is Kind.YES_NO_ABSTAIN:
        indexes = {YES: (0,), NO: (1,), ABSTAIN: ()}
        if not isinstance(choice, str) or choice not in indexes:
            raise ValueError(f"not a yes/no/abstain choice: {choice!r}")
        return indexes[choice]
    if (
        isinstance(choice, str)
        or list(choice) != sorted(set(choice))
        or any(not 0 <= i < len(spec.options) for i in choice)
        or not (not choice or spec.min_choices <= len(choice) <= spec.max_choices)
    ):
        raise ValueError(f"not a valid choice for these options: {choice!r}")
    return choice


def _winners(counts: Sequence[int], needed: int, seats: int) -> tuple[int, ...]:
    """Options reaching ``needed``; if more than ``seats`` do, the most voted, where an
    option wins only if all the options with at least its votes fit in the seats."""
    passing = [i for i, votes in enumerate(counts) if votes >= needed]
    return tuple(i for i in passing if sum(counts[j] >= counts[i] for j in passing) <= seats)
