"""A real E-cabinet server in a subprocess (uvicorn), seeded with the demo data."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

DEMO_PASSWORD = "mật-khẩu-demo-2026"
STARTUP_TIMEOUT_SECS = 30
UNLIMITED = str(10**6)  # a flood limit no test reaches


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(
    data_dir: Path, database_url: str, redis_url: str | None = None, **extra: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECABINET_")}
    env.update(
        ECABINET_ENV="test",
        ECABINET_DATA_DIR=str(data_dir),
        ECABINET_DATABASE_URL=database_url,
        ECABINET_LOG_LEVEL="WARNING",
    )
    if redis_url:
        env["ECABINET_REDIS_URL"] = redis_url
    # Test and benchmark servers drive many tablets per person and send commands as fast as
    # acks return: the flood limits stay out of their way. tests/integration/test_limits.py
    # runs a server with small limits of its own (``extra`` wins).
    env.update(
        ECABINET_COMMANDS_PER_SEC=UNLIMITED,
        ECABINET_USER_COMMANDS_PER_SEC=UNLIMITED,
        ECABINET_CONNECTIONS_PER_USER=UNLIMITED,
        # Every test signs in from 127.0.0.1, and the API fuzzing sends many wrong
        # passwords: the per-address sign-in limit would stop the tests that follow.
        # tests/integration/test_login_throttle.py tests it with the default.
        ECABINET_LOGIN_ATTEMPTS_PER_ADDRESS=UNLIMITED,
    )
    env.update(extra)
    return env


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ecabinet.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def prepare_database(env: dict[str, str]) -> None:
    for args in (("init",), ("demo", "--password", DEMO_PASSWORD)):
        result = run_cli(env, *args)
        if result.returncode != 0:
            raise RuntimeError(
                f"ecabinet {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )


@dataclass
class Server:
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        log_path = Path(self.env["ECABINET_DATA_DIR"]) / f"server-{self.port}.log"
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "ecabinet.app:app_from_env",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                # as `ecabinet serve`: forwarded headers are the application's to judge
                "--no-proxy-headers",
            ],
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.close()
                raise RuntimeError(f"server exited: {log_path.read_text(errors='replace')[-3000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start in time")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if hasattr(self, "_log"):
            self._log.close()


@contextmanager
def embedded_server(data_dir: Path, **settings: str) -> Iterator[Server]:
    """A seeded server of its own on SQLite in ``data_dir``, with extra ``ECABINET_*``
    settings (for tests that need a setting the shared servers do not have)."""
    env = server_env(data_dir, f"sqlite+aiosqlite:///{data_dir / 'ecabinet.db'}", **settings)
    prepare_database(env)
    server = Server(env).start()
    try:
        yield server
    finally:
        server.stop()
