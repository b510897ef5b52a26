"""Errors the hub turns into ``{"ok": false, "error": {"code", "message", "data"?}}`` acks.

Any exception that subclasses ``HubError`` is sent to the client with its ``code``;
every other exception is logged and sent as ``internal``.
"""

from __future__ import annotations

from typing import Any


class HubError(Exception):
    """A refusal the client may see: a stable ``code``, a human ``message`` and, for some
    codes, structured ``data`` (JSON: e.g. the numbers of a missing quorum)."""

    code = "internal"
    data: dict[str, Any] | None = None

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data:
            wire["data"] = self.data
        return wire
