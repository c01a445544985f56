"""The saksi page and its POSTs through real HTTP (Django test client): the queue's ack protocol,
denials, the board, the dispatch and the incident workflow pages."""

import datetime
import uuid

import pytest
from django.utils import timezone

from kawaltps.fieldday import services
from kawaltps.fieldday.models import CheckIn, Incident, IncidentStep

from .conftest import SAKSI_TPS, make_jpeg

JSON = {"HTTP_ACCEPT": "application/json"}


def url(name, code=SAKSI_TPS):
    return f"/hari-h/tps/{code}/{name}/?pemilihan=uji"


def test_saksi_page_renders_forms_in_procedure_order(client, tps, users):
    client.force_login(users["saksi"])
    r = client.get(f"/hari-h/tps/{SAKSI_TPS}/?pemilihan=uji")
    html = r.content.decode()
    assert r.status_code == 200 and html.count("data-offline") >= 4
    assert html.index("kotak_kosong") < html.index("dpk_1200") < html.index("kotak_disegel")
    assert 'class="risk"' in html and "offline-queue.js" in html
    assert client.get("/hari-h/").url.startswith(f"/hari-h/tps/{SAKSI_TPS}/")


def test_checkin_post_acks_its_client_id_once(client, tps, users):
    client.force_login(users["saksi"])
    cid = str(uuid.uuid4())
    data = {"client_id": cid, "at": timezone.now().isoformat(), "lat": "-6.2100", "lon": "106.8200",
            "mandat": "ya", "foto": _upload()}
    r = client.post(url("checkin"), data, **JSON)
    assert r.status_code == 200 and r.json()["ack"] == cid and r.json()["status"] == "received"
    data["foto"] = _upload()
    r2 = client.post(url("checkin"), data, **JSON)
    assert r2.json()["ack"] == cid and r2.json()["status"] == "duplicate"
    assert CheckIn.objects.count() == 1 and CheckIn.objects.get().mandate_accepted is True


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("tps.jpg", make_jpeg(seed=7), content_type="image/jpeg")


def test_post_denials_keep_the_item_in_the_queue(client, tps, users):
    cid = str(uuid.uuid4())
    r = client.post(url("checkin"), {"client_id": cid}, **JSON)
    assert r.status_code == 401 and r.json()["ack"] is None and r.json()["status"] == "login"
    client.force_login(users["saksi"])
    r = client.post(url("checkin", "3175081001002"), {"client_id": cid}, **JSON)
    assert r.status_code == 403 and r.json()["ack"] is None
    r = client.post(url("kehadiran"), {"client_id": cid, "voters": "9999"}, **JSON)
    assert r.status_code == 400 and r.json()["status"] == "invalid" and "melebihi" in r.json()["message"]
    client.force_login(users["observer"])
    r = client.post(url("checkin"), {"client_id": cid}, **JSON)
    assert r.status_code == 403
    assert not CheckIn.objects.exists()


def test_checklist_and_incident_posts(client, tps, users):
    client.force_login(users["saksi"])
    r = client.post(url("periksa"), {"client_id": str(uuid.uuid4()), "item": "kotak_kosong", "answer": "tidak"},
                    **JSON)
    assert r.status_code == 200 and r.json()["ack"]
    r = client.post(url("kejadian"), {"client_id": str(uuid.uuid4()), "category": "memilih_dua_kali",
                                      "description": "Dua orang memilih dua kali",
                                      "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                                      "bukti": [_upload()]}, **JSON)
    assert r.status_code == 200 and "PSU" in r.json()["message"]
    page = client.get(f"/hari-h/tps/{SAKSI_TPS}/?pemilihan=uji").content.decode()
    assert "failed" in page and "memicu PSU" in page


def test_board_counts_present_saksi_and_is_denied_to_saksi_and_clerk(client, tps, users):
    services.check_in(users["saksi"], tps, at=timezone.now(), client_id=uuid.uuid4())
    client.force_login(users["koordinator_kec"])
    data = client.get("/hari-h/papan/data.json?pemilihan=uji").json()
    assert data["region"] == "317508" and data["total"]["tps"] == 4
    assert data["total"]["all"] + data["total"]["some"] == 1 and data["total"]["none"] == 3
    page = client.get("/hari-h/papan/?pemilihan=uji")
    assert page.status_code == 200 and "3175081001002" in page.content.decode()  # uncovered list at kecamatan
    for role in ("saksi", "clerk", "trainer"):
        client.force_login(users[role])
        assert client.get("/hari-h/papan/?pemilihan=uji").status_code == 403
    client.force_login(users["koordinator_kec"])
    other = client.get("/hari-h/papan/data.json?pemilihan=uji&wilayah=3171").json()
    assert other["region"] == "317508"  # outside the scope: back to their own area


def test_incident_workflow_through_the_pages_keeps_who_when_why(client, tps, users):
    inc, _ = services.report_incident(users["saksi"], tps, category_key="tanpa_hak_pilih", description="x",
                                      occurred_at=timezone.now() - datetime.timedelta(hours=1),
                                      client_id=uuid.uuid4())
    detail = f"/hari-h/kejadian/{inc.pk}/"
    client.force_login(users["legal"])
    client.post(detail, {"step": "verify", "reason": "cek"})  # legal may not verify
    assert Incident.objects.get().state == "reported"
    client.force_login(users["koordinator_kec"])
    client.post(detail, {"step": "verify", "reason": ""})
    assert Incident.objects.get().state == "reported"  # a reason is required
    client.post(detail, {"step": "verify", "reason": "foto cocok"})
    client.post(detail, {"step": "escalate", "reason": "PSU", "track": "pidana"})
    assert Incident.objects.get().state == "escalated"
    html = client.get(detail).content.decode()
    assert 'id="to-bawaslu"' not in html  # a koordinator does not file with Bawaslu
    assert "TPS 001 Kelurahan" in html and SAKSI_TPS not in html.split("<main", 1)[-1].split("</h1>")[1][:300]
    client.force_login(users["legal"])
    html = client.get(detail).content.decode()
    assert f"/hukum/bawaslu/baru/?pemilihan=uji&amp;kejadian={inc.pk}" in html
    form = client.get(f"/hukum/bawaslu/baru/?pemilihan=uji&kejadian={inc.pk}").content.decode()
    assert f'name="kejadian" value="{inc.pk}" aria-label' in form and "checked" in form
    client.post(detail, {"step": "file", "reason": "ke Panwascam", "filed_with": "panwascam",
                         "report_number": "001/LP/PW/11/2024", "formal_ok": "1"})
    assert Incident.objects.get().state == "escalated"  # material requirements not checked
    client.post(detail, {"step": "file", "reason": "ke Panwascam", "filed_with": "panwascam",
                         "report_number": "001/LP/PW/11/2024", "formal_ok": "1", "material_ok": "1"})
    client.post(detail, {"step": "outcome", "reason": "putusan", "outcome": "PSU direkomendasikan"})
    client.post(detail, {"step": "close", "reason": "selesai"})
    inc = Incident.objects.get()
    assert inc.state == "closed" and inc.report_number == "001/LP/PW/11/2024"
    steps = list(IncidentStep.objects.filter(incident=inc).values_list("to_state", "by__username", "reason"))
    assert [s[0] for s in steps] == ["reported", "verified", "escalated", "filed", "outcome", "closed"]
    assert steps[1][1] == "koordkec" and steps[3][1] == "legal" and steps[3][2] == "ke Panwascam"
    client.force_login(users["saksi"])
    assert client.get("/hari-h/kejadian/").status_code == 403


@pytest.mark.parametrize("role", ["observer", "legal", "koordinator"])
def test_incident_list_in_scope(client, tps, users, role):
    services.report_incident(users["saksi"], tps, category_key="logistik", description="kurang",
                             occurred_at=timezone.now(), client_id=uuid.uuid4())
    client.force_login(users[role])
    r = client.get("/hari-h/kejadian/?pemilihan=uji")
    assert r.status_code == 200 and SAKSI_TPS in r.content.decode()


def test_board_at_province_rolls_the_kelurahan_map_up_to_the_same_numbers(client, tps, users):
    from kawaltps.fieldday import board

    services.check_in(users["saksi"], tps, at=timezone.now(), client_id=uuid.uuid4())
    client.force_login(users["observer"])
    html = client.get("/hari-h/papan/?pemilihan=uji&wilayah=31").content.decode()
    assert html.count("<rect") == 3 and 'data-code="3175"' in html and 'data-code="3171"' in html
    direct = board.board(tps.election, "31")
    rolled = board.rollup(board.board(tps.election, "31", width=10), 4)
    assert rolled["rows"] == direct["rows"] and direct["total"]["none"] == 5
