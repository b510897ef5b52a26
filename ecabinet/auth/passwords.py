"""Argon2id password hashes. Hashing runs in a thread: it is deliberately slow (~50 ms)."""

from __future__ import annotations

import asyncio
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

PASSWORD_MIN_CHARS = 8
PASSWORD_MAX_CHARS = 1024  # argon2 accepts more, but a megabyte password is an attack


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("a password nobody has, verified when the user does not exist")


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Check ``password``; with ``None`` (unknown user) do the same work and answer False,
    so an unknown user name costs as long as a wrong password."""
    target = password_hash if password_hash is not None else _dummy_hash()
    try:
        ok = await asyncio.to_thread(_hasher.verify, target, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and password_hash is not None
