"""The Socket.IO hub. Imports nothing of the application; see ``hub.Hub``."""

from realtime.errors import HubError
from realtime.hub import Hub, Identity, meeting_room, session_room
from realtime.origin import OriginPolicy
from realtime.presence import LocalPresence, Presence

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
