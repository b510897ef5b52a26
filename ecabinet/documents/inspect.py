"""Inspect one PDF and print what was found as one JSON line.

Run only as ``python -m ecabinet.documents.inspect PATH MAX_PAGES`` inside the bounded worker
(``ingest.inspect_pdf``), which limits its memory, CPU time and wall time: a hostile file can
make this process fail, never the server. Every content stream is decompressed once (with
pypdf's own decompression limit) so a compression bomb is found here, not in a tablet. The
answer also carries this process's peak resident memory (``peak_rss_kib``), for the record.

Refused besides, each with a reason a clerk can act on (the stored bytes are always exactly
the uploaded ones: nothing is ever stripped):

- a page tree whose declared ``/Count`` differs from the pages it holds (pdf.js trusts
  ``/Count``, so server and tablets would disagree on the page count; loops in ``/Kids`` or
  ``/Parent`` end here too);
- a page tree that lists one page object more than ``PAGE_OBJECT_USES_MAX`` times. A page
  object has one ``/Parent``, so a well-formed tree lists it once; a few repeats are
  tolerated for producers that reuse a blank page. Each listing is a page of its own in
  every watermarked or annotated copy (about 2 ms of server time each), so repeats let a
  few bytes cost as much as a long document: 24 KB listing one page 4,000 times made 4,000
  pages and 14–16 s per copy. Without repeats every page costs its own bytes in the upload,
  and the page limit (``ECABINET_DOCUMENT_MAX_PAGES``) bounds a copy's cost;
- **active content** anywhere in the object graph: JavaScript (``/JS``, ``/S /JavaScript``,
  a ``/JavaScript`` name tree, 3D ``/OnInstantiate`` scripts, ``javascript:`` and
  ``vbscript:`` links), launch actions, actions that open other files or send or load data
  (``/GoToR``, ``/GoToE``, ``/SubmitForm``, ``/ImportData``, ``file:`` and ``\\\\server``
  links), and XFA forms that carry scripts. Names are compared after pypdf has decoded
  their ``#xx`` escapes (``/J#61vaScript`` is ``/JavaScript``) and without regard to case;
  links after removing every blank and control character (browsers drop tabs and new lines
  inside a scheme) and without regard to case. The tablets render with pdf.js without
  scripting, but a downloaded copy may be opened in a reader that runs them; meeting
  documents have no need of them;
- **embedded files** (an ``/EmbeddedFiles`` name tree, a file specification with ``/EF``,
  ``/FileAttachment`` annotations, ``/EmbeddedFile`` streams): their bytes escape every
  other check here and their size is not what the file's size suggests;
- **images too large to draw**: an image (XObject or inline in a page's content) whose
  declared size passes ``IMAGE_MAX_PIXELS`` or whose decoded pixels pass
  ``IMAGE_MAX_DECODED_BYTES``. A renderer allocates the declared size whatever the stream
  holds, so a small file can declare a 32768 × 32768 image and exhaust a tablet.
"""

from __future__ import annotations

import json
import math
import re
import resource
import sys
from collections import Counter
from typing import Any

CONTENT_TOTAL_MAX_BYTES = 512 * 1024 * 1024  # decompressed page content of one document
GRAPH_MAX_NODES = 2_000_000  # objects walked in search of active content
PAGE_OBJECT_USES_MAX = 4  # listings of one page object in the page tree (see above)
# An A3 page scanned at 600 dpi is 70 million pixels; an A0 poster at 300 dpi, 140 million.
IMAGE_MAX_PIXELS = 150_000_000
IMAGE_MAX_DECODED_BYTES = 600 * 1024 * 1024  # one image's decoded samples, in bytes
INLINE_IMAGE_HEAD_MAX_BYTES = 4096  # an inline image's dictionary, from BI to ID

SCRIPT_ACTIONS = frozenset({"javascript", "launch"})  # action types, lower case
REMOTE_ACTIONS = frozenset({"gotor", "gotoe", "submitform", "importdata"})
SCRIPT_KEYS = frozenset({"/js", "/javascript", "/oninstantiate"})
SCRIPT_LINK_PREFIXES = ("javascript:", "vbscript:")
FILE_LINK_PREFIXES = ("file:", "\\\\")
EMBEDDED_KEYS = frozenset({"/embeddedfiles", "/ef"})
EMBEDDED_KINDS = frozenset({"fileattachment", "embeddedfile"})  # /Subtype or /Type, lower case
XFA_SCRIPT = re.compile(rb"<\s*(?:[\w.-]+:)?script\b", re.IGNORECASE)
# PDF white space and every other control character, removed from links before the check.
LINK_NOISE = re.compile(r"[\x00-\x20\x7f]+")
INLINE_IMAGE = re.compile(
    rb"(?<![^\s])BI\s(.{0,%d}?)\sID\s" % INLINE_IMAGE_HEAD_MAX_BYTES, re.DOTALL
)
INLINE_ENTRY = re.compile(rb"/(W|Width|H|Height|BPC|BitsPerComponent|CS|ColorSpace)\s*/?(\w+)")
COMPONENTS = {
    "devicegray": 1, "g": 1, "calgray": 1, "indexed": 1, "i": 1, "separation": 1,
    "pattern": 1, "devicergb": 3, "rgb": 3, "calrgb": 3, "lab": 3, "devicecmyk": 4, "cmyk": 4,
}  # fmt: skip
COMPONENTS_UNKNOWN = 4  # a colour space we cannot tell (or none, as JPX may have): the most
COMPONENTS_MAX = 32  # DeviceN's limit

ACTIVE_REASON = (
    "the PDF contains JavaScript or launch actions, which are not accepted; "
    "print it to a new PDF (or export it again) without them"
)
REMOTE_REASON = (
    "the PDF contains links or actions that open other files or send form data, which are "
    "not accepted; print it to a new PDF (or export it again) without them"
)
XFA_REASON = (
    "the PDF is an XFA form with scripts, which is not accepted; print the form to a new PDF"
)
EMBEDDED_REASON = (
    "the PDF carries attached files, which are not accepted; upload the PDF without its "
    "attachments (and each attachment that is needed as a document of its own)"
)


def _resolve(value: Any) -> Any:
    from pypdf.generic import IndirectObject

    return value.get_object() if isinstance(value, IndirectObject) else value


def _word(value: Any) -> str:
    """A name or string value, lower case, without the leading slash ('' for anything else)."""
    value = _resolve(value)
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value.lstrip("/").lower() if isinstance(value, str) else ""


def _number(value: Any) -> float:
    """A positive finite number, or 0.0 for anything else (text from a content stream too)."""
    value = _resolve(value)
    if isinstance(value, bytes | str):
        try:
            value = float(value)
        except ValueError:
            return 0.0
    if not isinstance(value, int | float):
        return 0.0
    number = float(value)
    return number if math.isfinite(number) and number > 0 else 0.0


def _components(space: Any) -> int:
    space = _resolve(space)
    if isinstance(space, list) and space:
        family = _word(space[0])
        if family == "iccbased" and len(space) > 1:
            profile = _resolve(space[1])
            declared = _number(dict.get(profile, "/N")) if isinstance(profile, dict) else 0.0
            return min(int(declared), COMPONENTS_MAX) if declared else COMPONENTS_UNKNOWN
        if family == "devicen" and len(space) > 1:
            names = _resolve(space[1])
            return min(len(names), COMPONENTS_MAX) if isinstance(names, list) else 1
        return COMPONENTS.get(family, COMPONENTS_UNKNOWN)
    return COMPONENTS.get(_word(space), COMPONENTS_UNKNOWN)


def image_refusal(width: float, height: float, components: int, bits: float) -> str | None:
    """The reason to refuse an image of this declared size, or None."""
    pixels = width * height
    decoded = math.ceil(width * components * max(bits, 1.0) / 8) * height
    if pixels > IMAGE_MAX_PIXELS or decoded > IMAGE_MAX_DECODED_BYTES:
        return (
            f"the PDF has an image of {int(width)} × {int(height)} pixels, too large to "
            f"display (at most {IMAGE_MAX_PIXELS // 1_000_000} million pixels and "
            f"{IMAGE_MAX_DECODED_BYTES // (1024 * 1024)} MB decoded); "
            "reduce its resolution and export the PDF again"
        )
    return None


def _xobject_image_refusal(node: dict[str, Any]) -> str | None:
    mask = _resolve(node.get("/ImageMask"))
    if getattr(mask, "value", mask) is True:  # pypdf's BooleanObject holds a bool
        components, bits = 1, 1.0
    else:
        components = _components(node.get("/ColorSpace"))
        bits = _number(node.get("/BitsPerComponent")) or 8.0
    return image_refusal(
        _number(node.get("/Width")), _number(node.get("/Height")), components, bits
    )


def inline_image_refusal(content: bytes) -> str | None:
    """The reason to refuse an inline image (``BI … ID … EI``) of a content stream, or None."""
    for head in INLINE_IMAGE.finditer(content):
        entries = {k.decode(): v.decode() for k, v in INLINE_ENTRY.findall(head.group(1))}
        width = _number(entries.get("W") or entries.get("Width"))
        height = _number(entries.get("H") or entries.get("Height"))
        space = (entries.get("CS") or entries.get("ColorSpace") or "").lower()
        bits = _number(entries.get("BPC") or entries.get("BitsPerComponent")) or 8.0
        reason = image_refusal(width, height, COMPONENTS.get(space, COMPONENTS_UNKNOWN), bits)
        if reason is not None:
            return reason
    return None


def _link_refusal(uri: Any) -> str | None:
    uri = _resolve(uri)
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    if not isinstance(uri, str):
        return None
    link = LINK_NOISE.sub("", uri).lower()
    if link.startswith(SCRIPT_LINK_PREFIXES):
        return ACTIVE_REASON
    if link.startswith(FILE_LINK_PREFIXES):
        return REMOTE_REASON
    return None


def _xfa_refusal(xfa: Any) -> str | None:
    """An XFA form is one stream or an array of (part name, stream) pairs."""
    from pypdf.generic import StreamObject

    xfa = _resolve(xfa)
    parts = [_resolve(part) for part in xfa] if isinstance(xfa, list) else [xfa]
    for part in parts:
        if isinstance(part, StreamObject) and XFA_SCRIPT.search(part.get_data()):
            return XFA_REASON
    return None


def _dictionary_refusal(node: dict[str, Any]) -> str | None:
    """What one dictionary (or stream's dictionary) of the graph is refused for, or None."""
    keys = {str(key).lower(): key for key in dict.keys(node)}
    kind = _word(dict.get(node, keys.get("/s", "")))
    if kind in SCRIPT_ACTIONS or not SCRIPT_KEYS.isdisjoint(keys):
        return ACTIVE_REASON
    if kind in REMOTE_ACTIONS:
        return REMOTE_REASON
    if "/uri" in keys and (reason := _link_refusal(dict.get(node, keys["/uri"]))):
        return reason
    subtype, type_ = _word(dict.get(node, "/Subtype")), _word(dict.get(node, "/Type"))
    if not EMBEDDED_KEYS.isdisjoint(keys) or {subtype, type_} & EMBEDDED_KINDS:
        return EMBEDDED_REASON
    if "/xfa" in keys and (reason := _xfa_refusal(dict.get(node, keys["/xfa"]))):
        return reason
    if subtype == "image":
        return _xobject_image_refusal(node)
    return None


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
            reason = _dictionary_refusal(node)
            if reason is not None:
                return reason
            stack.extend(dict.values(node))
        elif isinstance(node, ArrayObject):
            stack.extend(list.__iter__(node))
    return None


def _repeated_page(reader: Any) -> str | None:
    uses = Counter(
        (page.indirect_reference.idnum, page.indirect_reference.generation)
        for page in reader.pages
        if page.indirect_reference is not None
    )
    most = max(uses.values(), default=0)
    if most > PAGE_OBJECT_USES_MAX:
        return (
            f"the PDF's page tree lists one page {most} times (at most "
            f"{PAGE_OBJECT_USES_MAX} are accepted): a damaged or crafted file; "
            "print it to a new PDF"
        )
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
        refusal = _repeated_page(reader) or active_content(reader.trailer.get("/Root"))
        if refusal is not None:
            return {"ok": False, "reason": refusal}
        sizes, total = [], 0
        for page in reader.pages:
            box = page.mediabox
            width, height = round(float(box.width), 2), round(float(box.height), 2)
            if (page.get("/Rotate", 0) or 0) % 180:
                width, height = height, width
            sizes.append([width, height])
            contents = page.get_contents()
            data = contents.get_data() if contents is not None else b""
            total += len(data)
            if total > CONTENT_TOTAL_MAX_BYTES:
                return {
                    "ok": False,
                    "reason": "the PDF expands to too much content (compression bomb?)",
                }
            refusal = inline_image_refusal(data)
            if refusal is not None:
                return {"ok": False, "reason": refusal}
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


def peak_rss_kib() -> int:
    """This program's peak resident memory, in KiB. ``VmHWM`` starts afresh at ``exec``;
    ``ru_maxrss`` would include the server's memory at the ``fork`` that started us."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


if __name__ == "__main__":
    verdict = inspect(sys.argv[1], int(sys.argv[2]))
    verdict["peak_rss_kib"] = peak_rss_kib()
    print(json.dumps(verdict))
