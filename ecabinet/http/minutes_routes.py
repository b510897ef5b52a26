"""Minutes over HTTP: list, generate (at once, or as a job the tablet polls for progress),
download, sign, verify; signing certificates (administrators). A committee's minutes
profile is kept with the committee (admin_routes.py).

The PDF bytes travel over HTTP only. Generating and signing run in the minutes worker
process and are then recorded through the meeting's command path, so every tablet of the
meeting receives ``minutes.generated``/``minutes.signed`` as events.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ecabinet.auth import users
from ecabinet.errors import Conflict, Invalid, NotAllowed, NotFound, TooLarge
from ecabinet.http.common import (
    check_origin,
    client_address,
    current_user,
    path_id,
    read_json,
    require_admin,
)
from ecabinet.meetings import repo
from ecabinet.meetings.rules import Role, Status
from ecabinet.meetings.service import CommandEnvelope
from ecabinet.minutes import keys, profile, worker
from ecabinet.minutes.cli import log_matches
from ecabinet.minutes.job_store import SharedJobs
from ecabinet.minutes.service import MinutesConfig, MinutesService
from ecabinet.minutes.state import VersionStatus
from ecabinet.signing import choice, revocation
from ecabinet.signing.reauth import Reauth
from ecabinet.signing.signers import KINDS, TOKEN_KIND

EDITORS = frozenset({Role.CHAIR, Role.CLERK})
VERIFY_MAX_BYTES = 50 * 1024 * 1024  # one PDF to verify, in bytes
SECRET_MAX_CHARS = 256  # the password or PIN typed to sign
PDF_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}


def _service(request: Request) -> MinutesService:
    """One service per application, made on first use from the app's settings."""
    state = request.app.state
    service: MinutesService | None = getattr(state, "minutes_service", None)
    if service is None:
        settings = state.settings

        async def execute(user_id: int, meeting_id: int, command: CommandEnvelope) -> Any:
            ack, _events = await state.execute_internal(user_id, meeting_id, command)
            return ack

        config = MinutesConfig(
            settings.data_dir,
            settings.secret_key,
            tsa_url=settings.tsa_url,
            allow_dev_ca=not settings.is_production,
            pkcs11_module=settings.pkcs11_module,
        )
        service = MinutesService(state.db, config, execute, state.meetings.state_for)
        state.minutes_service = service
    return service


def _jobs(request: Request) -> SharedJobs:
    """The generation jobs, in the database: any worker answers for any job."""
    state = request.app.state
    jobs: SharedJobs | None = getattr(state, "minutes_jobs", None)
    if jobs is None:
        jobs = state.minutes_jobs = SharedJobs(state.db)
    return jobs


def _wants_job(request: Request) -> bool:
    """RFC 7240: ``Prefer: respond-async`` asks for 202 and a job instead of waiting."""
    prefer = request.headers.get("prefer", "")
    return any(p.strip().lower() == "respond-async" for p in prefer.split(","))


async def _role(request: Request) -> tuple[int, int, Role]:
    user = await current_user(request)
    meeting_id = path_id(request, "meeting_id")
    async with request.app.state.db.read() as conn:
        role = await repo.role_of(conn, meeting_id, user.user_id)
    if role is None:
        raise NotFound("no such meeting")
    return user.user_id, meeting_id, role


async def list_minutes(request: Request) -> Response:
    user_id, meeting_id, role = await _role(request)
    _role_again, state = await request.app.state.meetings.state_for(user_id, meeting_id)
    versions = [
        v.to_wire()
        for _, v in sorted(state.minutes.versions.items())
        if role in EDITORS or v.status is VersionStatus.FINAL
    ]
    answer: dict[str, Any] = {"versions": versions}
    if role in EDITORS:
        async with request.app.state.db.read() as conn:
            meeting = await repo.get_meeting(conn, meeting_id)
            layout = (await profile.load(conn, meeting["committee_id"])).layout if meeting else None
        answer["layout"] = layout  # the committee's layout: what a first generation uses
        answer["job"] = await _jobs(request).running(meeting_id)
        if role is Role.CLERK and state.status is Status.ENDED:
            worker.warm_up()  # the clerk is about to generate: start the worker now
    return JSONResponse(answer)


async def generate(request: Request) -> Response:
    check_origin(request)
    user_id, meeting_id, role = await _role(request)
    if role is not Role.CLERK:
        raise NotAllowed("the clerk generates the minutes")
    has_body = request.headers.get("content-length") not in (None, "0")
    body = await read_json(request) if has_body else {}
    layout, number = body.get("layout"), body.get("number")
    if layout is not None and layout not in profile.LAYOUTS:
        raise Invalid(f"layout must be one of {', '.join(profile.LAYOUTS)}")
    if number is not None and not isinstance(number, str):
        raise Invalid("number must be text")
    service = _service(request)
    if not _wants_job(request):
        ack = await service.generate(user_id, meeting_id, layout, number)
        return JSONResponse(ack, status_code=201)
    _r, state = await request.app.state.meetings.state_for(user_id, meeting_id)
    if state.status is not Status.ENDED:  # refused now rather than in the job
        raise Conflict("the minutes are generated after the meeting has ended")
    job = await _jobs(request).start(
        meeting_id,
        user_id,
        lambda progress: service.generate(user_id, meeting_id, layout, number, progress),
    )
    location = f"/api/meetings/{meeting_id}/minutes/jobs/{job['id']}"
    return JSONResponse(
        {"job": job},
        status_code=202,
        headers={"Location": location, "Preference-Applied": "respond-async"},
    )


async def generation_job(request: Request) -> Response:
    """How far a generation has come (the clerk who asked, and the chair)."""
    _user_id, meeting_id, role = await _role(request)
    job = await _jobs(request).get(meeting_id, request.path_params["job_id"])
    if role not in EDITORS or job is None:
        raise NotFound("no such generation")
    return JSONResponse({"job": job}, headers={"Cache-Control": "no-store"})


async def download(request: Request) -> Response:
    user_id, meeting_id, role = await _role(request)
    version = path_id(request, "version")
    _r, state = await request.app.state.meetings.state_for(user_id, meeting_id)
    target = state.minutes.versions.get(version)
    if target is None or (role not in EDITORS and target.status is not VersionStatus.FINAL):
        raise NotFound("no such minutes version")
    data = _service(request).files.read(meeting_id, target.sha256)
    name = f"bien-ban-{meeting_id}-v{version}-{target.status.value}.pdf"
    headers = {**PDF_HEADERS, "Content-Disposition": f'inline; filename="{name}"'}
    return Response(data, media_type="application/pdf", headers=headers)


async def sign(request: Request) -> Response:
    """``{secret}``: the signer's password, or their token's PIN (signing/reauth.py)."""
    check_origin(request)
    user_id, meeting_id, role = await _role(request)
    if role not in EDITORS:  # before the body: a member's request is refused as such
        raise NotAllowed("only the clerk and the chair sign the minutes")
    version = path_id(request, "version")
    _r, state = await request.app.state.meetings.state_for(user_id, meeting_id)
    if version not in state.minutes.versions:  # likewise another meeting's version
        raise NotFound("no such minutes version")
    secret = (await read_json(request)).get("secret")
    if not isinstance(secret, str) or not 0 < len(secret) <= SECRET_MAX_CHARS:
        raise Invalid(f"send {{secret}}: the password or the token PIN (1 to {SECRET_MAX_CHARS})")
    again = Reauth(
        secret, client_address(request), request.app.state.settings.login_attempts_per_address
    )
    ack = await _service(request).sign(user_id, meeting_id, version, again)
    return JSONResponse(ack)


async def verify_upload(request: Request) -> Response:
    """The verdict on an uploaded PDF: the same checks as ``ecabinet minutes verify``."""
    check_origin(request)
    await current_user(request)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/pdf":
        raise Invalid("send the PDF as the body with Content-Type: application/pdf")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > VERIFY_MAX_BYTES:
            raise TooLarge(f"at most {VERIFY_MAX_BYTES // (1024 * 1024)} MB")
    roots = keys.trusted_roots(request.app.state.settings.data_dir)
    verdict = await worker.verify_minutes(bytes(body), roots)
    async with request.app.state.db.read() as conn:
        log = await log_matches(conn, verdict)
    if log is False:
        verdict.ok = False
        verdict.problems.append("the meeting's log here does not hold this audit head")
    return JSONResponse({**verdict.to_wire(), "log_checked": log})


async def get_certificate(request: Request) -> Response:
    user = await current_user(request)
    user_id = path_id(request, "user_id")
    if user.user_id != user_id and not user.is_admin:
        raise NotFound("no such certificate")
    async with request.app.state.db.read() as conn:
        credential = await keys.load(conn, request.app.state.settings.secret_key, user_id)
    if credential is None:
        raise NotFound("no signing certificate yet")
    return JSONResponse({"certificate": keys.describe(credential)})


def _pkcs12_credential(body: dict[str, Any]) -> keys.Credential:
    raw, password = body.get("pkcs12"), body.get("password")
    if not isinstance(raw, str) or (password is not None and not isinstance(password, str)):
        raise Invalid("send {pkcs12: base64, password}")
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Invalid("pkcs12 must be base64") from exc
    return keys.from_pkcs12(data, password)


def _token_credential(body: dict[str, Any]) -> keys.Credential:
    token, key, cert, chain = (body.get(k) for k in ("token", "key", "certificate", "chain"))
    if not all(isinstance(v, str) for v in (token, key, cert)) or not isinstance(chain, str | None):
        raise Invalid("send {signer: pkcs11, token, key, certificate (PEM), chain (PEM)}")
    return choice.token_credential(str(token), str(key), str(cert).encode(), (chain or "").encode())


async def put_certificate(request: Request) -> Response:
    """The administrator chooses the user's signer (signing/choice.py): ``{signer:
    "dev-ca"}``, ``{signer: "pkcs12", pkcs12, password}`` (``signer`` may be left out), or
    ``{signer: "pkcs11", token, key, certificate, chain}``."""
    await require_admin(request)
    user_id = path_id(request, "user_id")
    body = await read_json(request)
    settings = request.app.state.settings
    kind = body.get("signer", "pkcs12")
    if kind not in KINDS:
        raise Invalid(f"signer must be one of {', '.join(KINDS)}")
    if kind == "dev-ca" and settings.is_production:
        raise Invalid("there is no development CA in production")
    async with request.app.state.db.read() as conn:
        user = await users.find_by_id(conn, user_id)
    if user is None:
        raise NotFound("no such user")
    if kind == "pkcs12":
        credential = _pkcs12_credential(body)
    elif kind == TOKEN_KIND:
        credential = _token_credential(body)
    else:
        credential = keys.issue(
            settings.data_dir, settings.secret_key, user.display_name, user.username
        )
    async with request.app.state.db.write() as conn:
        await keys.store(conn, settings.secret_key, user_id, credential)
    return JSONResponse({"certificate": keys.describe(credential)})


async def development_crl(request: Request) -> Response:
    """The development CA's CRL, for anyone checking a signature (signing/revocation.py)."""
    settings = request.app.state.settings
    der = await asyncio.to_thread(revocation.crl, settings.data_dir, settings.secret_key)
    headers = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}
    return Response(der, media_type="application/pkix-crl", headers=headers)


routes = [
    Route("/api/ca/crl", development_crl, methods=["GET"]),
    Route("/api/meetings/{meeting_id:int}/minutes", list_minutes, methods=["GET"]),
    Route("/api/meetings/{meeting_id:int}/minutes", generate, methods=["POST"]),
    Route(
        "/api/meetings/{meeting_id:int}/minutes/jobs/{job_id:str}",
        generation_job,
        methods=["GET"],
    ),
    Route("/api/meetings/{meeting_id:int}/minutes/{version:int}/file", download, methods=["GET"]),
    Route("/api/meetings/{meeting_id:int}/minutes/{version:int}/sign", sign, methods=["POST"]),
    Route("/api/minutes/verify", verify_upload, methods=["POST"]),
    Route("/api/users/{user_id:int}/signing-certificate", get_certificate, methods=["GET"]),
    Route("/api/users/{user_id:int}/signing-certificate", put_certificate, methods=["PUT"]),
]
