"""A member's annotated copy: their marks (and, if asked, the shared ones) burned into the
pages, their notes listed on a page at the end, and their name stamped on every page.

The marks are drawn by WeasyPrint as SVG on transparent pages of the same sizes and merged
onto a copy of the document with pypdf (pypdf has no ink annotation class, and burning in
keeps the marks visible in every reader). Runs in the documents' worker process.
"""

from __future__ import annotations

import html
import io
from collections import defaultdict
from typing import Any

from ecabinet.documents import watermark

NOTE_MARK_SIZE = 14.0  # the numbered square that marks a note's place, in points
HIGHLIGHT_OPACITY = 0.35


def _svg(
    marks: list[dict[str, Any]], width: float, height: float, note_numbers: dict[int, int]
) -> str:
    """One page of marks. PDF points have their origin at the bottom left; SVG at the top."""
    parts = []
    for mark in marks:
        color = html.escape(mark["color"])
        if mark["kind"] == "ink":
            path = " ".join(f"{x:.2f},{height - y:.2f}" for x, y, *_ in mark["points"])
            stroke = f'stroke="{color}" stroke-width="{mark["width"]}"'
            parts.append(
                f'<polyline points="{path}" fill="none" {stroke} '
                'stroke-linecap="round" stroke-linejoin="round"/>'
            )
        elif mark["kind"] == "highlight":
            for x0, y0, x1, y1 in mark["rects"]:
                parts.append(
                    f'<rect x="{x0}" y="{height - y1}" width="{x1 - x0}" height="{y1 - y0}" '
                    f'fill="{color}" fill-opacity="{HIGHLIGHT_OPACITY}"/>'
                )
        else:
            x, y = mark["anchor"]
            number = note_numbers[mark["annotation_id"]]
            size = NOTE_MARK_SIZE
            parts.append(
                f'<rect x="{x}" y="{height - y - size}" width="{size}" height="{size}" '
                f'fill="{color}" stroke="#555"/>'
                f'<text x="{x + 3}" y="{height - y - 3}" font-size="10">{number}</text>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
        f'viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'
    )


def _render(document_html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=document_html, url_fetcher=watermark.no_fetch).write_pdf())


def _overlays(
    marks_by_page: dict[int, list[dict[str, Any]]],
    sizes: dict[int, tuple[float, float]],
    note_numbers: dict[int, int],
) -> bytes:
    styles, pages = [], []
    for page_no, marks in sorted(marks_by_page.items()):
        width, height = sizes[page_no]
        styles.append(f"@page p{page_no} {{ size: {width}pt {height}pt; margin: 0; }}")
        styles.append(f".p{page_no} {{ page: p{page_no}; }}")
        pages.append(f'<div class="p{page_no}">{_svg(marks, width, height, note_numbers)}</div>')
    return _render(
        f'<!doctype html><html><head><meta charset="utf-8"><style>{" ".join(styles)} '
        'html { font-family: "DejaVu Sans", sans-serif; } body { margin: 0; } '
        "div { break-after: page; line-height: 0; }</style></head>"
        f"<body>{''.join(pages)}</body></html>"
    )


def _notes_page(notes: list[tuple[int, int, str]], heading: str) -> bytes:
    items = "".join(
        f"<li><b>{number}.</b> <i>Trang / page {page}</i>: {html.escape(text)}</li>"
        for number, page, text in notes
    )
    return _render(
        '<!doctype html><html><head><meta charset="utf-8"><style>'
        'html { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; } '
        "@page { size: A4; margin: 20mm; } "
        "li { margin-bottom: 6pt; white-space: pre-wrap; } h1 { font-size: 14pt; }</style></head>"
        f"<body><h1>{html.escape(heading)}</h1><ol>{items}</ol></body></html>"
    )


def export_file(
    source: str, target: str, marks: list[dict[str, Any]], stamp_lines: list[str], heading: str
) -> None:
    """Write the annotated, stamped copy of ``source`` to ``target`` (a worker process)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    sizes = {
        i + 1: (float(p.mediabox.width), float(p.mediabox.height))
        for i, p in enumerate(writer.pages)
    }
    notes = sorted(
        (m for m in marks if m["kind"] == "note"), key=lambda m: (m["page"], m["annotation_id"])
    )
    note_numbers = {m["annotation_id"]: i + 1 for i, m in enumerate(notes)}
    by_page: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for mark in marks:
        if 1 <= mark["page"] <= len(writer.pages):
            by_page[mark["page"]].append(mark)
    if by_page:
        overlay = PdfReader(io.BytesIO(_overlays(by_page, sizes, note_numbers)))
        for overlay_page, page_no in zip(overlay.pages, sorted(by_page), strict=True):
            writer.pages[page_no - 1].merge_page(overlay_page)
    if notes:
        listed = [(note_numbers[m["annotation_id"]], m["page"], m["text"]) for m in notes]
        for page in PdfReader(io.BytesIO(_notes_page(listed, heading))).pages:
            writer.add_page(page)
    watermark.stamp_writer(writer, stamp_lines)
    with open(target, "wb") as out:
        writer.write(out)


async def export(
    source: str, target: str, marks: list[dict[str, Any]], stamp_lines: list[str], heading: str
) -> None:
    await watermark.run_in_worker(export_file, source, target, marks, stamp_lines, heading)
