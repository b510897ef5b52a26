"""PDF files made for the tests: ordinary ones (pypdf) and hostile ones (raw bytes)."""

from __future__ import annotations

import functools
import io
import zlib

from pypdf import PdfWriter

A4 = (595, 842)


def pages(count: int, size: tuple[int, int] = A4) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(*size)
    writer.add_metadata({"/Title": "Báo cáo tình hình kinh tế - xã hội"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pages(2)))
    writer.encrypt(user_password="mật khẩu", owner_password="chủ sở hữu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def raw_pdf(content: bytes, filters: list[str], page_count: int = 1) -> bytes:
    """A hand-built PDF whose pages share one content stream with the given filters."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(f"{4 + i} 0 R".encode() for i in range(page_count))
        + f"] /Count {page_count} >>".encode(),
        f"<< /Length {len(content)} /Filter [{' '.join('/' + f for f in filters)}] >>".encode()
        + b"\nstream\n"
        + content
        + b"\nendstream",
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
    ] * page_count
    return pdf_from_objects(objects)


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF file of the given object bodies (object 1 is the catalog), with its xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


@functools.cache
def nested_flate_bomb(expanded_bytes: int = 160 * 1024 * 1024) -> bytes:
    """A content stream compressed twice that expands to ``expanded_bytes`` of drawing ops."""
    inner = zlib.compress(b"0 0 m\n" * (expanded_bytes // 6), 9)
    return raw_pdf(zlib.compress(inner, 9), ["FlateDecode", "FlateDecode"])


def truncated() -> bytes:
    data = pages(3)
    return data[: len(data) // 3]


def zero_pages() -> bytes:
    return raw_pdf(b"", [], page_count=0)
