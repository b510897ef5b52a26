"""The administrator's meetings screen in Chromium, in Vietnamese: a new meeting as a draft
(a roster without a chair refused on the form, then one chair), the administrator adds an
agenda item and uploads its document on the screen, sees it under its item and publishes,
and a member, who did not see the draft, sees the meeting
and its document. Then a reschedule and a cancel with its reason. Every screen is checked
by axe-core and for touch targets, at 1024×768, 1280×800 and a portrait tablet;
screenshots go to test-artifacts/."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from harness.client import DEMO_ROSTER
from harness.server import DEMO_PASSWORD
from tests import pdfs
from tests.e2e.conftest import PORTRAIT, NewContext, admin_client, open_room, sign_in
from tests.e2e.test_people_admin import check

pytestmark = pytest.mark.e2e

VIEWPORTS = {"1280x800": {"width": 1280, "height": 800}, "1024x768": {"width": 1024, "height": 768}}


def _open(page: Page) -> None:
    page.get_by_test_id("nav-meetings-admin").click()
    expect(page).to_have_url(re.compile(r"#/admin/meetings$"))
    expect(page.get_by_role("heading", name="Quản lý phiên họp")).to_be_visible()


def _role(dialog, username: str, role: str) -> None:  # type: ignore[no-untyped-def]
    dialog.locator(f"select[data-testid=roster-role][data-username='{username}']").select_option(
        role
    )


def _titles_for(base_url: str, username: str) -> list[str]:
    with httpx.Client(base_url=base_url, timeout=15) as http:
        http.post("/api/login", json={"username": username, "password": DEMO_PASSWORD})
        return [m["title"] for m in http.get("/api/meetings").json()["meetings"]]


def test_the_admin_prepares_and_publishes_a_meeting_a_member_reads_ahead(
    new_context: NewContext, base_url: str, artifacts: Path
) -> None:
    size = "1024x768"
    title = f"Họp chuyên đề chuyển đổi số {secrets.token_hex(2)}"
    page = sign_in(new_context(viewport=VIEWPORTS[size]), "admin")
    _open(page)
    check(page, artifacts, f"meetings-admin-list-{size}-vi")

    page.get_by_test_id("meeting-add").click()
    dialog = page.get_by_test_id("new-meeting-dialog")
    dialog.get_by_test_id("meeting-title").fill(title)
    dialog.get_by_test_id("meeting-place").fill("Phòng họp số 2, Trụ sở UBND tỉnh")
    day = f"2032-{secrets.randbelow(12) + 1:02d}-{secrets.randbelow(28) + 1:02d}"
    dialog.get_by_test_id("meeting-date").fill(day)
    dialog.get_by_test_id("meeting-time").fill("08:30")
    _role(dialog, "member1", "member")
    dialog.get_by_test_id("meeting-create").click()  # no chair yet: refused on the form
    expect(dialog.locator(".form-error")).to_contain_text("đúng một chủ tọa")
    _role(dialog, "chair", "chair")
    _role(dialog, "clerk", "clerk")
    _role(dialog, "observer", "observer")
    expect(dialog.get_by_test_id("roster-counts")).to_contain_text("Chủ tọa: 1")
    check(page, artifacts, f"meetings-admin-new-{size}-vi")
    dialog.get_by_test_id("meeting-create").click()

    prepare = page.get_by_test_id("prepare-dialog")
    expect(prepare.locator(".dialog-title")).to_have_text(title)
    expect(prepare.get_by_test_id("meeting-publish")).to_be_visible()
    assert title not in _titles_for(base_url, "member1")  # a draft: not for members

    # The administrator adds the agenda item and uploads its document on the screen.
    prepare.get_by_test_id("item-title").fill("Tờ trình về kế hoạch chuyển đổi số")
    prepare.get_by_test_id("item-kind").select_option("decision")
    prepare.get_by_test_id("item-minutes").fill("30")
    prepare.get_by_test_id("item-add").click()
    expect(prepare.get_by_test_id("prepare-status")).to_have_text(
        "Đã thêm nội dung vào chương trình."
    )
    expect(prepare.get_by_test_id("plan-item")).to_contain_text("30 phút")
    item = prepare.get_by_test_id("plan-item").filter(has_text="Tờ trình về kế hoạch")
    pdf = {"name": "Tờ trình số 412-TTr-STC.pdf", "mimeType": "application/pdf"}
    item.get_by_test_id("item-upload-file").set_input_files({**pdf, "buffer": pdfs.pages(2)})
    expect(prepare.get_by_test_id("prepare-status")).to_have_text(
        "Đã tải lên “Tờ trình số 412-TTr-STC.pdf”."
    )
    prepare.get_by_test_id("prepare-close").click()
    page.get_by_test_id("meeting-row").filter(has_text=title).get_by_test_id(
        "meeting-prepare"
    ).click()
    prepare = page.get_by_test_id("prepare-dialog")
    item = prepare.get_by_test_id("plan-item").filter(has_text="Tờ trình về kế hoạch")
    # The PDF's own title names it (tests/pdfs.py), the file name only when it has none.
    expect(item.get_by_test_id("plan-document-title")).to_have_text(
        "Báo cáo tình hình kinh tế - xã hội"
    )
    check(page, artifacts, f"meetings-admin-prepare-{size}-vi")
    prepare.get_by_test_id("meeting-publish").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / f"meetings-admin-agenda-{size}-vi.png")

    prepare.get_by_test_id("meeting-publish").click()
    page.get_by_test_id("dialog-confirm").click()
    expect(prepare.locator(".published-note")).to_be_visible()
    prepare.get_by_test_id("prepare-close").click()
    expect(page.get_by_test_id("meeting-row").filter(has_text=title)).not_to_contain_text(
        "Chưa công bố"
    )

    member = sign_in(new_context(viewport=VIEWPORTS[size]), "member1")
    card = member.get_by_test_id("meeting-card").filter(has_text=title)
    expect(card).to_be_visible()
    card.click()
    expect(
        member.get_by_test_id("document").filter(has_text="Báo cáo tình hình kinh tế")
    ).to_be_visible()
    member.screenshot(path=artifacts / f"meetings-admin-member-reads-{size}-vi.png")

    # Reschedule, then cancel with a reason: the list says so.
    prepare_again = page.get_by_test_id("meeting-row").filter(has_text=title)
    prepare_again.get_by_test_id("meeting-prepare").click()
    prepare = page.get_by_test_id("prepare-dialog")
    prepare.get_by_test_id("meeting-time").fill("14:00")
    prepare.get_by_test_id("details-save").click()
    expect(prepare.get_by_test_id("prepare-status")).to_have_text("Đã lưu thông tin phiên họp.")
    prepare.get_by_test_id("cancel-reason").fill("Lãnh đạo đi công tác đột xuất")
    prepare.get_by_test_id("meeting-cancel").click()
    page.get_by_test_id("dialog-confirm").click()
    expect(prepare.get_by_test_id("cancelled-note")).to_contain_text("đi công tác đột xuất")
    check(page, artifacts, f"meetings-admin-cancelled-{size}-vi")
    prepare.get_by_test_id("prepare-close").click()
    row = page.get_by_test_id("meeting-row").filter(has_text=title)
    expect(row.get_by_test_id("meeting-status")).to_contain_text("Đã hủy")
    expect(row).to_contain_text("14:00")


@pytest.mark.parametrize("size", ["1280x800", "portrait"])
def test_the_meetings_screen_fits_desktop_and_portrait_in_both_languages(
    size: str, new_context: NewContext, artifacts: Path
) -> None:
    viewport = PORTRAIT if size == "portrait" else VIEWPORTS[size]
    page = sign_in(new_context(viewport=viewport), "admin")
    _open(page)
    page.get_by_test_id("filter-status").select_option("scheduled")
    expect(page.get_by_test_id("meeting-row").first).to_be_visible()
    check(page, artifacts, f"meetings-admin-list-{size}-vi")
    page.get_by_test_id("meeting-add").click()
    check(page, artifacts, f"meetings-admin-new-{size}-vi")
    page.get_by_test_id("meeting-cancel-dialog").click()
    page.locator(".lang-button[data-lang=en]").click()
    expect(page.get_by_role("heading", name="Meetings")).to_be_visible()
    page.get_by_test_id("meeting-row").first.get_by_test_id("meeting-prepare").click()
    expect(page.get_by_test_id("prepare-dialog")).to_contain_text("Roster")
    check(page, artifacts, f"meetings-admin-prepare-{size}-en")
    page.get_by_test_id("prepare-close").click()
    page.locator(".lang-button[data-lang=vi]").click()


def test_a_member_gets_no_meetings_back_office(new_context: NewContext) -> None:
    page = sign_in(new_context(), "member2")
    expect(page.get_by_test_id("nav-meetings-admin")).to_be_hidden()
    page.goto("/#/admin/meetings")
    expect(page.get_by_test_id("not-a-planner")).to_have_text(
        "Chỉ quản trị viên và thư ký của cơ quan họp mới chuẩn bị được phiên họp."
    )
    expect(page.get_by_test_id("meeting-row")).to_have_count(0)


def test_a_committees_clerk_prepares_a_meeting_on_the_screen(
    new_context: NewContext, base_url: str, artifacts: Path
) -> None:
    """The demo clerk (a clerk of the demo committee) creates a draft of its committee with a
    roster they are not on, adds an item with its document, and publishes it."""
    title = f"Họp giao ban do thư ký chuẩn bị {secrets.token_hex(2)}"
    page = sign_in(new_context(viewport=VIEWPORTS["1024x768"]), "clerk")
    _open(page)
    page.get_by_test_id("meeting-add").click()
    dialog = page.get_by_test_id("new-meeting-dialog")
    dialog.get_by_test_id("meeting-title").fill(title)
    day = f"2034-{secrets.randbelow(12) + 1:02d}-{secrets.randbelow(28) + 1:02d}"
    dialog.get_by_test_id("meeting-date").fill(day)
    dialog.get_by_test_id("meeting-time").fill("15:00")
    _role(dialog, "chair", "chair")
    _role(dialog, "member3", "member")
    expect(dialog).to_contain_text("Chủ tịch UBND tỉnh")  # titles from the people directory
    dialog.get_by_test_id("meeting-create").click()
    prepare = page.get_by_test_id("prepare-dialog")
    expect(prepare.locator(".dialog-title")).to_have_text(title)
    prepare.get_by_test_id("item-title").fill("Báo cáo tuần")
    prepare.get_by_test_id("item-add").click()
    item = prepare.get_by_test_id("plan-item").filter(has_text="Báo cáo tuần")
    item.get_by_test_id("item-upload-file").set_input_files(
        {"name": "bao-cao-tuan.pdf", "mimeType": "application/pdf", "buffer": pdfs.pages(1)}
    )
    expect(item.get_by_test_id("plan-document")).to_have_count(1)
    # A corrected file becomes the document's next version: one row, version 2.
    item.get_by_test_id("document-replace-file").set_input_files(
        {"name": "bao-cao-tuan-sua.pdf", "mimeType": "application/pdf", "buffer": pdfs.pages(2)}
    )
    expect(item.get_by_test_id("plan-document")).to_have_attribute("data-version", "2")
    expect(item.get_by_test_id("plan-document")).to_have_count(1)
    expect(item.get_by_test_id("plan-document")).to_contain_text("bản 2")
    check(page, artifacts, "meetings-clerk-prepare-1024x768-vi")
    prepare.get_by_test_id("meeting-publish").click()
    page.get_by_test_id("dialog-confirm").click()
    expect(prepare.locator(".published-note")).to_be_visible()
    prepare.get_by_test_id("prepare-close").click()
    assert title in _titles_for(base_url, "member3")


def test_a_new_meeting_copies_the_agenda_and_roster_of_an_earlier_one(
    new_context: NewContext, base_url: str, artifacts: Path
) -> None:
    source_title = f"Họp tháng trước {secrets.token_hex(2)}"
    with httpx.Client(base_url=base_url, timeout=15) as http:
        http.post("/api/login", json={"username": "admin", "password": DEMO_PASSWORD})
        users = {u["username"]: u["id"] for u in http.get("/api/users").json()["users"]}
        committee = http.get("/api/committees").json()["committees"][0]["id"]
        source = http.post(
            "/api/meetings",
            json={
                "committee_id": committee,
                "title": source_title,
                "scheduled_at": "2031-11-05T08:00:00+07:00",
                "roster": [
                    {"user_id": users["chair"], "role": "chair"},
                    {"user_id": users["member3"], "role": "member"},
                ],
            },
        ).json()["meeting"]
        added = http.post(
            f"/api/meetings/{source['id']}/agenda-items",
            json={"title": "Báo cáo tình hình kinh tế - xã hội", "kind": "discussion"},
        )
        assert added.status_code == 201, added.text
    page = sign_in(new_context(viewport=VIEWPORTS["1024x768"]), "admin")
    _open(page)
    page.get_by_test_id("meeting-add").click()
    dialog = page.get_by_test_id("new-meeting-dialog")
    copy_title = f"Họp tháng này {secrets.token_hex(2)}"
    dialog.get_by_test_id("meeting-title").fill(copy_title)
    dialog.get_by_test_id("meeting-date").fill("2031-12-05")
    dialog.get_by_test_id("meeting-time").fill("08:00")
    dialog.get_by_test_id("meeting-copy").select_option(str(source["id"]))
    expect(dialog.get_by_test_id("roster-list")).to_be_hidden()
    dialog.get_by_test_id("meeting-create").click()
    prepare = page.get_by_test_id("prepare-dialog")
    expect(prepare.locator(".dialog-title")).to_have_text(copy_title)
    expect(prepare.get_by_test_id("plan-item")).to_contain_text("Báo cáo tình hình kinh tế")
    expect(prepare.get_by_test_id("roster-counts")).to_contain_text("Chủ tọa: 1 · Thư ký: 0")
    expect(
        prepare.locator("select[data-testid=roster-role][data-username='member3']")
    ).to_have_value("member")
    check(page, artifacts, "meetings-admin-copied-1024x768-vi")


def test_a_member_taken_off_the_roster_leaves_the_room_with_a_clear_message(
    new_context: NewContext, fresh_meeting: Callable[..., int], base_url: str
) -> None:
    """The administrator removes member1 from a published meeting while member1 is in its
    room: the tablet stops following the meeting and says why, with the way back."""
    meeting = fresh_meeting("Phiên họp rà soát thành phần")
    member = sign_in(new_context({"width": 1024, "height": 768}), "member1")
    open_room(member, meeting)
    expect(member.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    with admin_client(base_url) as http:
        users = {u["username"]: u["id"] for u in http.get("/api/users").json()["users"]}
        roster = [
            {"user_id": users[name], "role": role}
            for name, role in DEMO_ROSTER.items()
            if name != "member1"
        ]
        answer = http.put(f"/api/meetings/{meeting}/roster", json={"roster": roster})
        assert answer.status_code == 200, answer.text
    fatal = member.locator(".room-fatal")
    expect(fatal).to_be_visible()
    expect(fatal).to_contain_text("Bạn không còn có tên trong thành phần tham dự phiên họp này.")
    fatal.get_by_role("link").click()
    expect(member).to_have_url(re.compile(r"#/meetings$"))
    expect(
        member.locator(f"[data-testid=meeting-card][data-meeting-id='{meeting}']")
    ).to_have_count(0)
