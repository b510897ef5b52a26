"""The signers behind one interface (ecabinet/signing/signers.py), each making a real PAdES
signature through ``sign.sign``: a held key and a SoftHSM2 token's key; the token's PIN
refusals and a token that is not there raise our errors; the administrator's token choice
refuses what a token cannot hold."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from ecabinet.errors import Invalid
from ecabinet.minutes import keys, sign
from ecabinet.signing import choice
from ecabinet.signing.signers import HeldKey, Signer, TokenKey, TokenUnavailable, WrongPin
from tests import pdfs
from tests.softhsm import USER_PIN, Token, make_token, process_folder, softhsm_module

SECRET = "khóa bí mật của bài kiểm thử"


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("ca")
    keys.ensure_dev_ca(data_dir, SECRET)
    return data_dir


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory, ca: Path) -> Token:
    module = softhsm_module()
    if module is None:
        pytest.skip("SoftHSM2 is not installed (make system-test-deps)")
    folder = process_folder(tmp_path_factory)  # set before the module loads
    return make_token(folder, module, ca, SECRET, "Đỗ Thị Con Dấu", "con-dau", key_label="con-dau")


def _sign(signer: Signer, pin: str | None) -> bytes:
    return sign.sign(
        sign.SignRequest(
            pdf=pdfs.pages(1),
            field="sig-clerk",
            certify=True,
            signer=signer,
            pin=pin,
            signer_name="Đỗ Thị Con Dấu",
            role_title="Thư ký",
            caption="Ký số",
            location="Hà Nội",
        )
    )


def _signer_cert_der(pdf: bytes, ca_pem: bytes) -> bytes:
    """The signing certificate of the one signature, which must be intact, valid and chain
    to ``ca_pem``."""
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    (embedded,) = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    context = ValidationContext(trust_roots=list(load_certs_from_pemder_data(ca_pem)))
    status = validate_pdf_signature(embedded, signer_validation_context=context)
    assert status.intact and status.valid and status.trusted
    return bytes(embedded.signer_cert.dump())


def _der(pem: bytes) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)


def test_a_held_key_signs_without_a_pin(ca: Path) -> None:
    credential = keys.issue(ca, SECRET, "Đỗ Thị Con Dấu", "con-dau")
    held = HeldKey(credential.certificate_pem, credential.chain_pem, credential.key_pem)
    assert not held.needs_pin
    signed = _sign(held, None)
    assert _signer_cert_der(signed, credential.chain_pem) == _der(credential.certificate_pem)


def test_a_tokens_key_signs_with_its_pin(token: Token) -> None:
    on_token = TokenKey(token.module, token.label, token.key_label, token.chain_pem)
    assert on_token.needs_pin
    signed = _sign(on_token, USER_PIN)
    assert _signer_cert_der(signed, token.chain_pem) == _der(token.certificate_pem)


@pytest.mark.parametrize("pin", [None, "", "000000", "1" * 300])
def test_a_wrong_or_missing_pin_is_refused(token: Token, pin: str | None) -> None:
    with pytest.raises(WrongPin):
        _sign(TokenKey(token.module, token.label, token.key_label), pin)


def test_a_token_that_is_not_there_or_lacks_the_key_is_refused(token: Token) -> None:
    with pytest.raises(TokenUnavailable, match="not connected"):
        _sign(TokenKey(token.module, "khong-co-token", token.key_label), USER_PIN)
    with pytest.raises(TokenUnavailable, match="cannot sign"):
        _sign(TokenKey(token.module, token.label, "khoa-khac"), USER_PIN)
    with pytest.raises(TokenUnavailable, match="not connected"):
        _sign(TokenKey("/nonexistent/libpkcs11.so", token.label, token.key_label), USER_PIN)


def test_a_token_choice_refuses_what_a_token_cannot_hold(token: Token, ca: Path) -> None:
    cert, chain = token.certificate_pem, token.chain_pem
    for token_label, key_label, certificate in (
        ("", "k", cert),
        ("t" * 33, "k", cert),
        ("t", "", cert),
        ("t", "k", b"not a certificate"),
        ("t", "k", chain),  # the CA's certificate does not allow non-repudiation
    ):
        with pytest.raises(Invalid):
            choice.token_credential(token_label, key_label, certificate, chain)
    made = choice.token_credential("t", "k", cert, chain)
    assert made.source == "pkcs11" and made.certificate_pem == cert
