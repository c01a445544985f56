"""``/tugas/``: progress and failures of background jobs; result imports, the tally fold and
dossiers as jobs (in-process here: no broker in the test settings)."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from kawaltps.jobs.models import Job
from kawaltps.jobs.services import enqueue
from kawaltps.results.models import RegionTally, TpsResult
from kawaltps.results.tasks import fold_tallies_job, import_results_job
from tests.conftest import PASSWORD

CSV = "kode_tps,p1,p2,p3,sah,tidak_sah,total\n3175081001001,100,150,200,450,5,455\n3175081001002,1,2,3,6,0,6\n"


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.mark.django_db
def test_import_job_loads_and_shows_progress(client, users, small_election, tmp_path):
    path = tmp_path / "hasil.csv"
    path.write_text(CSV)
    job = enqueue(import_results_job, user=users["koordinator"], fmt="csv", slug="uji", path=str(path))
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert job.result["loaded"]["witness"] == 2
    assert TpsResult.objects.filter(election=small_election).count() == 2
    _login(client, users["koordinator"])
    page = client.get(reverse("jobs:list"))
    assert page.status_code == 200
    assert "Impor hasil" in page.content.decode() and "Selesai" in page.content.decode() or "selesai" in \
        page.content.decode()
    detail = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "100%" in detail


@pytest.mark.django_db
def test_failed_import_job_shows_its_reason_and_changes_nothing(client, users, small_election, tmp_path):
    job = enqueue(import_results_job, user=users["admin"], fmt="csv", slug="uji", path=str(tmp_path / "tidak.csv"))
    job.refresh_from_db()
    assert job.status == "failed" and "tidak ada" in job.message
    assert TpsResult.objects.count() == 0
    _login(client, users["admin"])
    body = client.get(reverse("jobs:list") + "?status=failed").content.decode()
    assert "tidak ada" in body and 'data-status="failed"' in body
    assert client.get(reverse("jobs:list") + "?status=entah").status_code == 404


@pytest.mark.django_db
def test_who_sees_which_jobs(client, users, small_election):
    from kawaltps.jobs.tasks import ping

    mine = enqueue(ping, user=users["koordinator"], steps=1)
    admins = enqueue(ping, user=users["admin"], steps=1)
    _login(client, users["koordinator"])
    body = client.get(reverse("jobs:list")).content.decode()
    assert str(mine.pk) in body and str(admins.pk) not in body
    assert client.get(reverse("jobs:detail", args=[admins.pk])).status_code == 404
    client.logout()
    _login(client, users["admin"])
    body = client.get(reverse("jobs:list")).content.decode()
    assert str(mine.pk) in body and str(admins.pk) in body
    for role in ("saksi", "clerk", "trainer", "observer"):
        client.logout()
        _login(client, users[role])
        assert client.get(reverse("jobs:list")).status_code == 403, role
    client.logout()
    assert client.get(reverse("jobs:list")).status_code == 302  # anonymous → login


@pytest.mark.django_db
def test_fold_job_and_queue_flags(users, small_election, tmp_path, capsys):
    path = tmp_path / "hasil.csv"
    path.write_text(CSV)
    call_command("import_results", str(path), "--election", "uji", "--format", "csv", "--queue", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "done"
    assert Job.objects.get(pk=out["job"]).kind == "results.import"
    job = enqueue(fold_tallies_job)
    job.refresh_from_db()
    assert job.status == "done" and job.result == {"deltas_folded": 0}
    call_command("fold_tallies", "--queue", "--json")
    assert json.loads(capsys.readouterr().out)["status"] == "done"
    assert RegionTally.objects.filter(election=small_election, code="31", source="witness").get().votes == \
        {"1": 101, "2": 152, "3": 203}


@pytest.mark.django_db
def test_dossier_job_writes_the_zip(users, small_election, tmp_path, capsys):
    call_command("dossier", "--election", "uji", "--tps", "3175081001001", "--out", str(tmp_path), "--queue",
                 "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "done", out
    assert (tmp_path / "berkas-bukti-uji-3175081001001.zip").stat().st_size == out["result"]["size"]
