"""A CSV list of people, read and checked row by row: no database, no I/O.

The file (docs/protocol.md, "Importing people"):

- encoding: UTF-8 with or without BOM, or Windows-1258 (``cp1258``, what Excel on a
  Vietnamese Windows writes as "CSV"); ``auto`` takes UTF-8 when the bytes are valid UTF-8,
  else Windows-1258. Every text is normalized to NFC (cp1258 writes tone marks as combining
  characters). Bytes that are no text in the chosen encoding, or control characters (a
  UTF-16 file is full of NULs), refuse the whole file;
- separator: comma, semicolon or tab, whichever the header line holds most of;
- the first non-empty line names the columns, in any order, in Vietnamese or English, with
  or without diacritics, in any case: ``username`` / ``tên đăng nhập``, ``full_name`` /
  ``họ và tên``, ``title`` / ``chức vụ``, ``unit`` / ``đơn vị`` (aliases in ``COLUMNS``).
  The first two are required; an unknown or repeated column refuses the file;
- every other non-empty line is one person. Empty lines are skipped.

A refused file is ``Invalid`` with ``data.problem`` (``not-text``, ``control-character``,
``empty``, ``no-rows``, ``unknown-column``, ``repeated-column``, ``missing-columns``,
``too-many-rows``, ``csv``) and its details. Row problems are collected for every row
(``RowProblem``: column and code), so the preview can show them all at once; ``check``
takes the existing user names so that a taken name is a row problem too.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from ecabinet.auth.users import (
    DISPLAY_NAME_MAX_CHARS,
    TITLE_MAX_CHARS,
    UNIT_MAX_CHARS,
    USERNAME_PATTERN,
    clean_text,
    normalize_username,
)
from ecabinet.errors import Invalid

CSV_MAX_BYTES = 256 * 1024  # a few hundred people are ~30 KiB; more is not a people list
IMPORT_MAX_ROWS = 300  # each imported person costs one argon2 hash (~0.1 s of CPU)
ENCODINGS = ("auto", "utf-8", "cp1258")

# Column key → header names it accepts, compared after ``_header_key`` (case, diacritics,
# spaces, dashes and underscores ignored).
COLUMNS: dict[str, tuple[str, ...]] = {
    "username": ("username", "user name", "login", "tên đăng nhập", "tài khoản"),
    "full_name": ("full_name", "full name", "name", "display_name", "họ và tên", "họ tên"),
    "title": ("title", "position", "chức vụ"),
    "unit": ("unit", "department", "organization", "đơn vị", "cơ quan"),
}
REQUIRED = ("username", "full_name")
MAX_CHARS = {
    "full_name": DISPLAY_NAME_MAX_CHARS,
    "title": TITLE_MAX_CHARS,
    "unit": UNIT_MAX_CHARS,
    "username": 64,
}


def _header_key(raw: str) -> str:
    decomposed = unicodedata.normalize("NFD", raw.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in plain.casefold() if c.isalnum())


_ALIASES = {_header_key(name): key for key, names in COLUMNS.items() for name in names}


@dataclass(frozen=True)
class RowProblem:
    column: str  # a key of COLUMNS, or "row" for the line as a whole
    code: str  # missing | bad | too-long | duplicate | taken | extra-cells
    message: str

    def to_wire(self) -> dict[str, str]:
        return {"column": self.column, "code": self.code, "message": self.message}


@dataclass
class Row:
    line: int  # 1-based line number in the file (the header is a line too)
    username: str
    full_name: str
    title: str
    unit: str
    problems: list[RowProblem] = field(default_factory=list)

    def to_wire(self) -> dict[str, object]:
        return {
            "line": self.line,
            "username": self.username,
            "full_name": self.full_name,
            "title": self.title,
            "unit": self.unit,
            "errors": [p.to_wire() for p in self.problems],
        }


@dataclass(frozen=True)
class ParsedFile:
    encoding: str  # utf-8 | utf-8-sig | cp1258: what was read
    columns: list[str]  # the keys, in the file's order
    rows: list[Row]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not any(r.problems for r in self.rows)

    def to_wire(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "encoding": self.encoding,
            "columns": self.columns,
            "rows": [r.to_wire() for r in self.rows],
            "errors": sum(len(r.problems) for r in self.rows),
        }


def _refusal(message: str, problem: str, **data: object) -> Invalid:
    """The whole file refused: ``data.problem`` says why, for the back office's words."""
    error = Invalid(message)
    error.data = {"problem": problem, **data}
    return error


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """The file's text in NFC and the encoding read; ``Invalid`` for what is no text."""
    if encoding not in ENCODINGS:
        raise Invalid(f"encoding must be one of {', '.join(ENCODINGS)}")
    if data.startswith(b"\xef\xbb\xbf") and encoding != "cp1258":
        chosen, data = "utf-8-sig", data[3:]
    elif encoding == "auto":
        try:
            data.decode("utf-8")
            chosen = "utf-8"
        except UnicodeDecodeError:
            chosen = "cp1258"
    else:
        chosen = encoding
    try:
        text = data.decode("utf-8" if chosen == "utf-8-sig" else chosen)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if chosen.startswith("utf") else "Windows-1258"
        raise _refusal(
            f"the file is not text in {name} (byte {exc.start + 1}); save it as “CSV UTF-8”"
            " and try again",
            "not-text",
            encoding=name,
            byte=exc.start + 1,
        ) from exc
    bad = next((c for c in text if unicodedata.category(c) == "Cc" and c not in "\t\r\n"), None)
    if bad is not None:
        raise _refusal(
            f"the file holds the control character U+{ord(bad):04X}: it is not a CSV text"
            " file (UTF-16 or a spreadsheet?); save it as “CSV UTF-8” and try again",
            "control-character",
        )
    return unicodedata.normalize("NFC", text), chosen


def parse(data: bytes, encoding: str = "auto") -> ParsedFile:
    """Read the file; ``Invalid`` for a file that cannot be read as a list of people, and
    the rows (with no existing-user check yet) otherwise. See ``check``."""
    if len(data) > CSV_MAX_BYTES:  # the caller bounds the body already; kept for direct use
        raise Invalid(f"the file may have at most {CSV_MAX_BYTES} bytes")
    text, chosen = decode(data, encoding)
    header_line = next((line for line in text.splitlines() if line.strip()), None)
    if header_line is None:
        raise _refusal("the file is empty: the first line names the columns", "empty")
    delimiter = max(",;\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    columns: list[str] | None = None
    rows: list[Row] = []
    first_line = 1  # where the record being read starts (a quoted cell may span lines)
    try:
        for cells in reader:
            line, first_line = first_line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if columns is None:
                columns = _columns(cells)
                continue
            if len(rows) == IMPORT_MAX_ROWS:
                raise _refusal(
                    f"a file may list at most {IMPORT_MAX_ROWS} people",
                    "too-many-rows",
                    max=IMPORT_MAX_ROWS,
                )
            rows.append(_row(line, columns, cells))
    except csv.Error as exc:
        raise _refusal(f"line {reader.line_num}: {exc}", "csv", line=reader.line_num) from exc
    if columns is None or not rows:
        raise _refusal("the file names its columns but lists nobody", "no-rows")
    return ParsedFile(chosen, columns, rows)


def _columns(header: list[str]) -> list[str]:
    keys: list[str] = []
    for raw in header:
        name = raw.strip()
        key = _ALIASES.get(_header_key(name))
        if key is None:
            raise _refusal(
                f"unknown column “{name[:60]}”: the columns are username, full_name, title,"
                " unit (or tên đăng nhập, họ và tên, chức vụ, đơn vị)",
                "unknown-column",
                column=name[:60],
            )
        if key in keys:
            raise _refusal(
                f"the column “{name[:60]}” appears twice", "repeated-column", column=name[:60]
            )
        keys.append(key)
    missing = [k for k in REQUIRED if k not in keys]
    if missing:
        names = ", ".join(f"{k} ({COLUMNS[k][-2 if k == 'full_name' else 3]})" for k in missing)
        raise _refusal(
            f"missing column{'s' if len(missing) > 1 else ''}: {names}",
            "missing-columns",
            columns=missing,
        )
    return keys


def _row(line: int, columns: list[str], cells: list[str]) -> Row:
    values = {key: clean_text(cells[i]) if i < len(cells) else "" for i, key in enumerate(columns)}
    row = Row(
        line,
        normalize_username(values.get("username", "")),
        values.get("full_name", ""),
        values.get("title", ""),
        values.get("unit", ""),
    )
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
        row.problems.append(
            RowProblem("row", "extra-cells", f"more cells than the {len(columns)} columns")
        )
    if not row.username:
        row.problems.append(RowProblem("username", "missing", "the user name is empty"))
    elif len(row.username) > MAX_CHARS["username"]:
        row.problems.append(RowProblem("username", "too-long", "at most 64 characters"))
    elif not USERNAME_PATTERN.match(row.username):
        row.problems.append(
            RowProblem("username", "bad", "2–64 characters: a–z, 0–9, dot, dash, underscore")
        )
    if not row.full_name:
        row.problems.append(RowProblem("full_name", "missing", "the full name is empty"))
    for key, value in (("full_name", row.full_name), ("title", row.title), ("unit", row.unit)):
        if len(value) > MAX_CHARS[key]:
            row.problems.append(RowProblem(key, "too-long", f"at most {MAX_CHARS[key]} characters"))
    return row


def check(parsed: ParsedFile, taken: set[str]) -> ParsedFile:
    """Mark user names repeated in the file and those existing users have (``taken``)."""
    first_line: dict[str, int] = {}
    for row in parsed.rows:
        if not row.username or any(p.column == "username" for p in row.problems):
            continue
        if row.username in first_line:
            row.problems.append(
                RowProblem(
                    "username", "duplicate", f"also on line {first_line[row.username]} of the file"
                )
            )
        else:
            first_line[row.username] = row.line
        if row.username in taken:
            row.problems.append(RowProblem("username", "taken", "a user with this name exists"))
    return parsed


def usernames(parsed: ParsedFile) -> list[str]:
    return sorted({r.username for r in parsed.rows if r.username})
