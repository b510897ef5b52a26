"""Flood limits of the hub: commands and ephemeral messages per connection and per user,
and sockets per user.

Each kind of message has two token buckets: one per connection (one runaway tablet) and one
per user (the same person on several tablets, or a script opening many sockets). A message
is let through only when both have a token; a refused one takes none, so one flooding
connection does not use up its owner's other tablets. A refusal is answered with
``rate-limited`` and the connection is kept; nobody else is affected.

The buckets are per worker process: with N workers behind a proxy a user's sockets on
different workers have buckets of their own. The sockets per user are counted here and,
with Redis, over all workers too (the hub's ``shared_sockets``,
ecabinet/connection_counts.py).

Time is monotonic seconds: ``Throttle.take`` is given ``now``, and ``HubLimiter`` reads it
from its ``clock`` (``time.monotonic`` unless a test passes its own), so tests are exact.

These defaults are the documented ones (README, docs/protocol.md); ``ecabinet.config``
takes its ``ECABINET_*`` defaults from here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

COMMANDS_PER_SEC_CONNECTION = 20
COMMANDS_PER_SEC_USER = 40
# A full command bucket holds this many seconds' worth (bursts of 3×): a tablet's join sends
# a few commands at once, and tests send 50.
COMMANDS_BURST_SECS = 3
COMMANDS_BURST_CONNECTION = COMMANDS_BURST_SECS * COMMANDS_PER_SEC_CONNECTION
COMMANDS_BURST_USER = COMMANDS_BURST_SECS * COMMANDS_PER_SEC_USER
EPHEMERAL_PER_SEC_CONNECTION = 30  # a stroke or a scroll: at most this many updates a second
EPHEMERAL_PER_SEC_USER = 60  # two tablets drawing at once
EPHEMERAL_BURST_SECS = 1  # a full ephemeral bucket holds one second's worth
EPHEMERAL_BURST_CONNECTION = EPHEMERAL_BURST_SECS * EPHEMERAL_PER_SEC_CONNECTION
EPHEMERAL_BURST_USER = EPHEMERAL_BURST_SECS * EPHEMERAL_PER_SEC_USER
CONNECTIONS_PER_USER = 10  # tablets, laptops and phones of one person, in the installation


@dataclass(frozen=True)
class Rate:
    per_sec: float
    burst: int


@dataclass(frozen=True)
class HubLimits:
    commands_connection: Rate = Rate(COMMANDS_PER_SEC_CONNECTION, COMMANDS_BURST_CONNECTION)
    commands_user: Rate = Rate(COMMANDS_PER_SEC_USER, COMMANDS_BURST_USER)
    ephemeral_connection: Rate = Rate(EPHEMERAL_PER_SEC_CONNECTION, EPHEMERAL_BURST_CONNECTION)
    ephemeral_user: Rate = Rate(EPHEMERAL_PER_SEC_USER, EPHEMERAL_BURST_USER)
    connections_per_user: int = CONNECTIONS_PER_USER


@dataclass
class TokenBucket:
    """``rate.per_sec`` tokens a second, at most ``rate.burst`` saved up; starts full."""

    rate: Rate
    tokens: float = -1.0
    last: float | None = None

    def refill(self, now: float) -> float:
        if self.last is None:
            self.tokens = float(self.rate.burst)
        else:
            elapsed = max(0.0, now - self.last)
            self.tokens = min(float(self.rate.burst), self.tokens + elapsed * self.rate.per_sec)
        self.last = now
        return self.tokens


@dataclass
class Throttle:
    """One kind of message: a bucket per connection and one per user."""

    connection: Rate
    user: Rate
    _by_sid: dict[str, TokenBucket] = field(default_factory=dict)
    _by_user: dict[int, TokenBucket] = field(default_factory=dict)

    def take(self, sid: str, user_id: int, now: float) -> str | None:
        """None when the message may pass (a token is taken from both buckets), else
        ``"connection"`` or ``"user"``: the bucket that is empty (nothing is taken)."""
        mine = self._by_sid.setdefault(sid, TokenBucket(self.connection))
        theirs = self._by_user.setdefault(user_id, TokenBucket(self.user))
        if mine.refill(now) < 1:
            return "connection"
        if theirs.refill(now) < 1:
            return "user"
        mine.tokens -= 1
        theirs.tokens -= 1
        return None

    def forget(self, sid: str, user_id: int | None) -> None:
        self._by_sid.pop(sid, None)
        if user_id is not None:
            self._by_user.pop(user_id, None)


class HubLimiter:
    """The hub's limits and the counts they are checked against (one per process).

    ``take_command`` and ``take_ephemeral`` read the time from ``clock`` (monotonic
    seconds); they answer as ``Throttle.take`` does."""

    def __init__(
        self, limits: HubLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or HubLimits()
        self.clock = clock
        self.commands = Throttle(self.limits.commands_connection, self.limits.commands_user)
        self.ephemeral = Throttle(self.limits.ephemeral_connection, self.limits.ephemeral_user)
        self._sockets: dict[int, set[str]] = {}

    def take_command(self, sid: str, user_id: int) -> str | None:
        """A command or a join: None when it may pass, else the empty bucket's scope."""
        return self.commands.take(sid, user_id, self.clock())

    def take_ephemeral(self, sid: str, user_id: int) -> str | None:
        """An ephemeral message: None when it may pass, else the empty bucket's scope."""
        return self.ephemeral.take(sid, user_id, self.clock())

    def admit(self, sid: str, user_id: int) -> bool:
        """Count a new socket of this user; False (and not counted) past the limit."""
        sids = self._sockets.setdefault(user_id, set())
        if len(sids) >= self.limits.connections_per_user:
            return False
        sids.add(sid)
        return True

    def release(self, sid: str, user_id: int) -> None:
        """The socket is gone; a user's buckets go with their last socket."""
        sids = self._sockets.get(user_id, set())
        sids.discard(sid)
        last = not sids
        if last:
            self._sockets.pop(user_id, None)
        self.commands.forget(sid, user_id if last else None)
        self.ephemeral.forget(sid, user_id if last else None)

    def sockets_of(self, user_id: int) -> int:
        return len(self._sockets.get(user_id, ()))
