"""Generating and signing minutes: render or sign in the worker, store the file, then record
the version through the meeting's command path (``minutes.generate``/``minutes.sign``), so
the version is an event in the log, broadcast after its commit like any other.

The slow part (rendering, signing) runs before the command and holds no lock; the command
then checks that nothing moved meanwhile (the log head for a generation, the file's hash
for a signature) and refuses with ``conflict`` otherwise; a generation is retried.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ecabinet.errors import Conflict, Invalid, NotAllowed, NotFound
from ecabinet.events import iso_utc
from ecabinet.meetings import repo, rules
from ecabinet.meetings.rules import MeetingState, Role, Status
from ecabinet.meetings.service import CommandEnvelope, utc_now
from ecabinet.minutes import decisions, keys, profile, record, worker
from ecabinet.minutes.labels import LABELS
from ecabinet.minutes.sign import SignRequest
from ecabinet.minutes.store import MinutesFiles, versions
from ecabinet.signing import choice, reauth, revocation
from ecabinet.signing.signers import Signer
from ecabinet.store import eventlog
from ecabinet.store.database import Database
from ecabinet.store.schema import meetings, users

# Runs an internal command for a user in a meeting; returns the ack.
Execute = Callable[[int, int, CommandEnvelope], Awaitable[dict[str, Any]]]
# The user's role and the meeting's current state (the server's cached, caught-up fold).
StateFor = Callable[[int, int], Awaitable[tuple[Role, MeetingState]]]
GENERATE_ATTEMPTS = 3  # the log may move (a late note) while the minutes are drawn
SIGN_FIELDS = {Role.CLERK: "sig-clerk", Role.CHAIR: "sig-chair"}


@dataclass(frozen=True)
class MinutesConfig:
    data_dir: Path
    secret_key: str
    tsa_url: str | None = None
    allow_dev_ca: bool = True  # issue signing certificates on demand from the development CA
    pkcs11_module: str | None = None  # opens the tokens of ``pkcs11`` signers (signing/)


class MinutesService:
    def __init__(
        self,
        db: Database,
        config: MinutesConfig,
        execute: Execute,
        state_for: StateFor | None = None,
    ) -> None:
        self._db = db
        self._config = config
        self._execute = execute
        self._state_for = state_for  # without it, a signature folds the whole log itself
        self.files = MinutesFiles(config.data_dir / "minutes")

    async def _snapshot(
        self, meeting_id: int, user_id: int
    ) -> tuple[Role, dict[str, Any], MeetingState, list[Any], str, list[repo.RosterEntry]]:
        """One consistent read: role, meeting row, the state of the whole log, the log
        itself, its head hash and the roster. The state is the server's cached fold when it
        is at the log's head (it is a pure fold of the same events), else folded here."""
        cached = (await self._state_for(user_id, meeting_id))[1] if self._state_for else None
        async with self._db.read() as conn:
            role = await repo.role_of(conn, meeting_id, user_id)
            meeting = await repo.get_meeting(conn, meeting_id) if role else None
            if role is None or meeting is None:
                raise NotFound("no such meeting")
            events = await eventlog.read_after(conn, meeting_id, 0)
            head_hash = await conn.scalar(
                select(meetings.c.head_hash).where(meetings.c.id == meeting_id)
            )
            roster = await repo.roster(conn, meeting_id)
        head_seq = events[-1].seq if events else 0
        if cached is not None and cached.seq == head_seq:
            state = cached
        else:
            state = rules.fold(MeetingState(), events)
        return role, meeting, state, events, str(head_hash), roster

    async def generate(
        self,
        user_id: int,
        meeting_id: int,
        layout: str | None = None,
        number: str | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> dict[str, Any]:
        """Render a new draft and record it; ``progress`` is told each step as it begins
        (``jobs.STAGES``: reading, rendering, recording)."""
        step = progress or (lambda _stage: None)
        if number is not None and not decisions.NUMBER_PATTERN.match(number):
            raise Invalid("number must be up to 20 characters of 0–9, A–Z, a–z, . / -")
        if layout is not None and layout not in decisions.LAYOUTS:
            raise Invalid(f"layout must be one of {', '.join(decisions.LAYOUTS)}")
        for attempt in range(GENERATE_ATTEMPTS):
            step("reading")
            role, meeting, state, events, head_hash, roster = await self._snapshot(
                meeting_id, user_id
            )
            if role is not Role.CLERK:
                raise NotAllowed("the clerk generates the minutes")
            if state.status is not Status.ENDED:
                raise Conflict("the minutes are generated after the meeting has ended")
            async with self._db.read() as conn:
                committee_profile = await profile.load(conn, meeting["committee_id"])
            chosen = layout or (state.minutes.latest.layout if state.minutes.latest else None)
            chosen = chosen or committee_profile.layout
            latest, final = state.minutes.latest, state.minutes.latest_final
            inputs = record.RecordInputs(
                meeting=meeting,
                roster=roster,
                state=state,
                events=events,
                head_hash=head_hash,
                profile=committee_profile,
                layout=chosen,
                number=number if number is not None else (latest.number if latest else ""),
                version=(latest.version if latest else 0) + 1,
                replaces=final.version if final else None,
                generated_at=iso_utc(utc_now()),
            )
            if chosen not in decisions.LAYOUTS:
                raise Conflict(f"layout must be one of {', '.join(decisions.LAYOUTS)}")
            built = record.build_record(inputs)
            step("rendering")
            rendered = await worker.render_minutes(built)
            step("recording")
            sha256 = self.files.write(meeting_id, rendered.pdf)
            command = CommandEnvelope(
                id=f"minutes-generate-{uuid.uuid4().hex}",
                type="minutes.generate",
                data={
                    "sha256": sha256,
                    "size": len(rendered.pdf),
                    "pages": rendered.pages,
                    "head_seq": state.seq,
                    "head_hash": head_hash,
                    "layout": chosen,
                    "number": inputs.number,
                },
            )
            try:
                return await self._execute(user_id, meeting_id, command)
            except Conflict:
                if attempt == GENERATE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def _signer(self, user_id: int) -> Signer:
        """The user's signer (signing/choice.py); a user without one gets a development-CA
        certificate on demand where the development CA is allowed."""
        async with self._db.read() as conn:
            found = await choice.signer_for(
                conn, self._config.secret_key, user_id, self._config.pkcs11_module
            )
        if found is not None:
            await self._refuse_revoked(user_id)
            return found
        await self._credential(user_id)
        async with self._db.read() as conn:
            found = await choice.signer_for(
                conn, self._config.secret_key, user_id, self._config.pkcs11_module
            )
        assert found is not None
        return found

    async def _refuse_revoked(self, user_id: int) -> None:
        """A certificate the development CA revoked signs nothing more (signing/revocation.py)."""
        async with self._db.read() as conn:
            credential = await keys.load(conn, self._config.secret_key, user_id)
        if credential is not None and revocation.is_revoked(
            self._config.data_dir, credential.certificate_pem
        ):
            raise Conflict(
                "the signing certificate was revoked: an administrator chooses a new signer"
            )

    async def _credential(self, user_id: int) -> keys.Credential:
        async with self._db.read() as conn:
            credential = await keys.load(conn, self._config.secret_key, user_id)
            row = (
                await conn.execute(
                    select(users.c.username, users.c.display_name).where(users.c.id == user_id)
                )
            ).one()
        if credential is not None:
            return credential
        if not self._config.allow_dev_ca:
            raise keys.KeyUnavailable("no signing certificate: an administrator imports one")
        issued = keys.issue(
            self._config.data_dir, self._config.secret_key, row.display_name, row.username
        )
        async with self._db.write() as conn:
            if await keys.load(conn, self._config.secret_key, user_id) is None:
                await keys.store(conn, self._config.secret_key, user_id, issued)
            credential = await keys.load(conn, self._config.secret_key, user_id)
        assert credential is not None
        return credential

    async def _signing_view(
        self, meeting_id: int, user_id: int
    ) -> tuple[Role, dict[str, Any], MeetingState, list[repo.RosterEntry]]:
        """What a signature needs: role, meeting row, state, roster — the state from the
        server's cache when there is one (a signature needs no log, only the versions)."""
        if self._state_for is None:
            role, meeting, state, _events, _head, roster = await self._snapshot(meeting_id, user_id)
            return role, meeting, state, roster
        role, state = await self._state_for(user_id, meeting_id)
        async with self._db.read() as conn:
            found = await repo.get_meeting(conn, meeting_id)
            roster = await repo.roster(conn, meeting_id)
        if found is None:
            raise NotFound("no such meeting")
        return role, found, state, roster

    async def sign(
        self, user_id: int, meeting_id: int, version: int, again: reauth.Reauth | None = None
    ) -> dict[str, Any]:
        """Sign ``version`` as the user's role. ``again`` is what the person typed to sign
        (signing/reauth.py: the password, or the token PIN); the HTTP route always gives it,
        only the server's own callers (the demo) sign without it, with a held key."""
        role, meeting, state, roster = await self._signing_view(meeting_id, user_id)
        if role not in SIGN_FIELDS:
            raise NotAllowed("only the clerk and the chair sign the minutes")
        decisions.signing_step(state, role, version)  # refuses early, before any work
        target = state.minutes.versions[version]
        signer = await self._signer(user_id)
        if again is not None and not signer.needs_pin:
            await reauth.check_password(self._db, user_id, again)
        labels = LABELS[target.layout]
        name = next(r.display_name for r in roster if r.user_id == user_id)
        title_key = "sign_clerk" if role is Role.CLERK else "sign_chair"
        async with self._db.read() as conn:
            committee_profile = await profile.load(conn, meeting["committee_id"])
        request = SignRequest(
            pdf=self.files.read(meeting_id, target.sha256),
            field=SIGN_FIELDS[role],
            certify=role is Role.CLERK,
            signer=signer,
            pin=again.secret if again is not None and signer.needs_pin else None,
            signer_name=name,
            role_title=str(labels[title_key]).capitalize(),
            caption=str(labels["signed_digitally"]),
            location=profile.effective(
                committee_profile,
                meeting["committee_name"],
                (meeting.get("committee_rules") or {}).get("kind"),
                target.layout,
            ).place
            or meeting["location"],
            tsa_url=self._config.tsa_url,
            language="en" if target.layout == "en" else "vi",
        )
        if signer.needs_pin and again is not None:
            async with reauth.pin_try(self._db, user_id, again):
                signed = await worker.sign_minutes(request)
        else:
            signed = await worker.sign_minutes(request)
        sha256 = self.files.write(meeting_id, signed)
        command = CommandEnvelope(
            id=f"minutes-sign-{uuid.uuid4().hex}",
            type="minutes.sign",
            data={
                "version": version,
                "previous_sha256": target.sha256,
                "sha256": sha256,
                "size": len(signed),
            },
        )
        return await self._execute(user_id, meeting_id, command)

    async def latest_file(
        self, meeting_id: int, final_only: bool = False
    ) -> tuple[int, str, bytes]:
        """The newest final version, else (unless ``final_only``) the newest version."""
        async with self._db.read() as conn:
            rows = await versions(conn, meeting_id)
        finals = [r for r in rows if r["status"] == "final"]
        chosen = finals[-1] if finals else (None if final_only or not rows else rows[-1])
        if chosen is None:
            raise NotFound("no minutes for this meeting yet")
        data = self.files.read(meeting_id, chosen["sha256"])
        return int(chosen["version"]), str(chosen["status"]), data
