"""Minutes of a rich meeting: the record, the PDF/A-3b rendering in every layout, two PAdES
signatures checked by pyHanko and by poppler's pdfsig, and tampering detected."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from ecabinet.minutes import keys, record, render, sample, sign, verify
from ecabinet.minutes.profile import MinutesProfile

# WeasyPrint leaves its sRGB profile file open when it writes PDF/A (the server renders in a
# worker process, where this does not matter); here it would turn into an error at GC time.
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]
SECRET = "s" * 48
NAMES = ("Nguyễn Văn Hùng", "Trần Thị Thu Hằng", "Đặng Thị Hương Giang", "Ngô Thị Thanh Thủy")


def build(layout: str, meeting: sample.SampleMeeting) -> dict[str, Any]:
    profile = MinutesProfile(
        layout=layout,
        superior_body="Ủy ban nhân dân tỉnh",
        abbreviation="BB-UBND" if layout == "state" else "BB/TU",
        place="Hòa An",
        recipients=("Thường trực Tỉnh ủy",),
    )
    meeting_row = {
        "id": 1,
        "committee_id": 1,
        "committee_name": "Ủy ban nhân dân tỉnh Hòa An",
        "title": "Phiên họp thường kỳ tháng 12 năm 2026",
        "location": "Phòng họp số 1",
        "scheduled_at": "2026-12-01T08:00:00+07:00",
        "hash_rule": 2,  # sample.SampleMeeting hashes under rule 2
    }
    inputs = record.RecordInputs(
        meeting_row,
        meeting.roster_entries(),
        meeting.state,
        meeting.events,
        meeting.head_hash,
        profile,
        layout,
        "05",
        1,
        None,
        "2026-12-01T05:00:00.000Z",
    )
    return record.build_record(inputs)


@pytest.fixture(scope="module")
def meeting() -> sample.SampleMeeting:
    return sample.play(items=4, polls=2)


@pytest.fixture(scope="module")
def rendered(meeting: sample.SampleMeeting) -> dict[str, tuple[dict[str, Any], render.Rendered]]:
    out = {}
    for layout in ("state", "party", "en"):
        rec = build(layout, meeting)
        out[layout] = (rec, render.render(rec))
    return out


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(
    ("layout", "words"),
    [
        ("state", ("BIÊN BẢN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 05/BB-UBND", "Nơi nhận")),
        ("party", ("BIÊN BẢN", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 05-BB/TU", "NGƯỜI GHI BIÊN BẢN")),
        ("en", ("MINUTES", "Roll call", "SECRETARY", "Adopted")),
    ],
)
def test_each_layout_renders_its_headings_and_every_name_with_diacritics(
    rendered: dict[str, tuple[dict[str, Any], render.Rendered]], layout: str, words: tuple[str]
) -> None:
    _record, out = rendered[layout]
    text = " ".join(text_of(out.pdf).split())
    for word in (*words, *NAMES, "Hòa An", "Tờ trình số 01"):
        assert word in text, (layout, word)


def test_the_pdf_is_pdfa_3b_and_the_attached_record_round_trips(
    rendered: dict[str, tuple[dict[str, Any], render.Rendered]],
) -> None:
    rec, out = rendered["state"]
    reader = PdfReader(io.BytesIO(out.pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]*3", xmp) and re.search(r"pdfaid:conformance[^A-Z]*B", xmp)
    attached = reader.attachments[record.RECORD_FILENAME]
    assert attached == [render.record_bytes(rec)]
    assert json.loads(attached[0]) == rec
    assert rec["audit"]["seq"] == rec["audit"]["seq"] > 0
    fields = {f for f in reader.get_fields() or {}}
    assert fields == {"sig-clerk", "sig-chair"}


def test_user_text_is_escaped(meeting: sample.SampleMeeting) -> None:
    rec = build("state", meeting)
    rec["general_note"] = '<img src="file:///etc/passwd"> <script>alert(1)</script>'
    html = render.render_html(rec)
    assert "<img src" not in html and "&lt;img src=" in html and "<script>" not in html


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key, inner
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def test_secret_poll_choices_never_reach_the_record_or_the_page(
    rendered: dict[str, tuple[dict[str, Any], render.Rendered]],
) -> None:
    rec, out = rendered["state"]
    secret = [p for p in rec["polls"] if p["secret"]]
    named = [p for p in rec["polls"] if not p["secret"]]
    assert secret and named
    for poll in secret:
        assert not {"roll_call", "choice", "votes"} & {k for k, _ in _walk(poll)}
        assert poll["receipts"] and poll["participants"] == poll["result"]["ballots"]
    text = " ".join(text_of(out.pdf).split())
    assert text.count("Biểu quyết của từng người") == len(named)


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("ca")
    keys.ensure_dev_ca(data_dir, SECRET)
    return data_dir


def sign_as(pdf: bytes, ca: Path, field: str, name: str, certify: bool) -> bytes:
    credential = keys.issue(ca, SECRET, name, "u" + field)
    return sign.sign(
        sign.SignRequest(
            pdf=pdf,
            field=field,
            certify=certify,
            certificate_pem=credential.certificate_pem,
            chain_pem=credential.chain_pem,
            key_pem=credential.key_pem,
            signer_name=name,
            role_title="Thư ký" if certify else "Chủ tọa",
            caption="Ký số",
            location="Hòa An",
        )
    )


@pytest.fixture(scope="module")
def signed(rendered: dict[str, tuple[dict[str, Any], render.Rendered]], ca: Path) -> bytes:
    draft = rendered["state"][1].pdf
    clerk = sign_as(draft, ca, "sig-clerk", "Trần Thị Thu Hằng", True)
    return sign_as(clerk, ca, "sig-chair", "Nguyễn Văn Hùng", False)


def test_two_signatures_are_valid_trusted_and_final(signed: bytes, ca: Path) -> None:
    verdict = verify.verify_pdf(signed, keys.trusted_roots(ca))
    assert verdict.ok and verdict.final and verdict.record_ok, verdict.problems
    assert [(s.field, s.certification, s.trusted) for s in verdict.signatures] == [
        ("sig-clerk", True, True),
        ("sig-chair", False, True),
    ]
    assert verdict.signatures[-1].coverage == "ENTIRE_FILE"


def test_without_the_trusted_root_the_signatures_are_not_trusted(signed: bytes) -> None:
    verdict = verify.verify_pdf(signed, [])
    assert not verdict.ok and not any(s.trusted for s in verdict.signatures)


@pytest.mark.skipif(
    not (shutil.which("pdfsig") and shutil.which("certutil")),
    reason="needs poppler-utils and libnss3-tools (make test installs them)",
)
def test_pdfsig_agrees_both_signatures_valid_and_trusted(
    signed: bytes, ca: Path, tmp_path: Path
) -> None:
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    ca_pem = keys.ca_paths(ca)[0]
    subprocess.run(
        ["certutil", "-A", "-n", "ecabinet", "-t", "CT,C,C", "-i", str(ca_pem), "-d", f"sql:{nss}"],
        check=True,
    )
    path = tmp_path / "minutes.pdf"
    path.write_bytes(signed)
    out = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True, check=False
    ).stdout
    assert out.count("Signature is Valid") == 2, out
    assert out.count("Certificate is Trusted") == 2, out
    assert "Total document signed" in out


def test_one_changed_byte_of_the_signed_file_fails_verification(signed: bytes, ca: Path) -> None:
    start = signed.index(b"stream", len(signed) // 10) + 20  # inside a signed content stream
    changed = bytearray(signed)
    changed[start] ^= 0x01
    assert not verify.verify_pdf(bytes(changed), keys.trusted_roots(ca)).ok


def replace_record(data: bytes, old: bytes, new: bytes) -> bytes:
    """An incremental update that swaps the attached record for one with ``old`` → ``new``
    (the signed revisions stay byte for byte as they were)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
    filespec = names[1].get_object()
    ef = filespec["/EF"]
    stream = ef["/F"]
    content = stream.data
    assert content.count(old) >= 1
    replacement = generic.StreamObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/EmbeddedFile"),
        },
        stream_data=content.replace(old, new, 1),
    )
    ef[generic.NameObject("/F")] = writer.add_object(replacement)
    writer.update_container(ef)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_one_changed_character_of_the_attached_record_fails_verification(
    signed: bytes, ca: Path
) -> None:
    tampered = replace_record(signed, "Trần Thị Thu Hằng".encode(), "Trần Thị Thu Hàng".encode())
    verdict = verify.verify_pdf(tampered, keys.trusted_roots(ca))
    assert not verdict.ok
    assert not verdict.record_ok
    assert any("changed after its last signature" in p for p in verdict.problems)


def test_a_signature_timestamp_from_a_tsa_is_embedded_and_validates(
    rendered: dict[str, tuple[dict[str, Any], render.Rendered]], ca: Path
) -> None:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from pyhanko.sign.timestamps import DummyTimeStamper

    ca_cert_path, ca_key_path = keys.ca_paths(ca)
    ca_cert = x509.load_pem_x509_certificate(ca_cert_path.read_bytes())
    ca_key = serialization.load_pem_private_key(
        keys.unseal(SECRET, ca_key_path.read_text(), "ca"), password=None
    )
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # RSA-only dummy
    now = ca_cert.not_valid_before_utc
    tsa_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Test TSA")]))
        .issuer_name(ca_cert.subject)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(ca_cert.not_valid_after_utc)
        .add_extension(
            x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    timestamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa_cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            tsa_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )
    credential = keys.issue(ca, SECRET, "Trần Thị Thu Hằng", "clerk")
    request = sign.SignRequest(
        pdf=rendered["state"][1].pdf,
        field="sig-clerk",
        certify=True,
        certificate_pem=credential.certificate_pem,
        chain_pem=credential.chain_pem,
        key_pem=credential.key_pem,
        signer_name="Trần Thị Thu Hằng",
        role_title="Thư ký",
        caption="Ký số",
        location="Hòa An",
    )
    stamped = sign.sign(request, timestamper=timestamper)
    verdict = verify.verify_pdf(stamped, keys.trusted_roots(ca))
    assert verdict.ok, verdict.problems
    assert verdict.signatures[0].timestamped


def test_an_options_poll_shows_each_option_the_winner_and_the_named_choices() -> None:
    meeting = sample.SampleMeeting()
    meeting.run("meeting.start", sample.CHAIR)
    for uid, _name, _role in sample.PEOPLE:
        meeting.run("attendance.check_in", sample.CLERK, {"user_id": uid})
    options = ["Phương án Bảo tồn", "Phương án Mở rộng", "Phương án Đô thị"]
    meeting.run(
        "poll.create",
        sample.CHAIR,
        {"title": "Chọn phương án quy hoạch", "kind": "options", "options": options,
         "secret": False, "allow_change": False, "majority": "simple",
         "quorum": {"kind": "none"}},
    )  # fmt: skip
    meeting.run("poll.open", sample.CHAIR, {"poll_id": 1})
    for n, voter in enumerate((sample.CHAIR, *sample.MEMBERS)):
        meeting.run("vote.cast", voter, {"poll_id": 1, "choice": [1] if n < 6 else [0]})
    meeting.run("poll.close", sample.CHAIR, {"poll_id": 1})
    meeting.run("meeting.end", sample.CHAIR)
    for layout, won in (
        ("state", "Được chọn: Phương án Mở rộng"),
        ("en", "Chosen: Phương án Mở rộng"),
    ):
        rec = build(layout, meeting)
        text = " ".join(text_of(render.render(rec).pdf).split())
        assert won in text, layout
        assert "Phương án Mở rộng: 6" in text and "Phương án Bảo tồn: 3" in text
        assert "Phương án Mở rộng (6): " in text and "Phương án Bảo tồn (3): " in text


def test_document_information_and_xmp_agree_after_both_signatures(signed: bytes) -> None:
    """PDF/A: Info entries equal their XMP equivalents (pyHanko rewrites the producer)."""
    reader = PdfReader(io.BytesIO(signed))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    info = reader.trailer["/Info"]
    assert f'pdf:Producer="{info["/Producer"]}"' in xmp
    assert str(info["/Title"]) in xmp and 'pdfaid:part="3"' in xmp


def test_roll_calls_list_people_by_given_name_with_d_stroke_after_d() -> None:
    names = ["Nguyễn Văn Hùng", "Đỗ Trọng Nghĩa", "Lê Quang Đức", "Phạm Thị Ngọc Ánh"]
    names += ["Bùi Thị Mỹ Duyên", "Đặng Thị Hương Giang", "Võ Minh Dũng"]
    assert sorted(names, key=record.vietnamese_name_key) == [
        "Phạm Thị Ngọc Ánh",
        "Võ Minh Dũng",
        "Bùi Thị Mỹ Duyên",
        "Lê Quang Đức",
        "Đặng Thị Hương Giang",
        "Nguyễn Văn Hùng",
        "Đỗ Trọng Nghĩa",
    ]
