"""Sealed secret ballots: a key per poll, held in the database only wrapped.

- When a secret poll opens it gets a fresh random AES-256-GCM key (``PollKey``). The
  database stores it only wrapped (AES-256-GCM) under the *ballot wrapping key*, which is
  derived with HKDF-SHA256 from ECABINET_SECRET_KEY (its own ``info``, so it is no other
  key of the server) and is never written anywhere. Every worker with the same secret
  unwraps the poll key, so nothing lives in one process's memory only.
- Each ballot (its choice and its receipt) is sealed under the poll key, with the poll as
  associated data (a sealed ballot cannot be moved to another poll). The plaintext is
  padded to ``BALLOT_PLAINTEXT_BYTES`` whatever the choice, so every sealed ballot has the
  same length, ``SEALED_BALLOT_BYTES``.
- Stored values are hex text: the same on SQLite and PostgreSQL and in a dump.

Nonces and keys come from the operating system's CSPRNG, never from an injected generator:
a predictable key or nonce would open the ballots.
"""

from __future__ import annotations

import json
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

import voting

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # AES-GCM's standard nonce; random per encryption
TAG_BYTES = 16
# The largest plaintext: 50 option indexes (141 bytes as JSON) and a receipt of up to
# RECEIPT_MAX_CHARS, in a JSON pair, after a 2-byte length prefix. Ballots are padded to it.
RECEIPT_MAX_CHARS = 64
BALLOT_PLAINTEXT_BYTES = 256
SEALED_BALLOT_BYTES = NONCE_BYTES + BALLOT_PLAINTEXT_BYTES + TAG_BYTES
WRAPPED_KEY_BYTES = NONCE_BYTES + KEY_BYTES + TAG_BYTES
_LENGTH = struct.Struct(">H")
_HKDF_SALT = b"ecabinet"
_HKDF_INFO = b"secret ballot poll keys v1"


class BallotKeyError(RuntimeError):
    """A poll key or a sealed ballot does not open: ECABINET_SECRET_KEY changed while the
    poll was open, or the stored bytes were altered or belong to another poll."""


def wrapping_key(secret_key: str) -> bytes:
    """The ballot wrapping key: the same for every worker given the same secret."""
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=_HKDF_SALT, info=_HKDF_INFO
    ).derive(secret_key.encode("utf-8"))


def _poll_label(kind: bytes, meeting_id: int, poll_id: int) -> bytes:
    return b"%s:%d:%d" % (kind, meeting_id, poll_id)


def _encrypt(key: bytes, plaintext: bytes, associated: bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    return (nonce + AESGCM(key).encrypt(nonce, plaintext, associated)).hex()


def _decrypt(key: bytes, sealed: str, associated: bytes) -> bytes:
    try:
        raw = bytes.fromhex(sealed)
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], associated)
    except (InvalidTag, ValueError) as exc:
        raise BallotKeyError(
            "a sealed ballot or poll key does not open: was ECABINET_SECRET_KEY changed?"
        ) from exc


class BallotKeys:
    """Makes, wraps and unwraps the poll keys of this server's secret polls."""

    def __init__(self, secret_key: str) -> None:
        self._wrapping = wrapping_key(secret_key)

    def new_poll_key(self, meeting_id: int, poll_id: int) -> tuple[PollKey, str]:
        """A fresh poll key and its wrapped form (hex) to store."""
        key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
        wrapped = _encrypt(self._wrapping, key, _poll_label(b"poll key", meeting_id, poll_id))
        return PollKey(key, meeting_id, poll_id), wrapped

    def unwrap(self, wrapped: str, meeting_id: int, poll_id: int) -> PollKey:
        key = _decrypt(self._wrapping, wrapped, _poll_label(b"poll key", meeting_id, poll_id))
        return PollKey(key, meeting_id, poll_id)


class PollKey:
    """One secret poll's key: seals its ballots and opens them at the close."""

    def __init__(self, key: bytes, meeting_id: int, poll_id: int) -> None:
        self._key = key
        self._associated = _poll_label(b"ballot", meeting_id, poll_id)
        self.poll_id = poll_id

    def seal(self, choice: voting.Choice, receipt: str) -> str:
        """The sealed ballot: ``SEALED_BALLOT_BYTES`` bytes whatever the choice, as hex."""
        if not 0 < len(receipt) <= RECEIPT_MAX_CHARS:
            raise ValueError(f"a receipt has 1 to {RECEIPT_MAX_CHARS} characters")
        wire = list(choice) if isinstance(choice, tuple) else choice
        body = json.dumps([wire, receipt], separators=(",", ":")).encode()
        padding = BALLOT_PLAINTEXT_BYTES - _LENGTH.size - len(body)
        if padding < 0:
            raise ValueError(f"a ballot of {len(body)} bytes does not fit the sealed size")
        return _encrypt(
            self._key, _LENGTH.pack(len(body)) + body + bytes(padding), self._associated
        )

    def open(self, sealed: str) -> voting.SealedBallot:
        plaintext = _decrypt(self._key, sealed, self._associated)
        (length,) = _LENGTH.unpack_from(plaintext)
        wire, receipt = json.loads(plaintext[_LENGTH.size : _LENGTH.size + length])
        choice = tuple(wire) if isinstance(wire, list) else str(wire)
        return voting.SealedBallot(self.poll_id, choice, str(receipt))
