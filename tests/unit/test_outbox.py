"""The ordered per-meeting sender: order, batching, the hold on throttled items, close."""

from __future__ import annotations

import asyncio

import pytest

from realtime.outbox import MeetingOutbox

HOUR = 3600.0  # an interval no test waits out: a held item leaves only when pushed


class Recorder:
    """A ``send`` that records its batches; ``gate`` (when set) holds each send open."""

    def __init__(self) -> None:
        self.batches: list[tuple[int, list[str]]] = []
        self.gate: asyncio.Event | None = None
        self.fail_next = False
        self.arrived = asyncio.Event()

    async def __call__(self, meeting_id: int, batch: list[str]) -> None:
        if self.gate is not None:
            await self.gate.wait()
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("the room emit failed")
        self.batches.append((meeting_id, batch))
        self.arrived.set()

    def sent(self, meeting_id: int) -> list[str]:
        return [item for mid, batch in self.batches if mid == meeting_id for item in batch]


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def throttled(item: str) -> bool:
    return item.startswith("count")


async def test_items_leave_in_the_order_they_were_put_and_pile_ups_leave_as_one_batch() -> None:
    send = Recorder()
    send.gate = asyncio.Event()
    outbox: MeetingOutbox[str] = MeetingOutbox(send)
    outbox.put(1, ["a"])
    await settle()  # "a" is being sent; the gate holds it
    outbox.put(1, ["b", "c"])
    outbox.put(1, ["d"])
    assert outbox.pending() == 3
    send.gate.set()
    await outbox.close()
    assert send.batches == [(1, ["a"]), (1, ["b", "c", "d"])]
    assert outbox.pending() == 0


async def test_meetings_do_not_wait_for_each_other() -> None:
    send = Recorder()
    blocked = asyncio.Event()

    async def slow_for_meeting_1(meeting_id: int, batch: list[str]) -> None:
        if meeting_id == 1:
            await blocked.wait()
        await send(meeting_id, batch)

    outbox: MeetingOutbox[str] = MeetingOutbox(slow_for_meeting_1)
    outbox.put(1, ["one"])
    outbox.put(2, ["two"])
    await settle()
    assert send.sent(2) == ["two"] and send.sent(1) == []
    blocked.set()
    await outbox.close()
    assert send.sent(1) == ["one"]


async def test_throttled_items_alone_are_held_until_the_interval_or_another_item() -> None:
    send = Recorder()
    outbox: MeetingOutbox[str] = MeetingOutbox(send, throttled=throttled, interval=HOUR)
    outbox.put(1, ["count-1"])
    await settle()
    assert send.sent(1) == ["count-1"]  # the first leaves at once
    outbox.put(1, ["count-2"])
    outbox.put(1, ["count-3"])
    await settle()
    assert send.sent(1) == ["count-1"]  # held: the last count left less than an hour ago
    outbox.put(1, ["closed"])
    await settle()
    # Another kind of item takes the held counts with it, in order.
    assert send.batches[-1] == (1, ["count-2", "count-3", "closed"])
    await outbox.close()


async def test_throttled_items_leave_once_the_interval_is_over() -> None:
    now = [0.0]
    send = Recorder()
    outbox: MeetingOutbox[str] = MeetingOutbox(
        send, throttled=throttled, interval=0.05, clock=lambda: now[0]
    )
    outbox.put(1, ["count-1"])
    await settle()
    outbox.put(1, ["count-2"])
    await settle()
    assert send.sent(1) == ["count-1"]
    now[0] = 0.05  # the injected clock says the interval is over; the real wait ends too
    async with asyncio.timeout(5):
        while send.sent(1) != ["count-1", "count-2"]:
            send.arrived.clear()
            await send.arrived.wait()


async def test_close_sends_what_is_held() -> None:
    send = Recorder()
    outbox: MeetingOutbox[str] = MeetingOutbox(send, throttled=throttled, interval=HOUR)
    outbox.put(1, ["count-1"])
    await settle()
    outbox.put(1, ["count-2"])
    await settle()
    await outbox.close()
    assert send.sent(1) == ["count-1", "count-2"]


async def test_a_failed_send_is_logged_and_the_next_items_still_leave(
    caplog: pytest.LogCaptureFixture,
) -> None:
    send = Recorder()
    send.fail_next = True
    outbox: MeetingOutbox[str] = MeetingOutbox(send)
    outbox.put(7, ["lost"])
    await settle()
    outbox.put(7, ["next"])
    await outbox.close()
    assert send.sent(7) == ["next"]
    assert "meeting 7: sending 1 events failed" in caplog.text


async def test_putting_nothing_starts_nothing() -> None:
    send = Recorder()
    outbox: MeetingOutbox[str] = MeetingOutbox(send)
    outbox.put(1, [])
    await outbox.close()
    assert send.batches == []
