"""An upload is stored only when accepted, and the work it causes is bounded.

On a server of its own per database (SQLite and PostgreSQL) with a small meeting quota and
two inspection places: every kind of refused upload (unknown agenda item, unknown document
to replace, ended meeting, an ``Idempotency-Key`` reused with another file, the quota)
leaves no new file under the data directory's ``blobs/`` and no new ``blobs`` row; two
parallel uploads cannot pass the quota together (it is checked under the meeting's lock);
a full inspection pool answers ``503 busy`` with ``Retry-After``; and collection removes
an unreferenced blob while it keeps referenced ones.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ecabinet.documents import storage
from ecabinet.documents.blobstore import BlobStore
from ecabinet.documents.pool import BUSY_RETRY_AFTER_SECS
from ecabinet.store.database import Database
from ecabinet.store.schema import blobs
from harness.client import api, connect, login, new_meeting
from harness.server import Server, prepare_database, server_env
from harness.services import create_postgres_database, drop_postgres_database
from tests import pdfs
from tests.integration.conftest import Running
from tests.integration.test_documents import upload

DOCUMENT_BYTES = 4 * 1024 * 1024
QUOTA_BYTES = 10 * 1024 * 1024  # two documents of 4 MiB fit, a third does not
INSPECT_CONCURRENCY = 2
# Longer than it takes the server to start inspecting an upload it has just received.
INSPECTION_UNDER_WAY_SECS = 0.5


def document(tag: str, size: int = DOCUMENT_BYTES) -> bytes:
    """A one-page PDF of about ``size`` bytes, its bytes made distinct by ``tag``."""
    filler = tag.encode() + bytes(max(0, size - 600))
    return pdfs.one_page(extra_objects=(pdfs.stream(filler),))


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def tight(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Running]:
    data_dir: Path = tmp_path_factory.mktemp(f"tight-{request.param}")
    if request.param == "postgres":
        database_url = create_postgres_database()
        request.addfinalizer(lambda: drop_postgres_database(database_url))
    else:
        database_url = f"sqlite+aiosqlite:///{data_dir / 'ecabinet.db'}"
    env = server_env(
        data_dir,
        database_url,
        ECABINET_MEETING_QUOTA_BYTES=str(QUOTA_BYTES),
        ECABINET_INSPECT_CONCURRENCY=str(INSPECT_CONCURRENCY),
    )
    prepare_database(env)
    server = Server(env).start()
    yield Running(request.param, server.url, env, server)
    server.stop()


@pytest.fixture
async def meeting(tight: Running) -> int:
    return await new_meeting(tight.url, await login(tight.url, "admin"))


def blob_root(server: Running) -> Path:
    return Path(server.env["ECABINET_DATA_DIR"]) / "blobs"


async def stored(server: Running) -> tuple[set[str], set[str]]:
    """Every file under ``blobs/`` (temporary ones included) and every ``blobs`` row."""
    files = {str(p.relative_to(blob_root(server))) for p in blob_root(server).rglob("*")}
    db = Database(server.env["ECABINET_DATABASE_URL"])
    try:
        async with db.read() as conn:
            rows = set(await conn.scalars(select(blobs.c.sha256)))
    finally:
        await db.dispose()
    return {f for f in files if (blob_root(server) / f).is_file()}, rows


async def end_meeting(url: str, meeting: int) -> None:
    chair = await connect(url, "chair")
    try:
        await chair.join(meeting)
        for type_ in ("meeting.start", "meeting.end"):
            assert (await chair.cmd(type_))["ok"], type_
    finally:
        await chair.close()


REFUSED_KINDS = [
    "unknown agenda item",
    "unknown document to replace",
    "ended meeting",
    "idempotency key reused with another file",
    "quota",
]


@pytest.mark.parametrize("kind", REFUSED_KINDS)
async def test_a_refused_upload_leaves_no_file_and_no_row(
    tight: Running, meeting: int, kind: str
) -> None:
    clerk = await login(tight.url, "clerk")
    key = {"Idempotency-Key": f"upload-{os.urandom(6).hex()}"}
    params: dict[str, int] = {}
    if kind == "unknown agenda item":
        params, expected = {"item_id": 999}, (404, "not-found")
    elif kind == "unknown document to replace":
        params, expected = {"replaces_id": 999}, (404, "not-found")
    elif kind == "ended meeting":
        await end_meeting(tight.url, meeting)
        expected = (409, "conflict")
    elif kind == "idempotency key reused with another file":
        first = await upload(tight.url, clerk, meeting, document("first"), headers=key)
        assert first.status_code == 201, first.text
        expected = (422, "idempotency-key-reused")
    else:
        for n in range(2):
            accepted = await upload(tight.url, clerk, meeting, document(f"fits {n}"))
            assert accepted.status_code == 201, accepted.text
        expected = (413, "quota-exceeded")
    before = await stored(tight)
    refused = await upload(
        tight.url, clerk, meeting, document(f"refused {kind}"), headers=key, **params
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == expected, refused.text
    assert await stored(tight) == before


async def test_the_same_idempotency_key_and_file_get_the_first_document(
    tight: Running, meeting: int
) -> None:
    clerk, body = await login(tight.url, "clerk"), document("retried")
    key = {"Idempotency-Key": f"upload-{os.urandom(6).hex()}"}
    first = await upload(tight.url, clerk, meeting, body, headers=key)
    assert first.status_code == 201, first.text
    before = await stored(tight)
    again = await upload(tight.url, clerk, meeting, body, headers=key)
    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    assert await stored(tight) == before


async def test_two_parallel_uploads_cannot_pass_the_quota_together(
    tight: Running, meeting: int
) -> None:
    """Both pass the early check (each fits the room left when it starts); the command,
    under the meeting's lock, accepts one and refuses the other."""
    clerk = await login(tight.url, "clerk")
    assert (await upload(tight.url, clerk, meeting, document("first"))).status_code == 201
    files_before, rows_before = await stored(tight)
    answers = await asyncio.gather(
        *(upload(tight.url, clerk, meeting, document(f"racing {n}")) for n in range(2))
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201, 413], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 413)
    assert refused.json()["error"]["code"] == "quota-exceeded"
    files, rows = await stored(tight)
    assert len(files - files_before) == 1 and len(rows - rows_before) == 1
    async with api(tight.url, clerk) as http:
        documents = (await http.get(f"/api/meetings/{meeting}/documents")).json()["documents"]
    assert sum(d["size"] for d in documents) <= QUOTA_BYTES and len(documents) == 2


async def test_a_full_inspection_pool_answers_busy_with_retry_after(
    tight: Running, meeting: int
) -> None:
    """Two slow files take both places for seconds; a small upload sent meanwhile is
    refused at once, and stores nothing; once they are done it is accepted."""
    clerk = await login(tight.url, "clerk")
    slow = [
        asyncio.create_task(upload(tight.url, clerk, meeting, pdfs.slow_to_inspect(), f"{n}.pdf"))
        for n in range(INSPECT_CONCURRENCY)
    ]
    await asyncio.sleep(INSPECTION_UNDER_WAY_SECS)
    small = document("small", 1000)
    started = time.monotonic()
    busy = await upload(tight.url, clerk, meeting, small)
    print(f"\n[busy] answered in {time.monotonic() - started:.3f} s: {busy.status_code}")
    assert not all(task.done() for task in slow), "the slow files finished before the test"
    assert busy.status_code == 503, busy.text
    assert busy.json()["error"]["code"] == "busy"
    assert busy.headers["retry-after"] == str(BUSY_RETRY_AFTER_SECS)
    assert [t.status_code for t in await asyncio.gather(*slow)] == [201] * INSPECT_CONCURRENCY
    files, rows = await stored(tight)
    assert hashlib.sha256(small).hexdigest() not in rows
    assert not [f for f in files if f.startswith("tmp/")]  # nothing left waiting
    later = await upload(tight.url, clerk, meeting, small)
    assert later.status_code == 201, later.text


async def test_collection_removes_unreferenced_blobs_and_keeps_referenced_ones(
    tight: Running, meeting: int
) -> None:
    """An upload's blob is referenced by its ``document.added`` event; an orphan (what a
    transaction failing after the file was placed leaves) has a file and a row but no
    event. Everything is made older than the collection's bound, but a fresh orphan."""
    clerk = await login(tight.url, "clerk")
    kept = (await upload(tight.url, clerk, meeting, document("kept", 1000))).json()["document"]
    store = BlobStore(blob_root(tight))
    now = time.time()
    old = now - storage.COLLECT_MIN_AGE_SECS - 60
    orphan, fresh = "ab" * 32, "cd" * 32
    for sha256 in (orphan, fresh):
        store.path(sha256).parent.mkdir(parents=True, exist_ok=True)
        store.path(sha256).write_bytes(b"%PDF-1.7 an orphan " + sha256.encode())
    stale_temp = store.temp_path()
    stale_temp.write_bytes(b"an upload a stopped server left")
    for path in (store.path(kept["sha256"]), store.path(orphan), stale_temp):
        os.utime(path, (old, old))
    db = Database(tight.env["ECABINET_DATABASE_URL"])
    try:
        async with db.write() as conn:
            for sha256, at in ((orphan, old), (fresh, now)):
                await conn.execute(
                    blobs.insert().values(
                        sha256=sha256, size=30, pages=1, page_sizes="[[595, 842]]", created_at=at
                    )
                )
            await conn.execute(
                update(blobs).where(blobs.c.sha256 == kept["sha256"]).values(created_at=old)
            )
        done = await storage.collect(db, store, now)
        async with db.read() as conn:
            rows = set(await conn.scalars(select(blobs.c.sha256)))
    finally:
        await db.dispose()
    print(f"\n[collect] {done}")
    assert not store.path(orphan).exists() and orphan not in rows
    assert not stale_temp.exists()
    assert store.path(fresh).exists() and fresh in rows
    assert store.path(kept["sha256"]).exists() and kept["sha256"] in rows
    assert (done.blobs, done.rows) >= (1, 1)
    async with api(tight.url, clerk) as http:
        file = await http.get(f"/api/meetings/{meeting}/documents/{kept['id']}/file")
    assert file.status_code == 200 and file.content.startswith(b"%PDF")
