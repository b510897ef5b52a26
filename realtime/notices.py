"""Log lines about connections that sent what cannot be read, and a bound on how many.

A client that sends garbage must not be able to fill the server's log. Each such
connection is closed after its first bad frame (``gate``, ``intake``) and costs one line;
over all connections at most ``NOTICES_PER_MINUTE`` lines leave a minute, and the number
held back is told by the next line that leaves.

python-socketio and python-engineio log, with a traceback, every frame they fail to handle
(and some of those failures keep the connection open). ``LibraryErrors`` is a filter for
their loggers: such a record becomes one line here instead, naming the kind of error (never
its text, which may quote the frame); records without a traceback pass unchanged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

NOTICES_PER_MINUTE = 20  # lines about unreadable frames and idle connections, all together
NOTICE_WINDOW_SECS = 60.0


class Notices:
    """One line per event, at most ``per_window`` lines per ``NOTICE_WINDOW_SECS``;
    ``clock`` is monotonic seconds."""

    def __init__(
        self,
        per_window: int = NOTICES_PER_MINUTE,
        clock: Callable[[], float] = time.monotonic,
        logger: logging.Logger = log,
    ) -> None:
        self._per_window = per_window
        self._clock = clock
        self._logger = logger
        self._window_start: float | None = None
        self._told = 0
        self._held = 0

    def tell(self, message: str) -> None:
        now = self._clock()
        if self._window_start is None or now - self._window_start >= NOTICE_WINDOW_SECS:
            self._window_start, self._told = now, 0
        if self._told >= self._per_window:
            self._held += 1
            return
        self._told += 1
        if self._held:
            message += f" ({self._held} more such lines were held back before this one)"
            self._held = 0
        self._logger.warning("%s", message)


class LibraryErrors(logging.Filter):
    """Turns a socket library's error with a traceback into one line of ``notices``."""

    def __init__(self, notices: Notices) -> None:
        super().__init__()
        self._notices = notices

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info is None or record.exc_info[0] is None:
            return True
        self._notices.tell(f"{record.name}: {record.msg} ({record.exc_info[0].__name__})")
        return False


def quiet(logger: logging.Logger, notices: Notices) -> None:
    """Put a ``LibraryErrors`` filter on ``logger`` (replacing one put there before)."""
    for old in [f for f in logger.filters if isinstance(f, LibraryErrors)]:
        logger.removeFilter(old)
    logger.addFilter(LibraryErrors(notices))
