"""Canonical JSON and text normalization.

Canonical JSON is the byte form the event hash is computed over: UTF-8, keys sorted,
no insignificant white space, no NaN or infinity. Every text that enters the system is
normalized to Unicode NFC first, so "Nguyễn" typed on any keyboard hashes the same.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

JsonValue = Any  # JSON-compatible value: dict, list, str, int, float, bool, None


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
