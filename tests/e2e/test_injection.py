"""Markup typed by people is shown as text on the tablet: a display name, an agenda title,
clerk notes, a decision, an annotation's text, a document's title and file name — each an
HTML/script payload made through the real commands and upload — appear literally, no script
runs, and no element of theirs enters the page."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.e2e.conftest import NewContext, open_room, sign_in
from tests.integration.test_injection import (
    AGENDA,
    ANNOTATION,
    DECISION,
    FILE_NAME,
    ITEM_NOTE,
    NAME,
    NOTE,
    TITLE,
    Payloaded,
    fill_a_meeting_with_payloads,
)

pytestmark = pytest.mark.e2e

# Any payload that ran would call one of these, or leave one of these elements behind.
TRAPS = """
  window.__ran = [];
  for (const name of ["alert", "confirm", "prompt"]) {
    window[name] = (message) => { window.__ran.push(String(message)); };
  }
"""
INJECTED = (
    "img[src='x'], svg[onload], iframe, a[href^='javascript:'], "
    "script:not([src]):not([type='importmap']), style:not([data-app])"
)


def fill(base_url: str) -> Payloaded:
    # Playwright's sync API owns this thread's event loop: run the sockets in another one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, fill_a_meeting_with_payloads(base_url)).result()


def assert_nothing_ran(page: Page, dialogs: list[str]) -> None:
    assert dialogs == []
    assert page.evaluate("window.__ran") == []
    injected = page.evaluate(
        f"[...document.querySelectorAll({INJECTED!r})].map((e) => e.outerHTML.slice(0, 120))"
    )
    assert injected == [], injected
    assert page.evaluate("getComputedStyle(document.body).display") != "none"


def test_payloads_are_shown_as_text_and_nothing_runs(
    new_context: NewContext, base_url: str
) -> None:
    world = fill(base_url)
    dialogs: list[str] = []
    context = new_context()
    context.add_init_script(TRAPS)
    page = sign_in(context, "clerk")

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    open_room(page, world.meeting)
    expect(page.get_by_test_id("roster")).to_contain_text(NAME)
    expect(page.get_by_test_id("agenda")).to_contain_text(AGENDA)
    expect(page.get_by_test_id("document").filter(has_text=TITLE)).to_have_count(1)
    expect(page.get_by_test_id("minutes-decision")).to_contain_text(DECISION)
    notes = page.evaluate(
        "[...document.querySelectorAll('[data-testid=minutes-note]')].map((n) => n.value)"
    )
    assert NOTE in notes or ITEM_NOTE in notes, notes
    assert_nothing_ran(page, dialogs)

    page.get_by_test_id("document").filter(has_text=TITLE).click()
    expect(page.get_by_test_id("page-indicator")).to_have_text("Trang 1/1")
    expect(page.get_by_test_id("download").first).to_have_attribute("download", FILE_NAME)
    # The shared note is drawn on the page as a pin labelled with its text (as text).
    expect(page.get_by_test_id("ann-layer").first).to_be_attached()
    page.wait_for_function(
        "(text) => [...document.querySelectorAll('[aria-label], [title]')]"
        ".some((e) => e.getAttribute('aria-label') === text || e.title === text)",
        arg=ANNOTATION,
    )
    page.wait_for_timeout(500)
    assert_nothing_ran(page, dialogs)
