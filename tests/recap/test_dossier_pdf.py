"""The dossier's PDF reads as a document for Bawaslu (rendered to text with pypdf), and photos read
back from storage are checked against the SHA-256 stored at upload."""

import io
import json
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pypdf import PdfReader

from kawaltps.recap import dossier
from kawaltps.recap.labels import format_votes, format_wib, label
from kawaltps.results import photos as photo_service
from kawaltps.results.models import Photo, TpsResult

from .conftest import photo_bytes

TPS = "3175081001001"
WIB_DATE = re.compile(
    r"\b\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) "
    r"\d{4} \d{2}\.\d{2} WIB"
)


def add_witness_photo(election, page: int = 1) -> Photo:
    result = TpsResult.objects.get(election=election, code=TPS, source="witness")
    return photo_service.store(result, photo_service.prepare(photo_bytes("JPEG")), page)


def pdf_text(data: bytes) -> tuple[str, int]:
    """(text of every page, number of images) of the dossier's PDF."""
    z = zipfile.ZipFile(io.BytesIO(data))
    reader = PdfReader(io.BytesIO(z.read("ringkasan.pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, sum(len(page.images) for page in reader.pages)


@pytest.fixture
def with_photo(case):
    add_witness_photo(case)
    return case


def test_pdf_is_indonesian_with_wib_dates_labels_and_photos(with_photo):
    data, _ = dossier.build(dossier.subject_for_tps(with_photo, TPS))
    text, images = pdf_text(data)
    # the Sirekap version changed after publication says so in the versions table itself
    versions = text[text.index("Versi Sirekap") : text.index("Foto", text.index("Versi Sirekap"))]
    assert "BERUBAH" in versions and "Paslon 01: 130" in versions
    assert "None" not in text
    assert "c_hasil" not in text and "witness" not in text and "verified" not in text
    assert "{'" not in text and '{"' not in text
    assert WIB_DATE.search(text), text[:500]
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)  # no ISO timestamps
    assert "Angka resmi dimuat" in text and "30 November 2024" in text  # Sirekap ts 07.15 WIB + fetch
    assert "Terverifikasi" in text and "Saksi (C.Hasil kita)" in text
    assert images == 1  # the witness photo is printed inside
    # places by name, never a raw code: a judge reads "TPS 001 Kelurahan …", not 3175081001001
    # (file names inside the archive, foto/… and sirekap/…, keep their codes: they are references)
    words = re.sub(r"\b(foto|sirekap)/\S+(\n\S+)?", "", text)
    assert not re.search(r"\b\d{6,13}\b", words), re.findall(r"\b\d{6,13}\b", words)[:5]
    assert "TPS 001 Kelurahan" in text
    m = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    assert m["dossier"]["signing_key_fingerprint"] in text.replace("\n", " ")


def test_region_pdf_prints_the_dhasil_photo(case):
    data, _ = dossier.build(dossier.subject_for_region(case, "317508"))
    text, images = pdf_text(data)
    assert images == 1 and "D.Hasil Kecamatan" in text and "None" not in text


def test_pdf_is_indonesian_for_an_english_user(case, client, users):
    from kawaltps.recap.models import Discrepancy

    client.force_login(users["legal"])
    client.cookies["django_language"] = "en"
    d = Discrepancy.objects.get(step="sirekap_changed")
    r = client.get(f"/rekap/selisih/{d.pk}/berkas-bukti.zip", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    text = " ".join(pdf_text(r.content)[0].split())
    assert "Angka Sirekap berubah setelah terbit" in text and "changed after publication" not in text


def test_a_photo_changed_in_storage_is_named_not_included(with_photo, capsys):
    photo = Photo.objects.get(result__code=TPS)
    good_path = f"foto/saksi/{TPS}-saksi-hal1-{photo.sha256[:12]}.jpg"
    default_storage.delete(photo.file.name)
    default_storage.save(photo.file.name, ContentFile(photo_bytes("JPEG")))  # replaced behind our back
    data, _ = dossier.build(dossier.subject_for_tps(with_photo, TPS))
    z = zipfile.ZipFile(io.BytesIO(data))
    assert good_path not in z.namelist()
    problems = json.loads(z.read("manifest.json"))["dossier"]["photo_problems"]
    assert problems == [
        {
            "path": good_path,
            "stored_sha256": photo.sha256,
            "problem": "berubah",
            "text": "isi foto di penyimpanan berbeda dari SHA-256 saat diunggah (tidak dimasukkan)",
        }
    ]
    assert json.loads(z.read("data/riwayat.json"))["photo_problems"][0]["problem"] == "berubah"
    text, images = pdf_text(data)
    assert "Peringatan: foto yang tidak utuh" in text and images == 0
    assert dossier.verify(data).ok  # the dossier itself is intact: it says what it left out


def test_a_photo_missing_from_storage_is_named(with_photo):
    photo = Photo.objects.get(result__code=TPS)
    default_storage.delete(photo.file.name)
    data, _ = dossier.build(dossier.subject_for_tps(with_photo, TPS))
    problems = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))["dossier"]["photo_problems"]
    assert [p["problem"] for p in problems] == ["hilang"]


def test_timeline_texts_have_no_python_values(case):
    events = dossier.timeline(case, [TPS, "317508"])
    texts = " ".join(e["text"] for e in events)
    assert "{" not in texts and "None" not in texts
    assert "Paslon 01: 120 · Paslon 02: 40 · Paslon 03: 200" in texts


def test_labels_and_dates():
    assert format_wib("2024-11-27T07:05:09.123456+00:00") == "27 November 2024 14.05 WIB"
    assert format_wib(None) == "—"
    assert label("c_hasil_witness") == "Kiriman C.Hasil saksi"
    assert label("verified") == "Terverifikasi" and label(None) == "—"
    assert label("sirekap_changed") == "Angka Sirekap berubah setelah terbit"
    assert format_votes({"2": 1500, "1": 7}) == "Paslon 01: 7 · Paslon 02: 1.500"
    assert format_votes({}) == "belum ada angka"
