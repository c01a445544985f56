"""A large upload is imported by a background job; its status page shows progress and the report."""

import pytest
from django.core.files.storage import default_storage

from kawaltps.jobs.models import Job
from kawaltps.volunteers import tasks
from kawaltps.volunteers.models import Volunteer

from .conftest import nik, write_csv

PAPER_CONSENT = {"consent_by": "Koordinator Makasar", "consent_on": "2024-10-01",
                 "consent_paper": "map Bimtek Makasar, sekretariat Pokja"}


@pytest.fixture
def small_threshold(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(tasks, "JOB_THRESHOLD_BYTES", 100)


def _rows(n: int) -> list[list]:
    return [[f"Relawan {i}", nik("3175081002", 5, i + 1), f"0812345{i:05d}", "3175081002", "RKJ"] for i in range(n)]


def test_large_upload_runs_as_a_job_and_reports(client, users, orgs, tmp_path, small_threshold):
    path = write_csv(tmp_path / "besar.csv", [*_rows(30), ["Budi", "123", "081299999999", "3175081002", "RKJ"]])
    client.force_login(users["koordinator_kec"])
    with open(path, "rb") as f:
        response = client.post("/relawan/impor/", {"file": f, **PAPER_CONSENT})
    job = Job.objects.get(kind="volunteers.import")
    assert response.status_code == 302 and response.url == f"/relawan/impor/tugas/{job.pk}/"
    assert job.status == "done" and job.created_by == users["koordinator_kec"]
    assert job.done >= 31 and job.result["imported"] == 30 and job.result["rejected"] == 1
    page = client.get(response.url).content.decode()
    assert "Relawan baru" in page and "NIK harus 16 angka" in page and 'http-equiv="refresh"' not in page
    assert Volunteer.objects.count() == 30
    assert not default_storage.listdir("impor-relawan")[1]  # the stored upload (NIKs) is deleted
    # someone else's job is not shown
    client.force_login(users["koordinator"])
    assert client.get(response.url).status_code == 404
    client.force_login(users["observer"])
    assert client.get(response.url).status_code == 403


def test_a_file_refused_inside_the_job_shows_its_reason_and_imports_nothing(client, users, orgs, tmp_path,
                                                                             small_threshold):
    path = tmp_path / "rusak.csv"
    path.write_text("Nama,NIK,No HP,Kelurahan,Organisasi\n" + "Siti," + "9" * 200_000 + ",0812,3175081002,RKJ\n")
    client.force_login(users["koordinator_kec"])
    with open(path, "rb") as f:
        response = client.post("/relawan/impor/", {"file": f, **PAPER_CONSENT})
    job = Job.objects.get(kind="volunteers.import")
    assert job.status == "failed" and "Baris 2" in job.message and "131.072 karakter" in job.message
    page = client.get(response.url).content.decode()
    assert "131.072 karakter" in page
    assert Volunteer.objects.count() == 0
    assert not default_storage.listdir("impor-relawan")[1]


def test_a_running_job_page_refreshes_itself(client, users):
    job = Job.objects.create(kind="volunteers.import", status="running", total=100, done=40,
                             created_by=users["koordinator_kec"])
    client.force_login(users["koordinator_kec"])
    page = client.get(f"/relawan/impor/tugas/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and 'value="40"' in page
