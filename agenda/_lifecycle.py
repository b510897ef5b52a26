"""The item lifecycle as data. Handlers look these tables up; nothing else decides a move.

An item's stored status is one of four; "current" is not a status but the state's
``current_id`` pointing at the item, so it cannot disagree with anything.

    pending   ──▶ done | deferred | withdrawn
    done      ──▶ pending (reopened) | deferred
    deferred  ──▶ pending | withdrawn
    withdrawn ──▶ pending
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Status(StrEnum):
    PENDING = "pending"
    DONE = "done"
    DEFERRED = "deferred"
    WITHDRAWN = "withdrawn"


class Kind(StrEnum):
    INFORMATION = "information"
    DISCUSSION = "discussion"
    DECISION = "decision"


# (from, to) -> why a person would do it. A pair that is missing is refused as `conflict`.
STATUS_MOVES: Mapping[tuple[Status, Status], str] = MappingProxyType(
    {
        (Status.PENDING, Status.DONE): "handled",
        (Status.PENDING, Status.DEFERRED): "postponed",
        (Status.PENDING, Status.WITHDRAWN): "taken off the agenda",
        (Status.DONE, Status.PENDING): "reopened",
        (Status.DONE, Status.DEFERRED): "discussed, decision postponed",
        (Status.DEFERRED, Status.PENDING): "taken up again",
        (Status.DEFERRED, Status.WITHDRAWN): "taken off the agenda",
        (Status.WITHDRAWN, Status.PENDING): "put back on the agenda",
    }
)

# Statuses an item may have while it is the current item. Becoming current needs one of
# them, and the current item cannot be deferred or withdrawn (move on first); agenda.next
# and agenda.previous skip every item whose status is not listed here.
CURRENT_STATUSES: frozenset[Status] = frozenset({Status.PENDING, Status.DONE})

# The status `agenda.next` gives the item it leaves: moving on means it was handled.
ON_NEXT: Mapping[Status, Status] = MappingProxyType({Status.PENDING: Status.DONE})

# Statuses of a non-current item for which someone may ask for the floor in advance.
REQUESTABLE_STATUSES: frozenset[Status] = frozenset({Status.PENDING})


class Role(StrEnum):
    CHAIR = "chair"
    CLERK = "clerk"
    MEMBER = "member"
    OBSERVER = "observer"


ALL_ROLES: frozenset[str] = frozenset(Role)
EDITORS: frozenset[str] = frozenset({Role.CHAIR, Role.CLERK})  # edit the agenda
CHAIR_ONLY: frozenset[str] = frozenset({Role.CHAIR})  # drive the agenda and the floor
SPEAKERS: frozenset[str] = frozenset({Role.CHAIR, Role.CLERK, Role.MEMBER})  # ask for the floor
# Who may put someone else on (or off) a speakers' queue.
QUEUE_KEEPERS: frozenset[str] = EDITORS
