"""Annotations on the tablets: the presenter's shared ink reaches a member while it is being
drawn, stays after a page turn and a reload; a member's private note never reaches another
member's tablet; the annotated copy is a PDF with the marks on the right page."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, WebSocket, expect
from pypdf import PdfReader

from tests.e2e.conftest import (
    NAMES,
    PORTRAIT,
    NewContext,
    as_user,
    open_room,
    sign_in,
    upload_pdf,
    user_ids,
)
from tests.e2e.pdf_files import text_pdf

pytestmark = pytest.mark.e2e

BLUE = "#1565c0"
BLUE_STROKE_OP = b"0.082353 0.396078 0.752941 RG"  # how the export draws that colour
SECRET_NOTE = "Riêng tôi: hỏi lại số liệu giải ngân"


def expect_page(page: Page, number: int, of: int = 3) -> None:
    expect(page.get_by_test_id("page-indicator")).to_have_text(f"Trang {number}/{of}")
    expect(page.get_by_test_id("pdf-scroll")).to_have_attribute(
        "data-rendered", re.compile(rf":{number}:")
    )


def show_page(page: Page) -> None:
    """Scroll the window so that the document's viewer is at the top of the screen."""
    page.get_by_test_id("pdf-scroll").evaluate("(el) => el.scrollIntoView({block: 'start'})")


def draw_stroke_start(page: Page) -> tuple[float, float]:
    """Press on the page and move: a stroke in progress. Returns where the pen is."""
    show_page(page)
    box = page.get_by_test_id("ann-layer").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.3
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(x + step * 12, y + (step % 4) * 6)
    return x + 180, y


def carries(frames: list[str], text: str) -> bool:
    """Whether a frame holds ``text``, as written or \\u-escaped (Socket.IO's JSON escapes
    non-ASCII characters)."""
    escaped = json.dumps(text)[1:-1]
    return any(text in frame or escaped in frame for frame in frames)


def record_frames(page: Page) -> list[str]:
    """Every Socket.IO frame the page receives, as text."""
    frames: list[str] = []

    def on_socket(socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: frames.append(str(payload)))

    page.on("websocket", on_socket)
    return frames


def test_shared_ink_live_private_notes_and_the_annotated_copy(
    new_context: NewContext,
    fresh_meeting: Callable[..., int],
    base_url: str,
    artifacts: Path,
) -> None:
    meeting = fresh_meeting("Phiên họp thẩm tra báo cáo quý IV")
    upload_pdf(base_url, meeting, text_pdf("Báo cáo quý IV", 3), title="Báo cáo quý IV")
    ids = user_ids(base_url)
    as_user(
        base_url,
        "chair",
        meeting,
        [("meeting.start", {}), ("presenter.set", {"user_id": ids["chair"]})],
    )

    chair = sign_in(new_context(), "chair")
    member = sign_in(new_context(viewport=PORTRAIT), "member1")
    other = sign_in(new_context(), "member2")
    other_frames = record_frames(other)
    member_frames = record_frames(member)
    for page in (chair, member, other):
        open_room(page, meeting)

    chair.get_by_test_id("all-documents").get_by_test_id("document").first.click()
    for page in (chair, member, other):
        expect_page(page, 1)

    # The presenter's marks are shared by default.
    chair.get_by_test_id("ann-marking").click()
    expect(chair.get_by_test_id("ann-tool-ink")).to_have_attribute("aria-pressed", "true")
    expect(chair.get_by_test_id("ann-shared")).to_have_attribute("aria-pressed", "true")
    chair.locator(f"[data-testid=ann-color][data-color='{BLUE}']").click()

    # While the pen is still down, the member already sees the stroke coming.
    draw_stroke_start(chair)
    expect(member.get_by_test_id("ann-live-stroke")).to_have_count(1)
    expect(member.get_by_test_id("ann-ink")).to_have_count(0)
    member.screenshot(path=artifacts / "annotations-live-stroke-portrait-vi.png")
    chair.mouse.up()
    # Stored: the live stroke gives way to the mark, on every tablet.
    for page in (member, other, chair):
        expect(page.get_by_test_id("ann-ink")).to_have_count(1)
    expect(member.get_by_test_id("ann-live-stroke")).to_have_count(0)
    expect(member.get_by_test_id("ann-ink")).to_have_attribute("data-shared", "true")
    # Shared ink says whose it is: its author's name for the others, "you" for its owner.
    expect(member.get_by_test_id("ann-author")).to_have_text(NAMES["chair"])
    expect(chair.get_by_test_id("ann-author")).to_have_text("Bạn (chia sẻ)")
    chair.screenshot(path=artifacts / "annotations-presenter-landscape-vi.png")

    # A page turn: the mark belongs to page 1 only.
    chair.get_by_test_id("ann-tool-none").click()
    chair.get_by_test_id("viewer-next").click()
    expect_page(member, 2)
    expect(member.get_by_test_id("ann-ink")).to_have_count(0)
    chair.get_by_test_id("viewer-prev").click()
    expect_page(member, 1)
    expect(member.get_by_test_id("ann-ink")).to_have_count(1)

    # A reload (a reconnect with a fresh snapshot) finds it again.
    member.reload()
    expect(member.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    expect_page(member, 1)
    expect(member.get_by_test_id("ann-ink")).to_have_count(1)

    # The member puts a private note on the page.
    member.get_by_test_id("ann-marking").click()
    member.get_by_test_id("ann-tool-note").click()
    show_page(member)
    expect(member.get_by_test_id("ann-shared")).to_have_attribute("aria-pressed", "false")
    layer = member.get_by_test_id("ann-layer")
    box = layer.bounding_box()
    assert box is not None
    layer.click(position={"x": box["width"] * 0.6, "y": box["height"] * 0.3})
    member.get_by_test_id("ann-note-input").fill(SECRET_NOTE)
    member.get_by_test_id("ann-dialog-save").click()
    expect(member.get_by_test_id("ann-note")).to_have_count(1)
    expect(member.get_by_test_id("ann-note")).to_have_attribute("data-shared", "false")
    member.screenshot(path=artifacts / "annotations-private-note-portrait-vi.png")

    # The presenter marks again; once the other member sees that later mark, it has
    # applied every event before it — the note's among them — and shows no note.
    chair.get_by_test_id("ann-tool-ink").click()
    draw_stroke_start(chair)
    chair.mouse.up()
    expect(other.get_by_test_id("ann-ink")).to_have_count(2)
    expect(other.get_by_test_id("ann-note")).to_have_count(0)
    other.reload()
    expect(other.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    expect(other.get_by_test_id("ann-ink")).to_have_count(2)
    expect(other.get_by_test_id("ann-note")).to_have_count(0)
    # The note's owner did receive it (so the search would find it) …
    assert carries(member_frames, SECRET_NOTE)
    # … and the other tablet never did, only a `redacted` event in its place.
    assert not carries(other_frames, SECRET_NOTE)
    assert any('"redacted"' in f for f in other_frames)

    # The member's annotated copy, with the shared marks: the presenter's blue ink is
    # burned into page 1 only, and the note is listed on a last page.
    member.get_by_test_id("ann-tool-none").click()
    member.get_by_test_id("ann-include-shared").check()
    with member.expect_download() as download:
        member.get_by_test_id("ann-download").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3 + 1
    contents = [page.get_contents().get_data() for page in reader.pages[:3]]
    assert BLUE_STROKE_OP in contents[0]
    assert BLUE_STROKE_OP not in contents[1] and BLUE_STROKE_OP not in contents[2]
    notes_page = reader.pages[3].extract_text()
    assert "page 1" in notes_page and "hỏi lại số liệu" in notes_page


def test_highlight_eraser_undo_sharing_conflicts_and_a_new_version(
    new_context: NewContext,
    fresh_meeting: Callable[..., int],
    base_url: str,
    artifacts: Path,
) -> None:
    from tests.e2e.test_layout import small_targets

    meeting = fresh_meeting("Phiên họp cho ý kiến tờ trình")
    document = upload_pdf(base_url, meeting, text_pdf("Tờ trình dự án", 2), title="Tờ trình")
    member = sign_in(new_context(), "member3")
    again = sign_in(new_context(viewport=PORTRAIT), "member3")  # the same person's 2nd tablet
    watcher = sign_in(new_context(viewport=PORTRAIT), "member4")
    for page in (member, again, watcher):
        open_room(page, meeting)
        page.get_by_test_id("all-documents").get_by_test_id("document").first.click()
        expect_page(page, 1, of=2)
        page.get_by_test_id("ann-marking").click()
        expect(page.get_by_test_id("ann-tools")).to_be_visible()
    # The open tools keep to the touch rule, in landscape and in portrait.
    assert small_targets(member) == []
    assert small_targets(watcher) == []
    member.screenshot(path=artifacts / "annotations-tools-landscape-vi.png")
    watcher.screenshot(path=artifacts / "annotations-tools-portrait-vi.png")

    # A member's marks are private by default; undo and redo take them back and forth.
    expect(member.get_by_test_id("ann-shared")).to_have_attribute("aria-pressed", "false")
    end_x, y = draw_stroke_start(member)
    member.mouse.up()
    ink = member.get_by_test_id("ann-ink")
    expect(ink).to_have_count(1)
    expect(again.get_by_test_id("ann-ink")).to_have_count(1)
    expect(member.get_by_test_id("ann-author")).to_have_count(0)  # private: no label
    member.get_by_test_id("ann-undo").click()
    expect(ink).to_have_count(0)
    member.get_by_test_id("ann-redo").click()
    expect(ink).to_have_count(1)

    # The eraser sweeps it away; undo brings it back.
    member.get_by_test_id("ann-tool-eraser").click()
    draw_stroke_start(member)
    member.mouse.up()
    expect(ink).to_have_count(0)
    member.get_by_test_id("ann-undo").click()
    expect(ink).to_have_count(1)
    expect(watcher.get_by_test_id("ann-ink")).to_have_count(0)

    # Tapped with the View tool, the owner shares it: now everyone sees it.
    member.get_by_test_id("ann-tool-none").click()
    show_page(member)
    member.mouse.click(end_x - 180 + 12, y + 6)  # on the line (its second point)
    member.get_by_test_id("ann-dialog-share").click()
    expect(watcher.get_by_test_id("ann-ink")).to_have_count(1)
    expect(watcher.get_by_test_id("ann-ink")).to_have_attribute("data-shared", "true")
    expect(watcher.get_by_test_id("ann-author")).to_have_text(NAMES["member3"])
    expect(member.get_by_test_id("ann-author")).to_have_text("Bạn (chia sẻ)")

    # Highlight: select a heading with the mouse; letting go highlights it (privately).
    member.get_by_test_id("ann-tool-highlight").click()
    heading = member.get_by_test_id("pdf-text").get_by_text("Mục 1.", exact=False).first
    box = heading.bounding_box()
    assert box is not None
    member.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    member.mouse.down()
    member.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2, steps=6)
    member.mouse.up()
    highlight = member.get_by_test_id("ann-highlight")
    expect(highlight).to_have_count(1)
    expect(again.get_by_test_id("ann-highlight")).to_have_count(1)
    hl_box = highlight.locator("rect").first.bounding_box()
    assert hl_box is not None and abs(hl_box["y"] - box["y"]) < box["height"]

    # A note edited on the second tablet while the first has it open: the first is told.
    member.get_by_test_id("ann-tool-note").click()
    show_page(member)
    layer = member.get_by_test_id("ann-layer")
    layer.click(position={"x": 80, "y": 500})
    member.get_by_test_id("ann-note-input").fill("Cần bổ sung ý kiến Sở Tài chính")
    member.get_by_test_id("ann-dialog-save").click()
    expect(again.get_by_test_id("ann-note")).to_have_count(1)
    member.get_by_test_id("ann-tool-none").click()
    member.get_by_test_id("ann-note").click()
    again.get_by_test_id("ann-tool-none").click()
    again.get_by_test_id("ann-note").click()
    again.get_by_test_id("ann-note-input").fill("Đã có ý kiến Sở Tài chính")
    again.get_by_test_id("ann-dialog-save").click()
    expect(again.get_by_test_id("ann-note")).to_have_attribute(
        "aria-label", "Đã có ý kiến Sở Tài chính"
    )
    member.get_by_test_id("ann-note-input").fill("Sửa trên máy thứ nhất")
    member.get_by_test_id("ann-dialog-save").click()
    expect(member.get_by_role("alert").filter(has_text="thiết bị khác")).to_be_visible()
    expect(member.get_by_test_id("ann-note")).to_have_attribute(
        "aria-label", "Đã có ý kiến Sở Tài chính"
    )

    # A new version: the marks stay on version 1, and the member is told.
    upload_pdf(
        base_url,
        meeting,
        text_pdf("Tờ trình dự án (sửa)", 2),
        title="Tờ trình",
        replaces_id=document["id"],
    )
    expect(member.get_by_role("status").filter(has_text="Ghi chú của bạn ở lại")).to_be_visible()
    notice = member.get_by_test_id("ann-version-notice")
    expect(notice).to_contain_text("phiên bản 1")
    member.get_by_test_id("open-new-version").click()
    expect(member.get_by_test_id("doc-title")).to_contain_text("phiên bản 2")
    expect(member.get_by_test_id("ann-ink")).to_have_count(0)
    expect(notice).to_contain_text("phiên bản 1 trước đây")
    member.screenshot(path=artifacts / "annotations-new-version-landscape-vi.png")
    member.get_by_test_id("ann-open-version").click()
    expect(member.get_by_test_id("ann-ink")).to_have_count(1)
    expect(member.get_by_test_id("ann-highlight")).to_have_count(1)


def test_the_tablets_fold_of_annotation_events_equals_the_servers_snapshot(
    new_context: NewContext,
) -> None:
    """annotation-state.js mirrors ecabinet/annotations/rules.py: the same events, folded in
    the browser from a snapshot at n, give the viewer the marks of the server's snapshot at m
    (for the owner and for someone else, to whom private events come redacted)."""
    from ecabinet.annotations.rules import AnnotationsState, apply, wire_for
    from ecabinet.events import Event

    owner, other = 5, 6
    created = {
        "owner_id": owner,
        "document_id": 3,
        "page": 1,
        "version": 1,
    }
    log = [
        ("annotation.created", {**created, "annotation_id": 1, "kind": "ink", "shared": True,
                                "points": [[1.5, 2.0, 0.4], [3.0, 4.25, 0.5]], "color": "#d32f2f",
                                "width": 2.0}),
        ("annotation.created", {**created, "annotation_id": 2, "kind": "note", "shared": False,
                                "text": "Riêng", "anchor": [10.0, 20.0], "color": "#fbc02d"}),
        ("annotation.updated", {"annotation_id": 2, "owner_id": owner, "shared": False,
                                "version": 2, "text": "Riêng, đã sửa"}),
        ("annotation.created", {**created, "annotation_id": 3, "kind": "highlight",
                                "shared": False, "rects": [[1.0, 2.0, 30.0, 12.0]],
                                "color": "#ffeb3b"}),
        ("annotation.shared", {**created, "annotation_id": 3, "kind": "highlight",
                               "shared": True, "rects": [[1.0, 2.0, 30.0, 12.0]],
                               "color": "#ffeb3b"}),
        ("annotation.updated", {"annotation_id": 3, "owner_id": owner, "shared": True,
                                "version": 2, "rects": [[1.0, 2.0, 40.0, 12.0]]}),
        ("annotation.shared", {"annotation_id": 1, "owner_id": owner, "shared": False}),
        ("annotation.deleted", {"annotation_id": 2, "owner_id": owner, "shared": False}),
    ]  # fmt: skip
    events = [
        Event(1, seq, type_, owner, "2026-11-26T07:00:00Z", data, "")
        for seq, (type_, data) in enumerate(log, start=1)
    ]
    page = new_context().new_page()
    page.goto("/#/login")
    for n in (0, 2, 4):
        at_n = AnnotationsState()
        for event in events[:n]:
            at_n = apply(at_n, event.type, event.data)
        final = AnnotationsState()
        for event in events:
            final = apply(final, event.type, event.data)
        for viewer in (owner, other):
            wire = [wire_for(e, viewer) for e in events[n:]]
            folded = page.evaluate(
                """async ([snapshot, events, viewer]) => {
                    const m = await import("/static/js/annotation-state.js");
                    let items = m.annotationsFromWire(snapshot);
                    for (const e of events) {
                        if (m.ANNOTATION_EVENT_TYPES.has(e.type))
                            items = m.applyAnnotationEvent(items, e.type, e.data, e.seq);
                    }
                    return Object.values(items)
                        .filter((mark) => m.isVisible(mark, viewer))
                        .sort((a, b) => a.annotation_id - b.annotation_id)
                        .map(({ createdSeq, ...mark }) => mark);
                }""",
                [at_n.to_wire(viewer), wire, viewer],
            )
            assert folded == json.loads(final.to_wire(viewer)), (n, viewer)
