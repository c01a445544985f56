"""The service layer every door calls: permissions, idempotency by client id, checks, audit."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kawaltps.audit.models import ChangeRecord
from kawaltps.evidence.models import EvidenceFile
from kawaltps.fieldday import services
from kawaltps.fieldday.models import CheckIn, ChecklistAnswer, Incident, Turnout
from kawaltps.regions.models import TPS

from .conftest import make_jpeg


def now():
    return timezone.now() - datetime.timedelta(minutes=1)


def test_check_in_near_is_not_flagged_and_a_retry_returns_the_first_copy(tps, users):
    cid = uuid.uuid4()
    row, new = services.check_in(users["saksi"], tps, at=now(), lat=-6.2101, lon=106.8201, client_id=cid,
                                 photo=make_jpeg(exif=True), mandate_accepted=True)
    again, new2 = services.check_in(users["saksi"], tps, at=now(), lat=-6.0, lon=106.0, client_id=str(cid))
    assert new and not new2 and again.pk == row.pk and CheckIn.objects.count() == 1
    assert row.distance_m < 30 and not row.far and row.mandate_accepted is True
    assert row.photo.sha256 and EvidenceFile.objects.get().purpose == "checkin"
    assert ChangeRecord.objects.filter(action="fieldday.checkin", code=tps.code).count() == 1


def test_a_check_in_50_km_away_is_flagged_not_refused(tps, users):
    row, _ = services.check_in(users["saksi"], tps, at=now(), lat=-6.66, lon=106.82, client_id=uuid.uuid4())
    assert row.far and 49_000 < row.distance_m < 51_000


def test_saksi_cannot_check_in_at_another_tps_and_nothing_is_stored(small_election, users):
    other = TPS.objects.select_related("election").get(election=small_election, code="3175081001002")
    with pytest.raises(PermissionDenied):
        services.check_in(users["saksi"], other, at=now(), client_id=uuid.uuid4())
    for role in ("observer", "clerk", "trainer", "legal"):
        with pytest.raises(PermissionDenied):
            services.check_in(users[role], other, at=now(), client_id=uuid.uuid4())
    assert not CheckIn.objects.exists() and not ChangeRecord.objects.exists()


@pytest.mark.parametrize("kwargs, words", [
    ({"lat": "abc", "lon": "106"}, "GPS tidak sah"),
    ({"lat": "-6.2", "lon": None}, "keduanya"),
    ({"lat": 95, "lon": 106}, "GPS tidak sah"),
    ({"photo": b"not an image"}, "bukan foto"),
])
def test_bad_check_in_is_refused_with_a_reason(tps, users, kwargs, words):
    with pytest.raises(ValidationError, match=words):
        services.check_in(users["saksi"], tps, at=now(), client_id=uuid.uuid4(), **kwargs)
    assert not CheckIn.objects.exists() and not EvidenceFile.objects.exists()


def test_check_in_in_the_future_and_a_bad_client_id_are_refused(tps, users):
    with pytest.raises(ValidationError, match="masa depan"):
        services.check_in(users["saksi"], tps, at=timezone.now() + datetime.timedelta(hours=2), client_id=uuid.uuid4())
    with pytest.raises(ValidationError, match="client_id"):
        services.check_in(users["saksi"], tps, at=now(), client_id="abc")
    assert not CheckIn.objects.exists()


def test_someone_elses_client_id_is_refused(tps, users, make_user):
    cid = uuid.uuid4()
    services.check_in(users["saksi"], tps, at=now(), client_id=cid)
    admin = users["admin"]
    with pytest.raises(ValidationError, match="orang lain"):
        services.check_in(admin, tps, at=now(), client_id=cid)
    assert CheckIn.objects.count() == 1


def test_turnout_is_bounded_by_the_ballots_and_idempotent(tps, users):
    cid = uuid.uuid4()
    row, new = services.record_turnout(users["saksi"], tps, at=now(), voters="123", slot="11:00", client_id=cid)
    _, new2 = services.record_turnout(users["saksi"], tps, at=now(), voters="999", slot="11:00", client_id=cid)
    assert new and not new2 and row.voters == 123 and Turnout.objects.count() == 1
    for bad, words in (("600", "melebihi"), ("-1", "Jumlah pemilih"), ("١٢", "Jumlah pemilih"), ("", "wajib")):
        with pytest.raises(ValidationError, match=words):
            services.record_turnout(users["saksi"], tps, at=now(), voters=bad, client_id=uuid.uuid4())
    with pytest.raises(ValidationError, match="Jam laporan"):
        services.record_turnout(users["saksi"], tps, at=now(), voters="1", slot="10:30", client_id=uuid.uuid4())
    assert Turnout.objects.count() == 1


def test_checklist_answers_follow_the_item_rules(tps, users):
    row, new = services.answer_checklist(users["saksi"], tps, item_key="kotak_kosong", answer="TIDAK",
                                         note="kotak sudah berisi", client_id=uuid.uuid4())
    assert new and row.answer == "tidak"
    services.answer_checklist(users["saksi"], tps, item_key="ditandatangani", answer="tolak", client_id=uuid.uuid4())
    with pytest.raises(ValidationError, match="Jawaban"):
        services.answer_checklist(users["saksi"], tps, item_key="kotak_kosong", answer="tolak", client_id=uuid.uuid4())
    with pytest.raises(ValidationError, match="tidak dikenal"):
        services.answer_checklist(users["saksi"], tps, item_key="nope", answer="ya", client_id=uuid.uuid4())
    assert ChecklistAnswer.objects.count() == 2


def test_incident_matching_a_psu_trigger_is_flagged_with_its_deadline(tps, users):
    video = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    inc, new = services.report_incident(users["saksi"], tps, category_key="kotak_dibuka",
                                        description="Kotak dibuka sebelum penghitungan", occurred_at=now(),
                                        files=[make_jpeg(seed=4), video], client_id=uuid.uuid4())
    assert new and inc.psu_trigger and not inc.recount_trigger
    assert inc.psu_deadline == tps.election.date + datetime.timedelta(days=4)
    assert inc.filing_deadline == timezone.localdate(inc.occurred_at) + datetime.timedelta(days=7)
    assert sorted(inc.evidence.values_list("kind", flat=True)) == ["image", "video"]
    assert inc.steps.get().to_state == "reported" and inc.state == "reported"
    inc2, _ = services.report_incident(users["saksi"], tps, category_key="bacaan_tidak_jelas", description="x",
                                       occurred_at=now(), client_id=uuid.uuid4())
    assert inc2.recount_trigger and not inc2.psu_trigger and inc2.psu_deadline is None


def test_incident_with_one_bad_file_stores_nothing(tps, users):
    with pytest.raises(ValidationError, match="bukan foto atau video"):
        services.report_incident(users["saksi"], tps, category_key="politik_uang", description="amplop",
                                 occurred_at=now(), files=[make_jpeg(seed=5), b"MZ\x90\x00 an exe"],
                                 client_id=uuid.uuid4())
    with pytest.raises(ValidationError, match="Kategori"):
        services.report_incident(users["saksi"], tps, category_key="x", description="y", occurred_at=now(),
                                 client_id=uuid.uuid4())
    assert not Incident.objects.exists() and not EvidenceFile.objects.exists()
