"""The demo's fixed parts: when its meeting is scheduled, and its agenda plan."""

from __future__ import annotations

import unicodedata
from datetime import date

from ecabinet.demo import PEOPLE, next_working_day
from ecabinet.demo_documents import DOCUMENTS, render_html
from ecabinet.demo_documents.plan import AGENDA, walk


def test_the_demo_meeting_is_on_the_next_working_day() -> None:
    assert next_working_day(date(2026, 12, 3)) == date(2026, 12, 4)  # Thursday -> Friday
    assert next_working_day(date(2026, 12, 4)) == date(2026, 12, 7)  # Friday -> Monday
    assert next_working_day(date(2026, 12, 5)) == date(2026, 12, 7)  # Saturday -> Monday
    assert next_working_day(date(2026, 12, 6)) == date(2026, 12, 7)  # Sunday -> Monday


def test_the_plan_names_roster_presenters_and_every_document_once() -> None:
    on_roster = {p.username for p in PEOPLE if p.role is not None}
    items = list(walk())
    assert 5 <= len(AGENDA) <= 8
    assert len({item.key for item, _parent in items}) == len(items)
    assert all(item.presenter in on_roster for item, _parent in items)
    attached = [key for item, _parent in items for key in item.documents]
    assert sorted(attached) == sorted(d.key for d in DOCUMENTS)
    for item, _parent in items:
        assert item.title == unicodedata.normalize("NFC", item.title)


def test_documents_render_the_same_html_in_nfc_for_the_same_people() -> None:
    people = {p.username: p.display_name for p in PEOPLE}
    for document in DOCUMENTS:
        html = render_html(document.key, people)
        assert html == render_html(document.key, people)
        assert html == unicodedata.normalize("NFC", html)
        assert "DỮ LIỆU MẪU" in html and "Hòa Lâm" in html
