"""Receive an upload: stream it to disk within the size limit, check it is a PDF, and
inspect it in a bounded subprocess. The file waits under ``tmp/`` until its ``document.add``
command is accepted; only then is it placed at its content address (SHA-256), within the
command's transaction (``storage.record_added``).

The client's file name is display text only; the stored name is the hash.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import os
import resource
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from ecabinet import lifeline
from ecabinet.errors import Invalid, TooLarge

PDF_MAGIC = b"%PDF-"
MAGIC_SEARCH_BYTES = 1024  # the PDF header may follow a little junk, as readers allow
INSPECT_MEMORY_BYTES = 1024 * 1024 * 1024  # address space of the inspecting process
INSPECT_CPU_SECS = 30
INSPECT_WALL_SECS = 45


@dataclass(frozen=True)
class PdfInfo:
    sha256: str
    size: int
    pages: int
    page_sizes: list[list[float]]
    title: str | None


async def receive(chunks: AsyncIterator[bytes], temp: Path, max_bytes: int) -> tuple[str, int]:
    """Write the body to ``temp``; returns (sha256, size). Stops reading past ``max_bytes``.
    Disk writes run in a thread so a slow disk never stalls the event loop."""
    digest, size = hashlib.sha256(), 0
    out = await asyncio.to_thread(temp.open, "wb")
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(f"documents may have at most {max_bytes // (1024 * 1024)} MB")
            digest.update(chunk)
            await asyncio.to_thread(out.write, chunk)
    except BaseException:
        await asyncio.to_thread(out.close)
        await asyncio.to_thread(temp.unlink, missing_ok=True)
        raise
    await asyncio.to_thread(out.close)
    return digest.hexdigest(), size


def check_magic(path: Path) -> None:
    with path.open("rb") as f:
        head = f.read(MAGIC_SEARCH_BYTES)
    if PDF_MAGIC not in head:
        raise Invalid("only PDF documents are accepted (the file is not a PDF)")


def _limit_resources(server_pid: int) -> None:  # runs in the child before exec
    lifeline.die_with_parent(server_pid)
    resource.setrlimit(resource.RLIMIT_AS, (INSPECT_MEMORY_BYTES, INSPECT_MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (INSPECT_CPU_SECS, INSPECT_CPU_SECS))


@dataclass(frozen=True)
class Inspection:
    """One run of the inspector: what it found (``info``, or the ``refusal``'s reason) and
    its peak resident memory (None when it was killed at a bound and could not say)."""

    info: PdfInfo | None
    refusal: str | None
    peak_rss_bytes: int | None


async def inspect(path: Path, sha256: str, size: int, max_pages: int) -> Inspection:
    """Inspect in a subprocess bounded in memory, CPU and wall time."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ecabinet.documents.inspect", str(path), str(max_pages),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        preexec_fn=functools.partial(_limit_resources, os.getpid()),
    )  # fmt: skip
    try:
        out, _ = await asyncio.wait_for(process.communicate(), timeout=INSPECT_WALL_SECS)
    except TimeoutError:
        process.kill()
        await process.wait()
        return Inspection(None, "the PDF took too long to read and was refused", None)
    if process.returncode != 0:
        return Inspection(
            None, "the PDF could not be read within the resource limits and was refused", None
        )
    result = json.loads(out)
    peak = result["peak_rss_kib"] * 1024
    if not result["ok"]:
        return Inspection(None, result["reason"], peak)
    info = PdfInfo(sha256, size, result["pages"], result["page_sizes"], result["title"])
    return Inspection(info, None, peak)


async def inspect_pdf(path: Path, sha256: str, size: int, max_pages: int) -> PdfInfo:
    """``inspect``, raising Invalid with the reason of a refusal."""
    found = await inspect(path, sha256, size, max_pages)
    if found.info is None:
        raise Invalid(found.refusal or "the PDF was refused")
    return found.info
