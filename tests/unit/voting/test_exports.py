"""The public API is ``voting.__all__``; the package imports the standard library only."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import voting

PACKAGE = Path(voting.__file__).parent
DOCS = (PACKAGE.parent / "docs" / "voting.md").read_text(encoding="utf-8")


def test_every_public_name_is_exported_and_exists() -> None:
    public = {name for name in vars(voting) if not name.startswith("_")}
    assert set(voting.__all__) == public
    assert all(getattr(voting, name) is not None for name in voting.__all__)


def test_the_voting_package_imports_only_the_standard_library_and_itself() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            for root in roots:
                assert root == "voting" or root in sys.stdlib_module_names, (path.name, root)


def test_error_codes_are_the_documented_closed_set() -> None:
    documented = {
        "invalid",
        "not-found",
        "conflict",
        "not-allowed",
        "double-vote",
        "poll-closed",
        "not-eligible",
        "no-quorum",
        "paper-ballot",
        "paper-tally-missing",
        "too-many-kept",
    }
    assert documented == voting.ERROR_CODES
    table = re.findall(r"^\| `([a-z-]+)` \|", DOCS.split("## Error codes")[1], re.MULTILINE)
    assert set(table) == voting.ERROR_CODES


def test_every_command_and_event_is_documented_with_its_roles() -> None:
    for command, info in voting.COMMANDS.items():
        row = re.search(rf"^\| `{re.escape(command)}` \| ([a-z, ]+) \|", DOCS, re.MULTILINE)
        assert row is not None, command
        assert set(row.group(1).split(", ")) == info.roles, command
    for event in voting.EVENT_TYPES:
        assert re.search(rf"^\| `{re.escape(event)}` \|", DOCS, re.MULTILINE), event
