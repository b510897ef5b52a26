"""Confidence votes (lấy phiếu tín nhiệm): a secret ballot rating each listed person.

Every ballot rates every person at one of three levels (NQ 96/2023/QH15; QĐ 96-QĐ/TW):

    0  tín nhiệm cao    high confidence
    1  tín nhiệm        confidence
    2  tín nhiệm thấp   low confidence

The choice is the tuple of levels in the order of the persons, so it is stored and sealed
like an options ballot (a list of small whole numbers). A person left unrated makes the
ballot incomplete and it is refused: the published result has one valid-ballot count for
everybody (NQ 96 Art. 19). Shares are of the ballots returned (Art. 19). A person is
flagged when the "low" ratings reach the poll's ``low_flag``: ``more_than_half`` (the
default: > 1/2 — out of planning, may resign) or ``two_thirds`` (≥ 2/3 — dismissal).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from voting._errors import Invalid
from voting._rules import threshold

HIGH, CONFIDENCE, LOW = 0, 1, 2
LEVELS = (HIGH, CONFIDENCE, LOW)
LOW_FLAGS: Mapping[str, tuple[tuple[int, int], bool]] = MappingProxyType(
    {"more_than_half": ((1, 2), True), "two_thirds": ((2, 3), False)}
)
DEFAULT_LOW_FLAG = "more_than_half"


def parse_confidence(given: Mapping[str, Any]) -> str:
    """The ``low_flag`` of a confidence vote definition (after the persons are parsed)."""
    if given.get("secret") is not True:
        raise Invalid("a confidence vote is always a secret ballot: secret must be true")
    if any(given.get(key, 1) != 1 for key in ("min_choices", "max_choices")):
        raise Invalid("a confidence vote has no min/max_choices: every person is rated")
    flag = given.get("low_flag", DEFAULT_LOW_FLAG)
    if not isinstance(flag, str) or flag not in LOW_FLAGS:
        raise Invalid(f"low_flag must be one of {', '.join(LOW_FLAGS)}")
    return flag


def parse_ratings(raw: Any, persons: int) -> tuple[int, ...]:
    if (
        not isinstance(raw, list)
        or len(raw) != persons
        or any(type(level) is not int or level not in LEVELS for level in raw)
    ):
        raise Invalid(
            f"choice must rate each of the {persons} person(s): 0 high, 1 confidence, 2 low"
        )
    return tuple(raw)


def valid_ratings(choice: object, persons: int) -> bool:
    return (
        isinstance(choice, tuple)
        and len(choice) == persons
        and all(level in LEVELS for level in choice)
    )


@dataclass(frozen=True)
class ConfidenceResult:
    """Per person the ballots at each level ``(high, confidence, low)``; ``ballots`` the
    ballots returned (the base of every share); ``needed`` the "low" ratings that flag."""

    low_flag: str
    ballots: int
    levels: tuple[tuple[int, int, int], ...]

    @property
    def needed(self) -> int:
        fraction, strict = LOW_FLAGS[self.low_flag]
        return threshold(self.ballots, fraction, strict)

    @property
    def flagged(self) -> tuple[int, ...]:
        return tuple(i for i, counts in enumerate(self.levels) if counts[LOW] >= self.needed)

    def to_wire(self) -> dict[str, Any]:
        b = self.ballots
        return {
            "low_flag": self.low_flag,
            "base": b,
            "needed": self.needed,
            "flagged": list(self.flagged),
            "persons": [
                {
                    "index": i,
                    "counts": list(counts),
                    "shares": [[n, b] for n in counts],
                    "flagged": i in self.flagged,
                }
                for i, counts in enumerate(self.levels)
            ],
        }

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> ConfidenceResult:
        levels = tuple((p["counts"][0], p["counts"][1], p["counts"][2]) for p in raw["persons"])
        return cls(raw["low_flag"], raw["base"], levels)


def count_ratings(
    choices: Iterable[Sequence[int]],
    persons: int,
    low_flag: str,
    on_paper: tuple[int, Sequence[int]] | None = None,
) -> ConfidenceResult:
    """Count the tablet ballots ``choices`` and, if given, the paper ballots as the
    ballot-counting board counted them: ``(valid ballots, counts)``, the counts person by
    person, level by level (high, confidence, low)."""
    levels = [[0, 0, 0] for _ in range(persons)]
    ballots = 0
    for choice in choices:
        ballots += 1
        for person, level in enumerate(choice):
            levels[person][level] += 1
    if on_paper is not None:
        valid, counts = on_paper
        ballots += valid
        for person in range(persons):
            for level in LEVELS:
                levels[person][level] += counts[3 * person + level]
    return ConfidenceResult(low_flag, ballots, tuple((h, c, lo) for h, c, lo in levels))
