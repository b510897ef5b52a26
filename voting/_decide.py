"""``decide``: a command against the state, answered with events or a refusal.

Each rule checks in this order: role, payload, the poll exists, the lifecycle table
allows the move, then the rule's own conditions. Nothing is changed until every check
has passed, and even then only by the caller appending the returned events.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from voting._ballots import cast, grant_proxy, recuse, revoke_proxy
from voting._clerk import (
    check_paper_tally,
    enter_tally,
    mark_paper,
    marked_result,
    record_vote,
    recorded_ballot,
)
from voting._commands import COMMANDS
from voting._context import Context, find_poll, quorum_check, requirement, roll_call
from voting._errors import Conflict, Invalid, NotAllowed
from voting._lifecycle import transition
from voting._model import (
    Actor,
    Ballot,
    Decided,
    Poll,
    PollSpec,
    PollStatus,
    Room,
    SealedBallot,
    VotingState,
)
from voting._payload import (
    REASON_MAX_CHARS,
    SPEC_OPTIONAL,
    SPEC_REQUIRED,
    expect_fields,
    get_text,
    parse_instant,
    parse_now,
    parse_spec,
)
from voting._rules import Quorum, QuorumKind
from voting._statute import DEFAULT_RULES, CommitteeRules, quorum_not_below
from voting._tally import tally


def decide(
    state: VotingState,
    command_type: str,
    data: Mapping[str, Any],
    actor: Actor,
    now: str,
    room: Room,
    *,
    sealed: Sequence[SealedBallot] = (),
    rules: CommitteeRules = DEFAULT_RULES,
) -> list[Decided]:
    """The events that ``command_type`` appends, or a ``VotingError`` and no change.

    ``sealed`` is for ``poll.close`` of a secret poll only: the poll's ballots as the
    application stored them. ``now`` is the application's clock, ISO 8601 UTC. ``rules``
    are the committee's (``committee_rules``): a ``poll.create`` or ``poll.update`` that
    leaves out ``majority`` or ``quorum`` gets them, and its event records what it got.
    """
    ctx = _context(command_type, data, actor, now, room, sealed, rules)
    if command_type == "vote.cast":
        return cast(state, ctx)[0]
    return _RULES[command_type](state, ctx)


def ballot_for(
    state: VotingState, data: Mapping[str, Any], actor: Actor, now: str, room: Room
) -> Ballot:
    """The ballot that a ``vote.cast`` with these arguments records; the same checks as
    ``decide``, so it raises exactly when ``decide`` does."""
    return cast(state, _context("vote.cast", data, actor, now, room, (), DEFAULT_RULES))[1]


def clerk_ballot(
    state: VotingState, data: Mapping[str, Any], actor: Actor, now: str, room: Room
) -> Ballot:
    """The ballot that a ``vote.record`` (the clerk, for a present member) records; the
    same checks as ``decide``."""
    ctx = _context("vote.record", data, actor, now, room, (), DEFAULT_RULES)
    return recorded_ballot(state, ctx)


def _context(
    command_type: str,
    data: Mapping[str, Any],
    actor: Actor,
    now: str,
    room: Room,
    sealed: Sequence[SealedBallot],
    rules: CommitteeRules,
) -> Context:
    info = COMMANDS.get(command_type)
    if info is None:
        raise Invalid(f"unknown command type: {command_type[:64]!r}")
    if sealed and command_type != "poll.close":
        raise ValueError("sealed ballots are only for poll.close")
    moment = parse_now(now)
    if actor.role not in info.roles:
        raise NotAllowed(f"a {actor.role} may not {info.summary}")
    if not isinstance(data, Mapping):
        raise Invalid("data must be an object")
    return Context(data, actor, moment, room, tuple(sealed), rules)


# A confidence vote needs at least 2/3 of those summoned (QĐ 96-QĐ/TW): its default
# quorum is the committee's when that is as strict, else this.
CONFIDENCE_QUORUM = Quorum(QuorumKind.FRACTION, fraction=(2, 3), strict=False)


def _spec(data: Mapping[str, Any], ctx: Context) -> PollSpec:
    quorum = ctx.rules.quorum
    if data.get("kind") == "confidence" and not quorum_not_below(quorum, CONFIDENCE_QUORUM):
        quorum = CONFIDENCE_QUORUM
    return parse_spec(data, ctx.now, majority=ctx.rules.majority, quorum=quorum)


def _draft_requirement(spec: PollSpec, poll: Poll | None, room: Room) -> dict[str, Any]:
    recused = poll.recused if poll is not None else frozenset()
    return requirement(spec, room.voting_members - recused, None).to_wire()


def _create(state: VotingState, ctx: Context) -> list[Decided]:
    spec = _spec(ctx.data, ctx)
    data = {"poll_id": state.next_poll_id, **spec.to_wire()}
    data["requirement"] = _draft_requirement(spec, None, ctx.room)
    return [Decided("poll.created", data)]


def _update(state: VotingState, ctx: Context) -> list[Decided]:
    expect_fields(ctx.data, {"poll_id"}, SPEC_REQUIRED | SPEC_OPTIONAL)
    poll = find_poll(state, ctx.data)
    transition(poll.status, "poll.updated")
    changes = {k: v for k, v in ctx.data.items() if k != "poll_id"}
    spec = _spec({**poll.spec.to_wire(), **changes}, ctx)
    if spec == poll.spec:
        return []
    data = {"poll_id": poll.id, **spec.to_wire()}
    data["requirement"] = _draft_requirement(spec, poll, ctx.room)
    return [Decided("poll.updated", data)]


def _open(state: VotingState, ctx: Context) -> list[Decided]:
    expect_fields(ctx.data, {"poll_id"})
    poll = find_poll(state, ctx.data)
    if poll.status is PollStatus.OPEN:
        return []  # idempotent: opening an open poll changes nothing
    transition(poll.status, "poll.opened")
    deadline = poll.spec.deadline
    if deadline is not None and parse_instant(deadline, "deadline") <= ctx.now:
        raise Conflict("the deadline has passed: update it before opening the poll")
    members, eligible, proxies = roll_call(state.proxies, ctx.room)
    quorum = quorum_check(poll.spec.quorum, members, eligible, len(proxies))
    if not eligible - poll.recused:
        raise Conflict("nobody present may vote in this poll")
    needs = requirement(poll.spec, members - poll.recused, eligible - poll.recused)
    return [
        Decided(
            "poll.opened",
            {
                "poll_id": poll.id,
                "members": sorted(members),
                "eligible": sorted(eligible),
                "proxies": [{"grantor_id": g, "holder_id": proxies[g]} for g in sorted(proxies)],
                "quorum": quorum,
                "requirement": needs.to_wire(),
            },
        )
    ]


def _close(state: VotingState, ctx: Context) -> list[Decided]:
    expect_fields(ctx.data, {"poll_id"})
    poll = find_poll(state, ctx.data)
    if poll.status is PollStatus.CLOSED:
        return []  # idempotent: closing a closed poll changes nothing
    transition(poll.status, "poll.closed")
    check_paper_tally(poll)
    members, present, represented = roll_call(state.proxies, ctx.room)
    quorum = quorum_check(poll.spec.quorum, members, present, len(represented))
    data: dict[str, Any] = {"poll_id": poll.id}
    if poll.spec.secret:
        if len(ctx.sealed) != len(poll.participants) or any(
            b.poll_id != poll.id for b in ctx.sealed
        ):
            raise ValueError(
                f"poll {poll.id}: {len(ctx.sealed)} sealed ballots given for "
                f"{len(poll.participants)} participants"
            )
        receipts = sorted(b.receipt for b in ctx.sealed)
        if len(set(receipts)) != len(receipts) or not all(receipts):
            raise ValueError(f"poll {poll.id}: receipt codes must be distinct and non-empty")
        result = tally(poll, [b.choice for b in ctx.sealed], poll.paper_tally)
        data["receipts"] = receipts
    else:
        if ctx.sealed:
            raise ValueError(f"poll {poll.id} is named: its ballots are in the state")
        result = tally(poll, poll.votes.values())
    result = marked_result(poll, result)
    return [Decided("poll.closed", {**data, "result": result.to_wire(), "quorum": quorum})]


def _cancel(state: VotingState, ctx: Context) -> list[Decided]:
    expect_fields(ctx.data, {"poll_id"}, {"reason"})
    poll = find_poll(state, ctx.data)
    transition(poll.status, "poll.cancelled")
    reason = None
    if ctx.data.get("reason") is not None:
        reason = get_text(ctx.data, "reason", REASON_MAX_CHARS)
    return [Decided("poll.cancelled", {"poll_id": poll.id, "reason": reason})]


_RULES: Mapping[str, Callable[[VotingState, Context], list[Decided]]] = MappingProxyType(
    {
        "poll.create": _create,
        "poll.update": _update,
        "poll.open": _open,
        "poll.close": _close,
        "poll.cancel": _cancel,
        "poll.recuse": recuse,
        "proxy.grant": grant_proxy,
        "proxy.revoke": revoke_proxy,
        "vote.record": record_vote,
        "vote.mark_paper": mark_paper,
        "poll.paper_tally": enter_tally,
    }
)
