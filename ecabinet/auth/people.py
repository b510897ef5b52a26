"""The administrator's work on people: create, edit, reset a password, import a CSV list.

Generated passwords (``generate_password``) are returned once, in the answer that made
them, and only their argon2 hash is stored; nothing can show them again. A reset ends
every session of the person (their sockets close through ``SessionsEnded``).

An import is checked whole (``people_import``) and then written in one transaction: a
problem on any row, or a name taken meanwhile, saves nobody.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.exc import IntegrityError

from ecabinet.auth import passwords, people_import, sessions, users
from ecabinet.errors import Conflict, Invalid, NotFound
from ecabinet.store.database import Database

SessionsEnded = Callable[[list[str]], Awaitable[None]]

# No 0/O, 1/l/I: the password is read off a screen or a printed sheet and typed on a tablet.
PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_GROUPS = 4  # of 4 characters, joined by dashes: 16 random characters, ~93 bits
HASHES_AT_ONCE = 2  # argon2 uses 64 MiB and one core per hash


def generate_password(rng: secrets.SystemRandom | None = None) -> str:
    choose = (rng or secrets.SystemRandom()).choice
    return "-".join(
        "".join(choose(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(PASSWORD_GROUPS)
    )


async def create(
    db: Database,
    now: float,
    username: str,
    display_name: str,
    password: str | None,
    is_admin: bool,
    title: str,
    unit: str,
) -> tuple[dict[str, Any], str | None]:
    """The new user, and the generated password when ``password`` is None."""
    generated = generate_password() if password is None else None
    username, display_name = users.check_new_user(
        username, display_name, password or generated or ""
    )
    title, unit = users.check_title_and_unit(title, unit)
    password_hash = await passwords.hash_password(password or generated or "")
    async with db.write() as conn:
        if await users.find_by_username(conn, username) is not None:
            raise Conflict("that user name is taken")
        user_id = await users.insert(
            conn, username, display_name, password_hash, is_admin, now, title, unit
        )
        row = await users.find_by_id(conn, user_id)
    return users.public(row), generated


async def edit(db: Database, user_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Change some of ``display_name``, ``title``, ``unit``; the user name stays."""
    unknown = set(changes) - {"display_name", "title", "unit"}
    if unknown:
        raise Invalid(f"unknown fields: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        if not isinstance(value, str):
            raise Invalid(f"{name} must be a str")
    async with db.write() as conn:
        row = await users.find_by_id(conn, user_id)
        if row is None:
            raise NotFound("no such user")
        name = users.check_display_name(changes.get("display_name", row.display_name))
        title, unit = users.check_title_and_unit(
            changes.get("title", row.title), changes.get("unit", row.unit)
        )
        await users.set_details(conn, user_id, name, title, unit)
        row = await users.find_by_id(conn, user_id)
    return users.public(row)


async def reset_password(
    db: Database, ended: SessionsEnded, user_id: int, actor_id: int
) -> tuple[str, int]:
    """A new generated password for ``user_id`` and the number of their sessions ended.

    Not for oneself: an administrator changes their own password with the current one
    (``POST /api/me/password``), so a taken-over session cannot lock its owner out."""
    if user_id == actor_id:
        raise Conflict("change your own password with your current one")
    async with db.read() as conn:
        if await users.find_by_id(conn, user_id) is None:
            raise NotFound("no such user")
    password = generate_password()
    password_hash = await passwords.hash_password(password)
    async with db.write() as conn:
        if await users.find_by_id(conn, user_id) is None:
            raise NotFound("no such user")
        await users.set_password_hash(conn, user_id, password_hash)
        keys = await sessions.end_all_for_user(conn, user_id)
    await ended(keys)
    return password, len(keys)


async def preview(db: Database, data: bytes, encoding: str) -> people_import.ParsedFile:
    parsed = people_import.parse(data, encoding)
    async with db.read() as conn:
        taken = await users.taken_usernames(conn, people_import.usernames(parsed))
    return people_import.check(parsed, taken)


async def import_people(
    db: Database, now: float, data: bytes, encoding: str
) -> tuple[people_import.ParsedFile, list[dict[str, Any]]]:
    """Everyone on the list, created in one transaction, each with a generated password
    (``password`` in each answer row); ``Invalid`` with the rows (``data``) if any has a
    problem, ``Conflict`` if a name was taken meanwhile. Nothing is saved on a refusal."""
    parsed = await preview(db, data, encoding)
    if not parsed.ok:
        error = Invalid(f"{parsed.to_wire()['errors']} problems in the file: nobody was imported")
        error.data = parsed.to_wire()
        raise error
    generated = [generate_password() for _ in parsed.rows]
    limit = asyncio.Semaphore(HASHES_AT_ONCE)

    async def hashed(password: str) -> str:
        async with limit:
            return await passwords.hash_password(password)

    hashes = await asyncio.gather(*(hashed(p) for p in generated))
    created: list[dict[str, Any]] = []
    try:
        async with db.write() as conn:
            taken = await users.taken_usernames(conn, people_import.usernames(parsed))
            if taken:
                raise Conflict(f"taken meanwhile: {', '.join(sorted(taken))}; nobody was imported")
            for row, password, password_hash in zip(parsed.rows, generated, hashes, strict=True):
                user_id = await users.insert(
                    conn,
                    row.username,
                    row.full_name,
                    password_hash,
                    False,
                    now,
                    row.title,
                    row.unit,
                )
                found = await users.find_by_id(conn, user_id)
                created.append({**users.public(found), "password": password, "line": row.line})
    except IntegrityError as exc:  # a concurrent creation between the check and the insert
        raise Conflict("a user name was taken meanwhile; nobody was imported") from exc
    return parsed, created
