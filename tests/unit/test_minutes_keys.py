"""Signing keys: the development CA, sealed private keys, PKCS#12 import rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from ecabinet.errors import Invalid
from ecabinet.minutes import keys

SECRET = "k" * 48


def test_the_ca_is_created_once_and_its_key_is_sealed(tmp_path: Path) -> None:
    path, created = keys.ensure_dev_ca(tmp_path, SECRET)
    assert created and path.exists()
    assert keys.ensure_dev_ca(tmp_path, SECRET) == (path, False)
    sealed = keys.ca_paths(tmp_path)[1].read_text()
    assert "PRIVATE KEY" not in sealed
    assert keys.trusted_roots(tmp_path) == [path.read_bytes()]


def test_an_issued_certificate_allows_non_repudiation_and_names_the_person(tmp_path: Path) -> None:
    keys.ensure_dev_ca(tmp_path, SECRET)
    credential = keys.issue(tmp_path, SECRET, "Trần Thị Thu Hằng", "clerk")
    cert = credential.certificate
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.content_commitment and usage.digital_signature and not usage.key_cert_sign
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Trần Thị Thu Hằng"
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_a_sealed_key_opens_only_with_the_same_secret_and_owner() -> None:
    sealed = keys.seal(SECRET, b"private", "user:7")
    assert keys.unseal(SECRET, sealed, "user:7") == b"private"
    with pytest.raises(keys.KeyUnavailable):
        keys.unseal("x" * 48, sealed, "user:7")
    with pytest.raises(keys.KeyUnavailable):
        keys.unseal(SECRET, sealed, "user:8")  # moved to another user's row


def test_without_a_ca_nothing_is_issued(tmp_path: Path) -> None:
    with pytest.raises(keys.KeyUnavailable, match="PKCS#12"):
        keys.issue(tmp_path, SECRET, "Ai Đó", "someone")


def _p12(non_repudiation: bool, password: bytes = b"mat-khau") -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nguyễn Văn Hùng")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.KeyUsage(True, non_repudiation, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"hung", key, cert, None, serialization.BestAvailableEncryption(password)
    )


def test_a_pkcs12_with_non_repudiation_is_imported() -> None:
    credential = keys.from_pkcs12(_p12(True), "mat-khau")
    assert credential.source == "pkcs12"
    assert "Nguyễn Văn Hùng" in str(keys.describe(credential)["subject"])


@pytest.mark.parametrize(("data", "password"), [(_p12(False), "mat-khau"), (_p12(True), "sai")])
def test_a_pkcs12_without_non_repudiation_or_with_a_wrong_password_is_refused(
    data: bytes, password: str
) -> None:
    with pytest.raises(Invalid):
        keys.from_pkcs12(data, password)
