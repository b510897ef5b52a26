"""Sign-in, sign-out and the language switch."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import NewContext, sign_in

pytestmark = pytest.mark.e2e

STATUS_TEXTS = {
    "vi": {"scheduled": "Sắp diễn ra", "live": "Đang họp", "ended": "Đã kết thúc"},
    "en": {"scheduled": "Scheduled", "live": "In session", "ended": "Ended"},
}


def test_wrong_password_shows_the_error_and_stays_on_sign_in(new_context: NewContext) -> None:
    page = new_context().new_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"#/login$"))
    page.locator("#login-username").fill("member8")
    page.locator("#login-password").fill("sai-mật-khẩu")
    page.locator("form.login-form button[type=submit]").click()
    expect(page.get_by_test_id("login-error")).to_have_text(
        "Tên đăng nhập hoặc mật khẩu không đúng."
    )
    expect(page).to_have_url(re.compile(r"#/login$"))
    # The message follows the language, as every other text.
    page.locator(".lang-button[data-lang=en]").click()
    expect(page.get_by_test_id("login-error")).to_have_text("Wrong user name or password.")


def test_empty_fields_are_caught_before_sending(new_context: NewContext) -> None:
    page = new_context().new_page()
    page.goto("/#/login")
    page.locator("form.login-form button[type=submit]").click()
    expect(page.get_by_test_id("login-error")).to_have_text(
        "Vui lòng nhập tên đăng nhập và mật khẩu."
    )


def test_language_switch_changes_texts_and_is_remembered(new_context: NewContext) -> None:
    context = new_context()
    page = sign_in(context, "chair")
    expect(page.locator("h1")).to_have_text("Phiên họp của tôi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_test_id("sign-out")).to_have_text("Đăng xuất")
    badge = page.get_by_test_id("status").first
    status = badge.get_attribute("data-status")
    expect(badge).to_have_text(STATUS_TEXTS["vi"][status or ""])

    page.locator(".lang-button[data-lang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("My meetings")
    expect(page.get_by_test_id("sign-out")).to_have_text("Sign out")
    expect(page.get_by_test_id("refresh")).to_have_text("Refresh")
    expect(badge).to_have_text(STATUS_TEXTS["en"][status or ""])
    expect(page.locator(".lang-button[data-lang=en]")).to_have_attribute("aria-pressed", "true")
    # Content from the server stays as written; dates follow the language.
    expect(page.get_by_test_id("meeting-card").first).to_contain_text("Chair")

    page.reload()
    expect(page.locator("h1")).to_have_text("My meetings")
    page.locator(".lang-button[data-lang=vi]").click()
    expect(page.locator("h1")).to_have_text("Phiên họp của tôi")
    assert page.evaluate("localStorage.getItem('ecabinet.lang')") == "vi"


def test_both_languages_have_every_string(new_context: NewContext) -> None:
    page = new_context().new_page()
    page.goto("/#/login")
    result = page.evaluate(
        """async () => {
            const { STRINGS } = await import("/static/js/i18n.js");
            const vi = Object.keys(STRINGS.vi).sort(), en = Object.keys(STRINGS.en).sort();
            const empty = [...Object.entries(STRINGS.vi), ...Object.entries(STRINGS.en)]
                .filter(([, text]) => !text.trim()).map(([key]) => key);
            return {
                onlyVi: vi.filter((k) => !en.includes(k)),
                onlyEn: en.filter((k) => !vi.includes(k)),
                empty,
                notNfc: Object.values(STRINGS.vi).filter((s) => s !== s.normalize("NFC")),
            };
        }"""
    )
    assert result == {"onlyVi": [], "onlyEn": [], "empty": [], "notNfc": []}


def test_every_error_code_has_a_message(new_context: NewContext) -> None:
    from ecabinet.errors import ERROR_CODES

    page = new_context().new_page()
    page.goto("/#/login")
    missing = page.evaluate(
        """async (codes) => {
            const { STRINGS } = await import("/static/js/i18n.js");
            return codes.filter((c) => !(`error.${c}` in STRINGS.vi && `error.${c}` in STRINGS.en));
        }""",
        sorted(ERROR_CODES),
    )
    assert missing == []


def test_sign_out_ends_the_session(new_context: NewContext, base_url: str) -> None:
    context = new_context()
    page = sign_in(context, "member2")
    token = next(c["value"] for c in context.cookies() if c["name"] == "ecabinet_session")
    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url(re.compile(r"#/login$"))
    expect(page.get_by_test_id("sign-out")).to_be_hidden()
    me = httpx.get(f"{base_url}/api/me", cookies={"ecabinet_session": token})
    assert me.status_code == 401
    # The app asks for sign-in again when opening a meeting address directly.
    page.goto("/#/meetings")
    expect(page).to_have_url(re.compile(r"#/login$"))
