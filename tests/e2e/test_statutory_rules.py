"""A poll created with the committee's defaults never shows "adopted" below the statutory
rule, per committee kind, end to end in Chromium: a committee of 9 voting members, 6
present, the chair creates a poll with the form's defaults, 1 "yes", the chair abstains,
4 do not vote — not adopted, "needs at least 5 out of all 9 members", on the chair's and a
member's tablet. And the passing case (5 "yes"), where the chair closes the poll from their
own vote sheet without voting.

One server and two tablets for the module (the chair at 1024×768, a member at 820×1180);
the other voters send their votes through sockets of their own (harness/), a meeting per
kind, since a meeting reads its committee's rules when a tablet joins."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from harness.client import DEMO_ROSTER
from tests.e2e.conftest import NAMES, admin_client, as_user, open_room, sign_in, user_ids

pytestmark = pytest.mark.e2e

KINDS = ("party", "peoples_committee", "peoples_council", "other")
KIND_NAMES = {
    "party": "cấp ủy, ban thường vụ Đảng",
    "peoples_committee": "Ủy ban nhân dân",
    "peoples_council": "Hội đồng nhân dân",
    "other": "cơ quan, tổ chức",
}
TABLET_1024: ViewportSize = {"width": 1024, "height": 768}
TABLET_PORTRAIT: ViewportSize = {"width": 820, "height": 1180}
PRESENT = ("member1", "member2", "member3", "member4", "member5")  # with the chair: 6 of 9
NOT_VOTED = ("member2", "member3", "member4", "member5")
NEEDS_5_OF_9 = "Điều kiện thông qua: cần ít nhất 5 phiếu tán thành trên tổng số 9 thành viên"


@dataclass
class Tablets:
    chair: Page
    member: Page  # member1
    committee_id: int
    contexts: list[BrowserContext] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def tablets(browser: Browser, base_url: str) -> Iterator[Tablets]:
    """A committee of its own (the demo people: chair, 8 members, a clerk, an observer), and
    the chair's and member1's tablets, signed in once for the module."""
    ids = user_ids(base_url)
    with admin_client(base_url) as http:
        response = http.post(
            "/api/committees",
            json={
                "name": f"Cơ quan thử nghiệm quy định {secrets.token_hex(3)}",
                "kind": "other",
                "member_ids": [ids[name] for name in DEMO_ROSTER],
            },
        )
        response.raise_for_status()
        committee_id = int(response.json()["committee"]["id"])
    errors: list[str] = []
    contexts = []
    pages = []
    for username, viewport in (("chair", TABLET_1024), ("member1", TABLET_PORTRAIT)):
        context = browser.new_context(
            base_url=base_url, viewport=viewport, has_touch=True, locale="vi-VN"
        )
        context.on("page", lambda page: page.on("pageerror", lambda e: errors.append(str(e))))
        contexts.append(context)
        pages.append(sign_in(context, username))
    yield Tablets(pages[0], pages[1], committee_id, contexts, errors)
    for context in contexts:
        context.close()
    assert errors == [], "uncaught errors in the app"


def meeting_of_kind(base_url: str, tablets: Tablets, kind: str) -> int:
    """Sets the committee's kind (its statutory defaults, no quorum of its own), then a live
    meeting of it with 6 of its 9 voting members checked in and a decision item under way."""
    ids = user_ids(base_url)
    with admin_client(base_url) as http:
        rules = http.put(
            f"/api/committees/{tablets.committee_id}/rules", json={"kind": kind, "quorum": None}
        )
        rules.raise_for_status()
        assert rules.json()["committee"]["rules"]["majority"] == "absolute"
        response = http.post(
            "/api/meetings",
            json={
                "committee_id": tablets.committee_id,
                "title": f"Họp bàn quy định biểu quyết ({kind})",
                "location": "Phòng họp số 1",
                "scheduled_at": "2026-12-10T08:00:00+07:00",
                "roster": [{"user_id": ids[n], "role": r} for n, r in DEMO_ROSTER.items()],
            },
        )
        response.raise_for_status()
        meeting = int(response.json()["meeting"]["id"])
    as_user(
        base_url,
        "chair",
        meeting,
        [
            ("meeting.start", {}),
            ("attendance.check_in", {}),
            *[("attendance.check_in", {"user_id": ids[name]}) for name in PRESENT],
            ("agenda.item.add", {"title": "Quyết định phê duyệt đề án", "kind": "decision"}),
            ("agenda.next", {}),
        ],
    )
    open_room(tablets.chair, meeting)
    open_room(tablets.member, meeting)
    return meeting


def create_poll_with_defaults(chair: Page, kind: str) -> int:
    """The chair creates a poll leaving the form's rule fields as they start; its id."""
    chair.get_by_test_id("poll-create").click()
    dialog = chair.get_by_test_id("poll-dialog")
    expect(dialog.get_by_test_id("poll-majority")).to_have_value("committee")
    expect(dialog.get_by_test_id("poll-quorum")).to_have_value("committee")
    expect(dialog.get_by_test_id("poll-rule-hint")).to_contain_text(
        f"Quy định của {KIND_NAMES[kind]}: thông qua khi quá nửa tổng số thành viên tán thành"
    )
    dialog.get_by_test_id("dialog-confirm").click()
    expect(dialog).to_have_count(0)
    card = chair.locator("[data-testid=poll][data-status=draft]")
    expect(card.get_by_test_id("poll-needs")).to_have_text(NEEDS_5_OF_9)
    poll_id = int(card.get_attribute("data-poll-id") or "0")
    card.get_by_test_id("poll-open").click()
    return poll_id


def vote(page: Page, choice: str) -> None:
    sheet = page.get_by_test_id("vote-sheet")
    expect(sheet.get_by_test_id("vote-needs")).to_have_text(NEEDS_5_OF_9)
    sheet.locator(f"[data-testid=vote-choice][data-choice={choice}]").click()
    sheet.get_by_test_id("vote-continue").click()
    sheet.get_by_test_id("vote-confirm").click()
    expect(sheet.get_by_test_id("vote-recorded")).to_be_visible()


def close_from_the_chairs_sheet(chair: Page, not_voted: tuple[str, ...]) -> None:
    """The chair closes the poll from their own sheet; the confirmation names who has not
    voted."""
    sheet = chair.get_by_test_id("vote-sheet")
    sheet.get_by_test_id("vote-chair-close").click()
    confirm = chair.locator("dialog", has=chair.get_by_test_id("dialog-confirm"))
    expect(confirm).to_contain_text(f"Chưa biểu quyết ({len(not_voted)}): ")
    for name in not_voted:
        expect(confirm).to_contain_text(NAMES[name])
    confirm.get_by_test_id("dialog-confirm").click()
    expect(sheet).to_be_hidden()


@pytest.mark.parametrize("kind", KINDS)
def test_a_committee_of_9_with_1_yes_of_6_present_does_not_adopt_by_default(
    kind: str, tablets: Tablets, base_url: str, artifacts: Path
) -> None:
    meeting_of_kind(base_url, tablets, kind)
    chair, member = tablets.chair, tablets.member
    create_poll_with_defaults(chair, kind)
    vote(member, "yes")
    member.get_by_test_id("vote-done").click()
    vote(chair, "abstain")
    # Voted: the chair's sheet still carries the chair's controls.
    expect(chair.get_by_test_id("vote-chair-count")).to_have_text("2/6 thành viên đã biểu quyết")
    close_from_the_chairs_sheet(chair, NOT_VOTED)

    for page in (chair, member):
        closed = page.locator("[data-testid=poll][data-status=closed]")
        expect(closed.get_by_test_id("poll-outcome")).to_have_text("Không thông qua")
        expect(closed.get_by_test_id("poll-outcome")).to_have_attribute("data-adopted", "false")
        expect(closed.get_by_test_id("poll-verdict")).to_have_text(
            "1 phiếu tán thành trên tổng số 9 thành viên: cần ít nhất 5, chưa đạt."
        )
        expect(closed.get_by_test_id("poll-needs")).to_have_text(NEEDS_5_OF_9)
        expect(closed.get_by_test_id("poll-numbers")).to_have_text(
            "Tán thành 1 · Không tán thành 0 · Không biểu quyết 1 · "
            "Không tham gia biểu quyết 4 · Vắng mặt 3"
        )
        for name in NOT_VOTED:
            expect(closed.get_by_test_id("poll-not-voted")).to_contain_text(NAMES[name])
        expect(page.get_by_test_id("feed-entry").first).to_contain_text(": Không thông qua.")
    member.locator("[data-testid=poll][data-status=closed]").screenshot(
        path=artifacts / f"statutory-result-{kind}-820-vi.png"
    )


def test_5_yes_of_9_adopt_and_the_chair_closes_without_voting(
    tablets: Tablets, base_url: str, artifacts: Path
) -> None:
    meeting = meeting_of_kind(base_url, tablets, "peoples_committee")
    chair, member = tablets.chair, tablets.member
    poll_id = create_poll_with_defaults(chair, "peoples_committee")
    vote(member, "yes")
    member.get_by_test_id("vote-done").click()
    for name in ("member2", "member3", "member4", "member5"):
        as_user(base_url, name, meeting, [("vote.cast", {"poll_id": poll_id, "choice": "yes"})])
    # The chair has not voted: their sheet still asks, and closes the poll all the same.
    sheet = chair.get_by_test_id("vote-sheet")
    expect(sheet).to_have_attribute("data-step", "choose")
    expect(sheet.get_by_test_id("vote-chair-count")).to_have_text("5/6 thành viên đã biểu quyết")
    close_from_the_chairs_sheet(chair, ("chair",))

    for page in (chair, member):
        closed = page.locator("[data-testid=poll][data-status=closed]")
        expect(closed.get_by_test_id("poll-outcome")).to_have_text("Thông qua")
        expect(closed.get_by_test_id("poll-outcome")).to_have_attribute("data-adopted", "true")
        expect(closed.get_by_test_id("poll-verdict")).to_have_text(
            "5 phiếu tán thành trên tổng số 9 thành viên: cần ít nhất 5, đã đạt."
        )
        expect(closed.get_by_test_id("poll-numbers")).to_have_text(
            "Tán thành 5 · Không tán thành 0 · Không biểu quyết 0 · "
            "Không tham gia biểu quyết 1 · Vắng mặt 3"
        )
        expect(closed.get_by_test_id("poll-not-voted")).to_have_text(
            f"Không tham gia biểu quyết: {NAMES['chair']}"
        )
    result = member.locator("[data-testid=poll][data-status=closed]")
    result.screenshot(path=artifacts / "statutory-result-adopted-820-vi.png")
    # The same card in English: counted words agree with their numbers.
    member.locator(".lang-button[data-lang=en]").click()
    try:
        expect(result.get_by_test_id("poll-verdict")).to_have_text(
            "5 votes in favour out of all 9 members: at least 5 needed, reached."
        )
        result.screenshot(path=artifacts / "statutory-result-adopted-820-en.png")
    finally:
        member.locator(".lang-button[data-lang=vi]").click()
