"""The ephemeral channel's rules: which throw-away signals may be relayed, from whom.

Ephemeral messages are never stored; the settled result is sent as a command. Kinds:
``view`` — the presenter's view while scrolling or zooming (only the presenter or the chair);
``ink`` — a shared stroke while it is drawn (anyone on the roster; a private stroke is never
sent, so it cannot leak): ``{document_id, page, stroke, points, color, width}``, where
``stroke`` is the drawer's own id for the stroke and ``points`` the points since the last
message (at most ``INK_POINTS_PER_MESSAGE``);
``remind`` — the chair or the clerk reminds those who have not voted in an open poll:
``{poll_id}``. Each tablet decides from its own state whether it has a vote to cast there;
like every ephemeral message it is not logged (a reminder changes nothing that counts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ecabinet.annotations import shapes
from ecabinet.canonical import canonical_json
from ecabinet.errors import Conflict, Invalid, NotAllowed, NotFound, TooLarge
from ecabinet.meetings.presenting import may_present, parse_view
from ecabinet.meetings.rules import MeetingState, Role

EPHEMERAL_MAX_BYTES = 8 * 1024
INK_POINTS_PER_MESSAGE = 200
STROKE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
KINDS = frozenset({"view", "ink", "remind"})
REMINDERS = frozenset({Role.CHAIR, Role.CLERK})  # who may remind the voters of a poll


def check(state: MeetingState, user_id: int, role: Role, raw: Any) -> dict[str, Any]:
    """The payload to relay, or an error; ``raw`` is ``{kind, data}`` from the client."""
    if (
        not isinstance(raw, dict)
        or raw.get("kind") not in KINDS
        or not isinstance(raw.get("data"), dict)
    ):
        raise Invalid(
            f"ephemeral messages are {{kind, data}} with kind one of: {', '.join(sorted(KINDS))}"
        )
    try:
        if len(canonical_json(raw)) > EPHEMERAL_MAX_BYTES:
            raise TooLarge(f"an ephemeral message may have at most {EPHEMERAL_MAX_BYTES} bytes")
    except ValueError as exc:
        raise Invalid("the message is not valid JSON") from exc
    if raw["kind"] == "view":
        if not may_present(state.presenting, user_id, role.value):
            raise NotAllowed("only the presenter (or the chair) moves the shared view")
        data = parse_view(state.documents, raw["data"]).to_wire()
    elif raw["kind"] == "remind":
        data = _remind(state, role, raw["data"])
    else:
        data = _ink(state, raw["data"])
    return {"meeting_id": None, "user_id": user_id, "kind": raw["kind"], "data": data}


def _remind(state: MeetingState, role: Role, data: Mapping[str, Any]) -> dict[str, Any]:
    if role not in REMINDERS:
        raise NotAllowed("only the chair or the clerk reminds the voters")
    poll_id = data.get("poll_id")
    if set(data) != {"poll_id"} or not isinstance(poll_id, int) or isinstance(poll_id, bool):
        raise Invalid("a reminder is {poll_id}")
    poll = state.voting.polls.get(poll_id)
    if poll is None:
        raise NotFound("no such poll")
    if poll.status.value != "open":
        raise Conflict("only an open poll has voters to remind")
    return {"poll_id": poll_id}


def _ink(state: MeetingState, data: Mapping[str, Any]) -> dict[str, Any]:
    document_id, page, stroke = data.get("document_id"), data.get("page"), data.get("stroke")
    document = state.documents.documents.get(document_id) if isinstance(document_id, int) else None
    if document is None:
        raise NotFound("no such document")
    if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= document.pages:
        raise Invalid(f"page must be between 1 and {document.pages}")
    if not isinstance(stroke, str) or not STROKE_ID_PATTERN.match(stroke):
        raise Invalid("stroke is the drawer's id for the stroke (1–64 of A–Z a–z 0–9 _ . : -)")
    points = shapes.points(data.get("points"))
    if len(points) > INK_POINTS_PER_MESSAGE:
        raise Invalid(f"send at most {INK_POINTS_PER_MESSAGE} points a message")
    return {
        "document_id": document.id,
        "page": page,
        "stroke": stroke,
        "points": points,
        "color": shapes.color(data.get("color", "#d32f2f")),
        "width": shapes.number(data.get("width", 2), "width", shapes.WIDTH_MIN, shapes.WIDTH_MAX),
    }
