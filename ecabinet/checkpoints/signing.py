"""Checkpoint signatures: Ed25519 over ``(meeting_id, seq, hash, at)`` of a log head.

The key is derived from ECABINET_SECRET_KEY (HKDF-SHA256, info ``ecabinet checkpoints
v1``), not kept in a file under DATA_DIR, because:

- the checkpoint files live under DATA_DIR: a key file beside them would let whoever can
  write DATA_DIR forge the very lines meant to catch a rewrite; the secret is held apart
  (the environment or a secrets manager; production refuses to start without it);
- every worker derives the same key, with no file to create without a race, share or
  back up.

The price: changing the secret changes the key. Checkpoints signed before then verify
only with the old public key, so print it (``ecabinet audit key``) before a change and
pass it to ``ecabinet audit verify --public-key``. In development without a configured
secret, the generated secret lives under DATA_DIR and the key is no stronger than it.

The signed message is the JSON array ``["ecabinet-checkpoint-v1", meeting_id, seq, hash,
at]`` without spaces, in ASCII: a tablet rebuilds it with ``JSON.stringify`` and checks
it with WebCrypto's Ed25519. Signatures and the raw 32-byte public key travel in base64.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MESSAGE_TAG = "ecabinet-checkpoint-v1"
HKDF_INFO = b"ecabinet checkpoints v1"
SEED_BYTES = 32  # an Ed25519 private key is a 32-byte seed
KEY_ID_HEX_CHARS = 16  # the key id: the first 64 bits of SHA-256(raw public key), in hex
HASH_PATTERN = re.compile(r"^[0-9a-f]{64}$")
AT_MAX_CHARS = 40  # an iso_utc time has 24
WIRE_FIELDS = frozenset({"meeting_id", "seq", "hash", "at", "signature"})


@dataclass(frozen=True)
class Checkpoint:
    """A signed log head. ``signature`` is base64 of the Ed25519 signature of ``message``."""

    meeting_id: int
    seq: int
    hash: str
    at: str
    signature: str

    def message(self) -> bytes:
        return message(self.meeting_id, self.seq, self.hash, self.at)

    def to_wire(self) -> dict[str, Any]:
        return {
            "meeting_id": self.meeting_id,
            "seq": self.seq,
            "hash": self.hash,
            "at": self.at,
            "signature": self.signature,
        }

    @classmethod
    def from_wire(cls, raw: Any) -> Checkpoint:
        """Parse ``{meeting_id, seq, hash, at, signature}``; raises ValueError on any other
        shape (the signature itself is not checked here)."""
        if not isinstance(raw, dict) or set(raw) != WIRE_FIELDS:
            raise ValueError("a checkpoint is {meeting_id, seq, hash, at, signature}")
        meeting_id, seq, hash_, at, signature = (
            raw["meeting_id"], raw["seq"], raw["hash"], raw["at"], raw["signature"]
        )  # fmt: skip
        if not all(type(n) is int and n >= 0 for n in (meeting_id, seq)):
            raise ValueError("meeting_id and seq are whole numbers")
        if not isinstance(hash_, str) or not HASH_PATTERN.match(hash_):
            raise ValueError("hash is 64 lower-case hex digits")
        if not isinstance(at, str) or not 0 < len(at) <= AT_MAX_CHARS or not at.isascii():
            raise ValueError("at is an ISO 8601 time")
        if not isinstance(signature, str):
            raise ValueError("signature is base64")
        return cls(meeting_id, seq, hash_, at, signature)


def message(meeting_id: int, seq: int, hash_: str, at: str) -> bytes:
    """The bytes that are signed (see the module docstring)."""
    fields = [MESSAGE_TAG, meeting_id, seq, hash_, at]
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw_public(key)).hexdigest()[:KEY_ID_HEX_CHARS]


def public_key_text(key: Ed25519PublicKey) -> str:
    """The raw public key in base64: what ``GET /api/checkpoints/key`` serves."""
    return base64.b64encode(_raw_public(key)).decode("ascii")


def load_public_key(text: str) -> Ed25519PublicKey:
    """A public key from ``public_key_text``; raises ValueError when it is not one."""
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise ValueError("the public key is base64 of 32 bytes") from exc
    if len(raw) != SEED_BYTES:
        raise ValueError("the public key is base64 of 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def verify(key: Ed25519PublicKey, checkpoint: Checkpoint) -> bool:
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
        key.verify(signature, checkpoint.message())
    except (binascii.Error, InvalidSignature):
        return False
    return True


class CheckpointSigner:
    """Signs checkpoints with the key derived from the secret (see the module docstring)."""

    def __init__(self, secret_key: str) -> None:
        seed = HKDF(
            algorithm=hashes.SHA256(), length=SEED_BYTES, salt=b"ecabinet", info=HKDF_INFO
        ).derive(secret_key.encode("utf-8"))
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self.public_key = self._key.public_key()

    def sign(self, meeting_id: int, seq: int, hash_: str, at: str) -> Checkpoint:
        signature = self._key.sign(message(meeting_id, seq, hash_, at))
        return Checkpoint(meeting_id, seq, hash_, at, base64.b64encode(signature).decode("ascii"))
