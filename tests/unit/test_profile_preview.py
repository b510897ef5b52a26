"""The back office's live preview of a minutes profile draws the header the minutes print: for
each layout, the header of a meeting's minutes not numbered yet and the preview of the same
profile, committee and date are the same HTML; and user text stays text."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ecabinet.minutes import profile, record, render, sample
from ecabinet.minutes.profile import MinutesProfile

HEADER = re.compile(r'<table class="head">.*?</table>|<div class="en-head">.*?</div>\n</div>', re.S)
CASES = {
    "state": ("Ủy ban nhân dân tỉnh Hòa Lâm", "peoples_committee", ""),
    "party": ("Đảng ủy xã Hòa Lâm", "party", "Đảng bộ tỉnh Hòa Lâm"),
    "en": ("Ủy ban nhân dân tỉnh Hòa Lâm", "peoples_committee", ""),
}


@pytest.fixture(scope="module")
def meeting() -> sample.SampleMeeting:
    return sample.play_for_layout()


def _minutes_html(layout: str, meeting: sample.SampleMeeting, chosen: MinutesProfile) -> str:
    name, kind, _ = CASES[layout]
    row: dict[str, Any] = {
        "id": 1,
        "committee_id": 1,
        "committee_name": name,
        "committee_rules": {"kind": kind},
        "title": "Phiên họp thường kỳ",
        "location": "Phòng họp số 1",
        "scheduled_at": "2026-12-01T08:00:00+07:00",
        "hash_rule": 2,
    }
    inputs = record.RecordInputs(
        row,
        meeting.roster_entries(),
        meeting.state,
        meeting.events,
        meeting.head_hash,
        chosen,
        layout,
        "",  # no number yet, as in the preview
        1,
        None,
        "2026-12-01T05:00:00.000Z",
    )
    return render.render_html(record.build_record(inputs))


@pytest.mark.parametrize("layout", list(CASES))
def test_the_preview_header_is_the_minutes_header(
    layout: str, meeting: sample.SampleMeeting
) -> None:
    name, kind, superior = CASES[layout]
    chosen = MinutesProfile(layout=layout, superior_body=superior)
    minutes = _minutes_html(layout, meeting, chosen)
    started = meeting.state.started_at
    assert started is not None
    preview = render.render_profile_preview(profile.preview_record(chosen, name, kind, started))
    printed, previewed = HEADER.search(minutes), HEADER.search(preview)
    assert printed and previewed
    assert printed.group() == previewed.group()
    assert (
        "Hòa Lâm, 1 December 2026" if layout == "en" else "Hòa Lâm, ngày 01 tháng 12 năm 2026"
    ) in printed.group()


def test_the_preview_escapes_user_text() -> None:
    hostile = MinutesProfile(official_name='<b>"x"</b>', place="<i>Hà</i>")
    page = render.render_profile_preview(
        profile.preview_record(hostile, "Ban", "other", "2026-12-01T01:00:00Z")
    )
    assert "<b>" not in page and "<i>" not in page
    assert "&lt;b&gt;&#34;x&#34;&lt;/b&gt;" in page
