"""Joining a meeting full of annotations: 100 agenda items, 30 documents and 5 000 marks.

The marks are made through the ordinary commands by ``ANNOTATORS`` people (the presenter
and generated members), a share of them shared with the meeting, the rest private; the
kinds are mixed as on a real board pack (mostly ink, then highlights, then notes). Then
the presenter, who owns a tenth of the marks, joins with ``last_seq: null`` again and
again: the answer is a snapshot holding the shared marks and their own.

Timed, beside baselines from the same run and the same database:

* snapshot join on the running server (state cached) — the figure the goal is about
  (p95 ≤ ``GOAL_P95_SECS``) —, the same over a websocket with permessage-deflate (as a
  browser connects), and on a fresh server process (folded from the whole log);
* the bare SQL read of the meeting's log rows, decoded (what any join must at least read
  when it has no cache), and the bare relay answering an ack of the very same payload
  (the socket and JSON of that size alone; only when it is under the relay's 1 MB limit);
* in this process: python-socketio's encoding of that answer with the marks as JSON text
  (as sent) and as a list (as before), and the deflating of the encoded packet.
"""

from __future__ import annotations

import asyncio
import copy
import json
import random
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import socketio

from bench import load
from bench.accounts import Accounts
from bench.load import Progress, Tablet
from bench.resync import _echo, _size, _sql_reads
from bench.servers import Running, restart
from bench.stats import percentile, summary

AGENDA_ITEMS = 100
DOCUMENTS = 30
DOCUMENT_PAGES = 12
ANNOTATIONS = 5000
ANNOTATORS = 10  # the presenter and nine members, 500 marks each
SHARED_SHARE = 0.4  # of each person's marks
INK_POINTS = 40  # raw points of one stroke (about 0.7 s of a pen at 60 Hz)
PIPELINE = 4  # commands in flight per annotator
GOAL_P95_SECS = 0.150
RELAY_MAX_BYTES = 1_000_000
RATE_LIMITED_PAUSE_SECS = 0.2
ENCODING_SAMPLES = 10
SEED = 20261201


def _mark(rng: random.Random, document_id: int, shared: bool) -> dict[str, Any]:
    page = rng.randint(1, DOCUMENT_PAGES)
    base = {"document_id": document_id, "page": page, "shared": shared}
    roll = rng.random()
    if roll < 0.6:
        x, y = rng.uniform(60, 500), rng.uniform(80, 760)
        points = []
        for i in range(INK_POINTS):
            x += rng.uniform(-3, 6)
            y += rng.uniform(-4, 4)
            points.append([round(x, 2), round(y, 2), round(0.3 + 0.5 * i / INK_POINTS, 2)])
        return {**base, "kind": "ink", "points": points, "color": "#d32f2f", "width": 2}
    if roll < 0.85:
        top = rng.uniform(120, 700)
        rects = [
            [72, top - 16 * i, 72 + rng.uniform(120, 440), top - 16 * i + 13] for i in range(3)
        ]
        return {**base, "kind": "highlight", "rects": rects}
    text = "Đề nghị làm rõ số liệu giải ngân vốn đầu tư công quý IV và nguyên nhân chậm."
    return {**base, "kind": "note", "text": text, "anchor": [rng.uniform(60, 500), 700]}


async def _command(tablet: Tablet, type_: str, data: dict[str, Any]) -> None:
    """One command, sent again after a pause while the server says ``rate-limited``
    (a refused command stored nothing)."""
    while True:
        ack = await tablet.cmd(type_, data)
        if ack.get("ok") or ack.get("error", {}).get("code") != "rate-limited":
            load.check(ack, "fill")
            return
        await asyncio.sleep(RATE_LIMITED_PAUSE_SECS)


async def _commands(tablet: Tablet, commands: list[tuple[str, dict[str, Any]]]) -> None:
    for start in range(0, len(commands), PIPELINE):
        batch = commands[start : start + PIPELINE]
        await asyncio.gather(*(_command(tablet, t, d) for t, d in batch))


async def _fill(
    running: Running, accounts: Accounts, meeting_id: int, progress: Progress
) -> tuple[float, list[int]]:
    """Agenda, documents and marks; returns the seconds taken and the document ids."""
    began = time.monotonic()
    clerk = await load.open_driver(running.url, accounts.clerk.token, meeting_id)
    try:
        progress.update(f"{AGENDA_ITEMS} agenda items …", force=True)
        await _commands(
            clerk,
            [
                ("agenda.item.add", {"title": f"Nội dung số {n}", "kind": "discussion"})
                for n in range(1, AGENDA_ITEMS + 1)
            ],
        )
    finally:
        await clerk.close()
    progress.update(f"{DOCUMENTS} documents …", force=True)
    body = load.small_pdf(DOCUMENT_PAGES)
    documents = []
    for n in range(DOCUMENTS):
        document, _ = await load.upload_pdf(
            running.url, accounts.clerk.token, meeting_id, body, filename=f"tai-lieu-{n}.pdf"
        )
        documents.append(int(document["id"]))
    progress.update(f"{ANNOTATIONS} annotations …", force=True)
    people = [accounts.presenter, *accounts.members[: ANNOTATORS - 1]]
    rng = random.Random(SEED)
    each = ANNOTATIONS // len(people)
    plans = [
        [
            ("annotation.create", _mark(rng, rng.choice(documents), rng.random() < SHARED_SHARE))
            for _ in range(each)
        ]
        for _ in people
    ]
    tablets = [await load.open_driver(running.url, p.token, meeting_id) for p in people]
    try:
        await asyncio.gather(*(_commands(t, plan) for t, plan in zip(tablets, plans, strict=True)))
    finally:
        for tablet in tablets:
            await tablet.close()
    return time.monotonic() - began, documents


@dataclass
class Joins:
    acks: list[float]  # seconds until the answer is in (received and decoded by Socket.IO)
    parsed: list[float]  # … and its marks parsed from their JSON text (Python's json)
    answer: dict[str, Any]  # the last answer, with the parsed marks under "marks"


async def _joins(tablet: Tablet, meeting_id: int, samples: int) -> Joins:
    """Snapshot joins: until the answer is in, and until the marks are parsed too."""
    acks, parsed, ack, marks = [], [], {}, []
    for _ in range(samples):
        at = time.monotonic()
        ack = load.check(await tablet.join(meeting_id, None), "join")
        acks.append(time.monotonic() - at)
        marks = json.loads(ack["snapshot"]["state"]["annotations"])
        parsed.append(time.monotonic() - at)
    return Joins(acks, parsed, {**ack, "marks": marks})


def _encoding(ack: dict[str, Any], marks: list[Any], samples: int) -> dict[str, Any]:
    """In this process: what python-socketio's encoder spends on the answer with the marks
    as JSON text (as sent) and as a list of objects (as they were sent before), and what
    permessage-deflate spends compressing the encoded packet."""
    as_list = copy.deepcopy(ack)
    as_list["snapshot"]["state"]["annotations"] = marks

    def encode(answer: dict[str, Any]) -> str:
        encoded: str = socketio.packet.Packet(socketio.packet.ACK, data=[answer], id=1).encode()
        return encoded

    def timed(work: Callable[[], object]) -> list[float]:
        latencies = []
        for _ in range(samples):
            at = time.perf_counter()
            work()
            latencies.append(time.perf_counter() - at)
        return latencies

    packet = encode(ack).encode()

    def deflate() -> None:
        compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        compressor.compress(packet)
        compressor.flush(zlib.Z_SYNC_FLUSH)

    return {
        "text": summary(timed(lambda: encode(ack))),
        "list": summary(timed(lambda: encode(as_list))),
        "deflate": summary(timed(deflate)),
        "deflated_bytes": len(zlib.compress(packet)),
    }


async def _deflated_joins(
    running: Running, token: str, meeting_id: int, samples: int
) -> list[float]:
    """Snapshot joins over a websocket with permessage-deflate, which browsers always ask
    for (aiohttp, under the other tablets, does not): the server compresses each answer."""
    tablet = Tablet(token)
    tablet.sio.eio.websocket_extra_options = {"compress": 15}
    await tablet.connect(running.url, device="bench")
    try:
        await _joins(tablet, meeting_id, 2)
        return (await _joins(tablet, meeting_id, samples)).acks
    finally:
        await tablet.close()


async def _cold_join(running: Running, token: str, meeting_id: int) -> float:
    server, fresh = restart(running)
    try:
        tablet = Tablet(token)
        await tablet.connect(fresh.url, device="bench")
        try:
            at = time.monotonic()
            load.check(await tablet.join(meeting_id, None), "cold join")
            return time.monotonic() - at
        finally:
            await tablet.close()
    finally:
        server.stop()


async def run(
    running: Running,
    relay: Running,
    accounts: Accounts,
    *,
    samples: int,
    progress: Progress,
) -> dict[str, Any]:
    members = min(len(accounts.members), ANNOTATORS + 10)
    if members < ANNOTATORS - 1:
        raise ValueError(f"the annotations benchmark needs {ANNOTATORS - 1} generated members")
    meeting_id = await accounts.meeting("Phiên họp nhiều ghi chú", members)
    fill_secs, _documents = await _fill(running, accounts, meeting_id, progress)
    reader = Tablet(accounts.presenter.token)
    await reader.connect(running.url, device="bench")
    try:
        progress.update("joins …", force=True)
        await _joins(reader, meeting_id, 2)  # warm the cache, as a running meeting has it
        # CPU time per join, of the server and of this client: what a join costs, apart
        # from waiting for the CPUs (the machine is shared).
        server_cpu, client_cpu = running.cpu(), time.process_time()
        joins = await _joins(reader, meeting_id, samples)
        snapshot, ack = joins.acks, joins.answer
        server_cpu = (running.cpu() - server_cpu) / samples
        client_cpu = (time.process_time() - client_cpu) / samples
        state = ack["snapshot"]["state"]
        progress.update("joins with permessage-deflate …", force=True)
        deflate_cpu = running.cpu()
        deflated = await _deflated_joins(running, accounts.presenter.token, meeting_id, samples)
        deflate_cpu = (running.cpu() - deflate_cpu) / (samples + 2)
        progress.update("a fresh server process: cold snapshot …", force=True)
        cold = await _cold_join(running, accounts.presenter.token, meeting_id)
        progress.update("baselines …", force=True)
        marks = ack.pop("marks")
        in_snapshot = len(marks)
        encoding = _encoding(ack, marks, ENCODING_SAMPLES)
        # The relay takes messages of at most 1 MB (Engine.IO's default): no echo above it.
        echo = await _echo(relay, ack, samples) if _size(ack) < RELAY_MAX_BYTES else []
        sql = await _sql_reads(running.database_url, meeting_id, 0, samples)
    finally:
        await reader.close()
    progress.done()
    return {
        "server": running.backend,
        "events": int(ack["seq"]),
        "agenda_items": len(state["agenda"]["items"]),
        "documents": len(state["documents"]),
        "annotations": ANNOTATIONS,
        "annotations_in_snapshot": in_snapshot,
        "fill_secs": fill_secs,
        "snapshot_bytes": _size(ack),
        "snapshot": summary(snapshot),
        "snapshot_p95": _p95(snapshot),
        "snapshot_parsed": summary(joins.parsed),
        "snapshot_parsed_p95": _p95(joins.parsed),
        "server_cpu_per_join": server_cpu,
        "client_cpu_per_join": client_cpu,
        "server_cpu_per_deflated_join": deflate_cpu,
        "snapshot_deflate": summary(deflated),
        "snapshot_deflate_p95": _p95(deflated),
        "cold_snapshot": cold,
        "relay_echo": summary(echo),
        "relay_echo_p95": _p95(echo),
        "sql_all_events": summary(sql),
        "sql_all_events_p95": _p95(sql),
        "goal_p95": GOAL_P95_SECS,
        "encoding": encoding,
    }


def _p95(values: list[float]) -> float:
    return percentile(values, 95)
