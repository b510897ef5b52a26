"""GET /metrics (Prometheus text format) and the one log line per command."""

from __future__ import annotations

import asyncio
import logging
import re

import httpx
import pytest

from ecabinet.metrics import CONTENT_TYPE, Counter, Histogram, Metrics
from harness.client import connect, login, new_meeting
from harness.server import Server
from realtime.backpressure import QueueStats
from tests.faults.conftest import EnvFactory
from tests.faults.world import metrics_of, running, server_log

# One sample line of the text format: name, optional {labels}, value.
SAMPLE = re.compile(
    r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? '
    r"(-?[0-9.e+-]+|\+Inf|-Inf|NaN)$"
)


def assert_exposition_format(text: str) -> None:
    assert text.endswith("\n")
    typed: set[str] = set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("counter", "gauge", "histogram"), line
            assert name not in typed, f"{name} typed twice"
            typed.add(name)
        elif line.startswith("# HELP "):
            continue
        else:
            assert SAMPLE.match(line), line


def test_counters_and_histograms_render_in_the_text_format() -> None:
    counter = Counter("x_total", "Things.", ("kind",))
    counter.inc(('a "quoted"\\ one\n',))
    counter.inc(("b",), 2)
    histogram = Histogram("x_seconds", "Times.", buckets=(0.1, 1.0))
    for value in (0.05, 0.1, 0.5, 3.0):
        histogram.observe(value)
    text = "\n".join([*counter.render(), *histogram.render()]) + "\n"
    assert_exposition_format(text)
    assert 'x_total{kind="a \\"quoted\\"\\\\ one\\n"} 1' in text
    assert 'x_total{kind="b"} 2' in text
    # cumulative buckets; 0.1 falls in le="0.1"
    assert 'x_seconds_bucket{le="0.1"} 2' in text
    assert 'x_seconds_bucket{le="1"} 3' in text
    assert 'x_seconds_bucket{le="+Inf"} 4' in text
    assert "x_seconds_count 4" in text
    assert "x_seconds_sum 3.65" in text


def test_command_types_outside_the_table_are_one_label(caplog: pytest.LogCaptureFixture) -> None:
    metrics = Metrics("w1", queues=lambda: QueueStats(3, 7, 700, 5), connected=lambda: 3)
    with caplog.at_level(logging.INFO, logger="ecabinet.commands"):
        for type_ in ("agenda.next", "x" * 500, None, "agenda.next\nforged line"):
            metrics.command(
                meeting_id=1,
                user_id=2,
                raw={"id": "c1", "type": type_, "data": {"choice": "yes"}},
                ack={"ok": False, "error": {"code": "not-allowed", "message": "no"}},
                seconds=0.01,
            )
    text = metrics.render()
    assert_exposition_format(text)
    assert 'ecabinet_commands_total{type="agenda.next",outcome="not-allowed"} 1' in text
    assert 'ecabinet_commands_total{type="unknown",outcome="not-allowed"} 3' in text
    assert "ecabinet_connected_clients 3" in text
    assert "ecabinet_send_queue_messages 7" in text
    assert "ecabinet_send_queue_max_messages 5" in text
    assert len(caplog.records) == 4
    assert all("choice" not in r.getMessage() for r in caplog.records)
    assert all("\n" not in r.getMessage() for r in caplog.records)


def command_lines(log: str) -> list[dict[str, str]]:
    """The ``ecabinet.commands`` lines of a server log, as key=value dicts."""
    found = []
    for line in log.splitlines():
        if " ecabinet.commands command " in line:
            body = line.split(" ecabinet.commands command ", 1)[1]
            found.append(dict(pair.split("=", 1) for pair in body.split(" ")))
    return found


async def test_metrics_count_clients_commands_and_joins_and_the_log_has_no_payload(
    sqlite_env: EnvFactory,
) -> None:
    env = sqlite_env(ECABINET_LOG_LEVEL="INFO")
    with running(Server(env)) as (server,):
        admin = await login(server.url, "admin")
        meeting = await new_meeting(server.url, admin)
        async with httpx.AsyncClient(base_url=server.url) as http:
            response = await http.get("/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"] == CONTENT_TYPE
        assert_exposition_format(response.text)
        before = await metrics_of(server.url)
        assert before["ecabinet_connected_clients"] == 0

        chair = await connect(server.url, "chair")
        member = await connect(server.url, "member1")
        try:
            assert (await chair.join(meeting))["ok"]
            assert (await member.join(meeting))["ok"]
            assert (await member.join(meeting, last_seq=0))["mode"] == "events"
            secret_title = "Mục kín-7f3a"
            poll = {
                "title": "Bỏ phiếu kín",
                "kind": "yes_no_abstain",
                "secret": True,
                "allow_change": False,
                "majority": "simple",
                "quorum": {"kind": "none"},
            }
            acks = [
                await chair.cmd("meeting.start"),
                await chair.cmd("attendance.check_in"),
                await member.cmd("attendance.check_in"),
                await chair.cmd("agenda.item.add", {"title": secret_title, "kind": "discussion"}),
                await chair.cmd("poll.create", poll),
                await chair.cmd("poll.open", {"poll_id": 1}),
                await member.cmd("vote.cast", {"poll_id": 1, "choice": "no"}),
                await member.cmd("vote.cast", {"poll_id": 1, "choice": "no"}),  # double-vote
                await member.cmd("meeting.end"),  # not-allowed
            ]
            assert [a.get("ok", False) for a in acks] == [True] * 7 + [False, False]
            receipt = acks[6]["receipt"]

            after = await metrics_of(server.url)
            assert after["ecabinet_connected_clients"] == 2
            ok = 'ecabinet_commands_total{type="%s",outcome="ok"}'
            assert after[ok % "vote.cast"] == 1
            assert after[ok % "attendance.check_in"] == 2
            assert after['ecabinet_commands_total{type="vote.cast",outcome="double-vote"}'] == 1
            assert after['ecabinet_commands_total{type="meeting.end",outcome="not-allowed"}'] == 1
            assert after['ecabinet_command_ack_seconds_count{type="vote.cast"}'] == 2
            assert after['ecabinet_joins_total{mode="snapshot"}'] == 2
            assert after['ecabinet_joins_total{mode="events"}'] == 1
            # every committed event was broadcast (a secret ballot is one event)
            assert after["ecabinet_events_published_total"] == acks[6]["seq"] == 7
            assert 1 <= after["ecabinet_broadcast_seconds_count"] <= 7
            assert after["ecabinet_send_queue_max_messages"] >= 0
            assert after["process_resident_memory_bytes"] > 0
        finally:
            await chair.close()
            await member.close()

        async def disconnected() -> bool:
            return (await metrics_of(server.url))["ecabinet_connected_clients"] == 0

        async with asyncio.timeout(10):
            while not await disconnected():  # noqa: ASYNC110 - no event tells us
                await asyncio.sleep(0.05)

    log = server_log(server)
    lines = command_lines(log)
    assert len(lines) == len(acks)
    assert {line["meeting"] for line in lines} == {str(meeting)}
    assert [line["type"] for line in lines][-3:] == ["vote.cast", "vote.cast", "meeting.end"]
    assert [line["outcome"] for line in lines][-3:] == ["ok", "double-vote", "not-allowed"]
    assert [line["seq"] for line in lines[:7]] == [str(a["seq"]) for a in acks[:7]]
    assert all(float(line["ms"]) >= 0 and line["user"].isdigit() for line in lines)
    # neither the ballot, nor its receipt, nor any other payload reaches the log
    assert receipt not in log
    assert secret_title not in log
    assert "choice" not in log and '"no"' not in log
