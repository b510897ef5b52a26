"""Files named by the SHA-256 of their bytes, under ``root/ab/cdef…``; uploads and copies
being made wait under ``root/tmp/`` with random names.

A blob reaches its content address only through ``place``, inside the transaction of the
``document.add`` command that refers to it (``storage.record_added``). Collection
(``storage.collect``) removes what no document refers to, but only once it is older than a
bound, because a blob is placed a moment before the commit that makes it referenced.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

TEMP_DIR = "tmp"
_HEX = re.compile(r"[0-9a-f]+")


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def temp_path(self) -> Path:
        tmp = self.root / TEMP_DIR
        tmp.mkdir(parents=True, exist_ok=True)
        return tmp / secrets.token_hex(16)

    def place(self, temp: Path, sha256: str) -> Path:
        """Move ``temp`` to its content address (replacing any copy of the same bytes there)
        with a fresh modification time, which tells collection that it is in use."""
        os.utime(temp)
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, target)
        return target

    def stored(self) -> Iterator[tuple[str, Path]]:
        """(sha256, path) of every blob at its content address."""
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if len(folder.name) != 2 or not _HEX.fullmatch(folder.name) or not folder.is_dir():
                continue
            for file in folder.iterdir():
                sha256 = folder.name + file.name
                if len(sha256) == 64 and _HEX.fullmatch(sha256):
                    yield sha256, file

    def discard(self, path: Path, older_than: float) -> int:
        """Remove ``path`` when its modification time is before ``older_than``; returns the
        bytes freed. It is first moved aside and checked there, so a copy placed again at
        that address meanwhile (fresh, and about to be referenced) is put back, never lost."""
        aside = self.temp_path()
        try:
            os.rename(path, aside)
        except FileNotFoundError:
            return 0
        status = aside.stat()
        if status.st_mtime >= older_than:
            os.replace(aside, path)
            return 0
        aside.unlink()
        return status.st_size

    def discard_temporary(self, older_than: float) -> int:
        """Remove files under ``tmp/`` not written to since ``older_than`` (left by a server
        that stopped mid-upload); returns the bytes freed. Files in use are younger."""
        freed = 0
        tmp = self.root / TEMP_DIR
        for file in tmp.iterdir() if tmp.is_dir() else ():
            try:
                status = file.stat()
                if status.st_mtime < older_than:
                    file.unlink()
                    freed += status.st_size
            except FileNotFoundError:
                continue
        return freed
