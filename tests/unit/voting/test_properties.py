"""Properties: the tally is a function of the multiset of ballots, and random command
sequences keep the invariants a real meeting relies on."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from tests.unit.voting.app import CHAIR, CHAIR_ID, App, member, room
from voting import (
    MAJORITY_RULES,
    Choice,
    Kind,
    Poll,
    PollSpec,
    PollStatus,
    Quorum,
    QuorumKind,
    VotingError,
    VotingState,
    apply,
    tally,
)

MAJORITIES = sorted(MAJORITY_RULES)


@st.composite
def polls_and_ballots(draw: st.DrawFn) -> tuple[Poll, list[Choice]]:
    members = draw(st.integers(1, 25))
    present = draw(st.integers(1, members))
    recused = draw(st.integers(0, present - 1))
    options = draw(st.sampled_from([0, 2, 3, 5]))
    max_choices = draw(st.integers(1, options)) if options else 1
    spec = PollSpec(
        title="Biểu quyết",
        kind=Kind.OPTIONS if options else Kind.YES_NO_ABSTAIN,
        secret=draw(st.booleans()),
        allow_change=False,
        majority=draw(st.sampled_from(MAJORITIES)),
        quorum=Quorum(QuorumKind.NONE),
        options=tuple(str(i) for i in range(options)),
        max_choices=max_choices,
    )
    poll = Poll(
        id=1,
        spec=spec,
        status=PollStatus.OPEN,
        members=frozenset(range(members)),
        eligible=frozenset(range(present)),
        recused=frozenset(range(recused)),
    )
    if options:
        choice: st.SearchStrategy[Choice] = st.lists(
            st.integers(0, options - 1), max_size=max_choices, unique=True
        ).map(lambda c: tuple(sorted(c)))
    else:
        choice = st.sampled_from(["yes", "no", "abstain"])
    ballots = draw(st.lists(choice, max_size=present - recused))
    return poll, ballots


@given(polls_and_ballots(), st.randoms(use_true_random=False))
def test_tally_is_invariant_under_any_order_of_the_ballots(
    case: tuple[Poll, list[Choice]], rng: Any
) -> None:
    poll, ballots = case
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    assert tally(poll, shuffled) == tally(poll, ballots) == tally(poll, reversed(ballots))


@given(polls_and_ballots())
def test_tally_never_elects_more_than_the_seats_and_winners_reach_the_threshold(
    case: tuple[Poll, list[Choice]],
) -> None:
    poll, ballots = case
    result = tally(poll, ballots)
    assert len(result.winners) <= poll.spec.max_choices
    assert all(result.counts[i] >= result.needed >= 1 for i in result.winners)
    assert result.ballots == len(ballots)


@given(polls_and_ballots())
def test_one_more_yes_never_rejects_and_one_more_no_never_adopts(
    case: tuple[Poll, list[Choice]],
) -> None:
    poll, ballots = case
    if poll.spec.kind is not Kind.YES_NO_ABSTAIN or len(ballots) >= len(poll.counting):
        return
    adopted = tally(poll, ballots).adopted
    assert tally(poll, [*ballots, "yes"]).adopted >= adopted
    assert tally(poll, [*ballots, "no"]).adopted <= adopted


def _keys(value: Any) -> set[str]:
    """Every key at any depth of a JSON value."""
    if isinstance(value, dict):
        return set(value).union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value))
    return set()


MEMBERS = range(1, 8)
voters = st.integers(1, 8)  # 8 is not a voting member
poll_ids = st.integers(1, 4)
# Mostly valid choices, sometimes not: one in seven is "maybe".
yes_no_choices = st.sampled_from(["yes", "no", "abstain"] * 2 + ["maybe"])
option_choices = st.lists(st.integers(-1, 3), max_size=3)


class Meeting(RuleBasedStateMachine):
    """The application and the domain under random commands from chair and members."""

    def __init__(self) -> None:
        super().__init__()
        self.app = App(room(MEMBERS, [1, 2, 3, 4, 5]), state=VotingState(max_proxies_per_holder=2))
        self.last: tuple[str, dict[str, Any], int] | None = None

    def _run(self, command: str, data: dict[str, Any], actor_id: int = 1) -> None:
        self.last = (command, data, actor_id)
        actor = CHAIR if actor_id == CHAIR_ID else member(actor_id)
        before, log_length = self.app.state, len(self.app.log)
        stored = dict(self.app.participation)
        try:
            self.app.run(command, data, actor)
        except VotingError:
            assert self.app.state == before  # a refusal changes nothing
            assert len(self.app.log) == log_length
            assert self.app.participation == stored

    def _poll_id(self, data: st.DataObject) -> int:
        """Mostly an existing poll, sometimes one that does not exist."""
        existing = sorted(self.app.state.polls)
        return data.draw(st.sampled_from(existing) if existing else st.just(1) | poll_ids)

    def _choice(self, data: st.DataObject, poll_id: int) -> Any:
        poll = self.app.state.polls.get(poll_id)
        if poll is None or poll.spec.kind is Kind.YES_NO_ABSTAIN:
            return data.draw(yes_no_choices)
        valid = st.lists(st.integers(0, 2), max_size=poll.spec.max_choices, unique=True)
        return data.draw(st.one_of(valid, valid, valid, option_choices))

    def _rarely(self, data: st.DataObject) -> bool:
        """Gate for commands that end a poll's story or only add noise: one step in four."""
        return data.draw(st.integers(0, 3)) == 0

    @initialize(
        secret=st.booleans(),
        allow_change=st.booleans(),
        options=st.booleans(),
        max_choices=st.integers(1, 2),
        majority=st.sampled_from(MAJORITIES),
    )
    def first_poll(
        self, secret: bool, allow_change: bool, options: bool, max_choices: int, majority: str
    ) -> None:
        self.create(secret, allow_change, options, max_choices, majority)
        self._run("poll.open", {"poll_id": 1})

    @precondition(lambda self: len(self.app.state.polls) < 4)
    @rule(
        secret=st.booleans(),
        allow_change=st.booleans(),
        options=st.booleans(),
        max_choices=st.integers(1, 2),
        majority=st.sampled_from(MAJORITIES),
    )
    def create(
        self, secret: bool, allow_change: bool, options: bool, max_choices: int, majority: str
    ) -> None:
        extra: dict[str, Any] = {}
        if options:
            extra = {"kind": "options", "options": ["A", "B", "C"], "max_choices": max_choices}
        self._run(
            "poll.create",
            {
                "title": "Biểu quyết",
                "kind": "yes_no_abstain",
                "secret": secret,
                "allow_change": allow_change and not secret,
                "majority": majority,
                "quorum": {"kind": "count", "count": 3},
                **extra,
            },
        )

    @rule(data=st.data())
    def open(self, data: st.DataObject) -> None:
        self._run("poll.open", {"poll_id": self._poll_id(data)})

    @rule(data=st.data(), voter=voters)
    def cast(self, data: st.DataObject, voter: int) -> None:
        poll_id = self._poll_id(data)
        poll = self.app.state.polls.get(poll_id)
        in_person = sorted(poll.counting - poll.proxies.keys()) if poll else []
        someone_who_may_vote: bool = data.draw(st.booleans())
        if in_person and someone_who_may_vote:
            voter = data.draw(st.sampled_from(in_person))
        command = {"poll_id": poll_id, "choice": self._choice(data, poll_id)}
        self._run("vote.cast", command, voter)

    @rule(data=st.data(), holder=voters, grantor=voters)
    def cast_by_proxy(self, data: st.DataObject, holder: int, grantor: int) -> None:
        poll_id = self._poll_id(data)
        poll = self.app.state.polls.get(poll_id)
        if poll is not None and poll.proxies and data.draw(st.booleans()):
            grantor, holder = data.draw(st.sampled_from(sorted(poll.proxies.items())))
        choice = self._choice(data, poll_id)
        self._run(
            "vote.cast", {"poll_id": poll_id, "choice": choice, "on_behalf_of": grantor}, holder
        )

    @rule(data=st.data())
    def recast(self, data: st.DataObject) -> None:
        """Someone who voted votes again: a recast if the poll allows it, else refused."""
        voted = sorted(
            (poll.id, voter)
            for poll in self.app.state.polls.values()
            if poll.status is PollStatus.OPEN
            for voter in poll.participants
        )
        if not voted:
            return
        poll_id, voter = data.draw(st.sampled_from(voted))
        holder = self.app.state.polls[poll_id].proxies.get(voter, voter)
        command = {"poll_id": poll_id, "choice": self._choice(data, poll_id)}
        if holder != voter:
            command["on_behalf_of"] = voter
        self._run("vote.cast", command, holder)

    @precondition(lambda self: self.last is not None)
    @rule()
    def retry(self) -> None:
        assert self.last is not None
        self._run(*self.last)

    @rule(data=st.data(), user_id=voters, by_chair=st.booleans())
    def recuse(self, data: st.DataObject, user_id: int, by_chair: bool) -> None:
        if not self._rarely(data):
            return
        command = {"poll_id": self._poll_id(data), "user_id": user_id}
        self._run("poll.recuse", command, CHAIR_ID if by_chair else user_id)

    @rule(grantor=voters, holder=voters)
    def grant(self, grantor: int, holder: int) -> None:
        self._run("proxy.grant", {"grantor_id": grantor, "holder_id": holder})

    @rule(data=st.data(), grantor=voters)
    def revoke(self, data: st.DataObject, grantor: int) -> None:
        if self._rarely(data):
            self._run("proxy.revoke", {"grantor_id": grantor})

    @rule(user_id=voters, present=st.booleans())
    def check_in_or_out(self, user_id: int, present: bool) -> None:
        now = set(self.app.room.present)
        now = now | {user_id} if present else now - {user_id}
        self.app.room = room(MEMBERS, now)

    @rule(data=st.data())
    def close(self, data: st.DataObject) -> None:
        self._run("poll.close", {"poll_id": self._poll_id(data)})

    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        if self._rarely(data):
            self._run("poll.cancel", {"poll_id": self._poll_id(data)})

    @invariant()
    def distinct_voters_are_counted_once(self) -> None:
        for poll in self.app.state.polls.values():
            rows = {voter for (pid, voter) in self.app.participation if pid == poll.id}
            assert rows == poll.participants
            assert poll.participants <= poll.counting
            sealed = [b for b in self.app.sealed if b.poll_id == poll.id]
            assert len(sealed) == (len(rows) if poll.spec.secret else 0)

    @invariant()
    def the_published_tally_is_the_pure_tally_of_accepted_ballots(self) -> None:
        for poll in self.app.state.polls.values():
            if poll.status is not PollStatus.CLOSED:
                continue
            if poll.spec.secret:
                accepted = [b.choice for b in self.app.sealed if b.poll_id == poll.id]
            else:
                accepted = [c for (pid, _), c in self.app.named.items() if pid == poll.id]
            assert poll.result == tally(poll, accepted)
            assert poll.result.ballots == len(poll.participants)

    @invariant()
    def no_secret_event_contains_a_choice(self) -> None:
        secret = {p.id for p in self.app.state.polls.values() if p.spec.secret}
        for event in self.app.log:
            if event.data.get("poll_id") in secret:
                assert "choice" not in _keys(event.data)
                if event.type.startswith("vote."):
                    assert set(event.data) == {"poll_id", "voter_id"}

    @invariant()
    def the_state_is_the_fold_of_the_stored_log(self) -> None:
        state = VotingState(max_proxies_per_holder=2)
        for event in self.app.log:
            state = apply(state, event.type, json.loads(json.dumps(event.data)), self.app.now)
        assert state == self.app.state


Meeting.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestMeeting = Meeting.TestCase
