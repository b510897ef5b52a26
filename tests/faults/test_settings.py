"""The settings behind the fault tests and the bounds: parsed, and the fault hook refused
outside the test environment."""

from __future__ import annotations

import pytest

from ecabinet.config import SettingsError, load_settings

KEY = {"ECABINET_SECRET_KEY": "k" * 40}


def test_defaults() -> None:
    settings = load_settings(KEY)
    assert settings.send_queue_max_messages == 1000
    assert settings.send_queue_max_bytes == 8 * 1024 * 1024
    assert settings.replay_window_events == 1000
    assert settings.fault_abort_before_commit == 0.0


def test_bounds_and_window_are_read() -> None:
    settings = load_settings(
        {
            **KEY,
            "ECABINET_SEND_QUEUE_MAX_MESSAGES": "50",
            "ECABINET_SEND_QUEUE_MAX_BYTES": "65536",
            "ECABINET_REPLAY_WINDOW_EVENTS": "20",
        }
    )
    assert (settings.send_queue_max_messages, settings.send_queue_max_bytes) == (50, 65536)
    assert settings.replay_window_events == 20


@pytest.mark.parametrize(
    "name", ["SEND_QUEUE_MAX_MESSAGES", "SEND_QUEUE_MAX_BYTES", "REPLAY_WINDOW_EVENTS"]
)
@pytest.mark.parametrize("value", ["0", "-1", "many"])
def test_bounds_must_be_positive_whole_numbers(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({**KEY, f"ECABINET_{name}": value})


def test_the_fault_hook_only_exists_in_the_test_environment() -> None:
    fault = {**KEY, "ECABINET_FAULT_ABORT_BEFORE_COMMIT": "0.1"}
    assert load_settings({**fault, "ECABINET_ENV": "test"}).fault_abort_before_commit == 0.1
    for env in ("development", "production"):
        with pytest.raises(SettingsError, match="only allowed with ECABINET_ENV=test"):
            load_settings({**fault, "ECABINET_ENV": env, "ECABINET_ALLOWED_ORIGINS": "https://a.b"})
    for bad in ("1", "1.5", "-0.1", "often"):
        with pytest.raises(SettingsError, match="FAULT_ABORT_BEFORE_COMMIT"):
            load_settings(
                {**fault, "ECABINET_ENV": "test", "ECABINET_FAULT_ABORT_BEFORE_COMMIT": bad}
            )
