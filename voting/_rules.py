"""Quorum and majority rules: pure functions over whole numbers.

Every threshold is a fraction ``num/den`` of a base, either strict ("more than") or not
("at least"), computed with integers only, so there is no rounding to get wrong:

    strict:     votes * den >  num * base      needed = num * base // den + 1
    not strict: votes * den >= num * base      needed = ceil(num * base / den)

and never fewer than one vote: nothing is decided by nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

Fraction = tuple[int, int]
"""``(numerator, denominator)``, on the wire ``[num, den]``; ``0 < num <= den``."""


def threshold(base: int, fraction: Fraction, strict: bool) -> int:
    """The smallest whole number of votes that meets ``fraction`` of ``base``; at least 1.

    >>> threshold(11, (1, 2), strict=True)   # more than half of 11
    6
    >>> threshold(9, (2, 3), strict=False)   # at least two thirds of 9
    6
    """
    num, den = fraction
    if base < 0 or den <= 0 or not 0 < num <= den:
        raise ValueError(f"no threshold {num}/{den} of {base}")
    exact = num * base // den + 1 if strict else -(-num * base // den)
    return max(1, exact)


class QuorumKind(StrEnum):
    NONE = "none"  # no quorum required (an informal or consultative poll)
    COUNT = "count"  # at least ``count`` voting members present or represented
    FRACTION = "fraction"  # a fraction of all voting members, strict or not


@dataclass(frozen=True)
class Quorum:
    """How many voting members must be present or represented for a poll to open and to
    close. Wire form: ``{"kind": "none"}``, ``{"kind": "count", "count": 6}`` or
    ``{"kind": "fraction", "fraction": [1, 2], "strict": true}`` (more than half)."""

    kind: QuorumKind
    count: int = 0
    fraction: Fraction = (1, 2)
    strict: bool = True

    def needed(self, members: int) -> int:
        """Voting members who must be present or represented, out of ``members``."""
        if self.kind is QuorumKind.NONE:
            return 0
        if self.kind is QuorumKind.COUNT:
            return self.count
        return threshold(members, self.fraction, self.strict)

    def met(self, members: int, present: int) -> bool:
        return present >= self.needed(members)

    def to_wire(self) -> dict[str, Any]:
        if self.kind is QuorumKind.NONE:
            return {"kind": "none"}
        if self.kind is QuorumKind.COUNT:
            return {"kind": "count", "count": self.count}
        return {"kind": "fraction", "fraction": list(self.fraction), "strict": self.strict}

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> Quorum:
        """Trusting conversion of a stored rule; ``_payload.parse_quorum`` validates."""
        kind = QuorumKind(raw["kind"])
        if kind is QuorumKind.COUNT:
            return cls(kind, count=raw["count"])
        if kind is QuorumKind.FRACTION:
            num, den = raw["fraction"]
            return cls(kind, fraction=(num, den), strict=raw["strict"])
        return cls(kind)


class Base(StrEnum):
    """What a majority is counted against."""

    CAST = "cast"  # ballots cast, abstentions excluded
    PRESENT = "present"  # voters eligible at open (present or represented), minus recusals
    MEMBERS = "members"  # all voting members at open, minus recusals


@dataclass(frozen=True)
class Requirement:
    """What a poll needs to pass, as the server decided it: ``needed`` votes for the
    proposal (or for an option) out of ``base``. Both are ``None`` while the base is not
    known yet: ``present`` is known when the poll opens, ``cast`` when it closes. Wire form
    ``{"base_kind": "members", "base": 9, "needed": 5}``."""

    base_kind: Base
    base: int | None
    needed: int | None

    def to_wire(self) -> dict[str, Any]:
        return {"base_kind": self.base_kind.value, "base": self.base, "needed": self.needed}

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> Requirement:
        return cls(Base(raw["base_kind"]), raw["base"], raw["needed"])


@dataclass(frozen=True)
class MajorityRule:
    name: str
    base: Base
    fraction: Fraction
    strict: bool

    def needed(self, base: int) -> int:
        return threshold(base, self.fraction, self.strict)

    def requirement(self, members: int, present: int | None) -> Requirement:
        """The requirement before the count: ``members`` voting members (recusals taken
        out) and, once the poll is open, ``present`` eligible voters (recusals taken out).
        A ``cast`` base is only known from the ballots: ``tally`` gives it."""
        base = {Base.MEMBERS: members, Base.PRESENT: present, Base.CAST: None}[self.base]
        return Requirement(self.base, base, None if base is None else self.needed(base))

    def to_wire(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "base": self.base.value,
            "fraction": list(self.fraction),
            "strict": self.strict,
        }


# The rules as data. How abstentions count follows from the base: against CAST they do
# not count at all; against PRESENT or MEMBERS an abstention (or no vote) is as good as
# a "no", because only votes for the proposal or option reach the threshold.
MAJORITY_RULES: Mapping[str, MajorityRule] = MappingProxyType(
    {
        rule.name: rule
        for rule in (
            MajorityRule("simple", Base.CAST, (1, 2), strict=True),
            MajorityRule("absolute", Base.MEMBERS, (1, 2), strict=True),
            MajorityRule("two_thirds_present", Base.PRESENT, (2, 3), strict=False),
            MajorityRule("two_thirds_members", Base.MEMBERS, (2, 3), strict=False),
        )
    }
)
