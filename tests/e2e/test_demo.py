"""The demo walk-through of README: a member opens the demo meeting, finds its agenda
(items, sub-items, presenters, planned times) and its documents, and reads one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ecabinet.demo_documents import BY_KEY
from ecabinet.demo_documents.plan import AGENDA, walk
from tests.e2e.conftest import NAMES, NewContext, sign_in

pytestmark = pytest.mark.e2e

SMALL_LANDSCAPE = {"width": 1024, "height": 768}  # an older 9.7" tablet, in CSS pixels


def test_a_member_opens_the_demo_meeting_sees_its_agenda_and_reads_a_document(
    new_context: NewContext, demo_meeting: int, artifacts: Path
) -> None:
    member = sign_in(new_context(viewport=SMALL_LANDSCAPE), "member1")
    card = member.locator(f"[data-testid=meeting-card][data-meeting-id='{demo_meeting}']")
    expect(card).to_be_visible()
    card.click()
    expect(member.get_by_test_id("connection")).to_have_attribute("data-state", "live")

    # The agenda as planned: every item and sub-item, numbered, with its presenter and time.
    rows = member.get_by_test_id("agenda-item")
    expect(rows).to_have_count(len(list(walk())))
    expect(rows.first).to_contain_text(AGENDA[0].title)
    sub_item = member.locator("[data-testid=agenda-item][data-number='2.1']")
    expect(sub_item).to_contain_text(AGENDA[1].children[0].title)
    expect(sub_item).to_contain_text(NAMES[AGENDA[1].children[0].presenter])
    expect(sub_item).to_contain_text(str(AGENDA[1].children[0].planned_minutes))

    # The documents, and one opened: its first page drawn, its Vietnamese text selectable.
    documents = member.get_by_test_id("document")
    expect(documents).to_have_count(4)
    report = BY_KEY["bao-cao"]
    documents.filter(has_text=report.title).click()
    expect(member.get_by_test_id("page-indicator")).to_have_text(re.compile(r"^Trang 1/\d+$"))
    expect(member.get_by_test_id("pdf-scroll")).to_have_attribute(
        "data-rendered", re.compile(r":1:")
    )
    expect(member.get_by_test_id("pdf-text")).to_contain_text("TỈNH HÒA LÂM")
    expect(member.get_by_test_id("pdf-text")).to_contain_text("Tốc độ tăng trưởng GRDP")
    member.screenshot(path=artifacts / "demo-member-agenda-document-1024x768-vi.png")
    member.screenshot(path=artifacts / "demo-member-full-page-1024-vi.png", full_page=True)
