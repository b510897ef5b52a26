"""Record → HTML (Jinja2, autoescaped) → PDF/A-3b (WeasyPrint) with the record attached and
two empty signature fields over the boxes the template drew.

Runs in a worker process (``worker.py``), never on the event loop. WeasyPrint may fetch
nothing: the template embeds no image, and the URL fetcher refuses every URL. The
signature fields are added now, before any signature, so signing only fills them.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2

from ecabinet.canonical import canonical_json
from ecabinet.documents.watermark import no_fetch
from ecabinet.minutes import _fit
from ecabinet.minutes.labels import LABELS
from ecabinet.minutes.poll_words import PollWords
from ecabinet.minutes.record import RECORD_FILENAME

TEMPLATES = Path(__file__).parent / "templates"
# Minutes show Vietnam time (UTC+7, no daylight saving), the committees' own clock.
VIETNAM = timezone(timedelta(hours=7))
LOCAL_ZONE = "Asia/Ho_Chi_Minh"  # the installation's zone, for the times on the page


def local_zone() -> tzinfo:
    """The installation's zone (tz database); UTC+7 where the system has no tz data."""
    try:
        return ZoneInfo(LOCAL_ZONE)
    except ZoneInfoNotFoundError:
        return VIETNAM


PAGE_TEXT_MM = 210 - 30 - 15  # A4 less the left and right margins of the template
HEADER_GAP_MM = 3
# Header font sizes in points (MINUTES_LAYOUT.md), used by the template and to measure.
HEADER_PT: Mapping[str, Mapping[str, float]] = {
    "state": {"superior": 12.5, "agency": 12.5, "number": 13, "nation": 12, "motto": 13.5,
              "dateline": 14},
    "party": {"superior": 14, "agency": 14, "number": 14, "nation": 15, "motto": 14,
              "dateline": 14},
    "en": {"superior": 12.5, "agency": 12.5, "number": 13, "nation": 12, "motto": 13,
           "dateline": 13},
}  # fmt: skip
LATE_AFTER_SECS = 10 * 60  # an arrival time is shown for those who came later than this
PX_PER_PT = 4 / 3  # WeasyPrint's layout unit is the CSS px (1/96 in); PDF uses points
SIGNATURE_FIELDS = ("sig-clerk", "sig-chair")  # ids of the template's boxes = field names


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    html: str


_no_fetch = no_fetch  # loads nothing: no file://, no network


def _local(iso: str | None) -> datetime | None:
    if not iso:
        return None
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(local_zone())


def _hm(iso: str | None) -> str:
    moment = _local(iso)
    return moment.strftime("%H:%M") if moment else "…"


class _Helpers:
    """The functions the template calls, bound to one record and its layout."""

    def __init__(self, record: Mapping[str, Any]) -> None:
        self.record = record
        self.language = str(record["language"])
        self.labels = LABELS[record["layout"]]
        self.polls = PollWords(self.labels, self.language, str(record["layout"]))

    def clock(self, iso: str | None) -> str:
        moment = _local(iso)
        if moment is None:
            return "…"
        if self.language == "en":
            return moment.strftime("%H:%M")
        return f"{moment:%H} giờ {moment:%M} phút"

    def date(self, iso: str | None) -> str:
        moment = _local(iso)
        if moment is None:
            return "…"
        if self.language == "en":
            return f"{moment.day} {moment:%B %Y}"
        return f"ngày {moment:%d} tháng {moment:%m} năm {moment:%Y}"

    def date_vi(self, iso: str | None) -> str:
        moment = _local(iso)
        if moment is None:
            return "ngày … tháng … năm …"
        return f"ngày {moment:%d} tháng {moment:%m} năm {moment:%Y}"

    def dateline(self) -> str:
        """The date line, "<place>, ngày 01 tháng 12 năm 2026": the profile's place, or
        the one its committee's name gives (record.py)."""
        meeting, place = self.record["meeting"], self.record["document"]["place"]
        when = meeting["started_at"] or meeting["scheduled_at"]
        date = self.date(when) if self.language == "en" else self.date_vi(when)
        return f"{place}, {date}" if place else date

    def header(self) -> dict[str, Any]:
        """The header's lines and column widths: the national line, the motto and the date
        line each on one line in the right column, as wide as the widest of them; the
        superior body and the agency in the rest, split at a word only if too long."""
        layout = str(self.record["layout"])
        labels, pt = self.labels, HEADER_PT[layout]
        committee = self.record["committee"]
        right = max(
            _fit.width_mm(str(labels["nation"]), pt["nation"], bold=True),
            _fit.width_mm(str(labels["motto"]), pt["motto"], bold=True),
            _fit.width_mm(self.dateline(), pt["dateline"], italic=True),
        )
        right = min(right + 1, PAGE_TEXT_MM * 0.62)
        left = PAGE_TEXT_MM - right - HEADER_GAP_MM if layout != "en" else PAGE_TEXT_MM
        superior = str(committee["superior_body"] or "")
        return {
            "pt": pt,
            "left_mm": round(left, 1),
            "gap_mm": HEADER_GAP_MM,
            "right_mm": round(right, 1),
            "superior": _fit.lines_within(superior, left, pt["superior"], upper=True)
            if superior
            else [],
            "agency": _fit.lines_within(
                str(committee["official_name"]), left, pt["agency"], bold=True, upper=True
            ),
            "dateline": self.dateline(),
        }

    def unit(self, count: int) -> str:
        """The unit for ``count`` people: "thành viên", "đồng chí", "member(s)"."""
        return str(self.labels["units"]["one" if count == 1 else "other"])

    @staticmethod
    def doc_title(document: Mapping[str, Any]) -> str:
        """A document by its title; a title that is only the file's name loses the
        extension and the dashes of a file name ("bao-cao_2026.pdf" → "bao cao 2026")."""
        title, filename = str(document["title"]).strip(), str(document.get("filename") or "")
        stem = filename.rsplit(".", 1)[0]
        if title in (filename, stem) or not title:
            title = " ".join((stem or title).replace("_", " ").replace("-", " ").split())
        return title

    @staticmethod
    def item_state(item: Mapping[str, Any]) -> str:
        """What the minutes say of an item's outcome: deferred, withdrawn, or not discussed
        (pending and never taken up); "" otherwise (an item taken up and left pending when
        the meeting ended was discussed: its note and conclusions say the rest)."""
        status = str(item["status"])
        if status == "pending":
            return "" if item["visits"] else "not_discussed"
        return status if status in ("deferred", "withdrawn") else ""

    def late(self, person: Mapping[str, Any], started_at: str | None) -> bool:
        """Arrived more than LATE_AFTER_SECS after the start (check-ins take a while)."""
        first, start = _local(person["stints"][0]["arrived_at"]), _local(started_at)
        return bool(first and start and (first - start).total_seconds() > LATE_AFTER_SECS)

    @staticmethod
    def duration(secs: int | None) -> str:
        if secs is None:
            return "…"
        return f"{secs // 60}:{secs % 60:02d}"

    @staticmethod
    def paragraphs(text: str) -> list[str]:
        return [p.strip() for p in text.split("\n") if p.strip()]


_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def record_bytes(record: Mapping[str, Any]) -> bytes:
    """The attached record: canonical JSON (UTF-8, sorted keys), so its hash is stable."""
    return canonical_json(record)


def render_html(record: Mapping[str, Any]) -> str:
    helpers = _Helpers(record)
    return _environment.get_template("minutes.html").render(
        r=record,
        L=helpers.labels,
        polls={p["id"]: p for p in record["polls"]},
        documents={d["id"]: d for d in record["documents"]},
        header=helpers.header,
        doc_title=helpers.doc_title,
        item_state=helpers.item_state,
        decisions={d["id"]: d for d in record["decisions"]},
        record_sha256=hashlib.sha256(record_bytes(record)).hexdigest(),
        record_filename=RECORD_FILENAME,
        clock=helpers.clock,
        date=helpers.date,
        date_vi=helpers.date_vi,
        hm=_hm,
        late=helpers.late,
        duration=helpers.duration,
        paragraphs=helpers.paragraphs,
        quorum_text=helpers.polls.quorum_text,
        quorum_counted=helpers.polls.quorum_counted,
        needs_text=helpers.polls.needs_text,
        tally_rows=helpers.polls.tally_rows,
        result_text=helpers.polls.result_text,
        roll_call_groups=helpers.polls.roll_call_groups,
        paper_text=helpers.polls.paper_text,
        unit=helpers.unit,
    )


def render_profile_preview(record: Mapping[str, Any]) -> str:
    """The top of page 1 alone, as HTML for a screen: the header (same stylesheet, template
    and measured widths as the minutes), the title and the meeting's name. For the back
    office's live preview of a committee's minutes profile (``profile.preview_record``);
    Jinja only, never WeasyPrint or the worker: under a millisecond for ordinary texts, about
    0.1 s for four texts of 300 characters to measure and split (docs/protocol.md)."""
    helpers = _Helpers(record)
    return _environment.get_template("profile_preview.html").render(
        r=record, L=helpers.labels, header=helpers.header, text_mm=PAGE_TEXT_MM
    )


def _field_boxes(document: Any) -> list[tuple[str, int, tuple[int, int, int, int]]]:
    """Where the template drew each signature box: (name, page index, box in PDF points)."""
    boxes = []
    for index, page in enumerate(document.pages):
        height_pt = page.height / PX_PER_PT
        for name in SIGNATURE_FIELDS:
            if name in page.anchors:
                x0, y0, x1, y1 = page.anchors[name]
                box = (
                    round(x0 / PX_PER_PT),
                    round(height_pt - y1 / PX_PER_PT),
                    round(x1 / PX_PER_PT),
                    round(height_pt - y0 / PX_PER_PT),
                )
                boxes.append((name, index, box))
    return boxes


def render_pdf(html: str, record: Mapping[str, Any]) -> Rendered:
    """The draft: PDF/A-3b with the record attached, plus empty signature fields."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR
    from pyhanko.sign import fields
    from weasyprint import HTML, Attachment

    document = HTML(string=html, url_fetcher=_no_fetch).render()
    boxes = _field_boxes(document)
    if [name for name, _, _ in boxes] != list(SIGNATURE_FIELDS):
        raise RuntimeError("the template must draw each signature box once")
    attachment = Attachment(
        string=record_bytes(record),
        name=RECORD_FILENAME,
        description="E-cabinet minutes record (JSON)",
        relationship="Data",
        url_fetcher=_no_fetch,
        created=datetime.now(UTC),
        modified=datetime.now(UTC),
    )
    pdf = document.write_pdf(pdf_variant="pdf/a-3b", custom_metadata=True, attachments=[attachment])
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    # PDF/A wants the Info /Producer equal to XMP's pdf:Producer. pyHanko sets the XMP one
    # to its own name on every update and appends its name to the Info one unless present;
    # starting from exactly its name keeps both equal through the signatures.
    info_ref = writer.trailer.raw_get("/Info")
    info_ref.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
    writer.mark_update(info_ref)
    for name, page, box in boxes:
        fields.append_signature_field(
            writer, fields.SigFieldSpec(sig_field_name=name, on_page=page, box=box)
        )
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return Rendered(out.getvalue(), len(document.pages), html)


def render(record: Mapping[str, Any]) -> Rendered:
    return render_pdf(render_html(record), record)


def warm_up() -> None:
    """Load WeasyPrint and the template's fonts once (a few lines in Vietnamese)."""
    from weasyprint import HTML

    page = '<html lang="vi" style="font-family: \'Liberation Serif\', Tinos, serif">'
    text = f"{page}<p>Biên bản — <b>Tán thành</b></p></html>"
    HTML(string=text, url_fetcher=_no_fetch).write_pdf()
