"""The JSON codec Socket.IO and Engine.IO frames are decoded with.

Pass it as ``socketio.AsyncServer(json=codec)``: python-socketio and python-engineio then
encode and decode every packet with ``dumps`` and ``loads`` (and the Redis client manager
its messages).

It decodes as python-engineio's own codec does (whole numbers of at most
``INT_MAX_DIGITS`` digits), with one difference. Python's ``json`` raises
``RecursionError``, not ``ValueError``, on input nested deeper than the interpreter's
recursion limit (about 1 000 levels): the libraries log it with a traceback and the sender
never gets an answer. Here such a frame is decoded, when it is a Socket.IO event, as
``[event, TOO_DEEP]``, which the hub answers ``invalid`` like any other payload nested too
deeply (``payload``); any other frame too deep to decode raises ``ValueError``, the
libraries' "cannot decode" (and the connection is closed: ``intake``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from realtime.payload import TOO_DEEP

INT_MAX_DIGITS = 100  # a longer whole number is not decoded (as python-engineio's codec)

# The start of a Socket.IO event's data: ``["<event name>", ...``.
_EVENT_HEAD = re.compile(r'\s*\[\s*"([A-Za-z0-9_.:-]{1,64})"\s*,')


def dumps(value: Any, **kwargs: Any) -> str:
    return json.dumps(value, **kwargs)


def loads(text: str | bytes, **kwargs: Any) -> Any:
    kwargs.setdefault("parse_int", _whole_number)
    try:
        return json.loads(text, **kwargs)
    except RecursionError:
        head = _EVENT_HEAD.match(text) if isinstance(text, str) else None
        if head is None:
            raise ValueError("the frame is nested too deeply to decode") from None
        return [head.group(1), TOO_DEEP]


def _whole_number(digits: str) -> int:
    if len(digits) > INT_MAX_DIGITS:
        raise ValueError(f"a whole number may have at most {INT_MAX_DIGITS} digits")
    return int(digits)
