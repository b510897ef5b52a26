"""What the law sets for each kind of committee: the default majority and quorum of its polls.

A poll defined without ``majority`` or ``quorum`` takes its committee's rules; the event
records the rule that was applied, so the log never depends on a committee row that may
change later. Sources (docs/voting.md, "Committee kinds"):

    kind               majority                         quorum (default)            floor
    party              more than half of all members    at least 2/3 (unconfirmed)  none
                       (Party Charter Art. 9 cl. 5)
    peoples_committee  more than half of all members    at least 2/3 of all members at least 2/3
                       (Law 80/2015 Art. 141(2))        (Law 77/2015 Art. 114(3))
    peoples_council    more than half of all delegates  at least 2/3 (unconfirmed)  none
                       (Law 77/2015 Art. 91(3))
    other              more than half of all members    more than half              none

No kind defaults to ``simple`` (more than half of the votes cast): that rule lets a few
votes adopt a decision while abstentions and absences do not count, and is only ever a
poll's explicit choice. A committee's quorum is a setting (the default above where none
is stored); where the law fixes one (the floor), a setting below it is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from voting._errors import Invalid
from voting._payload import parse_quorum
from voting._rules import Quorum, QuorumKind


class CommitteeKind(StrEnum):
    PARTY = "party"  # a Party committee (cấp ủy) or its standing committee
    PEOPLES_COMMITTEE = "peoples_committee"  # Ủy ban nhân dân
    PEOPLES_COUNCIL = "peoples_council"  # Hội đồng nhân dân
    OTHER = "other"


@dataclass(frozen=True)
class Statute:
    """The defaults the law (or, where unconfirmed, this product) gives one kind."""

    majority: str  # a key of MAJORITY_RULES
    quorum: Quorum  # the default quorum of the kind's committees
    quorum_floor: Quorum | None  # a quorum set by law: a committee may not go below it
    source: str  # where the rule comes from, for the documentation


MORE_THAN_HALF = Quorum(QuorumKind.FRACTION, fraction=(1, 2), strict=True)
AT_LEAST_TWO_THIRDS = Quorum(QuorumKind.FRACTION, fraction=(2, 3), strict=False)

STATUTES: Mapping[CommitteeKind, Statute] = MappingProxyType(
    {
        CommitteeKind.PARTY: Statute(
            "absolute",
            AT_LEAST_TWO_THIRDS,
            None,
            "Party Charter Art. 9 cl. 5; quorum unconfirmed (setting)",
        ),
        CommitteeKind.PEOPLES_COMMITTEE: Statute(
            "absolute",
            AT_LEAST_TWO_THIRDS,
            AT_LEAST_TWO_THIRDS,
            "Law 77/2015/QH13 Art. 114(3); Law 80/2015/QH13 Art. 141(2)",
        ),
        CommitteeKind.PEOPLES_COUNCIL: Statute(
            "absolute",
            AT_LEAST_TWO_THIRDS,
            None,
            "Law 77/2015/QH13 Art. 91(3); quorum unconfirmed (setting)",
        ),
        CommitteeKind.OTHER: Statute("absolute", MORE_THAN_HALF, None, "no statute"),
    }
)


@dataclass(frozen=True)
class CommitteeRules:
    """What a committee's polls default to. Wire form
    ``{"kind": "peoples_committee", "majority": "absolute", "quorum": {…}}``."""

    kind: CommitteeKind
    majority: str
    quorum: Quorum

    def to_wire(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "majority": self.majority, "quorum": self.quorum.to_wire()}


def quorum_not_below(quorum: Quorum, floor: Quorum) -> bool:
    """Whether ``quorum`` asks for at least as many members as ``floor`` does, whatever the
    membership. Only a fraction can: a fixed count (or none) falls below any fraction of a
    large enough committee. ``floor`` is a fraction."""
    if quorum.kind is not QuorumKind.FRACTION:
        return False
    (num, den), (floor_num, floor_den) = quorum.fraction, floor.fraction
    if num * floor_den != floor_num * den:
        return num * floor_den > floor_num * den
    return quorum.strict or not floor.strict  # "more than" is stricter than "at least"


def committee_rules(kind: CommitteeKind, quorum: Quorum | None = None) -> CommitteeRules:
    """The rules of a committee of ``kind`` whose quorum setting is ``quorum`` (``None``:
    the kind's default). Raises ``Invalid`` when the setting is below the law's floor."""
    statute = STATUTES[kind]
    chosen = statute.quorum if quorum is None else quorum
    floor = statute.quorum_floor
    if floor is not None and not quorum_not_below(chosen, floor):
        num, den = floor.fraction
        at = "more than" if floor.strict else "at least"
        raise Invalid(f"a {kind.value} needs a quorum of {at} {num}/{den} of its members by law")
    return CommitteeRules(kind, statute.majority, chosen)


def parse_committee_rules(kind: Any, quorum: Any) -> CommitteeRules:
    """Validate an administrator's ``kind`` and ``quorum`` (``None``: the kind's default)."""
    if not isinstance(kind, str) or kind not in {k.value for k in CommitteeKind}:
        raise Invalid(f"kind must be one of {', '.join(k.value for k in CommitteeKind)}")
    return committee_rules(CommitteeKind(kind), None if quorum is None else parse_quorum(quorum))


DEFAULT_RULES = committee_rules(CommitteeKind.OTHER)
"""What ``decide`` applies when the application names no committee: never below a
statutory rule (more than half of all members; quorum more than half)."""
