"""Counting: ``tally(poll, choices)`` is a pure function of the multiset of choices, so
the order ballots come back from storage cannot change a result."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from voting._choice import ABSTAIN, NO, YES, Choice
from voting._model import Kind, Poll, PollSpec, Tally
from voting._rules import MAJORITY_RULES, Base


def tally(poll: Poll, choices: Iterable[Choice]) -> Tally:
    """Count the current ballots of ``poll`` (one choice per voter who took part).

    A yes/no/abstain proposal is adopted when the "yes" votes reach the majority rule's
    threshold. In an options poll each option is held against the same threshold and at
    most ``max_choices`` options win; options tied for the last winning place all fail
    (a tie never picks a winner). Raises ``ValueError`` when a choice is not valid for the
    poll or when there are more ballots than voters: the ballots did not come from
    ``decide``, and nothing should be published.
    """
    spec = poll.spec
    rule = MAJORITY_RULES[spec.majority]
    counts = [0] * (len(spec.options) if spec.kind is Kind.OPTIONS else 2)
    ballots = abstentions = 0
    for choice in choices:
        picked = _indexes(spec, choice)
        ballots += 1
        abstentions += not picked
        for index in picked:
            counts[index] += 1
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
    if spec.kind is Kind.OPTIONS:
        winners = _winners(counts, needed, seats=spec.max_choices)
    else:
        winners = (0,) if counts[0] >= needed else ()
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
