"""The ``ecabinet`` command: init, serve, demo, user, audit."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import secrets
import sys
from collections.abc import Sequence

from ecabinet.checkpoints import audit, journal, signing
from ecabinet.checkpoints.signing import CheckpointSigner
from ecabinet.config import Settings, SettingsError, load_settings
from ecabinet.errors import ECabinetError
from ecabinet.minutes import cli as minutes_cli
from ecabinet.store import migrate
from ecabinet.store.database import Database

# After SIGTERM, what uvicorn gives open connections before the application's shutdown.
GRACEFUL_SHUTDOWN_SECS = 2


async def _init(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_url)
    try:
        await migrate.upgrade(db)
    finally:
        await db.dispose()
    print(f"database ready: {_redacted(settings.database_url)}")
    minutes_cli.init_ca(settings)


def _redacted(url: str) -> str:
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.split('@', 1)[1]}"


async def _demo(settings: Settings, password: str | None) -> None:
    from ecabinet import demo

    db = Database(settings.database_url)
    try:
        if not await migrate.is_current(db):
            await migrate.upgrade(db)
        meeting_id, logins = await demo.seed(db, password, settings)
    finally:
        await db.dispose()
    print(f"Demo meeting {meeting_id}: {demo.DEMO_MEETING}")
    print(f"{'user':<10} {'role':<9} {'password':<14} name")
    for login in logins:
        print(f"{login.username:<10} {login.role:<9} {login.password:<14} {login.display_name}")


async def _simulate(settings: Settings) -> None:
    from ecabinet import demo

    db = Database(settings.database_url)
    try:
        meeting_id, version = await demo.simulate(db, settings)
    finally:
        await db.dispose()
    print(f"Simulated meeting {meeting_id}: minutes version {version} signed by clerk and chair")
    print(f"  ecabinet minutes export {meeting_id} --out minutes.pdf")


async def _user_add(settings: Settings, args: argparse.Namespace) -> None:
    from ecabinet.auth.service import AuthService

    password = args.password
    generated = False
    if password is None:
        if sys.stdin.isatty():
            password = getpass.getpass("password: ")
        else:
            password, generated = secrets.token_urlsafe(12), True
    db = Database(settings.database_url)
    try:
        user = await AuthService(db, settings).create_user(
            args.username, args.name, password, args.admin, title=args.title, unit=args.unit
        )
    finally:
        await db.dispose()
    print(f"user {user['username']} created (id {user['id']})")
    if generated:
        print(f"password: {password}")


async def _audit_verify(settings: Settings, meeting_id: int, public_key: str | None) -> int:
    """The chain recomputed, then checked against the meeting's signed checkpoints (with
    the server's key, or the one an auditor pinned)."""
    try:
        key = (
            CheckpointSigner(settings.secret_key).public_key
            if public_key is None
            else signing.load_public_key(public_key)
        )
    except ValueError as exc:
        print(f"--public-key: {exc}", file=sys.stderr)
        return 2
    folder = journal.directory(settings.data_dir)
    db = Database(settings.database_url)
    try:
        async with db.read() as conn:
            report = await audit.audit(conn, meeting_id, folder, key)
    finally:
        await db.dispose()
    chain, anchors = report.chain, report.checkpoints
    where = journal.path_for(folder, meeting_id)
    if not chain.ok:
        print(f"meeting {meeting_id}: chain BROKEN at seq {chain.first_bad_seq}: {chain.reason}")
    elif anchors.ok:
        print(f"meeting {meeting_id}: chain intact, {chain.events} events")
    if anchors.first_bad is not None:
        bad = anchors.first_bad
        named = f"checkpoint at seq {bad.seq}" if bad.seq is not None else "a checkpoint"
        print(
            f"meeting {meeting_id}: the log CONTRADICTS {named} "
            f"(line {bad.line} of {where}): {bad.reason}"
        )
    elif anchors.count == 0:
        print(f"meeting {meeting_id}: no checkpoints in {where}: nothing outside the database")
    else:
        print(
            f"meeting {meeting_id}: {anchors.verified} signed checkpoints match the log, "
            f"the latest at seq {anchors.latest_seq}"
        )
    return 0 if report.ok else 1


def _audit_key(settings: Settings) -> int:
    key = CheckpointSigner(settings.secret_key).public_key
    print(f"checkpoint key (Ed25519, base64): {signing.public_key_text(key)}")
    print(f"key id: {signing.key_id(key)}")
    return 0


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run(
        "ecabinet.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        # The application reads X-Forwarded-For/-Proto itself, from ECABINET_TRUSTED_PROXIES
        # only (realtime/forwarded.py); uvicorn's own reading would trust 127.0.0.1 and
        # replace the peer before the application could judge it.
        proxy_headers=False,
        log_level="info",
        # Open websockets and long requests get this long after SIGTERM; then the lifespan
        # ends the pools (ecabinet/lifeline.py), all within 5 seconds.
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECS,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecabinet", description="E-cabinet paperless meeting room"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create or upgrade the database (idempotent)")
    serve = sub.add_parser("serve", help="serve the app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers", type=int, default=1, help="processes (needs PostgreSQL and Redis when > 1)"
    )
    demo = sub.add_parser("demo", help="seed (or refresh) the demo committee, people and meeting")
    demo.add_argument("--password", help="one password for every demo user (default: random ones)")
    demo.add_argument(
        "--simulate",
        action="store_true",
        help="also play a whole meeting and sign its minutes (clerk and chair)",
    )
    user = sub.add_parser("user", help="manage users")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="add a user")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--title", default="", help="title (chức vụ), as in the back office")
    add.add_argument("--unit", default="", help="unit (đơn vị), as in the back office")
    add.add_argument("--admin", action="store_true")
    add.add_argument("--password", help="(default: asked, or generated and printed)")
    minutes_cli.add_parser(sub)
    audit_parser = sub.add_parser("audit", help="check the event log")
    audit_sub = audit_parser.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser(
        "verify", help="recompute a meeting's hash chain and check it against its checkpoints"
    )
    verify.add_argument("meeting_id", type=int)
    verify.add_argument(
        "--public-key", help="the checkpoint key to trust (base64; default: this server's)"
    )
    audit_sub.add_parser("key", help="print the public key of the signed checkpoints")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        if args.command == "serve":
            if args.workers > 1 and (settings.is_sqlite or not settings.redis_url):
                raise SettingsError(
                    "--workers > 1 needs ECABINET_DATABASE_URL (PostgreSQL) and ECABINET_REDIS_URL"
                )
            _serve(args)
            return 0
        if args.command == "init":
            asyncio.run(_init(settings))
        elif args.command == "demo":
            asyncio.run(_demo(settings, args.password))
            if args.simulate:
                asyncio.run(_simulate(settings))
        elif args.command == "user":
            asyncio.run(_user_add(settings, args))
        elif args.command == "minutes":
            return minutes_cli.run(settings, args)
        elif args.command == "audit" and args.audit_command == "key":
            return _audit_key(settings)
        elif args.command == "audit":
            return asyncio.run(_audit_verify(settings, args.meeting_id, args.public_key))
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except ECabinetError as exc:
        print(f"error ({exc.code}): {exc.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
