"""The CSV list of people, read without a server: headers, separators, encodings, rows."""

from __future__ import annotations

import unicodedata

import pytest

from ecabinet.auth import people_import
from ecabinet.errors import Invalid


def _refusal(data: bytes, encoding: str = "auto") -> dict[str, object]:
    with pytest.raises(Invalid) as caught:
        people_import.parse(data, encoding)
    assert caught.value.data is not None
    return caught.value.data


@pytest.mark.parametrize(
    "header",
    [
        "username,full_name,title,unit",
        "Tên đăng nhập,Họ và tên,Chức vụ,Đơn vị",
        "TEN DANG NHAP,ho va ten,chuc vu,don vi",  # typed without diacritics
        "User Name, Full Name ,Position,Department",
    ],
)
def test_vietnamese_and_english_headers_name_the_same_columns(header: str) -> None:
    parsed = people_import.parse(f"{header}\nnva,Nguyễn Văn A,Chủ tịch,UBND\n".encode())
    assert parsed.columns == ["username", "full_name", "title", "unit"]
    assert (parsed.rows[0].username, parsed.rows[0].unit) == ("nva", "UBND")


def test_the_columns_may_come_in_any_order_and_title_and_unit_may_be_absent() -> None:
    parsed = people_import.parse("họ và tên;tên đăng nhập\nLê Văn Tám;LVT\n".encode())
    row = parsed.rows[0]
    assert (row.username, row.full_name, row.title, row.unit) == ("lvt", "Lê Văn Tám", "", "")


def test_the_separator_is_what_the_header_holds_most_of() -> None:
    tabbed = people_import.parse(b"username\tfull_name\nab\tA, B\n")
    assert tabbed.rows[0].full_name == "A, B"
    semi = people_import.parse(b"username;full_name\nab;A, B\n")
    assert semi.rows[0].full_name == "A, B"


def test_a_quoted_cell_may_hold_a_new_line_and_line_numbers_stay_the_files() -> None:
    parsed = people_import.parse(b'username,full_name,unit\n\nab,A,"Line one\nline two"\ncd,C,\n')
    assert [r.line for r in parsed.rows] == [3, 5]
    assert parsed.rows[0].unit == "Line one line two"


def test_windows_1258_tone_marks_become_nfc() -> None:
    # "Nguyễn": ê (0xEA) then the combining tilde (0xDE), as the code page writes it.
    data = b"username,full_name\nng,Nguy\xea\xden\n"
    parsed = people_import.parse(data)
    assert parsed.encoding == "cp1258"
    assert parsed.rows[0].full_name == "Nguyễn"
    assert unicodedata.is_normalized("NFC", parsed.rows[0].full_name)


def test_a_bom_is_dropped_and_reported() -> None:
    parsed = people_import.parse("\ufeffusername,full_name\nab,Ánh\n".encode())
    assert parsed.encoding == "utf-8-sig" and parsed.columns == ["username", "full_name"]


def test_row_problems_are_all_collected() -> None:
    parsed = people_import.parse(
        ("username,full_name,title\nx,,\nab,A," + "t" * 201 + "\nab,B,,extra\n").encode()
    )
    people_import.check(parsed, {"ab"})
    assert [[(p.column, p.code) for p in r.problems] for r in parsed.rows] == [
        [("username", "bad"), ("full_name", "missing")],
        [("title", "too-long"), ("username", "taken")],
        [("row", "extra-cells"), ("username", "duplicate"), ("username", "taken")],
    ]
    assert not parsed.ok


@pytest.mark.parametrize(
    ("data", "encoding", "problem"),
    [
        (b"username,full_name\nab,\x81\n", "cp1258", "not-text"),
        (b"username,full_name\nab,\xff\n", "utf-8", "not-text"),
        ("username,full_name\n".encode("utf-16"), "auto", "control-character"),
        (b"  \n\n", "auto", "empty"),
        (b"username,full_name\n", "auto", "no-rows"),
        (b"username,full_name,email\n", "auto", "unknown-column"),
        (b"username,full_name,name\n", "auto", "repeated-column"),
        (b"title\nx\n", "auto", "missing-columns"),
    ],
)
def test_files_that_are_no_list_are_refused_with_a_problem(
    data: bytes, encoding: str, problem: str
) -> None:
    assert _refusal(data, encoding)["problem"] == problem


def test_more_than_the_row_limit_is_refused() -> None:
    rows = "".join(f"u{i},Người {i}\n" for i in range(people_import.IMPORT_MAX_ROWS + 1))
    refusal = _refusal(("username,full_name\n" + rows).encode())
    assert refusal == {"problem": "too-many-rows", "max": people_import.IMPORT_MAX_ROWS}
    ok = "".join(f"u{i},Người {i}\n" for i in range(people_import.IMPORT_MAX_ROWS))
    assert len(people_import.parse(("username,full_name\n" + ok).encode()).rows) == 300
