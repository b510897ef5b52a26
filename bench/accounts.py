"""The people of the benchmark meetings: the demo chair, clerk and presenter, plus as many
generated members as the largest room needs — created through the admin API and signed in
once each (an argon2 check per user), then reused by every benchmark of the run."""

from __future__ import annotations

from dataclasses import dataclass

from bench import load
from bench.load import Progress
from harness.server import DEMO_PASSWORD

BENCH_PASSWORD = "bench-mật-khẩu-2026"
PREFIX = "bench"


@dataclass
class Person:
    username: str
    user_id: int
    token: str


@dataclass
class Accounts:
    url: str
    admin: Person
    chair: Person
    clerk: Person
    presenter: Person  # a member who presents the documents
    members: list[Person]  # generated members, each with their own session

    async def meeting(self, title: str, members: int) -> int:
        """A new scheduled meeting: chair, clerk, presenter and the first ``members``."""
        if members > len(self.members):
            raise ValueError(f"only {len(self.members)} generated members")
        roster = [
            (self.chair.user_id, "chair"),
            (self.clerk.user_id, "clerk"),
            (self.presenter.user_id, "member"),
            *((m.user_id, "member") for m in self.members[:members]),
        ]
        return await load.create_meeting(self.url, self.admin.token, title, roster)


async def prepare(url: str, members: int, progress: Progress) -> Accounts:
    async def person(username: str) -> Person:
        token = await load.login(url, username, DEMO_PASSWORD)
        return Person(username, ids[username], token)

    admin_token = await load.login(url, "admin", DEMO_PASSWORD)
    ids = await load.user_ids(url, admin_token)
    made = await load.ensure_users(url, admin_token, PREFIX, members, BENCH_PASSWORD, progress)
    tokens = await load.login_all(url, [name for name, _ in made], BENCH_PASSWORD, progress)
    progress.done()
    return Accounts(
        url=url,
        admin=Person("admin", ids["admin"], admin_token),
        chair=await person("chair"),
        clerk=await person("clerk"),
        presenter=await person("member1"),
        members=[Person(n, i, t) for (n, i), t in zip(made, tokens, strict=True)],
    )
