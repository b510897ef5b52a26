"""Ingest and watermark of a long PDF (300 pages of text by default).

E-cabinet: upload → 201 (streamed to disk, hashed, inspected in a bounded subprocess,
recorded as ``document.add``); plain download; watermarked download (``?watermark=1``:
the stamp is drawn by WeasyPrint and merged onto every page by pypdf in a worker process).
Baselines from the same run on the same file: pypdf reading it (``inspect()`` in this
process, and the same module as a fresh subprocess as the server runs it), and the bare
stamp (``stamp_file``) in this process.
"""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import load
from bench.accounts import Accounts
from bench.load import Progress
from bench.servers import Running
from bench.stats import summary

LINES_PER_PAGE = 60
CONCURRENT = 4  # members asking for their watermarked copy at the same moment
WORDS = (
    "report",
    "economic",
    "social",
    "development",
    "province",
    "plan",
    "budget",
    "investment",
    "infrastructure",
    "education",
    "health",
    "agriculture",
    "industry",
    "services",
    "export",
    "revenue",
    "expenditure",
    "target",
    "indicator",
    "quarter",
    "review",
    "committee",
    "resolution",
    "proposal",
    "implementation",
)


def text_pdf(pages: int, title: str = "Báo cáo tình hình kinh tế - xã hội") -> bytes:
    """``pages`` A4 pages, each with a heading, ``LINES_PER_PAGE`` lines of text and a few
    rules (Helvetica, compressed content streams) — a plain typed report."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    font_ref = writer._add_object(font)
    for number in range(1, pages + 1):
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})}
        )
        lines = [f"BT /F1 14 Tf 56 790 Td (Section {number}: provincial report) Tj ET"]
        lines.append("BT /F1 10 Tf 56 760 Td 12 TL")
        for row in range(LINES_PER_PAGE):
            words = [WORDS[(number * 7 + row * 3 + k) % len(WORDS)] for k in range(11)]
            lines.append(f"({row + 1:02d}. {' '.join(words)}) '")
        lines.append("ET")
        lines += [f"56 {40 + 12 * k} m 539 {40 + 12 * k} l S" for k in range(3)]
        stream = DecodedStreamObject()
        stream.set_data("\n".join(lines).encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page.compress_content_streams()
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def _get(running: Running, token: str, path: str) -> tuple[float, int]:
    async with load.http_client(running.url, token) as http:
        at = time.monotonic()
        response = await http.get(path)
        took = time.monotonic() - at
    if response.status_code != 200:
        raise RuntimeError(
            f"GET {path}: {response.status_code} {response.text[:200]}\n{running.log_tail()}"
        )
    return took, len(response.content)


def _timed(work: Any, *args: Any) -> float:
    at = time.monotonic()
    work(*args)
    return time.monotonic() - at


def _inspect_subprocess(path: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "ecabinet.documents.inspect", path, "5000"],
        check=True,
        capture_output=True,
        timeout=120,
    )


async def run(
    running: Running, accounts: Accounts, *, pages: int, repeats: int, progress: Progress
) -> dict[str, Any]:
    from ecabinet.documents.inspect import inspect
    from ecabinet.documents.watermark import stamp_file

    progress.update(f"making a {pages}-page PDF …", force=True)
    bodies = [text_pdf(pages, f"Báo cáo số {k + 1}") for k in range(repeats)]
    meeting_id = await accounts.meeting("Tài liệu dài", 0)
    base = f"/api/meetings/{meeting_id}/documents"
    uploads: list[float] = []
    document: dict[str, Any] = {}
    for number, body in enumerate(bodies, start=1):
        progress.update(f"upload {number}/{repeats} …", force=True)
        document, took = await load.upload_pdf(running.url, accounts.clerk.token, meeting_id, body)
        uploads.append(took)
        if document["pages"] != pages:
            raise RuntimeError(f"ingest found {document['pages']} pages")
    file_path = f"{base}/{document['id']}/file"
    reader = accounts.presenter.token
    plain = [(await _get(running, reader, file_path))[0] for _ in range(repeats)]
    progress.update("watermarked downloads …", force=True)
    cold_watermark, stamped_bytes = await _get(running, reader, f"{file_path}?watermark=1")
    warm_watermark = [
        (await _get(running, reader, f"{file_path}?watermark=1"))[0] for _ in range(repeats)
    ]
    progress.update(f"{CONCURRENT} watermarked downloads at once …", force=True)
    began = time.monotonic()
    together = await asyncio.gather(
        *(_get(running, reader, f"{file_path}?watermark=1") for _ in range(CONCURRENT))
    )
    concurrent_last = time.monotonic() - began
    progress.update("baselines: pypdf and the bare stamp …", force=True)
    with tempfile.TemporaryDirectory(prefix="ecabinet-bench-") as tmp:
        source = Path(tmp) / "source.pdf"
        source.write_bytes(bodies[-1])
        target = str(Path(tmp) / "stamped.pdf")
        lines = ["Đại biểu Nguyễn Văn A", "Tài liệu dài", "2026-12-01 08:00 UTC"]
        inspect_in_process = [
            await asyncio.to_thread(_timed, inspect, str(source), 5000) for _ in range(repeats)
        ]
        inspect_subprocess = [
            await asyncio.to_thread(_timed, _inspect_subprocess, str(source))
            for _ in range(repeats)
        ]
        stamp_cold = await asyncio.to_thread(_timed, stamp_file, str(source), target, lines)
        stamp_warm = [
            await asyncio.to_thread(_timed, stamp_file, str(source), target, lines)
            for _ in range(repeats)
        ]
        bare_stamped_bytes = await asyncio.to_thread(os.path.getsize, target)
    progress.done()
    return {
        "server": running.backend,
        "pages": pages,
        "bytes": len(bodies[-1]),
        "stamped_bytes": stamped_bytes,
        "bare_stamped_bytes": bare_stamped_bytes,
        "upload": summary(uploads),
        "uploads": uploads,
        "download": summary(plain),
        "watermark_cold": cold_watermark,
        "watermark": summary(warm_watermark),
        "watermarks": warm_watermark,
        "concurrent": CONCURRENT,
        "concurrent_last": concurrent_last,
        "concurrent_each": sorted(t for t, _ in together),
        "inspect_in_process": summary(inspect_in_process),
        "inspect_subprocess": summary(inspect_subprocess),
        "stamp_cold": stamp_cold,
        "stamp": summary(stamp_warm),
        "stamps": stamp_warm,
    }
