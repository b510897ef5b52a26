"""A worker's delivery of a meeting's events in seq order (``realtime.ordering``): early
events wait for their predecessors, missing ones are read from the log, late publications
are not delivered twice, and a failed read lets the held events go gap and all."""

from __future__ import annotations

import asyncio
from typing import Any

from realtime.ordering import Emit, MeetingOrder

MEETING = 7
ROOM = "meeting:7"
ALICE = "meeting:7:user:1"
BOB = "meeting:7:user:2"


def ev(*seqs: int) -> list[dict[str, Any]]:
    return [{"meeting_id": MEETING, "seq": s} for s in seqs]


class Log:
    """The meeting's log as ``fill`` reads it; ``broken`` makes every read fail."""

    def __init__(self, emits: list[Emit]) -> None:
        self.emits = emits
        self.broken = False
        self.reads: list[tuple[int, int]] = []

    async def __call__(self, meeting_id: int, after: int, up_to: int) -> list[Emit]:
        assert meeting_id == MEETING
        self.reads.append((after, up_to))
        if self.broken:
            raise ConnectionError("the database is down")
        return [
            (room, [e for e in events if after < e["seq"] <= up_to])
            for room, events in self.emits
            if any(after < e["seq"] <= up_to for e in events)
        ]


class Sockets:
    def __init__(self) -> None:
        self.got: list[tuple[str, int]] = []
        self.present = True

    async def __call__(self, room: str, events: list[dict[str, Any]]) -> None:
        self.got.extend((room, e["seq"]) for e in events)


def order_of(log: Log, sockets: Sockets) -> MeetingOrder:
    return MeetingOrder(sockets, log, lambda _meeting: sockets.present, hold_secs=0)


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def test_an_early_event_waits_for_its_predecessor_published_meanwhile() -> None:
    log, sockets = Log([]), Sockets()
    order = order_of(log, sockets)
    order.joined(MEETING, 0)
    await order.receive(MEETING, ROOM, ev(1))
    await order.receive(MEETING, ROOM, ev(3, 4))
    await order.receive(MEETING, ROOM, ev(2))
    await settle()
    assert sockets.got == [(ROOM, 1), (ROOM, 2), (ROOM, 3), (ROOM, 4)]
    assert log.reads == []


async def test_a_missing_event_is_read_from_the_log_and_its_late_publication_dropped() -> None:
    log, sockets = Log([(ROOM, ev(1, 2, 3))]), Sockets()
    order = order_of(log, sockets)
    order.joined(MEETING, 1)
    await order.receive(MEETING, ROOM, ev(4))
    await settle()
    assert log.reads == [(1, 3)]
    assert sockets.got == [(ROOM, 2), (ROOM, 3), (ROOM, 4)]
    await order.receive(MEETING, ROOM, ev(2, 3))  # the late publication
    await order.receive(MEETING, ROOM, ev(5))
    assert sockets.got == [(ROOM, 2), (ROOM, 3), (ROOM, 4), (ROOM, 5)]


async def test_a_batch_that_skips_another_workers_seqs_is_cut_into_runs() -> None:
    log, sockets = Log([]), Sockets()
    order = order_of(log, sockets)
    order.joined(MEETING, 0)
    await order.receive(MEETING, ROOM, ev(1, 3))  # 2 was committed through another worker
    await order.receive(MEETING, ROOM, ev(2))
    await settle()
    assert [seq for _, seq in sockets.got] == [1, 2, 3]


async def test_each_persons_copy_of_a_private_event_is_delivered_once() -> None:
    log, sockets = Log([(ALICE, ev(2)), (BOB, ev(2))]), Sockets()
    order = order_of(log, sockets)
    order.joined(MEETING, 1)
    await order.receive(MEETING, ROOM, ev(3))
    await settle()  # 2 read from the log, a copy for each person
    await order.receive(MEETING, ALICE, ev(2))
    await order.receive(MEETING, BOB, ev(2))
    assert sockets.got == [(ALICE, 2), (BOB, 2), (ROOM, 3)]


async def test_a_failed_read_lets_the_held_events_go_and_the_clients_heal() -> None:
    log, sockets = Log([(ROOM, ev(1))]), Sockets()
    log.broken = True
    order = order_of(log, sockets)
    order.joined(MEETING, 0)
    await order.receive(MEETING, ROOM, ev(2))
    await settle()
    assert sockets.got == [(ROOM, 2)]
    await order.receive(MEETING, ROOM, ev(3))
    assert sockets.got == [(ROOM, 2), (ROOM, 3)]


async def test_a_meeting_nobody_here_has_read_passes_straight_through() -> None:
    log, sockets = Log([]), Sockets()
    order = order_of(log, sockets)
    await order.receive(MEETING, ROOM, ev(5))
    order.joined(MEETING, 5)
    sockets.present = False  # the last socket left: the position is forgotten
    await order.receive(MEETING, ROOM, ev(9))
    assert sockets.got == [(ROOM, 5), (ROOM, 9)]
    assert log.reads == []
