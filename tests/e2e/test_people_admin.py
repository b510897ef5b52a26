"""The administrator's people screen in Chromium, in Vietnamese: a CSV import (a refused
file first, then a Windows-1258 one, previewed and imported), a person created, edited and
deactivated, a password reset — each new password signing in. Every screen is checked by
axe-core (WCAG 2.1 A/AA) and for touch targets, at 1280×800 and 1024×768; screenshots go
to test-artifacts/."""

from __future__ import annotations

import re
import secrets
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PORTRAIT, NewContext, sign_in
from tests.e2e.test_layout import no_horizontal_scroll, small_targets

pytestmark = pytest.mark.e2e

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
VIEWPORTS = {"1280x800": {"width": 1280, "height": 800}, "1024x768": {"width": 1024, "height": 768}}


def to_cp1258(text: str) -> bytes:
    """Excel's CSV on a Vietnamese Windows: base letters, then combining tone marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], list(decomposed[1:])
        for mark in marks:
            composed = unicodedata.normalize("NFC", base + mark)
            try:
                composed.encode("cp1258")
            except UnicodeEncodeError:
                continue
            if len(composed) == 1:
                base = composed
                marks.remove(mark)
                break
        out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is (dialogs included)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            });
            return r.violations.map(
                (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        }"""
    )
    return list(result)


def check(page: Page, shots: Path, name: str) -> None:
    assert axe_violations(page) == [], name
    assert small_targets(page) == [], name
    assert no_horizontal_scroll(page), name
    page.screenshot(path=shots / f"{name}.png")


def sign_in_as(new_context: NewContext, username: str, password: str) -> None:
    page = new_context().new_page()
    page.goto("/")
    page.locator("#login-username").fill(username)
    page.locator("#login-password").fill(password)
    page.locator("form.login-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"#/meetings$"))


def row(page: Page, username: str):  # type: ignore[no-untyped-def]
    return page.locator(f'[data-testid=person-row][data-username="{username}"]')


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_admin_imports_creates_edits_deactivates_and_resets_in_vietnamese(
    size: str, new_context: NewContext, artifacts: Path
) -> None:
    tag = secrets.token_hex(2)
    page = sign_in(new_context(viewport=VIEWPORTS[size]), "admin")
    page.get_by_test_id("nav-people").click()
    expect(page).to_have_url(re.compile(r"#/admin/people$"))
    expect(page.get_by_role("heading", name="Quản lý người dùng")).to_be_visible()
    expect(row(page, "member1")).to_contain_text("Lê Quang Đức")
    check(page, artifacts, f"people-list-{size}-vi")

    # A file with a repeated user name: every problem shown, the import not offered.
    page.get_by_test_id("people-import").click()
    dialog = page.get_by_test_id("import-dialog")
    bad = f"username,full_name\nnv{tag}a,Một\nNV{tag}A,Hai\nmember1,Ba\n"
    dialog.get_by_test_id("import-file").set_input_files(
        {"name": "sai.csv", "mimeType": "text/csv", "buffer": bad.encode()}
    )
    expect(dialog.get_by_test_id("import-row")).to_have_count(3)
    expect(dialog.locator("[data-line='3']")).to_contain_text("trùng với một dòng trước")
    expect(dialog.locator("[data-line='4']")).to_contain_text("đã có người dùng")
    expect(dialog.locator(".import-status")).to_contain_text("2 lỗi")
    expect(dialog.get_by_test_id("import-confirm")).to_be_hidden()
    check(page, artifacts, f"people-import-errors-{size}-vi")

    # The Windows-1258 file Excel writes, with semicolons and Vietnamese headers.
    good = (
        "Tên đăng nhập;Họ và tên;Chức vụ;Đơn vị\r\n"
        f"hoa{tag};Nguyễn Thị Hoà;Chủ tịch;UBND xã Hòa Bình\r\n"
        f"tuan{tag};Võ Minh Tuấn;Phó Chủ tịch;UBND xã Hòa Bình\r\n"
        f"giang{tag};Đặng Thị Hương Giang;Ủy viên;Phòng Tài chính – Kế hoạch\r\n"
    )
    dialog.get_by_test_id("import-file").set_input_files(
        {"name": "danh-sach.csv", "mimeType": "text/csv", "buffer": to_cp1258(good)}
    )
    expect(dialog.locator(".row-ok")).to_have_count(3)
    expect(dialog.locator("[data-line='4']")).to_contain_text("Đặng Thị Hương Giang")
    expect(dialog.locator("[data-line='4']")).to_contain_text("Phòng Tài chính – Kế hoạch")
    expect(dialog.get_by_test_id("import-confirm")).to_have_text("Nhập 3 người")
    check(page, artifacts, f"people-import-preview-{size}-vi")
    dialog.get_by_test_id("import-confirm").click()
    expect(dialog.get_by_test_id("imported-person")).to_have_count(3)
    expect(dialog.locator(".import-status")).to_have_text("Đã nhập 3 người.")
    check(page, artifacts, f"people-import-passwords-{size}-vi")
    tuan = dialog.get_by_test_id("imported-person").nth(1)
    expect(tuan).to_contain_text(f"tuan{tag}")
    tuan_password = tuan.locator(".password-cell").inner_text()
    dialog.get_by_test_id("import-close").click()
    expect(row(page, f"tuan{tag}")).to_contain_text("Phó Chủ tịch")
    sign_in_as(new_context, f"tuan{tag}", tuan_password)

    # Create a person: the generated password is shown once.
    page.get_by_test_id("person-add").click()
    form = page.get_by_test_id("person-dialog")
    form.get_by_test_id("person-username").fill(f"lan{tag}")
    form.get_by_test_id("person-name").fill("Trần Thị Lan")
    form.get_by_test_id("person-title").fill("Chuyên viên")
    form.get_by_test_id("person-unit").fill("Văn phòng HĐND")
    check(page, artifacts, f"people-create-{size}-vi")
    form.get_by_test_id("person-save").click()
    shown = page.get_by_test_id("password-dialog")
    expect(shown).to_contain_text("chỉ hiện MỘT LẦN")
    lan_password = shown.get_by_test_id("new-password").input_value()
    assert len(lan_password) >= 16
    check(page, artifacts, f"people-password-once-{size}-vi")
    shown.get_by_test_id("password-done").click()
    expect(shown).to_be_hidden()
    expect(row(page, f"lan{tag}")).to_contain_text("Văn phòng HĐND")

    # Edit: a new title, saved.
    row(page, f"lan{tag}").get_by_test_id("person-edit").click()
    form = page.get_by_test_id("person-dialog")
    expect(form.get_by_test_id("person-username")).to_be_disabled()
    form.get_by_test_id("person-title").fill("Phó Chánh Văn phòng")
    check(page, artifacts, f"people-edit-{size}-vi")
    form.get_by_test_id("person-save").click()
    expect(form).to_be_hidden()
    expect(row(page, f"lan{tag}")).to_contain_text("Phó Chánh Văn phòng")
    sign_in_as(new_context, f"lan{tag}", lan_password)

    # Deactivate, from the person's dialog, after a confirmation.
    row(page, f"lan{tag}").get_by_test_id("person-edit").click()
    form = page.get_by_test_id("person-dialog")
    form.get_by_test_id("toggle-active").click()
    expect(page.get_by_test_id("dialog-confirm")).to_have_text("Khóa tài khoản")
    check(page, artifacts, f"people-deactivate-confirm-{size}-vi")
    page.get_by_test_id("dialog-confirm").click()
    expect(form.get_by_test_id("toggle-active")).to_have_text("Mở khóa tài khoản")
    form.get_by_test_id("person-cancel").click()
    expect(row(page, f"lan{tag}").get_by_test_id("person-status")).to_have_text("Đã khóa")

    # Reset the imported person's password: the old one stops working, the new one works.
    row(page, f"tuan{tag}").get_by_test_id("person-edit").click()
    form = page.get_by_test_id("person-dialog")
    form.get_by_test_id("reset-password").click()
    page.get_by_test_id("dialog-confirm").click()
    shown = page.get_by_test_id("password-dialog")
    new_password = shown.get_by_test_id("new-password").input_value()
    assert new_password != tuan_password
    shown.get_by_test_id("password-done").click()
    form.get_by_test_id("person-cancel").click()
    sign_in_as(new_context, f"tuan{tag}", new_password)

    # Search ignores diacritics.
    page.get_by_test_id("people-search").fill(f"huong giang {tag}")
    expect(page.get_by_test_id("person-row")).to_have_count(1)
    expect(page.get_by_test_id("person-row")).to_contain_text("Đặng Thị Hương Giang")
    check(page, artifacts, f"people-search-{size}-vi")


def test_the_people_screen_fits_a_portrait_tablet(new_context: NewContext, artifacts: Path) -> None:
    page = sign_in(new_context(viewport=PORTRAIT), "admin")
    page.get_by_test_id("nav-people").click()
    expect(row(page, "member1")).to_be_visible()
    check(page, artifacts, "people-list-portrait-vi")
    page.locator(".lang-button[data-lang=en]").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    row(page, "member1").get_by_test_id("person-edit").click()
    expect(page.get_by_test_id("reset-password")).to_have_text("Reset the password")
    check(page, artifacts, "people-edit-portrait-en")
    page.get_by_test_id("person-cancel").click()
    page.locator(".lang-button[data-lang=vi]").click()


def test_a_member_gets_no_people_screen(new_context: NewContext) -> None:
    page = sign_in(new_context(), "member2")
    expect(page.get_by_test_id("nav-people")).to_be_hidden()
    page.goto("/#/admin/people")
    expect(page.locator(".message-text")).to_have_text("Chỉ quản trị viên mới mở được trang này.")
