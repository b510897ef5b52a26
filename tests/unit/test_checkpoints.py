"""Checkpoints without a server: when a head is due, the signature, the file, the check."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ecabinet.checkpoints import audit, journal, signing
from ecabinet.checkpoints.anchor import CHECKPOINT_EVERY_EVENTS, Anchor, due
from ecabinet.events import Event

SIGNER = signing.CheckpointSigner("a-test-secret-of-enough-characters-0123456789")
H = {seq: f"{seq:064x}" for seq in range(1, 200)}  # stand-ins for the log's hashes
AT = "2026-12-04T08:00:00.000Z"


def _event(seq: int, type_: str = "attendance.checked_in") -> Event:
    return Event(7, seq, type_, 1, AT, {}, H[seq])


@pytest.mark.parametrize(
    ("seqs", "type_", "expected"),
    [
        ([49], "attendance.checked_in", False),
        ([50], "attendance.checked_in", True),
        ([48, 49, 51], "attendance.checked_in", False),
        ([49, 50, 51], "attendance.checked_in", True),  # a batch that passes 50
        ([100], "attendance.checked_in", True),
        ([3], "meeting.started", True),
        ([9], "meeting.ended", True),
        ([12], "minutes.generated", True),
        ([13], "minutes.signed", False),
        ([], "meeting.started", False),
    ],
)
def test_a_head_is_due_at_start_end_minutes_and_every_50_events(
    seqs: list[int], type_: str, expected: bool
) -> None:
    assert CHECKPOINT_EVERY_EVENTS == 50
    assert due([_event(s, type_) for s in seqs]) is expected


def test_the_key_is_the_secrets_and_any_changed_field_breaks_the_signature() -> None:
    checkpoint = SIGNER.sign(7, 50, H[50], AT)
    same = signing.CheckpointSigner("a-test-secret-of-enough-characters-0123456789")
    other = signing.CheckpointSigner("another-secret-of-enough-characters-0123456789")
    assert signing.public_key_text(same.public_key) == signing.public_key_text(SIGNER.public_key)
    assert signing.verify(SIGNER.public_key, checkpoint)
    assert not signing.verify(other.public_key, checkpoint)
    for changed in ({"meeting_id": 8}, {"seq": 51}, {"hash": H[51]}, {"at": AT[:-2] + "1Z"}):
        forged = signing.Checkpoint.from_wire({**checkpoint.to_wire(), **changed})
        assert not signing.verify(SIGNER.public_key, forged), changed
    assert not signing.verify(
        SIGNER.public_key, signing.Checkpoint(7, 50, H[50], AT, "not base64!")
    )
    key = signing.load_public_key(signing.public_key_text(SIGNER.public_key))
    assert signing.verify(key, checkpoint)


def test_the_signed_message_is_a_plain_json_array_a_tablet_rebuilds() -> None:
    assert signing.message(7, 50, H[50], AT) == (
        f'["ecabinet-checkpoint-v1",7,50,"{H[50]}","{AT}"]'.encode("ascii")
    )


def test_the_file_appends_whole_lines_and_reads_back_damage_by_line_number(
    tmp_path: Path,
) -> None:
    first, second = SIGNER.sign(7, 1, H[1], AT), SIGNER.sign(7, 50, H[50], AT)
    journal.append(tmp_path, first)
    journal.append(tmp_path, second)
    assert journal.latest(tmp_path, 7) == second
    with journal.path_for(tmp_path, 7).open("ab") as file:
        file.write(b'{"meeting_id": 7, "seq"')  # a torn line, no newline yet
    assert journal.latest(tmp_path, 7) == second
    lines = journal.read(tmp_path, 7)
    assert [line.checkpoint for line in lines[:2]] == [first, second]
    assert lines[2].number == 3 and lines[2].checkpoint is None
    assert journal.read(tmp_path, 8) == [] and journal.latest(tmp_path, 8) is None


def _lines(*checkpoints: signing.Checkpoint) -> list[journal.Line]:
    return [journal.Line(n, c) for n, c in enumerate(checkpoints, start=1)]


def test_the_check_names_the_first_contradicted_checkpoint_in_seq_order() -> None:
    lines = _lines(SIGNER.sign(7, 1, H[1], AT), SIGNER.sign(7, 50, H[50], AT))
    key = SIGNER.public_key
    assert audit.check(7, lines, {1: H[1], 50: H[50]}, 60, key).ok
    rewritten = audit.check(7, lines, {1: H[1], 50: H[51]}, 60, key)
    assert rewritten.first_bad == audit.Finding(
        2, 50, "the log's hash at seq 50 is not the signed one"
    )
    assert rewritten.verified == 1 and rewritten.latest_seq == 1
    both = audit.check(7, lines, {1: H[2], 50: H[51]}, 60, key)
    assert both.first_bad is not None and both.first_bad.seq == 1
    truncated = audit.check(7, lines, {1: H[1]}, 40, key)
    assert truncated.first_bad == audit.Finding(
        2, 50, "the log ends at seq 40, before the signed head"
    )
    foreign = audit.check(8, lines[:1], {1: H[1]}, 60, key)
    assert foreign.first_bad is not None and "of meeting 7" in foreign.first_bad.reason
    stolen = SIGNER.sign(7, 50, H[50], AT).signature  # a real signature, of another head
    forged = _lines(signing.Checkpoint(7, 1, H[1], AT, stolen))
    assert audit.check(7, forged, {1: H[1]}, 60, key).first_bad == audit.Finding(
        1, 1, "the signature does not verify with the checkpoint key"
    )
    garbage = [*lines, journal.Line(3, None, "not a checkpoint: x")]
    assert audit.check(7, garbage, {1: H[1], 50: H[50]}, 60, key).first_bad == audit.Finding(
        3, None, "not a checkpoint: x"
    )


def test_a_line_with_extra_or_missing_fields_is_not_a_checkpoint() -> None:
    wire = SIGNER.sign(7, 1, H[1], AT).to_wire()
    for bad in ({**wire, "extra": 1}, {k: v for k, v in wire.items() if k != "at"},
                {**wire, "seq": "1"}, {**wire, "hash": "ABC"}, {**wire, "seq": True}):  # fmt: skip
        with pytest.raises(ValueError):
            signing.Checkpoint.from_wire(json.loads(json.dumps(bad)))


@pytest.mark.asyncio
async def test_a_checkpoint_that_cannot_be_written_is_logged_and_the_command_stands(
    tmp_path: Path,
) -> None:
    sent: list[dict[str, Any]] = []

    async def send(_meeting_id: int, checkpoint: dict[str, Any]) -> None:
        sent.append(checkpoint)

    clock = lambda: datetime(2026, 12, 4, 8, tzinfo=UTC)  # noqa: E731
    (tmp_path / "blocked").write_text("a file where the data directory should be")
    broken = Anchor(tmp_path / "blocked", SIGNER, clock, send)
    await broken.after_commit(7, [_event(1, "meeting.started")])  # does not raise
    assert sent == [] and broken.latest(7) is None
    working = Anchor(tmp_path, SIGNER, clock, send)
    await working.after_commit(7, [_event(2)])  # not due: nothing signed
    await working.after_commit(7, [_event(49), _event(50), _event(51)])
    assert [c["seq"] for c in sent] == [51] and working.latest(7) == SIGNER.sign(7, 51, H[51], AT)
