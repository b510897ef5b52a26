"""The minutes as a secretary files them (issue 14, MINUTES_LAYOUT.md), checked on the drawn
pages: the vi State, vi Party and en layouts of one fixed meeting are rendered, signed,
rasterised with poppler's ``pdftoppm`` and read back with ``pdftotext -layout``.

The pages are saved to ``test-artifacts/minutes-layout/`` for a person to look at. The
meeting (``sample.play_for_layout``): four items with a named and a secret poll, an item not
discussed, a deferred one, a document with a title and a file name, a late arrival, an
absentee with a proxy, the clerk and an observer as guests. The profiles leave the code and
the place out, as a committee's first profile does: both come from the committee's name.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from ecabinet.minutes import _fit, keys, record, render, sample, sign
from ecabinet.minutes.profile import MinutesProfile
from tests.unit.test_minutes_render import SECRET

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "minutes-layout"
PNG_DPI = 60  # enough to see the layout; the checks read the PDF's text, not the pixels
# The lowest ink of page 1 is below this share of the page's height: the text area ends at
# (297 - 20) / 297 = 0.93; a first page whose item was pushed to page 2 by a poll kept
# whole ended at 0.72.
FIRST_PAGE_INK_MIN = 0.80
STATE_BODY = "Ủy ban nhân dân tỉnh Hòa Lâm"
PARTY_BODY = "Đảng ủy xã Hòa Lâm"
DOCUMENT_TITLE = str(sample.DOCUMENT["title"])
VI_SIGNED_AT = re.compile(r"\b\d{2}:\d{2}, ngày \d{2}/\d{2}/\d{4}\b")
EN_SIGNED_AT = re.compile(r"\b\d{2}:\d{2}, \d{1,2} [A-Z][a-z]+ \d{4}\b")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|T\d{2}:\d{2}(:\d{2})?(\.\d+)?Z")

CASES: dict[str, dict[str, Any]] = {
    "state": {"committee": STATE_BODY, "kind": "peoples_committee", "superior": ""},
    "party": {"committee": PARTY_BODY, "kind": "party", "superior": "Đảng bộ tỉnh Hòa Lâm"},
    "en": {"committee": STATE_BODY, "kind": "peoples_committee", "superior": ""},
}


def _record(layout: str, meeting: sample.SampleMeeting) -> dict[str, Any]:
    case = CASES[layout]
    profile = MinutesProfile(
        layout=layout,
        superior_body=case["superior"],
        recipients=("Thường trực Tỉnh ủy", "Các sở, ban, ngành"),
    )  # no abbreviation, no place: taken from the committee's name
    meeting_row = {
        "id": 1,
        "committee_id": 1,
        "committee_name": case["committee"],
        "committee_rules": {"kind": case["kind"]},
        "title": "Phiên họp thường kỳ tháng 12 năm 2026",
        "location": "Phòng họp số 1",
        "scheduled_at": "2026-12-01T08:00:00+07:00",
        "hash_rule": 2,
    }
    inputs = record.RecordInputs(
        meeting_row,
        meeting.roster_entries(),
        meeting.state,
        meeting.events,
        meeting.head_hash,
        profile,
        layout,
        "05",
        1,
        None,
        "2026-12-01T05:00:00.000Z",
    )
    return record.build_record(inputs)


def _sign(pdf: bytes, ca: Path, clerk: bool, layout: str) -> bytes:
    name = "Trần Thị Thu Hằng" if clerk else "Nguyễn Văn Hùng"
    credential = keys.issue(ca, SECRET, name, "clerk" if clerk else "chair")
    return sign.sign(
        sign.SignRequest(
            pdf=pdf,
            field="sig-clerk" if clerk else "sig-chair",
            certify=clerk,
            certificate_pem=credential.certificate_pem,
            chain_pem=credential.chain_pem,
            key_pem=credential.key_pem,
            signer_name=name,
            role_title="Thư ký" if clerk else "Chủ tọa",
            caption="Ký số",
            location="Hòa Lâm",
            language="en" if layout == "en" else "vi",
        )
    )


def _poppler(*args: str) -> str:
    assert shutil.which(args[0]), f"{args[0]} missing: make test installs poppler-utils"
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Per layout: the record, the signed PDF's path, its pages' text and the PNGs."""
    meeting = sample.play_for_layout()
    ca = tmp_path_factory.mktemp("ca")
    keys.ensure_dev_ca(ca, SECRET)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out: dict[str, dict[str, Any]] = {}
    for layout in CASES:
        rec = _record(layout, meeting)
        draft = render.render(rec)
        signed = _sign(_sign(draft.pdf, ca, True, layout), ca, False, layout)
        path = ARTIFACTS / f"{layout}.pdf"
        path.write_bytes(signed)
        for old in ARTIFACTS.glob(f"{layout}-*.png"):
            old.unlink()
        _poppler("pdftoppm", "-r", str(PNG_DPI), "-png", str(path), str(ARTIFACTS / layout))
        pages = [
            _poppler("pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-")
            for n in range(1, draft.pages + 1)
        ]
        pngs = sorted(ARTIFACTS.glob(f"{layout}-*.png"))
        assert len(pngs) == draft.pages
        out[layout] = {"record": rec, "path": path, "pages": pages, "pngs": pngs}
    return out


def _dark(value: float | tuple[int, ...]) -> bool:
    return (value if isinstance(value, (int, float)) else value[0]) < 128  # 8-bit grey


def _cells(page: str) -> list[list[str]]:
    """Each line of ``pdftotext -layout`` as its cells (columns are 3+ spaces apart)."""
    return [re.split(r"\s{3,}", line.strip()) for line in page.splitlines() if line.strip()]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("layout", "header_lines"),
    [
        ("state", ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "ỦY BAN NHÂN DÂN", "TỈNH HÒA LÂM", "Số: 05/BB-UBND"]),
        ("party", ["ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ TỈNH HÒA LÂM", "ĐẢNG ỦY XÃ HÒA LÂM",
                   "Số 05-BB/ĐU"]),
        ("en", ["ỦY BAN NHÂN DÂN TỈNH HÒA LÂM", "No. 05/BB-UBND"]),
    ],
)  # fmt: skip
def test_motto_party_name_agency_and_number_each_sit_whole_on_one_line(
    drawn: dict[str, dict[str, Any]], layout: str, header_lines: list[str]
) -> None:
    """Each is one cell of a line of page 1: not broken, not run into another text. The
    State agency is broken before its unit ("ỦY BAN NHÂN DÂN / TỈNH HÒA LÂM"), as printed."""
    cells = [cell for line in _cells(drawn[layout]["pages"][0])[:8] for cell in line]
    for expected in header_lines:
        assert expected in cells, (layout, expected, cells)


@pytest.mark.parametrize(
    ("layout", "dateline"),
    [
        ("state", r"Hòa Lâm, ngày 01 tháng 12 năm 2026"),
        ("party", r"Hòa Lâm, ngày 01 tháng 12 năm 2026"),
        ("en", r"Hòa Lâm, 1 December 2026"),
    ],
)
def test_the_date_line_carries_the_place_from_the_committees_name(
    drawn: dict[str, dict[str, Any]], layout: str, dateline: str
) -> None:
    cells = [cell for line in _cells(drawn[layout]["pages"][0])[:8] for cell in line]
    assert dateline in cells, cells


@pytest.mark.parametrize("layout", list(CASES))
def test_the_first_page_is_full_its_ink_reaches_below_80_percent_of_the_height(
    drawn: dict[str, dict[str, Any]], layout: str
) -> None:
    with Image.open(drawn[layout]["pngs"][0]) as png:
        page = png.convert("L")
        width, height = page.size
        pixels = page.load()
        assert pixels is not None
        inked = [y for y in range(height) if any(_dark(pixels[x, y]) for x in range(width))]
    assert inked and inked[-1] / height >= FIRST_PAGE_INK_MIN, (layout, inked[-1] / height)


@pytest.mark.parametrize(
    ("layout", "present", "absent", "guests"),
    [
        ("state", "Có mặt: 8/9 thành viên —", "Vắng mặt: 1 thành viên —",
         "Khách mời, người dự họp không biểu quyết: Trần Thị Thu Hằng (thư ký), "
         "Dương Khắc Lộc (dự thính)."),
        ("party", "Có mặt: 8/9 đồng chí —", "Vắng mặt: 1 đồng chí —",
         "Khách mời, người dự họp không biểu quyết: Trần Thị Thu Hằng (thư ký), "
         "Dương Khắc Lộc (dự thính)."),
        ("en", "Present: 8/9 members —", "Absent: 1 member —",
         "Also present, not voting: Trần Thị Thu Hằng (secretary), Dương Khắc Lộc (observer)."),
    ],
)  # fmt: skip
def test_attendance_counts_the_members_and_lists_the_clerk_and_observer_apart(
    drawn: dict[str, dict[str, Any]], layout: str, present: str, absent: str, guests: str
) -> None:
    text = _flat("\n".join(drawn[layout]["pages"]))
    members = text[text.index(present) : text.index(absent)]
    assert "Nguyễn Văn Hùng" in members and "Đỗ Trọng Nghĩa" in members
    assert "Trần Thị Thu Hằng" not in members and "Dương Khắc Lộc" not in members
    assert "Ngô Thị Thanh Thủy" in text[text.index(absent) : text.index(guests)]
    assert guests in text


@pytest.mark.parametrize(
    ("layout", "not_discussed", "deferred"),
    [
        ("state", "(chưa xem xét) Nội dung này chưa được xem xét tại cuộc họp.",
         "(hoãn, chuyển sang cuộc họp sau)"),
        ("party", "(chưa xem xét) Nội dung này chưa được xem xét tại cuộc họp.",
         "(hoãn, chuyển sang cuộc họp sau)"),
        ("en", "(not discussed) This item was not discussed at the meeting.",
         "(deferred to a later meeting)"),
    ],
)  # fmt: skip
def test_items_not_taken_up_say_not_discussed_or_deferred(
    drawn: dict[str, dict[str, Any]], layout: str, not_discussed: str, deferred: str
) -> None:
    text = _flat("\n".join(drawn[layout]["pages"]))
    assert f"5. {sample.UNREACHED_TITLES[0]} {not_discussed}" in text
    assert f"6. {sample.UNREACHED_TITLES[1]} {deferred}" in text
    for done in ("1. Tờ trình số 01", "4. Tờ trình số 04"):  # discussed: no such mark
        after = text[text.index(done) :][:120]
        assert "chưa xem xét" not in after and "not discussed" not in after


@pytest.mark.parametrize("layout", list(CASES))
def test_documents_are_listed_by_title_never_by_file_name(
    drawn: dict[str, dict[str, Any]], layout: str
) -> None:
    text = _flat("\n".join(drawn[layout]["pages"]))
    assert text.count(DOCUMENT_TITLE) == 2  # the list of documents and item 1
    assert "bao-cao" not in text and ".pdf" not in text


@pytest.mark.parametrize(("layout", "pattern"), [("state", VI_SIGNED_AT),
                                                 ("party", VI_SIGNED_AT),
                                                 ("en", EN_SIGNED_AT)])  # fmt: skip
def test_signature_boxes_show_local_time_in_the_pages_style_and_no_iso_time(
    drawn: dict[str, dict[str, Any]], layout: str, pattern: re.Pattern[str]
) -> None:
    last = drawn[layout]["pages"][-1]
    assert len(pattern.findall(last)) == 2, last
    assert not ISO_TIME.search("\n".join(drawn[layout]["pages"]))


def test_the_party_count_keeps_other_views_apart_from_those_who_did_not_vote(
    drawn: dict[str, dict[str, Any]],
) -> None:
    text = _flat("\n".join(drawn["party"]["pages"]))
    assert "Tán thành: 7 đồng chí (đạt 77,8%)" in text
    assert "Ý kiến khác: 1 đồng chí (11,1%)" in text
    assert "Không tham gia biểu quyết: 0 đồng chí (0%)" in text
    assert "Kết quả: Thông qua (7/9 phiếu tán thành, cần ít nhất 5)" in text


@pytest.mark.parametrize("layout", list(CASES))
def test_every_font_is_embedded_liberation_serif_or_the_noto_stamp(
    drawn: dict[str, dict[str, Any]], layout: str
) -> None:
    rows = _poppler("pdffonts", str(drawn[layout]["path"])).splitlines()[2:]
    assert rows
    for row in rows:
        name, *_, emb, _sub, uni, _obj, _gen = row.split()
        assert emb == "yes" and uni == "yes", row
        assert re.match(r"[A-Z]{6}\+(Liberation-(Serif|Mono)|NotoSerif)", name), row


@pytest.mark.parametrize(
    ("name", "kind", "layout", "abbreviation", "place"),
    [
        ("Ủy ban nhân dân tỉnh Hòa Lâm (dữ liệu mẫu)", "peoples_committee", "state",
         "BB-UBND", "Hòa Lâm"),
        ("HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÒA AN", "peoples_council", "state", "BB-HĐND", "Hòa An"),
        ("Đảng ủy xã Hòa Lâm", "party", "party", "BB/ĐU", "Hòa Lâm"),
        ("Tỉnh ủy Hòa Lâm", "party", "party", "BB/TU", ""),  # no unit word: no place guessed
        ("Tổ công tác chuyển đổi số", "peoples_committee", "state", "BB-UBND", ""),
        ("Tổ công tác chuyển đổi số", "other", "state", "BB", ""),
    ],
)  # fmt: skip
def test_a_profile_without_code_or_place_takes_them_from_the_committees_name_or_kind(
    name: str, kind: str, layout: str, abbreviation: str, place: str
) -> None:
    from ecabinet.minutes.profile import effective

    got = effective(MinutesProfile(layout=layout), name, kind, layout)
    assert (got.abbreviation, got.place, got.official_name) == (abbreviation, place, name)
    given = MinutesProfile(abbreviation="BB-VP", place="Hà Nội")
    assert effective(given, name, kind, layout) == replace(given, official_name=name)


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("Ủy ban nhân dân tỉnh Hòa An", ["Ủy ban nhân dân", "tỉnh Hòa An"]),
        ("Ủy ban nhân dân tỉnh Hòa Lâm (dữ liệu mẫu)",
         ["Ủy ban nhân dân", "tỉnh Hòa Lâm", "(dữ liệu mẫu)"]),
        ("Đảng ủy xã Hòa Lâm", ["Đảng ủy xã Hòa Lâm"]),
        ("Văn phòng\nỦy ban nhân dân", ["Văn phòng", "Ủy ban nhân dân"]),  # the author's lines
    ],
)  # fmt: skip
def test_an_agency_name_too_long_for_65_mm_at_12_5_pt_breaks_before_its_unit(
    name: str, lines: list[str]
) -> None:
    assert _fit.lines_within(name, 65, 12.5, bold=True, upper=True) == lines


def test_a_long_name_without_a_unit_is_balanced_and_every_line_fits() -> None:
    name = "Ban chỉ đạo thực hiện chương trình mục tiêu quốc gia xây dựng nông thôn mới"
    lines = _fit.lines_within(name, 65, 12.5, bold=True, upper=True)
    assert " ".join(lines) == name and len(lines) == 4
    widths = [_fit.width_mm(line.upper(), 12.5, bold=True) for line in lines]
    assert max(widths) <= 65 and max(widths) - min(widths) < 20
