"""A page of another origin that opens E-cabinet's socket with the real socket.io client is
told why it was refused (``connect_error`` with ``data.code == "not-allowed"``), so that a
client can tell a foreign origin from a network that is down."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.server import free_port
from tests.e2e.conftest import NewContext

pytestmark = pytest.mark.e2e

SOCKET_IO_CLIENT = (
    Path(__file__).resolve().parents[2] / "frontend/vendor/socket.io-client/socket.io.esm.min.js"
)
# Another origin, served for real on another loopback address: Chromium's local-network
# checks stop a page it cannot place (a made-up host) before it reaches the server.
FOREIGN_HOST = "127.0.0.2"


@pytest.fixture
def foreign_site(tmp_path: Path, base_url: str) -> Iterator[str]:
    """A page on another origin that connects to E-cabinet and keeps what it was told."""
    shutil.copy(SOCKET_IO_CLIENT, tmp_path / "socket.io.esm.min.js")
    (tmp_path / "index.html").write_text(
        f"""<!doctype html><meta charset="utf-8"><script type="module">
        import {{ io }} from "/socket.io.esm.min.js";
        const socket = io({json.dumps(base_url)},
            {{ transports: ["websocket"], reconnection: false, withCredentials: true }});
        socket.on("connect", () => {{ window.outcome = {{ connected: true }}; }});
        socket.on("connect_error", (error) => {{
            window.outcome = {{ message: error.message, data: error.data ?? null }};
        }});
        </script>""",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer((FOREIGN_HOST, free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{FOREIGN_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_foreign_origin_gets_not_allowed_from_socket_io_client(
    new_context: NewContext, foreign_site: str
) -> None:
    page = new_context().new_page()
    page.goto(foreign_site)
    page.wait_for_function("window.outcome !== undefined", timeout=10_000)
    outcome = page.evaluate("window.outcome")
    refusal = {"code": "not-allowed", "message": "this origin may not connect"}
    assert outcome.get("data") == refusal, outcome
