"""Members without a device, on the clerk's tablet (1024×768): the clerk records a present
member's vote in a named poll, gives paper ballots in a secret poll and enters the paper
tally; the results show both, and the member's own tablet says the clerk recorded the vote."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import NAMES, NewContext, as_user, open_room, sign_in, user_ids

pytestmark = pytest.mark.e2e

TABLET_1024 = {"width": 1024, "height": 768}
PRESENT = ("member1", "member2", "member3", "clerk")
POLL = {"kind": "yes_no_abstain", "allow_change": False, "majority": "simple"}


def test_the_clerk_records_a_vote_and_enters_a_paper_tally(
    new_context: NewContext,
    fresh_meeting: Callable[..., int],
    base_url: str,
    artifacts: Path,
) -> None:
    meeting = fresh_meeting("Phiên họp kiểm phiếu giấy")
    ids = user_ids(base_url)
    as_user(
        base_url,
        "chair",
        meeting,
        [
            ("meeting.start", {}),
            ("attendance.check_in", {}),
            *[("attendance.check_in", {"user_id": ids[name]}) for name in PRESENT],
            (
                "poll.create",
                {"title": "Thông qua Nghị quyết về kế hoạch đầu tư công năm 2027", "secret": False}
                | POLL
                | {"quorum": {"kind": "none"}},
            ),
            ("poll.open", {"poll_id": 1}),
        ],
    )
    clerk = sign_in(new_context(TABLET_1024), "clerk")
    open_room(clerk, meeting)

    # --- a named poll: the clerk records member1's vote ---------------------------------
    named = clerk.locator("[data-testid=poll][data-poll-id='1']")
    named.get_by_test_id("clerk-record").click()
    dialog = clerk.get_by_test_id("clerk-record-dialog")
    expect(dialog.get_by_test_id("clerk-record-confirm")).to_be_disabled()
    dialog.locator(f"[data-testid=clerk-member-option][data-user-id='{ids['member1']}']").click()
    dialog.get_by_test_id("clerk-choice-option").filter(has_text="Tán thành").first.click()
    expect(dialog.get_by_test_id("clerk-summary")).to_have_text(
        f"Ghi nhận cho {NAMES['member1']}: Tán thành."
    )
    clerk.screenshot(path=artifacts / "clerk-record-dialog-1024-vi.png", animations="disabled")
    dialog.get_by_test_id("clerk-record-confirm").click()
    expect(dialog).to_have_count(0)
    expect(named.get_by_test_id("poll-participation")).to_have_text("1/4 đã biểu quyết")
    expect(clerk.get_by_test_id("feed-entry").first).to_contain_text(
        f"đã ghi nhận biểu quyết của {NAMES['member1']}: Tán thành."
    )
    as_user(base_url, "member2", meeting, [("vote.cast", {"poll_id": 1, "choice": "no"})])
    as_user(base_url, "chair", meeting, [("vote.cast", {"poll_id": 1, "choice": "yes"})])
    as_user(base_url, "chair", meeting, [("poll.close", {"poll_id": 1})])
    closed = clerk.locator("[data-testid=poll][data-poll-id='1'][data-status=closed]")
    expect(closed.get_by_test_id("poll-numbers")).to_contain_text("Tán thành 2 · Không tán thành 1")
    expect(closed.get_by_test_id("poll-recorded")).to_have_text(
        f"Thư ký ghi nhận biểu quyết của: {NAMES['member1']}."
    )
    closed.get_by_test_id("details-ballots").locator("summary").click()
    marked = closed.get_by_test_id("poll-ballots").locator("li").filter(has_text=NAMES["member1"])
    expect(marked.get_by_test_id("recorded-mark")).to_have_text("(thư ký ghi nhận)")

    # The member's own tablet says the clerk recorded the vote.
    member1 = sign_in(new_context(TABLET_1024), "member1")
    open_room(member1, meeting)
    expect(
        member1.locator("[data-testid=poll][data-poll-id='1']").get_by_test_id("poll-your-vote")
    ).to_have_text("Thư ký đã ghi nhận biểu quyết của bạn: Tán thành.")

    # --- a secret poll: two paper ballots, one tablet vote -------------------------------
    as_user(
        base_url,
        "chair",
        meeting,
        [
            ("poll.create", {"title": "Bầu bổ sung Ủy viên Ủy ban nhân dân tỉnh", "secret": True}
             | POLL | {"quorum": {"kind": "none"}}),
            ("poll.open", {"poll_id": 2}),
        ],
    )  # fmt: skip
    as_user(base_url, "member2", meeting, [("vote.cast", {"poll_id": 2, "choice": "yes"})])
    secret = clerk.locator("[data-testid=poll][data-poll-id='2']")
    for name in ("member1", "member3"):
        secret.get_by_test_id("paper-mark").click()
        mark = clerk.get_by_test_id("paper-mark-dialog")
        mark.locator(f"[data-testid=paper-member-option][data-user-id='{ids[name]}']").click()
        if name == "member3":
            clerk.screenshot(
                path=artifacts / "clerk-paper-mark-dialog-1024-vi.png", animations="disabled"
            )
        mark.get_by_test_id("paper-mark-confirm").click()
        expect(mark).to_have_count(0)
    expect(secret.get_by_test_id("paper-status")).to_contain_text("Phiếu giấy: 2 thành viên")
    expect(secret.get_by_test_id("paper-status")).to_contain_text("Chưa nhập kết quả")
    # member1's tablet says they vote on paper, and offers no tablet vote.
    member1_secret = member1.locator("[data-testid=poll][data-poll-id='2']")
    expect(member1_secret.get_by_test_id("paper-yours")).to_have_text(
        "Bạn bỏ phiếu giấy trong cuộc biểu quyết này; Ban kiểm phiếu kiểm phiếu của bạn."
    )
    expect(member1_secret.get_by_test_id("poll-vote")).to_have_count(0)
    member1.screenshot(path=artifacts / "member-paper-voter-1024-vi.png", animations="disabled")

    secret.get_by_test_id("paper-tally").click()
    tally = clerk.get_by_test_id("paper-tally-dialog")
    expect(tally.get_by_test_id("paper-issued")).to_have_value("2")
    tally.get_by_test_id("paper-count-0").fill("2")
    tally.get_by_test_id("paper-count-1").fill("1")
    expect(tally.get_by_test_id("paper-check")).to_have_text(
        "Tổng số phiếu theo từng lựa chọn phải bằng số phiếu hợp lệ."
    )
    expect(tally.get_by_test_id("paper-tally-confirm")).to_be_disabled()
    tally.get_by_test_id("paper-valid").fill("1")
    tally.get_by_test_id("paper-invalid").fill("1")
    tally.get_by_test_id("paper-count-0").fill("1")
    tally.get_by_test_id("paper-count-1").fill("0")
    expect(tally.get_by_test_id("paper-check")).to_have_text("Các số đã khớp.")
    clerk.screenshot(path=artifacts / "clerk-paper-tally-dialog-1024-vi.png", animations="disabled")
    tally.get_by_test_id("paper-tally-confirm").click()
    expect(tally).to_have_count(0)
    expect(secret.get_by_test_id("paper-status")).to_contain_text(
        "Đã nhập kết quả kiểm phiếu giấy: phát ra 2, thu vào 2, hợp lệ 1, không hợp lệ 1."
    )

    as_user(base_url, "chair", meeting, [("poll.close", {"poll_id": 2})])
    result = clerk.locator("[data-testid=poll][data-poll-id='2'][data-status=closed]")
    expect(result.get_by_test_id("poll-outcome")).to_have_text("Thông qua")
    expect(result.get_by_test_id("poll-numbers")).to_contain_text("Tán thành 2 · Không tán thành 0")
    expect(result.get_by_test_id("poll-paper")).to_have_text(
        "Phiếu giấy (đã tính vào kết quả): phát ra 2, thu vào 2, hợp lệ 1, không hợp lệ 1."
    )
    result.scroll_into_view_if_needed()
    clerk.screenshot(path=artifacts / "clerk-paper-result-1024-vi.png", animations="disabled")
    named_result = member1.locator("[data-testid=poll][data-poll-id='2'][data-status=closed]")
    expect(named_result.get_by_test_id("poll-paper")).to_be_visible()


def test_paper_ballots_in_an_election_and_a_confidence_vote_are_counted_with_the_tablets(
    new_context: NewContext,
    fresh_meeting: Callable[..., int],
    base_url: str,
    artifacts: Path,
) -> None:
    """An election of 1 seat among 2 and a confidence vote on 2 persons: member2 votes on
    the tablet, member1 and member3 on paper; the clerk enters each tally (the dialog
    refuses numbers no ballots could give) and the result cards count both."""
    meeting = fresh_meeting("Phiên họp bầu cử và lấy phiếu tín nhiệm")
    ids = user_ids(base_url)
    candidates = ["Nguyễn Văn An", "Trần Thị Bình"]
    secret = {"secret": True, "allow_change": False, "options": candidates}
    as_user(
        base_url,
        "chair",
        meeting,
        [
            ("meeting.start", {}),
            ("attendance.check_in", {}),
            *[("attendance.check_in", {"user_id": ids[name]}) for name in PRESENT],
            ("poll.create", {"title": "Bầu Phó Chủ tịch", "kind": "election", "max_choices": 1,
                             "majority": "absolute", "quorum": {"kind": "none"}} | secret),
            ("poll.open", {"poll_id": 1}),
            ("poll.create", {"title": "Lấy phiếu tín nhiệm", "kind": "confidence",
                             "quorum": {"kind": "none"}} | secret),
            ("poll.open", {"poll_id": 2}),
        ],
    )  # fmt: skip
    as_user(base_url, "member2", meeting, [("vote.cast", {"poll_id": 1, "choice": [0]})])
    as_user(base_url, "member2", meeting, [("vote.cast", {"poll_id": 2, "choice": [2, 0]})])
    clerk = sign_in(new_context(TABLET_1024), "clerk")
    open_room(clerk, meeting)
    for poll_id in (1, 2):
        card = clerk.locator(f"[data-testid=poll][data-poll-id='{poll_id}']")
        for name in ("member1", "member3"):
            card.get_by_test_id("paper-mark").click()
            mark = clerk.get_by_test_id("paper-mark-dialog")
            mark.locator(f"[data-testid=paper-member-option][data-user-id='{ids[name]}']").click()
            mark.get_by_test_id("paper-mark-confirm").click()
            expect(mark).to_have_count(0)

    # The election: 2 valid paper ballots; one keeps An, the other keeps nobody.
    clerk.locator("[data-testid=poll][data-poll-id='1']").get_by_test_id("paper-tally").click()
    tally = clerk.get_by_test_id("paper-tally-dialog")
    tally.get_by_test_id("paper-count-0").fill("2")
    tally.get_by_test_id("paper-abstentions").fill("1")
    expect(tally.get_by_test_id("paper-check")).to_contain_text("không được lớn hơn")
    expect(tally.get_by_test_id("paper-tally-confirm")).to_be_disabled()
    tally.get_by_test_id("paper-count-0").fill("1")
    expect(tally.get_by_test_id("paper-check")).to_have_text("Các số đã khớp.")
    tally.get_by_test_id("paper-tally-confirm").click()
    expect(tally).to_have_count(0)

    # The confidence vote: three levels per person, each adding up to the 2 valid ballots.
    clerk.locator("[data-testid=poll][data-poll-id='2']").get_by_test_id("paper-tally").click()
    tally = clerk.get_by_test_id("paper-tally-dialog")
    expect(tally.get_by_test_id("paper-person")).to_have_count(2)
    expect(tally.get_by_test_id("paper-abstentions")).to_have_count(0)
    for key, value in ((2, 2), (3, 1)):  # An: 2 low; Bình: 1 high …
        tally.get_by_test_id(f"paper-count-{key}").fill(str(value))
    expect(tally.get_by_test_id("paper-check")).to_have_text(
        "Ba mức tín nhiệm của Trần Thị Bình cộng lại phải bằng số phiếu hợp lệ."
    )
    tally.get_by_test_id("paper-count-4").fill("1")  # … and 1 confidence
    expect(tally.get_by_test_id("paper-check")).to_have_text("Các số đã khớp.")
    clerk.screenshot(
        path=artifacts / "clerk-paper-tally-confidence-1024-vi.png", animations="disabled"
    )
    tally.get_by_test_id("paper-tally-confirm").click()
    expect(tally).to_have_count(0)

    as_user(
        base_url, "chair", meeting, [("poll.close", {"poll_id": 1}), ("poll.close", {"poll_id": 2})]
    )
    election = clerk.locator("[data-testid=poll][data-poll-id='1'][data-status=closed]")
    rows = election.get_by_test_id("election-row")
    expect(rows.nth(0)).to_contain_text("2")  # An: 1 tablet + 1 paper
    confidence = clerk.locator("[data-testid=poll][data-poll-id='2'][data-status=closed]")
    an, binh = (confidence.get_by_test_id("confidence-row").nth(i) for i in (0, 1))
    expect(an.locator("td").nth(2)).to_contain_text("3 (")  # 1 tablet + 2 paper "low"
    expect(binh.locator("td").nth(0)).to_contain_text("2 (")  # 1 tablet + 1 paper "high"
    expect(an.get_by_test_id("mark-flagged")).to_be_visible()  # 3 low of 3 ballots
    confidence.scroll_into_view_if_needed()
    clerk.screenshot(
        path=artifacts / "clerk-paper-confidence-result-1024-vi.png", animations="disabled"
    )
