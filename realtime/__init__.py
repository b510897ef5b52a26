"""The Socket.IO hub. Imports nothing of the application; see ``hub.Hub``.

Client → server events (each with an ack):
    join  {meeting_id, last_seq|null}  → {"ok": true, "mode": "snapshot"|"events", ...}
    leave {}                           → {"ok": true}
    cmd   {id, type, data}             → {"ok": true, "seq": n} | {"ok": false, "error": {...}}
    ephemeral {kind, data}             → {"ok": true}; relayed to the others, never stored
Server → client events:
    event     one committed event of the joined meeting, in commit order per worker
    events    {meeting_id, events: [...]}: several committed events in one message, in order
    presence  {meeting_id, changes: [{user_id, display_name, devices}, ...]}: the people
              whose devices in the meeting changed (devices [] = gone), a quarter of a
              second's worth at a time; the join answer holds everyone's (``presence``)
    ephemeral a relayed throw-away signal {meeting_id, user_id, kind, data}
    head      {meeting_id, seq}: the log head, every few seconds (``beacon_forever``), so
              that a client that missed the last events (a publication lost between
              workers) notices the gap
    resync-required {reason}: this socket's messages were dropped (it read too slowly,
              see ``backpressure``); it is disconnected next and joins again with last_seq
    session-ended {}: the socket's sign-in session ended; the socket is closed next

docs/protocol.md describes every message in full.
"""

from realtime.contracts import Identity
from realtime.errors import HubError
from realtime.hub import Hub
from realtime.origin import OriginPolicy
from realtime.presence import LocalPresence, Presence
from realtime.rooms import meeting_room, session_room

__all__ = [
    "Hub",
    "HubError",
    "Identity",
    "LocalPresence",
    "OriginPolicy",
    "Presence",
    "meeting_room",
    "session_room",
]
