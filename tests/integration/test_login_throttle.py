"""Sign-in throttling against real servers: attempts are counted before the password is
checked (however parallel), per user name and address; a flood from one address slows that
address and not the real user elsewhere; forwarded addresses and schemes are believed from
ECABINET_TRUSTED_PROXIES only.

Each test signs in from loopback addresses of its own (127.x.y.z, never 127.0.0.1 unless it
says why), so that its attempts do not count against the other tests' address.
"""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ecabinet.auth.service import AuthService
from ecabinet.auth.throttle import (
    ATTEMPT_WINDOW_SECS,
    ATTEMPTS_PER_ADDRESS,
    ATTEMPTS_PER_NAME_AT_ADDRESS,
    USER_DELAY_FIRST_SECS,
)
from ecabinet.config import load_settings
from ecabinet.errors import InvalidCredentials, RateLimited
from ecabinet.store.database import Database
from harness.client import COOKIE, api, login
from harness.server import (
    STARTUP_TIMEOUT_SECS,
    Server,
    embedded_server,
    free_port,
    prepare_database,
    server_env,
)
from harness.services import create_postgres_database, drop_postgres_database
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio

RIGHT = "mật khẩu đủ dài"
WRONG = "không phải mật khẩu"
FORGED = "203.0.113.9"  # what a client claims in X-Forwarded-For
PROXY = "127.0.0.2"  # the trusted proxy of the embedded server below


def loopback() -> str:
    """A loopback address of this test's own (the whole 127.0.0.0/8 reaches the server)."""
    return f"127.{2 + secrets.randbelow(250)}.{secrets.randbelow(256)}.{1 + secrets.randbelow(254)}"


def client_from(address: str, base_url: str, token: str | None = None) -> httpx.AsyncClient:
    """An HTTP client whose connections leave from ``address``."""
    return httpx.AsyncClient(
        base_url=base_url,
        transport=httpx.AsyncHTTPTransport(local_address=address),
        cookies={COOKIE: token} if token else None,
        timeout=30,
    )


async def sign_in(
    http: httpx.AsyncClient, name: str, password: str, **headers: str
) -> httpx.Response:
    return await http.post(
        "/api/login", json={"username": name, "password": password}, headers=headers
    )


async def new_user(base_url: str, admin_token: str) -> tuple[str, int]:
    name = f"u{secrets.token_hex(4)}"
    async with api(base_url, admin_token) as http:
        created = await http.post(
            "/api/users", json={"username": name, "display_name": "Chủ tọa thử", "password": RIGHT}
        )
        assert created.status_code == 201, created.text
        return name, int(created.json()["user"]["id"])


async def session_addresses(base_url: str, admin_token: str, user_id: int) -> list[str]:
    async with api(base_url, admin_token) as http:
        listed = await http.get(f"/api/users/{user_id}/sessions")
    return [s["address"] for s in listed.json()["sessions"]]


async def parallel_sign_ins(clients: list[httpx.AsyncClient], name: str) -> Counter[int]:
    """24 wrong passwords and the right one at once, spread over ``clients``; the answers'
    status codes counted."""
    passwords = [WRONG] * 12 + [RIGHT] + [WRONG] * 12
    answers = await asyncio.gather(
        *(sign_in(clients[i % len(clients)], name, pw) for i, pw in enumerate(passwords))
    )
    assert all(int(a.headers["Retry-After"]) > 0 for a in answers if a.status_code == 429), (
        "every refusal says when to come back"
    )
    return Counter(a.status_code for a in answers)


async def test_25_parallel_sign_ins_of_one_name_check_5_passwords_and_refuse_20(
    running: Running, admin_token: str
) -> None:
    name, _ = await new_user(running.url, admin_token)
    async with client_from(loopback(), running.url) as http:
        codes = await parallel_sign_ins([http], name)
    checked = codes[401] + codes[200]
    assert checked == ATTEMPTS_PER_NAME_AT_ADDRESS == 5, codes
    assert codes[429] == 25 - checked and set(codes) <= {200, 401, 429}, codes


async def test_a_signed_in_session_guesses_the_password_no_faster_than_the_sign_in_form(
    running: Running, admin_token: str
) -> None:
    """Checking the current password to change it counts as a sign-in attempt: after the
    limit of wrong guesses from one address, even the right password waits, and nothing
    changed."""
    name, _ = await new_user(running.url, admin_token)
    address = loopback()
    async with client_from(address, running.url) as http:
        signed_in = await sign_in(http, name, RIGHT)
        assert signed_in.status_code == 200, signed_in.text
        token = signed_in.cookies[COOKIE]

    def change(current: str) -> dict[str, str]:
        return {"current_password": current, "new_password": "mật khẩu mới đủ dài"}

    async with client_from(address, running.url, token) as http:
        # The sign-in counts as one attempt of the name at this address.
        for _ in range(ATTEMPTS_PER_NAME_AT_ADDRESS - 1):
            wrong = await http.post("/api/me/password", json=change(WRONG))
            assert wrong.status_code == 401, wrong.text
        refused = await http.post("/api/me/password", json=change(RIGHT))
        assert refused.status_code == 429, refused.text
        assert refused.json()["error"]["code"] == "rate-limited"
        assert int(refused.headers["Retry-After"]) > 0
        assert (await http.get("/api/me")).status_code == 200, "the session was not ended"
    async with client_from(loopback(), running.url) as http:
        assert (await sign_in(http, name, RIGHT)).status_code == 200, "the password is unchanged"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def two_workers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    """Two server processes on one database (no Redis: sign-in needs none)."""
    data_dir = tmp_path_factory.mktemp(f"two-workers-{request.param}")
    if request.param == "postgres":
        database_url = create_postgres_database()
        request.addfinalizer(lambda: drop_postgres_database(database_url))
    else:
        database_url = f"sqlite+aiosqlite:///{data_dir / 'ecabinet.db'}"
    env = server_env(data_dir, database_url)
    prepare_database(env)
    servers: list[Server] = []
    try:
        servers.append(Server(env).start())
        servers.append(Server(env).start())
        yield servers[0], servers[1]
    finally:
        for server in servers:
            server.stop()


async def test_25_parallel_sign_ins_over_two_workers_check_5_passwords(
    two_workers: tuple[Server, Server],
) -> None:
    a, b = two_workers
    admin_token = await login(a.url, "admin")
    name, _ = await new_user(a.url, admin_token)
    address = loopback()
    async with client_from(address, a.url) as on_a, client_from(address, b.url) as on_b:
        codes = await parallel_sign_ins([on_a, on_b], name)
    assert codes[401] + codes[200] == ATTEMPTS_PER_NAME_AT_ADDRESS, codes
    assert codes[429] == 20, codes


async def test_a_flood_from_one_address_slows_it_and_not_the_real_user_elsewhere(
    running: Running, admin_token: str
) -> None:
    name, _ = await new_user(running.url, admin_token)
    async with client_from(loopback(), running.url) as attacker:
        flood = await asyncio.gather(*(sign_in(attacker, name, WRONG) for _ in range(20)))
        async with client_from(loopback(), running.url) as chair:
            started = time.monotonic()
            signed_in = await sign_in(chair, name, RIGHT)
            waited = time.monotonic() - started
        again = await sign_in(attacker, name, RIGHT)
    assert Counter(a.status_code for a in flood) == {401: 5, 429: 15}
    assert signed_in.status_code == 200, signed_in.text
    # Slowed, not locked: five attempts on the name already hold the answer for a second.
    assert waited >= USER_DELAY_FIRST_SECS
    assert again.status_code == 429
    retry_after = int(again.headers["Retry-After"])
    assert ATTEMPT_WINDOW_SECS - 60 < retry_after <= ATTEMPT_WINDOW_SECS
    assert again.json() == {
        "error": {
            "code": "rate-limited",
            "message": "too many sign-in attempts for this user name from your address; "
            "try again in 15 minutes",
        }
    }


@dataclass
class InProcess:
    """The sign-in service on the running server's database, with a clock the test moves
    (``now[0]``, whole seconds so that waits come out exact) and a sleep that only records
    how long it was asked to wait."""

    auth: AuthService
    now: list[float]
    slept: list[float]


@asynccontextmanager
async def in_process_auth(running: Running) -> AsyncIterator[InProcess]:
    db = Database(running.env["ECABINET_DATABASE_URL"])
    now = [float(int(time.time()))]
    slept: list[float] = []

    async def sleep(secs: float) -> None:
        slept.append(secs)

    # The shared test servers lift the per-address limit (harness/server.py): the default here.
    settings = dataclasses.replace(
        load_settings(running.env), login_attempts_per_address=ATTEMPTS_PER_ADDRESS
    )
    auth = AuthService(db, settings, clock=lambda: now[0], sleep=sleep)
    try:
        yield InProcess(auth, now, slept)
    finally:
        await db.dispose()


async def test_answers_on_a_name_under_attack_wait_1_2_4_8_seconds_and_are_never_refused(
    running: Running,
) -> None:
    """Five guesses on one name from anywhere, then each further address waits longer, at
    most 8 s; every one of them is still checked."""
    async with in_process_auth(running) as service:
        name = f"ghost{secrets.token_hex(4)}"
        for _ in range(10):
            with pytest.raises(InvalidCredentials):
                await service.auth.login(name, WRONG, loopback(), "test")
    assert service.slept == [1.0, 2.0, 4.0, 8.0, 8.0]


async def test_an_address_may_try_again_when_its_oldest_attempt_leaves_the_window(
    running: Running,
) -> None:
    async with in_process_auth(running) as service:
        auth, now = service.auth, service.now
        name, address, start = f"ghost{secrets.token_hex(4)}", loopback(), now[0]
        for i in range(5):
            now[0] = start + i
            with pytest.raises(InvalidCredentials):
                await auth.login(name, WRONG, address, "test")
        now[0] = start + 10
        with pytest.raises(RateLimited) as refused:
            await auth.login(name, WRONG, address, "test")
        assert refused.value.retry_after_secs == ATTEMPT_WINDOW_SECS - 10
        # The refusal itself was not counted: half a second after the first attempt left
        # the window, exactly one more is checked.
        now[0] = start + ATTEMPT_WINDOW_SECS + 0.5
        with pytest.raises(InvalidCredentials):
            await auth.login(name, WRONG, address, "test")
        with pytest.raises(RateLimited) as again:
            await auth.login(name, WRONG, address, "test")
        assert again.value.retry_after_secs == 1


async def test_thirty_attempts_from_one_address_on_any_names_then_it_waits(
    running: Running,
) -> None:
    async with in_process_auth(running) as service:
        address = loopback()
        for _ in range(ATTEMPTS_PER_ADDRESS):
            with pytest.raises(InvalidCredentials):
                await service.auth.login(f"ghost{secrets.token_hex(4)}", WRONG, address, "test")
        with pytest.raises(RateLimited) as refused:
            await service.auth.login(f"ghost{secrets.token_hex(4)}", WRONG, address, "test")
    assert refused.value.retry_after_secs == ATTEMPT_WINDOW_SECS
    assert refused.value.message == (
        "too many sign-in attempts from your address; try again in 15 minutes"
    )


async def test_forwarded_for_from_an_untrusted_peer_is_ignored(
    running: Running, admin_token: str
) -> None:
    """From 127.0.0.1 on purpose: that is the peer uvicorn itself would trust by default."""
    name, user_id = await new_user(running.url, admin_token)
    async with client_from("127.0.0.1", running.url) as http:
        answer = await sign_in(http, name, RIGHT, **{"X-Forwarded-For": FORGED})
    assert answer.status_code == 200
    assert await session_addresses(running.url, admin_token, user_id) == ["127.0.0.1"]


async def test_the_default_origin_check_refuses_the_wrong_scheme(
    running: Running, admin_token: str
) -> None:
    name, _ = await new_user(running.url, admin_token)
    token = await login(running.url, name, RIGHT)
    https_origin = running.url.replace("http://", "https://")
    async with api(running.url, token) as http:
        refused = await http.post("/api/logout", headers={"Origin": https_origin})
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "not-allowed"
        assert (await http.get("/api/me")).status_code == 200
        assert (await http.post("/api/logout", headers={"Origin": running.url})).status_code == 204


@pytest.fixture(scope="module")
def behind_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with embedded_server(
        tmp_path_factory.mktemp("behind-proxy"), ECABINET_TRUSTED_PROXIES=PROXY
    ) as server:
        yield server


async def test_forwarded_for_is_honoured_from_a_trusted_proxy_only(behind_proxy: Server) -> None:
    url = behind_proxy.url
    admin_token = await login(url, "admin")
    name, user_id = await new_user(url, admin_token)
    async with client_from(PROXY, url) as proxy:
        through = await sign_in(proxy, name, RIGHT, **{"X-Forwarded-For": f"1.1.1.1, {FORGED}"})
    async with client_from("127.0.0.1", url) as direct:
        forged = await sign_in(direct, name, RIGHT, **{"X-Forwarded-For": "198.51.100.4"})
    assert through.status_code == forged.status_code == 200
    assert await session_addresses(url, admin_token, user_id) == [FORGED, "127.0.0.1"]


async def test_behind_a_trusted_proxy_each_client_is_throttled_alone(
    behind_proxy: Server,
) -> None:
    admin_token = await login(behind_proxy.url, "admin")
    name, _ = await new_user(behind_proxy.url, admin_token)
    attacker, chair = {"X-Forwarded-For": "198.51.100.66"}, {"X-Forwarded-For": "198.51.100.7"}
    async with client_from(PROXY, behind_proxy.url) as proxy:
        guesses = [await sign_in(proxy, name, WRONG, **attacker) for _ in range(6)]
        signed_in = await sign_in(proxy, name, RIGHT, **chair)
    assert [g.status_code for g in guesses] == [401] * 5 + [429]
    assert signed_in.status_code == 200


async def test_behind_a_trusted_proxy_ending_tls_the_origin_must_be_https(
    behind_proxy: Server,
) -> None:
    url = behind_proxy.url
    https_origin = url.replace("http://", "https://")
    token = await login(url, "member1")
    tls = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.8"}
    async with client_from("127.0.0.1", url, token) as direct:
        # not from the proxy: its X-Forwarded-Proto is the client's claim, and ignored
        claimed = await direct.post("/api/logout", headers={**tls, "Origin": https_origin})
    async with client_from(PROXY, url, token) as proxy:
        plain = await proxy.post("/api/logout", headers={**tls, "Origin": url})
        assert (await proxy.get("/api/me")).status_code == 200
        secure = await proxy.post("/api/logout", headers={**tls, "Origin": https_origin})
    assert (claimed.status_code, plain.status_code, secure.status_code) == (403, 403, 204)


@contextmanager
def ecabinet_serve(data_dir: Path) -> Iterator[str]:
    """``ecabinet serve`` itself (the command an installation runs), on SQLite."""
    env = server_env(data_dir, f"sqlite+aiosqlite:///{data_dir / 'ecabinet.db'}")
    prepare_database(env)
    port = free_port()
    with (data_dir / "serve.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "ecabinet.cli", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_SECS
            while not _answers(url):
                assert process.poll() is None, "ecabinet serve exited at start-up"
                assert time.monotonic() < deadline, "ecabinet serve did not start in time"
                time.sleep(0.1)
            yield url
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


async def test_ecabinet_serve_ignores_forwarded_for_even_from_localhost(tmp_path: Path) -> None:
    """uvicorn, left to itself, believes X-Forwarded-For from 127.0.0.1; `ecabinet serve`
    leaves the judgement to ECABINET_TRUSTED_PROXIES (unset here)."""
    with ecabinet_serve(tmp_path) as url:
        admin_token = await login(url, "admin")
        name, user_id = await new_user(url, admin_token)
        async with client_from("127.0.0.1", url) as http:
            answer = await sign_in(http, name, RIGHT, **{"X-Forwarded-For": FORGED})
        assert answer.status_code == 200
        assert await session_addresses(url, admin_token, user_id) == ["127.0.0.1"]
