"""The agenda and follow-the-presenter on several tablets: the chair moves to the next
item and turns pages, members follow, break away and come back, reconnect and join late."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

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

AGENDA = [
    ("Khai mạc phiên họp", "information", 5),
    ("Báo cáo tình hình kinh tế - xã hội tháng 11", "discussion", 20),
    ("Thông qua Nghị quyết về kế hoạch đầu tư công năm 2027", "decision", 15),
]


def add_agenda(base_url: str, meeting: int) -> None:
    as_user(
        base_url,
        "clerk",
        meeting,
        [
            (
                "agenda.item.add",
                {"title": title, "kind": kind, "planned_minutes": minutes},
            )
            for title, kind, minutes in AGENDA
        ],
    )


def page_of(page: Page) -> str | None:
    return page.get_by_test_id("pdf-scroll").get_attribute("data-page")


def expect_page(page: Page, number: int, of: int = 4) -> None:
    expect(page.get_by_test_id("page-indicator")).to_have_text(f"Trang {number}/{of}")
    expect(page.get_by_test_id("pdf-scroll")).to_have_attribute(
        "data-rendered", re.compile(rf":{number}:")
    )
    # The text layer of the page shown (selectable text) carries its heading.
    expect(page.get_by_test_id("pdf-text")).to_contain_text(f"Trang {number}/{of}")


def test_members_follow_the_chair_through_the_agenda_and_the_pages(
    new_context: NewContext,
    fresh_meeting: Callable[..., int],
    base_url: str,
    artifacts: Path,
) -> None:
    meeting = fresh_meeting("Phiên họp chuyên đề kinh tế - xã hội tháng 11")
    add_agenda(base_url, meeting)
    report = upload_pdf(
        base_url,
        meeting,
        text_pdf("Báo cáo kinh tế - xã hội"),
        title="Báo cáo KT-XH tháng 11",
        item_id=2,
    )
    upload_pdf(base_url, meeting, text_pdf("Phụ lục", 2), title="Phụ lục số liệu")
    as_user(base_url, "chair", meeting, [("meeting.start", {}), ("agenda.next", {})])

    chair = sign_in(new_context(), "chair")
    member_context = new_context()
    member = sign_in(member_context, "member1")
    open_room(chair, meeting)
    open_room(member, meeting)
    expect(member.get_by_test_id("current-item")).to_have_text("1. Khai mạc phiên họp")

    # The chair moves on to item 2; every tablet shows it as current, with its timer.
    chair.get_by_test_id("agenda-next").click()
    expect(member.get_by_test_id("current-item")).to_have_text(
        "2. Báo cáo tình hình kinh tế - xã hội tháng 11"
    )
    current_row = member.locator("[data-testid=agenda-item][data-current=true]")
    expect(current_row).to_have_attribute("data-number", "2")
    expect(member.locator("[data-testid=agenda-item][data-number='1']")).to_have_attribute(
        "data-status", "done"
    )
    expect(member.get_by_test_id("item-timer")).to_have_text(re.compile(r"^0:0\d / 20:00$"))

    # The chair presents the item's document and turns to page 3.
    chair.get_by_test_id("presenter-select").select_option(label=NAMES["chair"])
    expect(member.get_by_test_id("presenter-name")).to_have_text(
        f"Người trình bày: {NAMES['chair']}"
    )
    item_docs = chair.get_by_test_id("item-documents")
    item_docs.get_by_test_id("document").filter(has_text="Báo cáo KT-XH").click()
    expect_page(chair, 1)
    expect_page(member, 1)
    expect(member.get_by_test_id("follow-state")).to_have_text("Đang theo người trình bày")
    chair.get_by_test_id("viewer-next").click()
    chair.get_by_test_id("viewer-next").click()
    expect_page(chair, 3)
    expect_page(member, 3)
    member.screenshot(path=artifacts / "presenting-member-following-landscape-vi.png")

    # The member pages away: browsing privately, while the chair goes on.
    member.get_by_test_id("viewer-prev").click()
    expect_page(member, 2)
    expect(member.get_by_test_id("follow-state")).to_have_text("Đang xem riêng")
    back = member.get_by_test_id("back-to-presenter")
    expect(back).to_be_visible()
    chair.get_by_test_id("viewer-next").click()
    expect_page(chair, 4)
    member.wait_for_timeout(800)
    expect_page(member, 2)
    member.screenshot(path=artifacts / "presenting-member-private-landscape-vi.png")

    # One tap brings them back to the presenter's page.
    back.click()
    expect_page(member, 4)
    expect(member.get_by_test_id("follow-state")).to_have_text("Đang theo người trình bày")
    expect(back).to_be_hidden()

    # Zooming in shows followers the same region of the page.
    chair.get_by_test_id("zoom-in").click()
    chair.get_by_test_id("zoom-in").click()
    expect(chair.get_by_test_id("pdf-scroll")).to_have_attribute("data-zoom", re.compile(r"\d+"))
    chair.wait_for_timeout(700)
    chair_zoom = int(chair.get_by_test_id("pdf-scroll").get_attribute("data-zoom") or "0")
    member.wait_for_function(
        """(zoom) => {
            const z = Number(document.querySelector("[data-testid=pdf-scroll]").dataset.zoom);
            return Math.abs(z - zoom) <= zoom * 0.1;
        }""",
        arg=chair_zoom,
    )

    # A tablet that loses the network catches up with the page turned meanwhile.
    member_context.set_offline(True)
    expect(member.get_by_test_id("connection")).to_have_attribute("data-state", "reconnecting")
    chair.get_by_test_id("viewer-prev").click()
    expect_page(chair, 3)
    chair.wait_for_timeout(600)  # the settled view is stored
    member_context.set_offline(False)
    expect(member.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    expect_page(member, 3)

    # A tablet joining now lands on the presenter's page from the snapshot.
    late = sign_in(new_context(viewport=PORTRAIT), "member2")
    open_room(late, meeting)
    expect(late.get_by_test_id("current-item")).to_contain_text("2. Báo cáo")
    expect_page(late, 3)
    expect(late.get_by_test_id("doc-title")).to_have_text(report["title"])
    late.screenshot(path=artifacts / "presenting-late-joiner-portrait-vi.png")


def test_editors_reorder_and_nest_the_agenda_by_dragging(
    new_context: NewContext, fresh_meeting: Callable[..., int], base_url: str
) -> None:
    meeting = fresh_meeting()
    add_agenda(base_url, meeting)
    clerk = sign_in(new_context(), "clerk")
    member = sign_in(new_context(), "member3")
    open_room(clerk, meeting)
    open_room(member, meeting)
    expect(member.get_by_test_id("agenda-item")).to_have_count(3)
    expect(clerk.get_by_test_id("drag-handle")).to_have_count(0)

    clerk.get_by_test_id("agenda-edit").click()
    rows = clerk.get_by_test_id("agenda-item")
    handle = rows.nth(2).get_by_test_id("drag-handle")

    def drag(source, target, fraction: float) -> None:  # type: ignore[no-untyped-def]
        start = source.bounding_box()
        end = target.bounding_box()
        assert start and end
        clerk.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
        clerk.mouse.down()
        x = end["x"] + end["width"] / 2
        y = end["y"] + end["height"] * fraction
        clerk.mouse.move(x, y, steps=8)
        clerk.mouse.up()

    # Item 3 dragged above item 1 becomes item 1.
    drag(handle, rows.nth(0), 0.1)
    titles = member.get_by_test_id("item-title")
    expect(titles.nth(0)).to_have_text(AGENDA[2][0])
    expect(titles.nth(1)).to_have_text(AGENDA[0][0])

    # The clerk's own list is redrawn (at the next frame) before the next drag starts.
    expect(clerk.get_by_test_id("item-title").nth(0)).to_have_text(AGENDA[2][0])
    expect(rows.nth(2).get_by_test_id("drag-handle")).to_be_visible()

    # Dropped onto the middle of an item, it becomes that item's sub-item (1.1).
    drag(rows.nth(2).get_by_test_id("drag-handle"), rows.nth(0), 0.5)
    expect(member.locator("[data-testid=agenda-item][data-number='1.1']")).to_contain_text(
        AGENDA[1][0]
    )

    # The move buttons of the edit form do the same without dragging.
    row = clerk.locator("[data-testid=agenda-item][data-number='1.1']")
    row.get_by_test_id("agenda-item-edit").click()
    clerk.get_by_test_id("item-move-outdent").click()
    expect(member.locator("[data-testid=agenda-item][data-number='2']")).to_contain_text(
        AGENDA[1][0]
    )

    # Editing: title, planned time and status; a new item.
    clerk.locator("[data-testid=agenda-item][data-number='3']").get_by_test_id(
        "agenda-item-edit"
    ).click()
    clerk.get_by_test_id("item-title-input").fill("Khai mạc và thông qua chương trình")
    clerk.get_by_test_id("item-minutes").fill("10")
    clerk.get_by_test_id("item-status-select").select_option("withdrawn")
    clerk.get_by_test_id("dialog-confirm").click()
    third = member.locator("[data-testid=agenda-item][data-number='3']")
    expect(third).to_contain_text("Khai mạc và thông qua chương trình")
    expect(third).to_have_attribute("data-status", "withdrawn")
    expect(third).to_contain_text("10 phút")

    clerk.get_by_test_id("agenda-add").click()
    clerk.get_by_test_id("item-title-input").fill("Các vấn đề phát sinh")
    clerk.get_by_test_id("dialog-confirm").click()
    expect(member.locator("[data-testid=agenda-item][data-number='4']")).to_contain_text(
        "Các vấn đề phát sinh"
    )
    expect(member.get_by_test_id("feed-entry").first).to_contain_text(
        f"{NAMES['clerk']} đã thêm nội dung 4. Các vấn đề phát sinh."
    )

    # The agenda folded from events on the member's tablet equals a fresh snapshot.
    fresh = sign_in(new_context(), "member3")
    open_room(fresh, meeting)
    expect(fresh.get_by_test_id("agenda-item")).to_have_count(4)
    assert agenda_of(fresh) == agenda_of(member)


def agenda_of(page: Page) -> list[tuple[str | None, str | None, str]]:
    rows = page.get_by_test_id("agenda-item")
    return [
        (
            rows.nth(i).get_attribute("data-number"),
            rows.nth(i).get_attribute("data-status"),
            rows.nth(i).get_by_test_id("item-title").inner_text(),
        )
        for i in range(rows.count())
    ]


def test_speakers_queue_and_the_floor(
    new_context: NewContext, fresh_meeting: Callable[..., int], base_url: str
) -> None:
    meeting = fresh_meeting()
    add_agenda(base_url, meeting)
    as_user(
        base_url,
        "chair",
        meeting,
        [
            ("meeting.start", {}),
            ("agenda.next", {}),
            ("speakers.set_default_limit", {"limit_secs": 120}),
        ],
    )
    ids = user_ids(base_url)
    chair = sign_in(new_context(), "chair")
    member = sign_in(new_context(), "member4")
    open_room(chair, meeting)
    open_room(member, meeting)

    request = member.get_by_test_id("request-speak")
    expect(request).to_have_text("Xin phát biểu")
    request.click()
    expect(request).to_have_text("Rút đăng ký phát biểu")
    queue = chair.get_by_test_id("queue-entry")
    expect(queue).to_have_count(1)
    expect(queue.first).to_have_attribute("data-user-id", str(ids["member4"]))

    chair.get_by_test_id("grant-next").click()
    expect(member.get_by_test_id("speaker")).to_have_text(f"Đang phát biểu: {NAMES['member4']}")
    expect(member.get_by_test_id("speech-timer")).to_have_text(re.compile(r"^Còn 1:5\d$"))
    expect(chair.get_by_test_id("queue-entry")).to_have_count(0)
    # The speaker ends their own speech.
    member.get_by_test_id("speech-end").click()
    expect(chair.get_by_test_id("speaking")).to_be_hidden()
    expect(chair.get_by_test_id("feed-entry").first).to_contain_text(
        f"{NAMES['member4']} đã phát biểu xong"
    )


def test_upload_with_progress_and_the_new_version_notice(
    new_context: NewContext, fresh_meeting: Callable[..., int], base_url: str, tmp_path: Path
) -> None:
    meeting = fresh_meeting()
    clerk = sign_in(new_context(), "clerk")
    member = sign_in(new_context(), "member5")
    open_room(clerk, meeting)
    open_room(member, meeting)
    expect(member.get_by_test_id("upload")).to_be_hidden()  # members do not upload

    first = tmp_path / "Dự thảo Nghị quyết.pdf"
    first.write_bytes(text_pdf("Dự thảo Nghị quyết", 2))
    clerk.get_by_test_id("upload-input").set_input_files(first)
    expect(clerk.get_by_test_id("upload-status")).to_have_text(
        "Đã tải lên “Dự thảo Nghị quyết.pdf”."
    )
    document = member.get_by_test_id("document").filter(has_text="Dự thảo Nghị quyết")
    expect(document).to_contain_text("2 trang")
    expect(member.get_by_test_id("feed-entry").first).to_contain_text(
        f"{NAMES['clerk']} đã tải lên tài liệu “Dự thảo Nghị quyết”."
    )
    document.click()
    expect_page(member, 1, of=2)
    download = member.get_by_test_id("download")
    expect(download).to_have_attribute("href", re.compile(r"/documents/\d+/file\?watermark=1$"))

    # The clerk uploads a new version of the open document: the member is told.
    clerk.get_by_test_id("document").filter(has_text="Dự thảo Nghị quyết").click()
    expect_page(clerk, 1, of=2)
    clerk.get_by_test_id("doc-picker").locator("summary").click()
    second = tmp_path / "Dự thảo Nghị quyết (sửa).pdf"
    second.write_bytes(text_pdf("Dự thảo Nghị quyết – bản sửa", 3))
    expect(clerk.get_by_test_id("upload-new-version")).to_be_visible()
    with clerk.expect_file_chooser() as chooser:
        clerk.get_by_test_id("upload-new-version").click()
    chooser.value.set_files(second)
    notice = member.get_by_test_id("new-version")
    expect(notice).to_contain_text("Đã có phiên bản mới (2) của tài liệu này.")
    member.get_by_test_id("open-new-version").click()
    expect(member.get_by_test_id("doc-title")).to_have_text("Dự thảo Nghị quyết (phiên bản 2)")
    expect_page(member, 1, of=3)
    expect(notice).to_be_hidden()
