"""``ecabinet minutes verify | export | import-p12 | revoke`` and the development CA at
``init``.

``verify`` exits 0 only when the verdict is ok (see verify.py); with the database of this
installation at hand it also checks that the meeting's log holds the audit head the
minutes name (``--offline`` skips that, as does a file from another installation).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from ecabinet.config import Environment, Settings
from ecabinet.errors import NotFound
from ecabinet.minutes import keys, verify
from ecabinet.store import eventlog
from ecabinet.store.database import Database
from ecabinet.store.schema import meeting_events, users

EXIT_OK, EXIT_FAILED = 0, 1


def init_ca(settings: Settings) -> None:
    """The development CA, created by ``ecabinet init`` outside production."""
    if settings.env is Environment.PRODUCTION:
        print("signing: import each signer's PKCS#12 (`ecabinet minutes import-p12`)")
        return
    path, created = keys.ensure_dev_ca(settings.data_dir, settings.secret_key)
    print(f"development CA {'created' if created else 'ready'}: {path}")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    minutes = sub.add_parser("minutes", help="verify, export or prepare signed minutes")
    msub = minutes.add_subparsers(dest="minutes_command", required=True)
    check = msub.add_parser("verify", help="check a minutes PDF (exit 0 only when valid)")
    check.add_argument("file", type=Path)
    check.add_argument(
        "--trust", type=Path, action="append", default=[], help="a trusted CA (PEM); repeatable"
    )
    check.add_argument("--offline", action="store_true", help="do not consult the database")
    check.add_argument("--json", action="store_true", help="print the verdict as JSON")
    export = msub.add_parser("export", help="write a meeting's latest final (or draft) minutes")
    export.add_argument("meeting_id", type=int)
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--final", action="store_true", help="only final minutes")
    p12 = msub.add_parser("import-p12", help="use a PKCS#12 certificate for a user's signatures")
    p12.add_argument("username")
    p12.add_argument("file", type=Path)
    p12.add_argument(
        "--password-env", default="ECABINET_P12_PASSWORD", help="variable holding the password"
    )
    revoke = msub.add_parser(
        "revoke", help="revoke a user's development-CA certificate: it signs nothing more"
    )
    revoke.add_argument("username")


async def _log_matches(settings: Settings, verdict: verify.Verdict) -> bool | None:
    """True/False when this installation has the meeting's log; None when it has not."""
    db = Database(settings.database_url)
    try:
        async with db.read() as conn:
            return await log_matches(conn, verdict)
    except Exception:  # no database here (a file checked elsewhere): nothing to compare
        return None
    finally:
        await db.dispose()


async def log_matches(conn: AsyncConnection, verdict: verify.Verdict) -> bool | None:
    """Whether the meeting's log holds the audit head the minutes name, and its chain is
    intact; None when this database does not have that meeting's log."""
    if verdict.meeting_id is None or verdict.audit_seq is None:
        return None
    stored = await conn.scalar(
        select(meeting_events.c.hash).where(
            meeting_events.c.meeting_id == verdict.meeting_id,
            meeting_events.c.seq == verdict.audit_seq,
        )
    )
    if stored is None:
        return None
    chain = await eventlog.verify(conn, verdict.meeting_id)
    return bool(stored == verdict.audit_hash and chain.ok)


async def _verify(settings: Settings, args: argparse.Namespace) -> int:
    data = args.file.read_bytes()
    trust = [p.read_bytes() for p in args.trust] + keys.trusted_roots(settings.data_dir)
    verdict = await asyncio.to_thread(verify.verify_pdf, data, trust)
    log = None if args.offline else await _log_matches(settings, verdict)
    if log is False:
        verdict.ok = False
        verdict.problems.append("the meeting's log here does not hold this audit head")
    if args.json:
        print(json.dumps({**verdict.to_wire(), "log_checked": log}, ensure_ascii=False, indent=2))
    else:
        for s in verdict.signatures:
            mark = "ok" if s.ok else "FAILED"
            kind = "certification" if s.certification else "approval"
            print(f"signature {s.field} ({kind}) by {s.signer} at {s.signed_at}: {mark}")
        print(
            f"record: meeting {verdict.meeting_id}, audit head seq {verdict.audit_seq} "
            f"hash {verdict.audit_hash}: {'ok' if verdict.record_ok else 'FAILED'}"
        )
        print({True: "log: matches", False: "log: MISMATCH", None: "log: not checked"}[log])
        for problem in verdict.problems:
            print(f"problem: {problem}")
        state = "final" if verdict.final else "not final"
        print(f"{'VALID' if verdict.ok else 'INVALID'} ({state})")
    return EXIT_OK if verdict.ok else EXIT_FAILED


async def _export(settings: Settings, args: argparse.Namespace) -> int:
    from ecabinet.minutes.service import MinutesConfig, MinutesService

    db = Database(settings.database_url)
    try:

        async def refuse(*_: object) -> dict[str, object]:
            raise RuntimeError("export runs no command")

        service = MinutesService(db, MinutesConfig(settings.data_dir, settings.secret_key), refuse)
        version, status, data = await service.latest_file(args.meeting_id, args.final)
    finally:
        await db.dispose()
    args.out.write_bytes(data)
    print(f"meeting {args.meeting_id}: minutes version {version} ({status}) → {args.out}")
    return EXIT_OK


async def _import_p12(settings: Settings, args: argparse.Namespace) -> int:
    password = os.environ.get(args.password_env)
    if password is None and sys.stdin.isatty():
        password = getpass.getpass("PKCS#12 password: ")
    credential = keys.from_pkcs12(args.file.read_bytes(), password)
    db = Database(settings.database_url)
    try:
        async with db.write() as conn:
            user_id = await conn.scalar(select(users.c.id).where(users.c.username == args.username))
            if user_id is None:
                raise NotFound(f"no user {args.username}")
            await keys.store(conn, settings.secret_key, user_id, credential)
    finally:
        await db.dispose()
    print(f"{args.username} signs with {keys.describe(credential)['subject']}")
    return EXIT_OK


async def _revoke(settings: Settings, args: argparse.Namespace) -> int:
    from ecabinet.signing import revocation

    db = Database(settings.database_url)
    try:
        async with db.read() as conn:
            user_id = await conn.scalar(select(users.c.id).where(users.c.username == args.username))
            if user_id is None:
                raise NotFound(f"no user {args.username}")
            credential = await keys.load(conn, settings.secret_key, user_id)
    finally:
        await db.dispose()
    if credential is None:
        raise NotFound(f"{args.username} has no signing certificate")
    added = revocation.revoke(settings.data_dir, credential.certificate_pem)
    serial = keys.describe(credential)["serial"]
    print(f"{args.username}: certificate {serial} {'revoked' if added else 'was revoked already'}")
    return EXIT_OK


def run(settings: Settings, args: argparse.Namespace) -> int:
    command = {
        "verify": _verify,
        "export": _export,
        "import-p12": _import_p12,
        "revoke": _revoke,
    }
    return asyncio.run(command[args.minutes_command](settings, args))
