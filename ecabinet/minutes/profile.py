"""A committee's minutes profile: which layout its minutes use and the official texts of
their header (MINUTES_LAYOUT.md). Stored as JSON per committee; a committee without one
gets ``MinutesProfile()`` with its name as the issuing body."""

from __future__ import annotations

import json
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


@dataclass(frozen=True)
class MinutesProfile:
    layout: str = DEFAULT_LAYOUT  # state | party | en
    superior_body: str = ""  # e.g. "ĐẢNG BỘ TỈNH …" / "UBND TỈNH …"; may be empty
    official_name: str = ""  # the issuing body's exact name; empty: the committee's name
    abbreviation: str = "BB"  # after the number: "Số: 05/BB-UBND" (state), "Số 12-BB/TU" (party)
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
