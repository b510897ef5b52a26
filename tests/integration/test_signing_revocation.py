"""Revoking a development-CA certificate (signing/revocation.py) against a real server:
``ecabinet minutes revoke`` lists it, ``GET /api/ca/crl`` (anyone) publishes a CRL signed
by the development CA that names it, and the revoked signer's later signature is refused
with nothing stored, until an administrator chooses a new signer."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest
from cryptography import x509

from harness.server import run_cli
from tests.integration.conftest import Running
from tests.integration.test_signing_reauth import _pkcs12
from tests.signing_world import PASSWORD, signing_world

pytestmark = pytest.mark.asyncio


async def _crl(url: str) -> x509.CertificateRevocationList:
    async with httpx.AsyncClient(base_url=url) as anonymous:
        answer = await anonymous.get("/api/ca/crl")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pkix-crl"
    return x509.load_der_x509_crl(answer.content)


async def test_a_revoked_signer_signs_nothing_more_and_the_crl_names_it(running: Running) -> None:
    data_dir = Path(running.env["ECABINET_DATA_DIR"])
    world = await signing_world(running.url, data_dir)
    route = f"/api/users/{world.ids['chair']}/signing-certificate"
    async with world.client("admin") as admin:
        first = (await admin.put(route, json={"signer": "dev-ca"})).json()["certificate"]
    revoked = run_cli(running.env, "minutes", "revoke", world.names["chair"])
    assert revoked.returncode == 0 and "revoked" in revoked.stdout, revoked.stderr
    again = run_cli(running.env, "minutes", "revoke", world.names["chair"])
    assert again.returncode == 0 and "already" in again.stdout

    crl = await _crl(running.url)
    ca = x509.load_pem_x509_certificate((data_dir / "ca" / "ca.pem").read_bytes())
    assert crl.issuer == ca.subject and crl.is_signature_valid(ca.public_key())  # type: ignore[arg-type]
    entry = crl.get_revoked_certificate_by_serial_number(int(first["serial"], 16))
    assert entry is not None

    assert (await world.sign("clerk", PASSWORD)).status_code == 200
    before = world.files()
    refused = await world.sign("chair", PASSWORD)
    assert refused.status_code == 409 and "revoked" in refused.json()["error"]["message"]
    assert world.files() == before and await world.status() == "clerk-signed"

    async with world.client("admin") as admin:
        renewed = (await admin.put(route, json={"signer": "dev-ca"})).json()["certificate"]
    assert renewed["serial"] != first["serial"]
    final = await world.sign("chair", PASSWORD)
    assert final.status_code == 200 and final.json()["status"] == "final", final.text


async def test_only_development_ca_certificates_are_revoked_here(running: Running) -> None:
    world = await signing_world(running.url, Path(running.env["ECABINET_DATA_DIR"]))
    bundle, _cert = _pkcs12("Người ký ngoài", b"p12")
    async with world.client("admin") as admin:
        chosen = await admin.put(
            f"/api/users/{world.ids['clerk']}/signing-certificate",
            json={"pkcs12": base64.b64encode(bundle).decode(), "password": "p12"},
        )
        assert chosen.status_code == 200
    refused = run_cli(running.env, "minutes", "revoke", world.names["clerk"])
    assert refused.returncode == 1 and "development CA" in refused.stderr
    nobody = run_cli(running.env, "minutes", "revoke", "khong-co-ai")
    assert nobody.returncode == 1 and "no user" in nobody.stderr
    assert (await world.sign("clerk", PASSWORD)).status_code == 200
