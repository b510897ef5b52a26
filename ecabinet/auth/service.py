"""Sign-in, sign-out and the ends of sessions.

``on_sessions_ended`` is called with the keys of sessions that just ended (logout,
deactivation, password change); the composition root wires it to the hub so that the
sockets of those sessions close at once, on every worker.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from ecabinet.auth import passwords, sessions, throttle, users
from ecabinet.auth.sessions import SessionUser
from ecabinet.config import Settings
from ecabinet.errors import Conflict, InvalidCredentials, NotFound
from ecabinet.store.database import Database

SessionsEnded = Callable[[list[str]], Awaitable[None]]


async def _nothing(_keys: list[str]) -> None:
    return None


class AuthService:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock
        self._sleep = sleep
        self.on_sessions_ended: SessionsEnded = _nothing

    async def login(
        self,
        username: str,
        password: str,
        address: str,
        user_agent: str,
        old_token: str | None = None,
    ) -> tuple[str, SessionUser]:
        """Check the credentials and open a new session (ending ``old_token``'s, if any).

        Unknown user, wrong password and deactivated user get the same error after the
        same argon2 work. The attempt is counted before the password is checked, and
        refused (``RateLimited``, with the wait) past a limit of ``throttle``."""
        name = users.normalize_username(username)[:64]
        now = self._clock()
        async with self._db.write() as conn:
            attempt = await throttle.reserve(
                conn, name, address, now, self._settings.login_attempts_per_address
            )
        if attempt.delay_secs > 0:
            await self._sleep(attempt.delay_secs)
        async with self._db.read() as conn:
            row = await users.find_by_username(conn, name)
        stored_hash = row.password_hash if row is not None and row.is_active else None
        ok = await passwords.verify_password(stored_hash, password)
        if not ok or row is None:
            raise InvalidCredentials("wrong user name or password")  # the attempt stays counted
        ended: list[str] = []
        async with self._db.write() as conn:
            await throttle.succeeded(conn, attempt)
            if old_token:
                ended.append(sessions.session_key(self._settings.secret_key, old_token))
                await sessions.end(conn, ended[0])
            token, key = await sessions.create(
                conn, self._settings.secret_key, row.id, now, address, user_agent
            )
        if ended:
            await self.on_sessions_ended(ended)
        return token, SessionUser(key, row.id, row.username, row.display_name, bool(row.is_admin))

    async def resolve(self, token: str | None) -> SessionUser | None:
        if not token:
            return None
        key = sessions.session_key(self._settings.secret_key, token)
        async with self._db.write() as conn:
            return await sessions.resolve(
                conn,
                key,
                self._clock(),
                self._settings.session_idle_secs,
                self._settings.session_max_secs,
            )

    async def is_alive(self, session_key: str) -> bool:
        async with self._db.read() as conn:
            return await sessions.is_alive(
                conn,
                session_key,
                self._clock(),
                self._settings.session_idle_secs,
                self._settings.session_max_secs,
            )

    async def logout(self, session_key: str) -> None:
        async with self._db.write() as conn:
            await sessions.end(conn, session_key)
        await self.on_sessions_ended([session_key])

    async def end_user_sessions(self, user_id: int) -> int:
        async with self._db.write() as conn:
            keys = await sessions.end_all_for_user(conn, user_id)
        await self.on_sessions_ended(keys)
        return len(keys)

    async def set_active(self, user_id: int, active: bool) -> None:
        async with self._db.write() as conn:
            if await users.find_by_id(conn, user_id) is None:
                raise NotFound("no such user")
            await users.set_active(conn, user_id, active)
            keys = [] if active else await sessions.end_all_for_user(conn, user_id)
        await self.on_sessions_ended(keys)

    async def change_password(self, user_id: int, current: str, new: str, address: str) -> None:
        """Check ``current`` and set ``new``, ending every session of the user. The check
        counts as a sign-in attempt of the user's name from ``address`` (``throttle``), so a
        taken-over session cannot guess the password faster than the sign-in form can."""
        users.check_password(new)
        async with self._db.read() as conn:
            row = await users.find_by_id(conn, user_id)
        if row is None:
            raise InvalidCredentials("the current password is wrong")
        async with self._db.write() as conn:
            attempt = await throttle.reserve(
                conn,
                row.username,
                address,
                self._clock(),
                self._settings.login_attempts_per_address,
            )
        if attempt.delay_secs > 0:
            await self._sleep(attempt.delay_secs)
        if not await passwords.verify_password(row.password_hash, current):
            raise InvalidCredentials("the current password is wrong")  # the attempt stays counted
        new_hash = await passwords.hash_password(new)
        async with self._db.write() as conn:
            await throttle.succeeded(conn, attempt)
            await users.set_password_hash(conn, user_id, new_hash)
            keys = await sessions.end_all_for_user(conn, user_id)
        await self.on_sessions_ended(keys)

    async def create_user(
        self,
        username: str,
        display_name: str,
        password: str,
        is_admin: bool,
        title: str = "",
        unit: str = "",
    ) -> dict[str, Any]:
        username, display_name = users.check_new_user(username, display_name, password)
        title, unit = users.check_title_and_unit(title, unit)
        password_hash = await passwords.hash_password(password)
        async with self._db.write() as conn:
            if await users.find_by_username(conn, username) is not None:
                raise Conflict("that user name is taken")
            user_id = await users.insert(
                conn, username, display_name, password_hash, is_admin, self._clock(), title, unit
            )
            row = await users.find_by_id(conn, user_id)
        return users.public(row)
