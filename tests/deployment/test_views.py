"""Coordinator and saksi pages through real HTTP: grants and denials."""

import io

import pytest
from django.test import Client

from kawaltps.deployment import mandates, services
from kawaltps.deployment.models import Assignment
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


@pytest.fixture
def outsider(make_user, users):
    return make_user("koord-pusat", "koordinator", "3171")


@pytest.fixture
def posted(small_election, signer, volunteer):
    a = services.assign_by_hand(small_election, volunteer("3175081001", login=True), "3175081001001")
    b = services.assign_by_hand(small_election, volunteer("3175081001"), "3175081001001", "backup")
    return a, b


def test_anonymous_is_sent_to_login(small_election):
    for url in ("/penugasan/", "/penugasan/celah/", "/penugasan/mandat/", "/penugasan/saya/"):
        r = Client().get(url)
        assert r.status_code == 302 and "/masuk/" in r["Location"], url


def test_koordinator_sees_their_area_and_not_another(small_election, users, outsider, posted):
    k = client_for(users["koordinator"])
    r = k.get("/penugasan/?pemilihan=uji&wilayah=3175081001")
    assert r.status_code == 200 and posted[0].volunteer.name in r.content.decode()
    assert k.get("/penugasan/?pemilihan=uji&wilayah=3171").status_code == 403
    o = client_for(outsider)
    assert o.get("/penugasan/?pemilihan=uji&wilayah=3175").status_code == 403
    assert o.get("/penugasan/celah/?pemilihan=uji&wilayah=3175&format=csv").status_code == 403


def test_pin_release_promote_only_inside_the_area(small_election, users, outsider, posted):
    a, b = posted
    assert client_for(outsider).post(f"/penugasan/tugas/{a.pk}/sematkan/").status_code == 403
    assert client_for(users["saksi"]).post(f"/penugasan/tugas/{a.pk}/lepas/").status_code == 403
    assert Assignment.objects.get(pk=a.pk).status == "active"
    k = client_for(users["koordinator_kec"])
    assert k.post(f"/penugasan/tugas/{a.pk}/lepas-sematan/").status_code == 302
    assert not Assignment.objects.get(pk=a.pk).pinned
    assert k.post(f"/penugasan/tugas/{b.pk}/naikkan/").status_code == 302
    b.refresh_from_db()
    a.refresh_from_db()
    assert (b.kind, a.status) == ("saksi", "released")


def test_gaps_page_map_and_exports(small_election, users, posted):
    k = client_for(users["koordinator"])
    html = k.get("/penugasan/celah/?pemilihan=uji&wilayah=3175").content.decode()
    assert "<svg" in html and "3175081002001" in html
    csv = k.get("/penugasan/celah/?pemilihan=uji&wilayah=3175&format=csv").content.decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert lines[0].startswith("kode_tps,") and len(lines) == 1 + 3  # 3 TPS of Jakarta Timur lack a saksi
    from openpyxl import load_workbook

    xlsx = k.get("/penugasan/celah/?pemilihan=uji&wilayah=3175&format=xlsx").content
    rows = list(load_workbook(io.BytesIO(xlsx)).active.values)
    assert rows[0][0] == "kode_tps" and len(rows) == 4


def test_a_saksi_downloads_their_own_mandate_but_not_another(small_election, users, posted, volunteer):
    a, _ = posted
    m = mandates.issue_for_assignment(a)
    own = Client()
    own.force_login(a.volunteer.user)
    r = own.get(f"/penugasan/mandat/{m.pk}/pdf/")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert client_for(users["saksi"]).get(f"/penugasan/mandat/{m.pk}/pdf/").status_code == 403
    other = services.assign_by_hand(small_election, volunteer("3175081002", login=True), "3175081002001")
    mine = Client()
    mine.force_login(other.volunteer.user)
    assert mine.get(f"/penugasan/mandat/{m.pk}/pdf/").status_code == 403
    assert "TPS 001" in own.get("/penugasan/saya/").content.decode()


def test_mandate_page_runs_the_bulk_job_and_serves_its_file(small_election, users, posted, outsider):
    k = client_for(users["koordinator"])
    r = k.post("/penugasan/mandat/", {"pemilihan": "uji", "wilayah": "3175081001"})
    assert r.status_code == 302
    from kawaltps.jobs.models import Job

    job = Job.objects.get(kind="deployment.mandates")
    assert job.status == "done" and job.result["letters"] == 1
    url = f"/penugasan/mandat/berkas/{job.pk}/{job.result['files'][0]}"
    got = k.get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    assert client_for(outsider).get(url).status_code == 403
    assert client_for(outsider).post("/penugasan/mandat/", {"pemilihan": "uji", "wilayah": "3175081001"}
                                     ).status_code == 403


def test_run_from_the_page_and_whatsapp_text(small_election, users, posted, volunteer):
    volunteer("3175081002", voting="3175081002001")
    k = client_for(users["koordinator"])
    r = k.post("/penugasan/jalankan/", {"pemilihan": "uji", "wilayah": "3175"}, follow=True)
    assert "Penugasan selesai" in r.content.decode()
    from kawaltps.jobs.models import Job

    assert Job.objects.get(kind="deployment.assign").result["coverage"]["tps"] == 4
    html = k.get("/penugasan/?pemilihan=uji&wilayah=3175081001").content.decode()
    assert "Pesan WhatsApp" in html and "TPS 001: saksi" in html
    assert f"https://wa.me/{posted[0].volunteer.phone}?text=Halo" in html
    assert client_for(users["saksi"]).post("/penugasan/jalankan/", {"pemilihan": "uji", "wilayah": "3175"}
                                           ).status_code == 403


def test_api_coverage_mine_and_public_check(small_election, users, outsider, posted):
    a, _ = posted
    k = client_for(users["koordinator"])
    r = k.get("/api/deployment/coverage?election=uji&region=3175")
    assert r.status_code == 200 and r.json()["full"] == 1 and r.json()["tps"] == 4
    assert client_for(outsider).get("/api/deployment/coverage?election=uji&region=3175").status_code == 403
    assert Client().get("/api/deployment/coverage?election=uji&region=3175").status_code == 401
    own = Client()
    own.force_login(a.volunteer.user)
    assert own.get("/api/deployment/mine").json()[0]["tps_code"] == "3175081001001"
    m = mandates.issue_for_assignment(a)
    check = Client().get(f"/api/deployment/check/{m.verification_code}").json()
    assert check["status"] == "valid" and a.volunteer.nik not in str(check)


def test_plenary_mandate_from_the_page_only_in_the_area(small_election, users, outsider, volunteer):
    v = volunteer()
    data = {"pemilihan": "uji", "nik": v.nik, "jenis": "ppk", "wilayah_pleno": "317508", "tanggal": "2024-11-30"}
    assert client_for(outsider).post("/penugasan/mandat/pleno/", data).status_code == 403
    from kawaltps.deployment.models import DeploymentSettings, Mandate

    DeploymentSettings.objects.create(election=small_election, signer_name="Ketua", signer_title="Ketua Tim")
    r = client_for(users["koordinator"]).post("/penugasan/mandat/pleno/", data, follow=True)
    assert "terbit" in r.content.decode()
    m = Mandate.objects.get()
    assert (m.kind, m.place_code, str(m.event_date)) == ("ppk", "317508", "2024-11-30")


def test_koordinator_sends_an_activation_code(small_election, users, posted):
    from kawaltps.deployment.senders import MemorySender

    _, b = posted
    r = client_for(users["koordinator"]).post(f"/penugasan/tugas/{b.pk}/kirim-aktivasi/")
    assert r.status_code == 302 and MemorySender.outbox[-1][0] == b.volunteer.phone
    assert "/penugasan/aktivasi/" in Client().get("/masuk/").content.decode()


def test_pages_in_english_when_chosen(small_election, users, posted):
    k = client_for(users["koordinator"])
    assert "Penugasan saksi" in k.get("/penugasan/?pemilihan=uji&wilayah=3175").content.decode()
    k.cookies["django_language"] = "en"
    html = k.get("/penugasan/?pemilihan=uji&wilayah=3175").content.decode()
    assert "<h1>Saksi deployment" in html and "Penugasan saksi" not in html
    assert "TPS without a saksi or backup" in k.get("/penugasan/celah/?pemilihan=uji&wilayah=3175").content.decode()


def test_admin_uploads_the_signers_scanned_signature(small_election, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kawaltps.deployment.demo import signature_png
    from kawaltps.deployment.models import DeploymentSettings

    a = client_for(users["admin"])
    r = a.post("/admin/deployment/deploymentsettings/add/", {
        "election": small_election.pk, "saksi_per_tps": 1, "backups_per_tps": 1, "max_distance": 3,
        "signer_name": "Ketua", "signer_title": "Ketua Tim Provinsi", "signer_place": "Jakarta",
        "signature": SimpleUploadedFile("ttd.png", signature_png(), content_type="image/png")})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert bytes(DeploymentSettings.objects.get().signature_png).startswith(b"\x89PNG")
    r = a.post("/admin/deployment/deploymentsettings/add/", {
        "election": small_election.pk, "saksi_per_tps": 3, "backups_per_tps": 1, "max_distance": 3})
    assert r.status_code == 200 and "UU 10/2016" in r.content.decode()
    assert client_for(users["koordinator"]).get("/admin/deployment/assignment/").status_code == 302


def test_run_with_no_certified_volunteers_says_so_and_changes_nothing(small_election, users):
    r = client_for(users["koordinator"]).post("/penugasan/jalankan/", {"pemilihan": "uji", "wilayah": "3175"},
                                              follow=True)
    assert "Belum ada relawan tersertifikasi" in r.content.decode()
    assert not Assignment.objects.exists()
