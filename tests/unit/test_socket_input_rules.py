"""The rules for what a socket may send, on their own: payload bounds, the frame codec, the
websocket gate's frame check, and the rate of log lines about unreadable frames."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from realtime import codec
from realtime.gate import frame_problem
from realtime.notices import NOTICE_WINDOW_SECS, LibraryErrors, Notices
from realtime.payload import PAYLOAD_MAX_DEPTH, TOO_DEEP, WHOLE_NUMBER_MAX, refusal

DEEP = 5_000  # past Python's recursion limit


def nested(levels: int, inner: Any = None) -> Any:
    value = inner
    for _ in range(levels):
        value = [value] if value is not None else []
    return value


def test_payloads_up_to_the_depth_limit_pass_and_one_level_more_is_refused() -> None:
    assert refusal(nested(PAYLOAD_MAX_DEPTH)) is None
    assert refusal({"data": nested(PAYLOAD_MAX_DEPTH - 1)}) is None
    assert "nested more than 32 levels" in str(refusal(nested(PAYLOAD_MAX_DEPTH + 1)))
    assert refusal({"data": nested(PAYLOAD_MAX_DEPTH)}) is not None
    assert refusal(TOO_DEEP) == refusal(nested(PAYLOAD_MAX_DEPTH + 1))


def test_a_payload_far_deeper_than_the_limit_is_refused_without_recursion() -> None:
    assert refusal(nested(100_000)) is not None


@pytest.mark.parametrize("number", [WHOLE_NUMBER_MAX, -WHOLE_NUMBER_MAX, 0])
def test_whole_numbers_within_the_databases_integer_range_pass(number: int) -> None:
    assert refusal({"meeting_id": number, "points": [[number, 1.5e300]]}) is None


@pytest.mark.parametrize("number", [WHOLE_NUMBER_MAX + 1, -WHOLE_NUMBER_MAX - 1, 10**30])
def test_whole_numbers_past_the_databases_integer_range_are_refused(number: int) -> None:
    assert "whole numbers must be between" in str(refusal({"data": {"ids": [1, number]}}))


def test_scalars_and_booleans_are_not_numbers_to_bound() -> None:
    assert refusal(None) is None and refusal(True) is None and refusal("x" * 10) is None


def test_the_codec_decodes_what_json_decodes() -> None:
    text = '["cmd",{"id":"a","data":{"n":12,"f":1.5,"s":"Nguyễn","l":[null,true]}}]'
    assert codec.loads(text) == json.loads(text)
    assert codec.dumps({"a": [1]}, separators=(",", ":")) == '{"a":[1]}'


def test_an_event_too_deep_to_decode_keeps_its_name_and_gets_the_too_deep_payload() -> None:
    text = '["cmd",' + "[" * DEEP + "]" * DEEP + "]"
    with pytest.raises(RecursionError):
        json.loads(text)
    assert codec.loads(text) == ["cmd", TOO_DEEP]
    assert codec.loads(' [ "join" ,{"meeting_id":' + "[" * DEEP + "]" * DEEP + "}]") == [
        "join",
        TOO_DEEP,
    ]


def test_any_other_text_too_deep_to_decode_is_a_decoding_error() -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        codec.loads('{"device":' + "[" * DEEP + "]" * DEEP + "}")


def test_the_codec_refuses_whole_numbers_of_more_than_a_hundred_digits() -> None:
    assert codec.loads("1" * 100) == int("1" * 100)
    with pytest.raises(ValueError):
        codec.loads("1" * 101)


@pytest.mark.parametrize("frame", ["1", "2", "2probe", "3", "3probe", "5", "6", "40", "42[]"])
def test_the_engineio_packets_a_client_sends_pass_the_gate(frame: str) -> None:
    assert frame_problem(frame) is None


@pytest.mark.parametrize("frame", ["", "x", "0{}", "7", "9", "٣", "b4x", "2x", "5x"])
def test_other_text_frames_are_not_engineio(frame: str) -> None:
    assert frame_problem(frame) == "not an Engine.IO packet"


@pytest.mark.parametrize("frame", ["4", "4x", "47", "4[[[", "4{}"])
def test_messages_that_are_no_socketio_packet_are_stopped_at_the_gate(frame: str) -> None:
    assert frame_problem(frame) == "not a Socket.IO packet"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_notices_leave_at_their_rate_and_tell_how_many_were_held_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    notices = Notices(per_window=3, clock=clock)
    with caplog.at_level(logging.WARNING, logger="realtime.notices"):
        for i in range(10):
            notices.tell(f"closed {i}")
        clock.now = NOTICE_WINDOW_SECS
        notices.tell("closed 10")
        notices.tell("closed 11")
    assert [r.getMessage() for r in caplog.records] == [
        "closed 0",
        "closed 1",
        "closed 2",
        "closed 10 (7 more such lines were held back before this one)",
        "closed 11",
    ]


def test_a_librarys_traceback_becomes_one_line_naming_the_error_not_the_frame(
    caplog: pytest.LogCaptureFixture,
) -> None:
    library = logging.getLogger("tests.a-socket-library")
    library.addFilter(LibraryErrors(Notices()))
    with caplog.at_level(logging.INFO):
        try:
            int("secret ballot text")
        except ValueError:
            library.exception("message async handler error")
        library.error("Invalid session %s", "abc")
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "tests.a-socket-library: message async handler error (ValueError)",
        "Invalid session abc",
    ]
    assert all(r.exc_info is None for r in caplog.records)
