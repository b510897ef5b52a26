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
            "3 phiếu của 4 thành viên được biểu quyết (9 thành viên); "
            "cần 2 phiếu trên cơ sở 3 để thông qua."
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
