"""The process that renders, signs and verifies minutes, off the event loop.

One worker (spawned, so no state of the server is inherited) bounds the memory WeasyPrint
and pyHanko take; jobs queue behind each other. The pool starts on first use and ends
with the interpreter (``concurrent.futures`` joins it at exit) or with ``shutdown()``.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from ecabinet import lifeline
from ecabinet.minutes import render, sign, verify

T = TypeVar("T")
_pool: ProcessPoolExecutor | None = None


async def _run(function: Callable[..., T], *args: Any) -> T:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=lifeline.watch_parent,  # ends when the server is killed
        )
    return await asyncio.get_running_loop().run_in_executor(_pool, function, *args)


def _warm_up() -> None:
    """In the worker: import WeasyPrint and pyHanko, load the fonts, subset the stamp font."""
    render.warm_up()
    sign.stamp_font()


_warming: asyncio.Future[None] | None = None


def warm_up() -> None:
    """Start the worker and have it load what rendering and signing need, without waiting
    (the server calls this when the clerk opens the minutes of an ended meeting, so the
    first generation does not also pay for the process start, about two seconds)."""
    global _warming
    failed = (
        _warming is not None
        and _warming.done()
        and (_warming.cancelled() or _warming.exception() is not None)
    )
    if _warming is None or failed:
        _warming = asyncio.ensure_future(_run(_warm_up))
        # A failure here shows again, and is reported, at the generation itself.
        _warming.add_done_callback(lambda done: done.cancelled() or done.exception())


async def render_minutes(record: Mapping[str, Any]) -> render.Rendered:
    return await _run(render.render, dict(record))


async def sign_minutes(request: sign.SignRequest) -> bytes:
    return await _run(sign.sign, request)


async def verify_minutes(data: bytes, trust_pems: list[bytes]) -> verify.Verdict:
    return await _run(verify.verify_pdf, data, trust_pems)


def shutdown() -> None:
    global _pool, _warming
    _warming = None
    if _pool is not None:
        lifeline.end_pool(_pool)
        _pool = None
