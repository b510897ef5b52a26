"""A bare python-socketio relay: the baseline for every socket benchmark.

It speaks just enough of E-cabinet's wire protocol for the load generator (``join``,
``cmd``, ``ephemeral``) and does nothing else: no session, no database, no rules, no
presence. A ``cmd`` is turned into one ``event`` of the same shape as E-cabinet's
(``presenter.view`` → ``presenter.view_changed``) and emitted to the room before the ack,
as E-cabinet does. ``stash``/``echo`` return a stored payload, to time the transport of a
large ack (a join's snapshot or replay) alone.

Run: ``python -m uvicorn bench.relay:app --host 127.0.0.1 --port 8100``.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

import socketio

FAKE_HASH = "0" * 64
EVENT_TYPES = {"presenter.view": "presenter.view_changed", "poll.close": "poll.closed"}

sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins="*")
_rooms: dict[str, int] = {}
_seq = itertools.count(1)
_stash: dict[str, Any] = {}


def meeting_room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


async def _disconnect(sid: str, *_reason: Any) -> None:
    _rooms.pop(sid, None)


async def _join(sid: str, data: Any = None) -> dict[str, Any]:
    meeting_id = int(data["meeting_id"]) if isinstance(data, dict) else 1
    _rooms[sid] = meeting_id
    await sio.enter_room(sid, meeting_room(meeting_id))
    return {"ok": True, "mode": "events", "seq": 0, "events": [], "you": {"user_id": 0}}


async def _cmd(sid: str, data: Any = None) -> dict[str, Any]:
    meeting_id = _rooms.get(sid)
    if meeting_id is None or not isinstance(data, dict):
        return {"ok": False, "error": {"code": "not-joined", "message": "join first"}}
    seq = next(_seq)
    event = {
        "meeting_id": meeting_id,
        "seq": seq,
        "type": EVENT_TYPES.get(str(data.get("type")), str(data.get("type"))),
        "actor_id": 0,
        "at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "data": data.get("data", {}),
        "hash": FAKE_HASH,
    }
    await sio.emit("event", event, room=meeting_room(meeting_id))
    return {"ok": True, "seq": seq}


async def _ephemeral(sid: str, data: Any = None) -> dict[str, Any]:
    meeting_id = _rooms.get(sid)
    if meeting_id is None or not isinstance(data, dict):
        return {"ok": False, "error": {"code": "not-joined", "message": "join first"}}
    payload = {
        "meeting_id": meeting_id,
        "user_id": 0,
        "kind": data.get("kind"),
        "data": data.get("data"),
    }
    await sio.emit("ephemeral", payload, room=meeting_room(meeting_id), skip_sid=sid)
    return {"ok": True}


async def _stash_payload(_sid: str, data: Any = None) -> dict[str, Any]:
    _stash["payload"] = data
    return {"ok": True}


async def _echo(_sid: str, _data: Any = None) -> Any:
    return _stash.get("payload")


sio.on("disconnect", _disconnect)
sio.on("join", _join)
sio.on("cmd", _cmd)
sio.on("ephemeral", _ephemeral)
sio.on("stash", _stash_payload)
sio.on("echo", _echo)


async def _http(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": b"ok"})


app = socketio.ASGIApp(sio, other_asgi_app=_http, socketio_path="socket.io")
