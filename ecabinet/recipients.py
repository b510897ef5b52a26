"""Who receives which copy of a meeting's committed events.

Everyone gets each event, except that a private annotation's event goes whole to its owner
only and redacted (seq and hash) to every other person on the roster and to the room
display. ``copies`` says so once, for the publication after a commit and for the events a
worker reads back from the log to close a gap (``realtime.ordering``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ecabinet.annotations import rules as annotation_rules
from ecabinet.events import Event
from ecabinet.meetings import display_links

Copy = tuple[int | None, list[dict[str, Any]]]  # (person, or None for everyone; wire events)


def copies(meeting_id: int, events: Iterable[Event], roster_ids: Iterable[int]) -> list[Copy]:
    """The messages that publish ``events``, in order: runs of public events to everyone,
    each private event to every person, as that person may see it."""
    found: list[Copy] = []
    public: list[dict[str, Any]] = []
    people = {*roster_ids, display_links.display_user_id(meeting_id)}
    for event in events:
        if annotation_rules.visible_to(event, None):
            public.append(event.to_wire())
            continue
        if public:
            found.append((None, public))
            public = []
        found.extend((uid, [annotation_rules.wire_for(event, uid)]) for uid in sorted(people))
    if public:
        found.append((None, public))
    return found
