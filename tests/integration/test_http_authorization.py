"""Every HTTP route × every kind of caller, from the table in ``ecabinet.http.access``:
each cell is tried against a real server, with ids of the caller's meeting and with ids
that belong to another meeting; a route the table does not name fails the test."""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.routing import Mount, Route

from ecabinet.app import create_app
from ecabinet.config import load_settings
from ecabinet.http.access import CALLERS, PLANNER_ROUTES, ROUTES, Outcome
from harness.client import api, login, new_meeting, user_ids
from harness.server import DEMO_PASSWORD
from tests import pdfs
from tests.integration.conftest import Running

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

USERNAME_OF = {
    "admin": "admin",
    "chair": "chair",
    "clerk": "clerk",
    "member": "member1",
    "observer": "observer",
}
STATUS_OF = {
    Outcome.UNAUTHENTICATED: 401,
    Outcome.NOT_ALLOWED: 403,
    Outcome.NOT_FOUND: 404,
}


@dataclass(frozen=True)
class World:
    """Meeting ``own`` (the demo roster; ended; document 1; minutes draft version 1) and
    meeting ``other`` (the non-member chairs it; documents 1–2; minutes versions 1–2)."""

    own: int
    other: int
    committee: int
    third_user: int  # a user who is none of the callers (member8), with a certificate
    outsider: str  # the non-member's user name
    jobs: tuple[str, str]  # a minutes generation of each meeting
    tokens: dict[str, str | None]


async def _ok(client: httpx.AsyncClient, response: httpx.Response) -> dict[str, Any]:
    assert response.status_code < 300, response.text
    return response.json() if response.content else {}


async def _cmd(url: str, token: str, meeting: int, type_: str) -> None:
    from harness.client import RoomClient

    client = await RoomClient().connect(url, token)
    try:
        assert (await client.join(meeting))["ok"]
        ack = await client.cmd(type_)
        assert ack["ok"], ack
    finally:
        await client.close()


async def _upload(url: str, token: str, meeting: int) -> None:
    async with api(url, token) as http:
        response = await http.post(
            f"/api/meetings/{meeting}/documents",
            content=pdfs.pages(1),
            headers={"Content-Type": "application/pdf", "X-File-Name": "a.pdf"},
        )
        assert response.status_code == 201, response.text


async def _build(url: str) -> World:
    admin = await login(url, "admin")
    outsider = f"outsider-{secrets.token_hex(3)}"
    async with api(url, admin) as http:
        await _ok(
            http,
            await http.post(
                "/api/users",
                json={"username": outsider, "display_name": "Người ngoài", "password": "x" * 12},
            ),
        )
        committee = (await http.get("/api/committees")).json()["committees"][0]["id"]
    ids = await user_ids(url, admin)
    own = await new_meeting(url, admin)
    async with api(url, admin) as http:
        created = await http.post(
            "/api/meetings",
            json={
                "committee_id": committee,
                "title": "Phiên họp khác",
                "scheduled_at": "2026-12-02T08:00:00+07:00",
                "roster": [
                    {"user_id": ids[outsider], "role": "chair"},
                    {"user_id": ids["member8"], "role": "clerk"},
                ],
            },
        )
        other = int((await _ok(http, created))["meeting"]["id"])
    tokens: dict[str, str | None] = {
        caller: await login(url, name) for caller, name in USERNAME_OF.items()
    }
    tokens["non-member"] = await login(url, outsider, "x" * 12)
    tokens["anonymous"] = None
    third = await login(url, "member8")
    await _upload(url, tokens["clerk"] or "", own)
    for _ in range(2):
        await _upload(url, third, other)
    for meeting, chair in ((own, tokens["chair"]), (other, tokens["non-member"])):
        await _cmd(url, chair or "", meeting, "meeting.start")
        await _cmd(url, chair or "", meeting, "meeting.end")
    own_job = await _generate_as_job(url, tokens["clerk"] or "", own)
    other_job = await _generate_as_job(url, third, other)
    async with api(url, third) as http:
        await _ok(http, await http.post(f"/api/meetings/{other}/minutes"))
        signed = await http.post(
            f"/api/meetings/{other}/minutes/2/sign", json={"secret": DEMO_PASSWORD}
        )
        await _ok(http, signed)
    return World(own, other, committee, ids["member8"], outsider, (own_job, other_job), tokens)


async def _generate_as_job(url: str, token: str, meeting: int) -> str:
    async with api(url, token) as http:
        started = await http.post(
            f"/api/meetings/{meeting}/minutes", headers={"Prefer": "respond-async"}
        )
        job = (await _ok(http, started))["job"]
        async with asyncio.timeout(60):
            while job["state"] not in ("done", "failed"):
                await asyncio.sleep(0.2)
                polled = await http.get(f"/api/meetings/{meeting}/minutes/jobs/{job['id']}")
                job = (await _ok(http, polled))["job"]
        assert job["state"] == "done", job
        return str(job["id"])


@pytest.fixture(scope="module")
def world(running: Running) -> World:
    return asyncio.run(_build(running.url))


def _path(template: str, world: World, meeting: int, *, foreign_child: bool = False) -> str:
    child = 2 if foreign_child else 1  # ids 2 exist only in the other meeting
    values = {
        "meeting_id": meeting,
        "document_id": child,
        "version": child,
        "user_id": world.third_user,
        "committee_id": world.committee,
        "job_id": world.jobs[1 if foreign_child else 0],
    }
    path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(values[m.group(1)]), template)
    return "/static/js/app.js" if path == "/static" else path


async def _call(url: str, method: str, path: str, token: str | None) -> httpx.Response:
    """The request for one cell: a body that passes no validation (``[]``), so an allowed
    caller gets 400 or 409 instead of changing anything, except sign-out (with a session
    of its own), whose effect is harmless here."""
    async with api(url, token) as http:
        if method in ("GET", "DELETE"):
            return await http.request(method, path)
        if path.endswith("/logout"):
            return await http.request(method, path)
        return await http.request(method, path, json=[])


def _assert_outcome(response: httpx.Response, expected: Outcome, cell: object) -> None:
    assert response.status_code < 500, (cell, response.status_code, response.text)
    if expected is Outcome.OK:
        assert response.status_code not in (401, 403, 404), (cell, response.text)
    else:
        assert response.status_code == STATUS_OF[expected], (cell, response.text)
        assert response.json()["error"]["code"] == expected.value, cell


def _ids(keys: list[tuple[str, str]]) -> list[str]:
    return [f"{method} {path}" for method, path in keys]


@pytest.mark.parametrize(("method", "template"), list(ROUTES), ids=_ids(list(ROUTES)))
async def test_every_caller_gets_what_the_table_says(
    running: Running, world: World, method: str, template: str
) -> None:
    for caller in CALLERS:
        token = world.tokens[caller]
        if template == "/api/logout" and token is not None:
            name = world.outsider if caller == "non-member" else USERNAME_OF[caller]
            token = await login(
                running.url, name, "x" * 12 if caller == "non-member" else DEMO_PASSWORD
            )
        response = await _call(running.url, method, _path(template, world, world.own), token)
        _assert_outcome(response, ROUTES[method, template][caller], (method, template, caller))


MEETING_ROUTES = [key for key in ROUTES if "{meeting_id" in key[1]]
CHILD_ROUTES = [
    key for key in MEETING_ROUTES if re.search(r"\{(document_id|version|job_id)", key[1])
]


@pytest.mark.parametrize(("method", "template"), MEETING_ROUTES, ids=_ids(MEETING_ROUTES))
async def test_another_meetings_id_is_not_found(
    running: Running, world: World, method: str, template: str
) -> None:
    """Every caller of the own meeting, aimed at the other one: as a non-member, but for
    the clerk on a planning route (a clerk of the committee plans all its meetings)."""
    row = ROUTES[method, template]
    for caller in ("admin", "chair", "clerk", "member", "observer", "anonymous"):
        as_non_member = caller in USERNAME_OF and caller != "admin"
        if caller == "clerk" and (method, template) in PLANNER_ROUTES:
            as_non_member = False
        expected = row["non-member"] if as_non_member else row[caller]
        path = _path(template, world, world.other)
        response = await _call(running.url, method, path, world.tokens[caller])
        _assert_outcome(response, expected, (method, template, caller))
        if response.status_code == 404:
            assert "no such meeting" in response.json()["error"]["message"]


@pytest.mark.parametrize(("method", "template"), CHILD_ROUTES, ids=_ids(CHILD_ROUTES))
async def test_a_document_or_minutes_id_of_another_meeting_is_not_found(
    running: Running, world: World, method: str, template: str
) -> None:
    """Ids that exist in the other meeting, asked for through the own meeting."""
    row = ROUTES[method, template]
    for caller in CALLERS:
        expected = Outcome.NOT_FOUND if row[caller] is Outcome.OK else row[caller]
        path = _path(template, world, world.own, foreign_child=True)
        response = await _call(running.url, method, path, world.tokens[caller])
        _assert_outcome(response, expected, (method, template, caller))


def test_the_table_names_every_route_of_the_app(running: Running) -> None:
    app = create_app(load_settings(running.env)).other_asgi_app
    while not hasattr(app, "routes"):  # through the middlewares
        app = app.app
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        if isinstance(route, Mount):
            found.add(("GET", route.path))
        else:
            assert isinstance(route, Route), route
            found.update((m, route.path) for m in route.methods or () if m != "HEAD")
    assert found - set(ROUTES) == set(), "routes without a row in ecabinet.http.access"
    assert set(ROUTES) - found == set(), "rows of ecabinet.http.access without a route"
