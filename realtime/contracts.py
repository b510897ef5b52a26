"""What the hub is handed at composition time, and what it tells its observer.

The hub knows nothing of the application: it calls these protocols with the ``Identity``
of the socket's session. Any ``HubError`` they raise becomes an error ack with its code,
anything else an ``internal`` ack. A ``HubObserver`` must neither block nor raise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Identity:
    user_id: int
    display_name: str
    session_key: str


Publish = Callable[[int, list[dict[str, Any]]], Awaitable[None]]


class Authenticate(Protocol):
    async def __call__(self, environ: dict[str, Any]) -> Identity | None: ...


class Admit(Protocol):
    """Whether this person may join the meeting: returns if so, raises ``HubError`` if not
    (``not-found``: no such meeting, or not on its roster). Called before the socket enters
    any room of the meeting; the cheap part of a join (it reads no log)."""

    async def __call__(self, identity: Identity, meeting_id: int) -> None: ...


class Join(Protocol):
    """The read of a join, once ``Admit`` let the socket into the meeting's rooms: the events
    since ``last_seq``, or a snapshot. It may check access again (and raise ``HubError``)."""

    async def __call__(
        self, identity: Identity, meeting_id: int, last_seq: int | None
    ) -> dict[str, Any]: ...


class SessionAlive(Protocol):
    """Whether the session behind an open socket is still valid."""

    async def __call__(self, identity: Identity) -> bool: ...


class Relay(Protocol):
    """Check an ephemeral message and return the payload to pass on (or raise HubError)."""

    async def __call__(self, identity: Identity, meeting_id: int, raw: Any) -> dict[str, Any]: ...


class Heads(Protocol):
    """The log head (last seq) of each of these meetings, read from the database."""

    async def __call__(self, meeting_ids: list[int]) -> dict[int, int]: ...


class HandleCommand(Protocol):
    """Run one command; its committed events are published by the application (through
    ``publish`` and ``publish_to_user``, after the commit, usually after the ack)."""

    async def __call__(self, identity: Identity, meeting_id: int, raw: Any) -> dict[str, Any]: ...


class SharedSocketCounts(Protocol):
    """Each person's sockets counted over all workers (a Redis-backed count)."""

    async def admit(self, sid: str, user_id: int) -> bool:
        """Count a new socket; False (and not counted) past the limit."""

    async def release(self, sid: str) -> None:
        """The socket is gone (nothing happens for one never admitted)."""


class HubObserver(Protocol):
    """Told what the hub did, for metrics and logs. Must not block or raise."""

    def command(
        self,
        *,
        meeting_id: int,
        user_id: int,
        raw: Any,
        ack: dict[str, Any],
        seconds: float,
    ) -> None:
        """A command was answered with ``ack`` after ``seconds`` (``raw`` as received)."""

    def joined(self, mode: str) -> None:
        """A join was answered: ``events``, ``snapshot`` or an error code."""

    def published(self, events: int, seconds: float) -> None:
        """``events`` committed events were handed to the room emit in ``seconds``."""

    def dropped(self) -> None:
        """A client that read too slowly was disconnected."""


class NoObserver:
    def command(
        self, *, meeting_id: int, user_id: int, raw: Any, ack: dict[str, Any], seconds: float
    ) -> None:
        pass

    def joined(self, mode: str) -> None:
        pass

    def published(self, events: int, seconds: float) -> None:
        pass

    def dropped(self) -> None:
        pass
