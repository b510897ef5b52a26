"""Documents end to end: upload → ingest → download (plain, ranged, watermarked), versions,
and hostile files refused with a reason and nothing written."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from harness.client import api, connect, login, new_meeting
from harness.server import Server, embedded_server
from tests import pdfs
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio


async def upload(
    url: str,
    token: str,
    meeting: int,
    body: bytes,
    name: str = "Báo cáo.pdf",
    headers: dict[str, str] | None = None,
    **params: Any,
) -> httpx.Response:
    async with api(url, token) as http:
        return await http.post(
            f"/api/meetings/{meeting}/documents",
            params={k: v for k, v in params.items() if v is not None},
            content=body,
            headers={
                "Content-Type": "application/pdf",
                "X-File-Name": httpx.URL(name).raw_path.decode(),
                **(headers or {}),
            },
        )


async def test_upload_is_broadcast_and_downloads_byte_for_byte(
    running: Running, meeting: int
) -> None:
    body = pdfs.pages(3)
    member = await connect(running.url, "member1")
    try:
        await member.join(meeting)
        response = await upload(
            running.url, await login(running.url, "clerk"), meeting, body, "Tờ trình số 12.pdf"
        )
        assert response.status_code == 201, response.text
        document = response.json()["document"]
        assert (document["pages"], document["version"], document["size"]) == (3, 1, len(body))
        assert document["filename"] == "Tờ trình số 12.pdf"
        assert document["title"] == "Báo cáo tình hình kinh tế - xã hội"  # from the PDF's metadata
        await member.wait_for(lambda: any(e["type"] == "document.added" for e in member.events))
    finally:
        await member.close()
    token = await login(running.url, "observer")
    async with api(running.url, token) as http:
        path = f"/api/meetings/{meeting}/documents/{document['id']}"
        file = await http.get(f"{path}/file")
        assert file.status_code == 200 and file.content == body
        assert file.headers["content-type"] == "application/pdf"
        assert file.headers["x-content-type-options"] == "nosniff"
        ranged = await http.get(f"{path}/file", headers={"Range": "bytes=0-99"})
        assert ranged.status_code == 206 and ranged.content == body[:100]
        described = (await http.get(path)).json()
        assert described["page_sizes"] == [[595, 842]] * 3
        listed = (await http.get(f"/api/meetings/{meeting}/documents")).json()["documents"]
        assert [d["id"] for d in listed] == [document["id"]]


async def test_watermarked_copy_names_the_reader_and_leaves_the_original(
    running: Running, meeting: int
) -> None:
    body = pdfs.pages(2)
    created = (await upload(running.url, await login(running.url, "clerk"), meeting, body)).json()[
        "document"
    ]
    token = await login(running.url, "member1")
    async with api(running.url, token) as http:
        path = f"/api/meetings/{meeting}/documents/{created['id']}/file"
        stamped = await http.get(path, params={"watermark": "1"})
        assert stamped.status_code == 200
        original = await http.get(path)
    reader = PdfReader(io.BytesIO(stamped.content))
    assert len(reader.pages) == 2
    assert all("Lê Quang Đức" in page.extract_text() for page in reader.pages)
    assert original.content == body


async def test_a_new_version_replaces_the_old_one_once(running: Running, meeting: int) -> None:
    clerk = await login(running.url, "clerk")
    first = (
        await upload(running.url, clerk, meeting, pdfs.pages(1), title="Tờ trình số 5")
    ).json()["document"]
    second = await upload(running.url, clerk, meeting, pdfs.pages(2), replaces_id=first["id"])
    assert second.status_code == 201
    assert (second.json()["document"]["version"], second.json()["document"]["replaces_id"]) == (
        2,
        first["id"],
    )
    assert first["title"] == second.json()["document"]["title"] == "Tờ trình số 5"
    again = await upload(running.url, clerk, meeting, pdfs.pages(3), replaces_id=first["id"])
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    async with api(running.url, clerk) as http:
        listed = (await http.get(f"/api/meetings/{meeting}/documents")).json()["documents"]
    assert [d["replaced_by"] for d in listed] == [second.json()["document"]["id"], None]


async def test_only_chair_clerk_and_planners_upload_and_only_the_roster_reads(
    running: Running, meeting: int, admin_token: str
) -> None:
    member = await upload(running.url, await login(running.url, "member2"), meeting, pdfs.pages(1))
    assert member.status_code == 403 and member.json()["error"]["code"] == "not-allowed"
    # The administrator prepares meetings: before the start they upload, as its clerk.
    planner = await upload(running.url, admin_token, meeting, pdfs.pages(1))
    assert planner.status_code == 201, planner.text
    created = (
        await upload(running.url, await login(running.url, "chair"), meeting, pdfs.pages(1))
    ).json()
    async with api(running.url, admin_token) as http:
        path = f"/api/meetings/{meeting}/documents/{created['document']['id']}/file"
        assert (await http.get(path)).status_code == 404
    async with api(running.url) as http:
        assert (await http.get(path)).status_code == 401


HOSTILE = {
    "truncated": (pdfs.truncated, "cannot be read"),
    "encrypted": (pdfs.encrypted, "encrypted"),
    "not a pdf": (lambda: b"<html><script>alert(1)</script></html>" * 50, "not a PDF"),
    "no pages": (pdfs.zero_pages, "no readable pages"),
    "nested flate bomb": (pdfs.nested_flate_bomb, "bomb"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
async def test_hostile_files_are_refused_with_a_reason_and_nothing_is_written(
    running: Running, meeting: int, kind: str
) -> None:
    make, reason = HOSTILE[kind]
    clerk, body = await login(running.url, "clerk"), make()
    started = time.monotonic()
    response = await upload(running.url, clerk, meeting, body, "innocent.pdf")
    elapsed = time.monotonic() - started
    assert response.status_code == 400, response.text
    assert (
        response.json()["error"]["code"] == "invalid"
        and reason in response.json()["error"]["message"]
    )
    if kind == "nested flate bomb":
        assert elapsed < 2.0  # the bound for refusing a bomb; a correctness deadline
    async with api(running.url, clerk) as http:
        assert (await http.get(f"/api/meetings/{meeting}/documents")).json()["documents"] == []
        assert (await http.get(f"/api/meetings/{meeting}")).json()["meeting"]["last_seq"] == 0


async def test_a_2000_page_document_is_accepted(running: Running, meeting: int) -> None:
    response = await upload(
        running.url, await login(running.url, "clerk"), meeting, pdfs.pages(2000)
    )
    assert response.status_code == 201 and response.json()["document"]["pages"] == 2000


async def test_uploads_need_the_pdf_content_type(running: Running, meeting: int) -> None:
    async with api(running.url, await login(running.url, "clerk")) as http:
        response = await http.post(f"/api/meetings/{meeting}/documents", content=pdfs.pages(1))
    assert response.status_code == 400 and "Content-Type" in response.json()["error"]["message"]


@pytest.fixture(scope="module")
def small_limit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with embedded_server(
        tmp_path_factory.mktemp("small-limit"), ECABINET_UPLOAD_MAX_BYTES="65536"
    ) as server:
        yield server


async def _answer_to_unfinished_upload(
    url: str, path: str, token: str, headers: str, body: bytes
) -> str:
    """Send the request line, headers and part of a body that never ends; return the status
    line the server answers with while the body is still unfinished."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: ecabinet_session={token}\r\n"
            f"Content-Type: application/pdf\r\n{headers}\r\n".encode()
            + body
        )
        await writer.drain()
        return (await asyncio.wait_for(reader.readline(), timeout=10)).decode().strip()
    finally:
        writer.close()


async def test_an_upload_over_the_limit_is_refused_before_it_is_read_whole(
    small_limit_server: Server,
) -> None:
    url = small_limit_server.url
    meeting = await new_meeting(url, await login(url, "admin"))
    clerk = await login(url, "clerk")
    path = f"/api/meetings/{meeting}/documents"
    chunk = b"%PDF-1.7\n" + b"0" * 16375
    chunked = b"".join(
        f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for _ in range(6)
    )  # 96 KiB, no end
    status = await _answer_to_unfinished_upload(
        url, path, clerk, "Transfer-Encoding: chunked\r\n", chunked
    )
    assert status == "HTTP/1.1 413 Request Entity Too Large"
    declared = await _answer_to_unfinished_upload(
        url, path, clerk, "Content-Length: 209715200\r\n", chunk
    )
    assert declared == "HTTP/1.1 413 Request Entity Too Large"
    leftovers = Path(small_limit_server.env["ECABINET_DATA_DIR"], "blobs", "tmp")
    assert not any(leftovers.glob("*"))  # noqa: ASYNC240 - a test's look at the disk
