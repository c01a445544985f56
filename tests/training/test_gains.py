"""Gains from pre- to post-test on a constructed case, and the coordinators' page."""

import pytest
from django.utils import timezone

from kawaltps.training import gains, services
from kawaltps.training.models import Session, TestAttempt

from .conftest import login


@pytest.fixture
def constructed(make_session, make_volunteer, make_user, orgs):
    """Session 1 (trainer, ormas 0): 5 × 50 → 80, all pass. Session 2 (trainer2, ormas 1): 5 × 60 → 55,
    all fail, plus one who only took the post-test (90, pass)."""
    trainer2 = make_user("pelatih2", "trainer", "3175", first_name="Pelatih Dua")
    s1 = make_session(title="Sesi Baik")
    s2 = make_session(title="Sesi Buruk", trainer=trainer2, organisation=orgs[1])
    now = timezone.now()

    def attempt(e, kind, score, ms, passed=None):
        TestAttempt.objects.create(enrolment=e, kind=kind, score=score, module_scores=ms, passed=passed,
                                   submitted_at=now, question_ids=[])

    for _ in range(5):
        e = services.enrol(s1, make_volunteer())
        attempt(e, "pre", 50, {"c-hasil": 40, "kecurangan": 60})
        attempt(e, "post", 80, {"c-hasil": 90, "kecurangan": 70}, True)
        e = services.enrol(s2, make_volunteer())
        attempt(e, "pre", 60, {"c-hasil": 60, "kecurangan": 60})
        attempt(e, "post", 55, {"c-hasil": 50, "kecurangan": 60}, False)
    e = services.enrol(s2, make_volunteer())
    attempt(e, "post", 90, {"c-hasil": 100, "kecurangan": 80}, True)
    # an unsubmitted attempt is ignored
    e = services.enrol(s2, make_volunteer())
    TestAttempt.objects.create(enrolment=e, kind="pre", question_ids=[])
    return s1, s2


def test_gains_numbers(constructed):
    s1, s2 = constructed
    g = gains.gains(Session.objects.all())
    by_session = {r["key"]: r for r in g["session"]}
    good, bad = by_session[s1.pk], by_session[s2.pk]
    assert (good["pre"], good["post"], good["gain"], good["n"], good["pass_rate"]) == (50, 80, 30, 5, 1.0)
    assert good["flags"] == []
    assert (bad["pre"], bad["post"], bad["gain"], bad["n"], bad["post_n"]) == (60, 55, -5, 5, 6)
    assert bad["pass_rate"] == pytest.approx(1 / 6)
    assert bad["flags"] == ["nilai turun", "kelulusan rendah"]
    assert g["session"][0]["key"] == s2.pk  # worst first
    assert {r["key"]: r["gain"] for r in g["trainer"]} == {"trainer": 30, "pelatih2": -5}
    assert {r["key"]: r["gain"] for r in g["organisation"]} == {"Relawan Kawal Jakarta": 30, "Forum Warga Jujur": -5}
    modules = {r["key"]: r for r in g["module"]}
    assert (modules["c-hasil"]["pre"], modules["c-hasil"]["post"], modules["c-hasil"]["gain"]) == (50, 70, 20)
    assert modules["c-hasil"]["n"] == 10 and modules["c-hasil"]["flags"] == []
    assert modules["kecurangan"]["gain"] == 5 and modules["kecurangan"]["flags"] == ["kenaikan rendah"]


def test_empty(db):
    assert gains.gains(Session.objects.all()) == {"session": [], "trainer": [], "organisation": [], "module": []}


def test_gains_page_flags_bad_session(client, users, constructed):
    login(client, users["koordinator"])
    body = client.get("/bimtek/hasil/").content.decode()
    assert "Sesi Buruk" in body and "nilai turun" in body and "-5,0" in body and "+30,0" in body
    assert "1 dari 2 sesi perlu perhatian" in body


def test_gains_page_permissions(client, users, constructed, make_user):
    login(client, users["observer"])
    assert client.get("/bimtek/hasil/").status_code == 200
    login(client, users["clerk"])
    assert client.get("/bimtek/hasil/").status_code == 403
    login(client, users["koordinator_kec"])  # Makasar: both sessions are there
    assert "Sesi Buruk" in client.get("/bimtek/hasil/").content.decode()
    login(client, make_user("koord-pusat", "koordinator", "3171"))
    assert "Sesi Buruk" not in client.get("/bimtek/hasil/").content.decode()


def test_gains_csv_export(client, users, constructed, make_user):
    """The page's tables as CSV in the user's area, flags in words; refused to a role without readiness."""
    import csv
    import io

    login(client, users["koordinator"])
    response = client.get("/bimtek/hasil/ekspor.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == gains.CSV_HEADER
    bad = next(r for r in rows if r[1] == "Sesi Buruk")
    assert bad[0] == "per sesi" and bad[2:6] == ["5", "60.0", "55.0", "-5.0"]
    assert bad[8] == "nilai turun; kelulusan rendah"
    assert any(r[:2] == ["per pelatih", "Pelatih Dua"] for r in rows)
    assert any(r[0] == "per modul" for r in rows)
    login(client, make_user("koord-pusat", "koordinator", "3171"))  # another kota: none of these sessions
    body = b"".join(client.get("/bimtek/hasil/ekspor.csv").streaming_content).decode("utf-8-sig")
    assert "Sesi Buruk" not in body and body.splitlines()[0].startswith("dimensi")
    login(client, users["clerk"])
    assert client.get("/bimtek/hasil/ekspor.csv").status_code == 403


def test_gains_region_filter_by_name(client, users, constructed):
    """The filter takes a kecamatan name (Makasar) as well as a code; an unknown name says so."""
    login(client, users["koordinator"])
    body = client.get("/bimtek/hasil/?wilayah=Makasar").content.decode()
    assert "Sesi Buruk" in body and 'value="Makasar"' in body
    body = client.get("/bimtek/hasil/?wilayah=Zzzz").content.decode()
    assert "Tidak ada wilayah dengan nama atau kode itu" in body
