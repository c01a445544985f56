"""Idle sessions end (shared phones), API tokens rotate, unmasked personal data is logged for the DPO
(issue 14 item 4)."""

import json
import subprocess
import time

import pytest
from django.test import Client

from kawaltps.people.models import ApiToken, PersonalDataView
from kawaltps.people.sessions import LAST_SEEN

pytestmark = pytest.mark.django_db


def test_an_idle_session_is_logged_out(users, settings):
    settings.SESSION_IDLE_MINUTES = 30
    c = Client()
    c.force_login(users["observer"])
    assert c.get("/wilayah/").status_code == 200
    session = c.session
    assert session[LAST_SEEN] >= int(time.time()) - 5
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    r = c.get("/wilayah/")
    assert r.status_code == 302 and r["Location"].startswith("/masuk/")
    assert c.get("/wilayah/").status_code == 302  # really logged out, not just redirected once
    c.force_login(users["observer"])
    session = c.session
    session[LAST_SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert c.get("/wilayah/").status_code == 200  # 29 minutes idle: still in


def test_an_idle_api_session_gets_401_json(users):
    c = Client()
    c.force_login(users["observer"])
    c.get("/api/me")
    session = c.session
    session[LAST_SEEN] = int(time.time()) - 3600
    session.save()
    r = c.get("/api/me")
    assert r.status_code == 401 and "Sesi Anda berakhir" in r.json()["detail"]


def test_a_device_rotates_its_own_token(users):
    _, old = ApiToken.issue(users["saksi"], "hp-saksi")
    _, other = ApiToken.issue(users["saksi"], "tablet")
    c = Client()
    r = c.post("/api/auth/token/rotate", headers={"Authorization": f"Bearer {old}"})
    assert r.status_code == 200
    new = r.json()["token"]
    assert new != old
    assert c.get("/api/me", headers={"Authorization": f"Bearer {old}"}).status_code == 401
    assert c.get("/api/me", headers={"Authorization": f"Bearer {new}"}).status_code == 200
    assert c.get("/api/me", headers={"Authorization": f"Bearer {other}"}).status_code == 200  # other device kept
    assert c.post("/api/auth/token/rotate").status_code == 401


def test_rotate_token_command(users, tmp_path):
    from django.core.management import call_command

    _, old = ApiToken.issue(users["clerk"], "laptop")
    from io import StringIO

    out = StringIO()
    call_command("rotate_token", "clerk", "--device", "laptop", "--json", stdout=out)
    doc = json.loads(out.getvalue())
    assert doc["revoked"] == 1 and doc["token"].startswith("ktps_")
    assert ApiToken.authenticate(old) is None and ApiToken.authenticate(doc["token"]) == users["clerk"]
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("rotate_token", "nobody", "--json", stdout=err)
    assert "tidak ada" in json.loads(err.getvalue())["error"]


def test_rotate_token_has_help():
    import sys
    from pathlib import Path

    out = subprocess.run([str(Path(sys.executable).with_name("kawaltps")), "rotate-token", "--help"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "--device" in out.stdout and "--json" in out.stdout


def test_unmasked_views_are_logged_and_shown_to_the_dpo(users, make_user):
    from kawaltps.volunteers.models import Volunteer

    v = Volunteer.objects.create(name="Siti Uji", nik="3175014101900001", phone="6281311110001",
                                 kelurahan_id="3175081001", address="Jl. Uji 1")
    koord = Client()
    koord.force_login(users["koordinator"])
    assert "3175014101900001" in koord.get(f"/relawan/{v.pk}/").content.decode()
    koord.get("/relawan/")
    trainer = Client()
    trainer.force_login(users["trainer"])
    assert "3175014101900001" not in trainer.get(f"/relawan/{v.pk}/").content.decode()  # masked: not logged
    rows = list(PersonalDataView.objects.order_by("pk"))
    assert [(r.viewer.username, r.subject_id, r.path) for r in rows] == [
        ("koord", str(v.pk), f"/relawan/{v.pk}/"), ("koord", str(v.pk), "/relawan/")]
    dpo = make_user("dpo1", "dpo")
    c = Client()
    c.force_login(dpo)
    page = c.get("/akun/akses-data/")
    assert page.status_code == 200 and "Siti Uji" in page.content.decode() and "koord" in page.content.decode()
    assert "3175014101900001" not in page.content.decode()  # the log names whose data, never the data
    assert c.get(f"/relawan/{v.pk}/").status_code == 403  # the DPO audits access, sees no registry
    c.force_login(users["observer"])
    assert c.get("/akun/akses-data/").status_code == 403


def test_assignment_actions_never_redirect_to_another_site(users, small_election):
    """Found while building the matrix: ``next`` of /penugasan/tugas/<id>/<op>/ was followed anywhere."""
    from kawaltps.deployment.models import Assignment
    from kawaltps.regions.models import TPS
    from kawaltps.volunteers.models import Volunteer

    v = Volunteer.objects.create(name="Uji", nik="3175014101900002", phone="6281311110002",
                                 kelurahan_id="3175081001", status="certified")
    tps = TPS.objects.get(election=small_election, code="3175081001001")
    a = Assignment.objects.create(election=small_election, tps=tps, tps_code=tps.code, volunteer=v)
    c = Client()
    c.force_login(users["koordinator"])
    r = c.post(f"/penugasan/tugas/{a.pk}/sematkan/", {"next": "https://jahat.example/"})
    assert r.status_code == 302 and not r["Location"].startswith("https://jahat.example")
    r = c.post(f"/penugasan/tugas/{a.pk}/lepas-sematan/", {"next": "/penugasan/?x=1"})
    assert r["Location"] == "/penugasan/?x=1"
