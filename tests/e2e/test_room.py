"""The meeting room with several people at once: live updates, roles, reconnecting."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, WebSocketRoute, expect

from ecabinet.demo_documents.plan import AGENDA
from harness.server import DEMO_PASSWORD
from tests.e2e.conftest import (
    NAMES,
    NewContext,
    admin_client,
    open_room,
    roster_row,
    sign_in,
)

pytestmark = pytest.mark.e2e

EVENT_PACKET = '42["event",'  # Engine.IO message (4) carrying a Socket.IO event (2)


def attendance_of(page: Page) -> dict[str, str]:
    """user id -> "present" | "left" | "absent", as the roster shows it."""
    rows = page.get_by_test_id("roster-row")
    return {
        rows.nth(i).get_attribute("data-user-id") or "": rows.nth(i).get_attribute(
            "data-attendance"
        )
        or ""
        for i in range(rows.count())
    }


def test_chair_starts_the_demo_meeting_and_the_member_sees_it_live(
    new_context: NewContext, demo_meeting: int
) -> None:
    chair = sign_in(new_context(), "chair")
    member = sign_in(new_context(), "member1")
    # The demo meeting by its id: other tests' meetings may have similar titles.
    member.locator(f"[data-testid=meeting-card][data-meeting-id='{demo_meeting}']").click()
    expect(member.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    expect(member.get_by_test_id("status")).to_have_text("Sắp diễn ra")
    member.evaluate("window.__sameDocument = true")

    open_room(chair, demo_meeting)
    # The member sees the chair connected (presence), with the device count.
    chair_dot = roster_row(member, NAMES["chair"]).get_by_test_id("presence")
    expect(chair_dot).to_have_class("presence-dot online")
    expect(chair_dot).to_have_attribute("aria-label", "Đang trực tuyến trên 1 thiết bị")

    start = chair.get_by_test_id("start-meeting")
    expect(start).to_be_enabled()
    start.click()

    expect(member.get_by_test_id("status")).to_have_text("Đang họp")
    expect(member.get_by_test_id("status")).to_have_attribute("data-status", "live")
    expect(member.get_by_test_id("feed-entry").first).to_contain_text(
        f"{NAMES['chair']} đã bắt đầu phiên họp."
    )
    assert member.evaluate("window.__sameDocument") is True  # no reload happened
    expect(chair.get_by_test_id("status")).to_have_text("Đang họp")
    expect(chair.get_by_test_id("start-meeting")).to_be_disabled()
    expect(chair.get_by_test_id("end-meeting")).to_be_enabled()

    # README's walk-through goes on: "Nội dung tiếp theo" takes up the demo's first item.
    chair.get_by_test_id("agenda-next").click()
    expect(member.get_by_test_id("current-item")).to_have_text(f"1. {AGENDA[0].title}")


def test_members_and_observers_see_no_chair_controls(
    new_context: NewContext, fresh_meeting: Callable[..., int]
) -> None:
    meeting = fresh_meeting()
    for username in ("member1", "observer", "clerk"):
        page = sign_in(new_context(), username)
        open_room(page, meeting)
        expect(page.get_by_test_id("toggle-attendance")).to_be_visible()
        expect(page.get_by_test_id("chair-controls")).to_be_hidden()
        expect(page.get_by_test_id("start-meeting")).to_have_count(1)
        expect(page.get_by_test_id("start-meeting")).to_be_hidden()
        expect(page.get_by_test_id("end-meeting")).to_be_hidden()
        # Only chair and clerk may record attendance for someone else.
        row_buttons = page.get_by_test_id("attendance-for")
        if username == "clerk":
            expect(row_buttons.first).to_be_visible()
        else:
            expect(row_buttons.first).to_be_hidden()


def test_after_going_offline_the_chair_catches_up_with_what_happened_meanwhile(
    new_context: NewContext, fresh_meeting: Callable[..., int], artifacts: Path
) -> None:
    meeting = fresh_meeting()
    chair_context = new_context()
    chair = sign_in(chair_context, "chair")
    member = sign_in(new_context(), "member1")
    open_room(chair, meeting)
    open_room(member, meeting)
    member_row = roster_row(chair, NAMES["member1"])
    expect(member_row).to_have_attribute("data-attendance", "absent")
    expect(chair.get_by_test_id("reconnecting-banner")).to_be_hidden()

    chair_context.set_offline(True)
    expect(chair.get_by_test_id("reconnecting-banner")).to_be_visible()
    expect(chair.get_by_test_id("connection")).to_have_attribute("data-state", "reconnecting")
    expect(chair.get_by_test_id("connection")).to_have_text("Đang kết nối lại…")
    expect(chair.get_by_test_id("start-meeting")).to_be_disabled()
    chair.screenshot(path=artifacts / "room-reconnecting-landscape-vi.png")
    # The member sees the chair leave…
    expect(roster_row(member, NAMES["chair"]).get_by_test_id("presence")).to_have_class(
        "presence-dot"
    )

    # …and checks in while the chair is away.
    member.get_by_test_id("toggle-attendance").click()
    expect(member.get_by_test_id("my-attendance")).to_have_attribute("data-status", "present")
    expect(member.get_by_test_id("toggle-attendance")).to_have_text("Rời phiên họp")
    chair.wait_for_timeout(500)
    expect(member_row).to_have_attribute("data-attendance", "absent")

    chair_context.set_offline(False)
    expect(chair.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    expect(chair.get_by_test_id("reconnecting-banner")).to_be_hidden()
    expect(member_row).to_have_attribute("data-attendance", "present")
    expect(chair.get_by_test_id("feed-entry").first).to_contain_text(
        f"{NAMES['member1']} đã điểm danh."
    )
    expect(chair.get_by_test_id("attendance-summary")).to_have_text("Có mặt 1/11")
    expect(roster_row(member, NAMES["chair"]).get_by_test_id("presence")).to_have_class(
        "presence-dot online"
    )

    # The state folded from events equals a fresh snapshot.
    fresh = sign_in(new_context(), "chair")
    open_room(fresh, meeting)
    expect(roster_row(fresh, NAMES["member1"])).to_have_attribute("data-attendance", "present")
    assert attendance_of(fresh) == attendance_of(chair)


def test_ending_asks_first_and_then_closes_attendance(
    new_context: NewContext, fresh_meeting: Callable[..., int]
) -> None:
    meeting = fresh_meeting()
    chair = sign_in(new_context(), "chair")
    member = sign_in(new_context(), "member2")
    open_room(chair, meeting)
    open_room(member, meeting)
    chair.get_by_test_id("start-meeting").click()
    expect(chair.get_by_test_id("end-meeting")).to_be_enabled()

    chair.get_by_test_id("end-meeting").click()
    expect(chair.get_by_test_id("dialog-confirm")).to_be_visible()
    chair.get_by_test_id("dialog-cancel").click()
    expect(chair.get_by_test_id("dialog-confirm")).to_have_count(0)
    expect(chair.get_by_test_id("status")).to_have_text("Đang họp")

    chair.get_by_test_id("end-meeting").click()
    chair.get_by_test_id("dialog-confirm").click()
    expect(member.get_by_test_id("status")).to_have_text("Đã kết thúc")
    expect(member.get_by_test_id("toggle-attendance")).to_be_disabled()
    expect(chair.get_by_test_id("end-meeting")).to_be_disabled()
    expect(chair.get_by_test_id("start-meeting")).to_be_disabled()
    expect(member.get_by_test_id("feed-entry").first).to_contain_text("đã kết thúc phiên họp.")


def test_clerk_records_attendance_for_others_and_everyone_sees_it(
    new_context: NewContext, fresh_meeting: Callable[..., int]
) -> None:
    meeting = fresh_meeting()
    clerk = sign_in(new_context(), "clerk")
    member = sign_in(new_context(), "member2")
    open_room(clerk, meeting)
    open_room(member, meeting)

    roster_row(clerk, NAMES["member2"]).get_by_test_id("attendance-for").click()
    expect(member.get_by_test_id("my-attendance")).to_have_attribute("data-status", "present")
    expect(member.get_by_test_id("feed-entry").first).to_contain_text(
        f"{NAMES['clerk']} đã điểm danh cho {NAMES['member2']}."
    )
    member.get_by_test_id("toggle-attendance").click()
    expect(roster_row(clerk, NAMES["member2"])).to_have_attribute("data-attendance", "left")
    expect(roster_row(clerk, NAMES["member2"]).get_by_test_id("attendance")).to_contain_text(
        "Đã rời lúc"
    )


def drop_events(context: BrowserContext, dropped: Callable[[dict[str, Any]], bool]) -> None:
    """Let the server's ``event`` messages that ``dropped`` picks never reach the pages of
    ``context`` (as a message queue that lost them would)."""

    def route(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def from_server(message: str | bytes) -> None:
            if isinstance(message, str) and message.startswith(EVENT_PACKET):
                _name, event = json.loads(message[2:])
                if dropped(event):
                    return
            ws.send(message)

        server.on_message(from_server)

    context.route_web_socket(re.compile(r"/socket\.io/"), route)


def test_a_gap_in_the_events_is_filled_by_joining_again(
    new_context: NewContext, fresh_meeting: Callable[..., int]
) -> None:
    meeting = fresh_meeting()
    member_context = new_context()
    drop_events(member_context, lambda event: event["seq"] == 1)
    member = sign_in(member_context, "member1")
    chair = sign_in(new_context(), "chair")
    open_room(member, meeting)
    open_room(chair, meeting)

    chair.get_by_test_id("start-meeting").click()  # seq 1: never reaches the member
    expect(chair.get_by_test_id("status")).to_have_text("Đang họp")
    member.wait_for_timeout(300)
    expect(member.get_by_test_id("status")).to_have_text("Sắp diễn ra")

    chair.get_by_test_id("toggle-attendance").click()  # seq 2 arrives: the gap shows
    expect(member.get_by_test_id("status")).to_have_text("Đang họp")
    expect(roster_row(member, NAMES["chair"])).to_have_attribute("data-attendance", "present")
    entries = member.get_by_test_id("feed-entry")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_have_attribute("data-seq", "2")
    expect(entries.nth(1)).to_have_attribute("data-seq", "1")


def test_a_refused_command_shows_a_translated_message(
    new_context: NewContext, fresh_meeting: Callable[..., int]
) -> None:
    meeting = fresh_meeting()
    stale_context = new_context()
    drop_events(stale_context, lambda _event: True)  # a screen that hears nothing
    stale = sign_in(stale_context, "chair")
    chair = sign_in(new_context(), "chair")
    open_room(stale, meeting)
    open_room(chair, meeting)
    chair.get_by_test_id("start-meeting").click()
    expect(chair.get_by_test_id("status")).to_have_text("Đang họp")

    stale.get_by_test_id("start-meeting").click()  # still shows "scheduled"
    expect(stale.locator(".notice-error")).to_have_text(
        "Không thể thực hiện thao tác này ở trạng thái hiện tại của phiên họp."
    )
    expect(stale.get_by_test_id("start-meeting")).to_be_enabled()  # nothing is stuck


def test_an_unknown_meeting_says_so(new_context: NewContext) -> None:
    page = sign_in(new_context(), "member1")
    page.goto("/#/meetings/999999")
    expect(page.get_by_test_id("room-error")).to_have_text(
        "Không tìm thấy phiên họp, hoặc bạn không có tên trong thành phần tham dự."
    )


def test_a_session_ended_elsewhere_returns_to_sign_in_and_back_to_the_room(
    new_context: NewContext, fresh_meeting: Callable[..., int], base_url: str
) -> None:
    meeting = fresh_meeting()
    page = sign_in(new_context(), "member3")
    open_room(page, meeting)

    with admin_client(base_url) as http:
        users = {u["username"]: u["id"] for u in http.get("/api/users").json()["users"]}
        http.delete(f"/api/users/{users['member3']}/sessions").raise_for_status()

    expect(page).to_have_url(re.compile(r"#/login$"))
    expect(page.locator(".notice")).to_have_text(
        "Phiên đăng nhập của bạn đã kết thúc. Vui lòng đăng nhập lại."
    )
    page.locator("#login-username").fill("member3")
    page.locator("#login-password").fill(DEMO_PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"#/meetings/{meeting}$"))
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "live")
