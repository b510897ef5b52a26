"""Every process the server starts ends with it, even when the server is killed.

The server starts three kinds of children:

- the minutes and watermark pools (``concurrent.futures`` over multiprocessing's *spawn*):
  each worker runs ``watch_parent`` as its initializer and exits at once when the server
  is gone. Without it a worker blocked on its task queue never notices (it holds the
  queue's write end itself), and lives on at 90–150 MB after a SIGKILL or an OOM kill;
- the PDF inspector, a plain subprocess: ``die_with_parent`` (its ``preexec_fn``) asks the
  kernel to kill it when the server dies (``PR_SET_PDEATHSIG``);
- uvicorn's workers under ``ecabinet serve --workers N``: the application's start-up calls
  ``watch_parent(stop_gracefully)``, so a worker whose supervisor was killed shuts down
  as on SIGTERM, and is ended outright if that has not finished in time.

multiprocessing's resource tracker ends by itself once the last process holding its pipe
(the server and its pool workers) is gone.

A stopped (not killed) server shuts its pools down in its lifespan; ``ecabinet serve``
bounds uvicorn's graceful shutdown, so that everything has ended within 5 seconds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

log = logging.getLogger(__name__)

# After the supervisor is gone, a uvicorn worker has this long to shut down gracefully
# before it ends itself (the whole must stay within the 10 s an orphan may live).
ORPHAN_GRACE_SECS = 5.0
PARENT_GONE_EXIT_CODE = 3
# A stopping server gives a running minutes or watermark task this long before its worker
# is killed (the server must be gone within 5 s of SIGTERM).
POOL_GRACE_SECS = 2.0
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def watch_parent(on_parent_gone: Callable[[], None] | None = None) -> bool:
    """In a process started by multiprocessing: call ``on_parent_gone`` (default: exit at
    once) from a daemon thread when the parent process ends. Returns False (and does
    nothing) in a process that multiprocessing did not start."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return False
    sentinel = parent.sentinel
    action = on_parent_gone or _exit_now

    def wait() -> None:
        # The sentinel becomes ready when the parent's end of the spawn pipe closes: only
        # when the parent process is gone.
        multiprocessing.connection.wait([sentinel])
        action()

    threading.Thread(target=wait, name="parent-watch", daemon=True).start()
    return True


def _exit_now() -> None:
    os._exit(PARENT_GONE_EXIT_CODE)


def stop_gracefully() -> None:
    """The supervisor is gone: stop this worker as SIGTERM would, and end it outright if
    the graceful shutdown has not finished within ``ORPHAN_GRACE_SECS``."""
    log.warning("the supervising process is gone: this worker stops")
    threading.Timer(ORPHAN_GRACE_SECS, _exit_now).start()
    os.kill(os.getpid(), signal.SIGTERM)


def die_with_parent(parent_pid: int) -> None:
    """In a forked child before ``exec`` (a ``preexec_fn``; ``parent_pid`` is the server's,
    read before the fork): have the kernel send SIGKILL when the thread that forked it
    ends. The server forks from its event-loop thread, which lives as long as the server.
    Linux only; elsewhere this does nothing."""
    if _LIBC is None:
        return
    _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The server may have died between the fork and prctl: then no signal would come.
    if os.getppid() != parent_pid:
        os._exit(PARENT_GONE_EXIT_CODE)


def end_pool(pool: ProcessPoolExecutor, grace_secs: float = POOL_GRACE_SECS) -> None:
    """Shut a process pool down without waiting on a long task: queued tasks are
    cancelled, a running one has ``grace_secs`` to finish, then its worker is killed."""
    # ``_processes`` is the executor's own table of its workers (CPython 3.8 to 3.14); the
    # public ``shutdown(wait=True)`` would wait for a 30-second rendering.
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace_secs
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1.0)


def _load_libc() -> ctypes.CDLL | None:
    # Loaded in the server, never in a forked child (dlopen after fork may deadlock).
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name, use_errno=True) if name else None
    except OSError:
        return None


_LIBC = _load_libc()
