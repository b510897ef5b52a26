"""Event streams for the fold parity test (tests/e2e/test_fold_parity.py): real event lists,
made by hypothesis state machines that decide commands with the server's own rules.

Three sources, each a ``RuleBasedStateMachine`` run by hypothesis with a fixed seed:

- the agenda machine of ``tests/unit/agenda/test_stateful.py`` (its log);
- the voting machine of ``tests/unit/voting/test_properties.py`` (its application's log);
- ``MeetingMachine`` below: a whole meeting played through ``COMMANDS`` (the table the
  server decides with) by ``ecabinet.minutes.sample.SampleMeeting`` — lifecycle,
  attendance, documents, presenting, annotations, agenda and speakers, every poll kind
  with clerk-recorded votes and paper ballots, proxies, minutes notes, decisions,
  versions and signatures.

A stream is ``{"source", "roster", "events"}`` with events in their wire form (as the log
stores them, before any redaction). ``streams()`` runs the machines once per process.
"""

from __future__ import annotations

import functools
import hashlib
import os
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    rule,
    run_state_machine_as_test,
)

import voting
from ecabinet.annotations.rules import wire_for
from ecabinet.errors import ECabinetError
from ecabinet.events import Event, iso_utc
from ecabinet.meetings.rules import fold
from ecabinet.minutes.sample import PEOPLE, SampleMeeting, play
from tests.unit.agenda.test_stateful import AgendaMachine
from tests.unit.agenda.test_stateful import payloads as agenda_payloads
from tests.unit.voting.test_properties import Meeting as VotingMachine

Stream = dict[str, Any]

ROSTER = [{"user_id": uid, "display_name": name, "role": role.value} for uid, name, role in PEOPLE]
CHAIR, CLERK, OBSERVER = 1, 2, 11
MEMBERS = (3, 4, 5, 6, 7, 8, 9, 10)
EVERYONE = (CHAIR, CLERK, *MEMBERS, OBSERVER)
# Annotation owners: the viewers of the parity test (1, 3) and one more, so that each
# viewer sees its own private marks, others' shared ones and others' private ones redacted.
ANNOTATORS = (CHAIR, 3, 4)
# The viewers the parity test folds each stream for: the chair, the clerk (who never
# votes) and a member who draws marks and holds a proxy.
VIEWERS = (CHAIR, CLERK, 3)
# How many examples (streams) each machine gives, and how many steps each runs.
AGENDA_STREAMS, VOTING_STREAMS, MEETING_STREAMS = 60, 60, 200
STEPS = 40


# ECABINET_PARITY_EXPLORE=N: N times the examples, drawn at random (not the fixed seed), to
# look for divergences beyond the streams CI folds; a failure then prints its stream.
EXPLORE = int(os.environ.get("ECABINET_PARITY_EXPLORE", "0"))


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples * max(1, EXPLORE),
        stateful_step_count=STEPS,
        deadline=None,
        derandomize=not EXPLORE,  # by default the same streams on every run
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def _stream(source: str, events: list[Event]) -> Stream:
    return {"source": source, "roster": ROSTER, "events": [e.to_wire() for e in events]}


def _events(log: list[tuple[str, dict[str, Any], str]], actor: int = CHAIR) -> list[Event]:
    return [
        Event(1, seq, type_, actor, at, data, "")
        for seq, (type_, data, at) in enumerate(log, start=1)
    ]


def _not_here(machine: Any) -> None:
    """Stands in for a machine's invariant (a plain method is not one): the machines'
    own tests check their invariants; here they only make logs, faster without them."""


def agenda_streams() -> list[Stream]:
    found: list[Stream] = []

    class Recorded(AgendaMachine):
        # Its invariants and final checks are its own test's; here only its log counts.
        tree_is_whole_and_numbered_without_gaps = _not_here
        at_most_one_item_is_current = _not_here
        nobody_waits_twice = _not_here
        the_log_folds_to_the_state_and_the_snapshot_rebuilds_it = _not_here

        def teardown(self) -> None:
            found.append(_stream("agenda", _events(self.log)))

    run_state_machine_as_test(Recorded, settings=_settings(AGENDA_STREAMS))
    return found


def voting_streams() -> list[Stream]:
    found: list[Stream] = []

    class Recorded(VotingMachine):
        distinct_voters_are_counted_once = _not_here  # its invariants are its own test's
        the_published_tally_is_the_pure_tally_of_accepted_ballots = _not_here
        no_secret_event_contains_a_choice = _not_here
        the_state_is_the_fold_of_the_stored_log = _not_here

        def teardown(self) -> None:
            log = [(d.type, d.data, self.app.now) for d in self.app.log]
            found.append(_stream("voting", _events(log)))

    run_state_machine_as_test(Recorded, settings=_settings(VOTING_STREAMS))
    return found


POLL_KINDS = ("yes_no_abstain", "yes_no_abstain", "options", "election", "confidence")
MAJORITIES = (None, "simple", "absolute", "two_thirds_present", "two_thirds_members")
COLORS = ("#d32f2f", "#1565c0")


class MeetingMachine(RuleBasedStateMachine):
    """A whole meeting under random commands, decided and folded as the server does."""

    def __init__(self) -> None:
        super().__init__()
        self.m = SampleMeeting()
        self.runs = 0

    @initialize(ready=st.integers(0, 4))
    def set_the_scene(self, ready: int) -> None:
        """Most meetings start with items, a document, and all members but the last two
        checked in, so that polls open, votes are cast and speeches run from the first
        steps; the others start empty and scheduled."""
        if not ready:
            return
        for title in ("Khai mạc", "Tờ trình"):
            self._run("agenda.item.add", CLERK, {"title": title, "kind": "decision"})
        self.add_document(0, 3)
        self._run("meeting.start", CHAIR, {})
        for user in (CHAIR, CLERK, *MEMBERS[:-2], OBSERVER):
            self._run("attendance.check_in", CLERK, {"user_id": user})

    def _run(self, type_: str, user_id: int, data: dict[str, Any], secs: int = 7) -> bool:
        try:
            self.m.run(type_, user_id, data, secs=secs)
        except ECabinetError:
            return False
        return True

    @property
    def state(self):  # type: ignore[no-untyped-def]
        return self.m.state

    def _pick(self, data: st.DataObject, values: Any, label: str) -> Any:
        values = sorted(values)
        return data.draw(st.sampled_from(values), label=label) if values else None

    # --- lifecycle and attendance -----------------------------------------------------

    @rule(data=st.data())
    def start_or_end(self, data: st.DataObject) -> None:
        if self.state.status.value == "scheduled":
            self._run("meeting.start", CHAIR, {})
        elif data.draw(st.integers(0, 7), label="end?") == 7:  # rarely: little happens after
            self._run("meeting.end", CHAIR, {})

    @rule(user=st.sampled_from(EVERYONE), by_clerk=st.booleans(), check_in=st.booleans())
    def attendance(self, user: int, by_clerk: bool, check_in: bool) -> None:
        type_ = "attendance.check_in" if check_in else "attendance.check_out"
        self._run(type_, CLERK if by_clerk else user, {"user_id": user})

    # --- documents and presenting -----------------------------------------------------

    @rule(data=st.data(), pages=st.integers(1, 5))
    def document(self, data: st.DataObject, pages: int) -> None:
        replaces = data.draw(st.none() | st.integers(1, 3), label="replaces")
        item = data.draw(st.none() | st.integers(1, 3), label="item")
        self.add_document(replaces, pages, item)

    def add_document(self, replaces: int | None, pages: int, item: int | None = None) -> None:
        n = self.state.documents.next_id
        self._run(
            "document.add",
            CLERK,
            {
                "title": f"Tờ trình {n}",
                "filename": f"to-trinh-{n}.pdf",
                "sha256": hashlib.sha256(str(n).encode()).hexdigest(),
                "size": 1000 * n,
                "pages": pages,
                "item_id": item,
                "replaces_id": replaces or None,
                "quota_bytes": 10_000_000,
            },
        )

    @rule(user=st.sampled_from((None, CHAIR, 3, 4, OBSERVER)))
    def set_presenter(self, user: int | None) -> None:
        self._run("presenter.set", CHAIR, {"user_id": user})

    @rule(
        data=st.data(),
        page=st.integers(1, 3),
        zoom=st.sampled_from([100, 150, 75]),
        region=st.none() | st.just([0.0, 120.5, 595.25, 842.0]),
    )
    def view(self, data: st.DataObject, page: int, zoom: int, region: Any) -> None:
        doc = self._pick(data, self.state.documents.documents, "doc")
        sender = self.state.presenting.presenter_id or CHAIR
        payload = {"document_id": doc, "page": page, "zoom": zoom, "region": region}
        self._run("presenter.view", sender, payload)

    # --- annotations ------------------------------------------------------------------

    @rule(
        data=st.data(),
        owner=st.sampled_from(ANNOTATORS),
        kind=st.sampled_from(["ink", "highlight", "note"]),
        shared=st.none() | st.booleans(),
    )
    def annotate(self, data: st.DataObject, owner: int, kind: str, shared: bool | None) -> None:
        doc = self._pick(data, self.state.documents.documents, "doc")
        drawings: dict[str, dict[str, Any]] = {
            "ink": {"points": [[1.5, 2.0, 0.4], [3.0, 4.25, 0.5]], "width": 2.0},
            "highlight": {"rects": [[1.0, 2.0, 30.0, 12.0]]},
            "note": {"text": "Hỏi lại số liệu", "anchor": [10.0, 20.0]},
        }
        drawing = drawings[kind]
        payload = {"document_id": doc, "page": 1, "kind": kind, **drawing, "color": COLORS[0]}
        if shared is not None:
            payload["shared"] = shared
        self._run("annotation.create", owner, payload)

    @rule(data=st.data(), action=st.sampled_from(["update", "delete", "share", "unshare"]))
    def change_annotation(self, data: st.DataObject, action: str) -> None:
        mark = self._pick(data, self.state.annotations.items, "mark")
        if mark is None:
            return
        a = self.state.annotations.items[mark]
        if action == "update":
            change = {"color": COLORS[1]} if a.kind != "note" else {"text": "Đã sửa"}
            self._run(
                "annotation.update",
                a.owner_id,
                {"annotation_id": a.id, "version": a.version, **change},
            )
        elif action == "delete":
            self._run(
                "annotation.delete", a.owner_id, {"annotation_id": a.id, "version": a.version}
            )
        else:
            self._run("annotation.share", a.owner_id, {"annotation_id": a.id,
                                                       "shared": action == "share"})  # fmt: skip

    # --- agenda and speakers: the agenda machine's payloads, through the meeting ------

    @rule(
        data=st.data(),
        command=st.sampled_from(
            [
                "agenda.item.add",
                "agenda.item.add",
                "agenda.item.update",
                "agenda.item.move",
                "agenda.item.remove",
                "agenda.item.set_status",
                "agenda.item.attach_document",
                "agenda.item.detach_document",
                "agenda.current.set",
                "agenda.next",
                "agenda.previous",
                "agenda.current.clear",
                "speakers.request",
                "speakers.withdraw",
                "speakers.grant",
                "speakers.end",
                "speakers.set_default_limit",
            ]
        ),
        actor=st.sampled_from((CHAIR, CHAIR, CLERK, 3, 4)),
        secs=st.integers(0, 400),
    )
    def agenda(self, data: st.DataObject, command: str, actor: int, secs: int) -> None:
        payload = data.draw(agenda_payloads(command, self.state.agenda), label="payload")
        if command.startswith("agenda.") and actor in MEMBERS:
            actor = CHAIR
        self._run(command, actor, payload, secs=secs)

    # --- voting -----------------------------------------------------------------------

    @rule(
        data=st.data(),
        kind=st.sampled_from(POLL_KINDS),
        secret=st.booleans(),
        allow_change=st.booleans(),
        majority=st.sampled_from(MAJORITIES),
    )
    def create_poll(
        self, data: st.DataObject, kind: str, secret: bool, allow_change: bool, majority: Any
    ) -> None:
        if len(self.state.voting.polls) >= 5:
            return
        payload: dict[str, Any] = {"title": "Biểu quyết", "kind": kind, "secret": secret,
                                   "allow_change": allow_change and not secret}  # fmt: skip
        if majority is not None:
            payload["majority"] = majority
        if data.draw(st.booleans(), label="no quorum"):
            payload["quorum"] = {"kind": "none"}
        if kind == "options":
            payload |= {"options": ["A", "B", "C"], "max_choices": 2}
        elif kind == "election":
            payload |= {"options": ["Ứng viên A", "Ứng viên B", "Ứng viên C"], "max_choices": 2,
                        "secret": True, "majority": "absolute"}  # fmt: skip
        elif kind == "confidence":
            flag = data.draw(st.sampled_from(["more_than_half", "two_thirds"]), label="flag")
            payload |= {"options": ["Ông A", "Bà B"], "secret": True, "low_flag": flag}
            payload.pop("majority", None)
        if self._run("poll.create", CHAIR, payload) and data.draw(st.booleans(), label="open"):
            self._run("poll.open", CHAIR, {"poll_id": max(self.state.voting.polls)})

    def _poll(self, data: st.DataObject) -> voting.Poll | None:
        pid = self._pick(data, self.state.voting.polls, "poll")
        return None if pid is None else self.state.voting.polls[pid]

    def _choice(self, data: st.DataObject, poll: voting.Poll) -> Any:
        kind = poll.spec.kind.value
        if kind == "yes_no_abstain":
            return data.draw(st.sampled_from(["yes", "no", "abstain"]), label="choice")
        if kind == "confidence":
            n = len(poll.spec.options)
            return data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n), label="c")
        n, most = len(poll.spec.options), poll.spec.max_choices
        return data.draw(
            st.lists(st.integers(0, n - 1), unique=True, max_size=most).map(sorted), label="c"
        )

    @rule(data=st.data(), action=st.sampled_from(["open", "open", "close", "cancel", "update"]))
    def poll_lifecycle(self, data: st.DataObject, action: str) -> None:
        poll = self._poll(data)
        if poll is None:
            return
        if action == "update":
            self._run("poll.update", CHAIR, {"poll_id": poll.id, "title": "Biểu quyết (sửa)"})
        elif action == "cancel":
            self._run("poll.cancel", CHAIR, {"poll_id": poll.id, "reason": "Hoãn"})
        else:
            self._run(f"poll.{action}", CHAIR, {"poll_id": poll.id})

    @rule(data=st.data(), proxy=st.booleans(), voters=st.integers(1, 4), close=st.booleans())
    def vote(self, data: st.DataObject, proxy: bool, voters: int, close: bool) -> None:
        """A few votes in one poll (opened first if it is a draft), then maybe its close."""
        poll = self._poll(data)
        if poll is None:
            return
        if poll.status.value == "draft":
            self._run("poll.open", CHAIR, {"poll_id": poll.id})
        for _ in range(voters):
            poll = self.state.voting.polls[poll.id]
            payload = {"poll_id": poll.id, "choice": self._choice(data, poll)}
            voter = self._pick(data, poll.eligible or {CHAIR, 3}, "voter")
            if proxy and poll.proxies:
                grantor, voter = data.draw(st.sampled_from(sorted(poll.proxies.items())))
                payload["on_behalf_of"] = grantor
            if not self._run("vote.cast", voter, payload, secs=1) and not poll.spec.secret:
                self._run("vote.record", CLERK, {**payload, "voter_id": voter})
        if close:
            self._run("poll.close", CHAIR, {"poll_id": poll.id})

    @rule(data=st.data())
    def clerk_records(self, data: st.DataObject) -> None:
        poll = self._poll(data)
        if poll is None:
            return
        voter = self._pick(data, poll.eligible or {3}, "voter")
        payload = {"poll_id": poll.id, "voter_id": voter, "choice": self._choice(data, poll)}
        self._run("vote.record", CLERK, payload)

    @rule(data=st.data())
    def paper(self, data: st.DataObject) -> None:
        poll = self._poll(data)
        if poll is None:
            return
        voter = self._pick(data, poll.eligible or {3}, "voter")
        self._run("vote.mark_paper", CLERK, {"poll_id": poll.id, "voter_id": voter})

    @rule(data=st.data())
    def paper_tally(self, data: st.DataObject) -> None:
        poll = self._poll(data)
        if poll is None:
            return
        issued = len(poll.paper)
        returned = data.draw(st.integers(0, issued), label="returned")
        invalid = data.draw(st.integers(0, returned), label="invalid")
        valid = returned - invalid
        slots = 2 if poll.spec.kind.value == "yes_no_abstain" else len(poll.spec.options)
        first = data.draw(st.integers(0, valid), label="first")
        counts = [first] + [0] * (slots - 1)
        payload = {"poll_id": poll.id, "issued": issued, "returned": returned, "valid": valid,
                   "invalid": invalid, "counts": counts, "abstentions": valid - first}  # fmt: skip
        self._run("poll.paper_tally", CLERK, payload)

    @rule(data=st.data(), user=st.sampled_from((CHAIR, 3, 4, 5)), by_chair=st.booleans())
    def recuse(self, data: st.DataObject, user: int, by_chair: bool) -> None:
        poll = self._poll(data)
        if poll is not None:
            payload = {"poll_id": poll.id, "user_id": user}
            self._run("poll.recuse", CHAIR if by_chair else user, payload)

    @rule(data=st.data(), grantor=st.sampled_from((*MEMBERS[-2:], *MEMBERS)),
          holder=st.sampled_from((CHAIR, *MEMBERS)), grant=st.booleans())  # fmt: skip
    def proxy(self, data: st.DataObject, grantor: int, holder: int, grant: bool) -> None:
        """A proxy from an absent member to a present one (the scene leaves the last two
        members absent), or the end of one that exists."""
        if grant:
            self._run("proxy.grant", CHAIR, {"grantor_id": grantor, "holder_id": holder})
        else:
            existing = self._pick(data, self.state.voting.proxies, "grantor") or grantor
            self._run("proxy.revoke", CHAIR, {"grantor_id": existing})

    # --- minutes ----------------------------------------------------------------------

    @rule(data=st.data(), text=st.sampled_from(["", "Ghi chú của thư ký", "Ghi chú\nhai dòng"]))
    def note(self, data: st.DataObject, text: str) -> None:
        item = data.draw(st.none() | st.sampled_from([1, 2, 3]), label="item")
        self._run("minutes.note.set", CLERK, {"item_id": item, "text": text})

    @rule(user=st.sampled_from(MEMBERS), reason=st.none() | st.just("Đi công tác"))
    def absence(self, user: int, reason: str | None) -> None:
        self._run("minutes.absence.set", CLERK, {"user_id": user, "reason": reason})

    @rule(data=st.data(), action=st.sampled_from(["record", "record", "update", "remove"]))
    def decision(self, data: st.DataObject, action: str) -> None:
        item = data.draw(st.none() | st.sampled_from([1, 2]), label="item")
        poll = data.draw(st.none() | st.sampled_from([1, 2]), label="poll")
        if action == "record":
            payload = {"text": "Thông qua", "item_id": item, "poll_id": poll}
            self._run("minutes.decision.record", CHAIR, payload)
            return
        decision = self._pick(data, self.state.minutes.decisions, "decision")
        if action == "update":
            payload = {"decision_id": decision, "text": "Thông qua (sửa)", "item_id": item}
            self._run("minutes.decision.update", CLERK, payload)
        else:
            self._run("minutes.decision.remove", CLERK, {"decision_id": decision})

    @rule(signer=st.sampled_from((CLERK, CLERK, CHAIR)))
    def minutes_version(self, signer: int) -> None:
        latest = self.state.minutes.latest
        if latest is None or latest.status.value == "final":
            digest = hashlib.sha256(f"draft {self.state.seq}".encode()).hexdigest()
            payload = {"sha256": digest, "size": 9000, "pages": 3, "head_seq": self.state.seq,
                       "head_hash": self.m.head_hash, "layout": "state",
                       "number": "05/BB"}  # fmt: skip
            self._run("minutes.generate", CLERK, payload)
            return
        signed = hashlib.sha256(f"signed {self.state.seq}".encode()).hexdigest()
        payload = {"version": latest.version, "previous_sha256": latest.sha256,
                   "sha256": signed, "size": 9500}  # fmt: skip
        self._run("minutes.sign", signer, payload)


def planning_streams() -> list[Stream]:
    """The back office's events (ecabinet/meetings/planning.py) as tablets receive them:
    a reschedule, a roster change, publishing, then a cancel; and a roster change in a
    meeting that then runs."""
    roster = [{**entry, "role": "member"} if entry["user_id"] == 4 else entry for entry in ROSTER]
    details = {
        "title": "Họp dời lịch",
        "location": "Phòng 2",
        "scheduled_at": "2026-12-10T08:00:00+07:00",
    }
    first: list[tuple[str, dict[str, Any]]] = [
        ("meeting.rescheduled", details),
        ("roster.changed", {"roster": roster[:-1], "removed": [OBSERVER]}),
        ("meeting.published", {}),
        ("meeting.cancelled", {"reason": "Lãnh đạo đi công tác"}),
    ]
    second: list[tuple[str, dict[str, Any]]] = [
        ("roster.changed", {"roster": roster, "removed": []}),
        ("meeting.started", {}),
    ]
    at = "2026-12-04T01:00:00.000Z"
    return [
        _stream("planning", _events([(t, d, at) for t, d in log], actor=0))
        for log in (first, second)
    ]


def meeting_streams(examples: int = MEETING_STREAMS) -> list[Stream]:
    found: list[Stream] = []

    class Recorded(MeetingMachine):
        def teardown(self) -> None:
            found.append(_stream("meeting", self.m.events))

    run_state_machine_as_test(Recorded, settings=_settings(examples))
    return found


# --- scripted streams: a whole sample meeting, and what random runs reach rarely -------

SCHEDULED_AT = "2026-12-01T01:00:00.000Z"


def _planned(m: SampleMeeting, type_: str, data: dict[str, Any]) -> None:
    """Append an event of the back office (ecabinet/meetings/planning.py decides them
    under the database's lock, so they are written here as it writes them) and fold it."""
    m.now += timedelta(seconds=30)
    event = Event(1, m.state.seq + 1, type_, None, iso_utc(m.now), data, "")
    m.state = fold(m.state, [event])
    m.events.append(event)


def _planning_stream(cancel: bool) -> Stream:
    m = SampleMeeting()
    _planned(m, "meeting.rescheduled", {"title": "Phiên họp thường kỳ tháng 12",
                                        "location": "Phòng họp số 1",
                                        "scheduled_at": "2026-12-02T01:00:00.000Z"})  # fmt: skip
    kept = [entry for entry in ROSTER if entry["user_id"] != 10]
    _planned(m, "roster.changed", {"roster": kept, "removed": [10]})
    if cancel:
        _planned(m, "meeting.cancelled", {"reason": "Hoãn theo chỉ đạo"})
        return _stream("planning", m.events)
    _planned(m, "meeting.published", {})
    m.run("agenda.item.add", CLERK, {"title": "Khai mạc", "kind": "information"})
    m.run("meeting.start", CHAIR, {})
    return _stream("planning", m.events)


def _ballots_stream() -> Stream:
    """Paper ballots, a clerk-recorded vote, an election and a confidence vote closed,
    a proxy ended, a speaking limit, marks shared and unshared, minutes signed twice."""
    m = SampleMeeting()
    run = m.run
    run("agenda.item.add", CLERK, {"title": "Nhân sự", "kind": "decision"})
    run("document.add", CLERK, {"title": "Tờ trình", "filename": "to-trinh.pdf",
                                "sha256": "a" * 64, "size": 100, "pages": 2,
                                "quota_bytes": 10_000})  # fmt: skip
    run("meeting.start", CHAIR, {})
    for user in (CHAIR, CLERK, *MEMBERS[:-1]):
        run("attendance.check_in", CLERK, {"user_id": user})
    run("proxy.grant", CHAIR, {"grantor_id": 10, "holder_id": 3})
    run("speakers.set_default_limit", CHAIR, {"limit_secs": 180})
    run("agenda.current.set", CHAIR, {"item_id": 1})
    run("speakers.request", 4, {})
    run("speakers.grant", CHAIR, {})
    run("annotation.create", 3, {"document_id": 1, "page": 1, "kind": "note",
                                 "text": "Riêng", "anchor": [1.0, 2.0]})  # fmt: skip
    run("annotation.share", 3, {"annotation_id": 1, "shared": True})
    run("annotation.share", 3, {"annotation_id": 1, "shared": False})
    # A secret poll with two paper ballots and their tally.
    run("poll.create", CHAIR, {"title": "Bỏ phiếu kín", "kind": "yes_no_abstain",
                               "secret": True, "allow_change": False})  # fmt: skip
    run("poll.open", CHAIR, {"poll_id": 1})
    for voter in (8, 9):
        run("vote.mark_paper", CLERK, {"poll_id": 1, "voter_id": voter})
    for voter in (CHAIR, 4, 5):
        run("vote.cast", voter, {"poll_id": 1, "choice": "yes"})
    run("poll.paper_tally", CLERK, {"poll_id": 1, "issued": 2, "returned": 2, "valid": 2,
                                    "invalid": 0, "counts": [1, 1], "abstentions": 0})  # fmt: skip
    run("poll.close", CHAIR, {"poll_id": 1})
    # A named poll: one vote recorded by the clerk, one by proxy.
    run("poll.create", CHAIR, {"title": "Biểu quyết", "kind": "yes_no_abstain",
                               "secret": False, "allow_change": True})  # fmt: skip
    run("poll.open", CHAIR, {"poll_id": 2})
    run("vote.record", CLERK, {"poll_id": 2, "voter_id": 6, "choice": "no"})
    run("vote.cast", 3, {"poll_id": 2, "choice": "yes", "on_behalf_of": 10})
    run("vote.cast", 6, {"poll_id": 2, "choice": "yes"})
    run("poll.close", CHAIR, {"poll_id": 2})
    run("proxy.revoke", CHAIR, {"grantor_id": 10})
    # An election of two among three, and a confidence vote on two persons.
    run("poll.create", CHAIR, {"title": "Bầu cử", "kind": "election", "secret": True,
                               "allow_change": False, "majority": "absolute",
                               "options": ["Ông A", "Bà B", "Ông C"],
                               "max_choices": 2})  # fmt: skip
    run("poll.open", CHAIR, {"poll_id": 3})
    for voter in (CHAIR, *MEMBERS[:-1]):
        run("vote.cast", voter, {"poll_id": 3, "choice": [0, 1] if voter % 2 else [1, 2]})
    run("poll.close", CHAIR, {"poll_id": 3})
    run("poll.create", CHAIR, {"title": "Lấy phiếu tín nhiệm", "kind": "confidence",
                               "secret": True, "allow_change": False, "low_flag": "two_thirds",
                               "options": ["Ông A", "Bà B"]})  # fmt: skip
    run("poll.open", CHAIR, {"poll_id": 4})
    for voter in (CHAIR, *MEMBERS[:-1]):
        run("vote.cast", voter, {"poll_id": 4, "choice": [voter % 3, 2]})
    run("poll.close", CHAIR, {"poll_id": 4})
    run("meeting.end", CHAIR, {})
    for _ in range(2):
        latest = m.state.minutes.latest
        run("minutes.generate", CLERK, {"sha256": "b" * 64, "size": 10, "pages": 1,
                                        "head_seq": m.state.seq, "head_hash": m.head_hash,
                                        "layout": "state", "number": "05/BB"})  # fmt: skip
        for signer, digest in ((CLERK, "c"), (CHAIR, "d")):
            latest = m.state.minutes.latest
            assert latest is not None
            run("minutes.sign", signer, {"version": latest.version,
                                         "previous_sha256": latest.sha256,
                                         "sha256": digest * 64, "size": 11})  # fmt: skip
    return _stream("ballots", m.events)


def scripted_streams() -> list[Stream]:
    return [
        _stream("sample meeting", play().events),
        _planning_stream(cancel=False),
        _planning_stream(cancel=True),
        _ballots_stream(),
    ]


def as_received(event: Event, viewer: int) -> dict[str, Any]:
    """The event as ``viewer``'s tablet receives it (another person's private mark is
    ``redacted``)."""
    return wire_for(event, viewer)


def received_types() -> set[str]:
    """Every event type a tablet folds in the parity test, ``redacted`` included."""
    return {
        as_received(Event(**e), viewer)["type"]
        for stream in streams()
        for e in stream["events"]
        for viewer in VIEWERS
    }


@functools.cache
def streams() -> tuple[Stream, ...]:
    """Every stream of the three machines (a few hundred), made once per process; runs
    in which every command was refused leave no stream."""
    made = (
        *scripted_streams(),
        *planning_streams(),
        *agenda_streams(),
        *voting_streams(),
        *meeting_streams(),
    )
    return tuple(stream for stream in made if stream["events"])
