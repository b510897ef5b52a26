"""The command table and the two entry points, ``decide`` and ``apply``.

``COMMANDS`` says, for every command, who may send it and which events it can emit; the
application checks the role against it before calling ``decide`` (and ``decide`` checks
again, so the rules hold on their own). ``FOLDS`` maps every event type to its fold.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from agenda import _flow as flow
from agenda import _fold_items as items_fold
from agenda import _items as items
from agenda import _speakers as speakers
from agenda._clock import instant
from agenda._errors import Invalid, NotAllowed
from agenda._lifecycle import ALL_ROLES, CHAIR_ONLY, EDITORS, SPEAKERS
from agenda._model import Actor, AgendaState, Decided

Decide = Callable[[AgendaState, Mapping[str, Any], Actor, str], list[Decided]]
Fold = Callable[[AgendaState, Mapping[str, Any], str], AgendaState]


@dataclass(frozen=True)
class CommandInfo:
    roles: frozenset[str]
    emits: tuple[str, ...]
    summary: str
    # The agenda knows nothing of the meeting's lifecycle: the application refuses these
    # commands (as `conflict`) unless the meeting is live.
    live_only: bool = False


LEAVE = ("speakers.ended", "agenda.item_status_changed", "agenda.current_changed")

_TABLE: tuple[tuple[str, frozenset[str], Decide, tuple[str, ...], str], ...] = (
    ("agenda.item.add", EDITORS, items.decide_add, ("agenda.item_added",), "add an item"),
    ("agenda.item.update", EDITORS, items.decide_update, ("agenda.item_updated",),
     "change an item's title, description, kind, time, presenter or documents"),
    ("agenda.item.move", EDITORS, items.decide_move, ("agenda.item_moved",),
     "reorder or nest an item"),
    ("agenda.item.remove", EDITORS, items.decide_remove, ("agenda.item_removed",),
     "delete an item never taken up"),
    ("agenda.item.set_status", EDITORS, items.decide_set_status,
     ("agenda.item_status_changed",), "mark an item done, deferred, withdrawn or pending"),
    ("agenda.item.attach_document", EDITORS, items.decide_attach,
     ("agenda.document_attached",), "attach a meeting document to an item"),
    ("agenda.item.detach_document", EDITORS, items.decide_detach,
     ("agenda.document_detached",), "detach a document from an item"),
    ("agenda.current.set", CHAIR_ONLY, flow.decide_set_current,
     ("speakers.ended", "agenda.current_changed"), "take up an item"),
    ("agenda.next", CHAIR_ONLY, flow.decide_next, LEAVE, "move on to the next item"),
    ("agenda.previous", CHAIR_ONLY, flow.decide_previous,
     ("speakers.ended", "agenda.current_changed"), "go back to the previous item"),
    ("agenda.current.clear", CHAIR_ONLY, flow.decide_clear,
     ("speakers.ended", "agenda.current_changed"), "leave the current item (no item current)"),
    ("speakers.request", SPEAKERS, speakers.decide_request, ("speakers.requested",),
     "ask for the floor on an item"),
    ("speakers.withdraw", SPEAKERS, speakers.decide_withdraw, ("speakers.withdrawn",),
     "leave the speakers' list"),
    ("speakers.grant", CHAIR_ONLY, speakers.decide_grant,
     ("speakers.ended", "speakers.granted"), "give someone the floor"),
    ("speakers.end", ALL_ROLES, speakers.decide_end, ("speakers.ended",), "end the speech"),
    ("speakers.set_default_limit", CHAIR_ONLY, speakers.decide_set_default_limit,
     ("speakers.default_limit_set",), "set the default speaking time"),
)  # fmt: skip

# Driving the agenda and the floor happens in a live meeting; editing and queueing also before.
LIVE_ONLY = frozenset(
    {
        "agenda.current.set",
        "agenda.next",
        "agenda.previous",
        "agenda.current.clear",
        "speakers.grant",
        "speakers.end",
    }
)

COMMANDS: Mapping[str, CommandInfo] = MappingProxyType(
    {
        name: CommandInfo(roles, emits, summary, name in LIVE_ONLY)
        for name, roles, _, emits, summary in _TABLE
    }
)
_DECIDE: Mapping[str, Decide] = MappingProxyType({row[0]: row[2] for row in _TABLE})

FOLDS: Mapping[str, Fold] = MappingProxyType(
    {
        "agenda.item_added": items_fold.fold_added,
        "agenda.item_updated": items_fold.fold_updated,
        "agenda.item_moved": items_fold.fold_moved,
        "agenda.item_removed": items_fold.fold_removed,
        "agenda.item_status_changed": items_fold.fold_status_changed,
        "agenda.document_attached": items_fold.fold_document_attached,
        "agenda.document_detached": items_fold.fold_document_detached,
        "agenda.current_changed": flow.fold_current_changed,
        "speakers.requested": speakers.fold_requested,
        "speakers.withdrawn": speakers.fold_withdrawn,
        "speakers.granted": speakers.fold_granted,
        "speakers.ended": speakers.fold_ended,
        "speakers.default_limit_set": speakers.fold_default_limit_set,
    }
)
EVENT_TYPES: frozenset[str] = frozenset(FOLDS)


def decide(
    state: AgendaState, command_type: str, data: Mapping[str, Any], actor: Actor, now: str
) -> list[Decided]:
    """The events that carry out the command, or an ``AgendaError``; ``state`` is never
    changed. ``now`` is the time the events will be committed at (ISO 8601 UTC)."""
    instant(now)  # a malformed clock is a programming error: fail loudly, not as a refusal
    info = COMMANDS.get(command_type)
    if info is None:
        raise Invalid(f"unknown agenda command: {command_type[:64]!r}")
    if actor.role not in info.roles:
        raise NotAllowed(f"a {actor.role} may not {info.summary}")
    if not isinstance(data, Mapping):
        raise Invalid("data must be an object")
    return _DECIDE[command_type](state, data, actor, now)


def closing_events(state: AgendaState, now: str) -> list[Decided]:
    """The events the application appends when the meeting ends: the running speech ends
    and the current item is left, so the minutes have every end time. Empty when no item
    is current."""
    instant(now)
    return [] if state.current_id is None else flow.leave(state, now)


def apply(state: AgendaState, event_type: str, data: Mapping[str, Any], at: str) -> AgendaState:
    """Fold one stored event. Types of other domains return ``state`` itself unchanged."""
    fold = FOLDS.get(event_type)
    return state if fold is None else fold(state, data, at)


def fold(state: AgendaState, events: list[tuple[str, Mapping[str, Any], str]]) -> AgendaState:
    """Apply ``(type, data, at)`` events in order."""
    for event_type, data, at in events:
        state = apply(state, event_type, data, at)
    return state
