"""Tablets' reports of events that do not match the meeting's hash chain.

Every tablet recomputes the hash of each event it applies (frontend/js/chain-verifier.js);
when one differs, it posts ``{seq, expected, computed}`` here once. The server writes one
WARNING line to the ``ecabinet.integrity`` logger and counts the report in
``ecabinet_chain_mismatch_reports_total``; it stores nothing. Roster members only; each
person may send ``REPORT_BURST`` reports per meeting, then one every ``REPORT_EVERY_SECS``
(429 ``rate-limited`` beyond), counted per worker process in a bounded table.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ecabinet.errors import Invalid, NotFound, RateLimited
from ecabinet.http.common import ID_MAX, current_user, field, path_id, read_json
from ecabinet.meetings import repo
from realtime.limits import Rate, TokenBucket

log = logging.getLogger("ecabinet.integrity")

HASH = re.compile(r"[0-9a-f]{64}")
FIELDS = frozenset({"seq", "expected", "computed"})
REPORT_BURST = 3
REPORT_EVERY_SECS = 60
REPORTERS_MAX = 10_000  # (person, meeting) buckets kept; the oldest goes first


class ReportLimiter:
    """A token bucket per (user, meeting), at most ``REPORTERS_MAX`` of them."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._rate = Rate(1 / REPORT_EVERY_SECS, REPORT_BURST)
        self._buckets: dict[tuple[int, int], TokenBucket] = {}

    def take(self, user_id: int, meeting_id: int) -> bool:
        key = (user_id, meeting_id)
        bucket = self._buckets.pop(key, None) or TokenBucket(self._rate)
        self._buckets[key] = bucket  # most recently used last
        while len(self._buckets) > REPORTERS_MAX:
            del self._buckets[next(iter(self._buckets))]
        if bucket.refill(self._clock()) < 1:
            return False
        bucket.tokens -= 1
        return True


async def report_mismatch(request: Request) -> Response:
    user = await current_user(request)
    meeting_id = path_id(request, "meeting_id")
    async with request.app.state.db.read() as conn:
        if await repo.role_of(conn, meeting_id, user.user_id) is None:
            raise NotFound("no such meeting")
    body = await read_json(request)
    if set(body) != FIELDS:
        raise Invalid("a report is {seq, expected, computed}")
    seq = field(body, "seq", int)
    expected, computed = field(body, "expected", str), field(body, "computed", str)
    if not 1 <= seq <= ID_MAX or not (HASH.fullmatch(expected) and HASH.fullmatch(computed)):
        raise Invalid("seq is a whole number ≥ 1; expected and computed are 64 hex digits")
    limiter: ReportLimiter = request.app.state.integrity_reports
    if not limiter.take(user.user_id, meeting_id):
        raise RateLimited("too many reports; try again later", retry_after_secs=REPORT_EVERY_SECS)
    request.app.state.metrics.chain_mismatch_reports.inc()
    log.warning(
        "chain mismatch reported meeting=%d user=%d seq=%d expected=%s computed=%s",
        meeting_id,
        user.user_id,
        seq,
        expected,
        computed,
    )
    return Response(status_code=204)


routes = [
    Route("/api/meetings/{meeting_id:int}/integrity-reports", report_mismatch, methods=["POST"]),
]
