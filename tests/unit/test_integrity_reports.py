"""The bound on tablets' chain-mismatch reports (ecabinet/http/integrity_routes.py)."""

from __future__ import annotations

import pytest

from ecabinet.http import integrity_routes
from ecabinet.http.integrity_routes import REPORT_BURST, REPORT_EVERY_SECS, ReportLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_person_gets_a_burst_per_meeting_then_one_report_a_minute() -> None:
    clock = Clock()
    limiter = ReportLimiter(clock)
    assert [limiter.take(7, 1) for _ in range(REPORT_BURST + 1)] == [True] * REPORT_BURST + [False]
    assert limiter.take(7, 2) and limiter.take(8, 1)  # another meeting, another person
    clock.now += REPORT_EVERY_SECS / 2
    assert not limiter.take(7, 1)
    clock.now += REPORT_EVERY_SECS / 2
    assert limiter.take(7, 1) and not limiter.take(7, 1)


def test_the_table_of_reporters_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(integrity_routes, "REPORTERS_MAX", 3)
    limiter = ReportLimiter(Clock())
    for _ in range(REPORT_BURST):
        assert limiter.take(1, 1)
    for user in (2, 3, 4):  # pushes (1, 1), the least recently used, out
        limiter.take(user, 1)
    assert len(limiter._buckets) == 3
    assert limiter.take(1, 1)  # forgotten: a fresh bucket
