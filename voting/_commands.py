"""The command table: who may send each command and which events it may append.

One table drives the role check in ``decide``, the test that tries every command with
every role, and the list in docs/voting.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

CHAIR = "chair"
CLERK = "clerk"
MEMBER = "member"
OBSERVER = "observer"
ROLES = frozenset({CHAIR, CLERK, MEMBER, OBSERVER})
VOTING_ROLES = frozenset({CHAIR, MEMBER})  # clerks and observers never vote


@dataclass(frozen=True)
class CommandInfo:
    roles: frozenset[str]
    emits: tuple[str, ...]
    summary: str


_CHAIR_ONLY = frozenset({CHAIR})
_CLERK_ONLY = frozenset({CLERK})

COMMANDS: Mapping[str, CommandInfo] = MappingProxyType(
    {
        "poll.create": CommandInfo(_CHAIR_ONLY, ("poll.created",), "define a draft poll"),
        "poll.update": CommandInfo(_CHAIR_ONLY, ("poll.updated",), "change a draft poll"),
        "poll.open": CommandInfo(
            _CHAIR_ONLY, ("poll.opened",), "open a poll: eligibility frozen, quorum checked"
        ),
        "poll.close": CommandInfo(
            _CHAIR_ONLY, ("poll.closed",), "close a poll: quorum checked, result published"
        ),
        "poll.cancel": CommandInfo(_CHAIR_ONLY, ("poll.cancelled",), "cancel a draft or open poll"),
        "poll.recuse": CommandInfo(
            VOTING_ROLES, ("poll.recused",), "take a member out of one poll's count"
        ),
        "proxy.grant": CommandInfo(
            _CHAIR_ONLY, ("proxy.granted",), "a present member holds an absent member's vote"
        ),
        "proxy.revoke": CommandInfo(_CHAIR_ONLY, ("proxy.revoked",), "end a proxy"),
        "vote.cast": CommandInfo(
            VOTING_ROLES,
            ("vote.cast", "vote.participated"),
            "vote, for oneself or for a member whose vote one holds",
        ),
        # Members without a device (_clerk.py): the clerk acts, the vote stays the member's.
        "vote.record": CommandInfo(
            _CLERK_ONLY, ("vote.cast",), "record a present member's vote in a named poll"
        ),
        "vote.mark_paper": CommandInfo(
            _CLERK_ONLY, ("vote.paper_marked",), "give a member a paper ballot in a secret poll"
        ),
        "poll.paper_tally": CommandInfo(
            _CLERK_ONLY, ("poll.paper_tallied",), "enter the paper ballots' tally"
        ),
    }
)

EVENT_TYPES: frozenset[str] = frozenset(e for info in COMMANDS.values() for e in info.emits)
