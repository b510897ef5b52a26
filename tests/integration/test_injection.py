"""Markup in what people type reaches every reader as the same text: a display name, an
agenda title, clerk notes, a decision, an annotation's text, a document's title and file
name — each an HTML/script payload — come back literally from the API and appear literally
in the minutes PDF, the watermarked copy and the annotated copy (pypdf's text)."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from pypdf import PdfReader

from harness.client import DEMO_ROSTER, RoomClient, api, login, user_ids
from tests import pdfs
from tests.integration.conftest import Running
from tests.integration.test_documents import upload

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

NAME = 'Lê <b>Văn</b> <script>alert("tên")</script>'
AGENDA = "<img src=x onerror=alert(1)> Dự thảo & báo cáo"
NOTE = '"><svg onload=alert(2)> Ghi chú của thư ký'
ITEM_NOTE = "</textarea><script>alert(3)</script> ý kiến"
DECISION = "<iframe src=javascript:alert(4)></iframe> Thông qua"
ANNOTATION = "<a href=javascript:alert(5)>bấm</a> xem lại"
TITLE = "<style>*{display:none}</style> Tờ trình"
FILE_NAME = "<img src=x onerror=alert(6)>.pdf"
PASSWORD = "mật-khẩu-thử-" + "x" * 8


@dataclass(frozen=True)
class Payloaded:
    meeting: int
    document: dict[str, Any]
    tokens: dict[str, str]


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


async def _ok(client: RoomClient, type_: str, data: dict[str, Any] | None = None) -> Any:
    ack = await client.cmd(type_, data)
    assert ack["ok"], (type_, ack)
    return ack


async def fill_a_meeting_with_payloads(url: str) -> Payloaded:
    admin = await login(url, "admin")
    username = f"payload-{secrets.token_hex(3)}"
    async with api(url, admin) as http:
        created = await http.post(
            "/api/users", json={"username": username, "display_name": NAME, "password": PASSWORD}
        )
        assert created.status_code == 201, created.text
        assert created.json()["user"]["display_name"] == NAME
        ids = await user_ids(url, admin)
        committee = (await http.get("/api/committees")).json()["committees"][0]["id"]
        roster = [{"user_id": ids[n], "role": r} for n, r in DEMO_ROSTER.items()]
        response = await http.post(
            "/api/meetings",
            json={
                "committee_id": committee,
                "title": "Phiên họp thử chèn mã",
                "scheduled_at": "2026-12-03T08:00:00+07:00",
                "roster": [*roster, {"user_id": ids[username], "role": "member"}],
            },
        )
        meeting = int(response.json()["meeting"]["id"])
    tokens = {name: await login(url, name) for name in ("chair", "clerk")}
    tokens["payload"] = await login(url, username, PASSWORD)
    uploaded = await upload(url, tokens["clerk"], meeting, pdfs.pages(1), FILE_NAME, title=TITLE)
    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()["document"]
    clients = {n: await RoomClient().connect(url, t) for n, t in tokens.items()}
    try:
        for client in clients.values():
            assert (await client.join(meeting))["ok"]
        chair, clerk, person = clients["chair"], clients["clerk"], clients["payload"]
        await _ok(clerk, "agenda.item.add", {"title": AGENDA, "kind": "discussion"})
        await _ok(chair, "meeting.start")
        await _ok(person, "attendance.check_in")
        await _ok(chair, "agenda.current.set", {"item_id": 1})
        await _ok(clerk, "minutes.note.set", {"text": NOTE})
        await _ok(clerk, "minutes.note.set", {"item_id": 1, "text": ITEM_NOTE})
        await _ok(clerk, "minutes.decision.record", {"item_id": 1, "text": DECISION})
        await _ok(
            person,
            "annotation.create",
            {
                "document_id": document["id"],
                "page": 1,
                "kind": "note",
                "text": ANNOTATION,
                "anchor": [100, 700],
                "shared": True,
            },
        )
    finally:
        for client in clients.values():
            await client.close()
    return Payloaded(meeting, document, tokens)


async def test_payloads_come_back_literally_and_print_literally(running: Running) -> None:
    world = await fill_a_meeting_with_payloads(running.url)
    assert (world.document["title"], world.document["filename"]) == (TITLE, FILE_NAME)
    base = f"/api/meetings/{world.meeting}"
    async with api(running.url, world.tokens["payload"]) as http:
        me = (await http.get("/api/me")).json()["user"]
        assert me["display_name"] == NAME
        roster = (await http.get(base)).json()["roster"]
        assert any(r["display_name"] == NAME for r in roster)
        file = await http.get(f"{base}/documents/{world.document['id']}/file")
        # The name travels percent-encoded in the header, never as raw markup.
        assert "<" not in file.headers["content-disposition"]
        annotated = await http.get(
            f"{base}/documents/{world.document['id']}/annotated", params={"shared": 1}
        )
        assert annotated.status_code == 200, annotated.text
        assert flat(ANNOTATION) in pdf_text(annotated.content)
        assert flat(NAME) in pdf_text(annotated.content)
        stamped = await http.get(
            f"{base}/documents/{world.document['id']}/file", params={"watermark": 1}
        )
        assert flat(NAME) in pdf_text(stamped.content).replace("· ", "")
    async with api(running.url, world.tokens["chair"]) as http:
        events = (await http.get(f"{base}/events")).json()["events"]
        texts = {e["data"].get("text") or e["data"].get("title") for e in events}
        assert {AGENDA, NOTE, ITEM_NOTE, DECISION} <= texts
    await _end_and_check_the_minutes(running.url, world)


async def _end_and_check_the_minutes(url: str, world: Payloaded) -> None:
    chair = await RoomClient().connect(url, world.tokens["chair"])
    try:
        await chair.join(world.meeting)
        await _ok(chair, "meeting.end")
    finally:
        await chair.close()
    base = f"/api/meetings/{world.meeting}/minutes"
    async with api(url, world.tokens["clerk"]) as http:
        generated = await http.post(base, json={})
        assert generated.status_code == 201, generated.text
        version = generated.json()["version"]
        pdf = (await http.get(f"{base}/{version}/file")).content
    text = pdf_text(pdf)
    for payload in (NAME, AGENDA, NOTE, ITEM_NOTE, DECISION):
        assert flat(payload) in text, (payload, text[:3000])
