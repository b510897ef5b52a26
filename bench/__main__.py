"""The standard benchmark suite: ``python -m bench`` (``make bench``).

Starts the bare relay and E-cabinet (SQLite in a temporary directory; PostgreSQL too with
``--postgres``), creates the members the largest room needs, and runs, each beside its
baseline from the same run: page-turn fan-out, vote burst, join/resync, ingest and
watermark. Prints Markdown tables; ``--json`` keeps every number.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from typing import Any

from bench import (
    accounts,
    annotated_join,
    cluster,
    documents,
    load,
    meetings,
    minutes,
    resync,
    room,
    servers,
    slow,
    tablet_burst,
    votes,
)
from bench.load import Progress, Workers
from bench.stats import ms, ratio, secs, size, table

SUITES = ("room", "resync", "documents", "annotations", "minutes")
# Scale suites, run only when named in --only (many meetings needs 1 000 generated members).
SCALE = ("meetings", "slow", "workers", "tablet")
CHANNELS = ("cmd", "ephemeral")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument(
        "--clients", default="100", help="room sizes (tablets, also voters), e.g. 100,500"
    )
    p.add_argument("--turns", type=int, default=30, help="page turns per channel and room size")
    p.add_argument("--interval", type=float, default=0.1, help="pause between page turns (s)")
    p.add_argument("--spread", type=float, default=1.0, help="seconds over which votes arrive")
    p.add_argument("--events", type=int, default=1200, help="events in the join/resync meeting")
    p.add_argument("--samples", type=int, default=20, help="joins timed per kind")
    p.add_argument("--roster", type=int, default=100, help="members of the join/resync meeting")
    p.add_argument("--pages", type=int, default=300, help="pages of the ingested PDF")
    p.add_argument("--repeats", type=int, default=3, help="uploads and downloads timed")
    p.add_argument("--minutes-items", type=int, default=50, help="agenda items of the minutes")
    p.add_argument("--minutes-polls", type=int, default=30, help="polls of the minutes meeting")
    p.add_argument("--procs", type=int, default=1, help="load-generator worker processes")
    p.add_argument("--meetings", type=int, default=50, help="concurrent meetings (meetings)")
    p.add_argument("--participants", type=int, default=20, help="sockets per meeting (meetings)")
    p.add_argument("--duration", type=float, default=60.0, help="activity, seconds (meetings)")
    p.add_argument("--slow-tablets", type=int, default=100, help="tablets of the room (slow)")
    p.add_argument("--slow-turns", type=int, default=400, help="page turns per phase (slow)")
    p.add_argument(
        "--stalled-turns", type=int, default=1200, help="page turns with a stalled reader (slow)"
    )
    p.add_argument("--workers-clients", default="100,500", help="room sizes (workers)")
    p.add_argument(
        "--tablet-voters", type=int, default=500, help="members voting around the tablet (tablet)"
    )
    p.add_argument("--postgres", action="store_true", help="also run E-cabinet on PostgreSQL")
    p.add_argument(
        "--only", default=",".join(SUITES), help="comma-separated: " + ", ".join(SUITES + SCALE)
    )
    p.add_argument("--small", action="store_true", help="tiny sizes, to check the suite runs")
    p.add_argument("--json", help="write every number to this file")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    return p


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    versions = {
        name: metadata.version(name)
        for name in (
            "python-socketio",
            "python-engineio",
            "uvicorn",
            "websockets",
            "SQLAlchemy",
            "aiosqlite",
            "asyncpg",
            "pypdf",
            "weasyprint",
            "uvloop",
        )
    }
    return {
        "nproc": nproc,
        "cpu": model,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "versions": versions,
        "loadavg_start": os.getloadavg(),
    }


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f}"


class Report:
    def __init__(self) -> None:
        self.data: dict[str, Any] = {
            "room": [],
            "bare_inserts": [],
            "resync": [],
            "documents": [],
            "minutes": [],
            "annotations": [],
            "meetings": [],
            "slow": [],
            "workers": [],
            "tablet": [],
        }

    def section(self, title: str) -> None:
        print(f"\n## {title}\n\n_{_load()}_\n", flush=True)


def _server(row: dict[str, Any]) -> str:
    return "bare relay" if row["server"] == "relay" else f"E-cabinet ({row['server']})"


def print_storm(rows: list[dict[str, Any]]) -> None:
    print(
        table(
            [
                "tablets",
                "server",
                "connect all",
                "all join acks",
                "until every presence list is full",
                "join ack p50",
                "join ack p99",
                "presence messages",
                "presence bytes",
                "server CPU",
                "generator CPU",
            ],
            [
                [
                    r["clients"],
                    _server(r),
                    secs(r["connect_secs"]),
                    secs(r["join_secs"]),
                    secs(r["storm_secs"]) if r["server"] != "relay" else "—",
                    ms(r["join_ack_p50"]),
                    ms(r["join_ack_p99"]),
                    f"{r['presence_messages']:,}",
                    size(r["presence_chars"]),
                    secs(r["join_server_cpu"]),
                    secs(r["join_generator_cpu"]),
                ]
                for r in rows
            ],
        )
    )


def print_fanout(rows: list[dict[str, Any]]) -> None:
    relay = {(r["clients"], ch): r[ch] for r in rows if r["server"] == "relay" for ch in CHANNELS}
    out = []
    for row in rows:
        for channel in CHANNELS:
            t = row[channel]
            base = relay.get((row["clients"], channel))
            out.append(
                [
                    row["clients"],
                    "presenter.view" if channel == "cmd" else "ephemeral view",
                    _server(row),
                    ms(t["p50"]),
                    ms(t["p90"]),
                    ms(t["p99"]),
                    ms(t["max"]),
                    ms(t["everyone_p50"]),
                    ratio(t["p50"], base["p50"]) if base and row["server"] != "relay" else "",
                    ms(t["server_cpu_per_turn"]),
                    ms(t["generator_cpu_per_turn"]),
                    t["missing"],
                ]
            )
    print(
        table(
            [
                "tablets",
                "path",
                "server",
                "p50",
                "p90",
                "p99",
                "max",
                "last tablet p50",
                "p50 vs relay",
                "server CPU/turn",
                "generator CPU/turn",
                "missed",
            ],
            out,
        )
    )


def print_votes(rows: list[dict[str, Any]], bare: list[dict[str, Any]]) -> None:
    out = []
    for r in rows:
        v = r["votes"]
        out.append(
            [
                v["voters"],
                _server(r),
                v["ok"],
                ms(v["ack_p50"]),
                ms(v["ack_p99"]),
                ms(v["ack_max"]),
                secs(v["burst_wall"]),
                ms(v["server_cpu"] / max(1, v["voters"])),
                ms(v["close_ack"]),
                ms(v["closed_everyone"]),
                ms(v["closed_from_send"]),
                v["ballots"] if v["ballots"] is not None else "—",
                secs(v["server_cpu"]),
                secs(v["generator_cpu"]),
            ]
        )
    print(
        table(
            [
                "voters",
                "server",
                "acked ok",
                "ack p50",
                "ack p99",
                "ack max",
                "first send → last ack",
                "server CPU/vote",
                "close ack",
                "close ack → last poll.closed",
                "close sent → last poll.closed",
                "ballots in result",
                "server CPU",
                "generator CPU",
            ],
            out,
        )
    )
    errors = {_server(r): r["votes"]["errors"] for r in rows if r["votes"]["errors"]}
    if errors:
        print(f"\nrefused or unanswered votes: {errors}")
    if bare:
        print()
        print(
            table(
                [
                    "baseline",
                    "rows",
                    "insert p50",
                    "insert p99",
                    "one transaction each, total",
                    "all in one transaction",
                ],
                [
                    [
                        r["server"],
                        r["count"],
                        ms(r["ack_p50"]),
                        ms(r["ack_p99"]),
                        secs(r["each_wall"]),
                        ms(r["batch_wall"]),
                    ]
                    for r in bare
                ],
            )
        )
    for r in rows:
        if "checkin_secs" in r:
            print(
                f"\n{_server(r)}: the chair checked in {r['clients']} members one by one "
                f"(no tablet in the room yet) in {secs(r['checkin_secs'])}, "
                f"ack p50 {ms(r['checkin_p50'])}"
            )


def print_resync(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        print(
            f"E-cabinet ({r['server']}): meeting with {r['events']:,} events, roster of "
            f"{r['roster']}; filling the log took {secs(r['fill_secs'])} "
            f"({r['events'] / r['fill_secs']:.0f} commands/s, 4 in flight)\n"
        )
        print(
            table(
                [
                    "join",
                    "E-cabinet p50",
                    "E-cabinet p99",
                    "ack size",
                    "bare relay, same ack p50",
                    "bare SQL read p50",
                ],
                [
                    [
                        "snapshot (state cached)",
                        ms(r["snapshot"]["p50"]),
                        ms(r["snapshot"]["p99"]),
                        size(r["snapshot_bytes"]),
                        ms(r["relay_echo_snapshot"]["p50"]),
                        ms(r["sql_all_events"]["p50"]) + " (all events)",
                    ],
                    ["snapshot, fresh process (1st join)", ms(r["cold_snapshot"]), "", "", "", ""],
                    [
                        "snapshot, fresh process (2nd join)",
                        ms(r["warm_after_cold"]),
                        "",
                        "",
                        "",
                        "",
                    ],
                    [
                        f"replay of {resync.REPLAY} events",
                        ms(r["replay"]["p50"]),
                        ms(r["replay"]["p99"]),
                        size(r["replay_bytes"]),
                        ms(r["relay_echo_replay"]["p50"]),
                        ms(r["sql_replay_events"]["p50"]) + f" ({resync.REPLAY} rows)",
                    ],
                ],
            )
        )


def print_documents(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        print(
            f"E-cabinet ({r['server']}): {r['pages']}-page PDF, {size(r['bytes'])}; "
            f"watermarked copy {size(r['stamped_bytes'])} "
            f"(bare stamp {size(r['bare_stamped_bytes'])})\n"
        )
        print(
            table(
                ["step", "E-cabinet", "baseline", "baseline figure"],
                [
                    [
                        "upload → 201 (p50)",
                        secs(r["upload"]["p50"]),
                        "pypdf inspect, in process",
                        secs(r["inspect_in_process"]["p50"]),
                    ],
                    [
                        "",
                        "",
                        "pypdf inspect, fresh subprocess",
                        secs(r["inspect_subprocess"]["p50"]),
                    ],
                    [
                        "watermarked download, first",
                        secs(r["watermark_cold"]),
                        "bare stamp_file, first",
                        secs(r["stamp_cold"]),
                    ],
                    [
                        "watermarked download (p50)",
                        secs(r["watermark"]["p50"]),
                        "bare stamp_file (p50)",
                        secs(r["stamp"]["p50"]),
                    ],
                    [
                        f"{r['concurrent']} watermarked downloads at once, last done",
                        secs(r["concurrent_last"]),
                        f"{r['concurrent']} × bare stamp_file (p50)",
                        secs(r["concurrent"] * r["stamp"]["p50"]),
                    ],
                    ["plain download (p50)", ms(r["download"]["p50"]), "", ""],
                ],
            )
        )
        print(
            f"\nall uploads: {', '.join(secs(x) for x in r['uploads'])}; watermarked: "
            f"{', '.join(secs(x) for x in r['watermarks'])}; bare stamps: "
            f"{', '.join(secs(x) for x in r['stamps'])}"
        )


def print_annotated_join(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        print(
            f"E-cabinet ({r['server']}): {r['events']:,} events — {r['agenda_items']} agenda "
            f"items, {r['documents']} documents, {r['annotations']:,} annotations "
            f"({r['annotations_in_snapshot']:,} in the reader's snapshot); filling took "
            f"{secs(r['fill_secs'])}\n"
        )
        print(
            table(
                ["join (snapshot)", "p50", "p95", "goal p95", "server CPU/join", "ack size"],
                [
                    [
                        "E-cabinet, state cached",
                        ms(r["snapshot"]["p50"]),
                        ms(r["snapshot_p95"]),
                        ms(r["goal_p95"]),
                        ms(r["server_cpu_per_join"]),
                        size(r["snapshot_bytes"]),
                    ],
                    [
                        "  … and the marks parsed (Python's json)",
                        ms(r["snapshot_parsed"]["p50"]),
                        ms(r["snapshot_parsed_p95"]),
                        "",
                        "",
                        "",
                    ],
                    [
                        "E-cabinet, state cached, permessage-deflate (as browsers)",
                        ms(r["snapshot_deflate"]["p50"]),
                        ms(r["snapshot_deflate_p95"]),
                        "",
                        ms(r["server_cpu_per_deflated_join"]),
                        "",
                    ],
                    ["E-cabinet, fresh process (1st join)", ms(r["cold_snapshot"]), "", "", "", ""],
                    [
                        "baseline: bare SQL read of the meeting's log rows",
                        ms(r["sql_all_events"]["p50"]),
                        ms(r["sql_all_events_p95"]),
                        "",
                        "",
                        "",
                    ],
                    [
                        "baseline: bare relay, same ack",
                        ms(r["relay_echo"]["p50"]),
                        ms(r["relay_echo_p95"]),
                        "",
                        "",
                        "",
                    ],
                ],
            )
        )
        e = r["encoding"]
        print(
            f"\nthe client's CPU per join (receiving the answer and parsing the marks): "
            f"{ms(r['client_cpu_per_join'])}; in the benchmark's process, python-socketio "
            f"encodes this answer in {ms(e['text']['p50'])} (p50) with the marks as JSON text, "
            f"in {ms(e['list']['p50'])} with them as a list of objects; permessage-deflate "
            f"takes {ms(e['deflate']['p50'])} to compress it to {size(e['deflated_bytes'])}"
        )


def print_minutes(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        print(
            f"E-cabinet ({r['server']}): {r['items']} items, {r['polls']} polls, "
            f"{r['commands']} commands played in {secs(r['fill_secs'])}; the minutes: "
            f"{r['pages']} pages, {size(r['bytes'])}, HTML {r['html_chars']:,} characters\n"
        )
        base = r["bare"]["p50"]
        print(
            table(
                ["step", "p50", "max", "vs bare WeasyPrint p50"],
                [
                    [
                        "generate → clerk signs → chair signs (final)",
                        secs(r["total"]["p50"]),
                        secs(r["total"]["max"]),
                        ratio(r["total"]["p50"], base),
                    ],
                    [
                        "  generate (201)",
                        secs(r["generate"]["p50"]),
                        secs(r["generate"]["max"]),
                        "",
                    ],
                    [
                        "  clerk signs",
                        secs(r["sign_clerk"]["p50"]),
                        secs(r["sign_clerk"]["max"]),
                        "",
                    ],
                    [
                        "  chair signs",
                        secs(r["sign_chair"]["p50"]),
                        secs(r["sign_chair"]["max"]),
                        "",
                    ],
                    ["first round (starts the worker)", secs(r["cold_total"]), "", ""],
                    [
                        "draft in this process (PDF/A-3b, record, fields)",
                        secs(r["draft_in_process"]["p50"]),
                        secs(r["draft_in_process"]["max"]),
                        ratio(r["draft_in_process"]["p50"], base),
                    ],
                    [
                        "baseline: bare WeasyPrint, same HTML",
                        secs(base),
                        secs(r["bare"]["max"]),
                        "×1.0",
                    ],
                    ["baseline, first call", secs(r["bare_cold"]), "", ""],
                ],
            )
        )
        rounds = "; ".join(
            f"{secs(x['total'])} / {secs(x['bare'])} = {x['ratio']:.2f}" for x in r["rounds"][1:]
        )
        print(f"\neach round after the first, total / bare WeasyPrint right after it: {rounds}")
        print(
            f"\nratio, median of the rounds: {r['ratio']['p50']:.2f}; fastest round / fastest "
            f"bare: {r['ratio_of_minimums']:.2f} (goal ≤ 1.3)"
        )
        steps = ", ".join(f"{k} {secs(v)}" for k, v in r["job_stage_secs"].items())
        print(f"\none more generation as a job, the server's time per step: {steps}")


async def suite(args: argparse.Namespace) -> dict[str, Any]:
    progress = Progress(enabled=not args.quiet)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    clients = [int(c) for c in args.clients.split(",") if c.strip()]
    needed = max(clients) if "room" in only else 0
    if "resync" in only:
        needed = max(needed, args.roster)
    if "annotations" in only:
        needed = max(needed, annotated_join.ANNOTATORS)
    if "meetings" in only:
        needed = max(needed, meetings.needed_members(args.meetings, args.participants))
    if "slow" in only:
        needed = max(needed, slow.needed_members(args.slow_tablets))
    if "tablet" in only:
        needed = max(needed, args.tablet_voters)
    backends = ["sqlite", "postgres"] if args.postgres else ["sqlite"]
    report = Report()
    facts = machine()
    report.data["machine"] = facts
    report.data["arguments"] = vars(args)
    print("# E-cabinet benchmarks\n")
    print(
        f"{facts['nproc']} CPUs ({facts['cpu']}), Python {facts['python']}, "
        f"Linux {facts['kernel']}; " + ", ".join(f"{k} {v}" for k, v in facts["versions"].items())
    )
    began = time.monotonic()
    relay_rows: dict[int, dict[str, Any]] = {}
    with servers.relay() as relay:
        async with Workers(args.procs) as workers:
            for backend in backends:
                progress.update(f"starting E-cabinet ({backend}) …", force=True)
                with servers.ecabinet(backend) as running:
                    people = await accounts.prepare(running.url, needed, progress)
                    if "room" in only:
                        for count in clients:
                            report.section(f"A room of {count} tablets — E-cabinet on {backend}")
                            if count not in relay_rows:
                                relay_rows[count] = await room.relay(
                                    relay,
                                    workers,
                                    count,
                                    turns=args.turns,
                                    interval=args.interval,
                                    spread=args.spread,
                                    progress=progress,
                                )
                                report.data["room"].append(relay_rows[count])
                            row = await room.ecabinet(
                                running,
                                people,
                                workers,
                                count,
                                turns=args.turns,
                                interval=args.interval,
                                spread=args.spread,
                                progress=progress,
                            )
                            report.data["room"].append(row)
                            bare = await votes.bare_inserts(backend, count)
                            report.data["bare_inserts"].append(bare)
                            rows = [relay_rows[count], row]
                            print("### Join storm\n")
                            print_storm(rows)
                            print("\n### Page-turn fan-out\n")
                            print_fanout(rows)
                            print("\n### Vote burst\n")
                            print_votes(rows, [bare])
                    if "resync" in only:
                        report.section(f"Join and resync — E-cabinet on {backend}")
                        row = await resync.run(
                            running,
                            relay,
                            people,
                            events=args.events,
                            samples=args.samples,
                            progress=progress,
                        )
                        report.data["resync"].append(row)
                        print_resync([row])
                    if "documents" in only and backend == backends[0]:
                        report.section(f"Ingest and watermark — E-cabinet on {backend}")
                        row = await documents.run(
                            running,
                            people,
                            pages=args.pages,
                            repeats=args.repeats,
                            progress=progress,
                        )
                        report.data["documents"].append(row)
                        print_documents([row])
                    if "annotations" in only:
                        report.section(f"Join with 5 000 annotations — E-cabinet on {backend}")
                        row = await annotated_join.run(
                            running, relay, people, samples=args.samples, progress=progress
                        )
                        report.data["annotations"].append(row)
                        print_annotated_join([row])
                    if "minutes" in only and backend == backends[0]:
                        report.section(f"Minutes: generation and signing — E-cabinet on {backend}")
                        row = await minutes.run(
                            running,
                            items=args.minutes_items,
                            polls=args.minutes_polls,
                            repeats=args.repeats,
                            progress=progress,
                        )
                        report.data["minutes"].append(row)
                        print_minutes([row])
                    if "meetings" in only:
                        await _meetings(args, report, relay, running, people, workers, progress)
                    if "slow" in only:
                        await _slow(args, report, relay, running, people, workers, progress)
                    if "tablet" in only and backend == backends[0]:
                        report.section(
                            f"A throttled tablet in a vote burst — E-cabinet on {backend}"
                        )
                        row = await tablet_burst.run(
                            running,
                            people,
                            voters=args.tablet_voters,
                            spread=args.spread,
                            marks=True,
                            progress=progress,
                        )
                        report.data["tablet"].append(row)
                        tablet_burst.print_report(row)
            if "workers" in only:
                await _workers(args, report, relay, workers, progress)
    facts["loadavg_end"] = os.getloadavg()
    report.data["wall_secs"] = time.monotonic() - began
    print(f"\n_suite took {secs(report.data['wall_secs'])}; {_load()}_")
    return report.data


async def _meetings(
    args: argparse.Namespace,
    report: Report,
    relay: servers.Running,
    running: servers.Running,
    people: accounts.Accounts,
    workers: Workers,
    progress: Progress,
) -> None:
    shape = {"meetings": args.meetings, "participants": args.participants}
    report.section(
        f"{args.meetings} meetings × {args.participants} participants, "
        f"{args.duration:g} s — E-cabinet on {running.backend}"
    )
    rows = report.data["meetings"]
    if not rows:
        rows.append(
            await meetings.relay(relay, workers, **shape, duration=args.duration, progress=progress)
        )
    row = await meetings.ecabinet(
        running, people, workers, **shape, duration=args.duration, progress=progress
    )
    rows.append(row)
    meetings.print_rows([rows[0], row])


async def _slow(
    args: argparse.Namespace,
    report: Report,
    relay: servers.Running,
    running: servers.Running,
    people: accounts.Accounts,
    workers: Workers,
    progress: Progress,
) -> None:
    report.section(
        f"A slow consumer in a room of {args.slow_tablets} — E-cabinet on {running.backend}"
    )
    sizes = {
        "tablets": args.slow_tablets,
        "turns": args.slow_turns,
        "stalled_turns": args.stalled_turns,
        "interval": SLOW_INTERVAL_SECS,
    }
    rows = report.data["slow"]
    if not rows:
        rows.append(await slow.relay(relay, workers, **sizes, progress=progress))
    row = await slow.ecabinet(running, people, workers, **sizes, progress=progress)
    rows.append(row)
    slow.print_rows([rows[0], row])


async def _workers(
    args: argparse.Namespace,
    report: Report,
    relay: servers.Running,
    workers: Workers,
    progress: Progress,
) -> None:
    clients = [int(c) for c in args.workers_clients.split(",") if c.strip()]
    report.section(f"Two workers with Redis: {args.workers_clients} tablets, PostgreSQL")
    turns = {"turns": args.turns, "interval": args.interval, "progress": progress}
    rows = await cluster.relay(relay, workers, clients, **turns)
    with servers.shared_data("postgres") as env:
        one, people = await cluster.ecabinet(env, 1, None, None, workers, clients, **turns)
        two, _ = await cluster.ecabinet(
            env, 2, servers.REDIS_URL, people, workers, clients, **turns
        )
    rows += one + two
    report.data["workers"] += rows
    cluster.print_rows(sorted(rows, key=lambda r: r["clients"]))


# Page turns of the slow-consumer suite: each turn waits for the room, then this pause,
# which keeps the presenter under its 20 commands a second (COMMANDS_PER_SEC_DEFAULT).
SLOW_INTERVAL_SECS = 0.05


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.small:
        args.clients, args.turns, args.roster = "20", 10, 20
        args.events, args.samples, args.pages, args.repeats = 1050, 5, 30, 2
        args.minutes_items, args.minutes_polls = 6, 3
        args.meetings, args.participants, args.duration = 5, 10, 10.0
        args.slow_tablets, args.slow_turns, args.stalled_turns = 20, 40, 100
        args.workers_clients = "20"
    with asyncio.Runner(loop_factory=load.new_loop) as runner:
        data = runner.run(suite(args))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(data, out, indent=2, default=str)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
