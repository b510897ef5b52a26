"""Processes seen through ``/proc`` (Linux): who descends from whom, and who is still alive.

For the tests that no process outlives the server that started it, and for the test
session's own check that it leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import time
from pathlib import Path

PROC = Path("/proc")
_PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None when it is gone."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may contain spaces: split after the last ')'.
    state, ppid = raw[raw.rindex(")") + 2 :].split()[:2]
    return state, int(ppid)


def alive(pid: int) -> bool:
    """Running or sleeping: neither gone nor a zombie waiting to be reaped."""
    found = _stat(pid)
    return found is not None and found[0] not in ("Z", "X")


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (children, their children, …)."""
    parents: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            found = _stat(int(entry.name))
            if found is not None and found[0] not in ("Z", "X"):
                parents.setdefault(found[1], []).append(int(entry.name))
    result: set[int] = set()
    stack = [pid]
    while stack:
        for child in parents.get(stack.pop(), []):
            if child not in result:
                result.add(child)
                stack.append(child)
    return result


def command_line(pid: int) -> str:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return "?"
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()[:200]


def wait_until_gone(pids: set[int], timeout_secs: float) -> set[int]:
    """Wait until none of ``pids`` is alive (reaping those that are our own children);
    returns the ones still alive at the deadline."""
    deadline = time.monotonic() + timeout_secs
    while True:
        reap_zombie_children(pids)
        left = {pid for pid in pids if alive(pid)}
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.1)


def reap_zombie_children(pids: set[int] | None = None) -> None:
    """Reap the zombies among this process's own children (orphans adopted as a
    subreaper), only those in ``pids`` when given: an exit status that a ``Popen`` object
    still waits for must stay for it."""
    me = os.getpid()
    candidates = (
        pids if pids is not None else {int(e.name) for e in PROC.iterdir() if e.name.isdigit()}
    )
    for pid in candidates:
        found = _stat(pid)
        if found is not None and found[0] == "Z" and found[1] == me:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


def kill_all(pids: set[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def become_subreaper() -> bool:
    """Adopt the orphans of our descendants (a server killed by a test leaves its workers
    to us instead of to init), so that they can be found. Linux only."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    return bool(ctypes.CDLL(name).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)


def descendants_of_me() -> set[int]:
    return descendants(os.getpid())
