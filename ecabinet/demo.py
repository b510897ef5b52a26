"""Demo data: a provincial committee, its people (Vietnamese names), one scheduled meeting.

Seeding is idempotent: users that exist keep their ids and get the new password, and the
committee and its meeting are created once.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from ecabinet.auth import passwords, users
from ecabinet.meetings import repo
from ecabinet.meetings.rules import Role
from ecabinet.store.database import Database
from ecabinet.store.schema import committees, meetings

DEMO_COMMITTEE = "Ủy ban nhân dân tỉnh Bình Định"
DEMO_MEETING = "Phiên họp thường kỳ Ủy ban nhân dân tỉnh tháng 12 năm 2026"
DEMO_LOCATION = "Phòng họp số 1, Trụ sở Ủy ban nhân dân tỉnh"
VIETNAM = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class DemoPerson:
    username: str
    display_name: str
    role: Role | None  # None: not on the meeting roster
    is_admin: bool = False


PEOPLE = (
    DemoPerson("admin", "Quản trị hệ thống", None, is_admin=True),
    DemoPerson("chair", "Nguyễn Văn Hùng", Role.CHAIR),
    DemoPerson("clerk", "Trần Thị Thu Hằng", Role.CLERK),
    DemoPerson("member1", "Lê Quang Đức", Role.MEMBER),
    DemoPerson("member2", "Phạm Thị Ngọc Ánh", Role.MEMBER),
    DemoPerson("member3", "Võ Minh Tuấn", Role.MEMBER),
    DemoPerson("member4", "Đặng Thị Hương Giang", Role.MEMBER),
    DemoPerson("member5", "Huỳnh Văn Phước", Role.MEMBER),
    DemoPerson("member6", "Bùi Thị Mỹ Duyên", Role.MEMBER),
    DemoPerson("member7", "Đỗ Trọng Nghĩa", Role.MEMBER),
    DemoPerson("member8", "Ngô Thị Thanh Thủy", Role.MEMBER),
    DemoPerson("observer", "Dương Khắc Lộc", Role.OBSERVER),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    display_name: str
    role: str
    password: str


async def seed(db: Database, password: str | None = None) -> tuple[int, list[DemoLogin]]:
    """Create or refresh the demo; returns the meeting id and the logins."""
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
                    conn, person.username, person.display_name, pw_hash, person.is_admin, now
                )
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
            committee_id = await repo.create_committee(conn, DEMO_COMMITTEE, member_ids, now)
        meeting_id = await conn.scalar(
            select(meetings.c.id)
            .where(meetings.c.committee_id == committee_id)
            .order_by(meetings.c.id)
        )
        if meeting_id is None:
            tomorrow = datetime.now(VIETNAM).date() + timedelta(days=1)
            scheduled = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 8, 0, tzinfo=VIETNAM)
            roster = {ids[p.username]: p.role for p in PEOPLE if p.role is not None}
            meeting_id = await repo.create_meeting(
                conn, committee_id, DEMO_MEETING, DEMO_LOCATION, scheduled.isoformat(), roster, now
            )
    return int(meeting_id), logins
