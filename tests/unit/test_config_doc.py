"""README.md's configuration table and ecabinet/config.py name the same settings.

The settings are found in config.py's source, not by running it: inside ``load_settings``
every call of a plain function whose first argument is a setting's name (``get("ENV")``,
``limit("COMMANDS_PER_SEC", …)``, ``_positive_int(get("UPLOAD_MAX_BYTES"), …)``), and
anywhere in the module a ``….get("ECABINET_…")`` or ``getenv("ECABINET_…")``.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

from ecabinet import config

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "ecabinet" / "config.py"
README = (ROOT / "README.md").read_text(encoding="utf-8")

SETTING_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
FULL_NAME = re.compile(r"ECABINET_[A-Z0-9_]+")
TABLE_ROW = re.compile(r"^\| `(ECABINET_[A-Z0-9_]+)` \| ([^|]*) \|", re.MULTILINE)


def _first_string_argument(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant):
        value = call.args[0].value
        if isinstance(value, str):
            return value
    return None


def _settings_read() -> set[str]:
    """Every ``ECABINET_*`` variable that config.py reads."""
    module = ast.parse(CONFIG.read_text(encoding="utf-8"))
    loader = next(
        node
        for node in module.body
        if isinstance(node, ast.FunctionDef) and node.name == "load_settings"
    )
    names = set()
    for node in ast.walk(loader):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            argument = _first_string_argument(node)
            if argument is not None and SETTING_NAME.fullmatch(argument):
                names.add(f"ECABINET_{argument}")
    for node in ast.walk(module):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        argument = _first_string_argument(node)
        if called in ("get", "getenv") and argument and FULL_NAME.fullmatch(argument):
            names.add(argument)
    return names


def _table() -> str:
    """README's "Configuration" section, up to the next ``##`` heading."""
    start = README.index("\n## Configuration\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def _documented_rows() -> list[tuple[str, str]]:
    """(variable, default cell) for each row of the table, in order, repeats kept."""
    return [(name, default.strip()) for name, default in TABLE_ROW.findall(_table())]


def test_the_source_parse_finds_the_settings() -> None:
    read = _settings_read()
    # A guard on the parse itself: these are read today, and there are many more.
    assert {"ECABINET_ENV", "ECABINET_COMMANDS_PER_SEC", "ECABINET_UPLOAD_MAX_BYTES"} <= read
    assert len(read) >= 20, sorted(read)


def test_every_setting_read_is_documented() -> None:
    documented = {name for name, _ in _documented_rows()}
    missing = sorted(_settings_read() - documented)
    assert not missing, (
        "read by ecabinet/config.py but missing from README.md's configuration table: "
        + ", ".join(missing)
    )


def test_every_documented_setting_is_read() -> None:
    documented = {name for name, _ in _documented_rows()}
    extra = sorted(documented - _settings_read())
    assert not extra, (
        "in README.md's configuration table but not read by ecabinet/config.py: " + ", ".join(extra)
    )


def test_no_setting_is_documented_twice() -> None:
    counts = Counter(name for name, _ in _documented_rows())
    twice = sorted(name for name, count in counts.items() if count > 1)
    assert not twice, "more than one row in README.md's configuration table: " + ", ".join(twice)


def test_documented_numeric_defaults_match_the_code() -> None:
    """A default written as a plain number (`` `28800` (8 h)``) equals ``NAME_DEFAULT``."""
    wrong = []
    for name, cell in _documented_rows():
        shown = re.match(r"`(\d+)`", cell)
        constant = getattr(config, f"{name.removeprefix('ECABINET_')}_DEFAULT", None)
        if shown is None or isinstance(constant, bool) or not isinstance(constant, int | float):
            continue
        if int(shown.group(1)) != constant:
            wrong.append(f"{name}: README says {shown.group(1)}, config.py {constant}")
    assert not wrong, "README.md's configuration table: " + "; ".join(wrong)
