"""The verdict on a minutes file, offline: signatures, trust, changes after signing, and
the attached record against the audit head the document states.

``ok`` only when there is at least one signature, every signature is intact, valid and
chains to a trusted root, the last one covers the whole file, nothing after the first
signature went beyond filling and signing its fields (pyHanko's difference analysis), and
the attached record is the one the signed document names (its SHA-256 and audit head are
in the signed document information). Runs in a worker process or the CLI (pyHanko's sync
validation starts its own event loop).
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from ecabinet.minutes.record import RECORD_FILENAME, RECORD_FORMAT

INFO_HEAD = "/ecabinetaudithead"  # WeasyPrint writes <meta name> keys in lower case
INFO_RECORD = "/ecabinetrecordsha256"


@dataclass
class SignatureCheck:
    field: str
    signer: str
    signed_at: str | None
    certification: bool
    intact: bool
    valid: bool
    trusted: bool
    coverage: str
    modifications: str
    docmdp_ok: bool
    ok: bool
    timestamped: bool = False  # carries a signature timestamp from a TSA
    signer_name: str = ""  # the certificate's common name (the person's display name)


@dataclass
class Verdict:
    ok: bool = False
    signatures: list[SignatureCheck] = field(default_factory=list)
    final: bool = False  # clerk's certification, then the chair's approval
    record_ok: bool = False
    meeting_id: int | None = None
    audit_seq: int | None = None
    audit_hash: str | None = None
    record_sha256: str | None = None
    problems: list[str] = field(default_factory=list)

    def to_wire(self) -> dict[str, Any]:
        return asdict(self)


def _record_check(data: bytes, info: dict[str, str], verdict: Verdict) -> None:
    from pypdf import PdfReader

    attachments = PdfReader(io.BytesIO(data)).attachments
    if RECORD_FILENAME not in attachments or len(attachments[RECORD_FILENAME]) != 1:
        verdict.problems.append(f"the record {RECORD_FILENAME} is not attached (once)")
        return
    raw = attachments[RECORD_FILENAME][0]
    verdict.record_sha256 = hashlib.sha256(raw).hexdigest()
    try:
        record = json.loads(raw)
        audit = record["audit"]
        fmt = record["format"]
    except (ValueError, KeyError, TypeError):
        verdict.problems.append("the attached record is not a minutes record")
        return
    verdict.meeting_id, verdict.audit_seq, verdict.audit_hash = (
        audit.get("meeting_id"),
        audit.get("seq"),
        audit.get("hash"),
    )
    stated_head = info.get(INFO_HEAD)
    if fmt != RECORD_FORMAT:
        verdict.problems.append(f"unknown record format {str(fmt)[:40]!r}")
    elif info.get(INFO_RECORD) != verdict.record_sha256:
        verdict.problems.append("the attached record is not the one the document names")
    elif stated_head != f"{verdict.meeting_id}:{verdict.audit_seq}:{verdict.audit_hash}":
        verdict.problems.append("the record's audit head differs from the document's")
    else:
        verdict.record_ok = True


def verify_pdf(data: bytes, trust_pems: list[bytes]) -> Verdict:
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    verdict = Verdict()
    roots = [c for pem in trust_pems for c in load_certs_from_pemder_data(pem)]
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        info_obj: Any = reader.trailer.raw_get("/Info").get_object()
        info = {str(k).lower(): str(v) for k, v in info_obj.items()}
    except Exception as exc:  # a damaged or foreign file: the verdict says so
        verdict.problems.append(f"not a readable PDF ({type(exc).__name__})")
        return verdict
    if not signatures:
        verdict.problems.append("the document has no signature")
    for embedded in signatures:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            status = validate_pdf_signature(embedded, signer_validation_context=context)
        except (SigningError, ValueError, KeyError) as exc:
            verdict.problems.append(f"{embedded.field_name}: cannot be validated ({exc})")
            verdict.signatures.append(
                SignatureCheck(
                    embedded.field_name, "", None, False, False, False, False, "", "", False, False
                )
            )
            continue
        modifications = status.modification_level
        check = SignatureCheck(
            field=embedded.field_name,
            signer=status.signing_cert.subject.human_friendly,
            signed_at=status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
            certification=embedded.docmdp_level is not None,
            intact=status.intact,
            valid=status.valid,
            trusted=status.trusted,
            coverage=status.coverage.name if status.coverage else "",
            modifications=modifications.name if modifications else "",
            docmdp_ok=bool(status.docmdp_ok),
            ok=bool(status.bottom_line and status.docmdp_ok),
            timestamped=status.timestamp_validity is not None,
            signer_name=str(status.signing_cert.subject.native.get("common_name", "")),
        )
        verdict.signatures.append(check)
        if not check.ok:
            why = "not trusted" if check.intact and check.valid else "invalid or altered"
            verdict.problems.append(f"signature {check.field}: {why}")
    if verdict.signatures and verdict.signatures[-1].coverage != "ENTIRE_FILE":
        verdict.problems.append("the file was changed after its last signature")
    _record_check(data, info, verdict)
    fields = [s.field for s in verdict.signatures]
    verdict.final = fields == ["sig-clerk", "sig-chair"] and verdict.signatures[0].certification
    verdict.ok = bool(verdict.signatures) and not verdict.problems and verdict.record_ok
    return verdict
