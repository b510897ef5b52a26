"""Test clients: HTTP sign-in and a real python-socketio client that records what it gets."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import aiohttp
import httpx
import socketio

from harness.server import DEMO_PASSWORD

COOKIE = "ecabinet_session"
WAIT_SECS = 10


async def login(base_url: str, username: str, password: str = DEMO_PASSWORD) -> str:
    async with httpx.AsyncClient(base_url=base_url) as http:
        response = await http.post("/api/login", json={"username": username, "password": password})
        response.raise_for_status()
        return response.cookies[COOKIE]


def api(base_url: str, token: str | None = None) -> httpx.AsyncClient:
    cookies = {COOKIE: token} if token else None
    return httpx.AsyncClient(base_url=base_url, cookies=cookies, timeout=15)


async def user_ids(base_url: str, admin_token: str) -> dict[str, int]:
    async with api(base_url, admin_token) as http:
        response = await http.get("/api/users")
        response.raise_for_status()
        return {u["username"]: u["id"] for u in response.json()["users"]}


DEMO_ROSTER = {
    "chair": "chair",
    "clerk": "clerk",
    **{f"member{i}": "member" for i in range(1, 9)},
    "observer": "observer",
}


async def new_meeting(
    base_url: str,
    admin_token: str,
    title: str = "Phiên họp kiểm thử",
    roster: dict[str, str] | None = None,
) -> int:
    """A fresh scheduled meeting of the demo committee; ``roster`` maps user names to roles
    (the demo roster by default)."""
    ids = await user_ids(base_url, admin_token)
    chosen = DEMO_ROSTER if roster is None else roster
    return await create_meeting(
        base_url, admin_token, title, [(ids[name], role) for name, role in chosen.items()]
    )


async def create_meeting(
    base_url: str,
    admin_token: str,
    title: str,
    roster: Iterable[tuple[int, str]],
    location: str = "Phòng họp số 2",
) -> int:
    """A scheduled meeting of the first committee; ``roster``: (user id, role) pairs."""
    async with httpx.AsyncClient(
        base_url=base_url, cookies={COOKIE: admin_token}, timeout=120
    ) as http:
        committees = (await http.get("/api/committees")).json()["committees"]
        response = await http.post(
            "/api/meetings",
            json={
                "committee_id": committees[0]["id"],
                "title": title,
                "location": location,
                "scheduled_at": "2026-12-01T08:00:00+07:00",
                "roster": [{"user_id": uid, "role": role} for uid, role in roster],
            },
        )
        if response.status_code != 201:
            raise RuntimeError(f"create meeting: {response.status_code} {response.text[:300]}")
        return int(response.json()["meeting"]["id"])


class RoomClient:
    """One tablet: a socket that records every ``event``, ``presence`` and ``checkpoint``
    it receives."""

    def __init__(self) -> None:
        # Our own HTTP session, closed in close(), so no connection outlives its test.
        self._http = aiohttp.ClientSession()
        self.sio = socketio.AsyncClient(reconnection=False, http_session=self._http)
        self.events: list[dict[str, Any]] = []
        # (arrival time, its events) per ``event`` / ``events`` message
        self.messages: list[tuple[float, list[dict[str, Any]]]] = []
        # {meeting_id, people} after each presence change (the join answer, then each person)
        self.presence: list[dict[str, Any]] = []
        self.people: dict[int, dict[str, Any]] = {}
        # Presence versions (docs/protocol.md): the join list's, and each person's latest.
        self._presence_floor = 0
        self._presence_versions: dict[int, int] = {}
        self._joinings: list[list[dict[str, Any]]] = []  # changes seen by each join under way
        self.presence_arrivals: list[tuple[float, int]] = []  # (time, changes) per message
        self.other: list[tuple[str, Any]] = []
        self.checkpoints: list[dict[str, Any]] = []  # signed heads, as they arrived
        self._changed = asyncio.Event()
        self.sio.on("event", self._on_event)
        self.sio.on("events", self._on_events)
        self.sio.on("presence", self._on_presence)
        self.sio.on("session-ended", self._on_session_ended)
        self.sio.on("roster-removed", self._on_roster_removed)
        self.sio.on("checkpoint", self._on_checkpoint)

    async def _on_event(self, data: dict[str, Any]) -> None:
        self.messages.append((time.monotonic(), [data]))
        self.events.append(data)
        self._changed.set()

    async def _on_events(self, data: dict[str, Any]) -> None:
        """Several events in one message: kept one by one, as if they came apart."""
        self.messages.append((time.monotonic(), data["events"]))
        self.events.extend(data["events"])
        self._changed.set()

    async def _on_presence(self, data: dict[str, Any]) -> None:
        self.presence_arrivals.append((time.monotonic(), len(data["changes"])))
        for person in data["changes"]:
            for seen in self._joinings:
                seen.append(person)
            self._apply_presence(self.people, person)
        self._keep_presence(data["meeting_id"])

    def _apply_presence(self, people: dict[int, dict[str, Any]], person: dict[str, Any]) -> None:
        """As the tablet app: a change older than what is held for the person (or than the
        join's list) is ignored, so the latest change wins whatever the arrival order."""
        version = int(person.get("version", 0))
        held = self._presence_versions.get(person["user_id"], self._presence_floor)
        if version < held:
            return
        self._presence_versions[person["user_id"]] = version
        if person["devices"]:
            people[person["user_id"]] = person
        else:
            people.pop(person["user_id"], None)

    def _keep_presence(self, meeting_id: Any) -> None:
        """Keep the whole list after each change, as the tablet app shows it."""
        people = sorted(self.people.values(), key=lambda p: (p["display_name"], p["user_id"]))
        self.presence.append({"meeting_id": meeting_id, "people": people})
        self._changed.set()

    async def _on_checkpoint(self, data: dict[str, Any]) -> None:
        self.checkpoints.append(data)
        self._changed.set()

    async def _on_roster_removed(self, data: Any) -> None:
        self.other.append(("roster-removed", data))
        self._changed.set()

    async def _on_session_ended(self, data: Any) -> None:
        self.other.append(("session-ended", data))
        self._changed.set()

    async def connect(
        self,
        base_url: str,
        token: str | None,
        *,
        origin: str | None = "same",
        transports: list[str] | None = None,
        device: str = "tablet",
    ) -> RoomClient:
        headers = {}
        if token:
            headers["Cookie"] = f"{COOKIE}={token}"
        if origin == "same":
            headers["Origin"] = base_url
        elif origin is not None:
            headers["Origin"] = origin
        await self.sio.connect(
            base_url,
            headers=headers,
            transports=transports or ["websocket"],
            auth={"device": device},
            wait_timeout=WAIT_SECS,
        )
        return self

    async def join(self, meeting_id: Any, last_seq: Any = None) -> dict[str, Any]:
        # Messages are handled in tasks of their own: a presence change may be handled
        # before the answer is. The answer's list, then each change seen meanwhile, in order.
        # Several joins may be under way at once (a test sends them in a burst): each
        # keeps the changes seen while it waits.
        seen: list[dict[str, Any]] = []
        self._joinings.append(seen)
        try:
            ack: dict[str, Any] = await self.sio.call(
                "join", {"meeting_id": meeting_id, "last_seq": last_seq}, timeout=WAIT_SECS
            )
            if ack.get("ok"):
                people = {p["user_id"]: p for p in ack["presence"]}
                self._presence_floor = int(ack.get("presence_version", 0))
                self._presence_versions = {
                    p["user_id"]: int(p.get("version", 0)) for p in ack["presence"]
                }
                for person in seen:
                    self._apply_presence(people, person)
                self.people = people
                self._keep_presence(meeting_id)
        finally:
            self._joinings = [other for other in self._joinings if other is not seen]
        return ack

    async def cmd(
        self, type_: str, data: dict[str, Any] | None = None, *, id: str | None = None
    ) -> dict[str, Any]:
        envelope = {"id": id or uuid.uuid4().hex, "type": type_, "data": data or {}}
        ack: dict[str, Any] = await self.sio.call("cmd", envelope, timeout=WAIT_SECS)
        return ack

    async def raw(self, event: str, payload: Any) -> Any:
        return await self.sio.call(event, payload, timeout=WAIT_SECS)

    async def wait_for(self, predicate: Callable[[], bool], within: float = WAIT_SECS) -> None:
        async with asyncio.timeout(within):
            while not predicate():
                self._changed.clear()
                if predicate():
                    return
                await self._changed.wait()

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()
        await self._http.close()


async def connect(base_url: str, username: str, **kwargs: Any) -> RoomClient:
    token = await login(base_url, username)
    return await RoomClient().connect(base_url, token, **kwargs)
