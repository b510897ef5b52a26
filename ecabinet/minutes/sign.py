"""PAdES signatures with pyHanko (``subfilter=PADES``, ``ETSI.CAdES.detached``).

The clerk signs first, as a certification signature that still allows form filling and
signing (DocMDP P=2); the chair signs second, as an approval signature. Each is an
incremental update into the empty field the renderer placed over the template's signature
box, so nothing is drawn on the page after the first signature: only the field's own
appearance (signer, role, local time as a Vietnamese reader writes it: "10:42, ngày
04/12/2026") is filled in by its signature; the exact time stays in the signature (``/M``,
and the timestamp's, when there is one).

The key is the signer's (``ecabinet/signing``: a key the server holds, or one on a PKCS#11
token opened with the PIN the person typed), opened for this one signature.

Runs in a worker process (``worker.py``): the sync pyHanko API runs its own event loop.
"""

from __future__ import annotations

import functools
import io
import logging
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ecabinet.minutes.render import local_zone
from ecabinet.signing.signers import HeldKey, Signer

# A font with Vietnamese glyphs for the signature appearance, embedded as PDF/A requires.
# pyHanko's OpenType engine lays out text correctly only for fonts of 1000 units per em
# (Noto), not 2048 (Liberation, DejaVu), hence Noto Serif first.
STAMP_FONTS = (
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "/usr/share/fonts/opentype/noto/NotoSerif-Regular.ttf",
)
STAMP_FONT_PT = 8


@dataclass(frozen=True, kw_only=True)
class SignRequest:
    """One signature. The key is ``signer`` (ecabinet/signing), opened with ``pin`` when it
    needs one; without ``signer``, the key the server holds in the three PEM fields."""

    pdf: bytes
    field: str  # "sig-clerk" | "sig-chair"
    certify: bool  # the first signature certifies the document
    certificate_pem: bytes = b""
    chain_pem: bytes = b""
    key_pem: bytes = b""
    signer: Signer | None = None
    pin: str | None = None  # given by the person signing; passed to the token, never kept
    signer_name: str
    role_title: str  # e.g. "Thư ký", "Chủ tọa"
    caption: str  # "Ký số" / "Digitally signed"
    location: str
    tsa_url: str | None = None
    language: str = "vi"  # of the time in the appearance: "vi" | "en"


def signing_time_text(moment: datetime, language: str) -> str:
    """The signing time in the box, in the installation's zone: "10:42, ngày 04/12/2026"
    (Vietnamese), "10:42, 4 December 2026" (English, as the dates on its pages)."""
    local = moment.astimezone(local_zone())
    if language == "vi":
        return f"{local:%H:%M}, ngày {local:%d/%m/%Y}"
    return f"{local:%H:%M}, {local.day} {local:%B %Y}"


# The characters a signature appearance may need: Latin with every Vietnamese letter and
# tone mark, digits and punctuation. Subsetting the font to them once per process makes
# each signature's own subsetting cheap (a whole Noto Serif took ~0.5 s per signature).
# The subset keeps no OpenType layout tables (GSUB, GPOS, GDEF): the texts are NFC, and
# every Vietnamese letter has its own precomposed glyph, so nothing needs shaping; reading
# and compacting those tables again at each signature was most of its time (0.1–0.3 s → 0.05 s
# per signature for the 50-item benchmark's minutes).
STAMP_UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x300, 0x370),
    *range(0x1E00, 0x1F00),
    *range(0x2000, 0x2070),
]


@functools.cache
def stamp_font() -> str:
    """A Latin/Vietnamese subset of the stamp font, written once per process."""
    from fontTools import subset

    source = next((path for path in STAMP_FONTS if Path(path).exists()), None)
    if source is None:
        raise RuntimeError("no font for the signature appearance: install fonts-noto-core")
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH"]
    options.name_IDs = ["*"]
    font = subset.load_font(source, options)
    try:  # the loaded font keeps its file open until closed
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=STAMP_UNICODES)
        subsetter.subset(font)
        target = Path(tempfile.mkdtemp(prefix="ecabinet-font-")) / "stamp.ttf"
        subset.save_font(font, str(target), options)
    finally:
        font.close()
    return str(target)


def sign(request: SignRequest, timestamper: Any = None) -> bytes:
    """Sign ``request.pdf`` into its field; a signature timestamp comes from
    ``timestamper`` (tests: pyHanko's ``DummyTimeStamper``) or from ``request.tsa_url``."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import signers, timestamps
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
    from pyhanko.stamp import TextStampStyle

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "FFTM NOT subset" noise
    meta = signers.PdfSignatureMetadata(
        field_name=request.field,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        certify=request.certify,
        docmdp_permissions=MDPPerm.FILL_FORMS,
        reason=request.role_title,
        location=request.location or None,
        name=request.signer_name,
    )
    style = TextStampStyle(
        stamp_text="%(caption)s: %(signer)s\n%(role)s\n%(signed_at)s",
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(stamp_font(), font_size=STAMP_FONT_PT)
        ),
        border_width=0,
        background=None,
    )
    if timestamper is None and request.tsa_url:
        timestamper = timestamps.HTTPTimeStamper(request.tsa_url)
    signed_at = signing_time_text(datetime.now(local_zone()), request.language)
    key = request.signer or HeldKey(request.certificate_pem, request.chain_pem, request.key_pem)
    with key.signing(request.pin) as signer:
        out = signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=style).sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(request.pdf)),
            appearance_text_params={
                "caption": request.caption,
                "signer": request.signer_name,
                "role": request.role_title,
                "signed_at": signed_at,
            },
        )
    return bytes(out.getvalue())
