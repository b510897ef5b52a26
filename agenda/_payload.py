"""Payload checks shared by the handlers. Each raises ``Invalid`` with an English message
naming the field; text arrives already in NFC."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from agenda._errors import Invalid, NotFound
from agenda._lifecycle import Kind, Status
from agenda._model import AgendaState, Item

TITLE_MAX_CHARS = 300
DESCRIPTION_MAX_CHARS = 5000
PLANNED_MINUTES_MAX = 600  # ten hours, in minutes
SPEECH_LIMIT_MAX_SECS = 3600  # one hour, in seconds
DOCUMENTS_PER_ITEM_MAX = 50
ID_MAX = 2**63 - 1  # ids are database BIGINTs
# Line breaks and tabs are fine in a description; other control characters never are.
DESCRIPTION_CONTROLS_ALLOWED = frozenset("\n\r\t")


def check_keys(data: Mapping[str, Any], allowed: frozenset[str], required: frozenset[str]) -> None:
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise Invalid(f"unknown fields: {', '.join(unknown)}")
    missing = sorted(required - set(data))
    if missing:
        raise Invalid(f"missing fields: {', '.join(missing)}")


def whole(value: Any, name: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Invalid(f"{name} must be a whole number from {low} to {high}")
    return value


def optional_whole(value: Any, name: str, low: int, high: int) -> int | None:
    return None if value is None else whole(value, name, low, high)


def an_id(value: Any, name: str) -> int:
    return whole(value, name, 1, ID_MAX)


def _controls(text: str, allowed: frozenset[str]) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def title(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("title must be text")
    text = value.strip()
    if not 1 <= len(text) <= TITLE_MAX_CHARS:
        raise Invalid(f"title must have 1 to {TITLE_MAX_CHARS} characters")
    if _controls(text, frozenset()):
        raise Invalid("title must be one line without control characters")
    return text


def description(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("description must be text")
    text = value.strip()
    if len(text) > DESCRIPTION_MAX_CHARS:
        raise Invalid(f"description may have at most {DESCRIPTION_MAX_CHARS} characters")
    if _controls(text, DESCRIPTION_CONTROLS_ALLOWED):
        raise Invalid("description must not contain control characters other than line breaks")
    return text


def kind(value: Any) -> Kind:
    if not isinstance(value, str) or value not in {k.value for k in Kind}:
        raise Invalid(f"kind must be one of: {', '.join(Kind)}")
    return Kind(value)


def status(value: Any) -> Status:
    if not isinstance(value, str) or value not in {s.value for s in Status}:
        raise Invalid(f"status must be one of: {', '.join(Status)}")
    return Status(value)


def planned_minutes(value: Any) -> int | None:
    return optional_whole(value, "planned_minutes", 1, PLANNED_MINUTES_MAX)


def presenter_id(value: Any) -> int | None:
    return None if value is None else an_id(value, "presenter_id")


def limit_secs(value: Any) -> int | None:
    return optional_whole(value, "limit_secs", 1, SPEECH_LIMIT_MAX_SECS)


def document_ids(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise Invalid("document_ids must be a list of document ids")
    ids = tuple(an_id(v, "each document id") for v in value)
    if len(set(ids)) != len(ids):
        raise Invalid("document_ids must not repeat a document")
    if len(ids) > DOCUMENTS_PER_ITEM_MAX:
        raise Invalid(f"an item may have at most {DOCUMENTS_PER_ITEM_MAX} documents")
    return ids


def item(state: AgendaState, value: Any, name: str = "item_id") -> Item:
    found = state.items.get(an_id(value, name))
    if found is None:
        raise NotFound(f"no agenda item {value}")
    return found


def optional_parent(state: AgendaState, value: Any) -> int | None:
    return None if value is None else item(state, value, "parent_id").id
