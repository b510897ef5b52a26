"""Servers under test, each a real uvicorn subprocess on a loopback port: E-cabinet (SQLite
in a temporary directory, or a fresh PostgreSQL database; one worker, or several sharing
PostgreSQL and Redis) and the bare relay."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

from harness import services
from harness.server import Server, free_port, prepare_database, server_env

POSTGRES_ADMIN_DSN = os.environ.get(
    "ECABINET_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("ECABINET_BENCH_REDIS", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
T = TypeVar("T")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass
class Running:
    """A started server: where it listens and how to read its CPU time."""

    url: str
    pid: int
    backend: str
    env: dict[str, str]
    database_url: str

    def cpu(self) -> float:
        return cpu_seconds(self.pid)

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's log (E-cabinet only), for error messages."""
        if "ECABINET_DATA_DIR" not in self.env:
            return ""
        port = self.url.rsplit(":", 1)[1]
        path = Path(self.env["ECABINET_DATA_DIR"]) / f"server-{port}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""


def _in_thread(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion on a loop of its own (callable inside a running loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(work())).result()


@contextlib.contextmanager
def database(backend: str, data_dir: Path) -> Iterator[str]:
    """A fresh database URL for ``backend`` ("sqlite" or "postgres"), dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{data_dir / 'ecabinet.db'}"
        return
    name = _in_thread(lambda: services.create_database(POSTGRES_ADMIN_DSN, "ecabinet_bench"))
    try:
        yield services.database_url(POSTGRES_ADMIN_DSN, name)
    finally:
        _in_thread(lambda: services.drop_database(POSTGRES_ADMIN_DSN, name))


@contextlib.contextmanager
def ecabinet(backend: str = "sqlite") -> Iterator[Running]:
    """E-cabinet with the demo data, one uvicorn worker, as ``harness/server.py`` starts it."""
    with tempfile.TemporaryDirectory(prefix="ecabinet-bench-") as tmp:
        data_dir = Path(tmp)
        with database(backend, data_dir) as database_url:
            env = server_env(data_dir, database_url)
            prepare_database(env)
            server = Server(env).start()
            assert server.process is not None
            try:
                yield Running(server.url, server.process.pid, backend, env, database_url)
            finally:
                server.stop()


@contextlib.contextmanager
def shared_data(backend: str = "postgres") -> Iterator[dict[str, str]]:
    """A prepared database (demo data) and data directory for workers started with
    ``workers``; the environment has one secret key for all of them, as on several hosts.
    Accounts and sessions made through one set of workers stay valid for the next."""
    with tempfile.TemporaryDirectory(prefix="ecabinet-bench-") as tmp:
        data_dir = Path(tmp)
        with database(backend, data_dir) as database_url:
            env = server_env(data_dir, database_url, ECABINET_SECRET_KEY=secrets.token_urlsafe(48))
            prepare_database(env)
            yield env


@contextlib.contextmanager
def workers(
    env: dict[str, str], count: int, redis_url: str | None = None
) -> Iterator[list[Running]]:
    """``count`` E-cabinet processes (uvicorn workers) on distinct ports over the database
    of ``env``; with ``redis_url`` they share it as Socket.IO's message queue (under a
    Redis prefix of their own, whose keys are deleted afterwards)."""
    env = dict(env)
    prefix = ""
    if redis_url:
        prefix = f"ecabinet-bench-{secrets.token_hex(6)}"
        env |= {"ECABINET_REDIS_URL": redis_url, "ECABINET_REDIS_PREFIX": prefix}
    started: list[Server] = []
    backend = "sqlite" if env["ECABINET_DATABASE_URL"].startswith("sqlite") else "postgres"
    label = f"{backend}, {count} worker{'s' if count > 1 else ''}" + (
        " + Redis" if redis_url else ""
    )
    try:
        for _ in range(count):
            started.append(Server(env).start())
        yield [
            Running(s.url, s.process.pid, label, env, env["ECABINET_DATABASE_URL"])
            for s in started
            if s.process is not None
        ]
    finally:
        for server in started:
            server.stop()
        if redis_url:
            _delete_redis_keys(redis_url, prefix)


def _delete_redis_keys(redis_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def rss_bytes(pid: int) -> int:
    """Resident memory of a process now (``VmRSS`` in ``/proc/PID/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def restart(running: Running) -> tuple[Server, Running]:
    """Another E-cabinet process on the same data (a cold cache); the caller stops it."""
    server = Server(running.env).start()
    assert server.process is not None
    return server, Running(
        server.url, server.process.pid, running.backend, running.env, running.database_url
    )


@contextlib.contextmanager
def relay() -> Iterator[Running]:
    """The bare python-socketio relay (``bench.relay``) under the same uvicorn."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.relay:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError("the relay exited at start")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the relay did not start in time")
            time.sleep(0.1)
        yield Running(url, process.pid, "relay", {}, "")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
