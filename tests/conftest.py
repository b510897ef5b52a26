"""Markers by folder, and the session's promise to leave no process behind.

Markers (``pytest -m …`` runs any part alone): ``e2e`` (tests/e2e, Chromium), ``faults``
(tests/faults: servers killed, networks cut, Redis down), ``postgres`` and ``redis`` (set
where a test needs the service), ``slow`` (the longest tests, which ``make test-fast``
leaves to the full run).

No process outlives the test run: the main pytest process adopts the orphans of its
descendants (a server killed by a fault test leaves its workers to it, not to init), and
at the end of the session every process still below it is a failure, listed by command
line, and killed.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from pathlib import Path

import pytest

from harness import processes

TESTS_DIR = Path(__file__).resolve().parent
MARKER_OF_FOLDER = {"e2e": "e2e", "faults": "faults"}
# Longer than any orphan may live (ecabinet/lifeline.py: 10 s after its server was killed).
LEFTOVER_GRACE_SECS = 12.0
# The longest unit and integration tests (30–130 s each on a busy 2-core machine, from
# `pytest --durations`): a whole simulated meeting signed twice, a fresh install, random
# voting sessions, a killed server's durability. `make test` runs them; test-fast does not.
SLOW_TESTS: frozenset[str] = frozenset(
    {
        "tests/integration/test_minutes_cli.py::"
        "test_simulated_meeting_exports_minutes_that_verify_and_pdfsig_accept",
        "tests/integration/test_cli.py::test_init_demo_user_and_audit_on_a_fresh_machine",
        "tests/integration/test_voting_stateful.py::"
        "test_random_voting_sessions_keep_every_acknowledged_vote",
        "tests/integration/test_log.py::"
        "test_an_acknowledged_command_survives_a_killed_embedded_server",
    }
)


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    if not _is_xdist_worker(config):
        config.stash[_SUBREAPER] = processes.become_subreaper()


_SUBREAPER = pytest.StashKey[bool]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = Path(item.path).relative_to(TESTS_DIR).parts[0]
        marker = MARKER_OF_FOLDER.get(folder)
        if marker is not None:
            item.add_marker(marker)
        if item.nodeid.split("[")[0] in SLOW_TESTS:
            item.add_marker("slow")


@pytest.hookimpl(wrapper=True)
def pytest_sessionfinish(session: pytest.Session) -> Generator[None]:
    # After every other plugin's sessionfinish (xdist ends its workers there).
    result = yield
    config = session.config
    if _is_xdist_worker(config) or not config.stash.get(_SUBREAPER, False):
        return result
    left = processes.wait_until_gone(processes.descendants_of_me(), LEFTOVER_GRACE_SECS)
    if left:
        lines = [f"  {pid}: {processes.command_line(pid)}" for pid in sorted(left)]
        print(
            "\nFAILED: processes outlived the test run (killed now):\n" + "\n".join(lines),
            file=sys.stderr,
        )
        processes.kill_all(left)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    return result
