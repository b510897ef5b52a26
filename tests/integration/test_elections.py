"""Elections and confidence votes through the real server, with real Socket.IO clients."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest

from ecabinet.store.schema import participations, secret_polls
from harness.client import RoomClient
from tests.integration.conftest import Running
from tests.integration.test_voting import _close_all, _live_room, _rows

pytestmark = pytest.mark.asyncio

MEMBERS = [f"member{i}" for i in range(1, 9)]  # with the chair, 9 voting members
CANDIDATES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]


def _closed(client: RoomClient, poll_id: int) -> dict[str, Any]:
    return next(
        e["data"]
        for e in client.events
        if e["type"] == "poll.closed" and e["data"]["poll_id"] == poll_id
    )


async def test_an_election_elects_above_half_of_9_and_reports_the_tie_for_the_last_seat(
    running: Running, meeting: int
) -> None:
    clients = await _live_room(running.url, meeting, [*MEMBERS, "observer"])
    chair, observer = clients["chair"], clients["observer"]
    try:
        decomposed = [unicodedata.normalize("NFD", name) for name in CANDIDATES]
        created = await chair.cmd(
            "poll.create",
            {
                "title": "Bầu Phó Chủ tịch",
                "kind": "election",
                "secret": True,
                "allow_change": False,
                "options": [*decomposed, "Phạm Thị Dung"],
                "max_choices": 2,
            },
        )
        assert created["ok"], created
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        # Refused ballots: nothing written, the connection kept.
        before = len(observer.events)
        refused = await clients["member1"].cmd("vote.cast", {"poll_id": 1, "choice": [0, 1, 2]})
        assert refused["error"]["code"] == "too-many-kept"
        assert refused["error"]["data"] == {"kept": 3, "seats": 2}
        assert clients["member1"].sio.connected
        # 7 for An, 5 for Bình, 5 for Cường: An elected, Bình and Cường tied for seat 2.
        ballots = [[0, 1]] * 3 + [[0, 2]] * 3 + [[0]] + [[1, 2]] * 2
        voters = ["chair", *MEMBERS]
        receipts = []
        for name, kept in zip(voters, ballots, strict=True):
            ack = await clients[name].cmd("vote.cast", {"poll_id": 1, "choice": kept})
            assert ack["ok"], ack
            receipts.append(ack["receipt"])
        assert (await chair.cmd("poll.close", {"poll_id": 1}))["ok"]
        await observer.wait_for(lambda: any(e["type"] == "poll.closed" for e in observer.events))
        closed = _closed(observer, 1)
        result = closed["result"]
        assert result["counts"] == [7, 5, 5, 0] and result["base"] == 9 and result["needed"] == 5
        assert result["winners"] == [0]
        assert result["election"]["tie_for_last_seat"] == [1, 2]
        assert result["election"]["candidates"][0]["share"] == [7, 9]
        assert closed["receipts"] == sorted(receipts)
        participated = [e for e in observer.events[before:] if e["type"] == "vote.participated"]
        assert len(participated) == 9  # the refused ballot wrote nothing
        assert '"choice"' not in json.dumps(
            [e for e in observer.events if e["type"] != "poll.closed"]
        )
        snapshot = (await observer.join(meeting))["snapshot"]["state"]["voting"]["polls"][0]
        assert snapshot["options"][0] == CANDIDATES[0]  # stored in NFC
        assert snapshot["result"]["election"] == result["election"]
    finally:
        await _close_all(clients)
    rows = [r for r in await _rows(running, participations, meeting) if r.poll_id == 1]
    assert len(rows) == 9 and all(r.choice is None for r in rows)


async def test_a_confidence_vote_flags_more_than_half_low_of_the_ballots_returned(
    running: Running, meeting: int
) -> None:
    clients = await _live_room(running.url, meeting, [*MEMBERS, "observer"])
    chair, observer = clients["chair"], clients["observer"]
    try:
        created = await chair.cmd(
            "poll.create",
            {
                "title": "Lấy phiếu tín nhiệm",
                "kind": "confidence",
                "secret": True,
                "allow_change": False,
                "options": CANDIDATES[:2],
            },
        )
        assert created["ok"], created
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        unrated = await clients["member1"].cmd("vote.cast", {"poll_id": 1, "choice": [2]})
        assert unrated["error"]["code"] == "invalid"
        ratings = [[2, 0]] * 5 + [[1, 2]] * 2 + [[0, 2]] * 2  # An: 5 of 9 low
        for name, choice in zip(["chair", *MEMBERS], ratings, strict=True):
            ack = await clients[name].cmd("vote.cast", {"poll_id": 1, "choice": choice})
            assert ack["ok"], ack
        assert (await chair.cmd("poll.close", {"poll_id": 1}))["ok"]
        await observer.wait_for(lambda: any(e["type"] == "poll.closed" for e in observer.events))
        confidence = _closed(observer, 1)["result"]["confidence"]
        assert confidence["base"] == 9 and confidence["needed"] == 5
        assert confidence["flagged"] == [0]
        assert confidence["persons"][0]["counts"] == [2, 2, 5]
        assert confidence["persons"][1]["shares"] == [[5, 9], [0, 9], [4, 9]]
    finally:
        await _close_all(clients)
    (secret,) = await _rows(running, secret_polls, meeting)
    assert len(json.loads(secret.receipts)) == 9
