"""Per-user watermarked copies: the reader's name, the meeting and the time on every page.

The stamp is drawn once by WeasyPrint (so Vietnamese text is shaped with a font that has
every glyph) and merged onto each page of a copy with pypdf; the stored original is never
touched. The work runs in a separate process, never on the event loop.
"""

from __future__ import annotations

import asyncio
import html
import io
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, NoReturn

from ecabinet import lifeline

A4_POINTS = (595.28, 841.89)
_pool: ProcessPoolExecutor | None = None


class NoFetch:
    """A WeasyPrint URL fetcher that loads nothing: no ``file://``, no network, no data.

    WeasyPrint calls the fetcher and, when it raises, reads its ``_fail_on_errors``
    (WeasyPrint 68+; a plain function there turns a refused URL into an AttributeError
    that stops the rendering). Refused URLs are skipped with a warning in WeasyPrint's log.
    """

    _fail_on_errors = False

    def __call__(self, url: str, *_args: Any, **_kwargs: Any) -> NoReturn:
        raise ValueError(f"E-cabinet's PDFs may not load {url[:80]!r}")

    fetch = __call__


no_fetch = NoFetch()


def _overlay_pdf(lines: list[str]) -> bytes:
    from weasyprint import HTML

    mark = html.escape(lines[0])
    foot = html.escape(" · ".join(lines))
    document = f"""<!doctype html><html><head><meta charset="utf-8"><style>
      html {{ font-family: "DejaVu Sans", "Noto Sans", sans-serif; }}
      @page {{ size: {A4_POINTS[0]}pt {A4_POINTS[1]}pt; margin: 0; }}
      body {{ margin: 0; }}
      .mark {{ position: absolute; top: 380pt; left: 0; width: 595pt; text-align: center;
               transform: rotate(-35deg); font-size: 30pt; color: rgba(190, 20, 20, 0.16); }}
      .foot {{ position: absolute; bottom: 10pt; left: 18pt; right: 18pt; font-size: 7.5pt;
               color: rgba(150, 20, 20, 0.65); }}
    </style></head>
    <body><div class="mark">{mark}</div><div class="foot">{foot}</div></body></html>"""
    return bytes(HTML(string=document, url_fetcher=no_fetch).write_pdf())


def stamp_writer(writer: Any, lines: list[str]) -> None:
    """Merge the stamp onto every page of a pypdf ``PdfWriter``."""
    from pypdf import PdfReader, Transformation

    overlay = PdfReader(io.BytesIO(_overlay_pdf(lines))).pages[0]
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        scale = min(width / A4_POINTS[0], height / A4_POINTS[1])
        dx = float(page.mediabox.left) + (width - A4_POINTS[0] * scale) / 2
        dy = float(page.mediabox.bottom) + (height - A4_POINTS[1] * scale) / 2
        page.merge_transformed_page(overlay, Transformation().scale(scale, scale).translate(dx, dy))
        page.compress_content_streams()


def stamp_file(source: str, target: str, lines: list[str]) -> None:
    """Write ``source`` with the stamp on every page to ``target`` (runs in a worker process)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    stamp_writer(writer, lines)
    with open(target, "wb") as out:
        writer.write(out)


async def run_in_worker(function: Callable[..., None], *args: Any) -> None:
    """Run ``function(*args)`` in the documents' worker process (never on the event loop)."""
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=lifeline.watch_parent,  # ends when the server is killed
        )
    await asyncio.get_running_loop().run_in_executor(_pool, function, *args)


async def stamp(source: Path, target: Path, lines: list[str]) -> None:
    await run_in_worker(stamp_file, str(source), str(target), lines)


def shutdown() -> None:
    global _pool
    if _pool is not None:
        lifeline.end_pool(_pool)
        _pool = None
