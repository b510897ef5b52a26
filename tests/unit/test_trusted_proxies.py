"""ECABINET_TRUSTED_PROXIES: the setting, the client address and scheme read through trusted
proxies only, and the default origin policy comparing the scheme too."""

from __future__ import annotations

from ipaddress import ip_network
from pathlib import Path
from typing import Any

import pytest

from ecabinet.config import SettingsError, load_settings
from realtime.forwarded import Client, TrustedProxies
from realtime.origin import OriginPolicy

PROXY = "10.0.0.5"
INNER_PROXY = "10.1.2.3"
PROXIES = TrustedProxies([ip_network(PROXY), ip_network("10.1.0.0/16")])


def scope(
    peer: str | None,
    *headers: tuple[str, str],
    scheme: str = "http",
    host: str = "hop.example.vn",
) -> dict[str, Any]:
    return {
        "type": "websocket" if scheme.startswith("ws") else "http",
        "scheme": scheme,
        "client": (peer, 51000) if peer else None,
        "headers": [(b"host", host.encode())]
        + [(name.lower().encode(), value.encode()) for name, value in headers],
    }


def test_the_setting_reads_addresses_and_networks(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "ECABINET_DATA_DIR": str(tmp_path),
            "ECABINET_TRUSTED_PROXIES": " 10.0.0.5, 192.168.0.0/16,,::1 ",
        }
    )
    assert settings.trusted_proxies == (
        ip_network("10.0.0.5/32"),
        ip_network("192.168.0.0/16"),
        ip_network("::1/128"),
    )
    assert load_settings({"ECABINET_DATA_DIR": str(tmp_path)}).trusted_proxies == ()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nginx", "not an address or network"),
        ("10.0.0.300", "not an address or network"),
        ("10.0.0.5, *", "not an address or network"),
        ("10.0.0.5/8", "host bits set"),
        ("0.0.0.0/0", "may not trust every address"),
        ("::/0", "may not trust every address"),
    ],
)
def test_a_malformed_or_boundless_entry_stops_the_server(
    value: str, message: str, tmp_path: Path
) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings({"ECABINET_DATA_DIR": str(tmp_path), "ECABINET_TRUSTED_PROXIES": value})


def test_with_no_trusted_proxy_the_peer_is_the_client_whatever_it_forwards() -> None:
    forged = scope("127.0.0.1", ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https"))
    assert TrustedProxies().client(forged) == Client("127.0.0.1", "http")


def test_an_untrusted_peer_is_the_client_whatever_it_forwards() -> None:
    forged = scope(
        "198.51.100.7", ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https")
    )
    assert PROXIES.client(forged) == Client("198.51.100.7", "http")


def test_a_trusted_proxy_names_the_client_and_the_scheme() -> None:
    through = scope(PROXY, ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https"))
    assert PROXIES.client(through) == Client("203.0.113.9", "https")


def test_the_client_is_the_rightmost_untrusted_hop() -> None:
    """What the client wrote itself (to the left) is never read: the first hop a trusted
    proxy vouches for that is not itself trusted is the client."""
    chain = scope(PROXY, ("X-Forwarded-For", f"1.1.1.1, 203.0.113.9, {INNER_PROXY}"))
    assert PROXIES.client(chain).address == "203.0.113.9"
    split = scope(PROXY, ("X-Forwarded-For", "1.1.1.1"), ("X-Forwarded-For", "203.0.113.9"))
    assert PROXIES.client(split).address == "203.0.113.9"


def test_only_trusted_hops_means_the_leftmost_one() -> None:
    assert PROXIES.client(scope(PROXY, ("X-Forwarded-For", INNER_PROXY))).address == INNER_PROXY
    assert PROXIES.client(scope(PROXY)).address == PROXY


def test_a_garbled_hop_stops_at_the_proxy_that_passed_it_on() -> None:
    garbled = scope(PROXY, ("X-Forwarded-For", "203.0.113.9, not-an-address"))
    assert PROXIES.client(garbled).address == PROXY
    deeper = scope(PROXY, ("X-Forwarded-For", f"203.0.113.9, evil, {INNER_PROXY}"))
    assert PROXIES.client(deeper).address == INNER_PROXY


def test_hops_with_ports_brackets_and_mapped_addresses_are_read() -> None:
    assert PROXIES.client(scope(PROXY, ("X-Forwarded-For", "203.0.113.9:4711"))).address == (
        "203.0.113.9"
    )
    v6 = scope(PROXY, ("X-Forwarded-For", "[2001:DB8::1]:4711"))
    assert PROXIES.client(v6).address == "2001:db8::1"
    assert PROXIES.client(scope(f"::ffff:{PROXY}", ("X-Forwarded-For", "203.0.113.9"))) == (
        Client("203.0.113.9", "http")
    )


def test_the_scheme_is_the_one_written_at_the_clients_hop() -> None:
    appended = scope(
        PROXY,
        ("X-Forwarded-For", f"203.0.113.9, {INNER_PROXY}"),
        ("X-Forwarded-Proto", "https, http"),
    )
    assert PROXIES.client(appended).scheme == "https"
    single = scope(
        PROXY, ("X-Forwarded-For", f"203.0.113.9, {INNER_PROXY}"), ("X-Forwarded-Proto", "https")
    )
    assert PROXIES.client(single).scheme == "https"
    nonsense = scope(PROXY, ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "gopher"))
    assert PROXIES.client(nonsense).scheme == "http"
    assert PROXIES.client(scope(PROXY, scheme="wss")).scheme == "https"


def test_no_peer_is_unknown() -> None:
    assert TrustedProxies().client(scope(None)).address == "unknown"


def test_the_default_origin_policy_compares_the_scheme() -> None:
    policy = OriginPolicy()
    assert policy.allows("https://hop.example.vn", "hop.example.vn", "https")
    assert not policy.allows("http://hop.example.vn", "hop.example.vn", "https")
    assert not policy.allows("https://hop.example.vn", "hop.example.vn", "http")
    assert policy.allows("HTTP://Hop.Example.vn/", "hop.example.vn", "http")
    assert not policy.allows("null", "hop.example.vn", "http")
    assert policy.allows(None, "hop.example.vn", "https")


def test_the_scheme_of_a_scope_is_its_own_or_a_trusted_proxys() -> None:
    behind = OriginPolicy(proxies=PROXIES)
    tls_ended = scope(PROXY, ("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-Proto", "https"))
    assert behind.allows_scope("https://hop.example.vn", tls_ended)
    assert not behind.allows_scope("http://hop.example.vn", tls_ended)
    forged = scope("198.51.100.7", ("X-Forwarded-Proto", "https"))
    assert not behind.allows_scope("https://hop.example.vn", forged)
    assert behind.allows_scope("http://hop.example.vn", forged)
    assert behind.allows_environ(
        "https://hop.example.vn", {"asgi.scope": scope("198.51.100.7", scheme="wss")}
    )
    assert not behind.allows_environ(
        "http://hop.example.vn", {"asgi.scope": scope("198.51.100.7", scheme="wss")}
    )


def test_an_allow_list_decides_alone() -> None:
    listed = OriginPolicy(("https://hop.example.vn",))
    assert listed.allows("https://hop.example.vn", "10.0.0.9:8000", "http")
    assert not listed.allows("http://hop.example.vn", "hop.example.vn", "http")
