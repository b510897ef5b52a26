"""docs/verify.md, run as written on minutes a real server signed: pdfsig trusts both
signatures, pdfdetach gives the record, and the page's script — json, hashlib and rfc8785
only — finds the log intact up to the head printed in the minutes, also when the record is
re-serialized as a browser would write it, and says INVALID when one event's data changed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from harness.client import api, login
from harness.server import DEMO_PASSWORD
from tests import pdfs
from tests.integration.conftest import Running
from tests.integration.test_documents import upload
from tests.integration.test_hash_rule import js_parse
from tests.integration.test_minutes import _ok, _play

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

VERIFY_DOC = Path(__file__).resolve().parents[2] / "docs" / "verify.md"
SCRIPT_MARKER = "<!-- verify-record-script -->"
PRIVATE_NOTE = "Ghi chú riêng của tôi"


def _blocks(language: str) -> list[str]:
    text = VERIFY_DOC.read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def _script() -> str:
    text = VERIFY_DOC.read_text(encoding="utf-8")
    block = re.search(re.escape(SCRIPT_MARKER) + r"\n```python\n(.*?)```", text, re.DOTALL)
    assert block, "docs/verify.md lost its script"
    return block.group(1)


def _sh(script: str, cwd: Path) -> str:
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=cwd, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


async def _signed_minutes(running: Running, meeting: int) -> bytes:
    """The meeting of test_minutes, with marks made after it ended (annotations may be):
    a shared ink stroke of whole-number floats and a private note, then final minutes."""
    token = await login(running.url, "clerk")
    doc = (await upload(running.url, token, meeting, pdfs.pages(2))).json()["document"]
    clients = await _play(running.url, meeting)
    try:
        member = clients["member1"]
        stroke = [[120.0, 2.0, 0.5], [130.0, 4.5, 1.0]]
        await _ok(member, "annotation.create", {"document_id": doc["id"], "page": 1,
                  "kind": "ink", "points": stroke, "width": 2.0, "shared": True})  # fmt: skip
        await _ok(member, "annotation.create", {"document_id": doc["id"], "page": 2,
                  "kind": "note", "text": PRIVATE_NOTE, "anchor": [100.0, 700.0]})  # fmt: skip
    finally:
        for client in clients.values():
            await client.close()
    base = f"/api/meetings/{meeting}/minutes"
    for name, request in (
        ("clerk", base),
        ("clerk", f"{base}/1/sign"),
        ("chair", f"{base}/1/sign"),
    ):
        async with api(running.url, await login(running.url, name)) as http:
            body = {"layout": "state"} if request == base else {"secret": DEMO_PASSWORD}
            answer = await http.post(request, json=body)
            assert answer.status_code in (200, 201), answer.text
    async with api(running.url, await login(running.url, "member3")) as http:
        final = await http.get(f"{base}/1/file")
        assert final.status_code == 200
        return final.content


def _printed_head(pdf: Path) -> tuple[int, str]:
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    found = re.search(r"sự kiện số (\d+), mã băm SHA-256 ([0-9a-f\s]+?);", " ".join(text.split()))
    assert found, "the minutes print their head"
    digest = "".join(found.group(2).split())
    assert len(digest) == 64
    return int(found.group(1)), digest


def _run_script(cwd: Path, record: str, seq: int, digest: str) -> subprocess.CompletedProcess[str]:
    command = f"{sys.executable} verify_record.py {record} {seq} {digest}"
    return subprocess.run(command.split(), cwd=cwd, capture_output=True, text=True)


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdfsig", "pdfdetach", "certutil")),
    reason="make test installs poppler-utils and libnss3-tools",
)
async def test_the_steps_of_docs_verify_md_accept_signed_minutes_and_catch_a_changed_event(
    running: Running, meeting: int, tmp_path: Path
) -> None:
    (tmp_path / "minutes.pdf").write_bytes(await _signed_minutes(running, meeting))
    shutil.copy(
        Path(running.env["ECABINET_DATA_DIR"]) / "ca" / "ca.pem", tmp_path / "committee-ca.pem"
    )
    signatures, attachment, run = _blocks("sh")

    report = _sh(signatures, tmp_path)
    assert report.count("Signature is Valid.") == 2, report
    assert report.count("Certificate is Trusted.") == 2, report
    assert "Total document signed" in report.split("Signature #")[-1], report
    _sh(attachment, tmp_path)
    record: dict[str, Any] = json.loads((tmp_path / "minutes-record.json").read_bytes())
    assert record["audit"]["hash_rule"] == 2
    assert PRIVATE_NOTE not in json.dumps(record, ensure_ascii=False)  # redacted

    (tmp_path / "verify_record.py").write_text(_script(), encoding="utf-8")
    seq, digest = _printed_head(tmp_path / "minutes.pdf")
    as_written = run.strip().replace("SEQ", str(seq)).replace("HASH", digest)
    valid = _sh(as_written.replace("python3", sys.executable, 1), tmp_path)
    assert valid.startswith(f"valid: {seq} events up to {digest} (1 private"), valid

    # A browser's JSON.parse and JSON.stringify write 120.0 as 120: rule 2 hashes the same.
    reparsed = js_parse((tmp_path / "minutes-record.json").read_text(encoding="utf-8"))
    (tmp_path / "reparsed.json").write_text(json.dumps(reparsed), encoding="utf-8")
    assert "120.0" not in (tmp_path / "reparsed.json").read_text()
    assert _run_script(tmp_path, "reparsed.json", seq, digest).returncode == 0

    # One event's data changed: the stroke moved by one point, or a note reworded.
    events = record["audit"]["events"]
    stroke = next(e for e in events if e["type"] == "annotation.created")
    note = next(e for e in events if e["type"] == "minutes.note_set")
    for event, change in ((stroke, {"width": 3.0}), (note, {"text": "Đồng chí Đức vắng mặt."})):
        original = dict(event["data"])
        event["data"].update(change)
        (tmp_path / "changed.json").write_text(json.dumps(record), encoding="utf-8")
        event["data"] = original
        refused = _run_script(tmp_path, "changed.json", seq, digest)
        assert refused.returncode == 1, refused.stdout
        assert f"INVALID: event {event['seq']} does not match its hash" in refused.stderr
    # And the record checked against another head than the printed one.
    other = _run_script(tmp_path, "minutes-record.json", seq, "f" * 64)
    assert other.returncode == 1 and "INVALID" in other.stderr
