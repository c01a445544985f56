"""The certificate PDF and its public verification page."""

from kawaltps.training import certificates, services
from kawaltps.training.models import Enrolment, TestAttempt

from .conftest import login


def _certified(session, make_volunteer, name="Siti Nurhaliza"):
    v = make_volunteer(login=True, name=name)
    e = services.enrol(session, v)
    services.mark_attended(e, Enrolment.Method.MANUAL)
    TestAttempt.objects.create(enrolment=e, kind="post", question_ids=[], score=80, passed=True,
                               submitted_at=e.attended_at)
    return certificates.issue(e), v


def test_pdf_download_and_verification(client, session, make_volunteer):
    cert, v = _certified(session, make_volunteer)
    login(client, v.user)
    r = client.get(f"/bimtek/sertifikat/{cert.verification_code}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-") and b"%%EOF" in r.content[-1024:]
    try:
        import pypdf  # optional: parse it when available
    except ImportError:
        pass
    else:
        import io

        text = pypdf.PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
        assert cert.verification_code in text
    client.logout()
    page = client.get(f"/bimtek/sertifikat/{cert.verification_code}/")
    body = page.content.decode()
    assert page.status_code == 200 and "ASLI" in body
    assert "Si** Nu*******" in body and "Siti Nurhaliza" not in body
    assert v.nik not in body and v.phone not in body and v.phone[2:] not in body


def test_tampered_and_unknown_code_not_genuine(client, session, make_volunteer):
    cert, v = _certified(session, make_volunteer)
    code = cert.verification_code
    tampered = code[:-1] + ("2" if code[-1] != "2" else "3")
    r = client.get(f"/bimtek/sertifikat/{tampered}/")
    assert r.status_code == 404 and "TIDAK ASLI" in r.content.decode()
    r = client.get("/api/training/certificates/" + tampered)
    assert r.json()["status"] == "unknown"
    assert client.get("/api/training/certificates/" + code).json()["status"] == "valid"


def test_revoked_says_so(client, users, session, make_volunteer):
    cert, v = _certified(session, make_volunteer)
    login(client, users["koordinator"])
    client.post(f"/bimtek/sertifikat/{cert.verification_code}/cabut/", {"reason": "data palsu"})
    client.logout()
    r = client.get(f"/bimtek/sertifikat/{cert.verification_code}/")
    assert r.status_code == 410 and "DICABUT" in r.content.decode()


def test_revoke_needs_reason_and_right(client, users, session, make_volunteer):
    cert, v = _certified(session, make_volunteer)
    login(client, users["observer"])
    assert client.post(f"/bimtek/sertifikat/{cert.verification_code}/cabut/", {"reason": "x"}).status_code == 403
    login(client, users["koordinator"])
    client.post(f"/bimtek/sertifikat/{cert.verification_code}/cabut/", {"reason": ""})
    cert.refresh_from_db()
    assert cert.valid


def test_only_owner_or_manager_downloads(client, users, session, make_volunteer, make_user):
    cert, v = _certified(session, make_volunteer)
    other = make_volunteer(login=True)
    login(client, other.user)
    assert client.get(f"/bimtek/sertifikat/{cert.verification_code}/pdf/").status_code == 403
    login(client, make_user("pelatih-pusat", "trainer", "3171"))
    assert client.get(f"/bimtek/sertifikat/{cert.verification_code}/pdf/").status_code == 403
    login(client, users["trainer"])
    assert client.get(f"/bimtek/sertifikat/{cert.verification_code}/pdf/").status_code == 200


def test_mask_name():
    assert certificates.mask_name("Siti Nurhaliza") == "Si** Nu*******"
    assert certificates.mask_name("Al") == "Al"


def test_any_text_answered_cleanly(client, session, make_volunteer):
    """Issue 8 item 9: ``?kode=a/b`` was a 500 (no URL for a code with a slash)."""
    cert, _v = _certified(session, make_volunteer)
    for junk in ("a/b", "../../etc/passwd", "<script>x</script>", "9" * 5000, "%00", "ÄÖÜ", " "):
        r = client.get("/bimtek/sertifikat/", {"kode": junk})
        assert r.status_code in (200, 404), junk
        if junk.strip():
            assert "TIDAK ASLI" in r.content.decode() and "<script>x" not in r.content.decode()
    # a real code typed in lower case, with spaces or dashes, still finds it
    code = cert.verification_code
    typed = f"{code[:5].lower()}-{code[5:]} "
    r = client.get("/bimtek/sertifikat/", {"kode": typed})
    assert r.status_code == 302 and r["Location"] == f"/bimtek/sertifikat/{code}/"
    assert certificates.verify("a/b").status == "unknown"


def test_certificate_checks_rate_limited(client, session, make_volunteer):
    cert, _v = _certified(session, make_volunteer)
    for i in range(30):
        assert client.get(f"/bimtek/sertifikat/ABCDEFGH{i % 10}2/").status_code == 404
    r = client.get(f"/bimtek/sertifikat/{cert.verification_code}/")
    assert r.status_code == 429 and "Terlalu banyak percobaan" in r.content.decode()
    assert client.get("/bimtek/sertifikat/", {"kode": "a/b"}).status_code == 429
    other = client.get(f"/bimtek/sertifikat/{cert.verification_code}/", REMOTE_ADDR="10.3.3.3")
    assert other.status_code == 200


def test_codes_random_even_under_the_demo_seed():
    """The demo seeds its generators; certificate codes must not follow them (same in every install)."""
    import random

    import numpy as np

    codes = []
    for _ in range(2):
        random.seed(20241127)
        np.random.seed(20241127)
        codes.append(certificates.new_code())
    assert codes[0] != codes[1]
    assert all(len(c) == certificates.CODE_LENGTH for c in codes)


def test_certificate_api_shares_the_page_limit(client, session, make_volunteer):
    """The API check counts against the same per-address limit as the public page."""
    cert, _v = _certified(session, make_volunteer)
    for i in range(30):
        assert client.get(f"/api/training/certificates/ABCDEFGH{i % 10}2").status_code == 200
    r = client.get(f"/api/training/certificates/{cert.verification_code}")
    assert r.status_code == 429 and "Terlalu banyak percobaan" in r.json()["detail"]
    assert client.get(f"/bimtek/sertifikat/{cert.verification_code}/").status_code == 429
