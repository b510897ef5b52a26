"""The minutes of votes the clerk handled: a named vote the clerk recorded is marked in the
roll call, and a secret poll's paper ballots are given in numbers (issued, returned, valid,
invalid) beside a count that includes them."""

from __future__ import annotations

import re

from ecabinet.minutes import render, sample
from tests.unit.test_minutes_render import build

PRESENT = (1, 2, 3, 4, 5, 6, 7)  # the chair, the clerk and members 3–7: 6 voting members


def _meeting(secret: bool) -> sample.SampleMeeting:
    m = sample.SampleMeeting()
    m.run("meeting.start", sample.CHAIR)
    for uid in PRESENT:
        m.run("attendance.check_in", sample.CLERK, {"user_id": uid})
    definition = {"title": "Phê duyệt đề án", "kind": "yes_no_abstain", "secret": secret}
    m.run("poll.create", sample.CHAIR, {**definition, "allow_change": False})
    m.run("poll.open", sample.CHAIR, {"poll_id": 1})
    return m


def _poll_text(layout: str, meeting: sample.SampleMeeting) -> str:
    html = render.render_html(build(layout, meeting))
    block = html[html.index('<div class="poll">') :]
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


def test_the_roll_call_marks_the_vote_the_clerk_recorded_and_only_that_one() -> None:
    m = _meeting(secret=False)
    m.run("vote.record", sample.CLERK, {"poll_id": 1, "voter_id": 4, "choice": "yes"})
    m.run("vote.cast", 3, {"poll_id": 1, "choice": "yes"})
    m.run("poll.close", sample.CHAIR, {"poll_id": 1})
    m.run("meeting.end", sample.CHAIR)
    names = {uid: name for uid, name, _ in sample.PEOPLE}
    state = _poll_text("state", m)
    assert f"{names[4]} (thư ký ghi nhận)" in state
    assert f"{names[3]} (thư ký ghi nhận)" not in state
    assert f"{names[4]} (recorded by the clerk)" in _poll_text("en", m)


def test_a_secret_poll_with_2_paper_ballots_gives_their_numbers_and_counts_them() -> None:
    m = _meeting(secret=True)
    m.run("vote.cast", 3, {"poll_id": 1, "choice": "yes"})
    for uid in (4, 5):
        m.run("vote.mark_paper", sample.CLERK, {"poll_id": 1, "voter_id": uid})
    tally = {"issued": 2, "returned": 2, "valid": 1, "invalid": 1, "counts": [1, 0]}
    m.run("poll.paper_tally", sample.CLERK, {"poll_id": 1, **tally})
    m.run("poll.close", sample.CHAIR, {"poll_id": 1})
    m.run("meeting.end", sample.CHAIR)
    state = _poll_text("state", m)
    assert "Tán thành: 2 thành viên" in state
    assert (
        "Phiếu giấy (Ban kiểm phiếu): phát ra 2, thu vào 2, hợp lệ 1, không hợp lệ 1; "
        "đã tính vào kết quả." in state
    )
    assert "Paper ballots (ballot-counting board): 2 issued, 2 returned, 1 valid, 1 invalid" in (
        _poll_text("en", m)
    )


def test_a_secret_poll_without_paper_ballots_says_nothing_of_them() -> None:
    m = _meeting(secret=True)
    m.run("vote.cast", 3, {"poll_id": 1, "choice": "yes"})
    m.run("poll.close", sample.CHAIR, {"poll_id": 1})
    m.run("meeting.end", sample.CHAIR)
    assert "Phiếu giấy" not in _poll_text("state", m)
