"""How the minutes word an election and a confidence vote: every candidate with votes and
share, who is elected and who is tied for the last seat; each person's three levels with
count and share, and who is flagged. 9 voting members, 7 present (sample meeting)."""

from __future__ import annotations

from typing import Any

from ecabinet.minutes import sample
from tests.unit.test_minutes_votes import PRESENT, _poll_text

# Voting members present: the chair (1) and members 3–7 → 6 ballots of 9 members.
VOTERS = [sample.CHAIR, 3, 4, 5, 6, 7]


def _meeting(
    definition: dict[str, Any],
    choices: list[Any],
    present: tuple[int, ...] = PRESENT,
    voters: list[int] = VOTERS,
) -> sample.SampleMeeting:
    m = sample.SampleMeeting()
    m.run("meeting.start", sample.CHAIR)
    for uid in present:
        m.run("attendance.check_in", sample.CLERK, {"user_id": uid})
    m.run("poll.create", sample.CHAIR, {"secret": True, "allow_change": False, **definition})
    m.run("poll.open", sample.CHAIR, {"poll_id": 1})
    for voter, choice in zip(voters, choices, strict=False):
        m.run("vote.cast", voter, {"poll_id": 1, "choice": choice})
    m.run("poll.close", sample.CHAIR, {"poll_id": 1})
    m.run("meeting.end", sample.CHAIR)
    return m


ELECTION = {
    "title": "Bầu Phó Chủ tịch",
    "kind": "election",
    "options": ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"],
    "max_choices": 1,
    "quorum": {"kind": "none"},
}


def test_election_minutes_give_every_candidate_votes_and_share_of_9_and_who_is_elected() -> None:
    text = _poll_text("state", _meeting(ELECTION, [[0]] * 5 + [[1]]))
    assert "1 ghế; mỗi ứng cử viên cần ít nhất 5 phiếu trên tổng số 9 thành viên" in text
    assert "Nguyễn Văn An: 5 phiếu (55,6%) — trúng cử" in text
    assert "Trần Thị Bình: 1 phiếu (11,1%)" in text
    assert "Lê Văn Cường: 0 phiếu (0%)" in text
    assert "Không tham gia biểu quyết: 0 thành viên" in text
    assert "Kết quả: Trúng cử: Nguyễn Văn An" in text


def test_election_minutes_report_a_tie_for_the_last_seat_and_elect_neither() -> None:
    everyone = [sample.CHAIR, *sample.MEMBERS]
    ballots = [[0, 1]] * 3 + [[0, 2]] * 3 + [[0]] + [[1, 2]] * 2  # 7, 5, 5 of 9
    m = _meeting({**ELECTION, "max_choices": 2}, ballots, (1, 2, *sample.MEMBERS), everyone)
    text = _poll_text("en", m)
    assert "Nguyễn Văn An: 7 votes (77.8%) — elected" in text
    assert "Trần Thị Bình: 5 votes (55.6%) — tied for the last seat" in text
    assert "Lê Văn Cường: 5 votes (55.6%) — tied for the last seat" in text
    assert (
        "Result: Elected: Nguyễn Văn An; Tied for the last seat, a new round among: "
        "Trần Thị Bình, Lê Văn Cường" in text
    )


def test_confidence_minutes_give_each_level_with_count_and_share_of_ballots_and_the_flag() -> None:
    definition = {
        "title": "Lấy phiếu tín nhiệm",
        "kind": "confidence",
        "options": ["Nguyễn Văn An", "Trần Thị Bình"],
        "quorum": {"kind": "none"},
    }
    text = _poll_text("state", _meeting(definition, [[2, 0]] * 4 + [[0, 1]] * 2))
    assert "Từ 4 phiếu tín nhiệm thấp trên 6 phiếu thu về là quá nửa phiếu tín nhiệm thấp" in text
    assert "Nguyễn Văn An — tín nhiệm cao: 2 phiếu (33,3%)" in text
    assert "Nguyễn Văn An — tín nhiệm thấp: 4 phiếu (66,7%) — quá nửa phiếu tín nhiệm thấp" in text
    assert "Trần Thị Bình — tín nhiệm: 2 phiếu (33,3%)" in text
    assert "Trần Thị Bình — tín nhiệm thấp: 0 phiếu (0%) " in text
    assert "Kết quả: Có quá nửa phiếu tín nhiệm thấp: Nguyễn Văn An" in text
    assert "Thông qua" not in text
