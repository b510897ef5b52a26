"""Who signs minutes and with which key: one ``Signer`` interface over the kinds of key an
administrator chooses per user (docs/signing.md).

    signers.py  the kinds (development CA and PKCS#12: a key the server holds; PKCS#11: a
                key on a token or HSM the server opens with the signer's PIN), used in the
                minutes worker
    choice.py   which signer a user has (the user's ``signing_credentials`` row), and the
                administrator's choice of it
    reauth.py   every signature asks again: the password (throttled like sign-in) or the
                token PIN (three wrong PINs pause the token before the token itself locks)
"""
