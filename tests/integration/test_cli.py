"""The ``ecabinet`` command on a fresh SQLite database."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
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
        env, "user", "add", "thuky2", "--name", "Phan Thị Thu Trang", "--password", "mật khẩu dài",
        "--title", "Phó Chánh Văn phòng", "--unit", "Văn phòng UBND tỉnh",
    )  # fmt: skip
    assert added.returncode == 0 and "user thuky2 created" in added.stdout
    long_title = run_cli(
        env, "user", "add", "thuky4", "--name", "Ai Đó", "--password", "mật khẩu dài",
        "--title", "x" * 201,
    )  # fmt: skip
    assert long_title.returncode == 1 and "invalid" in long_title.stderr
    with closing(sqlite3.connect(tmp_path / "data" / "ecabinet.db")) as db:
        stored = dict(
            (name, (title, unit))
            for name, title, unit in db.execute("SELECT username, title, unit FROM users")
        )
    assert stored["thuky2"] == ("Phó Chánh Văn phòng", "Văn phòng UBND tỉnh")
    assert "thuky4" not in stored
    assert stored["chair"] == ("Chủ tịch UBND tỉnh", "Ủy ban nhân dân tỉnh Hòa Lâm")  # the demo
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
