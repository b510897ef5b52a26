"""Demo data: a provincial committee, its people (Vietnamese names), one scheduled meeting
with its agenda and documents (``ecabinet.demo_documents``).

Seeding is idempotent: users that exist keep their ids and get the new password, and the
committee and its meeting are created once.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select, update

from ecabinet.auth import passwords, users
from ecabinet.config import Settings
from ecabinet.meetings import repo
from ecabinet.meetings.rules import Role
from ecabinet.store.database import Database
from ecabinet.store.schema import committees, meetings

DEMO_COMMITTEE = "Ủy ban nhân dân tỉnh Hòa Lâm (dữ liệu mẫu)"
# A People's Committee: its decisions need more than half of all its members, and its
# sessions two thirds of them (Law 77/2015/QH13 Art. 114(3); voting/_statute.py).
DEMO_COMMITTEE_KIND = "peoples_committee"
DEMO_MEETING = "Phiên họp thường kỳ Ủy ban nhân dân tỉnh tháng 12 năm 2026"
DEMO_LOCATION = "Phòng họp số 1, Trụ sở Ủy ban nhân dân tỉnh"
VIETNAM = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class DemoPerson:
    username: str
    display_name: str
    role: Role | None  # None: not on the meeting roster
    is_admin: bool = False
    title: str = ""  # chức vụ, as the back office shows it
    unit: str = "Ủy ban nhân dân tỉnh Hòa Lâm"


PEOPLE = (
    DemoPerson(
        "admin",
        "Quản trị hệ thống",
        None,
        is_admin=True,
        title="Quản trị viên",
        unit="Văn phòng UBND tỉnh",
    ),
    DemoPerson("chair", "Nguyễn Văn Hùng", Role.CHAIR, title="Chủ tịch UBND tỉnh"),
    DemoPerson(
        "clerk",
        "Trần Thị Thu Hằng",
        Role.CLERK,
        title="Chánh Văn phòng",
        unit="Văn phòng UBND tỉnh",
    ),
    DemoPerson("member1", "Lê Quang Đức", Role.MEMBER, title="Phó Chủ tịch Thường trực"),
    DemoPerson("member2", "Phạm Thị Ngọc Ánh", Role.MEMBER, title="Phó Chủ tịch UBND tỉnh"),
    DemoPerson("member3", "Võ Minh Tuấn", Role.MEMBER, title="Phó Chủ tịch UBND tỉnh"),
    DemoPerson(
        "member4",
        "Đặng Thị Hương Giang",
        Role.MEMBER,
        title="Giám đốc Sở Tài chính",
        unit="Sở Tài chính",
    ),
    DemoPerson(
        "member5",
        "Huỳnh Văn Phước",
        Role.MEMBER,
        title="Giám đốc Sở Kế hoạch và Đầu tư",
        unit="Sở Kế hoạch và Đầu tư",
    ),
    DemoPerson(
        "member6", "Bùi Thị Mỹ Duyên", Role.MEMBER, title="Giám đốc Sở Tư pháp", unit="Sở Tư pháp"
    ),
    DemoPerson(
        "member7", "Đỗ Trọng Nghĩa", Role.MEMBER, title="Giám đốc Công an tỉnh", unit="Công an tỉnh"
    ),
    DemoPerson(
        "member8",
        "Ngô Thị Thanh Thủy",
        Role.MEMBER,
        title="Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh",
        unit="Bộ Chỉ huy Quân sự tỉnh",
    ),
    DemoPerson(
        "observer", "Dương Khắc Lộc", Role.OBSERVER, title="Chuyên viên", unit="Văn phòng UBND tỉnh"
    ),
)


def next_working_day(today: date) -> date:
    """When the demo meeting is scheduled (08:00 Vietnam time): the first day after
    ``today`` from Monday to Friday. Its documents carry fixed dates of their own."""
    day = today + timedelta(days=1)
    while day.weekday() >= 5:  # Saturday, Sunday
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class DemoLogin:
    username: str
    display_name: str
    role: str
    password: str


async def seed(
    db: Database, password: str | None = None, settings: Settings | None = None
) -> tuple[int, list[DemoLogin]]:
    """Create or refresh the demo; returns the meeting id and the logins. With ``settings``
    (where documents are stored), the meeting is also prepared: its agenda and documents
    (``ecabinet.demo_documents``), added through its commands when missing."""
    now = time.time()
    logins: list[DemoLogin] = []
    hashes = {}
    for person in PEOPLE:
        pw = password or secrets.token_urlsafe(9)
        hashes[person.username] = (pw, await passwords.hash_password(pw))
    async with db.write() as conn:
        ids: dict[str, int] = {}
        for person in PEOPLE:
            pw, pw_hash = hashes[person.username]
            row = await users.find_by_username(conn, person.username)
            if row is None:
                ids[person.username] = await users.insert(
                    conn, person.username, person.display_name, pw_hash, person.is_admin, now,
                    person.title, person.unit,
                )  # fmt: skip
            else:
                ids[person.username] = row.id
                await users.set_password_hash(conn, row.id, pw_hash)
                await users.set_active(conn, row.id, True)
            role = "admin" if person.is_admin else (person.role.value if person.role else "")
            logins.append(DemoLogin(person.username, person.display_name, role, pw))

        committee_id = await conn.scalar(
            select(committees.c.id).where(committees.c.name == DEMO_COMMITTEE)
        )
        if committee_id is None:
            member_ids = [ids[p.username] for p in PEOPLE if p.role is not None]
            committee_id = await repo.create_committee(
                conn, DEMO_COMMITTEE, member_ids, now, kind=DEMO_COMMITTEE_KIND
            )
        else:  # seeded before committees had a kind (migration 0006 made it "other")
            await conn.execute(
                update(committees)
                .where(committees.c.id == committee_id, committees.c.kind == "other")
                .values(kind=DEMO_COMMITTEE_KIND)
            )
        meeting_id = await conn.scalar(
            select(meetings.c.id)
            .where(meetings.c.committee_id == committee_id)
            .order_by(meetings.c.id)
        )
        if meeting_id is None:
            day = next_working_day(datetime.now(VIETNAM).date())
            scheduled = datetime(day.year, day.month, day.day, 8, 0, tzinfo=VIETNAM)
            roster = {ids[p.username]: p.role for p in PEOPLE if p.role is not None}
            meeting_id = await repo.create_meeting(
                conn, committee_id, DEMO_MEETING, DEMO_LOCATION, scheduled.isoformat(), roster, now
            )
    if settings is not None:
        from ecabinet.demo_documents import prepare

        await prepare.prepare(db, settings, int(meeting_id), ids)
    return int(meeting_id), logins


# --- ``ecabinet demo --simulate``: a whole meeting through the real command path ---------

DEMO_PLACE = "Hòa Lâm"  # the date line's place in the demo committee's minutes
SIMULATED_TITLE = "Phiên họp mô phỏng: kế hoạch đầu tư công năm 2027"
SIMULATED_ITEMS, SIMULATED_POLLS = 4, 2  # one named and one secret poll


class _SimulatedClock:
    """Meeting time that advances by each step's seconds, starting three hours ago, so the
    minutes read like a morning's meeting and were signed after it."""

    def __init__(self) -> None:
        start = datetime.now(VIETNAM).replace(second=0, microsecond=0) - timedelta(hours=3)
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _report_pdf(title: str) -> bytes:
    """A short PDF to present (blank pages with a title; the demo has no real files)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def simulate(db: Database, settings: Any) -> tuple[int, int]:
    """Play a new meeting of the demo committee through ``MeetingService.execute``: agenda,
    check-ins, a presented document, speakers, a named and a secret poll, notes and
    decisions; then generate the minutes and sign them as the clerk and the chair.
    Returns (meeting id, minutes version)."""
    import hashlib
    import uuid

    from ecabinet.checkpoints.anchor import Anchor
    from ecabinet.checkpoints.signing import CheckpointSigner
    from ecabinet.documents import ingest
    from ecabinet.documents.blobstore import BlobStore
    from ecabinet.documents.storage import StagedUpload
    from ecabinet.meetings.sealing import BallotKeys
    from ecabinet.meetings.service import CommandEnvelope, MeetingService
    from ecabinet.minutes import keys, profile, sample
    from ecabinet.minutes.service import MinutesConfig, MinutesService

    keys.ensure_dev_ca(settings.data_dir, settings.secret_key)
    async with db.write() as conn:
        ids = {}
        for person in PEOPLE:
            row = await users.find_by_username(conn, person.username)
            assert row is not None, "seed the demo first"
            ids[person.username] = row.id
        committee_id = await conn.scalar(
            select(committees.c.id).where(committees.c.name == DEMO_COMMITTEE)
        )
        assert committee_id is not None
        if (await profile.load(conn, committee_id)) == profile.MinutesProfile():
            demo_profile = profile.MinutesProfile(
                layout="state",
                superior_body="Ủy ban nhân dân tỉnh",
                abbreviation="BB-UBND",
                place=DEMO_PLACE,
                recipients=("Thường trực Tỉnh ủy", "Các sở, ban, ngành"),
            )
            await profile.save(conn, committee_id, demo_profile)
        roster = {ids[p.username]: p.role for p in PEOPLE if p.role is not None}
        clock = _SimulatedClock()
        meeting_id = await repo.create_meeting(
            conn, committee_id, SIMULATED_TITLE, DEMO_LOCATION, clock.now.isoformat(), roster,
            time.time(),
        )  # fmt: skip

    # Its heads are signed as a server's are, so `ecabinet audit verify` finds checkpoints.
    anchor = Anchor(settings.data_dir, CheckpointSigner(settings.secret_key), clock)
    service = MeetingService(
        db, clock=clock, ballot_keys=BallotKeys(settings.secret_key), on_commit=anchor.after_commit
    )

    async def nobody(_meeting_id: int, _events: list[Any]) -> None:
        return None

    async def execute(user_id: int, mid: int, command: CommandEnvelope) -> dict[str, Any]:
        return await service.execute(user_id, mid, command, nobody)

    async def run(type_: str, user_id: int, data: dict[str, Any], secs: int = 20) -> None:
        clock.now += timedelta(seconds=secs)
        await execute(user_id, meeting_id, CommandEnvelope(uuid.uuid4().hex, type_, data))

    members = tuple(ids[p.username] for p in PEOPLE if p.role is Role.MEMBER)
    cast = sample.Cast(
        chair=ids["chair"],
        clerk=ids["clerk"],
        members=members,
        others=(ids["observer"],),
        names={ids[p.username]: p.display_name for p in PEOPLE},
    )
    steps = list(sample.script(cast, SIMULATED_ITEMS, SIMULATED_POLLS))
    # The report for item 1 is uploaded before the meeting and presented during item 1.
    title = "Báo cáo tình hình kinh tế - xã hội năm 2026"
    pdf = _report_pdf(title)
    store = BlobStore(settings.data_dir / "blobs")
    temp = store.temp_path()
    temp.write_bytes(pdf)
    sha256 = hashlib.sha256(pdf).hexdigest()
    info = await ingest.inspect_pdf(temp, sha256, len(pdf), settings.document_max_pages)
    first_start = next(i for i, s in enumerate(steps) if s[0] == "meeting.start")
    for type_, user_id, data, secs in steps[:first_start]:
        await run(type_, user_id, data, secs)
    document = {"title": title, "filename": "bao-cao-kt-xh-2026.pdf", "sha256": sha256,
                "size": len(pdf), "pages": info.pages, "item_id": 1,
                "quota_bytes": settings.meeting_quota_bytes,
                "staged": StagedUpload(store, temp, info)}  # fmt: skip
    await run("document.add", ids["clerk"], document)
    temp.unlink(missing_ok=True)  # placed at its content address by the command
    for type_, user_id, data, secs in steps[first_start:]:
        await run(type_, user_id, data, secs)
        if type_ == "agenda.current.set":
            await run("presenter.set", ids["chair"], {"user_id": members[0]})
            await run("presenter.view", members[0], {"document_id": 1, "page": 2})

    minutes = MinutesService(db, MinutesConfig(settings.data_dir, settings.secret_key), execute)
    clock.now += timedelta(minutes=30)
    generated = await minutes.generate(ids["clerk"], meeting_id, number="05")
    version = int(generated["version"])
    await minutes.sign(ids["clerk"], meeting_id, version)
    await minutes.sign(ids["chair"], meeting_id, version)
    return meeting_id, version
