"""The minutes commands, decided from the meeting state (pure).

Notes, absences and decisions are kept by the clerk and, by default, the chair
(``NOTE_EDITORS``), in any meeting status: the clerk reviews and corrects after the meeting
and generates again. ``minutes.generate`` and ``minutes.sign`` are internal: the server
sends them once it has rendered or signed the file over HTTP, carrying the file's hash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ecabinet.errors import Conflict, Invalid, NotAllowed, NotFound
from ecabinet.events import NewEvent
from ecabinet.meetings.rules import Context, MeetingState, Role, Status
from ecabinet.minutes.state import VERSION_MOVES, VersionStatus

# Who keeps notes and decisions. The chair may correct them too (a setting of this table:
# drop Role.CHAIR to make them the clerk's alone).
NOTE_EDITORS = frozenset({Role.CLERK, Role.CHAIR})
SIGNERS = frozenset({Role.CLERK, Role.CHAIR})
NOTE_MAX_CHARS = 10_000  # at most 3 bytes each in UTF-8: fits one 64 KiB command
DECISION_MAX_CHARS = 5_000
REASON_MAX_CHARS = 300
DECISIONS_MAX = 500
LAYOUTS = ("state", "party", "en")
NUMBER_PATTERN = re.compile(r"^[0-9A-Za-z./-]{0,20}$")
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _fields(data: Mapping[str, Any], required: set[str], optional: set[str]) -> None:
    unknown = set(data) - required - optional
    if unknown:
        raise Invalid(f"unknown fields: {', '.join(sorted(unknown))}")
    missing = required - set(data)
    if missing:
        raise Invalid(f"missing fields: {', '.join(sorted(missing))}")


def _id(data: Mapping[str, Any], name: str, *, nullable: bool) -> int | None:
    value = data.get(name)
    if value is None and nullable:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value < 2**63:
        raise Invalid(f"{name} must be a positive whole number" + (" or null" if nullable else ""))
    return value


def clean_text(value: Any, name: str, max_chars: int, *, allow_empty: bool) -> str:
    """Text as it is stored: CRLF as LF, trimmed, no control characters but line breaks
    and tabs (the envelope has already normalized it to NFC)."""
    if not isinstance(value, str):
        raise Invalid(f"{name} must be text")
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if _CONTROL.search(text):
        raise Invalid(f"{name} may not contain control characters")
    if len(text) > max_chars or (not text and not allow_empty):
        low = 0 if allow_empty else 1
        raise Invalid(f"{name} must have {low}–{max_chars} characters")
    return text


def _item(state: MeetingState, item_id: int | None) -> int | None:
    if item_id is not None and item_id not in state.agenda.items:
        raise NotFound("no such agenda item")
    return item_id


def _poll(state: MeetingState, poll_id: int | None) -> int | None:
    if poll_id is not None and poll_id not in state.voting.polls:
        raise NotFound("no such poll")
    return poll_id


def decide_note(state: MeetingState, ctx: Context) -> list[NewEvent]:
    _fields(ctx.data, {"text"}, {"item_id"})
    item_id = _item(state, _id(ctx.data, "item_id", nullable=True))
    text = clean_text(ctx.data["text"], "text", NOTE_MAX_CHARS, allow_empty=True)
    current = state.minutes.notes.get(item_id)
    if (current.text if current else "") == text:
        return []
    return [NewEvent("minutes.note_set", {"item_id": item_id, "text": text})]


def decide_absence(state: MeetingState, ctx: Context) -> list[NewEvent]:
    _fields(ctx.data, {"user_id", "reason"}, set())
    user_id = _id(ctx.data, "user_id", nullable=False)
    if user_id not in ctx.roster:
        raise NotFound("that person is not on this meeting's roster")
    raw = ctx.data["reason"]
    reason = None if raw is None else clean_text(raw, "reason", REASON_MAX_CHARS, allow_empty=False)
    if state.minutes.absences.get(user_id) == reason:  # type: ignore[arg-type]
        return []
    return [NewEvent("minutes.absence_set", {"user_id": user_id, "reason": reason})]


def decide_record_decision(state: MeetingState, ctx: Context) -> list[NewEvent]:
    _fields(ctx.data, {"text"}, {"item_id", "poll_id"})
    if len(state.minutes.decisions) >= DECISIONS_MAX:
        raise Conflict(f"a meeting records at most {DECISIONS_MAX} decisions")
    data = {
        "decision_id": state.minutes.next_decision_id,
        "item_id": _item(state, _id(ctx.data, "item_id", nullable=True)),
        "text": clean_text(ctx.data["text"], "text", DECISION_MAX_CHARS, allow_empty=False),
        "poll_id": _poll(state, _id(ctx.data, "poll_id", nullable=True)),
    }
    return [NewEvent("minutes.decision_recorded", data)]


def _decision(state: MeetingState, ctx: Context) -> Any:
    decision_id = _id(ctx.data, "decision_id", nullable=False)
    decision = state.minutes.decisions.get(decision_id)  # type: ignore[arg-type]
    if decision is None:
        raise NotFound("no such decision")
    return decision


def decide_update_decision(state: MeetingState, ctx: Context) -> list[NewEvent]:
    _fields(ctx.data, {"decision_id"}, {"item_id", "text", "poll_id"})
    if len(ctx.data) == 1:
        raise Invalid("change at least one of item_id, text, poll_id")
    before = _decision(state, ctx)
    after = {
        "decision_id": before.id,
        "item_id": _item(state, _id(ctx.data, "item_id", nullable=True))
        if "item_id" in ctx.data
        else before.item_id,
        "text": clean_text(ctx.data["text"], "text", DECISION_MAX_CHARS, allow_empty=False)
        if "text" in ctx.data
        else before.text,
        "poll_id": _poll(state, _id(ctx.data, "poll_id", nullable=True))
        if "poll_id" in ctx.data
        else before.poll_id,
    }
    if (after["item_id"], after["text"], after["poll_id"]) == (
        before.item_id,
        before.text,
        before.poll_id,
    ):
        return []
    return [NewEvent("minutes.decision_updated", after)]


def decide_remove_decision(state: MeetingState, ctx: Context) -> list[NewEvent]:
    _fields(ctx.data, {"decision_id"}, set())
    decision = _decision(state, ctx)
    return [NewEvent("minutes.decision_removed", {"decision_id": decision.id})]


def _sha256(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not SHA256_PATTERN.match(value):
        raise Invalid(f"{name} must be 64 lowercase hex digits")
    return value


def _count(data: Mapping[str, Any], name: str) -> int:
    value = data.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise Invalid(f"{name} must be a positive whole number")
    return value


def decide_generate(state: MeetingState, ctx: Context) -> list[NewEvent]:
    """A new draft version of the minutes, rendered from the log up to ``head_seq``.

    ``ctx.extra`` is the log head hash (read by the command's ``prepare``); a record
    rendered from an older head is refused with ``conflict`` so that it is rendered again.
    """
    _fields(
        ctx.data, {"sha256", "size", "pages", "head_seq", "head_hash", "layout", "number"}, set()
    )
    if state.status is not Status.ENDED:
        raise Conflict("the minutes are generated after the meeting has ended")
    head_seq, head_hash = ctx.data["head_seq"], ctx.data["head_hash"]
    if head_seq != state.seq or head_hash != ctx.extra:
        raise Conflict("the meeting's record changed while the minutes were drawn; generate again")
    layout, number = ctx.data["layout"], ctx.data["number"]
    if layout not in LAYOUTS:
        raise Invalid(f"layout must be one of {', '.join(LAYOUTS)}")
    if not isinstance(number, str) or not NUMBER_PATTERN.match(number):
        raise Invalid("number must be up to 20 characters of 0–9, A–Z, a–z, . / -")
    latest, final = state.minutes.latest, state.minutes.latest_final
    return [
        NewEvent(
            "minutes.generated",
            {
                "version": (latest.version if latest else 0) + 1,
                "sha256": _sha256(ctx.data, "sha256"),
                "size": _count(ctx.data, "size"),
                "pages": _count(ctx.data, "pages"),
                "head_seq": head_seq,
                "head_hash": head_hash,
                "layout": layout,
                "number": number,
                "replaces": final.version if final else None,
            },
        )
    ]


def signing_step(state: MeetingState, role: Role, version: int) -> VersionStatus:
    """The status the version reaches when ``role`` signs it now; raises when it may not."""
    latest = state.minutes.latest
    target = state.minutes.versions.get(version)
    if target is None:
        raise NotFound("no such minutes version")
    if latest is None or latest.version != version:
        raise Conflict("only the newest version of the minutes can be signed")
    after = VERSION_MOVES.get((target.status, role.value))
    if after is None:
        if target.status is VersionStatus.FINAL:
            raise Conflict("these minutes are final; generate a new version to correct them")
        waiting = "the clerk" if target.status is VersionStatus.DRAFT else "the chair"
        if role not in SIGNERS:
            raise NotAllowed("only the clerk and the chair sign the minutes")
        raise Conflict(f"these minutes wait for {waiting}'s signature")
    return after


def decide_sign(state: MeetingState, ctx: Context) -> list[NewEvent]:
    _fields(ctx.data, {"version", "previous_sha256", "sha256", "size"}, set())
    version = _id(ctx.data, "version", nullable=False)
    assert version is not None
    after = signing_step(state, ctx.actor.role, version)
    if _sha256(ctx.data, "previous_sha256") != state.minutes.versions[version].sha256:
        raise Conflict("the minutes changed while they were signed; sign again")
    return [
        NewEvent(
            "minutes.signed",
            {
                "version": version,
                "role": ctx.actor.role.value,
                "sha256": _sha256(ctx.data, "sha256"),
                "size": _count(ctx.data, "size"),
                "status": after.value,
            },
        )
    ]
