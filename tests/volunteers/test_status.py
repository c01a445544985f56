import pytest

from kawaltps.audit.models import ChangeRecord
from kawaltps.volunteers.models import Volunteer
from kawaltps.volunteers.services import set_status, set_statuses


@pytest.fixture
def volunteer(jakarta):
    return Volunteer.objects.create(name="Siti", nik="3175084506900001", phone="6281234567890",
                                    kelurahan_id="3175081001")


def test_set_status_records_change_without_personal_data(volunteer, users):
    assert set_status(volunteer, "trained", by=users["trainer"], reason="hadir Bimtek")
    volunteer.refresh_from_db()
    assert volunteer.status == "trained"
    rec = ChangeRecord.objects.get(subject="volunteers.Volunteer", object_id=str(volunteer.pk))
    assert rec.before == {"status": "registered"} and rec.after == {"status": "trained"}
    assert rec.actor == "trainer" and rec.code == "3175081001"
    text = f"{rec.before}{rec.after}{rec.reason}"
    assert volunteer.nik not in text and volunteer.phone not in text


def test_set_status_same_is_noop_and_bad_status_refused(volunteer):
    assert not set_status(volunteer.pk, "registered")
    assert ChangeRecord.objects.count() == 0
    with pytest.raises(ValueError):
        set_status(volunteer, "graduated")
    volunteer.refresh_from_db()
    assert volunteer.status == "registered"


def test_set_statuses_bulk(volunteer):
    other = Volunteer.objects.create(name="Budi", nik="3175080101900002", phone="6281234567891",
                                     kelurahan_id="3175081001", status="certified")
    assert set_statuses([volunteer.pk, other.pk], "certified", reason="lulus") == 1
    assert Volunteer.objects.filter(status="certified").count() == 2
    assert ChangeRecord.objects.filter(action="volunteer_status").count() == 1
