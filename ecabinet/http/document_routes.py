"""Meeting documents over HTTP: upload (streamed, bounded), list, metadata, download.

Bytes never travel over the socket. An upload is authorized before its body is read,
refused with 413 as soon as it passes the size limit, inspected in the bounded pool (503
``busy`` when it is full), and then recorded as a ``document.add`` command in the meeting's
log; a refused upload leaves no file and no row (``ecabinet.documents.storage``).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from sqlalchemy import select
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ecabinet.annotations import export
from ecabinet.auth.sessions import SessionUser
from ecabinet.documents import ingest, watermark
from ecabinet.documents.blobstore import BlobStore
from ecabinet.documents.pool import InspectionPool
from ecabinet.documents.storage import StagedUpload
from ecabinet.errors import Conflict, Invalid, NotAllowed, NotFound, QuotaExceeded, TooLarge
from ecabinet.http.common import check_origin, current_user, has_nul, is_number, path_id
from ecabinet.meetings import planners
from ecabinet.meetings.commands import EDITORS
from ecabinet.meetings.rules import MeetingState, Role, Status
from ecabinet.meetings.service import CommandEnvelope
from ecabinet.store.schema import blobs

NOSNIFF = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}


def _query_id(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not is_number(raw) or len(raw) > 10:
        raise Invalid(f"{name} must be a whole number")
    return int(raw)


async def upload(request: Request) -> Response:
    """Refuse early what is known before the body (role, type, declared size, a full
    inspection pool); stream the body to a temporary file; inspect it; then run
    ``document.add``, which checks everything again under the meeting's lock and keeps the
    file (at its content address, with its ``blobs`` row) only when accepted."""
    check_origin(request)
    user = await current_user(request)
    meeting_id = path_id(request, "meeting_id")
    acting_role, state = await _uploader(request, user, meeting_id)
    item_id, replaces_id = _query_id(request, "item_id"), _query_id(request, "replaces_id")
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/pdf":
        raise Invalid("send the PDF as the body with Content-Type: application/pdf")
    settings = request.app.state.settings
    room = max(0, settings.meeting_quota_bytes - state.documents.stored_bytes)
    _check_declared_length(request, settings.upload_max_bytes, room, settings.meeting_quota_bytes)
    filename = unquote(request.headers.get("x-file-name", "")).strip()[:255] or "document.pdf"
    if has_nul([filename, request.query_params.get("title", "")]):
        raise Invalid("the file name and the title may not contain the NUL character")
    pool: InspectionPool = request.app.state.inspections
    pool.check()
    store: BlobStore = request.app.state.blobs
    temp = store.temp_path()
    try:
        try:
            sha256, size = await ingest.receive(
                request.stream(), temp, min(settings.upload_max_bytes, room)
            )
        except TooLarge:
            if room < settings.upload_max_bytes:
                raise _quota_exceeded(settings.meeting_quota_bytes) from None
            raise
        ingest.check_magic(temp)
        info = await pool.inspect_pdf(temp, sha256, size, settings.document_max_pages)
        staged = StagedUpload(store, temp, info)
        command = _document_add(request, state, filename, item_id, replaces_id, staged)
        ack, _events = await request.app.state.execute_internal(
            user.user_id, meeting_id, command, acting_role
        )
    finally:  # accepted: moved to its content address already; refused: dropped
        await asyncio.to_thread(temp.unlink, missing_ok=True)
    state = await request.app.state.meetings.current_state(meeting_id)
    added = state.documents.documents[ack["document_id"]]
    return JSONResponse({"document": added.to_wire(), "seq": ack["seq"]}, status_code=201)


async def _uploader(
    request: Request, user: SessionUser, meeting_id: int
) -> tuple[Role | None, MeetingState]:
    """Who may upload: the chair and the clerk; and, before the meeting starts, its planners
    (administrators, the committee's clerks: ``planners.py``), who act as its clerk.
    Answers the role to act as (None: the roster's own) and the meeting's state."""
    service = request.app.state.meetings
    try:
        role, state = await service.state_for(user.user_id, meeting_id)
    except NotFound:
        role = None
    if role in EDITORS:
        return None, state
    async with request.app.state.db.read() as conn:
        planner = await planners.plans_meeting(conn, user, meeting_id)
    if not planner:
        if role is None:
            raise NotFound("no such meeting")
        raise NotAllowed("only the chair and the clerk upload documents")
    state = await service.current_state(meeting_id)
    if state.status is not Status.SCHEDULED:
        raise Conflict(
            f"the meeting is {state.status.value}: its chair and clerk upload documents now"
        )
    return Role.CLERK, state


def _document_add(
    request: Request,
    state: MeetingState,
    filename: str,
    item_id: int | None,
    replaces_id: int | None,
    staged: StagedUpload,
) -> CommandEnvelope:
    """The upload's command; its id is the ``Idempotency-Key`` when one is sent."""
    # A new version keeps its document's title unless it is given another.
    replaced = state.documents.documents.get(replaces_id or 0)
    title = (
        request.query_params.get("title")
        or (replaced.title if replaced is not None else None)
        or staged.info.title
        or Path(filename).stem
        or filename
    ).strip()
    return CommandEnvelope(
        id=(request.headers.get("idempotency-key") or uuid.uuid4().hex)[:64],
        type="document.add",
        data={
            "title": title[:300],
            "filename": filename,
            "sha256": staged.info.sha256,
            "size": staged.info.size,
            "pages": staged.info.pages,
            "item_id": item_id,
            "replaces_id": replaces_id,
            "quota_bytes": request.app.state.settings.meeting_quota_bytes,
            "staged": staged,
        },
    )


def _check_declared_length(request: Request, limit: int, room: int, quota: int) -> None:
    """Refuse from ``Content-Length`` before reading the body (the command decides the
    quota again, under the meeting's lock)."""
    declared = request.headers.get("content-length")
    if declared is None or not is_number(declared):
        return
    if int(declared) > limit:
        raise TooLarge(f"documents may have at most {limit // (1024 * 1024)} MB")
    if int(declared) > room:
        raise _quota_exceeded(quota)


def _quota_exceeded(quota: int) -> QuotaExceeded:
    return QuotaExceeded(f"the meeting's documents may take at most {quota} bytes together")


async def _document(request: Request) -> tuple[Any, MeetingState, Any]:
    user = await current_user(request)
    _role, state = await request.app.state.meetings.state_for(
        user.user_id, path_id(request, "meeting_id")
    )
    document = state.documents.documents.get(path_id(request, "document_id"))
    if document is None:
        raise NotFound("no such document")
    return user, state, document


async def list_documents(request: Request) -> Response:
    user = await current_user(request)
    _role, state = await request.app.state.meetings.state_for(
        user.user_id, path_id(request, "meeting_id")
    )
    return JSONResponse({"documents": state.documents.to_wire()})


async def describe(request: Request) -> Response:
    _user, _state, document = await _document(request)
    async with request.app.state.db.read() as conn:
        row = (await conn.execute(select(blobs).where(blobs.c.sha256 == document.sha256))).one()
    return JSONResponse({"document": document.to_wire(), "page_sizes": json.loads(row.page_sizes)})


async def download(request: Request) -> Response:
    """The PDF itself (ranged requests allowed), or with ``?watermark=1`` a copy stamped
    with the reader's name, the meeting and the time."""
    user, _state, document = await _document(request)
    store: BlobStore = request.app.state.blobs
    disposition = f"inline; filename*=UTF-8''{quote(document.filename)}"
    headers = {**NOSNIFF, "Content-Disposition": disposition}
    if request.query_params.get("watermark") not in (None, "", "0"):
        meeting = await _meeting_title(request)
        stamped = store.temp_path()
        moment = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        await watermark.stamp(
            store.path(document.sha256), stamped, [user.display_name, meeting, moment]
        )
        return FileResponse(
            stamped,
            media_type="application/pdf",
            headers=headers,
            background=BackgroundTask(stamped.unlink, missing_ok=True),
        )
    return FileResponse(store.path(document.sha256), media_type="application/pdf", headers=headers)


async def annotated(request: Request) -> Response:
    """The reader's annotated copy: their marks (``?shared=1``: and the shared ones) burned
    in, their notes listed at the end, their name stamped on every page."""
    user, state, document = await _document(request)
    include_shared = request.query_params.get("shared") not in (None, "", "0")
    marks = [
        a.to_wire()
        for a in state.annotations.items.values()
        if a.document_id == document.id
        and (a.owner_id == user.user_id or (include_shared and a.shared))
    ]
    store: BlobStore = request.app.state.blobs
    target = store.temp_path()
    meeting = await _meeting_title(request)
    moment = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    heading = f"Ghi chú của {user.display_name} / Notes — {document.title}"
    await export.export(
        str(store.path(document.sha256)),
        str(target),
        marks,
        [user.display_name, meeting, moment],
        heading,
    )
    filename = quote(f"{Path(document.filename).stem} (ghi chú).pdf")
    return FileResponse(
        target,
        media_type="application/pdf",
        headers={**NOSNIFF, "Content-Disposition": f"attachment; filename*=UTF-8''{filename}"},
        background=BackgroundTask(target.unlink, missing_ok=True),
    )


async def _meeting_title(request: Request) -> str:
    from ecabinet.meetings import repo

    async with request.app.state.db.read() as conn:
        meeting = await repo.get_meeting(conn, path_id(request, "meeting_id"))
    return str(meeting["title"]) if meeting else ""


routes = [
    Route("/api/meetings/{meeting_id:int}/documents", upload, methods=["POST"]),
    Route("/api/meetings/{meeting_id:int}/documents", list_documents, methods=["GET"]),
    Route("/api/meetings/{meeting_id:int}/documents/{document_id:int}", describe, methods=["GET"]),
    Route(
        "/api/meetings/{meeting_id:int}/documents/{document_id:int}/file", download, methods=["GET"]
    ),
    Route(
        "/api/meetings/{meeting_id:int}/documents/{document_id:int}/annotated",
        annotated,
        methods=["GET"],
    ),
]
