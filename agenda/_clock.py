"""Time arithmetic on ISO 8601 strings. The state holds only strings; nothing reads a clock.

Durations are whole numbers (milliseconds inside, seconds on the wire): event data must be
JSON without floats. A negative difference (an earlier ``now`` from a skewed worker) counts
as zero rather than producing a negative timer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

ONE_MILLISECOND = timedelta(milliseconds=1)
MS_PER_SEC = 1000


def instant(text: str) -> datetime:
    """Parse ``2026-11-25T08:00:00.000Z``; raises ``ValueError`` for a malformed or naive time."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"time without a UTC offset: {text!r}")
    return moment


def millis_between(start: str, end: str) -> int:
    """Whole milliseconds from ``start`` to ``end``, never negative."""
    return max(0, (instant(end) - instant(start)) // ONE_MILLISECOND)


def secs_between(start: str, end: str) -> int:
    """Whole seconds from ``start`` to ``end`` (rounded down), never negative."""
    return millis_between(start, end) // MS_PER_SEC
