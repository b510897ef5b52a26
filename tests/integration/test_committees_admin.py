"""The back office for committees, against a real server (SQLite and PostgreSQL): a committee
created whole (kind, quorum, members with their titles, minutes profile) in one request,
changed in one, and every refusal of docs/protocol.md ("Committees in the back office")
followed by a look at what is stored: nothing of a refused request is saved. Then what a
committee's clerk may do, and the live preview of the minutes header."""

from __future__ import annotations

import secrets
from typing import Any

import httpx
import pytest

from harness.client import api, login, user_ids
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio

TWO_THIRDS = {"kind": "fraction", "fraction": [2, 3], "strict": False}
THREE_QUARTERS = {"kind": "fraction", "fraction": [3, 4], "strict": False}
MORE_THAN_HALF = {"kind": "fraction", "fraction": [1, 2], "strict": True}
JSON_BODY_MAX_BYTES = 64 * 1024  # ecabinet.http.common, as documented


def _name(words: str = "Ủy ban nhân dân xã Hòa Thuận") -> str:
    return f"{words} {secrets.token_hex(3)}"


async def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


def _refused(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    return str(error["message"])


async def _with_titles(url: str, admin: str) -> dict[str, int]:
    """Three new people with a title and a unit; their ids by user name."""
    tag = secrets.token_hex(3)
    people = {
        f"ct{tag}": ("Nguyễn Thị Hòa", "Chủ tịch", "UBND xã"),
        f"pct{tag}": ("Võ Minh Tuấn", "Phó Chủ tịch", "UBND xã"),
        f"uv{tag}": ("Đặng Thị Hương Giang", "Ủy viên", "Phòng Tài chính – Kế hoạch"),
    }
    ids = {}
    async with api(url, admin) as http:
        for username, (full, title, unit) in people.items():
            created = await _ok(
                await http.post(
                    "/api/users",
                    json={"username": username, "display_name": full, "title": title, "unit": unit},
                ),
                201,
            )
            ids[username] = created["user"]["id"]
    return ids


async def _committees(http: httpx.AsyncClient) -> list[dict[str, Any]]:
    return (await _ok(await http.get("/api/committees")))["committees"]  # type: ignore[no-any-return]


async def _named(http: httpx.AsyncClient, prefix: str) -> list[dict[str, Any]]:
    return [c for c in await _committees(http) if c["name"].startswith(prefix)]


async def test_a_committee_is_created_whole_with_members_titles_and_profile(
    running: Running, admin_token: str
) -> None:
    people = await _with_titles(running.url, admin_token)
    name = _name()
    async with api(running.url, admin_token) as http:
        created = await _ok(
            await http.post(
                "/api/committees",
                json={
                    "name": f"  {name.replace(' ', '  ', 1)}\t",  # runs of white space
                    "kind": "peoples_committee",
                    "quorum": THREE_QUARTERS,
                    "member_ids": list(people.values()),
                    "profile": {
                        "layout": "state",
                        "superior_body": "UBND huyện Hòa Vang",
                        "place": "Hòa Thuận",
                        "recipients": ["Thường trực Đảng ủy xã", "Các ban, ngành"],
                    },
                },
            ),
            201,
        )
        committee = created["committee"]
        assert committee["name"] == name
        assert (committee["kind"], committee["quorum"]) == ("peoples_committee", THREE_QUARTERS)
        assert committee["rules"] == {
            "kind": "peoples_committee",
            "majority": "absolute",
            "quorum": THREE_QUARTERS,
        }
        titles = {m["username"]: (m["title"], m["unit"]) for m in committee["members"]}
        assert titles == {
            next(u for u in people if u.startswith("ct")): ("Chủ tịch", "UBND xã"),
            next(u for u in people if u.startswith("pct")): ("Phó Chủ tịch", "UBND xã"),
            next(u for u in people if u.startswith("uv")): (
                "Ủy viên",
                "Phòng Tài chính – Kế hoạch",
            ),
        }
        assert committee["clerks"] == []  # nobody is the clerk of one of its meetings yet
        assert committee["profile"]["superior_body"] == "UBND huyện Hòa Vang"
        assert committee["profile"]["recipients"] == ["Thường trực Đảng ủy xã", "Các ban, ngành"]

        # The same in the list, the committee alone, and the profile's own route.
        listed = await _ok(await http.get("/api/committees"))
        assert next(c for c in listed["committees"] if c["id"] == committee["id"]) == committee
        assert {k["kind"] for k in listed["kinds"]} == {
            "party",
            "peoples_committee",
            "peoples_council",
            "other",
        }
        statute = next(k for k in listed["kinds"] if k["kind"] == "peoples_committee")
        assert statute == {
            "kind": "peoples_committee",
            "majority": "absolute",
            "quorum": TWO_THIRDS,
            "quorum_floor": TWO_THIRDS,
        }
        alone = await _ok(await http.get(f"/api/committees/{committee['id']}"))
        assert alone["committee"] == committee
        stored = await _ok(await http.get(f"/api/committees/{committee['id']}/minutes-profile"))
        assert stored["profile"] == committee["profile"]

        # One change of everything, in one request; what is not sent stays.
        first = next(iter(people.values()))
        changed = await _ok(
            await http.patch(
                f"/api/committees/{committee['id']}",
                json={
                    "name": f"{name} (mới)",
                    "kind": "party",
                    "quorum": None,
                    "member_ids": [first],
                    "profile": {"layout": "party", "superior_body": "Đảng bộ huyện Hòa Vang"},
                },
            )
        )
        after = changed["committee"]
        assert after["name"] == f"{name} (mới)"
        assert (after["kind"], after["quorum"]) == ("party", None)
        assert after["rules"]["quorum"] == TWO_THIRDS  # the Party kind's default
        assert [m["user_id"] for m in after["members"]] == [first]
        assert after["profile"]["layout"] == "party"
        assert after["profile"]["recipients"] == []  # a profile is sent whole
        # The quorum alone: the committee's kind stays.
        quorum_only = await _ok(
            await http.patch(f"/api/committees/{committee['id']}", json={"quorum": MORE_THAN_HALF})
        )
        assert (quorum_only["committee"]["kind"], quorum_only["committee"]["quorum"]) == (
            "party",
            MORE_THAN_HALF,
        )
        assert quorum_only["committee"]["name"] == after["name"]


async def test_every_refused_creation_says_why_and_saves_nothing(
    running: Running, admin_token: str
) -> None:
    people = await _with_titles(running.url, admin_token)
    prefix = f"Ban từ chối {secrets.token_hex(3)}"
    good = {"name": prefix, "kind": "other", "member_ids": list(people.values())}
    cases: list[tuple[dict[str, Any], int, str, str]] = [
        ({**good, "kind": "council"}, 400, "invalid", "kind must be one of"),
        (
            {**good, "kind": "peoples_committee", "quorum": MORE_THAN_HALF},
            400,
            "invalid",
            "at least 2/3",
        ),
        (
            {**good, "kind": "peoples_committee", "quorum": {"kind": "count", "count": 3}},
            400,
            "invalid",
            "at least 2/3",
        ),
        (
            {**good, "quorum": {"kind": "fraction", "fraction": [3, 2], "strict": False}},
            400,
            "invalid",
            "quorum fraction",
        ),
        ({**good, "name": "   "}, 400, "invalid", "1–300 characters"),
        ({**good, "name": prefix + "x" * 300}, 400, "invalid", "1–300 characters"),
        ({**good, "member_ids": [*people.values(), 2_000_000]}, 404, "not-found", "no such user"),
        ({**good, "member_ids": [*people.values(), 2**40]}, 404, "not-found", "no such user"),
        ({**good, "member_ids": [next(iter(people.values()))] * 2}, 400, "invalid", "each once"),
        ({**good, "member_ids": ["1"]}, 400, "invalid", "whole numbers"),
        ({**good, "profile": {"place": "x" * 301}}, 400, "invalid", "place must be text"),
        ({**good, "profile": {"layout": "a4"}}, 400, "invalid", "layout must be one of"),
        ({**good, "profile": {"recipients": ["Nơi nhận"] * 21}}, 400, "invalid", "recipients"),
        ({**good, "profile": {"margin": 30}}, 400, "invalid", "unknown fields: margin"),
        ({**good, "profile": "state"}, 400, "invalid", "profile must be an object"),
        ({**good, "chair_id": 1}, 400, "invalid", "unknown fields: chair_id"),
    ]
    async with api(running.url, admin_token) as http:
        for body, status, code, words in cases:
            message = _refused(await http.post("/api/committees", json=body), status, code)
            assert words in message, (body, message)
        huge = {
            **good,
            "profile": {"recipients": ["x" * 300] * 20},
            "pad": "y" * JSON_BODY_MAX_BYTES,
        }
        _refused(await http.post("/api/committees", json=huge), 413, "too-large")
        assert await _named(http, prefix) == []
        # The same body without its fault is accepted: the refusals were for their reason.
        await _ok(await http.post("/api/committees", json=good), 201)
        assert len(await _named(http, prefix)) == 1


async def test_a_refused_change_leaves_the_committee_as_it_was(
    running: Running, admin_token: str
) -> None:
    people = await _with_titles(running.url, admin_token)
    ids = list(people.values())
    async with api(running.url, admin_token) as http:
        created = await _ok(
            await http.post(
                "/api/committees",
                json={
                    "name": _name(),
                    "kind": "peoples_committee",
                    "member_ids": ids[:2],
                    "profile": {"place": "Hòa Thuận"},
                },
            ),
            201,
        )
        committee = created["committee"]
        path = f"/api/committees/{committee['id']}"
        # Each change is valid but one part: the valid parts are not saved either.
        cases: list[tuple[dict[str, Any], int, str]] = [
            ({"name": "Tên mới", "quorum": MORE_THAN_HALF}, 400, "invalid"),  # below 2/3
            ({"name": "Tên mới", "kind": "unknown"}, 400, "invalid"),
            ({"name": "", "member_ids": ids}, 400, "invalid"),
            ({"name": "Tên mới", "member_ids": [*ids, 2_000_000]}, 404, "not-found"),
            ({"name": "Tên mới", "profile": {"superior_body": "ủy " * 101}}, 400, "invalid"),
            ({"name": "Tên mới", "member_ids": ids, "members": []}, 400, "invalid"),
        ]
        for body, status, code in cases:
            _refused(await http.patch(path, json=body), status, code)
            assert (await _ok(await http.get(path)))["committee"] == committee, body
        nobody = "/api/committees/2000000000"
        _refused(await http.patch(nobody, json={"name": "x"}), 404, "not-found")
        _refused(await http.get(nobody), 404, "not-found")
        _refused(await http.get(f"{nobody}/minutes-profile"), 404, "not-found")


async def _person(url: str, admin: str) -> tuple[int, str]:
    """A new person (no meeting role anywhere): id and a signed-in session."""
    username = f"tk{secrets.token_hex(3)}"
    async with api(url, admin) as http:
        created = await _ok(
            await http.post(
                "/api/users",
                json={"username": username, "display_name": "Trần Thị Thu Hằng", "title": "Thư ký"},
            ),
            201,
        )
    return created["user"]["id"], await login(url, username, created["password"])


async def test_a_committees_clerk_keeps_its_minutes_profile_and_nothing_else(
    running: Running, admin_token: str
) -> None:
    ids = await user_ids(running.url, admin_token)
    clerk_id, clerk = await _person(running.url, admin_token)
    _member_id, member = await _person(running.url, admin_token)
    async with api(running.url, admin_token) as http:
        created = await _ok(
            await http.post(
                "/api/committees",
                json={
                    "name": _name("Hội đồng nhân dân xã Hòa Thuận"),
                    "kind": "peoples_council",
                    "member_ids": [ids["chair"], ids["member1"], _member_id],
                },
            ),
            201,
        )
        committee = created["committee"]
        path = f"/api/committees/{committee['id']}"
        # The new person is the clerk of one of its meetings (a draft is enough).
        meeting = await http.post(
            "/api/meetings",
            json={
                "committee_id": committee["id"],
                "title": "Kỳ họp chuyên đề",
                "scheduled_at": "2026-12-20T08:00:00+07:00",
                "roster": [
                    {"user_id": ids["chair"], "role": "chair"},
                    {"user_id": clerk_id, "role": "clerk"},
                    {"user_id": _member_id, "role": "member"},
                ],
            },
        )
        assert meeting.status_code == 201, meeting.text
        listed = await _ok(await http.get(path))
        assert listed["committee"]["clerks"] == [
            {"user_id": clerk_id, "display_name": "Trần Thị Thu Hằng"}
        ]

    async with api(running.url, clerk) as http:
        assert [c["id"] for c in await _committees(http)] == [committee["id"]]
        await _ok(await http.get(path))
        saved = await _ok(
            await http.put(
                f"{path}/minutes-profile",
                json={"layout": "state", "place": "Hòa Thuận", "recipients": ["Như trên"]},
            )
        )
        assert saved["profile"]["place"] == "Hòa Thuận"
        preview = await http.get(
            "/api/committees/minutes-preview",
            params={"name": committee["name"], "kind": "peoples_council", "place": "Hòa Thuận"},
        )
        assert preview.status_code == 200 and "Hòa Thuận, ngày" in preview.text
        # Its name, kind, quorum and members are the administrator's.
        _refused(await http.patch(path, json={"name": "Đổi tên"}), 403, "not-allowed")
        _refused(await http.put(f"{path}/rules", json={"kind": "other"}), 403, "not-allowed")
        _refused(await http.post("/api/committees", json={"name": "Ban mới"}), 403, "not-allowed")
        # Other committees are not theirs (the demo committee is the first).
        demo = "/api/committees/1"
        _refused(await http.get(demo), 403, "not-allowed")
        _refused(await http.put(f"{demo}/minutes-profile", json={}), 403, "not-allowed")

    # A member of the committee (and of its meeting) is no clerk of anything.
    async with api(running.url, member) as http:
        assert await _committees(http) == []
        _refused(await http.get(path), 403, "not-allowed")
        _refused(await http.get(f"{path}/minutes-profile"), 403, "not-allowed")
        _refused(await http.get("/api/committees/minutes-preview"), 403, "not-allowed")
    async with api(running.url, admin_token) as http:
        stored = await _ok(await http.get(f"{path}/minutes-profile"))
        assert stored["profile"]["recipients"] == ["Như trên"]


async def test_the_preview_draws_the_header_the_minutes_would_print(
    running: Running, admin_token: str
) -> None:
    async with api(running.url, admin_token) as http:
        state = await http.get(
            "/api/committees/minutes-preview",
            params={"name": "Ủy ban nhân dân tỉnh Hòa Lâm", "kind": "peoples_committee"},
        )
        assert state.status_code == 200, state.text
        assert state.headers["content-type"].startswith("text/html")
        policy = state.headers["content-security-policy"]
        assert "script-src" not in policy and "default-src 'none'" in policy
        assert "frame-ancestors 'self'" in policy and "sandbox" in policy
        page = state.text
        for words in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: …/BB-UBND",  # the code from the committee's name
            "Hòa Lâm, ngày",  # the place from the committee's name
            ">Ủy ban nhân dân</div>",  # the name split before its unit
            ">tỉnh Hòa Lâm</div>",
            "BIÊN BẢN",
        ):
            assert words in page, words

        party = await http.get(
            "/api/committees/minutes-preview",
            params={
                "name": "Ban Thường vụ Đảng ủy xã",
                "kind": "party",
                "layout": "party",
                "superior_body": "Đảng bộ huyện Hòa Vang",
                "official_name": "Đảng ủy xã Hòa Thuận",
                "place": "Hòa Thuận",
                "abbreviation": "BB",
            },
        )
        assert party.status_code == 200
        for words in ("ĐẢNG CỘNG SẢN VIỆT NAM", "Số …-BB/ĐU", "Đảng bộ huyện Hòa Vang", "*"):
            assert words in party.text, words
        assert "Độc lập" not in party.text

        # Texts are user text: escaped, never markup.
        hostile = await http.get(
            "/api/committees/minutes-preview",
            params={"official_name": "<script>alert(1)</script>", "place": '"><img src=x>'},
        )
        assert hostile.status_code == 200
        assert "<script>" not in hostile.text and "<img" not in hostile.text

        refusals: list[tuple[dict[str, str], str]] = [
            ({"kind": "council"}, "kind must be one of"),
            ({"layout": "a4"}, "layout must be one of"),
            ({"place": "x" * 301}, "place must be text"),
            ({"name": "x" * 301}, "at most 300"),
            ({"recipients": "Như trên"}, "unknown fields: recipients"),
            ({"place": "a\x00b"}, "NUL"),
        ]
        for params, words in refusals:
            message = _refused(
                await http.get("/api/committees/minutes-preview", params=params), 400, "invalid"
            )
            assert words in message, (params, message)
        repeated = await http.get("/api/committees/minutes-preview?place=a&place=b")
        assert "repeated" in _refused(repeated, 400, "invalid")
    async with api(running.url) as anonymous:
        _refused(await anonymous.get("/api/committees/minutes-preview"), 401, "unauthenticated")
