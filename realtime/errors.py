"""Errors the hub turns into ``{"ok": false, "error": {"code", "message"}}`` acks.

Any exception that subclasses ``HubError`` is sent to the client with its ``code``;
every other exception is logged and sent as ``internal``.
"""

from __future__ import annotations


class HubError(Exception):
    """A refusal the client may see: a stable ``code`` and a human ``message``."""

    code = "internal"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def to_wire(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}
