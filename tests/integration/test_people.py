"""The administrator's back office for people, against a real server: create, edit,
reset a password, and the CSV import (preview, then all or nothing). Every refused import
is followed by a look at the users list: nobody of the file may be in it."""

from __future__ import annotations

import secrets
import unicodedata

import httpx
import pytest

from harness.client import COOKIE, api, login
from harness.server import DEMO_PASSWORD
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio

CSV = {"Content-Type": "text/csv"}
CSV_MAX_BYTES = 256 * 1024  # ecabinet.auth.people_import.CSV_MAX_BYTES, as documented


def to_cp1258(text: str) -> bytes:
    """What Excel on a Vietnamese Windows writes: base letters (â, ơ, ư, đ … precomposed
    where the code page has them) followed by combining tone marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], list(decomposed[1:])
        for mark in marks:
            composed = unicodedata.normalize("NFC", base + mark)
            try:
                composed.encode("cp1258")
            except UnicodeEncodeError:
                continue
            if len(composed) == 1:
                base = composed
                marks.remove(mark)
                break
        out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


def _prefix() -> str:
    return f"p{secrets.token_hex(3)}"


async def _usernames(http: httpx.AsyncClient) -> set[str]:
    answer = await http.get("/api/users")
    assert answer.status_code == 200
    return {u["username"] for u in answer.json()["users"]}


async def _nobody_of(http: httpx.AsyncClient, prefix: str) -> None:
    assert {u for u in await _usernames(http) if u.startswith(prefix)} == set()


async def test_create_without_a_password_answers_a_generated_one_once_and_it_signs_in(
    running: Running, admin_token: str
) -> None:
    name = _prefix()
    async with api(running.url, admin_token) as http:
        created = await http.post(
            "/api/users",
            json={
                "username": name,
                "display_name": "Nguye\u0302\u0303n  Thị\tHoa",  # decomposed, odd spaces
                "title": "Phó Chủ tịch",
                "unit": "UBND huyện",
            },
        )
        assert created.status_code == 201, created.text
        assert created.headers["cache-control"] == "no-store"
        body = created.json()
        user, password = body["user"], body["password"]
        assert user["display_name"] == "Nguyễn Thị Hoa"
        assert unicodedata.is_normalized("NFC", user["display_name"])
        assert (user["title"], user["unit"], user["is_active"]) == (
            "Phó Chủ tịch",
            "UBND huyện",
            True,
        )
        assert len(password) >= 16
        listed = [
            u for u in (await http.get("/api/users")).json()["users"] if u["id"] == user["id"]
        ]
        assert listed == [user] and "password" not in listed[0]
    await login(running.url, name, password)


async def test_edit_changes_name_title_unit_and_refuses_bad_values(
    running: Running, admin_token: str
) -> None:
    name = _prefix()
    async with api(running.url, admin_token) as http:
        user = (
            await http.post("/api/users", json={"username": name, "display_name": "Lê Văn Tám"})
        ).json()["user"]
        edited = await http.patch(
            f"/api/users/{user['id']}", json={"title": "Chánh Văn phòng", "unit": "Văn phòng"}
        )
        assert edited.status_code == 200, edited.text
        assert edited.json()["user"]["display_name"] == "Lê Văn Tám"
        assert edited.json()["user"]["title"] == "Chánh Văn phòng"
        for bad in (
            {"display_name": "  "},
            {"title": "x" * 201},
            {"username": "other"},
            {"unit": 3},
        ):
            refused = await http.patch(f"/api/users/{user['id']}", json=bad)
            assert refused.status_code == 400, (bad, refused.text)
            assert refused.json()["error"]["code"] == "invalid"
        missing = await http.patch("/api/users/999999", json={"title": "x"})
        assert missing.status_code == 404
        after = [u for u in (await http.get("/api/users")).json()["users"] if u["id"] == user["id"]]
        assert after[0]["title"] == "Chánh Văn phòng" and after[0]["unit"] == "Văn phòng"


async def test_a_password_reset_ends_every_session_and_only_the_new_password_works(
    running: Running, admin_token: str
) -> None:
    name = _prefix()
    async with api(running.url, admin_token) as http:
        user = (
            await http.post(
                "/api/users",
                json={"username": name, "display_name": "Trần Bình", "password": "cũ-đủ-dài-1"},
            )
        ).json()["user"]
    token = await login(running.url, name, "cũ-đủ-dài-1")
    async with api(running.url, admin_token) as http:
        reset = await http.post(f"/api/users/{user['id']}/password-reset", json={})
        assert reset.status_code == 200, reset.text
        assert reset.headers["cache-control"] == "no-store"
        new_password, ended = reset.json()["password"], reset.json()["ended"]
        assert ended == 1 and new_password != "cũ-đủ-dài-1"
        again = await http.post(f"/api/users/{user['id']}/password-reset", json={})
        assert again.json()["password"] != new_password  # a new one each time
        new_password = again.json()["password"]
        me = (await http.get("/api/me")).json()["user"]
        own = await http.post(f"/api/users/{me['id']}/password-reset", json={})
        assert own.status_code == 409 and own.json()["error"]["code"] == "conflict"
    async with api(running.url, token) as http:
        assert (await http.get("/api/me")).status_code == 401
    async with httpx.AsyncClient(base_url=running.url) as http:
        old = await http.post("/api/login", json={"username": name, "password": "cũ-đủ-dài-1"})
        assert old.status_code == 401
    await login(running.url, name, new_password)


async def test_deactivate_and_reactivate_from_the_list(running: Running, admin_token: str) -> None:
    name = _prefix()
    async with api(running.url, admin_token) as http:
        created = await http.post("/api/users", json={"username": name, "display_name": "Hà An"})
        user_id, password = created.json()["user"]["id"], created.json()["password"]
        assert (
            await http.put(f"/api/users/{user_id}/active", json={"active": False})
        ).status_code == 204
        listed = {u["username"]: u for u in (await http.get("/api/users")).json()["users"]}
        assert listed[name]["is_active"] is False
    async with httpx.AsyncClient(base_url=running.url) as anonymous:
        refused = await anonymous.post("/api/login", json={"username": name, "password": password})
        assert refused.status_code == 401
    async with api(running.url, admin_token) as http:
        assert (
            await http.put(f"/api/users/{user_id}/active", json={"active": True})
        ).status_code == 204
    await login(running.url, name, password)


async def test_an_administrator_cannot_deactivate_their_own_account(
    running: Running, admin_token: str
) -> None:
    async with api(running.url, admin_token) as http:
        me = (await http.get("/api/me")).json()["user"]
        refused = await http.put(f"/api/users/{me['id']}/active", json={"active": False})
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"
        listed = {u["id"]: u for u in (await http.get("/api/users")).json()["users"]}
        assert listed[me["id"]]["is_active"] is True  # nothing changed
        assert (await http.get("/api/me")).status_code == 200  # still signed in


# --- the CSV import ---------------------------------------------------------------------


def _people(prefix: str, header: str = "username,full_name,title,unit", sep: str = ",") -> str:
    rows = [
        header,
        f"{prefix}a{sep}Nguyễn Văn Ân{sep}Chủ tịch{sep}UBND xã Hòa Bình",
        f'{prefix}b{sep}"Phạm Thị Ngọc, Ánh"{sep}Phó Chủ tịch{sep}"UBND xã Hòa Bình"',
        f"{prefix}c{sep}Đặng Quốc Việt{sep}{sep}",
    ]
    return "\r\n".join(rows) + "\r\n"


@pytest.mark.parametrize(
    ("label", "encode", "encoding"),
    [
        ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
        ("utf-8 with BOM", lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
        ("windows-1258", to_cp1258, "cp1258"),
    ],
)
async def test_an_import_previews_then_creates_everyone_with_a_password_each(
    running: Running, admin_token: str, label: str, encode: object, encoding: str
) -> None:
    prefix = _prefix()
    if label == "windows-1258":  # Excel in a Vietnamese locale: semicolons, Vietnamese names
        text = _people(prefix, "Tên đăng nhập;Họ và tên;Chức vụ;Đơn vị", ";")
    else:
        text = _people(prefix)
    data = encode(text)  # type: ignore[operator]
    if label == "windows-1258":
        assert b"\xd2" in data  # combining tone marks, as the code page writes them
    async with api(running.url, admin_token) as http:
        preview = await http.post("/api/users/import/preview", content=data, headers=CSV)
        assert preview.status_code == 200, preview.text
        body = preview.json()
        assert body["ok"] is True and body["encoding"] == encoding and body["errors"] == 0
        assert [r["full_name"] for r in body["rows"]] == [
            "Nguyễn Văn Ân",
            "Phạm Thị Ngọc, Ánh",
            "Đặng Quốc Việt",
        ]
        assert all(unicodedata.is_normalized("NFC", r["full_name"]) for r in body["rows"])
        assert body["rows"][0]["unit"] == "UBND xã Hòa Bình"
        await _nobody_of(http, prefix)  # a preview saves nothing
        imported = await http.post("/api/users/import", content=data, headers=CSV)
        assert imported.status_code == 201, imported.text
        assert imported.headers["cache-control"] == "no-store"
        people = imported.json()["users"]
        assert [p["username"] for p in people] == [f"{prefix}a", f"{prefix}b", f"{prefix}c"]
        assert len({p["password"] for p in people}) == 3
        listed = {u["username"]: u for u in (await http.get("/api/users")).json()["users"]}
        assert listed[f"{prefix}b"]["title"] == "Phó Chủ tịch"
        again = await http.post("/api/users/import", content=data, headers=CSV)
        assert again.status_code == 400
        codes = {e["code"] for row in again.json()["error"]["data"]["rows"] for e in row["errors"]}
        assert codes == {"taken"}
    await login(running.url, f"{prefix}c", people[2]["password"])


async def test_duplicate_names_and_bad_rows_are_reported_per_row_and_nothing_is_saved(
    running: Running, admin_token: str
) -> None:
    prefix = _prefix()
    text = (
        "username,full_name,title\n"
        f"{prefix}a,Một,\n"
        f"{prefix.upper()}A,Hai,\n"  # the same name: user names are compared in lower case
        "member1,Ba,\n"  # an existing user
        "có dấu,Bốn,\n"
        f"{prefix}e,,\n"
        f"{prefix}f,Sáu,{'x' * 201}\n"
        f"{prefix}g,Bảy,,extra\n"
        f"{prefix}h,Tám,\n"
    )
    async with api(running.url, admin_token) as http:
        preview = await http.post("/api/users/import/preview", content=text.encode(), headers=CSV)
        assert preview.status_code == 200, preview.text
        rows = preview.json()["rows"]
        problems = {r["line"]: [(e["column"], e["code"]) for e in r["errors"]] for r in rows}
        assert problems == {
            2: [],
            3: [("username", "duplicate")],
            4: [("username", "taken")],
            5: [("username", "bad")],
            6: [("full_name", "missing")],
            7: [("title", "too-long")],
            8: [("row", "extra-cells")],
            9: [],
        }
        assert preview.json()["ok"] is False and preview.json()["errors"] == 6
        imported = await http.post("/api/users/import", content=text.encode(), headers=CSV)
        assert imported.status_code == 400 and imported.json()["error"]["code"] == "invalid"
        assert imported.json()["error"]["data"]["rows"] == rows
        await _nobody_of(http, prefix)


@pytest.mark.parametrize(
    ("case", "data", "message", "problem"),
    [
        (
            "missing column",
            b"username,title\nab,x\n",
            "missing column: full_name",
            "missing-columns",
        ),
        (
            "unknown column",
            b"username,full_name,email\nab,A,a@b\n",
            "unknown column",
            "unknown-column",
        ),
        ("only a header", b"username,full_name\n\n", "lists nobody", "no-rows"),
        ("empty", b"", "empty", "empty"),
        (
            "utf-16",
            "username,full_name\nab,Ân\n".encode("utf-16"),
            "control character",
            "control-character",
        ),
        ("binary", b"PK\x03\x04\x14\x00\x06\x00", "control character", "control-character"),
    ],
)
async def test_files_that_are_no_list_of_people_are_refused_whole(
    running: Running, admin_token: str, case: str, data: bytes, message: str, problem: str
) -> None:
    async with api(running.url, admin_token) as http:
        before = await _usernames(http)
        for route in ("/api/users/import/preview", "/api/users/import"):
            refused = await http.post(route, content=data, headers=CSV)
            assert refused.status_code == 400, (case, refused.text)
            assert refused.json()["error"]["code"] == "invalid"
            assert message in refused.json()["error"]["message"], refused.text
            assert refused.json()["error"]["data"]["problem"] == problem
        assert await _usernames(http) == before


async def test_bytes_that_are_not_utf8_are_refused_when_utf8_is_asked(
    running: Running, admin_token: str
) -> None:
    prefix = _prefix()
    data = to_cp1258(_people(prefix))
    async with api(running.url, admin_token) as http:
        refused = await http.post(
            "/api/users/import", content=data, headers=CSV, params={"encoding": "utf-8"}
        )
        assert refused.status_code == 400
        assert "not text in UTF-8" in refused.json()["error"]["message"]
        undecodable = await http.post(
            "/api/users/import",
            content=b"username,full_name\nab,\x81\x8d\n",
            headers=CSV,
            params={"encoding": "cp1258"},
        )
        assert undecodable.status_code == 400
        assert "not text in Windows-1258" in undecodable.json()["error"]["message"]
        unknown = await http.post(
            "/api/users/import/preview", content=data, headers=CSV, params={"encoding": "latin1"}
        )
        assert unknown.status_code == 400
        await _nobody_of(http, prefix)


async def test_an_oversize_file_is_too_large_and_a_wrong_content_type_invalid(
    running: Running, admin_token: str
) -> None:
    prefix = _prefix()
    line = f"{prefix}x,{'Nguyễn ' * 20}\n"
    data = ("username,full_name\n" + line * (CSV_MAX_BYTES // len(line.encode()) + 1)).encode()
    assert len(data) > CSV_MAX_BYTES
    async with api(running.url, admin_token) as http:
        for route in ("/api/users/import/preview", "/api/users/import"):
            refused = await http.post(route, content=data, headers=CSV)
            assert refused.status_code == 413 and refused.json()["error"]["code"] == "too-large"
        as_json = await http.post(
            "/api/users/import",
            content=_people(prefix).encode(),
            headers={"Content-Type": "application/json"},
        )
        assert as_json.status_code == 400 and "text/csv" in as_json.json()["error"]["message"]
        too_many = "username,full_name\n" + "".join(f"{prefix}{i},Người {i}\n" for i in range(301))
        refused = await http.post("/api/users/import", content=too_many.encode(), headers=CSV)
        assert refused.status_code == 400 and "at most 300" in refused.json()["error"]["message"]
        await _nobody_of(http, prefix)


async def test_an_import_from_a_foreign_origin_or_a_member_is_refused(
    running: Running, admin_token: str
) -> None:
    prefix = _prefix()
    async with api(running.url, admin_token) as http:
        foreign = await http.post(
            "/api/users/import",
            content=_people(prefix).encode(),
            headers={**CSV, "Origin": "https://evil.example"},
        )
        assert foreign.status_code == 403
    member = await login(running.url, "member2", DEMO_PASSWORD)
    async with httpx.AsyncClient(base_url=running.url, cookies={COOKIE: member}) as http:
        refused = await http.post(
            "/api/users/import", content=_people(prefix).encode(), headers=CSV
        )
        assert refused.status_code == 403
    async with api(running.url, admin_token) as http:
        await _nobody_of(http, prefix)
