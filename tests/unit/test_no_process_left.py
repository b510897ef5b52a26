"""The test session's own promise (tests/conftest.py): a process that outlives the run
fails it, is named, and is killed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness import processes

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[2]
ORPHAN_SECS = 120  # far longer than the session's grace: it must be killed, not wait it out

# A test that leaves an orphan behind, as a server killed without its workers would.
SPAWN_AND_LEAVE = (
    f"import subprocess; p = subprocess.Popen(['sleep', '{ORPHAN_SECS}'],"
    " stdout=subprocess.DEVNULL); print(p.pid)"
)
LEAVES_AN_ORPHAN = f"""
import subprocess, sys

def test_leaves_an_orphan():
    middle = subprocess.Popen([sys.executable, "-c", {SPAWN_AND_LEAVE!r}],
        stdout=subprocess.PIPE, text=True)
    out, _ = middle.communicate()
    open("orphan.pid", "w").write(out.strip())
"""


def test_a_process_left_behind_fails_the_session_and_is_killed(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest((REPO / "tests" / "conftest.py").read_text())
    pytester.makepyfile(test_orphan=LEAVES_AN_ORPHAN)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist")
    orphan = int((pytester.path / "orphan.pid").read_text())
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stderr.fnmatch_lines(["*processes outlived the test run*", f"*{orphan}*sleep*"])
    assert not processes.wait_until_gone({orphan}, 5.0), "the orphan was not killed"


def test_a_clean_session_passes(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makeconftest((REPO / "tests" / "conftest.py").read_text())
    pytester.makepyfile(test_clean="def test_nothing_left():\n    assert 1 + 1 == 2\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist")
    assert result.ret == pytest.ExitCode.OK
    assert "outlived" not in result.stderr.str()
