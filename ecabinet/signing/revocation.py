"""Revoking development-CA certificates: the list, the CRL the server publishes, and the
check that refuses a revoked certificate's signature before anything is signed.

The list is DATA_DIR/ca/revoked.txt, one ``<serial in hex> <UNIX time>`` a line, written by
``ecabinet minutes revoke``. The CRL is made from it and signed by the development CA at
each request of ``GET /api/ca/crl`` (valid ``CRL_VALID_DAYS``), so it is never staler
than the list. Certificates of other CAs are revoked by their CA; this list cannot name
them.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ecabinet.errors import Invalid, NotFound
from ecabinet.minutes import keys

REVOKED_FILE = "revoked.txt"
CRL_VALID_DAYS = 7


def _path(data_dir: Path) -> Path:
    return data_dir / keys.CA_DIR / REVOKED_FILE


def revoked(data_dir: Path) -> dict[int, datetime]:
    """Serial → when it was revoked."""
    path = _path(data_dir)
    if not path.exists():
        return {}
    found = {}
    for line in path.read_text().splitlines():
        serial, at = line.split()
        found[int(serial, 16)] = datetime.fromtimestamp(float(at), UTC)
    return found


def _dev_ca(data_dir: Path) -> x509.Certificate:
    cert_path, _ = keys.ca_paths(data_dir)
    if not cert_path.exists():
        raise NotFound("this installation has no development CA")
    return x509.load_pem_x509_certificate(cert_path.read_bytes())


def issued_by_dev_ca(data_dir: Path, certificate_pem: bytes) -> bool:
    cert_path, _ = keys.ca_paths(data_dir)
    if not cert_path.exists():
        return False
    ca = x509.load_pem_x509_certificate(cert_path.read_bytes())
    cert = x509.load_pem_x509_certificate(certificate_pem)
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):  # another issuer, or a foreign key
        return False
    return True


def revoke(data_dir: Path, certificate_pem: bytes, now: datetime | None = None) -> bool:
    """Add the certificate to the list; False when it was there already. Refuses a
    certificate the development CA did not issue."""
    if not issued_by_dev_ca(data_dir, certificate_pem):
        raise Invalid("only certificates of the development CA are revoked here")
    serial = x509.load_pem_x509_certificate(certificate_pem).serial_number
    if serial in revoked(data_dir):
        return False
    moment = (now or datetime.now(UTC)).timestamp()
    with _path(data_dir).open("a") as out:
        out.write(f"{serial:x} {moment}\n")
        out.flush()
        os.fsync(out.fileno())
    return True


def is_revoked(data_dir: Path, certificate_pem: bytes) -> bool:
    serial = x509.load_pem_x509_certificate(certificate_pem).serial_number
    return serial in revoked(data_dir) and issued_by_dev_ca(data_dir, certificate_pem)


def crl(data_dir: Path, secret_key: str, now: datetime | None = None) -> bytes:
    """The development CA's CRL (DER), listing every revoked serial."""
    ca = _dev_ca(data_dir)
    _, key_path = keys.ca_paths(data_dir)
    ca_key = serialization.load_pem_private_key(
        keys.unseal(secret_key, key_path.read_text(), "ca"), password=None
    )
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    now = now or datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.subject)
        .last_update(now - timedelta(minutes=5))
        .next_update(now + timedelta(days=CRL_VALID_DAYS))
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)  # grows
    )
    for serial, at in sorted(revoked(data_dir).items()):
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(at).build()
        )
    return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
