"""Certificates: when one is due, issuing and revoking, public verification, and the PDF.

- Due (:func:`is_due`) when the enrolment's attendance is recorded AND its post-test passed.
- Issuing is idempotent (one certificate per enrolment) and moves the volunteer → certified.
- The verification code is random (unguessable), shown on the PDF and in its QR code, which opens
  ``/bimtek/sertifikat/<code>/``: a public page saying whether the certificate is genuine, showing
  only the masked name, the session and the date (never NIK or phone). A revoked or unknown code
  says so.
"""

import io
import secrets
from dataclasses import dataclass

import segno
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kawaltps.audit.services import record_change
from kawaltps.core.formatting import long_day
from kawaltps.volunteers.models import Volunteer

from .models import Certificate, Enrolment, TestAttempt
from .services import TrainingError, advance_status

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud or typed from paper
CODE_LENGTH = 10


def new_code() -> str:
    """A random verification code from the system's CSPRNG (also in the demo: a seeded generator would
    give every install the same, guessable codes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def certificate_number(enrolment: Enrolment, year: int) -> str:
    return f"BIMTEK/{year}/{enrolment.session_id:05d}/{enrolment.pk:07d}"


def is_due(enrolment: Enrolment) -> bool:
    """Attendance recorded and a passing post-test."""
    return enrolment.attended and TestAttempt.objects.filter(
        enrolment=enrolment, kind=TestAttempt.Kind.POST, passed=True).exists()


def issue(enrolment: Enrolment, *, by=None) -> Certificate:
    """Issue the enrolment's certificate (or return the existing one) and move the volunteer → certified."""
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing:
        return existing
    if not is_due(enrolment):
        raise TrainingError(gettext("Sertifikat hanya untuk peserta yang hadir dan lulus post-test."))
    now = timezone.now()
    with transaction.atomic():
        cert = Certificate.objects.create(enrolment=enrolment, number=certificate_number(enrolment, now.year),
                                          verification_code=new_code(), issued_at=now)
        record_change(user=by, obj=cert, code=enrolment.session.region_id, action="bimtek_certificate_issue",
                      after={"number": cert.number, "session": enrolment.session_id})
        advance_status(enrolment.volunteer, Volunteer.Status.CERTIFIED, by=by,
                       reason=f"sertifikat {cert.number}")
    return cert


def revoke(cert: Certificate, *, by=None, reason: str) -> None:
    """Revoke a certificate (the public page then says it is revoked). The status is not moved back."""
    if not reason.strip():
        raise TrainingError(gettext("Alasan pencabutan wajib diisi."))
    with transaction.atomic():
        cert.revoked_at = timezone.now()
        cert.revoked_reason = reason.strip()[:200]
        cert.save(update_fields=["revoked_at", "revoked_reason"])
        record_change(user=by, obj=cert, code=cert.enrolment.session.region_id,
                      action="bimtek_certificate_revoke", after={"number": cert.number}, reason=reason)


def mask_name(name: str) -> str:
    """``Siti Nurhaliza`` → ``Si** Nu*******``: enough to recognise, not to identify."""
    return " ".join(w[:2] + "*" * max(len(w) - 2, 0) for w in name.split())


@dataclass
class Verification:
    status: str  # "valid" | "revoked" | "unknown"
    masked_name: str = ""
    number: str = ""
    session: str = ""
    date: object = None
    issued_at: object = None
    revoked_at: object = None


def normalise_code(code: str | None) -> str | None:
    """``code`` as stored (upper case, spaces and dashes dropped), or None if it cannot be a code.

    A code is :data:`CODE_LENGTH` characters of :data:`CODE_ALPHABET`; anything else (``a/b``, a
    URL, 10,000 characters) is simply unknown, never an error.
    """
    code = "".join((code or "").split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def verify(code: str) -> Verification:
    """What the public page may say about ``code``."""
    code = normalise_code(code)
    cert = (Certificate.objects.select_related("enrolment__volunteer", "enrolment__session__region")
            .filter(verification_code=code).first() if code else None)
    if cert is None:
        return Verification("unknown")
    session = cert.enrolment.session
    return Verification(
        "valid" if cert.valid else "revoked", masked_name=mask_name(cert.enrolment.volunteer.name),
        number=cert.number, session=f"{session} · {session.region.name}", date=session.date,
        issued_at=cert.issued_at, revoked_at=cert.revoked_at)


def render_pdf(cert: Certificate, verify_url: str) -> bytes:
    """An A4 landscape certificate with a QR code of ``verify_url`` (ReportLab + segno)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    enrolment = cert.enrolment
    session = enrolment.session
    buf = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buf, pagesize=(width, height), invariant=1)
    c.setTitle(f"Sertifikat Bimtek {cert.number}")
    c.setAuthor("Kawal TPS")
    c.setStrokeColorRGB(0.5, 0.11, 0.11)
    c.setLineWidth(4)
    c.rect(1 * cm, 1 * cm, width - 2 * cm, height - 2 * cm)
    c.setFont("Helvetica-Bold", 30)
    c.drawCentredString(width / 2, height - 4 * cm, "SERTIFIKAT BIMTEK SAKSI")
    c.setFont("Helvetica", 14)
    c.drawCentredString(width / 2, height - 5.2 * cm, "Kawal TPS · Bimbingan Teknis Saksi TPS")
    c.drawCentredString(width / 2, height - 7 * cm, "diberikan kepada")
    c.setFont("Helvetica-Bold", 24)
    c.drawCentredString(width / 2, height - 8.4 * cm, enrolment.volunteer.name)
    c.setFont("Helvetica", 13)
    lines = [
        "yang telah hadir dan lulus post-test Bimtek",
        f"{session} · {session.region.name} · {long_day(session.date)}",
        f"Tempat: {session.place}",
    ]
    for i, line in enumerate(lines):
        c.drawCentredString(width / 2, height - (9.8 + 0.8 * i) * cm, line)
    c.setFont("Helvetica", 11)
    c.drawString(2 * cm, 3.6 * cm, f"Nomor: {cert.number}")
    c.drawString(2 * cm, 3.0 * cm, f"Terbit: {long_day(cert.issued_at)}")
    c.drawString(2 * cm, 2.4 * cm, f"Kode verifikasi: {cert.verification_code}")
    c.drawString(2 * cm, 1.8 * cm, f"Periksa keaslian: {verify_url}")
    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=8, border=2)
    qr.seek(0)
    size = 4.5 * cm
    c.drawImage(ImageReader(qr), width - 2 * cm - size, 1.6 * cm, size, size)
    c.showPage()
    c.save()
    return buf.getvalue()
