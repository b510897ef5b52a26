"""The room on tablets: the presented page owns the screen, every panel is one tap away in
the drawer, and the chair's controls are on screen without scrolling. Screenshots of every
role at the four tablet sizes go to test-artifacts/tablet-layout/ for a person to look at."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    NewContext,
    as_user,
    open_room,
    sign_in,
    upload_pdf,
    user_ids,
)
from tests.e2e.pdf_files import text_pdf
from tests.e2e.test_layout import small_targets

pytestmark = pytest.mark.e2e

TABLETS = {
    "1024x768": {"width": 1024, "height": 768},
    "1180x820": {"width": 1180, "height": 820},
    "768x1024": {"width": 768, "height": 1024},
    "820x1180": {"width": 820, "height": 1180},
}
# A desktop screen keeps the same layout, with more room on both sides.
SIZES = {**TABLETS, "1920x1080": {"width": 1920, "height": 1080}}
PAGE_TOP_MAX_PX = 160
LANDSCAPE_PAGE_SHARE = 0.65
ROLES = ("chair", "clerk", "member1", "observer")
# The longest display name of the demo roster asks for the floor: it must not wrap word by word.
SPEAKER = "member3"

GEOMETRY_JS = """() => {
    const rect = (el) => (el ? el.getBoundingClientRect().toJSON() : null);
    return {
        page: rect(document.querySelector("[data-testid=pdf-scroll] .pdf-page")),
        scroll: rect(document.querySelector("[data-testid=pdf-scroll]")),
        scrollY: window.scrollY,
    };
}"""


def presented_room(base_url: str, fresh_meeting: Callable[..., int]) -> int:
    """A live meeting on its first item, with its document presented, a speaker at the
    lectern and two in the queue, and a poll open."""
    meeting = fresh_meeting("Phiên họp thẩm định Quy hoạch tỉnh Hòa Lâm thời kỳ 2021–2030")
    ids = user_ids(base_url)
    as_user(
        base_url,
        "clerk",
        meeting,
        [
            ("agenda.item.add", {"title": title, "kind": kind, "planned_minutes": 20})
            for title, kind in (
                ("Tờ trình về Quy hoạch tỉnh thời kỳ 2021–2030", "decision"),
                ("Báo cáo thẩm định của Hội đồng", "discussion"),
                ("Các vấn đề phát sinh", "discussion"),
            )
        ],
    )
    document = upload_pdf(
        base_url, meeting, text_pdf("Tờ trình Quy hoạch tỉnh", 3), title="Tờ trình", item_id=1
    )
    as_user(
        base_url,
        "chair",
        meeting,
        [
            ("meeting.start", {}),
            ("attendance.check_in", {}),
            *[("attendance.check_in", {"user_id": ids[f"member{i}"]}) for i in range(1, 6)],
            ("agenda.next", {}),
            ("speakers.request", {"user_id": ids["member1"]}),
            ("speakers.grant", {"limit_secs": 180}),
            ("speakers.request", {"user_id": ids[SPEAKER]}),
            ("speakers.request", {"user_id": ids["member2"]}),
            ("presenter.set", {"user_id": ids["chair"]}),
            ("presenter.view", {"document_id": document["id"], "page": 1}),
            (
                "poll.create",
                {
                    "title": "Thông qua Tờ trình về Quy hoạch tỉnh",
                    "kind": "yes_no_abstain",
                    "secret": False,
                    "allow_change": False,
                    "quorum": {"kind": "none"},
                    "item_id": 1,
                },
            ),
            ("poll.open", {"poll_id": 1}),  # a meeting numbers its polls from 1
        ],
    )
    return meeting


def max_name_lines(page: Page) -> int:
    """The most lines a name in the speakers' queue takes."""
    lines: int = page.evaluate(
        """() => Math.max(0, ...[...document.querySelectorAll(".queue-name")].map((el) => {
            const range = document.createRange();
            range.selectNodeContents(el.firstChild);
            const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            return tops.size;
        }))"""
    )
    return lines


def page_geometry(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(GEOMETRY_JS)
    return result


def in_viewport(page: Page, testid: str) -> bool:
    box = page.get_by_test_id(testid).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None, testid
    return bool(
        box["y"] >= 0
        and box["x"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] + box["width"] <= size["width"]
    )


def open_presented_room(page: Page, meeting: int) -> None:
    open_room(page, meeting)
    expect(page.get_by_test_id("pdf-scroll")).to_have_attribute("data-rendered", re.compile(":1:"))
    # A voter's sheet opens by itself; the screenshot with it comes first, then "later".
    later = page.get_by_test_id("vote-later")
    if page.get_by_test_id("vote-sheet").is_visible():
        expect(later).to_be_visible()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_presented_page_owns_the_tablet(
    size: str,
    new_context: NewContext,
    fresh_meeting: Callable[..., int],
    base_url: str,
    artifacts: Path,
) -> None:
    viewport = SIZES[size]
    landscape = viewport["width"] > viewport["height"]
    shots = artifacts / "tablet-layout"
    shots.mkdir(exist_ok=True)
    meeting = presented_room(base_url, fresh_meeting)
    for username in ROLES:
        role = re.sub(r"\d", "", username)
        page = sign_in(new_context(viewport=viewport), username)
        open_presented_room(page, meeting)
        sheet = page.get_by_test_id("vote-sheet")
        if sheet.is_visible():
            page.screenshot(path=shots / f"{role}-{size}-vote-sheet.png")
            page.get_by_test_id("vote-later").click()
            expect(sheet).to_be_hidden()
        page.wait_for_timeout(200)  # the page settles after the sheet's animation
        page.screenshot(path=shots / f"{role}-{size}.png")
        geometry = page_geometry(page)
        assert geometry["scrollY"] == 0, (role, size)
        assert geometry["page"] is not None, (role, size)
        assert geometry["page"]["top"] <= PAGE_TOP_MAX_PX, (role, size, geometry)
        if landscape:
            assert geometry["scroll"]["width"] >= LANDSCAPE_PAGE_SHARE * viewport["width"], (
                role,
                size,
                geometry,
            )
        if role == "chair":
            for control in ("quick-next", "quick-poll", "quick-grant"):
                assert in_viewport(page, control), (control, size)
        assert small_targets(page) == [], (role, size)
        # One tap on a tab brings its panel into view.
        page.get_by_test_id("drawer-tab-speakers").click()
        expect(page.get_by_test_id("speakers")).to_be_in_viewport()
        assert max_name_lines(page) <= 2, (role, size)
        page.screenshot(path=shots / f"{role}-{size}-speakers.png")
        page.get_by_test_id("drawer-tab-polls").click()
        expect(page.get_by_test_id("polls")).to_be_in_viewport()
        page.screenshot(path=shots / f"{role}-{size}-polls.png")
        if landscape and role == "chair":
            # Folded, the drawer leaves the whole width to the page; one tap brings it back.
            toggle = page.get_by_test_id("drawer-toggle")
            toggle.click()
            expect(toggle).to_have_attribute("aria-expanded", "false")
            expect(page.get_by_test_id("agenda")).to_be_hidden()
            page.wait_for_timeout(200)
            assert page_geometry(page)["scroll"]["width"] >= 0.9 * viewport["width"], size
            page.screenshot(path=shots / f"{role}-{size}-folded.png")
            toggle.click()
            expect(page.get_by_test_id("agenda")).to_be_visible()
        page.context.close()
