"""Signed minutes on tablets: the clerk keeps a note and records a decision while the chair
sees them live; after the meeting the clerk generates (progress, then the draft), previews
and signs; the chair signs; a member downloads the final PDF, which the project's own
verification accepts and whose text carries the Vietnamese names."""

from __future__ import annotations

import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from ecabinet.minutes.keys import trusted_roots
from ecabinet.minutes.verify import verify_pdf
from harness.server import DEMO_PASSWORD, Server
from tests.e2e.conftest import (
    LANDSCAPE,
    NAMES,
    PORTRAIT,
    NewContext,
    as_user,
    open_room,
    sign_in,
    user_ids,
)
from tests.e2e.test_layout import no_horizontal_scroll, small_targets

pytestmark = pytest.mark.e2e

ITEM = "Thông qua Nghị quyết về kế hoạch đầu tư công năm 2027"
NOTE = "Đồng chí Lê Quang Đức trình bày tờ trình; các đại biểu thống nhất về nguồn vốn."
DECISION = "Hội nghị thông qua Nghị quyết về kế hoạch đầu tư công năm 2027."
REASON = "Đi công tác tại Hà Nội"
LATE_NOTE = "Thư ký bổ sung sau cuộc họp: ý kiến của đồng chí Phạm Thị Ngọc Ánh."
RENDER_TIMEOUT_MS = 90_000  # the first generation starts the server's minutes worker
SIGN_TIMEOUT_MS = 60_000
POLL = {
    "title": "Biểu quyết thông qua Nghị quyết",
    "kind": "yes_no_abstain",
    "secret": False,
    "allow_change": False,
    "majority": "simple",
    "quorum": {"kind": "none"},
    "item_id": 1,
}


def minutes_panel(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("minutes")


def version_row(page: Page, version: int):  # type: ignore[no-untyped-def]
    return page.locator(f"[data-testid=minutes-version][data-version='{version}']")


def check_layout(page: Page, artifacts: Path, name: str) -> None:
    assert small_targets(page) == [], name
    assert no_horizontal_scroll(page), name
    minutes_panel(page).screenshot(path=artifacts / f"{name}.png")


def sign_version(page: Page, version: int, wrong_first: bool = False) -> None:
    """Sign: every signature asks for the password again; a wrong one keeps the dialog open."""
    version_row(page, version).get_by_test_id("minutes-sign").click()
    dialog = page.get_by_test_id("sign-dialog")
    if wrong_first:
        dialog.get_by_test_id("sign-secret").fill("không phải mật khẩu")
        dialog.get_by_test_id("dialog-confirm").click()
        expect(dialog.get_by_role("alert")).to_have_text("Mật khẩu hoặc mã PIN không đúng.")
    dialog.get_by_test_id("sign-secret").fill(DEMO_PASSWORD)
    dialog.get_by_test_id("dialog-confirm").click()
    expect(dialog).to_have_count(0)


def test_clerk_keeps_generates_and_signs_chair_signs_member_downloads_the_final_minutes(
    new_context: NewContext,
    fresh_meeting: Callable[..., int],
    base_url: str,
    e2e_server: Server,
    artifacts: Path,
) -> None:
    meeting = fresh_meeting("Phiên họp thông qua kế hoạch đầu tư công")
    ids = user_ids(base_url)
    present = ("chair", "clerk", "member1", "member2", "member3")
    as_user(
        base_url,
        "chair",
        meeting,
        [
            ("agenda.item.add", {"title": ITEM, "kind": "decision", "planned_minutes": 20}),
            ("meeting.start", {}),
            *[("attendance.check_in", {"user_id": ids[name]}) for name in present],
            ("agenda.next", {}),
            ("poll.create", POLL),
            ("poll.open", {"poll_id": 1}),
            ("vote.cast", {"poll_id": 1, "choice": "yes"}),
        ],
    )
    for name in ("member1", "member2"):
        as_user(base_url, name, meeting, [("vote.cast", {"poll_id": 1, "choice": "yes"})])
    as_user(base_url, "chair", meeting, [("poll.close", {"poll_id": 1})])

    clerk = sign_in(new_context(viewport=PORTRAIT), "clerk")
    open_room(clerk, meeting)
    chair = sign_in(new_context(viewport=LANDSCAPE), "chair")
    open_room(chair, meeting)
    member = sign_in(new_context(viewport=PORTRAIT), "member3")
    open_room(member, meeting)
    expect(member.get_by_test_id("minutes")).to_be_hidden()  # members: after the meeting

    # --- during the meeting: the clerk's note and decision reach the chair live --------
    keeper = minutes_panel(clerk).get_by_test_id("minutes-keeper")
    expect(keeper.get_by_test_id("minutes-item")).to_have_value("1")  # the current item
    keeper.get_by_test_id("minutes-note").fill(NOTE)
    expect(keeper.get_by_test_id("minutes-note-status")).to_have_attribute("data-state", "unsaved")
    keeper.get_by_test_id("minutes-note-save").click()
    expect(keeper.get_by_test_id("minutes-note-status")).to_have_attribute("data-state", "saved")
    chair_keeper = minutes_panel(chair).get_by_test_id("minutes-keeper")
    expect(chair_keeper.get_by_test_id("minutes-note")).to_have_value(NOTE)
    expect(chair_keeper.get_by_test_id("minutes-note-status")).to_contain_text(NAMES["clerk"])

    keeper.get_by_test_id("minutes-decision-text").fill(DECISION)
    keeper.get_by_test_id("minutes-decision-poll").select_option("1")
    keeper.get_by_test_id("minutes-decision-record").click()
    decision = chair_keeper.get_by_test_id("minutes-decision")
    expect(decision).to_have_count(1)
    expect(decision).to_contain_text(DECISION)
    expect(decision.get_by_test_id("minutes-decision-poll")).to_contain_text(
        "Biểu quyết thông qua Nghị quyết — thông qua"
    )
    expect(keeper.get_by_test_id("minutes-decision-text")).to_have_value("")
    # The chair's activity feed tells it in words, not as event names.
    feed = chair.get_by_test_id("feed-entry")
    expect(feed.filter(has_text=f"{NAMES['clerk']} đã ghi kết luận số 1.")).to_have_count(1)
    expect(feed.filter(has_text=f"{NAMES['clerk']} đã ghi chép cho nội dung 1.")).to_have_count(1)
    expect(feed.filter(has_text="minutes.")).to_have_count(0)

    absent = keeper.locator(f"[data-testid=minutes-absence][data-user-id='{ids['member4']}']")
    absent.get_by_test_id("minutes-absence-reason").fill(REASON)
    absent.get_by_test_id("minutes-absence-save").click()
    chair_keeper.get_by_test_id("minutes-absences-box").locator("summary").click()  # closed
    expect(
        chair_keeper.locator(f"[data-testid=minutes-absence][data-user-id='{ids['member4']}']")
    ).to_contain_text(f"Có lý do: {REASON}")
    check_layout(clerk, artifacts, "minutes-keeping-portrait-vi")
    check_layout(chair, artifacts, "minutes-keeping-landscape-vi")

    # --- the meeting ends; the clerk generates and sees the steps, then the draft ------
    chair.get_by_test_id("end-meeting").click()
    chair.get_by_test_id("dialog-confirm").click()
    expect(clerk.get_by_test_id("status")).to_have_attribute("data-status", "ended")
    expect(minutes_panel(member)).to_be_visible()
    expect(member.get_by_test_id("minutes-versions-empty")).to_have_text(
        "Biên bản chưa được ký hoàn tất."
    )
    generate = clerk.get_by_test_id("minutes-generate-box")
    expect(generate.get_by_test_id("minutes-language")).to_have_value("vi")
    generate.get_by_test_id("minutes-number").fill("05")
    generate.get_by_test_id("minutes-generate").click()
    progress = generate.get_by_test_id("minutes-progress")
    expect(progress).to_be_visible()
    expect(progress.get_by_test_id("minutes-progress-stage")).to_contain_text("Bước")
    expect(version_row(clerk, 1)).to_have_attribute(
        "data-status", "draft", timeout=RENDER_TIMEOUT_MS
    )
    expect(progress).to_be_hidden()
    expect(version_row(clerk, 1).get_by_test_id("minutes-version-status")).to_have_text("Bản nháp")
    expect(version_row(chair, 1).get_by_test_id("minutes-waiting")).to_have_text(
        "Chờ thư ký ký số."
    )
    expect(member.get_by_test_id("minutes-version")).to_have_count(0)  # drafts are not theirs

    # --- preview in the app's PDF view --------------------------------------------------
    version_row(clerk, 1).get_by_test_id("minutes-preview-open").click()
    preview = clerk.get_by_test_id("minutes-preview")
    expect(preview).to_be_visible()
    expect(preview.get_by_test_id("pdf-text")).to_contain_text("BIÊN BẢN")
    expect(preview.get_by_test_id("minutes-preview-page")).to_contain_text("Trang 1/")
    preview.screenshot(path=artifacts / "minutes-preview-portrait-vi.png")
    assert small_targets(clerk) == []
    preview.get_by_test_id("minutes-preview-close").click()
    expect(preview).to_have_count(0)
    check_layout(clerk, artifacts, "minutes-draft-portrait-vi")

    # --- a correction of the note after the meeting, then a new draft version -----------
    keeper.get_by_test_id("minutes-item").select_option("1")
    keeper.get_by_test_id("minutes-note").fill(f"{NOTE} {LATE_NOTE}")
    keeper.get_by_test_id("minutes-note-save").click()
    expect(keeper.get_by_test_id("minutes-note-status")).to_have_attribute("data-state", "saved")
    generate.get_by_test_id("minutes-generate").click()
    expect(version_row(clerk, 2)).to_have_attribute(
        "data-status", "draft", timeout=RENDER_TIMEOUT_MS
    )
    expect(version_row(clerk, 1)).to_contain_text("Bản cũ — chỉ bản mới nhất được ký")
    expect(version_row(clerk, 1).get_by_test_id("minutes-sign")).to_have_count(0)
    expect(clerk.get_by_test_id("minutes-version").first).to_have_attribute("data-version", "2")

    # --- the clerk signs, then the chair ------------------------------------------------
    sign_version(clerk, 2, wrong_first=True)
    expect(version_row(chair, 2)).to_have_attribute(
        "data-status", "clerk-signed", timeout=SIGN_TIMEOUT_MS
    )
    expect(version_row(clerk, 2).get_by_test_id("minutes-sign")).to_have_count(0)
    sign_version(chair, 2)
    expect(version_row(chair, 2)).to_have_attribute("data-status", "final", timeout=SIGN_TIMEOUT_MS)
    expect(version_row(clerk, 2).get_by_test_id("minutes-version-status")).to_have_text(
        "Hoàn tất — đã ký đủ"
    )
    check_layout(chair, artifacts, "minutes-final-landscape-vi")
    version_row(chair, 2).get_by_test_id("minutes-preview-open").click()
    preview = chair.get_by_test_id("minutes-preview")
    expect(preview.get_by_test_id("pdf-text")).to_contain_text("BIÊN BẢN")
    preview.get_by_test_id("minutes-preview-next").click()
    expect(preview.get_by_test_id("minutes-preview-page")).to_contain_text("Trang 2/")
    expect(preview.get_by_test_id("pdf-text")).to_contain_text(NAMES["chair"])
    preview.screenshot(path=artifacts / "minutes-preview-landscape-vi.png")
    assert small_targets(chair) == []
    preview.get_by_test_id("minutes-preview-close").click()
    chair.locator(".lang-button[data-lang=en]").click()
    expect(version_row(chair, 2).get_by_test_id("minutes-version-status")).to_have_text(
        "Final — fully signed"
    )
    expect(minutes_panel(chair).get_by_test_id("minutes-keeper")).to_contain_text(
        "Keeping the minutes"
    )
    check_layout(chair, artifacts, "minutes-final-landscape-en")

    # --- a member sees the final minutes, verifies and downloads them -------------------
    final = version_row(member, 2)
    expect(final).to_have_attribute("data-status", "final")
    final.get_by_test_id("minutes-verify").click()
    verdict = final.get_by_test_id("minutes-verdict")
    expect(verdict).to_have_attribute("data-level", "ok-final", timeout=SIGN_TIMEOUT_MS)
    expect(verdict.get_by_test_id("minutes-verdict-headline")).to_have_text(
        "Hợp lệ — biên bản hoàn tất"
    )
    expect(verdict).to_contain_text(NAMES["chair"])
    check_layout(member, artifacts, "minutes-final-portrait-vi")
    # What the tablets folded from the events equals what a fresh snapshot shows.
    fresh_member = sign_in(new_context(viewport=PORTRAIT), "member2")
    open_room(fresh_member, meeting)
    expect(version_row(fresh_member, 2)).to_have_attribute("data-status", "final")
    for part in (".minutes-version-facts", ".minutes-signatures"):
        folded = final.locator(part).inner_text()
        assert version_row(fresh_member, 2).locator(part).inner_text() == folded
    fresh_clerk = sign_in(new_context(viewport=PORTRAIT), "clerk")
    open_room(fresh_clerk, meeting)
    for page in (clerk, fresh_clerk):
        page.get_by_test_id("minutes-item").select_option("1")
    fresh_keeper = minutes_panel(fresh_clerk).get_by_test_id("minutes-keeper")
    expect(fresh_keeper.get_by_test_id("minutes-note")).to_have_value(f"{NOTE} {LATE_NOTE}")
    for part in ("minutes-decisions", "minutes-absences"):
        folded = keeper.get_by_test_id(part).inner_text()
        assert fresh_keeper.get_by_test_id(part).inner_text() == folded

    with member.expect_download() as downloaded:
        final.get_by_test_id("minutes-download").click()
    data = Path(downloaded.value.path()).read_bytes()

    # "Verify another PDF…": the same file with one byte changed is not valid.
    broken = bytearray(data)
    broken[len(broken) // 3] ^= 0x01
    member.get_by_test_id("minutes-verify-file-input").set_input_files(
        files=[{"name": "bien-ban-sua.pdf", "mimeType": "application/pdf", "buffer": bytes(broken)}]
    )
    chosen = (
        minutes_panel(member).locator(".minutes-file-verdict").get_by_test_id("minutes-verdict")
    )
    expect(chosen).to_have_attribute("data-level", "bad", timeout=SIGN_TIMEOUT_MS)
    expect(chosen).to_contain_text("Tệp: bien-ban-sua.pdf")
    expect(chosen.get_by_test_id("minutes-verdict-headline")).to_have_text("Không hợp lệ")

    roots = trusted_roots(Path(e2e_server.env["ECABINET_DATA_DIR"]))
    # pyHanko's sync validation runs its own event loop: not on Playwright's thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        checked = pool.submit(verify_pdf, data, roots).result()
    assert checked.ok and checked.final, checked.problems
    assert [s.field for s in checked.signatures] == ["sig-clerk", "sig-chair"]
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )
    assert NAMES["chair"] in text and NAMES["clerk"] in text  # Nguyễn Văn Hùng, Trần Thị Thu Hằng
    assert DECISION in text and REASON in text and LATE_NOTE in text  # version 2's note
