"""Mandate letters: who gets one, the PDF, the public check, the `mandates` command, plenaries."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.test import Client

from kawaltps.deployment import mandates, pdf, services
from kawaltps.deployment.models import Mandate
from kawaltps.deployment.rules import DeploymentError

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(small_election, signer, volunteer):
    v = volunteer("3175081001", voting="3175081001001", name="Siti Nurhaliza")
    return services.assign_by_hand(small_election, v, "3175081001001")


def test_a_mandate_for_a_released_assignment_is_refused(posted):
    services.release(posted)
    with pytest.raises(DeploymentError, match="sudah dilepas"):
        mandates.issue_for_assignment(posted)
    assert not Mandate.objects.exists()


def test_no_signer_no_mandate(small_election, volunteer):
    a = services.assign_by_hand(small_election, volunteer(), "3175081001001")
    with pytest.raises(DeploymentError, match="Penanda tangan"):
        mandates.issue_for_assignment(a)


def test_pdf_has_one_page_per_letter(posted):
    m = mandates.issue_for_assignment(posted)
    body = pdf.render([m, m], lambda c: f"http://x/penugasan/cek/{c}/")
    assert body.startswith(b"%PDF") and body.count(b"/Type /Page\n") + body.count(b"/Type /Page ") >= 2


def test_public_check_needs_no_login_masks_the_nik_and_says_revoked(posted):
    m = mandates.issue_for_assignment(posted)
    page = Client().get(f"/penugasan/cek/{m.verification_code}/")
    html = page.content.decode()
    assert page.status_code == 200 and "BERLAKU" in html
    assert posted.volunteer.nik not in html and "Siti Nurhaliza" not in html and "Si** Nu*******" in html
    services.release(posted, reason="mengundurkan diri")
    html = Client().get(f"/penugasan/cek/{m.verification_code}/").content.decode()
    assert "DICABUT" in html
    assert "TIDAK DIKENAL" in Client().get("/penugasan/cek/ZZZZZZZZZZ/").content.decode()


def test_mandates_command_writes_bulk_and_single_pdfs(posted, tmp_path, capsys):
    call_command("mandates", "--election", "uji", "--region", "3175081001", "--out", str(tmp_path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["letters"] == 1 and out["files"] == ["mandat-uji-3175081001.pdf"]
    assert (tmp_path / "mandat-uji-3175081001.pdf").read_bytes().startswith(b"%PDF")
    assert len(list((tmp_path / "3175081001").glob("*.pdf"))) == 1


def test_plenary_mandates_check_the_region_level(small_election, signer, volunteer):
    v = volunteer()
    with pytest.raises(DeploymentError, match="bukan wilayah"):
        mandates.issue_plenary(small_election, v, Mandate.Kind.PPK, "3175", datetime.date(2024, 11, 30))
    m = mandates.issue_plenary(small_election, v, Mandate.Kind.PPK, "317508", datetime.date(2024, 11, 30))
    assert m.kind == "ppk" and m.assignment is None
    assert "PPK" in mandates.verify(m.verification_code).place


def test_the_printed_qr_code_opens_the_public_check(posted):
    """Rasterise the PDF (PDFium), decode the QR (zxing-cpp), open what it says without a login."""
    pdfium = pytest.importorskip("pypdfium2")
    zxingcpp = pytest.importorskip("zxingcpp")
    m = mandates.issue_for_assignment(posted)
    body = pdf.render([m], lambda c: f"http://testserver/penugasan/cek/{c}/")
    page = pdfium.PdfDocument(body)[0].render(scale=3).to_pil()
    found = [r.text for r in zxingcpp.read_barcodes(page)]
    assert found == [f"http://testserver/penugasan/cek/{m.verification_code}/"]
    html = Client().get(found[0].removeprefix("http://testserver")).content.decode()
    assert "BERLAKU" in html and m.number in html
    text = pdfium.PdfDocument(body)[0].get_textpage().get_text_range()
    assert posted.volunteer.nik in text and "Ketua Uji" in text and "SURAT MANDAT SAKSI" in text
