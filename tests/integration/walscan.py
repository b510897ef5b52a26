"""What a database's write-ahead log appended, read from its files, for the forensic tests.

SQLite: the frames of ``ecabinet.db-wal`` (https://www.sqlite.org/fileformat2.html#walformat).
A frame is one page image; a commit's frames end with one whose "database size" field is set.

PostgreSQL 15: the records between two LSNs in the segment files under ``pg_wal``
(``src/include/access/xlogrecord.h``, ``xlog_internal.h``), kept when a block they touch
belongs to one database, so that other databases of the same server do not count. A record
holds the new tuples and, after a checkpoint, full images of the pages it changes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

# --- SQLite --------------------------------------------------------------------------------

SQLITE_WAL_HEADER_BYTES = 32
SQLITE_FRAME_HEADER_BYTES = 24


@dataclass(frozen=True)
class SqliteWal:
    """The committed frames of one WAL file: ``salts`` name its generation (a checkpoint
    that restarts the log changes them; frames of an older generation are stale)."""

    salts: bytes
    pages: tuple[bytes, ...]

    @staticmethod
    def parse(wal: bytes) -> SqliteWal:
        if len(wal) < SQLITE_WAL_HEADER_BYTES:
            return SqliteWal(b"", ())
        (page_size,) = struct.unpack(">I", wal[8:12])
        salts = wal[16:24]
        pages: list[bytes] = []
        committed = 0
        position = SQLITE_WAL_HEADER_BYTES
        while position + SQLITE_FRAME_HEADER_BYTES + page_size <= len(wal):
            header = wal[position : position + SQLITE_FRAME_HEADER_BYTES]
            if header[8:16] != salts:
                break
            start = position + SQLITE_FRAME_HEADER_BYTES
            pages.append(wal[start : start + page_size])
            (commit_size,) = struct.unpack(">I", header[4:8])
            if commit_size:
                committed = len(pages)
            position = start + page_size
        return SqliteWal(salts, tuple(pages[:committed]))

    def appended_since(self, earlier: SqliteWal) -> tuple[bytes, ...]:
        """The page images committed after ``earlier`` was read (all of them when the
        log restarted in between)."""
        if self.salts != earlier.salts:
            return self.pages
        return self.pages[len(earlier.pages) :]


# --- PostgreSQL ----------------------------------------------------------------------------

MAXALIGN = 8
RECORD_HEADER_BYTES = 24
PAGE_HEADER_BYTES = 24  # SizeOfXLogShortPHD
LONG_PAGE_HEADER_BYTES = 40  # SizeOfXLogLongPHD, first page of a segment
BLOCK_ID_MAX = 32  # XLR_MAX_BLOCK_ID
BLOCK_ID_DATA_SHORT, BLOCK_ID_DATA_LONG, BLOCK_ID_ORIGIN, BLOCK_ID_TOPLEVEL_XID = 255, 254, 253, 252
BKPBLOCK_HAS_IMAGE, BKPBLOCK_SAME_REL = 0x10, 0x80
BKPIMAGE_HAS_HOLE, BKPIMAGE_COMPRESSED = 0x01, 0x04 | 0x08 | 0x10  # pglz, lz4, zstd


def parse_lsn(text: str) -> int:
    high, low = text.split("/")
    return (int(high, 16) << 32) | int(low, 16)


def _align(position: int) -> int:
    return (position + MAXALIGN - 1) // MAXALIGN * MAXALIGN


@dataclass(frozen=True)
class PostgresWal:
    directory: Path
    timeline: int
    segment_bytes: int
    block_bytes: int

    def _header_bytes(self, lsn: int) -> int:
        return LONG_PAGE_HEADER_BYTES if lsn % self.segment_bytes == 0 else PAGE_HEADER_BYTES

    def _segment(self, number: int) -> bytes:
        per_id = 0x1_0000_0000 // self.segment_bytes
        name = f"{self.timeline:08X}{number // per_id:08X}{number % per_id:08X}"
        return (self.directory / name).read_bytes()

    def _read(self, lsn: int, size: int, cache: dict[int, bytes]) -> tuple[bytes, int]:
        """``size`` bytes of records from ``lsn`` on, page headers left out; and the LSN
        after them."""
        out = bytearray()
        while len(out) < size:
            page_start = lsn - lsn % self.block_bytes
            lsn = max(lsn, page_start + self._header_bytes(page_start))
            number = lsn // self.segment_bytes
            if number not in cache:
                cache[number] = self._segment(number)
            offset = lsn % self.segment_bytes
            take = min(size - len(out), page_start + self.block_bytes - lsn)
            out += cache[number][offset : offset + take]
            lsn += take
        return bytes(out), lsn

    def records(self, start: int, end: int, database_oid: int) -> list[bytes]:
        """The whole records (headers, tuples, page images) that begin at or after
        ``start`` (a record boundary, as ``pg_current_wal_insert_lsn()`` gives) and end by
        ``end`` (``pg_current_wal_flush_lsn()``), of those touching ``database_oid``."""
        cache: dict[int, bytes] = {}
        found: list[bytes] = []
        lsn = _align(start)
        while lsn < end:
            header, _ = self._read(lsn, RECORD_HEADER_BYTES, cache)
            (total,) = struct.unpack_from("<I", header, 0)
            if total == 0:  # the rest of a page (or segment) left empty
                lsn = lsn - lsn % self.block_bytes + self.block_bytes
                continue
            record, after = self._read(lsn, total, cache)
            if after > end:
                break
            if _touches(record, database_oid):
                found.append(record)
            lsn = _align(after)
        return found


def _touches(record: bytes, database_oid: int) -> bool:
    """Whether a block reference of the record names a relation of ``database_oid``. The
    headers end where what they announce (block data, images, main data) fills the rest of
    the record, as ``DecodeXLogRecord`` reads them."""
    position = RECORD_HEADER_BYTES
    remaining = len(record) - RECORD_HEADER_BYTES
    announced = 0
    while remaining > announced:
        block_id = record[position]
        position += 1
        if block_id == BLOCK_ID_DATA_SHORT:
            announced += record[position]
            position += 1
        elif block_id == BLOCK_ID_DATA_LONG:
            announced += struct.unpack_from("<I", record, position)[0]
            position += 4
        elif block_id == BLOCK_ID_ORIGIN:
            position += 2
        elif block_id == BLOCK_ID_TOPLEVEL_XID:
            position += 4
        elif block_id > BLOCK_ID_MAX:
            raise ValueError(f"WAL record with block id {block_id}")
        else:
            fork_flags = record[position]
            announced += struct.unpack_from("<H", record, position + 1)[0]
            position += 3
            if fork_flags & BKPBLOCK_HAS_IMAGE:
                image_bytes, _hole_offset, image_info = struct.unpack_from("<HHB", record, position)
                announced += image_bytes
                position += 5
                if image_info & BKPIMAGE_HAS_HOLE and image_info & BKPIMAGE_COMPRESSED:
                    position += 2
            if not fork_flags & BKPBLOCK_SAME_REL:
                _tablespace, database, _relation = struct.unpack_from("<III", record, position)
                if database == database_oid:
                    return True
                position += 12
            position += 4  # block number
        remaining = len(record) - position
        if block_id in (BLOCK_ID_DATA_SHORT, BLOCK_ID_DATA_LONG):
            break  # the main data's header comes after every block header
    return False
