"""Every signature asks the signer again (signing/reauth.py), against a real server: no
secret, an empty one or a wrong password is refused with its documented code and stores
nothing (no file, the version as it was); wrong passwords are throttled like sign-in;
the administrator chooses each user's signer (development CA, PKCS#12, PKCS#11 token)."""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader

from ecabinet.auth.throttle import ATTEMPTS_PER_NAME_AT_ADDRESS
from tests.integration.conftest import Running
from tests.signing_world import PASSWORD, SigningWorld, signing_world

pytestmark = pytest.mark.asyncio


async def _world(running: Running) -> SigningWorld:
    return await signing_world(running.url, Path(running.env["ECABINET_DATA_DIR"]))


async def test_each_signature_asks_again_and_a_refusal_stores_nothing(running: Running) -> None:
    world = await _world(running)
    before = world.files()
    for secret, status, code in (
        (None, 400, "invalid"),
        ("", 400, "invalid"),
        ("x" * 257, 400, "invalid"),
        ("không phải mật khẩu", 401, "invalid-credentials"),
    ):
        refused = await world.sign("clerk", secret)
        assert (refused.status_code, refused.json()["error"]["code"]) == (status, code), secret
    assert world.files() == before and await world.status() == "draft"
    signed = await world.sign("clerk", PASSWORD)
    assert signed.status_code == 200 and signed.json()["status"] == "clerk-signed", signed.text
    after_clerk = world.files()
    assert len(after_clerk) == len(before) + 1
    wrong = await world.sign("chair", PASSWORD + "!")
    assert wrong.json()["error"]["code"] == "invalid-credentials"
    assert world.files() == after_clerk and await world.status() == "clerk-signed"
    final = await world.sign("chair", PASSWORD)
    assert final.status_code == 200 and final.json()["status"] == "final", final.text


async def test_wrong_passwords_at_signing_are_throttled_like_sign_in(running: Running) -> None:
    world = await _world(running)
    before = world.files()
    for _ in range(ATTEMPTS_PER_NAME_AT_ADDRESS):
        wrong = await world.sign("clerk", "đoán mò")
        assert wrong.status_code == 401, wrong.text
    refused = await world.sign("clerk", PASSWORD)  # even the right one, until the window ends
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate-limited"
    assert int(refused.headers["Retry-After"]) > 0
    assert world.files() == before and await world.status() == "draft"


def _pkcs12(name: str, password: bytes) -> tuple[bytes, x509.Certificate]:
    """A PKCS#12 from a throwaway CA of this test, with a non-repudiation certificate."""
    now = datetime.now(UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA thử nghiệm")])
    usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(usage, critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password)
    return pkcs12.serialize_key_and_certificates(b"signer", key, cert, None, encryption), cert


def _signer_serials(pdf: bytes) -> list[int]:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return [int(s.signer_cert.serial_number) for s in reader.embedded_signatures]


async def test_the_administrator_chooses_each_users_signer(running: Running) -> None:
    world = await _world(running)
    route = f"/api/users/{world.ids['clerk']}/signing-certificate"
    bundle, cert = _pkcs12("Lê Thị Thư Ký", b"mat-khau-p12")
    async with world.client("admin") as admin:
        for body in (
            {"signer": "smartcard"},
            {"signer": "pkcs11", "token": "", "key": "k", "certificate": "x"},
            {"signer": "pkcs11", "token": "t" * 33, "key": "k", "certificate": "x"},
            {"signer": "pkcs11", "token": "t", "key": "k", "certificate": "not PEM"},
            {"signer": "pkcs12", "pkcs12": base64.b64encode(bundle).decode(), "password": "sai"},
        ):
            refused = await admin.put(route, json=body)
            assert refused.json()["error"]["code"] == "invalid", body
        assert (await admin.get(route)).status_code == 404  # nothing was stored
        chosen = await admin.put(
            route,
            json={"pkcs12": base64.b64encode(bundle).decode(), "password": "mat-khau-p12"},
        )
        assert chosen.json()["certificate"]["source"] == "pkcs12", chosen.text
    signed = await world.sign("clerk", PASSWORD)
    assert signed.status_code == 200, signed.text
    async with world.client("clerk") as http:
        pdf = (await http.get(f"/api/meetings/{world.meeting}/minutes/1/file")).content
    assert _signer_serials(pdf) == [cert.serial_number]
    async with world.client("admin") as admin:
        dev = await admin.put(route, json={"signer": "dev-ca"})
        described = dev.json()["certificate"]
        assert described["source"] == "dev-ca" and "development CA" in described["issuer"]
        assert (await admin.get(route)).json()["certificate"] == described
