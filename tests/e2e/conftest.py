"""Browser tests: a real server (uvicorn, SQLite in a temporary directory) and Debian's
Chromium driven by Playwright's sync API.

The server lives for the whole session; the browser for this package only, so that
Playwright's own event loop is gone before other packages' async tests run. Tests that
change a meeting make their own (``fresh_meeting``) so that they stay independent; only
the test of the demo walk-through uses the demo meeting.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from ecabinet.demo import DEMO_MEETING, PEOPLE
from harness.client import DEMO_ROSTER, connect
from harness.server import DEMO_PASSWORD, Server, prepare_database, server_env

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# 10" tablets, in CSS pixels.
PORTRAIT = {"width": 800, "height": 1280}
LANDSCAPE = {"width": 1280, "height": 800}
EXPECT_TIMEOUT_MS = 10_000
# user name -> display name, as the demo seeds them.
NAMES = {person.username: person.display_name for person in PEOPLE}

expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("e2e-server")
    env = server_env(data_dir, f"sqlite+aiosqlite:///{data_dir / 'ecabinet.db'}")
    prepare_database(env)
    server = Server(env).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(e2e_server: Server) -> str:
    return e2e_server.url


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make system-test-deps`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


NewContext = Callable[..., BrowserContext]


@pytest.fixture
def new_context(browser: Browser, base_url: str) -> Iterator[NewContext]:
    """Makes browser contexts (one per person: separate cookies), closed after the test.
    An uncaught exception in any of their pages fails the test."""
    contexts: list[BrowserContext] = []
    page_errors: list[str] = []

    def make(viewport: dict[str, int] | None = None, **options: object) -> BrowserContext:
        context = browser.new_context(
            base_url=base_url,
            viewport=viewport or LANDSCAPE,
            has_touch=True,
            locale="vi-VN",
            **options,
        )
        context.on("page", lambda page: page.on("pageerror", lambda e: page_errors.append(str(e))))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert page_errors == [], "uncaught errors in the app"


def sign_in(context: BrowserContext, username: str, password: str = DEMO_PASSWORD) -> Page:
    """A page of ``context`` signed in as ``username``, showing the meeting list."""
    page = context.new_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"#/login$"))
    page.locator("#login-username").fill(username)
    page.locator("#login-password").fill(password)
    page.locator("form.login-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"#/meetings$"))
    expect(page.get_by_test_id("current-user")).to_have_text(NAMES[username])
    return page


def open_room(page: Page, meeting_id: int) -> None:
    page.goto(f"/#/meetings/{meeting_id}")
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "live")


def roster_row(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("roster-row").filter(has_text=name)


@contextlib.contextmanager
def admin_client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=15) as client:
        response = client.post("/api/login", json={"username": "admin", "password": DEMO_PASSWORD})
        response.raise_for_status()
        yield client


@pytest.fixture
def fresh_meeting(base_url: str) -> Callable[..., int]:
    """Creates a scheduled meeting of the demo committee with the demo roster."""

    def create(title: str = "Phiên họp chuyên đề về chuyển đổi số") -> int:
        with admin_client(base_url) as http:
            users = {u["username"]: u["id"] for u in http.get("/api/users").json()["users"]}
            committee = http.get("/api/committees").json()["committees"][0]
            response = http.post(
                "/api/meetings",
                json={
                    "committee_id": committee["id"],
                    "title": title,
                    "location": "Phòng họp số 2, Trụ sở Ủy ban nhân dân tỉnh",
                    "scheduled_at": "2026-11-26T14:00:00+07:00",
                    "roster": [
                        {"user_id": users[name], "role": role} for name, role in DEMO_ROSTER.items()
                    ],
                },
            )
            response.raise_for_status()
            return int(response.json()["meeting"]["id"])

    return create


@pytest.fixture(scope="session")
def demo_meeting(base_url: str) -> int:
    with httpx.Client(base_url=base_url, timeout=15) as http:
        http.post(
            "/api/login", json={"username": "chair", "password": DEMO_PASSWORD}
        ).raise_for_status()
        meetings = http.get("/api/meetings").json()["meetings"]
    return next(m["id"] for m in meetings if m["title"] == DEMO_MEETING)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


def as_user(
    base_url: str, username: str, meeting_id: int, commands: list[tuple[str, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Send ``commands`` to a meeting as ``username`` through a socket of its own (setting a
    scene faster than through the screens); every command must be accepted."""

    async def run() -> list[dict[str, Any]]:
        client = await connect(base_url, username)
        try:
            joined = await client.join(meeting_id)
            assert joined["ok"], joined
            acks = []
            for type_, data in commands:
                ack = await client.cmd(type_, data)
                assert ack["ok"], (type_, data, ack)
                acks.append(ack)
            return acks
        finally:
            await client.close()

    # Playwright's sync API owns this thread's event loop: run the socket in another thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def upload_pdf(
    base_url: str,
    meeting_id: int,
    content: bytes,
    *,
    title: str,
    filename: str = "tai-lieu.pdf",
    username: str = "clerk",
    item_id: int | None = None,
    replaces_id: int | None = None,
) -> dict[str, Any]:
    """Upload a PDF through the HTTP API; returns the document as the server describes it."""
    params: dict[str, Any] = {"title": title}
    if item_id is not None:
        params["item_id"] = item_id
    if replaces_id is not None:
        params["replaces_id"] = replaces_id
    with httpx.Client(base_url=base_url, timeout=60) as http:
        login = http.post("/api/login", json={"username": username, "password": DEMO_PASSWORD})
        login.raise_for_status()
        response = http.post(
            f"/api/meetings/{meeting_id}/documents",
            params=params,
            content=content,
            headers={"Content-Type": "application/pdf", "X-File-Name": quote(filename)},
        )
        response.raise_for_status()
        document: dict[str, Any] = response.json()["document"]
        return document


def user_ids(base_url: str) -> dict[str, int]:
    with admin_client(base_url) as http:
        return {u["username"]: u["id"] for u in http.get("/api/users").json()["users"]}
