"""A committee's minutes profile: which layout its minutes use and the official texts of
their header (MINUTES_LAYOUT.md). Stored as JSON per committee; a committee without one
gets ``MinutesProfile()`` with its name as the issuing body."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.errors import Invalid
from ecabinet.store.schema import minutes_profiles

LAYOUTS = ("state", "party", "en")
DEFAULT_LAYOUT = "state"  # the Vietnamese administrative layout (Decree 30/2020)
TEXT_MAX_CHARS = 300
RECIPIENTS_MAX = 20
DEFAULT_ABBREVIATION = "BB"  # "biên bản" alone: the profile names no body's code
# A body's usual code, by the first words of its name (Decree 30/2020 Appendix III for
# State bodies; Party practice: "Số 05-BB/TU"), else by the committee's kind.
BODY_CODES = (
    ("ủy ban nhân dân", "UBND"),
    ("hội đồng nhân dân", "HĐND"),
    ("ban thường vụ tỉnh ủy", "TU"),
    ("ban thường vụ thành ủy", "TU"),
    ("tỉnh ủy", "TU"),
    ("thành ủy", "TU"),
    ("huyện ủy", "HU"),
    ("quận ủy", "QU"),
    ("đảng ủy", "ĐU"),
    ("chi bộ", "CB"),
)
KIND_CODES = {"peoples_committee": "UBND", "peoples_council": "HĐND"}
# Words of an administrative unit before its proper name ("tỉnh Hòa Lâm" → "Hòa Lâm").
UNIT_WORDS = ("thành phố", "đặc khu", "thị xã", "thị trấn", "tỉnh", "xã", "phường", "huyện", "quận")


@dataclass(frozen=True)
class MinutesProfile:
    layout: str = DEFAULT_LAYOUT  # state | party | en
    superior_body: str = ""  # e.g. "ĐẢNG BỘ TỈNH …" / "UBND TỈNH …"; may be empty
    official_name: str = ""  # the issuing body's exact name; empty: the committee's name
    # After the number: "Số: 05/BB-UBND" (state), "Số 12-BB/TU" (party); "BB" alone: the
    # body's code comes from its name or kind (``effective``).
    abbreviation: str = DEFAULT_ABBREVIATION
    place: str = ""  # the place in the date line ("<place>, ngày … tháng … năm …")
    chair_on_behalf: str = ""  # "T/M BAN THƯỜNG VỤ" above the chair's title, when it applies
    recipients: tuple[str, ...] = field(default_factory=tuple)  # State layout's "Nơi nhận"

    def to_wire(self) -> dict[str, Any]:
        wire = asdict(self)
        wire["recipients"] = list(self.recipients)
        return wire


def _text(raw: Mapping[str, Any], name: str, default: str) -> str:
    value = raw.get(name, default)
    if not isinstance(value, str) or len(value.strip()) > TEXT_MAX_CHARS:
        raise Invalid(f"{name} must be text of at most {TEXT_MAX_CHARS} characters")
    return value.strip()


def parse_profile(raw: Mapping[str, Any]) -> MinutesProfile:
    """Validate a profile from an administrator (unknown fields refused)."""
    base = MinutesProfile()
    unknown = set(raw) - set(base.to_wire())
    if unknown:
        raise Invalid(f"unknown fields: {', '.join(sorted(unknown))}")
    layout = raw.get("layout", base.layout)
    if layout not in LAYOUTS:
        raise Invalid(f"layout must be one of {', '.join(LAYOUTS)}")
    recipients = raw.get("recipients", [])
    if (
        not isinstance(recipients, list)
        or len(recipients) > RECIPIENTS_MAX
        or not all(isinstance(r, str) and 0 < len(r.strip()) <= TEXT_MAX_CHARS for r in recipients)
    ):
        raise Invalid(f"recipients must be a list of at most {RECIPIENTS_MAX} texts")
    return replace(
        base,
        layout=layout,
        superior_body=_text(raw, "superior_body", ""),
        official_name=_text(raw, "official_name", ""),
        abbreviation=_text(raw, "abbreviation", base.abbreviation) or base.abbreviation,
        place=_text(raw, "place", ""),
        chair_on_behalf=_text(raw, "chair_on_behalf", ""),
        recipients=tuple(r.strip() for r in recipients),
    )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def _without_notes(name: str) -> str:
    """The name without parenthesised remarks ("… Hòa Lâm (dữ liệu mẫu)")."""
    depth, kept = 0, []
    for char in name:
        depth += char == "("
        if depth == 0:
            kept.append(char)
        depth -= char == ")" and depth > 0
    return " ".join("".join(kept).split())


def body_code(name: str, kind: str | None = None) -> str:
    """The body's code from its name ("Ủy ban nhân dân tỉnh …" → "UBND"), else from the
    committee's kind; empty when neither says."""
    folded = _fold(name)
    for words, code in BODY_CODES:
        if folded.startswith(words):
            return code
    return KIND_CODES.get(kind or "", "")


def place_from_name(name: str) -> str:
    """The place of a body named "<body> <unit> <Place>" ("Ủy ban nhân dân tỉnh Hòa Lâm" →
    "Hòa Lâm"); empty when the name does not read so."""
    plain = unicodedata.normalize("NFC", _without_notes(name))
    folded = plain.casefold()
    prefix = next((words for words, _ in BODY_CODES if folded.startswith(words)), None)
    if prefix is None:
        return ""
    rest, rest_folded = plain[len(prefix) :].strip(), folded[len(prefix) :].strip()
    unit = next((w for w in UNIT_WORDS if rest_folded.startswith(f"{w} ")), None)
    if unit is None:
        return ""
    place = rest[len(unit) :].strip()
    return place.title() if place.isupper() else place


def effective(
    profile: MinutesProfile, committee_name: str, kind: str | None, layout: str
) -> MinutesProfile:
    """The profile as the minutes use it: the issuing body's name, the code after "BB" and
    the date line's place taken from the committee's name (and kind) where the profile
    leaves them out, so that "Số: 05/BB-UBND" and "Hòa Lâm, ngày …" need no set-up."""
    official = profile.official_name or committee_name
    abbreviation = profile.abbreviation
    code = body_code(official, kind) if abbreviation == DEFAULT_ABBREVIATION else ""
    if code:
        mark = "/" if layout == "party" else "-"  # "Số 05-BB/TU" / "Số: 05/BB-UBND"
        abbreviation = f"{DEFAULT_ABBREVIATION}{mark}{code}"
    place = profile.place or place_from_name(official) or place_from_name(committee_name)
    return replace(profile, official_name=official, abbreviation=abbreviation, place=place)


# The meeting's name in the preview of a profile (no meeting yet), by the layout's language.
PREVIEW_MEETING_TITLE = {"vi": "(Tên cuộc họp)", "en": "(Name of the meeting)"}
# The header fields of a profile, which the preview draws (the rest is printed at the end).
HEADER_FIELDS = ("layout", "superior_body", "official_name", "abbreviation", "place")


def preview_record(
    profile: MinutesProfile, committee_name: str, kind: str | None, today_iso: str
) -> dict[str, Any]:
    """What ``render.render_profile_preview`` needs of a record: the profile as the minutes
    would use it (``effective``) for a meeting dated ``today_iso``, with no number yet."""
    used = effective(profile, committee_name, kind, profile.layout)
    language = "en" if profile.layout == "en" else "vi"
    return {
        "layout": profile.layout,
        "language": language,
        "committee": {
            "name": committee_name,
            "official_name": used.official_name,
            "superior_body": used.superior_body,
        },
        "document": {
            "number": None,
            "abbreviation": used.abbreviation,
            "place": used.place,
            "chair_on_behalf": used.chair_on_behalf,
            "recipients": list(used.recipients),
        },
        "meeting": {
            "title": PREVIEW_MEETING_TITLE[language],
            "scheduled_at": today_iso,
            "started_at": None,
        },
    }


async def load(conn: AsyncConnection, committee_id: int) -> MinutesProfile:
    raw = await conn.scalar(
        minutes_profiles.select()
        .with_only_columns(minutes_profiles.c.profile)
        .where(minutes_profiles.c.committee_id == committee_id)
    )
    return MinutesProfile() if raw is None else parse_profile(json.loads(raw))


async def save(conn: AsyncConnection, committee_id: int, profile: MinutesProfile) -> None:
    text = json.dumps(profile.to_wire(), ensure_ascii=False, sort_keys=True)
    await conn.execute(
        minutes_profiles.delete().where(minutes_profiles.c.committee_id == committee_id)
    )
    await conn.execute(minutes_profiles.insert().values(committee_id=committee_id, profile=text))
