"""The demo meeting's documents, made at seed time: Jinja2 templates (``templates/``)
rendered to PDF by WeasyPrint, in the minutes' fonts (Liberation Serif: full Vietnamese
coverage). All of it is sample data of the fictional province of Hòa Lâm.

Rendering is deterministic: the same names give the same bytes (fixed dates in the
fiction, a fixed PDF identifier, no creation time), so the content address of each
document is the same on every machine and every run.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).parent / "templates"
PROVINCE = "Hòa Lâm"


@dataclass(frozen=True)
class DemoDocument:
    key: str  # the template's name without ".html"; also the seeding's handle on it
    title: str
    filename: str
    number: str
    dateline: str
    superior_lines: tuple[str, ...]
    agency_lines: tuple[str, ...]
    draft: bool = False


_UBND = ("Ủy ban nhân dân", f"tỉnh {PROVINCE}")
DOCUMENTS = (
    DemoDocument(
        "to-trinh",
        "Tờ trình số 412/TTr-STC về dự thảo Nghị quyết Kế hoạch đầu tư công năm 2027",
        "to-trinh-412-TTr-STC.pdf",
        "Số: 412/TTr-STC",
        f"{PROVINCE}, ngày 25 tháng 11 năm 2026",
        (f"UBND tỉnh {PROVINCE}",),
        ("Sở Tài chính",),
    ),
    DemoDocument(
        "bao-cao",
        "Báo cáo tình hình kinh tế - xã hội năm 2026 và nhiệm vụ năm 2027",
        "bao-cao-kt-xh-2026.pdf",
        "Số: 538/BC-UBND",
        f"{PROVINCE}, ngày 27 tháng 11 năm 2026",
        (),
        _UBND,
    ),
    DemoDocument(
        "du-thao-nghi-quyet",
        "Dự thảo Nghị quyết của HĐND tỉnh về Kế hoạch đầu tư công năm 2027",
        "du-thao-nghi-quyet-dau-tu-cong-2027.pdf",
        "Số: …/NQ-HĐND",
        f"{PROVINCE}, ngày … tháng 12 năm 2026",
        (),
        ("Hội đồng nhân dân", f"tỉnh {PROVINCE}"),
        draft=True,
    ),
    DemoDocument(
        "phu-luc",
        "Phụ lục: danh mục dự án khởi công mới năm 2027",
        "phu-luc-du-an-khoi-cong-moi-2027.pdf",
        "Phụ lục 01",
        f"{PROVINCE}, ngày 25 tháng 11 năm 2026",
        (f"UBND tỉnh {PROVINCE}",),
        ("Sở Tài chính",),
    ),
)
BY_KEY = {d.key: d for d in DOCUMENTS}

# (indicator, unit, plan 2026, estimate 2026, assessment)
INDICATORS = (
    ("Tốc độ tăng trưởng GRDP", "%", "8,0", "8,2", "Vượt"),
    ("GRDP bình quân đầu người", "triệu đồng", "92,0", "93,5", "Vượt"),
    ("Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", "13.000", "13.450", "Vượt"),
    ("Tổng vốn đầu tư toàn xã hội", "tỷ đồng", "48.000", "46.800", "Không đạt"),
    ("Giải ngân vốn đầu tư công", "%", "95,0", "91,6", "Không đạt"),
    ("Kim ngạch xuất khẩu", "triệu USD", "2.100", "2.185", "Vượt"),
    ("Tỷ lệ hộ nghèo (chuẩn đa chiều)", "%", "2,5", "2,4", "Đạt"),
    ("Số doanh nghiệp thành lập mới", "doanh nghiệp", "1.200", "1.263", "Vượt"),
    ("Tỷ lệ hồ sơ thủ tục hành chính trực tuyến toàn trình", "%", "60,0", "64,7", "Vượt"),
)
# (project, place, total investment, plan 2027), in millions of đồng
PROJECTS = (
    ("Đường ven biển đoạn Tân Hải – Phước Long", "Huyện Tân Hải", 980_000, 260_000),
    ("Cầu Sông Lam Giang nối hai bờ thị xã Hòa Bình", "Thị xã Hòa Bình", 620_000, 180_000),
    ("Bệnh viện Đa khoa khu vực phía Bắc (giai đoạn 2)", "Huyện Bắc Sơn", 450_000, 120_000),
    ("Trường THPT chuyên Lê Quý Đôn – khu nội trú", "Thành phố Hòa Lâm", 185_000, 75_000),
    ("Kè chống sạt lở bờ sông Trà Khúc, đoạn xã Đức Thắng", "Huyện Mộ Đức", 240_000, 90_000),
    ("Hồ chứa nước Suối Đá", "Huyện Sơn Hà", 310_000, 95_000),
    ("Trung tâm dữ liệu và điều hành đô thị thông minh", "Thành phố Hòa Lâm", 160_000, 70_000),
    ("Hạ tầng Cụm công nghiệp Phú Mỹ", "Huyện Phú Mỹ", 210_000, 80_000),
    ("Đường giao thông liên xã Ba Tơ – Ba Vì", "Huyện Ba Tơ", 135_000, 55_000),
    ("Nhà văn hóa – thể thao tỉnh", "Thành phố Hòa Lâm", 175_000, 60_000),
    ("Nâng cấp Trạm y tế 25 xã vùng khó khăn", "Các huyện miền núi", 95_000, 45_000),
    ("Khu tái định cư Đông Yên", "Huyện Bình Sơn", 150_000, 50_000),
)


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(key: str, people: Mapping[str, str]) -> str:
    """The document's HTML; ``people`` maps the demo's user names to display names."""
    document = BY_KEY[key]
    context: dict[str, Any] = {
        "title": document.title,
        "number": document.number,
        "dateline": document.dateline,
        "superior_lines": document.superior_lines,
        "agency_lines": document.agency_lines,
        "draft": document.draft,
        "province": PROVINCE,
        "people": dict(people),
        "indicators": INDICATORS,
        "projects": [(p, place, _thousands(t), _thousands(y)) for p, place, t, y in PROJECTS],
        "projects_total": (
            _thousands(sum(p[2] for p in PROJECTS)),
            _thousands(sum(p[3] for p in PROJECTS)),
        ),
    }
    return unicodedata.normalize("NFC", _environment.get_template(f"{key}.html").render(context))


def render_pdf(key: str, people: Mapping[str, str]) -> bytes:
    """The document as a PDF; the same ``people`` give the same bytes."""
    from weasyprint import HTML

    from ecabinet.documents.watermark import no_fetch

    html = render_html(key, people)
    # A fixed identifier instead of a fresh one: the bytes depend on the content only.
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    pdf = HTML(string=html, url_fetcher=no_fetch).write_pdf(pdf_identifier=identifier)
    return bytes(pdf)
