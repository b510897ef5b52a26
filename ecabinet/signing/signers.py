"""The kinds of signer behind one interface: ``Signer.signing(pin)`` opens the key for one
signature and yields a pyHanko signer; it is closed again when the signature is made.

- ``HeldKey`` (``dev-ca``, ``pkcs12``): a key the server holds (sealed at rest, keys.py),
  opened without a PIN; the person re-authenticates with their password (reauth.py).
- ``TokenKey`` (``pkcs11``): a key on a PKCS#11 token or HSM, through pyHanko's PKCS#11
  support (python-pkcs11). The PIN is given by the person signing and only passed to the
  token: it is never stored. The module path is the installation's
  (``ECABINET_PKCS11_MODULE``), the token and key labels are the user's.

Runs in the minutes worker (the objects are plain, picklable data). The errors raised here
are ours and keep only a message, so they cross the process boundary unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, Protocol

from ecabinet.errors import Conflict, InvalidCredentials

HELD_KINDS = ("dev-ca", "pkcs12")
TOKEN_KIND = "pkcs11"
KINDS = (*HELD_KINDS, TOKEN_KIND)


class WrongPin(InvalidCredentials):
    """The token refused the PIN (``invalid-credentials``); counted by reauth.py."""


class TokenUnavailable(Conflict):
    """The token is not connected, was removed mid-signature, or lacks the key (``conflict``)."""


class Signer(Protocol):
    @property
    def kind(self) -> str:
        """One of ``KINDS``."""
        ...

    @property
    def needs_pin(self) -> bool:
        """True: the token PIN is the re-authentication; False: the password is."""
        ...

    def signing(self, pin: str | None) -> Any:
        """A context manager yielding a ``pyhanko.sign.signers.Signer`` for one signature."""
        ...


@dataclass(frozen=True)
class HeldKey:
    certificate_pem: bytes
    chain_pem: bytes
    key_pem: bytes  # PKCS#8 PEM, unsealed only for the signature
    kind: str = "dev-ca"
    needs_pin: bool = False

    @contextmanager
    def signing(self, pin: str | None) -> Iterator[Any]:
        from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        (certificate,) = load_certs_from_pemder_data(self.certificate_pem)
        chain = list(load_certs_from_pemder_data(self.chain_pem)) if self.chain_pem else []
        yield signers.SimpleSigner(
            signing_cert=certificate,
            signing_key=load_private_key_from_pemder_data(self.key_pem, passphrase=None),
            cert_registry=SimpleCertificateStore.from_certs(chain),  # type: ignore[no-untyped-call]
        )


@dataclass(frozen=True)
class TokenKey:
    module: str  # path of the PKCS#11 module (e.g. SoftHSM2's libsofthsm2.so)
    token_label: str
    key_label: str  # the private key's and its certificate's label on the token
    chain_pem: bytes = b""  # the issuers, embedded with the signature
    kind: str = TOKEN_KIND
    needs_pin: bool = True

    @contextmanager
    def signing(self, pin: str | None) -> Iterator[Any]:
        from pkcs11 import exceptions as p11
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.keys import load_certs_from_pemder_data
        from pyhanko.sign.general import SigningError
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        if not pin:
            raise WrongPin("the token PIN is needed for each signature")
        try:
            session = open_pkcs11_session(
                self.module, token_criteria=TokenCriteria(label=self.token_label), user_pin=pin
            )
        except (p11.PinIncorrect, p11.PinLenRange) as exc:
            raise WrongPin("wrong token PIN") from exc
        except p11.PinLocked as exc:
            raise Conflict(
                "the token is locked; its PIN must be unblocked by the token's administrator"
            ) from exc
        except (p11.PKCS11Error, OSError) as exc:  # no such token, removed, module missing
            raise TokenUnavailable(
                f"the signing token {self.token_label!r} is not connected"
            ) from exc
        try:
            chain = list(load_certs_from_pemder_data(self.chain_pem)) if self.chain_pem else []
            # The raw mechanisms (CKM_ECDSA, CKM_RSA_PKCS over a hash made here) are the
            # ones every token has; SoftHSM2, for one, has no CKM_ECDSA_SHA256.
            yield PKCS11Signer(
                session,
                key_label=self.key_label,
                ca_chain=chain,
                other_certs_to_pull=None,
                use_raw_mechanism=True,
            )
        except (p11.DeviceRemoved, p11.TokenNotPresent, p11.SessionClosed) as exc:
            raise TokenUnavailable("the signing token was removed during the signature") from exc
        except (p11.PKCS11Error, SigningError) as exc:  # e.g. no key of that label on it
            why = str(exc) or type(exc).__name__
            raise TokenUnavailable(f"the signing token cannot sign: {why}") from exc
        finally:
            with suppress(p11.PKCS11Error):  # a removed token's session is gone already
                session.close()
