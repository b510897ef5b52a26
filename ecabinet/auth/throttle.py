"""Sign-in throttling, kept in the database so that every worker counts the same attempts.

An attempt is **reserved before its password is checked**: one row of ``login_failures``,
written in the same transaction as the counts that allowed it, and deleted only if the
password was right. So an attempt counts from the moment it starts, and parallel requests
cannot all pass the count before any of them is recorded: at most the limit are checked.
The count and the insert are serialized per address — on SQLite by the database's single
writer (write transactions begin IMMEDIATE), on PostgreSQL by a transaction-scoped advisory
lock on the address, which a success also takes before deleting its row.

What is counted, over the last ``ATTEMPT_WINDOW_SECS``:

- **per user name and address**: ``ATTEMPTS_PER_NAME_AT_ADDRESS`` attempts, then
  ``rate-limited`` until the oldest leaves the window. A sign-in of that name from that
  address that succeeded in the window counts as one attempt (its session row), so that a
  burst of guesses gets no extra check because one of them was right. Failures are not
  forgiven by a later success: they count until they leave the window.
- **per address**, over all names: ``ATTEMPTS_PER_ADDRESS`` by default (a shared office
  address holds many honest typists; ECABINET_LOGIN_ATTEMPTS_PER_ADDRESS changes it), then
  ``rate-limited`` likewise.
- **per user name, from every address**: never refused. Once the name has
  ``USER_FREE_ATTEMPTS`` attempts in the window, each further attempt is answered later:
  ``USER_DELAY_FIRST_SECS``, doubling, at most ``USER_DELAY_MAX_SECS``. A flood from
  elsewhere slows the real user's sign-in by seconds; it cannot lock them out.

Unknown names are counted like real ones, so the answers tell nothing about who exists.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.errors import RateLimited
from ecabinet.store.database import inserted_id
from ecabinet.store.schema import login_failures, sessions, users

ATTEMPT_WINDOW_SECS = 15 * 60  # attempts older than 15 minutes no longer count
ATTEMPTS_PER_NAME_AT_ADDRESS = 5
ATTEMPTS_PER_ADDRESS = 30  # a shared office NAT may hold many honest typists
USER_FREE_ATTEMPTS = 5  # attempts on one name (any address) before answers are delayed
USER_DELAY_FIRST_SECS = 1.0  # then 1 s, 2 s, 4 s, …
USER_DELAY_MAX_SECS = 8.0  # a real user under attack waits at most this long for an answer
ADDRESS_MAX_CHARS = 64  # the column's width
# The first key of pg_advisory_xact_lock(int, int) for the attempts of one address, and of
# pg_try_advisory_xact_lock for forgetting old rows; no other lock of ours uses them.
ADDRESS_LOCK_SPACE = 0x4C4F4731  # "LOG1"
CLEANUP_LOCK_SPACE = 0x4C4F4732  # "LOG2"

_attempts = login_failures.c


@dataclass(frozen=True)
class Attempt:
    """A reserved attempt: its row, and how long to hold the answer before checking."""

    attempt_id: int
    address: str
    delay_secs: float


async def reserve(
    conn: AsyncConnection,
    username: str,
    address: str,
    now: float,
    per_address: int = ATTEMPTS_PER_ADDRESS,
) -> Attempt:
    """Count, then record an attempt (in ``conn``'s write transaction). Raises
    ``RateLimited`` with the wait, recording nothing, when a limit is reached.
    ``per_address`` is the installation's ECABINET_LOGIN_ATTEMPTS_PER_ADDRESS."""
    address = address[:ADDRESS_MAX_CHARS]
    await _lock_address(conn, address)
    since = now - ATTEMPT_WINDOW_SECS
    pair = await _times(
        conn, (_attempts.username == username) & (_attempts.address == address), since
    )
    signed_in = await _last_sign_in(conn, username, address, since)
    if signed_in is not None:
        pair.append(signed_in)
    wait = wait_secs(pair, ATTEMPTS_PER_NAME_AT_ADDRESS, now)
    if wait:
        raise RateLimited(
            "too many sign-in attempts for this user name from your address; "
            f"try again in {wait_text(wait)}",
            retry_after_secs=wait,
        )
    wait = wait_secs(await _times(conn, _attempts.address == address, since), per_address, now)
    if wait:
        raise RateLimited(
            f"too many sign-in attempts from your address; try again in {wait_text(wait)}",
            retry_after_secs=wait,
        )
    on_name = await conn.scalar(
        select(func.count()).where(_attempts.username == username, _attempts.at > since)
    )
    await _forget_old(conn, since)
    result = await conn.execute(
        login_failures.insert().values(username=username, address=address, at=now)
    )
    return Attempt(inserted_id(result), address, user_delay_secs(on_name or 0))


async def succeeded(conn: AsyncConnection, attempt: Attempt) -> None:
    """The password was right: the attempt is no failure. Call in the transaction that
    creates the session, which then stands for it (see ``_last_sign_in``)."""
    await _lock_address(conn, attempt.address)
    await conn.execute(delete(login_failures).where(_attempts.id == attempt.attempt_id))


def wait_secs(counted_at: list[float], limit: int, now: float) -> int:
    """Whole seconds until fewer than ``limit`` of the attempts made at ``counted_at`` are
    in the window; 0 when there are fewer already."""
    if len(counted_at) < limit:
        return 0
    leaves_at = sorted(counted_at)[len(counted_at) - limit] + ATTEMPT_WINDOW_SECS
    return max(1, math.ceil(leaves_at - now))


def wait_text(secs: int) -> str:
    """``secs`` for people: seconds under a minute, else whole minutes rounded up."""
    if secs < 60:
        return f"{secs} second" + ("" if secs == 1 else "s")
    minutes = math.ceil(secs / 60)
    return f"{minutes} minute" + ("" if minutes == 1 else "s")


def user_delay_secs(attempts_on_name: int) -> float:
    """How long to hold an answer when the name already has this many attempts (from any
    address) in the window."""
    if attempts_on_name < USER_FREE_ATTEMPTS:
        return 0.0
    doublings = min(attempts_on_name - USER_FREE_ATTEMPTS, 16)  # 2**16 s is past the cap
    return min(USER_DELAY_FIRST_SECS * 2.0**doublings, USER_DELAY_MAX_SECS)


async def _times(conn: AsyncConnection, where: ColumnElement[bool], since: float) -> list[float]:
    rows = await conn.execute(select(_attempts.at).where(where, _attempts.at > since))
    return [float(at) for (at,) in rows]


async def _last_sign_in(
    conn: AsyncConnection, username: str, address: str, since: float
) -> float | None:
    """When the latest session of that name from that address began, if in the window."""
    started = await conn.scalar(
        select(func.max(sessions.c.created_at))
        .select_from(sessions.join(users, users.c.id == sessions.c.user_id))
        .where(
            users.c.username == username,
            sessions.c.address == address,
            sessions.c.created_at > since,
        )
    )
    return None if started is None else float(started)


async def _lock_address(conn: AsyncConnection, address: str) -> None:
    """Serialize the attempts of one address until the transaction ends. SQLite needs
    nothing: a write transaction holds the database's only write lock already."""
    if conn.dialect.name != "postgresql":
        return
    key = int.from_bytes(
        hashlib.blake2b(address.encode(), digest_size=4).digest(), "big", signed=True
    )
    await conn.execute(
        text("SELECT pg_advisory_xact_lock(:space, :key)"),
        {"space": ADDRESS_LOCK_SPACE, "key": key},
    )


async def _forget_old(conn: AsyncConnection, since: float) -> None:
    """Delete rows that no longer count, keeping the table small. On PostgreSQL one
    transaction at a time does it and the others skip it, so none waits on another's rows."""
    if conn.dialect.name == "postgresql" and not await conn.scalar(
        text("SELECT pg_try_advisory_xact_lock(:space, 0)"), {"space": CLEANUP_LOCK_SPACE}
    ):
        return
    await conn.execute(delete(login_failures).where(_attempts.at <= since))
