"""Bounds on what a client's message may hold, checked before anything reads it.

Every payload the hub is sent (``join``, ``leave``, ``cmd``, ``ephemeral``) passes
``refusal`` first; a payload it refuses is answered ``invalid`` and nothing else happens:

- nesting at most ``PAYLOAD_MAX_DEPTH`` objects and lists deep. The deepest message of the
  protocol (an ink stroke: ``{data: {points: [[x, y]]}}``) is four deep; the code that
  reads payloads (Unicode normalization, canonical JSON) walks them recursively, and
  Python's recursion limit would turn a deep enough payload into a crash;
- whole numbers within ±``WHOLE_NUMBER_MAX``, the range of the database's integer columns
  (PostgreSQL ``integer``; SQLite overflows past 2⁶³): an id, seq or count outside it can
  name nothing and would fail in the database driver rather than be refused.

``TOO_DEEP`` stands for a payload too deep even to decode (``codec``): it is refused the
same way.
"""

from __future__ import annotations

from typing import Any, Final

PAYLOAD_MAX_DEPTH = 32  # levels of objects and lists in one message's payload
WHOLE_NUMBER_MAX = 2**31 - 1  # PostgreSQL integer: every id, seq and count fits


class _TooDeep:
    """The payload of an event whose frame was nested too deeply to decode."""

    def __repr__(self) -> str:
        return "TOO_DEEP"


TOO_DEEP: Final = _TooDeep()


def refusal(value: Any) -> str | None:
    """Why ``value`` (a decoded payload) is refused, or None when it is within bounds.

    Iterative, and it stops at the first level past the bound, so a payload costs at most
    one visit per node whatever its shape."""
    if value is TOO_DEEP:
        return _too_deep()
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            if level >= PAYLOAD_MAX_DEPTH:
                return _too_deep()
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
        elif (
            isinstance(item, int)
            and not isinstance(item, bool)
            and not -WHOLE_NUMBER_MAX <= item <= WHOLE_NUMBER_MAX
        ):
            return f"whole numbers must be between -{WHOLE_NUMBER_MAX} and {WHOLE_NUMBER_MAX}"
    return None


def _too_deep() -> str:
    return f"the payload is nested more than {PAYLOAD_MAX_DEPTH} levels deep"
