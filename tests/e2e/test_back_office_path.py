"""README's path from an empty installation's back office to signed minutes, in Chromium,
with nothing done through the API or the CLI: the administrator imports the people from a
CSV file, makes them a committee, prepares a meeting (roster, agenda, a document uploaded
to its item) and publishes it; a member reads ahead; the chair runs the meeting with the
room display open in a third browser; the clerk and then the chair sign the minutes, and
the member downloads the final version. Screenshots go to test-artifacts/back-office-path/.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import LANDSCAPE, PORTRAIT, NewContext, sign_in
from tests.e2e.pdf_files import text_pdf
from tests.e2e.test_minutes import RENDER_TIMEOUT_MS, SIGN_TIMEOUT_MS, version_row

pytestmark = pytest.mark.e2e

FULL_HD = {"width": 1920, "height": 1080}


def _sign_in_new(context: BrowserContext, username: str, password: str, name: str) -> Page:
    page = context.new_page()
    page.goto("/")
    page.locator("#login-username").fill(username)
    page.locator("#login-password").fill(password)
    page.locator("form.login-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"#/meetings$"))
    expect(page.get_by_test_id("current-user")).to_have_text(name)
    return page


def _sign(page: Page, version: int, password: str) -> None:
    """Sign a minutes version from its row: the signer confirms with their own password."""
    version_row(page, version).get_by_test_id("minutes-sign").click()
    page.get_by_test_id("sign-secret").fill(password)
    page.get_by_test_id("dialog-confirm").click()


def test_from_an_empty_back_office_to_signed_minutes_without_the_api(
    new_context: NewContext, base_url: str, artifacts: Path
) -> None:
    shots = artifacts / "back-office-path"
    shots.mkdir(exist_ok=True)
    tag = secrets.token_hex(2)
    people = {
        "chair": (f"thu{tag}", "Phạm Minh Thư", "Chủ tịch"),
        "clerk": (f"khoa{tag}", "Lương Đăng Khoa", "Chánh Văn phòng"),
        "member": (f"yen{tag}", "Hồ Thị Hải Yến", "Phó Chủ tịch"),
        "member2": (f"duy{tag}", "Trịnh Quốc Duy", "Ủy viên"),
    }
    committee = f"Ủy ban nhân dân xã Tân Phước (lộ trình {tag})"
    title = f"Phiên họp thường kỳ tháng Một {tag}"
    admin = sign_in(new_context(viewport=LANDSCAPE), "admin")

    # 1. People, from a CSV file (UTF-8 with a BOM, as Excel saves it): one password each.
    admin.get_by_test_id("nav-people").click()
    admin.get_by_test_id("people-import").click()
    dialog = admin.get_by_test_id("import-dialog")
    rows = "".join(f"{u},{n},{t},UBND xã Tân Phước\r\n" for u, n, t in people.values())
    csv = "\ufeffusername,full_name,title,unit\r\n" + rows
    dialog.get_by_test_id("import-file").set_input_files(
        {"name": "can-bo.csv", "mimeType": "text/csv", "buffer": csv.encode("utf-8")}
    )
    expect(dialog.locator(".row-ok")).to_have_count(len(people))
    dialog.get_by_test_id("import-confirm").click()
    imported = dialog.get_by_test_id("imported-person")
    expect(imported).to_have_count(len(people))
    passwords = {
        role: imported.filter(has_text=username).locator(".password-cell").inner_text()
        for role, (username, _name, _title) in people.items()
    }
    admin.screenshot(path=shots / "1-people-imported.png")
    dialog.get_by_test_id("import-close").click()

    # 2. The committee, with the four of them.
    admin.get_by_test_id("nav-committees").click()
    admin.get_by_test_id("committee-add").click()
    dialog = admin.get_by_test_id("committee-dialog")
    dialog.get_by_test_id("committee-name").fill(committee)
    dialog.get_by_test_id("committee-kind").select_option("peoples_committee")
    dialog.get_by_test_id("committee-tab-members").click()
    picker = dialog.get_by_test_id("member-picker")
    for username, _name, _title in people.values():
        row = picker.locator(f"[data-testid=member-row][data-username={username}]")
        row.get_by_test_id("member-check").check()
    expect(dialog.get_by_test_id("members-count")).to_have_text(f"Đã chọn {len(people)} người")
    dialog.get_by_test_id("committee-save").click()
    expect(dialog).to_be_hidden()
    expect(admin.get_by_test_id("committee-row").filter(has_text=committee)).to_contain_text(
        f"{len(people)} thành viên"
    )

    # 3. The meeting: a draft with its roster, two items, a document on the first; published.
    admin.get_by_test_id("nav-meetings-admin").click()
    admin.get_by_test_id("meeting-add").click()
    dialog = admin.get_by_test_id("new-meeting-dialog")
    dialog.get_by_test_id("meeting-title").fill(title)
    dialog.get_by_test_id("meeting-committee").select_option(label=committee)
    dialog.get_by_test_id("meeting-place").fill("Hội trường UBND xã Tân Phước")
    day = f"2033-{secrets.randbelow(12) + 1:02d}-{secrets.randbelow(28) + 1:02d}"
    dialog.get_by_test_id("meeting-date").fill(day)
    dialog.get_by_test_id("meeting-time").fill("07:30")
    for role, (username, _name, _title) in people.items():
        dialog.locator(
            f"select[data-testid=roster-role][data-username='{username}']"
        ).select_option("member" if role.startswith("member") else role)
    dialog.get_by_test_id("meeting-create").click()
    prepare = admin.get_by_test_id("prepare-dialog")
    expect(prepare.locator(".dialog-title")).to_have_text(title)
    for item_title, kind in (
        ("Tờ trình về kế hoạch sử dụng đất năm 2034", "decision"),
        ("Các vấn đề phát sinh", "discussion"),
    ):
        prepare.get_by_test_id("item-title").fill(item_title)
        prepare.get_by_test_id("item-kind").select_option(kind)
        prepare.get_by_test_id("item-add").click()
        expect(prepare.get_by_test_id("plan-item").filter(has_text=item_title)).to_be_visible()
    first = prepare.get_by_test_id("plan-item").filter(has_text="kế hoạch sử dụng đất")
    pdf = text_pdf("Tờ trình số 18/TTr-UBND về kế hoạch sử dụng đất", 3)
    first.get_by_test_id("item-upload-file").set_input_files(
        {"name": "To-trinh-18.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    expect(first.get_by_test_id("plan-document")).to_have_count(1)
    admin.screenshot(path=shots / "3-meeting-prepared.png")
    prepare.get_by_test_id("meeting-publish").click()
    admin.get_by_test_id("dialog-confirm").click()
    expect(prepare.locator(".published-note")).to_be_visible()
    prepare.get_by_test_id("prepare-close").click()
    meeting = int(
        admin.get_by_test_id("meeting-row").filter(has_text=title).get_attribute("data-meeting-id")
        or 0
    )
    assert meeting > 0

    # 4. A member reads ahead on a portrait tablet: the meeting and its document.
    _user, name, _title = people["member"]
    member = _sign_in_new(new_context(viewport=PORTRAIT), people["member"][0],
                          passwords["member"], name)  # fmt: skip
    member.locator(f"[data-testid=meeting-card][data-meeting-id='{meeting}']").click()
    expect(member.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    expect(member.get_by_test_id("document")).to_have_count(1)
    member.screenshot(path=shots / "4-member-reads-ahead.png")

    # 5. The chair runs it, with the room display open in a third browser.
    chair = _sign_in_new(new_context(viewport=LANDSCAPE), people["chair"][0],
                         passwords["chair"], people["chair"][1])  # fmt: skip
    chair.locator(f"[data-testid=meeting-card][data-meeting-id='{meeting}']").click()
    expect(chair.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    chair.get_by_test_id("display-link-open").click()
    chair.get_by_test_id("display-link-issue").click()
    url = chair.get_by_test_id("display-link-url").input_value()
    chair.get_by_test_id("display-link-close").click()
    display = new_context(viewport=FULL_HD).new_page()
    display.goto(url.removeprefix(base_url))
    expect(display.get_by_test_id("display-title")).to_contain_text(title)
    chair.get_by_test_id("start-meeting").click()
    expect(chair.get_by_test_id("status")).to_have_attribute("data-status", "live")
    chair.get_by_test_id("agenda-next").click()
    expect(display.locator(".display")).to_contain_text("kế hoạch sử dụng đất")
    expect(member.get_by_test_id("current-item")).to_contain_text("kế hoạch sử dụng đất")
    display.screenshot(path=shots / "5-room-display.png")
    chair.get_by_test_id("end-meeting").click()
    chair.get_by_test_id("dialog-confirm").click()
    expect(chair.get_by_test_id("status")).to_have_attribute("data-status", "ended")

    # 6. The clerk generates and signs the minutes, then the chair; the member downloads.
    clerk = _sign_in_new(new_context(viewport=LANDSCAPE), people["clerk"][0],
                         passwords["clerk"], people["clerk"][1])  # fmt: skip
    clerk.locator(f"[data-testid=meeting-card][data-meeting-id='{meeting}']").click()
    generate = clerk.get_by_test_id("minutes-generate-box")
    generate.get_by_test_id("minutes-number").fill("01")
    generate.get_by_test_id("minutes-generate").click()
    expect(version_row(clerk, 1)).to_have_attribute(
        "data-status", "draft", timeout=RENDER_TIMEOUT_MS
    )
    _sign(clerk, 1, passwords["clerk"])
    expect(version_row(clerk, 1)).to_have_attribute(
        "data-status", "clerk-signed", timeout=SIGN_TIMEOUT_MS
    )
    _sign(chair, 1, passwords["chair"])
    expect(version_row(chair, 1)).to_have_attribute("data-status", "final", timeout=SIGN_TIMEOUT_MS)
    clerk.screenshot(path=shots / "6-minutes-signed.png")
    final = version_row(member, 1)
    expect(final).to_have_attribute("data-status", "final")
    with member.expect_download() as download:
        final.get_by_test_id("minutes-download").click()
    assert download.value.suggested_filename.endswith(".pdf")
