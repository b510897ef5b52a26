"""A committee's kind sets the rules of its polls, through the real server (SQLite and
PostgreSQL): the reported case of a People's Committee of 9 where one "yes" adopted a
decision under the form's old default, end to end — the committee created through the
API, the poll defined without a rule, the result, the event log and the signed minutes."""

from __future__ import annotations

import io
import secrets
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from harness.client import RoomClient, api, connect, login, user_ids
from tests.integration.conftest import Running

pytestmark = [
    pytest.mark.asyncio,
    # WeasyPrint in the server; pypdf here
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

VOTERS = ["chair", *[f"member{i}" for i in range(1, 9)]]  # 9 voting members
TWO_THIRDS = {"kind": "fraction", "fraction": [2, 3], "strict": False}
DID_NOT_VOTE = ["Phạm Thị Ngọc Ánh", "Đặng Thị Hương Giang", "Huỳnh Văn Phước", "Võ Minh Tuấn"]


async def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code < 300, response.text
    return response.json()  # type: ignore[no-any-return]


async def _peoples_committee_meeting(url: str, admin: str) -> tuple[int, int]:
    """A new People's Committee with the demo people, and a meeting of it with 9 voting
    members, a clerk and an observer."""
    ids = await user_ids(url, admin)
    roster = {name: "member" for name in VOTERS} | {"chair": "chair", "clerk": "clerk"}
    roster["observer"] = "observer"
    async with api(url, admin) as http:
        created = await _ok(
            await http.post(
                "/api/committees",
                json={
                    "name": f"Ủy ban nhân dân xã Thử Nghiệm {secrets.token_hex(3)}",
                    "kind": "peoples_committee",
                    "member_ids": [ids[name] for name in roster],
                },
            )
        )
        committee = created["committee"]
        assert committee["kind"] == "peoples_committee" and committee["quorum"] is None
        assert committee["rules"] == {
            "kind": "peoples_committee",
            "majority": "absolute",
            "quorum": TWO_THIRDS,
        }
        meeting = await _ok(
            await http.post(
                "/api/meetings",
                json={
                    "committee_id": committee["id"],
                    "title": "Phiên họp thường kỳ tháng 12",
                    "scheduled_at": "2026-12-10T08:00:00+07:00",
                    "roster": [{"user_id": ids[n], "role": r} for n, r in roster.items()],
                },
            )
        )
    assert meeting["meeting"]["committee_rules"] == committee["rules"]
    return int(committee["id"]), int(meeting["meeting"]["id"])


async def test_peoples_committee_of_9_with_1_yes_of_6_present_does_not_adopt_by_default(
    running: Running, admin_token: str
) -> None:
    _, meeting = await _peoples_committee_meeting(running.url, admin_token)
    present = ["chair", "clerk", *[f"member{i}" for i in range(1, 6)]]  # 6 voting members
    clients: dict[str, RoomClient] = {name: await connect(running.url, name) for name in present}
    try:
        for client in clients.values():
            joined = await client.join(meeting)
            assert joined["ok"]
        meeting_wire = joined["snapshot"]["meeting"]
        assert meeting_wire["committee_rules"]["majority"] == "absolute"
        chair = clients["chair"]
        assert (await chair.cmd("meeting.start"))["ok"]
        for name in present[:-1]:  # member5 is not in yet: 5 voting members present
            assert (await clients[name].cmd("attendance.check_in"))["ok"]

        # The dialog's default: no majority, no quorum. The server applies the committee's.
        definition = {"title": "Quyết định phê duyệt đề án", "kind": "yes_no_abstain"}
        created = await chair.cmd(
            "poll.create", {**definition, "secret": False, "allow_change": False}
        )
        assert created["ok"], created

        refused = await chair.cmd("poll.open", {"poll_id": 1})
        assert refused["error"]["code"] == "no-quorum"
        assert refused["error"]["data"] == {
            "rule": TWO_THIRDS,
            "members": 9,
            "present": 5,
            "represented": 0,
            "required": 6,
        }
        assert (await clients["member5"].cmd("attendance.check_in"))["ok"]
        assert (await chair.cmd("poll.open", {"poll_id": 1}))["ok"]
        assert (await clients["member1"].cmd("vote.cast", {"poll_id": 1, "choice": "yes"}))["ok"]
        assert (await chair.cmd("vote.cast", {"poll_id": 1, "choice": "abstain"}))["ok"]
        assert (await chair.cmd("poll.close", {"poll_id": 1}))["ok"]

        observer = clients["clerk"]
        await observer.wait_for(lambda: any(e["type"] == "poll.closed" for e in observer.events))
        by_type = {e["type"]: e["data"] for e in observer.events if e["type"].startswith("poll.")}
        # The log records the rule applied, so it stands alone whatever the committee becomes.
        assert by_type["poll.created"]["majority"] == "absolute"
        assert by_type["poll.created"]["quorum"] == TWO_THIRDS
        assert by_type["poll.created"]["requirement"] == {
            "base_kind": "members",
            "base": 9,
            "needed": 5,
        }
        result = by_type["poll.closed"]["result"]
        assert result["adopted"] is False
        assert (result["needed"], result["base"]) == (5, 9)
        assert (result["counts"], result["abstentions"], result["did_not_vote"]) == ([1, 0], 1, 4)
        assert result["absent"] == 3
        # A fresh snapshot says the same as the events.
        snapshot = (await observer.join(meeting))["snapshot"]["state"]["voting"]["polls"][0]
        assert snapshot["requirement"] == {"base_kind": "members", "base": 9, "needed": 5}
        assert snapshot["result"]["adopted"] is False
        assert (await chair.cmd("meeting.end"))["ok"]
    finally:
        for client in clients.values():
            await client.close()

    clerk = await login(running.url, "clerk")
    async with api(running.url, clerk) as http:
        generated = await _ok(
            await http.post(f"/api/meetings/{meeting}/minutes", json={"layout": "state"})
        )
        pdf = await http.get(f"/api/meetings/{meeting}/minutes/{generated['version']}/file")
        assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Kết quả: Không thông qua (1/9 phiếu tán thành, cần ít nhất 5)" in text, text
    assert "Kết quả: Thông qua" not in text
    assert "cần ít nhất 5 phiếu tán thành trên tổng số 9 thành viên" in text
    assert "Tán thành: 1 thành viên (11,1%)" in text
    assert "Không biểu quyết: 1 thành viên (11,1%)" in text
    assert "Không tham gia biểu quyết: 4 thành viên (44,4%) — " + ", ".join(DID_NOT_VOTE) in text
    assert "Vắng mặt khi biểu quyết: 3 thành viên (33,3%)" in text
    assert "Ý kiến khác" not in text


async def test_a_committees_kind_and_quorum_are_set_by_an_administrator(
    running: Running, admin_token: str
) -> None:
    committee, _ = await _peoples_committee_meeting(running.url, admin_token)
    path = f"/api/committees/{committee}/rules"
    async with api(running.url, admin_token) as http:
        below_the_law = await http.put(
            path,
            json={"kind": "peoples_committee", "quorum": {"kind": "count", "count": 3}},
        )
        assert below_the_law.status_code == 400
        assert "at least 2/3" in below_the_law.json()["error"]["message"]
        for wrong in ({"kind": "council"}, {"kind": "party", "quorum": {"kind": "x"}}, {}):
            refused = await http.put(path, json=wrong)
            assert refused.status_code == 400, wrong
        half = {"kind": "fraction", "fraction": [1, 2], "strict": True}
        party = await _ok(await http.put(path, json={"kind": "party", "quorum": half}))
        assert party["committee"]["quorum"] == half
        assert party["committee"]["rules"] == {
            "kind": "party",
            "majority": "absolute",
            "quorum": half,
        }
        back = await _ok(await http.put(path, json={"kind": "peoples_council", "quorum": None}))
        assert back["committee"]["rules"]["quorum"] == TWO_THIRDS
        listed = (await http.get("/api/committees")).json()["committees"]
        assert next(c for c in listed if c["id"] == committee)["kind"] == "peoples_council"
        missing = await http.put("/api/committees/999999/rules", json={"kind": "other"})
        assert missing.status_code == 404
    member = await login(running.url, "member1")
    async with api(running.url, member) as http:
        assert (await http.put(path, json={"kind": "other"})).status_code == 403


async def test_the_demo_committee_is_a_peoples_committee(
    running: Running, admin_token: str
) -> None:
    async with api(running.url, admin_token) as http:
        demo = (await http.get("/api/committees")).json()["committees"][0]
    assert demo["name"].startswith("Ủy ban nhân dân tỉnh")
    assert demo["kind"] == "peoples_committee"


@pytest.mark.parametrize(
    "member_ids, status",
    [([2, 1, 1], 400), ([2**31], 404), ([10**30], 400)],
    ids=["a member listed twice", "past the 32-bit ids", "far past them"],
)
async def test_a_committee_list_with_repeated_or_impossible_ids_is_refused_and_not_saved(
    running: Running, admin_token: str, member_ids: list[int], status: int
) -> None:
    name = f"Ban thử nghiệm {secrets.token_hex(3)}"
    async with api(running.url, admin_token) as http:
        answer = await http.post("/api/committees", json={"name": name, "member_ids": member_ids})
        listed = (await http.get("/api/committees")).json()["committees"]
    assert answer.status_code == status, answer.text
    assert all(c["name"] != name for c in listed)
