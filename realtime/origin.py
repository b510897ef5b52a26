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

    def allows_transport(self, origin: str | None, environ: Mapping[str, Any]) -> bool:
        """Engine.IO's check (``cors_allowed_origins``), which runs before Socket.IO's.

        A websocket handshake passes here and is decided by the hub's connect handler with
        the same policy, which refuses it with ``connect_error`` ``{code: "not-allowed"}``
        and closes it: a client can then tell a foreign origin from a network failure
        (Engine.IO's own refusal is a bare HTTP 403 that a browser reports as a failed
        websocket). Long-polling requests are refused here: a cross-origin page could not
        read their answers anyway."""
        if environ["asgi.scope"].get("type") == "websocket":
            return True
        return self.allows_environ(origin, environ)
