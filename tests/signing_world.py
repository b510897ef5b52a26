"""A meeting of its own for signing tests: a clerk and a chair created for it (so that wrong
passwords and PINs count against nobody else's name), the meeting played to its end, and
a first minutes draft; requests leave from a loopback address of the test's own."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import httpx

from harness.client import COOKIE, RoomClient, login, new_meeting

PASSWORD = "mật khẩu ký số đủ dài"


@dataclass
class SigningWorld:
    url: str
    meeting: int
    names: dict[str, str]  # role → user name
    tokens: dict[str, str]  # role → session token
    ids: dict[str, int]  # role → user id
    address: str
    minutes_dir: Path

    def client(self, role: str) -> httpx.AsyncClient:
        """An HTTP client of ``role`` (or ``admin``) whose connections leave from the
        world's own loopback address."""
        return httpx.AsyncClient(
            base_url=self.url,
            transport=httpx.AsyncHTTPTransport(local_address=self.address),
            cookies={COOKIE: self.tokens[role]},
            timeout=120,
        )

    def files(self) -> set[str]:
        folder = self.minutes_dir / str(self.meeting)
        return {p.name for p in folder.iterdir()} if folder.is_dir() else set()

    async def sign(self, role: str, secret: str | None, version: int = 1) -> httpx.Response:
        async with self.client(role) as http:
            body = None if secret is None else {"secret": secret}
            path = f"/api/meetings/{self.meeting}/minutes/{version}/sign"
            return await http.post(path, json=body)

    async def status(self, version: int = 1) -> str:
        async with self.client("clerk") as http:
            listed = (await http.get(f"/api/meetings/{self.meeting}/minutes")).json()["versions"]
        return str(next(v["status"] for v in listed if v["version"] == version))


def loopback() -> str:
    return f"127.{2 + secrets.randbelow(250)}.{secrets.randbelow(256)}.{1 + secrets.randbelow(254)}"


async def _command(url: str, token: str, meeting: int, type_: str) -> None:
    client = await RoomClient().connect(url, token)
    try:
        assert (await client.join(meeting))["ok"]
        ack = await client.cmd(type_)
        assert ack["ok"], ack
    finally:
        await client.close()


async def signing_world(url: str, data_dir: Path) -> SigningWorld:
    admin = await login(url, "admin")
    suffix = secrets.token_hex(4)
    names = {"clerk": f"ky-thu-ky-{suffix}", "chair": f"ky-chu-toa-{suffix}"}
    ids: dict[str, int] = {}
    async with httpx.AsyncClient(base_url=url, cookies={COOKIE: admin}, timeout=30) as http:
        for role, name in names.items():
            display = "Lê Thị Thư Ký" if role == "clerk" else "Phạm Văn Chủ Tọa"
            created = await http.post(
                "/api/users", json={"username": name, "display_name": display, "password": PASSWORD}
            )
            assert created.status_code == 201, created.text
            ids[role] = int(created.json()["user"]["id"])
    meeting = await new_meeting(url, admin, "Phiên họp ký số", {v: k for k, v in names.items()})
    tokens = {role: await login(url, name, PASSWORD) for role, name in names.items()}
    tokens["admin"] = admin
    await _command(url, tokens["chair"], meeting, "meeting.start")
    await _command(url, tokens["chair"], meeting, "meeting.end")
    world = SigningWorld(url, meeting, names, tokens, ids, loopback(), data_dir / "minutes")
    async with world.client("clerk") as http:
        generated = await http.post(f"/api/meetings/{meeting}/minutes", json={})
        assert generated.status_code == 201, generated.text
    return world
