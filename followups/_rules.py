"""The follow-up commands: ``decide`` checks one against the state and answers the events
to append (or raises a ``FollowUpError`` and changes nothing); ``apply`` folds one stored
event. Who may send what:

    followup.create   reviewer   a signed meeting's decision becomes a follow-up (once)
    followup.assign   reviewer   a responsible person and/or unit, and a due date
    followup.report   assignee   a progress report (text, attached documents)
    followup.accept   reviewer   the last report is accepted: the follow-up is done
    followup.return   reviewer   the last report is sent back with a reason
    followup.extend   reviewer   a later due date, with a reason

A done follow-up takes no further command (``conflict``). Once assigned, a due date changes
only by an extension, which moves it later and says why; re-assigning keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from followups._errors import Conflict, Invalid, NotAllowed, NotFound
from followups._model import Actor, Decided, Extension, FollowUp, FollowUpsState, Report

TEXT_MAX_CHARS = 4000
REASON_MAX_CHARS = 500
UNIT_MAX_CHARS = 200
DOCUMENTS_MAX = 10
_DAY = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")

Decide = Callable[[FollowUpsState, Mapping[str, Any], Actor, str, str], list[Decided]]


def _text(data: Mapping[str, Any], name: str, limit: int, required: bool = True) -> str:
    raw = data.get(name, "")
    if not isinstance(raw, str):
        raise Invalid(f"{name} must be text")
    text = raw.strip()
    if required and not text:
        raise Invalid(f"{name} is required")
    if len(text) > limit:
        raise Invalid(f"{name} may have at most {limit} characters")
    return text


def _id(data: Mapping[str, Any], name: str) -> int:
    raw = data.get(name)
    if not isinstance(raw, int) or isinstance(raw, bool) or not 1 <= raw <= 2**31 - 1:
        raise Invalid(f"{name} must be a positive whole number")
    return raw


def _day(data: Mapping[str, Any], name: str) -> str:
    raw = data.get(name)
    if not isinstance(raw, str) or not _DAY.fullmatch(raw):
        raise Invalid(f"{name} must be a date YYYY-MM-DD")
    return raw


def _only(data: Mapping[str, Any], allowed: set[str]) -> None:
    extra = set(data) - allowed
    if extra:
        raise Invalid(f"unknown fields: {', '.join(sorted(extra))[:200]}")


def _reviewer(actor: Actor) -> None:
    if not actor.reviewer:
        raise NotAllowed("only the committee's chair or clerk reviews follow-ups")


def _open_item(state: FollowUpsState, data: Mapping[str, Any]) -> FollowUp:
    follow_up_id = _id(data, "follow_up_id")
    item = state.items.get(follow_up_id)
    if item is None:
        raise NotFound("no such follow-up")
    if item.done_at is not None:
        raise Conflict("this follow-up is done")
    return item


def decide_create(
    state: FollowUpsState, data: Mapping[str, Any], actor: Actor, _now: str, _today: str
) -> list[Decided]:
    _only(data, {"meeting_id", "decision_id", "text"})
    _reviewer(actor)
    meeting_id, decision_id = _id(data, "meeting_id"), _id(data, "decision_id")
    text = _text(data, "text", TEXT_MAX_CHARS)
    for item in state.items.values():
        if (item.meeting_id, item.decision_id) == (meeting_id, decision_id):
            raise Conflict("this decision already has its follow-up")
    event = {
        "follow_up_id": state.next_id,
        "meeting_id": meeting_id,
        "decision_id": decision_id,
        "text": text,
    }
    return [Decided("followup.created", event)]


def decide_assign(
    state: FollowUpsState, data: Mapping[str, Any], actor: Actor, _now: str, today: str
) -> list[Decided]:
    _only(data, {"follow_up_id", "assignee_id", "unit", "due_date"})
    _reviewer(actor)
    item = _open_item(state, data)
    assignee = None if data.get("assignee_id") is None else _id(data, "assignee_id")
    unit = _text(data, "unit", UNIT_MAX_CHARS, required=False)
    if assignee is None and not unit:
        raise Invalid("name a responsible person, a unit, or both")
    due = _day(data, "due_date")
    if item.due_date is None and due < today:
        raise Invalid("the due date has passed")
    if item.due_date is not None and due != item.due_date:
        raise Conflict("the due date changes only by an extension, with its reason")
    event = {"follow_up_id": item.id, "assignee_id": assignee, "unit": unit, "due_date": due}
    return [Decided("followup.assigned", event)]


def decide_report(
    state: FollowUpsState, data: Mapping[str, Any], actor: Actor, _now: str, _today: str
) -> list[Decided]:
    _only(data, {"follow_up_id", "text", "document_ids"})
    item = _open_item(state, data)
    if not item.assigned:
        raise Conflict("this follow-up is not assigned yet")
    if actor.user_id != item.assignee_id:
        raise NotAllowed("only the person responsible reports progress")
    text = _text(data, "text", TEXT_MAX_CHARS)
    raw_documents = data.get("document_ids", [])
    if not isinstance(raw_documents, list) or len(raw_documents) > DOCUMENTS_MAX:
        raise Invalid(f"document_ids is a list of at most {DOCUMENTS_MAX} ids")
    documents = [_id({"id": d}, "id") for d in raw_documents]
    if len(set(documents)) != len(documents):
        raise Invalid("a document is attached twice")
    event = {
        "follow_up_id": item.id,
        "report_id": state.next_report_id,
        "text": text,
        "document_ids": documents,
    }
    return [Decided("followup.reported", event)]


def decide_accept(
    state: FollowUpsState, data: Mapping[str, Any], actor: Actor, _now: str, _today: str
) -> list[Decided]:
    _only(data, {"follow_up_id"})
    _reviewer(actor)
    item = _open_item(state, data)
    if not item.awaiting_review():
        raise Conflict("there is no report to accept")
    return [
        Decided(
            "followup.accepted", {"follow_up_id": item.id, "report_id": item.reports[-1].report_id}
        )
    ]


def decide_return(
    state: FollowUpsState, data: Mapping[str, Any], actor: Actor, _now: str, _today: str
) -> list[Decided]:
    _only(data, {"follow_up_id", "reason"})
    _reviewer(actor)
    item = _open_item(state, data)
    if not item.awaiting_review():
        raise Conflict("there is no report to send back")
    reason = _text(data, "reason", REASON_MAX_CHARS)
    event = {"follow_up_id": item.id, "report_id": item.reports[-1].report_id, "reason": reason}
    return [Decided("followup.returned", event)]


def decide_extend(
    state: FollowUpsState, data: Mapping[str, Any], actor: Actor, _now: str, _today: str
) -> list[Decided]:
    _only(data, {"follow_up_id", "due_date", "reason"})
    _reviewer(actor)
    item = _open_item(state, data)
    if item.due_date is None:
        raise Conflict("this follow-up has no due date yet: assign it")
    due = _day(data, "due_date")
    if due <= item.due_date:
        raise Invalid("the new due date must be later than the current one")
    reason = _text(data, "reason", REASON_MAX_CHARS)
    event = {
        "follow_up_id": item.id,
        "previous_due": item.due_date,
        "due_date": due,
        "reason": reason,
    }
    return [Decided("followup.extended", event)]


COMMANDS: Mapping[str, Decide] = MappingProxyType(
    {
        "followup.create": decide_create,
        "followup.assign": decide_assign,
        "followup.report": decide_report,
        "followup.accept": decide_accept,
        "followup.return": decide_return,
        "followup.extend": decide_extend,
    }
)


def decide(
    state: FollowUpsState,
    command: str,
    data: Mapping[str, Any],
    actor: Actor,
    now: str,
    today: str,
) -> list[Decided]:
    """The events of ``command`` by ``actor`` at instant ``now`` on local day ``today``."""
    rule = COMMANDS.get(command)
    if rule is None:
        raise Invalid(f"unknown command {command}")
    if not isinstance(data, Mapping):
        raise Invalid("the payload must be an object")
    return rule(state, data, actor, now, today)


def _put(state: FollowUpsState, item: FollowUp, **counters: int) -> FollowUpsState:
    items = dict(state.items)
    items[item.id] = item
    return replace(state, items=MappingProxyType(items), **counters)


def apply(
    state: FollowUpsState, event_type: str, data: Mapping[str, Any], actor_id: int, at: str
) -> FollowUpsState:
    """``state`` after the stored event; an unknown type is a bug (``KeyError``)."""
    if event_type == "followup.created":
        item = FollowUp(
            data["follow_up_id"], data["meeting_id"], data["decision_id"], data["text"], at
        )
        return _put(state, item, next_id=max(state.next_id, item.id + 1))
    item = state.items[data["follow_up_id"]]
    if event_type == "followup.assigned":
        return _put(
            state,
            replace(
                item, assignee_id=data["assignee_id"], unit=data["unit"], due_date=data["due_date"]
            ),
        )
    if event_type == "followup.reported":
        report = Report(data["report_id"], actor_id, at, data["text"], tuple(data["document_ids"]))
        return _put(
            state,
            replace(item, reports=(*item.reports, report)),
            next_report_id=max(state.next_report_id, report.report_id + 1),
        )
    if event_type == "followup.accepted":
        return _put(state, replace(item, done_at=at))
    if event_type == "followup.returned":
        last = replace(item.reports[-1], returned_reason=data["reason"])
        return _put(state, replace(item, reports=(*item.reports[:-1], last)))
    if event_type == "followup.extended":
        extension = Extension(data["previous_due"], data["due_date"], data["reason"], actor_id, at)
        return _put(
            state,
            replace(item, due_date=data["due_date"], extensions=(*item.extensions, extension)),
        )
    raise KeyError(event_type)


EVENT_TYPES: frozenset[str] = frozenset(
    {
        "followup.created",
        "followup.assigned",
        "followup.reported",
        "followup.accepted",
        "followup.returned",
        "followup.extended",
    }
)
