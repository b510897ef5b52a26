"""The minutes sub-state of a meeting: notes, absences, decisions and minutes versions.

Pure: ``apply`` folds one ``minutes.*`` event; it reads no clock and does no I/O. A
version's lifecycle is a table (``VERSION_MOVES``): draft → clerk-signed → final.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class VersionStatus(StrEnum):
    DRAFT = "draft"
    CLERK_SIGNED = "clerk-signed"
    FINAL = "final"


# (status, role that signs) -> status after the signature. Nothing else moves a version.
VERSION_MOVES: Mapping[tuple[VersionStatus, str], VersionStatus] = MappingProxyType(
    {
        (VersionStatus.DRAFT, "clerk"): VersionStatus.CLERK_SIGNED,
        (VersionStatus.CLERK_SIGNED, "chair"): VersionStatus.FINAL,
    }
)

EVENT_TYPES = frozenset(
    {
        "minutes.note_set",
        "minutes.absence_set",
        "minutes.decision_recorded",
        "minutes.decision_updated",
        "minutes.decision_removed",
        "minutes.generated",
        "minutes.signed",
    }
)


@dataclass(frozen=True)
class Note:
    text: str
    updated_at: str
    updated_by: int | None


@dataclass(frozen=True)
class Decision:
    id: int
    item_id: int | None
    text: str
    poll_id: int | None
    recorded_at: str
    recorded_by: int | None
    updated_at: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "item_id": self.item_id,
            "text": self.text,
            "poll_id": self.poll_id,
            "recorded_at": self.recorded_at,
            "recorded_by": self.recorded_by,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class Signature:
    role: str  # "clerk" | "chair"
    user_id: int | None
    at: str
    sha256: str  # the file after this signature


@dataclass(frozen=True)
class Version:
    version: int
    sha256: str  # the current file of this version (after its last signature)
    draft_sha256: str
    size: int
    pages: int
    head_seq: int  # the log head the minutes cover
    head_hash: str
    layout: str
    number: str
    generated_at: str
    generated_by: int | None
    replaces: int | None  # the final version this one corrects
    status: VersionStatus = VersionStatus.DRAFT
    signatures: tuple[Signature, ...] = ()

    def to_wire(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "status": self.status.value,
            "sha256": self.sha256,
            "draft_sha256": self.draft_sha256,
            "size": self.size,
            "pages": self.pages,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "layout": self.layout,
            "number": self.number,
            "generated_at": self.generated_at,
            "generated_by": self.generated_by,
            "replaces": self.replaces,
            "signatures": [
                {"role": s.role, "user_id": s.user_id, "at": s.at, "sha256": s.sha256}
                for s in self.signatures
            ],
        }


@dataclass(frozen=True)
class MinutesState:
    notes: Mapping[int | None, Note] = field(default_factory=dict)  # item id (None: general)
    absences: Mapping[int, str] = field(default_factory=dict)  # user id -> reason
    decisions: Mapping[int, Decision] = field(default_factory=dict)
    next_decision_id: int = 1
    versions: Mapping[int, Version] = field(default_factory=dict)

    @property
    def latest(self) -> Version | None:
        return self.versions[max(self.versions)] if self.versions else None

    @property
    def latest_final(self) -> Version | None:
        finals = [v for v in self.versions.values() if v.status is VersionStatus.FINAL]
        return max(finals, key=lambda v: v.version) if finals else None

    def to_wire(self) -> dict[str, Any]:
        return {
            "notes": [
                {"item_id": k, "text": n.text, "updated_at": n.updated_at}
                for k, n in sorted(self.notes.items(), key=lambda kv: kv[0] or 0)
            ],
            "absences": [{"user_id": k, "reason": r} for k, r in sorted(self.absences.items())],
            "decisions": [d.to_wire() for _, d in sorted(self.decisions.items())],
            "versions": [v.to_wire() for _, v in sorted(self.versions.items())],
        }


def apply(
    state: MinutesState, type_: str, data: Mapping[str, Any], at: str, actor: int | None
) -> MinutesState:
    """Fold one ``minutes.*`` event; other types return ``state`` itself."""
    if type_ == "minutes.note_set":
        notes = dict(state.notes)
        if data["text"]:
            notes[data["item_id"]] = Note(data["text"], at, actor)
        else:
            notes.pop(data["item_id"], None)
        return replace(state, notes=notes)
    if type_ == "minutes.absence_set":
        absences = dict(state.absences)
        if data["reason"] is None:
            absences.pop(data["user_id"], None)
        else:
            absences[data["user_id"]] = data["reason"]
        return replace(state, absences=absences)
    if type_ == "minutes.decision_recorded":
        decision = Decision(
            data["decision_id"], data["item_id"], data["text"], data["poll_id"], at, actor
        )
        decisions = {**state.decisions, decision.id: decision}
        return replace(
            state,
            decisions=decisions,
            next_decision_id=max(state.next_decision_id, decision.id + 1),
        )
    if type_ == "minutes.decision_updated":
        before = state.decisions[data["decision_id"]]
        after = replace(
            before,
            item_id=data["item_id"],
            text=data["text"],
            poll_id=data["poll_id"],
            updated_at=at,
        )
        return replace(state, decisions={**state.decisions, after.id: after})
    if type_ == "minutes.decision_removed":
        decisions = dict(state.decisions)
        del decisions[data["decision_id"]]
        return replace(state, decisions=decisions)
    if type_ == "minutes.generated":
        version = Version(
            version=data["version"],
            sha256=data["sha256"],
            draft_sha256=data["sha256"],
            size=data["size"],
            pages=data["pages"],
            head_seq=data["head_seq"],
            head_hash=data["head_hash"],
            layout=data["layout"],
            number=data["number"],
            generated_at=at,
            generated_by=actor,
            replaces=data["replaces"],
        )
        return replace(state, versions={**state.versions, version.version: version})
    if type_ == "minutes.signed":
        old = state.versions[data["version"]]
        new = replace(
            old,
            sha256=data["sha256"],
            size=data["size"],
            status=VersionStatus(data["status"]),
            signatures=(*old.signatures, Signature(data["role"], actor, at, data["sha256"])),
        )
        return replace(state, versions={**state.versions, new.version: new})
    return state
