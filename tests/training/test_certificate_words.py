"""The certificate PDF read back as text: written-out dates, no internal codes (issue 13.3)."""

from kawaltps.core.formatting import long_day
from tests.pdftext import INTERNAL, text_of


def test_certificate_pdf(session, make_volunteer):
    from kawaltps.training import certificates, services
    from kawaltps.training.models import Enrolment, TestAttempt

    v = make_volunteer(name="Siti Nurhaliza")
    e = services.enrol(session, v)
    services.mark_attended(e, Enrolment.Method.MANUAL)
    TestAttempt.objects.create(enrolment=e, kind="post", question_ids=[], score=80, passed=True,
                               submitted_at=e.attended_at)
    cert = certificates.issue(e)
    text = text_of(certificates.render_pdf(cert, "http://x/bimtek/sertifikat/K/"))
    assert "Siti Nurhaliza" in text and long_day(session.date) in text
    assert f"Terbit: {long_day(cert.issued_at)}" in text
    assert not INTERNAL.search(text.replace("http://x/bimtek/sertifikat/K/", "")), INTERNAL.search(text)
