"""Inspect one PDF and print what was found as one JSON line.

Run only as ``python -m ecabinet.documents.inspect PATH MAX_PAGES`` inside the bounded worker
(``ingest.inspect_pdf``), which limits its memory, CPU time and wall time: a hostile file can
make this process fail, never the server. Every content stream is decompressed once (with
pypdf's own decompression limit) so a compression bomb is found here, not in a tablet.
"""

from __future__ import annotations

import json
import sys
from typing import Any

CONTENT_TOTAL_MAX_BYTES = 512 * 1024 * 1024  # decompressed page content of one document


def inspect(path: str, max_pages: int) -> dict[str, Any]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            return {
                "ok": False,
                "reason": "encrypted PDFs are not accepted; remove the password first",
            }
        count = len(reader.pages)
        if count == 0:
            return {"ok": False, "reason": "the PDF has no readable pages (damaged file?)"}
        if count > max_pages:
            return {
                "ok": False,
                "reason": f"the PDF has {count} pages; at most {max_pages} are accepted",
            }
        sizes, total = [], 0
        for page in reader.pages:
            box = page.mediabox
            width, height = round(float(box.width), 2), round(float(box.height), 2)
            if (page.get("/Rotate", 0) or 0) % 180:
                width, height = height, width
            sizes.append([width, height])
            contents = page.get_contents()
            total += len(contents.get_data()) if contents is not None else 0
            if total > CONTENT_TOTAL_MAX_BYTES:
                return {
                    "ok": False,
                    "reason": "the PDF expands to too much content (compression bomb?)",
                }
        title = reader.metadata.title if reader.metadata is not None else None
    except LimitReachedError:
        return {
            "ok": False,
            "reason": "a stream in the PDF expands beyond the limit (compression bomb?)",
        }
    except FileNotDecryptedError:
        return {"ok": False, "reason": "encrypted PDFs are not accepted; remove the password first"}
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
    ) as exc:
        return {"ok": False, "reason": f"the PDF cannot be read: {type(exc).__name__}"}
    return {
        "ok": True,
        "pages": count,
        "page_sizes": sizes,
        "title": str(title)[:300] if title else None,
    }


if __name__ == "__main__":
    print(json.dumps(inspect(sys.argv[1], int(sys.argv[2]))))
