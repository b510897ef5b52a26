"""Accessibility of the tablet's screens: axe-core (WCAG 2.1 A and AA) on every screen and
role, the chair's controls driven by the keyboard alone, a vote answer that a double tap
does not select as text, and the end of a meeting that names the items never discussed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import NewContext, as_user, open_room, sign_in
from tests.e2e.test_people_admin import axe_violations
from tests.e2e.test_tablet_layout import TABLETS, open_presented_room, presented_room

pytestmark = pytest.mark.e2e

MAX_TABS = 40  # from the back link to any of the chair's controls


def test_axe_is_clean_on_every_screen_and_role(
    new_context: NewContext, fresh_meeting: Callable[..., int], base_url: str
) -> None:
    meeting = presented_room(base_url, fresh_meeting)
    login = new_context(viewport=TABLETS["1024x768"]).new_page()
    login.goto("/")
    expect(login.locator("#login-username")).to_be_visible()
    assert axe_violations(login) == [], "sign-in"

    for username in ("chair", "clerk", "member1"):
        page = sign_in(new_context(viewport=TABLETS["1024x768"]), username)
        expect(page.get_by_test_id("meeting-card").first).to_be_visible()
        assert axe_violations(page) == [], (username, "meetings")

        open_presented_room(page, meeting)
        sheet = page.get_by_test_id("vote-sheet")
        if sheet.is_visible():
            assert axe_violations(page) == [], (username, "vote sheet")
            page.get_by_test_id("vote-later").click()
            expect(sheet).to_be_hidden()
        assert axe_violations(page) == [], (username, "room: document and poll")

        minutes_tab = page.get_by_test_id("drawer-tab-minutes")
        # Who keeps the minutes sees them during the meeting; a member, once they are out.
        expect(minutes_tab).to_be_visible(visible=username != "member1")
        if username != "member1":
            minutes_tab.click()
            expect(page.get_by_test_id("minutes")).to_be_in_viewport()
            assert axe_violations(page) == [], (username, "room: minutes")
        page.context.close()


def tab_to(page: Page, testid: str) -> None:
    """Press Tab from the room's back link until the control with ``testid`` has the focus."""
    page.get_by_test_id("back").focus()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement?.dataset?.testid") == testid:
            return
    pytest.fail(f"{testid} is not reachable with the Tab key")


def test_the_chair_drives_the_meeting_with_the_keyboard_alone(
    new_context: NewContext, fresh_meeting: Callable[..., int], base_url: str
) -> None:
    meeting = fresh_meeting("Phiên họp giao ban tháng 12")
    as_user(
        base_url,
        "clerk",
        meeting,
        [
            ("agenda.item.add", {"title": "Báo cáo tình hình tháng 11", "kind": "discussion"}),
            ("agenda.item.add", {"title": "Thông qua kế hoạch tháng 12", "kind": "decision"}),
        ],
    )
    as_user(
        base_url,
        "chair",
        meeting,
        [
            ("meeting.start", {}),
            ("attendance.check_in", {}),  # someone present may vote: the poll can open
            (
                "poll.create",
                {
                    "title": "Thông qua kế hoạch tháng 12",
                    "kind": "yes_no_abstain",
                    "secret": False,
                    "allow_change": False,
                    "quorum": {"kind": "none"},
                },
            ),
        ],
    )
    chair = sign_in(new_context(viewport=TABLETS["1024x768"]), "chair")
    open_room(chair, meeting)

    tab_to(chair, "quick-next")
    chair.keyboard.press("Enter")
    expect(chair.get_by_test_id("current-item")).to_have_text("1. Báo cáo tình hình tháng 11")

    tab_to(chair, "quick-poll")
    expect(chair.get_by_test_id("quick-poll")).to_have_text("Mở biểu quyết")
    chair.keyboard.press("Enter")
    expect(chair.locator("[data-testid=poll][data-status=open]")).to_have_count(1)
    # The chair's own vote sheet opened with the poll: Escape puts it aside.
    if chair.get_by_test_id("vote-sheet").is_visible():
        chair.keyboard.press("Escape")
        expect(chair.get_by_test_id("vote-sheet")).to_be_hidden()

    tab_to(chair, "quick-poll")
    expect(chair.get_by_test_id("quick-poll")).to_have_text("Kết thúc biểu quyết")
    chair.keyboard.press("Enter")
    confirm = chair.get_by_test_id("dialog-confirm")
    expect(confirm).to_be_visible()
    while chair.evaluate("document.activeElement?.dataset?.testid") != "dialog-confirm":
        chair.keyboard.press("Tab")
    chair.keyboard.press("Enter")
    expect(chair.locator("[data-testid=poll][data-status=closed]")).to_have_count(1)


def test_a_double_tap_on_a_vote_answer_selects_no_text(
    new_context: NewContext, fresh_meeting: Callable[..., int], base_url: str
) -> None:
    meeting = presented_room(base_url, fresh_meeting)
    member = sign_in(new_context(viewport=TABLETS["768x1024"]), "member2")
    open_presented_room(member, meeting)
    answer = member.locator("[data-testid=vote-choice][data-choice=yes]")
    expect(answer).to_be_visible()
    words = answer.locator("*").last
    assert words.evaluate("(el) => getComputedStyle(el).userSelect") == "none"
    answer.dblclick()
    assert member.evaluate("window.getSelection().toString()") == ""
    expect(answer).to_have_class(re.compile("is-selected"))


def test_ending_the_meeting_names_the_items_never_discussed(
    new_context: NewContext, fresh_meeting: Callable[..., int], base_url: str, artifacts: Path
) -> None:
    meeting = fresh_meeting("Phiên họp chuyên đề tháng 12")
    as_user(
        base_url,
        "clerk",
        meeting,
        [
            ("agenda.item.add", {"title": title, "kind": "discussion"})
            for title in ("Khai mạc", "Báo cáo chuyên đề", "Các vấn đề phát sinh")
        ],
    )
    as_user(base_url, "chair", meeting, [("meeting.start", {}), ("agenda.next", {})])
    chair = sign_in(new_context(viewport=TABLETS["1180x820"]), "chair")
    open_room(chair, meeting)
    chair.get_by_test_id("end-meeting").click()
    warning = chair.get_by_test_id("dialog-list")
    expect(warning).to_contain_text("Còn 2 nội dung chưa được thảo luận")
    expect(warning.locator("li")).to_have_text(["2. Báo cáo chuyên đề", "3. Các vấn đề phát sinh"])
    assert axe_violations(chair) == []
    chair.screenshot(path=artifacts / "room-end-undiscussed-1180x820-vi.png")
    chair.get_by_test_id("dialog-cancel").click()
    expect(chair.get_by_test_id("status")).to_have_text("Đang họp")

    # Nobody named to present: one wording on a member's tablet, and none once it is over.
    member = sign_in(new_context(viewport=TABLETS["1180x820"]), "member1")
    open_room(member, meeting)
    expect(member.get_by_test_id("follow-state")).to_have_text(
        "Chưa có tài liệu nào được trình bày"
    )
    expect(member.get_by_test_id("presenter-name")).to_be_hidden()
    chair.get_by_test_id("end-meeting").click()
    chair.get_by_test_id("dialog-confirm").click()
    expect(member.get_by_test_id("status")).to_have_text("Đã kết thúc")
    expect(member.get_by_test_id("follow-state")).to_be_hidden()
    expect(chair.get_by_test_id("follow-state")).to_be_hidden()
