"""The checkpoint files: DATA_DIR/checkpoints/<meeting_id>.jsonl, one JSON line each.

Contract: a line is appended with one ``write`` on a descriptor opened with ``O_APPEND``,
then fsynced, so workers sharing one DATA_DIR never interleave parts of lines and an
appended line survives a crash. Nothing here rewrites or truncates a file. Reading
tolerates damage: a line that is not a checkpoint is reported by its number, never
skipped silently (``read``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ecabinet.checkpoints.signing import Checkpoint

CHECKPOINTS_DIR = "checkpoints"  # under DATA_DIR
FILE_MODE = 0o644  # the files are not secret: tablets hold the same lines
TAIL_BYTES = 4096  # enough for the last line (a line has about 250 bytes)


def directory(data_dir: Path) -> Path:
    return data_dir / CHECKPOINTS_DIR


def path_for(folder: Path, meeting_id: int) -> Path:
    return folder / f"{meeting_id}.jsonl"


def _line(checkpoint: Checkpoint) -> bytes:
    return (json.dumps(checkpoint.to_wire(), separators=(",", ":")) + "\n").encode("ascii")


def append(folder: Path, checkpoint: Checkpoint) -> None:
    """Append one checkpoint line durably (blocking: run it in a thread)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = path_for(folder, checkpoint.meeting_id)
    created = not path.exists()
    data = _line(checkpoint)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        if os.write(fd, data) != len(data):
            raise OSError(f"{path}: a checkpoint line was written in part")
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:  # the new file's name must survive a crash too
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@dataclass(frozen=True)
class Line:
    """One line of a checkpoint file: its number (from 1) and the checkpoint, or why not."""

    number: int
    checkpoint: Checkpoint | None
    error: str = ""


def _parse(number: int, raw: bytes) -> Line:
    try:
        return Line(number, Checkpoint.from_wire(json.loads(raw)))
    except ValueError as exc:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        return Line(number, None, f"not a checkpoint: {exc}")


def read(folder: Path, meeting_id: int) -> list[Line]:
    """Every line of the meeting's file, in file order; none when there is no file."""
    try:
        content = path_for(folder, meeting_id).read_bytes()
    except FileNotFoundError:
        return []
    raws = content.split(b"\n")
    if raws and raws[-1] == b"":
        raws.pop()
    return [_parse(number, raw) for number, raw in enumerate(raws, start=1)]


def latest(folder: Path, meeting_id: int) -> Checkpoint | None:
    """The last complete line's checkpoint, read from the file's tail (one small read)."""
    try:
        with path_for(folder, meeting_id).open("rb") as file:
            size = file.seek(0, os.SEEK_END)
            file.seek(max(0, size - TAIL_BYTES))
            tail = file.read()
    except FileNotFoundError:
        return None
    for raw in reversed(tail.split(b"\n")[:-1]):  # a partial last line has no newline yet
        checkpoint = _parse(0, raw).checkpoint
        if checkpoint is not None and checkpoint.meeting_id == meeting_id:
            return checkpoint
    return None
