"""The arithmetic of sign-in throttling: how long to wait, said to people, and the delay
per user name (the counting itself runs on both databases in
tests/integration/test_login_throttle.py)."""

from __future__ import annotations

import pytest

from ecabinet.auth.throttle import (
    ATTEMPT_WINDOW_SECS,
    USER_DELAY_MAX_SECS,
    user_delay_secs,
    wait_secs,
    wait_text,
)

NOW = 1_800_000_000.0


def test_under_the_limit_there_is_no_wait() -> None:
    assert wait_secs([NOW - 10, NOW - 5, NOW - 1, NOW], 5, NOW) == 0


def test_at_the_limit_the_wait_ends_when_the_oldest_leaves_the_window() -> None:
    attempts = [NOW - 600, NOW - 300, NOW - 200, NOW - 100, NOW]
    assert wait_secs(attempts, 5, NOW) == ATTEMPT_WINDOW_SECS - 600


def test_over_the_limit_enough_must_leave_to_get_below_it() -> None:
    """Seven counted with a limit of five: three must leave, the third oldest last."""
    attempts = [NOW - 800, NOW, NOW - 700, NOW - 10, NOW - 600, NOW - 20, NOW - 30]
    assert wait_secs(attempts, 5, NOW) == ATTEMPT_WINDOW_SECS - 600


def test_a_wait_is_whole_seconds_rounded_up_and_never_zero() -> None:
    assert wait_secs([NOW - ATTEMPT_WINDOW_SECS + 0.2], 1, NOW) == 1
    assert wait_secs([NOW - 0.5], 1, NOW) == ATTEMPT_WINDOW_SECS


@pytest.mark.parametrize(
    ("secs", "said"),
    [
        (1, "1 second"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (ATTEMPT_WINDOW_SECS, "15 minutes"),
    ],
)
def test_the_wait_is_said_in_seconds_or_whole_minutes(secs: int, said: str) -> None:
    assert wait_text(secs) == said


def test_the_first_five_attempts_on_a_name_are_answered_at_once() -> None:
    assert [user_delay_secs(n) for n in range(5)] == [0.0] * 5


def test_then_answers_wait_1_2_4_8_seconds_and_never_longer() -> None:
    assert [user_delay_secs(n) for n in range(5, 11)] == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert user_delay_secs(10**6) == USER_DELAY_MAX_SECS == 8.0
