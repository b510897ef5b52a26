"""Minutes signed with a key on a PKCS#11 token (SoftHSM2), through a real server whose
installation names the module (ECABINET_PKCS11_MODULE): the PIN is asked at each
signature and only passed to the token; a wrong PIN is refused and stores nothing; after
three wrong PINs the server stops trying (the token is not locked by a loop); a token that
is not connected is a clear refusal that costs no PIN try."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from ecabinet.config import load_settings
from ecabinet.signing.reauth import PIN_TRIES
from harness.server import Server, prepare_database, server_env
from tests.signing_world import PASSWORD, SigningWorld, signing_world
from tests.softhsm import USER_PIN, Token, make_token, process_folder, softhsm_module

pytestmark = pytest.mark.asyncio


@dataclass
class TokenServer:
    url: str
    data_dir: Path
    token: Token


@pytest.fixture(scope="module")
def token_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TokenServer]:
    module = softhsm_module()
    if module is None:
        pytest.skip("SoftHSM2 is not installed (make system-test-deps)")
    data_dir = tmp_path_factory.mktemp("pkcs11-server")
    hsm = process_folder(tmp_path_factory)  # this process opens the token too
    conf = hsm / "softhsm2.conf"
    env = server_env(
        data_dir,
        f"sqlite+aiosqlite:///{data_dir / 'ecabinet.db'}",
        SOFTHSM2_CONF=str(conf),
        ECABINET_PKCS11_MODULE=module,
    )
    prepare_database(env)
    token = make_token(
        hsm, module, data_dir, load_settings(env).secret_key, "Lê Thị Thư Ký", "thu-ky"
    )
    server = Server(env).start()
    yield TokenServer(server.url, data_dir, token)
    server.stop()


async def _world(running: TokenServer, token_label: str | None = None) -> SigningWorld:
    world = await signing_world(running.url, running.data_dir)
    token = running.token
    async with world.client("admin") as admin:
        chosen = await admin.put(
            f"/api/users/{world.ids['clerk']}/signing-certificate",
            json={
                "signer": "pkcs11",
                "token": token_label or token.label,
                "key": token.key_label,
                "certificate": token.certificate_pem.decode(),
                "chain": token.chain_pem.decode(),
            },
        )
        assert chosen.status_code == 200 and chosen.json()["certificate"]["source"] == "pkcs11"
    return world


async def test_minutes_are_signed_with_the_tokens_key_after_its_pin(
    token_server: TokenServer,
) -> None:
    world = await _world(token_server)
    before = world.files()
    wrong = await world.sign("clerk", "000000")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid-credentials"
    password = await world.sign("clerk", PASSWORD)  # a token signer's secret is the PIN
    assert password.status_code == 401
    assert world.files() == before and await world.status() == "draft"
    signed = await world.sign("clerk", USER_PIN)
    assert signed.status_code == 200 and signed.json()["status"] == "clerk-signed", signed.text
    final = await world.sign("chair", PASSWORD)  # the chair's key is held by the server
    assert final.status_code == 200 and final.json()["status"] == "final", final.text
    async with world.client("clerk") as http:
        pdf = (await http.get(f"/api/meetings/{world.meeting}/minutes/1/file")).content
        verdict = (
            await http.post(
                "/api/minutes/verify", content=pdf, headers={"Content-Type": "application/pdf"}
            )
        ).json()
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    clerk_cert = reader.embedded_signatures[0].signer_cert
    assert clerk_cert.dump() == _der(token_server.token.certificate_pem)
    assert verdict["ok"], verdict["problems"]
    assert [s["signer_name"] for s in verdict["signatures"]] == [
        "Lê Thị Thư Ký",
        "Phạm Văn Chủ Tọa",
    ]


async def test_three_wrong_pins_pause_the_token_before_it_locks(token_server: TokenServer) -> None:
    world = await _world(token_server)
    before = world.files()
    for _ in range(PIN_TRIES):
        wrong = await world.sign("clerk", "111111")
        assert wrong.json()["error"]["code"] == "invalid-credentials"
    paused = await world.sign("clerk", USER_PIN)  # not even passed to the token
    assert paused.status_code == 429 and paused.json()["error"]["code"] == "rate-limited"
    assert "token" in paused.json()["error"]["message"] and int(paused.headers["Retry-After"]) > 0
    assert world.files() == before and await world.status() == "draft"
    import pkcs11

    token = pkcs11.lib(token_server.token.module).get_token(token_label=token_server.token.label)
    with token.open(user_pin=USER_PIN):  # the token itself still opens with its PIN
        pass


async def test_a_token_that_is_not_connected_is_refused_and_costs_no_pin_try(
    token_server: TokenServer,
) -> None:
    world = await _world(token_server, token_label="khong-cam-token")
    before = world.files()
    for _ in range(PIN_TRIES + 1):
        missing = await world.sign("clerk", USER_PIN)
        assert missing.status_code == 409, missing.text
        assert "not connected" in missing.json()["error"]["message"]
    assert world.files() == before and await world.status() == "draft"


def _der(pem: bytes) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
