"""Random sequences of open / cast / retry / recast / reconnect / close against the real
server. Invariants: every acknowledged voter is counted once with their last acknowledged
choice, a retried command returns its original ack, and the audit chain stays intact."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from harness.client import RoomClient, api, connect, login, new_meeting
from tests.integration.conftest import Running

VOTERS = ("chair", "member1", "member2", "member3", "member4")
CHOICES = ("yes", "no", "abstain")


def test_random_voting_sessions_keep_every_acknowledged_vote(
    running: Running, admin_token: str
) -> None:
    class VotingSession(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.loop = asyncio.new_event_loop()
            self.clients: dict[str, RoomClient] = {}
            self.acknowledged: dict[str, str] = {}  # voter -> last acknowledged choice
            self.sent: dict[
                str, tuple[dict[str, Any], dict[str, Any]]
            ] = {}  # voter -> (command, ack)
            self.closed: dict[str, Any] | None = None

        def run(self, coroutine: Any) -> Any:
            return self.loop.run_until_complete(coroutine)

        @initialize(allow_change=st.booleans())
        def open_poll(self, allow_change: bool) -> None:
            self.allow_change = allow_change
            self.meeting = self.run(new_meeting(running.url, admin_token))
            for name in VOTERS:
                self.clients[name] = self.run(connect(running.url, name))
                assert self.run(self.clients[name].join(self.meeting))["ok"]
            chair = self.clients["chair"]
            assert self.run(chair.cmd("meeting.start"))["ok"]
            for client in self.clients.values():
                assert self.run(client.cmd("attendance.check_in"))["ok"]
            poll = {
                "title": "Biểu quyết ngẫu nhiên",
                "kind": "yes_no_abstain",
                "secret": False,
                "allow_change": allow_change,
                "majority": "simple",
                "quorum": {"kind": "none"},
            }
            assert self.run(chair.cmd("poll.create", poll))["ok"]
            assert self.run(chair.cmd("poll.open", {"poll_id": 1}))["ok"]

        @rule(voter=st.sampled_from(VOTERS), choice=st.sampled_from(CHOICES))
        def cast(self, voter: str, choice: str) -> None:
            command = {
                "id": uuid.uuid4().hex,
                "type": "vote.cast",
                "data": {"poll_id": 1, "choice": choice},
            }
            ack = self.run(self.clients[voter].raw("cmd", command))
            if self.closed is not None:
                assert ack["error"]["code"] == "poll-closed"
            elif voter in self.acknowledged and not self.allow_change:
                assert ack["error"]["code"] == "double-vote"
            else:
                assert ack["ok"], ack
                self.acknowledged[voter] = choice
                self.sent[voter] = (command, ack)

        @precondition(lambda self: bool(self.sent))
        @rule(data=st.data())
        def retry(self, data: st.DataObject) -> None:
            voter = data.draw(st.sampled_from(sorted(self.sent)))
            command, ack = self.sent[voter]
            assert self.run(self.clients[voter].raw("cmd", command)) == ack

        @rule(voter=st.sampled_from(VOTERS))
        def reconnect(self, voter: str) -> None:
            self.run(self.clients[voter].close())
            self.clients[voter] = self.run(connect(running.url, voter))
            joined = self.run(self.clients[voter].join(self.meeting, last_seq=0))
            assert joined["ok"] and joined["mode"] == "events"

        @precondition(lambda self: self.closed is None)
        @rule()
        def close(self) -> None:
            assert self.run(self.clients["chair"].cmd("poll.close", {"poll_id": 1}))["ok"]
            snapshot = self.run(self.clients["chair"].join(self.meeting))["snapshot"]
            self.closed = snapshot["state"]["voting"]["polls"][0]["result"]

        @invariant()
        def result_is_the_tally_of_acknowledged_votes(self) -> None:
            if self.closed is None:
                return
            counted = Counter(self.acknowledged.values())
            assert self.closed["counts"] == [counted["yes"], counted["no"]]
            assert self.closed["abstentions"] == counted["abstain"]
            assert self.closed["ballots"] == len(self.acknowledged)

        def teardown(self) -> None:
            async def finish() -> None:
                token = await login(running.url, "chair")
                async with api(running.url, token) as http:
                    audit = (await http.get(f"/api/meetings/{self.meeting}/audit")).json()
                assert audit["ok"], audit
                for client in self.clients.values():
                    await client.close()

            try:
                if hasattr(self, "meeting"):
                    self.run(finish())
            finally:
                self.loop.close()

    VotingSession.TestCase.settings = settings(
        max_examples=4, stateful_step_count=12, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )  # fmt: skip
    VotingSession.TestCase().runTest()
