"""A roster changed in the back office on one worker holds on the other (PostgreSQL and
Redis): the ``roster.changed`` event reaches the tablets of both, the other worker's
roster cache follows it (a person added there can act at once, a person removed cannot),
and the removed person's socket on the other worker leaves the meeting at once."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.client import api, connect, login, user_ids
from harness.server import Server, prepare_database, server_env
from harness.services import (
    create_postgres_database,
    delete_redis_keys,
    drop_postgres_database,
    require_redis,
    unique_redis_prefix,
)

pytestmark = pytest.mark.asyncio


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Two servers on one fresh PostgreSQL database and a Redis prefix of their own."""
    redis_url = require_redis()
    database_url = create_postgres_database()
    prefix = unique_redis_prefix()
    data_dir: Path = tmp_path_factory.mktemp("meetings-cluster")
    env = server_env(
        data_dir,
        database_url,
        redis_url,
        ECABINET_REDIS_PREFIX=prefix,
        ECABINET_SECRET_KEY=secrets.token_urlsafe(48),
    )
    servers: list[Server] = []
    try:
        prepare_database(env)
        servers.append(Server(env).start())
        servers.append(Server(env).start())
        yield [server.url for server in servers]
    finally:
        for server in servers:
            server.stop()
        drop_postgres_database(database_url)
        delete_redis_keys(prefix)


@pytest.mark.postgres
@pytest.mark.redis
async def test_a_roster_change_on_one_worker_holds_on_the_other(two_workers: list[str]) -> None:
    a, b = two_workers
    admin = await login(a, "admin")
    ids = await user_ids(a, admin)
    async with api(a, admin) as http:
        committee = (await http.get("/api/committees")).json()["committees"][0]["id"]
        created = await http.post(
            "/api/meetings",
            json={
                "committee_id": committee,
                "title": "Họp hai máy chủ",
                "scheduled_at": "2031-05-05T08:00:00+07:00",
                "roster": [
                    {"user_id": ids["chair"], "role": "chair"},
                    {"user_id": ids["member1"], "role": "member"},
                    {"user_id": ids["member2"], "role": "member"},
                ],
            },
        )
        assert created.status_code == 201, created.text
        meeting = created.json()["meeting"]["id"]
    leaving = await connect(b, "member1")
    staying = await connect(b, "member2")
    try:
        assert (await leaving.join(meeting))["ok"] and (await staying.join(meeting))["ok"]
        # Worker B runs a command of the meeting: it now holds the roster in its cache.
        assert (await leaving.cmd("attendance.check_in"))["ok"]
        async with api(a, admin) as http:
            changed = await http.put(
                f"/api/meetings/{meeting}/roster",
                json={
                    "roster": [
                        {"user_id": ids["chair"], "role": "chair"},
                        {"user_id": ids["member2"], "role": "member"},
                        {"user_id": ids["member3"], "role": "member"},
                    ]
                },
            )
            assert changed.status_code == 200, changed.text
        await staying.wait_for(lambda: any(e["type"] == "roster.changed" for e in staying.events))
        event = next(e for e in staying.events if e["type"] == "roster.changed")
        assert event["data"]["removed"] == [ids["member1"]]
        # The removed person's socket on B left the meeting (the control channel told B).
        await leaving.wait_for(lambda: bool(leaving.other) or not leaving.sio.connected)
        assert ("roster-removed", {"meeting_id": meeting}) in leaving.other
        refused = await leaving.cmd("attendance.check_out")
        assert refused["ok"] is False and refused["error"]["code"] == "not-joined"
        assert (await leaving.join(meeting))["error"]["code"] == "not-found"
        # The person added on A acts on B at once: B read the roster again.
        newcomer = await connect(b, "member3")
        try:
            assert (await newcomer.join(meeting))["ok"]
            ack = await newcomer.cmd("attendance.check_in")
            assert ack["ok"], ack
        finally:
            await newcomer.close()
    finally:
        await leaving.close()
        await staying.close()
