"""Personnel elections (bầu cử): a secret ballot over candidates for a number of seats.

An election is an options poll whose options are the candidates and whose
``max_choices`` is the number of seats. A voter keeps at most that many names and
crosses out the rest; keeping nobody is an accepted ballot that helps no candidate (the
paper rules call it invalid; since the base is every member summoned, not the valid
ballots, it changes no result either way). A candidate is elected with more than half
(or the poll's stricter rule) of the base the committee's rule names: all voting members
summoned, never the ballots (QĐ 190-QĐ/TW; 244-QĐ/TW Art. 32). If more pass than there
are seats the most voted win; those tied for the last seat are not elected and are
reported for a new round (``tie_for_last_seat``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from voting._errors import Invalid, TooManyKept
from voting._rules import MAJORITY_RULES, Base

CANDIDATES_MAX = 50
NAME_MAX_CHARS = 200
ELECTION_MAJORITIES = tuple(n for n, r in MAJORITY_RULES.items() if r.base is Base.MEMBERS)
"""Rules counted against every member summoned: an election is never decided by a
share of those present or of the ballots cast."""


def parse_names(raw: Any, what: str, minimum: int = 1) -> tuple[str, ...]:
    """1 to 50 distinct names, trimmed and in Unicode NFC (a name typed with combining
    marks equals the same name precomposed)."""
    if not isinstance(raw, list) or not minimum <= len(raw) <= CANDIDATES_MAX:
        raise Invalid(f"{what} must be a list of {minimum} to {CANDIDATES_MAX} names")
    names = []
    for name in raw:
        text = unicodedata.normalize("NFC", name.strip()) if isinstance(name, str) else ""
        if not text or len(text) > NAME_MAX_CHARS:
            raise Invalid(f"each of {what} must be a name of 1 to {NAME_MAX_CHARS} characters")
        names.append(text)
    if len(set(names)) != len(names):
        raise Invalid(f"{what} must be distinct")
    return tuple(names)


def parse_election(given: Mapping[str, Any], majority: str) -> tuple[tuple[str, ...], int, int]:
    """``(candidates, 1, seats)`` of an election definition."""
    if given.get("secret") is not True:
        raise Invalid("an election is always a secret ballot: secret must be true")
    if majority not in ELECTION_MAJORITIES:
        raise Invalid(f"an election's majority must be one of {', '.join(ELECTION_MAJORITIES)}")
    candidates = parse_names(given.get("options"), "candidates (options)")
    seats = given.get("max_choices", 1)
    if type(seats) is not int or not 1 <= seats <= len(candidates):
        raise Invalid("seats (max_choices) must be from 1 to the number of candidates")
    if given.get("min_choices", 1) != 1:
        raise Invalid("an election has no min_choices: a voter keeps 0 to seats names")
    return candidates, 1, seats


def check_kept(kept: Sequence[int], seats: int) -> None:
    if len(kept) > seats:
        raise TooManyKept(
            f"{len(kept)} names kept for {seats} seat(s): cross out more names",
            kept=len(kept),
            seats=seats,
        )


def ties_for_last_seat(
    counts: Sequence[int], needed: int, seats: int, winners: Sequence[int]
) -> tuple[int, ...]:
    """Candidates who passed the threshold but are not elected only because they tie for
    the last seat(s): the most voted of the passing non-winners, while seats remain."""
    rest = [i for i, votes in enumerate(counts) if votes >= needed and i not in winners]
    if not rest or len(winners) >= seats:
        return ()
    top = max(counts[i] for i in rest)
    return tuple(i for i in rest if counts[i] == top)


def election_to_wire(
    counts: Sequence[int], base: int, winners: Sequence[int], ties: Sequence[int], seats: int
) -> dict[str, Any]:
    """Per candidate, in list order: votes, their share of the base as an exact fraction
    ``[votes, base]``, elected, tied for the last seat."""
    return {
        "seats": seats,
        "tie_for_last_seat": list(ties),
        "candidates": [
            {
                "index": i,
                "votes": votes,
                "share": [votes, base],
                "elected": i in winners,
                "tied": i in ties,
            }
            for i, votes in enumerate(counts)
        ],
    }
