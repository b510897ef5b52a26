"""The private parts of python-socketio, python-engineio and uvicorn that the hub relies on.

``realtime/backpressure.py`` bounds each client's send queue by replacing the queue
Engine.IO builds for a socket, and closes a slow client's connection under uvicorn;
``realtime/fanout.py`` puts encoded packets straight on those queues; ``realtime/intake.py``
wraps Engine.IO's handlers and ``realtime/gate.py`` its websocket ``receive``. None of this is
public API, so pyproject.toml caps these libraries below their next minor release, and
``make lock`` takes a new one on purpose. When it does, this module is where the upgrade
fails: each test names what the hub needs, in which of our files, and what changed.
"""

from __future__ import annotations

import asyncio
import inspect
from importlib.metadata import version
from typing import Any

import socketio
from engineio import async_socket
from engineio import packet as eio_packet
from engineio.async_drivers import asgi as asgi_driver
from socketio import packet as sio_packet
from socketio.async_pubsub_manager import AsyncPubSubManager
from uvicorn.protocols.websockets.auto import AutoWebSocketsProtocol

from realtime import codec
from realtime.backpressure import SendLimits, SendQueue
from realtime.fanout import DirectEmit, DirectRedisManager
from realtime.payload import TOO_DEEP


def _needs(library: str, what: str, where: str) -> str:
    return (
        f"{library} {version(library)}: {what} is gone or changed; {where} relies on it. "
        "Adapt that file (or keep the previous release in requirements/) before upgrading."
    )


def _parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_engineio_builds_every_socket_queue_through_create_queue() -> None:
    sio = socketio.AsyncServer(async_mode="asgi")
    ours = asyncio.Queue[Any]()
    sio.eio.create_queue = lambda *_args, **_kwargs: ours
    socket = async_socket.AsyncSocket(sio.eio, "eio-sid")
    assert socket.queue is ours, _needs(
        "python-engineio",
        "AsyncSocket taking its send queue from server.create_queue()",
        "realtime/backpressure.py (SendGuard installs SendQueue that way)",
    )
    assert socket.closed is False, _needs(
        "python-engineio", "AsyncSocket.closed", "realtime/fanout.py and backpressure.py"
    )


def test_engineio_socket_close_takes_wait_and_abort() -> None:
    assert {"wait", "abort"} <= set(_parameters(async_socket.AsyncSocket.close)), _needs(
        "python-engineio",
        "AsyncSocket.close(wait=, abort=)",
        "realtime/backpressure.py (SendGuard._drop)",
    )
    assert inspect.iscoroutinefunction(async_socket.AsyncSocket.close)


def test_engineio_server_keeps_sockets_by_sid_and_socketio_keeps_environs() -> None:
    sio = socketio.AsyncServer(async_mode="asgi")
    assert isinstance(sio.eio.sockets, dict), _needs(
        "python-engineio", "AsyncServer.sockets (eio_sid -> socket)", "realtime/backpressure.py"
    )
    assert isinstance(sio.environ, dict), _needs(
        "python-socketio", "AsyncServer.environ (eio_sid -> environ)", "realtime/backpressure.py"
    )


def test_engineio_packets_are_built_as_the_hub_builds_them() -> None:
    message = eio_packet.Packet(eio_packet.MESSAGE, data="2")
    close = eio_packet.Packet(eio_packet.CLOSE)
    assert message.encode() == "42" and close.encode() == "1", _needs(
        "python-engineio", "packet.Packet(MESSAGE|CLOSE, data)", "realtime/backpressure.py"
    )


def test_socketio_server_sends_engineio_packets_and_has_a_packet_class() -> None:
    send = socketio.AsyncServer._send_eio_packet
    assert inspect.iscoroutinefunction(send) and _parameters(send)[1:] == [
        "eio_sid",
        "eio_pkt",
    ], _needs("python-socketio", "AsyncServer._send_eio_packet(eio_sid, eio_pkt)", "fanout.py")
    sio = socketio.AsyncServer(async_mode="asgi")
    encoded = sio.packet_class(sio_packet.EVENT, namespace="/", data=["event", {"a": 1}]).encode()
    assert encoded == '2["event",{"a":1}]', _needs(
        "python-socketio", "AsyncServer.packet_class(...).encode()", "realtime/fanout.py"
    )


def test_manager_emit_keeps_the_signature_fanout_overrides() -> None:
    expected = ["self", "event", "data", "namespace", "room", "skip_sid", "callback", "to"]
    assert _parameters(socketio.AsyncManager.emit)[: len(expected)] == expected, _needs(
        "python-socketio", "AsyncManager.emit's parameters", "realtime/fanout.py (DirectEmit)"
    )


async def test_manager_lists_room_participants_as_sid_and_eio_sid() -> None:
    sio = socketio.AsyncServer(async_mode="asgi", client_manager=DirectEmit())
    manager = sio.manager
    manager.set_server(sio)
    manager.initialize()
    sid = await manager.connect("eio-1", "/")
    await manager.enter_room(sid, "/", "meeting:1")
    assert "/" in manager.rooms, _needs("python-socketio", "Manager.rooms", "realtime/fanout.py")
    assert list(manager.get_participants("/", "meeting:1")) == [(sid, "eio-1")], _needs(
        "python-socketio",
        "Manager.get_participants(namespace, room) -> (sid, eio_sid)",
        "realtime/fanout.py",
    )


def test_redis_manager_hands_local_delivery_to_direct_emit() -> None:
    mro = DirectRedisManager.__mro__
    pubsub = AsyncPubSubManager
    assert mro.index(pubsub) < mro.index(DirectEmit) < mro.index(socketio.AsyncManager)
    source = inspect.getsource(pubsub._handle_emit)
    assert "super().emit(" in source, _needs(
        "python-socketio",
        "AsyncPubSubManager._handle_emit delivering through super().emit",
        "realtime/fanout.py (DirectRedisManager)",
    )


async def test_send_queue_keeps_its_byte_count_through_asyncio_queue_hooks() -> None:
    """``SendQueue`` counts bytes in ``asyncio.Queue._put``/``_get`` (CPython's hooks)."""
    queue = SendQueue(SendLimits(), on_overflow=lambda _queue: None)
    queue.put_nowait(eio_packet.Packet(eio_packet.MESSAGE, data="x" * 100))
    assert queue.bytes > 0
    await queue.get()
    assert queue.bytes == 0, "asyncio.Queue no longer calls _put/_get: SendQueue miscounts"


def test_uvicorn_websocket_send_is_bound_to_a_protocol_holding_its_transport() -> None:
    """``backpressure._websocket_transport`` finds the connection's transport as
    ``environ["asgi.send"].__self__.transport``: the websocket protocol uvicorn picks
    (``--ws auto``) stores the transport in ``connection_made`` and hands the app a bound
    method of itself."""
    protocol: Any = AutoWebSocketsProtocol
    assert protocol is not None, "uvicorn found no websocket implementation"
    cls = protocol.__name__
    made = inspect.getsource(protocol.connection_made)
    run = inspect.getsource(protocol.run_asgi)
    where = "realtime/backpressure.py (_websocket_transport aborts a slow reader)"
    assert "self.transport = transport" in made, _needs("uvicorn", f"{cls}.transport", where)
    assert "self.app(self.scope, self.asgi_receive, self.asgi_send)" in run or (
        "self.app(self.scope, self.receive, self.send)" in run
    ), _needs("uvicorn", f"{cls}.run_asgi passing a bound send", where)


def test_versions_are_within_the_bounds_this_module_was_written_for() -> None:
    """The upper bounds of pyproject.toml; this fails first after a bound was raised, as a
    reminder to re-read the tests above against the new release."""
    checked = {"python-socketio": (5, 19), "python-engineio": (4, 16), "uvicorn": (0, 56)}
    for library, below in checked.items():
        major, minor = (int(part) for part in version(library).split(".")[:2])
        assert (major, minor) < below, _needs(library, f"a release below {below}", "realtime/")


def test_socketio_handles_engineio_connections_and_messages_through_wrappable_handlers() -> None:
    sio = socketio.AsyncServer(async_mode="asgi")
    where = "realtime/intake.py (Intake wraps them)"
    assert set(sio.eio.handlers) >= {"connect", "message", "disconnect"}, _needs(
        "python-engineio", "AsyncServer.handlers[event] set by socketio through eio.on()", where
    )
    # Inline, not in tasks of their own: a message that fails to decode fails in the wrapper.
    assert sio.eio.async_handlers is False, _needs(
        "python-socketio", "Engine.IO handlers run inline (async_handlers=False)", where
    )
    for method in ("sid_from_eio_sid", "eio_sid_from_sid", "is_connected"):
        assert callable(getattr(sio.manager, method, None)), _needs(
            "python-socketio", f"Manager.{method}", "realtime/intake.py, hub.py, joining.py"
        )


async def test_engineio_reads_websockets_through_the_receive_it_is_given() -> None:
    source = inspect.getsource(asgi_driver.translate_request)
    where = "realtime/gate.py (GatedReceive) and closing.py (close_connection finds it)"
    assert "'asgi.receive': receive" in source, _needs(
        "python-engineio", "environ['asgi.receive'] being the app's receive", where
    )

    async def disconnect() -> dict[str, Any]:
        return {"type": "websocket.disconnect", "code": 1000}

    ws = asgi_driver.WebSocket(None, None)
    ws.asgi_receive = disconnect
    try:
        await ws.wait()
    except OSError:
        pass
    else:
        raise AssertionError(
            _needs("python-engineio", "WebSocket.wait() raising on a disconnect", where)
        )


def test_the_json_option_decodes_socketio_packets_with_our_codec() -> None:
    before = (sio_packet.Packet.json, eio_packet.Packet.json)
    try:
        sio = socketio.AsyncServer(async_mode="asgi", json=codec)
        deep = "[" * 5000 + "]" * 5000
        decoded = sio.packet_class(encoded_packet=f'21["cmd",{deep}]')
        assert decoded.data == ["cmd", TOO_DEEP] and decoded.id == 1, _needs(
            "python-socketio", "Packet.decode through the json= module", "realtime/codec.py"
        )
        assert eio_packet.Packet.json is codec, _needs(
            "python-engineio", "the json= option reaching Engine.IO packets", "realtime/codec.py"
        )
    finally:
        sio_packet.Packet.json, eio_packet.Packet.json = before
