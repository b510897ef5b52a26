"""The ephemeral channel's rules: which throw-away signals may be relayed, from whom.

Ephemeral messages are never stored; the settled result is sent as a command. Kinds:
``view`` — the presenter's view while scrolling or zooming (only the presenter or the chair).
"""

from __future__ import annotations

from typing import Any

from ecabinet.canonical import canonical_json
from ecabinet.errors import Invalid, NotAllowed, TooLarge
from ecabinet.meetings.presenting import may_present, parse_view
from ecabinet.meetings.rules import MeetingState, Role

EPHEMERAL_MAX_BYTES = 8 * 1024
KINDS = frozenset({"view"})


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
    if not may_present(state.presenting, user_id, role.value):
        raise NotAllowed("only the presenter (or the chair) moves the shared view")
    view = parse_view(state.documents, raw["data"])
    return {"meeting_id": None, "user_id": user_id, "kind": "view", "data": view.to_wire()}
