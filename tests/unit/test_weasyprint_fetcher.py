"""WeasyPrint's URL fetcher loads nothing: no local file (``file://``), no network. HTML
that asks for images, style sheets, fonts and attachments from both is rendered by each
fetcher the application uses (watermarks and annotated copies; minutes); a local HTTP
server counts every request and a local file's marker must appear nowhere. The default
fetcher, for contrast, does fetch both (so the test would see a leak)."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from ecabinet.documents import watermark
from ecabinet.minutes import render, sample
from ecabinet.minutes.record import RECORD_FILENAME
from tests.unit.test_minutes_render import build

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

MARKER = "local-secret-4f1c9a"


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        body = b"body { color: red }" if self.path.endswith(".css") else b""
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    _Counter.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Counter.hits
    finally:
        server.shutdown()
        server.server_close()


def hostile_html(origin: str, secret: Path) -> str:
    local = secret.as_uri()
    return f"""
      <link rel="stylesheet" href="{origin}/sheet.css">
      <link rel="attachment" href="{local}">
      <style>
        @import url("{origin}/imported.css");
        @font-face {{ font-family: Leak; src: url("{local}"), url("{origin}/font.woff"); }}
        p.leak {{ font-family: Leak; background: url("{origin}/bg.png"); }}
      </style>
      <p class="leak">x</p>
      <img src="{local}"><img src="{origin}/img.png">
      <a rel="attachment" href="{local}">tệp</a>
      <object data="{origin}/object.svg"></object>"""


def _leaks(pdf: bytes, hits: list[str]) -> list[str]:
    found = [f"request {path}" for path in hits]
    if MARKER.encode() in pdf:
        found.append("the local file's bytes")
    attached = set(PdfReader(io.BytesIO(pdf)).attachments)
    found += [f"attachment {name}" for name in attached - {RECORD_FILENAME}]
    return found


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(MARKER * 10)
    return path


FETCHERS: dict[str, Callable[..., Any]] = {
    "watermark and annotated copies": watermark.no_fetch,
    "minutes": render._no_fetch,
}


@pytest.mark.parametrize("name", sorted(FETCHERS))
def test_the_fetchers_load_no_file_and_nothing_from_the_network(
    listener: tuple[str, list[str]], secret: Path, name: str
) -> None:
    origin, hits = listener
    html = f"<html><body>{hostile_html(origin, secret)}</body></html>"
    pdf = bytes(HTML(string=html, url_fetcher=FETCHERS[name]).write_pdf())
    assert _leaks(pdf, hits) == []


def test_rendering_minutes_with_hostile_markup_loads_nothing(
    listener: tuple[str, list[str]], secret: Path
) -> None:
    """Through ``render_pdf`` itself (PDF/A-3b with its attachment), as the server does."""
    origin, hits = listener
    record = build("state", sample.play(items=1, polls=0))
    html = render.render_html(record).replace(
        "</body>", hostile_html(origin, secret) + "</body>", 1
    )
    rendered = render.render_pdf(html, record)
    assert _leaks(rendered.pdf, hits) == []


def test_the_default_fetcher_would_leak_which_the_check_would_see(
    listener: tuple[str, list[str]], secret: Path
) -> None:
    origin, hits = listener
    html = f"<html><body>{hostile_html(origin, secret)}</body></html>"
    pdf = bytes(HTML(string=html).write_pdf())  # WeasyPrint's own fetcher
    leaks = _leaks(pdf, hits)
    assert any(leak.startswith("request") for leak in leaks)
    assert any(leak.startswith("attachment") for leak in leaks)
