"""The participation hold where the tablets are (``realtime.holding``), on a fake clock."""

from __future__ import annotations

from typing import Any

from realtime.holding import ParticipationHold

ROOM = "meeting:7"


def ev(seq: int, kind: str) -> dict[str, Any]:
    return {"meeting_id": 7, "seq": seq, "type": kind}


class Sockets:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[int]]] = []

    async def __call__(self, room: str, events: list[dict[str, Any]]) -> None:
        self.messages.append((room, [e["seq"] for e in events]))


def hold_on(sockets: Sockets, now: list[float]) -> ParticipationHold:
    return ParticipationHold(
        sockets,
        lambda e: e["type"] == "vote.participated",
        interval=1.0,
        clock=lambda: now[0],
    )


async def test_a_second_count_within_the_interval_waits_and_leaves_with_the_next_event() -> None:
    sockets, now = Sockets(), [100.0]
    hold = hold_on(sockets, now)
    await hold.deliver(ROOM, [ev(1, "vote.participated")])
    now[0] = 100.4
    await hold.deliver(ROOM, [ev(2, "vote.participated")])
    assert sockets.messages == [(ROOM, [1])]
    await hold.deliver(ROOM, [ev(3, "poll.closed")])
    assert sockets.messages == [(ROOM, [1]), (ROOM, [2, 3])]


async def test_a_count_after_the_interval_leaves_at_once() -> None:
    sockets, now = Sockets(), [100.0]
    hold = hold_on(sockets, now)
    await hold.deliver(ROOM, [ev(1, "vote.participated")])
    now[0] = 101.0
    await hold.deliver(ROOM, [ev(2, "vote.participated")])
    await hold.deliver(ROOM, [ev(3, "agenda.item.added")])
    assert sockets.messages == [(ROOM, [1]), (ROOM, [2]), (ROOM, [3])]
