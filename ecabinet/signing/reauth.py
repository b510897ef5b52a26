"""Every signature asks the signer again, so "Ký số" is never one tap on an unlocked tablet.

- A key the server holds (``dev-ca``, ``pkcs12``): the person's password, checked as a
  sign-in attempt of their name from their address (``ecabinet.auth.throttle``: the same
  limits and delays as ``POST /api/login``). Wrong: ``invalid-credentials``.
- A key on a token (``pkcs11``): the PIN, which only the token checks. Each try is an
  attempt of the name ``pin:<user name>`` under the same limits, and after ``PIN_TRIES``
  wrong PINs in the throttle's window the server stops passing PINs to that user's token
  (``rate-limited``, with the wait) — real tokens lock themselves after a few wrong PINs,
  and a loop (a script, a stuck button) must not be what locks one. A try that never
  reached the PIN check (no token connected) is not counted.

The count and the new attempt are written in one write transaction (serialized per address,
throttle.py), so parallel tries from one address cannot all pass the count.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import func, select

from ecabinet.auth import passwords, throttle, users
from ecabinet.errors import InvalidCredentials, RateLimited
from ecabinet.signing.signers import WrongPin
from ecabinet.store.database import Database
from ecabinet.store.schema import login_failures

PIN_TRIES = 3
PIN_NAME_PREFIX = "pin:"


@dataclass(frozen=True)
class Reauth:
    """What the person typed at the signature, and where from (the throttle's address)."""

    secret: str  # the password, or the token PIN
    address: str
    per_address: int = throttle.ATTEMPTS_PER_ADDRESS


async def check_password(db: Database, user_id: int, reauth: Reauth) -> None:
    """Raise ``InvalidCredentials`` unless ``reauth.secret`` is the user's password."""
    async with db.read() as conn:
        row = await users.find_by_id(conn, user_id)
    if row is None:
        raise InvalidCredentials("the password is wrong")
    async with db.write() as conn:
        attempt = await throttle.reserve(
            conn, row.username, reauth.address, time.time(), reauth.per_address
        )
    if attempt.delay_secs > 0:
        await asyncio.sleep(attempt.delay_secs)
    if not await passwords.verify_password(row.password_hash, reauth.secret):
        raise InvalidCredentials("the password is wrong")  # the attempt stays counted
    async with db.write() as conn:
        await throttle.succeeded(conn, attempt)


@asynccontextmanager
async def pin_try(db: Database, user_id: int, reauth: Reauth) -> AsyncIterator[None]:
    """Around one signature with a token: refuses once ``PIN_TRIES`` wrong PINs are in the
    window; a ``WrongPin`` inside stays counted, any other outcome is forgotten."""
    async with db.read() as conn:
        row = await users.find_by_id(conn, user_id)
    name = PIN_NAME_PREFIX + (row.username if row is not None else str(user_id))
    now = time.time()
    async with db.write() as conn:
        since = now - throttle.ATTEMPT_WINDOW_SECS
        wrong = [
            float(at)
            for (at,) in await conn.execute(
                select(login_failures.c.at).where(
                    login_failures.c.username == name, login_failures.c.at > since
                )
            )
        ]
        if len(wrong) >= PIN_TRIES:
            wait = max(1, math.ceil(min(wrong) + throttle.ATTEMPT_WINDOW_SECS - now))
            raise RateLimited(
                f"the token PIN was wrong {PIN_TRIES} times; signing with the token is "
                f"paused for {throttle.wait_text(wait)} so that the token itself does not lock",
                retry_after_secs=wait,
            )
        attempt = await throttle.reserve(conn, name, reauth.address, now, reauth.per_address)
    if attempt.delay_secs > 0:
        await asyncio.sleep(attempt.delay_secs)
    try:
        yield
    except WrongPin:
        raise  # counted
    except Exception:  # the PIN was not what failed (a cancelled try stays counted)
        await _forget(db, attempt)
        raise
    await _forget(db, attempt)


async def _forget(db: Database, attempt: throttle.Attempt) -> None:
    async with db.write() as conn:
        await throttle.succeeded(conn, attempt)


async def wrong_pins(db: Database, username: str) -> int:
    """The wrong PINs of the user in the throttle's window (for tests and support)."""
    since = time.time() - throttle.ATTEMPT_WINDOW_SECS
    async with db.read() as conn:
        count = await conn.scalar(
            select(func.count()).where(
                login_failures.c.username == PIN_NAME_PREFIX + username,
                login_failures.c.at > since,
            )
        )
    return int(count or 0)
