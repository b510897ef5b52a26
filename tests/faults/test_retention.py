"""A tablet that comes back after its missed events left the replay window gets a fresh
snapshot, never a partial replay; one exactly at the window's edge gets the events."""

from __future__ import annotations

from harness.client import connect, login, new_meeting
from harness.server import Server
from tests.faults.conftest import EnvFactory
from tests.faults.tablet import Tablet
from tests.faults.world import check_tablet, read_truth, running, stop_all, wait_until_current

WINDOW = 20  # ECABINET_REPLAY_WINDOW_EVENTS for this server
CURRENT_WITHIN_SECS = 30  # a correctness deadline on a busy machine


async def add_items(chair: Tablet, count: int, label: str) -> int:
    seq = 0
    for n in range(count):
        ack = await chair.command(
            "agenda.item.add", {"title": f"{label} {n + 1}", "kind": "discussion"}
        )
        assert ack["ok"], ack
        seq = ack["seq"]
    return seq


async def test_beyond_the_replay_window_a_tablet_gets_a_snapshot_never_a_gap(
    sqlite_env: EnvFactory,
) -> None:
    env = sqlite_env(ECABINET_REPLAY_WINDOW_EVENTS=str(WINDOW))
    with running(Server(env)) as (server,):
        url = server.url
        meeting = await new_meeting(url, await login(url, "admin"))
        tokens = {name: await login(url, name) for name in ("chair", "member1", "member2")}
        chair = await Tablet([url], tokens["chair"], meeting, name="chair").start()
        edge = await Tablet([url], tokens["member1"], meeting, name="edge").start()
        far = await Tablet([url], tokens["member2"], meeting, name="far").start()
        tablets = [chair, edge, far]
        try:
            assert (await chair.command("meeting.start"))["ok"]
            await far.wait_for_seq(1, CURRENT_WITHIN_SECS)
            await far.go_offline()  # asleep at seq 1

            middle = await add_items(chair, WINDOW, "Mục")
            await edge.wait_for_seq(middle, CURRENT_WITHIN_SECS)
            await edge.go_offline()  # asleep at seq 1 + WINDOW

            head = await add_items(chair, WINDOW, "Mục bổ sung")
            assert head - edge.last_seq == WINDOW and head - far.last_seq == 2 * WINDOW

            await far.go_online()
            await edge.go_online()
            await wait_until_current(tablets, head, CURRENT_WITHIN_SECS)
            truth = await read_truth(env["ECABINET_DATABASE_URL"], meeting)
            assert truth.head == head
            for tablet in tablets:
                check_tablet(tablet, truth)
            # far: a fresh snapshot at the head, never a partial replay
            assert far.join_modes == [(None, "snapshot"), (1, "snapshot")]
            assert far.base_seq == head and far.applied == []
            # edge: exactly WINDOW behind, its missed events replayed
            assert edge.join_modes == [(None, "snapshot"), (middle, "events")]
            assert [e["seq"] for e in edge.applied][-WINDOW:] == list(range(middle + 1, head + 1))
        finally:
            await stop_all(tablets)

        # a last_seq ahead of the server's head (a tablet that saw another database) too
        member = await connect(url, "member3")
        try:
            answer = await member.join(meeting, last_seq=head + 5)
            assert answer["mode"] == "snapshot" and answer["seq"] == head
        finally:
            await member.close()
