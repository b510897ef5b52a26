"""Who is on the other end of a request: the client's address and the scheme it used.

The connection's peer is the client, unless the peer is a **trusted proxy** (a network of
``TrustedProxies``; none by default). Only then are ``X-Forwarded-For`` and
``X-Forwarded-Proto`` read; from anyone else they are ignored, since a client can send
whatever it likes in them.

``X-Forwarded-For`` is read from the right: each proxy appends the address of its own peer,
so the last entry was written by the peer, the one before by that proxy, and so on. The walk
steps left while the current hop is trusted; the first untrusted hop is the client. If an
entry is not an IP address the walk stops at the proxy that passed it on (nothing to its left
can be read), so a garbled header never yields an address the client chose.

``X-Forwarded-Proto`` gives the scheme the browser used (a proxy ending TLS speaks plain HTTP
to the server). With one value, that value; with a list (each proxy appending), the entry at
the client's hop counted from the right, else the leftmost. Values other than http, https,
ws and wss are ignored.

The server that runs the application must not rewrite the peer itself: ``ecabinet serve``
runs uvicorn with ``proxy_headers=False`` (uvicorn would otherwise trust these headers from
127.0.0.1 and replace the peer before the application sees it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from typing import Any

ProxyNetwork = IPv4Network | IPv6Network
IPAddress = IPv4Address | IPv6Address

UNKNOWN_ADDRESS = "unknown"  # no peer (a server on a Unix socket without a proxy)
# The scheme a browser writes in Origin for each ASGI scope scheme.
_BROWSER_SCHEME = {"http": "http", "https": "https", "ws": "http", "wss": "https"}


@dataclass(frozen=True)
class Client:
    address: str  # an IP address in its normal form, or the peer as the server named it
    scheme: str  # "http" or "https": what the browser used


class TrustedProxies:
    def __init__(self, networks: Iterable[ProxyNetwork] = ()) -> None:
        self.networks = tuple(networks)

    def trusts(self, address: IPAddress | None) -> bool:
        return address is not None and any(address in net for net in self.networks)

    def client(self, scope: Mapping[str, Any]) -> Client:
        """The client of an ASGI ``http`` or ``websocket`` scope."""
        peer = scope.get("client")
        peer_host = str(peer[0]) if peer and peer[0] else UNKNOWN_ADDRESS
        scheme = _BROWSER_SCHEME.get(str(scope.get("scheme", "http")), "http")
        current = parse_address(peer_host)
        if not self.trusts(current):
            return Client(str(current) if current is not None else peer_host, scheme)
        forwarded_for, forwarded_proto = _forwarded_headers(scope)
        hops = [entry.strip() for entry in forwarded_for.split(",")] if forwarded_for else []
        walked = 0
        while hops and self.trusts(current):
            hop = parse_address(hops.pop())
            if hop is None:
                break
            current, walked = hop, walked + 1
        return Client(str(current), _forwarded_scheme(forwarded_proto, walked) or scheme)


def parse_address(text: str) -> IPAddress | None:
    """An IP address from a peer name or a forwarded hop (``1.2.3.4``, ``1.2.3.4:5678``,
    ``2001:db8::1``, ``[2001:db8::1]:5678``), IPv4-mapped IPv6 as IPv4; None otherwise."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ip_address(text)
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _forwarded_headers(scope: Mapping[str, Any]) -> tuple[str, str]:
    """(X-Forwarded-For, X-Forwarded-Proto), repeated headers joined with commas."""
    found: dict[bytes, list[str]] = {b"x-forwarded-for": [], b"x-forwarded-proto": []}
    for name, value in scope.get("headers", ()):
        if name in found:
            found[name].append(value.decode("latin-1"))
    return ",".join(found[b"x-forwarded-for"]), ",".join(found[b"x-forwarded-proto"])


def _forwarded_scheme(header: str, walked: int) -> str | None:
    values = [v.strip().lower() for v in header.split(",")] if header else []
    if not values:
        return None
    at = max(walked, 1)
    value = values[-at] if at <= len(values) else values[0]
    return _BROWSER_SCHEME.get(value)
