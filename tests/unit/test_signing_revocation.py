"""The development CA's revocation list and CRL (ecabinet/signing/revocation.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from ecabinet.errors import Invalid, NotFound
from ecabinet.minutes import keys
from ecabinet.signing import revocation

SECRET = "khóa của bài kiểm thử thu hồi"
AT = datetime(2026, 12, 5, 8, 30, tzinfo=UTC)


@pytest.fixture
def ca(tmp_path: Path) -> Path:
    keys.ensure_dev_ca(tmp_path, SECRET)
    return tmp_path


def test_a_revoked_certificate_is_listed_once_and_named_by_a_signed_crl(ca: Path) -> None:
    kept = keys.issue(ca, SECRET, "Trần Văn Giữ", "giu")
    gone = keys.issue(ca, SECRET, "Lê Thị Thu Hồi", "thu-hoi")
    assert revocation.revoke(ca, gone.certificate_pem, now=AT)
    assert not revocation.revoke(ca, gone.certificate_pem)  # once
    assert revocation.is_revoked(ca, gone.certificate_pem)
    assert not revocation.is_revoked(ca, kept.certificate_pem)
    crl = x509.load_der_x509_crl(revocation.crl(ca, SECRET))
    authority = keys.ca_paths(ca)[0].read_bytes()
    ca_key = x509.load_pem_x509_certificate(authority).public_key()
    assert isinstance(ca_key, ec.EllipticCurvePublicKey) and crl.is_signature_valid(ca_key)
    assert [(e.serial_number, e.revocation_date_utc) for e in crl] == [
        (gone.certificate.serial_number, AT)
    ]


def test_a_certificate_of_another_ca_is_not_revoked_here(ca: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    keys.ensure_dev_ca(other, SECRET)
    foreign = keys.issue(other, SECRET, "Người ngoài", "ngoai")
    with pytest.raises(Invalid):
        revocation.revoke(ca, foreign.certificate_pem)
    assert revocation.revoked(ca) == {}
    assert list(x509.load_der_x509_crl(revocation.crl(ca, SECRET))) == []


def test_without_a_development_ca_there_is_no_crl(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        revocation.crl(tmp_path, SECRET)
