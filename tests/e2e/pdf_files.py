"""PDFs for the browser tests: readable pages with a large page number (so a page change
is visible and can be read back from the text layer), and a file crafted for the pdf.js
font-matrix injection (CVE-2024-4367)."""

from __future__ import annotations

import functools
import html

from tests.pdfs import pdf_from_objects

CVE_MARKER = "ECABINET_CVE_2024_4367"


@functools.cache
def text_pdf(title: str, pages: int = 4) -> bytes:
    """A PDF of ``pages`` A4 pages, each headed "Trang N/M" with some Vietnamese text."""
    from weasyprint import HTML

    body = []
    for number in range(1, pages + 1):
        body.append(
            f"""<section>
              <p class="kicker">{html.escape(title)}</p>
              <h1>Trang {number}/{pages}</h1>
              <h2>Mục {number}. Tình hình thực hiện nhiệm vụ</h2>
              <p>Ủy ban nhân dân tỉnh báo cáo kết quả thực hiện các chỉ tiêu kinh tế – xã hội,
              quốc phòng – an ninh; những khó khăn, vướng mắc và kiến nghị, đề xuất.</p>
              <p>Tổng sản phẩm trên địa bàn tăng 7,2% so với cùng kỳ; thu ngân sách đạt 104%
              dự toán; giải ngân vốn đầu tư công đạt 86% kế hoạch.</p>
              <ul><li>Nông nghiệp: sản lượng lúa ổn định.</li>
              <li>Công nghiệp: chỉ số sản xuất tăng 9,1%.</li>
              <li>Dịch vụ: tổng mức bán lẻ tăng 11,4%.</li></ul>
              <p class="foot">Tài liệu phục vụ phiên họp — trang {number}</p>
            </section>"""
        )
    document = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
      html {{ font-family: "DejaVu Sans", "Noto Sans", sans-serif; }}
      @page {{ size: A4; margin: 22mm 20mm; }}
      section {{ page-break-after: always; }}
      section:last-child {{ page-break-after: auto; }}
      .kicker {{ color: #555; font-size: 11pt; text-transform: uppercase; }}
      h1 {{ font-size: 40pt; color: #1d3557; margin: 6mm 0; }}
      h2 {{ font-size: 16pt; }}
      p, li {{ font-size: 12.5pt; line-height: 1.5; }}
      .foot {{ margin-top: 60mm; color: #888; font-size: 10pt; }}
    </style></head><body>{"".join(body)}</body></html>"""
    return bytes(HTML(string=document).write_pdf())


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def font_matrix_injection_pdf() -> bytes:
    """The shape of the published CVE-2024-4367 proof of concept: a Type1 font whose
    /FontMatrix carries a string that closes the numbers and calls code. Vulnerable pdf.js
    (< 4.2.67, with eval) pasted the matrix into a function body while drawing glyphs.

    The payload leaves three traces if it ever runs: an alert (a dialog), a console
    message and a property on ``window``."""
    payload = (
        f"1); window.{CVE_MARKER} = 1; console.log('{CVE_MARKER}'); alert('{CVE_MARKER}'"
    ).encode()
    escaped = payload.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    content = b"BT /F1 24 Tf 72 720 Td (Hello) Tj 7 Tr 0 -40 Td (Clip) Tj ET"
    # A minimal (not valid) embedded Type1 program: pdf.js falls back to drawing glyph
    # outlines, the path on which the matrix was compiled.
    font_program = (
        b"%!PS-AdobeFont-1.0: Payload 001.001\n/FontMatrix [0.001 0 0 0.001 0 0] readonly def\n"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Payload /FirstChar 32 /LastChar 126 "
        b"/Widths [] /Encoding /WinAnsiEncoding /FontDescriptor 6 0 R "
        b"/FontMatrix [1 2 3 4 5 (" + escaped + b")] >>",
        b"<< /Type /FontDescriptor /FontName /Payload /Flags 32 /FontBBox [0 0 1000 1000] "
        b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile 7 0 R >>",
        _stream(font_program, b"/Length1 %d /Length2 0 /Length3 0 " % len(font_program)),
    ]
    return pdf_from_objects(objects)
