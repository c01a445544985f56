"""The /hukum/ pages: legal makes a report from selected findings, edits its narrative, downloads the
PDF; the koordinator reads inside their area (masked where the rules say), others are refused; bad
input answers 400 in Indonesian and stores nothing."""

import pytest
from django.test import Client

from kawaltps.audit.models import ChangeRecord
from kawaltps.legal import bawaslu, mk
from kawaltps.legal.models import BawasluReport, MkPackage

from .conftest import TPS_IN

KEY = f"tps_sirekap:{TPS_IN}"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_legal_creates_edits_and_downloads(users, loaded, findings, incident):
    c = client_for(users["legal"])
    page = c.get("/hukum/bawaslu/baru/", {"pemilihan": loaded.slug})
    assert page.status_code == 200 and f'value="{findings[KEY].pk}"' in page.content.decode()
    r = c.post("/hukum/bawaslu/baru/", {"pemilihan": loaded.slug, "temuan": [findings[KEY].pk],
                                         "kejadian": [incident.pk], "nama": "Budi Santoso",
                                         "telepon": "081234565678", "alamat": "Jl. Melati 5"})
    report = BawasluReport.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/hukum/bawaslu/{report.pk}/"
    detail = c.get(r["Location"]).content.decode()
    assert "Batas melapor ke Bawaslu (7 hari sejak diketahui): 04-12-2024" in detail
    assert "081234565678" in detail and "KPPS TPS 001 Kelurahan Makasar" in detail
    c.post(r["Location"], {"uraian": "Uraian yang disunting."})
    report.refresh_from_db()
    assert report.narrative == "Uraian yang disunting."
    pdf = c.get(f"/hukum/bawaslu/{report.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    listing = c.get("/hukum/", {"pemilihan": loaded.slug}).content.decode()
    assert f"/hukum/bawaslu/{report.pk}/" in listing


def test_unknown_finding_answers_400_and_stores_nothing(users, loaded, findings):
    audit = ChangeRecord.objects.count()
    r = client_for(users["legal"]).post("/hukum/bawaslu/baru/", {"pemilihan": loaded.slug, "temuan": ["987654"],
                                                                 "nama": "Budi"})
    assert r.status_code == 400 and "Temuan tidak ada pada pemilihan ini: #987654." in r.content.decode()
    assert BawasluReport.objects.count() == 0 and ChangeRecord.objects.count() == audit


def test_mk_page_builds_and_refuses_bad_dates(users, loaded):
    c = client_for(users["legal"])
    bad = c.post("/hukum/mk/", {"pemilihan": loaded.slug, "wilayah": "31", "diumumkan": "2024-02-30"})
    assert bad.status_code == 400 and "Tanggal pengumuman KPU tidak sah" in bad.content.decode()
    assert MkPackage.objects.count() == 0
    ok = c.post("/hukum/mk/", {"pemilihan": loaded.slug, "wilayah": "31", "diumumkan": "2024-12-06",
                               "penduduk": "11350328"})
    assert ok.status_code == 302
    page = c.get(ok["Location"]).content.decode()
    assert "batas pengajuan (3 hari kerja): 11-12-2024" in page and "Tidak memenuhi syarat." in page
    pkg = MkPackage.objects.get()
    assert c.get(f"/hukum/mk/{pkg.pk}/pdf/")["Content-Type"] == "application/pdf"


@pytest.fixture
def filed(users, loaded, findings, incident):
    r = bawaslu.create_report(users["legal"], loaded, finding_ids=[findings[KEY].pk], incident_ids=[incident.pk],
                              reporter_name="Budi Santoso", reporter_phone="081234565678",
                              reporter_address="Jl. Melati 5")
    out = bawaslu.create_report(users["legal"], loaded, finding_ids=[findings["tps_kecamatan:317101"].pk],
                                reporter_name="Pelapor Pusat")
    pkg = mk.build_package(users["legal"], loaded, "31", "2024-12-06")
    return r, out, pkg


def test_koordinator_reads_in_scope_only_and_cannot_write(users, filed):
    r, out, pkg = filed
    c = client_for(users["koordinator_kec"])
    assert c.get(f"/hukum/bawaslu/{r.pk}/").status_code == 200
    assert c.get(f"/hukum/bawaslu/{out.pk}/").status_code == 403  # Gambir, Jakarta Pusat
    listing = c.get("/hukum/", {"pemilihan": r.election.slug}).content.decode()
    assert f"/hukum/bawaslu/{r.pk}/" in listing and f"/hukum/bawaslu/{out.pk}/" not in listing
    packages = listing[listing.index('id="packages"'):]
    assert "Belum ada berkas permohonan." in packages  # the province's MK package is outside a kecamatan
    assert c.post(f"/hukum/bawaslu/{r.pk}/", {"uraian": "x"}).status_code == 403
    assert c.get(f"/hukum/bawaslu/{r.pk}/pdf/").status_code == 403
    assert c.get(f"/hukum/mk/{pkg.pk}/pdf/").status_code == 403
    assert c.get("/hukum/bawaslu/baru/").status_code == 403
    r.refresh_from_db()
    assert r.narrative != "x"


@pytest.mark.parametrize("role", ["saksi", "clerk", "observer", "trainer"])
def test_other_roles_are_refused_everywhere(users, filed, role):
    r, _, pkg = filed
    c = client_for(users[role])
    for url in ("/hukum/", "/hukum/bawaslu/baru/", f"/hukum/bawaslu/{r.pk}/", f"/hukum/bawaslu/{r.pk}/pdf/",
                "/hukum/mk/?wilayah=31", f"/hukum/mk/{pkg.pk}/pdf/"):
        assert c.get(url).status_code == 403, url
    assert c.post(f"/hukum/bawaslu/{r.pk}/", {"uraian": "x"}).status_code == 403
    assert BawasluReport.objects.count() == 2
