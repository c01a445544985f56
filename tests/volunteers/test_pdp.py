"""UU 27/2022 (PDP): the consent text, the stored version, guardians of under-18s, paper consent on
import, and erasure that stops at evidence in an open case."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from kawaltps.audit import chain
from kawaltps.audit.models import ChangeRecord
from kawaltps.volunteers import consent
from kawaltps.volunteers.erasure import ErasureRefused, erase
from kawaltps.volunteers.models import Consent, Erasure, Volunteer

from .conftest import nik, write_csv

KEL = "3175081002"
TODAY = datetime.date.today()


def form(**over):
    data = {"name": "Siti Rahmawati", "nik": nik(KEL, 5, 1, True), "phone": "0812-3456-7001", "kelurahan": KEL,
            "address": "Jl. Melati 1", "available": "on", "consent": "on"}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def minor_nik(seq: int = 1) -> str:
    born = TODAY.replace(year=TODAY.year - 17)
    return f"{KEL[:6]}{born.day:02d}{born.month:02d}{born.year % 100:02d}{seq:04d}"


@override_settings(KAWALTPS_DATA_CONTROLLER="Pokja Pemenangan Jakarta", KAWALTPS_DATA_CONTACT="dpo@pokja.test",
                   KAWALTPS_RETENTION_MONTHS=18)
def test_the_text_names_controller_purposes_disclosures_retention_basis_and_rights():
    text = consent.current_text()
    for needed in ("Pokja Pemenangan Jakarta", "dpo@pokja.test",  # controller and contact
                   "Bimtek", "surat mandat",  # purposes
                   "KPPS", "Bawaslu", "Mahkamah Konstitusi", "pengadilan",  # disclosures that follow
                   "18 bulan",  # retention
                   "Pasal 20 ayat (2) huruf a", "Pelindungan Data Pribadi",  # legal basis
                   "melihat data Anda", "membetulkan", "menarik persetujuan", "dihapus",  # rights
                   "di bawah 18 tahun"):
        assert needed in text, needed


def test_registration_stores_the_version_and_text_shown(client, jakarta):
    page = client.get("/relawan/daftar/").content.decode()
    assert "KPPS" in page and "Bawaslu" in page
    assert client.post("/relawan/daftar/", form()).status_code == 302
    c = Consent.objects.get()
    assert c.version == consent.VERSION and c.text == consent.current_text() and c.method == "online"
    assert c.volunteer.name == "Siti Rahmawati" and c.guardian_name == "" and c.withdrawn_at is None


def test_under_18_needs_a_guardian(client, jakarta):
    refused = client.post("/relawan/daftar/", form(nik=minor_nik()))
    assert refused.status_code == 200 and "orang tua/wali" in refused.content.decode()
    assert not Volunteer.objects.exists() and not Consent.objects.exists()
    half = client.post("/relawan/daftar/", form(nik=minor_nik(), guardian_name="Budi", guardian_relation="ayah"))
    assert half.status_code == 200 and not Volunteer.objects.exists()  # the guardian's tick is missing
    ok = client.post("/relawan/daftar/", form(nik=minor_nik(), guardian_name="Budi Santoso",
                                              guardian_relation="ayah", guardian_consent="on"))
    assert ok.status_code == 302
    c = Consent.objects.get()
    assert (c.guardian_name, c.guardian_relation) == ("Budi Santoso", "ayah")


def test_an_adult_leaves_no_guardian_even_if_typed(client, jakarta):
    client.post("/relawan/daftar/", form(guardian_name="Siapa", guardian_relation="x"))
    assert Consent.objects.get().guardian_name == ""


PAPER = {"consent_by": "Koordinator Makasar", "consent_on": "2024-10-01",
         "consent_paper": "map Bimtek Makasar, sekretariat Pokja"}


def test_import_records_paper_consent_and_refuses_minors(client, users, orgs, tmp_path):
    path = write_csv(tmp_path / "relawan.csv", [
        ["Andi", nik(KEL, 1, 1), "081234560001", KEL, "RKJ", "", "ya"],
        ["Belia", minor_nik(2), "081234560002", KEL, "RKJ", "", "ya"],
    ])
    client.force_login(users["admin"])
    with open(path, "rb") as f:
        missing = client.post("/relawan/impor/", {"file": f})
    assert missing.status_code == 400 and not Volunteer.objects.exists()
    with open(path, "rb") as f:
        page = client.post("/relawan/impor/", {"file": f, **PAPER}).content.decode()
    assert "18 tahun" in page
    v = Volunteer.objects.get()
    c = v.consents.get()
    assert (c.method, c.collected_by, c.paper_location) == ("paper", "Koordinator Makasar", PAPER["consent_paper"])
    assert c.given_at.date() == datetime.date(2024, 10, 1) and c.version == consent.VERSION


def test_import_refuses_a_consent_date_in_the_future(client, users, orgs, tmp_path):
    path = write_csv(tmp_path / "relawan.csv", [["Andi", nik(KEL, 1, 1), "081234560001", KEL, "RKJ", "", "ya"]])
    client.force_login(users["admin"])
    with open(path, "rb") as f:
        page = client.post("/relawan/impor/", {"file": f, **PAPER,
                                               "consent_on": (TODAY + datetime.timedelta(days=3)).isoformat()})
    assert page.status_code == 400 and "masa depan" in page.content.decode()
    assert not Volunteer.objects.exists()


def _volunteer(client) -> Volunteer:
    client.post("/relawan/daftar/", form())
    return Volunteer.objects.get()


def test_erase_anonymises_and_keeps_the_history(client, jakarta, capsys):
    v = _volunteer(client)
    call_command("erase", "--volunteer", str(v.pk), "--json", "--reason", "permintaan 1 Des")
    assert json.loads(capsys.readouterr().out)["erased"] is True
    v.refresh_from_db()
    assert v.name == "(data dihapus)" and v.address == "" and "Siti" not in v.nik + v.phone
    assert v.nik.startswith("E") and v.kelurahan_id == KEL  # counts per kelurahan still add up
    assert Erasure.objects.get(volunteer=v).reason == "permintaan 1 Des"
    assert v.consents.get().withdrawn_at is not None
    rec = ChangeRecord.objects.get(action="volunteer_erase")
    assert "Siti" not in json.dumps([rec.before, rec.after, rec.reason]) and chain.verify()["ok"]
    with pytest.raises(CommandError, match="sudah dihapus"):
        call_command("erase", "--volunteer", str(v.pk))


def test_erase_refuses_evidence_in_an_open_case_and_names_it(client, small_election, make_user):
    from kawaltps.recap.models import Discrepancy, Step
    from kawaltps.results.services import submit
    from tests.results.helpers import good_form

    v = _volunteer(client)
    saksi = make_user("saksi-siti", "saksi", tps_code="3175081001001")
    Volunteer.objects.filter(pk=v.pk).update(user=saksi)
    votes, numbers = good_form()
    submit(saksi, small_election, "3175081001001", "saksi", votes, numbers, "pdp-1")
    d = Discrepancy.objects.create(election=small_election, key="uji", step=Step.choices[0][0],
                                   code="3175081001001", is_tps=True, deltas={"1": 5}, votes_moved=5)
    before = list(Volunteer.objects.values_list("name", "nik", "phone", "address"))
    with pytest.raises(ErasureRefused) as refused:
        erase(v.pk, actor="uji")
    assert refused.value.cases and f"selisih #{d.pk}" in refused.value.cases[0]
    assert "3175081001001" in str(refused.value) and "bukti" in str(refused.value)
    assert list(Volunteer.objects.values_list("name", "nik", "phone", "address")) == before
    assert not Erasure.objects.exists() and not ChangeRecord.objects.filter(action="volunteer_erase").exists()
    with pytest.raises(CommandError, match=f"selisih #{d.pk}"):
        call_command("erase", "--volunteer", str(v.pk))
    d.delete()  # the case is closed (the finding no longer exists): now it may go
    erase(v.pk, actor="uji")
    saksi.refresh_from_db()
    assert not saksi.is_active and saksi.username == f"dihapus-{v.pk}"


def test_erase_of_an_unknown_volunteer(jakarta):
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("erase", "--volunteer", "999999")


def test_erase_refuses_while_an_incident_they_reported_is_open(client, small_election, make_user):
    """A kecurangan report the volunteer made is evidence until it is closed: erasure names it."""
    import datetime
    import uuid

    from kawaltps.fieldday import services as fieldday
    from kawaltps.fieldday.models import Incident
    from kawaltps.regions.models import TPS

    v = _volunteer(client)
    saksi = make_user("saksi-lapor", "saksi", tps_code="3175081001001")
    Volunteer.objects.filter(pk=v.pk).update(user=saksi)
    tps = TPS.objects.get(election=small_election, code="3175081001001")
    inc, _ = fieldday.report_incident(saksi, tps, category_key="kotak_dibuka", description="Kotak dibuka sebelum",
                                      occurred_at=datetime.datetime.now(datetime.UTC), client_id=str(uuid.uuid4()))
    with pytest.raises(ErasureRefused) as refused:
        erase(v.pk, actor="uji")
    assert f"laporan kejadian #{inc.pk}" in str(refused.value) and not Erasure.objects.exists()
    Incident.objects.filter(pk=inc.pk).update(state=Incident.State.CLOSED)  # the case is closed
    erase(v.pk, actor="uji")
    assert Erasure.objects.filter(volunteer_id=v.pk).exists()
