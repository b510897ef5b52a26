"""Sealed secret ballots (ecabinet/meetings/sealing.py): poll keys wrapped under a key
derived from the server's secret, ballots sealed to one length whatever the choice."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

import voting
from ecabinet.meetings import sealing
from ecabinet.meetings.sealing import BallotKeyError, BallotKeys
from voting._payload import OPTIONS_MAX  # the largest ballot an options poll allows

SECRET = "s" * 48
OTHER_SECRET = "t" * 48
RECEIPT = "0123456789abcdef"  # what the server hands out: 64 random bits as hex
CHOICES: list[voting.Choice] = [
    "yes",
    "no",
    "abstain",
    (),
    (3,),
    (0, 11),
    tuple(range(OPTIONS_MAX)),
    (2,) * OPTIONS_MAX,  # a confidence ballot: 50 persons, each rated "low"
]


def test_a_sealed_ballot_opens_to_its_choice_and_receipt() -> None:
    poll_key, _wrapped = BallotKeys(SECRET).new_poll_key(7, 2)
    for choice in CHOICES:
        opened = poll_key.open(poll_key.seal(choice, RECEIPT))
        assert opened == voting.SealedBallot(2, choice, RECEIPT)


def test_every_sealed_ballot_has_the_same_length_whatever_the_choice() -> None:
    poll_key, _wrapped = BallotKeys(SECRET).new_poll_key(7, 2)
    longest_receipt = "r" * sealing.RECEIPT_MAX_CHARS
    lengths = {len(poll_key.seal(c, r)) for c in CHOICES for r in (RECEIPT, longest_receipt)}
    assert lengths == {2 * sealing.SEALED_BALLOT_BYTES}  # hex


def test_sealing_the_same_ballot_twice_gives_different_bytes() -> None:
    poll_key, _wrapped = BallotKeys(SECRET).new_poll_key(7, 2)
    assert poll_key.seal("yes", RECEIPT) != poll_key.seal("yes", RECEIPT)


def test_another_worker_with_the_same_secret_unwraps_the_poll_key() -> None:
    poll_key, wrapped = BallotKeys(SECRET).new_poll_key(7, 2)
    sealed = poll_key.seal((3,), RECEIPT)
    other_worker = BallotKeys(SECRET).unwrap(wrapped, 7, 2)
    assert other_worker.open(sealed) == voting.SealedBallot(2, (3,), RECEIPT)
    assert len(bytes.fromhex(wrapped)) == sealing.WRAPPED_KEY_BYTES


def test_a_poll_key_does_not_unwrap_under_another_secret() -> None:
    _poll_key, wrapped = BallotKeys(SECRET).new_poll_key(7, 2)
    with pytest.raises(BallotKeyError):
        BallotKeys(OTHER_SECRET).unwrap(wrapped, 7, 2)


def test_a_poll_key_does_not_unwrap_as_another_polls_key() -> None:
    _poll_key, wrapped = BallotKeys(SECRET).new_poll_key(7, 2)
    for meeting_id, poll_id in ((7, 3), (8, 2)):
        with pytest.raises(BallotKeyError):
            BallotKeys(SECRET).unwrap(wrapped, meeting_id, poll_id)


def test_a_ballot_does_not_open_with_another_polls_key_or_when_altered() -> None:
    keys = BallotKeys(SECRET)
    poll_key, _ = keys.new_poll_key(7, 2)
    other_key, _ = keys.new_poll_key(7, 3)
    sealed = poll_key.seal("no", RECEIPT)
    with pytest.raises(BallotKeyError):
        other_key.open(sealed)
    flipped = sealed[:40] + ("0" if sealed[40] != "0" else "1") + sealed[41:]
    with pytest.raises(BallotKeyError):
        poll_key.open(flipped)


def test_the_wrapping_key_is_derived_from_the_secret_alone() -> None:
    assert sealing.wrapping_key(SECRET) == sealing.wrapping_key(SECRET)
    assert sealing.wrapping_key(SECRET) != sealing.wrapping_key(OTHER_SECRET)
    assert len(sealing.wrapping_key(SECRET)) == sealing.KEY_BYTES
    # Its own HKDF info: not the key that seals signing keys (ecabinet/minutes/keys.py).
    signing = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"ecabinet", info=b"signing keys v1"
    ).derive(SECRET.encode())
    assert sealing.wrapping_key(SECRET) != signing


def test_a_receipt_outside_the_sealed_size_is_refused() -> None:
    poll_key, _ = BallotKeys(SECRET).new_poll_key(7, 2)
    for receipt in ("", "r" * (sealing.RECEIPT_MAX_CHARS + 1)):
        with pytest.raises(ValueError):
            poll_key.seal("yes", receipt)
