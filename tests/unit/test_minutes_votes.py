"""How the minutes word a vote: the base, the number needed, yes / no / abstain, who did not
take part and who was absent, each apart, with the result — in every layout. The meeting is
the reported one: 9 voting members, 6 present, 1 "yes", the chair abstains, 4 never vote."""

from __future__ import annotations

import re
from typing import Any

import pytest

import voting
from ecabinet.minutes import render, sample
from tests.unit.test_minutes_render import build

QUORUM = {"kind": "fraction", "fraction": [2, 3], "strict": False}
PRESENT = (1, 2, 3, 4, 5, 6, 7)  # the chair, the clerk and members 3–7: 6 voting members
NOT_VOTED = "Phạm Thị Ngọc Ánh, Đặng Thị Hương Giang, Huỳnh Văn Phước, Võ Minh Tuấn"


def _meeting(
    committee: voting.CommitteeRules = voting.DEFAULT_RULES, **rule: Any
) -> sample.SampleMeeting:
    m = sample.SampleMeeting(committee=committee)
    m.run("meeting.start", sample.CHAIR)
    for uid in PRESENT:
        m.run("attendance.check_in", sample.CLERK, {"user_id": uid})
    definition = {"title": "Phê duyệt đề án", "kind": "yes_no_abstain", "secret": False}
    m.run("poll.create", sample.CHAIR, {**definition, "allow_change": False, **rule})
    m.run("poll.open", sample.CHAIR, {"poll_id": 1})
    m.run("vote.cast", 3, {"poll_id": 1, "choice": "yes"})
    m.run("vote.cast", sample.CHAIR, {"poll_id": 1, "choice": "abstain"})
    m.run("poll.close", sample.CHAIR, {"poll_id": 1})
    m.run("meeting.end", sample.CHAIR)
    return m


def _poll_text(layout: str, meeting: sample.SampleMeeting) -> str:
    html = render.render_html(build(layout, meeting))
    block = html[html.index('<div class="poll">') :]
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


@pytest.fixture(scope="module")
def absolute() -> sample.SampleMeeting:
    """Defined without a rule: the sample has no committee, so voting's defaults apply
    (more than half of all members), as for any committee kind."""
    return _meeting()


def test_state_minutes_of_1_yes_of_9_members_say_not_adopted_with_5_needed_of_9(
    absolute: sample.SampleMeeting,
) -> None:
    text = _poll_text("state", absolute)
    assert "cần ít nhất 5 phiếu tán thành trên tổng số 9 thành viên" in text
    assert "Tán thành: 1 thành viên (11,1%)" in text
    assert "Không tán thành: 0 thành viên (0%)" in text
    assert "Không biểu quyết: 1 thành viên (11,1%)" in text
    assert f"Không tham gia biểu quyết: 4 thành viên (44,4%) — {NOT_VOTED}" in text
    assert "Vắng mặt khi biểu quyết: 3 thành viên (33,3%)" in text
    assert "Kết quả: Không thông qua (1/9 phiếu tán thành, cần ít nhất 5)" in text
    assert "Kết quả: Thông qua" not in text


def test_party_minutes_keep_other_views_for_abstentions_only_as_shares_of_all_9() -> None:
    text = _poll_text("party", _meeting())
    assert "Tán thành: 1 đồng chí (đạt 11,1%)" in text
    assert "Ý kiến khác: 1 đồng chí (11,1%)" in text  # the chair's abstention, nothing else
    assert "Không tham gia biểu quyết: 4 đồng chí (44,4%)" in text
    assert "Vắng mặt khi biểu quyết: 3 đồng chí (33,3%)" in text


def test_english_minutes_say_5_votes_in_favour_needed_out_of_all_9_members(
    absolute: sample.SampleMeeting,
) -> None:
    text = _poll_text("en", absolute)
    assert "at least 5 votes in favour needed out of all 9 members" in text
    assert "For: 1 member (11.1%)" in text and "Abstained: 1 member (11.1%)" in text
    assert "Did not vote: 4 members (44.4%)" in text
    assert "Result: Not adopted (1 of 9 votes in favour, at least 5 needed)" in text


def test_under_a_majority_of_votes_cast_1_yes_adopts_and_rows_outside_the_base_have_no_share() -> (
    None
):
    """The explicit ``simple`` rule: the minutes show how little adopted it."""
    text = _poll_text("state", _meeting(majority="simple", quorum=QUORUM))
    assert "cần ít nhất 1 phiếu tán thành trên 1 phiếu tán thành và không tán thành" in text
    assert "Tán thành: 1 thành viên (100%)" in text
    assert "Không biểu quyết: 1 thành viên Không tham gia biểu quyết: 4 thành viên" in text
    assert "Kết quả: Thông qua (1/1 phiếu tán thành, cần ít nhất 1)" in text


def test_a_secret_poll_counts_who_did_not_vote_without_naming_them() -> None:
    m = sample.SampleMeeting()
    m.run("meeting.start", sample.CHAIR)
    for uid in PRESENT:
        m.run("attendance.check_in", sample.CLERK, {"user_id": uid})
    m.run(
        "poll.create",
        sample.CHAIR,
        {"title": "Bầu bổ sung", "kind": "yes_no_abstain", "secret": True, "allow_change": False},
    )
    m.run("poll.open", sample.CHAIR, {"poll_id": 1})
    m.run("vote.cast", 3, {"poll_id": 1, "choice": "yes"})
    m.run("poll.close", sample.CHAIR, {"poll_id": 1})
    m.run("meeting.end", sample.CHAIR)
    text = _poll_text("state", m)
    # Counted, not named: the absent row follows at once.
    assert "Không tham gia biểu quyết: 5 thành viên (55,6%) Vắng mặt khi biểu quyết" in text


@pytest.mark.parametrize("kind", list(voting.CommitteeKind))
@pytest.mark.parametrize("layout", ["state", "party", "en"])
def test_under_each_committee_kinds_defaults_1_yes_of_9_is_never_adopted_in_the_minutes(
    kind: voting.CommitteeKind, layout: str
) -> None:
    """A poll defined with the committee's defaults (no majority, no quorum in the
    definition), 1 yes of 9 members with 6 present: every layout says not adopted and
    gives the statutory numbers."""
    text = _poll_text(layout, _meeting(voting.committee_rules(kind)))
    if layout == "en":
        assert "Result: Not adopted" in text and "Result: Adopted" not in text
        assert "out of all 9 members" in text
    else:
        assert "Kết quả: Không thông qua" in text and "Kết quả: Thông qua" not in text
        assert "trên tổng số 9" in text
