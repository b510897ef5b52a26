"""The room around a vote, on the chair's tablet and a member's two devices: the chair's own
vote sheet carries the chair's controls (close without voting, the confirmation naming who
has not voted); a member's second device says that the vote was recorded from another
device, and which choice in a named poll (only that it was, in a secret one); without a
connection the sheet itself says why it waits. Screenshots at 1024×768 and 820×1180."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.e2e.conftest import NAMES, NewContext, as_user, open_room, sign_in, user_ids

pytestmark = pytest.mark.e2e

SIZES: dict[str, ViewportSize] = {
    "1024": {"width": 1024, "height": 768},
    "820": {"width": 820, "height": 1180},
}
PRESENT = ("member1", "member2", "member3", "member4", "member5")  # with the chair: 6 of 9
NOT_VOTED = ("chair", "member2", "member3", "member4", "member5")


def shoot(page: Page, artifacts: Path, name: str, check: Callable[[Page], None]) -> None:
    """A screenshot of ``page`` at each tablet size, after ``check`` holds at that size."""
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        check(page)
        page.screenshot(path=artifacts / f"vote-room-{name}-{size}-vi.png")
    page.set_viewport_size(SIZES["1024"])


def in_view(testid: str) -> Callable[[Page], None]:
    """A check that the element ``testid`` is wholly on screen."""

    def check(page: Page) -> None:
        button = page.get_by_test_id(testid)
        expect(button).to_be_visible()
        expect(button).to_be_in_viewport(ratio=1)

    return check


def create_poll(chair: Page, *, title: str, secret: bool) -> None:
    chair.get_by_test_id("poll-create").click()
    dialog = chair.get_by_test_id("poll-dialog")
    dialog.get_by_test_id("poll-title").fill(title)
    if secret:
        dialog.get_by_test_id("poll-secret").check()
    dialog.get_by_test_id("dialog-confirm").click()
    expect(dialog).to_have_count(0)
    chair.locator("[data-testid=poll][data-status=draft]").get_by_test_id("poll-open").click()


def choose_and_continue(page: Page, choice: str) -> None:
    sheet = page.get_by_test_id("vote-sheet")
    sheet.locator(f"[data-testid=vote-choice][data-choice={choice}]").click()
    sheet.get_by_test_id("vote-continue").click()


def test_the_chairs_sheet_a_second_device_and_an_offline_sheet(
    new_context: NewContext,
    fresh_meeting: Callable[..., int],
    base_url: str,
    artifacts: Path,
) -> None:
    meeting = fresh_meeting("Họp xem xét đề án chuyển đổi số")
    ids = user_ids(base_url)
    as_user(
        base_url,
        "chair",
        meeting,
        [
            ("meeting.start", {}),
            ("attendance.check_in", {}),
            *[("attendance.check_in", {"user_id": ids[name]}) for name in PRESENT],
            ("agenda.item.add", {"title": "Đề án chuyển đổi số", "kind": "decision"}),
            ("agenda.next", {}),
        ],
    )
    chair = sign_in(new_context(viewport=SIZES["1024"]), "chair")
    first = sign_in(new_context(viewport=SIZES["1024"]), "member1")  # member1's tablet…
    second = sign_in(new_context(viewport=SIZES["1024"]), "member1")  # …and their phone
    for page in (chair, first, second):
        open_room(page, meeting)

    # --- a named poll: the chair's sheet, a second device ---------------------------------
    create_poll(chair, title="Thông qua Đề án chuyển đổi số", secret=False)
    chair_sheet = chair.get_by_test_id("vote-sheet")
    expect(chair_sheet).to_be_visible()
    expect(chair_sheet.get_by_test_id("vote-chair-count")).to_have_text(
        "0/6 thành viên đã biểu quyết"
    )
    shoot(chair, artifacts, "chair-sheet", in_view("vote-chair-close"))

    # The phone has a choice half made when the tablet's vote arrives.
    second.get_by_test_id("vote-sheet").locator("[data-testid=vote-choice][data-choice=no]").click()
    choose_and_continue(first, "yes")
    first.get_by_test_id("vote-confirm").click()
    expect(first.get_by_test_id("vote-recorded")).to_have_text(
        "Biểu quyết của bạn đã được ghi nhận."
    )
    elsewhere = "Biểu quyết của bạn đã được ghi nhận từ một thiết bị khác: Tán thành."
    expect(second.get_by_test_id("vote-recorded")).to_have_text(elsewhere)
    expect(second.get_by_test_id("vote-confirm")).to_have_count(0)
    shoot(second, artifacts, "second-device-named", in_view("vote-done"))
    second.get_by_test_id("vote-done").click()
    first.get_by_test_id("vote-done").click()
    expect(second.get_by_test_id("poll-your-vote")).to_have_text(elsewhere)
    expect(first.get_by_test_id("poll-your-vote")).to_have_text("Bạn đã biểu quyết: Tán thành.")
    expect(chair_sheet.get_by_test_id("vote-chair-count")).to_have_text(
        "1/6 thành viên đã biểu quyết"
    )

    # The chair closes from their sheet without voting; the confirmation names who has not.
    chair_sheet.get_by_test_id("vote-chair-close").click()
    confirm = chair.locator("dialog", has=chair.get_by_test_id("dialog-confirm"))
    expect(confirm).to_contain_text(f"Chưa biểu quyết ({len(NOT_VOTED)}): ")
    for name in NOT_VOTED:
        expect(confirm).to_contain_text(NAMES[name])
    shoot(chair, artifacts, "close-confirm-named", in_view("dialog-confirm"))
    confirm.get_by_test_id("dialog-confirm").click()
    expect(chair_sheet).to_be_hidden()
    result = chair.locator("[data-testid=poll][data-status=closed]")
    expect(result.get_by_test_id("poll-verdict")).to_have_text(
        "1 phiếu tán thành trên tổng số 9 thành viên: cần ít nhất 5, chưa đạt."
    )
    expect(result.get_by_test_id("poll-numbers")).to_have_text(
        "Tán thành 1 · Không tán thành 0 · Không biểu quyết 0 · "
        "Không tham gia biểu quyết 5 · Vắng mặt 3"
    )
    expect(result.get_by_test_id("poll-your-vote")).to_have_text(
        "Biểu quyết đã kết thúc khi bạn chưa biểu quyết."
    )
    for size, viewport in SIZES.items():
        chair.set_viewport_size(viewport)
        result.scroll_into_view_if_needed()
        result.screenshot(path=artifacts / f"vote-room-result-named-{size}-vi.png")
    chair.set_viewport_size(SIZES["1024"])

    # --- a secret poll: a reminder, offline while confirming, then the other device --------
    create_poll(chair, title="Bầu bổ sung Ủy viên Ủy ban nhân dân", secret=True)
    expect(first.get_by_test_id("vote-sheet")).to_be_visible()
    first.get_by_test_id("vote-later").click()
    expect(first.get_by_test_id("vote-sheet")).to_be_hidden()
    # Closing a secret poll says how many have not voted, never who; the chair may remind
    # them instead, and the sheet set aside with "later" comes back with the reminder.
    chair.get_by_test_id("vote-sheet").get_by_test_id("vote-chair-close").click()
    confirm = chair.locator("dialog", has=chair.get_by_test_id("dialog-confirm"))
    expect(confirm).to_contain_text("Còn 6 thành viên chưa bỏ phiếu.")
    expect(confirm).not_to_contain_text(NAMES["member2"])
    confirm.get_by_test_id("poll-remind").click()
    expect(confirm.get_by_test_id("poll-remind")).to_have_text("Đã gửi lời nhắc")
    reminded = f"{NAMES['chair']} nhắc bạn biểu quyết."
    expect(first.get_by_test_id("vote-reminder")).to_have_text(reminded)
    expect(second.get_by_test_id("vote-reminder")).to_have_text(reminded)
    shoot(chair, artifacts, "close-confirm-secret", in_view("poll-remind"))
    confirm.get_by_test_id("dialog-cancel").click()
    expect(confirm).to_have_count(0)
    shoot(first, artifacts, "reminder", in_view("vote-reminder"))
    choose_and_continue(second, "yes")
    second.context.set_offline(True)
    expect(second.get_by_test_id("connection")).to_have_attribute("data-state", "reconnecting")
    offline = second.get_by_test_id("vote-offline")
    expect(offline).to_contain_text("Mất kết nối tới máy chủ — chưa gửi được phiếu.")
    expect(offline).to_contain_text("Lựa chọn của bạn được giữ trên máy này")
    expect(second.get_by_test_id("vote-confirm")).to_be_disabled()
    shoot(second, artifacts, "offline-sheet", in_view("vote-offline"))
    second.context.set_offline(False)
    expect(second.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    expect(offline).to_be_hidden()
    second.get_by_test_id("vote-confirm").click()
    expect(second.get_by_test_id("vote-receipt")).to_be_visible()
    expect(first.get_by_test_id("vote-recorded")).to_have_text(
        "Phiếu của bạn đã được ghi nhận từ một thiết bị khác. Mã phiếu chỉ có trên thiết bị đó."
    )
    expect(first.get_by_test_id("vote-receipt")).to_have_count(0)
    shoot(first, artifacts, "second-device-secret", in_view("vote-done"))
    first.get_by_test_id("vote-done").click()
    second.get_by_test_id("vote-done").click()

    chair.get_by_test_id("vote-sheet").get_by_test_id("vote-chair-close").click()
    expect(confirm).to_contain_text("Còn 5 thành viên chưa bỏ phiếu.")
    confirm.get_by_test_id("dialog-confirm").click()
    secret = first.locator("[data-testid=poll][data-status=closed]").first
    expect(secret.get_by_test_id("poll-numbers")).to_have_text(
        "Tán thành 1 · Không tán thành 0 · Không biểu quyết 0 · "
        "Không tham gia biểu quyết 5 · Vắng mặt 3"
    )
    expect(secret.get_by_test_id("poll-not-voted")).to_have_count(0)
    for size, viewport in SIZES.items():
        first.set_viewport_size(viewport)
        secret.scroll_into_view_if_needed()
        secret.screenshot(path=artifacts / f"vote-room-result-secret-{size}-vi.png")
