"""The command table: every command type, who may send it, and what decides it.

One table drives the role check in the core, the authorization test that tries every
command with every role, and the list in docs/protocol.md. ``internal`` commands are sent
by the server itself on behalf of an HTTP request (an upload), never over the socket.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

import agenda
import voting
from ecabinet.documents import storage
from ecabinet.events import Event
from ecabinet.meetings import decisions, polls
from ecabinet.meetings.decisions import Decide
from ecabinet.meetings.rules import ALL_ROLES, Context, MeetingState, Role
from ecabinet.minutes import decisions as minutes_decisions
from ecabinet.minutes import store as minutes_store
from ecabinet.store.database import Database

# Loads what a decision needs from outside the log (before ``decide``; handed over as
# ``Context.extra``), and writes rows kept beside the log in the same transaction as the
# events (after ``append``), returning fields for this ack only (never stored with it).
Prepare = Callable[[AsyncConnection, int, MeetingState, Mapping[str, Any]], Awaitable[Any]]
# Runs after the commit, outside the transaction (e.g. scrubbing old row versions).
AfterCommit = Callable[[Database, list[Event]], Awaitable[None]]
Record = Callable[
    [AsyncConnection, int, MeetingState, Context, list[Event]], Awaitable[dict[str, Any]]
]
# A command id seen before: checks the repeat against what the first one did (raising when
# it asks for something else) and returns fields for the replayed ack, like ``Record``.
Replay = Callable[
    [AsyncConnection, int, Mapping[str, Any], Mapping[str, Any]], Awaitable[dict[str, Any]]
]


@dataclass(frozen=True)
class CommandSpec:
    type: str
    roles: frozenset[Role]
    decide: Decide
    emits: tuple[str, ...]
    internal: bool = False
    prepare: Prepare | None = None
    record: Record | None = None
    after_commit: AfterCommit | None = None
    replay: Replay | None = None


CHAIR = frozenset({Role.CHAIR})
# The secret ballot store's rows, written with the events (see ecabinet/meetings/ballots.py).
_POLL_RECORDS: Mapping[str, Record] = {
    "poll.open": polls.record_open,
    "vote.cast": polls.record_vote,
    "vote.record": polls.record_clerk_vote,
    "poll.close": polls.record_close,
    "poll.cancel": polls.record_cancel,
}
# What a poll command reads before it is decided: the committee's rules for a definition,
# a secret poll's stored ballots for its close.
_POLL_PREPARES: Mapping[str, Prepare] = {
    "poll.create": polls.prepare_rules,
    "poll.update": polls.prepare_rules,
    "poll.close": polls.prepare_close,
}
EDITORS = frozenset({Role.CHAIR, Role.CLERK})
PRESENTERS = frozenset({Role.CHAIR, Role.CLERK, Role.MEMBER})

_SPECS = (
    CommandSpec("meeting.start", CHAIR, decisions.decide_start, ("meeting.started",)),
    CommandSpec(
        "meeting.end",
        CHAIR,
        decisions.decide_end,
        ("speakers.ended", "agenda.item_status_changed", "agenda.current_changed", "meeting.ended"),
    ),
    CommandSpec(
        "attendance.check_in", ALL_ROLES, decisions.decide_check_in, ("attendance.checked_in",)
    ),
    CommandSpec(
        "attendance.check_out", ALL_ROLES, decisions.decide_check_out, ("attendance.checked_out",)
    ),
    CommandSpec(
        "document.add",
        EDITORS,
        decisions.decide_add_document,
        ("document.added",),
        internal=True,
        record=storage.record_added,
        replay=storage.replay_added,
    ),
    *(
        CommandSpec(name, ALL_ROLES, decisions.annotation_decision(name), (event,))
        for name, event in (
            ("annotation.create", "annotation.created"),
            ("annotation.update", "annotation.updated"),
            ("annotation.delete", "annotation.deleted"),
            ("annotation.share", "annotation.shared"),
        )
    ),
    CommandSpec("presenter.set", CHAIR, decisions.decide_set_presenter, ("presenter.changed",)),
    CommandSpec("presenter.view", PRESENTERS, decisions.decide_view, ("presenter.view_changed",)),
    *(
        CommandSpec(
            name,
            frozenset(Role(r) for r in info.roles),
            decisions.agenda_decision(name),
            info.emits,
        )
        for name, info in agenda.COMMANDS.items()
    ),
    *(
        CommandSpec(
            name,
            frozenset(Role(r) for r in info.roles),
            polls.decision(name),
            info.emits,
            prepare=_POLL_PREPARES.get(name),
            record=_POLL_RECORDS.get(name),
            after_commit=(
                polls.scrub_after_secret_end if name in ("poll.close", "poll.cancel") else None
            ),
        )
        for name, info in voting.COMMANDS.items()
    ),
)

# Minutes: notes, absences and decisions during (and after) the meeting; versions of the
# signed minutes, recorded by the server after it rendered or signed a file (internal).
_MINUTES_SPECS = (
    CommandSpec(
        "minutes.note.set", minutes_decisions.NOTE_EDITORS, minutes_decisions.decide_note,
        ("minutes.note_set",),
    ),
    CommandSpec(
        "minutes.absence.set", minutes_decisions.NOTE_EDITORS, minutes_decisions.decide_absence,
        ("minutes.absence_set",),
    ),
    CommandSpec(
        "minutes.decision.record", minutes_decisions.NOTE_EDITORS,
        minutes_decisions.decide_record_decision, ("minutes.decision_recorded",),
    ),
    CommandSpec(
        "minutes.decision.update", minutes_decisions.NOTE_EDITORS,
        minutes_decisions.decide_update_decision, ("minutes.decision_updated",),
    ),
    CommandSpec(
        "minutes.decision.remove", minutes_decisions.NOTE_EDITORS,
        minutes_decisions.decide_remove_decision, ("minutes.decision_removed",),
    ),
    CommandSpec(
        "minutes.generate", frozenset({Role.CLERK}), minutes_decisions.decide_generate,
        ("minutes.generated",), internal=True, prepare=minutes_store.prepare_head,
        record=minutes_store.record_version,
    ),
    CommandSpec(
        "minutes.sign", minutes_decisions.SIGNERS, minutes_decisions.decide_sign,
        ("minutes.signed",), internal=True, record=minutes_store.record_version,
    ),
)  # fmt: skip

COMMANDS: Mapping[str, CommandSpec] = MappingProxyType(
    {spec.type: spec for spec in (*_SPECS, *_MINUTES_SPECS)}
)


def commands_for(role: Role | None) -> list[str]:
    """The command types ``role`` may send over the socket, for the ``join`` answer's ``you``
    block: a tablet offers a control (keeping the minutes, say) from this list, read from the
    table above, instead of a copy of the roles in the client. ``None`` (a room display): none."""
    if role is None:
        return []
    return sorted(
        name for name, spec in COMMANDS.items() if role in spec.roles and not spec.internal
    )
