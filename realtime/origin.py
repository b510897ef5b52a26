"""Which browser origins may open the socket (and call the API with a cookie).

With an explicit allow-list, the Origin must be one of its entries exactly. Without one,
only the server's own origin is allowed: the Origin's host[:port] must equal the Host
header. A request without an Origin header is not a cross-site browser request (browsers
always send Origin on websocket handshakes and cross-origin requests), so it passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit


class OriginPolicy:
    def __init__(self, allowed: tuple[str, ...] = ()) -> None:
        self.allowed = frozenset(o.rstrip("/").lower() for o in allowed)

    def allows(self, origin: str | None, host: str | None) -> bool:
        if origin is None:
            return True
        origin = origin.strip().rstrip("/").lower()
        if self.allowed:
            return origin in self.allowed
        parts = urlsplit(origin)
        return (
            parts.scheme in ("http", "https")
            and bool(host)
            and parts.netloc == (host or "").lower()
        )

    def allows_environ(self, origin: str | None, environ: Mapping[str, Any]) -> bool:
        """The Engine.IO form (``cors_allowed_origins`` callable)."""
        return self.allows(origin, environ.get("HTTP_HOST"))
