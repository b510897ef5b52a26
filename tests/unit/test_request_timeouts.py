"""Request timeouts: a stalled body is answered 408, a handler without an answer in time
503, and an answer that has started is never cut."""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any

from ecabinet.http.timeouts import RequestTimeouts

SCOPE = {"type": "http", "method": "POST", "path": "/", "headers": []}


async def _run(app: Any, chunks: list[tuple[float, bytes, bool]]) -> list[MutableMapping[str, Any]]:
    sent: list[MutableMapping[str, Any]] = []
    pending = list(chunks)

    async def receive() -> dict[str, Any]:
        if not pending:
            await asyncio.sleep(3600)  # the client says nothing more
        delay, body, more = pending.pop(0)
        await asyncio.sleep(delay)
        return {"type": "http.request", "body": body, "more_body": more}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    bounded = RequestTimeouts(app, answer_secs=0.3, body_idle_secs=0.1)
    await asyncio.wait_for(bounded(SCOPE, receive, send), 5)
    return sent


async def _echo(scope: Any, receive: Any, send: Any) -> None:
    body = b""
    while True:
        message = await receive()
        body += message["body"]
        if not message["more_body"]:
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


async def test_a_body_that_stops_arriving_is_answered_408() -> None:
    sent = await _run(_echo, [(0, b"{", True), (1.0, b"}", False)])
    assert sent[0]["status"] == 408
    assert json.loads(sent[1]["body"])["error"]["code"] == "timeout"


async def test_a_slow_but_steady_body_is_read_whole() -> None:
    sent = await _run(_echo, [(0.05, b"a", True)] * 10 + [(0.05, b"b", False)])
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"a" * 10 + b"b"


async def test_a_handler_without_an_answer_in_time_is_cancelled_and_answered_503() -> None:
    cancelled = asyncio.Event()

    async def stuck(scope: Any, receive: Any, send: Any) -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    sent = await _run(stuck, [(0, b"", False)])
    assert sent[0]["status"] == 503 and cancelled.is_set()
    assert json.loads(sent[1]["body"])["error"]["code"] == "timeout"


async def test_an_answer_under_way_is_not_cut() -> None:
    async def slow_download(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for _ in range(5):
            await asyncio.sleep(0.1)  # 0.5 s in all, past the 0.3 s bound
            await send({"type": "http.response.body", "body": b"x", "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    sent = await _run(slow_download, [(0, b"", False)])
    assert sent[0]["status"] == 200 and len(sent) == 7
