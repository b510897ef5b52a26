"""On a fresh machine: `ecabinet init`, `demo --simulate`, `minutes export`, `minutes verify`
— and poppler's pdfsig agrees."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.server import run_cli, server_env
from tests.unit.test_minutes_render import replace_record


def test_simulated_meeting_exports_minutes_that_verify_and_pdfsig_accept(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = server_env(data, f"sqlite+aiosqlite:///{data / 'ecabinet.db'}")
    initialized = run_cli(env, "init")
    assert initialized.returncode == 0 and "development CA created" in initialized.stdout
    simulated = run_cli(env, "demo", "--password", "mật-khẩu-demo", "--simulate")
    assert simulated.returncode == 0, simulated.stdout + simulated.stderr
    meeting = re.search(r"Simulated meeting (\d+): minutes version 1", simulated.stdout)
    assert meeting, simulated.stdout
    # The simulation signs heads as a server does (start, every 50 events, end, minutes).
    audited = run_cli(env, "audit", "verify", meeting.group(1))
    assert audited.returncode == 0, audited.stdout + audited.stderr
    assert re.search(r"\b[1-9]\d* signed checkpoints match the log", audited.stdout)
    out = tmp_path / "m.pdf"
    exported = run_cli(env, "minutes", "export", meeting.group(1), "--out", str(out))
    assert exported.returncode == 0 and "(final)" in exported.stdout, exported.stderr

    checked = run_cli(env, "minutes", "verify", str(out))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "VALID (final)" in checked.stdout and "log: matches" in checked.stdout
    assert "Trần Thị Thu Hằng" in checked.stdout and "Nguyễn Văn Hùng" in checked.stdout
    offline = run_cli(env, "minutes", "verify", "--offline", str(out))
    assert offline.returncode == 0 and "log: not checked" in offline.stdout

    # Another installation without this CA does not trust the signatures.
    stranger = server_env(tmp_path / "other", f"sqlite+aiosqlite:///{tmp_path / 'other.db'}")
    assert run_cli(stranger, "minutes", "verify", "--offline", str(out)).returncode == 1
    ca = data / "ca" / "ca.pem"
    trusted = run_cli(stranger, "minutes", "verify", "--offline", "--trust", str(ca), str(out))
    assert trusted.returncode == 0

    if shutil.which("pdfsig") and shutil.which("certutil"):
        nss = tmp_path / "nss"
        nss.mkdir()
        subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
        subprocess.run(
            ["certutil", "-A", "-n", "ecabinet", "-t", "CT,C,C", "-i", str(ca), "-d", f"sql:{nss}"],
            check=True,
        )
        report = subprocess.run(
            ["pdfsig", "-nssdir", f"sql:{nss}", str(out)], capture_output=True, text=True
        ).stdout
        assert report.count("Signature is Valid") == 2, report
        assert report.count("Certificate is Trusted") == 2, report
    else:  # make test installs poppler-utils and libnss3-tools
        pytest.fail("pdfsig and certutil are needed (make test installs them)")

    signed = out.read_bytes()
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(replace_record(signed, "Thu Hằng".encode(), "Thu Hàng".encode()))
    refused = run_cli(env, "minutes", "verify", str(tampered))
    assert refused.returncode == 1 and "INVALID" in refused.stdout, refused.stdout

    broken = bytearray(signed)
    broken[len(broken) // 2] ^= 0x20
    out.write_bytes(bytes(broken))
    assert run_cli(env, "minutes", "verify", str(out)).returncode == 1
