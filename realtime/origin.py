"""Which browser origins may open the socket (and call the API with a cookie).

With an explicit allow-list, the Origin must be one of its entries exactly. Without one,
only the server's own origin is allowed: the Origin must equal ``scheme://host[:port]`` of
the request itself, the scheme included (``http://host`` is refused on an https site). The
scheme is the connection's, or, behind a trusted proxy that ends TLS, the one its
``X-Forwarded-Proto`` names (see ``realtime.forwarded``). A request without an Origin header
is not a cross-site browser request (browsers always send Origin on websocket handshakes and
cross-origin requests), so it passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from realtime.forwarded import TrustedProxies


class OriginPolicy:
    def __init__(
        self, allowed: tuple[str, ...] = (), proxies: TrustedProxies | None = None
    ) -> None:
        self.allowed = frozenset(o.rstrip("/").lower() for o in allowed)
        self.proxies = proxies or TrustedProxies()

    def allows(self, origin: str | None, host: str | None, scheme: str) -> bool:
        """``scheme`` is what the browser used for this request: "http" or "https"."""
        if origin is None:
            return True
        origin = origin.strip().rstrip("/").lower()
        if self.allowed:
            return origin in self.allowed
        return bool(host) and origin == f"{scheme}://{(host or '').strip().lower()}"

    def allows_scope(self, origin: str | None, scope: Mapping[str, Any]) -> bool:
        """The same for an ASGI scope: its Host header and the client's scheme."""
        host = next(
            (v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"host"), None
        )
        return self.allows(origin, host, self.proxies.client(scope).scheme)

    def allows_environ(self, origin: str | None, environ: Mapping[str, Any]) -> bool:
        """The Engine.IO form (``cors_allowed_origins`` callable); its environ keeps the
        ASGI scope (its ``wsgi.url_scheme`` copies X-Forwarded-Proto from anyone)."""
        return self.allows_scope(origin, environ["asgi.scope"])
