"""The public API is ``voting.__all__``; the package imports the standard library only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import voting

PACKAGE = Path(voting.__file__).parent


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
    }
    assert documented == voting.ERROR_CODES
