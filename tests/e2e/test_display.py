"""The room display in Chromium: the chair issues a display link in the room, a third
browser opens it at 1920×1080, and the display follows the meeting — the current item and
its presenter, the speaker with a timer, the queue, the presented page, an open poll's
participation (never its choices), the result after close — and recovers by itself from a
network drop. Screenshots at 1920×1080 and 1280×720 (test-artifacts/display-*.png)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    NAMES,
    NewContext,
    as_user,
    open_room,
    sign_in,
    upload_pdf,
    user_ids,
)
from tests.e2e.pdf_files import text_pdf
from tests.e2e.test_people_admin import axe_violations

FULL_HD = {"width": 1920, "height": 1080}
HD = {"width": 1280, "height": 720}
BODY_TEXT_MIN_PX_AT_1080 = 28


def _font_px(page: Page, selector: str) -> float:
    return float(
        page.locator(selector).first.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
    )


def _shots(page: Page, artifacts: Path, name: str) -> None:
    page.set_viewport_size(FULL_HD)
    page.wait_for_timeout(300)
    page.screenshot(path=artifacts / f"display-{name}-1080.png")
    page.set_viewport_size(HD)
    page.wait_for_timeout(300)
    page.screenshot(path=artifacts / f"display-{name}-720.png")
    page.set_viewport_size(FULL_HD)


def test_the_display_follows_the_meeting_and_recovers(
    new_context: NewContext,
    fresh_meeting: Callable[..., int],
    base_url: str,
    artifacts: Path,
) -> None:
    meeting = fresh_meeting("Phiên họp thường kỳ tháng 12 của Ủy ban nhân dân tỉnh")
    ids = user_ids(base_url)
    document = upload_pdf(
        base_url, meeting, text_pdf("Tờ trình dự thảo Nghị quyết", 3), title="Tờ trình số 125"
    )
    as_user(
        base_url,
        "chair",
        meeting,
        [
            (
                "agenda.item.add",
                {
                    "title": "Thông qua dự thảo Nghị quyết về chuyển đổi số",
                    "kind": "decision",
                    "planned_minutes": 30,
                    "presenter_id": ids["member1"],
                },
            ),
            ("agenda.item.add", {"title": "Các vấn đề phát sinh", "kind": "discussion"}),
            ("meeting.start", {}),
            *[("attendance.check_in", {"user_id": ids[f"member{i}"]}) for i in range(1, 5)],
        ],
    )

    # The chair issues the link from the room.
    chair = sign_in(new_context(), "chair")
    open_room(chair, meeting)
    chair.get_by_test_id("display-link-open").click()
    chair.get_by_test_id("display-link-issue").click()
    url = chair.get_by_test_id("display-link-url").input_value()
    assert re.search(rf"/#/display/{meeting}\?key=[A-Za-z0-9_-]{{40,}}$", url), url
    expect(chair.get_by_test_id("display-link-status")).to_contain_text("1")
    assert axe_violations(chair) == []
    chair.get_by_test_id("display-link-close").click()

    # A third browser, the projector's: nobody signs in there.
    display = new_context(viewport=FULL_HD).new_page()
    display.goto(url.removeprefix(base_url))
    expect(display.get_by_test_id("display-connection")).to_have_class(re.compile("is-live"))
    assert "key=" not in display.url  # the token is off the projected address bar
    expect(display.get_by_test_id("display-title")).to_contain_text("Phiên họp thường kỳ")
    assert _font_px(display, ".display") >= BODY_TEXT_MIN_PX_AT_1080
    assert _font_px(display, ".display-subtitle") >= BODY_TEXT_MIN_PX_AT_1080

    # The agenda moves; the presenter and the speaker with the timer and the queue follow.
    as_user(
        base_url,
        "chair",
        meeting,
        [
            ("agenda.next", {}),
            ("speakers.request", {"user_id": ids["member2"]}),
            ("speakers.request", {"user_id": ids["member3"]}),
            ("speakers.request", {"user_id": ids["member4"]}),
            ("speakers.grant", {"limit_secs": 180}),
        ],
    )
    hero = display.get_by_test_id("display-hero")
    expect(hero).to_contain_text("1. Thông qua dự thảo Nghị quyết về chuyển đổi số")
    expect(hero).to_contain_text(NAMES["member1"])
    expect(display.get_by_test_id("display-speaker")).to_contain_text(NAMES["member2"])
    expect(display.get_by_test_id("display-timer")).to_have_text(re.compile(r"\d+:\d\d"))
    expect(display.get_by_test_id("display-speaker")).to_contain_text("Còn lại")
    queue = display.get_by_test_id("display-queue")
    expect(queue).to_contain_text(NAMES["member3"])
    expect(queue).to_contain_text(NAMES["member4"])
    assert axe_violations(display) == []
    _shots(display, artifacts, "item")

    # A page is presented: the display renders it, whole.
    as_user(
        base_url,
        "chair",
        meeting,
        [("presenter.view", {"document_id": document["id"], "page": 2})],
    )
    expect(display.get_by_test_id("display-page")).to_contain_text("Trang 2 / 3")
    expect(display.get_by_test_id("display-page")).to_contain_text("Tờ trình số 125")
    canvas = display.locator(".display-page canvas")
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box is not None and box["height"] > 600  # fitted to the stage, not a thumbnail
    _shots(display, artifacts, "page")

    # A named poll opens: participation only, never who chose what.
    as_user(
        base_url,
        "chair",
        meeting,
        [
            (
                "poll.create",
                {
                    "title": "Thông qua dự thảo Nghị quyết",
                    "kind": "yes_no_abstain",
                    "secret": False,
                    "allow_change": False,
                    "majority": "simple",
                    "quorum": {"kind": "none"},
                },
            ),
            ("poll.open", {"poll_id": 1}),
        ],
    )
    for voter, choice in (("member1", "yes"), ("member2", "no")):
        as_user(base_url, voter, meeting, [("vote.cast", {"poll_id": 1, "choice": choice})])
    participation = display.get_by_test_id("display-participation")
    expect(display.get_by_test_id("display-count")).to_have_text(re.compile(r"^2 / \d+$"))
    for word in ("Tán thành", "Không tán thành"):
        expect(participation).not_to_contain_text(word)
    expect(display.get_by_test_id("display-result")).to_have_count(0)
    _shots(display, artifacts, "poll-open")

    as_user(base_url, "chair", meeting, [("poll.close", {"poll_id": 1})])
    result = display.get_by_test_id("display-result")
    expect(result.get_by_test_id("poll-chart")).to_be_visible()
    expect(result).to_contain_text("Tán thành")
    expect(result.get_by_test_id("display-outcome")).to_have_text("Không được thông qua")
    assert axe_violations(display) == []
    _shots(display, artifacts, "result")

    # The network drops; the meeting goes on; the display catches up by itself.
    display.context.set_offline(True)
    expect(display.get_by_test_id("display-connection")).to_have_class(
        re.compile("is-reconnecting|is-connecting")
    )
    as_user(base_url, "chair", meeting, [("speakers.end", {}), ("agenda.next", {})])
    display.wait_for_timeout(1000)
    display.context.set_offline(False)
    expect(display.get_by_test_id("display-connection")).to_have_class(
        re.compile("is-live"), timeout=20_000
    )
    expect(display.get_by_test_id("display-hero")).to_contain_text(
        "2. Các vấn đề phát sinh", timeout=20_000
    )
    expect(display.get_by_test_id("display-speaker")).to_contain_text("Chưa có người phát biểu")
