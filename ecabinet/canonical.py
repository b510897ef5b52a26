"""Canonical JSON and text normalization.

Two canonical forms. ``jcs`` is RFC 8785 (JSON Canonicalization Scheme): the form hash rule 2
of the event log is computed over, which any language's JSON parser plus a JCS library
reproduces from the parsed events (numbers are written as ECMAScript writes them: ``120.0``
is ``120``). ``canonical_json`` (UTF-8, keys sorted, no insignificant white space, no NaN or
infinity) is the form of hash rule 1, kept unchanged so that the chains written under it
stay verifiable, and the form stored rows and the attached record are written in. Every
text that enters the system is normalized to Unicode NFC first, so "Nguyễn" typed on any
keyboard hashes the same.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import rfc8785

JsonValue = Any  # JSON-compatible value: dict, list, str, int, float, bool, None
# The largest integer every JSON parser holds exactly (a double's 53-bit mantissa; RFC 7493
# I-JSON), and so the largest RFC 8785 writes.
I_JSON_INT_MAX = 2**53 - 1


def nfc(value: JsonValue) -> JsonValue:
    """Return ``value`` with every string (keys included) in NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [nfc(v) for v in value]
    return value


def canonical_json(value: JsonValue) -> bytes:
    """Serialize ``value`` canonically; raises ``ValueError`` for non-JSON values."""
    try:
        text = json.dumps(
            value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
        )
    except TypeError as exc:
        raise ValueError(str(exc)) from exc
    return text.encode("utf-8")


def jcs(value: JsonValue) -> bytes:
    """RFC 8785 canonical form of ``value``; raises ``ValueError`` for what I-JSON cannot
    hold exactly (integers beyond ±(2**53 − 1), NaN, infinity, non-string keys)."""
    return rfc8785.dumps(value)


def fits_i_json(value: JsonValue) -> bool:
    """Whether every integer in ``value`` lies within ±``I_JSON_INT_MAX``. A walk, not a
    serialization: the cheap check a command gets before its events are hashed with ``jcs``."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, int) and abs(item) > I_JSON_INT_MAX:
            return False
    return True
