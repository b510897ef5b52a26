"""Votes on several tablets: the chair opens a named and a secret poll, three members vote
on their own tablets, the chair closes, everyone sees the same result; a secret voter keeps
a receipt and finds it in the published list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    NAMES,
    NewContext,
    as_user,
    open_room,
    sign_in,
    user_ids,
)

pytestmark = pytest.mark.e2e

VOTERS = ("member1", "member2", "member3")


def vote(page: Page, choice: str) -> None:
    sheet = page.get_by_test_id("vote-sheet")
    expect(sheet).to_be_visible()
    sheet.locator(f"[data-testid=vote-choice][data-choice={choice}]").click()
    sheet.get_by_test_id("vote-continue").click()
    sheet.get_by_test_id("vote-confirm").click()
    expect(sheet.get_by_test_id("vote-recorded")).to_be_visible()


def create_poll(chair: Page, *, secret: bool) -> None:
    chair.get_by_test_id("poll-create").click()
    dialog = chair.get_by_test_id("poll-dialog")
    expect(dialog.get_by_test_id("poll-title")).to_have_value(
        "Biểu quyết thông qua: Thông qua Nghị quyết về kế hoạch đầu tư công năm 2027"
    )
    if secret:
        dialog.get_by_test_id("poll-title").fill("Bầu bổ sung Ủy viên Ủy ban nhân dân tỉnh")
        dialog.get_by_test_id("poll-secret").check()
    dialog.get_by_test_id("poll-majority").select_option("simple")
    dialog.get_by_test_id("poll-quorum").select_option("none")
    dialog.get_by_test_id("dialog-confirm").click()
    expect(dialog).to_have_count(0)


def test_named_and_secret_polls_on_four_tablets(
    new_context: NewContext,
    fresh_meeting: Callable[..., int],
    base_url: str,
    artifacts: Path,
) -> None:
    meeting = fresh_meeting("Phiên họp chuyên đề về đầu tư công")
    ids = user_ids(base_url)
    as_user(
        base_url,
        "chair",
        meeting,
        [
            ("meeting.start", {}),
            ("attendance.check_in", {}),
            *[("attendance.check_in", {"user_id": ids[name]}) for name in VOTERS],
            (
                "agenda.item.add",
                {
                    "title": "Thông qua Nghị quyết về kế hoạch đầu tư công năm 2027",
                    "kind": "decision",
                    "planned_minutes": 15,
                },
            ),
            ("agenda.next", {}),
        ],
    )
    chair = sign_in(new_context(), "chair")
    open_room(chair, meeting)
    members: dict[str, Page] = {}
    for name in VOTERS:
        members[name] = sign_in(new_context(), name)
        open_room(members[name], meeting)

    # --- a named poll -------------------------------------------------------------------
    create_poll(chair, secret=False)
    named = chair.locator("[data-testid=poll][data-status=draft]")
    expect(named).to_contain_text("Biểu quyết công khai")
    named.get_by_test_id("poll-open").click()
    # The sheet opens by itself on every eligible tablet, the chair's included.
    expect(chair.get_by_test_id("vote-sheet")).to_be_visible()
    chair.get_by_test_id("vote-later").click()
    for page in members.values():
        expect(page.get_by_test_id("vote-sheet")).to_be_visible()
    members["member1"].screenshot(path=artifacts / "vote-sheet-landscape-vi.png")

    vote(members["member1"], "yes")
    members["member1"].get_by_test_id("vote-done").click()
    card = chair.get_by_test_id("poll").first
    expect(card.get_by_test_id("poll-participation")).to_have_text("1/4 đã biểu quyết")
    expect(card.get_by_test_id("poll-missing")).to_contain_text(NAMES["member2"])

    # A half-filled choice survives losing the connection and a reload of the page.
    member3 = members["member3"]
    member3.locator("[data-testid=vote-choice][data-choice=yes]").click()
    member3.context.set_offline(True)
    expect(member3.get_by_test_id("connection")).to_have_attribute("data-state", "reconnecting")
    member3.context.set_offline(False)
    expect(member3.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    member3.reload()
    expect(member3.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    expect(member3.locator("[data-testid=vote-choice][data-choice=yes]")).to_have_attribute(
        "aria-pressed", "true"
    )
    member3.get_by_test_id("vote-continue").click()
    expect(member3.get_by_test_id("vote-summary")).to_have_text("Tán thành")
    member3.get_by_test_id("vote-confirm").click()
    expect(member3.get_by_test_id("vote-recorded")).to_be_visible()
    member3.get_by_test_id("vote-done").click()

    vote(members["member2"], "no")
    members["member2"].get_by_test_id("vote-done").click()
    expect(card.get_by_test_id("poll-participation")).to_have_text("3/4 đã biểu quyết")
    expect(card.get_by_test_id("poll-missing")).to_have_text(f"Chưa biểu quyết: {NAMES['chair']}")

    card.get_by_test_id("poll-close").click()
    chair.get_by_test_id("dialog-confirm").click()
    pages = [chair, *members.values()]
    for page in pages:
        result = page.locator("[data-testid=poll][data-status=closed]").first
        expect(result.get_by_test_id("poll-outcome")).to_have_text("Thông qua")
        expect(result.get_by_test_id("poll-numbers")).to_have_text(
            "Tán thành 2 · Không tán thành 1 · Không biểu quyết 0 · "
            "Không tham gia biểu quyết 1 · Vắng mặt 5"
        )
        expect(result.get_by_test_id("poll-needs")).to_have_text(
            "Điều kiện thông qua: cần ít nhất 2 phiếu tán thành "
            "trên 3 phiếu tán thành và không tán thành"
        )
        expect(result.get_by_test_id("poll-not-voted")).to_have_text(
            f"Không tham gia biểu quyết: {NAMES['chair']}"
        )
        expect(result.get_by_test_id("poll-chart")).to_have_attribute(
            "aria-label", "Tán thành: 2, Không tán thành: 1, Không biểu quyết: 0"
        )
    members["member2"].screenshot(path=artifacts / "vote-result-named-landscape-vi.png")

    # --- a secret poll ------------------------------------------------------------------
    create_poll(chair, secret=True)
    chair.locator("[data-testid=poll][data-status=draft]").get_by_test_id("poll-open").click()
    expect(chair.get_by_test_id("vote-sheet")).to_be_visible()
    chair.get_by_test_id("vote-later").click()
    vote(members["member1"], "yes")
    receipt = members["member1"].get_by_test_id("vote-receipt").inner_text().strip()
    assert len(receipt) >= 8
    members["member1"].screenshot(path=artifacts / "vote-receipt-landscape-vi.png")
    members["member1"].get_by_test_id("vote-done").click()
    vote(members["member2"], "yes")
    members["member2"].get_by_test_id("vote-done").click()
    vote(members["member3"], "no")
    members["member3"].get_by_test_id("vote-done").click()
    secret_card = chair.locator("[data-testid=poll][data-status=open]")
    expect(secret_card.get_by_test_id("poll-participation")).to_have_text("3/4 đã biểu quyết")
    # Who has not voted is not listed for a secret poll.
    expect(secret_card.get_by_test_id("poll-missing")).to_have_count(0)
    secret_card.get_by_test_id("poll-close").click()
    chair.get_by_test_id("dialog-confirm").click()

    texts = set()
    for page in pages:
        result = page.locator("[data-testid=poll][data-status=closed]").first
        expect(result).to_contain_text("Bầu bổ sung Ủy viên")
        expect(result.get_by_test_id("poll-outcome")).to_have_text("Thông qua")
        expect(result.get_by_test_id("poll-chart")).to_have_attribute(
            "aria-label", "Tán thành: 2, Không tán thành: 1, Không biểu quyết: 0"
        )
        expect(result.get_by_test_id("poll-receipts").locator("li")).to_have_count(3)
        expect(result.get_by_test_id("poll-ballots")).to_have_count(0)  # totals only
        texts.add(result.get_by_test_id("poll-numbers").inner_text())
    assert len(texts) == 1

    # The secret voter finds their receipt among the counted ballots.
    mine = members["member1"].locator("[data-testid=poll][data-status=closed]").first
    expect(mine.get_by_test_id("receipt-check")).to_have_attribute("data-found", "true")
    expect(mine.get_by_test_id("receipt-check")).to_contain_text(receipt)
    mine.get_by_test_id("details-receipts").locator("summary").click()
    expect(mine.locator(f"[data-receipt='{receipt}']")).to_have_class("is-mine")
    members["member1"].screenshot(path=artifacts / "vote-result-secret-landscape-vi.png")
    # Another member's tablet has no receipt of member1's.
    other = members["member2"].locator("[data-testid=poll][data-status=closed]").first
    expect(other.locator(f"[data-receipt='{receipt}']")).not_to_have_class("is-mine")
    expect(members["member2"].get_by_test_id("feed-entry").first).to_contain_text(
        "đã kết thúc biểu quyết “Bầu bổ sung Ủy viên Ủy ban nhân dân tỉnh”: Thông qua."
    )


TABLET_1024 = {"width": 1024, "height": 768}
PRESENT = ("member1", "member2", "member3", "member4", "member5")  # with the chair: 6 of 9
NOT_VOTED = ("member2", "member3", "member4", "member5")


def test_the_default_rule_is_the_committees_and_1_yes_of_9_members_does_not_adopt(
    new_context: NewContext,
    fresh_meeting: Callable[..., int],
    base_url: str,
    artifacts: Path,
) -> None:
    """The reported case on the screens: a People's Committee of 9 (the demo committee), 6
    present; the chair creates a poll with the form's default; one "yes", the chair abstains,
    four do not vote. The card says from the start what it needs, and the result is not
    adopted."""
    meeting = fresh_meeting("Phiên họp Ủy ban nhân dân tỉnh tháng 12")
    ids = user_ids(base_url)
    as_user(
        base_url,
        "chair",
        meeting,
        [
            ("meeting.start", {}),
            ("attendance.check_in", {}),
            *[("attendance.check_in", {"user_id": ids[name]}) for name in PRESENT[:-1]],
            ("agenda.item.add", {"title": "Đề án chuyển đổi số", "kind": "decision"}),
            ("agenda.next", {}),
        ],
    )
    chair = sign_in(new_context(viewport=TABLET_1024), "chair")
    open_room(chair, meeting)
    member = sign_in(new_context(viewport=TABLET_1024), "member1")
    open_room(member, meeting)

    # The form starts at the committee's rule and says what it is.
    chair.get_by_test_id("poll-create").click()
    dialog = chair.get_by_test_id("poll-dialog")
    expect(dialog.get_by_test_id("poll-majority")).to_have_value("committee")
    expect(dialog.get_by_test_id("poll-quorum")).to_have_value("committee")
    expect(dialog.get_by_test_id("poll-majority").locator("option:checked")).to_have_text(
        "Theo quy định: quá nửa tổng số thành viên"
    )
    hint = dialog.get_by_test_id("poll-rule-hint")
    expect(hint).to_have_text(
        "Quy định của Ủy ban nhân dân: thông qua khi quá nửa tổng số thành viên tán thành; "
        "chỉ biểu quyết khi có mặt ít nhất 2/3 tổng số thành viên."
    )
    chair.screenshot(path=artifacts / "poll-dialog-committee-rule-1024-vi.png")
    # "Votes cast" is a choice of its own, with what it gives away.
    dialog.get_by_test_id("poll-majority").select_option("simple")
    expect(hint).to_have_attribute("data-rule", "simple")
    expect(hint).to_contain_text("chỉ vài phiếu cũng có thể thông qua")
    chair.screenshot(path=artifacts / "poll-dialog-simple-warning-1024-vi.png")
    dialog.get_by_test_id("poll-majority").select_option("committee")
    dialog.get_by_test_id("dialog-confirm").click()
    expect(dialog).to_have_count(0)

    card = chair.locator("[data-testid=poll][data-status=draft]")
    needs = "Điều kiện thông qua: cần ít nhất 5 phiếu tán thành trên tổng số 9 thành viên"
    expect(card.get_by_test_id("poll-needs")).to_have_text(needs)
    expect(card).to_contain_text("Quá nửa tổng số thành viên")
    card.screenshot(path=artifacts / "poll-card-draft-1024-vi.png")

    # 5 of 9 present: the chair is told the numbers.
    card.get_by_test_id("poll-open").click()
    expect(chair.locator(".notice-error")).to_have_text(
        "Chưa đủ số thành viên theo quy định: có mặt 5, được ủy quyền 0, cần ít nhất 6."
    )
    as_user(base_url, "member5", meeting, [("attendance.check_in", {})])
    card.get_by_test_id("poll-open").click()

    sheet = member.get_by_test_id("vote-sheet")
    expect(sheet.get_by_test_id("vote-needs")).to_have_text(needs)
    member.screenshot(path=artifacts / "vote-sheet-needs-1024-vi.png")
    vote(member, "yes")
    member.get_by_test_id("vote-done").click()
    vote(chair, "abstain")
    chair.get_by_test_id("vote-done").click()

    open_card = chair.locator("[data-testid=poll][data-status=open]")
    open_card.get_by_test_id("poll-close").click()
    confirm = chair.get_by_role("dialog")
    expect(confirm).to_contain_text("Chưa biểu quyết (4): ")
    for name in NOT_VOTED:
        expect(confirm).to_contain_text(NAMES[name])
    chair.get_by_test_id("dialog-confirm").click()

    for page in (chair, member):
        closed = page.locator("[data-testid=poll][data-status=closed]")
        expect(closed.get_by_test_id("poll-outcome")).to_have_text("Không thông qua")
        expect(closed.get_by_test_id("poll-outcome")).to_have_attribute("data-adopted", "false")
        expect(closed.get_by_test_id("poll-needs")).to_have_text(needs)
        expect(closed.get_by_test_id("poll-numbers")).to_have_text(
            "Tán thành 1 · Không tán thành 0 · Không biểu quyết 1 · "
            "Không tham gia biểu quyết 4 · Vắng mặt 3"
        )
        for name in NOT_VOTED:
            expect(closed.get_by_test_id("poll-not-voted")).to_contain_text(NAMES[name])
    result = member.locator("[data-testid=poll][data-status=closed]")
    result.screenshot(path=artifacts / "poll-card-result-1024-vi.png")
    expect(member.get_by_test_id("feed-entry").first).to_contain_text(": Không thông qua.")

    member.locator(".lang-button[data-lang=en]").click()
    expect(result.get_by_test_id("poll-needs")).to_have_text(
        "To pass: needs at least 5 votes in favour out of all 9 members"
    )
    expect(result.get_by_test_id("poll-numbers")).to_have_text(
        "In favour 1 · Against 0 · Abstained 1 · Did not vote 4 · Absent 3"
    )
    result.screenshot(path=artifacts / "poll-card-result-1024-en.png")
