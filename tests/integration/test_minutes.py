"""Minutes through the real server: notes and decisions live, the clerk generates and signs,
the chair signs, a member downloads the final PDF; the CLI and the HTTP endpoint verify it."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from pypdf import PdfReader

from harness.client import RoomClient, api, connect, login, user_ids
from harness.server import DEMO_PASSWORD, run_cli
from tests.integration.conftest import Running

pytestmark = [
    pytest.mark.asyncio,
    # pyHanko/WeasyPrint in the tests' own process leave files to the GC
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

AGAIN = {"secret": DEMO_PASSWORD}  # every signature asks for the password again
POLL = {"kind": "yes_no_abstain", "allow_change": False, "quorum": {"kind": "none"}}


async def _ok(client: RoomClient, type_: str, data: dict[str, Any] | None = None) -> None:
    ack = await client.cmd(type_, data)
    assert ack["ok"], (type_, ack)


async def _play(url: str, meeting: int) -> dict[str, RoomClient]:
    names = ["chair", "clerk", "member1", "member2", "member3"]
    clients = {name: await connect(url, name) for name in names}
    for client in clients.values():
        assert (await client.join(meeting))["ok"]
    chair, clerk = clients["chair"], clients["clerk"]
    await _ok(clerk, "agenda.item.add", {"title": "Báo cáo tài chính quý IV", "kind": "decision"})
    await _ok(chair, "meeting.start")
    for client in clients.values():
        await _ok(client, "attendance.check_in")
    await _ok(chair, "agenda.current.set", {"item_id": 1})
    await _ok(clients["member1"], "speakers.request")
    await _ok(chair, "speakers.grant")
    await _ok(chair, "speakers.end")
    await _ok(clerk, "minutes.note.set", {"item_id": 1, "text": "Đồng chí Đức phát biểu."})
    await _ok(
        chair,
        "poll.create",
        {"title": "Thông qua báo cáo", "secret": False, "majority": "simple", "item_id": 1, **POLL},
    )
    await _ok(
        chair,
        "poll.create",
        {"title": "Bầu tổ trưởng", "secret": True, "majority": "simple", "item_id": 1, **POLL},
    )
    for poll_id in (1, 2):
        await _ok(chair, "poll.open", {"poll_id": poll_id})
        for name, choice in (("chair", "yes"), ("member1", "yes"), ("member2", "no")):
            await _ok(clients[name], "vote.cast", {"poll_id": poll_id, "choice": choice})
        await _ok(chair, "poll.close", {"poll_id": poll_id})
    await _ok(clerk, "minutes.decision.record", {"item_id": 1, "poll_id": 1, "text": "Thông qua."})
    await _ok(chair, "meeting.end")
    return clients


def _conforms(contract: dict[str, Any], path: str, method: str, status: int, answer: Any) -> None:
    """``answer`` matches the OpenAPI document's schema of that meeting route's answer."""
    operation = contract["paths"][f"/api/meetings/{{meeting_id}}{path}"][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema_rs.Draft202012Validator(schema, validate_formats=True).validate(answer)


async def test_clerk_generates_and_signs_chair_signs_member_downloads_the_final_pdf(
    running: Running, meeting: int, tmp_path: Path
) -> None:
    clients = await _play(running.url, meeting)
    member = clients["member3"]
    try:
        notes = [e for e in member.events if e["type"] == "minutes.note_set"]
        assert notes and notes[0]["data"]["text"] == "Đồng chí Đức phát biểu."  # seen live
        tokens = {n: await login(running.url, n) for n in ("clerk", "chair", "member3")}
        base = f"/api/meetings/{meeting}/minutes"
        async with api(running.url, tokens["member3"]) as http:
            refused = await http.post(base, json={})
            assert refused.status_code == 403
        async with api(running.url, tokens["clerk"]) as http:
            contract = (await http.get("/api/openapi.json")).json()
            generated = await http.post(base, json={"layout": "state", "number": "07"})
            assert generated.status_code == 201, generated.text
            assert generated.json()["version"] == 1
            _conforms(contract, "/minutes", "post", 201, generated.json())
        await member.wait_for(lambda: any(e["type"] == "minutes.generated" for e in member.events))
        async with api(running.url, tokens["member3"]) as http:
            assert (await http.get(base)).json()["versions"] == []  # drafts are not members'
            assert (await http.get(f"{base}/1/file")).status_code == 404
        async with api(running.url, tokens["chair"]) as http:
            early = await http.post(f"{base}/1/sign", json=AGAIN)
            assert early.status_code == 409 and "clerk" in early.json()["error"]["message"]
            draft = await http.get(f"{base}/1/file")
            assert draft.status_code == 200 and draft.headers["content-type"] == "application/pdf"
        async with api(running.url, tokens["clerk"]) as http:
            first = await http.post(f"{base}/1/sign", json=AGAIN)
            assert first.status_code == 200 and first.json()["status"] == "clerk-signed"
            _conforms(contract, "/minutes/{version}/sign", "post", 200, first.json())
        async with api(running.url, tokens["chair"]) as http:
            second = await http.post(f"{base}/1/sign", json=AGAIN)
            assert second.status_code == 200 and second.json()["status"] == "final"
            _conforms(contract, "/minutes/{version}/sign", "post", 200, second.json())
            _conforms(contract, "/minutes", "get", 200, (await http.get(base)).json())
        async with api(running.url, tokens["member3"]) as http:
            listed = (await http.get(base)).json()["versions"]
            assert [(v["version"], v["status"]) for v in listed] == [(1, "final")]
            final = await http.get(f"{base}/1/file")
            assert final.status_code == 200
            assert final.headers["x-content-type-options"] == "nosniff"
            verdict = await http.post(
                "/api/minutes/verify",
                content=final.content,
                headers={"Content-Type": "application/pdf"},
            )
            assert verdict.json()["ok"] and verdict.json()["final"], verdict.json()
            assert verdict.json()["log_checked"] is True
            broken = bytearray(final.content)
            broken[len(broken) // 3] ^= 0x01
            bad = await http.post(
                "/api/minutes/verify",
                content=bytes(broken),
                headers={"Content-Type": "application/pdf"},
            )
            assert bad.json()["ok"] is False
        pdf = final.content
        reader = PdfReader(io.BytesIO(pdf))
        text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        assert "Nguyễn Văn Hùng" in text and "Trần Thị Thu Hằng" in text and "Số: 07/BB" in text
        attached = json.loads(reader.attachments["minutes-record.json"][0])
        secret = next(p for p in attached["polls"] if p["secret"])
        assert "roll_call" not in secret and len(secret["receipts"]) == 3
        # The CLI agrees, offline and with this installation's log.
        path = tmp_path / "minutes.pdf"
        path.write_bytes(pdf)
        checked = run_cli(running.env, "minutes", "verify", str(path))
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "log: matches" in checked.stdout and "VALID (final)" in checked.stdout
        exported = tmp_path / "export.pdf"
        result = run_cli(running.env, "minutes", "export", str(meeting), "--out", str(exported))
        assert result.returncode == 0 and exported.read_bytes() == pdf
        path.write_bytes(bytes(broken))
        assert run_cli(running.env, "minutes", "verify", str(path)).returncode == 1
    finally:
        for client in clients.values():
            await client.close()


async def test_minutes_wait_for_the_end_of_the_meeting_and_only_editors_keep_notes(
    running: Running, meeting: int, admin_token: str
) -> None:
    clerk = await connect(running.url, "clerk")
    member = await connect(running.url, "member1")
    try:
        for client in (clerk, member):
            assert (await client.join(meeting))["ok"]
        denied = await member.cmd("minutes.note.set", {"text": "x"})
        assert denied["error"]["code"] == "not-allowed"
        internal = await clerk.cmd("minutes.generate", {})
        assert internal["error"]["code"] == "invalid"  # internal commands are not on the socket
        token = await login(running.url, "clerk")
        async with api(running.url, token) as http:
            early = await http.post(f"/api/meetings/{meeting}/minutes", json={})
            assert early.status_code == 409
        ids = await user_ids(running.url, admin_token)
        async with api(running.url, admin_token) as http:
            cert = await http.get(f"/api/users/{ids['clerk']}/signing-certificate")
            assert cert.status_code in (200, 404)
            profile = await http.put(
                "/api/committees/1/minutes-profile",
                json={"layout": "party", "abbreviation": "BB/TU", "place": "Hòa An"},
            )
            assert profile.status_code == 200 and profile.json()["profile"]["layout"] == "party"
            wrong = await http.put("/api/committees/1/minutes-profile", json={"layout": "x"})
            assert wrong.status_code == 400
            reset = await http.put("/api/committees/1/minutes-profile", json={})
            assert reset.json()["profile"]["layout"] == "state"
    finally:
        await clerk.close()
        await member.close()
