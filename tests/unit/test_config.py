from __future__ import annotations

from pathlib import Path

import pytest

from ecabinet.config import Environment, SettingsError, load_settings

GOOD_SECRET = "x" * 40


def test_development_defaults_use_sqlite_under_data_dir_and_keep_a_secret(tmp_path: Path) -> None:
    settings = load_settings({"ECABINET_DATA_DIR": str(tmp_path)})
    assert settings.env is Environment.DEVELOPMENT
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'ecabinet.db'}"
    assert settings.is_sqlite and settings.redis_url is None and settings.allowed_origins == ()
    again = load_settings({"ECABINET_DATA_DIR": str(tmp_path)})
    assert again.secret_key == settings.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert not settings.secure_cookies


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY is required"):
        load_settings(
            {
                "ECABINET_ENV": "production",
                "ECABINET_DATA_DIR": str(tmp_path),
                "ECABINET_ALLOWED_ORIGINS": "https://hop.example.vn",
            }
        )
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_an_empty_origin_list(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="ALLOWED_ORIGINS must list"):
        load_settings({"ECABINET_ENV": "production", "ECABINET_SECRET_KEY": GOOD_SECRET})


@pytest.mark.parametrize("origins", ["*", "https://a.example.vn,*"])
def test_wildcard_origins_are_refused_in_every_environment(origins: str, tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="may not contain"):
        load_settings({"ECABINET_DATA_DIR": str(tmp_path), "ECABINET_ALLOWED_ORIGINS": origins})


def test_production_with_secret_and_origins_starts_with_secure_cookies() -> None:
    settings = load_settings(
        {
            "ECABINET_ENV": "production",
            "ECABINET_SECRET_KEY": GOOD_SECRET,
            "ECABINET_ALLOWED_ORIGINS": "https://Hop.Example.vn/, https://b.example.vn:8443",
            "ECABINET_DATABASE_URL": "postgresql+asyncpg://u@db/ecabinet",
        }
    )
    assert settings.allowed_origins == ("https://hop.example.vn", "https://b.example.vn:8443")
    assert settings.secure_cookies and not settings.is_sqlite


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ENV", "staging", "ECABINET_ENV must be one of"),
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL must be"),
        ("REDIS_URL", "http://redis", "REDIS_URL must start"),
        ("ALLOWED_ORIGINS", "hop.example.vn", "not an origin"),
        ("ALLOWED_ORIGINS", "https://hop.example.vn/path", "not an origin"),
        ("SECRET_KEY", "short", "at least 32"),
        ("SESSION_IDLE_SECS", "soon", "whole number"),
        ("SESSION_MAX_SECS", "0", "positive"),
        ("TSA_URL", "tsa.example.vn", "TSA_URL must be an http"),
    ],
)
def test_malformed_settings_name_the_variable(
    name: str, value: str, message: str, tmp_path: Path
) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings({"ECABINET_DATA_DIR": str(tmp_path), f"ECABINET_{name}": value})


def test_flood_limits_and_the_quota_are_read_and_must_be_positive(tmp_path: Path) -> None:
    defaults = load_settings({"ECABINET_DATA_DIR": str(tmp_path)})
    assert defaults.meeting_quota_bytes == 2 * 1024**3
    assert (defaults.request_timeout_secs, defaults.request_body_idle_secs) == (120, 30)
    settings = load_settings(
        {
            "ECABINET_DATA_DIR": str(tmp_path),
            "ECABINET_COMMANDS_PER_SEC": "5",
            "ECABINET_USER_COMMANDS_PER_SEC": "7",
            "ECABINET_USER_EPHEMERAL_PER_SEC": "9",
            "ECABINET_CONNECTIONS_PER_USER": "2",
            "ECABINET_MEETING_QUOTA_BYTES": "1000",
        }
    )
    limits = settings.hub_limits()
    assert (limits.commands_connection.per_sec, limits.commands_connection.burst) == (5, 15)
    assert (limits.commands_user.per_sec, limits.commands_user.burst) == (7, 21)
    assert limits.ephemeral_user.per_sec == 9 and limits.connections_per_user == 2
    assert settings.meeting_quota_bytes == 1000
    for name in ("CONNECTIONS_PER_USER", "MEETING_QUOTA_BYTES", "REQUEST_TIMEOUT_SECS"):
        with pytest.raises(SettingsError, match=f"ECABINET_{name}"):
            load_settings({"ECABINET_DATA_DIR": str(tmp_path), f"ECABINET_{name}": "0"})
