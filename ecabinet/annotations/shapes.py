"""Validation of what an annotation draws, in PDF page coordinates (points, origin at the
bottom left, as pdf.js's ``convertToPdfPoint`` gives them), so a mark lines up at any zoom."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from ecabinet.errors import Invalid

KINDS = frozenset({"ink", "highlight", "note"})
COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
INK_POINTS_MAX = 5000  # raw input points of one stroke
HIGHLIGHT_RECTS_MAX = 200
NOTE_TEXT_MAX_CHARS = 2000
WIDTH_MIN, WIDTH_MAX = 0.25, 50.0  # stroke width in PDF points
COORDINATE_LIMIT = 14_400  # the largest PDF page side, in points


def number(
    value: Any, name: str, low: float = -COORDINATE_LIMIT, high: float = COORDINATE_LIMIT
) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise Invalid(f"{name} must be a finite number")
    if not low <= value <= high:
        raise Invalid(f"{name} must be between {low} and {high}")
    return round(float(value), 2)


def points(raw: Any) -> list[list[float]]:
    """Ink: ``[[x, y], …]`` or ``[[x, y, pressure], …]`` with pressure in 0–1."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= INK_POINTS_MAX:
        raise Invalid(f"points is a list of 1–{INK_POINTS_MAX} [x, y] or [x, y, pressure]")
    parsed = []
    for point in raw:
        if not isinstance(point, list) or len(point) not in (2, 3):
            raise Invalid("each point is [x, y] or [x, y, pressure]")
        xy = [number(point[0], "x"), number(point[1], "y")]
        parsed.append([*xy, number(point[2], "pressure", 0, 1)] if len(point) == 3 else xy)
    return parsed


def rects(raw: Any) -> list[list[float]]:
    """Highlight: ``[[x0, y0, x1, y1], …]`` (the text boxes it covers)."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= HIGHLIGHT_RECTS_MAX:
        raise Invalid(f"rects is a list of 1–{HIGHLIGHT_RECTS_MAX} [x0, y0, x1, y1]")
    parsed = []
    for rect in raw:
        if not isinstance(rect, list) or len(rect) != 4:
            raise Invalid("each rect is [x0, y0, x1, y1]")
        x0, y0, x1, y1 = (number(v, "rect coordinate") for v in rect)
        if x1 <= x0 or y1 <= y0:
            raise Invalid("each rect has x0 < x1 and y0 < y1")
        parsed.append([x0, y0, x1, y1])
    return parsed


def text(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip() or len(raw) > NOTE_TEXT_MAX_CHARS:
        raise Invalid(f"text has 1–{NOTE_TEXT_MAX_CHARS} characters")
    return raw.strip()


def anchor(raw: Any) -> list[float]:
    if not isinstance(raw, list) or len(raw) != 2:
        raise Invalid("anchor is [x, y]")
    return [number(raw[0], "x"), number(raw[1], "y")]


def color(raw: Any) -> str:
    if not isinstance(raw, str) or not COLOR_PATTERN.match(raw):
        raise Invalid("color is #rrggbb")
    return raw.lower()


# Which payload fields each kind has, and how each is checked.
FIELDS: Mapping[str, Mapping[str, Any]] = {
    "ink": {
        "points": points,
        "color": color,
        "width": lambda v: number(v, "width", WIDTH_MIN, WIDTH_MAX),
    },
    "highlight": {"rects": rects, "color": color},
    "note": {"text": text, "anchor": anchor, "color": color},
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "ink": ("points",),
    "highlight": ("rects",),
    "note": ("text", "anchor"),
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "ink": {"color": "#d32f2f", "width": 2.0},
    "highlight": {"color": "#ffeb3b"},
    "note": {"color": "#fbc02d"},
}


def shape(kind: str, data: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """The checked drawing fields of ``kind`` found in ``data`` (all required ones unless
    ``partial``); any other field is refused."""
    checks = FIELDS[kind]
    unknown = set(data) - set(checks)
    if unknown:
        raise Invalid(f"a {kind} annotation has no {', '.join(sorted(map(str, unknown)))}")
    found = {name: check(data[name]) for name, check in checks.items() if name in data}
    if not partial:
        missing = [n for n in REQUIRED[kind] if n not in found]
        if missing:
            raise Invalid(f"a {kind} annotation needs {', '.join(missing)}")
        found = {**DEFAULTS[kind], **found}
    return found
