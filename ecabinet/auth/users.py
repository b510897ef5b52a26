"""User rows: create, find, list, deactivate, change password."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.auth.passwords import PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS
from ecabinet.canonical import nfc
from ecabinet.errors import Invalid
from ecabinet.store.database import inserted_id
from ecabinet.store.schema import users

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
USERNAME_RULE = "user names are 2–64 characters: a–z, 0–9, dot, dash, underscore"
DISPLAY_NAME_MAX_CHARS = 200
TITLE_MAX_CHARS = 200  # chức vụ (the column's size)
UNIT_MAX_CHARS = 200  # đơn vị (the column's size)


def normalize_username(raw: str) -> str:
    return raw.strip().lower()


def check_new_user(username: str, display_name: str, password: str) -> tuple[str, str]:
    """Validate and normalize; returns (username, display name in NFC)."""
    username = normalize_username(username)
    if not USERNAME_PATTERN.match(username):
        raise Invalid(USERNAME_RULE)
    name = check_display_name(display_name)
    check_password(password)
    return username, name


def check_display_name(display_name: str) -> str:
    name = clean_text(display_name)
    if not name or len(name) > DISPLAY_NAME_MAX_CHARS:
        raise Invalid(f"the display name must have 1–{DISPLAY_NAME_MAX_CHARS} characters")
    return name


def check_title_and_unit(title: str, unit: str) -> tuple[str, str]:
    """Both optional (empty allowed), NFC, white space collapsed, at most 200 characters."""
    title, unit = clean_text(title), clean_text(unit)
    if len(title) > TITLE_MAX_CHARS:
        raise Invalid(f"the title may have at most {TITLE_MAX_CHARS} characters")
    if len(unit) > UNIT_MAX_CHARS:
        raise Invalid(f"the unit may have at most {UNIT_MAX_CHARS} characters")
    return title, unit


def clean_text(raw: str) -> str:
    """NFC, with runs of white space (tabs, new lines, no-break spaces) made one space."""
    return " ".join(nfc(raw).split())


def check_password(password: str) -> None:
    if not PASSWORD_MIN_CHARS <= len(password) <= PASSWORD_MAX_CHARS:
        raise Invalid(f"passwords have {PASSWORD_MIN_CHARS}–{PASSWORD_MAX_CHARS} characters")


async def insert(
    conn: AsyncConnection,
    username: str,
    display_name: str,
    password_hash: str,
    is_admin: bool,
    now: float,
    title: str = "",
    unit: str = "",
) -> int:
    result = await conn.execute(
        users.insert().values(
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            is_admin=is_admin,
            is_active=True,
            created_at=now,
            title=title,
            unit=unit,
        )
    )
    return inserted_id(result)


async def taken_usernames(conn: AsyncConnection, names: list[str]) -> set[str]:
    """Those of ``names`` (normalized) that existing users have."""
    found: set[str] = set()
    for start in range(0, len(names), 500):  # bounded IN lists
        chunk = names[start : start + 500]
        rows = await conn.execute(select(users.c.username).where(users.c.username.in_(chunk)))
        found.update(rows.scalars().all())
    return found


async def set_details(
    conn: AsyncConnection, user_id: int, display_name: str, title: str, unit: str
) -> None:
    await conn.execute(
        update(users)
        .where(users.c.id == user_id)
        .values(display_name=display_name, title=title, unit=unit)
    )


async def find_by_username(conn: AsyncConnection, username: str) -> Any | None:
    return (
        await conn.execute(select(users).where(users.c.username == normalize_username(username)))
    ).one_or_none()


async def find_by_id(conn: AsyncConnection, user_id: int) -> Any | None:
    return (await conn.execute(select(users).where(users.c.id == user_id))).one_or_none()


async def list_all(conn: AsyncConnection) -> list[dict[str, Any]]:
    rows = (await conn.execute(select(users).order_by(users.c.username))).all()
    return [public(r) for r in rows]


def public(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "username": row.username,
        "display_name": row.display_name,
        "is_admin": bool(row.is_admin),
        "is_active": bool(row.is_active),
        "title": row.title,
        "unit": row.unit,
    }


async def set_active(conn: AsyncConnection, user_id: int, active: bool) -> None:
    await conn.execute(update(users).where(users.c.id == user_id).values(is_active=active))


async def set_password_hash(conn: AsyncConnection, user_id: int, password_hash: str) -> None:
    await conn.execute(
        update(users).where(users.c.id == user_id).values(password_hash=password_hash)
    )
