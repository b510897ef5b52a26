"""Tablet layout: touch targets of at least 44×44 CSS px in portrait and landscape, and
screenshots (Vietnamese) saved to test-artifacts/ for a person to look at."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    LANDSCAPE,
    NAMES,
    PORTRAIT,
    NewContext,
    as_user,
    open_room,
    roster_row,
    sign_in,
    upload_pdf,
    user_ids,
)
from tests.e2e.pdf_files import text_pdf

pytestmark = pytest.mark.e2e

TOUCH_MIN_PX = 44

SMALL_TARGETS_JS = """(minimum) => {
    const targets = document.querySelectorAll(
        "button, a[href], input[type=submit], input[type=button], [role=button], select"
    );
    const small = [];
    for (const el of targets) {
        const rect = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        const visible = rect.width > 0 && rect.height > 0 && style.visibility !== "hidden";
        if (visible && (rect.width < minimum || rect.height < minimum)) {
            small.push(`${el.tagName} "${el.textContent.trim()}" ${rect.width}×${rect.height}`);
        }
    }
    return small;
}"""


def small_targets(page: Page) -> list[str]:
    result: list[str] = page.evaluate(SMALL_TARGETS_JS, TOUCH_MIN_PX)
    return result


def no_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize(
    ("orientation", "viewport"), [("portrait", PORTRAIT), ("landscape", LANDSCAPE)]
)
def test_touch_targets_and_screenshots(
    orientation: str,
    viewport: dict[str, int],
    new_context: NewContext,
    fresh_meeting: Callable[..., int],
    artifacts: Path,
) -> None:
    meeting = fresh_meeting("Phiên họp thẩm định Đề án phát triển kinh tế biển tỉnh Hòa Lâm")
    # Someone else in the room, checked in, so that the screenshot shows a live roster.
    member = sign_in(new_context(), "member1")
    open_room(member, meeting)
    member.get_by_test_id("toggle-attendance").click()
    expect(member.get_by_test_id("my-attendance")).to_have_attribute("data-status", "present")

    context = new_context(viewport=viewport)
    page = context.new_page()
    page.goto("/")
    expect(page.locator("#login-username")).to_be_visible()
    assert small_targets(page) == []
    assert no_horizontal_scroll(page)
    page.screenshot(path=artifacts / f"login-{orientation}-vi.png")

    page.close()
    page = sign_in(context, "chair")
    expect(page.get_by_test_id("meeting-card").first).to_be_visible()
    assert small_targets(page) == []
    assert no_horizontal_scroll(page)
    page.screenshot(path=artifacts / f"meetings-{orientation}-vi.png")

    open_room(page, meeting)
    page.get_by_test_id("start-meeting").click()
    expect(page.get_by_test_id("status")).to_have_text("Đang họp")
    page.get_by_test_id("toggle-attendance").click()
    expect(page.get_by_test_id("my-attendance")).to_have_attribute("data-status", "present")
    roster_row(page, NAMES["member2"]).get_by_test_id("attendance-for").click()
    expect(roster_row(page, NAMES["member2"])).to_have_attribute("data-attendance", "present")
    expect(roster_row(page, NAMES["member1"]).get_by_test_id("presence")).to_have_class(
        "presence-dot online"
    )
    assert small_targets(page) == []
    assert no_horizontal_scroll(page)
    page.screenshot(path=artifacts / f"room-{orientation}-vi.png")
    page.screenshot(path=artifacts / f"room-{orientation}-vi-full.png", full_page=True)

    page.get_by_test_id("end-meeting").click()
    expect(page.get_by_test_id("dialog-confirm")).to_be_visible()
    assert small_targets(page) == []
    page.screenshot(path=artifacts / f"room-end-dialog-{orientation}-vi.png")
    page.get_by_test_id("dialog-cancel").click()

    page.locator(".lang-button[data-lang=en]").click()
    expect(page.get_by_test_id("start-meeting")).to_have_text("Start meeting")
    expect(page.get_by_test_id("feed-entry").last).to_contain_text(
        f"{NAMES['chair']} started the meeting."
    )
    expect(roster_row(page, NAMES["member1"]).get_by_test_id("attendance")).to_contain_text(
        "Present since"
    )
    assert small_targets(page) == []
    assert no_horizontal_scroll(page)
    page.screenshot(path=artifacts / f"room-{orientation}-en.png")


@pytest.mark.parametrize(
    ("orientation", "viewport"), [("portrait", PORTRAIT), ("landscape", LANDSCAPE)]
)
def test_agenda_viewer_and_vote_sheet_have_large_targets(
    orientation: str,
    viewport: dict[str, int],
    new_context: NewContext,
    fresh_meeting: Callable[..., int],
    base_url: str,
    artifacts: Path,
) -> None:
    meeting = fresh_meeting("Phiên họp thông qua kế hoạch đầu tư công năm 2027")
    ids = user_ids(base_url)
    as_user(
        base_url,
        "clerk",
        meeting,
        [
            ("agenda.item.add", {"title": title, "kind": kind, "planned_minutes": minutes})
            for title, kind, minutes in (
                ("Khai mạc, thông qua chương trình phiên họp", "information", 5),
                ("Báo cáo tình hình kinh tế - xã hội tháng 11", "discussion", 30),
                ("Tờ trình về kế hoạch đầu tư công năm 2027", "decision", 20),
                ("Các vấn đề phát sinh", "discussion", 15),
            )
        ]
        + [
            (
                "agenda.item.add",
                {"title": "Ý kiến của các sở, ngành", "kind": "discussion", "parent_id": 2},
            )
        ],
    )
    upload_pdf(
        base_url, meeting, text_pdf("Báo cáo kinh tế - xã hội"), title="Báo cáo KT-XH", item_id=2
    )
    upload_pdf(
        base_url, meeting, text_pdf("Tờ trình", 2), title="Tờ trình kế hoạch đầu tư công", item_id=3
    )
    as_user(
        base_url,
        "chair",
        meeting,
        [
            ("meeting.start", {}),
            ("attendance.check_in", {}),
            ("attendance.check_in", {"user_id": ids["member1"]}),
            ("agenda.next", {}),
            ("agenda.next", {}),
            ("speakers.request", {"user_id": ids["member1"]}),
            ("speakers.grant", {"limit_secs": 180}),
            ("speakers.request", {"user_id": ids["member2"]}),
            ("presenter.set", {"user_id": ids["chair"]}),
        ],
    )

    chair = sign_in(new_context(viewport=viewport), "chair")
    open_room(chair, meeting)
    chair.get_by_test_id("item-documents").get_by_test_id("document").first.click()
    expect(chair.get_by_test_id("pdf-scroll")).to_have_attribute("data-rendered", re.compile(":1:"))
    member = sign_in(new_context(viewport=viewport), "member1")
    open_room(member, meeting)
    expect(member.get_by_test_id("pdf-scroll")).to_have_attribute(
        "data-rendered", re.compile(":1:")
    )
    for page in (chair, member):
        assert small_targets(page) == []
        assert no_horizontal_scroll(page)
    chair.screenshot(path=artifacts / f"room-stage-chair-{orientation}-vi.png")
    member.screenshot(path=artifacts / f"room-stage-member-{orientation}-vi.png")
    member.screenshot(
        path=artifacts / f"room-stage-member-{orientation}-vi-full.png", full_page=True
    )

    # The agenda in edit mode and its item form.
    chair.get_by_test_id("agenda-edit").click()
    expect(chair.get_by_test_id("drag-handle").first).to_be_visible()
    assert small_targets(chair) == []
    chair.get_by_test_id("agenda").screenshot(path=artifacts / f"agenda-edit-{orientation}-vi.png")
    chair.get_by_test_id("agenda-item-edit").nth(1).click()
    expect(chair.get_by_test_id("item-dialog")).to_be_visible()
    assert small_targets(chair) == []
    chair.screenshot(path=artifacts / f"agenda-item-dialog-{orientation}-vi.png")
    chair.get_by_test_id("dialog-cancel").click()
    chair.get_by_test_id("agenda-edit").click()

    # The poll form, then the vote sheet on the member's tablet.
    chair.get_by_test_id("poll-create").click()
    expect(chair.get_by_test_id("poll-dialog")).to_be_visible()
    assert small_targets(chair) == []
    chair.screenshot(path=artifacts / f"poll-dialog-{orientation}-vi.png")
    chair.get_by_test_id("poll-quorum").select_option("none")
    chair.get_by_test_id("dialog-confirm").click()
    chair.get_by_test_id("poll-open").click()
    sheet = member.get_by_test_id("vote-sheet")
    expect(sheet).to_be_visible()
    assert small_targets(member) == []
    member.screenshot(path=artifacts / f"vote-sheet-{orientation}-vi.png")
    sheet.locator("[data-testid=vote-choice][data-choice=yes]").click()
    sheet.get_by_test_id("vote-continue").click()
    assert small_targets(member) == []
    member.screenshot(path=artifacts / f"vote-confirm-{orientation}-vi.png")
    sheet.get_by_test_id("vote-confirm").click()
    sheet.get_by_test_id("vote-done").click()
    chair.get_by_test_id("vote-later").click()
    chair.get_by_test_id("poll-close").click()
    chair.get_by_test_id("dialog-confirm").click()
    expect(member.get_by_test_id("poll-outcome")).to_be_visible()
    member.get_by_test_id("polls").scroll_into_view_if_needed()
    assert small_targets(member) == []
    assert no_horizontal_scroll(member)
    member.screenshot(path=artifacts / f"vote-result-{orientation}-vi.png")

    # The same screens in English.
    member.locator(".lang-button[data-lang=en]").click()
    expect(member.get_by_test_id("request-speak")).to_have_text("Request to speak")
    assert small_targets(member) == []
    member.get_by_test_id("viewer").scroll_into_view_if_needed()
    member.screenshot(path=artifacts / f"room-stage-member-{orientation}-en.png")
