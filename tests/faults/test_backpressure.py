"""A tablet that stops reading is dropped; the others keep receiving.

Two raw websocket clients join a meeting and stop reading: "slow" reads again once it has
been dropped, "frozen" never does. The chair then edits an agenda item with long texts
(about 30 KB per event on the wire), so their TCP windows and the server's socket buffers
fill (the kernel takes a few MiB per connection) and then the server's per-client send
queue grows, up to its bound.
"""

from __future__ import annotations

import asyncio
import json
import time

from harness.client import connect, login, new_meeting
from harness.server import Server
from realtime.backpressure import ABORT_AFTER_SECS, SendLimits, SendQueue
from tests.faults.conftest import EnvFactory
from tests.faults.rawclient import RawClient
from tests.faults.world import metrics_of, running

QUEUE_LIMIT = 40  # messages; small, so that the test fills it quickly
MAX_COMMANDS = 800  # far more than needed to fill a few hundred KiB of buffers
NOTICE = '42["resync-required",{"reason":"slow-consumer"}]'
DISCONNECT = "41"


def long_text(n: int) -> str:
    """5000 characters that JSON escapes to six bytes each (~30 KB on the wire)."""
    return "ệ" * 4990 + f"{n:010d}"


async def test_a_client_that_stops_reading_is_dropped_and_the_others_keep_receiving(
    sqlite_env: EnvFactory,
) -> None:
    env = sqlite_env(ECABINET_SEND_QUEUE_MAX_MESSAGES=str(QUEUE_LIMIT))
    with running(Server(env)) as (server,):
        url = server.url
        meeting = await new_meeting(url, await login(url, "admin"))
        chair = await connect(url, "chair")
        member = await connect(url, "member1")
        slow = await RawClient.connect(url, await login(url, "member2"), "slow")
        frozen = await RawClient.connect(url, await login(url, "member3"), "frozen")
        try:
            for client in (chair, member):
                assert (await client.join(meeting))["ok"]
            for raw in (slow, frozen):
                assert (await raw.call("join", {"meeting_id": meeting, "last_seq": None}))["ok"]
            assert (await chair.cmd("meeting.start"))["ok"]
            item = {"title": "Kế hoạch năm 2027", "kind": "discussion"}
            assert (await chair.cmd("agenda.item.add", item))["ok"]
            item_id = (await chair.join(meeting))["snapshot"]["state"]["agenda"]["items"][0]["id"]

            largest_queue = 0
            dropped = 0.0
            for n in range(MAX_COMMANDS):
                ack = await chair.cmd(
                    "agenda.item.update", {"item_id": item_id, "description": long_text(n)}
                )
                assert ack["ok"], ack
                if n % 5 == 4:
                    sample = await metrics_of(url)
                    largest_queue = max(
                        largest_queue, int(sample["ecabinet_send_queue_max_messages"])
                    )
                    dropped = sample["ecabinet_slow_clients_dropped_total"]
                    if dropped == 2:
                        break
            dropped_at = time.monotonic()
            assert dropped == 2, f"not dropped after {MAX_COMMANDS} large events"
            assert largest_queue <= QUEUE_LIMIT

            # "slow" reads again: after what was already in flight come the notice and the
            # disconnect; the server then closes the connection.
            messages, _code = await slow.read_rest(within=ABORT_AFTER_SECS)
            assert NOTICE in messages, messages[-3:]
            assert messages[messages.index(NOTICE) + 1] == DISCONNECT

            # The others received everything, in order, while the two were stuck.
            head = ack["seq"]
            await member.wait_for(lambda: bool(member.events) and member.events[-1]["seq"] == head)
            assert [e["seq"] for e in member.events] == list(range(1, head + 1))
            # … and the dropped ones left the meeting's presence.
            await member.wait_for(
                lambda: (
                    {
                        device
                        for person in member.presence[-1]["people"]
                        for device in person["devices"]
                    }
                    == {"tablet"}
                )
            )

            # "frozen" never read its notice: the connection was cut under it.
            await asyncio.sleep(max(0.0, dropped_at + ABORT_AFTER_SECS + 1 - time.monotonic()))
            messages, code = await frozen.read_rest(within=10)
            assert code == 1006
            assert NOTICE not in messages

            # Nothing is left queued, and the meeting goes on for those who read.
            after = await metrics_of(url)
            assert after["ecabinet_send_queue_messages"] == 0
            assert after["ecabinet_connected_clients"] == 2
            more = await chair.cmd("agenda.item.update", {"item_id": item_id, "title": "Kế hoạch"})
            await member.wait_for(lambda: member.events[-1]["seq"] == more["seq"])
        finally:
            await chair.close()
            await member.close()
            for raw in (slow, frozen):
                await raw.close()


def test_the_notice_is_one_socket_io_event() -> None:
    name, data = json.loads(NOTICE[2:])
    assert (name, data) == ("resync-required", {"reason": "slow-consumer"})


class Packet:
    def __init__(self, data: str) -> None:
        self.data = data


async def test_the_send_queue_refuses_beyond_its_bounds_and_reports_once() -> None:
    overflowed: list[SendQueue] = []
    queue = SendQueue(SendLimits(max_messages=3, max_bytes=10), overflowed.append)
    for text in ("ab", "cd", "ef"):
        await queue.put(Packet(text))
    assert (queue.qsize(), queue.bytes) == (3, 6)
    await queue.put(Packet("gh"))  # a fourth message: refused, reported
    assert queue.qsize() == 3 and overflowed == [queue]
    await queue.put(Packet("x"))  # refused too, reported once
    assert queue.qsize() == 3 and overflowed == [queue]
    await queue.put(None)  # the writer's stop signal always goes in
    assert queue.qsize() == 4
    assert queue.discard_all() == 4 and queue.bytes == 0

    by_bytes = SendQueue(SendLimits(max_messages=100, max_bytes=10), overflowed.append)
    await by_bytes.put(Packet("x" * 8))
    await by_bytes.put(Packet("x" * 3))  # 11 bytes > 10
    assert by_bytes.qsize() == 1 and overflowed[-1] is by_bytes
    assert by_bytes.get_nowait().data == "x" * 8 and by_bytes.bytes == 0
