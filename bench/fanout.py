"""Page-turn fan-out: the presenter turns pages and every tablet in the room gets the view.

Two channels: ``presenter.view`` commands (checked, stored in the log, committed, then
broadcast as ``presenter.view_changed``) and ``ephemeral`` views (checked against the cached
state and relayed; no database). Baseline: the bare relay (``bench.relay``) doing the same
broadcast for the same load generator. Latency is send (presenter) → receive (each tablet).
The room itself is set up by ``bench.room``.
"""

from __future__ import annotations

from typing import Any

from bench import load
from bench.load import Progress, Tablet, Workers
from bench.servers import Running

DOCUMENT_PAGES = 20


async def turns(
    running: Running,
    presenter: Tablet,
    workers: Workers,
    document_id: int,
    *,
    count: int,
    interval: float,
    progress: Progress,
) -> dict[str, Any]:
    """``count`` page turns on each channel; one result row per channel."""
    results: dict[str, Any] = {}
    for channel in ("cmd", "ephemeral"):
        progress.update(f"{running.backend} {workers.count}: {channel} page turns", force=True)
        outcome = await load.page_turns(
            presenter,
            workers,
            document_id=document_id,
            pages=DOCUMENT_PAGES,
            turns=count,
            interval=interval,
            channel=channel,
            server_cpu=running.cpu,
            progress=progress,
        )
        results[channel] = outcome.row()
    return results
