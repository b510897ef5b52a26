"""A corpus of hostile and damaged PDFs, generated here, through the bounded inspection
worker (``ingest.inspect_pdf``, a subprocess limited in memory, CPU and wall time) and
through the real server: each file is accepted with the page count it really has, or
refused with a reason; none hangs the worker past its bound or the server at all.

Cases: random byte flips of valid files (several seeds), cyclic references (``/Kids`` and
``/Parent`` loops, an object that is its own value, an xref chain that points at itself),
page trees that declare more or fewer pages than they hold, JavaScript / OpenAction /
Launch / additional actions (refused: see ``ecabinet.documents.inspect``), nested
FlateDecode bombs, a worker that runs out of memory or of time; XFA forms with scripts,
``javascript:`` links and SubmitForm / ImportData / GoToR / Launch actions in any spelling,
embedded files, images whose declared size is too large to draw, and a page tree that lists
one page thousands of times.

Each inspection prints its wall time (measured here) and the inspector's peak resident
memory (reported by it; none when it was killed at a bound): run with ``-s`` to see them.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from weasyprint import HTML

from ecabinet.documents import ingest
from ecabinet.documents.inspect import (
    ACTIVE_REASON,
    EMBEDDED_REASON,
    PAGE_OBJECT_USES_MAX,
    REMOTE_REASON,
    XFA_REASON,
)
from ecabinet.errors import Invalid
from harness.client import api, login
from tests import pdfs
from tests.integration.conftest import Running
from tests.integration.test_documents import upload
from tests.integration.test_upload_refusals import stored

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

MAX_PAGES = 5000
# The worker is killed at its wall-clock bound; a test waits a little longer than that.
WORKER_BOUND_SECS = ingest.INSPECT_WALL_SECS + 5
objects_pdf = pdfs.pdf_from_objects
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


async def verdict(tmp_path: Path, data: bytes, label: str = "") -> int | str:
    """The page count of an accepted file, or the reason of a refusal; prints what the
    inspection cost (wall time, the inspector's peak resident memory)."""
    path = tmp_path / f"{os.urandom(6).hex()}.pdf"
    path.write_bytes(data)
    started = time.monotonic()
    async with asyncio.timeout(WORKER_BOUND_SECS):
        found = await ingest.inspect(path, "0" * 64, len(data), MAX_PAGES)
    wall = time.monotonic() - started
    peak = "killed" if found.peak_rss_bytes is None else f"{found.peak_rss_bytes / 2**20:.0f} MiB"
    outcome = found.info.pages if found.info is not None else found.refusal
    assert outcome, "a refusal names its reason"
    print(f"\n[corpus] {label or len(data)}: {len(data):,} bytes, {wall:.2f} s, peak {peak}")
    return outcome


def three_text_pages() -> bytes:
    content = zlib.compress(b"BT /F1 24 Tf 72 720 Td (Bao cao) Tj ET\n" * 20)
    objects = [
        CATALOG,
        b"<< /Type /Pages /Kids [4 0 R 5 0 R 6 0 R] /Count 3 >>",
        f"<< /Length {len(content)} /Filter /FlateDecode >>".encode()
        + b"\nstream\n"
        + content
        + b"\nendstream",
    ]
    font = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources "
        + font
        + b" >>"
    ] * 3
    return objects_pdf(objects)


def rendered_by_weasyprint() -> bytes:
    """A real-world kind of file: embedded fonts (Vietnamese), several pages, an outline."""
    body = "".join(
        f"<h1>Mục {i}</h1><p>{'Báo cáo tình hình kinh tế – xã hội quý IV. ' * 120}</p>"
        for i in range(1, 4)
    )
    return bytes(HTML(string=f"<html lang='vi'><body>{body}</body></html>").write_pdf())


BASES: dict[str, Callable[[], bytes]] = {
    "pypdf pages": lambda: pdfs.pages(3),
    "hand-made text pages": three_text_pages,
    "weasyprint": rendered_by_weasyprint,
}


def flipped(data: bytes, seed: int) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(rng.randint(1, 24)):
        out[rng.randrange(len(out))] ^= rng.randint(1, 255)
    return bytes(out)


@pytest.mark.parametrize("base", sorted(BASES))
async def test_byte_flips_are_accepted_with_the_true_page_count_or_refused(
    tmp_path: Path, base: str
) -> None:
    original = BASES[base]()
    expected = await verdict(tmp_path, original, base)
    assert isinstance(expected, int) and expected >= 1, expected
    for seed in range(12):
        outcome = await verdict(tmp_path, flipped(original, seed), f"{base}, flipped {seed}")
        assert outcome == expected or isinstance(outcome, str), (seed, outcome)


CYCLIC: dict[str, bytes] = {
    "kids contain their own node": objects_pdf(
        [CATALOG, b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", PAGE]
    ),
    "pages node is its only kid": objects_pdf(
        [CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]
    ),
    "parent loop without a media box": objects_pdf(
        [
            CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 3 0 R >>",
            b"<< /Type /Page /Parent 2 0 R >>",
        ]
    ),
    "an object that is its own value": objects_pdf(
        [
            CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox 4 0 R >>",
            b"4 0 R",
        ]
    ),
    "a stream whose length is itself": objects_pdf(
        [
            CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length 4 0 R >>\nstream\n0 0 m\nendstream",
        ]
    ),
}


@pytest.mark.parametrize("kind", sorted(CYCLIC))
async def test_cyclic_references_are_refused_with_a_reason(tmp_path: Path, kind: str) -> None:
    outcome = await verdict(tmp_path, CYCLIC[kind], kind)
    assert isinstance(outcome, str), outcome


def _with_xref_pointing_at_itself() -> bytes:
    data = objects_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE])
    at = data.rindex(b"startxref\n")
    own = int(data[at + 10 :].split(b"\n")[0])
    return data.replace(b"/Root 1 0 R >>", f"/Root 1 0 R /Prev {own} >>".encode())


def _with_startxref_pointing_at_itself() -> bytes:
    data = objects_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE])
    at = data.rindex(b"startxref\n")
    return data[:at] + b"startxref\n" + str(at).encode() + b"\n%%EOF\n"


@pytest.mark.parametrize(
    "make", [_with_xref_pointing_at_itself, _with_startxref_pointing_at_itself]
)
async def test_an_xref_chain_pointing_at_itself_ends(
    tmp_path: Path, make: Callable[[], bytes]
) -> None:
    """The reader notices the loop and reads the one page (or refuses); it never spins."""
    outcome = await verdict(tmp_path, make(), make.__name__)
    assert outcome == 1 or isinstance(outcome, str), outcome


@pytest.mark.parametrize(
    ("declared", "kids"), [(999_999_999, 1), (3, 1), (1, 3), (4999, 2)], ids=str
)
async def test_a_page_tree_that_miscounts_is_refused(
    tmp_path: Path, declared: int, kids: int
) -> None:
    """pdf.js believes /Count; accepting a lie would show tablets pages that do not exist."""
    tree = f"<< /Type /Pages /Kids [{' '.join(['3 0 R'] * kids)}] /Count {declared} >>"
    outcome = await verdict(
        tmp_path, objects_pdf([CATALOG, tree.encode(), PAGE]), f"declares {declared}, holds {kids}"
    )
    assert (
        outcome == f"the PDF's page tree is damaged: it declares {declared} pages and holds {kids}"
    )


def _catalog_with(extra: bytes, page_extra: bytes = b"") -> bytes:
    return objects_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page_extra + b" >>",
            b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
        ]
    )


ACTIVE: dict[str, bytes] = {
    "open action runs javascript": _catalog_with(b"/OpenAction 4 0 R"),
    "open action inline": _catalog_with(b"/OpenAction << /S /JavaScript /JS (this.print()) >>"),
    "document javascript name tree": _catalog_with(
        b"/Names << /JavaScript << /Names [(a) 4 0 R] >> >>"
    ),
    "page open additional action": _catalog_with(b"", b"/AA << /O 4 0 R >>"),
    "launch action in a link": _catalog_with(
        b"",
        b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
        b"/A << /S /Launch /F (cmd.exe) >> >>]",
    ),
    "javascript behind a chain of references": objects_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            PAGE,
            b"<< /S /GoTo /D [3 0 R /Fit] /Next 5 0 R >>",
            b"<< /S 6 0 R /JS (x) >>",
            b"/JavaScript",
        ]
    ),
}


@pytest.mark.parametrize("kind", sorted(ACTIVE))
async def test_javascript_and_launch_actions_are_refused(tmp_path: Path, kind: str) -> None:
    assert await verdict(tmp_path, ACTIVE[kind], kind) == ACTIVE_REASON


async def test_harmless_actions_are_accepted(tmp_path: Path) -> None:
    """Going to a page when opened and web links are no active content."""
    data = _catalog_with(
        b"/OpenAction [3 0 R /Fit]",
        b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
        b"/A << /S /URI /URI (https://example.gov.vn) >> >>]",
    )
    assert await verdict(tmp_path, data, "harmless actions") == 1


def _triple_flate_bomb() -> bytes:
    inner = zlib.compress(zlib.compress(b"0 0 m\n" * (200 * 1024 * 1024 // 6), 9), 9)
    return pdfs.raw_pdf(zlib.compress(inner, 9), ["FlateDecode"] * 3)


def _bomb_in_a_form_xobject_and_a_page() -> bytes:
    bomb = zlib.compress(zlib.compress(b"q Q\n" * (120 * 1024 * 1024 // 4), 9), 9)
    return objects_pdf(
        [
            CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 4 0 R] >>",
            f"<< /Length {len(bomb)} /Filter [/FlateDecode /FlateDecode] >>".encode()
            + b"\nstream\n"
            + bomb
            + b"\nendstream",
        ]
    )


@pytest.mark.parametrize(
    "make", [pdfs.nested_flate_bomb, _triple_flate_bomb, _bomb_in_a_form_xobject_and_a_page]
)
async def test_nested_flate_bombs_are_refused_by_the_decompression_limit(
    tmp_path: Path, make: Callable[[], bytes]
) -> None:
    """Refused by pypdf's decompression limit inside the worker — not by its wall-clock
    bound (which would say "took too long"), so the refusal does not wait for that bound."""
    outcome = await verdict(tmp_path, make(), make.__name__)
    assert isinstance(outcome, str) and "bomb" in outcome, outcome


async def test_a_worker_that_runs_out_of_memory_refuses_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a tight address-space bound the bomb kills the worker, never the server; an
    ordinary file still passes under the same bound."""
    monkeypatch.setattr(ingest, "INSPECT_MEMORY_BYTES", 96 * 1024 * 1024)
    assert await verdict(tmp_path, pdfs.pages(2), "2 pages within 96 MiB") == 2
    outcome = await verdict(tmp_path, pdfs.nested_flate_bomb(), "bomb within 96 MiB")
    assert outcome == "the PDF could not be read within the resource limits and was refused"


async def test_a_worker_that_hangs_is_killed_at_its_wall_clock_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A named pipe nobody writes to makes the worker wait for ever on open()."""
    monkeypatch.setattr(ingest, "INSPECT_WALL_SECS", 1)
    fifo = tmp_path / "never.pdf"
    os.mkfifo(fifo)
    async with asyncio.timeout(10):
        with pytest.raises(Invalid, match="took too long"):
            await ingest.inspect_pdf(fifo, "0" * 64, 0, MAX_PAGES)


async def test_hostile_files_through_the_server_write_nothing(
    running: Running, meeting: int
) -> None:
    clerk = await login(running.url, "clerk")
    corpus = [
        ACTIVE["open action runs javascript"],
        CYCLIC["kids contain their own node"],
        flipped(pdfs.pages(3), 3),
    ]
    for body in corpus:
        response = await upload(running.url, clerk, meeting, body, "<b>báo cáo</b>.pdf")
        assert response.status_code in (201, 400), response.text
        if response.status_code == 201:
            assert response.json()["document"]["pages"] == 3
        else:
            assert response.json()["error"]["code"] == "invalid"
    async with api(running.url, clerk) as http:
        assert (await http.get("/healthz")).status_code == 200
        documents = (await http.get(f"/api/meetings/{meeting}/documents")).json()["documents"]
    assert all(d["pages"] == 3 for d in documents)


SCRIPT = b'<script contentType="application/x-javascript">app.alert(1)</script>'
IMAGE_REASON = "the PDF has an image of"
REPEATED_PAGE_REASON = "the PDF's page tree lists one page 4000 times"

# Each file and the start of the reason it is refused for. All but the escaped JavaScript
# action were accepted before these checks (pypdf decodes name escapes, so the old check
# already saw /J#61vaScript as /JavaScript).
REFUSED: dict[str, tuple[Callable[[], bytes], str]] = {
    "xfa form with a javascript event": (lambda: pdfs.xfa_form(SCRIPT), XFA_REASON),
    "xfa form in one stream, formcalc in a prefixed tag": (
        lambda: pdfs.xfa_form(b'<xfa:script>$host.messageBox("x")</xfa:script>', False),
        XFA_REASON,
    ),
    "javascript: link": (
        lambda: pdfs.with_link(b"<< /S /URI /URI (javascript:app.alert\\(1\\)) >>"),
        ACTIVE_REASON,
    ),
    "javascript: link in mixed case": (
        lambda: pdfs.with_link(b"<< /S /URI /URI (JaVaScRiPt:app.alert\\(1\\)) >>"),
        ACTIVE_REASON,
    ),
    "javascript: link with blanks and control characters": (
        lambda: pdfs.with_link(
            b"<< /S /URI /URI " + pdfs.pdf_string(b" \tjava\nscr\x00ipt:alert(1)") + b" >>"
        ),
        ACTIVE_REASON,
    ),
    "vbscript: link": (
        lambda: pdfs.with_link(b"<< /S /URI /URI (VBScript:MsgBox) >>"),
        ACTIVE_REASON,
    ),
    "link to a windows share": (
        lambda: pdfs.with_link(
            b"<< /S /URI /URI " + pdfs.pdf_string(b"\\\\attacker.example\\share\\a.pdf") + b" >>"
        ),
        REMOTE_REASON,
    ),
    "javascript action with escaped names": (
        lambda: pdfs.with_link(b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"),
        ACTIVE_REASON,
    ),
    "launch, escaped and in lower case": (
        lambda: pdfs.with_link(b"<< /S /l#61unch /F (cmd.exe) >>"),
        ACTIVE_REASON,
    ),
    "submit form": (
        lambda: pdfs.with_link(b"<< /S /SubmitForm /F << /FS /URL /F (https://x.example) >> >>"),
        REMOTE_REASON,
    ),
    "submit form with an escaped name": (
        lambda: pdfs.with_link(b"<< /S /Submit#46orm /F << /FS /URL /F (https://x.example) >> >>"),
        REMOTE_REASON,
    ),
    "submit form when the page closes": (
        lambda: pdfs.one_page(
            page_extra=b"/AA << /C << /S /SubmitForm /F (https://x.example) >> >>"
        ),
        REMOTE_REASON,
    ),
    "import data": (
        lambda: pdfs.with_link(b"<< /S /ImportData /F (du-lieu.fdf) >>"),
        REMOTE_REASON,
    ),
    "go to a remote file": (
        lambda: pdfs.with_link(b"<< /S /GoToR /F (khac.pdf) /D [0 /Fit] >>"),
        REMOTE_REASON,
    ),
    "go to a remote file, escaped and in lower case": (
        lambda: pdfs.with_link(b"<< /S /#67oto#72 /F (khac.pdf) /D [0 /Fit] >>"),
        REMOTE_REASON,
    ),
    "go to an embedded file": (
        lambda: pdfs.with_link(b"<< /S /GoToE /T << /R /C /N (a) >> >>"),
        REMOTE_REASON,
    ),
    "embedded files name tree": (pdfs.embedded_files_tree, EMBEDDED_REASON),
    "file attachment annotation": (pdfs.file_attachment_annotation, EMBEDDED_REASON),
    "1 GiB embedded file in 1 MB": (pdfs.gigabyte_embedded_file, EMBEDDED_REASON),
    "32768 x 32768 RGB image in a few bytes": (pdfs.huge_image, IMAGE_REASON),
    "16-bit CMYK image of 800 MB": (pdfs.deep_image, IMAGE_REASON),
    "40000 x 40000 inline image": (pdfs.huge_inline_image, IMAGE_REASON),
    "one page listed 4000 times": (lambda: pdfs.one_page_listed(4000), REPEATED_PAGE_REASON),
}


@pytest.mark.parametrize("kind", sorted(REFUSED))
async def test_scripts_remote_actions_attachments_huge_images_and_repeated_pages_are_refused(
    tmp_path: Path, kind: str
) -> None:
    make, reason = REFUSED[kind]
    outcome = await verdict(tmp_path, make(), kind)
    assert isinstance(outcome, str) and outcome.startswith(reason), outcome


HARMLESS: dict[str, tuple[Callable[[], bytes], int]] = {
    "xfa form without scripts": (lambda: pdfs.xfa_form(b""), 1),
    "web link that mentions javascript: in its query": (
        lambda: pdfs.with_link(b"<< /S /URI /URI (https://example.gov.vn/?q=javascript:) >>"),
        1,
    ),
    "mail link": (
        lambda: pdfs.with_link(b"<< /S /URI /URI (mailto:vanphong@example.gov.vn) >>"),
        1,
    ),
    "go to a page of the same file": (lambda: pdfs.with_link(b"<< /S /GoTo /D [3 0 R /Fit] >>"), 1),
    "A3 scan at 600 dpi (70 million pixels, RGB)": (
        lambda: pdfs.image_page(
            b"/Width 7016 /Height 9921 /ColorSpace /DeviceRGB /BitsPerComponent 8"
        ),
        1,
    ),
    f"one page listed {PAGE_OBJECT_USES_MAX} times": (
        lambda: pdfs.one_page_listed(PAGE_OBJECT_USES_MAX),
        PAGE_OBJECT_USES_MAX,
    ),
}


@pytest.mark.parametrize("kind", sorted(HARMLESS))
async def test_their_harmless_neighbours_are_accepted(tmp_path: Path, kind: str) -> None:
    make, pages = HARMLESS[kind]
    assert await verdict(tmp_path, make(), kind) == pages


async def test_new_hostile_kinds_through_the_server_store_nothing(
    running: Running, meeting: int
) -> None:
    """Refused with their reason over HTTP, and no file or ``blobs`` row is left."""
    clerk = await login(running.url, "clerk")
    before = await stored(running)
    for kind in sorted(REFUSED):
        make, reason = REFUSED[kind]
        response = await upload(running.url, clerk, meeting, make(), "innocent.pdf")
        assert response.status_code == 400, (kind, response.text)
        assert response.json()["error"]["message"].startswith(reason), kind
    assert await stored(running) == before
