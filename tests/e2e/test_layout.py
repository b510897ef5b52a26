"""Tablet layout: touch targets of at least 44×44 CSS px in portrait and landscape, and
screenshots (Vietnamese) saved to test-artifacts/ for a person to look at."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    LANDSCAPE,
    NAMES,
    PORTRAIT,
    NewContext,
    open_room,
    roster_row,
    sign_in,
)

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
    meeting = fresh_meeting("Phiên họp thẩm định Đề án phát triển kinh tế biển tỉnh Bình Định")
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
