"""A SoftHSM2 token for the PKCS#11 signing tests: its own token directory and config (so
no system token is touched), an ECDSA P-256 key generated on the token (it never leaves
it) and a certificate for that key from an installation's development CA, stored on the
token under the key's label, as a token from a CA arrives."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ecabinet.minutes import keys

SOFTHSM_MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
)
USER_PIN = "246810"
TOKEN_LABEL = "ecabinet-test"
SO_PIN = "13579135"


@dataclass(frozen=True)
class Token:
    module: str
    conf: Path  # SOFTHSM2_CONF for every process that opens the token
    label: str
    key_label: str
    certificate_pem: bytes
    chain_pem: bytes


def softhsm_module() -> str | None:
    if shutil.which("softhsm2-util") is None:
        return None
    return next((m for m in SOFTHSM_MODULES if Path(m).exists()), None)


def make_token(
    folder: Path,
    module: str,
    data_dir: Path,
    secret_key: str,
    display_name: str,
    username: str,
    key_label: str = "ky-so",
) -> Token:
    """Put a new key and its development-CA certificate (of ``data_dir``'s CA) on this
    process's token (``process_folder``: call it first, before anything loads the module)."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
    from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

    conf, label = folder / "softhsm2.conf", TOKEN_LABEL
    token = pkcs11.lib(module).get_token(token_label=label)
    with token.open(rw=True, user_pin=USER_PIN) as session:
        params = session.create_domain_parameters(
            KeyType.EC,
            {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")},
            local=True,
        )
        key_id = key_label.encode()
        public, _private = params.generate_keypair(store=True, label=key_label, id=key_id)
        spki = serialization.load_der_public_key(encode_ec_public_key(public))
        cert_pem, ca_pem = keys.certify(data_dir, secret_key, display_name, username, spki)  # type: ignore[arg-type]
        cert = x509.load_pem_x509_certificate(cert_pem)
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: key_label,
                Attribute.ID: key_id,
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )
    return Token(module, conf, label, key_label, cert_pem, ca_pem)


_PROCESS_FOLDER: list[Path] = []


def process_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SoftHSM2 token directory of this test process, with its one token
    (``TOKEN_LABEL``) initialised. The module reads ``SOFTHSM2_CONF`` and lists the tokens
    once, when this process first loads it, so every test module of the process shares this
    token (keys differ by label); a server started later with the same ``SOFTHSM2_CONF``
    sees the token and every key put on it before."""
    if not _PROCESS_FOLDER:
        folder = tmp_path_factory.mktemp("softhsm")
        conf = conf_for(folder)
        os.environ["SOFTHSM2_CONF"] = str(conf)
        init = ["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL]
        subprocess.run(
            [*init, "--pin", USER_PIN, "--so-pin", SO_PIN],
            env={"SOFTHSM2_CONF": str(conf), "PATH": "/usr/bin:/bin"},
            check=True,
            capture_output=True,
        )
        _PROCESS_FOLDER.append(folder)
    return _PROCESS_FOLDER[0]


def conf_for(folder: Path) -> Path:
    tokens = folder / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    return conf
