"""Annotations: a private mark of one member never reaches another (socket payloads,
replays, snapshots, HTTP), shared marks reach everyone, stale updates are conflicts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness.client import api, connect, login
from tests import pdfs
from tests.integration.conftest import Running
from tests.integration.test_documents import upload

pytestmark = pytest.mark.asyncio

SECRET_NOTE = "Ghi chú riêng: không đồng ý mục 2"


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


async def test_private_annotations_never_reach_another_member(
    running: Running, meeting: int
) -> None:
    document = (
        await upload(running.url, await login(running.url, "clerk"), meeting, pdfs.pages(3))
    ).json()
    doc_id = document["document"]["id"]
    alice, bob = await connect(running.url, "member1"), await connect(running.url, "member2")
    heard: dict[str, list[Any]] = {"alice": [], "bob": []}
    alice.sio.on("*", lambda event, data: heard["alice"].append([event, data]))
    bob.sio.on("*", lambda event, data: heard["bob"].append([event, data]))
    try:
        await alice.join(meeting)
        await bob.join(meeting)
        mine = await alice.cmd(
            "annotation.create",
            {
                "document_id": doc_id,
                "page": 2,
                "kind": "note",
                "text": SECRET_NOTE,
                "anchor": [100, 700],
            },
        )
        bobs = await bob.cmd(
            "annotation.create",
            {
                "document_id": doc_id,
                "page": 1,
                "kind": "ink",
                "points": [[10, 10, 0.5], [20.5, 30, 0.7]],
                "color": "#1E88E5",
            },
        )
        shared = await bob.cmd(
            "annotation.create",
            {
                "document_id": doc_id,
                "page": 1,
                "kind": "highlight",
                "rects": [[50, 60, 200, 72]],
                "shared": True,
            },
        )
        assert mine["ok"] and bobs["ok"] and shared["ok"]
        await alice.wait_for(lambda: len(alice.events) == 3)
        await bob.wait_for(lambda: len(bob.events) == 3)
        assert [e["type"] for e in alice.events] == [
            "annotation.created",
            "redacted",
            "annotation.created",
        ]
        assert [e["type"] for e in bob.events] == [
            "redacted",
            "annotation.created",
            "annotation.created",
        ]
        assert [e["seq"] for e in bob.events] == [
            e["seq"] for e in alice.events
        ]  # no gap for anyone
        redacted = bob.events[0]
        assert redacted["data"] == {} and redacted["actor_id"] is None

        # Alice changes and unshares nothing of hers in Bob's sight; Bob cannot touch it.
        assert (await bob.cmd("annotation.delete", {"annotation_id": 1, "version": 1}))["error"][
            "code"
        ] == "not-found"
        stale = await alice.cmd(
            "annotation.update", {"annotation_id": 1, "version": 1, "text": "Sửa lần một"}
        )
        assert stale["ok"]
        conflict = await alice.cmd(
            "annotation.update", {"annotation_id": 1, "version": 1, "text": "Sửa từ máy khác"}
        )
        assert conflict["error"]["code"] == "conflict"

        replay = await bob.join(meeting, last_seq=0)
        # The snapshot carries the marks as the JSON text of their list.
        snapshot = json.loads((await bob.join(meeting))["snapshot"]["state"]["annotations"])
        alice_snapshot = json.loads((await alice.join(meeting))["snapshot"]["state"]["annotations"])
    finally:
        await alice.close()
        await bob.close()
    assert [a["annotation_id"] for a in snapshot] == [2, 3]
    assert [a["annotation_id"] for a in alice_snapshot] == [1, 3]
    assert alice_snapshot[0]["text"] == "Sửa lần một" and alice_snapshot[0]["version"] == 2
    token = await login(running.url, "member2")
    async with api(running.url, token) as http:
        history = (await http.get(f"/api/meetings/{meeting}/events")).json()
    for seen in (_text(heard["bob"]), _text(replay), _text(history), _text(snapshot)):
        assert "ghi chú riêng" not in seen.lower() and "Sửa lần một" not in seen
        assert "[100, 700]" not in seen and "[100.0, 700.0]" not in seen


async def test_sharing_hands_the_mark_to_everyone_and_unsharing_takes_it_back(
    running: Running, meeting: int
) -> None:
    document = (
        await upload(running.url, await login(running.url, "clerk"), meeting, pdfs.pages(1))
    ).json()
    doc_id = document["document"]["id"]
    alice, bob = await connect(running.url, "member3"), await connect(running.url, "member4")
    try:
        await alice.join(meeting)
        await bob.join(meeting)
        created = await alice.cmd(
            "annotation.create",
            {"document_id": doc_id, "page": 1, "kind": "ink", "points": [[1, 2], [3, 4]]},
        )
        assert created["ok"]
        assert (await alice.cmd("annotation.share", {"annotation_id": 1, "shared": True}))["ok"]
        await bob.wait_for(lambda: len(bob.events) == 2)
        assert bob.events[1]["type"] == "annotation.shared" and bob.events[1]["data"]["points"] == [
            [1.0, 2.0],
            [3.0, 4.0],
        ]
        assert (await alice.cmd("annotation.share", {"annotation_id": 1, "shared": False}))["ok"]
        await bob.wait_for(lambda: len(bob.events) == 3)
        assert bob.events[2]["data"] == {
            "annotation_id": 1,
            "owner_id": bob.events[1]["data"]["owner_id"],
            "shared": False,
        }
        assert (await bob.join(meeting))["snapshot"]["state"]["annotations"] == "[]"
    finally:
        await alice.close()
        await bob.close()


NO_DOCUMENT = {"page": 1, "kind": "ink", "points": [[1, 2]]}


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (NO_DOCUMENT, "invalid"),
        ({"document_id": 99, "page": 1, "kind": "ink", "points": [[1, 2]]}, "not-found"),
        ({"page": 4, "kind": "ink", "points": [[1, 2]]}, "invalid"),
        ({"page": 1, "kind": "laser", "points": [[1, 2]]}, "invalid"),
        ({"page": 1, "kind": "ink", "points": [[1, "x"]]}, "invalid"),
        ({"page": 1, "kind": "ink", "points": [[1, 2]], "text": "x"}, "invalid"),
        ({"page": 1, "kind": "ink", "points": [[0, 0]] * 5001}, "invalid"),
        ({"page": 1, "kind": "highlight", "rects": [[5, 5, 1, 1]]}, "invalid"),
        ({"page": 1, "kind": "note", "text": "", "anchor": [1, 1]}, "invalid"),
        ({"page": 1, "kind": "ink", "points": [[1, 2]], "color": "red"}, "invalid"),
    ],
)
async def test_malformed_annotations_are_refused_and_nothing_is_written(
    running: Running, meeting: int, data: dict[str, Any], code: str
) -> None:
    document = (
        await upload(running.url, await login(running.url, "clerk"), meeting, pdfs.pages(3))
    ).json()
    payload = (
        data
        if data is NO_DOCUMENT or "document_id" in data
        else {"document_id": document["document"]["id"], **data}
    )
    member = await connect(running.url, "member5")
    try:
        before = (await member.join(meeting))["seq"]
        ack = await member.cmd("annotation.create", payload)
        assert ack["error"]["code"] == code, ack
        assert (await member.join(meeting))["seq"] == before
    finally:
        await member.close()


async def test_shared_ink_is_relayed_live_before_the_stroke_ends(
    running: Running, meeting: int
) -> None:
    document = (
        await upload(running.url, await login(running.url, "clerk"), meeting, pdfs.pages(1))
    ).json()
    doc_id = document["document"]["id"]
    drawer, watcher = await connect(running.url, "member6"), await connect(running.url, "member7")
    seen: list[Any] = []
    watcher.sio.on("ephemeral", seen.append)
    try:
        await drawer.join(meeting)
        await watcher.join(meeting)
        stroke = {
            "kind": "ink",
            "data": {
                "document_id": doc_id,
                "page": 1,
                "stroke": "s1",
                "points": [[5, 5, 0.4], [6, 7, 0.5]],
            },
        }
        assert await drawer.raw("ephemeral", stroke) == {"ok": True}
        await watcher.wait_for(lambda: bool(seen))
        assert seen[0]["kind"] == "ink" and seen[0]["data"]["points"] == [
            [5.0, 5.0, 0.4],
            [6.0, 7.0, 0.5],
        ]
        assert watcher.events == []  # nothing stored
        bad = {
            "kind": "ink",
            "data": {"document_id": doc_id, "page": 2, "stroke": "s1", "points": [[5, 5]]},
        }
        assert (await drawer.raw("ephemeral", bad))["error"]["code"] == "invalid"
    finally:
        await drawer.close()
        await watcher.close()


def _pixel(pdf: bytes, page: int, x: float, y_from_top: float) -> tuple[int, int, int]:
    """The colour at (x, y) points of a page rendered by poppler at 72 dpi (1 px = 1 pt)."""
    import subprocess

    ppm = subprocess.run(
        ["pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), "-singlefile"],
        input=pdf, capture_output=True, check=True,
    ).stdout  # fmt: skip
    header, rest = ppm.split(b"\n", 3)[:3], ppm.split(b"\n", 3)[3]
    width = int(header[1].split()[0])
    offset = (int(y_from_top) * width + int(x)) * 3
    return rest[offset], rest[offset + 1], rest[offset + 2]


async def test_the_annotated_copy_burns_marks_into_the_right_page_and_lists_notes(
    running: Running, meeting: int
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    document = (
        await upload(running.url, await login(running.url, "clerk"), meeting, pdfs.pages(3))
    ).json()
    doc_id = document["document"]["id"]
    member = await connect(running.url, "member8")
    try:
        await member.join(meeting)
        ink = [[100, 400], [300, 400]]  # a thick horizontal stroke 442 pt from the top (842 − 400)
        assert (
            await member.cmd(
                "annotation.create",
                {
                    "document_id": doc_id,
                    "page": 2,
                    "kind": "ink",
                    "points": ink,
                    "width": 12,
                    "color": "#0000ff",
                },
            )
        )["ok"]
        note = {
            "document_id": doc_id,
            "page": 3,
            "kind": "note",
            "text": "Đề nghị làm rõ số liệu quý IV",
            "anchor": [50, 50],
        }
        assert (await member.cmd("annotation.create", note))["ok"]
    finally:
        await member.close()
    async with api(running.url, await login(running.url, "member8")) as http:
        response = await http.get(f"/api/meetings/{meeting}/documents/{doc_id}/annotated")
        other = await http.get(f"/api/meetings/{meeting}/documents/{doc_id}/file")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    assert len(reader.pages) == 4  # three pages and the list of notes
    assert "Đề nghị làm rõ số liệu quý IV" in reader.pages[3].extract_text()
    assert "Ngô Thị Thanh Thủy" in reader.pages[0].extract_text()  # the stamp
    blue_on_page_2 = _pixel(response.content, 2, 200, 442)
    assert blue_on_page_2[2] > 200 and blue_on_page_2[0] < 80
    assert _pixel(response.content, 1, 200, 442) == (255, 255, 255)  # nothing on page 1 there
    assert _pixel(other.content, 2, 200, 442) == (255, 255, 255)  # the original is untouched
    async with api(running.url, await login(running.url, "member7")) as http:  # someone else's copy
        theirs = await http.get(f"/api/meetings/{meeting}/documents/{doc_id}/annotated")
    assert len(PdfReader(BytesIO(theirs.content)).pages) == 3
    assert _pixel(theirs.content, 2, 200, 442) == (255, 255, 255)
