"""Which signer a user has: the user's ``signing_credentials`` row, whose ``source`` is the
kind an administrator chose (``dev-ca``, ``pkcs12``, ``pkcs11``).

For ``dev-ca`` and ``pkcs12`` the row holds the certificate and the sealed key (keys.py).
For ``pkcs11`` it holds the certificate the token carries (to show it and its expiry) and,
sealed in place of a key, only where the key is: the token's and the key's labels. The
module that opens tokens is the installation's (``ECABINET_PKCS11_MODULE``), not stored.
"""

from __future__ import annotations

import json

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.errors import Invalid
from ecabinet.minutes import keys
from ecabinet.signing.signers import TOKEN_KIND, HeldKey, Signer, TokenKey
from ecabinet.store.schema import signing_credentials

LABEL_MAX_CHARS = 32  # a PKCS#11 token label is 32 bytes


def _owner(user_id: int) -> str:
    return f"user:{user_id}"


async def signer_for(
    conn: AsyncConnection, secret_key: str, user_id: int, pkcs11_module: str | None
) -> Signer | None:
    """The user's signer, or None when the administrator chose none yet."""
    row = (
        await conn.execute(
            select(signing_credentials).where(signing_credentials.c.user_id == user_id)
        )
    ).one_or_none()
    if row is None:
        return None
    if row.source != TOKEN_KIND:
        credential = await keys.load(conn, secret_key, user_id)
        assert credential is not None
        return HeldKey(
            credential.certificate_pem, credential.chain_pem, credential.key_pem, row.source
        )
    where = json.loads(keys.unseal(secret_key, row.private_key, _owner(user_id)))
    if not pkcs11_module:
        raise keys.KeyUnavailable(
            "this user signs with a PKCS#11 token and no module is configured "
            "(ECABINET_PKCS11_MODULE)"
        )
    return TokenKey(pkcs11_module, where["token"], where["key"], row.chain.encode())


def token_credential(
    token_label: str, key_label: str, certificate_pem: bytes, chain_pem: bytes
) -> keys.Credential:
    """A ``pkcs11`` row: the token's certificate (PEM) and where the key is; refuses labels
    a token cannot have and certificates that do not allow non-repudiation."""
    for what, label in (("token", token_label), ("key", key_label)):
        if not label or len(label.encode()) > LABEL_MAX_CHARS:
            raise Invalid(f"the {what} label must be 1 to {LABEL_MAX_CHARS} bytes")
    try:
        certificate = x509.load_pem_x509_certificate(certificate_pem)
        for pem in [b"-----BEGIN" + p for p in chain_pem.split(b"-----BEGIN")[1:]]:
            x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise Invalid("certificate and chain must be PEM certificates") from exc
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is None or not usage.content_commitment:
        raise Invalid("the certificate does not allow non-repudiation (content commitment)")
    where = json.dumps({"token": token_label, "key": key_label}).encode()
    return keys.Credential(certificate_pem, chain_pem, where, TOKEN_KIND)
