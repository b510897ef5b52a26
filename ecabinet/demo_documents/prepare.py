"""Prepare the demo meeting as a clerk would: the agenda (``plan.AGENDA``) and the
documents (``DOCUMENTS``), each through the meeting's own commands, so that every change
is an event in its log.

Idempotent by content: an item whose title is already under its parent, and a document
whose title the meeting already has, are left as they are; only what is missing is added
(a first run fills an empty meeting, a second changes nothing). A meeting that has ended
or was cancelled is left alone. Documents take the upload's path: streamed to a temporary
file, magic bytes checked, inspected in the bounded subprocess, then ``document.add``
places the file at its content address. A document this installation's limits refuse
(a small ``ECABINET_MEETING_QUOTA_BYTES``) is left out with a warning; the rest is seeded.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, cast

from ecabinet.canonical import nfc
from ecabinet.checkpoints.anchor import Anchor
from ecabinet.checkpoints.signing import CheckpointSigner
from ecabinet.config import Settings
from ecabinet.demo_documents import BY_KEY, render_pdf
from ecabinet.demo_documents.plan import walk
from ecabinet.documents import ingest
from ecabinet.documents.blobstore import BlobStore
from ecabinet.documents.storage import StagedUpload
from ecabinet.errors import ECabinetError
from ecabinet.meetings.rules import MeetingState, Status
from ecabinet.meetings.sealing import BallotKeys
from ecabinet.meetings.service import CommandEnvelope, MeetingService, utc_now
from ecabinet.store.database import Database

log = logging.getLogger(__name__)

# Runs one command as the clerk: (type, data) -> ack.
Run = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]
PREPARED_STATUSES = (Status.SCHEDULED, Status.LIVE)  # an ended meeting's agenda is history


async def prepare(
    db: Database, settings: Settings, meeting_id: int, ids: Mapping[str, int]
) -> dict[str, int]:
    """Add what is missing of the demo agenda and documents; ``ids`` maps the demo's user
    names to user ids. Returns how many items and documents were added."""
    anchor = Anchor(settings.data_dir, CheckpointSigner(settings.secret_key), utc_now)
    service = MeetingService(
        db, ballot_keys=BallotKeys(settings.secret_key), on_commit=anchor.after_commit
    )
    clerk = ids["clerk"]

    async def nobody(_meeting_id: int, _events: list[Any]) -> None:
        return None  # no server is running: nobody to tell

    async def run(type_: str, data: dict[str, Any]) -> dict[str, Any]:
        # A fresh id each time: what makes a second run harmless is the check by content
        # above each command (an item removed by hand since is added again).
        data = cast(dict[str, Any], nfc(cast(Any, data)))
        envelope = CommandEnvelope(f"demo-{uuid.uuid4().hex}", type_, data)
        return await service.execute(clerk, meeting_id, envelope, nobody)

    async def state() -> MeetingState:
        return (await service.state_for(clerk, meeting_id))[1]

    current = await state()
    if current.status not in PREPARED_STATUSES:
        return {"items": 0, "documents": 0}
    added = {"items": 0, "documents": 0}
    item_ids: dict[str, int] = {}
    wanted: dict[str, int] = {}  # document key -> item key's id
    for planned, parent_key in walk():
        parent_id = None if parent_key is None else item_ids[parent_key]
        agenda = current.agenda
        siblings = agenda.children.get(parent_id, ())
        found = next((i for i in siblings if agenda.items[i].title == planned.title), None)
        if found is None:
            found = agenda.next_item_id  # the id the agenda gives the item it adds
            data: dict[str, Any] = {
                "title": planned.title,
                "kind": planned.kind,
                "planned_minutes": planned.planned_minutes,
                "presenter_id": ids[planned.presenter],
                "parent_id": parent_id,
            }
            if planned.description:
                data["description"] = planned.description
            await run("agenda.item.add", data)
            current = await state()
            added["items"] += 1
        item_ids[planned.key] = found
        wanted.update({key: found for key in planned.documents})

    have = {d.title for d in current.documents.documents.values()}
    missing = [key for key in wanted if BY_KEY[key].title not in have]
    if missing:
        people = await _display_names(db, ids)
        store = BlobStore(settings.data_dir / "blobs")
        for key in missing:
            try:
                document_id = await _upload(run, settings, store, key, wanted[key], people)
            except ECabinetError as exc:  # this installation's limits (quota, size) refuse it
                log.warning("demo document %r not added: %s", BY_KEY[key].filename, exc.message)
                continue
            added["documents"] += 1
            item = (await state()).agenda.items[wanted[key]]
            if document_id not in item.document_ids:
                await run(
                    "agenda.item.attach_document",
                    {"item_id": wanted[key], "document_id": document_id},
                )
    return added


async def _display_names(db: Database, ids: Mapping[str, int]) -> dict[str, str]:
    from ecabinet.auth import users

    names = {}
    async with db.read() as conn:
        for username in ids:
            row = await users.find_by_username(conn, username)
            if row is not None:
                names[username] = row.display_name
    return names


async def _upload(
    run: Run,
    settings: Settings,
    store: BlobStore,
    key: str,
    item_id: int,
    people: Mapping[str, str],
) -> int:
    """The upload's path for one rendered document; returns its document id."""
    document = BY_KEY[key]
    pdf = render_pdf(key, people)

    async def body() -> AsyncIterator[bytes]:
        yield pdf

    temp = store.temp_path()
    try:
        sha256, size = await ingest.receive(body(), temp, settings.upload_max_bytes)
        ingest.check_magic(temp)
        info = await ingest.inspect_pdf(temp, sha256, size, settings.document_max_pages)
        ack = await run(
            "document.add",
            {
                "title": document.title,
                "filename": document.filename,
                "sha256": sha256,
                "size": size,
                "pages": info.pages,
                "item_id": item_id,
                "replaces_id": None,
                "quota_bytes": settings.meeting_quota_bytes,
                "staged": StagedUpload(store, temp, info),
            },
        )
    finally:  # accepted: already at its content address; refused: dropped
        temp.unlink(missing_ok=True)
    return int(ack["document_id"])
