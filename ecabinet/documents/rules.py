"""Documents in a meeting, as pure rules: adding and replacing versions.

The bytes are ingested over HTTP before the command is decided; the command carries what
ingest found (hash, size, pages) and the meeting's storage quota. Every check of an upload
is made here, under the meeting's lock, so that two uploads cannot pass the quota together
and nothing is stored for a refused one (``storage.record_added`` runs only on acceptance).
A replaced document keeps its id and stays readable; its successor names it in
``replaces_id`` so tablets showing the old one can say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ecabinet.errors import Conflict, Invalid, NotFound, QuotaExceeded
from ecabinet.events import NewEvent

TITLE_MAX_CHARS = 300
FILENAME_MAX_CHARS = 255


@dataclass(frozen=True)
class Document:
    id: int
    title: str
    filename: str
    pages: int
    sha256: str
    size: int
    version: int
    item_id: int | None
    added_at: str
    added_by: int | None
    replaces_id: int | None = None
    replaced_by: int | None = None

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "filename": self.filename,
            "pages": self.pages,
            "sha256": self.sha256,
            "size": self.size,
            "version": self.version,
            "item_id": self.item_id,
            "added_at": self.added_at,
            "added_by": self.added_by,
            "replaces_id": self.replaces_id,
            "replaced_by": self.replaced_by,
        }


@dataclass(frozen=True)
class DocumentsState:
    documents: Mapping[int, Document] = field(default_factory=dict)
    next_id: int = 1  # ids are assigned by the fold, so a replay gives the same ids

    @property
    def stored_bytes(self) -> int:
        """What counts against the quota: every version of every document."""
        return sum(d.size for d in self.documents.values())

    def to_wire(self) -> list[dict[str, Any]]:
        return [d.to_wire() for _, d in sorted(self.documents.items())]


def _text(data: Mapping[str, Any], name: str, max_chars: int) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > max_chars:
        raise Invalid(f"{name} must be text of 1–{max_chars} characters")
    return value.strip()


def _optional_id(data: Mapping[str, Any], name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise Invalid(f"{name} must be a positive whole number")
    return value


def decide_add(
    state: DocumentsState, data: Mapping[str, Any], item_exists: bool | None
) -> list[NewEvent]:
    """``item_exists``: whether ``data["item_id"]`` names an agenda item (None: none given).
    ``data["quota_bytes"]``: the meeting's storage quota, filled in by the server."""
    title = _text(data, "title", TITLE_MAX_CHARS)
    filename = _text(data, "filename", FILENAME_MAX_CHARS)
    sha256, size, pages = data.get("sha256"), data.get("size"), data.get("pages")
    quota = data.get("quota_bytes")
    if not (
        isinstance(sha256, str)
        and len(sha256) == 64
        and isinstance(size, int)
        and isinstance(pages, int)
        and isinstance(quota, int)
    ):
        raise Invalid("document.add needs the ingest result (sha256, size, pages) and the quota")
    item_id, replaces_id = _optional_id(data, "item_id"), _optional_id(data, "replaces_id")
    if item_id is not None and not item_exists:
        raise NotFound("no such agenda item")
    version = 1
    if replaces_id is not None:
        old = state.documents.get(replaces_id)
        if old is None:
            raise NotFound("no such document to replace")
        if old.replaced_by is not None:
            raise Conflict("that document was already replaced; replace its newest version")
        version = old.version + 1
        item_id = old.item_id if item_id is None else item_id
    if state.stored_bytes + size > quota:
        raise QuotaExceeded(f"the meeting's documents may take at most {quota} bytes together")
    return [
        NewEvent(
            "document.added",
            {
                "document_id": state.next_id,
                "title": title,
                "filename": filename,
                "pages": pages,
                "sha256": sha256,
                "size": size,
                "version": version,
                "item_id": item_id,
                "replaces_id": replaces_id,
            },
        )
    ]


def apply_added(
    state: DocumentsState, data: Mapping[str, Any], at: str, actor_id: int | None
) -> DocumentsState:
    document = Document(
        id=data["document_id"],
        title=data["title"],
        filename=data["filename"],
        pages=data["pages"],
        sha256=data["sha256"],
        size=data["size"],
        version=data["version"],
        item_id=data["item_id"],
        added_at=at,
        added_by=actor_id,
        replaces_id=data["replaces_id"],
    )
    documents = dict(state.documents)
    documents[document.id] = document
    if document.replaces_id is not None:
        documents[document.replaces_id] = replace(
            documents[document.replaces_id], replaced_by=document.id
        )
    return DocumentsState(documents, max(state.next_id, document.id + 1))
