"""The bad-input corpus (``tests/corpus/``, see its README) through every door values enter by.

Each input goes through the same door a user or operator uses (HTTP pages and API through Django's
test client, management commands with real files) and must be refused clearly (a 4xx with an
Indonesian message, or a command error / per-row reason naming the problem) with the database
unchanged: :func:`db_state` is a checksum of every row of the tables bad input could touch.
The big inputs (a 13,000 × 13,000 PNG, an XLSX inflating to 100 MB, a CSV cell of 200,000
characters) are generated at test time by ``tests/corpus/generate.py``.
"""

import contextlib
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.corpus import generate

PAPER_CONSENT = {"consent_by": "Koordinator Makasar", "consent_on": "2024-10-01",
                 "consent_paper": "map Bimtek Makasar, sekretariat Pokja"}

CORPUS = Path(__file__).parent / "corpus"
VALUES = json.loads((CORPUS / "values.json").read_text())
REQUESTS = json.loads((CORPUS / "requests.json").read_text())
TPS = "3175081001001"
EXISTING_NIK = "3175084503900001"
TABLES = ("results", "recap", "volunteers", "regions", "elections", "audit")


def db_state(exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """Row count and SHA-256 of every row of the tables bad input could touch, per model."""
    state = {}
    for label in TABLES:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label in exclude:
                continue
            rows = list(model.objects.order_by("pk").values_list())
            state[model._meta.label] = f"{len(rows)}:{hashlib.sha256(repr(rows).encode()).hexdigest()}"
    return state


@contextlib.contextmanager
def unchanged(exclude: tuple[str, ...] = ()):
    before = db_state(exclude)
    yield
    assert db_state(exclude) == before


def command(name: str, *args) -> dict:
    """Run ``kawaltps <name> … --json``; its JSON (``{"error": …}`` when it refused the run)."""
    out = io.StringIO()
    try:
        call_command(name, *map(str, args), "--json", stdout=out)
    except SystemExit:
        pass
    return json.loads(out.getvalue())


@pytest.fixture
def world(small_election, users, settings, tmp_path):
    """``small_election`` with Sirekap ids, an ormas, one registered volunteer; media in tmp."""
    from kawaltps.people.models import Organisation
    from kawaltps.volunteers.models import Volunteer

    settings.MEDIA_ROOT = tmp_path / "media"
    for c in small_election.candidates.all():
        c.sirekap_key = str(1000022 + c.number)
        c.save()
    org = Organisation.objects.create(name="Relawan Kawal Jakarta", short_name="RKJ")
    Volunteer.objects.create(name="Siti", nik=EXISTING_NIK, phone="6281234567001", kelurahan_id="3175081002",
                             organisation=org)
    return {"election": small_election, "users": users, "tmp": tmp_path}


def logged_in(client, username: str):
    from kawaltps.people.models import User

    client.force_login(User.objects.get(username=username))
    return client


def good_numbers():
    from tests.results.helpers import good_form

    return good_form()


# --- counts: C.Hasil form and API, D.Hasil form and CSV, results importer ------------------------

def test_bad_counts_on_the_saksi_form(client, world):
    votes, numbers = good_numbers()
    c = logged_in(client, "saksi")
    url = f"/hasil/kirim/{TPS}/?pemilihan=uji"
    for value in VALUES["counts"]:
        data = {**{f"paslon_{k}": v for k, v in votes.items()}, **numbers, "paslon_2": value, "client_id": "x1"}
        with unchanged():
            r = c.post(url, data)
        assert r.status_code == 400, value[:20]
        assert "Suara paslon 2" in r.content.decode(), value[:20]


def test_bad_counts_on_the_results_api(client, world):
    from kawaltps.people.models import ApiToken

    _, key = ApiToken.issue(world["users"]["saksi"])
    votes, numbers = good_numbers()
    bodies = [json.dumps({"client_id": "a1", "election": "uji", "tps": TPS, "votes": {**votes, "2": v},
                          "numbers": numbers}) for v in VALUES["counts"]]
    # JSON numbers, not strings: 1e300, 1e400 (inf), a fraction, a 500-digit integer
    raw = json.dumps({"client_id": "a1", "election": "uji", "tps": TPS, "votes": {**votes, "2": "@"},
                      "numbers": numbers})
    bodies += [raw.replace('"@"', n) for n in VALUES["count_json_numbers"]]
    for body in bodies:
        with unchanged():
            r = client.post("/api/results/submissions", body, content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {key}")
        assert r.status_code in (400, 422), body[-120:]
        if r.status_code == 422:
            assert "paslon_2" in r.json()["errors"] and "Suara paslon 2" in r.json()["detail"]


def test_bad_counts_on_the_dhasil_form(client, world):
    c = logged_in(client, "clerk")
    for value in VALUES["counts"]:
        with unchanged():
            r = c.post("/rekap/dhasil/?pemilihan=uji", {"tingkat": "kecamatan", "kode": "317508",
                                                        "paslon_1": "10", "paslon_2": value, "paslon_3": "5"})
        assert r.status_code == 400 and "suara paslon 02" in r.content.decode(), value[:20]


def test_a_dhasil_of_10_to_the_400_never_reaches_the_recompute(client, world):
    """Issue 8 item 8: one such D.Hasil made every recompute of the election fail."""
    from kawaltps.recap.dhasil import DHasilError, save_dhasil
    from kawaltps.recap.discrepancies import recompute

    with unchanged(), pytest.raises(DHasilError, match="terlalu besar"):
        save_dhasil(world["election"], "kecamatan", "317508", {"1": 10**400, "2": 1, "3": 1})
    recompute(world["election"])


def test_bad_counts_in_the_dhasil_import(world):
    tmp = world["tmp"]
    lines = ["kode,paslon_1,paslon_2,paslon_3,sah,tidak_sah"]
    lines += [f'317508,1,"{v}",3,,' for v in VALUES["counts"]]
    (tmp / "kec.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with unchanged():
        out = command("import_dhasil", "--election", "uji", "--tier", "kecamatan", tmp / "kec.csv")
    assert out["saved"] == 0 and len(out["errors"]) == len(VALUES["counts"])
    assert all("suara paslon 02" in e["reason"] for e in out["errors"])
    generate.huge_field_csv(tmp / "long.csv", "kode,paslon_1,paslon_2,paslon_3", "317508,1,2,")
    with unchanged():
        out = command("import_dhasil", "--election", "uji", "--tier", "kecamatan", tmp / "long.csv")
    assert out["errors"] == [{"line": 2, "kode": "", "reason": "satu sel lebih dari 131072 karakter; "
                                                               "baris berikutnya tidak dibaca"}]


def test_bad_counts_in_the_results_import(world):
    tmp = world["tmp"]
    rows = [f'{TPS},"{v}",20,30,60,1,61' for v in VALUES["counts"]]
    (tmp / "hasil.csv").write_text("kode_tps,p1,p2,p3,sah,tidak_sah,total\n" + "\n".join(rows) + "\n",
                                   encoding="utf-8")
    with unchanged(("audit.ChangeRecord",)):  # the run itself is recorded; no result is
        out = command("import_results", tmp / "hasil.csv", "--election", "uji", "--format", "csv")
    assert out["rejected_count"] == len(VALUES["counts"])
    reasons = [r["reason"] for r in out["rejected"]]
    assert all("p1 " in r and ("bukan bilangan bulat" in r or "negatif" in r) for r in reasons), reasons


# --- Sirekap pages ---------------------------------------------------------------------------------

def test_bad_sirekap_pages_are_refused_by_name_and_later_files_still_import(world):
    from kawaltps.recap.models import SirekapSnapshot

    bad = sorted((CORPUS / "sirekap").glob("[!j]*/*.json"))  # all but the javascript_image page
    good = Path(__file__).parent / "recap/files/good/pilkada/hhcw/pkwkp/31/3175/317508/3175081001"
    before = db_state()
    out = command("import_sirekap", "--election", "uji", *bad, good)
    by_dir = {e["file"].split("/")[-2]: e["reason"] for e in out["errors"]}
    assert set(by_dir) == {"float_1e300", "long_integer", "huge_adm"}
    assert "terlalu besar" in by_dir["float_1e300"] and "terlalu besar" in by_dir["huge_adm"]
    assert "angka terlalu panjang" in by_dir["long_integer"]
    # the good files after the bad ones still imported; nothing of the bad ones is stored
    assert set(SirekapSnapshot.objects.values_list("code", flat=True)) == {"3175081001001", "3175081001002"}
    assert not SirekapSnapshot.objects.filter(source__contains="float_1e300").exists()
    assert db_state()["regions.Region"] == before["regions.Region"]


def test_sirekap_image_links_render_only_http_and_https(client, world):
    from kawaltps.recap.models import Discrepancy

    out = command("import_sirekap", "--election", "uji", CORPUS / "sirekap/javascript_image")
    assert out["counts"] == {"new": 1}
    d = Discrepancy.objects.create(election=world["election"], step="tps_sirekap", code=TPS, is_tps=True,
                                   deltas={"1": 1}, votes_moved=1)
    page = logged_in(client, "legal").get(f"/rekap/selisih/{d.pk}/").content.decode()
    assert "tautan tidak sah" in page
    assert 'href="javascript' not in page.lower() and 'href=" javascript' not in page.lower()
    assert 'href="data:text' not in page


# --- photos: C.Hasil page and API, D.Hasil page ------------------------------------------------------

def test_photo_bombs_and_fakes_are_refused_on_every_upload_path(client, world):
    from kawaltps.people.models import ApiToken

    bomb = generate.png_bomb()
    fakes = {name: (CORPUS / "dhasil" / name).read_bytes() for name in ("html_after_pdf_magic.pdf",
                                                                        "html_after_png_magic.png")}
    votes, numbers = good_numbers()
    form = {**{f"paslon_{k}": v for k, v in votes.items()}, **numbers, "client_id": "f1"}
    c = logged_in(client, "saksi")
    with unchanged():
        r = c.post(f"/hasil/kirim/{TPS}/?pemilihan=uji", {**form, "foto_1": SimpleUploadedFile("b.png", bomb)})
    assert r.status_code == 400 and "13000 × 13000 piksel" in r.content.decode()
    _, key = ApiToken.issue(world["users"]["saksi"])
    for name, data in {"bomb.png": bomb, **fakes}.items():
        with unchanged():
            r = client.post("/api/results/photos", {"election": "uji", "tps": TPS, "page": 1,
                                                    "file": SimpleUploadedFile(name, data)},
                            HTTP_AUTHORIZATION=f"Bearer {key}")
        assert r.status_code == 422, name
        assert "piksel" in r.json()["detail"] or "bukan foto yang bisa dibaca" in r.json()["detail"]
    c = logged_in(client, "clerk")
    for name, data in {"bomb.png": bomb, **fakes}.items():
        with unchanged():
            r = c.post("/rekap/dhasil/?pemilihan=uji", {"tingkat": "kecamatan", "kode": "317508", "paslon_1": "1",
                                                        "paslon_2": "2", "paslon_3": "3",
                                                        "foto": SimpleUploadedFile(name, data)})
        body = r.content.decode()
        assert r.status_code == 400 and ("piksel" in body or "PDF" in body), name


def test_photos_with_corrupt_exif_are_accepted_without_a_position(client, world):
    """Corrupt EXIF is the phone's problem, not a reason to lose the photo, and never a 500."""
    from kawaltps.people.models import ApiToken
    from kawaltps.results.models import Photo

    _, key = ApiToken.issue(world["users"]["saksi"])
    for page, (name, data) in enumerate(generate.corrupt_exif_jpegs().items(), start=1):
        r = client.post("/api/results/photos", {"election": "uji", "tps": TPS, "page": min(page, 3),
                                                "file": SimpleUploadedFile(f"{name}.jpg", data)},
                        HTTP_AUTHORIZATION=f"Bearer {key}")
        assert r.status_code == 201, (name, r.content)
        photo = Photo.objects.get(pk=r.json()["id"])
        assert photo.exif_latitude is None and photo.exif_longitude is None and photo.exif_time is None, name


def test_a_dhasil_pdf_is_served_as_a_download_never_inline(client, world):
    from reportlab.pdfgen import canvas

    from kawaltps.recap.models import DHasilPhoto

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 72, "D.Hasil")
    pdf.showPage()
    pdf.save()
    polyglot = out.getvalue() + b"<html><script>alert(1)</script></html>"  # parses as a PDF
    c = logged_in(client, "clerk")
    r = c.post("/rekap/dhasil/?pemilihan=uji", {"tingkat": "kecamatan", "kode": "317508", "paslon_1": "1",
                                                "paslon_2": "2", "paslon_3": "3",
                                                "foto": SimpleUploadedFile("d.pdf", polyglot)})
    assert r.status_code == 302
    photo = DHasilPhoto.objects.get()
    r = c.get(f"/rekap/dhasil/foto/{photo.pk}/")
    assert r["Content-Type"] == "application/pdf" and r["Content-Disposition"].startswith("attachment;")
    assert r["X-Content-Type-Options"] == "nosniff"


# --- volunteers: page, command, registration -----------------------------------------------------------

def _volunteer_files(tmp: Path) -> dict[str, Path]:
    header = "nama,nik,telepon,kelurahan,organisasi"
    return {
        "huge_field.csv": generate.huge_field_csv(tmp / "huge_field.csv", header, "Siti,", suffix=",08123,x,RKJ"),
        "bomb.xlsx": generate.xlsx_bomb(tmp / "bomb.xlsx"),
    }


FILE_REASONS = {"huge_field.csv": "131.072 karakter", "bomb.xlsx": "mengembang terlalu besar"}


def test_volunteer_files_that_would_crash_or_stall_a_worker_are_refused(client, world):
    tmp = world["tmp"]
    c = logged_in(client, "koordkec")
    for name, path in _volunteer_files(tmp).items():
        with unchanged(), open(path, "rb") as f:
            r = c.post("/relawan/impor/", {"file": f, **PAPER_CONSENT})
        assert r.status_code == 400 and FILE_REASONS[name] in r.content.decode(), name
        with unchanged():
            out = command("import_volunteers", path)
        assert FILE_REASONS[name] in out["error"], name


def test_unicode_digits_never_make_a_new_person(client, world):
    """A fullwidth or Arabic-Indic copy of a registered NIK, or such a phone, is refused everywhere."""
    from kawaltps.volunteers.models import Volunteer

    tmp = world["tmp"]
    niks = VALUES["nik_of_existing_in_other_scripts"]
    rows = [f"Siti Palsu {i},{n},08123456{i:04d},3175081002,RKJ" for i, n in enumerate(niks.values())]
    rows += [f"Budi {i},31750805039{i:05d},{p},3175081002,RKJ" for i, p in enumerate(VALUES["phones"], start=2)]
    path = tmp / "unicode.csv"
    path.write_text("nama,nik,telepon,kelurahan,organisasi\n" + "\n".join(rows) + "\n", encoding="utf-8")
    ignore = ("audit.ChangeRecord",)  # the import itself is recorded; no volunteer is
    c = logged_in(client, "koordkec")
    with unchanged(ignore), open(path, "rb") as f:
        page = c.post("/relawan/impor/", {"file": f, **PAPER_CONSENT}).content.decode()
    assert page.count("NIK hanya boleh berisi angka 0–9") == 2
    assert page.count("nomor telepon hanya boleh berisi angka 0–9") == 3
    with unchanged(ignore):
        out = command("import_volunteers", path)
    assert out["imported"] == 0 and out["rejected"] == 5
    client.logout()
    for nik in niks.values():
        with unchanged():
            page = client.post("/relawan/daftar/", {"name": "Siti", "nik": nik, "phone": "081234567999",
                                                   "kelurahan": "3175081002", "consent": "on"}).content.decode()
        assert "NIK hanya boleh berisi angka 0–9" in page
    for phone in VALUES["phones"]:
        with unchanged():
            page = client.post("/relawan/daftar/", {"name": "Budi", "nik": "3175080503900002", "phone": phone,
                                                   "kelurahan": "3175081002", "consent": "on"}).content.decode()
        assert "nomor telepon hanya boleh berisi angka 0–9" in page.lower()
    assert Volunteer.objects.count() == 1


# --- regions ----------------------------------------------------------------------------------------

def test_bad_region_files_are_refused_naming_the_line(world):
    tmp = world["tmp"]
    for code in VALUES["region_codes"]:
        (tmp / "w.csv").write_text(f"kode,nama,level\n31,DKI JAKARTA,1\n{code},Palsu,2\n", encoding="utf-8")
        with unchanged():
            out = command("import_regions", tmp / "w.csv")
        assert "baris 3" in out["error"] and "kode wilayah tidak sah" in out["error"], code
    generate.huge_field_csv(tmp / "long.csv", "kode,nama,level", "31,")
    with unchanged():
        out = command("import_regions", tmp / "long.csv")
    assert "baris 2" in out["error"] and "131072 karakter" in out["error"]


# --- requests: pagination, filters, ids ------------------------------------------------------------------

def test_bad_requests_are_refused_not_crashed(client, world):
    c = logged_in(client, "admin")
    for request_ in REQUESTS:
        with unchanged():
            r = c.get(request_["path"])
        assert r.status_code == request_["status"], request_["path"][:80]
        if request_["says"]:
            assert request_["says"] in r.json()["detail"], request_["path"][:80]


def test_reconcile_with_a_submission_that_is_not_an_id(client, world):
    from kawaltps.results import services

    votes, numbers = good_numbers()
    users = world["users"]
    services.submit(users["clerk"], world["election"], TPS, "clerk_first", votes, numbers, "r1")
    services.submit(users["clerk2"], world["election"], TPS, "clerk_second", {**votes, "1": 1}, numbers, "r2")
    c = logged_in(client, "admin")
    for value in ("abc", "²", "9" * 5000, "-1"):
        with unchanged():
            r = c.post(f"/hasil/rekonsiliasi/{TPS}/?pemilihan=uji", {"submission": value, "client_id": "d1"})
        assert r.status_code == 404, value[:20]
