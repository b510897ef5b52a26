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


# --- Hostile files for the inspector's refusals (ecabinet/documents/inspect.py) -------------

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
ONE_PAGE_TREE = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def one_page(
    catalog_extra: bytes = b"", page_extra: bytes = b"", extra_objects: tuple[bytes, ...] = ()
) -> bytes:
    """One A4 page; ``extra_objects`` are numbered from 4 on."""
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
            ONE_PAGE_TREE,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page_extra + b" >>",
            *extra_objects,
        ]
    )


def stream(data: bytes, entries: bytes = b"", compress: bool = False) -> bytes:
    """An object body: a stream of ``data`` (FlateDecode when ``compress``)."""
    if compress:
        data, entries = zlib.compress(data, 9), entries + b" /Filter /FlateDecode"
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data)


def with_link(action: bytes) -> bytes:
    """A page with one link annotation whose action is ``action`` (a dictionary)."""
    return one_page(
        page_extra=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [72 72 300 100] /A "
        + action
        + b" >>]"
    )


def pdf_string(text: bytes) -> bytes:
    """A PDF hex string: any byte, blanks and control characters included."""
    return b"<" + text.hex().encode() + b">"


XFA_TEMPLATE = (
    b'<?xml version="1.0"?><xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">'
    b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="f">'
    b'<field name="a"><event activity="initialize">%s</event></field>'
    b"</subform></template></xdp:xdp>"
)


def xfa_form(script: bytes, as_array: bool = True) -> bytes:
    """An AcroForm with an XFA template (compressed), in parts or as one stream."""
    template = stream(XFA_TEMPLATE % script, compress=True)
    xfa = b"[(template) 5 0 R]" if as_array else b"5 0 R"
    return one_page(
        b"/AcroForm 4 0 R",
        extra_objects=(b"<< /Fields [] /XFA " + xfa + b" >>", template),
    )


def embedded_files_tree() -> bytes:
    attachment = stream(b"MZ\x90\x00" + b"\x00" * 60, b"/Type /EmbeddedFile")
    return one_page(
        b"/Names << /EmbeddedFiles << /Names [(hop-dong.exe) 4 0 R] >> >>",
        extra_objects=(b"<< /Type /Filespec /F (hop-dong.exe) /EF << /F 5 0 R >> >>", attachment),
    )


def file_attachment_annotation() -> bytes:
    attachment = stream(b"%PDF-1.7 another file", b"/Type /EmbeddedFile")
    return one_page(
        page_extra=b"/Annots [<< /Type /Annot /Subtype /FileAttachment /Rect [72 72 90 90] "
        b"/FS << /Type /Filespec /F (phu-luc.pdf) /EF << /F 4 0 R >> >> >>]",
        extra_objects=(attachment,),
    )


@functools.cache
def gigabyte_embedded_file() -> bytes:
    """A file of about 1 MB that carries 1 GiB of zeros as an attachment."""
    packer, chunk = zlib.compressobj(9), bytes(1024 * 1024)
    packed = b"".join(packer.compress(chunk) for _ in range(1024)) + packer.flush()
    attachment = (
        b"<< /Type /EmbeddedFile /Params << /Size 1073741824 >> /Length %d "
        b"/Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)
    )
    return one_page(
        b"/Names << /EmbeddedFiles << /Names [(du-lieu.bin) 4 0 R] >> >>",
        extra_objects=(b"<< /Type /Filespec /F (du-lieu.bin) /EF << /F 5 0 R >> >>", attachment),
    )


def image_page(entries: bytes, data: bytes = b"\x00" * 64) -> bytes:
    """A page that draws one image XObject with the given dictionary entries."""
    draw = stream(b"q 500 0 0 500 40 300 cm /Im0 Do Q")
    image = stream(data, b"/Type /XObject /Subtype /Image " + entries, compress=True)
    return one_page(
        page_extra=b"/Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >>",
        extra_objects=(draw, image),
    )


def huge_image(side: int = 32768) -> bytes:
    """Declares a ``side`` × ``side`` RGB image (3 GiB decoded at 32768) in a few bytes."""
    return image_page(
        b"/Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8" % (side, side)
    )


def deep_image() -> bytes:
    """100 million pixels (under the pixel bound) of 16-bit CMYK: 800 MB decoded."""
    return image_page(b"/Width 10000 /Height 10000 /ColorSpace /DeviceCMYK /BitsPerComponent 16")


def huge_inline_image() -> bytes:
    content = (
        b"q 500 0 0 500 40 300 cm\nBI /W 40000 /H 40000 /CS /RGB /BPC 8 ID\n\x00\x00\x00\nEI Q"
    )
    return one_page(page_extra=b"/Contents 4 0 R", extra_objects=(stream(content),))


def one_page_listed(times: int) -> bytes:
    """A page tree that lists one page object ``times`` times (``/Count`` agrees)."""
    kids = b" ".join([b"3 0 R"] * times)
    return pdf_from_objects(
        [
            CATALOG,
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, times),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def slow_to_inspect(arrays: int = 6, length: int = 99_000) -> bytes:
    """Accepted, but seconds of work for the inspector: ``arrays`` × ``length`` numbers
    for it to parse and walk (each array stays under pypdf's 100,000 elements)."""
    refs = b" ".join(b"%d 0 R" % (4 + i) for i in range(arrays))
    numbers = b"[" + b"0 " * length + b"]"
    return one_page(b"/PieceInfo [" + refs + b"]", extra_objects=(numbers,) * arrays)
