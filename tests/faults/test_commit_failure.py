"""A command that fails after writing and before committing leaves no trace.

The server runs with ``ECABINET_FAULT_ABORT_BEFORE_COMMIT=0.1``: one command in ten, chosen
at random, raises after its events, its projection rows (ballots, participations, the
meeting's status) and its stored ack were written, just before the commit. Over many
random commands from eight tablets, some at the same time, the database must hold each
command whole or not at all:

- every event belongs to exactly one acknowledged command (by seq range and actor), and
  every acknowledged command's events are there;
- a stored ack exists exactly for the acknowledged commands, equal to the ack given;
- participations, an open secret poll's sealed ballots and a closed one's counts are
  exactly what the vote events say;
- the server's own cached state is the fold of the log (a fresh join equals it), and every
  tablet holds the same.

A command answered ``internal`` is sent again with the same id, as a tablet would.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select

from ecabinet.meetings.ballots import choice_key
from ecabinet.meetings.commands import COMMANDS
from ecabinet.store.database import Database
from ecabinet.store.schema import (
    ballot_keys,
    command_results,
    meetings,
    participations,
    sealed_ballots,
    secret_polls,
)
from harness.client import api, login, new_meeting, user_ids
from harness.server import Server
from tests import pdfs
from tests.faults.conftest import EnvFactory
from tests.faults.tablet import Tablet
from tests.faults.world import (
    check_tablet,
    read_truth,
    running,
    scale,
    server_log,
    stop_all,
    wait_until_current,
)

FAULT_RATE = 0.1
COMMANDS_TOTAL = scale(500, 5000)  # per backend: 1000 in all
IN_FLIGHT = 4  # commands sent at the same time, from different tablets
RETRIES = 12  # sendings of one command id that fail with ``internal`` (0.1**12: never)
CURRENT_WITHIN_SECS = 60
PEOPLE = ("chair", "clerk", "member1", "member2", "member3", "member4", "member5", "member6")
MEMBERS = PEOPLE[2:]


class Workload:
    """Random commands that are mostly valid for the meeting as the chair's tablet sees it
    (refusals are fine: they store nothing either)."""

    def __init__(self, rng: random.Random, chair: Tablet, document_id: int, pages: int) -> None:
        self.rng = rng
        self.chair = chair
        self.document_id = document_id
        self.pages = pages

    def _seen(self) -> tuple[list[int], dict[int, str]]:
        items: list[int] = []
        polls: dict[int, str] = {}
        for event in self.chair.applied:
            data = event["data"]
            if event["type"] == "agenda.item_added":
                items.append(data["item_id"])
            elif event["type"] == "agenda.item_removed":
                items.remove(data["item_id"])
            elif event["type"] == "poll.created":
                polls[data["poll_id"]] = "draft"
            elif event["type"] in ("poll.opened", "poll.closed", "poll.cancelled"):
                polls[data["poll_id"]] = event["type"].split(".")[1]
        return items, polls

    def next(self) -> tuple[str, str, dict[str, Any]]:
        """(person, command type, data)."""
        rng = self.rng
        items, polls = self._seen()
        open_polls = [p for p, s in polls.items() if s == "opened"]
        drafts = [p for p, s in polls.items() if s == "draft"]
        member = rng.choice(MEMBERS)
        choices: list[tuple[int, tuple[str, str, dict[str, Any]]]] = [
            (3, (member, "attendance.check_in", {})),
            (1, (member, "attendance.check_out", {})),
            (2, (rng.choice(("chair", "clerk")), "agenda.item.add", self._item())),
            (3, ("chair", "presenter.view", self._view())),
            (2, (member, "speakers.request", {})),
            (1, ("chair", "speakers.grant", {})),
            (1, ("chair", "speakers.end", {})),
            (1, ("chair", "agenda.next", {})),
            (1 if len(polls) < 12 else 0, ("chair", "poll.create", self._poll())),
        ]
        if items:
            item = rng.choice(items)
            choices += [
                (2, ("clerk", "agenda.item.update", {"item_id": item, "title": self._title()})),
                (1, ("chair", "agenda.current.set", {"item_id": item})),
                (
                    1,
                    (
                        "clerk",
                        "agenda.item.move",
                        {"item_id": item, "parent_id": None, "position": 0},
                    ),
                ),
            ]
        if drafts:
            choices.append((2, ("chair", "poll.open", {"poll_id": rng.choice(drafts)})))
        if open_polls:
            poll = rng.choice(open_polls)
            voter = rng.choice(("chair", *MEMBERS))
            choice = rng.choice(("yes", "no", "abstain"))
            choices += [
                (8, (voter, "vote.cast", {"poll_id": poll, "choice": choice})),
                (1, ("chair", "poll.close", {"poll_id": poll})),
            ]
        weights = [w for w, _ in choices]
        return rng.choices([c for _, c in choices], weights=weights)[0]

    def _title(self) -> str:
        return f"Nội dung {self.rng.randrange(10**6)}"

    def _item(self) -> dict[str, Any]:
        return {"title": self._title(), "kind": self.rng.choice(("discussion", "information"))}

    def _view(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "page": self.rng.randint(1, self.pages)}

    def _poll(self) -> dict[str, Any]:
        return {
            "title": self._title(),
            "kind": "yes_no_abstain",
            "secret": self.rng.random() < 0.4,
            "allow_change": self.rng.random() < 0.5,
            "majority": "simple",
            "quorum": {"kind": "none"},
        }


async def send(
    tablet: Tablet, type_: str, data: dict[str, Any], tally: Counter[str]
) -> dict[str, Any]:
    """Send until the answer is not ``internal``, always with the same id."""
    command_id = f"c{random.getrandbits(64):016x}"
    for _ in range(RETRIES):
        ack = await tablet.command(type_, data, command_id=command_id)
        if ack.get("ok") or ack["error"]["code"] != "internal":
            return {"id": command_id, "person": tablet.name, "type": type_, "ack": ack}
        tally["internal"] += 1
    raise AssertionError(f"{type_} failed {RETRIES} times")


async def upload_with_retries(url: str, token: str, meeting: int, body: bytes) -> int:
    async with api(url, token) as http:
        for _ in range(RETRIES):
            response = await http.post(
                f"/api/meetings/{meeting}/documents",
                content=body,
                headers={"Content-Type": "application/pdf", "X-File-Name": "Bao-cao.pdf"},
            )
            if response.status_code != 500:
                assert response.status_code in (200, 201), response.text
                return int(response.json()["document"]["id"])
            # The documented error, and the server says it drops the connection, so the
            # next try opens a fresh one instead of failing on a vanished connection.
            assert response.json()["error"]["code"] == "internal"
            assert response.headers["connection"] == "close"
    raise AssertionError("the upload failed every time")


async def test_a_failure_before_the_commit_keeps_change_and_events_together(
    backend_env: EnvFactory,
) -> None:
    env = backend_env(ECABINET_FAULT_ABORT_BEFORE_COMMIT=str(FAULT_RATE))
    rng = random.Random(20261201)
    with running(Server(env)) as (server,):
        url = server.url
        admin = await login(url, "admin")
        ids = await user_ids(url, admin)
        meeting = await new_meeting(url, admin)
        tokens = {name: await login(url, name) for name in PEOPLE}
        tablets = {
            name: await Tablet(
                [url], tokens[name], meeting, name=name, rng=random.Random(i)
            ).start()
            for i, name in enumerate(PEOPLE)
        }
        tally: Counter[str] = Counter()
        sent: list[dict[str, Any]] = []
        try:
            pages = 8
            document_id = await upload_with_retries(
                url, tokens["clerk"], meeting, pdfs.pages(pages)
            )
            sent.append(await send(tablets["chair"], "meeting.start", {}, tally))
            assert sent[-1]["ack"]["ok"]
            workload = Workload(rng, tablets["chair"], document_id, pages)
            while len(sent) < COMMANDS_TOTAL:
                await tablets["chair"].wait_for_seq(
                    max((s["ack"].get("seq", 0) for s in sent), default=0), CURRENT_WITHIN_SECS
                )
                batch: dict[str, tuple[str, dict[str, Any]]] = {}
                while len(batch) < IN_FLIGHT:
                    person, type_, data = workload.next()
                    batch.setdefault(person, (type_, data))
                sent += await asyncio.gather(
                    *(send(tablets[p], t, d, tally) for p, (t, d) in batch.items())
                )
            head = max(s["ack"].get("seq", 0) for s in sent)
            await wait_until_current(list(tablets.values()), head, CURRENT_WITHIN_SECS)
            truth = await read_truth(env["ECABINET_DATABASE_URL"], meeting)
            for tablet in tablets.values():
                check_tablet(tablet, truth)
            # the server's cache holds no rolled-back change: a fresh snapshot is the fold
            fresh = await Tablet([url], tokens["member1"], meeting, name="fresh").start()
            try:
                check_tablet(fresh, truth)
                assert fresh.base_seq == truth.head
            finally:
                await fresh.stop()
        finally:
            await stop_all(list(tablets.values()))

    # The hook fired about as often as set (binomial: far outside ±6 σ otherwise).
    attempts = len(sent) + tally["internal"]
    assert 0.03 * attempts < tally["internal"] < 0.2 * attempts, (tally, attempts)
    assert server_log(server).count("InjectedFault") >= tally["internal"]
    outcomes = Counter(s["ack"]["error"]["code"] if not s["ack"]["ok"] else "ok" for s in sent)
    assert outcomes["ok"] > len(sent) // 2, outcomes

    await check_database(env["ECABINET_DATABASE_URL"], meeting, ids, sent, truth)


async def check_database(
    database_url: str,
    meeting: int,
    ids: dict[str, int],
    sent: list[dict[str, Any]],
    truth: Any,
) -> None:
    events = truth.events
    # the document upload is the one command not sent from a tablet
    [upload] = [e for e in events if e.type == "document.added"]
    uploaded = {"person": "clerk", "type": "document.add", "ack": {"ok": True, "seq": upload.seq}}
    accepted = [*(s for s in sent if s["ack"]["ok"]), uploaded]
    by_seq: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for command in accepted:
        by_seq[command["ack"]["seq"]].append(command)
    # Every event belongs to an acknowledged command: the distinct ack seqs cut the log into
    # runs, and one of the commands acknowledged at a run's last seq made it (the others
    # appended nothing, e.g. moving an item where it already is, opening an open poll).
    previous = 0
    for seq in sorted(by_seq):
        run = events[previous:seq]
        if run:
            assert any(
                all(e.actor_id == ids[c["person"]] for e in run)
                and {e.type for e in run} <= set(COMMANDS[c["type"]].emits)
                for c in by_seq[seq]
            ), (by_seq[seq], run)
        previous = seq
    assert previous == len(events), "events after the last acknowledged command"

    db = Database(database_url)
    try:
        async with db.read() as conn:
            stored_acks = {
                (r.user_id, r.command_id): json.loads(r.ack)
                for r in (
                    await conn.execute(
                        select(command_results).where(command_results.c.meeting_id == meeting)
                    )
                ).all()
            }
            rows = (
                await conn.execute(
                    select(participations).where(participations.c.meeting_id == meeting)
                )
            ).all()
            secret_rows = (
                await conn.execute(select(secret_polls).where(secret_polls.c.meeting_id == meeting))
            ).all()
            sealed_polls = Counter(
                (
                    await conn.execute(
                        select(sealed_ballots.c.poll_id).where(
                            sealed_ballots.c.meeting_id == meeting
                        )
                    )
                ).scalars()
            )
            keyed_polls = set(
                (
                    await conn.execute(
                        select(ballot_keys.c.poll_id).where(ballot_keys.c.meeting_id == meeting)
                    )
                ).scalars()
            )
            meeting_row = (
                await conn.execute(select(meetings).where(meetings.c.id == meeting))
            ).one()
    finally:
        await db.dispose()

    # A stored ack exactly for the acknowledged commands (plus the upload's), equal to it.
    by_key = {(ids[s["person"]], s["id"]): s["ack"] for s in accepted if s is not uploaded}
    tablet_acks = {k: v for k, v in stored_acks.items() if k in by_key}
    assert len(stored_acks) == len(by_key) + 1
    for key, ack in by_key.items():
        assert tablet_acks[key] == {"ok": True, "seq": ack["seq"]}
    refused = {(ids[s["person"]], s["id"]) for s in sent if not s["ack"]["ok"]}
    assert not refused & set(stored_acks)

    # Participations, sealed ballots and secret counts are exactly what the vote events say.
    named: dict[tuple[int, int], str] = {}
    secret_votes: dict[int, int] = defaultdict(int)
    voters: set[tuple[int, int]] = set()
    for e in events:
        if e.type == "vote.cast":
            named[(e.data["poll_id"], e.data["voter_id"])] = choice_key(e.data["choice"])
            voters.add((e.data["poll_id"], e.data["voter_id"]))
        elif e.type == "vote.participated":
            secret_votes[e.data["poll_id"]] += 1
            voters.add((e.data["poll_id"], e.data["voter_id"]))
    assert {(r.poll_id, r.voter_id) for r in rows} == voters
    assert {(r.poll_id, r.voter_id): r.choice for r in rows if r.choice is not None} == named
    secret = {e.data["poll_id"] for e in events if e.type == "poll.created" and e.data["secret"]}
    ended = {
        e.data["poll_id"]: e.type for e in events if e.type in ("poll.closed", "poll.cancelled")
    }
    opened = {e.data["poll_id"] for e in events if e.type == "poll.opened"} & secret
    still_open = {p for p in opened if p not in ended}
    # An open poll: its key and one sealed ballot per vote; ended: neither.
    assert keyed_polls == still_open
    assert sealed_polls == Counter({p: secret_votes[p] for p in still_open if secret_votes[p]})
    # A closed poll: its totals and receipts; an open or cancelled one: no counts at all.
    assert {r.poll_id for r in secret_rows} == {p for p in opened if ended.get(p) == "poll.closed"}
    for row in secret_rows:
        assert sum(json.loads(row.counts).values()) == secret_votes[row.poll_id]
        assert len(json.loads(row.receipts)) == secret_votes[row.poll_id]

    state = truth.state_at(truth.head)
    assert meeting_row.status == state.status.value
    assert (meeting_row.last_seq, meeting_row.head_hash) == (truth.head, events[-1].hash)
