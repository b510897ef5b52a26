"""The hub's flood limits on an exact clock (a number, or a fake clock the test moves):
buckets per connection and per user, and sockets per user."""

from __future__ import annotations

from typing import Any

import socketio

from realtime.hub import Hub
from realtime.limits import HubLimiter, HubLimits, Rate, Throttle
from realtime.origin import OriginPolicy


def test_a_connection_gets_its_burst_then_its_rate() -> None:
    throttle = Throttle(connection=Rate(2, 4), user=Rate(100, 100))
    assert [throttle.take("a", 1, now=0.0) for _ in range(5)] == [None] * 4 + ["connection"]
    assert throttle.take("a", 1, now=0.4) == "connection"  # 0.8 of a token refilled
    assert throttle.take("a", 1, now=0.5) is None  # 2 a second: one every 0.5 s
    assert throttle.take("a", 1, now=0.5) == "connection"


def test_a_person_is_limited_over_all_their_connections_and_a_refusal_takes_nothing() -> None:
    throttle = Throttle(connection=Rate(10, 3), user=Rate(1, 4))
    answers = [throttle.take(sid, 7, now=0.0) for sid in ("a", "b") for _ in range(3)]
    assert answers == [None, None, None, None, "user", "user"]
    assert throttle.take("c", 8, now=0.0) is None  # another person is not affected
    # "b" was refused twice without losing its own tokens: two left after one second.
    assert throttle.take("b", 7, now=1.0) is None
    assert throttle.take("b", 7, now=1.0) == "user"


def test_the_next_socket_of_a_person_past_the_limit_is_refused_until_one_closes() -> None:
    limiter = HubLimiter(HubLimits(connections_per_user=2))
    assert limiter.admit("a", 1) and limiter.admit("b", 1)
    assert not limiter.admit("c", 1)
    assert limiter.admit("x", 2)
    limiter.release("a", 1)
    assert limiter.admit("c", 1) and limiter.sockets_of(1) == 2


def test_a_persons_buckets_go_with_their_last_socket() -> None:
    limiter = HubLimiter(HubLimits(commands_user=Rate(1, 1)))
    limiter.admit("a", 1)
    assert limiter.commands.take("a", 1, now=0.0) is None
    assert limiter.commands.take("a", 1, now=0.0) == "user"
    limiter.release("a", 1)
    limiter.admit("b", 1)
    assert limiter.commands.take("b", 1, now=0.0) is None


class FakeClock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, secs: float) -> None:
        self.now += secs


def test_after_a_refused_burst_the_refill_time_on_the_clock_lets_one_pass() -> None:
    clock = FakeClock()
    limiter = HubLimiter(
        HubLimits(commands_connection=Rate(4, 3), commands_user=Rate(100, 100)), clock=clock
    )
    assert [limiter.take_command("a", 1) for _ in range(4)] == [None] * 3 + ["connection"]
    refill_secs = 1 / 4  # one token at 4 a second
    clock.advance(refill_secs / 2)
    assert limiter.take_command("a", 1) == "connection"  # half a token so far
    clock.advance(refill_secs / 2)
    assert limiter.take_command("a", 1) is None
    assert limiter.take_command("a", 1) == "connection"


def test_ephemeral_messages_count_apart_from_commands_on_the_same_clock() -> None:
    clock = FakeClock()
    limiter = HubLimiter(
        HubLimits(
            commands_connection=Rate(1, 1),
            ephemeral_connection=Rate(100, 100),
            ephemeral_user=Rate(2, 2),
        ),
        clock=clock,
    )
    assert limiter.take_command("a", 1) is None
    assert limiter.take_command("a", 1) == "connection"
    assert [limiter.take_ephemeral("a", 1) for _ in range(3)] == [None, None, "user"]
    clock.advance(0.5)  # one token at 2 a second
    assert limiter.take_ephemeral("a", 1) is None
    assert limiter.take_command("a", 1) == "connection"  # half a second: half a command


def test_the_hub_counts_its_limits_on_the_clock_it_is_given() -> None:
    async def nobody(*_args: Any) -> Any:
        return None

    clock = FakeClock()
    hub = Hub(
        socketio.AsyncServer(async_mode="asgi"),
        authenticate=nobody,
        admit=nobody,
        join=nobody,
        handle_command=nobody,
        origin_policy=OriginPolicy(),
        limits=HubLimits(commands_connection=Rate(1, 1)),
        clock=clock,
    )
    assert hub.limiter.take_command("a", 1) is None
    assert hub.limiter.take_command("a", 1) == "connection"
    clock.advance(1.0)
    assert hub.limiter.take_command("a", 1) is None
