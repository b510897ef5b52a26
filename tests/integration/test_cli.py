"""The ``ecabinet`` command on a fresh SQLite database."""

from __future__ import annotations

import re
from pathlib import Path

from harness.server import run_cli, server_env


def test_init_demo_user_and_audit_on_a_fresh_machine(tmp_path: Path) -> None:
    env = server_env(tmp_path / "data", f"sqlite+aiosqlite:///{tmp_path / 'data' / 'ecabinet.db'}")
    assert run_cli(env, "init").returncode == 0
    assert run_cli(env, "init").returncode == 0  # idempotent

    first = run_cli(env, "demo")
    assert first.returncode == 0, first.stderr
    logins = dict(re.findall(r"^(chair|member8)\s+\w+\s+(\S+)\s", first.stdout, re.MULTILINE))
    assert set(logins) == {"chair", "member8"}
    assert "Nguyễn Văn Hùng" in first.stdout and "Ngô Thị Thanh Thủy" in first.stdout
    meeting_line = first.stdout.splitlines()[0]
    assert meeting_line.startswith("Demo meeting 1:")

    second = run_cli(env, "demo", "--password", "mật-khẩu-chung")
    assert second.returncode == 0 and second.stdout.splitlines()[0] == meeting_line  # same meeting
    assert second.stdout.count("mật-khẩu-chung") == 12

    added = run_cli(
        env, "user", "add", "thuky2", "--name", "Phan Thị Thu Trang", "--password", "mật khẩu dài"
    )
    assert added.returncode == 0 and "user thuky2 created" in added.stdout
    taken = run_cli(env, "user", "add", "thuky2", "--name", "Ai Đó", "--password", "mật khẩu dài")
    assert taken.returncode == 1 and "conflict" in taken.stderr
    weak = run_cli(env, "user", "add", "thuky3", "--name", "Ai Đó", "--password", "ngắn")
    assert weak.returncode == 1 and "invalid" in weak.stderr

    assert run_cli(env, "audit", "verify", "1").returncode == 0
    missing = run_cli(env, "audit", "verify", "42")
    assert missing.returncode == 1 and "no meeting 42" in missing.stdout


def test_a_production_setting_error_stops_the_command_with_a_clear_message(tmp_path: Path) -> None:
    env = server_env(
        tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", ECABINET_ENV="production"
    )
    result = run_cli(env, "init")
    assert result.returncode == 2
    assert "configuration error: ECABINET_SECRET_KEY is required in production" in result.stderr
