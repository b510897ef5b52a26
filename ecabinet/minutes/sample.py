"""A synthetic meeting played through the real decisions and fold, in memory: for tests of
the record and the rendering, and for timing large minutes (50 items, 30 polls).

It decides every command with the same table the server uses (``COMMANDS``) and folds the
events, so what it builds is a meeting the server could have recorded; only the database
(hash chain, ballots table) is left out. ``ecabinet demo --simulate`` plays a meeting
through the server's command path instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import voting
from ecabinet.events import Event, iso_utc
from ecabinet.meetings import rules
from ecabinet.meetings.commands import COMMANDS
from ecabinet.meetings.repo import RosterEntry
from ecabinet.meetings.rules import Actor, Context, MeetingState, Role
from ecabinet.store.eventlog import GENESIS_HASH, HASH_RULE_NEW, event_hash

PEOPLE = (
    (1, "Nguyễn Văn Hùng", Role.CHAIR),
    (2, "Trần Thị Thu Hằng", Role.CLERK),
    (3, "Lê Quang Đức", Role.MEMBER),
    (4, "Phạm Thị Ngọc Ánh", Role.MEMBER),
    (5, "Võ Minh Tuấn", Role.MEMBER),
    (6, "Đặng Thị Hương Giang", Role.MEMBER),
    (7, "Huỳnh Văn Phước", Role.MEMBER),
    (8, "Bùi Thị Mỹ Duyên", Role.MEMBER),
    (9, "Đỗ Trọng Nghĩa", Role.MEMBER),
    (10, "Ngô Thị Thanh Thủy", Role.MEMBER),
    (11, "Dương Khắc Lộc", Role.OBSERVER),
)
CHAIR, CLERK = 1, 2
MEMBERS = tuple(uid for uid, _, role in PEOPLE if role is Role.MEMBER)
START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam


@dataclass
class SampleMeeting:
    """A meeting being played: the state, the log with its hash chain, the clock."""

    now: datetime = START
    state: MeetingState = field(default_factory=MeetingState)
    events: list[Event] = field(default_factory=list)
    head_hash: str = GENESIS_HASH
    sealed: dict[int, list[voting.SealedBallot]] = field(default_factory=dict)
    roster: dict[int, Role] = field(default_factory=lambda: {u: r for u, _, r in PEOPLE})
    # The committee's rules, which a poll defined without majority or quorum takes.
    committee: voting.CommitteeRules = voting.DEFAULT_RULES

    def run(
        self, type_: str, user_id: int, data: dict[str, Any] | None = None, *, secs: int = 20
    ) -> list[Event]:
        """Decide and fold one command ``secs`` seconds after the previous one."""
        self.now += timedelta(seconds=secs)
        at = iso_utc(self.now)
        data = data or {}
        extra = self._extra(type_, data)
        ctx = Context(Actor(user_id, self.roster[user_id]), data, self.roster, at, extra)
        decided = COMMANDS[type_].decide(self.state, ctx)
        if type_ == "vote.cast":
            self._seal(ctx)
        stored: list[Event] = []
        for new in decided:
            seq = self.state.seq + len(stored) + 1
            digest = event_hash(
                self.head_hash, seq, new.type, user_id, at, new.data, rule=HASH_RULE_NEW
            )
            stored.append(Event(1, seq, new.type, user_id, at, new.data, digest))
            self.head_hash = digest
        self.state = rules.fold(self.state, stored)
        self.events += stored
        return stored

    def _extra(self, type_: str, data: dict[str, Any]) -> Any:
        if type_ == "poll.close":
            return self.sealed.get(data["poll_id"], [])
        if type_ == "minutes.generate":
            return self.head_hash
        if type_ in ("poll.create", "poll.update"):
            return self.committee
        return None

    def _seal(self, ctx: Context) -> None:
        from ecabinet.meetings.polls import room

        voter = voting.Actor(ctx.actor.user_id, ctx.actor.role.value)
        ballot = voting.ballot_for(
            self.state.voting, ctx.data, voter, ctx.now, room(self.state, ctx)
        )
        if ballot.secret:
            receipt = hashlib.sha256(f"{ballot.voter_id}:{ctx.now}".encode()).hexdigest()[:16]
            self.sealed.setdefault(ballot.poll_id, []).append(ballot.seal(receipt))

    def roster_entries(self) -> list[RosterEntry]:
        return [RosterEntry(uid, name, role) for uid, name, role in PEOPLE]


YES_NO = {
    "kind": "yes_no_abstain",
    "allow_change": False,
    "majority": "absolute",
    "quorum": {"kind": "fraction", "fraction": [1, 2], "strict": True},
}
NOTE = (
    "Đồng chí {presenter} trình bày tờ trình; các đại biểu thảo luận về nguồn vốn, tiến độ "
    "và trách nhiệm của các sở, ngành. Chủ tọa kết luận: giao cơ quan chủ trì tiếp thu ý kiến, "
    "hoàn chỉnh hồ sơ trước ngày 15 tháng 12 năm 2026."
)


@dataclass(frozen=True)
class Cast:
    """Who plays the meeting: user ids of the chair, the clerk, the members (at least
    six; the last is absent with a proxy, the one before arrives late) and the others."""

    chair: int
    clerk: int
    members: tuple[int, ...]
    others: tuple[int, ...] = ()
    names: dict[int, str] = field(default_factory=dict)


Step = tuple[str, int, dict[str, Any], int]  # command type, sender, data, seconds after


UNREACHED_TITLES = (
    "Báo cáo kết quả thực hiện nhiệm vụ chuyển đổi số năm 2026",
    "Đề án sắp xếp trụ sở làm việc sau hợp nhất",
)


def script(
    cast: Cast, items: int = 4, polls: int = 2, not_discussed: int = 0, deferred: int = 0
) -> Iterator[Step]:
    """A complete meeting: ``items`` agenda items, ``polls`` polls (named and secret in
    turn, on the first items), two speakers per item, notes, decisions, an absentee with
    a proxy and a late arrival. Ids of items and polls are 1, 2, 3 … in a new meeting.
    After them, ``not_discussed`` items never taken up, then ``deferred`` items the chair
    defers to a later meeting (at most two of both together)."""
    chair, clerk, members = cast.chair, cast.clerk, cast.members
    absent, late = members[-1], members[-2]
    for i in range(items):
        title = f"Tờ trình số {i + 1:02d} về kế hoạch đầu tư công năm 2027 của ngành {i + 1}"
        kind = "decision" if i < polls else "discussion"
        presenter = members[i % len(members)]
        data = {"title": title, "kind": kind, "presenter_id": presenter, "planned_minutes": 15}
        yield ("agenda.item.add", clerk, data, 20)
    for title in UNREACHED_TITLES[: not_discussed + deferred]:
        data = {"title": title, "kind": "discussion", "planned_minutes": 10}
        yield ("agenda.item.add", clerk, data, 20)
    yield ("meeting.start", chair, {}, 600)
    for uid in (chair, clerk, *members, *cast.others):
        if uid not in (absent, late):
            yield ("attendance.check_in", clerk, {"user_id": uid}, 5)
    yield ("minutes.absence.set", clerk, {"user_id": absent, "reason": "Đi công tác"}, 20)
    yield ("proxy.grant", chair, {"grantor_id": absent, "holder_id": members[0]}, 20)
    opening = "Chủ tọa khai mạc, giới thiệu chương trình.\nThư ký báo cáo số thành viên có mặt."
    yield ("minutes.note.set", clerk, {"text": opening}, 20)
    for i in range(items):
        item_id = i + 1
        if i == 0:
            yield ("agenda.current.set", chair, {"item_id": item_id}, 60)
            yield ("attendance.check_in", clerk, {"user_id": late}, 700)
        else:
            yield ("agenda.next", chair, {}, 60)
        for speaker in (members[(i + 1) % 6], members[(i + 3) % 6]):
            yield ("speakers.request", speaker, {"item_id": item_id}, 10)
            yield ("speakers.grant", chair, {"user_id": speaker}, 5)
            yield ("speakers.end", chair, {}, 150)
        name = cast.names.get(members[i % len(members)], "")
        yield (
            "minutes.note.set",
            clerk,
            {"item_id": item_id, "text": NOTE.format(presenter=name)},
            20,
        )
        if i < polls:
            poll_id = i + 1
            secret = poll_id % 2 == 0
            poll: dict[str, Any] = {
                "title": f"Thông qua tờ trình số {i + 1:02d}",
                "secret": secret,
                "item_id": item_id,
                **YES_NO,
            }
            if not secret:  # as the poll form sends it by default: the committee's rules
                del poll["majority"], poll["quorum"]
            yield ("poll.create", chair, poll, 20)
            yield ("poll.open", chair, {"poll_id": poll_id}, 20)
            for n, voter in enumerate([chair, *members[:-1]]):
                choice = "no" if n == 2 else ("abstain" if n == 3 else "yes")
                yield ("vote.cast", voter, {"poll_id": poll_id, "choice": choice}, 3)
            proxy_vote = {"poll_id": poll_id, "choice": "yes", "on_behalf_of": absent}
            yield ("vote.cast", members[0], proxy_vote, 3)
            yield ("poll.close", chair, {"poll_id": poll_id}, 20)
            text = f"Hội nghị thông qua tờ trình số {i + 1:02d}."
            decision = {"item_id": item_id, "poll_id": poll_id, "text": text}
        else:
            text = "Giao Văn phòng tổng hợp ý kiến, báo cáo tại phiên họp sau."
            decision = {"item_id": item_id, "text": text}
        yield ("minutes.decision.record", clerk, decision, 20)
    for n in range(not_discussed, not_discussed + deferred):
        data = {"item_id": items + n + 1, "status": "deferred"}
        yield ("agenda.item.set_status", chair, data, 20)
    yield ("meeting.end", chair, {}, 120)


def play(
    items: int = 4, polls: int = 2, not_discussed: int = 0, deferred: int = 0
) -> SampleMeeting:
    """The script played in memory with the people of ``PEOPLE``."""
    m = SampleMeeting()
    names = {uid: name for uid, name, _ in PEOPLE}
    cast = Cast(CHAIR, CLERK, MEMBERS, (11,), names)
    for type_, user_id, data, secs in script(cast, items, polls, not_discussed, deferred):
        m.run(type_, user_id, data, secs=secs)
    return m


DOCUMENT = {
    "title": "Báo cáo tình hình kinh tế - xã hội năm 2026",
    "filename": "bao-cao-kt-xh-2026.pdf",
    "sha256": hashlib.sha256(b"bao-cao-kt-xh-2026").hexdigest(),
    "size": 48_213,
    "pages": 12,
    "item_id": 1,
    "quota_bytes": 100 * 1024 * 1024,  # 100 MiB, the meeting's storage quota
}


def play_for_layout() -> SampleMeeting:
    """The meeting the layout tests and a person look at: four items (a named and a
    secret poll), one item not discussed and one deferred, a document for item 1 with its
    title and file name, a late arrival, an absentee with a proxy, the clerk and an
    observer as guests. The document is recorded as the server records an upload, without
    the file (the record keeps its metadata only)."""
    m = SampleMeeting()
    names = {uid: name for uid, name, _ in PEOPLE}
    cast = Cast(CHAIR, CLERK, MEMBERS, (11,), names)
    steps = list(script(cast, 4, 2, not_discussed=1, deferred=1))
    start = next(i for i, step in enumerate(steps) if step[0] == "meeting.start")
    for type_, user_id, data, secs in steps[:start]:
        m.run(type_, user_id, data, secs=secs)
    m.run("document.add", CLERK, dict(DOCUMENT))
    m.run("agenda.item.attach_document", CLERK, {"item_id": 1, "document_id": 1})
    for type_, user_id, data, secs in steps[start:]:
        m.run(type_, user_id, data, secs=secs)
    return m
