"""Inspect one PDF and print what was found as one JSON line.

Run only as ``python -m ecabinet.documents.inspect PATH MAX_PAGES`` inside the bounded worker
(``ingest.inspect_pdf``), which limits its memory, CPU time and wall time: a hostile file can
make this process fail, never the server. Every content stream is decompressed once (with
pypdf's own decompression limit) so a compression bomb is found here, not in a tablet.

Refused besides: a page tree whose declared ``/Count`` differs from the pages it holds
(pdf.js trusts ``/Count``, so server and tablets would disagree on the page count; loops in
``/Kids`` or ``/Parent`` end here too), and **active content** — JavaScript (``/JS``,
``/S /JavaScript``, a ``/JavaScript`` name tree) and launch actions (``/S /Launch``)
anywhere in the object graph. The tablets render with pdf.js without scripting, but a
downloaded copy may be opened in a reader that runs them; meeting documents have no need of
them, and refusing keeps the stored bytes exactly as uploaded (nothing is stripped).
"""

from __future__ import annotations

import json
import sys
from typing import Any

CONTENT_TOTAL_MAX_BYTES = 512 * 1024 * 1024  # decompressed page content of one document
GRAPH_MAX_NODES = 2_000_000  # dictionaries and arrays walked in search of active content
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch"})
ACTIVE_REASON = (
    "the PDF contains JavaScript or launch actions, which are not accepted; "
    "print it to a new PDF (or export it again) without them"
)


def active_content(root: Any) -> str | None:
    """Walk the object graph from ``root`` (each indirect object once, so loops end) and
    return the reason to refuse it, or None."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack, seen, walked = [root], set(), 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        walked += 1
        if walked > GRAPH_MAX_NODES:
            return "the PDF has too many objects to check"
        if isinstance(node, DictionaryObject):
            kind = dict.get(node, "/S")
            kind = kind.get_object() if isinstance(kind, IndirectObject) else kind
            if kind in ACTIVE_ACTIONS or "/JS" in node or "/JavaScript" in node:
                return ACTIVE_REASON
            stack.extend(dict.values(node))
        elif isinstance(node, ArrayObject):
            stack.extend(list.__iter__(node))
    return None


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
        tree: Any = reader.root_object["/Pages"].get_object()
        declared = tree.get("/Count")
        if declared != count:
            return {
                "ok": False,
                "reason": f"the PDF's page tree is damaged: it declares {declared} pages "
                f"and holds {count}",
            }
        active = active_content(reader.trailer.get("/Root"))
        if active is not None:
            return {"ok": False, "reason": active}
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
