"""docs/protocol.md and the code name the same commands, events and error codes."""

from __future__ import annotations

import re
from pathlib import Path

from ecabinet.errors import ERROR_CODES
from ecabinet.meetings import planning
from ecabinet.meetings.commands import COMMANDS

PROTOCOL = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(
    encoding="utf-8"
)


def _section(title: str, until: str | None = None) -> str:
    """From the heading ``## title`` to the next ``##`` heading (or to ``## until``)."""
    start = PROTOCOL.index(f"\n## {title}\n")
    end = PROTOCOL.index(f"\n## {until}\n") if until else PROTOCOL.find("\n## ", start + 1)
    return PROTOCOL[start : end if end > 0 else None]


def _commands_text() -> str:
    return _section("Commands", until="Server → client events")


def test_every_command_is_documented_and_every_documented_command_exists() -> None:
    documented = set(re.findall(r"^### `([a-z_.]+)`$", _commands_text(), re.MULTILINE))
    assert documented == set(COMMANDS)


def test_documented_roles_match_the_command_table() -> None:
    for type_, spec in COMMANDS.items():
        block = _commands_text().split(f"### `{type_}`", 1)[1].split("\n### ", 1)[0]
        roles_line = next(line for line in block.splitlines() if line.startswith("- Roles:"))
        roles = set(re.findall(r"chair|clerk|member|observer", roles_line.split(".")[0]))
        assert roles == {r.value for r in spec.roles}, type_


def test_every_emitted_event_type_is_in_the_event_table() -> None:
    table = set(
        re.findall(r"^\| `([a-z_.]+)` \|", _section("Server → client events"), re.MULTILINE)
    )
    emitted = {e for spec in COMMANDS.values() for e in spec.emits}
    # "redacted" stands in for another person's private event; no command emits it. The
    # back office writes its own events (meetings/planning.py).
    assert table == emitted | {"redacted"} | planning.EVENT_TYPES


def test_the_error_code_table_is_the_closed_set() -> None:
    table = set(re.findall(r"^\| `([a-z-]+)` \|", _section("Error codes"), re.MULTILINE))
    assert table == ERROR_CODES
