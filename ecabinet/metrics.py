"""One worker's metrics in the Prometheus text format, and the one log line per command.

No client library: the few counters, gauges and histograms a worker needs are kept here
and rendered by ``Metrics.render()`` (served at ``GET /metrics``). Each worker counts its
own clients and commands; scrape every worker (see docs/deployment.md).

``Metrics`` is also the hub's observer (``realtime.hub.HubObserver``): it counts every
command by type and outcome, times the acks and the publications, and writes one INFO line
per command to the ``ecabinet.commands`` logger — meeting, user, type, command id, outcome,
seq and duration, never the payload (it may hold a secret ballot).
"""

from __future__ import annotations

import bisect
import logging
import math
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ecabinet.meetings.commands import COMMANDS
from realtime.backpressure import QueueStats

command_log = logging.getLogger("ecabinet.commands")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds; a command's ack spans the database commit, a publication the room emit.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNKNOWN = "unknown"
ERROR_CODE = re.compile(r"[a-z][a-z-]{0,31}")
COMMAND_TYPES = frozenset(name for name, spec in COMMANDS.items() if not spec.internal)

Labels = tuple[str, ...]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(names: Sequence[str], values: Sequence[str], extra: str = "") -> str:
    pairs = [f'{n}="{_escape(v)}"' for n, v in zip(names, values, strict=True)]
    if extra:
        pairs.append(extra)
    return "{" + ",".join(pairs) + "}" if pairs else ""


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


class Counter:
    def __init__(self, name: str, help_: str, labels: Sequence[str] = ()) -> None:
        self.name, self.help, self.label_names = name, help_, tuple(labels)
        self.values: dict[Labels, float] = {}

    def inc(self, labels: Labels = (), amount: float = 1.0) -> None:
        self.values[labels] = self.values.get(labels, 0.0) + amount

    def value(self, labels: Labels = ()) -> float:
        return self.values.get(labels, 0.0)

    def render(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} counter"
        if not self.values and not self.label_names:
            yield f"{self.name} 0"
        for labels, value in sorted(self.values.items()):
            yield f"{self.name}{_labels(self.label_names, labels)} {_number(value)}"


class Gauge:
    """A value read when the metrics are rendered."""

    def __init__(self, name: str, help_: str, read: Callable[[], float]) -> None:
        self.name, self.help, self._read = name, help_, read

    def render(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} gauge"
        yield f"{self.name} {_number(self._read())}"


@dataclass
class _Series:
    buckets: list[int]
    count: int = 0
    total: float = 0.0


class Histogram:
    def __init__(
        self,
        name: str,
        help_: str,
        labels: Sequence[str] = (),
        buckets: Sequence[float] = LATENCY_BUCKETS,
    ) -> None:
        self.name, self.help, self.label_names = name, help_, tuple(labels)
        self.bounds = tuple(sorted(buckets))
        self.series: dict[Labels, _Series] = {}

    def observe(self, value: float, labels: Labels = ()) -> None:
        series = self.series.get(labels)
        if series is None:
            series = self.series[labels] = _Series([0] * len(self.bounds))
        index = bisect.bisect_left(self.bounds, value)
        if index < len(self.bounds):
            series.buckets[index] += 1
        series.count += 1
        series.total += value

    def render(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} histogram"
        for labels, series in sorted(self.series.items()):
            cumulative = 0
            for bound, count in zip(self.bounds, series.buckets, strict=True):
                cumulative += count
                le = f'le="{_number(bound)}"'
                yield f"{self.name}_bucket{_labels(self.label_names, labels, le)} {cumulative}"
            inf = _labels(self.label_names, labels, 'le="+Inf"')
            yield f"{self.name}_bucket{inf} {series.count}"
            plain = _labels(self.label_names, labels)
            yield f"{self.name}_sum{plain} {_number(series.total)}"
            yield f"{self.name}_count{plain} {series.count}"


def _resident_bytes() -> float:
    """The process's resident memory (Linux); 0 where /proc is not available."""
    try:
        with open("/proc/self/statm") as statm:
            return float(int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE"))
    except (OSError, ValueError, IndexError):
        return 0.0


class Metrics:
    """The metrics of one worker. ``connected`` and ``queues`` are read at render time."""

    def __init__(
        self,
        worker_id: str,
        *,
        connected: Callable[[], int] = lambda: 0,
        queues: Callable[[], QueueStats] = lambda: QueueStats(0, 0, 0, 0),
    ) -> None:
        self.worker_id = worker_id
        self.started = time.time()
        self._queues = queues
        self._queue_reading: QueueStats | None = None
        self.commands = Counter(
            "ecabinet_commands_total",
            "Commands answered, by type and outcome (ok or the error code).",
            ("type", "outcome"),
        )
        self.ack_seconds = Histogram(
            "ecabinet_command_ack_seconds",
            "Time from receiving a command to its ack (commit and publication included).",
            ("type",),
        )
        self.publish_seconds = Histogram(
            "ecabinet_broadcast_seconds",
            "Time to hand one command's committed events to the room emit (and Redis).",
        )
        self.events_published = Counter(
            "ecabinet_events_published_total", "Committed events broadcast by this worker."
        )
        self.joins = Counter(
            "ecabinet_joins_total",
            "Joins answered, by mode (events, snapshot) or error code.",
            ("mode",),
        )
        self.slow_clients = Counter(
            "ecabinet_slow_clients_dropped_total",
            "Clients disconnected because their send queue overflowed.",
        )
        self.chain_mismatch_reports = Counter(
            "ecabinet_chain_mismatch_reports_total",
            "Tablets' reports of an event that did not match the meeting's hash chain.",
        )
        self._families: list[Counter | Gauge | Histogram] = [
            Gauge(
                "ecabinet_connected_clients",
                "Socket.IO clients connected to this worker.",
                lambda: float(connected()),
            ),
            self.commands,
            self.ack_seconds,
            self.publish_seconds,
            self.events_published,
            self.joins,
            Gauge(
                "ecabinet_send_queue_messages",
                "Messages queued for this worker's clients, all clients together.",
                lambda: float(self._reading().messages),
            ),
            Gauge(
                "ecabinet_send_queue_bytes",
                "Bytes queued for this worker's clients, all clients together.",
                lambda: float(self._reading().bytes),
            ),
            Gauge(
                "ecabinet_send_queue_max_messages",
                "Messages queued for the client with the longest queue.",
                lambda: float(self._reading().max_messages),
            ),
            self.slow_clients,
            self.chain_mismatch_reports,
            Gauge(
                "process_resident_memory_bytes", "Resident memory of this worker.", _resident_bytes
            ),
            Gauge(
                "process_start_time_seconds",
                "Start time of this worker (Unix time).",
                lambda: self.started,
            ),
        ]

    def _reading(self) -> QueueStats:
        if self._queue_reading is None:
            self._queue_reading = self._queues()
        return self._queue_reading

    def render(self) -> str:
        self._queue_reading = None  # read the queues once per rendering
        lines = [
            "# HELP ecabinet_worker_info The worker that answered this scrape.",
            "# TYPE ecabinet_worker_info gauge",
            f'ecabinet_worker_info{{worker="{_escape(self.worker_id)}"}} 1',
        ]
        for family in self._families:
            lines.extend(family.render())
        self._queue_reading = None
        return "\n".join(lines) + "\n"

    # --- realtime.hub.HubObserver -----------------------------------------------------

    def command(
        self, *, meeting_id: int, user_id: int, raw: Any, ack: dict[str, Any], seconds: float
    ) -> None:
        envelope = raw if isinstance(raw, dict) else {}
        type_ = envelope.get("type")
        type_ = type_ if isinstance(type_, str) and type_ in COMMAND_TYPES else UNKNOWN
        command_id = envelope.get("id")
        command_id = command_id[:64] if isinstance(command_id, str) else "-"
        outcome = _outcome(ack)
        self.commands.inc((type_, outcome))
        self.ack_seconds.observe(seconds, (type_,))
        seq = ack.get("seq") if outcome == "ok" else None
        # Never the payload, nor any other field of the ack (a secret ballot's receipt).
        command_log.info(
            "command meeting=%d user=%d type=%s id=%r outcome=%s seq=%s ms=%.1f",
            meeting_id,
            user_id,
            type_,
            command_id,
            outcome,
            seq if isinstance(seq, int) else "-",
            seconds * 1000,
        )

    def joined(self, mode: str) -> None:
        self.joins.inc((mode if ERROR_CODE.fullmatch(mode) else UNKNOWN,))

    def published(self, events: int, seconds: float) -> None:
        self.events_published.inc((), events)
        self.publish_seconds.observe(seconds)

    def dropped(self) -> None:
        self.slow_clients.inc()


def _outcome(ack: dict[str, Any]) -> str:
    if ack.get("ok") is True:
        return "ok"
    error = ack.get("error")
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) and ERROR_CODE.fullmatch(code) else UNKNOWN
