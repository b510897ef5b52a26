"""Signing keys: the development CA, per-user signing credentials, PKCS#12 import.

``ecabinet init`` creates a development CA under DATA_DIR/ca (outside production); a user
who signs and has no credential gets one from it on demand: an ECDSA P-256 key and a
certificate with the non-repudiation (content commitment) key usage that PAdES signers
need. A real deployment imports each signer's PKCS#12 instead (and trusts its CA).

Private keys (the CA's and the users') are sealed with AES-256-GCM under a key derived
from ECABINET_SECRET_KEY (HKDF-SHA256), with the owner as associated data, so a copied
database or DATA_DIR opens no key without the secret, and a sealed key cannot be moved to
another user's row.
"""

from __future__ import annotations

import base64
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.errors import Conflict, Invalid
from ecabinet.store.schema import signing_credentials

CA_DIR = "ca"
CA_CERT_FILE = "ca.pem"
CA_KEY_FILE = "ca.key.sealed"
TRUST_DIR = "trust"  # further trusted roots (PEM) an operator adds for imported certificates
CA_VALID_DAYS = 10 * 365
USER_CERT_VALID_DAYS = 2 * 365
NONCE_BYTES = 12


class KeyUnavailable(Conflict):
    """A key cannot be opened (wrong ECABINET_SECRET_KEY) or is missing."""


def _aead(secret_key: str) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"ecabinet", info=b"signing keys v1"
    ).derive(secret_key.encode("utf-8"))
    return AESGCM(key)


def seal(secret_key: str, plaintext: bytes, owner: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = _aead(secret_key).encrypt(nonce, plaintext, owner.encode())
    return base64.b64encode(nonce + sealed).decode("ascii")


def unseal(secret_key: str, text: str, owner: str) -> bytes:
    raw = base64.b64decode(text)
    try:
        return _aead(secret_key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], owner.encode())
    except Exception as exc:  # InvalidTag: another secret key, or another owner
        raise KeyUnavailable(
            "a signing key cannot be opened: was ECABINET_SECRET_KEY changed?"
        ) from exc


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _pkcs8(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclass(frozen=True)
class Credential:
    """What a signer needs: the certificate, its issuers, the private key (PKCS#8 PEM)."""

    certificate_pem: bytes
    chain_pem: bytes
    key_pem: bytes
    source: str

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.certificate_pem)


def ca_paths(data_dir: Path) -> tuple[Path, Path]:
    return data_dir / CA_DIR / CA_CERT_FILE, data_dir / CA_DIR / CA_KEY_FILE


def ensure_dev_ca(
    data_dir: Path, secret_key: str, now: datetime | None = None
) -> tuple[Path, bool]:
    """Create the development CA unless it exists; returns (certificate path, created)."""
    cert_path, key_path = ca_paths(data_dir)
    if cert_path.exists() and key_path.exists():
        return cert_path, False
    now = now or datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "E-cabinet development CA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "E-cabinet (development only)"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=CA_VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_text(seal(secret_key, _pkcs8(key), "ca"))
    key_path.chmod(0o600)
    cert_path.write_bytes(_pem(cert))
    return cert_path, True


def trusted_roots(data_dir: Path) -> list[bytes]:
    """PEM certificates trusted by default: the development CA and DATA_DIR/trust/*.pem."""
    roots = []
    cert_path, _ = ca_paths(data_dir)
    if cert_path.exists():
        roots.append(cert_path.read_bytes())
    trust = data_dir / TRUST_DIR
    if trust.is_dir():
        roots += [p.read_bytes() for p in sorted(trust.glob("*.pem"))]
    return roots


def issue(
    data_dir: Path, secret_key: str, display_name: str, username: str, now: datetime | None = None
) -> Credential:
    """A signing certificate from the development CA (non-repudiation key usage)."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert_pem, ca_pem = certify(data_dir, secret_key, display_name, username, key.public_key(), now)
    return Credential(cert_pem, ca_pem, _pkcs8(key), "dev-ca")


def certify(
    data_dir: Path,
    secret_key: str,
    display_name: str,
    username: str,
    public_key: ec.EllipticCurvePublicKey,
    now: datetime | None = None,
) -> tuple[bytes, bytes]:
    """(certificate, CA certificate) as PEM: the development CA certifies ``public_key``,
    whose private key may be held elsewhere (a token's, for a demo with SoftHSM2)."""
    cert_path, key_path = ca_paths(data_dir)
    if not (cert_path.exists() and key_path.exists()):
        raise KeyUnavailable(
            "no signing certificate for this user and no development CA: "
            "an administrator imports the user's PKCS#12 certificate"
        )
    ca_cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    ca_key = serialization.load_pem_private_key(
        unseal(secret_key, key_path.read_text(), "ca"), password=None
    )
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    now = now or datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, display_name[:64]),
                    x509.NameAttribute(NameOID.USER_ID, username[:64]),
                ]
            )
        )
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=USER_CERT_VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return _pem(cert), _pem(ca_cert)


def _owner(user_id: int) -> str:
    return f"user:{user_id}"


async def load(conn: AsyncConnection, secret_key: str, user_id: int) -> Credential | None:
    row = (
        await conn.execute(
            select(signing_credentials).where(signing_credentials.c.user_id == user_id)
        )
    ).one_or_none()
    if row is None:
        return None
    key_pem = unseal(secret_key, row.private_key, _owner(user_id))
    return Credential(row.certificate.encode(), row.chain.encode(), key_pem, row.source)


async def store(
    conn: AsyncConnection, secret_key: str, user_id: int, credential: Credential
) -> None:
    await conn.execute(signing_credentials.delete().where(signing_credentials.c.user_id == user_id))
    await conn.execute(
        signing_credentials.insert().values(
            user_id=user_id,
            source=credential.source,
            certificate=credential.certificate_pem.decode(),
            chain=credential.chain_pem.decode(),
            private_key=seal(secret_key, credential.key_pem, _owner(user_id)),
            created_at=time.time(),
        )
    )


def from_pkcs12(data: bytes, password: str | None) -> Credential:
    """A credential from a PKCS#12 file; the certificate must allow non-repudiation."""
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except ValueError as exc:
        raise Invalid("not a PKCS#12 file, or a wrong password") from exc
    if key is None or cert is None:
        raise Invalid("the PKCS#12 file must hold a private key and its certificate")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        raise Invalid("the certificate has no key usage; signing needs non-repudiation") from None
    if not usage.content_commitment:
        raise Invalid("the certificate does not allow non-repudiation (content commitment)")
    if cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise Invalid("the private key does not belong to the certificate")
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    chain = b"".join(_pem(c) for c in extra or [])
    return Credential(_pem(cert), chain, key_pem, "pkcs12")


def describe(credential: Credential) -> dict[str, object]:
    cert = credential.certificate
    return {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "serial": format(cert.serial_number, "x"),
        "not_after": cert.not_valid_after_utc.isoformat(),
        "source": credential.source,
    }
