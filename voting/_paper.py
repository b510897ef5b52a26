"""Paper ballots in a secret poll: the tally the ballot-counting board (Ban kiểm phiếu)
enters, as aggregate numbers only.

A paper tally never names a member: the poll records who was given a paper ballot (as it
records who took part on a tablet), and the tally gives how many ballots were issued,
returned, valid and invalid, and the count per choice on the valid ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PAPER_COUNT_MAX = 100_000  # far above any committee; keeps a typo from reaching the result


@dataclass(frozen=True)
class PaperTally:
    """``counts`` follows the tally's order (``(yes, no)`` in a yes/no/abstain poll, one
    count per option otherwise); ``abstentions`` are valid ballots that chose nothing."""

    issued: int
    returned: int
    valid: int
    invalid: int
    counts: tuple[int, ...]
    abstentions: int

    def to_wire(self) -> dict[str, Any]:
        return {
            "issued": self.issued,
            "returned": self.returned,
            "valid": self.valid,
            "invalid": self.invalid,
            "counts": list(self.counts),
            "abstentions": self.abstentions,
        }

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> PaperTally:
        return cls(
            issued=raw["issued"],
            returned=raw["returned"],
            valid=raw["valid"],
            invalid=raw["invalid"],
            counts=tuple(raw["counts"]),
            abstentions=raw["abstentions"],
        )
