"""Request timeouts (a pure ASGI middleware; websockets pass by).

Two bounds, so that neither a slow client nor a stuck handler holds a worker's request
slot for ever:

- **body idle** (``ECABINET_REQUEST_BODY_IDLE_SECS``, 30 s): a request whose body stops
  arriving for this long (a slow-loris upload) is answered ``408 timeout``;
- **answer** (``ECABINET_REQUEST_TIMEOUT_SECS``, 120 s): a handler that has not started its
  answer this long after the request (or the last piece of its body) arrived is cancelled
  and answered ``503 timeout``. Once the answer has started
  (a large download streaming to a slow tablet), the bound no longer applies.

uvicorn bounds the rest: idle keep-alive connections (``--timeout-keep-alive``, 5 s) and
the time to receive the request head (h11's incomplete-event limit).
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecabinet.errors import Timeout


class _BodyStalled(BaseException):
    """Raised through the handler (past its ``except Exception``) to this middleware."""


class RequestTimeouts:
    def __init__(self, app: ASGIApp, *, answer_secs: float, body_idle_secs: float) -> None:
        self.app = app
        self.answer_secs = answer_secs
        self.body_idle_secs = body_idle_secs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = body_done = False
        try:
            async with asyncio.timeout(self.answer_secs) as deadline:

                async def receive_in_time() -> Message:
                    """The next piece of the body within the idle bound (the answer bound
                    counts from the last piece); once the body is in or the answer started,
                    waiting for a disconnect is not bounded."""
                    nonlocal body_done
                    if body_done or started:
                        return await receive()
                    try:
                        message = await asyncio.wait_for(receive(), self.body_idle_secs)
                    except TimeoutError:
                        raise _BodyStalled from None
                    more = message["type"] == "http.request" and message.get("more_body")
                    body_done = not more
                    if not started:
                        deadline.reschedule(asyncio.get_running_loop().time() + self.answer_secs)
                    return message

                async def send_and_note(message: Message) -> None:
                    nonlocal started
                    if message["type"] == "http.response.start":
                        started = True
                        deadline.reschedule(None)  # the answer is under way: no bound
                    await send(message)

                await self.app(scope, receive_in_time, send_and_note)
        except _BodyStalled:
            if not started:
                seconds = self.body_idle_secs
                await _refuse(send, 408, f"the request body stalled for {seconds:g} s")
        except TimeoutError:
            if not deadline.expired():
                raise  # the handler's own, not this bound
            if not started:
                await _refuse(send, 503, f"no answer within {self.answer_secs:g} s; try again")


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": Timeout(message).to_wire()}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
