"""Receive an upload: stream it to disk within the size limit, check it is a PDF, inspect
it in a bounded subprocess, and store it content-addressed by SHA-256.

The client's file name is display text only; the stored name is the hash.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import os
import resource
import secrets
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


class BlobStore:
    """Files named by the SHA-256 of their bytes, under ``root/ab/cdef…``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def temp_path(self) -> Path:
        tmp = self.root / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        return tmp / secrets.token_hex(16)

    def keep(self, temp: Path, sha256: str) -> Path:
        """Move ``temp`` to its content address (or drop it when the bytes are stored already)."""
        target = self.path(sha256)
        if target.exists():
            temp.unlink(missing_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, target)
        return target


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


async def inspect_pdf(path: Path, sha256: str, size: int, max_pages: int) -> PdfInfo:
    """Inspect in a subprocess bounded in memory, CPU and wall time; raises Invalid."""
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
        raise Invalid("the PDF took too long to read and was refused") from None
    if process.returncode != 0:
        raise Invalid("the PDF could not be read within the resource limits and was refused")
    result = json.loads(out)
    if not result["ok"]:
        raise Invalid(result["reason"])
    return PdfInfo(sha256, size, result["pages"], result["page_sizes"], result["title"])
