"""One member's tablet in Chromium (1024×768, the CPU throttled 4× as on a mid-range
tablet) while the room around it is busy: ``python -m bench.tablet_burst`` (or
``python -m bench --only tablet``).

A real E-cabinet (SQLite), ``--voters`` generated members checked in and connected
(python-socketio tablets in a worker process), and one Chromium page signed in as a
member, throttled through DevTools' ``Emulation.setCPUThrottlingRate``. In the page: a
``PerformanceObserver`` for long tasks, a timer-lag probe (a 50 ms ``setTimeout`` chain:
how late each one ran) and a ``requestAnimationFrame`` watcher noting when the result
appears and whether the connection ever leaves "live". From here: a trivial call
(``page.evaluate("1+1")``) and a synthetic mouse move (CDP ``Input.dispatchMouseEvent``,
answered when the page has handled it), each every 100 ms.

Phases, each beside a baseline from the same run and page:

* idle — the same page, the socket idle, for ``IDLE_SECS``: what the probes read when
  nothing happens;
* burst — a named yes/no/abstain poll, every member votes within ``--spread`` seconds,
  then the chair closes it: the probes until the result is drawn, and the time from the
  close to the drawn result (beside the close → ``poll.closed`` received on a bare socket);
* page turn — the chair presents a 20-page PDF and turns a page: until the tablet shows
  the new page rendered (beside the same event received on a bare socket);
* join with marks (``--marks``, 0 to skip) — a meeting with 100 items, 30 documents and
  5 000 marks (``bench.annotated_join``): from navigation to the room live with its agenda
  drawn, then the first answered trivial call ("usable").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, CDPSession, Page, Route, ViewportSize, async_playwright

from bench import accounts as accounts_mod
from bench import annotated_join, load
from bench.accounts import Accounts
from bench.load import Progress, Tablet, Workers
from bench.servers import Running, ecabinet
from bench.stats import percentile

VIEWPORT: ViewportSize = {"width": 1024, "height": 768}
THROTTLE = 4
IDLE_SECS = 3.0
PROBE_EVERY_SECS = 0.1
RESULT_WITHIN_SECS = 300
PAGE_PDF_PAGES = 20
GOAL_TASK_MS = 200
GOAL_INPUT_MS = 500
GOAL_RESULT_SECS = 1.0
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-timer-throttling"]

# Installed before the app's scripts: long tasks, timer lag, and a per-frame watcher.
PROBE_JS = """
(() => {
  const probe = { long: [], lags: [], seen: {}, connection: [], watch: {} };
  window.__probe = probe;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.long.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { probe.noLongtask = String(e); }
  const LAG_MS = 50;
  (function tick() {
    const due = performance.now() + LAG_MS;
    setTimeout(() => { probe.lags.push([due, performance.now() - due]); tick(); }, LAG_MS);
  })();
  let lastConnection = null;
  (function frame() {
    const room = document.querySelector('[data-testid="room"]');
    const connection = room ? room.dataset.connection : null;
    if (connection !== lastConnection) {
      probe.connection.push([Date.now(), connection]);
      lastConnection = connection;
    }
    for (const [name, selector] of Object.entries(probe.watch)) {
      if (!(name in probe.seen) && document.querySelector(selector)) probe.seen[name] = Date.now();
    }
    requestAnimationFrame(frame);
  })();
})();
"""


class Probes:
    """The two probes driven from here, each every ``PROBE_EVERY_SECS``."""

    def __init__(self, page: Page, cdp: CDPSession) -> None:
        self.page, self.cdp = page, cdp
        self.calls: list[float] = []
        self.inputs: list[float] = []
        self._tasks: list[asyncio.Task[None]] = []

    async def _loop(self, work: Callable[[int], Awaitable[object]], into: list[float]) -> None:
        n = 0
        while True:
            at = time.monotonic()
            await work(n)
            into.append(time.monotonic() - at)
            n += 1
            await asyncio.sleep(max(0.0, PROBE_EVERY_SECS - (time.monotonic() - at)))

    async def _move(self, n: int) -> None:
        x, y = (5, 5) if n % 2 else (6, 6)  # a corner of the header, nothing under it
        await self.cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})

    def start(self) -> None:
        self.calls, self.inputs = [], []
        self._tasks = [
            asyncio.create_task(self._loop(lambda _n: self.page.evaluate("1+1"), self.calls)),
            asyncio.create_task(self._loop(self._move, self.inputs)),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []


def _arrival(tablet: Tablet, kind: str, match: Callable[[Any], bool]) -> asyncio.Future[float]:
    """Resolves to the monotonic time at which the bare socket ``tablet`` received it."""
    arrived: asyncio.Future[float] = asyncio.get_running_loop().create_future()

    def note(got: str, key: Any, at: float) -> None:
        if got == kind and match(key) and not arrived.done():
            arrived.set_result(at)

    tablet._note = note  # the receive hook of the load generator's socket
    return arrived


async def _page_now(page: Page) -> float:
    return float(await page.evaluate("performance.now()"))


async def _window(page: Page, since: float) -> dict[str, Any]:
    """Long tasks and timer lags in the page since ``since`` (its performance.now())."""
    got = await page.evaluate(
        """(since) => ({
            long: __probe.long.filter(([at]) => at >= since),
            lags: __probe.lags.filter(([at]) => at >= since).map(([, lag]) => lag),
            renders: window.__renders ?? null,
            noLongtask: __probe.noLongtask ?? null,
        })""",
        since,
    )
    durations = [d for _, d in got["long"]]
    return {
        "longtasks": len(durations),
        "blocked_ms": sum(durations),
        "longest_task_ms": max(durations, default=0.0),
        "timer_lag_max_ms": max(got["lags"], default=0.0),
        "timer_lag_p99_ms": percentile(got["lags"], 99) if got["lags"] else 0.0,
        "renders": got["renders"],
    }


async def _measured(
    page: Page, probes: Probes, work: Callable[[], Awaitable[dict[str, Any]]]
) -> dict[str, Any]:
    since = await _page_now(page)
    renders0 = await page.evaluate("window.__renders ?? null")
    probes.start()
    try:
        row = await work()
    finally:
        await probes.stop()
    row |= await _window(page, since)
    if renders0 is not None and row["renders"] is not None:
        row["renders"] -= renders0
    row["call_max_ms"] = max(probes.calls, default=0.0) * 1000
    row["input_max_ms"] = max(probes.inputs, default=0.0) * 1000
    row["probes"] = len(probes.calls)
    return row


async def _watch(page: Page, name: str, selector: str) -> None:
    await page.evaluate(
        "([name, selector]) => { delete __probe.seen[name]; __probe.watch[name] = selector; }",
        [name, selector],
    )


async def _seen(page: Page, name: str, within: float) -> float | None:
    """Date.now() (ms) when the watcher first saw it; polls from here."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        at = await page.evaluate("(name) => __probe.seen[name] ?? null", name)
        if at is not None:
            return float(at)
        await asyncio.sleep(0.1)
    return None


async def _lost(page: Page, since_ms: float) -> bool:
    """Whether the room left "live" after ``since_ms`` (Date.now()), once it had been live."""
    states = await page.evaluate("__probe.connection")
    was_live = False
    for at, state in states:
        if at >= since_ms and was_live and state != "live":
            return True
        was_live = was_live or state == "live"
    return False


# ``--frontend DIR``: the page's scripts from a saved copy of frontend/ (the "before").
FRONTEND: Path | None = None
# ``--profile FILE``: the page's CPU profile of the burst phase (open it in DevTools).
PROFILE: Path | None = None


def _local_file(url: str) -> Path | None:
    """The saved copy's file for a /static/ URL, if it has one."""
    assert FRONTEND is not None
    root = FRONTEND.resolve()
    local = (root / urlsplit(url).path.removeprefix("/static/")).resolve()
    return local if local.is_file() and root in local.parents else None


async def _from_copy(route: Route) -> None:
    local = _local_file(route.request.url)
    if local is None:
        await route.continue_()
        return
    await route.fulfill(path=str(local), headers={"Content-Type": "text/javascript; charset=utf-8"})


@contextlib.asynccontextmanager
async def _tablet(
    browser: Browser, running: Running, token: str
) -> AsyncIterator[tuple[Page, CDPSession]]:
    context = await browser.new_context(
        base_url=running.url, viewport=VIEWPORT, has_touch=True, locale="vi-VN"
    )
    if FRONTEND is not None:
        await context.route("**/static/js/**", _from_copy)
    await context.add_cookies([{"name": load.COOKIE, "value": token, "url": running.url}])
    await context.add_init_script(PROBE_JS)
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    try:
        yield page, cdp
    finally:
        await context.close()


async def _open_room(page: Page, meeting_id: int) -> None:
    await page.goto(f"/#/meetings/{meeting_id}")
    await page.wait_for_selector(
        '[data-testid="connection"][data-state="live"]', timeout=RESULT_WITHIN_SECS * 1000
    )


async def _idle(page: Page, probes: Probes) -> dict[str, Any]:
    async def work() -> dict[str, Any]:
        await asyncio.sleep(IDLE_SECS)
        return {"phase": "idle (baseline)"}

    return await _measured(page, probes, work)


async def _burst(
    page: Page,
    probes: Probes,
    chair: Tablet,
    watcher: Tablet,
    workers: Workers,
    spread: float,
    progress: Progress,
) -> dict[str, Any]:
    poll_id = await load.open_poll(chair)
    await page.wait_for_selector(
        f'[data-testid="poll"][data-poll-id="{poll_id}"][data-status="open"]',
        timeout=RESULT_WITHIN_SECS * 1000,
    )
    await asyncio.sleep(1.0)  # let the page settle after drawing the open poll
    selector = f'[data-testid="poll"][data-poll-id="{poll_id}"] [data-testid="poll-outcome"]'
    await _watch(page, "result", selector)
    since_ms = time.time() * 1000

    async def work() -> dict[str, Any]:
        count = workers.count
        payloads = [
            {
                "id": os.urandom(16).hex(),
                "type": "vote.cast",
                "data": {"poll_id": poll_id, "choice": load.CHOICES[i % len(load.CHOICES)]},
            }
            for i in range(count)
        ]
        start = load.monotonic() + 0.3
        starts = [start + spread * i / count for i in range(count)]
        progress.update(f"tablet: {count} votes over {spread:g} s …", force=True)
        outcomes = await workers.send("cmd", payloads, starts, load.BURST_TIMEOUT_SECS)
        ok = sum(1 for o in outcomes if o[0])
        progress.update("tablet: closing the poll …", force=True)
        close_sent = time.time()
        close_mono = load.monotonic()
        watcher_closed = _arrival(watcher, "poll.closed", lambda key: key == poll_id)
        load.check(await chair.cmd("poll.close", {"poll_id": poll_id}), "poll.close")
        bare = await asyncio.wait_for(watcher_closed, 60)
        drawn = await _seen(page, "result", RESULT_WITHIN_SECS)
        return {
            "phase": f"{count}-vote burst → result",
            "votes_ok": ok,
            "result_drawn_secs": (drawn / 1000 - close_sent) if drawn else None,
            "bare_socket_secs": bare - close_mono,
        }

    cdp = probes.cdp
    if PROFILE is not None:
        await cdp.send("Profiler.enable")
        await cdp.send("Profiler.start")
    row = await _measured(page, probes, work)
    if PROFILE is not None:
        profile = (await cdp.send("Profiler.stop"))["profile"]
        await asyncio.to_thread(PROFILE.write_text, json.dumps(profile))
    row["connection_lost"] = await _lost(page, since_ms)
    return row


async def _page_turn(
    page: Page, probes: Probes, chair: Tablet, document_id: int, turn: int
) -> dict[str, Any]:
    page_no = 2 + turn % (PAGE_PDF_PAGES - 1)
    await _watch(page, f"page{turn}", f'.pdf-scroll[data-rendered^="{document_id}:{page_no}:"]')
    since_ms = time.time() * 1000

    async def work() -> dict[str, Any]:
        sent, mono = time.time(), load.monotonic()
        got = _arrival(chair, "view", lambda key: key[0] == page_no)
        load.check(
            await chair.cmd(
                "presenter.view", {"document_id": document_id, "page": page_no, "zoom": 100}
            ),
            "presenter.view",
        )
        bare = await asyncio.wait_for(got, 30)
        drawn = await _seen(page, f"page{turn}", 60)
        return {
            "phase": "page turn → page drawn",
            "result_drawn_secs": (drawn / 1000 - sent) if drawn else None,
            "bare_socket_secs": bare - mono,
        }

    row = await _measured(page, probes, work)
    row["connection_lost"] = await _lost(page, since_ms)
    return row


async def _marks_join(
    browser: Browser, running: Running, accounts: Accounts, progress: Progress
) -> dict[str, Any]:
    meeting_id = await accounts.meeting("Phiên họp nhiều ghi chú (máy tính bảng)", 20)
    await annotated_join._fill(running, accounts, meeting_id, progress)
    bare = Tablet(accounts.presenter.token)
    await bare.connect(running.url, device="bench")
    try:
        at = time.monotonic()
        load.check(await bare.join(meeting_id, None), "join")
        bare_secs = time.monotonic() - at
    finally:
        await bare.close()
    progress.update("tablet: joining the meeting with 5 000 marks …", force=True)
    async with _tablet(browser, running, accounts.presenter.token) as (page, cdp):
        await page.goto("/#/meetings")
        await page.wait_for_selector('[data-testid="current-user"]')
        probes = Probes(page, cdp)

        async def work() -> dict[str, Any]:
            began = time.time()
            await page.evaluate("(h) => { location.hash = h; }", f"#/meetings/{meeting_id}")
            await _watch(page, "joined", '[data-testid="room"][data-connection="live"]')
            drawn = await _seen(page, "joined", RESULT_WITHIN_SECS)
            await page.evaluate("1+1")
            usable = time.time()
            return {
                "phase": f"join, {annotated_join.ANNOTATIONS} marks → drawn",
                "result_drawn_secs": (drawn / 1000 - began) if drawn else None,
                "usable_secs": usable - began,
                "bare_socket_secs": bare_secs,
            }

        since_ms = time.time() * 1000
        row = await _measured(page, probes, work)
        row["connection_lost"] = await _lost(page, since_ms)
        return row


async def run(
    running: Running,
    accounts: Accounts,
    *,
    voters: int,
    spread: float,
    marks: bool,
    progress: Progress,
) -> dict[str, Any]:
    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("Debian's chromium is not installed: make system-test-deps")
    meeting_id = await accounts.meeting(f"Phiên họp {voters} đại biểu (máy tính bảng)", voters)
    document, _ = await load.upload_pdf(
        running.url, accounts.clerk.token, meeting_id, load.small_pdf(PAGE_PDF_PAGES)
    )
    chair = await load.open_driver(running.url, accounts.chair.token, meeting_id)
    watcher = await load.open_driver(running.url, accounts.clerk.token, meeting_id)
    rows: list[dict[str, Any]] = []
    try:
        await load.start_presenting(chair, accounts.chair.user_id)
        progress.update(f"tablet: the chair checks in {voters} members …", force=True)
        members = accounts.members[:voters]
        await load.check_in_users(chair, [m.user_id for m in members])
        await load.check_in_users(chair, [accounts.presenter.user_id])
        async with Workers(1) as workers:
            await workers.connect(running.url, [m.token for m in members], progress)
            await workers.join(meeting_id, None, progress)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=executable, args=CHROMIUM_ARGS
                )
                try:
                    async with _tablet(browser, running, accounts.presenter.token) as (page, cdp):
                        progress.update("tablet: opening the room …", force=True)
                        await _open_room(page, meeting_id)
                        probes = Probes(page, cdp)
                        await asyncio.sleep(2.0)
                        rows.append(await _idle(page, probes))
                        doc_id = int(document["id"])
                        load.check(
                            await chair.cmd(
                                "presenter.view", {"document_id": doc_id, "page": 1, "zoom": 100}
                            ),
                            "presenter.view",
                        )
                        await page.wait_for_selector(
                            f'.pdf-scroll[data-rendered^="{doc_id}:1:"]', timeout=60_000
                        )
                        await asyncio.sleep(1.0)
                        rows.append(await _page_turn(page, probes, chair, doc_id, 0))
                        rows.append(
                            await _burst(page, probes, chair, watcher, workers, spread, progress)
                        )
                        await asyncio.sleep(1.0)
                        rows.append(await _page_turn(page, probes, chair, doc_id, 1))
                    if marks:
                        rows.append(await _marks_join(browser, running, accounts, progress))
                finally:
                    await browser.close()
            await workers.disconnect()
    finally:
        await chair.close()
        await watcher.close()
    progress.done()
    return {"voters": voters, "spread": spread, "throttle": THROTTLE, "rows": rows}


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if unit == " ms":
        return f"{value:.0f}"
    if isinstance(value, float):
        return f"{value:.2f}{unit}"
    return f"{value}{unit}"


def print_report(report: dict[str, Any]) -> None:
    source = f", scripts from {FRONTEND}" if FRONTEND else ""
    print(
        f"\n### Tablet under a vote burst — Chromium {VIEWPORT['width']}×{VIEWPORT['height']}, "
        f"CPU throttled {report['throttle']}×, {report['voters']} members voting over "
        f"{report['spread']:g} s{source} (load average {os.getloadavg()[0]:.2f})\n"
    )
    head = (
        "| phase | drawn after (s) | bare socket (s) | long tasks | blocked (ms) | longest "
        "task (ms) | timer lag max (ms) | trivial call max (ms) | input max (ms) | renders "
        "| connection lost |"
    )
    print(head)
    print("|" + "---|" * 11)
    for row in report["rows"]:
        print(
            f"| {row['phase']} | {_fmt(row.get('result_drawn_secs'))} "
            f"| {_fmt(row.get('bare_socket_secs'))} | {row['longtasks']} "
            f"| {_fmt(row['blocked_ms'], ' ms')} | {_fmt(row['longest_task_ms'], ' ms')} "
            f"| {_fmt(row['timer_lag_max_ms'], ' ms')} | {_fmt(row['call_max_ms'], ' ms')} "
            f"| {_fmt(row['input_max_ms'], ' ms')} | {_fmt(row.get('renders'))} "
            f"| {_fmt(row.get('connection_lost'))} |"
        )
    print(
        f"\nGoal (burst → result): longest task ≤ {GOAL_TASK_MS} ms, input ≤ {GOAL_INPUT_MS} ms, "
        f"no lost connection, result within {GOAL_RESULT_SECS:g} s of the close."
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.tablet_burst", description=__doc__)
    p.add_argument("--voters", type=int, default=500, help="members voting (distinct)")
    p.add_argument("--spread", type=float, default=1.0, help="seconds over which votes arrive")
    p.add_argument("--marks", type=int, choices=(0, 1), default=1, help="1: also the join phase")
    p.add_argument("--frontend", type=Path, help="serve /static/js/ from this copy of frontend/")
    p.add_argument("--profile", type=Path, help="write the burst's CPU profile (.cpuprofile)")
    p.add_argument("--json", help="write every number to this file")
    p.add_argument("--quiet", action="store_true")
    return p


async def _main(args: argparse.Namespace) -> dict[str, Any]:
    progress = Progress(enabled=not args.quiet)
    with ecabinet("sqlite") as running:
        accounts = await accounts_mod.prepare(running.url, args.voters, progress)
        return await run(
            running,
            accounts,
            voters=args.voters,
            spread=args.spread,
            marks=bool(args.marks),
            progress=progress,
        )


def main(argv: list[str] | None = None) -> int:
    global FRONTEND, PROFILE
    args = parser().parse_args(argv)
    FRONTEND, PROFILE = args.frontend, args.profile
    report = asyncio.run(_main(args))
    print_report(report)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
