"""Follow-the-presenter, as pure rules.

The chair names a presenter (or none). The presenter's settled view — document, page,
zoom and the visible region in PDF page coordinates — is an event, so it is in every
snapshot and a reconnecting tablet lands on it. While the presenter scrolls, intermediate
views travel on the ephemeral channel and are not stored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ecabinet.documents.rules import DocumentsState
from ecabinet.errors import Invalid, NotAllowed, NotFound
from ecabinet.events import NewEvent

ZOOM_MIN_PERCENT = 10
ZOOM_MAX_PERCENT = 800
COORDINATE_LIMIT = 100_000  # PDF user space is at most 14 400 units; anything far past it is junk


@dataclass(frozen=True)
class View:
    document_id: int
    page: int
    zoom: int  # percent
    region: tuple[float, float, float, float] | None  # x0, y0, x1, y1 in PDF points

    def to_wire(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "page": self.page,
            "zoom": self.zoom,
            "region": list(self.region) if self.region else None,
        }


@dataclass(frozen=True)
class PresentingState:
    presenter_id: int | None = None
    view: View | None = None

    def to_wire(self) -> dict[str, Any]:
        return {
            "presenter_id": self.presenter_id,
            "view": self.view.to_wire() if self.view else None,
        }


def may_present(state: PresentingState, user_id: int, role: str) -> bool:
    return role == "chair" or state.presenter_id == user_id


def decide_set_presenter(roster: Mapping[int, str], data: Mapping[str, Any]) -> list[NewEvent]:
    user_id = data.get("user_id")
    if user_id is not None:
        if not isinstance(user_id, int) or isinstance(user_id, bool):
            raise Invalid("user_id must be a whole number or null")
        if user_id not in roster:
            raise NotFound("that person is not on this meeting's roster")
        if roster[user_id] == "observer":
            raise Invalid("observers do not present")
    return [NewEvent("presenter.changed", {"user_id": user_id})]


def parse_view(documents: DocumentsState, data: Mapping[str, Any]) -> View:
    """Validate a view payload against the meeting's documents (also used for ephemeral views)."""
    document_id, page, zoom = data.get("document_id"), data.get("page"), data.get("zoom", 100)
    for name, value in (("document_id", document_id), ("page", page), ("zoom", zoom)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise Invalid(f"{name} must be a whole number")
    assert isinstance(document_id, int) and isinstance(page, int) and isinstance(zoom, int)
    document = documents.documents.get(document_id)
    if document is None:
        raise NotFound("no such document")
    if not 1 <= page <= document.pages:
        raise Invalid(f"page must be between 1 and {document.pages}")
    if not ZOOM_MIN_PERCENT <= zoom <= ZOOM_MAX_PERCENT:
        raise Invalid(f"zoom must be between {ZOOM_MIN_PERCENT} and {ZOOM_MAX_PERCENT} percent")
    return View(document_id, page, zoom, _region(data.get("region")))


def _region(raw: Any) -> tuple[float, float, float, float] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) != 4:
        raise Invalid("region is [x0, y0, x1, y1] in PDF points, or null")
    values = []
    for value in raw:
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            raise Invalid("region coordinates must be finite numbers")
        if abs(value) > COORDINATE_LIMIT:
            raise Invalid("region coordinates are out of range")
        values.append(round(float(value), 2))
    x0, y0, x1, y1 = values
    if x1 <= x0 or y1 <= y0:
        raise Invalid("region must have x0 < x1 and y0 < y1")
    return (x0, y0, x1, y1)


def decide_view(
    state: PresentingState,
    documents: DocumentsState,
    user_id: int,
    role: str,
    data: Mapping[str, Any],
) -> list[NewEvent]:
    if not may_present(state, user_id, role):
        raise NotAllowed("only the presenter (or the chair) moves the shared view")
    view = parse_view(documents, data)
    return [NewEvent("presenter.view_changed", view.to_wire())]


def apply_presenter_changed(state: PresentingState, data: Mapping[str, Any]) -> PresentingState:
    return PresentingState(data["user_id"], state.view)


def apply_view_changed(data: Mapping[str, Any], presenter_id: int | None) -> PresentingState:
    region = data["region"]
    view = View(data["document_id"], data["page"], data["zoom"], tuple(region) if region else None)
    return PresentingState(presenter_id, view)
