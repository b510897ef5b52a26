"""Many meetings at once: M meetings of P participants each, with steady activity.

Each meeting has P sockets: its presenter (a generated member, in the driving process) and
P − 1 member tablets (in the load generator's workers). The demo chair and clerk are on
every roster: the clerk uploads a 20-page PDF, the chair starts the meeting and names the
presenter, then leaves. What happens for ``duration`` seconds, in every meeting at once:

- the presenter turns a page every ``TURN_EVERY_SECS`` with ``presenter.view`` (a command:
  checked, stored in the log, committed, broadcast to the meeting); the meetings' turns are
  staggered evenly over the interval, so the server sees a steady stream;
- every member draws once, at a random moment of the period, a short shared ink stroke sent
  on the ephemeral channel (``ink``, 24 points; relayed to the meeting, not stored).

That is a busy but plausible hour of a province's committees: 25 page turns and about 16
ink messages a second over the whole server. Latency is send (presenter or drawing member)
→ receive (each member tablet); deliveries are counted at the member tablets only (the
presenters receive too, but are not counted).

Memory: the server's resident set (``VmRSS``) before any participant connects (meetings
created, documents uploaded, sessions made), after the presenters joined (one socket and
the cached state per meeting), and after every tablet joined and the room stayed idle for
``IDLE_SECS``; per idle connection = (after − before) / sockets.

Baseline: the bare relay (``bench.relay``) with the same meetings as rooms, the same
sockets, turns and strokes.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench import fanout, load
from bench.accounts import Accounts
from bench.load import Progress, Tablet, Workers
from bench.servers import Running, rss_bytes
from bench.stats import ms, percentile, secs, size, summary, table

MEETINGS = 50
PARTICIPANTS = 20  # sockets per meeting: the presenter and the member tablets
DURATION_SECS = 60.0
TURN_EVERY_SECS = 2.0  # each presenter's page turns
INK_POINTS = 24  # points of a member's stroke message
IDLE_SECS = 5.0  # after the last join, before the memory is read
DRAIN_SECS = 10.0  # at most this long after the last send for the deliveries to arrive
SETUP_CONCURRENCY = 4  # meetings prepared at once (uploads start a subprocess each)
SETTLE_SECS = 120
ZOOM_FIRST = 10  # presenting.ZOOM_MIN_PERCENT: zooms from here on name (meeting, turn)
ZOOM_LAST = 800


@dataclass
class Meeting:
    """One meeting of the run: its id, the shown document, the presenter's session and
    the member tablets' sessions (None on the relay)."""

    meeting_id: int
    document_id: int
    presenter_token: str | None
    tablet_tokens: list[str | None]


def needed_members(meetings: int, participants: int) -> int:
    return meetings * participants


async def ecabinet(
    running: Running,
    people: Accounts,
    workers: Workers,
    *,
    meetings: int,
    participants: int,
    duration: float,
    progress: Progress,
) -> dict[str, Any]:
    """Create the meetings (a presenter and ``participants − 1`` members each, all
    different people), then the run."""
    if needed_members(meetings, participants) > len(people.members):
        raise ValueError(f"{meetings} × {participants} needs more generated members")
    semaphore = asyncio.Semaphore(SETUP_CONCURRENCY)
    done = 0

    async def prepare(index: int) -> Meeting:
        nonlocal done
        members = people.members[index * participants : (index + 1) * participants]
        presenter = members[0]
        async with semaphore:
            roster = [
                (people.chair.user_id, "chair"),
                (people.clerk.user_id, "clerk"),
                *((m.user_id, "member") for m in members),
            ]
            meeting_id = await load.create_meeting(
                running.url, people.admin.token, f"Phiên họp {index + 1:02d}", roster
            )
            document, _ = await load.upload_pdf(
                running.url,
                people.clerk.token,
                meeting_id,
                load.small_pdf(fanout.DOCUMENT_PAGES),
            )
            chair = await load.open_driver(running.url, people.chair.token, meeting_id)
            try:
                await load.start_presenting(chair, presenter.user_id)
            finally:
                await chair.close()
        done += 1
        progress.step("preparing meetings", done, meetings)
        return Meeting(
            meeting_id,
            int(document["id"]),
            presenter.token,
            [m.token for m in members[1:]],
        )

    prepared = await asyncio.gather(*(prepare(i) for i in range(meetings)))
    return await run(running, workers, prepared, duration=duration, progress=progress)


async def relay(
    running: Running,
    workers: Workers,
    *,
    meetings: int,
    participants: int,
    duration: float,
    progress: Progress,
) -> dict[str, Any]:
    rooms = [Meeting(i + 1, 1, None, [None] * (participants - 1)) for i in range(meetings)]
    return await run(running, workers, rooms, duration=duration, progress=progress)


def _view(meeting: int, meetings: int, turn: int) -> tuple[int, int]:
    """(page, zoom) of a meeting's turn, distinct over all meetings and turns of the run."""
    pages = fanout.DOCUMENT_PAGES
    zoom = ZOOM_FIRST + meeting + meetings * (turn // pages)
    if zoom > ZOOM_LAST:
        raise ValueError("too many turns for distinct views: shorten the run")
    return 1 + turn % pages, zoom


def _stroke(document_id: int, tablet: int) -> dict[str, Any]:
    """A short stroke on page 1, its id naming the tablet that draws it."""
    rng = random.Random(tablet)
    x, y = rng.uniform(50, 500), rng.uniform(50, 750)
    points = [[round(x + 4 * i, 1), round(y + rng.uniform(-3, 3), 1)] for i in range(INK_POINTS)]
    return {
        "document_id": document_id,
        "page": 1,
        "stroke": f"s{tablet}",
        "points": points,
        "color": "#d32f2f",
        "width": 2,
    }


def _rss_per(before: int, after: int, sockets: int) -> float:
    return (after - before) / max(1, sockets)


async def run(
    running: Running,
    workers: Workers,
    meetings: Sequence[Meeting],
    *,
    duration: float,
    progress: Progress,
) -> dict[str, Any]:
    count = len(meetings)
    per_meeting = len(meetings[0].tablet_tokens)
    sockets = count * (per_meeting + 1)
    on_ecabinet = running.backend != "relay"
    rss_before = rss_bytes(running.pid)
    presenters: list[Tablet] = []
    try:
        progress.update(f"{running.backend}: {count} presenters join …", force=True)
        for offset in range(0, count, load.JOIN_BATCH):
            batch = meetings[offset : offset + load.JOIN_BATCH]
            presenters += await asyncio.gather(
                *(load.open_driver(running.url, m.presenter_token, m.meeting_id) for m in batch)
            )
        rss_presenters = rss_bytes(running.pid)
        tokens = [t for m in meetings for t in m.tablet_tokens]
        owner = [i for i, m in enumerate(meetings) for _ in m.tablet_tokens]
        connect_secs = await workers.connect(running.url, tokens, progress)
        rss_connected = rss_bytes(running.pid)
        joins, join_secs = await workers.join(
            [meetings[i].meeting_id for i in owner], None, progress
        )
        settled = workers.count
        if on_ecabinet:
            progress.update(f"{running.backend}: presence lists …", force=True)
            settled = await workers.settle(per_meeting + 1, SETTLE_SECS)
        await asyncio.sleep(IDLE_SECS)
        rss_idle = rss_bytes(running.pid)

        # The activity.
        turns_each = int(duration / TURN_EVERY_SECS)
        start = load.monotonic() + 1.0
        sent: dict[tuple[int, int], float] = {}
        view_owner: dict[tuple[int, int], int] = {}
        acks: list[float] = []
        refused: dict[str, int] = {}

        async def present(index: int, presenter: Tablet) -> None:
            meeting = meetings[index]
            first = start + index * TURN_EVERY_SECS / count
            for turn in range(turns_each):
                await asyncio.sleep(max(0.0, first + turn * TURN_EVERY_SECS - load.monotonic()))
                page, zoom = _view(index, count, turn)
                view = {"document_id": meeting.document_id, "page": page, "zoom": zoom}
                sent[(page, zoom)] = at = load.monotonic()
                view_owner[(page, zoom)] = index
                try:
                    ack = await presenter.cmd("presenter.view", view)
                except Exception as exc:  # a timeout: counted, the run goes on
                    ack = {"ok": False, "error": {"code": type(exc).__name__}}
                acks.append(load.monotonic() - at)
                if not ack.get("ok"):
                    code = str(ack.get("error", {}).get("code"))
                    refused[code] = refused.get(code, 0) + 1

        rng = random.Random(2026)
        worker_order = [i for part in workers.order for i in part]
        payloads: list[dict[str, Any]] = []
        starts: list[float] = []
        for tablet in worker_order:
            stroke = _stroke(meetings[owner[tablet]].document_id, tablet)
            payloads.append({"kind": "ink", "data": stroke})
            starts.append(start + rng.uniform(0, duration))

        async def report_progress() -> None:
            while True:
                await asyncio.sleep(2)
                elapsed = load.monotonic() - start
                progress.update(
                    f"{running.backend}: {elapsed:.0f}/{duration:.0f} s, "
                    f"{len(acks)}/{turns_each * count} page turns acked"
                )

        cpu0, gen0 = running.cpu(), (await workers.usage())["cpu"]
        ticker = asyncio.create_task(report_progress())
        drawing = asyncio.create_task(
            workers.send("ephemeral", payloads, starts, load.CALL_TIMEOUT_SECS)
        )
        try:
            await asyncio.gather(*(present(i, p) for i, p in enumerate(presenters)))
            ink_outcomes = await drawing
        finally:
            ticker.cancel()
        ends = load.monotonic()

        # Wait for the deliveries (or DRAIN_SECS), then collect them.
        expected_views = len(sent) * per_meeting
        expected_inks = sum(1 for o in ink_outcomes if o[0]) * (per_meeting - 1)
        deadline = ends + DRAIN_SECS
        while load.monotonic() < deadline:
            messages = (await workers.usage())["messages"]
            await asyncio.sleep(0.5)
            if (await workers.usage())["messages"] == messages:
                break
        wall = load.monotonic() - start
        cpu = running.cpu() - cpu0
        generator = (await workers.usage())["cpu"] - gen0
        rss_after = rss_bytes(running.pid)
        records = await workers.take()
        views: list[float] = []
        for key, at in sent.items():
            views += [t - at for t in records.get(("view", key), [])]
        ink_sent = {payloads[k]["data"]["stroke"]: o[2] for k, o in enumerate(ink_outcomes) if o[0]}
        inks: list[float] = []
        for stroke, at in ink_sent.items():
            inks += [t - at for t in records.get(("ink", stroke), [])]
        ink_refused: dict[str, int] = {}
        for ok, code, _, _ in ink_outcomes:
            if not ok:
                ink_refused[str(code)] = ink_refused.get(str(code), 0) + 1
        active = ends - start
        commands = len(sent) - sum(refused.values()) + len(ink_sent)
        row: dict[str, Any] = {
            "server": running.backend,
            "meetings": count,
            "participants": per_meeting + 1,
            "sockets": sockets,
            "duration": duration,
            "connect_secs": connect_secs,
            "join_secs": join_secs,
            "join_ack_p50": percentile(joins, 50),
            "join_ack_p99": percentile(joins, 99),
            "settled": settled,
            "rss_before": rss_before,
            "rss_presenters": rss_presenters,
            "rss_connected": rss_connected,
            "rss_idle": rss_idle,
            "rss_after": rss_after,
            "rss_per_connection": _rss_per(rss_before, rss_idle, sockets),
            "rss_per_tablet": _rss_per(rss_presenters, rss_idle, workers.count),
            "rss_per_socket_before_join": _rss_per(rss_presenters, rss_connected, workers.count),
            "turns": len(sent),
            "turns_refused": refused,
            "turn_ack": summary(acks),
            "views": summary(views),
            "views_p95": percentile(views, 95),
            "views_missing": expected_views - len(views),
            "inks": len(ink_sent),
            "inks_refused": ink_refused,
            "ink_ack": summary([o[3] - o[2] for o in ink_outcomes]),
            "ink": summary(inks),
            "ink_missing": expected_inks - len(inks),
            "active_secs": active,
            "wall_secs": wall,
            "commands_per_sec": commands / active,
            "deliveries": len(views) + len(inks),
            "deliveries_per_sec": (len(views) + len(inks)) / active,
            "server_cpu": cpu,
            "server_cpu_share": cpu / wall,
            "generator_cpu": generator,
            "dropped": (await workers.usage())["dropped"],
        }
        progress.done()
        return row
    finally:
        await asyncio.gather(*(p.close() for p in presenters))
        await workers.disconnect()


def print_rows(rows: Sequence[dict[str, Any]]) -> None:
    """The activity table and the memory table, relay first."""
    out = []
    for r in rows:
        out.append(
            [
                _server(r),
                f"{r['meetings']} × {r['participants']}",
                f"{r['turns']} ({sum(r['turns_refused'].values())} refused)",
                f"{r['inks']} ({sum(r['inks_refused'].values())} refused)",
                f"{r['commands_per_sec']:.1f}",
                f"{r['deliveries_per_sec']:.0f}",
                ms(r["views"]["p50"]),
                ms(r["views"]["p99"]),
                ms(r["turn_ack"]["p50"]),
                ms(r["ink"]["p50"]),
                ms(r["ink"]["p99"]),
                f"{r['views_missing']} / {r['ink_missing']}",
                f"{secs(r['server_cpu'])} ({r['server_cpu_share']:.0%})",
                secs(r["generator_cpu"]),
            ]
        )
    print(
        table(
            [
                "server",
                "meetings × sockets",
                "page turns",
                "ink messages",
                "commands/s",
                "deliveries/s",
                "turn p50",
                "turn p99",
                "turn ack p50",
                "ink p50",
                "ink p99",
                "missed (turns / ink)",
                "server CPU (of one core)",
                "generator CPU",
            ],
            out,
        )
    )
    print()
    print(
        table(
            [
                "server",
                "RSS before",
                "presenters joined",
                "all connected",
                "all joined, idle",
                "after the activity",
                "per idle connection",
                "per member tablet",
                "per socket before its join",
            ],
            [
                [
                    _server(r),
                    size(r["rss_before"]),
                    size(r["rss_presenters"]),
                    size(r["rss_connected"]),
                    size(r["rss_idle"]),
                    size(r["rss_after"]),
                    size(r["rss_per_connection"]),
                    size(r["rss_per_tablet"]),
                    size(r["rss_per_socket_before_join"]),
                ]
                for r in rows
            ],
        )
    )
    for r in rows:
        if r["dropped"] or r["settled"] < r["sockets"] - r["meetings"]:
            print(f"\n{_server(r)}: settled {r['settled']}, dropped {r['dropped']}")


def _server(row: dict[str, Any]) -> str:
    return "bare relay" if row["server"] == "relay" else f"E-cabinet ({row['server']})"
