"""The bound on PDF inspection: at most ``size`` inspections at once in this process.

Each inspection is a fresh subprocess (``ingest.inspect``) limited to
``ingest.INSPECT_MEMORY_BYTES`` of address space, ``INSPECT_CPU_SECS`` of CPU and
``INSPECT_WALL_SECS``, so all of them together never hold more than ``size`` times that
memory, however many uploads arrive (five parallel uploads of one 470 KB file once took
2.7 GB). A fresh process per file, rather than long-lived workers, keeps one hostile file
from leaving anything behind for the next.

An upload beyond the bound is not queued: it is refused at once with ``busy`` and a
``Retry-After``, so that a burst of uploads cannot hold requests (and their temporary files)
open for minutes. With several worker processes the bound is per worker.
"""

from __future__ import annotations

from pathlib import Path

from ecabinet.documents import ingest
from ecabinet.errors import Busy

# An inspection takes well under a second for ordinary files and at most
# INSPECT_WALL_SECS; a client that waits this long usually finds a free place.
BUSY_RETRY_AFTER_SECS = 5


class InspectionPool:
    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("an inspection pool needs at least one place")
        self.size = size
        self.running = 0

    @property
    def full(self) -> bool:
        return self.running >= self.size

    def check(self) -> None:
        """Raise ``busy`` when no place is free (before a body is read, to spare it)."""
        if self.full:
            raise Busy(
                f"the server is already checking {self.size} uploaded documents; "
                f"send the file again in {BUSY_RETRY_AFTER_SECS} seconds",
                retry_after_secs=BUSY_RETRY_AFTER_SECS,
            )

    async def inspect_pdf(
        self, path: Path, sha256: str, size: int, max_pages: int
    ) -> ingest.PdfInfo:
        """``ingest.inspect_pdf`` in a free place; ``busy`` when there is none."""
        self.check()
        self.running += 1  # no await since the check: nothing else ran in between
        try:
            return await ingest.inspect_pdf(path, sha256, size, max_pages)
        finally:
            self.running -= 1
