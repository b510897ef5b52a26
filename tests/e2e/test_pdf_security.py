"""pdf.js with hostile input: a PDF crafted for the font-matrix code injection of
CVE-2024-4367 is opened on a tablet and no script of it runs."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import ConsoleMessage, Dialog, expect

from tests.e2e.conftest import NewContext, open_room, sign_in, upload_pdf
from tests.e2e.pdf_files import CVE_MARKER, font_matrix_injection_pdf

pytestmark = pytest.mark.e2e


def test_a_font_matrix_payload_does_not_run(
    new_context: NewContext, fresh_meeting: Callable[..., int], base_url: str
) -> None:
    meeting = fresh_meeting()
    upload_pdf(base_url, meeting, font_matrix_injection_pdf(), title="Tài liệu lạ")

    page = sign_in(new_context(), "chair")
    dialogs: list[str] = []
    console: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        console.append(message.text)

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    open_room(page, meeting)
    page.get_by_test_id("document").filter(has_text="Tài liệu lạ").click()
    # The page is drawn (or refused) by pdf.js; either way it is done with the font.
    expect(page.get_by_test_id("page-indicator")).to_have_text("Trang 1/1")
    page.wait_for_function(
        """() => {
            const scroll = document.querySelector("[data-testid=pdf-scroll]");
            const empty = document.querySelector("[data-testid=viewer-empty]");
            return Boolean(scroll?.dataset.rendered) || (empty && !empty.hidden);
        }"""
    )
    page.wait_for_timeout(1000)
    assert dialogs == []
    assert not any(CVE_MARKER in text for text in console)
    assert page.evaluate(f"typeof window.{CVE_MARKER}") == "undefined"
    # And the page's policy would refuse eval to anything that tried.
    policy = httpx.get(f"{base_url}/").headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-eval" not in policy
