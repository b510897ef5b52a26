"""``ecabinet demo`` prepares a real meeting on a fresh SQLite database: an agenda with
sub-items, presenters and planned times, and Vietnamese documents rendered at seed time,
uploaded through the documents' path and attached to their items; a second run changes
nothing."""

from __future__ import annotations

import asyncio
import io
import time
import unicodedata
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from pypdf import PdfReader
from sqlalchemy import select

from ecabinet.demo import DEMO_MEETING
from ecabinet.documents.blobstore import BlobStore
from ecabinet.meetings import rules
from ecabinet.store import eventlog
from ecabinet.store.database import Database
from ecabinet.store.schema import blobs, meetings
from harness.server import run_cli, server_env

PASSWORD = "mật-khẩu-demo-2026"
# Letters only Vietnamese uses (tone marks on top of a vowel's own mark, ơ, ư, đ).
VIETNAMESE_LETTERS = frozenset("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
SEED_MAX_SECS = 60  # the whole `ecabinet demo` on a busy 2-core machine (a few s alone)


async def _read(database_url: str, data_dir: Path) -> dict[str, Any]:
    """The demo meeting's log, its folded state, the stored blob rows and files."""
    db = Database(database_url)
    try:
        async with db.read() as conn:
            meeting_id = await conn.scalar(
                select(meetings.c.id).where(meetings.c.title == DEMO_MEETING)
            )
            assert meeting_id is not None
            events = await eventlog.read_after(conn, meeting_id, 0, limit=10_000)
            rows = sorted((await conn.execute(select(blobs.c.sha256, blobs.c.size))).all())
    finally:
        await db.dispose()
    files = sorted(str(p.relative_to(data_dir)) for p in (data_dir / "blobs").rglob("*"))
    return {
        "meeting_id": meeting_id,
        "log": [(e.seq, e.type, e.hash) for e in events],
        "state": rules.fold(rules.MeetingState(), events),
        "blobs": rows,
        "files": files,
    }


def _fonts(reader: PdfReader) -> dict[str, dict[int, str]]:
    """Every font of every page: base font name -> its embedded program's cmap."""
    found: dict[str, dict[int, str]] = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            assert program is not None, f"{font['/BaseFont']} is not embedded"
            parsed = TTFont(io.BytesIO(program.get_object().get_data()))
            found[str(font["/BaseFont"])] = dict(parsed.getBestCmap() or {})
    return found


def test_demo_prepares_the_meeting_with_agenda_and_vietnamese_documents(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    database_url = f"sqlite+aiosqlite:///{data_dir / 'ecabinet.db'}"
    env = server_env(data_dir, database_url)
    assert run_cli(env, "init").returncode == 0
    started = time.monotonic()
    first = run_cli(env, "demo", "--password", PASSWORD)
    seconds = time.monotonic() - started
    print(f"\n[demo] first `ecabinet demo`: {seconds:.1f} s")
    assert first.returncode == 0, first.stderr
    assert "not added" not in first.stderr
    assert seconds < SEED_MAX_SECS
    seeded = asyncio.run(_read(database_url, data_dir))
    state: rules.MeetingState = seeded["state"]
    assert state.status is rules.Status.SCHEDULED

    # The agenda: 5–8 items, some with sub-items; every item has a presenter on the
    # roster and planned minutes.
    agenda = state.agenda
    top = agenda.children.get(None, ())
    assert 5 <= len(top) <= 8
    parents = [i for i in top if agenda.children.get(i)]
    assert len(parents) >= 2
    roster_ids = _roster_ids(database_url, seeded["meeting_id"])
    for item in agenda.items.values():
        assert item.presenter_id in roster_ids, item.title
        assert item.planned_minutes is not None and item.planned_minutes > 0, item.title
        assert item.title == unicodedata.normalize("NFC", item.title)
    assert len({item.presenter_id for item in agenda.items.values()}) >= 3
    assert sum(agenda.items[i].planned_minutes or 0 for i in top) >= 120  # a morning's meeting

    # The documents: 3–4 PDFs, each attached to an item (by its upload and on the agenda).
    documents = list(state.documents.documents.values())
    assert 3 <= len(documents) <= 4
    store = BlobStore(data_dir / "blobs")
    titles = []
    for document in documents:
        assert document.item_id is not None and document.item_id in agenda.items
        assert document.id in agenda.items[document.item_id].document_ids
        pdf = store.path(document.sha256).read_bytes()
        assert pdf.startswith(b"%PDF-")
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == document.pages >= 1
        text = "".join(page.extract_text() for page in reader.pages)
        assert text == unicodedata.normalize("NFC", text)
        assert "Hòa Lâm" in text and "DỮ LIỆU MẪU" in text, document.title
        used = VIETNAMESE_LETTERS & set(text.lower())
        assert len(used) >= 15, (document.title, sorted(used))
        # Every font is embedded and is the minutes' serif (no letter fell back to another
        # font), and its embedded program maps every Vietnamese letter of the text.
        fonts = _fonts(reader)
        assert fonts and all("Liberation-Serif" in name for name in fonts), list(fonts)
        mapped = {chr(code) for cmap in fonts.values() for code in cmap}
        letters = {c for c in text if c.isalpha()}
        assert letters <= mapped, sorted(letters - mapped)
        titles.append(document.title)
    kinds = " ".join(titles).lower()
    assert "tờ trình" in kinds and "báo cáo" in kinds and "dự thảo nghị quyết" in kinds

    # A second run: new passwords, nothing else changes (no event, no file, no row).
    second = run_cli(env, "demo", "--password", PASSWORD + "-2")
    assert second.returncode == 0, second.stderr
    again = asyncio.run(_read(database_url, data_dir))
    assert again["log"] == seeded["log"]
    assert (again["blobs"], again["files"]) == (seeded["blobs"], seeded["files"])
    assert again["meeting_id"] == seeded["meeting_id"]


def _roster_ids(database_url: str, meeting_id: int) -> set[int]:
    from ecabinet.meetings import repo

    async def read() -> set[int]:
        db = Database(database_url)
        try:
            async with db.read() as conn:
                return {entry.user_id for entry in await repo.roster(conn, meeting_id)}
        finally:
            await db.dispose()

    return asyncio.run(read())
