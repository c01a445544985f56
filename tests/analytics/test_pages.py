"""/analitik/: who sees the quick count, the forensics report and its plots, and the Bimtek page."""

import pytest

from kawaltps.analytics.models import QuickCountDraw
from kawaltps.analytics.sampling import create_draw
from tests.conftest import PASSWORD

from .conftest import build_election


@pytest.fixture
def qc(users):
    election = build_election()
    create_draw(election, sample_size=300, seed=5)
    return election


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "observer", "legal"])
def test_quickcount_page_for_whole_election_roles(client, users, qc, who):
    page = login(client, users[who]).get("/analitik/?pemilihan=qc")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="estimates"' in html and "5" in html and 'id="missing"' in html
    assert "<svg" in html  # the estimate over time


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["saksi", "trainer", "koordinator", "koordinator_kec"])
def test_quickcount_page_denied(client, users, qc, who):
    """A saksi (one TPS), a trainer (no VIEW_RESULTS) and koordinators of part of Jakarta may not see
    the estimate of the whole race."""
    assert login(client, users[who]).get("/analitik/?pemilihan=qc").status_code == 403


@pytest.mark.django_db
def test_anonymous_goes_to_login(client, qc):
    assert client.get("/analitik/?pemilihan=qc").status_code == 302
    assert client.get("/analitik/forensik/?pemilihan=qc").status_code == 302


@pytest.mark.django_db
def test_only_admin_draws(client, users, qc):
    login(client, users["observer"])
    assert client.post("/analitik/undi/?pemilihan=qc", {"sample_size": "100"}).status_code == 403
    assert QuickCountDraw.objects.count() == 1
    client.logout()
    login(client, users["admin"])
    bad = client.post("/analitik/undi/?pemilihan=qc", {"sample_size": "abc"}, follow=True)
    assert "harus berupa angka" in bad.content.decode() and QuickCountDraw.objects.count() == 1
    big = client.post("/analitik/undi/?pemilihan=qc", {"sample_size": "999999"}, follow=True)
    assert "lebih besar dari populasi" in big.content.decode() and QuickCountDraw.objects.count() == 1
    ok = client.post("/analitik/undi/?pemilihan=qc", {"sample_size": "200", "seed": "9"}, follow=True)
    assert ok.status_code == 200 and QuickCountDraw.objects.count() == 2
    assert QuickCountDraw.objects.first().seed == 9


@pytest.mark.django_db
def test_forensics_page_and_drill_down(client, users, qc):
    login(client, users["observer"])
    page = client.get("/analitik/forensik/?pemilihan=qc")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-test="integer_percent"' in html and 'id="regions"' in html
    assert "?pemilihan=qc&wilayah=3175" in html
    assert client.get("/analitik/forensik/?pemilihan=qc&wilayah=3175").status_code == 200
    png = client.get("/analitik/forensik/plot/fingerprint.png?pemilihan=qc&wilayah=3175")
    assert png.status_code == 200 and png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"
    svg = client.get("/analitik/forensik/plot/digits.svg?pemilihan=qc")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content[:500]
    assert client.get("/analitik/forensik/plot/other.png?pemilihan=qc").status_code == 404


@pytest.mark.django_db
def test_forensics_scoped_to_the_koordinator(client, users, qc):
    login(client, users["koordinator"])  # Jakarta Timur (3175)
    page = client.get("/analitik/forensik/?pemilihan=qc")
    assert page.status_code == 200 and page.context["area"] == "3175"
    assert client.get("/analitik/forensik/?pemilihan=qc&wilayah=317508").status_code == 200
    assert client.get("/analitik/forensik/?pemilihan=qc&wilayah=3171").status_code == 403
    assert client.get("/analitik/forensik/?pemilihan=qc&wilayah=").status_code == 403
    assert client.get("/analitik/forensik/plot/fingerprint.png?pemilihan=qc&wilayah=3171").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["saksi", "trainer"])
def test_forensics_denied(client, users, qc, who):
    login(client, users[who])
    assert client.get("/analitik/forensik/?pemilihan=qc").status_code == 403
    assert client.get("/analitik/forensik/plot/fingerprint.svg?pemilihan=qc").status_code == 403


@pytest.mark.django_db
def test_bimtek_page_access(client, users, qc):
    assert login(client, users["observer"]).get("/analitik/bimtek/?pemilihan=qc").status_code == 200
    client.logout()
    assert login(client, users["clerk"]).get("/analitik/bimtek/?pemilihan=qc").status_code == 403
    client.logout()
    assert login(client, users["saksi"]).get("/analitik/bimtek/?pemilihan=qc").status_code == 403


@pytest.mark.django_db
def test_menu_shows_analytics_only_to_those_who_may(client, users, qc):
    home = login(client, users["observer"]).get("/").content.decode()
    assert 'href="/analitik/forensik/"' in home and 'href="/analitik/"' in home
    client.logout()
    koord = login(client, users["koordinator"]).get("/").content.decode()
    assert 'href="/analitik/forensik/"' in koord and 'href="/analitik/"' not in koord  # not the whole race
    client.logout()
    assert "/analitik/" not in login(client, users["trainer"]).get("/").content.decode()


@pytest.mark.django_db
def test_admin_lists_draws_read_only(client, users, qc):
    login(client, users["admin"])
    page = client.get("/admin/analytics/quickcountdraw/")
    assert page.status_code == 200 and "5" in page.content.decode()
    assert client.get("/admin/analytics/sampledtps/?q=31").status_code == 200
    assert client.get("/admin/analytics/quickcountdraw/add/").status_code == 403


@pytest.mark.django_db
def test_big_area_report_runs_as_a_job(client, users, qc, monkeypatch):
    """Above INLINE_MAX_TPS the report is a background job (in-process here: no broker); its result is
    kept on the Job row, so the next request (any process) reuses it without computing again."""
    from kawaltps.analytics import reports
    from kawaltps.jobs.models import Job

    monkeypatch.setattr(reports, "INLINE_MAX_TPS", 10)
    login(client, users["observer"])
    page = client.get("/analitik/forensik/?pemilihan=qc")
    assert page.status_code == 200 and 'data-test="fingerprint"' in page.content.decode()
    job = Job.objects.get(kind="analytics.forensics")
    assert job.status == "done" and job.result["report"]["units"] > 1000
    from django.core.cache import cache

    cache.clear()  # another web process: nothing cached, the job's row has it
    monkeypatch.setattr(reports, "compute", lambda *a: pytest.fail("computed again"))
    assert 'data-test="fingerprint"' in client.get("/analitik/forensik/?pemilihan=qc").content.decode()
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_page_shows_a_job_still_running(client, users, qc, monkeypatch):
    from django.core.cache import cache

    from kawaltps.analytics import reports
    from kawaltps.jobs.models import Job

    monkeypatch.setattr(reports, "INLINE_MAX_TPS", 10)
    login(client, users["observer"])
    client.get("/")  # the language of a request: the key below is the page's
    from django.utils import translation

    with translation.override("id"):
        key, _ = reports.report_key(qc, "witness", "31")
    running = Job.objects.create(kind=reports.KIND, status=Job.Status.RUNNING)  # a worker is on it
    cache.set(f"{key}:job", str(running.pk))
    page = client.get("/analitik/forensik/?pemilihan=qc")
    html = page.content.decode()
    assert 'id="job"' in html and 'http-equiv="refresh"' in html and 'id="tests"' not in html
    api = client.get("/api/analytics/forensics?pemilihan=qc").json()
    assert api["job"] == str(running.pk) and api["status"] == "running"
